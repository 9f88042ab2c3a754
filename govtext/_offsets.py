"""Offset tracking for text edits: a compact map from an edited text back to its source.

An edit replaces the non-empty span ``text[start:end]`` by a replacement string. Characters
outside the edits keep their source range; the characters of a replacement inherit the source
range of the whole span they replace (``[source start of text[start], source end of
text[end - 1])``), so offsets always map back to the exact source characters and never cross a
gap.

Edits come in batches (:class:`Edits`): sorted, non-overlapping, and stored as columns (numpy
arrays of starts and ends, the replacements as one string for all or a list), because the
batches of the normalisation steps are produced and consumed by vectorised code.

:class:`SourceMap` stores the map as *segments*, not per character. A segment covers a run of
characters of the current text and is either a *copy* run (character ``x`` came from the single
source character ``a + (x - pos)``) or a *block* (every character came from the source range
``[a, b)``). Composing a batch of ``k`` edits with a map of ``m`` segments costs a fixed number
of numpy operations on arrays of size ``O(k + m)``, whatever the length of the text, so a
pipeline of editing steps costs one ``O(n)`` pass at the end (:meth:`SourceMap.arrays`) instead
of one per step.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["Edits", "SourceMap", "Tracked", "splice"]


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


class SourceMap:
    """Map from each character of an edited text to its half-open source range.

    ``seg`` holds one column per segment and four rows, ``pos, a, b, k``: segment ``j`` covers
    text positions ``[pos[j], pos[j + 1])`` (the last one ends at ``n``), and character ``x`` in
    it maps to ``[a[j] + k[j] * (x - pos[j]), b[j] + k[j] * (x - pos[j]))``, with ``k[j] = 1``
    for a copy run (``b = a + 1``) and ``k[j] = 0`` for a block.

    >>> m = SourceMap.identity(6)                      # "a  b|c"
    >>> m, src_a, src_b = m.edit(Edits(np.array([1, 4]), np.array([3, 5]), [" ", ""]))
    >>> starts, ends = m.arrays()                       # "a bc"
    >>> starts.tolist(), ends.tolist()
    ([0, 1, 3, 5], [1, 3, 4, 6])
    >>> src_a.tolist(), src_b.tolist()                  # source span of each edit
    ([1, 4], [3, 5])
    """

    __slots__ = ("n", "seg", "unedited")

    def __init__(self, n: int, seg: np.ndarray, *, unedited: bool = False) -> None:
        self.n, self.seg, self.unedited = n, seg, unedited

    @classmethod
    def identity(cls, n: int) -> SourceMap:
        """The map of an unedited text of ``n`` characters."""
        seg = np.array([[0], [0], [1], [1]] if n else np.zeros((4, 0)), dtype=np.int64)
        return cls(n, seg, unedited=True)

    def edit(self, edits: Edits) -> tuple[SourceMap, np.ndarray, np.ndarray]:
        """Compose a batch of edits (positions in the current text).

        Returns the map of the edited text and the source span (``src_a``, ``src_b``) of every
        edit.
        """
        starts, ends, lens = edits.starts, edits.ends, edits.lengths()
        n, seg = self.n, self.seg
        e = len(starts)
        if (ends <= starts).any() or (starts[1:] < ends[:-1]).any() or starts[0] < 0 or ends[-1] > n:
            msg = "edits must be non-empty, sorted and non-overlapping within the text"
            raise ValueError(msg)
        # Kept interval i lies between edit i - 1 and edit i: [ks[i], ke[i]).
        ks = np.concatenate(([0], ends))
        ke = np.concatenate((starts, [n]))
        # Shift of the positions after each edit: characters inserted minus characters removed.
        shift = np.zeros(e + 1, dtype=np.int64)
        np.cumsum(lens - (ends - starts), out=shift[1:])
        if self.unedited:  # (the common first batch) every position is its own source
            return self._first_edit(starts, ends, lens, ks, ke, shift), starts, ends
        # One lookup for the first and last character of each edit (its source span) and of
        # each kept interval (the segments it overlaps).
        q = np.concatenate((starts, ends - 1, ks, ke - 1))
        j = seg[0].searchsorted(q, "right") - 1
        at = seg[:, j]
        rel = at[3] * (q - at[0])
        src_a = at[1, :e] + rel[:e]
        src_b = at[2, e:2 * e] + rel[e:2 * e]
        first, last = j[2 * e:3 * e + 1], j[3 * e + 1:]
        # The pieces of the old segments inside the kept intervals, cut to the interval...
        cnt = np.where(ke > ks, last - first + 1, 0)
        ends_cnt = np.cumsum(cnt)
        piece = seg[:, np.arange(ends_cnt[-1]) + np.repeat(first - ends_cnt + cnt, cnt)]
        p0 = np.maximum(piece[0], np.repeat(ks, cnt))
        piece[1:3] += piece[3] * (p0 - piece[0])
        piece[0] = p0 + np.repeat(shift, cnt)
        # ...and one block per non-empty replacement, in position order.
        if isinstance(lens, int):
            if not lens:  # deletions only: the pieces are the new map
                return SourceMap(n + int(shift[-1]), piece), src_a, src_b
            blocks = np.stack((starts + shift[:-1], src_a, src_b, np.zeros(e, dtype=np.int64)))
        else:
            has = lens > 0
            zeros = np.zeros(int(has.sum()), dtype=np.int64)
            blocks = np.stack((starts[has] + shift[:-1][has], src_a[has], src_b[has], zeros))
        new = np.concatenate((piece, blocks), axis=1)
        return SourceMap(n + int(shift[-1]), new[:, new[0].argsort(kind="stable")]), src_a, src_b

    def _first_edit(self, starts, ends, lens, ks, ke, shift) -> SourceMap:
        """:meth:`edit` on an unedited text: kept interval ``i`` becomes a copy segment, the
        replacement of edit ``i`` a block, alternately."""
        e = len(starts)
        seg = np.empty((4, 2 * e + 1), dtype=np.int64)
        seg[0, 0::2], seg[1, 0::2], seg[2, 0::2], seg[3, 0::2] = ks + shift, ks, ks + 1, 1
        seg[0, 1::2], seg[1, 1::2], seg[2, 1::2], seg[3, 1::2] = starts + shift[:-1], starts, ends, 0
        used = np.empty(2 * e + 1, dtype=bool)
        used[0::2] = ke > ks
        used[1::2] = lens > 0
        return SourceMap(self.n + int(shift[-1]), seg[:, used])

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """Per-character source ``starts`` and ``ends`` (``int64`` arrays of length ``n``)."""
        n = self.n
        pos, a, b, k = self.seg
        seglen = np.empty_like(pos)
        np.subtract(pos[1:], pos[:-1], out=seglen[:-1])
        seglen[-1:] = n - pos[-1:]
        # Every character as if in a copy run (two passes over the text), then the characters
        # of the blocks (short: replacements) set to their block's range.
        starts = np.repeat(a - pos, seglen)
        starts += np.arange(n, dtype=np.int64)
        ends = starts + 1
        blocks = np.flatnonzero(k == 0)
        if len(blocks):
            size = seglen[blocks]
            first = np.cumsum(size) - size  # where each block's characters start in `at`
            at = np.arange(int(size.sum()), dtype=np.int64) + np.repeat(pos[blocks] - first, size)
            starts[at] = np.repeat(a[blocks], size)
            ends[at] = np.repeat(b[blocks], size)
        return starts, ends


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
