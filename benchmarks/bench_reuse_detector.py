"""Benchmark: govtext.ReuseDetector on synthetic corpora with planted reuse.

Usage::

    python benchmarks/bench_reuse_detector.py                  # 500 and 2,000 reports + recall check
    python benchmarks/bench_reuse_detector.py --quick          # 200 reports, no recall check
    python benchmarks/bench_reuse_detector.py --sizes 2000 --recall-reports 3000 --json out.json

What it measures (one process; every corpus from ``make_synthetic_corpus(n, random_state=0)``):

1. **Quality against the planted truth**, per corpus size and detector configuration, with
   :func:`govtext.evaluate.reuse` on ``ReuseDetector.to_detections(include_own=True)``:
   PAN character-level precision, recall, granularity and plagdet per label (``template``,
   ``copied``, ``recycled``, ``own``), the same with ``match_source=True`` (a copied/recycled
   detection counts only if it names the planted source report), the mean absolute error of the
   per-report boilerplate (template) share, and the share of narrative characters whose label
   is right (the confusion matrix's diagonal). Issue #7's goals for the 2,000-report corpus:
   plagdet >= 0.9 for copied and recycled, boilerplate MAE <= 2 pp, labels right for >= 95 % of
   the characters.

   Configurations: ``default`` (the detector's defaults: threshold 0.5, the cohort rule of
   year × era × level at share 0.5 and the spread rule over 3 unrelated agencies) and
   ``synthetic`` (cohort = era, template share 0.005: the cohort rule tuned to the generator's
   per-province template pools, the configuration measured before the spread rule existed).
2. **Speed**: units (sentences) per second of ``fit`` and the time of each stage (``stats_``).
3. **Pair recall at scale** (``--recall-reports``, default 3,000 reports, > 100,000 sentences):
   the verified unit pairs of ``method="lsh"`` against ``method="exact"`` (the prefix-filtered
   all-pairs join): recall of all pairs with Jaccard >= threshold, and precision (1.0 by
   construction: every LSH pair is verified). The corpus is generated with ``as_texts=True``
   and parsed with :func:`govtext.parse_reports` (normalisation dominates generation).

Nothing here asserts; timings are wall-clock on whatever machine runs it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time

import numpy as np
import pandas as pd

import govtext
from govtext.datasets import make_synthetic_corpus
from govtext.evaluate import reuse
from govtext.records import Corpus
from govtext.reuse import ReuseDetector

LABELS = ("template", "copied", "recycled", "own")
CONFIGS = {
    "default": {},
    "synthetic": {"cohort": ("era",), "template_share": 0.005, "template_min_reports": 3},
}
GOALS = {"plagdet_copied": 0.9, "plagdet_recycled": 0.9, "boilerplate_mae": 0.02,
         "label_accuracy": 0.95}


def evaluate(det: ReuseDetector, truth: pd.DataFrame) -> dict:
    det_frame = det.to_detections(include_own=True)
    s = reuse(det_frame, truth, labels=LABELS)
    src = reuse(det_frame, truth, labels=("copied", "recycled"), match_source=True)
    conf = s.confusion
    diag = sum(int(conf.loc[x, x]) for x in LABELS if x in conf.columns)
    total = int(conf.loc[list(LABELS)].to_numpy().sum())
    out = {"labels": {}, "match_source": {}}
    for row in s.scores.itertuples(index=False):
        out["labels"][row.label] = {k: round(float(getattr(row, k)), 4) for k in
                                    ("precision", "recall", "granularity", "plagdet")}
    for row in src.scores.itertuples(index=False):
        out["match_source"][row.label] = {k: round(float(getattr(row, k)), 4) for k in
                                          ("precision", "recall", "plagdet")}
    out["boilerplate_mae"] = round(float(s.boilerplate_mae), 4)
    out["label_accuracy"] = round(diag / total, 4) if total else float("nan")
    out["confusion"] = conf.to_dict()
    return out


def run_quality(n: int, configs: list[str]) -> dict:
    t = time.perf_counter()
    corpus, truth = make_synthetic_corpus(n, random_state=0)
    gen = time.perf_counter() - t
    print(f"\n== {n} synthetic reports (generated and normalised in {gen:.1f} s)")
    res = {"n_reports": n, "generate_s": round(gen, 1), "configs": {}}
    for name in configs:
        det = ReuseDetector(measures=False, **CONFIGS[name])
        t = time.perf_counter()
        det.fit(corpus)
        fit_s = time.perf_counter() - t
        ev = evaluate(det, truth)
        n_units = det.stats_["n_units"]
        ev.update(fit_s=round(fit_s, 1), n_units=n_units, units_per_s=round(n_units / fit_s),
                  timings={k: round(v, 2) for k, v in det.stats_["timings"].items()},
                  n_pairs=det.stats_["n_pairs"], n_passages=det.stats_["n_passages"],
                  n_related_pairs=det.stats_["n_related_pairs"],
                  n_anchor_pairs=det.stats_["n_anchor_pairs"])
        res["configs"][name] = ev
        print(f"-- config {name!r} {CONFIGS[name]}: fit {fit_s:.1f} s, {n_units} units, "
              f"{ev['units_per_s']} units/s; stages {ev['timings']}")
        table = pd.DataFrame(ev["labels"]).T
        table["plagdet (source)"] = [ev["match_source"].get(k, {}).get("plagdet", np.nan)
                                     for k in table.index]
        print(table.to_string())
        print(f"boilerplate-share MAE {ev['boilerplate_mae']:.4f}   "
              f"character label accuracy {ev['label_accuracy']:.4f}")
        print(pd.DataFrame(ev["confusion"]).to_string())
    return res


def run_recall(n: int, threshold: float) -> dict:
    t = time.perf_counter()
    texts, _ = make_synthetic_corpus(n, random_state=0, as_texts=True)
    reports = [govtext.parse_reports(raw, source="synthetic", id=rid)[0] for rid, raw in texts]
    corpus = Corpus(reports)
    build = time.perf_counter() - t
    kw = {"measures": False, "fragments": False, "max_anchor_reports": 2,
          "similarity_max_reports": 0, "similarity_floor": 1.0, "threshold": threshold}
    out = {"n_reports": n, "build_s": round(build, 1), "threshold": threshold}
    frames = {}
    for method in ("exact", "lsh"):
        det = ReuseDetector(method=method, **kw)
        t = time.perf_counter()
        det.fit(corpus)
        out[f"{method}_fit_s"] = round(time.perf_counter() - t, 1)
        out[f"{method}_pairs_s"] = round(det.stats_["timings"]["pairs"], 2)
        frames[method] = det.pairs_
        out["n_units"] = det.stats_["n_units"]
        out["n_matchable"] = det.stats_["n_matchable"]
        if method == "lsh":
            out["lsh_bands_rows"] = [det.stats_.get("pairs_bands"), det.stats_.get("pairs_rows")]
            out["lsh_candidates"] = det.stats_.get("pairs_n_candidates")
    ke = frames["exact"].unit_a.to_numpy() * 10**7 + frames["exact"].unit_b.to_numpy()
    kl = frames["lsh"].unit_a.to_numpy() * 10**7 + frames["lsh"].unit_b.to_numpy()
    out["n_exact_pairs"] = int(ke.size)
    out["n_lsh_pairs"] = int(kl.size)
    out["recall"] = round(float(np.isin(ke, kl).mean()) if ke.size else 1.0, 4)
    out["precision"] = round(float(np.isin(kl, ke).mean()) if kl.size else 1.0, 4)
    print(f"\n== pair recall: {n} reports, {out['n_units']} units ({out['n_matchable']} "
          f"matched), J >= {threshold} (built in {build:.1f} s)")
    print(f"exact: {out['n_exact_pairs']} pairs, pairs stage {out['exact_pairs_s']} s; "
          f"lsh: {out['n_lsh_pairs']} pairs, pairs stage {out['lsh_pairs_s']} s, "
          f"bands x rows {out['lsh_bands_rows']}")
    print(f"recall {out['recall']:.4f}   precision {out['precision']:.4f}")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[500, 2000])
    ap.add_argument("--configs", nargs="+", default=list(CONFIGS), choices=list(CONFIGS))
    ap.add_argument("--recall-reports", type=int, default=3000,
                    help="reports for the LSH-vs-exact pair recall check (0: skip)")
    ap.add_argument("--threshold", type=float, default=0.6)
    ap.add_argument("--quick", action="store_true", help="200 reports, no recall check")
    ap.add_argument("--json", help="write the results to this file")
    args = ap.parse_args(argv)
    if args.quick:
        args.sizes, args.recall_reports = [200], 0
    print(f"govtext {govtext.__version__}, Python {platform.python_version()}, "
          f"{platform.machine()}, {os.cpu_count()} CPUs")
    results = {"quality": [run_quality(n, args.configs) for n in args.sizes]}
    if args.recall_reports:
        results["recall"] = run_recall(args.recall_reports, args.threshold)
    big = max(results["quality"], key=lambda r: r["n_reports"])
    print(f"\n== issue #7 goals on {big['n_reports']} reports")
    for name, ev in big["configs"].items():
        got = {"plagdet_copied": ev["labels"]["copied"]["plagdet"],
               "plagdet_recycled": ev["labels"]["recycled"]["plagdet"],
               "boilerplate_mae": ev["boilerplate_mae"], "label_accuracy": ev["label_accuracy"]}
        print(f"{name:>10}: " + ", ".join(f"{k} {v:.3f} (goal {GOALS[k]})" for k, v in got.items()))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(results, fh, ensure_ascii=False, indent=1, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
