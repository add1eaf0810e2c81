"""Drills 1 to 4: a worker's main process or its pool killed, a graceful stop, Redis killed."""

from __future__ import annotations

import signal

import httpx

from drills import procs
from drills.outcome import Outcome
from drills.runner import Drill
from drills.stack import Stack
from drills.workload import Submissions, submit_batch, wait_until_running

WORKERS = ("worker_simulation", "worker_training")


def _batch_then_running(stack: Stack, api: httpx.Client) -> Submissions:
    """The mixed batch, returned once a sweep or a training is running."""
    submitted, refused = submit_batch(api, stack.batch)
    wait_until_running(api, {"sweep", "training"})
    return submitted, refused


def kill_worker_main(stack: Stack, api: httpx.Client, outcome: Outcome) -> Submissions:
    """SIGKILL each worker's celery main process; supervise starts it again."""
    submitted, refused = _batch_then_running(stack, api)
    for name in WORKERS:
        pid = stack.command_pid(name)
        pool = procs.children(pid)
        procs.send(pid, signal.SIGKILL)
        new = stack.wait_restarted(name, pid)
        outcome.notes.append(f"{name}: main {pid} killed ({len(pool)} pool processes), now {new}")
    return submitted, refused


def kill_worker_pool(stack: Stack, api: httpx.Client, outcome: Outcome) -> Submissions:
    """SIGKILL every pool process of each worker; its main process stays."""
    submitted, refused = _batch_then_running(stack, api)
    for name in WORKERS:
        main = stack.command_pid(name)
        pool = [p.pid for p in procs.children(main)]
        for pid in pool:
            procs.send(pid, signal.SIGKILL)
        outcome.notes.append(f"{name}: pool processes {pool} killed")
    return submitted, refused


def stop_worker(stack: Stack, api: httpx.Client, outcome: Outcome) -> Submissions:
    """SIGTERM each worker (Celery's warm shutdown); supervise starts it again when it exits."""
    submitted, refused = _batch_then_running(stack, api)
    pids = {name: stack.command_pid(name) for name in WORKERS}
    for pid in pids.values():
        procs.send(pid, signal.SIGTERM)
    for name, pid in pids.items():
        new = stack.wait_restarted(name, pid, timeout_s=180)
        outcome.notes.append(f"{name}: {pid} stopped by SIGTERM, now {new}")
    return submitted, refused


def kill_redis(stack: Stack, api: httpx.Client, outcome: Outcome) -> Submissions:
    """SIGKILL redis-server (it keeps nothing on disk); supervise starts a new, empty one."""
    submitted, refused = _batch_then_running(stack, api)
    pid = stack.command_pid("redis")
    procs.send(pid, signal.SIGKILL)
    new = stack.wait_restarted("redis", pid)
    outcome.notes.append(f"redis-server {pid} killed, now {new} (empty)")
    return submitted, refused


DRILLS = [
    Drill("worker-main-kill", "SIGKILL each worker's main process", kill_worker_main, quick=True),
    Drill("worker-pool-kill", "SIGKILL each worker's pool processes", kill_worker_pool),
    Drill("worker-sigterm", "SIGTERM each worker (warm shutdown)", stop_worker),
    Drill("redis-kill", "SIGKILL Redis and let it restart empty", kill_redis, quick=True),
]
