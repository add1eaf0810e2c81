"""The contract the dashboard's client is generated from: typed responses and one page rule."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sse_starlette import EventSourceResponse

from gateway.main import create_app as gateway_app
from shared.config import Settings
from shared.storage.migrate import upgrade
from simulator.main import create_app as simulator_app
from trainer.main import create_app as trainer_app

APPS: dict[str, Callable[[Settings], FastAPI]] = {
    "gateway": gateway_app, "simulator": simulator_app, "trainer": trainer_app,
}  # fmt: skip
LISTS = {
    "gateway": ["/api/v1/jobs"],
    "simulator": [
        "/api/v1/data/symbols?source=builtin", "/api/v1/simulations",
        "/api/v1/simulations/any/trades", "/api/v1/simulations/any/stress", "/api/v1/sweeps",
        "/api/v1/sweeps/any/combinations",
    ],
    "trainer": ["/api/v1/models", "/api/v1/models/any/versions", "/api/v1/trainings"],
}  # fmt: skip


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    settings = Settings(var_dir=tmp_path, max_page_size=7)
    upgrade(settings.sqlalchemy_url)
    return settings


@pytest.mark.parametrize("service", APPS)
def test_every_route_declares_what_it_returns(service: str, settings: Settings) -> None:
    app = APPS[service](settings)
    untyped = [
        f"{'/'.join(sorted(route.methods))} {route.path}"
        for route in app.routes
        if isinstance(route, APIRoute)
        and route.include_in_schema
        and route.response_model is None
        and route.response_class is not EventSourceResponse
        and not _declares_a_file(route)
    ]
    assert untyped == []


def _declares_a_file(route: APIRoute) -> bool:
    # A download has no JSON model: it names its media type (application/zip) in `responses`.
    content = route.responses.get(200, {}).get("content", {})
    return bool(content) and "application/json" not in content


@pytest.mark.parametrize(("service", "path"), [(s, p) for s, paths in LISTS.items() for p in paths])
def test_every_list_has_the_same_page_rule(service: str, path: str, settings: Settings) -> None:
    client = TestClient(APPS[service](settings))
    join = "&" if "?" in path else "?"
    too_big = client.get(f"{path}{join}limit=8")
    assert too_big.status_code == 422
    assert too_big.json()["field"] == "limit"
    assert "limit 8 is above the largest page size, 7 (MAX_PAGE_SIZE)" in too_big.json()["detail"]
    assert client.get(f"{path}{join}limit=0").status_code == 422
    first = client.get(path)
    if first.status_code == 200:  # lists under an unknown id answer 404 once the limit is fine
        assert first.json()["limit"] == 7  # the default page (50) never exceeds the cap
        assert set(first.json()) >= {"items", "total", "limit", "offset"}
    else:
        assert first.status_code == 404
