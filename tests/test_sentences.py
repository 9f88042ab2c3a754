"""Sentences and enumerated items: tables of real seed passages, the seed reports, properties."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govtext.exceptions import InvalidParameterError
from govtext.sentences import (
    ITEM_COLUMNS,
    MARKER_STYLES,
    SENTENCE_COLUMNS,
    Item,
    Sentence,
    find_items,
    items,
    items_frame,
    narrative_spans,
    sentences,
    sentences_frame,
    split_clauses,
    split_sentences,
)


def texts(t: str, spans) -> list[str]:
    return [t[a:b] for a, b in spans]


# -- sentences: real seed passages ------------------------------------------------------------
SENTENCE_CASES = [
    # (id, passage, expected sentences)
    ("000 inline 1. list after 如:",
     "但仍存在一些不足,如:1.信息公开不及时。在信息公开方面存在不及时的问题,导致信息滞后。2.信息公开不全面。",
     ["但仍存在一些不足,如:", "1.信息公开不及时。", "在信息公开方面存在不及时的问题,导致信息滞后。", "2.信息公开不全面。"]),
    ("000 contact in brackets",
     "请与兰山区方城镇党政办公室联系(地址:兰山区方城镇人民政府,邮编273406,电话:0539-2657000)。一、总体情况",
     ["请与兰山区方城镇党政办公室联系(地址:兰山区方城镇人民政府,邮编273406,电话:0539-2657000)。", "一、总体情况"]),
    ("000 URL in brackets",
     "报告电子版可在兰山区政府门户网站(http://www.lyls.gov.cn)方城镇专栏下载。报告中所列数据统计时限均为2023年1月1日至2023年12月31日。",
     ["报告电子版可在兰山区政府门户网站(http://www.lyls.gov.cn)方城镇专栏下载。", "报告中所列数据统计时限均为2023年1月1日至2023年12月31日。"]),
    ("002 《〈〉》 and 〔2016〕80号",
     "严格落实《国务院办公厅印发〈关于全面推进政务公开工作的意见〉实施细则的通知》(国办发〔2016〕80号)的要求。紧紧围绕区委、区政府重点工作。",
     ["严格落实《国务院办公厅印发〈关于全面推进政务公开工作的意见〉实施细则的通知》(国办发〔2016〕80号)的要求。", "紧紧围绕区委、区政府重点工作。"]),
    ("002 doubled 《《 and 〔2019〕60号",
     "和《《国务院办公厅政府信息与政务公开办公室关于政府信息公开工作年度报告有关事项的通知》(国办公开办函〔2019〕60号)要求,由峰市镇人民政府结合有关统计数据编制。",
     ["和《《国务院办公厅政府信息与政务公开办公室关于政府信息公开工作年度报告有关事项的通知》(国办公开办函〔2019〕60号)要求,由峰市镇人民政府结合有关统计数据编制。"]),
    ("002 ;二是 separates points",
     "一是根据《通知》(永政办〔2020〕15号)文件要求,组建工作小组,履行政府信息公开法定职责;二是根据26个试点领域标准指引,让公开工作更加规范。",
     ["一是根据《通知》(永政办〔2020〕15号)文件要求,组建工作小组,履行政府信息公开法定职责;", "二是根据26个试点领域标准指引,让公开工作更加规范。"]),
    ("002 ; without enumerator stays",
     "一是通过专题会议组织镇村干部,多种方式开展政策解读;利用墟天等有利契机,提高群众对政策的知晓率。二是通过便民服务中心进行积极回应。",
     ["一是通过专题会议组织镇村干部,多种方式开展政策解读;利用墟天等有利契机,提高群众对政策的知晓率。", "二是通过便民服务中心进行积极回应。"]),
    ("002 phone lines with —",
     "联系方式:\n地址:龙岩市永定区峰市镇人民政府\n邮编:364118\n电话:0597—5731954\n传真:0597—5731958",
     ["联系方式:", "地址:龙岩市永定区峰市镇人民政府", "邮编:364118", "电话:0597—5731954", "传真:0597—5731958"]),
    ("002 第一平台 is prose",
     "把政府网站作为政务公开第一平台,集中发布镇人民政府主动公开的信息。",
     ["把政府网站作为政务公开第一平台,集中发布镇人民政府主动公开的信息。"]),
    ("003 ;二是 then 。三是",
     "一是信息员学习和掌握的还不够好,有待进一步提升业务水平;二是公开政府信息的主动性还不够强,信息公开还不够及时。三是公开的内容和形式还不够丰富。",
     ["一是信息员学习和掌握的还不够好,有待进一步提升业务水平;", "二是公开政府信息的主动性还不够强,信息公开还不够及时。", "三是公开的内容和形式还不够丰富。"]),
    ("003 1、 items on lines",
     "主要开展了以下几个方面工作:\n1、进一步强化了政府信息公开工作领导。结合办事处实际,对领导机构进行了调整和充实。\n2、切实加强了政府信息公开平台建设。",
     ["主要开展了以下几个方面工作:", "1、进一步强化了政府信息公开工作领导。", "结合办事处实际,对领导机构进行了调整和充实。", "2、切实加强了政府信息公开平台建设。"]),
    ("003 mojibake ? is no sentence end",
     "公开成果日趋明显?,F将本年度情况总结汇报如下:\n一、提高思想认识,强化组织领导",
     ["公开成果日趋明显?,F将本年度情况总结汇报如下:", "一、提高思想认识,强化组织领导"]),
    ("001 1.是 hybrid",
     "主要是做好以下几方面工作:\n\n1.是进一步提高思想认识,继续认真学习市、区关于政务公开工作的有关文件和会议精神。\n\n2.细化主动公开内容。",
     ["主要是做好以下几方面工作:", "1.是进一步提高思想认识,继续认真学习市、区关于政务公开工作的有关文件和会议精神。", "2.细化主动公开内容。"]),
    ("001 一是…二是 in one paragraph",
     "(一)主动公开方面:我镇为推动信息公开工作不断进步。一是提高思想认识,多次召开专题会议。二是加强组织领导,做到了领导、机构、人员“三到位”。",
     ["(一)主动公开方面:我镇为推动信息公开工作不断进步。", "一是提高思想认识,多次召开专题会议。", "二是加强组织领导,做到了领导、机构、人员“三到位”。"]),
    ("001 full-width punctuation (raw)",
     "（一）主动公开方面：我镇为推动信息公开工作不断进步。一是提高思想认识；二是加强组织领导！是否公开？",
     ["（一）主动公开方面：我镇为推动信息公开工作不断进步。", "一是提高思想认识；", "二是加强组织领导！", "是否公开？"]),
    ("004 存在的问题:一是",
     "存在的问题:一是制度执行仍存在差距,个别单位还不到位。二是工作推进不平衡。\n下一步,我区将以更加务实的举措,全环节夯实基础。",
     ["存在的问题:", "一是制度执行仍存在差距,个别单位还不到位。", "二是工作推进不平衡。", "下一步,我区将以更加务实的举措,全环节夯实基础。"]),
    ("004 (以下简称《年报》)。 and 《年报》",
     "特向社会公布《广元市利州区2023年度政府信息公开工作年度报告》(以下简称《年报》)。《年报》统计时间为2023年1月1日至2023年12月31日。",
     ["特向社会公布《广元市利州区2023年度政府信息公开工作年度报告》(以下简称《年报》)。", "《年报》统计时间为2023年1月1日至2023年12月31日。"]),
    ("004 “3+4” and decimals",
     "落实政府网站信息发布“3+4”审核制度,行政事业性收费662.441万元,同比增长1.5%。严把审核关。",
     ["落实政府网站信息发布“3+4”审核制度,行政事业性收费662.441万元,同比增长1.5%。", "严把审核关。"]),
    ("quote ending in 。” ends the sentence",
     "坚持“公开是原则,不公开是例外。”对涉及群众切身利益的信息做到及时公开。",
     ["坚持“公开是原则,不公开是例外。”", "对涉及群众切身利益的信息做到及时公开。"]),
    ("。 inside brackets does not split",
     "更新公开指南(包括申请条件。办理流程)并及时公布。",
     ["更新公开指南(包括申请条件。办理流程)并及时公布。"]),
    ("。) ends the sentence after the bracket",
     "共受理申请0件。(以上数据截至12月底。)下一步将加强培训。",
     ["共受理申请0件。", "(以上数据截至12月底。)", "下一步将加强培训。"]),
    ("never split after an enumerator",
     "(四)公开方式\n1、\n通过政府政务网进行公开\n(五)\n其他",
     ["(四)公开方式", "1、\n通过政府政务网进行公开", "(五)\n其他"]),
    ("URL query ? does not split",
     "详见http://www.gov.cn/index.jsp?id=12。",
     ["详见http://www.gov.cn/index.jsp?id=12。"]),
    ("stray brackets do not swallow the text",
     "公开栏(一处。另设意见箱。“方城发布”上线。",
     ["公开栏(一处。", "另设意见箱。", "“方城发布”上线。"]),
]


@pytest.mark.parametrize(("case", "text", "expected"), SENTENCE_CASES, ids=[c[0] for c in SENTENCE_CASES])
def test_split_sentences_table(case, text, expected):
    assert texts(text, split_sentences(text)) == expected


def test_split_sentences_range():
    t = "前文。一是加强领导;二是完善制度。后文。"
    a = t.index("一是")
    b = t.index("后文")
    assert texts(t, split_sentences(t, a, b)) == ["一是加强领导;", "二是完善制度。"]
    assert split_sentences(t, 3, 3) == []


CLAUSE_CASES = [
    ("commas and ;", "一是加强领导,落实责任;二是完善制度。", ["一是加强领导,", "落实责任;", "二是完善制度。"]),
    ("not inside brackets", "(地址:兰山区方城镇人民政府,邮编273406,电话:0539-2657000)。",
     ["(地址:兰山区方城镇人民政府,邮编273406,电话:0539-2657000)。"]),
    ("not in thousands", "全年共发布推文22,000余条,轮训6人。", ["全年共发布推文22,000余条,", "轮训6人。"]),
    ("not after an enumerator", "第一,加强领导,落实责任。", ["第一,加强领导,", "落实责任。"]),
    ("full-width ，", "公开内容全面，公开及时。", ["公开内容全面，", "公开及时。"]),
]


@pytest.mark.parametrize(("case", "text", "expected"), CLAUSE_CASES, ids=[c[0] for c in CLAUSE_CASES])
def test_split_clauses_table(case, text, expected):
    assert texts(text, split_clauses(text)) == expected


# -- items: every marker, real passages where the seeds have them ----------------------------
ITEM_CASES = [
    # (id, passage, expected [(list_id, marker_style, number, enumerator, text)])
    ("shi: 004 problems, inline, ends at the line end",
     "存在的问题:一是制度执行仍存在差距。二是工作推进不平衡。三是新媒体缺乏创新举措。\n下一步,我区将全环节夯实基础。",
     [(0, "shi", 1, "一是", "一是制度执行仍存在差距。"), (0, "shi", 2, "二是", "二是工作推进不平衡。"),
      (0, "shi", 3, "三是", "三是新媒体缺乏创新举措。")]),
    ("shi with ; (002)",
     "一是业务人员学习还不够好;二是信息公开面对社会宣传力度不够;三是公开的内容和形式还不够丰富。",
     [(0, "shi", 1, "一是", "一是业务人员学习还不够好;"), (0, "shi", 2, "二是", "二是信息公开面对社会宣传力度不够;"),
      (0, "shi", 3, "三是", "三是公开的内容和形式还不够丰富。")]),
    ("shi item keeps its body sentences (001)",
     "一是提高思想认识。多次召开专题会议。二是加强组织领导。明确了有关职责,做到了“三到位”。",
     [(0, "shi", 1, "一是", "一是提高思想认识。多次召开专题会议。"),
      (0, "shi", 2, "二是", "二是加强组织领导。明确了有关职责,做到了“三到位”。")]),
    ("arabic_dot: two lists in one paragraph (000)",
     "但仍存在一些不足,如:1.信息公开不及时。2.信息公开不全面。在信息公开方面存在不全面的问题。主要从以下几方面开展工作:1.加强信息公开的及时性。2.扩大信息公开的范围。",
     [(0, "arabic_dot", 1, "1.", "1.信息公开不及时。"),
      (0, "arabic_dot", 2, "2.", "2.信息公开不全面。在信息公开方面存在不全面的问题。"),
      (1, "arabic_dot", 1, "1.", "1.加强信息公开的及时性。"), (1, "arabic_dot", 2, "2.", "2.扩大信息公开的范围。")]),
    ("arabic_dot: 1.是 hybrid (001)",
     "(二)采取措施和改进情况:主要是做好以下几方面工作:\n\n1.是进一步提高思想认识。\n\n2.细化主动公开内容。\n\n3.积极与相关站所对接。",
     [(0, "arabic_dot", 1, "1.是", "1.是进一步提高思想认识。"), (0, "arabic_dot", 2, "2.", "2.细化主动公开内容。"),
      (0, "arabic_dot", 3, "3.", "3.积极与相关站所对接。")]),
    ("arabic_dun (003)",
     "1、成立政府信息公开工作机构。\n2、认真按要求编制《乡人民政府信息公开指南》。\n3、不断健全完善保密审查等规定。\n二、主动公开政府信息情况\n我乡政府信息公开主要采用网络形式。",
     [(0, "arabic_dun", 1, "1、", "1、成立政府信息公开工作机构。"),
      (0, "arabic_dun", 2, "2、", "2、认真按要求编制《乡人民政府信息公开指南》。"),
      (0, "arabic_dun", 3, "3、", "3、不断健全完善保密审查等规定。")]),
    ("paren_cn half-width, multi-line items (003)",
     "(一)公开内容\n我镇积极主动公开概况信息。\n(二)主动公开政府信息的数量\n2013年,主动公开信息53条。",
     [(0, "paren_cn", 1, "(一)", "(一)公开内容\n我镇积极主动公开概况信息。"),
      (0, "paren_cn", 2, "(二)", "(二)主动公开政府信息的数量\n2013年,主动公开信息53条。")]),
    ("paren_cn full-width （一） (001 raw)",
     "（一）主动公开方面：我镇为推动信息公开工作不断进步。\n（二）依申请公开方面：2023 年，我镇建立健全依申请公开受理机制。",
     [(0, "paren_cn", 1, "（一）", "（一）主动公开方面：我镇为推动信息公开工作不断进步。"),
      (0, "paren_cn", 2, "（二）", "（二）依申请公开方面：2023 年，我镇建立健全依申请公开受理机制。")]),
    ("paren_cn closes nested 1. and 一是 (002)",
     "(一)政务公开主要任务落实情况\n1.深入解读政策。一是加强政策方针学习。二是积极回应。\n2.促进政策落实。\n(二)基层政务公开工作进展情况\n一是组建工作小组;二是制定标准目录。",
     [(0, "paren_cn", 1, "(一)", "(一)政务公开主要任务落实情况\n1.深入解读政策。一是加强政策方针学习。二是积极回应。\n2.促进政策落实。"),
      (1, "arabic_dot", 1, "1.", "1.深入解读政策。一是加强政策方针学习。二是积极回应。"),
      (2, "shi", 1, "一是", "一是加强政策方针学习。"), (2, "shi", 2, "二是", "二是积极回应。"),
      (1, "arabic_dot", 2, "2.", "2.促进政策落实。"),
      (0, "paren_cn", 2, "(二)", "(二)基层政务公开工作进展情况\n一是组建工作小组;二是制定标准目录。"),
      (3, "shi", 1, "一是", "一是组建工作小组;"), (3, "shi", 2, "二是", "二是制定标准目录。")]),
    ("lead-in before a higher-level list closes the shi list (003)",
     "一是部分信息的公开还不够及时。二是信息公开形式还需要进一步丰富。为使我镇信息公开工作得到进一步完善,我镇决定加强以下几个方面的工作:\n1、继续建立和完善政务信息工作制度。\n2、逐步扩大政务公开范围。",
     [(0, "shi", 1, "一是", "一是部分信息的公开还不够及时。"), (0, "shi", 2, "二是", "二是信息公开形式还需要进一步丰富。"),
      (1, "arabic_dun", 1, "1、", "1、继续建立和完善政务信息工作制度。"), (1, "arabic_dun", 2, "2、", "2、逐步扩大政务公开范围。")]),
    ("circled",
     "主要措施:①加强组织领导;②完善工作制度;③拓宽公开渠道。",
     [(0, "circled", 1, "①", "①加强组织领导;"), (0, "circled", 2, "②", "②完善工作制度;"), (0, "circled", 3, "③", "③拓宽公开渠道。")]),
    ("paren_arabic (1) and ⑴",
     "(1)受理申请的数量。本镇共受理申请0件。(2)不予公开情况。无。\n⑴政府网站;⑵公开栏。",
     [(0, "paren_arabic", 1, "(1)", "(1)受理申请的数量。本镇共受理申请0件。"),
      (0, "paren_arabic", 2, "(2)", "(2)不予公开情况。无。"),
      (1, "paren_arabic", 1, "⑴", "⑴政府网站;"), (1, "paren_arabic", 2, "⑵", "⑵公开栏。")]),
    ("di: 第一, 第二,",
     "第一,加强领导,落实责任。第二,完善制度,规范流程。把政府网站作为政务公开第一平台。",
     [(0, "di", 1, "第一", "第一,加强领导,落实责任。"),
      (0, "di", 2, "第二", "第二,完善制度,规范流程。把政府网站作为政务公开第一平台。")]),
    ("semicolon list (003 problems)",
     "我办事处总体上充分认识到了政府信息公开重要性,但是仍然存在对此认识不够,工作信息公开存在延误现象;信息编写不够规范;公开的内容还不够全面。",
     [(0, "semicolon", 1, "", "我办事处总体上充分认识到了政府信息公开重要性,但是仍然存在对此认识不够,工作信息公开存在延误现象;"),
      (0, "semicolon", 2, "", "信息编写不够规范;"), (0, "semicolon", 3, "", "公开的内容还不够全面。")]),
    ("semicolon list after a lead-in (003 整改措施:)",
     "整改措施:进一步加大政府信息公开的宣传工作,加强工作培训;建立横向联系、纵向指导的沟通协调机制。",
     [(0, "semicolon", 1, "", "进一步加大政府信息公开的宣传工作,加强工作培训;"),
      (0, "semicolon", 2, "", "建立横向联系、纵向指导的沟通协调机制。")]),
    ("semicolon parts with their own colons (003 类N条:)",
     "依申请公开信息共8条,分别为机构职能类1条:《镇服务对象目录》;政策法规类2条:《村级集体资产管理制度》。",
     [(0, "semicolon", 1, "", "依申请公开信息共8条,分别为机构职能类1条:《镇服务对象目录》;"),
      (0, "semicolon", 2, "", "政策法规类2条:《村级集体资产管理制度》。")]),
    ("semicolon list inside a shi item (002)",
     "一是通过专题会议开展政策解读;利用墟天等有利契机开展宣传。二是积极回应。",
     [(0, "shi", 1, "一是", "一是通过专题会议开展政策解读;利用墟天等有利契机开展宣传。"),
      (1, "semicolon", 1, "", "通过专题会议开展政策解读;"), (1, "semicolon", 2, "", "利用墟天等有利契机开展宣传。"),
      (0, "shi", 2, "二是", "二是积极回应。")]),
    # negatives: no items
    ("第一平台, 第二十条第(一)项, 第X篇 are prose", "把政府网站作为政务公开第一平台。第二十条第(一)项。第二十条第(五)项。第一篇", []),
    ("decimals and dates", "增长1.5%,2.5万元,2023.1.1起,降低3.2个百分点,1、2、3月份", []),
    ("统一是, 是否", "统一是原则,二是否公开,三是否答复。", []),
    ("a single marker is not a list", "1.信息公开不及时。在信息公开方面存在不及时的问题。", []),
    ("numbering must continue", "(一)主动公开。(三)平台建设。", []),
]


@pytest.mark.parametrize(("case", "text", "expected"), ITEM_CASES, ids=[c[0] for c in ITEM_CASES])
def test_find_items_table(case, text, expected):
    got = [(i.list_id, i.marker_style, i.number, i.enumerator, i.text) for i in find_items(text)]
    assert got == expected


def test_find_items_depth_and_fields():
    t = "(一)存在问题\n一是宣传不够。二是形式单一。\n(二)改进措施\n加强培训。"
    its = find_items(t, report_id="r", section="problems")
    assert {(i.marker_style, i.depth) for i in its} == {("paren_cn", 0), ("shi", 1)}
    assert all(isinstance(i, Item) and i.report_id == "r" and i.section == "problems" for i in its)
    assert all(i.text == t[i.start:i.end] for i in its)
    assert [i.index for i in its if i.marker_style == "shi"] == [0, 1]


def test_barrier_heading_closes_lists():
    t = "(一)公开内容。(二)公开方式。\n二、主动公开政府信息情况\n本年度公开信息53条。"
    its = find_items(t)
    assert [i.text for i in its] == ["(一)公开内容。", "(二)公开方式。"]


# -- errors ------------------------------------------------------------------------------------
@pytest.mark.parametrize("func", [split_sentences, split_clauses, find_items])
def test_bad_range(func):
    with pytest.raises(InvalidParameterError, match=r"range \(3, 1\) is outside the text \(length 4\)"):
        func("一二三四", 3, 1)
    with pytest.raises(InvalidParameterError, match="must be a str. Got bytes"):
        func(b"abc")


def test_bad_clauses_parameter(seeds):
    with pytest.raises(InvalidParameterError, match="'clauses' parameter of sentences must be a bool"):
        sentences(seeds[0], clauses="yes")


# -- hypothesis properties on plain strings -----------------------------------------------------
FRAGMENTS = [
    "公开", "政府信息", "我镇", "2023年", "1.5", "〔2019〕60号", "0597—5731954", "第一平台", "统一是", "是否",
    "。", "!", "?", "?id=1", ";", "；", ":", "：", ",", "，", "、", "\n", " ", "\t", "。”",
    "(", ")", "（", "）", "《", "》", "〈", "〉", "“", "”", "【", "】",
    "一是", "二是", "三是", "1.", "2.", "3.", "1.是", "1、", "2、", "(一)", "(二)", "（三）", "①", "②",
    "(1)", "(2)", "第一,", "第二,", "二、",
]
text_st = st.lists(st.sampled_from(FRAGMENTS), max_size=60).map("".join)


def check_tiling(text, spans, start, end):
    prev = start
    for a, b in spans:
        assert prev <= a < b <= end  # sorted, non-overlapping, inside the range, non-empty
        assert not text[a].isspace() and not text[b - 1].isspace()  # trimmed
        assert text[prev:a].strip() == ""  # nothing skipped
        prev = b
    assert text[prev:end].strip() == ""


@settings(max_examples=300, deadline=None)
@given(text_st, st.data())
def test_sentences_tile_the_range(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    spans = split_sentences(text, start, end)
    check_tiling(text, spans, start, end)
    for a, b in spans:  # idempotent: a sentence re-split is itself
        assert split_sentences(text, a, b) == [(a, b)]
    clauses = split_clauses(text, start, end)
    check_tiling(text, clauses, start, end)
    for a, b in clauses:  # clauses refine sentences
        assert any(s <= a and b <= e for s, e in spans)


@settings(max_examples=300, deadline=None)
@given(text_st)
def test_items_properties(text):
    its = find_items(text)
    sents = split_sentences(text)
    lists: dict[int, list[Item]] = {}
    for it in its:
        assert it.text == text[it.start:it.end] and it.start < it.end
        assert it.marker_style in MARKER_STYLES
        if it.marker_style != "semicolon":
            assert it.text.startswith(it.enumerator)
        assert sents and sents[0][0] <= it.start and it.end <= sents[-1][1]  # inside the sentences' range
        lists.setdefault(it.list_id, []).append(it)
    assert sorted(lists) == list(range(len(lists)))
    for lst in lists.values():
        assert len(lst) >= 2
        assert [i.index for i in lst] == list(range(len(lst)))
        assert [i.number for i in lst] == list(range(lst[0].number, lst[0].number + len(lst)))
        assert len({(i.marker_style, i.depth) for i in lst}) == 1
        for x, y in zip(lst, lst[1:]):
            assert x.end <= y.start  # items of a list do not overlap
    assert [(i.start, -i.end) for i in its] == sorted((i.start, -i.end) for i in its)


# -- the seed reports --------------------------------------------------------------------------
def _tables(report):
    try:
        from govtext.tables import table_regions
    except ImportError:
        return []
    return list(table_regions(report))


def test_seed_sentences_tile_the_narrative(seeds):
    for r in seeds:
        sents = sentences(r)
        spans = narrative_spans(r)
        assert [s.index for s in sents] == list(range(len(sents)))
        covered = [False] * len(r.text)
        for s in sents:
            assert isinstance(s, Sentence) and s.report_id == r.id
            assert s.text == r.text[s.start:s.end] == s.text.strip() != ""
            # inside one narrative span, of the same section
            assert any(a <= s.start and s.end <= b and key == s.section for a, b, key in spans), (r.id, s)
            for i in range(s.start, s.end):
                assert not covered[i]
                covered[i] = True
        for a, b, _ in spans:  # every non-whitespace narrative character is in a sentence
            assert all(covered[i] or r.text[i].isspace() for i in range(a, b)), r.id
        for a, b in _tables(r):  # no sentence overlaps a table
            assert not any(s.start < b and a < s.end for s in sents)
        for x, y in zip(sents, sents[1:]):
            assert x.end <= y.start


def test_seed_items_inside_sections(seeds):
    for r in seeds:
        sents = sentences(r)
        tops = {(sec.start, sec.end, sec.key) for sec in r.sections} if _has_sections() else {(0, len(r.text), "unknown")}
        tables = _tables(r)
        for it in items(r):
            assert it.text == r.text[it.start:it.end] == it.text.strip()
            # inside the top-level section it names, starting inside a sentence
            assert any(a <= it.start and it.end <= b and key == it.section for a, b, key in tops), (r.id, it)
            assert any(s.start <= it.start < s.end for s in sents), (r.id, it)
            assert not any(a < it.end and it.start < b for a, b in tables), (r.id, it)


def _has_sections():
    try:
        import govtext.sections  # noqa: F401
        import govtext.tables  # noqa: F401
    except ImportError:
        return False
    return True


def test_seed_clauses_refine_sentences(seeds):
    for r in seeds:
        sents = sentences(r)
        for c in sentences(r, clauses=True):
            assert any(s.start <= c.start and c.end <= s.end and s.section == c.section for s in sents)


def _lists(report, style=None, section=None):
    out: dict[int, list[Item]] = {}
    for it in items(report):
        if (style is None or it.marker_style == style) and (section is None or it.section == section):
            out.setdefault(it.list_id, []).append(it)
    return list(out.values())


def test_seed_000_inline_lists(seeds):
    r = seeds["000_6ac03842c3dfdc7c"]
    dots = [[i.text[:10] for i in lst] for lst in _lists(r, "arabic_dot")]
    assert dots == [["1.信息公开不及时。", "2.信息公开不全面。", "3.信息公开不规范。"],
                    ["1.加强信息公开的及", "2.扩大信息公开的范", "3.规范信息公开的格", "4.加强信息公开的监"]]
    last = _lists(r, "arabic_dot")[0][-1]
    assert last.text.endswith("影响了信息公开的效果和质量。")  # the lead-in 主要从以下几方面开展工作: is not in it
    parens = [[i.enumerator for i in lst] for lst in _lists(r, "paren_cn")]
    assert parens == [["(一)", "(二)", "(三)", "(四)", "(五)"], ["(一)", "(二)", "(三)", "(四)"]]
    assert any("(地址:兰山区方城镇人民政府,邮编273406,电话:0539-2657000)。" in s.text for s in sentences(r))


def test_seed_001_hybrid_and_shi(seeds):
    r = seeds["001_e3992751381c814a"]
    hybrid = [lst for lst in _lists(r, "arabic_dot") if lst[0].enumerator == "1.是"]
    assert len(hybrid) == 1 and [i.enumerator for i in hybrid[0]] == ["1.是", "2.", "3."]
    assert hybrid[0][-1].text == "3.积极与相关站所对接,理解吃透政策要求,严把解读质量,运用多种方式对政策解读。"
    shi = [[i.enumerator for i in lst] for lst in _lists(r, "shi")]
    assert shi == [["一是", "二是"], ["一是", "二是"]]
    first = _lists(r, "shi")[0]
    assert first[1].text.endswith("做到了领导、机构、人员“三到位”。")


def test_seed_002_semicolon_shi_and_no_table_cells(seeds):
    r = seeds["002_201993b9de74ca40"]
    problems = [lst for lst in _lists(r, "shi") if lst[0].text.startswith("一是业务人员")]
    assert len(problems) == 1 and [i.enumerator for i in problems[0]] == ["一是", "二是", "三是", "四是"]
    assert problems[0][1].text == "二是信息公开面对社会宣传力度不够;"
    assert any(s.text == "电话:0597—5731954" for s in sentences(r))
    assert not any(i.text.startswith("第一平台") or i.enumerator.startswith("第") for i in items(r))
    assert sum(1 for s in sentences(r) if "第一平台" in s.text) == 1


def test_seed_003_dun_and_semicolon(seeds):
    r1 = seeds["003_aad2c66ccec4c55e#1"]
    dun = [[i.enumerator for i in lst] for lst in _lists(r1, "arabic_dun")]
    assert dun == [["1、", "2、", "3、", "4、"], ["1、", "2、", "3、", "4、", "5、"]]
    semis = [[i.text for i in lst] for lst in _lists(r1, "semicolon")]
    assert ["信息编写不够规范;", "公开的内容还不够全面,信息的及时性有待提高。"] == semis[-1][1:]
    r4 = seeds["003_aad2c66ccec4c55e#4"]
    shi = [[i.enumerator for i in lst] for lst in _lists(r4, "shi")]
    assert shi == [["一是", "二是", "三是"], ["一是", "二是", "三是"]]
    assert _lists(r4, "shi")[0][0].text.endswith("有待进一步提升业务水平;")


def test_seed_004_two_shi_lists_in_problems(seeds):
    r = seeds["004_3cd86ea425926f19"]
    lists = [lst for lst in _lists(r, "shi") if lst[0].start > r.text.index("存在的问题:")]
    assert [[i.enumerator for i in lst] for lst in lists] == [["一是", "二是", "三是"]] * 2
    assert lists[0][-1].text.endswith("互动不够等问题。")  # not the 下一步 paragraph
    assert any(s.text == "存在的问题:" for s in sentences(r))


@pytest.mark.parametrize("rid", ["002_201993b9de74ca40", "004_3cd86ea425926f19"])
def test_seed_table_cells_are_not_sentences(seeds, rid):
    pytest.importorskip("govtext.tables")
    r = seeds[rid]
    sents = [s.text for s in sentences(r)]
    assert not any(re.fullmatch(r"[+\-]?\d+(\.\d+)?", t) for t in sents)
    assert "1.属于国家秘密" not in sents
    assert not any(i.text.startswith("1.属于国家秘密") for i in items(r))


def test_seed_headings(seeds):
    pytest.importorskip("govtext.sections")
    pytest.importorskip("govtext.tables")
    r = seeds["000_6ac03842c3dfdc7c"]
    heads = [s.text for s in sentences(r) if s.heading]
    assert "一、总体情况" in heads and "五、存在的主要问题及改进情况" in heads
    assert not any(s.heading for s in sentences(r) if s.text.startswith("1.信息公开不及时"))


# -- frames ------------------------------------------------------------------------------------
def test_frames(seeds):
    corpus = seeds[:4]
    df = sentences_frame(corpus)
    assert list(df.columns) == SENTENCE_COLUMNS
    assert len(df) == sum(len(sentences(r)) for r in corpus)
    assert df["report_id"].tolist() == [r.id for r in corpus for _ in sentences(r)]
    assert df.dtypes["start"] == "int64" and df.dtypes["heading"] == "bool"
    assert (df.groupby("report_id", sort=False)["sentence_index"].apply(lambda s: (s.diff().dropna() == 1).all())).all()
    dc = sentences_frame(corpus, clauses=True)
    assert len(dc) >= len(df)
    it = items_frame(corpus)
    assert list(it.columns) == ITEM_COLUMNS
    assert len(it) == sum(len(items(r)) for r in corpus)
    assert all(it.dtypes[c] == "int64" for c in ["list_id", "item_index", "number", "depth", "start", "end"])
    assert sentences_frame(seeds[0]).equals(sentences_frame([seeds[0]]))
    empty = items_frame([])
    assert list(empty.columns) == ITEM_COLUMNS and len(empty) == 0
    assert isinstance(sentences_frame([]), pd.DataFrame)


def test_layout_computed_once_per_report(seeds, monkeypatch):
    import pickle

    import govtext.tables as tables
    from govtext.records import Report
    from govtext.sentences import sentence_spans

    r0 = seeds["004_3cd86ea425926f19"]
    # a fresh report (no cached layout), sections computed beforehand
    r = pickle.loads(pickle.dumps(Report(r0.id, r0.text, r0.raw, r0.source)))
    _ = r.sections
    expected_items, expected_spans = items(r0), sentence_spans(r0)
    calls = []
    real = tables.table_regions

    def counting(report):
        calls.append(1)
        return real(report)

    monkeypatch.setattr(tables, "table_regions", counting)
    first = sentence_spans(r)
    assert sentence_spans(r) == first
    assert sentence_spans(r, clauses=True)
    assert [(s.start, s.end) for s in sentences(r)] == [(a, b) for a, b, _, _ in first]
    assert narrative_spans(r)
    assert items(r) == expected_items
    assert len(calls) == 1  # laid out once, whatever asks
    # a pickled report carries its layout and gives the same spans without laying out again
    back = pickle.loads(pickle.dumps(r))
    assert sentence_spans(back) == first
    assert len(calls) == 1
    # a fresh pickled report (nothing cached) gives the same spans too
    fresh = pickle.loads(pickle.dumps(Report(r0.id, r0.text, r0.raw, r0.source)))
    assert sentence_spans(fresh) == first == expected_spans
    assert len(calls) == 2


def test_layout_of_duck_typed_report_is_not_cached(seeds, monkeypatch):
    import types

    import govtext.tables as tables
    from govtext.sentences import sentence_spans

    r0 = seeds["004_3cd86ea425926f19"]
    duck = types.SimpleNamespace(id=r0.id, text=r0.text, sections=r0.sections)
    expected = sentence_spans(r0)
    calls = []
    real = tables.table_regions
    monkeypatch.setattr(tables, "table_regions", lambda rep: calls.append(1) or real(rep))
    assert sentence_spans(duck) == sentence_spans(duck) == expected
    assert len(calls) == 2
    assert not any(k.startswith("_govtext") for k in vars(duck))
