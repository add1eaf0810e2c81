"""Trained models: what the artifact store holds, read from each model's metadata.json."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from fastapi import APIRouter

from shared.errors import NotFound
from shared.schemas.models import ModelOut, ModelsPage
from shared.web.deps import Limit, Offset, SettingsDep

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api/v1/models", tags=["models"])


@router.get("", response_model=ModelsPage)
def list_models(settings: SettingsDep, limit: Limit, offset: Offset = 0) -> ModelsPage:
    """Trained models in the artifact store, newest first (their metadata.json)."""
    models = _read_models(settings.artifacts_path)
    return ModelsPage(items=models[offset:][:limit], total=len(models), limit=limit, offset=offset)


@router.get("/{model_id}", response_model=ModelOut)
def get_model(model_id: str, settings: SettingsDep) -> ModelOut:
    """One model's metadata."""
    for model in _read_models(settings.artifacts_path):
        if model.id == model_id:
            return model
    raise NotFound(f"no model with id {model_id!r}", field="model_id")


def _read_models(root: Path) -> list[ModelOut]:
    models = []
    for meta_path in sorted(root.glob("*/metadata.json")):
        try:
            meta = json.loads(meta_path.read_text())
            models.append(ModelOut.model_validate({**meta, "id": meta_path.parent.name}))
        except (OSError, ValueError) as exc:
            log.warning("skipping unreadable %s: %s", meta_path, exc)
    models.sort(key=lambda m: str(m.trained_on or ""), reverse=True)
    return models
