"""Each feature against an independent calculation (explicit loops, pandas, TA-Lib as oracle)."""

from __future__ import annotations

import statistics

import numpy as np
import pandas as pd
import pytest
import talib

from shared.features import FeatureDef, FeatureSpec, build_features
from tests.unit.features.feature_bars import CASES, random_bars

BARS = random_bars(3, 70)
CLOSE = BARS["close"].to_numpy()
N = len(BARS)


def feature(kind: str, **params: float) -> np.ndarray:
    spec = FeatureSpec((FeatureDef(kind, params),))
    return build_features(BARS, spec).iloc[:, 0].to_numpy()


def leading_nan(values: np.ndarray) -> int:
    return int(np.argmax(~np.isnan(values))) if (~np.isnan(values)).any() else values.size


@pytest.mark.parametrize("fd", CASES, ids=lambda fd: fd.column)
def test_warmup_is_exactly_the_leading_nan_rows_and_the_rest_is_finite(fd: FeatureDef):
    values = build_features(BARS, FeatureSpec((fd,)))[fd.column].to_numpy()
    assert leading_nan(values) == fd.warmup
    assert np.isfinite(values[fd.warmup :]).all()


def test_a_spec_warms_up_when_its_slowest_feature_does():
    frame = build_features(BARS, FeatureSpec(CASES))
    complete = frame.notna().all(axis=1).to_numpy()
    assert int(np.argmax(complete)) == FeatureSpec(CASES).warmup == max(f.warmup for f in CASES)
    assert list(frame.columns) == [f.column for f in CASES]
    assert (frame.dtypes == np.float64).all()
    assert frame.index.equals(BARS.index)


def test_returns_and_lagged_returns():
    one = [np.nan] + [CLOSE[t] / CLOSE[t - 1] - 1 for t in range(1, N)]
    three = [np.nan] * 3 + [CLOSE[t] / CLOSE[t - 3] - 1 for t in range(3, N)]
    np.testing.assert_allclose(feature("returns", period=1), one, rtol=1e-13)
    np.testing.assert_allclose(feature("returns", period=3), three, rtol=1e-13)
    np.testing.assert_allclose(feature("lagged_return", lag=2), [np.nan] * 2 + one[:-2], rtol=1e-13)


def test_sma_distance_against_pandas_rolling_mean():
    expected = BARS["close"] / BARS["close"].rolling(7).mean() - 1
    np.testing.assert_allclose(feature("sma_distance", period=7), expected, rtol=1e-9, atol=1e-12)


def test_ema_distance_against_an_explicit_loop():
    period, k = 5, 2 / 6
    ema = [np.nan] * N
    ema[period - 1] = sum(CLOSE[:period]) / period  # seeded with the first window's mean
    for t in range(period, N):
        ema[t] = ema[t - 1] + k * (CLOSE[t] - ema[t - 1])
    expected = CLOSE / np.array(ema) - 1
    np.testing.assert_allclose(feature("ema_distance", period=5), expected, rtol=1e-9, atol=1e-12)


def test_rsi_macd_and_atr_against_talib():
    np.testing.assert_allclose(feature("rsi", period=9), talib.RSI(CLOSE, 9) / 100, rtol=1e-9)
    hist = talib.MACD(CLOSE, 5, 13, 4)[2] / CLOSE
    np.testing.assert_allclose(feature("macd", fast=5, slow=13, signal=4), hist, rtol=0, atol=1e-12)
    high, low = BARS["high"].to_numpy(), BARS["low"].to_numpy()
    atr = talib.ATR(high, low, CLOSE, 6) / CLOSE
    np.testing.assert_allclose(feature("atr", period=6), atr, rtol=1e-9)


def test_bollinger_position_against_an_explicit_loop():
    period, nbdev = 8, 1.5
    expected = [np.nan] * N
    for t in range(period - 1, N):
        window = CLOSE[t - period + 1 : t + 1]
        mid, sd = statistics.fmean(window), statistics.pstdev(window)
        lower, upper = mid - nbdev * sd, mid + nbdev * sd
        expected[t] = (CLOSE[t] - lower) / (upper - lower)
    got = feature("bollinger_position", period=period, nbdev=nbdev)
    np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-12)


def test_volatility_is_the_sample_std_of_log_returns():
    period = 6
    logs = [np.nan] + [np.log(CLOSE[t] / CLOSE[t - 1]) for t in range(1, N)]
    expected = [np.nan] * period + [
        statistics.stdev(logs[t - period + 1 : t + 1]) for t in range(period, N)
    ]
    np.testing.assert_allclose(feature("volatility", period=period), expected, rtol=1e-9)


def test_volume_zscore_over_the_window_including_t():
    period = 5
    volume = BARS["volume"].to_numpy()
    expected = [np.nan] * (period - 1)
    for t in range(period - 1, N):
        window = volume[t - period + 1 : t + 1]
        expected.append((volume[t] - statistics.fmean(window)) / statistics.stdev(window))
    np.testing.assert_allclose(feature("volume_zscore", period=period), expected, rtol=1e-9)


def test_flat_windows_give_the_middle_band_and_a_zero_zscore():
    index = pd.date_range("2022-01-03", periods=12, freq="D", tz="UTC")
    close = np.array([10.0, 11.0, 12.0] + [7.25] * 9)
    volume = np.array([5.0, 9.0, 1.0] + [300.0] * 9)
    bars = pd.DataFrame({"open": close, "high": close, "low": close, "close": close}, index=index)
    bars["volume"] = volume
    spec = FeatureSpec(
        (
            FeatureDef("bollinger_position", {"period": 4}),
            FeatureDef("volume_zscore", {"period": 4}),
        )
    )
    frame = build_features(bars, spec)
    assert (frame.iloc[6:] == [0.5, 0.0]).all().all()  # windows entirely inside the flat run
    assert frame.iloc[3:6].notna().all().all()


@pytest.mark.parametrize("tz", [None, "UTC", "America/New_York"])
def test_calendar_features_read_the_index_in_its_own_time_zone(tz: str | None):
    bars = random_bars(5, 40, start="2021-12-20 02:00", tz=tz)
    spec = FeatureSpec((FeatureDef("day_of_week"), FeatureDef("month")))
    frame = build_features(bars, spec)
    assert frame["day_of_week"].tolist() == [float(ts.weekday()) for ts in bars.index]
    assert frame["month"].tolist() == [float(ts.month) for ts in bars.index]
    assert set(frame["month"]) >= {12.0, 1.0}


def test_a_zero_close_gives_nan_not_inf_and_later_bars_recover():
    bars = BARS.copy()
    bars.iloc[30, bars.columns.get_loc("close")] = 0.0
    spec = FeatureSpec(
        (FeatureDef("returns"), FeatureDef("volatility", {"period": 3}), FeatureDef("sma_distance"))
    )
    frame = build_features(bars, spec)
    assert not np.isinf(frame.to_numpy()).any()
    assert frame.iloc[30:34].isna().any(axis=1).all()  # the zero and the windows that hold it
    assert frame.iloc[34:].notna().all().all()  # the volatility window has moved past it
