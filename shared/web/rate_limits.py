"""Rate limits kept in Redis (the `limits` library's fixed windows), so that every process of
every service counts against the same budget."""

from __future__ import annotations

import logging
import math
import time

import anyio.to_thread
from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

from shared.errors import ValidationError

log = logging.getLogger(__name__)


def parse_limit(text: str, setting: str) -> RateLimitItem:
    try:
        return parse(text)
    except ValueError as exc:
        raise ValidationError(
            f"{setting}={text!r} is not a rate such as '120/minute' or '10 per 1 second'",
            field=setting,
        ) from exc


class WriteLimiter:
    """Counts hits per bucket; `wait_needed` says how long to wait once a bucket is spent.

    When Redis is unreachable the limit is not applied (logged): refusing every write because
    the counter is down would turn a Redis blip into an outage, and submissions need Redis anyway.
    """

    def __init__(self, redis_url: str, rate: str, *, namespace: str, setting: str) -> None:
        self.item = parse_limit(rate, setting)
        self.namespace = namespace
        # The blocking client, called off the event loop: an asyncio client is bound to the loop
        # that made it, and one limiter serves whatever loop the app runs on.
        storage = storage_from_string(redis_url, socket_timeout=1, socket_connect_timeout=1)
        self.limiter = FixedWindowRateLimiter(storage)

    async def wait_needed(self, bucket: str) -> int | None:
        """None when this hit is within the limit, else whole seconds until the window resets."""
        return await anyio.to_thread.run_sync(self._wait_needed, bucket)

    def _wait_needed(self, bucket: str) -> int | None:
        try:
            if self.limiter.hit(self.item, self.namespace, bucket):
                return None
            stats = self.limiter.get_window_stats(self.item, self.namespace, bucket)
        except Exception as exc:  # redis errors, whatever the client library raises
            log.warning("rate limit not applied: its Redis is unreachable (%s)", exc)
            return None
        return max(1, math.ceil(stats.reset_time - time.time()))
