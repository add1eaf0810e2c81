"""Compile the engine's lazily typed kernels into numba's on-disk cache: `python -m shared.sim.warmup`.

Importing shared.sim compiles the kernels with explicit signatures; the summary, trades table,
fused sweep and PBO kernels compile on first call instead. `make install` and the Docker build
run this once so that a fresh worker's first simulation or sweep does not wait on the compiler.
Each call below has the argument types the platform passes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from shared.sim import RunSpec, simulate
from shared.sim.sma_sweep import sma_cross_sweep
from shared.sim.sweep_fused import fused_stats
from shared.sim.sweep_pbo import pbo_from_sums

_BARS = 80


def _panel(n_symbols: int) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(0)
    index = pd.bdate_range("2020-01-01", periods=_BARS)
    close = 50.0 * np.exp(np.cumsum(rng.normal(0.0, 0.02, (_BARS, n_symbols)), axis=0))
    symbols = [f"S{j}" for j in range(n_symbols)]
    frame = pd.DataFrame(close, index=index, columns=symbols)
    return {"open": frame, "high": frame * 1.01, "low": frame * 0.99, "close": frame}


def compile_kernels() -> None:
    """Run each lazily compiled path once per argument-type variant (seconds once cached)."""
    for n_symbols in (1, 3):
        prices = _panel(n_symbols)
        close = prices["close"]
        targets = pd.DataFrame(np.nan, index=close.index, columns=close.columns)
        targets.iloc[10] = 1.0 / n_symbols
        targets.iloc[40] = 0.0
        result = simulate(prices, targets)
        _ = result.summary, result.trades, result.orders
        for cash in ("shared", "per_asset"):
            spec = RunSpec(cash=cash, allow_short=True)
            for parallel in (True, False):
                fused_stats(
                    "sma_crossover", {"fast": [5, 10], "slow": [20, 30]}, prices["open"].to_numpy(),
                    close.to_numpy(), close.index, spec, parallel=parallel,
                )  # fmt: skip
                fused_stats(
                    "rsi_mean_reversion",
                    {"period": [14, 10], "lower": [30, 25], "upper": [70, 75], "exit": [50, 50]},
                    prices["open"].to_numpy(), close.to_numpy(), close.index, spec,
                    parallel=parallel,
                )  # fmt: skip
    one = _panel(1)
    sma_cross_sweep(pd.DataFrame({k: v["S0"] for k, v in one.items()}), [5, 10], [20, 30])
    # four strategies' [count, sum, sum of squares] over 16 partitions of 5 returns
    rng = np.random.default_rng(1)
    returns = rng.normal(0.0, 0.01, (4, 16, 5))
    stats = np.stack([np.full((4, 16), 5.0), returns.sum(2), (returns**2).sum(2)], axis=2)
    pbo_from_sums(stats)


if __name__ == "__main__":
    compile_kernels()
