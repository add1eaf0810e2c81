"""The /api/v1/models routes over a real registry and artifact store: codes, bodies, error text."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from shared.config import Settings
from shared.storage import models as registry
from shared.storage.db import Database
from shared.storage.migrate import upgrade
from trainer.main import create_app

API = "/api/v1/models"


@dataclass
class Env:
    settings: Settings
    db: Database
    client: TestClient

    def seed(
        self, name: str, *, meta: dict[str, Any] | None = None, write: bool = True, **fields: Any
    ) -> dict[str, Any]:
        """Register a model and write its folder: metadata.json and a dummy weights file."""
        spec: dict[str, Any] = {
            "framework": "sklearn", "algorithm": "random_forest", "task": "classify",
            "symbols": ["AAPL"], "source": "builtin", "interval": "1d",
            "trained_from": datetime(2024, 1, 1, tzinfo=UTC),
            "trained_to": datetime(2024, 12, 31, tzinfo=UTC), "metrics": {"sharpe": 1.0},
            "checksum": "sha256:abc", "training_id": None,
            "artifact_dir_for": lambda v: f"{name}/v{v}",
        }  # fmt: skip
        spec.update(fields)
        row = registry.register_model(self.db, name=name, **spec)
        if write:
            folder = self.settings.artifacts_path / row.artifact_dir
            folder.mkdir(parents=True)
            full = {"name": name, "version": row.version, **(meta or {})}
            (folder / "metadata.json").write_text(json.dumps(full))
            (folder / "model.bin").write_bytes(b"\x00weights\xff")
        return {"id": row.id, "version": row.version, "dir": row.artifact_dir}


@pytest.fixture
def env(tmp_path: Path) -> Iterator[Env]:
    settings = Settings(var_dir=tmp_path / "var", max_page_size=50)
    upgrade(settings.sqlalchemy_url)
    db = Database(settings.sqlalchemy_url)
    with TestClient(create_app(settings)) as client:
        yield Env(settings, db, client)
    db.dispose()


def test_the_list_filters_sorts_and_counts(env: Env) -> None:
    a = env.seed("alpha", metrics={"sharpe": 0.5})
    b = env.seed("beta", framework="xgboost", algorithm="xgb", symbols=["MSFT"], metrics={})
    c = env.seed("alpha", metrics={"sharpe": 2.0}, symbols=["AAPL", "MSFT"])
    page = env.client.get(API).json()
    assert (page["total"], page["limit"], page["offset"]) == (3, 50, 0)
    assert [m["id"] for m in page["items"]] == [c["id"], b["id"], a["id"]]  # newest first
    first = page["items"][2]
    assert (first["name"], first["version"], first["status"], first["stage"]) == (
        "alpha", 1, "ready", "none",
    )  # fmt: skip
    assert first["model_name"] == "alpha"  # the seed's names still read
    assert first["trained_on"] == first["created_at"].replace("Z", "+00:00")

    def ids(**params: Any) -> list[str]:
        answer = env.client.get(API, params=params)
        assert answer.status_code == 200, answer.text
        return [m["id"] for m in answer.json()["items"]]

    assert ids(framework="xgboost") == [b["id"]]
    assert ids(symbol="MSFT") == [c["id"], b["id"]]
    assert ids(name="alpha", sort="version", order="asc") == [a["id"], c["id"]]
    assert ids(sort="metrics.sharpe") == [c["id"], a["id"], b["id"]]  # beta has no sharpe: last
    assert ids(sort="metrics.sharpe", order="asc") == [a["id"], c["id"], b["id"]]
    two = env.client.get(API, params={"limit": 2, "offset": 2}).json()
    assert (two["total"], [m["id"] for m in two["items"]]) == (3, [a["id"]])


@pytest.mark.parametrize(
    ("params", "field", "says"),
    [
        ({"sort": "accuracy"}, "sort", "cannot sort models by 'accuracy'"),
        ({"stage": "live"}, "stage", "stage"),
        ({"order": "up"}, "order", "order"),
    ],
)
def test_bad_list_parameters_are_refused(
    env: Env, params: dict[str, str], field: str, says: str
) -> None:
    answer = env.client.get(API, params=params)
    assert answer.status_code == 422
    assert answer.json()["field"] == field and says in answer.json()["detail"]


def test_the_detail_carries_the_artifact_metadata(env: Env) -> None:
    meta = {"features": ["rsi_14", "ret_1"], "params": {"n_estimators": 50}}
    model = env.seed("alpha", meta=meta)
    answer = env.client.get(f"{API}/{model['id']}")
    assert answer.status_code == 200
    body = answer.json()
    assert body["metadata"] == {"name": "alpha", "version": 1, **meta}
    assert (body["id"], body["name"], body["symbols"], body["metrics"]) == (
        model["id"], "alpha", ["AAPL"], {"sharpe": 1.0},
    )  # fmt: skip
    assert body["trained_from"].startswith("2024-01-01T00:00:00")


@pytest.mark.parametrize("damage", ["folder", "metadata"])
def test_a_model_whose_artifact_is_gone_answers_409(env: Env, damage: str) -> None:
    model = env.seed("alpha")
    folder = env.settings.artifacts_path / model["dir"]
    if damage == "folder":
        (folder / "metadata.json").unlink()
        (folder / "model.bin").unlink()
        folder.rmdir()
    else:
        (folder / "metadata.json").write_text("{not json")
    for path in ("", "/feature-importance"):
        answer = env.client.get(f"{API}/{model['id']}{path}")
        assert answer.status_code == 409
        assert answer.json()["code"] == "artifact_missing"
        assert "restore the folder or delete the model" in answer.json()["detail"]
    assert env.client.get(API).json()["total"] == 1  # still listed, and still deletable
    assert env.client.delete(f"{API}/{model['id']}").status_code == 200


def test_versions_list_every_live_version_of_the_name(env: Env) -> None:
    v1, v2, v3 = (env.seed("alpha") for _ in range(3))
    env.seed("beta")
    env.client.delete(f"{API}/{v2['id']}")
    page = env.client.get(f"{API}/{v1['id']}/versions").json()
    assert page["total"] == 2
    assert [(m["id"], m["version"]) for m in page["items"]] == [(v3["id"], 3), (v1["id"], 1)]


def test_patch_sets_stage_tags_and_note_and_promotion_archives(env: Env) -> None:
    v1, v2 = env.seed("alpha"), env.seed("alpha")
    first = env.client.patch(f"{API}/{v1['id']}", json={"stage": "production", "tags": ["fx"]})
    assert first.status_code == 200
    assert (first.json()["stage"], first.json()["tags"]) == ("production", ["fx"])
    second = env.client.patch(f"{API}/{v2['id']}", json={"stage": "production", "note": "better"})
    assert (second.json()["stage"], second.json()["note"]) == ("production", "better")
    assert env.client.get(f"{API}/{v1['id']}").json()["stage"] == "archived"
    assert env.client.get(f"{API}/{v1['id']}").json()["tags"] == ["fx"]  # left as they were


@pytest.mark.parametrize(
    ("body", "field", "says"),
    [
        ({"stage": "live"}, "stage", "stage"),
        ({"tags": ["has space"]}, "tags", "tag 'has space' must be 1 to 64 letters"),
        ({"tags": ["x" * 65]}, "tags", "must be 1 to 64"),
        ({"tags": [""]}, "tags", "must be 1 to 64"),
        ({"tags": ["a", "a"]}, "tags", "tags are repeated"),
        ({"tags": [f"t{i}" for i in range(21)]}, "tags", "at most 20"),
        ({"note": "n" * 10_001}, "note", "at most 10000"),
        ({}, "body", "nothing to change"),
        ({"stage": "staging", "owner": "me"}, "owner", "Extra inputs"),
    ],
)
def test_patch_validation(env: Env, body: dict[str, Any], field: str, says: str) -> None:
    model = env.seed("alpha")
    answer = env.client.patch(f"{API}/{model['id']}", json=body)
    assert answer.status_code == 422
    assert answer.json()["field"] == field and says in answer.json()["detail"]
    assert env.client.get(f"{API}/{model['id']}").json()["stage"] == "none"


def test_delete_removes_the_folder_and_keeps_the_row_as_deleted(env: Env) -> None:
    keep, gone = env.seed("alpha"), env.seed("alpha")
    answer = env.client.delete(f"{API}/{gone['id']}")
    assert answer.status_code == 200
    assert (answer.json()["id"], answer.json()["status"]) == (gone["id"], "deleted")
    assert not (env.settings.artifacts_path / gone["dir"]).exists()
    assert list((env.settings.artifacts_path / "alpha").iterdir()) == [
        env.settings.artifacts_path / keep["dir"]
    ]  # no tombstone left behind, the other version untouched
    assert [m["id"] for m in env.client.get(API).json()["items"]] == [keep["id"]]
    assert env.client.get(f"{API}/{gone['id']}").status_code == 404
    assert env.seed("alpha")["version"] == 3  # the deleted number stays used


def test_a_production_model_cannot_be_deleted(env: Env) -> None:
    model = env.seed("alpha")
    env.client.patch(f"{API}/{model['id']}", json={"stage": "production"})
    answer = env.client.delete(f"{API}/{model['id']}")
    assert answer.status_code == 409
    assert "archive it or promote another version first" in answer.json()["detail"]
    assert (env.settings.artifacts_path / model["dir"] / "model.bin").exists()


def test_the_artifact_downloads_as_a_zip_of_the_folder(env: Env) -> None:
    model = env.seed("alpha")
    folder = env.settings.artifacts_path / model["dir"]
    (folder / "sub").mkdir()
    (folder / "sub" / "scaler.json").write_text('{"mean": 1}')
    answer = env.client.get(f"{API}/{model['id']}/artifact")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/zip"
    assert answer.headers["content-disposition"] == 'attachment; filename="alpha-v1.zip"'
    with zipfile.ZipFile(io.BytesIO(answer.content)) as archive:
        assert archive.namelist() == ["metadata.json", "model.bin", "sub/scaler.json"]
        assert archive.read("model.bin") == b"\x00weights\xff"
        assert json.loads(archive.read("metadata.json"))["name"] == "alpha"
    assert env.client.get(f"{API}/{model['id']}/artifact").content == answer.content


def test_feature_importance_is_ranked_largest_first(env: Env) -> None:
    scores = {"ret_1": 0.1, "rsi_14": 0.6, "vol_20": 0.3, "bad": float("nan")}
    model = env.seed("alpha", meta={"feature_importance": scores})
    answer = env.client.get(f"{API}/{model['id']}/feature-importance")
    assert answer.status_code == 200
    assert answer.json() == {
        "model_id": model["id"],
        "items": [
            {"feature": "rsi_14", "importance": 0.6}, {"feature": "vol_20", "importance": 0.3},
            {"feature": "ret_1", "importance": 0.1},
        ],
    }  # fmt: skip
    without = env.seed("beta", algorithm="lstm")
    missing = env.client.get(f"{API}/{without['id']}/feature-importance")
    assert missing.status_code == 404
    assert missing.json()["detail"] == (
        "beta v1 (lstm) has no feature importance; its algorithm does not report one"
    )


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", ""), ("get", "/versions"), ("get", "/artifact"), ("get", "/feature-importance"),
     ("delete", ""), ("patch", "")],
)  # fmt: skip
def test_an_unknown_id_is_404_naming_model_id(env: Env, method: str, path: str) -> None:
    kwargs: dict[str, Any] = {"json": {"note": "x"}} if method == "patch" else {}
    answer = env.client.request(method.upper(), f"{API}/nope{path}", **kwargs)
    assert answer.status_code == 404
    assert answer.json() == {
        "detail": "no model with id 'nope'", "code": "not_found", "field": "model_id",
    }  # fmt: skip


def test_a_folder_outside_the_store_is_never_read_or_removed(env: Env, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "metadata.json").write_text("{}")
    model = env.seed("alpha", write=False, artifact_dir_for=lambda v: "../../elsewhere")
    for method, path in (("GET", ""), ("GET", "/artifact"), ("DELETE", "")):
        answer = env.client.request(method, f"{API}/{model['id']}{path}")
        assert answer.status_code == 409
        assert answer.json()["code"] == "artifact_outside_store"
    assert (outside / "metadata.json").exists()
    assert env.client.get(API).json()["items"][0]["status"] == "ready"
