"""Scoring detectors against gold spans: PAN text-alignment measures for reuse detection.

:func:`reuse` scores any detector's passages, given as character spans of ``Report.text``,
against a truth frame (from :func:`govtext.datasets.make_synthetic_corpus`, or hand-labelled
gold with the same columns). It reports, per reuse label and overall, the character-level
macro precision and recall, the granularity and plagdet of the PAN text-alignment evaluation
(Potthast et al., COLING 2010; docs/measures.md §4), the per-report error of the boilerplate
share and a character-level label confusion matrix. Spans annotated on ``Report.raw`` are
mapped to ``Report.text`` with :func:`to_text_spans`.

Scoring a detector: give :func:`reuse` one row per detected passage, ``report_id, start, end``
in ``Report.text`` offsets plus, when the detector says so, ``label`` (``template``/``copied``/
``recycled``/``own``) and ``source_report_id``. That is the whole interface: govtext's own
reuse detector (a frame of its passages) and any other tool (passim, textreuse, a hand-made
baseline) are scored the same way, so their rows of :attr:`ReuseScores.scores` compare
directly. On the synthetic corpus::

    corpus, truth = make_synthetic_corpus(1000)
    scores = reuse(passages, truth)  # passages: the detector's frame

The span helpers of this module (``_spans``, ``_overlaps``, ``_union_per_case``) work for any
pair of span sets and are meant to be shared by the other scorers of this module.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from govtext.exceptions import InvalidParameterError

__all__ = ["REUSE_LABELS", "STATEMENT_ERROR_COLUMNS", "STATEMENT_KINDS", "STATEMENT_SCORE_COLUMNS",
           "TRUTH_LABELS", "ReuseScores", "StatementScores", "reuse", "statements", "to_text_spans"]

#: Labels of reused passages: the PAN cases.
REUSE_LABELS = ("template", "copied", "recycled")
#: All labels of the narrative (``own`` is original text); the confusion matrix adds ``unlabelled``.
TRUTH_LABELS = ("template", "copied", "recycled", "own")
UNLABELLED = "unlabelled"
# Report i's character p sits at i * _STRIDE + p on one global line (reports up to 2**40 chars).
_STRIDE = 1 << 40


# --------------------------------------------------------------------------------------------
# raw -> text


def to_text_spans(spans: pd.DataFrame, corpus: Any, *, prefix: str = "") -> pd.DataFrame:
    """Map spans of ``Report.raw`` to spans of ``Report.text``.

    A text character belongs to the span when the raw characters it came from lie inside it
    (``report.offsets``/``report.offset_ends``); debris removed by normalisation inside a span
    simply has no text characters.

    Parameters
    ----------
    spans : DataFrame
        With columns ``{prefix}report_id``, ``{prefix}raw_start`` and ``{prefix}raw_end``.
        Rows whose ``raw_start`` is negative or whose report id is empty are left at -1.
    corpus : Corpus or mapping of report id to Report
        The reports the spans refer to.
    prefix : str
        ``""`` for the spans themselves, ``"source_"`` for the source spans of a truth frame.

    Returns
    -------
    DataFrame
        A copy with ``{prefix}text_start`` and ``{prefix}text_end`` (int64) filled in.

    Examples
    --------
    >>> import pandas as pd
    >>> from govtext import parse_reports
    >>> corpus = parse_reports("平昌关镇 2023 年政府信息公开工作年度报告 | |||\\n一、总体情况 本镇主动公开信息。", id="r")
    >>> spans = pd.DataFrame({"report_id": ["r"], "raw_start": [5], "raw_end": [11]})
    >>> out = to_text_spans(spans, corpus)
    >>> corpus["r"].raw[5:11], corpus["r"].text[out.text_start[0]:out.text_end[0]]
    ('2023 年', '2023年')
    """
    rid_col, a_col, b_col = f"{prefix}report_id", f"{prefix}raw_start", f"{prefix}raw_end"
    missing = [c for c in (rid_col, a_col, b_col) if c not in spans.columns]
    if missing:
        msg = f"to_text_spans needs the columns {missing} in 'spans'. Got {list(spans.columns)} instead."
        raise InvalidParameterError(msg)
    out = spans.copy()
    n = len(out)
    ts = np.full(n, -1, dtype=np.int64)
    te = np.full(n, -1, dtype=np.int64)
    ids = out[rid_col].to_numpy(dtype=object)
    a = out[a_col].to_numpy(dtype=np.int64)
    b = out[b_col].to_numpy(dtype=np.int64)
    valid = np.flatnonzero((a >= 0) & np.array([isinstance(x, str) and x != "" for x in ids], dtype=bool))
    if len(valid):
        codes, uniques = pd.factorize(ids[valid])
        order = np.argsort(codes, kind="stable")
        bounds = np.searchsorted(codes[order], np.arange(len(uniques) + 1))
        for g, rid in enumerate(uniques):
            rows = valid[order[bounds[g]:bounds[g + 1]]]
            try:
                report = corpus[rid]
            except (KeyError, IndexError):
                msg = f"to_text_spans: report {rid!r} of the spans is not in the corpus."
                raise InvalidParameterError(msg) from None
            if np.any(b[rows] > len(report.raw)) or np.any(b[rows] < a[rows]):
                msg = f"to_text_spans: a span of report {rid!r} lies outside its raw text (length {len(report.raw)})."
                raise InvalidParameterError(msg)
            s = np.searchsorted(report.offsets, a[rows], side="left")
            e = np.searchsorted(report.offset_ends, b[rows], side="right")
            ts[rows] = s
            te[rows] = np.maximum(e, s)
    out[f"{prefix}text_start"] = ts
    out[f"{prefix}text_end"] = te
    return out


# --------------------------------------------------------------------------------------------
# span sets on one global line


@dataclass(frozen=True)
class _Spans:
    """Spans as global positions (``report index * _STRIDE + offset``), sorted by start."""

    start: np.ndarray
    end: np.ndarray
    label: np.ndarray  # object
    source: np.ndarray  # object: source report id or ""
    report: np.ndarray  # int64 report index

    def __len__(self) -> int:
        return len(self.start)

    def take(self, mask: np.ndarray) -> _Spans:
        return _Spans(self.start[mask], self.end[mask], self.label[mask], self.source[mask], self.report[mask])


def _column(frame: pd.DataFrame, names: Sequence[str], what: str, caller: str) -> pd.Series:
    for name in names:
        if name in frame.columns:
            return frame[name]
    msg = f"The {what!r} parameter of {caller} needs a column {' or '.join(map(repr, names))}. Got {list(frame.columns)} instead."
    raise InvalidParameterError(msg)


def _spans(frame: pd.DataFrame, what: str, caller: str, index: pd.Index, *, starts: Sequence[str],
           ends: Sequence[str], default_label: str) -> _Spans:
    rid = _column(frame, ["report_id"], what, caller).astype(str).to_numpy(dtype=object)
    start = _column(frame, starts, what, caller).to_numpy()
    end = _column(frame, ends, what, caller).to_numpy()
    try:
        start = start.astype(np.int64)
        end = end.astype(np.int64)
    except (TypeError, ValueError):
        msg = f"The {what!r} parameter of {caller} must hold integer spans. Got non-integer values instead."
        raise InvalidParameterError(msg) from None
    if len(start) and (np.any(start < 0) or np.any(end <= start)):
        bad = int(np.flatnonzero((start < 0) | (end <= start))[0])
        msg = (f"The {what!r} parameter of {caller} must hold spans with 0 <= start < end. Got "
               f"({start[bad]}, {end[bad]}) in row {bad} instead.")
        raise InvalidParameterError(msg)
    label = (frame["label"].astype(str).to_numpy(dtype=object) if "label" in frame.columns
             else np.full(len(frame), default_label, dtype=object))
    if "source_report_id" in frame.columns:
        source = frame["source_report_id"].fillna("").astype(str).to_numpy(dtype=object)
    else:
        source = np.full(len(frame), "", dtype=object)
    report = index.get_indexer(rid).astype(np.int64)
    g0 = report * _STRIDE + start
    order = np.argsort(g0, kind="stable")
    return _Spans(g0[order], (report * _STRIDE + end)[order], label[order], source[order], report[order])


def _check_disjoint(spans: _Spans, what: str) -> None:
    if len(spans) > 1 and np.any(spans.start[1:] < spans.end[:-1]):
        i = int(np.flatnonzero(spans.start[1:] < spans.end[:-1])[0])
        msg = (f"reuse: the truth spans of a report must not overlap ({what}); spans at "
               f"{spans.start[i] % _STRIDE}-{spans.end[i] % _STRIDE} and "
               f"{spans.start[i + 1] % _STRIDE}-{spans.end[i + 1] % _STRIDE} do.")
        raise InvalidParameterError(msg)


def _overlaps(cases: _Spans, dets: _Spans) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Pairs (case, detection) that share characters, with the shared piece.

    ``cases`` must be disjoint (sorted ends); detections may overlap each other.
    """
    if not len(cases) or not len(dets):
        e = np.zeros(0, dtype=np.int64)
        return e, e, e, e
    lo = np.searchsorted(cases.end, dets.start, side="right")
    hi = np.searchsorted(cases.start, dets.end, side="left")
    counts = np.maximum(hi - lo, 0)
    det_idx = np.repeat(np.arange(len(dets)), counts)
    first = np.repeat(lo, counts)
    within = np.arange(len(det_idx)) - np.repeat(np.cumsum(counts) - counts, counts)
    case_idx = first + within
    s = np.maximum(cases.start[case_idx], dets.start[det_idx])
    e = np.minimum(cases.end[case_idx], dets.end[det_idx])
    keep = e > s
    return case_idx[keep], det_idx[keep], s[keep], e[keep]


def _union_per_case(case_idx: np.ndarray, s: np.ndarray, e: np.ndarray, n_cases: int) -> np.ndarray:
    """Characters of each case covered by the union of its pieces (pieces lie inside disjoint,
    sorted cases, so sorting by start keeps every case's pieces together)."""
    if not len(s):
        return np.zeros(n_cases, dtype=np.int64)
    order = np.lexsort((s, case_idx))
    s, e, c = s[order], e[order], case_idx[order]
    reach = np.maximum.accumulate(e)
    prev = np.concatenate(([np.iinfo(np.int64).min], reach[:-1]))
    new = np.maximum(e - np.maximum(s, prev), 0)
    return np.bincount(c, weights=new, minlength=n_cases).astype(np.int64)


def _pan(cases: _Spans, dets: _Spans, *, match_source: bool) -> dict[str, float]:
    """PAN macro precision/recall, granularity and plagdet (case = gold span)."""
    n_c, n_d = len(cases), len(dets)
    out = {"n_cases": n_c, "n_detections": n_d, "n_detected": 0}
    if n_c == 0 or n_d == 0:
        both = n_c == 0 and n_d == 0  # PAN: nothing to find and nothing found is perfect
        out.update(precision=float(both), recall=float(both), f1=float(both), granularity=1.0, plagdet=float(both))
        return out
    ci, di, s, e = _overlaps(cases, dets)
    if match_source:
        want = cases.source[ci]
        keep = (want == "") | (want == dets.source[di])
        ci, di, s, e = ci[keep], di[keep], s[keep], e[keep]
    # precision: cases are disjoint, so a detection's detected characters are the sum of its pieces
    per_det = np.bincount(di, weights=e - s, minlength=n_d)
    precision = float(np.mean(per_det / (dets.end - dets.start)))
    per_case = _union_per_case(ci, s, e, n_c)
    recall = float(np.mean(per_case / (cases.end - cases.start)))
    hits = np.bincount(ci, minlength=n_c)
    detected = hits > 0
    granularity = float(hits[detected].mean()) if detected.any() else 1.0
    f1 = 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)
    out.update(n_detected=int(detected.sum()), precision=precision, recall=recall, f1=f1,
               granularity=granularity, plagdet=f1 / math.log2(1 + granularity))
    return out


# --------------------------------------------------------------------------------------------
# reuse


@dataclass(frozen=True)
class ReuseScores:
    """Result of :func:`reuse`.

    Attributes
    ----------
    scores : DataFrame
        One row per label, then ``overall``: ``label, n_cases, n_detections, n_detected,
        precision, recall, f1, granularity, plagdet``.
    boilerplate : DataFrame
        One row per report of the truth: ``report_id, n_chars`` (narrative characters),
        ``true_share``, ``predicted_share`` and ``error`` (predicted - true), sorted by id.
    confusion : DataFrame
        Characters by truth label (index: ``template, copied, recycled, own, unlabelled``)
        and predicted label (columns: the detection labels, then ``unlabelled``).
    """

    scores: pd.DataFrame
    boilerplate: pd.DataFrame
    confusion: pd.DataFrame

    @property
    def overall(self) -> dict[str, float]:
        """The ``overall`` row of :attr:`scores` as a dict."""
        row = self.scores.loc[self.scores["label"] == "overall"].iloc[0]
        return {k: (v.item() if hasattr(v, "item") else v) for k, v in row.drop("label").items()}

    @property
    def boilerplate_mae(self) -> float:
        """Mean absolute error of the per-report boilerplate share."""
        return float(self.boilerplate["error"].abs().mean()) if len(self.boilerplate) else math.nan


def reuse(detections: pd.DataFrame, truth: pd.DataFrame, *, labels: Sequence[str] = REUSE_LABELS,
          boilerplate_labels: Sequence[str] = ("template",), match_source: bool = False,
          corpus: Any = None) -> ReuseScores:
    """Score detected reuse passages against the truth (PAN text alignment, character level).

    A *case* is a truth passage with a label in ``labels``; a detection *detects* a case when
    they share a character (and, with ``match_source``, name the same source report). Following
    Potthast et al. (2010), with S the cases, R the detections and s ⊓ r their shared
    characters when r detects s:

    - precision = mean over r of |∪_s (s ⊓ r)| / |r|;
    - recall = mean over s of |∪_r (s ⊓ r)| / |s|;
    - granularity = mean number of detections per detected case (>= 1);
    - plagdet = F1 / log2(1 + granularity).

    With no cases and no detections precision and recall are 1, with either empty they are 0
    (as in the PAN evaluation code). Per label, cases and detections of that label are scored;
    ``overall`` scores all cases against all detections with a label in ``labels``, ignoring
    which label. Detections without a ``label`` column count for every label.

    Parameters
    ----------
    detections : DataFrame
        Detected passages: ``report_id, start, end`` (``Report.text`` offsets, half-open;
        ``text_start``/``text_end`` are accepted too), optionally ``label`` and
        ``source_report_id``. Detections may overlap.
    truth : DataFrame
        Truth spans with ``report_id, label, text_start, text_end`` (and ``source_report_id``
        for ``match_source``), as returned by :func:`govtext.datasets.make_synthetic_corpus`;
        when it has a ``layer`` column only ``layer == "reuse"`` rows are used. Spans of one
        report must not overlap.
    labels : sequence of str
        The labels scored as cases (add ``"own"`` to score own-text detection as well).
    boilerplate_labels : sequence of str
        Labels whose share of a report's narrative is its boilerplate share.
    match_source : bool
        Count a detection for a copied/recycled case only if its ``source_report_id`` is the
        case's.
    corpus : Corpus, optional
        Needed only when the truth has no text spans (``text_start == -1``, from
        ``as_texts=True``): they are then mapped with :func:`to_text_spans`.

    Returns
    -------
    ReuseScores

    Examples
    --------
    >>> import pandas as pd
    >>> truth = pd.DataFrame({"report_id": ["a", "a"], "label": ["template", "own"],
    ...                       "text_start": [0, 10], "text_end": [10, 30]})
    >>> found = pd.DataFrame({"report_id": ["a", "a"], "start": [0, 5], "end": [5, 10],
    ...                       "label": ["template", "template"]})
    >>> scores = reuse(found, truth)
    >>> scores.scores.set_index("label").loc["template", ["precision", "recall", "granularity"]].tolist()
    [1.0, 1.0, 2.0]
    >>> round(scores.overall["plagdet"], 4)
    0.6309
    >>> int(scores.confusion.loc["template", "template"]), int(scores.confusion.loc["own", "unlabelled"])
    (10, 20)
    """
    caller = "reuse"
    for name, frame in (("detections", detections), ("truth", truth)):
        if not isinstance(frame, pd.DataFrame):
            msg = f"The {name!r} parameter of {caller} must be a pandas DataFrame. Got {type(frame).__name__} instead."
            raise InvalidParameterError(msg)
    if isinstance(labels, str) or not all(isinstance(x, str) for x in labels):
        msg = f"The 'labels' parameter of {caller} must be a sequence of str. Got {labels!r} instead."
        raise InvalidParameterError(msg)
    labels = tuple(labels)
    if "layer" in truth.columns:
        truth = truth.loc[truth["layer"] == "reuse"]
    if "text_start" in truth.columns and len(truth) and (truth["text_start"] < 0).any():
        if corpus is None:
            msg = ("reuse: the truth has no text spans (text_start == -1, from as_texts=True); pass "
                   "corpus=... or fill them with govtext.evaluate.to_text_spans(truth, corpus).")
            raise InvalidParameterError(msg)
        truth = to_text_spans(truth, corpus)
    if match_source and len(detections) and "source_report_id" not in detections.columns:
        msg = f"The 'detections' parameter of {caller} needs a 'source_report_id' column with match_source=True."
        raise InvalidParameterError(msg)
    ids = pd.Index(sorted(set(truth["report_id"].astype(str)) | set(_column(
        detections, ["report_id"], "detections", caller).astype(str))))
    gold = _spans(truth, "truth", caller, ids, starts=["text_start", "start"], ends=["text_end", "end"],
                  default_label="")
    found = _spans(detections, "detections", caller, ids, starts=["start", "text_start"],
                   ends=["end", "text_end"], default_label="reused")
    _check_disjoint(gold, "same report")
    has_labels = "label" in detections.columns

    rows = []
    for lab in labels:
        cases = gold.take(gold.label == lab)
        dets = found.take(found.label == lab) if has_labels else found
        row = _pan(cases, dets, match_source=match_source)
        if not has_labels:
            row.update(precision=math.nan, f1=math.nan, plagdet=math.nan)
        rows.append({"label": lab, **row})
    in_labels = np.isin(gold.label, labels)
    dets = found.take(np.isin(found.label, labels)) if has_labels else found
    rows.append({"label": "overall", **_pan(gold.take(in_labels), dets, match_source=match_source)})
    scores = pd.DataFrame(rows, columns=["label", "n_cases", "n_detections", "n_detected", "precision",
                                         "recall", "f1", "granularity", "plagdet"])
    scores = scores.astype({"n_cases": "int64", "n_detections": "int64", "n_detected": "int64"})

    return ReuseScores(scores, _boilerplate(gold, found, ids, boilerplate_labels, has_labels),
                       _confusion(gold, found))


def _boilerplate(gold: _Spans, found: _Spans, ids: pd.Index, bp_labels: Sequence[str],
                 has_labels: bool) -> pd.DataFrame:
    n = len(ids)
    length = gold.end - gold.start
    narrative = np.bincount(gold.report, weights=length, minlength=n)
    true_bp = np.bincount(gold.report, weights=length * np.isin(gold.label, bp_labels), minlength=n)
    dets = found.take(np.isin(found.label, bp_labels)) if has_labels else found
    ci, _di, s, e = _overlaps(gold, dets)
    covered = _union_per_case(ci, s, e, len(gold))
    pred_bp = np.bincount(gold.report, weights=covered, minlength=n)
    in_truth = np.zeros(n, dtype=bool)
    in_truth[gold.report] = True
    with np.errstate(invalid="ignore", divide="ignore"):
        true_share = np.where(narrative > 0, true_bp / narrative, np.nan)
        pred_share = np.where(narrative > 0, pred_bp / narrative, np.nan)
    frame = pd.DataFrame({"report_id": ids.to_numpy(dtype=object), "n_chars": narrative.astype(np.int64),
                          "true_share": true_share, "predicted_share": pred_share,
                          "error": pred_share - true_share})
    return frame.loc[in_truth].reset_index(drop=True)


def _confusion(gold: _Spans, found: _Spans) -> pd.DataFrame:
    truth_labels = list(TRUTH_LABELS) + sorted(set(gold.label) - set(TRUTH_LABELS) - {UNLABELLED})
    pred_labels = [x for x in TRUTH_LABELS if x in set(found.label)]
    pred_labels += sorted(set(found.label) - set(TRUTH_LABELS))
    rows = truth_labels + [UNLABELLED]
    cols = pred_labels + [UNLABELLED]
    matrix = np.zeros((len(rows), len(cols)), dtype=np.int64)
    bounds = np.unique(np.concatenate([gold.start, gold.end, found.start, found.end]))
    if len(bounds) >= 2:
        seg_s, seg_e = bounds[:-1], bounds[1:]
        seg_len = seg_e - seg_s
        # truth label of each elementary segment
        k = np.searchsorted(gold.start, seg_s, side="right") - 1
        inside = (k >= 0) & (seg_s < gold.end[np.maximum(k, 0)]) if len(gold) else np.zeros(len(seg_s), bool)
        t_code = np.full(len(seg_s), len(rows) - 1)
        row_of = {lab: i for i, lab in enumerate(rows)}
        t_code[inside] = [row_of[x] for x in gold.label[k[inside]]]
        # predicted label: the first label (in column order) covering the segment
        p_code = np.full(len(seg_s), len(cols) - 1)
        for j in range(len(pred_labels) - 1, -1, -1):
            sel = found.label == pred_labels[j]
            diff = np.zeros(len(bounds) + 1, dtype=np.int64)
            np.add.at(diff, np.searchsorted(bounds, found.start[sel]), 1)
            np.add.at(diff, np.searchsorted(bounds, found.end[sel]), -1)
            covered = np.cumsum(diff)[:len(seg_s)] > 0
            p_code[covered] = j
        counted = inside | (p_code != len(cols) - 1)
        np.add.at(matrix, (t_code[counted], p_code[counted]), seg_len[counted])
    frame = pd.DataFrame(matrix, index=pd.Index(rows, name="truth"), columns=pd.Index(cols, name="predicted"))
    keep = [r for r in rows if r in TRUTH_LABELS or r == UNLABELLED or matrix[rows.index(r)].any()]
    return frame.loc[keep]


# --------------------------------------------------------------------------------------------
# statements (problems and improvement measures, issue #5)

#: Kinds of statements scored by :func:`statements`.
STATEMENT_KINDS = ("problem", "measure")
#: Columns of :attr:`StatementScores.scores`.
STATEMENT_SCORE_COLUMNS = ["kind", "n_gold", "n_pred", "n_found", "n_correct", "precision", "recall",
                           "f1", "count_ratio"]
#: Columns of :attr:`StatementScores.errors`.
STATEMENT_ERROR_COLUMNS = ["report_id", "kind", "error", "start", "end", "share", "text"]


@dataclass(frozen=True)
class StatementScores:
    """Result of :func:`statements`.

    Attributes
    ----------
    scores : DataFrame
        One row per kind, then ``overall`` (both kinds pooled): columns
        :data:`STATEMENT_SCORE_COLUMNS` -- ``n_gold``, ``n_pred`` (int64), ``n_found`` (gold
        items found), ``n_correct`` (correct predictions), ``precision`` = n_correct / n_pred,
        ``recall`` = n_found / n_gold, ``f1`` and ``count_ratio`` = n_pred / n_gold (NaN without
        gold items).
    gold : DataFrame
        The gold rows (``report_id, kind, start, end`` and any other columns given) plus
        ``found`` (bool) and ``coverage``: the largest share of the item one prediction of its
        kind covers.
    predictions : DataFrame
        The predicted rows plus ``correct`` (bool) and ``inside``: the share of the prediction
        that lies inside gold items of its kind.
    """

    scores: pd.DataFrame
    gold: pd.DataFrame
    predictions: pd.DataFrame

    @property
    def errors(self) -> pd.DataFrame:
        """The remaining errors: missed gold items and incorrect predictions.

        Columns :data:`STATEMENT_ERROR_COLUMNS`: ``error`` is ``"missed"`` (a gold item no
        prediction covers enough; ``share`` is its ``coverage``) or ``"spurious"`` (a prediction
        mostly outside the gold items of its kind; ``share`` is its ``inside``); ``text`` is the
        row's ``text`` column when the frames have one, else ``""``. Sorted by report, start, kind.
        """
        parts = []
        for frame, flag, share, label in ((self.gold, "found", "coverage", "missed"),
                                          (self.predictions, "correct", "inside", "spurious")):
            bad = frame.loc[~frame[flag]]
            parts.append(pd.DataFrame({
                "report_id": bad["report_id"].astype(str).to_numpy(dtype=object),
                "kind": bad["kind"].astype(str).to_numpy(dtype=object),
                "error": label,
                "start": bad["start"].to_numpy(dtype=np.int64),
                "end": bad["end"].to_numpy(dtype=np.int64),
                "share": bad[share].to_numpy(dtype=float),
                "text": (bad["text"].astype(str).to_numpy(dtype=object) if "text" in bad.columns
                         else np.full(len(bad), "", dtype=object)),
            }, columns=STATEMENT_ERROR_COLUMNS))
        out = pd.concat(parts, ignore_index=True)
        out = out.astype({"start": "int64", "end": "int64", "share": "float64"})
        return out.sort_values(["report_id", "start", "kind", "error"], kind="stable").reset_index(drop=True)

    def score(self, kind: str = "overall", measure: str = "f1") -> float:
        """One number of :attr:`scores` (``kind`` row, ``measure`` column).

        Examples
        --------
        >>> import pandas as pd
        >>> gold = pd.DataFrame({"report_id": ["r"], "kind": ["problem"], "start": [0], "end": [10]})
        >>> statements(gold, gold).score("problem", "recall")
        1.0
        """
        rows = self.scores.loc[self.scores["kind"] == kind]
        if rows.empty or measure not in STATEMENT_SCORE_COLUMNS[1:]:
            msg = (f"StatementScores.score: no kind {kind!r} or measure {measure!r}; kinds are "
                   f"{self.scores['kind'].tolist()}, measures {STATEMENT_SCORE_COLUMNS[1:]}.")
            raise InvalidParameterError(msg)
        value = rows.iloc[0][measure]
        return value.item() if hasattr(value, "item") else value


def _statement_frame(frame: Any, what: str) -> pd.DataFrame:
    caller = "statements"
    if not isinstance(frame, pd.DataFrame):
        msg = f"The {what!r} parameter of {caller} must be a pandas DataFrame. Got {type(frame).__name__} instead."
        raise InvalidParameterError(msg)
    missing = [c for c in ("report_id", "kind", "start", "end") if c not in frame.columns]
    if missing:
        msg = (f"The {what!r} parameter of {caller} needs the columns {missing}. "
               f"Got {list(frame.columns)} instead.")
        raise InvalidParameterError(msg)
    out = frame.reset_index(drop=True).copy()
    try:
        start = out["start"].to_numpy().astype(np.int64)
        end = out["end"].to_numpy().astype(np.int64)
    except (TypeError, ValueError):
        msg = f"The {what!r} parameter of {caller} must hold integer spans. Got non-integer values instead."
        raise InvalidParameterError(msg) from None
    bad = np.flatnonzero((start < 0) | (end <= start))
    if len(bad):
        i = int(bad[0])
        msg = (f"The {what!r} parameter of {caller} must hold spans with 0 <= start < end. "
               f"Got ({start[i]}, {end[i]}) in row {i} instead.")
        raise InvalidParameterError(msg)
    kinds = out["kind"].astype(str)
    unknown = sorted(set(kinds) - set(STATEMENT_KINDS))
    if unknown:
        msg = (f"The {what!r} parameter of {caller} must have kinds in {list(STATEMENT_KINDS)}. "
               f"Got {unknown} instead.")
        raise InvalidParameterError(msg)
    out["report_id"] = out["report_id"].astype(str)
    out["kind"] = kinds
    out["start"] = start
    out["end"] = end
    return out


def _covered(a: int, b: int, spans: list[tuple[int, int]]) -> int:
    """Characters of [a, b) inside the union of ``spans`` (sorted by start)."""
    total = 0
    reach = a
    for s, e in spans:
        if e <= reach:
            continue
        if s >= b:
            break
        lo = max(s, reach)
        hi = min(e, b)
        if hi > lo:
            total += hi - lo
            reach = hi
    return total


def _ratio(num: int, den: int, *, empty: float) -> float:
    return float(num) / den if den else empty


def statements(predictions: pd.DataFrame, gold: pd.DataFrame, *, threshold: float = 0.5,
               report_ids: Any = None) -> StatementScores:
    """Score extracted problems and measures against hand-labelled gold statements.

    Matching is by character spans of ``Report.text``, per report and per kind:

    - a gold item is **found** when one predicted statement of the same kind covers more than
      ``threshold`` of its characters;
    - a prediction is **correct** when more than ``threshold`` of its characters lie inside
      gold items of the same kind (together).

    precision = correct predictions / predictions, recall = found gold items / gold items, F1
    their harmonic mean and ``count_ratio`` = predictions / gold items, per kind and pooled
    (``overall``). The rules are lenient about granularity: one prediction spanning three gold
    clauses is correct and finds all three; ``count_ratio`` (1/3 there) shows the difference.
    With no gold items and no predictions of a kind, precision, recall and F1 are 1; with only
    one of them empty they are 0.

    Parameters
    ----------
    predictions : DataFrame
        Predicted statements with ``report_id``, ``kind`` (``problem``/``measure``), ``start``,
        ``end`` (half-open ``Report.text`` offsets), e.g. from
        :func:`govtext.statements.statements_frame`. Other columns are kept.
    gold : DataFrame
        Gold statements with the same columns, e.g. ``corpora/gold/statements.csv`` read with
        :func:`govtext.statements.read_gold`.
    threshold : float, default 0.5
        The share (in [0, 1)) that must be exceeded: 0.5 means "most of it".
    report_ids : iterable of str, optional
        Score only these reports (both frames are filtered). By default every row counts, so a
        prediction in a report that has no gold rows is an error: pass only the predictions of
        the reports you labelled (a labelled report may have no gold rows at all).

    Returns
    -------
    StatementScores
        ``.scores`` (per kind), ``.gold`` and ``.predictions`` with the match of every row, and
        ``.errors`` listing what was missed or wrong.

    Examples
    --------
    >>> import pandas as pd
    >>> gold = pd.DataFrame({"report_id": ["r", "r", "r"], "kind": ["problem", "problem", "measure"],
    ...                      "start": [0, 10, 20], "end": [10, 20, 40]})
    >>> pred = pd.DataFrame({"report_id": ["r", "r", "r"], "kind": ["problem", "measure", "measure"],
    ...                      "start": [0, 20, 34], "end": [20, 34, 60]})
    >>> res = statements(pred, gold)
    >>> res.scores[["kind", "n_found", "n_correct", "precision", "recall", "count_ratio"]].round(2)
          kind  n_found  n_correct  precision  recall  count_ratio
    0  problem        2          1       1.00     1.0          0.5
    1  measure        1          1       0.50     1.0          2.0
    2  overall        3          2       0.67     1.0          1.0
    >>> res.errors[["kind", "error", "start", "end"]].values.tolist()
    [['measure', 'spurious', 34, 60]]
    """
    caller = "statements"
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 <= threshold < 1:
        msg = f"The 'threshold' parameter of {caller} must be a float in [0, 1). Got {threshold!r} instead."
        raise InvalidParameterError(msg)
    pred = _statement_frame(predictions, "predictions")
    ref = _statement_frame(gold, "gold")
    if report_ids is not None:
        if isinstance(report_ids, str):
            msg = f"The 'report_ids' parameter of {caller} must be an iterable of str, not a str. Got {report_ids!r} instead."
            raise InvalidParameterError(msg)
        keep = {str(x) for x in report_ids}
        pred = pred.loc[pred["report_id"].isin(keep)].reset_index(drop=True)
        ref = ref.loc[ref["report_id"].isin(keep)].reset_index(drop=True)

    by_key_gold: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for rid, kind, a, b in zip(ref["report_id"], ref["kind"], ref["start"], ref["end"]):
        by_key_gold.setdefault((rid, kind), []).append((int(a), int(b)))
    by_key_pred: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for rid, kind, a, b in zip(pred["report_id"], pred["kind"], pred["start"], pred["end"]):
        by_key_pred.setdefault((rid, kind), []).append((int(a), int(b)))
    for spans in (*by_key_gold.values(), *by_key_pred.values()):
        spans.sort()

    coverage = np.zeros(len(ref), dtype=float)
    for i, (rid, kind, a, b) in enumerate(zip(ref["report_id"], ref["kind"], ref["start"], ref["end"])):
        best = 0
        for s, e in by_key_pred.get((rid, kind), ()):
            if s >= b:
                break
            best = max(best, min(b, e) - max(a, s))
        coverage[i] = best / (b - a)
    inside = np.zeros(len(pred), dtype=float)
    for i, (rid, kind, a, b) in enumerate(zip(pred["report_id"], pred["kind"], pred["start"], pred["end"])):
        inside[i] = _covered(int(a), int(b), by_key_gold.get((rid, kind), [])) / (b - a)
    ref["found"] = coverage > threshold
    ref["coverage"] = coverage
    pred["correct"] = inside > threshold
    pred["inside"] = inside

    rows = []
    for kind in (*STATEMENT_KINDS, "overall"):
        g = ref if kind == "overall" else ref.loc[ref["kind"] == kind]
        p = pred if kind == "overall" else pred.loc[pred["kind"] == kind]
        n_gold, n_pred = len(g), len(p)
        n_found, n_correct = int(g["found"].sum()), int(p["correct"].sum())
        both_empty = float(n_gold == 0 and n_pred == 0)
        precision = _ratio(n_correct, n_pred, empty=both_empty)
        recall = _ratio(n_found, n_gold, empty=both_empty)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
        count_ratio = n_pred / n_gold if n_gold else math.nan
        rows.append((kind, n_gold, n_pred, n_found, n_correct, precision, recall, f1, count_ratio))
    scores = pd.DataFrame(rows, columns=STATEMENT_SCORE_COLUMNS)
    scores = scores.astype({c: "int64" for c in ("n_gold", "n_pred", "n_found", "n_correct")})
    return StatementScores(scores, ref, pred)
