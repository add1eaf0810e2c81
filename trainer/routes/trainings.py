"""Trainings: submit a training job, list them, read one with its report."""

from __future__ import annotations

from fastapi import APIRouter

from shared.accounts.roles import Role
from shared.errors import Conflict
from shared.features import build_dataset
from shared.jobs.submit import submit_owned_job
from shared.ml.rl_pipeline import RLPlan, split_market
from shared.ml.splits import make_folds
from shared.rl import build_market
from shared.schemas.jobs import JobKind, JobOut
from shared.schemas.trainings import (
    TrainingAccepted,
    TrainingOut,
    TrainingRequest,
    TrainingsPage,
)
from shared.storage import models as registry
from shared.storage import resources, trainings
from shared.storage.db import Database
from shared.storage.tables import JobRow, TrainingRow
from shared.web.deps import CeleryDep, DbDep, IdempotencyKey, Limit, Offset, PrincipalDep
from shared.web.market import MarketDataDep
from trainer.plan import plan_training
from trainer.rl_plan import is_reinforcement, plan_rl_training

router = APIRouter(prefix="/api/v1", tags=["trainings"])


@router.post("/trainings", status_code=202, response_model=TrainingAccepted)
def submit_training(
    req: TrainingRequest, db: DbDep, celery: CeleryDep, market: MarketDataDep,
    principal: PrincipalDep, idempotency_key: IdempotencyKey = None,
) -> TrainingAccepted:  # fmt: skip
    """Queue a training; returns the job and the id of the training it will fill in.

    Everything that can be checked here is (algorithm, hyperparameters, features, target,
    validation, an agent's environment, data range); on offline sources the data itself too:
    enough rows for the folds (or an agent's training and evaluation windows), and every
    feature buildable from the symbol's fields.
    """
    reinforcement = is_reinforcement(req.algorithm)
    plan = plan_rl_training(req) if reinforcement else plan_training(req)
    _check_name_is_theirs(db, req.model_name, principal.owner, principal.role)
    market.check_request(req.source, req.symbols, req.start, req.end, req.interval)
    if market.is_offline(req.source):
        bars = {
            s: market.bars(req.source, s, req.start, req.end, req.interval) for s in req.symbols
        }
        if isinstance(plan, RLPlan):  # the windows the agent trains and is judged on
            split_market(build_market(bars, plan.features), plan)
        else:
            data = build_dataset(bars, plan.features, plan.target)
            folds = data.X.index.get_level_values(0), data.label_end.to_numpy()
            make_folds(*folds, plan.validation)
    request = req.model_dump(mode="json")
    job, row = submit_owned_job(
        db, celery, kind=JobKind.TRAINING, params=request, idempotency_key=idempotency_key,
        row_type=TrainingRow, row_fields={"model_name": req.model_name, "request": request},
        owner=principal.owner,
    )  # fmt: skip
    return TrainingAccepted(job=JobOut.model_validate(job), training_id=row.id)


@router.get("/trainings", response_model=TrainingsPage)
def list_trainings(
    db: DbDep, principal: PrincipalDep, limit: Limit, offset: Offset = 0,
    model_name: str | None = None, status: str | None = None,
) -> TrainingsPage:  # fmt: skip
    """Trainings, newest first, filtered by model name or job status."""
    rows, total = trainings.list_trainings(
        db, model_name=model_name, status=status, limit=limit, offset=offset,
        scope=principal.scope,
    )  # fmt: skip
    return TrainingsPage(items=[_out(*r) for r in rows], total=total, limit=limit, offset=offset)


@router.get("/trainings/{training_id}", response_model=TrainingOut)
def get_training(training_id: str, db: DbDep, principal: PrincipalDep) -> TrainingOut:
    """One training: status and progress, and once done its model and report."""
    return _out(*resources.with_job(db, TrainingRow, training_id, scope=principal.scope))


def _check_name_is_theirs(db: Database, name: str, owner: str | None, role: Role) -> None:
    """A model name belongs to whoever trained its first version: another user's versions
    would otherwise mix into theirs (and promoting one would archive theirs)."""
    holder = registry.name_owner(db, name)
    if holder is None or role is Role.ADMIN:
        return
    if holder.owner != owner:
        raise Conflict(
            f"the model name {name!r} is taken by another user; choose another name",
            field="model_name", code="name_taken",
        )  # fmt: skip


def _out(row: TrainingRow, job: JobRow) -> TrainingOut:
    return TrainingOut(
        training_id=row.id, status=job.status, job_id=job.id, created_at=row.created_at,
        model_name=row.model_name, model_id=row.model_id, progress=job.progress,
        message=job.message, error=job.error, request=TrainingRequest.model_validate(row.request),
        report=row.result,
    )  # fmt: skip
