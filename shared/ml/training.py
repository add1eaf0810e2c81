"""Train one model honestly: purged folds, a final fit on every row, and the out-of-sample backtest.

1. The feature pipeline and the target build a dataset of (timestamp, symbol) rows; rows whose
   label runs past the data are dropped.
2. Each validation fold fits a fresh model on its purged training rows and predicts its test
   window: the fold's scores, and the out-of-sample decisions for every bar of that window.
3. Those decisions, turned into target weights by the decision rule, are backtested through
   shared.sim with the request's costs, beside buy-and-hold of the same symbols: a model that
   predicts well but loses money after costs shows it here.
4. The model that is saved is fitted once more on every row.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import platform
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from shared.features import Dataset, FeatureSpec, TargetSpec, build_dataset, feature_rows
from shared.ml.decisions import DecisionRule, Task, targets_from_outputs
from shared.ml.estimators import Model, build_model
from shared.ml.metrics import classification_metrics, regression_metrics, summarize_folds
from shared.ml.splits import Fold, ValidationScheme, make_folds, oos_positions
from shared.sim import RunSpec, SimResult, simulate
from shared.sim.panels import common_panel

Progress = Callable[[float, str], None]
"""progress(fraction 0..1, message); it may raise to cancel the training."""

BACKTEST_KEYS = (
    "sharpe", "total_return_pct", "annual_return_pct", "max_drawdown_pct", "total_trades",
    "win_rate_pct", "exposure_pct", "turnover", "fees_paid", "slippage_paid", "portfolio_end",
)  # fmt: skip
BENCHMARK_KEYS = ("sharpe", "total_return_pct", "annual_return_pct", "max_drawdown_pct")
VERSIONED_PACKAGES = (
    "numpy", "pandas", "scikit-learn", "xgboost", "torch", "skops", "safetensors", "numba",
)  # fmt: skip


@dataclass(frozen=True)
class TrainingPlan:
    """Everything a training needs besides the bars; each part already validated."""

    algorithm: str
    hyperparameters: Mapping[str, Any]
    features: FeatureSpec
    target: TargetSpec
    validation: ValidationScheme
    decision: DecisionRule
    spec: RunSpec
    seed: int
    device: str = "cpu"

    @property
    def task(self) -> Task:
        return self.target.task


@dataclass
class TrainedModel:
    """The model fitted on every row, its JSON-ready report and the out-of-sample decisions."""

    model: Model
    report: dict[str, Any]
    oos_outputs: pd.DataFrame
    """Model outputs per bar (rows) and symbol (columns) over the out-of-sample windows."""
    backtest: SimResult | None


def train(bars: Mapping[str, pd.DataFrame], plan: TrainingPlan, progress: Progress) -> TrainedModel:
    """Validate `plan` walk-forward on `bars` (one frame per symbol), then fit the final model."""
    progress(0.0, "building features")
    data = build_dataset(bars, plan.features, plan.target)
    folds = make_folds(data.X.index.get_level_values(0), data.label_end.to_numpy(), plan.validation)
    rows = feature_rows(bars, plan.features)  # every bar with features, labelled or not
    units = len(folds) + 1
    X, y = data.X.to_numpy(np.float64), data.y.to_numpy(np.float64)

    fold_reports, oos_parts = [], []
    for k, fold in enumerate(folds):
        say = _stage(progress, k, units, f"fold {k + 1}/{len(folds)}")
        model = _fit(plan, X[fold.train], y[fold.train], say)
        # Every bar up to the next fold's test window: unlabelled bars (a dead zone, the last
        # horizon) are still decisions; a fold's model only ever saw earlier rows.
        until = folds[k + 1].test_start if k + 1 < len(folds) else None
        test_rows = _rows_from(rows, fold.test_start, until)
        oos_parts.append(pd.Series(model.predict_output(test_rows.to_numpy(np.float64)),
                                   index=test_rows.index))  # fmt: skip
        fold_reports.append({
            **fold.to_dict(),
            "train": _scores(plan.task, data, fold.train, model.predict_output(X[fold.train])),
            "test": _scores(plan.task, data, fold.test, model.predict_output(X[fold.test])),
        })  # fmt: skip

    final = _fit(plan, X, y, _stage(progress, len(folds), units, "final model"))
    progress(0.97, "backtesting the out-of-sample decisions")
    oos_outputs = pd.concat(oos_parts).unstack(level=1).sort_index()
    backtest = oos_backtest(bars, oos_outputs, plan) if len(oos_outputs) >= 2 else None
    pooled = _pooled_scores(plan.task, data, folds, oos_parts)
    in_sample = _scores(plan.task, data, np.arange(len(y)), final.predict_output(X))
    report = {
        "task": plan.task,
        "dataset": _dataset_info(data),
        "metrics": headline_metrics(
            plan.task, in_sample, pooled, backtest if plan.validation.walks_forward else None
        ),
        "train_metrics": in_sample,
        "validation_metrics": pooled,
        "folds": fold_reports,
        "fold_summary": summarize_folds([f["test"] for f in fold_reports]),
        "backtest": backtest_report(backtest, plan),
        "feature_importance": _importance(final, plan.features.columns),
        "device": final.device_used,
    }
    progress(1.0, "trained")
    return TrainedModel(final, report, oos_outputs, backtest)


def oos_backtest(
    bars: Mapping[str, pd.DataFrame], outputs: pd.DataFrame, plan: TrainingPlan
) -> SimResult:
    """The out-of-sample decisions through shared.sim over their span, on the timestamps every
    symbol shares (as a simulation of several symbols runs)."""
    prices = price_panel(bars, outputs.index[0], outputs.index[-1])
    targets = targets_from_outputs(
        outputs.reindex(prices["close"].index), plan.task, plan.decision, plan.spec.allow_short
    )
    return simulate(prices, targets, plan.spec)


def price_panel(
    bars: Mapping[str, pd.DataFrame], start: pd.Timestamp, end: pd.Timestamp
) -> dict[str, pd.DataFrame]:
    """The engine's panels of `bars` from `start` to `end`, on the timestamps all symbols share."""
    prices, _ = common_panel({sym: frame.loc[start:end] for sym, frame in bars.items()})
    return prices


def headline_metrics(
    task: str, train: dict[str, Any], validation: dict[str, Any], backtest: SimResult | None
) -> dict[str, float | int | None]:
    """The registry's flat figures: the seed's train/validation pair, scores and the backtest."""
    keys = (
        ("accuracy", "precision", "recall", "roc_auc", "log_loss")
        if task == "classification"
        else ("r2", "mae", "rmse", "directional_accuracy")
    )
    out: dict[str, float | int | None] = {}
    for key in keys:
        out[f"train_{key}"] = train.get(key)
        out[f"validation_{key}"] = validation.get(key)
    if backtest is not None:
        summary = backtest.summary
        for key in ("sharpe", "total_return_pct", "max_drawdown_pct", "total_trades"):
            out[f"oos_{key}"] = _number(summary.get(key))
        for key in ("sharpe", "total_return_pct"):
            out[f"buy_and_hold_{key}"] = _number(summary.get(f"benchmark_{key}"))
    return out


def backtest_report(result: SimResult | None, plan: TrainingPlan) -> dict[str, Any] | None:
    """The out-of-sample backtest's figures beside buy-and-hold, and how it was run."""
    if result is None:
        return None
    summary = result.summary
    report: dict[str, Any] = {
        "start": summary["start_date"],
        "end": summary["end_date"],
        "bars": summary["bars"],
        "model": {key: summary.get(key) for key in BACKTEST_KEYS},
        "buy_and_hold": {key: summary.get(f"benchmark_{key}") for key in BENCHMARK_KEYS},
        "decision": plan.decision.to_dict(),
        "walk_forward": plan.validation.walks_forward,
    }
    if not plan.validation.walks_forward:
        report["warning"] = (
            "purged k-fold trains some folds on later data: this backtest is not a walk-forward, "
            "and its figures are left out of the headline metrics"
        )
    return report


def bars_fingerprint(bars: Mapping[str, pd.DataFrame]) -> str:
    """sha256 of the exact bars trained on: symbols, timestamps and every price field."""
    digest = hashlib.sha256()
    for symbol in sorted(bars):
        frame = bars[symbol]
        digest.update(symbol.encode() + b"\0")
        digest.update(np.asarray(frame.index.asi8, dtype="<i8").tobytes())
        for name in sorted(frame.columns):
            digest.update(name.encode() + b"\0")
            digest.update(np.ascontiguousarray(frame[name].to_numpy(np.float64)).tobytes())
    return f"sha256:{digest.hexdigest()}"


def package_versions() -> dict[str, str]:
    """Versions of Python and of every package a model's numbers depend on."""
    versions = {"python": platform.python_version()}
    for name in VERSIONED_PACKAGES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def _fit(
    plan: TrainingPlan, X: np.ndarray, y: np.ndarray, say: Callable[[int, int], None]
) -> Model:
    model = build_model(
        plan.algorithm, plan.task, plan.hyperparameters, seed=plan.seed, device=plan.device
    )
    model.fit(X, y, progress=say)
    return model


def _stage(progress: Progress, k: int, units: int, label: str) -> Callable[[int, int], None]:
    """A model's progress(done, total) as the training's: unit k of `units`."""

    def say(done: int, total: int) -> None:
        progress((k + done / max(total, 1)) / units * 0.95, f"{label}: {done}/{total}")

    return say


def _rows_from(rows: pd.DataFrame, start: pd.Timestamp, until: pd.Timestamp | None) -> pd.DataFrame:
    times = rows.index.get_level_values(0)
    keep = times >= start if until is None else (times >= start) & (times < until)
    return rows[keep]


def _scores(task: str, data: Dataset, positions: np.ndarray, output: np.ndarray) -> dict[str, Any]:
    if task == "classification":
        return classification_metrics(data.y.to_numpy()[positions], output)
    return regression_metrics(data.y.to_numpy()[positions], output)


def _pooled_scores(
    task: str, data: Dataset, folds: list[Fold], parts: list[pd.Series]
) -> dict[str, Any]:
    """Scores over every labelled test row of every fold, each predicted by its fold's model."""
    positions = np.sort(oos_positions(folds))
    predicted = pd.concat(parts).reindex(data.y.index[positions])
    return _scores(task, data, positions, predicted.to_numpy(np.float64))


def _dataset_info(data: Dataset) -> dict[str, Any]:
    times = data.X.index.get_level_values(0)
    return {
        "rows": len(data.X),
        "symbols": sorted(set(data.X.index.get_level_values(1))),
        "first": times.min().isoformat(),
        "last": times.max().isoformat(),
        "label_mean": float(data.y.mean()),
    }


def _importance(model: Model, columns: list[str]) -> dict[str, float] | None:
    values = model.feature_importance()
    if values is None:
        return None
    return {col: float(v) for col, v in zip(columns, values, strict=True)}


def _number(value: object) -> float | int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value if isinstance(value, int) else (float(value) if np.isfinite(value) else None)
