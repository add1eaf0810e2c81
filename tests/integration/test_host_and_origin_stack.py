"""Real processes: the dashboard's own writes go through the gateway to the service behind it;
a cross-site form and a rebound host name are refused by the gateway and by the service itself."""

from __future__ import annotations

import httpx
import pytest

from tests.support.stack import Stack

pytestmark = pytest.mark.integration

BARS = b"date,open,high,low,close,volume\n2021-03-01,10,12,9,11,100\n2021-03-02,11,13,10,12,200\n"


def _upload(url: str, symbol: str, **headers: str) -> httpx.Response:
    files = {"file": ("bars.csv", BARS, "text/csv")}
    return httpx.post(f"{url}/api/v1/data/upload", files=files, data={"symbol": symbol},
                      headers=headers, timeout=30)  # fmt: skip


def test_a_same_origin_write_reaches_the_service_through_the_gateway(stack: Stack) -> None:
    # What the dashboard, served by the gateway, sends; the simulator sees another Host.
    page = stack.gateway_url
    resp = _upload(page, "origin-own", Origin=page, Referer=f"{page}/")
    assert resp.status_code == 201, resp.text


def test_cross_site_writes_are_refused_at_the_gateway_and_at_the_service(stack: Stack) -> None:
    for url in (stack.gateway_url, stack.simulator_url):
        resp = _upload(url, "origin-forged", Origin="http://evil.example")
        assert resp.status_code == 403, (url, resp.text)
        assert resp.json()["code"] == "bad_origin"
    listed = httpx.get(
        f"{stack.gateway_url}/api/v1/data/symbols", params={"source": "files"}, timeout=30
    ).json()
    assert "ORIGIN-FORGED" not in [s["symbol"] for s in listed["items"]]


def test_a_rebound_host_name_is_refused_everywhere(stack: Stack) -> None:
    for url in (stack.gateway_url, stack.simulator_url, stack.trainer_url):
        resp = httpx.get(f"{url}/healthz", headers={"Host": "evil.example"}, timeout=30)
        assert resp.status_code == 400, (url, resp.text)
        assert resp.json()["code"] == "bad_host"
        assert httpx.get(f"{url}/healthz", timeout=30).status_code == 200  # as 127.0.0.1:port
