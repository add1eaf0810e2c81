"""`make bench`: speed of the RL environment (shared.rl) and of PPO training on it.

Numbers, not pass/fail: env-steps/s of TradingVecEnv with 1 and 8 copies (random discrete
actions, one symbol, the builtin S&P 500 daily bars, ~5,000 bars, default features, 0.1 %
commission), and PPO (MlpPolicy, 8 copies, one torch thread) timesteps/s with the share of its
wall time spent inside the environment (reset and step_wait, timed by a thin VecEnvWrapper).
Env-steps are also given per CPU-second of the stepping thread: on a shared machine the
wall-clock figure counts the time other processes held the core.
Run: .venv/bin/python bench/rl_bench.py [--quick]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's shared/

from stable_baselines3.common.vec_env import VecEnvWrapper
from stable_baselines3.common.vec_env.base_vec_env import VecEnvStepReturn

from shared.features import default_feature_spec
from shared.rl import EnvConfig, FeatureScaler, Market, TradingEnv, build_market
from shared.rl.vec_env import TradingVecEnv
from shared.sim import Commission, RunSpec

CONFIG = EnvConfig(spec=RunSpec(commission=Commission(rate=0.001)), episode_bars=256)


def spx() -> Market:
    from arch.data import sp500

    raw = sp500.load()
    bars = pd.DataFrame(
        {name.lower(): raw[name] for name in ("Open", "High", "Low", "Close", "Volume")}
    ).astype(float)
    return build_market({"SP500": bars}, default_feature_spec())


class Timed(VecEnvWrapper):
    """Adds up the seconds spent in the wrapped VecEnv's reset and step_wait."""

    def __init__(self, venv: TradingVecEnv) -> None:
        super().__init__(venv)
        self.seconds = 0.0

    def reset(self) -> np.ndarray:
        started = time.perf_counter()
        obs = self.venv.reset()
        self.seconds += time.perf_counter() - started
        return obs  # type: ignore[return-value]

    def step_wait(self) -> VecEnvStepReturn:
        started = time.perf_counter()
        out = self.venv.step_wait()
        self.seconds += time.perf_counter() - started
        return out


def vec_steps_per_s(
    market: Market, scaler: FeatureScaler, n_envs: int, steps: int
) -> tuple[float, float]:
    """(env-steps per second of wall time, per second of this thread's CPU time)."""
    vec = TradingVecEnv(market, scaler, CONFIG, n_envs=n_envs, seed=0)
    actions = np.random.default_rng(0).integers(0, 3, size=(steps, n_envs))
    vec.reset()
    vec.step(actions[0])  # warm (compiled code comes from numba's cache)
    started, cpu = time.perf_counter(), time.thread_time()
    for row in actions:
        vec.step(row)
    wall, cpu = time.perf_counter() - started, time.thread_time() - cpu
    return steps * n_envs / wall, steps * n_envs / cpu


def single_steps_per_s(market: Market, scaler: FeatureScaler, steps: int) -> float:
    env = TradingEnv(market, scaler, CONFIG)
    actions = np.random.default_rng(0).integers(0, 3, size=steps).tolist()
    env.reset(seed=0)
    env.step(actions[0])  # warm: the first call loads the kernels, not a step's cost
    env.reset(seed=0)
    started = time.perf_counter()
    for action in actions:
        _, _, terminated, truncated, _ = env.step(action)
        if terminated or truncated:
            env.reset()
    return steps / (time.perf_counter() - started)


def ppo(market: Market, scaler: FeatureScaler, timesteps: int) -> tuple[float, float]:
    from stable_baselines3 import PPO

    from shared.ml.rl_training import torch_threads

    env = Timed(TradingVecEnv(market, scaler, CONFIG, n_envs=8, seed=0))
    # one torch thread, as training jobs run (RLPlan.n_threads): on a busy 2-core machine two
    # threads wait on each other and PPO's rate swings from about 300 to 5,000 timesteps/s
    with torch_threads(1):
        model = PPO("MlpPolicy", env, n_steps=256, batch_size=256, seed=0, device="cpu")
        started = time.perf_counter()
        model.learn(total_timesteps=timesteps)
        wall = time.perf_counter() - started
    return model.num_timesteps / wall, env.seconds / wall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer steps")
    args = parser.parse_args()
    scale = 0.2 if args.quick else 1.0
    market = spx()
    scaler = FeatureScaler.fit(market)
    print(
        f"\nRL environment on {os.cpu_count()} cores: {market.symbols[0]}, {len(market):,} daily "
        f"bars x {len(market.columns)} features, episodes of {CONFIG.episode_bars} bars"
    )
    single = single_steps_per_s(market, scaler, int(50_000 * scale))
    print(f"  TradingEnv (gymnasium step, 1 copy):  {single:12,.0f} env-steps/s")
    for n_envs in (1, 8):
        rate, cpu = vec_steps_per_s(market, scaler, n_envs, int(200_000 * scale / n_envs**0.5))
        print(f"  TradingVecEnv, {n_envs} cop{'y' if n_envs == 1 else 'ies'}:            "
              f"{rate:12,.0f} env-steps/s ({cpu:,.0f} per CPU-second)")  # fmt: skip
    timesteps = int(40_960 * scale)
    rate, share = ppo(market, scaler, timesteps)
    print(f"  PPO MlpPolicy, 8 copies, {timesteps:,} timesteps: {rate:8,.0f} timesteps/s, "
          f"{100 * share:.1f} % of its wall time in the environment")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
