"""Live job progress over Redis pub/sub: one channel per job; the database stays the record."""

from __future__ import annotations

import json
import logging
from typing import Any

import redis

log = logging.getLogger(__name__)


def channel(job_id: str) -> str:
    return f"job-events:{job_id}"


class EventPublisher:
    """Publishes a job's state after each change; a Redis outage never fails the job itself."""

    def __init__(self, client: redis.Redis) -> None:
        self.client = client

    def publish(self, job: dict[str, Any]) -> None:
        try:
            self.client.publish(channel(job["id"]), json.dumps(job, default=str))
        except redis.RedisError as exc:
            log.warning("could not publish progress of job %s: %s", job["id"], exc)
