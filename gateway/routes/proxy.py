"""Routes `/api/v1/<resource>/...` to the service that owns the resource, as the same route shape.

The proxy is a plain ASGI endpoint, not a FastAPI route: it reads no parameters, validates no model
and needs no dependency, and FastAPI's request machinery (dependency solving, then a threadpool
hop for each sync dependency, a Request and a Response object) cost more than the forwarding. Errors are still raised as the platform's
AppErrors and answered by the app's handlers, as long as nothing has been sent yet.
"""

from __future__ import annotations

import re
from urllib.parse import quote, quote_from_bytes

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from starlette.requests import ClientDisconnect
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from gateway.clients import ServiceClient
from gateway.paths import upstream_path
from gateway.routes import accounts, health, jobs
from gateway.upstream import UpstreamResponse
from shared.config import Settings
from shared.errors import NotFound, PayloadTooLarge
from shared.web.errors import allowed_methods

# Which service owns each top-level resource. Jobs and health are served by the gateway itself.
OWNER = {
    "algorithms": "trainer",
    "data": "simulator",
    "simulations": "simulator",
    "sweeps": "simulator",
    "strategies": "simulator",
    "models": "trainer",
    "trainings": "trainer",
    "studies": "trainer",
}
GATEWAY_OWN = ("auth", "health", "jobs", "users")
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
BODY_OVERHEAD = 64 * 1024  # multipart framing around an upload of the largest allowed size
# A query string travels as the client wrote it, except bytes no request line may hold.
UNSAFE_IN_QUERY = re.compile(rb"[^\x21-\x7e]")
QUERY_SAFE = bytes(range(0x21, 0x7F))


async def proxy(scope: Scope, receive: Receive, send: Send) -> None:
    """Forward one request to the service owning its resource and stream the answer back."""
    resource = scope["path_params"]["resource"]
    owner = OWNER.get(resource)
    if resource in GATEWAY_OWN:  # its own routes matched the path, not the method
        allowed = allowed_methods(
            [*accounts.router.routes, *health.router.routes, *jobs.router.routes], scope
        )
        if allowed:
            refusal = {"detail": "Method Not Allowed", "code": "method_not_allowed"}
            response = JSONResponse(refusal, status_code=405, headers={"Allow": ", ".join(allowed)})
            await response(scope, receive, send)
            return
        raise NotFound(f"no route {scope['path']}", field="path")
    if owner is None:
        known = ", ".join(sorted([*OWNER, *GATEWAY_OWN]))
        raise NotFound(f"unknown resource /api/v1/{resource}; known: {known}", field="path")
    settings: Settings = scope["app"].state.settings
    services: dict[str, ServiceClient] = scope["app"].state.services
    limit = settings.max_upload_bytes + BODY_OVERHEAD
    _check_declared_length(scope, limit, settings.max_upload_bytes)
    target = upstream_path(_raw_path(scope), resource) + _query(scope)
    body = await _read_limited(receive, limit, settings.max_upload_bytes)
    answer = await services[owner].forward(scope["method"], target, scope["headers"], body)
    try:
        await _relay(answer, send)
    finally:
        answer.release()


class _Endpoint:
    """Starlette runs an endpoint that is not a function as a plain ASGI app."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await proxy(scope, receive, send)


router = APIRouter()
for _path in ("/api/v1/{resource}", "/api/v1/{resource}/{rest:path}"):
    router.routes.append(Route(_path, _Endpoint(), methods=METHODS, include_in_schema=False))


async def _relay(answer: UpstreamResponse, send: Send) -> None:
    await send({"type": "http.response.start", "status": answer.status, "headers": answer.headers})
    if answer.complete:  # the usual case: the whole answer came in one read
        body = b"".join([chunk async for chunk in answer.chunks()])
        await send({"type": "http.response.body", "body": body, "more_body": False})
        return
    # A failure from here on raises: the client's connection is cut rather than the answer
    # ending early and looking whole.
    async for chunk in answer.chunks():
        await send({"type": "http.response.body", "body": chunk, "more_body": True})
    await send({"type": "http.response.body", "body": b"", "more_body": False})


def _raw_path(scope: Scope) -> bytes:
    # The path as the client typed it: the decoded one has already turned %2f into '/'.
    raw = scope.get("raw_path")
    if isinstance(raw, bytes):
        return raw.partition(b"?")[0]  # some servers leave the query on it
    return quote(scope["path"], safe="/").encode("ascii")  # a server without raw_path


def _query(scope: Scope) -> str:
    query: bytes = scope.get("query_string", b"")
    if not query:
        return ""
    if UNSAFE_IN_QUERY.search(query):
        return "?" + quote_from_bytes(query, safe=QUERY_SAFE)
    return "?" + query.decode("ascii")


def _check_declared_length(scope: Scope, limit: int, allowed: int) -> None:
    for name, value in scope["headers"]:
        if name == b"content-length" and value.isdigit() and int(value) > limit:
            raise PayloadTooLarge(
                f"request body of {int(value)} bytes exceeds the limit of {allowed} bytes "
                "(MAX_UPLOAD_BYTES)",
                field="file",
            )


async def _read_limited(receive: Receive, limit: int, allowed: int) -> bytes:
    chunks, size, more = [], 0, True
    while more:
        message = await receive()
        if message["type"] != "http.request":  # the client went away
            raise ClientDisconnect()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(
                f"request body exceeds the limit of {allowed} bytes (MAX_UPLOAD_BYTES)",
                field="file",
            )
        chunks.append(chunk)
        more = message.get("more_body", False)
    return b"".join(chunks)
