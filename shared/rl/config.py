"""The environment's options: the engine's RunSpec plus actions, episodes and reward shaping."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

import numpy as np
from gymnasium import spaces
from numba import types

from shared.errors import ValidationError
from shared.sim import RunSpec

ActionKind = Literal["discrete", "continuous"]
ACTION_KINDS = ("discrete", "continuous")


@dataclass(frozen=True)
class EnvConfig:
    """How the agent acts, how long an episode runs and how it is rewarded.

    `spec` is the engine's RunSpec (costs, fill timing, delay, whole shares, shorting,
    leverage...): every fill follows it, as simulate() would. The reward is documented in
    docs/rl.md.
    """

    spec: RunSpec = field(default_factory=RunSpec)
    """The simulator's rules; its size_type must be "weight" (or None)."""
    action: ActionKind = "discrete"
    """"discrete": short/flat/long per symbol (flat/long without shorting); "continuous":
    target weights in [-1, 1] (or [0, 1]) per symbol."""
    episode_bars: int = 256
    """Bars in one episode window (the first decision is on its first bar)."""
    position_size: float = 1.0
    """Gross weight when fully invested: split equally across symbols by discrete actions, the
    cap on the sum of |weight| for continuous ones (per symbol with cash="per_asset")."""
    drawdown_penalty: float = 0.0
    """Reward minus this x the drawdown from the episode's peak after each step."""
    turnover_penalty: float = 0.0
    """Reward minus this x the step's traded notional / equity before it."""

    def __post_init__(self) -> None:
        if not isinstance(self.spec, RunSpec):
            raise ValidationError(
                f"spec must be a shared.sim.RunSpec, got {type(self.spec).__name__}", field="spec"
            )
        if self.spec.size_type not in (None, "weight"):
            raise ValidationError(
                f"the environment's actions are target weights; size_type={self.spec.size_type!r}"
                " is not supported (use None or 'weight')",
                field="spec.size_type",
            )
        if self.action not in ACTION_KINDS:
            raise ValidationError(
                f"action={self.action!r} is not supported; use 'discrete' or 'continuous'",
                field="action",
            )
        bars = self.episode_bars
        if isinstance(bars, bool) or not isinstance(bars, int) or bars < 2:
            raise ValidationError(
                f"episode_bars must be a whole number >= 2, got {bars!r}", field="episode_bars"
            )
        _number(self.position_size, "position_size", positive=True)
        if self.position_size > self.spec.max_leverage:
            raise ValidationError(
                f"position_size {self.position_size} exceeds max_leverage "
                f"{self.spec.max_leverage}; lower it or allow more leverage",
                field="position_size",
            )
        _number(self.drawdown_penalty, "drawdown_penalty")
        _number(self.turnover_penalty, "turnover_penalty")

    @property
    def allow_short(self) -> bool:
        return self.spec.allow_short

    def action_space(self, n_symbols: int) -> spaces.Space[np.ndarray]:
        """Discrete(3)/(2), MultiDiscrete for several symbols, or a float32 Box of weights."""
        if self.action == "continuous":
            low = -1.0 if self.allow_short else 0.0
            return spaces.Box(low, 1.0, shape=(n_symbols,), dtype=np.float32)
        choices = 3 if self.allow_short else 2
        if n_symbols == 1:
            return spaces.Discrete(choices)  # type: ignore[return-value]
        return spaces.MultiDiscrete(np.full(n_symbols, choices))


class EnvRules(NamedTuple):
    """The environment's own scalars, as the kernels read them."""

    discrete: bool  # actions are choices (else weights)
    allow_short: bool  # discrete: 0 short, 1 flat, 2 long (else 0 flat, 1 long)
    unit: float  # discrete: |weight| of one symbol's long or short
    gross: float  # continuous: cap on sum |w| (shared cash) or on each |w| (per asset)
    per_asset: bool  # one account per symbol
    split: bool  # fills at the decision bar's close (lag 0): the step spans two bars
    dd_coef: float  # drawdown penalty coefficient
    to_coef: float  # turnover penalty coefficient


ENV_RULES_T = types.NamedTuple(
    (
        types.boolean, types.boolean, types.float64, types.float64, types.boolean, types.boolean,
        types.float64, types.float64,
    ),
    EnvRules,
)  # fmt: skip


def env_rules(config: EnvConfig, n_symbols: int) -> EnvRules:
    """The config as kernel scalars."""
    per_asset = config.spec.cash == "per_asset"
    size = config.position_size
    return EnvRules(
        discrete=config.action == "discrete",
        allow_short=config.allow_short,
        unit=size if per_asset else size / n_symbols,
        gross=size,
        per_asset=per_asset,
        split=config.spec.lag == 0,
        dd_coef=float(config.drawdown_penalty),
        to_coef=float(config.turnover_penalty),
    )


def _number(value: object, name: str, *, positive: bool = False) -> None:
    ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    if not ok or value < 0.0 or (positive and value == 0.0):  # type: ignore[operator]
        need = "a positive" if positive else "a non-negative"
        raise ValidationError(f"{name} must be {need} finite number, got {value!r}", field=name)
