"""The one-pass sweep kernel equals simulate() on the same SMA-crossover targets."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from shared.errors import ValidationError
from shared.sim import Commission, Slippage, simulate, sma_cross_sweep, sma_cross_targets


@pytest.fixture(scope="module")
def ohlc() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    close = 100.0 * np.exp(np.cumsum(rng.normal(0.0003, 0.012, 600)))
    open_ = close * np.exp(rng.normal(0.0, 0.004, 600))
    index = pd.date_range("2015-01-01", periods=600, freq="B")
    return pd.DataFrame(
        {
            "open": open_,
            "high": np.fmax(open_, close) * 1.004,
            "low": np.fmin(open_, close) * 0.996,
            "close": close,
        },
        index=index,
    )


OPTIONS = [
    {},
    {"commission": 0.001, "slippage": Slippage(bps=5.0)},
    {"commission": Commission(per_share=0.01, min_fee=1.0, fixed=0.5), "whole_shares": True},
    {"allow_short": True, "max_leverage": 2.0, "slippage": Slippage(spread_bps=8.0)},
    {"fill": "close", "delay": 2, "weight": 0.8, "initial_cash": 5_000.0, "whole_shares": True},
]


@pytest.mark.parametrize("options", OPTIONS)
def test_sweep_equals_simulate(ohlc: pd.DataFrame, options: dict) -> None:
    sweep = sma_cross_sweep(ohlc, [3, 8, 20], [10, 30, 90], **options)
    assert len(sweep) == 8  # pairs with fast < slow
    kwargs = {k: v for k, v in options.items() if k not in ("allow_short", "weight")}
    for (fast, slow), row in sweep.iterrows():
        targets = sma_cross_targets(
            ohlc["close"],
            fast,
            slow,
            weight=options.get("weight", 1.0),
            short=options.get("allow_short", False),
        )
        summary = simulate(ohlc, targets.rename("X"), **kwargs).summary
        assert row["portfolio_end"] == pytest.approx(summary["portfolio_end"], rel=1e-12)
        assert row["total_return_pct"] == pytest.approx(summary["total_return_pct"], rel=1e-9)
        assert row["max_drawdown_pct"] == pytest.approx(summary["max_drawdown_pct"], rel=1e-9)
        assert row["sharpe"] == pytest.approx(summary["sharpe"], rel=1e-9)
        assert row["total_trades"] == summary["total_trades"]


def test_sweep_refuses_models_it_does_not_run(ohlc: pd.DataFrame) -> None:
    with pytest.raises(ValidationError, match="bps and spread only"):
        sma_cross_sweep(ohlc, [3], [10], slippage=Slippage(impact=0.1))
    with pytest.raises(ValidationError, match="fast < slow"):
        sma_cross_sweep(ohlc, [10], [5])
