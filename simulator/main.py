"""Simulator HTTP service: `uvicorn simulator.main:create_app --factory --port 8002`."""

from __future__ import annotations

from fastapi import FastAPI

from shared.config import Settings, get_settings
from shared.web.app import build_service_app
from simulator import data_routes, routes, simulation_routes, sweep_routes


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the simulator app from settings."""
    app = build_service_app("simulator", settings or get_settings(), "Simulator service")
    for module in (data_routes, routes, simulation_routes, sweep_routes):
        app.include_router(module.router)
    return app
