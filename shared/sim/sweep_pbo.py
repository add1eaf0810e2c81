"""PBO by CSCV from a sweep's partition statistics, in numba: shared.stats.cscv.pbo_from_stats'
definitions and splits, without its (splits x strategies) temporaries.

At 2,700 strategies and 5,000 splits the NumPy version spends ~2 s on elementwise passes over
13.5M-cell matrices; here each split is one pass over the strategies (sums of the in-sample
half, the out-of-sample half likewise), which a sweep's report can afford.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from numba import njit

from shared.stats.cscv import PBOResult, _check_stats, _split_masks

F64 = npt.NDArray[np.float64]


@njit(cache=True, inline="always")
def _sharpe_nb(n: float, total: float, squares: float) -> float:
    """Pooled Sharpe of a half from its sums; 0 where it has no spread (cscv._half_sharpe)."""
    mean = total / n
    var = (squares - n * mean * mean) / (n - 1.0)
    std = math.sqrt(max(var, 0.0))
    if std <= 1e-6 * abs(mean):
        return 0.0
    return mean / std


@njit(cache=True, error_model="numpy")
def _cscv_nb(sums: F64, squares: F64, counts: F64, masks: npt.NDArray[np.bool_]) -> tuple[F64, F64]:
    """Per split: the OOS Sharpe of the IS-best strategy and its mean OOS rank (1 = worst)."""
    n_parts, n_strat = sums.shape
    n_splits = masks.shape[0]
    half = np.empty((2, 2, n_strat))  # [in, out of sample][sum, sum of squares]
    oos = np.empty(n_strat)
    oos_best = np.empty(n_splits)
    rank = np.empty(n_splits)
    for s in range(n_splits):
        half[:] = 0.0
        n_is = 0.0
        n_oos = 0.0
        for p in range(n_parts):
            h = 0 if masks[s, p] else 1
            if h == 0:
                n_is += counts[p]
            else:
                n_oos += counts[p]
            for k in range(n_strat):
                half[h, 0, k] += sums[p, k]
                half[h, 1, k] += squares[p, k]
        best, best_sr = 0, -np.inf
        for k in range(n_strat):
            sr = _sharpe_nb(n_is, half[0, 0, k], half[0, 1, k])
            if sr > best_sr:  # the first of equals, as np.argmax
                best, best_sr = k, sr
            oos[k] = _sharpe_nb(n_oos, half[1, 0, k], half[1, 1, k])
        below, tied = 0, 0
        for k in range(n_strat):
            below += oos[k] < oos[best]
            tied += oos[k] == oos[best]
        oos_best[s] = oos[best]
        rank[s] = below + (tied + 1) / 2.0
    return oos_best, rank


def pbo_from_sums(stats: npt.ArrayLike, *, max_splits: int = 5000, seed: int = 0) -> PBOResult:
    """pbo_from_stats() of (n_strategies, n_partitions, 3) [count, sum, sum of squares]."""
    st = np.asarray(stats, dtype=np.float64)
    _check_stats(st)
    n_strategies, n_partitions, _ = st.shape
    masks, sampled = _split_masks(n_partitions, max_splits, seed)
    oos_best, rank = _cscv_nb(
        np.ascontiguousarray(st[:, :, 1].T), np.ascontiguousarray(st[:, :, 2].T),
        np.ascontiguousarray(st[0, :, 0]), masks,
    )  # fmt: skip
    omega = rank / (n_strategies + 1)
    logit = np.log(omega / (1.0 - omega))
    return PBOResult(
        pbo=float(np.mean(2.0 * rank <= n_strategies + 1)),
        logit_median=float(np.median(logit)),
        n_splits=int(masks.shape[0]),
        sampled=sampled,
        oos_sharpe_of_best_mean=float(np.mean(oos_best)),
        prob_oos_loss=float(np.mean(oos_best < 0.0)),
        n_strategies=n_strategies,
        n_partitions=n_partitions,
    )
