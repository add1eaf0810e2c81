"""The PyTorch MLP: per-epoch progress, seeded determinism, scaling, and a rebuild-only load."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from shared.ml.artifact_errors import ArtifactError
from shared.ml.artifacts import files_checksum
from shared.ml.estimators import build_model, load_model

TINY = {"hidden_layers": 2, "hidden_units": 8, "epochs": 4, "batch_size": 32, "dropout": 0.2}


def make_data(task: str, rows: int = 200) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(rows, 5))
    signal = X[:, 0] + 0.3 * rng.normal(size=rows)
    return X, (signal > 0).astype(np.int64) if task == "classification" else signal


def _train(task: str, seed: int, params: dict | None = None):  # type: ignore[no-untyped-def,type-arg]
    X, y = make_data(task)
    model = build_model("mlp", task, params or TINY, seed=seed, n_threads=1)
    model.fit(X, y)
    return model, X


def test_progress_is_reported_after_every_epoch() -> None:
    X, y = make_data("classification")
    calls: list[tuple[int, int]] = []
    model = build_model("mlp", "classification", TINY, seed=0, n_threads=1)
    model.fit(X, y, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_an_exception_from_progress_stops_training() -> None:
    X, y = make_data("regression")
    calls: list[int] = []

    def cancel_at_second(done: int, total: int) -> None:
        calls.append(done)
        if done == 2:
            raise KeyboardInterrupt  # not even an Exception: it must still propagate

    model = build_model("mlp", "regression", {**TINY, "epochs": 50}, seed=0, n_threads=1)
    with pytest.raises(KeyboardInterrupt):
        model.fit(X, y, progress=cancel_at_second)
    assert calls == [1, 2]
    with pytest.raises(RuntimeError, match="not fitted"):
        model.predict_output(X)


@pytest.mark.parametrize("task", ["classification", "regression"])
def test_same_seed_gives_the_same_files_and_another_seed_does_not(
    task: str, tmp_path: Path
) -> None:
    checksums, outputs = [], []
    for seed, name in ((7, "a"), (7, "b"), (8, "c")):
        model, X = _train(task, seed)
        (tmp_path / name).mkdir()
        checksums.append(files_checksum(tmp_path / name, model.save(tmp_path / name)))
        outputs.append(model.predict_output(X))
    assert checksums[0] == checksums[1] and np.array_equal(outputs[0], outputs[1])
    assert checksums[0] != checksums[2] and not np.array_equal(outputs[0], outputs[2])


def test_training_leaves_the_global_rng_and_thread_count_alone() -> None:
    threads = torch.get_num_threads()
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    _train("classification", seed=1)
    assert torch.equal(torch.rand(3), expected)
    assert torch.get_num_threads() == threads


def test_classifier_learns_and_outputs_probabilities() -> None:
    model, X = _train(
        "classification", 0, {**TINY, "epochs": 30, "dropout": 0.0, "learning_rate": 0.01}
    )
    out = model.predict_output(X)
    _, y = make_data("classification")
    assert out.dtype == np.float64 and ((out > 0) & (out < 1)).all()
    assert np.mean((out > 0.5) == y) > 0.85
    assert model.feature_importance() is None


def test_regression_output_is_back_in_the_target_units() -> None:
    # A target far from 0 and of tiny spread: without un-scaling the output would sit near 0.
    X, signal = make_data("regression")
    y = 1000.0 + 0.01 * signal
    model = build_model(
        "mlp",
        "regression",
        {**TINY, "epochs": 30, "dropout": 0.0, "learning_rate": 0.01},
        seed=0,
        n_threads=1,
    )
    model.fit(X, y)
    out = model.predict_output(X)
    assert abs(out.mean() - 1000.0) < 0.005
    assert np.corrcoef(out, y)[0, 1] > 0.9


def test_a_constant_feature_column_does_not_produce_nan() -> None:
    X, y = make_data("classification")
    X[:, 3] = 4.2
    model = build_model("mlp", "classification", TINY, seed=0, n_threads=1)
    model.fit(X, y)
    assert np.isfinite(model.predict_output(X)).all()


def test_load_rebuilds_the_network_and_never_calls_torch_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model, X = _train("regression", 3)
    model.save(tmp_path)
    monkeypatch.setattr(torch, "load", lambda *a, **k: pytest.fail("torch.load was called"))
    loaded = load_model(tmp_path, "mlp", "regression")
    assert np.array_equal(loaded.predict_output(X), model.predict_output(X))
    assert loaded.device_used == "cpu"


def _edit_config(directory: Path, **changes: object) -> None:
    path = directory / "model_config.json"
    path.write_text(json.dumps({**json.loads(path.read_text()), **changes}))


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"hidden_units": 9}, "not fit its config"),
        ({"hidden_layers": 3}, "not fit its config"),
        ({"hidden_units": 10**9}, "hidden_units"),  # outside the declared range
        ({"n_features": 10**9}, "not fit its config"),  # checked before any allocation
        ({"n_features": 4}, "not fit its config"),
        ({"task": "classification"}, "not the mlp regression model"),
    ],
)
def test_load_refuses_a_config_that_does_not_match_the_weights(
    tmp_path: Path,
    changes: dict,
    words: str,  # type: ignore[type-arg]
) -> None:
    model, _ = _train("regression", 3)
    model.save(tmp_path)
    _edit_config(tmp_path, **changes)
    with pytest.raises(ArtifactError, match=words):
        load_model(tmp_path, "mlp", "regression")
