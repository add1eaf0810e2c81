"""Dependency aliases every service shares, read from `app.state` set by its create_app()."""

from __future__ import annotations

from typing import Annotated

from celery import Celery
from fastapi import Depends, Header, Query, Request

from shared.config import Settings
from shared.storage.db import Database


def _settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def _db(request: Request) -> Database:
    return request.app.state.db  # type: ignore[no-any-return]


def _celery(request: Request) -> Celery:
    return request.app.state.celery  # type: ignore[no-any-return]


SettingsDep = Annotated[Settings, Depends(_settings)]
DbDep = Annotated[Database, Depends(_db)]
CeleryDep = Annotated[Celery, Depends(_celery)]
IdempotencyKey = Annotated[
    str | None,
    Header(alias="Idempotency-Key", max_length=255, description="repeat a submission safely"),
]
Limit = Annotated[int, Query(ge=1, le=1000, description="page size")]
Offset = Annotated[int, Query(ge=0, description="items to skip")]
