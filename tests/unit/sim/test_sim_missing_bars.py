"""simulate() on missing bars: a halt and a late listing keep positions, orders wait for a price.

Oracles: a one-symbol run on a panel with gaps equals the run on the same bars with the gaps
dropped (at the observed bars; a decision's next bar is then the reopening, the same bar the
waiting order fills on); with an account per symbol, a panel equals the sum of its symbols
run alone; small hand-written cases for the waiting rule.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from arch.data import nasdaq, sp500

from shared.errors import ValidationError
from shared.sim import simulate
from shared.sim.inputs import read_prices, read_targets
from shared.strategies import build_targets
from tests.unit.sim.conftest import panel, targets_for

N = np.nan
N_BARS = 700
LATE = 100
FIELDS = ("open", "high", "low", "close")
STRATEGIES = [
    ("buy_and_hold", {}),
    ("sma_crossover", {"fast": 5, "slow": 20}),
    ("rsi_mean_reversion", {"period": 7, "lower": 35, "upper": 65}),
]
OPTIONS = [
    {},
    {"fill": "close"},
    {"commission": 0.001, "whole_shares": True, "allow_short": False},
]


def _bars(symbols: tuple[str, ...], halt: int = 300) -> dict[str, pd.DataFrame]:
    """Real OHLC; SPX halted for three bars from `halt`, NDX listed late (those asked for)."""
    data = {"SPX": sp500.load(), "NDX": nasdaq.load()}
    out = {
        f: pd.DataFrame({s: data[s][f.capitalize()] for s in symbols}).iloc[:N_BARS].astype(float)
        for f in FIELDS
    }
    for frame in out.values():
        if "SPX" in frame:
            frame.iloc[halt : halt + 3, frame.columns.get_loc("SPX")] = N
        if "NDX" in frame:
            frame.iloc[:LATE, frame.columns.get_loc("NDX")] = N
    return out


def _halt_after_a_change(name: str, params: dict) -> int:
    """A halt that starts the bar after the strategy changes its mind: the order must wait."""
    close = _bars(("SPX",), halt=N_BARS)["close"]
    decided = build_targets(name, close, params)["SPX"].to_numpy()
    changes = np.flatnonzero(decided[300:] != decided[299:-1])
    return 300 + int(changes[0]) + 1 if len(changes) else 300


def _fills(result: Any) -> pd.DataFrame:
    return result.fills[["symbol", "time", "price", "filled"]].reset_index(drop=True)


@pytest.mark.parametrize("options", OPTIONS, ids=["next_open", "close", "costs"])
@pytest.mark.parametrize(("name", "params"), STRATEGIES, ids=[s[0] for s in STRATEGIES])
@pytest.mark.parametrize("symbol", ["SPX", "NDX"], ids=["halt", "late_listing"])
def test_a_run_with_gaps_equals_the_run_without_those_bars(
    symbol: str, name: str, params: dict, options: dict
) -> None:
    bars = _bars((symbol,), halt=_halt_after_a_change(name, params))
    short = options.get("allow_short", True)
    result = simulate(
        bars, build_targets(name, bars["close"], params, allow_short=short), **options
    )
    seen = bars["close"][symbol].notna()
    dense = {f: frame[seen] for f, frame in bars.items()}
    alone = simulate(
        dense, build_targets(name, dense["close"], params, allow_short=short), **options
    )
    pd.testing.assert_frame_equal(_fills(result), _fills(alone), rtol=1e-12)
    np.testing.assert_allclose(result.equity[seen], alone.equity, rtol=1e-12)
    # no price, nothing happens: the equity stands at the last close (or the initial cash)
    held = result.equity.ffill() if symbol == "SPX" else result.equity
    np.testing.assert_array_equal(result.equity[~seen], held[~seen])
    assert len(result.fills) > 0


@pytest.mark.parametrize(("name", "params"), STRATEGIES, ids=[s[0] for s in STRATEGIES])
def test_an_account_per_symbol_equals_each_symbol_alone(name: str, params: dict) -> None:
    bars = _bars(("SPX", "NDX"))
    targets = build_targets(name, bars["close"], params)
    together = simulate(bars, targets, cash="per_asset", commission=0.0005)
    total = sum(
        simulate(
            {f: frame[[s]] for f, frame in bars.items()}, targets[[s]],
            cash="per_asset", commission=0.0005, initial_cash=50_000.0,
        ).equity
        for s in ("SPX", "NDX")
    )  # fmt: skip
    np.testing.assert_allclose(together.equity, total, rtol=1e-12)


@pytest.mark.parametrize(("name", "params"), STRATEGIES, ids=[s[0] for s in STRATEGIES])
def test_a_shared_account_never_fills_on_a_bar_without_price(name: str, params: dict) -> None:
    bars = _bars(("SPX", "NDX"), halt=_halt_after_a_change(name, params) + 1)
    result = simulate(bars, build_targets(name, bars["close"], params), delay=1)
    orders = result.orders
    assert (orders["status"] != "rejected").all()  # every decision found a price in the end
    for symbol, bar in zip(orders["symbol"], orders["bar"], strict=True):
        assert np.isfinite(bars["open"][symbol].iloc[bar])
    assert (orders["bar"][orders["symbol"] == "NDX"] > LATE).all()


def _four_gapped() -> dict[str, pd.DataFrame]:
    prices = panel([10.0, 11, 12, 13, 14, 15])
    for frame in prices.values():
        frame.iloc[2:4, 0] = N  # bars 2 and 3 missing
    return prices


@pytest.mark.parametrize(
    ("values", "options", "fills"),
    [
        # decided at bar 1, due at bar 2 (no price): waits and fills at bar 4's open
        ([N, 1, N, N, N, N], {}, [(4, 14.0)]),
        # the newest decision while waiting wins: 0.5 decided at bar 3 replaces bar 1's 1
        ([N, 1, N, 0.5, N, N], {}, [(4, 14.0)]),
        # a decision on the first bar that can fill replaces the waiting one
        ([N, 1, N, 0.5, 0.25, N], {"fill": "close"}, [(1, 11.0), (4, 14.0)]),
        # one bar of delay: decided at bar 0, due at bar 2, fills at bar 4
        ([1, N, N, N, N, N], {"delay": 1}, [(4, 14.0)]),
        # waiting past the last bar: never filled
        ([N, N, N, N, 1, N], {"delay": 1}, []),
    ],
)
def test_an_order_due_in_a_gap_waits_for_the_next_price(
    values: list[float], options: dict, fills: list[tuple[int, float]]
) -> None:
    prices = _four_gapped()
    targets = targets_for(prices, values)
    before = targets.copy()
    result = simulate(prices, targets, **options)
    pd.testing.assert_frame_equal(targets, before)  # the caller's targets are not written
    got = [(int(b), p) for b, p in zip(result.orders["bar"], result.orders["price"], strict=True)]
    assert got == fills
    assert (result.orders["status"] == "filled").all()


def test_an_infinite_target_in_a_gap_is_reported_where_it_was_decided() -> None:
    prices = _four_gapped()
    targets = targets_for(prices, [N, 1, np.inf, N, N, N])
    with pytest.raises(ValidationError, match="infinite") as caught:
        simulate(prices, targets)
    assert str(prices["close"].index[2]) in caught.value.detail


def test_the_newest_decision_decides_the_size_after_a_gap() -> None:
    prices = _four_gapped()
    result = simulate(prices, targets_for(prices, [N, 1, N, 0.5, N, N]))
    assert result.orders["filled"].iloc[0] == pytest.approx(0.5 * 100_000 / 14.0)


def test_complete_prices_are_read_without_copying_the_targets() -> None:
    prices = panel([10.0, 11, 12, 13])
    targets = targets_for(prices, [1.0, N, 0.0, N])
    arrays = read_prices(prices, targets)
    assert not arrays.missing_prices
    assert np.shares_memory(read_targets(targets, arrays), targets.to_numpy())
    gapped = _four_gapped()
    assert read_prices(gapped, targets_for(gapped, [N] * 6)).missing_prices
