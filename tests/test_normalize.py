"""Normalisation: debris tables on real seed lines, offsets, idempotence, script handling."""

from __future__ import annotations

import re

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govtext.exceptions import InvalidParameterError
from govtext.normalize import (
    clean_controls,
    detect_script,
    fold_width,
    make_pipeline,
    normalize,
    normalize_text,
    remove_debris,
    remove_spaces,
    to_simplified,
)

HAN = re.compile("[\u3400-\u9fff]")


# -- table-driven: every kind of debris, using real seed lines --------------------------------
DEBRIS_CASES = [
    # (id, input, expected normalised text, expected removal kinds)
    ("title-pipe-run (000)", "兰山区方城镇人民政府2023年政府信息公开工作年度报告 | " + "|" * 400,
     "兰山区方城镇人民政府2023年政府信息公开工作年度报告", {"pipes"}),
    ("page-info line (000)", "报告\n2024-01-22 点击数: | " + "|" * 50 + "\n正文", "报告\n正文", {"page_info"}),
    ("lone pipe lines (000/004)", "甲\n|\n|||\n||||||||\n乙", "甲\n乙", {"pipes"}),
    ("cell per line (004)", "自 然 人 |\n法人或其他组织 |\n总计 |", "自然人\n法人或其他组织\n总计", {"pipes"}),
    ("pipes between cells", "本年新 | 本年新 | 对外公开总数量", "本年新\t本年新\t对外公开总数量", {"pipes"}),
    ("close window (000)", "特此报告。【关闭窗口】 |", "特此报告。", {"chrome", "pipes"}),
    ("scan QR (002)", "2021年1月11日\n扫一扫在手机上查看当前页面", "2021年1月11日", {"chrome"}),
    ("font size", "字号:大 中 小\n正文", "正文", {"chrome"}),
    ("font size bracketed", "字号:[ 大 中 小 ]\n正文", "正文", {"chrome"}),
    ("print line", "正文\n打印\n关闭窗口", "正文", {"chrome"}),
    ("print bracket", "正文【打印本页】 【关闭本页】", "正文", {"chrome"}),
    ("header block (002)", "- 索 引 号:\n- 备注/文号:\n- 发布机构:\n- 公文生成日期:\n- 有 效 性:\n峰政〔2021〕1号",
     "峰政〔2021〕1号", {"header"}),
    ("header one line (古店镇)", "索 引 号: 信息分类: 政府信息公开年报 发布机构: 发布日期: 2022-01-10 标题: 年报 文号: 时效:\n正文",
     "正文", {"header"}),
    ("content-farm preface (003)", "前言:本站為你精心整理了鄉鎮政府信息公開報告(共8篇)范文,希望能為你的創作提供參考價值。\n第一篇 一、概述",
     "第一篇一、概述", {"content_farm"}),
    ("simplified farm", "前言:本站为你精心整理了报告范文\n正文", "正文", {"content_farm"}),
]


@pytest.mark.parametrize(("case", "text", "expected", "kinds"), DEBRIS_CASES, ids=[c[0] for c in DEBRIS_CASES])
def test_debris_removed_and_recorded(case, text, expected, kinds):
    n = normalize(text)
    assert n.text == expected
    assert {r.kind for r in n.removed} == kinds
    for r in n.removed:  # removed debris is recorded with its exact source characters
        assert text[r.start:r.end] == r.text
        assert r.text.strip()


def test_header_values_kept_as_metadata_candidates():
    n = normalize("- 索 引 号: 0001/2021-00012\n- 发布机构: 峰市镇人民政府\n- 有 效 性: 有效\n正文")
    header = dict(n.header)
    assert header == {"index_no": "0001/2021-00012", "publisher": "峰市镇人民政府", "validity": "有效"}


def test_generic_labels_alone_are_not_header():
    # 标题/来源 alone (no distinctive label) are prose, not a page header
    assert normalize_text("来源:本镇统计\n正文") == "来源:本镇统计\n正文"


WIDTH_CASES = [
    ("（一）主动公开方面：", "(一)主动公开方面:"),
    ("２０２３年，共收到申请３宗；", "2023年,共收到申请3宗;"),
    ("「三到位」『内部』", "“三到位”‘内部’"),
    ("电话：0597—5731954", "电话:0597—5731954"),
    ("a\u3000b", "a b"),
]


@pytest.mark.parametrize(("text", "expected"), WIDTH_CASES)
def test_fold_width(text, expected):
    assert fold_width(text) == expected


SPACE_CASES = [
    ("平昌关镇 2023 年政府信息公开工作年度报告", "平昌关镇2023年政府信息公开工作年度报告"),
    ("自 然 人", "自然人"),
    ("科 研 机 构", "科研机构"),
    ("(一) 予以公开", "(一)予以公开"),
    ("下载 PDF file 文件", "下载PDF file文件"),
    ("结果 维持", "结果维持"),
]


@pytest.mark.parametrize(("text", "expected"), SPACE_CASES)
def test_remove_spaces(text, expected):
    assert remove_spaces(text) == expected


ZHE_CASES = [
    ("存在著問題", "存在着问题"),
    ("著重加強", "着重加强"),
    ("隨著工作推進", "随着工作推进"),
    ("顯著提高", "显著提高"),  # 显著 keeps 著 (correct)
    ("甚麼", "什么"),
]


@pytest.mark.parametrize(("text", "expected"), ZHE_CASES)
def test_t2s_zhe_fix(text, expected):
    assert to_simplified(text) == expected


def test_simplified_zhe_not_rewritten():
    # tw2s would turn an already-simplified 显著 into 显着; ours must not
    assert to_simplified("显著提高,意义显著") == "显著提高,意义显著"


def test_controls():
    assert clean_controls("甲\r\n乙\r丙\u200b丁\x00") == "甲\n乙\n丙丁"


def test_make_pipeline_composes_in_order():
    pipe = make_pipeline(fold_width, remove_spaces)
    assert pipe("２０２３ 年") == "2023年"
    assert make_pipeline()("x") == "x"


def test_normalize_rejects_non_str():
    with pytest.raises(InvalidParameterError, match="expects a str"):
        normalize(b"bytes")
    with pytest.raises(InvalidParameterError, match="expects a str"):
        normalize_text(None)


# -- offsets -----------------------------------------------------------------------------------

def _explained(src: str, ch: str, context: str = "") -> bool:
    """Is ``ch`` what normalisation makes of the source characters ``src``?

    ``context`` is the source around ``src``: phrase conversions (存在著 → 存在着) depend on it.
    """
    if ch in "\t\n":
        return True  # cell separators from pipe runs, line ends from \r and blank-line runs
    return ch in to_simplified(fold_width(src)) or ch in to_simplified(fold_width(context)) or ch == " "


def test_offsets_map_every_character_back(seeds):
    for r in seeds:
        assert len(r.offsets) == len(r.text)
        for i, ch in enumerate(r.text):
            s, e = int(r.offsets[i]), int(r.offset_ends[i])
            assert 0 <= s < e <= len(r.raw)
            assert _explained(r.raw[s:e], ch, r.raw[max(0, s - 3):e + 3]), (r.id, i, ch, r.raw[s:e])
        # monotone: text order is source order
        assert (r.offsets[1:] >= r.offsets[:-1]).all()


def test_offsets_single_char_for_han(seeds):
    """Han characters map to exactly one source character (t2s is one-for-one on the seeds)."""
    for r in seeds:
        for i, ch in enumerate(r.text):
            if HAN.match(ch):
                assert r.offset_ends[i] - r.offsets[i] == 1


def test_removed_debris_spans_are_exact(seeds):
    for r in seeds:
        for rem in r.removed:
            assert r.raw[rem.start:rem.end] == rem.text


# -- script ------------------------------------------------------------------------------------

def test_detect_script_on_seeds(seeds):
    scripts = {r.id: r.script for r in seeds}
    assert all(v == "traditional" for k, v in scripts.items() if k.startswith("003"))
    assert all(v == "simplified" for k, v in scripts.items() if not k.startswith("003"))
    assert detect_script("") == "simplified"


def test_traditional_conversion_normalises_to_same_text(seeds):
    """Seed text converted to traditional (OpenCC s2t) normalises back to the same text."""
    s2t = opencc.OpenCC("s2t")
    total = agree = 0
    for r in seeds:
        if r.script != "simplified":
            continue
        trad = s2t.convert(r.raw)
        assert detect_script(trad) == "traditional"
        a, b = normalize_text(r.raw), normalize_text(trad)
        assert len(a) == len(b)
        total += len(a)
        agree += sum(x == y for x, y in zip(a, b))
    assert agree / total >= 0.999


def test_simplified_seeds_keep_every_han_character(seeds):
    for r in seeds:
        if r.script != "simplified":
            continue
        assert HAN.findall(r.text) == HAN.findall(remove_debris(fold_width(r.raw))) or \
            "".join(HAN.findall(r.text)) in "".join(HAN.findall(r.raw))


# -- properties --------------------------------------------------------------------------------

_SEED_FRAGMENTS = [
    "一、总体情况", "2023 年", "自 然 人 |", "|||", "\n", "(一)主动公开", "（二）依申请公开：",
    "【关闭窗口】", "点击数:", "存在著", "政府信息公開", "。", "  ", "\t", "第二十条第(一)项 |",
    "- 索 引 号:", "前言:本站為你精心整理", "〔2021〕30号", "0597—5731954", "二是", "1.", "、",
]
text_strategy = st.lists(
    st.one_of(st.sampled_from(_SEED_FRAGMENTS), st.text(max_size=8)), max_size=25
).map("".join)


@settings(max_examples=300, deadline=None)
@given(text_strategy)
def test_normalisation_is_idempotent(text):
    once = normalize_text(text)
    assert normalize_text(once) == once


@settings(max_examples=300, deadline=None)
@given(text_strategy)
def test_offsets_property(text):
    n = normalize(text)
    assert len(n.starts) == len(n.ends) == len(n.text)
    assert ((n.starts >= 0) & (n.ends <= len(text)) & (n.starts <= n.ends)).all()
    assert n.text == normalize_text(text)
    for i, ch in enumerate(n.text):
        s, e = int(n.starts[i]), int(n.ends[i])
        assert _explained(text[s:e], ch, text[max(0, s - 3):e + 3])
    for r in n.removed:
        assert text[r.start:r.end] == r.text


@pytest.fixture(scope="module")
def simplified_chars(seed_raw):
    chars = sorted({c for k, t in seed_raw.items() if k != "003" for c in HAN.findall(t)})
    return chars


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_no_han_change_on_simplified_input(simplified_chars, data):
    text = data.draw(st.lists(st.one_of(st.sampled_from(simplified_chars), st.sampled_from(" ,。\n|123")),
                              max_size=60).map("".join))
    out = normalize_text(text)
    assert HAN.findall(out) == HAN.findall(text)
