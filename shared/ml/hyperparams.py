"""A declared hyperparameter and a trainable family: the shapes the algorithm catalogue is made of.

`Algorithm.validate` is the one gate every hyperparameter passes before a model or an agent is
built; the catalogue itself (which algorithms, which ranges) lives in shared.ml.algorithms.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from dataclasses import dataclass
from numbers import Integral, Real
from typing import Any, Literal

from shared.errors import ValidationError

ParamType = Literal["int", "float", "choice", "bool"]


@dataclass(frozen=True)
class Param:
    """One hyperparameter: its type, default and allowed values (bounds are inclusive)."""

    name: str
    type: ParamType
    default: Any
    min: float | None = None
    max: float | None = None
    choices: tuple[str, ...] | None = None
    log: bool = False  # a hint for forms and searches: the scale that matters is logarithmic
    description: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "type": self.type,
            "default": self.default,
            "min": self.min,
            "max": self.max,
            "choices": list(self.choices) if self.choices is not None else None,
            "log": self.log,
            "description": self.description,
        }

    def allowed(self) -> str:
        """The allowed values in words, for error messages."""
        if self.type == "bool":
            return "true or false"
        if self.type == "choice":
            return "one of " + ", ".join(repr(c) for c in self.choices or ())
        kind = "a whole number" if self.type == "int" else "a number"
        return f"{kind} from {_fmt(self.min)} to {_fmt(self.max)}"

    def coerce(self, value: Any) -> Any:
        """`value` in this parameter's Python type, or None when it is not allowed."""
        if self.type == "bool":
            return value if isinstance(value, bool) else None
        if self.type == "choice":
            return value if isinstance(value, str) and value in (self.choices or ()) else None
        if isinstance(value, bool):  # bool is an int subclass, never a number here
            return None
        if self.type == "int":
            # Floats are refused even when integral (3.0): a form that sends one has a bug.
            number: float = int(value) if isinstance(value, Integral) else math.nan
        else:
            number = float(value) if isinstance(value, Real) else math.nan
        if math.isnan(number) or math.isinf(number):
            return None
        if (self.min is not None and number < self.min) or (
            self.max is not None and number > self.max
        ):
            return None
        return number


def _fmt(bound: float | None) -> str:
    if bound is None:
        return "any"
    return str(int(bound)) if float(bound).is_integer() and abs(bound) < 1e15 else f"{bound:g}"


@dataclass(frozen=True)
class Algorithm:
    """A trainable model family: what it is, which tasks it does, and its hyperparameters."""

    name: str
    framework: str
    tasks: tuple[str, ...]
    params: tuple[Param, ...]
    description: str
    supports_cuda: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "framework": self.framework,
            "tasks": list(self.tasks),
            "params": [p.to_dict() for p in self.params],
            "description": self.description,
            "supports_cuda": self.supports_cuda,
        }

    def param(self, name: str) -> Param:
        return next(p for p in self.params if p.name == name)

    def validate(self, given: Mapping[str, Any]) -> dict[str, Any]:
        """`given` checked against the declared params, with every default filled in."""
        if not isinstance(given, Mapping):
            raise ValidationError(
                f"{self.name}: hyperparameters must be an object of name: value, "
                f"got {type(given).__name__}",
                field="hyperparameters",
            )
        known = {p.name: p for p in self.params}
        for name in given:
            if name not in known:
                raise ValidationError(
                    self._unknown_message(str(name)), field=f"hyperparameters.{name}"
                )
        out: dict[str, Any] = {}
        for param in self.params:
            if param.name not in given:
                out[param.name] = param.default
                continue
            value = param.coerce(given[param.name])
            if value is None:
                raise ValidationError(
                    f"{self.name}: hyperparameter {param.name!r} must be {param.allowed()}, "
                    f"got {given[param.name]!r}",
                    field=f"hyperparameters.{param.name}",
                )
            out[param.name] = value
        return out

    def check_task(self, task: str) -> None:
        if task not in self.tasks:
            raise ValidationError(
                f"{self.name} does not do {task!r}; it does {' and '.join(self.tasks)}",
                field="task",
            )

    def _unknown_message(self, name: str) -> str:
        names = [p.name for p in self.params]
        close = difflib.get_close_matches(name, names, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        return (
            f"{self.name} has no hyperparameter {name!r}; {hint}"
            f"its hyperparameters are {', '.join(names)}"
        )
