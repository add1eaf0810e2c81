"""Wire schemas of accounts: signing in, users and API keys."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from shared.accounts.roles import Role
from shared.schemas.base import RequestModel

USERNAME_PATTERN = r"^[a-z0-9][a-z0-9._-]{1,62}[a-z0-9]$"


class SignInIn(RequestModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class UserOut(BaseModel):
    username: str
    role: Role
    created_at: datetime
    disabled: bool


class SignInOut(BaseModel):
    """The session itself travels in an httpOnly cookie; `csrf_token` goes in X-CSRF-Token."""

    user: UserOut
    csrf_token: str
    expires_at: datetime


class MeOut(BaseModel):
    """Who the request acts as. `username` is null for the platform itself (loopback without
    accounts, or the environment's API_KEY)."""

    username: str | None
    role: Role
    via: str
    accounts: bool = Field(description="whether ACCOUNTS is on")


class UserIn(RequestModel):
    username: str = Field(
        pattern=USERNAME_PATTERN,
        description="3-64 characters: lower-case letters, digits, '.', '_', '-'",
    )
    password: str = Field(min_length=1, max_length=256, description="12-256 characters")
    role: Role = Role.RESEARCHER


class UserPatch(RequestModel):
    role: Role | None = None
    disabled: bool | None = Field(None, description="a disabled user's sessions and keys stop")
    password: str | None = Field(None, min_length=1, max_length=256, description="a new one")


class PasswordChangeIn(RequestModel):
    current_password: str = Field(min_length=1, max_length=256)
    new_password: str = Field(min_length=1, max_length=256)


class KeyIn(RequestModel):
    name: str = Field(min_length=1, max_length=64, description="what the key is for")
    role: Role | None = Field(None, description="at most your own role; default: your role")
    expires_in_days: int = Field(90, ge=1, le=366)


class KeyOut(BaseModel):
    id: str
    name: str
    prefix: str = Field(description="the key's first characters, to recognise it")
    username: str
    role: Role
    created_at: datetime
    expires_at: datetime
    revoked: bool
    last_used_at: datetime | None


class KeyCreatedOut(KeyOut):
    key: str = Field(description="the key itself: shown this once, never again")
