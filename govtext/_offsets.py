"""Offset tracking for text edits: a map from an edited text back to its source.

An edit replaces the non-empty span ``text[start:end]`` by a replacement string. Characters
outside the edits keep their source range; the characters of a replacement inherit the source
range of the whole span they replace (``[source start of text[start], source end of
text[end - 1])``), so offsets always map back to the exact source characters and never cross a
gap.

Edits come in batches (:class:`Edits`): sorted, non-overlapping, and stored as columns (numpy
arrays of starts and ends, the replacements as one string for all or a list), because the
batches of the normalisation steps are produced and consumed by vectorised code.

:class:`SourceMap` stores the map per character (two ``int64`` arrays, made once the text is
edited). A large batch is applied through its :class:`EditIndex` -- for each character of the
edited text, the position in the current text it reads -- which a fixed number of numpy
operations computes, whatever the number of edits; the same index splices the code points of
the text (:func:`splice_codepoints`) and gathers the map's arrays. A batch of at most
``FEW_EDITS`` edits is applied by joining slices of the arrays instead (one Python step per
edit). On texts of the size of a report the fixed cost of each numpy call dominates, so a few
calls on per-character arrays cost less than composing a map of segments and expanding it at
the end, as an earlier version did.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = [
    "EditIndex", "Edits", "SourceMap", "Tracked", "edit_index", "splice", "splice_codepoints",
]


@dataclass(frozen=True)
class Edits:
    """A batch of sorted, non-overlapping edits on one text, in columns.

    Edit ``i`` replaces ``text[starts[i]:ends[i]]`` (never empty) by ``reps[i]`` (``reps`` is one
    string for all edits, or a sequence; ``lens`` may give the replacement lengths). ``kinds``
    names deliberate removals of page debris (``"pipes"``, ``"chrome"``, ...), one name for all
    edits or a sequence; edits without a kind (``None``: whitespace, control characters) are
    ordinary normalisation and are not logged.
    """

    starts: np.ndarray
    ends: np.ndarray
    reps: str | Sequence[str] = ""
    kinds: str | Sequence[str] | None = None
    lens: np.ndarray | None = None

    @classmethod
    def of(cls, edits: list[tuple[int, int, str]], kinds: str | list[str] | None = None) -> Edits:
        """From ``(start, end, replacement)`` triples."""
        starts, ends, reps = zip(*edits) if edits else ((), (), ())
        return cls(np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64), list(reps), kinds)

    def __len__(self) -> int:
        return len(self.starts)

    def lengths(self) -> np.ndarray | int:
        """Length of each replacement (one int when ``reps`` is a single string)."""
        if self.lens is not None:
            return self.lens
        if isinstance(self.reps, str):
            return len(self.reps)
        return np.fromiter(map(len, self.reps), dtype=np.int64, count=len(self.reps))


def splice(text: str, edits: Edits) -> str:
    """Apply a batch of edits to a string.

    >>> splice("a  b|c", Edits(np.array([1, 4]), np.array([3, 5]), [" ", ""]))
    'a bc'
    """
    if not len(edits):
        return text
    starts = edits.starts.tolist()
    ends = edits.ends.tolist()
    kept = list(map(text.__getitem__, map(slice, [0, *ends], [*starts, len(text)])))
    if isinstance(edits.reps, str) and not edits.reps:
        return "".join(kept)
    out = [edits.reps] * (2 * len(starts) + 1)
    out[0::2] = kept
    if not isinstance(edits.reps, str):
        out[1::2] = edits.reps
    return "".join(out)


# Batches of at most this many edits are applied by slicing (Python steps per edit, no pass per
# character); larger ones through an EditIndex (numpy calls, whatever the number of edits).
FEW_EDITS = 32

_BAD_EDITS = "edits must be non-empty, sorted and non-overlapping within the text"


def _valid(n: int, starts: list[int], ends: list[int]) -> bool:
    """Whether the edits (as lists) are non-empty, sorted, non-overlapping and inside a text of
    ``n`` characters (the ends, with 0 in front and ``n`` behind, interleaved with the starts,
    never decrease; no edit is empty)."""
    return (
        all(map(operator.le, [0, *ends], [*starts, n]))
        and all(map(operator.lt, starts, ends))
    )


@dataclass(frozen=True)
class EditIndex:
    """Where each character of an edited text comes from, for one batch of edits.

    ``index[x]`` is the position in the current text that character ``x`` of the edited text
    reads: its own position for a kept character, the start of the replaced span (``starts[i]``)
    for a character of replacement ``i``. ``rep_pos`` holds the positions of the replacement
    characters in the edited text, in order, and ``rep_edit`` the edit each one belongs to
    (``None`` for both when the batch only deletes).
    """

    index: np.ndarray
    rep_pos: np.ndarray | None = None
    rep_edit: np.ndarray | None = None


def edit_index(n: int, edits: Edits) -> EditIndex:
    """The :class:`EditIndex` of a batch of edits on a text of ``n`` characters.

    A fixed number of numpy operations, on arrays the size of the batch and of the edited text
    (no Python loop per edit or per character).

    >>> ix = edit_index(6, Edits(np.array([1, 4]), np.array([3, 5]), [" ", ""]))  # "a  b|c"
    >>> ix.index.tolist(), ix.rep_pos.tolist()                                     # "a bc"
    ([0, 1, 3, 5], [1])
    """
    starts, ends = edits.starts, edits.ends
    e = len(starts)
    if not e:
        return EditIndex(np.arange(n, dtype=np.int64))
    # Kept interval i lies between edit i - 1 and edit i: [ks[i], ks[i] + kl[i]).
    ks = np.concatenate(([0], ends))
    kl = np.concatenate((starts, [n])) - ks
    if kl.min() < 0 or (ends <= starts).any():
        raise ValueError(_BAD_EDITS)
    lens = edits.lengths()
    if isinstance(lens, int) and not lens:  # deletions only: the kept intervals, end to end
        new_start = kl.cumsum()
        new_start -= kl
        index = (ks - new_start).repeat(kl)
        index += np.arange(len(index))
        return EditIndex(index)
    if isinstance(lens, int):
        lens = np.full(e, lens, dtype=np.int64)
    # Kept intervals and replacements alternate; each reads from its start onwards (a
    # replacement of more than one character is set to its start below).
    seglen = np.empty(2 * e + 1, dtype=np.int64)
    seglen[0::2], seglen[1::2] = kl, lens
    base = np.empty(2 * e + 1, dtype=np.int64)
    base[0::2], base[1::2] = ks, starts
    new_start = seglen.cumsum()
    new_start -= seglen
    index = (base - new_start).repeat(seglen)
    index += np.arange(len(index))
    rep_start = new_start[1::2]
    if lens.max() <= 1:
        rep_edit = lens.nonzero()[0]
        return EditIndex(index, rep_start[rep_edit], rep_edit)
    rep_edit = np.arange(e).repeat(lens)
    first = lens.cumsum()
    first -= lens  # rank of each edit's first replacement character
    rep_pos = (rep_start - first).repeat(lens)
    rep_pos += np.arange(len(rep_pos))
    index[rep_pos] = starts[rep_edit]
    return EditIndex(index, rep_pos, rep_edit)


def splice_codepoints(cp: np.ndarray, edits: Edits, ix: EditIndex) -> np.ndarray:
    """Apply a batch of edits to the code points of a text (``uint32``), given its index.

    >>> cp = np.frombuffer("a  b|c".encode("utf-32-le"), dtype=np.uint32)
    >>> edits = Edits(np.array([1, 4]), np.array([3, 5]), [" ", ""])
    >>> splice_codepoints(cp, edits, edit_index(6, edits)).tobytes().decode("utf-32-le")
    'a bc'
    """
    out = cp[ix.index]
    if ix.rep_pos is not None and len(ix.rep_pos):
        reps = edits.reps
        joined = reps * len(edits) if isinstance(reps, str) else "".join(
            reps.tolist() if isinstance(reps, np.ndarray) else reps)
        out[ix.rep_pos] = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    return out


class SourceMap:
    """Map from each character of an edited text to its half-open source range.

    Kept per character: ``starts[x]`` and ``ends[x]`` are the source start and end of character
    ``x`` (``None`` on an unedited text, where character ``x`` is source character ``x``). A large
    batch of edits is composed through its :class:`EditIndex` (two gathers: a fixed number of
    numpy operations whatever the number of edits), a small one by joining slices; on texts of
    the size of a report the fixed cost per numpy call dominates. :meth:`arrays` returns the
    arrays as they are.

    >>> m = SourceMap.identity(6)                      # "a  b|c"
    >>> m, src_a, src_b = m.edit(Edits(np.array([1, 4]), np.array([3, 5]), [" ", ""]))
    >>> starts, ends = m.arrays()                       # "a bc"
    >>> starts.tolist(), ends.tolist()
    ([0, 1, 3, 5], [1, 3, 4, 6])
    >>> src_a.tolist(), src_b.tolist()                  # source span of each edit
    ([1, 4], [3, 5])
    """

    __slots__ = ("ends", "n", "starts")

    def __init__(
        self, n: int, starts: np.ndarray | None = None, ends: np.ndarray | None = None
    ) -> None:
        self.n, self.starts, self.ends = n, starts, ends

    @classmethod
    def identity(cls, n: int) -> SourceMap:
        """The map of an unedited text of ``n`` characters."""
        return cls(n)

    def edit(
        self, edits: Edits, ix: EditIndex | None = None, *, spans: bool = True
    ) -> tuple[SourceMap, np.ndarray | None, np.ndarray | None]:
        """Compose a batch of edits (positions in the current text).

        ``ix`` is the batch's :class:`EditIndex` if it has been computed already (else a batch
        of at most ``FEW_EDITS`` edits is composed by slicing). Returns the map of the edited
        text and the source span (``src_a``, ``src_b``) of every edit; with ``spans=False``, a
        batch that only deletes returns None for them (the map needs none).
        """
        if not spans:  # (a replacement character reads its span)
            lens = edits.lengths()
            spans = bool(lens) if isinstance(lens, int) else bool(lens.any())
        if ix is None:
            if len(edits) <= FEW_EDITS:
                return self._edit_by_slices(edits, spans)
            ix = edit_index(self.n, edits)
        starts, ends, index = edits.starts, edits.ends, ix.index
        if self.starts is None:  # unedited: every position is its own source
            src_a, src_b = starts, ends
            new_starts, new_ends = index, index + 1
        else:
            src_a, src_b = (self.starts[starts], self.ends[ends - 1]) if spans else (None, None)
            new_starts, new_ends = self.starts[index], self.ends[index]
        if ix.rep_pos is not None and len(ix.rep_pos):  # (a replacement character reads its span)
            new_ends[ix.rep_pos] = src_b[ix.rep_edit]
        return SourceMap(len(index), new_starts, new_ends), src_a, src_b

    def _edit_by_slices(
        self, edits: Edits, spans: bool = True
    ) -> tuple[SourceMap, np.ndarray | None, np.ndarray | None]:
        """:meth:`edit` for a few edits: the new arrays are the kept slices of the old ones and
        the replacements' ranges, joined (one Python step per edit, no gather per character)."""
        starts, ends = edits.starts, edits.ends
        starts_list, ends_list = starts.tolist(), ends.tolist()
        if not _valid(self.n, starts_list, ends_list):
            raise ValueError(_BAD_EDITS)
        lens = edits.lengths()
        lens = [lens] * len(starts_list) if isinstance(lens, int) else lens.tolist()
        if self.starts is None:  # unedited: the kept pieces are ranges of positions
            return self._first_edit_by_slices(starts, ends, starts_list, ends_list, lens)
        old_starts, old_ends = self.starts, self.ends
        src_a, src_b = (old_starts[starts], old_ends[ends - 1]) if spans else (None, None)
        new_starts, new_ends = [], []
        prev = 0
        for i, (a, b, k) in enumerate(zip(starts_list, ends_list, lens)):
            new_starts.append(old_starts[prev:a])
            new_ends.append(old_ends[prev:a])
            if k:
                new_starts.append(src_a[i:i + 1] if k == 1 else src_a[i:i + 1].repeat(k))
                new_ends.append(src_b[i:i + 1] if k == 1 else src_b[i:i + 1].repeat(k))
            prev = b
        new_starts.append(old_starts[prev:])
        new_ends.append(old_ends[prev:])
        new_starts, new_ends = np.concatenate(new_starts), np.concatenate(new_ends)
        return SourceMap(len(new_starts), new_starts, new_ends), src_a, src_b

    def _first_edit_by_slices(
        self, starts: np.ndarray, ends: np.ndarray, starts_list: list[int], ends_list: list[int],
        lens: list[int],
    ) -> tuple[SourceMap, np.ndarray, np.ndarray]:
        """:meth:`_edit_by_slices` on an unedited text: each kept piece is a range of positions,
        a replacement character reads its span; the ends are the starts plus one, but for the
        replacement characters."""
        pieces, reps = [], []
        prev = pos = 0
        for a, b, k in zip(starts_list, ends_list, lens):
            pieces.append(np.arange(prev, a))
            pos += a - prev
            if k:
                pieces.append(np.full(k, a))
                reps.append((pos, pos + k, b))
                pos += k
            prev = b
        pieces.append(np.arange(prev, self.n))
        new_starts = np.concatenate(pieces)
        new_ends = new_starts + 1
        for x, y, b in reps:
            new_ends[x:y] = b
        return SourceMap(len(new_starts), new_starts, new_ends), starts, ends

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """Per-character source ``starts`` and ``ends`` (``int64`` arrays of length ``n``)."""
        if self.starts is None:
            starts = np.arange(self.n, dtype=np.int64)
            return starts, starts + 1
        return self.starts, self.ends


@dataclass(frozen=True)
class Tracked:
    """A text with its per-character map back to the source."""

    text: str
    starts: np.ndarray
    ends: np.ndarray

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Source range covered by ``text[start:end]`` (empty spans map to a point)."""
        if end <= start:
            if start < len(self.text):
                p = int(self.starts[start])
            elif len(self.text):
                p = int(self.ends[-1])
            else:
                p = 0
            return p, p
        return int(self.starts[start]), int(self.ends[end - 1])
