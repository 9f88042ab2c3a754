"""Normalisation of report text, with a map from every output character back to the source.

One entry point serves everything downstream: :func:`normalize` (text + offsets + removal log)
and its plain-string twin :func:`normalize_text`. Both run the same steps, in this order:

1. :func:`clean_controls` -- ``\\r\\n``/``\\r`` to ``\\n``; zero-width characters, BOMs, soft
   hyphens and other control characters (except tab and newline) removed.
2. :func:`fold_width` -- full-width ASCII letters, digits and punctuation (U+FF01-U+FF5E) to
   ASCII; ideographic and no-break spaces to a space; Chinese punctuation unified to the
   canonical set below.
3. :func:`to_simplified` -- OpenCC ``t2s`` (the official binding) with a 16-entry dictionary in
   front of it that fixes 著→着 where mainland usage writes 着 (存在著→存在着, 著重→着重, ...). Never
   ``tw2s`` or the phrase configs, which rewrite already-simplified text (显著→显着, 文件→文档).
4. :func:`remove_debris` -- web-scrape debris: pipe runs and pipe-only lines (a pipe run between
   two cells on one line becomes a tab, the cell separator), CMS page-info lines
   (``2024-01-22 点击数:``), page chrome (``【关闭窗口】``, ``扫一扫在手机上查看当前页面``,
   ``字号:大 中 小``, ``打印``), the ``索引号/发布机构/文号/有效性`` header block (its values are kept
   as metadata candidates) and content-farm prefaces (``前言:本站为你精心整理…``). Every removal
   is recorded with its source span.
5. :func:`remove_spaces` -- spaces next to Chinese characters removed (``2023 年`` → ``2023年``,
   ``自 然 人`` → ``自然人``); spaces between two non-Chinese characters (``PDF file``) kept.
6. :func:`normalize_whitespace` -- horizontal whitespace around tabs collapsed to one tab, leading
   and trailing spaces of lines removed, runs of spaces collapsed, at most one blank line.

Canonical punctuation after normalisation: ASCII ``, : ; ( ) ! ? . [ ] -`` and the Chinese marks
``。 、 “ ” ‘ ’ 《 》 〈 〉 【 】 〔 〕 … — ·`` (``「」`` become ``“”`` and ``『』`` become ``‘’``).

Every step is a pure ``str -> str`` function; :func:`make_pipeline` composes them. Normalising
twice changes nothing, and on simplified input no Han character changes.

Examples
--------
>>> from govtext.normalize import normalize_text, normalize
>>> normalize_text("平昌关镇 2023 年政府信息公開工作年度報告")
'平昌关镇2023年政府信息公开工作年度报告'
>>> normalize_text("存在著問題，需要著重解決。")
'存在着问题,需要着重解决。'
>>> n = normalize("自 然 人 |\\n|||\\n69 |")
>>> n.text
'自然人\\n69'
>>> [r.kind for r in n.removed]
['pipes', 'pipes', 'pipes']
"""

from __future__ import annotations

import functools
import json
import os
import re
import tempfile
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from govtext._offsets import Edit, Tracked, apply_edits, identity

__all__ = [
    "Normalized",
    "Removed",
    "clean_controls",
    "detect_script",
    "fold_width",
    "make_pipeline",
    "normalize",
    "normalize_text",
    "normalize_whitespace",
    "remove_debris",
    "remove_spaces",
    "to_simplified",
]

# --------------------------------------------------------------------------------------------
# character classes

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
CJK_PUNCT = "。、“”‘’《》〈〉【】〔〕…—·"
_WIDE = HAN + CJK_PUNCT
_WIDE_RE = re.compile(f"[{_WIDE}]")
_HAN_RE = re.compile(f"[{HAN}]")


# --------------------------------------------------------------------------------------------
# records


@dataclass(frozen=True)
class Removed:
    """A piece of source text removed as debris.

    Attributes
    ----------
    start, end : int
        Span in the source text (half-open).
    kind : str
        ``pipes``, ``page_info``, ``chrome``, ``header`` or ``content_farm``.
    text : str
        The removed source characters, ``source[start:end]``.
    """

    start: int
    end: int
    kind: str
    text: str


@dataclass(frozen=True)
class Normalized:
    """Result of :func:`normalize`.

    ``text[i]`` came from ``source[starts[i]:ends[i]]`` (``source`` being the string given to
    :func:`normalize`). ``header`` holds the values of a removed ``索引号/发布机构/文号``
    header block (metadata candidates), keyed by canonical field names.
    """

    text: str
    starts: np.ndarray = field(repr=False)
    ends: np.ndarray = field(repr=False)
    removed: tuple[Removed, ...] = ()
    header: tuple[tuple[str, str], ...] = ()
    warnings: tuple[str, ...] = ()

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Source span of ``text[start:end]``."""
        return Tracked(self.text, self.starts, self.ends).source_span(start, end)


# --------------------------------------------------------------------------------------------
# step machinery: each step is an edit generator over a Tracked text; the public str -> str
# functions are derived from it, so the offset-tracking and the plain versions cannot drift.


@dataclass(frozen=True)
class _Step:
    name: str
    run: Callable[[Tracked], tuple[Tracked, list]]
    edits: Callable[[str], Iterable[tuple]] | None = None  # text-only fast path, when offsets are not needed

    def __call__(self, text: str) -> str:
        if self.edits is not None:
            return _splice(text, self.edits(text))
        return self.run(identity(text))[0].text


def _splice(text: str, edits: Iterable[tuple]) -> str:
    """Apply sorted, non-overlapping ``(start, end, replacement, kind)`` edits to a plain string."""
    pieces: list[str] = []
    prev = 0
    for a, b, rep, _kind in edits:
        pieces.append(text[prev:a])
        pieces.append(rep)
        prev = b
    if not pieces:
        return text
    pieces.append(text[prev:])
    return "".join(pieces)


def _edit_step(edits_fn: Callable[[str], Iterable[Edit]]) -> Callable[[Tracked], tuple[Tracked, list]]:
    def run(tr: Tracked) -> tuple[Tracked, list]:
        return apply_edits(tr, edits_fn(tr.text))

    return run


# --------------------------------------------------------------------------------------------
# 1. control characters

_CONTROL_RE = re.compile(
    "\r\n?|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\u00ad]|[\u2028\u2029\x85]"
)
_CONTROL_CPS = np.array(
    [c for c in range(0x20) if c not in (9, 10)] + [0x7F, 0x85, 0xAD, 0xFEFF, 0x2028, 0x2029]
    + list(range(0x200B, 0x2010)) + list(range(0x202A, 0x202F)) + list(range(0x2060, 0x2065)),
    dtype=np.uint32,
)


def _codepoints(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


# Character classes of the Basic Multilingual Plane as a lookup table (bit 1: control or
# zero-width character to drop; bit 2: Chinese character or Chinese punctuation).
_BMP = np.zeros(0x10000, dtype=np.uint8)
_BMP[_CONTROL_CPS] |= 1
for _lo, _hi in ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF)):
    _BMP[_lo:_hi + 1] |= 2
_BMP[[ord(c) for c in CJK_PUNCT]] |= 2


def _classes(cp: np.ndarray) -> np.ndarray:
    flags = _BMP[np.minimum(cp, 0xFFFF)]
    astral = cp > 0xFFFF
    if astral.any():
        flags = flags.copy()
        flags[astral] = np.where((cp[astral] >= 0x20000) & (cp[astral] <= 0x3134F), 2, 0)
    return flags


def _control_edits(text: str) -> list[tuple]:
    # Vectorised search (a regex character class costs ~25 ns a character in CPython's engine);
    # the few hits are then handled by the exact regex.
    if text.isascii() and text.isprintable():
        return []
    cp = _codepoints(text)
    hits = np.flatnonzero(_classes(cp) & 1)
    edits = []
    last = -1
    for i in hits.tolist():
        if i < last:
            continue
        m = _CONTROL_RE.match(text, i)
        if m is None:  # pragma: no cover - the two definitions agree
            continue
        c = m.group()
        edits.append((m.start(), m.end(), "\n" if c[0] in "\r\u2028\u2029\x85" else "", None))
        last = m.end()
    return edits


_clean_controls = _Step("clean_controls", _edit_step(_control_edits), _control_edits)


def clean_controls(text: str) -> str:
    """Unify line ends to ``\\n`` and drop zero-width and control characters (not tab/newline).

    >>> clean_controls("a\\r\\nb\\u200bc\\ufeff")
    'a\\nbc'
    """
    return _clean_controls(text)


# --------------------------------------------------------------------------------------------
# 2. width folding and punctuation

_WIDTH_TABLE: dict[int, str] = {cp: chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)}
_WIDTH_TABLE.update(
    {
        0x3000: " ",  # ideographic space
        0x00A0: " ",
        0x2002: " ", 0x2003: " ", 0x2004: " ", 0x2005: " ", 0x2006: " ",
        0x2007: " ", 0x2008: " ", 0x2009: " ", 0x200A: " ", 0x202F: " ", 0x205F: " ",
        0xFF61: "。",  # halfwidth ideographic full stop
        0xFF62: "“", 0xFF63: "”", 0xFF64: "、",
        0x300C: "“", 0x300D: "”", 0x300E: "‘", 0x300F: "’",  # 「」『』
        0x301D: "“", 0x301E: "”", 0x301F: "”",  # 〝〞〟
        0xFE50: ",", 0xFE51: "、", 0xFE52: ".", 0xFE54: ";", 0xFE55: ":", 0xFE56: "?",
        0xFE57: "!", 0xFE59: "(", 0xFE5A: ")", 0xFE5D: "〔", 0xFE5E: "〕",
        0xFE35: "(", 0xFE36: ")",
        0x2015: "—", 0x2500: "—", 0x2014: "—",
        0x22EF: "…",
        0x2022: "·", 0x30FB: "·", 0x2027: "·", 0x00B7: "·",
        0xFFE5: "¥",
    }
)

_FOLD_FROM = np.array(sorted(_WIDTH_TABLE), dtype=np.uint32)
_FOLD_TO = np.array([ord(_WIDTH_TABLE[c]) for c in sorted(_WIDTH_TABLE)], dtype=np.uint32)


def _fold_text(text: str) -> str:
    # One character for one (so offsets are unchanged), done on code points with numpy.
    if text.isascii():
        return text
    cp = _codepoints(text)
    idx = np.searchsorted(_FOLD_FROM, cp)
    idx[idx == len(_FOLD_FROM)] = 0
    hit = _FOLD_FROM[idx] == cp
    if not hit.any():
        return text
    out = cp.copy()
    out[hit] = _FOLD_TO[idx[hit]]
    return out.tobytes().decode("utf-32-le")


def _fold_run(tr: Tracked) -> tuple[Tracked, list]:
    return Tracked(_fold_text(tr.text), tr.starts, tr.ends), []


_fold_width = _Step("fold_width", _fold_run)


def fold_width(text: str) -> str:
    """Fold full-width ASCII to ASCII and unify Chinese punctuation (one character for one).

    >>> fold_width("（一）主动公开：２０２３年，「三到位」")
    '(一)主动公开:2023年,“三到位”'
    """
    return _fold_text(text)


# --------------------------------------------------------------------------------------------
# 3. traditional -> simplified

# Stock OpenCC t2s keeps 著 where mainland usage writes 着 (docs/explanation/dependencies.md).
_T2S_FIX = """著重	着重
存在著	存在着
隨著	随着
随著	随着
著手	着手
意味著	意味着
有著	有着
沿著	沿着
朝著	朝着
接著	接着
本著	本着
圍繞著	围绕着
围绕著	围绕着
著力	着力
著眼	着眼
甚麼	什么
"""

_cc_lock = threading.Lock()


@functools.lru_cache(maxsize=None)
def _opencc(kind: str) -> Any:
    """OpenCC converters, built once per process (``t2s`` with the 著 fix, or stock ``s2t``)."""
    import opencc

    if kind == "s2t":
        return opencc.OpenCC("s2t")
    share = os.path.join(os.path.dirname(opencc.__file__), "clib", "share", "opencc")
    stock = os.path.join(share, "t2s.json")
    if not os.path.isfile(stock):  # unusual layout: fall back to the stock config without the fix
        return opencc.OpenCC("t2s")
    with open(stock, encoding="utf-8") as fh:
        cfg = json.load(fh)
    d = tempfile.mkdtemp(prefix="govtext-opencc-")
    fix = os.path.join(d, "govtext_t2s_fix.txt")
    with open(fix, "w", encoding="utf-8") as fh:
        fh.write(_T2S_FIX)

    def absolutise(node: Any) -> Any:
        if isinstance(node, dict):
            out = {k: absolutise(v) for k, v in node.items()}
            if "file" in out and not os.path.isabs(out["file"]):
                out["file"] = os.path.join(share, out["file"])
            return out
        if isinstance(node, list):
            return [absolutise(x) for x in node]
        return node

    cfg = absolutise(cfg)
    group = cfg["conversion_chain"][0]["dict"]
    group["dicts"].insert(0, {"type": "text", "file": fix})
    cfg["name"] = "govtext t2s (OpenCC t2s + 著→着 fix)"
    path = os.path.join(d, "govtext_t2s.json")
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(cfg, fh, ensure_ascii=False)
    return opencc.OpenCC(path)


def _convert(kind: str, text: str) -> str:
    cc = _opencc(kind)
    with _cc_lock:  # the C++ converter is not documented as thread-safe
        return cc.convert(text)


_CLAUSE_RE = re.compile(r"[^\n。,;:!?、]+")


def _t2s_run(tr: Tracked) -> tuple[Tracked, list]:
    text = tr.text
    out = _convert("t2s", text)
    if out == text:
        return tr, []
    if len(out) == len(text):  # the usual case: one character for one
        return Tracked(out, tr.starts, tr.ends), []
    # A phrase changed length somewhere: convert clause by clause so that only the clauses that
    # changed length get a coarse (whole-clause) source map.
    edits = []
    for m in _CLAUSE_RE.finditer(text):
        c = _convert("t2s", m.group())
        if c == m.group():
            continue
        if len(c) == len(m.group()):
            base = m.start()
            edits.extend(
                (base + i, base + i + 1, b, None) for i, (a, b) in enumerate(zip(m.group(), c)) if a != b
            )
        else:
            edits.append((m.start(), m.end(), c, None))
    return apply_edits(tr, edits)


_to_simplified = _Step("to_simplified", _t2s_run)


def to_simplified(text: str) -> str:
    """Convert traditional characters to simplified (OpenCC ``t2s`` plus the 著→着 fix).

    Already-simplified text is returned unchanged.

    >>> to_simplified("政府信息公開工作存在著不足")
    '政府信息公开工作存在着不足'
    """
    return _to_simplified(text)


def detect_script(text: str) -> str:
    """Classify a text as ``"simplified"``, ``"traditional"`` or ``"mixed"``.

    Counts the Han characters that ``t2s`` would change (traditional forms) and those ``s2t``
    would change (simplified forms); a text is traditional when at least 80 % of its
    script-specific characters are traditional, simplified when at most 20 % are, mixed
    otherwise. Texts without script-specific characters count as simplified.

    >>> detect_script("政府信息公开"), detect_script("政府信息公開"), detect_script("开開开開")
    ('simplified', 'traditional', 'mixed')
    """
    han = "".join(_HAN_RE.findall(text))
    if not han:
        return "simplified"
    a = np.frombuffer(han.encode("utf-32-le"), dtype=np.uint32)

    def changed(kind: str) -> int:
        out = _convert(kind, han)
        if len(out) != len(han):
            return sum(x != y for x, y in zip(han, out))
        return int(np.count_nonzero(a != np.frombuffer(out.encode("utf-32-le"), dtype=np.uint32)))

    t = changed("t2s")
    if t == 0:
        return "simplified"
    s = changed("s2t")
    share = t / (t + s)
    if share >= 0.8:
        return "traditional"
    if share <= 0.2:
        return "simplified"
    return "mixed"


# --------------------------------------------------------------------------------------------
# 4. scrape debris


def _spaced(word: str) -> str:
    """Regex for a label that publishers letter-space (``索 引 号``)."""
    return r"[ \t]*".join(re.escape(ch) for ch in word)


# Header-block fields: canonical name -> written labels. Distinctive labels alone mark a line as
# header; the generic ones (标题, 文号, 来源, 时效) only count on a line or block that also has a
# distinctive one.
_HEADER_FIELDS = {
    "index_no": ["索引号"],
    "doc_number": ["备注/文号", "文号", "发文字号"],
    "publisher": ["发布机构", "发文机关", "发文单位", "公开责任部门"],
    "created": ["公文生成日期", "生成日期", "成文日期"],
    "published": ["发布日期", "公开日期", "发布时间"],
    "validity": ["有效性", "时效"],
    "category": ["信息分类", "主题分类", "体裁分类", "组配分类", "分类"],
    "title": ["标题", "名称"],
    "disclosure": ["公开方式", "公开范围", "公开形式"],
    "source": ["来源", "信息来源"],
    "keywords": ["关键词", "主题词"],
}
_DISTINCTIVE = {"索引号", "备注/文号", "发布机构", "公文生成日期", "成文日期", "有效性", "信息分类",
                "主题分类", "体裁分类", "组配分类", "公开方式", "公开范围", "发文机关", "发文字号",
                "生成日期", "公开责任部门"}
_LABEL_TO_FIELD = {lab: f for f, labs in _HEADER_FIELDS.items() for lab in labs}
_LABELS = sorted(_LABEL_TO_FIELD, key=len, reverse=True)
_LABEL_ALT = "|".join(_spaced(lab) for lab in _LABELS)
_LABEL_RE = re.compile(rf"(?:^|(?<=[ \t]))(?:[-•·*][ \t]*)?({_LABEL_ALT})[ \t]*:")
_HEADER_LINE_RE = re.compile(rf"^[ \t]*(?:[-•·*][ \t]*)?(?:{_LABEL_ALT})[ \t]*:[^\n]*$", re.M)

# Every optional group starts with a non-space character and ends with its own trailing
# spaces, so no two space runs compete (no quadratic backtracking on long runs of spaces).
_PAGE_INFO_RE = re.compile(
    r"^[ \t]*(?:(?:发布|更新)(?:时间|日期)[ \t]*:[ \t]*)?"
    r"(?:(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:[ \t]+\d{1,2}:\d{2}(?::\d{2})?)?)[ \t]*)?"
    r"(?:(?:作者|来源|信息来源|浏览次数|访问量)[ \t]*:[^\n\t ]{0,40}[ \t]*)*"
    r"(?:(?:点击数|点击量|浏览次数|阅读次数|访问次数)[ \t]*(?::[ \t]*)?\d*|字体大小[ \t]*(?::[ \t]*)?(?:[大中小][ \t]*)*)[ \t|]*$",
    re.M,
)
_PAGE_INFO_CUE_RE = re.compile(r"点击数|点击量|浏览次数|阅读次数|访问次数|字体大小")
_B_OPEN, _B_CLOSE = r"(?:[【\[][ \t]*)?", r"(?:[】\]][ \t]*)?"
# Chrome anywhere in a line (each alternative starts with a literal: fast to search).
_CHROME_RE = re.compile(
    r"【[ \t]*(?:关闭窗口|打印本页|关闭本页|打印|打印文章|关闭|返回顶部|加入收藏|我要纠错)[ \t]*】"
    r"|\[[ \t]*(?:关闭窗口|打印本页|关闭本页|打印|关闭)[ \t]*\]"
    r"|扫一扫在手机(?:上)?(?:查看|打开)当前页(?:面)?"
    rf"|字号[ \t]*(?::[ \t]*)?{_B_OPEN}大[ \t]*{_B_CLOSE}{_B_OPEN}中[ \t]*{_B_CLOSE}{_B_OPEN}小[ \t]*{_B_CLOSE}"
)
# Chrome words that count only as a whole line ("打印" inside a sentence is prose).
_CHROME_LINE_CUE_RE = re.compile(r"关闭窗口|打印本页|关闭本页|打印|简体|分享到|收藏|返回顶部")
_CHROME_LINE_RE = re.compile(r"[ \t]*(?:关闭窗口|打印本页|关闭本页|打印|简体[ \t]*(?:\|[ \t]*)?繁体|分享到:?|收藏|返回顶部)[ \t]*(?=\n|$)")
_FARM_RE = re.compile(r"^[ \t]*(?:前言[ \t]*:[ \t]*)?本站为你精心整理[^\n]*(?:\n|$)", re.M)
_PIPE_RUN_RE = re.compile(r"\|[ \t|]*")  # starts with a literal; spaces before it are added by hand


_LABEL_ANY_RE = re.compile(rf"(?:{_LABEL_ALT})[ \t]*:")


_DISTINCTIVE_PLAIN = sorted(_DISTINCTIVE) + ["索 引 号", "有 效 性", "发 布 机 构"]


def _header_edits(text: str) -> list[tuple[int, int, list[tuple[str, str]]]]:
    """Header-block lines: (start, end-with-newline, [(field, value)])."""
    # A block needs a distinctive label: look for one with fast substring tests first.
    if not any(lab in text for lab in _DISTINCTIVE_PLAIN) and not re.search(r"索[ \t]*引[ \t]*号", text[:20000]):
        return []
    found = []
    last = -1
    for hit in _LABEL_ANY_RE.finditer(text):
        ls = text.rfind("\n", 0, hit.start()) + 1
        if ls <= last:
            continue
        m = _HEADER_LINE_RE.match(text, ls)
        if not m:
            continue
        last = ls
        line = m.group()
        labels = list(_LABEL_RE.finditer(line))
        if not labels or labels[0].start() > len(line) - len(line.lstrip(" \t-•·*")) + 1:
            continue
        pairs = []
        for k, lm in enumerate(labels):
            v_end = labels[k + 1].start() if k + 1 < len(labels) else len(line)
            value = line[lm.end():v_end].strip(" \t|")
            lab = re.sub(r"[ \t]", "", lm.group(1))
            pairs.append((lab, value))
        found.append((m.start(), m.end(), pairs))
    # keep lines in blocks (consecutive lines) that contain a distinctive label
    out = []
    i = 0
    while i < len(found):
        j = i
        while j + 1 < len(found) and text[found[j][1]:found[j + 1][0]].strip() == "":
            j += 1
        block = found[i:j + 1]
        if any(lab in _DISTINCTIVE for _, _, pairs in block for lab, _ in pairs):
            for s, e, pairs in block:
                out.append((s, e, [(_LABEL_TO_FIELD[lab], v) for lab, v in pairs]))
        i = j + 1
    return out


def _debris_edits(text: str, header_sink: list | None = None) -> list[tuple]:
    spans: list[tuple[int, int, str, str]] = []  # start, end, replacement, kind
    n = len(text)

    def line_end(e: int) -> int:  # include the newline of a removed whole line
        return e + 1 if e < n and text[e] == "\n" else e

    if "本站为你精心整理" in text:
        for m in _FARM_RE.finditer(text):
            spans.append((m.start(), m.end(), "", "content_farm"))
    for s, e, pairs in _header_edits(text):
        spans.append((s, line_end(e), "", "header"))
        if header_sink is not None:
            header_sink.extend(pairs)
    done_line = -1
    for cue in _PAGE_INFO_CUE_RE.finditer(text):
        ls = text.rfind("\n", 0, cue.start()) + 1
        if ls <= done_line:
            continue
        done_line = ls
        m = _PAGE_INFO_RE.match(text, ls)
        if m:
            spans.append((m.start(), line_end(m.end()), "", "page_info"))
            if header_sink is not None and m.group(1):
                header_sink.append(("published", m.group(1)))
    for m in _CHROME_RE.finditer(text):
        spans.append((m.start(), m.end(), "", "chrome"))
    done_line = -1
    for cue in _CHROME_LINE_CUE_RE.finditer(text):
        ls = text.rfind("\n", 0, cue.start()) + 1
        if ls <= done_line:
            continue
        done_line = ls
        m = _CHROME_LINE_RE.match(text, ls)
        if m:
            spans.append((m.start(), line_end(m.end()), "", "chrome"))
    for m in _PIPE_RUN_RE.finditer(text):
        s, e = m.start(), m.end()
        while s > 0 and text[s - 1] in " \t":
            s -= 1
        at_start = s == 0 or text[s - 1] == "\n"
        at_end = e == n or text[e] == "\n"
        if at_start and at_end:  # a pipe-only line goes with its newline
            spans.append((s, line_end(e), "", "pipes"))
        else:  # between two cells it becomes the cell separator
            spans.append((s, e, "" if at_start or at_end else "\t", "pipes"))
    if not spans:
        return []
    # Resolve overlaps: sort by start, longer first; drop spans inside an accepted one.
    spans.sort(key=lambda t: (t[0], -(t[1] - t[0])))
    edits: list[Edit] = []
    pos = 0
    for s, e, rep, kind in spans:
        if s < pos:
            if e <= pos:
                continue
            s = pos  # partial overlap: trim
            if kind == "pipes" and rep:
                rep = ""
        edits.append((s, e, rep, kind))
        pos = e
    return edits


def _debris_run(tr: Tracked, header_sink: list | None = None) -> tuple[Tracked, list]:
    # Removing one piece of debris can expose another (a pipe run in front of 点击数:), so run
    # to a fixpoint; each pass removes at least one character, and in practice two passes do.
    log: list = []
    while True:
        edits = _debris_edits(tr.text, header_sink)
        if not edits:
            return tr, log
        tr, more = apply_edits(tr, edits)
        log.extend(more)


def _debris_text(text: str) -> str:
    while True:
        edits = _debris_edits(text)
        if not edits:
            return text
        text = _splice(text, edits)


_remove_debris = _Step("remove_debris", _debris_run)


def remove_debris(text: str) -> str:
    """Remove web-scrape debris (pipes, page info, chrome, header block, content-farm prefaces).

    >>> remove_debris("报告 | ||||\\n2024-01-22 点击数: |\\n正文【关闭窗口】 |")
    '报告\\n正文'
    """
    return _debris_text(text)


# --------------------------------------------------------------------------------------------
# 5. spaces next to Chinese characters

_SPACE_RUN_RE = re.compile(r" +")
def _space_edits(text: str) -> list[tuple]:
    if " " not in text:
        return []
    cp = _codepoints(text)
    sp = cp == 32
    # run starts and ends of spaces
    d = np.diff(np.concatenate(([0], sp.view(np.uint8), [0])).astype(np.int8))
    starts = np.flatnonzero(d == 1)
    ends = np.flatnonzero(d == -1)
    inner = (starts > 0) & (ends < len(cp))
    starts, ends = starts[inner], ends[inner]
    if not len(starts):
        return []
    left, right = cp[starts - 1], cp[ends]
    line_break = (left == 10) | (left == 9) | (right == 10) | (right == 9)
    keep = ((_classes(left) | _classes(right)) & 2).astype(bool) & ~line_break
    return [(a, b, "", None) for a, b in zip(starts[keep].tolist(), ends[keep].tolist())]


_remove_spaces = _Step("remove_spaces", _edit_step(_space_edits), _space_edits)


def remove_spaces(text: str) -> str:
    """Remove spaces next to Chinese characters; keep them between non-Chinese words.

    >>> remove_spaces("平昌关镇 2023 年 自 然 人 PDF file")
    '平昌关镇2023年自然人PDF file'
    """
    return _remove_spaces(text)


# --------------------------------------------------------------------------------------------
# 6. whitespace layout

_INNER_WS_RE = re.compile(r"[ \t]{2,}|\t")


def _ws_edits(text: str) -> list[tuple]:
    """Per line: strip the ends, collapse inner runs (a run with a tab becomes one tab, a run of
    spaces one space); runs of more than one blank line become one blank line."""
    edits: list[tuple] = []
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        if line:
            stripped = line.strip(" \t")
            if not stripped:
                edits.append((pos, end, "", None))
            else:
                lead = len(line) - len(line.lstrip(" \t"))
                if lead:
                    edits.append((pos, pos + lead, "", None))
                if "\t" in stripped or "  " in stripped:
                    base = pos + lead
                    for m in _INNER_WS_RE.finditer(stripped):
                        g = m.group()
                        rep = "\t" if "\t" in g else " "
                        if g != rep:
                            edits.append((base + m.start(), base + m.end(), rep, None))
                trail = len(line) - len(line.rstrip(" \t"))
                if trail:
                    edits.append((end - trail, end, "", None))
        pos = end + 1
    return edits


_NL_RUN_RE = re.compile(r"\n{3,}")


def _nl_edits(text: str) -> list[tuple]:
    if "\n\n\n" not in text:
        return []
    return [(m.start(), m.end(), "\n\n", None) for m in _NL_RUN_RE.finditer(text)]


def _ws_run(tr: Tracked) -> tuple[Tracked, list]:
    tr, _ = apply_edits(tr, _ws_edits(tr.text))
    tr, _ = apply_edits(tr, _nl_edits(tr.text))
    t = tr.text
    edits = []
    if t and not t.strip():
        edits.append((0, len(t), "", None))
    elif t:
        s = len(t) - len(t.lstrip())
        e = len(t.rstrip())
        if s:
            edits.append((0, s, "", None))
        if e < len(t):
            edits.append((e, len(t), "", None))
    if edits:
        tr, _ = apply_edits(tr, edits)
    return tr, []


_normalize_whitespace = _Step("normalize_whitespace", _ws_run)


def normalize_whitespace(text: str) -> str:
    """Tidy horizontal whitespace and blank lines.

    >>> normalize_whitespace("  a  b \\t c\\n\\n\\n\\nd  ")
    'a b\\tc\\n\\nd'
    """
    text = _splice(text, _ws_edits(text))
    return _splice(text, _nl_edits(text)).strip()


# --------------------------------------------------------------------------------------------
# warnings

_PINYIN_GLOSS_RE = re.compile(f"[{HAN}]\\([a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]{{1,6}}\\)")
_SPAM_RE = re.compile(
    r"娱乐城|博彩|百家乐|时时彩|六合彩|彩票|赌场|赌博|老虎机|真人荷官|葡京|威尼斯人|太阳城|bet ?365|bet3365|"
    r"亚洲国产|精品视频|成人|av在线|无码|免费视频|手机下载_",
    re.I,
)
_SPAM_CUES = ("娱乐", "博彩", "百家乐", "彩", "赌", "老虎机", "荷官", "葡京", "威尼斯人", "太阳城", "亚洲国产",
               "精品视频", "成人", "av在线", "无码", "免费视频", "手机下载_", "AV在线")
_MOJIBAKE_RE = re.compile(r"\?,[A-Z](?<=[^\x00-\x7f]\?,[A-Z])|\ufffd")


_GLOSS_TAIL_RE = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]{1,6}\)")


def _warnings(text: str) -> list[str]:
    """Flag spam lines (casino/lottery ads, pinyin glosses) and mojibake; never modify text.

    Scans the whole text once per pattern (each starts with a literal, which the regex engine
    searches fast) and reports line numbers only for the hits.
    """
    hits: dict[int, list[str]] = {}

    def line_of(pos: int) -> int:
        return text.count("\n", 0, pos)

    gloss_lines: dict[int, int] = {}
    for m in _GLOSS_TAIL_RE.finditer(text):
        if m.start() and _HAN_RE.match(text[m.start() - 1]):
            ln = line_of(m.start())
            gloss_lines[ln] = gloss_lines.get(ln, 0) + 1
    for ln, k in gloss_lines.items():
        if k >= 2:
            hits.setdefault(ln, []).append("spam: pinyin glosses")
    spammy = any(k in text for k in _SPAM_CUES) or ("et" in text.lower() and "bet" in text.lower())
    for m in _SPAM_RE.finditer(text) if spammy else ():
        ln = line_of(m.start())
        note = f"spam: {m.group()!r}"
        if note not in hits.get(ln, []):
            hits.setdefault(ln, []).append(note)
    for m in _MOJIBAKE_RE.finditer(text):
        ln = line_of(m.start())
        if "mojibake: damaged characters" not in hits.get(ln, []):
            hits.setdefault(ln, []).append("mojibake: damaged characters")
    if not hits:
        return []
    lines = text.split("\n")
    return [f"{note} on line {ln + 1}: {lines[ln][:40]!r}" for ln in sorted(hits) for note in hits[ln]]


# --------------------------------------------------------------------------------------------
# pipeline

_STEPS: tuple[_Step, ...] = (
    _clean_controls,
    _fold_width,
    _to_simplified,
    _remove_debris,
    _remove_spaces,
    _normalize_whitespace,
)


def make_pipeline(*steps: Callable[[str], str]) -> Callable[[str], str]:
    """Compose ``str -> str`` steps left to right.

    >>> tidy = make_pipeline(fold_width, remove_spaces)
    >>> tidy("２０２３ 年")
    '2023年'
    """

    def pipeline(text: str) -> str:
        for step in steps:
            text = step(text)
        return text

    return pipeline


def normalize(text: str) -> Normalized:
    """Normalise a text and keep the map back to it.

    Parameters
    ----------
    text : str
        Source text (decoded).

    Returns
    -------
    Normalized
        ``text``, per-character source ranges ``starts``/``ends``, the debris ``removed``
        (source spans), ``header`` metadata candidates and data-quality ``warnings``
        (spam lines, mojibake).

    Examples
    --------
    >>> n = normalize("- 索 引 号:\\n- 发布机构:峰市镇\\n一、总体情况 2020年")
    >>> n.text
    '一、总体情况2020年'
    >>> dict(n.header)["publisher"]
    '峰市镇'
    >>> s, e = n.source_span(0, 6)
    >>> "- 索 引 号:\\n- 发布机构:峰市镇\\n一、总体情况 2020年"[s:e]
    '一、总体情况'
    """
    if not isinstance(text, str):
        from govtext.exceptions import InvalidParameterError

        msg = f"normalize() expects a str. Got {type(text).__name__} instead."
        raise InvalidParameterError(msg)
    tr = identity(text)
    removed: list[Removed] = []
    header: list[tuple[str, str]] = []
    for step in _STEPS:
        if step is _remove_debris:
            tr, log = _debris_run(tr, header)
        else:
            tr, log = step.run(tr)
        for a, b, kind, _ in log:
            removed.append(Removed(a, b, kind, text[a:b]))
    removed.sort(key=lambda r: (r.start, r.end))
    return Normalized(
        tr.text,
        tr.starts,
        tr.ends,
        tuple(removed),
        tuple((k, v) for k, v in header),
        tuple(_warnings(tr.text)),
    )


def normalize_text(text: str) -> str:
    """Normalise a text (the plain-string form of :func:`normalize`).

    >>> normalize_text("三是公開的內容和形式還不夠豐富 |")
    '三是公开的内容和形式还不够丰富'
    """
    if not isinstance(text, str):
        from govtext.exceptions import InvalidParameterError

        msg = f"normalize_text() expects a str. Got {type(text).__name__} instead."
        raise InvalidParameterError(msg)
    text = clean_controls(text)
    text = fold_width(text)
    text = to_simplified(text)
    text = remove_debris(text)
    text = remove_spaces(text)
    return normalize_whitespace(text)
