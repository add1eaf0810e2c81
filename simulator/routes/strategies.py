"""The built-in strategies a simulation or a sweep can run, with their parameters."""

from __future__ import annotations

from fastapi import APIRouter

from shared.schemas.simulations import StrategiesOut, StrategyOut, StrategyParamOut
from shared.strategies import STRATEGIES, StrategySpec

router = APIRouter(prefix="/api/v1", tags=["simulations"])


@router.get("/strategies", response_model=StrategiesOut)
async def list_strategies() -> StrategiesOut:
    """Built-in strategies with their parameters, defaults and ranges."""
    # async: nothing here waits, and a sync route costs two threadpool hops per request.
    items = [_strategy_out(spec) for spec in STRATEGIES.values()]
    return StrategiesOut(items=items, total=len(items))


def _strategy_out(spec: StrategySpec) -> StrategyOut:
    params = {
        name: StrategyParamOut(
            default=p.default, min=p.minimum, max=p.maximum, integer=p.integer, description=p.doc
        )
        for name, p in spec.params.items()
    }
    return StrategyOut(name=spec.name, description=spec.description, params=params)
