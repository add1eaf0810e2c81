"""OpenAPI documents that say what the services answer: the platform's error body everywhere.

FastAPI documents a 422 as its own HTTPValidationError and nothing else; every error here is
an ErrorOut (shared.web.errors makes it so), and each route can also answer the statuses below.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from shared.schemas.errors import ErrorOut

ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}
WHY = {
    "400": "a Host header this platform does not answer to, or a body that is not JSON at all",
    "401": "no valid session or X-API-Key, where ACCOUNTS is on (or a write without API_KEY's key)",
    "403": "a write from another site's page (Origin), without its CSRF token, by a read-only "
    "role, on another's work, or on a public address without accounts",
    "404": "no such id (in the path, or one the body names such as model_id; or not yours to see), "
    "an unknown route, or accounts are off",
    "409": "clashes with the current state (e.g. an Idempotency-Key reused with other fields)",
    "413": "the body is larger than MAX_UPLOAD_BYTES",
    "429": "too many writes or sign-in attempts: retry after the Retry-After header's seconds",
    "422": "a field is invalid: `field` names it, `detail` says how to fix it",
    "500": "an internal error (logged; no details are shown)",
    "503": "a dependency (database, Redis, a service, a data source) is unavailable; retry later",
}
METHODS = ("get", "post", "put", "patch", "delete")
ACCOUNT_PATHS = ("/api/v1/auth/", "/api/v1/users")
PUBLIC_PATHS = ("/api/v1/health", "/api/v1/auth/sign-in")
FASTAPI_SCHEMAS = ("HTTPValidationError", "ValidationError")


def document_errors(doc: dict[str, Any]) -> dict[str, Any]:
    """`doc` with every operation's error statuses documented as ErrorOut."""
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    for name in FASTAPI_SCHEMAS:
        schemas.pop(name, None)
    schemas["ErrorOut"] = ErrorOut.model_json_schema()
    for path, item in doc.get("paths", {}).items():
        for method, op in item.items():
            if method in METHODS:
                _document(path, method, op, names_an_id=_body_names_an_id(op, schemas))
    return doc


def install_openapi(app: FastAPI) -> None:
    """Serve the corrected document at /openapi.json (built once, as FastAPI does)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            doc = get_openapi(title=app.title, version=app.version, routes=app.routes)
            app.openapi_schema = document_errors(doc)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _body_names_an_id(op: dict[str, Any], schemas: dict[str, Any]) -> bool:
    """Whether the JSON body has a field `*_id` (a model_id): an unknown one answers 404."""
    content = op.get("requestBody", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema", {})
    ref = schema.get("$ref", "")
    if ref.startswith("#/components/schemas/"):
        schema = schemas.get(ref.rsplit("/", 1)[1], {})
    return any(name.endswith("_id") for name in schema.get("properties", {}))


def _document(path: str, method: str, op: dict[str, Any], *, names_an_id: bool) -> None:
    statuses = ["400", "500", "503"]
    if op.get("parameters") or op.get("requestBody") or "422" in op.get("responses", {}):
        statuses.append("422")
    if "{" in path or names_an_id or path.startswith(ACCOUNT_PATHS):
        statuses.append("404")
    if path.startswith("/api/v1/") and path not in PUBLIC_PATHS:
        statuses.append("401")
    if path.startswith("/api/v1/users"):
        statuses.append("403")
    if method != "get":
        statuses += ["401", "403", "409", "413", "429"]
    responses = op.setdefault("responses", {})
    for status in statuses:
        responses.setdefault(status, {"description": WHY[status]})
    for status, response in responses.items():
        if not status.startswith(("4", "5")):
            continue
        fastapi_default = "HTTPValidationError" in str(response)
        if fastapi_default:
            response["description"] = WHY["422"]
        if fastapi_default or "content" not in response:  # a route's own model (health's 503) stays
            response["content"] = {"application/json": {"schema": ERROR_REF}}
