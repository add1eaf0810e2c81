"""A real Celery worker for the tests: the services' jobs plus a slow, controllable one."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from celery.signals import setup_logging as celery_setup_logging

from shared.config import get_settings
from shared.errors import ValidationError
from shared.jobs.celery_app import make_celery
from shared.jobs.fanout import dispatch, register_fanout
from shared.jobs.worker_runtime import Detached, JobContext, WorkerRuntime, register_jobs
from shared.logs import setup_logging
from simulator.tasks import register_simulation_jobs
from trainer.tasks import register_training_jobs


def sleeper(ctx: JobContext) -> dict[str, Any]:
    """Sleeps `steps` x `step_s`, reporting progress; writes its pid so a test can kill it."""
    if pid_file := ctx.params.get("pid_file"):
        Path(pid_file).write_text(f"{os.getpid()} {ctx.attempt.number}\n")
    steps = int(ctx.params.get("steps", 5))
    for i in range(steps):
        time.sleep(float(ctx.params.get("step_s", 0.1)))
        ctx.progress((i + 1) / steps, f"step {i + 1} of {steps}")
    return {"steps": steps, "pid": os.getpid()}


def failer(ctx: JobContext) -> dict[str, Any]:
    """Fails the way a job with bad input does."""
    raise ValidationError(f"symbol {ctx.params.get('symbol')!r} is not known", field="symbol")


def fan_coordinator(ctx: JobContext) -> Detached:
    """Splits sum(i*i for i < n*10) into n chunks of ten numbers each."""
    return dispatch(ctx, "test_fan", ctx.params["owner_id"], int(ctx.params["n"]))


def fan_chunk(runtime: WorkerRuntime, owner_id: str, idx: int) -> dict[str, Any]:
    if idx == int(os.environ.get("TEST_FAN_FAIL_CHUNK", "-1")) or owner_id.startswith("fail-"):
        raise ValidationError("this chunk's data is bad", field="chunk")
    time.sleep(0.05)
    return {"sum": sum(i * i for i in range(idx * 10, idx * 10 + 10))}


def fan_finalize(runtime: WorkerRuntime, owner_id: str, results: list[dict]) -> dict[str, Any]:
    return {"total": sum(r["sum"] for r in results), "chunks": len(results)}


TEST_JOBS = {"test_sleep": sleeper, "test_fail": failer, "test_fan": fan_coordinator}

settings = get_settings()
app = make_celery("test-worker", settings)
runtime = WorkerRuntime(settings)
register_simulation_jobs(app, runtime)
register_training_jobs(app, runtime)
register_jobs(app, TEST_JOBS, runtime)
register_fanout(app, "test_fan", fan_chunk, fan_finalize, runtime)


@celery_setup_logging.connect
def _configure_logging(**_: object) -> None:
    setup_logging(os.environ.get("TEST_WORKER_NAME", "worker-test"), settings.logs_path, "INFO")
