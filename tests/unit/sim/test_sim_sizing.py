"""Builders: signals to targets, fixed fraction and cash, equal weight, vol target, caps."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from shared.errors import ValidationError
from shared.sim import (
    cap_weights,
    equal_weight,
    fixed_cash,
    fixed_fraction,
    signals_to_targets,
    simulate,
    vol_target,
)
from tests.unit.sim.conftest import panel

N = np.nan
INDEX = pd.date_range("2021-01-01", periods=6, freq="B")


def frame(*columns: list) -> pd.DataFrame:
    return pd.DataFrame(
        {f"S{i}": col for i, col in enumerate(columns)}, index=INDEX[: len(columns[0])]
    )


def test_signals_to_targets_state_machine() -> None:
    entries = frame([True, True, False, False, True, False])
    exits = frame([False, False, True, False, True, False])
    short_in = frame([False, False, False, True, False, False])
    short_out = frame([False, False, False, False, False, True])
    out = signals_to_targets(entries, exits, short_entries=short_in, short_exits=short_out)
    # long; repeat ignored; exit; short; long entry + exit on one bar cancel; short exit
    assert out["S0"].tolist() == pytest.approx([1.0, N, 0.0, -1.0, N, 0.0], nan_ok=True)


def test_exit_only_closes_its_own_side() -> None:
    out = signals_to_targets(
        frame([False, False, False]),
        frame([False, True, False]),
        short_entries=frame([True, False, False]),
        weight=0.5,
    )
    assert out["S0"].tolist() == pytest.approx([-0.5, N, N], nan_ok=True)


def test_signals_with_other_labels_are_refused() -> None:
    with pytest.raises(ValidationError, match="same index"):
        signals_to_targets(frame([True, False]), frame([True, False, False]))


def test_fixed_fraction_and_cash() -> None:
    directions = frame([1.0, N, 0.0])
    assert fixed_fraction(directions, 0.25)["S0"].tolist() == pytest.approx(
        [0.25, N, 0.0], nan_ok=True
    )
    cash = fixed_cash(directions, 500.0)
    assert cash.attrs["size_type"] == "value"
    prices = panel([10.0, 10.0, 10.0])
    result = simulate(prices, cash.set_axis(prices["close"].index))
    assert result.fills["filled"].tolist() == [50.0]  # 500 of cash at 10


def test_equal_weight_splits_across_active() -> None:
    directions = frame([1.0, N, N, 0.0], [N, 1.0, N, N], [N, N, -1.0, N])
    out = equal_weight(directions)
    expected = [[1.0, 0.0, 0.0], [0.5, 0.5, 0.0], [1 / 3, 1 / 3, -1 / 3], [0.0, 0.5, -0.5]]
    np.testing.assert_allclose(out.to_numpy(), expected, rtol=1e-15)


def test_vol_target_by_hand() -> None:
    close = pd.DataFrame({"S0": [100.0, 101.0, 99.0, 102.0, 102.0, 103.0]}, index=INDEX)
    directions = frame([1.0, N, N, N, 0.0, 1.0])
    out = vol_target(directions, close, target_vol=0.2, lookback=2, max_weight=3.0)
    r = np.diff(np.log(close["S0"].to_numpy()))
    vol_at = {t: np.std(r[t - 2 : t], ddof=1) * math.sqrt(252) for t in (2, 3, 4, 5)}
    # bar 0 has no history yet: weight 0; then held (NaN) until the exit and re-entry
    assert out["S0"].tolist()[:5] == pytest.approx([0.0, N, N, N, 0.0], nan_ok=True)
    assert out["S0"].iloc[5] == pytest.approx(min(0.2 / vol_at[5], 3.0))
    moving = vol_target(directions, close, target_vol=0.2, lookback=2, hold=False)
    assert moving["S0"].iloc[3] == pytest.approx(min(0.2 / vol_at[3], 1.0))


def test_vol_target_is_causal() -> None:
    rng = np.random.default_rng(3)
    close = pd.DataFrame({"S0": 100 * np.exp(np.cumsum(rng.normal(0, 0.01, 60)))})
    directions = pd.DataFrame({"S0": np.where(rng.random(60) < 0.2, 1.0, N)})
    full = vol_target(directions, close, hold=False)
    head = vol_target(directions.iloc[:40], close.iloc[:40], hold=False)
    pd.testing.assert_frame_equal(full.iloc[:40], head)


def test_cap_weights_keeps_nan() -> None:
    out = cap_weights(frame([2.0, N, -0.3, -5.0]), 0.5)
    assert out["S0"].tolist() == pytest.approx([0.5, N, -0.3, -0.5], nan_ok=True)
