"""POST /api/v1/studies: a study that cannot run is refused with its field before any job is
queued; a good one reaches the queue (refused there only because no Redis is running)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from shared.config import Settings
from shared.storage.migrate import upgrade
from trainer.main import create_app

GOOD: dict[str, Any] = {
    "source": "builtin", "symbols": ["SP500"], "start": "2010-01-01", "end": "2014-12-31",
    "algorithms": ["ppo", "a2c"], "n_trials": 4,
    "hyperparameters": {"total_timesteps": 200, "n_envs": 2},
}  # fmt: skip


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    # A Redis that is not there: every refused case must be refused before a job is queued.
    settings = Settings(var_dir=tmp_path, redis_url="redis://127.0.0.1:1/0", max_study_trials=50)
    upgrade(settings.sqlalchemy_url)
    return TestClient(create_app(settings))


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"n_trials": 51}, "n_trials", "MAX_STUDY_TRIALS"),
        ({"n_trials": 0}, "n_trials", "greater than or equal to 1"),
        ({"algorithms": []}, "algorithms", "at least 1"),
        ({"algorithms": ["ppo", "ppo"]}, "algorithms", "repeated"),
        ({"algorithms": ["xgboost"]}, "algorithms", "ppo"),
        ({"algorithms": ["ppo", "sac"]}, "algorithms", "cannot act in discrete"),
        (
            {"algorithms": ["ppo", "dqn"], "environment": {"action": "continuous"}},
            "algorithms", "dqn cannot act in box",
        ),
        ({"algorithms": ["dqn"], "symbols": ["SP500", "NASDAQ"]}, "algorithms", "multi-discrete"),
        ({"search_space": {"sac": {}}}, "search_space.sac", "not among"),
        ({"search_space": {"ppo": {"momentum": {}}}}, "search_space.ppo.momentum", "no hyper"),
        (
            {"search_space": {"ppo": {"learning_rate": {"low": 1e-7}}}},
            "search_space.ppo.learning_rate", "outside",
        ),
        (
            {"search_space": {"ppo": {"learning_rate": {"low": 0.01, "high": 0.001}}}},
            "search_space.ppo.learning_rate", "above high",
        ),
        (
            {"search_space": {"ppo": {"ent_coef": {"low": 0, "high": 0.1, "log": True}}}},
            "search_space.ppo.ent_coef", "log-scale",
        ),
        (
            {"search_space": {"ppo": {"n_steps": {"low": 16.5}}}},
            "search_space.ppo.n_steps", "outside",
        ),
        (
            {"search_space": {"ppo": {"net_arch": {"choices": ["3,3,x"]}}}},
            "search_space.ppo.net_arch", "not allowed",
        ),
        (
            {"search_space": {"ppo": {"net_arch": {"low": 1, "high": 2}}}},
            "search_space.ppo.net_arch", "choices, not low/high",
        ),
        ({"hyperparameters": {"buffer_size": 5000}}, "hyperparameters.buffer_size", "every algorithm"),
        ({"hyperparameters": {"total_timesteps": 5}}, "hyperparameters.total_timesteps", "100"),
        (
            {"search_space": {"ppo": {"gamma": {}}}, "hyperparameters": {"gamma": 0.9}},
            "hyperparameters.gamma", "both fixed and searched",
        ),
        ({"objective": "accuracy"}, "objective", "oos_sharpe"),
        ({"environment": {"episode_bars": 5000}}, "environment.episode_bars", "episode"),
        ({"environment": {"eval_start": "2014-12-20"}}, "environment.eval_start", "evaluation"),
    ],
)  # fmt: skip
def test_a_study_that_cannot_run_is_refused_with_its_field(
    client: TestClient, change: dict[str, Any], field: str, words: str
) -> None:
    resp = client.post("/api/v1/studies", json={**GOOD, **change})
    assert resp.status_code == 422, resp.text
    body = resp.json()
    assert body["field"].startswith(field), body
    assert words in body["detail"], body


def test_a_good_study_gets_as_far_as_the_queue(client: TestClient) -> None:
    resp = client.post(
        "/api/v1/studies",
        json={**GOOD, "search_space": {"a2c": {"n_steps": {"low": 4, "high": 16, "log": True}}}},
    )
    assert resp.status_code == 503, resp.text  # validated, then no broker to queue it on


def test_unknown_study_is_404_naming_the_field(client: TestClient) -> None:
    resp = client.get("/api/v1/studies/nope")
    assert resp.status_code == 404
    assert resp.json()["field"] == "study_id"
    assert client.get("/api/v1/studies").json()["items"] == []
