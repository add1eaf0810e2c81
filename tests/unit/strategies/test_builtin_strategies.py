"""Built-in strategies: hand-checked signals, Wilder's RSI from first principles, no look-ahead."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from arch.data import sp500

from shared.errors import ValidationError
from shared.strategies import build_targets
from shared.strategies.builtin import get_strategy, rsi_signals


def _close(values: list[float], symbols: tuple[str, ...] = ("A",)) -> pd.DataFrame:
    index = pd.date_range("2024-01-01", periods=len(values), freq="B", tz="UTC")
    return pd.DataFrame({s: values for s in symbols}, index=index, dtype=float)


def test_buy_and_hold_decides_once_and_splits_equally() -> None:
    targets = build_targets("buy_and_hold", _close([1, 2, 3], ("A", "B")), position_size=0.8)
    assert targets.iloc[0].tolist() == [0.4, 0.4]
    assert targets.iloc[1:].isna().all().all()  # NaN = keep: one trade per symbol


def test_sma_crossover_by_hand() -> None:
    closes = [10, 10, 10, 13, 16, 10, 4]
    # fast=2, slow=3 averages at each bar (None until enough closes):
    #   fast: -, 10, 10, 11.5, 14.5, 13, 7      slow: -, -, 10, 11, 13, 13, 10
    #   fast > slow: -, -, no, yes, yes, no(equal), no  -> long on bars 3 and 4 only
    targets = build_targets("sma_crossover", _close(closes), {"fast": 2, "slow": 3})
    assert targets["A"].tolist() == [0, 0, 0, 1, 1, 0, 0]
    shorted = build_targets(
        "sma_crossover", _close(closes), {"fast": 2, "slow": 3}, allow_short=True
    )
    assert shorted["A"].tolist() == [0, 0, 0, 1, 1, 0, -1]


def test_an_exact_tie_of_the_averages_is_no_signal() -> None:
    # bar 3: fast (10.2 + 19.6) / 2 = 14.9 and slow (14.9 + 10.2 + 19.6) / 3 = 14.9, a tie.
    # pandas' rolling mean gave 14.900000000000002 for the fast one, a long (or short) on noise.
    closes = [6.3, 14.9, 10.2, 19.6]
    for short in (False, True):
        targets = build_targets(
            "sma_crossover", _close(closes), {"fast": 2, "slow": 3}, allow_short=short
        )
        assert targets["A"].tolist() == [0, 0, 1, 0]


def _wilder_rsi(closes: list[float], period: int) -> list[float]:
    """RSI as Wilder defined it: simple mean of the first gains/losses, then his smoothing."""
    out = [math.nan] * len(closes)
    changes = [b - a for a, b in itertools.pairwise(closes)]
    gain = sum(max(c, 0) for c in changes[:period]) / period
    loss = sum(max(-c, 0) for c in changes[:period]) / period
    for t in range(period, len(closes)):
        if t > period:
            c = changes[t - 1]
            gain = (gain * (period - 1) + max(c, 0)) / period
            loss = (loss * (period - 1) + max(-c, 0)) / period
        out[t] = 100.0 if loss == 0 else 100 - 100 / (1 + gain / loss)
    return out


def test_rsi_mean_reversion_follows_wilders_rsi() -> None:
    rng = np.random.default_rng(3)
    closes = list(100 * np.exp(np.cumsum(rng.normal(0, 0.02, 400))))
    rsi = _wilder_rsi(closes, 14)
    expected, state = [], 0.0
    for value in rsi:  # the documented rule, restated: enter < 30, leave at >= 50
        if not math.isnan(value):
            if state == 0.0 and value < 30:
                state = 1.0
            elif state == 1.0 and value >= 50:
                state = 0.0
        expected.append(state)
    got = rsi_signals(np.array(closes)[:, None], 14, 30, 70, 50, False)[:, 0]
    assert got.tolist() == expected
    assert 0 < sum(expected) < len(expected)  # the case exercises both states


@pytest.mark.parametrize("name", ["buy_and_hold", "sma_crossover", "rsi_mean_reversion"])
def test_no_look_ahead(name: str) -> None:
    close = sp500.load()[["Close"]].rename(columns={"Close": "SP500"}).iloc[:1500]
    full = build_targets(name, close)
    for k in (60, 333, 1000):
        partial = build_targets(name, close.iloc[:k])
        pd.testing.assert_frame_equal(partial, full.iloc[:k])


@pytest.mark.parametrize(
    ("name", "params", "field"),
    [
        ("nope", {}, "strategy"),
        ("sma_crossover", {"fast": 50, "slow": 20}, "params.fast"),
        ("sma_crossover", {"fast": 2.5}, "params.fast"),
        ("sma_crossover", {"window": 3}, "params.window"),
        ("rsi_mean_reversion", {"lower": 60, "exit": 50}, "params.exit"),
        ("rsi_mean_reversion", {"period": 1}, "params.period"),
    ],
)
def test_bad_parameters_name_the_field(name: str, params: dict, field: str) -> None:
    with pytest.raises(ValidationError) as err:
        build_targets(name, _close([1.0] * 10), params)
    assert err.value.field == field


def test_integer_parameters_resolve_to_ints() -> None:
    resolved = get_strategy("sma_crossover").resolve({"fast": 20.0})
    assert resolved == {"fast": 20, "slow": 50}
    assert all(type(v) is int for v in resolved.values())
    rsi = get_strategy("rsi_mean_reversion").resolve({"lower": 25})
    assert rsi == {"period": 14, "lower": 25.0, "upper": 70.0, "exit": 50.0}
    assert type(rsi["period"]) is int
    assert all(type(rsi[k]) is float for k in ("lower", "upper", "exit"))


def test_inputs_are_not_mutated() -> None:
    close = _close([float(v) for v in range(1, 80)], ("A", "B"))
    before = close.copy()
    build_targets("rsi_mean_reversion", close)
    build_targets("sma_crossover", close)
    pd.testing.assert_frame_equal(close, before)
