"""Schema migrations with Alembic; `python -m shared.storage.migrate` upgrades to head."""

from __future__ import annotations

import sys
from pathlib import Path

from alembic import command
from alembic.config import Config

from shared.config import get_settings

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    """An Alembic config pointing at our migrations and at `url`."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database at `url` up to `revision`; safe to run repeatedly."""
    from shared.storage.db import make_engine

    make_engine(url).dispose()  # creates the SQLite directory when needed
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str) -> None:
    command.downgrade(alembic_config(url), revision)


def main() -> int:
    url = get_settings().sqlalchemy_url
    upgrade(url)
    print(f"database is at the latest schema ({url.split('@')[-1]})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
