"""What a drill submits through the gateway, how it waits, and how it checks the results.

A submission retries on 502, 503 and connection errors with the same Idempotency-Key, and after
a 429's Retry-After, as a well-behaved client does; it counts as submitted once it got a 202, and as refused when it never
did (reported, not lost).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import httpx

from drills.stack import Batch

FINAL = {"succeeded", "failed", "cancelled"}
COSTS = {"commission_rate": 0.0005, "slippage_bps": 2}
# Builtin data only: no network. Small enough for a 2-core machine, long enough to be hit mid-run.
SIMULATION: dict[str, Any] = {
    "strategy": "sma_crossover", "params": {"fast": 20, "slow": 100}, "source": "builtin",
    "symbols": ["SP500"], "start": "2005-01-01", "end": "2018-12-31", "costs": COSTS,
}  # fmt: skip
SWEEP: dict[str, Any] = {
    "strategy": "sma_crossover", "source": "builtin", "symbols": ["SP500"],
    "start": "2005-01-01", "end": "2015-12-31", "costs": COSTS, "chunk_size": 5,
    "grid": {"fast": {"start": 5, "stop": 50, "step": 5}, "slow": [60, 100, 150, 200]},
}  # fmt: skip
TRAINING: dict[str, Any] = {
    "model_name": "chaos-xgb-sp500", "algorithm": "xgboost",
    "hyperparameters": {"n_estimators": 80, "max_depth": 3}, "source": "builtin",
    "symbols": ["SP500"], "start": "2010-01-01", "end": "2016-12-31",
    "validation": {"n_folds": 3, "embargo_bars": 2}, "costs": COSTS, "seed": 3,
}  # fmt: skip
ENDPOINTS = {"simulation": "/simulations", "sweep": "/sweeps", "training": "/trainings"}
ID_FIELDS = {"simulation": "simulation_id", "sweep": "sweep_id", "training": "training_id"}
RETRY_STATUSES = {429, 502, 503}


@dataclass(frozen=True)
class Submitted:
    """A submission that got its 202: the job and the resource it fills in."""

    kind: str
    job_id: str
    resource_id: str


@dataclass(frozen=True)
class Refused:
    """A submission that never got a 202 after its retries, and why."""

    kind: str
    reason: str


Submissions = tuple[list[Submitted], list[Refused]]


def client(api_url: str, api_key: str, timeout_s: float = 30.0) -> httpx.Client:
    return httpx.Client(base_url=api_url, headers={"X-API-Key": api_key}, timeout=timeout_s)


def submit(
    api: httpx.Client, kind: str, body: dict[str, Any], *, retry_for_s: float = 90.0
) -> Submitted | Refused:
    """POST one job; retried with the same Idempotency-Key while the platform is unavailable."""
    key = {"Idempotency-Key": f"chaos-{uuid.uuid4().hex}"}
    deadline, wait_s, reason = time.monotonic() + retry_for_s, 0.25, ""
    while True:
        try:
            response = api.post(ENDPOINTS[kind], json=body, headers=key)
        except httpx.TransportError as exc:
            reason = f"connection error ({type(exc).__name__})"
        else:
            if response.status_code == 202:
                answer = response.json()
                return Submitted(kind, answer["job"]["id"], answer[ID_FIELDS[kind]])
            reason = f"{response.status_code}: {_detail(response)}"
            if response.status_code not in RETRY_STATUSES:
                return Refused(kind, reason)
            if retry_after := response.headers.get("Retry-After", "").strip():
                wait_s = float(retry_after) if retry_after.isdigit() else wait_s
        if time.monotonic() + wait_s > deadline:
            return Refused(kind, f"{reason} (gave up after {retry_for_s:.0f} s of retries)")
        time.sleep(wait_s)
        wait_s = min(wait_s * 2, 4.0)


def _detail(response: httpx.Response) -> str:
    try:
        return str(response.json().get("detail", ""))[:160]
    except ValueError:
        return response.text[:160]


def submit_batch(api: httpx.Client, batch: Batch) -> Submissions:
    """A mixed batch: sweeps and trainings first (the long ones), then simulations."""
    plan = [("sweep", SWEEP)] * batch.sweeps + [("training", TRAINING)] * batch.trainings
    plan += [("simulation", _varied(SIMULATION, i)) for i in range(batch.simulations)]
    return split(submit(api, kind, body) for kind, body in plan)


def _varied(body: dict[str, Any], i: int) -> dict[str, Any]:
    """The simulation with its own parameters, so results differ from one job to the next."""
    return {**body, "params": {"fast": 10 + i % 20, "slow": 100 + 5 * (i % 10)}}


def split(outcomes: Iterable[Submitted | Refused]) -> Submissions:
    done: list[Submitted] = []
    refused: list[Refused] = []
    for outcome in outcomes:
        (done if isinstance(outcome, Submitted) else refused).append(outcome)  # type: ignore[arg-type]
    return done, refused


def wait_until_running(api: httpx.Client, kinds: set[str], timeout_s: float = 120.0) -> list[dict]:
    """The running jobs, once one of `kinds` runs (so a fault hits work in progress)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            running = api.get("/jobs", params={"status": "running", "limit": 100}).json()["items"]
        except (httpx.HTTPError, ValueError, KeyError):
            running = []
        if any(job["kind"] in kinds for job in running):
            return running
        time.sleep(0.2)
    raise TimeoutError(f"no {sorted(kinds)} job running after {timeout_s:.0f} s")


def wait_final(
    api: httpx.Client, submitted: list[Submitted], timeout_s: float
) -> dict[str, dict | None]:
    """Each job's last state once all are final or the deadline passed; None: the row is gone."""
    last: dict[str, dict | None] = {}
    pending = {s.job_id for s in submitted}
    deadline = time.monotonic() + timeout_s
    while pending and time.monotonic() < deadline:
        for job_id in sorted(pending):
            try:
                response = api.get(f"/jobs/{job_id}")
            except httpx.TransportError:
                break  # the gateway is restarting: try again next round
            if response.status_code == 404:
                last[job_id] = None
                pending.discard(job_id)
            elif response.status_code == 200:
                last[job_id] = job = response.json()
                if job["status"] in FINAL:
                    pending.discard(job_id)
        if pending:
            time.sleep(1.0)
    return last


def result_complete(api: httpx.Client, item: Submitted) -> bool:
    """The succeeded job's result reads back whole: summary and trades, report, or model."""
    try:
        if item.kind == "simulation":
            summary = api.get(f"/simulations/{item.resource_id}")
            trades = api.get(f"/simulations/{item.resource_id}/trades", params={"limit": 1})
            body = summary.json()
            return (
                summary.status_code == 200 and trades.status_code == 200
                and body.get("portfolio_end") is not None
                and trades.json()["total"] == body.get("total_trades")
            )  # fmt: skip
        if item.kind == "sweep":
            sweep = api.get(f"/sweeps/{item.resource_id}").json()
            return bool(sweep.get("result")) and sweep["result"].get("best") is not None
        training = api.get(f"/trainings/{item.resource_id}").json()
        model_id = training.get("model_id")
        return model_id is not None and api.get(f"/models/{model_id}").status_code == 200
    except (httpx.HTTPError, ValueError, KeyError, TypeError):
        return False
