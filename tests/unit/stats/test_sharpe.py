"""Sharpe, moments, PSR and DSR against hand sums, scipy, Monte Carlo and calibration under the null."""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np
import pytest
from scipy import stats as sps

from shared.errors import ValidationError
from shared.stats import (
    EULER_GAMMA,
    deflated_sharpe_ratio,
    expected_max_sharpe,
    moments,
    probabilistic_sharpe_ratio,
    sharpe_ratio,
)

SERIES = [0.01, -0.02, 0.03, 0.005, -0.01, 0.015]


def _hand_moments(xs: list[float]) -> tuple[float, float, float, float]:
    """Plain-Python mean, sample variance (n-1), population skewness and non-excess kurtosis."""
    n = len(xs)
    mean = sum(xs) / n
    dev = [x - mean for x in xs]
    m2 = sum(d**2 for d in dev) / n
    m3 = sum(d**3 for d in dev) / n
    m4 = sum(d**4 for d in dev) / n
    return mean, sum(d**2 for d in dev) / (n - 1), m3 / m2**1.5, m4 / m2**2


def _row_sharpes(x: np.ndarray) -> np.ndarray:
    return x.mean(axis=1) / x.std(axis=1, ddof=1)


def test_sharpe_ratio_matches_hand_sums() -> None:
    mean, var, _, _ = _hand_moments(SERIES)
    assert sharpe_ratio(SERIES) == pytest.approx(mean / math.sqrt(var), rel=1e-12)


@pytest.mark.parametrize("series", [[], [0.01], [0.02, 0.02, 0.02], [0.1, 0.1, 0.1]])
def test_sharpe_ratio_is_nan_without_two_obs_or_variance(series: list[float]) -> None:
    assert math.isnan(sharpe_ratio(series))


def test_sharpe_ratio_does_not_mutate_input() -> None:
    x = np.array(SERIES)
    before = x.copy()
    sharpe_ratio(x)
    moments(x)
    np.testing.assert_array_equal(x, before)


def test_moments_match_hand_sums() -> None:
    _, _, skew, kurt = _hand_moments(SERIES)
    got_skew, got_kurt = moments(SERIES)
    assert got_skew == pytest.approx(skew, rel=1e-12)
    assert got_kurt == pytest.approx(kurt, rel=1e-12)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_moments_match_scipy_population_moments(seed: int) -> None:
    x = np.random.default_rng(seed).standard_t(df=5, size=300)
    skew, kurt = moments(x)
    assert skew == pytest.approx(sps.skew(x, bias=True), rel=1e-10)
    assert kurt == pytest.approx(sps.kurtosis(x, fisher=False, bias=True), rel=1e-10)


def test_moments_nan_for_constant_series() -> None:
    assert all(math.isnan(v) for v in moments([0.1, 0.1, 0.1]))


def test_two_dimensional_input_is_refused() -> None:
    with pytest.raises(ValidationError, match="one 1-D series"):
        sharpe_ratio(np.zeros((3, 2)))


# --- expected maximum Sharpe ---------------------------------------------------------------------


@pytest.mark.parametrize("n_trials", [10, 100, 1000])
def test_expected_max_sharpe_matches_monte_carlo(n_trials: int) -> None:
    variance = 0.04
    rng = np.random.default_rng(n_trials)
    maxima = [
        rng.normal(0.0, math.sqrt(variance), size=(2000, n_trials)).max(axis=1).mean()
        for _ in range(10)
    ]
    # The closed form is an asymptotic approximation: about 2.3 % high at N = 10, < 1 % beyond.
    assert expected_max_sharpe(n_trials, variance) == pytest.approx(np.mean(maxima), rel=0.03)


def test_expected_max_sharpe_closed_form_by_hand() -> None:
    nd = NormalDist()
    n, v = 50, 0.01
    want = math.sqrt(v) * (
        (1 - EULER_GAMMA) * nd.inv_cdf(1 - 1 / n) + EULER_GAMMA * nd.inv_cdf(1 - 1 / (n * math.e))
    )
    assert expected_max_sharpe(n, v) == pytest.approx(want, rel=1e-9)


def test_expected_max_sharpe_one_trial_is_zero_and_grows_with_trials() -> None:
    assert expected_max_sharpe(1, 0.5) == 0.0
    values = [expected_max_sharpe(n, 0.01) for n in (2, 10, 100, 1000)]
    assert values == sorted(values)
    assert expected_max_sharpe(100, 0.04) == pytest.approx(2 * expected_max_sharpe(100, 0.01))


@pytest.mark.parametrize(
    ("n_trials", "variance", "message"),
    [(0, 0.01, "n_trials must be at least 1"), (5, -0.1, "sr_variance must be >= 0")],
)
def test_expected_max_sharpe_rejects_bad_input(
    n_trials: int, variance: float, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        expected_max_sharpe(n_trials, variance)


# --- PSR -----------------------------------------------------------------------------------------


def test_psr_matches_formula_by_hand() -> None:
    sr, bench, n, skew, kurt = 0.12, 0.05, 250, -0.4, 5.0
    z = (sr - bench) * math.sqrt(n - 1) / math.sqrt(1 - skew * sr + (kurt - 1) / 4 * sr**2)
    assert probabilistic_sharpe_ratio(sr, bench, n, skew, kurt) == pytest.approx(
        NormalDist().cdf(z), rel=1e-12
    )
    assert probabilistic_sharpe_ratio(0.1, 0.1, n, skew, kurt) == 0.5


def test_psr_is_uniform_under_the_null() -> None:
    # True Sharpe 0: P(PSR(0) > 0.95) should be 5 %; with 2,000 runs its sampling sd is 0.5 pp.
    x = np.random.default_rng(7).standard_normal((2000, 500))
    psr = np.array([probabilistic_sharpe_ratio(sharpe_ratio(r), 0.0, 500, *moments(r)) for r in x])
    assert 0.035 <= np.mean(psr > 0.95) <= 0.065
    assert 0.035 <= np.mean(psr < 0.05) <= 0.065
    assert 0.47 <= np.mean(psr < 0.5) <= 0.53


def test_psr_sees_a_true_edge() -> None:
    # Mean 0.2, sd 1 per period over 500 periods: t ≈ 4.5, far past the 1.645 cut.
    x = np.random.default_rng(8).normal(0.2, 1.0, size=(200, 500))
    psr = np.array([probabilistic_sharpe_ratio(sharpe_ratio(r), 0.0, 500, *moments(r)) for r in x])
    assert np.mean(psr > 0.95) >= 0.95


def test_psr_rejects_excess_kurtosis() -> None:
    with pytest.raises(ValidationError, match=r"pass non-excess kurtosis \(normal = 3\)"):
        probabilistic_sharpe_ratio(0.1, 0.0, 100, 0.0, 0.0)


def test_psr_rejects_too_few_observations() -> None:
    with pytest.raises(ValidationError, match="at least 2 observations"):
        probabilistic_sharpe_ratio(0.1, 0.0, 1, 0.0, 3.0)


def test_psr_nan_sharpe_stays_nan() -> None:
    assert math.isnan(probabilistic_sharpe_ratio(math.nan, 0.0, 100, 0.0, 3.0))


# --- DSR -----------------------------------------------------------------------------------------


def _best_of(x: np.ndarray) -> tuple[float, float]:
    """(DSR, naive PSR(0)) of the best row of x, each row one strategy's returns."""
    srs = _row_sharpes(x)
    best = int(np.argmax(srs))
    skew, kurt = moments(x[best])
    var = float(np.var(srs, ddof=1))
    dsr = deflated_sharpe_ratio(srs[best], x.shape[1], skew, kurt, x.shape[0], var)
    psr = probabilistic_sharpe_ratio(srs[best], 0.0, x.shape[1], skew, kurt)
    return dsr, psr


def test_dsr_deflates_the_best_of_noise() -> None:
    rng = np.random.default_rng(11)
    runs = [_best_of(rng.standard_normal((100, 1000))) for _ in range(200)]
    dsr = np.array([r[0] for r in runs])
    psr = np.array([r[1] for r in runs])
    assert np.mean(psr > 0.95) >= 0.9  # naive: the luckiest of 100 looks significant
    assert np.mean(dsr > 0.95) <= 0.10  # deflated: it mostly does not


def test_dsr_keeps_a_real_edge() -> None:
    # Mean 0.1, sd 1 per period among 99 noise strategies. T = 5,000 rather than 1,000: at 1,000
    # the edge (t ≈ 3.2) barely clears the luck of the best of 100 (≈ 2.5 sd), so DSR ≈ 0.7.
    rng = np.random.default_rng(12)
    hits = 0
    for _ in range(40):
        x = rng.standard_normal((100, 5000))
        x[0] += 0.1
        dsr, _ = _best_of(x)
        hits += dsr > 0.95
    assert hits / 40 >= 0.9


def test_dsr_with_one_trial_is_psr_against_zero() -> None:
    assert deflated_sharpe_ratio(0.08, 300, -0.2, 4.0, 1, 0.01) == pytest.approx(
        probabilistic_sharpe_ratio(0.08, 0.0, 300, -0.2, 4.0)
    )


def test_psr_at_pearsons_bound_is_certain() -> None:
    # kurtosis = 1 + skew² with skew·sr = 2 (a two-point distribution): the estimate has no spread.
    assert probabilistic_sharpe_ratio(1.0, 0.5, 10, 2.0, 5.0) == 1.0
    assert probabilistic_sharpe_ratio(1.0, 1.5, 10, 2.0, 5.0) == 0.0
