"""Who may ask what: the Host, Origin and API-key rules of every service, in one ASGI layer.

One plain ASGI middleware rather than a FastAPI `@middleware("http")` per rule: each of those
wraps every request and response in extra objects and tasks, which cost more than the rules.
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Iterable

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from shared.errors import AppError, BadRequest, Forbidden, Unauthorized
from shared.hosts import ANY_HOST, host_name, is_same_origin, origin_of

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class RequestGate:
    """Refuses, in this order:

    1. a Host that is not one of ours (400 `bad_host`): this is what stops DNS rebinding, where a
       page on evil.example re-points its name at 127.0.0.1 and reads our answers as its own;
    2. a write sent by a page of another site (403 `bad_origin`): browsers add Origin (or at
       least Referer) to a cross-site form post or fetch, and no page can forge it; curl and
       scripts send neither, and the key guards those;
    3. with API_KEY, a write without a valid X-API-Key (401); without one, a write that arrived
       on an address other than loopback (403), whatever address the server was bound to.
    """

    def __init__(
        self, app: ASGIApp, *, accepted_hosts: frozenset[str], allowed_origins: Iterable[str],
        api_key: str | None,
    ) -> None:  # fmt: skip
        self.app = app
        self.hosts = None if ANY_HOST in accepted_hosts else accepted_hosts
        self.origins = frozenset(o for o in map(origin_of, allowed_origins) if o is not None)
        self.key = api_key.encode() if api_key is not None else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        refusal = self.refusal(scope) if scope["type"] == "http" else None
        if refusal is None:
            await self.app(scope, receive, send)
            return
        response = JSONResponse(refusal.to_dict(), status_code=refusal.status_code)
        await response(scope, receive, send)

    def refusal(self, scope: Scope) -> AppError | None:
        headers = Headers(scope=scope)
        given_host = headers.get("host")
        # No Host at all (HTTP/1.0 from a script) never comes from a browser, so it is let in.
        if (
            self.hosts is not None
            and given_host is not None
            and host_name(given_host) not in self.hosts
        ):
            return BadRequest(
                f"this service does not answer to the host name {given_host[:100]!r}; if that "
                "name is yours, add it to ALLOWED_HOSTS",
                field="Host", code="bad_host",
            )  # fmt: skip
        if scope["method"] in SAFE_METHODS:
            return None
        return self._origin_refusal(headers) or self._key_refusal(scope, headers)

    def _origin_refusal(self, headers: Headers) -> AppError | None:
        field, source = _source_of(headers)
        if source is None:
            return None
        origin = origin_of(source)
        if origin is not None and (
            origin in self.origins or is_same_origin(origin, headers.get("host", ""))
        ):
            return None
        shown = str(origin) if origin else source[:100]
        return Forbidden(
            f"this write came from a page of another site ({shown!r}) and was refused; a "
            "dashboard served elsewhere needs its origin in ALLOWED_ORIGINS",
            field=field, code="bad_origin",
        )  # fmt: skip

    def _key_refusal(self, scope: Scope, headers: Headers) -> AppError | None:
        if self.key is not None:
            given = headers.get("x-api-key", "").encode()
            if hmac.compare_digest(given, self.key):
                return None
            return Unauthorized("this write needs a valid X-API-Key header", field="X-API-Key")
        if arrived_on_loopback(scope):
            return None
        return Forbidden(
            "this platform has no API_KEY, so it takes writes only on 127.0.0.1; "
            "set API_KEY to accept writes from other machines",
            field="X-API-Key",
        )


def arrived_on_loopback(scope: Scope) -> bool:
    """Whether the connection's local address is loopback (a name, as in tests, is not checked)."""
    server = scope.get("server")
    host = server[0] if server else None
    if host is None:
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return True
    mapped = getattr(address, "ipv4_mapped", None)  # ::ffff:127.0.0.1 on a dual-stack socket
    return (mapped or address).is_loopback


def _source_of(headers: Headers) -> tuple[str, str | None]:
    """Which header names the sending page, and its value: Origin, else Referer, else none."""
    origin = headers.get("origin", "").strip()
    if origin:
        return "Origin", origin
    return "Referer", headers.get("referer", "").strip() or None
