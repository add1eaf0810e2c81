"""Runs a backtest request: its decider's targets over a panel, through shared.sim."""

from __future__ import annotations

from shared.backtest_spec import NO_SHOCKS, Shocks, run_spec
from shared.schemas.simulations import SimulationRequest
from shared.sim import SimResult, simulate
from simulator.deciders import Decider
from simulator.panel import MarketPanel


def run_backtest(
    req: SimulationRequest, panel: MarketPanel, decider: Decider, shocks: Shocks = NO_SHOCKS
) -> SimResult:
    """The request's strategy or model over `panel`; `shocks` worsen costs and timing."""
    targets = decider.targets(panel, decider.resolve(req.params))
    return simulate(panel.prices, targets, run_spec(req, shocks))
