"""Metrics at the edges: ruin, annualisation from the calendar, the benchmark's weights, one bar."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from shared.sim import simulate
from shared.sim.metrics import periods_per_year
from tests.unit.sim.conftest import panel, targets_for

NAN = np.nan


def _sharpe_sortino(curve: list[float], ppy: float) -> tuple[float, float]:
    r = np.diff(curve) / np.asarray(curve[:-1])
    root = math.sqrt(ppy)
    return (
        r.mean() / r.std(ddof=1) * root,
        r.mean() / math.sqrt(np.mean(np.minimum(r, 0.0) ** 2)) * root,
    )


# --- ruin -----------------------------------------------------------------------------------


def test_short_whose_price_triples_is_ruined_and_stops() -> None:
    # 1x short of 1,000 shares at 100 (bar 1's open); closes 150, 250 take equity 50k, -50k
    prices = panel([100.0, 100.0, 150.0, 250.0, 300.0, 310.0, 290.0])
    # the target changes again after the ruin: nothing may trade
    result = simulate(prices, targets_for(prices, [-1.0, NAN, NAN, NAN, -0.5, NAN, 0.0]))
    equity = result.equity.to_numpy()
    assert equity.tolist() == [100_000.0, 100_000.0, 50_000.0, -50_000.0, -50_000.0,
                               -50_000.0, -50_000.0]  # fmt: skip
    summary = result.summary
    assert summary["ruined_at"] == "2020-01-06T00:00:00"  # bar 3
    # ratios from the returns of [100k, 100k, 100k, 50k, -50k] only
    sharpe, sortino = _sharpe_sortino([1e5, 1e5, 1e5, 5e4, -5e4], 252.0)
    assert summary["sharpe"] == pytest.approx(sharpe) and sharpe < 0.0
    assert summary["sortino"] == pytest.approx(sortino) and sortino < 0.0
    assert summary["annual_return_pct"] == -100.0
    assert summary["total_return_pct"] == pytest.approx(-150.0)
    orders = result.orders
    assert orders["origin"].tolist() == ["target", "ruin"]
    ruin = orders.iloc[-1]
    assert (ruin["bar"], ruin["status"], ruin["filled"], ruin["price"]) == (3, "filled", 1000, 250)
    assert (ruin["fees"], ruin["slippage"], ruin["position"]) == (0.0, 0.0, 0.0)
    trade = result.trades.iloc[0]
    assert (trade["exit_bar"], trade["is_open"], trade["exit_price"]) == (3, False, 250.0)
    assert trade["pnl"] == pytest.approx(-150_000.0)
    assert result.positions.iloc[3:, 0].eq(0.0).all()
    assert result.gross_exposure.iloc[3:].eq(0.0).all()


def test_ruin_with_costs_keeps_the_equity_of_the_ruin_bar() -> None:
    prices = panel([100.0, 100.0, 180.0, 260.0, 200.0])
    result = simulate(prices, targets_for(prices, [-1.0, NAN, NAN, 0.0, NAN]), commission=0.001)
    shares = -result.fills["filled"].iloc[0]  # sized so that the fee fits (not tested here)
    cash = 100_000 + shares * 100.0 * (1 - 0.001)  # short sale, fee on the notional
    at_ruin = cash - shares * 260.0
    assert at_ruin < 0.0
    assert result.equity.iloc[3:].tolist() == pytest.approx([at_ruin, at_ruin], rel=1e-12)
    # the ruin close is free: the only fee is the short sale's
    assert result.summary["fees_paid"] == pytest.approx(shares * 100.0 * 0.001)
    assert result.orders["origin"].tolist() == ["target", "ruin"]


def test_per_asset_accounts_are_ruined_one_by_one() -> None:
    # A: short, ruined at bar 3; B: long, keeps trading after it
    opens = [[100.0, 10.0], [100.0, 10.0], [150.0, 11.0], [250.0, 12.0], [240.0, 13.0],
             [230.0, 14.0]]  # fmt: skip
    prices = panel(opens, symbols=["A", "B"])
    targets = [[-1.0, 1.0], [NAN, NAN], [NAN, NAN], [NAN, NAN], [-1.0, 0.5], [NAN, NAN]]
    result = simulate(prices, targets_for(prices, targets), cash="per_asset")
    a_orders = result.orders[result.orders["symbol"] == "A"]
    b_orders = result.orders[result.orders["symbol"] == "B"]
    assert a_orders["origin"].tolist() == ["target", "ruin"]
    assert b_orders["bar"].tolist() == [1, 5]  # B still re-sizes after A's ruin
    a_at_ruin = 50_000 + 500 * 100.0 - 500 * 250.0
    b_value = 5_000 * 14.0 / 2 + 5_000 * 14.0 / 2  # half sold at 14, half held at 14
    assert result.equity.iloc[-1] == pytest.approx(a_at_ruin + b_value)
    assert result.summary["ruined_at"] is None  # the portfolio as a whole stays above zero


def test_long_only_run_is_never_ruined_and_unchanged() -> None:
    closes = [10.0, 11.0, 9.0, 12.0, 8.0]
    prices = panel(closes)
    result = simulate(prices, targets_for(prices, [1.0, NAN, NAN, NAN, NAN]))
    shares = 100_000 / 11.0  # bought at bar 1's open
    expected = [100_000.0] + [shares * c for c in closes[1:]]
    assert result.equity.tolist() == pytest.approx(expected, rel=1e-12)
    assert result.summary["ruined_at"] is None
    assert "ruin" not in result.orders["origin"].tolist()


# --- annualisation --------------------------------------------------------------------------


def _hourly(days: pd.DatetimeIndex, hours: list[int], tz: str | None = None) -> pd.DatetimeIndex:
    stamps = [d + pd.Timedelta(hours=h) for d in days for h in hours]
    return pd.DatetimeIndex(stamps, tz=tz)


# a US regular session, 09:30-16:00 New York, as hourly bars stamped in UTC: in winter the
# 19:30 .. 01:30 bars (a late session, extended) cross midnight into the next UTC date
_US_EXTENDED = [
    pd.Timestamp("2021-01-04 14:30") + pd.Timedelta(days=d, hours=h)
    for d in range(70)
    if (pd.Timestamp("2021-01-04") + pd.Timedelta(days=d)).dayofweek < 5
    for h in range(12)  # 14:30 .. 01:30 UTC
]


@pytest.mark.parametrize(
    ("index", "expected"),
    [
        pytest.param(pd.bdate_range("2020-01-01", periods=300), 252.0, id="daily"),
        pytest.param(
            pd.bdate_range("2020-01-01", periods=300)
            .append(
                pd.DatetimeIndex(["2020-06-13"])  # one stray Saturday
            )
            .sort_values(),
            252.0,
            id="daily-one-saturday",
        ),
        pytest.param(pd.date_range("2020-01-01", periods=300, freq="D"), 365.0, id="crypto"),
        pytest.param(
            pd.DatetimeIndex(_US_EXTENDED, tz="UTC"), 252.0 * 12, id="us-session-utc-midnight"
        ),
        pytest.param(
            pd.date_range("2020-01-01", periods=24 * 60, freq="h", tz="UTC"),
            365.0 * 24,
            id="hourly-24-7",
        ),
        pytest.param(pd.date_range("2015-01-02", periods=300, freq="W-FRI"), 52.0, id="weekly"),
        pytest.param(pd.date_range("2000-01-31", periods=120, freq="ME"), 12.0, id="monthly"),
        pytest.param(
            _hourly(
                pd.bdate_range("2021-03-01", periods=60), list(range(10, 17)), "America/New_York"
            ),
            252.0 * 7,
            id="hourly-new-york",
        ),
    ],
)
def test_periods_per_year_reads_the_calendar(index: pd.DatetimeIndex, expected: float) -> None:
    assert periods_per_year(index) == expected


def test_us_session_crossing_midnight_has_saturday_stamps() -> None:
    # the case above really has bars on Saturdays (UTC): a reading by calendar date sees them
    index = pd.DatetimeIndex(_US_EXTENDED, tz="UTC")
    assert (index.dayofweek == 5).sum() > 0


def test_summary_reports_the_periods_per_year_used() -> None:
    prices = panel([10.0, 11.0, 12.0, 11.0])
    targets = targets_for(prices, [1.0, NAN, NAN, NAN])
    assert simulate(prices, targets).summary["periods_per_year"] == 252.0
    assert simulate(prices, targets, periods_per_year=12).summary["periods_per_year"] == 12.0


# --- benchmark ------------------------------------------------------------------------------


def test_benchmark_weights_only_symbols_with_prices() -> None:
    opens = [[10.0, 20.0, NAN], [11.0, 20.0, NAN], [12.0, 25.0, NAN], [13.0, 30.0, NAN]]
    prices = panel(opens, symbols=["A", "B", "C"])
    targets = targets_for(prices, [[1.0, 0.0, NAN]] + [[NAN] * 3] * 3)
    result = simulate(prices, targets)
    bench = result.benchmark
    assert bench is not None
    # half each of A and B at bar 1's open; C, never priced, gets nothing
    assert bench.fills["symbol"].tolist() == ["A", "B"]
    assert bench.fills["filled"].tolist() == pytest.approx([50_000 / 11, 2_500.0])
    end = 50_000 / 11 * 13 + 2_500 * 30
    assert result.summary["benchmark_portfolio_end"] == pytest.approx(end)
    assert bench.cash.iloc[-1] == pytest.approx(0.0, abs=1e-6)


# --- one bar --------------------------------------------------------------------------------


def test_one_bar_run_has_no_ratios() -> None:
    prices = panel([10.0])
    summary = simulate(prices, targets_for(prices, [1.0]), fill="close").summary
    assert summary["sharpe"] is None
    assert summary["sortino"] is None
    assert summary["calmar"] is None
    assert summary["volatility_pct"] is None


# --- final marks ----------------------------------------------------------------------------


def test_final_marks_are_the_last_close_or_a_later_fill() -> None:
    # A: traded, then flat, closes go on; B: sold at bar 3's open, no close after that
    opens = [[10.0, 20.0], [11.0, 21.0], [12.0, 22.0], [13.0, 23.0]]
    closes = [[10.5, 20.5], [11.5, 21.5], [12.5, NAN], [13.5, NAN]]
    prices = panel(opens, closes=closes, symbols=["A", "B"])
    targets = [[0.4, 0.4], [0.0, NAN], [NAN, 0.0], [NAN, NAN]]
    result = simulate(prices, targets_for(prices, targets))
    assert result.raw.final_positions.tolist() == [0.0, 0.0]
    assert result.raw.final_marks.tolist() == [13.5, 23.0]
