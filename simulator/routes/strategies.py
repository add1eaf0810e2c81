"""The built-in strategies a simulation or a sweep can run, with their parameters."""

from __future__ import annotations

import functools

from fastapi import APIRouter, Response

from shared.schemas.simulations import StrategiesOut, StrategyOut, StrategyParamOut
from shared.strategies import STRATEGIES, StrategySpec

router = APIRouter(prefix="/api/v1", tags=["simulations"])


@router.get("/strategies", response_model=StrategiesOut)
async def list_strategies() -> Response:
    """Built-in strategies with their parameters, defaults and ranges."""
    return Response(_strategies_json(), media_type="application/json")


@functools.cache
def _strategies_json() -> bytes:
    # The registry is fixed once the process runs: validated and encoded once, not per request.
    items = [_strategy_out(spec) for spec in STRATEGIES.values()]
    return StrategiesOut(items=items, total=len(items)).model_dump_json(by_alias=True).encode()


def _strategy_out(spec: StrategySpec) -> StrategyOut:
    params = {
        name: StrategyParamOut(
            default=p.default, min=p.minimum, max=p.maximum, integer=p.integer, description=p.doc
        )
        for name, p in spec.params.items()
    }
    return StrategyOut(name=spec.name, description=spec.description, params=params)
