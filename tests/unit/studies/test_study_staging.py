"""A study's staged trial policies do not pile up: its report keeps only the best trial's, the
best one's goes once registered, and a study that ended otherwise (cancelled, failed, gone)
keeps nothing, while a running study's trials are left alone."""

from __future__ import annotations

import math
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from shared.errors import Conflict
from shared.ml.study_report import return_stats
from shared.schemas.jobs import JobKind, JobStatus
from shared.storage import jobs
from shared.storage.db import Database, utcnow
from shared.storage.tables import StudyRow
from trainer.studies.register import register_best
from trainer.studies.staging import STAGING, discard_staged, staging_dir, sweep_staged
from trainer.studies.trials import finalize

REQUEST: dict[str, Any] = {
    "source": "builtin", "symbols": ["SP500"], "start": "2010-01-01", "end": "2014-12-31",
    "algorithms": ["ppo", "a2c"], "n_trials": 3,
}  # fmt: skip


def _stage(store: Path, study_id: str, trials: range) -> None:
    for idx in trials:
        folder = store / staging_dir(study_id, idx)
        folder.mkdir(parents=True)
        (folder / "policy.safetensors").write_bytes(b"weights")


def _staged(store: Path, study_id: str) -> list[str] | None:
    folder = store / STAGING / study_id
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else None


def _study(
    db: Database, status: JobStatus, *, best: int | None = None, model_id: str | None = None
) -> str:
    result = {"best": {"number": best}} if best is not None else None
    job, _ = jobs.create(
        db, kind=JobKind.STUDY, queue="train", params=REQUEST, idempotency_key=None,
        companion=lambda job: StudyRow(
            id=f"study-{job.id[:8]}", job_id=job.id, owner=None, created_at=utcnow(),
            request=REQUEST, n_trials=3, result=result, model_id=model_id,
        ),
    )  # fmt: skip
    jobs.set_status(db, job.id, status=status)
    return f"study-{job.id[:8]}"


def _trial(number: int, mean: float) -> dict[str, Any]:
    returns = np.random.default_rng(number).normal(mean, 0.01, 300)
    stats = return_stats(returns)
    value = stats["sr_period"] * math.sqrt(252)
    return {"trial": {"number": number, "state": "complete", "algorithm": "ppo",
                      "value": value, **stats}}  # fmt: skip


def test_discarding_keeps_only_the_trial_asked_for(tmp_path: Path) -> None:
    _stage(tmp_path, "s1", range(4))
    assert discard_staged(tmp_path, "s1", keep=2) == [0, 1, 3]
    assert _staged(tmp_path, "s1") == ["trial-2"]
    assert (tmp_path / staging_dir("s1", 2) / "policy.safetensors").read_bytes() == b"weights"
    assert discard_staged(tmp_path, "s1") == [2]
    assert _staged(tmp_path, "s1") is None  # the study's folder goes with its last trial
    assert discard_staged(tmp_path, "never-staged") == []


def test_the_report_keeps_only_the_best_trials_policy(database: Database, tmp_path: Path) -> None:
    study_id = _study(database, JobStatus.RUNNING)
    _stage(tmp_path, study_id, range(3))
    runtime = SimpleNamespace(db=database, settings=SimpleNamespace(artifacts_path=tmp_path))
    chunks = [_trial(0, 0.0), _trial(1, 0.002), _trial(2, -0.001)]
    out = finalize(runtime, study_id, chunks)  # type: ignore[arg-type]
    assert out["best_trial"] == 1
    assert _staged(tmp_path, study_id) == ["trial-1"]


def test_a_registered_study_cannot_register_again(database: Database, tmp_path: Path) -> None:
    study_id = _study(database, JobStatus.SUCCEEDED, best=1, model_id="m-1")
    with database.session() as s:
        row = s.get(StudyRow, study_id)
    settings = SimpleNamespace(artifacts_path=tmp_path)
    with pytest.raises(Conflict, match="already registered: it is model m-1") as err:
        register_best(database, settings, row, "again", None)  # type: ignore[arg-type]
    assert err.value.field == "study_id"


def test_the_sweep_keeps_what_running_and_unregistered_studies_need(
    database: Database, tmp_path: Path
) -> None:
    running = _study(database, JobStatus.RUNNING)
    unregistered = _study(database, JobStatus.SUCCEEDED, best=1)
    registered = _study(database, JobStatus.SUCCEEDED, best=0, model_id="m-1")
    cancelled = _study(database, JobStatus.CANCELLED)
    failed = _study(database, JobStatus.FAILED)
    for study_id in (running, unregistered, registered, cancelled, failed, "deleted-study"):
        _stage(tmp_path, study_id, range(3))

    swept = sweep_staged(database, tmp_path)

    assert sorted(swept) == sorted([unregistered, registered, cancelled, failed, "deleted-study"])
    assert _staged(tmp_path, running) == ["trial-0", "trial-1", "trial-2"]
    assert _staged(tmp_path, unregistered) == ["trial-1"]
    for gone in (registered, cancelled, failed, "deleted-study"):
        assert _staged(tmp_path, gone) is None, gone
    assert sweep_staged(database, tmp_path) == []  # nothing left to sweep
