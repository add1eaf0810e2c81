"""A Celery app on the suite's Redis (its own database) and a fresh queue per test."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from celery import Celery

from shared.config import Settings
from shared.jobs.celery_app import make_celery


@pytest.fixture
def broker_url(redis_url: str) -> str:
    return redis_url.rsplit("/", 1)[0] + "/13"


@pytest.fixture
def celery(broker_url: str, tmp_path: Path) -> Iterator[Celery]:
    app = make_celery("test-api", Settings(var_dir=tmp_path, redis_url=broker_url))
    yield app
    app.close()


@pytest.fixture
def broker(broker_url: str) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(broker_url, socket_connect_timeout=1, socket_timeout=2)
    yield client
    client.close()


@pytest.fixture
def queue(broker: redis.Redis) -> Iterator[str]:
    """A queue no other test uses; on Redis, a list named after it."""
    name = f"test-{uuid.uuid4().hex[:8]}"
    yield name
    broker.delete(name)


def waiting_task_ids(client: redis.Redis, queue: str) -> list[str]:
    """Task ids of the messages in `queue`, read from kombu's Redis list (JSON per message)."""
    return [json.loads(raw)["headers"]["id"] for raw in client.lrange(queue, 0, -1)]
