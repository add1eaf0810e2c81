"""Simulator HTTP service: `uvicorn simulator.main:create_app --factory --port 8002`."""

from __future__ import annotations

import redis
from fastapi import FastAPI

from shared.config import Settings, get_settings
from shared.jobs.celery_app import make_celery
from shared.logs import setup_logging
from shared.storage.db import Database
from shared.web.app import build_app
from simulator import data_routes, routes, simulation_routes, sweep_routes


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the simulator app from settings."""
    settings = settings or get_settings()
    setup_logging("simulator", settings.logs_path, settings.log_level)
    db = Database(settings.sqlalchemy_url)
    cache = redis.Redis.from_url(settings.redis_url, socket_timeout=2)
    app = build_app(
        "simulator", settings, {"database": db.ping, "redis": cache.ping},
        title="Simulator service", version="0.1.0",
    )  # fmt: skip
    app.state.settings = settings
    app.state.db = db
    app.state.celery = make_celery("simulator-api", settings)
    app.include_router(data_routes.router)
    app.include_router(routes.router)
    app.include_router(simulation_routes.router)
    app.include_router(sweep_routes.router)
    return app
