"""Summary metrics: pure functions of the equity curve, the orders and the trades.

Definitions (also in docs/simulation.md):
- The curve is [initial_cash, equity at each bar's close]; returns are its simple period
  returns, one per bar. Sharpe and Sortino use a zero risk-free rate.
- Annualisation uses `periods_per_year` (252 for daily bars, see `periods_per_year`).
- Trade returns are net of fees unless named gross; open trades are marked at the last close.
- Undefined values (no trades, zero volatility, no losing trade for profit_factor) are None.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
import pandas as pd

from shared.sim import enums as en
from shared.sim import records as rc

F64 = npt.NDArray[np.float64]
Number = float | int | str | None
Stats = dict[str, Number]

_DAY = pd.Timedelta(days=1)


def periods_per_year(index: pd.Index) -> float:
    """Bars per year: 252 for daily trading-day bars, 365 when weekends trade, and so on."""
    if not isinstance(index, pd.DatetimeIndex) or len(index) < 2:
        return 252.0  # no clock to read: assume daily trading-day bars
    days_per_year = 365.0 if (index.dayofweek >= 5).any() else 252.0
    step = pd.Series(index).diff().median()
    if step < pd.Timedelta(hours=20):
        bars_per_day = float(pd.Series(index.normalize()).value_counts().median())
        return days_per_year * bars_per_day
    for most, per_year in ((4, days_per_year), (10, 52.0), (40, 12.0), (120, 4.0)):
        if step <= most * _DAY:
            return per_year
    return 1.0


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
    curve = np.concatenate(([initial_cash], equity))
    peak = np.maximum.accumulate(curve)
    with np.errstate(divide="ignore", invalid="ignore"):
        depth = 1.0 - curve / peak
    highs = np.flatnonzero(curve >= peak)
    ends = np.append(highs[1:], len(curve) - 1)
    under = np.diff(np.append(highs, len(curve))) > 1  # any bar below the peak after it
    spans = np.where(under, ends - highs, 0)
    longest = int(np.argmax(spans))
    return max(float(np.nanmax(depth)), 0.0), int(spans[longest]), int(highs[longest])


def equity_stats(equity: F64, initial_cash: float, ppy: float, index: pd.Index) -> Stats:
    """Return, risk and drawdown figures of one equity curve."""
    r = curve_returns(equity, initial_cash)
    end = float(equity[-1])
    total = end / initial_cash - 1.0
    years = len(r) / ppy
    annual = (end / initial_cash) ** (1.0 / years) - 1.0 if end > 0.0 else -1.0
    std = float(np.std(r, ddof=1)) if len(r) > 1 else math.nan
    downside = float(np.sqrt(np.mean(np.minimum(r, 0.0) ** 2)))
    mean = float(np.mean(r))
    dd, dd_bars, dd_start = drawdown(equity, initial_cash)
    times = index[np.clip([dd_start - 1, dd_start + dd_bars - 1], 0, len(index) - 1)]
    dd_days = (times[1] - times[0]) / _DAY if isinstance(index, pd.DatetimeIndex) else None
    return {
        "portfolio_end": end,
        "total_return_pct": total * 100.0,
        "annual_return_pct": annual * 100.0,
        "volatility_pct": std * math.sqrt(ppy) * 100.0,
        "sharpe": mean / std * math.sqrt(ppy) if std > 0.0 else None,
        "sortino": mean / downside * math.sqrt(ppy) if downside > 0.0 else None,
        "calmar": annual / dd if dd > 0.0 else None,
        "max_drawdown_pct": dd * 100.0,
        "max_drawdown_duration_bars": dd_bars,
        "max_drawdown_duration_days": dd_days,
    }


def trade_stats(trades: npt.NDArray[np.void]) -> Stats:
    """Counts, win rate, profit factor and net trade returns (open trades marked)."""
    pnl = rc.trade_pnl(trades)
    ret = rc.trade_returns(trades)
    n_open = int((trades["exit_bar"] < 0).sum())
    won = float(pnl[pnl > 0.0].sum())
    lost = float(-pnl[pnl < 0.0].sum())
    some = len(trades) > 0
    return {
        "total_trades": len(trades),
        "closed_trades": len(trades) - n_open,
        "open_trades": n_open,
        "win_rate_pct": float((pnl > 0.0).mean() * 100.0) if some else None,
        "profit_factor": won / lost if lost > 0.0 else None,
        "avg_trade_return_pct": float(ret.mean() * 100.0) if some else None,
        "best_trade_return_pct": float(ret.max() * 100.0) if some else None,
        "worst_trade_return_pct": float(ret.min() * 100.0) if some else None,
    }


def activity_stats(orders: npt.NDArray[np.void], equity: F64, gross: F64, ppy: float) -> Stats:
    """Exposure, turnover, costs paid and order outcomes."""
    filled = orders["status"] != en.STATUS_REJECTED
    traded = float(np.abs(orders["filled"][filled] * orders["price"][filled]).sum())
    mean_equity = float(np.mean(equity))
    with np.errstate(divide="ignore", invalid="ignore"):
        leverage = np.where(equity > 0.0, gross / equity, np.nan)
    turnover = traded / mean_equity if mean_equity > 0.0 else math.nan
    return {
        "exposure_pct": float((gross > 0.0).mean() * 100.0),
        "avg_gross_leverage": float(np.nanmean(leverage)) if np.isfinite(leverage).any() else 0.0,
        "turnover": turnover,
        "turnover_annual": turnover * ppy / len(equity),
        "fees_paid": float(orders["fees"].sum()),
        "slippage_paid": float(orders["slippage"].sum()),
        "orders_filled": int((orders["status"] == en.STATUS_FILLED).sum()),
        "orders_reduced": int((orders["status"] == en.STATUS_REDUCED).sum()),
        "orders_rejected": int((orders["status"] == en.STATUS_REJECTED).sum()),
    }


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
