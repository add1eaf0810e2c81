"""The yfinance provider: retries with backoff, fast offline failure, unknown tickers, shapes."""

from __future__ import annotations

import socket
import time
from datetime import date
from typing import Any

import pandas as pd
import pytest
from yfinance.exceptions import YFPricesMissingError, YFRateLimitError

from shared.data.bars import validate_bars
from shared.data.providers.yfinance_source import YFinanceProvider, to_bars
from shared.errors import Unavailable, ValidationError

START, END = date(2021, 3, 1), date(2021, 3, 31)


@pytest.fixture
def fake(fake_yahoo: Any) -> Any:
    return fake_yahoo


def provider(fake: Any, retries: int = 3) -> tuple[YFinanceProvider, list[float]]:
    sleeps: list[float] = []
    return YFinanceProvider(
        fake, max_retries=retries, backoff_base_s=0.5, sleep=sleeps.append
    ), sleeps


def test_rate_limits_are_retried_with_exponential_backoff(fake: Any) -> None:
    fake.failures = [YFRateLimitError(), YFRateLimitError()]
    yf, sleeps = provider(fake)
    bars = yf.fetch("AAPL", START, END, "1d")
    assert len(fake.calls) == 3
    assert sleeps == [0.5, 1.0]
    validate_bars(bars, "AAPL")
    assert bars.index[0] == pd.Timestamp("2021-03-01", tz="UTC")


def test_rate_limit_that_persists_is_unavailable_after_max_retries(fake: Any) -> None:
    fake.failures = [YFRateLimitError() for _ in range(10)]
    yf, sleeps = provider(fake, retries=2)
    with pytest.raises(Unavailable, match="rate-limited the download of AAPL 3 times; retry in"):
        yf.fetch("AAPL", START, END, "1d")
    assert len(fake.calls) == 3
    assert sleeps == [0.5, 1.0]


def test_network_errors_fail_at_once_with_the_offline_hint(fake: Any) -> None:
    fake.failures = [ConnectionError("Could not resolve host: query2.finance.yahoo.com")]
    yf, sleeps = provider(fake)
    with pytest.raises(Unavailable) as err:
        yf.fetch("AAPL", START, END, "1d")
    assert err.value.status_code == 503
    assert err.value.detail.startswith("yfinance could not be reached")
    assert "check your internet connection or use source=builtin/synthetic" in err.value.detail
    assert len(fake.calls) == 1 and sleeps == []


def test_programming_errors_are_not_disguised(fake: Any) -> None:
    fake.failures = [TypeError("bug")]
    yf, _ = provider(fake)
    with pytest.raises(TypeError, match="bug"):
        yf.fetch("AAPL", START, END, "1d")


@pytest.mark.parametrize("how", ["empty-frame", "prices-missing"])
def test_unknown_ticker_is_a_symbols_error(fake: Any, how: str) -> None:
    if how == "empty-frame":
        fake.empty = True
    else:
        fake.failures = [YFPricesMissingError("ZZZZ", "")]
    yf, _ = provider(fake)
    with pytest.raises(ValidationError) as err:
        yf.fetch("ZZZZ", START, END, "1d")
    assert err.value.field == "symbols"
    assert err.value.detail.startswith("unknown symbol 'ZZZZ' for source yfinance")


def _offline() -> bool:
    try:
        socket.getaddrinfo("query2.finance.yahoo.com", 443)
    except OSError:
        return True
    return False


@pytest.mark.skipif(not _offline(), reason="the internet is reachable; this checks offline use")
def test_real_offline_call_is_unavailable_and_fast() -> None:
    yf = YFinanceProvider(max_retries=3, backoff_base_s=5.0, timeout_s=3.0)
    t0 = time.monotonic()
    with pytest.raises(Unavailable) as err:
        yf.fetch("AAPL", START, END, "1d")
    assert time.monotonic() - t0 < 5.0
    assert "yfinance could not be reached" in err.value.detail
    assert "check your internet connection or use source=builtin/synthetic" in err.value.detail


def test_daily_bars_are_stamped_at_their_exchange_date() -> None:
    local = pd.DatetimeIndex(["2021-03-01", "2021-03-02"]).tz_localize("Asia/Tokyo")
    raw = pd.DataFrame(
        {
            "Open": [1.0, 2.0],
            "High": [2.0, 3.0],
            "Low": [0.5, 1.5],
            "Close": [1.5, 2.5],
            "Volume": [10, 20],
        },
        index=local,
    )
    bars = to_bars(raw, "7203.T", "1d")
    assert list(bars.index) == [
        pd.Timestamp("2021-03-01", tz="UTC"),
        pd.Timestamp("2021-03-02", tz="UTC"),
    ]
    intraday = to_bars(raw, "7203.T", "1h")
    assert intraday.index[0] == pd.Timestamp("2021-02-28 15:00", tz="UTC")


def test_symbols_are_examples(fake: Any) -> None:
    yf, _ = provider(fake)
    assert [s.symbol for s in yf.symbols()] == ["AAPL", "MSFT", "SPY", "^GSPC"]
    assert yf.info().offline is False
