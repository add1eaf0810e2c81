"""An RL agent through the gateway: PPO trains a few thousand timesteps on builtin data into a
registered model with out-of-sample figures; a simulation with it gives summary, trades and
equity; a stress test replays it on
resampled markets; a sweep is refused (an agent has no parameters); a cancelled training leaves nothing."""

from __future__ import annotations

import httpx
import pytest

from tests.support.processes import wait_until
from tests.support.stack import Stack

pytestmark = pytest.mark.integration

FINAL = {"succeeded", "failed", "cancelled"}
HYPER = {"total_timesteps": 2048, "n_steps": 64, "n_envs": 8, "n_epochs": 2}
PPO = {
    "model_name": "it-ppo-sp500", "algorithm": "ppo", "source": "builtin", "symbols": ["SP500"],
    "start": "2008-01-01", "end": "2015-12-31", "seed": 7,
    "hyperparameters": HYPER,
    "environment": {"episode_bars": 128, "eval_start": "2014-01-01"},
    "costs": {"commission_rate": 0.0005},
}  # fmt: skip


def _wait(api: httpx.Client, path: str) -> dict:
    wait_until(lambda: api.get(path).json()["status"] in FINAL, 180, path)
    return api.get(path).json()


def test_ppo_trains_registers_and_drives_a_simulation(stack: Stack) -> None:
    with httpx.Client(base_url=stack.gateway_url + "/api/v1", timeout=60) as api:
        resp = api.post("/trainings", json=PPO)
        assert resp.status_code == 202, resp.text
        training = _wait(api, f"/trainings/{resp.json()['training_id']}")
        assert training["status"] == "succeeded", training
        model = api.get(f"/models/{training['model_id']}").json()
        assert (model["framework"], model["task"]) == ("stable-baselines3", "reinforcement")
        meta = model["metadata"]
        assert meta["checksum"] == model["checksum"]
        assert {"oos_sharpe", "oos_total_return_pct", "buy_and_hold_sharpe"} <= set(meta["metrics"])
        assert meta["validation"]["evaluation"]["start"] >= "2014-01-01"
        assert meta["validation"]["train"]["end"] < "2014-01-01"
        assert training["report"]["training"]["timesteps_per_s"] > 0
        assert training["report"]["curve"]

        sim_req = {"model_id": model["id"], "source": "builtin", "symbols": ["SP500"],
                   "start": "2016-01-01", "end": "2017-12-31"}  # fmt: skip
        resp = api.post("/simulations", json=sim_req)
        assert resp.status_code == 202, resp.text
        sim = _wait(api, f"/simulations/{resp.json()['simulation_id']}")
        assert sim["status"] == "succeeded", sim
        assert sim["model_used"] == "it-ppo-sp500 v1" and sim["total_trades"] is not None
        equity = api.get(f"/simulations/{sim['simulation_id']}/equity").json()["items"]
        assert equity[-1]["equity"] == pytest.approx(sim["portfolio_end"])
        trades = api.get(f"/simulations/{sim['simulation_id']}/trades").json()
        assert trades["total"] == sim["total_trades"]

        sweep = api.post("/sweeps", json={**sim_req, "grid": {"long_above": [0.5, 0.6]}})
        assert sweep.status_code == 422 and sweep.json()["field"] == "grid.long_above"
        stress = api.post(
            f"/simulations/{sim['simulation_id']}/stress",
            json={"n_scenarios": 10, "chunk_size": 5, "seed": 1, "methods": ["bootstrap"]},
        )
        assert stress.status_code == 202, stress.text
        path = f"/simulations/{sim['simulation_id']}/stress/{stress.json()['stress_id']}"
        stressed = _wait(api, path)
        assert stressed["status"] == "succeeded", stressed
        assert stressed["result"]["all"]["n_scenarios"] == 10
        two = api.post("/simulations", json={**sim_req, "symbols": ["SP500", "NASDAQ"]})
        assert two.status_code == 422 and two.json()["field"] == "symbols"


def test_a_cancelled_agent_training_registers_nothing(stack: Stack) -> None:
    slow = {**PPO, "model_name": "it-ppo-cancelled",
            "hyperparameters": {**HYPER, "total_timesteps": 1_000_000}}  # fmt: skip
    with httpx.Client(base_url=stack.gateway_url + "/api/v1", timeout=60) as api:
        resp = api.post("/trainings", json=slow)
        assert resp.status_code == 202, resp.text
        job_id, training_id = resp.json()["job"]["id"], resp.json()["training_id"]
        wait_until(lambda: "timesteps" in api.get(f"/jobs/{job_id}").json()["message"], 120,
                   "the agent training")  # fmt: skip
        assert api.post(f"/jobs/{job_id}/cancel").status_code == 200
        training = _wait(api, f"/trainings/{training_id}")
        assert training["status"] == "cancelled" and training["model_id"] is None
        assert api.get("/models", params={"name": "it-ppo-cancelled"}).json()["total"] == 0
    assert not (stack.settings.artifacts_path / "it-ppo-cancelled").exists()
