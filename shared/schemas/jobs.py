"""Wire schemas of jobs and their vocabulary: kinds, statuses and the queue each kind runs on."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from shared.schemas.pages import Page


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


FINAL_STATUSES = frozenset({JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED})


class JobKind(StrEnum):
    DATA_DOWNLOAD = "data_download"
    SIMULATION = "simulation"
    SWEEP = "sweep"
    STRESS_TEST = "stress_test"
    TRAINING = "training"
    STUDY = "study"


class Queue(StrEnum):
    TRAINING = "training"
    SIMULATION = "simulation"


QUEUE_OF: dict[str, Queue] = {
    JobKind.DATA_DOWNLOAD: Queue.SIMULATION,
    JobKind.SIMULATION: Queue.SIMULATION,
    JobKind.SWEEP: Queue.SIMULATION,
    JobKind.STRESS_TEST: Queue.SIMULATION,
    JobKind.TRAINING: Queue.TRAINING,
    JobKind.STUDY: Queue.TRAINING,
}


class JobOut(BaseModel):
    """A job as the API shows it."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    kind: str
    queue: str
    status: JobStatus
    progress: float = Field(ge=0, le=1)
    message: str
    params: dict[str, Any]
    result: dict[str, Any] | None = None
    error: str | None = None
    cancel_requested: bool
    detached: bool = Field(False, description="work fanned out to chunk tasks on the workers")
    attempts: int
    worker: str | None = None
    owner: str | None = Field(
        None, description="the user who submitted it; null: the platform (no accounts, API_KEY)"
    )
    created_at: datetime
    updated_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None


class JobsPage(Page[JobOut]):
    """Jobs, newest first."""


class JobAccepted(BaseModel):
    """The answer to a submission of long work: the job, at once."""

    job: JobOut


def job_json(row: object) -> dict[str, Any]:
    """A job row as the API and the progress stream show it (JSON-ready)."""
    return JobOut.model_validate(row).model_dump(mode="json")
