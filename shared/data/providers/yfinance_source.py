"""Real bars downloaded from Yahoo Finance through the ``yfinance`` package.

Prices are fetched with ``auto_adjust=True``: open, high, low and close are all adjusted for
splits and dividends, so returns across a split or an ex-dividend day are real returns (a
backtest on raw closes would see a fake crash). Daily and coarser bars are stamped at 00:00 UTC
of their exchange date; intraday bars are converted to UTC.

Rate limits are retried with exponential backoff (``backoff_base_s * 2**attempt``); a network
failure is reported at once as ``Unavailable`` (no retries, short timeout), so offline use fails
fast. Repeats do not reach Yahoo: the facade caches what this provider returns.
"""

from __future__ import annotations

import logging
import time
import warnings
from collections.abc import Callable
from datetime import date, timedelta

import pandas as pd

from shared.data.bars import make_bars
from shared.data.providers.base import OHLCV_FIELDS, Provider, SymbolInfo
from shared.errors import DataError, Unavailable, ValidationError

log = logging.getLogger(__name__)

Download = Callable[[str, date | None, date | None, str], pd.DataFrame]
"""(symbol, start, end inclusive, interval) -> a yfinance-shaped frame (Open, High, ...)."""

YF_INTERVALS = ("1m", "2m", "5m", "15m", "30m", "60m", "90m", "1h", "1d", "5d", "1wk", "1mo", "3mo")
_DAILY_OR_COARSER = {"1d", "5d", "1wk", "1mo", "3mo"}
_EXAMPLES = {"AAPL": "Apple", "MSFT": "Microsoft", "SPY": "SPDR S&P 500 ETF", "^GSPC": "S&P 500"}
_OFFLINE_HINT = "check your internet connection or use source=builtin/synthetic"


def yahoo_download(timeout_s: float) -> Download:
    """The real download function: ``Ticker.history`` with errors raised, not printed."""

    def download(symbol: str, start: date | None, end: date | None, interval: str) -> pd.DataFrame:
        import yfinance as yf

        kwargs: dict[str, object] = {"period": "max"} if start is None else {"start": start}
        if end is not None:
            kwargs["end"] = end + timedelta(days=1)  # Yahoo's end is exclusive
        with warnings.catch_warnings():
            # raise_errors is deprecated, but it is the only per-call switch (not a global one)
            warnings.simplefilter("ignore", DeprecationWarning)
            return yf.Ticker(symbol).history(
                interval=interval,
                auto_adjust=True,
                actions=False,
                repair=False,
                timeout=timeout_s,
                raise_errors=True,
                **kwargs,
            )

    return download


def _is_rate_limit(exc: Exception) -> bool:
    from yfinance.exceptions import YFRateLimitError

    text = str(exc)
    return isinstance(exc, YFRateLimitError) or "Too Many Requests" in text or " 429" in text


def _is_missing(exc: Exception) -> bool:
    from yfinance.exceptions import YFTickerMissingError

    return isinstance(exc, YFTickerMissingError)


class YFinanceProvider(Provider):
    """Yahoo Finance bars via ``yfinance``: any Yahoo ticker, needs the internet."""

    name = "yfinance"
    description = (
        "Real bars from Yahoo Finance (needs the internet; cached after the first download). "
        "Any Yahoo ticker: AAPL, SPY, ^GSPC (index), EURUSD=X, BTC-USD. Prices are adjusted "
        "for splits and dividends."
    )
    native_intervals = YF_INTERVALS
    offline = False
    cheap = False
    fixed_universe = False

    def __init__(
        self,
        download: Download | None = None,
        *,
        max_retries: int = 3,
        backoff_base_s: float = 1.0,
        timeout_s: float = 5.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._download = download or yahoo_download(timeout_s)
        self._max_retries = max_retries
        self._backoff_base_s = backoff_base_s
        self._sleep = sleep

    def symbols(self) -> list[SymbolInfo]:
        """A few example tickers; any Yahoo ticker works."""
        return [self.symbol_info(s) for s in _EXAMPLES]

    def symbol_info(self, symbol: str) -> SymbolInfo:
        """Any ticker is accepted here; Yahoo decides on download."""
        return SymbolInfo(symbol, _EXAMPLES.get(symbol, symbol), self.name, OHLCV_FIELDS)

    def fetch(
        self, symbol: str, start: date | None, end: date | None, interval: str
    ) -> pd.DataFrame:
        """Download [start, end] with retries; unknown ticker → ValidationError(field=symbols)."""
        raw = self._download_with_retries(symbol, start, end, interval)
        if raw is None or len(raw) == 0:
            raise self._unknown(symbol, start, end)
        return to_bars(raw, symbol, interval)

    def _download_with_retries(
        self, symbol: str, start: date | None, end: date | None, interval: str
    ) -> pd.DataFrame | None:
        for attempt in range(self._max_retries + 1):
            try:
                return self._download(symbol, start, end, interval)
            except Exception as exc:
                if _is_missing(exc):
                    raise self._unknown(symbol, start, end) from exc
                if not _is_rate_limit(exc):
                    mapped = self._failed(symbol, exc)
                    if mapped is None:  # not a download problem: a bug, let it surface
                        raise
                    raise mapped from exc
                if attempt == self._max_retries:
                    raise Unavailable(
                        f"yfinance rate-limited the download of {symbol} "
                        f"{self._max_retries + 1} times; retry in a few minutes or use "
                        "source=builtin/synthetic"
                    ) from exc
                delay = self._backoff_base_s * 2**attempt
                log.warning(
                    "yfinance rate limit on %s; retry %d in %.1fs", symbol, attempt + 1, delay
                )
                self._sleep(delay)
        return None

    def _unknown(self, symbol: str, start: date | None, end: date | None) -> ValidationError:
        return ValidationError(
            f"unknown symbol {symbol!r} for source yfinance: Yahoo returned no bars between "
            f"{start or 'the beginning'} and {end or 'today'}; check the ticker on "
            "finance.yahoo.com (indices start with ^, e.g. ^GSPC) or widen the date range",
            field="symbols",
        )

    def _failed(self, symbol: str, exc: Exception) -> Unavailable | None:
        from yfinance.exceptions import YFException

        reason = str(exc).split(". See ")[0][:200] or type(exc).__name__
        if isinstance(exc, OSError):  # curl_cffi and requests errors: DNS, refused, timeout
            return Unavailable(
                f"yfinance could not be reached while downloading {symbol} ({reason}); "
                f"{_OFFLINE_HINT}"
            )
        if isinstance(exc, YFException):
            return Unavailable(f"yfinance failed to download {symbol} ({reason}); retry later")
        return None


def to_bars(raw: pd.DataFrame, symbol: str, interval: str) -> pd.DataFrame:
    """A yfinance frame (Open, High, Low, Close, Volume; exchange-local index) as canonical bars."""
    if isinstance(raw.columns, pd.MultiIndex):  # yf.download's (field, ticker) columns
        raw = raw.droplevel(-1, axis=1) if raw.columns.nlevels > 1 else raw
    missing = [c for c in ("Open", "High", "Low", "Close") if c not in raw.columns]
    if missing:
        raise DataError(
            f"{symbol}: yfinance returned no {', '.join(missing)} column(s); re-download later"
        )
    index = pd.DatetimeIndex(raw.index)
    if interval in _DAILY_OR_COARSER:
        # a daily bar belongs to its exchange date, whatever the exchange's time zone
        index = pd.DatetimeIndex(index.tz_localize(None) if index.tz else index).normalize()
    volume = raw["Volume"] if "Volume" in raw.columns else None
    return make_bars(index, raw["Open"], raw["High"], raw["Low"], raw["Close"], volume)
