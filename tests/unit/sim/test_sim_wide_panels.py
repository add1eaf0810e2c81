"""Wide panels (the kernel reads listed target changes from 16 columns on) match the reference."""

from __future__ import annotations

import numpy as np
import pytest

from tests.unit.sim.conftest import assert_same, panel, run_both, targets_for
from tests.unit.sim.sim_reference import Params

OPTIONS = [
    Params(),
    Params(cash="per_asset", rate=0.001, bps=5.0),
    Params(fill="close", delay=1, whole_shares=True, min_fee=1.0, per_share=0.005),
    Params(stop_loss=0.02, take_profit=0.03, close_at_end=True, spread_bps=10.0),
    Params(max_leverage=2.0, allow_short=False, range_frac=0.1),
    # leveraged: accounts ruined on the way (per asset: one by one)
    Params(cash="per_asset", max_leverage=5.0, initial_cash=1_000.0),
    Params(max_leverage=5.0, rate=0.001),
]


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("params", OPTIONS, ids=lambda p: f"{p.cash}-{p.fill}-{p.max_leverage}")
def test_wide_panel_matches_reference(seed: int, params: Params) -> None:
    rng = np.random.default_rng(seed)
    n_bars, n_cols = 30, 20
    close = 20.0 * np.exp(np.cumsum(rng.normal(0.0, 0.08, (n_bars, n_cols)), axis=0))
    open_ = close * np.exp(rng.normal(0.0, 0.02, close.shape))
    high = np.fmax(open_, close) * 1.02
    low = np.fmin(open_, close) * 0.98
    menu = np.array([np.nan, np.nan, np.nan, 0.0, 0.05, 0.1, -0.1, -0.05, 0.08])
    scale = (5.0 if params.max_leverage == 5.0 else 1.0) * (
        10.0 if params.cash == "per_asset" else 1.0
    )
    targets = menu[rng.integers(0, len(menu), close.shape)] * scale
    frame = panel(open_, close, high, low)
    result, ref = run_both(frame, targets_for(frame, targets), params)
    assert len(result.order_records) > n_cols
    assert_same(result, ref, params.initial_cash)
