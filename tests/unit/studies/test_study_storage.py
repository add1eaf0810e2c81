"""Optuna's storage lives on the platform's database without touching the platform's tables:
its own `alembic_version` never replaces ours (a separate file on SQLite, a separate schema on
PostgreSQL), and the platform's migrations still run after Optuna has made its tables."""

from __future__ import annotations

from pathlib import Path

import optuna
import pytest
from sqlalchemy import create_engine, inspect, text

from shared.storage.db import Database
from shared.storage.migrate import upgrade
from trainer.studies.storage import OPTUNA_SCHEMA, optuna_location, optuna_storage


def _platform_revision(url: str) -> str:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return str(conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one())
    finally:
        engine.dispose()


def test_sqlite_gets_a_file_of_its_own_beside_the_platform(tmp_path: Path) -> None:
    url, _ = optuna_location(f"sqlite:///{tmp_path / 'platform.db'}")
    assert url == f"sqlite:///{tmp_path / 'platform.optuna.db'}"
    with pytest.raises(ValueError, match="in-memory"):
        optuna_location("sqlite://")


def test_optuna_and_the_platform_keep_their_own_alembic_tables(database: Database) -> None:
    url = database.url
    before = _platform_revision(url)
    storage = optuna_storage(url)
    study = optuna.create_study(storage=storage, study_name="s1", direction="maximize")
    trial = study.ask()
    trial.suggest_float("x", 0.0, 1.0)
    study.tell(trial, 0.5)
    upgrade(url)  # the platform's migrations still see their own history
    assert _platform_revision(url) == before
    engine = create_engine(url)
    try:
        platform_tables = set(inspect(engine).get_table_names())
        assert "trials" not in platform_tables and "studies" in platform_tables  # ours: RL studies
        if engine.dialect.name == "postgresql":
            optuna_tables = set(inspect(engine).get_table_names(schema=OPTUNA_SCHEMA))
            assert {"trials", "alembic_version", "studies"} <= optuna_tables
            with engine.connect() as conn:
                theirs = conn.execute(
                    text(f"SELECT version_num FROM {OPTUNA_SCHEMA}.alembic_version")
                ).scalar_one()
            assert theirs != before
    finally:
        engine.dispose()
    reloaded = optuna.load_study(study_name="s1", storage=optuna_storage(url))
    assert [t.value for t in reloaded.trials] == [0.5]
    if engine.dialect.name == "postgresql":  # the next test gets an empty database
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {OPTUNA_SCHEMA} CASCADE"))
        engine.dispose()
        optuna_storage.cache_clear()
