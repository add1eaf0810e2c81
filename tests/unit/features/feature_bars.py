"""Random bars for the feature tests: a seeded random walk with consistent OHLCV."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import strategies as st

from shared.features import FeatureDef, FeatureSpec

# Every kind with a few parameter sets, short enough to be defined on ~80 bars.
CASES = (
    FeatureDef("returns", {"period": 1}),
    FeatureDef("returns", {"period": 3}),
    FeatureDef("lagged_return", {"lag": 1}),
    FeatureDef("lagged_return", {"lag": 4}),
    FeatureDef("sma_distance", {"period": 2}),
    FeatureDef("sma_distance", {"period": 7}),
    FeatureDef("ema_distance", {"period": 2}),
    FeatureDef("ema_distance", {"period": 7}),
    FeatureDef("rsi", {"period": 2}),
    FeatureDef("rsi", {"period": 9}),
    FeatureDef("macd", {"fast": 3, "slow": 7, "signal": 2}),
    FeatureDef("macd", {"fast": 5, "slow": 9, "signal": 4}),
    FeatureDef("bollinger_position", {"period": 2, "nbdev": 1.0}),
    FeatureDef("bollinger_position", {"period": 9, "nbdev": 2.5}),
    FeatureDef("atr", {"period": 1}),
    FeatureDef("atr", {"period": 5}),
    FeatureDef("volatility", {"period": 2}),
    FeatureDef("volatility", {"period": 6}),
    FeatureDef("volume_zscore", {"period": 2}),
    FeatureDef("volume_zscore", {"period": 6}),
    FeatureDef("day_of_week"),
    FeatureDef("month"),
)
ALL_KINDS = FeatureSpec(CASES)


def random_bars(
    seed: int,
    n: int,
    *,
    start: str = "2021-01-04",
    tz: str | None = "UTC",
    volume: bool = True,
) -> pd.DataFrame:
    """OHLCV bars on an irregular index (gaps of 1 to 4 days), high >= open/close >= low."""
    rng = np.random.default_rng(seed)
    index = pd.DatetimeIndex(pd.Timestamp(start) + pd.to_timedelta(_gaps(rng, n), unit="h"))
    index = index.tz_localize(tz) if tz else index
    close = 50.0 * np.exp(np.cumsum(rng.normal(0.0, 0.02, n)))
    return _frame(rng, index, close, volume)


def perturb_after(bars: pd.DataFrame, t: int, seed: int) -> pd.DataFrame:
    """The same bars up to row t; every field (and the timestamps) different after it."""
    rng = np.random.default_rng(seed)
    n = len(bars)
    later = n - t - 1
    stamps = bars.index[t] + pd.to_timedelta(np.cumsum(rng.integers(1, 200, later)), unit="h")
    index = bars.index[: t + 1].append(pd.DatetimeIndex(stamps))
    close = bars["close"].to_numpy()[t] * np.exp(np.cumsum(rng.normal(0.0, 0.08, later)))
    tail = _frame(rng, index[t + 1 :], close, "volume" in bars.columns)
    return pd.concat([bars.iloc[: t + 1], tail])


def _gaps(rng: np.random.Generator, n: int) -> np.ndarray:
    return np.cumsum(rng.integers(24, 4 * 24 + 1, n)) - 24


def _frame(
    rng: np.random.Generator, index: pd.DatetimeIndex, close: np.ndarray, volume: bool
) -> pd.DataFrame:
    n = close.size
    open_ = close * np.exp(rng.normal(0.0, 0.01, n))
    top, bottom = np.maximum(open_, close), np.minimum(open_, close)
    columns = {
        "open": open_,
        "high": top * (1 + rng.uniform(0.0, 0.02, n)),
        "low": bottom * (1 - rng.uniform(0.0, 0.02, n)),
        "close": close,
    }
    if volume:
        columns["volume"] = rng.uniform(1e3, 1e5, n).round()
    return pd.DataFrame(columns, index=index)


seeds = st.integers(0, 2**32 - 1)
