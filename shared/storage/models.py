"""The model registry in SQL: register versions, find, list, stage, tag and delete models.

The database is the index and the artifact folder the store: a row names its folder, and a
deleted model keeps its row so that its version number is never handed out again.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, get_args

from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError

from shared.errors import Conflict, NotFound, ValidationError
from shared.schemas.models import ModelStage
from shared.storage.db import Database, utcnow
from shared.storage.owners import EVERYONE, OwnerScope, scoped
from shared.storage.tables import ModelRow

STAGES: tuple[str, ...] = get_args(ModelStage)
READY, DELETED = "ready", "deleted"
SORTS = ("created_at", "name", "version")
METRIC_SORT = "metrics."
MAX_NAME_CHARS = 64


def register_model(
    db: Database, *, name: str, framework: str, algorithm: str, task: str, symbols: list[str],
    source: str, interval: str, trained_from: datetime | None, trained_to: datetime | None,
    metrics: Mapping[str, Any], checksum: str, artifact_dir_for: Callable[[int], str],
    training_id: str | None, id: str | None = None, version: int | None = None,
    owner: str | None = None,
) -> ModelRow:  # fmt: skip
    """Record a new version of `name` (1 + the highest ever used) stored at artifact_dir_for(version).

    With `version`, exactly that version (its artifact already written there) or Conflict.
    """
    if not name or len(name) > MAX_NAME_CHARS:
        raise ValidationError(
            f"model name {name!r} must be 1 to {MAX_NAME_CHARS} characters", field="name"
        )
    headline = _headline(metrics)
    wanted = version
    for attempt in range(2):
        version = wanted or next_version(db, name)
        now = utcnow()
        row = ModelRow(
            id=id or str(uuid.uuid4()), name=name, version=version, status=READY, stage="none",
            tags=[], note="", framework=framework, algorithm=algorithm, task=task,
            symbols=list(symbols), source=source, interval=interval, trained_from=trained_from,
            trained_to=trained_to, metrics=headline, checksum=checksum,
            artifact_dir=artifact_dir_for(version), training_id=training_id, owner=owner,
            created_at=now, updated_at=now,
        )  # fmt: skip
        try:
            with db.transaction() as s:
                s.add(row)
            return row
        except IntegrityError:
            if wanted:
                raise Conflict(
                    f"{name!r} v{version} is registered already", field="version"
                ) from None
            if attempt:  # not a race on the version number: the id itself is taken
                raise Conflict(
                    f"could not register {name!r} v{version}: id {row.id!r} is already used; "
                    "register it without an id or with a new one",
                    field="id",
                ) from None
            # Another registration of this name took the version first; take the next one.
    raise AssertionError("unreachable")


def next_version(db: Database, name: str) -> int:
    """The version the next model called `name` gets; deleted versions still count."""
    with db.session() as s:
        highest = s.scalar(select(func.max(ModelRow.version)).where(ModelRow.name == name))
    return (highest or 0) + 1


def name_owner(db: Database, name: str) -> ModelRow | None:
    """The first version ever registered under `name` (deleted or not), which owns the name."""
    query = select(ModelRow).where(ModelRow.name == name).order_by(ModelRow.version)
    with db.session() as s:
        return s.scalars(query.limit(1)).first()


def of_training(db: Database, training_id: str) -> ModelRow | None:
    """The model a training registered, if it got that far (deleted ones included)."""
    with db.session() as s:
        return s.scalars(select(ModelRow).where(ModelRow.training_id == training_id)).first()


def get_model(
    db: Database, model_id: str, *, include_deleted: bool = False, scope: OwnerScope = EVERYONE
) -> ModelRow:
    """One model by id; NotFound naming `model_id` when unknown, not the scope's to see, or
    deleted (unless asked for)."""
    with db.session() as s:
        row = s.get(ModelRow, model_id)
    if row is None or not scope.sees(row.owner):
        raise NotFound(f"no model with id {model_id!r}", field="model_id")
    if row.status == DELETED and not include_deleted:
        raise NotFound(
            f"model {model_id!r} ({row.name} v{row.version}) was deleted", field="model_id"
        )
    return row


def list_models(
    db: Database, *, name: str | None = None, framework: str | None = None,
    algorithm: str | None = None, symbol: str | None = None, stage: str | None = None,
    tag: str | None = None, sort: str = "created_at", order: str = "desc", limit: int,
    offset: int, scope: OwnerScope = EVERYONE,
) -> tuple[list[ModelRow], int]:  # fmt: skip
    """One page of live models matching every filter given, and how many match in all."""
    _check_sort(sort, order)
    if stage is not None:
        _check_stage(stage)
    query = scoped(select(ModelRow).where(ModelRow.status != DELETED), scope, ModelRow.owner)
    for column, wanted in (
        (ModelRow.name, name), (ModelRow.framework, framework),
        (ModelRow.algorithm, algorithm), (ModelRow.stage, stage),
    ):  # fmt: skip
        if wanted is not None:
            query = query.where(column == wanted)
    if symbol is None and tag is None and not sort.startswith(METRIC_SORT):
        return _sql_page(db, query, sort=sort, order=order, limit=limit, offset=offset)
    # JSON lists and metric values differ between SQLite and PostgreSQL; a registry is small
    # enough to finish these filters and this sort in Python, the same way on both.
    with db.session() as s:
        rows = list(s.scalars(query.order_by(ModelRow.id)))
    rows = [
        r for r in rows
        if (symbol is None or symbol in r.symbols) and (tag is None or tag in r.tags)
    ]  # fmt: skip
    rows.sort(key=_python_key(sort), reverse=order == "desc")
    if sort.startswith(METRIC_SORT):  # models without the figure go last in either order
        key = sort.removeprefix(METRIC_SORT)
        rows.sort(key=lambda r: _metric(r, key) is None)
    return rows[offset : offset + limit], len(rows)


def versions(db: Database, name: str, scope: OwnerScope = EVERYONE) -> list[ModelRow]:
    """Every live version of `name` the scope sees, newest first; NotFound when none."""
    query = scoped(
        select(ModelRow)
        .where(ModelRow.name == name, ModelRow.status != DELETED)
        .order_by(ModelRow.version.desc()),
        scope, ModelRow.owner,
    )  # fmt: skip
    with db.session() as s:
        rows = list(s.scalars(query))
    if not rows:
        raise NotFound(f"no model named {name!r}", field="name")
    return rows


def update_model(
    db: Database, model_id: str, *, stage: str | None = None, tags: list[str] | None = None,
    note: str | None = None,
) -> ModelRow:  # fmt: skip
    """Change the stage, tags or note; promoting to production archives the previous one."""
    if stage is not None:
        _check_stage(stage)
    with db.transaction() as s:
        row = s.get(ModelRow, model_id)
        if row is None or row.status == DELETED:
            raise NotFound(f"no model with id {model_id!r}", field="model_id")
        now = utcnow()
        if stage == "production" and row.stage != "production":
            # Lock every version of the name so that two promotions cannot both win.
            siblings = s.scalars(
                select(ModelRow)
                .where(ModelRow.name == row.name)
                .with_for_update()
                .execution_options(populate_existing=True)
            ).all()
            for other in siblings:
                if other.id != row.id and other.stage == "production":
                    other.stage, other.updated_at = "archived", now
        if stage is not None:
            row.stage = stage
        if tags is not None:
            row.tags = list(tags)
        if note is not None:
            row.note = note
        row.updated_at = now
    return row


def mark_deleted(db: Database, model_id: str) -> ModelRow:
    """Mark a model deleted (its row stays, so its version is never reused); refuse production."""
    with db.transaction() as s:
        row = s.get(ModelRow, model_id, with_for_update=True)
        if row is None or row.status == DELETED:
            raise NotFound(f"no model with id {model_id!r}", field="model_id")
        if row.stage == "production":
            raise Conflict(
                f"{row.name} v{row.version} is in production; archive it or promote another "
                "version first",
                field="model_id",
            )
        row.status, row.updated_at = DELETED, utcnow()
    return row


def _sql_page(
    db: Database, query: Select[ModelRow], *, sort: str, order: str, limit: int,
    offset: int,
) -> tuple[list[ModelRow], int]:  # fmt: skip
    column = getattr(ModelRow, sort)
    first = column.desc() if order == "desc" else column.asc()
    then = ModelRow.version.desc() if order == "desc" else ModelRow.version.asc()
    with db.session() as s:
        total = s.scalar(select(func.count()).select_from(query.subquery())) or 0
        page = query.order_by(first, then, ModelRow.id).limit(limit).offset(offset)
        return list(s.scalars(page)), total


def _python_key(sort: str) -> Callable[[ModelRow], Any]:
    # The same order as _sql_page: the sort key, then the version, then the id (the rows come
    # sorted by id and Python's sort is stable, also with reverse=True).
    if sort.startswith(METRIC_SORT):
        key = sort.removeprefix(METRIC_SORT)
        return lambda r: (_metric(r, key) or 0.0, r.version)
    return lambda r: (getattr(r, sort), r.version)


def _metric(row: ModelRow, key: str) -> float | None:
    value = (row.metrics or {}).get(key)
    return value if isinstance(value, int | float) and math.isfinite(value) else None


def _headline(metrics: Mapping[str, Any]) -> dict[str, float | None]:
    # JSON (and PostgreSQL) hold no NaN or infinity: a figure that is not finite is stored as null.
    out: dict[str, float | None] = {}
    for key, value in metrics.items():
        if value is None:
            out[str(key)] = None
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ValidationError(
                f"metric {key!r} is {value!r}; headline metrics must be numbers", field="metrics"
            ) from None
        out[str(key)] = number if math.isfinite(number) else None
    return out


def _check_sort(sort: str, order: str) -> None:
    if sort not in SORTS and not (sort.startswith(METRIC_SORT) and len(sort) > len(METRIC_SORT)):
        raise ValidationError(
            f"cannot sort models by {sort!r}; use one of {', '.join(SORTS)} or "
            "metrics.<name> (e.g. metrics.sharpe)",
            field="sort",
        )
    if order not in ("asc", "desc"):
        raise ValidationError(f"order {order!r} must be asc or desc", field="order")


def _check_stage(stage: str) -> None:
    if stage not in STAGES:
        raise ValidationError(f"stage {stage!r} is not one of {', '.join(STAGES)}", field="stage")
