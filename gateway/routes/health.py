"""Platform health: database, Redis, each service, and workers per queue."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import redis
from fastapi import APIRouter
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from gateway.deps import AsyncRedisDep, DbDep, RedisDep, ServicesDep, SettingsDep
from shared.jobs.presence import workers_per_queue
from shared.schemas.health import ComponentHealth, HealthOut
from shared.schemas.jobs import Queue

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api/v1", tags=["health"])


async def _check(fn: Callable[[], Awaitable[object]]) -> dict[str, Any]:
    try:
        await fn()
        return {"status": "ok"}
    except Exception as exc:
        return {"status": "error", "detail": f"{exc.__class__.__name__}: {exc}"[:300]}


@router.get(
    "/health", response_model=HealthOut, responses={503: {"model": HealthOut}},
)  # fmt: skip
async def health(
    db: DbDep, aredis: AsyncRedisDep, sync_redis: RedisDep, services: ServicesDep,
    settings: SettingsDep,
) -> JSONResponse:  # fmt: skip
    """Each component's status; 200 when all are ok and every queue has a worker, else 503.

    Public with or without API_KEY; with one (the platform is exposed) an error's detail says
    only that the part is unavailable, and the full text (addresses, paths) goes to the log.
    """
    names = list(services)
    database, cache, workers, *service_states = await asyncio.gather(
        _check(lambda: run_in_threadpool(db.ping)),
        _check(aredis.ping),
        run_in_threadpool(_workers, sync_redis),
        *(services[n].health() for n in names),
    )
    components: dict[str, Any] = {"database": database, "redis": cache, "workers": workers}
    components.update(dict(zip(names, service_states, strict=True)))
    if (
        settings.accounts or settings.api_key is not None
    ):  # exposed: internal addresses and paths stay in the log
        _keep_details_private(components)
    ok = all(c["status"] == "ok" for c in components.values())
    body = HealthOut(
        status="ok" if ok else "degraded",
        components={name: ComponentHealth(**state) for name, state in components.items()},
    )
    return JSONResponse(body.model_dump(exclude_none=True), status_code=200 if ok else 503)


def _keep_details_private(components: dict[str, Any]) -> None:
    for name, state in components.items():
        if state["status"] == "error" and "queues" not in state:  # queue counts say nothing inward
            log.warning("health: %s is unavailable: %s", name, state.get("detail"))
            state["detail"] = "unavailable; the gateway log says why"


def _workers(client: redis.Redis) -> dict[str, Any]:
    try:
        counts = workers_per_queue(client)
    except Exception as exc:
        return {"status": "error", "detail": f"cannot reach workers: {exc}"[:300]}
    queues = {q.value: counts.get(q.value, 0) for q in Queue}
    missing = [q for q, n in queues.items() if n == 0]
    state: dict[str, Any] = {"status": "ok" if not missing else "error", "queues": queues}
    if missing:
        state["detail"] = f"no worker consumes queue(s) {', '.join(missing)}"
    return state
