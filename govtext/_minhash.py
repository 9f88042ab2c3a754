"""Vectorised MinHash signatures and exact-duplicate grouping of shingle sets.

Signatures
----------
For permutation ``p`` with parameters ``(a_p, b_p)`` -- ``a_p`` a random odd 64-bit integer,
``b_p`` a random 64-bit integer, both drawn from ``np.random.default_rng(random_state)`` -- the
signature entry of a set ``S`` of 64-bit shingle hashes is::

    sig[p] = min over h in S of  (a_p * h + b_p) mod 2**64        (dtype uint64)
    sig[p] = that minimum >> 32                                   (dtype uint32, the default)

(the shift is monotone, so the ``uint32`` entry is the minimum of the top 32 bits). Shingle
hashes are already splitmix-mixed (see :mod:`govtext._shingles`), so one multiply-add per
(shingle, permutation) is enough; the estimator ``mean(sig_A == sig_B)`` of the Jaccard
similarity is checked for bias against exact Jaccard in ``tests/test_reuse_engine.py``.

The work is a ``(num_perm, chunk)`` outer product followed by ``np.minimum.reduceat`` along the
contiguous axis, in chunks of at most ``chunk_size`` elements, so memory stays bounded whatever
the corpus size.

Duplicates
----------
Report corpora repeat boilerplate sentences thousands of times. :func:`group_duplicates` gives
every distinct shingle set one representative (its smallest unit index), keyed by a stable
128-bit fingerprint (two independent sums of mixed hashes) and then *verified element by
element*, so grouping is exact. Candidate generation then works on representatives only.

Examples
--------
>>> from govtext._shingles import shingle_texts
>>> from govtext._minhash import minhash_signatures, group_duplicates
>>> sets = shingle_texts(["本年主动公开信息35条", "本年主动公开信息128条", "政府信息公开工作"])
>>> sig = minhash_signatures(sets, num_perm=16, random_state=0)
>>> sig.shape, sig.dtype.name
((3, 16), 'uint32')
>>> bool((sig[0] == sig[1]).all())
True
>>> group_duplicates(sets).representative.tolist()
[0, 0, 2]
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

from govtext._shingles import (
    ShingleSets,
    _as_csr,
    _check_int,
    _mix64,
    _param_error,
    _searchsorted,
    _unique,
)

__all__ = [
    "DuplicateGroups",
    "group_duplicates",
    "minhash_signatures",
    "permutation_params",
    "set_fingerprints",
]

logger = logging.getLogger(__name__)

_U64 = np.uint64
_FP1 = _U64(0x243F6A8885A308D3)
_FP2 = _U64(0x13198A2E03707344)


def _rng(random_state: object, caller: str) -> np.random.Generator:
    if isinstance(random_state, np.random.Generator):
        return random_state
    if isinstance(random_state, bool) or not isinstance(random_state, int | np.integer) or (
        random_state < 0
    ):
        raise _param_error(
            "random_state", caller, "an int >= 0 or a numpy.random.Generator", random_state
        )
    return np.random.default_rng(int(random_state))


def permutation_params(
    num_perm: int = 128, random_state: int | np.random.Generator = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Draw the MinHash permutation parameters.

    Parameters
    ----------
    num_perm : int, default=128
        Number of permutations (signature length).
    random_state : int or numpy.random.Generator, default=0
        Seed for ``np.random.default_rng``; an int gives the same parameters in every process.

    Returns
    -------
    a, b : numpy.ndarray of uint64, shape (num_perm,)
        Multipliers (odd) and offsets of ``h -> a * h + b (mod 2**64)``.

    Examples
    --------
    >>> a, b = permutation_params(4, random_state=1)
    >>> bool((a % 2 == 1).all()), a.dtype.name
    (True, 'uint64')
    """
    caller = "permutation_params"
    num_perm = _check_int(num_perm, "num_perm", caller)
    rng = _rng(random_state, caller)
    a = rng.integers(0, np.iinfo(np.uint64).max, size=num_perm, dtype=np.uint64, endpoint=True)
    b = rng.integers(0, np.iinfo(np.uint64).max, size=num_perm, dtype=np.uint64, endpoint=True)
    return a | _U64(1), b


def minhash_signatures(
    sets: ShingleSets | tuple[np.ndarray, np.ndarray],
    *,
    num_perm: int = 128,
    random_state: int | np.random.Generator = 0,
    dtype: type | str = np.uint32,
    chunk_size: int = 1 << 20,
    units: np.ndarray | None = None,
) -> np.ndarray:
    """MinHash signatures of many shingle sets at once.

    Parameters
    ----------
    sets : ShingleSets or tuple (indptr, hashes)
        CSR shingle sets of ``uint64`` hashes (duplicates inside a set are harmless).
    num_perm : int, default=128
        Signature length.
    random_state : int or numpy.random.Generator, default=0
        Seed of the permutation parameters (see :func:`permutation_params`).
    dtype : {numpy.uint32, numpy.uint64}, default=numpy.uint32
        Signature dtype; ``uint32`` keeps the top 32 bits of each 64-bit minimum (half the
        memory, as datasketch).
    chunk_size : int, default=2**20
        Maximum number of (permutation, shingle) products held at once.
    units : array-like of int, optional
        Compute the signatures of these units only (e.g. one representative per duplicate
        group), in this order, without copying the other units' hashes.

    Returns
    -------
    numpy.ndarray, shape (n_units, num_perm) or (len(units), num_perm)
        Signature matrix (Fortran-ordered: each permutation's column is contiguous). Units with
        an empty set get the all-maximum row (``np.iinfo(dtype).max``).

    Raises
    ------
    InvalidParameterError
        On a bad ``num_perm``, ``random_state``, ``dtype`` or ``chunk_size``.

    Examples
    --------
    >>> from govtext._shingles import shingle_texts
    >>> s = shingle_texts(["政府信息公开工作年度报告", ""])
    >>> sig = minhash_signatures(s, num_perm=8)
    >>> bool((sig[1] == np.iinfo(np.uint32).max).all())
    True
    """
    caller = "minhash_signatures"
    num_perm = _check_int(num_perm, "num_perm", caller)
    chunk_size = _check_int(chunk_size, "chunk_size", caller)
    try:
        dt = np.dtype(dtype)
    except TypeError:
        dt = None
    if dt not in (np.dtype(np.uint32), np.dtype(np.uint64)):
        raise _param_error("dtype", caller, "numpy.uint32 or numpy.uint64", dtype)
    a, b = permutation_params(num_perm, _rng(random_state, caller))
    indptr, hashes = _as_csr(sets)
    hashes = np.asarray(hashes, dtype=np.uint64)
    n_units = indptr.shape[0] - 1
    if units is None:
        rows = np.arange(n_units, dtype=np.int64)
    else:
        rows = np.asarray(units, dtype=np.int64).ravel()
        if rows.size and (rows.min() < 0 or rows.max() >= n_units):
            raise _param_error("units", caller, f"an array of unit indices in [0, {n_units})",
                               units)
    sig = np.full((num_perm, rows.size), np.iinfo(dt).max, dtype=dt)
    sizes = np.diff(indptr)[rows]
    nonempty = np.flatnonzero(sizes > 0)
    if nonempty.size == 0:
        return sig.T
    starts = indptr[rows[nonempty]]
    nsz = sizes[nonempty]
    csum = np.cumsum(nsz)
    shift = _U64(32) if dt == np.dtype(np.uint32) else None
    max_cols = max(chunk_size // num_perm, 1)
    k0 = 0
    n_ne = nonempty.size
    buf = np.empty(chunk_size, dtype=np.uint64)
    while k0 < n_ne:
        # units [k0, k1) of the non-empty ones, at most max_cols shingles (at least one unit)
        base = int(csum[k0 - 1]) if k0 else 0
        k1 = int(np.searchsorted(csum, base + max_cols, side="right"))
        k1 = min(max(k1, k0 + 1), n_ne)
        width = int(csum[k1 - 1]) - base
        cs = nsz[k0:k1]
        offs = np.cumsum(cs) - cs
        s0 = int(starts[k0])
        if np.array_equal(starts[k0:k1] - s0, offs):
            h = hashes[s0 : s0 + width]  # contiguous rows: a view
        else:
            h = hashes[np.repeat(starts[k0:k1] - offs, cs) + np.arange(width)]
        pb = max(min(num_perm, chunk_size // width), 1)
        for p0 in range(0, num_perm, pb):
            p1 = min(p0 + pb, num_perm)
            if (p1 - p0) * width <= buf.size:
                t = buf[: (p1 - p0) * width].reshape(p1 - p0, width)
                np.multiply(a[p0:p1, None], h[None, :], out=t)
            else:
                t = np.multiply(a[p0:p1, None], h[None, :])
            t += b[p0:p1, None]
            m = np.minimum.reduceat(t, offs, axis=1)
            if shift is not None:
                m >>= shift
            sig[p0:p1, nonempty[k0:k1]] = m
        k0 = k1
    return sig.T


def set_fingerprints(sets: ShingleSets | tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """Stable 128-bit fingerprints of shingle sets.

    Parameters
    ----------
    sets : ShingleSets or tuple (indptr, hashes)
        CSR sets, unique within each set.

    Returns
    -------
    numpy.ndarray of uint64, shape (n_units, 2)
        Two independent sums (mod 2**64) of mixed hashes; equal sets have equal fingerprints,
        in every process. Empty sets get ``(0, 0)``.

    Examples
    --------
    >>> from govtext._shingles import shingle_texts
    >>> fp = set_fingerprints(shingle_texts(["信息公开", "信息公开", "公开信息"]))
    >>> bool((fp[0] == fp[1]).all()), bool((fp[0] == fp[2]).all())
    (True, False)
    """
    indptr, hashes = _as_csr(sets)
    hashes = np.asarray(hashes, dtype=np.uint64)
    n = indptr.shape[0] - 1
    out = np.zeros((n, 2), dtype=np.uint64)
    # in chunks of about 2**20 hashes (bounded temporaries), whole units per chunk
    u0 = 0
    while u0 < n:
        u1 = int(np.searchsorted(indptr, indptr[u0] + (1 << 20), side="right")) - 1
        u1 = min(max(u1, u0 + 1), n)
        s0, s1 = int(indptr[u0]), int(indptr[u1])
        local = indptr[u0 : u1 + 1] - s0
        for col, salt in enumerate((_FP1, _FP2)):
            c = np.zeros(s1 - s0 + 1, dtype=np.uint64)
            np.cumsum(_mix64(hashes[s0:s1] ^ salt), out=c[1:])
            out[u0:u1, col] = c[local[1:]] - c[local[:-1]]
        u0 = u1
    return out


@dataclass(frozen=True)
class DuplicateGroups:
    """Units grouped by identical shingle set.

    Attributes
    ----------
    representative : numpy.ndarray of int64, shape (n_units,)
        For each unit, the smallest index of a unit with the same set; ``-1`` for empty sets
        (they are never grouped: their similarity is undefined).
    reps : numpy.ndarray of int64
        The distinct representatives, ascending (one per distinct non-empty set).
    indptr, members : numpy.ndarray of int64
        CSR: group ``g`` (representative ``reps[g]``) has the members
        ``members[indptr[g]:indptr[g + 1]]``, ascending, the first being ``reps[g]``.
    keys : numpy.ndarray of uint64, shape (n_units, 2)
        The fingerprints (:func:`set_fingerprints`).
    """

    representative: np.ndarray
    reps: np.ndarray
    indptr: np.ndarray
    members: np.ndarray
    keys: np.ndarray

    @property
    def sizes(self) -> np.ndarray:
        """Group sizes, aligned with :attr:`reps`."""
        return np.diff(self.indptr)

    @property
    def n_duplicates(self) -> int:
        """Number of non-empty units that are not their group's representative."""
        return int(self.members.size - self.reps.size)


# Hashes compared at once by group_duplicates' exact check of equal fingerprints.
_CHECK_BLOCK = 1 << 19


def group_duplicates(sets: ShingleSets | tuple[np.ndarray, np.ndarray]) -> DuplicateGroups:
    """Group units whose shingle sets are identical.

    Parameters
    ----------
    sets : ShingleSets or tuple (indptr, hashes)
        CSR sets, sorted and unique within each set.

    Returns
    -------
    DuplicateGroups
        Representatives, members and fingerprints. Grouping is exact: units with equal
        fingerprints are also compared element by element (a fingerprint collision between
        different sets -- never observed -- is logged and the sets are kept apart).

    Examples
    --------
    >>> from govtext._shingles import shingle_texts
    >>> g = group_duplicates(shingle_texts(["信息公开工作", "", "信息公开工作。", "年度报告"]))
    >>> g.representative.tolist(), g.reps.tolist(), g.members.tolist()
    ([0, -1, 0, 3], [0, 3], [0, 2, 3])
    """
    indptr, hashes = _as_csr(sets)
    keys = set_fingerprints((indptr, hashes))
    n = indptr.shape[0] - 1
    sizes = np.diff(indptr)
    rep = np.full(n, -1, dtype=np.int64)
    ne = np.flatnonzero(sizes > 0)
    if ne.size:
        order = ne[np.lexsort((ne, keys[ne, 1], keys[ne, 0], sizes[ne]))]
        k = keys[order]
        sz = sizes[order]
        new = np.ones(order.size, dtype=bool)
        new[1:] = (k[1:, 0] != k[:-1, 0]) | (k[1:, 1] != k[:-1, 1]) | (sz[1:] != sz[:-1])
        gid = np.cumsum(new) - 1
        first = order[np.flatnonzero(new)][gid]
        # exact check of every non-first member against its group's first member
        cand = np.flatnonzero(~new)
        if cand.size:
            # in blocks of about _CHECK_BLOCK hashes: the duplicates of a large corpus hold
            # tens of millions, and each compared hash takes a few int64 temporaries
            csum = np.cumsum(sizes[order[cand]])
            bad_parts = []
            c0 = 0
            while c0 < cand.size:
                base0 = int(csum[c0 - 1]) if c0 else 0
                c1 = int(np.searchsorted(csum, base0 + _CHECK_BLOCK, side="right"))
                c1 = min(max(c1, c0 + 1), cand.size)
                u, f = order[cand[c0:c1]], first[cand[c0:c1]]
                cnt = sizes[u]
                base = np.cumsum(cnt) - cnt
                ar = np.arange(int(csum[c1 - 1]) - base0, dtype=np.int64)
                pu = np.repeat(indptr[u] - base, cnt) + ar
                pf = np.repeat(indptr[f] - base, cnt) + ar
                neq = hashes[pu] != hashes[pf]
                del ar, pu, pf
                if neq.any():
                    owner = np.repeat(np.arange(c0, c1), cnt)
                    bad_parts.append(np.unique(owner[neq]))
                c0 = c1
            if bad_parts:
                bad = np.concatenate(bad_parts)
                logger.warning("%d fingerprint collisions between different shingle sets; "
                               "the sets are kept apart", bad.size)
                first[cand[bad]] = order[cand[bad]]
        rep[order] = first
    reps = _unique(rep[rep >= 0])
    # CSR of members per representative (members ascending)
    members_sorted = ne[np.argsort(rep[ne], kind="stable")]
    gsz = np.bincount(_searchsorted(reps, rep[members_sorted]), minlength=reps.size)
    gindptr = np.zeros(reps.size + 1, dtype=np.int64)
    np.cumsum(gsz, out=gindptr[1:])
    return DuplicateGroups(rep, reps, gindptr, members_sorted, keys)
