"""Typed HTTP clients for the services behind the gateway."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

import httpx

from shared.errors import Unavailable, UpstreamError

log = logging.getLogger(__name__)

# Headers that describe one hop, not the message; never forwarded.
HOP_BY_HOP = frozenset({
    "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailers",
    "transfer-encoding", "upgrade", "host", "content-length",
})  # fmt: skip
# Checked here against the gateway's own Host. The service is reached under another name
# (127.0.0.1:8002, `simulator`), so it would take the gateway's own pages for a foreign site.
CHECKED_AT_GATEWAY = frozenset({"origin", "referer"})
# Methods whose effect is the same sent once or twice (RFC 9110 9.2.2): safe to send again when the
# connection failed. POST and PATCH are not: a retry could submit a job twice.
IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
# Failures of the connection itself, typically a pooled keep-alive connection that the service
# closed just as the request went out (it does so after a 500, or when idle). Timeouts are not
# here: the service may still be working, and waiting twice as long helps no one.
CONNECTION_FAILURES = (
    httpx.RemoteProtocolError, httpx.ConnectError, httpx.ReadError, httpx.WriteError,
)  # fmt: skip


@dataclass
class ServiceResponse:
    status_code: int
    content: bytes
    headers: dict[str, str]


class ServiceClient:
    """One service: forwards requests with a timeout and turns transport failures into 502/503."""

    def __init__(self, name: str, base_url: str, timeout_s: float) -> None:
        self.name = name
        self.base_url = base_url.rstrip("/")
        self._http = httpx.AsyncClient(base_url=self.base_url, timeout=timeout_s)
        # For retries: no pooling, so every request opens a connection of its own.
        self._fresh = httpx.AsyncClient(
            base_url=self.base_url, timeout=timeout_s,
            limits=httpx.Limits(max_keepalive_connections=0),
        )  # fmt: skip

    async def forward(
        self, method: str, path: str, *, params: list[tuple[str, Any]], headers: dict[str, str],
        body: bytes,
    ) -> ServiceResponse:  # fmt: skip
        """Send one request on to the service and return its answer unchanged."""
        dropped = HOP_BY_HOP | CHECKED_AT_GATEWAY
        clean = {k: v for k, v in headers.items() if k.lower() not in dropped}
        try:
            resp = await self._send(method, path, params=params, headers=clean, content=body)
        except httpx.TimeoutException as exc:
            raise UpstreamError(
                f"the {self.name} service did not answer in time ({exc.__class__.__name__}); retry later",
                code="upstream_timeout",
            ) from exc
        except httpx.TransportError as exc:
            raise Unavailable(
                f"the {self.name} service is unreachable at {self.base_url}; is it running?",
                code="service_unavailable",
            ) from exc
        out = {k: v for k, v in resp.headers.items() if k.lower() not in HOP_BY_HOP}
        out.pop("content-encoding", None)  # httpx already decoded the body
        return ServiceResponse(resp.status_code, resp.content, out)

    async def _send(self, method: str, path: str, **request: Any) -> httpx.Response:
        """One request; an idempotent one whose connection failed goes again on a fresh one."""
        try:
            return await self._http.request(method, path, **request)
        except CONNECTION_FAILURES as exc:
            if method.upper() not in IDEMPOTENT:
                raise
            log.warning(
                "%s %s to the %s service failed on its connection (%s: %s); retrying once on a "
                "fresh connection", method, path, self.name, exc.__class__.__name__, exc,
            )  # fmt: skip
        return await self._fresh.request(method, path, **request)

    async def health(self) -> dict[str, object]:
        """{"status": "ok", "latency_ms"} or {"status": "error", "detail"}."""
        start = time.perf_counter()
        try:
            resp = await self._http.get("/healthz", timeout=2.0)
            resp.raise_for_status()
        except httpx.HTTPError as exc:
            return {"status": "error", "detail": f"{self.base_url}: {exc.__class__.__name__} {exc}"}
        return {"status": "ok", "latency_ms": round((time.perf_counter() - start) * 1000, 1)}

    async def openapi(self) -> dict[str, Any] | None:
        try:
            resp = await self._http.get("/openapi.json", timeout=2.0)
            resp.raise_for_status()
            return resp.json()  # type: ignore[no-any-return]
        except (httpx.HTTPError, ValueError):
            return None

    async def aclose(self) -> None:
        await self._http.aclose()
        await self._fresh.aclose()
