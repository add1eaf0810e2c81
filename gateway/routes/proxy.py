"""Routes `/api/v1/<resource>/...` to the service that owns the resource, as the same route shape."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from gateway.deps import ServicesDep, SettingsDep
from gateway.paths import upstream_path
from gateway.routes import accounts, health, jobs
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
}
GATEWAY_OWN = ("auth", "health", "jobs", "users")
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
BODY_OVERHEAD = 64 * 1024  # multipart framing around an upload of the largest allowed size

router = APIRouter(prefix="/api/v1")


@router.api_route("/{resource}", methods=METHODS, include_in_schema=False)
@router.api_route("/{resource}/{rest:path}", methods=METHODS, include_in_schema=False)
async def proxy(
    resource: str, request: Request, services: ServicesDep, settings: SettingsDep
) -> Response:
    owner = OWNER.get(resource)
    if resource in GATEWAY_OWN:  # its own routes matched the path, not the method
        allowed = allowed_methods(
            [*accounts.router.routes, *health.router.routes, *jobs.router.routes], request.scope
        )
        if allowed:
            refusal = {"detail": "Method Not Allowed", "code": "method_not_allowed"}
            return JSONResponse(refusal, status_code=405, headers={"Allow": ", ".join(allowed)})
        raise NotFound(f"no route {request.url.path}", field="path")
    if owner is None:
        known = ", ".join(sorted([*OWNER, *GATEWAY_OWN]))
        raise NotFound(f"unknown resource /api/v1/{resource}; known: {known}", field="path")
    limit = settings.max_upload_bytes + BODY_OVERHEAD
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(
            f"request body of {int(declared)} bytes exceeds the limit of "
            f"{settings.max_upload_bytes} bytes (MAX_UPLOAD_BYTES)",
            field="file",
        )
    path = upstream_path(_raw_path(request), resource)
    body = await _read_limited(request, limit, settings.max_upload_bytes)
    answer = await services[owner].forward(
        request.method, path, params=list(request.query_params.multi_items()),
        headers=dict(request.headers), body=body,
    )  # fmt: skip
    return Response(answer.content, status_code=answer.status_code, headers=answer.headers)


def _raw_path(request: Request) -> bytes:
    # The path as the client typed it: the decoded one has already turned %2f into '/'.
    raw = request.scope.get("raw_path")
    if isinstance(raw, bytes):
        return raw
    return quote(request.scope["path"], safe="/").encode("ascii")  # a server without raw_path


async def _read_limited(request: Request, limit: int, allowed: int) -> bytes:
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(
                f"request body exceeds the limit of {allowed} bytes (MAX_UPLOAD_BYTES)",
                field="file",
            )
        chunks.append(chunk)
    return b"".join(chunks)
