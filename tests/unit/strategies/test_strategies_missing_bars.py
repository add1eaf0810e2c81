"""Built-in strategies on panels with missing bars: a trading halt and a late listing.

The oracle: each symbol's signals at its observed bars are those of the strategy run on that
symbol's own closes with the gaps dropped; where a symbol has no close the target is NaN (keep).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from arch.data import nasdaq, sp500

from shared.features.indicators import sma
from shared.strategies import build_targets

N_BARS = 700
HALT = slice(300, 303)  # three missing bars mid-series
LATE = 100  # the first 100 bars missing: listed late
RUNS = [
    ("buy_and_hold", {}, False),
    ("sma_crossover", {"fast": 10, "slow": 40}, False),
    ("sma_crossover", {"fast": 5, "slow": 20}, True),
    ("rsi_mean_reversion", {}, False),
    ("rsi_mean_reversion", {"period": 7, "lower": 35, "upper": 65}, True),
]
IDS = [f"{name}-{'short' if short else 'long'}-{len(p)}" for name, p, short in RUNS]


def _closes() -> pd.DataFrame:
    a, b = sp500.load()["Close"], nasdaq.load()["Close"]
    return pd.DataFrame({"SPX": a, "NDX": b}).iloc[:N_BARS].astype(float)


def _gapped(symbols: tuple[str, ...]) -> pd.DataFrame:
    """SPX halted for three bars, NDX listed late (whichever of them is asked for)."""
    close = _closes()[list(symbols)].copy()
    if "SPX" in close:
        close.iloc[HALT, close.columns.get_loc("SPX")] = np.nan
    if "NDX" in close:
        close.iloc[:LATE, close.columns.get_loc("NDX")] = np.nan
    return close


@pytest.mark.parametrize("symbols", [("SPX",), ("NDX",), ("SPX", "NDX")])
@pytest.mark.parametrize(("name", "params", "short"), RUNS, ids=IDS)
def test_signals_at_observed_bars_are_those_of_the_symbols_own_closes(
    name: str, params: dict, short: bool, symbols: tuple[str, ...]
) -> None:
    close = _gapped(symbols)
    before = close.copy()
    targets = build_targets(name, close, params, allow_short=short, position_size=0.9)
    pd.testing.assert_frame_equal(close, before)  # not mutated
    for symbol in symbols:
        own = close[[symbol]].dropna()
        alone = build_targets(
            name, own, params, allow_short=short, position_size=0.9 / len(symbols)
        )[symbol]
        got = targets[symbol]
        # same decisions at the symbol's own bars; NaN (keep) where it has no close
        pd.testing.assert_series_equal(got.loc[own.index], alone)
        assert got[close[symbol].isna()].isna().all()
    assert targets.notna().to_numpy().any()


@pytest.mark.parametrize(("name", "params", "short"), RUNS[1:], ids=IDS[1:])
def test_before_its_indicator_exists_a_late_listing_is_flat(
    name: str, params: dict, short: bool
) -> None:
    targets = build_targets(name, _gapped(("NDX",)), params, allow_short=short)["NDX"]
    warm_up = params.get("slow", params.get("period", 14))  # bars before the first value
    assert targets.iloc[:LATE].isna().all()  # not listed: no opinion, keep (nothing held)
    assert (targets.iloc[LATE : LATE + warm_up - 1] == 0.0).all()  # listed: flat


def test_buy_and_hold_buys_each_symbol_at_its_first_close() -> None:
    close = _gapped(("SPX", "NDX"))
    close["GONE"] = np.nan  # a symbol with no price at all: never bought
    targets = build_targets("buy_and_hold", close, position_size=0.9)
    assert targets.notna().sum().to_dict() == {"SPX": 1, "NDX": 1, "GONE": 0}
    assert targets["SPX"].iloc[0] == pytest.approx(0.3)  # split over the symbols as before
    assert targets["NDX"].iloc[LATE] == pytest.approx(0.3)


def test_a_halt_does_not_reset_the_averages() -> None:
    # one missing close used to wipe the averages; now the bar is skipped: the average after
    # the halt is that of the last `slow` observed closes
    closes = [10.0, 11, 12, np.nan, 13, 14, 15]
    close = pd.DataFrame({"A": closes}, index=pd.date_range("2024-01-01", periods=7, freq="B"))
    # fast=2 / slow=3 over observed closes 10, 11, 12, 13, 14, 15: rising, long once both exist
    targets = build_targets("sma_crossover", close, {"fast": 2, "slow": 3})["A"]
    assert targets.tolist()[:3] == [0.0, 0.0, 1.0]
    assert np.isnan(targets.iloc[3])
    assert targets.tolist()[4:] == [1.0, 1.0, 1.0]


@pytest.mark.parametrize("short", [False, True])
def test_complete_data_gives_the_same_sma_signals_as_before(short: bool) -> None:
    """The fused sweep kernel must match simulate() bit for bit: no change on complete data."""
    close = _closes()
    values = close.to_numpy()
    for fast, slow in ((3, 10), (20, 50), (50, 200)):
        # the rule as it was written before missing bars were handled, on the whole panel
        fast_ma, slow_ma = sma(values, fast), sma(values, slow)
        old = np.where(fast_ma > slow_ma, 1.0, np.where((fast_ma < slow_ma) & short, -1.0, 0.0))
        old[np.isnan(slow_ma)] = 0.0
        new = build_targets(
            "sma_crossover", close, {"fast": fast, "slow": slow}, allow_short=short,
            position_size=2.0,
        )  # fmt: skip
        np.testing.assert_array_equal(new.to_numpy(), old * 1.0)
