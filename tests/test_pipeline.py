"""The whole pipeline: every stage's table, the manifest, and byte-identical outputs."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd
import pytest

from govtext.exceptions import InputError
from govtext.pipeline import REUSE_TABLES, analyze, write_outputs

EXPECTED_TABLES = {
    "reports", "skipped", "sections", "sentences", "items", "tables", "table_checks", "facts",
    "statements", "units", "group_pairs", "clusters", "passages", "report_scores", "similarity", "families", "yoy",
}


def test_analyze_seeds_tables(seed_dir, tmp_path):
    result = analyze(seed_dir)
    assert EXPECTED_TABLES <= set(result.tables)
    t = result.tables
    assert t["reports"]["report_id"].tolist() == result.corpus.ids
    assert set(t["sentences"]["report_id"]) == set(result.corpus.ids)
    assert set(t["statements"]["kind"]) == {"problem", "measure"}
    assert (t["table_checks"]["status"] != "fail").all()  # the seeds' tables are consistent
    written = write_outputs(result, tmp_path, parquet=False)
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["reports"] == 12
    assert manifest["counts"]["skipped"] == 1
    assert len(manifest["inputs"]) == 5
    for name, files in written.items():
        df = pd.read_csv(tmp_path / files[0], encoding="utf-8-sig")
        assert len(df) == len(t[name])
        assert (tmp_path / files[0]).read_bytes().startswith(b"\xef\xbb\xbf")  # BOM for Excel


def _run(seed_dir: Path, out: Path, hashseed: str, threads: str) -> dict[str, str]:
    """Run ``govtext analyze`` in a fresh process; sha256 of every file written (tables, figures,
    the reuse view), and of the manifest without its timings."""
    env = {**os.environ, "PYTHONHASHSEED": hashseed, "OMP_NUM_THREADS": threads, "OPENBLAS_NUM_THREADS": threads,
           "MKL_NUM_THREADS": threads}
    subprocess.run([sys.executable, "-m", "govtext", "analyze", str(seed_dir), "--out", str(out), "--no-progress"],
                   check=True, env=env, capture_output=True)
    hashes = {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
              for p in sorted(out.rglob("*")) if p.is_file() and p.name != "manifest.json"}
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    manifest.pop("timings_seconds")
    hashes["manifest.json (without timings)"] = hashlib.sha256(json.dumps(manifest, sort_keys=True).encode()).hexdigest()
    return hashes


def test_outputs_byte_identical_across_processes_hash_seeds_and_threads(seed_dir, tmp_path):
    a = _run(seed_dir, tmp_path / "a", "0", "1")
    b = _run(seed_dir, tmp_path / "b", "12345", "2")
    assert set(a) >= {f"{n}.csv" for n in EXPECTED_TABLES}
    assert any(k.startswith("figures/") for k in a)
    assert a == b


def test_reuse_tables_point_into_the_reports(seed_dir):
    """The reuse stage's units and passages carry offsets into the reports' texts: a passage's two
    spans hold the same wording (up to the detector's tolerance), and every report has a score and a family."""
    import difflib

    result = analyze(seed_dir, stages=["reuse"])
    t, corpus = result.tables, result.corpus
    assert not {"sections", "statements"} & set(t)  # only the stages asked for
    assert t["report_scores"]["report_id"].tolist() == corpus.ids
    assert sorted(t["families"]["report_id"]) == sorted(corpus.ids)
    units = t["units"]
    assert set(units["report_id"]) <= set(corpus.ids)
    for u in units.head(50).itertuples():
        assert corpus[u.report_id].text[u.start:u.end] == u.text
    assert len(t["passages"]) > 0
    for p in t["passages"].itertuples():
        a = corpus[p.report_a].text[p.a_start:p.a_end]
        b = corpus[p.report_b].text[p.b_start:p.b_end]
        assert difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() > 0.6, (a, b)


def test_reuse_parameters_reach_the_detector(seed_dir):
    loose = analyze(seed_dir, stages=["reuse"], reuse={"threshold": 0.3})
    strict = analyze(seed_dir, stages=["reuse"], reuse={"threshold": 0.95})
    assert loose.params["reuse"] == {"threshold": 0.3}
    assert len(loose.tables["group_pairs"]) > len(strict.tables["group_pairs"])
    assert (loose.tables["group_pairs"]["jaccard"] >= 0.3).all()
    assert (strict.tables["group_pairs"]["jaccard"] >= 0.95).all()


@pytest.mark.parametrize("params, match", [
    ({"thresold": 0.5}, r"unknown parameter\(s\) 'thresold'"),
    ({"stages": ["structure", "nope"]}, r"unknown stage\(s\) 'nope'"),
    ({"stages": 3}, r"stages must be a list"),
    ({"reuse": "fast"}, r"reuse must be a mapping"),
    ({"reuse": {"ngrams": 4}}, r"unknown ReuseDetector parameter\(s\) 'ngrams'"),
])
def test_analyze_rejects_bad_parameters(seed_dir, params, match):
    from govtext.exceptions import InvalidParameterError

    with pytest.raises(InvalidParameterError, match=match):
        analyze(seed_dir, **params)


def _pid(_):
    return os.getpid()


def test_idle_workers_are_released_after_a_parallel_step():
    import joblib
    import psutil

    from govtext._workers import release_idle_workers

    pids = set(joblib.Parallel(n_jobs=2)(joblib.delayed(_pid)(k) for k in range(8)))
    assert os.getpid() not in pids
    alive = {p.pid for p in psutil.Process().children(recursive=True)}
    assert pids <= alive
    assert release_idle_workers() is True
    alive = {p.pid for p in psutil.Process().children(recursive=True)}
    assert not pids & alive
    # the next parallel step starts fresh workers
    again = set(joblib.Parallel(n_jobs=2)(joblib.delayed(_pid)(k) for k in range(8)))
    assert again and not again & pids
    release_idle_workers()


def _resident_bytes() -> int:
    import psutil

    return psutil.Process().memory_info().rss


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="malloc_trim is glibc's (Linux)")
def test_freed_heap_memory_is_returned_to_the_system():
    from govtext._memory import release_freed_memory

    # 200 MB of heap blocks (4 KB: malloc'ed, not Python's small-object arenas), then one more
    # that stays: freeing the others leaves their pages below it, in the heap and resident
    blocks = [bytes(4000) for _ in range(50_000)]
    keeper = bytes(4000)
    before = _resident_bytes()
    del blocks
    assert release_freed_memory() is True
    after = _resident_bytes()
    assert before - after > 100_000_000, (before, after)
    assert len(keeper) == 4000


def test_release_freed_memory_without_malloc_trim(monkeypatch):
    from govtext import _memory

    monkeypatch.setattr(_memory, "_trim", None)  # a C library without it (macOS, musl)
    assert _memory.release_freed_memory() is False


def test_disk_stash_round_trip_and_cleanup(tmp_path, monkeypatch):
    import numpy as np

    from govtext._memory import DiskStash

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    obj = (["一、总体情况", "本机关"], (np.arange(5), ["k"]), ["全文"])
    stash = DiskStash()
    assert stash.put(obj) is True
    [path] = list(tmp_path.glob("govtext-stash-*.pkl"))
    got = stash.take()
    assert got[0] == obj[0] and np.array_equal(got[1][0], obj[1][0]) and got[2] == obj[2]
    assert not path.exists()
    with pytest.raises(InputError, match="nothing was put aside"):
        stash.take()
    unread = DiskStash()
    assert unread.put([1, 2])
    [path] = list(tmp_path.glob("govtext-stash-*.pkl"))
    del unread  # never read back: removed with the stash
    assert not path.exists()


def test_disk_stash_reports_a_file_removed_under_it(tmp_path, monkeypatch):
    from govtext._memory import DiskStash

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    stash = DiskStash()
    assert stash.put("文本")
    for f in tmp_path.glob("govtext-stash-*.pkl"):
        f.unlink()
    with pytest.raises(InputError, match="cannot be read back"):
        stash.take()


def test_disk_stash_keeps_data_in_memory_when_it_cannot_write(tmp_path, monkeypatch):
    import pickle

    from govtext._memory import DiskStash, put_aside, take_back

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    def full(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pickle, "dump", full)
    assert DiskStash().put([1]) is False
    assert not list(tmp_path.glob("govtext-stash-*"))  # nothing left behind
    held = put_aside(["本机关", 2])  # the object itself, in memory
    assert held == ["本机关", 2] and take_back(held) == ["本机关", 2]


def test_put_aside_leaves_what_is_already_aside(tmp_path, monkeypatch):
    """put_aside of a DiskStash returns it unpickled (one file, read back once)."""
    import tempfile

    from govtext._memory import DiskStash, put_aside, take_back

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    held = put_aside({"a": 1})
    assert isinstance(held, DiskStash) and put_aside(held) is held
    assert len(list(tmp_path.glob("govtext-stash-*"))) == 1
    assert take_back(put_aside(held)) == {"a": 1}
    assert not list(tmp_path.glob("govtext-stash-*"))


@pytest.mark.parametrize("prepared", [False, True])
def test_reuse_inputs_put_aside_on_disk_change_nothing(monkeypatch, prepared):
    """Above _STASH_MIN_REPORTS the passages step's inputs wait on disk during the pairs and
    labels, and the narratives' shingle counts (given when the reports were prepared, as
    analyze does) until the similarity step: the fitted tables are the same, and the files
    are gone afterwards."""
    import govtext.reuse as reuse_mod
    from govtext._memory import DiskStash
    from govtext.datasets import make_synthetic_corpus

    corpus, _ = make_synthetic_corpus(80, random_state=5)
    plain = reuse_mod.ReuseDetector().fit(corpus)
    puts = []
    real_put = DiskStash.put
    monkeypatch.setattr(DiskStash, "put", lambda self, obj: puts.append((self, obj)) or real_put(self, obj))
    monkeypatch.setattr(reuse_mod, "_STASH_MIN_REPORTS", 50)
    det = reuse_mod.ReuseDetector()
    reports = list(corpus)
    parts = ([det.prepare(reports[a:a + 30], similarity=True) for a in range(0, len(reports), 30)]
             if prepared else None)
    stashed = det.fit(corpus, prepared=parts)
    del parts
    assert len(puts) == (4 if prepared else 1)
    assert all(stash._path is None for stash, _ in puts)  # put, then taken back
    if prepared:  # then the narratives' counts, one (sets, tf) part a slice
        assert all(isinstance(obj, tuple) and len(obj) == 2 for _, obj in puts[1:])
    for name in REUSE_TABLES:
        pd.testing.assert_frame_equal(getattr(plain, f"{name}_"), getattr(stashed, f"{name}_"), check_exact=True)
    assert len(stashed.passages_) > 0
