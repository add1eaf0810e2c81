"""`make load`: read throughput and latency per endpoint under open-loop load, then the Locust scenario.

Self-contained, like `make bench`: starts a private stack (bench/job_path.py's Stack: Redis, both
workers, the three services on LOAD_PORT_BASE, default 18100, with a temporary VAR_DIR and
SQLite), so a running `make up` and its data are untouched; stops it at the end.

1. One backtest (the demo's) is run, so that a simulation summary exists to read.
2. For each endpoint, back to back: a closed-loop run (every connection sends again as soon as
   it is answered) gives the most it serves; then an open-loop run at a fixed rate (bench/
   open_loop.py) gives the latency a client sees at that rate, queueing included.
3. The Locust scenario (locustfile.py: a dashboard user's mix) for a minute.

Prints numbers, not pass/fail. Everything shares the machine: the load generator's own CPU is
printed, and a direct/gateway pair is measured back to back so that drift hits both alike.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
from job_path import REPO, BenchError, Stack, run_on_stack
from open_loop import RunResult, run_load

sys.path.insert(0, str(REPO / "scripts"))
from seed_demo import DEMO_SIMULATION


@dataclass(frozen=True)
class Endpoint:
    label: str
    service: str  # whose port: gateway, simulator
    path: str


def endpoints(simulation_id: str) -> list[Endpoint]:
    """Pairs of the same read directly and through the gateway sit next to each other."""
    summary = f"/api/v1/simulations/{simulation_id}"
    return [
        Endpoint("gateway    GET /healthz", "gateway", "/healthz"),
        Endpoint("simulator  GET /healthz", "simulator", "/healthz"),
        Endpoint("simulator  GET /api/v1/strategies", "simulator", "/api/v1/strategies"),
        Endpoint("gateway    GET /api/v1/strategies", "gateway", "/api/v1/strategies"),
        Endpoint("simulator  GET /api/v1/simulations/{id}", "simulator", summary),
        Endpoint("gateway    GET /api/v1/simulations/{id}", "gateway", summary),
    ]


def run_backtest(api: httpx.Client, timeout_s: float = 180.0) -> str:
    """The demo backtest, run to the end; its simulation id."""
    response = api.post("/simulations", json=DEMO_SIMULATION)
    if response.status_code != 202:
        raise BenchError(f"backtest submit answered {response.status_code}: {response.text[:300]}")
    simulation_id: str = response.json()["simulation_id"]
    deadline = time.monotonic() + timeout_s
    while (status := api.get(f"/simulations/{simulation_id}").json()["status"]) != "succeeded":
        if status in ("failed", "cancelled") or time.monotonic() > deadline:
            raise BenchError(f"the backtest {simulation_id} ended {status}")
        time.sleep(0.2)
    return simulation_id


class ServiceCpu:
    """CPU seconds used so far by each service's server process (Linux /proc), to show the cost
    of a request apart from the machine's noise: a shared machine slows requests, not their CPU."""

    def __init__(self, stack: Stack) -> None:
        self.pids = {name: _server_pid(name, port) for name, port in stack.ports.items()}
        self.tick = os.sysconf("SC_CLK_TCK")

    def used(self) -> dict[str, float]:
        used = {}
        for name, pid in self.pids.items():
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            used[name] = (int(fields[11]) + int(fields[12])) / self.tick  # utime + stime
        return used


def _server_pid(service: str, port: int) -> int:
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        ours = f"{service}.main:create_app".encode() in args and str(port).encode() in args
        if ours and not any(b"supervise" in arg for arg in args):  # the server, not its keeper
            return int(cmdline.parent.name)
    raise BenchError(f"no uvicorn process of the {service} on port {port}")


@dataclass(frozen=True)
class Row:
    endpoint: Endpoint
    most: RunResult  # closed loop: the most it serves
    cpu_us: dict[str, float]  # CPU per request of each service during the closed loop
    fixed: RunResult  # open loop at the fixed rate


def measure(stack: Stack, cpu: ServiceCpu, endpoint: Endpoint, args: argparse.Namespace) -> Row:
    port = stack.ports[endpoint.service]
    common = {"connections": args.connections, "warmup_s": args.warmup}
    before = cpu.used()
    most = run_load(
        endpoint.label, "127.0.0.1", port, endpoint.path, rate=None, duration_s=args.max_duration,
        **common,
    )  # fmt: skip
    after = cpu.used()
    per_request = {k: (after[k] - before[k]) / max(most.answered, 1) * 1e6 for k in after}
    fixed = run_load(
        endpoint.label, "127.0.0.1", port, endpoint.path, rate=args.rate, duration_s=args.duration,
        **common,
    )  # fmt: skip
    return Row(endpoint, most, per_request, fixed)


def print_table(rows: list[Row], args: argparse.Namespace) -> None:
    print(
        f"\nRead load: {args.connections} connections. 'max/s' is closed loop for "
        f"{args.max_duration:g} s, with the CPU each request cost the gateway and the simulator "
        f"(us); the rest is open loop at {args.rate:g} req/s for {args.duration:g} s after "
        f"{args.warmup:g} s of warm-up, latency (ms) from each request's intended send time"
    )
    head = f"  {'endpoint':<40} {'max/s':>6} {'gw us':>6} {'sim us':>6} {'rate':>6} {'req/s':>6}"
    print(head + f" {'p50':>7} {'p95':>7} {'p99':>7} {'errors':>6} {'loadgen':>7}")
    for row in rows:
        fixed = row.fixed
        p50, p95, p99 = fixed.percentiles_ms(50, 95, 99)
        loadgen = fixed.loadgen_cpu_s / (fixed.duration_s + args.warmup)
        print(
            f"  {row.endpoint.label:<40} {row.most.achieved_rps:6.0f} {row.cpu_us['gateway']:6.0f} "
            f"{row.cpu_us['simulator']:6.0f} {args.rate:6.0f} {fixed.achieved_rps:6.0f} "
            f"{p50:7.1f} {p95:7.1f} {p99:7.1f} {fixed.errors:6d} {loadgen:7.0%}"
        )


def measure_hops(stack: Stack, rows: list[Row], args: argparse.Namespace) -> None:
    """What the gateway adds to the same read, at a light rate where nothing queues."""
    print(f"\nThe gateway hop: the same read directly and through it, {args.hop_rate:g} req/s (ms)")
    print(
        f"  {'read':<34} {'direct p50':>10} {'p99':>7} {'gateway p50':>11} {'p99':>7} {'adds p50':>8}"
    )
    pairs: dict[str, dict[str, Endpoint]] = {}
    for row in rows:
        if row.endpoint.path.startswith("/api/v1/"):
            pairs.setdefault(row.endpoint.path, {})[row.endpoint.service] = row.endpoint
    for path, pair in pairs.items():
        if set(pair) != {"gateway", "simulator"}:
            continue
        runs = {}
        for name in ("simulator", "gateway"):
            runs[name] = run_load(
                pair[name].label, "127.0.0.1", stack.ports[name], path, rate=args.hop_rate,
                connections=args.connections, duration_s=args.duration, warmup_s=args.warmup,
            )  # fmt: skip
        d50, d99 = runs["simulator"].percentiles_ms(50, 99)
        g50, g99 = runs["gateway"].percentiles_ms(50, 99)
        shown = path.rsplit("/", 1)[0] + "/{id}" if "/simulations/" in path else path
        print(f"  GET {shown:<30} {d50:10.1f} {d99:7.1f} {g50:11.1f} {g99:7.1f} {g50 - d50:+8.1f}")


def run_locust(stack: Stack, minutes: float) -> None:
    """The existing Locust scenario against the private gateway; Locust prints its own summary."""
    print(f"\nLocust scenario (locustfile.py): 20 users, {minutes:g} min", flush=True)
    locust = Path(sys.executable).parent / "locust"
    argv = [str(locust), "-f", str(REPO / "locustfile.py"), "--headless", "-u", "20", "-r", "5"]
    argv += [
        "-t",
        f"{round(minutes * 60)}s",
        "--host",
        f"http://127.0.0.1:{stack.ports['gateway']}",
    ]
    argv += ["--only-summary", "--loglevel", "WARNING"]
    subprocess.run(argv, cwd=REPO, env={**os.environ, "API_KEY": stack.api_key}, check=False)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=1000.0, help="open-loop requests per second")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds measured per run")
    parser.add_argument(
        "--max-duration", type=float, default=5.0, help="seconds of the closed loop"
    )
    parser.add_argument("--hop-rate", type=float, default=100.0, help="rate of the hop pairs")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds not measured, per run")
    parser.add_argument("--locust-minutes", type=float, default=1.0, help="0 skips Locust")
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    stack = Stack(int(os.environ.get("LOAD_PORT_BASE", "18100")))

    def work(api: httpx.Client) -> None:
        simulation_id = run_backtest(api)
        print(f"Backtest {simulation_id} done; loading each endpoint", flush=True)
        cpu = ServiceCpu(stack)
        rows = [measure(stack, cpu, endpoint, args) for endpoint in endpoints(simulation_id)]
        print_table(rows, args)
        measure_hops(stack, rows, args)
        if args.locust_minutes > 0:
            run_locust(stack, args.locust_minutes)

    return run_on_stack(stack, "load", work)


if __name__ == "__main__":
    raise SystemExit(main())
