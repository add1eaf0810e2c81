"""Which workers are alive and how many messages wait, per queue.

Each worker keeps a short-lived key in Redis fresh. Asking the workers over the broker (celery
inspect) waits out its whole timeout on every call; a key with a TTL answers at once and vanishes
on its own when a worker dies, even by SIGKILL.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import redis
from celery import Celery
from celery.signals import worker_ready, worker_shutdown

log = logging.getLogger(__name__)

PREFIX = "tradelab:workers:"
TTL_S = 15
REFRESH_S = 5.0


def _key(queue: str, hostname: str) -> str:
    return f"{PREFIX}{queue}:{hostname}"


def install_presence(app: Celery, redis_url: str) -> None:
    """Announce this worker's queues while it runs (call once in the worker module)."""
    stop = threading.Event()
    client = redis.Redis.from_url(redis_url, socket_timeout=2)
    keys: list[str] = []

    def refresh() -> None:
        while True:
            try:
                with client.pipeline() as pipe:
                    for key in keys:
                        pipe.set(key, "1", ex=TTL_S)
                    pipe.execute()
            except redis.RedisError as exc:
                log.warning("could not refresh worker presence: %s", exc)
            if stop.wait(REFRESH_S):
                return

    @worker_ready.connect(weak=False)
    def _ready(sender: Any, **_: Any) -> None:
        if sender.app is not app:
            return
        keys.extend(_key(q, sender.hostname) for q in app.amqp.queues.consume_from)
        threading.Thread(target=refresh, daemon=True, name="worker-presence").start()

    @worker_shutdown.connect(weak=False)
    def _shutdown(**_: Any) -> None:
        stop.set()
        try:
            if keys:
                client.delete(*keys)
        except redis.RedisError:
            pass


def workers_per_queue(client: redis.Redis) -> dict[str, int]:
    """Live workers per queue name."""
    counts: dict[str, int] = {}
    for raw in client.scan_iter(match=f"{PREFIX}*", count=500):
        queue = raw.decode().removeprefix(PREFIX).split(":", 1)[0]
        counts[queue] = counts.get(queue, 0) + 1
    return counts


def queue_depth(client: redis.Redis, queue: str) -> int:
    """Messages waiting in a Celery queue (on Redis, a list named after the queue)."""
    return int(client.llen(queue))
