"""Generation speed of the synthetic corpus (issue #7: 100,000 reports in minutes).

Usage: python benchmarks/bench_synth.py [--sizes 1000 10000] [--corpus-size 500] [--full 100000]

Times, in one process:

- ``as_texts=True`` (raw texts plus truth; what the scale benchmarks use) at each of ``--sizes``;
- ``as_texts=False`` (a full ``Corpus``: every report normalised, truth mapped to ``text``
  offsets) at ``--corpus-size``, to show what normalisation adds;
- optionally one ``as_texts=True`` run of ``--full`` reports (otherwise it is extrapolated
  from the largest size, which is fair: generation is linear in the number of reports).

Wall-clock and CPU seconds are both printed: on a shared machine the CPU figure is the stable
one. Peak resident memory is the process's high-water mark so far (Linux ``ru_maxrss``).
"""

from __future__ import annotations

import argparse
import os
import resource
import time

from govtext.datasets import make_synthetic_corpus


def _run(n: int, *, as_texts: bool) -> dict:
    w, c = time.perf_counter(), time.process_time()
    corpus, truth = make_synthetic_corpus(n, random_state=0, as_texts=as_texts)
    wall, cpu = time.perf_counter() - w, time.process_time() - c
    raws = [raw for _, raw in corpus] if as_texts else [r.raw for r in corpus]
    return {"n": n, "wall": wall, "cpu": cpu, "chars": sum(map(len, raws)), "rows": len(truth),
            "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _print(label: str, r: dict) -> None:
    print(f"{label:24s} {r['n']:>8,d} {r['wall']:9.2f} {r['cpu']:9.2f} {r['n'] / r['wall']:10,.0f} "
          f"{r['n'] / r['cpu']:10,.0f} {r['chars'] / r['n']:9,.0f} {r['rows']:>10,d} {r['rss_mb']:8,.0f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--corpus-size", type=int, default=500)
    ap.add_argument("--full", type=int, default=0, help="also run this many reports (e.g. 100000)")
    args = ap.parse_args()
    make_synthetic_corpus(3, as_texts=False)  # load resources and OpenCC outside the timings
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"{'mode':24s} {'reports':>8s} {'wall s':>9s} {'cpu s':>9s} {'rep/s':>10s} {'rep/cpu-s':>10s} "
          f"{'chars/rep':>9s} {'truth rows':>10s} {'peak MB':>8s}")
    results = [_run(n, as_texts=True) for n in args.sizes]
    for r in results:
        _print("as_texts=True", r)
    if args.corpus_size:
        _print("Corpus (normalised)", _run(args.corpus_size, as_texts=False))
    if args.full:
        _print("as_texts=True", _run(args.full, as_texts=True))
    else:
        big = results[-1]
        print(f"\nextrapolated 100,000 reports (as_texts=True): {100_000 * big['wall'] / big['n']:.0f} s wall, "
              f"{100_000 * big['cpu'] / big['n']:.0f} s CPU")


if __name__ == "__main__":
    main()
