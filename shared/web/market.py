"""The dependency of the services that read bars; apart, so the gateway never imports the data layer."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from shared.data import MarketData


async def _market(request: Request) -> MarketData:
    return request.app.state.market  # type: ignore[no-any-return]


MarketDataDep = Annotated[MarketData, Depends(_market)]
"""The service's MarketData, built once by create_app()."""
