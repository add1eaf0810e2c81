"""The FastAPI skeleton every service shares: errors, metrics, probes, write protection."""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Awaitable, Callable

import redis
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse

from shared.config import Settings
from shared.errors import Forbidden, Unauthorized
from shared.jobs.celery_app import make_celery
from shared.logs import setup_logging
from shared.storage.db import Database
from shared.web.errors import install_error_handlers
from shared.web.metrics import install_metrics
from shared.web.openapi import install_openapi

ReadinessCheck = Callable[[], object]
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def install_probes(app: FastAPI, checks: dict[str, ReadinessCheck]) -> None:
    """/healthz: the process is alive. /readyz: each dependency answers (503 naming those that do not)."""

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
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


def install_write_guard(app: FastAPI, settings: Settings) -> None:
    """With API_KEY set, every write needs header X-API-Key; reads stay open.

    Without one, writes are taken only on loopback: a request that arrived on another address
    (the server bound to 0.0.0.0 by hand, whatever GATEWAY_HOST says) is refused with 403.
    """
    if settings.api_key is None:
        install_loopback_only_writes(app)
        return
    expected = settings.api_key.get_secret_value().encode()

    @app.middleware("http")
    async def _guard(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        if request.method not in SAFE_METHODS:
            given = request.headers.get("x-api-key", "").encode()
            if not hmac.compare_digest(given, expected):
                err = Unauthorized("this write needs a valid X-API-Key header", field="X-API-Key")
                return JSONResponse(err.to_dict(), status_code=err.status_code)
        return await call_next(request)


def install_loopback_only_writes(app: FastAPI) -> None:
    @app.middleware("http")
    async def _loopback_writes(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        if request.method not in SAFE_METHODS and not _arrived_on_loopback(request):
            err = Forbidden(
                "this platform has no API_KEY, so it takes writes only on 127.0.0.1; "
                "set API_KEY to accept writes from other machines",
                field="X-API-Key",
            )
            return JSONResponse(err.to_dict(), status_code=err.status_code)
        return await call_next(request)


def _arrived_on_loopback(request: Request) -> bool:
    """Whether the connection's local address is loopback (a name, as in tests, is not checked)."""
    server = request.scope.get("server")
    host = server[0] if server else None
    if host is None:
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return True
    mapped = getattr(address, "ipv4_mapped", None)  # ::ffff:127.0.0.1 on a dual-stack socket
    return (mapped or address).is_loopback


def build_app(
    service: str, settings: Settings, checks: dict[str, ReadinessCheck], **fastapi_kwargs: object
) -> FastAPI:
    """A FastAPI app with the platform's conventions installed."""
    app = FastAPI(**fastapi_kwargs)  # type: ignore[arg-type]
    install_error_handlers(app)
    install_openapi(app)
    install_write_guard(app, settings)
    app.state.metrics_registry = install_metrics(app, service)
    install_probes(app, checks)
    return app


def build_service_app(service: str, settings: Settings, title: str) -> FastAPI:
    """A service behind the gateway: logging, database, Redis probe and a Celery client in state."""
    setup_logging(service, settings.logs_path, settings.log_level)
    db = Database(settings.sqlalchemy_url)
    cache = redis.Redis.from_url(settings.redis_url, socket_timeout=2)
    app = build_app(
        service, settings, {"database": db.ping, "redis": cache.ping}, title=title, version="0.1.0"
    )
    app.state.settings = settings
    app.state.db = db
    app.state.celery = make_celery(f"{service}-api", settings)
    return app
