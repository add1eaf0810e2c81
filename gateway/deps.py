"""Dependency aliases so route signatures read like prose (the shared ones re-exported)."""

from __future__ import annotations

from typing import Annotated

import redis
import redis.asyncio as aioredis
from fastapi import Depends, Request

from gateway.clients import ServiceClient
from shared.jobs.events import EventPublisher
from shared.web.deps import CeleryDep, DbDep, Limit, Offset, PrincipalDep, SettingsDep


async def _events(request: Request) -> EventPublisher:
    return request.app.state.events  # type: ignore[no-any-return]


async def _aioredis(request: Request) -> aioredis.Redis:
    return request.app.state.aioredis  # type: ignore[no-any-return]


async def _redis(request: Request) -> redis.Redis:
    return request.app.state.redis  # type: ignore[no-any-return]


async def _services(request: Request) -> dict[str, ServiceClient]:
    return request.app.state.services  # type: ignore[no-any-return]


EventsDep = Annotated[EventPublisher, Depends(_events)]
AsyncRedisDep = Annotated[aioredis.Redis, Depends(_aioredis)]
RedisDep = Annotated[redis.Redis, Depends(_redis)]
ServicesDep = Annotated[dict[str, ServiceClient], Depends(_services)]

__all__ = [
    "AsyncRedisDep",
    "CeleryDep",
    "DbDep",
    "EventsDep",
    "Limit",
    "Offset",
    "PrincipalDep",
    "RedisDep",
    "ServicesDep",
    "SettingsDep",
]
