"""What turns bars into target weights: a built-in strategy, or a trained model and its rule.

Both declare tunable parameters (a strategy's, or the model's decision thresholds), so a
simulation, a sweep and a stress test run either the same way.

A model is found in the registry, its artifact's checksum verified before it is loaded (a
mismatch refuses the model), its features rebuilt from its metadata.json on the requested bars,
and its outputs turned into weights by the decision rule of shared.ml.decisions: for a
classifier, long when P(up) >= long_above and short when P(up) <= short_below (if shorts are
allowed); for a regressor, the sign of the predicted return when its size exceeds
min_abs_return, or clip(prediction / scale, -1, 1) when scale > 0. Weights are split equally
across the symbols and scaled by execution.position_size. Decided at bar t, filled at t+1.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from threading import Lock
from typing import Any, Protocol

import numpy as np
import pandas as pd

from shared.backtest_spec import run_spec
from shared.config import Settings
from shared.errors import ValidationError
from shared.features import FeatureSpec, feature_rows
from shared.ml.artifacts import ArtifactError, artifact_dir, load_verified, verify_artifact
from shared.ml.decisions import DecisionRule, Task, targets_from_outputs
from shared.ml.estimators import Model
from shared.ml.rl_algorithms import REINFORCEMENT
from shared.schemas.simulations import SimulationRequest
from shared.storage import models as registry
from shared.storage.db import Database
from shared.storage.owners import EVERYONE, OwnerScope
from shared.strategies import build_targets
from shared.strategies.builtin import ParamSpec, StrategySpec, get_strategy
from simulator.panel import MarketPanel
from simulator.policy_decider import load_policy_model, policy_decider

MODEL_KEYS = ("task", "feature_spec", "decision")  # what a model-driven run reads from metadata
MAX_LOADED_MODELS = 4  # verified models kept per process: a sweep's chunks reuse one

_MODELS: OrderedDict[tuple[str, str], LoadedModel] = OrderedDict()
_LOCK = Lock()


class Decider(Protocol):
    """Parameters to tune, and the target weights they give over a panel."""

    @property
    def params(self) -> dict[str, ParamSpec]: ...

    @property
    def history(self) -> int:
        """Bars before the run's start its decisions may read (a model's feature warm-up)."""
        ...

    def resolve(self, given: Mapping[str, Any]) -> dict[str, int | float]: ...

    def targets(self, panel: MarketPanel, params: Mapping[str, Any]) -> pd.DataFrame:
        """Target weights over `panel` for parameters `resolve` returned."""
        ...

    def label(self, params: Mapping[str, Any]) -> str: ...


@dataclass(frozen=True)
class StrategyDecider:
    """A built-in strategy (shared.strategies)."""

    spec: StrategySpec
    allow_short: bool
    position_size: float

    @property
    def params(self) -> dict[str, ParamSpec]:
        return self.spec.params

    @property
    def history(self) -> int:
        return 0  # the built-in strategies start flat and warm up inside the run

    def resolve(self, given: Mapping[str, Any]) -> dict[str, int | float]:
        return self.spec.resolve(given)

    def targets(self, panel: MarketPanel, params: Mapping[str, Any]) -> pd.DataFrame:
        return build_targets(
            self.spec.name, panel.close, params,
            allow_short=self.allow_short, position_size=self.position_size,
        )  # fmt: skip

    def label(self, params: Mapping[str, Any]) -> str:
        shown = ", ".join(f"{k}={v:g}" for k, v in sorted(params.items()))
        return f"{self.spec.name}({shown})" if shown else self.spec.name


@dataclass(frozen=True)
class LoadedModel:
    """A registered model, verified and loaded, with its metadata.json."""

    id: str
    name: str
    version: int
    model: Model
    metadata: dict[str, Any]

    @property
    def task(self) -> Task:
        return "regression" if self.metadata["task"] == "regression" else "classification"

    @property
    def features(self) -> FeatureSpec:
        return FeatureSpec.from_dict(self.metadata["feature_spec"])


@dataclass
class ModelDecider:
    """A trained model's outputs through its decision rule; the rule's thresholds are tunable."""

    loaded: LoadedModel
    allow_short: bool
    position_size: float
    _last: tuple[MarketPanel, pd.DataFrame] | None = field(default=None, repr=False)

    @property
    def params(self) -> dict[str, ParamSpec]:
        rule = self.loaded.metadata["decision"]
        if self.loaded.task == "classification":
            return {
                "long_above": ParamSpec(rule["long_above"], 0, 1, False, "long when P(up) >= this"),
                "short_below": ParamSpec(
                    rule["short_below"], 0, 1, False, "short when P(up) <= this (if allowed)"
                ),
            }
        return {
            "min_abs_return": ParamSpec(
                rule["min_abs_return"], 0, math.inf, False, "act when |predicted return| > this"
            ),
            "scale": ParamSpec(
                rule["scale"] or 0.0,
                0,
                math.inf,
                False,
                "0: the sign; else clip(prediction / scale)",
            ),
        }

    @property
    def history(self) -> int:
        return self.loaded.features.warmup

    def resolve(self, given: Mapping[str, Any]) -> dict[str, int | float]:
        spec = StrategySpec(f"model {self.loaded.name}", "", self.params)
        resolved = spec.resolve(given)
        self.rule(resolved)  # e.g. short_below above long_above
        return resolved

    def rule(self, params: Mapping[str, Any]) -> DecisionRule:
        merged = {**self.loaded.metadata["decision"], **params, "position_size": self.position_size}
        if not merged.get("scale"):
            merged["scale"] = None
        return DecisionRule.from_dict(merged)

    def outputs(self, panel: MarketPanel) -> pd.DataFrame:
        """The model's output per bar and symbol (NaN during the features' warm-up)."""
        if self._last is not None and self._last[0] is panel:
            return self._last[1]
        # Each symbol's own bars when the panel has them: its features then read the same
        # bars as in training, not the calendar shared with the other symbols.
        bars = panel.bars or {
            sym: pd.DataFrame({name: frame[sym] for name, frame in panel.prices.items()})
            for sym in panel.close.columns
        }
        features = self.loaded.features
        rows = feature_rows(bars, features)
        if rows.empty:
            raise ValidationError(
                f"{len(panel.close)} bars are too few for {self.label({})}: its features need "
                f"{features.warmup} bars of history first; widen the date range",
                field="start",
            )
        values = self.loaded.model.predict_output(rows.to_numpy(np.float64))
        out = pd.Series(values, index=rows.index).unstack(level=1)
        out = out.reindex(index=panel.close.index, columns=panel.close.columns)
        self._last = (panel, out)
        return out

    def targets(self, panel: MarketPanel, params: Mapping[str, Any]) -> pd.DataFrame:
        rule = self.rule(params)  # params come resolved (run_backtest, a sweep's grid)
        return targets_from_outputs(self.outputs(panel), self.loaded.task, rule, self.allow_short)

    def label(self, params: Mapping[str, Any]) -> str:
        return f"{self.loaded.name} v{self.loaded.version}"

    def warnings(self, panel: MarketPanel) -> list[str]:
        """In-sample bars (the simulated period overlaps training) and the warm-up left flat."""
        out = []
        data = self.loaded.metadata.get("data", {})
        first, last = data.get("first_row"), data.get("last_row")
        index = panel.close.index
        if first and last:
            trained = (pd.Timestamp(first), pd.Timestamp(last))
            inside = int(((index >= trained[0]) & (index <= trained[1])).sum())
            if inside:
                out.append(
                    f"{inside} of {len(index)} simulated bars fall in the model's training period "
                    f"({trained[0].date()} to {trained[1].date()}): results there are in-sample"
                )
        flat = int(self.outputs(panel).isna().all(axis=1).sum())
        if flat:
            out.append(f"the first {flat} bars stay flat while the model's features warm up")
        return out


def load_model(
    db: Database, settings: Settings, model_id: str, scope: OwnerScope = EVERYONE
) -> LoadedModel:
    """The registered model, its files checksum-verified on every use; the parsed model is kept
    per process, so a sweep's chunks reuse it, but a changed file refuses it all the same.
    A model outside `scope` (another researcher's) is unknown."""
    row = registry.get_model(db, model_id, scope=scope)
    directory = artifact_dir(settings.artifacts_path, row.artifact_dir)
    key = (row.id, row.checksum)
    with _LOCK:
        cached = _MODELS.get(key)
    if cached is not None:
        verify_artifact(directory, row.checksum)
        with _LOCK:
            _MODELS[key] = cached
            _MODELS.move_to_end(key)
        return cached
    model, metadata = load_verified(directory, row.checksum)
    missing = [key for key in MODEL_KEYS if key not in metadata]
    if missing:
        raise ArtifactError(
            f"{row.name} v{row.version} cannot decide: its metadata.json lacks {', '.join(missing)}",
            field="model_id",
        )
    loaded = LoadedModel(row.id, row.name, row.version, model, metadata)
    with _LOCK:
        _MODELS[key] = loaded
        while len(_MODELS) > MAX_LOADED_MODELS:
            _MODELS.popitem(last=False)
    return loaded


def decider_for(
    req: SimulationRequest, db: Database, settings: Settings, scope: OwnerScope = EVERYONE
) -> Decider:
    """The request's strategy, or its model (verified and loaded) if `scope` sees it."""
    size, short = req.execution.position_size, req.execution.allow_short
    if req.model_id is not None:
        row = registry.get_model(db, req.model_id, scope=scope)
        if row.task == REINFORCEMENT:
            policy = load_policy_model(row, settings)
            return policy_decider(policy, req.symbols, run_spec(req), size)
        return ModelDecider(load_model(db, settings, req.model_id, scope), short, size)
    assert req.strategy is not None  # the request's validator wants one of the two
    return StrategyDecider(get_strategy(req.strategy), short, size)
