"""An SB3 callback that reports training progress and stops training cleanly when asked to.

Progress goes to a plain `progress(fraction, message, extra)` callable, so the trainer can pass
its job-progress function and a notebook a print. Cancellation is polled through `should_stop()`
every `check_every` timesteps (it may read a database, so not at every step); when it answers
True the callback returns False, which SB3 takes as "stop learning" after the current step.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np
from stable_baselines3.common.callbacks import BaseCallback

from shared.errors import ValidationError

ProgressFn = Callable[[float, str, dict[str, Any]], None]
"""progress(fraction 0..1, message, extra); it may raise (e.g. JobCancelled) to abort."""
StopFn = Callable[[], bool]
_BEFORE_END = 0.99  # a report before training has ended never claims 1.0: that means finished


class ProgressCallback(BaseCallback):
    """Reports timesteps done and the mean episode reward; stops when `should_stop()` is True."""

    def __init__(
        self,
        total_timesteps: int,
        progress: ProgressFn | None = None,
        should_stop: StopFn | None = None,
        *,
        check_every: int = 1024,
        report_every: int | None = None,
    ) -> None:
        super().__init__(verbose=0)
        for name, value in (("total_timesteps", total_timesteps), ("check_every", check_every)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValidationError(
                    f"{name} must be a whole number >= 1, got {value!r}", field=name
                )
        self.total_timesteps = total_timesteps
        self._progress = progress
        self._should_stop = should_stop
        self._check_every = check_every
        self._report_every = report_every or max(1, total_timesteps // 100)
        self.cancelled = False
        self.episodes = 0
        self._next_check = check_every
        self._next_report = 0
        self._fraction = 0.0
        self._started = time.perf_counter()

    def _on_training_start(self) -> None:
        self._started = time.perf_counter()
        self._report(0.0, "training started")

    def _on_step(self) -> bool:
        infos = self.locals.get("infos") or ()
        self.episodes += sum(1 for info in infos if "episode" in info)
        done = self.num_timesteps
        if self._should_stop is not None and done >= self._next_check:
            self._next_check = done + self._check_every
            if self._should_stop():
                self.cancelled = True
                return False
        if done >= self._next_report:
            self._next_report = done + self._report_every
            fraction = min(done / self.total_timesteps, _BEFORE_END)
            self._report(fraction, f"timesteps {done:,} / {self.total_timesteps:,}")
        return True

    def _on_training_end(self) -> None:
        done = self.num_timesteps
        if self.cancelled:
            self._report(self._fraction, f"cancelled after {done:,} timesteps")
        else:
            self._report(1.0, f"trained {done:,} timesteps")

    def summary(self) -> dict[str, Any]:
        """Timesteps, episodes, mean episode reward/length over recent episodes, speed."""
        elapsed = max(time.perf_counter() - self._started, 1e-9)
        rewards = [float(e["r"]) for e in self._episode_buffer()]
        lengths = [float(e["l"]) for e in self._episode_buffer()]
        return {
            "timesteps": int(self.num_timesteps),
            "total_timesteps": self.total_timesteps,
            "episodes": self.episodes,
            "mean_episode_reward": float(np.mean(rewards)) if rewards else None,
            "mean_episode_length": float(np.mean(lengths)) if lengths else None,
            "timesteps_per_s": self.num_timesteps / elapsed,
            "seconds": elapsed,
        }

    def _episode_buffer(self) -> list[dict[str, Any]]:
        # SB3 keeps the last episodes' {"r", "l", "t"} here, from Monitor/VecMonitor infos.
        buffer = getattr(self.model, "ep_info_buffer", None) if self.model is not None else None
        return list(buffer or ())

    def _report(self, fraction: float, message: str) -> None:
        self._fraction = max(self._fraction, fraction)  # monotone even if SB3 resets a counter
        if self._progress is None:
            return
        extra = self.summary()
        if extra["mean_episode_reward"] is not None:
            message += f" · mean episode reward {extra['mean_episode_reward']:.4g}"
        self._progress(self._fraction, message, extra)
