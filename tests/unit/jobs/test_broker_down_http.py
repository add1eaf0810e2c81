"""The probe's case over HTTP: a submission with Redis down answers 503 at once, not a 500."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from shared.config import Settings
from shared.storage import jobs as store
from shared.storage.db import Database
from shared.storage.migrate import upgrade
from simulator.main import create_app


def test_a_download_submitted_with_redis_down_is_refused_with_503_and_a_failed_row(
    tmp_path: Path,
) -> None:
    settings = Settings(var_dir=tmp_path, redis_url="redis://127.0.0.1:1/0")
    upgrade(settings.sqlalchemy_url)
    client = TestClient(create_app(settings), raise_server_exceptions=False)
    body = {"source": "builtin", "symbols": ["SP500"]}
    headers = {"Idempotency-Key": "download-1"}
    for _ in range(2):  # the client's retry with the same key is refused the same way
        response = client.post("/api/v1/data/downloads", json=body, headers=headers)
        assert response.status_code == 503, response.text
        assert response.json()["code"] == "unavailable"
        assert "unreachable" in response.json()["detail"]
    db = Database(settings.sqlalchemy_url)
    rows, total = store.list_page(db, kind=None, status=None, limit=10, offset=0)
    db.dispose()
    assert total == 2 and {row.status for row in rows} == {"failed"}
    assert all("broker unreachable" in (row.error or "") for row in rows)
