"""Sentences, clauses and enumerated items of a report's narrative text.

Two layers over ``Report.text``, both made of half-open ``(start, end)`` spans:

* **Sentences** tile the narrative: every non-whitespace character outside the statistical
  tables belongs to exactly one sentence. A sentence ends after ``。！？!?`` (plus any closing
  quotes or brackets that follow), at a line break, and after a ``;`` or ``:`` that is followed
  by an enumerator (``…;二是…``, ``存在的问题:一是…``). It never ends inside ``《》``, quotes
  or brackets (``(地址:…。)`` stays whole, ``“…。”`` ends after the ``”``), never on ``.``
  (``1.5``, ``1.信息公开``), and never right after an enumerator (``1.\\n内容`` is one sentence).
  Spans carry no leading or trailing whitespace.
* **Items** are the points of enumerated lists: ``一是/二是`` (``shi``), ``1.`` and ``1.是``
  (``arabic_dot``), ``1、`` (``arabic_dun``), ``(一)``/``（一）``/``㈠`` (``paren_cn``),
  ``(1)``/``⑴`` (``paren_arabic``), ``①`` (``circled``), ``第一,`` (``di``; ``第一平台`` is prose)
  and unnumbered points separated by ``;`` inside one sentence (``semicolon``). A list is a run
  of markers of one style numbered 1, 2, 3, …; it needs at least two items. Lists nest by the
  usual hierarchy ``(一)`` > ``1.``/``1、``/``第一`` > ``(1)`` > ``①`` > ``一是``; a ``(二)`` closes the
  ``1.`` and ``一是`` lists opened inside ``(一)``. An item runs from its enumerator to the next
  item of its list; the last item runs to where the list is closed (the next item of an outer
  list, a new list of the same or a higher level -- minus its lead-in sentence ``…以下几方面工作:``
  --, a top-level heading, a table, the end of the section), but no further than the end of its
  line when the earlier items of the list each stayed on one line (inline ``一是…二是…三是…``
  lists).

Decisions for reports (:func:`sentences`, :func:`items`):

* **Sections.** Each sentence and item carries the key of the top-level section
  (:func:`govtext.sections.split_sections`) it lies in; text outside every section is
  ``"unknown"``. Lists never cross a top-level section.
* **Headings** of sections (``Section.start`` to ``Section.heading_end``) are sentences of
  their own with ``heading=True``: always at the top level, also when the heading is glued to
  the text (``五、存在的主要问题及改进情况方城镇政府…``); nested headings only when they end
  cleanly -- at the end of their line, in ``。:;`` or in a heading word such as ``情况``
  (``(一)依据《…》收取信息处理费情况根据…`` is cut, ``(一)主动公开的政府信息保持…`` is not).
  Enumerators inside headings still make items (``(一)主动公开`` is both a heading and the
  first item of its list).
* **Tables** (:func:`govtext.tables.table_regions`) are not narrative: no sentence or item
  overlaps them (table rows are not sentences). :func:`narrative_spans` lists what remains.
* **Fallback.** Without :mod:`govtext.sections` / :mod:`govtext.tables` (an ``ImportError``),
  the whole text is one ``"unknown"`` section / nothing is excluded, with a logged warning.
* **Semicolons** end a sentence only before an enumerator; other ``;`` are kept inside the
  sentence and make a ``semicolon`` list.
* **Clauses** (``clauses=True``, :func:`split_clauses`) further split each sentence after
  ``,`` and ``;`` (not inside brackets or quotes, not in ``22,000``, not right after an
  enumerator).

Everything works on plain strings as well: :func:`split_sentences`, :func:`split_clauses` and
:func:`find_items` take a text and an optional ``(start, end)`` range. :func:`sentence_spans`
is the fast path of :func:`sentences` (tuples, no record objects).

Speed: one compiled regex matches whole sentences (ordinary characters are consumed in bulk);
Python code runs once per sentence and once per bracket of a sentence that has one, so
:func:`split_sentences` runs at about 10 M characters/s on the seed corpus.

Examples
--------
>>> from govtext.sentences import split_sentences, find_items
>>> t = "存在的问题:一是制度执行不到位;二是工作推进不平衡。\\n下一步,我区将加强监督。"
>>> [t[s:e] for s, e in split_sentences(t)]
['存在的问题:', '一是制度执行不到位;', '二是工作推进不平衡。', '下一步,我区将加强监督。']
>>> [(i.list_id, i.number, i.enumerator, i.marker_style, i.text) for i in find_items(t)]
[(0, 1, '一是', 'shi', '一是制度执行不到位;'), (0, 2, '二是', 'shi', '二是工作推进不平衡。')]
"""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from govtext.exceptions import InvalidParameterError

__all__ = [
    "ITEM_COLUMNS",
    "MARKER_STYLES",
    "SENTENCE_COLUMNS",
    "Item",
    "Sentence",
    "find_items",
    "items",
    "items_frame",
    "narrative_spans",
    "sentence_spans",
    "sentences",
    "sentences_frame",
    "split_clauses",
    "split_sentences",
]

logger = logging.getLogger(__name__)

SENTENCE_COLUMNS = ["report_id", "section", "sentence_index", "start", "end", "text", "heading"]
ITEM_COLUMNS = [
    "report_id",
    "section",
    "list_id",
    "item_index",
    "number",
    "enumerator",
    "marker_style",
    "depth",
    "start",
    "end",
    "text",
]

#: Marker styles, from the highest level of the usual hierarchy to the lowest.
MARKER_STYLES = (
    "paren_cn",  # (一) （一） ㈠
    "arabic_dot",  # 1.  1.是
    "arabic_dun",  # 1、
    "di",  # 第一,
    "paren_arabic",  # (1) ⑴
    "circled",  # ①
    "shi",  # 一是
    "semicolon",  # …;…;…
)
_RANK = {
    "paren_cn": 0,
    "arabic_dot": 1,
    "arabic_dun": 1,
    "di": 1,
    "paren_arabic": 2,
    "circled": 3,
    "shi": 4,
}


# --------------------------------------------------------------------------------------------
# records


@dataclass(frozen=True)
class Sentence:
    """One sentence (or clause) of a report's narrative.

    Attributes
    ----------
    report_id : str
        ``Report.id`` (``""`` for plain strings).
    index : int
        0-based position among the report's sentences (in text order).
    start, end : int
        Half-open span in ``Report.text``; no leading or trailing whitespace.
    text : str
        ``Report.text[start:end]``.
    section : str
        Key of the top-level section the sentence lies in (``"unknown"`` outside every section).
    heading : bool
        True for the heading of a section (e.g. ``一、总体情况``, ``(一)存在的主要问题``).
    """

    report_id: str
    index: int
    start: int
    end: int
    text: str
    section: str = "unknown"
    heading: bool = False


@dataclass(frozen=True)
class Item:
    """One point of an enumerated list.

    Attributes
    ----------
    report_id : str
        ``Report.id`` (``""`` for plain strings).
    list_id : int
        The list the item belongs to: 0-based, unique within the report (or within one call of
        :func:`find_items`), numbered in order of the lists' first items.
    index : int
        0-based position of the item in its list.
    number : int
        The number the enumerator states (``三是`` → 3, ``(2)`` → 2); for ``semicolon`` lists,
        ``index + 1``.
    enumerator : str
        The marker as written (``"一是"``, ``"1."``, ``"1.是"``, ``"（一）"``, ``"①"``, ``"第一"``);
        ``""`` for ``semicolon`` items.
    marker_style : str
        One of :data:`MARKER_STYLES`.
    start, end : int
        Half-open span in the text, from the enumerator to the end of the item (no trailing
        whitespace). ``semicolon`` items start at the point itself (after a leading enumerator
        or a lead-in ending in ``:``).
    text : str
        ``text[start:end]``.
    section : str
        Key of the top-level section (``"unknown"`` outside every section).
    depth : int
        Number of items of other lists that contain this list (0 = outermost).
    """

    report_id: str
    list_id: int
    index: int
    number: int
    enumerator: str
    marker_style: str
    start: int
    end: int
    text: str
    section: str = "unknown"
    depth: int = 0


# --------------------------------------------------------------------------------------------
# patterns

_CN = "一二三四五六七八九十"
_CLOSERS = "”’」』)）》〉】]"
_PAIRS = {
    ")": "(",
    "）": "（",
    "》": "《",
    "〉": "〈",
    "”": "“",
    "’": "‘",
    "】": "【",
    "〕": "〔",
    "]": "[",
    "」": "「",
    "』": "『",
}
_OPENERS = frozenset(_PAIRS.values())
_BRACKET_RE = re.compile("[" + re.escape("".join(_PAIRS) + "".join(_OPENERS)) + "\n]")
_MAX_PROTECTED = 300  # a bracket pair wider than this is not trusted to protect its content

# An enumerator, without left context (used as a lookahead and to recognise a lone marker).
_ENUM = (
    f"[{_CN}]{{1,3}}是(?!否)"
    r"|\d{1,2}[.．、](?:是(?!否))?(?![\d.．])"
    f"|[(（](?:[{_CN}]{{1,3}}|\\d{{1,2}})[)）]"
    "|[\u2460-\u2487\u3220-\u3229]"
    f"|第[{_CN}]{{1,3}}(?=[,，、:：])"
)
# A marker in running text. The left context each style needs is checked in Python (see
# _markers): lookbehinds here would stop the engine from skipping on the first character.
_MARKER_RE = re.compile(
    f"(?=[{_CN}0-9(（\u2460-\u2487\u3220-\u3229第])(?:"
    f"(?P<shi>[{_CN}]{{1,3}})是(?!否)"
    r"|(?P<ar>\d{1,2})(?P<sep>[.．、])(?:是(?!否))?(?![\d.．])"
    f"|[(（](?:(?P<pcn>[{_CN}]{{1,3}})|(?P<par>\\d{{1,2}}))[)）]"
    "|(?P<circ>[\u2460-\u2473])|(?P<pdig>[\u2474-\u2487])|(?P<pcn2>[\u3220-\u3229])"
    f"|第(?P<di>[{_CN}]{{1,3}})(?=[,，、:：]))"
)
_NOT_BEFORE_ARABIC = frozenset(".．-/〔〕【】第—")
_ENUM_ONLY_RE = re.compile(f"(?:{_ENUM})[\\s:：,，]*")
_ENUM_AT_RE = re.compile(f"(?:{_ENUM})\\s*")
_TERMS = "。！？!?"
_SEPS = ";；:："
# One sentence: runs of ordinary characters, ; or : not followed by an enumerator, ASCII ?!
# inside a URL or mojibake (index.jsp?id=1, 明显?,F将); ended by terminators plus closing
# marks, by ; or : before an enumerator, or by a line break / the end of the range.
_SENT_RE = re.compile(
    "(?=\\S)(?:"
    f"[^\\n{_TERMS}{_SEPS}]+"
    f"|[{_SEPS}](?![ \\t]*(?:{_ENUM}))"
    "|[?!]+(?=[0-9A-Za-z_=&%/.,\\-])"
    ")*"
    f"(?P<end>[{_TERMS}]+[{re.escape(_CLOSERS)}]*|[{_SEPS}])?"
)
# One clause (inside a sentence): ended by , or ; except a comma between digits (22,000).
_CLAUSE_RE = re.compile("(?=\\S)(?:[^,，;；]+|(?<=\\d)[,，](?=\\d))*(?P<end>[,，;；])?")
_OPEN_RE = re.compile("[" + re.escape("".join(_OPENERS)) + "]")
_BRACKET_ONLY_RE = re.compile("[" + re.escape("".join(_PAIRS) + "".join(_OPENERS)) + "]")
_CLOSE_OF = {o: c for c, o in _PAIRS.items()}
_SEMI_RE = re.compile("[;；]")
_COLON_RE = re.compile("[:：]")
_BARRIER_RE = re.compile(f"\\n[ \\t]*[{_CN}]{{1,3}}、")

_CN_DIGIT = {c: i for i, c in enumerate("一二三四五六七八九", 1)}


def _cn_int(s: str) -> int | None:
    """Parse 一 … 九十九; None for anything else (二二, 十十)."""
    if len(s) == 1:
        return 10 if s == "十" else _CN_DIGIT[s]
    if s.count("十") != 1:
        return None
    tens, _, ones = s.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return None
    return (_CN_DIGIT[tens] if tens else 1) * 10 + (_CN_DIGIT[ones] if ones else 0)


# --------------------------------------------------------------------------------------------
# helpers


def _check_range(text: str, start: int, end: int | None) -> tuple[int, int]:
    if not isinstance(text, str):
        msg = f"The 'text' parameter must be a str. Got {type(text).__name__} instead."
        raise InvalidParameterError(msg)
    n = len(text)
    if end is None:
        end = n
    if not (0 <= start <= end <= n):
        msg = f"The range ({start}, {end}) is outside the text (length {n})."
        raise InvalidParameterError(msg)
    return start, end


def _protected(text: str, start: int, end: int) -> tuple[list[int], list[int]]:
    """Merged spans of matched bracket/quote pairs in ``text[start:end]`` (one line at most).

    Only the bracket characters (found by one regex) are visited. Returns parallel lists of
    starts and ends (the end is one past the closing character).
    """
    spans: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    for m in _BRACKET_RE.finditer(text, start, end):
        c = m.group()
        p = m.start()
        if c == "\n":
            stack.clear()
        elif c in _OPENERS:
            stack.append((c, p))
        else:
            want = _PAIRS[c]
            for k in range(len(stack) - 1, -1, -1):
                if stack[k][0] == want:
                    q = stack[k][1]
                    if p - q < _MAX_PROTECTED:
                        spans.append((q, p + 1))
                    del stack[k:]
                    break
    if not spans:
        return [], []
    spans.sort()
    starts, ends = [spans[0][0]], [spans[0][1]]
    for a, b in spans[1:]:
        if a < ends[-1]:
            if b > ends[-1]:
                ends[-1] = b
        else:
            starts.append(a)
            ends.append(b)
    return starts, ends


def _enclosing(starts: list[int], ends: list[int], pos: int) -> int:
    """End of the protected span strictly containing ``pos`` (its opener excluded), else -1."""
    i = bisect.bisect_right(starts, pos) - 1
    if i >= 0 and starts[i] < pos < ends[i]:
        return ends[i]
    return -1


def _trim(text: str, a: int, b: int) -> tuple[int, int] | None:
    s = text[a:b]
    t = s.strip()
    if not t:
        return None
    a += len(s) - len(s.lstrip())
    return a, a + len(t)


def _rstrip_end(text: str, a: int, b: int) -> int:
    return a + len(text[a:b].rstrip())


def _inside_brackets(text: str, a: int, e: int, end: int) -> bool:
    """Whether ``e`` lies inside a bracket or quote opened in ``text[a:e]`` and closed later on
    the same line (within ``_MAX_PROTECTED`` characters of the opener, before ``end``)."""
    stack: list[tuple[str, int]] = []
    for m in _BRACKET_ONLY_RE.finditer(text, a, e):
        c = m.group()
        if c in _OPENERS:
            stack.append((c, m.start()))
        else:
            want = _PAIRS[c]
            for k in range(len(stack) - 1, -1, -1):
                if stack[k][0] == want:
                    del stack[k:]
                    break
    if not stack:
        return False
    nl = text.find("\n", e, end)
    line_end = end if nl < 0 else nl
    for c, p in stack:
        lim = min(line_end, p + _MAX_PROTECTED)
        if lim > e and text.find(_CLOSE_OF[c], e, lim) >= 0:
            return True
    return False


def _scan(text: str, start: int, end: int, pattern: re.Pattern, out: list[tuple[int, int]]) -> None:
    """Append the units ``pattern`` matches in the range to ``out``, joining a unit that is only
    an enumerator (``1.``, ``第一,``) or that ends inside brackets to the next one."""
    enum_only = _ENUM_ONLY_RE.fullmatch
    has_opener = _OPEN_RE.search
    append = out.append
    cur = -1
    e = start
    for m in pattern.finditer(text, start, end):
        e = m.end()
        if cur < 0:
            cur = m.start()
        if e - cur <= 8 and enum_only(text, cur, e):
            continue
        if m.group("end") and has_opener(text, cur, e) and _inside_brackets(text, cur, e, end):
            continue
        append((cur, _rstrip_end(text, cur, e) if text[e - 1].isspace() else e))
        cur = -1
    if cur >= 0:
        append((cur, _rstrip_end(text, cur, e)))


# --------------------------------------------------------------------------------------------
# sentences on plain text


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` into sentences.

    Parameters
    ----------
    text : str
        Normalised text (full-width punctuation also works).
    start, end : int, optional
        The range to split (default: the whole text).

    Returns
    -------
    list of (int, int)
        Sorted, non-overlapping spans inside the range, trimmed of whitespace, that together
        cover every non-whitespace character of the range.

    Examples
    --------
    >>> t = "依据《国务院办公厅〈关于全面推进政务公开工作的意见〉实施细则》(国办发〔2016〕80号)。增幅1.5%!"
    >>> [t[s:e] for s, e in split_sentences(t)]
    ['依据《国务院办公厅〈关于全面推进政务公开工作的意见〉实施细则》(国办发〔2016〕80号)。', '增幅1.5%!']
    >>> t = "如:1.信息公开不及时。在信息公开方面存在不及时的问题。2.信息公开不全面。"
    >>> [t[s:e] for s, e in split_sentences(t)]
    ['如:', '1.信息公开不及时。', '在信息公开方面存在不及时的问题。', '2.信息公开不全面。']
    >>> t = "他说:“公开是原则。不公开是例外。”我们照此执行。严格落实“谁公开、谁审查”原则。"
    >>> [t[s:e] for s, e in split_sentences(t)]
    ['他说:“公开是原则。不公开是例外。”', '我们照此执行。', '严格落实“谁公开、谁审查”原则。']
    """
    start, end = _check_range(text, start, end)
    out: list[tuple[int, int]] = []
    _scan(text, start, end, _SENT_RE, out)
    return out


def split_clauses(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` into clauses: sentences cut further after ``,`` and ``;``.

    Commas and semicolons inside brackets or quotes, between two digits (``22,000``) or right
    after an enumerator (``第一,``) do not cut.

    Examples
    --------
    >>> t = "一是加强领导,落实责任;二是完善制度(包括保密审查,档案管理)。共22,000条。"
    >>> [t[s:e] for s, e in split_clauses(t)]
    ['一是加强领导,', '落实责任;', '二是完善制度(包括保密审查,档案管理)。', '共22,000条。']
    """
    start, end = _check_range(text, start, end)
    out: list[tuple[int, int]] = []
    for a, b in split_sentences(text, start, end):
        _scan(text, a, b, _CLAUSE_RE, out)
    return out


# --------------------------------------------------------------------------------------------
# items on plain text


@dataclass
class _List:
    style: str
    rank: int
    markers: list[tuple[int, int, int, str]]  # (start, marker_end, number, enumerator)
    close: int = -1


def _markers(text: str, start: int, end: int) -> list[tuple[int, int, str, int, str]]:
    """Enumerators in the range: (start, end, style, number, enumerator).

    Left context (the range start counts as a line start): ``一是`` and ``第一,`` not after a
    letter, digit or Han character (``统一是``, ``全省第一,``); ``1.`` not after a digit, ASCII
    letter, ``.``, ``-``, ``/``, ``〔〕【】``, ``第`` or ``—`` (``2023.1.1``, ``GK1225-1``);
    ``(一)``/``(1)`` not after ``第`` (``第二十条第(一)项``).
    """
    out = []
    for m in _MARKER_RE.finditer(text, start, end):
        p = m.start()
        prev = text[p - 1] if p > start else "\n"
        g = m.lastgroup
        if g == "shi":
            if prev.isalnum():
                continue
            style, number = "shi", _cn_int(m.group("shi"))
        elif g == "sep":
            if prev.isdigit() or prev in _NOT_BEFORE_ARABIC or (prev.isascii() and prev.isalpha()):
                continue
            style = "arabic_dun" if m.group("sep") == "、" else "arabic_dot"
            number = int(m.group("ar"))
        elif g == "pcn" or g == "par":
            if prev == "第":
                continue
            if g == "pcn":
                style, number = "paren_cn", _cn_int(m.group("pcn"))
            else:
                style, number = "paren_arabic", int(m.group("par"))
        elif g == "circ":
            style, number = "circled", ord(m.group()) - 0x245F
        elif g == "pdig":
            style, number = "paren_arabic", ord(m.group()) - 0x2473
        elif g == "pcn2":
            style, number = "paren_cn", ord(m.group()) - 0x321F
        else:
            if prev.isalnum() or prev in ",，、":
                continue
            style, number = "di", _cn_int(m.group("di"))
        if number:
            out.append((p, m.end(), style, number, m.group()))
    return out


def _numbered_lists(
    text: str, start: int, end: int, sent_starts: Sequence[int]
) -> list[_List]:
    events: list[tuple[int, int, str, int, str]] = _markers(text, start, end)
    barriers = [m.start() + 1 for m in _BARRIER_RE.finditer(text, start, end)]
    if barriers:
        events += [(p, p, "", 0, "") for p in barriers]
        events.sort()
    done: list[_List] = []
    stack: list[_List] = []

    def close_above(k: int, pos: int) -> None:
        while len(stack) > k:
            lst = stack.pop()
            lst.close = max(pos, lst.markers[-1][1])
            done.append(lst)

    for pos, mend, style, number, enum in events:
        if not style:  # a top-level heading at line start closes everything
            close_above(0, pos)
            continue
        k = next((j for j in range(len(stack) - 1, -1, -1) if stack[j].style == style), -1)
        if k >= 0 and stack[k].markers[-1][2] == number - 1:
            close_above(k + 1, pos)
            stack[k].markers.append((pos, mend, number, enum))
        elif number == 1:
            rank = _RANK[style]
            k = len(stack)
            while k > 0 and stack[k - 1].rank >= rank:
                k -= 1
            if k < len(stack):
                close_above(k, _leadin(text, start, pos, sent_starts, stack[k:]))
            stack.append(_List(style, rank, [(pos, mend, number, enum)]))
    close_above(0, end)
    return [lst for lst in done if len(lst.markers) >= 2]


def _leadin(text: str, start: int, pos: int, sent_starts: Sequence[int], closing: list[_List]) -> int:
    """Where lists closed by a new list at ``pos`` end: before its lead-in ``…:`` if any."""
    q = pos
    while q > start and text[q - 1].isspace():
        q -= 1
    if q <= start or text[q - 1] not in ":：":
        return pos
    i = bisect.bisect_left(sent_starts, q) - 1
    if i < 0:
        return pos
    lead = sent_starts[i]
    if any(lead <= lst.markers[-1][0] for lst in closing):
        return pos
    return lead


def _item_spans(text: str, lst: _List) -> list[tuple[int, int]]:
    marks = lst.markers
    spans = []
    single_line = True
    for i in range(len(marks) - 1):
        a = marks[i][0]
        b = _rstrip_end(text, a, marks[i + 1][0])
        if single_line and text.find("\n", a, b) >= 0:
            single_line = False
        spans.append((a, b))
    a = marks[-1][0]
    b = lst.close
    if single_line:
        nl = text.find("\n", a, b)
        if nl >= 0:
            b = nl
    spans.append((a, max(_rstrip_end(text, a, b), marks[-1][1])))
    return spans


def _semicolon_lists(text: str, sentence_spans: Iterable[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    out = []
    for a, b in sentence_spans:
        if _SEMI_RE.search(text, a, b) is None:
            continue
        pstarts, pends = _protected(text, a, b)
        semis = [m.start() for m in _SEMI_RE.finditer(text, a, b) if _enclosing(pstarts, pends, m.start()) < 0]
        if not semis:
            continue
        first = a
        m = _ENUM_AT_RE.match(text, a, semis[0])
        if m:
            first = m.end()
        # A colon before the first point is a lead-in (整改措施:…;…), unless the other points
        # have colons too (机构职能类1条:《…》;行政权力流程类3条:《…》).
        colons = [c.start() for c in _COLON_RE.finditer(text, first, b) if _enclosing(pstarts, pends, c.start()) < 0]
        if colons and colons[0] < semis[0] and all(c < semis[0] for c in colons):
            first = colons[0] + 1
        bounds = [first] + [s + 1 for s in semis] + [b]
        parts = []
        for i in range(len(bounds) - 1):
            span = _trim(text, bounds[i], bounds[i + 1])
            if span is not None and span[1] - span[0] > 1:
                parts.append(span)
        if len(parts) >= 2:
            out.append(parts)
    return out


def _find_items(
    text: str, start: int, end: int, sentence_spans: Sequence[tuple[int, int]]
) -> list[tuple[str, list[tuple[int, int, int, str]]]]:
    """Lists in one segment: (style, [(start, end, number, enumerator), ...])."""
    lists: list[tuple[str, list[tuple[int, int, int, str]]]] = []
    for lst in _numbered_lists(text, start, end, [s for s, _ in sentence_spans]):
        spans = _item_spans(text, lst)
        lists.append((lst.style, [(a, b, m[2], m[3]) for (a, b), m in zip(spans, lst.markers)]))
    for parts in _semicolon_lists(text, sentence_spans):
        lists.append(("semicolon", [(a, b, i + 1, "") for i, (a, b) in enumerate(parts)]))
    return lists


def _build_items(
    text: str,
    report_id: str,
    lists: list[tuple[str, str, list[tuple[int, int, int, str]]]],
) -> tuple[Item, ...]:
    """Number lists in text order, compute depths, make sorted Items."""
    lists = sorted(lists, key=lambda x: (x[2][0][0], -x[2][-1][1], x[1]))
    all_items = [(a, b, lid) for lid, (_, _, its) in enumerate(lists) for a, b, _, _ in its]
    out = []
    for lid, (section, style, its) in enumerate(lists):
        a0, b0 = its[0][0], its[-1][1]
        depth = len({ol for a, b, ol in all_items if ol != lid and a <= a0 and b0 <= b and (a, b) != (a0, b0)})
        for idx, (a, b, number, enum) in enumerate(its):
            out.append(Item(report_id, lid, idx, number, enum, style, a, b, text[a:b], section, depth))
    out.sort(key=lambda it: (it.start, -it.end, it.list_id))
    return tuple(out)


def find_items(
    text: str,
    start: int = 0,
    end: int | None = None,
    *,
    report_id: str = "",
    section: str = "unknown",
) -> tuple[Item, ...]:
    """Enumerated items in ``text[start:end]``, treated as one stretch of narrative.

    A line that starts with a top-level heading number (``二、``) closes every open list.

    Parameters
    ----------
    text : str
    start, end : int, optional
        The range to search (default: the whole text).
    report_id, section : str, optional
        Copied into every :class:`Item`.

    Returns
    -------
    tuple of Item
        Sorted by start (an enclosing item before the items inside it); ``list_id`` numbers the
        lists from 0 in order of their first items.

    Examples
    --------
    >>> t = "但仍存在一些不足,如:1.信息公开不及时。2.信息公开不全面。主要从以下几方面开展工作:1.是加强培训。2.扩大范围。"
    >>> [(i.list_id, i.enumerator, i.text) for i in find_items(t)]
    [(0, '1.', '1.信息公开不及时。'), (0, '2.', '2.信息公开不全面。'), (1, '1.是', '1.是加强培训。'), (1, '2.', '2.扩大范围。')]
    >>> t = "(一)存在问题\\n公开不及时;宣传不够;形式单一。\\n(二)改进措施\\n①加强培训②完善制度"
    >>> [(i.list_id, i.marker_style, i.depth, i.text) for i in find_items(t)]
    [(0, 'paren_cn', 0, '(一)存在问题\\n公开不及时;宣传不够;形式单一。'), (1, 'semicolon', 1, '公开不及时;'), (1, 'semicolon', 1, '宣传不够;'), (1, 'semicolon', 1, '形式单一。'), (0, 'paren_cn', 0, '(二)改进措施\\n①加强培训②完善制度'), (2, 'circled', 1, '①加强培训'), (2, 'circled', 1, '②完善制度')]
    """
    start, end = _check_range(text, start, end)
    sents = split_sentences(text, start, end)
    lists = [(section, style, its) for style, its in _find_items(text, start, end, sents)]
    return _build_items(text, report_id, lists)


# --------------------------------------------------------------------------------------------
# reports


def _subtract(spans: list[tuple[int, int]], holes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Parts of sorted, disjoint ``spans`` outside the sorted ``holes``."""
    out = []
    for a, b in spans:
        for h0, h1 in holes:
            if h1 <= a or h0 >= b:
                continue
            if h0 > a:
                out.append((a, h0))
            a = max(a, h1)
            if a >= b:
                break
        if a < b:
            out.append((a, b))
    return out


def _merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for a, b in sorted(spans):
        if b <= a:
            continue
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


_HEADING_FINAL = ("情况", "事项", "措施", "问题", "方面", "工作", "建设", "内容", "办法")


def _clean_heading_end(text: str, start: int, end: int) -> bool:
    """Whether a nested heading may be a sentence of its own: it ends its line, ends in
    ``。:;``, or ends in a heading word (``…情况``) -- not mid-phrase (``(一)主动公开的|政府信息…``)."""
    nl = text.find("\n", end)
    if text[end : len(text) if nl < 0 else nl].strip() == "":
        return True
    head = text[start:end].rstrip()
    return head != "" and (head[-1] in "。:;：；" or head.endswith(_HEADING_FINAL))


_LAYOUT_ATTR = "_govtext_layout"


def _layout(report) -> tuple[tuple[tuple[int, int, str], ...], tuple[tuple[int, int, str], ...], tuple[tuple[int, int], ...]]:
    """(segments, headings, tables) of a report.

    ``segments``: (start, end, key) of each top-level section body (after its heading), minus
    tables; ``headings``: (start, end, key) of every section heading (all levels), minus tables.

    Computed once per :class:`govtext.records.Report`: the result (three small tuples of span
    tuples) is kept in the report's instance ``__dict__`` like its cached ``sections``, keyed by
    the text it was computed from, and travels with the report when pickled. Other objects
    (duck-typed reports) are laid out on every call.
    """
    from govtext.records import Report

    cacheable = isinstance(report, Report)
    if cacheable:
        got = report.__dict__.get(_LAYOUT_ATTR)
        if got is not None and got[0] is report.text:
            return got[1]
    out = _compute_layout(report)
    if cacheable:
        report.__dict__[_LAYOUT_ATTR] = (report.text, out)
    return out


def _compute_layout(report) -> tuple[tuple[tuple[int, int, str], ...], tuple[tuple[int, int, str], ...], tuple[tuple[int, int], ...]]:
    text = report.text
    n = len(text)
    try:
        secs = tuple(report.sections)
    except ImportError:
        logger.warning("govtext.sections is unavailable: %s is one 'unknown' section.", report.id)
        secs = ()
    try:
        from govtext.tables import table_regions
    except ImportError:
        logger.warning("govtext.tables is unavailable: tables of %s are not excluded.", report.id)
        tables: list[tuple[int, int]] = []
    else:
        tables = _merge((max(0, int(a)), min(n, int(b))) for a, b in table_regions(report))

    tops = sorted(secs, key=lambda s: (s.start, -s.end))
    bodies: list[tuple[int, int, str]] = []
    head_spans: list[tuple[int, int, str]] = []
    pos = 0

    def walk(sec, key: str, top: bool) -> None:
        h1 = min(max(getattr(sec, "heading_end", sec.start) or sec.start, sec.start), sec.end)
        if h1 > sec.start and (top or _clean_heading_end(text, sec.start, h1)):
            head_spans.append((sec.start, h1, key))
        for child in getattr(sec, "children", ()) or ():
            walk(child, key, False)

    for sec in tops:
        a, b = max(sec.start, pos), min(sec.end, n)
        if b <= a:
            continue
        if a > pos:
            bodies.append((pos, a, "unknown"))
        walk(sec, sec.key, True)
        h1 = min(max(getattr(sec, "heading_end", sec.start) or sec.start, a), b)
        bodies.append((h1, b, sec.key))
        pos = b
    if pos < n:
        bodies.append((pos, n, "unknown"))

    segments = []
    for a, b, key in bodies:
        segments.extend((x, y, key) for x, y in _subtract([(a, b)], tables))
    headings = []
    for a, b, key in sorted(head_spans):
        headings.extend((x, y, key) for x, y in _subtract([(a, b)], tables))
    return tuple(segments), tuple(headings), tuple(tables)


def narrative_spans(report) -> tuple[tuple[int, int, str], ...]:
    """The narrative of a report: ``(start, end, section_key)`` spans outside tables.

    Headings are included (they are part of the narrative); the table regions of
    :func:`govtext.tables.table_regions` are what is left out.

    Examples
    --------
    >>> from govtext.datasets import load_seeds
    >>> r = load_seeds()["004_3cd86ea425926f19"]
    >>> spans = narrative_spans(r)
    >>> sum(b - a for a, b, _ in spans) < len(r.text)  # the statistical tables are left out
    True
    """
    segments, headings, _ = _layout(report)
    return tuple(sorted([*segments, *headings]))


def sentence_spans(report, *, clauses: bool = False) -> list[tuple[int, int, str, bool]]:
    """The spans of :func:`sentences` as plain tuples (the fast path: no record objects).

    Returns
    -------
    list of (start, end, section, heading)
        In text order; ``sentences(report)[i]`` has exactly these values.

    Examples
    --------
    >>> from govtext.datasets import load_seeds
    >>> r = load_seeds()["003_aad2c66ccec4c55e#5"]
    >>> [(r.text[a:b], key, head) for a, b, key, head in sentence_spans(r)][:3]
    [('一、概述', 'overview', True), ('坚持依法、公开、及时、便民的原则,把政府信息公开工作列入年度重点工作,立足职能、扎实创新、务实工作,政府信息公开工作取得了明显实效。', 'overview', False), ('根据乡政府信息公开工作统一要求,2013年我乡进一步强化了此项工作,落实了专人负责信息公开工作,健全完善相关制度办法,明确工作人员责任,细化各项工作措施,并加强了政府信息公开工作人员的培训和指导,确保政府信息及时主动公开,经过一段时间的努力,政府信息公开信息量较以往明显提升,目前工作运行正常,各项工作顺利开展。', 'overview', False)]
    """
    _check_clauses(clauses, "sentence_spans")
    return _sentence_spans(report, clauses)


def _check_clauses(clauses, caller: str) -> None:
    if not isinstance(clauses, bool):
        msg = f"The 'clauses' parameter of {caller} must be a bool. Got {clauses!r} instead."
        raise InvalidParameterError(msg)


def _sentence_spans(report, clauses: bool, layout=None) -> list[tuple[int, int, str, bool]]:
    text = report.text
    segments, headings, _ = layout if layout is not None else _layout(report)
    holes = [(a, b) for a, b, _ in headings]
    out: list[tuple[int, int, str, bool]] = []
    for a, b, key in headings:
        out.extend((x, y, key, True) for x, y in _heading_lines(text, a, b))
    buf: list[tuple[int, int]] = []
    for a, b, key in segments:
        buf.clear()
        for x, y in _subtract([(a, b)], holes) if holes else ((a, b),):
            _scan(text, x, y, _SENT_RE, buf)
        if clauses:
            sents, buf = buf, []
            for x, y in sents:
                _scan(text, x, y, _CLAUSE_RE, buf)
        out.extend((x, y, key, False) for x, y in buf)
    out.sort()
    return out


def _heading_lines(text: str, a: int, b: int) -> list[tuple[int, int]]:
    out = []
    p = a
    while p < b:
        q = text.find("\n", p, b)
        q = b if q < 0 else q
        span = _trim(text, p, q)
        if span is not None:
            out.append(span)
        p = q + 1
    return out


def sentences(report, *, clauses: bool = False) -> tuple[Sentence, ...]:
    """Sentences (or clauses) of a report's narrative, in text order.

    Parameters
    ----------
    report : Report
    clauses : bool, default False
        Split each sentence further after ``,`` and ``;`` (see :func:`split_clauses`);
        headings are never split.

    Returns
    -------
    tuple of Sentence
        Non-overlapping spans that cover every non-whitespace character of
        :func:`narrative_spans`; section headings are their own sentences (``heading=True``).

    Examples
    --------
    >>> from govtext.datasets import load_seeds
    >>> r = load_seeds()["004_3cd86ea425926f19"]
    >>> [(x.section, x.heading, x.text[:12]) for x in sentences(r) if x.section == "problems"][:4]
    [('problems', True, '五、存在的主要问题及改进'), ('problems', False, '存在的问题:'), ('problems', False, '一是制度执行仍存在差距,'), ('problems', False, '二是工作推进不平衡,部分')]
    """
    _check_clauses(clauses, "sentences")
    text = report.text
    rid = report.id
    return tuple(
        Sentence(rid, i, a, b, text[a:b], key, head)
        for i, (a, b, key, head) in enumerate(_sentence_spans(report, clauses))
    )


def items(report) -> tuple[Item, ...]:
    """Enumerated items of a report's narrative (see the module docstring for the rules).

    Lists never cross a top-level section or a table.

    Parameters
    ----------
    report : Report

    Returns
    -------
    tuple of Item
        Sorted by start (an enclosing item before the items inside it).

    Examples
    --------
    >>> from govtext.datasets import load_seeds
    >>> r = load_seeds()["002_201993b9de74ca40"]
    >>> [(i.list_id, i.enumerator, i.depth, i.text[:10]) for i in items(r) if i.section == "problems"][:3]
    [(10, '(一)', 0, '(一)存在的主要问题'), (11, '一是', 1, '一是业务人员对省、市'), (11, '二是', 1, '二是信息公开面对社会')]
    """
    text = report.text
    layout = _layout(report)
    sent = _sentence_spans(report, False, layout)
    starts = [s[0] for s in sent]
    segments = layout[0]
    lists = []
    for a, b, key in segments:
        i, j = bisect.bisect_left(starts, a), bisect.bisect_left(starts, b)
        spans = [(s, e) for s, e, _, _ in sent[i:j]]
        lists.extend((key, style, its) for style, its in _find_items(text, a, b, spans))
    return _build_items(text, report.id, lists)


# --------------------------------------------------------------------------------------------
# frames


def _reports(corpus) -> list:
    if hasattr(corpus, "text") and hasattr(corpus, "id"):
        return [corpus]
    return list(corpus)


def sentences_frame(corpus, *, clauses: bool = False) -> pd.DataFrame:
    """One row per sentence (or clause) of every report.

    Parameters
    ----------
    corpus : Corpus, iterable of Report, or Report
    clauses : bool, default False
        Rows are clauses instead of sentences (see :func:`split_clauses`).

    Returns
    -------
    DataFrame
        Columns :data:`SENTENCE_COLUMNS`: ``report_id`` (str), ``section`` (str, top-level
        section key), ``sentence_index`` (int64, 0-based within the report), ``start``, ``end``
        (int64, span in ``Report.text``), ``text`` (str), ``heading`` (bool). Rows in corpus
        order, then text order.

    Examples
    --------
    >>> from govtext.datasets import load_seeds
    >>> df = sentences_frame(load_seeds()[:2])
    >>> list(df.columns)
    ['report_id', 'section', 'sentence_index', 'start', 'end', 'text', 'heading']
    """
    _check_clauses(clauses, "sentences_frame")
    rows = [
        (r.id, key, i, a, b, r.text[a:b], head)
        for r in _reports(corpus)
        for i, (a, b, key, head) in enumerate(_sentence_spans(r, clauses))
    ]
    df = pd.DataFrame(rows, columns=SENTENCE_COLUMNS)
    return df.astype(
        {
            "report_id": object,
            "section": object,
            "sentence_index": "int64",
            "start": "int64",
            "end": "int64",
            "text": object,
            "heading": bool,
        }
    )


def items_frame(corpus) -> pd.DataFrame:
    """One row per enumerated item of every report.

    Parameters
    ----------
    corpus : Corpus, iterable of Report, or Report

    Returns
    -------
    DataFrame
        Columns :data:`ITEM_COLUMNS`: ``report_id`` (str), ``section`` (str), ``list_id``,
        ``item_index``, ``number`` (int64), ``enumerator``, ``marker_style`` (str), ``depth``,
        ``start``, ``end`` (int64), ``text`` (str). Rows in corpus order, then as
        :func:`items` returns them.

    Examples
    --------
    >>> from govtext.datasets import load_seeds
    >>> df = items_frame(load_seeds()[:1])
    >>> sorted(set(df.marker_style))
    ['arabic_dot', 'arabic_dun', 'paren_cn']
    """
    rows = [
        (
            it.report_id,
            it.section,
            it.list_id,
            it.index,
            it.number,
            it.enumerator,
            it.marker_style,
            it.depth,
            it.start,
            it.end,
            it.text,
        )
        for r in _reports(corpus)
        for it in items(r)
    ]
    df = pd.DataFrame(rows, columns=ITEM_COLUMNS)
    ints = ["list_id", "item_index", "number", "depth", "start", "end"]
    return df.astype({c: "int64" for c in ints})
