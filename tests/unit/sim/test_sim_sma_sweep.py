"""The one-pass sweep kernel equals simulate() and its summary on the same SMA-crossover targets."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from shared.errors import ValidationError
from shared.sim import (
    Commission,
    RunSpec,
    Slippage,
    simulate,
    sma_cross_sweep,
    sma_cross_targets,
    sweep_fused,
)
from shared.stats import moments, sharpe_ratio


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
            allow_short=options.get("allow_short", False),
        )
        result = simulate(ohlc, targets.rename("X"), **kwargs)
        summary = result.summary
        assert row["portfolio_end"] == pytest.approx(summary["portfolio_end"], rel=1e-12)
        for name in ("sortino", "calmar"):
            assert row[name] == pytest.approx(summary[name], rel=1e-9), name
        returns = result.equity.pct_change().to_numpy()[1:]  # the sweep's overfitting stats
        skew, kurt = moments(returns)
        assert row["sr_period"] == pytest.approx(sharpe_ratio(returns), rel=1e-9)
        assert (row["skew"], row["kurtosis"]) == pytest.approx((skew, kurt), rel=1e-9)
        assert not row["ruined"]
        assert row["total_return_pct"] == pytest.approx(summary["total_return_pct"], rel=1e-9)
        assert row["max_drawdown_pct"] == pytest.approx(summary["max_drawdown_pct"], rel=1e-9)
        assert row["sharpe"] == pytest.approx(summary["sharpe"], rel=1e-9)
        assert row["total_trades"] == summary["total_trades"]


def test_sweep_refuses_models_it_does_not_run(ohlc: pd.DataFrame) -> None:
    with pytest.raises(ValidationError, match="bps and spread only"):
        sma_cross_sweep(ohlc, [3], [10], slippage=Slippage(impact=0.1))
    with pytest.raises(ValidationError, match="fast < slow"):
        sma_cross_sweep(ohlc, [10], [5])


UNSUPPORTED = [
    ({"stop_loss": 0.05}, "stop_loss"),
    ({"take_profit": 0.1}, "take_profit"),
    ({"volume_cap": 0.1}, "volume_cap"),
    ({"slippage": Slippage(bps=2.0, range_frac=0.1)}, "slippage.range_frac"),
    ({"slippage": Slippage(impact=0.1)}, "slippage.impact"),
    ({"rebalance": "always"}, "rebalance"),
    ({"rebalance": 0.05}, "rebalance"),
    ({"size_type": "value"}, "size_type"),
    ({"size_type": "shares"}, "size_type"),
    ({"close_at_end": True}, "close_at_end"),
]


@pytest.mark.parametrize(("options", "field"), UNSUPPORTED, ids=[str(c[0]) for c in UNSUPPORTED])
def test_sweep_refuses_each_option_it_cannot_run(
    ohlc: pd.DataFrame, options: dict, field: str
) -> None:
    for kwargs in (options, {"spec": RunSpec(**options)}):
        with pytest.raises(ValidationError) as caught:
            sma_cross_sweep(ohlc, [3], [10], **kwargs)
        assert caught.value.field == field
        assert "use simulate()" in caught.value.detail


def test_sweep_takes_simulate_options_by_name(ohlc: pd.DataFrame) -> None:
    with pytest.raises(ValidationError) as caught:
        sma_cross_sweep(ohlc, [3], [10], short=True)
    assert caught.value.field == "short"
    assert "did you mean 'allow_short'?" in caught.value.detail
    with pytest.raises(ValidationError) as bare:
        sma_cross_sweep(ohlc, [3], [10], slippage=5.0)
    assert bare.value.field == "slippage"
    assert "pass Slippage(bps=5.0) for 5.0 basis points (0.05%)" in bare.value.detail


def test_sweep_spec_and_keywords_agree(ohlc: pd.DataFrame) -> None:
    spec = RunSpec(commission=0.001, slippage=Slippage(bps=3.0), allow_short=False)
    by_spec = sma_cross_sweep(ohlc, [3, 8], [10, 30], spec=spec)
    by_keyword = sma_cross_sweep(ohlc, [3, 8], [10, 30], commission=0.001, slippage=spec.slippage)
    pd.testing.assert_frame_equal(by_spec, by_keyword)  # no spec: long/flat, as allow_short=False
    shorts = sma_cross_sweep(ohlc, [3, 8], [10, 30], spec=spec, allow_short=True)
    assert not shorts.equals(by_spec)


@pytest.mark.parametrize("short", [False, True])
def test_sweep_trades_what_the_builtin_strategy_decides(ohlc: pd.DataFrame, short: bool) -> None:
    """One SMA for the sweep and the strategies: the same pairs give the same decisions."""
    from shared.strategies import build_targets

    close = ohlc["close"]
    for fast, slow in ((3, 10), (8, 30), (20, 90)):
        swept = sma_cross_targets(close, fast, slow, allow_short=short)
        built = build_targets(
            "sma_crossover", close.to_frame("X"), {"fast": fast, "slow": slow}, allow_short=short
        )["X"]
        decided = swept.notna()  # the strategy states flat (0) before its slow average exists
        assert (built[~decided] == 0.0).all()
        np.testing.assert_array_equal(swept[decided].to_numpy(), built[decided].to_numpy())


def test_a_sweep_does_not_read_what_the_kept_table_held(ohlc: pd.DataFrame) -> None:
    """Each thread keeps its moving-average table between sweeps: whatever it holds (a larger
    sweep's values, or anything else) must not reach the next sweep's figures."""
    small = sma_cross_sweep(ohlc, [2, 5], [9, 40], commission=0.001)
    sma_cross_sweep(ohlc, range(2, 30), range(10, 200, 3), commission=0.001)
    assert sweep_fused._tables.flat.size >= 28 * 2 * 600  # kept: the larger sweep's
    pd.testing.assert_frame_equal(sma_cross_sweep(ohlc, [2, 5], [9, 40], commission=0.001), small)
    sweep_fused._tables.flat.fill(-1.0)
    pd.testing.assert_frame_equal(sma_cross_sweep(ohlc, [2, 5], [9, 40], commission=0.001), small)


def test_the_windows_table_rows_are_np_unique() -> None:
    rng = np.random.default_rng(3)
    for top in (3, 60, 10**7):  # lengths dense beside their count, and sparse
        for n in (1, 7, 40):
            values = rng.integers(1, top, n)
            windows, rows = sweep_fused._distinct(values)
            want_windows, want_rows = np.unique(values, return_inverse=True)
            np.testing.assert_array_equal(windows, want_windows)
            np.testing.assert_array_equal(rows, want_rows)
