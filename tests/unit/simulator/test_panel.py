"""A run's panel on real builtin bars: shared timestamps, and history loaded only for warm-up."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from shared.config import Settings
from shared.data import market_data_from
from shared.schemas.simulations import MarketSelection
from simulator.panel import load_panel


@pytest.fixture(scope="module")
def market(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    var: Path = tmp_path_factory.mktemp("var")
    return market_data_from(Settings(var_dir=var, redis_url="redis://127.0.0.1:1/0"))


def test_history_reaches_back_for_features_but_the_run_starts_at_start(market) -> None:  # type: ignore[no-untyped-def]
    sel = MarketSelection(
        symbols=["SP500", "NASDAQ"], start=date(2016, 1, 1), end=date(2016, 6, 30)
    )
    plain = load_panel(market, sel)
    warm = load_panel(market, sel, history=60)
    pd.testing.assert_frame_equal(plain.close, warm.close)  # the run itself is unchanged
    assert plain.close.index[0] == pd.Timestamp("2016-01-04", tz="UTC")
    assert warm.bars is not None
    for frame in warm.bars.values():
        before = frame.loc[: pd.Timestamp("2015-12-31", tz="UTC")]
        assert len(before) >= 60  # at least the bars asked for, before the start
        assert frame.index[-1] == plain.close.index[-1]
