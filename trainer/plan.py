"""A training request turned into a checked plan, and a trained model described as metadata.json."""

from __future__ import annotations

import os
from datetime import datetime
from typing import Any

from shared.backtest_spec import run_spec
from shared.errors import ValidationError
from shared.features import FeatureSpec, TargetSpec, default_feature_spec
from shared.ml.algorithms import get_algorithm
from shared.ml.decisions import DecisionRule
from shared.ml.splits import ValidationScheme
from shared.ml.training import TrainedModel, TrainingPlan, package_versions
from shared.schemas.trainings import TrainingRequest


def plan_training(req: TrainingRequest, device: str = "cpu") -> TrainingPlan:
    """Check every part of the request against the library's rules (each a 422 naming its field)."""
    algorithm = get_algorithm(req.algorithm)
    if req.environment is not None:
        raise ValidationError(
            f"environment applies to RL agents (ppo, a2c, dqn, sac); {algorithm.name} is a "
            "supervised model: leave it out",
            field="environment",
        )
    target = TargetSpec.from_dict(req.target.model_dump())
    if target.task not in algorithm.tasks:
        raise ValidationError(
            f"{algorithm.name} does not do {target.task}; it does {', '.join(algorithm.tasks)}. "
            "Pick another algorithm or target.kind",
            field="target.kind",
        )
    if req.device == "cuda" and not algorithm.supports_cuda:
        raise ValidationError(
            f"{algorithm.name} runs on the CPU only; use device cpu or auto", field="device"
        )
    features = (
        FeatureSpec.from_dict({"features": [f.model_dump() for f in req.features]})
        if req.features
        else default_feature_spec()
    )
    return TrainingPlan(
        algorithm=algorithm.name,
        hyperparameters=algorithm.validate(req.hyperparameters),
        features=features,
        target=target,
        validation=ValidationScheme.from_dict(req.validation.model_dump()),
        decision=decision_rule(req),
        spec=run_spec(req),
        seed=req.seed,
        device=device,
    )


def decision_rule(req: TrainingRequest) -> DecisionRule:
    """The request's decision rule, sized by its execution.position_size."""
    return DecisionRule.from_dict(
        {**req.decision.model_dump(), "position_size": req.execution.position_size}
    )


def model_metadata(
    req: TrainingRequest,
    plan: TrainingPlan,
    trained: TrainedModel,
    *,
    version: int,
    created: datetime,
    fingerprint: str,
    bars_per_symbol: dict[str, int],
    seconds: float,
) -> dict[str, Any]:
    """metadata.json: the seed's fields, then everything needed to reproduce and judge the model."""
    report = trained.report
    dataset = report["dataset"]
    return {
        "model_name": req.model_name,
        "version": version,
        "framework": get_algorithm(plan.algorithm).framework,
        "trained_on": created.isoformat(),
        "features": plan.features.columns,
        "metrics": report["metrics"],
        "algorithm": plan.algorithm,
        "task": plan.task,
        "hyperparameters": dict(plan.hyperparameters),
        "target": plan.target.to_dict(),
        "feature_spec": plan.features.to_dict(),
        "data": data_block(req, dataset, bars_per_symbol, fingerprint),
        "validation": {
            **plan.validation.to_dict(),
            "folds": report["folds"],
            "fold_summary": report["fold_summary"],
        },
        "train_metrics": report["train_metrics"],
        "validation_metrics": report["validation_metrics"],
        "backtest": report["backtest"],
        "decision": plan.decision.to_dict(),
        "costs": req.costs.model_dump(mode="json"),
        "execution": req.execution.model_dump(mode="json"),
        "initial_cash": req.initial_cash,
        "feature_importance": report["feature_importance"],
        "seed": plan.seed,
        "device": report["device"],
        "package_versions": package_versions(),
        "cpu_threads": os.cpu_count(),
        "training_seconds": round(seconds, 3),
        "request": req.model_dump(mode="json"),
    }


def data_block(
    req: TrainingRequest, dataset: dict[str, Any], bars_per_symbol: dict[str, int], fingerprint: str
) -> dict[str, Any]:
    """metadata.json's "data": what was asked for, and the rows and bars actually used."""
    return {
        "source": req.source,
        "symbols": req.symbols,
        "interval": req.interval,
        "start": req.start.isoformat() if req.start else None,
        "end": req.end.isoformat() if req.end else None,
        "first_row": dataset["first"],
        "last_row": dataset["last"],
        "rows": dataset["rows"],
        "bars": bars_per_symbol,
        "fingerprint": fingerprint,
    }
