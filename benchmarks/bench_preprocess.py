"""govtext's whole preprocessing against bare ``jieba.lcut`` on the same text.

Usage: python benchmarks/bench_preprocess.py [--mb 10] [--repeat 3]

The raw seed files are repeated (as separate documents) to about ``--mb`` MB. In one process, on
the same documents, medians of ``--repeat`` runs:

- ``jieba.lcut``: bare jieba (HMM on, its default dictionary) on each raw document — the
  baseline a researcher would otherwise write;
- ``govtext``: the whole preprocessing — ``parse_reports`` (decoding is skipped: strings; the
  normalisation with offsets, compilation splitting, script detection), canonical sections,
  narrative sentences (tables excluded) and tokenisation of every narrative sentence with
  ``Tokenizer(normalize=False)`` (the text is already normalised), with per-stage timings.

It prints characters per second for both and their ratio. Goal (issue #4): govtext's whole
pipeline at least 4x faster than bare ``jieba.lcut`` while producing jieba's segmentation
(the rjieba backend gives the same tokens: tests/test_tokenize.py checks it on the seeds).
"""

from __future__ import annotations

import argparse
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
    import sys

    sys.modules["govtext.sections"]._split_cached.cache_clear()
    sys.modules["govtext.tables"]._parse_text.cache_clear()


def run_govtext(docs, tok):
    stages = {"read+normalise": 0.0, "sections": 0.0, "sentences": 0.0, "tokenise": 0.0}
    n_tokens = 0
    for k, doc in enumerate(docs):
        _clear_caches()
        t = time.perf_counter()
        corpus = parse_reports(doc, source=f"doc{k}.txt")
        t2 = time.perf_counter()
        stages["read+normalise"] += t2 - t
        for r in corpus:
            t = time.perf_counter()
            split_sections(r)
            t2 = time.perf_counter()
            spans = sentence_spans(r)
            t3 = time.perf_counter()
            text = r.text
            for s in spans:
                n_tokens += len(tok.tokenize(text[s[0]:s[1]]))
            t4 = time.perf_counter()
            stages["sections"] += t2 - t
            stages["sentences"] += t3 - t2
            stages["tokenise"] += t4 - t3
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
        t = time.perf_counter()
        for d in docs:
            jieba.lcut(d)
        j_runs.append(time.perf_counter() - t)
        t = time.perf_counter()
        stages, n_tok = run_govtext(docs, tok)
        g_runs.append(time.perf_counter() - t)
        g_stages.append(stages)
    j, g = statistics.median(j_runs), statistics.median(g_runs)
    print(f"{len(docs)} documents, {mb:.1f} MB, {n_chars:,} characters; backend {tok.backend_!r}; medians of {args.repeat}")
    print(f"{'bare jieba.lcut':34s} {j:8.2f} s {n_chars / j / 1e6:6.2f} M chars/s")
    print(f"{'govtext preprocessing (all)':34s} {g:8.2f} s {n_chars / g / 1e6:6.2f} M chars/s")
    for name in g_stages[0]:
        sec = statistics.median(s[name] for s in g_stages)
        print(f"  {name:32s} {sec:8.2f} s {n_chars / sec / 1e6:6.2f} M chars/s")
    print(f"ratio (jieba time / govtext time): {j / g:.2f}x  (goal >= 4x); {n_tok:,} tokens")


if __name__ == "__main__":
    main()
