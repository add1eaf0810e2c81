"""Compile the environment's kernels into numba's on-disk cache ahead of the first training.

The kernels compile on their first call, which takes minutes on a small machine: `make install`
runs this once, so that neither a training job nor a test waits for the compiler. Each action
kind is a separate specialisation (integer or float actions); the rest of the state is float64
and int64 arrays of fixed rank, whatever the symbols, costs or options.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from gymnasium.spaces import Space

from shared.features import FeatureDef, FeatureSpec
from shared.rl.config import EnvConfig
from shared.rl.env import TradingEnv
from shared.rl.evaluate import run_policy
from shared.rl.market import build_market
from shared.rl.scaling import FeatureScaler
from shared.sim import Commission, RunSpec

_BARS = 120


def _bars(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    close = 50.0 * np.exp(np.cumsum(rng.normal(0.0, 0.02, _BARS)))
    return pd.DataFrame(
        {"open": close, "high": close * 1.01, "low": close * 0.99, "close": close,
         "volume": np.full(_BARS, 1e4)},
        index=pd.bdate_range("2020-01-01", periods=_BARS),
    )  # fmt: skip


def _random_policy(space: Space[Any]) -> Callable[[Any], Any]:
    return lambda _obs: space.sample()


def compile_kernels() -> None:
    """Step every kernel once per action kind (a few seconds once cached)."""
    spec = FeatureSpec((FeatureDef("returns", {"period": 1}),))
    market = build_market({"A": _bars(0), "B": _bars(1)}, spec)
    scaler = FeatureScaler.fit(market)
    run = RunSpec(commission=Commission(rate=0.001))
    for action in ("discrete", "continuous"):
        config = EnvConfig(spec=run, action=action, episode_bars=20)
        env = TradingEnv(market, scaler, config)
        env.reset(seed=0)
        env.step(env.action_space.sample())
        run_policy(market, scaler, config, _random_policy(env.action_space))


if __name__ == "__main__":
    compile_kernels()
