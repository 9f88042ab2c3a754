"""Problems and improvement measures: seed passages, the gold file, both scripts, carry-over."""

from __future__ import annotations

from pathlib import Path

import opencc
import pandas as pd
import pytest

from govtext import parse_reports
from govtext.evaluate import statements as score_statements
from govtext.exceptions import InputError, InvalidParameterError
from govtext.statements import (
    CARRY_OVER_COLUMNS,
    MEASURE_CUES,
    PROBLEM_CUES,
    RESPONSE_COLUMNS,
    STATEMENT_COLUMNS,
    Statement,
    carry_over,
    extract_statements,
    read_gold,
    responses,
    similarity,
    statements,
    statements_frame,
)

GOLD = Path(__file__).resolve().parent.parent / "corpora" / "gold" / "statements.csv"
S2T = opencc.OpenCC("s2t")
T2S = opencc.OpenCC("t2s")
T3 = "003_aad2c66ccec4c55e#"


@pytest.fixture(scope="module")
def frame(seeds):
    return extract_statements(seeds)


@pytest.fixture(scope="module")
def gold(seeds):
    return read_gold(GOLD, seeds)


def _texts(report_id, kind, frame):
    sel = frame[(frame.report_id == report_id) & (frame.kind == kind)]
    return sel["text"].tolist()


# -- the seed reports: one row per layout of format.md §8 ---------------------------------------
SEED_CASES = [
    # (report, kind, expected texts: prefixes of the statements in order)
    ("000_6ac03842c3dfdc7c", "problem", ["1.信息公开不及时。在信息公开方面", "2.信息公开不全面。", "3.信息公开不规范。"]),
    ("000_6ac03842c3dfdc7c", "measure", ["1.加强信息公开的及时性。", "2.扩大信息公开的范围。", "3.规范信息公开的格式和表述。",
                                         "4.加强信息公开的监督和反馈。"]),
    ("001_e3992751381c814a", "problem", ["一是政策解读方面。运用音频视频", "二是主动公开内容还需进一步细化。尤其是"]),
    ("001_e3992751381c814a", "measure", ["1.是进一步提高思想认识", "2.细化主动公开内容。", "3.积极与相关站所对接"]),
    ("002_201993b9de74ca40", "problem", ["一是业务人员", "二是信息公开面对社会宣传力度不够;", "三是公开的内容和形式", "四是公开的内容还不够全面"]),
    ("002_201993b9de74ca40", "measure", ["一是完善政府信息公开内容。", "二是提高工作人员业务能力。", "三是推进标准化规范化建设。"]),
    (T3 + "1", "problem", ["对此认识不够", "工作信息公开存在延误现象;", "信息编写不够规范;", "公开的内容还不够全面",
                           "信息的及时性有待提高。"]),
    (T3 + "2", "problem", ["一是部分主动公开的信息内容", "二是信息公开形式还需要进一步丰富"]),
    (T3 + "2", "measure", ["1、继续建立和完善政务信息工作制度。", "2、逐步扩大政务公开范围。", "3、不断完善政务信息工作网络。"]),
    (T3 + "3", "problem", []),
    (T3 + "3", "measure", ["(一)深化政府信息公开内容。", "(二)规范政府信息公开行为。", "(三)加强政府信息公开网站建设。"]),
    (T3 + "4", "problem", ["一是信息员对", "二是公开政府信息的主动性还不够强", "三是公开的内容和形式还不够丰富"]),
    (T3 + "4", "measure", ["一是不断加强对信息员的业务培训和素质提升;", "二是进一步增强", "三是进一步丰富公开内容和形式"]),
    (T3 + "5", "problem", ["政府信息公开工作的宣传工作还不够", "公文类信息属性核定、信息公开工作人员业务培训等方面存在不足",
                           "主动公开范围仍需拓宽", "信息公开的时效性还不够。"]),
    (T3 + "6", "problem", []),
    (T3 + "6", "measure", ["1、切实履行部门工作职责", "2、继续完善主动公开", "3、及时整理信息", "4、继续规范依申请公开"]),
    (T3 + "7", "problem", []),
    (T3 + "7", "measure", []),
    (T3 + "8", "problem", ["网站部分栏目建设仍不够完善", "个别信息更新慢,不能让群众及时了解最新工作动态", "监督力度不够"]),
    (T3 + "8", "measure", ["一是将网站栏目进一步充实和完善", "二是加强学习和培训", "三是切实加强信息收集"]),
    ("004_3cd86ea425926f19", "problem", ["一是制度执行仍存在差距", "二是工作推进不平衡", "三是政务新媒体运维管理缺乏创新举措"]),
    ("004_3cd86ea425926f19", "measure", ["一是加大政务公开督促提醒", "二是以《中华人民共和国政府信息公开条例》为指引", "三是加强政务新媒体账号运维管理"]),
]


@pytest.mark.parametrize(("report_id", "kind", "expected"), SEED_CASES, ids=[f"{c[0][-3:]}-{c[1]}" for c in SEED_CASES])
def test_seed_statements(frame, report_id, kind, expected):
    got = _texts(report_id, kind, frame)
    assert len(got) == len(expected), got
    for text, prefix in zip(got, expected):
        assert text.startswith(prefix), (text, prefix)


@pytest.mark.parametrize(("report_id", "excluded"), [
    ("000_6ac03842c3dfdc7c", "主要从以下几方面开展工作"),
    ("000_6ac03842c3dfdc7c", "但仍存在一些不足"),
    ("001_e3992751381c814a", "主要存在以下问题"),
    ("001_e3992751381c814a", "主要是做好以下几方面工作"),
    ("004_3cd86ea425926f19", "下一步,我区将以更加务实的举措"),
    ("004_3cd86ea425926f19", "存在的问题:"),
    (T3 + "8", "需在今后工作中加以解决"),
    (T3 + "8", "今后,我乡将进一步加强领导"),
    (T3 + "3", "一是加强和完善领导机制"),  # an achievement in 概述, not a statement
    (T3 + "1", "但是仍然存在"),
])
def test_lead_ins_headings_and_achievements_are_not_statements(frame, seeds, report_id, excluded):
    text = seeds[report_id].text
    pos = text.index(excluded)
    rows = frame[frame.report_id == report_id]
    assert not ((rows.start <= pos) & (pos < rows.end)).any()


def test_enumerator_at_start_and_spans_are_exact(frame, seeds):
    for row in frame.itertuples():
        assert seeds[row.report_id].text[row.start:row.end] == row.text
        if row.enumerator:
            assert row.text.startswith(row.enumerator)
        assert row.text == row.text.strip()
        assert not row.text.endswith((",", "、", ":"))


def test_frame_columns_dtypes_and_order(frame, seeds):
    assert list(frame.columns) == STATEMENT_COLUMNS
    for c in ("statement_index", "list_index", "item_index", "start", "end"):
        assert frame[c].dtype == "int64"
    assert set(frame.kind) == {"problem", "measure"}
    assert set(frame.section) <= {"problems", "plans"}
    order = {rid: i for i, rid in enumerate(seeds.ids)}
    keys = list(zip(frame.report_id.map(order), frame.start))
    assert keys == sorted(keys)
    for _rid, grp in frame.groupby("report_id"):
        assert grp.statement_index.tolist() == list(range(len(grp)))
    assert all(isinstance(t, tuple) and t and t[0] == p for t, p in zip(frame.topics, frame.topic))


def test_cues_name_the_phrase(frame):
    cues = frame.groupby(["report_id", "kind"]).cue.first().to_dict()
    assert cues[("004_3cd86ea425926f19", "problem")] == "存在的问题"
    assert cues[("004_3cd86ea425926f19", "measure")] == "下一步"
    assert cues[(T3 + "5", "measure")] == "整改措施"
    assert cues[(T3 + "6", "measure")] == "下步"
    assert cues[(T3 + "4", "measure")] == "改进的措施"


def test_records_and_frame_agree(seeds, frame):
    recs = statements(seeds["004_3cd86ea425926f19"])
    assert all(isinstance(s, Statement) for s in recs)
    again = statements_frame(recs)
    expect = frame[frame.report_id == "004_3cd86ea425926f19"].reset_index(drop=True)
    pd.testing.assert_frame_equal(again, expect)
    assert recs[0].span == (recs[0].start, recs[0].end)
    assert (recs[0].list_index, recs[0].item_index) == (0, 0)
    assert (recs[3].list_index, recs[3].item_index, recs[3].kind) == (1, 0, "measure")


def test_kinds_filter(seeds):
    only = extract_statements(seeds[:3], kinds=["measure"])
    assert set(only.kind) == {"measure"}
    assert len(only) == 10


# -- the gold file -------------------------------------------------------------------------------
def test_gold_file_matches_the_corpus(gold, seeds):
    assert len(gold) == 71
    counts = gold.groupby("kind").size().to_dict()
    assert counts == {"measure": 42, "problem": 29}
    for row in gold.itertuples():
        assert seeds[row.report_id].text[row.start:row.end] == row.text
    # gold items of one report never overlap
    for _rid, grp in gold.sort_values(["report_id", "start"]).groupby("report_id"):
        assert (grp.start.to_numpy()[1:] >= grp.end.to_numpy()[:-1]).all()


def test_extractor_against_gold(frame, gold):
    res = score_statements(frame, gold)
    scores = res.scores.set_index("kind")
    for kind in ("problem", "measure"):
        assert scores.loc[kind, "f1"] >= 0.9, res.errors
        assert 0.8 <= scores.loc[kind, "count_ratio"] <= 1.25


def test_read_gold_rejects_wrong_text(tmp_path, seeds):
    bad = tmp_path / "gold.csv"
    bad.write_text("report_id,kind,start,end,text\n000_6ac03842c3dfdc7c,problem,0,4,不对不对\n", encoding="utf-8")
    with pytest.raises(InputError, match="does not match"):
        read_gold(bad, seeds)
    bad.write_text("report_id,kind,start,end\nx,issue,0,4\n", encoding="utf-8")
    with pytest.raises(InputError, match="kinds"):
        read_gold(bad)
    bad.write_text("report_id,start,end\nx,0,4\n", encoding="utf-8")
    with pytest.raises(InputError, match="columns"):
        read_gold(bad)


# -- both scripts ----------------------------------------------------------------------------------
@pytest.mark.parametrize("index", range(1, 9))
def test_traditional_reports_equal_their_simplified_conversion(seeds, index):
    report = seeds[f"{T3}{index}"]
    assert report.script == "traditional"
    converted = parse_reports(T2S.convert(report.raw), id="converted")[0]
    assert converted.script == "simplified"
    a = [(s.kind, s.text, s.start, s.end, s.enumerator, s.topics) for s in statements(report)]
    b = [(s.kind, s.text, s.start, s.end, s.enumerator, s.topics) for s in statements(converted)]
    assert a == b


HEAD = "某镇2023年政府信息公开工作年度报告\n一、总体情况\n本镇主动公开政府信息28条。\n"
TAIL = "\n六、其他需要报告的事项\n无"
PHRASINGS = [
    # (id, section five, expected (kind initial, text) pairs)
    ("sub-headings 存在问题/改进措施 (金山镇)",
     "五、存在的问题及改进措施\n(一)存在问题\n公开的内容还不够全面;信息更新不够及时。\n(二)改进措施\n1.加强培训。\n2.完善制度。",
     [("p", "公开的内容还不够全面;"), ("p", "信息更新不够及时。"), ("m", "1.加强培训。"), ("m", "2.完善制度。")]),
    ("inline 存在问题:…改进措施:下一步,我局将… (林业局)",
     "五、存在的主要问题及改进情况\n存在问题:宣传力度不够,工作人员业务水平有待提高。改进措施:下一步,我局将加强宣传,加强业务培训。",
     [("p", "宣传力度不够"), ("p", "工作人员业务水平有待提高。"), ("m", "加强宣传"), ("m", "加强业务培训。")]),
    ("薄弱环节 + 我们将从以下三个方面改进 (联安镇)",
     "五、存在的主要问题及改进情况\n我镇还存在一些薄弱环节,一是公开内容不够全面;二是更新不够及时。结合工作中存在的问题和不足,"
     "我们将从以下三个方面改进。一是加强培训;二是完善制度;三是强化监督。",
     [("p", "一是公开内容不够全面;"), ("p", "二是更新不够及时。"), ("m", "一是加强培训;"), ("m", "二是完善制度;"),
      ("m", "三是强化监督。")]),
    ("但也存在如下问题 + 改进的措施",
     "五、存在的问题及改进措施\n但也存在如下问题:一是宣传不够;二是更新不及时。三是形式单一。\n改进的措施:一是加大宣传;二是及时更新。",
     [("p", "一是宣传不够;"), ("p", "二是更新不及时。"), ("p", "三是形式单一。"), ("m", "一是加大宣传;"), ("m", "二是及时更新。")]),
    ("a single problem and a single plan",
     "五、存在的主要问题及改进情况\n存在的主要问题是政策解读形式较为单一。下一步,我镇将丰富解读形式。",
     [("p", "政策解读形式较为单一。"), ("m", "丰富解读形式。")]),
    ("measures-only section with an unnumbered sentence",
     "五、下一步工作措施\n我镇将进一步完善公开制度,加强业务培训,确保信息及时公开。",
     [("m", "进一步完善公开制度"), ("m", "加强业务培训,确保信息及时公开。")]),
    ("a wrap-up after the problems is not a measure",
     "五、存在的主要问题及改进情况\n(一)存在的问题\n一是宣传不够;二是培训较少。以上问题需在今后工作中加以解决。\n(二)改进措施\n一是加大宣传;二是加强培训。",
     [("p", "一是宣传不够;"), ("p", "二是培训较少。"), ("m", "一是加大宣传;"), ("m", "二是加强培训。")]),
    ("no problem stated", "五、存在的主要问题及改进情况\n无。", []),
    ("a denied problem", "五、存在的主要问题及改进情况\n本年度我镇政府信息公开工作未发现问题。", []),
    ("an achievement only", "五、存在的主要问题及改进情况\n本年度我镇政府信息公开工作取得了一定成效。", []),
]


@pytest.mark.parametrize("script", ["simplified", "traditional"])
@pytest.mark.parametrize(("name", "body", "expected"), PHRASINGS, ids=[p[0] for p in PHRASINGS])
def test_phrasings_of_format_section_8(name, body, expected, script):
    text = HEAD + body + TAIL
    if script == "traditional":
        text = S2T.convert(text)
    report = parse_reports(text, id="r")[0]
    got = [(s.kind[0], s.text) for s in statements(report)]
    assert got == expected


def test_custom_cues(seeds):
    report = seeds["004_3cd86ea425926f19"]
    default = statements(report)
    # without the 下一步 cue (and the generic ones) the measures stay problems
    cues = {"measure": [c for c in MEASURE_CUES if c not in ("下一步",) and "将" not in c]}
    changed = statements(report, cues=cues)
    assert [s.kind for s in default].count("measure") == 3
    assert [s.kind for s in changed].count("measure") == 0
    assert PROBLEM_CUES and MEASURE_CUES


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"cues": {"problem": "存在"}}, "sequence of str"),
    ({"cues": {"other": ["x"]}}, "'cues' parameter"),
    ({"cues": {"problem": ["("]}}, "invalid regular expression"),
    ({"lexicon": "topics.json"}, "TopicLexicon"),
])
def test_statements_parameter_errors(seeds, kwargs, match):
    with pytest.raises(InvalidParameterError, match=match):
        statements(seeds[0], **kwargs)


def test_extract_statements_parameter_errors(seeds):
    with pytest.raises(InvalidParameterError, match="'reports' parameter"):
        extract_statements("一、总体情况")
    with pytest.raises(InvalidParameterError, match="'kinds' parameter"):
        extract_statements(seeds, kinds=["issue"])
    with pytest.raises(InvalidParameterError, match="'report' parameter"):
        statements("text")


# -- similarity, carry-over, responses ---------------------------------------------------------
def test_similarity_is_symmetric_and_bounded():
    texts = ["一是宣传力度不够;", "二是信息公开不及时。", "三是公开的内容和形式还不够丰富。"]
    for method in ("tfidf", "jaccard"):
        for clauses in (False, True):
            s = similarity(texts, texts, method=method, clauses=clauses)
            assert s.shape == (3, 3)
            assert ((s >= 0) & (s <= 1 + 1e-9)).all()
            assert abs(s - s.T).max() < 1e-9
            assert abs(s.diagonal() - 1).max() < 1e-9


def test_similarity_parameter_errors():
    with pytest.raises(InvalidParameterError, match="'method' parameter of similarity"):
        similarity(["a"], ["b"], method="cosine")
    with pytest.raises(InvalidParameterError, match="'a' parameter of similarity"):
        similarity("abc", ["b"])
    assert similarity([], ["b"]).shape == (0, 1)


CARRY = pd.DataFrame({
    "report_id": ["z21", "z22", "z22", "z22", "y22", "z24"],
    "kind": ["problem", "problem", "problem", "measure", "problem", "problem"],
    "text": ["一是信息公开面对社会宣传力度不够;", "一是信息公开面对社会宣传力度还不够;", "二是新媒体账号内容单调。",
             "一是加大宣传力度。", "一是信息公开面对社会宣传力度不够;", "一是宣传力度不够。"],
})
META = pd.DataFrame({"report_id": ["z21", "z22", "y22", "z24"], "agency": ["甲镇", "甲镇", None, "甲镇"],
                     "year": [2021, 2022, 2022, 2024]})


def test_carry_over_same_agency_consecutive_years_only():
    out = carry_over(CARRY, META)
    assert list(out.columns) == CARRY_OVER_COLUMNS
    # only 甲镇 2022 has a previous year; y22 has no agency, z24 no 2023 report
    assert out.report_id.tolist() == ["z22", "z22", "z22"]
    rows = out.set_index(["kind", "statement_index"])
    assert bool(rows.loc[("problem", 0), "repeated"])
    assert rows.loc[("problem", 0), "previous_report_id"] == "z21"
    assert not bool(rows.loc[("problem", 1), "repeated"])
    # the measure has no measure of 2021 to repeat
    assert rows.loc[("measure", 2), "previous_statement_index"] == -1
    assert not bool(rows.loc[("measure", 2), "repeated"])
    assert out.similarity.between(0, 1).all()


def test_carry_over_from_reports_metadata(seeds, frame):
    # the seeds hold no agency in consecutive years: nothing to compare, but a well-formed frame
    out = carry_over(frame, seeds)
    assert out.empty and list(out.columns) == CARRY_OVER_COLUMNS


def test_carry_over_parameter_errors():
    with pytest.raises(InvalidParameterError, match="'threshold' parameter of carry_over"):
        carry_over(CARRY, META, threshold=1.5)
    with pytest.raises(InvalidParameterError, match="columns"):
        carry_over(CARRY, META.drop(columns="agency"))
    with pytest.raises(InvalidParameterError, match="'kinds' parameter"):
        carry_over(CARRY, META, kinds="problem")


def test_responses_on_seeds(frame):
    out = responses(frame)
    assert list(out.columns) == RESPONSE_COLUMNS
    assert len(out) == (frame.kind == "problem").sum()
    assert out.similarity.between(0, 1).all()
    row = out.set_index(["report_id", "problem_index"]).loc[("000_6ac03842c3dfdc7c", 0)]
    assert row.measure_text.startswith("1.加强信息公开的及时性")
    assert bool(row.answered)
    # 003#4: each problem is answered by the measure with the same number
    sub = out[out.report_id == T3 + "4"]
    assert [t[:2] for t in sub.measure_text] == ["一是", "二是", "三是"]


def test_responses_without_measures():
    st = pd.DataFrame({"report_id": ["r"], "kind": ["problem"], "text": ["宣传力度不够。"]})
    out = responses(st)
    assert out.measure_index.tolist() == [-1]
    assert out.answered.tolist() == [False]
    assert out.topic_match.tolist() == [False]


def test_extractor_on_the_synthetic_corpus():
    """Statements planted by the synthetic generator (another author's phrasing of §8): the
    generator labels each ``;`` segment of an unnumbered list as one problem where our guideline
    splits its clauses, so problem recall is lower there; nothing is invented."""
    from govtext.datasets import make_synthetic_corpus

    corpus, truth = make_synthetic_corpus(80, random_state=3)
    planted = truth[truth.layer == "statement"].rename(
        columns={"label": "kind", "text_start": "start", "text_end": "end"})
    res = score_statements(extract_statements(corpus), planted)
    scores = res.scores.set_index("kind")
    assert scores.loc["problem", "precision"] >= 0.95
    assert scores.loc["measure", "precision"] >= 0.95
    assert scores.loc["problem", "f1"] >= 0.9
    assert scores.loc["measure", "f1"] >= 0.95
