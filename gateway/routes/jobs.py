"""Jobs: list, get, cancel, and a live Server-Sent Events stream of a job's progress.

Each event's `id` is the job's `updated_at`, so a client that lost its stream (a gateway restart,
a dropped connection) reconnects with `Last-Event-ID`, as EventSource does by itself, and resumes:
the current state unless it already has it, then every change until the final one.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request
from sse_starlette import EventSourceResponse
from starlette.concurrency import run_in_threadpool

from gateway.deps import AsyncRedisDep, CeleryDep, DbDep, EventsDep, Limit, Offset, PrincipalDep
from shared.accounts.roles import ensure_modifiable
from shared.jobs.events import channel
from shared.jobs.submit import cancel_job
from shared.schemas.jobs import FINAL_STATUSES, JobOut, JobsPage, JobStatus, job_json
from shared.storage import jobs as store

router = APIRouter(prefix="/api/v1/jobs", tags=["jobs"])
REFRESH_S = 10.0  # re-read the row when quiet, in case a pub/sub message was missed
RETRY_MS = 1000  # how soon EventSource reconnects when the stream drops (default: ~3 s)
LastEventId = Annotated[
    str | None,
    Header(
        alias="Last-Event-ID", max_length=64,
        description="the `id` of the last event received: resume after it",
    ),
]  # fmt: skip


@router.get("", response_model=JobsPage)
def list_jobs(
    db: DbDep,
    principal: PrincipalDep,
    limit: Limit,
    offset: Offset = 0,
    kind: str | None = None,
    status: JobStatus | None = None,
) -> JobsPage:
    """Jobs, newest first, filtered by kind and status (a researcher's own, and the platform's)."""
    rows, total = store.list_page(
        db, kind=kind, status=status, limit=limit, offset=offset, scope=principal.scope
    )
    return JobsPage(
        items=[JobOut.model_validate(r) for r in rows], total=total, limit=limit, offset=offset
    )


@router.get("/{job_id}", response_model=JobOut)
def get_job(job_id: str, db: DbDep, principal: PrincipalDep) -> JobOut:
    """One job, with `result` or `error` once it is final."""
    return JobOut.model_validate(store.get(db, job_id, principal.scope))


@router.post("/{job_id}/cancel", response_model=JobOut)
def cancel(
    job_id: str, db: DbDep, celery: CeleryDep, events: EventsDep, principal: PrincipalDep
) -> JobOut:
    """Cancel a job: at once when queued; a running job stops at its next progress step."""

    def mine(job: Any) -> None:
        ensure_modifiable(principal, job.owner, store.not_found(job_id))

    return JobOut.model_validate(cancel_job(db, celery, events, job_id, check=mine))


@router.get(
    "/{job_id}/events",
    response_class=EventSourceResponse,
    responses={
        200: {
            "description": "One `job` event (a JobOut as JSON) per change, until it is final; "
            "each `id` is the job's `updated_at`, for `Last-Event-ID`",
            "content": {
                "text/event-stream": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "event": {"type": "string", "enum": ["job"]},
                            "data": {"type": "string", "description": "a JobOut as JSON"},
                            "id": {"type": "string"},
                            "retry": {"type": "integer"},
                        },
                        "required": ["event", "data"],
                    }
                }
            },
        }
    },
)
async def job_events(
    job_id: str, request: Request, db: DbDep, redis: AsyncRedisDep, principal: PrincipalDep,
    last_event_id: LastEventId = None,
) -> EventSourceResponse:  # fmt: skip
    """Server-Sent Events: a `job` event with the job's JSON on every change, until it is final.
    Reconnecting with `Last-Event-ID` resumes after that event."""
    await run_in_threadpool(store.get, db, job_id, principal.scope)  # 404 before the stream
    return EventSourceResponse(_stream(job_id, request, db, redis, last_event_id), ping=15)


def _event(job: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"event": "job", "id": job["updated_at"], "data": json.dumps(job), **extra}


async def _stream(
    job_id: str, request: Request, db: Any, redis: Any, last_event_id: str | None
) -> AsyncIterator[dict[str, Any]]:
    pubsub = redis.pubsub()
    # Subscribe before the snapshot so that nothing slips between.
    await pubsub.subscribe(channel(job_id))
    try:
        job = job_json(await run_in_threadpool(store.get, db, job_id))
        # A resuming client that has this state already is not sent it again, except a final
        # state: the stream always ends with the final event, whenever the client reconnects.
        if job["updated_at"] != last_event_id or job["status"] in FINAL_STATUSES:
            yield _event(job, retry=RETRY_MS)
        last_update = job["updated_at"]
        while job["status"] not in FINAL_STATUSES:
            if await request.is_disconnected():
                return
            message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=REFRESH_S)
            if message is not None:
                latest = json.loads(message["data"])
            else:
                latest = job_json(await run_in_threadpool(store.get, db, job_id))
            # Messages queued before the snapshot are older than it: never step back in time.
            if latest["updated_at"] <= last_update:
                continue
            job = latest
            last_update = job["updated_at"]
            yield _event(job)
    finally:
        await pubsub.unsubscribe()
        await pubsub.aclose()
