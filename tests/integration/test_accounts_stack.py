"""Real processes with ACCOUNTS on: a dashboard session and a script's key travel through the
gateway to the service behind it, which checks them itself against the shared database."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from shared.accounts import manage
from shared.accounts.roles import Principal, Role
from shared.storage import accounts as store
from shared.storage.db import Database
from shared.storage.migrate import upgrade
from tests.support.processes import Proc, free_port, start_service

pytestmark = pytest.mark.integration

PASSWORD = "correct horse battery"
SIMULATION = {
    "strategy": "sma_crossover", "params": {"fast": 5, "slow": 20}, "source": "builtin",
    "symbols": ["SP500"], "start": "2015-01-01", "end": "2015-12-31",
}  # fmt: skip


@pytest.fixture(scope="module")
def accounts_stack(tmp_path_factory: pytest.TempPathFactory, redis_url: str) -> Iterator[dict]:
    """The gateway and the simulator (no workers: submissions stay queued) with ACCOUNTS=true."""
    root = tmp_path_factory.mktemp("accounts")
    ports = {"gateway": free_port(), "simulator": free_port()}
    database_url = f"sqlite:///{root / 'platform.db'}"
    env = {
        **os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
        "VAR_DIR": str(root), "DATABASE_URL": database_url, "ACCOUNTS": "true",
        "REDIS_URL": redis_url.rsplit("/", 1)[0] + "/7",  # no worker reads it
        "SIMULATOR_URL": f"http://127.0.0.1:{ports['simulator']}",
        "TRAINER_URL": f"http://127.0.0.1:{free_port()}", "ALLOWED_HOSTS": "",
    }  # fmt: skip
    upgrade(database_url)
    db = Database(database_url)
    for name in ("alice", "bob"):
        manage.create_user(db, name, PASSWORD, Role.RESEARCHER)
    bob = store.get_user(db, "bob")
    bobs_key = manage.create_key(
        db, Principal(Role.RESEARCHER, "session", user="bob", user_id=bob.id), "t", None, 1
    ).key
    procs: list[Proc] = []
    try:
        procs.append(start_service("simulator", ports["simulator"], env, root))
        procs.append(start_service("gateway", ports["gateway"], env, root))
        yield {
            "gateway": f"http://127.0.0.1:{ports['gateway']}",
            "simulator": env["SIMULATOR_URL"], "bobs_key": bobs_key,
        }  # fmt: skip
    finally:
        for proc in reversed(procs):
            proc.stop()
        db.dispose()


def test_a_signed_in_dashboard_submits_through_the_gateway(accounts_stack: dict) -> None:
    gateway = accounts_stack["gateway"]
    with httpx.Client(base_url=gateway, timeout=30) as browser:
        assert browser.get("/api/v1/simulations").status_code == 401
        signed = browser.post(
            "/api/v1/auth/sign-in", json={"username": "alice", "password": PASSWORD}
        )
        assert signed.status_code == 200
        csrf = {"X-CSRF-Token": signed.json()["csrf_token"], "Origin": gateway}
        # The simulator, not only the gateway, refuses a cookie write without the CSRF token.
        forged = browser.post("/api/v1/simulations", json=SIMULATION, headers={"Origin": gateway})
        assert forged.status_code == 403 and forged.json()["code"] == "csrf_failed"
        sent = browser.post("/api/v1/simulations", json=SIMULATION, headers=csrf)
        assert sent.status_code == 202, sent.text
        sim_id = sent.json()["simulation_id"]
        assert browser.get(f"/api/v1/simulations/{sim_id}").status_code == 200
        assert browser.get("/api/v1/jobs").json()["items"][0]["owner"] == "alice"
    # Bob's script, with his key, finds nothing of alice's: not at the gateway, not behind it.
    bob = {"X-API-Key": accounts_stack["bobs_key"]}
    for url in (gateway, accounts_stack["simulator"]):
        assert httpx.get(f"{url}/api/v1/simulations/{sim_id}", headers=bob).status_code == 404
        assert httpx.get(f"{url}/api/v1/simulations", headers=bob).json()["total"] == 0


def test_a_service_reached_directly_wants_credentials_too(accounts_stack: dict) -> None:
    resp = httpx.post(f"{accounts_stack['simulator']}/api/v1/simulations", json=SIMULATION)
    assert resp.status_code == 401
