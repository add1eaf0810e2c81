"""The engine options (a shared.sim RunSpec) of an API request's cash, costs and execution.

Simulations, sweeps, stress tests and a trained model's out-of-sample backtest all run through
this one mapping, so the same request fields always mean the same fills.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from shared.schemas.simulations import CostModel, ExecutionOptions
from shared.sim import Commission, RunSpec, Slippage


class CostsAndExecution(Protocol):
    """What a request carries for the engine (a simulation or a training request)."""

    initial_cash: float
    costs: CostModel
    execution: ExecutionOptions


@dataclass(frozen=True)
class Shocks:
    """How a stress scenario worsens a run: costlier fills and later ones."""

    commission_multiplier: float = 1.0
    slippage_multiplier: float = 1.0
    extra_delay: int = 0


NO_SHOCKS = Shocks()


def run_spec(req: CostsAndExecution, shocks: Shocks = NO_SHOCKS) -> RunSpec:
    """The request's costs and execution as the engine's options."""
    # The execution fields carry RunSpec's names, but for the strategy's position_size and
    # delay_bars (the engine's delay); the cost fields map through the CostModel's *_terms.
    execution = req.execution.model_dump(exclude={"position_size", "delay_bars"})
    return RunSpec(
        **execution,
        initial_cash=req.initial_cash,
        commission=Commission(**req.costs.commission_terms(shocks.commission_multiplier)),
        slippage=Slippage(**req.costs.slippage_terms(shocks.slippage_multiplier)),
        delay=req.execution.delay_bars + shocks.extra_delay,
    )
