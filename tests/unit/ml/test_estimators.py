"""The tree and linear models: progress, cancellation, batch fits, determinism, input checks.

The MLP has its own file (test_mlp.py); the save/load round trip of every model lives in
test_artifacts.py.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sklearn.ensemble import (
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)

import shared.ml.device as device_module
from shared.errors import ValidationError
from shared.ml.artifacts import files_checksum
from shared.ml.device import resolve_device
from shared.ml.estimators import build_model

TREES = ["random_forest", "hist_gradient_boosting", "xgboost"]
SMALL = {
    "logistic_regression": {},
    "random_forest": {"n_estimators": 12, "max_depth": 4},
    "hist_gradient_boosting": {"n_estimators": 12, "max_depth": 3},
    "xgboost": {"n_estimators": 12, "max_depth": 3, "subsample": 0.7},
}


def make_data(task: str, seed: int = 0, rows: int = 200) -> tuple[np.ndarray, np.ndarray]:
    """Column 0 drives the target; the other four are noise."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(rows, 5))
    signal = X[:, 0] + 0.3 * rng.normal(size=rows)
    return X, (signal > 0).astype(np.int64) if task == "classification" else 0.01 * signal


class Cancelled(Exception):
    pass


@pytest.mark.parametrize("algorithm", list(SMALL))
def test_models_learn_the_signal(algorithm: str) -> None:
    for task in (
        ("classification", "regression")
        if algorithm != "logistic_regression"
        else ("classification",)
    ):
        X, y = make_data(task)
        model = build_model(algorithm, task, SMALL[algorithm], seed=1, n_threads=1)
        model.fit(X, y)
        out = model.predict_output(X)
        assert out.dtype == np.float64 and out.shape == (200,)
        if task == "classification":
            assert ((out >= 0) & (out <= 1)).all()
            assert np.mean((out > 0.5) == y) > 0.8
        else:
            assert np.corrcoef(out, y)[0, 1] > 0.7


@pytest.mark.parametrize("algorithm", list(SMALL))
def test_feature_importance_is_a_distribution_led_by_the_signal(algorithm: str) -> None:
    X, y = make_data("classification")
    model = build_model(algorithm, "classification", SMALL[algorithm], seed=1, n_threads=1)
    model.fit(X, y)
    weights = model.feature_importance()
    assert weights is not None and weights.shape == (5,)
    assert (weights >= 0).all() and weights.sum() == pytest.approx(1.0)
    assert int(np.argmax(weights)) == 0


def test_xgboost_reports_every_round() -> None:
    X, y = make_data("classification")
    calls: list[tuple[int, int]] = []
    model = build_model("xgboost", "classification", {"n_estimators": 7}, seed=0, n_threads=1)
    model.fit(X, y, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(k, 7) for k in range(1, 8)]


@pytest.mark.parametrize("algorithm", ["random_forest", "hist_gradient_boosting"])
def test_sklearn_ensembles_report_ten_growing_batches(algorithm: str) -> None:
    X, y = make_data("regression")
    calls: list[tuple[int, int]] = []
    model = build_model(algorithm, "regression", {"n_estimators": 25}, seed=0, n_threads=1)
    model.fit(X, y, progress=lambda done, total: calls.append((done, total)))
    done = [d for d, _ in calls]
    assert len(calls) == 10 and done == sorted(set(done)) and done[-1] == 25
    assert {total for _, total in calls} == {25}


def test_logistic_regression_reports_once_at_the_end() -> None:
    X, y = make_data("classification")
    calls: list[tuple[int, int]] = []
    model = build_model("logistic_regression", "classification", {}, seed=0, n_threads=1)
    model.fit(X, y, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 1)]


@pytest.mark.parametrize("algorithm", TREES)
def test_an_exception_from_progress_stops_training(algorithm: str) -> None:
    X, y = make_data("classification")
    calls: list[int] = []

    def cancel_at_third(done: int, total: int) -> None:
        calls.append(done)
        if len(calls) == 3:
            raise Cancelled

    model = build_model(algorithm, "classification", {"n_estimators": 50}, seed=0, n_threads=1)
    with pytest.raises(Cancelled):
        model.fit(X, y, progress=cancel_at_third)
    assert len(calls) == 3  # nothing trained after the cancellation
    with pytest.raises(RuntimeError, match="not fitted"):
        model.predict_output(X)


@pytest.mark.parametrize(
    ("task", "plain"),
    [
        ("classification", HistGradientBoostingClassifier),
        ("regression", HistGradientBoostingRegressor),
    ],
)
def test_hgb_grown_in_batches_equals_one_plain_fit(task: str, plain: type) -> None:
    X, y = make_data(task)
    params = {"n_estimators": 23, "max_depth": 3, "learning_rate": 0.2, "max_features": 0.6}
    model = build_model("hist_gradient_boosting", task, params, seed=5, n_threads=1)
    model.fit(X, y)
    reference = plain(
        max_iter=23, max_depth=3, learning_rate=0.2, max_features=0.6, early_stopping=False,
        random_state=5,
    ).fit(X, y)  # fmt: skip
    expected = (
        reference.predict_proba(X)[:, 1] if task == "classification" else reference.predict(X)
    )
    assert np.array_equal(model.predict_output(X), expected)


@pytest.mark.parametrize(
    ("task", "plain"),
    [("classification", RandomForestClassifier), ("regression", RandomForestRegressor)],
)
def test_forest_grown_in_batches_equals_one_plain_fit(task: str, plain: type) -> None:
    X, y = make_data(task)
    params = {"n_estimators": 13, "max_depth": 4, "min_samples_leaf": 3, "max_features": 0.4}
    model = build_model("random_forest", task, params, seed=9, n_threads=1)
    model.fit(X, y)
    reference = plain(
        n_estimators=13, max_depth=4, min_samples_leaf=3, max_features=0.4, random_state=9
    ).fit(X, y)
    expected = (
        reference.predict_proba(X)[:, 1] if task == "classification" else reference.predict(X)
    )
    assert np.array_equal(model.predict_output(X), expected)


def _trained_files(algorithm: str, seed: int, directory: Path) -> tuple[str, np.ndarray]:
    X, y = make_data("classification")
    model = build_model(algorithm, "classification", SMALL[algorithm], seed=seed, n_threads=1)
    model.fit(X, y)
    directory.mkdir()
    return files_checksum(directory, model.save(directory)), model.predict_output(X)


@pytest.mark.parametrize("algorithm", ["xgboost", "random_forest", "hist_gradient_boosting"])
def test_same_seed_gives_the_same_files_and_predictions(algorithm: str, tmp_path: Path) -> None:
    first = _trained_files(algorithm, 3, tmp_path / "a")
    second = _trained_files(algorithm, 3, tmp_path / "b")
    assert first[0] == second[0]
    assert np.array_equal(first[1], second[1])


@pytest.mark.parametrize("algorithm", ["xgboost", "random_forest"])
def test_another_seed_gives_another_model(algorithm: str, tmp_path: Path) -> None:
    first = _trained_files(algorithm, 3, tmp_path / "a")
    other = _trained_files(algorithm, 4, tmp_path / "b")
    assert first[0] != other[0]
    assert not np.array_equal(first[1], other[1])


def test_fit_does_not_modify_its_inputs() -> None:
    X, y = make_data("classification")
    X_before, y_before = X.copy(), y.copy()
    build_model("logistic_regression", "classification", {}, seed=0, n_threads=1).fit(X, y)
    assert np.array_equal(X, X_before) and np.array_equal(y, y_before)


def _nan_at_4_2(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    X = X.copy()
    X[4, 2] = np.nan
    return X, y


@pytest.mark.parametrize(
    ("spoil", "field", "words"),
    [
        (_nan_at_4_2, "X", "first at index (4, 2)"),
        (lambda X, y: (X, np.where(np.arange(200) == 7, 2, y)), "y", "must be 0 or 1"),
        (lambda X, y: (X, np.ones_like(y)), "y", "both labels"),
        (lambda X, y: (X[:, 0], y), "X", "2-D"),
        (lambda X, y: (np.full(X.shape, "up"), y), "X", "must be numeric"),
        (lambda X, y: (X[:1], y[:1]), "X", "at least 2 rows"),
    ],
)
def test_bad_training_data_is_refused(spoil, field: str, words: str) -> None:  # type: ignore[no-untyped-def]
    X, y = spoil(*make_data("classification"))
    model = build_model("xgboost", "classification", {"n_estimators": 2}, seed=0, n_threads=1)
    with pytest.raises(ValidationError) as caught:
        model.fit(X, y)
    assert caught.value.field == field and words in caught.value.detail


def test_rows_of_y_must_match_rows_of_x() -> None:
    X, y = make_data("regression")
    model = build_model("random_forest", "regression", {"n_estimators": 2}, seed=0)
    with pytest.raises(ValidationError, match="one value per row"):
        model.fit(X, y[:-1])


@pytest.mark.parametrize("algorithm", list(SMALL))
def test_predicting_with_the_wrong_columns_is_refused(algorithm: str) -> None:
    X, y = make_data("classification")
    model = build_model(algorithm, "classification", SMALL[algorithm], seed=0, n_threads=1)
    model.fit(X, y)
    with pytest.raises(ValidationError, match="trained on 5 feature columns but got 4"):
        model.predict_output(X[:, :4])


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"algorithm": "logistic_regression", "task": "regression"}, "task"),
        ({"algorithm": "xgboost", "task": "ranking"}, "task"),
        ({"seed": -1}, "seed"),
        ({"seed": 2**32}, "seed"),
        ({"seed": True}, "seed"),
        ({"device": "auto"}, "device"),
        ({"device": "gpu"}, "device"),
        ({"algorithm": "random_forest", "device": "cuda"}, "device"),
        ({"n_threads": 0}, "n_threads"),
        ({"params": {"n_estimators": 0}}, "hyperparameters.n_estimators"),
    ],
)
def test_build_model_refuses_bad_arguments(kwargs: dict, field: str) -> None:  # type: ignore[type-arg]
    args = {"algorithm": "xgboost", "task": "classification", "params": {}, "seed": 0}
    args |= kwargs
    with pytest.raises(ValidationError) as caught:
        build_model(args.pop("algorithm"), args.pop("task"), args.pop("params"), **args)
    assert caught.value.field == field


@pytest.mark.parametrize("gpu", [False, True])
def test_cpu_is_always_granted(gpu: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(device_module, "cuda_available", lambda: gpu)
    assert resolve_device("cpu", "xgboost") == "cpu"


def test_auto_picks_cuda_only_with_a_gpu_and_an_algorithm_that_uses_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(device_module, "cuda_available", lambda: False)
    assert resolve_device("auto", "xgboost") == "cpu"
    monkeypatch.setattr(device_module, "cuda_available", lambda: True)
    assert resolve_device("auto", "xgboost") == "cuda"
    assert resolve_device("auto", "mlp") == "cuda"
    assert resolve_device("auto", "random_forest") == "cpu"


def test_explicit_cuda_without_a_gpu_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(device_module, "cuda_available", lambda: False)
    with pytest.raises(ValidationError) as caught:
        resolve_device("cuda", "mlp")
    assert caught.value.field == "device"
    assert "no usable CUDA GPU" in caught.value.detail and "'cpu'" in caught.value.detail


def test_explicit_cuda_for_a_cpu_only_algorithm_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(device_module, "cuda_available", lambda: True)
    assert resolve_device("cuda", "xgboost") == "cuda"
    with pytest.raises(ValidationError, match="hist_gradient_boosting trains on the CPU only"):
        resolve_device("cuda", "hist_gradient_boosting")


def test_unknown_device_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        resolve_device("tpu", "xgboost")  # type: ignore[arg-type]
    assert caught.value.field == "device" and "auto, cpu, cuda" in caught.value.detail


def test_this_machine_without_a_gpu_resolves_auto_to_cpu() -> None:
    if device_module.cuda_available():
        pytest.skip("this machine has a GPU")
    assert resolve_device("auto", "mlp") == "cpu"
