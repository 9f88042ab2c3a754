"""Normalisation: debris tables on real seed lines, offsets, idempotence, script handling."""

from __future__ import annotations

import hashlib
import importlib
import itertools
import json
import random
import re

import numpy as np
import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govtext._offsets import Edits, SourceMap, edit_index, splice, splice_codepoints
from govtext.exceptions import InvalidParameterError
from govtext.normalize import (
    clean_controls,
    detect_script,
    fold_width,
    make_pipeline,
    normalize,
    normalize_text,
    normalize_whitespace,
    remove_debris,
    remove_spaces,
    to_simplified,
)

HAN = re.compile("[\u3400-\u9fff]")
_normalize_module = importlib.import_module("govtext.normalize")  # (govtext.normalize is the function)


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


_DEBRIS_PIECES = ["|", "| ", "||", "| 索引号:1", "- | 发布机构:x", "单位:万元 |", "-|索引号:2", "•\t|来源:", "\n", "\n", "点击数:5", "索引号:123", "发布机构:某局", "字号:大 中 小", "【关闭窗口】",
                  "打印", "[打印]", "2024-01-22 ", "本站为你精心整理", "a", "政府信息公开", "  ", "\t", ":", "简体|繁体"]


def _assert_settled_pass_is_last(pieces: list[str]) -> None:
    """Run debris passes to the fixpoint; when a pass says it is the last (``_settled``),
    another pass must find nothing."""
    mod = _normalize_module
    text = "".join(pieces)
    ed = mod._Editor()
    while True:
        edits, settled = mod._debris_edits(text, ed)
        if not edits:
            break
        text = ed.apply(text, edits)
        if settled:
            assert not mod._debris_edits(text, mod._Editor())[0]
            break


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_DEBRIS_PIECES), min_size=1, max_size=30))
def test_settled_debris_pass_leaves_nothing(pieces):
    """When a debris pass says it is the last (_settled: it changed no line in part that holds
    a trigger text or a colon that could start a header line, and made no trigger text), another
    pass finds nothing, and the result is the fixpoint."""
    _assert_settled_pass_is_last(pieces)


def test_trigger_texts_hold_no_blank_or_pipe():
    """_settled relies on it: removing a pipe run makes no new trigger text."""
    for _bit, texts in _normalize_module._TRIGGER_TEXTS:
        assert not any(c in t for t in texts for c in " \t\n|")


def test_script_character_sets_match_opencc():
    """The per-character sets agree with converting each character on its own (govtext's t2s,
    stock s2t), and OpenCC changes no character outside the Han ranges (sampled)."""
    table = _normalize_module._script_table()
    ranges = _normalize_module._SCRIPT_RANGES
    rng = random.Random(3)
    han = [c for lo, hi in ranges for c in range(lo, hi + 1)]
    other = [c for c in range(0x80, 0x40000)
             if not 0xD800 <= c < 0xE000 and not any(lo <= c <= hi for lo, hi in ranges)]
    sample = rng.sample(han, 2000) + rng.sample(other, 2000) + [ord(c) for c in "開开後后乾干著着麼么於于"]
    s2t = opencc.OpenCC("s2t")
    for c in sample:
        flag = int(table[min(c, len(table) - 1)])
        assert bool(flag & 1) == (_normalize_module._convert("t2s", chr(c)) != chr(c)), hex(c)
        assert bool(flag & 2) == (s2t.convert(chr(c)) != chr(c)), hex(c)
    assert table[-1] == 0 and table[ord("開")] == 1 and table[ord("开")] == 2


def _clause_mixes(texts, seed):
    """Texts with a random share of their lines converted by OpenCC (either direction)."""
    rng = random.Random(seed)
    cc = {k: opencc.OpenCC(k) for k in ("s2t", "t2s")}
    for t in texts:
        lines = t.split("\n")
        for frac in (0.0, 0.1, 0.2, 0.25, 0.5, 0.75, 0.8, 0.9, 1.0):
            for kind in ("s2t", "t2s"):
                yield "\n".join(cc[kind].convert(x) if rng.random() < frac else x for x in lines)


def test_detect_script_agrees_with_conversion_rule(seeds):
    """Counting characters gives the classification of the conversion-based rule on the seeds,
    their traditional conversions, clause-level mixes and short texts near the bounds."""
    by_conversion = _normalize_module._detect_script_by_conversion
    s2t = opencc.OpenCC("s2t")
    texts = [r.raw for r in seeds] + [s2t.convert(r.raw) for r in seeds]
    texts += list(_clause_mixes([r.raw for r in seeds], 0))
    texts += ["著重", "存在著問題", "乾隆", "甚麼", "开開开開", "以后", "開" * 3 + "开" * 12, "開" * 12 + "开" * 3,
              "開" * 30 + "开" * 8 + "后" * 4, "開" * 8 + "开" * 32 + "后" * 5, "abc", "", "一二三"]
    for t in texts:
        assert detect_script(t) == by_conversion(t)


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


# -- differential: outputs frozen before the performance rewrite (issue #2) -----------------
# The digests below were computed with the implementation of commit e717292 (per-step numpy
# offsets) on the same inputs; the rewrite must not change a single output byte: normalised
# text, offsets, removal log, header, warnings, and the public step functions. (They depend on
# the OpenCC dictionaries too: a new OpenCC release may change the digests of 003.)

_DIFF_FRAGMENTS = [
    "一、总体情况", "2023 年", "自 然 人 |", "|||", "\n", "(一)主动公开", "（二）依申请公开：", "【关闭窗口】", "点击数:",
    "存在著", "政府信息公開", "。", "  ", "\t", "第二十条第(一)项 |", "- 索 引 号:", "前言:本站為你精心整理",
    "〔2021〕30号", "0597—5731954", "二是", "1.", "、", " |", "| ", "||||||", "\r\n", "\r", "\u200b", "\ufeff",
    "字号:", "字号: [ 大 中 小 ]", "大 中 小", "2024-01-22 ", "点击数: 12", "浏览次数:", "字体大小:大 中 小", "【打印】",
    "打印", "\n打印\n", "关闭窗口", "扫一扫在手机上查看当前页面", "索引号:", "发布机构: 峰市镇", "来源:本站", "有 效 性:",
    "标题:", "文号:", "\n\n\n", "   ", " \t ", "\t\t", "　", "（", "「", "」", "著重", "甚麼", "隨著", "简体|繁体",
    "分享到:", "收藏", "返回顶部", "本站为你精心整理", "发布时间: 2024-01-22 10:00", "作者:张三 ", "PDF file", "bet365",
    "彩票", "Av在线", "成 人", "字(zi)字(zi)", "?,F", "\ufffd", "\u2028", "\x85", "\x00", "\u3000\u3000", "ab cd", " a ",
    "。 ", " 。", "\U00020001", "𠀀 𠀁", "é", "\u2000", "\xa0", "-", "•", "·", "* 索引号: 1", "\n- 发布机构:\n", "|\n|\n",
]
_DIFF_CHARS = list(" \t\n|||\r:：-•·*【】[]()大中小打印关闭窗口索引号发布机构有效性文号来源点击数字号著麼開體"
                   "\u200b\u3000\xa0\x0b\x1f\ufeffａＢ１，。、a1Z?") + ["\U00020000", "\u0301", "İ", "K"]


def _diff_corpus(n=600, seed=20240122):
    """Deterministic texts built from seed-like fragments and odd characters."""
    rng = random.Random(seed)
    texts = []
    for _ in range(n):
        parts = []
        for _ in range(rng.randrange(0, 40)):
            if rng.random() < 0.65:
                parts.append(rng.choice(_DIFF_FRAGMENTS))
            else:
                parts.append("".join(rng.choice(_DIFF_CHARS) for _ in range(rng.randrange(1, 7))))
        texts.append("".join(parts))
    return texts


def _compilation_parts(text):
    """The parts of the compilation seed 003 (split at its 第X篇 markers), normalised one by one
    as read_reports does."""
    return [p for p in re.split(r"(?m)^第[一二三四五六七八九十]+篇", text) if p.strip()]


def _digest(mod, texts):
    """sha256 over everything normalisation outputs for ``texts`` (and the public steps)."""
    h = hashlib.sha256()
    for t in texts:
        n = mod.normalize(t)
        assert n.starts.dtype == n.ends.dtype == "int64"
        record = [
            n.text, [r.start for r in n.removed], [r.end for r in n.removed], [r.kind for r in n.removed],
            [r.text for r in n.removed], [list(p) for p in n.header], list(n.warnings),
            [f(t) for f in (mod.clean_controls, mod.fold_width, mod.to_simplified, mod.remove_debris,
                            mod.remove_spaces, mod.normalize_whitespace, mod.normalize_text)],
        ]
        h.update(json.dumps(record, ensure_ascii=True).encode())
        h.update(n.starts.astype("<i8").tobytes())
        h.update(n.ends.astype("<i8").tobytes())
    return h.hexdigest()


FROZEN_DIGESTS = {
    "000": "feed7ffc13653f36b1698dcb569a3cbbd8c87017242bcdafdc8f90ae034c8890",
    "001": "c8617a3c455046c122fe5291043da4e954b05a70ceb2873ad739b640d3447947",
    "002": "94e80389bad0d54f83d3957d496afa10d6743e420e903d810470109e4b88b447",
    "003": "f88ef3cdfd0622ba6e882bc2eec98c3a953e585d221628f4646da99ebf05c36e",
    "004": "d1dd8eed58047ef8f34b67189fa2dc769fe7c2b9faa50e470020a0c3947d2736",
    "003 parts": "98fa3a676f621c78bdc69c5ac2336005fab33f424619cd8079b0bb5272590bb7",
    "corpus": "c3153d4321cf5347baac343b7a852041c0e22efc75c7fbedabe2c9df3ade5670",
}


@pytest.mark.parametrize("key", sorted(FROZEN_DIGESTS))
def test_outputs_identical_to_frozen_reference(key, seed_raw):
    if key == "corpus":
        texts = _diff_corpus()
    elif key == "003 parts":
        texts = _compilation_parts(seed_raw["003"])
        assert len(texts) == 9  # preface + 第一篇 ... 第八篇
    else:
        texts = [seed_raw[key]]
    assert _digest(_normalize_module, texts) == FROZEN_DIGESTS[key]


@settings(max_examples=300, deadline=None)
@given(text_strategy)
def test_pipeline_equals_the_public_steps_in_order(text):
    """normalize_text runs steps 5 and 6 as one batch: same result as the six steps in order."""
    steps = make_pipeline(clean_controls, fold_width, to_simplified, remove_debris, remove_spaces,
                          normalize_whitespace)
    assert normalize_text(text) == steps(text)


# -- the fast paths' tables agree with the definitions they stand for ------------------------

def _alternatives(pattern):
    return pattern.pattern.split("|")


@pytest.mark.parametrize(
    ("bit", "cues"),
    [
        (_normalize_module._PAGE_INFO, _alternatives(_normalize_module._PAGE_INFO_CUE_RE)),
        (_normalize_module._CHROME_LINE, _alternatives(_normalize_module._CHROME_LINE_CUE_RE)),
        (_normalize_module._FARM, ["本站为你精心整理"]),
        (_normalize_module._CHROME, ["【", "[", "扫一扫在手机", "字号"]),
    ],
)
def test_every_cue_holds_a_trigger(bit, cues):
    triggers = [t for b, texts in _normalize_module._TRIGGER_TEXTS if b == bit for t in texts]
    for cue in cues:
        assert any(t in cue for t in triggers), cue
        classes = _normalize_module._Editor().bmp_classes(cue)
        assert bit in _normalize_module._trigger_hits(cue, classes)


_TRIGGER_SAMPLE = list("字号体击数量览次读问扫一闭窗本打印简享到收藏顶部你精【[]】 \n|ab") + ["\U00020000", "\uffff"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_TRIGGER_SAMPLE), max_size=60).map("".join))
def test_trigger_hits_are_every_occurrence_of_the_trigger_texts(text):
    # the first-character screen finds what searching for every trigger text finds
    m = _normalize_module
    expected = {}
    for bit, texts in m._TRIGGER_TEXTS:
        positions = sorted({i for t in texts for i in range(len(text)) if text.startswith(t, i)})
        if positions:
            expected[bit] = positions
    assert m._trigger_hits(text, m._Editor().bmp_classes(text)) == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("娱乐博彩家赌虎机荷官葡京尼斯阳城洲国品视成人vV在无码费载_bBeE国 \n")),
                max_size=40).map("".join))
def test_spam_screen_is_a_substring_test(text):
    m = _normalize_module
    cp = np.frombuffer(text.encode("utf-32-le"), np.uint32)
    assert m._may_hold_spam(text, cp) == any(t in text for t in m._SPAM_TRIGGERS)


_SPAM_HALVES = list("成人费视bBeE娱乐虎机vV在载_无码家阳城洲国品荷官葡京尼斯博彩赌")
_SPAM_NEUTRAL = ["正文", "政府", "信息", "\n", " ", "  ", "\t", "|", " | ", "|||\n", "【打印】", "【关闭窗口】",
                 "点击数:5", "2023", "a", "(一)", "\u200b", "\n\n\n", "(pīn)"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_SPAM_NEUTRAL * 3 + _SPAM_HALVES), max_size=60).map("".join))
def test_spam_screen_followed_through_the_edits_is_the_screen_of_the_result(text):
    """normalize screens for spam triggers right after the conversion and follows the answer
    through the debris and blank batches (joins of characters): its warnings are those of a
    screen of the final text, and a text it calls clean holds no trigger. Batches of a few
    edits (joins found edit by edit) and of many (the new text screened) alike."""
    m = _normalize_module

    def run():
        n = normalize(text)
        assert n.warnings == tuple(m._warnings(n.text))
        tracker = m._Tracker(len(text))
        out = text
        for step in m._CONVERSION_STEPS:
            out = step(out, tracker)
        tracker.watch_spam(out)
        for step in m._EDITING_STEPS:
            out = step(out, tracker)
        if tracker.spam is False:
            assert not any(t in out for t in m._SPAM_TRIGGERS)

    run()
    _forced("FEW_EDITS", 0, run)


def test_spam_test_by_substrings_is_the_regex_test():
    # _warnings looks for spam lines only in a text that holds a cue or "bet" in any case,
    # tested with substring searches that stand for _SPAM_CUE_RE and _BET_RE
    m = _normalize_module
    assert sorted(m._BET_FORMS) == sorted(
        "".join(c) for c in itertools.product("bB", "eE", "tT"))
    texts = ["本镇主动公开信息", "bEt", "BET365", "Be t", "彩", "百家", "百家乐", "aV在线", "AV在线", "av 在线",
             "手机下载", "手机下载_", "老虎", "威尼斯人", "abet", "tbe"] + list(m._SPAM_CUES)
    for t in texts:
        by_regex = bool(m._SPAM_CUE_RE.search(t) or m._BET_RE.search(t))
        assert (any(c in t for c in m._SPAM_CUES) or any(b in t for b in m._BET_FORMS)) == by_regex, t
    # the cheap pre-test lets every cue through, in a longer text too
    for cue in [*m._SPAM_CUES, *m._BET_FORMS]:
        for t in (cue, f"本镇主动公开{cue}信息"):
            assert any(x in cue for x in m._SPAM_TRIGGERS), cue
            assert m._may_hold_spam(t, np.frombuffer(t.encode("utf-32-le"), np.uint32)), t
    plain = "本镇主动公开政府信息28条,公开率100%。"
    assert not m._may_hold_spam(plain, np.frombuffer(plain.encode("utf-32-le"), np.uint32))


def test_chrome_alternatives_start_with_a_trigger():
    m = _normalize_module
    for s in ["【关闭窗口】", "[打印]", "扫一扫在手机上查看当前页面", "字号:大 中 小", "字号 [大] [中] [小]"]:
        assert m._CHROME_RE.match(s)
        assert m._trigger_hits(s, m._Editor().bmp_classes(s))[m._CHROME][0] == 0


def test_spam_scan_matches_the_case_insensitive_definition():
    m = _normalize_module
    # re.I folds the ASCII letters of the spam words to their upper case only
    everything = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    letters = sorted({c for w in m._SPAM_WORDS for c in w if "a" <= c <= "z"})
    assert sorted(set(re.findall(f"[{''.join(letters)}]", everything, re.I))) == sorted(
        letters + [c.upper() for c in letters])
    text = "BeT 365,bet3365 bEt365 aV在线 Av在线 彩票 真人荷官,成人 bet 3365 手机下载_ 娱乐城"
    assert [(x.span(), x.group()) for x in m._SPAM_SCAN_RE.finditer(text)] == [
        (x.span(), x.group()) for x in m._SPAM_RE.finditer(text)]


# -- offsets machinery: against a per-character reference -----------------------------------

def _naive_apply(text, starts, ends, edits):
    """Per-character reference of an edit batch (the semantics of govtext._offsets)."""
    out, s_out, e_out, prev = [], [], [], 0
    for a, b, rep in edits:
        out.append(text[prev:a])
        s_out += starts[prev:a]
        e_out += ends[prev:a]
        out.append(rep)
        s_out += [starts[a]] * len(rep)
        e_out += [ends[b - 1]] * len(rep)
        prev = b
    out.append(text[prev:])
    return "".join(out), s_out + starts[prev:], e_out + ends[prev:]


@st.composite
def _edit_batches(draw):
    text = draw(st.text(alphabet="abc", min_size=1, max_size=30))
    batches = []
    n = len(text)
    for _ in range(draw(st.integers(1, 4))):
        if n == 0:
            break
        cuts = sorted(draw(st.lists(st.integers(0, n), min_size=2, max_size=12, unique=True)))
        edits = [(a, b, draw(st.sampled_from(["", "x", "yz"]))) for a, b in zip(cuts[::2], cuts[1::2])]
        batches.append(edits)
        n += sum(len(r) - (b - a) for a, b, r in edits)
    return text, batches


@pytest.mark.parametrize("by_index", [False, True])
@settings(max_examples=300, deadline=None)
@given(case=_edit_batches())
def test_source_map_matches_per_character_reference(by_index, case):
    """SourceMap.edit composes the edits as a per-character reference does, by slices or (the
    path of large batches) by an EditIndex, which also splices the code points as splice
    splices the string."""
    text, batches = case
    smap = SourceMap.identity(len(text))
    starts, ends = list(range(len(text))), list(range(1, len(text) + 1))
    cur = text
    for edits in batches:
        batch = Edits.of(edits)
        ix = edit_index(len(cur), batch) if by_index else None
        smap, src_a, src_b = smap.edit(batch, ix) if by_index else smap.edit(batch)
        assert src_a.tolist() == [starts[a] for a, _, _ in edits]
        assert src_b.tolist() == [ends[b - 1] for _, b, _ in edits]
        new, starts, ends = _naive_apply(cur, starts, ends, edits)
        assert splice(cur, batch) == new
        if by_index:
            cp = np.frombuffer(cur.encode("utf-32-le"), np.uint32)
            assert splice_codepoints(cp, batch, ix).tobytes().decode("utf-32-le") == new
        cur = new
    s, e = smap.arrays()
    assert (s.tolist(), e.tolist()) == (starts, ends)
    assert s.dtype == e.dtype == np.int64


def test_source_map_rejects_bad_edits():
    with pytest.raises(ValueError, match="sorted and non-overlapping"):
        SourceMap.identity(5).edit(Edits.of([(2, 4, ""), (3, 5, "")]))
    with pytest.raises(ValueError, match="non-empty"):
        SourceMap.identity(5).edit(Edits.of([(2, 2, "x")]))


def test_edit_index_rejects_bad_edits():
    with pytest.raises(ValueError, match="sorted and non-overlapping"):
        edit_index(5, Edits.of([(2, 4, ""), (3, 5, "")]))
    with pytest.raises(ValueError, match="non-empty"):
        edit_index(5, Edits.of([(2, 2, "x")]))
    with pytest.raises(ValueError, match="within the text"):
        SourceMap.identity(5).edit(Edits.of([(4, 6, "")]))


def _forced(name, value, fn, *args, **kwargs):
    """fn(*args) with the module constant ``name`` set to ``value``."""
    mod = _normalize_module
    saved = getattr(mod, name)
    setattr(mod, name, value)
    try:
        return fn(*args, **kwargs)
    finally:
        setattr(mod, name, saved)


def _edit_list(edits):
    reps = edits.reps
    reps = [reps] * len(edits) if isinstance(reps, str) else list(reps)
    kinds = edits.kinds
    kinds = [kinds] * len(edits) if isinstance(kinds, str) or kinds is None else list(kinds)
    return list(zip(edits.starts.tolist(), edits.ends.tolist(), reps, kinds))


_BLANK_PIECES = [" ", "  ", "\t", " \t ", "\n", "\n\n", "\n \n", "\n\t\n\n", "中", "文", "。", "a", "b", "1", "𠀀",
                 "\u3000", "\r", " |"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_BLANK_PIECES), max_size=40).map("".join),
       st.sampled_from([(True, True), (True, False), (False, True)]))
def test_blank_edits_in_python_are_the_vectorised_ones(text, flags):
    """_few_blank_edits (a few blanks, one Python step per run) makes the edits that the numpy
    path makes."""
    m = _normalize_module
    spaces, layout = flags
    run = lambda: _edit_list(m._blank_edits(text, m._Editor(), spaces=spaces, layout=layout))  # noqa: E731
    assert _forced("_FEW_BLANKS", 10**9, run) == _forced("_FEW_BLANKS", 0, run)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_DEBRIS_PIECES + ["打", "印", "关闭窗口", "扫一扫在手机上查看当前页面", "有 效 性:"]),
                min_size=1, max_size=30))
def test_debris_merge_in_python_is_the_vectorised_one(pieces):
    """_merge_few (a few spans) merges as the numpy merge does: same edits, same last-pass flag,
    same header values."""
    m = _normalize_module
    text = "".join(pieces)

    def run():
        ed = m._Editor()
        edits, settled = m._debris_edits(text, ed)
        return _edit_list(edits), settled, ed.header

    assert _forced("_FEW_SPANS", 10**9, run) == _forced("_FEW_SPANS", -1, run)


_JOIN_PIECES = _DEBRIS_PIECES + ["打", "印", "击", "数", "【", "】", "[", "]", "关闭窗口", "扫一扫在手机上查看当前页面", "有 效 性:",
                                 "标题:", "- ", "前言:", "你精", "字体大小:大", "浏览次数:3", "发布时间: 2024-01-22", "收藏",
                                 "返回顶部", "分享到:", "闭窗", "* ", "· ", "\n", "\n"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_JOIN_PIECES), min_size=1, max_size=40))
def test_settled_debris_pass_leaves_nothing_with_joins(pieces):
    """As test_settled_debris_pass_leaves_nothing, with chrome inside lines (whose removal joins
    two characters), whole lines and header labels."""
    _assert_settled_pass_is_last(pieces)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_JOIN_PIECES), min_size=1, max_size=40))
def test_colons_found_with_numpy_are_those_found_with_str_find(pieces):
    """_settled looks for the colons left in place by str.find, or with numpy on a text with
    many colons: the same answer."""
    m = _normalize_module
    text = "".join(pieces)

    def run():
        return m._debris_edits(text, m._Editor())[1]

    assert _forced("_MANY_COLONS", 10**9, run) == _forced("_MANY_COLONS", -1, run)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_JOIN_PIECES + ["|", " | ", "||\n", "a|b"]), min_size=1, max_size=40))
def test_settled_reads_lists_as_it_reads_arrays(pieces):
    """_settled reads a few edits from lists (bisect) and many from the arrays (searchsorted):
    the same answer either way."""
    m = _normalize_module
    text = "".join(pieces)

    def run():
        ed = m._Editor()
        edits, settled = m._debris_edits(text, ed)
        return _edit_list(edits), settled

    assert _forced("_LIST_EDITS", 10**9, run) == _forced("_LIST_EDITS", -1, run)


def test_settled_on_seed_debris_reads_lists_as_it_reads_arrays(seeds):
    m = _normalize_module
    for raw in [r.raw for r in seeds]:
        text = m._t2s(m._fold(m._controls(raw, m._Editor()), m._Editor()), m._Editor())

        def run(text=text):
            return m._debris_edits(text, m._Editor())[1]

        assert _forced("_LIST_EDITS", 10**9, run) == _forced("_LIST_EDITS", -1, run)


def test_is_wide_is_the_wide_regex():
    # the table look-up of _few_blank_edits, over every code point
    m = _normalize_module
    for o in range(0x110000):
        if not 0xD800 <= o < 0xE000:
            c = chr(o)
            assert m._is_wide(c) == bool(m._WIDE_RE.match(c)), hex(o)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_JOIN_PIECES + ["\r\n", "著重", "開"]), max_size=40).map("".join))
def test_removal_log_is_in_source_order(text):
    # one batch logs its edits in order; several are sorted (by start, then end)
    spans = [(r.start, r.end) for r in normalize(text).removed]
    assert spans == sorted(spans)


# -- pathological inputs: time must stay linear (timed in benchmarks/bench_normalize.py) -------

PATHOLOGICAL = {
    "10^6 pipes": "报告\n" + "|" * 1_000_000 + "\n正文",
    "10^5 pipe cells": "甲 |" * 100_000,
    "one 2 MB line": ("一、总体情况 2023 年 本镇 | 主动公开 点击数 打印 来源: 索引号 " * 40_000),
    "long runs of spaces": "中" + " " * 1_000_000 + "文\n" + " " * 1_000_000 + "\n" + "a" + " " * 500_000 + "b",
    "字号 and spaces": ("字号" + " " * 10_000) * 100 + "字号: 大 中 小",
    "many header labels": "索引号: 1 发布机构: 镇 " * 50_000 + "\n" + "- 有 效 性: 有效\n" * 50_000 + "正文",
    "many cue lines": "2024-01-22 点击数: 3 |\n【关闭窗口】\n打印\n" * 30_000 + "正文",
}


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_pathological_inputs(name):
    text = PATHOLOGICAL[name]
    n = normalize(text)
    assert n.text == normalize_text(text)
    assert len(n.starts) == len(n.ends) == len(n.text)
    assert (n.starts[1:] >= n.starts[:-1]).all() and (n.ends >= n.starts).all()
    for r in n.removed[:100] + n.removed[-100:]:
        assert text[r.start:r.end] == r.text
    if name == "10^6 pipes":
        assert n.text == "报告\n正文" and sum(r.end - r.start for r in n.removed) == 1_000_001
    if name == "10^5 pipe cells":
        assert n.text == "\t".join(["甲"] * 100_000)


def test_opencc_config_leaves_no_files_behind(tmp_path, monkeypatch):
    import sys
    import tempfile

    mod = sys.modules["govtext.normalize"]
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    mod._opencc.cache_clear()
    mod._t2s_dicts.cache_clear()
    try:
        assert to_simplified("存在著問題") == "存在着问题"  # the 著 fix is loaded
        assert list(tmp_path.iterdir()) == []  # its config files are gone once loaded
    finally:
        mod._opencc.cache_clear()
        mod._t2s_dicts.cache_clear()


def _needs_opencc_dicts():
    if _normalize_module._t2s_dicts() is None:
        pytest.skip("the OpenCC dictionaries cannot be read here (no opencc_dict tool)")


def _dictionary_keys():
    """Every key of govtext's t2s dictionaries (OpenCC's and the 著 fix)."""
    m = _normalize_module
    dicts = [m._dict_entries(m._T2S_FIX), *m._t2s_dicts().values()]
    return [key for entries in dicts for key, _ in entries]


def test_merged_phrase_dictionary_converts_as_the_fix_in_front(seeds, tmp_path):
    """The 著 fix merged into OpenCC's phrase dictionary converts as the fix in a dictionary of
    its own in front of the stock ones: on the seeds, their traditional conversions, and random
    runs of dictionary keys and their characters."""
    _needs_opencc_dicts()
    m = _normalize_module
    cfg = json.loads(json.dumps(m._t2s_config()[1]))
    group = cfg["conversion_chain"][0]["dict"]
    assert m._merged_phrases(group["dicts"][0]["file"], str(tmp_path)) is not None  # (in use)
    fix = tmp_path / "fix.txt"
    fix.write_text(m._T2S_FIX, encoding="utf-8")
    group["dicts"].insert(0, {"type": "text", "file": str(fix)})
    path = tmp_path / "t2s.json"
    path.write_text(json.dumps(cfg, ensure_ascii=False), encoding="utf-8")
    in_front = opencc.OpenCC(str(path))
    keys = [key for key in _dictionary_keys() if len(key) > 1]
    chars = sorted(set("".join(keys)))
    rng = random.Random(5)
    s2t = opencc.OpenCC("s2t")
    texts = [r.raw for r in seeds] + [s2t.convert(r.raw) for r in seeds]
    for _ in range(3000):
        picks = (rng.choice(keys) if rng.random() < 0.5 else rng.choice(chars) for _ in range(12))
        texts.append("".join(itertools.islice(picks, rng.randrange(1, 12))))
    for text in texts:
        assert m._convert("t2s", text) == in_front.convert(text), text


def test_t2s_screen_holds_every_character_converted_alone():
    _needs_opencc_dicts()
    m = _normalize_module
    screen, script = m._t2s_screen(), m._script_table()
    traditional = (script[:0x10000] & 1).nonzero()[0]
    assert screen[traditional].all()
    assert screen[[ord(c) for c in "著麼覆沈藉"]].all()  # (phrases only: 答覆, 深沈, 憑藉)
    assert screen[0xFFFF] == bool((script[0x10000:] & 1).any())  # (astral characters)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_texts_without_screen_characters_are_left_alone_by_opencc(data):
    """A text without a character of the t2s screen comes out of OpenCC unchanged (so it is not
    converted): runs of the unscreened characters of the dictionary keys, where a conversion
    would show first."""
    _needs_opencc_dicts()
    m = _normalize_module
    screen = m._t2s_screen()
    chars = sorted(
        {c for key in _dictionary_keys() for c in key if not screen[min(ord(c), 0xFFFF)]})
    text = "".join(data.draw(st.lists(st.sampled_from(chars), max_size=30)))
    assert m._convert("t2s", text) == text
    assert to_simplified(text) == text
