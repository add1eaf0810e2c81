"""Worker-side job lifecycle: turns a plain function `fn(ctx) -> result` into a Celery task.

The function does the work and reports progress through its JobContext; this module owns every
state transition, the heartbeat that lets the watchdog spot dead workers, and cancellation.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import redis
from celery import Celery, Task

from shared.config import Settings
from shared.data import MarketData, market_data_from
from shared.errors import AppError, JobCancelled
from shared.jobs.events import EventPublisher
from shared.jobs.presence import install_presence
from shared.logs import current_job_id
from shared.schemas.jobs import JobStatus
from shared.storage import jobs as store
from shared.storage.db import Database, utcnow
from shared.storage.tables import JobRow

log = logging.getLogger(__name__)


class JobLost(Exception):
    """The job was reaped or superseded while this attempt ran; stop without writing."""


class WorkerRuntime:
    """Per-process connections, made lazily so each forked pool process opens its own."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.celery: Celery | None = None  # set by register_jobs; fan-outs queue chunks with it

    @cached_property
    def db(self) -> Database:
        return Database(self.settings.sqlalchemy_url)

    @cached_property
    def redis(self) -> redis.Redis:
        return redis.Redis.from_url(self.settings.redis_url)

    @cached_property
    def events(self) -> EventPublisher:
        return EventPublisher(self.redis)

    @cached_property
    def market(self) -> MarketData:
        """Market data (one Redis pool for its bar cache), built on first use after the fork."""
        return market_data_from(self.settings)


@dataclass
class JobContext:
    """What a job function gets: its parameters, progress reporting and cancellation."""

    job_id: str
    params: dict[str, Any]
    runtime: WorkerRuntime
    attempt: store.Attempt

    @property
    def settings(self) -> Settings:
        return self.runtime.settings

    def progress(self, fraction: float, message: str = "") -> None:
        """Record progress (0..1) and a message; raises JobCancelled if the user cancelled."""
        fraction = min(max(float(fraction), 0.0), 1.0)
        if not store.update_attempt(
            self.runtime.db, self.attempt, progress=fraction, message=message
        ):
            raise JobLost(self.job_id)
        self._publish()
        self.check_cancelled()

    def check_cancelled(self) -> None:
        if store.is_cancel_requested(self.runtime.db, self.job_id):
            raise JobCancelled(self.job_id)

    def _publish(self) -> None:
        self.runtime.events.publish(store.get(self.runtime.db, self.job_id))


@dataclass(frozen=True)
class Detached:
    """Returned by a job that handed its work to other tasks (a fan-out); they will finish it."""

    message: str


JobFunction = Callable[[JobContext], "dict[str, Any] | Detached"]


def register_jobs(app: Celery, jobs: Mapping[str, JobFunction], runtime: WorkerRuntime) -> None:
    """Register each job function as a Celery task named after its kind; announce the worker."""
    if runtime.celery is not app:  # once per app, however many groups of jobs it registers
        runtime.celery = app
        install_presence(app, runtime.settings.redis_url)
    for kind, fn in jobs.items():
        # Not shared: a task is bound to this runtime, so another app must not inherit it.
        app.task(name=kind, bind=True, shared=False)(_make_task(fn, runtime))


def _make_task(fn: JobFunction, runtime: WorkerRuntime) -> Callable[[Task, str], None]:
    def run_job(task: Task, job_id: str) -> None:
        token = current_job_id.set(job_id)
        try:
            _run(fn, runtime, job_id, worker=task.request.hostname or "worker")
        finally:
            current_job_id.reset(token)

    run_job.__name__ = fn.__name__
    run_job.__doc__ = fn.__doc__
    return run_job


def _run(fn: JobFunction, runtime: WorkerRuntime, job_id: str, worker: str) -> None:
    attempt = _start_attempt(runtime, job_id, worker)
    if attempt is None:
        return
    ctx = JobContext(job_id, store.get(runtime.db, job_id).params, runtime, attempt)
    try:
        with heartbeat(runtime, attempt):
            result = fn(ctx)
    except JobCancelled:
        _finish(ctx, JobStatus.CANCELLED, message="cancelled by request")
    except JobLost:
        log.warning("job %s was taken over or reaped; this attempt stops", job_id)
    except AppError as exc:
        log.info("job %s failed: %s", job_id, exc.detail)
        _finish(ctx, JobStatus.FAILED, message="failed", error=exc.detail)
    except Exception as exc:
        log.exception("job %s crashed", job_id)
        _finish(ctx, JobStatus.FAILED, message="failed", error=f"{type(exc).__name__}: {exc}")
    else:
        if isinstance(result, Detached):
            store.update_attempt(
                runtime.db, ctx.attempt, message=result.message, heartbeat_at=utcnow(),
                detached=True,
            )  # fmt: skip
            ctx._publish()
        else:
            _finish(ctx, JobStatus.SUCCEEDED, message="done", progress=1.0, result=result)


def _start_attempt(runtime: WorkerRuntime, job_id: str, worker: str) -> store.Attempt | None:
    """Claim the job for this delivery; None when there is nothing to run.

    Every delivery of a job's task goes through here, so duplicates are harmless: a job is taken
    when queued, or when running on a worker that died (no heartbeat for the timeout: the
    broker's late redelivery, when no watchdog queued it first). A delivery for a job alive on
    another worker, or final, is ignored.
    """
    try:
        job = store.get(runtime.db, job_id)
    except AppError:
        log.error("task for unknown job %s dropped", job_id)
        return None
    if store.is_final(job) or _alive_elsewhere(runtime, job):
        log.info("job %s is %s on %s; delivery ignored", job_id, job.status, job.worker)
        return None
    expected = {"status": job.status, "attempts": job.attempts, "heartbeat_at": job.heartbeat_at}
    # Claimed from the state just read: of two deliveries that read one job, one wins.
    row = store.update_if(runtime.db, job_id, expected, **_claim(runtime, job, worker))
    if row is None:
        log.info("job %s was claimed or changed by another delivery; this one is ignored", job_id)
        return None
    runtime.events.publish(row)
    if row.status != JobStatus.RUNNING:
        return None
    log.info("job %s started on %s (attempt %d)", job_id, worker, row.attempts)
    return store.Attempt(job_id, row.attempts)


def _alive_elsewhere(runtime: WorkerRuntime, job: JobRow) -> bool:
    """Running with a heartbeat younger than the timeout: its attempt lives on, leave it be."""
    if job.status != JobStatus.RUNNING or job.heartbeat_at is None:
        return False
    silent_s = (utcnow() - job.heartbeat_at).total_seconds()
    return silent_s < runtime.settings.job_heartbeat_timeout_s


def _claim(runtime: WorkerRuntime, job: JobRow, worker: str) -> dict[str, Any]:
    """The row's new values: the next attempt, or the end the job has come to."""
    now = utcnow()
    if job.cancel_requested:
        return dict(status=JobStatus.CANCELLED, finished_at=now, message="cancelled by request")
    if job.attempts >= runtime.settings.job_max_attempts:
        return dict(
            status=JobStatus.FAILED, finished_at=now, message="failed",
            error=f"the worker running this job died {job.attempts} times "
            f"(last on {job.worker}); giving up — check the worker logs and resubmit",
        )  # fmt: skip
    attempt = job.attempts + 1
    return dict(
        status=JobStatus.RUNNING, attempts=attempt, worker=worker, detached=False,
        started_at=job.started_at or now, heartbeat_at=now,
        message=f"restarted after a lost worker (attempt {attempt})" if attempt > 1
        else "running",
    )  # fmt: skip


def _finish(ctx: JobContext, status: JobStatus, **values: Any) -> None:
    finish_attempt(ctx.runtime, ctx.attempt, status, **values)


def finish_attempt(
    runtime: WorkerRuntime, attempt: store.Attempt, status: JobStatus, **values: Any
) -> None:
    """Move the job to a final status if `attempt` still holds it, and tell the listeners."""
    if store.update_attempt(runtime.db, attempt, status=status, finished_at=utcnow(), **values):
        runtime.events.publish(store.get(runtime.db, attempt.job_id))
        log.info("job %s %s", attempt.job_id, status)


@contextlib.contextmanager
def heartbeat(runtime: WorkerRuntime, attempt: store.Attempt) -> Iterator[None]:
    """Keep `attempt` alive in the watchdog's eyes while the block runs."""
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(runtime.settings.job_heartbeat_interval_s):
            try:
                store.update_attempt(runtime.db, attempt, heartbeat_at=utcnow())
            except Exception as exc:  # the next beat may succeed; the watchdog judges silence
                log.warning("heartbeat of job %s failed: %s", attempt.job_id, exc)

    thread = threading.Thread(target=beat, daemon=True, name=f"heartbeat-{attempt.job_id}")
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)
