"""A service that drops its keep-alive connection: idempotent requests retry once, POST never."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from gateway.clients import ServiceClient
from gateway.main import create_app
from shared.config import Settings
from shared.errors import Unavailable
from shared.storage.migrate import upgrade
from tests.support.fake_service import FakeService, fake_service


@pytest.fixture
def hangs_up() -> Iterator[FakeService]:
    """Answers 500 once per connection, then reads the next request and closes without a word."""
    with fake_service(status=500, answers_per_connection=1) as service:
        yield service


async def _forward(client: ServiceClient, method: str, path: str) -> int:
    answer = await client.forward(method, path, [(b"content-type", b"application/json")], b"{}")
    await answer.read()
    return answer.status


def _two_requests(service: FakeService, method: str) -> int:
    """A GET that primes the pooled connection, then `method` on it; the second answer's status."""

    async def run() -> int:
        client = ServiceClient("simulator", service.url, timeout_s=5)
        try:
            assert await _forward(client, "GET", "/api/v1/simulations") == 500
            return await _forward(client, method, "/api/v1/simulations/abc")
        finally:
            await client.aclose()

    return asyncio.run(run())


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_an_idempotent_request_on_a_dropped_connection_is_retried_on_a_fresh_one(
    hangs_up: FakeService, method: str
) -> None:
    assert _two_requests(hangs_up, method) == 500  # the service's own answer, not a 503
    # Seen: the priming GET, the request the service dropped, and its one retry.
    assert [(r.method, r.target) for r in hangs_up.seen] == [
        ("GET", "/api/v1/simulations"),
        (method, "/api/v1/simulations/abc"),
        (method, "/api/v1/simulations/abc"),
    ]
    assert hangs_up.connections == 2


@pytest.mark.parametrize("method", ["POST", "PATCH"])
def test_a_write_on_a_dropped_connection_is_a_503_and_is_sent_once(
    hangs_up: FakeService, method: str
) -> None:
    with pytest.raises(Unavailable, match="the simulator service is unreachable at"):
        _two_requests(hangs_up, method)
    assert [r.method for r in hangs_up.seen] == ["GET", method]


def test_a_retry_that_fails_too_is_a_503() -> None:
    # Every connection is dropped before its first answer: the retry cannot help and says so.
    with fake_service(answers_per_connection=0) as service:

        async def run() -> None:
            client = ServiceClient("trainer", service.url, timeout_s=5)
            try:
                await _forward(client, "GET", "/api/v1/models")
            finally:
                await client.aclose()

        with pytest.raises(Unavailable, match="the trainer service is unreachable at"):
            asyncio.run(run())
        assert service.targets() == ["/api/v1/models", "/api/v1/models"]  # once, then one retry


def test_through_the_gateway_the_request_after_a_500_gets_the_services_answer(
    tmp_path: Path, redis_url: str, hangs_up: FakeService
) -> None:
    redis_url = redis_url.rsplit("/", 1)[0] + "/5"  # a Redis db no worker of the stack uses
    settings = Settings(
        var_dir=tmp_path, redis_url=redis_url, trainer_url=hangs_up.url, simulator_url=hangs_up.url
    )
    upgrade(settings.sqlalchemy_url)
    with TestClient(create_app(settings)) as client:
        assert client.get("/api/v1/simulations").status_code == 500  # the connection stays pooled
        refused = client.post("/api/v1/simulations", json={})  # ...and is dropped under the POST
        assert client.get("/api/v1/simulations").status_code == 500  # a new pooled connection
        resp = client.get("/api/v1/simulations/abc")  # dropped, then retried on a fresh one
    assert refused.status_code == 503 and refused.json()["code"] == "service_unavailable"
    assert resp.status_code == 500 and resp.json()["target"] == "/api/v1/simulations/abc"
    assert [r.method for r in hangs_up.seen] == ["GET", "POST", "GET", "GET", "GET"]
