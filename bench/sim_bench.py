"""Backtest engine speed: time per backtest, sweep throughput, first-call cost, peak memory.

Numbers, not pass/fail. Run: .venv/bin/python bench/sim_bench.py [--quick]
Each scenario runs in its own process so that peak memory (ru_maxrss) can be attributed;
first-call times are measured in fresh processes with the numba cache warm and cold.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
BARS = 2520  # 10 years of daily bars
ASSETS = 1000
# each path's figure before issue 12's work, as the issue measured it on the 2-core machine
# (one backtest: GOOG, 2,148 bars; the 1,000-asset figures from docs/simulation.md)
BEFORE = {
    ("single", "seconds"): "0.3 ms",
    ("single", "with_summary_seconds"): "2.0 ms",
    ("single", "with_trades_seconds"): "0.66 ms",
    ("panel_per_asset", "with_equity_seconds"): "23-35 ms",
    ("panel_per_asset", "with_summary_seconds"): "61 ms",
    ("panel_shared", "with_equity_seconds"): "39 ms",
    ("panel_shared", "with_summary_seconds"): "65 ms",
}
PATHS = (  # (result key, what the figure measures)
    ("seconds", "simulate()"),
    ("with_equity_seconds", "simulate() + .equity (the equity curve)"),
    ("with_summary_seconds", "simulate() + .summary"),
    ("with_trades_seconds", "simulate() + .trades (the trades table)"),
    ("kernel_seconds", "kernel only (run_kernel)"),
)


def _env() -> dict[str, str]:
    """The environment of a child process: it imports the package next to this bench."""
    # run as a script, a child's sys.path starts at bench/, and `shared` would resolve to
    # whatever checkout the venv has installed instead of this one
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KiB on Linux


def _spx() -> pd.DataFrame:
    from arch.data import sp500

    return sp500.load()[["Open", "High", "Low", "Close", "Volume"]].iloc[-BARS:]


def _crossover(close: pd.DataFrame | pd.Series, fast: int, slow: int) -> Any:
    """Long/flat SMA-crossover targets, only where they change (the signals are given)."""
    slow_ma = close.rolling(slow).mean()
    side = (close.rolling(fast).mean() > slow_ma).astype(float).where(slow_ma.notna())
    return side.where(side.ne(side.shift()))


def make_panel(folder: Path, seed: int = 0) -> None:
    """Write a synthetic 1000-asset panel and its crossover targets as .npy files."""
    rng = np.random.default_rng(seed)
    close = 50.0 * np.exp(np.cumsum(rng.normal(0.0003, 0.02, (BARS, ASSETS)), axis=0))
    open_ = close * np.exp(rng.normal(0.0, 0.005, close.shape))
    fields = {
        "open": open_,
        "high": np.fmax(open_, close) * 1.01,
        "low": np.fmin(open_, close) * 0.99,
        "close": close,
        "volume": rng.integers(10_000, 1_000_000, close.shape).astype(float),
        "targets": _crossover(pd.DataFrame(close), 20, 100).to_numpy(),
    }
    for name, arr in fields.items():
        # column-major, as pandas stores a frame built the usual way
        np.save(folder / f"{name}.npy", np.asfortranarray(arr))


def _load_panel(folder: Path) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    index = pd.bdate_range("2010-01-04", periods=BARS)
    cols = [f"S{i:04d}" for i in range(ASSETS)]

    def frame(name: str) -> pd.DataFrame:
        # copy=False: no second copy inflating the memory high-water mark before the run
        return pd.DataFrame(np.load(folder / f"{name}.npy"), index=index, columns=cols, copy=False)

    fields = ("open", "high", "low", "close", "volume")
    return {name: frame(name) for name in fields}, frame("targets")


def _timed(fn: Callable[[], object], repeat: int) -> float:
    fn()  # warm-up (loads the cached kernels)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def scenario(name: str, quick: bool, folder: Path) -> dict[str, Any]:
    """Run one scenario in this process; returns its numbers."""
    from shared.sim import RunSpec, simulate, sma_cross_sweep
    from shared.sim.api import run_kernel
    from shared.sim.inputs import read_prices, read_targets

    out: dict[str, Any] = {"scenario": name}
    spec = RunSpec(commission=0.001)
    reps = 1 if quick else 4
    if name == "single":
        data = _spx()
        targets = _crossover(data["Close"], 20, 50).rename("SPX")
        rss_setup = _rss_mib()

        def run() -> Any:
            return simulate(data, targets, spec)

        n_runs = 75 * reps
    elif name in ("panel_per_asset", "panel_shared"):
        prices, targets = _load_panel(folder)
        per_asset = name == "panel_per_asset"
        if not per_asset:
            targets = targets / ASSETS
        cash: Literal["per_asset", "shared"] = "per_asset" if per_asset else "shared"
        rss_setup = _rss_mib()

        def run() -> Any:
            return simulate(prices, targets, spec, cash=cash)

        n_runs = 3 * reps
    elif name == "sweep":
        data = _spx()
        fast, slow = range(2, 101), range(10, 260, 2)
        rss_setup = _rss_mib()
        result = sma_cross_sweep(data, fast, slow, commission=0.001)
        out["combinations"] = len(result)
        out["seconds"] = _timed(
            lambda: sma_cross_sweep(data, fast, slow, commission=0.001), 2 * reps
        )
        out["per_second"] = len(result) / out["seconds"]
        out["rss_setup_mib"], out["rss_peak_mib"] = rss_setup, _rss_mib()
        return out
    else:
        raise SystemExit(f"unknown scenario {name}")
    first = run()
    out["orders"] = len(first.order_records)
    out["seconds"] = _timed(run, n_runs)
    arrays = read_prices(prices if name != "single" else data, targets)
    values = read_targets(targets, arrays)
    out["kernel_seconds"] = _timed(
        lambda: run_kernel(arrays, values, first.spec, capacity=out["orders"]), n_runs
    )
    fewer = max(n_runs // 3, 2)
    out["with_summary_seconds"] = _timed(lambda: run().summary, fewer)
    out["with_trades_seconds"] = _timed(lambda: run().trades, fewer)
    out["with_equity_seconds"] = _timed(lambda: run().equity, fewer)
    out["rss_setup_mib"], out["rss_peak_mib"] = rss_setup, _rss_mib()
    return out


FIRST_CALL = """
import time, json
t0 = time.perf_counter()
from shared.sim import simulate, sma_cross_sweep
t1 = time.perf_counter()
import sys; sys.path.insert(0, {bench!r})
from sim_bench import _spx, _crossover
data = _spx(); targets = _crossover(data["Close"], 20, 50).rename("SPX")
t2 = time.perf_counter()
simulate(data, targets, commission=0.001).summary
t3 = time.perf_counter()
sma_cross_sweep(data, [5, 10], [20, 50])
t4 = time.perf_counter()
print(json.dumps({{"import": t1 - t0, "first_simulate": t3 - t2, "first_sweep": t4 - t3,
                  "total": (t1 - t0) + (t3 - t2) + (t4 - t3)}}))
"""


def first_call(cold: bool) -> dict[str, float]:
    """Import + first simulate() + first sweep in a fresh interpreter."""
    env = _env()
    with tempfile.TemporaryDirectory() as cache:
        if cold:
            env["NUMBA_CACHE_DIR"] = cache  # an empty cache: everything compiles
        code = FIRST_CALL.format(bench=str(ROOT / "bench"))
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True
        )
        wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    numbers: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    numbers["process_wall"] = wall
    return numbers


def _child(name: str, quick: bool, folder: Path) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", name, "--data", str(folder)]
    cmd += ["--quick"] if quick else []
    done = subprocess.run(cmd, cwd=ROOT, env=_env(), capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(scenario(args.child, args.quick, Path(args.data))))
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        make_panel(folder)
        _child("single", True, folder)  # make sure the numba cache is warm before timing
        load = os.getloadavg()
        print(
            f"machine: {os.cpu_count()} cores, load average {load[0]:.2f} {load[1]:.2f}; "
            f"numpy {np.__version__}, pandas {pd.__version__}"
        )
        names = ("single", "panel_per_asset", "panel_shared", "sweep")
        rows = [_child(name, args.quick, folder) for name in names]
    print()
    print("Each figure is the median time of the path it names; before: the figure of issue 12.")
    labels = {
        "single": f"one backtest, 1 asset x {BARS} bars (S&P 500), signals given",
        "panel_per_asset": f"{ASSETS} assets x {BARS} bars, an account per asset",
        "panel_shared": f"{ASSETS} assets x {BARS} bars, one shared account",
        "sweep": f"SMA sweep, 1 asset x {BARS} bars",
    }
    for row in rows:
        extra = row["rss_peak_mib"] - row["rss_setup_mib"]
        name = row["scenario"]
        memory = f"peak {row['rss_peak_mib']:.0f} MiB, +{extra:.0f} MiB over the loaded data"
        if name == "sweep":
            print(f"{labels[name]}: {row['combinations']} combinations in "
                  f"{row['seconds'] * 1e3:.1f} ms, {row['per_second']:,.0f} combinations/s "
                  f"({memory})")  # fmt: skip
            continue
        print(f"{labels[name]} ({row['orders']} orders; {memory}):")
        for key, what in PATHS:
            before = BEFORE.get((name, key))
            tail = f" (before: {before})" if before else ""
            print(f"    {what + ':':<44}{row[key] * 1e3:>9.3f} ms{tail}")
    print()
    for cold in (False, True):
        numbers = first_call(cold)
        state = "cold (empty numba cache)" if cold else "warm (numba cache on disk)"
        print(
            f"first call, fresh process, {state}: import {numbers['import']:.3f} s + first "
            f"simulate+summary {numbers['first_simulate']:.3f} s + first sweep "
            f"{numbers['first_sweep']:.3f} s (whole process {numbers['process_wall']:.2f} s)"
        )


if __name__ == "__main__":
    main()
