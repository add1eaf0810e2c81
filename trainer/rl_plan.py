"""An RL agent's training request turned into a checked plan, and its metadata.json.

The supervised request's target, validation and decision do not apply to an agent (it learns
its own actions, and is judged on one later, unseen window): they are refused when set to
anything but their defaults, rather than silently ignored.
"""

from __future__ import annotations

import importlib.metadata
import os
from datetime import datetime
from typing import Any

import pandas as pd

from shared.backtest_spec import run_spec
from shared.errors import ValidationError
from shared.features import FeatureSpec, default_feature_spec
from shared.ml.algorithms import get_algorithm
from shared.ml.rl_algorithms import ACTION_KINDS, REINFORCEMENT
from shared.ml.rl_pipeline import RLPlan, TrainedPolicy
from shared.ml.rl_training import check_combination
from shared.ml.training import package_versions
from shared.rl import EnvConfig
from shared.schemas.trainings import (
    DecisionIn,
    EnvironmentIn,
    TargetIn,
    TrainingRequest,
    ValidationIn,
)
from trainer.plan import data_block

RL_PACKAGES = ("stable-baselines3", "gymnasium")
_SUPERVISED_ONLY = (("target", TargetIn), ("validation", ValidationIn), ("decision", DecisionIn))


def is_reinforcement(algorithm: str) -> bool:
    """True for an RL agent (ppo, a2c, dqn, sac); unknown names are left to plan_training."""
    try:
        return REINFORCEMENT in get_algorithm(algorithm).tasks
    except ValidationError:
        return False


def plan_rl_training(req: TrainingRequest, device: str = "cpu") -> RLPlan:
    """Check every part of an agent's request (each a 422 naming its field)."""
    algorithm = get_algorithm(req.algorithm)
    for name, default in _SUPERVISED_ONLY:
        if getattr(req, name) != default():
            raise ValidationError(
                f"{name} applies to supervised models; {algorithm.name} is an RL agent, "
                "judged on the evaluation window (see environment): leave it out",
                field=name,
            )
    if req.device == "cuda" and not algorithm.supports_cuda:
        raise ValidationError(f"{algorithm.name} runs on the CPU only", field="device")
    values = algorithm.validate(req.hyperparameters)
    check_combination(algorithm.name, values, values["n_envs"])
    env_in = req.environment or EnvironmentIn()
    action = env_in.action or ("continuous" if algorithm.name == "sac" else "discrete")
    _check_action(algorithm.name, action, len(req.symbols))
    env = EnvConfig(
        spec=run_spec(req), action=action, episode_bars=env_in.episode_bars,
        position_size=req.execution.position_size, drawdown_penalty=env_in.drawdown_penalty,
        turnover_penalty=env_in.turnover_penalty,
    )  # fmt: skip
    features = (
        FeatureSpec.from_dict({"features": [f.model_dump() for f in req.features]})
        if req.features
        else default_feature_spec()
    )
    return RLPlan(
        algorithm=algorithm.name, hyperparameters=values, features=features, env=env,
        eval_share=env_in.eval_share,
        eval_start=pd.Timestamp(env_in.eval_start) if env_in.eval_start else None,
        seed=req.seed, device=device,
    )  # fmt: skip


def _check_action(algorithm: str, action: str, n_symbols: int) -> None:
    kind = "box" if action == "continuous" else "discrete" if n_symbols == 1 else "multi_discrete"
    if kind in ACTION_KINDS[algorithm]:
        return
    if kind == "multi_discrete":
        raise ValidationError(
            f"{algorithm} takes one discrete choice per step, and {n_symbols} symbols make "
            "one per symbol; train it on one symbol, or choose ppo or a2c",
            field="symbols",
        )
    fits = "continuous" if algorithm == "sac" else "discrete"
    raise ValidationError(
        f"{algorithm} cannot act in {action} actions; use environment.action {fits!r} "
        f"or choose {'sac, ppo or a2c' if action == 'continuous' else 'ppo, a2c or dqn'}",
        field="environment.action",
    )


def rl_model_metadata(
    req: TrainingRequest,
    plan: RLPlan,
    trained: TrainedPolicy,
    *,
    version: int,
    created: datetime,
    fingerprint: str,
    bars_per_symbol: dict[str, int],
    seconds: float,
) -> dict[str, Any]:
    """metadata.json: the seed's fields, then everything needed to reproduce and judge the agent."""
    report = trained.report
    dataset = report["dataset"]
    environment = trained.bundle.environment
    return {
        "model_name": req.model_name,
        "version": version,
        "framework": get_algorithm(plan.algorithm).framework,
        "trained_on": created.isoformat(),
        "features": plan.features.columns,
        "metrics": report["metrics"],
        "algorithm": plan.algorithm,
        "task": REINFORCEMENT,
        "hyperparameters": dict(plan.hyperparameters),
        "feature_spec": plan.features.to_dict(),
        "data": data_block(req, dataset, bars_per_symbol, fingerprint),
        "validation": {
            "method": "holdout",
            "train": report["windows"]["train"],
            "evaluation": report["windows"]["evaluation"],
            "eval_share": plan.eval_share,
            "eval_start": plan.eval_start.isoformat() if plan.eval_start is not None else None,
        },
        # environment.json holds the same; here for reading (the checksum covers that file)
        "environment": {k: v for k, v in environment.to_dict().items() if k != "feature_spec"},
        "training": report["training"],
        "curve": report["curve"],
        "backtest": report["backtest"],
        "costs": req.costs.model_dump(mode="json"),
        "execution": req.execution.model_dump(mode="json"),
        "initial_cash": req.initial_cash,
        "seed": plan.seed,
        "device": report["device"],
        "package_versions": package_versions() | {p: _version(p) for p in RL_PACKAGES},
        "cpu_threads": os.cpu_count(),
        "training_seconds": round(seconds, 3),
        "request": req.model_dump(mode="json"),
    }


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"
