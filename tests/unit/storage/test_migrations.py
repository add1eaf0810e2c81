"""Migrations apply, roll back and re-apply on SQLite and PostgreSQL alike."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from shared.storage.db import Database, utcnow
from shared.storage.migrate import downgrade, upgrade
from shared.storage.tables import Base

OLD_JOB_COLUMNS = (
    "id", "kind", "queue", "status", "progress", "message", "error", "request_hash",
    "cancel_requested", "attempts", "created_at", "updated_at",
)  # fmt: skip


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


def test_jobs_from_before_0005_count_as_sent_unless_the_broker_refused_them(
    database: Database,
) -> None:
    # A job row from before `sends` existed was handed to the broker, except when its
    # submission failed with the broker unreachable; a repeat of that one must not be "accepted".
    database.dispose()
    downgrade(database.url, "0004")
    old_jobs = sa.table(
        "jobs", *(sa.column(name) for name in OLD_JOB_COLUMNS), sa.column("params", sa.JSON)
    )
    now = utcnow()
    rows = [
        ("ran", "succeeded", None),
        ("refused", "failed", "could not queue the job: broker unreachable (Error 111)"),
        ("crashed", "failed", "ValueError: bad"),
    ]
    with database.engine.begin() as conn:
        for job_id, status, error in rows:
            conn.execute(
                old_jobs.insert().values(
                    id=job_id,
                    kind="data_download",
                    queue="simulation",
                    status=status,
                    progress=0.0,
                    message="",
                    params={},
                    error=error,
                    request_hash="h",
                    cancel_requested=False,
                    attempts=0,
                    created_at=now,
                    updated_at=now,
                )
            )
    database.dispose()
    upgrade(database.url)
    with database.engine.connect() as conn:
        sends = dict(conn.execute(sa.text("SELECT id, sends FROM jobs")).all())
    assert sends == {"ran": 1, "refused": 0, "crashed": 1}
