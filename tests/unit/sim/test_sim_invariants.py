"""Properties every run must have: balance-sheet identity, no look-ahead, no mutation."""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shared.sim import simulate
from tests.unit.sim.conftest import cases, engine_kwargs

FAST = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(cases())
def test_equity_is_cash_plus_marked_positions(case) -> None:
    prices, targets, params = case
    result = simulate(prices, targets, **engine_kwargs(params))
    marks = prices["close"].ffill()
    held = (result.positions * marks).fillna(0.0).sum(axis=1)
    scale = params.initial_cash
    assert np.allclose(result.equity, result.cash + held, rtol=1e-9, atol=1e-9 * scale)
    orders = result.order_records
    assert (orders["fees"] >= 0.0).all()
    assert (orders["slippage"] >= 0.0).all()
    filled = orders[orders["status"] != 2]
    assert np.all(filled["filled"] != 0.0)
    assert (result.orders["status"] != "filled").sum() == (
        result.summary["orders_reduced"] + result.summary["orders_rejected"]
    )
    if params.whole_shares:
        assert np.all(result.positions.to_numpy() == np.round(result.positions.to_numpy()))
    if not params.allow_short:
        assert (result.positions.to_numpy() >= 0.0).all()
        no_fixed = params.fixed == 0.0 and params.min_fee == 0.0
        if params.max_leverage <= 1.0 and no_fixed and params.cash == "shared":
            # long-only within 1x leverage never borrows
            assert (result.cash >= -1e-9 * scale).all()


@FAST
@given(cases(), st.integers(1, 24))
def test_no_look_ahead(case, cut) -> None:
    """A run on the first k bars makes the same decisions, fills and equity up to k."""
    prices, targets, params = case
    params.close_at_end = False
    k = min(cut, len(targets))
    full = simulate(prices, targets, **engine_kwargs(params))
    head = simulate(
        {name: frame.iloc[:k] for name, frame in prices.items()},
        targets.iloc[:k],
        **engine_kwargs(params),
    )
    np.testing.assert_array_equal(full.equity.to_numpy()[:k], head.equity.to_numpy())
    np.testing.assert_array_equal(full.cash.to_numpy()[:k], head.cash.to_numpy())
    early = full.order_records[full.order_records["bar"] < k]
    same_records(early, head.order_records)


@FAST
@given(cases())
def test_inputs_are_not_mutated(case) -> None:
    prices, targets, params = case
    before_prices = copy.deepcopy(prices)
    before_targets = targets.copy(deep=True)
    result = simulate(prices, targets, **engine_kwargs(params))
    _ = (result.summary, result.trades, result.positions, result.orders)
    for name, frame in prices.items():
        pd.testing.assert_frame_equal(frame, before_prices[name])
    pd.testing.assert_frame_equal(targets, before_targets)


@settings(max_examples=30, deadline=None)
@given(cases())
def test_runs_are_deterministic(case) -> None:
    prices, targets, params = case
    one = simulate(prices, targets, **engine_kwargs(params))
    two = simulate(prices, targets, **engine_kwargs(params))
    np.testing.assert_array_equal(one.equity.to_numpy(), two.equity.to_numpy())
    same_records(one.order_records, two.order_records)
    same_records(one.trade_records, two.trade_records)


def same_records(a: np.ndarray, b: np.ndarray) -> None:
    """Structured arrays equal field by field (NaN equal to NaN)."""
    assert a.dtype == b.dtype and len(a) == len(b)
    for name in a.dtype.names or ():
        np.testing.assert_array_equal(a[name], b[name], err_msg=name)


def test_kernel_cache_is_stamped_with_the_whole_package() -> None:
    """A change in any shared.sim module must invalidate every cached kernel (numba #6845)."""
    from shared.sim.jit_cache import package_digest
    from shared.sim.kernels import simulate_nb
    from shared.sim.sweep_kernel import fused_sweep_nb

    for kernel in (simulate_nb, fused_sweep_nb):
        assert kernel._cache._impl.locator.get_source_stamp() == package_digest()
