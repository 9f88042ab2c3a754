"""The ``govtext`` command.

Commands
--------
``govtext analyze INPUT... --out DIR [--config FILE]``
    Run the whole pipeline and write every table (CSV with a UTF-8 BOM, and Parquet), the
    figures (``DIR/figures/*.png``), the browsable reuse view (``DIR/view/index.html``, see
    :func:`govtext.write_reuse_view`; ``--no-view`` skips it) and ``manifest.json``. Progress
    bars go to stderr (on by default; ``--no-progress`` turns them off). ``--config`` reads a TOML file whose keys are
    the parameters of :func:`govtext.pipeline.analyze`.
``govtext inspect FILE[#N]``
    One report readable in a terminal: metadata, the section tree with spans, table checks and
    (when :mod:`govtext.statements` is available) the problems and measures.
``govtext validate FILE...``
    The accounting checks of the statistical tables; exit status 1 when a check fails.
``govtext compare A[#N] B[#N]``
    Two reports side by side: metadata, and the passages they share.

``FILE#N`` picks the N-th report of a file that holds several (a compilation).

Exit codes: 0 success, 1 a check failed or an input could not be used, 2 bad usage (unknown
option, missing file, bad configuration).
"""

from __future__ import annotations

import argparse
import difflib
import inspect
import logging
import os
import shutil
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["EXIT_FAIL", "EXIT_OK", "EXIT_USAGE", "main"]

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2

#: Parameters of ``analyze`` that a configuration file may not set, with the reason.
_RESERVED = {
    "source": "give the inputs on the command line",
    "inputs": "give the inputs on the command line",
    "out": "give the output directory with --out",
    "progress": "progress bars are controlled by --no-progress",
}


class _Failure(Exception):
    """An input could not be used (exit 1)."""


class _Usage(Exception):
    """Bad usage (exit 2)."""


# --------------------------------------------------------------------------------------------
# parser

_EPILOG = """\
exit status: 0 success, 1 a check failed or an input could not be used, 2 bad usage.

examples:
  govtext analyze corpora/seeds --out results/
  govtext analyze reports/ --out results/ --config analysis.toml --no-progress
  govtext inspect corpora/seeds/004_3cd86ea425926f19.txt
  govtext inspect corpora/seeds/003_aad2c66ccec4c55e.txt#4
  govtext validate corpora/seeds
  govtext compare corpora/seeds/003_aad2c66ccec4c55e.txt#1 corpora/seeds/003_aad2c66ccec4c55e.txt#2
"""

_STATUS = "exit status: 0 success, 1 {fail}, 2 bad usage."

_SPEC_HELP = ("a report file (.txt or .html, any common Chinese encoding); FILE#N picks the N-th report "
              "of a file that holds several")


def _parser() -> argparse.ArgumentParser:
    import govtext

    fmt = argparse.RawDescriptionHelpFormatter
    p = argparse.ArgumentParser(
        prog="govtext",
        description="Mine Chinese government information-disclosure annual reports (政府信息公开工作年度报告).",
        epilog=_EPILOG,
        formatter_class=fmt,
    )
    p.add_argument("--version", action="version", version=f"govtext {govtext.__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    a = sub.add_parser(
        "analyze",
        help="run the whole pipeline on files or folders of reports and write tables and figures",
        description="Read reports (files or folders, .txt/.html, any common Chinese encoding), run every stage "
                    "and write one table per result as CSV (UTF-8 with BOM, so Excel opens Chinese correctly) "
                    "and Parquet, the figures, a browsable reuse view (DIR/view/index.html: static HTML, "
                    "opens offline), and manifest.json (versions, parameters, inputs with sha256, "
                    "skipped inputs). The same input and parameters give byte-identical tables.",
        epilog="configuration file (--config): TOML whose top-level keys are parameters of "
               "govtext.pipeline.analyze, e.g.\n\n    errors = \"skip\"\n\nUnknown keys are an error (exit 2). "
               "Options given on the command line override the file.\n\n"
               + _STATUS.format(fail="an input could not be read with --errors raise"),
        formatter_class=fmt,
    )
    a.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="report files or directories (searched recursively), or corpus tables "
                        ".parquet/.csv with one row per page (see --text-column)")
    a.add_argument("--out", required=True, metavar="DIR", help="output directory (created if missing)")
    a.add_argument("--config", metavar="FILE", help="TOML file with the parameters of the analysis")
    a.add_argument("--errors", choices=["skip", "warn", "raise"], default=None,
                   help="unreadable inputs: record them in skipped.csv (skip, the default), also warn, or stop "
                        "with exit status 1 (raise)")
    a.add_argument("--no-parquet", action="store_true", help="write CSV only")
    a.add_argument("--no-figures", action="store_true", help="do not draw figures")
    a.add_argument("--no-view", action="store_true",
                   help="do not write the browsable reuse view (DIR/view/index.html)")
    a.add_argument("--lang", choices=["en", "zh"], default="en",
                   help="language of the figures' fixed labels (default: en)")
    a.add_argument("--no-progress", action="store_true", help="no progress bars on stderr")
    # -- scale (issue #9): table inputs and the Dask backend
    a.add_argument("--text-column", metavar="NAME", default=None,
                   help="for .parquet/.csv inputs (one row per page): the column holding the page text "
                        "(default: text)")
    a.add_argument("--id-column", metavar="NAME", default=None,
                   help="for .parquet/.csv inputs: the column of report ids (default: FILE/ROW numbers)")
    a.add_argument("--backend", choices=["local", "dask"], default=None,
                   help="local: this process (the default); dask: the per-report stages run on a Dask "
                        "cluster (needs pip install 'govtext[dask]'), the reuse stage here; same tables")
    a.add_argument("--scheduler", metavar="ADDRESS", default=None,
                   help="with --backend dask: address of a running Dask scheduler (tcp://host:8786); "
                        "default: start a local cluster")
    a.add_argument("--workers", type=int, metavar="N", default=None,
                   help="with --backend dask and no --scheduler: worker processes of the local cluster "
                        "(default: one per core)")
    a.add_argument("-j", "--jobs", type=int, metavar="N", default=None,
                   help="local backend: processes for the per-report stages and the reuse stage's "
                        "alignment and tokenisation (-1: one per core; default 1); same tables")
    a.add_argument("--npartitions", type=int, metavar="N", default=None,
                   help="partitions of the corpus (default: 1,000 reports or rows each locally, four per "
                        "worker with dask); results do not depend on it")
    a.add_argument("-v", "--verbose", action="count", default=0, help="log to stderr (-v info, -vv debug)")

    i = sub.add_parser(
        "inspect",
        help="show one report's metadata, sections, table checks and statements",
        description="Show what govtext finds in a report, readable in a terminal: metadata, the section "
                    "tree with character spans [start, end) into the normalised text, the statistical "
                    "tables' checks and, when available, the problems and improvement measures. A file "
                    "holding several reports shows them all unless FILE#N picks one.",
        epilog=_STATUS.format(fail="the file holds no readable report"),
        formatter_class=fmt,
    )
    i.add_argument("file", metavar="FILE", help=_SPEC_HELP)
    i.add_argument("--max-statements", type=int, default=20, metavar="N",
                   help="list at most N statements (default: 20; 0 lists none)")
    i.add_argument("-v", "--verbose", action="count", default=0, help="log to stderr (-v info, -vv debug)")

    v = sub.add_parser(
        "validate",
        help="check the statistical tables; exit status 1 if a check fails",
        description="Run the accounting checks of tables 3 and 4 (govtext.tables.check_tables) on every "
                    "report of the given files or directories and print the failures. Exit status 1 if a "
                    "check fails or an input cannot be read, 0 otherwise; checks that cannot be assessed "
                    "(a missing or empty cell) do not fail. Reports without tables (2008-2018) pass.",
        epilog=_STATUS.format(fail="a check failed or an input could not be read"),
        formatter_class=fmt,
    )
    v.add_argument("files", nargs="+", metavar="FILE", help="report files or directories (searched recursively)")
    v.add_argument("-q", "--quiet", action="store_true", help="print only failures and the summary")
    v.add_argument("-v", "--verbose", action="count", default=0, help="log to stderr (-v info, -vv debug)")

    c = sub.add_parser(
        "compare",
        help="show two reports side by side with the passages they share",
        description="Compare two reports: their metadata side by side, and the passages they share "
                    "(copied or lightly edited), found by character n-gram seed-and-extend alignment, with "
                    "their spans in both texts.",
        epilog=_STATUS.format(fail="a file holds no readable report"),
        formatter_class=fmt,
    )
    c.add_argument("a", metavar="A", help=_SPEC_HELP)
    c.add_argument("b", metavar="B", help=_SPEC_HELP)
    c.add_argument("--min-length", type=int, default=10, metavar="N",
                   help="shortest shared passage reported, in aligned characters (default: 10)")
    c.add_argument("--full", action="store_true",
                   help="also print both texts with the shared passages marked ⟦n … ⟧")
    c.add_argument("-v", "--verbose", action="count", default=0, help="log to stderr (-v info, -vv debug)")
    return p


# --------------------------------------------------------------------------------------------
# terminal text


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _clip(s: str, width: int) -> str:
    s = " ".join(str(s).split())
    if _width(s) <= width:
        return s
    out, w = [], 0
    for ch in s:
        cw = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        if w + cw > width - 1:
            break
        out.append(ch)
        w += cw
    return "".join(out) + "…"


def _pad(s: str, width: int) -> str:
    return s + " " * max(0, width - _width(s))


def _columns() -> int:
    return max(60, min(shutil.get_terminal_size((100, 24)).columns, 160))


def _say(*lines: str) -> None:
    for line in lines:
        print(line)


def _err(command: str, message: str) -> None:
    print(f"govtext {command}: {message}", file=sys.stderr)


def _safe_streams() -> None:
    """On a terminal or pipe whose encoding cannot hold Chinese (a Windows code page, say), print
    what it cannot encode as escapes instead of failing."""
    for stream in (sys.stdout, sys.stderr):
        enc = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if enc and not enc.startswith(("utf", "gb", "big5", "cp936", "cp950")) and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="backslashreplace")
            except (ValueError, OSError):  # pragma: no cover - a detached or closed stream
                pass


# --------------------------------------------------------------------------------------------
# reading


def _split_spec(spec: str) -> tuple[Path, int | None]:
    p = Path(spec)
    if p.exists() or "#" not in spec:
        if not p.exists():
            raise _Usage(f"no such file or directory: {spec}")
        return p, None
    path, _, num = spec.rpartition("#")
    if not Path(path).exists():
        raise _Usage(f"no such file or directory: {path}")
    if not num.isdigit() or int(num) < 1:
        raise _Usage(f"{spec}: the part after '#' must be a report number (1, 2, ...)")
    return Path(path), int(num)


def _read(path: Path) -> Any:
    from govtext.exceptions import GovtextError
    from govtext.read import read_reports

    try:
        return read_reports(path, errors="skip")
    except (GovtextError, OSError) as exc:
        raise _Failure(str(exc)) from exc


def _skip_lines(corpus: Any) -> list[str]:
    return [f"{row.path}: {row.reason}: {row.error}" for row in corpus.skipped.itertuples(index=False)]


def _reports_of(spec: str) -> list:
    """The reports a FILE or FILE#N argument names (raises _Usage or _Failure)."""
    path, num = _split_spec(spec)
    if path.is_dir():
        raise _Usage(f"{spec} is a directory; give a report file")
    corpus = _read(path)
    reports = list(corpus)
    if not reports:
        reasons = "; ".join(_skip_lines(corpus)) or "no report found"
        raise _Failure(f"{spec}: no report could be read ({reasons})")
    if num is None:
        return reports
    if num > len(reports):
        raise _Usage(f"{spec}: the file holds {len(reports)} report(s); choose 1-{len(reports)}")
    return [reports[num - 1]]


def _one_report(spec: str) -> Any:
    reports = _reports_of(spec)
    if len(reports) > 1:
        raise _Usage(f"{spec} holds {len(reports)} reports; choose one with {spec}#N (N = 1-{len(reports)})")
    return reports[0]


# --------------------------------------------------------------------------------------------
# analyze


def _load_toml(path: str) -> dict:
    try:
        import tomllib
    except ModuleNotFoundError:  # pragma: no cover - Python 3.10
        try:
            import tomli as tomllib
        except ModuleNotFoundError:
            raise _Usage("--config needs Python >= 3.11 or the tomli package (pip install tomli)") from None
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise _Usage(f"--config: no such file: {path}") from None
    except OSError as exc:
        raise _Usage(f"--config: cannot read {path}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise _Usage(f"--config: {path} is not valid TOML: {exc}") from None


def _analyze_parameters() -> list[str]:
    """Parameters a configuration file may set: analyze's keyword-only parameters, plus the
    names in ``govtext.pipeline.PARAMETERS`` (stage parameters passed through ``**params``)."""
    from govtext import pipeline

    sig = inspect.signature(pipeline.analyze)
    names = {n for n, prm in sig.parameters.items() if prm.kind is inspect.Parameter.KEYWORD_ONLY}
    names |= set(getattr(pipeline, "PARAMETERS", None) or ())
    return sorted(names - set(_RESERVED))


def _config_params(path: str) -> dict[str, Any]:
    data = _load_toml(path)
    known = _analyze_parameters()
    problems = []
    for key in data:
        if key in _RESERVED:
            problems.append(f"{key!r} cannot be set in a configuration file ({_RESERVED[key]})")
        elif key not in known:
            close = difflib.get_close_matches(key, known, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(f"unknown parameter {key!r}{hint}")
    if problems:
        raise _Usage(f"--config {path}: " + "; ".join(problems) + f". Known parameters: {', '.join(known)}.")
    return dict(data)


def _scale_params(args: argparse.Namespace, params: dict[str, Any]) -> None:
    """Table columns and backend options from the command line (they override --config)."""
    table = dict(params.get("table") or {})
    if args.text_column is not None:
        table["text"] = args.text_column
    if args.id_column is not None:
        table["id"] = args.id_column
    if table:
        params["table"] = table
    if args.backend is not None:
        params["backend"] = args.backend
    if (args.scheduler is not None or args.workers is not None) and params.get("backend", "local") != "dask":
        raise _Usage("--scheduler and --workers need --backend dask")
    if args.scheduler is not None and args.workers is not None:
        raise _Usage("give either --scheduler (a running cluster) or --workers (a local cluster), not both")
    if args.scheduler is not None:
        params["client"] = args.scheduler
    if args.workers is not None:
        params["n_workers"] = args.workers
    if args.npartitions is not None:
        params["npartitions"] = args.npartitions
    if args.jobs is not None:
        if params.get("backend", "local") == "dask":
            raise _Usage("--jobs is for the local backend; with --backend dask use --workers")
        params["n_jobs"] = args.jobs


def _analyze(args: argparse.Namespace) -> int:
    from govtext.exceptions import GovtextError, InvalidParameterError, MissingDependencyError
    from govtext.pipeline import analyze, write_outputs

    missing = [i for i in args.inputs if not Path(i).exists()]
    if missing:
        raise _Usage(f"no such file or directory: {', '.join(missing)}")
    params = _config_params(args.config) if args.config else {}
    if args.errors is not None:
        params["errors"] = args.errors
    params.setdefault("errors", "skip")
    _scale_params(args, params)
    try:
        result = analyze(args.inputs, progress=not args.no_progress, **params)
        write_outputs(result, args.out, parquet=False if args.no_parquet else None)
    except InvalidParameterError as exc:
        raise _Usage(str(exc)) from exc
    except GovtextError as exc:
        raise _Failure(str(exc)) from exc
    figures: list[str] = []
    if not args.no_figures:
        from govtext.plot import save_figures

        try:
            figures = save_figures(result.tables, Path(args.out) / "figures", lang=args.lang)
        except MissingDependencyError as exc:  # no CJK font: the tables are still the result
            _err("analyze", f"figures not drawn: {exc}")
        except GovtextError as exc:
            raise _Failure(f"tables written to {args.out}, but a figure failed: {exc}") from exc
    view = [] if args.no_view else _write_view(result, Path(args.out) / "view")
    n, k = len(result.corpus), len(result.tables["skipped"])
    parts = ["tables"]
    if figures:
        parts.append(f"{len(figures)} figure{'' if len(figures) == 1 else 's'}")
    if view:
        parts.append("the reuse view (view/index.html)")
    wrote = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    _err("analyze", f"{n} reports, {k} skipped; {wrote} written to {args.out}")
    return EXIT_OK


def _write_view(result: Any, out: Path) -> list:
    """The browsable reuse view of an analysis (govtext.view), or [] without the reuse tables."""
    from govtext.exceptions import GovtextError
    from govtext.view import REQUIRED_TABLES, write_reuse_view

    absent = [t for t in REQUIRED_TABLES if t not in result.tables]
    if absent:
        logging.getLogger("govtext.cli").info(
            "reuse view not written: the reuse tables (%s) are absent (the 'reuse' stage did not run)",
            ", ".join(absent))
        return []
    try:
        return write_reuse_view(result, result.corpus, out)
    except GovtextError as exc:
        raise _Failure(f"tables written, but the reuse view failed: {exc}") from exc


# --------------------------------------------------------------------------------------------
# inspect


def _metadata_lines(report: Any) -> list[str]:
    md = report.metadata
    rows = [(k, v) for k, v in vars(md).items() if v is not None and k != "agency_source"]
    if md.agency is not None and md.agency_source:
        rows = [(k, f"{v}  (from the {md.agency_source})" if k == "agency" else v) for k, v in rows]
    if not rows:
        return ["  (nothing stated)"]
    w = max(len(k) for k, _ in rows)
    return [f"  {k.ljust(w)}  {v}" for k, v in rows]


def _section_lines(report: Any, cols: int) -> list[str]:
    secs = report.sections
    if not secs:
        return ["  (no sections)"]
    n = len(str(len(report.text)))
    out = []
    for top in secs:
        for s in top.walk():
            span = f"[{s.start:>{n}}, {s.end:>{n}})"
            indent = "  " * (s.level - 1)
            head = s.heading or "—"
            line = f"  {indent}{span}  {s.key:<12} "
            out.append(line + _clip(head, max(10, cols - _width(line))))
    return out


def _check_lines(report: Any) -> tuple[list[str], int]:
    from govtext.tables import check_tables, parse_tables

    cells = parse_tables(report)
    if cells.empty:
        return ["  no statistical tables (2008-2018 format, or dropped by the scraper)"], 0
    checks = check_tables(cells)
    counts = checks["status"].value_counts()
    tables = ", ".join(str(t) for t in sorted(set(cells["table"])))
    out = [f"  tables {tables}: {len(cells)} cells; {len(checks)} checks: {counts.get('pass', 0)} pass, "
           f"{counts.get('fail', 0)} fail, {counts.get('not_assessable', 0)} not assessable"]
    out += _failure_lines(checks, indent="  ")
    return out, int(counts.get("fail", 0))


def _num(x: float) -> str:
    return "—" if x != x else (f"{int(x)}" if float(x).is_integer() else f"{x:g}")


def _failure_lines(checks: Any, indent: str) -> list[str]:
    out = []
    for r in checks.loc[checks["status"] == "fail"].itertuples(index=False):
        where = " ".join(x for x in (f"table {r.table}", r.block, r.row, r.column) if x)
        if r.expected == r.expected:
            detail = f"expected {_num(r.expected)}, actual {_num(r.actual)}"
        else:
            detail = f"value {_num(r.actual)} is not a non-negative integer"
        out.append(f"{indent}FAIL {r.rule} {where}: {detail}")
    return out


def _statement_lines(report: Any, limit: int, cols: int) -> list[str] | None:
    try:
        from govtext.statements import extract_statements
    except ImportError:
        return None
    st = extract_statements(report)
    if st.empty:
        return ["  none (no problems/plans section found)"]
    kinds = st["kind"].value_counts()
    out = [f"  {kinds.get('problem', 0)} problems, {kinds.get('measure', 0)} measures"]
    for r in st.head(limit).itertuples(index=False):
        line = f"  {r.kind:<8} [{r.start}, {r.end})  {r.topic:<14} "
        out.append(line + _clip(r.text, max(10, cols - _width(line))))
    if len(st) > limit > 0:
        out.append(f"  … {len(st) - limit} more (--max-statements)")
    return out


def _inspect(args: argparse.Namespace) -> int:
    if args.max_statements < 0:
        raise _Usage("--max-statements must be >= 0")
    reports = _reports_of(args.file)
    cols = _columns()
    for k, r in enumerate(reports):
        if k:
            _say("")
        title = f"══ {r.id} "
        _say(title + "═" * max(0, cols - _width(title)))
        _say(f"source {r.source} (report {r.index}) · encoding {r.encoding} · script {r.script} · "
             f"format {r.format} · {len(r.text):,} characters")
        _say("", "Metadata", *_metadata_lines(r))
        _say("", "Sections  [start, end) in the normalised text", *_section_lines(r, cols))
        lines, _fails = _check_lines(r)
        _say("", "Tables", *lines)
        st = _statement_lines(r, args.max_statements, cols)
        if st is not None:
            _say("", "Statements", *st)
        if r.warnings:
            _say("", "Warnings", *(f"  {w}" for w in r.warnings))
    return EXIT_OK


# --------------------------------------------------------------------------------------------
# validate


def _validate(args: argparse.Namespace) -> int:
    from govtext.tables import check_tables, parse_tables

    for f in args.files:
        if not Path(f).exists():
            raise _Usage(f"no such file or directory: {f}")
    n_reports = n_failed = n_errors = n_checks = n_na = 0
    for f in args.files:
        corpus = _read(Path(f))
        for row in corpus.skipped.itertuples(index=False):
            if row.reason == "preface":
                continue
            n_errors += 1
            _say(f"ERROR {row.path}: {row.reason}: {row.error}")
        for r in corpus:
            n_reports += 1
            cells = parse_tables(r)
            if cells.empty:
                if not args.quiet:
                    _say(f"ok    {r.id}: no statistical tables")
                continue
            checks = check_tables(cells)
            counts = checks["status"].value_counts()
            fails = int(counts.get("fail", 0))
            na = int(counts.get("not_assessable", 0))
            n_checks += len(checks)
            n_na += na
            note = f" ({na} not assessable)" if na else ""
            if fails:
                n_failed += 1
                _say(f"FAIL  {r.id}: {fails} of {len(checks)} checks failed{note}")
                _say(*_failure_lines(checks, indent="      "))
            elif not args.quiet:
                _say(f"ok    {r.id}: {len(checks)} checks passed{note}")
    _say(f"{n_reports} reports, {n_checks} checks: {n_failed} report(s) with failed checks, "
         f"{n_errors} unreadable input(s), {n_na} checks not assessable")
    return EXIT_FAIL if (n_failed or n_errors) else EXIT_OK


# --------------------------------------------------------------------------------------------
# compare


def _merged_length(spans: list[tuple[int, int]]) -> int:
    total, end = 0, -1
    for a, b in sorted(spans):
        if b <= end:
            continue
        total += b - max(a, end)
        end = b
    return total


def _marked(text: str, spans: list[tuple[int, int, int]]) -> str:
    out, pos = [], 0
    for a, b, k in sorted(spans):
        if a < pos:
            continue
        out.append(text[pos:a])
        out.append(f"⟦{k} {text[a:b]}⟧")
        pos = b
    out.append(text[pos:])
    return "".join(out)


def _compare(args: argparse.Namespace) -> int:
    if args.min_length < 1:
        raise _Usage("--min-length must be >= 1")
    ra, rb = _one_report(args.a), _one_report(args.b)
    cols = _columns()
    half = max(20, (cols - 16) // 2)
    _say(f"A  {ra.id}  ({ra.source}, {len(ra.text):,} characters)",
         f"B  {rb.id}  ({rb.source}, {len(rb.text):,} characters)", "", "Metadata")
    ma, mb = vars(ra.metadata), vars(rb.metadata)
    _say(f"  {'':<12}  {_pad('A', half)}  B")
    for key in ma:
        va, vb = ma[key], mb[key]
        if va is None and vb is None:
            continue
        same = "=" if va == vb else " "
        sa = "—" if va is None else str(va)
        sb = "—" if vb is None else str(vb)
        _say(f"{same} {key:<12}  {_pad(_clip(sa, half), half)}  {_clip(sb, half)}")
    try:
        from govtext._align import align_passages
    except ImportError:
        _say("", "Shared passages: unavailable (the aligner govtext._align is not installed)")
        return EXIT_OK
    passages = align_passages(ra.text, rb.text, min_length=args.min_length)
    cov_a = _merged_length([(p.a_start, p.a_end) for p in passages])
    cov_b = _merged_length([(p.b_start, p.b_end) for p in passages])
    pa = cov_a / len(ra.text) if ra.text else 0.0
    pb = cov_b / len(rb.text) if rb.text else 0.0
    _say("", f"Shared passages: {len(passages)}, covering {cov_a:,} characters of A ({pa:.0%}) and "
             f"{cov_b:,} of B ({pb:.0%})")
    for k, p in enumerate(passages, 1):
        head = (f"  {k:>3}  A[{p.a_start}, {p.a_end})  B[{p.b_start}, {p.b_end})  "
                f"{p.matched_chars} chars, score {p.score:.2f}")
        _say(head)
        ta, tb = ra.text[p.a_start:p.a_end], rb.text[p.b_start:p.b_end]
        _say(f"       A: {_clip(ta, cols - 9)}")
        if tb != ta:
            _say(f"       B: {_clip(tb, cols - 9)}")
    if args.full:
        _say("", f"── A: {ra.id} " + "─" * 20,
             _marked(ra.text, [(p.a_start, p.a_end, k) for k, p in enumerate(passages, 1)]),
             "", f"── B: {rb.id} " + "─" * 20,
             _marked(rb.text, [(p.b_start, p.b_end, k) for k, p in enumerate(passages, 1)]))
    return EXIT_OK


# --------------------------------------------------------------------------------------------
# entry point

_COMMANDS = {"analyze": _analyze, "inspect": _inspect, "validate": _validate, "compare": _compare}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``govtext`` command; returns the exit status.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        0 success, 1 a check failed or an input could not be used, 2 bad usage.

    Examples
    --------
    >>> from govtext.datasets import seeds_path
    >>> main(["validate", "--quiet", str(seeds_path())])
    12 reports, ... checks: 0 report(s) with failed checks, 0 unreadable input(s), ...
    0
    """
    _safe_streams()
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on bad usage, 0 after --help/--version
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    if getattr(args, "verbose", 0):
        logging.basicConfig(level=logging.DEBUG if args.verbose > 1 else logging.INFO, stream=sys.stderr)
    command = _COMMANDS.get(args.command)
    if command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return command(args)
    except _Usage as exc:
        _err(args.command, str(exc))
        return EXIT_USAGE
    except _Failure as exc:
        _err(args.command, str(exc))
        return EXIT_FAIL
    except BrokenPipeError:  # pragma: no cover - e.g. `govtext inspect FILE | head`
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_FAIL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
