"""Migrations apply, roll back and re-apply on SQLite and PostgreSQL alike."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from shared.storage.db import Database
from shared.storage.migrate import downgrade, upgrade
from shared.storage.tables import Base


def test_schema_round_trips(database: Database) -> None:
    assert "jobs" in inspect(database.engine).get_table_names()
    database.dispose()
    downgrade(database.url, "base")
    assert "jobs" not in inspect(database.engine).get_table_names()
    upgrade(database.url)
    upgrade(database.url)  # running it again changes nothing
    columns = {c["name"] for c in inspect(database.engine).get_columns("jobs")}
    assert {"id", "status", "progress", "idempotency_key", "heartbeat_at", "attempts"} <= columns


def test_the_migrated_schema_is_what_the_tables_declare(database: Database) -> None:
    # A column, index or constraint added to tables.py without a migration (or the reverse)
    # would only show up on a deployed database; compare the two here instead.
    with database.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
