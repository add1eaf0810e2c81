"""Our indicators against TA-Lib (the oracle), plus the properties TA-Lib cannot check for us.

Tolerance: TOL = 1e-9 relative (MACD: 1e-9 of the price level, since its values cross zero).
Achieved on these data: SMA, EMA, RSI, ATR within 5e-15 relative, MACD within 4e-16 of the price
level, Bollinger bands within 4e-13. The bands' gap is TA-Lib's rounding (its E[x^2] - E[x]^2
variance); ours stay within 3e-16 of a long-double two-pass reference.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest
import talib
from arch.data import sp500
from hypothesis import given, settings
from hypothesis import strategies as st
from talib import abstract

from shared.errors import DataError, ValidationError
from shared.features import indicators as ind

TOL = 1e-9
F64 = np.ndarray


@dataclass(frozen=True)
class Bars:
    high: F64
    low: F64
    close: F64


def _walk(seed: int, n: int, vol: float, level: float) -> Bars:
    rng = np.random.default_rng(seed)
    close = level * np.exp(np.cumsum(rng.normal(0, vol, n)))
    return Bars(close * (1 + rng.uniform(0, vol, n)), close * (1 - rng.uniform(0, vol, n)), close)


def _sp500() -> Bars:
    frame = sp500.load().iloc[:2500]
    return Bars(*(frame[c].to_numpy(dtype=np.float64) for c in ("High", "Low", "Close")))


DATA = {
    "walk": _walk(7, 600, 0.01, 100.0),
    "wild": _walk(11, 600, 0.05, 3.0),
    "penny": _walk(5, 600, 0.002, 0.0125),
    "sp500": _sp500(),
}
TALIB_NAMES = {"sma": "SMA", "ema": "EMA", "rsi": "RSI", "atr": "ATR", "bbands": "BBANDS"}


def _ours(name: str, d: Bars, **params: int) -> tuple[F64, ...]:
    if name == "atr":
        return (ind.atr(d.high, d.low, d.close, **params),)
    out = getattr(ind, name)(d.close, **params)
    return out if isinstance(out, tuple) else (out,)


def _talib(name: str, d: Bars, **params: int) -> tuple[F64, ...]:
    if name == "atr":
        return (talib.ATR(d.high, d.low, d.close, timeperiod=params["period"]),)
    if name == "bbands":
        return talib.BBANDS(d.close, params["period"], 2.0, 2.0, talib.MA_Type.SMA)
    if name == "macd":
        return talib.MACD(d.close, params["fast"], params["slow"], params["signal"])
    return (getattr(talib, TALIB_NAMES[name])(d.close, params["period"]),)


def _talib_lookback(name: str, **params: int) -> int:
    fn = abstract.Function("MACD" if name == "macd" else TALIB_NAMES[name])  # type: ignore[attr-defined]
    if name == "macd":
        fn.set_parameters(
            fastperiod=params["fast"], slowperiod=params["slow"], signalperiod=params["signal"]
        )
    else:
        fn.set_parameters(timeperiod=params["period"])
    return int(fn.lookback)


def _close_enough(ours: tuple[F64, ...], theirs: tuple[F64, ...], scale: float) -> None:
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_array_equal(np.isnan(a), np.isnan(b))
        np.testing.assert_allclose(a, b, rtol=TOL, atol=scale, equal_nan=True)


PERIODS = [
    ("sma", {"period": 2}), ("sma", {"period": 20}), ("sma", {"period": 200}),
    ("ema", {"period": 2}), ("ema", {"period": 12}), ("ema", {"period": 150}),
    ("rsi", {"period": 2}), ("rsi", {"period": 14}), ("rsi", {"period": 100}),
    ("atr", {"period": 1}), ("atr", {"period": 14}), ("atr", {"period": 60}),
    ("bbands", {"period": 2}), ("bbands", {"period": 20}), ("bbands", {"period": 90}),
    ("macd", {"fast": 12, "slow": 26, "signal": 9}), ("macd", {"fast": 2, "slow": 3, "signal": 1}),
    ("macd", {"fast": 5, "slow": 35, "signal": 20}),
]  # fmt: skip


@pytest.mark.parametrize("data", DATA)
@pytest.mark.parametrize(("name", "params"), PERIODS)
def test_values_match_talib(name: str, params: dict[str, int], data: str) -> None:
    d = DATA[data]
    scale = TOL * float(np.mean(d.close)) if name == "macd" else 0.0
    _close_enough(_ours(name, d, **params), _talib(name, d, **params), scale)


@pytest.mark.parametrize(("name", "params"), PERIODS)
@pytest.mark.parametrize("delta", [-1, 0, 1, 2])
def test_short_series_around_the_lookback_match_talib(
    name: str, params: dict[str, int], delta: int
) -> None:
    """Lengths lookback-1 .. lookback+2: nothing, then the first values (period == len for SMA)."""
    n = max(0, ind.lookback(name, **params) + delta)
    full = DATA["walk"]
    d = Bars(full.high[:n], full.low[:n], full.close[:n])
    ours = _ours(name, d, **params)
    _close_enough(ours, _talib(name, d, **params), TOL * 100 if name == "macd" else 0.0)
    assert all(np.isnan(o).all() == (delta < 1) for o in ours)


@pytest.mark.parametrize(("name", "params"), [*PERIODS, ("sma", {}), ("macd", {}), ("atr", {})])
def test_lookback_is_the_nan_count_and_talibs(name: str, params: dict[str, int]) -> None:
    n = ind.lookback(name, **params)
    for out in _ours(name, DATA["sp500"], **params):
        assert np.isnan(out[:n]).all() and np.isfinite(out[n:]).all()
    defaults = {"period": 20 if name in ("sma", "bbands") else 14}
    if name == "macd":
        defaults = {"fast": 12, "slow": 26, "signal": 9}
    assert n == _talib_lookback(name, **(params or defaults))


def test_sma_of_a_panel_is_the_sma_of_each_column() -> None:
    panel = np.column_stack([DATA[k].close[:500] for k in DATA])
    for period in (2, 30, 500, 501):
        got = ind.sma(panel, period)
        assert got.shape == panel.shape
        for j in range(panel.shape[1]):
            _close_enough((got[:, j],), (talib.SMA(panel[:, j], period),), 0.0)
    frame = pd.DataFrame(panel[:, :2], columns=["A", "B"])
    out = ind.sma(frame, 3)
    assert isinstance(out, pd.DataFrame) and list(out.columns) == ["A", "B"]
    np.testing.assert_array_equal(out.to_numpy(), ind.sma(panel[:, :2], 3))


def test_sma_does_not_drift_over_long_series() -> None:
    """200k bars far from zero: every window's mean within a few ulps of its exact mean."""
    rng = np.random.default_rng(42)
    close = 1e4 + np.cumsum(rng.normal(0, 1.0, 200_000))
    window = 50
    exact = np.lib.stride_tricks.sliding_window_view(close, window).sum(axis=1) / window
    got = ind.sma(close, window)[window - 1 :]
    assert np.max(np.abs(got - exact) / exact) < 1e-14


@pytest.mark.parametrize("level", [0.1, 1 / 3, 100.0, 12345.678, -7.7])
def test_constant_series_give_exact_values(level: float) -> None:
    close = np.full(80, level)
    for period in (2, 7, 30):
        assert (ind.sma(close, period)[period - 1 :] == level).all()
        assert (ind.ema(close, period)[period - 1 :] == level).all()
        assert all((b[period - 1 :] == level).all() for b in ind.bbands(close, period))
        assert (ind.rsi(close, period)[period:] == 0.0).all()  # TA-Lib's value when flat
        assert (ind.atr(close, close, close, period)[period:] == 0.0).all()
        high, low = close + 0.3, close - 0.2
        true_range = high[0] - low[0]
        assert (ind.atr(high, low, close, period)[period:] == true_range).all()
    assert all((m[33:] == 0.0).all() for m in ind.macd(close))
    assert (ind.sma(np.column_stack([close, close * 3]), 5)[4:] == [level, level * 3]).all()


NAMES = ["sma", "sma_2d", "ema", "rsi", "atr", "bbands", "macd"]


def _all_outputs(name: str, x: F64, period: int) -> tuple[F64, ...]:
    """x holds close, high and low in its columns."""
    if name == "sma_2d":
        return (ind.sma(x, period),)
    if name == "atr":
        return (ind.atr(x[:, 1], x[:, 2], x[:, 0], period),)
    if name == "macd":
        return ind.macd(x[:, 0], period, period + 3, max(1, period - 1))
    out = getattr(ind, name)(x[:, 0], period)
    return out if isinstance(out, tuple) else (out,)


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_value_at_t_ignores_every_later_bar(name: str, data: st.DataObject) -> None:
    price = st.floats(0.01, 1e5, allow_nan=False, allow_infinity=False)
    n = data.draw(st.integers(1, 60))
    x = np.array(data.draw(st.lists(st.tuples(price, price, price), min_size=n, max_size=n)))
    period = data.draw(st.integers(2, 30))
    t = data.draw(st.integers(0, n - 1))
    later = data.draw(st.lists(st.tuples(price, price, price), min_size=n, max_size=n))
    changed = x.copy()
    changed[t + 1 :] = np.array(later)[t + 1 :]
    for a, b in zip(
        _all_outputs(name, x, period), _all_outputs(name, changed, period), strict=True
    ):
        np.testing.assert_array_equal(a[: t + 1], b[: t + 1])


def test_series_in_series_out_with_the_index_and_names() -> None:
    idx = pd.date_range("2021-01-01", periods=600, tz="UTC")
    d = DATA["walk"]
    close = pd.Series(d.close, index=idx)
    assert ind.sma(close, 5).name == "sma_5" and ind.sma(close, 5.0).name == "sma_5"
    assert ind.ema(close, 9).name == "ema_9" and ind.rsi(close).name == "rsi_14"
    assert ind.atr(pd.Series(d.high), pd.Series(d.low), close).name == "atr_14"
    names = [s.name for s in (*ind.bbands(close), *ind.macd(close))]
    assert names == [
        "bb_upper_20",
        "bb_middle_20",
        "bb_lower_20",
        "macd",
        "macd_signal",
        "macd_hist",
    ]
    for out in (
        ind.sma(close),
        ind.atr(d.high, d.low, close),
        *ind.bbands(close),
        *ind.macd(close),
    ):
        assert isinstance(out, pd.Series) and out.index.equals(idx)
    assert isinstance(ind.rsi(d.close), np.ndarray)


def test_bbands_use_the_population_std_and_macd_hist_is_line_minus_signal() -> None:
    close = DATA["walk"].close
    upper, middle, lower = ind.bbands(close, 20, 1.5)
    roll = pd.Series(close).rolling(20)
    np.testing.assert_allclose(middle, roll.mean(), rtol=1e-12)
    np.testing.assert_allclose(upper, roll.mean() + 1.5 * roll.std(ddof=0), rtol=1e-12)
    np.testing.assert_allclose(lower, roll.mean() - 1.5 * roll.std(ddof=0), rtol=1e-12)
    line, signal, hist = ind.macd(close)
    np.testing.assert_array_equal(hist, line - signal)


def test_inputs_are_not_mutated() -> None:
    d = DATA["walk"]
    before = [a.copy() for a in (d.high, d.low, d.close)]
    for name, params in PERIODS:
        _ours(name, d, **params)
    for a, b in zip(before, (d.high, d.low, d.close), strict=True):
        np.testing.assert_array_equal(a, b)


BAD: list[tuple[Callable[[], object], type[Exception], str]] = [
    (lambda: ind.sma(np.array([1.0, 2, 3, np.nan, 5]), 2), DataError,
     r"close has 1 NaN/inf value\(s\) \(first at position 3\); drop or fill them"),
    (lambda: ind.sma(np.array([[1.0, 2], [3, np.inf], [np.nan, 1]]), 2), DataError,
     r"close has 2 NaN/inf value\(s\) \(first at row 1, column 1\)"),
    (lambda: ind.atr([1.0, 2], [1.0, np.nan], [1.0, 2], 1), DataError, "low has 1 NaN/inf"),
    (lambda: ind.rsi(DATA["walk"].close, 1), ValidationError,
     "period must be an integer >= 2, got 1"),
    (lambda: ind.sma(DATA["walk"].close, 2.5), ValidationError, "period must be an integer"),
    (lambda: ind.ema(DATA["walk"].close, True), ValidationError, "period must be an integer"),
    (lambda: ind.atr([1.0], [1.0], [1.0], 0), ValidationError, "period must be an integer >= 1"),
    (lambda: ind.atr([1.0, 2], [1.0], [1.0, 2]), ValidationError, "same length"),
    (lambda: ind.macd(DATA["walk"].close, 26, 12), ValidationError,
     r"fast \(26\) must be shorter than slow \(12\)"),
    (lambda: ind.macd(DATA["walk"].close, signal=0), ValidationError,
     "signal must be an integer >= 1, got 0"),
    (lambda: ind.bbands(DATA["walk"].close, nbdev=-1), ValidationError, "nbdev must be"),
    (lambda: ind.rsi(np.ones((3, 2))), ValidationError, r"close must be 1-D, got shape \(3, 2\)"),
    (lambda: ind.sma(["a", "b"]), ValidationError, "close must be numeric"),
    (lambda: ind.lookback("vwap"), ValidationError, "unknown indicator 'vwap'; indicators: sma"),
    (lambda: ind.lookback("sma", timeperiod=3), ValidationError,
     "sma has no parameter 'timeperiod'; its parameters: period"),
]  # fmt: skip


@pytest.mark.parametrize(("call", "error", "message"), BAD)
def test_bad_inputs_are_refused_with_a_message(
    call: Callable[[], object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        call()
