"""Migrations apply, roll back and re-apply on SQLite and PostgreSQL alike."""

from __future__ import annotations

from sqlalchemy import inspect

from shared.storage.db import Database
from shared.storage.migrate import downgrade, upgrade


def test_schema_round_trips(database: Database) -> None:
    assert "jobs" in inspect(database.engine).get_table_names()
    database.dispose()
    downgrade(database.url, "base")
    assert "jobs" not in inspect(database.engine).get_table_names()
    upgrade(database.url)
    upgrade(database.url)  # running it again changes nothing
    columns = {c["name"] for c in inspect(database.engine).get_columns("jobs")}
    assert {"id", "status", "progress", "idempotency_key", "heartbeat_at", "attempts"} <= columns
