"""The kernels against the plain-Python reference simulator, on many random cases."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from tests.unit.sim.conftest import assert_same, cases, run_both


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_engine_matches_reference(case) -> None:
    prices, targets, params = case
    result, ref = run_both(prices, targets, params)
    assert_same(result, ref, params.initial_cash)
