"""Secrets handed to clients (API keys, session and CSRF tokens) and how they are stored.

Tokens are 256 random bits, so a plain SHA-256 is enough to store them: unlike a password there
is nothing to guess, and a lookup by hash stays one indexed query.
"""

from __future__ import annotations

import hashlib
import secrets

KEY_PREFIX = "tlk_"  # recognisable in logs and by secret scanners


def new_api_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def shown_prefix(key: str) -> str:
    """What lists show of a key, enough to tell keys apart: `tlk_` and six characters."""
    return key[: len(KEY_PREFIX) + 6]
