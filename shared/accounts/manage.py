"""Account operations shared by the API and the command line: users, passwords, keys, sessions."""

from __future__ import annotations

from datetime import timedelta

from shared.accounts import passwords, tokens
from shared.accounts.roles import Principal, Role
from shared.errors import Forbidden, NotFound, ValidationError
from shared.schemas.accounts import KeyCreatedOut, KeyOut, UserOut
from shared.storage import accounts as store
from shared.storage.db import Database, utcnow
from shared.storage.tables import ApiKeyRow, SessionRow, UserRow


def user_out(user: UserRow) -> UserOut:
    return UserOut(
        username=user.username, role=Role(user.role), created_at=user.created_at,
        disabled=user.disabled_at is not None,
    )  # fmt: skip


def key_out(key: ApiKeyRow, username: str) -> KeyOut:
    return KeyOut(
        id=key.id, name=key.name, prefix=key.prefix, username=username, role=Role(key.role),
        created_at=key.created_at, expires_at=key.expires_at,
        revoked=key.revoked_at is not None, last_used_at=key.last_used_at,
    )  # fmt: skip


def create_user(db: Database, username: str, password: str, role: Role) -> UserOut:
    return user_out(
        store.create_user(
            db, username=username, password_hash=passwords.hash_password(password), role=role
        )
    )


def sign_in(
    db: Database, username: str, password: str, ttl: timedelta
) -> tuple[UserRow, SessionRow, str] | None:
    """(user, session, cookie token) for a right name and password of an enabled user."""
    user = store.user_named(db, username)
    ok = passwords.verify_password(user.password_hash if user else None, password)
    if user is None or not ok or user.disabled_at is not None:
        return None
    token = tokens.new_token()
    session = store.create_session(
        db, token_hash=tokens.digest(token), user_id=user.id, csrf_token=tokens.new_token(),
        ttl=ttl,
    )  # fmt: skip
    return user, session, token


def change_password(db: Database, principal: Principal, current: str, new: str) -> None:
    user = _user_of(db, principal)
    if not passwords.verify_password(user.password_hash, current):
        raise Forbidden("the current password is wrong", field="current_password")
    passwords.check_password_rules(new, field="new_password")
    store.update_user(db, user.username, password_hash=passwords.hash_password(new))


def update_user(
    db: Database, admin: Principal, username: str, *, role: Role | None, disabled: bool | None,
    password: str | None,
) -> UserOut:  # fmt: skip
    """An admin's change to a user; disabling or a new password ends the user's sessions."""
    values: dict[str, object] = {}
    if role is not None:
        values["role"] = role.value
    if disabled is not None:
        if disabled and username == admin.user:
            raise ValidationError("you cannot disable yourself", field="disabled")
        values["disabled_at"] = utcnow() if disabled else None
    if password is not None:
        values["password_hash"] = passwords.hash_password(password)
    user = store.update_user(db, username, **values)
    if disabled or password is not None:
        store.end_sessions_of(db, user.id)
    return user_out(user)


def create_key(
    db: Database, principal: Principal, name: str, role: Role | None, days: int
) -> KeyCreatedOut:
    user = _user_of(db, principal)
    granted = Role(user.role)
    wanted = role or granted
    if wanted.rank > granted.rank:
        raise Forbidden(f"a key cannot have more than your role ({granted})", field="role")
    key = tokens.new_api_key()
    row = store.create_key(
        db, user_id=user.id, name=name, prefix=tokens.shown_prefix(key),
        secret_hash=tokens.digest(key), role=wanted.value,
        expires_at=utcnow() + timedelta(days=days),
    )  # fmt: skip
    return KeyCreatedOut(**key_out(row, user.username).model_dump(), key=key)


def revoke_key(db: Database, principal: Principal, key_id: str) -> KeyOut:
    key, username = store.get_key(db, key_id)
    if principal.role is not Role.ADMIN and key.user_id != principal.user_id:
        # Another user's key does not exist for them: the same 404 as an unknown id.
        raise NotFound(f"no API key with id {key_id!r}", field="key_id")
    return key_out(store.revoke_key(db, key_id), username)


def _user_of(db: Database, principal: Principal) -> UserRow:
    if principal.user is None:
        raise ValidationError(
            "the platform itself (loopback without accounts, or API_KEY) has no account: "
            "sign in as a user",
            field="user",
        )
    return store.get_user(db, principal.user)
