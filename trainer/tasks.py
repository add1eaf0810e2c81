"""Job functions run by the training worker: load bars, train, store the artifact, register it."""

from __future__ import annotations

import time
from datetime import datetime
from functools import lru_cache
from typing import Any

import pandas as pd

from shared.data import MarketData, market_data_from
from shared.errors import Conflict
from shared.jobs.worker_runtime import JobContext, JobFunction, WorkerRuntime
from shared.ml.artifacts import write_artifact
from shared.ml.device import resolve_device
from shared.ml.training import TrainedModel, TrainingPlan, bars_fingerprint, train
from shared.schemas.jobs import JobKind
from shared.schemas.trainings import TrainingRequest
from shared.storage import models as registry
from shared.storage import resources, trainings
from shared.storage.db import utcnow
from shared.storage.tables import ModelRow, TrainingRow
from trainer.plan import model_metadata, plan_training
from trainer.store import remove_artifact

VERSION_ATTEMPTS = 5  # two trainings of one name racing for the same next version


@lru_cache(maxsize=8)
def market_of(runtime: WorkerRuntime) -> MarketData:
    """The worker process's MarketData, built on first use after the fork."""
    return market_data_from(runtime.settings)


def training(ctx: JobContext) -> dict[str, Any]:
    """Train the request's model walk-forward, then save and register it as the next version."""
    req = TrainingRequest.model_validate(ctx.params)
    row = resources.of_job(ctx.runtime.db, TrainingRow, ctx.job_id)
    plan = plan_training(req, device=resolve_device(req.device, req.algorithm))
    ctx.progress(0.01, "loading bars")
    market = market_of(ctx.runtime)
    bars = {s: market.bars(req.source, s, req.start, req.end, req.interval) for s in req.symbols}

    def progress(fraction: float, message: str) -> None:
        ctx.check_cancelled()  # between boosting rounds, trees and epochs
        ctx.progress(0.02 + 0.9 * fraction, message)

    started = time.perf_counter()
    trained = train(bars, plan, progress)
    seconds = time.perf_counter() - started
    ctx.check_cancelled()
    ctx.progress(0.95, "saving the artifact")
    model = _store_next_version(ctx, row, req, plan, trained, bars, seconds)
    trainings.set_result(ctx.runtime.db, row.id, model.id, trained.report)
    return {"training_id": row.id, "model_id": model.id, "version": model.version}


def _store_next_version(
    ctx: JobContext, row: TrainingRow, req: TrainingRequest, plan: TrainingPlan,
    trained: TrainedModel, bars: dict[str, pd.DataFrame], seconds: float,
) -> ModelRow:  # fmt: skip
    """Write the artifact as the name's next version and register it; retry if one races us."""
    db, store = ctx.runtime.db, ctx.runtime.settings.artifacts_path
    fingerprint = bars_fingerprint(bars)
    dataset = trained.report["dataset"]
    for _ in range(VERSION_ATTEMPTS):
        version = registry.next_version(db, req.model_name)
        metadata = model_metadata(
            req, plan, trained, version=version, created=utcnow(), fingerprint=fingerprint,
            bars_per_symbol={s: len(b) for s, b in bars.items()}, seconds=seconds,
        )  # fmt: skip
        relative = f"{req.model_name}/v{version}"
        try:
            directory, checksum = write_artifact(store, relative, trained.model, metadata)
        except Conflict:  # another training of this name wrote this version first
            continue
        try:
            return registry.register_model(
                db, name=req.model_name, version=version, framework=metadata["framework"],
                algorithm=plan.algorithm, task=plan.task, symbols=req.symbols,
                source=req.source, interval=req.interval,
                trained_from=_utc(dataset["first"]), trained_to=_utc(dataset["last"]),
                metrics=metadata["metrics"], checksum=checksum,
                artifact_dir_for=lambda v: f"{req.model_name}/v{v}", training_id=row.id,
            )  # fmt: skip
        except Conflict:
            remove_artifact(directory)
    raise Conflict(f"could not claim a version of {req.model_name!r}; train again")


def _utc(iso: str) -> datetime:
    stamp = pd.Timestamp(iso)
    return (stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp).to_pydatetime()


JOBS: dict[str, JobFunction] = {JobKind.TRAINING: training}
