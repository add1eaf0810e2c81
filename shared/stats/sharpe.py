"""Sharpe ratios per period (rf = 0) and the probabilistic / deflated Sharpe ratio.

References: Bailey & López de Prado, "The Sharpe Ratio Efficient Frontier" (2012) for the PSR;
"The Deflated Sharpe Ratio" (2014) for the expected maximum Sharpe and the DSR.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from scipy.stats import norm

from shared.errors import ValidationError

EULER_GAMMA = 0.5772156649015329

F64 = npt.NDArray[np.float64]


def _series(returns: npt.ArrayLike) -> F64:
    """Return `returns` as a 1-D float64 array, or raise if it is not one series."""
    x = np.asarray(returns, dtype=np.float64)
    if x.ndim != 1:
        raise ValidationError(
            f"expected one 1-D series of per-period returns, got shape {x.shape}; "
            "pass one strategy's returns at a time",
            field="returns",
        )
    return x


def sharpe_ratio(returns: npt.ArrayLike) -> float:
    """Per-period Sharpe ratio mean / std (ddof=1); nan with < 2 observations or no variance."""
    x = _series(returns)
    # A constant series is caught by its range: its computed std can be rounding noise, not 0.
    if x.size < 2 or np.ptp(x) == 0.0:
        return math.nan
    return float(np.mean(x)) / float(np.std(x, ddof=1))


def moments(returns: npt.ArrayLike) -> tuple[float, float]:
    """(skewness, non-excess kurtosis) from population moments; nan with < 2 obs or no variance."""
    x = _series(returns)
    if x.size < 2 or np.ptp(x) == 0.0:
        return math.nan, math.nan
    d = x - np.mean(x)
    m2 = float(np.mean(d**2))
    # Population (biased) moments, as Bailey & López de Prado use: the PSR variance formula is
    # written in terms of them, and kurtosis >= 1 + skew**2 then holds exactly.
    return float(np.mean(d**3)) / m2**1.5, float(np.mean(d**4)) / m2**2


def probabilistic_sharpe_ratio(
    sr: float, sr_benchmark: float, n_obs: int, skew: float, kurtosis: float
) -> float:
    """Probability that the true per-period Sharpe exceeds sr_benchmark, given sr from n_obs returns."""
    if n_obs < 2:
        raise ValidationError(
            f"the PSR needs at least 2 observations, got n_obs={n_obs}", field="n_obs"
        )
    if any(math.isnan(v) for v in (sr, sr_benchmark, skew, kurtosis)):
        return math.nan  # a flat series has no Sharpe; let nan flow rather than invent a number
    # Pearson's inequality: every distribution has kurtosis >= 1 + skew**2. Falling below it almost
    # always means excess kurtosis (normal = 0) was passed where non-excess (normal = 3) is expected.
    if kurtosis < 1.0 + skew**2 - 1e-9:
        raise ValidationError(
            f"kurtosis {kurtosis:g} is below 1 + skew² = {1.0 + skew**2:g}, which no distribution "
            "has; pass non-excess kurtosis (normal = 3), e.g. from shared.stats.moments",
            field="kurtosis",
        )
    gap = sr - sr_benchmark
    var = 1.0 - skew * sr + (kurtosis - 1.0) / 4.0 * sr**2
    if var <= 0.0:
        # Only at Pearson's bound with skew·sr = 2 (a two-point distribution): the estimate has no
        # spread, so the answer is certain.
        return 1.0 if gap > 0 else 0.0 if gap < 0 else 0.5
    return float(norm.cdf(gap * math.sqrt(n_obs - 1) / math.sqrt(var)))


def expected_max_sharpe(n_trials: int, sr_variance: float) -> float:
    """Expected maximum of n_trials Sharpe estimates with true Sharpe 0 and variance sr_variance."""
    if n_trials < 1:
        raise ValidationError(
            f"n_trials must be at least 1 (the number of strategies tried), got {n_trials}",
            field="n_trials",
        )
    if sr_variance < 0:
        raise ValidationError(
            f"sr_variance must be >= 0 (the variance of the trials' Sharpe ratios), got {sr_variance}",
            field="sr_variance",
        )
    if n_trials == 1:
        return 0.0  # one trial has nothing to select from, so no selection bias
    n = float(n_trials)
    z = (1.0 - EULER_GAMMA) * norm.ppf(1.0 - 1.0 / n) + EULER_GAMMA * norm.ppf(
        1.0 - 1.0 / (n * math.e)
    )
    return math.sqrt(sr_variance) * float(z)


def deflated_sharpe_ratio(
    sr: float,
    n_obs: int,
    skew: float,
    kurtosis: float,
    n_trials: int,
    sr_variance: float,
) -> float:
    """PSR against the Sharpe the best of n_trials skill-less strategies would show by luck."""
    sr0 = expected_max_sharpe(n_trials, sr_variance)
    return probabilistic_sharpe_ratio(sr, sr0, n_obs, skew, kurtosis)
