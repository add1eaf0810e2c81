"""The job system end to end: real Redis, real Celery worker processes, real services."""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import httpx
import pytest

from shared.jobs.submit import submit_job
from shared.schemas.jobs import job_json
from shared.storage import jobs as store
from tests.support.processes import start_worker, wait_until
from tests.support.stack import QueuePause, Stack

pytestmark = pytest.mark.integration


def _submit(stack: Stack, kind: str, queue: str = "simulation", **params: object) -> str:
    job, _ = submit_job(stack.db, stack.celery(), kind=kind, queue=queue, params=dict(params))
    return job.id


def _wait_final(stack: Stack, job_id: str, timeout_s: float = 60) -> dict:
    final = {"succeeded", "failed", "cancelled"}
    wait_until(lambda: store.get(stack.db, job_id).status in final, timeout_s, f"job {job_id}")
    return job_json(store.get(stack.db, job_id))


def _api(stack: Stack) -> httpx.Client:
    return httpx.Client(base_url=stack.gateway_url + "/api/v1", timeout=30)


def test_a_job_succeeds_with_progress_and_result(stack: Stack) -> None:
    job_id = _submit(stack, "test_sleep", steps=3, step_s=0.05)
    job = _wait_final(stack, job_id)
    assert job["status"] == "succeeded"
    assert job["progress"] == 1.0 and job["result"]["steps"] == 3
    assert job["attempts"] == 1 and job["started_at"] <= job["finished_at"]


def test_a_failing_job_records_a_clear_message(stack: Stack) -> None:
    job_id = _submit(stack, "test_fail", symbol="ZZZZ")
    job = _wait_final(stack, job_id)
    assert job["status"] == "failed"
    assert job["error"] == "symbol 'ZZZZ' is not known"
    with _api(stack) as api:
        assert api.get(f"/jobs/{job_id}").json()["error"] == "symbol 'ZZZZ' is not known"


def test_worker_log_lines_carry_the_job_id(stack: Stack) -> None:
    job_id = _submit(stack, "test_sleep", steps=1, step_s=0.01)
    _wait_final(stack, job_id)
    logs = [p.read_text() for p in stack.settings.logs_path.glob("worker-simulation*.log")]
    assert any(f"[job={job_id}]" in log for log in logs)


def test_a_running_job_is_cancelled_through_the_gateway(stack: Stack) -> None:
    job_id = _submit(stack, "test_sleep", steps=200, step_s=0.05)
    wait_until(lambda: store.get(stack.db, job_id).progress > 0, 30, "job progress")
    with _api(stack) as api:
        resp = api.post(f"/jobs/{job_id}/cancel")
        assert resp.status_code == 200, resp.text
        assert resp.json()["cancel_requested"] is True
        job = _wait_final(stack, job_id, timeout_s=10)
        assert job["status"] == "cancelled" and job["progress"] < 1.0
        again = api.post(f"/jobs/{job_id}/cancel")
        assert again.status_code == 409
        assert again.json() == {
            "detail": f"job {job_id} already cancelled; nothing to cancel",
            "code": "conflict",
            "field": "job_id",
        }


def test_a_queued_job_is_cancelled_before_it_runs(stack: Stack) -> None:
    job_id = _submit(stack, "test_sleep", queue="nobody-listens", steps=1)
    with _api(stack) as api:
        assert api.post(f"/jobs/{job_id}/cancel").json()["status"] == "cancelled"
    assert store.get(stack.db, job_id).started_at is None


def test_killed_pool_process_gets_the_job_redelivered(stack: Stack, tmp_path: Path) -> None:
    pid_file = tmp_path / "pid"
    job_id = _submit(stack, "test_sleep", steps=20, step_s=0.1, pid_file=str(pid_file))
    wait_until(lambda: store.get(stack.db, job_id).progress > 0, 30, "first attempt running")
    pid, attempt = map(int, pid_file.read_text().split())
    assert attempt == 1
    os.kill(pid, signal.SIGKILL)
    job = _wait_final(stack, job_id, timeout_s=60)
    assert job["status"] == "succeeded", job
    assert job["attempts"] == 2
    assert job["result"]["pid"] != pid


def test_a_killed_workers_job_runs_again_on_another_worker(stack: Stack, tmp_path: Path) -> None:
    # Two workers on a queue of their own; the one running the job dies with its pool (SIGKILL
    # to the group), so the broker holds its task unacknowledged until its visibility timeout.
    names = ("victim", "victim-b")
    workers = {
        name: start_worker(
            name, "victim", {**stack.env, "TEST_WORKER_NAME": f"worker-{name}"}, stack.log_dir, 1
        )
        for name in names
    }
    pid_file = tmp_path / "pid"
    try:
        job_id = _submit(
            stack, "test_sleep", queue="victim", steps=40, step_s=0.1, pid_file=str(pid_file)
        )
        wait_until(lambda: store.get(stack.db, job_id).progress > 0, 60, "first attempt running")
        first = store.get(stack.db, job_id)
        killed_pid, attempt = map(int, pid_file.read_text().split())
        assert attempt == 1 and first.worker is not None
        workers[first.worker.split("@")[0]].kill_group(signal.SIGKILL)
        # The gateway's watchdog (WATCHDOG_INTERVAL_S=0.5, timeout 4 s) queues it again.
        job = _wait_final(stack, job_id, timeout_s=60)
    finally:
        for proc in workers.values():
            proc.stop()
    assert job["status"] == "succeeded", job
    assert job["attempts"] == 2 and job["result"] == {"steps": 40, "pid": job["result"]["pid"]}
    assert job["worker"] != first.worker and job["result"]["pid"] != killed_pid


def test_progress_streams_as_server_sent_events(stack: Stack) -> None:
    # Pause consumption so the stream is open before the job starts: no race, every state seen.
    pause = QueuePause(stack)
    try:
        job_id = _submit(stack, "test_sleep", steps=4, step_s=0.05)
        events: list[dict] = []
        with httpx.stream(
            "GET", f"{stack.gateway_url}/api/v1/jobs/{job_id}/events", timeout=30
        ) as resp:
            assert resp.headers["content-type"].startswith("text/event-stream")
            pause.resume()
            for line in resp.iter_lines():
                if line.startswith("data:"):
                    events.append(json.loads(line[5:]))
    finally:
        pause.resume()
    statuses = [e["status"] for e in events]
    assert statuses[0] == "queued" and statuses[-1] == "succeeded"
    assert "running" in statuses
    progress = [e["progress"] for e in events]
    assert progress == sorted(progress) and len(set(progress)) >= 4


def test_events_of_unknown_job_is_404(stack: Stack) -> None:
    with _api(stack) as api:
        resp = api.get("/jobs/no-such-job/events")
    assert resp.status_code == 404
    assert resp.json()["detail"] == "no job with id 'no-such-job'"


def test_jobs_list_paginates_and_validates(stack: Stack) -> None:
    for _ in range(3):
        _submit(stack, "test_sleep", steps=1, step_s=0.0)
    with _api(stack) as api:
        page = api.get("/jobs", params={"kind": "test_sleep", "limit": 2}).json()
        assert page["limit"] == 2 and len(page["items"]) == 2 and page["total"] >= 3
        created = [i["created_at"] for i in page["items"]]
        assert created == sorted(created, reverse=True)
        bad = api.get("/jobs", params={"status": "sleeping"})
        assert bad.status_code == 422 and bad.json()["field"] == "status"
        too_many = api.get("/jobs", params={"limit": 100000})
        assert too_many.status_code == 422 and too_many.json()["field"] == "limit"
    # Give slow jobs time to finish so later tests see an idle worker.
    time.sleep(0.2)
