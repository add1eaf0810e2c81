"""Shared fixtures: a real Redis, a migrated database (SQLite or PostgreSQL), the running stack."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from shared.config import Settings
from shared.storage.db import Database
from shared.storage.migrate import upgrade
from shared.storage.tables import Base
from tests.support.processes import Proc, free_port, start_redis, start_service, start_worker
from tests.support.stack import Stack

POSTGRES_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)


@pytest.fixture(scope="session", autouse=True)
def _testclient_host() -> Iterator[None]:
    """TestClient sends `Host: testserver`; this session's settings answer to it, as a user's
    ALLOWED_HOSTS would. Production code knows no such name."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ALLOWED_HOSTS", "testserver")
        yield


@pytest.fixture(scope="session")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("run")


@pytest.fixture(scope="session")
def redis_url(run_dir: Path) -> Iterator[str]:
    """A Redis server of our own on a free port (the same launcher `make up` uses)."""
    port = free_port()
    proc = start_redis(port, dict(os.environ), run_dir)
    yield f"redis://127.0.0.1:{port}/0"
    proc.stop()


@pytest.fixture
def redis_client(redis_url: str) -> Iterator[redis.Redis]:
    """A client on the suite's own Redis server (db 14)."""
    client = redis.Redis.from_url(
        redis_url.rsplit("/", 1)[0] + "/14", socket_connect_timeout=1, socket_timeout=2
    )
    yield client
    client.close()


def _postgres_available() -> bool:
    import psycopg

    try:
        with psycopg.connect(POSTGRES_ADMIN_URL, connect_timeout=2):
            return True
    except psycopg.Error:
        return False


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh, migrated PostgreSQL database, dropped afterwards."""
    import psycopg

    if not _postgres_available():
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL} on CI")
        pytest.skip("PostgreSQL is not running on 127.0.0.1:5432")
    name = f"tradelab_test_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
    url = f"{base}/{name}"
    upgrade(url)
    yield url
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A migrated database of each supported kind."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'jobs.db'}"
        upgrade(url)
    else:
        url = request.getfixturevalue("postgres_url")
    db = Database(url)
    yield db
    if request.param == "postgres":  # one database for the session: empty it for the next test
        with db.transaction() as s:
            for table in reversed(Base.metadata.sorted_tables):
                s.execute(table.delete())
    db.dispose()


@pytest.fixture(scope="session")
def stack(run_dir: Path, redis_url: str) -> Iterator[Stack]:
    var = run_dir / "var"
    ports = {name: free_port() for name in ("gateway", "trainer", "simulator")}
    env = {
        **os.environ,
        "PYTHONPATH": str(Path(__file__).resolve().parents[1]),
        "VAR_DIR": str(var),
        "REDIS_URL": redis_url,
        "DATABASE_URL": f"sqlite:///{var / 'platform.db'}",
        "TRAINER_URL": f"http://127.0.0.1:{ports['trainer']}",
        "SIMULATOR_URL": f"http://127.0.0.1:{ports['simulator']}",
        "JOB_HEARTBEAT_INTERVAL_S": "0.5",
        "JOB_HEARTBEAT_TIMEOUT_S": "4",
        "WATCHDOG_INTERVAL_S": "0.5",
        "MAX_UPLOAD_BYTES": "200000",
        "ALLOWED_HOSTS": "",  # real processes on 127.0.0.1: the defaults, not the test name
    }
    settings = Settings(
        var_dir=var, redis_url=redis_url, database_url=env["DATABASE_URL"],
        job_heartbeat_interval_s=0.5, job_heartbeat_timeout_s=4, watchdog_interval_s=0.5,
    )  # fmt: skip
    upgrade(settings.sqlalchemy_url)
    log_dir = run_dir / "logs"
    log_dir.mkdir()
    procs: list[Proc] = []
    try:
        # Two simulation workers, so fanned-out jobs are seen to spread over processes.
        for name in ("simulation", "simulation-b"):
            worker_env = {**env, "TEST_WORKER_NAME": f"worker-{name}"}
            procs.append(start_worker(name, "simulation", worker_env, log_dir))
        procs.append(
            start_worker(
                "training", "training", {**env, "TEST_WORKER_NAME": "worker-training"}, log_dir, 1
            )
        )
        procs.append(start_service("trainer", ports["trainer"], env, log_dir))
        procs.append(start_service("simulator", ports["simulator"], env, log_dir))
        procs.append(start_service("gateway", ports["gateway"], env, log_dir))
        db = Database(settings.sqlalchemy_url)
        yield Stack(
            settings, env, db, f"http://127.0.0.1:{ports['gateway']}",
            env["SIMULATOR_URL"], env["TRAINER_URL"], log_dir,
        )  # fmt: skip
        db.dispose()
    finally:
        for proc in reversed(procs):
            proc.stop()
