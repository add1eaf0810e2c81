"""The Celery application every service and worker builds from settings."""

from __future__ import annotations

from celery import Celery

from shared.config import Settings

BROKER_CONNECT_TIMEOUT_S = 1.5


def make_celery(name: str, settings: Settings) -> Celery:
    """A Celery app on the platform's Redis with at-least-once delivery.

    acks_late + reject_on_worker_lost: a task is not lost with its worker process; prefetch 1: a
    busy worker does not hoard jobs another worker could run. Dead workers' jobs are brought back
    by the gateway's watchdog (queued again after JOB_HEARTBEAT_TIMEOUT_S without a heartbeat);
    the broker's own redelivery (at once for a dead pool process, after the visibility timeout
    for a dead worker) is a backstop, ignored by the worker while the job is alive elsewhere or
    ended (see worker_runtime._start_attempt). A short connect timeout and one quick publish
    retry: with Redis down, a submission answers 503 within about two seconds instead of hanging
    the request (its job row is failed, see submit_job).
    """
    app = Celery(name, broker=settings.redis_url, backend=settings.redis_url)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        task_ignore_result=True,
        result_expires=24 * 3600,
        broker_transport_options={
            "visibility_timeout": settings.broker_visibility_timeout_s,
            "socket_connect_timeout": BROKER_CONNECT_TIMEOUT_S,
        },
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
        worker_redirect_stdouts=False,
        enable_utc=True,
        task_publish_retry_policy={"max_retries": 1, "interval_start": 0.2, "interval_step": 0.5},
    )
    return app
