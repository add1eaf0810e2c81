"""The gateway on its own: routing errors, a service that is down, settings that are unsafe."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from gateway.main import create_app
from shared.config import Settings
from shared.storage.migrate import upgrade
from tests.support.processes import free_port


@pytest.fixture
def client(tmp_path: Path, redis_url: str) -> TestClient:
    redis_url = redis_url.rsplit("/", 1)[0] + "/5"  # a Redis db no worker of the stack uses
    dead = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    settings = Settings(var_dir=tmp_path, redis_url=redis_url, trainer_url=dead, simulator_url=dead)
    upgrade(settings.sqlalchemy_url)
    return TestClient(create_app(settings))


def test_a_down_service_is_a_503_naming_it(client: TestClient) -> None:
    resp = client.get("/api/v1/data/sources")
    assert resp.status_code == 503
    body = resp.json()
    assert body["code"] == "service_unavailable"
    assert body["detail"].startswith("the simulator service is unreachable at http://127.0.0.1:")


def test_unknown_resource_is_a_404_listing_the_known_ones(client: TestClient) -> None:
    resp = client.get("/api/v1/widgets")
    assert resp.status_code == 404
    assert resp.json()["detail"].startswith(
        "unknown resource /api/v1/widgets; known: algorithms, auth, data, health, jobs"
    )


def test_health_is_degraded_and_says_why(client: TestClient) -> None:
    resp = client.get("/api/v1/health")
    assert resp.status_code == 503
    body = resp.json()
    assert body["status"] == "degraded"
    assert body["components"]["database"]["status"] == "ok"
    assert body["components"]["redis"]["status"] == "ok"
    assert body["components"]["simulator"]["status"] == "error"
    assert body["components"]["workers"]["queues"] == {"training": 0, "simulation": 0}


def test_oversize_body_is_refused_before_it_reaches_a_service(
    tmp_path: Path, redis_url: str
) -> None:
    settings = Settings(var_dir=tmp_path, redis_url=redis_url, max_upload_bytes=1000)
    upgrade(settings.sqlalchemy_url)
    client = TestClient(create_app(settings))
    resp = client.post("/api/v1/data/upload", content=b"x" * 200_000)
    assert resp.status_code == 413
    assert "exceeds the limit of 1000 bytes (MAX_UPLOAD_BYTES)" in resp.json()["detail"]


def test_writes_need_the_api_key_when_one_is_set(tmp_path: Path, redis_url: str) -> None:
    settings = Settings(var_dir=tmp_path, redis_url=redis_url, api_key="s3cret")
    upgrade(settings.sqlalchemy_url)
    client = TestClient(create_app(settings))
    resp = client.post("/api/v1/jobs/x/cancel")
    assert resp.status_code == 401 and resp.json()["field"] == "X-API-Key"
    assert client.post("/api/v1/jobs/x/cancel", headers={"X-API-Key": "s3cret"}).status_code == 404
    assert client.get("/api/v1/jobs").status_code == 200


def test_a_public_address_without_accounts_is_refused() -> None:
    with pytest.raises(ValueError, match="set ACCOUNTS=true"):
        Settings(gateway_host="0.0.0.0")
    with pytest.raises(ValueError, match="set ACCOUNTS=true"):  # one shared key is no accounts
        Settings(gateway_host="0.0.0.0", api_key="k")
    assert Settings(gateway_host="0.0.0.0", accounts=True).gateway_host == "0.0.0.0"


def test_metrics_count_requests_and_jobs(client: TestClient) -> None:
    client.get("/api/v1/jobs")
    text = client.get("/metrics").text
    assert (
        'http_requests_total{method="GET",route="/api/v1/jobs",service="gateway",status="200"}'
        in text
    )
    assert "queue_depth" in text
    # nothing queued and no worker on this test's Redis database: the gauges say so, per queue
    assert 'queue_depth{queue="training"} 0.0' in text
    assert 'workers{queue="simulation"} 0.0' in text
