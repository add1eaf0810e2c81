"""The algorithms on offer and their declared hyperparameters: supervised models and RL agents.

The dashboard builds its training form from `Algorithm.to_dict()`, and `Algorithm.validate` is
the one gate every hyperparameter passes before a model is built, so ranges live here only (the
reinforcement-learning agents' in shared.ml.rl_algorithms, listed here too). `tasks` says what an
algorithm learns: "classification" and "regression" are supervised targets, "reinforcement" is
an agent acting in an environment. Ranges are kept modest: training shares a small machine.
"""

from __future__ import annotations

from shared.errors import ValidationError
from shared.ml.hyperparams import Algorithm, Param, ParamType
from shared.ml.rl_algorithms import REINFORCEMENT, RL_ALGORITHMS

__all__ = [
    "ALGORITHMS",
    "BOTH_TASKS",
    "CLASSIFICATION",
    "REGRESSION",
    "REINFORCEMENT",
    "SUPERVISED_TASKS",
    "Algorithm",
    "Param",
    "ParamType",
    "get_algorithm",
]
CLASSIFICATION = "classification"
REGRESSION = "regression"
BOTH_TASKS = (CLASSIFICATION, REGRESSION)
SUPERVISED_TASKS = BOTH_TASKS


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
    a.name: a
    for a in (
        LOGISTIC_REGRESSION,
        RANDOM_FOREST,
        HIST_GRADIENT_BOOSTING,
        XGBOOST,
        MLP,
        *RL_ALGORITHMS.values(),
    )
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
