"""What a simulation returns: NumPy records at once, pandas views and metrics on demand."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd

from shared.sim import enums as en
from shared.sim import metrics as mx
from shared.sim import records as rc
from shared.sim.inputs import PriceArrays
from shared.sim.spec import RunSpec

F64 = npt.NDArray[np.float64]

# the fields of the summary dict the platform's simulation record is built around
SEED_KEYS = (
    "start_date",
    "end_date",
    "portfolio_start",
    "portfolio_end",
    "total_trades",
    "max_drawdown_pct",
    "avg_trade_return_pct",
    "best_trade_return_pct",
    "worst_trade_return_pct",
)
BENCHMARK_KEYS = (
    "portfolio_end",
    "total_return_pct",
    "annual_return_pct",
    "volatility_pct",
    "sharpe",
    "sortino",
    "calmar",
    "max_drawdown_pct",
    "max_drawdown_duration_bars",
    "max_drawdown_duration_days",
    "exposure_pct",
    "turnover",
    "fees_paid",
    "slippage_paid",
)

_OWN_KEYS = (
    "start_date",
    "end_date",
    "portfolio_start",
    "portfolio_end",
    "total_return_pct",
    "annual_return_pct",
    "volatility_pct",
    "sharpe",
    "sortino",
    "calmar",
    "max_drawdown_pct",
    "max_drawdown_duration_bars",
    "max_drawdown_duration_days",
    "total_trades",
    "closed_trades",
    "open_trades",
    "win_rate_pct",
    "profit_factor",
    "avg_trade_return_pct",
    "best_trade_return_pct",
    "worst_trade_return_pct",
    "exposure_pct",
    "avg_gross_leverage",
    "turnover",
    "turnover_annual",
    "fees_paid",
    "slippage_paid",
    "orders_filled",
    "orders_reduced",
    "orders_rejected",
    "periods_per_year",
    "bars",
    "ruined_at",
)
# the summary's keys in order: the seed's first, then the rest, then the benchmark's
SUMMARY_KEYS = tuple(dict.fromkeys(
    SEED_KEYS + _OWN_KEYS + tuple(f"benchmark_{key}" for key in BENCHMARK_KEYS)
))  # fmt: skip


class RawRun(NamedTuple):
    """The kernel's outputs, as NumPy arrays."""

    equity: F64
    cash: F64
    gross: F64
    orders: npt.NDArray[np.void]
    trades: npt.NDArray[np.void]
    final_positions: F64
    final_marks: F64


class SimResult:
    """One backtest: equity, cash and exposure per bar, orders, trades, positions, summary."""

    def __init__(
        self,
        arrays: PriceArrays,
        spec: RunSpec,
        raw: RawRun,
        benchmark: Callable[[], SimResult] | None = None,
        in_order: Callable[[], object] | None = None,
    ) -> None:
        """in_order: puts raw's orders and trades in order, in place, when they are not yet
        (the column kernel leaves that to their first read)."""
        self.spec = spec
        self.index = arrays.index
        self.symbols = arrays.symbols
        self._run = raw  # the curves are final; the records may wait for in_order
        self._in_order = in_order
        self._close = arrays.close
        self._benchmark = benchmark

    @cached_property
    def raw(self) -> RawRun:
        """The kernel's outputs, records in order."""
        in_order, self._in_order = self._in_order, None  # a permutation applied twice scrambles
        if in_order is not None:
            in_order()
        return self._run

    @property
    def order_records(self) -> npt.NDArray[np.void]:
        """Every order as a NumPy record (shared.sim.records.order_dt), in time order."""
        return self.raw.orders

    @property
    def trade_records(self) -> npt.NDArray[np.void]:
        """Every trade as a NumPy record (shared.sim.records.trade_dt), by opening order."""
        return self.raw.trades

    @cached_property
    def equity(self) -> pd.Series:
        """Cash plus positions marked at each bar's close."""
        return pd.Series(self._run.equity, index=self.index, name="equity")

    @cached_property
    def cash(self) -> pd.Series:
        """Cash at each bar's close (negative when borrowing)."""
        return pd.Series(self._run.cash, index=self.index, name="cash")

    @cached_property
    def gross_exposure(self) -> pd.Series:
        """Sum of |position value| at each bar's close."""
        return pd.Series(self._run.gross, index=self.index, name="gross_exposure")

    @cached_property
    def final_positions(self) -> pd.Series:
        """Shares held per symbol after the last bar."""
        return pd.Series(self._run.final_positions, index=self.symbols, name="position")

    def __repr__(self) -> str:
        end = float(self._run.equity[-1])
        return f"<SimResult {len(self.index)} bars x {len(self.symbols)} symbols, end={end:,.2f}>"

    @cached_property
    def orders(self) -> pd.DataFrame:
        """Every order, rejected ones included, with origin, status and reason."""
        return rc.orders_frame(self.order_records, self.index, self.symbols)

    @cached_property
    def fills(self) -> pd.DataFrame:
        """The orders that traded something."""
        orders = self.orders
        return orders[orders["filled"] != 0.0].reset_index(drop=True)

    @cached_property
    def trades(self) -> pd.DataFrame:
        """One row per position opened (a flip closes one and opens another)."""
        return rc.trades_frame(self.trade_records, self.index, self.symbols)

    @cached_property
    def positions(self) -> pd.DataFrame:
        """Shares held per symbol at each bar's close."""
        n_bars, n_cols = len(self.index), len(self.symbols)
        held = np.full((n_bars, n_cols), np.nan)
        rec = self.order_records[self.order_records["status"] != en.STATUS_REJECTED]
        key = rec["bar"] * n_cols + rec["col"]
        # records are in time order, so the last one per bar and symbol is the bar's close
        _, first_from_end = np.unique(key[::-1], return_index=True)
        last = len(key) - 1 - first_from_end
        held[rec["bar"][last], rec["col"][last]] = rec["position"][last]
        frame = pd.DataFrame(held, index=self.index, columns=self.symbols)
        return frame.ffill().fillna(0.0)

    @cached_property
    def asset_values(self) -> pd.DataFrame:
        """Signed market value per symbol at each close (last known close when missing)."""
        marks = pd.DataFrame(self._close, index=self.index, columns=self.symbols).ffill()
        return (self.positions * marks).fillna(0.0)

    @cached_property
    def benchmark(self) -> SimResult | None:
        """Buy-and-hold of every symbol in equal parts, under the same costs and timing."""
        return self._benchmark() if self._benchmark is not None else None

    @cached_property
    def summary(self) -> dict[str, float | int | str | None]:
        """Metrics with the definitions of shared.sim.metrics; JSON-safe (None = undefined)."""
        stats = self._stats()
        bench = self.benchmark
        if bench is not None:
            theirs = bench._stats()
            stats.update({f"benchmark_{key}": theirs[key] for key in BENCHMARK_KEYS})
        return {key: stats[key] for key in SUMMARY_KEYS if key in stats}

    def _stats(self) -> mx.Stats:
        """The run's own figures (no benchmark), in no particular order."""
        spec = self.spec
        clock = mx.index_clock(self.index)
        ppy = spec.periods_per_year or clock.periods_per_year
        raw = self.raw
        stats = mx.run_stats(
            raw.equity, raw.gross, raw.orders, raw.trades, spec.initial_cash, ppy, self.index, clock
        )
        stats.update(
            start_date=clock.start,
            end_date=clock.end,
            portfolio_start=spec.initial_cash,
            periods_per_year=ppy,
            bars=len(self.index),
        )
        return stats
