"""No feature looks ahead: changing every bar after t (prices, volume, timestamps) changes no
feature value at rows <= t. Labels are the one look-ahead, and by exactly `horizon` bars."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.features import (
    TargetSpec,
    build_features,
    default_feature_spec,
    forward_return,
    make_target,
)
from tests.unit.features.feature_bars import ALL_KINDS, perturb_after, random_bars, seeds


@settings(max_examples=50, deadline=None)
@given(seed=seeds, n=st.integers(12, 80), data=st.data())
def test_every_feature_at_t_ignores_every_later_bar(seed: int, n: int, data: st.DataObject):
    bars = random_bars(seed, n)
    t = data.draw(st.integers(0, n - 2), label="t")
    changed = perturb_after(bars, t, seed + 1)
    assert not np.isclose(
        changed["close"].to_numpy()[t + 1 :], bars["close"].to_numpy()[t + 1 :]
    ).all()

    before = build_features(bars, ALL_KINDS).to_numpy()[: t + 1]
    after = build_features(changed, ALL_KINDS).to_numpy()[: t + 1]
    np.testing.assert_array_equal(after, before)  # bit for bit; NaN equals NaN


@settings(max_examples=25, deadline=None)
@given(seed=seeds, data=st.data())
def test_the_default_spec_at_t_ignores_every_later_bar(seed: int, data: st.DataObject):
    bars = random_bars(seed, 90, volume=False)
    t = data.draw(st.integers(40, 88), label="t")
    spec = default_feature_spec()
    before = build_features(bars, spec).to_numpy()[: t + 1]
    after = build_features(perturb_after(bars, t, seed + 1), spec).to_numpy()[: t + 1]
    assert np.isfinite(before[spec.warmup :]).all()
    np.testing.assert_array_equal(after, before)


@settings(max_examples=50, deadline=None)
@given(seed=seeds, horizon=st.integers(1, 6), data=st.data())
def test_a_label_reads_exactly_the_bar_horizon_ahead(seed: int, horizon: int, data: st.DataObject):
    close = random_bars(seed, 30)["close"]
    t = data.draw(st.integers(0, 29 - horizon), label="t")
    moved = close.copy()
    moved.iloc[t + horizon] *= 1.5

    fwd, fwd_moved = forward_return(close, horizon), forward_return(moved, horizon)
    differs = ~np.isclose(fwd.to_numpy(), fwd_moved.to_numpy(), equal_nan=True, rtol=0, atol=0)
    # Bar t + h is read by the label at t (as its future) and at t + h (as its present), only.
    expected = {t} | ({t + horizon} if t + 2 * horizon < 30 else set())
    assert set(np.flatnonzero(differs)) == expected
    assert fwd_moved.iloc[t] > fwd.iloc[t]

    target = TargetSpec("direction", horizon)
    down = close.copy()
    down.iloc[t + horizon] = close.iloc[t] * 0.9
    up = close.copy()
    up.iloc[t + horizon] = close.iloc[t] * 1.1
    assert make_target(down, target).iloc[t] == 0.0
    assert make_target(up, target).iloc[t] == 1.0
