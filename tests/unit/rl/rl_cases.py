"""Markets and episode runners for the RL environment tests."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from shared.features import FeatureDef, FeatureSpec
from shared.rl import EnvConfig, FeatureScaler, Market, TradingEnv, build_market

SPEC = FeatureSpec((FeatureDef("returns", {"period": 1}), FeatureDef("rsi", {"period": 5})))


def random_bars(seed: int, n: int, *, drift: float = 0.0, vol: float = 0.02) -> pd.DataFrame:
    """Daily OHLCV bars of a random walk; high/low bracket open and close."""
    rng = np.random.default_rng(seed)
    index = pd.bdate_range("2020-01-01", periods=n)
    close = 50.0 * np.exp(np.cumsum(rng.normal(drift, vol, n)))
    open_ = close * np.exp(rng.normal(0.0, 0.005, n))
    return pd.DataFrame(
        {
            "open": open_,
            "high": np.fmax(open_, close) * (1.0 + rng.uniform(0.0, 0.02, n)),
            "low": np.fmin(open_, close) * (1.0 - rng.uniform(0.0, 0.02, n)),
            "close": close,
            "volume": rng.integers(5_000, 50_000, n).astype(float),
        },
        index=index,
    )


def market(n_symbols: int = 1, n_bars: int = 200, seed: int = 0) -> Market:
    bars = {f"S{j}": random_bars(seed * 10 + j, n_bars) for j in range(n_symbols)}
    return build_market(bars, SPEC)


@dataclass
class Episode:
    """What one episode of TradingEnv showed: equity per bar of its window, rewards, infos."""

    window: Market
    targets: pd.DataFrame
    equity: dict[int, float]  # window bar -> equity at its close
    rewards: list[float]
    obs: list[np.ndarray]
    infos: list[dict]
    positions: np.ndarray  # shares held at the end


def play(env: TradingEnv, actions: list, *, seed: int | None = None, start: int | None = None):
    """Reset (seeded or at a start) and step through `actions` until the episode ends."""
    options = None if start is None else {"start": start}
    obs, info = env.reset(seed=seed, options=options)
    begin = env.core.start_of(0)
    equity = {} if np.isnan(info["equity"]) else {info["bar"] - begin: info["equity"]}
    rewards, all_obs, infos = [], [obs], [info]
    for action in actions:
        obs, reward, terminated, truncated, info = env.step(action)
        equity[info["bar"] - begin] = info["equity"]
        rewards.append(reward)
        all_obs.append(obs)
        infos.append(info)
        if terminated or truncated:
            break
    length = env.core.length
    window = env.core.market.between(
        env.core.market.index[begin], env.core.market.index[begin + length - 1]
    )
    targets = pd.DataFrame(
        env.core.targets[0].copy(), index=window.index, columns=list(window.symbols)
    )
    n = env.core.n_symbols
    return Episode(window, targets, equity, rewards, all_obs, infos, env.core.fs[0, :n].copy())


def random_actions(env: TradingEnv, seed: int, n: int) -> list:
    space = env.action_space
    space.seed(seed)
    return [space.sample() for _ in range(n)]


def make_env(m: Market, config: EnvConfig) -> TradingEnv:
    return TradingEnv(m, FeatureScaler.fit(m), config)
