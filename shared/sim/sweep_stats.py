"""A sweep combination's report figures from its equity curve, in numba, with no return series kept.

The definitions are shared.sim.metrics' (the summary) and simulator.sweeps.evaluate's (the
statistics of the overfitting tests):
- curve returns: n_bars simple returns, the first against the initial cash; they give the
  summary's sharpe and sortino (std ddof=1, downside = sqrt(mean(min(r, 0) ** 2))).
- period returns: the equity's pct_change without its first bar (n_bars - 1 values); they
  give sr_period (mean / std, ddof=1), skew and kurtosis (population moments) and the CSCV
  partition statistics (count, sum, sum of squares per np.array_split block).
Undefined figures are NaN here (None in a report).
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from numba import njit

F64 = npt.NDArray[np.float64]

N_PARTITIONS = 16
# one row of a stats matrix: these figures, then the sum and sum of squares of each partition
FIGURES = (
    "portfolio_end", "total_return_pct", "max_drawdown_pct", "sharpe", "sortino", "calmar",
    "total_trades", "sr_period", "skew", "kurtosis", "n_obs", "ruined",
)  # fmt: skip
N_FIGURES = len(FIGURES)
N_STATS = N_FIGURES + 2 * N_PARTITIONS
(END, RET, MDD, SHARPE, SORTINO, CALMAR, TRADES, SR, SKEW, KURT, NOBS, RUINED) = range(N_FIGURES)


def partition_bounds(n_obs: int, n_parts: int = N_PARTITIONS) -> npt.NDArray[np.int64]:
    """Start of each np.array_split block of n_obs values, and n_obs at the end."""
    size, extra = divmod(n_obs, n_parts)
    counts = np.full(n_parts, size, dtype=np.int64)
    counts[:extra] += 1
    return np.concatenate(([0], np.cumsum(counts))).astype(np.int64)


# reassoc lets LLVM vectorise the sums (another order of additions: ~1e-16 relative), and
# error_model="numpy" drops the zero-division check that would keep the division scalar
@njit(cache=True, fastmath={"reassoc", "nsz", "nnan", "ninf"}, error_model="numpy")
def _block_sums_nb(eq: F64, lo: int, hi: int) -> tuple[float, float, float, float, float]:
    """Over r[i] = eq[i + 1] / eq[i] - 1, i in [lo, hi): sums of r, r², r³, r⁴, min(r, 0)²."""
    s1 = 0.0
    s2 = 0.0
    s3 = 0.0
    s4 = 0.0
    down = 0.0
    for i in range(lo, hi):
        x = eq[i + 1] / eq[i] - 1.0
        xx = x * x
        s1 += x
        s2 += xx
        s3 += xx * x
        s4 += xx * xx
        m = min(x, 0.0)
        down += m * m
    return s1, s2, s3, s4, down


@njit(cache=True)
def curve_stats_nb(
    eq: F64, bounds: npt.NDArray[np.int64], initial_cash: float, ppy: float,
    worst: float, trades: int, out: F64,
) -> None:  # fmt: skip
    """Fill `out` (one stats row) from the equity at each close; `worst` is the max drawdown."""
    s1 = s2 = s3 = s4 = down = 0.0
    for p in range(bounds.shape[0] - 1):
        b1, b2, b3, b4, bd = _block_sums_nb(eq, bounds[p], bounds[p + 1])
        out[N_FIGURES + 2 * p] = b1
        out[N_FIGURES + 2 * p + 1] = b2
        s1 += b1
        s2 += b2
        s3 += b3
        s4 += b4
        down += bd
    n = eq.shape[0]
    r0 = eq[0] / initial_cash - 1.0
    figures_nb(n, eq[n - 1], r0, (s1, s2, s3, s4, down), initial_cash, ppy, worst, trades, out)


@njit(cache=True)
def figures_nb(
    n: int, end: float, r0: float, sums: tuple[float, float, float, float, float],
    initial_cash: float, ppy: float, worst: float, trades: int, out: F64,
) -> None:  # fmt: skip
    """The report figures of `out` from n closes: the last equity, the first (curve) return r0
    and the sums of the n - 1 period returns r, r², r³, r⁴ and min(r, 0)²."""
    s1, s2, s3, s4, down = sums
    n_obs = n - 1
    out[END] = end
    out[RET] = (end / initial_cash - 1.0) * 100.0
    out[MDD] = worst * 100.0
    out[TRADES] = trades
    out[NOBS] = n_obs
    mu = s1 / n_obs if n_obs > 0 else 0.0
    # central moments from the raw sums: returns have |mean| << std, so little cancels
    d2 = max(s2 - n_obs * mu * mu, 0.0)
    d3 = s3 - 3.0 * mu * s2 + 2.0 * n_obs * mu**3
    d4 = s4 - 4.0 * mu * s3 + 6.0 * mu * mu * s2 - 3.0 * n_obs * mu**4
    m0 = min(r0, 0.0)
    # the curve's n returns are r0 and the n_obs period returns: its mean and spread from theirs
    mean_c = (s1 + r0) / n
    var_c = (d2 + n_obs * (mu - mean_c) ** 2 + (r0 - mean_c) ** 2) / (n - 1) if n > 1 else np.nan
    std_c = math.sqrt(var_c) if var_c > 0.0 else 0.0
    root = math.sqrt(ppy)
    out[SHARPE] = mean_c / std_c * root if std_c > 0.0 else np.nan
    downside = math.sqrt((down + m0 * m0) / n)
    out[SORTINO] = mean_c / downside * root if downside > 0.0 else np.nan
    years = n / ppy
    annual = (end / initial_cash) ** (1.0 / years) - 1.0 if end > 0.0 else -1.0
    out[CALMAR] = annual / worst if worst > 0.0 else np.nan
    # no spread (a combination that never trades): no Sharpe, no moments, as shared.stats says
    if n_obs < 2 or not d2 > 0.0:
        out[SR] = out[SKEW] = out[KURT] = np.nan
    else:
        m2 = d2 / n_obs
        out[SR] = mu / math.sqrt(d2 / (n_obs - 1))
        out[SKEW] = d3 / n_obs / m2**1.5
        out[KURT] = d4 / n_obs / m2**2
