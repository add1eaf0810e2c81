"""Sweeps of the built-in strategies on the fused kernel: what it can run, and running it.

`fused_refusal` says why a sweep cannot take the fused path (None when it can); `fused_stats`
runs a list of combinations and returns one stats row each (shared.sim.sweep_stats layout),
equal to simulate(prices, build_targets(...)) summarised the way a sweep reports it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from shared.features.indicators import rsi, sma
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
    strategy: str, close: F64, combos: Sequence[Mapping[str, Any]]
) -> tuple[int, F64, F64]:
    """(kernel kind, indicator rows x bars x symbols, params matrix) for the combinations."""
    if strategy == "sma_crossover":
        windows = sorted({int(c[k]) for c in combos for k in ("fast", "slow")})
        row = {w: i for i, w in enumerate(windows)}
        ind = np.stack([sma(close, w) for w in windows])
        params = np.array([[row[int(c["fast"])], row[int(c["slow"])]] for c in combos], float)
        return SMA_CROSS, ind, params
    periods = sorted({int(c["period"]) for c in combos})
    row = {p: i for i, p in enumerate(periods)}
    ind = np.stack(
        [np.column_stack([rsi(close[:, j], p) for j in range(close.shape[1])]) for p in periods]
    )
    params = np.array(
        [[row[int(c["period"])], c["lower"], c["upper"], c["exit"]] for c in combos], float
    )
    return RSI_REVERSION, ind, params


def fused_stats(
    strategy: str,
    combos: Sequence[Mapping[str, Any]],
    open_: F64,
    close: F64,
    index: pd.Index,
    spec: RunSpec,
    position_size: float = 1.0,
    *,
    parallel: bool = True,
) -> F64:
    """Stats rows (sweep_stats layout) of each combination of a built-in strategy's parameters.

    open_ and close are (bars x symbols) with every price present (see data_refusal); targets
    are the strategy's signal x position_size / symbols, as shared.strategies.build_targets.
    parallel=False keeps to the calling thread (in a worker process that forks).
    """
    open_ = np.ascontiguousarray(open_, dtype=np.float64)
    close = np.ascontiguousarray(close, dtype=np.float64)
    n_bars, n_cols = close.shape
    kind, ind, params = _indicators(strategy, close, combos)
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
        kind, params, open_, close, np.ascontiguousarray(ind), position_size / n_cols, col_acc,
        acc_cash, cost, rules, spec.initial_cash, float(ppy), partition_bounds(n_bars - 1),
    )  # fmt: skip
