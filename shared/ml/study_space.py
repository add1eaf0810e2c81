"""A study's search space, checked against the declared hyperparameters, and sampled from it.

Each searched hyperparameter becomes one dimension named `<algorithm>.<name>`, so two agents'
learning rates are separate distributions (Optuna's samplers model them apart). Sampling takes
anything with Optuna's `suggest_*` methods, so the space is testable without a study.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from shared.errors import ValidationError
from shared.ml.algorithms import get_algorithm
from shared.ml.hyperparams import Param
from shared.ml.rl_algorithms import ACTION_KINDS

DEFAULT_SEARCH = ("learning_rate", "gamma")
"""Searched for an algorithm the request gives no ranges for: declared by every agent."""


class Suggests(Protocol):
    """The part of optuna.Trial the sampling needs."""

    def suggest_float(self, name: str, low: float, high: float, *, log: bool = False) -> float: ...

    def suggest_int(self, name: str, low: int, high: int, *, log: bool = False) -> int: ...

    def suggest_categorical(self, name: str, choices: Sequence[Any]) -> Any: ...


@dataclass(frozen=True)
class Dimension:
    """One searched hyperparameter: a numeric range, or choices."""

    name: str
    type: str  # "int", "float" or "choice"
    low: float | None = None
    high: float | None = None
    log: bool = False
    choices: tuple[Any, ...] | None = None

    def sample(self, trial: Suggests, algorithm: str) -> Any:
        key = f"{algorithm}.{self.name}"
        if self.choices is not None:
            return trial.suggest_categorical(key, list(self.choices))
        assert self.low is not None and self.high is not None
        if self.type == "int":
            return trial.suggest_int(key, int(self.low), int(self.high), log=self.log)
        return trial.suggest_float(key, float(self.low), float(self.high), log=self.log)


@dataclass(frozen=True)
class SearchSpace:
    """The algorithms compared, each one's searched dimensions, and the fixed hyperparameters."""

    algorithms: tuple[str, ...]
    dimensions: Mapping[str, tuple[Dimension, ...]]
    fixed: Mapping[str, Any]

    def sample(self, trial: Suggests) -> tuple[str, dict[str, Any]]:
        """(algorithm, its hyperparameters): the fixed ones overlaid with the sampled ones."""
        algorithm = str(trial.suggest_categorical("algorithm", list(self.algorithms)))
        values = dict(self.fixed)
        for dim in self.dimensions[algorithm]:
            values[dim.name] = dim.sample(trial, algorithm)
        return algorithm, values


def build_space(
    algorithms: Sequence[str],
    ranges: Mapping[str, Mapping[str, Mapping[str, Any]]],
    fixed: Mapping[str, Any],
    action_kind: str,
) -> SearchSpace:
    """Check the request's algorithms, ranges and fixed values (422s naming the field).

    `ranges[algorithm][param]` holds low/high/log/choices (None = the declared one);
    `action_kind` is "discrete", "multi_discrete" or "box": agents that cannot act in it are
    refused.
    """
    for name in ranges:
        if name not in algorithms:
            raise ValidationError(
                f"search_space names {name!r}, which is not among the study's algorithms "
                f"({', '.join(algorithms)}); add it to algorithms or remove its ranges",
                field=f"search_space.{name}",
            )
    dims: dict[str, tuple[Dimension, ...]] = {}
    for name in algorithms:
        if action_kind not in ACTION_KINDS.get(name, ()):
            fits = [a for a, kinds in ACTION_KINDS.items() if action_kind in kinds]
            raise ValidationError(
                f"{name} cannot act in {action_kind.replace('_', '-')} actions (environment."
                f"action and the number of symbols decide them); compare {', '.join(fits)} instead",
                field="algorithms",
            )
        declared = {p.name: p for p in get_algorithm(name).params}
        given = ranges.get(name) or {p: {} for p in DEFAULT_SEARCH}
        dims[name] = tuple(
            _dimension(declared, name, param, spec) for param, spec in sorted(given.items())
        )
        _check_fixed(declared, name, fixed, set(given))
    return SearchSpace(tuple(algorithms), dims, dict(fixed))


def _check_fixed(
    declared: Mapping[str, Param], algorithm: str, fixed: Mapping[str, Any], searched: set[str]
) -> None:
    for key, value in fixed.items():
        field = f"hyperparameters.{key}"
        if key not in declared:
            raise ValidationError(
                f"{algorithm} has no hyperparameter {key!r}; a fixed value must suit every "
                "algorithm of the study (see GET /api/v1/algorithms)",
                field=field,
            )
        if key in searched:
            raise ValidationError(
                f"{key} is both fixed and searched for {algorithm}; keep one", field=field
            )
        if declared[key].coerce(value) is None:
            raise ValidationError(
                f"{key} = {value!r} is not allowed: {declared[key].allowed()}", field=field
            )


def _dimension(
    declared: Mapping[str, Param], algorithm: str, name: str, spec: Mapping[str, Any]
) -> Dimension:
    field = f"search_space.{algorithm}.{name}"
    param = declared.get(name)
    if param is None:
        raise ValidationError(
            f"{algorithm} has no hyperparameter {name!r}; its hyperparameters: "
            f"{', '.join(sorted(declared))}",
            field=field,
        )
    choices = spec.get("choices")
    if param.type in ("choice", "bool") or choices is not None:
        return _choice_dimension(param, spec, field)
    low = param.min if spec.get("low") is None else spec["low"]
    high = param.max if spec.get("high") is None else spec["high"]
    log = param.log if spec.get("log") is None else bool(spec["log"])
    if low is None or high is None:
        raise ValidationError(f"{name} has no declared range: give low and high", field=field)
    for bound in (low, high):
        if param.coerce(int(bound) if param.type == "int" else bound) is None or (
            param.type == "int" and bound != int(bound)
        ):
            raise ValidationError(
                f"{name} bound {bound:g} is outside what {algorithm} allows: {param.allowed()}",
                field=field,
            )
    if low > high:
        raise ValidationError(f"{name}: low {low:g} is above high {high:g}", field=field)
    if log and low <= 0:
        raise ValidationError(
            f"{name}: a log-scale range needs low > 0, got {low:g}; raise low or set log false",
            field=field,
        )
    return Dimension(name, param.type, float(low), float(high), log)


def _choice_dimension(param: Param, spec: Mapping[str, Any], field: str) -> Dimension:
    if spec.get("low") is not None or spec.get("high") is not None:
        raise ValidationError(
            f"{param.name} is searched over choices; give choices, not low/high", field=field
        )
    choices = spec.get("choices")
    if choices is None:
        choices = [False, True] if param.type == "bool" else list(param.choices or ())
    for value in choices:
        if param.coerce(value) is None:
            raise ValidationError(
                f"{param.name} choice {value!r} is not allowed: {param.allowed()}", field=field
            )
    return Dimension(param.name, "choice", choices=tuple(dict.fromkeys(choices)))
