"""Runs a backtest request: loads bars, builds the strategy's targets, calls shared.sim."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from shared.data.market import MarketData
from shared.errors import DataError
from shared.schemas.simulations import MarketSelection, SimulationRequest
from shared.sim import simulate
from shared.sim.cost_models import Commission, Slippage
from shared.sim.result import SimResult
from shared.strategies import build_targets

FIELDS = ("open", "high", "low", "close")


@dataclass
class MarketPanel:
    """Bars of several symbols on their common timestamps, as shared.sim takes them."""

    prices: dict[str, pd.DataFrame]
    warnings: list[str] = field(default_factory=list)

    @property
    def close(self) -> pd.DataFrame:
        return self.prices["close"]


def load_panel(market: MarketData, sel: MarketSelection) -> MarketPanel:
    """Each symbol's bars, cut to the timestamps all symbols share (reported when bars drop)."""
    frames = {s: market.bars(sel.source, s, sel.start, sel.end, sel.interval) for s in sel.symbols}
    index = None
    for frame in frames.values():
        index = frame.index if index is None else index.intersection(frame.index)
    assert index is not None
    if len(index) < 2:
        raise DataError(
            f"the symbols {', '.join(sel.symbols)} share {len(index)} bars in this range; "
            "pick symbols that trade on the same dates or widen the range",
            field="symbols",
        )
    warnings = [
        f"{sym}: {len(frame) - len(index)} bars dropped (not shared by every symbol)"
        for sym, frame in frames.items()
        if len(frame) > len(index)
    ]
    fields = [*FIELDS, "volume"] if all("volume" in f for f in frames.values()) else list(FIELDS)
    prices = {
        name: pd.DataFrame({sym: frames[sym][name].reindex(index) for sym in sel.symbols})
        for name in fields
    }
    return MarketPanel(prices, warnings)


def engine_options(
    req: SimulationRequest, *, cost_multiplier: float = 1.0, slippage_multiplier: float = 1.0,
    extra_delay: int = 0,
) -> dict[str, Any]:  # fmt: skip
    """The request's costs and execution as keyword arguments of shared.sim.simulate."""
    c, x = req.costs, req.execution
    return {
        "initial_cash": req.initial_cash,
        "commission": Commission(
            rate=c.commission_rate * cost_multiplier,
            per_share=c.commission_per_share * cost_multiplier,
            min_fee=c.commission_min * cost_multiplier,
            fixed=c.commission_fixed * cost_multiplier,
        ),
        "slippage": Slippage(
            bps=c.slippage_bps * slippage_multiplier,
            spread_bps=c.spread_bps * slippage_multiplier,
            range_frac=c.slippage_range_frac * slippage_multiplier,
            impact=c.impact * slippage_multiplier,
        ),
        "fill": x.fill,
        "delay": x.delay_bars + extra_delay,
        "whole_shares": x.whole_shares,
        "allow_short": x.allow_short,
        "max_leverage": x.max_leverage,
        "stop_loss": x.stop_loss,
        "take_profit": x.take_profit,
        "volume_cap": x.volume_cap,
        "cash": x.cash,
        "close_at_end": x.close_at_end,
    }


def strategy_targets(
    req: SimulationRequest, close: pd.DataFrame, params: dict[str, float] | None = None
) -> pd.DataFrame:
    return build_targets(
        req.strategy, close, req.params if params is None else params,
        allow_short=req.execution.allow_short, position_size=req.execution.position_size,
    )  # fmt: skip


def run_backtest(req: SimulationRequest, panel: MarketPanel, **shocks: Any) -> SimResult:
    """The request's strategy over `panel`; `shocks` scale costs or delay fills (stress tests)."""
    targets = strategy_targets(req, panel.close)
    return simulate(panel.prices, targets, **engine_options(req, **shocks))
