"""Without API_KEY the platform takes writes only on loopback, whatever GATEWAY_HOST says; with a
key, the public health report keeps internal addresses to itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from gateway.main import create_app as gateway_app
from shared.config import Settings
from shared.storage.migrate import upgrade
from simulator.main import create_app as simulator_app


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    # 192.0.2.10 is one of this machine's names (ALLOWED_HOSTS): the Host check lets it through.
    settings = Settings(
        var_dir=tmp_path, redis_url="redis://127.0.0.1:1/0", allowed_hosts="192.0.2.10"
    )
    upgrade(settings.sqlalchemy_url)
    return settings


def test_a_write_arriving_on_a_public_address_without_a_key_is_refused(settings: Settings) -> None:
    # Probe: started by hand with `uvicorn --host 0.0.0.0` and no API_KEY, it took anonymous
    # writes from other machines; the start-up check only read GATEWAY_HOST.
    app = simulator_app(settings)
    public = TestClient(
        app, base_url="http://192.0.2.10:8002"
    )  # the address the request came in on
    resp = public.post("/api/v1/simulations", json={"strategy": "buy_and_hold", "symbols": ["X"]})
    assert resp.status_code == 403, resp.text
    assert "API_KEY" in resp.json()["detail"]
    assert public.get("/api/v1/strategies").status_code == 200  # reads stay open
    local = TestClient(app, base_url="http://127.0.0.1:8002")
    resp = local.post("/api/v1/simulations", json={"strategy": "nope", "symbols": ["X"]})
    assert resp.status_code == 422  # reached the route


def test_with_a_key_health_does_not_show_internal_addresses(tmp_path: Path) -> None:
    exposed = Settings(
        var_dir=tmp_path, redis_url="redis://127.0.0.1:1/0", api_key="k",
        trainer_url="http://10.9.8.7:8001", simulator_url="http://10.9.8.7:8002",
    )  # fmt: skip
    upgrade(exposed.sqlalchemy_url)
    body = TestClient(gateway_app(exposed)).get("/api/v1/health").json()
    text = str(body)
    assert body["status"] == "degraded"
    for secret in ("10.9.8.7", "127.0.0.1", ":1/", str(tmp_path)):
        assert secret not in text, (secret, body)
    assert body["components"]["trainer"]["status"] == "error"
    assert body["components"]["trainer"]["detail"]  # still says what kind of failure
