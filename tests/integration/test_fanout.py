"""Fanned-out jobs: chunks on the workers, stored as they finish, resumed without recomputation."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from shared.jobs.submit import submit_job
from shared.schemas.jobs import job_json
from shared.storage import jobs as store
from shared.storage.db import utcnow
from shared.storage.tables import ChunkRow
from tests.support.processes import wait_until
from tests.support.stack import Stack

pytestmark = pytest.mark.integration


def _run(stack: Stack, owner_id: str, n: int) -> dict:
    job, _ = submit_job(
        stack.db, stack.celery(), kind="test_fan", queue="simulation",
        params={"owner_id": owner_id, "n": n},
    )  # fmt: skip
    final = {"succeeded", "failed", "cancelled"}
    wait_until(lambda: store.get(stack.db, job.id).status in final, 60, "fan-out job")
    return job_json(store.get(stack.db, job.id))


def _chunks(stack: Stack, owner_id: str) -> dict[int, ChunkRow]:
    with stack.db.session() as s:
        rows = s.scalars(select(ChunkRow).where(ChunkRow.owner_id == owner_id)).all()
    return {r.idx: r for r in rows}


def test_chunks_run_on_workers_and_combine(stack: Stack) -> None:
    owner = str(uuid.uuid4())
    job = _run(stack, owner, 12)
    assert job["status"] == "succeeded", job
    assert job["result"] == {"total": sum(i * i for i in range(120)), "chunks": 12}
    assert job["progress"] == 1.0
    assert sorted(_chunks(stack, owner)) == list(range(12))


def test_a_resumed_job_recomputes_only_missing_chunks(stack: Stack) -> None:
    owner = str(uuid.uuid4())
    kept = {0: 1, 5: 2}  # results from an earlier, interrupted run (deliberately not the real sums)
    with stack.db.transaction() as s:
        for idx, value in kept.items():
            s.add(
                ChunkRow(
                    owner_id=owner,
                    idx=idx,
                    result={"sum": value},
                    worker="earlier-run",
                    finished_at=utcnow(),
                )
            )
    job = _run(stack, owner, 8)
    assert job["status"] == "succeeded", job
    rows = _chunks(stack, owner)
    assert {i for i, r in rows.items() if r.worker == "earlier-run"} == set(kept)
    recomputed = sum(
        sum(i * i for i in range(k * 10, k * 10 + 10)) for k in range(8) if k not in kept
    )
    assert job["result"]["total"] == recomputed + sum(kept.values())


def test_a_failing_chunk_fails_the_job_with_its_reason(stack: Stack) -> None:
    job = _run(stack, "fail-" + uuid.uuid4().hex[:8], 3)
    assert job["status"] == "failed"
    assert job["error"].startswith("chunk ") and job["error"].endswith(
        "failed: this chunk's data is bad"
    )
