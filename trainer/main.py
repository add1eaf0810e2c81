"""Trainer HTTP service: `uvicorn trainer.main:create_app --factory --port 8001`."""

from __future__ import annotations

import redis
from fastapi import FastAPI

from shared.config import Settings, get_settings
from shared.jobs.celery_app import make_celery
from shared.logs import setup_logging
from shared.storage.db import Database
from shared.web.app import build_app
from trainer import routes


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the trainer app from settings."""
    settings = settings or get_settings()
    setup_logging("trainer", settings.logs_path, settings.log_level)
    settings.artifacts_path.mkdir(parents=True, exist_ok=True)
    db = Database(settings.sqlalchemy_url)
    cache = redis.Redis.from_url(settings.redis_url, socket_timeout=2)
    app = build_app(
        "trainer", settings, {"database": db.ping, "redis": cache.ping},
        title="Trainer service", version="0.1.0",
    )  # fmt: skip
    app.state.settings = settings
    app.state.db = db
    app.state.celery = make_celery("trainer-api", settings)
    app.include_router(routes.router)
    return app
