"""Parameter sweeps: fanned-out grid jobs, their combinations and overfitting reports."""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock
from typing import Any

from fastapi import APIRouter

from shared.accounts.roles import ensure_modifiable
from shared.errors import Conflict
from shared.jobs.submit import resubmit_owned_job, submit_owned_job
from shared.schemas.jobs import FINAL_STATUSES, JobKind, JobOut, JobStatus
from shared.schemas.sweeps import (
    CombinationOut,
    CombinationsPage,
    SweepAccepted,
    SweepOut,
    SweepRequest,
    SweepsPage,
)
from shared.storage import chunks, resources
from shared.storage import simulations as sims
from shared.storage.db import Database
from shared.storage.tables import JobRow, SweepRow
from shared.web.deps import (
    CeleryDep,
    DbDep,
    IdempotencyKey,
    Limit,
    Offset,
    PrincipalDep,
    SettingsDep,
)
from shared.web.market import MarketDataDep
from simulator import sweeps
from simulator.deciders import decider_for

router = APIRouter(prefix="/api/v1", tags=["sweeps"])
MAX_RANKED = 4  # sweeps whose ranked rows this process keeps
_RANKED: OrderedDict[tuple[str, int], list[dict[str, Any]]] = OrderedDict()
_RANKED_LOCK = Lock()


@router.post("/sweeps", status_code=202, response_model=SweepAccepted)
def submit_sweep(
    req: SweepRequest, db: DbDep, celery: CeleryDep, settings: SettingsDep,
    market: MarketDataDep, principal: PrincipalDep, idempotency_key: IdempotencyKey = None,
) -> SweepAccepted:  # fmt: skip
    """Queue a grid sweep; chunks of combinations run on every simulation worker."""
    decider = decider_for(req, db, settings, principal.scope)
    plan = sweeps.plan_sweep(req, settings.max_sweep_combinations, decider)
    market.check_request(req.source, req.symbols, req.start, req.end, req.interval)
    request = req.model_dump(mode="json")
    job, row = submit_owned_job(
        db, celery, kind=JobKind.SWEEP, params=request, idempotency_key=idempotency_key,
        row_type=SweepRow, owner=principal.owner,
        row_fields={
            "request": request, "n_combinations": plan.n_combinations, "n_chunks": plan.n_chunks
        },
    )  # fmt: skip
    return _accepted(row, job)


@router.get("/sweeps", response_model=SweepsPage)
def list_sweeps(db: DbDep, principal: PrincipalDep, limit: Limit, offset: Offset = 0) -> SweepsPage:
    """Sweeps, newest first, without their reports (read one sweep for it)."""
    rows, total = sims.list_sweeps(db, limit=limit, offset=offset, scope=principal.scope)
    items = [_out(row, job, with_result=False) for row, job in rows]
    return SweepsPage(items=items, total=total, limit=limit, offset=offset)


@router.get("/sweeps/{sweep_id}", response_model=SweepOut)
def get_sweep(sweep_id: str, db: DbDep, principal: PrincipalDep) -> SweepOut:
    """Status, and once done the best combination, the top ones and the overfitting report."""
    return _out(*resources.with_job(db, SweepRow, sweep_id, scope=principal.scope))


@router.get("/sweeps/{sweep_id}/combinations", response_model=CombinationsPage)
def list_combinations(
    sweep_id: str, db: DbDep, principal: PrincipalDep, limit: Limit, offset: Offset = 0
) -> CombinationsPage:
    """Every finished combination's metrics, best first by the sweep's metric."""
    row, _ = resources.with_job(db, SweepRow, sweep_id, scope=principal.scope)
    ordered = _ranked_rows(db, sweep_id, SweepRequest.model_validate(row.request).metric)
    items = [CombinationOut.model_validate(sweeps.public(r)) for r in ordered[offset:][:limit]]
    return CombinationsPage(items=items, total=len(ordered), limit=limit, offset=offset)


@router.post("/sweeps/{sweep_id}/resume", status_code=202, response_model=SweepAccepted)
def resume_sweep(
    sweep_id: str, db: DbDep, celery: CeleryDep, principal: PrincipalDep
) -> SweepAccepted:
    """Run a failed or cancelled sweep again; chunks already stored are kept, not recomputed."""
    row, job = resources.with_job(db, SweepRow, sweep_id, scope=principal.scope)
    ensure_modifiable(principal, row.owner, resources.not_found(SweepRow, sweep_id))
    if job.status not in FINAL_STATUSES:
        raise Conflict(f"sweep {sweep_id} is still {job.status}", field="sweep_id")
    if job.status == JobStatus.SUCCEEDED:
        raise Conflict(f"sweep {sweep_id} already finished", field="sweep_id")
    new_job = resubmit_owned_job(
        db, celery, kind=JobKind.SWEEP, row_type=SweepRow, row_id=sweep_id, owner=row.owner,
        params={**row.request, "resume_of": sweep_id, "after_job": job.id},
    )  # fmt: skip
    return _accepted(row, new_job)


def _ranked_rows(db: Database, sweep_id: str, metric: str) -> list[dict[str, Any]]:
    """The stored rows best first, ranked once per set of finished chunks: a big grid's chunks
    hold MBs of JSON, and the dashboard reads the ranking page by page."""
    key = (sweep_id, chunks.count_done(db, sweep_id))
    with _RANKED_LOCK:
        if key in _RANKED:
            _RANKED.move_to_end(key)
            return _RANKED[key]
    rows = [r for chunk in chunks.results_so_far(db, sweep_id) for r in chunk["rows"]]
    ordered = sweeps.ranked(rows, metric)
    with _RANKED_LOCK:
        _RANKED[key] = ordered
        while len(_RANKED) > MAX_RANKED:
            _RANKED.popitem(last=False)
    return ordered


def _accepted(row: SweepRow, job: JobRow) -> SweepAccepted:
    return SweepAccepted(
        job=JobOut.model_validate(job), sweep_id=row.id, n_combinations=row.n_combinations,
        n_chunks=row.n_chunks,
    )  # fmt: skip


def _out(row: SweepRow, job: JobRow, *, with_result: bool = True) -> SweepOut:
    return SweepOut(
        sweep_id=row.id, status=job.status, job_id=job.id, progress=job.progress,
        created_at=row.created_at, n_combinations=row.n_combinations, n_chunks=row.n_chunks,
        error=job.error, result=row.result if with_result else None, request=row.request,
    )  # fmt: skip
