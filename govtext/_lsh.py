"""Banded LSH over MinHash signatures, with recall-constrained parameters and exact verification.

Choosing bands × rows
---------------------
Two units with Jaccard similarity ``s`` share at least one of ``b`` bands of ``r`` signature
rows with probability ``P(s) = 1 - (1 - s**r)**b`` (the S-curve). datasketch's
``_optimal_param`` minimises ``0.5 * FP area + 0.5 * FN area``, which at ``t = 0.8`` picks
``b=9, r=13`` (``P(0.8) ≈ 0.40``) and loses about 16% of the true pairs of a report-like corpus
(``docs/peers.md``). :func:`choose_params` instead treats recall as a **constraint** and then
minimises the false-positive area ``∫_0^t P(s) ds`` (computed by Gauss-Legendre quadrature)
over all ``b * r <= num_perm``:

* ``recall_mode="threshold"`` (default): ``P(t) >= target_recall``. Since ``P`` increases with
  ``s``, *every* pair with ``J >= t`` is found with probability ``>= target_recall``, whatever the
  distribution of similarities -- the guarantee the benchmark measures.
* ``recall_mode="mean"``: the mean of ``P`` over ``s`` uniform in ``[t, 1]`` reaches the target
  (cheaper, but real pairs crowd just above the threshold, where ``P`` is lowest).

False positives cost only verification time: every candidate is verified by exact Jaccard
(or containment) on the shingle sets, so returned pairs have precision 1.0.

Candidate generation
--------------------
Each band's ``r`` signature values are folded into one 64-bit key (numpy arithmetic), the keys
are sorted (``argsort``) and runs of equal keys are buckets; all pairs inside a bucket are
generated with index arithmetic -- no Python dicts of lists. Exact-duplicate sets are grouped
beforehand (:func:`govtext._minhash.group_duplicates`), so repeated boilerplate adds no pairs.

The pairs are not all materialised: the buckets of every band are kept in a compact index
(each member with the number of members after it in its bucket) and the pairs are listed one
range of their smaller member at a time, deduplicated there (a pair's every occurrence, in any
band, falls in the same range) and, in :func:`lsh_pairs`, verified at once. Memory then grows
with the number of sets, not with the band pairs (tens of millions at 10,000 reports, most of
them repeats across bands or rejected by verification); signatures are likewise computed a
block of sets at a time and kept only as band keys.

Huge buckets (``max_bucket_size``)
~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
A bucket with ``m > max_bucket_size`` members (a hub: many distinct sentences sharing ``r``
minimum hashes, typically a shared boilerplate clause at low thresholds) would yield
``m (m - 1) / 2`` candidates. Its members are then ordered by their keys in the other bands
(so members that agree on more bands sit together) and each member is linked only to its next
``max_bucket_size - 1`` neighbours in that order (a sorted-neighbourhood window). True pairs
can be lost only if they fall outside the window in *every* band where they collide; the number
of oversized buckets and of within-bucket pairs not generated are reported in
``Pairs.stats`` (``n_oversized_buckets``, ``n_pairs_skipped``), and the exact mode
(:func:`govtext._allpairs.all_pairs`) measures the actual loss. ``max_bucket_size=None`` turns
the cap off.

Examples
--------
>>> from govtext._shingles import shingle_texts
>>> from govtext._lsh import lsh_pairs, choose_params
>>> p = choose_params(0.8, 128)
>>> (p.bands, p.rows), round(p.recall_at_threshold, 3)
((13, 7), 0.953)
>>> sets = shingle_texts(["本机关全年主动公开政府信息35条", "本机关全年主动公开政府信息128条",
...                       "本机关全年主动公开政府信息", "申请人要求撤回申请"])
>>> pairs = lsh_pairs(sets, threshold=0.6)
>>> pairs.i.tolist(), pairs.j.tolist(), pairs.jaccard.round(3).tolist()
([0, 0, 1], [1, 2, 2], [1.0, 0.818, 0.818])
"""

from __future__ import annotations

import copy
import functools
import logging
from dataclasses import dataclass

import numpy as np

from govtext._allpairs import (
    Pairs,
    _check_measure,
    _empty_pairs,
    expand_duplicates,
    verify_pairs,
)
from govtext._minhash import DuplicateGroups, _rng, group_duplicates, minhash_signatures
from govtext._shingles import (
    _GOLDEN,
    _POLY,
    ShingleSets,
    _as_csr,
    _check_float,
    _check_int,
    _dedupe_sorted,
    _Incidence,
    _mix64,
    _param_error,
    _searchsorted,
)
from govtext.exceptions import InvalidParameterError

__all__ = [
    "LSHParams",
    "RECALL_MODES",
    "band_keys",
    "candidate_pairs",
    "choose_params",
    "collision_probability",
    "lsh_pairs",
]

logger = logging.getLogger(__name__)

#: How :func:`choose_params` reads ``target_recall``.
RECALL_MODES = ("threshold", "mean")
_U64 = np.uint64


def collision_probability(
    similarity: float | np.ndarray, bands: int, rows: int
) -> float | np.ndarray:
    """Probability that two sets of Jaccard ``similarity`` share a band: ``1 - (1 - s**r)**b``.

    Parameters
    ----------
    similarity : float or numpy.ndarray
        Jaccard similarity in [0, 1].
    bands, rows : int
        LSH parameters.

    Returns
    -------
    float or numpy.ndarray

    Examples
    --------
    >>> round(collision_probability(0.8, 9, 13), 3)
    0.399
    """
    s = np.asarray(similarity, dtype=np.float64)
    p = 1.0 - (1.0 - s**rows) ** bands
    return float(p) if p.ndim == 0 else p


@dataclass(frozen=True)
class LSHParams:
    """Banding parameters with their S-curve figures.

    Attributes
    ----------
    bands, rows : int
        ``bands * rows <= num_perm`` signature rows are used.
    threshold : float
        The Jaccard threshold the parameters were chosen for.
    recall_at_threshold : float
        ``P(threshold)``: the minimum probability of finding a pair with ``J >= threshold``.
    mean_recall : float
        Mean of ``P(s)`` for ``s`` uniform in ``[threshold, 1]``.
    false_positive_area : float
        ``∫_0^threshold P(s) ds``.
    """

    bands: int
    rows: int
    threshold: float
    recall_at_threshold: float
    mean_recall: float
    false_positive_area: float


@functools.lru_cache(maxsize=4)
def _gauss(deg: int = 64) -> tuple[np.ndarray, np.ndarray]:
    return np.polynomial.legendre.leggauss(deg)


def _integral(lo: float, hi: float, b: np.ndarray, r: np.ndarray) -> np.ndarray:
    x, w = _gauss()
    s = (hi - lo) / 2.0 * x + (hi + lo) / 2.0
    p = 1.0 - (1.0 - s[None, :] ** r[:, None]) ** b[:, None]
    return (p * w[None, :]).sum(axis=1) * (hi - lo) / 2.0


def choose_params(
    threshold: float = 0.8,
    num_perm: int = 128,
    *,
    target_recall: float = 0.95,
    recall_mode: str = "threshold",
) -> LSHParams:
    """Choose bands × rows reaching a recall target with the smallest false-positive area.

    Parameters
    ----------
    threshold : float, default=0.8
        Jaccard threshold, in (0, 1).
    num_perm : int, default=128
        Signature length available.
    target_recall : float, default=0.95
        Required recall, in (0, 1].
    recall_mode : {"threshold", "mean"}, default="threshold"
        ``"threshold"``: ``P(threshold) >= target_recall`` (every true pair is found with at
        least that probability). ``"mean"``: the mean of ``P`` over ``[threshold, 1]`` reaches
        the target.

    Returns
    -------
    LSHParams
        The feasible ``(bands, rows)`` with the smallest false-positive area (ties: fewer rows
        used, then fewer bands). If no pair is feasible, the one with the highest recall is
        returned and a warning is logged.

    Examples
    --------
    >>> p = choose_params(0.5, 128, target_recall=0.95)
    >>> (p.bands, p.rows), p.recall_at_threshold >= 0.95
    ((23, 3), True)
    >>> choose_params(0.8, 128, recall_mode="mean").rows
    10
    """
    caller = "choose_params"
    t = _check_float(threshold, "threshold", caller, low=0.0, low_open=True)
    if t >= 1.0:
        t = 1.0 - 1e-9
    num_perm = _check_int(num_perm, "num_perm", caller)
    target = _check_float(target_recall, "target_recall", caller, low=0.0, low_open=True)
    if recall_mode not in RECALL_MODES:
        raise _param_error("recall_mode", caller, f"one of {RECALL_MODES}", recall_mode)
    bs, rs = [], []
    for b in range(1, num_perm + 1):
        for r in range(1, num_perm // b + 1):
            bs.append(b)
            rs.append(r)
    b = np.array(bs, dtype=np.float64)
    r = np.array(rs, dtype=np.float64)
    fp = _integral(0.0, t, b, r)
    mean = _integral(t, 1.0, b, r) / (1.0 - t)
    at_t = 1.0 - (1.0 - t**r) ** b
    rec = at_t if recall_mode == "threshold" else mean
    ok = rec >= target - 1e-12
    if ok.any():
        cand = np.flatnonzero(ok)
        k = cand[np.lexsort((b[cand], b[cand] * r[cand], fp[cand]))[0]]
    else:
        k = int(np.lexsort((fp, -rec))[0])
        logger.warning(
            "no bands x rows with %d permutations reaches %s recall %.3f at threshold %.3f; "
            "using b=%d, r=%d (recall %.3f)", num_perm, recall_mode, target, t, bs[k], rs[k],
            rec[k],
        )
    return LSHParams(int(bs[k]), int(rs[k]), float(threshold), float(at_t[k]), float(mean[k]),
                     float(fp[k]))


def band_keys(
    signatures: np.ndarray, bands: int, rows: int, *, units: np.ndarray | None = None
) -> np.ndarray:
    """Fold each band of each signature into one 64-bit key.

    Parameters
    ----------
    signatures : numpy.ndarray, shape (n, num_perm)
        MinHash signatures (uint32 or uint64).
    bands, rows : int
        ``bands * rows`` must not exceed ``num_perm``; band ``k`` uses columns
        ``k * rows .. (k + 1) * rows - 1``.
    units : array-like of int, optional
        Key only these rows of ``signatures`` (in this order), without copying the matrix.

    Returns
    -------
    numpy.ndarray of uint64, shape (bands, n) or (bands, len(units))
        Equal band values give equal keys (different values collide with probability about
        ``2**-64``; such a collision only adds a candidate, which verification rejects).
    """
    caller = "band_keys"
    bands = _check_int(bands, "bands", caller)
    rows = _check_int(rows, "rows", caller)
    sig = np.asarray(signatures)
    if sig.ndim != 2 or bands * rows > sig.shape[1]:
        msg = (f"The 'bands' and 'rows' parameters of {caller} must satisfy bands * rows <= "
               f"num_perm. Got {bands} * {rows} for signatures of shape {sig.shape} instead.")
        raise InvalidParameterError(msg)
    sel = None if units is None else np.asarray(units, dtype=np.int64)
    n = sig.shape[0] if sel is None else sel.size
    out = np.empty((bands, n), dtype=np.uint64)
    for k in range(bands):
        h = np.full(n, _U64(k + 1), dtype=np.uint64)
        for c in range(k * rows, (k + 1) * rows):
            h *= _POLY
            col = sig[:, c] if sel is None else sig[sel, c]
            h += col.astype(np.uint64)
        out[k] = _mix64(h + _GOLDEN)
    return out


# Representatives whose MinHash signatures are held at once by lsh_pairs (num_perm * 4 bytes
# each) before they are folded into band keys.
_SIGNATURE_BLOCK = 1 << 16

# Band pairs generated and deduplicated at once by the streaming candidate generation
# (:func:`_candidate_chunks`): a chunk's keys and their temporaries take a few times
# 8 bytes per pair.
_CANDIDATE_CHUNK = 1 << 21


@dataclass(frozen=True)
class _BandIndex:
    """The buckets of every band, compact, from which candidate pairs are listed on demand.

    A pair is charged to its smaller member (``lo``). Members of the multi-member buckets that
    are not oversized are stored band after band, bucket after bucket, ascending inside a
    bucket, so the pairs a member heads are the members that follow it in its bucket:
    ``members[t + 1 : t + 1 + later[t]]``. The members of the oversized buckets are stored in
    their window order (``win_members``); a member pairs with those at most ``window``
    positions away in its bucket (``win_start[b] .. win_end[b]``) that are larger. ``by_unit``
    and ``win_by_unit`` list the positions grouped by unit (CSR ``unit_ptr``,
    ``win_unit_ptr``), so the pairs of any range of ``lo`` are found without scanning.

    Attributes
    ----------
    n : int
        Number of units indexed (pair keys are ``lo * n + hi``).
    members : numpy.ndarray of int32 (int64 when ``n >= 2**31``)
        Bucket members, see above.
    later : numpy.ndarray of int32
        Members after each one in its bucket.
    by_unit, unit_ptr : numpy.ndarray
        Positions in ``members`` heading at least one pair, grouped by unit (int32 or int64),
        and the CSR pointer (int64, ``n + 1``).
    win_members, win_bucket, win_start, win_end, win_by_unit, win_unit_ptr : numpy.ndarray
        The oversized buckets: members in window order, the bucket of each, the bounds of each
        bucket in ``win_members``, and the positions grouped by unit (CSR).
    window : int
        ``max_bucket_size - 1`` (0 without oversized buckets).
    load : numpy.ndarray of int64, shape (n,)
        Band pairs (repeats across bands included) whose smaller member is each unit, plus
        ``2 * window`` per oversized-bucket member (a bound): what sizes a chunk.
    stats : dict
        ``n_band_pairs``, ``n_oversized_buckets``, ``max_bucket``, ``n_pairs_skipped`` (see
        :func:`candidate_pairs`).
    """

    n: int
    members: np.ndarray
    later: np.ndarray
    by_unit: np.ndarray
    unit_ptr: np.ndarray
    win_members: np.ndarray
    win_bucket: np.ndarray
    win_start: np.ndarray
    win_end: np.ndarray
    win_by_unit: np.ndarray
    win_unit_ptr: np.ndarray
    window: int
    load: np.ndarray
    stats: dict


def _by_unit(units: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Positions of ``units`` grouped by unit (int32 when they fit) and the CSR pointer."""
    pos = np.argsort(units, kind="stable").astype(np.int32 if units.size < 2**31 else np.int64)
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(units, minlength=n), out=ptr[1:])
    return pos, ptr


def _band_index(keys: np.ndarray, max_bucket_size: int | None) -> _BandIndex:
    """Bucket the band keys (shape ``(bands, n)``) of every band; see :class:`_BandIndex`."""
    bands, n = keys.shape
    idx_t = np.int32 if n < 2**31 else np.int64
    stats = {"n_band_pairs": 0, "n_oversized_buckets": 0, "max_bucket": 0, "n_pairs_skipped": 0}
    w = 0 if max_bucket_size is None else max_bucket_size - 1
    mem_parts: list[np.ndarray] = []
    later_parts: list[np.ndarray] = []
    win_parts: list[np.ndarray] = []
    for k in range(bands):
        # a stable sort keeps the members of a bucket (equal keys) in ascending unit order
        order = np.argsort(keys[k], kind="stable")
        sk = keys[k][order]
        new = np.ones(n, dtype=bool)
        new[1:] = sk[1:] != sk[:-1]
        del sk
        starts = np.flatnonzero(new)
        del new
        sizes = np.diff(np.append(starts, n))
        if sizes.size:
            stats["max_bucket"] = max(stats["max_bucket"], int(sizes.max()))
        multi = sizes >= 2
        big = multi & (sizes > (max_bucket_size or n + 1))
        small = multi & ~big
        if small.any():
            sub = sizes[small]
            at = np.repeat(starts[small] - (np.cumsum(sub) - sub), sub) + np.arange(sub.sum())
            mem_parts.append(order[at].astype(idx_t))
            rank = np.arange(sub.sum()) - np.repeat(np.cumsum(sub) - sub, sub)
            later_parts.append((np.repeat(sub, sub) - 1 - rank).astype(np.int32))
            stats["n_band_pairs"] += int((sub * (sub - 1) // 2).sum())
            del at, rank
        for st, sz in zip(starts[big], sizes[big]):
            # window order: by the keys of up to 4 other bands (members agreeing on more bands
            # sit together), then by unit
            members = order[st : st + sz]
            others = [keys[(k + d) % bands][members] for d in range(min(bands - 1, 4), 0, -1)]
            members = members[np.lexsort([members, *others])] if others else members
            win_parts.append(members.astype(idx_t))
            n_win = int(np.minimum(w, sz - 1 - np.arange(sz)).sum())
            stats["n_oversized_buckets"] += 1
            stats["n_band_pairs"] += n_win
            stats["n_pairs_skipped"] += int(sz * (sz - 1) // 2 - n_win)
        del order
    members = np.concatenate(mem_parts) if mem_parts else np.empty(0, dtype=idx_t)
    del mem_parts
    later = np.concatenate(later_parts) if later_parts else np.empty(0, dtype=np.int32)
    del later_parts
    head = np.flatnonzero(later > 0)
    head_unit = members[head]
    pos, unit_ptr = _by_unit(head_unit, n)
    by_unit = head[pos].astype(pos.dtype)
    del head, pos
    # exact in float64 (counts far below 2**53)
    load = np.bincount(head_unit, weights=later[later > 0], minlength=n).astype(np.int64)
    del head_unit
    win_sizes = np.array([m.size for m in win_parts], dtype=np.int64)
    win_members = np.concatenate(win_parts) if win_parts else np.empty(0, dtype=idx_t)
    del win_parts
    win_end = np.cumsum(win_sizes)
    win_start = win_end - win_sizes
    win_bucket = np.repeat(np.arange(win_sizes.size, dtype=np.int32), win_sizes)
    win_by_unit, win_unit_ptr = _by_unit(win_members, n)
    if win_members.size:
        # a bound: a member has at most 2 * w neighbours in its window
        load += np.bincount(win_members, weights=np.minimum(2 * w, win_sizes - 1)[win_bucket],
                            minlength=n).astype(np.int64)
    return _BandIndex(n, members, later, by_unit, unit_ptr, win_members, win_bucket, win_start,
                      win_end, win_by_unit, win_unit_ptr, w, load, stats)


def _candidate_chunks(index: _BandIndex, chunk_pairs: int | None = None):
    """The unique candidate pairs of ``index``, one range of ``lo`` at a time.

    Every pair with ``lo`` in a range is generated in that range's chunk (whatever band or
    bucket it comes from), so deduplicating inside a chunk deduplicates globally; the chunks
    come in increasing ``lo``, so their concatenation is the sorted unique candidate list of
    :func:`candidate_pairs`, without materialising every band pair at once.

    Parameters
    ----------
    index : _BandIndex
        From :func:`_band_index`.
    chunk_pairs : int, optional
        Band pairs generated at once (a single unit heading more is one chunk of its own);
        default ``_CANDIDATE_CHUNK`` (2**21).

    Yields
    ------
    i, j : numpy.ndarray of int64
        Non-empty chunks of unique pairs, ``i < j``, sorted by ``(i, j)``.
    """
    if chunk_pairs is None:
        chunk_pairs = _CANDIDATE_CHUNK
    n, members, later = index.n, index.members, index.later
    wm, w = index.win_members, np.int64(index.window)
    cum = np.cumsum(index.load)
    x0 = 0
    while x0 < n:
        base = int(cum[x0 - 1]) if x0 else 0
        x1 = int(np.searchsorted(cum, base + chunk_pairs, side="right"))
        x1 = min(max(x1, x0 + 1), n)
        if int(cum[x1 - 1]) == base:  # no pairs headed in [x0, x1)
            x0 = x1
            continue
        parts = []
        e = index.by_unit[index.unit_ptr[x0] : index.unit_ptr[x1]].astype(np.int64)
        if e.size:
            c = later[e].astype(np.int64)
            key = np.repeat(members[e].astype(np.int64), c)
            key *= np.int64(n)
            # partner positions: the c members after e in its bucket
            part = np.repeat(e + 1 - (np.cumsum(c) - c), c)
            part += np.arange(part.size, dtype=np.int64)
            del e, c
            key += members[part]
            del part
            parts.append(key)
        e = index.win_by_unit[index.win_unit_ptr[x0] : index.win_unit_ptr[x1]].astype(np.int64)
        if e.size:
            # window pairs headed by their smaller member: the larger members at most w
            # positions away in the window order
            b = index.win_bucket[e]
            lo = np.maximum(index.win_start[b], e - w)
            c = np.minimum(index.win_end[b], e + w + 1) - lo
            head = np.repeat(wm[e].astype(np.int64), c)
            part = np.repeat(lo - (np.cumsum(c) - c), c) + np.arange(int(c.sum()), dtype=np.int64)
            other = wm[part].astype(np.int64)
            ok = other > head
            key = head[ok] * np.int64(n)
            key += other[ok]
            del b, lo, c, head, part, other, ok
            parts.append(key)
        key = np.concatenate(parts) if len(parts) > 1 else parts[0]
        del parts
        key.sort()  # in place: no second copy of the chunk
        key = _dedupe_sorted(key)
        if key.size:
            yield key // n, key % n
        del key
        x0 = x1


def candidate_pairs(
    signatures: np.ndarray,
    *,
    bands: int,
    rows: int,
    max_bucket_size: int | None = 2000,
    units: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, dict[str, int]]:
    """Candidate pairs: units sharing at least one band key.

    Parameters
    ----------
    signatures : numpy.ndarray, shape (n, num_perm)
        MinHash signatures of the units to index (normally one per distinct set).
    bands, rows : int
        Banding parameters.
    max_bucket_size : int or None, default=2000
        Buckets larger than this are linked by a sorted-neighbourhood window of this size
        instead of all pairs (see the module docstring); ``None`` disables the cap.
    units : array-like of int, optional
        Index only these rows of ``signatures`` (e.g. duplicate-group representatives).

    Returns
    -------
    i, j : numpy.ndarray of int64
        Unique candidate pairs, ``i < j``, sorted; positions in ``units`` if given, otherwise
        row indices of ``signatures``.
    stats : dict
        ``n_band_pairs`` (pairs over all bands, before deduplication), ``n_candidates``,
        ``n_oversized_buckets``, ``max_bucket`` (largest bucket seen) and ``n_pairs_skipped``
        (within-bucket pairs of oversized buckets that were not generated in that band).
    """
    caller = "candidate_pairs"
    if max_bucket_size is not None:
        max_bucket_size = _check_int(max_bucket_size, "max_bucket_size", caller, low=2)
    index = _band_index(band_keys(signatures, bands, rows, units=units), max_bucket_size)
    stats = dict(index.stats)
    chunks = list(_candidate_chunks(index))
    del index
    if not chunks:
        e = np.empty(0, dtype=np.int64)
        stats["n_candidates"] = 0
        return e, e.copy(), stats
    i = np.concatenate([c[0] for c in chunks])
    j = np.concatenate([c[1] for c in chunks])
    stats["n_candidates"] = int(i.size)
    return i, j, stats


def lsh_pairs(
    sets: ShingleSets | tuple[np.ndarray, np.ndarray],
    *,
    threshold: float = 0.8,
    num_perm: int = 128,
    target_recall: float = 0.95,
    recall_mode: str = "threshold",
    params: tuple[int, int] | None = None,
    measure: str = "jaccard",
    random_state: int | np.random.Generator = 0,
    max_bucket_size: int | None = 2000,
    signatures: np.ndarray | None = None,
    expand: bool = True,
) -> Pairs | tuple[Pairs, DuplicateGroups]:
    """Similar pairs of units by MinHash LSH, verified exactly.

    Parameters
    ----------
    sets : ShingleSets or tuple (indptr, hashes)
        CSR shingle sets (sorted, unique within each set).
    threshold : float, default=0.8
        Similarity threshold, in (0, 1].
    num_perm : int, default=128
        Signature length.
    target_recall, recall_mode
        Passed to :func:`choose_params` (ignored when ``params`` is given).
    params : tuple (bands, rows), optional
        Explicit banding parameters.
    measure : {"jaccard", "containment"}, default="jaccard"
        Score compared with ``threshold`` at verification. Candidates always come from the
        Jaccard S-curve, so with ``"containment"`` recall is guaranteed only for pairs whose
        Jaccard also reaches ``threshold`` (containment is always ``>=`` Jaccard).
    random_state : int or numpy.random.Generator, default=0
        Seed of the MinHash permutations.
    max_bucket_size : int or None, default=2000
        Bucket cap, see :func:`candidate_pairs`.
    signatures : numpy.ndarray, optional
        Precomputed signatures of *all* units (shape ``(n_units, >= bands * rows)``; rows of
        duplicate units are never read); if given, ``num_perm`` and ``random_state`` are not
        used to compute new ones.
    expand : bool, default=True
        ``False``: return the verified pairs between duplicate groups and the groups (see
        Returns) instead of expanding them to every member unit.

    Returns
    -------
    Pairs
        Verified pairs, ``i < j``, sorted, with exact intersection, Jaccard and containment;
        identical sets are paired with score 1.0. ``stats`` holds ``bands``, ``rows``,
        ``recall_at_threshold``, the candidate counts of :func:`candidate_pairs` and the
        duplicate counts.
    (Pairs, DuplicateGroups)
        With ``expand=False``: the verified pairs between distinct sets, ``i``/``j`` indexing
        ``groups.reps`` (two units of one group are always a pair, of score 1.0), and the
        groups (:func:`govtext._minhash.group_duplicates`).

    Raises
    ------
    InvalidParameterError
        On invalid parameters.

    See Also
    --------
    govtext._allpairs.all_pairs : the exact answer (ground truth) for the same sets.

    Examples
    --------
    >>> from govtext._shingles import shingle_texts
    >>> texts = ["我镇认真贯彻落实政府信息公开条例", "我乡认真贯彻落实政府信息公开条例",
    ...          "我镇认真贯彻落实政府信息公开条例", "", "申请人要求撤回申请"]
    >>> p = lsh_pairs(shingle_texts(texts), threshold=0.7)
    >>> p.to_frame()[["i", "j", "jaccard"]].round(3).to_dict("records")
    [{'i': 0, 'j': 1, 'jaccard': 0.714}, {'i': 0, 'j': 2, 'jaccard': 1.0}, {'i': 1, 'j': 2, 'jaccard': 0.714}]
    >>> p.stats["n_empty"], p.stats["n_distinct"], (p.stats["bands"], p.stats["rows"])
    (1, 3, (17, 5))
    """
    caller = "lsh_pairs"
    t = _check_float(threshold, "threshold", caller, low=0.0, low_open=True)
    num_perm = _check_int(num_perm, "num_perm", caller)
    measure = _check_measure(measure, caller)
    _rng(random_state, caller)
    if max_bucket_size is not None:
        max_bucket_size = _check_int(max_bucket_size, "max_bucket_size", caller, low=2)
    if params is None:
        lp = choose_params(t, num_perm, target_recall=target_recall, recall_mode=recall_mode)
        bands, rows = lp.bands, lp.rows
    else:
        if not isinstance(params, tuple | list) or len(params) != 2:
            raise _param_error("params", caller, "a tuple (bands, rows)", params)
        bands = _check_int(params[0], "params[0] (bands)", caller)
        rows = _check_int(params[1], "params[1] (rows)", caller)
    indptr, hashes = _as_csr(sets)
    n_units = indptr.shape[0] - 1
    groups = group_duplicates((indptr, hashes))
    reps = groups.reps
    stats: dict[str, int | float] = {
        "n_units": n_units, "n_empty": int((np.diff(indptr) == 0).sum()),
        "n_distinct": int(reps.size), "bands": bands, "rows": rows,
        "recall_at_threshold": float(collision_probability(min(t, 1.0), bands, rows)),
    }
    if reps.size == 0:
        return _empty_pairs(stats) if expand else (_empty_pairs(stats), groups)
    if signatures is None:
        if bands * rows > num_perm:
            msg = (f"The 'params' parameter of {caller} must satisfy bands * rows <= num_perm "
                   f"({num_perm}). Got {bands} * {rows} instead.")
            raise InvalidParameterError(msg)
        # signatures of a block of representatives at a time, folded into band keys at once:
        # a set's keys take bands * 8 bytes, its signature num_perm * 4 (a row depends on its
        # set only, so the keys are those of the whole matrix). A Generator is drawn from once,
        # as by a single call; the other blocks use copies of its state before that draw
        pristine = (copy.deepcopy(random_state) if isinstance(random_state, np.random.Generator)
                    else random_state)
        keys = np.empty((bands, reps.size), dtype=np.uint64)
        for u0 in range(0, reps.size, _SIGNATURE_BLOCK):
            u1 = min(u0 + _SIGNATURE_BLOCK, reps.size)
            rs = random_state if u0 == 0 else copy.deepcopy(pristine)
            sig = minhash_signatures((indptr, hashes), num_perm=num_perm, random_state=rs,
                                     units=reps[u0:u1])
            keys[:, u0:u1] = band_keys(sig, bands, rows)
            del sig
    else:
        sig = np.asarray(signatures)
        if sig.ndim != 2 or sig.shape[0] != n_units:
            msg = (f"The 'signatures' parameter of {caller} must have one row per unit "
                   f"({n_units}). Got shape {sig.shape} instead.")
            raise InvalidParameterError(msg)
        keys = band_keys(sig, bands, rows, units=reps)
    index = _band_index(keys, max_bucket_size)
    del keys
    stats.update(index.stats)
    # candidates are verified chunk by chunk as they are listed (what candidate_pairs would
    # return, in the same order): the band pairs of a large corpus number tens of millions
    # and only a few percent pass; the verified pairs of the chunks, in increasing ``lo``,
    # concatenate to the sorted pairs. Indices go to the unit-level sets (representatives)
    # for verification, then back to group indices.
    n_cand = 0
    parts: list[Pairs] = []
    incidence = _Incidence((indptr, hashes))  # the sets' sparse matrix, built once for all chunks
    for ci, cj in _candidate_chunks(index):
        n_cand += int(ci.size)
        parts.append(verify_pairs(incidence, reps[ci], reps[cj], threshold=t, measure=measure))
        del ci, cj
    del index, incidence
    stats["n_candidates"] = n_cand
    if not parts:
        parts.append(verify_pairs((indptr, hashes), reps[:0], reps[:0], threshold=t,
                                  measure=measure))
    cols = [np.concatenate([getattr(v, c) for v in parts])
            for c in ("i", "j", "intersection", "jaccard", "containment")]
    del parts
    stats["n_distinct_pairs"] = int(cols[0].size)
    gi = _searchsorted(reps, cols[0])
    gj = _searchsorted(reps, cols[1])
    ver = Pairs(gi, gj, cols[2], cols[3], cols[4], stats)
    if not expand:
        return ver, groups
    out = expand_duplicates(ver, groups, (indptr, hashes))
    logger.debug("lsh_pairs: %s", out.stats)
    return out

