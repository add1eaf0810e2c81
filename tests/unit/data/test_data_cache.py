"""The bar cache: repeats never reach Yahoo; Redis first, disk second; Redis down is fine."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from shared.data import MarketData
from shared.data.cache import BarCache, CacheEntry, decode

START, END = date(2021, 3, 1), date(2021, 6, 30)


def test_second_request_does_not_download_again(market: MarketData, fake_yahoo: Any) -> None:
    first = market.bars("yfinance", "AAPL", START, END)
    again = market.bars("yfinance", "aapl", START, END)
    assert len(fake_yahoo.calls) == 1
    assert fake_yahoo.calls[0] == ("AAPL", START, END, "1d")
    pd.testing.assert_frame_equal(first, again)


def test_sub_range_is_served_from_cache(market: MarketData, fake_yahoo: Any) -> None:
    full = market.bars("yfinance", "AAPL", START, END)
    part = market.bars("yfinance", "AAPL", date(2021, 4, 1), date(2021, 4, 30))
    assert len(fake_yahoo.calls) == 1
    assert part.index[0] == pd.Timestamp("2021-04-01", tz="UTC")
    assert part.index[-1] == pd.Timestamp("2021-04-30", tz="UTC")
    pd.testing.assert_frame_equal(part, full.loc["2021-04-01":"2021-04-30"])


def test_wider_request_fetches_the_union_once(market: MarketData, fake_yahoo: Any) -> None:
    market.bars("yfinance", "AAPL", START, END)
    market.bars("yfinance", "AAPL", date(2021, 1, 4), date(2021, 3, 31))
    assert fake_yahoo.calls[1] == ("AAPL", date(2021, 1, 4), END, "1d")
    market.bars("yfinance", "AAPL", date(2021, 2, 1), date(2021, 6, 1))
    assert len(fake_yahoo.calls) == 2


def test_weekly_bars_of_yahoo_are_native_and_cached(market: MarketData, fake_yahoo: Any) -> None:
    market.bars("yfinance", "AAPL", START, END, "1wk")
    market.bars("yfinance", "AAPL", START, END, "1wk")
    assert [c[3] for c in fake_yahoo.calls] == ["1wk"]


def test_use_cache_false_always_downloads(market: MarketData, fake_yahoo: Any) -> None:
    market.bars("yfinance", "AAPL", START, END, use_cache=False)
    market.bars("yfinance", "AAPL", START, END, use_cache=False)
    assert len(fake_yahoo.calls) == 2


def test_disk_layout_and_metadata(market: MarketData, tmp_path: Path) -> None:
    market.bars("yfinance", "AAPL", START, END)
    path = tmp_path / "cache" / "yfinance" / "AAPL" / "1d.parquet"
    entry = decode(path.read_bytes())
    assert (entry.start, entry.end) == (START, END)
    assert entry.fetched_at.tzinfo is not None
    assert not list(path.parent.glob("*.tmp"))


def test_redis_copy_is_used_when_the_disk_file_is_gone(
    market: MarketData, fake_yahoo: Any, tmp_path: Path, redis_client: redis.Redis, key_prefix: str
) -> None:
    market.bars("yfinance", "AAPL", START, END)
    assert redis_client.ttl(f"{key_prefix}yfinance:AAPL:1d") > 0
    (tmp_path / "cache" / "yfinance" / "AAPL" / "1d.parquet").unlink()
    market.bars("yfinance", "AAPL", START, END)
    assert len(fake_yahoo.calls) == 1


def test_disk_copy_refills_redis(
    market: MarketData, fake_yahoo: Any, redis_client: redis.Redis, key_prefix: str
) -> None:
    market.bars("yfinance", "AAPL", START, END)
    redis_client.delete(f"{key_prefix}yfinance:AAPL:1d")
    market.bars("yfinance", "AAPL", START, END)
    assert redis_client.exists(f"{key_prefix}yfinance:AAPL:1d")
    assert len(fake_yahoo.calls) == 1


def test_redis_down_does_not_break_bars(
    tmp_path: Path, fake_yahoo: Any, caplog: pytest.LogCaptureFixture
) -> None:
    down = redis.Redis(host="127.0.0.1", port=1, retry=Retry(NoBackoff(), 0))
    market = MarketData(tmp_path, down, yfinance_download=fake_yahoo)
    with caplog.at_level(logging.WARNING):
        first = market.bars("yfinance", "AAPL", START, END)
        again = market.bars("yfinance", "AAPL", START, END)
    pd.testing.assert_frame_equal(first, again)
    assert len(fake_yahoo.calls) == 1  # served from disk
    assert "Redis unavailable for the bar cache" in caplog.text


class CountingDownRedis:
    """A Redis whose every call fails like a refused connection, counting the calls."""

    def __init__(self) -> None:
        self.calls = 0

    def get(self, key: str) -> bytes:
        self.calls += 1
        raise redis.ConnectionError("Connection refused")

    def set(self, key: str, value: bytes, ex: int) -> None:
        self.get(key)


def test_a_down_redis_is_left_alone_for_a_while(tmp_path: Path, fake_yahoo: Any) -> None:
    down = CountingDownRedis()
    market = MarketData(tmp_path, down, yfinance_download=fake_yahoo)  # type: ignore[arg-type]
    for _ in range(3):
        market.bars("yfinance", "AAPL", START, END)
    assert down.calls == 1


def test_damaged_entry_is_refetched(market: MarketData, fake_yahoo: Any, tmp_path: Path) -> None:
    cache = BarCache(tmp_path)  # no Redis: the damaged disk copy is what gets read
    solo = MarketData(tmp_path, None, yfinance_download=fake_yahoo)
    solo.bars("yfinance", "AAPL", START, END)
    cache.path("yfinance", "AAPL", "1d").write_bytes(b"not parquet")
    solo.bars("yfinance", "AAPL", START, END)
    assert len(fake_yahoo.calls) == 2


def test_cheap_sources_are_cached_whole(market: MarketData, tmp_path: Path) -> None:
    market.bars("builtin", "SP500", date(2010, 1, 1), date(2010, 12, 31))
    entry = decode((tmp_path / "cache" / "builtin" / "SP500" / "1d.parquet").read_bytes())
    assert (entry.start, entry.end) == (None, None)
    assert len(entry.bars) == 5031


NOW = datetime(2024, 5, 10, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("start", "end", "age_s", "covered"),
    [
        (date(2024, 1, 2), date(2024, 4, 29), 10 * 86400, True),  # settled days: any age
        (date(2023, 1, 2), date(2024, 5, 1), 0, False),  # starts before the entry
        (date(2024, 1, 2), date(2024, 5, 11), 0, False),  # ends after the entry
        (None, date(2024, 5, 1), 0, False),  # open start needs the whole history
        (date(2024, 1, 2), date(2024, 5, 10), 600, True),  # today, fetched 10 min ago
        (date(2024, 1, 2), date(2024, 5, 10), 7200, False),  # today, fetched 2 h ago
    ],
)
def test_covers(start: date | None, end: date, age_s: int, covered: bool) -> None:
    fetched = NOW - timedelta(seconds=age_s)
    entry = CacheEntry(pd.DataFrame(), date(2024, 1, 1), date(2024, 5, 10), fetched)
    assert entry.covers(start, end, NOW) is covered


def test_whole_history_entry_covers_everything() -> None:
    entry = CacheEntry(pd.DataFrame(), None, None, NOW - timedelta(days=400))
    assert entry.covers(None, None, NOW)
    assert entry.covers(date(1990, 1, 1), date(2035, 1, 1), NOW)
