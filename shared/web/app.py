"""The FastAPI skeleton every service shares: errors, metrics, probes, the request gate."""

from __future__ import annotations

from collections.abc import Callable

import redis
from fastapi import FastAPI
from fastapi.responses import JSONResponse

from shared.accounts.authenticate import Authenticator
from shared.config import Settings
from shared.jobs.celery_app import make_celery
from shared.logs import setup_logging
from shared.storage.db import Database
from shared.web.errors import install_error_handlers
from shared.web.gate import RequestGate
from shared.web.metrics import install_metrics
from shared.web.openapi import install_openapi
from shared.web.rate_limits import WriteLimiter

ReadinessCheck = Callable[[], object]


def install_probes(app: FastAPI, checks: dict[str, ReadinessCheck]) -> None:
    """/healthz: the process is alive. /readyz: each dependency answers (503 naming those that do not)."""

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", include_in_schema=False)
    def readyz() -> JSONResponse:
        components: dict[str, dict[str, str]] = {}
        for name, check in checks.items():
            try:
                check()
                components[name] = {"status": "ok"}
            except Exception as exc:
                components[name] = {"status": "error", "detail": str(exc)[:300]}
        ok = all(c["status"] == "ok" for c in components.values())
        body = {"status": "ok" if ok else "degraded", "components": components}
        return JSONResponse(body, status_code=200 if ok else 503)


def build_app(
    service: str,
    settings: Settings,
    checks: dict[str, ReadinessCheck],
    *,
    db: Database,
    rate_limited: bool = False,
    **fastapi_kwargs: object,
) -> FastAPI:
    """A FastAPI app with the platform's conventions installed; `rate_limited` counts writes
    against RATE_LIMIT_WRITES (the gateway's: the one public entry)."""
    app = FastAPI(**fastapi_kwargs)  # type: ignore[arg-type]
    install_error_handlers(app)
    install_openapi(app)
    # Middleware added last runs first: metrics count every answer, the gate's refusals too.
    api_key = settings.api_key.get_secret_value() if settings.api_key is not None else None
    limiter = None
    if rate_limited and settings.accounts:
        limiter = WriteLimiter(
            settings.redis_url, settings.rate_limit_writes, namespace="writes",
            setting="RATE_LIMIT_WRITES",
        )  # fmt: skip
    app.add_middleware(
        RequestGate, accepted_hosts=settings.accepted_hosts,
        allowed_origins=settings.allowed_origins,
        authenticator=Authenticator(db, environment_key=api_key), accounts=settings.accounts,
        limiter=limiter,
    )  # fmt: skip
    app.state.metrics_registry = install_metrics(app, service)
    install_probes(app, checks)
    return app


def build_service_app(service: str, settings: Settings, title: str) -> FastAPI:
    """A service behind the gateway: logging, database, Redis probe and a Celery client in state."""
    setup_logging(service, settings.logs_path, settings.log_level)
    db = Database(settings.sqlalchemy_url)
    cache = redis.Redis.from_url(settings.redis_url, socket_timeout=2)
    app = build_app(
        service, settings, {"database": db.ping, "redis": cache.ping}, db=db, title=title,
        version="0.1.0",
    )  # fmt: skip
    app.state.settings = settings
    app.state.db = db
    app.state.celery = make_celery(f"{service}-api", settings)
    return app
