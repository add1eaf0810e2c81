"""Metrics derived by hand from small equity curves and trade lists."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from shared.sim import records as rc
from shared.sim import simulate
from shared.sim.metrics import (
    drawdown,
    equity_stats,
    periods_per_year,
    trade_stats,
)
from shared.sim.result import SEED_KEYS
from tests.unit.sim.conftest import panel, targets_for

DAYS = pd.date_range("2021-01-04", periods=3, freq="B")


def test_equity_stats_by_hand() -> None:
    # curve 100 -> 110 -> 99 -> 121: returns +10 %, -10 %, +22.2 %
    stats = equity_stats(np.array([110.0, 99.0, 121.0]), 100.0, 252.0, DAYS)
    r = np.array([0.1, -0.1, 121 / 99 - 1])
    assert stats["total_return_pct"] == pytest.approx(21.0)
    assert stats["annual_return_pct"] == pytest.approx((1.21 ** (252 / 3) - 1) * 100)
    assert stats["volatility_pct"] == pytest.approx(r.std(ddof=1) * math.sqrt(252) * 100)
    assert stats["sharpe"] == pytest.approx(r.mean() / r.std(ddof=1) * math.sqrt(252))
    downside = math.sqrt((0.1**2) / 3)
    assert stats["sortino"] == pytest.approx(r.mean() / downside * math.sqrt(252))
    assert stats["max_drawdown_pct"] == pytest.approx(10.0)
    annual = 1.21 ** (252 / 3) - 1
    assert stats["calmar"] == pytest.approx(annual / 0.10)
    # peak at bar 0 (110), back above it at bar 2: two bars, two business days
    assert stats["max_drawdown_duration_bars"] == 2
    assert stats["max_drawdown_duration_days"] == 2.0


def test_drawdown_never_recovered_lasts_to_the_end() -> None:
    dd, bars, peak = drawdown(np.array([120.0, 90.0, 100.0, 95.0]), 100.0)
    assert dd == pytest.approx(0.25)
    assert (bars, peak) == (3, 1)


def test_flat_curve_has_no_ratios() -> None:
    stats = equity_stats(np.array([100.0, 100.0, 100.0]), 100.0, 252.0, DAYS)
    assert stats["sharpe"] is None and stats["sortino"] is None and stats["calmar"] is None
    assert stats["max_drawdown_pct"] == 0.0
    assert stats["max_drawdown_duration_bars"] == 0


@pytest.mark.parametrize(
    ("index", "expected"),
    [
        (pd.date_range("2020-01-01", periods=30, freq="B"), 252.0),
        (pd.date_range("2020-01-01", periods=30, freq="D"), 365.0),
        (pd.date_range("2020-01-03", periods=30, freq="W-FRI"), 52.0),
        (pd.date_range("2020-01-31", periods=30, freq="ME"), 12.0),
        (pd.date_range("2020-03-31", periods=30, freq="QE"), 4.0),
        (pd.date_range("2020-12-31", periods=5, freq="YE"), 1.0),
        # 7 hourly bars per trading day
        (
            pd.DatetimeIndex(
                [
                    d + pd.Timedelta(hours=h)
                    for d in pd.date_range("2020-01-06", periods=10, freq="B")
                    for h in range(9, 16)
                ]
            ),
            252.0 * 7,
        ),
        (pd.RangeIndex(10), 252.0),
    ],
)
def test_periods_per_year(index: pd.Index, expected: float) -> None:
    assert periods_per_year(index) == expected


def _trades(pnls: list[float], values: list[float], open_: list[bool]) -> np.ndarray:
    out = np.zeros(len(pnls), dtype=rc.trade_dt)
    out["direction"] = 1
    out["entry_value"] = values
    out["exit_value"] = np.asarray(values) + np.asarray(pnls)
    out["exit_qty"] = 1.0
    out["exit_bar"] = [-1 if o else 5 for o in open_]
    out["mark_price"] = np.nan
    return out


def test_trade_stats_by_hand() -> None:
    stats = trade_stats(_trades([10.0, -5.0, 20.0, -5.0], [100.0, 50.0, 100.0, 100.0], [False] * 4))
    assert stats["total_trades"] == 4
    assert stats["win_rate_pct"] == 50.0
    assert stats["profit_factor"] == pytest.approx(30.0 / 10.0)
    assert stats["avg_trade_return_pct"] == pytest.approx((10 - 10 + 20 - 5) / 4)
    assert stats["best_trade_return_pct"] == pytest.approx(20.0)
    assert stats["worst_trade_return_pct"] == pytest.approx(-10.0)


def test_no_trades_and_no_losses_are_undefined() -> None:
    empty = trade_stats(np.zeros(0, dtype=rc.trade_dt))
    assert empty["total_trades"] == 0 and empty["avg_trade_return_pct"] is None
    winners = trade_stats(_trades([1.0], [10.0], [False]))
    assert winners["profit_factor"] is None


def test_summary_is_strict_json_and_seeded(flat_prices: dict) -> None:
    result = simulate(flat_prices, targets_for(flat_prices, [1.0, np.nan, 0.0, np.nan]))
    summary = result.summary
    assert list(summary)[: len(SEED_KEYS)] == list(SEED_KEYS)
    json.dumps(summary, allow_nan=False)
    assert summary["start_date"] == "2020-01-01T00:00:00"
    assert summary["portfolio_start"] == 100_000.0
    assert summary["exposure_pct"] == 50.0  # held at the closes of bars 1 and 2


def test_benchmark_is_buy_and_hold_under_the_same_costs() -> None:
    prices = panel([[10.0, 20.0], [11.0, 20.0], [12.0, 25.0], [13.0, 30.0]], symbols=["A", "B"])
    result = simulate(prices, targets_for(prices, [[1.0, 0.0]] + [[np.nan] * 2] * 3))
    bench = result.benchmark
    assert bench is not None
    # half each, bought at bar 1's open: 50,000 / 11 of A and 2,500 of B
    assert bench.fills["filled"].tolist() == pytest.approx([50_000 / 11, 2_500.0])
    end = 50_000 / 11 * 13 + 2_500 * 30
    assert result.summary["benchmark_portfolio_end"] == pytest.approx(end)
    assert result.summary["benchmark_total_return_pct"] == pytest.approx((end / 1e5 - 1) * 100)
