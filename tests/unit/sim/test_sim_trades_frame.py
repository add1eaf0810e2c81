"""The trades table built from typed blocks equals the one pandas builds column by column."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from shared.sim import records as rc
from shared.sim import simulate
from tests.unit.sim.conftest import panel, targets_for


@pytest.mark.parametrize("tz", [None, "America/New_York"])
@pytest.mark.parametrize("seed", range(6))
def test_trades_frame_matches_the_general_build(seed: int, tz: str | None) -> None:
    rng = np.random.default_rng(seed)
    n, m = 40, 3
    opens = 50 * np.exp(np.cumsum(rng.normal(0, 0.03, (n, m)), axis=0))
    opens[5:9, 1] = np.nan  # a halt
    closes = opens * np.exp(rng.normal(0, 0.01, (n, m)))
    prices = panel(opens, closes=closes, symbols=["A", "B", "C"])
    if tz is not None:
        prices = {k: v.tz_localize(tz) for k, v in prices.items()}
    wanted = rng.choice([-0.3, 0.0, 0.3, 0.5], (n, m))
    targets = np.where(rng.random((n, m)) < 0.2, wanted, np.nan)
    targets[3:9, 1] = np.nan
    targets[n - 3 :, 0] = [0.45, np.nan, np.nan]  # a trade still open at the end
    result = simulate(prices, targets_for(prices, targets), commission=0.001, stop_loss=0.2)
    fast = result.trades
    assert len(fast) > 3 and fast["is_open"].any()
    general = rc._trades_frame_general(result.trade_records, result.index, result.symbols)
    pd.testing.assert_frame_equal(fast, general, check_exact=True)


def test_trades_frame_without_timestamps_or_string_symbols() -> None:
    prices = panel([10.0, 11.0, 12.0, 13.0], symbols=[7])
    prices = {k: v.reset_index(drop=True) for k, v in prices.items()}
    result = simulate(prices, targets_for(prices, [1.0, np.nan, 0.0, np.nan]))
    trades = result.trades
    assert trades["symbol"].tolist() == [7]
    assert (trades["entry_time"].tolist(), trades["exit_time"].tolist()) == ([1], [3])
