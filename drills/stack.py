"""A private platform for one drill: `make up`'s Procfile under honcho, on ports of its own.

Everything a drill changes lives in a temporary VAR_DIR (SQLite, artifacts, logs) and a Redis of
its own, so a running `make up` and its data are never touched. Short timeouts make the watchdog
act within seconds instead of a minute.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from drills import procs

REPO = Path(__file__).resolve().parent.parent
PROCESSES = ("redis", "worker_training", "worker_simulation", "trainer", "simulator", "gateway")
# What the drills wait for, in seconds (the defaults are 60, 10, 30 and 5).
FAST_TIMEOUTS = {
    "JOB_HEARTBEAT_TIMEOUT_S": "5",
    "WATCHDOG_INTERVAL_S": "1",
    "JOB_LOST_AFTER_S": "3",
    "JOB_HEARTBEAT_INTERVAL_S": "1",
}
# A command line of the Procfile's processes (beneath their supervise.py wrapper).
COMMAND_MARKS = {
    "redis": "redis-server",
    "worker_training": "trainer.worker",
    "worker_simulation": "simulator.worker",
    "trainer": "trainer.main",
    "simulator": "simulator.main",
    "gateway": "gateway.main",
}


class StackError(RuntimeError):
    pass


@dataclass(frozen=True)
class Batch:
    """How many jobs of each kind a drill submits."""

    simulations: int = 6
    sweeps: int = 1
    trainings: int = 2


class Stack:
    """One honcho-run platform: start, find its processes, stop, keep or remove its files."""

    def __init__(
        self, base_port: int, name: str, env: dict[str, str] | None = None,
        batch: Batch = Batch(),
    ) -> None:  # fmt: skip
        self.name = name
        self.batch = batch
        self.ports = {"gateway": base_port, "trainer": base_port + 1, "simulator": base_port + 2}
        self.redis_port = base_port + 3
        self.root = Path(tempfile.mkdtemp(prefix=f"tradelab-chaos-{name}-"))
        self.log = self.root / "honcho.log"
        self.api_key = secrets.token_hex(16)
        self.extra_env = env or {}
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['gateway']}/api/v1"

    @property
    def redis_url(self) -> str:
        return f"redis://127.0.0.1:{self.redis_port}/0"

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            VAR_DIR=str(self.root),
            DATABASE_URL="",  # SQLite in VAR_DIR, whatever .env says
            ARTIFACT_DIR=str(self.root / "artifacts"),
            DATA_DIR=str(self.root / "data"),
            LOG_DIR=str(self.root / "log"),
            REDIS_URL=self.redis_url,
            GATEWAY_HOST="127.0.0.1",
            GATEWAY_PORT=str(self.ports["gateway"]),
            TRAINER_URL=f"http://127.0.0.1:{self.ports['trainer']}",
            SIMULATOR_URL=f"http://127.0.0.1:{self.ports['simulator']}",
            API_KEY=self.api_key,
            ALLOWED_HOSTS="",
            PYTHONUNBUFFERED="1",
            # This checkout first, whichever checkout the virtual environment was installed from.
            PYTHONPATH=str(REPO),
            # The drills break processes, not budgets: 300 submissions from one key in a burst
            # are what they need (a well-behaved client would also wait out a 429).
            RATE_LIMIT_WRITES="100000/minute",
            PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
            **FAST_TIMEOUTS,
        )
        env.update(self.extra_env)
        return env

    def procfile(self) -> Path:
        """The repository's Procfile with the trainer and simulator moved to our ports."""
        text = (REPO / "Procfile").read_text()
        for name, default in (("trainer", 8001), ("simulator", 8002)):
            pattern = rf"^({name}:.*--port )({default})\b"
            text, count = re.subn(pattern, rf"\g<1>{self.ports[name]}", text, flags=re.M)
            if count != 1:
                raise StackError(f"Procfile: no '{name}: ... --port {default}' line to move")
        path = self.root / "Procfile"
        path.write_text(text)
        return path

    def start(self) -> None:
        for port in [*self.ports.values(), self.redis_port]:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    raise StackError(f"port {port} is in use; set CHAOS_PORT_BASE to free ports")
        env = self.env()
        migrate = [sys.executable, "-m", "shared.storage.migrate"]
        subprocess.run(migrate, env=env, cwd=REPO, check=True, capture_output=True)
        honcho = Path(sys.executable).parent / "honcho"
        argv = [str(honcho), "--no-colour", "-e", str(self.root / "no.env"), "-f"]
        argv += [str(self.procfile()), "-d", str(REPO), "start", *PROCESSES]
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen(
                argv, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip

    def wait_healthy(self, timeout_s: float = 240.0) -> None:
        """Until /api/v1/health says ok (every service, Redis and both queues' workers)."""
        deadline, body = time.monotonic() + timeout_s, None
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise StackError(f"the stack exited early:\n{self.tail()}")
            try:
                body = httpx.get(f"{self.api_url}/health", timeout=5).json()
                if body.get("status") == "ok":
                    return
            except (httpx.HTTPError, ValueError):
                pass
            time.sleep(0.5)
        raise StackError(f"not healthy after {timeout_s:.0f} s: {body}\n{self.tail()}")

    def command_pid(self, name: str) -> int:
        """The pid of a Procfile process's command (below its supervise.py), as it is now."""
        mark = COMMAND_MARKS[name]
        for proc in self._tree():
            parent = procs._read(proc.ppid)
            if "supervise.py" in proc.command or mark not in proc.command:
                continue  # the wrapper (and honcho's shell) name the command too
            if parent is not None and self._owns(parent, name):
                return proc.pid
        raise StackError(f"no running {name} command ({mark}) under honcho")

    def _owns(self, parent: procs.Process, name: str) -> bool:
        # Redis runs as scripts/run_redis.py -> redis-server; every other command under supervise.
        if name == "redis":
            return "run_redis.py" in parent.command
        return "supervise.py" in parent.command and f"--name {name} " in parent.command + " "

    def _tree(self) -> list[procs.Process]:
        if self.proc is None:
            raise StackError("the stack is not running")
        return procs.descendants(self.proc.pid)

    def wait_restarted(self, name: str, old_pid: int, timeout_s: float = 60.0) -> int:
        """The new pid once supervise started the command again."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            try:
                pid = self.command_pid(name)
            except StackError:
                pid = old_pid
            if pid != old_pid:
                return pid
            time.sleep(0.2)
        raise StackError(f"{name} was not restarted within {timeout_s:.0f} s\n{self.tail()}")

    def stop(self) -> None:
        """TERM honcho (it stops its processes), then KILL any process group it left."""
        if self.proc is None:
            return
        started = [int(p) for p in re.findall(r"started \(pid=(\d+)\)", self.log_text())]
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        procs.kill_groups([*started, self.proc.pid])
        self.proc = None

    def remove(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def lines_about(self, words: list[str], limit: int = 80) -> str:
        """The log lines naming any of `words` (job ids), the first `limit` of them."""
        found = [line for line in self.log_text().splitlines() if any(w in line for w in words)]
        more = f"\n… {len(found) - limit} more" if len(found) > limit else ""
        return "\n".join(found[:limit]) + more

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])
