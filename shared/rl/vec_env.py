"""TradingVecEnv: many copies as a native stable-baselines3 VecEnv, stepped in one numba call.

No Python loop runs over the copies on a step: only the copies whose episode just ended are
visited, to record their episode and draw their next window start from their own generator
(seeded as gymnasium would: copy i of seed s behaves as TradingEnv reset with seed s + i).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from typing import Any

import gymnasium as gym
import numpy as np
from gymnasium.utils import seeding
from stable_baselines3.common.vec_env import VecEnv
from stable_baselines3.common.vec_env.base_vec_env import VecEnvIndices, VecEnvStepReturn

from shared.errors import ValidationError
from shared.rl import batch as bt
from shared.rl.config import EnvConfig
from shared.rl.core import EnvCore
from shared.rl.market import Market
from shared.rl.scaling import FeatureScaler


class TradingVecEnv(VecEnv):
    """`n_envs` independent copies of TradingEnv with SB3's auto-reset.

    A finished copy is reset at once; its info holds "terminal_observation",
    "TimeLimit.truncated" (the window ended), "ruin" and, as SB3's Monitor writes it,
    "episode": {"r": summed reward, "l": steps, "t": seconds since creation}, which SB3's
    logger reads for rollout/ep_rew_mean.
    """

    def __init__(
        self,
        market: Market,
        scaler: FeatureScaler,
        config: EnvConfig | None = None,
        n_envs: int = 8,
        seed: int | None = None,
    ) -> None:
        self.core = EnvCore(market, scaler, config or EnvConfig(), n_envs)
        self.config = self.core.config
        self.render_mode = None
        super().__init__(n_envs, self.core.observation_space, self.core.action_space)
        self._rngs: list[np.random.Generator | None] = [None] * n_envs
        self._actions: Any = None
        self._all = np.arange(n_envs, dtype=np.int64)
        self._t0 = time.perf_counter()
        # one empty info per copy, handed out again on every step; a copy that finishes gets a
        # dict of its own (SB3 reads every info for "episode", so they must stay empty)
        self._blank: tuple[dict[str, Any], ...] = tuple({} for _ in range(n_envs))
        self._started = False
        if seed is not None:
            self.seed(seed)

    def reset(self) -> np.ndarray:
        starts = np.empty(self.num_envs, dtype=np.int64)
        for i in range(self.num_envs):  # a reset of all copies, not a step
            seed, start = self._seeds[i], self._options[i].get("start")
            if seed is not None or self._rngs[i] is None:
                self._rngs[i] = seeding.np_random(seed)[0]
            starts[i] = self._draw(i) if start is None else self.core.check_start(start)
        self.core.reset(self._all, starts)
        self._reset_seeds()
        self._reset_options()
        self.reset_infos = [{} for _ in range(self.num_envs)]
        self._started = True
        return self.core.obs.copy()

    def step_async(self, actions: np.ndarray) -> None:
        self._actions = actions

    def step_wait(self) -> VecEnvStepReturn:
        actions = self._actions
        if actions is None:
            raise ValidationError("step_wait() without step_async(actions)", field="action")
        if not self._started:
            raise ValidationError("call reset() before the first step", field="reset")
        self._actions = None
        core = self.core
        n_done = core.step(actions)
        if any(self._blank):  # a wrapper wrote into one: start again from empty ones
            self._blank = tuple({} for _ in range(self.num_envs))
        infos = list(self._blank)
        if n_done:
            self._finish(np.flatnonzero(core.dones), core.status, infos)
        # copies: SB3 keeps this step's arrays while the next step overwrites the buffers
        return core.obs.copy(), core.rewards.copy(), core.dones.copy(), infos

    def _finish(self, done: np.ndarray, status: np.ndarray, infos: list[dict[str, Any]]) -> None:
        """Record the finished copies' episodes, then start them on new windows."""
        starts = np.empty(done.size, dtype=np.int64)
        elapsed = round(time.perf_counter() - self._t0, 6)
        for k, i in enumerate(done.tolist()):  # only the copies that just finished
            total, steps = self.core.episode(i)
            infos[i] = {
                "terminal_observation": self.core.obs[i].copy(),
                "TimeLimit.truncated": bool(status[i] == bt.WINDOW_END),
                "ruin": bool(status[i] == bt.RUINED),
                "equity": float(self.core.out[i, bt.OUT_EQUITY]),
                "episode": {"r": round(total, 6), "l": steps, "t": elapsed},
            }
            starts[k] = self._draw(i)
        self.core.reset(done.astype(np.int64), starts)

    def _draw(self, i: int) -> int:
        rng = self._rngs[i]
        assert rng is not None
        return int(rng.integers(0, self.core.max_start, endpoint=True))

    def close(self) -> None:
        return None

    def get_attr(self, attr_name: str, indices: VecEnvIndices = None) -> list[Any]:
        """The attribute of this object, once per copy asked (the copies share it)."""
        return [getattr(self, attr_name) for _ in self._indices(indices)]

    def set_attr(self, attr_name: str, value: Any, indices: VecEnvIndices = None) -> None:
        setattr(self, attr_name, value)

    def env_method(
        self, method_name: str, *method_args: Any, indices: VecEnvIndices = None, **kwargs: Any
    ) -> list[Any]:
        raise NotImplementedError(
            "TradingVecEnv's copies are rows of arrays, not gymnasium objects; use TradingEnv "
            "for per-copy methods"
        )

    def env_is_wrapped(
        self, wrapper_class: type[gym.Wrapper], indices: VecEnvIndices = None
    ) -> list[bool]:
        return [False for _ in self._indices(indices)]

    def get_images(self) -> Sequence[np.ndarray | None]:
        return [None for _ in range(self.num_envs)]

    def _indices(self, indices: VecEnvIndices) -> Iterable[int]:
        if indices is None:
            return range(self.num_envs)
        if isinstance(indices, int):
            return [indices]
        return indices
