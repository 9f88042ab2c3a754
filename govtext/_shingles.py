"""Character n-gram shingles of unit strings, hashed deterministically to ``uint64``.

This is the bottom layer of the template-reuse engine (``_shingles`` → ``_minhash`` → ``_lsh``
/ ``_allpairs`` → ``_align``). It turns a batch of already-normalised strings (sentences,
clauses, paragraphs: "units") into one CSR layout of *sorted unique* 64-bit shingle hashes per
unit, with numpy arithmetic over code points -- never Python's salted :func:`hash` -- so the
same text gives the same hashes in every process, on every platform and in every run.

How a text becomes shingles
---------------------------
1. The text is read as a sequence of Unicode code points (``str.encode("utf-32-le")``).
2. ``mask_digits=True`` (default): every run of decimal digits -- including ``.``/``,`` between
   two digits, so ``1,234.5`` is one run -- becomes one placeholder symbol (``0x110000``, outside
   the Unicode range, so it can never collide with a real character). Fill-in templates such as
   ``本年主动公开信息35条`` and ``本年主动公开信息128条`` then have identical shingles.
3. ``alnum_only=True`` (default): only alphanumeric characters (``str.isalnum``: Han
   characters, letters, digits) are kept; punctuation, spaces and symbols are dropped before the
   n-grams are formed. The default follows ``docs/nlp.md`` §4 of the research notes: keeping
   alphanumerics only made the ``：，`` vs ``:,`` variants of the same boilerplate sentence match
   (char-5 Jaccard 0.50 → 1.00) and costs nothing on real reuse, because punctuation carries no
   template content. Pass ``alnum_only=False`` to keep punctuation (it then counts as text).
4. The remaining symbols are cut into overlapping n-grams (default ``n=5``). A text with fewer
   than ``n`` symbols (but at least one) gives **one** shingle, the whole text; it is never
   dropped. A text with no symbol left gives an empty set, listed in :attr:`ShingleSets.empty`.
5. Each n-gram is hashed: every symbol ``s`` is mixed with the splitmix64 finaliser
   (``m = mix64(s + 0x9E3779B97F4A7C15)``), the window is folded polynomially
   (``h = h * 0x100000001B3 + m`` modulo 2**64) and the result, xor-ed with the window length
   times a constant, is mixed once more and shifted right by one bit. All arithmetic is
   wrapping ``uint64`` numpy arithmetic. The hashes are 63-bit values (stored as ``uint64``,
   top bit zero), so they are also valid ``int64`` sparse-matrix column indices.
   :data:`HASH_VERSION` is bumped whenever this definition changes.

Examples
--------
>>> from govtext._shingles import shingle_texts
>>> sets = shingle_texts(["本年主动公开信息35条。", "本年主动公开信息128条", "公开", ""], n=5)
>>> sets.sizes.tolist()
[6, 6, 1, 0]
>>> bool((sets[0] == sets[1]).all())
True
>>> sets.empty.tolist()
[3]
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from govtext.exceptions import InvalidParameterError

__all__ = [
    "DIGIT_PLACEHOLDER",
    "HASH_VERSION",
    "EncodedText",
    "ShingleSets",
    "encode_text",
    "intersection_sizes",
    "jaccard",
    "ngram_hashes",
    "shingle_texts",
]

logger = logging.getLogger(__name__)

#: Version of the shingle hash definition (bump on any change of the arithmetic below).
HASH_VERSION = 1
#: Symbol that replaces a run of digits when ``mask_digits=True`` (outside Unicode's range).
DIGIT_PLACEHOLDER = 0x110000

_U64 = np.uint64
_GOLDEN = _U64(0x9E3779B97F4A7C15)
_POLY = _U64(0x100000001B3)
_LEN_MUL = _U64(0xD6E8FEB86659FD93)
_M1 = _U64(0xBF58476D1CE4E5B9)
_M2 = _U64(0x94D049BB133111EB)
_S30, _S27, _S31 = _U64(30), _U64(27), _U64(31)
_BMP = 0x10000
# Characters between two digits that keep a digit run going (``1,234.5``).
_DIGIT_JOINERS = (ord("."), ord(","))
# Texts are processed in batches of about this many code points (bounds temporary memory).
_CHUNK_CHARS = 1 << 22


# --------------------------------------------------------------------------------------------
# validation helpers shared by the engine modules
# --------------------------------------------------------------------------------------------
def _param_error(name: str, caller: str, expected: str, value: object) -> InvalidParameterError:
    msg = f"The {name!r} parameter of {caller} must be {expected}. Got {value!r} instead."
    return InvalidParameterError(msg)


def _check_int(value: object, name: str, caller: str, *, low: int = 1, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        rng = f"in [{low}, {high}]" if high is not None else f">= {low}"
        raise _param_error(name, caller, f"an int {rng}", value)
    if value < low or (high is not None and value > high):
        rng = f"in [{low}, {high}]" if high is not None else f">= {low}"
        raise _param_error(name, caller, f"an int {rng}", value)
    return int(value)


def _check_float(
    value: object, name: str, caller: str, *, low: float = 0.0, high: float = 1.0,
    low_open: bool = False,
) -> float:
    ok = isinstance(value, float | int | np.floating | np.integer) and not isinstance(value, bool)
    if ok:
        v = float(value)
        ok = (v > low if low_open else v >= low) and v <= high
    if not ok:
        lb = "(" if low_open else "["
        raise _param_error(name, caller, f"a float in {lb}{low}, {high}]", value)
    return float(value)


def _check_bool(value: object, name: str, caller: str) -> bool:
    if not isinstance(value, bool | np.bool_):
        raise _param_error(name, caller, "a bool", value)
    return bool(value)


def _check_texts(texts: object, caller: str) -> list[str]:
    if isinstance(texts, str | bytes):
        msg = (
            f"The 'texts' parameter of {caller} must be a sequence of str (one per unit); "
            f"a single {type(texts).__name__} was received."
        )
        raise InvalidParameterError(msg)
    try:
        out = list(texts)  # type: ignore[call-overload]
    except TypeError:
        raise _param_error("texts", caller, "a sequence of str", texts) from None
    for k, t in enumerate(out):
        if not isinstance(t, str):
            msg = (
                f"The 'texts' parameter of {caller} must be a sequence of str. "
                f"Got {type(t).__name__} at position {k} instead."
            )
            raise InvalidParameterError(msg)
    return out


def _unique(a: np.ndarray) -> np.ndarray:
    """Sorted unique values (``np.sort`` + adjacent comparison).

    numpy 2.x's ``np.unique`` switched to a hash table for integers, which is about 50x slower
    than a SIMD sort on the multi-million-element key arrays used here.
    """
    return _dedupe_sorted(np.sort(np.asarray(a)))


# Queries above which _searchsorted sorts them first, and the searched array's size above
# which it does (below it the array stays in the CPU's caches and random order costs little).
_SORTED_QUERIES_MIN = 1 << 12
_SORTED_ARRAY_MIN = 1 << 16


def _searchsorted_sides(a: np.ndarray, v: np.ndarray, sides: tuple[str, ...]) -> list[np.ndarray]:
    """``[np.searchsorted(a, v, side) for side in sides]``, with many queries looked up in
    ascending order.

    A binary search of each of a million random queries in an array of millions misses the
    CPU's caches at nearly every step (about 0.8 µs a query on the 2-core machine of the
    benchmarks); in ascending order the searches stay near the previous one and reuse numpy's
    hint from it: sorting the queries once (for every side) and putting the answers back in
    place is about 15 times faster there. The answers are the same, element for element."""
    v = np.asarray(v)
    if v.ndim != 1 or v.size < _SORTED_QUERIES_MIN or a.size < _SORTED_ARRAY_MIN:
        return [np.searchsorted(a, v, side=side) for side in sides]
    order = np.argsort(v)  # any order of equal queries gives the same answers
    vs = v[order]
    out = []
    for side in sides:
        res = np.empty(v.size, dtype=np.intp)
        res[order] = np.searchsorted(a, vs, side=side)
        out.append(res)
    return out


def _searchsorted(a: np.ndarray, v: np.ndarray, side: str = "left") -> np.ndarray:
    """``np.searchsorted(a, v, side)``, the queries looked up in ascending order when they are
    many (:func:`_searchsorted_sides`)."""
    return _searchsorted_sides(a, v, (side,))[0]


def _equal_range(a: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(np.searchsorted(a, v, "left"), np.searchsorted(a, v, "right"))``: where each query's
    run of equal values in ``a`` starts and ends (one sort of the queries for both sides,
    :func:`_searchsorted_sides`)."""
    lo, hi = _searchsorted_sides(a, v, ("left", "right"))
    return lo, hi


def _dedupe_sorted(s: np.ndarray) -> np.ndarray:
    """The distinct values of an already sorted array (e.g. one sorted in place)."""
    if s.size < 2:
        return s
    keep = np.empty(s.size, dtype=bool)
    keep[0] = True
    np.not_equal(s[1:], s[:-1], out=keep[1:])
    return s[keep]


def _unique_inverse_counts(a: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``np.unique(a, return_inverse=True, return_counts=True)`` through an argsort."""
    a = np.asarray(a)
    order = np.argsort(a)
    s = a[order]
    new = np.empty(s.size, dtype=bool)
    if s.size:
        new[0] = True
        np.not_equal(s[1:], s[:-1], out=new[1:])
    ids = np.cumsum(new) - 1
    inv = np.empty(a.size, dtype=np.int64)
    inv[order] = ids
    starts = np.flatnonzero(new)
    counts = np.diff(np.append(starts, s.size))
    return s[starts], inv, counts


# --------------------------------------------------------------------------------------------
# hashing primitives
# --------------------------------------------------------------------------------------------
def _mix64(z: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser on a ``uint64`` array (returns a new array)."""
    z = z ^ (z >> _S30)
    z *= _M1
    z ^= z >> _S27
    z *= _M2
    z ^= z >> _S31
    return z


@functools.lru_cache(maxsize=1)
def _bmp_tables() -> tuple[np.ndarray, np.ndarray]:
    """Boolean tables (``isalnum``, ``isdecimal``) over the Basic Multilingual Plane."""
    chars = [chr(i) for i in range(_BMP)]
    alnum = np.fromiter((c.isalnum() for c in chars), dtype=bool, count=_BMP)
    dec = np.fromiter((c.isdecimal() for c in chars), dtype=bool, count=_BMP)
    return alnum, dec


def _classify(cp: np.ndarray, which: int) -> np.ndarray:
    """``isalnum`` (``which=0``) or ``isdecimal`` (``which=1``) for an array of code points."""
    table = _bmp_tables()[which]
    out = table[np.minimum(cp, _BMP - 1)]
    high = cp >= _BMP
    if high.any():
        vals, inv = np.unique(cp[high], return_inverse=True)
        if which == 0:
            res = np.array([chr(int(v)).isalnum() for v in vals], dtype=bool)
        else:
            res = np.array([chr(int(v)).isdecimal() for v in vals], dtype=bool)
        out[high] = res[inv]
    return out


def _codepoints(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _symbols(
    cp: np.ndarray, is_start: np.ndarray, *, mask_digits: bool, alnum_only: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Apply digit masking and the alphanumeric filter to concatenated code points.

    Returns ``(symbols, keep, run_end)``: the kept symbols (``uint64``), the boolean keep-mask
    over ``cp`` and, for every position, the (exclusive) end of the source span it stands for
    (``pos + 1`` except at the first digit of a masked run, where it is the end of the run).
    """
    n = cp.shape[0]
    sym = cp.astype(np.uint64)
    keep = np.ones(n, dtype=bool)
    run_end = None
    if mask_digits and n:
        d = _classify(cp, 1)
        if d.any():
            prev_d = np.empty(n, dtype=bool)
            prev_d[0] = False
            prev_d[1:] = d[:-1]
            prev_d &= ~is_start
            next_d = np.empty(n, dtype=bool)
            next_d[-1] = False
            next_d[:-1] = d[1:]
            next_d[:-1] &= ~is_start[1:]
            joiner = np.isin(cp, _DIGIT_JOINERS) & prev_d & next_d
            d = d | joiner
            prev_d = np.empty(n, dtype=bool)
            prev_d[0] = False
            prev_d[1:] = d[:-1]
            prev_d &= ~is_start
            run_start = d & ~prev_d
            keep = ~d | run_start
            sym[run_start] = DIGIT_PLACEHOLDER
            # end of each run: the position after its last digit
            nxt = np.empty(n, dtype=bool)
            nxt[-1] = False
            nxt[:-1] = d[1:] & ~is_start[1:]
            last = d & ~nxt
            run_end = np.arange(1, n + 1, dtype=np.int64)
            run_end[np.flatnonzero(run_start)] = np.flatnonzero(last) + 1
    if alnum_only and n:
        keep &= _classify(cp, 0) | (sym == DIGIT_PLACEHOLDER)
    if run_end is None:
        run_end = np.arange(1, n + 1, dtype=np.int64)
    return sym[keep], keep, run_end


def _window_hashes(sym: np.ndarray, starts: np.ndarray, lengths: np.ndarray, n: int) -> np.ndarray:
    """Hashes of the windows of every text (CSR over texts, in position order).

    ``sym`` holds the concatenated symbols; text ``k`` is ``sym[starts[k]:starts[k]+lengths[k]]``.
    A text gives ``max(len - n + 1, 1)`` windows if non-empty, none otherwise.
    """
    m = _mix64(sym + _GOLDEN)
    cnt = np.where(lengths >= n, lengths - n + 1, (lengths > 0).astype(np.int64))
    total = int(cnt.sum())
    if total == 0:
        return np.empty(0, dtype=np.uint64)
    first = np.cumsum(cnt) - cnt
    pos = np.repeat(starts - first, cnt) + np.arange(total, dtype=np.int64)
    width = np.repeat(np.minimum(lengths, n), cnt).astype(np.uint64)
    padded = np.concatenate([m, np.zeros(n, dtype=np.uint64)])
    size = m.shape[0]
    # fold every position's n-window with contiguous slices, then pick the valid starts
    full = padded[:size].copy()
    for k in range(1, n):
        full *= _POLY
        full += padded[k : size + k]
    h = full[pos]
    short_txt = (lengths > 0) & (lengths < n)
    if short_txt.any():
        # windows of texts shorter than n: fold exactly len symbols
        w_short = np.repeat(short_txt, cnt)
        ps = pos[w_short]
        ls = np.repeat(lengths[short_txt], 1)
        hs = padded[ps].copy()
        for k in range(1, n - 1):
            more = ls > k
            hs[more] = hs[more] * _POLY + padded[ps[more] + k]
        h[w_short] = hs
    h ^= width * _LEN_MUL
    h = _mix64(h)
    h >>= _U64(1)  # 63-bit hashes: valid int64 indices (see intersection_sizes)
    return h


def _sort_unique_segments(h: np.ndarray, cnt: np.ndarray, *, counts: bool = False):
    """Sort and deduplicate ``h`` within consecutive segments of sizes ``cnt``.

    Returns ``(indptr, values)``, plus the multiplicity of each value in its segment when
    ``counts`` is true. Uses one SIMD argsort on a composite key (segment id in the high bits,
    the hash's high bits below), then repairs the rare segments where two hashes share those
    high bits, so the result is exactly sorted.
    """
    n_seg = cnt.shape[0]
    seg = np.repeat(np.arange(n_seg, dtype=np.uint64), cnt)
    ub = max(int(n_seg - 1).bit_length(), 1)
    if ub <= 40:
        key = (seg << _U64(64 - ub)) | (h >> _U64(ub))
        order = np.argsort(key)
        hs = h[order]
    else:  # pragma: no cover - more than 2**40 units in one chunk
        order = np.lexsort((h, seg))
        hs = h[order]
    indptr0 = np.zeros(n_seg + 1, dtype=np.int64)
    np.cumsum(cnt, out=indptr0[1:])
    if hs.size > 1:
        same_seg = seg[1:] == seg[:-1]
        bad = (hs[1:] < hs[:-1]) & same_seg
        if bad.any():
            for s in np.unique(seg[1:][bad]):
                a, b = indptr0[s], indptr0[s + 1]
                hs[a:b] = np.sort(hs[a:b])
        dup = np.zeros(hs.size, dtype=bool)
        dup[1:] = (hs[1:] == hs[:-1]) & same_seg
        if dup.any():
            keep = ~dup
            if counts:  # equal values are adjacent: the run from one kept value to the next
                first = np.flatnonzero(keep)
                mult = np.diff(np.append(first, hs.size)).astype(np.int64)
            hs = hs[keep]
            kc = np.zeros(keep.size + 1, dtype=np.int64)
            np.cumsum(keep, out=kc[1:])
            indptr0 = kc[indptr0]
            if counts:
                return indptr0, hs, mult
    if counts:
        return indptr0, hs, np.ones(hs.size, dtype=np.int64)
    return indptr0, hs


# --------------------------------------------------------------------------------------------
# public API
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ShingleSets:
    """Sorted unique shingle hashes of a batch of units, in CSR layout.

    Attributes
    ----------
    indptr : numpy.ndarray of int64, shape (n_units + 1,)
        Unit ``k`` owns ``hashes[indptr[k]:indptr[k + 1]]``.
    hashes : numpy.ndarray of uint64
        Shingle hashes, sorted ascending and unique within each unit.
    n : int
        The n-gram length used.
    mask_digits, alnum_only : bool
        The options used (see :func:`shingle_texts`).
    empty : numpy.ndarray of int64
        Indices of the units whose shingle set is empty (no symbol left after filtering).
    """

    indptr: np.ndarray
    hashes: np.ndarray
    n: int = 5
    mask_digits: bool = True
    alnum_only: bool = True
    empty: np.ndarray = None  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if self.empty is None:
            object.__setattr__(self, "empty", np.flatnonzero(np.diff(self.indptr) == 0))

    def __len__(self) -> int:
        return int(self.indptr.shape[0] - 1)

    def __getitem__(self, k: int) -> np.ndarray:
        return self.hashes[self.indptr[k] : self.indptr[k + 1]]

    @property
    def sizes(self) -> np.ndarray:
        """Number of distinct shingles per unit (``int64`` array)."""
        return np.diff(self.indptr)

    def take(self, indices: Sequence[int] | np.ndarray) -> ShingleSets:
        """Return the sets of the units ``indices`` (in that order) as a new :class:`ShingleSets`.

        Parameters
        ----------
        indices : array-like of int
            Unit indices.

        Returns
        -------
        ShingleSets
        """
        idx = np.asarray(indices, dtype=np.int64)
        sizes = self.sizes[idx]
        indptr = np.zeros(idx.size + 1, dtype=np.int64)
        np.cumsum(sizes, out=indptr[1:])
        src = np.repeat(self.indptr[idx] - indptr[:-1], sizes) + np.arange(indptr[-1])
        return ShingleSets(indptr, self.hashes[src], self.n, self.mask_digits, self.alnum_only)


@dataclass(frozen=True)
class EncodedText:
    """The symbol sequence of one text, with offsets back into the text.

    Attributes
    ----------
    symbols : numpy.ndarray of uint64
        Code points kept after filtering (a masked digit run is one :data:`DIGIT_PLACEHOLDER`).
    starts, ends : numpy.ndarray of int64
        Symbol ``k`` stands for ``text[starts[k]:ends[k]]`` (one character, or a whole digit run).
    """

    symbols: np.ndarray
    starts: np.ndarray
    ends: np.ndarray


def encode_text(text: str, *, mask_digits: bool = True, alnum_only: bool = True) -> EncodedText:
    """Turn one text into its symbol sequence, keeping character offsets.

    Parameters
    ----------
    text : str
        The text.
    mask_digits : bool, default=True
        Replace each run of digits by one :data:`DIGIT_PLACEHOLDER` symbol.
    alnum_only : bool, default=True
        Keep only alphanumeric characters (and masked digit runs).

    Returns
    -------
    EncodedText
        Symbols plus half-open source spans ``[starts[k], ends[k])`` in ``text``.

    Examples
    --------
    >>> e = encode_text("共35条，")
    >>> e.starts.tolist(), e.ends.tolist()
    ([0, 1, 3], [1, 3, 4])
    """
    caller = "encode_text"
    if not isinstance(text, str):
        raise _param_error("text", caller, "a str", text)
    mask_digits = _check_bool(mask_digits, "mask_digits", caller)
    alnum_only = _check_bool(alnum_only, "alnum_only", caller)
    cp = _codepoints(text)
    is_start = np.zeros(cp.shape[0], dtype=bool)
    if cp.shape[0]:
        is_start[0] = True
    sym, keep, run_end = _symbols(cp, is_start, mask_digits=mask_digits, alnum_only=alnum_only)
    starts = np.flatnonzero(keep).astype(np.int64)
    return EncodedText(sym, starts, run_end[starts])


def ngram_hashes(symbols: np.ndarray, n: int = 5) -> np.ndarray:
    """Hash every n-gram window of one symbol sequence, in position order.

    Parameters
    ----------
    symbols : numpy.ndarray of uint64
        A symbol sequence (e.g. :attr:`EncodedText.symbols`).
    n : int, default=5
        Window length.

    Returns
    -------
    numpy.ndarray of uint64
        ``len(symbols) - n + 1`` hashes (window ``k`` starts at symbol ``k``); one hash of the
        whole sequence if it is shorter than ``n``; none if it is empty. The values equal the
        shingle hashes of :func:`shingle_texts` for the same windows.
    """
    n = _check_int(n, "n", "ngram_hashes")
    sym = np.ascontiguousarray(symbols, dtype=np.uint64)
    return _window_hashes(sym, np.zeros(1, np.int64), np.array([sym.size], np.int64), n)


def shingle_texts(
    texts: Sequence[str], *, n: int = 5, mask_digits: bool = True, alnum_only: bool = True
) -> ShingleSets:
    """Character n-gram shingle sets of a batch of texts, as sorted unique ``uint64`` hashes.

    Parameters
    ----------
    texts : sequence of str
        The units (normalised sentences or passages). A bare ``str`` is rejected.
    n : int, default=5
        The n-gram length in symbols (characters after filtering).
    mask_digits : bool, default=True
        Replace every run of digits (with ``.``/``,`` between digits) by one placeholder symbol,
        so fill-in templates with different numbers match.
    alnum_only : bool, default=True
        Drop every non-alphanumeric character (punctuation, spaces, symbols) before forming
        n-grams, so punctuation variants (``：，`` vs ``:,``) match.

    Returns
    -------
    ShingleSets
        CSR layout: ``indptr`` (int64) and ``hashes`` (uint64, sorted unique within a unit).
        Units with no symbols get an empty set and are listed in ``empty`` (and logged at
        DEBUG level); units shorter than ``n`` get one shingle.

    Raises
    ------
    InvalidParameterError
        If ``texts`` is not a sequence of str or an option has a wrong type or value.

    Examples
    --------
    >>> s = shingle_texts(["政府信息公开工作", "政府信息公开"], n=5)
    >>> s.sizes.tolist()
    [4, 2]
    >>> jaccard(s[0], s[1])
    0.5
    """
    caller = "shingle_texts"
    texts = _check_texts(texts, caller)
    n = _check_int(n, "n", caller)
    mask_digits = _check_bool(mask_digits, "mask_digits", caller)
    alnum_only = _check_bool(alnum_only, "alnum_only", caller)

    indptr, hashes, _ = _shingle_all(texts, n, mask_digits, alnum_only, counts=False)
    out = ShingleSets(indptr, hashes, n, mask_digits, alnum_only)
    if out.empty.size:
        logger.debug("%d of %d units have no shingles (empty after filtering)",
                     out.empty.size, len(out))
    return out


def _shingle_chunk(
    texts: list[str], lens: np.ndarray, n: int, mask_digits: bool, alnum_only: bool,
    counts: bool = False,
):
    cp = _codepoints("".join(texts))
    starts = np.cumsum(lens) - lens
    is_start = np.zeros(cp.shape[0], dtype=bool)
    is_start[starts[lens > 0]] = True
    sym, keep, _ = _symbols(cp, is_start, mask_digits=mask_digits, alnum_only=alnum_only)
    ck = np.zeros(keep.shape[0] + 1, dtype=np.int64)
    np.cumsum(keep, out=ck[1:])
    new_starts = ck[starts]
    new_lens = ck[starts + lens] - new_starts
    h = _window_hashes(sym, new_starts, new_lens, n)
    cnt = np.where(new_lens >= n, new_lens - n + 1, (new_lens > 0).astype(np.int64))
    return _sort_unique_segments(h, cnt, counts=counts)


def shingle_counts(texts: Sequence[str], *, n: int = 5, mask_digits: bool = True,
                   alnum_only: bool = True) -> tuple[ShingleSets, np.ndarray]:
    """The sets of :func:`shingle_texts` plus how often each shingle occurs in its text.

    Returns
    -------
    sets : ShingleSets
        Exactly ``shingle_texts(texts, n=n, ...)``.
    counts : numpy.ndarray of int64
        Aligned with ``sets.hashes``: the number of windows of the text with that hash (the
        term frequency of a character-n-gram vector space).

    Examples
    --------
    >>> sets, counts = shingle_counts(["公开公开公开公开", "公开"], n=2)
    >>> sets.sizes.tolist(), sorted(counts[:2].tolist()), counts[2:].tolist()
    ([2, 1], [3, 4], [1])
    """
    caller = "shingle_counts"
    texts = _check_texts(texts, caller)
    n = _check_int(n, "n", caller)
    mask_digits = _check_bool(mask_digits, "mask_digits", caller)
    alnum_only = _check_bool(alnum_only, "alnum_only", caller)
    indptr, hashes, mult = _shingle_all(texts, n, mask_digits, alnum_only, counts=True)
    return ShingleSets(indptr, hashes, n, mask_digits, alnum_only), mult


def _shingle_all(texts: list[str], n: int, mask_digits: bool, alnum_only: bool, *,
                 counts: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """CSR shingle sets of ``texts`` (plus multiplicities with ``counts``), in chunks of about
    ``_CHUNK_CHARS`` characters so the code-point arrays stay bounded."""
    lens_all = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    csum = np.cumsum(lens_all)
    indptrs: list[np.ndarray] = []
    values: list[np.ndarray] = []
    mults: list[np.ndarray] = []
    offset = lo = 0
    while lo < len(texts):
        base = int(csum[lo - 1]) if lo else 0
        hi = int(np.searchsorted(csum, base + _CHUNK_CHARS, side="right"))
        hi = min(max(hi, lo + 1), len(texts))
        got = _shingle_chunk(texts[lo:hi], lens_all[lo:hi], n, mask_digits, alnum_only,
                             counts=counts)
        ip = got[0]
        indptrs.append(ip[1:] + offset if indptrs else ip + offset)
        values.append(got[1])
        if counts:
            mults.append(got[2])
        offset += int(ip[-1])
        lo = hi
    if not indptrs:
        return (np.zeros(1, dtype=np.int64), np.empty(0, dtype=np.uint64),
                np.empty(0, dtype=np.int64) if counts else None)
    return (np.concatenate(indptrs), np.concatenate(values),
            np.concatenate(mults) if counts else None)


def _as_csr(sets: ShingleSets | tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    if isinstance(sets, ShingleSets):
        return sets.indptr, sets.hashes
    indptr, values = sets
    return np.asarray(indptr, dtype=np.int64), np.asarray(values)


class _Incidence(tuple):
    """CSR sets ``(indptr, values)`` whose sparse incidence matrix :func:`intersection_sizes`
    builds on first use and keeps, for many calls over the same sets (LSH verification, chunk
    after chunk: rebuilding it costs 0.1-0.2 s per chunk at 100,000 reports); likewise their
    bitmaps (:meth:`bitmaps`)."""

    _matrix = None
    _bitmaps = None

    def __new__(cls, sets: ShingleSets | tuple[np.ndarray, np.ndarray]) -> _Incidence:
        return super().__new__(cls, _as_csr(sets))

    def bitmaps(self) -> np.ndarray:
        """:func:`_set_bitmaps` of the sets, computed on first use and kept."""
        if self._bitmaps is None:
            self._bitmaps = _set_bitmaps(self)
        return self._bitmaps


# Bitmap width of _set_bitmaps, in 64-bit words. 512 bits: on the LSH candidates of 10,000
# synthetic reports (69 shingles per sentence on average) the bound of _intersection_bound
# leaves 1.8 % of the candidates for exact verification (1.2 % pass it) with 256 bits 5.4 %,
# with 1,024 bits 1.4 % at twice the cost of the bound.
_BITMAP_WORDS = 8
_BITMAP_SHIFT = _U64(64 - 9)  # 2**9 = 512 = 64 * _BITMAP_WORDS bit positions
# sets whose elements are mapped to bits at once (bounds the temporaries)
_BITMAP_BLOCK = 1 << 22


def _csr_blocks(indptr: np.ndarray, block: int):
    """Blocks of whole consecutive CSR rows holding about ``block`` entries each (at least one
    row): ``(r0, r1, lo, hi)``, rows ``r0 .. r1 - 1`` and their entries ``lo .. hi - 1``, so a
    computation over all the entries can keep temporaries of one block."""
    n = indptr.shape[0] - 1
    r0 = 0
    while r0 < n:
        r1 = int(np.searchsorted(indptr, indptr[r0] + block, side="right")) - 1
        r1 = min(max(r1, r0 + 1), n)
        yield r0, r1, int(indptr[r0]), int(indptr[r1])
        r0 = r1


def _set_bitmaps(sets: ShingleSets | tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """One-hash Bloom bitmaps of the sets: bit ``h(v)`` is set for every element ``v``.

    ``h`` is multiplicative (Fibonacci) hashing of the value to 9 bits, uniform for shingle
    hashes and for small integers (token ranks) alike.

    Returns
    -------
    numpy.ndarray of uint64, shape (_BITMAP_WORDS, n_sets)
        Word ``w`` of every set's bitmap is row ``w`` (a candidate filter gathers one word
        for many sets at a time: contiguous rows are twice as fast as set-major rows).
    """
    indptr, values = _as_csr(sets)
    n = indptr.shape[0] - 1
    out = np.zeros((_BITMAP_WORDS, n), dtype=np.uint64)
    flat = out.reshape(-1)
    for s0, s1, lo, hi in _csr_blocks(indptr, _BITMAP_BLOCK):
        if hi > lo:
            bit = (values[lo:hi].astype(_U64, copy=False) * _GOLDEN) >> _BITMAP_SHIFT
            owner = np.repeat(np.arange(s0, s1, dtype=np.int64), np.diff(indptr[s0:s1 + 1]))
            pos = (bit >> _U64(6)).astype(np.int64) * np.int64(n) + owner
            np.bitwise_or.at(flat, pos, _U64(1) << (bit & _U64(63)))
    return out


def _popcount(x: np.ndarray) -> np.ndarray:
    """Set bits of each uint64, as uint8 (``np.bitwise_count`` from numpy 2.0 on; a byte
    table before)."""
    count = getattr(np, "bitwise_count", None)
    if count is not None:
        return count(x)
    return _popcount_table(x)


def _popcount_table(x: np.ndarray) -> np.ndarray:
    table = np.array([bin(b).count("1") for b in range(256)], dtype=np.uint8)
    b = table[np.ascontiguousarray(x, dtype=np.uint64).view(np.uint8)].reshape(*x.shape, 8)
    return b.sum(axis=-1, dtype=np.uint8)


def _intersection_bound(bitmaps: np.ndarray, sizes: np.ndarray, i: np.ndarray,
                        j: np.ndarray) -> np.ndarray:
    """An upper bound of ``|A_i ∩ A_j|`` from the sets' sizes and bitmaps (:func:`_set_bitmaps`).

    A bit set in one bitmap and not in the other is set by at least one element of that set
    and by none of the other, which is therefore in the symmetric difference; distinct bits
    are distinct elements. So ``|A_i △ A_j| >= popcount(b_i xor b_j)`` and
    ``|A_i ∩ A_j| = (|A_i| + |A_j| - |A_i △ A_j|) / 2 <= (|A_i| + |A_j| - popcount) // 2``.
    The bound is exact for identical sets and never below the true intersection, so pairs
    rejected on it would fail verification anyway (the bitmap filter of Sandes, Teodoro and
    Melo, "Bitmap filter: speeding up exact set similarity joins with bitwise operations",
    Information Systems 88, 2020, doi:10.1016/j.is.2019.101449).

    Returns
    -------
    numpy.ndarray of int64
    """
    x = np.zeros(i.shape[0], dtype=np.uint16)  # at most 64 * _BITMAP_WORDS
    for w in range(bitmaps.shape[0]):
        row = bitmaps[w]
        x += _popcount(row[i] ^ row[j])
    return (sizes[i] + sizes[j] - x.astype(np.int64)) // 2


def intersection_sizes(
    sets: ShingleSets | tuple[np.ndarray, np.ndarray],
    i: np.ndarray,
    j: np.ndarray,
    *,
    chunk_size: int = 1 << 20,
) -> np.ndarray:
    """Exact ``|A_i ∩ A_j|`` for many pairs of sets at once.

    The sets are viewed as the rows of a binary sparse matrix whose column indices are the
    (63-bit) hashes themselves; for a chunk of pairs the rows ``i`` and ``j`` are gathered and
    multiplied element-wise with :mod:`scipy.sparse`, whose compiled merge of two sorted index
    lists is linear in ``|A_i| + |A_j|`` (about 3x faster than a vectorised numpy binary search
    here, with no hand-written compiled code). Chunks hold about ``chunk_size`` set elements.

    Parameters
    ----------
    sets : ShingleSets or tuple (indptr, values)
        CSR sets; values must be sorted, unique within each segment and in ``[0, 2**63 - 1)``
        (shingle hashes are; so are token ranks).
    i, j : array-like of int
        Pair members (same length).
    chunk_size : int, default=2**20
        Approximate number of set elements gathered per chunk (bounds temporary memory).

    Returns
    -------
    numpy.ndarray of int64
        Intersection sizes, one per pair.

    Examples
    --------
    >>> indptr = np.array([0, 3, 5]); values = np.array([1, 4, 9, 4, 9], dtype=np.uint64)
    >>> intersection_sizes((indptr, values), np.array([0]), np.array([1])).tolist()
    [2]
    """
    import scipy.sparse as sp

    indptr, values = _as_csr(sets)
    i = np.asarray(i, dtype=np.int64)
    j = np.asarray(j, dtype=np.int64)
    if i.shape != j.shape:
        msg = "The 'i' and 'j' parameters of intersection_sizes must have the same shape."
        raise InvalidParameterError(msg)
    out = np.zeros(i.shape[0], dtype=np.int64)
    n_units = indptr.shape[0] - 1
    if i.size == 0 or values.size == 0:
        return out
    mat = getattr(sets, "_matrix", None)
    if mat is None:
        if values.dtype == np.uint64:
            cols = values.view(np.int64)  # hashes are < 2**63: the same numbers, no copy
        else:
            cols = values.astype(np.int64, copy=False)
        if int(cols.min()) < 0:
            msg = ("The 'sets' parameter of intersection_sizes must hold values in [0, 2**63 - 1) "
                   "(shingle hashes and token ranks do).")
            raise InvalidParameterError(msg)
        ncols = int(cols.max()) + 1
        mat = sp.csr_matrix(
            (np.ones(cols.size, dtype=np.int8), cols, indptr), shape=(n_units, ncols), copy=False
        )
        mat.has_sorted_indices = True
        if isinstance(sets, _Incidence):
            sets._matrix = mat
    sizes = np.diff(indptr)
    csum = np.cumsum(sizes[i] + sizes[j])
    p0 = 0
    while p0 < i.size:
        base = int(csum[p0 - 1]) if p0 else 0
        p1 = int(np.searchsorted(csum, base + chunk_size, side="right"))
        p1 = min(max(p1, p0 + 1), i.size)
        prod = mat[i[p0:p1]].multiply(mat[j[p0:p1]])
        out[p0:p1] = np.diff(prod.tocsr().indptr)
        p0 = p1
    return out


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Exact Jaccard similarity of two sets given as arrays of hashes.

    Parameters
    ----------
    a, b : numpy.ndarray
        Two sets (duplicates are ignored).

    Returns
    -------
    float
        ``|a ∩ b| / |a ∪ b|`` in [0, 1]; 0.0 if both are empty.

    Examples
    --------
    >>> jaccard(np.array([1, 2, 3]), np.array([2, 3, 4]))
    0.5
    """
    a = _unique(np.asarray(a))
    b = _unique(np.asarray(b))
    inter = np.intersect1d(a, b, assume_unique=True).size
    union = a.size + b.size - inter
    return float(inter / union) if union else 0.0
