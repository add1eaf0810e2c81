"""Real market data shipped inside installed packages, so it works offline.

* ``SP500`` and ``NASDAQ``: daily OHLCV of the S&P 500 and NASDAQ Composite indices, 1999-2018,
  from ``arch.data`` (Yahoo data; ``Adj Close`` equals ``Close`` for an index and is not used).
  Known quirks (valid bars, reported, not altered): before mid-2006 most SP500 opens equal the
  previous close (Yahoo recorded no real open), so open-price fills have no overnight gap there;
  NASDAQ has two zero-volume bars (2015-05-12, 2018-01-09), surfaced as warnings.
* 20 US stocks (AAPL ... XOM): daily split/dividend-adjusted closes 1990-2022 from
  ``skfolio.datasets.load_sp500_dataset`` (rounded to 3 decimals). Close only: open, high and
  low are set equal to close, there is no volume, and the API says ``close_only: true``.
"""

from __future__ import annotations

import threading
from datetime import date
from functools import lru_cache

import pandas as pd

from shared.data.bars import close_only_bars, make_bars
from shared.data.providers.base import CLOSE_FIELDS, OHLCV_FIELDS, Provider, SymbolInfo

_INDEX_NAMES = {"SP500": "S&P 500 index", "NASDAQ": "NASDAQ Composite index"}
_STOCK_NAMES = {
    "AAPL": "Apple",
    "AMD": "Advanced Micro Devices",
    "BAC": "Bank of America",
    "BBY": "Best Buy",
    "CVX": "Chevron",
    "GE": "General Electric",
    "HD": "Home Depot",
    "JNJ": "Johnson & Johnson",
    "JPM": "JPMorgan Chase",
    "KO": "Coca-Cola",
    "LLY": "Eli Lilly",
    "MRK": "Merck",
    "MSFT": "Microsoft",
    "PEP": "PepsiCo",
    "PFE": "Pfizer",
    "PG": "Procter & Gamble",
    "RRC": "Range Resources",
    "UNH": "UnitedHealth",
    "WMT": "Walmart",
    "XOM": "Exxon Mobil",
}


# The packages are imported on first use (skfolio takes seconds to import); two request threads
# importing them at once can deadlock in the import system, so loading is serialised.
_LOAD_LOCK = threading.Lock()


@lru_cache(maxsize=2)
def _index_bars(symbol: str) -> pd.DataFrame:
    with _LOAD_LOCK:
        from arch.data import nasdaq, sp500

        raw = (sp500 if symbol == "SP500" else nasdaq).load()
    return make_bars(raw.index, raw["Open"], raw["High"], raw["Low"], raw["Close"], raw["Volume"])


@lru_cache(maxsize=1)
def _stock_closes() -> pd.DataFrame:
    with _LOAD_LOCK:
        from skfolio.datasets import load_sp500_dataset

        return load_sp500_dataset()


class BuiltinProvider(Provider):
    """Offline real data: two indices with OHLCV (arch) and 20 stocks with closes (skfolio)."""

    name = "builtin"
    description = (
        "Real daily data bundled with installed packages, works offline: SP500 and NASDAQ index "
        "OHLCV 1999-2018 (arch), and 20 US stocks' adjusted closes 1990-2022 (skfolio)."
    )
    native_intervals = ("1d",)
    close_only_note = (
        "The 20 stocks (AAPL ... XOM) are daily adjusted closes only: open = high = low = close "
        "and there is no volume; SP500 and NASDAQ have full OHLCV."
    )

    def symbols(self) -> list[SymbolInfo]:
        """Both indices, then the 20 stocks, each with its real first and last date."""
        return [self.symbol_info(s) for s in self._names()]

    def symbol_info(self, symbol: str) -> SymbolInfo:
        """The symbol's fields, date range and row count."""
        if symbol in _INDEX_NAMES:
            bars = _index_bars(symbol)
            name, fields, close_only = f"{_INDEX_NAMES[symbol]} (arch)", OHLCV_FIELDS, False
        elif symbol in _stock_closes().columns:
            bars = _stock_closes()[symbol]
            name = f"{_STOCK_NAMES.get(symbol, symbol)} adjusted close (skfolio)"
            fields, close_only = CLOSE_FIELDS, True
        else:
            raise self.unknown_symbol(symbol, self._names())
        return SymbolInfo(
            symbol=symbol,
            name=name,
            source=self.name,
            fields=fields,
            first=bars.index[0].date(),
            last=bars.index[-1].date(),
            close_only=close_only,
            rows=len(bars),
        )

    def fetch(
        self, symbol: str, start: date | None, end: date | None, interval: str
    ) -> pd.DataFrame:
        """The whole daily history of the symbol (the facade slices it)."""
        if symbol in _INDEX_NAMES:
            return _index_bars(symbol).copy()
        closes = _stock_closes()
        if symbol not in closes.columns:
            raise self.unknown_symbol(symbol, self._names())
        series = closes[symbol]
        return close_only_bars(pd.DatetimeIndex(series.index), series.to_numpy())

    def _names(self) -> list[str]:
        return [*_INDEX_NAMES, *map(str, _stock_closes().columns)]
