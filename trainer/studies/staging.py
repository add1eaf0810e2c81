"""Where a study's trial policies wait outside the registry, and when they are thrown away.

Every completed trial stages its policy, but only the best trial's is ever registered: the
others go when the study's report is made, the best one's once it is registered, and a study that
ends without a report (cancelled, failed) or no longer exists keeps nothing.
"""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path

from shared.errors import NotFound
from shared.schemas.jobs import FINAL_STATUSES, JobStatus
from shared.storage import resources
from shared.storage.db import Database
from shared.storage.tables import StudyRow
from trainer.store import remove_artifact

log = logging.getLogger(__name__)
STAGING = "_studies"  # under the artifact store; no model name starts with "_"
_TRIAL_PREFIX = "trial-"


def staging_dir(study_id: str, idx: int) -> str:
    """Where trial `idx`'s policy waits, outside the registry, until the study registers it."""
    return f"{STAGING}/{study_id}/{_TRIAL_PREFIX}{idx}"


def discard_staged(store: Path, study_id: str, keep: int | None = None) -> list[int]:
    """Delete the study's staged trial policies but trial `keep`'s; the trials deleted.

    With nothing kept the study's staging folder goes too.
    """
    folder = store / STAGING / study_id
    if not folder.is_dir():
        return []
    removed = []
    for path in sorted(folder.iterdir()):
        idx = _trial_index(path.name)
        if idx is not None and idx == keep:
            continue
        if path.is_dir() and not path.is_symlink():
            remove_artifact(path)
        else:
            path.unlink()
        if idx is not None:
            removed.append(idx)
    if keep is None:
        _remove_if_empty(folder)
    return sorted(removed)


def sweep_staged(db: Database, store: Path) -> list[str]:
    """Discard what finished studies no longer need (their report made, registered, cancelled,
    failed or deleted); the ids of the studies whose staging was swept. Running ones are left."""
    root = store / STAGING
    if not root.is_dir():
        return []
    swept = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        finished, keep = _needs(db, folder.name)
        if not finished:
            continue
        try:
            if discard_staged(store, folder.name, keep=keep):
                swept.append(folder.name)
        except OSError as exc:  # another worker sweeping at once, or a read-only store
            log.warning("could not sweep the staged trials of study %s: %s", folder.name, exc)
    return swept


def _needs(db: Database, study_id: str) -> tuple[bool, int | None]:
    """(whether the study is over, the trial whose policy it still needs: its unregistered best)."""
    try:
        row, job = resources.with_job(db, StudyRow, study_id)
    except NotFound:
        return True, None
    if job.status not in FINAL_STATUSES:
        return False, None
    best = (row.result or {}).get("best")
    if job.status != JobStatus.SUCCEEDED or row.model_id is not None or best is None:
        return True, None
    return True, int(best["number"])


def _trial_index(name: str) -> int | None:
    digits = name.removeprefix(_TRIAL_PREFIX)
    return int(digits) if name.startswith(_TRIAL_PREFIX) and digits.isdigit() else None


def _remove_if_empty(folder: Path) -> None:
    # not empty when a trial staged meanwhile: it stays for the next sweep
    with contextlib.suppress(OSError):
        folder.rmdir()
