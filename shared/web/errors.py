"""One mapping from errors to JSON `{"detail", "code", "field"}`; never a stack trace."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import BaseRoute, Match
from starlette.types import Scope

from shared.errors import AppError

log = logging.getLogger(__name__)
HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def _field_of(loc: tuple[object, ...]) -> str:
    # ("body", "symbols", 0) -> "symbols[0]"; ("query", "start") -> "start"
    parts = [p for p in loc if p not in ("body", "query", "path", "header", "form")]
    name = ""
    for part in parts:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name or "body"


def _message(error: Any) -> str:
    # Our validators raise ValueError with a full sentence; pydantic prefixes it with "Value error, ".
    return str(error.get("msg", "invalid")).removeprefix("Value error, ")


def allowed_methods(routes: Sequence[BaseRoute], scope: Scope) -> list[str]:
    """Every method one of `routes` answers on this path (HEAD with GET), sorted."""
    methods = {
        method
        for method in HTTP_METHODS
        if any(r.matches({**scope, "method": method})[0] == Match.FULL for r in routes)
    }
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    async def _app_error(_: Request, exc: AppError) -> JSONResponse:
        return JSONResponse(exc.to_dict(), status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0]
        field = _field_of(tuple(first.get("loc", ())))
        detail = "; ".join(
            f"{_field_of(tuple(e.get('loc', ())))}: {_message(e)}" for e in exc.errors()
        )
        body = {"detail": detail, "code": "invalid_input", "field": field}
        return JSONResponse(body, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        body = {"detail": str(exc.detail), "code": code}
        headers = dict(exc.headers or {})
        if exc.status_code == 405:  # Starlette names the first matching route's methods only
            headers["Allow"] = ", ".join(allowed_methods(request.app.router.routes, request.scope))
        return JSONResponse(body, status_code=exc.status_code, headers=headers)

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        body = {"detail": "internal error; see the service log", "code": "internal_error"}
        return JSONResponse(body, status_code=500)
