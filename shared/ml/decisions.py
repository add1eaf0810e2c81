"""How a model's outputs become target weights: the decision rule shown to users.

For each bar and symbol the model gives one number: P(up) for a classifier, the predicted
forward return for a regressor. The rule turns it into a signal in [-1, 1]:

- classifier: +1 (long) when P(up) >= long_above; -1 (short) when P(up) <= short_below;
  0 (flat) in between. If both hold (only when short_below == long_above == P(up)), flat.
- regressor: 0 unless |predicted return| > min_abs_return; then sign(prediction), or with a
  scale, clip(prediction / scale, -1, 1), so conviction grows with the forecast.
- no output (NaN, e.g. while indicators warm up): 0, flat.
- allow_short=False turns every short signal into 0 (flat).

Weight = signal x position_size / number of symbols: capital is split equally, so gross
exposure never exceeds position_size. A weight is decided at the close of bar t and filled by
the engine at a later bar (t + 1 by default); it is not shifted here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from shared.errors import ValidationError
from shared.ml.option_checks import known_options, real_number

Task = Literal["classification", "regression"]
TASKS: tuple[str, ...] = ("classification", "regression")
_FIELD = "decision"
MAX_POSITION_SIZE = 10.0  # above 1 means leverage; the run's max_leverage still caps it


@dataclass(frozen=True)
class DecisionRule:
    """Thresholds and sizing that turn model outputs into target weights (see module docs)."""

    long_above: float = 0.55
    """Classifier: go long when P(up) >= long_above."""
    short_below: float = 0.45
    """Classifier: go short when P(up) <= short_below (only if shorting is allowed)."""
    min_abs_return: float = 0.0
    """Regressor: act only when |predicted return| > min_abs_return."""
    scale: float | None = None
    """Regressor: signal = clip(prediction / scale, -1, 1) instead of sign(prediction)."""
    position_size: float = 1.0
    """Total gross weight across all symbols, split equally; 0 < position_size <= 10."""

    def __post_init__(self) -> None:
        checked = {
            "long_above": real_number(self.long_above, "long_above", 0.0, 1.0, _FIELD),
            "short_below": real_number(self.short_below, "short_below", 0.0, 1.0, _FIELD),
            "min_abs_return": real_number(
                self.min_abs_return, "min_abs_return", 0.0, float("inf"), _FIELD
            ),
            "scale": None
            if self.scale is None
            else real_number(self.scale, "scale", 0.0, float("inf"), _FIELD),
            "position_size": real_number(
                self.position_size, "position_size", 0.0, MAX_POSITION_SIZE, _FIELD
            ),
        }
        if checked["short_below"] > checked["long_above"]:  # type: ignore[operator]
            raise ValidationError(
                f"decision.short_below={self.short_below} must not exceed "
                f"decision.long_above={self.long_above}; P(up) between them means flat",
                field=_FIELD,
            )
        for name in ("scale", "position_size"):
            if checked[name] == 0.0:
                raise ValidationError(
                    f"decision.{name} must be greater than 0, got {getattr(self, name)!r}",
                    field=_FIELD,
                )
        for name, value in checked.items():
            object.__setattr__(self, name, value)  # frozen: ints from JSON are stored as floats

    def to_dict(self) -> dict[str, Any]:
        """The rule as JSON-ready plain values (recorded with a simulation)."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DecisionRule:
        """A checked rule from a request; missing keys take the defaults."""
        names = [f.name for f in dataclasses.fields(cls)]
        return cls(**known_options(data, names, _FIELD))


def targets_from_outputs(
    outputs: pd.DataFrame, task: Task, rule: DecisionRule, allow_short: bool
) -> pd.DataFrame:
    """Target weights (same index and columns as `outputs`) decided at each bar; never shifted."""
    values = _checked_outputs(outputs, task)
    if task == "classification":
        signal = _classifier_signal(values, rule)
    else:
        signal = _regressor_signal(values, rule)
    if not allow_short:
        signal = np.maximum(signal, 0.0)
    # equal split over every symbol, traded or not, so gross exposure <= position_size
    weight = signal * (rule.position_size / values.shape[1])
    targets = pd.DataFrame(weight, index=outputs.index, columns=outputs.columns)
    targets.attrs["size_type"] = "weight"  # what simulate() reads these targets as
    return targets


def _classifier_signal(
    p_up: npt.NDArray[np.float64], rule: DecisionRule
) -> npt.NDArray[np.float64]:
    # NaN compares False both ways, so a missing output stays flat
    long = p_up >= rule.long_above
    short = p_up <= rule.short_below
    return np.where(long & ~short, 1.0, 0.0) - np.where(short & ~long, 1.0, 0.0)


def _regressor_signal(
    predicted: npt.NDArray[np.float64], rule: DecisionRule
) -> npt.NDArray[np.float64]:
    acts = np.abs(predicted) > rule.min_abs_return  # False for NaN
    if rule.scale is None:
        strength = np.sign(predicted)
    else:
        strength = np.clip(predicted / rule.scale, -1.0, 1.0)
    return np.where(acts, strength, 0.0)


def _checked_outputs(outputs: pd.DataFrame, task: str) -> npt.NDArray[np.float64]:
    """The outputs as a float64 matrix, after checking the frame and the values' range."""
    if task not in TASKS:
        raise ValidationError(
            f"task={task!r} is not supported; use 'classification' or 'regression'", field="task"
        )
    if not isinstance(outputs, pd.DataFrame) or outputs.shape[1] == 0:
        raise ValidationError(
            "outputs must be a DataFrame with one column per symbol (index: timestamps)",
            field="outputs",
        )
    try:
        values = outputs.to_numpy(dtype=np.float64, na_value=np.nan)
    except (TypeError, ValueError) as exc:
        raise ValidationError(f"outputs must be numbers: {exc}", field="outputs") from exc
    if np.isinf(values).any():
        raise ValidationError(
            "outputs hold infinite values; a model output must be finite or NaN (no output)",
            field="outputs",
        )
    if task == "classification" and ((values < 0.0) | (values > 1.0)).any():
        raise ValidationError(
            "classification outputs must be probabilities P(up) between 0 and 1 (or NaN)",
            field="outputs",
        )
    return values
