"""The proxy forwards only /api/v1/<resource>/... route shapes, re-encoded, to a real HTTP server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from gateway.main import create_app
from gateway.paths import upstream_path
from shared.config import Settings
from shared.errors import NotFound
from shared.storage.migrate import upgrade
from tests.support.fake_service import FakeService, fake_service


@pytest.fixture(scope="module")
def service() -> Iterator[FakeService]:
    with fake_service() as service:
        yield service


@pytest.fixture(scope="module")
def client(
    tmp_path_factory: pytest.TempPathFactory, redis_url: str, service: FakeService
) -> Iterator[TestClient]:
    """One gateway for the module: building one per case would dominate the run time."""
    redis_url = redis_url.rsplit("/", 1)[0] + "/5"  # a Redis db no worker of the stack uses
    settings = Settings(
        var_dir=tmp_path_factory.mktemp("gateway"), redis_url=redis_url,
        trainer_url=service.url, simulator_url=service.url,
    )  # fmt: skip
    upgrade(settings.sqlalchemy_url)
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.fixture
def upstream(service: FakeService) -> FakeService:
    """The module's service, with what it saw so far forgotten."""
    service.seen.clear()
    return service


# The probe's paths, and their cousins: each one tries to leave /api/v1/<resource> on the service.
ESCAPES = [
    "/api/v1/simulations/%01",
    "/api/v1/simulations/..%2f..%2f..%2fmetrics",
    "/api/v1/simulations/..%2F..%2F..%2Freadyz",
    "/api/v1/simulations/%2e%2e/%2e%2e/%2e%2e/metrics",
    "/api/v1/simulations/%2E%2E/",
    "/api/v1/models/..%2f..%2fopenapi.json",
    "/api/v1/models/..%5c..%5copenapi.json",
    "/api/v1/models/x/%2e",
    "/api/v1/models//openapi.json",
    "/api/v1/models/a%0dX-Injected:%201",
    "/api/v1/models/a%7f",
    "/api/v1/models/%ff",  # not UTF-8 once decoded
]


@pytest.mark.parametrize("path", ESCAPES)
def test_an_unsafe_path_is_refused_and_never_reaches_a_service(
    client: TestClient, upstream: FakeService, path: str
) -> None:
    resp = client.get(path)
    assert resp.status_code == 404, resp.text
    body = resp.json()
    assert body["code"] == "not_found" and body["field"] == "path"
    assert body["detail"].startswith("path segment ")
    assert upstream.seen == []


def test_a_newline_in_the_path_matches_no_route_and_reaches_no_service(
    client: TestClient, upstream: FakeService
) -> None:
    resp = client.get("/api/v1/models/a%0d%0aX-Injected:%201")
    assert resp.status_code == 404 and resp.json()["code"] == "not_found"
    assert upstream.seen == []


@pytest.mark.parametrize(
    "raw_path",
    [
        b"/api/v1/models/.",
        b"/api/v1/models/x/../../../metrics",
        b"/api/v1/models/..",
        b"/api/v1/models/",
    ],
)
def test_literal_dot_segments_are_refused(raw_path: bytes) -> None:
    # An HTTP client library normalises these away before sending; curl --path-as-is does not.
    with pytest.raises(NotFound, match=r"^path segment "):
        upstream_path(raw_path, "models")


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/data/bars",
        "/api/v1/models/BRK%20B",  # a space in a symbol-like id
        "/api/v1/models/%C3%A9t%C3%A9/versions",  # unicode
        "/api/v1/models/a:b@c~d_e-f.g",  # characters a segment may hold literally
        "/api/v1/simulations/abc/stress/def",
    ],
)
def test_a_safe_path_reaches_the_service_with_the_same_shape(
    client: TestClient, upstream: FakeService, path: str
) -> None:
    resp = client.get(path, params={"symbol": "BRK B"})
    assert resp.status_code == 200, resp.text
    (seen,) = upstream.seen
    target, _, query = seen.target.partition("?")
    assert _decoded_segments(target) == _decoded_segments(path)
    assert query == "symbol=BRK+B"


def test_a_percent_sign_in_a_segment_is_forwarded_as_data(
    client: TestClient, upstream: FakeService
) -> None:
    # "%252e%252e" is the text "%2e%2e": the service must see that text, never a "..".
    assert client.get("/api/v1/models/%252e%252e").status_code == 200
    assert _decoded_segments(upstream.seen[0].target) == ["api", "v1", "models", "%2e%2e"]


def test_the_resource_alone_is_forwarded(client: TestClient, upstream: FakeService) -> None:
    assert client.get("/api/v1/models").status_code == 200
    assert upstream.targets() == ["/api/v1/models"]


def _decoded_segments(raw_path: str) -> list[str]:
    """An independent decoding: split on the literal slashes first, then unquote each part."""
    from urllib.parse import unquote

    return [unquote(part, errors="strict") for part in raw_path.lstrip("/").split("/")]
