"""Start real processes (Redis, Celery workers, uvicorn services) for integration tests."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(
    check: Callable[[], bool], timeout_s: float, what: str, log: Path | None = None
) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except Exception:
            pass
        time.sleep(0.05)
    tail = log.read_text()[-3000:] if log and log.exists() else ""
    raise TimeoutError(f"{what} not ready after {timeout_s} s\n{tail}")


class Proc:
    """A child process in its own process group, with its output in a log file."""

    def __init__(self, name: str, args: list[str], env: dict[str, str], log_dir: Path) -> None:
        self.name = name
        self.log = log_dir / f"{name}.out"
        self._out = self.log.open("w")
        self.popen = subprocess.Popen(
            args,
            cwd=ROOT,
            env=env,
            stdout=self._out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill_group(self, sig: int = signal.SIGKILL) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, sig)

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.kill_group(signal.SIGTERM)
            try:
                self.popen.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill_group(signal.SIGKILL)
                self.popen.wait(timeout=5)
        self._out.close()


def start_redis(port: int, env: dict[str, str], log_dir: Path) -> Proc:
    env = {**env, "REDIS_URL": f"redis://127.0.0.1:{port}/0"}
    proc = Proc(f"redis-{port}", [sys.executable, "scripts/run_redis.py"], env, log_dir)
    wait_until(lambda: _redis_ping(port), 20, "redis", proc.log)
    return proc


def _redis_ping(port: int) -> bool:
    import redis

    return bool(redis.Redis(port=port, socket_timeout=0.5).ping())


def start_worker(
    name: str, queues: str, env: dict[str, str], log_dir: Path, concurrency: int = 2
) -> Proc:
    args = [
        str(VENV_BIN / "celery"), "-A", "tests.integration.worker_app", "worker", "-Q", queues,
        "-n", f"{name}@%h", "-c", str(concurrency), "--loglevel", "INFO", "--without-mingle",
        "--without-gossip",
    ]  # fmt: skip
    return Proc(name, args, env, log_dir)


def start_service(module: str, port: int, env: dict[str, str], log_dir: Path) -> Proc:
    args = [
        str(VENV_BIN / "uvicorn"), f"{module}.main:create_app", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
    ]  # fmt: skip
    proc = Proc(module, args, env, log_dir)
    try:
        wait_until(
            lambda: httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200,
            60, module, proc.log,
        )  # fmt: skip
    except TimeoutError:
        proc.stop()  # a service that never came up must not outlive the test run
        raise
    return proc
