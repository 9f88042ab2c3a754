"""Exact set-similarity joins: verified pairs, duplicate expansion and prefix-filtered all-pairs.

This module is the ground truth of the reuse engine. :func:`all_pairs` returns *every* pair of
units whose shingle sets have Jaccard similarity ``>= threshold``; the approximate path
(:mod:`govtext._lsh`) is checked against it in the tests and the benchmark, and both use the
same exact verification (:func:`verify_pairs`), so they agree on every pair they both see.

Algorithm of :func:`all_pairs` (AllPairs / PPJoin, batched with numpy)
-----------------------------------------------------------------------
1. Identical sets are grouped first (:func:`govtext._minhash.group_duplicates`); the join runs
   on one representative per distinct set and the result is expanded back to units
   (:func:`expand_duplicates`), so boilerplate repeated thousands of times costs nothing.
2. Tokens (shingle hashes) are ranked by global frequency, rarest first (ties by hash value),
   and every set is sorted by that rank.
3. **Prefix filter.** If ``J(x, y) >= t`` then ``|x ∩ y| >= ceil(t * |x|)``, so the first
   ``|x| - ceil(t * |x|) + 1`` tokens of ``x`` and the corresponding prefix of ``y`` share a
   token (the first common one). Prefix entries are sorted by token; pairs are formed only
   inside a token's group.
4. **Size filter.** ``J >= t`` needs ``min(|x|, |y|) >= t * max(|x|, |y|)``: inside a group,
   members are sorted by size and each is paired only with members up to ``|x| / t``.
5. **Positional filter.** For the first common token at positions ``px``, ``py``, the overlap
   is at most ``min(|x| - px, |y| - py)``; pairs where this is below
   ``ceil(t / (1 + t) * (|x| + |y|))`` are dropped. A pair is kept if any of its shared prefix
   tokens passes (the first common token always does for a true pair), so nothing is lost.
6. Surviving candidates are deduplicated and verified exactly (:func:`verify_pairs`).

Pairs are generated in chunks of bounded size, so memory stays bounded even for hub tokens.
Float bounds use a small slack (``1e-9``) in the conservative direction; the final decision is
always the exact ``intersection / union >= threshold`` in float64.

Examples
--------
>>> from govtext._shingles import shingle_texts
>>> from govtext._allpairs import all_pairs
>>> sets = shingle_texts(["本机关全年主动公开政府信息35条", "本机关全年主动公开政府信息128条",
...                       "本机关全年主动公开政府信息", "申请人要求撤回申请"])
>>> p = all_pairs(sets, threshold=0.6)
>>> p.i.tolist(), p.j.tolist(), p.jaccard.round(3).tolist()
([0, 0, 1], [1, 2, 2], [1.0, 0.818, 0.818])
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from govtext._minhash import DuplicateGroups, group_duplicates
from govtext._shingles import (
    ShingleSets,
    _as_csr,
    _check_float,
    _check_int,
    _Incidence,
    _intersection_bound,
    _param_error,
    _set_bitmaps,
    _sort_unique_segments,
    _unique,
    _unique_inverse_counts,
    intersection_sizes,
)

__all__ = [
    "MEASURES",
    "Pairs",
    "all_pairs",
    "expand_duplicates",
    "pair_scores",
    "verify_pairs",
]

logger = logging.getLogger(__name__)

#: Similarity measures understood by the verification step.
MEASURES = ("jaccard", "containment")
_EPS = 1e-9
# fewest candidates for which verify_pairs builds bitmaps of sets given as plain arrays
_BITMAP_MIN_CANDIDATES = 1 << 12


@dataclass(frozen=True)
class Pairs:
    """Similar pairs of units with their exact scores.

    Attributes
    ----------
    i, j : numpy.ndarray of int64
        Unit indices with ``i < j``; rows are sorted by ``(i, j)`` and unique.
    intersection : numpy.ndarray of int64
        ``|A_i ∩ A_j|`` (number of shared shingles).
    jaccard : numpy.ndarray of float64
        ``|A_i ∩ A_j| / |A_i ∪ A_j|``.
    containment : numpy.ndarray of float64
        ``|A_i ∩ A_j| / min(|A_i|, |A_j|)`` (the overlap coefficient: how much of the smaller
        unit is contained in the larger one).
    stats : Mapping[str, int or float]
        Diagnostics of the run that produced the pairs (candidate counts, parameters, caps).
    """

    i: np.ndarray
    j: np.ndarray
    intersection: np.ndarray
    jaccard: np.ndarray
    containment: np.ndarray
    stats: Mapping[str, int | float] = field(default_factory=dict)

    def __len__(self) -> int:
        return int(self.i.shape[0])

    def keys(self, n_units: int) -> np.ndarray:
        """Pairs encoded as ``i * n_units + j`` (int64), handy for set comparisons."""
        return self.i * np.int64(n_units) + self.j

    def to_frame(self):
        """The pairs as a pandas DataFrame.

        Returns
        -------
        pandas.DataFrame
            Columns ``i``, ``j``, ``intersection`` (int64), ``jaccard``, ``containment``
            (float64), one row per pair, sorted by ``(i, j)``.
        """
        import pandas as pd

        return pd.DataFrame({
            "i": self.i.astype(np.int64), "j": self.j.astype(np.int64),
            "intersection": self.intersection.astype(np.int64),
            "jaccard": self.jaccard.astype(np.float64),
            "containment": self.containment.astype(np.float64),
        })


def _empty_pairs(stats: Mapping[str, int | float] | None = None) -> Pairs:
    e = np.empty(0, dtype=np.int64)
    f = np.empty(0, dtype=np.float64)
    return Pairs(e, e.copy(), e.copy(), f, f.copy(), dict(stats or {}))


def _check_measure(measure: object, caller: str) -> str:
    if measure not in MEASURES:
        raise _param_error("measure", caller, f"one of {MEASURES}", measure)
    return str(measure)


def _canonical_unique(i: np.ndarray, j: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Orient pairs ``i < j``, drop self-pairs, sort and deduplicate."""
    if i.size and bool((i < j).all()):
        key = i * np.int64(n) + j
        if bool((key[1:] > key[:-1]).all()):
            # already canonical (LSH candidate chunks are): a linear check, not a sort
            return i, j
    a = np.minimum(i, j)
    b = np.maximum(i, j)
    keep = a != b
    key = _unique(a[keep] * np.int64(n) + b[keep])
    return key // n, key % n


def pair_scores(
    sets: ShingleSets | tuple[np.ndarray, np.ndarray], i: np.ndarray, j: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Exact intersection, Jaccard and containment for given pairs (no filtering).

    Parameters
    ----------
    sets : ShingleSets or tuple (indptr, hashes)
        CSR sets, sorted and unique within each set.
    i, j : array-like of int
        Pair members.

    Returns
    -------
    intersection : numpy.ndarray of int64
    jaccard : numpy.ndarray of float64
        0.0 where both sets are empty.
    containment : numpy.ndarray of float64
        0.0 where a set is empty.

    Examples
    --------
    >>> from govtext._shingles import shingle_texts
    >>> s = shingle_texts(["信息公开工作", "信息公开"])
    >>> [x.tolist() for x in pair_scores(s, [0], [1])]
    [[0], [0.0], [0.0]]
    """
    indptr, _ = _as_csr(sets)
    i = np.asarray(i, dtype=np.int64)
    j = np.asarray(j, dtype=np.int64)
    inter = intersection_sizes(sets, i, j)
    sizes = np.diff(indptr)
    si, sj = sizes[i], sizes[j]
    union = si + sj - inter
    mn = np.minimum(si, sj)
    with np.errstate(divide="ignore", invalid="ignore"):
        jac = np.where(union > 0, inter / np.maximum(union, 1), 0.0)
        con = np.where(mn > 0, inter / np.maximum(mn, 1), 0.0)
    return inter, jac.astype(np.float64), con.astype(np.float64)


# Candidate pairs scored at once by verify_pairs.
_VERIFY_CHUNK = 1 << 21


def verify_pairs(
    sets: ShingleSets | tuple[np.ndarray, np.ndarray],
    i: np.ndarray,
    j: np.ndarray,
    *,
    threshold: float = 0.8,
    measure: str = "jaccard",
) -> Pairs:
    """Keep the candidate pairs whose exact similarity reaches the threshold.

    Parameters
    ----------
    sets : ShingleSets or tuple (indptr, hashes)
        CSR sets, sorted and unique within each set.
    i, j : array-like of int
        Candidate pairs (any orientation; self-pairs and repeats are dropped).
    threshold : float, default=0.8
        Minimum similarity, in [0, 1].
    measure : {"jaccard", "containment"}, default="jaccard"
        Which score is compared with ``threshold``.

    Returns
    -------
    Pairs
        Pairs with ``score >= threshold``, oriented ``i < j`` and sorted. Pairs involving an
        empty set are never returned.

    Examples
    --------
    >>> from govtext._shingles import shingle_texts
    >>> s = shingle_texts(["政府信息公开工作", "政府信息公开", "依申请公开"])
    >>> p = verify_pairs(s, [1, 0, 2], [0, 1, 0], threshold=0.5)
    >>> p.i.tolist(), p.j.tolist(), p.jaccard.tolist()
    ([0], [1], [0.5])
    """
    caller = "verify_pairs"
    threshold = _check_float(threshold, "threshold", caller)
    measure = _check_measure(measure, caller)
    indptr, _ = _as_csr(sets)
    n = indptr.shape[0] - 1
    i, j = _canonical_unique(np.asarray(i, np.int64), np.asarray(j, np.int64), n)
    n_cand = i.size
    sizes = np.diff(indptr)
    n_filtered = n_bitmap = 0
    # bitmaps of the sets (kept by an _Incidence across calls); for other sets computed here
    # when the candidates outnumber the sets (building them costs about as much as verifying
    # a few percent as many pairs as there are sets)
    if isinstance(sets, _Incidence):
        bitmaps = sets.bitmaps()
    elif n_cand >= max(n, _BITMAP_MIN_CANDIDATES):
        bitmaps = _set_bitmaps(sets)
    else:
        bitmaps = None
    out: list[tuple[np.ndarray, ...]] = []
    # in chunks: tens of millions of candidates would need several times their size in
    # temporaries at once; only the (few) verified pairs are kept
    for k in range(0, max(n_cand, 1), _VERIFY_CHUNK):
        ci, cj = i[k:k + _VERIFY_CHUNK], j[k:k + _VERIFY_CHUNK]
        si, sj = sizes[ci], sizes[cj]
        ok = (si > 0) & (sj > 0)
        if measure == "jaccard":
            ok &= np.minimum(si, sj) >= threshold * np.maximum(si, sj) - _EPS * np.maximum(si, sj)
        n_filtered += int(ci.size - ok.sum())
        ci, cj = ci[ok], cj[ok]
        if bitmaps is not None and ci.size:
            # exact upper bound of the score from the bitmaps: a rejected pair's score is at
            # most the bound's (the same float expression of a smaller numerator and a larger
            # denominator), so the verified pairs are the same, and most candidates of LSH
            # never reach the (about 20x more costly) sparse intersection
            ub = _intersection_bound(bitmaps, sizes, ci, cj)
            si, sj = sizes[ci], sizes[cj]
            with np.errstate(divide="ignore", invalid="ignore"):
                if measure == "jaccard":
                    bound = ub / np.maximum(si + sj - ub, 1)
                else:
                    bound = ub / np.maximum(np.minimum(si, sj), 1)
            ok = bound >= threshold
            n_bitmap += int(ci.size - ok.sum())
            ci, cj = ci[ok], cj[ok]
        inter, jac, con = pair_scores(sets, ci, cj)
        keep = (jac if measure == "jaccard" else con) >= threshold
        out.append((ci[keep], cj[keep], inter[keep], jac[keep], con[keep]))
    cols = [np.concatenate([o[c] for o in out]) for c in range(5)]
    stats = {"n_candidates": int(n_cand), "n_size_filtered": n_filtered,
             "n_bitmap_filtered": n_bitmap}
    return Pairs(*cols, stats)


def _within_group_pairs(gsizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All pairs of positions ``(p, q)``, ``p < q``, inside consecutive groups of given sizes."""
    gsizes = np.asarray(gsizes, dtype=np.int64)
    gstart = np.cumsum(gsizes) - gsizes
    pos = np.arange(int(gsizes.sum()), dtype=np.int64)
    gend = np.repeat(gstart + gsizes, gsizes)
    cnt = gend - pos - 1
    tot = int(cnt.sum())
    first = np.repeat(pos, cnt)
    off = np.arange(tot, dtype=np.int64) - np.repeat(np.cumsum(cnt) - cnt, cnt)
    return first, first + 1 + off


def expand_duplicates(
    pairs: Pairs,
    groups: DuplicateGroups,
    sets: ShingleSets | tuple[np.ndarray, np.ndarray],
) -> Pairs:
    """Expand pairs between duplicate groups to all member units, plus within-group pairs.

    Parameters
    ----------
    pairs : Pairs
        Pairs whose ``i``/``j`` are *group indices* (positions in ``groups.reps``).
    groups : DuplicateGroups
        The duplicate grouping the pairs were computed on.
    sets : ShingleSets or tuple (indptr, hashes)
        The unit-level sets the grouping was computed from.

    Returns
    -------
    Pairs
        Unit-level pairs: every member of group ``g1`` with every member of group ``g2`` for each
        input pair (same scores), and every two members of one group (Jaccard 1.0,
        containment 1.0, intersection = set size). Sorted by ``(i, j)``; ``stats`` are copied
        and gain ``n_duplicate_pairs`` (the within-group pairs).

    Examples
    --------
    >>> from govtext._shingles import shingle_texts
    >>> from govtext._minhash import group_duplicates
    >>> s = shingle_texts(["信息公开", "政务公开", "信息公开。"])
    >>> g = group_duplicates(s)
    >>> p = expand_duplicates(_empty_pairs(), g, s)
    >>> p.i.tolist(), p.j.tolist(), p.jaccard.tolist()
    ([0], [2], [1.0])
    """
    indptr, _ = _as_csr(sets)
    n_units = indptr.shape[0] - 1
    gs = groups.sizes
    mem, gip = groups.members, groups.indptr
    set_sizes = np.diff(indptr)[groups.reps]
    # cross-group pairs (built column by column, each temporary freed as soon as it is used:
    # boilerplate shared by thousands of units expands to tens of millions of pairs)
    g1, g2 = pairs.i, pairs.j
    c = gs[g1] * gs[g2]
    tot = int(c.sum())
    pidx = np.repeat(np.arange(g1.size, dtype=np.int64), c)
    e = np.arange(tot, dtype=np.int64)
    e -= np.repeat(np.cumsum(c) - c, c)
    w2 = gs[g2][pidx]
    q, r = np.divmod(e, w2)
    del e, w2
    q += gip[g1][pidx]
    r += gip[g2][pidx]
    ai, bj = [mem[q]], [mem[r]]
    del q, r
    cols: list[list[np.ndarray]] = [[pairs.intersection[pidx]], [pairs.jaccard[pidx]],
                                    [pairs.containment[pidx]]]
    del pidx
    # within-group pairs
    multi = np.flatnonzero(gs > 1)
    n_dup = 0
    if multi.size:
        sub = gs[multi]
        p, q = _within_group_pairs(sub)
        member_pos = np.repeat(gip[multi] - (np.cumsum(sub) - sub), sub) + np.arange(sub.sum())
        ai.append(mem[member_pos[p]])
        bj.append(mem[member_pos[q]])
        owner = np.repeat(np.arange(multi.size), sub)[p]
        cols[0].append(set_sizes[multi][owner])
        cols[1].append(np.ones(p.size))
        cols[2].append(np.ones(p.size))
        n_dup = int(p.size)
        del p, q, owner, member_pos
    a = np.concatenate(ai)
    del ai
    b = np.concatenate(bj)
    del bj
    lo = np.minimum(a, b)
    hi = np.maximum(a, b, out=b)
    del a, b
    key = lo * np.int64(n_units)
    key += hi
    order = np.argsort(key, kind="stable")
    del key
    lo = lo[order]
    hi = hi[order]
    out = []
    for dtype, parts in zip((np.int64, np.float64, np.float64), cols):
        col = np.concatenate(parts)
        parts.clear()
        out.append(col[order].astype(dtype, copy=False))
        del col
    stats = dict(pairs.stats)
    stats["n_duplicate_pairs"] = n_dup
    return Pairs(lo, hi, out[0], out[1], out[2], stats)


def all_pairs(
    sets: ShingleSets | tuple[np.ndarray, np.ndarray],
    *,
    threshold: float = 0.8,
    chunk_pairs: int = 1 << 22,
    expand: bool = True,
) -> Pairs | tuple[Pairs, DuplicateGroups]:
    """Every pair of units with exact Jaccard similarity ``>= threshold``.

    Parameters
    ----------
    sets : ShingleSets or tuple (indptr, hashes)
        CSR sets, sorted and unique within each set.
    threshold : float, default=0.8
        Jaccard threshold, in (0, 1].
    chunk_pairs : int, default=2**22
        Maximum number of candidate pairs generated at once (bounds memory).
    expand : bool, default=True
        ``False``: return the pairs between duplicate groups and the groups (see Returns)
        instead of expanding them to every member unit (:func:`expand_duplicates`).

    Returns
    -------
    Pairs
        All pairs with ``jaccard >= threshold``, sorted by ``(i, j)``; ``stats`` holds the
        number of distinct sets, prefix entries and candidates.
    (Pairs, DuplicateGroups)
        With ``expand=False``: the pairs between distinct sets, ``i``/``j`` indexing
        ``groups.reps`` (two units of one group are always a pair, of score 1.0), and the groups.

    Examples
    --------
    >>> from govtext._shingles import shingle_texts
    >>> s = shingle_texts(["依申请公开政府信息", "依申请公开政府信息", "依申请公开政府信息的"])
    >>> p = all_pairs(s, threshold=0.8)
    >>> p.i.tolist(), p.j.tolist(), p.jaccard.round(2).tolist()
    ([0, 0, 1], [1, 2, 2], [1.0, 0.83, 0.83])
    """
    caller = "all_pairs"
    t = _check_float(threshold, "threshold", caller, low=0.0, low_open=True)
    chunk_pairs = _check_int(chunk_pairs, "chunk_pairs", caller)
    indptr, hashes = _as_csr(sets)
    n_units = indptr.shape[0] - 1
    groups = group_duplicates((indptr, hashes))
    reps = groups.reps
    R = reps.size
    stats: dict[str, int | float] = {
        "n_units": n_units, "n_empty": int((np.diff(indptr) == 0).sum()), "n_distinct": int(R)}
    if R == 0:
        return _empty_pairs(stats) if expand else (_empty_pairs(stats), groups)
    rsizes = np.diff(indptr)[reps]
    src = np.repeat(indptr[reps] - (np.cumsum(rsizes) - rsizes), rsizes) + np.arange(rsizes.sum())
    rip = np.zeros(R + 1, dtype=np.int64)
    np.cumsum(rsizes, out=rip[1:])
    rh = hashes[src]
    # global token order: rarest first, ties by hash value (deterministic)
    uniq, inv, counts = _unique_inverse_counts(rh)
    rank = np.empty(uniq.size, dtype=np.int64)
    rank[np.lexsort((uniq, counts))] = np.arange(uniq.size)
    _, tok = _sort_unique_segments(rank[inv].astype(np.uint64), rsizes)
    tok = tok.astype(np.int64)
    # prefix entries
    alpha = np.ceil(t * rsizes - _EPS).astype(np.int64)
    plen = np.clip(rsizes - alpha + 1, 1, rsizes)
    ar = np.arange(int(plen.sum()), dtype=np.int64)
    pos = ar - np.repeat(np.cumsum(plen) - plen, plen)
    ent_set = np.repeat(np.arange(R, dtype=np.int64), plen)
    ent_tok = tok[rip[ent_set] + pos]
    ent_size = rsizes[ent_set]
    order = np.lexsort((ent_set, ent_size, ent_tok))
    ent_set, ent_tok, ent_size, pos = ent_set[order], ent_tok[order], ent_size[order], pos[order]
    stats["n_prefix_entries"] = int(ent_set.size)
    # size window inside each token group: partner sizes up to floor(|x| / t)
    max_size = int(rsizes.max()) + 2
    gkey = ent_tok * max_size + ent_size
    upper = np.minimum(np.floor(ent_size / t + _EPS).astype(np.int64), max_size - 1)
    hi = np.searchsorted(gkey, ent_tok * max_size + upper, side="right")
    cnt = hi - np.arange(ent_set.size) - 1
    cnt = np.maximum(cnt, 0)
    csum = np.cumsum(cnt)
    n_gen = int(csum[-1]) if csum.size else 0
    stats["n_generated"] = n_gen
    cand: list[np.ndarray] = []
    p0 = 0
    n_ent = ent_set.size
    while p0 < n_ent:
        base = int(csum[p0 - 1]) if p0 else 0
        p1 = int(np.searchsorted(csum, base + chunk_pairs, side="right"))
        p1 = min(max(p1, p0 + 1), n_ent)
        c = cnt[p0:p1]
        tot = int(c.sum())
        if tot:
            first = np.repeat(np.arange(p0, p1, dtype=np.int64), c)
            second = first + 1 + (np.arange(tot, dtype=np.int64) - np.repeat(np.cumsum(c) - c, c))
            x, y = ent_set[first], ent_set[second]
            sx, sy = ent_size[first], ent_size[second]
            need = np.ceil(t / (1.0 + t) * (sx + sy) - _EPS)
            ok = np.minimum(sx - pos[first], sy - pos[second]) >= need
            x, y = x[ok], y[ok]
            keyp = np.minimum(x, y) * np.int64(R) + np.maximum(x, y)
            cand.append(_unique(keyp))
            if len(cand) > 8:
                cand = [_unique(np.concatenate(cand))]
        p0 = p1
    keys = _unique(np.concatenate(cand)) if cand else np.empty(0, dtype=np.int64)
    stats["n_candidates"] = int(keys.size)
    ci, cj = keys // R, keys % R
    inter = intersection_sizes((rip, rh), ci, cj)
    si, sj = rsizes[ci], rsizes[cj]
    union = si + sj - inter
    jac = inter / union
    keep = jac >= t
    ci, cj, inter, jac = ci[keep], cj[keep], inter[keep], jac[keep]
    con = inter / np.minimum(si[keep], sj[keep])
    stats["n_distinct_pairs"] = int(ci.size)
    ver = Pairs(ci, cj, inter, jac, con, stats)
    logger.debug("all_pairs: %s", stats)
    if not expand:
        return ver, groups
    return expand_duplicates(ver, groups, (indptr, hashes))
