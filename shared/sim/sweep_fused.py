"""Sweeps of the built-in strategies on the fused kernel: what it can run, and running it.

`fused_refusal` says why a sweep cannot take the fused path (None when it can); `fused_stats`
runs a list of combinations and returns one stats row each (shared.sim.sweep_stats layout),
equal to simulate(prices, build_targets(...)) summarised the way a sweep reports it.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping

import numpy as np
import numpy.typing as npt
import pandas as pd

from shared.features.indicators import rsi, sma_windows
from shared.sim.kernel_args import kernel_args
from shared.sim.metrics import periods_per_year
from shared.sim.spec import RunSpec
from shared.sim.sweep_kernel import (
    RSI_REVERSION,
    SMA_CROSS,
    fused_sweep_nb,
    fused_sweep_serial_nb,
)
from shared.sim.sweep_stats import partition_bounds

F64 = npt.NDArray[np.float64]
FUSED_STRATEGIES = ("sma_crossover", "rsi_mean_reversion")
# RunSpec options the kernel does not implement, with the value that keeps them off
_OFF: dict[str, object] = {
    "size_type": (None, "weight"),
    "rebalance": ("on_change",),
    "stop_loss": (None,),
    "take_profit": (None,),
    "volume_cap": (None,),
    "close_at_end": (False,),
}


def fused_refusal(strategy: str | None, spec: RunSpec) -> str | None:
    """Why the fused kernel cannot run this sweep (None when it can), checked before any data."""
    if strategy not in FUSED_STRATEGIES:
        what = "a model" if strategy is None else f"strategy {strategy}"
        return f"{what} has no fused kernel (only {', '.join(FUSED_STRATEGIES)})"
    for name, allowed in _OFF.items():
        if getattr(spec, name) not in allowed:  # type: ignore[operator]
            return f"the fused kernel does not implement {name}={getattr(spec, name)!r}"
    if spec.slippage.range_frac or spec.slippage.impact:
        return "the fused kernel implements slippage bps and spread only (not range or impact)"
    return None


def data_refusal(open_: F64, close: F64) -> str | None:
    """Why these bars need the general engine (None when they do not): a missing price."""
    if not (np.isfinite(open_).all() and np.isfinite(close).all()):
        return "some bars lack an open or a close (missing bars need the general engine)"
    return None


def _indicators(
    strategy: str, close: F64, params: Mapping[str, npt.ArrayLike]
) -> tuple[int, F64, F64]:
    """(kernel kind, indicator rows x bars x symbols, params matrix) for the combinations."""
    if strategy == "sma_crossover":
        fast = np.asarray(params["fast"], dtype=np.int64)
        slow = np.asarray(params["slow"], dtype=np.int64)
        windows, rows = _distinct(np.concatenate([fast, slow]))
        ind = _table((windows.shape[0], close.shape[0], close.shape[1]))
        if close.shape[1] == 1:  # the rows are the (windows x bars x 1) indicator
            moving_averages(close[:, 0], windows, out=ind[:, :, 0])
        else:
            for j in range(close.shape[1]):
                ind[:, :, j] = moving_averages(close[:, j], windows)
        return SMA_CROSS, ind, np.column_stack([rows[: len(fast)], rows[len(fast) :]]).astype(float)
    period = np.asarray(params["period"], dtype=np.int64)
    periods, rows = np.unique(period, return_inverse=True)
    ind = np.stack(
        [
            np.column_stack([rsi(close[:, j], int(p)) for j in range(close.shape[1])])
            for p in periods
        ]
    )
    levels = [np.asarray(params[k], dtype=np.float64) for k in ("lower", "upper", "exit")]
    return RSI_REVERSION, ind, np.column_stack([rows.astype(float), *levels])


def _distinct(values: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """np.unique(values, return_inverse=True) of window lengths: by a table of the lengths
    present when they are small beside their count (a tenth of np.unique's sort), else sorted."""
    if values.size == 0 or values.min() < 0 or values.max() > 4 * values.size:
        return np.unique(values, return_inverse=True)
    present = np.zeros(int(values.max()) + 1, dtype=bool)
    present[values] = True
    return np.flatnonzero(present), (np.cumsum(present) - 1)[values]


def moving_averages(close: F64, windows: npt.ArrayLike, out: F64 | None = None) -> F64:
    """Simple moving averages of one symbol's close (windows x bars), the strategies' own
    (sma()'s values, all windows in one pass over the bars); NaN before each fills. `out`: a
    C-ordered array of that shape to fill (by default a new one)."""
    windows = np.asarray(windows)  # sma_windows checks each is a whole number >= 2
    ones = windows == 1  # a one-bar average is the close itself (sma starts at two bars)
    if not ones.any():
        return sma_windows(close, windows.tolist(), out=out)
    if out is None:
        out = np.empty((windows.shape[0], close.shape[0]))
    out[~ones] = sma_windows(close, windows[~ones].tolist())
    out[ones] = close
    return out


# The moving-average table is the sweep's one large array (4.5 MB for 224 windows x 2,520 bars).
# Allocated anew on each call, it is handed back to the system when freed, and its pages fault
# again on the next call: an eighth of a one-symbol sweep. Each thread keeps its last one.
_tables = threading.local()
KEEP_TABLE_BYTES = 64 * 2**20


def _table(shape: tuple[int, int, int]) -> F64:
    """An uninitialised C-ordered float64 array of this shape, from this thread's kept table
    when that is large enough (the caller is done with it when its sweep returns)."""
    size = shape[0] * shape[1] * shape[2]
    kept = getattr(_tables, "flat", None)
    if kept is not None and kept.shape[0] >= size:
        return kept[:size].reshape(shape)
    flat = np.empty(size)
    if flat.nbytes <= KEEP_TABLE_BYTES:
        _tables.flat = flat
    return flat.reshape(shape)


def fused_stats(
    strategy: str,
    params: Mapping[str, npt.ArrayLike],
    open_: F64,
    close: F64,
    index: pd.Index,
    spec: RunSpec,
    position_size: float = 1.0,
    *,
    parallel: bool = True,
) -> F64:
    """Stats rows (sweep_stats layout) of a built-in strategy's combinations, one per element of
    the `params` columns (e.g. {"fast": [5, 10], "slow": [50, 50]}: two combinations).

    open_ and close are (bars x symbols) with every price present (see data_refusal); targets
    are the strategy's signal x position_size / symbols, as shared.strategies.build_targets.
    parallel=False keeps to the calling thread (in a worker process that forks).
    """
    open_ = np.ascontiguousarray(open_, dtype=np.float64)
    close = np.ascontiguousarray(close, dtype=np.float64)
    n_bars, n_cols = close.shape
    kind, ind, matrix = _indicators(strategy, close, params)
    if spec.cash == "shared":
        col_acc = np.zeros(n_cols, dtype=np.int64)
        acc_cash = np.array([spec.initial_cash])
    else:
        col_acc = np.arange(n_cols, dtype=np.int64)
        acc_cash = np.full(n_cols, spec.initial_cash / n_cols)
    cost, rules = kernel_args(spec)
    ppy = spec.periods_per_year or periods_per_year(index)
    kernel = fused_sweep_nb if parallel else fused_sweep_serial_nb
    return kernel(
        kind, matrix, open_, close, np.ascontiguousarray(ind), position_size / n_cols, col_acc,
        acc_cash, cost, rules, spec.initial_cash, float(ppy), partition_bounds(n_bars - 1),
    )  # fmt: skip
