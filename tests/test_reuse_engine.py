"""Tests of the low-level reuse engine: shingles, MinHash, LSH, exact all-pairs.

The exact join (``all_pairs``) is checked against brute force; the LSH path is checked against
the exact join (precision 1.0, recall >= 0.95). Seed sentences are read straight from
``corpora/seeds`` and converted with OpenCC ``t2s`` (the normaliser is built elsewhere).
"""

from __future__ import annotations

import hashlib
import importlib.util
import itertools
import logging
import os
import re
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import govtext._shingles as shingles_mod
from govtext._allpairs import Pairs, all_pairs, pair_scores, verify_pairs
from govtext._lsh import (
    band_keys,
    candidate_pairs,
    choose_params,
    collision_probability,
    lsh_pairs,
)
from govtext._minhash import (
    group_duplicates,
    minhash_signatures,
    permutation_params,
    set_fingerprints,
)
from govtext._shingles import (
    DIGIT_PLACEHOLDER,
    encode_text,
    intersection_sizes,
    jaccard,
    ngram_hashes,
    shingle_texts,
)
from govtext.exceptions import InvalidParameterError

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "corpora" / "seeds"
BENCH = ROOT / "benchmarks" / "bench_reuse.py"


# ------------------------------------------------------------------------------------------
# helpers
# ------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _bench():
    spec = importlib.util.spec_from_file_location("bench_reuse", BENCH)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@lru_cache(maxsize=1)
def seed_sentences() -> tuple[str, ...]:
    return tuple(_bench().seed_sentences(SEEDS))


@lru_cache(maxsize=4)
def corpus(n: int) -> tuple[str, ...]:
    return tuple(_bench().make_corpus(n, seed=7))


def ref_shingles(text: str, n: int = 5, mask_digits: bool = True, alnum_only: bool = True):
    """Plain-Python reference: the same shingles as strings."""
    ph = "\U0010ffff"  # stands for the digit placeholder (not in the test alphabets)
    t = re.sub(r"\d+(?:[.,]\d+)*", ph, text) if mask_digits else text
    if alnum_only:
        t = "".join(c for c in t if c.isalnum() or c == ph)
    if not t:
        return set()
    if len(t) < n:
        return {t}
    return {t[k : k + n] for k in range(len(t) - n + 1)}


def ref_jaccard(a: set, b: set) -> float:
    u = len(a | b)
    return len(a & b) / u if u else 0.0


def brute_force_pairs(texts, threshold, n=5):
    sets = [ref_shingles(t, n) for t in texts]
    out = {}
    for i, j in itertools.combinations(range(len(texts)), 2):
        if sets[i] and sets[j]:
            s = ref_jaccard(sets[i], sets[j])
            if s >= threshold:
                out[(i, j)] = s
    return out


def pair_set(p: Pairs) -> set[tuple[int, int]]:
    return set(zip(p.i.tolist(), p.j.tolist()))


HAN = "政府信息公开工作年度报告本机关主动依申请处理行政复议诉讼情况我镇区县市"
ALPHABET = HAN + "0123456789.,，。：:、 ab" + "\U00020000"
texts_strategy = st.lists(st.text(alphabet=ALPHABET, max_size=30), min_size=1, max_size=12)


# ------------------------------------------------------------------------------------------
# shingles
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "n", "mask_digits", "alnum_only", "size"),
    [
        ("政府信息公开工作", 5, True, True, 4),
        ("政府信息", 5, True, True, 1),  # shorter than n: one shingle, never dropped
        ("政", 5, True, True, 1),
        ("", 5, True, True, 0),
        ("，。：、  ", 5, True, True, 0),  # nothing alphanumeric left
        ("，。：、", 5, True, False, 1),
        ("本年主动公开信息35条", 5, True, True, 6),
        ("本年主动公开信息35条", 5, False, True, 7),
        ("共1,234.5万元", 3, True, True, 2),  # one digit run: 共#万元
        ("政府信息公开工作", 1, True, True, 8),
        ("工作工作工作", 2, True, True, 2),  # duplicates inside a unit are removed
    ],
)
def test_shingle_sizes(text, n, mask_digits, alnum_only, size):
    s = shingle_texts([text], n=n, mask_digits=mask_digits, alnum_only=alnum_only)
    assert s.sizes.tolist() == [size]
    assert len(ref_shingles(text, n, mask_digits, alnum_only)) == size
    assert s.empty.tolist() == ([0] if size == 0 else [])


@pytest.mark.parametrize(
    ("a", "b", "mask_digits", "equal"),
    [
        ("本年主动公开信息35条", "本年主动公开信息128条", True, True),
        ("本年主动公开信息35条", "本年主动公开信息128条", False, False),
        ("收费金额1.5万元", "收费金额12,000.75万元", True, True),
        ("第3项和第4项", "第34项", True, False),  # two runs stay two placeholders
    ],
)
def test_mask_digits(a, b, mask_digits, equal):
    s = shingle_texts([a, b], mask_digits=mask_digits)
    assert np.array_equal(s[0], s[1]) is equal


def test_punctuation_variants_match_when_alnum_only():
    a = "本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和"
    b = "本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和"
    s = shingle_texts([a, b])
    assert jaccard(s[0], s[1]) == 1.0
    s = shingle_texts([a, b], alnum_only=False)
    assert jaccard(s[0], s[1]) < 0.8


def test_digit_runs_do_not_merge_across_units():
    batch = shingle_texts(["年度12", "34年度"], n=2)
    single = [shingle_texts([t], n=2)[0] for t in ["年度12", "34年度"]]
    for k in range(2):
        assert np.array_equal(batch[k], single[k])


def test_hashes_sorted_unique_63bit():
    s = shingle_texts(list(seed_sentences()[:300]))
    assert s.hashes.dtype == np.uint64 and s.indptr.dtype == np.int64
    assert int(s.hashes.max()) < 2**63
    for k in range(len(s)):
        h = s[k]
        assert np.all(h[1:] > h[:-1])


def test_chunking_does_not_change_result(monkeypatch):
    texts = list(seed_sentences()[:200])
    whole = shingle_texts(texts)
    monkeypatch.setattr(shingles_mod, "_CHUNK_CHARS", 97)
    chunked = shingle_texts(texts)
    assert np.array_equal(whole.indptr, chunked.indptr)
    assert np.array_equal(whole.hashes, chunked.hashes)


def test_ngram_hashes_match_shingles():
    e = encode_text("政府信息公开工作年度报告")
    h = ngram_hashes(e.symbols, 5)
    s = shingle_texts(["政府信息公开工作年度报告"])
    assert np.array_equal(np.sort(h), s[0])
    assert ngram_hashes(e.symbols[:3], 5).size == 1
    assert ngram_hashes(e.symbols[:0], 5).size == 0


def test_encode_text_offsets():
    e = encode_text("共 35 条，合计1,200元")
    assert e.symbols.tolist() == [ord("共"), DIGIT_PLACEHOLDER, ord("条"), ord("合"), ord("计"),
                                  DIGIT_PLACEHOLDER, ord("元")]
    assert list(zip(e.starts.tolist(), e.ends.tolist())) == [
        (0, 1), (2, 4), (5, 6), (7, 8), (8, 9), (9, 14), (14, 15)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=texts_strategy, n=st.integers(1, 6), mask=st.booleans(), alnum=st.booleans())
def test_shingles_match_python_reference(texts, n, mask, alnum):
    s = shingle_texts(texts, n=n, mask_digits=mask, alnum_only=alnum)
    refs = [ref_shingles(t, n, mask, alnum) for t in texts]
    assert s.sizes.tolist() == [len(r) for r in refs]
    assert s.empty.tolist() == [k for k, r in enumerate(refs) if not r]
    for i, j in itertools.combinations(range(len(texts)), 2):
        assert jaccard(s[i], s[j]) == pytest.approx(ref_jaccard(refs[i], refs[j]))


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"texts": "政府信息公开"}, "sequence of str"),
        ({"texts": ["a", 3]}, "Got int at position 1"),
        ({"texts": ["a"], "n": 0}, "The 'n' parameter of shingle_texts must be an int >= 1"),
        ({"texts": ["a"], "n": 2.5}, "'n' parameter"),
        ({"texts": ["a"], "mask_digits": "yes"}, "'mask_digits' parameter .* must be a bool"),
        ({"texts": ["a"], "alnum_only": None}, "'alnum_only' parameter"),
    ],
)
def test_shingle_parameter_errors(kwargs, match):
    texts = kwargs.pop("texts")
    with pytest.raises(InvalidParameterError, match=match):
        shingle_texts(texts, **kwargs)


# ------------------------------------------------------------------------------------------
# set similarity
# ------------------------------------------------------------------------------------------
sets_strategy = st.lists(st.frozensets(st.integers(0, 40), max_size=25), min_size=2, max_size=10)


def _csr(sets):
    indptr = np.zeros(len(sets) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(s) for s in sets])
    values = np.concatenate([np.array(sorted(s), dtype=np.uint64) for s in sets]
                            + [np.empty(0, np.uint64)])
    return indptr, values


@settings(max_examples=80, deadline=None)
@given(sets=sets_strategy)
def test_jaccard_symmetric_bounded_exact(sets):
    csr = _csr(sets)
    i, j = np.array(list(itertools.product(range(len(sets)), repeat=2))).T
    inter, jac, con = pair_scores(csr, i, j)
    inter2, jac2, _ = pair_scores(csr, j, i)
    assert np.array_equal(inter, inter2) and np.array_equal(jac, jac2)
    assert np.all((jac >= 0) & (jac <= 1)) and np.all((con >= 0) & (con <= 1))
    assert np.all(jac <= con + 1e-12)
    for k in range(i.size):
        a, b = sets[i[k]], sets[j[k]]
        assert inter[k] == len(a & b)
        assert jac[k] == pytest.approx(ref_jaccard(a, b))
        assert jaccard(np.array(sorted(a)), np.array(sorted(b))) == pytest.approx(ref_jaccard(a, b))


def test_intersection_sizes_large_random():
    s = shingle_texts(list(corpus(3000)))
    rng = np.random.default_rng(3)
    i, j = rng.integers(0, len(s), (2, 2000))
    inter = intersection_sizes(s, i, j, chunk_size=500)
    expect = [np.intersect1d(s[a], s[b]).size for a, b in zip(i, j)]
    assert inter.tolist() == expect
    # sets wrapped for many calls: the sparse matrix is built once and kept, same results
    from govtext._shingles import _Incidence

    inc = _Incidence(s)
    assert inc._matrix is None
    assert intersection_sizes(inc, i[:1000], j[:1000]).tolist() == expect[:1000]
    built = inc._matrix
    assert built is not None
    assert intersection_sizes(inc, i[1000:], j[1000:], chunk_size=500).tolist() == expect[1000:]
    assert inc._matrix is built
    assert verify_pairs(inc, i, j, threshold=0.3).i.tolist() == verify_pairs(s, i, j, threshold=0.3).i.tolist()


big_sets_strategy = st.lists(
    st.frozensets(st.one_of(st.integers(0, 60), st.integers(0, 2**63 - 2)), max_size=80),
    min_size=2, max_size=8)


@settings(max_examples=120, deadline=None)
@given(sets=big_sets_strategy)
def test_intersection_bound_never_below_intersection(sets):
    # the bitmap bound is an upper bound of every intersection (small token ranks and 63-bit
    # hashes alike), exact for a set with itself
    from govtext._shingles import _intersection_bound, _popcount_table, _set_bitmaps

    csr = _csr(sets)
    bm = _set_bitmaps(csr)
    assert bm.shape == (shingles_mod._BITMAP_WORDS, len(sets)) and bm.dtype == np.uint64
    assert [int(_popcount_table(bm[:, k]).sum()) <= len(sets[k]) for k in range(len(sets))] == [True] * len(sets)
    i, j = np.array(list(itertools.product(range(len(sets)), repeat=2))).T
    ub = _intersection_bound(bm, np.diff(csr[0]), i, j)
    truth = np.array([len(sets[a] & sets[b]) for a, b in zip(i, j)])
    assert np.all(ub >= truth)
    assert np.array_equal(ub[i == j], truth[i == j])
    # the byte-table popcount (numpy < 2) counts as numpy's
    if hasattr(np, "bitwise_count"):
        assert np.array_equal(_popcount_table(bm), np.bitwise_count(bm))


def test_set_bitmaps_blocks_and_bits(monkeypatch):
    from govtext._shingles import _set_bitmaps

    s = shingle_texts(list(corpus(300)))
    whole = _set_bitmaps(s)
    monkeypatch.setattr(shingles_mod, "_BITMAP_BLOCK", 7)  # blocks of one or two sets
    assert np.array_equal(_set_bitmaps(s), whole)
    # every set's bits are those of its own elements: a set's bitmap is the OR of singletons'
    k = 5
    one = [_set_bitmaps((np.array([0, 1]), s[k][m:m + 1])) for m in range(len(s[k]))]
    assert np.array_equal(np.bitwise_or.reduce(np.stack(one), axis=0)[:, 0], whole[:, k])


@pytest.mark.parametrize("measure", ["jaccard", "containment"])
@pytest.mark.parametrize("threshold", [0.3, 0.5, 0.8])
def test_verify_pairs_bitmap_filter_keeps_every_pair(measure, threshold, monkeypatch):
    # the bitmap filter drops candidates before the exact intersection, never a pair that
    # verifies: same pairs and scores as without it, and as brute force
    import govtext._allpairs as ap
    from govtext._shingles import _Incidence

    s = shingle_texts(list(corpus(1500)))
    rng = np.random.default_rng(11)
    i, j = rng.integers(0, len(s), (2, 6000))
    i[:300] = j[:300] = 0  # self-pairs are dropped either way
    inc = _Incidence(s)
    fast = verify_pairs(inc, i, j, threshold=threshold, measure=measure)
    assert inc._bitmaps is not None and verify_pairs(inc, i, j, threshold=threshold,
                                                     measure=measure).i.size == fast.i.size
    built = inc._bitmaps
    verify_pairs(inc, i[:10], j[:10], threshold=threshold, measure=measure)
    assert inc._bitmaps is built  # computed once for the sets
    assert fast.stats["n_bitmap_filtered"] > 0
    plain = verify_pairs((s.indptr, s.hashes), i, j, threshold=threshold, measure=measure)
    assert plain.stats["n_bitmap_filtered"] == fast.stats["n_bitmap_filtered"]
    monkeypatch.setattr(ap, "_BITMAP_MIN_CANDIDATES", 10**9)
    slow = verify_pairs((s.indptr, s.hashes), i, j, threshold=threshold, measure=measure)
    assert slow.stats["n_bitmap_filtered"] == 0
    for c in ("i", "j", "intersection", "jaccard", "containment"):
        assert np.array_equal(getattr(fast, c), getattr(slow, c)), c
        assert np.array_equal(getattr(plain, c), getattr(slow, c)), c
    sets = [frozenset(s[k].tolist()) for k in range(len(s))]
    expect = set()
    for a, b in zip(i.tolist(), j.tolist()):
        if a != b and sets[a] and sets[b]:
            inter = len(sets[a] & sets[b])
            score = (inter / len(sets[a] | sets[b]) if measure == "jaccard"
                     else inter / min(len(sets[a]), len(sets[b])))
            if score >= threshold:
                expect.add((min(a, b), max(a, b)))
    assert pair_set(fast) == expect


@pytest.mark.parametrize(("i", "j", "expect"), [
    ([0, 0, 1], [1, 2, 2], ([0, 0, 1], [1, 2, 2])),  # canonical: kept as given
    ([1, 0, 2, 0], [0, 1, 1, 2], ([0, 0, 1], [1, 2, 2])),  # reversed and repeated
    ([0, 1, 0], [2, 2, 1], ([0, 0, 1], [1, 2, 2])),  # unsorted
    ([2, 1], [2, 1], ([], [])),  # self-pairs
])
def test_canonical_unique(i, j, expect):
    from govtext._allpairs import _canonical_unique

    a, b = _canonical_unique(np.array(i, dtype=np.int64), np.array(j, dtype=np.int64), 3)
    assert (a.tolist(), b.tolist()) == expect


def test_verify_pairs_containment():
    s = shingle_texts(["政府信息公开工作年度报告", "政府信息公开工作", "工作年度报告"])
    p = verify_pairs(s, [0, 0, 1], [1, 2, 2], threshold=0.9, measure="containment")
    assert pair_set(p) == {(0, 1), (0, 2)}
    assert p.containment.tolist() == [1.0, 1.0]
    assert verify_pairs(s, [0, 0], [1, 2], threshold=0.9, measure="jaccard").i.size == 0
    with pytest.raises(InvalidParameterError, match="'measure' parameter of verify_pairs"):
        verify_pairs(s, [0], [1], measure="cosine")


# ------------------------------------------------------------------------------------------
# MinHash and duplicates
# ------------------------------------------------------------------------------------------
def test_signature_shape_dtype_and_empty_rows():
    s = shingle_texts(["政府信息公开工作年度报告", "", "依申请公开"])
    sig = minhash_signatures(s, num_perm=32)
    assert sig.shape == (3, 32) and sig.dtype == np.uint32
    assert np.all(sig[1] == np.iinfo(np.uint32).max)
    assert not np.any(sig[0] == np.iinfo(np.uint32).max)
    sig64 = minhash_signatures(s, num_perm=32, dtype=np.uint64)
    assert sig64.dtype == np.uint64
    assert np.array_equal(sig64[[0, 2]] >> np.uint64(32), sig[[0, 2]].astype(np.uint64))


@pytest.mark.parametrize("chunk_size", [1, 7, 128, 1 << 20])
def test_signatures_independent_of_chunking(chunk_size):
    s = shingle_texts(list(seed_sentences()[:100]) + [""])
    ref = minhash_signatures(s, num_perm=16, random_state=5)
    assert np.array_equal(minhash_signatures(s, num_perm=16, random_state=5,
                                             chunk_size=chunk_size), ref)


def test_signatures_depend_only_on_random_state():
    s = shingle_texts(list(seed_sentences()[:50]))
    a = minhash_signatures(s, random_state=1)
    assert np.array_equal(a, minhash_signatures(s, random_state=1))
    assert not np.array_equal(a, minhash_signatures(s, random_state=2))
    a1, b1 = permutation_params(8, 1)
    a2, b2 = permutation_params(8, np.random.default_rng(1))
    assert np.array_equal(a1, a2) and np.array_equal(b1, b2)


def test_minhash_estimates_jaccard_without_bias():
    s = shingle_texts(list(corpus(3000)))
    exact = all_pairs(s, threshold=0.3)
    sig = minhash_signatures(s, num_perm=128)
    est = (sig[exact.i] == sig[exact.j]).mean(axis=1)
    err = est - exact.jaccard
    assert exact.i.size > 1000
    assert abs(err.mean()) < 0.01
    # per-pair spread close to the binomial standard deviation
    expected_sd = np.sqrt(exact.jaccard * (1 - exact.jaccard) / 128).mean()
    assert err.std() < 1.25 * expected_sd


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"num_perm": 0}, "'num_perm' parameter of minhash_signatures"),
        ({"random_state": -1}, "'random_state' parameter"),
        ({"random_state": "x"}, "'random_state' parameter"),
        ({"dtype": np.float64}, "'dtype' parameter"),
    ],
)
def test_minhash_parameter_errors(kwargs, match):
    with pytest.raises(InvalidParameterError, match=match):
        minhash_signatures(shingle_texts(["政府信息"]), **kwargs)


def test_group_duplicates():
    texts = ["本年主动公开信息35条", "", "依申请公开", "本年主动公开信息128条。", "依申请公开",
             "其他事项", ""]
    g = group_duplicates(shingle_texts(texts))
    assert g.representative.tolist() == [0, -1, 2, 0, 2, 5, -1]
    assert g.reps.tolist() == [0, 2, 5]
    assert g.members.tolist() == [0, 3, 2, 4, 5]
    assert g.sizes.tolist() == [2, 2, 1]
    assert g.n_duplicates == 2
    fp = set_fingerprints(shingle_texts(texts))
    assert fp.dtype == np.uint64 and np.array_equal(fp[0], fp[3])


# ------------------------------------------------------------------------------------------
# LSH parameters
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("threshold", [0.5, 0.6, 0.7, 0.8, 0.9])
@pytest.mark.parametrize("target", [0.95, 0.99])
def test_choose_params_meets_recall_constraint(threshold, target):
    p = choose_params(threshold, 128, target_recall=target)
    assert p.bands * p.rows <= 128
    assert p.recall_at_threshold >= target
    assert collision_probability(threshold, p.bands, p.rows) == pytest.approx(
        p.recall_at_threshold)
    m = choose_params(threshold, 128, target_recall=target, recall_mode="mean")
    assert m.mean_recall >= target
    assert m.false_positive_area <= p.false_positive_area


def test_choose_params_beats_datasketch_recall_at_threshold():
    from datasketch.lsh import _optimal_param

    b, r = _optimal_param(0.8, 128, 0.5, 0.5)
    ours = choose_params(0.8, 128)
    assert ours.recall_at_threshold > collision_probability(0.8, b, r) + 0.3


def test_choose_params_infeasible_warns(caplog):
    with caplog.at_level(logging.WARNING, logger="govtext._lsh"):
        p = choose_params(0.9, 2, target_recall=0.999)
    assert "no bands x rows" in caplog.text
    assert (p.bands, p.rows) == (2, 1)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"threshold": 0.0}, "'threshold' parameter of choose_params must be a float in \\(0"),
        ({"threshold": 1.5}, "'threshold' parameter"),
        ({"target_recall": 0}, "'target_recall' parameter"),
        ({"recall_mode": "max"}, "'recall_mode' parameter"),
    ],
)
def test_choose_params_errors(kwargs, match):
    with pytest.raises(InvalidParameterError, match=match):
        choose_params(**kwargs)


def test_band_keys_equal_iff_band_equal():
    sig = np.array([[1, 2, 3, 4], [1, 2, 9, 9], [7, 2, 3, 4]], dtype=np.uint32)
    k = band_keys(sig, 2, 2)
    assert k.shape == (2, 3)
    assert k[0, 0] == k[0, 1] and k[0, 0] != k[0, 2]
    assert k[1, 0] == k[1, 2] and k[1, 0] != k[1, 1]
    with pytest.raises(InvalidParameterError, match="bands \\* rows <= num_perm"):
        band_keys(sig, 3, 2)


# ------------------------------------------------------------------------------------------
# exact all-pairs vs brute force; LSH vs exact
# ------------------------------------------------------------------------------------------
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(st.text(alphabet=HAN[:12] + "12，", max_size=14), min_size=2, max_size=14),
       threshold=st.sampled_from([0.2, 0.5, 0.8, 1.0]))
def test_all_pairs_equals_brute_force(texts, threshold):
    got = all_pairs(shingle_texts(texts), threshold=threshold)
    want = brute_force_pairs(texts, threshold)
    assert pair_set(got) == set(want)
    for i, j, s in zip(got.i.tolist(), got.j.tolist(), got.jaccard.tolist()):
        assert s == pytest.approx(want[(i, j)])


@pytest.mark.parametrize("threshold", [0.5, 0.7, 0.9])
def test_all_pairs_on_seed_sentences_equals_brute_force(threshold):
    texts = list(seed_sentences())
    got = all_pairs(shingle_texts(texts), threshold=threshold)
    assert pair_set(got) == set(brute_force_pairs(texts, threshold))


def test_all_pairs_finds_reuse_inside_the_traditional_compilation():
    # seed 003 holds eight township reports that copy each other's sentences
    texts = list(seed_sentences())
    p = all_pairs(shingle_texts(texts), threshold=0.8)
    assert len(p) >= 20
    assert any("政府信息公开" in texts[i] for i in p.i.tolist())


@pytest.mark.parametrize("threshold", [0.5, 0.8])
def test_lsh_pairs_subset_of_exact_with_high_recall(threshold):
    texts = list(corpus(4000))
    s = shingle_texts(texts)
    exact = all_pairs(s, threshold=threshold)
    approx = lsh_pairs(s, threshold=threshold)
    assert len(exact) > 500
    got, want = pair_set(approx), pair_set(exact)
    assert got <= want  # precision 1.0 after verification
    assert len(got & want) / len(want) >= 0.95
    # scores of shared pairs are the exact ones
    ek = dict(zip(zip(exact.i.tolist(), exact.j.tolist()), exact.jaccard.tolist()))
    assert all(ek[k] == v for k, v in zip(zip(approx.i.tolist(), approx.j.tolist()),
                                          approx.jaccard.tolist()))
    assert approx.stats["recall_at_threshold"] >= 0.95


def test_lsh_pairs_sorted_oriented_unique():
    p = lsh_pairs(shingle_texts(list(corpus(2000))), threshold=0.6)
    assert np.all(p.i < p.j)
    key = p.keys(2000)
    assert np.all(key[1:] > key[:-1])


def test_lsh_duplicates_expand_to_all_members():
    texts = ["本机关全年主动公开政府信息35条"] * 50 + ["申请人要求撤回申请"] + [
        "本机关全年主动公开政府信息12条。"]
    p = lsh_pairs(shingle_texts(texts), threshold=0.9)
    assert len(p) == 51 * 50 // 2
    assert p.stats["n_distinct"] == 2
    assert np.all(p.jaccard == 1.0)


def test_bucket_cap_is_reported_and_stays_precise():
    texts = list(corpus(2000))
    s = shingle_texts(texts)
    exact = pair_set(all_pairs(s, threshold=0.5))
    capped = lsh_pairs(s, threshold=0.5, max_bucket_size=3)
    assert capped.stats["n_oversized_buckets"] > 0
    assert capped.stats["n_pairs_skipped"] > 0
    assert pair_set(capped) <= exact
    uncapped = lsh_pairs(s, threshold=0.5, max_bucket_size=None)
    assert uncapped.stats["n_pairs_skipped"] == 0
    assert pair_set(capped) <= pair_set(uncapped)


def test_candidate_pairs_all_pairs_in_bucket():
    sig = np.zeros((4, 4), dtype=np.uint32)
    sig[3] = 9
    i, j, stats = candidate_pairs(sig, bands=2, rows=2)
    assert list(zip(i.tolist(), j.tolist())) == [(0, 1), (0, 2), (1, 2)]
    assert stats["max_bucket"] == 3 and stats["n_band_pairs"] == 6


def _reference_candidates(sig, bands, rows, cap):
    """Candidate pairs by the documented rule, one band and one bucket at a time in Python:
    every pair of a bucket of at most ``cap`` members, else the members ordered by the keys of
    up to 4 other bands (then by index) linked to their next ``cap - 1`` neighbours."""
    keys = band_keys(sig, bands, rows)
    out = set()
    for k in range(bands):
        buckets = {}
        for u, key in enumerate(keys[k].tolist()):
            buckets.setdefault(key, []).append(u)
        for mem in buckets.values():
            if cap is None or len(mem) <= cap:
                out.update(itertools.combinations(mem, 2))
                continue
            others = [keys[(k + d) % bands] for d in range(1, min(bands - 1, 4) + 1)]
            mem = sorted(mem, key=lambda u: (*(o[u] for o in others), u))
            for a in range(len(mem)):
                for b in range(a + 1, min(a + cap, len(mem))):
                    out.add((min(mem[a], mem[b]), max(mem[a], mem[b])))
    return sorted(out)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(n=st.integers(0, 40), values=st.integers(1, 4), bands=st.integers(1, 4),
       rows=st.integers(1, 3), cap=st.sampled_from([None, 2, 3, 5]),
       chunk=st.sampled_from([1, 2, 7, 1 << 30]), seed=st.integers(0, 2**16))
def test_candidate_chunks_equal_the_whole_candidate_list(n, values, bands, rows, cap, chunk, seed):
    """The streamed candidates (by ranges of the smaller member), chunk size whatever, are the
    sorted unique pairs of the documented bucket rule, oversized buckets included."""
    from govtext._lsh import _band_index, _candidate_chunks

    rng = np.random.default_rng(seed)
    sig = rng.integers(0, values, size=(n, bands * rows)).astype(np.uint32)
    i, j, stats = candidate_pairs(sig, bands=bands, rows=rows, max_bucket_size=cap)
    ref = _reference_candidates(sig, bands, rows, cap)
    assert list(zip(i.tolist(), j.tolist())) == ref
    assert stats["n_candidates"] == len(ref)
    assert i.dtype == j.dtype == np.int64
    index = _band_index(band_keys(sig, bands, rows), cap)
    assert index.stats == {k: v for k, v in stats.items() if k != "n_candidates"}
    chunks = list(_candidate_chunks(index, chunk))
    assert all(c[0].size for c in chunks)  # no empty chunk
    got = [(a, b) for ci, cj in chunks for a, b in zip(ci.tolist(), cj.tolist())]
    assert got == ref
    if chunk == 1:  # a chunk per smaller member (a bound of 1 pair is exceeded by any unit)
        assert len(chunks) == len({a for a, _ in ref})


def test_candidate_pairs_stats_with_oversized_buckets():
    sig = np.zeros((6, 2), dtype=np.uint32)  # one bucket of 6 in each of 2 bands
    i, j, stats = candidate_pairs(sig, bands=2, rows=1, max_bucket_size=3)
    # each member linked to the next cap - 1 = 2 of the window: 2+2+2+2+1 = 9 of 15 a band
    assert stats["n_band_pairs"] == 18 and stats["n_pairs_skipped"] == 2 * (15 - 9)
    assert stats["n_oversized_buckets"] == 2 and stats["max_bucket"] == 6
    assert stats["n_candidates"] == 9 == i.size
    assert ((j - i) <= 2).all()


def test_lsh_pairs_in_small_blocks_and_chunks_equal_one_block(monkeypatch):
    """Signatures computed a block of sets at a time (a Generator drawn from once) and
    candidates verified chunk by chunk give the pairs and stats of a single pass."""
    import govtext._lsh as lsh_mod
    import govtext._minhash as minhash_mod

    s = shingle_texts(list(corpus(600)))
    kw = {"threshold": 0.5, "max_bucket_size": 4}
    one = lsh_pairs(s, random_state=np.random.default_rng(7), **kw)
    ref_rng = np.random.default_rng(7)
    permutation_params(128, ref_rng)  # what one call draws
    monkeypatch.setattr(lsh_mod, "_SIGNATURE_BLOCK", 37)
    monkeypatch.setattr(lsh_mod, "_CANDIDATE_CHUNK", 50)
    monkeypatch.setattr(minhash_mod, "_CHECK_BLOCK", 13)
    g = np.random.default_rng(7)
    many = lsh_pairs(s, random_state=g, **kw)
    assert g.integers(0, 2**62) == ref_rng.integers(0, 2**62)  # drawn from once, like one call
    assert one.stats["n_oversized_buckets"] > 0 and len(one) > 0
    assert list(one.stats.items()) == list(many.stats.items())
    for c in ("i", "j", "intersection", "jaccard", "containment"):
        assert getattr(one, c).dtype == getattr(many, c).dtype
        np.testing.assert_array_equal(getattr(one, c), getattr(many, c))
    assert pair_set(many) == pair_set(lsh_pairs(s, random_state=7, **kw))


def test_group_duplicates_checks_fingerprint_collisions_in_blocks(monkeypatch, caplog):
    """Equal fingerprints of different sets (forced here) are told apart by the exact check,
    done in blocks of hashes."""
    import govtext._minhash as minhash_mod

    texts = ["依申请公开", "政务公开", "依申请公开", "信息公开", "政务公开", "依申请公开", ""]
    s = shingle_texts(texts)
    right = group_duplicates(s)
    monkeypatch.setattr(minhash_mod, "_CHECK_BLOCK", 3)
    monkeypatch.setattr(minhash_mod, "set_fingerprints",
                        lambda sets: np.zeros((len(sets[0]) - 1, 2), dtype=np.uint64))
    with caplog.at_level(logging.WARNING, logger="govtext._minhash"):
        g = group_duplicates(s)
    assert "fingerprint collisions" in caplog.text
    # the sets are kept apart: no unit is grouped with a different set
    for u, r in enumerate(g.representative.tolist()):
        assert r == -1 or texts[u] == texts[r]
    assert right.representative.tolist() == [0, 1, 0, 3, 1, 0, -1]


def test_lsh_parameter_errors():
    s = shingle_texts(["政府信息公开"])
    with pytest.raises(InvalidParameterError, match="'params' parameter of lsh_pairs"):
        lsh_pairs(s, params=(100, 100))
    with pytest.raises(InvalidParameterError, match="'max_bucket_size' parameter"):
        lsh_pairs(s, max_bucket_size=1)
    with pytest.raises(InvalidParameterError, match="'threshold' parameter of lsh_pairs"):
        lsh_pairs(s, threshold=-0.1)


def test_short_and_empty_units_in_pairs():
    texts = ["", "政府", "政府", "，。", "政府信息"]
    s = shingle_texts(texts)
    for p in (all_pairs(s, threshold=0.5), lsh_pairs(s, threshold=0.5)):
        assert pair_set(p) == {(1, 2)}  # empties never pair; short texts pair when equal


# ------------------------------------------------------------------------------------------
# determinism across processes
# ------------------------------------------------------------------------------------------
_DETERMINISM_SCRIPT = r"""
import hashlib, sys
sys.path.insert(0, {bench_dir!r})
import bench_reuse
from govtext._shingles import shingle_texts
from govtext._minhash import minhash_signatures
from govtext._lsh import lsh_pairs
texts = bench_reuse.make_corpus(1500, seed=3)
s = shingle_texts(texts)
sig = minhash_signatures(s, num_perm=64, random_state=11)
p = lsh_pairs(s, threshold=0.7, random_state=11)
h = hashlib.sha256()
for arr in (s.indptr, s.hashes, sig, p.i, p.j, p.intersection, p.jaccard):
    h.update(arr.tobytes())
print(h.hexdigest(), len(p))
"""


def test_byte_identical_across_processes_with_different_hash_seeds():
    script = _DETERMINISM_SCRIPT.format(bench_dir=str(BENCH.parent))
    outs = []
    for seed in ("0", "12345"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        res = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                             env=env, cwd=ROOT, timeout=120, check=True)
        outs.append(res.stdout.strip())
    assert outs[0] == outs[1]
    assert int(outs[0].split()[1]) > 0
    assert len(hashlib.sha256(outs[0].encode()).hexdigest()) == 64


# ------------------------------------------------------------------------------------------
# benchmark smoke test (accuracy only, never timings)
# ------------------------------------------------------------------------------------------
def test_benchmark_quick_smoke():
    res = subprocess.run([sys.executable, str(BENCH), "--quick"], capture_output=True,
                         text=True, cwd=ROOT, timeout=300, check=True)
    recall_lines = [ln for ln in res.stdout.splitlines() if "recall" in ln]
    assert any(ln.startswith("govtext:") for ln in recall_lines)
    assert any(ln.startswith("datasketch:") for ln in recall_lines)
    ours = re.search(r"govtext:\s+recall ([0-9.]+)\s+precision ([0-9.]+)", res.stdout)
    assert ours is not None
    assert float(ours.group(1)) >= 0.95 and float(ours.group(2)) == 1.0


# ------------------------------------------------------------------------------------------
# sparse average linkage (families beyond 10,000 reports)
# ------------------------------------------------------------------------------------------
def _same_partition(a, b) -> bool:
    a, b = np.asarray(a), np.asarray(b)
    pairs = {(x, y) for x, y in zip(a.tolist(), b.tolist())}
    return len(pairs) == len(set(a.tolist())) == len(set(b.tolist()))


@settings(max_examples=150, deadline=None)
@given(n=st.integers(1, 14), density=st.floats(0.0, 1.0), cut=st.floats(0.05, 0.95),
       seed=st.integers(0, 2**32 - 1))
def test_sparse_average_clusters_equal_scipy_average_linkage(n, density, cut, seed):
    # with every positive pair given, the clusters are scipy's average linkage (UPGMA) on
    # 1 - similarity, cut at 1 - min_similarity
    from hypothesis import assume
    from scipy.cluster.hierarchy import fcluster, linkage

    from govtext._linkage import sparse_average_clusters

    rng = np.random.default_rng(seed)
    iu, ju = np.triu_indices(n, k=1)
    sim = rng.random(iu.size) * (rng.random(iu.size) < density)
    got = sparse_average_clusters(n, iu, ju, sim, cut)
    assert got.dtype == np.int64 and got.shape == (n,)
    # numbered by first member
    firsts = [int(np.flatnonzero(got == c)[0]) for c in range(int(got.max()) + 1)]
    assert firsts == sorted(firsts)
    if n < 2:
        assert got.tolist() == [0] * n
        return
    z = linkage(1.0 - sim, method="average")
    assume(np.all(np.abs(z[:, 2] - (1.0 - cut)) > 1e-9))  # no merge at the cut itself
    expect = fcluster(z, t=1.0 - cut, criterion="distance")
    assert _same_partition(got, expect)
    # pairs given in any order and orientation: same clusters
    perm = rng.permutation(iu.size)
    flip = rng.random(iu.size) < 0.5
    a = np.where(flip, ju, iu)[perm]
    b = np.where(flip, iu, ju)[perm]
    assert np.array_equal(sparse_average_clusters(n, a, b, sim[perm], cut), got)


def test_sparse_average_clusters_does_not_chain():
    # single linkage would chain 0-1-2-3-4 into one family; averages with the missing pairs
    # as 0 keep the ends apart
    from govtext._linkage import sparse_average_clusters

    i, j = np.arange(4), np.arange(1, 5)
    sim = np.full(4, 0.5)
    # {0, 1} and {2, 3} first (0.5), then 4 joins {2, 3} (0.5 / 2), and the two clusters'
    # mean is 0.5 / 6
    assert sparse_average_clusters(5, i, j, sim, 0.2).tolist() == [0, 0, 1, 1, 1]
    assert sparse_average_clusters(5, i, j, sim, 0.1).tolist() == [0, 0, 1, 1, 1]
    assert sparse_average_clusters(5, i, j, sim, 0.08).tolist() == [0, 0, 0, 0, 0]
    assert sparse_average_clusters(5, i, j, sim, 0.6).tolist() == [0, 1, 2, 3, 4]


@pytest.mark.parametrize(("args", "match"), [
    ((3, [0], [1, 2], [0.5], 0.5), "1-d arrays of one length"),
    ((3, [0], [3], [0.5], 0.5), "index items 0..2"),
    ((3, [-1], [1], [0.5], 0.5), "index items 0..2"),
    ((3, [1], [1], [0.5], 0.5), "to itself"),
    ((3, [0, 1], [1, 0], [0.5, 0.5], 0.5), "given twice"),
    ((3, [0], [1], [1.5], 0.5), r"in \[0, 1\]"),
    ((3, [0], [1], [0.5], 0.0), "min_similarity"),
    ((3, [0], [1], [0.5], "0.5"), "min_similarity"),
])
def test_sparse_average_clusters_errors(args, match):
    from govtext._linkage import sparse_average_clusters

    with pytest.raises(InvalidParameterError, match=match):
        sparse_average_clusters(*args)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(a=st.lists(st.integers(-50, 50), max_size=300),
       v=st.lists(st.integers(-60, 60), max_size=300),
       small=st.booleans())
def test_sorted_order_searches_equal_numpy(a, v, small):
    """_searchsorted and _equal_range look the queries up in ascending order (cache-friendly
    on large arrays) and put the answers back: the same positions as np.searchsorted, on
    both sides, whether or not the sorted path is taken (thresholds lowered to 1)."""
    a = np.sort(np.array(a, dtype=np.int64))
    v = np.array(v, dtype=np.int64)
    with pytest.MonkeyPatch.context() as mp:
        if small:
            mp.setattr(shingles_mod, "_SORTED_QUERIES_MIN", 1)
            mp.setattr(shingles_mod, "_SORTED_ARRAY_MIN", 1)
        left = shingles_mod._searchsorted(a, v)
        right = shingles_mod._searchsorted(a, v, side="right")
        lo, hi = shingles_mod._equal_range(a, v)
    assert left.tolist() == np.searchsorted(a, v).tolist() == lo.tolist()
    assert right.tolist() == np.searchsorted(a, v, side="right").tolist() == hi.tolist()
