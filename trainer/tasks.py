"""Job functions run by the training worker: load bars, train, store the artifact, register it."""

from __future__ import annotations

import time
from typing import Any

from celery import Celery

from shared.jobs.fanout import register_fanout
from shared.jobs.worker_runtime import JobContext, JobFunction, WorkerRuntime, register_jobs
from shared.ml.device import resolve_device
from shared.ml.training import train
from shared.schemas.jobs import JobKind
from shared.schemas.trainings import TrainingRequest
from shared.storage import models as registry
from shared.storage import resources, trainings
from shared.storage.tables import TrainingRow
from trainer.plan import model_metadata, plan_training
from trainer.progress import throttled_progress
from trainer.rl_job import train_agent_job
from trainer.rl_plan import is_reinforcement
from trainer.studies import trials
from trainer.studies.trials import study_job
from trainer.versions import store_next_version


def training(ctx: JobContext) -> dict[str, Any]:
    """Train the request's model walk-forward, then save and register it as the next version."""
    req = TrainingRequest.model_validate(ctx.params)
    row = resources.of_job(ctx.runtime.db, TrainingRow, ctx.job_id)
    registered = registry.of_training(ctx.runtime.db, row.id)
    if registered is not None:  # redelivered after a worker died past registering its model
        if row.model_id is None:
            report = {"metrics": registered.metrics, "note": "recovered after a lost worker"}
            trainings.set_result(ctx.runtime.db, row.id, registered.id, report)
        return {"training_id": row.id, "model_id": registered.id, "version": registered.version}
    if is_reinforcement(req.algorithm):
        return train_agent_job(ctx, req, row)
    plan = plan_training(req, device=resolve_device(req.device, req.algorithm))
    ctx.progress(0.01, "loading bars")
    market = ctx.runtime.market
    bars = {s: market.bars(req.source, s, req.start, req.end, req.interval) for s in req.symbols}

    started = time.perf_counter()
    trained = train(bars, plan, throttled_progress(ctx))
    seconds = time.perf_counter() - started
    ctx.progress(0.95, "saving the artifact")  # a last cancellation check before writing
    model = store_next_version(
        ctx, row, req, trained.model, trained.report["dataset"], bars,
        lambda version, created, fingerprint: model_metadata(
            req, plan, trained, version=version, created=created, fingerprint=fingerprint,
            bars_per_symbol={s: len(b) for s, b in bars.items()}, seconds=seconds,
        ),
    )  # fmt: skip
    trainings.set_result(ctx.runtime.db, row.id, model.id, trained.report)
    return {"training_id": row.id, "model_id": model.id, "version": model.version}


JOBS: dict[str, JobFunction] = {JobKind.TRAINING: training, JobKind.STUDY: study_job}


def register_training_jobs(app: Celery, runtime: WorkerRuntime) -> None:
    """Every task the training worker runs: the jobs and the trials of the studies."""
    register_jobs(app, JOBS, runtime)
    register_fanout(app, JobKind.STUDY, trials.run_trial, trials.finalize, runtime)
