"""Normalisation throughput against bare OpenCC t2s on the same text.

Usage: python benchmarks/bench_normalize.py [--mb 20] [--repeat 5] [--patho-mb 20]

Goal (issue #2): our whole normalisation costs no more than 3x a bare OpenCC conversion of the
same text. Three workloads, each timed in rounds that run OpenCC and govtext back to back on the
same input, so that every ratio compares runs made under the same machine load; the tables
give medians over ``--repeat`` rounds, of the times and of the per-round ratios:

- **whole text**: the raw seed files joined and repeated to about ``--mb`` MB, one call;
- **per document**: each raw seed file normalised by its own call, as ``read_reports`` does
  (the results are kept, as ``read_reports`` keeps its reports);
- **pathological inputs** (``--patho-mb`` MB each): 10^6-character pipe runs, a single line
  of ``--patho-mb`` MB, long runs of spaces, ``字号`` followed by many spaces, many header labels.
  Their time per MB shows that the cost stays linear; the worst one is printed.

``opencc t2s`` is the stock converter (``opencc.OpenCC("t2s")``); ``normalize_text`` is the
whole normalisation as a plain string; ``normalize`` adds the per-character offsets, the removal
log, the header values and the warnings. Wall-clock ratios move with the load of a shared
machine; the CPU-time ratios (``time.process_time``) are steadier.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

import opencc

from govtext.normalize import normalize, normalize_text

SEEDS = Path(__file__).resolve().parent.parent / "corpora" / "seeds"


def _rounds(fns: dict, arg, repeat: int) -> dict[str, list[tuple[float, float]]]:
    """Run every function once per round, in turn; (wall, cpu) seconds per run."""
    out: dict[str, list[tuple[float, float]]] = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            w, c = time.perf_counter(), time.process_time()
            result = fn(arg)
            out[name].append((time.perf_counter() - w, time.process_time() - c))
            del result
    return out


def _table(title: str, mb: float, runs: dict[str, list[tuple[float, float]]]) -> None:
    base = runs["opencc t2s (baseline)"]
    print(title)
    print(f"  {'':30s} {'seconds':>8s} {'MB/s':>7s} {'x opencc (wall)':>16s} {'x opencc (cpu)':>15s}")
    for name, r in runs.items():
        wall = statistics.median(w for w, _ in r)
        ratio_w = statistics.median(w / b for (w, _), (b, _) in zip(r, base))
        ratio_c = statistics.median(c / b for (_, c), (_, b) in zip(r, base))
        print(f"  {name:30s} {wall:8.3f} {mb / wall:7.1f} {ratio_w:16.2f} {ratio_c:15.2f}")


def _pathological(mb: float) -> dict[str, str]:
    n = int(mb * 1e6)
    line = "一、总体情况 2023 年 本镇主动公开 | 点击数 打印 来源: 索引号 文号:"
    return {
        "10^6-pipe runs": ("|" * 1_000_000 + "\n正文 |\n") * max(1, n // 1_000_008),
        f"one {mb:g} MB line": line * max(1, n // len(line.encode())),
        "long runs of spaces": ("中" + " " * 1_000_000 + "文\n") * max(1, n // 1_000_007),
        "字号 + many spaces": ("字号" + " " * 100_000 + "大 中 小\n") * max(1, n // 100_016),
        "many header labels": ("- 索 引 号: 0001/2021 发布机构: 峰市镇 有 效 性: 有效\n") * max(1, n // 68),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mb", type=float, default=20.0, help="size of the whole text (MB)")
    ap.add_argument("--repeat", type=int, default=5, help="rounds per workload")
    ap.add_argument("--patho-mb", type=float, default=20.0,
                    help="size of each pathological input (MB; 0 skips them)")
    args = ap.parse_args()
    files = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    base = "\n".join(files)
    reps = max(1, int(args.mb * 1e6 / len(base.encode("utf-8"))))
    text = "\n".join([base] * reps)
    mb = len(text.encode("utf-8")) / 1e6
    cc = opencc.OpenCC("t2s")
    normalize("预热 warm-up")  # build converters outside the timings
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"load average {load} on {os.cpu_count()} CPUs; medians of {args.repeat} rounds\n")
    fns = {
        "opencc t2s (baseline)": cc.convert,
        "govtext normalize_text": normalize_text,
        "govtext normalize (+offsets)": normalize,
    }
    _table(f"whole text: {mb:.1f} MB ({len(text):,} chars), seeds x{reps}", mb, _rounds(fns, text, args.repeat))

    docs = files * max(1, reps // 2)
    dmb = sum(len(d.encode("utf-8")) for d in docs) / 1e6
    per_doc = {name: (lambda ds, fn=fn: [fn(d) for d in ds]) for name, fn in fns.items()}
    _table(f"\nper document: {len(docs)} docs ({len(files)} seed files), {dmb:.1f} MB", dmb,
           _rounds(per_doc, docs, args.repeat))

    if args.patho_mb <= 0:
        return
    print(f"\npathological inputs ({args.patho_mb:g} MB each), normalize:")
    worst = ("", 0.0)
    for name, t in _pathological(args.patho_mb).items():
        size = len(t.encode("utf-8")) / 1e6
        c = time.process_time()
        normalize(t)
        per_mb = (time.process_time() - c) / size
        worst = max(worst, (name, per_mb), key=lambda x: x[1])
        print(f"  {name:24s} {size:6.1f} MB  {per_mb:6.3f} s/MB (cpu)")
    print(f"  worst: {worst[0]}, {worst[1]:.3f} s/MB")


if __name__ == "__main__":
    main()
