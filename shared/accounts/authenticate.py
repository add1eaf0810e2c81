"""Who a request acts as, from its credentials: the environment's key, a user's API key, or a
dashboard session cookie (whose writes must also carry the session's CSRF token)."""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from shared.accounts import tokens
from shared.accounts.roles import ENVIRONMENT_KEY, Principal, Role
from shared.errors import AppError, Forbidden, Unauthorized
from shared.storage import accounts as store
from shared.storage.db import Database

SESSION_COOKIE = "tradelab_session"
CSRF_COOKIE = "tradelab_csrf"  # readable by the dashboard's script, which echoes it in:
CSRF_HEADER = "x-csrf-token"
KEY_HEADER = "x-api-key"


@dataclass(frozen=True)
class Credentials:
    """What a request presented: an X-API-Key, a session cookie, an X-CSRF-Token."""

    key: str | None = None
    session: str | None = None
    csrf: str | None = None


class Authenticator:
    """Resolves credentials to a principal against the accounts in the database."""

    def __init__(self, db: Database, *, environment_key: str | None) -> None:
        self.db = db
        self.environment_key = environment_key.encode() if environment_key else None

    def principal(self, given: Credentials, *, write: bool) -> Principal | AppError | None:
        """The principal, a refusal (bad or dead credentials, a write without its CSRF token),
        or None when nothing was presented."""
        if given.key:
            return self._by_key(given.key)
        if given.session:
            return self._by_session(given.session, given.csrf, write=write)
        return None

    def _by_key(self, key: str) -> Principal | AppError:
        if self.environment_key is not None and hmac.compare_digest(
            key.encode(), self.environment_key
        ):
            return ENVIRONMENT_KEY
        found = store.user_of_key(self.db, tokens.digest(key))
        if found is None:
            return Unauthorized(
                "this X-API-Key is not valid (unknown, revoked or expired)", field="X-API-Key"
            )
        user, row = found
        role = Role(row.role).at_most(Role(user.role))
        return Principal(role, "api key", user=user.username, user_id=user.id, key_id=row.id)

    def _by_session(self, token: str, csrf: str | None, *, write: bool) -> Principal | AppError:
        found = store.user_of_session(self.db, tokens.digest(token))
        if found is None:
            return Unauthorized("your sign-in has ended; sign in again", code="session_ended")
        user, session = found
        # A cookie rides along with any request the browser sends, a forged one too; the CSRF
        # token is readable only by our own pages, so a write that echoes it came from them.
        if write and not (csrf and hmac.compare_digest(csrf.encode(), session.csrf_token.encode())):
            return Forbidden(
                "a write signed in by cookie needs the X-CSRF-Token header (the value of the "
                f"{CSRF_COOKIE} cookie)",
                field="X-CSRF-Token", code="csrf_failed",
            )  # fmt: skip
        return Principal(Role(user.role), "session", user=user.username, user_id=user.id)
