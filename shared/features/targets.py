"""Training targets: what a model learns to predict from the features at bar t.

The label is the only look-ahead in the platform, and it lives here, in one place: the target at
t reads close[t + horizon]. The last ``horizon`` bars have no label (NaN, never filled), so a
dataset drops them instead of inventing a future.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from shared.errors import ValidationError

FIELD = "target"
TARGET_KINDS = ("direction", "return")
MAX_HORIZON = 250
MAX_DEAD_ZONE = 1.0  # a 100% move: anything wider would leave no labels at all

TargetKind = Literal["direction", "return"]


@dataclass(frozen=True)
class TargetSpec:
    """What to predict ``horizon`` bars ahead: the direction (0/1) or the return itself."""

    kind: TargetKind = "direction"
    horizon: int = 1  # bars ahead, 1..250
    dead_zone: float = 0.0  # direction only: |forward return| <= dead_zone gives no label

    def __post_init__(self) -> None:
        if self.kind not in TARGET_KINDS:
            raise ValidationError(
                f"unknown target kind {self.kind!r}; kinds: {', '.join(TARGET_KINDS)}",
                field=FIELD,
            )
        _check_horizon(self.horizon, FIELD)
        dz = self.dead_zone
        if isinstance(dz, bool) or not isinstance(dz, int | float) or not math.isfinite(dz):
            raise ValidationError(f"dead_zone must be a number, got {dz!r}", field=FIELD)
        if not 0.0 <= dz < MAX_DEAD_ZONE:
            raise ValidationError(
                f"dead_zone must be in [0, {MAX_DEAD_ZONE:g}), got {dz!r} "
                "(a fraction: 0.001 ignores moves of 0.1% or less)",
                field=FIELD,
            )
        if self.kind == "return" and dz != 0.0:
            raise ValidationError(
                "dead_zone applies to direction targets only; set it to 0 for a return target",
                field=FIELD,
            )
        object.__setattr__(self, "dead_zone", float(dz))

    @property
    def task(self) -> Literal["classification", "regression"]:
        return "classification" if self.kind == "direction" else "regression"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "horizon": self.horizon, "dead_zone": self.dead_zone}

    @classmethod
    def from_dict(cls, data: object) -> TargetSpec:
        """Strict inverse of ``to_dict``; missing keys take their defaults."""
        if not isinstance(data, Mapping):
            raise ValidationError("a target must be an object", field=FIELD)
        keys = ("kind", "horizon", "dead_zone")
        extra = sorted(str(k) for k in data if k not in keys)
        if extra:
            raise ValidationError(
                f"unknown key {extra[0]!r} in the target; keys: {', '.join(keys)}", field=FIELD
            )
        return cls(**{k: data[k] for k in keys if k in data})


def _check_horizon(horizon: object, field: str) -> int:
    if isinstance(horizon, bool) or not isinstance(horizon, int | np.integer):
        raise ValidationError(f"horizon must be an integer, got {horizon!r}", field=field)
    if not 1 <= horizon <= MAX_HORIZON:
        raise ValidationError(
            f"horizon must be in [1, {MAX_HORIZON}] bars, got {horizon}", field=field
        )
    return int(horizon)


def forward_return(close: pd.Series, horizon: int) -> pd.Series:
    """close[t + horizon] / close[t] - 1; NaN for the last ``horizon`` bars (never filled)."""
    h = _check_horizon(horizon, "horizon")
    values = close.to_numpy(dtype=np.float64)
    ahead = np.full(values.size, np.nan)
    ahead[: max(values.size - h, 0)] = values[h:]  # THE look-ahead: the label reads bar t + h
    with np.errstate(divide="ignore", invalid="ignore"):
        fwd = ahead / values - 1.0
    fwd[~np.isfinite(fwd)] = np.nan
    return pd.Series(fwd, index=close.index, name=f"forward_return_{h}")


def make_target(close: pd.Series, target: TargetSpec) -> pd.Series:
    """The label at each bar: 1.0 up / 0.0 down past the dead zone (else NaN), or the return."""
    fwd = forward_return(close, target.horizon)
    if target.kind == "return":
        return fwd.rename("target")
    dz = target.dead_zone
    values = fwd.to_numpy()
    label = np.where(values > dz, 1.0, np.where(values < -dz, 0.0, np.nan))  # NaN stays NaN
    return pd.Series(label, index=close.index, name="target")
