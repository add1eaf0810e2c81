"""Clients for the services behind the gateway: forward a request, probe health, fetch OpenAPI."""

from __future__ import annotations

import json
import logging
import time
from typing import Any
from urllib.parse import urlsplit

from gateway.upstream import (
    ConnectFailed,
    ConnectionDropped,
    UpstreamFailure,
    UpstreamPool,
    UpstreamResponse,
    UpstreamTimeout,
)
from shared.errors import Unavailable

log = logging.getLogger(__name__)

# Headers that describe one hop, not the message; never forwarded. `expect` too: the gateway has
# already read the whole body, so the service has nothing to agree to.
HOP_BY_HOP = frozenset({
    b"connection", b"keep-alive", b"proxy-authenticate", b"proxy-authorization", b"te", b"trailers",
    b"transfer-encoding", b"upgrade", b"host", b"content-length", b"expect",
})  # fmt: skip
# Checked here against the gateway's own Host. The service is reached under another name
# (127.0.0.1:8002, `simulator`), so it would take the gateway's own pages for a foreign site.
CHECKED_AT_GATEWAY = frozenset({b"origin", b"referer"})
NOT_FORWARDED = HOP_BY_HOP | CHECKED_AT_GATEWAY
# The gateway's server writes its own Date and Server; the service's would make them double.
NOT_RETURNED = (HOP_BY_HOP - {b"content-length"}) | {b"date", b"server"}
# Methods whose effect is the same sent once or twice (RFC 9110 9.2.2): safe to send again when the
# connection failed. POST and PATCH are not: a retry could submit a job twice.
IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})


class ServiceClient:
    """One service: forwards requests with a timeout and turns transport failures into 503s."""

    def __init__(self, name: str, base_url: str, timeout_s: float) -> None:
        self.name = name
        self.base_url = base_url.rstrip("/")
        url = urlsplit(self.base_url)
        if url.scheme != "http" or not url.hostname or url.path:
            raise ValueError(
                f"{name} URL {base_url!r} must look like http://host:port (no path; TLS is not "
                "spoken between the gateway and its services)"
            )
        self._pool = UpstreamPool(url.hostname, url.port or 80, timeout_s=timeout_s)

    async def forward(
        self, method: str, target: str, headers: list[tuple[bytes, bytes]], body: bytes
    ) -> UpstreamResponse:
        """Send one request on to the service; its answer's head, with the body still to stream.

        `target` is the path and query to send, already checked and encoded; `headers` are the
        client's as the ASGI server gave them (lower-case names). Release the answer when done.
        """
        clean = [(k, v) for k, v in headers if k not in NOT_FORWARDED and _safe_value(v)]
        try:
            answer = await self._send(method, target.encode("ascii"), clean, body)
        except UpstreamTimeout as exc:
            raise Unavailable(
                f"the {self.name} service did not answer in time ({exc}); retry later",
                code="upstream_timeout",
            ) from exc
        except UpstreamFailure as exc:
            raise Unavailable(
                f"the {self.name} service is unreachable at {self.base_url}; is it running?",
                code="service_unavailable",
            ) from exc
        answer.headers = [(k, v) for k, v in answer.headers if k not in NOT_RETURNED]
        return answer

    async def _send(
        self, method: str, target: bytes, headers: list[tuple[bytes, bytes]], body: bytes
    ) -> UpstreamResponse:
        """One request; an idempotent one whose connection failed goes again on a fresh one.

        A pooled keep-alive connection can be closed by the service just as a request goes out
        (it does so after a 500, or when idle). Timeouts are not retried: the service may still be
        working, and waiting twice as long helps no one.
        """
        try:
            return await self._pool.request(method, target, headers, body)
        except (ConnectionDropped, ConnectFailed) as exc:
            if method not in IDEMPOTENT:
                raise
            log.warning(
                "%s %s to the %s service failed on its connection (%s: %s); retrying once on a "
                "fresh connection", method, target.decode(), self.name, exc.__class__.__name__, exc,
            )  # fmt: skip
        return await self._pool.request(method, target, headers, body, fresh=True)

    async def health(self) -> dict[str, object]:
        """{"status": "ok", "latency_ms"} or {"status": "error", "detail"}."""
        start = time.perf_counter()
        try:
            answer = await self._pool.request("GET", b"/healthz", [], b"", timeout_s=2.0)
            await answer.read()
        except UpstreamFailure as exc:
            return {"status": "error", "detail": f"{self.base_url}: {exc.__class__.__name__} {exc}"}
        if answer.status != 200:
            return {
                "status": "error",
                "detail": f"{self.base_url}: /healthz answered {answer.status}",
            }
        return {"status": "ok", "latency_ms": round((time.perf_counter() - start) * 1000, 1)}

    async def openapi(self) -> dict[str, Any] | None:
        try:
            answer = await self._pool.request("GET", b"/openapi.json", [], b"", timeout_s=2.0)
            body = await answer.read()
            return json.loads(body) if answer.status == 200 else None  # type: ignore[no-any-return]
        except (UpstreamFailure, ValueError):
            return None

    async def aclose(self) -> None:
        self._pool.close()


def _safe_value(value: bytes) -> bool:
    # The ASGI server already refuses these; a header value must never split the request to the service.
    return b"\r" not in value and b"\n" not in value and b"\0" not in value
