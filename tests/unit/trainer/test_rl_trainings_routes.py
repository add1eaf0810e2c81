"""POST /api/v1/trainings with an RL agent: what cannot train is refused with its field before
any job is queued, and supervised requests may not carry an environment."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from shared.config import Settings
from shared.schemas.trainings import TrainingRequest
from shared.storage.migrate import upgrade
from trainer.main import create_app
from trainer.rl_plan import plan_rl_training

GOOD: dict[str, Any] = {
    "model_name": "rl", "algorithm": "ppo", "source": "builtin", "symbols": ["SP500"],
    "start": "2010-01-01", "end": "2014-12-31",
}  # fmt: skip


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    # A Redis that is not there: every case below must be refused before a job is queued.
    settings = Settings(var_dir=tmp_path, redis_url="redis://127.0.0.1:1/0")
    upgrade(settings.sqlalchemy_url)
    return TestClient(create_app(settings))


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (
            {"algorithm": "dqn", "environment": {"action": "continuous"}},
            "environment.action",
            "discrete",
        ),
        (
            {"algorithm": "sac", "environment": {"action": "discrete"}},
            "environment.action",
            "continuous",
        ),
        ({"algorithm": "dqn", "symbols": ["SP500", "NASDAQ"]}, "symbols", "ppo or a2c"),
        ({"target": {"kind": "return"}}, "target", "supervised"),
        ({"decision": {"long_above": 0.6}}, "decision", "supervised"),
        ({"validation": {"n_folds": 3}}, "validation", "supervised"),
        (
            {"hyperparameters": {"n_steps": 8, "n_envs": 2, "batch_size": 64}},
            "hyperparameters.batch_size",
            "rollout",
        ),
        ({"hyperparameters": {"total_timesteps": 5}}, "hyperparameters.total_timesteps", "100"),
        ({"environment": {"episode_bars": 5000}}, "environment.episode_bars", "episode"),
        ({"environment": {"eval_start": "2014-12-20"}}, "environment.eval_start", "evaluation"),
        ({"environment": {"eval_share": 1.5}}, "environment.eval_share", "less than"),
        ({"algorithm": "xgboost", "environment": {}}, "environment", "RL agents"),
    ],
)
def test_an_agent_that_cannot_train_is_refused_with_its_field(
    client: TestClient, change: dict[str, Any], field: str, words: str
) -> None:
    resp = client.post("/api/v1/trainings", json={**GOOD, **change})
    assert resp.status_code == 422, resp.text
    body = resp.json()
    assert body["field"].startswith(field), body
    assert words in body["detail"], body


@pytest.mark.parametrize(
    ("algorithm", "action"), [("ppo", "discrete"), ("a2c", "discrete"), ("dqn", "discrete"),
                              ("sac", "continuous")],
)  # fmt: skip
def test_each_agent_gets_its_action_kind_by_default(algorithm: str, action: str) -> None:
    req = TrainingRequest.model_validate({**GOOD, "algorithm": algorithm})
    plan = plan_rl_training(req)
    assert plan.env.action == action
    assert plan.env.spec.allow_short is False and plan.env.position_size == 1.0


def test_the_request_costs_and_environment_reach_the_plan() -> None:
    req = TrainingRequest.model_validate({
        **GOOD, "costs": {"commission_rate": 0.001}, "execution": {"allow_short": True},
        "environment": {"episode_bars": 100, "turnover_penalty": 0.5, "eval_start": "2014-01-02"},
        "hyperparameters": {"n_envs": 2, "batch_size": 16},
    })  # fmt: skip
    plan = plan_rl_training(req)
    assert plan.env.spec.commission.rate == 0.001 and plan.env.spec.allow_short
    assert (plan.env.episode_bars, plan.env.turnover_penalty) == (100, 0.5)
    assert plan.hyperparameters["n_envs"] == 2 and plan.eval_start is not None
