"""The only place that speaks SQL: engine, sessions, table rows, queries and migrations.

Modules: db (engine, sessions), tables (ORM rows), jobs (job rows), chunks (finished pieces of
fanned-out jobs), resources (rows a job fills in), simulations (backtests, trades, sweeps, stress
tests), migrate (Alembic).
"""

from shared.storage.db import Database, utcnow
from shared.storage.tables import Base, JobRow

__all__ = ["Base", "Database", "JobRow", "utcnow"]
