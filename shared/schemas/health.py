"""Wire schemas of the platform's health report."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel


class ComponentHealth(BaseModel):
    """One part of the platform: ok, or an error with what is wrong."""

    status: Literal["ok", "error"]
    detail: str | None = None
    latency_ms: float | None = None
    queues: dict[str, int] | None = None


class HealthOut(BaseModel):
    """Every component's state; `ok` only when all are ok and every queue has a worker."""

    status: Literal["ok", "degraded"]
    components: dict[str, ComponentHealth]
