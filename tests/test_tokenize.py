"""Tests of govtext.tokenize: the canonical tokenizer, its dictionaries and place names."""

from __future__ import annotations

import copy
import logging
import multiprocessing
import os
import pickle
import re
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import govtext.tokenize
from govtext.exceptions import InputError, InvalidParameterError, MissingDependencyError
from govtext.normalize import normalize_text
from govtext.tokenize import (
    DEFAULT_PLACE_FREQ,
    Tokenizer,
    load_stopwords,
    load_userdict,
    place_names_from_agency,
    place_names_from_text,
)

HAS_RJIEBA = True
try:
    import rjieba  # noqa: F401
except ImportError:  # pragma: no cover - rjieba is in the dev extra
    HAS_RJIEBA = False

BACKENDS = [
    "jieba",
    pytest.param("rjieba", marks=pytest.mark.skipif(not HAS_RJIEBA, reason="no rjieba")),
]
# place_names_from_text() of the seeds (checked below); the same list everywhere, so that the
# module-level cache of built tokenizers is reused
SEED_PLACES = sorted(
    ["兰山区", "方城镇", "平昌关镇", "龙岩市", "永定区", "峰市镇", "广元市", "利州区", "四川省"]
)
FAST = "rjieba" if HAS_RJIEBA else "jieba"


# --------------------------------------------------------------------------------------------
# fixtures: every Tokenizer is built once per module; jieba's cache goes to a temporary directory


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("govtext-cache")


@pytest.fixture(scope="module")
def make(cache_dir):
    """Build (once) and return a Tokenizer for the given parameters."""
    built: dict = {}

    def _make(**params):
        key = repr(sorted(Tokenizer(**params).get_params().items()))  # defaults filled in
        if key not in built:
            tok = Tokenizer(cache_dir=cache_dir, **params)
            tok.tokenize("")  # build now
            built[key] = tok
        return built[key]

    return _make


@pytest.fixture(scope="module", params=BACKENDS)
def tok(request, make):
    return make(backend=request.param, place_names=SEED_PLACES)


@pytest.fixture(scope="module", params=BACKENDS)
def tok_raw(request, make):
    return make(backend=request.param, place_names=SEED_PLACES, normalize=False)


@pytest.fixture(scope="module")
def fast(make):
    """The fastest backend installed, for the tests that do not compare backends."""
    return make(backend=FAST, place_names=SEED_PLACES)


@pytest.fixture(scope="module")
def seed_norm(seed_raw):
    return {k: normalize_text(v) for k, v in seed_raw.items()}


# --------------------------------------------------------------------------------------------
# domain terms and the words around them


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # 000
        (
            "我镇依法依规做好政府信息依申请公开工作,2023年共收到政府信息公开申请3宗",
            ["政府信息", "依申请公开", "政府信息公开"],
        ),
        (
            "方城镇清理整合和关停一批功能相近、用户关注度和利用率低的政务新媒体",
            ["方城镇", "政务新媒体"],
        ),
        ("根据《政府信息公开信息处理费管理办法》计量标准", ["政府信息公开", "信息处理费"]),
        ("成立政务公开工作领导小组,领导小组下设办公室", ["政务公开", "领导小组"]),
        ("政府信息公开行政复议和行政诉讼情况", ["政府信息公开", "行政复议", "行政诉讼"]),
        ("(三)政府信息管理 (四)平台建设 (五)监督保障", ["政府信息管理", "平台建设", "监督保障"]),
        ("(三)人大代表建议和政协提案办理结果公开情况", ["人大代表建议", "政协提案"]),
        ("充分利用政务服务中心窗口,设立政务公开专栏", ["政务服务中心", "窗口"]),
        # 001
        ("(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)", ["勾稽关系"]),
        ("3.危及“三安全一稳定”", ["三安全一稳定"]),
        ("5.属于三类内部事务信息 6.属于四类过程性信息", ["内部事务信息", "过程性信息"]),
        ("信息内容\t本年制发件数\t本年废止件数\t现行有效件数", ["本年", "制发", "现行有效"]),
        (
            "结果维持\t结果纠正\t其他结果\t尚未审结\t总计",
            ["结果维持", "结果纠正", "其他结果", "尚未审结"],
        ),
        ("一是政策解读方面", ["政策解读"]),
        # 002
        ("二是通过便民服务中心、电话回应等方式", ["便民服务中心"]),
        ("及时通过政府门户网站、微信群、政务公开栏等平台进行公开", ["政务公开栏"]),
        ("进一步提高基层政务公开的针对性", ["基层政务公开"]),
        (
            "龙岩市永定区峰市镇2020年政府信息公开工作年度报告",
            ["龙岩市", "永定区", "峰市镇", "政府信息公开工作年度报告"],
        ),
        # 003 (traditional in the source)
        (
            "4、不斷健全完善政府信息主動公開和依申請公開制度、保密審查等規定",
            ["主动公开", "依申请公开", "保密审查"],
        ),
        # 004
        ("2023年共关停注销政务新媒体账号6个", ["政务新媒体", "账号"]),
        ("公开政策文件22份、政策解读32条", ["政策解读"]),
        ("广元市利州区人民政府", ["广元市", "利州区", "人民政府"]),
        # 001 title with PDF spacing
        ("平昌关镇 2023 年政府信息公开工作年度报告", ["平昌关镇", "2023", "年"]),
        # not in the seeds (nlp.md / brief)
        ("推进一网通办,办件量大幅增长", ["一网通办", "办件"]),
    ],
)
def test_domain_terms_stay_whole(tok, sentence, expected):
    tokens = tok.tokenize(sentence)
    for word in expected:
        assert word in tokens, (word, tokens)


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("中华人民共和国政府信息公开条例", "中华人民共和国/政府信息公开/条例"),
        ("乡人民政府信息公开指南", "乡/人民政府/信息公开/指南"),
        ("镇人民政府信息公开工作", "镇/人民政府/信息公开/工作"),
        ("及县政府信息公开工作", "及/县政府/信息公开/工作"),
        ("和县政府信息公开有关文件要求", "和/县政府/信息公开/有关/文件/要求"),
        ("根据乡政府信息公开工作统一要求", "根据/乡政府/信息公开/工作/统一/要求"),
        ("完善政府信息公开栏这一公开形式", "完善/政府信息/公开栏/这一/公开/形式"),
        ("设置了信息公开栏", "设置/了/信息/公开栏"),
        ("本年制发件数", "本年/制发/件数"),
        ("本年度办理结果", "本年度/办理/结果"),
        ("政府信息中心", "政府/信息中心"),
        ("主动公开政府信息", "主动公开/政府信息"),
        ("收到政府信息公开申请", "收到/政府信息公开/申请"),
        ("本年度政府信息公开信息处理费为", "本年度/政府信息公开/信息处理费/为"),
        ("地方城镇化", "地方/城镇化"),  # 方城镇 is a place name in the fixture: it must not bite
        ("方城镇人民政府办公室", "方城镇/人民政府/办公室"),
    ],
)
def test_terms_do_not_break_surrounding_words(tok, phrase, expected):
    assert "/".join(tok.tokenize(phrase)) == expected


def test_userdict_terms_whole_across_the_seeds(make, seed_norm):
    """Every seed occurrence of a dictionary term is one token, except inside a longer word
    (本年 in 本年度, 政府信息 in 政府信息公开) or in the cuts documented in userdict_sources.md."""
    tok = make(backend=FAST, normalize=False, place_names=SEED_PLACES)
    words = load_userdict()
    documented = re.compile(
        r"人民政府(?:信息公开|网站|公报)|信息公开(?:指南|目录|专栏|栏)|[县乡]政府信息公开"
        r"|政府信息中心|编制发布|政务公开专栏"
    )
    missed = []
    n_whole = 0
    for key, text in seed_norm.items():
        spans = tok.tokenize_with_spans(text)
        token_spans = {(s, e) for _, s, e in spans}
        for word in words:
            for m in re.finditer(re.escape(word), text):
                if (m.start(), m.end()) in token_spans:
                    n_whole += 1
                    continue
                if any(s <= m.start() and m.end() <= e for _, s, e in spans):
                    continue  # inside a longer word
                ctx = text[max(0, m.start() - 2) : m.end() + 2]
                if not documented.search(ctx):
                    missed.append((key, word, ctx, "/".join(tok.tokenize(ctx))))
    assert missed == []
    assert n_whole > 800


def test_custom_userdict_file(tmp_path, make):
    good = tmp_path / "dict.txt"
    good.write_text("# comment\n勾稽關係 200 n\n\n三安全一稳定\n", encoding="utf-8")
    assert load_userdict(good) == {"勾稽關係": (200, "n"), "三安全一稳定": (100, "nz")}
    tok = make(backend=FAST, userdict=str(good))
    assert tok.pos_tag("勾稽关系") == [("勾稽关系", "n")]  # normalised like the text
    bad = tmp_path / "bad.txt"
    bad.write_text("勾稽关系 many n\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.txt: line 1: expected 'word \[freq \[tag\]\]'"):
        load_userdict(bad)


def test_userdict_file_format():
    entries = load_userdict()
    assert len(entries) >= 60
    for word, (freq, tag) in entries.items():
        assert re.fullmatch("[\u4e00-\u9fd5]+", word), word
        assert freq >= 1 and tag.isalpha()
    sources = (Path(__file__).parent.parent / "govtext" / "data" / "userdict_sources.md").read_text(
        encoding="utf-8"
    )
    documented = set(re.findall(r"^\| ([\u4e00-\u9fd5]+) \| (\d+) \|", sources, re.M))
    assert documented == {(w, str(f)) for w, (f, _) in entries.items()}


# --------------------------------------------------------------------------------------------
# one canonical output for both backends


@pytest.mark.skipif(not HAS_RJIEBA, reason="rjieba not installed")
@pytest.mark.parametrize(("hmm", "normalize"), [(True, True), (True, False), (False, True)])
def test_backends_identical_on_all_seed_text(make, seed_raw, hmm, normalize):
    places = place_names_from_text("\n".join(seed_raw.values()))
    assert places == SEED_PLACES
    a = make(backend="jieba", hmm=hmm, normalize=normalize, place_names=places)
    b = make(backend="rjieba", hmm=hmm, normalize=normalize, place_names=places)
    assert a.backend_ == "jieba" and b.backend_ == "rjieba"
    n_tokens = 0
    for key, text in seed_raw.items():
        ta, tb = a.tokenize(text), b.tokenize(text)
        assert ta == tb, key
        n_tokens += len(ta)
    assert n_tokens > 10_000
    text = seed_raw["004"]
    assert a.pos_tag(text) == b.pos_tag(text)
    assert a.tokenize_with_spans(text) == b.tokenize_with_spans(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-01-22 点击数:", [("2024-01-22", "t"), ("点击数", "n"), (":", "x")]),
        ("电话:0539-2657000", [("电话", "n"), (":", "x"), ("0539-2657000", "tel")]),
        ("电话:0597—5731954", [("电话", "n"), (":", "x"), ("0597—5731954", "tel")]),
        (
            "网站(lzq.gov.cn)全文公开",
            [
                ("网站", "n"),
                ("(", "x"),
                ("lzq.gov.cn", "url"),
                (")", "x"),
                ("全文", "n"),
                ("公开", "ad"),
            ],
        ),
        ("见www.lyls.gov.cn。", [("见", "v"), ("www.lyls.gov.cn", "url"), ("。", "x")]),
        ("邮箱xxgk@np.gov.cn", [("邮箱", "n"), ("xxgk@np.gov.cn", "email")]),
        (
            "(B〔2023〕GK1225-1号)",
            [
                ("(", "x"),
                ("B", "eng"),
                ("〔", "x"),
                ("2023", "m"),
                ("〕", "x"),
                ("GK1225-1", "eng"),
                ("号", "m"),
                (")", "x"),
            ],
        ),
        (
            "本年增/减 +8,收费662.441万元,占50%",
            [
                ("本年", "t"),
                ("增", "v"),
                ("/", "x"),
                ("减", "v"),
                ("+8", "m"),
                (",", "x"),
                ("收费", "n"),
                ("662.441", "m"),
                ("万元", "m"),
                (",", "x"),
                ("占", "v"),
                ("50%", "m"),
            ],
        ),
        ("2020-2021年", [("2020", "m"), ("-", "x"), ("2021", "m"), ("年", "m")]),
        ("5G基站1,234个", [("5G", "eng"), ("基站", "n"), ("1,234", "m"), ("个", "q")]),
        ("1.是……——", [("1", "m"), (".", "x"), ("是", "v"), ("……", "x"), ("——", "x")]),
    ],
)
def test_non_han_runs_have_one_canonical_form(tok_raw, text, expected):
    assert tok_raw.pos_tag(text) == expected


def test_traditional_input_gives_the_simplified_tokens(tok, seed_raw):
    import opencc

    raw = seed_raw["003"]
    simplified = opencc.OpenCC("t2s").convert(raw)
    assert simplified != raw
    tokens = tok.tokenize(raw)
    assert tokens == tok.tokenize(simplified)
    assert tokens.count("政府信息公开") > 50
    assert "政府信息公開" not in tokens


def test_user_words_and_place_names(make):
    tok = make(
        backend=FAST,
        userdict=None,
        user_words=["勾稽關係", ("三安全一稳定", 50), ("依申请公开", 100, "vn")],
        place_names=["方城镇"],
    )
    assert tok.tokenize("本列数据的勾稽关系为") == ["本列", "数据", "的", "勾稽关系", "为"]
    assert tok.pos_tag("方城镇依申请公开") == [("方城镇", "ns"), ("依申请公开", "vn")]
    assert tok.pos_tag("勾稽关系") == [("勾稽关系", "nz")]
    assert "政务新媒体" not in tok.tokenize("政务新媒体")  # userdict=None: jieba's own cut
    assert DEFAULT_PLACE_FREQ >= 1


def test_stopwords_and_punctuation_filters(make):
    text = "我镇的政务公开工作进一步加强,一是完善制度。"
    full = make(backend=FAST).tokenize(text)
    assert {"的", ",", "。", "一是", "进一步"} <= set(full)
    filtered = make(backend=FAST, stopwords="default", drop_punct=True)
    assert filtered(text) == ["我镇", "政务公开", "工作", "加强", "完善", "制度"]
    custom = make(backend=FAST, stopwords=["工作"])
    assert "工作" not in custom(text) and "的" in custom(text)
    stop = load_stopwords()
    assert {"的", "了", "和", "及", "等", "进一步"} <= stop
    assert not {"加强", "推进", "落实", "公开", "不", "没有"} & stop


def test_empty_and_whitespace(tok):
    assert tok.tokenize("") == []
    assert tok(" \n\t ") == []
    assert tok.tokenize_with_spans("") == []


def test_call_is_tokenize_and_spans_agree(fast, seed_raw):
    tok = fast
    for text in seed_raw.values():
        tokens = tok(text)
        assert tokens == tok.tokenize(text)
        assert [t for t, _, _ in tok.tokenize_with_spans(text)] == tokens
        assert [t for t, _ in tok.pos_tag(text)] == tokens


# --------------------------------------------------------------------------------------------
# spans


MIXED = st.text(
    alphabet=st.sampled_from(
        list("政府信息公开依申请方城镇勾稽关系年月日的了")
        + list("abcXYZ0123456789")
        + list(" \t\n.-:/@%+,()|—。、“”《》…_")
        + list("ＡＢ１２㐀〇éア")
    ),
    max_size=60,
)


@settings(max_examples=150, deadline=None)
@given(text=MIXED)
def test_spans_tile_the_non_space_text(make, text):
    tok = make(backend=FAST, normalize=False, place_names=SEED_PLACES)
    spans = tok.tokenize_with_spans(text)
    prev_end = 0
    for token, start, end in spans:
        assert prev_end <= start < end
        assert text[start:end] == token
        assert text[prev_end:start].strip() == ""
        prev_end = end
    assert text[prev_end:].strip() == ""
    assert "".join(t for t, _, _ in spans) == "".join(text.split())
    assert [t for t, _, _ in spans] == tok.tokenize(text)


@settings(max_examples=50, deadline=None)
@given(text=MIXED)
def test_spans_refer_to_the_normalised_text(make, text):
    tok = make(backend=FAST)
    norm = normalize_text(text)
    for token, start, end in tok.tokenize_with_spans(text):
        assert norm[start:end] == token


@pytest.mark.skipif(not HAS_RJIEBA, reason="rjieba not installed")
@settings(max_examples=100, deadline=None)
@given(text=MIXED)
def test_backends_identical_on_random_text(make, text):
    a = make(backend="jieba", normalize=False, place_names=SEED_PLACES)
    b = make(backend="rjieba", normalize=False, place_names=SEED_PLACES)
    assert a.tokenize(text) == b.tokenize(text)


# --------------------------------------------------------------------------------------------
# copies, pickling, scikit-learn, multiprocessing


def test_pickle_round_trip_rebuilds_lazily(fast):
    tok = fast
    data = pickle.dumps(tok)
    assert len(data) < 2000  # the backend is not in the pickle
    copy_ = pickle.loads(data)
    assert "_impl" not in copy_.__dict__
    assert copy_.get_params() == tok.get_params()
    text = "兰山区方城镇依申请公开政府信息3宗"
    assert copy_.tokenize(text) == tok.tokenize(text)
    assert copy_.backend_ == tok.backend_
    assert copy.deepcopy(tok).tokenize(text) == tok.tokenize(text)


def test_sklearn_analyzer(fast, seed_raw):
    tok = fast
    from sklearn.base import clone
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = list(seed_raw.values())
    vec = TfidfVectorizer(analyzer=tok).fit(docs)
    vocab = vec.vocabulary_
    assert {"政府信息公开", "依申请公开", "勾稽关系", "方城镇"} <= set(vocab)
    assert "政府信息公開" not in vocab
    assert vec.transform(docs).shape == (len(docs), len(vocab))
    cloned = clone(vec)
    assert cloned.analyzer is not tok and cloned.analyzer.get_params() == tok.get_params()


def test_multiprocessing_spawn_pool(fast, seed_norm):
    tok = fast
    texts = [seed_norm["001"][:500], seed_norm["004"][:500], "龙岩市永定区峰市镇"]
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        got = pool.map(tok, texts)
    assert got == [tok(t) for t in texts]


# --------------------------------------------------------------------------------------------
# jieba's cache file and log lines


def test_jieba_cache_stays_out_of_tmp_and_logs_stay_quiet(tmp_path, monkeypatch, capfd):
    shared_tmp = tmp_path / "tmp"  # stands in for the shared /tmp during the build
    shared_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(shared_tmp))
    assert tempfile.gettempdir() == str(shared_tmp)
    pytest.importorskip("jieba")  # jieba sets its own logger to DEBUG when imported
    jlog = logging.getLogger("jieba")
    monkeypatch.setattr(jlog, "level", logging.INFO)  # a user's setting, kept
    tok = Tokenizer(backend="jieba", cache_dir=tmp_path / "cache", userdict=None, normalize=False)
    assert tok.tokenize("勾稽关系") == ["勾稽", "关系"]
    assert (tmp_path / "cache" / "jieba" / "jieba.cache").is_file()
    assert list(shared_tmp.iterdir()) == []
    out, err = capfd.readouterr()
    assert "prefix dict" not in err + out and err == ""
    assert jlog.level == logging.INFO


def test_default_cache_dir_honours_govtext_cache(monkeypatch, tmp_path):
    from govtext.tokenize import default_cache_dir

    monkeypatch.setenv("GOVTEXT_CACHE", str(tmp_path / "c"))
    assert default_cache_dir() == tmp_path / "c"
    monkeypatch.delenv("GOVTEXT_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "x"))
    assert default_cache_dir() == tmp_path / "x" / "govtext"


# --------------------------------------------------------------------------------------------
# parameters


@pytest.mark.parametrize(
    ("params", "match"),
    [
        (
            {"backend": "x"},
            r"The 'backend' parameter of Tokenizer must be one of \{'auto', 'jieba', 'rjieba'\}. Got 'x' instead.",
        ),
        ({"hmm": 1}, r"The 'hmm' parameter of Tokenizer must be a bool. Got 1 instead."),
        ({"normalize": "yes"}, r"'normalize' parameter of Tokenizer must be a bool"),
        ({"drop_punct": None}, r"'drop_punct' parameter of Tokenizer must be a bool"),
        ({"userdict": 3}, r"'userdict' parameter of Tokenizer must be 'default', None or a path"),
        (
            {"user_words": "勾稽关系"},
            r"'user_words' parameter of Tokenizer must be None or a collection",
        ),
        (
            {"user_words": iter(["勾稽关系"])},
            r"'user_words' parameter of Tokenizer must be None or a collection",
        ),
        (
            {"user_words": ["B超"]},
            r"'user_words' parameter of Tokenizer must be a collection of Han words",
        ),
        ({"user_words": [("勾稽关系", 0)]}, r"int freq >= 1. Got \('勾稽关系', 0\) instead."),
        ({"user_words": [("勾稽关系", 5, "a b")]}, r"'user_words' parameter of Tokenizer"),
        (
            {"place_names": ["方城镇", 3]},
            r"'place_names' parameter of Tokenizer must be a collection of str",
        ),
        (
            {"stopwords": "english"},
            r"'stopwords' parameter of Tokenizer must be None or a collection",
        ),
        (
            {"stopwords": [1]},
            r"'stopwords' parameter of Tokenizer must be None, 'default' or a collection",
        ),
        ({"cache_dir": 5}, r"'cache_dir' parameter of Tokenizer must be None or a path"),
    ],
)
def test_invalid_parameters(params, match):
    tok = Tokenizer(**params)  # __init__ only stores
    assert tok.get_params()[next(iter(params))] is params[next(iter(params))]
    with pytest.raises(InvalidParameterError, match=match):
        tok.tokenize("政府信息公开")


def test_text_must_be_str(tok):
    with pytest.raises(InvalidParameterError, match=r"Tokenizer.tokenize must be a str. Got list"):
        tok.tokenize(["政府"])
    with pytest.raises(TypeError):
        tok.pos_tag(b"x")


def test_missing_rjieba_and_auto_fallback(monkeypatch, cache_dir):
    assert Tokenizer(cache_dir=cache_dir).backend_ == FAST
    monkeypatch.setitem(sys.modules, "rjieba", None)  # import rjieba now raises ImportError
    with pytest.raises(MissingDependencyError, match=r"pip install govtext\[fast\]"):
        Tokenizer(backend="rjieba").tokenize("政府")
    with pytest.raises(ImportError):
        Tokenizer(backend="rjieba").tokenize("政府")

    class FakeJieba:  # resolution only: building the real jieba backend is tested elsewhere
        name = "jieba"

        def __init__(self, words, cache):
            self.words = words

    monkeypatch.setattr(govtext.tokenize, "_JiebaBackend", FakeJieba)
    assert Tokenizer(cache_dir=cache_dir).backend_ == "jieba"


def test_params_repr_and_set_params(cache_dir):
    tok = Tokenizer(backend="jieba", place_names=["方城镇"])
    assert repr(tok) == "Tokenizer(backend='jieba', place_names=['方城镇'])"
    assert repr(Tokenizer()) == "Tokenizer()"
    params = tok.get_params()
    assert set(params) == {
        "backend",
        "hmm",
        "userdict",
        "user_words",
        "place_names",
        "stopwords",
        "drop_punct",
        "normalize",
        "cache_dir",
    }
    tok = Tokenizer(backend=FAST, cache_dir=cache_dir)
    assert tok.tokenize("方城镇") == ["方", "城镇"]
    assert tok.set_params(place_names=["方城镇"]) is tok
    assert tok.tokenize("方城镇") == ["方城镇"]
    with pytest.raises(InvalidParameterError, match="Invalid parameter 'hmmm'"):
        tok.set_params(hmmm=False)


# --------------------------------------------------------------------------------------------
# place names


@pytest.mark.parametrize(
    ("agency", "expected"),
    [
        ("兰山区方城镇人民政府", ["兰山区", "方城镇"]),
        ("平昌关镇", ["平昌关镇"]),
        ("平昌关镇人民政府", ["平昌关镇"]),
        ("龙岩市永定区峰市镇人民政府", ["龙岩市", "永定区", "峰市镇"]),
        ("广元市利州区人民政府", ["广元市", "利州区"]),
        ("广元市利州区东坝街道利州东路一段696号", ["广元市", "利州区", "东坝街道"]),
        ("舒兰市市场监督管理局", ["舒兰市"]),
        ("济南市市中区", ["济南市", "市中区"]),
        ("新疆维吾尔自治区乌鲁木齐市天山区", ["新疆维吾尔自治区", "乌鲁木齐市", "天山区"]),
        ("沛县人民政府", ["沛县"]),
        ("龍巖市永定區峰市鎮人民政府", ["龙岩市", "永定区", "峰市镇"]),
        ("各乡镇人民政府", []),
        ("全县", []),
        ("镇人民政府", []),
    ],
)
def test_place_names_from_agency(agency, expected):
    assert place_names_from_agency(agency) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("如对本报告有任何疑问,请与峰市镇人民政府党政办联系", ["峰市镇"]),
        ("由峰市镇人民政府结合有关统计数据编制", ["峰市镇"]),
        ("本报告电子版可在永定区人民政府网站下载", ["永定区"]),
        ("电子版通过广元市利州区人民政府门户网站全文公开", ["利州区", "广元市"]),
        ("集中发布镇人民政府信息", []),
        ("我镇人民政府", []),
        ("根据区委区政府统一部署", []),
        ("第八篇 鄉人民政府", []),
        ("请与沛县人民政府联系", []),
        ("平昌关镇 2023 年政府信息公开工作年度报告", ["平昌关镇"]),
    ],
)
def test_place_names_from_text(text, expected):
    assert place_names_from_text(text) == expected


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("000", ["兰山区", "方城镇"]),
        ("001", ["平昌关镇"]),
        ("002", ["峰市镇", "永定区", "龙岩市"]),
        ("003", []),
        ("004", ["利州区", "四川省", "广元市"]),
    ],
)
def test_place_names_of_the_seeds(seed_raw, key, expected):
    assert place_names_from_text(seed_raw[key]) == expected


def test_seed_place_names_stay_whole(fast, seed_norm):
    tokens = [fast(text) for text in seed_norm.values()]
    for name in SEED_PLACES:
        if name == "四川省":
            continue  # jieba's dictionary has 四川省人民政府 as one word
        occurrences = sum(text.count(name) for text in seed_norm.values())
        whole = sum(t.count(name) for t in tokens)
        assert occurrences > 0 and whole == occurrences, name


def test_place_name_helpers_reject_non_str():
    with pytest.raises(InvalidParameterError):
        place_names_from_text(None)
    with pytest.raises(InvalidParameterError):
        place_names_from_agency(3)


def test_no_stray_files(cache_dir):
    # jieba wrote its cache only under the govtext cache directory given to the tokenizers
    files = sorted(p.name for p in Path(cache_dir).rglob("*") if p.is_file())
    assert set(files) <= {"jieba.cache"}
    assert os.path.isdir(cache_dir)


@pytest.mark.parametrize("params", [{}, {"drop_punct": True}, {"stopwords": "default"}, {"normalize": True}])
def test_pos_tag_many_matches_pos_tag(params):
    from govtext.datasets import load_seeds
    from govtext.sentences import sentence_spans

    tok = Tokenizer(**params)
    texts = ["", "2024-01-22", "政务新媒体", "电话 0597—5731954,见lzq.gov.cn。", "a政务b公开c"]
    for r in list(load_seeds())[:3]:
        texts += [r.text[a:b] for a, b, _, _ in sentence_spans(r)]
    got = tok._pos_tag_many(texts)
    assert len(got) == len(texts)
    for text, (toks, tags) in zip(texts, got):
        assert list(zip(toks, tags)) == tok.pos_tag(text)
