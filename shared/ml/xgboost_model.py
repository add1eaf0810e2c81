"""XGBoost gradient-boosted trees behind the Model interface, saved as UBJSON (no code on load)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import xgboost as xgb

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

MODEL_FILE = "model.ubj"
FRAMEWORK = "xgboost"
OBJECTIVES = {CLASSIFICATION: "binary:logistic", "regression": "reg:squarederror"}


class _ReportRounds(xgb.callback.TrainingCallback):
    """Calls progress(done, total) after every boosting round; what it raises stops training."""

    def __init__(self, progress: ProgressFn, total: int) -> None:
        super().__init__()
        self._progress = progress
        self._total = total

    def after_iteration(self, model: Any, epoch: int, evals_log: Any) -> bool:
        self._progress(epoch + 1, self._total)
        return False


class XGBoostModel(ModelBase):
    """A binary:logistic or reg:squarederror booster trained with the hist method."""

    algorithm = "xgboost"
    framework = FRAMEWORK

    def __init__(
        self, task: str, params: dict[str, Any], *, seed: int, device: str, n_threads: int
    ) -> None:
        super().__init__(task, params, seed=seed, device=device, n_threads=n_threads)
        self._booster: xgb.Booster | None = None
        self._n_features = 0

    def fit(self, X: npt.ArrayLike, y: npt.ArrayLike, progress: ProgressFn | None = None) -> None:
        features, target = check_training_data(X, y, self.task)
        self._booster = None  # a cancelled fit leaves no half-boosted model behind
        rounds = int(self._params["n_estimators"])
        train = xgb.DMatrix(features, label=target, nthread=self._n_threads)
        callbacks = [_ReportRounds(progress, rounds)] if progress is not None else []
        booster = xgb.train(
            self._training_params(),
            train,
            num_boost_round=rounds,
            callbacks=callbacks,
            verbose_eval=False,
        )
        # Predict on the CPU whatever trained it: the simulator loads models on CPU workers,
        # and this keeps the trained and the loaded model's outputs the same bits.
        booster.set_param({"device": "cpu", "nthread": self._n_threads})
        self._booster = booster
        self._n_features = features.shape[1]

    def _training_params(self) -> dict[str, Any]:
        p = self._params
        return {
            "objective": OBJECTIVES[self.task],
            "tree_method": "hist",
            "device": self._device,
            "eta": p["learning_rate"],
            "max_depth": p["max_depth"],
            "subsample": p["subsample"],
            "colsample_bytree": p["colsample_bytree"],
            "min_child_weight": p["min_child_weight"],
            "lambda": p["reg_lambda"],
            "seed": self._seed,
            "nthread": self._n_threads,
        }

    def predict_output(self, X: npt.ArrayLike) -> F64:
        booster = self._fitted()
        features = check_features(X, self._n_features)
        output = booster.predict(xgb.DMatrix(features, nthread=self._n_threads))
        return np.asarray(output, dtype=np.float64)

    def feature_importance(self) -> F64 | None:
        scores = self._fitted().get_score(importance_type="total_gain")
        # Without feature names XGBoost calls column i "f{i}"; unused columns are absent.
        weights = np.array(
            [scores.get(f"f{i}", 0.0) for i in range(self._n_features)], dtype=np.float64
        )
        total = weights.sum()
        return weights / total if total > 0 else weights

    def save(self, directory: Path) -> list[str]:
        booster = self._fitted()
        (directory / MODEL_FILE).write_bytes(bytes(booster.save_raw("ubj")))
        config = {
            "algorithm": self.algorithm,
            "task": self.task,
            "framework": self.framework,
            "n_features": self._n_features,
            "objective": OBJECTIVES[self.task],
            "format": "ubj",
        }
        return [MODEL_FILE, write_config(directory, config)]

    @classmethod
    def load(cls, directory: Path, task: str, *, n_threads: int) -> XGBoostModel:
        config = read_config(directory, cls.algorithm, task)
        path = directory / MODEL_FILE
        booster = xgb.Booster()
        try:
            booster.load_model(str(path))
        except (OSError, xgb.core.XGBoostError) as exc:
            raise ArtifactError(f"cannot load {path}: {exc}", field="model") from None
        n_features: int = config["n_features"]
        if booster.num_features() != n_features:
            raise ArtifactError(
                f"{path} expects {booster.num_features()} features but its config says "
                f"{n_features!r}",
                field="model",
            )
        objective = _objective(booster)
        if objective != OBJECTIVES[task]:
            raise ArtifactError(
                f"{path} was trained with objective {objective!r}, not {OBJECTIVES[task]!r}",
                field="model",
            )
        booster.set_param({"device": "cpu", "nthread": n_threads})
        model = cls(task, {}, seed=0, device="cpu", n_threads=n_threads)
        model._booster = booster
        model._n_features = n_features
        return model

    def _fitted(self) -> xgb.Booster:
        if self._booster is None:
            raise RuntimeError("the xgboost model is not fitted; call fit or load it")
        return self._booster


def _objective(booster: xgb.Booster) -> str:
    config = json.loads(booster.save_config())
    return str(config["learner"]["objective"]["name"])
