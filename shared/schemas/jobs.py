"""Wire schemas of jobs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class JobOut(BaseModel):
    """A job as the API shows it."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    kind: str
    queue: str
    status: str = Field(description="queued, running, succeeded, failed or cancelled")
    progress: float = Field(ge=0, le=1)
    message: str
    params: dict[str, Any]
    result: dict[str, Any] | None = None
    error: str | None = None
    cancel_requested: bool
    detached: bool = Field(False, description="work fanned out to chunk tasks on the workers")
    attempts: int
    worker: str | None = None
    created_at: datetime
    updated_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None


class JobsPage(BaseModel):
    items: list[JobOut]
    total: int
    limit: int
    offset: int


class JobAccepted(BaseModel):
    """The answer to a submission of long work: the job, at once."""

    job: JobOut
