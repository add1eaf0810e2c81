"""RL studies: an Optuna search over agents and hyperparameters, its trials and its verdict."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from shared.accounts.roles import ensure_modifiable
from shared.jobs.submit import submit_owned_job
from shared.ml.rl_pipeline import split_market
from shared.rl import build_market
from shared.schemas.jobs import JobKind, JobOut
from shared.schemas.studies import (
    StudiesPage,
    StudyAccepted,
    StudyOut,
    StudyRegistered,
    StudyRegisterIn,
    StudyRequest,
    TrialOut,
)
from shared.storage import chunks, resources, studies
from shared.storage.tables import JobRow, StudyRow
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
from trainer.rl_plan import plan_rl_training
from trainer.routes.trainings import _check_name_is_theirs
from trainer.studies.plan import plan_study, trial_request
from trainer.studies.register import register_best

router = APIRouter(prefix="/api/v1", tags=["studies"])


@router.post("/studies", status_code=202, response_model=StudyAccepted)
def submit_study(
    req: StudyRequest, db: DbDep, celery: CeleryDep, settings: SettingsDep,
    market: MarketDataDep, principal: PrincipalDep, idempotency_key: IdempotencyKey = None,
) -> StudyAccepted:  # fmt: skip
    """Queue a study; its trials train on every training worker, then the report is made."""
    space = plan_study(req, settings.max_study_trials)
    market.check_request(req.source, req.symbols, req.start, req.end, req.interval)
    if market.is_offline(req.source):  # the windows every trial trains and is judged on
        bars = {
            s: market.bars(req.source, s, req.start, req.end, req.interval) for s in req.symbols
        }
        plan = plan_rl_training(trial_request(req, space.algorithms[0], dict(space.fixed)))
        split_market(build_market(bars, plan.features), plan)
    request = req.model_dump(mode="json")
    job, row = submit_owned_job(
        db, celery, kind=JobKind.STUDY, params=request, idempotency_key=idempotency_key,
        row_type=StudyRow, owner=principal.owner,
        row_fields={"request": request, "n_trials": req.n_trials},
    )  # fmt: skip
    return StudyAccepted(job=JobOut.model_validate(job), study_id=row.id, n_trials=row.n_trials)


@router.get("/studies", response_model=StudiesPage)
def list_studies(
    db: DbDep, principal: PrincipalDep, limit: Limit, offset: Offset = 0
) -> StudiesPage:
    """Studies, newest first, without their trials and reports (read one study for them)."""
    rows, total = studies.list_studies(db, limit=limit, offset=offset, scope=principal.scope)
    items = [_out(row, job, trials=None) for row, job in rows]
    return StudiesPage(items=items, total=total, limit=limit, offset=offset)


@router.get("/studies/{study_id}", response_model=StudyOut)
def get_study(study_id: str, db: DbDep, principal: PrincipalDep) -> StudyOut:
    """Status and progress, the trials finished so far, and once done the report."""
    row, job = resources.with_job(db, StudyRow, study_id, scope=principal.scope)
    trials = [c["trial"] for c in chunks.results_so_far(db, study_id)]
    return _out(row, job, trials=sorted(trials, key=lambda t: t["number"]))


@router.post("/studies/{study_id}/register", status_code=201, response_model=StudyRegistered)
def register_study_best(
    study_id: str, body: StudyRegisterIn, db: DbDep, settings: SettingsDep,
    principal: PrincipalDep,
) -> StudyRegistered:  # fmt: skip
    """Register the best trial's policy as the next version of `model_name`."""
    row, _ = resources.with_job(db, StudyRow, study_id, scope=principal.scope)
    ensure_modifiable(principal, row.owner, resources.not_found(StudyRow, study_id))
    _check_name_is_theirs(db, body.model_name, principal.owner, principal.role)
    model, trial = register_best(db, settings, row, body.model_name, principal.owner)
    return StudyRegistered(
        study_id=study_id, trial=trial, model_id=model.id, model_name=model.name,
        version=model.version,
    )  # fmt: skip


def _out(row: StudyRow, job: JobRow, *, trials: list[dict[str, Any]] | None) -> StudyOut:
    return StudyOut(
        study_id=row.id, status=job.status, job_id=job.id, progress=job.progress,
        message=job.message, created_at=row.created_at, n_trials=row.n_trials,
        trials_done=len(trials) if trials is not None else round(job.progress * row.n_trials),
        error=job.error, trials=[TrialOut.model_validate(t) for t in trials or []],
        report=row.result if trials is not None else None, model_id=row.model_id,
        request=StudyRequest.model_validate(row.request),
    )  # fmt: skip
