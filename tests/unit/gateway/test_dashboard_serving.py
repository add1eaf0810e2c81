"""The gateway serves the built dashboard at `/`; the app's own routes fall back to index.html,
while the API, docs and probes keep their answers and unknown API paths stay JSON 404s."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import gateway.main
from gateway.main import create_app
from shared.config import Settings
from shared.storage.migrate import upgrade
from tests.support.processes import free_port

INDEX = "<!doctype html><html><body><div id='root'></div>the app</body></html>"


@pytest.fixture
def client(tmp_path: Path, redis_url: str, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text(INDEX)
    (dist / "assets" / "index-abc.js").write_text("console.log('app')")
    monkeypatch.setattr(gateway.main, "DASHBOARD_DIRS", (dist, tmp_path / "placeholder"))
    dead = f"http://127.0.0.1:{free_port()}"
    settings = Settings(
        var_dir=tmp_path, redis_url=redis_url.rsplit("/", 1)[0] + "/5",
        trainer_url=dead, simulator_url=dead,
    )  # fmt: skip
    upgrade(settings.sqlalchemy_url)
    return TestClient(create_app(settings))


@pytest.mark.parametrize("path", ["/", "/simulations", "/simulations/3f2a9c", "/jobs", "/models/"])
def test_the_apps_routes_answer_with_its_index(client: TestClient, path: str) -> None:
    resp = client.get(path)
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("text/html")
    assert "the app" in resp.text


def test_its_files_are_served_and_a_missing_one_is_a_404(client: TestClient) -> None:
    assert client.get("/assets/index-abc.js").text == "console.log('app')"
    missing = client.get("/assets/index-gone.js")
    assert missing.status_code == 404
    assert "the app" not in missing.text


@pytest.mark.parametrize("path", ["/api/nothing", "/api/v2/jobs", "/api/v1/widgets"])
def test_unknown_api_paths_stay_json_404s(client: TestClient, path: str) -> None:
    resp = client.get(path)
    assert resp.status_code == 404
    assert resp.headers["content-type"] == "application/json"
    assert resp.json()["code"] == "not_found"


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/docs", "text/html"),
        ("/healthz", "application/json"),
        ("/metrics", "text/plain"),
        ("/api/v1/jobs", "application/json"),
    ],
)
def test_the_platforms_own_routes_are_not_swallowed(
    client: TestClient, path: str, content_type: str
) -> None:
    resp = client.get(path)
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith(content_type)
    assert "the app" not in resp.text


def test_without_a_build_the_placeholder_is_served(
    tmp_path: Path, redis_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    placeholder = Path(gateway.main.__file__).parents[1] / "dashboard" / "placeholder"
    monkeypatch.setattr(gateway.main, "DASHBOARD_DIRS", (tmp_path / "no-dist", placeholder))
    settings = Settings(var_dir=tmp_path, redis_url=redis_url.rsplit("/", 1)[0] + "/5")
    upgrade(settings.sqlalchemy_url)
    resp = TestClient(create_app(settings)).get("/")
    assert resp.status_code == 200
    assert "API documentation" in resp.text
