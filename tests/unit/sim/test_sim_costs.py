"""Hand-derived costs: commission models, slippage, spread, range and impact, volume cap."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest

from shared.sim import Commission, Slippage, simulate
from tests.unit.sim.conftest import panel, targets_for

N = np.nan


@dataclass
class CostCase:
    name: str
    kwargs: dict[str, Any]
    buy: tuple[float, float]  # (fill price, fee) of buying 100 shares at the open of 11
    sell: tuple[float, float]  # (fill price, fee) of selling them at the open of 13
    extra: dict[str, Any] = field(default_factory=dict)


CASES = [
    CostCase("free", {}, (11.0, 0.0), (13.0, 0.0)),
    # rate of notional: 0.1 % of 1,100 and of 1,300
    CostCase("rate", {"commission": 0.001}, (11.0, 1.1), (13.0, 1.3)),
    # per share with a minimum: 100 x 0.005 = 0.5 is below the 1.0 minimum
    CostCase(
        "per share, minimum binds",
        {"commission": Commission(per_share=0.005, min_fee=1.0)},
        (11.0, 1.0),
        (13.0, 1.0),
    ),
    CostCase(
        "per share above minimum",
        {"commission": Commission(per_share=0.02, min_fee=1.0)},
        (11.0, 2.0),
        (13.0, 2.0),
    ),
    CostCase("fixed per order", {"commission": Commission(fixed=4.95)}, (11.0, 4.95), (13.0, 4.95)),
    # everything at once: 4.95 + max(0.001 x notional + 0.01 x 100, 1)
    CostCase(
        "combined",
        {"commission": Commission(rate=0.001, per_share=0.01, min_fee=1.0, fixed=4.95)},
        (11.0, 4.95 + 1.1 + 1.0),
        (13.0, 4.95 + 1.3 + 1.0),
    ),
    # 10 bps against us each way; the fee is charged on the price actually paid
    CostCase(
        "slippage bps",
        {"slippage": Slippage(bps=10.0), "commission": 0.001},
        (11.011, 0.001 * 100 * 11.011),
        (12.987, 0.001 * 100 * 12.987),
    ),
    # a 20 bps spread costs half of it per side
    CostCase("spread", {"slippage": Slippage(spread_bps=20.0)}, (11.011, 0.0), (12.987, 0.0)),
    # range model: 0.5 x (high - low) / close of the bar before the fill
    # bar 0: (10.5 - 9.5) / 10 = 0.1 -> 5 %; bar 2: (12.5 - 11.5) / 12 -> 0.5 / 12
    CostCase(
        "range",
        {"slippage": Slippage(range_frac=0.5)},
        (11.0 * 1.05, 0.0),
        (13.0 * (1 - 0.5 / 12), 0.0),
    ),
    # volume share 100 / 1,000 = 0.1 -> 0.1 x 0.1 ** 2 = 0.1 %
    CostCase("impact", {"slippage": Slippage(impact=0.1)}, (11.011, 0.0), (12.987, 0.0)),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_cost_table(case: CostCase) -> None:
    prices = panel(
        [10.0, 11.0, 12.0, 13.0],
        highs=[10.5, 11.5, 12.5, 13.5],
        lows=[9.5, 10.5, 11.5, 12.5],
        volumes=[1000.0] * 4,
    )
    result = simulate(
        prices, targets_for(prices, [100, N, 0, N]), size_type="shares", **case.kwargs
    )
    fills = result.fills
    assert fills["price"].tolist() == pytest.approx([case.buy[0], case.sell[0]], rel=1e-12)
    assert fills["fees"].tolist() == pytest.approx([case.buy[1], case.sell[1]], rel=1e-12)
    # slippage paid is measured against the untouched open
    paid = 100 * (case.buy[0] - 11.0) + 100 * (13.0 - case.sell[0])
    assert fills["slippage"].sum() == pytest.approx(paid, rel=1e-9, abs=1e-12)
    end = 100_000 - 100 * case.buy[0] - case.buy[1] + 100 * case.sell[0] - case.sell[1]
    assert result.equity.iloc[-1] == pytest.approx(end, rel=1e-12)
    summary = result.summary
    assert summary["fees_paid"] == pytest.approx(case.buy[1] + case.sell[1], rel=1e-12)
    # net trade return = gross return - fees / cash put in
    gross = case.sell[0] / case.buy[0] - 1.0
    net = gross - (case.buy[1] + case.sell[1]) / (100 * case.buy[0])
    assert result.trades["return_pct"].iloc[0] == pytest.approx(net * 100, rel=1e-9, abs=1e-12)
    assert result.trades["gross_return_pct"].iloc[0] == pytest.approx(gross * 100, abs=1e-12)


def test_short_pays_slippage_on_both_legs() -> None:
    prices = panel([10.0, 11.0, 12.0, 13.0])
    result = simulate(
        prices,
        targets_for(prices, [-100, N, 0, N]),
        size_type="shares",
        slippage=Slippage(bps=10.0),
    )
    assert result.fills["price"].tolist() == pytest.approx([11 * 0.999, 13 * 1.001])


def test_volume_cap_carries_the_rest() -> None:
    prices = panel([10.0, 11.0, 12.0, 13.0], volumes=[100.0, 100.0, 30.0, 100.0])
    targets = targets_for(prices, [100, N, N, N])
    result = simulate(prices, targets, size_type="shares", volume_cap=0.5)
    orders = result.orders
    # bar 1: 50 of 100 (half of 100), bar 2: 15 (half of 30), bar 3: the last 35
    assert orders["filled"].tolist() == [50.0, 15.0, 35.0]
    assert orders["origin"].tolist() == ["target", "carry", "carry"]
    assert orders["status"].tolist() == ["reduced", "reduced", "filled"]
    assert orders["reason"].tolist() == ["volume", "volume", ""]


def test_volume_cap_can_cancel_the_rest() -> None:
    prices = panel([10.0, 11.0, 12.0, 13.0], volumes=[100.0] * 4)
    targets = targets_for(prices, [100, N, N, N])
    result = simulate(
        prices, targets, size_type="shares", volume_cap=0.5, volume_cap_remainder="cancel"
    )
    assert result.orders["filled"].tolist() == [50.0]
    assert (result.orders["status"].iloc[0], result.orders["reason"].iloc[0]) == (
        "reduced",
        "volume",
    )


def test_a_new_target_replaces_a_carried_rest() -> None:
    prices = panel([10.0, 11.0, 12.0, 13.0], volumes=[100.0] * 4)
    targets = targets_for(prices, [100, 20, N, N])
    result = simulate(prices, targets, size_type="shares", volume_cap=0.5)
    # 50 bought at bar 1; at bar 2 the new target 20 means selling 30, not buying the rest
    assert result.orders["filled"].tolist() == [50.0, -30.0]
    assert result.positions.iloc[-1, 0] == 20.0


@pytest.mark.parametrize(
    ("lows", "highs", "opens", "kwargs", "exit_bar", "exit_price", "origin"),
    [
        # long from 11: the stop at 9.9 is reached by bar 2's low of 9.5
        ([10, 10.5, 9.5, 12], [10, 11, 11.5, 12], [10, 11, 11, 12], {"stop_loss": 0.1}, 2, 9.9,
         "stop_loss"),
        # gap below the stop: the open of 9 is the first price available
        ([10, 10.5, 8.5, 12], [10, 11, 9.5, 12], [10, 11, 9, 12], {"stop_loss": 0.1}, 2, 9.0,
         "stop_loss"),
        # take profit at 11 x 1.2 = 13.2, reached by bar 3's high
        ([10, 10.5, 10.8, 12], [10, 11, 12, 14], [10, 11, 11, 12], {"take_profit": 0.2}, 3,
         13.2, "take_profit"),
        # both levels inside one bar: the stop is assumed to come first
        ([10, 10.5, 9.0, 12], [10, 11, 14, 12], [10, 11, 11, 12],
         {"stop_loss": 0.1, "take_profit": 0.2}, 2, 9.9, "stop_loss"),
    ],
)  # fmt: skip
def test_stops(lows, highs, opens, kwargs, exit_bar, exit_price, origin) -> None:
    prices = panel(opens, closes=opens, highs=highs, lows=lows)
    result = simulate(prices, targets_for(prices, [1.0, N, N, N]), **kwargs)
    last = result.orders.iloc[-1]
    assert (last["origin"], last["bar"]) == (origin, exit_bar)
    assert last["price"] == pytest.approx(exit_price, rel=1e-12)
    assert result.positions.iloc[-1, 0] == 0.0
    # the target did not change, so the position is not bought back
    assert len(result.fills) == 2


def test_short_stop_loss_is_above_entry() -> None:
    prices = panel(
        [10, 10, 10, 10], closes=[10, 10, 10, 10], highs=[10, 10, 11.5, 10], lows=[10] * 4
    )
    result = simulate(prices, targets_for(prices, [-1.0, N, N, N]), stop_loss=0.1)
    last = result.orders.iloc[-1]
    assert (last["origin"], last["bar"], last["price"]) == ("stop_loss", 2, 11.0)
