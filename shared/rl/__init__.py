"""Reinforcement-learning environment on the engine's own fills (pure, no I/O; docs/rl.md).

The environment's bars run through shared.sim's order, cost and fill functions, so an agent's
actions replayed through simulate() give the same equity at every bar.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import shared.sim
from shared.sim import jit_cache

# Before any kernel module is imported: the RL kernels inline shared.sim's order functions, so
# their numba cache expires when either package changes (see shared.sim.jit_cache).
jit_cache.register(os.path.dirname(__file__), os.path.dirname(shared.sim.__file__))

from shared.rl.config import EnvConfig  # noqa: E402
from shared.rl.env import TradingEnv  # noqa: E402
from shared.rl.evaluate import Policy, run_policy  # noqa: E402
from shared.rl.market import Market, build_market  # noqa: E402
from shared.rl.scaling import FeatureScaler  # noqa: E402

if TYPE_CHECKING:
    from shared.rl.vec_env import TradingVecEnv

__all__ = [
    "EnvConfig",
    "FeatureScaler",
    "Market",
    "Policy",
    "TradingEnv",
    "TradingVecEnv",
    "build_market",
    "run_policy",
]


def __getattr__(name: str) -> Any:
    # the VecEnv subclasses stable-baselines3's, whose import pulls in torch: only on demand
    if name == "TradingVecEnv":
        from shared.rl.vec_env import TradingVecEnv

        return TradingVecEnv
    raise AttributeError(f"module 'shared.rl' has no attribute {name!r}")
