"""Scores against scikit-learn and hand calculations, edge cases included."""

from __future__ import annotations

import itertools
import json
import math

import numpy as np
import pytest
from sklearn import metrics as sk

from shared.errors import ValidationError
from shared.ml.metrics import classification_metrics, regression_metrics, summarize_folds


def assert_plain_json(scores: dict) -> None:
    """Plain Python numbers or None only, and JSON without NaN."""
    for key, value in scores.items():
        assert type(value) in (float, int, type(None)), (key, type(value))
    json.dumps(scores, allow_nan=False)


def pairwise_auc(y: np.ndarray, p: np.ndarray) -> float:
    """Share of (up, down) pairs where the up row has the higher probability; ties count half."""
    pairs = list(itertools.product(p[y == 1], p[y == 0]))
    return sum(1.0 if a > b else 0.5 if a == b else 0.0 for a, b in pairs) / len(pairs)


def test_classification_matches_sklearn_and_a_pairwise_auc() -> None:
    rng = np.random.default_rng(7)
    y = rng.integers(0, 2, 60)
    p = np.round(np.clip(0.5 + 0.2 * (y - 0.5) + rng.normal(0, 0.2, 60), 0.01, 0.99), 2)
    scores = classification_metrics(y, p, threshold=0.55)
    called = (p >= 0.55).astype(int)
    assert scores["accuracy"] == pytest.approx(sk.accuracy_score(y, called))
    assert scores["precision"] == pytest.approx(sk.precision_score(y, called))
    assert scores["recall"] == pytest.approx(sk.recall_score(y, called))
    assert scores["roc_auc"] == pytest.approx(pairwise_auc(y, p))
    assert scores["roc_auc"] == pytest.approx(sk.roc_auc_score(y, p))
    assert scores["log_loss"] == pytest.approx(sk.log_loss(y, p, labels=[0, 1]))
    assert scores["n"] == 60
    assert scores["positive_rate"] == pytest.approx(y.mean())
    assert_plain_json(scores)


def test_classification_hand_worked_with_a_probability_exactly_at_the_threshold() -> None:
    y = np.array([1, 0, 1, 0])
    p = np.array([0.5, 0.5, 0.2, 0.9])  # 0.5 >= 0.5 is called up
    scores = classification_metrics(y, p)
    # called up: rows 0, 1, 3 -> right on row 0 only (row 2 is up but called down)
    assert scores["accuracy"] == 0.25
    assert scores["precision"] == pytest.approx(1 / 3)
    assert scores["recall"] == 0.5
    # pairs (up, down): (0.5, 0.5) tie, (0.5, 0.9) lose, (0.2, 0.5) lose, (0.2, 0.9) lose
    assert scores["roc_auc"] == pytest.approx(0.125)
    expected_loss = -(math.log(0.5) + math.log(0.5) + math.log(0.2) + math.log(0.1)) / 4
    assert scores["log_loss"] == pytest.approx(expected_loss)


def test_all_correct_with_probabilities_exactly_zero_and_one() -> None:
    scores = classification_metrics(np.array([1, 0, 1]), np.array([1.0, 0.0, 1.0]))
    assert scores["accuracy"] == scores["precision"] == scores["recall"] == scores["roc_auc"] == 1.0
    assert 0.0 <= scores["log_loss"] < 1e-12  # clipped, so finite and near zero
    assert_plain_json(scores)


def test_confidently_wrong_is_clipped_not_infinite() -> None:
    scores = classification_metrics(np.array([1, 0]), np.array([0.0, 1.0]))
    # each row's probability of what happened is clipped up to 1e-15 (in float64 for the
    # second row: 1 - (1 - 1e-15) is not exactly 1e-15)
    expected = -(math.log(1e-15) + math.log(1.0 - (1.0 - 1e-15))) / 2
    assert scores["log_loss"] == pytest.approx(expected)
    assert scores["log_loss"] == pytest.approx(-math.log(1e-15), rel=1e-4)
    assert scores["accuracy"] == 0.0
    assert scores["precision"] == 0.0  # one called up, and it was wrong
    assert_plain_json(scores)


def test_one_class_leaves_undefined_scores_missing() -> None:
    all_down = classification_metrics(np.zeros(5), np.full(5, 0.3))
    assert all_down["roc_auc"] is None
    assert all_down["recall"] is None  # no up rows to find
    assert all_down["precision"] is None  # nothing called up
    assert all_down["accuracy"] == 1.0 and all_down["positive_rate"] == 0.0
    assert_plain_json(all_down)
    all_up = classification_metrics(np.ones(3), np.array([0.9, 0.4, 0.6]))
    assert all_up["roc_auc"] is None
    assert all_up["recall"] == pytest.approx(2 / 3) and all_up["precision"] == 1.0


@pytest.mark.parametrize(
    ("y", "p", "field"),
    [
        ([0, 2], [0.1, 0.2], "y_true"),
        ([0, 1], [0.1, 1.2], "p_up"),
        ([0, 1], [0.1, float("nan")], "p_up"),
        ([0, 1], [0.1], "p_up"),
        ([], [], "y_true"),
    ],
)
def test_bad_classification_inputs(y: list, p: list, field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        classification_metrics(np.array(y), np.array(p))
    assert caught.value.field == field


def test_regression_matches_sklearn() -> None:
    rng = np.random.default_rng(3)
    y = rng.normal(0, 0.01, 40)
    pred = 0.5 * y + rng.normal(0, 0.01, 40)
    scores = regression_metrics(y, pred)
    assert scores["r2"] == pytest.approx(sk.r2_score(y, pred))
    assert scores["mae"] == pytest.approx(sk.mean_absolute_error(y, pred))
    assert scores["rmse"] == pytest.approx(math.sqrt(sk.mean_squared_error(y, pred)))
    assert scores["directional_accuracy"] == pytest.approx(np.mean((y > 0) == (pred > 0)))
    assert scores["n"] == 40
    assert_plain_json(scores)


def test_directional_accuracy_counts_a_one_sided_zero_as_wrong() -> None:
    y = np.array([1.0, -1.0, 0.0, 0.0, 2.0, -1.0, 0.0])
    pred = np.array([2.0, 1.0, 0.0, 1.0, 0.0, 0.0, -1.0])
    # right, wrong, right (both 0), then every one-sided zero is wrong, whichever its side
    assert regression_metrics(y, pred)["directional_accuracy"] == pytest.approx(2 / 7)


def test_r2_is_missing_for_one_row_or_a_constant_target() -> None:
    one = regression_metrics(np.array([0.01]), np.array([0.02]))
    assert one["r2"] is None and one["mae"] == pytest.approx(0.01)
    flat = regression_metrics(np.full(4, 0.5), np.array([0.5, 0.4, 0.6, 0.5]))
    assert flat["r2"] is None
    assert flat["rmse"] == pytest.approx(math.sqrt(0.02 / 4))
    assert_plain_json(flat)


def test_perfect_regression() -> None:
    y = np.array([0.02, -0.01, 0.03])
    scores = regression_metrics(y, y.copy())
    assert scores == {"r2": 1.0, "mae": 0.0, "rmse": 0.0, "directional_accuracy": 1.0, "n": 3}


def test_summarize_folds_is_none_aware_and_skips_text() -> None:
    per_fold = [
        {"accuracy": 1.0, "roc_auc": None, "n": 10, "test_start": "2024-01-01", "ok": True},
        {"accuracy": 3.0, "roc_auc": 2.0, "n": 10},
        {"accuracy": 5.0, "roc_auc": 4.0, "n": 10, "extra": float("nan")},
    ]
    summary = summarize_folds(per_fold)
    assert summary["accuracy"] == {"mean": 3.0, "std": 2.0, "count": 3}  # sample std of 1, 3, 5
    assert summary["roc_auc"]["mean"] == 3.0
    assert summary["roc_auc"]["std"] == pytest.approx(math.sqrt(2.0))
    assert summary["roc_auc"]["count"] == 2
    assert summary["n"] == {"mean": 10.0, "std": 0.0, "count": 3}
    assert summary["extra"] == {"mean": None, "std": None, "count": 0}
    assert "test_start" not in summary and "ok" not in summary
    json.dumps(summary, allow_nan=False)


def test_summarize_folds_single_fold_and_all_missing() -> None:
    summary = summarize_folds([{"r2": None, "mae": np.float64(0.5)}])
    assert summary == {
        "r2": {"mean": None, "std": None, "count": 0},
        "mae": {"mean": 0.5, "std": None, "count": 1},
    }
    assert type(summary["mae"]["mean"]) is float
    assert summarize_folds([]) == {}
