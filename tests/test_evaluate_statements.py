"""The statement scorer (govtext.evaluate.statements): hand-computed small cases."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from govtext.evaluate import (
    STATEMENT_ERROR_COLUMNS,
    STATEMENT_SCORE_COLUMNS,
    StatementScores,
    statements,
)
from govtext.exceptions import InvalidParameterError


def frame(*rows):
    """rows: (report_id, kind, start, end)."""
    return pd.DataFrame(list(rows), columns=["report_id", "kind", "start", "end"])


def row(res: StatementScores, kind: str) -> dict:
    return res.scores.set_index("kind").loc[kind].to_dict()


# (id, predictions, gold, expected {kind: (n_found, n_correct, precision, recall, count_ratio)})
CASES = [
    ("exact match",
     [("r", "problem", 0, 10)], [("r", "problem", 0, 10)],
     {"problem": (1, 1, 1.0, 1.0, 1.0)}),
    # gold 0-10: the prediction 0-6 covers 6/10 > 0.5 -> found; all of it inside -> correct
    ("covers most",
     [("r", "problem", 0, 6)], [("r", "problem", 0, 10)],
     {"problem": (1, 1, 1.0, 1.0, 1.0)}),
    # 0-5 covers exactly half: not "most" -> missed, but it lies inside gold -> correct
    ("exactly half is not most",
     [("r", "problem", 0, 5)], [("r", "problem", 0, 10)],
     {"problem": (0, 1, 1.0, 0.0, 1.0)}),
    # one prediction over three gold clauses: all found, correct, count ratio 1/3
    ("coarse prediction",
     [("r", "problem", 0, 30)], [("r", "problem", 0, 10), ("r", "problem", 10, 20), ("r", "problem", 20, 30)],
     {"problem": (3, 1, 1.0, 1.0, 1 / 3)}),
    # two halves of one gold item: neither covers most of it alone -> missed; both correct
    ("split prediction",
     [("r", "measure", 0, 5), ("r", "measure", 5, 10)], [("r", "measure", 0, 10)],
     {"measure": (0, 2, 1.0, 0.0, 2.0)}),
    # a prediction of the wrong kind finds nothing and is wrong
    ("wrong kind",
     [("r", "measure", 0, 10)], [("r", "problem", 0, 10)],
     {"problem": (0, 0, 0.0, 0.0, 0.0), "measure": (0, 0, 0.0, 0.0, math.nan)}),
    # a prediction in another report is wrong
    ("wrong report",
     [("s", "problem", 0, 10)], [("r", "problem", 0, 10)],
     {"problem": (0, 0, 0.0, 0.0, 1.0)}),
    # 0-20 over gold 0-10: covers the gold item, but only half of it lies inside -> incorrect
    ("overlong prediction",
     [("r", "problem", 0, 20)], [("r", "problem", 0, 10)],
     {"problem": (1, 0, 0.0, 1.0, 1.0)}),
    # 4-16 over gold 0-10 and 12-20: inside = 6 + 4 = 10 of 12 -> correct; covers 6/10 and 4/8
    ("prediction across two gold items",
     [("r", "problem", 4, 16)], [("r", "problem", 0, 10), ("r", "problem", 12, 20)],
     {"problem": (1, 1, 1.0, 0.5, 0.5)}),
    ("nothing to find and nothing found",
     [], [],
     {"problem": (0, 0, 1.0, 1.0, math.nan), "measure": (0, 0, 1.0, 1.0, math.nan)}),
]


@pytest.mark.parametrize(("name", "pred", "gold", "expected"), CASES, ids=[c[0] for c in CASES])
def test_hand_computed_cases(name, pred, gold, expected):
    res = statements(frame(*pred), frame(*gold))
    for kind, (n_found, n_correct, p, r, ratio) in expected.items():
        got = row(res, kind)
        assert got["n_found"] == n_found
        assert got["n_correct"] == n_correct
        assert got["precision"] == pytest.approx(p)
        assert got["recall"] == pytest.approx(r)
        f1 = 0.0 if p + r == 0 else 2 * p * r / (p + r)
        assert got["f1"] == pytest.approx(f1)
        if math.isnan(ratio):
            assert math.isnan(got["count_ratio"])
        else:
            assert got["count_ratio"] == pytest.approx(ratio)


def test_overall_pools_both_kinds():
    gold = frame(("r", "problem", 0, 10), ("r", "problem", 10, 20), ("r", "measure", 20, 40))
    pred = frame(("r", "problem", 0, 20), ("r", "measure", 20, 34), ("r", "measure", 34, 60))
    res = statements(pred, gold)
    overall = row(res, "overall")
    # found: 2 problems + 1 measure of 4? gold measure 20-40 covered 14/20 by 20-34 -> found
    assert (overall["n_gold"], overall["n_pred"], overall["n_found"], overall["n_correct"]) == (3, 3, 3, 2)
    assert overall["precision"] == pytest.approx(2 / 3)
    assert overall["recall"] == pytest.approx(1.0)
    assert list(res.scores.columns) == STATEMENT_SCORE_COLUMNS
    assert res.scores.kind.tolist() == ["problem", "measure", "overall"]


def test_errors_list_missed_and_spurious():
    gold = frame(("r", "problem", 0, 10), ("r", "measure", 50, 60)).assign(text=["甲" * 10, "乙" * 10])
    pred = frame(("r", "problem", 0, 10), ("r", "problem", 30, 40)).assign(text=["甲" * 10, "丙" * 10])
    err = statements(pred, gold).errors
    assert list(err.columns) == STATEMENT_ERROR_COLUMNS
    assert err[["kind", "error", "start", "end", "share", "text"]].values.tolist() == [
        ["problem", "spurious", 30, 40, 0.0, "丙" * 10],
        ["measure", "missed", 50, 60, 0.0, "乙" * 10],
    ]


def test_match_columns_are_added():
    res = statements(frame(("r", "problem", 0, 6)), frame(("r", "problem", 0, 10)))
    assert res.gold.coverage.tolist() == [0.6]
    assert res.gold.found.tolist() == [True]
    assert res.predictions.inside.tolist() == [1.0]
    assert res.predictions.correct.tolist() == [True]


def test_threshold_and_report_ids():
    pred = frame(("r", "problem", 0, 6), ("s", "problem", 0, 5))
    gold = frame(("r", "problem", 0, 10))
    assert row(statements(pred, gold, threshold=0.7), "problem")["n_found"] == 0
    assert row(statements(pred, gold, threshold=0.5), "problem")["n_found"] == 1
    only_r = statements(pred, gold, report_ids=["r"])
    assert row(only_r, "problem")["n_pred"] == 1
    assert row(only_r, "problem")["precision"] == 1.0


def test_score_accessor():
    res = statements(frame(("r", "problem", 0, 10)), frame(("r", "problem", 0, 10)))
    assert res.score("problem", "f1") == 1.0
    with pytest.raises(InvalidParameterError, match="no kind"):
        res.score("issue")


@pytest.mark.parametrize(("pred", "gold", "kwargs", "match"), [
    ("not a frame", frame(), {}, "'predictions' parameter of statements must be a pandas DataFrame"),
    (frame(), pd.DataFrame({"report_id": []}), {}, "needs the columns"),
    (frame(("r", "issue", 0, 1)), frame(), {}, "must have kinds"),
    (frame(("r", "problem", 5, 5)), frame(), {}, "0 <= start < end"),
    (frame(), frame(), {"threshold": 1.0}, "'threshold' parameter of statements"),
    (frame(), frame(), {"threshold": True}, "'threshold' parameter of statements"),
    (frame(), frame(), {"report_ids": "r"}, "'report_ids' parameter"),
])
def test_parameter_errors(pred, gold, kwargs, match):
    with pytest.raises(InvalidParameterError, match=match):
        statements(pred, gold, **kwargs)
