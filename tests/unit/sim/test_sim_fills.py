"""Hand-derived fills: timing, order-on-change, sizing, shares, leverage and short rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest

from shared.sim import simulate
from tests.unit.sim.conftest import panel, targets_for

N = np.nan
OPENS = [10.0, 11.0, 12.0, 13.0]
CLOSES = [10.5, 11.5, 12.5, 13.5]


@dataclass
class Case:
    name: str
    targets: list[float]
    fills: list[tuple[int, float, float]]  # (bar, price, signed shares)
    kwargs: dict[str, Any] = field(default_factory=dict)
    opens: list[float] = field(default_factory=lambda: OPENS)
    closes: list[float] = field(default_factory=lambda: CLOSES)


SHARES = {"size_type": "shares"}
CASES = [
    # decided at the close of bar t, filled at the open of t+1
    Case("next open", [100, N, 0, N], [(1, 11.0, 100), (3, 13.0, -100)], SHARES),
    # fill="close" trades on the decision bar's own close (optimistic)
    Case("close", [100, N, 0, N], [(0, 10.5, 100), (2, 12.5, -100)], {**SHARES, "fill": "close"}),
    # one bar of latency: t+2's open; the exit decided at bar 2 would fill after the data ends
    Case("delay 1", [100, N, 0, N], [(2, 12.0, 100)], {**SHARES, "delay": 1}),
    Case(
        "delay 1 at close",
        [100, N, 0, N],
        [(1, 11.5, 100), (3, 13.5, -100)],
        {**SHARES, "fill": "close", "delay": 1},
    ),
    # a repeated target places nothing; NaN keeps the position
    Case("on change only", [100, 100, 100, 0], [(1, 11.0, 100)], SHARES),
    Case("NaN keeps", [100, N, 100, N], [(1, 11.0, 100)], SHARES),
    # a first target of 0 is no change from the flat start
    Case("first zero", [0, 0, 50, N], [(3, 13.0, 50)], SHARES),
    Case(
        "resize",
        [100, 40, -30, N],
        [(1, 11.0, 100), (2, 12.0, -60), (3, 13.0, -70)],
        {**SHARES, "max_leverage": 2.0},
    ),
    # weights: 0.5 of 1,000 at the fill bar's open of 11 -> 500 / 11 shares
    Case("weight", [0.5, N, N, N], [(1, 11.0, 500 / 11)], {"initial_cash": 1000.0}),
    # value: 330 of cash at 11 -> 30 shares
    Case("value", [330, N, N, N], [(1, 11.0, 30.0)], {"size_type": "value"}),
    # whole shares round toward zero: 1000 / 11 = 90.9 -> 90, and -90.9 -> -90
    Case(
        "whole long",
        [1.0, N, N, N],
        [(1, 11.0, 90)],
        {"initial_cash": 1000.0, "whole_shares": True},
    ),
    Case(
        "whole short",
        [-1.0, N, N, N],
        [(1, 11.0, -90)],
        {"initial_cash": 1000.0, "whole_shares": True},
    ),
    # leverage 2: 2 x 1,000 of exposure allowed; asking for 3x is cut to 2,000 / 11 shares
    Case(
        "leverage 2",
        [3.0, N, N, N],
        [(1, 11.0, 2000 / 11)],
        {"initial_cash": 1000.0, "max_leverage": 2.0},
    ),
    # half leverage: a 100 % target is cut to 500 of exposure
    Case(
        "leverage 0.5",
        [1.0, N, N, N],
        [(1, 11.0, 500 / 11)],
        {"initial_cash": 1000.0, "max_leverage": 0.5},
    ),
    # long-only: a short target from a long closes it (and goes no further)
    Case(
        "no short",
        [0.5, -0.5, N, N],
        [(1, 11.0, 500 / 11), (2, 12.0, -500 / 11)],
        {"initial_cash": 1000.0, "allow_short": False},
    ),
    # a flip long -> short is one order
    Case("flip", [10, -10, N, N], [(1, 11.0, 10), (2, 12.0, -20)], SHARES),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_fill_table(case: Case) -> None:
    prices = panel(case.opens, case.closes)
    result = simulate(prices, targets_for(prices, case.targets), **case.kwargs)
    fills = result.fills
    got = list(zip(fills["bar"], fills["price"], fills["filled"], strict=True))
    assert len(got) == len(case.fills), got
    for (bar, price, qty), (want_bar, want_price, want_qty) in zip(got, case.fills, strict=True):
        assert bar == want_bar
        assert price == pytest.approx(want_price, rel=1e-12)
        assert qty == pytest.approx(want_qty, rel=1e-12)


def test_equity_by_hand(flat_prices: dict) -> None:
    """100 shares bought at 11 (bar 1), sold at 13 (bar 3), cash 10,000."""
    result = simulate(
        flat_prices,
        targets_for(flat_prices, [100, N, 0, N]),
        initial_cash=10_000.0,
        size_type="shares",
    )
    # bar 0: nothing; bar 1: cash 8,900 + 100 x 11.5; bar 2: + 100 x 12.5; bar 3: all cash
    assert result.equity.tolist() == pytest.approx([10_000, 10_050, 10_150, 10_200], rel=1e-12)
    assert result.cash.tolist() == pytest.approx([10_000, 8_900, 8_900, 10_200], rel=1e-12)
    assert result.positions.iloc[:, 0].tolist() == [0.0, 100.0, 100.0, 0.0]


def test_buy_and_hold_is_one_open_trade(flat_prices: dict) -> None:
    result = simulate(flat_prices, targets_for(flat_prices, [1.0, N, N, N]), initial_cash=1000.0)
    trades = result.trades
    assert len(trades) == 1 and bool(trades["is_open"].iloc[0])
    # marked at the last close, not sold: 1000 / 11 shares worth 13.5 each
    assert result.equity.iloc[-1] == pytest.approx(1000 / 11 * 13.5, rel=1e-12)
    assert trades["exit_price"].iloc[0] == pytest.approx(13.5)
    assert trades["return_pct"].iloc[0] == pytest.approx((13.5 / 11 - 1) * 100, rel=1e-12)
    assert result.summary["total_trades"] == 1
    assert result.summary["open_trades"] == 1


def test_close_at_end_sells_at_the_last_close(flat_prices: dict) -> None:
    result = simulate(
        flat_prices,
        targets_for(flat_prices, [1.0, N, N, N]),
        initial_cash=1000.0,
        close_at_end=True,
        commission=0.01,
    )
    last = result.orders.iloc[-1]
    assert (last["origin"], last["bar"], last["price"]) == ("close_at_end", 3, 13.5)
    trades = result.trades
    assert not trades["is_open"].any()
    # equity is all cash after the sale, its fee included
    assert result.equity.iloc[-1] == pytest.approx(result.cash.iloc[-1])
    shares = result.fills["filled"].iloc[0]
    fees = 0.01 * shares * 11 + 0.01 * shares * 13.5
    assert trades["fees"].iloc[0] == pytest.approx(fees, rel=1e-12)
    assert result.equity.iloc[-1] == pytest.approx(1000 - shares * 11 + shares * 13.5 - fees)


def test_unaffordable_order_is_cut_and_recorded(flat_prices: dict) -> None:
    # 100 % of 1,000 at 11 plus a 1 % fee does not fit: the size x solves x * 11 * 1.01 = 1000
    result = simulate(
        flat_prices, targets_for(flat_prices, [1.0, N, N, N]), initial_cash=1000.0, commission=0.01
    )
    order = result.orders.iloc[0]
    assert (order["status"], order["reason"]) == ("reduced", "cash")
    assert order["requested"] == pytest.approx(1000 / 11)
    assert order["filled"] == pytest.approx(1000 / (11 * 1.01), rel=1e-12)
    assert result.cash.iloc[1] == pytest.approx(0.0, abs=1e-9)


def test_order_with_no_buying_power_is_rejected(flat_prices: dict) -> None:
    # already 100 % long at bar 1; a bigger target at bar 2 has nothing left to spend
    result = simulate(
        flat_prices,
        targets_for(flat_prices, [1.0, 1.5, N, N]),
        initial_cash=1000.0,
        whole_shares=True,
    )
    order = result.orders.iloc[1]
    assert (order["status"], order["reason"], order["filled"]) == ("rejected", "cash", 0.0)
    assert result.positions.iloc[-1, 0] == 90.0


def test_shorting_disallowed_from_flat_is_rejected(flat_prices: dict) -> None:
    result = simulate(flat_prices, targets_for(flat_prices, [-1.0, N, N, N]), allow_short=False)
    order = result.orders.iloc[0]
    assert (order["status"], order["reason"], order["filled"]) == ("rejected", "no_short", 0.0)
    assert result.equity.iloc[-1] == 100_000.0


def test_sells_run_before_buys_in_a_bar() -> None:
    # all-in on A, then switch to all-in on B at bar 2: only possible if A is sold first
    prices = panel([[10.0, 20.0]] * 4, symbols=["A", "B"])
    targets = targets_for(prices, [[1.0, 0.0], [0.0, 1.0], [N, N], [N, N]])
    result = simulate(prices, targets, initial_cash=1000.0)
    fills = result.fills
    assert list(zip(fills["bar"], fills["symbol"], fills["filled"], strict=True)) == [
        (1, "A", 100.0),
        (2, "A", -100.0),
        (2, "B", 50.0),
    ]
    assert (result.orders["status"] == "filled").all()


def test_cash_per_asset_splits_the_capital() -> None:
    prices = panel([[10.0, 20.0]] * 3, symbols=["A", "B"])
    targets = targets_for(prices, [[1.0, 1.0], [N, N], [N, N]])
    result = simulate(prices, targets, initial_cash=1000.0, cash="per_asset")
    # each account holds 500: 50 shares of A, 25 of B; shared cash would refuse the second
    assert result.fills["filled"].tolist() == [50.0, 25.0]
    shared = simulate(prices, targets, initial_cash=1000.0)
    assert shared.orders["status"].tolist() == ["filled", "rejected"]


def test_rebalance_always_restores_the_weight() -> None:
    prices = panel([10.0, 10.0, 20.0, 20.0])
    targets = targets_for(prices, [0.5, N, N, N])
    kept = simulate(prices, targets, initial_cash=1000.0)
    assert len(kept.fills) == 1  # drift is left alone by default
    rebalanced = simulate(prices, targets, initial_cash=1000.0, rebalance="always")
    # bar 2's open is 20: 50 shares are worth 1,000 of 1,500 equity; back to 750 = 37.5 shares
    fills = rebalanced.fills
    assert fills["bar"].tolist() == [1, 2]
    assert fills["position"].tolist() == pytest.approx([50.0, 37.5])
    assert fills["origin"].tolist() == ["target", "rebalance"]
    threshold = simulate(prices, targets, initial_cash=1000.0, rebalance=0.2)
    assert len(threshold.fills) == 1  # drift 0.667 - 0.5 = 0.167 of equity < 0.2


def test_flip_splits_one_fill_into_two_trades() -> None:
    prices = panel([10.0, 10.0, 12.0, 12.0])
    result = simulate(
        prices,
        targets_for(prices, [10, -10, N, N]),
        size_type="shares",
        commission=0.01,
    )
    trades = result.trades
    assert trades["direction"].tolist() == ["long", "short"]
    flip_fee = 0.01 * 20 * 12
    assert trades["fees"].tolist() == pytest.approx([1.0 + flip_fee / 2, flip_fee / 2])
    assert trades["exit_bar"].tolist() == [2, -1]
    assert trades["pnl"].iloc[0] == pytest.approx(10 * (12 - 10) - 1.0 - flip_fee / 2)
