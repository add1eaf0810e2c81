"""sma_windows: many periods of one series in one pass, each row bit for bit sma()'s."""

from __future__ import annotations

import numpy as np
import pytest

from shared.errors import DataError, ValidationError
from shared.features.indicators import sma, sma_windows
from shared.sim.sma_sweep import moving_averages


@pytest.mark.parametrize("n", [0, 1, 5, 300, 5_000])
def test_each_row_is_sma_bit_for_bit(n: int) -> None:
    rng = np.random.default_rng(n)
    close = 100.0 * np.exp(np.cumsum(rng.normal(0.0, 0.02, n)))
    close[n // 3 : n // 3 + 40] = close[n // 3] if n else close[:0]  # a flat run: exact means
    periods = [2, 3, 7, 20, 21, 64, 199, 250, 2, 301]  # repeated, longer than the series
    rows = sma_windows(close, periods)
    assert rows.shape == (len(periods), n)
    for row, period in zip(rows, periods, strict=True):
        np.testing.assert_array_equal(row, sma(close, period))  # NaN warm-ups equal too


def test_moving_averages_keep_the_one_bar_average_and_order() -> None:
    close = np.linspace(10.0, 20.0, 50) + np.sin(np.arange(50.0))
    windows = [5, 1, 3, 1, 12]
    got = moving_averages(close, windows)
    for row, w in zip(got, windows, strict=True):
        np.testing.assert_array_equal(row, close if w == 1 else sma(close, w))


def test_sma_windows_fills_a_given_array() -> None:
    close = np.linspace(10.0, 20.0, 30)
    out = np.full((2, 30), 7.0)
    assert sma_windows(close, [4, 9], out=out) is out
    np.testing.assert_array_equal(out, sma_windows(close, [4, 9]))
    with pytest.raises(ValueError, match="shape"):
        sma_windows(close, [4, 9], out=np.empty((2, 29)))


def test_sma_windows_validates_as_sma() -> None:
    with pytest.raises(ValidationError):
        sma_windows(np.ones(10), [5, 1])
    with pytest.raises(DataError):
        sma_windows(np.array([1.0, np.nan, 2.0]), [2])
    with pytest.raises(ValidationError):
        sma_windows(np.ones((4, 2)), [2])
