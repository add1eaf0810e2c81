"""Technical indicators written here (numpy + numba), defined exactly as TA-Lib defines them.

Every function takes numpy arrays or pandas Series (float-convertible) and returns the same
kind: a Series keeps the input's index and gets a name ("sma_20"), an array stays an array.
``sma`` also takes a 2-D panel (bars x columns, an array or a DataFrame), computed per column.
Inputs must be finite: a NaN would smear over every later value, so it raises ``DataError``.

Warm-up: the first ``lookback(name, **params)`` values of each output are NaN, the rest finite.
Causal: the value at bar t depends on bars 0..t only (tested by perturbing later bars).
TA-Lib (a test-only dependency) is the oracle: tests/unit/features/test_indicators.py.

Kernels (``*_nb``) take float64 arrays, never mutate them and call nothing outside this file,
because numba's on-disk cache stamps a kernel with its own file only.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Sequence
from numbers import Real
from typing import TypeVar

import numpy as np
import numpy.typing as npt
import pandas as pd
from numba import njit

from shared.errors import DataError, ValidationError

F64 = npt.NDArray[np.float64]
Values = TypeVar("Values", npt.NDArray[np.float64], pd.Series)
ValuesOrFrame = TypeVar("ValuesOrFrame", npt.NDArray[np.float64], pd.Series, pd.DataFrame)


# ---------------------------------------------------------------------------------------------
# Kernels
# ---------------------------------------------------------------------------------------------


@njit(cache=True)
def _add_nb(total: float, comp: float, value: float) -> tuple[float, float]:
    """Neumaier's compensated addition: (total, comp) with total + comp the running sum."""
    new = total + value
    if abs(total) >= abs(value):
        comp += (total - new) + value
    else:
        comp += (value - new) + total
    return new, comp


@njit(cache=True)
def sma_nb(x: F64, period: int) -> F64:
    """Rolling mean of each column of a 2-D array; NaN for the first ``period - 1`` rows."""
    n, m = x.shape
    out = np.full((n, m), np.nan)
    for j in range(m):
        # Sums of deviations from the column's first value: a constant column sums to exactly
        # 0 (so its mean is exactly that constant), and smaller terms round less. The rolling
        # sum adds each bar once and subtracts it `period` bars later; Neumaier compensation
        # carries the rounding error of every step, so the error stays at a few ulps of the
        # window sum however many bars pass (no drift; tested on 200k bars).
        ref, total, comp = x[0, j] if n > 0 else 0.0, 0.0, 0.0
        for t in range(n):
            total, comp = _add_nb(total, comp, x[t, j] - ref)
            if t >= period:
                total, comp = _add_nb(total, comp, -(x[t - period, j] - ref))
            if t >= period - 1:
                out[t, j] = ref + (total + comp) / period
    return out


@njit(cache=True)
def sma_windows_nb(x: F64, periods: npt.NDArray[np.int64], out: F64) -> F64:
    """sma_nb of a 1-D series for several periods at once into `out` (periods x bars), each row
    bit for bit sma_nb's: the same operations in the same order per period. The bar loop runs
    outside the period loop, so each bar's periods are independent chains of additions the CPU
    overlaps (one period's compensated sum is a chain of dependent additions, bar after bar)."""
    n = x.shape[0]
    m = periods.shape[0]
    out[:] = np.nan
    total = np.zeros(m)
    comp = np.zeros(m)
    ref = x[0] if n > 0 else 0.0
    for t in range(n):
        dev = x[t] - ref
        for w in range(m):
            period = periods[w]
            tw, cw = _add_nb(total[w], comp[w], dev)
            if t >= period:
                tw, cw = _add_nb(tw, cw, -(x[t - period] - ref))
            if t >= period - 1:
                out[w, t] = ref + (tw + cw) / period
            total[w] = tw
            comp[w] = cw
    return out


@njit(cache=True)
def ema_nb(x: F64, period: int, start: int) -> F64:
    """EMA of x[start:] seeded at bar start + period - 1 with the mean of its first values."""
    n = x.size
    out = np.full(n, np.nan)
    first = start + period - 1
    if first >= n:
        return out
    ref, dev = x[start], 0.0
    for i in range(start, first + 1):
        dev += x[i] - ref
    value = ref + dev / period  # exactly the constant when the seed window is constant
    out[first] = value
    k = 2.0 / (period + 1)
    for t in range(first + 1, n):
        value += (x[t] - value) * k
        out[t] = value
    return out


@njit(cache=True)
def rsi_nb(x: F64, period: int) -> F64:
    """Wilder's RSI: simple means of the first ``period`` gains and losses, then his smoothing."""
    n = x.size
    out = np.full(n, np.nan)
    if n <= period:
        return out
    gain, loss = 0.0, 0.0
    for t in range(1, period + 1):
        change = x[t] - x[t - 1]
        if change > 0.0:
            gain += change
        else:
            loss -= change
    gain /= period
    loss /= period
    for t in range(period, n):
        if t > period:
            change = x[t] - x[t - 1]
            gain += (max(change, 0.0) - gain) / period
            loss += (max(-change, 0.0) - loss) / period
        both = gain + loss
        out[t] = 100.0 * (gain / both) if both != 0.0 else 0.0  # TA-Lib: 0 on a flat series
    return out


@njit(cache=True)
def atr_nb(high: F64, low: F64, close: F64, period: int) -> F64:
    """Wilder's average true range: the mean of the first ``period`` true ranges, then smoothed."""
    n = close.size
    out = np.full(n, np.nan)
    if n <= period:
        return out
    tr = np.empty(n)
    tr[0] = np.nan  # the first bar has no previous close, hence no true range
    for t in range(1, n):
        prev = close[t - 1]
        tr[t] = max(high[t] - low[t], abs(high[t] - prev), abs(low[t] - prev))
    ref, dev = tr[1], 0.0
    for t in range(1, period + 1):
        dev += tr[t] - ref
    value = ref + dev / period
    out[period] = value
    for t in range(period + 1, n):
        value += (tr[t] - value) / period  # a constant range stays exactly constant
        out[t] = value
    return out


@njit(cache=True)
def rolling_std_nb(x: F64, mean: F64, period: int) -> F64:
    """Population standard deviation of each window around its (precomputed) mean."""
    n = x.size
    out = np.full(n, np.nan)
    # Two passes per window (O(n * period)) rather than a rolling sum of squares: E[x^2] - E[x]^2
    # cancels catastrophically when the std is small next to the price, and a flat window must
    # give exactly 0. Periods are tens of bars, so the exact form costs nothing that matters.
    for t in range(period - 1, n):
        acc = 0.0
        for i in range(t - period + 1, t + 1):
            d = x[i] - mean[t]
            acc += d * d
        out[t] = math.sqrt(acc / period)
    return out


# ---------------------------------------------------------------------------------------------
# Validation and wrapping
# ---------------------------------------------------------------------------------------------


def _arr(
    values: npt.ArrayLike | pd.Series | pd.DataFrame, name: str, ndims: tuple[int, ...] = (1,)
) -> F64:
    try:
        arr = np.ascontiguousarray(np.asarray(values, dtype=np.float64))
    except (TypeError, ValueError):
        raise ValidationError(f"{name} must be numeric", field=name) from None
    if arr.ndim not in ndims:
        want = " or ".join(f"{d}-D" for d in ndims)
        raise ValidationError(f"{name} must be {want}, got shape {arr.shape}", field=name)
    bad = ~np.isfinite(arr)
    if bad.any():
        first = np.unravel_index(int(np.argmax(bad)), arr.shape)
        where = f"position {first[0]}" if arr.ndim == 1 else f"row {first[0]}, column {first[1]}"
        raise DataError(
            f"{name} has {int(bad.sum())} NaN/inf value(s) (first at {where}); "
            "drop or fill them before computing indicators",
            field=name,
        )
    return arr


def _period(value: object, minimum: int = 2, name: str = "period") -> int:
    if isinstance(value, Real) and not isinstance(value, bool) and math.isfinite(value):
        number = float(value)
        if number == int(number) and number >= minimum:
            return int(number)
    raise ValidationError(f"{name} must be an integer >= {minimum}, got {value}", field=name)


def _macd_periods(fast: object, slow: object, signal: object) -> tuple[int, int, int]:
    f, s, g = _period(fast, 2, "fast"), _period(slow, 2, "slow"), _period(signal, 1, "signal")
    if f >= s:  # TA-Lib silently swaps them; a swapped call is a mistake worth naming
        raise ValidationError(f"fast ({f}) must be shorter than slow ({s})", field="fast")
    return f, s, g


def _like(template: ValuesOrFrame, out: F64, name: str) -> ValuesOrFrame:
    if isinstance(template, pd.DataFrame):
        return pd.DataFrame(out, index=template.index, columns=template.columns)
    if isinstance(template, pd.Series):
        return pd.Series(out, index=template.index, name=name)
    return out


# ---------------------------------------------------------------------------------------------
# Indicators
# ---------------------------------------------------------------------------------------------


def sma(close: ValuesOrFrame, period: int = 20) -> ValuesOrFrame:
    """Simple moving average; a 2-D panel (bars x columns) is averaged per column."""
    p = _period(period)
    arr = _arr(close, "close", (1, 2))
    out = sma_nb(arr, p) if arr.ndim == 2 else sma_nb(arr[:, None], p)[:, 0]
    return _like(close, out, f"sma_{p}")


def sma_windows(close: npt.ArrayLike, periods: Sequence[int], out: F64 | None = None) -> F64:
    """``sma`` of a 1-D series for each of several periods, as rows (periods x bars) of one
    array: row i equals sma(close, periods[i]) bit for bit, in one pass over the bars.
    `out`: a C-ordered float64 array of that shape to fill (by default a new one)."""
    p = np.array([_period(period) for period in periods], dtype=np.int64)
    x = _arr(close, "close")
    shape = (p.shape[0], x.shape[0])
    if out is None:
        out = np.empty(shape)
    elif out.shape != shape or out.dtype != np.float64 or not out.flags.c_contiguous:
        raise ValueError(f"out must be a C-ordered float64 array of shape {shape}")
    return sma_windows_nb(x, p, out)


def ema(close: Values, period: int = 20) -> Values:
    """Exponential moving average (alpha 2/(period+1)), seeded with the SMA of the first values."""
    p = _period(period)
    return _like(close, ema_nb(_arr(close, "close"), p, 0), f"ema_{p}")


def rsi(close: Values, period: int = 14) -> Values:
    """Relative strength index (Wilder), 0..100; 0 where nothing moved in the window."""
    p = _period(period)
    return _like(close, rsi_nb(_arr(close, "close"), p), f"rsi_{p}")


def atr(high: Values, low: Values, close: Values, period: int = 14) -> Values:
    """Average true range (Wilder)."""
    p = _period(period, 1)
    h, lo, c = _arr(high, "high"), _arr(low, "low"), _arr(close, "close")
    if not h.size == lo.size == c.size:
        raise ValidationError("high, low and close must have the same length", field="high")
    return _like(close, atr_nb(h, lo, c, p), f"atr_{p}")


def bbands(close: Values, period: int = 20, nbdev: float = 2.0) -> tuple[Values, Values, Values]:
    """Bollinger bands (upper, middle, lower): SMA ± ``nbdev`` population standard deviations."""
    p = _period(period)
    if not (isinstance(nbdev, Real) and math.isfinite(nbdev) and nbdev >= 0):
        raise ValidationError(f"nbdev must be a number >= 0, got {nbdev}", field="nbdev")
    arr = _arr(close, "close")
    middle = sma_nb(arr[:, None], p)[:, 0]
    width = float(nbdev) * rolling_std_nb(arr, middle, p)
    return (
        _like(close, middle + width, f"bb_upper_{p}"),
        _like(close, middle, f"bb_middle_{p}"),
        _like(close, middle - width, f"bb_lower_{p}"),
    )


def macd(
    close: Values, fast: int = 12, slow: int = 26, signal: int = 9
) -> tuple[Values, Values, Values]:
    """MACD line (fast EMA - slow EMA), its signal line (an EMA of it) and the histogram."""
    f, s, g = _macd_periods(fast, slow, signal)
    arr = _arr(close, "close")
    # As TA-Lib aligns them: both EMAs start at bar slow - 1, the slow one seeded with the mean
    # of bars 0..slow-1 and the fast one with the mean of its `fast` bars ending there (not
    # from bar 0). The signal EMA starts on the line's first value.
    line = ema_nb(arr, f, s - f) - ema_nb(arr, s, 0)
    sig = ema_nb(line, g, s - 1)
    line[: s + g - 2] = np.nan  # every output starts where the signal does
    return (
        _like(close, line, "macd"),
        _like(close, sig, "macd_signal"),
        _like(close, line - sig, "macd_hist"),
    )


_LOOKBACKS: dict[str, Callable[..., int]] = {
    "sma": lambda period=20: _period(period) - 1,
    "ema": lambda period=20: _period(period) - 1,
    "rsi": lambda period=14: _period(period),
    "atr": lambda period=14: _period(period, 1),
    "bbands": lambda period=20, nbdev=2.0: _period(period) - 1,
    "macd": lambda fast=12, slow=26, signal=9: sum(_macd_periods(fast, slow, signal)[1:]) - 2,
}


def lookback(name: str, **params: float) -> int:
    """How many leading NaN values indicator ``name`` gives for ``params`` (its keyword args)."""
    fn = _LOOKBACKS.get(name.lower())
    if fn is None:
        known = ", ".join(_LOOKBACKS)
        raise ValidationError(f"unknown indicator {name!r}; indicators: {known}", field="name")
    allowed = inspect.signature(fn).parameters
    for key in params:
        if key not in allowed:
            raise ValidationError(
                f"{name} has no parameter {key!r}; its parameters: {', '.join(allowed)}",
                field=key,
            )
    return fn(**params)
