"""Tests of passage alignment (``govtext._align``) on real seed text with planted copies."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govtext._align import Passage, align_passages
from govtext.exceptions import InvalidParameterError

SEEDS = Path(__file__).resolve().parents[1] / "corpora" / "seeds"


@lru_cache(maxsize=1)
def seed_texts() -> tuple[str, ...]:
    """The five seed files in simplified script (OpenCC t2s; the normaliser comes later)."""
    import opencc

    cc = opencc.OpenCC("t2s")
    return tuple(cc.convert(p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt")))


@lru_cache(maxsize=1)
def sentences() -> tuple[str, ...]:
    out = []
    for t in seed_texts():
        for s in re.split(r"(?<=[。；])", t):
            s = s.strip()
            if 25 <= len(s) <= 120 and "|" not in s and "\t" not in s:
                out.append(s)
    return tuple(dict.fromkeys(out))


def _host(k: int, length: int, rng: np.random.Generator) -> str:
    """Host text: ``length`` characters of random seed sentences (joined, sentence-aligned)."""
    sents = sentences()
    out = []
    while sum(map(len, out)) < length:
        out.append(sents[int(rng.integers(len(sents)))])
    return "".join(out)


def _plant(host: str, passage: str, rng: np.random.Generator) -> tuple[str, int]:
    cuts = [m.end() for m in re.finditer("。", host)]
    pos = cuts[int(rng.integers(len(cuts)))] if cuts else 0
    return host[:pos] + passage + host[pos:], pos


def _find(passages: list[Passage], a0: int, a1: int, b0: int, b1: int) -> Passage:
    """The passage overlapping the planted spans most."""
    best = max(passages, key=lambda p: max(0, min(p.a_end, a1) - max(p.a_start, a0))
               + max(0, min(p.b_end, b1) - max(p.b_start, b0)))
    return best


PLANTED = (
    "本机关坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻落实党的二十大精神，"
    "认真落实《中华人民共和国政府信息公开条例》要求，不断加大政府信息公开力度。"
)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_planted_copy_found_with_exact_offsets(seed):
    rng = np.random.default_rng(seed)
    a, pa = _plant(_host(0, 3000, rng), PLANTED, rng)
    b, pb = _plant(_host(1, 2500, rng), PLANTED, rng)
    ps = align_passages(a, b)
    p = _find(ps, pa, pa + len(PLANTED), pb, pb + len(PLANTED))
    assert a[p.a_start : p.a_end] == b[p.b_start : p.b_end]
    # the host sentences around the plant are different sentences, so the copy is exact
    if a[pa - 1 : pa] != b[pb - 1 : pb] and a[pa + len(PLANTED)] != b[pb + len(PLANTED)]:
        assert (p.a_start, p.a_end, p.b_start, p.b_end) == (
            pa, pa + len(PLANTED), pb, pb + len(PLANTED))
    assert p.score == 1.0
    assert p.matched_chars >= len(re.sub(r"\W", "", PLANTED)) - 1


@pytest.mark.parametrize(
    "edits",
    [
        {12: "甲", 40: "乙"},  # two substitutions
        {25: "的工"},  # substitution + insertion
        {30: ""},  # deletion
        {3: "丙", 20: "丁", 50: "", 61: "戊己"},  # four edits
    ],
)
def test_planted_copy_with_edits(edits):
    edited = "".join(edits.get(k, ch) for k, ch in enumerate(PLANTED))
    a = "其他内容甲乙丙丁。" + PLANTED + "以上为本年度情况。"
    b = "前言：今年开展了若干工作。" + edited + "联系电话如下所示。"
    [p] = [q for q in align_passages(a, b) if q.matched_chars > 30]
    assert (p.a_start, p.a_end) == (9, 9 + len(PLANTED))
    assert (p.b_start, p.b_end) == (13, 13 + len(edited))
    assert p.score < 1.0
    n_sym = len(re.sub(r"\W", "", PLANTED))
    assert n_sym - 2 * len(edits) <= p.matched_chars <= n_sym


def test_passage_spans_sentence_boundaries_with_different_punctuation():
    s1 = "一是加强组织领导，成立政府信息公开工作领导小组"
    s2 = "二是完善工作制度，建立健全信息发布保密审查机制"
    a = "开头内容不同甲。" + s1 + "。" + s2 + "。后续内容也不同乙。"
    b = "这里是另一段文字。" + s1 + "；" + s2 + "！结尾不一样丙丁。"
    ps = [p for p in align_passages(a, b) if p.matched_chars >= 10]
    assert len(ps) == 1
    p = ps[0]
    assert a[p.a_start : p.a_end].startswith(s1) and a[p.a_start : p.a_end].rstrip("。") .endswith(s2)
    assert b[p.b_start : p.b_end].startswith(s1)


def test_numbers_masked_in_alignment():
    a = "前文甲。2023年本机关主动公开政府信息35条，其中规范性文件3件。后文乙。"
    b = "前文丙。2022年本机关主动公开政府信息128条，其中规范性文件12件。后文丁。"
    [p] = align_passages(a, b)
    assert a[p.a_start : p.a_end] == "2023年本机关主动公开政府信息35条，其中规范性文件3件。"
    assert b[p.b_start : p.b_end] == "2022年本机关主动公开政府信息128条，其中规范性文件12件。"
    assert p.score == 1.0
    assert align_passages(a, b, mask_digits=False)[0].score < 1.0


def test_traditional_variant_aligns_identically_after_t2s():
    import opencc

    s2t = opencc.OpenCC("s2t")
    t2s = opencc.OpenCC("t2s")
    host_a = _host(0, 1500, np.random.default_rng(1))
    host_b = _host(1, 1500, np.random.default_rng(2))
    a, pa = _plant(host_a, PLANTED, np.random.default_rng(3))
    b, pb = _plant(host_b, PLANTED, np.random.default_rng(4))
    b_trad = s2t.convert(b)
    assert b_trad != b
    assert align_passages(a, t2s.convert(b_trad)) == align_passages(a, b)


def test_no_shared_text_gives_nothing():
    assert align_passages("政府信息公开工作年度报告", "行政复议诉讼情况统计") == []
    assert align_passages("", "政府信息公开工作") == []
    assert align_passages("政府", "政府") == []  # below min_length


def test_min_length_and_spans_restrict():
    a = "甲乙丙丁。" + PLANTED + "戊己庚辛。" + PLANTED
    b = "子丑寅卯。" + PLANTED
    assert len(align_passages(a, b)) == 2
    first = (5, 5 + len(PLANTED), 5, 5 + len(PLANTED))
    ps = align_passages(a, b, spans=[first])
    assert [(p.a_start, p.a_end, p.b_start, p.b_end) for p in ps] == [first]
    assert align_passages(a, b, min_length=500) == []


def test_real_reports_align_fast_enough_and_consistently():
    t = seed_texts()
    a, b = t[1], t[4]  # two 2023 reports in the 2021 format: shared table templates
    ps = align_passages(a, b)
    assert len(ps) > 5
    for p in ps:
        assert 0 <= p.a_start < p.a_end <= len(a) and 0 <= p.b_start < p.b_end <= len(b)
        assert 0 < p.score <= 1.0 and p.matched_chars >= 10
    assert ps == sorted(ps, key=lambda p: (p.a_start, p.b_start, p.a_end, p.b_end))
    assert any("无法提供" in a[p.a_start : p.a_end] for p in ps)
    assert align_passages(a, b) == ps


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.data(),
    plen=st.integers(20, 60),
)
def test_random_planted_passage_recovered(data, plen):
    pool = "".join(sorted(set("".join(sentences()))))
    pool = "".join(c for c in pool if "\u4e00" <= c <= "\u9fff")
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))

    def rand(k):
        return "".join(pool[i] for i in rng.integers(0, len(pool), k))

    passage = rand(plen)
    la, lb = data.draw(st.integers(0, 300)), data.draw(st.integers(0, 300))
    ra, rb = data.draw(st.integers(0, 300)), data.draw(st.integers(0, 300))
    a = rand(la) + passage + rand(ra)
    b = rand(lb) + passage + rand(rb)
    ps = align_passages(a, b)
    p = _find(ps, la, la + plen, lb, lb + plen)
    # contains the plant; may extend by a chance-equal neighbour character
    assert p.a_start <= la and p.a_end >= la + plen
    assert p.b_start <= lb and p.b_end >= lb + plen
    assert (la - p.a_start) == (lb - p.b_start) and (p.a_end - la) == (p.b_end - lb)
    assert p.a_end - p.a_start <= plen + 4


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"a": 3}, "'a' parameter of align_passages must be a str"),
        ({"n": 0}, "'n' parameter"),
        ({"max_gap": -1}, "'max_gap' parameter .* >= 0"),
        ({"spans": [(1, 2, 3)]}, "'spans' parameter"),
        ({"spans": 5}, "'spans' parameter"),
        ({"mask_digits": 1}, "'mask_digits' parameter"),
    ],
)
def test_align_parameter_errors(kwargs, match):
    args = {"a": "政府信息公开", "b": "政府信息公开"}
    args.update(kwargs)
    a, b = args.pop("a"), args.pop("b")
    with pytest.raises(InvalidParameterError, match=match):
        align_passages(a, b, **args)
