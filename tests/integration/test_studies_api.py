"""An RL study through the gateway: PPO against A2C over a few short trials on builtin data ->
a report ranking the trials with the deflated Sharpe verdict -> the best trial registered as a
model version whose metadata records the study. Trials stay out of the registry until then."""

from __future__ import annotations

import httpx
import pytest

from tests.support.processes import wait_until
from tests.support.stack import Stack

pytestmark = pytest.mark.integration

FINAL = {"succeeded", "failed", "cancelled"}
STUDY = {
    "source": "builtin", "symbols": ["SP500"], "start": "2008-01-01", "end": "2015-12-31",
    "seed": 3, "algorithms": ["ppo", "a2c"], "n_trials": 4,
    "hyperparameters": {"total_timesteps": 256, "n_envs": 4},
    "search_space": {"ppo": {"learning_rate": {}, "n_steps": {"low": 16, "high": 64}},
                     "a2c": {"learning_rate": {"low": 1e-4, "high": 1e-2}}},
    "environment": {"episode_bars": 64, "eval_start": "2014-01-01"},
    "costs": {"commission_rate": 0.0005},
}  # fmt: skip


def test_a_study_reports_a_verdict_and_registers_its_best(stack: Stack) -> None:
    with httpx.Client(base_url=stack.gateway_url + "/api/v1", timeout=60) as api:
        models_before = api.get("/models").json()["total"]
        resp = api.post("/studies", json=STUDY)
        assert resp.status_code == 202, resp.text
        study_id = resp.json()["study_id"]
        assert resp.json()["job"]["kind"] == "study"
        path = f"/studies/{study_id}"
        wait_until(lambda: api.get(path).json()["status"] in FINAL, 150, path)
        study = api.get(path).json()
        assert study["status"] == "succeeded", study
        assert study["trials_done"] == 4 and len(study["trials"]) == 4
        assert {t["algorithm"] for t in study["trials"]} <= {"ppo", "a2c"}
        for trial in study["trials"]:
            assert trial["state"] == "complete", trial
            assert trial["hyperparameters"]["total_timesteps"] == 256
            assert trial["n_obs"] > 100  # the evaluation window, 2014 onwards
        report = study["report"]
        complete = [t for t in report["ranked"] if t["value"] is not None]
        assert [t["value"] for t in complete] == sorted(
            (t["value"] for t in complete), reverse=True
        )
        verdict = report["overfitting"]
        assert verdict["n_trials"] == 4 and isinstance(verdict["likely_luck"], bool)
        assert "of 4 trials" in verdict["verdict"]
        assert [b["algorithm"] for b in report["by_algorithm"]] == ["ppo", "a2c"]
        assert api.get("/models").json()["total"] == models_before  # nothing registered yet
        listed = api.get("/studies").json()
        assert study_id in [s["study_id"] for s in listed["items"]]

        assert report["best"] is not None  # the seeded trials trade, so Sharpe is defined
        resp = api.post(f"{path}/register", json={"model_name": "it-study-best"})
        assert resp.status_code == 201, resp.text
        registered = resp.json()
        assert registered["trial"] == report["best"]["number"] and registered["version"] == 1
        model = api.get(f"/models/{registered['model_id']}").json()
        meta = model["metadata"]
        assert meta["checksum"] == model["checksum"]
        assert meta["study"]["study_id"] == study_id and meta["study"]["n_trials"] == 4
        assert meta["algorithm"] == report["best"]["algorithm"]
        assert meta["metrics"]["oos_sharpe"] == pytest.approx(
            report["best"]["metrics"]["oos_sharpe"]
        )
        assert api.get(path).json()["model_id"] == registered["model_id"]
        sim = api.post("/simulations", json={"model_id": model["id"], "source": "builtin",
                                             "symbols": ["SP500"], "start": "2016-01-01",
                                             "end": "2016-12-31"})  # fmt: skip
        assert sim.status_code == 202, sim.text
