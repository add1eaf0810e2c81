"""Job functions run by the training worker: load bars, train, store the artifact, register it."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

import pandas as pd

from shared.errors import Conflict
from shared.jobs.worker_runtime import JobContext, JobFunction
from shared.ml.device import resolve_device
from shared.ml.training import TrainedModel, TrainingPlan, bars_fingerprint, train
from shared.schemas.jobs import JobKind
from shared.schemas.trainings import TrainingRequest
from shared.storage import models as registry
from shared.storage import resources, trainings
from shared.storage.db import utcnow
from shared.storage.tables import ModelRow, TrainingRow
from trainer.plan import model_metadata, plan_training
from trainer.store import remove_artifact, version_dir, write_model

PROGRESS_INTERVAL_S = 0.25
VERSION_ATTEMPTS = 20  # versions tried past rivals and orphaned folders


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
    plan = plan_training(req, device=resolve_device(req.device, req.algorithm))
    ctx.progress(0.01, "loading bars")
    market = ctx.runtime.market
    bars = {s: market.bars(req.source, s, req.start, req.end, req.interval) for s in req.symbols}

    last_report = [0.0]

    def progress(fraction: float, message: str) -> None:
        # Called after every boosting round, batch of trees and epoch; each report is a database
        # write and a cancellation check, so a few a second are enough (and rounds stay cheap).
        now = time.monotonic()
        if now - last_report[0] >= PROGRESS_INTERVAL_S or fraction >= 1.0:
            last_report[0] = now
            ctx.progress(0.02 + 0.9 * fraction, message)  # raises JobCancelled when asked

    started = time.perf_counter()
    trained = train(bars, plan, progress)
    seconds = time.perf_counter() - started
    ctx.progress(0.95, "saving the artifact")  # a last cancellation check before writing
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
    version = 0
    for _ in range(VERSION_ATTEMPTS):
        # The registry's next number; past it when its folder exists without a row (a worker
        # killed between writing the artifact and registering it) or a rival wrote it first.
        version = max(registry.next_version(db, req.model_name), version + 1)
        metadata = model_metadata(
            req, plan, trained, version=version, created=utcnow(), fingerprint=fingerprint,
            bars_per_symbol={s: len(b) for s, b in bars.items()}, seconds=seconds,
        )  # fmt: skip
        relative = version_dir(req.model_name, version)
        try:
            directory, checksum = write_model(store, relative, trained.model, metadata)
        except Conflict:
            continue
        try:
            return registry.register_model(
                db, name=req.model_name, version=version, framework=metadata["framework"],
                algorithm=plan.algorithm, task=plan.task, symbols=req.symbols,
                source=req.source, interval=req.interval,
                trained_from=_utc(dataset["first"]), trained_to=_utc(dataset["last"]),
                metrics=metadata["metrics"], checksum=checksum,
                artifact_dir_for=lambda v: version_dir(req.model_name, v), training_id=row.id,
                owner=row.owner,
            )  # fmt: skip
        except Conflict:  # a rival registered this version: ours moves on to the next one
            remove_artifact(directory)
    raise Conflict(f"could not claim a version of {req.model_name!r}; train again")


def _utc(iso: str) -> datetime:
    stamp = pd.Timestamp(iso)
    return (stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp).to_pydatetime()


JOBS: dict[str, JobFunction] = {JobKind.TRAINING: training}
