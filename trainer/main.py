"""Trainer HTTP service: `uvicorn trainer.main:create_app --factory --port 8001`."""

from __future__ import annotations

from fastapi import FastAPI

from shared.config import Settings, get_settings
from shared.data import market_data_from
from shared.web.app import build_service_app
from trainer import store
from trainer.routes import algorithms, models, studies, trainings


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the trainer app from settings."""
    settings = settings or get_settings()
    settings.artifacts_path.mkdir(parents=True, exist_ok=True)
    store.sweep_leftovers(settings.artifacts_path)
    app = build_service_app("trainer", settings, "Trainer service")
    app.state.market = market_data_from(settings)
    for module in (algorithms, trainings, models, studies):
        app.include_router(module.router)
    return app
