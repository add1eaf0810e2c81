"""Dependency aliases of the simulator's routes, read from `app.state` set by create_app()."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from shared.data import MarketData


def _market(request: Request) -> MarketData:
    return request.app.state.market  # type: ignore[no-any-return]


MarketDataDep = Annotated[MarketData, Depends(_market)]
