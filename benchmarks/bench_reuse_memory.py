"""Seconds and resident memory of each step of ``ReuseDetector.fit`` (issue #9).

Reads the first N reports of the synthetic corpus that ``bench_scale.py`` caches (generated on
first use), computes their sections, then fits a default ``ReuseDetector`` while a thread
samples the resident memory every 0.05 s. For each private step of the fit it prints the
seconds and the resident memory before, at the peak during, and after the step (GiB). Figures
only; nothing is asserted.

Usage::

    python benchmarks/bench_reuse_memory.py 10000
"""

from __future__ import annotations

import gc
import sys
import tempfile
import threading
import time
from pathlib import Path

STEPS = ("_units", "_pairs", "_clusters", "_label", "_passages", "_coverage", "_report_scores",
         "_similarity", "_families", "_colleague_measures", "_unit_frame", "_group_pair_frame",
         "_pair_frame")


def main() -> None:
    import psutil

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_scale import corpus_path

    import govtext.reuse as reuse
    from govtext import read_table

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    path = corpus_path(max(n, 1000), Path(tempfile.gettempdir()) / "govtext-bench")
    corpus = []
    for r in read_table(path, text="text", id="id"):
        corpus.append(r)
        if len(corpus) >= n:
            break
    for r in corpus:
        _ = r.sections
    proc = psutil.Process()
    peak = [0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], proc.memory_info().rss)
            stop.wait(0.05)

    threading.Thread(target=sample, daemon=True).start()
    gc.collect()
    print(f"# {len(corpus):,} reports read; resident {proc.memory_info().rss / 2**30:.2f} GiB")
    print(f"{'step':<22} {'seconds':>8} {'before':>7} {'peak':>7} {'after':>7}  (GiB)")
    det_cls = reuse.ReuseDetector
    for name in STEPS:
        raw = det_cls.__dict__[name]
        is_static = isinstance(raw, staticmethod)
        fn = raw.__func__ if is_static else raw

        def wrap(*a, _fn=fn, _name=name, **k):
            before = proc.memory_info().rss
            peak[0] = before
            t = time.perf_counter()
            out = _fn(*a, **k)
            print(f"{_name:<22} {time.perf_counter() - t:8.1f} {before / 2**30:7.2f} "
                  f"{peak[0] / 2**30:7.2f} {proc.memory_info().rss / 2**30:7.2f}", flush=True)
            return out

        setattr(det_cls, name, staticmethod(wrap) if is_static else wrap)
    det = det_cls().fit(corpus)
    stop.set()
    print(f"# pairs_ {len(det.pairs_):,} rows; units_ {len(det.units_):,}; "
          f"passages_ {len(det.passages_):,}; similarity_ {len(det.similarity_):,}")


if __name__ == "__main__":
    main()
