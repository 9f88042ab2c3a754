"""The ``govtext`` command.

``govtext analyze INPUT... --out DIR`` runs the whole pipeline and writes every table (CSV with
a UTF-8 BOM, and Parquet), and ``manifest.json``. Progress bars go to stderr (on by default;
``--no-progress`` turns them off). Exit codes: 0 success, 1 a check or input failed, 2 bad usage.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

__all__ = ["main"]

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    import govtext

    p = argparse.ArgumentParser(
        prog="govtext",
        description="Mine Chinese government information-disclosure annual reports (政府信息公开工作年度报告).",
    )
    p.add_argument("--version", action="version", version=f"govtext {govtext.__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    a = sub.add_parser(
        "analyze",
        help="run the whole pipeline on files or folders of reports and write tables",
        description="Read reports (files or folders, .txt/.html, any common Chinese encoding), run every stage "
                    "and write one table per result as CSV (UTF-8 with BOM) and Parquet, plus manifest.json.",
    )
    a.add_argument("inputs", nargs="+", metavar="INPUT", help="report files or directories (searched recursively)")
    a.add_argument("--out", required=True, metavar="DIR", help="output directory (created if missing)")
    a.add_argument("--errors", choices=["skip", "warn", "raise"], default="skip",
                   help="unreadable inputs: record them in skipped.csv (skip, default), also warn, or stop (raise)")
    a.add_argument("--no-parquet", action="store_true", help="write CSV only")
    a.add_argument("--no-progress", action="store_true", help="no progress bars on stderr")
    a.add_argument("-v", "--verbose", action="count", default=0, help="log to stderr (-v info, -vv debug)")
    return p


def _analyze(args: argparse.Namespace) -> int:
    from pathlib import Path

    from govtext.exceptions import GovtextError
    from govtext.pipeline import analyze, write_outputs

    missing = [i for i in args.inputs if not Path(i).exists()]
    if missing:
        print(f"govtext analyze: no such file or directory: {', '.join(missing)}", file=sys.stderr)
        return EXIT_USAGE
    try:
        result = analyze(args.inputs, errors=args.errors, progress=not args.no_progress)
        write_outputs(result, args.out, parquet=False if args.no_parquet else None)
    except GovtextError as exc:
        print(f"govtext analyze: {exc}", file=sys.stderr)
        return EXIT_FAIL
    n, k = len(result.corpus), len(result.tables["skipped"])
    print(f"govtext analyze: {n} reports, {k} skipped; tables written to {args.out}", file=sys.stderr)
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``govtext`` command; returns the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    if getattr(args, "verbose", 0):
        logging.basicConfig(level=logging.DEBUG if args.verbose > 1 else logging.INFO, stream=sys.stderr)
    if args.command == "analyze":
        return _analyze(args)
    parser.print_help(sys.stderr)
    return EXIT_USAGE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
