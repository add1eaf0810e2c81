"""A study's request checked before anything is queued, and turned into each trial's training."""

from __future__ import annotations

from typing import Any

from shared.errors import ValidationError
from shared.ml.study_space import SearchSpace, build_space
from shared.schemas.studies import StudyRequest
from shared.schemas.trainings import EnvironmentIn, TrainingRequest
from trainer.rl_plan import plan_rl_training

TRIAL_MODEL_NAME = "study-trial"  # never registered under it: register names the model


def action_kind(req: StudyRequest) -> str:
    """The action space every agent of the study must act in."""
    action = (req.environment or EnvironmentIn()).action
    if action is None:  # each agent's own default would make the trials incomparable
        action = "continuous" if req.algorithms == ["sac"] else "discrete"
    if action == "continuous":
        return "box"
    return "discrete" if len(req.symbols) == 1 else "multi_discrete"


def plan_study(req: StudyRequest, max_trials: int) -> SearchSpace:
    """The study's search space; every part checked (422s naming the field)."""
    if req.n_trials > max_trials:
        raise ValidationError(
            f"n_trials {req.n_trials} is above the limit of {max_trials} (MAX_STUDY_TRIALS); "
            "run fewer trials",
            field="n_trials",
        )
    ranges = {
        name: {p: r.model_dump() for p, r in params.items()}
        for name, params in req.search_space.items()
    }
    space = build_space(req.algorithms, ranges, req.hyperparameters, action_kind(req))
    for name in space.algorithms:  # the rest of the request, as each agent's training sees it
        plan_rl_training(trial_request(req, name, dict(space.fixed)))
    return space


def trial_request(req: StudyRequest, algorithm: str, values: dict[str, Any]) -> TrainingRequest:
    """The training one trial runs: the study's data, environment and costs, its own agent."""
    env = req.environment or EnvironmentIn()
    if env.action is None:
        env = env.model_copy(
            update={"action": "continuous" if action_kind(req) == "box" else "discrete"}
        )
    return TrainingRequest(
        model_name=TRIAL_MODEL_NAME, algorithm=algorithm, hyperparameters=values,
        source=req.source, symbols=req.symbols, start=req.start, end=req.end,
        interval=req.interval, features=req.features, environment=env,
        initial_cash=req.initial_cash, costs=req.costs, execution=req.execution, seed=req.seed,
        device="cpu",
    )  # fmt: skip
