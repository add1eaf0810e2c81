"""Live job progress over Redis pub/sub: one channel per job; the database stays the record."""

from __future__ import annotations

import json
import logging

import redis

from shared.schemas.jobs import job_json
from shared.storage.tables import JobRow

log = logging.getLogger(__name__)


def channel(job_id: str) -> str:
    return f"job-events:{job_id}"


class EventPublisher:
    """Publishes a job's state after each change; a Redis outage never fails the job itself."""

    def __init__(self, client: redis.Redis) -> None:
        self.client = client

    def publish(self, job: JobRow) -> None:
        try:
            self.client.publish(channel(job.id), json.dumps(job_json(job)))
        except redis.RedisError as exc:
            log.warning("could not publish progress of job %s: %s", job.id, exc)
