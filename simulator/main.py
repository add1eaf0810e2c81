"""Simulator HTTP service: `uvicorn simulator.main:create_app --factory --port 8002`."""

from __future__ import annotations

from fastapi import FastAPI

from shared.config import Settings, get_settings
from shared.data import market_data_from
from shared.web.app import build_service_app
from simulator.routes import data, simulations, strategies, stress, sweeps


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the simulator app from settings."""
    settings = settings or get_settings()
    app = build_service_app("simulator", settings, "Simulator service")
    app.state.market = market_data_from(settings)
    for module in (data, strategies, simulations, sweeps, stress):
        app.include_router(module.router)
    return app
