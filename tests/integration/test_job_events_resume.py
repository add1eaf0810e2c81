"""A job's event stream resumes after a dropped connection: Last-Event-ID, as EventSource sends."""

from __future__ import annotations

import httpx
import pytest

from drills.sse import Event, follow, parse
from shared.jobs.submit import submit_job
from shared.storage import jobs as store
from tests.support.processes import wait_until
from tests.support.stack import QueuePause, Stack

pytestmark = pytest.mark.integration


CLIENT = httpx.Client(timeout=30)


def _open(stack: Stack, job_id: str, last_event_id: str | None = None) -> httpx.Response:
    """The stream's response, its headers read (the server has started it), its body not yet."""
    headers = {"Last-Event-ID": last_event_id} if last_event_id else {}
    url = f"{stack.gateway_url}/api/v1/jobs/{job_id}/events"
    return CLIENT.send(CLIENT.build_request("GET", url, headers=headers), stream=True)


def _first(stack: Stack, job_id: str, last_event_id: str | None = None) -> list[Event]:
    """The stream's first event; the connection is then dropped, as a restart would."""
    response = _open(stack, job_id, last_event_id)
    try:
        return [next(parse(response.iter_lines()))]
    finally:
        response.close()


def test_a_reconnecting_client_resumes_after_its_last_event(stack: Stack) -> None:
    pause = QueuePause(stack)
    try:
        job, _ = submit_job(
            stack.db, stack.celery(), kind="test_sleep", queue="simulation",
            params={"steps": 4, "step_s": 0.2},
        )  # fmt: skip
        [queued] = _first(stack, job.id)
        assert queued.json()["status"] == "queued"
        assert queued.id == queued.json()["updated_at"] and queued.retry_ms == 1000
        # Reconnect with that id: the state the client has is not sent again; what comes next is.
        response = _open(stack, job.id, queued.id)
        pause.resume()
        events = []
        for event in parse(response.iter_lines()):
            events.append(event)
            if event.json()["status"] == "succeeded":
                break
        response.close()
    finally:
        pause.resume()
    statuses = [e.json()["status"] for e in events]
    assert statuses[0] == "running" and statuses[-1] == "succeeded", statuses
    ids = [e.id for e in events]
    assert all(i is not None and i > queued.id for i in ids) and ids == sorted(ids)
    # A client that saw the final event and reconnects anyway gets it again, so its stream ends.
    [again] = _first(stack, job.id, ids[-1])
    assert again.json()["status"] == "succeeded" and again.id == ids[-1]


def test_the_drills_client_follows_a_job_to_its_final_event(stack: Stack) -> None:
    job, _ = submit_job(
        stack.db, stack.celery(), kind="test_sleep", queue="simulation",
        params={"steps": 3, "step_s": 0.1},
    )  # fmt: skip
    seen = follow(f"{stack.gateway_url}/api/v1", job.id, timeout_s=60)
    assert seen.error == "" and seen.final is not None
    wait_until(lambda: store.is_final(store.get(stack.db, job.id)), 10, "job final")
    assert seen.final["status"] == store.get(stack.db, job.id).status == "succeeded"
