"""Sections: canonical keys and headings on the seeds, heading variants, tiling, robustness."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import govtext
from govtext.exceptions import GovtextError, InvalidParameterError
from govtext.normalize import normalize_text
from govtext.sections import (
    SECTION_KEYS,
    SECTIONS_COLUMNS,
    Section,
    find_sections,
    section_at,
    sections_frame,
    split_sections,
)

# -- the seeds: every top-level heading, keyed ------------------------------------------------

SEED_TOP = {
    "000_6ac03842c3dfdc7c": [
        ("preamble", ""),
        ("overview", "一、总体情况"),
        ("requests", "三、收到和处理政府信息公开申请情况"),
        ("appeals", "四、政府信息公开行政复议、行政诉讼情况"),
        ("problems", "五、存在的主要问题及改进情况"),
        ("other", "六、其他需要报告的事项"),
    ],
    "001_e3992751381c814a": [
        ("preamble", ""),
        ("overview", "一、总体情况"),
        ("proactive", "二、主动公开政府信息情况"),
        ("requests", "三、收到和处理政府信息公开申请情况"),
        ("appeals", "四、政府信息公开行政复议、行政诉讼情况"),
        ("problems", "五、存在的主要问题及改进情况"),
        ("other", "六、其他需要报告的事项"),
        ("closing", ""),
    ],
    "002_201993b9de74ca40": [
        ("preamble", ""),
        ("overview", "一、总体情况"),
        ("proactive", "二、主动公开政府信息的情况"),
        ("requests", "三、收到和处理政府信息公开申请情况"),
        ("appeals", "四、政府信息公开行政复议、行政诉讼情况"),
        ("problems", "五、存在的主要问题及改进情况"),
        ("other", "六、其他需要报告的事项"),
        ("closing", ""),
    ],
    "003_aad2c66ccec4c55e#1": [
        ("overview", "一、概述"),
        ("proactive", "二、主动公开政府信息的情况"),
        ("requests", "三、依申请公开政府信息办理情况"),
        ("fees", "四、政府信息公开的收费及减免情况"),
        ("appeals", "五、因政府信息公开申请行政复议、提起行政诉讼的情况"),
        ("problems", "六、政府信息公开工作存在的主要问题及改进情况"),
    ],
    "003_aad2c66ccec4c55e#2": [
        ("overview", "一、概述"),
        ("proactive", "二、主动公开政府信息情况"),
        ("requests", "三、政府信息依申请公开的情况"),
        ("fees", "四、政府信息公开收费及减免情况"),
        ("appeals", "五、因政府信息公开申请行政复议、提起行政诉讼的情况"),
        ("problems", "六、存在的主要问题和改进措施"),
    ],
    "003_aad2c66ccec4c55e#3": [
        ("overview", "一、概述"),
        ("unknown", "二、政府信息公开情况"),
        ("unknown", "三、政府信息公开方式"),
        ("unknown", "四、政府信息公开重点内容及落实情况"),
        ("unknown", "五、政府信息公开工作监督情况"),
        ("plans", "六、下一步工作措施"),
    ],
    "003_aad2c66ccec4c55e#4": [
        ("preamble", ""),
        ("unknown", "一、健全组织、落实责任"),
        ("unknown", "二、完善制度,长效运行"),
        ("unknown", "三、强化培训,提升能力"),
        ("unknown", "四、政府信息公开情况"),
        ("problems", "五、政府信息公开工作存在的问题及改进措施"),
    ],
    "003_aad2c66ccec4c55e#5": [
        ("overview", "一、概述"),
        ("proactive", "二、主动公开政府信息情况"),
        ("requests", "三、政府依申请公开政府信息"),
        ("fees", "四、政府信息公开的收费及减免情况"),
        ("appeals", "五、因政府信息公开申请行政复议、提起行政诉讼的情况"),
        ("problems", "六、政府信息公开工作存在的主要问题及改进措施"),
        ("other", "七、其他需要报告的事项"),
    ],
    "003_aad2c66ccec4c55e#6": [
        ("preamble", ""),
        ("unknown", "一、提高思想认识,强化组织领导"),
        ("unknown", "二、完善工作制度,强化规范化建设"),
        ("unknown", "三、广泛接受监督,打造服务型政府"),
        ("plans", "四、下步工作的努力方向"),
    ],
    "003_aad2c66ccec4c55e#7": [
        ("overview", "一、概述"),
        ("proactive", "二、主动公开情况"),
    ],
    "003_aad2c66ccec4c55e#8": [
        ("preamble", ""),
        ("overview", "一、概述"),
        ("proactive", "二、主动公开政府信息情况"),
        ("requests", "三、政府信息依申请公开办理情况"),
        ("problems", "四、政府信息公开存在的主要问题及改进情况。"),
    ],
    "004_3cd86ea425926f19": [
        ("preamble", ""),
        ("overview", "一、总体情况"),
        ("proactive", "二、主动公开政府信息情况"),
        ("requests", "三、收到和处理政府信息公开申请情况"),
        ("appeals", "四、政府信息公开行政复议、行政诉讼情况"),
        ("problems", "五、存在的主要问题及改进情况"),
        ("other", "六、其他需要报告的事项"),
        ("closing", ""),
    ],
}


@pytest.mark.parametrize("rid", sorted(SEED_TOP))
def test_seed_top_level_headings_and_keys(seeds, rid):
    r = seeds[rid]
    got = [(s.key, s.heading) for s in r.sections]
    assert got == SEED_TOP[rid]


SEED_CHILDREN = {
    # (report, top-level key) -> children (key, heading)
    ("000_6ac03842c3dfdc7c", "overview"): [
        ("proactive", "(一)主动公开。"), ("requests", "(二)依申请公开。"),
        ("management", "(三)政府信息管理。"), ("platform", "(四)平台建设。"),
        ("supervision", "(五)监督保障。"),
    ],
    ("000_6ac03842c3dfdc7c", "other"): [
        ("fees", "(一)依据《政府信息公开信息处理费管理办法》收取信息处理费情况"),
        ("work_points", "(二)落实上级政务公开工作要点情况"),
        ("proposals", "(三)人大代表建议和政协提案办理结果公开情况"),
        ("innovation", "(四)在政务公开方面的创新情况"),
    ],
    ("001_e3992751381c814a", "overview"): [
        ("proactive", "(一)主动公开方面:"), ("requests", "(二)依申请公开方面:"),
        ("management", "(三)政府信息管理情况:"), ("platform", "(四)政府信息平台建设方面:"),
        ("supervision", "(五)监督保障方面:"),
    ],
    ("001_e3992751381c814a", "problems"): [
        ("problems", "(一)存在的问题:"), ("plans", "(二)采取措施和改进情况:"),
    ],
    ("001_e3992751381c814a", "proactive"): [],
    ("002_201993b9de74ca40", "overview"): [
        ("unknown", "(一)政务公开主要任务落实情况"),
        ("unknown", "(二)基层政务公开标准化规范化工作进展情况"),
        ("proactive", "(三)主动公开情况"), ("requests", "(四)依申请公开情况"),
        ("management", "(五)政府信息管理情况"), ("platform", "(六)平台建设情况"),
        ("supervision", "(七)监督保障情况"),
    ],
    ("002_201993b9de74ca40", "problems"): [("problems", "(一)存在的主要问题"), ("plans", "(二)改进情况")],
    ("002_201993b9de74ca40", "requests"): [],
    ("003_aad2c66ccec4c55e#1", "problems"): [
        ("problems", "(一)工作中存在主要问题"), ("plans", "(二)具体的解决办法和改进措施"),
    ],
    ("003_aad2c66ccec4c55e#3", "unknown"): [
        ("proactive", "(一)主动公开的主要内容。"), ("requests", "(二)依申请公开内容。"),
        ("fees", "(三)政府信息公开的收费及减免情况。"),
        ("appeals", "(四)因政府信息公开申请行政复议、提起行政诉讼的情况。"),
    ],
    ("003_aad2c66ccec4c55e#4", "problems"): [],
    ("003_aad2c66ccec4c55e#8", "problems"): [("problems", "(一)工作中存在的问题。"), ("plans", "(二)改进措施。")],
    ("004_3cd86ea425926f19", "overview"): [
        ("proactive", "(一)主动公开情况。"), ("requests", "(二)依申请公开情况。"),
        ("management", "(三)政府信息管理情况。"), ("platform", "(四)平台建设情况。"),
        ("supervision", "(五)监督保障情况。"),
    ],
    ("004_3cd86ea425926f19", "requests"): [],
}


@pytest.mark.parametrize("rid, key", sorted(SEED_CHILDREN))
def test_seed_children(seeds, rid, key):
    top = next(s for s in seeds[rid].sections if s.key == key)
    assert [(c.key, c.heading) for c in top.children] == SEED_CHILDREN[(rid, key)]
    assert all(c.level == 2 for c in top.children)


def test_seed_003_4_nested_digit_headings(seeds):
    top = seeds["003_aad2c66ccec4c55e#4"].sections[4]
    assert top.heading == "四、政府信息公开情况"
    assert [(c.key, c.heading, c.number) for c in top.children] == [
        ("proactive", "1、主动公开信息情况", "1、"), ("requests", "2、依申请公开信息情况", "2、"),
    ]


# problems / plans located in every report that has one (the eight 2013 reports included)
PROBLEMS_PLANS = {
    "000_6ac03842c3dfdc7c": [("problems", "五、存在的主要问题及改进情况")],
    "001_e3992751381c814a": [("problems", "五、存在的主要问题及改进情况"), ("problems", "(一)存在的问题:"),
                             ("plans", "(二)采取措施和改进情况:")],
    "002_201993b9de74ca40": [("problems", "五、存在的主要问题及改进情况"), ("problems", "(一)存在的主要问题"),
                             ("plans", "(二)改进情况")],
    "003_aad2c66ccec4c55e#1": [("problems", "六、政府信息公开工作存在的主要问题及改进情况"),
                               ("problems", "(一)工作中存在主要问题"), ("plans", "(二)具体的解决办法和改进措施")],
    "003_aad2c66ccec4c55e#2": [("problems", "六、存在的主要问题和改进措施")],
    "003_aad2c66ccec4c55e#3": [("plans", "六、下一步工作措施")],
    "003_aad2c66ccec4c55e#4": [("problems", "五、政府信息公开工作存在的问题及改进措施")],
    "003_aad2c66ccec4c55e#5": [("problems", "六、政府信息公开工作存在的主要问题及改进措施")],
    "003_aad2c66ccec4c55e#6": [("plans", "四、下步工作的努力方向")],
    "003_aad2c66ccec4c55e#7": [],  # the text stops after 二、主动公开情况
    "003_aad2c66ccec4c55e#8": [("problems", "四、政府信息公开存在的主要问题及改进情况。"),
                               ("problems", "(一)工作中存在的问题。"), ("plans", "(二)改进措施。")],
    "004_3cd86ea425926f19": [("problems", "五、存在的主要问题及改进情况")],
}


@pytest.mark.parametrize("rid", sorted(PROBLEMS_PLANS))
def test_problems_and_plans_located(seeds, rid):
    r = seeds[rid]
    found = sorted(find_sections(r, "problems") + find_sections(r, "plans"), key=lambda s: (s.start, s.level))
    assert [(s.key, s.heading) for s in found] == PROBLEMS_PLANS[rid]
    for s in found:  # the section holds its text, not just the heading
        assert s.end - s.heading_end > 20


@pytest.mark.parametrize("rid, expected", [
    ("000_6ac03842c3dfdc7c", "但仍存在一些不足"),
    ("004_3cd86ea425926f19", "存在的问题:一是制度执行仍存在差距"),
    ("003_aad2c66ccec4c55e#6", "切实履行部门工作职责"),
])
def test_problem_text_lies_in_its_section(seeds, rid, expected):
    r = seeds[rid]
    pos = r.text.index(expected)
    assert section_at(r, pos).key in ("problems", "plans")


def test_seed_000_glued_headings_end_at_lexicon(seeds):
    r = seeds["000_6ac03842c3dfdc7c"]
    ov = r.sections[1]
    assert r.text[ov.heading_end:].startswith("2023年方城镇认真")
    pr = r.sections[4]
    assert r.text[pr.heading_end:].startswith("方城镇政府信息公开工作取得了")
    # the prose enumeration 1.信息公开不及时。 is not a heading
    assert pr.children == ()


def test_seed_000_as_one_line(seeds):
    # the scraped page has the whole body on one line: headings glued after sentences and after
    # each other (三、…情况四、…)
    text = seeds["000_6ac03842c3dfdc7c"].text.replace("\n", "")
    got = [(s.key, s.heading) for s in split_sections(text)]
    assert got == SEED_TOP["000_6ac03842c3dfdc7c"]


def test_seed_000_empty_sections_of_dropped_tables(seeds):
    r = seeds["000_6ac03842c3dfdc7c"]
    req, app = r.sections[2], r.sections[3]
    assert r.text[req.heading_end:req.end].strip() == ""
    assert r.text[app.heading_end:app.end].strip() == ""


def test_seed_closing_blocks(seeds):
    assert seeds["001_e3992751381c814a"].text[seeds["001_e3992751381c814a"].sections[-1].start:] == "平昌关镇人民政府\n\n2023年12月20日"
    r = seeds["002_201993b9de74ca40"]
    assert r.text[r.sections[-1].start:] == "龙岩市永定区峰市镇人民政府\n2021年1月11日"
    r = seeds["004_3cd86ea425926f19"]
    assert r.text[r.sections[-1].start:] == "广元市利州区人民政府\n2024年2月19日"


def test_table_rows_are_not_headings(seeds):
    for rid in ("001_e3992751381c814a", "002_201993b9de74ca40", "004_3cd86ea425926f19"):
        r = seeds[rid]
        for s in r.sections:
            for c in s.walk():
                assert "本年新收" not in c.heading and "结转下年度" not in c.heading
                assert not c.heading.startswith(("(一)予以公开", "(七)总计"))


@pytest.mark.parametrize("rid", sorted(SEED_TOP))
def test_seed_sections_tile_and_nest(seeds, rid):
    r = seeds[rid]
    _assert_tiles(r.text, r.sections)


def _assert_tiles(text, secs):
    if not text:
        assert secs == ()
        return
    assert secs[0].start == 0 and secs[-1].end == len(text)
    for a, b in zip(secs, secs[1:]):
        assert a.end == b.start
    for s in secs:
        _assert_nested(text, s)


def _assert_nested(text, s):
    assert s.start <= s.heading_end <= s.end
    assert s.heading == text[s.start:s.heading_end]
    assert s.key in SECTION_KEYS
    prev = s.heading_end
    for c in s.children:
        assert c.level == s.level + 1
        assert prev <= c.start and c.end <= s.end
        prev = c.end
        _assert_nested(text, c)
    if s.children:
        assert s.children[-1].end == s.end


# -- heading variants (unit) -------------------------------------------------------------------

def _keys(text):
    return [(s.key, s.heading) for s in split_sections(text)]


@pytest.mark.parametrize("text, expected", [
    # full-width numbering and traditional script (after normalisation)
    (normalize_text("一、概述\n本鎮…\n（一）主動公開\n公開信息。\n二、其他需要報告的事項\n無"),
     [("overview", "一、概述"), ("other", "二、其他需要报告的事项")]),
    # trailing colon and full stop, 及/和/与 swaps
    ("一、主动公开政府信息的情况:\n共12条。\n二、存在的主要问题和改进措施。\n不足。",
     [("proactive", "一、主动公开政府信息的情况:"), ("problems", "二、存在的主要问题和改进措施。")]),
    ("一、政府信息公开收费与减免情况\n无\n二、存在的问题与改进措施\n不足",
     [("fees", "一、政府信息公开收费与减免情况"), ("problems", "二、存在的问题与改进措施")]),
    # 第一部分 numbering
    ("第一部分 总体情况\n内容\n第二部分 主动公开政府信息情况\n内容",
     [("overview", "第一部分 总体情况"), ("proactive", "第二部分 主动公开政府信息情况")]),
    # variants of the canonical topics
    ("一、本年度政府信息公开工作的基本情况\n甲\n二、复议、诉讼情况\n乙\n三、其它需要报告事项\n丙",
     [("overview", "一、本年度政府信息公开工作的基本情况"), ("appeals", "二、复议、诉讼情况"),
      ("other", "三、其它需要报告事项")]),
    ("一、工作基本情况\n甲\n二、因政府信息公开工作被申请行政复议和提起行政诉讼情况\n乙",
     [("overview", "一、工作基本情况"), ("appeals", "二、因政府信息公开工作被申请行政复议和提起行政诉讼情况")]),
    ("一、主要工作概述\n甲\n二、政府依申请公开政府信息和不予公开信息情况\n乙\n三、依申请公开政府信息收费及减免情况\n丙",
     [("overview", "一、主要工作概述"), ("requests", "二、政府依申请公开政府信息和不予公开信息情况"),
      ("fees", "三、依申请公开政府信息收费及减免情况")]),
    # an unknown heading keeps its text
    ("一、加强组织领导\n甲\n二、主动公开情况\n乙",
     [("unknown", "一、加强组织领导"), ("proactive", "二、主动公开情况")]),
])
def test_heading_variants(text, expected):
    assert _keys(text) == expected


def test_heading_glued_mid_line_after_sentence_end():
    t = "某镇2023年政府信息公开工作年度报告。一、总体情况2023年我镇认真落实。二、主动公开政府信息情况本年公开12条。"
    got = _keys(t)
    assert got == [("preamble", ""), ("overview", "一、总体情况"), ("proactive", "二、主动公开政府信息情况")]


def test_glued_mid_line_unknown_number_is_not_a_heading():
    # 一、 after a colon inside a sentence, not naming a topic: prose
    t = "一、概述\n主要做法:一、加强领导;二、完善制度。"
    assert _keys(t) == [("overview", "一、概述")]


def test_numbering_restarting_inside_overview_is_nested():
    t = ("一、总体情况\n本镇推进公开。\n一、加强组织领导\n甲。\n二、完善工作制度\n乙。\n三、强化监督\n丙。\n"
         "二、主动公开政府信息情况\n丁。\n三、收到和处理政府信息公开申请情况\n戊。\n四、存在的主要问题及改进情况\n己。")
    secs = split_sections(t)
    assert [s.key for s in secs] == ["overview", "proactive", "requests", "problems"]
    assert [c.heading for c in secs[0].children] == ["一、加强组织领导", "二、完善工作制度", "三、强化监督"]


def test_restart_with_topic_names_still_nested():
    t = ("一、总体情况\n一、主动公开\n甲。\n二、依申请公开\n乙。\n"
         "二、主动公开政府信息情况\n丙。\n三、收到和处理政府信息公开申请情况\n丁。\n四、其他需要报告的事项\n无")
    secs = split_sections(t)
    assert [s.heading for s in secs] == ["一、总体情况", "二、主动公开政府信息情况",
                                         "三、收到和处理政府信息公开申请情况", "四、其他需要报告的事项"]
    assert [c.key for c in secs[0].children] == ["proactive", "requests"]


def test_missing_number_in_sequence():
    t = "一、总体情况\n甲。\n三、收到和处理政府信息公开申请情况\n四、政府信息公开行政复议、行政诉讼情况\n五、其他需要报告的事项\n无"
    assert [s.key for s in split_sections(t)] == ["overview", "requests", "appeals", "other"]


def test_unnumbered_heading_lines():
    t = "总体情况\n本镇推进公开。\n主动公开政府信息情况\n公开12条。\n存在主要问题和改进情况\n不足。"
    assert _keys(t) == [("overview", "总体情况"), ("proactive", "主动公开政府信息情况"),
                        ("problems", "存在主要问题和改进情况")]


def test_unnumbered_line_after_its_topic_is_a_child():
    t = "一、总体情况\n甲。\n二、存在的主要问题及改进情况\n存在的问题:\n一是不足。\n改进措施:\n一是加强。"
    secs = split_sections(t)
    assert [s.key for s in secs] == ["overview", "problems"]
    assert [(c.key, c.heading) for c in secs[1].children] == [("problems", "存在的问题:"), ("plans", "改进措施:")]


@pytest.mark.parametrize("text", [
    "一、存在的主要问题及改进情况\n一是信息公开不及时。二是公开不全面。\n1.信息公开不及时。\n2.主要工作不到位,仍需加强。",
    "一、存在的主要问题及改进情况\n但仍存在一些不足,如:1.信息公开不及时。2.信息公开不全面。3.信息公开不规范。",
    "一、总体情况\n1、进一步强化了政府信息公开工作领导。结合实际调整。\n2、切实加强了平台建设,以政府网站为主。",
])
def test_enumerations_in_prose_are_not_headings(text):
    secs = split_sections(text)
    assert len(secs) == 1 and secs[0].children == ()


def test_digit_heading_naming_a_topic_is_a_child():
    t = "一、总体情况\n1、主动公开情况\n公开12条。\n2、依申请公开情况\n无。\n3、信息公开不及时。"
    secs = split_sections(t)
    assert [(c.key, c.heading) for c in secs[0].children] == [("proactive", "1、主动公开情况"), ("requests", "2、依申请公开情况")]


def test_only_paren_headings_make_the_top_level():
    t = "(一)总体情况\n甲。\n(二)主动公开情况\n乙。\n(三)其他需要报告的事项\n无"
    assert [s.key for s in split_sections(t)] == ["overview", "proactive", "other"]


def test_no_headings_one_preamble():
    t = "本镇认真贯彻落实政府信息公开条例,公开信息12条。"
    secs = split_sections(t)
    assert [(s.key, s.start, s.end) for s in secs] == [("preamble", 0, len(t))]


def test_closing_with_chinese_date_and_agency_glued():
    t = "一、概述\n内容。\n某某县某某镇人民政府\n二〇二一年一月十一日"
    assert [s.key for s in split_sections(t)] == ["overview", "closing"]
    t2 = "一、概述\n内容。\n某某县某某镇人民政府2021年1月11日"
    assert split_sections(t2)[-1].key == "closing"
    t3 = "一、概述\n内容。\n无\n2021年1月11日"  # 无 is not an agency line
    assert t3[split_sections(t3)[-1].start:] == "2021年1月11日"


def test_empty_text():
    assert split_sections("") == ()


# -- helpers and frames -------------------------------------------------------------------------

def test_section_at_and_find_sections(seeds):
    r = seeds["002_201993b9de74ca40"]
    pos = r.text.index("本镇2020年共受理政府信息公开申请0件")
    s = section_at(r, pos)
    assert (s.key, s.level, s.heading) == ("requests", 2, "(四)依申请公开情况")
    assert section_at(r, len(r.text)) is None
    assert section_at(r, 0).key == "preamble"
    assert [s.heading for s in find_sections(r, "supervision")] == ["(七)监督保障情况"]


def test_sections_frame(seeds):
    df = sections_frame(seeds)
    assert list(df.columns) == SECTIONS_COLUMNS
    assert df["report_id"].nunique() == 12
    assert str(df["start"].dtype) == "int64" and str(df["parent"].dtype) == "int64"
    one = df[df.report_id == "004_3cd86ea425926f19"]
    assert one["index"].tolist() == list(range(len(one)))
    kids = one[one.parent >= 0]
    assert set(kids.parent_key) == {"overview"}
    assert (one.loc[one.parent == -1, "level"] == 1).all()
    # one Report is accepted too
    assert sections_frame(seeds[0]).shape[0] == len(df[df.report_id == seeds[0].id])


def test_section_record_helpers():
    s = Section("overview", "一、概述", 0, 10, 1, "一、", (), 4)
    assert s.span == (0, 10) and s.body == (4, 10) and list(s.walk()) == [s]
    assert Section("preamble", "", 0, 5).heading_end == 0


@pytest.mark.parametrize("call, match", [
    (lambda: split_sections(42), "The 'report' parameter of split_sections must be a Report or a str"),
    (lambda: section_at("一、概述", "3"), "The 'pos' parameter of section_at must be an int"),
    (lambda: find_sections("一、概述", "summary"), "The 'key' parameter of find_sections must be one of"),
    (lambda: sections_frame([1]), "The 'corpus' parameter of sections_frame must hold Reports"),
])
def test_parameter_errors(call, match):
    with pytest.raises(InvalidParameterError, match=match):
        call()


def test_report_sections_property_is_split_sections(seeds):
    r = seeds[2]
    assert r.sections == split_sections(r)
    via_parse = govtext.parse_reports(r.raw)[0]
    assert [s.key for s in via_parse.sections] == [s.key for s in r.sections]


# -- robustness ---------------------------------------------------------------------------------

_FRAGMENTS = [
    "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "(一)", "(二)主动公开。",
    "1.", "1、", "第一部分", "五、存在的主要问题及改进情况", "六、其他需要报告的事项", "。", "\n", "\t", ":",
    "一是", "三、本年度办理结果", "四、结转下年度继续办理", "2024年2月19日", "某镇人民政府", "(七)总计",
    "第二十条第(一)项", "行政复议", "0", "69", "|", "((((", "一、一、一、", "十十十、",
]


@st.composite
def report_like(draw):
    parts = draw(st.lists(st.one_of(st.sampled_from(_FRAGMENTS), st.text(max_size=12)), max_size=40))
    return "".join(parts)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=300), report_like()))
def test_sections_tile_any_text(text):
    try:
        secs = split_sections(text)
    except GovtextError:  # pragma: no cover - the only exceptions allowed
        return
    _assert_tiles(text, secs)


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_fragments_of_real_seed_text(seeds, data):
    r = data.draw(st.sampled_from(list(seeds)))
    a = data.draw(st.integers(0, len(r.text)))
    b = data.draw(st.integers(a, len(r.text)))
    text = r.text[a:b] + data.draw(st.text(max_size=20)) + r.text[:a]
    _assert_tiles(text, split_sections(text))


def test_ten_times_input_runs(seeds):
    big = "\n".join(r.text for r in seeds) * 10
    secs = split_sections(big)
    _assert_tiles(big, secs)
    one_line = seeds[0].text.replace("\n", "") * 10
    _assert_tiles(one_line, split_sections(one_line))


# -- fast paths agree with the definitions they stand for -------------------------------------


def test_number_search_gives_the_regex_scan(seeds):
    from govtext import sections as sec

    texts = [r.text for r in seeds] + [
        "12、一、(三)(12)第二部分 1.2 3. 十一、4、(1)2023.第十章", "((1)", "1(2)", "a一.", "第一二三四、",
    ]
    for text in texts:
        expected = [(m.span(), m.groupdict()) for m in sec._NUM_RE.finditer(text)]
        assert [(m.span(), m.groupdict()) for m in sec._numbers(text)] == expected


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="第一二三十部分章、.:()0123456789 \n是", max_size=60))
def test_number_search_gives_the_regex_scan_on_any_text(text):
    from govtext import sections as sec

    expected = [(m.span(), m.groupdict()) for m in sec._NUM_RE.finditer(text)]
    assert [(m.span(), m.groupdict()) for m in sec._numbers(text)] == expected


def test_topic_prefilter_agrees_with_the_topics(seeds):
    from govtext import _headings as h

    text = seeds["004_3cd86ea425926f19"].text
    for pos in range(0, len(text)):
        end = min(len(text), pos + 80)
        any_topic = any(rx.match(text, pos, end) for rx in h._TOPIC_RES.values())
        assert (h._ANY_TOPIC_RE.match(text, pos, end) is not None) == any_topic
