"""Benchmark: govtext's reuse engine vs datasketch, both checked against exact all-pairs.

Usage::

    python benchmarks/bench_reuse.py                 # 100,000 sentences, t = 0.8, 0.6, 0.5
    python benchmarks/bench_reuse.py --quick         # 10,000 sentences, t = 0.8 (smoke test)
    python benchmarks/bench_reuse.py -n 20000 --thresholds 0.8 --repeats 1 --json out.json

What it does (one process, one fixed-seed corpus):

1. **Corpus.** The seed reports (``corpora/seeds/*.txt``, converted with OpenCC ``t2s``) are
   split into sentences (``。；;!?！？`` and line ends) and clauses (``，,、：:``). Sentences are
   drawn as *originals* (a seed sentence, or 2-6 random clauses recombined) and *families* of
   near-duplicates made with controlled random edits: character substitutions, insertions and
   deletions (0-8 per variant), number changes, clause drops, additions and replacements, some
   chained (a variant of a variant). A few boilerplate sentences are repeated verbatim. The
   order is shuffled. Everything comes from ``numpy.random.default_rng(seed)``.
2. **Shingles.** govtext: :func:`govtext._shingles.shingle_texts` (character 5-grams, digits
   masked, alphanumerics only). datasketch gets the *same* shingles as UTF-8 byte strings, made
   the way a datasketch user would (regex digit masking, ``str.isalnum`` filter, set of
   5-gram substrings); the script checks that every sentence has the same number of distinct
   shingles on both sides.
3. **Ground truth.** :func:`govtext._allpairs.all_pairs` (exact prefix-filtered join): every
   pair with Jaccard ``>= t``.
4. **govtext**: shingling + MinHash (128 permutations) + LSH with recall-constrained
   ``(bands, rows)`` + exact verification (:func:`govtext._lsh.lsh_pairs`).
   **datasketch 2.x**: shingling + ``MinHash.bulk`` (same ``num_perm``) + ``MinHashLSH``
   (default optimal parameters for ``t``) ``insertion_session`` + ``query`` of every sentence +
   filtering candidates by estimated Jaccard ``>= t``.
   Each side runs ``--repeats`` times (default 3) and medians are reported.
5. **Memory**: one extra run per side under ``tracemalloc``: the peak of traced memory above
   the baseline while the index is built and queried (datasketch: ``MinHashLSH`` insert + query
   with the ``LeanMinHash`` objects already made; govtext: band keys + candidate generation +
   verification with the signature matrix already made).

Timings are wall-clock on whatever machine runs this; nothing here asserts on them.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import re
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SEED_DIR = ROOT / "corpora" / "seeds"

_SENT_SPLIT = re.compile(r"[。；;!?！？\n]+")
_CLAUSE_SPLIT = re.compile(r"[，,、：:]+")
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_PLACEHOLDER = "\ue000"  # stands for a masked digit run on the datasketch side


# ------------------------------------------------------------------------------------------
# corpus
# ------------------------------------------------------------------------------------------
def seed_sentences(seed_dir: Path = SEED_DIR) -> list[str]:
    """Simplified-script sentences of the seed reports (deduplicated, >= 8 chars, >= 4 Han)."""
    import opencc

    cc = opencc.OpenCC("t2s")
    out: list[str] = []
    seen: set[str] = set()
    for path in sorted(Path(seed_dir).glob("*.txt")):
        text = cc.convert(path.read_text(encoding="utf-8"))
        text = re.sub(r"\|+", "\n", text)
        for s in _SENT_SPLIT.split(text):
            s = re.sub(r"\s+", "", s)
            if len(s) >= 8 and len(_HAN.findall(s)) >= 4 and s not in seen:
                seen.add(s)
                out.append(s)
    return out


def _clauses(sentences: Sequence[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for s in sentences:
        for c in _CLAUSE_SPLIT.split(s):
            if len(c) >= 4 and len(_HAN.findall(c)) >= 3 and c not in seen:
                seen.add(c)
                out.append(c)
    return out


class _Generator:
    def __init__(self, sentences: list[str], rng: np.random.Generator) -> None:
        self.sentences = sentences
        self.clauses = _clauses(sentences)
        self.chars = sorted({ch for s in sentences for ch in s if _HAN.match(ch)})
        self.rng = rng

    def _clause(self) -> str:
        return self.clauses[int(self.rng.integers(len(self.clauses)))]

    def original(self) -> str:
        rng = self.rng
        if rng.random() < 0.02:
            return self.sentences[int(rng.integers(len(self.sentences)))]
        k = int(rng.integers(2, 7))
        s = "，".join(self._clause() for _ in range(k)) + "。"
        if rng.random() < 0.3:  # a fill-in number
            pos = int(rng.integers(len(s)))
            s = s[:pos] + str(int(rng.integers(1, 2000))) + s[pos:]
        return s

    def variant(self, s: str) -> str:
        rng = self.rng
        if rng.random() < 0.25 and _DIGITS.search(s):  # number change (masked: same shingles)
            s = _DIGITS.sub(lambda m: str(int(rng.integers(0, 5000))), s, count=1)
        clauses = s.rstrip("。").split("，")
        u = rng.random()
        if u < 0.12 and len(clauses) > 2:  # clause drop
            del clauses[int(rng.integers(len(clauses)))]
        elif u < 0.22:  # clause added
            clauses.insert(int(rng.integers(len(clauses) + 1)), self._clause())
        elif u < 0.30:  # clause replaced
            clauses[int(rng.integers(len(clauses)))] = self._clause()
        s = "，".join(clauses) + "。"
        n_edits = int(rng.choice([0, 1, 1, 1, 2, 2, 3, 4, 6, 8]))
        chars = list(s)
        for _ in range(n_edits):
            op = rng.random()
            pos = int(rng.integers(len(chars)))
            ch = self.chars[int(rng.integers(len(self.chars)))]
            if op < 0.5:
                chars[pos] = ch
            elif op < 0.75:
                chars.insert(pos, ch)
            elif len(chars) > 6:
                del chars[pos]
        return "".join(chars)


def make_corpus(n_sentences: int, *, seed: int = 0, seed_dir: Path = SEED_DIR) -> list[str]:
    """A deterministic corpus of ``n_sentences`` report-like sentences with planted reuse.

    About 45% of the sentences are singletons; the rest come in families (an original and
    1-12 edited variants, some chained); 0.5% are verbatim copies of 40 boilerplate sentences.
    """
    rng = np.random.default_rng(seed)
    sents = seed_sentences(seed_dir)
    gen = _Generator(sents, rng)
    boiler = [sents[int(k)] for k in rng.choice(len(sents), size=min(40, len(sents)),
                                                 replace=False)]
    out: list[str] = []
    while len(out) < n_sentences:
        if rng.random() < 0.005:
            out.append(boiler[int(rng.integers(len(boiler)))])
            continue
        orig = gen.original()
        family = [orig]
        if rng.random() < 0.45:
            k = min(1 + int(rng.geometric(0.45)), 12)
            for _ in range(k):
                parent = family[int(rng.integers(len(family)))] if rng.random() < 0.3 else orig
                family.append(gen.variant(parent))
        out.extend(family)
    out = out[:n_sentences]
    order = rng.permutation(len(out))
    return [out[k] for k in order]


# ------------------------------------------------------------------------------------------
# the two pipelines
# ------------------------------------------------------------------------------------------
def py_shingles(text: str, n: int = 5) -> list[bytes]:
    """The same shingles as ``shingle_texts(..., mask_digits=True, alnum_only=True)``, as bytes."""
    t = _DIGITS.sub(_PLACEHOLDER, text)
    t = "".join(c for c in t if c.isalnum() or c == _PLACEHOLDER)
    if not t:
        return []
    if len(t) < n:
        return [t.encode("utf-8")]
    return list({t[k : k + n].encode("utf-8") for k in range(len(t) - n + 1)})


def run_govtext(texts: list[str], threshold: float, num_perm: int, *,
                memory: bool = False) -> dict:
    from govtext._lsh import lsh_pairs
    from govtext._minhash import group_duplicates, minhash_signatures
    from govtext._shingles import shingle_texts

    t0 = time.perf_counter()
    sets = shingle_texts(texts)
    t1 = time.perf_counter()
    if not memory:
        pairs = lsh_pairs(sets, threshold=threshold, num_perm=num_perm)
        t2 = time.perf_counter()
        return {"seconds": t2 - t0, "shingle_s": t1 - t0, "pairs_s": t2 - t1,
                "keys": pairs.keys(len(texts)), "stats": dict(pairs.stats)}
    # memory run: signatures of the distinct sets first, then trace the index phase
    groups = group_duplicates(sets)
    sig_all = np.zeros((len(texts), num_perm), dtype=np.uint32)
    sig_all[groups.reps] = minhash_signatures(sets.take(groups.reps), num_perm=num_perm)
    del groups
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    pairs = lsh_pairs(sets, threshold=threshold, num_perm=num_perm, signatures=sig_all)
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    return {"index_peak_mb": peak / 2**20, "sig_mb": sig_all.nbytes / 2**20,
            "keys": pairs.keys(len(texts))}


def run_datasketch(texts: list[str], threshold: float, num_perm: int, *,
                   memory: bool = False) -> dict:
    from datasketch import MinHash, MinHashLSH

    n = len(texts)
    t0 = time.perf_counter()
    shingles = [py_shingles(s) for s in texts]
    t1 = time.perf_counter()
    mhs = MinHash.bulk(shingles, num_perm=num_perm)
    t2 = time.perf_counter()
    if memory:
        gc.collect()
        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    with lsh.insertion_session() as session:
        for k, m in enumerate(mhs):
            session.insert(k, m, check_duplication=False)
    t3 = time.perf_counter()
    ci: list[int] = []
    cj: list[int] = []
    for k, m in enumerate(mhs):
        for r in lsh.query(m):
            if r > k:
                ci.append(k)
                cj.append(r)
    t4 = time.perf_counter()
    if memory:
        peak = tracemalloc.get_traced_memory()[1] - base
        tracemalloc.stop()
    ci_a = np.asarray(ci, dtype=np.int64)
    cj_a = np.asarray(cj, dtype=np.int64)
    cand = np.unique(ci_a * n + cj_a)
    ci_a, cj_a = cand // n, cand % n
    hv = np.stack([m.hashvalues for m in mhs])
    est = np.empty(ci_a.size)
    for s in range(0, ci_a.size, 1 << 18):
        est[s : s + (1 << 18)] = (hv[ci_a[s : s + (1 << 18)]]
                                  == hv[cj_a[s : s + (1 << 18)]]).mean(axis=1)
    kept = cand[est >= threshold]
    t5 = time.perf_counter()
    out = {"seconds": t5 - t0, "shingle_s": t1 - t0, "minhash_s": t2 - t1, "insert_s": t3 - t2,
           "query_s": t4 - t3, "cand_keys": cand, "keys": kept, "params": lsh.b, "rows": lsh.r,
           "shingle_counts": np.fromiter(map(len, shingles), dtype=np.int64, count=n)}
    if memory:
        out["index_peak_mb"] = peak / 2**20
    return out


def _recall_precision(found: np.ndarray, truth: np.ndarray) -> tuple[float, float]:
    hit = np.intersect1d(found, truth, assume_unique=True).size
    recall = hit / truth.size if truth.size else 1.0
    precision = hit / found.size if found.size else 1.0
    return recall, precision


def _median_runs(fn: Callable[[], dict], repeats: int) -> tuple[dict, list[float]]:
    runs = []
    last = None
    for _ in range(repeats):
        gc.collect()
        last = fn()
        runs.append(last["seconds"])
    assert last is not None
    return last, runs


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", "--n-sentences", type=int, default=100_000)
    ap.add_argument("--thresholds", type=float, nargs="+", default=[0.8, 0.6, 0.5])
    ap.add_argument("--num-perm", type=int, default=128)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--quick", action="store_true",
                    help="10,000 sentences, t = 0.8, one repeat, no memory runs")
    ap.add_argument("--no-memory", action="store_true", help="skip the tracemalloc runs")
    ap.add_argument("--no-datasketch", action="store_true")
    ap.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = ap.parse_args(argv)
    if args.quick:
        args.n_sentences, args.thresholds, args.repeats = 10_000, [0.8], 1
        args.no_memory = True

    from govtext._allpairs import all_pairs
    from govtext._shingles import shingle_texts

    t0 = time.perf_counter()
    texts = make_corpus(args.n_sentences, seed=args.seed)
    n = len(texts)
    n_chars = sum(map(len, texts))
    print(f"corpus: {n:,} sentences, {n_chars:,} chars (mean {n_chars / n:.1f}), "
          f"{len(set(texts)):,} distinct strings, built in {time.perf_counter() - t0:.1f} s")
    try:
        import datasketch
        ds_version = datasketch.__version__ if hasattr(datasketch, "__version__") else "?"
    except ImportError:
        ds_version = None
        args.no_datasketch = True
    print(f"python {platform.python_version()}, numpy {np.__version__}, datasketch {ds_version}, "
          f"num_perm={args.num_perm}, repeats={args.repeats}")
    sets = shingle_texts(texts)
    # warm-up: imports (scipy.sparse, datasketch) and first-call caches outside the timings
    run_govtext(texts[:200], 0.8, args.num_perm)
    if not args.no_datasketch:
        run_datasketch(texts[:200], 0.8, args.num_perm)
    print(f"load average before the runs: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    results = []
    for t in args.thresholds:
        print(f"\n=== threshold {t} ===")
        te = time.perf_counter()
        exact = all_pairs(sets, threshold=t)
        exact_s = time.perf_counter() - te
        truth = exact.keys(n)
        print(f"exact all-pairs: {truth.size:,} pairs with J >= {t} in {exact_s:.1f} s "
              f"({exact.stats.get('n_candidates', 0):,} candidates verified)")
        row = {"threshold": t, "n": n, "exact_pairs": int(truth.size), "exact_s": exact_s}

        ours, our_runs = _median_runs(lambda t=t: run_govtext(texts, t, args.num_perm),
                                      args.repeats)
        r, p = _recall_precision(ours["keys"], truth)
        st = ours["stats"]
        row["govtext"] = {"median_s": statistics.median(our_runs), "runs_s": our_runs,
                          "recall": r, "precision": p, "bands": st["bands"], "rows": st["rows"],
                          "candidates": st["n_candidates"],
                          "oversized_buckets": st["n_oversized_buckets"],
                          "pairs_skipped": st["n_pairs_skipped"]}
        if not args.no_memory:
            row["govtext"]["index_peak_mb"] = run_govtext(texts, t, args.num_perm,
                                                          memory=True)["index_peak_mb"]
        if not args.no_datasketch:
            ds, ds_runs = _median_runs(lambda t=t: run_datasketch(texts, t, args.num_perm),
                                       args.repeats)
            if not np.array_equal(ds["shingle_counts"], sets.sizes):
                print("WARNING: datasketch shingle counts differ from govtext's")
            rc, pc = _recall_precision(ds["cand_keys"], truth)
            rk, pk = _recall_precision(ds["keys"], truth)
            row["datasketch"] = {"median_s": statistics.median(ds_runs), "runs_s": ds_runs,
                                 "bands": ds["params"], "rows": ds["rows"],
                                 "candidates": int(ds["cand_keys"].size),
                                 "candidate_recall": rc, "candidate_precision": pc,
                                 "recall": rk, "precision": pk}
            if not args.no_memory:
                row["datasketch"]["index_peak_mb"] = run_datasketch(
                    texts, t, args.num_perm, memory=True)["index_peak_mb"]
        results.append(row)
        _print_row(row)
    _print_table(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


def _print_row(row: dict) -> None:
    g = row["govtext"]
    print(f"govtext:    {row['n'] / g['median_s']:>9,.0f} sentences/s (median {g['median_s']:.2f} s"
          f" of {', '.join(f'{x:.2f}' for x in g['runs_s'])}); b={g['bands']} r={g['rows']}; "
          f"{g['candidates']:,} candidates")
    print(f"govtext:    recall {g['recall']:.4f}  precision {g['precision']:.4f}")
    if "datasketch" in row:
        d = row["datasketch"]
        print(f"datasketch: {row['n'] / d['median_s']:>9,.0f} sentences/s (median "
              f"{d['median_s']:.2f} s of {', '.join(f'{x:.2f}' for x in d['runs_s'])}); "
              f"b={d['bands']} r={d['rows']}; {d['candidates']:,} candidates")
        print(f"datasketch: recall {d['recall']:.4f}  precision {d['precision']:.4f} "
              f"(estimated J >= t); candidate recall {d['candidate_recall']:.4f}")


def _print_table(results: list[dict]) -> None:
    print("\nsummary (medians)")
    hdr = (f"{'t':>4} {'exact':>8} | {'ours sent/s':>11} {'recall':>6} {'prec':>6} {'MB':>6} | "
           f"{'ds sent/s':>9} {'recall':>6} {'prec':>6} {'MB':>6} | {'speed x':>7} {'mem /':>6}")
    print(hdr)
    print("-" * len(hdr))
    for row in results:
        g = row["govtext"]
        d = row.get("datasketch", {})
        gs = row["n"] / g["median_s"]
        ds = row["n"] / d["median_s"] if d else float("nan")
        gm = g.get("index_peak_mb", float("nan"))
        dm = d.get("index_peak_mb", float("nan"))
        print(f"{row['threshold']:>4} {row['exact_pairs']:>8,} | {gs:>11,.0f} {g['recall']:>6.3f} "
              f"{g['precision']:>6.3f} {gm:>6.1f} | {ds:>9,.0f} {d.get('recall', float('nan')):>6.3f} "
              f"{d.get('precision', float('nan')):>6.3f} {dm:>6.1f} | {gs / ds:>7.2f} "
              f"{gm / dm if dm == dm and dm else float('nan'):>6.3f}")


if __name__ == "__main__":
    sys.exit(main())
