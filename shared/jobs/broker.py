"""A job's task in the broker: send it, and tell whether the broker still holds it.

On Redis, kombu keeps a queue's waiting messages in a list named after the queue (one more list
per priority step) and the messages delivered to a worker but not yet acknowledged in the
`unacked` hash, with each delivery's time in the `unacked_index` sorted set. With acks_late a
task stays there until it finishes, so a job's task is in the broker exactly while its id is in
one of these. A worker that dies holding a delivered task leaves it in `unacked` until the
visibility timeout (an hour) returns it to its queue.
"""

from __future__ import annotations

import json
import time
from functools import lru_cache

import redis
from celery import Celery

from shared.storage.tables import JobRow

UNACKED_KEY = "unacked"  # kombu's default `unacked_key`
UNACKED_INDEX_KEY = "unacked_index"  # kombu's default `unacked_index_key`: tag -> delivery time
PRIORITY_SEPARATOR = "\x06\x16"  # kombu's `sep` between a queue's name and its priority
PRIORITY_STEPS = (0, 3, 6, 9)  # kombu's default `priority_steps`; 0 is the plain list


def send_job_task(celery: Celery, job: JobRow) -> None:
    """Hand the job's task to the broker; raises kombu's OperationalError when it is unreachable.

    The task id is the job id, so revoking and tracing need no lookup table. ignore_result: no
    one reads task results (the job row is the record), and asking for one makes Celery
    subscribe to the result backend first, which retries for many seconds when Redis is down.
    """
    celery.send_task(job.kind, args=[job.id], task_id=job.id, queue=job.queue, ignore_result=True)


@lru_cache(maxsize=8)
def _client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)


def broker_client(celery: Celery) -> redis.Redis:
    """A Redis client on the app's broker (one per broker URL and process)."""
    return _client(str(celery.conf.broker_url))


def task_ids_in_broker(
    client: redis.Redis, queue: str, *, held_for_s: float | None = None
) -> set[str]:
    """Ids of the tasks waiting in `queue` or held, unacknowledged, by a worker (any queue).

    With `held_for_s`, a task delivered longer ago than that is left out: a live worker starts a
    job it was handed at once, so a job still queued behind such a delivery lost its worker.
    Read in one transaction, so a message moving from the list to a worker is seen once.
    """
    lists = [queue] + [f"{queue}{PRIORITY_SEPARATOR}{step}" for step in PRIORITY_STEPS[1:]]
    with client.pipeline(transaction=True) as pipe:
        for name in lists:
            pipe.lrange(name, 0, -1)
        pipe.hgetall(UNACKED_KEY)
        pipe.zrange(UNACKED_INDEX_KEY, 0, -1, withscores=True)
        *waiting, held, delivered = pipe.execute()
    ids = [_task_id(raw) for raws in waiting for raw in raws]
    if held_for_s is not None:
        cutoff = time.time() - held_for_s
        stale = {tag for tag, at in delivered if at < cutoff}
        held = {tag: raw for tag, raw in held.items() if tag not in stale}
    ids += [_task_id(raw, held=True) for raw in held.values()]
    return {task_id for task_id in ids if task_id is not None}


def _task_id(raw: bytes, *, held: bool = False) -> str | None:
    """The task id of one stored message; `held` ones are stored as [message, exchange, key]."""
    try:
        message = json.loads(raw)
        if held:
            message = message[0]
        return str(message["headers"]["id"])
    except (ValueError, KeyError, IndexError, TypeError):
        return None  # not a Celery task message
