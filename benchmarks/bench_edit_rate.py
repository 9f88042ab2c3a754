"""Benchmark: recall of copied passages as the generator's edit rate grows.

Usage::

    python benchmarks/bench_edit_rate.py                       # 500 reports, rates 0 .. 1
    python benchmarks/bench_edit_rate.py --reports 2000 --figure docs/img/edit_rate.png

For every ``edit_rate`` (the strength of the clause drops and additions and character edits the
generator plants in copied passages; recycled passages get half of it) a synthetic corpus of
``--reports`` reports is drawn with ``make_synthetic_corpus(n, random_state=0,
edit_rate=rate)`` and :class:`govtext.ReuseDetector` is fitted with its default parameters.
The script prints, per rate, the PAN character-level precision, recall and plagdet of the
``copied`` and ``recycled`` labels, and the mean planted edit rate of the copied passages
(:func:`govtext.evaluate.reuse`), and draws recall against the rate (``--figure``).

Nothing here asserts; the figure in ``docs/img/edit_rate.png`` is this script's output.
"""

from __future__ import annotations

import argparse
import sys
import time

import pandas as pd

from govtext.datasets import make_synthetic_corpus
from govtext.evaluate import reuse
from govtext.reuse import ReuseDetector

LABELS = ("template", "copied", "recycled", "own")


def run(n: int, rates: list[float]) -> pd.DataFrame:
    rows = []
    for rate in rates:
        corpus, truth = make_synthetic_corpus(n, random_state=0, edit_rate=rate)
        t = time.perf_counter()
        det = ReuseDetector(measures=False).fit(corpus)
        fit_s = time.perf_counter() - t
        s = reuse(det.to_detections(include_own=True), truth, labels=LABELS).scores
        s = s.set_index("label")
        cop = truth[(truth["layer"] == "reuse") & (truth["label"] == "copied")]
        row = {"edit_rate": rate, "planted_copied_edit": round(float(cop["edit_rate"].mean()), 3),
               "fit_s": round(fit_s, 1)}
        for lab in ("copied", "recycled"):
            for k in ("precision", "recall", "plagdet"):
                row[f"{lab}_{k}"] = round(float(s.loc[lab, k]), 4)
        rows.append(row)
        print(pd.DataFrame([row]).to_string(index=False, header=len(rows) == 1), flush=True)
    return pd.DataFrame(rows)


def figure(table: pd.DataFrame, path: str, n: int) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3.6), dpi=120)
    for lab, style in (("copied", "o-"), ("recycled", "s--")):
        ax.plot(table["edit_rate"], table[f"{lab}_recall"], style, label=f"{lab}: recall")
        ax.plot(table["edit_rate"], table[f"{lab}_precision"], style, alpha=0.35,
                label=f"{lab}: precision")
    ax.set_xlabel("generator edit_rate (clause drops/additions, character edits)")
    ax.set_ylabel("character-level score")
    ax.set_ylim(0, 1.02)
    ax.grid(alpha=0.3)
    ax.set_title(f"ReuseDetector defaults, {n} synthetic reports per point")
    ax.legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    fig.savefig(path, metadata={"Software": None})
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reports", type=int, default=500)
    ap.add_argument("--rates", type=float, nargs="+", default=[0.0, 0.25, 0.5, 0.75, 1.0])
    ap.add_argument("--figure", help="write recall vs edit rate to this PNG")
    args = ap.parse_args(argv)
    table = run(args.reports, args.rates)
    if args.figure:
        figure(table, args.figure, args.reports)
    return 0


if __name__ == "__main__":
    sys.exit(main())
