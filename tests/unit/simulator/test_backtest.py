"""A simulation request becomes the engine's RunSpec with nothing dropped or renamed wrongly."""

from __future__ import annotations

import dataclasses

import pytest

from shared.backtest_spec import Shocks, run_spec
from shared.schemas.simulations import CostModel, ExecutionOptions, SimulationRequest
from shared.sim import Commission, RunSpec, Slippage


def test_every_execution_field_is_an_engine_option_or_named_otherwise() -> None:
    engine = {f.name for f in dataclasses.fields(RunSpec)}
    api = set(ExecutionOptions.model_fields)
    assert api - engine == {"position_size", "delay_bars"}


def test_the_run_spec_carries_every_cost_and_execution_option() -> None:
    req = SimulationRequest(
        strategy="buy_and_hold", symbols=["X"], initial_cash=50_000,
        costs=CostModel(
            commission_rate=0.002, commission_per_share=0.01, commission_min=1.0,
            commission_fixed=0.5, slippage_bps=3, spread_bps=4, slippage_range_frac=0.1,
            impact=0.2,
        ),
        execution=ExecutionOptions(
            fill="close", delay_bars=2, whole_shares=True, allow_short=True, max_leverage=2,
            position_size=1.5, cash="per_asset", stop_loss=0.05, take_profit=0.1,
            close_at_end=True, volume_cap=0.1,
        ),
    )  # fmt: skip
    spec = run_spec(req, Shocks(commission_multiplier=2.0, slippage_multiplier=3.0, extra_delay=1))
    assert spec.initial_cash == 50_000
    assert spec.commission == Commission(rate=0.004, per_share=0.02, min_fee=2.0, fixed=1.0)
    assert spec.slippage == Slippage(
        bps=9.0, spread_bps=12.0, range_frac=pytest.approx(0.3), impact=pytest.approx(0.6)
    )
    assert (spec.fill, spec.delay, spec.cash) == ("close", 3, "per_asset")
    assert spec.whole_shares and spec.allow_short and spec.close_at_end
    assert (spec.max_leverage, spec.stop_loss, spec.take_profit, spec.volume_cap) == (
        2.0, 0.05, 0.1, 0.1,
    )  # fmt: skip


def test_defaults_are_long_only_with_the_documented_costs() -> None:
    spec = run_spec(SimulationRequest(strategy="buy_and_hold", symbols=["X"]))
    assert not spec.allow_short  # the API's default, not the library's
    assert spec.commission == Commission(rate=0.001)
    assert spec.slippage == Slippage(bps=5.0)
    assert (spec.fill, spec.delay) == ("next_open", 0)


@pytest.mark.parametrize("name", ["slippage", "commission"])
def test_a_bare_cost_is_refused_as_ambiguous(name: str) -> None:
    with pytest.raises(ValueError, match=f"{name} is ambiguous"):
        CostModel.model_validate({name: 5})
