"""Offset-tracking text edits.

A :class:`Tracked` text carries, for every character ``text[i]``, the half-open range
``[starts[i], ends[i])`` of the *source* characters it came from. Edits replace spans of the
current text; the characters of a replacement inherit the source range of the whole span they
replace, so offsets always map back to the exact source characters and never cross a gap.

All arrays are ``int64`` numpy arrays; applying ``k`` edits to a text of ``n`` characters costs
``O(n + k)``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

__all__ = ["Edit", "Tracked", "apply_edits", "identity"]


@dataclass(frozen=True)
class Edit:
    """Replace ``text[start:end]`` by ``replacement``.

    ``kind`` names deliberate removals of page debris (``"pipes"``, ``"chrome"``, ...). Edits
    with a ``kind`` are recorded in the normalisation log; edits without one (whitespace,
    width folding) are ordinary normalisation.
    """

    start: int
    end: int
    replacement: str = ""
    kind: str | None = None


@dataclass(frozen=True)
class Tracked:
    """A text with its map back to the source."""

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


def identity(text: str) -> Tracked:
    """Track a text against itself."""
    starts = np.arange(len(text), dtype=np.int64)
    return Tracked(text, starts, starts + 1)


def apply_edits(tracked: Tracked, edits: Iterable[Edit | tuple]) -> tuple[Tracked, list[tuple[int, int, str, str]]]:
    """Apply sorted, non-overlapping edits (``Edit`` records or ``(start, end, replacement, kind)``
    tuples).

    The text is rebuilt with one pass over the edits; the offsets are computed with vectorised
    numpy arithmetic, so the cost is ``O(n)`` array work plus ``O(k)`` string slicing.

    Returns
    -------
    tracked : Tracked
        The edited text with its offsets.
    log : list of (source_start, source_end, kind, replaced_text)
        One entry per edit that has a ``kind``.
    """
    text, starts, ends = tracked.text, tracked.starts, tracked.ends
    n = len(text)
    edits = [(e.start, e.end, e.replacement, e.kind) if isinstance(e, Edit) else e for e in edits]
    # drop empty edits; validate order with numpy (edits are many, Python checks are slow)
    edits = [t for t in edits if t[1] > t[0] or t[2]]
    es: list[int] = [t[0] for t in edits]
    ee: list[int] = [t[1] for t in edits]
    reps: list[str] = [t[2] for t in edits]
    kinds: list[str | None] = [t[3] for t in edits]
    if es:
        sa, ea = np.asarray(es), np.asarray(ee)
        if (ea < sa).any() or (sa[1:] < ea[:-1]).any() or sa[0] < 0 or ea[-1] > n:
            msg = "edits must be sorted and non-overlapping within the text"
            raise ValueError(msg)
    if not es:
        return tracked, []
    # -- text
    pieces: list[str] = []
    prev = 0
    for a, b, rep in zip(es, ee, reps):
        pieces.append(text[prev:a])
        pieces.append(rep)
        prev = b
    pieces.append(text[prev:])
    new_text = "".join(pieces)
    # -- offsets
    s_arr = np.asarray(es, dtype=np.int64)
    e_arr = np.asarray(ee, dtype=np.int64)
    lens = np.fromiter((len(r) for r in reps), dtype=np.int64, count=len(reps))
    cum_len = np.cumsum(lens)
    prefix_len = cum_len - lens
    diff = np.bincount(s_arr, minlength=n + 1) - np.bincount(e_arr, minlength=n + 1)
    covered = np.cumsum(diff[:n]) > 0
    covered_before = np.concatenate(([0], np.cumsum(covered)))
    keep = np.flatnonzero(~covered)
    # characters inserted at or before each kept position (replacements sit where they start)
    ins_before = np.cumsum(np.bincount(s_arr, weights=lens, minlength=n + 1)).astype(np.int64)[keep]
    out_len = len(new_text)
    new_starts = np.empty(out_len, dtype=np.int64)
    new_ends = np.empty(out_len, dtype=np.int64)
    kept_pos = keep - covered_before[keep] + ins_before
    new_starts[kept_pos] = starts[keep]
    new_ends[kept_pos] = ends[keep]
    has_rep = lens > 0
    if has_rep.any():
        rs, re_, rl = s_arr[has_rep], e_arr[has_rep], lens[has_rep]
        base = rs - covered_before[rs] + prefix_len[has_rep]
        within = np.arange(int(rl.sum()), dtype=np.int64) - np.repeat(np.cumsum(rl) - rl, rl)
        rep_pos = np.repeat(base, rl) + within
        nonempty = re_ > rs
        src_a = np.where(nonempty, starts[np.minimum(rs, n - 1)], 0)
        src_b = np.where(nonempty, ends[np.maximum(re_ - 1, 0)], 0)
        # zero-width insertions map to the point before the next source character
        point = np.where(rs < n, starts[np.minimum(rs, n - 1)], ends[n - 1] if n else 0)
        src_a = np.where(nonempty, src_a, point)
        src_b = np.where(nonempty, src_b, point)
        new_starts[rep_pos] = np.repeat(src_a, rl)
        new_ends[rep_pos] = np.repeat(src_b, rl)
    log: list[tuple[int, int, str, str]] = []
    for a, b, kind in zip(es, ee, kinds):
        if kind is not None:
            if b > a:
                log.append((int(starts[a]), int(ends[b - 1]), kind, text[a:b]))
            else:
                p = int(starts[a]) if a < n else (int(ends[-1]) if n else 0)
                log.append((p, p, kind, ""))
    return Tracked(new_text, new_starts, new_ends), log
