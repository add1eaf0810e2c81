"""Reinforcement-learning environment on the engine's own fills (pure, no I/O; docs/rl.md).

The environment's bars run through shared.sim's order, cost and fill functions, so an agent's
actions replayed through simulate() give the same equity at every bar.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from shared.rl import jit_cache

jit_cache.install()  # before any kernel module is imported

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
