"""Reading: encodings, HTML, compilations, bad input, skip report, ids and spans."""

from __future__ import annotations

import dataclasses
import warnings

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import govtext
from govtext.exceptions import (
    BinaryInputError,
    EmptyInputError,
    EncodingError,
    GovtextError,
    GovtextWarning,
    InputTooLargeError,
    InvalidParameterError,
    MalformedInputError,
    NotAReportError,
)
from govtext.read import decode_bytes, split_compilation

# -- the seed corpus ---------------------------------------------------------------------------

def test_seeds_give_twelve_reports(seeds):
    assert len(seeds) == 12
    assert seeds.ids == [
        "000_6ac03842c3dfdc7c", "001_e3992751381c814a", "002_201993b9de74ca40",
        *[f"003_aad2c66ccec4c55e#{k}" for k in range(1, 9)], "004_3cd86ea425926f19",
    ]


def test_report_raw_is_its_span_of_the_file(seeds, seed_raw):
    for r in seeds:
        src = seed_raw[r.id[:3]]
        assert src[r.span[0]:r.span[1]] == r.raw
        assert r.encoding == "utf-8"


def test_compilation_parts_in_order_and_disjoint(seeds, seed_raw):
    parts = [r for r in seeds if r.id.startswith("003")]
    assert [r.index for r in parts] == list(range(1, 9))
    for a, b in zip(parts, parts[1:]):
        assert a.span[1] <= b.span[0]
        # only the 第N篇 marker lies between two parts
        gap = seed_raw["003"][a.span[1]:b.span[0]]
        assert gap.strip().startswith("第") and gap.strip().endswith("篇")


def test_preface_recorded_not_dropped(seeds, seed_raw):
    sk = seeds.skipped
    assert list(sk.columns) == ["path", "index", "start", "end", "reason", "error"]
    assert sk["reason"].tolist() == ["preface"]
    row = sk.iloc[0]
    assert seed_raw["003"][row.start:row.end].startswith("前言:本站為你精心整理")


def test_source_span_maps_to_file(seeds, seed_raw):
    r = seeds["003_aad2c66ccec4c55e#4"]
    i = r.text.index("三是公开的内容和形式还不够丰富")
    s, e = r.source_span(i, i + 15)
    assert seed_raw["003"][s:e] == "三是公開的內容和形式還不夠豐富"


# -- encodings ---------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("codec", "expected"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("utf-16", "utf-16-le"),  # Python writes a little-endian BOM
        ("utf-16-be-bom", "utf-16-be"),
        ("gb18030", "gb18030"),
        ("gbk", "gb18030"),
    ],
)
def test_encodings_detected_on_real_seed(tmp_path, seed_raw, codec, expected):
    text = seed_raw["002"]
    data = b"\xfe\xff" + text.encode("utf-16-be") if codec == "utf-16-be-bom" else text.encode(codec)
    p = tmp_path / "r.txt"
    p.write_bytes(data)
    corpus = govtext.read_reports(p)
    assert corpus[0].encoding == expected
    assert corpus[0].raw == text
    ref = govtext.parse_reports(text)[0]
    assert corpus[0].text == ref.text


def test_big5_traditional_seed(tmp_path, seed_raw):
    # seed 003 is traditional but holds simplified forms (范, 干部) that Big5 cannot encode:
    # take part 1 and keep only what Big5 can carry.
    part = seed_raw["003"].split("第二篇")[0].split("第一篇", 1)[1]
    data = part.encode("big5", errors="ignore")
    p = tmp_path / "trad.txt"
    p.write_bytes(data)
    r = govtext.read_reports(p)[0]
    assert r.encoding in ("big5hkscs", "cp950")
    assert r.script == "traditional"
    assert "政府信息公开" in r.text


def test_forced_encoding_error_says_where(tmp_path):
    p = tmp_path / "x.txt"
    p.write_bytes("政府信息公开".encode("gb18030"))
    with pytest.raises(EncodingError, match=r"x\.txt: cannot decode as utf-8: invalid byte .* at offset 0"):
        govtext.read_reports(p, encoding="utf-8")
    with pytest.raises(InvalidParameterError, match="encoding"):
        govtext.read_reports(p, encoding="no-such-codec")


def test_few_bad_bytes_replaced_and_reported(seed_raw):
    text = seed_raw["001"]
    data = text[:100].encode("utf-8") + b"\xff" + text[100:].encode("utf-8")  # one bad byte
    text, enc, warns = decode_bytes(data)
    assert enc == "utf-8" and "\ufffd" in text
    assert warns and "1 undecodable byte(s)" in warns[0] and "first at character 100" in warns[0]


# -- bad input ---------------------------------------------------------------------------------

BAD_INPUTS = [
    ("empty", b"", EmptyInputError, "empty"),
    ("whitespace", b"  \n\t\n", EmptyInputError, "whitespace"),
    ("pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", BinaryInputError, "PDF"),
    ("png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", BinaryInputError, "PNG"),
    ("zip", b"PK\x03\x04\x14\x00\x06\x00", BinaryInputError, "ZIP"),
    ("nul", "政府信息公开".encode() + b"\x00\x00abc", BinaryInputError, "NUL bytes"),
    ("undecodable", bytes(range(0x80, 0x100)) * 40, EncodingError, "cannot decode"),
    ("not a report", "今天天气很好,我们去公园散步,看到很多人在跳舞唱歌,非常热闹开心。".encode(), NotAReportError,
     "does not read as a government information-disclosure report"),
    ("only debris", "|||||\n【关闭窗口】\n点击数: 12".encode(), EmptyInputError, "only page debris"),
    ("html without body", b"<html><head><title>x</title></head></html>", MalformedInputError, "no body text"),
]


@pytest.mark.parametrize(("case", "data", "exc", "match"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_input_raises_clear_error(tmp_path, case, data, exc, match):
    p = tmp_path / "bad.html" if case.startswith("html") else tmp_path / "bad.txt"
    p.write_bytes(data)
    with pytest.raises(exc, match=match) as info:
        govtext.read_reports(p)
    assert isinstance(info.value, GovtextError)
    assert str(p) in str(info.value)  # says where


@pytest.mark.parametrize(("case", "data", "exc", "match"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_input_skipped_and_recorded(tmp_path, case, data, exc, match):
    p = tmp_path / ("bad.html" if case.startswith("html") else "bad.txt")
    p.write_bytes(data)
    corpus = govtext.read_reports(tmp_path, errors="skip")
    assert len(corpus) == 0
    assert corpus.skipped["path"].tolist() == [str(p)]
    assert corpus.skipped["error"].str.contains(match).all()


def test_too_large(tmp_path):
    p = tmp_path / "big.txt"
    p.write_bytes(b"a" * 2000)
    with pytest.raises(InputTooLargeError, match="over max_bytes=1,000"):
        govtext.read_reports(p, max_bytes=1000)


def test_huge_single_line_is_handled(tmp_path, seed_raw):
    # a 20 MB single line of pipes around a real report body: read, debris removed, nothing crashes
    body = seed_raw["001"].replace("\n", " ")
    p = tmp_path / "line.txt"
    p.write_text("|" * 10_000_000 + body + "|" * 10_000_000, encoding="utf-8")
    r = govtext.read_reports(p)[0]
    assert "|" not in r.text and "平昌关镇" in r.text
    assert sum(rem.end - rem.start for rem in r.removed if rem.kind == "pipes") >= 20_000_000


def test_errors_modes(tmp_path, seed_raw):
    (tmp_path / "a_good.txt").write_text(seed_raw["004"], encoding="utf-8")
    (tmp_path / "b_empty.txt").write_bytes(b"")
    (tmp_path / "c_image.txt").write_bytes(b"\x89PNG\r\n\x1a\n")
    (tmp_path / "d_notes.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / "MANIFEST.csv").write_text("file\n")
    with pytest.raises(EmptyInputError, match="b_empty.txt"):
        govtext.read_reports(tmp_path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        corpus = govtext.read_reports(tmp_path, errors="warn")
    assert sum(issubclass(w.category, GovtextWarning) for w in caught) == 2
    assert corpus.ids == ["a_good"]
    assert corpus.skipped["reason"].tolist() == ["unsupported_suffix", "empty", "binary"]
    # every input accounted for: reports + skipped rows = files (MANIFEST.csv is not an input)
    assert len(corpus) + len(corpus.skipped) == 4
    with pytest.raises(InvalidParameterError, match="'errors' parameter of read_reports"):
        govtext.read_reports(tmp_path, errors="ignore")


def test_directory_recursive_ids_and_iterable(tmp_path, seed_raw):
    (tmp_path / "2023").mkdir()
    (tmp_path / "2023" / "town.txt").write_text(seed_raw["001"], encoding="utf-8")
    (tmp_path / "2020").mkdir()
    (tmp_path / "2020" / "town.txt").write_text(seed_raw["002"], encoding="utf-8")
    corpus = govtext.read_reports(tmp_path)
    assert corpus.ids == ["2020/town", "2023/town"]
    corpus2 = govtext.read_reports([tmp_path / "2023" / "town.txt", tmp_path / "2020" / "town.txt"])
    assert corpus2.ids == ["town", "town~2"]
    with pytest.raises(FileNotFoundError, match="no such file"):
        govtext.read_reports(tmp_path / "missing")


def test_parse_reports_string_and_bytes(seed_raw):
    c = govtext.parse_reports(seed_raw["003"], source="003.txt")
    assert len(c) == 8 and c.ids[0] == "003#1"
    assert c.skipped["reason"].tolist() == ["preface"]
    b = govtext.parse_reports(seed_raw["001"].encode("gb18030"), id="x")
    assert b[0].encoding == "gb18030" and b[0].id == "x"
    with pytest.raises(InvalidParameterError, match="expects str or bytes"):
        govtext.parse_reports(123)


def test_split_compilation_requires_sequence():
    assert split_compilation("第二篇 甲\n第三篇 乙") == []
    assert split_compilation("第一篇 甲") == []
    assert [p[2] for p in split_compilation("第一篇 甲\n第二篇 乙\n第五篇 丙")] == [1, 2]


# -- HTML ----------------------------------------------------------------------------------------

def _page(body: str) -> str:
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>峰市镇2020年政府信息公开工作年度报告</title>"
        "<script>var spy = 1;</script><style>p{color:red}</style></head><body>"
        "<div class='nav'><a href='/'>首页</a> | <a href='/xxgk'>信息公开</a></div>"
        f"<div id='zoom'>{body}</div>"
        "<div class='footer'><a href='/about'>关于我们</a> 版权所有</div></body></html>"
    )


def test_html_page_main_content_and_tables(tmp_path, seed_raw):
    paras = [ln for ln in seed_raw["002"].split("\n") if len(ln) > 30][:6]
    table = "<table><tr><td>信息内容</td><td>本年新制作数量</td></tr><tr><td>规章</td><td>0</td></tr></table>"
    html = _page("".join(f"<p>{p}</p>" for p in paras) + table)
    p = tmp_path / "page.html"
    p.write_text(html, encoding="gb18030", errors="ignore")
    r = govtext.read_reports(p)[0]
    assert r.format == "html" and r.encoding == "gb18030"
    assert r.page_title == "峰市镇2020年政府信息公开工作年度报告"
    assert "var spy" not in r.raw and "color:red" not in r.raw and "首页" not in r.raw
    assert "信息内容\t本年新制作数量\n规章\t0" in r.text
    assert paras[0].replace(" ", "")[:20] in r.text


def test_html_script_text_never_in_report():
    html = _page("<p>本镇政府信息公开工作年度报告,主动公开政府信息28条。</p><script>alert('x')</script><img src=x onerror=alert(1)>")
    r = govtext.parse_reports(html)[0]
    assert "alert" not in r.text


def test_to_frame_one_row_per_report(seeds):
    df = seeds.to_frame()
    assert isinstance(df, pd.DataFrame)
    assert df["report_id"].tolist() == seeds.ids
    assert (df["n_chars"] > 500).all()


def test_html_prose_beside_a_large_table_is_kept(seed_raw):
    # the table holds most of the Chinese text; the prose before it must not be dropped
    rows = "".join(f"<tr><td>{ln.strip(' |')}</td></tr>" for ln in seed_raw["004"].split("\n")[59:200] if ln.strip(" |"))
    html = _page("<p>一、总体情况。本区政府信息公开工作有序推进。</p><table>" + rows + "</table><p>六、其他需要报告的事项。无。</p>")
    r = govtext.parse_reports(html)[0]
    assert "本区政府信息公开工作有序推进" in r.text
    assert "其他需要报告的事项" in r.text
    assert "本年新收政府信息公开申请数量" in r.text


def test_removed_records_are_made_when_read(seeds):
    from govtext.normalize import _RemovedLog, normalize

    r = govtext.parse_reports(seeds["002_201993b9de74ca40"].raw, source="002.txt")[0]
    n = normalize(r.raw)
    assert isinstance(vars(r)["_removed_value"], _RemovedLog)  # kept compact until read
    first = r.removed
    assert first == seeds["002_201993b9de74ca40"].removed
    assert isinstance(first, tuple) and len(first) > 100 and first is r.removed
    assert first == n.removed
    assert all(r.raw[x.start:x.end] == x.text for x in first)
    assert govtext.parse_reports("某镇2023年政府信息公开工作年度报告,本镇主动公开政府信息二十八条。" * 2)[0].removed == ()
    assert dataclasses.replace(r, id="copy").removed == first


def test_reports_pickle_with_their_metadata_and_cached_structure(seeds):
    """Reports cross process boundaries (multiprocessing, joblib, Dask workers) by pickle: the
    copy is equal, keeps its read-only meta and offsets, and carries its cached sections."""
    import pickle
    from types import MappingProxyType

    import numpy as np

    from govtext.records import Report

    r = seeds["003_aad2c66ccec4c55e#4"]
    r = Report(id=r.id, text=r.text, raw=r.raw, source=r.source, offsets=r.offsets, offset_ends=r.offset_ends,
               meta={"province": "福建", "year": 2013})
    _ = r.sections  # cached
    c = pickle.loads(pickle.dumps(r))
    assert c == r and c.text == r.text
    assert isinstance(c.meta, MappingProxyType) and dict(c.meta) == {"province": "福建", "year": 2013}
    assert np.array_equal(c.offsets, r.offsets) and np.array_equal(c.offset_ends, r.offset_ends)
    assert [s.key for s in c.sections] == [s.key for s in r.sections]
    with pytest.raises(TypeError):
        c.meta["year"] = 2014  # still read-only


def test_offsets_are_kept_as_runs_and_read_as_the_normalised_arrays(seeds):
    """A report keeps its offsets as runs (a few hundred instead of 16 bytes per character);
    reading them gives normalize's arrays, and raw_span reads single positions from the runs."""
    import pickle

    import numpy as np

    from govtext.normalize import normalize
    from govtext.records import _Runs

    for r in seeds:
        n = normalize(r.raw)
        assert isinstance(vars(r)["_offsets_runs"], _Runs) and isinstance(vars(r)["_offset_ends_runs"], _Runs)
        runs = vars(r)["_offsets_runs"].starts.size
        assert runs < len(r.text) / 10
        assert r.offsets.dtype == n.starts.dtype and np.array_equal(r.offsets, n.starts)
        assert np.array_equal(r.offset_ends, n.ends)
        cuts = [0, 1, len(r.text) // 3, len(r.text) - 1, len(r.text)]
        for a in cuts:
            for b in cuts:
                if a <= b:
                    want = ((int(n.starts[a]), int(n.ends[b - 1])) if a < b else
                            ((int(n.starts[a]),) * 2 if a < len(r.text) else (int(n.ends[-1]),) * 2))
                    assert r.raw_span(a, b) == want
        back = pickle.loads(pickle.dumps(r))
        assert isinstance(vars(back)["_offsets_runs"], _Runs) and np.array_equal(back.offsets, r.offsets)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(-3, 3), min_size=0, max_size=300), st.integers(0, 2**40),
       st.sampled_from(["int64", "int32", "uint32"]))
def test_runs_give_back_the_array_and_every_position(steps, first, dtype):
    import numpy as np

    from govtext.records import _Runs

    a = (first % 2**31 + np.cumsum(np.asarray(steps, dtype=np.int64)) + 400).astype(dtype)
    runs = _Runs.of(a)
    if isinstance(runs, _Runs):  # runs only when they are smaller
        assert 4 * runs.starts.size <= a.size
        back = runs.array()
        assert back.dtype == a.dtype and np.array_equal(back, a)
        assert all(runs.at(i) == int(a[i]) for i in range(a.size))
    else:
        assert runs is a


def test_report_offsets_are_checked_and_default_to_the_text(seeds):
    import numpy as np

    from govtext.records import Report

    r = Report(id="x", text="政府信息公开", raw="政府信息公开", source="s")
    assert np.array_equal(r.offsets, np.arange(6)) and np.array_equal(r.offset_ends, np.arange(1, 7))
    assert r.raw_span(2, 4) == (2, 4) and r.raw_span(6, 6) == (6, 6)
    with pytest.raises(ValueError, match="offsets must have one entry per character of text \\(6\\); got 5 and 6"):
        Report(id="x", text="政府信息公开", raw="政府信息公开", source="s", offsets=np.arange(5),
               offset_ends=np.arange(1, 7))
    with pytest.raises(ValueError, match="got 6 and 5"):
        Report(id="x", text="政府信息公开", raw="政府信息公开", source="s", offsets=np.arange(6),
               offset_ends=np.arange(5))
    e = Report(id="e", text="", raw="", source="s")
    assert e.offsets.size == 0 and e.raw_span(0, 0) == (0, 0)


@pytest.mark.parametrize(("markup", "want"), [
    # a form feed in the tail of a dropped <script>: lxml will not write it back (atheris found it)
    ("<html><body><p>甲<script>x()</script>\x0c乙<b>戊</b><style>a{}</style>\x0c己</p></body></html>",
     "甲 乙戊 己"),
    # the descent never enters a phrase of a paragraph, nor leaves a heading of a small page behind
    ("<html><body><div><p>一、总体情况。甲乙<b>戊</b>己</p><p>二、主动公开</p></div></body></html>",
     "一、总体情况。甲乙戊己\n二、主动公开"),
    ("<html><body><p>本机关<span>主动公开</span>信息</p></body></html>", "本机关主动公开信息"),
    # a long article beside a little chrome: the article alone (the 90 % rule lets it descend)
    ("<html><body><div>当前位置<div id='zoom'><p>" + "政府信息公开工作年度报告正文" * 20
     + "</p></div></div></body></html>", "政府信息公开工作年度报告正文" * 20),
])
def test_html_main_content_keeps_every_sentence(markup, want):
    from govtext._html import html_to_text

    assert html_to_text(markup)[0] == want
