"""`make bench`: parameter sweeps, through the API on a private stack and in the library.

Numbers, not pass/fail; each figure is named for the path it measures, with the figure before
the fused sweep path (issue 12) where there is one.

1. POST /api/v1/sweeps: a 2,702-combination SMA grid (fast 5..40, slow 25..400 step 5) over
   SP500 1999-2018 (builtin, ~5,000 bars), submit -> succeeded with the report read back; the
   first run (worker cold: numba kernels loaded, bars read) and the median of three after.
2. Library fused sweep: shared.sim.sma_cross_sweep on one core (NUMBA_NUM_THREADS=1), SMA pairs
   on the last 2,520 SP500 bars, in a fresh process.
3. A 1,000,000-combination RSI grid over four symbols on the stack's two simulation worker
   processes: submit -> report, and the peak RSS of each (VmHWM of the pool processes).
Run: .venv/bin/python bench/sweep_bench.py [--quick] (--quick skips the 1M grid).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from job_path import FINAL, BenchError, Stack, run_on_stack

REPO = Path(__file__).resolve().parent.parent
BASE: dict[str, Any] = {
    "source": "builtin", "start": "1999-01-01", "end": "2018-12-31", "interval": "1d",
    "costs": {"commission_rate": 0.0005, "slippage_bps": 2},
}  # fmt: skip
SMA_GRID: dict[str, Any] = {
    **BASE, "strategy": "sma_crossover", "symbols": ["SP500"],
    "grid": {"fast": {"start": 5, "stop": 40, "step": 1}, "slow": {"start": 25, "stop": 400, "step": 5}},
}  # fmt: skip
MILLION_GRID: dict[str, Any] = {
    **BASE, "strategy": "rsi_mean_reversion", "symbols": ["SP500", "NASDAQ", "AAPL", "MSFT"],
    "start": "2010-01-01",
    "grid": {
        "period": {"start": 2, "stop": 101, "step": 1},
        "lower": {"start": 11, "stop": 35, "step": 1},
        "exit": {"start": 40, "stop": 59, "step": 1},
        "upper": {"start": 61, "stop": 80, "step": 1},
    },
}  # fmt: skip
BEFORE = {"api": "21 s", "library": "158,000/s"}


def run_sweep(api: httpx.Client, body: dict[str, Any], timeout_s: float) -> tuple[float, dict]:
    """Submit a sweep and poll it every 10 ms until its report can be read; (seconds, sweep)."""
    t0 = time.perf_counter()
    response = api.post("/sweeps", json=body)
    if response.status_code != 202:
        raise BenchError(f"submit answered {response.status_code}: {response.text[:300]}")
    path = f"/sweeps/{response.json()['sweep_id']}"
    while time.perf_counter() - t0 < timeout_s:
        sweep = api.get(path).json()
        if sweep["status"] in FINAL:
            if sweep["status"] != "succeeded" or sweep["result"] is None:
                raise BenchError(f"sweep {sweep['status']}: {sweep.get('error')}")
            return time.perf_counter() - t0, sweep
        time.sleep(0.01)
    raise BenchError(f"sweep not finished after {timeout_s:.0f} s")


def pool_pids() -> list[int]:
    """The simulation worker's pool processes: forks of the `celery ... -n simulation@` process
    (its supervisor carries the same words in its command line, so it is told apart)."""
    found: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if "celery" in cmd and "simulation@" in cmd and "supervise.py" not in cmd:
            found[int(entry.name)] = ppid
    return [pid for pid, ppid in found.items() if ppid in found]


def reset_peak_rss(pids: list[int]) -> None:
    """Start the pool processes' peak RSS afresh (clear_refs 5), so compiling or earlier jobs
    do not count; where not allowed the peak is since the process started."""
    for pid in pids:
        with contextlib.suppress(OSError):
            Path(f"/proc/{pid}/clear_refs").write_text("5")


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024.0
    return float("nan")


def bench_api(api: httpx.Client, quick: bool) -> None:
    first, sweep = run_sweep(api, SMA_GRID, 300)
    result = sweep["result"]
    warm = [run_sweep(api, SMA_GRID, 300)[0] for _ in range(3)]
    print(f"\nSweeps through the API ({result['n_combinations']:,} combinations, SP500 "
          f"{SMA_GRID['start'][:4]}-{SMA_GRID['end'][:4]}, engine {result['engine']})")  # fmt: skip
    print(f"  POST /sweeps 2,702 combos submit->report: {np.median(warm):.2f} s "
          f"(first, cold worker: {first:.2f} s) (before: {BEFORE['api']})")  # fmt: skip
    if quick:
        return
    pids = pool_pids()
    reset_peak_rss(pids)
    t, sweep = run_sweep(api, MILLION_GRID, 1800)
    result = sweep["result"]
    rss = [peak_rss_mib(pid) for pid in pids]
    shown = ", ".join(f"{r:.0f}" for r in rss) or "n/a"
    print(f"  POST /sweeps 1M RSI grid, 4 symbols, 2 workers submit->report: {t:.1f} s "
          f"({result['n_combinations']:,} combinations, {sweep['n_chunks']} chunks, engine "
          f"{result['engine']}); peak RSS per worker: {shown} MiB (before: refused, limit 20,000)")  # fmt: skip


LIBRARY = """
import time
from arch.data import sp500
from shared.sim import sma_cross_sweep
data = sp500.load()[["Open", "High", "Low", "Close", "Volume"]].iloc[-2520:]
fast, slow = range(2, 101), range(10, 260, 2)
sma_cross_sweep(data, fast, slow, commission=0.001)
best = float("inf")
for _ in range(5):
    t0 = time.perf_counter()
    n = len(sma_cross_sweep(data, fast, slow, commission=0.001))
    best = min(best, time.perf_counter() - t0)
print(n, best)
"""


def bench_library() -> None:
    env = {**os.environ, "NUMBA_NUM_THREADS": "1"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    out = subprocess.run(
        [sys.executable, "-c", LIBRARY], env=env, capture_output=True, text=True, check=True
    )
    n, seconds = out.stdout.split()
    rate = int(n) / float(seconds)
    print(f"\nLibrary fused sweep (sma_cross_sweep, {int(n):,} SMA pairs x 2,520 bars, 1 core):")
    print(f"  library fused combos/s: {rate:,.0f}/s (before: {BEFORE['library']})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="skip the 1,000,000-combination grid")
    quick = parser.parse_args().quick
    bench_library()
    stack = Stack(int(os.environ.get("SWEEP_BENCH_PORT_BASE", "18200")))
    return run_on_stack(stack, "bench", lambda api: bench_api(api, quick), timeout_s=60)


if __name__ == "__main__":
    raise SystemExit(main())
