"""Gateway: `uvicorn gateway.main:create_app --factory --port 8000`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import redis
import redis.asyncio as aioredis
from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from prometheus_client import CollectorRegistry
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.types import Scope

from gateway.clients import ServiceClient
from gateway.openapi import merged_openapi
from gateway.routes import accounts, health, jobs, proxy
from shared.config import Settings, get_settings
from shared.jobs.celery_app import make_celery
from shared.jobs.events import EventPublisher
from shared.jobs.presence import queue_depth, workers_per_queue
from shared.jobs.watchdog import reap_stale_jobs, resend_lost_jobs
from shared.logs import setup_logging
from shared.schemas.jobs import Queue
from shared.storage.db import Database
from shared.web.app import build_app
from shared.web.metrics import JobsCollector

log = logging.getLogger(__name__)
# The built app, else the placeholder page (npm missing, or the build not run yet).
DASHBOARD_DIRS = (Path("dashboard/dist"), Path("dashboard/placeholder"))


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the gateway from settings."""
    settings = settings or get_settings()
    setup_logging("gateway", settings.logs_path, settings.log_level)
    db = Database(settings.sqlalchemy_url)
    sync_redis = redis.Redis.from_url(settings.redis_url, socket_timeout=2)
    services = {
        "trainer": ServiceClient("trainer", settings.trainer_url, settings.service_timeout_s),
        "simulator": ServiceClient("simulator", settings.simulator_url, settings.service_timeout_s),
    }

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        watchdog = asyncio.create_task(_watchdog_loop(app))
        yield
        watchdog.cancel()
        for client in services.values():
            await client.aclose()
        await app.state.aioredis.aclose()
        db.dispose()

    app = build_app(
        "gateway", settings, {"database": db.ping, "redis": sync_redis.ping}, db=db,
        rate_limited=True, title="AI trading platform API", version="0.1.0", lifespan=lifespan,
        docs_url=None, openapi_url=None,
    )  # fmt: skip
    app.state.settings = settings
    app.state.db = db
    app.state.celery = make_celery("gateway", settings)
    app.state.redis = sync_redis
    app.state.events = EventPublisher(sync_redis)
    app.state.aioredis = aioredis.Redis.from_url(settings.redis_url)
    app.state.services = services
    _install_job_metrics(app, db, sync_redis)
    _install_docs(app, services)
    app.include_router(health.router)
    app.include_router(accounts.router)
    app.include_router(jobs.router)
    app.include_router(proxy.router)  # last: it catches every other /api/v1 path
    _mount_dashboard(app)
    return app


async def _watchdog_loop(app: FastAPI) -> None:
    settings: Settings = app.state.settings
    while True:
        await asyncio.sleep(settings.watchdog_interval_s)
        try:
            await run_in_threadpool(
                reap_stale_jobs, app.state.db, app.state.celery, app.state.events,
                timeout_s=settings.job_heartbeat_timeout_s, max_attempts=settings.job_max_attempts,
                queue_depth=lambda queue: queue_depth(app.state.redis, queue),
            )  # fmt: skip
        except Exception:
            log.exception("watchdog pass failed; will retry")
        try:  # apart, so that a Redis outage does not stop the dead-worker reaping above
            await run_in_threadpool(
                resend_lost_jobs, app.state.db, app.state.celery, app.state.events,
                lost_after_s=settings.job_lost_after_s, max_sends=settings.job_max_attempts,
                held_for_s=settings.job_heartbeat_timeout_s,
            )  # fmt: skip
        except Exception:
            log.exception("lost-task sweep failed; will retry")


def _install_job_metrics(app: FastAPI, db: Database, client: redis.Redis) -> None:
    def depths() -> dict[str, int]:
        try:
            return {q.value: queue_depth(client, q.value) for q in Queue}
        except redis.RedisError:
            return {}

    def workers() -> dict[str, int]:
        try:
            counts = workers_per_queue(client)  # one scan for every queue
        except redis.RedisError:
            return {}
        return {q.value: counts.get(q.value, 0) for q in Queue}

    registry: CollectorRegistry = app.state.metrics_registry
    registry.register(JobsCollector(db, depths, workers))


def _install_docs(app: FastAPI, services: dict[str, ServiceClient]) -> None:
    @app.get("/openapi.json", include_in_schema=False)
    async def openapi() -> JSONResponse:
        return JSONResponse(await merged_openapi(app, services))

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/openapi.json", title=app.title)


def _mount_dashboard(app: FastAPI) -> None:
    for folder in DASHBOARD_DIRS:
        if (folder / "index.html").exists():
            app.mount("/", _SinglePageApp(directory=folder, html=True), name="dashboard")
            return


class _SinglePageApp(StaticFiles):
    """Static files, with the app's own routes (/simulations/abc) answered by index.html.

    Mounted last, so the API, docs, probes and metrics routes match first; a path under /api
    or one naming a file (a missing /assets/x.js) stays a 404, as JSON from the error handler.
    """

    async def get_response(self, path: str, scope: Scope) -> Response:
        try:
            return await super().get_response(path, scope)
        except HTTPException as exc:
            if exc.status_code != 404 or not _is_client_route(path):
                raise
            return await super().get_response("index.html", scope)


def _is_client_route(path: str) -> bool:
    parts = path.strip("/").split("/")
    return parts[0] != "api" and "." not in parts[-1]
