"""Dependency aliases every service shares, read from `app.state` set by its create_app()."""

from __future__ import annotations

from typing import Annotated

from celery import Celery
from fastapi import Depends, Header, Query, Request

from shared.accounts.roles import Principal
from shared.config import Settings
from shared.errors import Unauthorized, ValidationError
from shared.storage.db import Database

DEFAULT_PAGE_SIZE = 50


async def _settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


async def _db(request: Request) -> Database:
    return request.app.state.db  # type: ignore[no-any-return]


async def _celery(request: Request) -> Celery:
    return request.app.state.celery  # type: ignore[no-any-return]


async def _limit(
    settings: Annotated[Settings, Depends(_settings)],
    limit: Annotated[
        int | None,
        Query(
            ge=1,
            description=f"page size: {DEFAULT_PAGE_SIZE} when absent (or MAX_PAGE_SIZE if "
            "smaller), at most MAX_PAGE_SIZE (200 unless configured)",
        ),
    ] = None,
) -> int:
    """The one page-size rule of every list: 1..MAX_PAGE_SIZE, else a 422 naming the cap."""
    if limit is None:
        return min(DEFAULT_PAGE_SIZE, settings.max_page_size)
    if limit > settings.max_page_size:
        raise ValidationError(
            f"limit {limit} is above the largest page size, {settings.max_page_size} "
            "(MAX_PAGE_SIZE); fetch further pages with offset",
            field="limit",
        )
    return limit


async def _principal(request: Request) -> Principal:
    """Who asks, as the request gate found it (an anonymous caller never reaches a route that
    depends on this, but a route mounted without the gate must not act as nobody)."""
    principal = getattr(request.state, "principal", None)
    if principal is None:
        raise Unauthorized("sign in (POST /api/v1/auth/sign-in) or send an X-API-Key header")
    return principal  # type: ignore[no-any-return]


SettingsDep = Annotated[Settings, Depends(_settings)]
PrincipalDep = Annotated[Principal, Depends(_principal)]
DbDep = Annotated[Database, Depends(_db)]
CeleryDep = Annotated[Celery, Depends(_celery)]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        description="repeat a submission safely",
    ),
]
Limit = Annotated[int, Depends(_limit)]
MAX_OFFSET = 10**9  # past any real list; keeps the number inside every database's integer
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="items to skip")]
