"""Build a model from an algorithm name and hyperparameters, or load one from its files.

Every model, whatever its framework, offers the Model interface (shared.ml.protocol). torch is
imported only when an MLP is asked for: loading it costs seconds a tree-only worker need not pay.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from shared.errors import ValidationError
from shared.ml.algorithms import SUPERVISED_TASKS, Algorithm, get_algorithm
from shared.ml.device import resolve_device
from shared.ml.protocol import Model, resolve_threads
from shared.ml.sklearn_models import SklearnModel
from shared.ml.xgboost_model import XGBoostModel

__all__ = ["Model", "build_model", "load_model"]
MAX_SEED = 2**32 - 1  # numpy's legacy RandomState, which scikit-learn uses, takes no more


def build_model(
    algorithm: str,
    task: str,
    params: Mapping[str, Any],
    *,
    seed: int,
    device: str = "cpu",
    n_threads: int | None = None,
) -> Model:
    """An unfitted model; hyperparameters are validated and defaults filled in.

    `device` is "cpu" or "cuda" (resolve "auto" first with shared.ml.device.resolve_device).
    `n_threads` None means every core; fix it to get bit-identical results on another machine.
    """
    spec = _supervised(algorithm, task)
    values = spec.validate(params)
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise ValidationError(
            f"seed must be a whole number from 0 to {MAX_SEED}, got {seed!r}", field="seed"
        )
    if device not in ("cpu", "cuda"):
        raise ValidationError(
            f"device must be 'cpu' or 'cuda' here, got {device!r}; resolve 'auto' first",
            field="device",
        )
    device = resolve_device("cuda", algorithm) if device == "cuda" else "cpu"
    threads = resolve_threads(n_threads)
    if spec.framework == "scikit-learn":
        return SklearnModel(algorithm, task, values, seed=seed, n_threads=threads)
    if spec.framework == "xgboost":
        return XGBoostModel(task, values, seed=seed, device=device, n_threads=threads)
    from shared.ml.torch_mlp import MLPModel

    return MLPModel(task, values, seed=seed, device=device, n_threads=threads)


def load_model(
    directory: Path, algorithm: str, task: str, *, n_threads: int | None = None
) -> Model:
    """The model saved in `directory`, from its safe files only, on the CPU.

    No checksum is checked here: use shared.ml.artifacts.load_verified for stored models.
    """
    spec = _supervised(algorithm, task)
    threads = resolve_threads(n_threads)
    if spec.framework == "scikit-learn":
        return SklearnModel.load(directory, algorithm, task, n_threads=threads)
    if spec.framework == "xgboost":
        return XGBoostModel.load(directory, task, n_threads=threads)
    from shared.ml.torch_mlp import MLPModel

    return MLPModel.load(directory, task, n_threads=threads)


def _supervised(algorithm: str, task: str) -> Algorithm:
    spec = get_algorithm(algorithm)
    spec.check_task(task)
    if task not in SUPERVISED_TASKS:
        raise ValidationError(
            f"{algorithm} is a reinforcement-learning agent, not a supervised model; build it "
            "with shared.ml.rl_training.build_agent and load it with shared.ml.rl_policy",
            field="algorithm",
        )
    return spec
