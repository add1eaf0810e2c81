"""Parameter sweeps and Monte Carlo stress tests: fanned-out jobs and their reports."""

from __future__ import annotations

import math
import uuid
from typing import Any

from fastapi import APIRouter

from shared.errors import Conflict, ValidationError
from shared.jobs.fanout import chunk_rows
from shared.jobs.kinds import FINAL_STATUSES, JobKind, JobStatus, Queue
from shared.jobs.lifecycle import submit_job
from shared.schemas.jobs import JobOut
from shared.schemas.simulations import (
    StressAccepted,
    StressOut,
    StressRequest,
    SweepAccepted,
    SweepOut,
    SweepRequest,
)
from shared.storage import simulations as sims
from shared.storage.db import utcnow
from shared.storage.models import JobRow, StressTestRow, SweepRow
from shared.web.deps import CeleryDep, DbDep, IdempotencyKey, Limit, Offset, SettingsDep
from simulator import sweeps
from simulator.data_routes import MarketDataDep

router = APIRouter(prefix="/api/v1", tags=["sweeps and stress tests"])


def _sweep_out(row: SweepRow, job: JobRow) -> SweepOut:
    return SweepOut(
        sweep_id=row.id, status=job.status, job_id=job.id, progress=job.progress,
        created_at=row.created_at, n_combinations=row.n_combinations, n_chunks=row.n_chunks,
        error=job.error, result=row.result, request=row.request,
    )  # fmt: skip


@router.post("/sweeps", status_code=202, response_model=SweepAccepted)
def submit_sweep(
    req: SweepRequest,
    db: DbDep,
    celery: CeleryDep,
    settings: SettingsDep,
    market: MarketDataDep,
    idempotency_key: IdempotencyKey = None,
) -> SweepAccepted:
    """Queue a grid sweep; chunks of combinations run on every simulation worker."""
    size = sweeps.grid_size(req)
    if size > settings.max_sweep_combinations:
        raise ValidationError(
            f"the grid has {size} combinations; the limit is {settings.max_sweep_combinations} "
            "(MAX_SWEEP_COMBINATIONS): use fewer values",
            field="grid",
        )
    n_valid = len(sweeps.expand_grid(req)[0])
    if n_valid < 1:
        raise ValidationError("no combination of the grid is a valid strategy", field="grid")
    market.check_request(req.source, req.symbols, req.start, req.end, req.interval)
    sweep_id = str(uuid.uuid4())
    n_chunks = math.ceil(n_valid / req.chunk_size)

    def create_row(job: JobRow) -> None:
        sims.add(db, SweepRow(
            id=sweep_id, job_id=job.id, created_at=utcnow(), request=req.model_dump(mode="json"),
            n_combinations=n_valid, n_chunks=n_chunks,
        ))  # fmt: skip

    job, created = submit_job(
        db, celery, kind=JobKind.SWEEP, queue=Queue.SIMULATION,
        params=req.model_dump(mode="json"), idempotency_key=idempotency_key, on_created=create_row,
    )  # fmt: skip
    if not created:
        existing = sims.row_by_job(db, SweepRow, job.id)
        sweep_id = existing.id if existing else sweep_id
    return SweepAccepted(
        job=JobOut.model_validate(job), sweep_id=sweep_id, n_combinations=n_valid, n_chunks=n_chunks
    )


@router.get("/sweeps")
def list_sweeps(db: DbDep, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    """Sweeps, newest first."""
    rows, total = sims.list_sweeps(db, limit=limit, offset=offset)
    items = [_sweep_out(*r).model_dump(mode="json", exclude={"result"}) for r in rows]
    return {"items": items, "total": total, "limit": limit, "offset": offset}


@router.get("/sweeps/{sweep_id}", response_model=SweepOut)
def get_sweep(sweep_id: str, db: DbDep) -> SweepOut:
    """Status, and once done the best combination, the top ones and the overfitting report."""
    return _sweep_out(*sims.get_sweep(db, sweep_id))


@router.get("/sweeps/{sweep_id}/combinations")
def list_combinations(
    sweep_id: str, db: DbDep, limit: Limit = 100, offset: Offset = 0
) -> dict[str, Any]:
    """Every finished combination's metrics, best first by the sweep's metric."""
    row, _ = sims.get_sweep(db, sweep_id)
    rows = [r for chunk in chunk_rows(db, sweep_id) for r in chunk["rows"]]
    ordered = sweeps.ranked(rows, row.request.get("metric", "sharpe"))
    items = [sweeps.public(r) for r in ordered[offset : offset + limit]]
    return {"items": items, "total": len(ordered), "limit": limit, "offset": offset}


@router.post("/sweeps/{sweep_id}/resume", status_code=202, response_model=SweepAccepted)
def resume_sweep(sweep_id: str, db: DbDep, celery: CeleryDep) -> SweepAccepted:
    """Run a failed or cancelled sweep again; chunks already stored are kept, not recomputed."""
    row, job = sims.get_sweep(db, sweep_id)
    if job.status not in FINAL_STATUSES:
        raise Conflict(f"sweep {sweep_id} is still {job.status}", field="sweep_id")
    if job.status == JobStatus.SUCCEEDED:
        raise Conflict(f"sweep {sweep_id} already finished", field="sweep_id")
    new_job, _ = submit_job(
        db, celery, kind=JobKind.SWEEP, queue=Queue.SIMULATION,
        params={**row.request, "resume_of": sweep_id, "after_job": job.id},
        on_created=lambda j: sims.set_job(db, SweepRow, sweep_id, j.id),
    )  # fmt: skip
    return SweepAccepted(
        job=JobOut.model_validate(new_job), sweep_id=sweep_id,
        n_combinations=row.n_combinations, n_chunks=row.n_chunks,
    )  # fmt: skip


def _stress_out(row: StressTestRow, job: JobRow) -> StressOut:
    return StressOut(
        stress_id=row.id, simulation_id=row.simulation_id, status=job.status, job_id=job.id,
        progress=job.progress, created_at=row.created_at, error=job.error, result=row.result,
        request=row.request,
    )  # fmt: skip


@router.post("/simulations/{simulation_id}/stress", status_code=202, response_model=StressAccepted)
def submit_stress(
    simulation_id: str,
    req: StressRequest,
    db: DbDep,
    celery: CeleryDep,
    settings: SettingsDep,
    idempotency_key: IdempotencyKey = None,
) -> StressAccepted:
    """Queue a Monte Carlo stress test of a finished simulation."""
    if req.n_scenarios > settings.max_stress_scenarios:
        raise ValidationError(
            f"n_scenarios {req.n_scenarios} exceeds the limit of {settings.max_stress_scenarios} "
            "(MAX_STRESS_SCENARIOS)",
            field="n_scenarios",
        )
    _, sim_job = sims.get_simulation(db, simulation_id)
    if sim_job.status != JobStatus.SUCCEEDED:
        raise Conflict(
            f"simulation {simulation_id} is {sim_job.status}; stress-test a finished one",
            field="simulation_id",
        )
    stress_id = str(uuid.uuid4())

    def create_row(job: JobRow) -> None:
        sims.add(db, StressTestRow(
            id=stress_id, simulation_id=simulation_id, job_id=job.id, created_at=utcnow(),
            request=req.model_dump(mode="json"),
        ))  # fmt: skip

    job, created = submit_job(
        db, celery, kind=JobKind.STRESS_TEST, queue=Queue.SIMULATION,
        params={"simulation_id": simulation_id, **req.model_dump(mode="json")},
        idempotency_key=idempotency_key, on_created=create_row,
    )  # fmt: skip
    if not created:
        existing = sims.row_by_job(db, StressTestRow, job.id)
        stress_id = existing.id if existing else stress_id
    return StressAccepted(
        job=JobOut.model_validate(job), stress_id=stress_id, simulation_id=simulation_id
    )


@router.get("/simulations/{simulation_id}/stress")
def list_stress_tests(simulation_id: str, db: DbDep) -> dict[str, Any]:
    """The stress tests of a simulation, newest first."""
    sims.get_simulation(db, simulation_id)
    items = [
        _stress_out(*r).model_dump(mode="json") for r in sims.stress_tests_of(db, simulation_id)
    ]
    return {"items": items, "total": len(items)}


@router.get("/simulations/{simulation_id}/stress/{stress_id}", response_model=StressOut)
def get_stress(simulation_id: str, stress_id: str, db: DbDep) -> StressOut:
    """Distribution of final equity, drawdown and Sharpe over the scenarios, with percentiles."""
    row, job = sims.get_stress(db, stress_id)
    if row.simulation_id != simulation_id:
        raise ValidationError(
            f"stress test {stress_id} belongs to simulation {row.simulation_id}", field="stress_id"
        )
    return _stress_out(row, job)
