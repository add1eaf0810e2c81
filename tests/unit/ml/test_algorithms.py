"""Declared hyperparameters: the registry's invariants and the validation a form relies on."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from shared.errors import ValidationError
from shared.ml.algorithms import ALGORITHMS, Algorithm, Param, get_algorithm

ALL_PARAMS = [(a, p) for a in ALGORITHMS.values() for p in a.params]


def _raises(algorithm: str, given: dict[str, object]) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        get_algorithm(algorithm).validate(given)
    return caught.value


def test_registry_offers_the_supervised_and_rl_algorithms_with_their_tasks() -> None:
    tasks = {name: a.tasks for name, a in ALGORITHMS.items()}
    assert tasks == {
        "logistic_regression": ("classification",),
        "random_forest": ("classification", "regression"),
        "hist_gradient_boosting": ("classification", "regression"),
        "xgboost": ("classification", "regression"),
        "mlp": ("classification", "regression"),
        "ppo": ("reinforcement",),
        "a2c": ("reinforcement",),
        "dqn": ("reinforcement",),
        "sac": ("reinforcement",),
    }
    cuda = {n for n, a in ALGORITHMS.items() if a.supports_cuda}
    assert cuda == {"xgboost", "mlp", "ppo", "a2c", "dqn", "sac"}


@pytest.mark.parametrize(("algorithm", "param"), ALL_PARAMS, ids=lambda x: getattr(x, "name", ""))
def test_every_declared_param_is_consistent(algorithm: Algorithm, param: Param) -> None:
    if param.type in ("int", "float"):
        assert param.min is not None and param.max is not None and param.min <= param.max
        assert param.min <= param.default <= param.max
        assert isinstance(param.default, int if param.type == "int" else float)
    if param.type == "choice":
        assert param.choices and param.default in param.choices
    if param.type == "bool":
        assert isinstance(param.default, bool)
    if param.log:
        assert param.min is not None and param.min > 0  # a log scale cannot reach 0
    assert param.description


@pytest.mark.parametrize("algorithm", list(ALGORITHMS.values()), ids=lambda a: a.name)
def test_to_dict_is_json_and_names_every_param(algorithm: Algorithm) -> None:
    body = json.loads(json.dumps(algorithm.to_dict()))
    assert body["name"] == algorithm.name
    assert [p["name"] for p in body["params"]] == [p.name for p in algorithm.params]
    assert set(body["params"][0]) == {
        "name", "type", "default", "min", "max", "choices", "log", "description",
    }  # fmt: skip


@pytest.mark.parametrize("algorithm", list(ALGORITHMS.values()), ids=lambda a: a.name)
def test_validate_fills_every_default(algorithm: Algorithm) -> None:
    assert algorithm.validate({}) == {p.name: p.default for p in algorithm.params}


def test_validate_keeps_given_values_and_makes_ints_floats_where_declared() -> None:
    out = get_algorithm("xgboost").validate({"max_depth": 7, "learning_rate": 1})
    assert out["max_depth"] == 7 and type(out["max_depth"]) is int
    assert out["learning_rate"] == 1.0 and type(out["learning_rate"]) is float
    assert get_algorithm("mlp").validate({"epochs": np.int64(3)})["epochs"] == 3


def test_bounds_are_inclusive() -> None:
    algorithm = get_algorithm("random_forest")
    assert algorithm.validate({"max_depth": 1})["max_depth"] == 1
    assert algorithm.validate({"max_depth": 32})["max_depth"] == 32


@pytest.mark.parametrize("bad", [0, 33, -1, 10**6])
def test_out_of_range_names_algorithm_param_and_range(bad: int) -> None:
    error = _raises("random_forest", {"max_depth": bad})
    assert error.field == "hyperparameters.max_depth"
    assert "random_forest" in error.detail and "max_depth" in error.detail
    assert "from 1 to 32" in error.detail and repr(bad) in error.detail


@pytest.mark.parametrize("bad", [True, False, 3.0, 2.5, "3", None])
def test_int_param_refuses_bools_floats_and_strings(bad: object) -> None:
    error = _raises("mlp", {"epochs": bad})
    assert error.field == "hyperparameters.epochs"
    assert "whole number" in error.detail


@pytest.mark.parametrize("bad", [True, "0.1", math.nan, math.inf, None])
def test_float_param_refuses_bools_strings_and_non_finite(bad: object) -> None:
    error = _raises("mlp", {"dropout": bad})
    assert error.field == "hyperparameters.dropout"
    assert "from 0 to 0.9" in error.detail


@pytest.mark.parametrize("bad", [1, 0, "true", None])
def test_bool_param_takes_only_true_or_false(bad: object) -> None:
    error = _raises("random_forest", {"bootstrap": bad})
    assert "true or false" in error.detail
    assert get_algorithm("random_forest").validate({"bootstrap": False})["bootstrap"] is False


def test_choice_param_lists_its_choices() -> None:
    error = _raises("logistic_regression", {"class_weight": "auto"})
    assert error.field == "hyperparameters.class_weight"
    assert "'none'" in error.detail and "'balanced'" in error.detail


def test_unknown_name_suggests_the_closest() -> None:
    error = _raises("xgboost", {"max_dept": 3})
    assert error.field == "hyperparameters.max_dept"
    assert "did you mean 'max_depth'?" in error.detail


def test_unknown_name_without_a_close_match_lists_all_names() -> None:
    error = _raises("logistic_regression", {"zzzz": 1})
    assert "did you mean" not in error.detail
    assert "C, max_iter, class_weight" in error.detail


def test_hyperparameters_must_be_a_mapping() -> None:
    error = _raises("mlp", [("epochs", 3)])  # type: ignore[arg-type]
    assert error.field == "hyperparameters"


def test_unknown_algorithm_lists_the_valid_names() -> None:
    with pytest.raises(ValidationError) as caught:
        get_algorithm("svm")
    assert caught.value.field == "algorithm"
    assert all(name in caught.value.detail for name in ALGORITHMS)
