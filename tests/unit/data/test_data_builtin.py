"""Builtin data: the real datasets shipped in arch and skfolio, with their real shapes."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from shared.data.bars import bar_warnings, validate_bars
from shared.data.providers.builtin import BuiltinProvider
from shared.errors import ValidationError

PROVIDER = BuiltinProvider()
STOCKS = ["AAPL", "AMD", "BAC", "BBY", "CVX", "GE", "HD", "JNJ", "JPM", "KO",
          "LLY", "MRK", "MSFT", "PEP", "PFE", "PG", "RRC", "UNH", "WMT", "XOM"]  # fmt: skip


def test_sp500_first_bar_is_the_real_one() -> None:
    bars = PROVIDER.fetch("SP500", None, None, "1d")
    first = bars.iloc[0]
    assert bars.index[0] == pd.Timestamp("1999-01-04", tz="UTC")
    assert first["open"] == pytest.approx(1229.23, abs=0.01)
    assert first["high"] == pytest.approx(1248.81, abs=0.01)
    assert first["close"] == pytest.approx(1228.10, abs=0.01)  # Close, not Adj Close
    assert first["volume"] == 877_000_000
    assert bars.index[-1] == pd.Timestamp("2018-12-31", tz="UTC")
    assert len(bars) == 5031


def test_symbols_list_two_indices_and_twenty_stocks() -> None:
    infos = PROVIDER.symbols()
    assert [i.symbol for i in infos] == ["SP500", "NASDAQ", *STOCKS]
    by = {i.symbol: i for i in infos}
    assert by["SP500"].fields == ("open", "high", "low", "close", "volume")
    assert not by["SP500"].close_only
    assert by["AAPL"].close_only and by["AAPL"].fields == ("close",)
    assert (by["AAPL"].first, by["AAPL"].last) == (date(1990, 1, 2), date(2022, 12, 28))
    assert by["NASDAQ"].rows == 5031


@pytest.mark.parametrize("symbol", ["SP500", "NASDAQ", *STOCKS])
def test_every_builtin_series_passes_validation(symbol: str) -> None:
    validate_bars(PROVIDER.fetch(symbol, None, None, "1d"), symbol)


def test_close_only_stocks_repeat_the_close_and_have_no_volume() -> None:
    bars = PROVIDER.fetch("MSFT", None, None, "1d")
    assert "volume" not in bars.columns
    assert (bars["open"] == bars["close"]).all() and (bars["high"] == bars["low"]).all()
    assert bars.index.is_monotonic_increasing and bars.index.tz is not None


def test_nasdaq_zero_volume_bars_are_surfaced_not_altered() -> None:
    bars = PROVIDER.fetch("NASDAQ", None, None, "1d")
    zero = bars.index[bars["volume"] == 0]
    assert [t.date() for t in zero] == [date(2015, 5, 12), date(2018, 1, 9)]
    assert bar_warnings(bars, "NASDAQ") == [
        "NASDAQ: 2 bars have zero volume (first at 2015-05-12); volume-based features are 0 there"
    ]


def test_unknown_symbol_lists_the_available_ones() -> None:
    with pytest.raises(ValidationError) as err:
        PROVIDER.symbol_info("TSLA")
    assert err.value.field == "symbols"
    assert (
        "unknown symbol 'TSLA' for source builtin; available: SP500, NASDAQ, AAPL"
        in err.value.detail
    )
