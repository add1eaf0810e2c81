"""Target changes listed per bar, so that a wide panel's bar loop skips the cells without one."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from numba import njit

from shared.sim import enums as en

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]


@njit(cache=True)
def listed_targets_nb(targets: F64) -> tuple[I64, I64]:
    """Columns with a finite target, per bar (CSR: bar t lists cols[ptr[t]:ptr[t + 1]]).

    Built column by column (pandas panels are column-major); each bar's columns ascend.
    """
    n_bars, n_cols = targets.shape
    ptr = np.zeros(n_bars + 1, dtype=np.int64)
    for j in range(n_cols):
        for t in range(n_bars):
            if math.isfinite(targets[t, j]):
                ptr[t + 1] += 1
    for t in range(n_bars):
        ptr[t + 1] += ptr[t]
    cols = np.empty(ptr[n_bars], dtype=np.int64)
    fill = ptr[:-1].copy()
    for j in range(n_cols):
        for t in range(n_bars):
            if math.isfinite(targets[t, j]):
                cols[fill[t]] = j
                fill[t] += 1
    return ptr, cols


@njit(cache=True, inline="always")
def collect_listed_nb(
    dec: int, targets: F64, ptr: I64, listed: I64, last_tgt: F64, todo: I64, origin: I64
) -> int:
    """_collect_nb when only a new target can place an order (no rebalancing, no carry):
    only the columns with a finite target at `dec` are looked at."""
    n_todo = 0
    if dec < 0:
        return 0
    for k in range(ptr[dec], ptr[dec + 1]):
        j = listed[k]
        tgt = targets[dec, j]
        if tgt != last_tgt[j]:
            last_tgt[j] = tgt
            todo[n_todo] = j
            origin[j] = en.ORIGIN_TARGET
            n_todo += 1
    return n_todo


@njit(cache=True)
def first_tradable_nb(close: F64, ref: F64, lag: int) -> I64:
    """Per column, the first bar d with a close whose order can fill at d + lag (a finite
    reference price there), or -1; column by column, stopping at the first one found."""
    n_bars, n_cols = close.shape
    first = np.full(n_cols, -1, dtype=np.int64)
    for j in range(n_cols):
        for d in range(n_bars - lag):
            if math.isfinite(close[d, j]) and math.isfinite(ref[d + lag, j]):
                first[j] = d
                break
    return first
