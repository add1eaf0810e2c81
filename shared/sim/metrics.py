"""Summary metrics: pure functions of the equity curve, the orders and the trades.

The arithmetic is in shared.sim.summary_kernels (numba); this module names the figures.
Definitions (also in docs/simulation.md):
- The curve is [initial_cash, equity at each bar's close]; returns are its simple period
  returns, one per bar. Sharpe and Sortino use a zero risk-free rate.
- Ruin: from the first bar whose equity is <= 0 the account is closed (the kernel does it);
  return and risk ratios use the returns up to and including that bar.
- Annualisation uses `periods_per_year` (252 for daily bars, see `periods_per_year`).
- Trade returns are net of fees unless named gross; open trades are marked at the last close.
- Undefined values (no trades, zero volatility, no losing trade for profit_factor) are None.
"""

from __future__ import annotations

import math
import weakref
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from shared.sim import summary_kernels as sk
from shared.sim.annualisation import DAY_NS, TRADING_DAYS, periods_per_year_from_ns

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
Number = float | int | str | None
Stats = dict[str, Number]

_INDEX_CACHE_SIZE = 64


@dataclass(frozen=True)
class IndexClock:
    """What the summary reads from a run's index, worked out once per index object."""

    periods_per_year: float
    start: str  # first bar, ISO 8601 (see timestamp)
    end: str
    elapsed_ns: I64 | None  # ns since the epoch per bar (None: the index has no clock)


_clocks: dict[int, tuple[weakref.ref[pd.Index], IndexClock]] = {}


def index_clock(index: pd.Index) -> IndexClock:
    """The IndexClock of `index`, cached by identity (an index is immutable)."""
    hit = _clocks.get(id(index))
    if hit is not None and hit[0]() is index:
        return hit[1]
    clock = _read_clock(index)
    if len(_clocks) >= _INDEX_CACHE_SIZE:
        _clocks.clear()
    _clocks[id(index)] = (weakref.ref(index), clock)
    return clock


def _read_clock(index: pd.Index) -> IndexClock:
    ends = (timestamp(index[0]), timestamp(index[-1])) if len(index) else ("", "")
    if not isinstance(index, pd.DatetimeIndex):
        return IndexClock(TRADING_DAYS, *ends, None)
    elapsed = np.asarray(index.as_unit("ns").asi8, dtype=np.int64)
    ppy = TRADING_DAYS
    if len(index) >= 2:
        # weekdays and sessions are judged on the local wall clock
        wall = index.tz_localize(None) if index.tz is not None else index
        ppy = periods_per_year_from_ns(np.asarray(wall.as_unit("ns").asi8, dtype=np.int64))
    return IndexClock(ppy, *ends, elapsed)


def periods_per_year(index: pd.Index) -> float:
    """Bars per year read from the index (see shared.sim.annualisation); 252 without a clock."""
    return index_clock(index).periods_per_year


def curve_returns(equity: F64, initial_cash: float) -> F64:
    """Simple return of each bar, the first against the initial cash."""
    curve = np.concatenate(([initial_cash], equity))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(curve[1:] / curve[:-1] - 1.0, dtype=np.float64)


def drawdown(equity: F64, initial_cash: float) -> tuple[float, int, int]:
    """Largest peak-to-trough fall (a fraction) and the longest drawdown.

    Returns (max_drawdown, duration_bars, peak_position): the duration runs from a peak to
    the first bar back at or above it, or to the last bar when never recovered. Positions
    count the initial cash as 0 and bar i as i + 1.
    """
    dd, bars, peak = sk.drawdown_nb(np.asarray(equity, dtype=np.float64), float(initial_cash))
    return float(dd), int(bars), int(peak)


def equity_stats(equity: F64, initial_cash: float, ppy: float, index: pd.Index) -> Stats:
    """Return, risk and drawdown figures of one equity curve, and when it was ruined."""
    row = np.empty(len(sk.EQUITY_FIELDS))
    sk.equity_stats_nb(np.asarray(equity, dtype=np.float64), float(initial_cash), ppy, row)
    values = dict(zip(sk.EQUITY_FIELDS, row.tolist(), strict=True))
    return _typed(_equity_part(values, index, index_clock(index)))


def trade_stats(trades: npt.NDArray[np.void]) -> Stats:
    """Counts, win rate, profit factor and net trade returns (open trades marked)."""
    row = np.empty(len(sk.TRADE_FIELDS))
    sk.trade_stats_nb(trades, row)
    return _typed(dict(zip(sk.TRADE_FIELDS, row.tolist(), strict=True)))


def activity_stats(orders: npt.NDArray[np.void], equity: F64, gross: F64, ppy: float) -> Stats:
    """Exposure, turnover, costs paid and order outcomes."""
    row = np.empty(len(sk.ACTIVITY_FIELDS))
    sk.activity_stats_nb(orders, equity, gross, ppy, row)
    return _typed(dict(zip(sk.ACTIVITY_FIELDS, row.tolist(), strict=True)))


def run_stats(
    equity: F64,
    gross: F64,
    orders: npt.NDArray[np.void],
    trades: npt.NDArray[np.void],
    initial_cash: float,
    ppy: float,
    index: pd.Index,
    clock: IndexClock,
) -> Stats:
    """Every figure of one run (one numba call), keyed as in the summary; NaN = undefined."""
    row = sk.summary_nb(equity, gross, orders, trades, initial_cash, ppy)
    values = dict(zip(sk.SUMMARY_FIELDS, row.tolist(), strict=True))
    return _typed(_equity_part(values, index, clock))


def _equity_part(values: dict[str, float], index: pd.Index, clock: IndexClock) -> Stats:
    """Turn the kernel's drawdown peak and ruin bar (positions) into days and a timestamp."""
    out: Stats = dict(values)
    peak = int(values["drawdown_peak"])
    bars = int(values["max_drawdown_duration_bars"])
    ruin = int(values["ruin_bar"])
    del out["drawdown_peak"], out["ruin_bar"]
    out["max_drawdown_duration_bars"] = bars
    days: float | None = None
    ns = clock.elapsed_ns
    if ns is not None:
        last = len(ns) - 1
        first, stop = min(max(peak - 1, 0), last), min(max(peak + bars - 1, 0), last)
        days = (int(ns[stop]) - int(ns[first])) / DAY_NS
    out["max_drawdown_duration_days"] = days
    out["ruined_at"] = None if ruin < 0 else timestamp(index[ruin])
    return out


_INTS = frozenset(
    ("total_trades", "closed_trades", "open_trades", "orders_filled", "orders_reduced",
     "orders_rejected")
)  # fmt: skip


def _typed(stats: Stats) -> Stats:
    """Counts as int, undefined (non-finite) figures as None."""
    for key, value in stats.items():
        if isinstance(value, float):
            if not math.isfinite(value):
                stats[key] = None
            elif key in _INTS:
                stats[key] = int(value)
    return stats


def json_safe(stats: Stats) -> Stats:
    """Replace NaN and infinities with None so the summary serialises as strict JSON."""
    out: Stats = {}
    for key, value in stats.items():
        if isinstance(value, float) and not math.isfinite(value):
            out[key] = None
        elif isinstance(value, np.generic):
            out[key] = value.item()
        else:
            out[key] = value
    return out


def timestamp(value: object) -> str:
    """ISO 8601 for a timestamp (UTC when tz-aware), str() for anything else."""
    if isinstance(value, pd.Timestamp):
        stamp = value.tz_convert("UTC") if value.tzinfo is not None else value
        return str(stamp.isoformat())
    return str(value)
