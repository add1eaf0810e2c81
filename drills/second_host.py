"""Drill 8: a second host. A simulation worker in its own network namespace, joined to the
stack's Redis and PostgreSQL over a veth link, takes chunks of a sweep; the link is cut mid-sweep.

The namespace stands for another machine: its only way to the platform is 10.213.0.1 across the
veth pair. Redis is told to listen there too; PostgreSQL (which listens on loopback) is reached
through a small relay on that address. The whole stack runs on a fresh PostgreSQL database,
since a database file shared through the filesystem is what a second machine would not have.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import redis

from drills import procs
from drills.outcome import Outcome
from drills.relay import Relay
from drills.runner import Drill
from drills.stack import REPO, Stack
from drills.workload import SIMULATION, SWEEP, Submissions, Submitted, split, submit

HOST_IP, REMOTE_IP = "10.213.0.1", "10.213.0.2"
POSTGRES = os.environ.get("CHAOS_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
RELAY_PORT = 15432
# Many small chunks, so both hosts take some before the cut and some remain after it.
LONG_SWEEP = {**SWEEP, "grid": {"fast": {"start": 5, "stop": 60, "step": 5}, "slow": [80, 120, 160, 200]}, "chunk_size": 2}  # fmt: skip


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True, text=True)


def _names(stack: Stack) -> tuple[str, str, str]:
    """The namespace and the two ends of the link, named after the stack's Redis port (unique
    while the stack runs; an interface name has 15 characters at most)."""
    tag = stack.redis_port
    return f"tlchaos-{tag}", f"tlc0-{tag}", f"tlc1-{tag}"


def skip_reason() -> str:
    if os.geteuid() != 0:
        return "needs root for a network namespace (ip netns add)"
    if shutil.which("ip") is None:
        return "needs iproute2 (`ip`); `make chaos` installs it with apt-get"
    try:
        import psycopg

        with psycopg.connect(POSTGRES, connect_timeout=3):
            pass
    except Exception as exc:
        return f"needs PostgreSQL at {POSTGRES} (the two hosts share a database): {exc}"
    probe = f"tlchaos-probe-{os.getpid()}"
    try:
        _ip("netns", "add", probe)
        _ip("netns", "del", probe)
    except subprocess.CalledProcessError as exc:
        return f"cannot create a network namespace here: {exc.stderr.strip()}"
    return ""


@contextlib.contextmanager
def _database() -> Iterator[str]:
    """A fresh PostgreSQL database for the drill's stack, dropped afterwards."""
    import psycopg

    name = f"tradelab_chaos_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(POSTGRES, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with psycopg.connect(POSTGRES, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def two_hosts(stack: Stack) -> Iterator[dict[str, str]]:
    """The namespace and its veth link, the relay, a fresh database; all removed afterwards."""
    ns, host_if, remote_if = _names(stack)
    server = POSTGRES.rsplit("/", 1)[0].removeprefix("postgresql://")
    with _database() as db_name:
        _ip("netns", "add", ns)
        relay = None
        try:
            _ip("link", "add", host_if, "type", "veth", "peer", "name", remote_if)
            _ip("link", "set", remote_if, "netns", ns)
            _ip("addr", "add", f"{HOST_IP}/30", "dev", host_if)
            _ip("link", "set", host_if, "up")
            for args in (("addr", "add", f"{REMOTE_IP}/30", "dev", remote_if),
                         ("link", "set", remote_if, "up"), ("link", "set", "lo", "up")):  # fmt: skip
                _ip("netns", "exec", ns, "ip", *args)
            host, port = server.split("@")[-1].split(":")
            relay = Relay(HOST_IP, RELAY_PORT, (host, int(port))).start()
            yield {"DATABASE_URL": f"postgresql+psycopg://{server}/{db_name}"}
        finally:
            if relay is not None:
                relay.close()
            subprocess.run(["ip", "link", "del", host_if], check=False, capture_output=True)
            subprocess.run(["ip", "netns", "del", ns], check=False, capture_output=True)


def _remote_worker(stack: Stack, ns: str) -> subprocess.Popen[bytes]:
    """A simulation worker inside the namespace: Redis and the database over the link only."""
    env = stack.env()
    user_db = env["DATABASE_URL"].rsplit("@", 1)
    db_name = user_db[1].split("/", 1)[1]
    remote_var = stack.root / "remote"  # its own disk: logs and bar cache
    env.update(
        VAR_DIR=str(remote_var), ARTIFACT_DIR=str(remote_var / "artifacts"),
        DATA_DIR=str(remote_var / "data"), LOG_DIR=str(remote_var / "log"),
        REDIS_URL=f"redis://{HOST_IP}:{stack.redis_port}/0",
        DATABASE_URL=f"{user_db[0]}@{HOST_IP}:{RELAY_PORT}/{db_name}",
    )  # fmt: skip
    celery = str(Path(sys.executable).parent / "celery")
    argv = ["ip", "netns", "exec", ns, celery, "-A", "simulator.worker", "worker", "-Q",
            "simulation", "-n", "remote@%h", "-c", "2", "--loglevel", "INFO"]  # fmt: skip
    out = (stack.root / "remote-worker.log").open("wb")
    return subprocess.Popen(
        argv, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
    )


def _chunk_workers(stack: Stack, sweep_id: str) -> list[str]:
    import psycopg

    url = stack.env()["DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT worker FROM job_chunks WHERE owner_id = %s", (sweep_id,))
        return [str(r[0]) for r in rows]


def _wait(check: Callable[[], bool], timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise TimeoutError(f"{what} not seen within {timeout_s:.0f} s")


def cut_link_mid_sweep(stack: Stack, api: httpx.Client, outcome: Outcome) -> Submissions:
    ns, host_if, _ = _names(stack)
    local = redis.Redis.from_url(stack.redis_url)
    local.config_set("protected-mode", "no")  # no password: allow the other host in
    local.config_set("bind", f"127.0.0.1 {HOST_IP}")
    worker = _remote_worker(stack, ns)
    try:
        _wait(lambda: any(local.scan_iter("tradelab:workers:simulation:remote@*")), 180,
              "the remote worker joining")  # fmt: skip
        outcome.notes.append("remote worker joined over the veth link")
        submitted, refused = split([submit(api, "sweep", LONG_SWEEP),
                                    *(submit(api, "simulation", SIMULATION) for _ in range(4))])  # fmt: skip
        sweep = submitted[0]
        _wait(lambda: any(w.startswith("remote@") for w in _chunk_workers(stack, sweep.resource_id)),
              180, "a chunk done by the remote worker")  # fmt: skip
        _ip("link", "set", host_if, "down")
        before = _chunk_workers(stack, sweep.resource_id)
        remote = sum(w.startswith("remote@") for w in before)
        outcome.notes.append(
            f"link cut with {len(before)} chunks done ({remote} by the remote worker)"
        )
        final = outcome.count(api, submitted, refused, timeout_s=300)
        if (final.get(sweep.job_id) or {}).get("status") == "failed":
            _resume(api, sweep, outcome)
        after = _chunk_workers(stack, sweep.resource_id)
        outcome.notes.append(
            f"sweep finished with {len(after)} chunks; {len(after) - len(before)} done after the "
            "cut, all on this host"
        )
    finally:
        procs.kill_groups([worker.pid])
        worker.wait(timeout=10)
    return [], []  # counted above, before the remote worker stopped


def _resume(api: httpx.Client, sweep: Submitted, outcome: Outcome) -> None:
    """A sweep that ran out of attempts is resumed, as a user would: its stored chunks are kept,
    only the missing ones run. The resumed job is counted like any other submission."""
    response = api.post(f"/sweeps/{sweep.resource_id}/resume")
    if response.status_code != 202:
        outcome.problems.append(f"resuming sweep {sweep.resource_id}: {response.status_code}")
        return
    resumed = Submitted("sweep", response.json()["job"]["id"], sweep.resource_id)
    outcome.notes.append(f"sweep {sweep.resource_id} failed; resumed as job {resumed.job_id}")
    outcome.count(api, [resumed], [], timeout_s=300)


DRILLS = [
    Drill(
        "second-host-link-cut",
        "a worker in another network namespace takes sweep chunks; its link is cut mid-sweep",
        cut_link_mid_sweep,
        setup=two_hosts,
        skip_reason=skip_reason,
    ),
]
