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

import functools
import logging
from dataclasses import dataclass

import numpy as np

from govtext._allpairs import (
    Pairs,
    _check_measure,
    _empty_pairs,
    _within_group_pairs,
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
    _mix64,
    _param_error,
    _unique,
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
    keys = band_keys(signatures, bands, rows, units=units)
    n = keys.shape[1]
    stats = {"n_band_pairs": 0, "n_oversized_buckets": 0, "max_bucket": 0, "n_pairs_skipped": 0}
    acc: list[np.ndarray] = []
    acc_size = 0
    last_unique = 0
    for k in range(bands):
        order = np.argsort(keys[k], kind="stable")
        sk = keys[k][order]
        new = np.ones(n, dtype=bool)
        new[1:] = sk[1:] != sk[:-1]
        starts = np.flatnonzero(new)
        sizes = np.diff(np.append(starts, n))
        if sizes.size:
            stats["max_bucket"] = max(stats["max_bucket"], int(sizes.max()))
        multi = sizes >= 2
        big = multi & (sizes > (max_bucket_size or n + 1))
        small = multi & ~big
        parts = []
        if small.any():
            sub = sizes[small]
            p, q = _within_group_pairs(sub)
            member_pos = np.repeat(starts[small] - (np.cumsum(sub) - sub), sub) + np.arange(
                sub.sum())
            parts.append((order[member_pos[p]], order[member_pos[q]]))
        if big.any():
            for st, sz in zip(starts[big], sizes[big]):
                members = order[st : st + sz]
                others = [keys[(k + d) % bands][members] for d in range(min(bands - 1, 4), 0, -1)]
                members = members[np.lexsort([members, *others])] if others else members
                w = max_bucket_size - 1
                a_idx = np.repeat(np.arange(sz), np.minimum(w, sz - 1 - np.arange(sz)))
                cnt = np.minimum(w, sz - 1 - np.arange(sz))
                off = np.arange(a_idx.size) - np.repeat(np.cumsum(cnt) - cnt, cnt)
                parts.append((members[a_idx], members[a_idx + 1 + off]))
                stats["n_oversized_buckets"] += 1
                stats["n_pairs_skipped"] += int(sz * (sz - 1) // 2 - a_idx.size)
        for a, b in parts:
            lo, hi = np.minimum(a, b), np.maximum(a, b)
            acc.append(lo * np.int64(n) + hi)
            acc_size += lo.size
            stats["n_band_pairs"] += int(lo.size)
        if acc_size > 2 * max(last_unique, 1 << 20):
            merged = _unique(np.concatenate(acc))
            acc, acc_size, last_unique = [merged], merged.size, merged.size
    keys_ij = _unique(np.concatenate(acc)) if acc else np.empty(0, dtype=np.int64)
    stats["n_candidates"] = int(keys_ij.size)
    return keys_ij // n, keys_ij % n, stats


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
        sig = minhash_signatures((indptr, hashes), num_perm=num_perm,
                                 random_state=random_state, units=reps)
        ci, cj, cstats = candidate_pairs(sig, bands=bands, rows=rows,
                                         max_bucket_size=max_bucket_size)
        del sig
    else:
        sig = np.asarray(signatures)
        if sig.ndim != 2 or sig.shape[0] != n_units:
            msg = (f"The 'signatures' parameter of {caller} must have one row per unit "
                   f"({n_units}). Got shape {sig.shape} instead.")
            raise InvalidParameterError(msg)
        ci, cj, cstats = candidate_pairs(sig, bands=bands, rows=rows,
                                         max_bucket_size=max_bucket_size, units=reps)
    stats.update(cstats)
    # verify on the unit-level sets (representatives' indices), then back to group indices
    ver = verify_pairs((indptr, hashes), reps[ci], reps[cj], threshold=t, measure=measure)
    stats["n_distinct_pairs"] = len(ver)
    gi = np.searchsorted(reps, ver.i)
    gj = np.searchsorted(reps, ver.j)
    ver = Pairs(gi, gj, ver.intersection, ver.jaccard, ver.containment, stats)
    if not expand:
        return ver, groups
    out = expand_duplicates(ver, groups, (indptr, hashes))
    logger.debug("lsh_pairs: %s", out.stats)
    return out

