"""Runs a backtest request: the strategy's targets over a panel, through shared.sim."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from shared.schemas.simulations import SimulationRequest
from shared.sim import simulate
from shared.sim.options import Commission, Slippage
from shared.sim.result import SimResult
from shared.strategies import build_targets
from simulator.panel import MarketPanel


@dataclass(frozen=True)
class Shocks:
    """How a stress scenario worsens a run: costlier fills and later ones."""

    commission_multiplier: float = 1.0
    slippage_multiplier: float = 1.0
    extra_delay: int = 0


NO_SHOCKS = Shocks()


def engine_options(req: SimulationRequest, shocks: Shocks = NO_SHOCKS) -> dict[str, Any]:
    """The request's costs and execution as shared.sim options (RunSpec's field names)."""
    execution = req.execution.model_dump(exclude={"position_size", "delay_bars"})
    return {
        **execution,
        "initial_cash": req.initial_cash,
        "commission": Commission(**req.costs.commission_terms(shocks.commission_multiplier)),
        "slippage": Slippage(**req.costs.slippage_terms(shocks.slippage_multiplier)),
        "delay": req.execution.delay_bars + shocks.extra_delay,
    }


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
    targets = strategy_targets(req, panel.close)
    return simulate(panel.prices, targets, **engine_options(req, shocks))
