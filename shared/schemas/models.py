"""Wire schemas of trained models: the metadata.json of each artifact in the store."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from shared.schemas.pages import Page


class ModelOut(BaseModel):
    """A trained model's metadata.json (the seed's fields; any others pass through as they are)."""

    model_config = ConfigDict(extra="allow", protected_namespaces=())

    id: str = Field(description="the artifact's directory name in the store")
    model_name: str | None = None
    version: str | int | None = None
    checksum: str | None = None
    framework: str | None = None
    trained_on: str | None = None
    features: list[str] | None = None
    metrics: dict[str, Any] | None = None


class ModelsPage(Page[ModelOut]):
    """Trained models, newest first."""
