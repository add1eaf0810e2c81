"""Runs a backtest request: the strategy's targets over a panel, through shared.sim."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from shared.schemas.simulations import SimulationRequest
from shared.sim import Commission, RunSpec, SimResult, Slippage, simulate
from shared.strategies import build_targets
from simulator.panel import MarketPanel


@dataclass(frozen=True)
class Shocks:
    """How a stress scenario worsens a run: costlier fills and later ones."""

    commission_multiplier: float = 1.0
    slippage_multiplier: float = 1.0
    extra_delay: int = 0


NO_SHOCKS = Shocks()


def run_spec(req: SimulationRequest, shocks: Shocks = NO_SHOCKS) -> RunSpec:
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


def strategy_targets(
    req: SimulationRequest, close: pd.DataFrame, params: dict[str, Any] | None = None
) -> pd.DataFrame:
    """The request's strategy (or `params` in its place) as target weights over `close`."""
    return build_targets(
        req.strategy, close, req.params if params is None else params,
        allow_short=req.execution.allow_short, position_size=req.execution.position_size,
    )  # fmt: skip


def run_backtest(
    req: SimulationRequest, panel: MarketPanel, shocks: Shocks = NO_SHOCKS
) -> SimResult:
    """The request's strategy over `panel`; `shocks` worsen costs and timing (stress tests)."""
    return simulate(panel.prices, strategy_targets(req, panel.close), run_spec(req, shocks))
