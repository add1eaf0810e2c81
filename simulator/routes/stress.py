"""Monte Carlo stress tests of a finished simulation: fanned-out jobs and their distributions."""

from __future__ import annotations

from fastapi import APIRouter

from shared.errors import Conflict, ValidationError
from shared.jobs.submit import submit_owned_job
from shared.schemas.jobs import JobKind, JobOut, JobStatus
from shared.schemas.stress import StressAccepted, StressOut, StressRequest, StressTestsPage
from shared.storage import resources
from shared.storage import simulations as sims
from shared.storage.tables import JobRow, SimulationRow, StressTestRow
from shared.web.deps import (
    CeleryDep,
    DbDep,
    IdempotencyKey,
    Limit,
    Offset,
    PrincipalDep,
    SettingsDep,
)
from simulator import stress

router = APIRouter(prefix="/api/v1/simulations/{simulation_id}/stress", tags=["stress tests"])


@router.post("", status_code=202, response_model=StressAccepted)
def submit_stress(
    simulation_id: str, req: StressRequest, db: DbDep, celery: CeleryDep,
    settings: SettingsDep, principal: PrincipalDep, idempotency_key: IdempotencyKey = None,
) -> StressAccepted:  # fmt: skip
    """Queue a Monte Carlo stress test of a finished simulation (one you may read)."""
    stress.check_size(req, settings.max_stress_scenarios)
    _, sim_job = resources.with_job(db, SimulationRow, simulation_id, scope=principal.scope)
    if sim_job.status != JobStatus.SUCCEEDED:
        raise Conflict(
            f"simulation {simulation_id} is {sim_job.status}; stress-test a finished one",
            field="simulation_id",
        )
    request = req.model_dump(mode="json")
    job, row = submit_owned_job(
        db, celery, kind=JobKind.STRESS_TEST, idempotency_key=idempotency_key,
        params={"simulation_id": simulation_id, **request}, row_type=StressTestRow,
        owner=principal.owner,
        row_fields={"simulation_id": simulation_id, "request": request},
    )  # fmt: skip
    return StressAccepted(
        job=JobOut.model_validate(job), stress_id=row.id, simulation_id=simulation_id
    )


@router.get("", response_model=StressTestsPage)
def list_stress_tests(
    simulation_id: str, db: DbDep, principal: PrincipalDep, limit: Limit, offset: Offset = 0
) -> StressTestsPage:
    """The stress tests of a simulation, newest first."""
    resources.with_job(db, SimulationRow, simulation_id, scope=principal.scope)
    rows, total = sims.stress_tests_of(
        db, simulation_id, limit=limit, offset=offset, scope=principal.scope
    )
    items = [_out(*r) for r in rows]
    return StressTestsPage(items=items, total=total, limit=limit, offset=offset)


@router.get("/{stress_id}", response_model=StressOut)
def get_stress(simulation_id: str, stress_id: str, db: DbDep, principal: PrincipalDep) -> StressOut:
    """Distribution of final equity, drawdown and Sharpe over the scenarios, with percentiles."""
    row, job = resources.with_job(db, StressTestRow, stress_id, scope=principal.scope)
    if row.simulation_id != simulation_id:
        raise ValidationError(
            f"stress test {stress_id} belongs to simulation {row.simulation_id}", field="stress_id"
        )
    return _out(row, job)


def _out(row: StressTestRow, job: JobRow) -> StressOut:
    return StressOut(
        stress_id=row.id, simulation_id=row.simulation_id, status=job.status, job_id=job.id,
        progress=job.progress, created_at=row.created_at, error=job.error, result=row.result,
        request=row.request,
    )  # fmt: skip
