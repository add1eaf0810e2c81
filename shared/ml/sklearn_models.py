"""scikit-learn models behind the Model interface: logistic regression, random forest, HGB.

Forests and histogram boosting grow in batches with warm_start, so progress is reported (and a
cancellation raised from it takes effect) between batches; the grown model equals one plain fit
with the same seed. Logistic regression reports once, at the end.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from joblib import parallel_config
from sklearn.base import BaseEstimator
from sklearn.ensemble import (
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from shared.ml.algorithms import CLASSIFICATION
from shared.ml.artifact_errors import ArtifactError
from shared.ml.protocol import (
    F64,
    ModelBase,
    ProgressFn,
    check_features,
    check_training_data,
    read_config,
    write_config,
)
from shared.ml.skops_format import dumps_reproducible, loads_trusted

MODEL_FILE = "model.skops"
PROGRESS_BATCHES = 10
FRAMEWORK = "scikit-learn"


class SklearnModel(ModelBase):
    """One of the scikit-learn algorithms, fitted in progress-reporting batches where it can."""

    framework = FRAMEWORK

    def __init__(
        self, algorithm: str, task: str, params: dict[str, Any], *, seed: int, n_threads: int
    ) -> None:
        super().__init__(task, params, seed=seed, device="cpu", n_threads=n_threads)
        self.algorithm = algorithm
        self._estimator: Any = None
        self._n_features = 0

    def fit(self, X: npt.ArrayLike, y: npt.ArrayLike, progress: ProgressFn | None = None) -> None:
        features, target = check_training_data(X, y, self.task)
        self._estimator = None  # a cancelled fit leaves no half-grown model behind
        estimator = _new_estimator(self.algorithm, self.task, self._params, self._seed)
        with _thread_limit(self._n_threads):
            if self.algorithm == "logistic_regression":
                estimator.fit(features, target)
                if progress is not None:
                    progress(1, 1)
            else:
                _fit_in_batches(estimator, features, target, self._batch_param(), progress)
        self._estimator = estimator
        self._n_features = features.shape[1]

    def _batch_param(self) -> str:
        return "n_estimators" if self.algorithm == "random_forest" else "max_iter"

    def predict_output(self, X: npt.ArrayLike) -> F64:
        estimator = self._fitted()
        features = check_features(X, self._n_features)
        # A forest adds its trees' outputs in whatever order parallel workers finish, which
        # changes the last bits from run to run; one worker adds them in tree order.
        threads = 1 if self.algorithm == "random_forest" else self._n_threads
        with _thread_limit(threads):
            if self.task == CLASSIFICATION:
                column = list(estimator.classes_).index(1)
                return np.asarray(estimator.predict_proba(features)[:, column], dtype=np.float64)
            return np.asarray(estimator.predict(features), dtype=np.float64)

    def feature_importance(self) -> F64 | None:
        estimator = self._fitted()
        if self.algorithm == "logistic_regression":
            # |coefficient| on standardised features: comparable across columns.
            weights = np.abs(estimator[-1].coef_[0])
        elif self.algorithm == "random_forest":
            weights = estimator.feature_importances_
        else:
            weights = _split_gain_per_feature(estimator, self._n_features)
        return _normalised(weights)

    def save(self, directory: Path) -> list[str]:
        estimator = self._fitted()
        (directory / MODEL_FILE).write_bytes(dumps_reproducible(estimator))
        config = {
            "algorithm": self.algorithm,
            "task": self.task,
            "framework": self.framework,
            "n_features": self._n_features,
            "format": "skops",
        }
        return [MODEL_FILE, write_config(directory, config)]

    @classmethod
    def load(cls, directory: Path, algorithm: str, task: str, *, n_threads: int) -> SklearnModel:
        config = read_config(directory, algorithm, task)
        path = directory / MODEL_FILE
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ArtifactError(f"cannot read {path}: {exc}", field="model") from None
        estimator = loads_trusted(data, str(path))
        expected = _estimator_class(algorithm, task)
        final = estimator[-1] if isinstance(estimator, Pipeline) else estimator
        if not isinstance(estimator, expected[0]) or not isinstance(final, expected[1]):
            raise ArtifactError(
                f"{path} holds a {type(estimator).__name__}, not a {algorithm} {task} model",
                field="model",
            )
        n_features: int = config["n_features"]
        if getattr(estimator, "n_features_in_", None) != n_features:
            raise ArtifactError(
                f"{path} expects {getattr(estimator, 'n_features_in_', '?')} features but its "
                f"config says {n_features!r}",
                field="model",
            )
        model = cls(algorithm, task, {}, seed=0, n_threads=n_threads)
        model._estimator = estimator
        model._n_features = n_features
        return model

    def _fitted(self) -> Any:
        if self._estimator is None:
            raise RuntimeError(f"the {self.algorithm} model is not fitted; call fit or load it")
        return self._estimator


@contextmanager
def _thread_limit(n_threads: int) -> Iterator[None]:
    """Cap OpenMP/BLAS threads and joblib workers without storing the count in the model.

    Estimators keep n_jobs=None, so the saved file does not depend on the machine's cores.
    """
    with threadpool_limits(limits=n_threads), parallel_config(n_jobs=n_threads):
        yield


def _fit_in_batches(
    estimator: BaseEstimator,
    X: F64,
    y: np.ndarray,
    size_param: str,
    progress: ProgressFn | None,
) -> None:
    """Grow `estimator` to its full size in PROGRESS_BATCHES warm-started steps."""
    total = int(estimator.get_params()[size_param])
    steps = sorted(
        {math.ceil(total * k / PROGRESS_BATCHES) for k in range(1, PROGRESS_BATCHES + 1)}
    )
    estimator.set_params(warm_start=True)
    for done in steps:
        estimator.set_params(**{size_param: done})
        estimator.fit(X, y)
        if progress is not None:
            progress(done, total)
    estimator.set_params(warm_start=False)


def _new_estimator(algorithm: str, task: str, params: dict[str, Any], seed: int) -> Any:
    classify = task == CLASSIFICATION
    if algorithm == "logistic_regression":
        class_weight = None if params["class_weight"] == "none" else params["class_weight"]
        logistic = LogisticRegression(
            C=params["C"], max_iter=params["max_iter"], class_weight=class_weight, random_state=seed
        )
        # The scaler travels inside the pipeline, so the saved model standardises by itself.
        return Pipeline([("scale", StandardScaler()), ("logistic", logistic)])
    if algorithm == "random_forest":
        forest = RandomForestClassifier if classify else RandomForestRegressor
        return forest(
            n_estimators=params["n_estimators"],
            max_depth=params["max_depth"],
            min_samples_leaf=params["min_samples_leaf"],
            max_features=params["max_features"],
            bootstrap=params["bootstrap"],
            random_state=seed,
        )
    booster = HistGradientBoostingClassifier if classify else HistGradientBoostingRegressor
    # No early stopping: it would carve its own random validation split out of the training
    # fold, which walk-forward validation already does honestly, and break warm-start batches.
    return booster(
        max_iter=params["n_estimators"],
        max_depth=params["max_depth"],
        learning_rate=params["learning_rate"],
        max_leaf_nodes=params["max_leaf_nodes"],
        min_samples_leaf=params["min_samples_leaf"],
        l2_regularization=params["l2_regularization"],
        max_features=params["max_features"],
        early_stopping=False,
        random_state=seed,
    )


def _estimator_class(algorithm: str, task: str) -> tuple[type, type]:
    """(the saved object's class, its final estimator's class) for this algorithm and task."""
    classify = task == CLASSIFICATION
    if algorithm == "logistic_regression":
        return Pipeline, LogisticRegression
    if algorithm == "random_forest":
        forest = RandomForestClassifier if classify else RandomForestRegressor
        return forest, forest
    booster = HistGradientBoostingClassifier if classify else HistGradientBoostingRegressor
    return booster, booster


def _split_gain_per_feature(estimator: Any, n_features: int) -> F64:
    """Total split gain per feature over every tree (scikit-learn's HGB offers no importances)."""
    totals = np.zeros(n_features, dtype=np.float64)
    # _predictors is private but stable since 0.21: one list of TreePredictors per iteration.
    for iteration in estimator._predictors:
        for predictor in iteration:
            nodes = predictor.nodes[~predictor.nodes["is_leaf"].astype(bool)]
            np.add.at(totals, nodes["feature_idx"].astype(np.intp), nodes["gain"])
    return totals


def _normalised(weights: npt.ArrayLike) -> F64:
    values = np.asarray(weights, dtype=np.float64).copy()
    total = values.sum()
    return values / total if total > 0 else values
