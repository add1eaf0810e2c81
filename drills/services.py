"""Drills 5 and 6: services killed under a burst of submissions; the gateway restarted under
live event streams."""

from __future__ import annotations

import random
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from drills import procs
from drills.outcome import Outcome
from drills.runner import Drill
from drills.sse import Followed, follow
from drills.stack import Stack
from drills.workload import (
    SIMULATION,
    SWEEP,
    TRAINING,
    Refused,
    Submissions,
    Submitted,
    split,
    submit,
    submit_batch,
    wait_until_running,
)

BURST = 300
BURST_THREADS = 32
KILL_AFTER = (60, 180)  # the services are killed when this many submissions have their 202
SMALL_SWEEP = {**SWEEP, "grid": {"fast": [5, 10, 20], "slow": [60, 100]}, "chunk_size": 2}
SHORT_SIMULATION = {**SIMULATION, "start": "2012-01-01"}


def _burst_plan() -> list[tuple[str, dict[str, Any]]]:
    """300 submissions, mostly simulations, with sweeps and trainings spread among them."""
    plan: list[tuple[str, dict[str, Any]]] = [("training", TRAINING)] * 6
    plan += [("sweep", SMALL_SWEEP)] * 6
    plan += [
        ("simulation", {**SHORT_SIMULATION, "params": {"fast": 5 + i % 30, "slow": 60 + i % 90}})
        for i in range(BURST - len(plan))
    ]
    random.Random(9).shuffle(plan)
    return plan


def kill_services_under_load(stack: Stack, api: httpx.Client, outcome: Outcome) -> Submissions:
    """300 concurrent submissions; SIGKILL the simulator and trainer twice while they arrive."""
    accepted = [0]
    lock = threading.Lock()

    def one(item: tuple[str, dict[str, Any]]) -> Submitted | Refused:
        result = submit(api, *item, retry_for_s=120)
        if isinstance(result, Submitted):
            with lock:
                accepted[0] += 1
        return result

    with ThreadPoolExecutor(BURST_THREADS) as pool:
        futures = [pool.submit(one, item) for item in _burst_plan()]
        for threshold in KILL_AFTER:
            while accepted[0] < threshold and not all(f.done() for f in futures):
                time.sleep(0.05)
            for name in ("simulator", "trainer"):
                pid = stack.command_pid(name)
                procs.send(pid, signal.SIGKILL)
                new = stack.wait_restarted(name, pid)
                outcome.notes.append(f"{name} {pid} killed after {accepted[0]} accepted, now {new}")
        submitted, refused = split(f.result() for f in futures)
    return submitted, refused


def restart_gateway_under_streams(stack: Stack, api: httpx.Client, outcome: Outcome) -> Submissions:
    """An event stream per job; the gateway is stopped (SIGTERM), then killed (SIGKILL) while
    they are open. Every stream must end with its job's final event."""
    submitted, refused = submit_batch(api, stack.batch)
    streams: list[Followed] = []
    threads = []
    for item in submitted:
        thread = threading.Thread(
            target=lambda job_id=item.job_id: streams.append(
                follow(stack.api_url, job_id, timeout_s=400, headers=dict(api.headers))
            ),
            daemon=True,
        )
        thread.start()
        threads.append(thread)
    wait_until_running(api, {"sweep", "training"})
    for sig in (signal.SIGTERM, signal.SIGKILL):
        pid = stack.command_pid("gateway")
        procs.send(pid, sig)
        new = stack.wait_restarted("gateway", pid)
        outcome.notes.append(f"gateway {pid} sent {sig.name}, now {new}")
        stack.wait_healthy(timeout_s=120)
        time.sleep(2)  # let the streams reconnect before the next restart
    for thread in threads:
        thread.join(timeout=420)
    _check_streams(api, streams, len(submitted), outcome)
    return submitted, refused


def _check_streams(
    api: httpx.Client, streams: list[Followed], expected: int, outcome: Outcome
) -> None:
    if len(streams) != expected:
        outcome.problems.append(f"{expected - len(streams)} event streams never returned")
    for seen in streams:
        final = seen.final
        job = api.get(f"/jobs/{seen.job_id}").json()
        if final is None:
            outcome.problems.append(f"stream of job {seen.job_id} ended without a final event "
                                    f"({seen.error or 'closed'})")  # fmt: skip
        elif final["status"] != job["status"]:
            outcome.problems.append(
                f"stream of job {seen.job_id} ended {final['status']}, the job is {job['status']}"
            )
    resumed = sum(1 for s in streams if s.connections > 1)
    outcome.notes.append(
        f"{len(streams)} event streams, {resumed} reconnected with Last-Event-ID, "
        f"{sum(1 for s in streams if s.final)} ended with the job's final event"
    )


DRILLS = [
    Drill(
        "service-kill-burst",
        f"SIGKILL the simulator and trainer (twice) during {BURST} concurrent submissions",
        kill_services_under_load,
        timeout_s=900,
    ),
    Drill(
        "gateway-restart-sse",
        "restart the gateway (SIGTERM, then SIGKILL) under live streams",
        restart_gateway_under_streams,
    ),
]
