"""`make bench`: how fast a job goes through the platform, and what the gateway adds.

Self-contained: starts a private stack with honcho (Redis, both workers, the three services) on
other ports (BENCH_PORT_BASE, default 18000) with a temporary VAR_DIR and SQLite, so a running
`make up` and its data are untouched; stops it at the end. Prints numbers, not pass/fail.

1. Job path: one cached builtin data_download warms the cache, then 50 more are submitted one at
   a time; each is polled every 5 ms until it succeeds (submit -> 202, -> running, -> succeeded).
2. Gateway added latency: 200 sequential GET /api/v1/data/sources on the simulator directly and
   through the gateway, keep-alive connections on both.
3. Submit to a servable model: the demo training request (scripts/seed_demo.py) through the
   gateway until GET /api/v1/models/{id} answers, three times (versions 1 to 3).
"""

from __future__ import annotations

import contextlib
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
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import numpy as np

REPO = Path(__file__).resolve().parent.parent
PROCESSES = ["redis", "worker_training", "worker_simulation", "trainer", "simulator", "gateway"]
DOWNLOAD = {
    "source": "builtin",
    "symbols": ["SP500", "NASDAQ"],
    "start": "2015-01-01",
    "end": "2018-12-31",
    "interval": "1d",
}
N_JOBS, N_GETS, POLL_S = 50, 200, 0.005
FINAL = {"succeeded", "failed", "cancelled"}


class BenchError(RuntimeError):
    pass


class Stack:
    """A honcho-run copy of the platform on private ports and a temporary VAR_DIR."""

    def __init__(self, base_port: int) -> None:
        self.ports = {"gateway": base_port, "trainer": base_port + 1, "simulator": base_port + 2}
        self.redis_port = base_port - 1610  # 18000 -> 16390, next to the default 6390
        self.root = Path(tempfile.mkdtemp(prefix="tradelab-bench-"))
        self.log = self.root / "honcho.log"
        self.api_key = secrets.token_hex(16)
        self.proc: subprocess.Popen[bytes] | None = None

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            VAR_DIR=str(self.root),
            DATABASE_URL="",  # SQLite in VAR_DIR, whatever .env says
            ARTIFACT_DIR=str(self.root / "artifacts"),
            DATA_DIR=str(self.root / "data"),
            LOG_DIR=str(self.root / "log"),
            REDIS_URL=f"redis://127.0.0.1:{self.redis_port}/0",
            GATEWAY_HOST="127.0.0.1",
            GATEWAY_PORT=str(self.ports["gateway"]),
            TRAINER_URL=f"http://127.0.0.1:{self.ports['trainer']}",
            SIMULATOR_URL=f"http://127.0.0.1:{self.ports['simulator']}",
            API_KEY=self.api_key,
            PYTHONUNBUFFERED="1",
            PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
        )
        return env

    def procfile(self) -> Path:
        """The repository's Procfile with the trainer and simulator moved to our ports."""
        text = (REPO / "Procfile").read_text()
        for name in ("trainer", "simulator"):
            default = {"trainer": 8001, "simulator": 8002}[name]
            pattern = rf"^({name}:.*--port )({default})\b"
            text, count = re.subn(pattern, rf"\g<1>{self.ports[name]}", text, flags=re.M)
            if count != 1:
                raise BenchError(f"Procfile: no '{name}: ... --port {default}' line to move")
        path = self.root / "Procfile"
        path.write_text(text)
        return path

    def start(self) -> None:
        for port in [*self.ports.values(), self.redis_port]:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    raise BenchError(f"port {port} is in use; set BENCH_PORT_BASE to free ports")
        env = self.env()
        subprocess.run([sys.executable, "-m", "shared.storage.migrate"], env=env, check=True)
        honcho = Path(sys.executable).parent / "honcho"
        argv = [str(honcho), "--no-colour", "-e", str(self.root / "no.env"), "-f"]
        argv += [str(self.procfile()), "-d", str(REPO), "start", *PROCESSES]
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen(
                argv, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip

    def stop(self) -> None:
        """TERM honcho (it stops its processes), then KILL any process group it left."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        for pid in re.findall(r"started \(pid=(\d+)\)", self.log.read_text(errors="replace")):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(int(pid), signal.SIGKILL)
        self.proc = None

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def run_on_stack(
    stack: Stack, what: str, work: Callable[[httpx.Client], None], *, timeout_s: float = 30.0
) -> int:
    """Start the stack, run `work` with a client of its API once healthy, stop the stack; its
    files are removed, or kept for a look when the bench failed. Returns the exit code."""
    print(f"Starting a private stack (gateway :{stack.ports['gateway']}, state in {stack.root})")
    ok = False
    try:
        stack.start()
        url = f"http://127.0.0.1:{stack.ports['gateway']}/api/v1"
        headers = {"X-API-Key": stack.api_key}
        with httpx.Client(base_url=url, headers=headers, timeout=timeout_s) as api:
            wait_healthy(api, stack)
            work(api)
        ok = True
    except BenchError as exc:
        print(f"{what} failed: {exc}", file=sys.stderr)
    finally:
        stack.stop()
        if ok:
            shutil.rmtree(stack.root, ignore_errors=True)
        else:
            print(f"logs kept in {stack.root}", file=sys.stderr)
    return 0 if ok else 1


def wait_healthy(client: httpx.Client, stack: Stack, timeout_s: float = 180.0) -> None:
    deadline, body = time.monotonic() + timeout_s, None
    while time.monotonic() < deadline:
        if stack.proc is not None and stack.proc.poll() is not None:
            raise BenchError(f"the stack exited early:\n{stack.tail()}")
        try:
            body = client.get("/health").json()
            if body.get("status") == "ok":
                return
        except (httpx.HTTPError, ValueError):
            pass
        time.sleep(0.5)
    raise BenchError(f"not healthy after {timeout_s:.0f} s: {body}\n{stack.tail()}")


def run_job(client: httpx.Client, timeout_s: float = 120.0) -> dict[str, Any]:
    """Submit one download and poll it to the end; times in seconds from the submit."""
    t0 = time.perf_counter()
    response = client.post("/data/downloads", json=DOWNLOAD)
    if response.status_code != 202:
        raise BenchError(f"submit answered {response.status_code}: {response.text[:300]}")
    acked = time.perf_counter() - t0
    job_id, running = response.json()["job"]["id"], None
    while time.perf_counter() - t0 < timeout_s:
        job = client.get(f"/jobs/{job_id}").json()
        now = time.perf_counter() - t0
        if job["status"] == "running" and running is None:
            running = now
        if job["status"] in FINAL:
            if job["status"] != "succeeded":
                raise BenchError(f"job {job_id} {job['status']}: {job.get('error')}")
            return {"acked": acked, "running": running, "done": now, "job": job}
        time.sleep(POLL_S)
    raise BenchError(f"job {job_id} not finished after {timeout_s:.0f} s")


def seconds_between(start: str | None, end: str | None) -> float | None:
    if not start or not end:
        return None
    return (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()


def time_gets(client: httpx.Client, path: str, n: int) -> list[float]:
    samples = []
    for _ in range(n):
        t0 = time.perf_counter()
        client.get(path).raise_for_status()
        samples.append(time.perf_counter() - t0)
    return samples


def row(label: str, seconds: list[float | None]) -> str:
    values = np.array([s for s in seconds if s is not None]) * 1000
    if values.size == 0:
        return f"  {label:<34} {'n/a':>8}"
    p50, p95 = np.percentile(values, [50, 95])
    note = f"  (seen in {values.size}/{len(seconds)})" if values.size < len(seconds) else ""
    return f"  {label:<34} {p50:8.1f} {p95:8.1f} {values.max():8.1f}{note}"


def bench_jobs(api: httpx.Client) -> None:
    first = run_job(api)
    print(f"warm-up job (fills the cache): {first['done'] * 1000:.0f} ms")
    runs = [run_job(api) for _ in range(N_JOBS)]
    jobs = [r["job"] for r in runs]
    print(f"\nJob path: {N_JOBS} sequential cached builtin downloads, polled every 5 ms (ms)")
    print(f"  {'':<34} {'p50':>8} {'p95':>8} {'max':>8}")
    print(row("submit -> 202 accepted", [r["acked"] for r in runs]))
    print(row("submit -> running (seen by poll)", [r["running"] for r in runs]))
    print(row("submit -> succeeded", [r["done"] for r in runs]))
    waited = [seconds_between(j.get("created_at"), j.get("started_at")) for j in jobs]
    worked = [seconds_between(j.get("started_at"), j.get("finished_at")) for j in jobs]
    print(row("server: created -> started", waited))
    print(row("server: started -> finished", worked))


def bench_gateway(stack: Stack, headers: dict[str, str]) -> None:
    direct_url = f"http://127.0.0.1:{stack.ports['simulator']}/api/v1"
    gateway_url = f"http://127.0.0.1:{stack.ports['gateway']}/api/v1"
    path = "/data/sources"
    with (
        httpx.Client(base_url=direct_url, headers=headers, timeout=30) as direct,
        httpx.Client(base_url=gateway_url, headers=headers, timeout=30) as via,
    ):
        time_gets(direct, path, 20)  # warm both paths
        time_gets(via, path, 20)
        d: list[float] = []
        g: list[float] = []
        for _ in range(4):  # interleaved rounds, so drift hits both sides alike
            d += time_gets(direct, path, N_GETS // 4)
            g += time_gets(via, path, N_GETS // 4)
    print(f"\nGateway added latency: GET /api/v1{path}, {N_GETS} sequential each (ms)")
    print(f"  {'':<34} {'p50':>8} {'p95':>8} {'max':>8}")
    print(row("simulator directly", [*d]))
    print(row("through the gateway", [*g]))
    (d50, d95), (g50, g95) = np.percentile(d, [50, 95]) * 1000, np.percentile(g, [50, 95]) * 1000
    print(f"  {'added by the gateway':<34} {g50 - d50:8.1f} {g95 - d95:8.1f}")


def bench_training(api: httpx.Client, timeout_s: float = 300.0) -> None:
    sys.path.insert(0, str(REPO / "scripts"))
    from seed_demo import DEMO_TRAINING

    print("\nSubmit to servable model: the demo training (xgboost, SP500 2010-2016, 4 folds)")
    for _ in range(3):
        t0 = time.perf_counter()
        response = api.post("/trainings", json=DEMO_TRAINING)
        response.raise_for_status()
        path = f"/trainings/{response.json()['training_id']}"
        while (training := api.get(path).json())["status"] not in FINAL:
            if time.perf_counter() - t0 > timeout_s:
                raise BenchError(f"training not finished after {timeout_s:.0f} s")
            time.sleep(0.05)
        if training["status"] != "succeeded":
            raise BenchError(f"training {training['status']}: {training.get('error')}")
        model = api.get(f"/models/{training['model_id']}")
        model.raise_for_status()
        total = time.perf_counter() - t0
        meta = model.json()["metadata"]
        print(f"  v{meta['version']}: {total:5.2f} s to a servable model "
              f"({meta['training_seconds']:.2f} s of it training, {meta['data']['rows']} rows)")  # fmt: skip


def main() -> int:
    stack = Stack(int(os.environ.get("BENCH_PORT_BASE", "18000")))
    headers = {"X-API-Key": stack.api_key}

    def work(api: httpx.Client) -> None:
        bench_jobs(api)
        bench_training(api)
        bench_gateway(stack, headers)

    return run_on_stack(stack, "bench", work)


if __name__ == "__main__":
    raise SystemExit(main())
