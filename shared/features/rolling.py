"""Trailing-window mean and standard deviation that tolerate gaps (numba kernel).

Unlike the indicators, which refuse non-finite input, features must survive an odd value (a
log return of a zero close is -inf): a window holding one is NaN, and later windows recover.
The kernel calls nothing outside this file (numba's cache stamps a kernel with its own file).
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from numba import njit

F64 = npt.NDArray[np.float64]


@njit(cache=True)
def rolling_mean_std_nb(x: F64, period: int, ddof: int) -> tuple[F64, F64]:
    """Mean and std (divisor ``period - ddof``) of x[t-period+1..t]; NaN if one is not finite."""
    n = x.size
    mean = np.full(n, np.nan)
    std = np.full(n, np.nan)
    for t in range(period - 1, n):
        # Two passes per window around a reference value rather than running sums: a flat
        # window then gives exactly its value and a std of exactly 0 (a z-score divides by it),
        # and nothing drifts. Periods are tens of bars, so O(n * period) costs little.
        ref = x[t]
        dev = 0.0
        finite = True
        for i in range(t - period + 1, t + 1):
            if not math.isfinite(x[i]):
                finite = False
                break
            dev += x[i] - ref
        if not finite:
            continue
        m = ref + dev / period
        acc = 0.0
        for i in range(t - period + 1, t + 1):
            d = x[i] - m
            acc += d * d
        mean[t] = m
        std[t] = math.sqrt(acc / (period - ddof))
    return mean, std
