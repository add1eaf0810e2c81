"""One OpenAPI document for the whole platform: the gateway's own paths plus each service's."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from gateway.clients import ServiceClient
from shared.web.openapi import document_errors


async def merged_openapi(app: FastAPI, services: dict[str, ServiceClient]) -> dict[str, Any]:
    """The gateway's schema with the services' /api/v1 paths and components merged in."""
    doc = get_openapi(title=app.title, version=app.version, routes=app.routes)
    names = list(services)
    parts = await asyncio.gather(*(services[n].openapi() for n in names))
    missing = []
    for name, part in zip(names, parts, strict=True):
        if part is None:
            missing.append(name)
            continue
        for path, item in part.get("paths", {}).items():
            if path.startswith("/api/v1/"):
                doc["paths"].setdefault(path, item)
        schemas = part.get("components", {}).get("schemas", {})
        doc.setdefault("components", {}).setdefault("schemas", {}).update(schemas)
    if missing:
        doc["info"]["description"] = f"Unavailable now, so not listed: {', '.join(missing)}."
    return document_errors(doc)
