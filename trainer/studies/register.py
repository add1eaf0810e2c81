"""A study's best trial registered as a model version in one call: its staged policy, verified
by checksum, written as the name's next version with metadata that records the study."""

from __future__ import annotations

from typing import Any

from shared.config import Settings
from shared.errors import Conflict
from shared.ml.rl_bundle import load_bundle_verified
from shared.storage import chunks, studies
from shared.storage import models as registry
from shared.storage.db import Database, utcnow
from shared.storage.tables import ModelRow, StudyRow
from trainer.store import remove_artifact, version_dir, write_model
from trainer.studies.staging import discard_staged
from trainer.versions import VERSION_ATTEMPTS, _utc

_REWRITTEN = ("checksum", "files", "model_name", "version", "trained_on")


def register_best(
    db: Database, settings: Settings, row: StudyRow, model_name: str, owner: str | None
) -> tuple[ModelRow, int]:
    """(the registered model, the trial it came from); Conflict when the study has no winner."""
    report = row.result or {}
    best = report.get("best")
    if best is None:
        raise Conflict(
            f"study {row.id} has no best trial to register"
            + ("" if row.result else ": it has not finished"),
            field="study_id",
        )
    if row.model_id is not None:  # its staged policy went when it was registered
        raise Conflict(
            f"study {row.id}'s best trial is already registered: it is model {row.model_id} "
            f"(GET /api/v1/models/{row.model_id})",
            field="study_id",
        )
    staged = chunks.all_results(db, row.id, row.n_trials)[best["number"]]["staged"]
    store = settings.artifacts_path
    bundle, metadata = load_bundle_verified(store / staged["dir"], staged["checksum"])
    base = {k: v for k, v in metadata.items() if k not in _REWRITTEN}
    base["study"] = {**base.get("study", {}), "n_trials": report["n_trials"],
                     "deflated_sharpe_ratio": report["overfitting"]["deflated_sharpe_ratio"],
                     "likely_luck": report["overfitting"]["likely_luck"]}  # fmt: skip
    model = _store_version(db, settings, model_name, bundle, base, owner)
    studies.set_model(db, row.id, model.id)
    discard_staged(store, row.id)  # the registered version is the policy's home now
    return model, int(best["number"])


def _store_version(
    db: Database, settings: Settings, name: str, bundle: Any, base: dict[str, Any],
    owner: str | None,
) -> ModelRow:  # fmt: skip
    store, version = settings.artifacts_path, 0
    data = base["data"]
    for _ in range(VERSION_ATTEMPTS):
        version = max(registry.next_version(db, name), version + 1)
        metadata = {"model_name": name, "version": version,
                    "trained_on": utcnow().isoformat(), **base}  # fmt: skip
        try:
            directory, checksum = write_model(store, version_dir(name, version), bundle, metadata)
        except Conflict:
            continue
        try:
            return registry.register_model(
                db, name=name, version=version, framework=metadata["framework"],
                algorithm=metadata["algorithm"], task=metadata["task"], symbols=data["symbols"],
                source=data["source"], interval=data["interval"],
                trained_from=_utc(data["first_row"]), trained_to=_utc(data["last_row"]),
                metrics=metadata["metrics"], checksum=checksum,
                artifact_dir_for=lambda v: version_dir(name, v), training_id=None, owner=owner,
            )  # fmt: skip
        except Conflict:
            remove_artifact(directory)
    raise Conflict(f"could not claim a version of {name!r}; register again")
