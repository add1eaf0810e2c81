"""Manage accounts from the command line, against the platform's database (DATABASE_URL/VAR_DIR).

    python scripts/accounts.py create-admin NAME         # the first admin: asks for a password
    python scripts/accounts.py create-user NAME --role researcher
    python scripts/accounts.py set-password NAME
    python scripts/accounts.py list

The password is asked for twice on a terminal, or read as one line from stdin with
--password-stdin (for scripts). Exit status: 0 done, 1 refused (a name taken, an unknown user),
2 bad input (a short password, an invalid name or role).
"""

from __future__ import annotations

import argparse
import getpass
import re
import sys

from shared.accounts import manage, passwords
from shared.accounts.roles import Role
from shared.config import get_settings
from shared.errors import AppError, ValidationError
from shared.schemas.accounts import USERNAME_PATTERN
from shared.storage import accounts as store
from shared.storage.db import Database
from shared.storage.migrate import upgrade

REFUSED, BAD_INPUT = 1, 2


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = get_settings()
    upgrade(settings.sqlalchemy_url)
    db = Database(settings.sqlalchemy_url)
    try:
        return _run(args, db)
    except ValidationError as exc:
        print(f"error: {exc.detail}", file=sys.stderr)
        return BAD_INPUT
    except AppError as exc:
        print(f"error: {exc.detail}", file=sys.stderr)
        return REFUSED
    finally:
        db.dispose()


def _run(args: argparse.Namespace, db: Database) -> int:
    if args.command == "list":
        for user in store.list_users(db):
            state = "disabled" if user.disabled_at else "active"
            print(f"{user.username}\t{user.role}\t{state}\t{user.created_at:%Y-%m-%d}")
        return 0
    if not re.fullmatch(USERNAME_PATTERN, args.name):
        raise ValidationError(
            f"{args.name!r} is not a user name: 3-64 characters of a-z, 0-9, '.', '_', '-'"
        )
    password = _password(args.password_stdin)
    if args.command == "set-password":
        store.get_user(db, args.name)
        user = store.update_user(db, args.name, password_hash=passwords.hash_password(password))
        store.end_sessions_of(db, user.id)
        print(f"new password set for {args.name}; their sessions have ended")
        return 0
    role = Role.ADMIN if args.command == "create-admin" else Role(args.role)
    created = manage.create_user(db, args.name, password, role)
    print(f"created {created.role} {created.username}")
    return 0


def _password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("password: ")
        if getpass.getpass("again: ") != password:
            raise ValidationError("the two passwords differ")
    passwords.check_password_rules(password)
    return password


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name, text in (
        ("create-admin", "add an admin (the first one, typically)"),
        ("create-user", "add a user with a role"),
        ("set-password", "give a user a new password and end their sessions"),
    ):
        command = commands.add_parser(name, help=text)
        command.add_argument("name")
        command.add_argument("--password-stdin", action="store_true", help="read it from stdin")
        if name == "create-user":
            command.add_argument("--role", choices=[r.value for r in Role], default="researcher")
    commands.add_parser("list", help="every user, role and state")
    return parser


if __name__ == "__main__":
    sys.exit(main())
