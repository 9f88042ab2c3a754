"""The backends of analyze: partitioned local runs and a Dask LocalCluster give identical tables.

The Dask cluster has two worker processes (one thread each), as issue #9 asks; it is started
once for the module. dask and distributed are dev dependencies (the ``dask`` extra).
"""

from __future__ import annotations

import hashlib
import json
import pickle

import distributed
import pandas as pd
import pytest

from govtext.datasets import make_synthetic_corpus
from govtext.exceptions import InputError, InvalidParameterError
from govtext.pipeline import analyze, write_outputs


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                       dashboard_address=None)
    cl = distributed.Client(cluster, set_as_default=False)
    yield cl
    cl.close()
    cluster.close()


@pytest.fixture(scope="module")
def synthetic():
    corpus, _ = make_synthetic_corpus(60, random_state=3)
    return corpus


def _csv_digests(result, path) -> dict[str, str]:
    write_outputs(result, path, parquet=False)
    return {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in sorted(path.glob("*.csv"))}


def _assert_same(a, b, tmp_path, name_a, name_b):
    assert list(a.tables) == list(b.tables)
    for name in a.tables:
        pd.testing.assert_frame_equal(a.tables[name], b.tables[name], check_exact=True, obj=name)
    da = _csv_digests(a, tmp_path / name_a)
    db = _csv_digests(b, tmp_path / name_b)
    assert len(da) == len(a.tables) and da == db
    assert a.corpus.ids == b.corpus.ids


def test_reports_pickle_with_their_metadata_and_cached_structure(synthetic):
    import govtext._dask  # noqa: F401  (registers the Report reducer)

    r = synthetic[0]
    _ = r.sections
    back = pickle.loads(pickle.dumps(r))
    assert back == r and back.text == r.text and (back.offsets == r.offsets).all()
    assert dict(back.meta) == dict(r.meta) and back.meta["agency"]
    with pytest.raises(TypeError):
        back.meta["agency"] = "x"  # still read-only
    assert "sections" in back.__dict__ and back.sections == r.sections


@pytest.fixture(scope="module")
def synthetic_local(synthetic):
    """The local backend with one partition: every stage sees the whole corpus at once."""
    return analyze(synthetic, npartitions=1)


@pytest.mark.parametrize("spill", [None, False])
def test_local_partitions_do_not_change_results(synthetic, synthetic_local, tmp_path, spill):
    many = analyze(synthetic, npartitions=7, spill=spill)
    _assert_same(synthetic_local, many, tmp_path, "one", "many")
    assert len(many.tables["sentences"]) > 1000 and len(many.tables["group_pairs"]) > 0
    # several partitions: the per-report tables wait on disk, unless spill=False
    on_disk = set(many.tables.on_disk())
    assert synthetic_local.tables.on_disk() == []
    if spill is None:
        assert on_disk == {"reports", "sections", "sentences", "items", "tables", "table_checks", "facts",
                           "statements"}
    else:
        assert on_disk == set()


def test_spilled_tables_behave_as_a_dict(synthetic, tmp_path):
    import gc
    import os

    result = analyze(synthetic, npartitions=3, stages=["structure"], spill=True)
    tables = result.tables
    spill_dir = tables._spill.dir
    assert os.path.isdir(spill_dir) and tables.on_disk() == ["reports", "sections", "sentences", "items"]
    n = tables.n_rows("sentences")
    sentences = tables["sentences"]
    assert len(sentences) == n > 0 and tables["sentences"] is sentences  # the last one read is kept
    tables["sentences"] = sentences.head(3)  # assigned: held in memory from now on
    assert tables.n_rows("sentences") == 3 and "sentences" not in tables.on_disk()
    del tables["items"]
    assert "items" not in tables and len(tables) == len(list(tables))
    with pytest.raises(InvalidParameterError, match="got None for 'x'"):
        tables["x"] = None
    back = pickle.loads(pickle.dumps(tables))  # a plain dict of every table
    assert type(back) is dict and list(back) == list(tables)
    pd.testing.assert_frame_equal(back["reports"], tables["reports"])
    # the manifest counts rows without keeping the tables
    write_outputs(result, tmp_path / "out", parquet=False)
    counts = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))["counts"]["tables"]
    assert counts == {name: len(back[name]) for name in back}
    del result, tables, sentences, back
    gc.collect()
    assert not os.path.exists(spill_dir)  # removed with the last reference


def test_a_removed_spill_directory_is_a_clear_error(synthetic):
    import shutil

    result = analyze(synthetic, npartitions=2, stages=["structure"])
    shutil.rmtree(result.tables._spill.dir)
    with pytest.raises(InputError, match="table 'sections' was kept on disk in .* cannot be read back"):
        result.tables["sections"]


def test_spill_must_be_a_bool(synthetic):
    with pytest.raises(InvalidParameterError, match="'spill' parameter of analyze must be None, True or False"):
        analyze(synthetic, spill="yes")


def test_dask_matches_local_on_the_seeds(client, seed_dir, tmp_path):
    local = analyze(seed_dir)
    for n in (5, None):  # None: the default partitioning, four partitions per worker thread
        dask = analyze(seed_dir, backend="dask", client=client, npartitions=n)
        _assert_same(local, dask, tmp_path, "local", f"dask{n}")
    assert dask.params["backend"] == "dask" and "partitions_wall" in dask.timings


def _small_batches(monkeypatch):
    """Batches small enough that the 60-report corpus makes many of them (set in this process,
    where the batches are cut; the workers only run them)."""
    import govtext.reuse as reuse_mod

    monkeypatch.setattr(reuse_mod, "_TOKENIZE_BATCH", 7)
    monkeypatch.setattr(reuse_mod, "_ALIGN_BATCH", 5)


def test_dask_matches_local_on_a_synthetic_corpus(client, synthetic, synthetic_local, tmp_path,
                                                   monkeypatch):
    _small_batches(monkeypatch)  # the reuse stage's joblib batches run on the cluster
    dask = analyze(synthetic, backend="dask", client=client, npartitions=3)
    _assert_same(synthetic_local, dask, tmp_path, "local", "dask")


def test_local_measures_tokenise_each_report_once_in_its_partition(synthetic, monkeypatch):
    """The local backend tokenises for the measures where each partition is processed, keeps
    the packed units on disk with the spilled tables, and tokenises no report twice; the
    measures equal those of the detector fitted on the whole corpus."""
    import govtext.measures as measures_mod
    from govtext.reuse import ReuseDetector

    calls = []
    real = measures_mod._tokenize_one
    monkeypatch.setattr(measures_mod, "_tokenize_one", lambda r, *a, **k: calls.append(r.id) or real(r, *a, **k))
    res = analyze(synthetic, npartitions=4, spill=True)
    assert sorted(calls) == sorted(synthetic.ids)
    assert res.timings["reuse.tokenize"] > 0 and res.timings["reuse.measures"] < res.timings["reuse.tokenize"]
    det = ReuseDetector().fit(synthetic)
    pd.testing.assert_frame_equal(res.tables["report_scores"], det.report_scores_.reset_index(drop=True),
                                  check_exact=True)
    pd.testing.assert_frame_equal(res.tables["yoy"], det.yoy_.reset_index(drop=True), check_exact=True)
    assert len(res.tables["yoy"]) > 0


def test_local_processes_match_one_process(synthetic, synthetic_local, tmp_path, monkeypatch):
    _small_batches(monkeypatch)
    two = analyze(synthetic, n_jobs=2, npartitions=5)
    _assert_same(synthetic_local, two, tmp_path, "one", "two")
    assert "n_jobs" not in two.params and len(two.tables["passages"]) > 0


def test_reuse_batches_reach_the_dask_workers(client, synthetic, monkeypatch):
    """The alignment batches are tasks of the cluster (the workers build the alignment tasks
    from the texts shared with them once), not of the client; the measures'
    tokenisation runs on the workers too, as a follow-up task of each partition, and so do the
    measures themselves: the client does not tokenise any report."""
    import govtext.measures as measures_mod
    import govtext.reuse as reuse_mod

    _small_batches(monkeypatch)
    seen = []
    real = reuse_mod._map_batches

    def spy(fn, batches, args, n_jobs):
        seen.append(fn.__name__)
        return real(fn, batches, args, n_jobs)

    tokenised_here = []
    real_tokenize = measures_mod._tokenize_one

    def count(*a, **k):
        tokenised_here.append(1)
        return real_tokenize(*a, **k)

    monkeypatch.setattr(reuse_mod, "_map_batches", spy)
    monkeypatch.setattr(measures_mod, "_tokenize_one", count)  # this process only
    with distributed.get_task_stream(client=client) as ts:
        analyze(synthetic, backend="dask", client=client, npartitions=3)
    assert not seen  # nothing goes through joblib: the executor runs the batches itself
    assert not tokenised_here
    names = [t["key"] if isinstance(t["key"], str) else str(t["key"]) for t in ts.data]
    assert sum("_align_jobs" in k for k in names) > 3, sorted(names)[:5]  # several batches
    assert sum("govtext-follow-" in k for k in names) == 3  # one per partition
    assert sum("_measures_of_entries" in k for k in names) == 1  # the measures, on a worker


def test_dask_reads_table_rows_on_the_workers(client, synthetic, tmp_path):
    path = tmp_path / "corpus.parquet"
    df = pd.DataFrame({"id": synthetic.ids, "text": [r.raw for r in synthetic],
                       "year": [r.meta["year"] for r in synthetic]})
    df.loc[5, "text"] = ""  # a bad row: recorded in skipped by both backends
    df.to_parquet(path, row_group_size=16)
    stages = {"stages": ["structure", "tables", "statements"], "table": {"id": "id"}}
    local = analyze(path, **stages)
    dask = analyze(path, backend="dask", client=client, npartitions=4, **stages)
    _assert_same(local, dask, tmp_path, "local", "dask")
    assert local.tables["skipped"]["path"].tolist() == [f"{path}#row5"]
    assert dask.corpus[0].meta["year"] == synthetic[0].meta["year"]
    with pytest.raises(InputError, match=r"#row5: text cell is empty"):
        analyze(path, backend="dask", client=client, errors="raise", **stages)


@pytest.mark.parametrize(("kw", "match"), [
    ({"backend": "spark"}, "'backend'"),
    ({"npartitions": 0}, "'npartitions'"),
    ({"backend": "dask", "client": 3}, "'client'"),
    ({"n_jobs": 0}, "'n_jobs'"),
    ({"n_jobs": 1.5}, "'n_jobs'"),
    ({"backend": "dask", "n_jobs": 2}, "'n_jobs'.*local"),
])
def test_bad_backend_parameters(seed_dir, kw, match):
    with pytest.raises(InvalidParameterError, match=match):
        analyze(seed_dir, stages=["structure"], **kw)


def test_cli_runs_tables_on_a_dask_scheduler(client, seed_dir, tmp_path, capsys):
    from govtext.cli import EXIT_OK, EXIT_USAGE, main

    files = sorted(seed_dir.glob("*.txt"))
    table = tmp_path / "pages.csv"
    pd.DataFrame({"name": [p.stem for p in files], "body": [p.read_text(encoding="utf-8") for p in files]}
                 ).to_csv(table, index=False)
    config = tmp_path / "analysis.toml"
    config.write_text('stages = ["structure", "statements"]\n', encoding="utf-8")
    common = [str(table), "--text-column", "body", "--id-column", "name", "--config", str(config),
              "--no-figures", "--no-view", "--no-progress", "--no-parquet"]
    assert main(["analyze", *common, "--out", str(tmp_path / "local")]) == EXIT_OK
    assert main(["analyze", *common, "--out", str(tmp_path / "dask"), "--backend", "dask",
                 "--scheduler", client.scheduler.address, "--npartitions", "3"]) == EXIT_OK
    local = {f.name: f.read_bytes() for f in sorted((tmp_path / "local").glob("*.csv"))}
    dask = {f.name: f.read_bytes() for f in sorted((tmp_path / "dask").glob("*.csv"))}
    assert set(local) == {"reports.csv", "skipped.csv", "sections.csv", "sentences.csv", "items.csv",
                          "statements.csv"}
    assert local == dask
    assert b"003_aad2c66ccec4c55e#8" in local["reports.csv"]
    capsys.readouterr()
    assert main(["analyze", *common, "--out", str(tmp_path / "x"), "--workers", "2"]) == EXIT_USAGE
    assert "--backend dask" in capsys.readouterr().err
    assert main(["analyze", *common, "--out", str(tmp_path / "j2"), "--jobs", "2"]) == EXIT_OK
    assert {f.name: f.read_bytes() for f in sorted((tmp_path / "j2").glob("*.csv"))} == local
    capsys.readouterr()
    assert main(["analyze", *common, "--out", str(tmp_path / "y"), "--backend", "dask",
                 "--scheduler", client.scheduler.address, "--jobs", "2"]) == EXIT_USAGE
    assert "--workers" in capsys.readouterr().err


def test_dask_reads_folders_with_clashing_names_like_read_reports(client, seeds, tmp_path):
    from govtext.pipeline import _file_partitions

    folder = tmp_path / "corpus"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text(seeds[1].raw, encoding="utf-8")
    (folder / "a.htm").write_text(f"<html><body><p>{seeds[4].raw}</p></body></html>", encoding="utf-8")
    (folder / "sub" / "b.txt").write_bytes(seeds[0].raw.encode("gb18030"))
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4")
    assert _file_partitions([folder], lambda n: 1) is None  # a.txt and a.htm: read on the client
    (folder / "a.htm").rename(folder / "c.htm")
    parts = _file_partitions([folder], lambda n: 2)
    assert [[b for _, b in p[1][0]] for p in parts] == [["a", "c"], ["sub/b"]]
    assert [len(p[1][1]) for p in parts] == [1, 0]  # the unsupported file's row comes first
    stages = {"stages": ["structure"]}
    local = analyze(folder, **stages)
    dask = analyze(folder, backend="dask", client=client, npartitions=2, **stages)
    _assert_same(local, dask, tmp_path, "local", "dask")
    assert local.corpus.ids == ["a", "c", "sub/b"]
    assert local.tables["skipped"]["reason"].tolist() == ["unsupported_suffix"]


def test_analyze_computes_each_reports_structure_once_and_frees_it(synthetic, monkeypatch, tmp_path):
    """Sections and the sentence layout are computed once per report, in its partition, and
    freed there once the per-report steps (the reuse stage's included) are done: nothing later
    recomputes them. A Corpus given by the caller keeps its caches."""
    import importlib

    sections_mod = importlib.import_module("govtext.sections")  # govtext.sections is also a function
    sentences_mod = importlib.import_module("govtext.sentences")
    counts = {"sections": [], "layout": []}
    real_sections, real_layout = sections_mod.split_sections, sentences_mod._compute_layout

    def sections(r, *a, **k):
        if not isinstance(r, str):  # (the metadata splits strings of their own)
            counts["sections"].append(r.id)
        return real_sections(r, *a, **k)

    def layout(r, *a, **k):
        counts["layout"].append(r.id)
        return real_layout(r, *a, **k)

    monkeypatch.setattr(sections_mod, "split_sections", sections)
    monkeypatch.setattr(sentences_mod, "_compute_layout", layout)
    path = tmp_path / "corpus.parquet"
    pd.DataFrame({"id": synthetic.ids, "text": [r.raw for r in synthetic]}).to_parquet(path)
    res = analyze(path, table={"id": "id"}, npartitions=3)
    assert sorted(counts["sections"]) == sorted(counts["layout"]) == sorted(synthetic.ids)
    assert all("sections" not in r.__dict__ and sentences_mod._LAYOUT_ATTR not in r.__dict__ for r in res.corpus)
    first = res.corpus[0]
    assert first.sections and first.sections == synthetic[0].sections  # recomputed when read again
    own = analyze(synthetic, stages=["structure"])
    assert own.corpus[0] is synthetic[0] and "sections" in synthetic[0].__dict__


@pytest.mark.parametrize("backend", ["local", "dask"])
def test_reports_wait_on_disk_while_the_reuse_stage_runs(synthetic, monkeypatch, tmp_path, request, backend):
    import tempfile

    """With the tables on disk, analyze puts the reports it read aside too: the detector gets
    references holding ids and metadata only, and the result's corpus is read back, equal to
    the reports held in memory (spill=False); the tables do not change."""
    import os

    from govtext._memory import DiskStash, ReportRef
    from govtext.reuse import ReuseDetector

    seen, counts = [], []
    real_fit = ReuseDetector.fit

    def fit(self, corpus, *a, **k):
        seen.append([type(r) for r in corpus])
        k["prepared"] = list(k["prepared"])
        counts.append([type(x.narrative) for x in k["prepared"]])
        return real_fit(self, corpus, *a, **k)

    monkeypatch.setattr(ReuseDetector, "fit", fit)
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    path = tmp_path / "corpus.parquet"
    pd.DataFrame({"id": synthetic.ids, "text": [r.raw for r in synthetic]}).to_parquet(path)
    kw = {"backend": "dask", "client": request.getfixturevalue("client")} if backend == "dask" else {}
    aside = analyze(path, table={"id": "id"}, npartitions=3, **kw)
    held = analyze(path, table={"id": "id"}, npartitions=3, spill=False, **kw)
    assert seen[0] == [ReportRef] * len(synthetic)  # all of them, as references
    assert ReportRef not in seen[1]  # spill=False: the reports stay in memory
    # so do the partitions' narrative counts, which otherwise wait on disk until the
    # similarity step
    assert counts[0] == [DiskStash] * 3 and DiskStash not in counts[1]
    _assert_same(held, aside, tmp_path, "held", "aside")
    assert all(type(r) is type(synthetic[0]) for r in aside.corpus)
    for a, b in zip(aside.corpus, held.corpus, strict=True):
        assert a == b and a.text == b.text and a.raw == b.raw and a.metadata == b.metadata
        assert (a.offsets == b.offsets).all() and a.removed == b.removed
    # the tables' directory is there, but every report and packed units file was read back
    # once and removed
    assert os.path.isdir(aside.tables._spill.dir) and aside.tables._spill.dir.parent == temp
    assert list(temp.glob("govtext-stash-*")) == []


def test_a_report_reference_says_what_was_read(synthetic):
    import copy

    from govtext._memory import ReportRef

    ref = ReportRef(synthetic[0])
    assert ref.id == synthetic[0].id and ref.metadata == synthetic[0].metadata
    assert repr(ref) == f"ReportRef({synthetic[0].id!r})"
    with pytest.raises(RuntimeError, match=r"is on disk while the reuse stage runs; its 'text' was read"):
        _ = ref.text
    with pytest.raises(AttributeError):
        _ = ref.__array__  # protocols probing dunder names see a plain missing attribute
    assert copy.copy(ref).id == ref.id


def test_reports_put_aside_are_checked_when_read_back(synthetic, tmp_path, monkeypatch):
    import tempfile

    from govtext._memory import ReportRef, put_aside
    from govtext.pipeline import _reports_back
    from govtext.records import Corpus

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    reports = list(synthetic)[:4]
    held = [put_aside(reports[:2]), put_aside(reports[2:])]
    assert len(list(tmp_path.glob("govtext-stash-*"))) == 2
    refs = Corpus([ReportRef(r) for r in reports])
    back = _reports_back(refs, held, [])
    assert back.ids == [r.id for r in reports] and list(back) == reports
    assert list(tmp_path.glob("govtext-stash-*")) == []  # each file is read back once, then removed
    held = [put_aside(reports[:2]), put_aside(reports[2:])]
    swapped = Corpus([ReportRef(r) for r in reports[2:] + reports[:2]])
    with pytest.raises(InputError, match="do not match the corpus they were put aside from"):
        _reports_back(swapped, held, [])
    held = [put_aside(reports)]
    for f in tmp_path.glob("govtext-stash-*"):
        f.unlink()
    with pytest.raises(InputError, match="put aside in .* cannot be read back"):
        _reports_back(refs, held, [])
