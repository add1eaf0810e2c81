"""Signing in and out, your account and API keys, and (for admins) users. On with ACCOUNTS."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from starlette.concurrency import run_in_threadpool

from gateway.deps import DbDep, PrincipalDep, SettingsDep
from shared.accounts import manage
from shared.accounts.authenticate import CSRF_COOKIE, SESSION_COOKIE
from shared.accounts.roles import Principal, Role
from shared.accounts.tokens import digest
from shared.config import Settings
from shared.errors import Forbidden, NotFound, TooManyRequests, Unauthorized
from shared.schemas.accounts import (
    KeyCreatedOut,
    KeyIn,
    KeyOut,
    MeOut,
    PasswordChangeIn,
    SignInIn,
    SignInOut,
    UserIn,
    UserOut,
    UserPatch,
)
from shared.storage import accounts as store
from shared.web.rate_limits import WriteLimiter

router = APIRouter(prefix="/api/v1", tags=["accounts"])


def _accounts_on(settings: SettingsDep) -> None:
    if not settings.accounts:
        raise NotFound(
            "accounts are off on this platform (set ACCOUNTS=true to use them)", code="accounts_off"
        )


def _admin(principal: PrincipalDep) -> Principal:
    if principal.role is not Role.ADMIN:
        raise Forbidden("only an admin manages users", code="admin_only")
    return principal


AccountsOn = Depends(_accounts_on)
AdminDep = Annotated[Principal, Depends(_admin)]


@router.post("/auth/sign-in", response_model=SignInOut, dependencies=[AccountsOn])
async def sign_in(
    body: SignInIn, request: Request, response: Response, db: DbDep, settings: SettingsDep
) -> SignInOut:
    """Sign in with a user name and password: the session comes back as an httpOnly cookie, and
    the CSRF token (also in a script-readable cookie) must be sent as X-CSRF-Token on writes."""
    address = request.client.host if request.client else "unknown"
    wait_s = await _sign_in_limiter(request, settings).wait_needed(f"{body.username}@{address}")
    if wait_s is not None:
        raise TooManyRequests(
            f"too many sign-in attempts for this user from this address; retry in {wait_s} s",
            retry_after=wait_s,
        )  # fmt: skip
    ttl = timedelta(seconds=settings.session_ttl_s)
    found = await run_in_threadpool(manage.sign_in, db, body.username, body.password, ttl)
    if found is None:
        raise Unauthorized("wrong user name or password", code="sign_in_failed")
    user, session, token = found
    cookie = {
        "max_age": settings.session_ttl_s, "path": "/", "secure": settings.cookie_secure,
        "samesite": "strict",
    }  # fmt: skip
    response.set_cookie(SESSION_COOKIE, token, httponly=True, **cookie)  # type: ignore[arg-type]
    response.set_cookie(CSRF_COOKIE, session.csrf_token, httponly=False, **cookie)  # type: ignore[arg-type]
    return SignInOut(
        user=manage.user_out(user), csrf_token=session.csrf_token, expires_at=session.expires_at
    )


@router.post("/auth/sign-out", status_code=204, dependencies=[AccountsOn])
def sign_out(request: Request, db: DbDep) -> Response:
    """End this session (its cookie stops working at once, on every service)."""
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        store.end_session(db, digest(token))
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/")
    return response


@router.get("/auth/me", response_model=MeOut)
def me(principal: PrincipalDep, settings: SettingsDep) -> MeOut:
    """Who this request acts as."""
    return MeOut(
        username=principal.user, role=principal.role, via=principal.via,
        accounts=settings.accounts,
    )  # fmt: skip


@router.post("/auth/password", status_code=204, dependencies=[AccountsOn])
def change_password(
    body: PasswordChangeIn, request: Request, principal: PrincipalDep, db: DbDep
) -> Response:
    """Change your password; your other sessions end."""
    manage.change_password(db, principal, body.current_password, body.new_password)
    token = request.cookies.get(SESSION_COOKIE)
    if principal.user_id is not None:
        store.end_sessions_of(db, principal.user_id, keep=digest(token) if token else None)
    return Response(status_code=204)


@router.post("/auth/keys", response_model=KeyCreatedOut, status_code=201, dependencies=[AccountsOn])
def create_key(body: KeyIn, principal: PrincipalDep, db: DbDep) -> KeyCreatedOut:
    """A new API key for scripts (X-API-Key). The key is in this answer only: keep it."""
    return manage.create_key(db, principal, body.name, body.role, body.expires_in_days)


@router.get("/auth/keys", response_model=list[KeyOut], dependencies=[AccountsOn])
def list_keys(principal: PrincipalDep, db: DbDep) -> list[KeyOut]:
    """Your keys (an admin: everyone's), newest first; never the keys themselves."""
    mine = None if principal.role is Role.ADMIN else principal.user_id
    return [manage.key_out(key, name) for key, name in store.list_keys(db, mine)]


@router.delete("/auth/keys/{key_id}", response_model=KeyOut, dependencies=[AccountsOn])
def revoke_key(key_id: str, principal: PrincipalDep, db: DbDep) -> KeyOut:
    """Revoke a key: it stops working at once."""
    return manage.revoke_key(db, principal, key_id)


@router.post("/users", response_model=UserOut, status_code=201, dependencies=[AccountsOn])
def create_user(body: UserIn, admin: AdminDep, db: DbDep) -> UserOut:
    """Add a user (admins only)."""
    return manage.create_user(db, body.username, body.password, body.role)


@router.get("/users", response_model=list[UserOut], dependencies=[AccountsOn])
def list_users(admin: AdminDep, db: DbDep) -> list[UserOut]:
    """Every user (admins only)."""
    return [manage.user_out(user) for user in store.list_users(db)]


@router.patch("/users/{username}", response_model=UserOut, dependencies=[AccountsOn])
def update_user(username: str, body: UserPatch, admin: AdminDep, db: DbDep) -> UserOut:
    """Change a user's role, disable or enable them, or set a new password (admins only)."""
    return manage.update_user(
        db, admin, username, role=body.role, disabled=body.disabled, password=body.password
    )


def _sign_in_limiter(request: Request, settings: Settings) -> WriteLimiter:
    state = request.app.state
    if getattr(state, "sign_in_limiter", None) is None:
        state.sign_in_limiter = WriteLimiter(
            settings.redis_url, settings.rate_limit_sign_in, namespace="sign-in",
            setting="RATE_LIMIT_SIGN_IN",
        )  # fmt: skip
    return state.sign_in_limiter  # type: ignore[no-any-return]
