"""Buy-and-hold, SMA crossover and RSI mean reversion as target-weight builders.

Every rule is causal: the target at bar t is computed from closes up to and including t, and
shared.sim fills it at t+1 (or later). Weights are split equally across the symbols, scaled by
`position_size` (the fraction of equity the strategy may deploy).

Missing bars (NaN closes: a halt, a symbol listed late) are skipped per symbol: indicators run
over the symbol's own closes, the target at a bar without a close is NaN (keep), and before a
symbol's indicator exists the target is 0 (no opinion) wherever it trades.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from shared.errors import ValidationError
from shared.features.indicators import rsi, sma
from shared.strategies.observed import on_observed_bars

F64 = npt.NDArray[np.float64]


@dataclass(frozen=True)
class ParamSpec:
    """One tunable parameter: its default, allowed range and meaning."""

    default: float
    minimum: float
    maximum: float
    integer: bool
    doc: str


@dataclass(frozen=True)
class StrategySpec:
    name: str
    description: str
    params: dict[str, ParamSpec] = field(default_factory=dict)
    signals: Callable[..., F64] | None = None

    def resolve(self, given: Mapping[str, Any]) -> dict[str, int | float]:
        """Defaults filled in, values checked (ints where `integer`); errors name `params.<name>`."""
        unknown = sorted(set(given) - set(self.params))
        if unknown:
            known = ", ".join(self.params) or "none"
            raise ValidationError(
                f"{self.name} has no parameter {unknown[0]!r}; its parameters: {known}",
                field=f"params.{unknown[0]}",
            )
        out: dict[str, int | float] = {}
        for name, spec in self.params.items():
            value = given.get(name, spec.default)
            number = isinstance(value, int | float | np.integer | np.floating)
            if isinstance(value, bool) or not number:  # NumPy scalars count, bools do not
                raise ValidationError(f"{name} must be a number", field=f"params.{name}")
            if spec.integer and float(value) != int(value):
                raise ValidationError(f"{name} must be a whole number", field=f"params.{name}")
            if not spec.minimum <= value <= spec.maximum:
                raise ValidationError(
                    f"{name}={value} is outside [{spec.minimum:g}, {spec.maximum:g}]",
                    field=f"params.{name}",
                )
            out[name] = int(value) if spec.integer else float(value)
        if self.name == "sma_crossover" and out["fast"] >= out["slow"]:
            raise ValidationError(
                f"fast ({out['fast']:g}) must be shorter than slow ({out['slow']:g})",
                field="params.fast",
            )
        if self.name == "rsi_mean_reversion" and not out["lower"] < out["exit"] < out["upper"]:
            raise ValidationError(
                "RSI levels must satisfy lower < exit < upper", field="params.exit"
            )
        return out


def sma_crossover_signals(close: F64, fast: int, slow: int, allow_short: bool) -> F64:
    """+1 while the fast SMA is above the slow one, else 0 (or -1 when shorting is allowed)."""
    return on_observed_bars(close, lambda seen: _sma_crossover(seen, fast, slow, allow_short))


def _sma_crossover(close: F64, fast: int, slow: int, allow_short: bool) -> F64:
    # a gap-free panel; the fused sweep kernel (shared.sim.sweep_kernel) mirrors this rule
    fast_ma, slow_ma = sma(close, fast), sma(close, slow)  # per column, NaN until filled
    above = fast_ma > slow_ma
    below = fast_ma < slow_ma
    signal = np.where(above, 1.0, np.where(below & allow_short, -1.0, 0.0))
    signal[np.isnan(slow_ma)] = 0.0  # no opinion before the slow average exists
    return signal


def rsi_signals(
    close: F64, period: int, lower: float, upper: float, exit: float, allow_short: bool
) -> F64:
    """Long when RSI falls below `lower` until it recovers to `exit`; short mirrored above `upper`."""
    return on_observed_bars(
        close, lambda seen: _rsi_states(seen, period, lower, upper, exit, allow_short)
    )


def _rsi_states(
    close: F64, period: int, lower: float, upper: float, exit: float, allow_short: bool
) -> F64:
    # a gap-free panel; the fused sweep kernel (shared.sim.sweep_kernel) mirrors this rule
    signal = np.zeros_like(close)
    for col in range(close.shape[1]):
        levels = rsi(close[:, col], period)
        state = 0.0
        for t in range(close.shape[0]):
            value = levels[t]
            if not np.isnan(value):
                if state == 0.0 and value < lower:
                    state = 1.0
                elif state == 0.0 and allow_short and value > upper:
                    state = -1.0
                elif (state == 1.0 and value >= exit) or (state == -1.0 and value <= exit):
                    state = 0.0
            signal[t, col] = state
    return signal


STRATEGIES: dict[str, StrategySpec] = {
    "buy_and_hold": StrategySpec(
        "buy_and_hold",
        "Buy every symbol in equal parts at its first bar with a price and hold to the end "
        "(one trade each).",
    ),
    "sma_crossover": StrategySpec(
        "sma_crossover",
        "Long while the fast simple moving average of the close is above the slow one; flat "
        "(or short, with allow_short) otherwise.",
        {
            "fast": ParamSpec(20, 2, 500, True, "bars in the fast average"),
            "slow": ParamSpec(50, 3, 1000, True, "bars in the slow average"),
        },
        lambda close, p, short: sma_crossover_signals(close, p["fast"], p["slow"], short),
    ),
    "rsi_mean_reversion": StrategySpec(
        "rsi_mean_reversion",
        "Wilder's RSI: buy when it drops below `lower`, sell when it recovers to `exit`; with "
        "allow_short, short above `upper` and cover at `exit`.",
        {
            "period": ParamSpec(14, 2, 200, True, "RSI look-back in bars"),
            "lower": ParamSpec(30, 1, 99, False, "oversold level that opens a long"),
            "upper": ParamSpec(70, 1, 99, False, "overbought level that opens a short"),
            "exit": ParamSpec(50, 1, 99, False, "level that closes the position"),
        },
        lambda close, p, short: rsi_signals(
            close, p["period"], p["lower"], p["upper"], p["exit"], short
        ),
    ),
}


def get_strategy(name: str) -> StrategySpec:
    try:
        return STRATEGIES[name]
    except KeyError:
        known = ", ".join(STRATEGIES)
        raise ValidationError(
            f"unknown strategy {name!r}; built-in strategies: {known}", field="strategy"
        ) from None


def build_targets(
    name: str,
    close: pd.DataFrame,
    params: Mapping[str, Any] | None = None,
    *,
    allow_short: bool = False,
    position_size: float = 1.0,
) -> pd.DataFrame:
    """Target weights (bars x symbols) for a built-in strategy; NaN means keep the position."""
    spec = get_strategy(name)
    resolved = spec.resolve(params or {})
    weight = position_size / close.shape[1]
    values = close.to_numpy(dtype=np.float64)
    if spec.signals is None:  # buy and hold: one decision, at each symbol's first close
        targets = np.full(close.shape, np.nan)
        listed = np.isfinite(values)
        cols = np.flatnonzero(listed.any(axis=0))
        targets[listed.argmax(axis=0)[cols], cols] = weight
    else:
        targets = spec.signals(values, resolved, allow_short) * weight
    return pd.DataFrame(targets, index=close.index, columns=close.columns)
