"""Template-reuse detection across annual reports: :class:`ReuseDetector`.

The detector finds the narrative sentences (or clauses) that reports share, groups them into
clusters of near-duplicates, labels every unit ``template`` / ``copied`` / ``recycled`` /
``own``, aligns the shared passages of related reports with character offsets in both, and
summarises each report (label shares, boilerplate) and each pair of reports (similarity,
template families). It follows the scikit-learn estimator contract: parameters in ``__init__``,
work in :meth:`ReuseDetector.fit`, results in attributes ending in ``_``.

Pipeline of :meth:`ReuseDetector.fit`
-------------------------------------
1. **Units.** The narrative sentences of every report (:func:`govtext.sentences.sentence_spans`;
   tables are not narrative), or its clauses with ``unit="clause"``, on ``Report.text`` (the
   normalised, simplified text, so a traditional-script report matches its simplified source).
   Section headings, title and signature lines (label ``heading``) and units with fewer than
   ``min_unit_chars`` symbols
   (label ``short``) are kept in :attr:`~ReuseDetector.units_` but are not matched.
2. **Shingles.** Character ``ngram``-grams of each unit, punctuation dropped and (with
   ``mask_digits``) every number replaced by one placeholder (with ``mask_agency``, the
   report's own agency name too), hashed deterministically
   (:mod:`govtext._shingles`).
3. **Pairs.** ``method="lsh"``: MinHash signatures and LSH banding chosen so that every pair
   with Jaccard ``>= threshold`` is a candidate with probability ``>= target_recall``; buckets
   larger than ``max_bucket_size`` are linked by a sorted-neighbourhood window so boilerplate
   hubs cannot explode the candidate set (:mod:`govtext._lsh`). ``method="exact"``: an inverted
   index with prefix filtering returns *every* qualifying pair (:mod:`govtext._allpairs`).
   Either way each candidate is verified by its exact Jaccard (or containment) score, so the
   pairs have precision 1.0.
4. **Clusters.** Connected components of the verified pairs
   (:func:`scipy.sparse.csgraph.connected_components`).
5. **Labels.** Each unit's label comes from its direct matches (see :class:`ReuseDetector`,
   Notes): ``template`` by its share of the cohort's reports, ``recycled``/``copied`` by a
   match in a *related* report (one sharing enough non-template text), else ``own``.
6. **Passages.** Related report pairs are aligned in full, other pairs around the rare units
   and clauses they share (:func:`govtext._align.align_passages`: seed-and-extend on character
   5-grams, merged across adjacent sentences), with character offsets in both reports; own
   units mostly covered by a related report's passages take that relation's label.
7. **Reports.** Label shares per report (plus :mod:`govtext.measures` when available),
   report-pair similarity (shingle Jaccard, TF-IDF cosine) and template families
   (average-linkage clustering on ``1 - cosine``, cut at ``family_threshold``).

Everything is deterministic: reports are processed in ``report_id`` order, units in
``(report_id, start)`` order, hashing uses numpy arithmetic (never :func:`hash`) and the MinHash
permutations come from ``random_state``, so the fitted frames are byte-identical across runs
and ``PYTHONHASHSEED`` values.

See ``docs/reuse.md`` for the reasoning behind the defaults and how to choose thresholds.
"""

from __future__ import annotations

import datetime
import logging
import math
import re
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator

from govtext._memory import ReportRef, put_aside, release_freed_memory, take_back
from govtext._progress import progress_bar
from govtext._shingles import _equal_range, _searchsorted
from govtext.exceptions import InputError, InvalidParameterError, NotFittedError

__all__ = [
    "CLUSTER_COLUMNS",
    "FAMILY_COLUMNS",
    "GROUP_PAIR_COLUMNS",
    "LABELS",
    "PAIR_COLUMNS",
    "PASSAGE_COLUMNS",
    "PreparedReports",
    "REPORT_SCORE_COLUMNS",
    "ReuseDetector",
    "SIMILARITY_COLUMNS",
    "UNIT_COLUMNS",
]

logger = logging.getLogger(__name__)

#: Unit labels, in precedence order, then the labels of units that are not matched.
LABELS = ("template", "recycled", "copied", "own", "short", "heading")
_REUSE = ("template", "copied", "recycled")

#: Columns of :attr:`ReuseDetector.units_`.
UNIT_COLUMNS = ["unit_id", "report_id", "section", "start", "end", "text", "n_chars", "cluster_id",
                "group_id", "label", "boilerplate", "n_reports", "n_agencies", "source_report_id"]
#: Columns of :attr:`ReuseDetector.pairs_`.
PAIR_COLUMNS = ["unit_a", "unit_b", "report_a", "report_b", "jaccard", "containment",
                "same_report"]
#: Columns of :attr:`ReuseDetector.group_pairs_`.
GROUP_PAIR_COLUMNS = ["group_a", "group_b", "unit_a", "unit_b", "size_a", "size_b", "jaccard",
                      "containment"]
#: Columns of :attr:`ReuseDetector.clusters_`.
CLUSTER_COLUMNS = ["cluster_id", "size", "n_reports", "n_agencies", "years", "exemplar",
                   "exemplar_unit"]
#: Columns of :attr:`ReuseDetector.passages_`.
PASSAGE_COLUMNS = ["report_a", "a_start", "a_end", "report_b", "b_start", "b_end",
                   "matched_chars", "score", "label", "related"]
#: Columns of :attr:`ReuseDetector.report_scores_` (before the measures of
#: :mod:`govtext.measures`, which are appended when that module is available).
REPORT_SCORE_COLUMNS = ["report_id", "agency", "year", "level", "era", "n_chars", "n_units",
                        "share_template", "share_copied", "share_recycled", "share_own",
                        "unit_share_template", "unit_share_copied", "unit_share_recycled",
                        "unit_share_own"]
#: Columns of :attr:`ReuseDetector.similarity_`.
SIMILARITY_COLUMNS = ["report_a", "report_b", "jaccard", "cosine", "shared_units"]
#: Columns of :attr:`ReuseDetector.families_`.
FAMILY_COLUMNS = ["report_id", "family"]

_CALLER = "ReuseDetector"
_UNITS = ("sentence", "clause")
_METHODS = ("lsh", "exact")
_MEASURES = ("jaccard", "containment")
_FITTED = ("units_", "pairs_", "group_pairs_", "clusters_", "passages_", "report_scores_", "similarity_",
           "families_", "linkage_", "yoy_", "stats_")
# A masked number run (as in govtext._shingles: ``.``/``,`` between digits continue it).
_DIGIT_RUN = re.compile(r"\d+(?:[.,]\d+)*")
_NOT_SYMBOL = re.compile(r"[\W_]+")
# A report title line: no sentence punctuation, ends in 报告 (optionally a closing bracket).
_TITLE_RE = re.compile(r"^[^。;；,，:：!！?？]{4,80}(?:年度报告|工作报告|情况报告|年报)[)）》」]?\s*$")
# A signature line: no sentence punctuation, an issuing body's name (ending in 人民政府, 办事处,
# 局, …) and/or a date (``XX镇人民政府``, ``2024年1月20日``, ``二〇二四年一月``).
_DATE = r"[0-9０-９〇零一二三四五六七八九十]{2,4}\s*年\s*[0-9０-９〇零一二三四五六七八九十]{1,3}\s*月(?:\s*[0-9０-９〇零一二三四五六七八九十]{1,3}\s*[日号])?"
_SIGNATURE_RE = re.compile(
    r"^\s*(?:[^。;；,，:：!！?？\s的了]{2,20}?(?:人民政府|政府|办事处|办公室|委员会|局|厅|署|委|院|中心|处)"
    rf"(?:\s*{_DATE})?|{_DATE})\s*$")
_NO_YEAR = np.inf  # sort key of an unknown year ("latest")
# Identical clauses shorter than this (in symbols) do not relate reports for alignment.
_FRAGMENT_MIN_SYMBOLS = 12
# Report families are scipy's average-linkage clusters up to this many reports: the condensed
# distance matrix takes 4 n^2 bytes (400 MB at 10,000 reports). Beyond, average linkage on the
# sparse graph of scored pairs (govtext._linkage; pairs not scored count as cosine 0).
_FAMILY_MAX_REPORTS = 10_000
# Cells of one row block of the report cosine matrix (memory of the similarity stage).
_SIM_BLOCK_CELLS = 4_000_000
# Beyond ``similarity_exact_max_reports`` (the blocked regime of _similarity): candidate report
# pairs share shingles found in 2 to _SIM_CAND_MAX_DF reports, and each report keeps the
# _SIM_CAND_TOP_K partners with the largest TF-IDF cosine over those shingles (plus every
# passage-linked pair); rows per block of that sparse product.
_SIM_CAND_MAX_DF = 50
_SIM_CAND_TOP_K = 50
_SIM_CAND_BLOCK_ROWS = 2_000
# Shingles per chunk of the TF-IDF passes (bounds their temporaries; see _tfidf_parts), and
# reports per slice of the narratives' shingle counts (see ReuseDetector._narrative_counts).
_TFIDF_CHUNK = 1 << 22
_NARRATIVE_BATCH = 2_000
# Passages (and pair keys) per chunk when the blocked similarity regime lists linked pairs.
_LINK_CHUNK = 1 << 20
# Report pairs aligned per task (the unit of work sent to a joblib worker).
_ALIGN_BATCH = 64
# Reports tokenised per task for the measures (with n_jobs).
_TOKENIZE_BATCH = 100
#: From this many reports, fit keeps the passages step's inputs (units' texts, clause fragments,
#: aligned texts: about 18 MB per 1,000 reports) on disk while the pairs and labels steps run,
#: and the narratives' shingle counts when they were prepared (about 15 MB per 1,000 reports)
#: until the similarity step.
_STASH_MIN_REPORTS = 20_000
# The dense part of the cosine product (see _cosine_blocks): features in more than
# n / _DENSE_DF_DIVISOR reports, at most this many bytes of them.
_DENSE_DF_DIVISOR = 12
# edited copies (``edit_similarity``): the most similar units of the other report scored, and
# the shingle Jaccard they need
_EDIT_CANDIDATES = 3
_EDIT_MIN_JACCARD = 0.1
_DENSE_GRAM_BYTES = 256 * 2**20


# --------------------------------------------------------------------------------------------
# parameter validation (scikit-learn style messages)


def _param_error(name: str, expected: str, value: object) -> InvalidParameterError:
    msg = f"The {name!r} parameter of {_CALLER} must be {expected}. Got {value!r} instead."
    return InvalidParameterError(msg)


def _check_int(value: object, name: str, *, low: int, allow_none: bool = False) -> int | None:
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < low:
        extra = " or None" if allow_none else ""
        raise _param_error(name, f"an int >= {low}{extra}", value)
    return int(value)


def _check_float(value: object, name: str, *, low: float, high: float,
                 low_open: bool = False) -> float:
    ok = isinstance(value, float | int | np.floating | np.integer) and not isinstance(value, bool)
    if ok:
        v = float(value)
        ok = (v > low if low_open else v >= low) and v <= high
    if not ok:
        raise _param_error(name, f"a float in {'(' if low_open else '['}{low}, {high}]", value)
    return float(value)


def _check_choice(value: object, name: str, choices: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in choices:
        raise _param_error(name, f"one of {choices}", value)
    return value


def _check_bool(value: object, name: str) -> bool:
    if not isinstance(value, bool | np.bool_):
        raise _param_error(name, "a bool", value)
    return bool(value)


def _check_n_jobs(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value == 0:
        raise _param_error("n_jobs", "None or a non-zero int (-1: one per core)", value)
    return int(value)


def _check_cohort(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        value = (value,)
    try:
        out = tuple(value)  # type: ignore[arg-type]
    except TypeError:
        raise _param_error("cohort", "a tuple of metadata field names", value) from None
    if not all(isinstance(x, str) and x for x in out):
        raise _param_error("cohort", "a tuple of metadata field names", value)
    return out


# Parameters that :meth:`ReuseDetector.prepare` depends on.
_PREPARE_PARAMS = ("unit", "ngram", "mask_digits", "min_unit_chars", "mask_agency", "fragments")


def _prep_key(p: dict) -> tuple:
    return tuple((name, p[name]) for name in _PREPARE_PARAMS)


@dataclass(frozen=True, eq=False)
class PreparedReports:
    """What :meth:`ReuseDetector.prepare` computes for a slice of the corpus: the units of
    its reports (with report positions counted from the slice's first report), their texts
    as matched (agency names masked), the shingle sets of the matchable units, the clause
    fragments and each report's text as aligned (structure masked). Opaque: give it back to
    :meth:`ReuseDetector.fit`."""

    ids: tuple[str, ...]
    params: tuple
    units: pd.DataFrame = field(repr=False)
    texts: list[str] = field(repr=False)
    sets: Any = field(repr=False)
    fragments: tuple | None = field(repr=False)
    aligned: list[str] = field(repr=False)
    narrative: tuple | list | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.ids)


def _narrative_aside(prep: PreparedReports) -> PreparedReports:
    """``prep`` with its narratives' shingle counts waiting on disk (a
    :func:`govtext._memory.put_aside`) until :meth:`ReuseDetector.fit` needs them, in its
    similarity step: :func:`govtext.analyze` sets each partition's aside as it arrives, so
    they never pile up in memory (about 15 MB per 1,000 reports)."""
    if prep.narrative is None:
        return prep
    return replace(prep, narrative=put_aside(prep.narrative))


def _join_prepared(parts: list, ids: list[str], p: dict) -> PreparedReports | None:
    """Join prepared slices (in corpus order) into the preparation of the whole corpus, as
    :meth:`ReuseDetector._prepare` would have computed it on all the reports at once (None
    for no slices of an empty corpus)."""
    key = _prep_key(p)
    if not all(isinstance(x, PreparedReports) for x in parts):
        raise InvalidParameterError("ReuseDetector.fit: prepared must hold what ReuseDetector.prepare returns")
    got = [i for x in parts for i in x.ids]
    if got != ids:
        raise InvalidParameterError(f"ReuseDetector.fit: prepared covers {len(got)} report(s) that are "
                                    f"not the corpus's {len(ids)} in order; prepare consecutive slices "
                                    "of the corpus")
    bad = [x.params for x in parts if x.params != key]
    if bad:
        raise InvalidParameterError(f"ReuseDetector.fit: prepared with other parameters ({dict(bad[0])}) "
                                    f"than the detector's ({dict(key)})")
    if len(parts) <= 1:
        return parts[0] if parts else None
    offsets = np.cumsum([0] + [len(x) for x in parts])
    frames = []
    for off, x in zip(offsets.tolist(), parts):
        u = x.units
        if off:
            u = u.assign(rep=u["rep"].to_numpy() + off)
        frames.append(u)
    full = [f for f in frames if len(f)] or frames[:1]
    units = full[0].reset_index(drop=True) if len(full) == 1 else pd.concat(full, ignore_index=True)
    texts = [t for x in parts for t in x.texts]
    sets = _concat_sets([x.sets for x in parts])
    aligned = [t for x in parts for t in x.aligned]
    if len({x.narrative is None for x in parts}) > 1:
        raise InvalidParameterError("ReuseDetector.fit: prepared mixes slices prepared with and without "
                                    "similarity=True")
    narrative = None
    if parts[0].narrative is not None:
        # the slices' counts as they are (not concatenated): _tfidf_parts takes them one by
        # one and frees each as it goes
        narrative = [x.narrative for x in parts]
    fragments = None
    if parts[0].fragments is not None:
        fragments = (np.concatenate([x.fragments[0] + off for off, x in zip(offsets.tolist(), parts)]),
                     np.concatenate([x.fragments[1] for x in parts]),
                     np.concatenate([x.fragments[2] for x in parts]),
                     [k for x in parts for k in x.fragments[3]])
    return PreparedReports(ids=tuple(ids), params=key, units=units, texts=texts, sets=sets,
                           fragments=fragments, aligned=aligned, narrative=narrative)


def _concat_sets(parts: list) -> Any:
    """Shingle sets of consecutive slices as one :class:`~govtext._shingles.ShingleSets`."""
    from govtext._shingles import ShingleSets

    first = parts[0]
    sizes = np.concatenate([x.sizes for x in parts])
    indptr = np.zeros(sizes.size + 1, dtype=np.int64)
    np.cumsum(sizes, out=indptr[1:])
    return ShingleSets(indptr, np.concatenate([x.hashes for x in parts]), first.n, first.mask_digits,
                       first.alnum_only)


def _factorize_fragments(fragments: tuple) -> pd.DataFrame:
    """The clause fragments as a frame, ``cluster`` numbering the distinct keys in sorted order
    (so it does not depend on how the corpus was sliced)."""
    rep, start, end, keys = fragments
    if not keys:
        return pd.DataFrame({c: pd.Series(dtype="int64") for c in ("cluster", "rep", "start", "end")})
    codes, _ = pd.factorize(pd.Series(keys, dtype=object), sort=True)
    return pd.DataFrame({"cluster": codes.astype(np.int64), "rep": rep, "start": start, "end": end})


def _reports_of(corpus: object) -> list:
    if isinstance(corpus, str | bytes):
        kind = "string" if isinstance(corpus, str) else "bytes"
        msg = f"Iterable over reports expected, {kind} object received."
        raise InvalidParameterError(msg)
    if hasattr(corpus, "text") and hasattr(corpus, "id"):
        msg = "Iterable over reports expected, Report object received."
        raise InvalidParameterError(msg)
    try:
        reports = list(corpus)  # type: ignore[call-overload]
    except TypeError:
        msg = f"Iterable over reports expected, {type(corpus).__name__} object received."
        raise InvalidParameterError(msg) from None
    for k, r in enumerate(reports):
        if type(r) is ReportRef:  # a report analyze put aside on disk (see ReportRef)
            continue
        if not (hasattr(r, "text") and hasattr(r, "id")):
            msg = (f"Iterable over reports expected; item {k} is a {type(r).__name__} object, "
                   "not a Report.")
            raise InvalidParameterError(msg)
    ids = [r.id for r in reports]
    if len(set(ids)) != len(ids):
        seen: set[str] = set()
        dup = next(i for i in ids if i in seen or seen.add(i))  # type: ignore[func-returns-value]
        msg = f"report ids must be unique; {dup!r} occurs twice."
        raise InvalidParameterError(msg)
    return sorted(reports, key=lambda r: r.id)


# --------------------------------------------------------------------------------------------
# small helpers


def _symbols(text: str, mask_digits: bool) -> str:
    """The symbol string the shingles are made of (numbers masked, punctuation dropped)."""
    if mask_digits:
        text = _DIGIT_RUN.sub("0", text)
    return _NOT_SYMBOL.sub("", text)


def _field(report: Any, name: str) -> Any:
    """A metadata field: ``Report.meta`` (caller-supplied) first, then ``Report.metadata``."""
    meta = getattr(report, "meta", None) or {}
    value = meta.get(name) if hasattr(meta, "get") else None
    if value is None or (isinstance(value, float) and math.isnan(value)):
        md = getattr(report, "metadata", None)
        value = getattr(md, name, None)
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _year(value: Any) -> float:
    try:
        return float(int(value))
    except (TypeError, ValueError):
        return np.nan


def _date(value: Any) -> float:
    """Day number of a full date (an ISO ``YYYY-MM-DD`` string or a date/datetime value), NaN
    when unknown or only a year (or month) is known."""
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
    if isinstance(value, (datetime.date, pd.Timestamp)) and not pd.isna(value):
        return float(value.toordinal())
    if isinstance(value, str) and len(value) >= 10:
        try:
            return float(datetime.date.fromisoformat(value[:10]).toordinal())
        except ValueError:
            return np.nan
    return np.nan


def _before(info: pd.DataFrame, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Whether report ``x`` is known to precede report ``y``: an earlier year, or the same year
    and an earlier publication date (both dates known)."""
    yr = info["yearf"].to_numpy()
    pb = info["pubf"].to_numpy()
    return (yr[x] < yr[y]) | ((yr[x] == yr[y]) & (pb[x] < pb[y]))


def _rank(values: np.ndarray) -> np.ndarray:
    """Dense ranks of an object array (deterministic: by ``str`` of the values)."""
    keys = np.array([str(v) for v in values], dtype=object)
    _, inv = np.unique(keys, return_inverse=True)
    return inv.astype(np.int64)


def _runs(keys: list[tuple]) -> list[tuple[int, int]]:
    """Index ranges of maximal runs of equal consecutive keys (``None`` keys break runs)."""
    out = []
    k = 0
    n = len(keys)
    while k < n:
        if keys[k] is None:
            k += 1
            continue
        j = k + 1
        while j < n and keys[j] == keys[k]:
            j += 1
        out.append((k, j))
        k = j
    return out


# --------------------------------------------------------------------------------------------
# the estimator


class ReuseDetector(BaseEstimator):
    """Detect template reuse, copying and recycling across annual reports.

    Parameters
    ----------
    unit : {"sentence", "clause"}, default="sentence"
        The unit matched across reports: narrative sentences, or their clauses (cut after
        ``,`` and ``;``). Clauses also catch reuse of part of a sentence, but label stock
        phrases as reuse; with sentences, shared clauses still show up in :attr:`passages_`
        (see ``fragments``).
    ngram : int, default=5
        Shingle length in symbols (characters after dropping punctuation and spaces; a masked
        number is one symbol). Character 5-grams are robust to word segmentation and small
        edits (docs/nlp.md §4).
    mask_digits : bool, default=True
        Replace every number by one placeholder, so fill-in templates
        (``本年主动公开信息35条`` / ``…128条``) match across agencies.
    mask_agency : bool, default=True
        For matching, replace the report's own agency name (``agency``, read like the cohort
        fields) and its place prefix (``利江区峰青镇`` of ``利江区峰青镇人民政府``) by one
        placeholder, so fill-in template sentences naming the agency (``如对本报告有任何疑问，
        请与XX镇人民政府党政办联系（地址：XX镇…）``) match across agencies, as numbers do with
        ``mask_digits``; so is the way a report names its own agency (``我局``, ``我镇``,
        ``我街道``, …), which a copier changes too. The frames keep the text as it is.
    threshold : float, default=0.5
        Minimum similarity of two units, in (0, 1]. At 0.5 an edited copy whose place names
        and a clause were changed still matches (character-5-gram Jaccard about 0.4-0.7 for
        such edits, 1.0 for number and punctuation changes) while unrelated sentences of the
        genre stay far below (background 99th percentile about 0.07). On the synthetic corpus
        0.5 raises the recall of copied passages from 0.45 to 0.70 over 0.6. See
        ``docs/reuse.md`` and ``docs/how-to/choose-reuse-thresholds.md``.
    measure : {"jaccard", "containment"}, default="jaccard"
        Score compared with ``threshold``: Jaccard, or containment (overlap over the smaller
        unit, so a short sentence inside a longer one matches). LSH candidates come from the
        Jaccard S-curve, so with ``"containment"`` the recall guarantee of ``method="lsh"``
        holds for pairs whose Jaccard also reaches the threshold; ``method="exact"`` finds all.
    method : {"lsh", "exact"}, default="lsh"
        ``"lsh"``: MinHash + LSH + exact verification (scales to millions of units).
        ``"exact"``: an inverted index with prefix filtering returns every qualifying pair
        (small corpora, validation).
    num_perm : int, default=128
        MinHash signature length (``method="lsh"``).
    target_recall : float, default=0.95
        Bands × rows are chosen so that a pair whose Jaccard equals ``threshold`` is a candidate
        with at least this probability (pairs above it with a higher one), with the fewest false
        candidates.
    max_bucket_size : int or None, default=2000
        LSH buckets with more units (boilerplate hubs) are linked by a sorted-neighbourhood
        window of this size instead of all their pairs; ``None``: no cap.
    min_unit_chars : int, default=8
        Units with fewer symbols are not matched (label ``short``): dates, signatures,
        ``主要做法如下:``. Section headings are never matched (label ``heading``).
    cohort : tuple of str, default=("year", "era", "level")
        Metadata fields defining the cohort in which a unit's template share is computed. Each
        field is read from ``Report.meta`` (caller-supplied) first, then ``Report.metadata``; a
        missing value is a value of its own.
    template_share : float, default=0.5
        A unit is ``template`` when at least this share of its cohort's reports hold it (or a
        match of it) ...
    template_min_reports : int, default=3
        ... and at least this many of them, so that in a cohort of two reports a shared sentence
        is not template by default.
    template_min_agencies : int, default=3
        A unit is also ``template`` when it (or a match of it) is held by reports of at least
        this many agencies counting the unit's own and only the agencies whose reports are *not
        related* to the unit's report (see ``min_shared_units``): stock wording spreads across
        unrelated agencies, while a county's agencies copying one another share it with related
        reports only. Relations are computed without the cohort templates, then (twice)
        without the spread units. Wording that no other agency has *identically* (numbers and
        names masked; only similar sentences) needs one agency more: own sentences of one
        pattern match a few agencies' sentences by chance. And a sentence held identically by
        this many agencies, related or not, is ``template`` when it is not part of a longer
        passage shared with them (neither neighbouring unit is found in the other holders'
        reports): a copy is edited, and a passage copied whole is more than one sentence.
        ``0`` switches these rules off.
    directed : bool, default=True
        ``copied`` needs a related report of another agency that is not later: the earlier
        report of a copied pair is the source, not a copy (its text stays ``own``). Earlier
        means an earlier year, or the same year and an earlier publication date
        (``published``, a full date, ISO ``YYYY-MM-DD`` or a date value, read like the other
        fields: ``Report.meta`` first, then :attr:`Report.metadata`, i.e. the page header's date
        or the signature date). When the year is unknown, or the two reports of the same year
        do not both have a full date or have the same one, the direction is unknown and both
        sides are ``copied``. ``False``: any related report of another agency.
    min_shared_units : int, default=2
        Two reports are *related* (their shared units can be ``copied`` or ``recycled``) when
        one holds at least this many units matching units of the other ...
    min_shared_chars : int, default=30
        ... totalling at least this many characters, each unit's characters divided by the
        number of other reports holding it (a sentence found in five reports is weak evidence
        that it came from any particular one). Template units do not count. A single shared
        stock sentence does not make two reports related.
    relation_max_reports : int, default=200
        Units matched in more reports are stock text and relate no reports.
    min_coverage : float, default=0.5
        An ``own`` unit covered at least this much (by characters) by passages aligned with a
        related report takes the label of that relation (edited copies below ``threshold``).
        Only the passages aligned with one sentence of the other report count together (the
        sentence their middle maps to), and a sentence of the other report counts only when
        they cover ``min_coverage`` of the unit or of that sentence: a sentence put together
        from stock clauses found in different sentences of the other report is not an edited
        copy, while one that joins (most of) two sentences of its source is.
    weak_threshold : float, default=0.35
        Two reports that share at least one matched (non-template) unit but are not related
        have all their units compared: a unit whose Jaccard with a unit of the other report
        reaches this value counts towards relating them (``min_shared_units``,
        ``min_shared_chars``, weighted as matched units are), so that a copy whose sentences
        were heavily edited (most of them below ``threshold``) is related to its source and
        aligned in full. Only such report pairs are compared (the cost is linear in them),
        and those sharing ``weak_min_shingles`` rare shingles. ``0`` switches this off.
    weak_min_shingles : int, default=5
        Report pairs that share no matched unit but at least this many rare shingles
        (``ngram``-grams of non-template units found in 2 to ``max_anchor_reports`` reports)
        are compared at ``weak_threshold`` as well: a copy whose every sentence was edited
        below ``threshold`` shares no matched unit with its source. Each rare shingle gives at
        most ``max_anchor_reports * (max_anchor_reports - 1) / 2`` report pairs, so the
        candidates are linear in the corpus. ``0`` switches this off.
    edit_similarity : float, default=0.55
        In related reports of two agencies (see ``min_shared_units``), an ``own`` unit of the
        later report whose most similar units of the earlier one (the three with the highest
        shingle Jaccard, at least 0.1) include one whose symbol string is at least this
        similar (``2 * matched / (len_a + len_b)``, the matched symbols those of
        :class:`difflib.SequenceMatcher`; the passages' ``score``) is an edited copy:
        ``copied`` (both sides when the order of the copy is unknown). These are heavily
        edited copies (places renamed, clauses dropped or added, words changed) whose shingles
        overlap too little for ``weak_threshold`` and whose aligned passages cover less than
        ``min_coverage``. Not for ``recycled``: an agency's own sentences of two years share
        its facts and phrasing. On the synthetic corpus 0.5-0.55 labels most such copies and
        few own sentences. ``0`` switches this off.
    fragments : bool, default=True
        With ``unit="sentence"``, identical clauses (after masking, at least 12 symbols)
        found in at most ``max_anchor_reports`` reports are aligned as well, so reuse of part
        of a sentence appears in :attr:`passages_` (it does not change unit labels).
    max_anchor_reports : int, default=5
        Matched units and identical clauses found in at most this many reports are aligned
        between every two of their reports, related or not. Related reports are aligned in
        full.
    min_passage_chars : int, default=20
        Passages of related reports that no matched unit or clause anchors are kept only with
        at least this many aligned symbols (shorter ones are stock phrases).
    similarity_max_reports : int, default=500
        Up to this many reports :attr:`similarity_` holds every pair; beyond, the pairs with
        cosine ``>= similarity_floor`` or linked by at least one passage of :attr:`passages_`
        (long format: the cosine matrix is computed in row blocks of about 4 million cells
        and never held whole). Sharing a template sentence is not enough: in large corpora
        most pairs of reports do.
    similarity_floor : float, default=0.3
        See ``similarity_max_reports``.
    similarity_exact_max_reports : int or None, default=10_000
        Up to this many reports (or ``similarity_max_reports``, whichever is larger) the cosine
        of every pair of reports is computed (quadratic: 31 s at 10,000 synthetic reports,
        273 s at 30,000). Beyond, the *blocked* regime, linear in the corpus: only
        candidate pairs are scored — the pairs linked by a passage, and for each report the 50
        reports with the largest cosine restricted to the shingles found in 2 to 50 reports
        (shingles of cohort-wide boilerplate are held by more and give no candidates, as
        passim's n-gram cutoffs). Each candidate gets the exact ``jaccard`` and
        ``shared_units`` and the cosine of the exact regime (the same sparse products in the
        same order; it differs by at most about 1e-15, the rounding of the exact regime's
        BLAS part); :attr:`similarity_` keeps those with cosine ``>= similarity_floor`` or a
        passage, and the families are average-linkage clusters of the scored candidates (the
        pairs not scored count as cosine 0; :attr:`linkage_` is empty). Forced on 10,000 synthetic
        reports it returned all 46,655 pairs of the exact regime (recall 1.0: every pair
        with cosine >= 0.3 there is passage-linked) in 14 s instead of 36 s (similarity and
        families); at 30,000, all 139,232 pairs in 43 s instead of 273 s. Its families
        (forced at 10,000 reports: 3,687, the largest of 11) have adjusted Rand 0.74 with
        scipy's average-linkage families over every pair. ``None``: always the exact regime.
        See ``docs/reuse.md``.
    family_threshold : float, default=0.9
        Cut of the average-linkage dendrogram of the reports on ``1 - cosine``: two families
        merge while their mean pairwise TF-IDF cosine is at least ``1 - family_threshold``.
        Character-n-gram TF-IDF cosines are small in absolute terms (median about 0.05
        between reports of different agencies); see ``docs/reuse.md``. Hierarchical families
        need the condensed distance matrix (``4 n^2`` bytes): up to 10,000 reports. Beyond,
        the same cut of average linkage on the sparse graph of scored report pairs, the pairs
        not scored counting as cosine 0 (in the blocked regime of
        ``similarity_exact_max_reports`` the candidate pairs; otherwise the pairs with cosine
        ``>= 1 - family_threshold``), equal to scipy's when every pair of positive cosine is
        scored, and :attr:`linkage_` is empty.
    measures : bool, default=True
        Add the measures of :mod:`govtext.measures` (when available) to
        :attr:`report_scores_` and compute :attr:`yoy_` (this tokenises every report).
    random_state : int, default=0
        Seed of the MinHash permutations.
    n_jobs : int, optional
        Worker processes for the passage alignment (joblib; ``-1``: one per core; ``None``:
        1 unless an enclosing ``joblib.parallel_config`` says otherwise, which is how the Dask
        backend of :func:`govtext.analyze` sends the work to its cluster). The results do not
        depend on it.
    progress : bool, default=False
        Show progress bars (tqdm, on stderr).

    Attributes
    ----------
    units_ : DataFrame
        One row per unit (narrative sentence or clause of every report), in ``(report_id,
        start)`` order. Columns (:data:`UNIT_COLUMNS`): ``unit_id`` (int64, the row number),
        ``report_id`` (str), ``section`` (str, top-level section key), ``start``, ``end``
        (int64, half-open span in ``Report.text``), ``text`` (str), ``n_chars`` (int64,
        ``end - start``), ``cluster_id`` (int64, -1 if the unit matches nothing),
        ``group_id`` (int64: units with the same shingle set, numbers masked, share a group and
        match one another with score 1.0; groups are numbered by their first unit; -1 for
        units that are not matched: headings, ``short`` units), ``label``
        (str, one of :data:`LABELS`), ``boilerplate`` (float64: share of the cohort's reports
        holding the unit or one of its matches; ``1 / cohort size`` for an unmatched unit,
        NaN for ``short`` and ``heading``), ``n_reports``, ``n_agencies`` (int64: distinct
        reports and agencies among the unit and its matches), ``source_report_id`` (str or
        None: for ``copied``/``recycled``, the earliest related report it matches, by year
        then ``report_id``).
    pairs_ : DataFrame
        Verified unit pairs, ``unit_a < unit_b``, sorted. Columns (:data:`PAIR_COLUMNS`):
        ``unit_a``, ``unit_b`` (int64), ``report_a``, ``report_b`` (str), ``jaccard``,
        ``containment`` (float64, exact), ``same_report`` (bool: a repeat within one report).
        Listed from :attr:`group_pairs_` on first use: every two units of a group and every
        unit of ``group_a`` with every unit of ``group_b``. Boilerplate held by thousands of
        reports makes this quadratic (15 million rows for 10,000 synthetic reports, against
        0.75 million group pairs); at scale use :attr:`group_pairs_` and ``units_.group_id``.
    group_pairs_ : DataFrame
        The verified pairs between groups of identical units, ``group_a < group_b``, sorted:
        the same information as :attr:`pairs_`, linear in the corpus. Columns
        (:data:`GROUP_PAIR_COLUMNS`): ``group_a``, ``group_b`` (int64, ``units_.group_id``),
        ``unit_a``, ``unit_b`` (int64, the first unit of each group), ``size_a``, ``size_b``
        (int64, units in each group), ``jaccard``, ``containment`` (float64, exact).
    clusters_ : DataFrame
        One row per cluster (connected component of :attr:`pairs_` with at least two units),
        numbered by their first unit. Columns (:data:`CLUSTER_COLUMNS`): ``cluster_id``,
        ``size``, ``n_reports``, ``n_agencies`` (int64), ``years`` (str, the known years joined
        by ``;``, e.g. ``"2013;2020"``), ``exemplar`` (str, the text of ``exemplar_unit``),
        ``exemplar_unit`` (int64: the member with the most verified pairs, ties to the first by
        ``(report_id, start)``).
    passages_ : DataFrame
        Aligned passages, oriented so that ``report_a`` is the earlier report (by year, then
        publication date, unknown dates last, then ``report_id``). Columns
        (:data:`PASSAGE_COLUMNS`): ``report_a`` (str), ``a_start``, ``a_end`` (int64, span in
        ``report_a``'s text), ``report_b``, ``b_start``, ``b_end``, ``matched_chars`` (int64,
        aligned symbols), ``score`` (float64, ``2 * matched / symbols of both spans``, 1.0 for
        an exact copy), ``label`` (str, the reuse in ``report_b``
        relative to ``report_a``: ``template`` when most of the ``b`` span lies in template
        units, else ``recycled`` for the same agency in a later year, ``own`` for the same
        agency otherwise, else ``copied``), ``related`` (bool: the two reports are related and
        were aligned in full; else the passage grew from a rare shared unit or clause). Sorted
        by ``report_a, report_b, a_start, b_start``. Map spans to the source text with
        ``Report.raw_span(start, end)``.
    report_scores_ : DataFrame
        One row per report, by ``report_id``. Columns (:data:`REPORT_SCORE_COLUMNS`):
        ``report_id``, ``agency`` (str or None), ``year`` (Int64), ``level``, ``era`` (str or
        None), ``n_chars``, ``n_units`` (int64: characters and number of the non-heading units),
        ``share_template``, ``share_copied``, ``share_recycled``, ``share_own`` (float64, shares
        of those characters by label; ``short`` units count as ``own``), ``unit_share_template``
        … ``unit_share_own`` (the same by units); then, with ``measures=True``, the columns of
        :func:`govtext.measures.report_measures` except its ``n_chars`` (``n_tokens``,
        ``n_sentences``, ``boilerplate_lsl``, ``redundancy``, ``specificity``, …), computed
        within the detector's cohorts; reports of cohorts with fewer than 10 reports are scored
        against the whole corpus (``small_cohorts="corpus"``).
    similarity_ : DataFrame
        Report pairs, ``report_a < report_b``. Columns (:data:`SIMILARITY_COLUMNS`):
        ``report_a``, ``report_b`` (str), ``jaccard`` (float64, Jaccard of the shingle sets of
        the whole narratives), ``cosine`` (float64, cosine of sublinear TF-IDF vectors of
        character ``ngram``-grams of the narratives, numbers masked, punctuation dropped),
        ``shared_units`` (int64, matched unit pairs between the two). Which pairs: see
        ``similarity_max_reports``.
    families_ : DataFrame
        ``report_id`` (str), ``family`` (int64, 0-based, numbered in ``report_id`` order of each
        family's first report).
    linkage_ : numpy.ndarray
        The scipy linkage matrix behind :attr:`families_` (reports in ``report_id`` order);
        empty (shape ``(0, 4)``) beyond 10,000 reports and in the blocked regime (see
        ``similarity_exact_max_reports``).
    yoy_ : DataFrame or None
        :func:`govtext.measures.year_over_year` of the corpus (same metadata as the detector),
        or None with ``measures=False`` or without :mod:`govtext.measures`.
    stats_ : dict
        Diagnostics: unit counts, LSH parameters and candidate counts, related and aligned
        report pairs (``n_weak_candidates``, ``n_weak_related``: see ``weak_threshold``),
        ``n_edited_units`` (see ``edit_similarity``), ``similarity_candidates`` (report pairs
        scored, in the blocked regime of ``similarity_exact_max_reports`` only), timings in
        seconds.

    Notes
    -----
    **Labels.** A matched unit is ``template`` when its cohort share reaches
    ``template_share`` (and ``template_min_reports``) or when it spreads over
    ``template_min_agencies`` agencies unrelated to its report; otherwise ``recycled`` when it matches a
    unit of an earlier report of the same agency, ``copied`` when it matches a unit of another
    agency's report that is not later (by year, then publication date; see ``directed``), in
    both cases only in a *related* report (see ``min_shared_units``); ``own`` otherwise, also when it matches only units of its own
    report. The precedence template > recycled > copied > own: mandated wording repeated every
    year is template, not the agency's recycling; an agency re-using its own text is the more
    specific finding when a peer also has the sentence. Labels use each unit's direct matches:
    clusters (connected components) can chain variants A ~ B ~ C whose ends share little.
    Reports with no known agency count as their own agency.

    Examples
    --------
    >>> from govtext.datasets import load_seeds
    >>> corpus = load_seeds()
    >>> det = ReuseDetector(measures=False).fit(corpus)
    >>> p = det.passages_.iloc[0]
    >>> p.report_a, p.report_b, p.label  # both cover 2023; 001 was published first
    ('001_e3992751381c814a', '000_6ac03842c3dfdc7c', 'copied')
    >>> corpus[p.report_a].text[p.a_start:p.a_end]
    '加大政府信息主动公开力度,'
    >>> det.units_.label.value_counts().to_dict()
    {'own': 310, 'heading': 135, 'short': 17}
    """

    def __init__(
        self,
        *,
        unit: str = "sentence",
        ngram: int = 5,
        mask_digits: bool = True,
        mask_agency: bool = True,
        threshold: float = 0.5,
        measure: str = "jaccard",
        method: str = "lsh",
        num_perm: int = 128,
        target_recall: float = 0.95,
        max_bucket_size: int | None = 2000,
        min_unit_chars: int = 8,
        cohort: tuple[str, ...] = ("year", "era", "level"),
        template_share: float = 0.5,
        template_min_reports: int = 3,
        template_min_agencies: int = 3,
        directed: bool = True,
        min_shared_units: int = 2,
        min_shared_chars: int = 30,
        relation_max_reports: int = 200,
        min_coverage: float = 0.5,
        weak_threshold: float = 0.35,
        weak_min_shingles: int = 5,
        edit_similarity: float = 0.55,
        fragments: bool = True,
        max_anchor_reports: int = 5,
        min_passage_chars: int = 20,
        similarity_max_reports: int = 500,
        similarity_floor: float = 0.3,
        similarity_exact_max_reports: int | None = 10_000,
        family_threshold: float = 0.9,
        measures: bool = True,
        random_state: int = 0,
        n_jobs: int | None = None,
        progress: bool = False,
    ) -> None:
        self.unit = unit
        self.ngram = ngram
        self.mask_digits = mask_digits
        self.mask_agency = mask_agency
        self.threshold = threshold
        self.measure = measure
        self.method = method
        self.num_perm = num_perm
        self.target_recall = target_recall
        self.max_bucket_size = max_bucket_size
        self.min_unit_chars = min_unit_chars
        self.cohort = cohort
        self.template_share = template_share
        self.template_min_reports = template_min_reports
        self.template_min_agencies = template_min_agencies
        self.directed = directed
        self.min_shared_units = min_shared_units
        self.min_shared_chars = min_shared_chars
        self.relation_max_reports = relation_max_reports
        self.min_coverage = min_coverage
        self.weak_threshold = weak_threshold
        self.weak_min_shingles = weak_min_shingles
        self.edit_similarity = edit_similarity
        self.fragments = fragments
        self.max_anchor_reports = max_anchor_reports
        self.min_passage_chars = min_passage_chars
        self.similarity_max_reports = similarity_max_reports
        self.similarity_floor = similarity_floor
        self.similarity_exact_max_reports = similarity_exact_max_reports
        self.family_threshold = family_threshold
        self.measures = measures
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.progress = progress

    # -- fitted attributes ------------------------------------------------------------------
    def __getattr__(self, name: str) -> Any:
        # only reached when normal lookup fails: pairs_ before its first use, fitted
        # attributes before fit
        if name == "pairs_" and "_matches" in self.__dict__:
            rep, ids = self.__dict__["_pair_ctx"]
            frame = self._pair_frame(self.__dict__["_matches"].expand(), rep, ids)
            self.__dict__["pairs_"] = frame
            return frame
        if name in _FITTED:
            msg = (f"This {type(self).__name__} instance is not fitted yet. Call 'fit' with a "
                   f"corpus before using '{name}'.")
            raise NotFittedError(msg)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def __sklearn_is_fitted__(self) -> bool:
        return "units_" in self.__dict__

    def _check_fitted(self) -> None:
        if "units_" not in self.__dict__:
            self.__getattr__("units_")

    # -- validation -------------------------------------------------------------------------
    def _validate(self) -> dict[str, Any]:
        p = {
            "unit": _check_choice(self.unit, "unit", _UNITS),
            "ngram": _check_int(self.ngram, "ngram", low=1),
            "mask_digits": _check_bool(self.mask_digits, "mask_digits"),
            "mask_agency": _check_bool(self.mask_agency, "mask_agency"),
            "threshold": _check_float(self.threshold, "threshold", low=0.0, high=1.0,
                                      low_open=True),
            "measure": _check_choice(self.measure, "measure", _MEASURES),
            "method": _check_choice(self.method, "method", _METHODS),
            "num_perm": _check_int(self.num_perm, "num_perm", low=1),
            "target_recall": _check_float(self.target_recall, "target_recall", low=0.0,
                                          high=1.0, low_open=True),
            "max_bucket_size": _check_int(self.max_bucket_size, "max_bucket_size", low=2,
                                          allow_none=True),
            "min_unit_chars": _check_int(self.min_unit_chars, "min_unit_chars", low=1),
            "cohort": _check_cohort(self.cohort),
            "template_share": _check_float(self.template_share, "template_share", low=0.0,
                                           high=1.0, low_open=True),
            "template_min_reports": _check_int(self.template_min_reports,
                                               "template_min_reports", low=1),
            "template_min_agencies": _check_int(self.template_min_agencies,
                                                "template_min_agencies", low=0),
            "directed": _check_bool(self.directed, "directed"),
            "fragments": _check_bool(self.fragments, "fragments"),
            "max_anchor_reports": _check_int(self.max_anchor_reports, "max_anchor_reports",
                                             low=2),
            "min_coverage": _check_float(self.min_coverage, "min_coverage", low=0.0, high=1.0,
                                         low_open=True),
            "weak_threshold": _check_float(self.weak_threshold, "weak_threshold", low=0.0,
                                           high=1.0),
            "weak_min_shingles": _check_int(self.weak_min_shingles, "weak_min_shingles",
                                            low=0),
            "edit_similarity": _check_float(self.edit_similarity, "edit_similarity", low=0.0,
                                            high=1.0),
            "min_shared_chars": _check_int(self.min_shared_chars, "min_shared_chars", low=1),
            "min_shared_units": _check_int(self.min_shared_units, "min_shared_units", low=1),
            "relation_max_reports": _check_int(self.relation_max_reports,
                                               "relation_max_reports", low=2),
            "min_passage_chars": _check_int(self.min_passage_chars, "min_passage_chars",
                                            low=1),
            "similarity_max_reports": _check_int(self.similarity_max_reports,
                                                 "similarity_max_reports", low=0),
            "similarity_floor": _check_float(self.similarity_floor, "similarity_floor",
                                             low=0.0, high=1.0),
            "similarity_exact_max_reports": _check_int(self.similarity_exact_max_reports,
                                                       "similarity_exact_max_reports", low=0,
                                                       allow_none=True),
            "family_threshold": _check_float(self.family_threshold, "family_threshold",
                                             low=0.0, high=1.0),
            "measures": _check_bool(self.measures, "measures"),
            "random_state": _check_int(self.random_state, "random_state", low=0),
            "n_jobs": _check_n_jobs(self.n_jobs),
            "progress": _check_bool(self.progress, "progress"),
        }
        return p

    # -- fit ----------------------------------------------------------------------------------
    def fit(self, corpus: Iterable, y: None = None, *, prepared: Iterable[PreparedReports] | None = None,
            measures_cache: Mapping | Callable[[], Mapping] | None = None) -> ReuseDetector:
        """Detect reuse in a corpus.

        Parameters
        ----------
        corpus : Corpus or iterable of Report
            The reports (ids must be unique). A bare ``str`` is rejected.
        y : None
            Ignored (scikit-learn convention).
        prepared : iterable of PreparedReports, optional
            The per-report first step of fit done elsewhere: what :meth:`prepare` returns for
            consecutive slices of ``corpus``, in corpus order (the pipeline prepares each
            partition where it is processed, in worker processes or on Dask workers). The
            results are the same as without it.
        measures_cache : mapping, callable or entries held elsewhere, optional
            Entries of the cache of :func:`govtext.measures.report_measures` for these
            reports, computed elsewhere. A callable is called once, when the measures step
            needs them. An object with a ``submit(fn, *args)`` method stands for entries held
            elsewhere: it runs ``fn(entries, *args)`` where they are and returns a future (an
            object with ``result()``); the measures then run there while this process goes on
            (the Dask backend of :func:`govtext.analyze` tokenises each partition on the worker
            that built it). Entries are what ``report_measures`` would compute itself, so the
            results do not depend on it; missing reports are tokenised here (with a mapping or
            a callable). :func:`govtext.analyze` gives the reports' word units packed where
            they were tokenised (a private form, ``govtext.measures._PackedCorpus``).

        Returns
        -------
        self : ReuseDetector
            The fitted detector.

        Raises
        ------
        InvalidParameterError
            On an invalid parameter or a corpus that is not an iterable of reports.
        """
        p = self._validate()
        if not (measures_cache is None or isinstance(measures_cache, Mapping) or callable(measures_cache)
                or hasattr(measures_cache, "submit")):
            raise InvalidParameterError("ReuseDetector.fit: measures_cache must be None, a mapping, a "
                                        "callable returning one or an object with a submit method. "
                                        f"Got {type(measures_cache).__name__} instead.")
        reports = _reports_of(corpus)
        for name in (*_FITTED, "_matches", "_pair_ctx"):
            self.__dict__.pop(name, None)
        timings: dict[str, float] = {}
        stats: dict[str, Any] = {"n_reports": len(reports)}
        t0 = time.perf_counter()

        info = self._report_info(reports, p)
        pending = None
        if p["measures"] and hasattr(measures_cache, "submit"):
            # the measures need nothing the next steps compute: they run now, where the
            # entries are, while this process goes on
            pending = measures_cache.submit(_measures_of_entries, _measures_meta(info, p["cohort"]),
                                            p["cohort"])
        prep = None if prepared is None else _join_prepared(list(prepared), [r.id for r in reports], p)
        if prep is None:  # not given (or an empty corpus)
            prep = self._prepare(reports, p)
        units, texts, sets = prep.units, prep.texts, prep.sets
        fragments, aligned, narrative = prep.fragments, prep.aligned, prep.narrative
        del prep
        # the narratives' shingle counts (when prepared): a list of parts, each (sets, tf) or
        # waiting on disk (see _narrative_aside)
        if narrative is not None and not isinstance(narrative, list):
            narrative = [narrative]
        aside = None
        if len(reports) >= _STASH_MIN_REPORTS:
            # what only the passages step reads waits on disk while the pairs and labels run,
            # and the narratives' counts (1.5 GB at 100,000 reports), which only the
            # similarity step reads, until then
            aside = put_aside((texts, fragments, aligned))
            texts = fragments = aligned = None
            if narrative is not None:
                narrative = [put_aside(x) for x in narrative]
        timings["units"] = time.perf_counter() - t0
        stats.update(n_units=len(units), n_matchable=int(units["_match"].sum()))

        # each step's freed objects go back to the system before the next one (govtext._memory)
        release_freed_memory()
        t = time.perf_counter()
        matches, pstats = self._pairs(units, sets, p)
        timings["pairs"] = time.perf_counter() - t
        stats.update({f"pairs_{k}": v for k, v in pstats.items()})

        release_freed_memory()
        t = time.perf_counter()
        cluster, degree = self._clusters(units, matches)
        units["cluster_id"] = cluster
        clusters = self._cluster_frame(units, info, degree)
        support = self._label(units, matches, info, p, sets, stats)
        timings["labels"] = time.perf_counter() - t

        release_freed_memory()
        t = time.perf_counter()
        if aside is not None:
            texts, fragments, aligned = take_back(aside)
            del aside
        passages, cover, cand_stats = self._passages(reports, units, matches, support, info, p,
                                                     fragments, aligned)
        del fragments, aligned
        release_freed_memory()
        stats.update(cand_stats)
        self._coverage(units, cover, info, p)
        stats["n_edited_units"] = self._edited_copies(units, texts, sets, support, info, p)
        # the matched texts are not needed past the edited copies (840 MB at 100,000 reports)
        del sets, texts, support, cover
        timings["passages"] = time.perf_counter() - t

        release_freed_memory()
        t = time.perf_counter()
        scores = self._report_scores(reports, units, info)
        # the narratives' shingle counts as a list that _similarity empties as it builds the
        # TF-IDF matrix from them (nothing here may keep them: 1.5 GB at 100,000 reports)
        narrative = None if narrative is None else [take_back(x) for x in narrative]
        similarity, fam_input = self._similarity(reports, units, matches, passages, p, narrative,
                                                 stats)
        del narrative
        release_freed_memory()
        families, linkage = self._families(reports, fam_input, p)
        del fam_input  # the condensed distances: 400 MB at 10,000 reports
        timings["similarity"] = time.perf_counter() - t

        release_freed_memory()
        t = time.perf_counter()
        scores, yoy = self._colleague_measures(reports, scores, info, p, measures_cache, pending)
        timings["measures"] = time.perf_counter() - t

        ids = np.array([r.id for r in reports], dtype=object)
        self.units_ = self._unit_frame(units, ids, matches.unit_g)
        self.group_pairs_ = self._group_pair_frame(matches)
        # pairs_ is listed on first use (tens of millions of unit pairs in a large corpus)
        self._matches = matches
        self._pair_ctx = (units["rep"].to_numpy(), ids)
        self.clusters_ = clusters
        self.passages_ = passages
        self.report_scores_ = scores
        self.similarity_ = similarity
        self.families_ = families
        self.linkage_ = linkage
        self.yoy_ = yoy
        timings["total"] = time.perf_counter() - t0
        stats["timings"] = timings
        stats["n_pairs"] = matches.n_pairs()
        stats["n_clusters"] = len(clusters)
        stats["n_passages"] = len(passages)
        self.stats_ = stats
        logger.info("ReuseDetector: %d reports, %d units, %d pairs, %d clusters, %d passages "
                    "in %.1f s", len(reports), len(units), stats["n_pairs"], len(clusters),
                    len(passages), timings["total"])
        return self

    # -- stage 0: reports -------------------------------------------------------------------
    def _report_info(self, reports: list, p: dict) -> pd.DataFrame:
        rows = []
        it = progress_bar(reports, desc="metadata", unit="report") if p["progress"] else reports
        for k, r in enumerate(it):
            row = {"rep": k, "report_id": r.id}
            for name in ("agency", "year", "level", "era", "published"):
                row[name] = _field(r, name)
            row["cohort"] = tuple(str(_field(r, f)) for f in p["cohort"])
            rows.append(row)
        info = pd.DataFrame(rows, columns=["rep", "report_id", "agency", "year", "level", "era",
                                           "published", "cohort"])
        info["agency"] = pd.Series(_none_obj(info["agency"]), dtype=object)
        # an unknown agency is the report's own agency
        akey = np.array([a if isinstance(a, str) and a else f"\x00{rid}"
                         for a, rid in zip(info["agency"], info["report_id"])], dtype=object)
        info["agency_key"] = _rank(akey)
        info["yearf"] = np.array([_year(y) for y in info["year"]], dtype=np.float64)
        info["pubf"] = np.array([_date(d) for d in info["published"]], dtype=np.float64)
        info["cohort_key"] = _rank(np.array(["\x1f".join(c) for c in info["cohort"]],
                                            dtype=object))
        info["cohort_size"] = info.groupby("cohort_key")["rep"].transform("size").astype(np.int64)
        return info

    # -- stage 1: units ---------------------------------------------------------------------
    def prepare(self, reports: Iterable, *, similarity: bool = False) -> PreparedReports:
        """The part of :meth:`fit` that looks at one report at a time, for a slice of the corpus.

        Splits each report into units (sentences or clauses) with their flags, masks the
        agency names for matching, shingles the units and cuts the clause fragments. Run it
        where the reports are (a worker process, a Dask worker), partition by partition, and
        give the results, in corpus order, to ``fit(corpus, prepared=[...])``; the fitted
        attributes are the same as those of ``fit(corpus)``.

        Parameters
        ----------
        reports : Corpus or iterable of Report
            Consecutive reports of the corpus that will be fitted.
        similarity : bool, default=False
            Also count the character n-grams of each report's narrative, which
            ``similarity_`` compares (``fit`` otherwise counts them when it needs them, in one
            process). They take 12 bytes per distinct n-gram of each narrative (about 15 MB
            per 1,000 synthetic reports) until ``fit`` has used them; from 20,000 reports
            ``fit`` keeps them on disk until its similarity step. :func:`govtext.analyze` asks
            for them. Every slice must say the same.

        Returns
        -------
        PreparedReports
        """
        if not isinstance(similarity, bool):
            raise _param_error("similarity", "a bool", similarity)
        return self._prepare(_reports_of(reports), self._validate(), similarity)

    def _prepare(self, reports: list, p: dict, similarity: bool = False) -> PreparedReports:
        from govtext._shingles import shingle_counts, shingle_texts

        units, texts = self._units(reports, p)
        match = np.flatnonzero(units["_match"].to_numpy())
        sets = shingle_texts([texts[k] for k in match], n=p["ngram"], mask_digits=p["mask_digits"])
        fragments = self._fragments(units, p) if p["fragments"] and p["unit"] == "sentence" else None
        aligned = [_mask_structure(r.text, units, k) for k, r in enumerate(reports)]
        narrative = None
        if similarity:
            narrative = _narrow_counts(shingle_counts(self._narratives(reports, units, p), n=p["ngram"],
                                                      mask_digits=False))
        return PreparedReports(ids=tuple(r.id for r in reports), params=_prep_key(p), units=units,
                               texts=texts, sets=sets, fragments=fragments, aligned=aligned,
                               narrative=narrative)

    def _units(self, reports: list, p: dict) -> tuple[pd.DataFrame, list[str]]:
        from govtext.sentences import sentence_spans

        rep, start, end, section, heading, texts = [], [], [], [], [], []
        it = progress_bar(reports, desc="units", unit="report") if p["progress"] else reports
        for k, r in enumerate(it):
            text = r.text
            for a, b, key, head in sentence_spans(r, clauses=p["unit"] == "clause"):
                rep.append(k)
                start.append(a)
                end.append(b)
                section.append(key)
                heading.append(head)
                texts.append(text[a:b])
        mask = p["mask_digits"]
        n_sym = np.fromiter((len(_symbols(t, mask)) for t in texts), dtype=np.int64,
                            count=len(texts))
        units = pd.DataFrame({
            "rep": np.asarray(rep, dtype=np.int64),
            "start": np.asarray(start, dtype=np.int64),
            "end": np.asarray(end, dtype=np.int64),
            "section": np.asarray(section, dtype=object),
            "heading": np.asarray(heading, dtype=bool),
            "n_symbols": n_sym,
        })
        units["n_chars"] = units["end"] - units["start"]
        units["_text"] = np.asarray(texts, dtype=object) if texts else np.empty(0, dtype=object)
        # a title line (``XX镇人民政府2023年政府信息公开工作年度报告``, no sentence punctuation)
        # is structure, as headings are: every report has one; so is the signature (the issuing
        # body and the date, ``XX镇人民政府`` / ``2024年1月20日``), which repeats every year
        title = np.fromiter((bool(_TITLE_RE.match(t) or _SIGNATURE_RE.match(t)) for t in texts),
                            dtype=bool, count=len(texts))
        units["heading"] = units["heading"].to_numpy() | title
        units["_match"] = ~units["heading"].to_numpy() & (n_sym >= p["min_unit_chars"])
        if p["mask_agency"]:
            texts = _mask_agency_names(reports, units, texts)
        return units, texts

    # -- stage 2: pairs ----------------------------------------------------------------------
    def _pairs(self, units: pd.DataFrame, sets: Any, p: dict):
        """Matches of the matchable units, whose shingle sets are ``sets``."""
        from govtext._allpairs import all_pairs
        from govtext._lsh import lsh_pairs

        match = np.flatnonzero(units["_match"].to_numpy())
        if p["method"] == "lsh":
            res, groups = lsh_pairs(sets, threshold=p["threshold"], num_perm=p["num_perm"],
                                    target_recall=p["target_recall"], measure=p["measure"],
                                    random_state=p["random_state"],
                                    max_bucket_size=p["max_bucket_size"], expand=False)
        elif p["measure"] == "jaccard":
            res, groups = all_pairs(sets, threshold=p["threshold"], expand=False)
        else:
            res, groups = _exact_containment(sets, p["threshold"], expand=False)
        matches = _Matches(len(units), match, groups, res, sets.indptr)
        pstats = {k: (float(v) if isinstance(v, float) else int(v))
                  for k, v in res.stats.items() if isinstance(v, int | float | np.integer)}
        pstats["n_duplicate_pairs"] = matches.n_within_pairs()
        return matches, pstats

    # -- stage 3: clusters -------------------------------------------------------------------
    def _clusters(self, units: pd.DataFrame, m: _Matches) -> tuple[np.ndarray, np.ndarray]:
        """Connected components of the matches (on the groups: a group is connected) and
        each unit's number of matches."""
        import scipy.sparse as sp
        from scipy.sparse.csgraph import connected_components

        n = len(units)
        cluster = np.full(n, -1, dtype=np.int64)
        degree = np.zeros(n, dtype=np.int64)
        ng = m.n_groups
        if ng == 0:
            return cluster, degree
        gs = m.sizes
        graph = sp.csr_matrix((np.ones(m.gi.size, dtype=np.int8), (m.gi, m.gj)), shape=(ng, ng))
        _, comp = connected_components(graph, directed=False)
        # matches of a unit: the rest of its group and every member of a linked group
        deg_g = gs - 1
        deg_g += np.bincount(m.gi, weights=gs[m.gj], minlength=ng).astype(np.int64)
        deg_g += np.bincount(m.gj, weights=gs[m.gi], minlength=ng).astype(np.int64)
        unit = m.members
        g = m.unit_g[unit]
        degree[unit] = deg_g[g]
        comp_units = np.bincount(comp, weights=gs).astype(np.int64)
        cu = comp[g]
        multi = comp_units[cu] >= 2
        # number clusters by their first unit (units are in (report_id, start) order)
        first = np.full(comp_units.size, n, dtype=np.int64)
        np.minimum.at(first, cu, unit)
        keep = np.flatnonzero(comp_units >= 2)
        order = keep[np.argsort(first[keep], kind="stable")]
        new_id = np.full(comp_units.size, -1, dtype=np.int64)
        new_id[order] = np.arange(order.size)
        cluster[unit[multi]] = new_id[cu[multi]]
        return cluster, degree

    def _cluster_frame(self, units: pd.DataFrame, info: pd.DataFrame,
                       degree: np.ndarray) -> pd.DataFrame:
        cols = CLUSTER_COLUMNS
        m = units.loc[units["cluster_id"] >= 0, ["cluster_id", "rep"]].copy()
        if m.empty:
            return _empty_frame(cols, {"cluster_id": "int64", "size": "int64",
                                       "n_reports": "int64", "n_agencies": "int64",
                                       "years": object, "exemplar": object,
                                       "exemplar_unit": "int64"})
        m["unit"] = m.index.to_numpy()
        m["degree"] = degree[m["unit"].to_numpy()]
        m["agency_key"] = info["agency_key"].to_numpy()[m["rep"].to_numpy()]
        m["yearf"] = info["yearf"].to_numpy()[m["rep"].to_numpy()]
        g = m.groupby("cluster_id", sort=True)
        size = g.size()
        n_rep = g["rep"].nunique()
        n_ag = g["agency_key"].nunique()
        years = _joined_years(m["cluster_id"].to_numpy(), m["yearf"].to_numpy(), size.index.to_numpy())
        ex = m.sort_values(["cluster_id", "degree", "unit"], ascending=[True, False, True],
                           kind="stable").drop_duplicates("cluster_id")
        ex = ex.set_index("cluster_id")["unit"]
        out = pd.DataFrame({
            "cluster_id": size.index.to_numpy(dtype=np.int64),
            "size": size.to_numpy(dtype=np.int64),
            "n_reports": n_rep.to_numpy(dtype=np.int64),
            "n_agencies": n_ag.to_numpy(dtype=np.int64),
            "years": _obj(years),
            "exemplar": _obj(units["_text"].take(ex.to_numpy()).to_numpy(dtype=object)),
            "exemplar_unit": ex.to_numpy(dtype=np.int64),
        })
        return out.reset_index(drop=True)

    # -- stage 4: labels ---------------------------------------------------------------------
    def _label(self, units: pd.DataFrame, m: _Matches, info: pd.DataFrame,
               p: dict, sets: Any = None, stats_out: dict | None = None) -> pd.DataFrame:
        """Labels from each unit's matches; returns the support of report pairs.

        Labels use the unit's *direct* matches (its verified pairs), not its whole cluster: a
        connected component can chain variants A ~ B ~ C whose ends share little, and in a large
        corpus chaining through stock phrasing joins unrelated sentences.

        The reports holding a unit or a match of it are the same for every member of its
        group, so they are computed once per group (``R(g)``, the reports of the group and of
        its linked groups); only units found in at most ``relation_max_reports`` reports,
        which can relate reports, are expanded to (unit, other report) rows.
        """
        if stats_out is None:
            stats_out = {}
        n = len(units)
        rep = units["rep"].to_numpy()
        # one str object per label value, shared by the units (``astype(object)`` of a str
        # array makes one object a unit: about 60 bytes each, kept in ``units_``)
        label = np.array(["heading", "own", "short"], dtype=object)[
            np.where(units["heading"].to_numpy(), 0, np.where(units["_match"].to_numpy(), 1, 2))]
        cohort_size = info["cohort_size"].to_numpy()[rep]
        boiler = np.where(units["_match"].to_numpy(), 1.0 / cohort_size, np.nan)
        n_reports = np.ones(n, dtype=np.int64)
        n_agencies = np.ones(n, dtype=np.int64)
        source = np.full(n, None, dtype=object)
        support = pd.DataFrame({"r": pd.Series(dtype="int64"), "s": pd.Series(dtype="int64"),
                                "chars": pd.Series(dtype="float64"),
                                "units": pd.Series(dtype="int64")})
        n_rep = len(info)
        ng = m.n_groups
        if ng:
            # R(g): rows (g, s), sorted, of the reports holding a member of g or of a linked group
            # only the structure is used: boolean products (an OR of ANDs, never a zero to
            # drop) hold a byte an entry where counts held eight
            held = m.report_groups(rep, n_rep).T.tocsr().astype(bool)
            reach = (m.adjacency().astype(bool) @ held).tocsr()
            del held
            reach.sum_duplicates()
            reach.sort_indices()
            r_ptr = reach.indptr.astype(np.int64)
            # the arrays of one row per (group, reached report), the largest of the labels,
            # hold report and group numbers in int32 when they fit (half the memory; every
            # key computed from them multiplies by an int64 scalar, so it is int64)
            r_s = reach.indices.astype(_index_dtype(n_rep), copy=False)
            del reach
            kg = np.diff(r_ptr)
            ug = m.unit_g
            idx = np.flatnonzero(ug >= 0)
            idx = idx[kg[ug[idx]] >= 2]  # units matched in another report
        else:
            idx = np.zeros(0, dtype=np.int64)
        if idx.size:
            ag = info["agency_key"].to_numpy()
            yr = info["yearf"].to_numpy()
            ck = info["cohort_key"].to_numpy()
            nr1 = np.int64(n_rep + 1)
            g_idx = ug[idx]
            r_idx = rep[idx]
            k = kg[g_idx]  # reports holding the unit or a match of it
            n_reports[idx] = k
            # keys of (group, value of a reached report) made a block of rows at a time: the
            # rows number about 75 million at 100,000 reports
            n_a = np.int64(int(ag.max()) + 1)
            n_agencies[idx] = _distinct_per_row(r_ptr, r_s, ag, n_a)[g_idx]
            # template: share of the unit's cohort holding it (its own report included)
            n_ck = np.int64(int(ck.max()) + 1)
            ckey, ccount = _row_value_counts(r_ptr, r_s, ck, n_ck)
            q = _searchsorted(ckey, g_idx * n_ck + ck[r_idx])
            cnt = ccount[q].astype(np.int64)
            del ckey, ccount, q
            share = cnt / cohort_size[idx]
            boiler[idx] = share
            tmpl = (share >= p["template_share"] - 1e-12) & (cnt >= p["template_min_reports"])
            min_ag = p["template_min_agencies"]
            spread = (n_agencies[idx] >= min_ag) if min_ag else np.zeros(idx.size, dtype=bool)
            pos = np.full(n, -1, dtype=np.int64)
            pos[idx] = np.arange(idx.size)
            n_chars = units["n_chars"].to_numpy()
            small = k <= p["relation_max_reports"]
            # (unit, other report) rows of the units that can relate reports, sorted by
            # (unit, report); ei: the unit's position in idx
            sm = np.flatnonzero(small)
            c = kg[g_idx[sm]]
            tot = int(c.sum())
            at = np.repeat(r_ptr[g_idx[sm]] - (np.cumsum(c) - c), c) + np.arange(tot, dtype=np.int64)
            s_arr = r_s[at].astype(np.int32)
            del at
            ei = np.repeat(sm.astype(np.int32), c)
            keep = s_arr != r_idx[ei]
            s_arr, ei = s_arr[keep], ei[keep]
            del keep
            u_arr = idx[ei].astype(np.int32)
            r_arr = r_idx[ei].astype(np.int32)

            def relations(tm: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
                """Reuse relations: reports sharing enough non-template text."""
                free = np.flatnonzero(~tm[ei])
                w = n_chars[u_arr[free]] / (k[ei[free]] - 1.0)
                # grouped on one int64 key r * nr1 + s (sorted as (r, s)): a two-column
                # groupby holds several codes a row; the sums are the same (same rows, order)
                key = r_arr[free].astype(np.int64) * nr1
                key += s_arr[free]
                g = pd.Series(w, copy=False).groupby(key, sort=True)
                del key, w
                chars = g.sum()
                units_n = g.size()
                del g
                kk = chars.index.to_numpy(dtype=np.int64)
                sup = pd.DataFrame({"r": kk // nr1, "s": kk % nr1,
                                    "chars": chars.to_numpy(dtype=np.float64),
                                    "units": units_n.to_numpy(dtype=np.int64)})
                del chars, units_n, kk
                sup = sup.loc[sup["units"] >= p["min_shared_units"]]
                return sup, sup.loc[sup["chars"] >= p["min_shared_chars"] - 1e-9, ["r", "s"]], free

            # spread: held by reports of >= template_min_agencies agencies, counting only the
            # reports *unrelated* to the unit's report (a county's agencies copying one
            # another share a passage with related reports; a template spreads beyond them)
            # two rounds: relations without the cohort templates, then without the spread
            # units found with them
            support, ok, free = relations(tmpl)
            if spread.any():
                cand = np.flatnonzero(spread)
                # reports of each agency in R(g)
                akey, acount = _row_value_counts(r_ptr, r_s, ag, n_a)
                base = n_agencies[idx[cand]] - 1  # other agencies holding the unit
                for _ in range(2):
                    n_unrel = base - _agencies_all_related(
                        cand, g_idx, r_idx, ok, ag, r_ptr, r_s, akey, acount, n_a, n_rep)
                    spread = np.zeros(idx.size, dtype=bool)
                    spread[cand] = 1 + n_unrel >= min_ag
                    support, ok, free = relations(tmpl | spread)
            if min_ag:
                # wording that no other agency has identically (the same group: numbers and
                # names masked) spreads only over one agency more than the rule asks: own
                # sentences of one pattern match a few agencies' sentences by chance; a
                # sentence held identically by template_min_agencies agencies, related or not,
                # that is not part of a longer passage shared with them (neither neighbouring
                # sentence is found in their reports) is circulated text: a copy is edited,
                # a passage copied whole is more than one sentence
                mem = m.members
                nag_same = _distinct_per_group(ug[mem], ag[rep[mem]].astype(np.int64), ng)[g_idx]
                spread0 = spread.copy()
                if spread.any():
                    loose = np.zeros(idx.size, dtype=bool)
                    loose[cand] = 1 + n_unrel < min_ag + 1
                    spread &= ~(loose & (nag_same < 2))
                same = np.flatnonzero((nag_same >= min_ag) & ~(tmpl | spread))
                if same.size:
                    spread[same] = _isolated(same, idx, g_idx, rep, pos, tmpl | spread, r_ptr,
                                             r_s, mem, ug)
                if (spread != spread0).any():
                    support, ok, free = relations(tmpl | spread)
            tmpl = tmpl | spread
            if p["weak_threshold"] > 0 and sets is not None:
                # reports sharing a matched unit but not related: compare all their units at the
                # weak threshold (heavily edited copies fall below ``threshold``)
                unit_tmpl = np.zeros(n, dtype=bool)
                unit_tmpl[idx] = tmpl
                unit_k = np.ones(n, dtype=np.int64)
                unit_k[idx] = k
                ckey = np.unique(np.minimum(r_arr[free], s_arr[free]).astype(np.int64) * nr1
                                 + np.maximum(r_arr[free], s_arr[free]).astype(np.int64))
                okk = ok["r"].to_numpy(np.int64), ok["s"].to_numpy(np.int64)
                done = np.unique(np.minimum(*okk) * nr1 + np.maximum(*okk))
                if p["weak_min_shingles"]:
                    # and reports sharing enough rare shingles (a copy may share no matched
                    # unit at all with its source)
                    ckey = np.union1d(ckey, _rare_shingle_pairs(
                        units, sets, unit_tmpl, p["max_anchor_reports"], p["weak_min_shingles"],
                        nr1))
                ckey = ckey[~_isin_sorted(ckey, done)]
                weak = _weak_relations(ckey // nr1, ckey % nr1, units, sets, unit_tmpl, unit_k,
                                       p)
                stats_out["n_weak_candidates"] = int(ckey.size)
                stats_out["n_weak_related"] = len(weak)
                if len(weak):
                    both = pd.concat([weak, weak.rename(columns={"r": "s", "s": "r"})],
                                     ignore_index=True)
                    support = pd.concat([support, both], ignore_index=True)
                    support = support.sort_values(["r", "s"], kind="stable").reset_index(drop=True)
                    ok = support.loc[support["chars"] >= p["min_shared_chars"] - 1e-9, ["r", "s"]]
            lab = np.array(["own", "template"], dtype=object)[tmpl.astype(np.intp)]
            src = np.full(idx.size, -1, dtype=np.int64)
            # int32 rows (u_arr, r_arr and s_arr are): the same matches, half the memory
            links = pd.DataFrame({"unit": u_arr[free], "r": r_arr[free],
                                  "s": s_arr[free]}).merge(ok, on=["r", "s"])
            if len(links):
                li = pos[links["unit"].to_numpy()]
                sy = yr[links["s"].to_numpy()]
                u_yr = yr[rep[links["unit"].to_numpy()]]
                same = ag[links["s"].to_numpy()] == ag[links["r"].to_numpy()]
                rec = same & (sy < u_yr)
                if p["directed"]:
                    # not a copy of a later report: a later year, or the same year and a later
                    # publication date (both known)
                    cop = ~same & ~(sy > u_yr) & ~_before(info, links["r"].to_numpy(),
                                                          links["s"].to_numpy())
                else:
                    cop = ~same
                links = links.assign(i=li, kind=np.where(rec, 0, np.where(cop, 1, 2)),
                                     ykey=np.nan_to_num(sy, nan=-np.inf))
                best = links.loc[links["kind"] < 2].sort_values(
                    ["i", "kind", "ykey", "s"], kind="stable").drop_duplicates("i")
                bi = best["i"].to_numpy()
                lab[bi] = np.where(best["kind"].to_numpy() == 0, "recycled", "copied")
                src[bi] = best["s"].to_numpy()
            label[idx] = lab
            ids = info["report_id"].to_numpy(dtype=object)
            has = src >= 0
            source[idx[has]] = ids[src[has]]
        units["label"] = label
        units["boilerplate"] = boiler
        units["n_reports"] = n_reports
        units["n_agencies"] = n_agencies
        units["source"] = source
        return support

    # -- stage 5: passages -------------------------------------------------------------------
    def _passages(self, reports: list, units: pd.DataFrame, m: _Matches, support: pd.DataFrame,
                  info: pd.DataFrame, p: dict, fragments: tuple | None, aligned: list[str],
                  ) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
        """Passages of the report pairs that share units or fragments (``aligned``: each
        report's text with its structure masked, see :func:`_mask_structure`)."""
        dtypes = {"report_a": object, "a_start": "int64", "a_end": "int64", "report_b": object,
                  "b_start": "int64", "b_end": "int64", "matched_chars": "int64",
                  "score": "float64", "label": object, "related": bool}
        pos = _chronology(info)
        # related pairs (enough shared text): whole narratives are aligned
        rel = support.loc[support["chars"] >= p["min_shared_chars"] - 1e-9, ["r", "s"]].to_numpy()
        if rel.size:
            a = np.where(pos[rel[:, 0]] < pos[rel[:, 1]], rel[:, 0], rel[:, 1])
            b = np.where(pos[rel[:, 0]] < pos[rel[:, 1]], rel[:, 1], rel[:, 0])
            rel_pairs = sorted(set(zip(a.tolist(), b.tolist())))
        else:
            rel_pairs = []
        related = set(rel_pairs)
        # anchors: matched unit pairs (of related reports, or of rare units) and identical
        # rare clauses, as span pairs oriented earlier -> later
        cap = p["max_anchor_reports"]
        parts = [_unit_anchors(units, m, pos, related, cap)]
        if fragments is not None:
            frag = _factorize_fragments(fragments)
            if len(frag):
                frag["pos"] = pos[frag["rep"].to_numpy()]
                parts.append(_group_span_pairs(frag, cap))
            del frag
        sp = pd.concat(parts, ignore_index=True).drop_duplicates()
        sp = sp.sort_values(["ra", "rb", "a0", "b0", "a1", "b1"], kind="stable")
        anchors: dict[tuple[int, int], list[tuple[int, int, int, int]]] = {}
        for ra, rb, a0, a1, b0, b1 in sp.itertuples(index=False, name=None):
            anchors.setdefault((ra, rb), []).append((a0, a1, b0, b1))
        del sp, parts  # the anchors hold the spans (the frames took 0.6 GB at 100,000 reports)
        other_pairs = sorted(k for k in anchors if k not in related)
        jobs = ([(ra, rb, True, sorted(anchors.get((ra, rb), []))) for ra, rb in rel_pairs]
                + [(ra, rb, False, sorted(anchors[ra, rb])) for ra, rb in other_pairs])
        del anchors
        stats = {"n_related_pairs": len(rel_pairs), "n_anchor_pairs": len(other_pairs)}
        arrays = (units["rep"].to_numpy(), units["start"].to_numpy(), units["end"].to_numpy())
        from govtext._workers import batch_runner

        args = (p["ngram"], p["mask_digits"], p["min_passage_chars"])
        cuts = range(0, len(jobs), _ALIGN_BATCH)
        runner = batch_runner()
        if hasattr(runner, "share"):
            # the workers get the texts once; a batch is then a list of jobs, which they turn
            # into alignment tasks themselves
            shared = runner.share((aligned, arrays))
            done = runner.map_batches(_align_jobs, (_pack_jobs(jobs[k:k + _ALIGN_BATCH]) for k in cuts),
                                      (shared, *args))
        else:
            done = _map_batches(_align_batch, ([_align_task(aligned, arrays, *job)
                                                for job in jobs[k:k + _ALIGN_BATCH]] for k in cuts),
                                args, p["n_jobs"])
        if p["progress"]:
            done = progress_bar(done, desc="passages", unit="batch",
                                total=-(-len(jobs) // _ALIGN_BATCH))
        parts_rows: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        parts_cover = [np.zeros((0, 6), dtype=np.int64)]
        for batch_rows, batch_cover in done:
            parts_rows.append(batch_rows)
            parts_cover.append(batch_cover)
        del done, jobs
        cover = np.concatenate(parts_cover)
        del parts_cover
        cover_frame = pd.DataFrame(cover, columns=["ra", "rb", "a_start", "a_end", "b_start",
                                                   "b_end"])
        del cover
        if not sum(len(x[1]) for x in parts_rows):
            return _empty_frame(list(dtypes), dtypes), cover_frame, stats
        ints, score, rel_flag = (np.concatenate(x) for x in zip(*parts_rows))
        del parts_rows
        arr = pd.DataFrame(ints, columns=["ra", "a_start", "a_end", "rb", "b_start", "b_end",
                                          "matched_chars"])
        del ints
        arr["score"] = score
        arr["related"] = rel_flag
        del score, rel_flag
        arr["label"] = self._passage_labels(arr, units, info)
        ids = info["report_id"].to_numpy(dtype=object)
        out = pd.DataFrame({
            "report_a": _obj(ids[arr["ra"].to_numpy()]),
            "a_start": arr["a_start"].to_numpy(dtype=np.int64),
            "a_end": arr["a_end"].to_numpy(dtype=np.int64),
            "report_b": _obj(ids[arr["rb"].to_numpy()]),
            "b_start": arr["b_start"].to_numpy(dtype=np.int64),
            "b_end": arr["b_end"].to_numpy(dtype=np.int64),
            "matched_chars": arr["matched_chars"].to_numpy(dtype=np.int64),
            "score": arr["score"].to_numpy(dtype=np.float64),
            "label": _obj(arr["label"].to_numpy(dtype=object)),
            "related": arr["related"].to_numpy(dtype=bool),
        })
        out = out.sort_values(["report_a", "report_b", "a_start", "b_start", "a_end", "b_end"],
                              kind="stable").reset_index(drop=True)
        return out.astype(dtypes), cover_frame, stats

    def _fragments(self, units: pd.DataFrame, p: dict) -> tuple:
        """Clauses of matchable sentences: ``(rep, start, end, keys)``, keyed by their symbol
        string (identical clauses have the same key)."""
        from govtext.sentences import split_clauses

        texts = units["_text"].to_numpy()
        idx = np.flatnonzero(units["_match"].to_numpy())
        rep_a = units["rep"].to_numpy()
        start_a = units["start"].to_numpy()
        reps, starts, ends, keys = [], [], [], []
        mask = p["mask_digits"]
        lim = max(p["min_unit_chars"], _FRAGMENT_MIN_SYMBOLS)
        for k in idx.tolist():
            t = texts[k]
            cl = split_clauses(t)
            if len(cl) < 2:
                continue
            s0 = int(start_a[k])
            for a, b in cl:
                sym = _symbols(t[a:b], mask)
                if len(sym) < lim:
                    continue
                reps.append(rep_a[k])
                starts.append(s0 + a)
                ends.append(s0 + b)
                keys.append(sym)
        return (np.asarray(reps, dtype=np.int64), np.asarray(starts, dtype=np.int64),
                np.asarray(ends, dtype=np.int64), keys)

    @staticmethod
    def _passage_labels(arr: pd.DataFrame, units: pd.DataFrame,
                        info: pd.DataFrame) -> np.ndarray:
        ag = info["agency_key"].to_numpy()
        yr = info["yearf"].to_numpy()
        ra = arr["ra"].to_numpy()
        rb = arr["rb"].to_numpy()
        same = ag[ra] == ag[rb]
        earlier = yr[ra] < yr[rb]
        lab = np.where(same, np.where(earlier, "recycled", "own"), "copied").astype(object)
        # template when most of the b span lies in template units
        tmpl = _covered_chars(rb, arr["b_start"].to_numpy(), arr["b_end"].to_numpy(), units,
                              "template")
        length = (arr["b_end"] - arr["b_start"]).to_numpy()
        lab[tmpl * 2 > length] = "template"
        return lab

    def _coverage(self, units: pd.DataFrame, cover: pd.DataFrame, info: pd.DataFrame,
                  p: dict) -> None:
        """Own units mostly covered by passages aligned with a related report take the label of
        that relation (``recycled``: the same agency, an earlier year; ``copied``: another
        agency). ``cover`` holds every alignment of the related pairs, short ones included."""
        if cover.empty:
            return
        ag = info["agency_key"].to_numpy()
        yr = info["yearf"].to_numpy()
        ra = cover["ra"].to_numpy()
        rb = cover["rb"].to_numpy()
        same = ag[ra] == ag[rb]
        earlier = yr[ra] < yr[rb]
        lab = np.where(same, np.where(earlier, "recycled", "own"), "copied").astype(object)
        keep = lab != "own"
        if p["directed"]:
            keep &= ~(~same & _before(info, rb, ra))  # never: a is the earlier by construction
        cv = cover.loc[keep]
        ra, rb, lab = ra[keep], rb[keep], lab[keep]
        if cv.empty:
            return
        # targets: the b side; for copied text without a known order (same or unknown year
        # and no two different publication dates, or directed=False), also the a side
        sym = (lab == "copied") & (~_before(info, ra, rb) | (not p["directed"]))
        tgt = pd.DataFrame({
            "rep": np.r_[rb, ra[sym]],
            "s": np.r_[cv["b_start"].to_numpy(), cv["a_start"].to_numpy()[sym]],
            "e": np.r_[cv["b_end"].to_numpy(), cv["a_end"].to_numpy()[sym]],
            "src": np.r_[ra, rb[sym]],
            "os": np.r_[cv["a_start"].to_numpy(), cv["b_start"].to_numpy()[sym]],
            "oe": np.r_[cv["a_end"].to_numpy(), cv["b_end"].to_numpy()[sym]],
            "label": np.r_[lab, lab[sym]],
        })
        own = units.loc[units["label"] == "own", ["rep", "start", "end"]]
        if own.empty:
            return
        j = own.reset_index().merge(tgt, on="rep")
        j = j.loc[(j["s"] < j["end"]) & (j["e"] > j["start"])]
        if j.empty:
            return
        # the counterpart: the unit of the source report that the covered part of the unit is
        # aligned with (its middle mapped linearly through the passage); a unit covered by
        # stock clauses aligned with several different sentences is not an edited copy of one
        cs = np.maximum(j["s"].to_numpy(), j["start"].to_numpy())
        ce = np.minimum(j["e"].to_numpy(), j["end"].to_numpy())
        blen = np.maximum(j["e"].to_numpy() - j["s"].to_numpy(), 1)
        mid = j["os"].to_numpy() + ((cs + ce) // 2 - j["s"].to_numpy()) * (
            j["oe"].to_numpy() - j["os"].to_numpy()) // blen
        span = np.int64(max(int(units["end"].max()), int(mid.max())) + 1)
        ukey = units["rep"].to_numpy(np.int64) * span + units["start"].to_numpy(np.int64)
        v = np.searchsorted(ukey, j["src"].to_numpy(np.int64) * span + mid, side="right") - 1
        v = np.maximum(v, 0)
        # the part of the counterpart aligned with the covered part of the unit
        os_, oe_ = j["os"].to_numpy(), j["oe"].to_numpy()
        ocs = os_ + (cs - j["s"].to_numpy()) * (oe_ - os_) // blen
        oce = os_ + (ce - j["s"].to_numpy()) * (oe_ - os_) // blen
        g0 = units["start"].to_numpy()[v]
        g1 = units["end"].to_numpy()[v]
        j = j.assign(grp=v, cs=cs, ce=ce, ocs=np.clip(ocs, g0, g1), oce=np.clip(oce, g0, g1))
        cov = _counterpart_coverage(j, units["n_chars"].to_numpy(), p["min_coverage"])
        if cov.empty:
            return
        cov["prio"] = cov["label"].map({"recycled": 0, "copied": 1})
        cov["src_year"] = np.nan_to_num(yr[cov["src"].to_numpy()], nan=-np.inf)
        cov = cov.sort_values(["index", "prio", "src_year", "src"], kind="stable")
        cov = cov.drop_duplicates("index")
        ids = info["report_id"].to_numpy(dtype=object)
        ui = cov["index"].to_numpy()
        units.loc[ui, "label"] = cov["label"].to_numpy(dtype=object)
        units.loc[ui, "source"] = ids[cov["src"].to_numpy()]

    def _edited_copies(self, units: pd.DataFrame, texts: list[str], sets: Any,
                       support: pd.DataFrame, info: pd.DataFrame, p: dict) -> int:
        """Own units of a related report of another agency that are edited copies of a unit of
        that report: ``copied`` (its earliest such source). Returns how many were relabelled.

        For each related pair of two agencies (oriented by chronology; both sides when the
        order of the copy is unknown), every ``own`` unit of the later report is compared with
        the non-template units of the earlier one: the (at most ``_EDIT_CANDIDATES``) most similar by shingle
        Jaccard, at least ``_EDIT_MIN_JACCARD``, are scored by the similarity of the symbol
        strings (:func:`_edit_ratio`); the unit is an edited copy when the best reaches
        ``edit_similarity``.
        """
        thr = p["edit_similarity"]
        if thr <= 0 or support.empty:
            return 0
        rel = support.loc[support["chars"] >= p["min_shared_chars"] - 1e-9, ["r", "s"]]
        if rel.empty:
            return 0
        pos = _chronology(info)
        r0, s0 = rel["r"].to_numpy(np.int64), rel["s"].to_numpy(np.int64)
        first = pos[r0] < pos[s0]
        key = np.unique(np.where(first, r0, s0) * np.int64(len(info) + 1)
                        + np.where(first, s0, r0))
        ra, rb = key // np.int64(len(info) + 1), key % np.int64(len(info) + 1)
        ag = info["agency_key"].to_numpy()
        yr = info["yearf"].to_numpy()
        # copies by another agency only: an agency's own sentences of two years share its
        # facts and phrasing, so a similar sentence of its earlier report says little
        keep = ag[ra] != ag[rb]
        ra, rb = ra[keep], rb[keep]
        both = ~_before(info, ra, rb) | (not p["directed"])
        tgt = np.r_[rb, ra[both]]
        src = np.r_[ra, rb[both]]
        if tgt.size == 0:
            return 0
        rep = units["rep"].to_numpy()
        label = units["label"].to_numpy(dtype=object)
        matchable = units["_match"].to_numpy()
        body = matchable & (label != "template")
        rows = np.flatnonzero(np.isin(rep, np.union1d(tgt, src)) & body)
        if rows.size == 0:
            return 0
        # their shingle sets, as matched (rows are matchable: rows of ``sets``)
        indptr, col = _sub_csr(sets, np.searchsorted(np.flatnonzero(matchable), rows))
        k, ra, rb, jac = _cross_jaccard(indptr, col, rep[rows], tgt, src, len(info),
                                        _EDIT_MIN_JACCARD)
        del indptr, col
        # the own units of the target, their most similar units of the source
        sel = label[rows[ra]] == "own"
        k, ra, rb, jac = k[sel], ra[sel], rb[sel], jac[sel]
        order = np.lexsort((rb, -jac, ra, k))
        k, ra, rb = k[order], ra[order], rb[order]
        grp = np.r_[True, (k[1:] != k[:-1]) | (ra[1:] != ra[:-1])] if k.size else np.zeros(0, bool)
        first = np.flatnonzero(grp)
        rank = np.arange(k.size) - np.repeat(first, np.diff(np.r_[first, k.size]))
        top = rank < _EDIT_CANDIDATES
        k, ra, rb = k[top], ra[top], rb[top]
        sym: dict[int, str] = {}

        def symbols(i: int) -> str:
            if i not in sym:
                sym[i] = _symbols(texts[i], p["mask_digits"])
            return sym[i]

        found = []
        hit_units: set[tuple[int, int]] = set()
        for kk, a, b in zip(k.tolist(), rows[ra].tolist(), rows[rb].tolist()):
            if (kk, a) in hit_units:
                continue
            if _edit_ratio(symbols(a), symbols(b)) >= thr - 1e-12:
                hit_units.add((kk, a))
                found.append((a, int(src[kk])))
        if not found:
            return 0
        f = pd.DataFrame(found, columns=["index", "src"])
        f["src_year"] = np.nan_to_num(yr[f["src"].to_numpy()], nan=-np.inf)
        f = f.sort_values(["index", "src_year", "src"], kind="stable").drop_duplicates("index")
        ids = info["report_id"].to_numpy(dtype=object)
        ui = f["index"].to_numpy()
        units.loc[ui, "label"] = "copied"
        units.loc[ui, "source"] = ids[f["src"].to_numpy()]
        return int(ui.size)

    # -- stage 6: report scores --------------------------------------------------------------
    def _report_scores(self, reports: list, units: pd.DataFrame,
                       info: pd.DataFrame) -> pd.DataFrame:
        n = len(reports)
        body = units.loc[units["label"] != "heading"]
        rep = body["rep"].to_numpy()
        lab = body["label"].replace({"short": "own"}).to_numpy(dtype=object)
        nch = body["n_chars"].to_numpy(dtype=np.float64)
        tot_c = np.bincount(rep, weights=nch, minlength=n)
        tot_u = np.bincount(rep, minlength=n).astype(np.float64)
        out = pd.DataFrame({
            "report_id": _obj(info["report_id"].to_numpy(dtype=object)),
            "agency": _obj(_none_obj(info["agency"])),
            "year": pd.array([int(y) if not np.isnan(y) else None for y in info["yearf"]],
                             dtype="Int64"),
            "level": _obj(_none_obj(info["level"])),
            "era": _obj(_none_obj(info["era"])),
            "n_chars": tot_c.astype(np.int64),
            "n_units": tot_u.astype(np.int64),
        })
        with np.errstate(invalid="ignore", divide="ignore"):
            for name in ("template", "copied", "recycled", "own"):
                sel = lab == name
                c = np.bincount(rep[sel], weights=nch[sel], minlength=n)
                out[f"share_{name}"] = np.where(tot_c > 0, c / np.maximum(tot_c, 1), np.nan)
            for name in ("template", "copied", "recycled", "own"):
                sel = lab == name
                c = np.bincount(rep[sel], minlength=n).astype(np.float64)
                out[f"unit_share_{name}"] = np.where(tot_u > 0, c / np.maximum(tot_u, 1),
                                                     np.nan)
        return out[REPORT_SCORE_COLUMNS]

    def _colleague_measures(self, reports: list, scores: pd.DataFrame, info: pd.DataFrame,
                            p: dict, given: Any = None, pending: Any = None):
        """Merge :func:`govtext.measures.report_measures`; compute ``year_over_year``
        (``pending``: their frames, already computed where the cache entries are)."""
        if not p["measures"]:
            return scores, None
        if pending is not None:
            extra, yoy = pending.result()
        else:
            from govtext.measures import _PackedCorpus

            meta = _measures_meta(info, p["cohort"])
            got = None if given is None else given() if callable(given) else given
            if got is not None and not isinstance(got, _PackedCorpus):
                # cache entries (TokenizedReport) given by the caller: what they lack,
                # report_measures tokenises itself
                from govtext.records import Corpus

                extra, yoy = _corpus_measures(Corpus(reports), meta, p["cohort"], dict(got), p["progress"])
            else:
                # tokenising every report and its per-report row are the measures' main cost
                # (given packed by the pipeline, which does it where each partition is; here in
                # batches, in joblib workers with n_jobs). Only the packed units are held: a
                # report's tokens and tags are 5 times as large (see measures._PackedUnits)
                ids = [r.id for r in reports]
                packed = _PackedCorpus([] if got is None else got.batches, ids)
                if packed.missing:
                    todo = set(packed.missing)
                    left = [r for r in reports if r.id in todo]
                    batches = [left[k:k + _TOKENIZE_BATCH] for k in range(0, len(left), _TOKENIZE_BATCH)]
                    done = (_map_batches(_tokenize_batch, batches, (), p["n_jobs"]) if len(batches) > 1
                            else map(_tokenize_batch, batches))  # one batch: no worker started
                    if p["progress"]:
                        from govtext._progress import progress_bar

                        done = progress_bar(done, total=len(batches), desc="tokenize", unit="batch")
                    packed = _PackedCorpus([*packed.batches, *done], ids)
                    release_freed_memory()  # the batches' unpickling buffers
                extra, yoy = _corpus_measures(packed, meta, p["cohort"], None, p["progress"])
        extra = extra.drop(columns=[c for c in extra.columns if c in scores.columns and c != "report_id"])
        return scores.merge(extra, on="report_id", how="left", sort=False), yoy

    # -- stage 7: similarity and families ------------------------------------------------------
    def _narratives(self, reports: list, units: pd.DataFrame, p: dict, lo: int = 0,
                    hi: int | None = None) -> list[str]:
        """The narrative (units joined, as symbols) of reports ``lo:hi`` (default all)."""
        hi = len(reports) if hi is None else hi
        bounds = np.searchsorted(units["rep"].to_numpy(), np.arange(lo, hi + 1))
        # this slice's texts only: the column is Arrow-backed (pandas 3), and its whole
        # conversion to Python strings is 3.4 million objects at 100,000 reports
        texts = units["_text"].iloc[bounds[0]:bounds[-1]].to_numpy(dtype=object)
        bounds -= bounds[0]
        mask = p["mask_digits"]
        return [_symbols("".join(texts[bounds[k]:bounds[k + 1]]), mask)
                for k in range(hi - lo)]

    def _narrative_counts(self, reports: list, units: pd.DataFrame, p: dict) -> list:
        """:func:`~govtext._shingles.shingle_counts` of the narratives, slice by slice of
        ``_NARRATIVE_BATCH`` reports (the parts :func:`_tfidf_parts` takes): the narrative
        strings and the concatenation's temporaries then exist for one slice at a time. The
        counts of a text do not depend on the others, so neither do the parts' values."""
        from govtext._shingles import shingle_counts

        n = len(reports)
        parts = []
        for lo in range(0, n, _NARRATIVE_BATCH):
            texts = self._narratives(reports, units, p, lo, min(n, lo + _NARRATIVE_BATCH))
            parts.append(_narrow_counts(shingle_counts(texts, n=p["ngram"], mask_digits=False)))
        return parts

    def _similarity(self, reports: list, units: pd.DataFrame, m: _Matches, passages: pd.DataFrame,
                    p: dict, narrative: list | None = None, stats: dict | None = None):
        """Report-pair similarity, computed in row blocks of the upper triangle of the cosine
        matrix (never the whole ``n x n`` matrix at once), plus what the families need: the
        condensed distance vector (up to ``_FAMILY_MAX_REPORTS`` reports) or pairs with their
        cosines (``(i, j, cosine)``).

        Beyond ``similarity_exact_max_reports`` reports (and ``similarity_max_reports``), the
        blocked regime: only candidate pairs (:func:`_candidate_pairs`: passage-linked, or
        sharing rare shingles) are scored, and the families are computed from the scored
        candidates with their cosines.

        ``narrative``, the shingle counts of the narratives as a list of ``(sets, tf)`` parts
        (consecutive slices of the reports, as :meth:`prepare` gives them), is emptied as the
        TF-IDF matrix is built (see :func:`_tfidf_parts`); counted here when None."""
        n = len(reports)
        dtypes = {"report_a": object, "report_b": object, "jaccard": "float64",
                  "cosine": "float64", "shared_units": "int64"}
        if n < 2:
            return _empty_frame(SIMILARITY_COLUMNS, dtypes), np.zeros(0)
        everything = n <= p["similarity_max_reports"]
        bound = p["similarity_exact_max_reports"]
        blocked = not everything and bound is not None and n > bound
        # beyond similarity_max_reports: the pairs some passage links (and the close ones);
        # listed before the TF-IDF matrix exists, so their temporaries never meet it
        lkeys = None if everything else _linked_keys(passages, [r.id for r in reports])
        if narrative is None:
            narrative = self._narrative_counts(reports, units, p)
        x = _tfidf_parts(narrative, n)
        del narrative
        # the Jaccard's sets, kept past x: a report's columns are its distinct shingles (a
        # column is a hash's rank among the sorted distinct hashes, so the intersections are
        # those of the hashes), 4 bytes a shingle instead of the hashes' 8
        inc = (x.indptr, x.indices, x.shape[1])
        fam_cut = 1.0 - p["family_threshold"]
        if blocked:  # candidate pairs only: linear in n
            cand = _candidate_pairs(x, n, lkeys)
            # the pairs' report indices in int32 while n allows (millions of candidates)
            iu, ju = _key_pairs(cand, n)
            cos = _pair_cosines(x, iu, ju)
            np.clip(cos, 0.0, 1.0, out=cos)
            del x
            keep = _isin_sorted(cand, lkeys)
            keep |= cos >= p["similarity_floor"]
            if stats is not None:
                stats["similarity_candidates"] = int(cand.size)
            del cand
            # families: average linkage over every scored pair (the others count as 0)
            scored = cos > 0.0
            fam_e = [(iu[scored], ju[scored], cos[scored])]
            del scored
            kept_i, kept_j, kept_c = [iu[keep]], [ju[keep]], [cos[keep]]
            dense_families = False
            del iu, ju, cos, keep
            blocks = ()
        else:
            blocks = _cosine_blocks(x, n)
            del x  # the blocks keep their own split of it
            dense_families = n <= _FAMILY_MAX_REPORTS
            kept_i, kept_j, kept_c, fam_e = [], [], [], []
        condensed = np.zeros(n * (n - 1) // 2 if dense_families else 0, dtype=np.float64)
        for r0, r1, cb in blocks:
            # cb[i - r0, j - r0] is the cosine of reports i in [r0, r1) and j in [r0, n)
            np.clip(cb, 0.0, 1.0, out=cb)
            for i in range(r0, r1):
                row = cb[i - r0, i + 1 - r0:]
                if dense_families:
                    off = i * n - i * (i + 1) // 2  # condensed index of (i, i + 1)
                    condensed[off:off + row.size] = 1.0 - row
                else:
                    close = np.flatnonzero(row >= fam_cut - 1e-12)
                    if close.size:
                        fam_e.append((np.full(close.size, i, dtype=np.int64), i + 1 + close,
                                      row[close].astype(np.float64)))
            ii, jj = np.triu_indices(r1 - r0, k=1, m=n - r0)
            cc = cb[ii, jj]
            ii, jj = ii + r0, jj + r0
            if not everything:
                keep = (cc >= p["similarity_floor"]) | _isin_sorted(ii * n + jj, lkeys)
                ii, jj, cc = ii[keep], jj[keep], cc[keep]
            kept_i.append(ii)
            kept_j.append(jj)
            kept_c.append(cc)
            del cb
        # one part (the blocked regime) is taken as it is, not copied
        iu, ju, cos = (parts[0] if len(parts) == 1 else np.concatenate(parts)
                       for parts in (kept_i, kept_j, kept_c))
        del kept_i, kept_j, kept_c
        cos = cos.astype(np.float64, copy=False)
        shared = _shared_units(units["rep"].to_numpy(), m, n, iu, ju)
        # shingle Jaccard of the whole narratives, exact, for the kept pairs only
        inter = _row_intersections(*inc, iu, ju).astype(np.float64)
        sizes = np.diff(inc[0]).astype(np.int64)
        del inc
        union = sizes[iu] + sizes[ju] - inter
        jac = np.where(union > 0, inter / np.maximum(union, 1), 0.0)
        ids = np.array([r.id for r in reports], dtype=object)
        out = pd.DataFrame({
            "report_a": _obj(ids[iu]), "report_b": _obj(ids[ju]),
            "jaccard": jac.astype(np.float64),
            "cosine": cos,
            "shared_units": shared,
        })
        if dense_families:
            return out.astype(dtypes), condensed
        del iu, ju
        fam = tuple((np.concatenate([e[k] for e in fam_e]) if fam_e
                     else np.zeros(0)).astype(np.float64 if k == 2 else np.int64, copy=False)
                    for k in range(3))
        return out.astype(dtypes), fam

    def _families(self, reports: list, fam_input: Any, p: dict):
        """Average-linkage families: scipy's on the condensed distances up to
        ``_FAMILY_MAX_REPORTS`` reports; beyond (the condensed distance matrix would need
        ``4 n^2`` bytes), :func:`govtext._linkage.sparse_average_clusters` on the scored pairs
        (the others count as cosine 0) and an empty ``linkage_``."""
        from scipy.cluster.hierarchy import fcluster, linkage

        from govtext._linkage import sparse_average_clusters

        n = len(reports)
        ids = np.array([r.id for r in reports], dtype=object)
        if n < 2:
            fam = pd.DataFrame({"report_id": _obj(ids), "family": np.zeros(n, dtype=np.int64)})
            return fam, np.empty((0, 4), dtype=np.float64)
        if isinstance(fam_input, np.ndarray):
            dist = np.clip(fam_input, 0.0, 1.0, out=fam_input)  # in place: n^2 / 2 values
            z = linkage(dist, method="average")
            raw = fcluster(z, t=p["family_threshold"], criterion="distance")
        else:
            fi, fj, fc = fam_input
            cut = 1.0 - p["family_threshold"]
            if cut <= 0.0:  # every distance is within the cut: one family, as with scipy
                raw = np.zeros(n, dtype=np.int64)
            else:
                raw = sparse_average_clusters(n, fi, fj, fc, cut)
            z = np.empty((0, 4), dtype=np.float64)
        _, first = np.unique(raw, return_index=True)
        order = np.argsort(first, kind="stable")
        remap = np.empty(order.size, dtype=np.int64)
        remap[order] = np.arange(order.size)
        _, inv = np.unique(raw, return_inverse=True)
        fam = pd.DataFrame({"report_id": _obj(ids), "family": remap[inv].astype(np.int64)})
        return fam, z

    # -- frames -------------------------------------------------------------------------------
    @staticmethod
    def _unit_frame(units: pd.DataFrame, ids: np.ndarray, group_id: np.ndarray) -> pd.DataFrame:
        n = len(units)
        out = pd.DataFrame({
            "unit_id": np.arange(n, dtype=np.int64),
            "report_id": _obj(ids[units["rep"].to_numpy()] if n else []),
            "section": _obj(units["section"].to_numpy(dtype=object)),
            "start": units["start"].to_numpy(dtype=np.int64),
            "end": units["end"].to_numpy(dtype=np.int64),
            "text": _obj(units["_text"].to_numpy(dtype=object)),
            "n_chars": units["n_chars"].to_numpy(dtype=np.int64),
            "cluster_id": units["cluster_id"].to_numpy(dtype=np.int64),
            "group_id": group_id,
            "label": _obj(units["label"].to_numpy(dtype=object)),
            "boilerplate": units["boilerplate"].to_numpy(dtype=np.float64),
            "n_reports": units["n_reports"].to_numpy(dtype=np.int64),
            "n_agencies": units["n_agencies"].to_numpy(dtype=np.int64),
            "source_report_id": _obj(_none_obj(units["source"])),
        })
        return out.astype({"report_id": object, "section": object, "text": object,
                           "label": object, "source_report_id": object})

    @staticmethod
    def _group_pair_frame(m: _Matches) -> pd.DataFrame:
        first = m.members[m.indptr[:-1]] if m.n_groups else np.zeros(0, dtype=np.int64)
        gs = m.sizes
        return pd.DataFrame({
            "group_a": m.gi, "group_b": m.gj,
            "unit_a": first[m.gi], "unit_b": first[m.gj],
            "size_a": gs[m.gi].astype(np.int64), "size_b": gs[m.gj].astype(np.int64),
            "jaccard": m.jaccard, "containment": m.containment,
        })

    @staticmethod
    def _pair_frame(pairs: dict, rep: np.ndarray, ids: np.ndarray) -> pd.DataFrame:
        ra, rb = rep[pairs["a"]], rep[pairs["b"]]
        # copy=False: the frame takes the detector's arrays over (millions of pairs in a large
        # corpus; a copy would double the memory at the very end of fit)
        out = pd.DataFrame({
            "unit_a": pairs["a"].astype(np.int64, copy=False),
            "unit_b": pairs["b"].astype(np.int64, copy=False),
            "report_a": _obj(ids[ra] if ra.size else []),
            "report_b": _obj(ids[rb] if rb.size else []),
            "jaccard": pairs["jaccard"].astype(np.float64, copy=False),
            "containment": pairs["containment"].astype(np.float64, copy=False),
            "same_report": ra == rb,
        }, copy=False)
        return out.astype({"report_a": object, "report_b": object, "same_report": bool})

    # -- helpers for users -------------------------------------------------------------------
    def passages_for(self, report_id: str) -> pd.DataFrame:
        """The aligned passages of one report, from its own point of view.

        Parameters
        ----------
        report_id : str
            A report of the fitted corpus.

        Returns
        -------
        DataFrame
            One row per passage the report takes part in, sorted by ``start``: ``report_id``,
            ``start``, ``end`` (span in this report's text), ``other_report_id``,
            ``other_start``, ``other_end`` (the span in the other report), ``role``
            (``"target"``: this report is ``report_b``, the later one, whose reuse the label
            describes; ``"source"``: it is ``report_a``), ``label``, ``matched_chars``,
            ``score``.

        Raises
        ------
        NotFittedError
            Before :meth:`fit`.
        KeyError
            If the report is not in the fitted corpus.
        """
        self._check_fitted()
        if report_id not in set(self.report_scores_["report_id"]):
            msg = f"no report with id {report_id!r} in the fitted corpus."
            raise KeyError(msg)
        ps = self.passages_
        tg = ps.loc[ps["report_b"] == report_id]
        sr = ps.loc[ps["report_a"] == report_id]
        cols = ["report_id", "start", "end", "other_report_id", "other_start", "other_end",
                "role", "label", "matched_chars", "score"]
        a = pd.DataFrame({"report_id": tg["report_b"], "start": tg["b_start"], "end": tg["b_end"],
                          "other_report_id": tg["report_a"], "other_start": tg["a_start"],
                          "other_end": tg["a_end"], "role": "target", "label": tg["label"],
                          "matched_chars": tg["matched_chars"], "score": tg["score"]})
        b = pd.DataFrame({"report_id": sr["report_a"], "start": sr["a_start"], "end": sr["a_end"],
                          "other_report_id": sr["report_b"], "other_start": sr["b_start"],
                          "other_end": sr["b_end"], "role": "source", "label": sr["label"],
                          "matched_chars": sr["matched_chars"], "score": sr["score"]})
        out = pd.concat([a, b], ignore_index=True)[cols]
        out = out.sort_values(["start", "end", "other_report_id", "other_start"], kind="stable")
        return out.reset_index(drop=True).astype(
            {"report_id": object, "start": "int64", "end": "int64", "other_report_id": object,
             "other_start": "int64", "other_end": "int64", "role": object, "label": object,
             "matched_chars": "int64", "score": "float64"})

    def to_detections(self, *, include_own: bool = False) -> pd.DataFrame:
        """The detected reuse as spans, the frame :func:`govtext.evaluate.reuse` scores.

        Consecutive units of a report with the same label and source are merged into one span
        (a heading, a ``short`` unit or a change of label ends it).

        Parameters
        ----------
        include_own : bool, default=False
            Also return the ``own`` spans (``short`` units count as ``own``), e.g. for the
            character-level confusion matrix.

        Returns
        -------
        DataFrame
            ``report_id`` (str), ``start``, ``end`` (int64, span in ``Report.text``),
            ``label`` (str), ``source_report_id`` (str, ``""`` when none), sorted by
            ``report_id, start``.

        Raises
        ------
        NotFittedError
            Before :meth:`fit`.
        """
        self._check_fitted()
        if not isinstance(include_own, bool):
            msg = (f"The 'include_own' parameter of to_detections must be a bool. "
                   f"Got {include_own!r} instead.")
            raise InvalidParameterError(msg)
        u = self.units_
        keep = set(_REUSE) | ({"own", "short"} if include_own else set())
        lab = u["label"].to_numpy(dtype=object)
        src = u["source_report_id"].fillna("").to_numpy(dtype=object)
        rid = u["report_id"].to_numpy(dtype=object)
        out_lab = np.where(lab == "short", "own", lab)
        keys = [
            (rid[k], out_lab[k], src[k]) if lab[k] in keep else None for k in range(len(u))
        ]
        # short units break runs of reuse labels; in own runs they are own
        for k in range(len(u)):
            if lab[k] == "short" and not include_own:
                keys[k] = None
        starts = u["start"].to_numpy()
        ends = u["end"].to_numpy()
        rows = []
        for a, b in _runs(keys):
            r, lb, s = keys[a]
            rows.append((r, int(starts[a]), int(ends[b - 1]), lb, s))
        out = pd.DataFrame(rows, columns=["report_id", "start", "end", "label",
                                          "source_report_id"])
        return out.astype({"report_id": object, "start": "int64", "end": "int64",
                           "label": object, "source_report_id": object})


# --------------------------------------------------------------------------------------------
# module helpers


class _Matches:
    """The verified matches of the units, compact.

    Units with identical shingle sets form a *group* (``govtext._minhash.group_duplicates``):
    every two members match, with score 1.0. Verified pairs join distinct groups
    (``gi < gj``), and every member of one matches every member of the other with the
    pair's scores. Unit pairs are implied, not listed: a boilerplate sentence held by
    thousands of reports is one group and a few group pairs, where the unit pairs number
    tens of millions (:meth:`expand` lists them, for :attr:`ReuseDetector.pairs_`).

    Attributes
    ----------
    unit_g : numpy.ndarray of int64, shape (n_units,)
        Group of each unit of the units frame; -1 for units that are not matched (headings,
        short units, empty shingle sets).
    indptr, members : numpy.ndarray of int64
        CSR: group ``g`` holds the units ``members[indptr[g]:indptr[g + 1]]``, ascending;
        groups are ordered by their first unit.
    gi, gj, jaccard, containment : numpy.ndarray
        Pairs of groups, sorted by ``(gi, gj)``, with exact scores.
    """

    def __init__(self, n_units: int, match: np.ndarray, groups: Any, pairs: Any,
                 set_indptr: np.ndarray) -> None:
        """From the duplicate groups and the group pairs of the matchable units ``match``
        (``groups`` and ``pairs`` index the shingle sets, whose CSR ``indptr`` is
        ``set_indptr``)."""
        sizes = groups.sizes.astype(np.int64)
        self.members = match[groups.members].astype(np.int64)  # ascending within each group
        self.unit_g = np.full(n_units, -1, dtype=np.int64)
        self.unit_g[self.members] = np.repeat(np.arange(sizes.size, dtype=np.int64), sizes)
        self.indptr = groups.indptr.astype(np.int64)
        self.gi = pairs.i.astype(np.int64, copy=False)
        self.gj = pairs.j.astype(np.int64, copy=False)
        self.jaccard = pairs.jaccard.astype(np.float64, copy=False)
        self.containment = pairs.containment.astype(np.float64, copy=False)
        # what expand needs to list the unit pairs
        self._pairs = pairs
        self._groups = groups
        self._match = match
        self._set_indptr = set_indptr

    @property
    def n_groups(self) -> int:
        return int(self.indptr.size - 1)

    @property
    def sizes(self) -> np.ndarray:
        return np.diff(self.indptr)

    def n_within_pairs(self) -> int:
        """Unit pairs inside the groups."""
        gs = self.sizes
        return int((gs * (gs - 1) // 2).sum())

    def n_pairs(self) -> int:
        """Unit pairs in all (what :meth:`expand` lists)."""
        gs = self.sizes
        return self.n_within_pairs() + int((gs[self.gi] * gs[self.gj]).sum())

    def edge_keys(self) -> np.ndarray:
        """The group pairs as sorted ``gi * n_groups + gj`` keys."""
        return self.gi * np.int64(self.n_groups) + self.gj

    def adjacency(self):
        """Symmetric group adjacency with the diagonal (a group matches itself), int64 CSR."""
        import scipy.sparse as sp

        ng = self.n_groups
        rows = np.concatenate([self.gi, self.gj, np.arange(ng, dtype=np.int64)])
        cols = np.concatenate([self.gj, self.gi, np.arange(ng, dtype=np.int64)])
        return sp.csr_matrix((np.ones(rows.size, dtype=np.int64), (rows, cols)), shape=(ng, ng))

    def report_groups(self, rep: np.ndarray, n_reports: int):
        """``(n_reports x n_groups)`` CSR: how many units of each group each report holds."""
        import scipy.sparse as sp

        g = self.unit_g[self.members]
        return sp.csr_matrix((np.ones(g.size, dtype=np.int64), (rep[self.members], g)),
                             shape=(n_reports, self.n_groups))

    def unit_pairs(self, edges: np.ndarray, groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Unit pairs ``(a, b)`` of the group pairs at positions ``edges`` and inside the groups
        ``groups`` (small selections; :meth:`expand` lists them all)."""
        from govtext._allpairs import _within_group_pairs

        gs, ip, mem = self.sizes, self.indptr, self.members
        g1, g2 = self.gi[edges], self.gj[edges]
        c = gs[g1] * gs[g2]
        tot = int(c.sum())
        pidx = np.repeat(np.arange(g1.size, dtype=np.int64), c)
        e = np.arange(tot, dtype=np.int64) - np.repeat(np.cumsum(c) - c, c)
        q, r = np.divmod(e, gs[g2][pidx])
        a = [mem[ip[g1][pidx] + q]]
        b = [mem[ip[g2][pidx] + r]]
        multi = groups[gs[groups] > 1]
        if multi.size:
            sub = gs[multi]
            p, q2 = _within_group_pairs(sub)
            pos = np.repeat(ip[multi] - (np.cumsum(sub) - sub), sub) + np.arange(int(sub.sum()))
            a.append(mem[pos[p]])
            b.append(mem[pos[q2]])
        return np.concatenate(a), np.concatenate(b)

    def expand(self) -> dict[str, np.ndarray]:
        """Every unit pair, ``a < b`` (units-frame indices), sorted, with its scores."""
        from govtext._allpairs import expand_duplicates

        res = expand_duplicates(self._pairs, self._groups,
                                (self._set_indptr, np.empty(0, dtype=np.uint64)))
        return {"a": self._match[res.i], "b": self._match[res.j],
                "jaccard": res.jaccard.astype(np.float64, copy=False),
                "containment": res.containment.astype(np.float64, copy=False)}


def _empty_frame(cols: list[str], dtypes: dict[str, Any]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=dtypes[c]) for c in cols})


# Alignment runs on the narrative only: every alphanumeric character outside the non-heading
# units (headings, tables, signature lines) is replaced by a filler symbol, different in the two
# texts (``_FILL_A`` in a, ``_FILL_B`` in b), so passages neither start in nor run into them.
# Lengths are unchanged, so offsets stay those of ``Report.text``.
_FILL_A, _FILL_B_CHAR = "\u3400", "\u3401"
_FILL_B = str.maketrans(_FILL_A, _FILL_B_CHAR)
_ALNUM_RE = re.compile(r"[^\W_]")


def _mask_structure(text: str, units: pd.DataFrame, rep: int) -> str:
    rows = units["rep"].to_numpy()
    lo, hi = np.searchsorted(rows, rep, side="left"), np.searchsorted(rows, rep, side="right")
    body = ~units["heading"].to_numpy()[lo:hi]
    starts = units["start"].to_numpy()[lo:hi][body]
    ends = units["end"].to_numpy()[lo:hi][body]
    out = []
    pos = 0
    for s, e in zip(starts.tolist(), ends.tolist()):
        if s > pos:
            out.append(_ALNUM_RE.sub(_FILL_A, text[pos:s]))
        out.append(text[max(s, pos):e])
        pos = max(pos, e)
    out.append(_ALNUM_RE.sub(_FILL_A, text[pos:]))
    return "".join(out)


def _joined_years(keys: np.ndarray, years: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """For each key of ``groups`` (sorted): its distinct known years, ascending, joined with
    ``;`` (``"2019;2020"``; ``""`` when it has none)."""
    ok = ~np.isnan(years)
    k, y = keys[ok], years[ok]
    order = np.lexsort((y, k))
    k, y = k[order], y[order]
    if k.size:
        new = np.r_[True, (k[1:] != k[:-1]) | (y[1:] != y[:-1])]
        k, y = k[new], y[new]
    out = np.full(groups.size, "", dtype=object)
    starts = np.flatnonzero(np.r_[True, k[1:] != k[:-1]]) if k.size else np.zeros(0, dtype=np.int64)
    ends = np.r_[starts[1:], k.size]
    text = [str(int(v)) for v in y.tolist()]
    at = np.searchsorted(groups, k[starts])
    for i, a, b in zip(at.tolist(), starts.tolist(), ends.tolist()):
        out[i] = ";".join(text[a:b])
    return out


def _obj(values: Any) -> pd.Series:
    """An object-dtype column (pandas 3 would infer its ``str`` dtype and turn None into NaN)."""
    return pd.Series(np.asarray(values, dtype=object), dtype=object)


def _none_obj(s: pd.Series) -> np.ndarray:
    return np.array([v if isinstance(v, str) else None for v in s], dtype=object)


def _distinct_per_group(group: np.ndarray, value: np.ndarray, n_groups: int) -> np.ndarray:
    """Number of distinct ``value`` per ``group`` (``0 .. n_groups - 1``; int64 values >= 0)."""
    from govtext._shingles import _dedupe_sorted

    if group.size == 0:
        return np.zeros(n_groups, dtype=np.int64)
    span = np.int64(int(value.max()) + 1)
    key = group.astype(np.int64)
    key *= span
    key += value
    key.sort()  # in place (numpy 2's hash-based np.unique is far slower on such arrays)
    key = _dedupe_sorted(key)
    key //= span
    return np.bincount(key, minlength=n_groups).astype(np.int64)


def _row_value_blocks(r_ptr: np.ndarray, r_s: np.ndarray, table: np.ndarray, span: np.int64):
    """``np.unique(g * span + table[r_s[i]], return_counts=True)`` over the entries ``i`` of
    the CSR rows ``g`` (``r_ptr``), yielded ``_LINK_CHUNK`` entries at a time: each block holds
    whole rows and the rows come in order, so the blocks' distinct keys, joined, are sorted and
    distinct. The temporaries are those of a block (the rows can number a hundred million)."""
    from govtext._shingles import _csr_blocks

    for g0, g1, lo, hi in _csr_blocks(r_ptr, _LINK_CHUNK):
        if hi > lo:
            key = np.repeat(np.arange(g0, g1, dtype=np.int64), np.diff(r_ptr[g0:g1 + 1]))
            key *= span
            key += table[r_s[lo:hi]]
            key.sort()
            first = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
            yield key[first], np.diff(np.r_[first, key.size]).astype(np.int64)


def _row_value_counts(r_ptr: np.ndarray, r_s: np.ndarray, table: np.ndarray,
                      span: np.int64) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct keys ``g * span + table[s]`` of the rows ``(g, s)`` of CSR rows, with
    their counts (int64), computed a block of rows at a time (:func:`_row_value_blocks`)."""
    keys, counts = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    for k, c in _row_value_blocks(r_ptr, r_s, table, span):
        keys.append(k)
        counts.append(c)
    return np.concatenate(keys), np.concatenate(counts)


def _distinct_per_row(r_ptr: np.ndarray, r_s: np.ndarray, table: np.ndarray,
                      span: np.int64) -> np.ndarray:
    """Number of distinct ``table[s]`` in each CSR row (int64), a block of rows at a time."""
    out = np.zeros(r_ptr.size - 1, dtype=np.int64)
    for k, _ in _row_value_blocks(r_ptr, r_s, table, span):
        out += np.bincount(k // span, minlength=out.size)
    return out


def _in_rows(g: np.ndarray, s: np.ndarray, r_ptr: np.ndarray, r_s: np.ndarray) -> np.ndarray:
    """Whether ``s[k]`` is in row ``g[k]`` of the CSR rows (``r_ptr``; ``r_s`` sorted within each
    row): a binary search in each row, all queries at once, with no key array of the rows."""
    found = np.zeros(g.size, dtype=bool)
    if g.size == 0 or r_s.size == 0:
        return found
    lo = r_ptr[g].astype(np.int64)
    end = r_ptr[g + 1].astype(np.int64)
    hi = end.copy()
    act = np.flatnonzero(lo < hi)
    while act.size:  # about log2 of the longest row rounds
        m = (lo[act] + hi[act]) >> 1
        less = r_s[m] < s[act]
        lo[act[less]] = m[less] + 1
        hi[act[~less]] = m[~less]
        act = act[lo[act] < hi[act]]
    at = np.flatnonzero(lo < end)
    found[at] = r_s[lo[at]] == s[at]
    return found


def _agencies_all_related(cand: np.ndarray, g_idx: np.ndarray, r_idx: np.ndarray,
                          ok: pd.DataFrame, ag: np.ndarray, r_ptr: np.ndarray, r_s: np.ndarray,
                          akey: np.ndarray, acount: np.ndarray, n_a: np.int64,
                          n_rep: int) -> np.ndarray:
    """For the units at positions ``cand``: how many other agencies hold the unit (or a match
    of it) *only* in reports related to the unit's report.

    ``g_idx``/``r_idx``: group and report of each unit; ``ok``: the related report pairs
    ``(r, s)``, sorted; ``r_ptr``/``r_s``: CSR rows, row ``g`` the reports (sorted) holding a
    member of ``g`` or of a linked group; ``akey``/``acount``: how many of those reports each
    ``(g, agency)`` (key ``g * n_a + agency``) has. A report has few related reports, so the
    rows are (unit, related report), not (unit, every report holding it).
    """
    okr = ok["r"].to_numpy(np.int64)
    oks = ok["s"].to_numpy(np.int64)
    ptr = np.searchsorted(okr, np.arange(n_rep + 1, dtype=np.int64))
    r = r_idx[cand]
    g = g_idx[cand]
    c = ptr[r + 1] - ptr[r]
    tot = int(c.sum())
    if tot == 0:
        return np.zeros(cand.size, dtype=np.int64)
    at = np.repeat(ptr[r] - (np.cumsum(c) - c), c) + np.arange(tot, dtype=np.int64)
    s = oks[at]
    e = np.repeat(np.arange(cand.size, dtype=np.int64), c)
    keep = ag[s] != ag[r[e]]
    keep[keep] = _in_rows(g[e[keep]], s[keep], r_ptr, r_s)
    s, e = s[keep], e[keep]
    uk, uc = np.unique(e * n_a + ag[s], return_counts=True)
    ue = uk // n_a
    total = acount[_searchsorted(akey, g[ue] * n_a + uk % n_a)]
    return np.bincount(ue[uc == total], minlength=cand.size).astype(np.int64)


def _edit_ratio(a: str, b: str) -> float:
    """Similarity of two symbol strings: ``2 * matched / (len(a) + len(b))``, the matched
    symbols being difflib's matching blocks (no junk heuristic): 1.0 for equal strings."""
    import difflib

    if not a and not b:
        return 1.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


# Shingles (set elements) handled at once by _rare_shingle_pairs: it splits the shingles into
# that many hash classes, each taking a few tens of bytes an element in temporaries.
_RARE_BLOCK = 1 << 21


def _rare_shingle_pairs(units: pd.DataFrame, sets: Any, unit_tmpl: np.ndarray,
                        max_reports: int, min_shared: int, nr1: np.int64) -> np.ndarray:
    """Keys ``r * nr1 + s`` (``r < s``, sorted) of the report pairs sharing at least
    ``min_shared`` rare shingles: shingles of non-template matchable units found in 2 to
    ``max_reports`` reports. Linear in the shingles (each rare shingle gives at most
    ``max_reports * (max_reports - 1) / 2`` report pairs).

    The shingles are processed in classes of their hash (``hash % n_classes``, about
    ``_RARE_BLOCK`` elements each): a shingle's reports are all in its class, so each class
    gives its own report-pair counts, summed at the end; temporaries are those of one class,
    not of every shingle of the corpus."""
    from govtext._shingles import _unique, _unique_inverse_counts

    empty = np.zeros(0, dtype=np.int64)
    match = np.flatnonzero(units["_match"].to_numpy())
    hashes, indptr = sets.hashes, sets.indptr
    if match.size == 0 or hashes.size == 0:
        return empty
    n_el = hashes.size
    n_cls = max(1, min(-(-n_el // _RARE_BLOCK), 254))
    # class of each element (uint8; 255: a template unit's shingle, left out), in blocks so
    # that no full-size uint64 temporary is made
    cls = np.empty(n_el, dtype=np.uint8)
    for b0 in range(0, n_el, _RARE_BLOCK):
        b1 = min(b0 + _RARE_BLOCK, n_el)
        cls[b0:b1] = hashes[b0:b1] % np.uint64(n_cls)
    sizes = np.diff(indptr)
    cls[np.repeat(unit_tmpl[match], sizes)] = 255
    rep_m = units["rep"].to_numpy().astype(np.int64)[match]
    pk_parts, cnt_parts = [], []
    for c in range(n_cls):
        el = np.flatnonzero(cls == c)
        if el.size == 0:
            continue
        rep_h = rep_m[np.searchsorted(indptr, el, side="right") - 1]
        _, sh, _ = _unique_inverse_counts(hashes[el])
        del el
        # distinct (shingle, report), sorted by shingle then report
        key = _unique(sh.astype(np.int64).ravel() * nr1 + rep_h)
        del sh, rep_h
        sh, rr = key // nr1, key % nr1
        del key
        df = np.bincount(sh)[sh]
        keep = (df >= 2) & (df <= max_reports)
        sh, rr = sh[keep], rr[keep]
        if sh.size == 0:
            continue
        e, partner = _pairs_within(sh)
        pk = np.sort(rr[e] * nr1 + rr[partner])
        del e, partner, sh, rr
        if pk.size == 0:
            continue
        first = np.flatnonzero(np.r_[True, pk[1:] != pk[:-1]])
        cnt_parts.append(np.diff(np.r_[first, pk.size]))
        pk_parts.append(pk[first])
        del pk, first
    del cls
    if not pk_parts:
        return empty
    # shared rare shingles of each report pair, over the classes
    pk = np.concatenate(pk_parts)
    cnt = np.concatenate(cnt_parts)
    del pk_parts, cnt_parts
    order = np.argsort(pk, kind="stable")
    pk, cnt = pk[order], cnt[order]
    del order
    first = np.flatnonzero(np.r_[True, pk[1:] != pk[:-1]])
    total = np.add.reduceat(cnt, first)
    return pk[first[total >= min_shared]].astype(np.int64)


def _pairs_within(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions ``(i, j)``, ``i < j``, of every two elements with the same key (``keys``
    sorted): the pairs within each run of equal keys."""
    from govtext._allpairs import _within_group_pairs

    if keys.size == 0:
        e = np.zeros(0, dtype=np.int64)
        return e, e.copy()
    first = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    return _within_group_pairs(np.diff(np.r_[first, keys.size]))


def _isolated(cand: np.ndarray, idx: np.ndarray, g_idx: np.ndarray, rep: np.ndarray,
              pos: np.ndarray, tmpl: np.ndarray, r_ptr: np.ndarray, r_s: np.ndarray,
              mem: np.ndarray, unit_g: np.ndarray) -> np.ndarray:
    """For the matched units ``idx[cand]``: whether neither neighbouring unit of the report
    (the previous and the next) is a non-template matched unit found in one of the other
    reports holding the unit identically (its group): the unit is not part of a longer shared
    passage. ``pos``: position in ``idx`` of every unit (-1 if not matched); ``tmpl``: template
    flags by position; ``r_ptr``/``r_s``: the reports reached by each group (CSR rows)."""
    order = np.argsort(unit_g[mem], kind="stable")
    mem_sorted = mem[order]
    g_sorted = unit_g[mem_sorted]
    n = rep.size
    out = np.ones(cand.size, dtype=bool)
    for k, c in enumerate(cand.tolist()):
        u = int(idx[c])
        g = int(g_idx[c])
        lo, hi = np.searchsorted(g_sorted, [g, g + 1])
        holders = np.unique(rep[mem_sorted[lo:hi]])
        holders = holders[holders != rep[u]]
        for v in (u - 1, u + 1):
            if v < 0 or v >= n or rep[v] != rep[u] or pos[v] < 0 or tmpl[pos[v]]:
                continue
            gv = int(g_idx[pos[v]])
            reach = r_s[r_ptr[gv]:r_ptr[gv + 1]]
            if np.isin(holders, reach).any():
                out[k] = False
                break
    return out


def _sub_csr(sets: Any, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows ``rows`` of CSR shingle sets with their hashes numbered ``0 .. n_distinct - 1``:
    ``(indptr, cols)`` (int64; int32 numbers) for :func:`_cross_jaccard`, which only compares
    the numbers (equal hashes get equal numbers).

    The hashes are numbered class by class (``hash % n_classes``, about ``_RARE_BLOCK``
    elements a class; sorted inside a class): the temporaries of a sort are those of one class,
    not of every shingle of the rows."""
    from govtext._shingles import _unique_inverse_counts

    sizes = np.diff(sets.indptr)[rows]
    tot = int(sizes.sum())
    indptr = np.zeros(rows.size + 1, dtype=np.int64)
    np.cumsum(sizes, out=indptr[1:])
    rows = np.asarray(rows, dtype=np.int64)

    def hashes_at(el: np.ndarray) -> np.ndarray:
        """The hashes of entries ``el`` (ascending) of the sub-CSR, read from ``sets``."""
        row = np.searchsorted(indptr, el, side="right") - 1
        return sets.hashes[sets.indptr[rows[row]] + (el - indptr[row])]

    # the class of every entry (1 byte; the hashes themselves are read again class by class,
    # not copied for every entry at once)
    n_cls = max(1, min(-(-tot // _RARE_BLOCK), 255))
    cls = np.empty(tot, dtype=np.uint8)
    for b0 in range(0, tot, _RARE_BLOCK):
        b1 = min(b0 + _RARE_BLOCK, tot)
        cls[b0:b1] = hashes_at(np.arange(b0, b1, dtype=np.int64)) % np.uint64(n_cls)
    cols = np.empty(tot, dtype=np.int32 if tot < 2**31 else np.int64)
    off = 0
    for c in range(n_cls):
        el = np.flatnonzero(cls == c)
        if el.size:
            _, inv, _ = _unique_inverse_counts(hashes_at(el))
            cols[el] = inv + off
            off += int(inv.max()) + 1
    return indptr, cols


# Shingles of the pb-side reports indexed at once by _cross_jaccard (the index and its sort
# take about 30 bytes a shingle).
_CROSS_BLOCK = 1 << 22


def _cross_jaccard(indptr: np.ndarray, cols: np.ndarray, row_rep: np.ndarray,
                   pa: np.ndarray, pb: np.ndarray, n_reports: int, min_jaccard: float = 0.0):
    """Jaccard of every row of report ``pa[k]`` with every row of report ``pb[k]`` that shares
    a column with it, for all ``k`` at once: ``(k, row_a, row_b, jaccard)`` arrays, sorted by
    ``(k, row_a, row_b)``, of the row pairs whose Jaccard is at least ``min_jaccard`` (the
    others are dropped chunk by chunk: the callers keep only similar rows, and the full
    listing runs to tens of millions of rows at 100,000 reports).

    The rows are binary sets in CSR form (``indptr``, ``cols``: distinct per row),
    grouped by report (``row_rep`` sorted). A join on the columns: the ``(report, column)``
    entries of a block of consecutive reports (about ``_CROSS_BLOCK`` entries) are sorted, and
    the rows of ``pa[k]`` are looked up in them for the pairs whose ``pb[k]`` is in the block,
    in chunks of about a million lookups. Every row is indexed once, so the work is that of a
    single index and the memory that of a block: linear in the shared columns, no per-pair
    Python work.
    """
    e64 = np.zeros(0, dtype=np.int64)
    nrows = row_rep.size
    if pa.size == 0 or nrows == 0 or cols.size == 0:
        return e64, e64.copy(), e64.copy(), np.zeros(0, dtype=np.float64)
    sizes = np.diff(indptr).astype(np.int64)
    n_cols = np.int64(int(cols.max()) + 1)
    row_lo = np.searchsorted(row_rep, np.arange(n_reports + 1), side="left")
    rep_el = indptr[row_lo].astype(np.int64)  # first entry of each report (and the end)
    a0 = rep_el[pa]
    na = rep_el[pa + 1] - a0
    row_t = np.int32 if nrows < 2**31 else np.int64
    out: list[tuple[np.ndarray, ...]] = []
    nr = np.int64(nrows)
    s0 = 0
    while s0 < n_reports:
        s1 = int(np.searchsorted(rep_el, rep_el[s0] + _CROSS_BLOCK, side="right")) - 1
        s1 = min(max(s1, s0 + 1), n_reports)
        ks = np.flatnonzero((pb >= s0) & (pb < s1))  # ascending: the pairs' order
        b0, b1 = int(rep_el[s0]), int(rep_el[s1])
        if ks.size == 0 or b1 == b0:
            s0 = s1
            continue
        # index of the block: (report, column) entries sorted, with their rows
        r0, r1 = int(row_lo[s0]), int(row_lo[s1])
        ent_row = np.repeat(np.arange(r0, r1, dtype=row_t), sizes[r0:r1])
        rk = row_rep.astype(np.int64)[ent_row] * n_cols
        rk += cols[b0:b1]
        order = np.argsort(rk, kind="stable")
        sk = rk[order]
        del rk
        srow = ent_row[order]
        del order, ent_row
        cum = np.cumsum(na[ks])
        k0 = 0
        while k0 < ks.size:
            done = int(cum[k0 - 1]) if k0 else 0
            k1 = max(int(np.searchsorted(cum, done + (1 << 20), side="right")), k0 + 1)
            kc = ks[k0:k1]
            c = na[kc]
            tot = int(c.sum())
            if tot:
                pid = np.repeat(kc.astype(np.int64), c)
                e = np.repeat(a0[kc] - (np.cumsum(c) - c), c) + np.arange(tot, dtype=np.int64)
                q = pb[pid].astype(np.int64) * n_cols + cols[e]
                lo, cnt = _equal_range(sk, q)  # the queries in ascending order: cache-friendly
                cnt -= lo
                t2 = int(cnt.sum())
                if t2:
                    row_e = np.searchsorted(indptr, e, side="right") - 1  # rows of the lookups
                    rid = np.repeat(np.arange(tot, dtype=np.int64), cnt)
                    j = (np.repeat(lo - (np.cumsum(cnt) - cnt), cnt)
                         + np.arange(t2, dtype=np.int64))
                    key = np.sort((pid[rid] * nr + row_e[rid]) * nr + srow[j])
                    first = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
                    inter = np.diff(np.r_[first, key.size]).astype(np.float64)
                    key = key[first]
                    rb = key % nr
                    rest = key // nr
                    ra = rest % nr
                    kk = rest // nr
                    jac = inter / (sizes[ra] + sizes[rb] - inter)
                    if min_jaccard > 0:
                        sel = jac >= min_jaccard
                        kk, ra, rb, jac = kk[sel], ra[sel], rb[sel], jac[sel]
                    out.append((kk, ra, rb, jac))
            k0 = k1
        del sk, srow
        s0 = s1
    if not out:
        return e64, e64.copy(), e64.copy(), np.zeros(0, dtype=np.float64)
    res = [np.concatenate(x) for x in zip(*out)]
    del out
    # a pair's rows all come from one block, sorted there: a stable sort by pair restores
    # the (k, row_a, row_b) order
    order = np.argsort(res[0], kind="stable")
    return tuple(x[order] for x in res)


def _weak_relations(r: np.ndarray, s: np.ndarray, units: pd.DataFrame, sets: Any,
                    unit_tmpl: np.ndarray, unit_k: np.ndarray, p: dict) -> pd.DataFrame:
    """Report pairs ``(r, s)`` (``r < s``) related by their units at ``weak_threshold``.

    For each candidate pair, the Jaccard of every non-template matchable unit of one report with
    every such unit of the other (:func:`_cross_jaccard`); a unit of ``r`` whose best Jaccard in
    ``s`` reaches ``weak_threshold`` counts as a shared unit, weighted as in the relation rule
    (its characters over the other reports its verified matches hold, at least one). Returns
    the pairs where one side holds ``min_shared_units`` such units totalling
    ``min_shared_chars``: ``r, s, chars, units`` (both values of the stronger side).
    """
    empty = pd.DataFrame({"r": pd.Series(dtype="int64"), "s": pd.Series(dtype="int64"),
                          "chars": pd.Series(dtype="float64"), "units": pd.Series(dtype="int64")})
    if r.size == 0:
        return empty
    match = np.flatnonzero(units["_match"].to_numpy())
    if match.size == 0 or sets.hashes.size == 0:
        return empty
    rep_all = units["rep"].to_numpy()[match]
    # only the non-template units of the candidate reports: their shingle rows
    keep = np.flatnonzero(np.isin(rep_all, np.union1d(r, s)) & ~unit_tmpl[match])
    if keep.size == 0:
        return empty
    match = match[keep]
    rep_m = rep_all[keep]
    indptr, colidx = _sub_csr(sets, keep)
    n_rep = int(units["rep"].max()) + 1
    # only the row pairs at the weak threshold (the hits)
    k, ra, rb, _ = _cross_jaccard(indptr, colidx, rep_m, r, s, n_rep, p["weak_threshold"] - 1e-12)
    del indptr, colidx
    n_chars = units["n_chars"].to_numpy()[match].astype(np.float64)
    weight = n_chars / np.maximum(unit_k[match] - 1, 1)
    nr = np.int64(keep.size)
    side = []
    for rows in (ra, rb):
        key = np.unique(k * nr + rows)  # units with a hit, once per pair
        kk, uu = key // nr, key % nr
        side.append((np.bincount(kk, weights=weight[uu], minlength=r.size),
                     np.bincount(kk, minlength=r.size).astype(np.int64)))
    (ca, na), (cb, nb) = side
    msu = p["min_shared_units"]
    # the stronger side: enough units first, then more characters (ties: the r side)
    use_a = ((na >= msu) > (nb >= msu)) | (((na >= msu) == (nb >= msu)) & (ca >= cb))
    chars = np.where(use_a, ca, cb)
    cnt = np.where(use_a, na, nb)
    ok = (cnt >= msu) & (chars >= p["min_shared_chars"] - 1e-9)
    if not ok.any():
        return empty
    out = pd.DataFrame({"r": r[ok].astype(np.int64), "s": s[ok].astype(np.int64),
                        "chars": chars[ok].astype(np.float64), "units": cnt[ok].astype(np.int64)})
    return out.reset_index(drop=True)


# An administrative place prefix of an agency name (``利江区峰青镇`` of ``利江区峰青镇人民政府``).
_PLACE_RE = re.compile(r"^.*(?:省|自治区|市|州|盟|区|县|旗|镇|乡|街道)")
_NAME_MASK = "\u3402"
# How a report names its own agency (``我局``, ``我镇``, ``我街道``): masked as the name is.
_SELF_RE = re.compile(r"我(?:街道|中心|省|市|州|盟|区|县|旗|镇|乡|局|委|办|厅|院|署)")


def _mask_agency_names(reports: list, units: pd.DataFrame, texts: list[str]) -> list[str]:
    """The unit texts with each report's own agency name, its place prefix and the way a
    report names its agency (``我局``, ``我镇``, ``我街道``) replaced by one placeholder symbol:
    fill-in template sentences naming the agency (``如对本报告有任何疑问，请与XX镇人民政府党政办
    联系（地址：XX镇…）``, ``我镇高度重视…``) then match across agencies, as numbers do."""
    rep = units["rep"].to_numpy()
    out = list(texts)
    pats: dict[int, re.Pattern | None] = {}
    for k, r in enumerate(rep.tolist()):
        if r not in pats:
            agency = _field(reports[r], "agency")
            names = set()
            if isinstance(agency, str) and len(agency) >= 3:
                names.add(agency)
                m = _PLACE_RE.match(agency)
                if m and len(m.group(0)) >= 3:
                    names.add(m.group(0))
            pats[r] = (re.compile("|".join(re.escape(x) for x in
                                           sorted(names, key=lambda x: (-len(x), x))))
                       if names else None)
        pat = pats[r]
        if pat is not None:
            out[k] = pat.sub(_NAME_MASK, out[k])
        out[k] = _SELF_RE.sub(_NAME_MASK, out[k])
    return out


def _isin_sorted(keys: np.ndarray, sorted_keys: np.ndarray) -> np.ndarray:
    """``np.isin(keys, sorted_keys)`` for a sorted, unique ``sorted_keys`` (binary search)."""
    if sorted_keys.size == 0:
        return np.zeros(keys.shape, dtype=bool)
    k = np.minimum(_searchsorted(sorted_keys, keys), sorted_keys.size - 1)
    return sorted_keys[k] == keys


def _linked_keys(passages: pd.DataFrame, ids: list) -> np.ndarray:
    """The report pairs linked by some passage, as sorted unique ``i * n + j`` keys (``i < j``,
    indices of ``ids``, ``n`` of them), listed ``_LINK_CHUNK`` passages at a time: the
    temporaries are those of one chunk (the passages can number tens of millions)."""
    n = len(ids)
    index = pd.Index(ids)
    parts = [np.zeros(0, dtype=np.int64)]
    for a in range(0, len(passages), _LINK_CHUNK):
        ra = index.get_indexer(passages["report_a"].iloc[a:a + _LINK_CHUNK])
        rb = index.get_indexer(passages["report_b"].iloc[a:a + _LINK_CHUNK])
        if (ra < 0).any() or (rb < 0).any():
            raise ValueError("_linked_keys: a passage names a report outside the corpus")
        ra, rb = ra.astype(np.int64), rb.astype(np.int64)
        parts.append(np.unique(np.minimum(ra, rb) * n + np.maximum(ra, rb)))
    return np.unique(np.concatenate(parts))


def _key_pairs(keys: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """``divmod(keys, n)`` of pair keys ``i * n + j``, in int32 when ``n`` allows (int64
    otherwise), computed in chunks (no int64 temporaries of the whole size)."""
    idx = _index_dtype(n)
    i, j = np.empty(keys.size, dtype=idx), np.empty(keys.size, dtype=idx)
    for a in range(0, keys.size, _LINK_CHUNK):
        q, r = np.divmod(keys[a:a + _LINK_CHUNK], np.int64(n))
        i[a:a + q.size], j[a:a + r.size] = q, r
    return i, j


def _shared_units(rep: np.ndarray, m: _Matches, n: int, iu: np.ndarray,
                  ju: np.ndarray) -> np.ndarray:
    """Matched unit pairs between reports ``iu[k]`` and ``ju[k]`` (``iu != ju``).

    With ``C`` the report x group counts and ``A`` the group adjacency (diagonal included),
    the count for reports ``r, s`` is ``(C A C^T)[r, s]``; only the wanted pairs are computed,
    in chunks, as row products of ``C A`` and ``C``.
    """
    out = np.zeros(iu.size, dtype=np.int64)
    if m.n_groups == 0 or iu.size == 0:
        return out
    c = m.report_groups(rep, n)
    ca = (c @ m.adjacency()).tocsr()
    ca.sort_indices()
    c.sort_indices()
    per = max(1, (1 << 23) // max(1, int(np.diff(ca.indptr).max())))
    for k0 in range(0, iu.size, per):
        x = ca[iu[k0:k0 + per]].multiply(c[ju[k0:k0 + per]])
        out[k0:k0 + per] = np.asarray(x.sum(axis=1)).ravel().astype(np.int64)
    return out


def _tfidf(sets, tf: np.ndarray):
    """Rows of L2-normalised TF-IDF weights over the shingles of ``sets`` (CSR, float64).

    The weighting of scikit-learn's ``TfidfVectorizer(sublinear_tf=True)`` (``1 + ln tf``
    times the smoothed ``ln((1 + n) / (1 + df)) + 1``), on the hashed shingles the Jaccard
    uses, so both measures see the same features; columns are the sorted distinct hashes
    (see :func:`_tfidf_parts`, which this calls with one part).
    """
    return _tfidf_parts([(sets, tf)], len(sets))


def _narrow_counts(counted: tuple) -> tuple:
    """``(sets, tf)`` of :func:`~govtext._shingles.shingle_counts` with the term frequencies
    in int32 (a count is at most a text's number of windows): they wait for the TF-IDF step
    next to the hashes, 4 bytes a shingle saved; the weights convert them to float64, the
    same numbers."""
    sets, tf = counted
    return sets, tf.astype(_index_dtype(int(tf.max(initial=0))), copy=False)


def _index_dtype(*maxima: int) -> type:
    """The index dtype scipy gives a sparse matrix whose indices and indptr reach ``maxima``
    (int32 when they fit): arrays built in it are taken as they are, not copied into it."""
    return np.int32 if max(maxima, default=0) <= np.iinfo(np.int32).max else np.int64


def _row_chunks(indptr: np.ndarray, budget: int):
    """Consecutive row ranges ``(r0, r1)`` of a CSR layout holding about ``budget`` elements
    each (at least one row), to bound the temporaries of row-wise passes."""
    n = indptr.size - 1
    r0 = 0
    while r0 < n:
        r1 = int(np.searchsorted(indptr, indptr[r0] + budget, side="right")) - 1
        r1 = min(max(r1, r0 + 1), n)
        yield r0, r1
        r0 = r1


def _tfidf_parts(parts: list, n: int):
    """:func:`_tfidf` of the shingle counts of consecutive slices of the reports, built in
    place of the counts.

    ``parts`` is a list of ``(sets, tf)`` (:func:`~govtext._shingles.shingle_counts` of each
    slice, ``n`` reports in all). It is emptied as the parts are used: the hashes go once
    their columns are known and the counts once their weights are, so (when the caller holds
    no other reference to them) these 16 bytes a shingle, 2 GB at 100,000 reports, are
    replaced by the matrix's 12 instead of living next to it and to the temporaries of
    whole-array expressions. The passes run over chunks of about ``_TFIDF_CHUNK`` shingles
    (whole rows) and compute every value as the whole-array expressions would (element-wise
    operations; each row's squared norm summed in element order, as ``bincount`` does), so
    the matrix is the same bit for bit whatever the parts and the chunk size.
    """
    import scipy.sparse as sp

    rows = np.zeros(len(parts) + 1, dtype=np.int64)
    np.cumsum([len(s) for s, _ in parts], out=rows[1:])
    if rows[-1] != n:
        raise ValueError(f"_tfidf_parts: the parts hold {rows[-1]} reports, not {n}")
    sizes = np.concatenate([s.sizes for s, _ in parts]) if parts else np.zeros(0, dtype=np.int64)
    nnz = int(sizes.sum())
    if nnz == 0:
        parts.clear()
        return sp.csr_matrix((n, 0), dtype=np.float64)
    # the columns: the sorted distinct hashes (a shingle's column is its rank, so a row's
    # columns ascend as its hashes do)
    uniq = np.unique(np.concatenate([np.unique(s.hashes) for s, _ in parts]))
    idx = _index_dtype(n, uniq.size, nnz)
    indptr = np.zeros(n + 1, dtype=idx)
    np.cumsum(sizes, out=indptr[1:])
    del sizes
    chunk = _TFIDF_CHUNK
    cols = np.empty(nnz, dtype=idx)
    df = np.zeros(uniq.size, dtype=np.int64)
    counts = []
    for k in range(len(parts)):
        h, tf = parts[k][0].hashes, parts[k][1]
        parts[k] = None
        counts.append(tf)
        del tf
        e0 = int(indptr[rows[k]])
        for a in range(0, h.size, chunk):
            c = _searchsorted(uniq, h[a:a + chunk])
            cols[e0 + a:e0 + a + c.size] = c
            df += np.bincount(c, minlength=uniq.size)
        del h
    parts.clear()
    del uniq
    idf = np.log((1.0 + n) / (1.0 + df.astype(np.float64))) + 1.0
    del df
    w = np.empty(nnz, dtype=np.float64)
    for k in range(len(counts)):
        tf = counts[k]
        counts[k] = None
        p0 = int(indptr[rows[k]])  # the part's first element: tf[0]
        for r0, r1 in _row_chunks(indptr[rows[k]:rows[k + 1] + 1], chunk):
            r0, r1 = r0 + int(rows[k]), r1 + int(rows[k])
            e0, e1 = int(indptr[r0]), int(indptr[r1])
            wc = (1.0 + np.log(tf[e0 - p0:e1 - p0].astype(np.float64))) * idf[cols[e0:e1]]
            local = np.repeat(np.arange(r1 - r0), np.diff(indptr[r0:r1 + 1]))
            norms = np.sqrt(np.bincount(local, weights=wc * wc, minlength=r1 - r0))
            scale = np.where(norms > 0, 1.0 / np.where(norms > 0, norms, 1.0), 0.0)
            wc *= np.repeat(scale, np.diff(indptr[r0:r1 + 1]))
            w[e0:e1] = wc
        del tf
    x = sp.csr_matrix((w, cols, indptr), shape=(n, idf.size), copy=False)
    return x


def _row_intersections(indptr: np.ndarray, indices: np.ndarray, n_cols: int, i: np.ndarray,
                       j: np.ndarray, chunk_size: int = 1 << 20) -> np.ndarray:
    """``|row i[k] ∩ row j[k]|`` of the column sets of a CSR structure (sorted columns):
    :func:`govtext._shingles.intersection_sizes` on an int8 incidence matrix built over
    ``indices`` as they are (int32 when they fit; not copied into the int64 column numbers
    that function would make of them)."""
    import scipy.sparse as sp

    from govtext._shingles import _Incidence, intersection_sizes

    n = indptr.size - 1
    inc = _Incidence((indptr, indices))
    mat = sp.csr_matrix((np.ones(indices.size, dtype=np.int8), indices, indptr), shape=(n, n_cols),
                        copy=False)
    mat.has_sorted_indices = True
    inc._matrix = mat
    return intersection_sizes(inc, np.asarray(i, dtype=np.int64), np.asarray(j, dtype=np.int64),
                              chunk_size=chunk_size)


def _cosine_blocks(x, n: int):
    """Row blocks of the upper triangle of ``x @ x.T``: ``(r0, r1, block)``, ``block`` the
    dense ``(r1 - r0) x (n - r0)`` products of rows ``r0:r1`` with rows ``r0:n``.

    The features shared by many rows (document frequency above ``n / 12``, the point where a
    dense BLAS product beats the sparse one on this kind of data; at most
    ``_DENSE_GRAM_BYTES`` of them as a dense matrix) are multiplied densely, the rest sparsely;
    the two parts are added in a fixed order, so the result does not depend on the block size
    or the number of BLAS threads (the summation order within each part is fixed).
    """
    block = max(1, min(n, _SIM_BLOCK_CELLS // max(n, 1)))
    csc = x.tocsc()
    del x  # the caller has let go of it too: only the two parts below stay
    df = np.diff(csc.indptr)
    order = np.argsort(-df, kind="stable")
    k = int(np.count_nonzero(df > n / _DENSE_DF_DIVISOR))
    k = min(k, _DENSE_GRAM_BYTES // (8 * max(n, 1)))
    dense_cols = np.sort(order[:k])
    sparse_cols = np.sort(order[k:])
    xd = csc[:, dense_cols].toarray() if k else None
    xs = csc[:, sparse_cols].tocsr()
    del csc
    for r0 in range(0, n, block):
        r1 = min(n, r0 + block)
        cb = (xs[r0:r1] @ xs[r0:].T).toarray()
        if xd is not None:
            cb += xd[r0:r1] @ xd[r0:].T
        yield r0, r1, cb


def _candidate_pairs(x, n: int, linked: np.ndarray) -> np.ndarray:
    """Candidate report pairs of the blocked similarity regime, as sorted unique ``i * n + j``
    keys (``i < j``): the passage-linked pairs ``linked`` (sorted keys), and for each report
    the ``_SIM_CAND_TOP_K`` reports with the largest TF-IDF cosine restricted to the shingles
    found in 2 to ``_SIM_CAND_MAX_DF`` reports (ties: the lower report index).

    The document-frequency cap keeps boilerplate out (a template sentence of a cohort is held
    by a whole cohort and would give its k^2 pairs, as in passim's n-gram cutoffs); the top-k
    bound keeps the candidates at most ``k n``. The sparse product runs over row blocks and
    each row's partners depend on that row only, so the result does not depend on the block
    size.
    """
    import scipy.sparse as sp

    if x.nnz == 0:
        return linked
    df = np.zeros(x.shape[1], dtype=np.int64)
    for a in range(0, x.nnz, _TFIDF_CHUNK):  # in chunks: bincount copies int32 indices to int64
        df += np.bincount(x.indices[a:a + _TFIDF_CHUNK], minlength=x.shape[1])
    keep_col = (df >= 2) & (df <= _SIM_CAND_MAX_DF)
    n_kept = int(keep_col.sum())
    del df
    # x restricted to the kept columns (renumbered in order) is built row block by row block,
    # never with whole-matrix temporaries; it is held whole only to transpose it
    kept = np.zeros(n + 1, dtype=np.int64)
    chunks = list(_row_chunks(x.indptr, _TFIDF_CHUNK))
    for r0, r1 in chunks:
        e0 = x.indptr[r0]
        before = np.zeros(x.indptr[r1] - e0 + 1, dtype=np.int64)
        np.cumsum(keep_col[x.indices[e0:x.indptr[r1]]], out=before[1:])
        kept[r0 + 1:r1 + 1] = np.diff(before[x.indptr[r0:r1 + 1] - e0])
    np.cumsum(kept, out=kept)
    idx = _index_dtype(n, n_kept, int(kept[-1]))
    new_col = (np.cumsum(keep_col) - 1).astype(idx)

    def restricted(r0: int, r1: int):
        """Rows ``r0:r1`` of x on the kept columns."""
        e0, e1 = x.indptr[r0], x.indptr[r1]
        ind = x.indices[e0:e1]
        mask = keep_col[ind]
        ptr = (kept[r0:r1 + 1] - kept[r0]).astype(idx)
        return sp.csr_matrix((x.data[e0:e1][mask], new_col[ind[mask]], ptr), shape=(r1 - r0, n_kept))

    data = np.empty(int(kept[-1]), dtype=np.float64)
    ind = np.empty(int(kept[-1]), dtype=idx)
    for r0, r1 in chunks:
        b = restricted(r0, r1)
        data[kept[r0]:kept[r1]] = b.data
        ind[kept[r0]:kept[r1]] = b.indices
    del b
    xt = sp.csr_matrix((data, ind, kept.astype(idx)), shape=(n, n_kept), copy=False).T.tocsr()
    del data, ind
    keys = [linked]
    k = _SIM_CAND_TOP_K
    for r0 in range(0, n, _SIM_CAND_BLOCK_ROWS):
        r1 = min(n, r0 + _SIM_CAND_BLOCK_ROWS)
        s = (restricted(r0, r1) @ xt).tocsr()
        s.sort_indices()
        ptr, cols, vals = s.indptr, s.indices.astype(np.int64), s.data
        sel = np.ones(cols.size, dtype=bool)
        sel[cols == np.repeat(np.arange(r0, r1, dtype=np.int64), np.diff(ptr))] = False  # self
        for r in np.flatnonzero(np.diff(ptr) > k + 1):
            a, b = ptr[r], ptr[r + 1]
            v = np.where(sel[a:b], vals[a:b], -np.inf)
            kth = np.partition(v, v.size - k)[v.size - k]  # the k-th largest
            take = v > kth
            # ties at the k-th value: the lowest report indices (columns are sorted)
            take[np.flatnonzero(v == kth)[:k - int(take.sum())]] = True
            sel[a:b] = take
        rows = np.repeat(np.arange(r0, r1, dtype=np.int64), np.diff(ptr))[sel]
        cols = cols[sel]
        keys.append(np.minimum(rows, cols) * n + np.maximum(rows, cols))
    return np.unique(np.concatenate(keys))


def _pair_cosines(x, iu: np.ndarray, ju: np.ndarray) -> np.ndarray:
    """``x[iu[k]] . x[ju[k]]`` for CSR ``x`` (pairs grouped by ``iu``: one scatter per group).

    For each distinct ``i``, its row is scattered into a dense vector and the rows of its
    partners are multiplied with it (``csr_matvec``): each product is summed one term after the
    other in ascending column order (the other terms add ``+0.0``), which is the order of the
    sparse product ``x @ x.T`` (``csr_matmat``). With no dense part (see
    :func:`_cosine_blocks`) the values are those of the exact regime, bit for bit; with one,
    they differ by the rounding of the BLAS sum (at most 2.2e-15 on 10,000 synthetic reports).
    """
    import scipy.sparse as sp

    out = np.zeros(iu.size, dtype=np.float64)
    if iu.size == 0 or x.nnz == 0:
        return out
    x = sp.csr_matrix(x)
    if not x.has_sorted_indices:
        x = x.copy()
        x.sort_indices()
    ind, dat, ptr = x.indices, x.data, x.indptr
    v = np.zeros(x.shape[1], dtype=np.float64)
    bounds = np.flatnonzero(np.r_[True, iu[1:] != iu[:-1], True])
    for s0, s1 in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
        i = iu[s0]
        cols = ind[ptr[i]:ptr[i + 1]]
        v[cols] = dat[ptr[i]:ptr[i + 1]]
        out[s0:s1] = x[ju[s0:s1]] @ v
        v[cols] = 0.0
    return out


def _chronology(info: pd.DataFrame) -> np.ndarray:
    """Position of each report in (year, publication date, report) order (unknown years last,
    unknown dates last within their year)."""
    order = np.lexsort((info["rep"].to_numpy(),
                        np.nan_to_num(info["pubf"].to_numpy(), nan=np.inf),
                        np.nan_to_num(info["yearf"].to_numpy(), nan=_NO_YEAR)))
    pos = np.empty(len(info), dtype=np.int64)
    pos[order] = np.arange(len(info))
    return pos


def _align_task(aligned: list[str], arrays: tuple, ra: int, rb: int, full: bool,
                spans: list[tuple[int, int, int, int]]) -> tuple:
    """The alignment task of a report pair (see :func:`_align_batch`): both texts as aligned
    for a related pair (``full``), else the windows around its anchor ``spans``."""
    a, b = aligned[ra], aligned[rb]
    if full:
        return ra, rb, True, a, b.translate(_FILL_B), None, spans
    wa = _windows(arrays, ra, [(a0, a1) for a0, a1, _, _ in spans])
    wb = _windows(arrays, rb, [(b0, b1) for _, _, b0, b1 in spans])
    # _FILL_B maps one character to one: only the windows need it
    pieces = [(x0, y0, a[x0:x1], b[y0:y1].translate(_FILL_B), (a0 - x0, a1 - x0, b0 - y0, b1 - y0))
              for (a0, a1, b0, b1), (x0, x1), (y0, y1) in zip(spans, wa, wb)]
    return ra, rb, False, None, None, pieces, None


def _pack_jobs(jobs: list[tuple]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Alignment jobs ``(ra, rb, full, spans)`` as three int64 arrays: ``(ra, rb, full)`` rows,
    the offsets of each job's spans and the ``(a0, a1, b0, b1)`` span rows. A batch travels to
    a Dask worker as these: the client's ``submit`` walks lists and tuples of arguments in
    search of futures (226,000 items for the 3,000-report run's batches; under a second of the
    client's CPU there), not arrays. :func:`_unpack_jobs` gives the jobs back."""
    head = np.array([(ra, rb, full) for ra, rb, full, _ in jobs], dtype=np.int64).reshape(-1, 3)
    ptr = np.zeros(len(jobs) + 1, dtype=np.int64)
    np.cumsum([len(job[3]) for job in jobs], out=ptr[1:])
    spans = np.array([x for job in jobs for x in job[3]], dtype=np.int64).reshape(-1, 4)
    return head, ptr, spans


def _unpack_jobs(packed: tuple[np.ndarray, np.ndarray, np.ndarray]) -> list[tuple]:
    """The jobs of :func:`_pack_jobs`, as Python numbers."""
    head, ptr, spans = packed
    rows = [tuple(x) for x in spans.tolist()]
    at = ptr.tolist()
    return [(ra, rb, bool(full), rows[at[k]:at[k + 1]])
            for k, (ra, rb, full) in enumerate(head.tolist())]


def _align_jobs(packed: tuple, shared: tuple, ngram: int, mask_digits: bool,
                min_len: int) -> tuple[list, list]:
    """:func:`_align_batch` of the tasks of the jobs ``packed`` by :func:`_pack_jobs`, built here
    from ``shared`` (the texts as aligned and the unit arrays), which the worker already holds."""
    aligned, arrays = shared
    return _align_batch([_align_task(aligned, arrays, *job) for job in _unpack_jobs(packed)],
                        ngram, mask_digits, min_len)


def _align_batch(tasks: list[tuple], ngram: int, mask_digits: bool, min_len: int) -> tuple[list, list]:
    """Align a batch of report pairs (runs in a worker with ``n_jobs``): the passage rows (as
    :func:`_passage_arrays`) and, for related pairs (aligned in full), the coverage rows (an
    int64 array of ``ra, rb, a_start, a_end, b_start, b_end`` rows).

    A task is ``(ra, rb, full, a, b, pieces, spans)``: related pairs carry both masked texts
    and their anchor spans (a passage shorter than ``min_len`` aligned symbols that overlaps
    no anchor is a stock phrase and dropped); other pairs carry only the windows around their
    anchors, ``(x0, y0, window_a, window_b, anchor span in the windows)``.
    """
    from govtext._align import align_passages

    rows: list[tuple] = []
    cover: list[tuple[int, int, int, int, int, int]] = []
    for ra, rb, full, a, b, pieces, spans in tasks:
        if full:
            for x in align_passages(a, b, n=ngram, mask_digits=mask_digits):
                cover.append((ra, rb, x.a_start, x.a_end, x.b_start, x.b_end))
                if x.matched_chars < min_len and not any(
                        x.a_start < a1 and a0 < x.a_end and x.b_start < b1 and b0 < x.b_end
                        for a0, a1, b0, b1 in spans):
                    continue  # a short stock phrase, not anchored in a shared unit
                rows.append((ra, x.a_start, x.a_end, rb, x.b_start, x.b_end, x.matched_chars,
                             x.score, True))
            continue
        # align only around the anchors: the units holding them plus one unit on each side
        found = {}
        for x0, y0, wa, wb, span in pieces:
            for q in align_passages(wa, wb, n=ngram, mask_digits=mask_digits, spans=[span]):
                key = (q.a_start + x0, q.a_end + x0, q.b_start + y0, q.b_end + y0)
                found[key] = (q.matched_chars, q.score)
        for key in sorted(found):
            a0, a1, b0, b1 = key
            rows.append((ra, a0, a1, rb, b0, b1, found[key][0], found[key][1], False))
    return _passage_arrays(rows), np.array(cover, dtype=np.int64).reshape(-1, 6)


def _passage_arrays(rows: list[tuple]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Passage rows ``(ra, a_start, a_end, rb, b_start, b_end, matched_chars, score, related)``
    as arrays: the seven integers (int64, one row each), the scores (float64) and the related
    flags (bool). A batch's rows travel and wait as arrays, about 70 bytes a passage where
    tuples of Python numbers took over 300 (a million passages at 100,000 reports)."""
    ints = np.array([r[:7] for r in rows], dtype=np.int64).reshape(-1, 7)
    score = np.array([r[7] for r in rows], dtype=np.float64)
    related = np.array([r[8] for r in rows], dtype=bool)
    return ints, score, related


def _measures_meta(info: pd.DataFrame, cohort: tuple[str, ...]) -> pd.DataFrame:
    """The metadata the measures use: the detector's (``Report.meta`` first, then
    ``Report.metadata``)."""
    meta = pd.DataFrame({"report_id": info["report_id"].to_numpy(dtype=object),
                         "agency": info["agency"].to_numpy(dtype=object),
                         "year": info["year"].to_numpy(dtype=object)})
    for k, name in enumerate(cohort):
        meta[name] = [c[k] for c in info["cohort"]]
    return meta


def _corpus_measures(corpus: Any, meta: pd.DataFrame, cohort: tuple[str, ...], cache: dict,
                     progress: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`govtext.measures.report_measures` (reports of cohorts too small for their own
    band scored against the whole corpus) and :func:`govtext.measures.year_over_year`."""
    from govtext import measures

    extra = measures.report_measures(corpus, cohort=list(cohort), metadata=meta, small_cohorts="corpus",
                                     cache=cache, progress=progress)
    yoy = measures.year_over_year(corpus, metadata=meta[["report_id", "agency", "year"]], cache=cache,
                                  progress=progress)
    return extra, yoy


def _measures_of_entries(batches: list, meta: pd.DataFrame, cohort: tuple[str, ...]) -> tuple:
    """:func:`_corpus_measures` where only the packed batches are (a Dask worker): the measures
    take them instead of reports (same frames)."""
    from govtext.measures import _PackedCorpus

    packed = _PackedCorpus(batches, meta["report_id"])
    if packed.missing:  # the pipeline packs every report; anything else is a bug
        raise InputError(f"the measures lack {len(packed.missing)} report(s), e.g. {packed.missing[0]!r}")
    return _corpus_measures(packed, meta, cohort, None)


def _tokenize_batch(reports: list):
    """The word units and per-report measures rows of a batch, packed (runs in a worker with
    n_jobs, or where the pipeline's partition is; see :func:`govtext.measures._pack_reports`)."""
    from govtext.measures import _pack_reports

    return _pack_reports(reports)


def _parallel(n_jobs: int | None) -> bool:
    from govtext._workers import batch_runner

    if batch_runner() is not None:
        return True
    import joblib

    return joblib.effective_n_jobs(n_jobs) != 1


def _map_batches(fn, batches, args: tuple, n_jobs: int | None):
    """``fn(batch, *args)`` for each batch, results in batch order: on the runner set by
    :func:`govtext._workers.run_batches_on` (the Dask backend's cluster), in this process, or
    in ``n_jobs`` joblib workers (loky processes by default; whatever backend an enclosing
    ``joblib.parallel_config`` sets). The order of the results never depends on the workers,
    so neither do the outputs."""
    from govtext._workers import batch_runner

    runner = batch_runner()
    if runner is not None:
        return runner.map_batches(fn, batches, args)
    import joblib

    if not _parallel(n_jobs):
        return (fn(batch, *args) for batch in batches)
    par = joblib.Parallel(n_jobs=n_jobs, return_as="generator")

    def run():
        from govtext._workers import release_idle_workers

        yield from par(joblib.delayed(fn)(batch, *args) for batch in batches)
        release_idle_workers()  # the workers' memory is not needed by the next step

    return run()


def _windows(arrays: tuple, rep: int, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Around each span: from the start of the unit before to the end of the unit after."""
    rows, st_all, en_all = arrays
    lo, hi = np.searchsorted(rows, rep, side="left"), np.searchsorted(rows, rep, side="right")
    st = st_all[lo:hi]
    en = en_all[lo:hi]
    out = []
    for s0, s1 in spans:
        i = max(int(np.searchsorted(st, s0, side="right")) - 2, 0)
        j = min(int(np.searchsorted(st, s1, side="left")) + 1, st.size)
        out.append((int(min(st[i], s0)), int(max(en[j - 1], s1))))
    return out


def _unit_anchors(units: pd.DataFrame, m: _Matches, pos: np.ndarray, related: set,
                  cap: int) -> pd.DataFrame:
    """Span pairs of matched units in two reports: all of them for related report pairs, and
    those whose units are found in at most ``cap`` reports for the others."""
    rep = units["rep"].to_numpy()
    k = units["n_reports"].to_numpy()
    st = units["start"].to_numpy()
    en = units["end"].to_numpy()
    parts_a, parts_b = [], []
    ng = m.n_groups
    if ng:
        # rare: the pairs of groups found in at most cap reports (k is a group's count)
        kg = np.zeros(ng, dtype=np.int64)
        kg[m.unit_g[m.members]] = k[m.members]
        rare_g = kg <= cap
        a, b = m.unit_pairs(np.flatnonzero(rare_g[m.gi] & rare_g[m.gj]), np.flatnonzero(rare_g))
        parts_a.append(a)
        parts_b.append(b)
    if related and ng:
        # every matched unit pair of two related reports: the matchable units of both,
        # crossed, kept where the groups are equal or linked
        rel = np.array(sorted(related), dtype=np.int64)
        mu = np.flatnonzero(m.unit_g >= 0)
        ptr = np.searchsorted(rep[mu], np.arange(len(pos) + 1))
        ekeys = m.edge_keys()
        ca = ptr[rel[:, 0] + 1] - ptr[rel[:, 0]]
        cb = ptr[rel[:, 1] + 1] - ptr[rel[:, 1]]
        c = ca * cb
        cs = np.cumsum(c)
        lo = 0
        while lo < c.size:  # about 2 million candidate unit pairs at a time
            done = int(cs[lo - 1]) if lo else 0
            hi = max(int(np.searchsorted(cs, done + (1 << 21), side="right")), lo + 1)
            cc = c[lo:hi]
            tot = int(cc.sum())
            pidx = np.repeat(np.arange(lo, hi, dtype=np.int64), cc)
            e = np.arange(tot, dtype=np.int64) - np.repeat(np.cumsum(cc) - cc, cc)
            q, r = np.divmod(e, cb[pidx])
            ua = mu[ptr[rel[pidx, 0]] + q]
            ub = mu[ptr[rel[pidx, 1]] + r]
            ga, gb = m.unit_g[ua], m.unit_g[ub]
            hit = (ga == gb) | _isin_sorted(np.minimum(ga, gb) * np.int64(ng) + np.maximum(ga, gb),
                                            ekeys)
            parts_a.append(ua[hit])
            parts_b.append(ub[hit])
            lo = hi
    a = np.concatenate(parts_a) if parts_a else np.zeros(0, dtype=np.int64)
    b = np.concatenate(parts_b) if parts_b else np.zeros(0, dtype=np.int64)
    ra, rb = rep[a], rep[b]
    keep = ra != rb
    a, b, ra, rb = a[keep], b[keep], ra[keep], rb[keep]
    flip = pos[ra] > pos[rb]
    a, b = np.where(flip, b, a), np.where(flip, a, b)
    ra, rb = rep[a], rep[b]
    return pd.DataFrame({"ra": ra.astype(np.int64), "rb": rb.astype(np.int64),
                         "a0": st[a].astype(np.int64), "a1": en[a].astype(np.int64),
                         "b0": st[b].astype(np.int64), "b1": en[b].astype(np.int64)})


def _group_span_pairs(m: pd.DataFrame, max_reports: int) -> pd.DataFrame:
    """Span pairs between every two reports of each group of ``m`` (groups in 2..max reports).

    ``m`` has ``cluster, rep, start, end, pos``; pairs are oriented by ``pos`` (chronology).
    """
    k = m.groupby("cluster")["rep"].transform("nunique").to_numpy()
    s = m.loc[(k >= 2) & (k <= max_reports)]
    cols = ["ra", "rb", "a0", "a1", "b0", "b1"]
    if s.empty:
        return pd.DataFrame({c: pd.Series(dtype="int64") for c in cols})
    j = s.merge(s, on="cluster", suffixes=("_a", "_b"))
    j = j.loc[j["pos_a"].to_numpy() < j["pos_b"].to_numpy()]
    out = pd.DataFrame({"ra": j["rep_a"].to_numpy(np.int64), "rb": j["rep_b"].to_numpy(np.int64),
                        "a0": j["start_a"].to_numpy(np.int64), "a1": j["end_a"].to_numpy(np.int64),
                        "b0": j["start_b"].to_numpy(np.int64), "b1": j["end_b"].to_numpy(np.int64)})
    return out.drop_duplicates().sort_values(cols, kind="stable").reset_index(drop=True)


def _covered_chars(rep: np.ndarray, s: np.ndarray, e: np.ndarray, units: pd.DataFrame,
                   label: str) -> np.ndarray:
    """Characters of each span ``(rep, s, e)`` lying in units with ``label``."""
    out = np.zeros(rep.size, dtype=np.int64)
    sel = units.loc[units["label"] == label, ["rep", "start", "end"]]
    if sel.empty or rep.size == 0:
        return out
    # a span meets every unit with the label in its report: the spans go a chunk at a time so
    # that the merged rows (spans times units) stay about _LINK_CHUNK
    per_rep = np.bincount(sel["rep"].to_numpy(), minlength=int(rep.max()) + 1)
    cum = np.cumsum(per_rep[rep])
    lo = 0
    while lo < rep.size:
        done = int(cum[lo - 1]) if lo else 0
        hi = max(int(np.searchsorted(cum, done + _LINK_CHUNK, side="right")), lo + 1)
        q = pd.DataFrame({"q": np.arange(lo, hi), "rep": rep[lo:hi], "s": s[lo:hi],
                          "e": e[lo:hi]})
        j = q.merge(sel, on="rep")
        ov = np.minimum(j["e"], j["end"]) - np.maximum(j["s"], j["start"])
        ov = np.maximum(ov.to_numpy(), 0)
        np.add.at(out, j["q"].to_numpy(), ov)
        lo = hi
    return out


def _union_length(keys: np.ndarray, s: np.ndarray, e: np.ndarray) -> np.ndarray:
    """Length of the union of the intervals ``[s, e)`` of each key (``keys`` sorted, and ``s``
    sorted within a key), on the last row of each key (0 elsewhere)."""
    n = keys.size
    out = np.zeros(n, dtype=np.int64)
    if n == 0:
        return out
    first = np.r_[True, keys[1:] != keys[:-1]]
    gid = np.cumsum(first) - 1
    big = np.int64(max(int(e.max()), int(s.max()), 0) + 1)
    ss = s.astype(np.int64) + gid * big
    ee = np.maximum(e.astype(np.int64), s.astype(np.int64)) + gid * big
    reach = np.maximum.accumulate(ee)
    prev = np.r_[np.int64(-1), reach[:-1]]
    prev = np.where(first, gid * big - 1, prev)
    gain = np.maximum(ee - np.maximum(ss, prev), 0)
    tot = np.add.reduceat(gain, np.flatnonzero(first))
    last = np.r_[np.flatnonzero(first)[1:] - 1, n - 1]
    out[last] = tot
    return out


def _counterpart_coverage(j: pd.DataFrame, n_chars: np.ndarray,
                          min_coverage: float) -> pd.DataFrame:
    """The units covered enough by passages of one label: ``index, label, covered, src``.

    ``j`` has one row per (unit ``index``, passage) overlap: the covered part of the unit
    ``cs``/``ce``, its counterpart unit ``grp`` in the source report ``src`` and the part of
    the counterpart it is aligned with, ``ocs``/``oce``. A counterpart counts when the passages
    aligned with it cover ``min_coverage`` of the unit, or of the counterpart (the unit copies
    most of that sentence: a copy may join several sentences of its source into one); the
    unit is covered when the counterparts that count cover ``min_coverage`` of it together.
    Stock clauses aligned with parts of several long sentences do not count.
    """
    cols = ["index", "label", "grp"]
    j = j.sort_values([*cols, "cs", "ce"], kind="stable").reset_index(drop=True)
    gk = j.groupby(cols, sort=True).ngroup().to_numpy()  # j is sorted by the keys
    ng = int(gk.max()) + 1 if gk.size else 0
    cs, ce = j["cs"].to_numpy(np.int64), j["ce"].to_numpy(np.int64)
    ucov = np.bincount(gk, weights=_union_length(gk, cs, ce), minlength=ng)
    o = np.lexsort((j["oce"].to_numpy(), j["ocs"].to_numpy(), gk))
    ocov = np.bincount(gk[o], weights=_union_length(gk[o], j["ocs"].to_numpy(np.int64)[o],
                                                    j["oce"].to_numpy(np.int64)[o]),
                       minlength=ng)
    first = np.r_[True, gk[1:] != gk[:-1]] if gk.size else np.zeros(0, dtype=bool)
    fi = j.loc[first]
    own_n = n_chars[fi["index"].to_numpy()]
    cp_n = np.maximum(n_chars[fi["grp"].to_numpy()], 1)
    ok_g = (ucov >= min_coverage * own_n - 1e-9) | (ocov >= min_coverage * cp_n - 1e-9)
    keep = ok_g[gk]
    q = j.loc[keep, ["index", "label", "cs", "ce", "src"]]
    q = q.sort_values(["index", "label", "cs", "ce"], kind="stable").reset_index(drop=True)
    qk = q.groupby(["index", "label"], sort=True).ngroup().to_numpy()
    cov = np.bincount(qk, weights=_union_length(qk, q["cs"].to_numpy(np.int64),
                                                q["ce"].to_numpy(np.int64)),
                      minlength=int(qk.max()) + 1 if qk.size else 0)
    out = q.groupby(["index", "label"], sort=True).agg(src=("src", "min")).reset_index()
    out["covered"] = cov.astype(np.int64)
    out = out.loc[out["covered"] >= min_coverage * n_chars[out["index"].to_numpy()] - 1e-9]
    return out[["index", "label", "covered", "src"]].reset_index(drop=True)


def _exact_containment(sets, threshold: float, *, expand: bool = True):
    """Every pair of sets with containment ``|A ∩ B| / min(|A|, |B|) >= threshold``.

    With ``expand=False``, the pairs between duplicate groups and the groups, as
    :func:`govtext._lsh.lsh_pairs` returns them.

    Prefix filtering with a full inverted index: tokens are ranked rarest first; if the smaller
    set ``x`` has containment ``>= t`` in ``y``, one of the first ``|x| - ceil(t |x|) + 1``
    tokens of ``x`` lies in ``y``. Every set probes the postings of its prefix tokens for sets
    at least as large; candidates are verified exactly.
    """
    from govtext._allpairs import Pairs, expand_duplicates, verify_pairs
    from govtext._minhash import group_duplicates
    from govtext._shingles import _as_csr, _unique, _unique_inverse_counts

    indptr, hashes = _as_csr(sets)
    groups = group_duplicates((indptr, hashes))
    reps = groups.reps
    r = reps.size
    stats: dict[str, int] = {"n_units": int(indptr.size - 1), "n_distinct": int(r)}
    if r == 0:
        e = np.empty(0, dtype=np.int64)
        f = np.empty(0, dtype=np.float64)
        empty = Pairs(e, e.copy(), e.copy(), f, f.copy(), stats)
        return empty if expand else (empty, groups)
    sizes = np.diff(indptr)[reps]
    src = np.repeat(indptr[reps] - (np.cumsum(sizes) - sizes), sizes) + np.arange(sizes.sum())
    rh = hashes[src]
    owner = np.repeat(np.arange(r, dtype=np.int64), sizes)
    uniq, inv, counts = _unique_inverse_counts(rh)
    rank = np.empty(uniq.size, dtype=np.int64)
    rank[np.lexsort((uniq, counts))] = np.arange(uniq.size)
    tok = rank[inv]
    order = np.lexsort((tok, owner))
    tok, owner_s = tok[order], owner[order]
    pos = np.arange(tok.size) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    need = np.ceil(threshold * sizes - 1e-9).astype(np.int64)
    plen = np.clip(sizes - need + 1, 1, sizes)
    in_prefix = pos < plen[owner_s]
    # postings: (token, size, set) sorted
    post = np.lexsort((owner_s, sizes[owner_s], tok))
    p_tok, p_set = tok[post], owner_s[post]
    p_size = sizes[p_set]
    q_tok, q_set = tok[in_prefix], owner_s[in_prefix]
    # postings of the query token with size >= |x|
    key_p = p_tok * (int(sizes.max()) + 2) + p_size
    lo = np.searchsorted(key_p, q_tok * (int(sizes.max()) + 2) + sizes[q_set], side="left")
    hi = np.searchsorted(p_tok, q_tok, side="right")
    cnt = np.maximum(hi - lo, 0)
    cand = []
    chunk = 1 << 22
    csum = np.cumsum(cnt)
    p0 = 0
    while p0 < cnt.size:
        base = int(csum[p0 - 1]) if p0 else 0
        p1 = int(np.searchsorted(csum, base + chunk, side="right"))
        p1 = min(max(p1, p0 + 1), cnt.size)
        c = cnt[p0:p1]
        tot = int(c.sum())
        if tot:
            q = np.repeat(np.arange(p0, p1), c)
            off = np.arange(tot) - np.repeat(np.cumsum(c) - c, c)
            y = p_set[lo[q] + off]
            x = q_set[q]
            ok = x != y
            a, b = np.minimum(x[ok], y[ok]), np.maximum(x[ok], y[ok])
            cand.append(_unique(a * np.int64(r) + b))
        p0 = p1
    keys = _unique(np.concatenate(cand)) if cand else np.empty(0, dtype=np.int64)
    stats["n_candidates"] = int(keys.size)
    ver = verify_pairs((indptr, hashes), reps[keys // r], reps[keys % r], threshold=threshold,
                       measure="containment")
    gi = _searchsorted(reps, ver.i)
    gj = _searchsorted(reps, ver.j)
    ver = Pairs(gi, gj, ver.intersection, ver.jaccard, ver.containment, stats)
    if not expand:
        return ver, groups
    return expand_duplicates(ver, groups, (indptr, hashes))
