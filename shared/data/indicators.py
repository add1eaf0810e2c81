"""Technical indicators: a thin, typed wrapper over TA-Lib for the feature pipeline.

Why TA-Lib: pandas-ta has no release that installs on Python 3.11, while TA-Lib's binary wheel
bundles the C library (nothing to compile or install system-wide).

Every function takes numpy arrays or pandas Series (float-convertible) and returns the same
kind: a Series keeps the input's index and gets a name, an array stays an array. Inputs must be
finite (NaN/inf raise ``DataError``, since TA-Lib would smear them over later values).
Warm-up: the first ``lookback`` values of each output are NaN by construction (e.g. ``period - 1``
for ``sma``); ``lookback(name, **params)`` says how many, so callers drop them explicitly.
"""

from __future__ import annotations

from typing import TypeVar

import numpy as np
import numpy.typing as npt
import pandas as pd
import talib
from talib import MA_Type, abstract

from shared.errors import DataError, ValidationError

Values = TypeVar("Values", npt.NDArray[np.float64], pd.Series)


def _arr(values: npt.ArrayLike | pd.Series, name: str) -> npt.NDArray[np.float64]:
    arr = np.ascontiguousarray(np.asarray(values, dtype=np.float64))
    if arr.ndim != 1:
        raise ValidationError(f"{name} must be one-dimensional, got shape {arr.shape}", field=name)
    bad = ~np.isfinite(arr)
    if bad.any():
        raise DataError(
            f"{name} has {int(bad.sum())} NaN/inf value(s) (first at position "
            f"{int(np.argmax(bad))}); drop or fill them before computing indicators",
            field=name,
        )
    return arr


def _period(period: int, minimum: int = 2) -> int:
    if int(period) != period or period < minimum:
        raise ValidationError(
            f"period must be an integer >= {minimum}, got {period}", field="period"
        )
    return int(period)


def _like(template: Values, out: npt.NDArray[np.float64], name: str) -> Values:
    if isinstance(template, pd.Series):
        return pd.Series(out, index=template.index, name=name)
    return out


def lookback(name: str, **params: float) -> int:
    """How many leading NaN values the TA-Lib function ``name`` (e.g. "RSI") produces."""
    fn = abstract.Function(name.upper())  # type: ignore[attr-defined]
    if params:
        fn.set_parameters(**params)
    return int(fn.lookback)


def sma(close: Values, period: int = 20) -> Values:
    """Simple moving average."""
    return _like(
        close, talib.SMA(_arr(close, "close"), timeperiod=_period(period)), f"sma_{period}"
    )


def ema(close: Values, period: int = 20) -> Values:
    """Exponential moving average (TA-Lib seeds it with the SMA of the first ``period`` values)."""
    return _like(
        close, talib.EMA(_arr(close, "close"), timeperiod=_period(period)), f"ema_{period}"
    )


def rsi(close: Values, period: int = 14) -> Values:
    """Relative strength index (Wilder), 0..100."""
    return _like(
        close, talib.RSI(_arr(close, "close"), timeperiod=_period(period)), f"rsi_{period}"
    )


def atr(high: Values, low: Values, close: Values, period: int = 14) -> Values:
    """Average true range (Wilder)."""
    h, lo, c = _arr(high, "high"), _arr(low, "low"), _arr(close, "close")
    if not h.size == lo.size == c.size:
        raise ValidationError("high, low and close must have the same length", field="high")
    return _like(close, talib.ATR(h, lo, c, timeperiod=_period(period, 1)), f"atr_{period}")


def bbands(close: Values, period: int = 20, nbdev: float = 2.0) -> tuple[Values, Values, Values]:
    """Bollinger bands (upper, middle, lower): SMA ± ``nbdev`` population standard deviations."""
    upper, middle, lower = talib.BBANDS(
        _arr(close, "close"),
        timeperiod=_period(period),
        nbdevup=nbdev,
        nbdevdn=nbdev,
        matype=MA_Type.SMA,
    )
    return (
        _like(close, upper, f"bb_upper_{period}"),
        _like(close, middle, f"bb_middle_{period}"),
        _like(close, lower, f"bb_lower_{period}"),
    )


def macd(
    close: Values, fast: int = 12, slow: int = 26, signal: int = 9
) -> tuple[Values, Values, Values]:
    """MACD line, signal line and histogram."""
    line, sig, hist = talib.MACD(
        _arr(close, "close"),
        fastperiod=_period(fast),
        slowperiod=_period(slow),
        signalperiod=_period(signal, 1),
    )
    return (
        _like(close, line, "macd"),
        _like(close, sig, "macd_signal"),
        _like(close, hist, "macd_hist"),
    )
