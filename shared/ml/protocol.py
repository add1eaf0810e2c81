"""The one interface every trainable model offers, and the input checks they all share."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from shared.errors import ValidationError
from shared.ml.algorithms import CLASSIFICATION
from shared.ml.artifact_errors import ArtifactError

F64 = npt.NDArray[np.float64]
ProgressFn = Callable[[int, int], None]
CONFIG_FILE = "model_config.json"
CONFIG_VERSION = 1


class ModelBase:
    """What every model keeps from build_model: task, hyperparameters, seed, device, threads."""

    def __init__(
        self, task: str, params: dict[str, Any], *, seed: int, device: str, n_threads: int
    ) -> None:
        self.task = task
        self._params = params
        self._seed = seed
        self._device = device
        self._n_threads = n_threads

    @property
    def device_used(self) -> str:
        return self._device


class Model(Protocol):
    """A model the trainer fits and the simulator calls; see shared.ml.estimators.build_model."""

    algorithm: str
    task: str
    framework: str

    def fit(self, X: npt.ArrayLike, y: npt.ArrayLike, progress: ProgressFn | None = None) -> None:
        """Train; `progress(done, total)` after each round/batch/epoch may raise to cancel."""
        ...

    def predict_output(self, X: npt.ArrayLike) -> F64:
        """Classification: P(y=1); regression: the predicted value. float64, one per row."""
        ...

    def feature_importance(self) -> F64 | None:
        """One non-negative weight per feature column summing to 1, or None when undefined."""
        ...

    def save(self, directory: Path) -> list[str]:
        """Write the model's files into an existing `directory`; their names, relative."""
        ...

    @property
    def device_used(self) -> str:
        """ "cpu" or "cuda"."""
        ...


def resolve_threads(n_threads: int | None) -> int:
    """The thread count to pin: results are only bit-reproducible for a fixed count."""
    if n_threads is None:
        return os.cpu_count() or 1
    if isinstance(n_threads, bool) or not isinstance(n_threads, int) or n_threads < 1:
        raise ValidationError(
            f"n_threads must be a whole number >= 1, got {n_threads!r}", field="n_threads"
        )
    return n_threads


def check_training_data(X: npt.ArrayLike, y: npt.ArrayLike, task: str) -> tuple[F64, np.ndarray]:
    """X as a finite float64 matrix and y as int64 0/1 (classification) or finite float64."""
    features = _as_matrix(X)
    target = _as_float(y, "y")
    if target.ndim != 1 or target.shape[0] != features.shape[0]:
        raise ValidationError(
            f"y must hold one value per row of X: X has {features.shape[0]} rows, "
            f"y has shape {target.shape}",
            field="y",
        )
    if features.shape[0] < 2:
        raise ValidationError("training needs at least 2 rows", field="X")
    _check_finite(target, "y")
    if task != CLASSIFICATION:
        return features, target
    if not np.isin(target, (0.0, 1.0)).all():
        bad = target[~np.isin(target, (0.0, 1.0))][0]
        raise ValidationError(
            f"classification labels must be 0 or 1 (1 = price goes up), found {bad!r}", field="y"
        )
    if np.unique(target).size < 2:
        raise ValidationError(
            f"classification needs both labels in the training rows, all {target.size} are "
            f"{int(target[0])}; use a longer period or a different target",
            field="y",
        )
    return features, target.astype(np.int64)


def check_features(X: npt.ArrayLike, n_features: int) -> F64:
    """X as a finite float64 matrix with the column count the model was trained on."""
    features = _as_matrix(X)
    if features.shape[1] != n_features:
        raise ValidationError(
            f"the model was trained on {n_features} feature columns but got {features.shape[1]}; "
            "compute the features with the model's recorded feature pipeline",
            field="X",
        )
    return features


def _as_float(values: npt.ArrayLike, field: str) -> np.ndarray:
    try:
        return np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValidationError(f"{field} must be numeric: {exc}", field=field) from None


def _as_matrix(X: npt.ArrayLike) -> F64:
    features = _as_float(X, "X")
    if features.ndim != 2 or features.shape[1] == 0:
        raise ValidationError(
            f"X must be a 2-D matrix (rows = samples, columns = features), got shape "
            f"{features.shape}",
            field="X",
        )
    _check_finite(features, "X")
    return features


def _check_finite(values: np.ndarray, field: str) -> None:
    bad = ~np.isfinite(values)
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValidationError(
            f"{field} has {int(bad.sum())} NaN or infinite values (first at index {where}); "
            "drop those rows or fill them before training or predicting",
            field=field,
        )


def write_config(directory: Path, config: dict[str, Any]) -> str:
    """Write model_config.json (sorted keys, so the same model gives the same bytes)."""
    body = {"config_version": CONFIG_VERSION, **config}
    (directory / CONFIG_FILE).write_text(json.dumps(body, indent=2, sort_keys=True) + "\n")
    return CONFIG_FILE


def read_config(directory: Path, algorithm: str, task: str) -> dict[str, Any]:
    """model_config.json, checked to describe `algorithm` for `task`."""
    path = directory / CONFIG_FILE
    try:
        config = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise ArtifactError(f"cannot read {path}: {exc}", field="model") from None
    if not isinstance(config, dict) or config.get("config_version") != CONFIG_VERSION:
        raise ArtifactError(f"{path} is not a model config this version understands", field="model")
    if config.get("algorithm") != algorithm or config.get("task") != task:
        raise ArtifactError(
            f"{path} describes a {config.get('algorithm')} {config.get('task')} model, "
            f"not the {algorithm} {task} model its metadata names",
            field="model",
        )
    n_features = config.get("n_features")
    if isinstance(n_features, bool) or not isinstance(n_features, int) or n_features < 1:
        raise ArtifactError(f"{path} has no valid n_features: {n_features!r}", field="model")
    return config
