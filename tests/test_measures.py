"""Tests of govtext.measures: hand-computed literals, properties, the seeds and a synthetic corpus."""

from __future__ import annotations

import math
import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govtext.datasets import make_synthetic_corpus
from govtext.exceptions import GovtextWarning, InputError, InvalidParameterError, NotFittedError
from govtext.measures import (
    MEASURE_COLUMNS,
    NUM_TOKEN,
    SENTENCE_FLAG_COLUMNS,
    YOY_COLUMNS,
    BoilerplateScorer,
    TokenizedReport,
    boilerplate_ngrams,
    report_measures,
    tokenize_reports,
    year_over_year,
)
from govtext.tokenize import Tokenizer

# --------------------------------------------------------------------------------------------
# helpers


def docs(spec: dict[str, list[str]]) -> dict[str, TokenizedReport]:
    """Reports from literal sentences whose tokens are separated by spaces."""
    return {rid: TokenizedReport.from_tokens(rid, [s.split() for s in sents]) for rid, sents in spec.items()}


_TOK = Tokenizer(normalize=False)


def tagged(rid: str, sentences: list[str], headings: list[bool] | None = None) -> TokenizedReport:
    """A report tokenised and tagged by the real tokenizer."""
    pairs = [_TOK.pos_tag(s) for s in sentences]
    return TokenizedReport(rid, tuple(sentences), tuple(tuple(t for t, _ in p) for p in pairs),
                           tuple(tuple(g for _, g in p) for p in pairs),
                           None if headings is None else tuple(headings))


def one_pair(a: list[str], b: list[str], **kw) -> pd.Series:
    meta = pd.DataFrame({"report_id": ["a", "b"], "agency": ["甲镇"] * 2, "year": [2020, 2021]})
    y = year_over_year(docs({"a": a, "b": b}), metadata=meta, **kw)
    assert len(y) == 1
    return y.iloc[0]


# --------------------------------------------------------------------------------------------
# boilerplate: hand-computed

FOUR = {
    "r0": ["本镇 高度 重视 信息 公开", "全年 受理 申请"],
    "r1": ["本镇 高度 重视 信息 公开", "新建 公开 栏"],
    "r2": ["我局 开展 培训", "全年 受理 申请"],
    "r3": ["我局 更新 网站 栏目"],
}


def test_boilerplate_hand_computed():
    # 4 documents, band 0.5 <= n_docs/4 < 0.75: the bigrams found in exactly two documents.
    scorer = BoilerplateScorer(ngram=2, df_low=0.5, df_high=0.75, min_mean_count=None).fit(docs(FOUR))
    assert scorer.ngrams_ == {("本镇", "高度"), ("高度", "重视"), ("重视", "信息"), ("信息", "公开"),
                              ("全年", "受理"), ("受理", "申请")}
    assert scorer.n_documents_ == 4
    s = scorer.score(docs(FOUR)).set_index("report_id")
    # r1: the first sentence (5 words) is flagged, the second (3 words) is not.
    assert s.boilerplate_lsl.to_dict() == {"r0": 1.0, "r1": 5 / 8, "r2": 3 / 6, "r3": 0.0}
    assert s.loc["r1", ["n_units", "n_boilerplate_units", "n_sentences", "n_boilerplate_sentences"]].tolist() == [8, 5, 2, 1]
    table = scorer.ngram_table_
    assert list(table.columns) == ["ngram", "n_docs", "df", "mean_count"]
    assert table.ngram.tolist() == sorted(table.ngram)  # all n_docs == 2: ordered by ngram
    assert set(table.n_docs) == {2} and set(table.df) == {0.5}


def test_boilerplate_drops_ngrams_above_df_high_and_keeps_frequent_ones():
    spec = {f"r{i}": ["信息 公开 工作", f"独有 词{i} 句子"] for i in range(4)}
    spec["r0"] = spec["r0"] + ["重复 短语"] * 20  # in 1 of 4 documents, 20 times: mean 5 per document
    scorer = BoilerplateScorer(ngram=2, min_mean_count=5).fit(docs(spec))
    # 信息 公开 is in all 4 documents (df 1.0 >= 0.75): dropped; 重复 短语 kept by the mean rule.
    assert scorer.ngrams_ == {("重复", "短语")}
    assert scorer.ngram_table_.mean_count.tolist() == [5.0]
    assert BoilerplateScorer(ngram=2, min_mean_count=None).fit(docs(spec)).ngrams_ == frozenset()


@pytest.mark.parametrize(
    ("n_docs", "n_with", "kept"),
    [
        (10, 3, True),  # df = 0.3 = df_low: kept
        (10, 2, False),  # 0.2 < df_low
        (4, 3, False),  # df = 0.75 = df_high: dropped
        (10, 7, True),  # 0.7 < df_high
    ],
)
def test_boilerplate_band_edges(n_docs, n_with, kept):
    spec = {f"r{i:02d}": ["信息 公开" if i < n_with else f"其他 内容{i}"] for i in range(n_docs)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GovtextWarning)
        grams = boilerplate_ngrams(docs(spec), ngram=2, min_mean_count=None)
    assert (("信息", "公开") in grams) is kept


def test_boilerplate_ngrams_stay_within_sentences():
    spec = {f"r{i}": ["甲 乙", "丙 丁"] for i in range(3)} | {f"s{i}": ["戊 己"] for i in range(4)}
    grams = boilerplate_ngrams(docs(spec), ngram=2, min_mean_count=None)
    # 乙 丙 would be in 3 of 7 documents (within the band) if n-grams crossed sentences
    assert grams == {("甲", "乙"), ("丙", "丁"), ("戊", "己")}


def test_mask_numbers_makes_fill_in_templates_match():
    spec = {"r0": ["公开 信息 12 条"], "r1": ["公开 信息 15 条"], "r2": ["其他"], "r3": ["其他 内容"]}
    masked = boilerplate_ngrams(docs(spec), ngram=3, df_low=0.5, min_mean_count=None)
    assert masked == {("公开", "信息", NUM_TOKEN), ("信息", NUM_TOKEN, "条")}
    raw = boilerplate_ngrams(docs(spec), ngram=3, df_low=0.5, min_mean_count=None, mask_numbers=False)
    assert raw == frozenset()


def test_char_units():
    spec = {"r0": ["信息公开 3 条"], "r1": ["信息公开 工作"], "r2": ["培训"], "r3": ["网站"]}
    s = BoilerplateScorer(ngram=4, df_low=0.5, min_mean_count=None, unit="char").fit(docs(spec))
    assert s.ngrams_ == {("信", "息", "公", "开")}
    assert s.score(docs(spec)).set_index("report_id").n_units.to_dict() == {"r0": 6, "r1": 6, "r2": 2, "r3": 2}


def test_small_corpus_warns_and_empty_corpus_raises():
    with pytest.warns(GovtextWarning, match="single document"):
        BoilerplateScorer().fit(docs({"a": ["甲 乙 丙 丁"], "b": ["戊 己 庚 辛"], "c": ["壬"]}))
    with pytest.raises(InputError, match="at least one report"):
        BoilerplateScorer().fit({})


def test_reference_ngrams_apply_to_a_small_corpus():
    scorer = BoilerplateScorer(ngram=2, df_low=0.5, df_high=0.75, min_mean_count=None).fit(docs(FOUR))
    small = docs({"r1": FOUR["r1"]})
    expected = [("r1", 5 / 8)]
    for bp in (scorer, scorer.ngrams_, scorer.ngram_table_, [" ".join(g) for g in scorer.ngrams_]):
        got = report_measures(small, boilerplate=bp)
        assert got[["report_id", "boilerplate_lsl"]].to_records(index=False).tolist() == expected


def test_flag_sentences():
    scorer = BoilerplateScorer(ngram=2, df_low=0.5, df_high=0.75, min_mean_count=None).fit(docs(FOUR))
    f = scorer.flag_sentences(docs(FOUR))
    assert list(f.columns) == SENTENCE_FLAG_COLUMNS
    assert f.loc[f.report_id == "r1", ["text", "n_units", "n_matches", "boilerplate"]].to_records(index=False).tolist() == [
        ("本镇高度重视信息公开", 5, 4, True), ("新建公开栏", 3, 0, False)]


def test_scorer_errors_and_pickle():
    with pytest.raises(NotFittedError, match="not fitted"):
        BoilerplateScorer().score(docs(FOUR))
    with pytest.raises(InvalidParameterError, match="one length"):
        BoilerplateScorer.from_ngrams([("甲", "乙"), ("甲", "乙", "丙")])
    with pytest.raises(InvalidParameterError, match="'ngram' parameter of BoilerplateScorer.from_ngrams"):
        BoilerplateScorer.from_ngrams([("甲", "乙")], ngram=4)
    scorer = BoilerplateScorer(ngram=2, df_low=0.5, min_mean_count=None).fit(docs(FOUR))
    again = pickle.loads(pickle.dumps(scorer))
    pd.testing.assert_frame_equal(again.score(docs(FOUR)), scorer.score(docs(FOUR)))
    assert repr(BoilerplateScorer(ngram=2)) == "BoilerplateScorer(ngram=2)"


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: BoilerplateScorer(ngram=0).fit(docs(FOUR)),
         r"The 'ngram' parameter of BoilerplateScorer.fit must be an int >= 1. Got 0 instead."),
        (lambda: BoilerplateScorer(df_low=1.5).fit(docs(FOUR)), r"'df_low' parameter .* must be a float in \[0, 1\]"),
        (lambda: BoilerplateScorer(df_low=0.8).fit(docs(FOUR)), r"'df_low' parameter .* smaller than 'df_high'"),
        (lambda: BoilerplateScorer(min_mean_count=0).fit(docs(FOUR)), r"'min_mean_count' .* None or a float > 0"),
        (lambda: BoilerplateScorer(unit="byte").fit(docs(FOUR)), r"'unit' parameter .* one of"),
        (lambda: BoilerplateScorer(mask_numbers=1).fit(docs(FOUR)), r"'mask_numbers' parameter .* bool"),
        (lambda: report_measures(docs(FOUR), redundancy_ngram=0), r"'redundancy_ngram' parameter of report_measures"),
        (lambda: report_measures(docs(FOUR), cohort=5), r"'cohort' parameter of report_measures"),
        (lambda: report_measures(docs(FOUR), cohort="year"), r"needs report metadata"),
        (lambda: report_measures(docs(FOUR), tokenizer=object()), r"'tokenizer' parameter of report_measures"),
        (lambda: report_measures("一段文字"), r"'corpus' parameter of report_measures"),
        (lambda: year_over_year(docs(FOUR)), r"needs report metadata"),
        (lambda: year_over_year(docs(FOUR), metadata=pd.DataFrame({"report_id": ["r0"]})), r"Missing \['agency', 'year'\]"),
        (lambda: year_over_year(docs(FOUR), max_gap=0), r"'max_gap' parameter of year_over_year must be an int >= 1"),
        (lambda: year_over_year(docs(FOUR), stickiness_ngram="8"), r"'stickiness_ngram'"),
        (lambda: year_over_year(docs(FOUR), length_degree=-1), r"'length_degree' .* int >= 0"),
        (lambda: TokenizedReport.from_tokens("r", ["一句话"]), r"token lists. Got a str"),
    ],
)
def test_parameter_errors(call, match):
    with pytest.raises(InvalidParameterError, match=match):
        call()


# --------------------------------------------------------------------------------------------
# redundancy, specificity, readability: hand-computed

TEN_A = "一 二 三 四 五 六 七 八 九 十"
TEN_B = "甲 乙 丙 丁 戊 己 庚 辛 壬 癸"


def test_redundancy_hand_computed():
    m = report_measures(docs({"r": [TEN_A, TEN_A, TEN_B]}), boilerplate=[("无", "此")]).iloc[0]
    # one 10-gram per sentence: TEN_A twice, TEN_B once -> 2 of 3 occurrences repeat
    assert m.redundancy == pytest.approx(2 / 3)
    assert m.redundancy_sentences == pytest.approx(2 / 3)
    assert (m.n_tokens, m.n_sentences) == (30, 3)
    short = report_measures(docs({"r": ["甲 乙 丙"]}), boilerplate=[("无", "此")]).iloc[0]
    assert math.isnan(short.redundancy)  # no 10-gram at all


@pytest.mark.parametrize(
    ("text", "numbers", "dates"),
    [
        ("2023年共收到申请3宗,同比增加50%。", 2, 1),
        ("统计时限为2023年1月1日至2023年12月31日。", 0, 2),
        ("1.公开信息12条;(2)办结5件。", 2, 0),  # enumerators 1. and (2) are not numbers
        ("根据国办公开办函〔2021〕30号和国务院令第711号", 0, 0),  # document references
        ("印发《2023年政务公开工作要点》", 0, 0),  # inside a title
        ("电话:0539-2657000,9:30开始", 0, 1),  # a phone number is not a quantity; 9:30 is a time
        ("二〇一三年度共公开信息1,234条", 1, 1),
        ("发布2024-01-22,费用1.5万元", 1, 1),
    ],
)
def test_numbers_and_dates(text, numbers, dates):
    m = report_measures({"r": [[text]]}, boilerplate=[("无", "此")]).iloc[0]
    assert (m.n_numbers, m.n_dates) == (numbers, dates)
    assert m.n_places is pd.NA and math.isnan(m.specificity)  # no tags: no places or organisations


@pytest.mark.parametrize(
    ("text", "places", "orgs"),
    [
        ("请与广元市联系", 1, 0),
        ("广元市人民政府发布通知", 0, 1),  # a place followed by an organisation word: one organisation
        ("依据《中华人民共和国政府信息公开条例》", 0, 0),  # law titles do not count
        ("提高满意度和深度", 0, 0),  # jieba tags 满意度, 深度 as ns: filtered
        ("按照统一安排,镇人民政府开展工作", 0, 0),  # 统一安排 (tagged nt) and an unnamed government
        ("国务院办公厅印发通知", 0, 1),
    ],
)
def test_places_and_organisations(text, places, orgs):
    m = report_measures({"r": tagged("r", [text])}, boilerplate=[("无", "此")]).iloc[0]
    assert (m.n_places, m.n_orgs) == (places, orgs)


def test_specificity_formula():
    text = "2023年广元市共受理申请72件。"  # 17 characters: a date, a place, a number
    m = report_measures({"r": tagged("r", [text])}, boilerplate=[("无", "此")]).iloc[0]
    assert (m.n_chars, m.n_dates, m.n_places, m.n_numbers, m.n_orgs) == (17, 1, 1, 1, 0)
    assert m.specificity == pytest.approx(3 / 17 * 1000)
    assert m.hard_info == pytest.approx(1 / m.n_tokens)


def test_readability_hand_computed():
    tr = TokenizedReport("r", ("进一步加强和完善", "我们公开信息,加强培训。", "一、总体情况"),
                         (("进一步", "加强", "和", "完善"), ("我们", "公开", "信息", ",", "加强", "培训", "。"),
                          ("一", "、", "总体", "情况")),
                         (("d", "v", "c", "v"), ("r", "v", "n", "x", "v", "vn", "x"), ("m", "x", "n", "n")),
                         (False, False, True))
    m = report_measures({"r": tr}, boilerplate=[("无", "此")]).iloc[0]
    # clauses of non-heading sentences: 进一步加强和完善 (8) | 我们公开信息, (6) | 加强培训。 (4)
    assert m.chars_per_clause == pytest.approx(18 / 3)
    # adverbs and conjunctions: 2 of 4 words, then 0 of 5 words; the heading is left out
    assert m.adv_conj_share == pytest.approx((2 / 4 + 0 / 5) / 2)


# --------------------------------------------------------------------------------------------
# year over year: hand-computed, pairing rules, properties


def test_yoy_hand_computed_one_sentence():
    r = one_pair(["甲 乙 丙"], ["甲 乙 丁"], stickiness_ngram=2)
    assert r.cosine == pytest.approx(2 / 3)
    assert r.jaccard == pytest.approx(2 / 4)
    assert r.edit_sim == pytest.approx(1 - 1 / 3)  # one substitution over 3 words
    assert r.diff_sim == pytest.approx(0.0)  # the only sentence changed: 3 + 3 changed words of 6
    assert r.stickiness == pytest.approx(1 / 2)  # 甲乙 carried over, 乙丁 not
    assert r.stickiness_sentences == 0.0
    assert not r.identical
    assert r.modification == pytest.approx(1 / 3)


def test_yoy_hand_computed_two_sentences():
    r = one_pair(["甲 乙", "丙 丁 戊"], ["甲 乙", "己"], stickiness_ngram=2)
    assert r.cosine == pytest.approx(2 / math.sqrt(5 * 3))
    assert r.jaccard == pytest.approx(2 / 6)
    assert r.edit_sim == pytest.approx(1 - 3 / 5)  # 1 substitution + 2 deletions
    assert r.diff_sim == pytest.approx(1 - (3 + 1) / (5 + 3))
    assert r.stickiness == pytest.approx(1.0)  # b's only bigram 甲乙 is in a
    assert r.stickiness_sentences == pytest.approx(1 / 2)
    assert (r.n_tokens_from, r.n_tokens_to) == (5, 3)


def test_yoy_numbers_masked_unless_asked():
    a, b = ["主动 公开 信息 12 条"], ["主动 公开 信息 15 条"]
    assert one_pair(a, b).identical
    r = one_pair(a, b, mask_numbers=False)
    assert not r.identical and r.edit_sim == pytest.approx(0.8)


def test_yoy_pairing_rules():
    spec = {k: ["甲 乙 丙"] for k in ["x19", "x20", "x22", "y20a", "y20b", "y21", "z21", "n21"]}
    meta = pd.DataFrame({
        "report_id": ["x19", "x20", "x22", "y20a", "y20b", "y21", "z21", "n21"],
        "agency": ["X", "X", "X", "Y", "Y", "Y", "Z", None],
        "year": [2019, 2020, 2022, 2020, 2020, 2021, 2021, 2021],
    })
    y = year_over_year(docs(spec), metadata=meta)
    assert list(y.columns) == YOY_COLUMNS
    assert y[["agency", "report_from", "report_to", "year_from", "year_to"]].to_records(index=False).tolist() == [
        ("X", "x19", "x20", 2019, 2020), ("Y", "y20a", "y21", 2020, 2021), ("Y", "y20b", "y21", 2020, 2021)]
    y = year_over_year(docs(spec), metadata=meta, max_gap=None, stickiness_ngram=2)
    assert ("x20", "x22") in set(zip(y.report_from, y.report_to))
    assert y.identical.all() and (y[["cosine", "jaccard", "edit_sim", "diff_sim", "stickiness"]] == 1).all().all()
    assert y.modification_adj.isna().all()  # fewer rows than length_degree + 2
    assert y.dtypes.to_dict()["year_to"] == np.dtype("int64")


def test_modification_adj_residualises_on_length():
    spec, rows = {}, []
    for i in range(8):
        words = [f"词{j}" for j in range(5 + 3 * i)]
        spec[f"a{i}"] = [" ".join(words)]
        spec[f"b{i}"] = [" ".join(words[: len(words) - 1 - i % 3] + ["新"])]
        rows += [(f"a{i}", f"机关{i}", 2020), (f"b{i}", f"机关{i}", 2021)]
    meta = pd.DataFrame(rows, columns=["report_id", "agency", "year"])
    y = year_over_year(docs(spec), metadata=meta, length_degree=1)
    x = y.n_tokens_to.to_numpy(float)
    assert np.isfinite(y.modification_adj).all()
    assert abs(np.corrcoef(x, y.modification_adj)[0, 1]) < 1e-9  # no linear length trend left
    assert y.modification_adj.sum() == pytest.approx(0, abs=1e-12)


sentence = st.lists(st.sampled_from(list("甲乙丙丁戊己")), min_size=1, max_size=6).map(" ".join)
report = st.lists(sentence, min_size=1, max_size=5)


@settings(max_examples=60, deadline=None)
@given(report, report)
def test_yoy_properties(a, b):
    meta = pd.DataFrame({"report_id": ["a", "b", "b2", "a2"], "agency": ["X", "X", "Y", "Y"],
                         "year": [2020, 2021, 2020, 2021]})
    y = year_over_year(docs({"a": a, "b": b, "b2": b, "a2": a}), metadata=meta, stickiness_ngram=2)
    fwd, back = y.set_index("agency").loc["X"], y.set_index("agency").loc["Y"]
    cols = ["cosine", "jaccard", "edit_sim", "diff_sim", "stickiness_sentences"]
    vals = fwd[cols + ["stickiness"]].dropna()
    assert ((vals >= 0) & (vals <= 1 + 1e-12)).all()
    for c in ["cosine", "jaccard", "edit_sim"]:
        assert fwd[c] == pytest.approx(back[c])
    same = year_over_year(docs({"a": a, "b": a}), metadata=meta.iloc[:2], stickiness_ngram=2).iloc[0]
    assert same.identical
    assert same[cols].tolist() == pytest.approx([1.0] * len(cols))


@settings(max_examples=40, deadline=None)
@given(st.lists(report, min_size=1, max_size=6))
def test_report_measures_properties(reports):
    d = docs({f"r{i}": r for i, r in enumerate(reports)})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GovtextWarning)
        m = report_measures(d, ngram=2, redundancy_ngram=2)
    for c in ["boilerplate_lsl", "redundancy", "redundancy_sentences"]:
        v = m[c].dropna()
        assert ((v >= 0) & (v <= 1)).all()
    assert m.report_id.tolist() == sorted(d)


# --------------------------------------------------------------------------------------------
# the seed reports


@pytest.fixture(scope="module")
def seed_cache(seeds):
    cache: dict = {}
    tokenize_reports(seeds, cache=cache)
    return cache


@pytest.fixture(scope="module")
def seed_measures(seeds, seed_cache):
    return report_measures(seeds, cache=seed_cache)


def test_seed_measures_frame(seeds, seed_measures):
    m = seed_measures
    assert list(m.columns) == MEASURE_COLUMNS
    assert m.report_id.tolist() == sorted(seeds.ids)
    assert m.n_places.dtype == "Int64" and m.n_tokens.dtype == "int64" and m.redundancy.dtype == "float64"
    assert m.boilerplate_lsl.between(0, 1).all()
    assert (m.n_chars < [len(r.text) for r in sorted(seeds, key=lambda r: r.id)]).all()  # tables excluded


def test_seed_specificity_order(seed_measures):
    m = seed_measures.set_index("report_id")
    # 广元市利州区 2023 reports its figures in prose (5656 items, 922 items, ...): the most specific,
    # most numeric report; the 2013 town report #6 is prose-only with no figure at all.
    assert m.specificity.idxmax() == "004_3cd86ea425926f19"
    assert m.hard_info.idxmax() == "004_3cd86ea425926f19"
    assert m.n_numbers["004_3cd86ea425926f19"] >= 40
    assert m.loc["003_aad2c66ccec4c55e#6", "n_numbers"] == 0
    assert m.specificity.idxmin() == "003_aad2c66ccec4c55e#6"


def test_seed_boilerplate_is_the_format_wording(seeds, seed_cache):
    scorer = BoilerplateScorer().fit(seeds, cache=seed_cache)
    assert scorer.n_documents_ == 12
    # 存在的主要问题 opens part 五 in 8 of the 12 reports (all 2008-2023 formats)
    row = scorer.ngram_table_.iloc[0]
    assert (row.ngram, row.n_docs) == ("存在 的 主要 问题", 8)
    f = scorer.flag_sentences(seeds, cache=seed_cache)
    by_heading = f.groupby("heading").boilerplate.mean()
    assert by_heading[True] > 3 * by_heading[False]  # mandated headings, not the prose
    # most of the eight 2013 reports of one compilation (5 of 8) have a flagged 2008-format heading
    f13 = f[f.report_id.str.startswith("003") & f.heading & f.boilerplate]
    assert f13.report_id.nunique() >= 5


def test_seed_small_subset_needs_a_reference(seeds, seed_cache):
    with pytest.warns(GovtextWarning, match="single document"):
        report_measures(seeds[:2], cache=seed_cache)
    ref = BoilerplateScorer().fit(seeds, cache=seed_cache)
    full = ref.score(seeds, cache=seed_cache).set_index("report_id").boilerplate_lsl
    small = report_measures(seeds[:2], boilerplate=boilerplate_ngrams(seeds, cache=seed_cache), cache=seed_cache)
    assert small.set_index("report_id").boilerplate_lsl.to_dict() == full.iloc[:2].to_dict()


def test_seed_cohorts(seeds, seed_cache):
    with pytest.warns(GovtextWarning, match="4 report"):
        m = report_measures(seeds, cohort="year", min_cohort_size=5, cache=seed_cache)
    is13 = m.report_id.str.startswith("003")
    assert m.loc[is13, "boilerplate_lsl"].notna().all() and m.loc[~is13, "boilerplate_lsl"].isna().all()


def test_small_cohorts_scored_against_the_corpus(seeds, seed_cache):
    """small_cohorts="corpus": the four reports outside the 2013 cohort get the score the whole-corpus
    band gives them; the 2013 cohort keeps its own band."""
    with pytest.warns(GovtextWarning, match="4 report.*scored against the whole corpus"):
        m = report_measures(seeds, cohort="year", min_cohort_size=5, small_cohorts="corpus", cache=seed_cache)
    with pytest.warns(GovtextWarning):
        nan = report_measures(seeds, cohort="year", min_cohort_size=5, cache=seed_cache)
    whole = report_measures(seeds, cache=seed_cache).set_index("report_id").boilerplate_lsl
    m, nan = m.set_index("report_id").boilerplate_lsl, nan.set_index("report_id").boilerplate_lsl
    is13 = m.index.str.startswith("003")
    assert m[~is13].notna().all()
    pd.testing.assert_series_equal(m[~is13], whole[~is13])
    pd.testing.assert_series_equal(m[is13], nan[is13])
    # a corpus smaller than min_cohort_size has no band to fall back on
    with pytest.warns(GovtextWarning, match="NaN"):
        tiny = report_measures(seeds[:4], cohort="year", min_cohort_size=5, small_cohorts="corpus", cache=seed_cache)
    assert tiny.boilerplate_lsl.isna().all()
    with pytest.raises(InvalidParameterError, match="'small_cohorts' parameter of report_measures"):
        report_measures(seeds, small_cohorts="drop", cache=seed_cache)


def test_seed_cache_reuse_and_invalidation(seeds, seed_cache):
    cache = dict(seed_cache)
    first = tokenize_reports(seeds, cache=cache)
    assert all(first[k] is seed_cache[k] for k in first)  # reused, not recomputed
    stop = tokenize_reports(seeds[:1], tokenizer=Tokenizer(normalize=False, stopwords="default"), cache=cache)
    rid = seeds[0].id
    assert cache[rid] is stop[rid] is not seed_cache[rid]  # another tokenizer: recomputed and replaced
    assert sum(map(len, stop[rid].tokens)) < sum(map(len, seed_cache[rid].tokens))


def test_seed_yoy_has_no_pairs(seeds, seed_cache):
    # every seed report is a different agency (or an unknown one, skipped)
    y = year_over_year(seeds, cache=seed_cache)
    assert list(y.columns) == YOY_COLUMNS and len(y) == 0


# --------------------------------------------------------------------------------------------
# a synthetic corpus with planted recycling


@pytest.fixture(scope="module")
def synth():
    corpus, truth = make_synthetic_corpus(120, random_state=0)
    cache: dict = {}
    tokenize_reports(corpus, cache=cache)
    return corpus, truth, cache


def test_synthetic_recycled_reports_are_stickier(synth):
    corpus, truth, cache = synth
    meta = pd.DataFrame([{"report_id": r.id, "agency": r.meta["agency"], "year": r.meta["year"]} for r in corpus])
    y = year_over_year(corpus, metadata=meta, cache=cache)
    assert len(y) > 50
    recycled = y.report_to.isin(truth.loc[truth.label == "recycled", "report_id"])
    assert recycled.sum() >= 10 and (~recycled).sum() >= 10
    for col in ["stickiness", "stickiness_sentences", "jaccard", "edit_sim", "diff_sim", "cosine"]:
        assert y.loc[recycled, col].mean() > y.loc[~recycled, col].mean(), col
    # not only on average: the typical recycled report carries over more than 3/4 of the others
    assert y.loc[recycled, "stickiness"].median() > y.loc[~recycled, "stickiness"].quantile(0.75)


def test_synthetic_default_metadata_pairs_are_right(synth):
    corpus, _, cache = synth
    y = year_over_year(corpus, cache=cache)  # agency and year read from the texts
    true_agency = {r.id: r.meta["agency"] for r in corpus}
    true_year = {r.id: r.meta["year"] for r in corpus}
    assert len(y) > 40
    assert all(true_agency[a] == true_agency[b] for a, b in zip(y.report_from, y.report_to))
    assert all(true_year[b] - true_year[a] == 1 for a, b in zip(y.report_from, y.report_to))


def test_synthetic_report_measures(synth):
    corpus, _, cache = synth
    m = report_measures(corpus, cache=cache)
    assert len(m) == len(corpus) and m.boilerplate_lsl.notna().all()
    # template passages make up about 30 % of the narrative: most reports have some boilerplate
    assert (m.boilerplate_lsl > 0.1).mean() > 0.9


def test_tokenize_batched_equals_sentence_by_sentence(seeds):
    """The batched tagging of a govtext Tokenizer equals pos_tag called sentence by sentence."""

    class PerSentence(Tokenizer):  # overriding pos_tag turns the batch path off
        def pos_tag(self, text):
            return super().pos_tag(text)

    reports = list(seeds)[:4]
    fast = tokenize_reports(reports, tokenizer=Tokenizer(normalize=False))
    slow = tokenize_reports(reports, tokenizer=PerSentence(normalize=False))
    for rid, tr in fast.items():
        other = slow[rid]
        assert (tr.sentences, tr.tokens, tr.tags, tr.headings, tr.sections, tr.statements) == (
            other.sentences, other.tokens, other.tags, other.headings, other.sections, other.statements)
    assert any(tr.statements for tr in fast.values())


def test_precomputed_rows_are_what_report_measures_computes():
    """The reuse stage's workers fill the cache with _precompute: the same frame results."""
    from govtext.datasets import load_seeds
    from govtext.measures import _precompute, report_measures

    seeds = list(load_seeds())
    plain = report_measures(seeds)
    cache = _precompute(seeds)
    assert sum(isinstance(k, tuple) for k in cache) == len(seeds)
    pre = report_measures(seeds, cache=cache)
    pd.testing.assert_frame_equal(plain, pre, check_exact=True)
    # a row computed under other parameters is not used
    other = report_measures(seeds, cache=dict(cache), redundancy_ngram=5)
    pd.testing.assert_frame_equal(other, report_measures(seeds, redundancy_ngram=5), check_exact=True)
    assert not plain["redundancy"].equals(other["redundancy"])


def test_int32_sentence_numbers_give_the_int64_measures(synth, monkeypatch):
    """The units' sentence numbers are int32 (the boilerplate fit holds every report's units
    at once): widened back to int64, the former dtype, the measures are the same."""
    import govtext.measures as measures_mod

    corpus, _, cache = synth
    tr = cache[corpus[0].id]
    assert measures_mod._units(tr).sid.dtype == np.int32
    meta = pd.DataFrame([{"report_id": r.id, "agency": r.meta["agency"], "year": r.meta["year"]} for r in corpus])
    got = report_measures(corpus, cache=dict(cache)), year_over_year(corpus, metadata=meta, cache=cache)
    narrow = measures_mod._units

    def wide(*args, **kwargs):
        u = narrow(*args, **kwargs)
        u.sid = u.sid.astype(np.int64)
        return u

    monkeypatch.setattr(measures_mod, "_units", wide)
    want = report_measures(corpus, cache=dict(cache)), year_over_year(corpus, metadata=meta, cache=cache)
    for g, w in zip(got, want):
        pd.testing.assert_frame_equal(g, w, check_exact=True)


def test_yoy_units_are_built_once_per_report(synth, monkeypatch):
    """year_over_year drops a report's units once its agency's pairs are done (the pairs come
    agency by agency): no report's units are built twice, and the frame is the same."""
    import govtext.measures as measures_mod

    corpus, _, cache = synth
    meta = pd.DataFrame([{"report_id": r.id, "agency": r.meta["agency"], "year": r.meta["year"]} for r in corpus])
    want = year_over_year(corpus, metadata=meta, cache=cache)
    calls: list[str] = []
    narrow = measures_mod._units

    def counted(tr, *args, **kwargs):
        calls.append(tr.report_id)
        return narrow(tr, *args, **kwargs)

    monkeypatch.setattr(measures_mod, "_units", counted)
    got = year_over_year(corpus, metadata=meta, cache=cache)
    assert len(got) > 40 and len(calls) == len(set(calls)) > 40
    pd.testing.assert_frame_equal(got, want, check_exact=True)


# --------------------------------------------------------------------------------------------
# packed units: what the reuse stage's measures hold per report instead of its tokens


def test_packed_units_are_the_units_of_the_tokens(synth):
    """Each report's unpacked units equal those computed from its tokens (hashes, sentence
    numbers, offsets, headings, dtypes), and its row is report_measures' precomputed row."""
    from govtext.measures import _pack_reports, _precompute, _units

    corpus, _, cache = synth
    reports = list(corpus)[:40]
    batch = _pack_reports(reports)
    assert batch.ids == tuple(r.id for r in reports)
    rows = _precompute(reports)
    for i, r in enumerate(reports):
        want, got = _units(cache[r.id]), batch.units(i)
        assert got.words is None
        for name in ("h", "sid", "offsets", "heading"):
            a, b = getattr(want, name), getattr(got, name)
            assert a.dtype == b.dtype and np.array_equal(a, b), name
        assert batch.rows[i] == next(v for k, v in rows.items() if isinstance(k, tuple) and k[1] == r.id)


@pytest.mark.parametrize("cohort", [None, ["year"], ["year", "level"]])
@pytest.mark.parametrize("small", ["nan", "corpus"])
def test_measures_of_packed_batches_equal_the_measures_of_reports(synth, cohort, small):
    """report_measures and year_over_year take packed batches (any cut into batches) instead
    of reports: the same frames, to the bit."""
    from govtext.measures import _pack_reports, _PackedCorpus

    corpus, _, cache = synth
    reports = list(corpus)
    meta = corpus.to_frame()[["report_id", "agency", "year", "level"]].astype(object)
    packed = _PackedCorpus([_pack_reports(reports[a:b]) for a, b in ((0, 7), (7, 60), (60, len(reports)))])
    assert len(packed) == len(reports) and not packed.missing
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GovtextWarning)
        want = report_measures(corpus, cohort=cohort, small_cohorts=small, metadata=meta, cache=dict(cache))
        got = report_measures(packed, cohort=cohort, small_cohorts=small, metadata=meta)
    pd.testing.assert_frame_equal(want, got, check_exact=True)
    if cohort is None or small == "corpus":  # (120 reports: every year-level cohort is small)
        assert got["boilerplate_lsl"].notna().sum() > len(reports) // 2
    yoy_want = year_over_year(corpus, metadata=meta, cache=dict(cache))
    yoy_got = year_over_year(packed, metadata=meta)
    assert len(yoy_got) > 0
    pd.testing.assert_frame_equal(yoy_want, yoy_got, check_exact=True)


def test_packed_corpus_keeps_the_wanted_reports_and_names_the_missing(seeds):
    from govtext.measures import _pack_reports, _PackedCorpus

    reports = list(seeds)
    batch = _pack_reports(reports[:3])
    packed = _PackedCorpus([batch], [r.id for r in reports[1:5]])
    assert list(packed) == [r.id for r in reports[1:3]]
    assert packed.missing == sorted(r.id for r in reports[3:5])
    with pytest.raises(InputError, match="in two batches"):
        _PackedCorpus([batch, _pack_reports(reports[2:4])])


@pytest.mark.parametrize(("call", "match"), [
    (lambda p: report_measures(p, redundancy_ngram=5), "measured with redundancy_ngram=10"),
    (lambda p: report_measures(p, mask_numbers=False), "mask_numbers=True"),
    (lambda p: year_over_year(p, mask_numbers=False, metadata=None), "mask_numbers=True|metadata"),
    (lambda p: report_measures(p, tokenizer=Tokenizer(normalize=False)), "tokenizer' parameter must be None"),
    (lambda p: BoilerplateScorer().fit(p), "only report_measures and year_over_year"),
    (lambda p: BoilerplateScorer.from_ngrams([("主动", "公开")]).flag_sentences(p), "only report_measures"),
])
def test_packed_corpus_refuses_what_it_cannot_give(seeds, call, match):
    """Packed units are word units of the default tokenizer with the batch's parameters:
    asking for anything else is an error, not a silently different measure."""
    from govtext.measures import _pack_reports, _PackedCorpus

    packed = _PackedCorpus([_pack_reports(list(seeds)[:4])])
    with pytest.raises(InvalidParameterError, match=match):
        call(packed)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.lists(st.sampled_from("甲乙丙丁戊己庚"), min_size=0, max_size=9), min_size=1, max_size=4),
                min_size=1, max_size=12),
       st.integers(1, 4), st.sampled_from([0.2, 0.3, 0.5]), st.sampled_from([0.6, 0.75, 1.0]))
def test_fit_keys_keeps_the_keys_fit_finds(doc_sents, n, lo, hi):
    """The keys-only fit (used where the words are not held) keeps exactly the n-grams fit keeps."""
    from govtext.measures import _units

    toks = {f"r{i}": TokenizedReport.from_tokens(f"r{i}", sents) for i, sents in enumerate(doc_sents)}
    units = {rid: _units(tr) for rid, tr in sorted(toks.items())}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GovtextWarning)
        full = BoilerplateScorer(ngram=n, df_low=lo, df_high=hi)._fit_units(units, "t")
        keys = BoilerplateScorer(ngram=n, df_low=lo, df_high=hi)._fit_keys(iter(units.values()), len(units), "t")
    assert keys.keys_.dtype == full.keys_.dtype == np.uint64
    assert np.array_equal(keys.keys_, full.keys_)
