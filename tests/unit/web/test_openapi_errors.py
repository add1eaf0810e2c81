"""The OpenAPI documents say what the services really answer: the platform's error body for
every 4xx/5xx (not FastAPI's HTTPValidationError), the statuses a route can give, the SSE
stream as text/event-stream; and a 405 says which methods are allowed."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from gateway.main import create_app as gateway_app
from gateway.openapi import merged_openapi
from shared.config import Settings
from shared.storage.migrate import upgrade
from simulator.main import create_app as simulator_app
from trainer.main import create_app as trainer_app

APPS: dict[str, Callable[[Settings], FastAPI]] = {
    "simulator": simulator_app, "trainer": trainer_app,
}  # fmt: skip
ERROR_REF = "#/components/schemas/ErrorOut"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    settings = Settings(var_dir=tmp_path, redis_url="redis://127.0.0.1:1/0")
    upgrade(settings.sqlalchemy_url)
    return settings


def _operations(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, op)
        for path, item in doc["paths"].items()
        for method, op in item.items()
        if method in ("get", "post", "put", "patch", "delete")
    ]


def _check(doc: dict[str, Any]) -> None:
    assert "HTTPValidationError" not in str(doc)
    assert set(doc["components"]["schemas"]["ErrorOut"]["properties"]) == {
        "detail",
        "code",
        "field",
    }
    for path, method, op in _operations(doc):
        where = f"{method.upper()} {path}"
        responses = op["responses"]
        for status in ("500", "503"):
            assert status in responses, where
        if op.get("parameters") or op.get("requestBody"):
            assert "422" in responses, where
        if "{" in path:
            assert "404" in responses, where
        if method != "get":
            assert "409" in responses, where
        for status, response in responses.items():
            if status.startswith(("4", "5")) and path != "/api/v1/health":
                schema = response["content"]["application/json"]["schema"]
                assert schema == {"$ref": ERROR_REF}, (where, status, schema)


@pytest.mark.parametrize("service", APPS)
def test_each_service_documents_its_error_bodies(service: str, settings: Settings) -> None:
    _check(TestClient(APPS[service](settings)).get("/openapi.json").json())


def test_the_gateway_documents_its_own_routes_the_same_way(settings: Settings) -> None:
    app = gateway_app(settings)
    doc = asyncio.run(merged_openapi(app, {}))
    _check(doc)
    health_503 = doc["paths"]["/api/v1/health"]["get"]["responses"]["503"]
    assert health_503["content"]["application/json"]["schema"]["$ref"].endswith("/HealthOut")
    events = doc["paths"]["/api/v1/jobs/{job_id}/events"]["get"]["responses"]["200"]
    assert list(events["content"]) == ["text/event-stream"]


def test_a_wrong_method_says_which_are_allowed(settings: Settings) -> None:
    client = TestClient(simulator_app(settings))
    resp = client.delete("/api/v1/strategies")
    assert resp.status_code == 405
    assert resp.headers["allow"] == "GET, HEAD"
    assert resp.json()["code"] == "method_not_allowed"


def test_a_405_lists_every_method_of_the_path(settings: Settings) -> None:
    # Probe (schemathesis ST205): Allow named one route's methods, not the path's.
    client = TestClient(simulator_app(settings))
    resp = client.options("/api/v1/simulations")
    assert resp.status_code == 405
    assert resp.headers["allow"] == "GET, HEAD, POST"


def test_the_gateways_own_paths_answer_405_not_404(settings: Settings) -> None:
    # Probe (ST204): PUT /api/v1/health fell through to the proxy's "unknown resource" 404.
    client = TestClient(gateway_app(settings))
    for path in ("/api/v1/health", "/api/v1/jobs"):
        resp = client.put(path)
        assert resp.status_code == 405, (path, resp.text)
        assert resp.headers["allow"] == "GET, HEAD"


def test_every_body_taking_route_documents_400(settings: Settings) -> None:
    # Probe (ST103): a body that is not even JSON text is a 400 nobody documented.
    doc = TestClient(simulator_app(settings)).get("/openapi.json").json()
    for path, method, op in _operations(doc):
        if op.get("requestBody"):
            assert "400" in op["responses"], (method, path)


def test_a_body_naming_a_model_documents_404(settings: Settings) -> None:
    # Found by `make fuzz` (ST103): an unknown model_id in the body answers 404, undocumented.
    client = TestClient(simulator_app(settings))
    doc = client.get("/openapi.json").json()
    for path in ("/api/v1/simulations", "/api/v1/sweeps"):
        assert "404" in doc["paths"][path]["post"]["responses"], path
    resp = client.post(
        "/api/v1/simulations",
        json={"model_id": "no-such-model", "source": "builtin", "symbols": ["SP500"],
              "start": "2015-01-02", "end": "2015-12-31"},
    )  # fmt: skip
    assert (resp.status_code, resp.json()["code"]) == (404, "not_found")
    assert "404" not in doc["paths"]["/api/v1/data/downloads"]["post"]["responses"]


def test_the_event_stream_documents_its_events(settings: Settings) -> None:
    doc = asyncio.run(merged_openapi(gateway_app(settings), {}))
    stream = doc["paths"]["/api/v1/jobs/{job_id}/events"]["get"]["responses"]["200"]
    schema = stream["content"]["text/event-stream"]["schema"]
    assert schema["type"] == "object" and {"event", "data"} <= set(schema["properties"])
