"""Job functions run by the training worker. Training jobs arrive with the trainer issue."""

from __future__ import annotations

from shared.jobs.worker_runtime import JobFunction

JOBS: dict[str, JobFunction] = {}
