"""read_table / iter_table: corpora stored as Parquet or CSV, one row per scraped page."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import govtext
from govtext import read_table
from govtext.exceptions import InputError, InvalidParameterError
from govtext.pipeline import analyze
from govtext.read import iter_table


@pytest.fixture(scope="module")
def seed_table(seed_dir):
    """One row per seed file (the 003 row is a compilation of eight reports with a preface)."""
    files = sorted(seed_dir.glob("*.txt"))
    return pd.DataFrame({
        "url": [f"http://example.gov.cn/{p.stem}.html" for p in files],
        "page": [p.read_text(encoding="utf-8") for p in files],
        "province": ["山东", "河南", "福建", "台湾", "四川"][: len(files)],
        "year": [2023, 2023, 2020, 2013, 2023][: len(files)],
        "file": [p.stem for p in files],
    })


def _write(df: pd.DataFrame, path, fmt: str, **kw):
    if fmt == "parquet":
        df.to_parquet(path, index=False, **kw)
    else:
        df.to_csv(path, index=False, **kw)
    return path


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_rows_give_the_same_reports_as_the_files(seed_table, seeds, tmp_path, fmt):
    path = _write(seed_table, tmp_path / f"pages.{fmt}", fmt)
    corpus = read_table(path, text="page", id="file", source="url")
    assert [r.text for r in corpus] == [r.text for r in seeds]
    assert corpus.ids == seeds.ids  # ids from the id column, compilation parts as id#k
    assert corpus["003_aad2c66ccec4c55e#3"].source == "http://example.gov.cn/003_aad2c66ccec4c55e.html"
    # the compilation's preface is recorded at the row it came from
    assert corpus.skipped["reason"].tolist() == ["preface"]
    assert corpus.skipped["path"].tolist() == [f"{path}#row3"]


def test_metadata_columns_reach_report_meta(seed_table, tmp_path):
    pq_corpus = read_table(_write(seed_table, tmp_path / "p.parquet", "parquet"), text="page", id="file")
    csv_corpus = read_table(_write(seed_table, tmp_path / "p.csv", "csv"), text="page", id="file",
                            meta=["year"])
    assert dict(pq_corpus[0].meta) == {"url": "http://example.gov.cn/000_6ac03842c3dfdc7c.html",
                                       "province": "山东", "year": 2023}
    assert dict(csv_corpus[0].meta) == {"year": "2023"}  # CSV cells are strings
    # every report of the compilation row carries that row's metadata
    assert {pq_corpus[f"003_aad2c66ccec4c55e#{k}"].meta["province"] for k in range(1, 9)} == {"台湾"}
    # table metadata sits beside the metadata stated in the text; it does not replace it
    assert pq_corpus[1].metadata.agency == "平昌关镇人民政府"


def test_table_metadata_comes_first_for_the_reuse_cohorts(seeds, tmp_path):
    from govtext.reuse import _field

    df = pd.DataFrame({"text": [seeds[1].raw, seeds[4].raw], "year": [1999, None]})
    corpus = read_table(_write(df, tmp_path / "m.parquet", "parquet"))
    assert corpus[0].metadata.year == 2023
    assert _field(corpus[0], "year") == 1999  # the table's value wins
    assert _field(corpus[1], "year") == corpus[1].metadata.year  # an empty cell falls back


def test_default_ids_and_duplicates(seeds, tmp_path):
    df = pd.DataFrame({"text": [seeds[0].raw, seeds[1].raw, seeds[4].raw], "rid": ["a", "a", None]})
    path = _write(df, tmp_path / "dup.parquet", "parquet")
    assert read_table(path, id="rid").ids == ["a", "a~2", "dup/0000002"]
    assert read_table(path, meta=[]).ids == ["dup/0000000", "dup/0000001", "dup/0000002"]


def test_bad_rows_are_recorded_with_their_row(seeds, tmp_path):
    texts = [seeds[0].raw, "", None, "   ", "今天天气很好，我们去公园散步吧，顺便买点水果回家做饭吃。", seeds[1].raw]
    path = _write(pd.DataFrame({"text": texts}), tmp_path / "bad.parquet", "parquet")
    corpus = read_table(path)
    assert corpus.ids == ["bad/0000000", "bad/0000005"]
    sk = corpus.skipped
    assert sk["path"].tolist() == [f"{path}#row{i}" for i in (1, 2, 3, 4)]
    assert sk["reason"].tolist() == ["empty", "empty", "empty", "not_a_report"]
    assert "null" in sk["error"][1]
    with pytest.raises(InputError, match=r"bad\.parquet#row1: text cell is empty"):
        read_table(path, errors="raise")
    with pytest.warns(govtext.GovtextWarning) as rec:
        read_table(path, errors="warn")
    assert [str(w.message).split(": ")[0] for w in rec] == [f"{path}#row{i}" for i in (1, 2, 3, 4)]


def test_bytes_cells_are_decoded_and_non_text_cells_recorded(seeds, tmp_path):
    good = seeds[1].raw.encode("gb18030")
    bad = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR"
    path = tmp_path / "bin.parquet"
    pq.write_table(pa.table({"text": pa.array([good, bad], pa.binary())}), path)
    corpus = read_table(path)
    assert [r.encoding for r in corpus] == ["gb18030"]
    assert corpus[0].text == seeds[1].text
    assert corpus.skipped["reason"].tolist() == ["binary"]
    ints = tmp_path / "ints.parquet"
    pq.write_table(pa.table({"text": pa.array([1, 2])}), ints)
    skipped = read_table(ints).skipped
    assert skipped["reason"].tolist() == ["malformed", "malformed"]
    assert "holds int" in skipped["error"][0]


def test_html_rows_are_extracted(seeds, tmp_path):
    page = ("<html><head><title>某县2022年政府信息公开工作年度报告</title></head><body><div id='content'><p>"
            + seeds[1].raw.replace("\n", "</p><p>") + "</p></div></body></html>")
    corpus = read_table(_write(pd.DataFrame({"text": [page]}), tmp_path / "h.csv", "csv"))
    assert corpus[0].format == "html" and corpus[0].page_title.startswith("某县2022年")


def test_csv_in_gb18030_is_detected(seed_table, tmp_path):
    path = _write(seed_table.iloc[[1, 2]], tmp_path / "gbk.csv", "csv", encoding="gb18030")
    corpus = read_table(path, text="page", id="file")
    assert corpus.ids == ["001_e3992751381c814a", "002_201993b9de74ca40"]
    assert corpus[0].meta["province"] == "河南"


def test_missing_columns_name_the_column_and_the_file(seed_table, tmp_path):
    path = _write(seed_table, tmp_path / "cols.parquet", "parquet")
    with pytest.raises(InvalidParameterError, match=r"'text'.*column 'text'.*cols\.parquet.*'page'"):
        read_table(path)
    with pytest.raises(InvalidParameterError, match=r"'id'.*'uid'.*cols\.parquet"):
        read_table(path, text="page", id="uid")
    with pytest.raises(InvalidParameterError, match=r"'meta'.*'region'"):
        read_table(path, text="page", meta=["province", "region"])
    with pytest.raises(InvalidParameterError, match=r"Parquet .* CSV"):
        read_table(tmp_path / "corpus.xlsx")
    with pytest.raises(FileNotFoundError, match="nope.csv"):
        read_table(tmp_path / "nope.csv")
    with pytest.raises(InvalidParameterError, match="errors"):
        read_table(path, text="page", errors="ignore")


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_chunking_does_not_change_the_corpus(seed_table, tmp_path, fmt):
    df = pd.concat([seed_table] * 3, ignore_index=True)
    path = _write(df, tmp_path / f"big.{fmt}", fmt)
    whole = read_table(path, text="page", id="file")
    for size in (1, 4):
        parts = list(iter_table(path, text="page", id="file", chunksize=size))
        assert len(parts) == -(-len(df) // size)
        assert [r.id for c in parts for r in c] == whole.ids
        assert [dict(r.meta) for c in parts for r in c] == [dict(r.meta) for r in whole]
        skipped = [row for c in parts for row in c.skipped.to_dict("records")]
        assert skipped == whole.skipped.to_dict("records") and len(skipped) == 3
    assert whole.ids[17] == "003_aad2c66ccec4c55e~2#3"  # the second copy of the compilation


def test_analyze_reads_tables(seed_table, tmp_path):
    path = _write(seed_table, tmp_path / "pages.parquet", "parquet")
    res = analyze(path, table={"text": "page", "id": "file"}, stages=["structure"])
    assert res.tables["reports"]["report_id"].tolist()[:2] == ["000_6ac03842c3dfdc7c", "001_e3992751381c814a"]
    ref = analyze(read_table(path, text="page", id="file"), stages=["structure"])
    for name in ("reports", "skipped", "sections", "sentences", "items"):
        pd.testing.assert_frame_equal(res.tables[name], ref.tables[name])
    assert res.inputs[0]["path"].endswith("pages.parquet") and len(res.inputs[0]["sha256"]) == 64
    assert res.params["table"] == {"id": "file", "text": "page"}
    with pytest.raises(InvalidParameterError, match="'column'"):
        analyze(path, table={"column": "page"})


def test_analyze_refuses_two_tables_with_the_same_ids(seeds, tmp_path):
    for d in ("x", "y"):
        (tmp_path / d).mkdir()
        pd.DataFrame({"text": [seeds[1].raw]}).to_csv(tmp_path / d / "pages.csv", index=False)
    with pytest.raises(InputError, match="'pages/0000000' occurs twice.*distinct names"):
        analyze([tmp_path / "x" / "pages.csv", tmp_path / "y" / "pages.csv"], stages=["structure"])
