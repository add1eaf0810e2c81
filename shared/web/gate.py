"""Who may ask what: the Host, Origin and API-key rules of every service, in one ASGI layer.

One plain ASGI middleware rather than a FastAPI `@middleware("http")` per rule: each of those
wraps every request and response in extra objects and tasks, which cost more than the rules.
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Iterable

import anyio.to_thread
from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from shared.accounts.authenticate import (
    CSRF_HEADER,
    KEY_HEADER,
    SESSION_COOKIE,
    Authenticator,
    Credentials,
)
from shared.accounts.roles import ENVIRONMENT_KEY, LOCAL, Principal
from shared.errors import AppError, BadRequest, Forbidden, TooManyRequests, Unauthorized
from shared.hosts import ANY_HOST, host_name, is_same_origin, origin_of
from shared.web.rate_limits import WriteLimiter

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
PUBLIC_API_PATHS = frozenset({"/api/v1/health", "/api/v1/auth/sign-in"})
# A viewer may still sign out, change their password and manage their own keys.
OWN_ACCOUNT_PATHS = "/api/v1/auth/"


class RequestGate:
    """Refuses, in this order:

    1. a Host that is not one of ours (400 `bad_host`): this is what stops DNS rebinding, where a
       page on evil.example re-points its name at 127.0.0.1 and reads our answers as its own;
    2. a write sent by a page of another site (403 `bad_origin`): browsers add Origin (or at
       least Referer) to a cross-site form post or fetch, and no page can forge it; curl and
       scripts send neither, and the credentials guard those;
    3. with ACCOUNTS: an API call without a valid session or key (401), a cookie-signed write
       without its CSRF token (403), a write by a viewer (403), writes beyond the rate limit (429);
       without: with API_KEY a write without it (401), else a write that arrived on an address
       other than loopback (403), whatever address the server was bound to.

    It leaves who is asking in `request.state.principal` (None for an anonymous public path).
    """

    def __init__(
        self, app: ASGIApp, *, accepted_hosts: frozenset[str], allowed_origins: Iterable[str],
        authenticator: Authenticator, accounts: bool, limiter: WriteLimiter | None = None,
    ) -> None:  # fmt: skip
        self.app = app
        self.hosts = None if ANY_HOST in accepted_hosts else accepted_hosts
        self.origins = frozenset(o for o in map(origin_of, allowed_origins) if o is not None)
        self.auth = authenticator
        self.accounts = accounts
        self.limiter = limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        outcome: Principal | AppError | None = self.refusal(scope, headers)
        if outcome is None:
            outcome = await self._identify(scope, headers)
        if isinstance(outcome, AppError):
            await _refuse(outcome, scope, receive, send)
            return
        scope.setdefault("state", {})["principal"] = outcome
        if self.limiter is not None and outcome is not None and _is_write(scope):
            wait_s = await self.limiter.wait_needed(outcome.rate_key)
            if wait_s is not None:
                await _refuse(too_many_writes(wait_s), scope, receive, send)
                return
        await self.app(scope, receive, send)

    def refusal(self, scope: Scope, headers: Headers) -> AppError | None:
        """The Host and Origin rules, which need no database."""
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
        return self._origin_refusal(headers) if _is_write(scope) else None

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

    async def _identify(self, scope: Scope, headers: Headers) -> Principal | AppError | None:
        write = _is_write(scope)
        if not self.accounts:
            return self._without_accounts(scope, headers, write)
        given = Credentials(
            key=headers.get(KEY_HEADER) or None,
            session=_cookie(headers, SESSION_COOKIE),
            csrf=headers.get(CSRF_HEADER) or None,
        )
        path = scope["path"]
        public = is_public_path(path)
        found = None
        if given.key or given.session:  # a database lookup: off the event loop
            found = await anyio.to_thread.run_sync(lambda: self.auth.principal(given, write=write))
        if isinstance(found, AppError):
            return None if public else found  # an ended session must not block signing in
        if found is None:
            if public:
                return None
            return Unauthorized(
                "sign in (POST /api/v1/auth/sign-in) or send an X-API-Key header",
                field="X-API-Key",
            )
        if write and not found.can_write and not path.startswith(OWN_ACCOUNT_PATHS):
            return Forbidden(
                f"{found.user or 'this key'} has the {found.role} role, which reads only",
                code="read_only_role",
            )
        return found

    def _without_accounts(
        self, scope: Scope, headers: Headers, write: bool
    ) -> Principal | AppError:
        key = self.auth.environment_key
        if key is not None:
            if not write:
                return LOCAL
            if hmac.compare_digest(headers.get(KEY_HEADER, "").encode(), key):
                return ENVIRONMENT_KEY
            return Unauthorized("this write needs a valid X-API-Key header", field="X-API-Key")
        if not write or arrived_on_loopback(scope):
            return LOCAL
        return Forbidden(
            "this platform has no accounts and no API_KEY, so it takes writes only on 127.0.0.1; "
            "set ACCOUNTS=true to accept writes from other machines",
            field="X-API-Key",
        )


def is_public_path(path: str) -> bool:
    """Probes, metrics, docs and the dashboard's files are public; the API is not, but for the
    platform's health and signing in."""
    return not path.startswith("/api/") or path in PUBLIC_API_PATHS


def too_many_writes(wait_s: int) -> AppError:
    return TooManyRequests(
        f"too many writes from this user, key or address; retry in {wait_s} s (RATE_LIMIT_WRITES)",
        retry_after=wait_s,
    )


async def _refuse(error: AppError, scope: Scope, receive: Receive, send: Send) -> None:
    response = JSONResponse(error.to_dict(), status_code=error.status_code, headers=error.headers)
    await response(scope, receive, send)


def _is_write(scope: Scope) -> bool:
    return scope["method"] not in SAFE_METHODS


def _cookie(headers: Headers, name: str) -> str | None:
    for header in headers.getlist("cookie"):
        for part in header.split(";"):
            key, _, value = part.strip().partition("=")
            if key == name and value:
                return value
    return None


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
