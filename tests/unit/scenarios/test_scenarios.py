"""Stress scenarios: valid bars by construction, real returns reused, deterministic by seed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from arch.data import nasdaq, sp500
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.scenarios import block_bootstrap_panel, fit_garch, garch_panel


def _panel() -> dict[str, pd.DataFrame]:
    a, b = sp500.load().iloc[-800:], nasdaq.load().iloc[-800:]
    out = {}
    for field in ("Open", "High", "Low", "Close", "Volume"):
        frame = pd.DataFrame({"SP500": a[field], "NASDAQ": b[field]}).astype(float)
        frame.index = frame.index.tz_localize("UTC")
        out[field.lower()] = frame
    return out


PANEL = _panel()
FIT = fit_garch(PANEL)


def _assert_valid(prices: dict[str, pd.DataFrame]) -> None:
    o, h, low, c = (prices[k].to_numpy() for k in ("open", "high", "low", "close"))
    assert np.isfinite(np.stack([o, h, low, c])).all() and (low > 0).all()
    assert (h >= np.maximum(o, c) * (1 - 1e-12)).all()
    assert (low <= np.minimum(o, c) * (1 + 1e-12)).all()
    assert prices["close"].index.equals(PANEL["close"].index)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), block=st.integers(1, 60))
def test_bootstrap_bars_are_valid_and_made_of_real_blocks(seed: int, block: int) -> None:
    rng = np.random.default_rng(seed)
    path = block_bootstrap_panel(PANEL, rng, block)
    _assert_valid(path)
    real = np.log(PANEL["close"] / PANEL["close"].shift()).to_numpy()[1:]
    new = np.log(path["close"] / path["close"].shift()).to_numpy()[1:]
    # every synthetic return row is a real row (both symbols together: correlation kept)
    distance = np.abs(new[:, None, :] - real[None, :, :]).max(axis=2).min(axis=1)
    assert distance.max() < 1e-9


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_garch_bars_are_valid(seed: int) -> None:
    _assert_valid(garch_panel(PANEL, FIT, np.random.default_rng(seed)))


def test_same_seed_same_path_other_seed_other_path() -> None:
    one = block_bootstrap_panel(PANEL, np.random.default_rng([7, 1]), 20)
    two = block_bootstrap_panel(PANEL, np.random.default_rng([7, 1]), 20)
    three = block_bootstrap_panel(PANEL, np.random.default_rng([7, 2]), 20)
    pd.testing.assert_frame_equal(one["close"], two["close"])
    assert not one["close"].equals(three["close"])


def test_garch_fit_is_a_stationary_model_and_paths_keep_the_volatility_scale() -> None:
    assert ((FIT.alpha >= 0) & (FIT.beta >= 0) & (FIT.alpha + FIT.beta < 1)).all()
    real_vol = np.log(PANEL["close"]).diff().std().to_numpy()
    vols = np.array([
        np.log(garch_panel(PANEL, FIT, np.random.default_rng(s))["close"]).diff().std().to_numpy()
        for s in range(30)
    ])  # fmt: skip
    # the average simulated daily volatility is of the real one's size (within a factor of 1.5)
    ratio = vols.mean(axis=0) / real_vol
    assert ((ratio > 1 / 1.5) & (ratio < 1.5)).all(), ratio


def test_inputs_are_not_mutated() -> None:
    before = {k: v.copy() for k, v in PANEL.items()}
    block_bootstrap_panel(PANEL, np.random.default_rng(0), 5)
    garch_panel(PANEL, FIT, np.random.default_rng(0))
    for key, frame in before.items():
        pd.testing.assert_frame_equal(PANEL[key], frame)


def test_too_short_history_is_refused() -> None:
    short = {k: v.iloc[:2] for k, v in PANEL.items()}
    with pytest.raises(Exception, match="at least 3 bars"):
        block_bootstrap_panel(short, np.random.default_rng(0))
