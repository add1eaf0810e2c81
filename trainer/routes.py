"""Trainer routes: the models in the artifact store."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from shared.errors import NotFound

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api/v1", tags=["models"])


def _read_models(root: Path) -> list[dict[str, Any]]:
    models = []
    for meta_path in sorted(root.glob("*/metadata.json")):
        try:
            meta = json.loads(meta_path.read_text())
        except (OSError, ValueError) as exc:
            log.warning("skipping unreadable %s: %s", meta_path, exc)
            continue
        models.append({"id": meta_path.parent.name, **meta})
    models.sort(key=lambda m: str(m.get("trained_on", "")), reverse=True)
    return models


@router.get("/models")
def list_models(
    request: Request,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    """Trained models in the artifact store, newest first (their metadata.json)."""
    models = _read_models(request.app.state.settings.artifacts_path)
    return {
        "items": models[offset : offset + limit],
        "total": len(models),
        "limit": limit,
        "offset": offset,
    }


@router.get("/models/{model_id}")
def get_model(model_id: str, request: Request) -> dict[str, Any]:
    """One model's metadata."""
    for model in _read_models(request.app.state.settings.artifacts_path):
        if model["id"] == model_id:
            return model
    raise NotFound(f"no model with id {model_id!r}", field="model_id")
