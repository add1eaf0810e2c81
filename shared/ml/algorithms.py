"""The supervised algorithms on offer and their declared hyperparameters.

The dashboard builds its training form from `Algorithm.to_dict()`, and `Algorithm.validate` is
the one gate every hyperparameter passes before a model is built, so ranges live here only.
Ranges are kept modest: training shares a small machine with other jobs.
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
CLASSIFICATION = "classification"
REGRESSION = "regression"
BOTH_TASKS = (CLASSIFICATION, REGRESSION)


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


def _n_estimators(default: int, what: str) -> Param:
    return Param("n_estimators", "int", default, 1, 2000, description=what)


def _max_depth(default: int) -> Param:
    return Param("max_depth", "int", default, 1, 32, description="deepest level of each tree")


def _learning_rate(default: float, low: float, high: float) -> Param:
    return Param(
        "learning_rate", "float", default, low, high, log=True, description="step size per update"
    )


LOGISTIC_REGRESSION = Algorithm(
    name="logistic_regression",
    framework="scikit-learn",
    tasks=(CLASSIFICATION,),
    params=(
        Param("C", "float", 1.0, 1e-4, 1e4, log=True, description="inverse L2 strength"),
        Param("max_iter", "int", 200, 10, 10_000, description="solver iterations at most"),
        Param(
            "class_weight",
            "choice",
            "none",
            choices=("none", "balanced"),
            description="'balanced' weighs classes inversely to their frequency",
        ),
    ),
    description="Linear model of P(up) on standardised features; a fast, honest baseline.",
    supports_cuda=False,
)

RANDOM_FOREST = Algorithm(
    name="random_forest",
    framework="scikit-learn",
    tasks=BOTH_TASKS,
    params=(
        _n_estimators(200, "number of trees"),
        _max_depth(8),
        Param("min_samples_leaf", "int", 5, 1, 10_000, description="fewest samples in a leaf"),
        Param(
            "max_features",
            "float",
            0.5,
            0.05,
            1.0,
            description="fraction of features tried at each split",
        ),
        Param("bootstrap", "bool", True, description="fit each tree on a bootstrap sample"),
    ),
    description="Averaged decision trees on bootstrap samples; robust, little tuning needed.",
    supports_cuda=False,
)

HIST_GRADIENT_BOOSTING = Algorithm(
    name="hist_gradient_boosting",
    framework="scikit-learn",
    tasks=BOTH_TASKS,
    params=(
        _n_estimators(100, "boosting rounds (scikit-learn's max_iter)"),
        _max_depth(6),
        _learning_rate(0.1, 1e-3, 1.0),
        Param("max_leaf_nodes", "int", 31, 2, 1024, description="most leaves per tree"),
        Param("min_samples_leaf", "int", 20, 1, 10_000, description="fewest samples in a leaf"),
        Param("l2_regularization", "float", 0.0, 0.0, 1000.0, description="L2 penalty on leaves"),
        Param(
            "max_features",
            "float",
            1.0,
            0.05,
            1.0,
            description="fraction of features tried at each split",
        ),
    ),
    description="scikit-learn's histogram gradient boosting; fast on many rows.",
    supports_cuda=False,
)

XGBOOST = Algorithm(
    name="xgboost",
    framework="xgboost",
    tasks=BOTH_TASKS,
    params=(
        _n_estimators(200, "boosting rounds"),
        _max_depth(4),
        _learning_rate(0.1, 1e-3, 1.0),
        Param("subsample", "float", 0.8, 0.05, 1.0, description="fraction of rows per tree"),
        Param(
            "colsample_bytree", "float", 0.8, 0.05, 1.0, description="fraction of features per tree"
        ),
        Param(
            "min_child_weight", "float", 1.0, 0.0, 1000.0, description="least hessian in a child"
        ),
        Param("reg_lambda", "float", 1.0, 0.0, 1000.0, description="L2 penalty on leaf weights"),
    ),
    description="XGBoost gradient-boosted trees (hist); trains on a GPU when one is available.",
    supports_cuda=True,
)

MLP = Algorithm(
    name="mlp",
    framework="torch",
    tasks=BOTH_TASKS,
    params=(
        Param("hidden_layers", "int", 2, 1, 4, description="number of hidden layers"),
        Param("hidden_units", "int", 64, 1, 1024, description="units in each hidden layer"),
        Param("dropout", "float", 0.1, 0.0, 0.9, description="dropout after each hidden layer"),
        _learning_rate(1e-3, 1e-5, 1.0),
        Param("epochs", "int", 50, 1, 1000, description="passes over the training rows"),
        Param("batch_size", "int", 256, 8, 65_536, description="rows per gradient step"),
        Param("weight_decay", "float", 0.0, 0.0, 1.0, description="AdamW weight decay"),
    ),
    description="A small PyTorch multilayer perceptron (ReLU) on standardised features.",
    supports_cuda=True,
)

ALGORITHMS: dict[str, Algorithm] = {
    a.name: a for a in (LOGISTIC_REGRESSION, RANDOM_FOREST, HIST_GRADIENT_BOOSTING, XGBOOST, MLP)
}


def get_algorithm(name: str) -> Algorithm:
    """The algorithm called `name`; a ValidationError listing the valid names otherwise."""
    try:
        return ALGORITHMS[name]
    except (KeyError, TypeError):
        raise ValidationError(
            f"unknown algorithm {name!r}; choose one of {', '.join(ALGORITHMS)}",
            field="algorithm",
        ) from None
