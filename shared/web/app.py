"""The FastAPI skeleton every service shares: errors, metrics, probes, write protection."""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Awaitable, Callable, Iterable

import redis
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse

from shared.config import Settings
from shared.errors import AppError, BadRequest, Forbidden, Unauthorized
from shared.hosts import ANY_HOST, host_name, is_same_origin, origin_of
from shared.jobs.celery_app import make_celery
from shared.logs import setup_logging
from shared.storage.db import Database
from shared.web.errors import install_error_handlers
from shared.web.metrics import install_metrics
from shared.web.openapi import install_openapi

ReadinessCheck = Callable[[], object]
CallNext = Callable[[Request], Awaitable[Response]]
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


def install_host_check(app: FastAPI, accepted: frozenset[str]) -> None:
    """Answer only to our own host names (400 otherwise): this is what stops DNS rebinding.

    A page on evil.example that re-points its name at 127.0.0.1 reaches us with Host:
    evil.example, and the browser then lets that page read our answers as its own.
    """
    if ANY_HOST in accepted:
        return

    @app.middleware("http")
    async def _host_check(request: Request, call_next: CallNext) -> Response:
        given = request.headers.get("host")
        # No Host at all (HTTP/1.0 from a script) never comes from a browser, so it is let in.
        if given is None or host_name(given) in accepted:
            return await call_next(request)
        detail = (
            f"this service does not answer to the host name {given[:100]!r}; if that name is "
            "yours, add it to ALLOWED_HOSTS"
        )
        return _refuse(BadRequest(detail, field="Host", code="bad_host"))


def install_origin_check(app: FastAPI, allowed_origins: Iterable[str]) -> None:
    """Refuse (403) a write sent by a page of another site; a write without Origin goes through.

    Browsers add Origin (or at least Referer) to a cross-site form post or fetch, and no page can
    forge it; curl and scripts send neither, and API_KEY, where set, guards those. The dashboard
    is served by the gateway itself, so its writes are same-origin.
    """
    allowed = frozenset(o for o in map(origin_of, allowed_origins) if o is not None)

    @app.middleware("http")
    async def _origin_check(request: Request, call_next: CallNext) -> Response:
        if request.method in SAFE_METHODS:
            return await call_next(request)
        field, source = _source_of(request)
        if source is None:
            return await call_next(request)
        origin = origin_of(source)
        if origin is not None and (
            origin in allowed or is_same_origin(origin, request.headers.get("host", ""))
        ):
            return await call_next(request)
        shown = str(origin) if origin else source[:100]
        detail = (
            f"this write came from a page of another site ({shown!r}) and was refused; a "
            "dashboard served elsewhere needs its origin in ALLOWED_ORIGINS"
        )
        return _refuse(Forbidden(detail, field=field, code="bad_origin"))


def _source_of(request: Request) -> tuple[str, str | None]:
    """Which header names the sending page, and its value: Origin, else Referer, else none."""
    origin = request.headers.get("origin", "").strip()
    if origin:
        return "Origin", origin
    return "Referer", request.headers.get("referer", "").strip() or None


def _refuse(err: AppError) -> JSONResponse:
    return JSONResponse(err.to_dict(), status_code=err.status_code)


def build_app(
    service: str, settings: Settings, checks: dict[str, ReadinessCheck], **fastapi_kwargs: object
) -> FastAPI:
    """A FastAPI app with the platform's conventions installed."""
    app = FastAPI(**fastapi_kwargs)  # type: ignore[arg-type]
    install_error_handlers(app)
    install_openapi(app)
    # Middleware added last runs first: metrics, then Host, then Origin, then the key.
    install_write_guard(app, settings)
    install_origin_check(app, settings.allowed_origins)
    install_host_check(app, settings.accepted_hosts)
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
