"""Claim a model name's next version: write the artifact, then register it, past any rival."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

import pandas as pd

from shared.errors import Conflict
from shared.jobs.worker_runtime import JobContext
from shared.ml.protocol import Model
from shared.ml.training import bars_fingerprint
from shared.schemas.trainings import TrainingRequest
from shared.storage import models as registry
from shared.storage.db import utcnow
from shared.storage.tables import ModelRow, TrainingRow
from trainer.store import remove_artifact, version_dir, write_model

if TYPE_CHECKING:  # torch and stable-baselines3 load only where a policy is trained
    from shared.ml.rl_bundle import PolicyBundle

VERSION_ATTEMPTS = 20  # versions tried past rivals and orphaned folders
MetadataFor = Callable[[int, datetime, str], dict[str, Any]]
"""metadata_for(version, created, fingerprint) -> metadata.json's body."""


def store_next_version(
    ctx: JobContext, row: TrainingRow, req: TrainingRequest, model: Model | PolicyBundle,
    dataset: dict[str, Any], bars: dict[str, pd.DataFrame], metadata_for: MetadataFor,
) -> ModelRow:  # fmt: skip
    """Write the artifact as the name's next version and register it; retry if one races us.

    `dataset` names the first and last bar trained on (the registry's trained_from/to).
    """
    db, store = ctx.runtime.db, ctx.runtime.settings.artifacts_path
    fingerprint = bars_fingerprint(bars)
    version = 0
    for _ in range(VERSION_ATTEMPTS):
        # The registry's next number; past it when its folder exists without a row (a worker
        # killed between writing the artifact and registering it) or a rival wrote it first.
        version = max(registry.next_version(db, req.model_name), version + 1)
        metadata = metadata_for(version, utcnow(), fingerprint)
        relative = version_dir(req.model_name, version)
        try:
            directory, checksum = write_model(store, relative, model, metadata)
        except Conflict:
            continue
        try:
            return registry.register_model(
                db, name=req.model_name, version=version, framework=metadata["framework"],
                algorithm=metadata["algorithm"], task=metadata["task"], symbols=req.symbols,
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
