"""The training job function itself, on builtin data with a real database: it registers one
version, and a redelivery after that (a worker lost past registering) trains nothing again."""

from __future__ import annotations

import uuid
from pathlib import Path

from shared.config import Settings
from shared.jobs.worker_runtime import JobContext, WorkerRuntime
from shared.schemas.jobs import JobKind, Queue
from shared.schemas.trainings import TrainingRequest
from shared.storage import jobs, resources
from shared.storage import models as registry
from shared.storage.db import utcnow
from shared.storage.migrate import upgrade
from shared.storage.tables import TrainingRow
from trainer.tasks import training

REQUEST = TrainingRequest(
    model_name="job-unit", algorithm="xgboost", hyperparameters={"n_estimators": 5},
    symbols=["SP500"], start="2012-01-01", end="2014-12-31", validation={"n_folds": 2},
).model_dump(mode="json")  # fmt: skip


def test_a_redelivered_training_registers_no_second_version(tmp_path: Path, redis_url: str) -> None:
    settings = Settings(var_dir=tmp_path, redis_url=redis_url)
    upgrade(settings.sqlalchemy_url)
    runtime = WorkerRuntime(settings)
    job, _ = jobs.create(
        runtime.db, kind=JobKind.TRAINING, queue=Queue.TRAINING, params=REQUEST,
        idempotency_key=None,
    )  # fmt: skip
    row = TrainingRow(
        id=str(uuid.uuid4()), job_id=job.id, created_at=utcnow(), model_name="job-unit",
        request=REQUEST,
    )  # fmt: skip
    resources.add(runtime.db, row)
    attempt = jobs.Attempt(job.id, 1)
    jobs.set_status(runtime.db, job.id, status="running", attempts=1)
    ctx = JobContext(job.id, REQUEST, runtime, attempt)

    first = training(ctx)
    again = training(ctx)  # the same job delivered once more

    assert again == first
    rows, total = registry.list_models(runtime.db, name="job-unit", limit=10, offset=0)
    assert total == 1 and rows[0].version == 1 and rows[0].training_id == row.id
    folders = sorted(p.name for p in (settings.artifacts_path / "job-unit").iterdir())
    assert folders == ["v1"]
