"""Accounts through the HTTP API: signing in, CSRF, API keys from birth to revocation, roles,
and two researchers who cannot see or touch each other's work.

The gateway, simulator and trainer apps run in-process on one database, as the services of one
platform do; submissions reach a real Redis (a database no worker reads, so they stay queued).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from fastapi.testclient import TestClient

from gateway.main import create_app as gateway_app
from shared.accounts import manage
from shared.accounts.roles import Principal, Role
from shared.config import Settings
from shared.storage import accounts as store
from shared.storage import models as registry
from shared.storage.db import Database, utcnow
from shared.storage.migrate import upgrade
from simulator.main import create_app as simulator_app
from trainer.main import create_app as trainer_app

PASSWORD = "correct horse battery"
SIMULATION = {
    "strategy": "sma_crossover", "params": {"fast": 5, "slow": 20}, "source": "builtin",
    "symbols": ["SP500"], "start": "2015-01-01", "end": "2015-12-31",
}  # fmt: skip


@dataclass
class Platform:
    settings: Settings
    db: Database
    gateway: TestClient
    simulator: TestClient
    trainer: TestClient

    def signed_in(self, client: TestClient, username: str) -> dict[str, str]:
        """Sign in at the gateway and give `client` the cookies, as a browser shares them over
        one site; returns the CSRF header to echo."""
        gateway = client if client.app.title == self.gateway.app.title else self.gateway
        resp = gateway.post(
            "/api/v1/auth/sign-in", json={"username": username, "password": PASSWORD}
        )
        assert resp.status_code == 200, resp.text
        if gateway is not client:
            for name, value in resp.cookies.items():
                client.cookies.set(name, value)
        return {"X-CSRF-Token": resp.json()["csrf_token"]}

    def key_of(self, username: str, role: Role | None = None) -> dict[str, str]:
        user = store.get_user(self.db, username)
        principal = _principal(user.username, user.id, Role(user.role))
        return {"X-API-Key": manage.create_key(self.db, principal, "tests", role, 30).key}


def _principal(user: str, user_id: str, role: Role) -> Principal:
    return Principal(role, "session", user=user, user_id=user_id)


@pytest.fixture
def platform(tmp_path: Path, redis_url: str) -> Iterator[Platform]:
    queue_db = redis_url.rsplit("/", 1)[0] + "/6"  # no worker reads it: submissions stay queued
    redis.Redis.from_url(queue_db).flushdb()
    settings = Settings(
        var_dir=tmp_path, redis_url=queue_db, accounts=True, rate_limit_sign_in="5/minute",
        rate_limit_writes="1000/minute",
    )  # fmt: skip
    upgrade(settings.sqlalchemy_url)
    db = Database(settings.sqlalchemy_url)
    for name, role in (("root", Role.ADMIN), ("alice", Role.RESEARCHER),
                       ("bob", Role.RESEARCHER), ("vera", Role.VIEWER)):  # fmt: skip
        manage.create_user(db, name, PASSWORD, role)
    yield Platform(
        settings, db, TestClient(gateway_app(settings)), TestClient(simulator_app(settings)),
        TestClient(trainer_app(settings)),
    )  # fmt: skip
    db.dispose()


# --- signing in ---------------------------------------------------------------------------------


def test_every_api_call_needs_credentials_but_health_and_probes(platform: Platform) -> None:
    for client, path in ((platform.gateway, "/api/v1/jobs"), (platform.simulator, "/api/v1/simulations"),
                         (platform.trainer, "/api/v1/models")):  # fmt: skip
        resp = client.get(path)
        assert resp.status_code == 401, path
        assert "sign in" in resp.json()["detail"]
    assert platform.gateway.get("/healthz").status_code == 200
    assert platform.gateway.get("/api/v1/health").status_code in (200, 503)  # public either way


def test_sign_in_sets_an_httponly_session_cookie_and_a_readable_csrf_cookie(
    platform: Platform,
) -> None:
    resp = platform.gateway.post(
        "/api/v1/auth/sign-in", json={"username": "alice", "password": PASSWORD}
    )
    assert resp.status_code == 200
    cookies = resp.headers.get_list("set-cookie")
    session = next(c for c in cookies if c.startswith("tradelab_session="))
    csrf = next(c for c in cookies if c.startswith("tradelab_csrf="))
    assert "httponly" in session.lower() and "samesite=strict" in session.lower()
    assert "httponly" not in csrf.lower()
    assert resp.json()["user"] == {**resp.json()["user"], "username": "alice", "role": "researcher"}
    me = platform.gateway.get("/api/v1/auth/me").json()
    assert me == {"username": "alice", "role": "researcher", "via": "session", "accounts": True}


@pytest.mark.parametrize("username", ["alice", "nobody"])
def test_a_wrong_password_or_name_gets_one_answer(platform: Platform, username: str) -> None:
    resp = platform.gateway.post(
        "/api/v1/auth/sign-in", json={"username": username, "password": "wrong password!"}
    )
    assert resp.status_code == 401
    assert resp.json()["detail"] == "wrong user name or password"
    assert "set-cookie" not in resp.headers


def test_sign_in_attempts_are_rate_limited_with_retry_after(platform: Platform) -> None:
    wrong = {"username": "bob", "password": "wrong password!"}
    codes = [
        platform.gateway.post("/api/v1/auth/sign-in", json=wrong).status_code for _ in range(6)
    ]
    assert codes == [401] * 5 + [429]
    refused = platform.gateway.post("/api/v1/auth/sign-in", json={**wrong, "password": PASSWORD})
    assert refused.status_code == 429  # even the right password waits out the window
    assert 1 <= int(refused.headers["Retry-After"]) <= 60


def test_a_cookie_write_needs_the_sessions_csrf_token(platform: Platform) -> None:
    csrf = platform.signed_in(platform.simulator, "alice")
    no_token = platform.simulator.post("/api/v1/simulations", json=SIMULATION)
    assert no_token.status_code == 403 and no_token.json()["code"] == "csrf_failed"
    wrong = platform.simulator.post(
        "/api/v1/simulations", json=SIMULATION, headers={"X-CSRF-Token": "guess"}
    )
    assert wrong.status_code == 403
    ok = platform.simulator.post("/api/v1/simulations", json=SIMULATION, headers=csrf)
    assert ok.status_code == 202, ok.text


def test_signing_out_ends_the_session_everywhere(platform: Platform) -> None:
    csrf = platform.signed_in(platform.gateway, "alice")
    token = platform.gateway.cookies["tradelab_session"]
    assert platform.gateway.post("/api/v1/auth/sign-out", headers=csrf).status_code == 204
    # The same cookie replayed elsewhere (a copy kept by an attacker) no longer works.
    platform.simulator.cookies.set("tradelab_session", token)
    resp = platform.simulator.get("/api/v1/simulations")
    assert resp.status_code == 401 and resp.json()["code"] == "session_ended"


# --- API keys -----------------------------------------------------------------------------------


def test_an_api_key_is_shown_once_works_lists_without_its_secret_and_dies_when_revoked(
    platform: Platform,
) -> None:
    csrf = platform.signed_in(platform.gateway, "alice")
    made = platform.gateway.post(
        "/api/v1/auth/keys", json={"name": "nightly", "expires_in_days": 7}, headers=csrf
    )
    assert made.status_code == 201
    key = made.json()["key"]
    assert key.startswith("tlk_") and made.json()["prefix"] == key[:10]
    assert made.json()["role"] == "researcher"
    script = {"X-API-Key": key}
    assert (
        platform.simulator.post("/api/v1/simulations", json=SIMULATION, headers=script).status_code
        == 202
    )
    listed = platform.gateway.get("/api/v1/auth/keys").json()
    assert [k["name"] for k in listed] == ["nightly"] and "key" not in listed[0]
    assert key not in platform.gateway.get("/api/v1/auth/keys").text
    revoked = platform.gateway.delete(f"/api/v1/auth/keys/{made.json()['id']}", headers=csrf)
    assert revoked.status_code == 200 and revoked.json()["revoked"] is True
    after = platform.simulator.get("/api/v1/simulations", headers=script)
    assert after.status_code == 401
    assert after.json()["detail"] == "this X-API-Key is not valid (unknown, revoked or expired)"


def test_an_expired_key_or_a_disabled_users_key_is_refused(platform: Platform) -> None:
    key = platform.key_of("alice")
    assert platform.simulator.get("/api/v1/simulations", headers=key).status_code == 200
    row, _ = store.list_keys(platform.db, store.get_user(platform.db, "alice").id)[0]
    with platform.db.transaction() as s:
        s.get(type(row), row.id).expires_at = utcnow() - timedelta(seconds=1)  # type: ignore[union-attr]
    assert platform.simulator.get("/api/v1/simulations", headers=key).status_code == 401
    bobs = platform.key_of("bob")
    admin = platform.signed_in(platform.gateway, "root")
    assert (
        platform.gateway.patch(
            "/api/v1/users/bob", json={"disabled": True}, headers=admin
        ).status_code
        == 200
    )
    assert platform.simulator.get("/api/v1/simulations", headers=bobs).status_code == 401


def test_a_key_cannot_outrank_its_user_and_a_read_only_key_cannot_write(platform: Platform) -> None:
    csrf = platform.signed_in(platform.gateway, "alice")
    resp = platform.gateway.post(
        "/api/v1/auth/keys", json={"name": "x", "role": "admin"}, headers=csrf
    )
    assert resp.status_code == 403
    reader = platform.key_of("alice", Role.VIEWER)
    refused = platform.simulator.post("/api/v1/simulations", json=SIMULATION, headers=reader)
    assert refused.status_code == 403 and refused.json()["code"] == "read_only_role"
    assert platform.simulator.get("/api/v1/simulations", headers=reader).status_code == 200


def test_others_keys_are_invisible_and_cannot_be_revoked(platform: Platform) -> None:
    alice = platform.signed_in(platform.gateway, "alice")
    kid = platform.gateway.post("/api/v1/auth/keys", json={"name": "mine"}, headers=alice).json()[
        "id"
    ]
    bob_client = TestClient(gateway_app(platform.settings))
    bob = platform.signed_in(bob_client, "bob")
    assert bob_client.get("/api/v1/auth/keys").json() == []
    assert bob_client.delete(f"/api/v1/auth/keys/{kid}", headers=bob).status_code == 404
    root_client = TestClient(gateway_app(platform.settings))
    platform.signed_in(root_client, "root")
    assert [k["username"] for k in root_client.get("/api/v1/auth/keys").json()] == ["alice"]


# --- roles and users ----------------------------------------------------------------------------


def test_a_viewer_reads_but_cannot_submit(platform: Platform) -> None:
    csrf = platform.signed_in(platform.simulator, "vera")
    resp = platform.simulator.post("/api/v1/simulations", json=SIMULATION, headers=csrf)
    assert resp.status_code == 403
    assert resp.json()["detail"] == "vera has the viewer role, which reads only"
    assert platform.simulator.get("/api/v1/simulations").status_code == 200


def test_only_admins_manage_users(platform: Platform) -> None:
    new = {"username": "carol", "password": PASSWORD, "role": "viewer"}
    alice = platform.signed_in(platform.gateway, "alice")
    refused = platform.gateway.post("/api/v1/users", json=new, headers=alice)
    assert refused.status_code == 403 and refused.json()["code"] == "admin_only"
    root_client = TestClient(gateway_app(platform.settings))
    root = platform.signed_in(root_client, "root")
    assert root_client.post("/api/v1/users", json=new, headers=root).status_code == 201
    assert root_client.post("/api/v1/users", json=new, headers=root).status_code == 409
    short = root_client.post(
        "/api/v1/users", json={**new, "username": "dan", "password": "short"}, headers=root
    )
    assert short.status_code == 422 and "12 to 256 characters" in short.json()["detail"]
    names = [u["username"] for u in root_client.get("/api/v1/users").json()]
    assert names == ["alice", "bob", "carol", "root", "vera"]


def test_a_new_password_ends_the_other_sessions(platform: Platform) -> None:
    other = TestClient(simulator_app(platform.settings))
    platform.signed_in(other, "alice")
    csrf = platform.signed_in(platform.gateway, "alice")
    change = {"current_password": PASSWORD, "new_password": "another long passphrase"}
    assert (
        platform.gateway.post("/api/v1/auth/password", json=change, headers=csrf).status_code == 204
    )
    assert other.get("/api/v1/simulations").status_code == 401
    assert platform.gateway.get("/api/v1/auth/me").status_code == 200  # this one goes on


# --- two researchers ----------------------------------------------------------------------------


def test_two_researchers_cannot_see_or_touch_each_others_work(platform: Platform) -> None:
    alice, bob = platform.key_of("alice"), platform.key_of("bob")
    sim = platform.simulator.post("/api/v1/simulations", json=SIMULATION, headers=alice).json()
    sim_id, job_id = sim["simulation_id"], sim["job"]["id"]
    # Bob: not listed, not found, not cancellable, not stress-testable.
    assert platform.simulator.get("/api/v1/simulations", headers=bob).json()["total"] == 0
    assert platform.simulator.get(f"/api/v1/simulations/{sim_id}", headers=bob).status_code == 404
    assert (
        platform.simulator.get(f"/api/v1/simulations/{sim_id}/trades", headers=bob).status_code
        == 404
    )
    assert platform.gateway.get(f"/api/v1/jobs/{job_id}", headers=bob).status_code == 404
    assert platform.gateway.get("/api/v1/jobs", headers=bob).json()["total"] == 0
    assert platform.gateway.post(f"/api/v1/jobs/{job_id}/cancel", headers=bob).status_code == 404
    assert platform.gateway.get(f"/api/v1/jobs/{job_id}/events", headers=bob).status_code == 404
    # Alice sees her own; a viewer and an admin see everyone's; the viewer cannot cancel.
    assert platform.simulator.get(f"/api/v1/simulations/{sim_id}", headers=alice).status_code == 200
    mine = platform.gateway.get("/api/v1/jobs", headers=alice).json()
    assert [j["id"] for j in mine["items"]] == [job_id]
    vera, root = platform.key_of("vera"), platform.key_of("root")
    assert platform.gateway.get(f"/api/v1/jobs/{job_id}", headers=vera).status_code == 200
    assert platform.gateway.post(f"/api/v1/jobs/{job_id}/cancel", headers=vera).status_code == 403
    assert (
        platform.gateway.post(f"/api/v1/jobs/{job_id}/cancel", headers=alice).json()["status"]
        == "cancelled"
    )
    assert platform.simulator.get("/api/v1/simulations", headers=root).json()["total"] == 1


def test_idempotency_keys_are_per_user(platform: Platform) -> None:
    same = {"Idempotency-Key": "nightly-2026-11-30"}
    alice = platform.simulator.post(
        "/api/v1/simulations", json=SIMULATION, headers={**platform.key_of("alice"), **same}
    ).json()
    bob = platform.simulator.post(
        "/api/v1/simulations", json=SIMULATION, headers={**platform.key_of("bob"), **same}
    ).json()
    assert alice["simulation_id"] != bob["simulation_id"]  # bob never gets alice's job back


def test_models_belong_to_whoever_trained_them(platform: Platform) -> None:
    def register(name: str, owner: str | None) -> str:
        return registry.register_model(
            platform.db, name=name, framework="xgboost", algorithm="xgboost", task="classification",
            symbols=["SP500"], source="builtin", interval="1d", trained_from=None, trained_to=None,
            metrics={}, checksum="sha256:0", artifact_dir_for=lambda v: f"{name}/v{v}",
            training_id=None, owner=owner,
        ).id  # fmt: skip

    alices, platforms = register("alice-model", "alice"), register("demo", None)
    alice, bob = platform.key_of("alice"), platform.key_of("bob")
    tag = {"tags": ["good"]}
    assert (
        platform.trainer.patch(f"/api/v1/models/{alices}", json=tag, headers=alice).status_code
        == 200
    )
    assert (
        platform.trainer.patch(f"/api/v1/models/{alices}", json=tag, headers=bob).status_code == 404
    )
    assert platform.trainer.delete(f"/api/v1/models/{alices}", headers=bob).status_code == 404
    listed = platform.trainer.get("/api/v1/models", headers=bob).json()["items"]
    assert [m["id"] for m in listed] == [platforms]  # the platform's model is everyone's to read
    refused = platform.trainer.patch(f"/api/v1/models/{platforms}", json=tag, headers=bob)
    assert refused.status_code == 403
    # Bob cannot simulate with alice's model either: it does not exist for him.
    with_model = {**SIMULATION, "strategy": None, "params": {}, "model_id": alices}
    resp = platform.simulator.post("/api/v1/simulations", json=with_model, headers=bob)
    assert resp.status_code == 404


def test_writes_are_rate_limited_per_key_with_retry_after(tmp_path: Path, redis_url: str) -> None:
    queue_db = redis_url.rsplit("/", 1)[0] + "/6"
    settings = Settings(
        var_dir=tmp_path, redis_url=queue_db, accounts=True, rate_limit_writes="3/minute"
    )
    upgrade(settings.sqlalchemy_url)
    db = Database(settings.sqlalchemy_url)
    manage.create_user(db, "alice", PASSWORD, Role.RESEARCHER)
    manage.create_user(db, "bob", PASSWORD, Role.RESEARCHER)
    gateway = TestClient(gateway_app(settings))
    keys = {}
    for name in ("alice", "bob"):
        user = store.get_user(db, name)
        keys[name] = {
            "X-API-Key": manage.create_key(
                db, _principal(name, user.id, Role.RESEARCHER), "t", None, 1
            ).key
        }
    # Any write counts, even one the service then refuses (a cancel of an unknown job: 404).
    codes = [
        gateway.post("/api/v1/jobs/nope/cancel", headers=keys["alice"]).status_code
        for _ in range(4)
    ]
    assert codes == [404, 404, 404, 429]
    refused = gateway.post("/api/v1/jobs/nope/cancel", headers=keys["alice"])
    assert refused.json()["code"] == "rate_limited" and int(refused.headers["Retry-After"]) >= 1
    assert (
        gateway.post("/api/v1/jobs/nope/cancel", headers=keys["bob"]).status_code == 404
    )  # own budget
    assert (
        gateway.get("/api/v1/jobs", headers=keys["alice"]).status_code == 200
    )  # reads are not limited
    db.dispose()


def test_without_accounts_the_account_routes_say_so(tmp_path: Path, redis_url: str) -> None:
    settings = Settings(var_dir=tmp_path, redis_url=redis_url.rsplit("/", 1)[0] + "/6")
    upgrade(settings.sqlalchemy_url)
    gateway = TestClient(gateway_app(settings))
    resp = gateway.post("/api/v1/auth/sign-in", json={"username": "a", "password": "b"})
    assert resp.status_code == 404 and resp.json()["code"] == "accounts_off"
    assert gateway.get("/api/v1/auth/me").json() == {
        "username": None, "role": "admin", "via": "local", "accounts": False,
    }  # fmt: skip
