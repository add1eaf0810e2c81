"""The bar cache: Parquet files on disk, with a Redis copy read first.

One entry per (source, symbol, interval), at
``<data_dir>/cache/<source>/<symbol>/<interval>.parquet``, holds the bars of the date range
that was fetched; that covered range and the fetch time are stored in the Parquet metadata,
so a file is self-describing. Redis holds the same Parquet bytes
under ``bars:<source>:<symbol>:<interval>`` for ``ttl_s`` seconds, shared by every worker.
Redis is an accelerator only: when it is down the cache logs a warning, uses the disk, and
leaves Redis alone for ``REDIS_RETRY_AFTER_S`` (redis-py itself retries for seconds per call).
"""

from __future__ import annotations

import io
import json
import logging
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import redis as redis_lib

from shared.data.atomic import write_atomic

log = logging.getLogger(__name__)

_META_KEY = b"tradelab.cache"
_REDIS_DOWN = (redis_lib.RedisError, OSError)
REDIS_RETRY_AFTER_S = 30.0
LIVE_MAX_AGE_S = 3600  # how long bars of a day that was still trading when fetched are trusted


@dataclass(frozen=True)
class CacheEntry:
    """Cached bars and the date range they cover (None: the source's whole history that way)."""

    bars: pd.DataFrame
    start: date | None
    end: date | None
    fetched_at: datetime

    def covers(self, start: date | None, end: date | None, now: datetime) -> bool:
        """True when [start, end] lies inside the covered range and its last day is settled.

        A day that had not ended when it was fetched may have changed (an unfinished daily bar):
        a request reaching into it is served only while the entry is under an hour old.
        """
        if self.start is not None and (start is None or start < self.start):
            return False
        if self.end is None:
            return True
        if end is None or end > self.end:
            return False
        if end >= self.fetched_at.date():
            return (now - self.fetched_at).total_seconds() < LIVE_MAX_AGE_S
        return True


def encode(entry: CacheEntry) -> bytes:
    """The entry as Parquet bytes with its range in the schema metadata."""
    meta = {
        "start": entry.start.isoformat() if entry.start else None,
        "end": entry.end.isoformat() if entry.end else None,
        "fetched_at": entry.fetched_at.isoformat(),
    }
    table = pa.Table.from_pandas(entry.bars, preserve_index=True)
    table = table.replace_schema_metadata(
        {**(table.schema.metadata or {}), _META_KEY: json.dumps(meta).encode()}
    )
    buf = io.BytesIO()
    pq.write_table(table, buf)
    return buf.getvalue()


def decode(data: bytes) -> CacheEntry:
    """Parse bytes written by ``encode``; raises ValueError/ArrowException when damaged."""
    table = pq.read_table(pa.BufferReader(data))
    meta = json.loads((table.schema.metadata or {})[_META_KEY])
    return CacheEntry(
        bars=table.to_pandas(),
        start=date.fromisoformat(meta["start"]) if meta["start"] else None,
        end=date.fromisoformat(meta["end"]) if meta["end"] else None,
        fetched_at=datetime.fromisoformat(meta["fetched_at"]),
    )


class BarCache:
    """Disk + Redis cache of bars; every method survives Redis being down."""

    def __init__(
        self,
        data_dir: Path,
        redis: redis_lib.Redis | None = None,
        *,
        ttl_s: int = 86400,
        key_prefix: str = "bars:",
    ) -> None:
        self.root = data_dir / "cache"
        self._redis = redis
        self._ttl_s = ttl_s
        self._prefix = key_prefix
        self._redis_down_until = 0.0

    def path(self, source: str, symbol: str, interval: str) -> Path:
        """Where the entry lives on disk."""
        return self.root / source / symbol / f"{interval}.parquet"

    def key(self, source: str, symbol: str, interval: str) -> str:
        """The entry's Redis key."""
        return f"{self._prefix}{source}:{symbol}:{interval}"

    def get(self, source: str, symbol: str, interval: str) -> CacheEntry | None:
        """The entry from Redis, else from disk (then copied back to Redis), else None."""
        key = self.key(source, symbol, interval)
        data = self._redis_get(key)
        if data is not None:
            entry = self._decode(data, f"redis key {key}")
            if entry is not None:
                return entry
        path = self.path(source, symbol, interval)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        entry = self._decode(data, str(path))
        if entry is not None:
            self._redis_set(key, data)
        return entry

    def put(
        self,
        source: str,
        symbol: str,
        interval: str,
        bars: pd.DataFrame,
        start: date | None,
        end: date | None,
    ) -> CacheEntry:
        """Store validated bars covering [start, end], replacing the entry atomically."""
        entry = CacheEntry(bars, start, end, datetime.now(UTC))
        data = encode(entry)
        write_atomic(self.path(source, symbol, interval), data)
        self._redis_set(self.key(source, symbol, interval), data)
        return entry

    def symbols(self, source: str) -> list[str]:
        """Symbols with at least one cached interval on disk."""
        folder = self.root / source
        if not folder.is_dir():
            return []
        return sorted(p.name for p in folder.iterdir() if p.is_dir() and any(p.glob("*.parquet")))

    def _decode(self, data: bytes, where: str) -> CacheEntry | None:
        try:
            return decode(data)
        except (ValueError, KeyError, OSError, pa.ArrowException) as exc:
            log.warning("ignoring damaged bar cache entry %s: %s", where, exc)
            return None

    def _redis_get(self, key: str) -> bytes | None:
        if self._redis is None or time.monotonic() < self._redis_down_until:
            return None
        try:
            value = self._redis.get(key)
        except _REDIS_DOWN as exc:
            self._mark_down(exc)
            return None
        return value if isinstance(value, bytes) else None

    def _redis_set(self, key: str, data: bytes) -> None:
        if self._redis is None or time.monotonic() < self._redis_down_until:
            return
        try:
            self._redis.set(key, data, ex=self._ttl_s)
        except _REDIS_DOWN as exc:
            self._mark_down(exc)

    def _mark_down(self, exc: Exception) -> None:
        self._redis_down_until = time.monotonic() + REDIS_RETRY_AFTER_S
        log.warning(
            "Redis unavailable for the bar cache (%s); using disk only for %.0fs",
            exc,
            REDIS_RETRY_AFTER_S,
        )
