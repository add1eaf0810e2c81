"""Turns an engine result into what the API stores and serves."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from shared.schemas.simulations import SimulationRequest
from shared.sim.result import SimResult


def model_used(req: SimulationRequest) -> str:
    """What decided, before the run names it exactly: the strategy and its parameters, or the model."""
    if req.strategy is None:
        return f"model {req.model_id}"
    params = ", ".join(f"{k}={v:g}" for k, v in sorted(req.params.items()))
    return f"{req.strategy}({params})" if params else req.strategy


def summary(result: SimResult, warnings: list[str], used: str) -> dict[str, Any]:
    """The engine's metrics (the seed's fields among them), what decided, and warnings."""
    metrics = result.summary
    return {"model_used": used, **metrics, "warnings": warnings + ruin_warnings(metrics)}


def ruin_warnings(metrics: dict[str, Any]) -> list[str]:
    """A plain sentence when the account was ruined (equity at or below zero)."""
    when = metrics.get("ruined_at")
    if when is None:
        return []
    return [
        f"The account was ruined on {when}: its equity fell to zero or below, every "
        "position was closed at that close and nothing traded after it. Return and risk "
        "ratios cover the bars up to that day."
    ]


def _finite(value: float) -> float | None:
    return float(value) if value is not None and math.isfinite(value) else None


def trade_rows(result: SimResult) -> list[dict[str, Any]]:
    """One dict per trade, in entry order, ready for the trades table."""
    trades = result.trades
    rows = []
    for seq, t in enumerate(trades.itertuples(index=False)):
        rows.append({
            "seq": seq, "symbol": str(t.symbol), "direction": str(t.direction),
            "quantity": float(t.size), "entry_time": t.entry_time.to_pydatetime(),
            "entry_price": float(t.entry_price),
            "exit_time": None if t.is_open else t.exit_time.to_pydatetime(),
            "exit_price": None if t.is_open else _finite(t.exit_price),
            "pnl": float(t.pnl), "return_pct": float(np.nan_to_num(t.return_pct)),
            "fees": float(t.fees), "slippage": float(t.slippage), "is_open": bool(t.is_open),
        })  # fmt: skip
    return rows


def equity_payload(result: SimResult) -> dict[str, list[Any]]:
    """Equity, drawdown from the running peak (in %) and the buy-and-hold benchmark per bar."""
    equity = result.equity
    peak = equity.cummax()
    drawdown = (equity / peak - 1.0) * 100.0
    bench = (
        result.benchmark.equity if result.benchmark is not None else pd.Series(np.nan, equity.index)
    )
    return {
        "timestamps": [ts.isoformat() for ts in equity.index],
        "equity": [float(v) for v in equity],
        "drawdown_pct": [float(v) for v in drawdown],
        "benchmark": [_finite(v) for v in bench],
    }
