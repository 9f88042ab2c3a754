"""Sections of a report: canonical keys for the parts every era writes differently.

:func:`split_sections` finds the headings of a report (``一、`` / ``(一)`` / ``1.`` / ``1、`` /
``第一部分``, with or without numbers, on their own line or glued into the middle of a line)
and keys each one against a lexicon of canonical topics (:data:`SECTION_KEYS`):
``overview``, ``proactive``, ``requests``, ``fees``, ``appeals``, ``problems``, ``plans``,
``other``; headings naming none of them keep their text and get ``unknown``. The top-level
sections tile the text: what precedes the first heading is the ``preamble`` and a trailing
signature block (agency name and date) is the ``closing``.

How headings are told apart from prose
--------------------------------------
* ``一、`` headings at the start of a line count when they name a topic or are short (a whole
  line of at most 40 characters, or a phrase ending in ``。``/``:`` within 30 characters);
  in the middle of a line (seed 000 has its whole body on one line) only after a sentence end
  and only when they name a topic. The heading then ends where the lexicon match ends
  (``一、总体情况2023年方城镇…`` → ``一、总体情况``).
* The top level is the best increasing run of numbers (a dynamic programme that rewards named
  topics and penalises gaps), so a numbering that restarts inside 总体情况 is nested, and a
  missing part (``二、`` absent in seed 000) does not break the run.
* ``(一)`` sub-headings count at the start of a line, or anywhere when they name a topic;
  ``1.``/``1、`` items only when they name a topic, so enumerations in prose (``1.信息公开不及时。``,
  ``一是…二是…``) are not headings.
* Table rows (``一、本年新收政府信息公开申请数量``) are never headings: the spans of
  :func:`govtext.tables.table_regions` are skipped.

Examples
--------
>>> from govtext.datasets import load_seeds
>>> report = load_seeds()["004_3cd86ea425926f19"]
>>> [s.key for s in report.sections]
['preamble', 'overview', 'proactive', 'requests', 'appeals', 'problems', 'other', 'closing']
>>> [c.key for c in report.sections[1].children]
['proactive', 'requests', 'management', 'platform', 'supervision']
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pandas as pd

from govtext._headings import (
    SECTION_KEYS,
    TABLE_LABEL_RE,
    TOP_KEYS,
    Topic,
    cn_to_int,
    match_topic,
)
from govtext.exceptions import InvalidParameterError

__all__ = [
    "SECTION_KEYS",
    "SECTIONS_COLUMNS",
    "Section",
    "find_sections",
    "section_at",
    "sections_frame",
    "split_sections",
]

#: Columns of :func:`sections_frame`.
SECTIONS_COLUMNS = ["report_id", "index", "key", "heading", "number", "level", "start",
                    "heading_end", "end", "parent", "parent_key"]


@dataclass(frozen=True)
class Section:
    """One section of a report.

    Attributes
    ----------
    key : str
        Canonical key (see :data:`SECTION_KEYS`); ``unknown`` for a heading that names no topic.
    heading : str
        The heading as written (``report.text[start:heading_end]``), number included;
        ``""`` for the preamble, the closing and unnumbered bodies.
    start, end : int
        Span of the whole section (heading and body) in ``report.text``.
    level : int
        Depth: 1 for top-level sections, 2 for their children, ...
    number : str
        The number as written (``"一、"``, ``"(一)"``, ``"1、"``, ``"第一部分"``), ``""`` if none.
    children : tuple of Section
        Sub-sections, in order; they tile the body from the first child's start.
    heading_end : int
        Where the heading text ends (the body starts here).
    """

    key: str
    heading: str
    start: int
    end: int
    level: int = 1
    number: str = ""
    children: tuple[Section, ...] = ()
    heading_end: int = -1

    def __post_init__(self) -> None:
        if self.heading_end < 0:
            object.__setattr__(self, "heading_end", self.start)

    @property
    def span(self) -> tuple[int, int]:
        """``(start, end)``."""
        return self.start, self.end

    @property
    def body(self) -> tuple[int, int]:
        """``(heading_end, end)``: the span after the heading."""
        return self.heading_end, self.end

    def walk(self) -> Iterator[Section]:
        """This section and all its descendants, depth first."""
        yield self
        for c in self.children:
            yield from c.walk()


# --------------------------------------------------------------------------------------------
# candidates

_CN = "一二三四五六七八九十"
_NUM_RE = re.compile(
    rf"(?P<part>第(?P<pn>[{_CN}]{{1,3}})(?:部分|章)[、.:]?)"
    rf"|(?P<cn>(?P<cnn>[{_CN}]{{1,3}})[、.](?![\d{_CN}]))"
    rf"|(?P<par>\((?P<parn>[{_CN}]{{1,3}})\)[、.]?)"
    r"|(?<!\d)(?P<dig>(?P<dign>\d{1,2})(?:、|\.(?![\d.])))"
    r"|(?<![\d(])(?P<dpar>\((?P<dparn>\d{1,2})\))"
)
# Where a match of _NUM_RE can start: a character that can begin one of its alternatives,
# followed by a character that can come second in it. A regex that starts with a character
# class is searched by a tight C loop over that class, so finding these positions costs a
# tenth of scanning with _NUM_RE itself (an alternation with lookbehinds, tried at every
# position); _NUM_RE is then matched at each of them (see _numbers).
_NUM_START_RE = re.compile(rf"[第({_CN}0-9](?=[{_CN}0-9、.])")
_SENT_END = "。!?;)”"
_TERM_RE = re.compile(r"[。:;]")
_TAIL_RE = re.compile(r"[\u4e00-\u9fff]{0,6}[。:;]")
_INNER_PUNCT_RE = re.compile(r"[。:;!?]")
_PHRASE_RE = re.compile(r"[^,(\n。:;]{1,32}[。:;]")
_TRAIL_PUNCT = "。:;.,!? \t"
_MAX_LINE_HEADING = 40
_MAX_TERM = 30
_TOP_ORDER = {k: i for i, k in enumerate(TOP_KEYS)}

_DATE = (
    r"(?:\d{4}|[〇零○0O一二三四五六七八九]{4})年"
    r"(?:(?:\d{1,2}|[一二三四五六七八九十]{1,3})月(?:(?:\d{1,2}|[一二三四五六七八九十]{1,3})日)?)?"
    r"|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"
)
_AGENCY_END = (
    r"(?:人民政府|政府|办事处|街道|委员会|管委会|局|委|办公室|办|厅|中心|院|署|部|站|所|镇|乡|县|区|市|公司)"
)
_DATE_LINE_RE = re.compile(rf"(?:(?P<agency>[^\n。,;:!?]{{2,40}}?{_AGENCY_END})[ \t]*)?(?P<date>{_DATE})")
_AGENCY_LINE_RE = re.compile(rf"[^\n。,;:!?\t]{{2,40}}?{_AGENCY_END}")


@dataclass
class _Cand:
    start: int
    p: int  # where the heading words start (after the number)
    hend: int  # heading end
    rank: float
    n: int | None
    number: str
    topic: Topic | None
    line_start: bool

    @property
    def key(self) -> str | None:
        return self.topic.key if self.topic else None


class _Lines:
    """Line bounds by bisection over the newline positions (O(log n) per lookup)."""

    def __init__(self, text: str) -> None:
        self.nl = [m.start() for m in re.finditer("\n", text)]
        self.n = len(text)

    def bounds(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_left(self.nl, pos)
        ls = self.nl[i - 1] + 1 if i > 0 else 0
        le = self.nl[i] if i < len(self.nl) else self.n
        return ls, le


def _in_regions(pos: int, starts: list[int], regions: list[tuple[int, int]]) -> bool:
    i = bisect.bisect_right(starts, pos) - 1
    return i >= 0 and regions[i][0] <= pos < regions[i][1]


def _heading_end(text: str, p: int, le: int, topic: Topic | None, line_start: bool) -> int | None:
    if line_start and le - p <= _MAX_LINE_HEADING:
        rest = text[p:le]
        body = rest.rstrip(_TRAIL_PUNCT)
        if body and not _INNER_PUNCT_RE.search(body):
            return p + len(rest.rstrip(" \t"))
    if topic is not None:
        if line_start:
            # a heading phrase running on to a full stop (no comma, no glued sub-heading)
            m = _PHRASE_RE.match(text, p, min(le, p + _MAX_TERM + 2))
            if m and m.end() > p + topic.end:
                return m.end()
        e = p + topic.end
        m = _TAIL_RE.match(text, e, min(le, e + 8))
        if m:
            return m.end()
        return e
    if not line_start:
        return None
    m = _TERM_RE.search(text, p, min(le, p + _MAX_TERM))
    return m.end() if m else None


def _numbers(text: str) -> Iterator[re.Match]:
    """The matches of ``_NUM_RE.finditer(text)``, found faster.

    Every match starts at a match of ``_NUM_START_RE`` (whose one-character matches find every
    such position), and ``match`` sees the text before ``pos`` for the lookbehinds, so trying
    ``_NUM_RE`` at those positions, from the end of the previous match on, gives the same
    matches as the scan.
    """
    match = _NUM_RE.match
    last = 0
    for c in _NUM_START_RE.finditer(text):
        s = c.start()
        if s < last:
            continue
        m = match(text, s)
        if m is not None:
            last = m.end()
            yield m


def _candidates(text: str, regions: list[tuple[int, int]]) -> tuple[list[_Cand], list[_Cand]]:
    """Numbered heading candidates and unnumbered standalone topic lines."""
    starts = [r[0] for r in regions]
    out: list[_Cand] = []
    last_hend = -1
    lines = _Lines(text)
    for m in _numbers(text):
        s = m.start()
        if regions and _in_regions(s, starts, regions):
            continue
        ls, le = lines.bounds(s)
        j = s
        while j > ls and text[j - 1] in " \t\u3000":
            j -= 1
        line_start = j == ls
        # glued right after another heading counts as after a sentence end
        prev = text[s - 1] if s > 0 and s != last_hend else "\n" if s == 0 else "。"
        p = m.end()
        while p < le and text[p] in " \t\u3000":
            p += 1
        if TABLE_LABEL_RE.match(text, p, min(le, p + 12)):
            continue
        topic = match_topic(text, p, le)
        if m.group("part") or m.group("cn"):
            rank = 1.0
            n = cn_to_int(m.group("pn") or m.group("cnn"))
            if not line_start and (topic is None or prev not in _SENT_END):
                continue
        elif m.group("par"):
            rank = 2.0
            n = cn_to_int(m.group("parn"))
            if not line_start and (topic is None or prev == "第"):
                continue
        elif m.group("dig"):
            rank = 3.0
            n = int(m.group("dign"))
            if topic is None or (not line_start and prev not in _SENT_END):
                continue
        else:
            rank = 4.0
            n = int(m.group("dparn"))
            if topic is None or not line_start:
                continue
        if n is None:
            continue
        hend = _heading_end(text, p, le, topic, line_start)
        if hend is None or hend <= p:
            continue
        out.append(_Cand(s, p, hend, rank, n, m.group().strip(), topic, line_start))
        last_hend = hend
    # drop candidates that start inside an earlier candidate's heading
    kept: list[_Cand] = []
    for c in out:
        if kept and c.start < kept[-1].hend:
            continue
        kept.append(c)
    # unnumbered headings: a whole short line that is a lexicon match
    plain: list[_Cand] = []
    pos = 0
    n_text = len(text)
    while pos <= n_text:
        le = text.find("\n", pos)
        le = n_text if le < 0 else le
        line = text[pos:le]
        stripped = line.strip(" \t\u3000")
        if 2 <= len(stripped) <= 30 and not (regions and _in_regions(pos, starts, regions)):
            off = pos + (len(line) - len(line.lstrip(" \t\u3000")))
            topic = match_topic(text, off, le)
            if topic is not None and stripped[topic.end:].strip(_TRAIL_PUNCT) == "":
                plain.append(_Cand(off, off, off + len(stripped), 2.0, None, "", topic, True))
        pos = le + 1
    return kept, plain


# --------------------------------------------------------------------------------------------
# top level


def _order_bonus(prev: str | None, key: str | None) -> float:
    """Topics in the canonical order reward a run; a repeated or backward topic costs."""
    if prev in _TOP_ORDER and key in _TOP_ORDER:
        return 0.5 if _TOP_ORDER[key] > _TOP_ORDER[prev] else -2.0
    return 0.0


_MAX_DP = 300


def _greedy_run(cands: list[_Cand]) -> list[int]:
    """Fallback for texts with very many candidates: keep each number above the last one."""
    run: list[int] = []
    last = 0
    for i, c in enumerate(cands):
        n = c.n or 0
        if n > last and (c.key in _TOP_ORDER or n <= last + 2):
            run.append(i)
            last = n
    return run


def _select_run(cands: list[_Cand]) -> list[int]:
    """Indices of the best increasing run of numbers (named topics weigh more, gaps cost)."""
    if len(cands) > _MAX_DP:
        return _greedy_run(cands)
    best_by_n: dict[tuple[int, str | None], tuple[float, int]] = {}  # (number, key) -> best
    score: list[float] = []
    pred: list[int] = []
    for i, c in enumerate(cands):
        n = c.n or 0
        w = 3.0 if c.key in _TOP_ORDER else 1.0
        b = -(n - 1) if c.key in _TOP_ORDER or n <= 2 else -(n - 1) - 2.0
        bp = -1
        for (v, _k), (sv, iv) in best_by_n.items():
            if v < n:
                cand = sv - (n - v - 1) + _order_bonus(cands[iv].key, c.key)
                if cand > b:
                    b, bp = cand, iv
        score.append(w + b)
        pred.append(bp)
        cur = best_by_n.get((n, c.key))
        if cur is None or score[i] > cur[0]:
            best_by_n[(n, c.key)] = (score[i], i)
    if not cands:
        return []
    end = max(range(len(cands)), key=lambda i: (score[i], -i))
    if score[end] <= 0:
        return []
    run = []
    while end >= 0:
        run.append(end)
        end = pred[end]
    return run[::-1]


def _closing_start(text: str, after: int) -> int | None:
    """Start of a trailing signature block (agency line(s) and a date line)."""
    end = len(text.rstrip())
    if end <= after:
        return None
    ls = text.rfind("\n", 0, end) + 1
    last = text[ls:end].strip(" \t")
    m = _DATE_LINE_RE.fullmatch(last)
    if m is None:
        return None
    start = ls
    if m.group("agency") is None:
        # up to two agency lines above the date
        for _ in range(2):
            prev_end = start - 1
            while prev_end > 0 and text[prev_end - 1] in "\n \t":
                prev_end -= 1
            if prev_end <= 0:
                break
            pls = text.rfind("\n", 0, prev_end) + 1
            line = text[pls:prev_end].strip(" \t")
            if not _AGENCY_LINE_RE.fullmatch(line):
                break
            start = pls
    if start < after:
        return None
    return start


def _build_children(text: str, nodes: list[_Cand], hi: int, level: int) -> tuple[Section, ...]:
    """Nest ``nodes`` (sorted, all within [lo, hi)) by rank; return the sibling tuple."""
    if not nodes:
        return ()
    # siblings: nodes whose rank is <= every rank seen before them at this level
    siblings: list[tuple[_Cand, list[_Cand]]] = []
    for c in nodes:
        if siblings and c.rank > siblings[-1][0].rank:
            siblings[-1][1].append(c)
        else:
            siblings.append((c, []))
    out = []
    for i, (c, kids) in enumerate(siblings):
        end = siblings[i + 1][0].start if i + 1 < len(siblings) else hi
        key = c.key or "unknown"
        children = _build_children(text, kids, end, level + 1)
        out.append(Section(key, text[c.start:c.hend], c.start, end, level, c.number, children, c.hend))
    return tuple(out)


def _split(text: str, regions: list[tuple[int, int]]) -> tuple[Section, ...]:
    n = len(text)
    if n == 0:
        return ()
    cands, plain = _candidates(text, regions)
    tops: list[_Cand] = []
    top_rank = None
    for rank in (1.0, 2.0, 3.0):
        group = [c for c in cands if c.rank == rank]
        if rank > 1.0 and sum(1 for c in group if c.key in _TOP_ORDER) < 2:
            continue
        run = _select_run(group)
        if run:
            tops = [group[i] for i in run]
            top_rank = rank
            break
    chosen = {id(c) for c in tops}
    rest = []
    for c in cands:
        if id(c) in chosen:
            continue
        if top_rank is not None and c.rank == top_rank:
            c.rank = top_rank + 0.5  # demoted: a numbering that restarts inside a section
        if top_rank is None or c.rank > top_rank:
            rest.append(c)
    # unnumbered topic lines: top level when they name a topic not yet at the top level and
    # come in the canonical order; otherwise children
    used = {t.key for t in tops}
    top_starts = [t.start for t in tops]
    for c in plain:
        i = bisect.bisect_right(top_starts, c.start)
        cont = tops[i - 1] if i > 0 else None
        if cont is not None and c.start < cont.hend:
            continue
        ok = c.key in _TOP_ORDER and c.key not in used
        if ok and cont is not None and cont.key in _TOP_ORDER:
            # 改进措施 under 存在的问题及改进情况 belongs to it
            ok = _TOP_ORDER[c.key] > _TOP_ORDER[cont.key] and not (cont.key == "problems" and c.key == "plans")
        if ok:
            c.rank = top_rank if top_rank is not None else 1.0
            tops.insert(i, c)
            top_starts.insert(i, c.start)
            used.add(c.key)
        else:
            c.rank = (top_rank or 1.0) + 1.0
            rest.append(c)
    rest.sort(key=lambda c: c.start)
    last_hend = tops[-1].hend if tops else 0
    closing = _closing_start(text, last_hend)
    body_end = closing if closing is not None else n
    sections: list[Section] = []
    first = tops[0].start if tops else body_end
    if first > 0:
        sections.append(Section("preamble", "", 0, first, 1))
    k = 0
    for i, t in enumerate(tops):
        end = tops[i + 1].start if i + 1 < len(tops) else body_end
        while k < len(rest) and rest[k].start < t.hend:
            k += 1
        kids = []
        while k < len(rest) and rest[k].start < end:
            kids.append(rest[k])
            k += 1
        # drop children overlapping an earlier child's heading
        clean: list[_Cand] = []
        for c in kids:
            if clean and c.start < clean[-1].hend:
                continue
            clean.append(c)
        key = t.key if t.key in _TOP_ORDER else "unknown"
        children = _build_children(text, clean, end, 2)
        sections.append(Section(key, text[t.start:t.hend], t.start, end, 1, t.number, children, t.hend))
    if closing is not None:
        sections.append(Section("closing", "", closing, n, 1))
    return tuple(sections)


@functools.lru_cache(maxsize=128)
def _split_cached(text: str) -> tuple[Section, ...]:
    from govtext.tables import _text_regions

    return _split(text, _text_regions(text))


def split_sections(report) -> tuple[Section, ...]:
    """Split a report into canonical sections.

    Parameters
    ----------
    report : Report or str
        A report (its normalised ``text`` is split) or a string, split as given (pass
        normalised text, e.g. from :func:`govtext.normalize_text`, for the lexicon to match
        traditional script and full-width punctuation).

    Returns
    -------
    tuple of Section
        Top-level sections in order. They tile the text: the first starts at 0, each ends
        where the next starts, the last ends at ``len(text)``. ``preamble`` (before the first
        heading) and ``closing`` (a trailing signature block) appear only when non-empty.
        An empty text gives ``()``.

    Raises
    ------
    InvalidParameterError
        When ``report`` is neither a Report nor a str.

    Examples
    --------
    >>> from govtext.datasets import load_seeds
    >>> corpus = load_seeds()
    >>> [(s.key, s.heading) for s in split_sections(corpus[0])][:3]
    [('preamble', ''), ('overview', '一、总体情况'), ('requests', '三、收到和处理政府信息公开申请情况')]
    >>> [s.key for s in split_sections(corpus["003_aad2c66ccec4c55e#6"])]
    ['preamble', 'unknown', 'unknown', 'unknown', 'plans']
    >>> split_sections("一、概述\\n本镇……\\n二、主动公开情况\\n公开信息12条。")[1].heading
    '二、主动公开情况'
    """
    text = _text_of(report, "split_sections")
    return _split_cached(text)


def _text_of(report, caller: str) -> str:
    if isinstance(report, str):
        return report
    text = getattr(report, "text", None)
    if isinstance(text, str):
        return text
    msg = f"The 'report' parameter of {caller} must be a Report or a str. Got {type(report).__name__} instead."
    raise InvalidParameterError(msg)


def _sections_of(report) -> tuple[Section, ...]:
    if isinstance(report, str):
        return split_sections(report)
    secs = getattr(report, "sections", None)
    if isinstance(secs, tuple):
        return secs
    return split_sections(report)


def section_at(report, pos: int) -> Section | None:
    """The deepest section containing character ``pos`` of the text (``None`` outside it).

    Examples
    --------
    >>> from govtext.datasets import load_seeds
    >>> r = load_seeds()["001_e3992751381c814a"]
    >>> section_at(r, r.text.index("主要存在以下问题")).key
    'problems'
    """
    if isinstance(pos, bool) or not isinstance(pos, int):
        msg = f"The 'pos' parameter of section_at must be an int. Got {pos!r} instead."
        raise InvalidParameterError(msg)
    found = None
    level = _sections_of(report)
    while True:
        hit = next((s for s in level if s.start <= pos < s.end), None)
        if hit is None:
            return found
        found = hit
        level = hit.children


def find_sections(report, key: str) -> tuple[Section, ...]:
    """All sections with ``key`` at any depth, in text order.

    Examples
    --------
    >>> from govtext.datasets import load_seeds
    >>> r = load_seeds()["003_aad2c66ccec4c55e#1"]
    >>> [(s.heading, s.level) for s in find_sections(r, "plans")]
    [('(二)具体的解决办法和改进措施', 2)]
    """
    if key not in SECTION_KEYS:
        msg = f"The 'key' parameter of find_sections must be one of {sorted(SECTION_KEYS)}. Got {key!r} instead."
        raise InvalidParameterError(msg)
    out = [s for top in _sections_of(report) for s in top.walk() if s.key == key]
    return tuple(sorted(out, key=lambda s: (s.start, s.level)))


def sections_frame(corpus: Iterable) -> pd.DataFrame:
    """One row per section (all depths) of every report.

    Parameters
    ----------
    corpus : Corpus or iterable of Report (a single Report is accepted too)

    Returns
    -------
    DataFrame
        Columns :data:`SECTIONS_COLUMNS`: ``report_id``, ``index`` (depth-first position within
        the report), ``key``, ``heading``, ``number``, ``level``, ``start``, ``heading_end``,
        ``end``, ``parent`` (``index`` of the parent, -1 for top-level sections) and
        ``parent_key`` (missing for top-level sections).

    Examples
    --------
    >>> from govtext.datasets import load_seeds
    >>> df = sections_frame(load_seeds())
    >>> df[df.key == "problems"].groupby("level").size().to_dict()
    {1: 9, 2: 4}
    """
    if hasattr(corpus, "text") and hasattr(corpus, "id"):
        corpus = [corpus]
    rows = []
    for r in corpus:
        rid = getattr(r, "id", None)
        if rid is None:
            msg = f"The 'corpus' parameter of sections_frame must hold Reports. Got {type(r).__name__} instead."
            raise InvalidParameterError(msg)
        stack: list[tuple[Section, int, str | None]] = [(s, -1, None) for s in reversed(_sections_of(r))]
        idx = 0
        while stack:
            s, parent, parent_key = stack.pop()
            rows.append({"report_id": rid, "index": idx, "key": s.key, "heading": s.heading,
                         "number": s.number, "level": s.level, "start": s.start,
                         "heading_end": s.heading_end, "end": s.end, "parent": parent,
                         "parent_key": parent_key})
            stack.extend((c, idx, s.key) for c in reversed(s.children))
            idx += 1
    df = pd.DataFrame(rows, columns=SECTIONS_COLUMNS)
    ints = ["index", "level", "start", "heading_end", "end", "parent"]
    return df.astype({c: "int64" for c in ints})

