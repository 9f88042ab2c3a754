"""Live memory timeline of ``govtext.analyze`` (issue #9): the peak of each reuse step.

Runs ``analyze`` on a synthetic corpus (the Parquet file of ``bench_scale.py``, generated on
first use) in this process while a thread samples the resident memory of the process tree
(this process plus its joblib workers) every 0.25 s. The steps of ``ReuseDetector.fit`` are
wrapped to record when each starts and ends, so the script prints, besides the wall time and
the overall peak, the peak of the process tree (and of this process alone) during each step,
and the seconds per stage that ``analyze`` reports. The step figures of ``benchmarks/README.md``
and ``docs/how-to/run-at-scale.md`` (sessions 6 to 13) come from this script.

Usage::

    python benchmarks/bench_timeline.py 10000 --jobs 2
    python benchmarks/bench_timeline.py 100000 --jobs 2     # about 32 minutes on 2 cores

It prints figures and never asserts on them.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_scale import corpus_path  # noqa: E402

STEPS = ("fit", "_pairs", "_clusters", "_label", "_passages", "_edited_copies", "_similarity",
         "_families", "_colleague_measures")


def _rss() -> tuple[int, int]:
    """Resident bytes of the process tree and of this process."""
    import psutil

    me = psutil.Process()
    own = me.memory_info().rss
    total = own
    for p in me.children(recursive=True):
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total, own


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("size", type=int, help="corpus size (reports)")
    ap.add_argument("--jobs", type=int, default=2, help="analyze(n_jobs=...) (default 2)")
    ap.add_argument("--cache", default=os.environ.get("GOVTEXT_BENCH_CACHE",
                                                      Path(tempfile.gettempdir()) / "govtext-bench"),
                    help="directory of the synthetic corpora")
    args = ap.parse_args()
    warnings.simplefilter("ignore")
    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    path = corpus_path(args.size, cache)

    from govtext import reuse
    from govtext.pipeline import analyze

    samples: list[tuple[float, int, int]] = []
    marks: list[tuple[str, float]] = []
    stop = threading.Event()
    t0 = time.perf_counter()

    def sample() -> None:
        while not stop.is_set():
            samples.append((time.perf_counter() - t0, *_rss()))
            stop.wait(0.25)

    def wrap(name: str) -> None:
        real = getattr(reuse.ReuseDetector, name)

        def step(self, *a, **k):
            # a sample at each end too: a step shorter than the sampling period has its own
            samples.append((time.perf_counter() - t0, *_rss()))
            marks.append((name + ">", time.perf_counter() - t0))
            try:
                return real(self, *a, **k)
            finally:
                marks.append((name + "<", time.perf_counter() - t0))
                samples.append((time.perf_counter() - t0, *_rss()))

        setattr(reuse.ReuseDetector, name, step)

    for name in STEPS:
        wrap(name)
    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    res = analyze(path, table={"id": "id"}, n_jobs=args.jobs)
    wall = time.perf_counter() - t0
    stop.set()
    thread.join()
    gib = 2**30
    peak = max(v for _, v, _ in samples)
    print(f"wall {wall:.1f} s  peak {peak / gib:.2f} GiB ({peak / 1e9:.2f} GB)  "
          f"reports {len(res.corpus)}")
    fit0 = next(t for n, t in marks if n == "fit>")
    before = max((v for t, v, _ in samples if t < fit0), default=0)
    print(f"  before reuse.fit: peak {before / gib:.2f} GiB (fit starts at {fit0:.0f} s)")
    opened: dict[str, float] = {}
    for n, t in marks:
        if n.endswith(">"):
            opened[n[:-1]] = t
            continue
        a = opened.pop(n[:-1])
        inside = [(v, own) for s, v, own in samples if a - 0.01 <= s <= t + 0.01]
        print(f"  {n[:-1]:22s} {a:8.1f} -> {t:8.1f} s ({t - a:7.1f} s)  peak "
              f"{max(v for v, _ in inside) / gib:.2f} GiB (main {max(o for _, o in inside) / gib:.2f})")
    print("timings", json.dumps({k: round(v, 1) for k, v in res.timings.items()}))


if __name__ == "__main__":
    main()
