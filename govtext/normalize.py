"""Normalisation of report text, with a map from every output character back to the source.

One entry point serves everything downstream: :func:`normalize` (text + offsets + removal log)
and its plain-string twin :func:`normalize_text`. Both run the same steps, in this order:

1. :func:`clean_controls` -- ``\\r\\n``/``\\r`` to ``\\n``; zero-width characters, BOMs, soft
   hyphens and other control characters (except tab and newline) removed.
2. :func:`fold_width` -- full-width ASCII letters, digits and punctuation (U+FF01-U+FF5E) to
   ASCII; ideographic and no-break spaces to a space; Chinese punctuation unified to the
   canonical set below.
3. :func:`to_simplified` -- OpenCC ``t2s`` (the official binding) with a 16-entry dictionary that
   fixes 著→着 where mainland usage writes 着 (存在著→存在着, 著重→着重, ...), merged into its phrase
   dictionary. Never ``tw2s`` or the phrase configs, which rewrite already-simplified text
   (显著→显着, 文件→文档). A text without any character that a conversion could hinge on (most
   reports, in simplified script) is not converted: OpenCC would return it unchanged.
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

Every public step is a pure ``str -> str`` function; :func:`make_pipeline` composes them.
Normalising twice changes nothing, and on simplified input no Han character changes.

Performance design
------------------
The target (issue #2) is that the whole normalisation costs no more than 3x one bare OpenCC
``t2s`` call on the same text, on one large text and per report (``read_reports`` calls
:func:`normalize` once per report); ``benchmarks/bench_normalize.py`` measures both. OpenCC
runs in C++ at tens of MB/s, so the other steps get a budget of a few passes over the text at C
speed. Per report (a few thousand characters, converted by OpenCC in 50-100 microseconds) the
budget is spent less on passes than on *calls*: each numpy call, regex scan or Python step costs
a microsecond or more whatever the length, so the common cases take the path with the fewest.
The rules:

- **One implementation per step, two drivers.** A step is a function ``(text, editor) -> text``
  that computes a batch of *edits* on the current text (:class:`govtext._offsets.Edits`:
  sorted spans, each replaced by a string, debris ones with a ``kind``) and hands it to
  ``editor.apply``. :func:`normalize_text` and the public step functions use a plain
  :class:`_Editor`, which splices the string; :func:`normalize` uses a :class:`_Tracker`, which
  also composes the batch into the source map and logs the debris removals. The text-only path
  and the offset-tracking path run the same edit generators, so they cannot drift.
- **Offsets per character, composed in a few calls.** The source map
  (:class:`govtext._offsets.SourceMap`) holds the per-character ``starts``/``ends`` arrays once
  the text is edited. A batch of more than ``FEW_EDITS`` edits goes through its
  :class:`govtext._offsets.EditIndex` (a fixed number of numpy calls), which also splices the
  code points of the text, so the next step need not encode it again; a smaller batch joins
  slices of the arrays and splices the string. A batch that only deletes (most debris passes)
  says so, and takes the index's shorter path. One-for-one steps (width folding, same-length
  t2s) do not touch the map.
- **Few batches.** Steps 5 and 6 both act on runs of spaces and tabs, so :func:`_blank_edits`
  makes their edits -- and those of the blank-line and strip passes of step 6 -- as one batch,
  with the result of running them in order (the argument is in its docstring; the tests check
  it against the public step functions). With a few blanks (at most ``_FEW_BLANKS``, found
  with ``str.find``) the same rules run in Python, run by run (:func:`_few_blank_edits`). A
  typical report needs two batches: debris, blanks. A debris pass also tells whether another
  pass could find anything (:func:`_settled`, from the positions of the triggers, the colons
  and the edits: no pass over the text); on the seed reports none is needed.
- **Convert only what a conversion can change.** OpenCC replaces the longest dictionary key at
  each position, so a text changes only if it holds a key whose value differs; one character
  of each such key, read from the installed dictionaries once per process, is flagged in the
  character classes that the pipelines and :func:`to_simplified` look up
  (:func:`_t2s_screen`), and a text without one skips OpenCC (about a third of a bare
  conversion per report). The 著 fix is merged into OpenCC's phrase dictionary
  (:func:`_merged_phrases`) rather than kept as a dictionary in front of it, in which every
  position would be looked up once more (about 10 % of a conversion).
- **No regex scans the whole text for debris.** Each debris detector has trigger texts, a
  character pair (or a single character) of each of its cue words, starting with characters
  that are rare in reports. The positions of their first characters are read from the
  character classes that the steps before looked up (one numpy table look-up over the code
  points for all of them), checked against the text, and the detectors' regexes run only
  where a trigger sits: a line-based detector on the lines holding one, the chrome regex at
  the trigger itself. The header block is looked for on the lines holding a colon;
  ``text.isascii()``, ``"|" in text`` and the like guard the other steps. The spam warnings
  work the same way: the exact cue test runs only on a text holding one of their trigger
  texts, which few reports do. The texts are screened for
  them in the classes, right after the conversion, and :func:`normalize` keeps the answer up
  to date through the debris and blank batches, which can make a trigger only by joining two
  characters (:meth:`_Tracker.watch_spam`): the final text is not looked up again.
- **No Python loop per character or per line, and none whose count is not bounded.**
  Character-class work (control characters, width folding, the conversion screen, debris
  triggers, runs of spaces, tabs and pipes) is vectorised with numpy over the code points and
  their classes, which the editor computes once per text; the Python paths (a few blanks, a
  few debris spans, a few edits) are taken only under a fixed bound. Each candidate line is
  matched once, however many cues it holds, so time stays linear on pathological input (a
  20 MB line, 10^6 pipes, long runs of spaces, ``字号`` and many spaces, many header labels).
- **The removal log is compact and its records lazy.** Source spans and kinds are kept as
  arrays per batch (one name for a batch of one kind), sorted at the end if there are several
  batches, and turned into :class:`Removed` records, in bulk (:func:`_removed_records`), only
  when ``removed`` is first read (:class:`_LazyRemoved`, also the ``removed`` field of
  :class:`govtext.records.Report`): a table page yields hundreds of removed pipe runs, and most
  analyses never read them.

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

import bisect
import collections
import functools
import gc
import itertools
import json
import os
import re
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from govtext._offsets import (
    FEW_EDITS,
    EditIndex,
    Edits,
    SourceMap,
    Tracked,
    edit_index,
    splice,
    splice_codepoints,
)

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


@dataclass(frozen=True, slots=True)
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


class _RemovedLog:
    """A removal log kept compact -- source spans as arrays and kinds as an array or one name
    for all, in source order -- until it is read (see :class:`_LazyRemoved`)."""

    __slots__ = ("ends", "kinds", "source", "starts")

    def __init__(self, starts: np.ndarray, ends: np.ndarray, kinds: np.ndarray | str, source: str) -> None:
        self.starts, self.ends, self.kinds, self.source = starts, ends, kinds, source

    def records(self) -> tuple[Removed, ...]:
        kinds = [self.kinds] * len(self.starts) if isinstance(self.kinds, str) else self.kinds.tolist()
        return _removed_records(self.starts.tolist(), self.ends.tolist(), kinds, self.source)


class _LazyRemoved:
    """The ``removed`` field of :class:`Normalized` and :class:`govtext.records.Report`.

    A data descriptor (a dataclass field whose default is a descriptor goes through it): the
    field holds a tuple of :class:`Removed` or a :class:`_RemovedLog`, and a log becomes the
    tuple, once, when the field is first read. Table pages yield hundreds of removed pipe runs
    per report, and making their records is a sizeable part of normalising a report, for a
    field most analyses never read. Readers always get the tuple.
    """

    def __set_name__(self, owner: type, name: str) -> None:
        self.slot = f"_{name}_value"

    def __get__(self, obj: Any, objtype: type | None = None) -> Any:
        if obj is None:
            return ()
        value = obj.__dict__.get(self.slot, ())
        if type(value) is _RemovedLog:
            value = value.records()
            obj.__dict__[self.slot] = value
        return value

    def __set__(self, obj: Any, value: Any) -> None:
        obj.__dict__[self.slot] = () if value is self else value

    def __repr__(self) -> str:  # the default, as signatures show it
        return "()"

    def stored(self, obj: Any) -> Any:
        """The value as stored (a log stays a log)."""
        return obj.__dict__.get(self.slot, ())


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
    removed: tuple[Removed, ...] = field(default=_LazyRemoved())  # type: ignore[assignment]
    header: tuple[tuple[str, str], ...] = ()
    warnings: tuple[str, ...] = ()

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Source span of ``text[start:end]``."""
        return Tracked(self.text, self.starts, self.ends).source_span(start, end)


# --------------------------------------------------------------------------------------------
# step machinery: each step is a function (text, editor) -> text that computes edits on the
# current text and hands them to editor.apply (see "Performance design" above).


class _Editor:
    """Applies a step's edits to the text: the plain-string driver.

    Also collects the header values found by the debris step and caches the code points of the
    current text and their character classes, which several steps read. With ``screen_t2s``
    the classes hold the ``_T2S`` flag (:func:`_class_table`), with which the conversion step
    skips the texts that OpenCC would leave alone; the pipelines screen, the steps called on
    their own do not (they need not read OpenCC's dictionaries).
    """

    __slots__ = ("_bmp", "_cp", "_cp_text", "_table", "header")

    def __init__(self, screen_t2s: bool = False) -> None:
        self.header: list[tuple[str, str]] = []
        self._cp_text: str | None = None
        self._cp = np.zeros(0, dtype=np.uint32)
        self._bmp: np.ndarray | None = None
        self._table = _class_table() if screen_t2s else _BMP

    @property
    def screens_t2s(self) -> bool:
        """Whether the classes hold the ``_T2S`` flag."""
        return self._table is not _BMP

    def codepoints(self, text: str) -> np.ndarray:
        """Code points of ``text`` as a ``uint32`` array (cached for the current text)."""
        if text is not self._cp_text:
            self.remember(text, np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32))
        return self._cp

    def bmp_classes(self, text: str) -> np.ndarray:
        """Classes of the characters of ``text``: their ``_BMP`` classes, and the ``_T2S`` flag
        if the editor screens (astral characters: ``_T2S`` only, if an astral one has it;
        cached)."""
        cp = self.codepoints(text)
        if self._bmp is None:
            self._bmp = self._table.take(cp, mode="clip")
        return self._bmp

    def remember(self, text: str, cp: np.ndarray, classes: np.ndarray | None = None) -> None:
        """Make ``text`` the current text, with its code points (and classes, if known)."""
        self._cp_text, self._cp, self._bmp = text, cp, classes

    def apply(self, text: str, edits: Edits) -> str:
        """Apply a batch of edits; return the new text (a large batch is applied to the code
        points, which the next step then reads without encoding the text again)."""
        if len(edits) <= _FEW_SPLICE:
            return splice(text, edits)
        return self._splice_codepoints(text, edits, edit_index(len(text), edits))

    def _splice_codepoints(self, text: str, edits: Edits, ix: EditIndex) -> str:
        cp = splice_codepoints(self.codepoints(text), edits, ix)
        out = cp.tobytes().decode("utf-32-le")
        self.remember(out, cp)
        return out


# A string splice costs a Python slice per edit; above this many edits, splicing the code points
# through an EditIndex (a fixed number of numpy calls) costs less.
_FEW_SPLICE = 128


class _Tracker(_Editor):
    """The offset-tracking driver: also composes the edits into the source map, logs every
    edit that has a ``kind`` (debris) with its source span, and keeps track of whether the
    text may hold a spam trigger (for the warnings, see :meth:`watch_spam`)."""

    __slots__ = ("log", "map", "spam")

    def __init__(self, n: int) -> None:
        super().__init__(screen_t2s=True)
        self.map = SourceMap.identity(n)
        self.log: list[tuple[np.ndarray, np.ndarray, np.ndarray | str]] = []  # source spans and kinds
        self.spam: bool | None = None  # whether the text may hold a spam trigger (None: unknown)

    def watch_spam(self, text: str) -> None:
        """Screen ``text`` for spam triggers (:func:`_holds_spam_trigger`), in the classes that
        the steps have looked up already, and keep the answer up to date through the batches
        that follow -- deletions and blank replacements, which make a trigger only by joining
        two characters -- so that the warnings need not look the final text up again."""
        self.spam = _holds_spam_trigger(text, self.bmp_classes(text))

    def apply(self, text: str, edits: Edits) -> str:
        if not len(edits):
            return text
        few = len(edits) <= FEW_EDITS  # (then the map is edited by slicing, the text spliced)
        ix = None if few else edit_index(len(text), edits)
        self.map, src_a, src_b = self.map.edit(edits, ix, spans=edits.kinds is not None)
        if edits.kinds is not None:  # debris: every edit has a kind (one name for all, or each)
            kinds = edits.kinds
            if not isinstance(kinds, str):
                kinds = np.asarray(kinds, dtype=object)
            self.log.append((src_a, src_b, kinds))
        # Follow the spam screen (see watch_spam). A batch of pipe runs joins no characters (a run
        # at a line's edge is next to a line break, one inside a line becomes a tab).
        watch = self.spam is False and not (isinstance(edits.kinds, str) and edits.kinds == "pipes")
        if watch and not _blank_reps(edits):
            watch, self.spam = False, None
        if few:
            if watch:
                self.spam = _joins_spam_pair(text, edits)
            return splice(text, edits)
        classes = self._bmp if watch and text is self._cp_text else None
        out = self._splice_codepoints(text, edits, ix)
        if watch:  # (screening the new text costs less than finding its joins among many edits)
            if classes is not None:  # its classes, spliced as its code points are
                classes = classes[ix.index]
                if ix.rep_pos is not None and len(ix.rep_pos):
                    classes[ix.rep_pos] = self._table.take(self._cp[ix.rep_pos], mode="clip")
                self._bmp = classes
            self.spam = _holds_spam_trigger(out, self.bmp_classes(out))
        return out

    def removed(self, source: str) -> _RemovedLog | tuple[()]:
        """The log, in source order (ties keep the log order), for :class:`Removed` records."""
        if not self.log:
            return ()
        if len(self.log) == 1:  # one batch: its edits are sorted, and so are their source spans
            return _RemovedLog(*self.log[0], source)
        log = [(a, b, np.full(len(a), k, dtype=object) if isinstance(k, str) else k) for a, b, k in self.log]
        starts, ends, kinds = (np.concatenate(col) for col in zip(*log))
        if len(starts) > 1 and not (
            (starts[1:] > starts[:-1]) | ((starts[1:] == starts[:-1]) & (ends[1:] >= ends[:-1]))
        ).all():
            order = np.lexsort((ends, starts))
            starts, ends, kinds = starts[order], ends[order], kinds[order]
        return _RemovedLog(starts, ends, kinds, source)


def _blank_reps(edits: Edits) -> bool:
    """Whether every replacement of a batch is blank (spaces, tabs, line breaks)."""
    reps = edits.reps
    if isinstance(reps, str):
        return not reps.strip()
    return not "".join(reps.tolist() if isinstance(reps, np.ndarray) else reps).strip()


def _removed_records(
    starts: list[int], ends: list[int], kinds: list[str], source: str
) -> tuple[Removed, ...]:
    """``Removed(start, end, kind, source[start:end])`` for each span.

    Table pages yield hundreds of removed pipe runs per report, and a frozen dataclass's
    ``__init__`` (a Python call setting each field with ``object.__setattr__``) costs about as
    much per record as OpenCC spends on a few dozen characters. The records are therefore
    made in bulk: empty instances, then each field set for all of them with the slot's own
    setter, in C loops (``map``) -- the same objects, at a fraction of the cost. The cyclic
    garbage collector is paused meanwhile: the records hold only ints and strings, so the
    collections that creating many of them would trigger could only scan them (up to half the
    cost on a large text).
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        records = list(map(object.__new__, itertools.repeat(Removed, len(starts))))
        texts = map(source.__getitem__, map(slice, starts, ends))
        for set_field, values in zip(_REMOVED_SETTERS, (starts, ends, kinds, texts)):
            collections.deque(map(set_field, records, values), maxlen=0)
        return tuple(records)
    finally:
        if paused:
            gc.enable()


_REMOVED_SETTERS = tuple(getattr(Removed, name).__set__ for name in ("start", "end", "kind", "text"))


_NO_EDITS = Edits(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))


# --------------------------------------------------------------------------------------------
# character tables

_CONTROL_RE = re.compile(
    "\r\n?|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\u00ad]|[\u2028\u2029\x85]"
)
_CONTROL_CPS = np.array(
    [c for c in range(0x20) if c not in (9, 10)] + [0x7F, 0x85, 0xAD, 0xFEFF, 0x2028, 0x2029]
    + list(range(0x200B, 0x2010)) + list(range(0x202A, 0x202F)) + list(range(0x2060, 0x2065)),
    dtype=np.uint32,
)

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

# Character classes of the Basic Multilingual Plane as one lookup table, read with
# ``_BMP.take(cp, mode="clip")`` (astral code points read entry 0xFFFF, which is 0). The
# pipelines' editors read it with the _T2S flag added (_class_table, built on first use from
# OpenCC's dictionaries): one look-up per text serves the steps up to the debris triggers, and
# the spam screen of the warnings.
_CONTROL, _WIDE_CHAR, _FOLDS = 1, 2, 4  # control or zero-width to drop; Han or Chinese punctuation; folded
_TRIGGER = 8  # the first character of a debris trigger text (set below _TRIGGER_TEXTS)
_SPAM = 16  # a spam trigger text is looked for from it (set below _SPAM_TRIGGERS)
_T2S = 32  # a t2s conversion may hinge on it; the highest flag (_t2s tests it with max())
_BMP = np.zeros(0x10000, dtype=np.uint8)
_BMP[_CONTROL_CPS] |= _CONTROL
for _lo, _hi in ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF)):
    _BMP[_lo:_hi + 1] |= _WIDE_CHAR
_BMP[[ord(c) for c in CJK_PUNCT]] |= _WIDE_CHAR
_BMP[list(_WIDTH_TABLE)] |= _FOLDS
_FOLD_TO = np.arange(0x10000, dtype=np.uint32)
_FOLD_TO[list(_WIDTH_TABLE)] = [ord(c) for c in _WIDTH_TABLE.values()]


# Han or Chinese punctuation, by BMP code point (1 or 0), for one character at a time.
_WIDE_BYTES = bytes(((_BMP & _WIDE_CHAR) != 0).astype(np.uint8))


def _flagged(classes: np.ndarray, flag: int) -> np.ndarray:
    """Positions whose classes have ``flag`` (``nonzero`` of a boolean array: several times
    faster than of the ``uint8`` classes themselves where some have it, a little slower where
    none has)."""
    return ((classes & flag) != 0).nonzero()[0]


def _is_wide(c: str) -> bool:
    """Whether the character ``c`` is what ``_WIDE_RE`` matches (a table look-up: a regex match
    costs a few times more)."""
    o = ord(c)
    return _WIDE_BYTES[o] == 1 if o < 0x10000 else 0x20000 <= o <= 0x3134F


def _classes(cp: np.ndarray) -> np.ndarray:
    flags = _BMP.take(cp, mode="clip")
    astral = cp > 0xFFFF
    if astral.any():
        flags[astral] = np.where((cp[astral] >= 0x20000) & (cp[astral] <= 0x3134F), _WIDE_CHAR, 0)
    return flags


# --------------------------------------------------------------------------------------------
# 1. control characters


def _controls(text: str, ed: _Editor) -> str:
    if text.isascii() and text.isprintable():
        return text
    # Vectorised search (a regex character class costs ~25 ns a character in CPython's engine);
    # the few hits are then handled by the exact regex.
    hits = (ed.bmp_classes(text) & _CONTROL).nonzero()[0]  # (few texts hold any: see _flagged)
    if not len(hits):
        return text
    edits: list[tuple[int, int, str]] = []
    last = -1
    for i in hits.tolist():
        if i < last:
            continue
        m = _CONTROL_RE.match(text, i)
        if m is None:  # pragma: no cover - the two definitions agree
            continue
        c = m.group()
        edits.append((m.start(), m.end(), "\n" if c[0] in "\r\u2028\u2029\x85" else ""))
        last = m.end()
    return ed.apply(text, Edits.of(edits))


def clean_controls(text: str) -> str:
    """Unify line ends to ``\\n`` and drop zero-width and control characters (not tab/newline).

    >>> clean_controls("a\\r\\nb\\u200bc\\ufeff")
    'a\\nbc'
    """
    return _controls(text, _Editor())


# --------------------------------------------------------------------------------------------
# 2. width folding and punctuation


def _fold(text: str, ed: _Editor) -> str:
    # One character for one, so the source map is unchanged; done on code points with numpy.
    if text.isascii():
        return text
    hit = _flagged(ed.bmp_classes(text), _FOLDS)
    if not len(hit):
        return text
    out = ed.codepoints(text).copy()
    out[hit] = _FOLD_TO[out[hit]]
    folded = out.tobytes().decode("utf-32-le")
    classes = ed.bmp_classes(text).copy()  # (only the folded characters change class)
    classes[hit] = ed._table[out[hit]]
    ed.remember(folded, out, classes)
    return folded


def fold_width(text: str) -> str:
    """Fold full-width ASCII to ASCII and unify Chinese punctuation (one character for one).

    >>> fold_width("（一）主动公开：２０２３年，「三到位」")
    '(一)主动公开:2023年,“三到位”'
    """
    return _fold(text, _Editor())


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


@functools.cache
def _t2s_config() -> tuple[str, dict[str, Any]] | None:
    """The share folder of OpenCC and its stock ``t2s`` config, dictionary paths made absolute
    (None when the package has another layout)."""
    import opencc

    share = os.path.join(os.path.dirname(opencc.__file__), "clib", "share", "opencc")
    stock = os.path.join(share, "t2s.json")
    if not os.path.isfile(stock):
        return None
    with open(stock, encoding="utf-8") as fh:
        cfg = json.load(fh)

    def absolutise(node: Any) -> Any:
        if isinstance(node, dict):
            out = {k: absolutise(v) for k, v in node.items()}
            if "file" in out and not os.path.isabs(out["file"]):
                out["file"] = os.path.join(share, out["file"])
            return out
        if isinstance(node, list):
            return [absolutise(x) for x in node]
        return node

    return share, absolutise(cfg)


def _convert_dict(source: str, source_kind: str, target: str, target_kind: str) -> bool:
    """Convert an OpenCC dictionary file between formats (``text``, ``ocd2``, ``ocd``) with the
    ``opencc_dict`` tool that the OpenCC wheel ships next to its dictionaries; whether it could."""
    import subprocess

    import opencc

    tool = os.path.join(os.path.dirname(opencc.__file__), "clib", "bin", "opencc_dict")
    if not os.access(tool, os.X_OK):
        return False
    try:
        subprocess.run([tool, "-i", source, "-o", target, "-f", source_kind, "-t", target_kind],
                       check=True, capture_output=True, timeout=120)
    except (OSError, subprocess.SubprocessError):
        return False
    return True


@functools.cache
def _t2s_dicts() -> dict[str, list[tuple[str, list[str]]]] | None:
    """The entries ``(key, values)`` of each dictionary of the stock ``t2s`` config, by its
    path, read through the text format (``key<TAB>value value ...`` lines; see
    :func:`_convert_dict` and :func:`_dict_entries`); None when they cannot be read (no tool,
    another layout, a line not in that format)."""
    found = _t2s_config()
    if found is None:
        return None
    dicts: dict[str, list[tuple[str, list[str]]]] = {}

    def collect(node: Any) -> list[tuple[str, str]]:
        if isinstance(node, dict):
            own = [(node["file"], node.get("type", ""))] if "file" in node else []
            return own + [x for value in node.values() for x in collect(value)]
        if isinstance(node, list):
            return [x for value in node for x in collect(value)]
        return []

    with tempfile.TemporaryDirectory(prefix="govtext-opencc-") as d:
        for i, (path, kind) in enumerate(collect(found[1])):
            if kind not in ("ocd2", "ocd", "text"):
                return None
            out = path if kind == "text" else os.path.join(d, f"dict{i}.txt")
            if kind != "text" and not _convert_dict(path, kind, out, "text"):
                return None
            try:
                with open(out, encoding="utf-8") as fh:
                    entries = _dict_entries(fh.read())
            except (OSError, UnicodeDecodeError):
                return None
            if entries is None:
                return None  # not the text format: do not guess
            dicts[path] = entries
    return dicts or None


def _dict_entries(text: str) -> list[tuple[str, list[str]]] | None:
    """``(key, values)`` of the lines of a text dictionary (None if a line is not one)."""
    entries = []
    for line in text.splitlines():
        if not line:
            continue
        key, sep, values = line.partition("\t")
        if not sep or not key:
            return None
        entries.append((key, values.split(" ")))
    return entries


def _merged_phrases(phrases_path: str, folder: str) -> str | None:
    """The phrase dictionary of ``t2s`` with the 著 fix's entries added, built as an ``ocd2``
    file in ``folder``; None when it cannot be built, or when it would not convert as the fix
    in front of the phrases does.

    In its dictionary group, OpenCC takes at each position the longest key of the first
    dictionary that has one there. With the fix as a dictionary of its own in front, every
    position is looked up once more (about 10 % of a conversion); merged into the phrases, the
    longest key is the same wherever no phrase key extends a fix key, which is checked.
    """
    dicts = _t2s_dicts()
    entries = None if dicts is None else dicts.get(phrases_path)
    fix = _dict_entries(_T2S_FIX)
    if entries is None or fix is None:
        return None
    fix_keys = {key for key, _ in fix}
    if any(key.startswith(f) and key != f for key, _ in entries for f in fix_keys):
        return None
    kept = [f"{key}\t{' '.join(values)}" for key, values in entries if key not in fix_keys]
    source = os.path.join(folder, "govtext_t2s_phrases.txt")
    with open(source, "w", encoding="utf-8") as fh:
        fh.write("\n".join(kept) + "\n" + _T2S_FIX)
    built = os.path.join(folder, "govtext_t2s_phrases.ocd2")
    return built if _convert_dict(source, "text", built, "ocd2") else None


@functools.cache
def _opencc(kind: str) -> Any:
    """OpenCC converters, built once per process (``t2s`` with the 著 fix, or stock ``s2t``)."""
    import opencc

    if kind == "s2t":
        return opencc.OpenCC("s2t")
    found = _t2s_config()
    if found is None:  # unusual layout: fall back to the stock config without the fix
        return opencc.OpenCC("t2s")
    cfg = json.loads(json.dumps(found[1]))  # (a copy: the cached config stays stock)
    # OpenCC reads a config and its dictionaries from files, once, when the converter is built:
    # write them to a private temporary directory that is removed as soon as it is loaded.
    with tempfile.TemporaryDirectory(prefix="govtext-opencc-") as d:
        group = cfg["conversion_chain"][0]["dict"]
        merged = _merged_phrases(group["dicts"][0]["file"], d)
        if merged is not None:  # the fix merged into the phrase dictionary
            group["dicts"][0] = {**group["dicts"][0], "type": "ocd2", "file": merged}
        else:  # the fix as a text dictionary in front of the others
            fix = os.path.join(d, "govtext_t2s_fix.txt")
            with open(fix, "w", encoding="utf-8") as fh:
                fh.write(_T2S_FIX)
            group["dicts"].insert(0, {"type": "text", "file": fix})
        cfg["name"] = "govtext t2s (OpenCC t2s + 著→着 fix)"
        path = os.path.join(d, "govtext_t2s.json")
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(cfg, fh, ensure_ascii=False)
        return opencc.OpenCC(path)


@functools.cache
def _t2s_screen() -> np.ndarray | None:
    """Flags over the BMP code points: the characters a ``t2s`` conversion can hinge on (read
    with ``take(cp, mode="clip")``; every astral code point reads the last entry, U+FFFF, which
    is set if one of them is astral). None when they cannot be listed: then every text is
    converted.

    OpenCC converts by replacing, left to right, the longest key that one of its dictionaries
    (``t2s``'s and the 著 fix) matches at the current position by the key's value; characters
    that no key matches are kept. So a conversion changes a text only if the text holds a whole
    key whose value differs from it, and one character of each such key is enough to tell: the
    one at the last position where key and value differ (the last character when their lengths
    differ). A text without any of these characters comes out of OpenCC unchanged, so it is not
    converted at all (about a third of a bare conversion's cost per report: most reports are in
    simplified script). The entries are read from the installed dictionaries
    (:func:`_t2s_dicts`).
    """
    dicts = _t2s_dicts()
    if dicts is None:
        return None
    fix = _dict_entries(_T2S_FIX)
    if fix is None:
        return None
    table = np.zeros(0x10000, dtype=bool)
    for entries in [fix, *dicts.values()]:
        for key, values in entries:
            for value in values:
                if value == key:
                    continue
                if len(value) == len(key):
                    last = max(i for i, (a, b) in enumerate(zip(key, value)) if a != b)
                else:
                    last = len(key) - 1
                table[min(ord(key[last]), 0xFFFF)] = True
    return table


@functools.cache
def _class_table() -> np.ndarray:
    """``_BMP`` with the ``_T2S`` flag of :func:`_t2s_screen` (on every entry if it has none, so
    that every text is converted): the classes table of the editors that screen, so that the
    step that converts finds out whether it needs to in the classes the steps before it read."""
    screen = _t2s_screen()
    if screen is None:
        return _BMP | _T2S
    return _BMP | screen.astype(np.uint8) * _T2S


def _convert(kind: str, text: str) -> str:
    cc = _opencc(kind)
    with _cc_lock:  # the C++ converter is not documented as thread-safe
        return cc.convert(text)


_CLAUSE_RE = re.compile(r"[^\n。,;:!?、]+")


def _t2s(text: str, ed: _Editor) -> str:
    if ed.screens_t2s:
        classes = ed.bmp_classes(text)
        if not len(classes) or classes.max() < _T2S:  # (_T2S is the highest class bit)
            return text  # nothing a conversion could change (see _t2s_screen)
    out = _convert("t2s", text)
    if out == text:
        return text
    if len(out) == len(text):  # the usual case: one character for one; the map is unchanged
        return out
    # A phrase changed length somewhere: convert clause by clause so that only the clauses that
    # changed length get a coarse (whole-clause) source map.
    edits: list[tuple[int, int, str]] = []
    for m in _CLAUSE_RE.finditer(text):
        c = _convert("t2s", m.group())
        if c == m.group():
            continue
        if len(c) == len(m.group()):
            base = m.start()
            edits.extend(
                (base + i, base + i + 1, b) for i, (a, b) in enumerate(zip(m.group(), c)) if a != b
            )
        else:
            edits.append((m.start(), m.end(), c))
    return ed.apply(text, Edits.of(edits))


def to_simplified(text: str) -> str:
    """Convert traditional characters to simplified (OpenCC ``t2s`` plus the 著→着 fix).

    Already-simplified text is returned unchanged.

    >>> to_simplified("政府信息公開工作存在著不足")
    '政府信息公开工作存在着不足'
    """
    return _t2s(text, _Editor(screen_t2s=True))


# Script detection counts characters, not conversions: the Han characters that OpenCC ``t2s``
# changes when converted on their own ("traditional forms") and those ``s2t`` changes ("simplified
# forms"), found once per process by converting every Han code point. OpenCC changes nothing
# outside the Han ranges (checked over the first four planes with OpenCC 1.4.2).
_SCRIPT_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3134F))
_TRADITIONAL, _SIMPLIFIED = 1, 2
# Where counting characters could classify otherwise than counting the changes of whole-text
# conversions, :func:`detect_script` converts (the rule it had before): texts with few
# script-specific characters, and shares within this margin of the 20 % and 80 % bounds. On
# 4,410 clause-level mixes of seed and synthetic reports the two shares differed by at most 0.023
# (median 0, 99th percentile 0.010).
_SCRIPT_MIN_COUNT, _SCRIPT_MARGIN = 40, 0.05


@functools.cache
def _script_table() -> np.ndarray:
    """Flags per code point (``_TRADITIONAL`` | ``_SIMPLIFIED``), up to U+3134F; the last entry,
    0, stands for every code point above (read with ``take(..., mode="clip")``).

    Each Han code point is converted on its own line of one string: OpenCC's dictionary keys
    are lines of its text dictionaries, so no key spans a line break, and the output must split
    into as many lines as the input (checked).
    """
    cps = np.concatenate([np.arange(lo, hi + 1, dtype=np.uint32) for lo, hi in _SCRIPT_RANGES])
    sep = np.full(len(cps), ord("\n"), dtype=np.uint32)
    src = np.column_stack((cps, sep)).ravel()[:-1].tobytes().decode("utf-32-le")
    table = np.zeros(_SCRIPT_RANGES[-1][1] + 2, dtype=np.uint8)
    for kind, flag in (("t2s", _TRADITIONAL), ("s2t", _SIMPLIFIED)):
        out = _convert(kind, src)
        if len(out) == len(src):  # every character converted to one character: compare in place
            got = np.frombuffer(out.encode("utf-32-le"), dtype=np.uint32)[0::2]
            changed = cps[got != cps]
        else:  # pragma: no cover - OpenCC 1.4.2 converts every Han character to one character
            parts = out.split("\n")
            if len(parts) != len(cps):
                raise RuntimeError(f"OpenCC {kind} changed the line structure of the Han code points")
            changed = np.array([c for c, p in zip(cps.tolist(), parts) if p != chr(c)], dtype=np.uint32)
        table[changed] |= flag
    return table


def detect_script(text: str) -> str:
    """Classify a text as ``"simplified"``, ``"traditional"`` or ``"mixed"``.

    Counts the Han characters that ``t2s`` changes (traditional forms) and those ``s2t``
    changes (simplified forms), each character as OpenCC converts it on its own; a text is
    traditional when at least 80 % of its script-specific characters are traditional,
    simplified when at most 20 % are, mixed otherwise. Texts without script-specific characters
    count as simplified.

    The two character sets are made once per process, by converting every Han code point (about
    0.04 s); a text is then classified with one table look-up per character, instead of one or
    two OpenCC conversions of the whole text. Counting characters rather than the positions that
    whole-text conversions change differs only where a phrase converts a character otherwise
    than it converts alone (``乾隆`` keeps its ``乾``; ``以后`` gives ``以後``, ``甚麼`` gives
    ``什么``), which moves the share by a few hundredths at most on real text. Near the bounds
    (within 0.05 of 20 % or 80 %) and for texts with fewer than 40 script-specific characters,
    the text is therefore classified by the conversions, as before (see
    ``benchmarks/README.md``, "Preprocessing").

    >>> detect_script("政府信息公开"), detect_script("政府信息公開"), detect_script("开開开開")
    ('simplified', 'traditional', 'mixed')
    """
    if text.isascii():
        return "simplified"
    cp = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    counts = np.bincount(_script_table().take(cp, mode="clip"), minlength=4)
    t = int(counts[_TRADITIONAL] + counts[_TRADITIONAL | _SIMPLIFIED])
    s = int(counts[_SIMPLIFIED] + counts[_TRADITIONAL | _SIMPLIFIED])
    if t + s < _SCRIPT_MIN_COUNT:
        return _detect_script_by_conversion(text)
    share = t / (t + s)
    if abs(share - 0.2) < _SCRIPT_MARGIN or abs(share - 0.8) < _SCRIPT_MARGIN:
        return _detect_script_by_conversion(text)
    return _script_of_share(share)


def _script_of_share(share: float) -> str:
    """The script for the share of traditional-only among script-specific characters."""
    if share >= 0.8:
        return "traditional"
    if share <= 0.2:
        return "simplified"
    return "mixed"


def _detect_script_by_conversion(text: str) -> str:
    """The conversion rule: :func:`detect_script` counting the positions that whole-text ``t2s``
    and ``s2t`` conversions change (phrase context included), as it did before it counted
    characters; it still decides near the bounds, and the tests compare the two."""
    if not _HAN_RE.search(text):
        return "simplified"

    def changed(kind: str) -> int:
        out = _convert(kind, text)
        if out == text:
            return 0
        if len(out) != len(text):
            return sum(x != y for x, y in zip(text, out))
        a = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        return int(np.count_nonzero(a != np.frombuffer(out.encode("utf-32-le"), dtype=np.uint32)))

    t = changed("t2s")
    if t == 0:
        return "simplified"
    s = changed("s2t")
    return _script_of_share(t / (t + s))


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
# What a header line starts with (a fast first test: most lines fail on their first character).
_HEADER_START_RE = re.compile(
    "[ \t]*(?:[-•·*][ \t]*)?[" + "".join(sorted({lab[0] for lab in _LABELS})) + "]"
)

# Every optional group starts with a non-space character and ends with its own trailing
# spaces, so no two space runs compete (no quadratic backtracking on long runs of spaces).
_PAGE_INFO_RE = re.compile(
    r"^[ \t]*(?:(?:发布|更新)(?:时间|日期)[ \t]*:[ \t]*)?"
    r"(?:(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:[ \t]+\d{1,2}:\d{2}(?::\d{2})?)?)[ \t]*)?"
    r"(?:(?:作者|来源|信息来源|浏览次数|访问量)[ \t]*:[^\n\t ]{0,40}[ \t]*)*"
    r"(?:(?:点击数|点击量|浏览次数|阅读次数|访问次数)[ \t]*(?::[ \t]*)?\d*|字体大小[ \t]*(?::[ \t]*)?(?:[大中小][ \t]*)*)[ \t|]*$",
    re.M,
)
# The cue words of the line detectors (each holds a trigger pair, see _TRIGGER_TEXTS).
_PAGE_INFO_CUE_RE = re.compile(r"点击数|点击量|浏览次数|阅读次数|访问次数|字体大小")
_B_OPEN, _B_CLOSE = r"(?:[【\[][ \t]*)?", r"(?:[】\]][ \t]*)?"
# Chrome anywhere in a line (tried where a trigger text of an alternative starts).
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


_DISTINCTIVE_PLAIN = sorted(_DISTINCTIVE) + ["索 引 号", "有 效 性", "发 布 机 构"]
_DISTINCTIVE_PLAIN_SET = frozenset(_DISTINCTIVE_PLAIN)
_INDEX_NO_RE = re.compile(r"索[ \t]*引[ \t]*号")

# Triggers: a detector runs only where the text holds one of its trigger texts, a character
# pair (or a single character) of each of its cue words. The positions of their first
# characters are found at once in the character classes (flagged _TRIGGER: one numpy table
# look-up over the code points, shared with the steps before) and checked against the text.
# The positions found also tell the line-based detectors which lines to test and the chrome
# regex where to try, so no detector scans the whole text with a regex (a scan costs a third
# of an OpenCC conversion). The trigger texts start with characters that are rare in reports
# (次数 and 藏 rather than 问次 and 收藏: 问 and 收 start 问题 and 收到), so that few positions are
# checked.
_PAGE_INFO, _CHROME, _CHROME_LINE, _FARM = 1, 2, 4, 8
_TRIGGER_TEXTS = (
    (_PAGE_INFO, ("击数", "击量", "次数", "字体")),  # 点击数 点击量 浏览次数 阅读次数 访问次数 字体大小
    (_CHROME, ("【", "[", "扫一", "字号")),  # the starts of _CHROME_RE's alternatives
    (_CHROME_LINE, ("闭窗", "闭本", "打印", "简体", "享到", "藏", "顶部")),  # 关闭窗口 ... 收藏 返回顶部
    (_FARM, ("你精",)),  # 本站为你精心整理
)
_TRIGGER_BITS: dict[str, int] = {}
for _bit, _texts in _TRIGGER_TEXTS:
    for _t in _texts:
        _TRIGGER_BITS[_t] = _TRIGGER_BITS.get(_t, 0) | _bit
_BMP[[ord(t[0]) for t in _TRIGGER_BITS]] |= _TRIGGER  # (not U+FFFF, which astral ones read)
# The detector bits set in each combination of them, in order.
_BITS_SET = tuple(
    tuple(bit for bit in (_PAGE_INFO, _CHROME, _CHROME_LINE, _FARM) if bits & bit) for bits in range(16)
)

# The spam test of _warnings: each of _SPAM_CUES, and "bet" in any case, holds one of these
# (tested), so a text without any of them holds no cue and the exact test can be skipped.
_SPAM_TRIGGERS = ("娱乐", "博彩", "家乐", "彩", "赌", "虎机", "荷官", "葡京", "尼斯", "阳城", "洲国", "品视", "成人",
                  "v在", "V在", "无码", "费视", "载_", "be", "bE", "Be", "BE")
# Each is looked for from its first character, or from its second where that is rarer in
# reports (费, 无, 品 and 载 are common); none is U+FFFF, which astral characters read.
_SPAM_BY_SECOND = frozenset({"荷官", "品视", "无码", "费视", "载_"})
_SPAM_AT: dict[str, list[tuple[int, str]]] = {}  # anchor -> (its offset in the trigger, trigger)
for _t in _SPAM_TRIGGERS:
    _k = 1 if _t in _SPAM_BY_SECOND else 0
    _SPAM_AT.setdefault(_t[_k], []).append((_k, _t))
_BMP[[ord(c) for c in _SPAM_AT]] |= _SPAM
_SPAM_PAIRS = frozenset(t for t in _SPAM_TRIGGERS if len(t) == 2)


def _holds_spam_trigger(text: str, classes: np.ndarray) -> bool:
    """Whether ``text`` (character classes ``classes``, see :meth:`_Editor.bmp_classes`) holds
    one of ``_SPAM_TRIGGERS``: the positions of the characters they are looked for from
    (flagged ``_SPAM``), each checked against the text, for a trigger there or just before."""
    for i in _flagged(classes, _SPAM).tolist():
        for k, trigger in _SPAM_AT[text[i]]:
            if i >= k and text.startswith(trigger, i - k):
                return True
    return False


def _may_hold_spam(text: str, cp: np.ndarray) -> bool:
    """:func:`_holds_spam_trigger` for ``text`` with code points ``cp`` (one table look-up)."""
    return _holds_spam_trigger(text, _BMP.take(cp, mode="clip"))


def _joins_spam_pair(text: str, edits: Edits) -> bool:
    """Whether a batch of deletions and blank replacements may make a pair of
    ``_SPAM_TRIGGERS`` in ``text``: only where a group of adjacent deletions joins two
    characters (a trigger holds no blank; a group next to a replacement counts, conservatively,
    as joining the characters around it)."""
    lens = edits.lengths()
    if isinstance(lens, int) and lens:  # every edit puts a blank in
        return False
    n = len(text)
    pairs = _SPAM_PAIRS
    first = last = -1  # the group of adjacent deletions so far: [first, last)
    for a, b, k in zip(edits.starts.tolist(), edits.ends.tolist(),
                       itertools.repeat(0) if isinstance(lens, int) else lens.tolist()):
        if k:
            continue
        if a != last:
            if first > 0 and last < n and text[first - 1] + text[last] in pairs:
                return True
            first = a
        last = b
    return first > 0 and last < n and text[first - 1] + text[last] in pairs


def _trigger_hits(text: str, classes: np.ndarray) -> dict[int, list[int]]:
    """Positions (sorted) of the trigger texts in ``text`` (character classes ``classes``, see
    :meth:`_Editor.bmp_classes`), by detector bit.

    The candidate positions of their first characters (flagged ``_TRIGGER`` in the classes,
    which the steps before have looked up already: a regex alternation scans several times
    slower) are checked against the text.
    """
    hits: dict[int, list[int]] = {}
    get = _TRIGGER_BITS.get
    for i in _flagged(classes, _TRIGGER).tolist():
        bits = get(text[i:i + 2], 0) | get(text[i], 0)
        if bits:  # (most candidates are not a trigger text: a common first character)
            for bit in _BITS_SET[bits]:
                hits.setdefault(bit, []).append(i)
    return hits


def _lines_at(text: str, positions: list[int]) -> Iterator[int]:
    """Start of every line that holds one of the (sorted) positions, once per line, in order."""
    line_end = -1
    for p in positions:
        if p < line_end:
            continue
        end = text.find("\n", p)
        line_end = len(text) if end < 0 else end
        yield text.rfind("\n", 0, p) + 1


def _colon_lines(text: str) -> Iterator[int]:
    """Start of every line that holds a colon (header lines all do), once per line, in order."""
    pos = text.find(":")
    while pos >= 0:
        yield text.rfind("\n", 0, pos) + 1
        end = text.find("\n", pos)
        pos = -1 if end < 0 else text.find(":", end)


def _header_edits(text: str) -> tuple[list[tuple[int, int, list[tuple[str, str]]]], bool]:
    """Header-block lines: (start, end-without-newline, [(field, value)]); and whether a line
    that reads as a header line is left (not kept)."""
    found = []
    for ls in _colon_lines(text):
        m = _HEADER_START_RE.match(text, ls) and _HEADER_LINE_RE.match(text, ls)
        if not m:
            continue
        line = m.group()
        labels = list(_LABEL_RE.finditer(line))
        if not labels or labels[0].start() > len(line) - len(line.lstrip(" \t-•·*")) + 1:
            continue
        pairs = []
        for k, lm in enumerate(labels):
            v_end = labels[k + 1].start() if k + 1 < len(labels) else len(line)
            value = line[lm.end():v_end].strip(" \t|")
            lab = lm.group(1).replace(" ", "").replace("\t", "")
            pairs.append((lab, value))
        found.append((m.start(), m.end(), pairs, [lm.group(1) for lm in labels]))
    # keep lines in blocks (consecutive lines) that contain a distinctive label
    out = []
    plain = False  # does a kept line spell a distinctive label as _DISTINCTIVE_PLAIN does?
    i = 0
    while i < len(found):
        j = i
        while j + 1 < len(found) and text[found[j][1]:found[j + 1][0]].strip() == "":
            j += 1
        block = found[i:j + 1]
        if any(lab in _DISTINCTIVE for _, _, pairs, _ in block for lab, _ in pairs):
            for s, e, pairs, written in block:
                out.append((s, e, [(_LABEL_TO_FIELD[lab], v) for lab, v in pairs]))
                plain = plain or not _DISTINCTIVE_PLAIN_SET.isdisjoint(written)
        i = j + 1
    # A block counts only in a text that holds a distinctive label as written in
    # _DISTINCTIVE_PLAIN, or 索引号 (spaced or not) in its first 20,000 characters.
    if out and not plain and not (
        any(lab in text for lab in _DISTINCTIVE_PLAIN) or _INDEX_NO_RE.search(text, 0, 20000)
    ):
        return [], True
    return out, len(out) < len(found)


def _pipe_runs(cp: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pipe runs: the maximal runs of spaces, tabs and pipes that hold a pipe.

    Returns their starts, ends and whether each becomes a tab. A pipe-only line goes with its
    newline; a run at the start or end of a line is removed; a run between two cells becomes
    the cell separator, a tab.

    Done on the run classes of the characters between two line-break sentinels (the text's
    edges count as line breaks, and every run ends before them), with a fixed number of numpy
    calls and no work per pipe (a table page holds thousands).
    """
    n = len(cp)
    cls = np.full(n + 2, _RUN_NEWLINE, dtype=np.uint8)  # cls[x + 1] is the class of character x
    _RUN_CLASS.take(cp, mode="clip", out=cls[1:-1])
    in_run = (cls & (_RUN_BLANK | _RUN_PIPE)) != 0
    edges = (in_run[1:] != in_run[:-1]).nonzero()[0]  # run starts and ends, alternately
    with_pipe = np.maximum.reduceat(cls[1:], edges)[0::2] == _RUN_PIPE
    starts, ends = edges[0::2][with_pipe], edges[1::2][with_pipe]
    at_start = cls[starts] == _RUN_NEWLINE
    at_end = cls[ends + 1] == _RUN_NEWLINE
    ends = ends + (at_start & at_end & (ends < n))  # the newline of a pipe-only line
    return starts, ends, ~(at_start | at_end)


# Run classes: spaces and tabs 1, pipes 2, line breaks 4 (read with mode="clip": every code
# point from 127 on reads 0).
_RUN_BLANK, _RUN_PIPE, _RUN_NEWLINE = 1, 2, 4
_RUN_CLASS = np.zeros(128, dtype=np.uint8)
_RUN_CLASS[[9, 32]] = _RUN_BLANK
_RUN_CLASS[124] = _RUN_PIPE
_RUN_CLASS[10] = _RUN_NEWLINE


# Kind codes of the detectors' spans: twice the index in _KIND_NAMES (the low bit marks a pipe
# run that becomes a tab).
_KIND_NAMES = np.array(["content_farm", "header", "page_info", "chrome", "pipes"], dtype=object)
_K_FARM, _K_HEADER, _K_PAGE_INFO, _K_CHROME, _K_PIPES = range(0, 10, 2)


def _debris_edits(text: str, ed: _Editor) -> tuple[Edits, bool]:
    """One debris pass: its edits, and whether applying them is known to leave no debris (then
    no further pass is needed)."""
    n = len(text)

    def line_end(e: int) -> int:  # include the newline of a removed whole line
        return e + 1 if e < n and text[e] == "\n" else e

    # (start, end, kind) of the regex detectors, detector by detector; each detector's spans
    # are sorted and disjoint.
    spans: list[tuple[int, int, int]] = []
    hits = _trigger_hits(text, ed.bmp_classes(text))
    for ls in _lines_at(text, hits.get(_FARM, [])):
        m = _FARM_RE.match(text, ls)
        if m:
            spans.append((m.start(), m.end(), _K_FARM))
    header_left = False
    if ":" in text:
        header, header_left = _header_edits(text)
        for s, e, pairs in header:
            spans.append((s, line_end(e), _K_HEADER))
            ed.header.extend(pairs)
    for ls in _lines_at(text, hits.get(_PAGE_INFO, [])):
        m = _PAGE_INFO_RE.match(text, ls)
        if m:
            spans.append((m.start(), line_end(m.end()), _K_PAGE_INFO))
            if m.group(1):
                ed.header.append(("published", m.group(1)))
    reach = -1  # chrome matches do not overlap (as with finditer); they start at a trigger
    for i in hits.get(_CHROME, []):
        m = _CHROME_RE.match(text, i) if i >= reach else None
        if m:
            spans.append((m.start(), m.end(), _K_CHROME))
            reach = m.end()
    for ls in _lines_at(text, hits.get(_CHROME_LINE, [])):
        m = _CHROME_LINE_RE.match(text, ls)
        if m:
            spans.append((m.start(), line_end(m.end()), _K_CHROME))
    if "|" in text:
        cp = ed.codepoints(text)
        p_starts, p_ends, p_tab = _pipe_runs(cp)
        if not spans:  # pipe runs alone are sorted and disjoint
            tab = p_tab.astype(np.int64)
            edits = _debris_batch(p_starts, p_ends, "pipes", tab)
            return edits, not header_left and _settled(text, cp, edits, [], hits)
    elif not spans:
        return _NO_EDITS, True
    else:
        p_starts = p_ends = np.zeros(0, dtype=np.int64)
        p_tab = np.zeros(0, dtype=bool)
    # Merge the detectors: spans in order of start, longer first, ties in detector order; a
    # span inside the ones before it is dropped, one that overlaps them is trimmed to start where
    # they end (a trimmed pipe run loses its tab).
    if len(spans) + len(p_starts) <= _FEW_SPANS:
        return _merge_few(text, ed.codepoints(text), spans, p_starts, p_ends, p_tab, hits, header_left)
    r_starts, r_ends, r_kinds = zip(*spans)
    s = np.concatenate((r_starts, p_starts))
    e = np.concatenate((r_ends, p_ends))
    code = np.concatenate((r_kinds, _K_PIPES + p_tab))  # 2 * kind + (becomes a tab)
    order = np.lexsort((s - e, s))  # stable: by start, then longer first, then detector order
    s, e, code = s[order], e[order], code[order]
    reach = np.zeros_like(e)  # end of everything before
    np.maximum.accumulate(e[:-1], out=reach[1:])
    keep = e > reach
    code = np.where(s < reach, code & ~1, code)[keep]  # a trimmed run loses its tab
    edits = _debris_batch(np.maximum(s, reach)[keep], e[keep], _KIND_NAMES[code >> 1], code & 1)
    other = ((code >> 1) != (_K_PIPES >> 1)).nonzero()[0].tolist()  # edits other than pipe runs
    return edits, not header_left and _settled(text, ed.codepoints(text), edits, other, hits)


def _merge_few(
    text: str, cp: np.ndarray, spans: list[tuple[int, int, int]], p_starts: np.ndarray,
    p_ends: np.ndarray, p_tab: np.ndarray, hits: dict[int, list[int]], header_left: bool,
) -> tuple[Edits, bool]:
    """The end of :func:`_debris_edits` for a few spans: the same merge, in Python (a fixed number
    of numpy calls costs more for a few dozen spans)."""
    items = list(spans)
    if len(p_starts):
        items += zip(p_starts.tolist(), p_ends.tolist(), (_K_PIPES + p_tab).tolist())
    items.sort(key=lambda x: (x[0], x[0] - x[1]))  # stable: ties keep the detector order
    merged: list[tuple[int, int, int]] = []
    reach = 0  # end of everything before
    for a, b, c in items:
        if b > reach:
            if a < reach:  # trimmed (a trimmed pipe run loses its tab)
                a, c = reach, c & ~1
            merged.append((a, b, c))
            reach = b
    starts, ends, code = zip(*merged)
    starts, ends = np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64)
    if len(set(code)) == 1 and not code[0] & 1:  # one kind, no tab
        edits = Edits(starts, ends, "", _KIND_NAMES[code[0] >> 1])
    else:
        codes = np.array(code)
        edits = _debris_batch(starts, ends, _KIND_NAMES[codes >> 1], codes & 1)
    other = [i for i, c in enumerate(code) if c >> 1 != _K_PIPES >> 1]  # edits other than pipe runs
    return edits, not header_left and _settled(text, cp, edits, other, hits)


_FEW_SPANS = 32  # at most this many spans (pipe runs included): _merge_few


def _debris_batch(
    starts: np.ndarray, ends: np.ndarray, kinds: np.ndarray | str, tab: np.ndarray
) -> Edits:
    """The batch of a debris pass; ``tab`` (0 or 1 per edit) tells which edits become a tab.
    Without any, the batch only deletes, and says so (one replacement, ""), which the offsets
    and splices take a shorter path for."""
    if tab.any():
        return Edits(starts, ends, _TAB_REPS[tab], kinds, tab)
    return Edits(starts, ends, "", kinds)


def _settled(
    text: str, cp: np.ndarray, edits: Edits, other: list[int], hits: dict[int, list[int]]
) -> bool:
    """Whether applying a debris pass's edits leaves nothing for another pass.

    ``cp`` holds the code points of ``text``, ``other`` the indices of the edits that are not
    pipe runs, ``hits`` the trigger positions of the pass. The caller also requires that every
    line that read as a header line was kept.

    Every pipe is removed (every pipe is in a pipe run), and every detector is line-local: its
    regex reads one line, from the line start or from a trigger. An edit either removes whole
    lines with their line break (header, page-info, chrome and content-farm lines, pipe-only
    lines), which leaves the other lines as they were, or changes a part of one line (a pipe
    run, a chrome match). Lines left as they were read as they did: they hold no debris (the
    header lines all went, by the caller's condition). So another pass can only find debris on
    a line changed in part, and this test requires that such a line holds:

    - no trigger text that the edits leave in place. A trigger text holds no space, tab, pipe
      or line break, so an edit makes one only where a deletion joins two characters other than
      line breaks: pipe runs never do (a run at a line edge is next to a line break or the text
      edge, one inside a line becomes a tab, and one trimmed to start where another edit ends
      is next to that edit), and the joins of the other deletions are checked, conservatively
      (an edit next to another edit fails the test);
    - no colon that could start a header line (every header line has one). On a line whose only
      changes are pipe runs, the other characters keep their order, so it can start a header
      line only if its first character other than a space, tab or pipe (after a bullet, the
      next one) is the first character of a label; a colon on a line changed otherwise fails.

    The test looks only at the trigger positions, the colons and the edits other than pipe runs
    (few), by bisection over the edits: no pass over the text but the search for colons.
    """
    n = len(text)
    # The edits are read by bisection: a few from lists (a list item reads ten times faster
    # than an array's, and a scalar searchsorted costs about a microsecond), many from the arrays
    # (no list of all the edits: most are pipe runs, which few look-ups read).
    if len(edits) <= _LIST_EDITS:
        starts, ends = edits.starts.tolist(), edits.ends.tolist()
        after, at_or_after = bisect.bisect_right, bisect.bisect_left
    else:
        starts, ends = edits.starts, edits.ends
        after, at_or_after = _searchsorted_right, _searchsorted_left
    if len(starts) <= _FEW_SPANS and all(  # only whole lines removed: nothing changed in part
        (a == 0 or text[a - 1] == "\n") and (b == n or text[b - 1] == "\n")
        for a, b in zip(starts, ends)
    ):
        return True

    def edit_at(p: int) -> int:  # the edit that removes position p, or -1
        i = after(starts, p) - 1
        return i if i >= 0 and p < ends[i] else -1

    def line_of(p: int) -> tuple[int, int, int]:  # line start and end, first edit from its start
        ls = text.rfind("\n", 0, p) + 1
        le = text.find("\n", p)
        return ls, n if le < 0 else le, at_or_after(starts, ls)

    def changed(ls: int, le: int, i: int) -> bool:  # an edit changes part of line [ls, le)
        return (i < len(starts) and starts[i] <= le) or (i > 0 and ends[i - 1] > ls)

    for p in (p for v in hits.values() for p in v):  # trigger texts left on a changed line
        if edit_at(p) < 0 and changed(*line_of(p)):
            return False
    for i in other:  # joins
        a, b = int(starts[i]), int(ends[i])
        if a and b < n and text[a - 1] != "\n" and text[b] != "\n" and (
            (i and ends[i - 1] == a) or (i + 1 < len(starts) and starts[i + 1] == b)
            or text[a - 1] + text[b] in _TRIGGER_BITS
        ):
            return False
    # Colons: pipe runs hold none, so only the other edits (few, read from lists) can remove one
    # or change a line that holds one in a way that fails; all the edits are looked up only for
    # a line that could start a header line.
    o_starts, o_ends = [int(starts[i]) for i in other], [int(ends[i]) for i in other]
    checked = -1  # end of the last line checked
    for p in _colons_left(text, cp, o_starts, o_ends):
        if p < checked:
            continue
        ls = text.rfind("\n", 0, p) + 1
        checked = text.find("\n", p)
        if checked < 0:
            checked = n
        j = bisect.bisect_left(o_starts, ls)
        if j < len(o_starts) and o_starts[j] <= checked:
            return False
        rest = text[ls:checked].lstrip(" \t|")
        if rest[:1] in _BULLETS:
            rest = rest[1:].lstrip(" \t|")
        if rest[:1] in _LABEL_FIRST and changed(ls, checked, at_or_after(starts, ls)):
            return False
    return True


def _colons_left(text: str, cp: np.ndarray, starts: list[int], ends: list[int]) -> Iterator[int]:
    """Positions of the colons that none of the (sorted, disjoint) edits ``starts``/``ends``
    removes, in order: by ``str.find``, skipping the edits, when the text holds a few colons;
    with numpy when it holds many (a page of header lines: one Python step per colon would
    cost more)."""
    if text.count(":") > _MANY_COLONS:
        colons = (cp == 58).nonzero()[0]
        if starts:
            a, b = np.array(starts), np.array(ends)
            i = a.searchsorted(colons, "right") - 1
            colons = colons[(i < 0) | (colons >= b[np.maximum(i, 0)])]
        yield from colons.tolist()
        return
    p = text.find(":")
    while p >= 0:
        i = bisect.bisect_right(starts, p) - 1
        if i >= 0 and p < ends[i]:
            p = text.find(":", ends[i])
            continue
        yield p
        p = text.find(":", p + 1)


_MANY_COLONS = 256
_LIST_EDITS = 64  # at most this many edits: _settled reads them from lists


def _searchsorted_right(a: np.ndarray, x: int) -> int:
    """``bisect.bisect_right`` on a sorted array."""
    return int(a.searchsorted(x, "right"))


def _searchsorted_left(a: np.ndarray, x: int) -> int:
    """``bisect.bisect_left`` on a sorted array."""
    return int(a.searchsorted(x))


_BULLETS = frozenset("-•·*")
_LABEL_FIRST = frozenset(lab[0] for lab in _LABELS)


_TAB_REPS = np.array(["", "\t"], dtype=object)


def _debris(text: str, ed: _Editor) -> str:
    # Removing one piece of debris can expose another (a pipe run in front of 点击数:), so run
    # to a fixpoint; each pass removes at least one character. A pass that changed no line in
    # part that could then read as debris is the last (see _settled): that spares the second
    # pass on most reports.
    while True:
        edits, settled = _debris_edits(text, ed)
        if not edits:
            return text
        text = ed.apply(text, edits)
        if settled:
            return text


def remove_debris(text: str) -> str:
    """Remove web-scrape debris (pipes, page info, chrome, header block, content-farm prefaces).

    >>> remove_debris("报告 | ||||\\n2024-01-22 点击数: |\\n正文【关闭窗口】 |")
    '报告\\n正文'
    """
    return _debris(text, _Editor())


# --------------------------------------------------------------------------------------------
# 5. spaces next to Chinese characters and 6. whitespace layout
#
# Both steps act on the maximal runs of spaces and tabs ("blank runs"), and one function makes
# the edits of either or both.


def _blank_edits(text: str, ed: _Editor, *, spaces: bool, layout: bool) -> Edits:
    """Edits of step 5 (``spaces``), step 6 (``layout``) or both, as one batch.

    - Step 5 removes a run of spaces (no tab) between two characters that are not line breaks
      when one of them is Chinese.
    - Step 6 removes the runs at the start or end of a line and turns a longer run inside a line
      into one tab if it holds a tab, else one space; then it turns three or more line breaks
      into two, and strips the text.

    With both flags the batch gives what step 5 followed by step 6 gives, text and offsets: the
    runs step 5 removes are whole runs whose neighbours stay, so step 6 sees every other run with
    the same neighbours; the blank runs between two line breaks are line-edge runs, so a run of
    line breaks in step 6's output is a run of line breaks and blank runs here, and its
    replacement covers the same first and last line break; stripping removes the images of the
    whitespace prefix and suffix of the input, which are whole runs here too.
    """
    n = len(text)
    lead, trail = 0, n  # step 6 strips text[:lead] and text[trail:]
    if layout:
        lead = n - len(text.lstrip())
        if lead == n:
            return Edits.of([(0, n, "")]) if n else _NO_EDITS
        trail = len(text.rstrip())
    edges = [(a, b) for a, b in ((0, lead), (trail, n)) if b > a]
    blanks = _few_blanks(text, lead, trail)
    if blanks is not None:
        return _few_blank_edits(text, blanks, lead, trail, edges, spaces=spaces, layout=layout)
    if " " not in text and (not layout or "\t" not in text):
        starts = ends = code = np.zeros(0, dtype=np.int64)
        blank_line = False
    else:
        cp = ed.codepoints(text)
        tab = cp == 9
        # blanks between two sentinels, cleared outside [lead, trail) (the stripped edges are
        # whitespace, so no run inside reaches them), so that every run ends inside
        blank = np.zeros(n + 2, dtype=bool)
        np.logical_or(tab, cp == 32, out=blank[1:-1])
        blank[1:lead + 1] = False
        blank[trail + 1:n + 1] = False
        bounds = (blank[1:] != blank[:-1]).nonzero()[0]
        starts, ends = bounds[0::2], bounds[1::2]
        left = cp[starts - 1]  # (a run at position 0 reads the last character: masked by at_start)
        right = cp[np.minimum(ends, n - 1)]
        at_start = (starts == 0) | (left == 10)
        at_end = (ends == n) | (right == 10)
        with_tab = np.zeros(len(starts), dtype=bool)
        if "\t" in text:
            with_tab[starts.searchsorted(tab[lead:trail].nonzero()[0] + lead, "right") - 1] = True
        remove = at_start | at_end if layout else np.zeros(len(starts), dtype=bool)
        if spaces:  # a run of spaces inside a line, next to a Chinese character
            inner = (~(with_tab | at_start | at_end)).nonzero()[0]
            cls = _classes(np.concatenate((left[inner], right[inner])))
            remove[inner[(cls[:len(inner)] | cls[len(inner):]) & _WIDE_CHAR > 0]] = True
        blank_line = layout and (at_start & at_end & (starts > 0) & (ends < n)).any()
        change = remove | (ends - starts > 1) if layout else remove
        code = np.where(remove, 0, 1 + with_tab)[change]  # 0 "", 1 " ", 2 "\t"
        starts, ends = starts[change], ends[change]
    if layout:
        # three or more line breaks with only blank runs between them become two
        # (with no blank run between two line breaks, _NL_RUN_RE matches what _NL3_RE matches,
        # and the literal prefix of _NL3_RE makes the search skip ahead to candidates, faster
        # than str.find("\n\n") would tell that there are none)
        nl_run = _NL_RUN_RE if blank_line else _NL3_RE
        runs = [m.span() for m in nl_run.finditer(text, lead, trail)]
        if runs:
            nl_s, nl_e = np.array(runs, dtype=np.int64).T
            i = nl_s.searchsorted(starts, "right") - 1
            keep = (i < 0) | (ends > nl_e[i])  # the blank runs inside go with the replacement
            starts = np.concatenate((starts[keep], nl_s))
            ends = np.concatenate((ends[keep], nl_e))
            code = np.concatenate((code[keep], np.full(len(nl_s), 3)))
            order = starts.argsort(kind="stable")
            starts, ends, code = starts[order], ends[order], code[order]
    if edges:  # (the leading one before everything else, the trailing one after)
        a, b = np.array(edges, dtype=np.int64).T
        k = 1 if lead else 0
        starts = np.concatenate((a[:k], starts, a[k:]))
        ends = np.concatenate((b[:k], ends, b[k:]))
        zeros = np.zeros(len(edges), dtype=np.int64)
        code = np.concatenate((zeros[:k], code, zeros[k:]))
    if not code.any():  # deletions only
        return Edits(starts, ends)
    return Edits(starts, ends, _BLANK_REPS[code], lens=_BLANK_LENS[code])


def _few_blanks(text: str, lead: int, trail: int) -> list[int] | None:
    """Positions of the spaces and tabs in ``text[lead:trail]``, sorted, if there are at most
    ``_FEW_BLANKS`` of them (else None); found with ``str.find``, which skips ahead at C speed.
    Tabs are counted first where there is one: a text with tabs is often a tab table, with
    hundreds of them."""
    found: list[int] = []
    for char in "\t ":
        i = text.find(char, lead, trail)
        if char == "\t" and i >= 0 and text.count(char, i, trail) > _FEW_BLANKS:
            return None
        while i >= 0:
            if len(found) == _FEW_BLANKS:
                return None
            found.append(i)
            i = text.find(char, i + 1, trail)
    found.sort()
    return found


def _few_blank_edits(
    text: str, blanks: list[int], lead: int, trail: int, edges: list[tuple[int, int]], *,
    spaces: bool, layout: bool,
) -> Edits:
    """:func:`_blank_edits` on a text with few spaces and tabs (at ``blanks``, see
    :func:`_few_blanks`): the same rules, one Python step per blank run instead of a fixed number
    of numpy passes over the text, which cost more when there are only a few dozen blanks.
    ``lead``, ``trail`` and ``edges`` are as :func:`_blank_edits` computes them."""
    n = len(text)
    found: list[tuple[int, int, int]] = []  # (start, end, code): code 0 "", 1 " ", 2 "\t", 3 "\n\n"
    blank_line = False
    a = 0
    for k, i in enumerate(blanks):  # each maximal run of blanks [a, b), when it ends
        if not k or i != blanks[k - 1] + 1:
            a = i
        b = i + 1
        if k + 1 < len(blanks) and blanks[k + 1] == b:
            continue
        left = text[a - 1] if a else "\n"
        right = text[b] if b < n else "\n"
        if left == "\n" or right == "\n":  # at the start or end of a line
            if layout:
                found.append((a, b, 0))
                blank_line = blank_line or (left == right and a > 0 and b < n)
            continue
        with_tab = "\t" in text[a:b]
        if spaces and not with_tab and (_is_wide(left) or _is_wide(right)):  # next to Chinese
            found.append((a, b, 0))
        elif layout and b - a > 1:
            found.append((a, b, 2 if with_tab else 1))
    if layout:
        nl_run = _NL_RUN_RE if blank_line else _NL3_RE
        nl_runs = [m.span() for m in nl_run.finditer(text, lead, trail)]
        if nl_runs:
            nl_starts = [a for a, _ in nl_runs]
            found = [  # the blank runs inside a run of line breaks go with its replacement
                (a, b, c) for a, b, c in found
                if (i := bisect.bisect_right(nl_starts, a) - 1) < 0 or b > nl_runs[i][1]
            ]
            found += [(a, b, 3) for a, b in nl_runs]
    found += [(a, b, 0) for a, b in edges]
    if not found:
        return _NO_EDITS
    found.sort()
    starts, ends, code = zip(*found)
    starts, ends = np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64)
    if not any(code):  # deletions only
        return Edits(starts, ends)
    return Edits(starts, ends, [_BLANK_STRS[c] for c in code],
                 lens=np.array([_BLANK_STR_LENS[c] for c in code]))


_FEW_BLANKS = 64  # at most this many spaces and tabs: _few_blank_edits
_BLANK_STRS = ("", " ", "\t", "\n\n")
_BLANK_STR_LENS = (0, 1, 1, 2)
_BLANK_REPS = np.array(["", " ", "\t", "\n\n"], dtype=object)
_BLANK_LENS = np.array([0, 1, 1, 2])
_NL_RUN_RE = re.compile(r"\n(?:[ \t]*\n){2,}")
_NL3_RE = re.compile(r"\n\n\n+")


def _spaces_and_layout(text: str, ed: _Editor) -> str:
    return ed.apply(text, _blank_edits(text, ed, spaces=True, layout=True))


def remove_spaces(text: str) -> str:
    """Remove spaces next to Chinese characters; keep them between non-Chinese words.

    >>> remove_spaces("平昌关镇 2023 年 自 然 人 PDF file")
    '平昌关镇2023年自然人PDF file'
    """
    ed = _Editor()
    return ed.apply(text, _blank_edits(text, ed, spaces=True, layout=False))


def normalize_whitespace(text: str) -> str:
    """Tidy horizontal whitespace and blank lines.

    >>> normalize_whitespace("  a  b \\t c\\n\\n\\n\\nd  ")
    'a b\\tc\\n\\nd'
    """
    ed = _Editor()
    return ed.apply(text, _blank_edits(text, ed, spaces=False, layout=True))


# --------------------------------------------------------------------------------------------
# warnings

_SPAM_WORDS = (
    "娱乐城", "博彩", "百家乐", "时时彩", "六合彩", "彩票", "赌场", "赌博", "老虎机", "真人荷官", "葡京", "威尼斯人",
    "太阳城", "bet ?365", "bet3365", "亚洲国产", "精品视频", "成人", "av在线", "无码", "免费视频", "手机下载_",
)
_SPAM_RE = re.compile("|".join(_SPAM_WORDS), re.I)


def _literal_variants(word: str) -> list[str]:
    """The strings a ``_SPAM_WORDS`` entry matches under re.I ("bet ?365": "bet 365", "BeT365", ...)."""
    forms = [word.replace(" ?", " "), word.replace(" ?", "")] if " ?" in word else [word]
    return [
        "".join(chars)
        for form in forms
        for chars in itertools.product(*((c, c.upper()) if "a" <= c <= "z" else (c,) for c in form))
    ]


# _SPAM_RE spelled as plain literals, so that the regex engine skips ahead to candidate first
# characters instead of trying every alternative at every position with case folding (several
# times slower). re.I folds these ASCII letters to their upper case only (tested).
_SPAM_SCAN_RE = re.compile("|".join(map(re.escape, (v for w in _SPAM_WORDS for v in _literal_variants(w)))))
_SPAM_CUES = ("娱乐", "博彩", "百家乐", "彩", "赌", "老虎机", "荷官", "葡京", "威尼斯人", "太阳城", "亚洲国产",
               "精品视频", "成人", "av在线", "无码", "免费视频", "手机下载_", "AV在线")
# Spam lines are flagged only in a text that holds a cue, or "bet" in any case.
_SPAM_CUE_RE = re.compile("|".join(map(re.escape, _SPAM_CUES)))
_BET_RE = re.compile("[bB][eE][tT]")
_BET_FORMS = tuple(_literal_variants("bet"))  # what _BET_RE matches
_MOJIBAKE_RE = re.compile(r"\?,[A-Z](?<=[^\x00-\x7f]\?,[A-Z])|\ufffd")


_GLOSS_TAIL_RE = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]{1,6}\)")


def _warnings(text: str, may_hold_spam: bool | None = None) -> list[str]:
    """Flag spam lines (casino/lottery ads, pinyin glosses) and mojibake; never modify text.

    Each pattern runs only on a text that holds one of its trigger texts, and line numbers are
    computed for the hits only (by counting line breaks from the previous hit: each scan reads
    the text once). ``may_hold_spam`` is False if the text is known to hold no spam trigger
    (see :meth:`_Tracker.watch_spam`), None if unknown (then it is screened here).
    """
    hits: dict[int, list[str]] = {}
    line_starts: dict[int, int] = {}  # line number -> position of its first character
    counted = [0, 0]  # a position, and the number of line breaks before it

    def line_of(pos: int) -> int:  # number of line breaks before pos
        at, ln = counted if pos >= counted[0] else (0, 0)  # (a new scan starts over)
        ln += text.count("\n", at, pos)
        counted[:] = pos, ln
        if ln not in line_starts:
            line_starts[ln] = text.rfind("\n", 0, pos) + 1
        return ln

    gloss_lines: dict[int, int] = {}
    for m in _GLOSS_TAIL_RE.finditer(text):
        if m.start() and _HAN_RE.match(text[m.start() - 1]):
            ln = line_of(m.start())
            gloss_lines[ln] = gloss_lines.get(ln, 0) + 1
    for ln, k in gloss_lines.items():
        if k >= 2:
            hits.setdefault(ln, []).append("spam: pinyin glosses")
    # (the test is _SPAM_CUE_RE.search(text) or _BET_RE.search(text), by substring search)
    if may_hold_spam is None:
        cp = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        may_hold_spam = _may_hold_spam(text, cp)
    if may_hold_spam and (
        any(cue in text for cue in _SPAM_CUES) or any(bet in text for bet in _BET_FORMS)
    ):
        for m in _SPAM_SCAN_RE.finditer(text):
            ln = line_of(m.start())
            note = f"spam: {m.group()!r}"
            if note not in hits.get(ln, []):
                hits.setdefault(ln, []).append(note)
    # _MOJIBAKE_RE's matches start at "?," or are a U+FFFD; find those with str.find (of one
    # character: a search for one character skips ahead at memory speed)
    for cue in ("?,", "\ufffd"):
        i = text.find(cue[0])
        while i >= 0:
            if text.startswith(cue, i) and _MOJIBAKE_RE.match(text, i):
                ln = line_of(i)
                if "mojibake: damaged characters" not in hits.get(ln, []):
                    hits.setdefault(ln, []).append("mojibake: damaged characters")
            i = text.find(cue[0], i + 1)
    if not hits:
        return []

    def head(ln: int) -> str:  # the first 40 characters of line ln
        start = line_starts[ln]
        end = text.find("\n", start, start + 40)
        return text[start:start + 40 if end < 0 else end]

    return [f"{note} on line {ln + 1}: {head(ln)!r}" for ln in sorted(hits) for note in hits[ln]]


# --------------------------------------------------------------------------------------------
# pipeline

# The steps up to the conversion, and the editing steps after it, which only delete and put
# blanks in (what _Tracker.watch_spam relies on).
_CONVERSION_STEPS: tuple[Callable[[str, _Editor], str], ...] = (_controls, _fold, _t2s)
_EDITING_STEPS: tuple[Callable[[str, _Editor], str], ...] = (_debris, _spaces_and_layout)
_STEPS = _CONVERSION_STEPS + _EDITING_STEPS


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


def _check_str(text: Any, caller: str) -> None:
    if not isinstance(text, str):
        from govtext.exceptions import InvalidParameterError

        msg = f"{caller}() expects a str. Got {type(text).__name__} instead."
        raise InvalidParameterError(msg)


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
    _check_str(text, "normalize")
    tracker = _Tracker(len(text))
    out = text
    for step in _CONVERSION_STEPS:
        out = step(out, tracker)
    tracker.watch_spam(out)
    for step in _EDITING_STEPS:
        out = step(out, tracker)
    starts, ends = tracker.map.arrays()
    return Normalized(
        out, starts, ends, tracker.removed(text), tuple(tracker.header),
        tuple(_warnings(out, tracker.spam)),
    )


def normalize_text(text: str) -> str:
    """Normalise a text (the plain-string form of :func:`normalize`).

    >>> normalize_text("三是公開的內容和形式還不夠豐富 |")
    '三是公开的内容和形式还不够丰富'
    """
    _check_str(text, "normalize_text")
    editor = _Editor(screen_t2s=True)
    for step in _STEPS:
        text = step(text, editor)
    return text
