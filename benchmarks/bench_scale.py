"""Scale benchmark of ``govtext.analyze`` (issue #9): time and memory per corpus size, local vs Dask.

Synthetic corpora (``govtext.datasets.make_synthetic_corpus``, ``random_state=0``; a smaller
corpus is a prefix of a larger one) are generated once per size into a Parquet file under the
cache directory (columns ``id``, ``text``: the raw report texts, debris and traditional script
included) and read back with ``read_table`` through ``analyze``, so reading, normalisation and
every stage are measured end to end.

Each run happens in a fresh child process; the child samples the resident memory of its whole
process tree (itself plus any Dask worker processes) every 0.2 s with psutil and also reports
its own ``ru_maxrss``. Printed per run: wall time, peak memory, time per stage; then the time
ratio per 10x more data and the Dask speed-up with 2 workers over 1.

Usage::

    python benchmarks/bench_scale.py                          # sizes 1000 10000, Dask on 1000
    python benchmarks/bench_scale.py --sizes 1000 10000 100000 --dask-size 10000
    python benchmarks/bench_scale.py --sizes 10000 --no-dask --jobs 2   # local, two processes
    python benchmarks/bench_scale.py --sizes 1000 --no-dask --stages structure tables statements
    python benchmarks/bench_scale.py --sizes 3000 --dask-size 3000 --repeat 3   # median of 3 Dask pairs
    python benchmarks/bench_scale.py --json out.json

Goals on a 2-core machine (issue #9): 10,000 reports <= 5 min and <= 4 GB; 100,000 reports <=
12x the 10,000 time and <= 8 GB; Dask with 2 workers >= 1.6x faster than with 1. The script
prints figures and never asserts on them.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path


def corpus_path(n: int, cache: Path) -> Path:
    """The Parquet file of the synthetic corpus of ``n`` reports (generated on first use)."""
    path = cache / f"synthetic_{n}_rs0.parquet"
    if path.exists():
        return path
    import pandas as pd

    from govtext.datasets import make_synthetic_corpus

    t = time.perf_counter()
    texts, _ = make_synthetic_corpus(n, random_state=0, as_texts=True)
    df = pd.DataFrame({"id": [i for i, _ in texts], "text": [t for _, t in texts]})
    tmp = path.with_suffix(".tmp")
    df.to_parquet(tmp, index=False, row_group_size=1000)
    tmp.rename(path)
    print(f"# generated {n:,} reports in {time.perf_counter() - t:.0f} s -> {path} "
          f"({path.stat().st_size / 1e6:.1f} MB)", flush=True)
    return path


def _tree_rss() -> int:
    import psutil

    me = psutil.Process()
    total = 0
    for p in [me] + me.children(recursive=True):
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def _warm() -> None:
    from govtext.datasets import load_seeds
    from govtext.pipeline import _run_partition

    _run_partition("reports", list(load_seeds())[:2], ["structure", "tables", "statements"],
                   {"errors": "skip", "table": {}})


def child(args: argparse.Namespace) -> None:
    """One run, in this (fresh) process; prints one JSON line."""
    import warnings

    from govtext.pipeline import analyze

    warnings.simplefilter("ignore")
    peak = [0]
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            peak[0] = max(peak[0], _tree_rss())
            stop.wait(0.2)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    kw = {}
    if args.stages:
        kw["stages"] = args.stages
    t = time.perf_counter()
    if args.backend == "dask":
        from distributed import Client, LocalCluster

        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
        client.run(_warm)  # imports and lexicons loaded once per worker, outside the timing
        start = time.perf_counter() - t
        t = time.perf_counter()
        res = analyze(args.child, backend="dask", client=client, table={"id": "id"}, **kw)
    else:
        start = 0.0
        jobs = {"n_jobs": args.workers} if args.workers > 1 else {}
        res = analyze(args.child, table={"id": "id"}, **jobs, **kw)
    wall = time.perf_counter() - t
    if args.backend == "dask":
        client.close()
        cluster.close()
    stop.set()
    th.join()
    n_sent = len(res.tables.get("sentences", []))
    out = {
        "path": args.child, "backend": args.backend, "workers": args.workers, "wall": wall,
        "cluster_start": start, "reports": len(res.corpus), "skipped": len(res.tables["skipped"]),
        "sentences": n_sent, "timings": res.timings,
        "peak_tree_bytes": peak[0], "maxrss_self_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }
    print("RESULT " + json.dumps(out), flush=True)


def stage_memory(path: str) -> None:
    """Memory of each stage, in this (fresh) process: resident memory retained after the
    stage and its peak above the level before it (sampled every 0.05 s), per million
    sentences. Prints one JSON line."""
    import gc
    import warnings

    import psutil

    from govtext.pipeline import _reuse, _run_partition
    from govtext.read import read_table

    warnings.simplefilter("ignore")
    proc = psutil.Process()
    peak = [0]
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            peak[0] = max(peak[0], proc.memory_info().rss)
            stop.wait(0.05)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    out: dict = {}
    keep: list = []

    def step(name, fn):
        gc.collect()
        before = proc.memory_info().rss
        peak[0] = before
        t = time.perf_counter()
        value = fn()
        sec = time.perf_counter() - t
        gc.collect()
        after = proc.memory_info().rss
        out[name] = {"seconds": sec, "retained_bytes": after - before, "peak_above_bytes": peak[0] - before}
        keep.append(value)
        return value

    corpus = step("read (reports in memory)", lambda: read_table(path, id="id"))
    reps = list(corpus)
    params = {"errors": "skip", "table": {}, "reuse": {}, "progress": False}
    for stage in ("structure", "tables", "statements"):
        step(stage, lambda stage=stage: _run_partition("reports", reps, [stage], params)["tables"])
    step("reuse", lambda: _reuse(corpus, params))
    stop.set()
    n_sent = len(keep[1]["sentences"])
    print("RESULT " + json.dumps({"reports": len(corpus), "sentences": n_sent, "stages": out}), flush=True)


def run(path: Path, backend: str, workers: int, stages: list[str] | None) -> dict:
    cmd = [sys.executable, __file__, "--child", str(path), "--backend", backend, "--workers", str(workers)]
    if stages:
        cmd += ["--stages", *stages]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr[-4000:])
        raise SystemExit(f"child failed: {' '.join(cmd)}")
    line = next(ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT "))
    res = json.loads(line[len("RESULT "):])
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # RUSAGE_CHILDREN is the max over every child reaped so far: meaningful when it grew
    res["maxrss_children_bytes"] = after * 1024 if after > before else None
    return res


def fmt_run(r: dict) -> str:
    stages = ", ".join(f"{k} {v:.1f}" for k, v in r["timings"].items())
    # shares of the summed stage seconds (with Dask, worker seconds add up over workers)
    main = {k: v for k, v in r["timings"].items() if k != "partitions_wall" and "." not in k}
    top = max(main.items(), key=lambda kv: kv[1])
    return (f"{r['backend']:>5} w={r['workers']} | {r['reports']:>7,} reports {r['sentences']:>9,} sentences | "
            f"wall {r['wall']:8.1f} s | peak {r['peak_tree_bytes'] / 2**30:5.2f} GiB "
            f"(self maxrss {r['maxrss_self_bytes'] / 2**30:.2f}) | dominant: {top[0]} "
            f"({top[1] / sum(main.values()):.0%}) | stages s: {stages}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], help="corpus sizes (reports)")
    ap.add_argument("--dask-size", type=int, default=1000, help="corpus size of the local/Dask comparison")
    ap.add_argument("--no-dask", action="store_true", help="skip the local vs Dask comparison")
    ap.add_argument("--repeat", type=int, default=1,
                    help="pairs of Dask runs (1 worker, then 2), interleaved; the ratio's median is printed")
    ap.add_argument("--stages", nargs="+", default=None, help="stages to run (default: all)")
    ap.add_argument("--jobs", type=int, default=1,
                    help="processes of the local runs (analyze(n_jobs=...); printed as w=)")
    ap.add_argument("--cache", default=os.environ.get("GOVTEXT_BENCH_CACHE",
                                                      str(Path(tempfile.gettempdir()) / "govtext-bench")))
    ap.add_argument("--json", default=None, help="write every run to this JSON file")
    ap.add_argument("--stage-memory", type=int, default=None, metavar="N",
                    help="only measure the memory of each stage on N reports (one process) and exit")
    ap.add_argument("--child", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--backend", default="local", help=argparse.SUPPRESS)
    ap.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args) if args.backend != "memory" else stage_memory(args.child)
        return
    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    if args.stage_memory:
        path = corpus_path(args.stage_memory, cache)
        cmd = [sys.executable, __file__, "--child", str(path), "--backend", "memory"]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            sys.stderr.write(proc.stderr[-4000:])
            raise SystemExit("stage-memory child failed")
        res = json.loads(next(ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT "))[7:])
        per = 1e6 / res["sentences"]
        print(f"# memory per stage: {res['reports']:,} reports, {res['sentences']:,} sentences; "
              f"MiB per million sentences (x{per:.1f})")
        print(f"{'stage':<26} {'seconds':>8} {'retained MiB/M':>15} {'peak MiB/M':>11}")
        for name, st in res["stages"].items():
            print(f"{name:<26} {st['seconds']:8.1f} {st['retained_bytes'] * per / 2**20:15.0f} "
                  f"{st['peak_above_bytes'] * per / 2**20:11.0f}")
        if args.json:
            Path(args.json).write_text(json.dumps(res, indent=2))
        return
    print(f"# load average at start: {os.getloadavg()}, cores: {os.cpu_count()}", flush=True)
    runs = []
    sizes = sorted(set(args.sizes))
    for n in sizes:
        r = run(corpus_path(n, cache), "local", args.jobs, args.stages)
        r["size"] = n
        runs.append(r)
        print(fmt_run(r), flush=True)
    print("\n# time ratio per 10x more data (local)")
    by = {r["size"]: r for r in runs}
    for a in sizes:
        if a * 10 in by:
            ra, rb = by[a], by[a * 10]
            print(f"{a:>7,} -> {a * 10:>7,}: time x{rb['wall'] / ra['wall']:.2f}, "
                  f"peak memory x{rb['peak_tree_bytes'] / ra['peak_tree_bytes']:.2f}")
    if not args.no_dask:
        n = args.dask_size
        print(f"\n# local vs Dask on {n:,} reports (LocalCluster, processes, 1 thread per worker)")
        path = corpus_path(n, cache)
        comp = [by.get(n) or run(path, "local", 1, args.stages)]
        print(fmt_run(comp[0]), flush=True)
        ends, parts = [], []
        # the pairs are interleaved (1 worker, 2 workers, 1, 2, ...) so that a slow spell of a
        # shared machine falls on both sides; each pair's ratio is printed, then their median
        for k in range(max(1, args.repeat)):
            pair = []
            for w in (1, 2):
                r = run(path, "dask", w, args.stages)
                r["size"] = n
                r["repeat"] = k
                pair.append(r)
                print(fmt_run(r), flush=True)
            d1, d2 = pair
            ends.append(d1["wall"] / d2["wall"])
            parts.append(d1["timings"]["partitions_wall"] / d2["timings"]["partitions_wall"])
            print(f"Dask 2 workers vs 1 (pair {k + 1}): end to end x{ends[-1]:.2f}; per-report stages "
                  f"(partitions wall) x{parts[-1]:.2f}", flush=True)
            comp += pair
        if len(ends) > 1:
            print(f"Dask 2 workers vs 1, median of {len(ends)} pairs: end to end x{statistics.median(ends):.2f} "
                  f"(pairs: {', '.join(f'{x:.2f}' for x in ends)}); per-report stages "
                  f"x{statistics.median(parts):.2f}")
        runs += comp[1:]
    print(f"# load average at end: {os.getloadavg()}")
    if args.json:
        Path(args.json).write_text(json.dumps(runs, indent=2))


if __name__ == "__main__":
    main()
