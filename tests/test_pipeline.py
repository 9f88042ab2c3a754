"""The whole pipeline: every stage's table, the manifest, and byte-identical outputs."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd

from govtext.pipeline import analyze, write_outputs

EXPECTED_TABLES = {
    "reports", "skipped", "sections", "sentences", "items", "tables", "table_checks", "facts",
    "statements", "measures", "year_over_year",
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


def _run(seed_dir: Path, out: Path, hashseed: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONHASHSEED": hashseed}
    subprocess.run([sys.executable, "-m", "govtext", "analyze", str(seed_dir), "--out", str(out), "--no-progress"],
                   check=True, env=env, capture_output=True)
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(out.glob("*.csv"))}


def test_outputs_byte_identical_across_processes_and_hash_seeds(seed_dir, tmp_path):
    a = _run(seed_dir, tmp_path / "a", "0")
    b = _run(seed_dir, tmp_path / "b", "12345")
    assert a.keys() >= {f"{n}.csv" for n in EXPECTED_TABLES}
    assert a == b
