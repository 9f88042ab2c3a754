"""PAN text-alignment scoring of reuse detections (govtext.evaluate.reuse) and span mapping."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govtext import InvalidParameterError, parse_reports
from govtext._synth import make_synthetic_corpus
from govtext.evaluate import ReuseScores, reuse, to_text_spans


def spans(rows, *, start="start", end="end"):
    """[(report, start, end, label), ...] -> DataFrame."""
    return pd.DataFrame(rows, columns=["report_id", start, end, "label"]).astype({start: "int64", end: "int64"})


def truth(rows):
    return spans(rows, start="text_start", end="text_end")


def row(scores: ReuseScores, label: str) -> dict:
    return scores.scores.set_index("label").loc[label].to_dict()


# --------------------------------------------------------------------------------------------
# known PAN values


def test_perfect_detection_scores_one():
    gold = truth([("a", 0, 40, "template"), ("a", 40, 90, "copied"), ("a", 95, 130, "own"),
                  ("b", 0, 20, "recycled"), ("b", 20, 60, "template")])
    found = gold.rename(columns={"text_start": "start", "text_end": "end"})
    s = reuse(found, gold)
    for label in ("template", "copied", "recycled", "overall"):
        r = row(s, label)
        assert (r["precision"], r["recall"], r["granularity"], r["plagdet"]) == (1.0, 1.0, 1.0, 1.0)
    assert s.overall["n_cases"] == 4 and s.overall["n_detected"] == 4
    off_diagonal = s.confusion.to_numpy().sum() - sum(s.confusion.loc[x, x] for x in s.confusion.columns
                                                      if x in s.confusion.index)
    assert off_diagonal == 0
    assert s.confusion.loc["own", "own"] == 35
    assert (s.boilerplate["error"] == 0).all()
    assert s.boilerplate_mae == 0


def test_half_coverage_gives_recall_one_half():
    s = reuse(spans([("a", 0, 50, "template")]), truth([("a", 0, 100, "template")]))
    r = row(s, "template")
    assert (r["precision"], r["recall"], r["granularity"]) == (1.0, 0.5, 1.0)
    assert r["plagdet"] == pytest.approx(2 / 3)


def test_case_detected_in_two_pieces_has_granularity_two():
    s = reuse(spans([("a", 0, 50, "copied"), ("a", 50, 100, "copied")]), truth([("a", 0, 100, "copied")]))
    r = row(s, "copied")
    assert (r["precision"], r["recall"], r["granularity"]) == (1.0, 1.0, 2.0)
    assert r["plagdet"] == pytest.approx(1 / math.log2(3))


def test_precision_is_macro_averaged_over_detections():
    # one exact detection, one detection half outside the case, one false positive
    gold = truth([("a", 0, 100, "template"), ("a", 200, 300, "template")])
    found = spans([("a", 0, 100, "template"), ("a", 250, 350, "template"), ("a", 400, 410, "template")])
    r = row(reuse(found, gold), "template")
    assert r["precision"] == pytest.approx((1 + 0.5 + 0) / 3)
    assert r["recall"] == pytest.approx((1 + 0.5) / 2)
    assert r["granularity"] == 1.0


def test_overlapping_detections_count_characters_once():
    gold = truth([("a", 0, 100, "template")])
    found = spans([("a", 0, 80, "template"), ("a", 20, 100, "template")])
    r = row(reuse(found, gold), "template")
    assert (r["recall"], r["precision"], r["granularity"]) == (1.0, 1.0, 2.0)


def test_detection_in_another_report_does_not_count():
    r = row(reuse(spans([("b", 0, 100, "template")]), truth([("a", 0, 100, "template")])), "template")
    assert (r["precision"], r["recall"], r["plagdet"]) == (0.0, 0.0, 0.0)


def test_labels_are_scored_separately_and_overall_ignores_them():
    gold = truth([("a", 0, 100, "template"), ("a", 100, 200, "copied")])
    found = spans([("a", 0, 100, "copied"), ("a", 100, 200, "template")])  # both mislabelled
    s = reuse(found, gold)
    assert row(s, "template")["recall"] == 0.0 and row(s, "copied")["recall"] == 0.0
    assert row(s, "overall")["plagdet"] == 1.0


@pytest.mark.parametrize(
    ("found", "gold", "expected"),
    [
        ([], [], (1.0, 1.0, 1.0, 1.0)),  # nothing to find, nothing found
        ([], [("a", 0, 10, "template")], (0.0, 0.0, 1.0, 0.0)),
        ([("a", 0, 10, "template")], [], (0.0, 0.0, 1.0, 0.0)),
    ],
)
def test_empty_inputs(found, gold, expected):
    r = row(reuse(spans(found), truth(gold)), "template")
    assert (r["precision"], r["recall"], r["granularity"], r["plagdet"]) == expected


def test_empty_inputs_give_empty_tables():
    s = reuse(spans([]), truth([]))
    assert s.boilerplate.empty and math.isnan(s.boilerplate_mae)
    assert s.confusion.to_numpy().sum() == 0


def _disjoint(draw_cuts):
    cuts = sorted(set(draw_cuts))
    return [("a", cuts[i], cuts[i + 1], "template") for i in range(0, len(cuts) - 1, 2)]


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(0, 300), min_size=0, max_size=12), st.lists(st.integers(0, 300), min_size=0, max_size=12))
def test_precision_and_recall_are_symmetric(a_cuts, b_cuts):
    a, b = _disjoint(a_cuts), _disjoint(b_cuts)
    ab = row(reuse(spans(a), truth(b)), "template")
    ba = row(reuse(spans(b), truth(a)), "template")
    assert ab["precision"] == pytest.approx(ba["recall"])
    assert ab["recall"] == pytest.approx(ba["precision"])
    for r in (ab, ba):
        assert 0 <= r["precision"] <= 1 and 0 <= r["recall"] <= 1
        assert r["granularity"] >= 1 and 0 <= r["plagdet"] <= 1


# --------------------------------------------------------------------------------------------
# sources, unlabelled detections, own


def test_match_source_requires_the_right_source():
    gold = truth([("a", 0, 100, "copied")]).assign(source_report_id="s1")
    right = spans([("a", 0, 100, "copied")]).assign(source_report_id="s1")
    wrong = spans([("a", 0, 100, "copied")]).assign(source_report_id="s2")
    assert row(reuse(wrong, gold), "copied")["recall"] == 1.0
    assert row(reuse(wrong, gold, match_source=True), "copied")["recall"] == 0.0
    assert row(reuse(right, gold, match_source=True), "copied")["recall"] == 1.0
    with pytest.raises(InvalidParameterError, match="source_report_id"):
        reuse(spans([("a", 0, 100, "copied")]), gold, match_source=True)


def test_unlabelled_detections_score_recall_per_label_and_everything_overall():
    gold = truth([("a", 0, 100, "template"), ("a", 100, 150, "copied"), ("a", 150, 200, "own")])
    found = pd.DataFrame({"report_id": ["a"], "start": [0], "end": [150]})
    s = reuse(found, gold)
    assert row(s, "template")["recall"] == 1.0 and math.isnan(row(s, "template")["precision"])
    assert row(s, "overall")["precision"] == 1.0 and row(s, "overall")["recall"] == 1.0
    assert list(s.confusion.columns) == ["reused", "unlabelled"]


def test_own_can_be_scored_as_a_label():
    gold = truth([("a", 0, 100, "template"), ("a", 100, 200, "own")])
    found = spans([("a", 100, 200, "own")])
    s = reuse(found, gold, labels=("template", "own"))
    assert row(s, "own")["plagdet"] == 1.0
    assert row(s, "template")["recall"] == 0.0


def test_truth_layer_filter_ignores_statements():
    gold = truth([("a", 0, 100, "template"), ("a", 10, 40, "problem")]).assign(layer=["reuse", "statement"])
    assert row(reuse(spans([("a", 0, 100, "template")]), gold), "overall")["plagdet"] == 1.0


# --------------------------------------------------------------------------------------------
# confusion matrix and boilerplate share


def test_confusion_matrix_counts_characters():
    gold = truth([("a", 0, 10, "template"), ("a", 10, 30, "own")])
    found = spans([("a", 5, 15, "copied"), ("a", 40, 45, "template")])
    c = reuse(found, gold).confusion
    assert list(c.index) == ["template", "copied", "recycled", "own", "unlabelled"]
    assert list(c.columns) == ["template", "copied", "unlabelled"]
    assert c.loc["template", "copied"] == 5 and c.loc["template", "unlabelled"] == 5
    assert c.loc["own", "copied"] == 5 and c.loc["own", "unlabelled"] == 15
    assert c.loc["unlabelled", "template"] == 5  # detected outside any truth passage
    assert c.loc["unlabelled", "unlabelled"] == 0  # uncovered structure is not counted
    assert c.to_numpy().sum() == 35


def test_confusion_resolves_overlapping_labels_by_label_order():
    gold = truth([("a", 0, 10, "own")])
    found = spans([("a", 0, 10, "own"), ("a", 0, 4, "template")])
    c = reuse(found, gold, labels=("template", "own")).confusion
    assert c.loc["own", "template"] == 4 and c.loc["own", "own"] == 6


def test_boilerplate_share_per_report():
    gold = truth([("a", 0, 10, "template"), ("a", 10, 30, "own"), ("b", 0, 50, "own")])
    found = spans([("a", 0, 5, "template"), ("a", 20, 30, "template"), ("b", 0, 10, "copied")])
    bp = reuse(found, gold).boilerplate.set_index("report_id")
    assert bp.loc["a", "n_chars"] == 30
    assert bp.loc["a", "true_share"] == pytest.approx(10 / 30)
    assert bp.loc["a", "predicted_share"] == pytest.approx(15 / 30)
    assert bp.loc["a", "error"] == pytest.approx(5 / 30)
    assert (bp.loc["b", "true_share"], bp.loc["b", "predicted_share"]) == (0.0, 0.0)
    assert reuse(found, gold).boilerplate_mae == pytest.approx(5 / 60)


# --------------------------------------------------------------------------------------------
# inputs


@pytest.mark.parametrize(
    ("found", "gold", "match"),
    [
        (spans([("a", 5, 5, "template")]), truth([("a", 0, 10, "template")]), "0 <= start < end"),
        (spans([("a", -1, 5, "template")]), truth([("a", 0, 10, "template")]), "0 <= start < end"),
        (spans([]), truth([("a", 0, 10, "template"), ("a", 5, 20, "own")]), "must not overlap"),
        (pd.DataFrame({"report_id": ["a"], "begin": [0]}), truth([]), "needs a column 'start' or 'text_start'"),
        ([("a", 0, 5)], truth([]), "must be a pandas DataFrame"),
    ],
)
def test_bad_inputs(found, gold, match):
    with pytest.raises(InvalidParameterError, match=match):
        reuse(found, gold)


def test_labels_must_be_a_sequence_of_strings():
    with pytest.raises(InvalidParameterError, match="'labels' parameter of reuse"):
        reuse(spans([]), truth([]), labels="template")


def test_text_start_columns_are_accepted_for_detections():
    gold = truth([("a", 0, 10, "template")])
    assert row(reuse(gold, gold), "template")["plagdet"] == 1.0


# --------------------------------------------------------------------------------------------
# raw -> text and the synthetic corpus


def test_to_text_spans_skips_removed_debris():
    raw = "某镇2023年政府信息公开工作年度报告 | ||||\n一、总体情况 本镇主动公开信息 28 条。"
    corpus = parse_reports(raw, id="r")
    a = raw.index("本镇")
    frame = pd.DataFrame({"report_id": ["r", ""], "raw_start": [a, -1], "raw_end": [len(raw), -1]})
    out = to_text_spans(frame, corpus)
    report = corpus["r"]
    assert report.text[out.text_start[0]:out.text_end[0]] == "本镇主动公开信息28条。"
    assert report.raw_span(out.text_start[0], out.text_end[0]) == (a, len(raw))
    assert (out.text_start[1], out.text_end[1]) == (-1, -1)


@pytest.mark.parametrize(
    ("frame", "match"),
    [
        (pd.DataFrame({"report_id": ["zz"], "raw_start": [0], "raw_end": [1]}), "report 'zz' .* not in the corpus"),
        (pd.DataFrame({"report_id": ["r"], "raw_start": [0], "raw_end": [10_000]}), "outside its raw text"),
        (pd.DataFrame({"report_id": ["r"], "start": [0]}), "needs the columns"),
    ],
)
def test_to_text_spans_errors(frame, match):
    corpus = parse_reports("某镇2023年政府信息公开工作年度报告:本镇主动公开政府信息。", id="r")
    with pytest.raises(InvalidParameterError, match=match):
        to_text_spans(frame, corpus)


@pytest.fixture(scope="module")
def synth():
    return make_synthetic_corpus(30, random_state=5)


def test_truth_as_detections_is_perfect_on_the_synthetic_corpus(synth):
    _corpus, gold = synth
    found = gold[gold["layer"] == "reuse"].rename(columns={"text_start": "start", "text_end": "end"})
    s = reuse(found, gold, match_source=True)
    assert (s.scores["plagdet"] == 1.0).all()
    assert s.boilerplate_mae == 0.0


def test_everything_is_template_baseline(synth):
    corpus, gold = synth
    reuse_rows = gold[gold["layer"] == "reuse"]
    found = pd.DataFrame({"report_id": [r.id for r in corpus], "start": 0, "end": [len(r.text) for r in corpus],
                          "label": "template"})
    s = reuse(found, gold)
    t = row(s, "template")
    assert t["recall"] == 1.0 and t["granularity"] == 1.0 and 0 < t["precision"] < 0.5
    assert (s.boilerplate["predicted_share"] == 1.0).all()
    share = reuse_rows.assign(n=reuse_rows.text_end - reuse_rows.text_start)
    expected_true = (share[share.label == "template"].groupby("report_id").n.sum()
                     / share.groupby("report_id").n.sum()).reindex(s.boilerplate.report_id).fillna(0)
    np.testing.assert_allclose(s.boilerplate["true_share"], expected_true.to_numpy())


def test_texts_truth_needs_the_corpus(synth):
    corpus, gold = synth
    _texts, raw_truth = make_synthetic_corpus(30, random_state=5, as_texts=True)
    found = gold[gold["layer"] == "reuse"].rename(columns={"text_start": "start", "text_end": "end"})
    with pytest.raises(InvalidParameterError, match="pass corpus="):
        reuse(found, raw_truth)
    assert reuse(found, raw_truth, corpus=corpus).overall["plagdet"] == 1.0
