"""POST /api/v1/trainings refuses what cannot train, naming the field, before any job is queued;
GET /api/v1/algorithms serves what a training form is built from."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from shared.config import Settings
from shared.storage.migrate import upgrade
from trainer.main import create_app

GOOD: dict[str, Any] = {
    "model_name": "unit", "algorithm": "xgboost", "source": "builtin", "symbols": ["SP500"],
    "start": "2010-01-01", "end": "2014-12-31",
}  # fmt: skip


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    # A Redis that is not there: every case below must be refused before a job is queued.
    settings = Settings(var_dir=tmp_path, redis_url="redis://127.0.0.1:1/0")
    upgrade(settings.sqlalchemy_url)
    return TestClient(create_app(settings))


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"algorithm": "xgbost"}, "algorithm", "xgboost"),
        ({"hyperparameters": {"max_depth": 0}}, "hyperparameters.max_depth", "max_depth"),
        ({"hyperparameters": {"max_depth": 2.5}}, "hyperparameters.max_depth", "max_depth"),
        (
            {"hyperparameters": {"learning_rte": 0.1}},
            "hyperparameters.learning_rte",
            "learning_rate",
        ),
        (
            {"algorithm": "logistic_regression", "target": {"kind": "return"}},
            "target.kind",
            "regression",
        ),
        ({"start": "2014-06-01"}, "validation", "fold"),
        ({"symbols": ["AAPL"], "features": [{"kind": "volume_zscore"}]}, "features", "volume"),
        ({"features": [{"kind": "rsi", "params": {"period": 0}}]}, "features", "period"),
        ({"symbols": ["NOPE"]}, "symbols", "NOPE"),
    ],
)
def test_a_training_that_cannot_run_is_refused_with_its_field(
    client: TestClient, change: dict[str, Any], field: str, words: str
) -> None:
    resp = client.post("/api/v1/trainings", json={**GOOD, **change})
    assert resp.status_code == 422, resp.text
    body = resp.json()
    assert body["field"].startswith(field), body
    assert words in body["detail"], body


def test_model_names_must_be_safe_path_parts(client: TestClient) -> None:
    for name in ("../evil", "a/b", "", ".hidden"):
        resp = client.post("/api/v1/trainings", json={**GOOD, "model_name": name})
        assert resp.status_code == 422, name


def test_algorithms_declare_typed_hyperparameters_and_feature_kinds(client: TestClient) -> None:
    body = client.get("/api/v1/algorithms").json()
    names = {a["name"] for a in body["items"]}
    assert {
        "logistic_regression",
        "random_forest",
        "hist_gradient_boosting",
        "xgboost",
        "mlp",
    } <= names
    assert body["total"] == len(body["items"])
    for algorithm in body["items"]:
        for param in algorithm["params"]:
            if param["type"] in ("int", "float"):
                assert param["min"] <= param["default"] <= param["max"], (algorithm["name"], param)
            if param["type"] == "choice":
                assert param["default"] in param["choices"]
    kinds = {k["kind"] for k in body["feature_kinds"]}
    assert {"returns", "rsi", "macd", "volume_zscore", "atr"} <= kinds
    assert {f["kind"] for f in body["default_features"]} <= kinds
