"""govtext's whole preprocessing against bare ``jieba.lcut`` on the same text.

Usage: python benchmarks/bench_preprocess.py [--mb 10] [--repeat 3]

The raw seed files are repeated (as separate documents) to about ``--mb`` MB. In one process, on
the same documents, medians of ``--repeat`` runs:

- ``jieba.lcut``: bare jieba (HMM on, its default dictionary) on each raw document — the
  baseline a researcher would otherwise write;
- ``govtext``: the whole preprocessing — ``parse_reports`` (decoding is skipped: strings; the
  normalisation with offsets, compilation splitting, script detection), canonical sections
  with the table regions they skip (both caches cleared for every document), narrative
  sentences (tables excluded) and tokenisation of every narrative sentence with
  ``Tokenizer(normalize=False)`` (the text is already normalised), with per-stage timings.

It prints characters per second for both and their ratio, on wall-clock and on CPU time
(``time.process_time``, steadier on a shared machine); each round times jieba and govtext back
to back, and the ratios are medians of the per-round ratios. Goal (issue #4): govtext's whole
pipeline at least 4x faster than bare ``jieba.lcut`` while producing jieba's segmentation
(the rjieba backend gives the same tokens: tests/test_tokenize.py checks it on the seeds).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

import jieba

from govtext import Tokenizer, parse_reports
from govtext.sections import split_sections
from govtext.sentences import sentence_spans

SEEDS = Path(__file__).resolve().parent.parent / "corpora" / "seeds"


def _clear_caches():
    """Sections and table parses are cached per text; the benchmark repeats the seed texts, so
    clear the caches for every document to time real work, not cache hits."""
    import importlib

    # by module name: the package loads its modules lazily, so govtext.tables may not be loaded yet
    importlib.import_module("govtext.sections")._split_cached.cache_clear()
    importlib.import_module("govtext.tables")._parse_text.cache_clear()


def _clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def run_govtext(docs, tok):
    """Whole preprocessing of every document; (wall, cpu) seconds per stage, and the tokens."""
    stages = {"read+normalise": [0.0, 0.0], "sections+tables": [0.0, 0.0], "sentences": [0.0, 0.0],
              "tokenise": [0.0, 0.0]}
    n_tokens = 0

    def add(name, a, b):
        stages[name][0] += b[0] - a[0]
        stages[name][1] += b[1] - a[1]

    for k, doc in enumerate(docs):
        _clear_caches()
        t = _clock()
        corpus = parse_reports(doc, source=f"doc{k}.txt")
        add("read+normalise", t, _clock())
        for r in corpus:
            t = _clock()
            split_sections(r)
            t2 = _clock()
            spans = sentence_spans(r)
            t3 = _clock()
            text = r.text
            for s in spans:
                n_tokens += len(tok.tokenize(text[s[0]:s[1]]))
            t4 = _clock()
            add("sections+tables", t, t2)
            add("sentences", t2, t3)
            add("tokenise", t3, t4)
    return stages, n_tokens


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mb", type=float, default=10.0)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    base = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    size = sum(len(d.encode("utf-8")) for d in base)
    docs = base * max(1, int(args.mb * 1e6 / size))
    n_chars = sum(len(d) for d in docs)
    mb = sum(len(d.encode("utf-8")) for d in docs) / 1e6
    tok = Tokenizer(normalize=False)
    tok.tokenize("预热")  # build the backend outside the timings
    jieba.setLogLevel(60)
    jieba.lcut("预热")
    j_runs, g_runs, g_stages = [], [], []
    for _ in range(args.repeat):  # alternate the two so machine load hits both alike
        t = _clock()
        for d in docs:
            jieba.lcut(d)
        t2 = _clock()
        j_runs.append((t2[0] - t[0], t2[1] - t[1]))
        t = _clock()
        stages, n_tok = run_govtext(docs, tok)
        t2 = _clock()
        g_runs.append((t2[0] - t[0], t2[1] - t[1]))
        g_stages.append(stages)
    med = statistics.median
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{len(docs)} documents, {mb:.1f} MB, {n_chars:,} characters; backend {tok.backend_!r}; "
          f"medians of {args.repeat}; load average {load} on {os.cpu_count()} CPUs")
    print(f"{'':34s} {'wall s':>8s} {'M chars/s':>10s} {'cpu s':>8s} {'M chars/s':>10s}")

    def row(name, runs):
        w, c = med(r[0] for r in runs), med(r[1] for r in runs)
        print(f"{name:34s} {w:8.2f} {n_chars / w / 1e6:10.2f} {c:8.2f} {n_chars / c / 1e6:10.2f}")

    row("bare jieba.lcut", j_runs)
    row("govtext preprocessing (all)", g_runs)
    for name in g_stages[0]:
        row(f"  {name}", [s[name] for s in g_stages])
    ratio_w = med(j[0] / g[0] for j, g in zip(j_runs, g_runs))
    ratio_c = med(j[1] / g[1] for j, g in zip(j_runs, g_runs))
    print(f"ratio (jieba time / govtext time), median of the rounds: {ratio_w:.2f}x wall, {ratio_c:.2f}x cpu "
          f"(goal >= 4x); {n_tok:,} tokens")


if __name__ == "__main__":
    main()
