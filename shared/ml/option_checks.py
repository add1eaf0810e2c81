"""Checks shared by the option dataclasses of shared.ml (validation scheme, decision rule).

Each one names the option as `<field>.<name>` so a user sees which key of which block to fix.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Mapping
from typing import Any

from shared.errors import ValidationError


def known_options(data: object, names: Iterable[str], field: str) -> dict[str, Any]:
    """`data` as a dict, after checking it is a mapping whose keys are all option names."""
    allowed = tuple(names)
    if not isinstance(data, Mapping):
        raise ValidationError(
            f"{field} must be an object with keys among {', '.join(allowed)}; "
            f"got {type(data).__name__}",
            field=field,
        )
    unknown = sorted(str(key) for key in data if key not in allowed)
    if unknown:
        near = difflib.get_close_matches(unknown[0], allowed, n=1)
        hint = f"did you mean {near[0]!r}?" if near else f"valid keys: {', '.join(allowed)}"
        raise ValidationError(f"{field}: unknown key {unknown[0]!r}; {hint}", field=field)
    return dict(data)


def whole_number(value: object, name: str, low: int, high: int, field: str) -> int:
    """`value` as an int in [low, high]; integral floats (5.0 from JSON) are accepted."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValidationError(
            f"{field}.{name} must be a whole number from {low} to {high}, got {value!r}",
            field=field,
        )
    return value


def real_number(value: object, name: str, low: float, high: float, field: str) -> float:
    """`value` as a finite float in [low, high]."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(f"{field}.{name} must be a number, got {value!r}", field=field)
    out = float(value)
    if not (math.isfinite(out) and low <= out <= high):
        raise ValidationError(
            f"{field}.{name} must be a number from {low:g} to {high:g}, got {value!r}",
            field=field,
        )
    return out


def one_of(value: object, name: str, allowed: tuple[str, ...], field: str) -> str:
    """`value`, after checking it is one of the allowed strings."""
    if not isinstance(value, str) or value not in allowed:
        raise ValidationError(
            f"{field}.{name}={value!r} is not supported; use one of "
            f"{', '.join(map(repr, allowed))}",
            field=field,
        )
    return value
