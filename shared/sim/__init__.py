"""Backtest engine: numba kernels behind a thin pandas API (no I/O). See docs/simulation.md."""

from shared.sim import jit_cache

jit_cache.install()  # before any kernel module is imported

from shared.sim.api import simulate  # noqa: E402
from shared.sim.cost_models import Commission, Slippage  # noqa: E402
from shared.sim.result import SimResult  # noqa: E402
from shared.sim.sizing import (  # noqa: E402
    cap_weights,
    equal_weight,
    fixed_cash,
    fixed_fraction,
    signals_to_targets,
    vol_target,
)
from shared.sim.sma_sweep import sma_cross_sweep, sma_cross_targets  # noqa: E402
from shared.sim.spec import RunSpec  # noqa: E402

__all__ = [
    "Commission",
    "RunSpec",
    "SimResult",
    "Slippage",
    "cap_weights",
    "equal_weight",
    "fixed_cash",
    "fixed_fraction",
    "signals_to_targets",
    "simulate",
    "sma_cross_sweep",
    "sma_cross_targets",
    "vol_target",
]
