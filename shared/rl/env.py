"""TradingEnv: one copy of the trading environment as a gymnasium.Env (see docs/rl.md)."""

from __future__ import annotations

from typing import Any, SupportsFloat

import gymnasium as gym
import numpy as np
import numpy.typing as npt
from gymnasium.error import ResetNeeded

from shared.rl import batch as bt
from shared.rl.config import EnvConfig
from shared.rl.core import EnvCore
from shared.rl.market import Market
from shared.rl.scaling import FeatureScaler

F32 = npt.NDArray[np.float32]
_ONE = np.zeros(1, dtype=np.int64)


class TradingEnv(gym.Env[F32, Any]):
    """Trade `market` with target weights filled by shared.sim's rules, one bar per step.

    reset(seed=...) draws the episode's window start from the env's np_random (or takes
    options={"start": offset}); an episode is truncated at the window's end and terminated
    when the account is ruined (equity <= 0, info["ruin"]).
    """

    metadata: dict[str, Any] = {"render_modes": []}

    def __init__(
        self, market: Market, scaler: FeatureScaler, config: EnvConfig | None = None
    ) -> None:
        self.core = EnvCore(market, scaler, config or EnvConfig(), 1)
        self.config = self.core.config
        self.observation_space = self.core.observation_space
        self.action_space = self.core.action_space
        self.render_mode = None
        self._needs_reset = True

    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[F32, dict[str, Any]]:
        super().reset(seed=seed)
        start = (options or {}).get("start")
        if start is None:
            start = int(self.np_random.integers(0, self.core.max_start, endpoint=True))
        else:
            start = self.core.check_start(start)
        self.core.reset(_ONE, np.array([start], dtype=np.int64))
        self._needs_reset = False
        return self.core.obs[0].copy(), self._info(ruin=False)

    def step(self, action: Any) -> tuple[F32, SupportsFloat, bool, bool, dict[str, Any]]:
        if self._needs_reset:
            raise ResetNeeded("the episode is over (or never began): call reset() first")
        self.core.step(action)
        status = int(self.core.status[0])
        terminated = status == bt.RUINED
        truncated = status == bt.WINDOW_END
        self._needs_reset = terminated or truncated
        reward = float(self.core.out[0, bt.OUT_REWARD])
        return self.core.obs[0].copy(), reward, terminated, truncated, self._info(terminated)

    def _info(self, ruin: bool) -> dict[str, Any]:
        out = self.core.out[0]
        bar = self.core.start_of(0) + int(out[bt.OUT_BAR])
        return {
            "equity": float(out[bt.OUT_EQUITY]),  # at the close of `bar` (simulate()'s equity)
            "bar": bar,
            "time": self.core.market.index[bar],
            "turnover": float(out[bt.OUT_TURNOVER]),
            "drawdown": float(out[bt.OUT_DRAWDOWN]),
            "ruin": ruin,
        }
