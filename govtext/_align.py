"""Passage alignment between two texts: seed-and-extend on shared character n-grams.

Given two texts ``a`` and ``b`` (say two annual reports whose sentences the LSH stage paired),
:func:`align_passages` finds the maximal aligned passages, with character offsets in both
texts, tolerating small edits (substitutions, insertions, deletions) inside a passage and
merging matched runs across sentence boundaries.

Steps
-----
1. **Symbols.** Both texts go through :func:`govtext._shingles.encode_text` (by default digits
   masked, alphanumerics only, as for shingling), which keeps each symbol's source span; all
   offsets reported are character offsets into the original strings.
2. **Seeds.** Every ``n``-gram (default 5) of ``a`` is looked up among the ``n``-grams of ``b``
   (sorted hashes + ``searchsorted``). n-grams occurring very often in both texts (more than
   ``max_repeats`` seed pairs, e.g. 「政府信息公开」 in two reports) are not used as seeds: they
   would create quadratically many spurious short runs. Passages running through such a phrase
   are still joined by the gap tolerance of step 4.
3. **Runs.** Seeds on the same diagonal (``pos_b - pos_a``) at consecutive positions merge into
   exact matching runs (maximal exact matches of at least ``n`` symbols).
4. **Chaining.** Runs are chained co-linearly by dynamic programming (as in minimap2's anchor
   chaining): run ``j`` may follow run ``i`` if both gaps are at most ``max_gap`` symbols (and
   overlaps, which repeats cause, are trimmed); the chain score is the number of run symbols
   minus ``(n - 1) / (max_gap + 1)`` per gap symbol (so bridging a feasible gap always pays,
   and among predecessors the closest wins). Chains are read off best-first, each run used once.
5. **Extension and scoring.** Passage ends are extended over identical symbols and over single
   substitutions followed by identical symbols (the last ``< n`` symbols after an edit have no
   seed). Chance matches of fewer than ``n`` symbols past a sentence break shared by both texts
   are trimmed (``snap``), and identical closing punctuation after / opening punctuation before
   the passage is included. Matched symbols inside the gaps
   are counted with :class:`difflib.SequenceMatcher` -- the gaps are at most ``max_gap``
   symbols, so this is cheap, and the stdlib's matcher is well tested, unlike a hand-written
   edit distance.

Every step is linear or ``n log n`` in the text lengths except the chaining, which looks at most
``window`` earlier runs per run; two 10,000-character reports align in well under a second.

Examples
--------
>>> from govtext._align import align_passages
>>> a = "本年度，我镇认真贯彻落实政府信息公开条例，不断提高政务公开水平。其他内容甲乙丙。"
>>> b = "前言部分。我镇认真贯彻落实政府信息公开条例，不断提高政务公开水平。结尾不同。"
>>> [p] = align_passages(a, b)
>>> a[p.a_start:p.a_end]
'我镇认真贯彻落实政府信息公开条例，不断提高政务公开水平。'
>>> (p.b_start, p.matched_chars, p.score)
(5, 26, 1.0)
"""

from __future__ import annotations

import difflib
import logging
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from govtext._shingles import (
    EncodedText,
    _check_bool,
    _check_int,
    _param_error,
    _unique_inverse_counts,
    encode_text,
    ngram_hashes,
)

__all__ = ["Passage", "align_passages"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Passage:
    """One aligned passage.

    Attributes
    ----------
    a_start, a_end : int
        Half-open character span in text ``a``.
    b_start, b_end : int
        Half-open character span in text ``b``.
    matched_chars : int
        Number of aligned symbols (characters after filtering; a masked digit run counts as
        one), i.e. the characters the two passages have in common in order.
    score : float
        ``2 * matched_chars / (symbols in the a-passage + symbols in the b-passage)``, in
        (0, 1]; 1.0 for an identical copy.
    """

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    matched_chars: int
    score: float


def _seed_mask(enc: EncodedText, n_pos: int, spans: Sequence[tuple[int, int]] | None) -> np.ndarray:
    if spans is None:
        return np.ones(n_pos, dtype=bool)
    st = enc.starts[:n_pos]
    keep = np.zeros(n_pos, dtype=bool)
    for s, e in spans:
        keep |= (st >= s) & (st < e)
    return keep


def _seeds(
    ea: EncodedText, eb: EncodedText, n: int, max_repeats: int,
    spans: Sequence[tuple[int, int, int, int]] | None,
) -> tuple[np.ndarray, np.ndarray]:
    """Seed pairs ``(pos_a, pos_b)`` (symbol positions) of shared n-grams."""
    na, nb = ea.symbols.size, eb.symbols.size
    if na < n or nb < n:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    ha = ngram_hashes(ea.symbols, n)
    hb = ngram_hashes(eb.symbols, n)
    order_b = np.argsort(hb, kind="stable")
    sb = hb[order_b]
    lo = np.searchsorted(sb, ha, side="left")
    hi = np.searchsorted(sb, ha, side="right")
    cnt_b = hi - lo
    _, inv_a, counts_a = _unique_inverse_counts(ha)
    cnt_a = counts_a[inv_a]
    use = (cnt_b > 0) & (cnt_a * cnt_b <= max_repeats)
    pa_idx = np.flatnonzero(use)
    c = cnt_b[pa_idx]
    tot = int(c.sum())
    pa = np.repeat(pa_idx, c)
    pb = order_b[np.repeat(lo[pa_idx], c) + (np.arange(tot) - np.repeat(np.cumsum(c) - c, c))]
    if spans is not None and pa.size:
        sa_char = ea.starts[pa]
        sb_char = eb.starts[pb]
        keep = np.zeros(pa.size, dtype=bool)
        for a0, a1, b0, b1 in spans:
            keep |= (sa_char >= a0) & (sa_char < a1) & (sb_char >= b0) & (sb_char < b1)
        pa, pb = pa[keep], pb[keep]
    return pa.astype(np.int64), pb.astype(np.int64)


def _runs(pa: np.ndarray, pb: np.ndarray, n: int) -> np.ndarray:
    """Exact runs ``(a_s, a_e, b_s, b_e)`` from seeds, sorted by ``(a_s, b_s)``."""
    if pa.size == 0:
        return np.empty((0, 4), dtype=np.int64)
    diag = pb - pa
    order = np.lexsort((pa, diag))
    pa, diag = pa[order], diag[order]
    new = np.ones(pa.size, dtype=bool)
    new[1:] = (diag[1:] != diag[:-1]) | (pa[1:] != pa[:-1] + 1)
    starts = np.flatnonzero(new)
    ends = np.append(starts[1:], pa.size) - 1
    a_s = pa[starts]
    a_e = pa[ends] + n
    d = diag[starts]
    runs = np.stack([a_s, a_e, a_s + d, a_e + d], axis=1)
    return runs[np.lexsort((runs[:, 2], runs[:, 0]))]


def _chain(runs: np.ndarray, max_gap: int, n: int, window: int) -> list[list[int]]:
    """Co-linear chaining of runs; returns chains as lists of run indices (in order)."""
    r = runs.shape[0]
    a_s, a_e, b_s, b_e = runs[:, 0], runs[:, 1], runs[:, 2], runs[:, 3]
    length = (a_e - a_s).astype(np.float64)
    score = length.copy()
    pred = np.full(r, -1, dtype=np.int64)
    # a gap costs less than the shortest run gains, so bridging a feasible gap always pays
    gap_cost = (n - 1) / (max_gap + 1)
    for j in range(1, r):
        i0 = max(0, j - window)
        ga = a_s[j] - a_e[i0:j]
        gb = b_s[j] - b_e[i0:j]
        ok = (ga <= max_gap) & (gb <= max_gap) & (ga >= -(n - 1)) & (gb >= -(n - 1))
        ok &= (a_s[i0:j] < a_s[j]) & (b_s[i0:j] < b_s[j])
        if not ok.any():
            continue
        overlap = np.maximum(0, -np.minimum(ga, gb))
        gain = length[j] - overlap
        ok &= gain > 0
        if not ok.any():
            continue
        cand = score[i0:j] + gain - np.maximum(np.maximum(ga, gb), 0) * gap_cost
        cand[~ok] = -np.inf
        k = int(np.argmax(cand))
        if cand[k] > score[j]:
            score[j] = cand[k]
            pred[j] = i0 + k
    # read chains off their last runs (runs nobody extends), best first; then any leftovers
    chains: list[list[int]] = []
    used = np.zeros(r, dtype=bool)
    extended = np.zeros(r, dtype=bool)
    extended[pred[pred >= 0]] = True
    for j in np.lexsort((np.arange(r), -score, extended)):
        if used[j]:
            continue
        chain = []
        k = int(j)
        while k >= 0 and not used[k]:
            used[k] = True
            chain.append(k)
            k = int(pred[k])
        chains.append(chain[::-1])
    return chains


def _matched_in_gap(sa: np.ndarray, sb: np.ndarray) -> int:
    if sa.size == 0 or sb.size == 0:
        return 0
    sm = difflib.SequenceMatcher(None, sa.tolist(), sb.tolist(), autojunk=False)
    return sum(m.size for m in sm.get_matching_blocks())


def _extend_end(sa: np.ndarray, sb: np.ndarray, ae: int, be: int, tail: int) -> tuple[int, int, int]:
    """Extend forward over equal symbols and single substitutions followed by ``tail`` equal ones."""
    gained = 0
    na, nb = sa.size, sb.size
    while True:
        if ae < na and be < nb and sa[ae] == sb[be]:
            ae += 1
            be += 1
            gained += 1
            continue
        k = 1
        if (ae + k + tail <= na and be + k + tail <= nb
                and np.array_equal(sa[ae + k : ae + k + tail], sb[be + k : be + k + tail])):
            ae += k + tail
            be += k + tail
            gained += tail
            continue
        return ae, be, gained


def _extend_start(sa: np.ndarray, sb: np.ndarray, as_: int, bs: int, tail: int) -> tuple[int, int, int]:
    ra, rb = sa[::-1], sb[::-1]
    ea, eb, g = _extend_end(ra, rb, sa.size - as_, sb.size - bs, tail)
    return sa.size - ea, sb.size - eb, g


_TERMINATORS = frozenset("。！？；!?;\n")


def _last_break(text: str, enc: EncodedText, s: int, e: int, snap: int) -> tuple[int, int]:
    """Last sentence terminator with 1..snap passage symbols after it: ``(char, n_after)``."""
    lo = int(enc.starts[max(s, e - snap)])
    hi = int(enc.starts[e - 1])
    for x in range(hi - 1, lo - 1, -1):
        if text[x] in _TERMINATORS:
            return x, e - int(np.searchsorted(enc.starts, x, side="right"))
    return -1, 0


def _first_break(text: str, enc: EncodedText, s: int, e: int, snap: int) -> tuple[int, int]:
    """First sentence terminator with 1..snap passage symbols before it: ``(char, n_before)``."""
    lo = int(enc.ends[s])
    hi = int(enc.ends[min(e, s + snap) - 1])
    for x in range(lo, hi + 1):
        if x < len(text) and text[x] in _TERMINATORS:
            k = int(np.searchsorted(enc.starts, x, side="right")) - s
            return (x, k) if 0 < k < e - s else (-1, 0)
    return -1, 0


def _snap_to_sentences(
    a: str, b: str, ea: EncodedText, eb: EncodedText, sa_: int, sb_: int, ea_: int, eb_: int,
    snap: int,
) -> tuple[int, int, int, int, int]:
    """Trim chance matches of fewer than ``snap + 1`` symbols beyond a shared sentence break.

    Returns the new symbol bounds and the number of matched symbols trimmed away.

    A copied sentence followed (or preceded) in both texts by sentences that happen to share
    their first (last) few characters would otherwise swallow them. The break must be at the
    same aligned position in both texts (same number of symbols beyond it).
    """
    trimmed = 0
    if snap >= 1 and ea_ - sa_ > 1 and eb_ - sb_ > 1:
        xa, ka = _last_break(a, ea, sa_, ea_, snap)
        xb, kb = _last_break(b, eb, sb_, eb_, snap)
        if xa >= 0 and xb >= 0 and ka == kb and 0 < ka < min(ea_ - sa_, eb_ - sb_):
            trimmed += _matched_in_gap(ea.symbols[ea_ - ka : ea_], eb.symbols[eb_ - kb : eb_])
            ea_, eb_ = ea_ - ka, eb_ - kb
        xa, ka = _first_break(a, ea, sa_, ea_, snap)
        xb, kb = _first_break(b, eb, sb_, eb_, snap)
        if xa >= 0 and xb >= 0 and ka == kb and 0 < ka < min(ea_ - sa_, eb_ - sb_):
            trimmed += _matched_in_gap(ea.symbols[sa_ : sa_ + ka], eb.symbols[sb_ : sb_ + kb])
            sa_, sb_ = sa_ + ka, sb_ + kb
    return sa_, sb_, ea_, eb_, trimmed


def _char_span(
    a: str, b: str, ea: EncodedText, eb: EncodedText, sa_: int, ea_: int, sb_: int, eb_: int,
) -> tuple[int, int, int, int]:
    """Character spans of a symbol-level passage, widened over identical punctuation.

    Closing and other punctuation after the passage (``。``, ``」``) and opening punctuation
    before it (``《``, ``“``, ``（``) that is identical in both texts belongs to the passage;
    spaces and characters owned by neighbouring symbols never do.
    """
    c0a, c1a = int(ea.starts[sa_]), int(ea.ends[ea_ - 1])
    c0b, c1b = int(eb.starts[sb_]), int(eb.ends[eb_ - 1])
    lim_a = len(a) if ea_ >= ea.symbols.size else int(ea.starts[ea_])
    lim_b = len(b) if eb_ >= eb.symbols.size else int(eb.starts[eb_])
    while (c1a < lim_a and c1b < lim_b and a[c1a] == b[c1b]
           and unicodedata.category(a[c1a]) in ("Pe", "Pf", "Po")):
        c1a += 1
        c1b += 1
        if a[c1a - 1] in _TERMINATORS:
            break
    lim_a = 0 if sa_ == 0 else int(ea.ends[sa_ - 1])
    lim_b = 0 if sb_ == 0 else int(eb.ends[sb_ - 1])
    while (c0a > lim_a and c0b > lim_b and a[c0a - 1] == b[c0b - 1]
           and unicodedata.category(a[c0a - 1]) in ("Ps", "Pi")):
        c0a -= 1
        c0b -= 1
    return c0a, c1a, c0b, c1b


def align_passages(
    a: str,
    b: str,
    *,
    n: int = 5,
    min_length: int = 10,
    max_gap: int = 8,
    max_repeats: int = 64,
    window: int = 64,
    mask_digits: bool = True,
    alnum_only: bool = True,
    snap: bool = True,
    spans: Sequence[tuple[int, int, int, int]] | None = None,
) -> list[Passage]:
    """Find the aligned (copied or lightly edited) passages shared by two texts.

    Parameters
    ----------
    a, b : str
        The two texts.
    n : int, default=5
        Seed length in symbols.
    min_length : int, default=10
        Minimum number of aligned symbols for a passage to be reported.
    max_gap : int, default=8
        Largest gap (in symbols, in either text) bridged between two matched runs: the edit
        tolerance inside a passage.
    max_repeats : int, default=64
        n-grams with more than this many (occurrences in a × occurrences in b) are not used as
        seeds.
    window : int, default=64
        Number of earlier runs examined when chaining a run.
    mask_digits, alnum_only : bool, default=True
        Symbol filtering, as in :func:`govtext._shingles.shingle_texts`.
    snap : bool, default=True
        Trim chance matches of fewer than ``n`` symbols that run past a sentence break
        (``。！？；`` or a line end) at the same aligned place in both texts, so a copied
        sentence is reported as exactly that sentence.
    spans : sequence of (a_start, a_end, b_start, b_end), optional
        Restrict seeds to these pairs of character spans (e.g. the sentence pairs an LSH stage
        matched); passages may still grow across neighbouring spans.

    Returns
    -------
    list of Passage
        Non-crossing chains of matches, sorted by ``(a_start, b_start)``; offsets are
        half-open character offsets in ``a`` and ``b``.

    Raises
    ------
    InvalidParameterError
        If a text is not a str or a parameter is out of range.

    Examples
    --------
    >>> a = "一是加强组织领导，明确专人负责信息公开工作。二是完善制度。"
    >>> b = "一是加强组织领导，明确专门人员负责信息公开工作。三是其他。"
    >>> p = align_passages(a, b)[0]
    >>> a[p.a_start:p.a_end], b[p.b_start:p.b_end]
    ('一是加强组织领导，明确专人负责信息公开工作。', '一是加强组织领导，明确专门人员负责信息公开工作。')
    >>> p.matched_chars, round(p.score, 3)
    (20, 0.952)
    """
    caller = "align_passages"
    for name, val in (("a", a), ("b", b)):
        if not isinstance(val, str):
            raise _param_error(name, caller, "a str", val)
    n = _check_int(n, "n", caller)
    min_length = _check_int(min_length, "min_length", caller)
    max_gap = _check_int(max_gap, "max_gap", caller, low=0)
    max_repeats = _check_int(max_repeats, "max_repeats", caller)
    window = _check_int(window, "window", caller)
    mask_digits = _check_bool(mask_digits, "mask_digits", caller)
    alnum_only = _check_bool(alnum_only, "alnum_only", caller)
    snap = _check_bool(snap, "snap", caller)
    if spans is not None:
        try:
            spans = [tuple(int(x) for x in s) for s in spans]
        except (TypeError, ValueError):
            raise _param_error("spans", caller, "a sequence of 4-tuples of int", spans) from None
        if any(len(s) != 4 for s in spans):
            raise _param_error("spans", caller, "a sequence of 4-tuples of int", spans)

    ea = encode_text(a, mask_digits=mask_digits, alnum_only=alnum_only)
    eb = encode_text(b, mask_digits=mask_digits, alnum_only=alnum_only)
    sa, sb = ea.symbols, eb.symbols
    pa, pb = _seeds(ea, eb, n, max_repeats, spans)
    runs = _runs(pa, pb, n)
    if runs.shape[0] == 0:
        return []
    chains = _chain(runs, max_gap, n, window)
    tail = max(n // 2, 2)
    out: list[Passage] = []
    for chain in chains:
        rs = runs[chain]
        matched = 0
        cur_a, cur_b = int(rs[0, 0]), int(rs[0, 2])
        start_a, start_b = cur_a, cur_b
        for a_s, a_e, b_s, b_e in rs.tolist():
            shift = max(cur_a - a_s, cur_b - b_s, 0)  # trim an overlap with the previous run
            a_s, b_s = a_s + shift, b_s + shift
            if a_s > cur_a or b_s > cur_b:
                matched += _matched_in_gap(sa[cur_a:a_s], sb[cur_b:b_s])
            matched += a_e - a_s
            cur_a, cur_b = a_e, b_e
        end_a, end_b, g1 = _extend_end(sa, sb, cur_a, cur_b, tail)
        start_a, start_b, g0 = _extend_start(sa, sb, start_a, start_b, tail)
        matched += g0 + g1
        if matched < min_length:
            continue
        if snap:
            start_a, start_b, end_a, end_b, trimmed = _snap_to_sentences(
                a, b, ea, eb, start_a, start_b, end_a, end_b, n - 1)
            matched -= trimmed
            if matched < min_length or end_a <= start_a or end_b <= start_b:
                continue
        c0a, c1a, c0b, c1b = _char_span(a, b, ea, eb, start_a, end_a, start_b, end_b)
        span_syms = (end_a - start_a) + (end_b - start_b)
        out.append(Passage(c0a, c1a, c0b, c1b, int(matched), 2.0 * matched / span_syms))
    out.sort(key=lambda p: (p.a_start, p.b_start, p.a_end, p.b_end))
    logger.debug("align_passages: %d seeds, %d runs, %d passages", pa.size, runs.shape[0],
                 len(out))
    return out
