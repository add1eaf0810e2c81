"""Wire schemas of the model registry: a registered model, its detail, versions and edits."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field, field_validator, model_validator

from shared.schemas.base import RequestModel
from shared.schemas.pages import Page

ModelStage = Literal["none", "staging", "production", "archived"]
ModelStatus = Literal["ready", "deleted"]

MAX_TAGS = 20
MAX_NOTE_CHARS = 10_000
_TAG = re.compile(r"[A-Za-z0-9_.:-]{1,64}")


class ModelOut(BaseModel):
    """A registered model: what it is, what it was trained on, its headline metrics and stage."""

    model_config = ConfigDict(from_attributes=True, protected_namespaces=())

    id: str
    name: str
    version: int
    status: ModelStatus
    stage: ModelStage
    tags: list[str]
    note: str
    framework: str
    algorithm: str
    task: str
    symbols: list[str]
    source: str
    interval: str
    trained_from: datetime | None
    trained_to: datetime | None
    metrics: dict[str, float | None] = Field(description="headline figures of the validation")
    checksum: str
    created_at: datetime
    updated_at: datetime
    training_id: str | None
    owner: str | None

    # The seed listed metadata.json files under these names; clients written then still read them.
    @computed_field(description="the seed's name for `name`")  # type: ignore[prop-decorator]
    @property
    def model_name(self) -> str:
        return self.name

    @computed_field(description="the seed's name for `created_at`, ISO 8601")  # type: ignore[prop-decorator]
    @property
    def trained_on(self) -> str:
        return self.created_at.isoformat()


class ModelDetail(ModelOut):
    """A model and its artifact's metadata.json as stored (features, parameters, validation)."""

    metadata: dict[str, Any]


class ModelsPage(Page[ModelOut]):
    """Registered models (deleted ones left out), in the order asked for."""


class ModelVersionsPage(Page[ModelOut]):
    """Every live version of one model name, newest first."""


class ModelPatch(RequestModel):
    """Change a model's stage, tags or note; fields left out stay as they are."""

    model_config = ConfigDict(extra="forbid")

    stage: ModelStage | None = Field(
        None, description="production demotes the name's previous production version to archived"
    )
    tags: list[str] | None = Field(
        None, max_length=MAX_TAGS, description="replaces every tag; [] clears them"
    )
    note: str | None = Field(None, max_length=MAX_NOTE_CHARS)

    @field_validator("tags")
    @classmethod
    def _valid_tags(cls, tags: list[str] | None) -> list[str] | None:
        if tags is None:
            return None
        for tag in tags:
            if not _TAG.fullmatch(tag):
                raise ValueError(
                    f"tag {tag!r} must be 1 to 64 letters, digits or the characters _ . : -"
                )
        if len(set(tags)) != len(tags):
            raise ValueError("tags are repeated; list each once")
        return tags

    @model_validator(mode="after")
    def _changes_something(self) -> ModelPatch:
        if self.stage is None and self.tags is None and self.note is None:
            raise ValueError("nothing to change: give at least one of stage, tags or note")
        return self


class FeatureImportanceItem(BaseModel):
    feature: str
    importance: float


class FeatureImportanceOut(BaseModel):
    """How much each input feature counts in the model, largest first."""

    model_id: str
    items: list[FeatureImportanceItem]
