"""Acceptance through the gateway: health, a data_download job with live progress, bad input."""

from __future__ import annotations

import json

import httpx
import pytest

from shared.storage import jobs as store
from tests.support.processes import wait_until
from tests.support.stack import QueuePause, Stack

pytestmark = pytest.mark.integration

DOWNLOAD = {"source": "builtin", "symbols": ["SP500", "NASDAQ"], "start": "2015-01-02",
            "end": "2018-12-31", "interval": "1d"}  # fmt: skip


def _api(stack: Stack) -> httpx.Client:
    return httpx.Client(base_url=stack.gateway_url + "/api/v1", timeout=30)


def _job_count(stack: Stack) -> int:
    return store.list_page(stack.db, kind=None, status=None, limit=1, offset=0)[1]


def test_health_reports_every_component_ok(stack: Stack) -> None:
    with _api(stack) as api:
        wait_until(lambda: api.get("/health").status_code == 200, 30, "healthy stack")
        body = api.get("/health").json()
    assert body["status"] == "ok"
    assert {"database", "redis", "trainer", "simulator", "workers"} <= set(body["components"])
    assert all(c["status"] == "ok" for c in body["components"].values())
    assert body["components"]["workers"]["queues"]["training"] >= 1
    assert body["components"]["workers"]["queues"]["simulation"] >= 1


def test_data_download_streams_progress_then_bars_come_from_cache(stack: Stack) -> None:
    pause = QueuePause(stack)  # hold the job until we listen
    events: list[dict] = []
    try:
        with _api(stack) as api:
            resp = api.post("/data/downloads", json=DOWNLOAD)
            assert resp.status_code == 202, resp.text
            job = resp.json()["job"]
            assert (job["kind"], job["status"]) == ("data_download", "queued")
            url = f"{stack.gateway_url}/api/v1/jobs/{job['id']}/events"
            with httpx.stream("GET", url, timeout=60) as stream:
                pause.resume()
                events = [
                    json.loads(line[5:]) for line in stream.iter_lines() if line.startswith("data:")
                ]
    finally:
        pause.resume()
    statuses = [e["status"] for e in events]
    assert statuses[0] == "queued" and "running" in statuses and statuses[-1] == "succeeded"
    assert {0.5, 1.0} <= {e["progress"] for e in events}  # one step per symbol
    result = events[-1]["result"]["symbols"]
    assert result["SP500"]["rows"] == result["NASDAQ"]["rows"] == 1006  # trading days 2015-2018
    cache = stack.settings.data_path / "cache" / "builtin" / "SP500"
    assert any(cache.glob("1d*")), "the job must leave the bars in the disk cache"
    with _api(stack) as api:
        bars = api.get("/data/bars", params={"source": "builtin", "symbol": "SP500",
                                             "start": "2015-01-02", "end": "2015-01-09"}).json()  # fmt: skip
    assert [b["timestamp"][:10] for b in bars["items"]] == [
        "2015-01-02", "2015-01-05", "2015-01-06", "2015-01-07", "2015-01-08", "2015-01-09"]  # fmt: skip
    first = bars["items"][0]
    assert first["low"] <= min(first["open"], first["close"]) <= first["high"]


def test_same_idempotency_key_makes_one_job(stack: Stack) -> None:
    headers = {"Idempotency-Key": "acceptance-key-1"}
    with _api(stack) as api:
        first = api.post("/data/downloads", json=DOWNLOAD, headers=headers)
        before = _job_count(stack)
        second = api.post("/data/downloads", json=DOWNLOAD, headers=headers)
        assert first.status_code == second.status_code == 202
        assert first.json()["job"]["id"] == second.json()["job"]["id"]
        assert _job_count(stack) == before
        other = api.post(
            "/data/downloads", json={**DOWNLOAD, "symbols": ["SP500"]}, headers=headers
        )
        assert other.status_code == 409
        assert other.json()["code"] == "idempotency_conflict"
        assert _job_count(stack) == before


@pytest.mark.parametrize(
    ("change", "field", "phrase"),
    [
        ({"symbols": ["NOPE"]}, "symbols", "NOPE"),
        ({"start": "2018-01-10", "end": "2018-01-01"}, "end", "before"),
        ({"source": "moon"}, "source", "moon"),
        ({"interval": "7s"}, "interval", "7s"),
        ({"symbols": []}, "symbols", ""),
    ],
)
def test_bad_download_requests_are_4xx_naming_the_field(
    stack: Stack, change: dict, field: str, phrase: str
) -> None:
    before = _job_count(stack)
    with _api(stack) as api:
        resp = api.post("/data/downloads", json={**DOWNLOAD, **change})
    assert resp.status_code in (400, 404, 422), resp.text
    body = resp.json()
    assert body["field"].startswith(field) and phrase in body["detail"]
    assert _job_count(stack) == before, "nothing may be written for a rejected request"


def test_uploads_are_validated_through_the_gateway(stack: Stack) -> None:
    uploads = stack.settings.data_path / "uploads"
    good = "date,open,high,low,close,volume\n2024-01-02,10,11,9,10.5,100\n2024-01-03,10.5,12,10,11,120\n"
    bad = "date,open,high,low,close\n2024-01-02,10,11,9,10.5\n2024-01-03,ten,12,10,11\n"
    with _api(stack) as api:
        resp = api.post("/data/upload", files={"file": ("ACME.csv", good, "text/csv")})
        assert resp.status_code in (200, 201), resp.text
        before = sorted(p.name for p in uploads.iterdir())
        malformed = api.post("/data/upload", files={"file": ("BAD.csv", bad, "text/csv")})
        assert malformed.status_code == 422
        assert "open" in malformed.json()["detail"]
        huge = api.post("/data/upload", files={"file": ("BIG.csv", "x" * 300_000, "text/csv")})
        assert huge.status_code == 413
        assert sorted(p.name for p in uploads.iterdir()) == before
        bars = api.get("/data/bars", params={"source": "files", "symbol": "ACME"}).json()
    assert [b["close"] for b in bars["items"]] == [10.5, 11.0]


def test_openapi_lists_every_service_path(stack: Stack) -> None:
    paths = httpx.get(f"{stack.gateway_url}/openapi.json", timeout=10).json()["paths"]
    for path in ("/api/v1/health", "/api/v1/jobs", "/api/v1/data/bars", "/api/v1/data/downloads",
                 "/api/v1/models"):  # fmt: skip
        assert path in paths
    assert httpx.get(f"{stack.gateway_url}/docs", timeout=10).status_code == 200
