"""Edge inputs found by a probe that gave 500s or were silently accepted: each a clear 422.

Every case here is refused before anything is queued (the broker address is unreachable)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from shared.config import Settings
from shared.storage.migrate import upgrade
from simulator.main import create_app

SIM: dict[str, Any] = {"strategy": "sma_crossover", "symbols": ["SP500"]}


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    settings = Settings(var_dir=tmp_path, redis_url="redis://127.0.0.1:1/0")
    upgrade(settings.sqlalchemy_url)
    return TestClient(create_app(settings), raise_server_exceptions=False)


def _post(client: TestClient, path: str, text: str, **headers: str) -> Any:
    return client.post(path, content=text, headers={"Content-Type": "application/json", **headers})


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v1/simulations", '{"strategy": "sma_crossover", "symbols": ["SP500"], "initial_cash": NaN}', "initial_cash"),
        ("/api/v1/simulations", '{"strategy": "sma_crossover", "symbols": ["SP500"], "params": {"fast": Infinity}}', "params.fast"),
        ("/api/v1/simulations", '{"strategy": "sma_crossover", "symbols": ["SP500"], "costs": {"slippage_bps": NaN}}', "costs.slippage_bps"),
        ("/api/v1/sweeps", '{"strategy": "sma_crossover", "symbols": ["SP500"], "grid": {"fast": [5, NaN]}}', "grid.fast"),
        ("/api/v1/sweeps", '{"strategy": "sma_crossover", "symbols": ["SP500"], "grid": {"fast": {"start": 5, "stop": Infinity, "step": 1}}}', "grid.fast"),
        ("/api/v1/sweeps", '{"strategy": "sma_crossover", "symbols": ["SP500"], "grid": {"fast": {"start": -1e300, "stop": 1e300, "step": 1e-300}}}', "grid"),
        ("/api/v1/sweeps", '{"strategy": "sma_crossover", "symbols": ["SP500"], "grid": {"fast": {"start": 2, "stop": 3e7, "step": 1}}}', "grid"),
        ("/api/v1/simulations", '{"strategy": "sma_crossover", "symbols": ["SP500"], "start": 0}', "start"),
        ("/api/v1/simulations", '{"strategy": "sma_crossover", "symbols": ["SP500"], "end": 1500000000}', "end"),
    ],
)  # fmt: skip
def test_non_finite_huge_or_mistyped_values_are_a_422(
    client: TestClient, path: str, body: str, field: str
) -> None:
    resp = _post(client, path, body)
    assert resp.status_code == 422, resp.text
    assert resp.json()["field"].startswith(field), resp.json()


def test_an_offset_past_any_real_list_is_a_422(client: TestClient) -> None:
    resp = client.get("/api/v1/simulations", params={"offset": 2**63})
    assert resp.status_code == 422, resp.text
    assert resp.json()["field"] == "offset"


def test_an_empty_idempotency_key_is_a_422(client: TestClient) -> None:
    import json

    resp = _post(client, "/api/v1/simulations", json.dumps(SIM), **{"Idempotency-Key": ""})
    assert resp.status_code == 422, resp.text
    assert resp.json()["field"] == "Idempotency-Key"
