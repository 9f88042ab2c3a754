"""Coverage-guided fuzzing of govtext's readers and stages (atheris / libFuzzer), and the timing
of pathological inputs.

    python benchmarks/fuzz_atheris.py                          # 5 minutes of atheris, then a summary
    python benchmarks/fuzz_atheris.py --max-total-time 3600    # the long run (docs/how-to/fuzzing.md)
    python benchmarks/fuzz_atheris.py --runs 20000             # a fixed number of inputs
    python benchmarks/fuzz_atheris.py --families               # seconds per MB of pathological inputs
    python benchmarks/fuzz_atheris.py --hypothesis 50          # no atheris: tests/test_fuzz.py x50

One input goes through ``parse_reports(data, errors="raise")`` and, for every report, the
invariants of ``tests/test_fuzz.py`` (offsets map into ``raw``, sections tile the text) and
``parse_tables`` / ``check_tables`` / ``extract_statements``; then its reports and a seed report
go through ``ReuseDetector`` (LSH and exact mode in turn; ``--no-reuse`` to leave it out), whose
units and passages must point at the exact text. A
:class:`~govtext.exceptions.GovtextError` with a message is an expected outcome; any other
exception (or an empty message, or a broken invariant) is a crash: the input is saved as
``<artifacts>/crash-<Type>-<hash>.bin`` with its traceback next to it, counted, and fuzzing goes
on (``--stop-on-crash`` to stop at the first). The run is seeded with ``corpora/seeds/*.txt`` and
``tests/fuzz_corpus/*``; new coverage-increasing inputs go to ``<artifacts>/corpus``.

Timing is reported as seconds per MB of input; for the slowest input per MB only inputs of at
least ``--min-size`` bytes count (on a 10-byte input the fixed cost of a call dominates).
Nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED_DIRS = [ROOT / "corpora" / "seeds", ROOT / "tests" / "fuzz_corpus"]
DEFAULT_ARTIFACTS = Path(tempfile.gettempdir()) / "govtext-fuzz"


# --------------------------------------------------------------------------------------------
# the target


def _load_target(reuse: bool = True):
    """Import govtext (instrumented for coverage when atheris is running) and return ``run``.

    With ``reuse``, the reports of each input are also fitted by a ``ReuseDetector`` together with
    one seed report (so there is something to share), and its units and passages must point at
    the exact text of the reports.
    """
    import warnings

    import numpy as np

    from govtext.exceptions import GovtextError
    from govtext.read import parse_reports
    from govtext.sections import split_sections
    from govtext.statements import STATEMENT_COLUMNS, extract_statements
    from govtext.tables import CHECK_COLUMNS, TABLE_COLUMNS, check_tables, parse_tables

    def check_report(r) -> None:
        n, m = len(r.text), len(r.raw)
        starts, ends = np.asarray(r.offsets), np.asarray(r.offset_ends)
        if not (n and len(starts) == n == len(ends)):
            raise AssertionError(f"{r.id}: offsets do not match the text")
        if not ((starts >= 0).all() and (ends <= m).all() and (starts <= ends).all() and (np.diff(starts) >= 0).all()):
            raise AssertionError(f"{r.id}: offsets do not map into raw")
        a, b = r.raw_span(0, n)
        if not 0 <= a <= b <= m:
            raise AssertionError(f"{r.id}: raw_span outside raw")
        secs = split_sections(r)
        if not secs or secs[0].start != 0 or secs[-1].end != n or any(s.end != t.start for s, t in zip(secs, secs[1:])):
            raise AssertionError(f"{r.id}: sections do not tile the text")
        cells = parse_tables(r)
        if list(cells.columns) != TABLE_COLUMNS:
            raise AssertionError(f"{r.id}: parse_tables columns {list(cells.columns)}")
        if list(check_tables(cells).columns) != CHECK_COLUMNS:
            raise AssertionError(f"{r.id}: check_tables columns")
        st = extract_statements(r)
        if list(st.columns) != STATEMENT_COLUMNS or not ((st["start"] < st["end"]) & (st["end"] <= n)).all():
            raise AssertionError(f"{r.id}: extract_statements columns or spans")

    from govtext.reuse import ReuseDetector

    partner = list(parse_reports((ROOT / "corpora" / "seeds").glob("001_*.txt").__next__().read_bytes(),
                                 id="seed001"))

    def check_reuse(corpus) -> None:
        reports = list(corpus) + partner
        texts = {r.id: r.text for r in reports}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            det = ReuseDetector(measures=False, method="exact" if len(data_sizes) % 2 else "lsh").fit(reports)
        for u in det.units_.itertuples():
            if texts[u.report_id][u.start:u.end] != u.text:
                raise AssertionError(f"unit {u.unit_id} of {u.report_id}: offsets do not give its text")
        for p in det.passages_.itertuples():
            if not (0 <= p.a_start < p.a_end <= len(texts[p.report_a]) and 0 <= p.b_start < p.b_end <= len(texts[p.report_b])):
                raise AssertionError(f"passage {p.report_a}:{p.a_start}-{p.a_end} ~ {p.report_b}: span outside the text")
        if sorted(det.report_scores_["report_id"]) != sorted(texts):
            raise AssertionError("report_scores_ does not have one row per report")

    data_sizes: list[int] = []

    def run(data: bytes) -> str:
        """'reports' or 'error:<Type>' for an expected outcome; raises on a crash."""
        data_sizes.append(0)
        try:
            corpus = parse_reports(data, errors="raise")
        except GovtextError as exc:
            if not str(exc).strip():
                raise AssertionError(f"{type(exc).__name__} without a message") from exc
            return f"error:{type(exc).__name__}"
        for r in corpus:
            check_report(r)
        skipped = parse_reports(data, errors="skip")  # must not raise, and must agree
        if [r.id for r in skipped] != [r.id for r in corpus]:
            raise AssertionError("errors='skip' gives other reports than errors='raise'")
        if reuse:
            try:
                check_reuse(corpus)
            except GovtextError as exc:
                if not str(exc).strip():
                    raise AssertionError(f"{type(exc).__name__} without a message") from exc
                return f"reuse-error:{type(exc).__name__}"
        return "reports"

    return run


class _Stats:
    """Counters written to a JSON file (libFuzzer ends the process without running atexit)."""

    def __init__(self, path: Path, artifacts: Path, min_size: int, stop_on_crash: bool) -> None:
        self.path, self.artifacts, self.min_size, self.stop = path, artifacts, min_size, stop_on_crash
        self.d = {"inputs": 0, "bytes": 0, "outcomes": {}, "crashes": {}, "slowest_per_mb": None,
                  "slowest": None, "started": time.time()}
        self._last = 0.0

    def record(self, data: bytes, seconds: float, outcome: str) -> None:
        d = self.d
        d["inputs"] += 1
        d["bytes"] += len(data)
        d["outcomes"][outcome] = d["outcomes"].get(outcome, 0) + 1
        if d["slowest"] is None or seconds > d["slowest"]["seconds"]:
            d["slowest"] = {"seconds": seconds, "bytes": len(data), "outcome": outcome}
        if len(data) >= self.min_size:
            per_mb = seconds / (len(data) / 1e6)
            if d["slowest_per_mb"] is None or per_mb > d["slowest_per_mb"]["s_per_mb"]:
                d["slowest_per_mb"] = {"s_per_mb": per_mb, "seconds": seconds, "bytes": len(data), "outcome": outcome}
                (self.artifacts / "slowest_per_mb.bin").write_bytes(data)
        now = time.time()
        if now - self._last > 2 or outcome == "crash":
            self.flush()
            self._last = now

    def crash(self, data: bytes, exc: BaseException) -> None:
        tb = traceback.extract_tb(exc.__traceback__)
        where = f"{Path(tb[-1].filename).name}:{tb[-1].lineno}" if tb else "?"
        key = f"{type(exc).__name__} at {where}"
        h = hashlib.blake2b(data, digest_size=8).hexdigest()
        entry = self.d["crashes"].setdefault(key, {"count": 0, "smallest": None, "message": str(exc)[:300]})
        entry["count"] += 1
        if entry["smallest"] is None or len(data) < entry["smallest"]["bytes"]:
            f = self.artifacts / f"crash-{type(exc).__name__}-{h}.bin"
            f.write_bytes(data)
            f.with_suffix(".txt").write_text("".join(traceback.format_exception(exc)), encoding="utf-8")
            entry["smallest"] = {"file": str(f), "bytes": len(data)}
        self.flush()

    def flush(self) -> None:
        self.d["elapsed"] = time.time() - self.d["started"]
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.d, indent=1), encoding="utf-8")
        tmp.replace(self.path)


def _child(args: argparse.Namespace, libfuzzer_args: list[str]) -> None:
    """Runs inside the fuzzing process."""
    import atheris

    with atheris.instrument_imports(include=["govtext"]):
        run = _load_target(reuse=not args.no_reuse)
    artifacts = Path(args.artifacts)
    stats = _Stats(artifacts / "stats.json", artifacts, args.min_size, args.stop_on_crash)

    def one_input(data: bytes) -> None:
        t = time.perf_counter()
        try:
            outcome = run(data)
        except Exception as exc:  # anything but a GovtextError with a message is a crash
            stats.record(data, time.perf_counter() - t, "crash")
            stats.crash(data, exc)
            if args.stop_on_crash:
                raise
            return
        stats.record(data, time.perf_counter() - t, outcome)

    atheris.Setup([sys.argv[0], *libfuzzer_args], one_input)
    atheris.Fuzz()


def _fuzz(args: argparse.Namespace, extra: list[str]) -> int:
    try:
        import atheris  # noqa: F401
    except ImportError:
        print("atheris is not installed (pip install atheris); use --hypothesis N instead", file=sys.stderr)
        return 2
    artifacts = Path(args.artifacts)
    (artifacts / "corpus").mkdir(parents=True, exist_ok=True)
    stats_file = artifacts / "stats.json"
    stats_file.unlink(missing_ok=True)
    lf = [f"-max_total_time={args.max_total_time}", f"-timeout={args.timeout}", f"-rss_limit_mb={args.rss_limit_mb}",
          f"-max_len={args.max_len}", f"-artifact_prefix={artifacts}/", "-print_final_stats=1"]
    if args.runs:
        lf.append(f"-runs={args.runs}")
    lf += extra
    lf += [str(artifacts / "corpus")] + [str(d) for d in SEED_DIRS if d.is_dir()]
    cmd = [sys.executable, __file__, "--child", "--artifacts", str(artifacts), "--min-size", str(args.min_size)]
    if args.stop_on_crash:
        cmd.append("--stop-on-crash")
    if args.no_reuse:
        cmd.append("--no-reuse")
    cmd += ["--", *lf]
    print("running:", " ".join(cmd), file=sys.stderr)
    t0 = time.time()
    proc = subprocess.run(cmd, cwd=ROOT, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    wall = time.time() - t0
    if not stats_file.exists():
        print(f"the fuzzer wrote no statistics (exit status {proc.returncode})", file=sys.stderr)
        return proc.returncode or 1
    s = json.loads(stats_file.read_text(encoding="utf-8"))
    print()
    print(f"atheris run: {wall:.0f} s wall, {s['inputs']:,} inputs tried ({s['bytes'] / 1e6:.1f} MB), "
          f"exit status {proc.returncode}")
    for k, v in sorted(s["outcomes"].items(), key=lambda kv: -kv[1]):
        print(f"  {v:>9,}  {k}")
    print(f"crashes: {sum(c['count'] for c in s['crashes'].values())} inputs, {len(s['crashes'])} distinct")
    for key, c in s["crashes"].items():
        print(f"  {c['count']:>6}  {key}: {c['message'][:120]}  -> {c['smallest']['file']}")
    if s["slowest_per_mb"]:
        w = s["slowest_per_mb"]
        print(f"slowest input per MB (>= {args.min_size} B): {w['s_per_mb']:.2f} s/MB "
              f"({w['seconds'] * 1e3:.0f} ms for {w['bytes']:,} B, {w['outcome']}) -> {artifacts}/slowest_per_mb.bin")
    if s["slowest"]:
        w = s["slowest"]
        print(f"slowest input: {w['seconds'] * 1e3:.0f} ms ({w['bytes']:,} B, {w['outcome']})")
    return 1 if s["crashes"] or proc.returncode not in (0,) else 0


# --------------------------------------------------------------------------------------------
# pathological families: seconds per MB at 1x and 10x


def _families(args: argparse.Namespace) -> int:
    from govtext.exceptions import GovtextError
    from govtext.normalize import normalize
    from govtext.read import parse_reports

    seed = (ROOT / "corpora" / "seeds" / "000_6ac03842c3dfdc7c.txt").read_text(encoding="utf-8")
    body = "".join(f"<p>{line}</p>" for line in seed.split("\n"))
    big = args.big

    def wrap(junk: str) -> str:
        return seed[:2000] + junk + seed[2000:]

    families = {
        "pipes (n pipes)": (lambda n: wrap("|" * n), [10**5, 10**6]),
        "pipe lines '| |\\n'": (lambda n: wrap("| |\n" * (n // 4)), [10**5, 10**6]),
        "space run": (lambda n: wrap(" " * n), [10**5, 10**6]),
        "ideographic space run": (lambda n: wrap("\u3000" * n), [10**5, 10**6]),
        "single long line (Han, no newline)": (lambda n: wrap(("政府信息公开" * (n // 6 + 1))[:n]), [2 * 10**5, 2 * 10**6, big]),
        "single long line (ASCII)": (lambda n: wrap("a" * n), [2 * 10**5, 2 * 10**6, big]),
        "repeated headings": (lambda n: wrap("一、信息公开\n" * (n // 7)), [10**5, 10**6]),
        "repeated list markers": (lambda n: wrap("一是" * (n // 2)), [10**5, 10**6]),
        "compilation markers": (lambda n: wrap("".join(f"第{k}篇 信息公开\n" for k in range(1, n // 10))), [10**5, 10**6]),
        "entity bomb &lt; (HTML)": (lambda n: f"<html><body><p>{'&lt;' * (n // 4)}</p>{body}</body></html>", [10**5, 10**6]),
        "numeric entities (HTML)": (lambda n: f"<html><body><p>{'&#20013;' * (n // 8)}</p>{body}</body></html>", [10**5, 10**6]),
        "nested divs, unclosed (HTML)": (lambda n: "<html><body>" + "<div>" * (n // 5) + body, [10**5, 10**6]),
        "table cells (HTML)": (lambda n: "<html><body>" + body + "<table>" + "<tr><td>1</td></tr>" * (n // 20) + "</table>",
                               [10**5, 10**6]),
    }
    print(f"{'family':<38}{'size':>12}{'MB':>8}{'normalize s':>13}{'parse+stages s':>16}{'s/MB':>9}  outcome")
    for name, (make, sizes) in families.items():
        for n in sizes:
            text = make(n)
            data = text.encode("utf-8")
            mb = len(data) / 1e6
            t = time.perf_counter()
            if not name.endswith("(HTML)"):
                normalize(text)
            t_norm = time.perf_counter() - t
            t = time.perf_counter()
            try:
                corpus = parse_reports(data)
                outcome = f"{len(corpus)} report(s)"
                if not args.read_only:
                    from govtext.statements import extract_statements
                    from govtext.tables import check_tables, parse_tables

                    for r in corpus:
                        r.sections  # noqa: B018
                    check_tables(parse_tables(corpus))
                    extract_statements(corpus)
            except GovtextError as exc:
                outcome = f"{type(exc).__name__}: {str(exc)[:50]}"
            t_all = time.perf_counter() - t
            print(f"{name:<38}{n:>12,}{mb:>8.2f}{t_norm:>13.2f}{t_all:>16.2f}{(t_norm + t_all) / mb:>9.2f}  {outcome}",
                  flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    extra: list[str] = []
    if "--" in argv:
        k = argv.index("--")
        argv, extra = argv[:k], argv[k + 1:]
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--max-total-time", type=int, default=300, help="seconds of fuzzing (default 300)")
    p.add_argument("--runs", type=int, default=0, help="stop after this many inputs (default: no limit)")
    p.add_argument("--timeout", type=int, default=60, help="seconds per input before libFuzzer calls it a hang")
    p.add_argument("--max-len", type=int, default=64 * 1024, help="largest input libFuzzer builds (bytes)")
    p.add_argument("--rss-limit-mb", type=int, default=4096)
    p.add_argument("--min-size", type=int, default=4096, help="smallest input counted for the slowest s/MB")
    p.add_argument("--artifacts", default=str(DEFAULT_ARTIFACTS), help=f"output folder (default {DEFAULT_ARTIFACTS})")
    p.add_argument("--stop-on-crash", action="store_true", help="stop at the first crash (libFuzzer's default)")
    p.add_argument("--no-reuse", action="store_true",
                   help="leave the reuse detector out of the target (reading and per-report stages only)")
    p.add_argument("--families", action="store_true", help="time the pathological input families instead")
    p.add_argument("--big", type=int, default=20 * 10**6, help="size of the long-line family's largest input")
    p.add_argument("--read-only", action="store_true", help="--families: time reading only, not the later stages")
    p.add_argument("--hypothesis", type=int, metavar="SCALE", default=0,
                   help="run tests/test_fuzz.py with SCALE times its examples instead (no atheris needed)")
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        _child(args, extra)
        return 0
    if args.families:
        return _families(args)
    if args.hypothesis:
        env = {**os.environ, "GOVTEXT_FUZZ_SCALE": str(args.hypothesis)}
        cmd = [sys.executable, "-m", "pytest", str(ROOT / "tests" / "test_fuzz.py"), "-q", "-p", "no:cacheprovider",
               "--hypothesis-show-statistics", *extra]
        return subprocess.run(cmd, cwd=ROOT, env=env).returncode
    return _fuzz(args, extra)


if __name__ == "__main__":
    sys.exit(main())
