"""Indicators per symbol over its own bars: halts and late listings are skipped, not filled."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt

F64 = npt.NDArray[np.float64]


def on_observed_bars(close: F64, signals: Callable[[F64], F64]) -> F64:
    """`signals` of each symbol's observed closes, placed back at those bars; NaN elsewhere.

    `signals` maps a gap-free (bars x symbols) panel to signals of the same shape. A bar with
    no finite close is skipped: the indicators run as if it did not exist, and the signal
    there is NaN ("keep": nothing new was decided). A gap-free panel goes through in one call,
    so its signals are exactly those of `signals`.
    """
    observed = np.isfinite(close)
    if observed.all():
        return signals(close)
    out = np.full(close.shape, np.nan)
    # symbols missing the same bars (a market holiday, listed the same day) share one call
    groups: dict[bytes, list[int]] = {}
    for j in range(close.shape[1]):
        groups.setdefault(np.packbits(observed[:, j]).tobytes(), []).append(j)
    for members in groups.values():
        cols = np.array(members)
        rows = np.flatnonzero(observed[:, cols[0]])
        if rows.size:
            out[np.ix_(rows, cols)] = signals(close[np.ix_(rows, cols)])
    return out
