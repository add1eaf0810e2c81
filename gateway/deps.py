"""Dependency aliases so route signatures read like prose."""

from __future__ import annotations

from typing import Annotated

import redis.asyncio as aioredis
from celery import Celery
from fastapi import Depends, Request

from gateway.clients import ServiceClient
from shared.config import Settings
from shared.jobs.events import EventPublisher
from shared.storage.db import Database


def _settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def _db(request: Request) -> Database:
    return request.app.state.db  # type: ignore[no-any-return]


def _celery(request: Request) -> Celery:
    return request.app.state.celery  # type: ignore[no-any-return]


def _events(request: Request) -> EventPublisher:
    return request.app.state.events  # type: ignore[no-any-return]


def _aioredis(request: Request) -> aioredis.Redis:
    return request.app.state.aioredis  # type: ignore[no-any-return]


def _services(request: Request) -> dict[str, ServiceClient]:
    return request.app.state.services  # type: ignore[no-any-return]


SettingsDep = Annotated[Settings, Depends(_settings)]
DbDep = Annotated[Database, Depends(_db)]
CeleryDep = Annotated[Celery, Depends(_celery)]
EventsDep = Annotated[EventPublisher, Depends(_events)]
AsyncRedisDep = Annotated[aioredis.Redis, Depends(_aioredis)]
ServicesDep = Annotated[dict[str, ServiceClient], Depends(_services)]
