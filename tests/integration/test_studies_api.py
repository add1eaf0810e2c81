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


def test_a_study_goes_on_after_its_worker_is_killed_mid_trial(stack: Stack) -> None:
    """The only worker taking training work dies (SIGKILL to its group) while a trial trains:
    the watchdog queues the study again, the stored trials are kept, the killed trial is failed
    in Optuna and a new one takes its place on the surviving worker; the study succeeds."""
    import signal
    import socket

    import optuna
    from optuna.trial import TrialState

    from tests.support.processes import start_worker
    from trainer.studies.storage import optuna_storage

    regular = [f"training@{socket.gethostname()}"]
    control = stack.celery().control
    control.cancel_consumer("training", reply=True, destination=regular)

    def regular_stopped_taking_training() -> bool:
        queues = control.inspect(destination=regular, timeout=1).active_queues() or {}
        return bool(queues) and all(
            "training" not in {q["name"] for q in found} for found in queues.values()
        )

    wait_until(regular_stopped_taking_training, 30, "the regular worker off the training queue")
    victim = start_worker(
        "victim", "training", {**stack.env, "TEST_WORKER_NAME": "worker-victim"}, stack.log_dir, 1
    )
    slow = {**STUDY, "algorithms": ["a2c"], "n_trials": 3, "search_space": {},
            "hyperparameters": {"total_timesteps": 30_000, "n_envs": 4}}  # fmt: skip
    try:
        with httpx.Client(base_url=stack.gateway_url + "/api/v1", timeout=60) as api:
            resp = api.post("/studies", json=slow)
            assert resp.status_code == 202, resp.text
            study_id = resp.json()["study_id"]
            storage = optuna_storage(stack.settings.sqlalchemy_url)

            def running() -> bool:
                study = optuna.load_study(study_name=study_id, storage=storage)
                return any(t.state == TrialState.RUNNING for t in study.get_trials())

            wait_until(running, 120, "a trial running on the victim")
            victim.kill_group(signal.SIGKILL)
            control.add_consumer("training", reply=True, destination=regular)
            path = f"/studies/{study_id}"
            wait_until(lambda: api.get(path).json()["status"] in FINAL, 240, path)
            study = api.get(path).json()
    finally:
        control.add_consumer("training", reply=True, destination=regular)
        victim.stop()
    assert study["status"] == "succeeded", study
    assert study["report"]["n_trials"] + study["report"]["n_failed"] == 3
    job = httpx.get(f"{stack.gateway_url}/api/v1/jobs/{study['job_id']}").json()
    assert job["attempts"] >= 2, job
    states = [t.state for t in optuna.load_study(study_name=study_id, storage=storage).trials]
    assert states.count(TrialState.FAIL) >= 1, states  # the killed trial, failed when re-run
    assert TrialState.RUNNING not in states, states


def test_a_cancelled_study_stops_and_has_nothing_to_register(stack: Stack) -> None:
    slow = {**STUDY, "algorithms": ["a2c"], "n_trials": 3, "search_space": {},
            "hyperparameters": {"total_timesteps": 1_000_000, "n_envs": 4}}  # fmt: skip
    with httpx.Client(base_url=stack.gateway_url + "/api/v1", timeout=60) as api:
        resp = api.post("/studies", json=slow)
        assert resp.status_code == 202, resp.text
        study_id, job_id = resp.json()["study_id"], resp.json()["job"]["id"]
        path = f"/studies/{study_id}"
        wait_until(lambda: api.get(path).json()["status"] == "running", 60, "study running")
        assert api.post(f"/jobs/{job_id}/cancel").status_code in (200, 202)
        wait_until(lambda: api.get(path).json()["status"] in FINAL, 90, path)
        study = api.get(path).json()
        assert study["status"] == "cancelled", study
        assert study["report"] is None
        resp = api.post(f"{path}/register", json={"model_name": "it-study-cancelled"})
        assert resp.status_code == 409 and resp.json()["field"] == "study_id", resp.text
