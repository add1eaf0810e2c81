"""Roles, the principal a request acts as, and what each may read and change."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from shared.errors import Forbidden, NotFound
from shared.storage.owners import EVERYONE, OwnerScope


class Role(StrEnum):
    """viewer: reads everything, changes nothing. researcher: submits work and manages their own;
    another researcher's work is invisible to them. admin: everything, and the accounts."""

    VIEWER = "viewer"
    RESEARCHER = "researcher"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def at_most(self, other: Role) -> Role:
        """The lesser of two roles (a key never grants more than its user has)."""
        return self if self.rank <= other.rank else other


_RANK = {Role.VIEWER: 0, Role.RESEARCHER: 1, Role.ADMIN: 2}


@dataclass(frozen=True)
class Principal:
    """Who a request acts as. `user` is None for the platform itself: loopback without accounts,
    or the key from the environment (API_KEY); what they make has no owner."""

    role: Role
    via: str  # "local", "environment key", "session", "api key"
    user: str | None = None
    user_id: str | None = None
    key_id: str | None = None

    @property
    def owner(self) -> str | None:
        """What work submitted by this principal records as its owner."""
        return self.user

    @property
    def can_write(self) -> bool:
        return self.role.rank >= Role.RESEARCHER.rank

    @property
    def scope(self) -> OwnerScope:
        """Whose work this principal may read: a researcher their own and the ownerless."""
        if self.role is Role.RESEARCHER and self.user is not None:
            return OwnerScope(self.user)
        return EVERYONE

    @property
    def rate_key(self) -> str:
        """The bucket this principal's writes are counted in."""
        if self.key_id is not None:
            return f"key:{self.key_id}"
        return f"user:{self.user}" if self.user is not None else f"platform:{self.via}"


LOCAL = Principal(Role.ADMIN, "local")
ENVIRONMENT_KEY = Principal(Role.ADMIN, "environment key")


def ensure_readable(principal: Principal, owner: str | None, missing: NotFound) -> None:
    """Raise `missing` (the same 404 as an unknown id) when the principal may not see the work:
    another researcher's work does not exist for them."""
    if not principal.scope.sees(owner):
        raise missing


def ensure_modifiable(principal: Principal, owner: str | None, missing: NotFound) -> None:
    """404 when unseen, 403 when seen but not theirs to change (work with no owner, for a
    researcher), nothing for its owner or an admin."""
    ensure_readable(principal, owner, missing)
    if principal.role is Role.ADMIN:
        return
    if not principal.can_write or owner is None or owner != principal.user:
        whose = f"{owner}'s" if owner else "the platform's"
        raise Forbidden(f"this is {whose} work: only its owner or an admin may change it")
