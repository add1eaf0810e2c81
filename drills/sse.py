"""A Server-Sent Events client that behaves like the browser's EventSource: it reconnects after
a dropped stream, waiting the server's `retry`, and sends the last event's id as Last-Event-ID."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx

FINAL = {"succeeded", "failed", "cancelled"}


@dataclass(frozen=True)
class Event:
    event: str
    data: str
    id: str | None
    retry_ms: int | None

    def json(self) -> Any:
        return json.loads(self.data)


def parse(lines: Iterator[str]) -> Iterator[Event]:
    """Events from a stream's lines (fields as the SSE specification reads them)."""
    fields: dict[str, list[str]] = {}
    for line in lines:
        if line == "":
            if "data" in fields:
                retry = (fields.get("retry") or [""])[-1]
                yield Event(
                    (fields.get("event") or ["message"])[-1], "\n".join(fields["data"]),
                    fields["id"][-1] if "id" in fields else None,
                    int(retry) if retry.isdigit() else None,
                )  # fmt: skip
            fields = {}
        elif not line.startswith(":"):
            name, _, value = line.partition(":")
            fields.setdefault(name, []).append(value.removeprefix(" "))


@dataclass
class Followed:
    """What one followed stream saw."""

    job_id: str
    events: list[dict[str, Any]] = field(default_factory=list)
    connections: int = 0
    last_id: str | None = None
    error: str = ""

    @property
    def final(self) -> dict[str, Any] | None:
        last = self.events[-1] if self.events else None
        return last if last is not None and last["status"] in FINAL else None


def follow(
    api_url: str, job_id: str, timeout_s: float, headers: dict[str, str] | None = None
) -> Followed:
    """Read a job's events until its final one, reconnecting like EventSource until the deadline."""
    seen = Followed(job_id)
    deadline = time.monotonic() + timeout_s
    retry_s = 3.0  # EventSource's usual default, until the server names its own
    while time.monotonic() < deadline:
        resume = {"Last-Event-ID": seen.last_id} if seen.last_id else {}
        try:
            seen.connections += 1
            with httpx.stream(
                "GET", f"{api_url}/jobs/{job_id}/events", headers={**(headers or {}), **resume},
                timeout=httpx.Timeout(10, read=60),
            ) as response:  # fmt: skip
                if response.status_code == 200:
                    for event in parse(response.iter_lines()):
                        retry_s = event.retry_ms / 1000 if event.retry_ms else retry_s
                        seen.last_id = event.id or seen.last_id
                        seen.events.append(event.json())
                        if seen.final:
                            return seen
                elif response.status_code not in (502, 503):
                    seen.error = f"{response.status_code}: {response.read()[:200]!r}"
                    return seen
        except httpx.TransportError:
            pass  # the gateway is down or restarting: try again, as EventSource does
        time.sleep(retry_s)
    seen.error = f"no final event within {timeout_s:.0f} s"
    return seen
