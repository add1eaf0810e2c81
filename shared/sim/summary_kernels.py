"""Summary metrics in numba: the equity curve, orders and trades in, one float64 row out.

The definitions are those of shared.sim.metrics (and docs/simulation.md); NaN stands for
undefined. Each kernel fills its slice of a row whose fields are named by the *_FIELDS
tuples, so the pandas side only maps names to numbers.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from numba import njit

from shared.sim import enums as en

F64 = npt.NDArray[np.float64]
Records = npt.NDArray[np.void]

EQUITY_FIELDS = (
    "portfolio_end",
    "total_return_pct",
    "annual_return_pct",
    "volatility_pct",
    "sharpe",
    "sortino",
    "calmar",
    "max_drawdown_pct",
    "max_drawdown_duration_bars",
    "drawdown_peak",  # position of the longest drawdown's peak (0: the initial cash)
    "ruin_bar",  # first bar whose equity is <= 0 (-1: none)
)
TRADE_FIELDS = (
    "total_trades",
    "closed_trades",
    "open_trades",
    "win_rate_pct",
    "profit_factor",
    "avg_trade_return_pct",
    "best_trade_return_pct",
    "worst_trade_return_pct",
)
ACTIVITY_FIELDS = (
    "exposure_pct",
    "avg_gross_leverage",
    "turnover",
    "turnover_annual",
    "fees_paid",
    "slippage_paid",
    "orders_filled",
    "orders_reduced",
    "orders_rejected",
)
SUMMARY_FIELDS = EQUITY_FIELDS + TRADE_FIELDS + ACTIVITY_FIELDS
_N_EQ, _N_TR, _N_ALL = len(EQUITY_FIELDS), len(TRADE_FIELDS), len(SUMMARY_FIELDS)


@njit(cache=True)
def ruin_bar_nb(equity: F64) -> int:
    """First bar whose equity at the close is <= 0, or -1."""
    for t in range(equity.shape[0]):
        if equity[t] <= 0.0:
            return t
    return -1


@njit(cache=True)
def drawdown_nb(equity: F64, initial_cash: float) -> tuple[float, int, int]:
    """(max drawdown as a fraction, longest drawdown in bars, position of its peak).

    Positions count the initial cash as 0 and bar i as i + 1; a drawdown runs from a peak
    to the first bar back at or above it, or to the last bar when never recovered.
    """
    n = equity.shape[0] + 1
    peak = initial_cash
    worst = 0.0
    high_at = 0  # position of the current peak
    longest, longest_at = 0, 0
    for p in range(1, n):
        v = equity[p - 1]
        if v >= peak:
            if p - high_at > 1 and p - high_at > longest:
                longest, longest_at = p - high_at, high_at
            peak = v
            high_at = p
        else:
            depth = 1.0 - v / peak
            if depth > worst:
                worst = depth
    if n - 1 - high_at > longest:  # never recovered: lasts to the last bar
        longest, longest_at = n - 1 - high_at, high_at
    return worst, longest, longest_at


@njit(cache=True, inline="always")
def _returns_moments_nb(equity: F64, initial_cash: float, n: int) -> tuple[float, float, float]:
    """(mean, std with ddof=1, downside deviation) of the first n simple returns."""
    prev = initial_cash
    total = 0.0
    down = 0.0
    for t in range(n):
        r = equity[t] / prev - 1.0
        total += r
        if r < 0.0:
            down += r * r
        prev = equity[t]
    mean = total / n
    if n < 2:
        return mean, np.nan, math.sqrt(down / n)
    prev = initial_cash
    squares = 0.0
    for t in range(n):
        dev = equity[t] / prev - 1.0 - mean
        squares += dev * dev
        prev = equity[t]
    return mean, math.sqrt(squares / (n - 1)), math.sqrt(down / n)


@njit(cache=True)
def equity_stats_nb(equity: F64, initial_cash: float, ppy: float, out: F64) -> None:
    """Fill EQUITY_FIELDS; ratios use the returns up to the ruin bar (see ruin_bar_nb)."""
    n_bars = equity.shape[0]
    ruin = ruin_bar_nb(equity)
    n = n_bars if ruin < 0 else ruin + 1  # a curve at or below zero has no meaningful return
    end = equity[n_bars - 1]
    mean, std, downside = _returns_moments_nb(equity, initial_cash, n)
    years = n / ppy
    last = equity[n - 1]
    annual = (last / initial_cash) ** (1.0 / years) - 1.0 if last > 0.0 else -1.0
    dd, dd_bars, dd_peak = drawdown_nb(equity, initial_cash)
    root = math.sqrt(ppy)
    out[0] = end
    out[1] = (end / initial_cash - 1.0) * 100.0
    out[2] = annual * 100.0
    out[3] = std * root * 100.0
    out[4] = mean / std * root if std > 0.0 else np.nan
    out[5] = mean / downside * root if downside > 0.0 and n > 1 else np.nan
    out[6] = annual / dd if dd > 0.0 and n > 1 else np.nan
    out[7] = dd * 100.0
    out[8] = dd_bars
    out[9] = dd_peak
    out[10] = ruin


@njit(cache=True)
def trade_stats_nb(trades: Records, out: F64) -> None:
    """Fill TRADE_FIELDS; open trades are marked at their last close."""
    n = trades.shape[0]
    n_open, wins = 0, 0
    won, lost, ret_sum = 0.0, 0.0, 0.0
    best, worst = -np.inf, np.inf
    for i in range(n):
        rec = trades[i]
        mark = rec["mark_price"]
        marked = rec["open_qty"] * (mark if math.isfinite(mark) else 0.0)
        pnl = rec["direction"] * (rec["exit_value"] + marked - rec["entry_value"]) - rec["fees"]
        ret = pnl / rec["entry_value"] if rec["entry_value"] != 0.0 else np.nan
        if rec["exit_bar"] < 0:
            n_open += 1
        if pnl > 0.0:
            wins += 1
            won += pnl
        elif pnl < 0.0:
            lost -= pnl
        ret_sum += ret
        best = max(best, ret)
        worst = min(worst, ret)
    out[0] = n
    out[1] = n - n_open
    out[2] = n_open
    out[3] = wins / n * 100.0 if n > 0 else np.nan
    out[4] = won / lost if lost > 0.0 else np.nan
    out[5] = ret_sum / n * 100.0 if n > 0 else np.nan
    out[6] = best * 100.0 if n > 0 else np.nan
    out[7] = worst * 100.0 if n > 0 else np.nan


@njit(cache=True)
def activity_stats_nb(orders: Records, equity: F64, gross: F64, ppy: float, out: F64) -> None:
    """Fill ACTIVITY_FIELDS: exposure, leverage, turnover, costs and order outcomes."""
    traded, fees, slip = 0.0, 0.0, 0.0
    counts = np.zeros(3, dtype=np.int64)
    for i in range(orders.shape[0]):
        rec = orders[i]
        status = rec["status"]
        counts[status] += 1
        if status != en.STATUS_REJECTED:
            traded += abs(rec["filled"] * rec["price"])
        fees += rec["fees"]
        slip += rec["slippage"]
    n = equity.shape[0]
    eq_sum, exposed, lev_sum, n_lev = 0.0, 0, 0.0, 0
    for t in range(n):
        eq_sum += equity[t]
        if gross[t] > 0.0:
            exposed += 1
        if equity[t] > 0.0:
            lev_sum += gross[t] / equity[t]
            n_lev += 1
    mean_equity = eq_sum / n
    turnover = traded / mean_equity if mean_equity > 0.0 else np.nan
    out[0] = exposed / n * 100.0
    out[1] = lev_sum / n_lev if n_lev > 0 else 0.0
    out[2] = turnover
    out[3] = turnover * ppy / n
    out[4] = fees
    out[5] = slip
    out[6] = counts[en.STATUS_FILLED]
    out[7] = counts[en.STATUS_REDUCED]
    out[8] = counts[en.STATUS_REJECTED]


@njit(cache=True)
def summary_nb(
    equity: F64, gross: F64, orders: Records, trades: Records, initial_cash: float, ppy: float
) -> F64:
    """Every SUMMARY_FIELDS value of one run, in that order."""
    out = np.empty(_N_ALL)
    equity_stats_nb(equity, initial_cash, ppy, out[:_N_EQ])
    trade_stats_nb(trades, out[_N_EQ : _N_EQ + _N_TR])
    activity_stats_nb(orders, equity, gross, ppy, out[_N_EQ + _N_TR :])
    return out
