"""Password hashing with argon2id (argon2-cffi's defaults, RFC 9106's low-memory profile)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from shared.errors import ValidationError

MIN_LENGTH, MAX_LENGTH = 12, 256
_hasher = PasswordHasher()
# Verified against when the user name is unknown, so that a wrong name takes as long as a
# wrong password and timing tells nobody which names exist.
_DECOY = _hasher.hash("not a password of anyone")


def check_password_rules(password: str, field: str = "password") -> None:
    """Length only (NIST SP 800-63B): long passphrases, no composition rules."""
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        raise ValidationError(
            f"a password has {MIN_LENGTH} to {MAX_LENGTH} characters; this one has {len(password)}",
            field=field,
        )


def hash_password(password: str) -> str:
    check_password_rules(password)
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when `password` matches; a None hash (no such user) costs the same and is False."""
    try:
        return _hasher.verify(password_hash or _DECOY, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False
