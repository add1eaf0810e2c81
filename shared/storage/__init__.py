"""The only place that speaks SQL: engine, sessions, ORM rows and migrations."""

from shared.storage.db import Database, utcnow
from shared.storage.models import Base, JobRow

__all__ = ["Base", "Database", "JobRow", "utcnow"]
