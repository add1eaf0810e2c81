"""Fan a job out over the workers in chunks (a Celery chord), storing each chunk as it finishes.

The coordinating job records which chunks exist; a chunk's result is a database row written when
it finishes, so a resumed job (after a lost worker or a restart) recomputes only missing chunks.
Chunk tasks keep the parent job's heartbeat and progress; the chord's callback finishes the job.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from celery import Celery, Task, chord

from shared.errors import AppError
from shared.jobs.worker_runtime import (
    Detached,
    JobContext,
    WorkerRuntime,
    finish_attempt,
    heartbeat,
)
from shared.logs import current_job_id
from shared.schemas.jobs import JobStatus
from shared.storage import chunks
from shared.storage import jobs as store
from shared.storage.db import utcnow

log = logging.getLogger(__name__)

ChunkFunction = Callable[[WorkerRuntime, str, int], dict[str, Any]]
FinalizeFunction = Callable[[WorkerRuntime, str, list[dict[str, Any]]], dict[str, Any]]


def dispatch(ctx: JobContext, name: str, owner_id: str, n_chunks: int) -> Detached:
    """Queue the chunks of `owner_id` not yet done, with a callback that finishes the job."""
    app = ctx.runtime.celery
    assert app is not None, "register_jobs() sets the worker's Celery app"
    missing = sorted(set(range(n_chunks)) - chunks.done(ctx.runtime.db, owner_id))
    queue = store.get(ctx.runtime.db, ctx.job_id).queue
    args = [ctx.job_id, ctx.attempt.number, owner_id, n_chunks]
    callback = app.signature(f"{name}.finalize", args=args, immutable=True, queue=queue)
    if not missing:
        callback.apply_async()
        return Detached(f"all {n_chunks} chunks already done; combining them")
    header = [app.signature(f"{name}.chunk", args=[*args, i], queue=queue) for i in missing]
    chord(header)(callback)
    done = n_chunks - len(missing)
    return Detached(f"{len(missing)} of {n_chunks} chunks queued ({done} kept from before)")


def register_fanout(
    app: Celery, name: str, chunk_fn: ChunkFunction, finalize_fn: FinalizeFunction,
    runtime: WorkerRuntime,
) -> None:  # fmt: skip
    """Register `<name>.chunk` and `<name>.finalize` tasks around plain functions."""

    @app.task(name=f"{name}.chunk", bind=True, ignore_result=False)
    def run_chunk(
        task: Task, job_id: str, attempt_no: int, owner_id: str, n: int, idx: int
    ) -> None:
        attempt = store.Attempt(job_id, attempt_no)
        token = current_job_id.set(job_id)
        try:
            if _still_running(runtime, attempt) and idx not in chunks.done(runtime.db, owner_id):
                with heartbeat(runtime, attempt):
                    result = chunk_fn(runtime, owner_id, idx)
                chunks.save(runtime.db, owner_id, idx, result, task.request.hostname or "worker")
                done = chunks.count_done(runtime.db, owner_id)
                if store.update_attempt(
                    runtime.db, attempt, progress=done / n, heartbeat_at=utcnow(),
                    message=f"{done} of {n} chunks done",
                ):  # fmt: skip
                    runtime.events.publish(store.get(runtime.db, job_id))
        except Exception as exc:
            _fail(runtime, attempt, f"chunk {idx} failed", exc)
        finally:
            current_job_id.reset(token)

    @app.task(name=f"{name}.finalize", bind=True)
    def run_finalize(task: Task, job_id: str, attempt_no: int, owner_id: str, n: int) -> None:
        attempt = store.Attempt(job_id, attempt_no)
        token = current_job_id.set(job_id)
        try:
            if _still_running(runtime, attempt):
                with heartbeat(runtime, attempt):
                    result = finalize_fn(
                        runtime, owner_id, chunks.all_results(runtime.db, owner_id, n)
                    )
                finish_attempt(
                    runtime,
                    attempt,
                    JobStatus.SUCCEEDED,
                    progress=1.0,
                    message="done",
                    result=result,
                )
        except Exception as exc:
            _fail(runtime, attempt, "combining the chunks failed", exc)
        finally:
            current_job_id.reset(token)


def _still_running(runtime: WorkerRuntime, attempt: store.Attempt) -> bool:
    """False when the job ended or was taken over; a cancel request ends it here."""
    job = store.get(runtime.db, attempt.job_id)
    if job.status != JobStatus.RUNNING or job.attempts != attempt.number:
        return False
    if job.cancel_requested:
        finish_attempt(runtime, attempt, JobStatus.CANCELLED, message="cancelled by request")
        return False
    return True


def _fail(runtime: WorkerRuntime, attempt: store.Attempt, what: str, exc: Exception) -> None:
    if isinstance(exc, AppError):
        detail = exc.detail
    else:
        log.exception("%s in job %s", what, attempt.job_id)
        detail = f"{type(exc).__name__}: {exc}"
    finish_attempt(runtime, attempt, JobStatus.FAILED, message="failed", error=f"{what}: {detail}")
