"""Fixtures of the market-data tests: a real Redis on db 14 under a unique key prefix, a fake Yahoo."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import redis

from shared.data import MarketData
from shared.data.providers.synthetic import SyntheticProvider


@pytest.fixture
def key_prefix(redis_client: redis.Redis) -> Iterator[str]:
    """A key prefix no other test uses; its keys are deleted afterwards."""
    prefix = f"test-bars-{uuid.uuid4().hex[:12]}:"
    yield prefix
    keys = list(redis_client.scan_iter(match=f"{prefix}*"))
    if keys:
        redis_client.delete(*keys)


@dataclass
class FakeYahoo:
    """Stands in for yfinance: raises ``failures`` first, then returns Yahoo-shaped GBM bars."""

    failures: list[Exception] = field(default_factory=list)
    calls: list[tuple[str, date | None, date | None, str]] = field(default_factory=list)
    empty: bool = False

    def __call__(
        self, symbol: str, start: date | None, end: date | None, interval: str
    ) -> pd.DataFrame:
        self.calls.append((symbol, start, end, interval))
        if self.failures:
            raise self.failures.pop(0)
        if self.empty:
            return pd.DataFrame(columns=["Open", "High", "Low", "Close", "Volume"])
        bars = SyntheticProvider().fetch(f"GBM-{symbol}", None, None, "1d")
        if start is not None:
            bars = bars.loc[bars.index >= pd.Timestamp(start, tz="UTC")]
        if end is not None:
            bars = bars.loc[bars.index <= pd.Timestamp(end, tz="UTC")]
        # Yahoo stamps daily bars at midnight exchange time
        local = bars.index.tz_localize(None).tz_localize("America/New_York")
        out = bars.set_axis(local).rename(columns=str.capitalize)
        out.index.name = "Date"
        return out


@pytest.fixture
def fake_yahoo() -> FakeYahoo:
    return FakeYahoo()


@pytest.fixture
def market(
    tmp_path: Path, redis_client: redis.Redis, key_prefix: str, fake_yahoo: FakeYahoo
) -> MarketData:
    """MarketData on a temp dir, the test Redis and the fake Yahoo (no backoff delay)."""
    return MarketData(
        tmp_path,
        redis_client,
        yfinance_download=fake_yahoo,
        yfinance_backoff_s=0.0,
        cache_key_prefix=key_prefix,
        max_upload_bytes=10_000,
    )
