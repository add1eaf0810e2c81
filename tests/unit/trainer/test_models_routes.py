"""The trainer lists what the artifact store holds."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient

from shared.config import Settings
from trainer.main import create_app


def test_models_are_listed_newest_first_and_fetched_by_id(tmp_path: Path) -> None:
    settings = Settings(var_dir=tmp_path)
    for name, day in (("sma-old", "2024-01-01"), ("xgb-new", "2025-06-30")):
        (settings.artifacts_path / name).mkdir(parents=True)
        meta = {"model_name": name, "version": "1", "trained_on": day, "framework": "test"}
        (settings.artifacts_path / name / "metadata.json").write_text(json.dumps(meta))
    (settings.artifacts_path / "broken").mkdir()
    (settings.artifacts_path / "broken" / "metadata.json").write_text("{not json")
    client = TestClient(create_app(settings))
    page = client.get("/api/v1/models").json()
    assert page["total"] == 2
    assert [m["id"] for m in page["items"]] == ["xgb-new", "sma-old"]
    assert client.get("/api/v1/models/sma-old").json()["trained_on"] == "2024-01-01"
    missing = client.get("/api/v1/models/nope")
    assert missing.status_code == 404 and missing.json()["field"] == "model_id"
