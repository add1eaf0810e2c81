"""Every service answers only to its own host names, and takes writes only from its own origin.

Probe: with no key (the loopback default) a cross-site form upload got 201 and overwrote a stored
symbol, and any Host header was accepted, so a page using DNS rebinding could read everything.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pydantic
import pytest
import redis
from fastapi import FastAPI
from fastapi.testclient import TestClient

from gateway.main import create_app as gateway_app
from shared.config import Settings
from shared.storage.migrate import upgrade
from simulator.main import create_app as simulator_app
from tests.support.fake_service import FakeService, fake_service
from trainer.main import create_app as trainer_app

APPS: dict[str, Callable[[Settings], FastAPI]] = {
    "gateway": gateway_app, "trainer": trainer_app, "simulator": simulator_app,
}  # fmt: skip
NO_REDIS = "redis://127.0.0.1:1/0"  # nothing listens there: these checks come before any work
SIM = "http://127.0.0.1:8002"  # the simulator as `make up` serves it
BARS = b"date,open,high,low,close,volume\n2021-03-01,10,12,9,11,100\n2021-03-02,11,13,10,12,200\n"
FORGED = BARS.replace(b",9,11,100", b",9,9.5,100")  # valid bars, other prices
EVIL = {"Origin": "http://evil.example"}
NOT_A_STRATEGY = {"strategy": "nope", "symbols": ["X"]}  # 422 once it reaches the route


def _settings(tmp_path: Path, **overrides: object) -> Settings:
    # allowed_hosts=[] so that the test session's own entry (testserver) plays no part here.
    fields: dict[str, object] = {"var_dir": tmp_path, "redis_url": NO_REDIS, "allowed_hosts": []}
    settings = Settings(**(fields | overrides))  # type: ignore[arg-type]
    upgrade(settings.sqlalchemy_url)
    return settings


def _client(app: FastAPI, base_url: str = SIM) -> TestClient:
    return TestClient(app, base_url=base_url, raise_server_exceptions=False)


@pytest.fixture
def simulator(tmp_path: Path) -> TestClient:
    return _client(simulator_app(_settings(tmp_path)))


# --- Host ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("service", sorted(APPS))
@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.evil.example"])
def test_a_foreign_host_is_refused_by_every_service(
    service: str, host: str, tmp_path: Path
) -> None:
    # A page on evil.example whose name now resolves to 127.0.0.1 sends Host: evil.example.
    client = _client(APPS[service](_settings(tmp_path)))
    for path in ("/healthz", "/metrics", "/api/v1/jobs" if service == "gateway" else "/readyz"):
        resp = client.get(path, headers={"Host": host})
        assert resp.status_code == 400, (path, resp.text)
        body = resp.json()
        assert (body["code"], body["field"]) == ("bad_host", "Host")
        assert host.split(":")[0] in body["detail"] and "ALLOWED_HOSTS" in body["detail"]
    write = client.post("/api/v1/simulations", json=NOT_A_STRATEGY, headers={"Host": host})
    assert write.status_code == 400 and write.json()["code"] == "bad_host"


@pytest.mark.parametrize(
    "host", ["127.0.0.1:8000", "127.0.0.1", "localhost", "LocalHost:8002", "[::1]:8000", "::1"]
)
def test_loopback_names_are_served_on_any_port(host: str, simulator: TestClient) -> None:
    resp = simulator.get("/healthz", headers={"Host": host})
    assert resp.status_code == 200, resp.text


def test_listed_hosts_and_a_named_gateway_host_are_served(tmp_path: Path) -> None:
    settings = _settings(
        tmp_path,
        allowed_hosts="trade.example.com, simulator",
        gateway_host="10.1.2.3",
        accounts=True,
    )
    client = _client(simulator_app(settings))
    for host in ("trade.example.com", "TRADE.example.com:443", "simulator:8002", "10.1.2.3:8000"):
        assert client.get("/healthz", headers={"Host": host}).status_code == 200, host
    for host in ("example.com", "other.trade.example.com", "10.1.2.4:8000"):
        assert client.get("/healthz", headers={"Host": host}).status_code == 400, host


def test_a_wildcard_bind_address_is_no_host_name(tmp_path: Path) -> None:
    client = _client(simulator_app(_settings(tmp_path, gateway_host="0.0.0.0", accounts=True)))
    assert client.get("/healthz", headers={"Host": "0.0.0.0:8000"}).status_code == 400


def test_a_star_accepts_any_host(tmp_path: Path) -> None:
    client = _client(simulator_app(_settings(tmp_path, allowed_hosts="*")))
    assert client.get("/healthz", headers={"Host": "anything.example"}).status_code == 200


# --- Origin on writes ---------------------------------------------------------------------------


@pytest.fixture
def uploads(tmp_path: Path, redis_client: redis.Redis, redis_url: str) -> Iterator[TestClient]:
    before = set(redis_client.scan_iter(match="bars:*"))
    db14 = redis_url.rsplit("/", 1)[0] + "/14"
    settings = _settings(tmp_path / "var", data_dir=tmp_path / "data", redis_url=db14)
    with _client(simulator_app(settings)) as client:
        yield client
    created = set(redis_client.scan_iter(match="bars:*")) - before
    if created:
        redis_client.delete(*created)


def test_a_cross_site_form_upload_is_refused_and_stores_nothing(
    uploads: TestClient, tmp_path: Path
) -> None:
    mine = uploads.post("/api/v1/data/upload", files={"file": ("mine.csv", BARS, "text/csv")})
    assert mine.status_code == 201, mine.text
    stored = tmp_path / "data" / "uploads" / "MINE.parquet"
    before = stored.read_bytes()

    # What a form on evil.example posting to http://127.0.0.1:8002 sends (no key is needed here).
    forged = uploads.post(
        "/api/v1/data/upload", files={"file": ("mine.csv", FORGED, "text/csv")}, headers=EVIL
    )
    assert forged.status_code == 403, forged.text
    body = forged.json()
    assert (body["code"], body["field"]) == ("bad_origin", "Origin")
    assert "http://evil.example" in body["detail"] and "ALLOWED_ORIGINS" in body["detail"]
    assert stored.read_bytes() == before
    new = uploads.post(
        "/api/v1/data/upload", files={"file": ("new.csv", BARS, "text/csv")}, headers=EVIL
    )
    assert new.status_code == 403
    assert sorted(p.name for p in stored.parent.iterdir()) == ["MINE.parquet"]


@pytest.mark.parametrize(
    "headers",
    [
        EVIL,
        {"Origin": "null"},  # a sandboxed iframe or a file:// page
        {"Origin": "http://127.0.0.1:8888"},  # another server on this machine is another site
        {"Origin": "http://127.0.0.1.evil.example:8002"},
        {"Origin": "http://127.0.0.1:8002@evil.example"},
        {"Origin": "ftp://127.0.0.1:8002"},
        {"Referer": "http://evil.example/form.html"},  # no Origin: the Referer says where from
        {"Origin": "http://evil.example", "Referer": f"{SIM}/"},  # the Origin wins
    ],
    ids=str,
)
@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_a_write_from_another_origin_is_refused(
    method: str, headers: dict[str, str], simulator: TestClient
) -> None:
    resp = simulator.request(method, "/api/v1/simulations", json=NOT_A_STRATEGY, headers=headers)
    assert resp.status_code == 403, resp.text
    assert resp.json()["code"] == "bad_origin"


@pytest.mark.parametrize(
    "headers",
    [
        {},  # curl, scripts, the gateway's own forwarding
        {"Origin": SIM},
        {"Origin": SIM + "/"},
        {"Referer": f"{SIM}/dashboard/jobs?id=1"},
        {"Host": "localhost:8002", "Origin": "http://localhost:8002"},
        {"Host": "localhost", "Origin": "http://localhost"},  # port 80, said by neither
        {"Host": "localhost", "Origin": "https://localhost"},  # TLS ended by a proxy in front
        {"Host": "[::1]:8002", "Origin": "http://[::1]:8002"},
    ],
    ids=str,
)
def test_a_write_without_origin_or_from_the_same_origin_reaches_the_route(
    headers: dict[str, str], simulator: TestClient
) -> None:
    resp = simulator.post("/api/v1/simulations", json=NOT_A_STRATEGY, headers=headers)
    assert resp.status_code == 422, resp.text


def test_reads_from_another_origin_are_answered(simulator: TestClient) -> None:
    # A foreign page may load these (an <img>, a form GET): the browser keeps the answer from it.
    assert simulator.get("/api/v1/strategies", headers=EVIL).status_code == 200


def test_an_allowed_extra_origin_may_write(tmp_path: Path) -> None:
    settings = _settings(
        tmp_path, allowed_origins="http://localhost:5173, https://Dash.Example.com/"
    )
    client = _client(simulator_app(settings))
    for origin in ("http://localhost:5173", "https://dash.example.com"):
        resp = client.post("/api/v1/simulations", json=NOT_A_STRATEGY, headers={"Origin": origin})
        assert resp.status_code == 422, (origin, resp.text)
    for origin in ("http://dash.example.com", "http://localhost:5174", "https://example.com"):
        resp = client.post("/api/v1/simulations", json=NOT_A_STRATEGY, headers={"Origin": origin})
        assert resp.status_code == 403, origin


# --- the gateway --------------------------------------------------------------------------------


@pytest.fixture
def gateway(tmp_path: Path, redis_url: str) -> Iterator[tuple[TestClient, FakeService]]:
    with fake_service() as service:
        settings = _settings(
            tmp_path, redis_url=redis_url.rsplit("/", 1)[0] + "/5",
            trainer_url=service.url, simulator_url=service.url,
        )  # fmt: skip
        yield _client(gateway_app(settings), "http://127.0.0.1:8000"), service


def test_the_gateway_refuses_a_cross_site_write_before_forwarding_it(
    gateway: tuple[TestClient, FakeService],
) -> None:
    client, service = gateway
    resp = client.post(
        "/api/v1/data/upload", files={"file": ("x.csv", BARS, "text/csv")}, headers=EVIL
    )
    assert resp.status_code == 403 and resp.json()["code"] == "bad_origin"
    assert service.seen == []
    assert client.post("/api/v1/jobs/1/cancel", headers=EVIL).status_code == 403  # its own routes


def test_the_gateway_forwards_a_same_origin_write_without_its_origin(
    gateway: tuple[TestClient, FakeService],
) -> None:
    # The service is reached under another host name (127.0.0.1:8002, or `simulator` in Compose):
    # forwarded as is, the gateway's own Origin would look foreign there and be refused.
    client, service = gateway
    headers = {"Origin": "http://127.0.0.1:8000", "Referer": "http://127.0.0.1:8000/"}
    resp = client.post("/api/v1/simulations", json=NOT_A_STRATEGY, headers=headers)
    assert resp.status_code == 200, resp.text  # the fake service's answer
    [seen] = service.seen
    assert "origin" not in seen.headers and "referer" not in seen.headers
    assert seen.headers["content-type"] == "application/json"  # other headers still go


# --- settings -----------------------------------------------------------------------------------


def test_the_lists_are_read_from_comma_separated_environment_values(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ALLOWED_HOSTS", " Trade.Example.com:443, simulator,, [::1] ")
    monkeypatch.setenv("ALLOWED_ORIGINS", "https://Dash.example.com/, http://localhost:5173")
    settings = Settings()
    assert settings.allowed_hosts == ["trade.example.com", "simulator", "::1"]
    assert settings.allowed_origins == ["https://dash.example.com", "http://localhost:5173"]


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("ALLOWED_HOSTS", "https://trade.example.com", "host names only"),
        ("ALLOWED_HOSTS", "trade.example.com/app", "host names only"),
        ("ALLOWED_ORIGINS", "dash.example.com", "scheme://host[:port]"),
        ("ALLOWED_ORIGINS", "https://dash.example.com/app", "scheme://host[:port]"),
        ("ALLOWED_ORIGINS", "*", "scheme://host[:port]"),
    ],
)
def test_a_malformed_entry_refuses_to_load_and_says_how_to_fix_it(
    name: str, value: str, says: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(pydantic.ValidationError, match=name) as info:
        Settings()
    assert says in str(info.value) and value in str(info.value)
