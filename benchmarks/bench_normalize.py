"""Normalisation throughput against bare OpenCC t2s on the same text.

Usage: python benchmarks/bench_normalize.py [--mb 20] [--repeat 3]

Builds one text from the raw seed files repeated to about ``--mb`` MB, then times (one process,
same text, medians of ``--repeat`` runs):

- ``opencc t2s``: the stock OpenCC t2s converter on the whole text (the baseline);
- ``normalize_text``: govtext's whole normalisation (controls, widths, t2s + 著 fix, debris,
  spaces, whitespace) as a plain string;
- ``normalize``: the same with the per-character offset map and removal log.

It also times a per-report run (each seed report normalised separately, as read_reports does).
The goal (issue #2): our whole normalisation costs no more than 3x a bare OpenCC conversion.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import opencc

from govtext.normalize import normalize, normalize_text

SEEDS = Path(__file__).resolve().parent.parent / "corpora" / "seeds"


def _time(fn, arg, repeat):
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn(arg)
        runs.append(time.perf_counter() - t)
    return statistics.median(runs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mb", type=float, default=20.0)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    base = "\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    reps = max(1, int(args.mb * 1e6 / len(base.encode("utf-8"))))
    text = "\n".join([base] * reps)
    mb = len(text.encode("utf-8")) / 1e6
    cc = opencc.OpenCC("t2s")
    normalize_text("预热 warm-up")  # build converters outside the timings
    rows = [
        ("opencc t2s (baseline)", _time(cc.convert, text, args.repeat)),
        ("govtext normalize_text", _time(normalize_text, text, args.repeat)),
        ("govtext normalize (+offsets)", _time(normalize, text, args.repeat)),
    ]
    print(f"text: {mb:.1f} MB ({len(text):,} chars), seeds x{reps}; medians of {args.repeat} runs")
    print(f"{'':32s} {'seconds':>8s} {'MB/s':>8s} {'x opencc':>9s}")
    for name, sec in rows:
        print(f"{name:32s} {sec:8.3f} {mb / sec:8.1f} {sec / rows[0][1]:9.2f}")
    # per document, as read_reports does
    docs = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))] * max(1, reps // 2)
    dmb = sum(len(d.encode("utf-8")) for d in docs) / 1e6
    t_cc = _time(lambda ds: [cc.convert(d) for d in ds], docs, args.repeat)
    t_n = _time(lambda ds: [normalize(d) for d in ds], docs, args.repeat)
    print(f"per document ({len(docs)} docs, {dmb:.1f} MB): opencc {dmb / t_cc:.1f} MB/s, "
          f"normalize {dmb / t_n:.1f} MB/s, ratio {t_n / t_cc:.2f}")


if __name__ == "__main__":
    main()
