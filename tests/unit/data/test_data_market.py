"""The MarketData facade: request checks, bars across sources, and cache-warming downloads."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from shared.data import MarketData
from shared.data.bars import validate_bars
from shared.errors import JobCancelled, ValidationError


@pytest.fixture
def plain(tmp_path: Path) -> MarketData:
    return MarketData(tmp_path)


def test_sources_are_listed_with_intervals(plain: MarketData) -> None:
    sources = {s.name: s for s in plain.sources()}
    assert list(sources) == ["builtin", "files", "synthetic", "yfinance"]
    assert sources["builtin"].intervals == ("1d", "1wk", "1mo")
    assert sources["synthetic"].intervals == ("1d", "1h", "1wk", "1mo")
    assert "1m" in sources["yfinance"].intervals and not sources["yfinance"].offline
    assert sources["builtin"].close_only_note and "AAPL" in sources["builtin"].close_only_note
    assert all(s.offline for n, s in sources.items() if n != "yfinance")


# (source, symbols, start, end, interval, field, message part)
CHECKS = [
    ("nope", ["X"], None, None, "1d", "source",
     "unknown source 'nope'; choose one of: builtin, files, synthetic, yfinance"),
    ("builtin", [], None, None, "1d", "symbols", "no symbols given"),
    ("builtin", ["SP500", "sp500"], None, None, "1d", "symbols", "duplicate symbols: SP500"),
    ("builtin", ["TSLA"], None, None, "1d", "symbols", "unknown symbol 'TSLA' for source builtin"),
    ("synthetic", ["RANDOM"], None, None, "1d", "symbols", "use GBM-<name> or GARCH-<name>"),
    ("files", ["MINE"], None, None, "1d", "symbols", "upload it first"),
    ("yfinance", ["A/B"], None, None, "1d", "symbols", "invalid symbol 'A/B'"),
    ("builtin", ["SP500"], date(2020, 1, 2), date(2020, 1, 1), "1d", "end",
     "end 2020-01-01 is before start 2020-01-02"),
    ("builtin", ["SP500"], None, None, "1h", "interval",
     "interval '1h' is not offered by source builtin; choose one of: 1d, 1wk, 1mo"),
    ("builtin", ["SP500"], date(2019, 6, 1), None, "1d", "start",
     "start 2019-06-01 is after the last bar; SP500 has bars from 1999-01-04 to 2018-12-31"),
    ("builtin", ["AAPL"], None, date(1989, 1, 1), "1d", "end",
     "end 1989-01-01 is before the first bar; AAPL has bars from 1990-01-02 to 2022-12-28"),
]  # fmt: skip


@pytest.mark.parametrize(("source", "symbols", "start", "end", "interval", "field", "part"), CHECKS)
def test_check_request_names_the_field(
    plain: MarketData, source: str, symbols: list[str], start: date | None, end: date | None,
    interval: str, field: str, part: str,
) -> None:  # fmt: skip
    with pytest.raises(ValidationError) as err:
        plain.check_request(source, symbols, start, end, interval)
    assert err.value.field == field
    assert part in err.value.detail


def test_check_request_accepts_open_universes_without_fetching(plain: MarketData) -> None:
    plain.check_request("yfinance", ["AAPL", "^GSPC", "EURUSD=X"], None, None, "1m")
    plain.check_request("synthetic", ["GBM-ANYTHING", "garch-x"], date(2000, 1, 1), None, "1h")


def test_bars_are_sliced_inclusively_and_validated(plain: MarketData) -> None:
    bars = plain.bars("builtin", "SP500", date(2000, 1, 3), date(2000, 1, 7))
    assert [t.day for t in bars.index] == [3, 4, 5, 6, 7]
    validate_bars(bars, "SP500")


def test_weekly_bars_from_daily(plain: MarketData) -> None:
    daily = plain.bars("builtin", "SP500", date(2000, 1, 3), date(2000, 1, 14))
    weekly = plain.bars("builtin", "SP500", date(2000, 1, 3), date(2000, 1, 14), "1wk")
    assert len(weekly) == 2
    week1 = daily.loc["2000-01-03":"2000-01-07"]
    assert weekly.iloc[0]["open"] == week1["open"].iloc[0]
    assert weekly.iloc[0]["high"] == week1["high"].max()
    assert weekly.iloc[0]["low"] == week1["low"].min()
    assert weekly.iloc[0]["close"] == week1["close"].iloc[-1]
    assert weekly.iloc[0]["volume"] == week1["volume"].sum()


def test_sub_range_of_synthetic_equals_the_slice_of_the_whole(plain: MarketData) -> None:
    whole = plain.bars("synthetic", "GBM-DEMO", None, None)
    part = plain.bars(
        "synthetic", "GBM-DEMO", date(2020, 1, 1), date(2020, 12, 31), use_cache=False
    )
    pd.testing.assert_frame_equal(part, whole.loc["2020-01-01":"2020-12-31"])


def test_empty_range_says_what_is_available(plain: MarketData) -> None:
    with pytest.raises(ValidationError) as err:
        plain.bars("builtin", "SP500", date(2001, 9, 12), date(2001, 9, 16))  # markets closed
    assert err.value.field == "end"
    assert (
        "SP500: no bars between 2001-09-12 and 2001-09-16; available from 1999-01-04"
        in err.value.detail
    )


def test_download_warms_the_cache_and_reports_progress(market: MarketData, fake_yahoo: Any) -> None:
    seen: list[tuple[float, str]] = []
    start, end = date(2021, 3, 1), date(2021, 3, 31)
    out = market.download(
        "yfinance", ["AAPL", "MSFT"], start, end, "1d", lambda f, m: seen.append((f, m))
    )
    assert out["symbols"]["AAPL"] == {
        "rows": 23, "first": "2021-03-01T00:00:00+00:00", "last": "2021-03-31T00:00:00+00:00",
        "cached": False,
    }  # fmt: skip
    assert [f for f, _ in seen] == [0.5, 1.0]
    assert seen[0][1] == "AAPL: 23 bars fetched (1/2)"
    again = market.download("yfinance", ["AAPL", "MSFT"], start, end, "1d")
    assert all(v["cached"] for v in again["symbols"].values())
    assert len(fake_yahoo.calls) == 2


def test_download_caches_cheap_sources_too(market: MarketData, tmp_path: Path) -> None:
    first = market.download("synthetic", ["GBM-A"], None, None, "1d")
    assert first["symbols"]["GBM-A"]["cached"] is False
    assert (tmp_path / "cache" / "synthetic" / "GBM-A" / "1d.parquet").exists()
    assert market.download("synthetic", ["GBM-A"], None, None, "1d")["symbols"]["GBM-A"]["cached"]


def test_progress_exceptions_propagate(market: MarketData) -> None:
    def cancel(fraction: float, message: str) -> None:
        raise JobCancelled()

    with pytest.raises(JobCancelled):
        market.download("synthetic", ["GBM-A", "GBM-B"], None, None, "1d", cancel)


def test_download_checks_everything_before_fetching(market: MarketData, fake_yahoo: Any) -> None:
    with pytest.raises(ValidationError, match="duplicate symbols: AAPL"):
        market.download("yfinance", ["AAPL", "MSFT", "aapl"], None, None, "1d")
    assert fake_yahoo.calls == []


def test_open_sources_list_cached_symbols(market: MarketData) -> None:
    market.bars("yfinance", "NVDA", date(2021, 3, 1), date(2021, 3, 5))
    assert "NVDA" in [s.symbol for s in market.symbols("yfinance")]
