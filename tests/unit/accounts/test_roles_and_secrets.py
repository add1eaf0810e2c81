"""Roles and what they see, password hashes and stored tokens: the rules every check builds on."""

from __future__ import annotations

import hashlib

import pytest

from shared.accounts import passwords, tokens
from shared.accounts.roles import ENVIRONMENT_KEY, LOCAL, Principal, Role, ensure_modifiable
from shared.errors import Forbidden, NotFound, ValidationError

ALICE = Principal(Role.RESEARCHER, "session", user="alice")
VIEWER = Principal(Role.VIEWER, "session", user="vera")
ADMIN = Principal(Role.ADMIN, "session", user="root")
MISSING = NotFound("no thing with id 'x'")


def test_a_researcher_sees_their_own_and_the_platforms_work_only() -> None:
    assert ALICE.scope.sees("alice") and ALICE.scope.sees(None)
    assert not ALICE.scope.sees("bob")
    for everyone in (VIEWER, ADMIN, LOCAL, ENVIRONMENT_KEY):
        assert everyone.scope.sees("bob"), everyone


def test_only_the_owner_or_an_admin_changes_work() -> None:
    ensure_modifiable(ALICE, "alice", MISSING)
    ensure_modifiable(ADMIN, "bob", MISSING)
    ensure_modifiable(LOCAL, None, MISSING)
    with pytest.raises(NotFound):  # another's work does not exist for a researcher
        ensure_modifiable(ALICE, "bob", MISSING)
    with pytest.raises(Forbidden, match="the platform's work"):
        ensure_modifiable(ALICE, None, MISSING)
    with pytest.raises(Forbidden, match="bob's work"):
        ensure_modifiable(VIEWER, "bob", MISSING)


def test_a_key_never_grants_more_than_its_users_role() -> None:
    assert Role.ADMIN.at_most(Role.RESEARCHER) is Role.RESEARCHER
    assert Role.VIEWER.at_most(Role.ADMIN) is Role.VIEWER


def test_passwords_are_argon2id_hashes_that_verify_only_the_password() -> None:
    stored = passwords.hash_password("correct horse battery")
    assert stored.startswith("$argon2id$")
    assert "correct horse" not in stored
    assert passwords.verify_password(stored, "correct horse battery")
    assert not passwords.verify_password(stored, "correct horse batterY")
    assert not passwords.verify_password(None, "correct horse battery")  # an unknown user
    assert not passwords.verify_password("not a hash", "x")


@pytest.mark.parametrize("length", [0, 11, 257])
def test_password_length_rules(length: int) -> None:
    with pytest.raises(ValidationError, match="12 to 256 characters"):
        passwords.hash_password("x" * length)


def test_keys_are_random_prefixed_and_stored_as_sha256() -> None:
    key = tokens.new_api_key()
    assert key.startswith("tlk_") and len(key) > 40 and key != tokens.new_api_key()
    assert tokens.digest(key) == hashlib.sha256(key.encode()).hexdigest()
    assert tokens.shown_prefix(key) == key[:10]
