"""Problems and improvement measures: the statements of part 五 (存在的主要问题及改进情况).

:func:`extract_statements` turns the problems/plans sections of every report into one row per
statement: a **problem** is one shortcoming the agency admits (``一是…不够及时``, one clause of
``存在的主要问题:A,B,C``), a **measure** one improvement step or next-year action (under
``改进措施``, ``改进情况``, ``下一步``, ``整改措施``, ``今后…将``, ``努力方向``). The labelling
guidelines it follows are those of the gold file (``corpora/gold/README.md``).

How it works
------------
1. **Zones.** The sections keyed ``problems`` or ``plans`` by :func:`govtext.sections.split_sections`
   (sub-headings such as ``(一)存在的问题`` / ``(二)改进措施`` become zones of their own). A
   ``plans`` zone holds measures, a ``problems`` zone starts with problems. A zone is *mixed*
   (cues may switch the kind) when it is a problems section without a plans sub-section; the
   sub-sections of a section that has both hold one kind only. Reports without such a section
   give no statement (none is invented), and achievements described elsewhere are never
   statements.
2. **Units.** In a zone, the outermost enumerated lists of :func:`govtext.sentences.find_items`
   run on the zone alone (``一是``, ``1.``, ``1、``, ``(一)``, …; not the ``;`` lists) give one
   unit per point, also when the first point is glued to the sub-heading (``(二)改进情况一是…``);
   every other sentence of :func:`govtext.sentences.sentence_spans` is a unit of its own. A point
   that runs into a sentence switching the kind (``下一步,我区将…``), into a lead-in ending in
   ``:`` or into a wrap-up (``以上问题…``) is cut there.
3. **Kind.** Walking the units in order, a sentence whose first clause (or the whole sentence,
   when it ends in ``:`` or introduces a list) matches :data:`MEASURE_CUES` or
   :data:`PROBLEM_CUES` switches the kind in a mixed zone; when both match, the cue that ends
   last wins (``我乡将…纳入目标管理,但还存在一些薄弱环节:`` introduces problems). Points take the
   current kind.
4. **Lead-ins.** The sentence right before a list's first point (``主要从以下几方面开展工作:``,
   ``下一步,我区将以更加务实的举措,…。``) is a lead-in, and so are the sentences before it that
   neither switch the kind nor state a shortcoming. Lead-ins are not statements.
5. **Statements.** Each point is one statement (enumerator and explanatory sentences included).
   Every other sentence is split as an unnumbered list: its label or lead-in is dropped (up to
   the last label ``:``, up to ``但仍存在``/``主要存在着``, ``存在的主要问题是``, or leading
   ``下一步,``/``我镇将``), a ``等问题…`` that closes the list is cut, and the rest is split at
   ``,`` and ``;`` (problems also at ``、``, unless the clause closes its ``、`` list with ``等``).
   A clause that only states a consequence (:data:`CONSEQUENCE_MARKERS`) or a purpose
   (:data:`PURPOSE_MARKERS`) stays with the previous one; in problems, a piece without a predicate
   of :data:`PROBLEM_PREDICATES` joins its neighbour. Problem sentences without a predicate
   (``无``, ``取得了一定成效``) or that deny a problem (``未发现问题``) give nothing.

The cue lexicons are module-level tuples of regular expressions: read them, or pass your own to
:func:`statements` / :func:`extract_statements` (``cues=``). Topics come from
:mod:`govtext.topics` (the bundled lexicon unless ``lexicon=`` is given).

Carry-over
----------
:func:`carry_over` finds, for the same agency in consecutive years, the statements of year t
that repeat one of year t−1 (same kind); :func:`responses` pairs each problem of a report with
its most similar measure of the same report (does the report answer its own problems?). Both use
:func:`similarity`: cosine of TF-IDF vectors of character bigrams (or Jaccard of character
bigram sets), with documented default thresholds.

Examples
--------
>>> from govtext.datasets import load_seeds
>>> from govtext.statements import extract_statements
>>> df = extract_statements(load_seeds())
>>> df.groupby("kind").size().to_dict()
{'measure': 42, 'problem': 29}
>>> row = df[df.report_id == "004_3cd86ea425926f19"].iloc[0]
>>> row.kind, row.enumerator, row.text[:12], row.cue, row.topic
('problem', '一是', '一是制度执行仍存在差距,', '存在的问题', 'mechanisms')
"""

from __future__ import annotations

import bisect
import csv
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from govtext.exceptions import InputError, InvalidParameterError

__all__ = [
    "CARRY_OVER_COLUMNS",
    "CONSEQUENCE_MARKERS",
    "MEASURE_CUES",
    "PROBLEM_CUES",
    "PROBLEM_PREDICATES",
    "PURPOSE_MARKERS",
    "RESPONSE_COLUMNS",
    "STATEMENT_COLUMNS",
    "STATEMENT_KINDS",
    "Statement",
    "carry_over",
    "extract_statements",
    "read_gold",
    "responses",
    "similarity",
    "statements",
    "statements_frame",
]

STATEMENT_KINDS = ("problem", "measure")

#: Columns of :func:`extract_statements`.
STATEMENT_COLUMNS = [
    "report_id",
    "statement_index",
    "kind",
    "section",
    "list_index",
    "item_index",
    "enumerator",
    "text",
    "start",
    "end",
    "cue",
    "topic",
    "topics",
]

# --------------------------------------------------------------------------------------------
# cue lexicons (regular expressions over the normalised, simplified text)

#: Labels and lead-ins that mark what follows as problems.
PROBLEM_CUES: tuple[str, ...] = (
    r"存在(?:的|着)?(?:主要|突出|以下|如下|一些|一定的?|较多|不少|诸多)?(?:的)?(?:问题|不足|困难|差距|短板|薄弱环节|缺点)",
    r"(?:主要|突出)?问题(?:和不足|及不足|与不足)?(?:是|有|如下|主要是|主要有)?[:]",
    r"(?:但|仍|还|也)(?:是|然|仍然)?[^,。:;]{0,8}?存在",
    r"主要存在",
    r"不足之处",
    r"薄弱环节",
    r"(?:离|与)[^,。]{0,12}(?:要求|需求|期望|期待)[^,。]{0,6}(?:差距|距离)",
)

#: Labels and lead-ins that mark what follows as improvement measures (checked before
#: :data:`PROBLEM_CUES`: ``结合存在的问题,我们将从以下三个方面改进`` introduces measures).
MEASURE_CUES: tuple[str, ...] = (
    r"下一步",
    r"下步",
    r"今后",
    r"明年",
    r"来年",
    r"新的一年",
    r"(?:改进|整改|改善|工作|具体|应对|解决|采取)(?:的)?措施",
    r"改进(?:情况|方向|计划|思路|如下)",
    r"解决办法",
    r"努力方向",
    r"工作(?:打算|计划|思路|重点)",
    r"(?:从|在|做好|抓好|加强|开展)?以下[几一二三四五六七八九十]?个?方面(?:的)?(?:开展|加强|做好)?(?:工作|改进)",
    r"(?:开展|做好|抓好|加强|从)以下",
    r"开展工作[:]",
    r"决定",
    r"(?:我|本)[^,。:;]{0,6}?(?:将|会)",
    r"将(?:从|按照|以|继续|进一步|着力|重点|围绕|持续|不断|在)",
)
# The generic "we will" patterns: they switch to measures but do not replace a better cue
# (the heading's 下一步) of the same kind.
_WEAK_MEASURE_CUES = frozenset(MEASURE_CUES[-2:])

#: Words that make a clause state a shortcoming (an unnumbered problem needs one).
PROBLEM_PREDICATES: tuple[str, ...] = (
    "不够", "不足", "有待", "仍需", "尚需", "还需", "需要进一步", "需进一步", "不到位", "不及时",
    "不全面", "不规范", "不完善", "不健全", "不平衡", "不强", "不高", "不深", "不细", "不畅",
    "不明显", "不充分", "不清晰", "不准确", "不统一", "滞后", "缓慢", "较慢", "慢", "延误",
    "欠缺", "缺乏", "较少", "偏少", "单一", "单调", "薄弱", "差距", "短板", "问题", "困难",
    "存在", "较弱", "偏弱", "较低", "偏低", "不严", "落后", "空白",
)

#: Clause openings that only state the consequence of the previous shortcoming.
CONSEQUENCE_MARKERS: tuple[str, ...] = ("导致", "影响", "不能让", "不能使", "使得", "造成", "致使", "以致", "从而")

#: Clause openings that only state the purpose of the previous step.
PURPOSE_MARKERS: tuple[str, ...] = ("确保", "保证", "使", "以便", "从而", "方便", "进而", "以期", "力争", "真正")

_LIST_END_RE = re.compile(r"等(?:方面的?)?(?:问题|不足|情况)")
_LABEL_ENDINGS = ("表现在", "表现为", "体现在", "主要是", "如下", "如")
_VACUOUS_RE = re.compile(
    r"^(?:着)?(?:一定的?|一些|较大的?|不少|诸多|很多|许多)?(?:的)?(?:差距|问题|不足|困难|短板|薄弱环节)[。;,:]?$"
)
_WRAPUP_RE = re.compile(r"(?:以上|上述|这些|针对上述|针对以上)")
_TIME_LEAD_RE = re.compile(r"^(?:下一步|下步|今后|明年|来年|新的一年|20\d\d年度?|在今后的?工作中|今后一个时期|下一阶段)$")
_SUBJECT_LEAD_RE = re.compile(
    r"(?:我们|我[镇乡区县局办市委处街村站所院]+(?:办事处|政府|人民政府)?|本(?:单位|机关|镇|乡|局|部门|区|县))?"
    r"(?:将|会|要|拟|计划)+(?:会)?"
)
_PROBLEM_IS_RE = re.compile(
    r"[^,。:;]{0,8}?(?:存在的?|存在着)?(?:主要|突出)?(?:问题|不足|困难)(?:主要)?(?:是|有|表现(?:在|为)|体现在)"
)
_CONCESSION_EXIST_RE = re.compile(r"(?:但|仍|还|也|主要|同时)[^,。:;]{0,8}?存在(?:着)?")
_CN = "一二三四五六七八九十"
_ENUM_HEAD_RE = re.compile(
    rf"^(?:[{_CN}]{{1,3}}是|\d{{1,2}}[.、](?:是)?|[(（](?:[{_CN}]{{1,3}}|\d{{1,2}})[)）]|[\u2460-\u2473])"
)
_BRACKETS = {"(": ")", "《": "》", "“": "”", "‘": "’", "[": "]", "【": "】", "〔": "〕", "「": "」"}


# --------------------------------------------------------------------------------------------
# records


@dataclass(frozen=True)
class Statement:
    """One problem or improvement measure.

    Attributes
    ----------
    report_id : str
    index : int
        0-based position among the report's statements (text order).
    kind : str
        ``"problem"`` or ``"measure"``.
    section : str
        Key of the section it was found in (``"problems"`` or ``"plans"``; the deepest such
        section, e.g. the ``(二)改进措施`` sub-section).
    list_index : int
        0-based number of the list it belongs to among the report's statement lists (an
        enumeration, or the unnumbered list of one sentence).
    item_index : int
        0-based position in that list.
    enumerator : str
        ``"一是"``, ``"1."``, ``"(一)"``, …; ``""`` for unnumbered statements.
    text : str
        ``Report.text[start:end]`` (the enumerator is kept at the start).
    start, end : int
        Half-open span in ``Report.text``.
    cue : str
        The phrase that marked it: the label, lead-in or heading words matched by
        :data:`PROBLEM_CUES` / :data:`MEASURE_CUES` (``"存在的问题"``, ``"下一步"``,
        ``"改进措施"``), or the heading when no cue matched.
    topics : tuple of str
        Topics from the lexicon (:mod:`govtext.topics`), primary first.
    """

    report_id: str
    index: int
    kind: str
    section: str
    list_index: int
    item_index: int
    enumerator: str
    text: str
    start: int
    end: int
    cue: str = ""
    topics: tuple[str, ...] = field(default=())

    @property
    def topic(self) -> str:
        """The primary topic (``"other"`` when there is none)."""
        return self.topics[0] if self.topics else "other"

    @property
    def span(self) -> tuple[int, int]:
        """``(start, end)``."""
        return self.start, self.end


@dataclass
class _Unit:
    start: int
    end: int
    item: Any = None  # the Item for list points
    first: bool = False  # first point of its list
    list_key: tuple = ()


@dataclass(frozen=True)
class _Cues:
    """Compiled cue lexicons; patterns are tried in order (the first that matches names the cue)."""

    measure: tuple[re.Pattern, ...]
    problem: tuple[re.Pattern, ...]
    weak: frozenset[int]  # indexes of measure patterns too generic to rename a cue


def _first(patterns: Sequence[re.Pattern], text: str) -> re.Match | None:
    for pat in patterns:
        m = pat.search(text)
        if m:
            return m
    return None


def _compile_cues(cues: Mapping[str, Sequence[str]] | None) -> _Cues:
    m = MEASURE_CUES
    p = PROBLEM_CUES
    if cues is not None:
        if not isinstance(cues, Mapping) or set(cues) - {"problem", "measure"}:
            msg = ("The 'cues' parameter must be a mapping with keys 'problem' and/or 'measure' "
                   f"to sequences of regular expressions. Got {cues!r} instead.")
            raise InvalidParameterError(msg)
        for key, val in cues.items():
            if isinstance(val, str) or not all(isinstance(x, str) for x in val):
                msg = f"The 'cues' parameter must map {key!r} to a sequence of str. Got {val!r} instead."
                raise InvalidParameterError(msg)
        m = tuple(cues.get("measure", m))
        p = tuple(cues.get("problem", p))
    try:
        weak = frozenset(i for i, x in enumerate(m) if x in _WEAK_MEASURE_CUES)
        return _Cues(tuple(re.compile(x) for x in m), tuple(re.compile(x) for x in p), weak)
    except re.error as exc:
        msg = f"The 'cues' parameter holds an invalid regular expression: {exc}."
        raise InvalidParameterError(msg) from None


_DEFAULT_CUES: _Cues | None = None


def _cues(cues) -> _Cues:
    global _DEFAULT_CUES
    if cues is None:
        if _DEFAULT_CUES is None:
            _DEFAULT_CUES = _compile_cues(None)
        return _DEFAULT_CUES
    return _compile_cues(cues)


# --------------------------------------------------------------------------------------------
# text helpers


def _has_predicate(text: str) -> bool:
    return any(p in text for p in PROBLEM_PREDICATES)


_DENIAL_RE = re.compile(r"(?:未|没有|并无|暂无|不存在|无(?!法))(?:发现|出现|存在|发生)?[^,。;]{0,8}?(?:问题|不足|差错|差距)")


def _denies(text: str) -> bool:
    """Whether a clause only denies a problem (``未发现问题``, ``不存在收费和减免情况``)."""
    m = _DENIAL_RE.search(text)
    return m is not None and not _has_predicate(text[:m.start()] + text[m.end():])


def _delims(text: str, a: int, b: int, chars: str) -> list[int]:
    """Positions of ``chars`` in ``text[a:b]`` outside brackets and quotes (never between two
    digits, as in ``22,000``)."""
    out = []
    stack: list[str] = []
    closers = set(_BRACKETS.values())
    for i in range(a, b):
        c = text[i]
        if c in _BRACKETS and not (c == "“" and stack and stack[-1] == "”"):
            stack.append(_BRACKETS[c])
        elif stack and c == stack[-1]:
            stack.pop()
        elif c in closers:
            continue
        elif not stack and c in chars:
            if c == "," and 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit():
                continue
            out.append(i)
    return out


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    """Strip whitespace on both sides and a trailing ``,``/``、``/``:``."""
    while a < b and text[a] in " \t\n\u3000,、":
        a += 1
    while b > a and text[b - 1] in " \t\n\u3000,、:":
        b -= 1
    return a, b


def _head(text: str, s: int, e: int, whole: bool) -> str:
    """The first clause of a sentence (up to the first ``,``/``:``/``;``), or all of it."""
    if whole:
        return text[s:e]
    d = _delims(text, s, e, ",:;")
    return text[s:d[0] + 1] if d else text[s:e]


def _switch(text: str, s: int, e: int, cues: _Cues, whole: bool) -> tuple[str | None, str, bool]:
    """(kind, cue, weak) a sentence switches to, or (None, "", False).

    When both kinds match, the cue that ends last wins (it is the one next to the list):
    ``我乡将…纳入年度目标管理,但工作中还存在一些薄弱环节:`` introduces problems,
    ``结合存在的问题和不足,我们将从以下三个方面改进。`` measures. The cue named is the first
    pattern (in lexicon order) of the winning kind that matches.
    """
    head = _head(text, s, e, whole or text[e - 1] in ":")
    best: dict[str, tuple[int, str, bool]] = {}  # kind -> (last end, cue of first pattern, weak)
    for kind, patterns in (("measure", cues.measure), ("problem", cues.problem)):
        last = -1
        cue = ""
        strong = False
        for i, pat in enumerate(patterns):
            for m in pat.finditer(head):
                last = max(last, m.end())
                if not cue:
                    cue = m.group()
                strong = strong or kind == "problem" or i not in cues.weak
        if last >= 0:
            if kind == "measure" and not strong:
                cue = next(m.group() for pat in patterns if (m := pat.search(head)))
            best[kind] = (last, cue, not strong)
    if not best:
        return None, "", False
    kind = max(best, key=lambda k: (best[k][0], k == "measure"))
    _, cue, weak = best[kind]
    return kind, cue, weak


def _list_start(text: str, s: int, e: int, kind: str, cues: _Cues) -> int:
    """Where the unnumbered list of a sentence starts (after its label or lead-in words)."""
    # labels end in a colon: 存在的问题:…还存在一些薄弱环节,主要表现在:A,B
    for c in _delims(text, s, e, ":"):
        if c >= e - 1:
            break
        before = text[s:c]
        if _first(cues.measure, before) or _first(cues.problem, before) or len(before) <= 12 \
                or before.endswith(_LABEL_ENDINGS):
            s = c + 1
    if kind == "problem":
        m = _PROBLEM_IS_RE.match(text, s, e)
        if m and m.end() < e - 2:
            return m.end()
        m = _CONCESSION_EXIST_RE.search(text, s, e)
        # (a 还存在 inside the list, after shortcomings, is not a lead-in)
        if m and not _has_predicate(text[s:m.start()]):
            rest = text[m.end():e]
            if not _VACUOUS_RE.match(rest) and len(rest.strip("。;, ")) >= 3:
                return m.end()
        return s
    # measures: drop leading time words (下一步,) and a subject with a modal (我镇将)
    p = s
    while True:
        d = _delims(text, p, e, ",")
        if d and _TIME_LEAD_RE.match(text[p:d[0]].strip()):
            p = d[0] + 1
            continue
        break
    m = _SUBJECT_LEAD_RE.match(text, p, e)
    if m and m.end() > p and m.end() < e:
        p = m.end()
    return p


def _split_unnumbered(text: str, a: int, e: int, kind: str) -> list[tuple[int, int]]:
    """Split ``text[a:e]`` (an unnumbered list) into statements."""
    if kind == "problem":
        # a closing 等问题 (,需在今后工作中加以解决…) ends the list; one inside a clause does not
        ends = list(_LIST_END_RE.finditer(text, a, e))
        if ends and ends[-1].start() > a:
            rest = text[ends[-1].end():e]
            if not _delims(text, ends[-1].end(), e, ";") and not _has_predicate(rest):
                e = ends[-1].start()
    a, e = _trim(text, a, e)
    if e <= a:
        return []
    cuts = _delims(text, a, e, ",;")
    if kind == "problem":
        # 、 separates shortcomings unless the clause closes its 、 list with 等 (A、B等方面存在不足,
        # 内容单调、形式单一、互动不够等问题: one statement)
        clause_bounds = [a, *[c + 1 for c in cuts], e]
        for x, y in zip(clause_bounds, clause_bounds[1:]):
            duns = _delims(text, x, y, "、")
            if duns and "等" not in text[duns[-1]:y]:
                cuts.extend(duns)
        cuts.sort()
    pieces = []  # (start, end_incl_sep, sep)
    p = a
    for c in cuts:
        pieces.append((p, c + 1, text[c]))
        p = c + 1
    pieces.append((p, e, ""))
    pieces = [(x, y, sep) for x, y, sep in pieces if text[x:y].strip(" ,;、。") != ""]
    if not pieces:
        return []
    groups: list[list[int]] = []  # [start, end, has_predicate, pending_dun]
    markers = CONSEQUENCE_MARKERS if kind == "problem" else PURPOSE_MARKERS
    carry: int | None = None  # start of pieces waiting to join the next (A、 before B)
    prev_sep = ""
    for x, y, sep in pieces:
        body = text[x:y].lstrip()
        pred = kind != "problem" or _has_predicate(body)
        start = x if carry is None else carry
        attach = groups and prev_sep in ",;" and body.startswith(markers)
        if attach:
            groups[-1][1] = y
            carry = None
        elif not pred and sep == "、":
            carry = start
        elif not pred and groups and carry is None:
            groups[-1][1] = y
        else:
            groups.append([start, y])
            carry = None
        prev_sep = sep
    if carry is not None:
        if groups:
            groups[-1][1] = e
        else:
            groups.append([carry, e])
    out = []
    for x, y in groups:
        x, y = _trim(text, x, y)
        if y > x:
            out.append((x, y))
    return out


# --------------------------------------------------------------------------------------------
# zones and units


def _zones(report) -> list[tuple[int, int, str, str, str, bool]]:
    """(start, end, kind, section key, heading, mixed) of the problems/plans zones of a report.

    A zone is *mixed* (both kinds may occur, cues switch between them) unless it is a plans
    section, or one of the sub-sections of a section that has both a problems and a plans
    sub-section (``(一)存在的问题`` / ``(二)改进措施``): those hold one kind only.
    """
    out = []

    def visit(sec, inside: bool) -> None:
        if sec.key in ("problems", "plans") and not inside:
            kids = [c for c in sec.children if c.key in ("problems", "plans")]
            kind = "measure" if sec.key == "plans" else "problem"
            if not kids:
                out.append((sec.heading_end, sec.end, kind, sec.key, sec.heading, sec.key == "problems"))
                return
            if kids[0].start > sec.heading_end:
                out.append((sec.heading_end, kids[0].start, kind, sec.key, sec.heading, True))
            pure = {k.key for k in kids} == {"problems", "plans"}
            for i, k in enumerate(kids):
                end = kids[i + 1].start if i + 1 < len(kids) else sec.end
                out.append((k.heading_end, end, "measure" if k.key == "plans" else "problem", k.key,
                            k.heading, not pure and k.key == "problems"))
            return
        for c in sec.children:
            visit(c, inside)

    for top in report.sections:
        visit(top, False)
    out.sort()
    return out


def _label_starts(report) -> set[int]:
    """Starts of the problems/plans sections (their headings are not points of a list)."""
    starts = set()
    for top in report.sections:
        for s in top.walk():
            if s.key in ("problems", "plans"):
                starts.add(s.start)
    return starts


def _units(text: str, zone: tuple[int, int], its: Sequence, sents: list[tuple[int, int]],
           labels: set[int], cues: _Cues, kind: str, mixed: bool) -> list[_Unit]:
    za, zb = zone
    cand = [it for it in its if it.marker_style != "semicolon" and za <= it.start < zb and it.start not in labels]
    # outermost points only
    kept = []
    for it in sorted(cand, key=lambda i: (i.start, -i.end)):
        if kept and it.start < kept[-1].end:
            continue
        kept.append(it)
    # a list needs at least two surviving points
    by_list: dict[int, int] = {}
    for it in kept:
        by_list[it.list_id] = by_list.get(it.list_id, 0) + 1
    kept = [it for it in kept if by_list[it.list_id] >= 2]
    starts = [s for s, _ in sents]
    units: list[_Unit] = []
    covered: list[tuple[int, int]] = []
    for it in kept:
        a, b = it.start, min(it.end, zb)
        # cut the point at a sentence that switches the kind, opens a new list or wraps up
        # (以上问题…); its last sentence, when a new list follows, is read whole:
        # …存在的问题和不足,我们将从以下三个方面改进。
        last_of_list = it.index == max(j.index for j in kept if j.list_id == it.list_id)
        i = bisect.bisect_right(starts, a)
        while i < len(sents) and sents[i][0] < b:
            s, e = sents[i]
            if s > a:
                whole = last_of_list and (i + 1 >= len(sents) or sents[i + 1][0] >= b)
                k, _, _ = _switch(text, s, e, cues, whole)
                if (mixed and k is not None and k != kind) or text[e - 1] == ":" or _WRAPUP_RE.match(text, s):
                    b = s
                    break
            i += 1
        a, b = _trim(text, a, b)
        if b <= a:
            continue
        units.append(_Unit(a, b, it, it.index == 0, (it.list_id,)))
        covered.append((it.start, b))
    covered.sort()
    cov_starts = [c[0] for c in covered]
    for s, e in sents:
        if not (za <= s < zb):
            continue
        j = bisect.bisect_right(cov_starts, s) - 1
        if j >= 0 and covered[j][0] <= s < covered[j][1]:
            continue
        units.append(_Unit(s, min(e, zb)))
    units.sort(key=lambda u: u.start)
    # a list whose first point was cut away still starts at its first surviving point
    seen: set[tuple] = set()
    for u in units:
        if u.item is not None and u.list_key not in seen:
            u.first = True
            seen.add(u.list_key)
    return units


def _extract(report, cues: _Cues) -> list[tuple[str, str, int, int, str, str, tuple]]:
    """(kind, section, start, end, enumerator, cue, list key) of every statement of a report."""
    from govtext.sentences import find_items, sentence_spans

    text = report.text
    zones = _zones(report)
    if not zones:
        return []
    sents = [(a, b) for a, b, _key, head in sentence_spans(report) if not head]
    labels = _label_starts(report)
    out = []
    for za, zb, zkind, zkey, heading, mixed in zones:
        # lists are searched in the zone alone: its start counts as a line start, so a point
        # glued to the sub-heading (``(二)改进情况一是…``) is still a point
        its = find_items(text, za, zb, report_id=report.id)
        units = _units(text, (za, zb), its, sents, labels, cues, zkind, mixed)
        m = _first(cues.measure if zkind == "measure" else cues.problem, heading)
        state, state_cue = zkind, (m.group() if m else heading.strip())
        # lead-ins: the sentence before a list's first point, and the quiet sentences before it
        lead = [False] * len(units)
        for i, u in enumerate(units):
            if u.item is None or not u.first or i == 0 or units[i - 1].item is not None:
                continue
            lead[i - 1] = True
            j = i - 2
            while j >= 0 and units[j].item is None:
                s, e = units[j].start, units[j].end
                k, _, _ = _switch(text, s, e, cues, False)
                if k is not None or _has_predicate(text[s:e]):
                    break
                lead[j] = True
                j -= 1
        for i, u in enumerate(units):
            s, e = u.start, u.end
            if u.item is not None:
                out.append((state, zkey, s, e, u.item.enumerator, state_cue, (za, u.list_key)))
                continue
            precedes_list = i + 1 < len(units) and units[i + 1].item is not None and units[i + 1].first
            k, cue, weak = _switch(text, s, e, cues, precedes_list)
            if not mixed and k is not None and k != zkind:
                k, cue, weak = None, "", False
            if weak and k == state:
                cue = ""
            elif k is not None:
                state, state_cue = k, cue
            if lead[i] or text[e - 1] == ":" or _WRAPUP_RE.match(text, s):
                continue
            if state == "problem" and not _has_predicate(text[s:e]):
                continue
            a = _list_start(text, s, e, state, cues)
            for x, y in _split_unnumbered(text, a, e, state):
                if state == "problem" and (not _has_predicate(text[x:y]) or _denies(text[x:y])):
                    continue
                if _VACUOUS_RE.match(text[x:y]):
                    continue
                out.append((state, zkey, x, y, "", cue or state_cue, (za, "s", s)))
    out.sort(key=lambda r: (r[2], -r[3]))
    # drop exact duplicates and statements nested in an earlier one
    clean = []
    for r in out:
        if clean and r[2] < clean[-1][3]:
            continue
        clean.append(r)
    return clean


# --------------------------------------------------------------------------------------------
# public API


def _is_report(obj: Any) -> bool:
    return isinstance(getattr(obj, "text", None), str) and isinstance(getattr(obj, "id", None), str)


def statements(report, *, cues: Mapping[str, Sequence[str]] | None = None,
               lexicon: Any = None) -> tuple[Statement, ...]:
    """The problems and improvement measures of one report, in text order.

    Parameters
    ----------
    report : Report
    cues : mapping, optional
        Replace the cue lexicons: ``{"problem": [...], "measure": [...]}`` (regular
        expressions; a missing key keeps the default :data:`PROBLEM_CUES` /
        :data:`MEASURE_CUES`).
    lexicon : TopicLexicon, optional
        Topic lexicon (default: :func:`govtext.topics.load_lexicon`).

    Returns
    -------
    tuple of Statement

    Examples
    --------
    >>> from govtext.datasets import load_seeds
    >>> st = statements(load_seeds()["003_aad2c66ccec4c55e#5"])
    >>> [(s.kind, s.text) for s in st][:3]
    [('problem', '政府信息公开工作的宣传工作还不够'), ('problem', '公文类信息属性核定、信息公开工作人员业务培训等方面存在不足'), ('problem', '主动公开范围仍需拓宽')]
    >>> st[0].cue, st[0].topic
    ('存在的主要问题', 'awareness')
    """
    if not _is_report(report):
        msg = f"The 'report' parameter of statements must be a Report. Got {type(report).__name__} instead."
        raise InvalidParameterError(msg)
    from govtext.topics import TopicLexicon, load_lexicon

    lex = load_lexicon() if lexicon is None else lexicon
    if not isinstance(lex, TopicLexicon):
        msg = f"The 'lexicon' parameter of statements must be a TopicLexicon. Got {type(lex).__name__} instead."
        raise InvalidParameterError(msg)
    rows = _extract(report, _cues(cues))
    text = report.text
    list_ids: dict[tuple, int] = {}
    counters: dict[tuple, int] = {}
    out = []
    for i, (kind, section, a, b, enum, cue, key) in enumerate(rows):
        li = list_ids.setdefault(key, len(list_ids))
        ii = counters.get(key, 0)
        counters[key] = ii + 1
        out.append(Statement(report.id, i, kind, section, li, ii, enum, text[a:b], a, b, cue,
                             lex.assign(text[a:b])))
    return tuple(out)


def _reports(reports: Any, caller: str) -> list:
    if _is_report(reports):
        return [reports]
    if isinstance(reports, (str, bytes)) or not isinstance(reports, Iterable):
        msg = f"The 'reports' parameter of {caller} must be a Corpus, an iterable of Report or a Report. Got {type(reports).__name__} instead."
        raise InvalidParameterError(msg)
    out = list(reports)
    for r in out:
        if not _is_report(r):
            msg = f"The 'reports' parameter of {caller} must hold Reports. Got {type(r).__name__} instead."
            raise InvalidParameterError(msg)
    return out


def statements_frame(records: Iterable[Statement]) -> pd.DataFrame:
    """A DataFrame with the columns :data:`STATEMENT_COLUMNS` from Statement records."""
    rows = [(s.report_id, s.index, s.kind, s.section, s.list_index, s.item_index, s.enumerator,
             s.text, s.start, s.end, s.cue, s.topic, tuple(s.topics)) for s in records]
    df = pd.DataFrame(rows, columns=STATEMENT_COLUMNS)
    ints = ["statement_index", "list_index", "item_index", "start", "end"]
    return df.astype({c: "int64" for c in ints})


def extract_statements(reports: Any, *, kinds: Sequence[str] = STATEMENT_KINDS,
                       cues: Mapping[str, Sequence[str]] | None = None,
                       lexicon: Any = None) -> pd.DataFrame:
    """Problems and improvement measures of every report, one row per statement.

    Parameters
    ----------
    reports : Corpus, iterable of Report, or Report
    kinds : sequence of {"problem", "measure"}
        Keep only these kinds.
    cues : mapping, optional
        Replacement cue lexicons (see :func:`statements`).
    lexicon : TopicLexicon, optional
        Topic lexicon (default: the bundled one, ``govtext/data/topics.json``).

    Returns
    -------
    DataFrame
        Columns :data:`STATEMENT_COLUMNS`: ``report_id`` (str); ``statement_index`` (int64,
        0-based within the report, over both kinds); ``kind`` (``problem``/``measure``);
        ``section`` (``problems``/``plans``: the section it was found in); ``list_index`` and
        ``item_index`` (int64: the list within the report and the position in it); ``enumerator``
        (``一是``, ``1.``, … or ``""``); ``text``; ``start``, ``end`` (int64, half-open span in
        ``Report.text``); ``cue`` (the phrase that marked it); ``topic`` (primary lexicon topic)
        and ``topics`` (tuple of all its topics). Rows in corpus order, then text order.

    Examples
    --------
    >>> from govtext.datasets import load_seeds
    >>> df = extract_statements(load_seeds())
    >>> df[df.report_id == "002_201993b9de74ca40"][["kind", "enumerator", "topic"]].head(3)
           kind enumerator         topic
    12  problem         一是      capacity
    13  problem         二是     awareness
    14  problem         三是  completeness
    """
    if isinstance(kinds, str) or not set(kinds) <= set(STATEMENT_KINDS) or not len(kinds):
        msg = f"The 'kinds' parameter of extract_statements must be a non-empty subset of {list(STATEMENT_KINDS)}. Got {kinds!r} instead."
        raise InvalidParameterError(msg)
    recs = [s for r in _reports(reports, "extract_statements") for s in statements(r, cues=cues, lexicon=lexicon)
            if s.kind in kinds]
    return statements_frame(recs)


def read_gold(path: str | os.PathLike, corpus: Any = None) -> pd.DataFrame:
    """Read a gold file of statements (the format of ``corpora/gold/statements.csv``).

    Parameters
    ----------
    path : path-like
        CSV (UTF-8, optional BOM) with the columns ``report_id, kind, start, end`` and
        optionally ``text`` and ``note``.
    corpus : Corpus or mapping of id to Report, optional
        When given, every span is checked against ``Report.text`` (and ``text``, when present,
        must equal ``Report.text[start:end]``).

    Returns
    -------
    DataFrame
        ``start``/``end`` as int64, ``note`` filled with ``""``.

    Raises
    ------
    InputError
        On missing columns, bad kinds or spans that do not match the corpus.
    """
    spath = os.fspath(path)
    try:
        with open(spath, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
    except OSError as exc:
        msg = f"cannot read the gold file: {exc}"
        raise InputError(msg, source=spath) from None
    need = ["report_id", "kind", "start", "end"]
    cols = list(rows[0].keys()) if rows else need
    missing = [c for c in need if c not in cols]
    if missing:
        msg = f"the gold file needs the columns {missing}; it has {cols}."
        raise InputError(msg, source=spath)
    df = pd.DataFrame(rows, columns=cols)
    try:
        df = df.astype({"start": "int64", "end": "int64"})
    except ValueError:
        msg = "the gold file's start and end must be integers."
        raise InputError(msg, source=spath) from None
    bad = sorted(set(df["kind"]) - set(STATEMENT_KINDS))
    if bad:
        msg = f"the gold file's kinds must be in {list(STATEMENT_KINDS)}; found {bad}."
        raise InputError(msg, source=spath)
    if "note" in df.columns:
        df["note"] = df["note"].fillna("")
    if corpus is not None:
        for i, (rid, a, b) in enumerate(zip(df["report_id"], df["start"], df["end"])):
            try:
                text = corpus[rid].text
            except (KeyError, IndexError, TypeError):
                msg = f"row {i}: report {rid!r} is not in the corpus."
                raise InputError(msg, source=spath) from None
            if not 0 <= a < b <= len(text):
                msg = f"row {i}: span ({a}, {b}) lies outside report {rid!r} (length {len(text)})."
                raise InputError(msg, source=spath)
            if "text" in df.columns and text[a:b] != df["text"].iloc[i]:
                msg = f"row {i}: the text does not match report {rid!r} at ({a}, {b})."
                raise InputError(msg, source=spath)
    return df


# --------------------------------------------------------------------------------------------
# similarity and carry-over

_SIM_METHODS = ("tfidf", "jaccard")
_PUNCT_RE = re.compile(r"[^\w]|_", re.UNICODE)


def _clean(text: str) -> str:
    """Text for comparison: no enumerator, no punctuation, no spaces."""
    return _PUNCT_RE.sub("", _ENUM_HEAD_RE.sub("", text.strip(), count=1))


def _check_method(method: Any, caller: str) -> None:
    if method not in _SIM_METHODS:
        msg = f"The 'method' parameter of {caller} must be one of {list(_SIM_METHODS)}. Got {method!r} instead."
        raise InvalidParameterError(msg)


def _bigrams(text: str) -> frozenset[str]:
    t = _clean(text)
    if len(t) < 2:
        return frozenset([t]) if t else frozenset()
    return frozenset(t[i:i + 2] for i in range(len(t) - 1))


def _clause_texts(text: str) -> list[str]:
    from govtext.sentences import split_clauses

    parts = [text[a:b] for a, b in split_clauses(text)]
    parts = [x for x in parts if _clean(x)]
    return parts or [text]


def _pairwise(a: list[str], b: list[str], method: str, fit: list[str]) -> np.ndarray:
    if method == "jaccard":
        sa = [_bigrams(x) for x in a]
        sb = [_bigrams(x) for x in b]
        out = np.zeros((len(a), len(b)))
        for i, x in enumerate(sa):
            for j, y in enumerate(sb):
                u = len(x | y)
                out[i, j] = len(x & y) / u if u else 0.0
        return out
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(analyzer="char", ngram_range=(2, 2), sublinear_tf=True, preprocessor=_clean,
                          lowercase=False)
    try:
        vec.fit(fit)
    except ValueError:  # no bigram at all
        return np.zeros((len(a), len(b)))
    xa = vec.transform(a)
    xb = vec.transform(b)
    return np.clip(np.asarray((xa @ xb.T).todense()), 0.0, 1.0)


def similarity(a: Sequence[str], b: Sequence[str], *, method: str = "tfidf",
               fit: Sequence[str] | None = None, clauses: bool = False) -> np.ndarray:
    """Pairwise similarity of two lists of statement texts, in [0, 1].

    Texts are compared without their enumerators, punctuation and spaces, on character bigrams.

    Parameters
    ----------
    a, b : sequence of str
    method : {"tfidf", "jaccard"}, default "tfidf"
        ``tfidf``: cosine of TF-IDF vectors of character bigrams (sublinear tf, smoothed idf
        fitted on ``fit``); ``jaccard``: |A ∩ B| / |A ∪ B| of the bigram sets.
    fit : sequence of str, optional
        The texts the idf weights are fitted on (default: ``a`` + ``b``). Pass all statements of
        a corpus to make scores comparable across calls.
    clauses : bool, default False
        Compare clause by clause (:func:`govtext.sentences.split_clauses`) and keep the best
        pair: a long measure then answers a short problem when one of its clauses does
        (``信息公开不及时`` / ``1.加强信息公开的及时性。应该建立健全…``).

    Returns
    -------
    ndarray of shape (len(a), len(b))

    Examples
    --------
    >>> a = ["三是公开的内容和形式还不够丰富;"]
    >>> b = ["三是公开的内容和形式还不够丰富,公开的载体还有待进一步拓展。", "二是加强学习和培训。"]
    >>> similarity(a, b, method="jaccard").round(2).tolist()
    [[0.52, 0.0]]
    >>> similarity(a, b, method="jaccard", clauses=True).round(2).tolist()
    [[1.0, 0.0]]
    """
    _check_method(method, "similarity")
    for name, val in (("a", a), ("b", b)):
        if isinstance(val, str) or not all(isinstance(x, str) for x in val):
            msg = f"The {name!r} parameter of similarity must be a sequence of str. Got {type(val).__name__} instead."
            raise InvalidParameterError(msg)
    if not isinstance(clauses, bool):
        msg = f"The 'clauses' parameter of similarity must be a bool. Got {clauses!r} instead."
        raise InvalidParameterError(msg)
    if fit is not None and (isinstance(fit, str) or not all(isinstance(x, str) for x in fit)):
        msg = f"The 'fit' parameter of similarity must be a sequence of str. Got {type(fit).__name__} instead."
        raise InvalidParameterError(msg)
    a, b = list(a), list(b)
    if not a or not b:
        return np.zeros((len(a), len(b)))
    corpus = list(fit) if fit is not None else a + b
    if not clauses:
        return _pairwise(a, b, method, corpus)
    ca = [_clause_texts(x) for x in a]
    cb = [_clause_texts(x) for x in b]
    flat_a = [c for cs in ca for c in cs]
    flat_b = [c for cs in cb for c in cs]
    fit_clauses = corpus + [c for t in corpus for c in _clause_texts(t)]
    sim = _pairwise(flat_a, flat_b, method, fit_clauses)
    ia = np.repeat(np.arange(len(a)), [len(cs) for cs in ca])
    ib = np.repeat(np.arange(len(b)), [len(cs) for cs in cb])
    out = np.zeros((len(a), len(b)))
    np.maximum.at(out, (ia[:, None], ib[None, :]), sim)
    return out


def _statement_input(frame: Any, caller: str) -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame):
        try:
            frame = statements_frame(frame)
        except (TypeError, AttributeError):
            msg = f"The 'statements' parameter of {caller} must be a DataFrame from extract_statements or Statement records. Got {type(frame).__name__} instead."
            raise InvalidParameterError(msg) from None
    need = ["report_id", "kind", "text"]
    missing = [c for c in need if c not in frame.columns]
    if missing:
        msg = f"{caller} needs the columns {missing} in 'statements'. Got {list(frame.columns)} instead."
        raise InvalidParameterError(msg)
    frame = frame.reset_index(drop=True)
    if "statement_index" not in frame.columns:
        frame = frame.assign(statement_index=frame.groupby("report_id").cumcount())
    return frame


def _check_threshold(threshold: Any, caller: str) -> float:
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 <= threshold <= 1:
        msg = f"The 'threshold' parameter of {caller} must be a float in [0, 1]. Got {threshold!r} instead."
        raise InvalidParameterError(msg)
    return float(threshold)


def _metadata(metadata: Any, caller: str) -> pd.DataFrame:
    """report_id, agency, year from a DataFrame or from reports (``report.metadata``)."""
    if isinstance(metadata, pd.DataFrame):
        missing = [c for c in ("report_id", "agency", "year") if c not in metadata.columns]
        if missing:
            msg = f"{caller} needs the columns {missing} in 'metadata'. Got {list(metadata.columns)} instead."
            raise InvalidParameterError(msg)
        meta = metadata[["report_id", "agency", "year"]].copy()
    else:
        rows = []
        for r in _reports(metadata, caller):
            md = r.metadata
            rows.append((r.id, getattr(md, "agency", None), getattr(md, "year", None)))
        meta = pd.DataFrame(rows, columns=["report_id", "agency", "year"])
    meta["report_id"] = meta["report_id"].astype(str)
    meta["year"] = pd.to_numeric(meta["year"], errors="coerce").astype("Int64")
    meta["agency"] = meta["agency"].astype(object).where(meta["agency"].notna(), None)
    return meta


#: Columns of :func:`carry_over`.
CARRY_OVER_COLUMNS = ["agency", "year", "kind", "report_id", "statement_index", "text",
                      "previous_report_id", "previous_statement_index", "previous_text",
                      "similarity", "repeated"]

#: Columns of :func:`responses`.
RESPONSE_COLUMNS = ["report_id", "problem_index", "problem_text", "measure_index", "measure_text",
                    "similarity", "answered", "topic_match"]


def carry_over(statements: Any, metadata: Any, *, kinds: Sequence[str] = STATEMENT_KINDS,
               method: str = "tfidf", threshold: float = 0.5) -> pd.DataFrame:
    """Statements that repeat one of the same agency's report of the previous year.

    For every agency with reports in consecutive years t−1 and t, every statement of year t is
    compared with the statements of the same kind in year t−1 (:func:`similarity`, fitted on
    all the statements given); its best match is reported, and ``repeated`` is true when the
    similarity reaches ``threshold``. Reports whose agency is unknown (None) are their own
    agency: they have no previous year.

    Parameters
    ----------
    statements : DataFrame from :func:`extract_statements` (or Statement records)
    metadata : Corpus, iterable of Report, or DataFrame
        Where agency and year come from: ``report.metadata.agency`` / ``.year``, or a frame with
        ``report_id, agency, year``. Reports of one agency and year are pooled.
    kinds : sequence of {"problem", "measure"}
    method : {"tfidf", "jaccard"}, default "tfidf"
    threshold : float, default 0.5
        The similarity from which a statement counts as repeated. With ``tfidf``, 0.5 holds
        reworded repeats (``三是公开的内容和形式还不够丰富;`` vs ``…还不够丰富,公开的载体还有待
        进一步拓展。`` scores about 0.65) and keeps apart statements that share only the stock words of
        the genre (政府信息公开, 进一步); with ``jaccard`` use about 0.4.

    Returns
    -------
    DataFrame
        Columns :data:`CARRY_OVER_COLUMNS`: one row per statement of a year t that has a
        report of the same agency in t−1 (other statements cannot be compared and are not
        listed); ``previous_*`` describe the best match of the same kind (``None``/-1 when t−1
        has no statement of that kind), ``similarity`` is its score (0.0 without one) and
        ``repeated`` = similarity >= threshold. Sorted by agency, year, report, statement.

    Examples
    --------
    >>> import pandas as pd
    >>> st = pd.DataFrame({"report_id": ["a22", "a23", "a23"], "kind": ["problem"] * 3,
    ...                    "text": ["一是宣传力度不够;", "一是宣传力度还不够;", "二是培训较少。"]})
    >>> meta = pd.DataFrame({"report_id": ["a22", "a23"], "agency": ["甲镇", "甲镇"], "year": [2022, 2023]})
    >>> carry_over(st, meta)[["text", "previous_text", "repeated"]]
             text previous_text  repeated
    0  一是宣传力度还不够;     一是宣传力度不够;      True
    1     二是培训较少。     一是宣传力度不够;     False
    """
    caller = "carry_over"
    _check_method(method, caller)
    threshold = _check_threshold(threshold, caller)
    if isinstance(kinds, str) or not set(kinds) <= set(STATEMENT_KINDS):
        msg = f"The 'kinds' parameter of {caller} must be a subset of {list(STATEMENT_KINDS)}. Got {kinds!r} instead."
        raise InvalidParameterError(msg)
    st = _statement_input(statements, caller)
    meta = _metadata(metadata, caller)
    st = st.merge(meta, on="report_id", how="left")
    st = st.loc[st["agency"].notna() & st["year"].notna() & st["kind"].isin(list(kinds))]
    texts_all = st["text"].astype(str).tolist()
    rows = []
    for (agency, year, kind), cur in st.groupby(["agency", "year", "kind"], sort=True):
        prev_years = meta.loc[(meta["agency"] == agency) & (meta["year"] == year - 1)]
        if prev_years.empty:
            continue
        prev = st.loc[(st["agency"] == agency) & (st["year"] == year - 1) & (st["kind"] == kind)]
        cur = cur.sort_values(["report_id", "statement_index"])
        if len(prev):
            sim = similarity(cur["text"].tolist(), prev["text"].tolist(), method=method, fit=texts_all)
            best = sim.argmax(axis=1)
        for i, (_, r) in enumerate(cur.iterrows()):
            if len(prev):
                p = prev.iloc[int(best[i])]
                s = float(sim[i, best[i]])
                rows.append((agency, int(year), kind, r["report_id"], int(r["statement_index"]), r["text"],
                             p["report_id"], int(p["statement_index"]), p["text"], s, s >= threshold))
            else:
                rows.append((agency, int(year), kind, r["report_id"], int(r["statement_index"]), r["text"],
                             None, -1, None, 0.0, False))
    out = pd.DataFrame(rows, columns=CARRY_OVER_COLUMNS)
    out = out.astype({"year": "int64", "statement_index": "int64", "previous_statement_index": "int64",
                      "similarity": "float64", "repeated": bool})
    order = {k: i for i, k in enumerate(STATEMENT_KINDS)}
    out = out.assign(_k=out["kind"].map(order)).sort_values(
        ["agency", "year", "report_id", "statement_index", "_k"], kind="stable")
    return out.drop(columns="_k").reset_index(drop=True)


def responses(statements: Any, *, method: str = "tfidf", threshold: float = 0.1,
              clauses: bool = True, lexicon: Any = None) -> pd.DataFrame:
    """Does a report answer its own problems? Each problem with its most similar measure.

    Parameters
    ----------
    statements : DataFrame from :func:`extract_statements` (or Statement records)
    method : {"tfidf", "jaccard"}, default "tfidf"
    threshold : float, default 0.1
        The similarity from which a problem counts as answered. A measure rarely repeats its
        problem's wording (``信息公开不及时`` → ``加强信息公开的及时性``), so the bar is much
        lower than for :func:`carry_over`. Calibration on the seed reports (29 problems, 25 of
        them answered by a measure in a hand key): with ``tfidf`` and ``clauses=True`` the most
        similar measure is the right one for 21 of the 25, and 0.1 marks 19 of them answered
        with 2 false answers (0.075: 21 and 4; 0.15: 15 and 0).
    clauses : bool, default True
        Compare clause by clause (see :func:`similarity`).
    lexicon : TopicLexicon, optional
        For ``topic_match`` when the frame has no ``topic``/``topics`` columns.

    Returns
    -------
    DataFrame
        Columns :data:`RESPONSE_COLUMNS`: one row per problem (``problem_index`` is its
        ``statement_index``); ``measure_index``/``measure_text`` name the most similar measure
        of the same report (-1 and None when the report has none); ``similarity`` its score;
        ``answered`` = similarity >= threshold; ``topic_match`` = some measure of the report
        has the problem's primary topic among its topics (the lexicon's view of the same
        question). Sorted by report, problem.

    Examples
    --------
    >>> import pandas as pd
    >>> st = pd.DataFrame({"report_id": ["r"] * 3, "kind": ["problem", "measure", "measure"],
    ...                    "text": ["1.信息公开不及时。", "1.加强信息公开的及时性。", "2.加强培训。"]})
    >>> responses(st)[["problem_text", "measure_text", "answered", "topic_match"]]
      problem_text   measure_text  answered  topic_match
    0   1.信息公开不及时。  1.加强信息公开的及时性。      True         True
    """
    caller = "responses"
    _check_method(method, caller)
    threshold = _check_threshold(threshold, caller)
    if not isinstance(clauses, bool):
        msg = f"The 'clauses' parameter of {caller} must be a bool. Got {clauses!r} instead."
        raise InvalidParameterError(msg)
    st = _statement_input(statements, caller)
    if "topic" not in st.columns or "topics" not in st.columns:
        from govtext.topics import assign_topics

        tops = assign_topics(st["text"].astype(str).tolist(), lexicon)
        st = st.assign(topic=[t[0] for t in tops], topics=tops)
    texts_all = st["text"].astype(str).tolist()
    rows = []
    for rid, grp in st.groupby("report_id", sort=True):
        probs = grp.loc[grp["kind"] == "problem"].sort_values("statement_index")
        meas = grp.loc[grp["kind"] == "measure"].sort_values("statement_index")
        if probs.empty:
            continue
        measure_topics = {t for ts in meas["topics"] for t in ((ts,) if isinstance(ts, str) else ts)}
        if meas.empty:
            for _, p in probs.iterrows():
                rows.append((rid, int(p["statement_index"]), p["text"], -1, None, 0.0, False, False))
            continue
        sim = similarity(probs["text"].tolist(), meas["text"].tolist(), method=method, fit=texts_all,
                         clauses=clauses)
        best = sim.argmax(axis=1)
        for i, (_, p) in enumerate(probs.iterrows()):
            m = meas.iloc[int(best[i])]
            s = float(sim[i, best[i]])
            rows.append((rid, int(p["statement_index"]), p["text"], int(m["statement_index"]), m["text"], s,
                         s >= threshold, p["topic"] in measure_topics))
    out = pd.DataFrame(rows, columns=RESPONSE_COLUMNS)
    return out.astype({"problem_index": "int64", "measure_index": "int64", "similarity": "float64",
                       "answered": bool, "topic_match": bool})
