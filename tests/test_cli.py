"""The ``govtext`` command: analyze (with --config), inspect, validate, compare; exit codes.

Commands run in-process through ``govtext.cli.main`` (fast, output captured by capsys) and, for
the contract that matters to shell scripts, as real subprocesses (``python -m govtext``).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from govtext._align import align_passages
from govtext.cli import EXIT_FAIL, EXIT_OK, EXIT_USAGE, _parser, main
from govtext.tables import check_tables, parse_tables

S004 = "004_3cd86ea425926f19"
S003 = "003_aad2c66ccec4c55e"


@pytest.fixture(scope="module")
def seed_files(seed_dir) -> dict[str, Path]:
    return {p.name[:3]: p for p in sorted(seed_dir.glob("*.txt"))}


def _copy_with_cell(seeds, tmp: Path, row: str, column: str, new: str) -> Path:
    """A copy of seed 004 (same file name) with one table-4 cell's text replaced."""
    report = seeds[S004]
    cells = parse_tables(report)
    cell = cells[(cells.row == row) & (cells.column == column)].iloc[0]
    a, b = report.source_span(int(cell.start), int(cell.end))
    source = Path(report.source).read_text(encoding="utf-8")
    assert source[a:b] == cell.raw
    out = tmp / Path(report.source).name
    out.write_text(source[:a] + new + source[b:], encoding="utf-8")
    return out


@pytest.fixture
def broken_copy(seeds, tmp_path) -> Path:
    """Seed 004 with table 4's review total changed from 5 to 6: rule R4.1 fails."""
    return _copy_with_cell(seeds, tmp_path, "t4.review", "total", "6")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --------------------------------------------------------------------------------------------
# usage and help


@pytest.mark.parametrize("argv", [[], ["bogus"], ["analyze"], ["validate"], ["inspect"], ["compare", "x"],
                                  ["analyze", "x", "--out"], ["validate", "--nope", "x"]])
def test_bad_usage_exits_2(capsys, argv):
    code, _out, err = run(capsys, *argv)
    assert code == EXIT_USAGE
    assert "usage: govtext" in err


@pytest.mark.parametrize("command", [None, "analyze", "inspect", "validate", "compare"])
def test_help_explains_every_option(capsys, command):
    argv = ["--help"] if command is None else [command, "--help"]
    code, out, _err = run(capsys, *argv)
    assert code == EXIT_OK
    parser = _parser()
    if command is not None:
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        parser = sub.choices[command]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            assert all(name in out for name in action.choices)
            continue
        assert action.help, f"{command}: {action.option_strings or action.dest} has no help"
        shown = action.option_strings[-1] if action.option_strings else (action.metavar or action.dest)
        assert shown in out
    assert "exit status: 0 success, 1 " in out


def test_version(capsys):
    import govtext

    code, out, _err = run(capsys, "--version")
    assert code == EXIT_OK and out.strip() == f"govtext {govtext.__version__}"


# --------------------------------------------------------------------------------------------
# validate


def test_validate_seeds_passes(capsys, seeds, seed_dir):
    code, out, _err = run(capsys, "validate", str(seed_dir))
    assert code == EXIT_OK
    n_checks = len(check_tables(seeds))
    assert f"12 reports, {n_checks} checks: 0 report(s) with failed checks, 0 unreadable" in out
    assert f"ok    {S004}: 232 checks passed" in out
    assert f"ok    {S003}#1: no statistical tables" in out


def test_validate_changed_cell_fails(capsys, broken_copy, seed_files):
    code, out, _err = run(capsys, "validate", "--quiet", str(broken_copy), str(seed_files["001"]))
    assert code == EXIT_FAIL
    assert f"FAIL  {S004}: 1 of 232 checks failed" in out
    assert "FAIL R4.1 table 4 review t4.review total: expected 5, actual 6" in out
    assert "ok " not in out  # --quiet
    assert "2 reports" in out and "1 report(s) with failed checks" in out


def test_validate_not_assessable_does_not_fail(capsys, seeds, tmp_path):
    dashed = _copy_with_cell(seeds, tmp_path, "t4.review", "pending", "-")
    checks = check_tables(next(iter(__import__("govtext").read_reports(dashed))))
    assert (checks.status == "not_assessable").sum() == 2 and (checks.status == "fail").sum() == 0
    code, out, _err = run(capsys, "validate", str(dashed))
    assert code == EXIT_OK
    assert "230 checks passed" not in out and "(2 not assessable)" in out


def test_validate_unreadable_input_fails(capsys, tmp_path, seed_files):
    (tmp_path / "empty.txt").write_bytes(b"")
    code, out, _err = run(capsys, "validate", str(tmp_path / "empty.txt"), str(seed_files["004"]))
    assert code == EXIT_FAIL
    assert re.search(r"^ERROR .*empty\.txt: empty: ", out, re.M)
    assert f"ok    {S004}" in out


def test_validate_missing_file_is_usage(capsys, tmp_path):
    code, _out, err = run(capsys, "validate", str(tmp_path / "nope.txt"))
    assert code == EXIT_USAGE and "no such file or directory" in err


# --------------------------------------------------------------------------------------------
# inspect


def test_inspect_report(capsys, seeds, seed_files):
    code, out, _err = run(capsys, "inspect", str(seed_files["004"]))
    assert code == EXIT_OK
    report = seeds[S004]
    assert f"agency     {report.metadata.agency}  (from the signature)" in out
    width = len(str(len(report.text)))
    for top in report.sections:
        for s in top.walk():
            span = rf"\[\s*{s.start}, \s*{s.end}\)"
            heading = re.escape(s.heading) if s.heading else "—"
            assert re.search(rf"^\s{{{2 * s.level}}}{span}  {s.key}\s+{heading}", out, re.M), (s, width)
    assert "232 checks: 232 pass, 0 fail, 0 not assessable" in out


def test_inspect_shows_statements_when_available(capsys, seed_files):
    statements = pytest.importorskip("govtext.statements")
    st = statements.extract_statements(__import__("govtext").read_reports(seed_files["004"]))
    code, out, _err = run(capsys, "inspect", "--max-statements", "2", str(seed_files["004"]))
    assert code == EXIT_OK
    kinds = st.kind.value_counts()
    assert f"{kinds.get('problem', 0)} problems, {kinds.get('measure', 0)} measures" in out
    assert f"… {len(st) - 2} more" in out


def test_inspect_failed_check_is_listed(capsys, broken_copy):
    code, out, _err = run(capsys, "inspect", str(broken_copy))
    assert code == EXIT_OK  # inspect shows; validate judges
    assert "231 pass, 1 fail" in out and "FAIL R4.1" in out


def test_inspect_compilation(capsys, seed_files):
    code, out, _err = run(capsys, "inspect", str(seed_files["003"]))
    assert code == EXIT_OK
    assert [f"{S003}#{i}" for i in range(1, 9)] == re.findall(r"^══ (\S+)", out, re.M)
    assert "no statistical tables" in out
    code, out, _err = run(capsys, "inspect", f"{seed_files['003']}#4")
    assert code == EXIT_OK and re.findall(r"^══ (\S+)", out, re.M) == [f"{S003}#4"]


@pytest.mark.parametrize("suffix, expected", [("#9", "holds 8 report(s)"), ("#0", "report number"),
                                              ("#x", "report number")])
def test_inspect_bad_report_number(capsys, seed_files, suffix, expected):
    code, _out, err = run(capsys, "inspect", f"{seed_files['003']}{suffix}")
    assert code == EXIT_USAGE and expected in err


def test_inspect_unreadable_file(capsys, tmp_path):
    bad = tmp_path / "scan.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    code, _out, err = run(capsys, "inspect", str(bad))
    assert code == EXIT_FAIL and "no report could be read" in err and "binary" in err


# --------------------------------------------------------------------------------------------
# compare


def test_compare_two_reports_of_a_compilation(capsys, seeds, seed_files):
    a, b = seeds[f"{S003}#1"], seeds[f"{S003}#2"]
    passages = align_passages(a.text, b.text)
    assert passages
    code, out, _err = run(capsys, "compare", f"{seed_files['003']}#1", f"{seed_files['003']}#2", "--full")
    assert code == EXIT_OK
    assert f"Shared passages: {len(passages)}," in out
    p = passages[0]
    assert f"A[{p.a_start}, {p.a_end})  B[{p.b_start}, {p.b_end})  {p.matched_chars} chars" in out
    assert re.search(r"^= year\s+2013\s+2013$", out, re.M)
    assert f"⟦1 {a.text[p.a_start:p.a_end]}⟧" in out  # --full marks the passages


def test_compare_needs_one_report_per_argument(capsys, seed_files):
    code, _out, err = run(capsys, "compare", str(seed_files["003"]), str(seed_files["004"]))
    assert code == EXIT_USAGE and "holds 8 reports; choose one with" in err


# --------------------------------------------------------------------------------------------
# analyze


def _tables(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file() and p.name != "manifest.json"}


def test_analyze_with_config(capsys, seed_dir, tmp_path):
    import json

    config = tmp_path / "analysis.toml"
    config.write_text('errors = "warn"\n', encoding="utf-8")
    code, _out, err = run(capsys, "analyze", str(seed_dir), "--out", str(tmp_path / "r1"),
                          "--config", str(config), "--no-progress")
    assert code == EXIT_OK, err
    assert json.loads((tmp_path / "r1" / "manifest.json").read_text(encoding="utf-8"))["params"]["errors"] == "warn"
    # the command line overrides the file
    code, _out, err = run(capsys, "analyze", str(seed_dir), "--out", str(tmp_path / "r2"),
                          "--config", str(config), "--errors", "skip", "--no-progress")
    assert code == EXIT_OK, err
    assert json.loads((tmp_path / "r2" / "manifest.json").read_text(encoding="utf-8"))["params"]["errors"] == "skip"
    # byte-identical tables
    t1, t2 = _tables(tmp_path / "r1"), _tables(tmp_path / "r2")
    assert "reports.csv" in t1 and t1 == t2
    assert t1["reports.csv"].startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize("content, expected", [
    ('errros = "skip"\n', "unknown parameter 'errros' (did you mean 'errors'?)"),
    ("progress = true\n", "'progress' cannot be set in a configuration file"),
    ("errors = \n", "is not valid TOML"),
    ('errors = "explode"\n', "The 'errors' parameter"),
])
def test_analyze_bad_config_is_usage(capsys, seed_dir, tmp_path, content, expected):
    config = tmp_path / "bad.toml"
    config.write_text(content, encoding="utf-8")
    code, _out, err = run(capsys, "analyze", str(seed_dir), "--out", str(tmp_path / "out"),
                          "--config", str(config), "--no-progress")
    assert code == EXIT_USAGE
    assert expected in err


def test_analyze_missing_config_and_input(capsys, seed_dir, tmp_path):
    code, _out, err = run(capsys, "analyze", str(seed_dir), "--out", str(tmp_path), "--config", str(tmp_path / "no.toml"))
    assert code == EXIT_USAGE and "no such file" in err
    code, _out, err = run(capsys, "analyze", str(tmp_path / "nothing"), "--out", str(tmp_path))
    assert code == EXIT_USAGE and "no such file or directory" in err


def test_analyze_raise_on_bad_input_exits_1(capsys, tmp_path, seed_files):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    code, _out, err = run(capsys, "analyze", str(tmp_path / "in"), "--out", str(tmp_path / "out"),
                          "--errors", "raise", "--no-progress")
    assert code == EXIT_FAIL and "empty" in err


def test_analyze_config_sets_stage_parameters(capsys, seed_dir, tmp_path):
    """A config file chooses the stages and the reuse detector's parameters; the manifest records them."""
    import json

    config = tmp_path / "analysis.toml"
    config.write_text('stages = ["structure", "reuse"]\n[reuse]\nthreshold = 0.7\ncohort = ["year"]\n',
                      encoding="utf-8")
    code, _out, err = run(capsys, "analyze", str(seed_dir), "--out", str(tmp_path / "out"), "--config", str(config),
                          "--no-progress", "--no-figures")
    assert code == EXIT_OK, err
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["params"]["stages"] == ["structure", "reuse"]
    assert manifest["params"]["reuse"] == {"cohort": ["year"], "threshold": 0.7}
    written = {p.stem for p in (tmp_path / "out").glob("*.csv")}
    assert {"sections", "units", "passages"} <= written
    assert not {"statements", "tables"} & written  # stages not asked for


@pytest.mark.parametrize("content, expected", [
    ("threshold = 0.7\n", "unknown parameter 'threshold'"),
    ('stages = ["structure", "magic"]\n', "unknown stage(s) 'magic'"),
    ("[reuse]\nthreshhold = 0.7\n", "unknown ReuseDetector parameter(s) 'threshhold'"),
    ("[reuse]\nthreshold = 7\n", "threshold"),
])
def test_analyze_bad_stage_parameters_are_usage(capsys, seed_dir, tmp_path, content, expected):
    config = tmp_path / "bad.toml"
    config.write_text(content, encoding="utf-8")
    code, _out, err = run(capsys, "analyze", str(seed_dir), "--out", str(tmp_path / "out"), "--config", str(config),
                          "--no-progress", "--no-figures")
    assert code == EXIT_USAGE, err
    assert expected in err


def test_analyze_draws_figures_of_the_tables_it_has(capsys, monkeypatch, seed_dir, tmp_path):
    from govtext import pipeline
    from govtext.sections import sections_frame

    monkeypatch.setattr(pipeline, "_stages", lambda: [("sections", lambda corpus, params: {
        "sections": sections_frame(corpus)})])
    code, _out, err = run(capsys, "analyze", str(seed_dir), "--out", str(tmp_path), "--no-progress")
    assert code == EXIT_OK, err
    assert (tmp_path / "sections.csv").exists()
    assert (tmp_path / "figures" / "sections.png").read_bytes()[:4] == b"\x89PNG"
    assert "tables and 1 figure written" in err
    code, _out, err = run(capsys, "analyze", str(seed_dir), "--out", str(tmp_path / "b"), "--no-progress",
                          "--no-figures")
    assert code == EXIT_OK and not (tmp_path / "b" / "figures").exists()
    # without a CJK font the tables are still written, and the command says why there are no figures
    monkeypatch.setenv("GOVTEXT_CJK_FONT", str(tmp_path / "no-such-font.ttf"))
    code, _out, err = run(capsys, "analyze", str(seed_dir), "--out", str(tmp_path / "c"), "--no-progress")
    assert code == EXIT_OK and "figures not drawn" in err and "apt-get install" in err
    assert (tmp_path / "c" / "sections.csv").exists() and not (tmp_path / "c" / "figures").exists()


# --------------------------------------------------------------------------------------------
# real subprocesses


def _python_m(*argv: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "govtext", *argv], capture_output=True, text=True,
                          encoding="utf-8", errors="replace", env=env, timeout=300)


def test_subprocess_exit_codes_and_chinese_output(broken_copy):
    bad = _python_m("validate", str(broken_copy))
    assert bad.returncode == 1, bad.stderr
    assert "FAIL R4.1 table 4 review t4.review total: expected 5, actual 6" in bad.stdout
    shown = _python_m("inspect", str(broken_copy))
    assert shown.returncode == 0, shown.stderr
    assert "广元市利州区人民政府" in shown.stdout and "五、存在的主要问题及改进情况" in shown.stdout
    # a stream that cannot encode Chinese gets escapes, not a UnicodeEncodeError
    latin = _python_m("validate", str(broken_copy), env={**os.environ, "PYTHONIOENCODING": "latin-1"})
    assert latin.returncode == 1 and "Traceback" not in latin.stderr
