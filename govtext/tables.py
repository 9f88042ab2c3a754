"""Statistical tables of the 2019 and 2021 formats, their accounting checks, and prose counts.

Since the 2019 format (国办公开办函〔2019〕60号) every report carries three national tables:
table 2 (主动公开, 第二十条 items), table 3 (收到和处理政府信息公开申请) and table 4 (行政复议、
行政诉讼). :func:`parse_tables` reads them into one tidy DataFrame with canonical row and column
keys (:func:`table_schema` lists every key with its Chinese label), :func:`check_tables` applies
the accounting identities of the format, and :func:`table_regions` gives the spans of the text
the tables occupy (the sentence splitter leaves them out of the narrative).

Layouts read: tab-separated rows (seed 001, and HTML tables, which
:func:`govtext._html.html_to_text` renders one ``<tr>`` per line), one cell per line with
pipes (seeds 002 and 004), letter-spaced and split labels (``自 然 人``, ``本年新 制作数量``,
``结果 维持``, joined by normalisation), rows shifted by a misplaced label cell, and a row-group
label repeated at a page break. Rows are recognised by their labels, not by position, so the
layout of the header does not matter. Empty cells are recovered from ``Report.raw`` (a pipe
line ``|`` inside a row, or consecutive tabs, which normalisation collapses).

Reports of 2008-2018 have no national tables: :func:`extract_facts` takes the counts they
state in prose (``主动公开政府信息共70条``, ``受理…申请3宗``, ``未收取任何费用``) with their spans.

Examples
--------
>>> from govtext.datasets import load_seeds
>>> report = load_seeds()["004_3cd86ea425926f19"]
>>> cells = parse_tables(report)
>>> t3 = cells[cells.table == 3].pivot(index="row", columns="column", values="value")
>>> int(t3.loc["t3.new", "natural_person"]), int(t3.loc["t3.total", "total"])
(69, 74)
>>> check_tables(report).status.value_counts().to_dict()
{'pass': 232}
"""

from __future__ import annotations

import functools
import itertools
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from govtext.exceptions import InvalidParameterError

__all__ = [
    "CHECK_COLUMNS",
    "FACT_COLUMNS",
    "TABLE_COLUMNS",
    "check_tables",
    "extract_facts",
    "parse_cell",
    "parse_tables",
    "table_regions",
    "table_schema",
]

logger = logging.getLogger(__name__)

#: Columns of :func:`parse_tables`.
TABLE_COLUMNS = ["report_id", "table", "block", "row", "column", "raw", "value", "kind", "start", "end"]
#: Columns of :func:`check_tables`.
CHECK_COLUMNS = ["report_id", "rule", "table", "block", "row", "column", "expected", "actual", "status"]
#: Columns of :func:`extract_facts`.
FACT_COLUMNS = ["report_id", "fact", "value", "unit", "start", "end", "text"]

# --------------------------------------------------------------------------------------------
# schema: every key with its Chinese label

_CN = "一二三四五六七八九十"

# table 2: block -> (label, [(row key, label, regex)], {era: [(column key, label)]})
_T2_BLOCKS: dict[str, str] = {
    "art20_1": "第二十条第(一)项",
    "art20_5": "第二十条第(五)项",
    "art20_6": "第二十条第(六)项",
    "art20_8": "第二十条第(八)项",
    "art20_9": "第二十条第(九)项",
}
_T2_BLOCK_BY_NUM = {"一": "art20_1", "五": "art20_5", "六": "art20_6", "八": "art20_8", "九": "art20_9"}
_T2_ROWS: list[tuple[str, str, str, str]] = [
    # key, block, label, regex
    ("t2.regulations", "art20_1", "规章", r"规章"),
    ("t2.normative_docs", "art20_1", "(行政)规范性文件", r"(?:行政)?规范性(?:文件|档案)"),
    ("t2.licensing", "art20_5", "行政许可", r"行政许可"),
    ("t2.other_services", "art20_5", "其他对外管理服务事项 (2019 only)", r"其他对外管理服务事项"),
    ("t2.penalty", "art20_6", "行政处罚", r"行政处罚"),
    ("t2.enforcement", "art20_6", "行政强制", r"行政强制"),
    ("t2.fees", "art20_8", "行政事业性收费", r"行政事业性收费"),
    ("t2.procurement", "art20_9", "政府集中采购 (2019 only)", r"政府集中采购"),
]
_T2_COLS: list[tuple[str, str, str, str]] = [
    # key, era, label, regex
    ("issued", "2021", "本年制发件数", r"本年制发件数"),
    ("repealed", "2021", "本年废止件数", r"本年废止件数"),
    ("in_force", "2021", "现行有效件数", r"现行有效件数"),
    ("decisions", "both", "(本年)处理决定数量", r"(?:本年)?处理决定数量"),
    ("fee_amount", "2021", "本年收费金额(单位:万元)", r"本年收费金额"),
    ("new_made", "2019", "本年新制作数量", r"本年新制作数量"),
    ("new_published", "2019", "本年新公开数量", r"本年新公开数量"),
    ("total_published", "2019", "对外公开总数量", r"对外公开总数量"),
    ("prev_items", "2019", "上一年项目数量", r"上一年项目数量"),
    ("change", "2019", "本年增/减 (signed)", r"本年增/?减"),
    ("procurement_items", "2019", "采购项目数量", r"采购项目数量"),
    ("procurement_amount", "2019", "采购总金额", r"采购总金额"),
]
_T2_DEFAULT_COLS: dict[tuple[str, str], list[str]] = {
    ("2021", "art20_1"): ["issued", "repealed", "in_force"],
    ("2021", "art20_5"): ["decisions"],
    ("2021", "art20_6"): ["decisions"],
    ("2021", "art20_8"): ["fee_amount"],
    ("2019", "art20_1"): ["new_made", "new_published", "total_published"],
    ("2019", "art20_5"): ["prev_items", "change", "decisions"],
    ("2019", "art20_6"): ["prev_items", "change", "decisions"],
    ("2019", "art20_8"): ["prev_items", "change"],
    ("2019", "art20_9"): ["procurement_items", "procurement_amount"],
}

# table 3 rows: key, block, group, label, regex (matched after the numbering prefix)
_T3_ROWS: list[tuple[str, str, str | None, str, str]] = [
    ("t3.new", "intake", None, "一、本年新收政府信息公开申请数量", r"本年度?新收(?:到)?(?:的)?(?:政府信息公开)?申请"),
    ("t3.carried_over", "intake", None, "二、上年结转政府信息公开申请数量", r"上年度?结转(?:的)?(?:政府信息公开)?申请"),
    ("t3.granted", "outcome", None, "(一)予以公开", r"予以公开"),
    ("t3.partial", "outcome", None, "(二)部分公开(区分处理的,只计这一情形,不计其他情形)", r"部分公开"),
    ("t3.denied.state_secret", "outcome", "denied", "(三)不予公开 1.属于国家秘密", r"属于国家秘密"),
    ("t3.denied.prohibited_by_law", "outcome", "denied", "(三)不予公开 2.其他法律行政法规禁止公开", r"其他法律行政法规禁止公开"),
    ("t3.denied.security_stability", "outcome", "denied", "(三)不予公开 3.危及“三安全一稳定”", r"危及.{0,2}三安全一稳定"),
    ("t3.denied.third_party", "outcome", "denied", "(三)不予公开 4.保护第三方合法权益", r"保护第三方合法权益"),
    ("t3.denied.internal_affairs", "outcome", "denied", "(三)不予公开 5.属于三类内部事务信息", r"属于三类内部事务信息"),
    ("t3.denied.process_info", "outcome", "denied", "(三)不予公开 6.属于四类过程性信息", r"属于四类过程性信息"),
    ("t3.denied.enforcement_file", "outcome", "denied", "(三)不予公开 7.属于行政执法案卷", r"属于行政执法案卷"),
    ("t3.denied.query_matter", "outcome", "denied", "(三)不予公开 8.属于行政查询事项", r"属于行政查询事项"),
    ("t3.unavailable.not_held", "outcome", "unavailable", "(四)无法提供 1.本机关不掌握相关政府信息", r"本机关不掌握相关政府信息"),
    ("t3.unavailable.needs_creation", "outcome", "unavailable", "(四)无法提供 2.没有现成信息需要另行制作", r"没有现成信息需要另行制作"),
    ("t3.unavailable.unclear", "outcome", "unavailable", "(四)无法提供 3.补正后申请内容仍不明确", r"补正后申请内容仍不明确"),
    ("t3.not_processed.petition", "outcome", "not_processed", "(五)不予处理 1.信访举报投诉类申请", r"信访举报投诉类申请"),
    ("t3.not_processed.repeated", "outcome", "not_processed", "(五)不予处理 2.重复申请", r"重复申请"),
    ("t3.not_processed.publication", "outcome", "not_processed", "(五)不予处理 3.要求提供公开出版物", r"要求提供公开出版物"),
    ("t3.not_processed.excessive", "outcome", "not_processed", "(五)不予处理 4.无正当理由大量反复申请", r"无正当理由大量反复申请"),
    ("t3.not_processed.confirmation", "outcome", "not_processed", "(五)不予处理 5.要求行政机关确认或重新出具已获取信息", r"要求行政机关确认或重新出具已获取信息"),
    ("t3.other_processing", "outcome", None, "(六)其他处理 (2019: one row)", r"其他处理"),
    ("t3.other_processing.no_correction", "outcome", "other_processing", "(六)其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请 (2021)", r"申请人无正当理由逾期不补正"),
    ("t3.other_processing.unpaid_fee", "outcome", "other_processing", "(六)其他处理 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请 (2021)", r"申请人逾期未按收费通知要求缴纳费用"),
    ("t3.other_processing.other", "outcome", "other_processing", "(六)其他处理 3.其他 (2021)", r"其他$"),
    ("t3.total", "outcome", None, "(七)总计", r"总计$"),
    ("t3.carry_forward", "carry_forward", None, "四、结转下年度继续办理", r"结转下年度?继续办理"),
]
_T3_GROUPS: list[tuple[str, str]] = [
    ("outcome", r"本年度?办理结果"),
    ("denied", r"不予公开"),
    ("unavailable", r"无法提供"),
    ("not_processed", r"不予处理"),
]
_T3_COLS: list[tuple[str, str]] = [
    ("natural_person", "自然人"),
    ("commercial", "法人或其他组织: 商业企业"),
    ("research", "法人或其他组织: 科研机构"),
    ("public_interest", "法人或其他组织: 社会公益组织"),
    ("legal_services", "法人或其他组织: 法律服务机构"),
    ("other_org", "法人或其他组织: 其他"),
    ("total", "总计"),
]
_T4_BLOCKS: list[tuple[str, str]] = [
    ("review", "行政复议"),
    ("litigation_direct", "行政诉讼: 未经复议直接起诉"),
    ("litigation_after_review", "行政诉讼: 复议后起诉"),
]
_T4_COLS: list[tuple[str, str]] = [
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
]

_T3_ROW_RES = [(k, b, g, re.compile(rx)) for k, b, g, _, rx in _T3_ROWS]
_T3_GROUP_RES = [(g, re.compile(rx)) for g, rx in _T3_GROUPS]
_T3_ORDER = {k: i for i, (k, *_rest) in enumerate(_T3_ROWS)}
_T3_BLOCK = {k: b for k, b, *_rest in _T3_ROWS}
_T3_COL_KEYS = [k for k, _ in _T3_COLS]
_T3_APPLICANT = _T3_COL_KEYS[:6]
_T4_COL_KEYS = [k for k, _ in _T4_COLS]
_T2_ROW_RES = [(k, b, re.compile(rx)) for k, b, _, rx in _T2_ROWS]
_T2_COL_RES = [(k, re.compile(rx)) for k, _, _, rx in _T2_COLS]
_T2_ORDER = {k: i for i, (k, *_rest) in enumerate(_T2_ROWS)}
_T2_COL_ORDER = {k: i for i, (k, *_rest) in enumerate(_T2_COLS)}

_NUM_PREFIX_RE = re.compile(rf"^(?:[{_CN}]{{1,3}}[、.]|\([{_CN}]{{1,3}}\)|\d{{1,2}}(?:[.、](?!\d)|(?=[\u4e00-\u9fff])))")
_T2_BLOCK_RE = re.compile(rf"第二十条第\(([{_CN}]{{1,2}})\)项")
_T4_HEADER_RE = re.compile(r"(?:行政复议|行政诉讼|结果维持|结果纠正|其他结果|尚未审结|总计|未经复议直接起诉|复议后起诉|数量)$")
_T3_HEADER_RE = re.compile(r"\(本列数据|申请人情况|自然人|法人或其他组织|商业企业|科研机构|社会公益组织|法律服务机构|其他$|总计$")
_T3_ANCHOR_RE = re.compile(r"\(本列数据的勾稽关系|申请人情况|本年度?新收(?:到)?(?:的)?(?:政府信息公开)?申请数量")
_T4_ANCHOR_RE = re.compile(r"(?:^|\t)行政复议[ \t]*(?=[\n\t])", re.M)
_T2_ANCHOR_RE = re.compile(rf"(?:^|\t)第二十条第\([{_CN}]{{1,2}}\)项", re.M)
_HAN_RE = re.compile("[\u4e00-\u9fff]")

# --------------------------------------------------------------------------------------------
# cell values

_NUMBER_RE = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_DASH_RE = re.compile(r"[-—/\\－–~～一]{1,3}")


def parse_cell(raw: str) -> tuple[float, str]:
    """Value and kind of a table cell.

    Kinds: ``number`` (integers, decimals, signed ``+8``/``-8``, thousands separators),
    ``zero``, ``empty`` (nothing written), ``dash`` (``/``, ``-``, ``—``: written as not
    applicable) and ``text``. The value is ``nan`` unless the cell is a number or zero.

    >>> parse_cell("662.441"), parse_cell("+8"), parse_cell("0"), parse_cell("")
    ((662.441, 'number'), (8.0, 'number'), (0.0, 'zero'), (nan, 'empty'))
    >>> parse_cell("—"), parse_cell("无")
    ((nan, 'dash'), (nan, 'text'))
    """
    s = raw.strip(" \t\u3000")
    if not s:
        return float("nan"), "empty"
    if _NUMBER_RE.fullmatch(s):
        v = float(s.replace(",", ""))
        return v, ("zero" if v == 0 else "number")
    if _DASH_RE.fullmatch(s) and s != "一":
        return float("nan"), "dash"
    return float("nan"), "text"


#: :func:`parse_cell`, cached (pure; cells repeat across reports).
_parse_cell_cached = functools.lru_cache(maxsize=8192)(parse_cell)

_VALUE_WORDS = frozenset({"无", "不适用", "空", "暂无", "N/A", "n/a"})


@functools.lru_cache(maxsize=8192)
def _is_value(s: str) -> bool:
    """Looks like a value cell (not a label): number, dash, empty, or a very short word (pure:
    cached, as cells repeat)."""
    s = s.strip()
    if not s or _NUMBER_RE.fullmatch(s) or (_DASH_RE.fullmatch(s) and s != "一"):
        return True
    if s in _VALUE_WORDS:
        return True
    return len(s) <= 4 and not _HAN_RE.search(s)


# --------------------------------------------------------------------------------------------
# cells


@dataclass(slots=True)
class _Cell:
    text: str
    start: int
    end: int
    brk: bool  # a row break precedes this cell
    empty: bool = False  # recovered from the raw text


class _Source:
    """The text plus (when available) the raw text and offsets to recover empty cells."""

    def __init__(self, text: str, raw: str | None = None, offsets=None, offset_ends=None) -> None:
        self.text = text
        self.raw = raw
        self.offsets = offsets
        self.offset_ends = offset_ends

    def gap(self, a: int, b: int) -> str:
        """Raw text between text position ``a`` (exclusive end of a cell) and ``b``."""
        if self.raw is None or a <= 0 or b >= len(self.text) or b <= a:
            return self.text[a:b]
        s = int(self.offset_ends[a - 1])
        e = int(self.offsets[b])
        if e < s or e - s > 5000:
            return self.text[a:b]
        return self.raw[s:e]


_PIPE1_RE = re.compile(r"[ \t]*\|[ \t]*")
_PIPE2_RE = re.compile(r"[ \t]*\|[ \t|]*\|[ \t|]*")


class _Cells:
    """The cells of :func:`_tokenize`, made as the walkers read them.

    A walker reads one table and stops, often a few dozen cells into the several hundred its
    ``limit`` allows, so the cells are made in chunks, when an index past them is asked for:
    the walker sees the same list as if all had been made first. ``cells.has(i)`` stands for
    ``i < len(cells)``.
    """

    __slots__ = ("_buf", "_more")

    def __init__(self, cells: Iterator[_Cell]) -> None:
        self._buf: list[_Cell] = []
        self._more: Iterator[_Cell] | None = cells

    def has(self, i: int) -> bool:
        return i < len(self._buf) or self._fill(i)

    def _fill(self, i: int) -> bool:
        buf = self._buf
        while i >= len(buf) and self._more is not None:
            k = len(buf)
            buf.extend(itertools.islice(self._more, 16))
            if len(buf) - k < 16:
                self._more = None
        return i < len(buf)

    def __getitem__(self, i: int | slice) -> Any:
        if isinstance(i, slice):  # (the walkers slice forward, with a stop)
            self.has(i.stop - 1 if i.stop is not None else 1 << 62)
        elif i >= len(self._buf):
            self._fill(i)
        return self._buf[i]

    def __bool__(self) -> bool:
        return self.has(0)


def _tokenize(src: _Source, start: int, grid: bool, limit: int = 4000) -> _Cells:
    """Cells from ``start`` on (at most ``limit`` non-empty cells), made as they are read."""
    return _Cells(_iter_cells(src, start, grid, limit))


def _iter_cells(src: _Source, start: int, grid: bool, limit: int) -> Iterator[_Cell]:
    text = src.text
    n = len(text)
    pos = start
    prev_end = -1
    count = 0
    gap = src.gap if src.raw is not None else None  # (without raw text, a gap is the text's)
    while pos < n and count < limit:
        le = text.find("\n", pos)
        le = n if le < 0 else le
        first = True
        cpos = pos
        pieces = text[pos:le].split("\t")
        for k, piece in enumerate(pieces):
            cs, ce = cpos, cpos + len(piece)
            cpos = ce + 1
            stripped = piece.strip(" \u3000")
            if not stripped:
                if grid and 0 < k < len(pieces) - 1:
                    yield _Cell("", cs, cs, False, True)
                continue
            if piece[0] in " \u3000":
                cs += len(piece) - len(piece.lstrip(" \u3000"))
            ce = cs + len(stripped)
            brk = False
            if prev_end >= 0:
                g = text[prev_end:cs] if gap is None else gap(prev_end, cs)
                if "\n" in g:
                    parts = g.split("\n")
                    if grid:
                        brk = True
                        tail = parts[0]
                        nt = tail.count("\t") or max(tail.count("|") - 1, 0)
                        for _ in range(nt):
                            yield _Cell("", prev_end, prev_end, False, True)
                    else:
                        for mid in parts[1:-1]:
                            if _PIPE2_RE.fullmatch(mid):
                                brk = True
                            elif _PIPE1_RE.fullmatch(mid):
                                yield _Cell("", prev_end, prev_end, False, True)
                elif gap is not None and g:
                    ne = max(g.count("\t"), g.count("|")) - 1
                    for _ in range(max(ne, 0)):
                        yield _Cell("", cs, cs, False, True)
            elif grid:
                brk = True
            if grid and first:
                brk = True
            yield _Cell(stripped, cs, ce, brk)
            first = False
            prev_end = ce
            count += 1
        pos = le + 1


def _is_grid(text: str, start: int) -> bool:
    lines = [ln for ln in text[start:start + 3000].split("\n")[:25] if ln.strip()]
    if not lines:
        return False
    return sum(1 for ln in lines if "\t" in ln) >= max(2, 0.3 * len(lines))


# --------------------------------------------------------------------------------------------
# walkers: each returns (rows, end) where rows are (block, row, [cells]) and end the text
# position after the last cell consumed


def _strip_num(s: str) -> str:
    m = _NUM_PREFIX_RE.match(s)
    return s[m.end():] if m else s


def _collect(cells: _Cells, i: int, n_vals: int, grid: bool, is_label) -> tuple[list[_Cell], int, bool]:
    """Value cells after a label at ``cells[i-1]``; returns (values, next index, aligned)."""
    vals: list[_Cell] = []
    j = i
    # continuation of a label wrapped over several cells
    while cells.has(j) and not vals:
        c = cells[j]
        if c.empty or is_label(c.text) or _is_value(c.text):
            break
        if len(_HAN_RE.findall(c.text)) >= 4 and len(c.text) <= 60:
            j += 1
            continue
        break
    while cells.has(j):
        c = cells[j]
        if grid and c.brk and vals and any(not v.empty for v in vals):
            break
        if grid and c.brk and not vals and c.empty:
            j += 1
            continue
        if not c.empty and (is_label(c.text) or not _is_value(c.text)):
            break
        if not grid and len(vals) >= n_vals:
            break
        if c.empty and not vals and not grid and c.brk:
            j += 1
            continue
        vals.append(c)
        j += 1
    if grid:
        while len(vals) > n_vals and vals[-1].empty:
            vals.pop()
        while len(vals) > n_vals and vals[0].empty:
            vals.pop(0)
    return vals, j, len(vals) == n_vals


@functools.lru_cache(maxsize=8192)
def _t3_label(s: str, group: str | None) -> tuple[str, str] | None:
    """('row', key) or ('group', key) for a table-3 label cell (pure: cached, as cells repeat)."""
    if not _HAN_LABEL_RE.search(s):  # value cells (numbers, dashes) carry no label
        return None
    body = _strip_num(s)
    for g, rx in _T3_GROUP_RES:
        if rx.match(body):
            return ("group", g)
    for k, _b, _g, rx in _T3_ROW_RES:
        if k == "t3.other_processing.other" and (group != "other_processing" or not rx.match(body)):
            continue
        if k == "t3.total" and not (rx.match(body) and (body != s or s == "总计")):
            continue
        if rx.match(body):
            return ("row", k)
    return None


_HAN_LABEL_RE = re.compile("[\u4e00-\u9fff]")


def _walk_t3(cells: _Cells, grid: bool) -> tuple[list[tuple[str, str, list[_Cell]]], int, int]:
    """Table 3 from its header on; returns (rows, start, end)."""
    rows: list[tuple[str, str, list[_Cell]]] = []
    i = 0
    start = cells[0].start if cells else 0
    # header: up to 40 cells before the first row label
    while cells.has(i) and i < 40:
        lab = _t3_label(cells[i].text, None) if not cells[i].empty else None
        if lab and lab[1] in ("t3.new", "t3.carried_over"):
            break
        i += 1
    else:
        return [], start, start
    if not cells.has(i):
        return [], start, start
    end = cells[i].end
    group: str | None = None
    misses = 0

    def is_label(s: str) -> bool:
        return _t3_label(s, "other_processing") is not None

    while cells.has(i):
        c = cells[i]
        if c.empty:
            i += 1
            continue
        lab = _t3_label(c.text, group)
        if lab is None:
            misses += 1
            if misses > 3 or not _is_value(c.text):
                break
            i += 1
            continue
        misses = 0
        end = max(end, c.end)
        kind, key = lab
        if kind == "group":
            group = key
            i += 1
            continue
        if key == "t3.other_processing":
            group = "other_processing"
        vals, i, aligned = _collect(cells, i + 1, 7, grid, is_label)
        real = [v for v in vals if not v.empty]
        if real:
            end = max(end, max(v.end for v in real))
        if key == "t3.other_processing" and not real:
            continue  # the 2021 group label
        if not aligned:
            logger.warning("table 3 row %s: %d cells for 7 columns; row left out", key, len(vals))
            continue
        rows.append(("", key, vals))
        if key == "t3.carry_forward":
            break
    return rows, start, end


def _walk_t4(cells: _Cells, grid: bool) -> tuple[list[_Cell], int, int]:
    i = 0
    start = cells[0].start if cells else 0
    end = start
    seen = 0
    while cells.has(i):
        c = cells[i]
        if c.empty:
            i += 1
            continue
        if _T4_HEADER_RE.match(c.text):
            seen += 1
            end = c.end
            i += 1
            continue
        break
    if seen < 2:
        return [], start, start
    vals: list[_Cell] = []
    while cells.has(i) and len(vals) < 15:
        c = cells[i]
        if not c.empty and not _is_value(c.text):
            break
        if c.empty and (not vals or grid):
            i += 1
            if grid and vals and c.brk is False:
                vals.append(c)
            continue
        vals.append(c)
        i += 1
    real = [v for v in vals if not v.empty]
    if real:
        end = max(end, max(v.end for v in real))
    return vals, start, end


@functools.lru_cache(maxsize=8192)
def _t2_row(s: str) -> str | None:
    """Table-2 row key of a label cell (pure: cached, as cells repeat)."""
    body = _strip_num(s)
    for k, _b, rx in _T2_ROW_RES:
        if rx.match(body):
            return k
    return None


@functools.lru_cache(maxsize=8192)
def _t2_col(s: str) -> str | None:
    """Table-2 column key of a header cell (pure: cached)."""
    for k, rx in _T2_COL_RES:
        if rx.match(s):
            return k
    return None


def _walk_t2(cells: _Cells, grid: bool) -> tuple[list[tuple[str, str, list[tuple[str, _Cell]]]], int, int]:
    rows: list[tuple[str, str, list[tuple[str, _Cell]]]] = []
    start = cells[0].start if cells else 0
    end = start
    i = 0
    pending: list[tuple[str, list[str | None]]] = []

    def is_label(s: str) -> bool:
        return _t2_row(s) is not None or bool(_T2_BLOCK_RE.match(s)) or s == "信息内容"

    while cells.has(i):
        c = cells[i]
        if c.empty:
            i += 1
            continue
        m = _T2_BLOCK_RE.match(c.text)
        if not m:
            break
        block = _T2_BLOCK_BY_NUM.get(m.group(1), f"art20_{m.group(1)}")
        end = max(end, c.end)
        i += 1
        header: list[str] = []
        while cells.has(i) and len(header) < 8:
            h = cells[i]
            if h.empty:
                i += 1
                continue
            if h.text == "信息内容":
                end = max(end, h.end)
                i += 1
                continue
            if _t2_row(h.text) or _T2_BLOCK_RE.match(h.text) or _is_value(h.text):
                break
            header.append(h.text)
            end = max(end, h.end)
            i += 1
        cols: list[str | None] = [_t2_col(h) for h in header]
        pending.append((block, cols))
        while cells.has(i):
            r = cells[i]
            if r.empty:
                i += 1
                continue
            key = _t2_row(r.text)
            if key is None:
                # a row the format does not have (e.g. 其他主动公开文件) is skipped; anything
                # else ends the table
                nxt = next((x for x in cells[i + 1:i + 4] if not x.empty), None)
                if (_T2_BLOCK_RE.match(r.text) or _is_value(r.text) or len(r.text) > 20
                        or re.match(rf"[{_CN}]{{1,3}}、", r.text)
                        or nxt is None or not _NUMBER_RE.fullmatch(nxt.text)):
                    break
                key = ""
            end = max(end, r.end)
            n = max(len(cols), 1)
            vals, i, aligned = _collect(cells, i + 1, n, grid, is_label)
            real = [v for v in vals if not v.empty]
            if real:
                end = max(end, max(v.end for v in real))
            if key and aligned:
                rows.append((block, key, list(zip([str(k) if k else "" for k in cols] or [""], vals))))
            elif key:
                logger.warning("table 2 row %s: %d cells for %d columns; row left out", key, len(vals), n)
    # columns the header did not name: the era's default for the block
    era = "2019" if any(k in ("new_made", "new_published", "total_published", "prev_items", "change",
                              "procurement_items", "procurement_amount")
                        for _, cols in pending for k in cols) else "2021"
    if any(k == "t2.other_services" or k == "t2.procurement" for _, k, _ in rows):
        era = "2019"
    fixed = []
    for block, key, pairs in rows:
        cols = [k for k, _ in pairs]
        if any(not k for k in cols):
            default = _T2_DEFAULT_COLS.get((era, block), [])
            if len(default) == len(pairs):
                cols = default
            else:
                cols = [k or f"col{j + 1}" for j, k in enumerate(cols)]
        fixed.append((block, key, list(zip(cols, [v for _, v in pairs]))))
    return fixed, start, end


# --------------------------------------------------------------------------------------------
# locating the tables


@dataclass(frozen=True)
class _Parsed:
    regions: tuple[tuple[int, int], ...]
    t2: tuple
    t3: tuple
    t4: tuple


def _line_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


def _parse(src: _Source) -> _Parsed:
    text = src.text
    regions: list[tuple[int, int]] = []
    t2: list = []
    t3: list = []
    t4: list = []
    pos = 0
    m = _T2_ANCHOR_RE.search(text)
    if m:
        s = m.start() + (1 if text[m.start()] == "\t" else 0)
        grid = _is_grid(text, s)
        rows, a, b = _walk_t2(_tokenize(src, s, grid, 600), grid)
        if rows:
            t2 = rows
            regions.append((_line_start(text, a), b))
            pos = b
    m = _T3_ANCHOR_RE.search(text, pos)
    if m:
        s = _line_start(text, m.start())
        grid = _is_grid(text, s)
        rows, a, b = _walk_t3(_tokenize(src, s, grid, 600), grid)
        if rows:
            t3 = rows
            regions.append((a, b))
            pos = b
    m = _T4_ANCHOR_RE.search(text, pos)
    if m:
        s = m.start() + (1 if text[m.start()] == "\t" else 0)
        s = _line_start(text, s)
        grid = _is_grid(text, s)
        vals, a, b = _walk_t4(_tokenize(src, s, grid, 200), grid)
        if vals:
            t4 = vals
            regions.append((a, b))
    regions.sort()
    return _Parsed(tuple(regions), tuple(t2), tuple(t3), tuple(t4))


@functools.lru_cache(maxsize=256)
def _parse_text(text: str) -> _Parsed:
    return _parse(_Source(text))


def _text_regions(text: str) -> list[tuple[int, int]]:
    """Table spans of a text (cached; used by the section splitter)."""
    try:
        return list(_parse_text(text).regions)
    except RecursionError:  # pragma: no cover - defensive
        return []


def _source_of(report) -> tuple[str, _Source]:
    if isinstance(report, str):
        return "<text>", _Source(report)
    text = getattr(report, "text", None)
    if not isinstance(text, str):
        msg = f"The 'report' parameter must be a Report or a str. Got {type(report).__name__} instead."
        raise InvalidParameterError(msg)
    raw = getattr(report, "raw", None)
    offsets = getattr(report, "offsets", None)
    ends = getattr(report, "offset_ends", None)
    if not isinstance(raw, str) or offsets is None or ends is None or len(offsets) != len(text):
        return str(getattr(report, "id", "<text>")), _Source(text)
    return str(report.id), _Source(text, raw, offsets, ends)


def table_regions(report) -> list[tuple[int, int]]:
    """Spans of ``report.text`` occupied by the statistical tables (tables 2, 3, 4).

    Cheap: the result is cached per text. Spans are half-open, sorted and disjoint; a report
    without tables gives ``[]``.

    Parameters
    ----------
    report : Report or str

    Examples
    --------
    >>> from govtext.datasets import load_seeds
    >>> r = load_seeds()["004_3cd86ea425926f19"]
    >>> [r.text[a:b].split("\\n")[0] for a, b in table_regions(r)]
    ['第二十条第(一)项', '(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)', '行政复议']
    """
    if isinstance(report, str):
        return _text_regions(report)
    text = getattr(report, "text", None)
    if not isinstance(text, str):
        msg = f"The 'report' parameter of table_regions must be a Report or a str. Got {type(report).__name__} instead."
        raise InvalidParameterError(msg)
    return _text_regions(text)


# --------------------------------------------------------------------------------------------
# public: parse


def _reports(obj, caller: str) -> list:
    if isinstance(obj, str) or hasattr(obj, "text"):
        return [obj]
    if isinstance(obj, Iterable):
        out = list(obj)
        for r in out:
            if not (isinstance(r, str) or hasattr(r, "text")):
                msg = f"The 'report' parameter of {caller} must be a Report, a str or an iterable of them. Got an item of type {type(r).__name__} instead."
                raise InvalidParameterError(msg)
        return out
    msg = f"The 'report' parameter of {caller} must be a Report, a str or an iterable of them. Got {type(obj).__name__} instead."
    raise InvalidParameterError(msg)


_TABLE_DTYPES = {"table": "int64", "value": "float64", "start": "int64", "end": "int64"}
#: Sort rank of a block (by table, in the format's order; 99 for a block the format lacks).
_BLOCK_ORDER = {b: i for i, b in enumerate(list(_T2_BLOCKS) + ["intake", "outcome", "carry_forward"]
                                           + [b for b, _ in _T4_BLOCKS])}


@functools.cache
def _empty_tables_template() -> pd.DataFrame:
    df = pd.DataFrame({c: pd.Series(dtype="object") for c in TABLE_COLUMNS})
    return df.astype(_TABLE_DTYPES)


def _empty_tables() -> pd.DataFrame:
    """The frame of :func:`parse_tables` without cells (a copy of one made once: cheap)."""
    return _empty_tables_template().copy()


def _records(report) -> list[tuple]:
    """The rows of :func:`parse_tables` for one report, as tuples of :data:`TABLE_COLUMNS`:
    ordered by table, block, the format's row order (stable otherwise) and deduplicated on
    (table, block, row, column), the first kept."""
    rid, src = _source_of(report)
    parsed = _parse(src) if src.raw is not None else _parse_text(src.text)
    text = src.text
    recs: list[tuple] = []
    append = recs.append

    def add(table: int, block: str, row: str, col: str, c: _Cell) -> None:
        raw = "" if c.empty else text[c.start:c.end]
        v, kind = _parse_cell_cached(raw)
        append((rid, table, block, row, col, raw, v, kind, c.start, c.end))

    for block, row, pairs in parsed.t2:
        for col, c in pairs:
            add(2, block, row, col, c)
    for _b, row, vals in parsed.t3:
        for col, c in zip(_T3_COL_KEYS, vals):
            add(3, _T3_BLOCK[row], row, col, c)
    for k, c in enumerate(parsed.t4[:15]):
        block = _T4_BLOCKS[k // 5][0]
        add(4, block, f"t4.{block}", _T4_COL_KEYS[k % 5], c)
    return _ordered(recs)


def _ordered(recs: list[tuple]) -> list[tuple]:
    """Records (tuples of :data:`TABLE_COLUMNS`) stably sorted by table, block rank and row
    rank, then the first of each (table, block, row, column) kept."""
    recs = sorted(recs, key=lambda t: (t[1], _BLOCK_ORDER.get(t[2], 99), _T2_ORDER.get(t[3], _T3_ORDER.get(t[3], 0))))
    seen: set[tuple] = set()
    out: list[tuple] = []
    for t in recs:
        key = (t[1], t[2], t[3], t[4])
        if key not in seen:
            seen.add(key)
            out.append(t)
    return out


def _frame(recs: list[tuple], columns: list[str], dtypes: dict[str, str], objects: tuple[str, ...] = ()) -> pd.DataFrame:
    """A frame of ``recs`` (non-empty), as ``pd.DataFrame(recs, columns=columns).astype(dtypes)``
    gives it (other columns inferred by pandas: strings are ``str``), built column by column
    (faster); the columns ``objects`` are kept ``object``, values as they are."""
    data: dict[str, Any] = {}
    for c, v in zip(columns, zip(*recs)):
        if c in dtypes:
            data[c] = np.array(v, dtype=dtypes[c])
        elif c in objects:
            data[c] = pd.Series(v, dtype=object)
        else:
            data[c] = list(v)
    return pd.DataFrame(data, columns=columns)


def _tables_frame(per_report: list[list[tuple]]) -> pd.DataFrame:
    """:func:`parse_tables` of several reports from their :func:`_records`: what concatenating
    one frame per report gives (``object`` string columns when a report has no cells, as a
    concatenation with an empty ``object`` frame makes them; ``str`` otherwise)."""
    recs = [t for rs in per_report for t in rs]
    if not recs:
        return _empty_tables()
    df = _frame(recs, TABLE_COLUMNS, _TABLE_DTYPES)
    if len(per_report) > 1 and not all(per_report):
        df = df.astype({c: object for c in TABLE_COLUMNS if isinstance(df[c].dtype, pd.StringDtype)})
    return df


def _one(report) -> pd.DataFrame:
    recs = _records(report)
    return _frame(recs, TABLE_COLUMNS, _TABLE_DTYPES) if recs else _empty_tables()


def parse_tables(report) -> pd.DataFrame:
    """The statistical tables of a report (2019 and 2021 formats) as a tidy DataFrame.

    Parameters
    ----------
    report : Report, str, or an iterable of them (a Corpus)

    Returns
    -------
    DataFrame
        One row per cell found, columns :data:`TABLE_COLUMNS`:

        * ``report_id`` -- the report's id (``"<text>"`` for a string);
        * ``table`` -- 2, 3 or 4 (int);
        * ``block`` -- table 2: ``art20_1``/``art20_5``/``art20_6``/``art20_8``/``art20_9``;
          table 3: ``intake`` (一、二), ``outcome`` (三), ``carry_forward`` (四); table 4:
          ``review``, ``litigation_direct``, ``litigation_after_review``;
        * ``row`` and ``column`` -- canonical keys (:func:`table_schema`);
        * ``raw`` -- the cell as written (``""`` for an empty cell);
        * ``value`` -- float, ``nan`` unless the cell is a number;
        * ``kind`` -- ``number``, ``zero``, ``empty``, ``dash`` or ``text``;
        * ``start``, ``end`` -- span of the cell in ``report.text`` (empty cells: a point).

        Cells the text does not have at all (a table dropped by the scraper, a row that could
        not be aligned, which is logged) have no row. Rows are ordered by table, block, the
        format's row order and column order. 2008-2018 reports give an empty frame.

    Examples
    --------
    >>> from govtext.datasets import load_seeds
    >>> corpus = load_seeds()
    >>> df = parse_tables(corpus["002_201993b9de74ca40"])
    >>> df.groupby("table").size().to_dict()
    {2: 22, 3: 161, 4: 15}
    >>> df[(df.row == "t2.licensing")][["column", "raw", "kind"]].values.tolist()
    [['prev_items', '0', 'zero'], ['change', '+8', 'number'], ['decisions', '0', 'zero']]
    """
    reps = _reports(report, "parse_tables")
    if len(reps) == 1:
        return _one(reps[0])
    return _tables_frame([_records(r) for r in reps])


def table_schema() -> pd.DataFrame:
    """Every canonical key of the tables with its Chinese label.

    Returns
    -------
    DataFrame
        Columns ``table`` (2/3/4), ``part`` (``block``, ``row`` or ``column``), ``key``,
        ``block`` (the block a row belongs to), ``label`` (Chinese) and ``era`` (``both``,
        ``2019`` or ``2021``: the format(s) that have it).

    Examples
    --------
    >>> s = table_schema()
    >>> s[(s.table == 3) & (s.part == "row")].shape[0]
    26
    >>> s.set_index("key").loc["t3.denied.state_secret", "label"]
    '(三)不予公开 1.属于国家秘密'
    """
    recs = []
    for b, lab in _T2_BLOCKS.items():
        recs.append((2, "block", b, b, lab, "2019" if b == "art20_9" else "both"))
    for k, b, lab, _ in _T2_ROWS:
        recs.append((2, "row", k, b, lab, "2019" if "2019" in lab else "both"))
    for k, era, lab, _ in _T2_COLS:
        recs.append((2, "column", k, "", lab, era))
    for b, lab in (("intake", "一、二 (新收, 结转)"), ("outcome", "三、本年度办理结果"),
                   ("carry_forward", "四、结转下年度继续办理")):
        recs.append((3, "block", b, b, lab, "both"))
    for k, b, _g, lab, _ in _T3_ROWS:
        era = "2019" if k == "t3.other_processing" else ("2021" if k.startswith("t3.other_processing.") else "both")
        recs.append((3, "row", k, b, lab, era))
    for k, lab in _T3_COLS:
        recs.append((3, "column", k, "", lab, "both"))
    for b, lab in _T4_BLOCKS:
        recs.append((4, "block", b, b, lab, "both"))
        recs.append((4, "row", f"t4.{b}", b, lab, "both"))
    for k, lab in _T4_COLS:
        recs.append((4, "column", k, "", lab, "both"))
    return pd.DataFrame(recs, columns=["table", "part", "key", "block", "label", "era"]).astype({"table": "int64"})


# --------------------------------------------------------------------------------------------
# public: checks

_T3_LEAVES_COMMON = [k for k, *_ in _T3_ROWS if k in (
    "t3.granted", "t3.partial") or k.startswith(("t3.denied.", "t3.unavailable.", "t3.not_processed."))]


def _status(vals: list[float | None]) -> bool:
    # (the terms are floats or None: ``v == v`` is ``not np.isnan(v)``)
    return all(v is not None and v == v for v in vals)


def _check_one(df: pd.DataFrame, rid: str) -> list[tuple]:
    cells = {(r.table, r.row, r.column): (r.value, r.kind) for r in df.itertuples(index=False)}
    return _check_cells(cells, rid)


def _check_cells(cells: dict, rid: str) -> list[tuple]:
    """The check rows of one report from its cells ``{(table, row, column): (value, kind)}``."""
    out: list[tuple] = []

    def val(table: int, row: str, col: str) -> float | None:
        v = cells.get((table, row, col))
        if v is None or v[1] not in ("number", "zero"):
            return None
        return float(v[0])

    def rule(name: str, table: int, block: str, row: str, col: str, terms: list[float | None], total: float | None,
             rhs_terms: list[float | None] | None = None) -> None:
        st = _status(terms)
        exp = float(sum(terms)) if st else np.nan
        if rhs_terms is not None:
            st_rhs = _status(rhs_terms)
            ok = st and st_rhs
            act = float(sum(rhs_terms)) if st_rhs else np.nan
        else:
            ok = st and total is not None
            act = float(total) if total is not None else np.nan
        status = "not_assessable" if not ok else ("pass" if abs(exp - act) < 1e-9 else "fail")
        out.append((rid, name, table, block, row, col, exp, act, status))

    rows3 = {r for (t, r, _c) in cells if t == 3}
    if rows3:
        if "t3.other_processing" in rows3:
            leaves = _T3_LEAVES_COMMON + ["t3.other_processing"]
        else:
            leaves = _T3_LEAVES_COMMON + [k for k, *_ in _T3_ROWS if k.startswith("t3.other_processing.")]
        for c in _T3_COL_KEYS:
            rule("R3.1", 3, "", "", c, [val(3, "t3.new", c), val(3, "t3.carried_over", c)], None,
                 [val(3, "t3.total", c), val(3, "t3.carry_forward", c)])
        for c in _T3_COL_KEYS:
            rule("R3.2", 3, "outcome", "t3.total", c, [val(3, k, c) for k in leaves], val(3, "t3.total", c))
        for r in sorted(rows3, key=lambda k: _T3_ORDER.get(k, 99)):
            rule("R3.3", 3, _T3_BLOCK.get(r, ""), r, "total", [val(3, r, c) for c in _T3_APPLICANT], val(3, r, "total"))
        for r in sorted(rows3, key=lambda k: _T3_ORDER.get(k, 99)):
            for c in _T3_COL_KEYS:
                _nonneg(out, cells, rid, "R3.4", 3, _T3_BLOCK.get(r, ""), r, c)
    blocks4 = {r for (t, r, _c) in cells if t == 4}
    if blocks4:
        for b, _ in _T4_BLOCKS:
            row = f"t4.{b}"
            rule("R4.1", 4, b, row, "total", [val(4, row, c) for c in _T4_COL_KEYS[:4]], val(4, row, "total"))
        for b, _ in _T4_BLOCKS:
            for c in _T4_COL_KEYS:
                _nonneg(out, cells, rid, "R4.2", 4, b, f"t4.{b}", c)
    return out


def _nonneg(out: list, cells: dict, rid: str, name: str, table: int, block: str, row: str, col: str) -> None:
    v = cells.get((table, row, col))
    if v is None or v[1] in ("empty", "dash"):
        out.append((rid, name, table, block, row, col, np.nan, np.nan, "not_assessable"))
        return
    value, kind = v
    ok = kind in ("number", "zero") and float(value) >= 0 and float(value).is_integer()
    out.append((rid, name, table, block, row, col, np.nan, float(value) if kind in ("number", "zero") else np.nan,
                "pass" if ok else "fail"))


def check_tables(report) -> pd.DataFrame:
    """Accounting checks of tables 3 and 4.

    Rules (format.md §5):

    * ``R3.1`` per column: 一 + 二 (``expected``) = 三(七)总计 + 四 (``actual``) -- the
      identity printed in the table's header;
    * ``R3.2`` per column: (七)总计 (``actual``) = the sum of the outcome rows (一)-(六)
      (``expected``; 2019: (六) is one row, 2021: its three sub-rows);
    * ``R3.3`` per row: 总计 column = the sum of the six applicant columns;
    * ``R3.4`` per cell: a non-negative integer (``actual`` is the value);
    * ``R4.1`` per block of table 4: 总计 = 维持 + 纠正 + 其他 + 尚未审结;
    * ``R4.2`` per cell of table 4: a non-negative integer.

    A rule with a missing, empty or dash cell among its terms is ``not_assessable`` (missing
    values are never read as zero); a text cell fails ``R3.4``/``R4.2``. Tables the report
    does not have produce no rows.

    Parameters
    ----------
    report : Report, str, iterable of them, or a DataFrame from :func:`parse_tables`

    Returns
    -------
    DataFrame
        Columns :data:`CHECK_COLUMNS`: ``report_id``, ``rule``, ``table``, ``block``, ``row``,
        ``column``, ``expected``, ``actual`` (floats, ``nan`` when not computable) and
        ``status`` (``pass``, ``fail``, ``not_assessable``).

    Examples
    --------
    >>> from govtext.datasets import load_seeds
    >>> checks = check_tables(load_seeds()["004_3cd86ea425926f19"])
    >>> checks[checks.rule == "R4.1"][["block", "expected", "actual", "status"]].values.tolist()
    [['review', 5.0, 5.0, 'pass'], ['litigation_direct', 2.0, 2.0, 'pass'], ['litigation_after_review', 0.0, 0.0, 'pass']]
    """
    if isinstance(report, pd.DataFrame):
        missing = [c for c in ("report_id", "table", "row", "column", "value", "kind") if c not in report.columns]
        if missing:
            msg = f"The 'report' parameter of check_tables must be a frame from parse_tables; it lacks columns {missing}."
            raise InvalidParameterError(msg)
        df = report
    else:
        df = parse_tables(_reports(report, "check_tables"))
    out: list[tuple] = []
    ids = df["report_id"]
    if (ids.dtype == object or isinstance(ids.dtype, pd.StringDtype)) and len(df):
        ids = ids.tolist()
    if isinstance(ids, list) and all(type(x) is str for x in ids):
        # the groups of ``groupby("report_id", sort=False)`` (first-seen order), read from
        # the columns as lists (Python scalars, as ``itertuples`` gives them) without a frame
        # per report
        by_id: dict[str, dict] = {}
        for rid, t, r, c, v, k in zip(ids, df["table"].tolist(), df["row"].tolist(), df["column"].tolist(),
                                      df["value"].tolist(), df["kind"].tolist()):
            cells = by_id.get(rid)
            if cells is None:
                cells = by_id[rid] = {}
            cells[(t, r, c)] = (v, k)
        for rid, cells in by_id.items():
            out.extend(_check_cells(cells, rid))
    else:
        for rid, part in df.groupby("report_id", sort=False):
            out.extend(_check_one(part, rid))
    if out:
        return _frame(out, CHECK_COLUMNS, _CHECK_DTYPES)
    res = pd.DataFrame(out, columns=CHECK_COLUMNS)
    return res.astype(_CHECK_DTYPES)


_CHECK_DTYPES = {"table": "int64", "expected": "float64", "actual": "float64"}


# --------------------------------------------------------------------------------------------
# prose facts (2008-2018 and everything else)

_NUMTOK = r"(\d+(?:,\d{3})*(?:\.\d+)?)"
_FACT_PATTERNS: list[tuple[str, re.Pattern, str | None]] = [
    ("proactive_cumulative", re.compile(r"历年累计主动公开(?:政府)?信息(?:共|共计)?" + _NUMTOK + r"(条|件|项|篇)"), None),
    ("proactive", re.compile(r"主动公开(?:了)?(?:的)?(?:政府)?(?:信息|政府信息)(?:数|总数|数量)?(?:共|共计|累计|合计|总计)?(?:为|达)?"
                             + _NUMTOK + r"(条|件|项|篇)"), None),
    ("proactive", re.compile(r"(?:共|共计|累计)主动公开(?:了)?(?:政府)?(?:信息)?" + _NUMTOK + r"(条|件|项|篇)"), None),
    ("disclosed", re.compile(r"(?<!主动)(?<!历年累计)(?:共|共计|累计)公开(?:了)?(?:政府)?信息(?:共)?" + _NUMTOK + r"(条|件|项|篇)"), None),
    ("requests_received", re.compile(r"(?:受理|收到|接到|接收)(?:了)?(?:各类)?(?:政府信息公开|信息公开|依申请公开)?(?:的)?申请(?:共|共计)?(?:为)?"
                                     + _NUMTOK + r"(件|宗|条|个|次|份)"), None),
    ("requests_received", re.compile(r"(?:受理|收到)(?:政府)?信息公开申请" + _NUMTOK + r"(件|宗)"), None),
    ("requests_received", re.compile(r"(?:未|没有)(?:群众|公民|申请人)?(?:受理|收到|接到|提出)(?:过)?(?:任何)?[^,。;\n]{0,14}?"
                                     r"(?:政府信息公开|依申请公开|公开政府信息)[^,。;\n]{0,12}?(?:申请|事项|请求)"), "0"),
    ("requests_carried_over", re.compile(r"上年度?结转(?:的)?(?:政府信息公开)?申请" + _NUMTOK + r"(件|宗|条)"), None),
    ("requests_denied", re.compile(r"[“\"]?不予公开[”\"]?的" + _NUMTOK + r"(件|宗|条)"), None),
    ("fees", re.compile(r"(?:收取|收费|信息处理费)(?:为|共|金额为?)?" + _NUMTOK + r"(万元|元)"), None),
    ("fees", re.compile(r"信息处理费为" + r"(0)(?!\d)"), "0"),
    ("fees", re.compile(r"(?:未|不|没有)收取(?:任何)?(?:信息处理费|费用)"), "0"),
    ("fees", re.compile(r"信息处理费[^,。;\n]{0,6}?(?:为0|为零)"), "0"),
]


def extract_facts(report) -> pd.DataFrame:
    """Counts stated in prose, with their spans.

    Facts: ``proactive`` (主动公开政府信息N条), ``proactive_cumulative`` (历年累计主动公开…N条),
    ``disclosed`` (共公开政府信息N条, not said to be proactive), ``requests_received``
    (受理/收到…申请N件/宗; ``未受理…申请`` → 0), ``requests_carried_over`` (上年结转…N件),
    ``requests_denied`` (不予公开的N件), ``fees`` (收费N元, 信息处理费为0, 未收取任何费用 → 0).
    Text inside table regions is skipped.

    Parameters
    ----------
    report : Report, str, or an iterable of them

    Returns
    -------
    DataFrame
        Columns :data:`FACT_COLUMNS`: ``report_id``, ``fact``, ``value`` (float), ``unit``
        (``条``, ``件``, ``宗``, ``元``, ``万元``... or ``None`` for a stated absence),
        ``start``, ``end`` (span in ``report.text``) and ``text`` (the matched words), in
        text order.

    Examples
    --------
    >>> from govtext.datasets import load_seeds
    >>> facts = extract_facts(load_seeds()["003_aad2c66ccec4c55e#1"])
    >>> facts[["fact", "value", "unit"]].values.tolist()
    [['proactive', 70.0, '条'], ['requests_received', 0.0, None], ['fees', 0.0, None]]
    """
    reps = _reports(report, "extract_facts")
    recs: list[tuple] = []
    for r in reps:
        recs.extend(_facts_records(r))
    return _facts_frame(recs)


def _facts_records(report) -> list[tuple]:
    """The rows of :func:`extract_facts` for one report, as tuples of :data:`FACT_COLUMNS`."""
    rid, src = _source_of(report)
    text = src.text
    regions = _text_regions(text)
    seen: list[tuple[int, int]] = []
    found = []
    for fact, rx, fixed in _FACT_PATTERNS:
        for m in rx.finditer(text):
            s, e = m.span()
            if any(a <= s < b for a, b in regions):
                continue
            if any(not (e <= a or s >= b) for a, b in seen):
                continue
            if fixed is not None:
                value, unit = float(fixed), None
            else:
                value, unit = float(m.group(1).replace(",", "")), m.group(2)
            seen.append((s, e))
            found.append((rid, fact, value, unit, s, e, m.group()))
    found.sort(key=lambda t: t[4])
    return found


_FACT_DTYPES = {"value": "float64", "start": "int64", "end": "int64"}


@functools.cache
def _empty_facts_template() -> pd.DataFrame:
    df = pd.DataFrame([], columns=FACT_COLUMNS).astype(_FACT_DTYPES)
    df["unit"] = df["unit"].astype(object).where(df["unit"].notna(), None)
    return df


def _facts_frame(recs: list[tuple]) -> pd.DataFrame:
    """The frame of :func:`extract_facts` from its records: strings inferred by pandas, ``unit``
    an ``object`` column with ``None`` for a stated absence."""
    if not recs:
        return _empty_facts_template().copy()
    return _frame(recs, FACT_COLUMNS, _FACT_DTYPES, objects=("unit",))
