"""Users, API keys and sessions in the database. Secrets arrive hashed; nothing here hashes."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from shared.errors import Conflict, NotFound
from shared.storage.db import Database, utcnow
from shared.storage.tables import ApiKeyRow, SessionRow, UserRow

LAST_USED_STEP = timedelta(minutes=1)  # a key's last use is recorded at most this often


def create_user(db: Database, *, username: str, password_hash: str, role: str) -> UserRow:
    user = UserRow(
        id=str(uuid.uuid4()), username=username, password_hash=password_hash, role=role,
        created_at=utcnow(),
    )  # fmt: skip
    try:
        with db.transaction() as s:
            s.add(user)
    except IntegrityError as exc:
        raise Conflict(f"a user named {username!r} exists already", field="username") from exc
    return user


def user_named(db: Database, username: str) -> UserRow | None:
    with db.session() as s:
        return s.scalars(select(UserRow).where(UserRow.username == username)).first()


def get_user(db: Database, username: str) -> UserRow:
    user = user_named(db, username)
    if user is None:
        raise NotFound(f"no user named {username!r}", field="username")
    return user


def list_users(db: Database) -> list[UserRow]:
    with db.session() as s:
        return list(s.scalars(select(UserRow).order_by(UserRow.username)))


def update_user(db: Database, username: str, **values: object) -> UserRow:
    """Change a user's role, password hash or disabled time."""
    with db.transaction() as s:
        user = s.scalars(select(UserRow).where(UserRow.username == username)).first()
        if user is None:
            raise NotFound(f"no user named {username!r}", field="username")
        for name, value in values.items():
            setattr(user, name, value)
    return user


def create_key(
    db: Database, *, user_id: str, name: str, prefix: str, secret_hash: str, role: str,
    expires_at: datetime,
) -> ApiKeyRow:  # fmt: skip
    key = ApiKeyRow(
        id=str(uuid.uuid4()), user_id=user_id, name=name, prefix=prefix, secret_hash=secret_hash,
        role=role, created_at=utcnow(), expires_at=expires_at,
    )  # fmt: skip
    with db.transaction() as s:
        s.add(key)
    return key


def list_keys(db: Database, user_id: str | None) -> list[tuple[ApiKeyRow, str]]:
    """Keys with their user's name, newest first: one user's, or everyone's (None)."""
    query = select(ApiKeyRow, UserRow.username).join(UserRow, UserRow.id == ApiKeyRow.user_id)
    if user_id is not None:
        query = query.where(ApiKeyRow.user_id == user_id)
    with db.session() as s:
        return [(k, u) for k, u in s.execute(query.order_by(ApiKeyRow.created_at.desc()))]


def get_key(db: Database, key_id: str) -> tuple[ApiKeyRow, str]:
    query = (
        select(ApiKeyRow, UserRow.username)
        .join(UserRow, UserRow.id == ApiKeyRow.user_id)
        .where(ApiKeyRow.id == key_id)
    )
    with db.session() as s:
        found = s.execute(query).first()
    if found is None:
        raise NotFound(f"no API key with id {key_id!r}", field="key_id")
    return found[0], found[1]


def revoke_key(db: Database, key_id: str) -> ApiKeyRow:
    with db.transaction() as s:
        key = s.get(ApiKeyRow, key_id)
        if key is None:
            raise NotFound(f"no API key with id {key_id!r}", field="key_id")
        if key.revoked_at is None:
            key.revoked_at = utcnow()
    return key


def user_of_key(db: Database, secret_hash: str) -> tuple[UserRow, ApiKeyRow] | None:
    """The enabled user of a live (unrevoked, unexpired) key; its last use is noted."""
    now = utcnow()
    query = (
        select(UserRow, ApiKeyRow)
        .join(ApiKeyRow, ApiKeyRow.user_id == UserRow.id)
        .where(
            ApiKeyRow.secret_hash == secret_hash,
            ApiKeyRow.revoked_at.is_(None),
            ApiKeyRow.expires_at > now,
            UserRow.disabled_at.is_(None),
        )
    )
    with db.session() as s:
        found = s.execute(query).first()
    if found is None:
        return None
    user, key = found[0], found[1]
    if key.last_used_at is None or now - key.last_used_at > LAST_USED_STEP:
        with db.transaction() as s:  # at most once a minute: a read must not become a write
            s.execute(update(ApiKeyRow).where(ApiKeyRow.id == key.id).values(last_used_at=now))
    return user, key


def create_session(
    db: Database, *, token_hash: str, user_id: str, csrf_token: str, ttl: timedelta
) -> SessionRow:
    now = utcnow()
    row = SessionRow(
        token_hash=token_hash, user_id=user_id, csrf_token=csrf_token, created_at=now,
        expires_at=now + ttl,
    )  # fmt: skip
    with db.transaction() as s:
        s.add(row)
    return row


def user_of_session(db: Database, token_hash: str) -> tuple[UserRow, SessionRow] | None:
    """The enabled user of a live session."""
    query = (
        select(UserRow, SessionRow)
        .join(SessionRow, SessionRow.user_id == UserRow.id)
        .where(
            SessionRow.token_hash == token_hash,
            SessionRow.revoked_at.is_(None),
            SessionRow.expires_at > utcnow(),
            UserRow.disabled_at.is_(None),
        )
    )
    with db.session() as s:
        found = s.execute(query).first()
    return (found[0], found[1]) if found is not None else None


def end_session(db: Database, token_hash: str) -> None:
    with db.transaction() as s:
        s.execute(
            update(SessionRow)
            .where(SessionRow.token_hash == token_hash, SessionRow.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )


def end_sessions_of(db: Database, user_id: str, *, keep: str | None = None) -> None:
    """Sign a user out everywhere (but the session `keep`): after a password change or disable."""
    query = update(SessionRow).where(SessionRow.user_id == user_id, SessionRow.revoked_at.is_(None))
    if keep is not None:
        query = query.where(SessionRow.token_hash != keep)
    with db.transaction() as s:
        s.execute(query.values(revoked_at=utcnow()))
