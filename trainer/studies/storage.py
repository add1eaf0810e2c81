"""Optuna's RDB storage on the platform's database, kept apart from the platform's own tables.

Optuna creates its tables with its own Alembic history, including a table named
`alembic_version`, which the platform's migrations already use. The two must never share one:
- SQLite: Optuna gets its own file beside the platform's (`platform.db` -> `platform.optuna.db`);
- PostgreSQL: the same database, in its own schema (`optuna`), reached through search_path, so
  Optuna's `alembic_version` is `optuna.alembic_version` and the platform's stays in `public`.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

OPTUNA_SCHEMA = "optuna"


def optuna_location(platform_url: str) -> tuple[str, dict[str, Any]]:
    """(url, engine_kwargs) of Optuna's storage for the platform database at `platform_url`."""
    url = make_url(platform_url)
    backend = url.get_backend_name()
    if backend == "sqlite":
        database = url.database or ""
        if database in ("", ":memory:"):
            raise ValueError("an in-memory SQLite database has no place beside it for studies")
        path = Path(database)
        beside = path.with_name(f"{path.stem}.optuna{path.suffix or '.db'}")
        return url.set(database=str(beside)).render_as_string(hide_password=False), {
            "connect_args": {"timeout": 30}
        }
    if backend == "postgresql":
        return url.render_as_string(hide_password=False), {
            "connect_args": {"options": f"-csearch_path={OPTUNA_SCHEMA}"},
            "pool_pre_ping": True,
        }
    raise ValueError(f"studies support SQLite and PostgreSQL databases, not {backend}")


@functools.cache
def optuna_storage(platform_url: str) -> Any:
    """Optuna's RDBStorage for the platform database (once per process: it checks its schema)."""
    import optuna  # only where studies run

    url, kwargs = optuna_location(platform_url)
    if make_url(url).get_backend_name() == "postgresql":
        engine = create_engine(url)
        try:
            with engine.begin() as conn:
                conn.execute(text(f"CREATE SCHEMA IF NOT EXISTS {OPTUNA_SCHEMA}"))
        finally:
            engine.dispose()
    return optuna.storages.RDBStorage(url, engine_kwargs=kwargs)
