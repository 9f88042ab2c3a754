"""Tests of govtext.reuse.ReuseDetector: seeds, the scikit-learn contract, labels, exact vs LSH,
the synthetic truth and determinism across processes."""

from __future__ import annotations

import datetime
import hashlib
import math
import os
import re
import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import clone

from govtext import NotFittedError, normalize_text, parse_reports
from govtext.datasets import make_synthetic_corpus
from govtext.evaluate import reuse as score_reuse
from govtext.exceptions import InvalidParameterError
from govtext.records import Corpus
from govtext.reuse import (
    CLUSTER_COLUMNS,
    FAMILY_COLUMNS,
    GROUP_PAIR_COLUMNS,
    LABELS,
    PAIR_COLUMNS,
    PASSAGE_COLUMNS,
    REPORT_SCORE_COLUMNS,
    SIMILARITY_COLUMNS,
    UNIT_COLUMNS,
    ReuseDetector,
    _date,
    _exact_containment,
)

FAST = {"measures": False}


def _letters(text: str) -> str:
    return re.sub(r"[\W_]", "", text)


# --------------------------------------------------------------------------------------------
# fixtures


@pytest.fixture(scope="module")
def seeds_lsh(seeds):
    return ReuseDetector(**FAST).fit(seeds)


@pytest.fixture(scope="module")
def seeds_exact(seeds):
    return ReuseDetector(method="exact", **FAST).fit(seeds)


@pytest.fixture(scope="module")
def synth_large():
    """620 synthetic reports: more than 20,000 narrative sentences."""
    return make_synthetic_corpus(620, random_state=0)


@pytest.fixture(scope="module")
def synth_small(synth_large):
    """The first 60 reports (a corpus of n reports is a prefix of every larger one)."""
    corpus, truth = synth_large
    small = corpus[:60]
    return small, truth.loc[truth["report_id"].isin(small.ids)].reset_index(drop=True)


# A county government and two townships reporting two years; metadata given in Report.meta.
_TEMPLATE = "根据《中华人民共和国政府信息公开条例》要求,现公布本单位政府信息公开工作年度报告。"
_COPIED = "我镇依托便民服务中心设立政务公开专区,开通公开热线电话,设立征求意见箱,方便群众查询办事。"
_COPIED2 = "全年组织政务公开业务培训三次,覆盖全镇各村居信息员和机关工作人员,提升了业务水平。"
_RECYCLED = "本机关进一步规范依申请公开办理流程,严格按照法定时限答复,答复文书统一由法制机构审核。"
_RECYCLED2 = "本机关将政府网站信息公开专栏作为主渠道,同步在政务新媒体账号发布,确保信息及时准确。"


def _report(rid, body, **meta):
    # the title is short (< min_unit_chars symbols): it matches nothing
    return parse_reports(f"信息公开年报\n一、总体情况\n{body}", id=rid, meta=meta)[0]


def _toy_corpus():
    own = {
        "a1": "甲镇今年重点推进乡村振兴领域信息公开,编印了惠农政策明白纸两千份。",
        "a2": "甲镇开展入户走访宣传,群众对惠农补贴政策的知晓率明显提高。",
        "b1": "乙镇结合集镇改造工程,公开了征收补偿标准和安置方案的全部内容。",
        "c1": "县政府办公室牵头梳理了全县行政规范性文件目录并集中公布。",
        "c2": "县政府办公室今年新增了政策解读专栏,发布图解和视频解读二十余篇。",
    }
    reports = [
        _report("A2020", _TEMPLATE + _COPIED + _COPIED2 + own["a1"], agency="甲镇人民政府",
                year=2020, level="township", era="2019"),
        _report("B2020", _TEMPLATE + _COPIED + _COPIED2 + own["b1"], agency="乙镇人民政府",
                year=2020, level="township", era="2019"),
        _report("C2020", _TEMPLATE + _RECYCLED + _RECYCLED2 + own["c1"], agency="县人民政府",
                year=2020, level="township", era="2019"),
        _report("C2021", _TEMPLATE + _RECYCLED + _RECYCLED2 + own["c2"], agency="县人民政府",
                year=2021, level="township", era="2019"),
        _report("A2021", _TEMPLATE + own["a2"], agency="甲镇人民政府", year=2021,
                level="township", era="2019"),
    ]
    return Corpus(reports)


# --------------------------------------------------------------------------------------------
# the three seed passages of issue #6 ("Done when")

_SEED_PASSAGES = [
    # phrase, report_a (earlier), a span, report_b, b span
    ("不断健全完善政府信息主动公开和依申请公开制度、保密审查等规定",
     "003_aad2c66ccec4c55e#1", (309, 342), "003_aad2c66ccec4c55e#8", (402, 435)),
    ("继续大力推进政府信息公开工作，主要是做好以下几方面工作",
     "002_201993b9de74ca40", (4106, 4137), "001_e3992751381c814a", (2425, 2456)),
    ("公开的内容和形式还不够丰富",
     "003_aad2c66ccec4c55e#4", (1251, 1267), "002_201993b9de74ca40", (4010, 4026)),
]


@pytest.mark.parametrize("method", ["lsh", "exact"])
@pytest.mark.parametrize(("phrase", "ra", "a_span", "rb", "b_span"), _SEED_PASSAGES)
def test_seed_passages_found_with_offsets_in_both_reports(seeds, seeds_lsh, seeds_exact, method,
                                                         phrase, ra, a_span, rb, b_span):
    det = seeds_lsh if method == "lsh" else seeds_exact
    ps = det.passages_
    row = ps.loc[(ps.report_a == ra) & (ps.report_b == rb) & (ps.a_start == a_span[0])
                 & (ps.a_end == a_span[1]) & (ps.b_start == b_span[0]) & (ps.b_end == b_span[1])]
    assert len(row) == 1
    assert row.label.iloc[0] == "copied"
    # the phrase, up to punctuation (report 8 writes "," where report 1 writes "、")
    want = _letters(normalize_text(phrase))
    for rid, (s, e) in ((ra, a_span), (rb, b_span)):
        assert want in _letters(seeds[rid].text[s:e])


def test_seed_passage_of_traditional_report_maps_to_traditional_raw(seeds, seeds_lsh):
    r = seeds["003_aad2c66ccec4c55e#4"]
    s, e = r.raw_span(1251, 1267)
    assert r.raw[s:e] == "三是公開的內容和形式還不夠豐富,"
    assert r.text[1251:1267] == "三是公开的内容和形式还不够丰富,"
    r8 = seeds["003_aad2c66ccec4c55e#8"]
    s, e = r8.raw_span(402, 435)
    assert r8.raw[s:e] == "3、不斷健全完善政府信息主動公開和依申請公開制度,保密審查等規定。"


def test_seed_sentence_pair_is_a_cluster(seeds, seeds_lsh):
    u = seeds_lsh.units_
    a = u.loc[(u.report_id == "003_aad2c66ccec4c55e#1") & (u.start == 309)].iloc[0]
    b = u.loc[(u.report_id == "003_aad2c66ccec4c55e#8") & (u.start == 402)].iloc[0]
    assert a.cluster_id == b.cluster_id >= 0
    assert (a.n_reports, a.n_agencies) == (2, 2)  # unknown agencies: each report its own
    c = seeds_lsh.clusters_.set_index("cluster_id").loc[a.cluster_id]
    assert (c["size"], c["years"], c["exemplar_unit"]) == (2, "2013", a.unit_id)
    # one shared sentence is not enough to relate two reports (min_shared_units=2) ...
    assert a.label == "own"
    # ... unless asked for
    det = ReuseDetector(min_shared_units=1, **FAST).fit(
        Corpus([seeds["003_aad2c66ccec4c55e#1"], seeds["003_aad2c66ccec4c55e#8"]]))
    u1 = det.units_.set_index(["report_id", "start"])
    assert u1.loc[("003_aad2c66ccec4c55e#1", 309), "label"] == "copied"
    assert u1.loc[("003_aad2c66ccec4c55e#1", 309), "source_report_id"] == "003_aad2c66ccec4c55e#8"
    assert u1.loc[("003_aad2c66ccec4c55e#8", 402), "source_report_id"] == "003_aad2c66ccec4c55e#1"


def test_passages_for_gives_both_roles(seeds_lsh):
    p = seeds_lsh.passages_for("002_201993b9de74ca40")
    assert list(p.columns) == ["report_id", "start", "end", "other_report_id", "other_start",
                               "other_end", "role", "label", "matched_chars", "score"]
    assert ((p.start == 4010) & (p.role == "target")
            & (p.other_report_id == "003_aad2c66ccec4c55e#4")).any()
    assert ((p.start == 4106) & (p.role == "source")
            & (p.other_report_id == "001_e3992751381c814a")).any()
    assert p.start.is_monotonic_increasing
    with pytest.raises(KeyError, match="no report with id 'nope'"):
        seeds_lsh.passages_for("nope")


# --------------------------------------------------------------------------------------------
# frames: columns, dtypes, order


def test_frames_have_fixed_columns_and_dtypes(seeds_lsh):
    d = seeds_lsh
    assert list(d.units_.columns) == UNIT_COLUMNS
    assert list(d.pairs_.columns) == PAIR_COLUMNS
    assert list(d.clusters_.columns) == CLUSTER_COLUMNS
    assert list(d.passages_.columns) == PASSAGE_COLUMNS
    assert list(d.report_scores_.columns) == REPORT_SCORE_COLUMNS
    assert list(d.similarity_.columns) == SIMILARITY_COLUMNS
    assert list(d.families_.columns) == FAMILY_COLUMNS
    u = d.units_
    assert u.dtypes.astype(str).to_dict() == {
        "unit_id": "int64", "report_id": "object", "section": "object", "start": "int64",
        "end": "int64", "text": "object", "n_chars": "int64", "cluster_id": "int64",
        "group_id": "int64", "label": "object", "boilerplate": "float64", "n_reports": "int64",
        "n_agencies": "int64", "source_report_id": "object"}
    assert d.pairs_.dtypes.astype(str).tolist() == ["int64", "int64", "object", "object",
                                                    "float64", "float64", "bool"]
    assert str(d.report_scores_.year.dtype) == "Int64"


def test_units_tile_the_narrative_in_order(seeds, seeds_lsh):
    u = seeds_lsh.units_
    assert u.unit_id.tolist() == list(range(len(u)))
    assert u.sort_values(["report_id", "start"]).unit_id.tolist() == u.unit_id.tolist()
    assert set(u.label) <= set(LABELS)
    for rid, g in u.groupby("report_id"):
        text = seeds[rid].text
        assert all(text[s:e] == t for s, e, t in zip(g.start, g.end, g.text))
        assert (g.start.to_numpy()[1:] >= g.end.to_numpy()[:-1]).all()
    short = u.label.isin(["short", "heading"])
    assert u.boilerplate[short].isna().all() and u.boilerplate[~short].between(0, 1).all()
    assert (u.cluster_id[short] == -1).all()


def test_pairs_clusters_similarity_families_are_consistent(seeds_lsh):
    d = seeds_lsh
    p = d.pairs_
    assert (p.unit_a < p.unit_b).all() and (p.jaccard >= d.threshold).all()
    assert (p.same_report == (p.report_a == p.report_b)).all()
    u = d.units_.set_index("unit_id")
    assert (u.cluster_id[p.unit_a].to_numpy() == u.cluster_id[p.unit_b].to_numpy()).all()
    assert d.clusters_.cluster_id.tolist() == list(range(len(d.clusters_)))
    s = d.similarity_
    assert len(s) == 12 * 11 // 2 and (s.report_a < s.report_b).all()
    assert s[["jaccard", "cosine"]].apply(lambda c: c.between(0, 1)).all().all()
    assert s.shared_units.sum() == (~p.same_report).sum()
    f = d.families_
    assert f.report_id.tolist() == sorted(f.report_id)
    first = f.drop_duplicates("family").family.tolist()
    assert first == list(range(len(first)))  # numbered by first report
    assert d.linkage_.shape == (11, 4)


@pytest.fixture(scope="module")
def synth_small_fit(synth_small):
    return ReuseDetector(**FAST).fit(synth_small[0])


@pytest.mark.parametrize("which", ["seeds", "synthetic"])
def test_group_pairs_describe_exactly_the_unit_pairs(which, seeds_lsh, synth_small_fit):
    d = seeds_lsh if which == "seeds" else synth_small_fit
    u, gp = d.units_, d.group_pairs_
    assert list(gp.columns) == GROUP_PAIR_COLUMNS
    assert (gp.group_a < gp.group_b).all() and (gp.jaccard >= d.threshold).all()
    members = u.loc[u.group_id >= 0].groupby("group_id").unit_id.apply(list).to_dict()
    assert sorted(members) == list(range(len(members)))  # numbered 0.., by their first unit
    assert [m[0] for m in members.values()] == sorted(m[0] for m in members.values())
    assert (gp.unit_a == [members[g][0] for g in gp.group_a]).all()
    assert (gp.size_b == [len(members[g]) for g in gp.group_b]).all()
    # within groups and across group pairs: exactly pairs_
    implied = {(a, b) for m in members.values() for i, a in enumerate(m) for b in m[i + 1:]}
    for ga, gb in zip(gp.group_a, gp.group_b):
        implied |= {(min(a, b), max(a, b)) for a in members[ga] for b in members[gb]}
    p = d.pairs_
    assert implied == set(zip(p.unit_a, p.unit_b)) and len(p) == d.stats_["n_pairs"]
    assert p.loc[p.jaccard == 1.0].shape[0] >= sum(len(m) * (len(m) - 1) // 2
                                                   for m in members.values())


@pytest.mark.parametrize("which", ["seeds", "synthetic"])
def test_unit_counts_and_shared_units_agree_with_the_unit_pairs(which, seeds_lsh, synth_small_fit):
    """The detector counts reports, agencies and shared units per group of identical units;
    the same counts straight from pairs_ must agree."""
    d = seeds_lsh if which == "seeds" else synth_small_fit
    u, p = d.units_.set_index("unit_id"), d.pairs_
    agency = d.report_scores_.set_index("report_id").agency
    agency = {r: (a if isinstance(a, str) and a else "\x00" + r) for r, a in agency.items()}
    both = pd.concat([p[["unit_a", "report_b"]].set_axis(["unit", "other"], axis=1),
                      p[["unit_b", "report_a"]].set_axis(["unit", "other"], axis=1)])
    both["own"] = u.report_id[both.unit].to_numpy()
    both = both.loc[both.other != both.own]
    reports = both.groupby("unit").other.apply(set)
    n_reports = pd.Series(1, index=u.index)
    n_reports[reports.index] = reports.map(len) + 1
    assert (u.n_reports == n_reports).all()
    n_ag = pd.Series(1, index=u.index)
    for unit, rs in reports.items():
        n_ag[unit] = len({agency[r] for r in rs} | {agency[u.report_id[unit]]})
    assert (u.n_agencies == n_ag).all()
    cross = p.loc[~p.same_report]
    lo = np.minimum(cross.report_a, cross.report_b)
    hi = np.maximum(cross.report_a, cross.report_b)
    counts = pd.Series(1, index=pd.MultiIndex.from_arrays([lo, hi])).groupby(level=[0, 1]).sum()
    s = d.similarity_
    want = [int(counts.get((a, b), 0)) for a, b in zip(s.report_a, s.report_b)]
    assert s.shared_units.tolist() == want and sum(want) > 0


@pytest.mark.parametrize("cap", [1, 2, 5, 1000])
def test_unit_anchors_from_groups_are_the_unit_pairs_that_qualify(synth_small_fit, cap):
    """The passage anchors are built from the groups of identical units; the same anchors
    straight from pairs_: every cross-report pair of units found in at most ``cap`` reports,
    and every pair of units of two related reports, oriented earlier -> later."""
    from govtext.reuse import _unit_anchors

    d = synth_small_fit
    u, p = d.units_, d.pairs_
    ids = sorted(u.report_id.unique())
    rep = u.report_id.map({r: k for k, r in enumerate(ids)}).to_numpy()
    units = pd.DataFrame({"rep": rep, "n_reports": u.n_reports.to_numpy(),
                          "start": u.start.to_numpy(), "end": u.end.to_numpy()})
    pos = np.random.default_rng(3).permutation(len(ids))  # any chronology
    cross = p.loc[~p.same_report]
    a, b = cross.unit_a.to_numpy(), cross.unit_b.to_numpy()
    flip = pos[rep[a]] > pos[rep[b]]
    a, b = np.where(flip, b, a), np.where(flip, a, b)
    # related: every third report pair that shares a unit
    shared = sorted(set(zip(rep[a].tolist(), rep[b].tolist())))
    related = set(shared[::3])
    assert related
    k = units.n_reports.to_numpy()
    keep = ((k[a] <= cap) & (k[b] <= cap)) | np.array(
        [(x, y) in related for x, y in zip(rep[a].tolist(), rep[b].tolist())])
    st, en = units.start.to_numpy(), units.end.to_numpy()
    want = {(rep[x], rep[y], st[x], en[x], st[y], en[y]) for x, y in zip(a[keep], b[keep])}
    got = _unit_anchors(units, d._matches, pos, related, cap)
    assert set(got.itertuples(index=False, name=None)) == want
    assert len(want) > 0


def test_report_scores_shares_sum_to_one(seeds_lsh):
    r = seeds_lsh.report_scores_
    shares = r[["share_template", "share_copied", "share_recycled", "share_own"]].sum(axis=1)
    assert np.allclose(shares, 1.0)
    assert r.report_id.tolist() == sorted(r.report_id)
    row = r.set_index("report_id").loc["002_201993b9de74ca40"]
    assert (row.agency, row.year, row.level, row.era) == ("峰市镇人民政府", 2020, "township",
                                                          "2019")
    assert r.set_index("report_id").loc["003_aad2c66ccec4c55e#1", "agency"] is None


def test_measures_are_merged_and_yoy_exposed(seeds):
    pytest.importorskip("govtext.measures")
    det = ReuseDetector().fit(seeds[:3])
    cols = list(det.report_scores_.columns)
    assert cols[:len(REPORT_SCORE_COLUMNS)] == REPORT_SCORE_COLUMNS
    assert {"boilerplate_lsl", "redundancy", "specificity"} <= set(cols)
    assert cols.count("n_chars") == 1
    assert isinstance(det.yoy_, pd.DataFrame)
    assert ReuseDetector(measures=False).fit(seeds[:3]).yoy_ is None


# --------------------------------------------------------------------------------------------
# labels on a toy corpus


def test_labels_template_copied_recycled_own():
    # the cohort rule alone (template_min_agencies=0); the spread rule is tested below
    det = ReuseDetector(method="exact", template_min_agencies=0, **FAST).fit(_toy_corpus())
    u = det.units_.set_index(["report_id", "text"])
    lab, src = u["label"], u["source_report_id"]
    # cohort 2020 (three reports, all holding it): template
    for rid in ("A2020", "B2020", "C2020"):
        assert lab[(rid, _TEMPLATE)] == "template"
        assert u.loc[(rid, _TEMPLATE), "boilerplate"] == 1.0
    # cohort 2021 has two reports (< template_min_reports): the county recycles it from its
    # related 2020 report; A2021 shares nothing else with A2020, so the two are not related
    assert (lab[("C2021", _TEMPLATE)], src[("C2021", _TEMPLATE)]) == ("recycled", "C2020")
    assert lab[("A2021", _TEMPLATE)] == "own"
    # copied between two agencies in the same year: the direction is unknown, both are copied
    assert (lab[("B2020", _COPIED)], src[("B2020", _COPIED)]) == ("copied", "A2020")
    assert (lab[("A2020", _COPIED)], src[("A2020", _COPIED)]) == ("copied", "B2020")
    assert (lab[("C2021", _RECYCLED)], src[("C2021", _RECYCLED)]) == ("recycled", "C2020")
    assert lab[("C2020", _RECYCLED)] == "own"  # the source itself
    assert src[("C2020", _RECYCLED)] is None
    assert (det.units_.label[det.units_.text.str.startswith("甲镇今年")] == "own").all()
    # passages: the copied pair and the recycled pair, with their labels
    ps = det.passages_
    assert {"copied", "recycled"} <= set(ps.label)
    rec = ps.loc[(ps.report_a == "C2020") & (ps.report_b == "C2021")]
    text = _toy_corpus()["C2021"].text
    assert any(_RECYCLED in text[s:e] for s, e in zip(rec.b_start, rec.b_end))


def test_template_needs_share_and_count():
    corpus = _toy_corpus()
    det = ReuseDetector(cohort=("year",), template_min_agencies=0, **FAST).fit(corpus)
    u = det.units_.set_index(["report_id", "text"])
    assert u.loc[("C2021", _TEMPLATE), "boilerplate"] == 1.0  # both 2021 reports hold it ...
    assert u.loc[("C2021", _TEMPLATE), "label"] != "template"  # ... but only two of them
    det = ReuseDetector(cohort=("year",), template_min_reports=2, template_min_agencies=0,
                        **FAST).fit(corpus)
    u = det.units_.set_index(["report_id", "text"])
    assert u.loc[("C2021", _TEMPLATE), "label"] == "template"
    # one cohort of all five reports: 5/5
    det = ReuseDetector(cohort=("era",), **FAST).fit(corpus)
    assert set(det.units_.loc[det.units_.text == _TEMPLATE, "label"]) == {"template"}


def test_template_by_spread_over_unrelated_agencies():
    corpus = _toy_corpus()
    # the template sentence is held by three agencies that are not related to one another
    # (apart from the copy pair A2020/B2020): template even in the two-report 2021 cohort
    det = ReuseDetector(cohort=("year",), **FAST).fit(corpus)
    u = det.units_.set_index(["report_id", "text"])
    assert u.loc[("C2021", _TEMPLATE), "label"] == "template"
    assert u.loc[("A2021", _TEMPLATE), "label"] == "template"
    # the copied sentences are held by two related agencies only: not template
    assert u.loc[("B2020", _COPIED), "label"] == "copied"
    # three agencies copying one another (all related): copied, not template
    body = _COPIED + _COPIED2 + _RECYCLED
    trio = [_report(f"{k}2020", body, agency=f"{k}镇人民政府", year=2020) for k in "甲乙丙"]
    no_cohort = {"template_min_reports": 10, **FAST}  # the cohort rule off: 3/3 of the year
    det = ReuseDetector(**no_cohort).fit(trio)
    assert set(det.units_.loc[det.units_.text == _COPIED, "label"]) == {"copied"}
    # a fourth, unrelated agency holding one of them: still three agencies apart from the
    # unit's own report are needed by default, two with template_min_agencies=2
    other = _report("丁2020", _COPIED + "丁镇今年编印了惠农政策明白纸两千份并逐户发放到位。",
                    agency="丁镇人民政府", year=2020)
    det = ReuseDetector(**no_cohort).fit(trio + [other])
    u = det.units_.set_index(["report_id", "text"])["label"]
    assert u[("丁2020", _COPIED)] == "template"  # three agencies unrelated to 丁 hold it
    assert {u[(f"{k}2020", _COPIED)] for k in "甲乙丙"} == {"copied"}  # only 丁 is unrelated
    assert {u[(f"{k}2020", _COPIED2)] for k in "甲乙丙"} == {"copied"}
    det = ReuseDetector(template_min_agencies=2, **no_cohort).fit(trio + [other])
    u = det.units_.set_index(["report_id", "text"])["label"]
    assert {u[(f"{k}2020", _COPIED)] for k in "甲乙丙"} == {"template"}
    assert {u[(f"{k}2020", _COPIED2)] for k in "甲乙丙"} == {"copied"}


def test_directed_copies_and_unknown_agency():
    body = _COPIED + _COPIED2
    early = _report("X2019", body, agency="甲镇人民政府", year=2019)
    late = _report("Y2021", body, agency="乙镇人民政府", year=2021)
    det = ReuseDetector(**FAST).fit([early, late])
    u = det.units_.set_index(["report_id", "text"])
    assert u.loc[("Y2021", _COPIED), "label"] == "copied"
    assert u.loc[("X2019", _COPIED), "label"] == "own"
    det = ReuseDetector(directed=False, **FAST).fit([early, late])
    assert det.units_.set_index(["report_id", "text"]).loc[("X2019", _COPIED), "label"] == "copied"
    # no agency: the two reports are two agencies (and with no year, no direction)
    a, b = _report("甲", body), _report("乙", body)
    det = ReuseDetector(**FAST).fit([a, b])
    assert set(det.units_.loc[det.units_.text == _COPIED, "label"]) == {"copied"}
    assert det.report_scores_.agency.isna().all()


def test_same_year_copies_directed_by_publication_date():
    body = _COPIED + _COPIED2
    # the same year, two agencies: the later publication is the copy, the earlier the source
    first = _report("Z2020", body + "甲镇今年编印了惠农政策明白纸两千份。", agency="甲镇人民政府",
                    year=2020, published="2021-01-12")
    second = _report("A2020", body + "乙镇公开了征收补偿标准和安置方案。", agency="乙镇人民政府",
                     year=2020, published="2021-02-03")
    det = ReuseDetector(**FAST).fit([first, second])
    u = det.units_.set_index(["report_id", "text"])
    for sentence in (_COPIED, _COPIED2):
        assert u.loc[("A2020", sentence), "label"] == "copied"
        assert u.loc[("A2020", sentence), "source_report_id"] == "Z2020"
        assert u.loc[("Z2020", sentence), "label"] == "own"
    # passages are oriented by the date too (report_a is the earlier publication)
    assert set(det.passages_["report_a"]) == {"Z2020"}
    assert det.to_detections().query("label == 'copied'")["report_id"].unique().tolist() == ["A2020"]
    # the dates from the text (signature date) work the same way
    first_t = _report("Z2020", body + "甲镇今年编印了惠农政策明白纸两千份。\n甲镇人民政府\n2021年1月12日",
                      agency="甲镇人民政府", year=2020)
    second_t = _report("A2020", body + "乙镇公开了征收补偿标准和安置方案。\n乙镇人民政府\n2021年2月3日",
                       agency="乙镇人民政府", year=2020)
    assert first_t.metadata.published == "2021-01-12"
    det = ReuseDetector(**FAST).fit([second_t, first_t])
    u = det.units_.set_index(["report_id", "text"])
    assert u.loc[("A2020", _COPIED), "label"] == "copied"
    assert u.loc[("Z2020", _COPIED), "label"] == "own"
    # no dates, equal dates, or only one known: no direction, both sides copied
    for d1, d2 in ((None, None), ("2021-01-12", "2021-01-12"), ("2021-01-12", None)):
        a = _report("Z2020", body, agency="甲镇人民政府", year=2020, published=d1)
        b = _report("A2020", body, agency="乙镇人民政府", year=2020, published=d2)
        det = ReuseDetector(**FAST).fit([a, b])
        assert set(det.units_.loc[det.units_.text == _COPIED, "label"]) == {"copied"}
    # directed=False ignores the dates
    det = ReuseDetector(directed=False, **FAST).fit([first, second])
    assert set(det.units_.loc[det.units_.text == _COPIED, "label"]) == {"copied"}
    # the year comes first: an earlier year is the source whatever the dates say
    old = _report("Z2019", body, agency="甲镇人民政府", year=2019, published="2021-03-01")
    new = _report("A2020", body, agency="乙镇人民政府", year=2020, published="2021-01-05")
    det = ReuseDetector(**FAST).fit([old, new])
    u = det.units_.set_index(["report_id", "text"])
    assert u.loc[("A2020", _COPIED), "label"] == "copied"
    assert u.loc[("Z2019", _COPIED), "label"] == "own"


@pytest.mark.parametrize(("value", "day"), [
    ("2021-01-12", 737802.0), ("2021-01-12T08:00:00", 737802.0),
    (pd.Timestamp("2021-01-12"), 737802.0), (np.datetime64("2021-01-12"), 737802.0),
    (datetime.date(2021, 1, 12), 737802.0), (np.datetime64("NaT"), None),
    ("2021", None), ("2021-1-12", None), ("2021-02-30", None), (None, None), (float("nan"), None),
    (pd.NaT, None),
])
def test_publication_date_key(value, day):
    got = _date(value)
    assert (np.isnan(got) if day is None else got == day)


def test_to_detections_merges_runs_and_scores():
    corpus = _toy_corpus()
    det = ReuseDetector(**FAST).fit(corpus)
    d = det.to_detections()
    assert list(d.columns) == ["report_id", "start", "end", "label", "source_report_id"]
    assert d.dtypes.astype(str).tolist() == ["object", "int64", "int64", "object", "object"]
    b = d.loc[(d.report_id == "B2020") & (d.label == "copied")]
    assert len(b) == 1  # the two copied sentences are one run
    text = corpus["B2020"].text
    assert text[b.start.iloc[0]:b.end.iloc[0]] == _COPIED + _COPIED2
    assert b.source_report_id.iloc[0] == "A2020"
    assert (d.loc[d.label == "template", "source_report_id"] == "").all()
    full = det.to_detections(include_own=True)
    assert set(full.label) == {"template", "copied", "recycled", "own"}
    assert len(full) > len(d)
    truth = d.rename(columns={"start": "text_start", "end": "text_end"})
    assert score_reuse(d, truth).overall["plagdet"] == 1.0
    with pytest.raises(InvalidParameterError, match="'include_own' parameter of to_detections"):
        det.to_detections(include_own="yes")


# --------------------------------------------------------------------------------------------
# the scikit-learn contract


def test_get_params_clone_set_params():
    det = ReuseDetector(threshold=0.7, cohort=("year",))
    params = det.get_params()
    assert params["threshold"] == 0.7 and params["cohort"] == ("year",)
    assert {"unit", "ngram", "mask_digits", "measure", "method", "num_perm", "target_recall",
            "max_bucket_size", "min_unit_chars", "template_share", "family_threshold",
            "similarity_exact_max_reports", "random_state", "progress"} <= set(params)
    c = clone(det)
    assert c is not det and c.get_params() == params
    assert det.set_params(threshold=0.8) is det and det.threshold == 0.8
    with pytest.raises(TypeError):
        ReuseDetector(0.6)  # keyword-only


@pytest.mark.parametrize("attr", ["units_", "pairs_", "clusters_", "passages_", "report_scores_",
                                  "similarity_", "families_", "linkage_", "yoy_", "stats_"])
def test_not_fitted(attr):
    with pytest.raises(NotFittedError, match=f"not fitted yet.*'{attr}'"):
        getattr(ReuseDetector(), attr)


def test_not_fitted_helpers():
    with pytest.raises(NotFittedError, match="not fitted yet"):
        ReuseDetector().to_detections()
    with pytest.raises(NotFittedError, match="not fitted yet"):
        ReuseDetector().passages_for("x")
    assert not hasattr(ReuseDetector(), "units_")
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        ReuseDetector().nope  # noqa: B018


@pytest.mark.parametrize(("params", "match"), [
    ({"threshold": 1.5}, r"The 'threshold' parameter of ReuseDetector must be a float in "
                         r"\(0.0, 1.0\]. Got 1.5 instead."),
    ({"threshold": 0}, r"'threshold' parameter of ReuseDetector must be a float in \(0.0"),
    ({"unit": "word"}, r"The 'unit' parameter of ReuseDetector must be one of \('sentence', "
                       r"'clause'\). Got 'word' instead."),
    ({"method": "fast"}, r"'method' parameter .* one of \('lsh', 'exact'\)"),
    ({"measure": "cosine"}, r"'measure' parameter"),
    ({"ngram": 0}, r"The 'ngram' parameter of ReuseDetector must be an int >= 1. Got 0"),
    ({"ngram": 2.5}, r"'ngram' parameter .* an int >= 1. Got 2.5"),
    ({"num_perm": True}, r"'num_perm' parameter .* Got True"),
    ({"mask_digits": "yes"}, r"'mask_digits' parameter of ReuseDetector must be a bool"),
    ({"max_bucket_size": 1}, r"'max_bucket_size' parameter .* an int >= 2 or None"),
    ({"cohort": 3}, r"'cohort' parameter of ReuseDetector must be a tuple of metadata field"),
    ({"cohort": ("year", "")}, r"'cohort' parameter"),
    ({"template_share": 0.0}, r"'template_share' parameter"),
    ({"min_coverage": 2}, r"'min_coverage' parameter"),
    ({"mask_agency": 1}, r"'mask_agency' parameter of ReuseDetector must be a bool"),
    ({"weak_threshold": 1.5}, r"'weak_threshold' parameter .* \[0.0, 1.0\]"),
    ({"family_threshold": -0.1}, r"'family_threshold' parameter .* \[0.0, 1.0\]"),
    ({"random_state": -1}, r"'random_state' parameter .* an int >= 0"),
])
def test_invalid_parameters_raise_in_fit(seeds, params, match):
    det = ReuseDetector(**params)  # __init__ only stores
    with pytest.raises(InvalidParameterError, match=match):
        det.fit(seeds[:1])


@pytest.mark.parametrize(("corpus", "match"), [
    ("一、总体情况", "Iterable over reports expected, string object received."),
    (b"abc", "Iterable over reports expected, bytes object received."),
    (3, "Iterable over reports expected, int object received."),
    (["text"], "item 0 is a str object, not a Report"),
])
def test_invalid_corpus(corpus, match):
    with pytest.raises(InvalidParameterError, match=match):
        ReuseDetector().fit(corpus)


def test_single_report_and_duplicate_ids(seeds):
    with pytest.raises(InvalidParameterError, match="Report object received"):
        ReuseDetector().fit(seeds[0])
    with pytest.raises(InvalidParameterError, match="occurs twice"):
        ReuseDetector(**FAST).fit([seeds[0], seeds[0]])


@pytest.mark.parametrize("n", [0, 1])
def test_tiny_corpora(seeds, n):
    det = ReuseDetector(**FAST).fit(seeds[:n])
    assert len(det.report_scores_) == n and len(det.families_) == n
    assert det.pairs_.empty and det.passages_.empty and det.similarity_.empty
    assert list(det.units_.columns) == UNIT_COLUMNS


def test_refit_replaces_results(seeds):
    det = ReuseDetector(**FAST).fit(seeds[:2])
    det.fit(seeds[2:4])
    assert set(det.units_.report_id) == set(seeds.ids[2:4])


# --------------------------------------------------------------------------------------------
# exact vs LSH, containment


def test_exact_and_lsh_agree_on_seeds(seeds_lsh, seeds_exact):
    pd.testing.assert_frame_equal(seeds_lsh.pairs_, seeds_exact.pairs_)
    pd.testing.assert_frame_equal(seeds_lsh.units_, seeds_exact.units_)


def test_exact_and_lsh_agree_on_synthetic(synth_small):
    corpus, _ = synth_small
    exact = ReuseDetector(method="exact", **FAST).fit(corpus)
    lsh = ReuseDetector(method="lsh", **FAST).fit(corpus)
    ke = set(zip(exact.pairs_.unit_a, exact.pairs_.unit_b))
    kl = set(zip(lsh.pairs_.unit_a, lsh.pairs_.unit_b))
    assert kl <= ke  # verified: precision 1.0
    assert len(kl) / len(ke) >= 0.95
    agree = (exact.units_.label == lsh.units_.label).mean()
    assert agree >= 0.98


def test_pair_recall_on_20k_sentences(synth_large):
    """Detector-level check of the LSH stage against the exact answer (> 20,000 sentences)."""
    corpus, _ = synth_large
    kw = {"measures": False, "fragments": False, "max_anchor_reports": 2,
          "similarity_max_reports": 0, "similarity_floor": 1.0}
    exact = ReuseDetector(method="exact", **kw).fit(corpus)
    lsh = ReuseDetector(method="lsh", **kw).fit(corpus)
    assert len(exact.units_) > 20_000
    ke = exact.pairs_.unit_a.to_numpy() * 10**6 + exact.pairs_.unit_b.to_numpy()
    kl = lsh.pairs_.unit_a.to_numpy() * 10**6 + lsh.pairs_.unit_b.to_numpy()
    assert np.isin(kl, ke).all()
    assert np.isin(ke, kl).mean() >= 0.95


def test_containment_exact_and_lsh():
    short = "我镇认真贯彻落实政府信息公开条例"
    reports = [
        _report("S1", short + "。", agency="甲", year=2020),
        _report("S2", short + ",不断提高政务公开水平,切实保障群众知情权。", agency="乙", year=2020),
    ]
    jac = ReuseDetector(method="exact", **FAST).fit(reports)
    con = ReuseDetector(method="exact", measure="containment", **FAST).fit(reports)
    assert jac.pairs_.empty
    assert len(con.pairs_) == 1 and con.pairs_.containment.iloc[0] == 1.0
    assert con.pairs_.jaccard.iloc[0] < 0.6
    # LSH candidates follow the Jaccard S-curve: containment pairs of low Jaccard may be missed,
    # but whatever it returns is verified
    lsh = ReuseDetector(method="lsh", measure="containment", **FAST).fit(reports)
    assert (lsh.pairs_.containment >= 0.6).all() and len(lsh.pairs_) <= 1


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.integers(0, 30), min_size=0, max_size=12), min_size=1, max_size=25),
       st.sampled_from([0.3, 0.5, 0.8, 1.0]))
def test_exact_containment_matches_brute_force(sets, t):
    sets = [sorted(set(s)) for s in sets]
    indptr = np.zeros(len(sets) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(s) for s in sets])
    hashes = np.array([h for s in sets for h in s], dtype=np.uint64)
    got = _exact_containment((indptr, hashes), t)
    want = set()
    for i in range(len(sets)):
        for j in range(i + 1, len(sets)):
            a, b = set(sets[i]), set(sets[j])
            if a and b and len(a & b) / min(len(a), len(b)) >= t:
                want.add((i, j))
    assert set(zip(got.i.tolist(), got.j.tolist())) == want


# --------------------------------------------------------------------------------------------
# against the synthetic truth


def test_default_quality_against_synthetic_truth(synth_large):
    """The detector's DEFAULT parameters on 300 synthetic reports (a prefix of the 620): floors
    a little below what was measured (docs/reuse.md has the 2,000-report figures)."""
    corpus, truth = synth_large
    corpus = corpus[:300]
    truth = truth.loc[truth["report_id"].isin(corpus.ids)].reset_index(drop=True)
    det = ReuseDetector(**FAST).fit(corpus)
    s = score_reuse(det.to_detections(include_own=True), truth,
                    labels=("template", "copied", "recycled", "own"))
    sc = s.scores.set_index("label")
    # measured (issue #7's last round): template P 0.974 R 0.801 plagdet 0.879, copied P 0.850
    # R 0.911 plagdet 0.880, recycled P 0.908 R 0.960 plagdet 0.933, overall granularity 1.007,
    # character accuracy 0.945, boilerplate MAE 0.041 (the results are deterministic; before
    # the last round: copied P 0.731 R 0.823 plagdet 0.774, template R 0.785, recycled R 0.936,
    # accuracy 0.932, MAE 0.046)
    assert sc.loc["template", "recall"] >= 0.78 and sc.loc["template", "precision"] >= 0.96
    assert sc.loc["template", "plagdet"] >= 0.86
    assert sc.loc["copied", "recall"] >= 0.89 and sc.loc["copied", "precision"] >= 0.83
    assert sc.loc["copied", "plagdet"] >= 0.86
    assert sc.loc["recycled", "recall"] >= 0.95 and sc.loc["recycled", "precision"] >= 0.88
    assert sc.loc["recycled", "plagdet"] >= 0.92
    assert sc.loc["overall", "granularity"] <= 1.02
    conf = s.confusion
    labels = ["template", "copied", "recycled", "own"]
    acc = sum(conf.loc[x, x] for x in labels) / conf.loc[labels].to_numpy().sum()
    assert acc >= 0.935
    assert s.boilerplate_mae <= 0.045


# --------------------------------------------------------------------------------------------
# determinism across processes and hash seeds

_DUMP = textwrap.dedent("""
    import hashlib, sys
    import numpy as np
    from govtext.datasets import load_seeds, make_synthetic_corpus
    from govtext.records import Corpus
    from govtext.reuse import ReuseDetector
    corpus = Corpus(list(load_seeds()) + list(make_synthetic_corpus(15, random_state=3)[0]))
    det = ReuseDetector(measures=False).fit(corpus)
    for name in ("units_", "pairs_", "clusters_", "passages_", "report_scores_",
                 "similarity_", "families_"):
        frame = getattr(det, name)
        print(name, len(frame), hashlib.sha256(frame.to_csv(index=False).encode()).hexdigest())
    print("linkage_", hashlib.sha256(np.ascontiguousarray(det.linkage_).tobytes()).hexdigest())
""")


def test_fitted_frames_identical_across_hash_seeds():
    outs = []
    for seed in ("1", "4242"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        res = subprocess.run([sys.executable, "-c", _DUMP], capture_output=True, text=True,
                             env=env, check=True)
        outs.append(res.stdout)
    assert outs[0] == outs[1]
    assert outs[0].count("\n") == 8
    assert all(int(line.split()[1]) > 0 for line in outs[0].splitlines()[:4])


_BLOCKS = textwrap.dedent("""
    import hashlib
    import numpy as np, scipy.sparse as sp
    from govtext.reuse import _cosine_blocks
    rng = np.random.default_rng(7)
    # 800 columns in about 300 of 1,200 rows (the dense BLAS part), 4,000 in about 24 (sparse)
    x = sp.hstack([sp.random(1200, 800, density=0.25, random_state=rng),
                   sp.random(1200, 4000, density=0.02, random_state=rng)]).tocsr()
    assert np.count_nonzero(np.diff(x.tocsc().indptr) > 1200 / 12) >= 700
    h = hashlib.sha256()
    for r0, r1, cb in _cosine_blocks(x, 1200):
        h.update(np.ascontiguousarray(cb).tobytes())
    print(h.hexdigest())
""")


def test_cosine_blocks_identical_across_blas_thread_counts():
    """The dense part goes through BLAS: its result must not depend on the thread count."""
    outs = set()
    for threads in ("1", "2", "4"):
        env = dict(os.environ, OPENBLAS_NUM_THREADS=threads, OMP_NUM_THREADS=threads,
                   MKL_NUM_THREADS=threads)
        res = subprocess.run([sys.executable, "-c", _BLOCKS], capture_output=True, text=True,
                             env=env, check=True)
        outs.add(res.stdout)
    assert len(outs) == 1 and len(outs.pop().strip()) == 64


def test_refit_is_identical(seeds):
    a = ReuseDetector(**FAST).fit(seeds)
    b = ReuseDetector(**FAST).fit(list(reversed(list(seeds))))  # corpus order does not matter
    for name in ("units_", "pairs_", "clusters_", "passages_", "similarity_", "families_"):
        ha = hashlib.sha256(getattr(a, name).to_csv(index=False).encode()).hexdigest()
        hb = hashlib.sha256(getattr(b, name).to_csv(index=False).encode()).hexdigest()
        assert ha == hb, name


def test_seed_boilerplate_scores_fall_back_to_the_corpus_band():
    """Every seed cohort is smaller than 10 reports: boilerplate_lsl comes from the band fitted on
    the whole corpus, the same values report_measures gives without cohorts."""
    import warnings

    from govtext.datasets import load_seeds
    from govtext.measures import report_measures

    seeds = load_seeds()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        det = ReuseDetector().fit(seeds)
    got = det.report_scores_.set_index("report_id")["boilerplate_lsl"]
    want = report_measures(seeds).set_index("report_id")["boilerplate_lsl"]
    assert got.notna().all()
    pd.testing.assert_series_equal(got.sort_index(), want.sort_index(), check_names=False)


# -- report similarity: TF-IDF on hashed shingles, blocked dense+sparse products ------------


def _sklearn_tfidf_of_shingles(sets, tf):
    """The reference: scikit-learn's TfidfVectorizer fed the very same shingles."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = [np.repeat(sets[k], tf[sets.indptr[k]:sets.indptr[k + 1]]).astype(str).tolist()
            for k in range(len(sets))]
    vec = TfidfVectorizer(analyzer=lambda d: d, sublinear_tf=True, lowercase=False)
    return vec.fit_transform(docs)


def test_tfidf_of_shingles_matches_scikit_learn(seeds):
    from govtext._shingles import shingle_counts
    from govtext.reuse import _tfidf

    texts = [r.text for r in seeds] + ["", "公开"]
    sets, tf = shingle_counts(texts, n=5, mask_digits=False)
    ours = _tfidf(sets, tf)
    ref = _sklearn_tfidf_of_shingles(sets, tf)
    np.testing.assert_allclose((ours @ ours.T).toarray(), (ref @ ref.T).toarray(), atol=1e-12)
    # term frequencies add up to the windows of each text (one for a text shorter than n)
    from govtext._shingles import encode_text

    for k, t in enumerate(texts):
        m = encode_text(t, mask_digits=False).symbols.size
        assert tf[sets.indptr[k]:sets.indptr[k + 1]].sum() == (m - 4 if m >= 5 else int(m > 0)), k
    assert ours.shape[0] == len(texts)
    assert ours[len(texts) - 2].nnz == 0  # the empty text: a zero row, cosine 0 with everyone


def _reference_tfidf(sets, tf):
    """The TF-IDF matrix as whole-array expressions compute it (the formula _tfidf_parts must
    reproduce bit for bit, whatever its parts and chunks)."""
    import scipy.sparse as sp

    n = len(sets)
    _, cols, df = np.unique(sets.hashes, return_inverse=True, return_counts=True)
    idf = np.log((1.0 + n) / (1.0 + df.astype(np.float64))) + 1.0
    w = (1.0 + np.log(tf.astype(np.float64))) * idf[cols]
    x = sp.csr_matrix((w, cols.astype(np.int64), sets.indptr), shape=(n, df.size))
    sizes = np.diff(sets.indptr)
    norms = np.sqrt(np.bincount(np.repeat(np.arange(n), sizes), weights=w * w, minlength=n))
    scale = np.where(norms > 0, 1.0 / np.where(norms > 0, norms, 1.0), 0.0)
    x.data *= np.repeat(scale, sizes)
    return x


@settings(max_examples=25, deadline=None)
@given(chunk=st.integers(1, 5000), cuts=st.lists(st.integers(0, 14), max_size=4), seed=st.integers(0, 2**16))
def test_tfidf_parts_are_the_whole_array_formula_bit_for_bit(seeds, chunk, cuts, seed):
    """Built from slices of the reports, in chunks of any size, freeing the parts as it goes:
    the same matrix (values, columns, row pointers) as the whole-array formula."""
    import govtext.reuse as reuse_mod
    from govtext._shingles import shingle_counts

    rng = np.random.default_rng(seed)
    texts = [r.text for r in seeds] + ["", "公开"]
    texts = [texts[k] for k in rng.permutation(len(texts))]
    bounds = [0, *sorted(cuts), len(texts)]
    parts = [shingle_counts(texts[a:b], n=5, mask_digits=False) for a, b in zip(bounds[:-1], bounds[1:])]
    sets, tf = shingle_counts(texts, n=5, mask_digits=False)
    ref = _reference_tfidf(sets, tf)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(reuse_mod, "_TFIDF_CHUNK", chunk)
        got = reuse_mod._tfidf_parts(parts, len(texts))
    assert parts == []  # emptied: the caller keeps nothing of the counts
    assert got.shape == ref.shape and got.indices.dtype == np.int32
    assert got.data.tobytes() == ref.data.tobytes()
    assert (got.indices == ref.indices).all() and (got.indptr == ref.indptr).all()
    assert reuse_mod._tfidf(sets, tf).data.tobytes() == ref.data.tobytes()


def test_row_intersections_are_the_hash_intersections(seeds):
    """The Jaccard of the similarity step counts shared TF-IDF columns: the same numbers as
    shared hashes (a column is a hash's rank)."""
    from govtext._shingles import intersection_sizes, shingle_counts
    from govtext.reuse import _row_intersections, _tfidf

    texts = [r.text for r in seeds] + ["", "公开"]
    sets, tf = shingle_counts(texts, n=5, mask_digits=False)
    x = _tfidf(sets, tf)
    iu, ju = np.triu_indices(len(texts), k=1)
    iu, ju = iu.astype(np.int64), ju.astype(np.int64)
    want = intersection_sizes(sets, iu, ju)
    assert want.max() > 0
    for chunk in (1, 50, 1 << 20):
        got = _row_intersections(x.indptr, x.indices, x.shape[1], iu, ju, chunk_size=chunk)
        assert got.tolist() == want.tolist()
    assert _row_intersections(x.indptr, x.indices, x.shape[1], iu[:0], ju[:0]).size == 0


def test_similarity_does_not_depend_on_the_narrative_slices_or_chunks(synth_small, monkeypatch):
    """Both regimes, counted here in slices of 7 reports or prepared in slices of 25, with
    chunks of 1,000 shingles: the frames of the defaults, exactly."""
    import govtext.reuse as reuse_mod

    corpus, _ = synth_small
    kw = dict(similarity_max_reports=10, **FAST)
    ref = {b: ReuseDetector(similarity_exact_max_reports=b, **kw).fit(corpus) for b in (10, None)}
    monkeypatch.setattr(reuse_mod, "_NARRATIVE_BATCH", 7)
    monkeypatch.setattr(reuse_mod, "_TFIDF_CHUNK", 1000)
    reps = list(corpus)
    for b, want in ref.items():
        det = ReuseDetector(similarity_exact_max_reports=b, **kw)
        prep = [det.prepare(reps[a:a + 25], similarity=True) for a in range(0, len(reps), 25)]
        for got in (ReuseDetector(similarity_exact_max_reports=b, **kw).fit(corpus),
                    det.fit(corpus, prepared=prep)):
            for name in ("similarity_", "families_"):
                pd.testing.assert_frame_equal(getattr(got, name), getattr(want, name), check_exact=True)
            assert got.stats_.get("similarity_candidates") == want.stats_.get("similarity_candidates")


def test_int32_label_arrays_give_the_int64_labels(synth_small, monkeypatch):
    """The labels' per-(group, report) arrays are int32 when they fit: forced to int64 (the
    former dtype), every frame is the same."""
    import govtext.reuse as reuse_mod

    corpus, _ = synth_small
    small = ReuseDetector(**FAST).fit(corpus)
    assert reuse_mod._index_dtype(len(corpus)) is np.int32
    assert reuse_mod._index_dtype(2**31 - 1) is np.int32 and reuse_mod._index_dtype(2**31) is np.int64
    monkeypatch.setattr(reuse_mod, "_index_dtype", lambda *maxima: np.int64)
    wide = ReuseDetector(**FAST).fit(corpus)
    for name in ("units_", "pairs_", "clusters_", "passages_", "report_scores_", "similarity_"):
        pd.testing.assert_frame_equal(getattr(small, name), getattr(wide, name), check_exact=True)


@settings(max_examples=25, deadline=None)
@given(n=st.integers(2, 40), block=st.integers(1, 2000), divisor=st.sampled_from([1, 12, 10**9]),
       seed=st.integers(0, 2**16))
def test_cosine_blocks_tile_the_upper_triangle(n, block, divisor, seed):
    """Whatever the block size and the dense/sparse split, the blocks are the product."""
    import scipy.sparse as sp

    import govtext.reuse as reuse_mod

    rng = np.random.default_rng(seed)
    x = sp.random(n, 60, density=0.3, random_state=rng, format="csr")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(reuse_mod, "_SIM_BLOCK_CELLS", block)
        mp.setattr(reuse_mod, "_DENSE_DF_DIVISOR", divisor)
        _check_cosine_blocks(reuse_mod, x, n)


def _check_cosine_blocks(reuse_mod, x, n):
    full = (x @ x.T).toarray()
    seen = np.zeros((n, n), dtype=bool)
    for r0, r1, cb in reuse_mod._cosine_blocks(x, n):
        assert cb.shape == (r1 - r0, n - r0)
        np.testing.assert_allclose(cb, full[r0:r1, r0:], atol=1e-12)
        seen[r0:r1, r0:] = True
    assert seen[np.triu_indices(n)].all()


def test_similarity_beyond_the_limit_keeps_close_and_passage_linked_pairs(synth_small):
    corpus, _ = synth_small
    every = ReuseDetector(**FAST).fit(corpus)  # 60 reports: every pair
    cut = ReuseDetector(similarity_max_reports=10, **FAST).fit(corpus)
    n = len(corpus)
    assert len(every.similarity_) == n * (n - 1) // 2
    linked = {tuple(sorted(p)) for p in zip(cut.passages_.report_a, cut.passages_.report_b)}
    got = {tuple(sorted(p)) for p in zip(cut.similarity_.report_a, cut.similarity_.report_b)}
    full = every.similarity_.assign(key=[tuple(sorted(p)) for p in zip(every.similarity_.report_a,
                                                                         every.similarity_.report_b)])
    want = set(full.key[full.cosine >= 0.3]) | linked
    assert linked and got == want
    # the kept rows carry the same values as in the full table
    m = cut.similarity_.merge(every.similarity_, on=["report_a", "report_b"])
    assert len(m) == len(cut.similarity_)
    for c in ("jaccard", "cosine", "shared_units"):
        assert (m[f"{c}_x"] == m[f"{c}_y"]).all(), c
    # shared template sentences alone do not keep a pair
    assert (every.similarity_.shared_units > 0).sum() > len(cut.similarity_)


# -- the blocked similarity regime (issue #9): candidate pairs beyond similarity_exact_max_reports


def _pair_keys(frame, a="report_a", b="report_b"):
    return {tuple(sorted(p)) for p in zip(frame[a], frame[b])}


@pytest.fixture(scope="module")
def blocked_fits(synth_small):
    """60 reports: every pair (the reference), the exact regime with a cut, the blocked regime."""
    corpus, _ = synth_small
    every = ReuseDetector(**FAST).fit(corpus)
    exact = ReuseDetector(similarity_max_reports=10, **FAST).fit(corpus)
    blocked = ReuseDetector(similarity_max_reports=10, similarity_exact_max_reports=10,
                            **FAST).fit(corpus)
    return every, exact, blocked


def test_blocked_similarity_scores_its_pairs_as_the_exact_regime(blocked_fits):
    every, exact, blocked = blocked_fits
    assert "similarity_candidates" in blocked.stats_
    assert "similarity_candidates" not in exact.stats_
    s = blocked.similarity_
    assert list(s.columns) == SIMILARITY_COLUMNS and len(s) > 0
    assert s.dtypes.equals(exact.similarity_.dtypes)
    # every returned pair carries the values of the exact regime for that pair
    m = s.merge(every.similarity_, on=["report_a", "report_b"], how="left", indicator=True)
    assert (m["_merge"] == "both").all()
    assert (m["jaccard_x"] == m["jaccard_y"]).all()
    assert (m["shared_units_x"] == m["shared_units_y"]).all()
    np.testing.assert_allclose(m["cosine_x"], m["cosine_y"], rtol=0, atol=1e-12)
    # every passage-linked pair is there, and every pair is passage-linked or close
    linked = _pair_keys(blocked.passages_)
    got = _pair_keys(s)
    assert linked and linked <= got
    close = _pair_keys(s[s.cosine >= blocked.similarity_floor])
    assert got == linked | close
    # on this corpus the candidates find every pair the exact regime keeps, in the same order
    assert got == _pair_keys(exact.similarity_)
    pd.testing.assert_frame_equal(s[["report_a", "report_b"]], exact.similarity_[["report_a", "report_b"]])
    # the other frames do not depend on the regime
    for name in ("units_", "passages_", "report_scores_"):
        pd.testing.assert_frame_equal(getattr(blocked, name), getattr(exact, name), check_exact=True)
    assert blocked.linkage_.shape == (0, 4)


def test_blocked_families_are_average_linkage_of_the_scored_pairs(synth_small, blocked_fits):
    """Beyond the bound the families are average-linkage clusters of the scored pairs (the
    others as cosine 0): with the floor at 0 every scored pair is a row of similarity_, so the
    families are sparse_average_clusters of those rows; where the candidates hold every pair
    of positive cosine they are scipy's average-linkage families of the exact regime."""
    from govtext._linkage import sparse_average_clusters

    corpus, _ = synth_small
    det = ReuseDetector(similarity_max_reports=10, similarity_exact_max_reports=10,
                        similarity_floor=0.0, family_threshold=0.8, **FAST).fit(corpus)
    ids = np.array(corpus.ids, dtype=object)
    pos = {v: k for k, v in enumerate(ids)}
    s = det.similarity_[det.similarity_.cosine > 0]
    assert len(s) > 0
    a = s.report_a.map(pos).to_numpy()
    b = s.report_b.map(pos).to_numpy()
    expect = sparse_average_clusters(len(ids), a, b, s.cosine.to_numpy(), 0.2)
    fam = det.families_.set_index("report_id").loc[ids, "family"].to_numpy()
    assert np.array_equal(fam, expect)
    assert 1 < len(np.unique(fam)) < len(ids)
    # numbered by first member, as in the exact regime
    first = det.families_.drop_duplicates("family").family.tolist()
    assert first == list(range(len(first)))
    # the default cut: the same families as scipy's average linkage over every pair
    every, exact, blocked = blocked_fits
    assert len(blocked.similarity_) < len(every.similarity_)
    pd.testing.assert_frame_equal(blocked.families_, every.families_)
    assert 1 < blocked.families_.family.nunique() < len(ids)
    # single linkage (connected components of the pairs at the cut) would chain them
    import scipy.sparse as sp
    from scipy.sparse.csgraph import connected_components

    close = s[s.cosine >= 0.1]
    graph = sp.csr_matrix((np.ones(len(close)), (close.report_a.map(pos), close.report_b.map(pos))),
                          shape=(len(ids), len(ids)))
    n_comp = connected_components(graph, directed=False)[0]
    assert n_comp < blocked.families_.family.nunique()


def test_blocked_cosines_are_bit_identical_without_the_dense_part(synth_small, monkeypatch):
    """With no BLAS part (every shingle summed sparsely) both regimes add the same products in
    the same order."""
    import govtext.reuse as reuse_mod

    corpus, _ = synth_small
    monkeypatch.setattr(reuse_mod, "_DENSE_DF_DIVISOR", 1)  # no shingle in more than n reports
    every = ReuseDetector(**FAST).fit(corpus)
    blocked = ReuseDetector(similarity_max_reports=10, similarity_exact_max_reports=10,
                            **FAST).fit(corpus)
    m = blocked.similarity_.merge(every.similarity_, on=["report_a", "report_b"])
    assert len(m) == len(blocked.similarity_) > 0
    assert (m["cosine_x"] == m["cosine_y"]).all()


def test_similarity_below_the_bound_is_the_exact_regime(synth_small):
    corpus, _ = synth_small
    n = len(corpus)
    ref = ReuseDetector(similarity_max_reports=10, similarity_exact_max_reports=None, **FAST).fit(corpus)
    at = ReuseDetector(similarity_max_reports=10, similarity_exact_max_reports=n, **FAST).fit(corpus)
    for name in ("similarity_", "families_"):
        pd.testing.assert_frame_equal(getattr(at, name), getattr(ref, name), check_exact=True)
    np.testing.assert_array_equal(at.linkage_, ref.linkage_)
    assert ref.linkage_.shape == (n - 1, 4)
    below = ReuseDetector(similarity_max_reports=10, similarity_exact_max_reports=n - 1,
                          **FAST).fit(corpus)
    assert below.linkage_.shape == (0, 4) and "similarity_candidates" in below.stats_
    # similarity_max_reports wins: every pair needs the exact scan
    every = ReuseDetector(similarity_exact_max_reports=0, **FAST).fit(corpus)
    assert len(every.similarity_) == n * (n - 1) // 2
    assert "similarity_candidates" not in every.stats_


@pytest.mark.parametrize("bad", [-1, 2.5, True, "10"])
def test_similarity_exact_max_reports_is_checked(seeds, bad):
    with pytest.raises(InvalidParameterError,
                       match=r"The 'similarity_exact_max_reports' parameter of ReuseDetector must "
                             r"be an int >= 0 or None"):
        ReuseDetector(similarity_exact_max_reports=bad).fit(seeds[:1])
    assert "similarity_exact_max_reports" in ReuseDetector().get_params()
    assert ReuseDetector().get_params()["similarity_exact_max_reports"] == 10_000


@settings(max_examples=30, deadline=None)
@given(n=st.integers(2, 30), k=st.integers(1, 4), cap=st.integers(2, 6), block=st.integers(1, 40),
       chunk=st.integers(1, 400), seed=st.integers(0, 2**16))
def test_candidate_pairs_are_the_top_k_rare_shingle_partners(n, k, cap, block, chunk, seed):
    """Against a brute force: each report's k partners with the largest product over the
    shingles of document frequency 2..cap (ties: lower index), plus the linked pairs; the row
    blocks do not matter."""
    import scipy.sparse as sp

    import govtext.reuse as reuse_mod

    rng = np.random.default_rng(seed)
    dense = rng.integers(1, 4, size=(n, 12)) * (rng.random((n, 12)) < 0.35)  # integer weights:
    x = sp.csr_matrix(dense.astype(np.float64))                             # exact ties
    linked = np.unique(rng.integers(0, n * n, size=3))
    linked = np.unique(np.minimum(linked // n, linked % n) * n + np.maximum(linked // n, linked % n))
    linked = linked[linked // n != linked % n]
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(reuse_mod, "_SIM_CAND_TOP_K", k)
        mp.setattr(reuse_mod, "_SIM_CAND_MAX_DF", cap)
        mp.setattr(reuse_mod, "_SIM_CAND_BLOCK_ROWS", block)
        mp.setattr(reuse_mod, "_TFIDF_CHUNK", chunk)  # the restricted matrix's row chunks
        got = reuse_mod._candidate_pairs(x, n, linked)
    df = (dense > 0).sum(axis=0)
    r = dense * ((df >= 2) & (df <= cap))
    prod = r @ r.T
    want = set(linked.tolist())
    for i in range(n):
        partners = sorted((j for j in range(n) if j != i and prod[i, j] > 0),
                          key=lambda j: (-prod[i, j], j))[:k]
        want |= {min(i, j) * n + max(i, j) for j in partners}
    assert got.tolist() == sorted(want)


@settings(max_examples=25, deadline=None)
@given(n=st.integers(2, 30), seed=st.integers(0, 2**16))
def test_pair_cosines_equal_the_sparse_product_bit_for_bit(n, seed):
    import scipy.sparse as sp

    from govtext.reuse import _pair_cosines

    rng = np.random.default_rng(seed)
    x = sp.random(n, 50, density=0.3, random_state=rng, format="csr")
    iu, ju = np.triu_indices(n, k=1)
    pick = rng.random(iu.size) < 0.5
    iu, ju = iu[pick].astype(np.int64), ju[pick].astype(np.int64)
    full = (x @ x.T).toarray()
    assert (_pair_cosines(x, iu, ju) == full[iu, ju]).all()


@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 40), n_pass=st.integers(0, 300), chunk=st.sampled_from([1, 3, 64, 1 << 20]),
       seed=st.integers(0, 2**16))
def test_linked_keys_and_key_pairs_are_the_whole_array_formulas(n, n_pass, chunk, seed):
    """The blocked similarity regime lists the passage-linked report pairs and splits pair
    keys chunk by chunk (bounded temporaries): the same keys, pairs and order as the
    whole-array expressions, whatever the chunk; the pairs in int32 while n allows."""
    import govtext.reuse as reuse_mod

    rng = np.random.default_rng(seed)
    ids = [f"r{k:03d}" for k in rng.permutation(n)]
    a, b = rng.integers(0, n, n_pass), rng.integers(0, n, n_pass)
    passages = pd.DataFrame({"report_a": pd.Series([ids[k] for k in a], dtype=object),
                             "report_b": pd.Series([ids[k] for k in b], dtype=object)})
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(reuse_mod, "_LINK_CHUNK", chunk)
        keys = reuse_mod._linked_keys(passages, ids)
        i, j = reuse_mod._key_pairs(keys, n)
    want = np.unique(np.minimum(a, b).astype(np.int64) * n + np.maximum(a, b))
    assert keys.dtype == np.int64 and keys.tolist() == want.tolist()
    assert i.dtype == j.dtype == np.int32
    qi, qj = np.divmod(keys, np.int64(n))
    assert i.tolist() == qi.tolist() and j.tolist() == qj.tolist()
    outside = passages.assign(report_b=pd.Series(["elsewhere"] * n_pass, dtype=object))
    if n_pass:
        with pytest.raises(ValueError, match="outside the corpus"):
            reuse_mod._linked_keys(outside, ids)


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(st.sets(st.integers(0, 30), max_size=12), max_size=15),
       queries=st.lists(st.tuples(st.integers(0, 40), st.integers(0, 31)), max_size=60),
       chunk=st.sampled_from([1, 4, 1 << 20]), seed=st.integers(0, 2**16))
def test_row_helpers_are_the_whole_array_formulas(rows, queries, chunk, seed):
    """The labels count (group, agency) and (group, cohort) keys of the reached-report rows a
    block of rows at a time, and look reports up in the rows by binary search: the same
    keys, counts and answers as ``np.unique``/``np.isin`` over the whole key array."""
    import govtext.reuse as reuse_mod

    rng = np.random.default_rng(seed)
    r_ptr = np.r_[0, np.cumsum([len(r) for r in rows])].astype(np.int64)
    r_s = np.array([x for r in rows for x in sorted(r)], dtype=np.int32)
    table = rng.integers(0, 5, 31)
    span = np.int64(5)
    row_g = np.repeat(np.arange(len(rows), dtype=np.int64), np.diff(r_ptr))
    want_k, want_c = np.unique(row_g * span + table[r_s], return_counts=True)
    want_d = np.bincount(want_k // span, minlength=len(rows))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(reuse_mod, "_LINK_CHUNK", chunk)
        keys, counts = reuse_mod._row_value_counts(r_ptr, r_s, table, span)
        distinct = reuse_mod._distinct_per_row(r_ptr, r_s, table, span)
    assert keys.tolist() == want_k.tolist() and counts.tolist() == want_c.tolist()
    assert keys.dtype == counts.dtype == distinct.dtype == np.int64
    assert distinct.tolist() == want_d.tolist()
    q = [(g, s) for g, s in queries if g < len(rows)]
    g = np.array([x[0] for x in q], dtype=np.int64)
    s = np.array([x[1] for x in q], dtype=np.int64)
    got = reuse_mod._in_rows(g, s, r_ptr, r_s)
    assert got.tolist() == [s_ in rows[g_] for g_, s_ in q]


@settings(max_examples=40, deadline=None)
@given(units=st.lists(st.tuples(st.integers(0, 4), st.integers(0, 60), st.integers(0, 12),
                                st.booleans()), max_size=25),
       spans=st.lists(st.tuples(st.integers(0, 5), st.integers(0, 70), st.integers(0, 20)),
                      max_size=30),
       chunk=st.sampled_from([1, 3, 1 << 20]))
def test_covered_chars_in_chunks_is_brute_force(units, spans, chunk):
    """The characters of each span lying in units with a label (passages take the template
    label from them), computed a chunk of spans at a time: the same sums as overlapping every
    span with every such unit of its report."""
    import govtext.reuse as reuse_mod

    frame = pd.DataFrame({"rep": [u[0] for u in units], "start": [u[1] for u in units],
                          "end": [u[1] + u[2] for u in units],
                          "label": ["template" if u[3] else "own" for u in units]})
    rep = np.array([x[0] for x in spans], dtype=np.int64)
    s = np.array([x[1] for x in spans], dtype=np.int64)
    e = s + np.array([x[2] for x in spans], dtype=np.int64)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(reuse_mod, "_LINK_CHUNK", chunk)
        got = reuse_mod._covered_chars(rep, s, e, frame, "template")
    want = [sum(max(min(e_, u[1] + u[2]) - max(s_, u[1]), 0) for u in units
                if u[3] and u[0] == r_) for r_, s_, e_ in zip(rep, s, e)]
    assert got.dtype == np.int64 and got.tolist() == want


@settings(max_examples=60, deadline=None)
@given(jobs=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 10**6), st.booleans(),
                               st.lists(st.tuples(*[st.integers(0, 10**7)] * 4), max_size=6)),
                     max_size=12))
def test_packed_alignment_jobs_round_trip(jobs):
    """The alignment jobs sent to Dask workers as arrays come back as the same jobs, with the
    same Python types (a related pair may have no anchor spans)."""
    import govtext.reuse as reuse_mod

    packed = reuse_mod._pack_jobs(jobs)
    assert all(isinstance(x, np.ndarray) and x.dtype == np.int64 for x in packed)
    back = reuse_mod._unpack_jobs(packed)
    assert back == jobs
    assert all(type(x) is int for job in back for x in (job[0], job[1], *(v for sp in job[3] for v in sp)))
    assert all(type(job[2]) is bool for job in back)


def test_n_jobs_gives_identical_frames(synth_small):
    corpus, _ = synth_small
    one = ReuseDetector(**FAST).fit(corpus)
    two = ReuseDetector(n_jobs=2, **FAST).fit(corpus)
    assert len(one.passages_) > 0
    for name in ("units_", "pairs_", "clusters_", "passages_", "report_scores_", "similarity_",
                 "families_"):
        pd.testing.assert_frame_equal(getattr(one, name), getattr(two, name), check_exact=True)


@pytest.mark.parametrize("bad", [0, 1.5, "2", True])
def test_n_jobs_is_checked(seeds, bad):
    with pytest.raises(InvalidParameterError, match="'n_jobs' parameter of ReuseDetector"):
        ReuseDetector(n_jobs=bad).fit(seeds)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 9), st.integers(0, 6)), max_size=80))
def test_distinct_per_group_counts_like_pandas(rows):
    from govtext._shingles import _unique
    from govtext.reuse import _distinct_per_group

    g = np.array([r[0] for r in rows], dtype=np.int64)
    v = np.array([r[1] for r in rows], dtype=np.int64)
    want = pd.Series(v).groupby(g).nunique().reindex(range(10)).fillna(0).to_numpy(np.int64)
    assert _distinct_per_group(g, v, 10).tolist() == want.tolist()
    assert _unique(v).tolist() == sorted(set(v.tolist()))


# --------------------------------------------------------------------------------------------
# issue #7: signature lines, weak relations, coverage by one counterpart sentence

_V = "我镇依托便民服务中心设立政务公开专区,开通公开热线电话,设立征求意见箱,方便群众查询办事。"
_V2 = "全年组织政务公开业务培训三次,覆盖全镇各村居信息员和机关工作人员,提升了业务水平。"
_S1 = "甲镇在东风村和红旗村新建信息公开栏十二块,每月更新一次惠农补贴发放名单,接受群众监督。"
_S2 = "甲镇围绕东风水库除险加固工程,公开了项目批复、招标结果和资金使用情况,群众反映良好。"
# an edited copy of _S2 (places renamed, a word added): 5-gram Jaccard 0.40, below 0.5
_E2 = "乙镇围绕白水河道综合治理工程,及时公开了项目批复、招标结果和资金使用情况,群众反映良好。"
# an edited copy of _S1 (names renamed, a phrase changed)
_E1 = "乙镇在青山村和白水村新建信息公开栏十二块,每周公布惠农补贴发放名单,主动接受群众监督。"
# a clause of _S1 and a clause of _S2 in one sentence: neither is a copy of one sentence
_MIX = "乙镇每月更新一次惠农补贴发放名单,公开了项目批复、招标结果和资金使用情况,效果较好。"


def test_signature_lines_are_structure():
    # the issuing body and the date under the report repeat every year: not recycled text
    body = _V + _V2 + "\n甲镇人民政府\n2021年1月5日"
    a = _report("A2020", body, agency="甲镇人民政府", year=2020)
    b = _report("A2021", body.replace("2021年1月5日", "2022年1月6日"),
                agency="甲镇人民政府", year=2021)
    det = ReuseDetector(**FAST).fit([a, b])
    u = det.units_.set_index(["report_id", "text"])["label"]
    for rid in ("A2020", "A2021"):
        assert u[(rid, "甲镇人民政府")] == "heading"
    assert u[("A2020", "2021年1月5日")] == "heading"
    assert u[("A2021", _V)] == "recycled"
    # a narrative sentence naming a body is not a signature
    from govtext.reuse import _SIGNATURE_RE
    assert _SIGNATURE_RE.match("二〇二四年一月二十日")
    assert _SIGNATURE_RE.match("宝长市嘉杨县人民政府2011年1月5日")
    assert not _SIGNATURE_RE.match("如对本报告有任何疑问,请与县人民政府办公室联系。")
    assert not _SIGNATURE_RE.match("本年度主动公开政府信息的主要渠道为政府网站和公开栏和办公室")


def test_weak_matches_relate_reports_sharing_one_matched_unit():
    # one sentence copied verbatim and one heavily edited (Jaccard 0.40 < threshold 0.5): one
    # matched unit is not enough to relate the reports, the edited copy makes a second
    own_a = "甲镇今年重点推进乡村振兴领域信息公开,编印了惠农政策明白纸两千份。"
    own_b = "乙镇结合集镇改造工程,公开了征收补偿标准和安置方案的全部内容。"
    a = _report("A2020", _V + _S2 + own_a, agency="甲镇人民政府", year=2020)
    b = _report("B2021", _V + _E2 + own_b, agency="乙镇人民政府", year=2021)
    off = ReuseDetector(weak_threshold=0.0, **FAST).fit([a, b])
    u = off.units_.set_index(["report_id", "text"])["label"]
    assert u[("B2021", _V)] == "own" and u[("B2021", _E2)] == "own"
    assert not off.passages_["related"].any()
    det = ReuseDetector(**FAST).fit([a, b])
    u = det.units_.set_index(["report_id", "text"])
    assert (u.loc[("B2021", _V), "label"], u.loc[("B2021", _V), "source_report_id"]) == (
        "copied", "A2020")
    assert u.loc[("B2021", _E2), "label"] == "copied"  # aligned in full, covered
    assert u.loc[("B2021", own_b), "label"] == "own"
    assert det.passages_["related"].all()
    assert det.stats_["n_weak_related"] == 1
    # above the weak threshold: not related
    det = ReuseDetector(weak_threshold=0.45, **FAST).fit([a, b])
    assert det.units_.set_index(["report_id", "text"]).loc[("B2021", _V), "label"] == "own"


def test_coverage_needs_one_counterpart_sentence():
    # related reports (two shared sentences); an edited copy of one sentence is copied, a
    # sentence made of clauses of two different sentences of the source stays own
    a = _report("A2020", _V + _S1 + _V2 + _S2, agency="甲镇人民政府", year=2020)
    b = _report("B2021", _V + _MIX + _V2 + _E1, agency="乙镇人民政府", year=2021)
    det = ReuseDetector(**FAST).fit([a, b])
    u = det.units_.set_index(["report_id", "text"])["label"]
    assert u[("B2021", _V)] == "copied" and u[("B2021", _V2)] == "copied"
    assert u[("B2021", _E1)] == "copied"
    assert u[("B2021", _MIX)] == "own"


def test_agency_names_masked_for_matching():
    # a fill-in template naming the agency matches across agencies once the report's own
    # agency name (and its place prefix) is masked, as numbers are
    def contact(name, place):
        return (f"如对本报告有任何疑问,请与{name}党政办联系(地址:{place}文化路12号,"
                f"电话:0371-1234567)。")
    rows = [("甲", "东山县甲镇"), ("乙", "西河县乙乡"), ("丙", "南湖区丙街道")]
    own = ["今年编印了惠农政策明白纸两千份并逐户发放到位。", "结合集镇改造工程公开了征收补偿标准和安置方案。",
           "新增了政策解读专栏并发布图解和视频解读二十余篇。"]
    reports = [_report(k, contact(f"{place}人民政府" if k != "丙" else f"{place}办事处", place)
                       + text, agency=f"{place}人民政府" if k != "丙" else f"{place}办事处",
                       year=2021)
               for (k, place), text in zip(rows, own)]
    det = ReuseDetector(**FAST).fit(reports)
    lab = det.units_.loc[det.units_.text.str.startswith("如对本报告"), "label"]
    assert set(lab) == {"template"}
    assert det.units_.loc[det.units_.text.str.startswith("如对本报告"), "text"].str.contains(
        "东山县甲镇").any()  # the frames keep the text as it is
    det = ReuseDetector(mask_agency=False, **FAST).fit(reports)
    lab = det.units_.loc[det.units_.text.str.startswith("如对本报告"), "label"]
    assert set(lab) == {"own"}


# --------------------------------------------------------------------------------------------
# issue #7, last round: copies sharing no matched sentence (weak_min_shingles), edited copies in
# related reports (edit_similarity), counterparts copied most of (min_coverage), identical
# isolated sentences of three agencies and spread by similar wording only
# (template_min_agencies), self-references masked (mask_agency)

def _labels7(det, rid):
    return det.units_.loc[det.units_.report_id == rid].set_index("text")["label"]


# an edited copy of _S1 (5-gram Jaccard 0.35-0.5 once the names are masked, as _E2 of _S2)
_E1W = "乙镇在青山村和白水村新建信息公开栏十二块,每月更新一次惠农补贴发放名单,主动接受群众监督。"
_OWN_A = "甲镇今年重点推进乡村振兴领域信息公开,编印了惠农政策明白纸两千份。"
_OWN_B = "乙镇结合集镇改造工程,公开了征收补偿标准和安置方案的全部内容。"


# --------------------------------------------------------------------------------------------
# weak_min_shingles: report pairs sharing rare shingles are compared at weak_threshold


def test_rare_shingles_relate_a_copy_sharing_no_matched_unit():
    # B copies two sentences of A, both edited below threshold: no matched unit links A and B
    # (C shares one sentence with A, so the corpus has matches); only their rare shingles do
    a = _report("A2020", _S1 + _OWN_A + _S2 + _V, agency="甲镇人民政府", year=2020)
    b = _report("B2021", _E1W + _OWN_B + _E2, agency="乙镇人民政府", year=2021)
    c = _report("C2020", _V + "丙镇今年编印了惠农政策明白纸两千份并逐户发放到位。",
                agency="丙镇人民政府", year=2020)
    off = ReuseDetector(weak_min_shingles=0, **FAST).fit([a, b, c])
    assert set(off.pairs_["report_a"]) | set(off.pairs_["report_b"]) == {"A2020", "C2020"}
    assert off.stats_["n_weak_related"] == 0
    assert set(_labels7(off, "B2021").drop(["信息公开年报", "一、总体情况"])) == {"own"}
    det = ReuseDetector(**FAST).fit([a, b, c])
    assert det.stats_["n_weak_candidates"] == off.stats_["n_weak_candidates"] + 1
    assert det.stats_["n_weak_related"] == 1
    lab = _labels7(det, "B2021")
    assert lab[_E1W] == "copied" and lab[_E2] == "copied" and lab[_OWN_B] == "own"
    src = det.units_.set_index(["report_id", "text"])["source_report_id"]
    assert src[("B2021", _E2)] == "A2020"
    # more shared rare shingles needed than the pair has: not a candidate
    det = ReuseDetector(weak_min_shingles=10_000, **FAST).fit([a, b, c])
    assert det.stats_["n_weak_related"] == 0


# --------------------------------------------------------------------------------------------
# edit_similarity: heavily edited copies in related reports

# an edited copy whose shingles barely overlap (5-gram Jaccard 0.14) and whose aligned
# passages cover little of it, but whose symbol strings are 0.71 similar
_P = "在东风村和红旗村公开栏张贴惠农补贴名单,同步在镇政府网站公布低保和特困供养人员情况。"
_PE = "在青山村与白水村公开栏公示惠农补贴发放名单,同时在乡政府网站公布低保和特困供养对象情况。"


def test_edit_ratio():
    from govtext.reuse import _edit_ratio, _symbols

    assert _edit_ratio("", "") == 1.0
    assert _edit_ratio("abcd", "abcd") == 1.0
    assert _edit_ratio("abcd", "wxyz") == 0.0
    assert _edit_ratio("abcd", "abxd") == pytest.approx(0.75)
    assert _edit_ratio(_symbols(_P, True), _symbols(_PE, True)) == pytest.approx(0.707, abs=1e-3)


def test_edited_copy_in_related_reports():
    a = _report("A2020", _V + _P + _V2 + _OWN_A, agency="甲镇人民政府", year=2020)
    b = _report("B2021", _V + _PE + _V2 + _OWN_B, agency="乙镇人民政府", year=2021)
    off = ReuseDetector(edit_similarity=0.0, **FAST).fit([a, b])
    assert _labels7(off, "B2021")[_PE] == "own"
    assert off.stats_["n_edited_units"] == 0
    det = ReuseDetector(**FAST).fit([a, b])
    lab = _labels7(det, "B2021")
    assert lab[_PE] == "copied" and lab[_V] == "copied" and lab[_OWN_B] == "own"
    assert det.stats_["n_edited_units"] == 1
    src = det.units_.set_index(["report_id", "text"])["source_report_id"]
    assert src[("B2021", _PE)] == "A2020"
    # the source keeps its own sentence (B is the later report)
    assert _labels7(det, "A2020")[_P] == "own"
    # a stricter similarity: not an edited copy
    det = ReuseDetector(edit_similarity=0.8, **FAST).fit([a, b])
    assert _labels7(det, "B2021")[_PE] == "own"
    # unrelated reports (no shared sentence besides the edited one): nothing to compare with
    a2 = _report("A2020", _P + _OWN_A, agency="甲镇人民政府", year=2020)
    b2 = _report("B2021", _PE + _OWN_B, agency="乙镇人民政府", year=2021)
    det = ReuseDetector(**FAST).fit([a2, b2])
    assert _labels7(det, "B2021")[_PE] == "own"


def test_edited_copy_rule_not_for_recycling():
    # an agency's own sentences of two years share its facts and phrasing: the similar
    # sentence of its earlier report stays own (the verbatim ones are recycled)
    a = _report("A2020", _V + _P + _V2 + _OWN_A, agency="甲镇人民政府", year=2020)
    b = _report("A2021", _V + _PE + _V2 + _OWN_B, agency="甲镇人民政府", year=2021)
    det = ReuseDetector(**FAST).fit([a, b])
    lab = _labels7(det, "A2021")
    assert lab[_PE] == "own" and lab[_V] == "recycled"
    assert det.stats_["n_edited_units"] == 0


# --------------------------------------------------------------------------------------------
# min_coverage: a counterpart sentence copied most of counts, even when it is a small part of
# the unit (a copy may join two sentences of its source into one)

_J = ("乙镇在青山村和白水村新建信息公开栏十二块,每月更新一次惠农补贴发放名单,"
      "围绕白水河道综合治理工程,公开了项目批复、招标结果和资金使用情况,群众反映良好。")


def test_coverage_by_counterparts_copied_most_of():
    a = _report("A2020", _V + _S1 + _OWN_A + _S2 + _V2, agency="甲镇人民政府", year=2020)
    b = _report("B2021", _V + _J + _V2 + _OWN_B, agency="乙镇人民政府", year=2021)
    det = ReuseDetector(edit_similarity=0.0, **FAST).fit([a, b])
    lab = _labels7(det, "B2021")
    assert lab[_J] == "copied" and lab[_OWN_B] == "own"


# --------------------------------------------------------------------------------------------
# template_min_agencies: identical isolated sentences; spread by similar wording only

_T = "我镇严格落实政府信息公开保密审查制度,做到先审查后公开、一事一审,全年未发生失泄密事件。"
_OWN7 = {
    "甲": ("甲镇今年重点推进乡村振兴领域信息公开,编印了惠农政策明白纸两千份。",
           "甲镇开展入户走访宣传,群众对惠农补贴政策的知晓率明显提高。"),
    "乙": ("乙镇结合集镇改造工程,公开了征收补偿标准和安置方案的全部内容。",
           "乙镇在集镇主街新设电子显示屏两块,滚动播放征收补偿政策。"),
    "丙": ("丙镇今年编印了防汛避险明白卡三千张并逐户发放到位。",
           "丙镇在各村卫生室张贴医保报销流程图,方便群众就医报销。"),
    "丁": ("丁镇围绕高标准农田建设项目,公开了项目资金和施工进度情况。",
           "丁镇组织开展政务公开日活动,邀请群众代表走进镇便民服务中心。"),
}


def test_identical_isolated_sentence_of_three_agencies_is_template():
    # three agencies copying a passage from one another (all related) and each holding the
    # same isolated sentence, between their own sentences: the passage is copied, the isolated
    # sentence circulated text
    reps = [_report(f"{k}2020", _V + _V2 + _OWN7[k][0] + _T + _OWN7[k][1], agency=f"{k}镇人民政府",
                    year=2020) for k in "甲乙丙"]
    no_cohort = {"template_min_reports": 10, **FAST}  # the cohort rule off: 3/3 of the year
    det = ReuseDetector(**no_cohort).fit(reps)
    u = det.units_
    assert set(u.loc[u.text == _T, "label"]) == {"template"}
    assert "copied" in set(u.loc[u.text == _V, "label"])
    assert "copied" in set(u.loc[u.text == _V2, "label"])
    # two agencies: below template_min_agencies
    det = ReuseDetector(**no_cohort).fit(reps[:2])
    assert set(det.units_.loc[det.units_.text == _T, "label"]) <= {"copied", "own"}
    # the rule follows template_min_agencies; 0 switches it off with the spread rule
    det = ReuseDetector(template_min_agencies=0, **no_cohort).fit(reps)
    assert "template" not in set(det.units_["label"])


def test_spread_by_similar_wording_needs_one_more_agency():
    # four unrelated agencies, each with its own variant of a sentence (Jaccard >= 0.5 with
    # the others, identical to none): three agencies holding similar wording are not enough
    base = "我镇严格落实政府信息公开保密审查制度,做到先审查后公开、一事一审,全年未发生失泄密事件,保障了政府信息安全。"
    variants = {"甲": base, "乙": base.replace("严格", "认真"), "丙": base.replace("一事一审", "一文一审"),
                "丁": base.replace("保障了", "确保了")}
    no_cohort = {"template_min_reports": 10, **FAST}

    def fit(keys):
        reps = [_report(f"{k}2020", _OWN7[k][0] + variants[k] + _OWN7[k][1],
                        agency=f"{k}镇人民政府", year=2020) for k in keys]
        return ReuseDetector(**no_cohort).fit(reps)

    det = fit("甲乙丙")
    u = det.units_.loc[det.units_.text.isin(variants.values())]
    assert (u["n_agencies"] == 3).all()
    assert set(u["label"]) == {"own"}
    det = fit("甲乙丙丁")
    u = det.units_.loc[det.units_.text.isin(variants.values())]
    assert set(u["label"]) == {"template"}
    # identical wording in three agencies stays template
    reps = [_report(f"{k}2020", _OWN7[k][0] + variants["甲"] + _OWN7[k][1],
                    agency=f"{k}镇人民政府", year=2020) for k in "甲乙丙"]
    det = ReuseDetector(**no_cohort).fit(reps)
    assert set(det.units_.loc[det.units_.text == variants["甲"], "label"]) == {"template"}


# --------------------------------------------------------------------------------------------
# mask_agency: how a report names its own agency


def test_self_references_masked_for_matching():
    a = _report("A2020", "我局" + _V[2:] + _OWN_A, agency="甲县自然资源局", year=2020)
    b = _report("B2020", "我镇" + _V[2:] + _OWN_B, agency="乙镇人民政府", year=2020)
    det = ReuseDetector(**FAST).fit([a, b])
    u = det.units_.set_index("report_id")
    ga = u.loc["A2020"].set_index("text").loc["我局" + _V[2:], "group_id"]
    gb = u.loc["B2020"].set_index("text").loc["我镇" + _V[2:], "group_id"]
    assert ga == gb >= 0  # identical once masked
    det = ReuseDetector(mask_agency=False, **FAST).fit([a, b])
    u = det.units_.set_index("report_id")
    ga = u.loc["A2020"].set_index("text").loc["我局" + _V[2:], "group_id"]
    gb = u.loc["B2020"].set_index("text").loc["我镇" + _V[2:], "group_id"]
    assert ga != gb


# --------------------------------------------------------------------------------------------
# helpers and parameters


def test_fit_in_small_blocks_equals_fit(synth_small, synth_small_fit, monkeypatch):
    """Every memory-bounding block of the pairs and labels steps made tiny (signatures, band
    pairs, duplicate checks, rare-shingle classes, cross-Jaccard index) gives the same frames
    and stats."""
    import govtext._lsh as lsh_mod
    import govtext._minhash as minhash_mod
    import govtext.reuse as reuse_mod

    for mod, name, value in [(lsh_mod, "_SIGNATURE_BLOCK", 23), (lsh_mod, "_CANDIDATE_CHUNK", 64),
                             (minhash_mod, "_CHECK_BLOCK", 17), (reuse_mod, "_RARE_BLOCK", 997),
                             (reuse_mod, "_CROSS_BLOCK", 1500)]:
        monkeypatch.setattr(mod, name, value)
    got = ReuseDetector(**FAST).fit(synth_small[0])
    plain = synth_small_fit
    assert plain.stats_["n_weak_candidates"] > 0
    for name in _FITTED_FRAMES:
        pd.testing.assert_frame_equal(getattr(plain, name), getattr(got, name), check_exact=True)
    drop = {"timings"}
    assert ({k: v for k, v in plain.stats_.items() if k not in drop}
            == {k: v for k, v in got.stats_.items() if k not in drop})


@settings(max_examples=40, deadline=None)
@given(n_rows=st.integers(1, 30), n_reports=st.integers(1, 6), vocab=st.integers(1, 12),
       n_pairs=st.integers(0, 12), block=st.sampled_from([1, 5, 40, 1 << 22]),
       min_jaccard=st.sampled_from([0.0, 0.3, 0.5, 1.0]), seed=st.integers(0, 2**16))
def test_cross_jaccard_in_blocks_is_brute_force(n_rows, n_reports, vocab, n_pairs, block,
                                                min_jaccard, seed):
    """_cross_jaccard (its index built a block of reports at a time) lists, sorted by
    (pair, row_a, row_b), every two rows of the paired reports sharing a column whose Jaccard
    reaches min_jaccard, with their Jaccard; _sub_csr numbers equal hashes equally."""
    import govtext.reuse as reuse_mod
    from govtext._shingles import ShingleSets

    rng = np.random.default_rng(seed)
    row_rep = np.sort(rng.integers(0, n_reports, n_rows))
    rows = [np.unique(rng.integers(0, vocab, rng.integers(1, 6))) for _ in range(n_rows)]
    hashes = [np.sort((r.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(2))
              for r in rows]
    indptr = np.r_[0, np.cumsum([h.size for h in hashes])].astype(np.int64)
    sets = ShingleSets(indptr, np.concatenate(hashes))
    pa = rng.integers(0, n_reports, n_pairs)
    pb = rng.integers(0, n_reports, n_pairs)
    old = (reuse_mod._RARE_BLOCK, reuse_mod._CROSS_BLOCK)
    reuse_mod._RARE_BLOCK = reuse_mod._CROSS_BLOCK = block
    try:
        ip, cols = reuse_mod._sub_csr(sets, np.arange(n_rows))
        k, ra, rb, jac = reuse_mod._cross_jaccard(ip, cols, row_rep, pa, pb, n_reports,
                                                  min_jaccard)
    finally:
        reuse_mod._RARE_BLOCK, reuse_mod._CROSS_BLOCK = old
    np.testing.assert_array_equal(ip, indptr)
    same = cols[:, None] == cols[None, :]
    h = sets.hashes
    assert (same == (h[:, None] == h[None, :])).all()
    want = []
    for q in range(n_pairs):
        for a in np.flatnonzero(row_rep == pa[q]):
            for b in np.flatnonzero(row_rep == pb[q]):
                inter = np.intersect1d(rows[a], rows[b]).size
                jac_ab = inter / np.union1d(rows[a], rows[b]).size
                if inter and jac_ab >= min_jaccard:
                    want.append((q, a, b, jac_ab))
    got = list(zip(k.tolist(), ra.tolist(), rb.tolist(), jac.tolist()))
    assert got == want


def test_pairs_within():
    from govtext.reuse import _pairs_within

    i, j = _pairs_within(np.array([1, 1, 1, 4, 5, 5]))
    assert list(zip(i.tolist(), j.tolist())) == [(0, 1), (0, 2), (1, 2), (4, 5)]
    i, j = _pairs_within(np.array([3]))
    assert i.size == j.size == 0


@pytest.mark.parametrize(("params", "match"), [
    ({"weak_min_shingles": -1}, r"'weak_min_shingles' parameter of ReuseDetector must be an "
                                r"int >= 0. Got -1"),
    ({"weak_min_shingles": 2.5}, r"'weak_min_shingles' parameter .* an int >= 0"),
    ({"edit_similarity": 1.5}, r"'edit_similarity' parameter of ReuseDetector must be a float "
                               r"in \[0.0, 1.0\]. Got 1.5"),
    ({"edit_similarity": "high"}, r"'edit_similarity' parameter"),
])
def test_invalid_parameters_of_issue7_last_round(params, match):
    a = _report("A2020", _V + _OWN_A, agency="甲镇人民政府", year=2020)
    with pytest.raises(InvalidParameterError, match=match):
        ReuseDetector(**params).fit([a])


_FITTED_FRAMES = ("units_", "pairs_", "group_pairs_", "clusters_", "passages_", "report_scores_",
                  "similarity_", "families_")


@pytest.mark.parametrize("cuts", [(0, 60), (0, 1, 2, 60), (0, 17, 17, 40, 60)])
@pytest.mark.parametrize("params", [{}, {"unit": "clause"}, {"fragments": False, "mask_agency": False}])
def test_fit_on_prepared_slices_equals_fit(synth_small, synth_small_fit, cuts, params):
    """The per-report step done slice by slice (as the pipeline's partitions do it, empty
    slices included) gives the frames of a plain fit."""
    corpus, _ = synth_small
    det = ReuseDetector(**FAST, **params)
    plain = synth_small_fit if not params else ReuseDetector(**FAST, **params).fit(corpus)
    similarity = len(cuts) == 5  # the n-grams of the narratives counted in prepare too
    parts = [det.prepare(corpus[a:b], similarity=similarity) for a, b in zip(cuts, cuts[1:])]
    assert [len(x) for x in parts] == [b - a for a, b in zip(cuts, cuts[1:])]
    got = det.fit(corpus, prepared=parts)
    assert len(got.passages_) > 0
    for name in _FITTED_FRAMES:
        pd.testing.assert_frame_equal(getattr(plain, name), getattr(got, name), check_exact=True)


def test_prepared_must_match_corpus_and_params(synth_small):
    corpus, _ = synth_small
    det = ReuseDetector(**FAST)
    head, tail = det.prepare(corpus[:30]), det.prepare(corpus[30:60])
    with pytest.raises(InvalidParameterError, match="not the corpus's 60 in order"):
        det.fit(corpus, prepared=[tail, head])
    with pytest.raises(InvalidParameterError, match="not the corpus's 60 in order"):
        det.fit(corpus, prepared=[head])
    other = ReuseDetector(unit="clause", **FAST)
    with pytest.raises(InvalidParameterError, match="prepared with other parameters"):
        other.fit(corpus, prepared=[head, tail])
    with pytest.raises(InvalidParameterError, match="what ReuseDetector.prepare returns"):
        det.fit(corpus, prepared=[head, "tail"])
    with pytest.raises(InvalidParameterError, match="not the corpus's 60 in order"):
        det.fit(corpus, prepared=[])
    with pytest.raises(InvalidParameterError, match="mixes slices prepared with and without"):
        det.fit(corpus, prepared=[head, det.prepare(corpus[30:60], similarity=True)])
    with pytest.raises(InvalidParameterError, match="'similarity' parameter"):
        det.prepare(corpus, similarity="yes")
    assert det.fit(corpus[:0], prepared=[]).units_.empty  # nothing to prepare


@pytest.mark.parametrize("bad", ["cache", 3, ["a"]])
def test_measures_cache_is_checked(seeds, bad):
    with pytest.raises(InvalidParameterError, match="measures_cache must be None, a mapping"):
        ReuseDetector(**FAST).fit(seeds, measures_cache=bad)


@pytest.mark.parametrize("kind", ["cache entries", "packed units"])
def test_measures_cache_is_used_and_changes_nothing(seeds, monkeypatch, kind):
    """Entries given to fit are used (nothing is tokenised again) and give the same scores:
    report_measures' cache entries (TokenizedReport and rows), or the pipeline's packed units."""
    import govtext.measures as measures_mod
    from govtext.reuse import _tokenize_batch

    plain = ReuseDetector().fit(seeds)
    if kind == "cache entries":
        entries = measures_mod._precompute(list(seeds))
    else:  # two batches, as two partitions give them
        entries = measures_mod._PackedCorpus([_tokenize_batch(list(seeds)[:5]), _tokenize_batch(list(seeds)[5:])])
    calls, tokenised = [], []

    def give():
        calls.append(1)
        return entries

    real = measures_mod._tokenize_one
    monkeypatch.setattr(measures_mod, "_tokenize_one", lambda *a, **k: tokenised.append(1) or real(*a, **k))
    got = ReuseDetector().fit(seeds, measures_cache=give)
    assert calls == [1] and not tokenised
    pd.testing.assert_frame_equal(plain.report_scores_, got.report_scores_, check_exact=True)
    pd.testing.assert_frame_equal(plain.yoy_, got.yoy_, check_exact=True)


@given(st.lists(st.tuples(st.integers(0, 6), st.sampled_from([2008.0, 2019.0, 2020.0, 2024.0, math.nan])),
                min_size=1, max_size=40))
def test_cluster_years_are_the_sorted_distinct_known_years(rows):
    """The vectorised ``years`` column of clusters_ equals the per-group definition."""
    from govtext.reuse import _joined_years

    m = pd.DataFrame(rows, columns=["cluster_id", "yearf"])
    g = m.groupby("cluster_id", sort=True)["yearf"]
    want = g.agg(lambda s: ";".join(str(int(y)) for y in sorted(set(s.dropna()))))
    got = _joined_years(m["cluster_id"].to_numpy(), m["yearf"].to_numpy(), want.index.to_numpy())
    assert got.tolist() == want.tolist()
