"""The artifact store on disk: where a registered model's folder is, its metadata, zip, removal."""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from shared.config import Settings
from shared.errors import Conflict, Unavailable
from shared.ml.artifacts import METADATA_FILE, TMP_PREFIX, artifact_dir, write_artifact
from shared.ml.protocol import Model
from shared.ml.zips import reproducible_zip
from shared.storage.tables import ModelRow

if TYPE_CHECKING:  # torch and stable-baselines3 load only where a policy is trained
    from shared.ml.rl_bundle import PolicyBundle

TOMBSTONE_PREFIX = ".deleting-"
LEFTOVER_AGE_S = 3600.0

log = logging.getLogger(__name__)


def version_dir(name: str, version: int) -> str:
    """Where version `version` of the model `name` lives, relative to the store."""
    return f"{name}/v{version}"


def artifact_path(settings: Settings, row: ModelRow) -> Path:
    """The model's folder, resolved; refused when it would lie outside the store (or be it)."""
    return artifact_dir(settings.artifacts_path, row.artifact_dir)


def write_model(
    store: Path, relative_dir: str, model: Model | PolicyBundle, metadata: dict[str, Any]
) -> tuple[Path, str]:
    """write_artifact, with a failing disk (full, read-only, gone) said in the user's terms.

    The write is atomic (a hidden folder renamed into place), so a failure leaves no version
    behind; what the user needs to know is which folder, why, and that nothing was registered.
    """
    try:
        # An RL bundle has what write_artifact reads (save, algorithm, task), not fit/predict.
        return write_artifact(store, relative_dir, cast(Model, model), metadata)
    except OSError as exc:
        why = exc.strerror or type(exc).__name__
        raise Unavailable(
            f"the model could not be saved: the artifact store {store} cannot be written "
            f"({why}); no version was registered. Free space on it or make it writable "
            "(ARTIFACT_DIR), then train again",
            field="artifact_dir",
        ) from exc


def read_metadata(directory: Path, model: ModelRow) -> dict[str, Any]:
    """The folder's metadata.json; Conflict (409) when the registry row outlived its artifact."""
    meta_path = directory / METADATA_FILE
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise _artifact_missing(model, f"{METADATA_FILE} cannot be read ({exc})") from None
    if not isinstance(meta, dict):
        raise _artifact_missing(model, f"{METADATA_FILE} is not a JSON object")
    return meta


def pack_archive(directory: Path) -> bytes:
    """Every regular file under `directory` in a zip: names sorted, timestamps fixed, no links."""
    return reproducible_zip(
        {path.relative_to(directory).as_posix(): path.read_bytes() for path in _files(directory)}
    )


def remove_artifact(directory: Path) -> None:
    """Delete a model folder: renamed aside first, so a crash never leaves half a model in place."""
    if not directory.exists():
        return
    tombstone = directory.with_name(f"{TOMBSTONE_PREFIX}{directory.name}-{uuid.uuid4().hex[:8]}")
    directory.rename(tombstone)  # atomic on one filesystem: the model is whole or gone
    shutil.rmtree(tombstone)


def sweep_leftovers(store: Path, older_than_s: float = LEFTOVER_AGE_S) -> list[Path]:
    """Remove what a killed process left in the store: half-written models (`.tmp-*`) and
    half-deleted ones (`.deleting-*`) older than `older_than_s` (younger ones may be in use)."""
    cutoff = time.time() - older_than_s
    found = [*store.glob(f"{TMP_PREFIX}*"), *store.glob(f"*/{TOMBSTONE_PREFIX}*")]
    removed = []
    for path in found:
        try:
            if path.is_dir() and not path.is_symlink() and path.stat().st_mtime < cutoff:
                shutil.rmtree(path)
                removed.append(path)
        except OSError as exc:
            log.warning("could not remove leftover %s: %s", path, exc)
    return removed


def ensure_present(directory: Path, model: ModelRow) -> None:
    """Conflict (409) when the model's folder is gone."""
    if not directory.is_dir():
        raise _artifact_missing(model, "its folder does not exist")


def _files(directory: Path) -> list[Path]:
    # Symbolic links are skipped (os.walk does not enter linked folders): one could point
    # anywhere on the machine.
    found = []
    for parent, _, names in os.walk(directory, followlinks=False):
        for name in names:
            path = Path(parent) / name
            if path.is_file() and not path.is_symlink():
                found.append(path)
    return sorted(found, key=lambda p: p.relative_to(directory).as_posix())


def _artifact_missing(model: ModelRow, why: str) -> Conflict:
    return Conflict(
        f"{model.name} v{model.version} is registered but its artifact {model.artifact_dir!r} is "
        f"unusable: {why}; restore the folder or delete the model",
        field="model_id",
        code="artifact_missing",
    )
