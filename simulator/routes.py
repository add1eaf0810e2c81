"""Simulator route that queues data downloads."""

from __future__ import annotations

from fastapi import APIRouter

from shared.jobs import QUEUE_OF, JobKind
from shared.jobs.lifecycle import submit_job
from shared.schemas.data import DownloadRequest
from shared.schemas.jobs import JobAccepted, JobOut
from shared.web.deps import CeleryDep, DbDep, IdempotencyKey
from simulator.data_routes import MarketDataDep

router = APIRouter(prefix="/api/v1", tags=["data"])


@router.post("/data/downloads", status_code=202, response_model=JobAccepted)
def submit_download(
    req: DownloadRequest,
    db: DbDep,
    celery: CeleryDep,
    market: MarketDataDep,
    idempotency_key: IdempotencyKey = None,
) -> JobAccepted:
    """Queue a data_download job that warms the bar cache; returns the job at once."""
    market.check_request(req.source, req.symbols, req.start, req.end, req.interval)
    job, _ = submit_job(
        db,
        celery,
        kind=JobKind.DATA_DOWNLOAD,
        queue=QUEUE_OF[JobKind.DATA_DOWNLOAD],
        params=req.model_dump(mode="json"),
        idempotency_key=idempotency_key,
    )
    return JobAccepted(job=JobOut.model_validate(job))
