"""simulate(): the pandas front door of the portfolio kernel."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache, partial
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from shared.errors import ValidationError
from shared.sim import column_kernel
from shared.sim.inputs import PriceArrays, PricesLike, read_prices, read_targets, scan_targets
from shared.sim.kernel_args import kernel_args
from shared.sim.kernels import simulate_nb
from shared.sim.result import RawRun, SimResult
from shared.sim.spec import RunSpec, with_options
from shared.sim.target_lists import first_tradable_nb

F64 = npt.NDArray[np.float64]


def simulate(
    prices: PricesLike,
    targets: pd.DataFrame | pd.Series,
    spec: RunSpec | None = None,
    **options: Any,
) -> SimResult:
    """Backtest target positions decided at each bar's close; see docs/simulation.md.

    `spec` holds the run's options (RunSpec documents each one and its default); keyword
    `options` are RunSpec field names that override it: simulate(prices, targets, spec,
    delay=2) runs dataclasses.replace(spec, delay=2). Without size_type, targets.attrs
    ["size_type"] is used, else "weight"; SimResult.spec holds the value used.
    """
    if options.get("size_type", getattr(spec, "size_type", None)) is None:
        # from the targets (fixed_cash tags its frame "value"), checked like any option
        attrs = getattr(targets, "attrs", {})
        options = {**options, "size_type": str(attrs.get("size_type", "weight"))}
    spec = _options(spec, options)
    arrays = read_prices(prices, targets, spec.fields_read)
    if spec.needs_volume and not arrays.has_volume:
        raise ValidationError(
            "volume_cap and slippage.impact need bar volume; pass prices['volume']",
            field="prices.volume",
        )
    values = read_targets(targets, arrays)
    n_cols = len(arrays.symbols)
    # With every fill price there, an infinite target is the one thing to refuse, and the
    # column kernel finds it in its own pass over the targets: no separate scan first.
    run = None if arrays.missing_prices else _by_column(arrays, values, spec, capacity=n_cols)
    if run is not None:
        raw, in_order = run
        return SimResult(arrays, spec, raw, lambda: _benchmark(arrays, spec), in_order)
    # check every target (waiting out gaps), then run
    values, changes = scan_targets(values, arrays, _ref_prices(arrays, spec), spec.lag)
    by_column = arrays.missing_prices  # not tried yet
    raw = run_kernel(arrays, values, spec, capacity=changes + n_cols, by_column=by_column)
    return SimResult(arrays, spec, raw, lambda: _benchmark(arrays, spec))


def run_kernel(
    arrays: PriceArrays, targets: F64, spec: RunSpec, *, capacity: int, by_column: bool = True
) -> RawRun:
    """Run the portfolio kernel on checked targets (scan_targets) with the accounts and the
    spec spelled out as its arguments: column by column where it applies (_by_column; not
    tried with by_column=False), else row by row (simulate_nb)."""
    run = _by_column(arrays, targets, spec, capacity=capacity) if by_column else None
    if run is not None:
        raw, in_order = run
        in_order()
        return raw
    n_cols = len(arrays.symbols)
    if spec.cash == "shared":
        col_acc = np.zeros(n_cols, dtype=np.int64)
        acc_cash = np.array([spec.initial_cash])
    else:
        col_acc = np.arange(n_cols, dtype=np.int64)
        acc_cash = np.full(n_cols, spec.initial_cash / n_cols)
    cost, rules = kernel_args(spec)
    out = simulate_nb(
        arrays.open,
        arrays.high,
        arrays.low,
        arrays.close,
        arrays.volume,
        targets,
        col_acc,
        acc_cash,
        cost,
        rules,
        capacity,
    )
    return RawRun(*out)


def _by_column(
    arrays: PriceArrays, targets: F64, spec: RunSpec, *, capacity: int
) -> tuple[RawRun, Callable[[], None]] | None:
    """The column-by-column kernel's run (shared.sim.column_kernel) where every account holds
    one column of a column-major panel and only new targets trade, with the call that puts
    its records in order; None where that does not apply, or where the kernel stopped (an
    infinite target, a ruined account: the row path reports the one and handles the other)."""
    n_cols = len(arrays.symbols)
    cost, rules = kernel_args(spec)
    one_each = spec.cash == "per_asset" or n_cols == 1  # every account holds one column
    if not (one_each and column_kernel.applies(rules, arrays.close, targets)):
        return None
    out = column_kernel.simulate_columns_nb(
        arrays.open.T, arrays.high.T, arrays.low.T, arrays.close.T, arrays.volume.T,
        targets.T, np.full(n_cols, spec.initial_cash / n_cols), cost, rules,
        not arrays.missing_prices, capacity,
    )  # fmt: skip
    equity, cash, gross, orders, trades, held, marks, keys, opened, finished = out
    if not finished:
        return None
    n_bars = len(arrays.index)
    in_order = partial(column_kernel.in_row_order_nb, orders, trades, keys, opened, n_bars)
    return RawRun(equity, cash, gross, orders, trades, held, marks), in_order


def benchmark_targets(arrays: PriceArrays, spec: RunSpec) -> F64:
    """Equal-weight buy-and-hold of the symbols that trade, each bought on its first tradable bar."""
    n_bars, n_cols = arrays.close.shape
    # decided at bar d with a close, filled at d + lag with a price
    first = first_tradable_nb(arrays.close, _ref_prices(arrays, spec), spec.lag)
    has = first >= 0
    targets = np.full((n_bars, n_cols), np.nan)
    # a symbol that is never tradable gets no share, so no part of the benchmark sits in cash
    weight = 1.0 / max(int(has.sum()), 1) if spec.cash == "shared" else 1.0
    targets[first[has], np.flatnonzero(has)] = weight
    return targets


def _options(spec: RunSpec | None, options: dict[str, Any]) -> RunSpec:
    """with_options, cached for the common call that only names the size type."""
    if options.keys() == {"size_type"} and (spec is None or isinstance(spec, RunSpec)):
        try:
            return _with_size_type(spec, options["size_type"])
        except TypeError:  # a value that cannot be hashed: check it the usual way
            pass
    return with_options(spec, options)


@lru_cache(maxsize=64)
def _with_size_type(spec: RunSpec | None, size_type: str) -> RunSpec:
    # a RunSpec is a frozen value, and checking one costs more than the rest of a small run
    return with_options(spec, {"size_type": size_type})


@lru_cache(maxsize=64)
def _plain(spec: RunSpec) -> RunSpec:
    """The benchmark's options: the run's costs and timing, weights, no stops or rebalancing."""
    return replace(
        spec, size_type="weight", rebalance="on_change", stop_loss=None, take_profit=None
    )


def _benchmark(arrays: PriceArrays, spec: RunSpec) -> SimResult:
    plain = _plain(spec)
    raw = run_kernel(
        arrays, benchmark_targets(arrays, plain), plain, capacity=2 * len(arrays.symbols)
    )
    return SimResult(arrays, plain, raw)


def _ref_prices(arrays: PriceArrays, spec: RunSpec) -> F64:
    return arrays.open if spec.fill == "next_open" else arrays.close
