"""The model registry on SQLite and PostgreSQL: versions, stages, deletion, filters, sorts, pages."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from shared.errors import Conflict, NotFound, ValidationError
from shared.storage import models as registry
from shared.storage.db import Database
from shared.storage.tables import ModelRow

DAY0 = datetime(2025, 1, 1, tzinfo=UTC)


def _register(db: Database, name: str, **fields: Any) -> ModelRow:
    spec: dict[str, Any] = {
        "framework": "sklearn", "algorithm": "random_forest", "task": "classify",
        "symbols": ["AAPL"], "source": "builtin", "interval": "1d", "trained_from": DAY0,
        "trained_to": DAY0 + timedelta(days=300), "metrics": {}, "checksum": "sha256:00",
        "training_id": None,
    }  # fmt: skip
    spec.update(fields)
    return registry.register_model(db, name=name, artifact_dir_for=lambda v: f"{name}/v{v}", **spec)


def _set_created(db: Database, model_id: str, day: int) -> None:
    with db.transaction() as s:
        row = s.get(ModelRow, model_id)
        assert row is not None
        row.created_at = DAY0 + timedelta(days=day)


def test_versions_count_up_per_name_and_name_their_folder(database: Database) -> None:
    a1, a2, b1, a3 = (_register(database, n) for n in ("alpha", "alpha", "beta", "alpha"))
    assert [(m.name, m.version) for m in (a1, a2, b1, a3)] == [
        ("alpha", 1), ("alpha", 2), ("beta", 1), ("alpha", 3),
    ]  # fmt: skip
    assert a3.artifact_dir == "alpha/v3"
    assert (a3.status, a3.stage, a3.tags, a3.note) == ("ready", "none", [], "")
    stored = registry.get_model(database, a3.id)
    assert stored.trained_to == DAY0 + timedelta(days=300)  # comes back aware, in UTC
    assert registry.next_version(database, "alpha") == 4
    assert registry.next_version(database, "never-trained") == 1


def test_a_deleted_version_number_is_never_handed_out_again(database: Database) -> None:
    _register(database, "alpha")
    newest = _register(database, "alpha")
    deleted = registry.mark_deleted(database, newest.id)
    assert deleted.status == "deleted"
    assert _register(database, "alpha").version == 3
    with pytest.raises(NotFound) as lost:
        registry.get_model(database, newest.id)
    assert lost.value.field == "model_id" and newest.id in lost.value.detail
    assert registry.get_model(database, newest.id, include_deleted=True).version == 2
    assert [m.version for m in registry.versions(database, "alpha")] == [3, 1]
    with pytest.raises(NotFound):
        registry.mark_deleted(database, newest.id)  # already gone


def test_a_version_taken_by_a_concurrent_registration_moves_to_the_next(database: Database) -> None:
    raced: list[ModelRow] = []

    def dir_for(version: int) -> str:
        if not raced:  # another trainer registers the same name between our read and insert
            raced.append(_register(database, "alpha"))
        return f"alpha/v{version}"

    spec = {
        "framework": "xgboost", "algorithm": "xgb", "task": "regress", "symbols": ["X"],
        "source": "builtin", "interval": "1d", "trained_from": None, "trained_to": None,
        "metrics": {}, "checksum": "c", "training_id": None,
    }  # fmt: skip
    ours = registry.register_model(database, name="alpha", artifact_dir_for=dir_for, **spec)
    assert (raced[0].version, ours.version, ours.artifact_dir) == (1, 2, "alpha/v2")


def test_an_id_already_in_use_is_a_conflict(database: Database) -> None:
    first = _register(database, "alpha")
    with pytest.raises(Conflict) as clash:
        _register(database, "beta", id=first.id)
    assert clash.value.field == "id"


def test_promoting_to_production_archives_the_previous_production(database: Database) -> None:
    v1, v2, v3 = (_register(database, "alpha") for _ in range(3))
    other = _register(database, "beta")
    registry.update_model(database, v1.id, stage="production")
    registry.update_model(database, other.id, stage="production")
    registry.update_model(database, v2.id, stage="staging")
    promoted = registry.update_model(database, v3.id, stage="production")
    assert promoted.stage == "production"
    stages = {m.version: m.stage for m in registry.versions(database, "alpha")}
    assert stages == {1: "archived", 2: "staging", 3: "production"}
    assert registry.get_model(database, other.id).stage == "production"  # another name: untouched


def test_production_cannot_be_deleted_until_it_is_archived(database: Database) -> None:
    model = _register(database, "alpha")
    registry.update_model(database, model.id, stage="production")
    with pytest.raises(Conflict) as refused:
        registry.mark_deleted(database, model.id)
    assert "archive it or promote another version first" in refused.value.detail
    assert registry.get_model(database, model.id).status == "ready"
    registry.update_model(database, model.id, stage="archived")
    assert registry.mark_deleted(database, model.id).status == "deleted"


def test_tags_and_note_change_only_what_is_given(database: Database) -> None:
    model = _register(database, "alpha")
    registry.update_model(database, model.id, tags=["fx", "v:2"], note="first try")
    registry.update_model(database, model.id, stage="staging")
    stored = registry.get_model(database, model.id)
    assert (stored.stage, stored.tags, stored.note) == ("staging", ["fx", "v:2"], "first try")
    with pytest.raises(ValidationError) as bad:
        registry.update_model(database, model.id, stage="live")
    assert bad.value.field == "stage"
    with pytest.raises(NotFound):
        registry.update_model(database, "no-such-id", note="x")


def test_metrics_that_are_not_finite_are_stored_as_null(database: Database) -> None:
    model = _register(database, "alpha", metrics={"sharpe": 1.5, "sortino": math.inf, "x": None})
    assert registry.get_model(database, model.id).metrics == {
        "sharpe": 1.5, "sortino": None, "x": None,
    }  # fmt: skip
    with pytest.raises(ValidationError) as bad:
        _register(database, "alpha", metrics={"sharpe": "high"})
    assert bad.value.field == "metrics"


# name, framework, algorithm, symbols, tags, stage, metrics; created on day = index
CATALOGUE = [
    ("alpha", "sklearn", "random_forest", ["AAPL", "MSFT"], ["fx"], "none", {"sharpe": 1.0}),
    ("alpha", "sklearn", "random_forest", ["AAPL"], [], "staging", {"sharpe": 2.5}),
    ("beta", "xgboost", "xgb", ["MSFT"], ["fx", "daily"], "production", {}),
    ("gamma", "torch", "lstm", ["BTC-USD"], ["daily"], "none", {"sharpe": -0.5}),
    ("beta", "xgboost", "xgb", ["AAPL"], [], "none", {"sharpe": None, "hit_rate": 0.6}),
    ("delta", "sklearn", "logistic", ["AAPL"], ["fx"], "archived", {"sharpe": 2.5}),
]


@pytest.fixture
def catalogue(database: Database) -> list[ModelRow]:
    rows = []
    for day, (name, framework, algorithm, symbols, tags, stage, metrics) in enumerate(CATALOGUE):
        row = _register(
            database, name, framework=framework, algorithm=algorithm, symbols=symbols,
            metrics=metrics,
        )  # fmt: skip
        _set_created(database, row.id, day)
        rows.append(registry.update_model(database, row.id, stage=stage, tags=tags))
    gone = _register(database, "alpha", symbols=["AAPL"])  # deleted: never listed
    registry.mark_deleted(database, gone.id)
    return rows


def _ids(rows: list[ModelRow]) -> list[str]:
    return [r.id for r in rows]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, [5, 4, 3, 2, 1, 0]),
        ({"name": "alpha"}, [1, 0]),
        ({"framework": "xgboost"}, [4, 2]),
        ({"algorithm": "lstm"}, [3]),
        ({"symbol": "AAPL"}, [5, 4, 1, 0]),
        ({"symbol": "AAP"}, []),  # whole symbols only, not substrings
        ({"tag": "fx"}, [5, 2, 0]),
        ({"stage": "production"}, [2]),
        ({"symbol": "MSFT", "tag": "fx", "framework": "sklearn"}, [0]),
    ],
)
def test_filters_select_exactly_the_matching_live_models(
    database: Database, catalogue: list[ModelRow], filters: dict[str, str], expected: list[int]
) -> None:
    rows, total = registry.list_models(database, limit=50, offset=0, **filters)
    assert _ids(rows) == [catalogue[i].id for i in expected]  # newest first by default
    assert total == len(expected)


def test_metric_sort_puts_models_without_the_figure_last(
    database: Database, catalogue: list[ModelRow]
) -> None:
    def order(direction: str) -> list[str]:
        rows, total = registry.list_models(
            database, sort="metrics.sharpe", order=direction, limit=50, offset=0
        )
        assert total == len(CATALOGUE)
        return _ids(rows)

    # ties (2.5 twice) fall back to the version, then the id: alpha v2 against delta v1
    best_first = [catalogue[i].id for i in (1, 5, 0, 3)]
    worst_first = [catalogue[i].id for i in (3, 0, 5, 1)]
    assert order("desc")[:4] == best_first and order("asc")[:4] == worst_first
    assert set(order("desc")[4:]) == set(order("asc")[4:]) == {catalogue[2].id, catalogue[4].id}


@pytest.mark.parametrize(
    ("sort", "filters"),
    [("created_at", {}), ("name", {}), ("version", {}), ("created_at", {"tag": "fx"}),
     ("metrics.sharpe", {})],
)  # fmt: skip
def test_pages_cover_the_whole_list_once_with_the_full_total(
    database: Database, catalogue: list[ModelRow], sort: str, filters: dict[str, str]
) -> None:
    everything, total = registry.list_models(database, sort=sort, limit=50, offset=0, **filters)
    pages = []
    for offset in range(0, total + 2, 2):
        page, page_total = registry.list_models(
            database, sort=sort, limit=2, offset=offset, **filters
        )
        assert page_total == total
        pages += page
    assert _ids(pages) == _ids(everything)
    assert len(set(_ids(pages))) == total


def test_sorting_by_name_and_version(database: Database, catalogue: list[ModelRow]) -> None:
    rows, _ = registry.list_models(database, sort="name", order="asc", limit=50, offset=0)
    assert [(r.name, r.version) for r in rows] == [
        ("alpha", 1), ("alpha", 2), ("beta", 1), ("beta", 2), ("delta", 1), ("gamma", 1),
    ]  # fmt: skip
    rows, _ = registry.list_models(database, sort="version", order="desc", limit=50, offset=0)
    assert [r.version for r in rows] == sorted((r.version for r in catalogue), reverse=True)


@pytest.mark.parametrize(
    ("sort", "order", "field"),
    [("accuracy", "desc", "sort"), ("metrics.", "desc", "sort"), ("name", "up", "order")],
)
def test_an_unknown_sort_or_order_is_refused(
    database: Database, sort: str, order: str, field: str
) -> None:
    with pytest.raises(ValidationError) as bad:
        registry.list_models(database, sort=sort, order=order, limit=5, offset=0)
    assert bad.value.field == field


def test_versions_of_an_unknown_name_is_not_found(database: Database) -> None:
    with pytest.raises(NotFound) as missing:
        registry.versions(database, "nobody")
    assert missing.value.field == "name"
