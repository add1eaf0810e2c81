"""Indicators against independent plain-numpy/pandas implementations."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from shared.data import indicators as ind
from shared.errors import DataError, ValidationError

RNG = np.random.default_rng(7)
CLOSE = 100 * np.exp(np.cumsum(RNG.normal(0, 0.01, 300)))
HIGH = CLOSE * (1 + RNG.uniform(0, 0.01, 300))
LOW = CLOSE * (1 - RNG.uniform(0, 0.01, 300))


def test_sma_matches_a_rolling_mean() -> None:
    expected = pd.Series(CLOSE).rolling(10).mean().to_numpy()
    np.testing.assert_allclose(ind.sma(CLOSE, 10), expected, equal_nan=True)
    assert np.isnan(ind.sma(CLOSE, 10)[:9]).all()
    assert ind.lookback("sma", timeperiod=10) == 9


def test_ema_matches_the_sma_seeded_recursion() -> None:
    period, alpha = 10, 2 / 11
    expected = np.full(CLOSE.size, np.nan)
    expected[period - 1] = CLOSE[:period].mean()
    for i in range(period, CLOSE.size):
        expected[i] = alpha * CLOSE[i] + (1 - alpha) * expected[i - 1]
    np.testing.assert_allclose(ind.ema(CLOSE, period), expected, equal_nan=True, rtol=1e-10)


def test_rsi_matches_wilder() -> None:
    period = 14
    diff = np.diff(CLOSE)
    gain, loss = np.clip(diff, 0, None), np.clip(-diff, 0, None)
    avg_g, avg_l = gain[:period].mean(), loss[:period].mean()
    expected = [100 - 100 / (1 + avg_g / avg_l)]
    for g, lo in zip(gain[period:], loss[period:], strict=True):
        avg_g = (avg_g * (period - 1) + g) / period
        avg_l = (avg_l * (period - 1) + lo) / period
        expected.append(100 - 100 / (1 + avg_g / avg_l))
    np.testing.assert_allclose(ind.rsi(CLOSE, period)[period:], expected, rtol=1e-8)


def test_atr_matches_wilder_true_range() -> None:
    period = 14
    prev = CLOSE[:-1]
    tr = np.maximum.reduce([HIGH[1:] - LOW[1:], np.abs(HIGH[1:] - prev), np.abs(LOW[1:] - prev)])
    expected = [tr[:period].mean()]
    for value in tr[period:]:
        expected.append((expected[-1] * (period - 1) + value) / period)
    np.testing.assert_allclose(ind.atr(HIGH, LOW, CLOSE, period)[period:], expected, rtol=1e-8)


def test_bbands_use_the_population_std() -> None:
    upper, middle, lower = ind.bbands(CLOSE, 20, 2.0)
    roll = pd.Series(CLOSE).rolling(20)
    np.testing.assert_allclose(middle, roll.mean(), equal_nan=True)
    np.testing.assert_allclose(upper, roll.mean() + 2 * roll.std(ddof=0), equal_nan=True, rtol=1e-8)
    np.testing.assert_allclose(lower, roll.mean() - 2 * roll.std(ddof=0), equal_nan=True, rtol=1e-8)


def test_macd_is_the_difference_of_two_emas_after_warm_up() -> None:
    line, signal, hist = ind.macd(CLOSE)
    np.testing.assert_allclose(hist, line - signal, equal_nan=True)
    assert ind.lookback("MACD") == 33 and np.isnan(line[:33]).all()


def test_series_in_series_out_with_the_index() -> None:
    idx = pd.date_range("2021-01-01", periods=300, tz="UTC")
    out = ind.sma(pd.Series(CLOSE, index=idx), 5)
    assert isinstance(out, pd.Series) and out.index.equals(idx) and out.name == "sma_5"
    assert all(isinstance(b, pd.Series) for b in ind.bbands(pd.Series(CLOSE, index=idx)))


def test_bad_inputs_are_refused() -> None:
    with pytest.raises(DataError, match=r"close has 1 NaN/inf value\(s\) \(first at position 3\)"):
        ind.sma(np.array([1.0, 2, 3, np.nan, 5]), 2)
    with pytest.raises(ValidationError, match="period must be an integer >= 2, got 1"):
        ind.rsi(CLOSE, 1)
    with pytest.raises(ValidationError, match="same length"):
        ind.atr(HIGH, LOW[:-1], CLOSE)
