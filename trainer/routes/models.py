"""The model registry: list, read, stage, tag, download and delete trained models.

The database row is the index and the artifact folder the store. A model whose folder is gone
(or whose metadata.json is unreadable) still lists, but reading its detail, artifact or feature
importance answers 409 `artifact_missing`: its row is all that is left, so delete it or restore
the folder.
"""

from __future__ import annotations

import logging
import math
import re
from typing import Any, Literal

from fastapi import APIRouter, Query, Response

from shared.accounts.roles import Principal, ensure_modifiable
from shared.errors import NotFound
from shared.schemas.models import (
    FeatureImportanceItem,
    FeatureImportanceOut,
    ModelDetail,
    ModelOut,
    ModelPatch,
    ModelsPage,
    ModelStage,
    ModelVersionsPage,
)
from shared.storage import models as registry
from shared.storage.db import Database
from shared.storage.tables import ModelRow
from shared.web.deps import DbDep, Limit, Offset, PrincipalDep, SettingsDep
from trainer import store

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api/v1/models", tags=["models"])

ZIP_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "the model's folder as a zip archive",
        "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
    }
}


@router.get("", response_model=ModelsPage)
def list_models(
    db: DbDep, principal: PrincipalDep, limit: Limit, offset: Offset = 0, name: str | None = None,
    framework: str | None = None, algorithm: str | None = None,
    symbol: str | None = Query(None, description="models trained on this symbol"),
    stage: ModelStage | None = None, tag: str | None = None,
    sort: str = Query("created_at", description="created_at, name, version or metrics.<name>"),
    order: Literal["asc", "desc"] = "desc",
) -> ModelsPage:  # fmt: skip
    """Registered models matching every filter given; sorting by a metric puts those without it last."""
    rows, total = registry.list_models(
        db, name=name, framework=framework, algorithm=algorithm, symbol=symbol, stage=stage,
        tag=tag, sort=sort, order=order, limit=limit, offset=offset, scope=principal.scope,
    )  # fmt: skip
    items = [ModelOut.model_validate(r) for r in rows]
    return ModelsPage(items=items, total=total, limit=limit, offset=offset)


@router.get("/{model_id}", response_model=ModelDetail)
def get_model(
    model_id: str, db: DbDep, settings: SettingsDep, principal: PrincipalDep
) -> ModelDetail:
    """A model and its artifact's metadata.json; 409 when the artifact is missing."""
    row = registry.get_model(db, model_id, scope=principal.scope)
    metadata = store.read_metadata(store.artifact_path(settings, row), row)
    fields = ModelOut.model_validate(row).model_dump(exclude={"model_name", "trained_on"})
    return ModelDetail(**fields, metadata=metadata)


@router.get("/{model_id}/versions", response_model=ModelVersionsPage)
def list_versions(
    model_id: str, db: DbDep, principal: PrincipalDep, limit: Limit, offset: Offset = 0
) -> ModelVersionsPage:
    """Every live version of this model's name, newest first."""
    name = registry.get_model(db, model_id, scope=principal.scope).name
    rows = registry.versions(db, name, principal.scope)
    items = [ModelOut.model_validate(r) for r in rows[offset : offset + limit]]
    return ModelVersionsPage(items=items, total=len(rows), limit=limit, offset=offset)


@router.patch("/{model_id}", response_model=ModelOut)
def update_model(model_id: str, patch: ModelPatch, db: DbDep, principal: PrincipalDep) -> ModelOut:
    """Set the stage, tags or note; promoting to production archives the name's previous one."""
    _modifiable(db, model_id, principal)
    row = registry.update_model(db, model_id, stage=patch.stage, tags=patch.tags, note=patch.note)
    return ModelOut.model_validate(row)


@router.delete("/{model_id}", response_model=ModelOut)
def delete_model(
    model_id: str, db: DbDep, settings: SettingsDep, principal: PrincipalDep
) -> ModelOut:
    """Delete a model's artifact and mark its row deleted (409 while it is in production)."""
    folder = store.artifact_path(settings, _modifiable(db, model_id, principal))
    row = registry.mark_deleted(db, model_id)
    try:
        store.remove_artifact(folder)
    except OSError:  # the registry no longer lists it; a leftover folder is only clutter
        log.exception("model %s is deleted but its folder %s could not be removed", row.id, folder)
    return ModelOut.model_validate(row)


@router.get("/{model_id}/artifact", response_class=Response, responses=ZIP_RESPONSE)
def download_artifact(
    model_id: str, db: DbDep, settings: SettingsDep, principal: PrincipalDep
) -> Response:
    """The model's folder as a zip (`<name>-v<version>.zip`); 409 when the folder is gone."""
    row = registry.get_model(db, model_id, scope=principal.scope)
    folder = store.artifact_path(settings, row)
    store.ensure_present(folder, row)
    filename = f"{_safe(row.name)}-v{row.version}.zip"
    return Response(
        store.pack_archive(folder),
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/{model_id}/feature-importance", response_model=FeatureImportanceOut)
def feature_importance(
    model_id: str, db: DbDep, settings: SettingsDep, principal: PrincipalDep
) -> FeatureImportanceOut:
    """How much each feature counts, largest first; 404 when the model reports none."""
    row = registry.get_model(db, model_id, scope=principal.scope)
    raw = store.read_metadata(store.artifact_path(settings, row), row).get("feature_importance")
    scores = _finite_scores(raw)
    if not scores:
        raise NotFound(
            f"{row.name} v{row.version} ({row.algorithm}) has no feature importance; "
            "its algorithm does not report one",
            field="model_id",
            code="no_feature_importance",
        )
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    items = [FeatureImportanceItem(feature=f, importance=v) for f, v in ranked]
    return FeatureImportanceOut(model_id=row.id, items=items)


def _modifiable(db: Database, model_id: str, principal: Principal) -> ModelRow:
    row = registry.get_model(db, model_id, scope=principal.scope)
    ensure_modifiable(principal, row.owner, NotFound(f"no model with id {model_id!r}"))
    return row


def _finite_scores(raw: object) -> dict[str, float]:
    # metadata.json holds {feature: importance}; NaN or non-numbers carry no ranking.
    if not isinstance(raw, dict):
        return {}
    return {
        str(k): float(v)
        for k, v in raw.items()
        if isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
    }


def _safe(name: str) -> str:
    # A header value must stay plain ASCII without quotes, whatever the model is called.
    return re.sub(r"[^A-Za-z0-9._-]", "_", name) or "model"
