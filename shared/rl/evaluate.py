"""A deterministic run of a policy over a whole window, as targets the simulator can replay."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from shared.errors import ValidationError
from shared.rl.config import EnvConfig
from shared.rl.env import TradingEnv
from shared.rl.market import Market
from shared.rl.scaling import FeatureScaler

Policy = Callable[[npt.NDArray[np.float32]], Any]
"""observation -> action (e.g. lambda obs: model.predict(obs, deterministic=True)[0])."""


def run_policy(
    market: Market, scaler: FeatureScaler, config: EnvConfig, policy: Policy
) -> pd.DataFrame:
    """Target weights (bars x symbols) the policy decides over every bar of `market`.

    One episode spans the whole window from its first bar; each row is the decision at that
    bar's close (NaN where none was taken: the last bar when fills come at the next open, or
    after a ruin). simulate(market.price_frames(), targets, config.spec) reproduces the
    environment's equity bar for bar.
    """
    if not callable(policy):
        raise ValidationError("policy must be a callable: observation -> action", field="policy")
    env = TradingEnv(market, scaler, replace(config, episode_bars=len(market)))
    obs, _ = env.reset(options={"start": 0})
    done = False
    while not done:
        obs, _, terminated, truncated, _ = env.step(policy(obs))
        done = terminated or truncated
    return pd.DataFrame(
        env.core.targets[0].copy(), index=market.index, columns=list(market.symbols)
    )
