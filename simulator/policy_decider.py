"""An RL agent as a simulation's decider: its verified policy acts over the requested bars.

The policy is loaded only through the checksum-verified path (never SB3's pickling .zip
loader). Its market is built with the model's own feature pipeline on each symbol's bars (with
history before the start for the warm-up), scaled by the scaler stored with it, and the policy
acts deterministically from the first bar whose features are defined (flat before). The
environment runs under the simulation's own costs and fill rules, so simulate() over the
panel reproduces the agent's episode bar for bar. An agent has no decision thresholds: it has
no parameters to sweep. A stress test replays it on each resampled market (the policy decides
on those bars, under the unshocked costs; the shocks apply to the fills).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from threading import Lock
from typing import Any

import pandas as pd

from shared.config import Settings
from shared.errors import ValidationError
from shared.ml.artifacts import artifact_dir, verify_artifact
from shared.ml.rl_bundle import PolicyBundle, load_bundle_verified
from shared.rl import Market, build_market, run_policy
from shared.sim import RunSpec
from shared.storage.tables import ModelRow
from shared.strategies.builtin import ParamSpec, StrategySpec
from simulator.panel import MarketPanel

MAX_LOADED_POLICIES = 4
_POLICIES: OrderedDict[tuple[str, str], LoadedPolicy] = OrderedDict()
_LOCK = Lock()


@dataclass(frozen=True)
class LoadedPolicy:
    """A registered agent, verified and loaded, with its metadata.json."""

    id: str
    name: str
    version: int
    bundle: PolicyBundle
    metadata: dict[str, Any]


@dataclass
class PolicyDecider:
    """Target weights from an agent's deterministic run over the panel."""

    loaded: LoadedPolicy
    spec: RunSpec
    position_size: float
    _last: tuple[MarketPanel, pd.DataFrame] | None = field(default=None, repr=False)

    @property
    def params(self) -> dict[str, ParamSpec]:
        return {}  # a policy maps observations to actions: nothing to tune after training

    @property
    def history(self) -> int:
        return self.loaded.bundle.environment.features.warmup

    def resolve(self, given: Mapping[str, Any]) -> dict[str, int | float]:
        return StrategySpec(self.label({}), "", self.params).resolve(given)

    def targets(self, panel: MarketPanel, params: Mapping[str, Any]) -> pd.DataFrame:
        if self._last is not None and self._last[0] is panel:
            return self._last[1]
        market = self.market(panel)
        bundle = self.loaded.bundle
        config = bundle.environment.config(self.spec, self.position_size)
        policy = bundle.policy
        decided = run_policy(
            market, bundle.environment.scaler, config,
            lambda obs: policy.predict(obs, deterministic=True),
        )  # fmt: skip
        out = decided.reindex(index=panel.close.index, columns=panel.close.columns)
        self._last = (panel, out)
        return out

    def market(self, panel: MarketPanel) -> Market:
        """The model's features on the panel's bars, cut to the panel's run."""
        bars = panel.bars or {
            sym: pd.DataFrame({name: frame[sym] for name, frame in panel.prices.items()})
            for sym in panel.close.columns
        }
        market = build_market(bars, self.loaded.bundle.environment.features)
        index = panel.close.index
        if market.index[-1] < index[0] or len(market.index[market.index >= index[0]]) < 2:
            raise ValidationError(
                f"{len(index)} bars are too few for {self.label({})}: its features need "
                f"{self.history} bars of history first; widen the date range",
                field="start",
            )
        return market.between(max(market.index[0], index[0]), index[-1])

    def label(self, params: Mapping[str, Any]) -> str:
        return f"{self.loaded.name} v{self.loaded.version}"

    def warnings(self, panel: MarketPanel) -> list[str]:
        """In-sample bars (the run overlaps the training window) and the warm-up left flat."""
        out = []
        window = self.loaded.metadata.get("validation", {}).get("train", {})
        index = panel.close.index
        if window.get("start") and window.get("end"):
            first, last = pd.Timestamp(window["start"]), pd.Timestamp(window["end"])
            inside = int(((index >= first) & (index <= last)).sum())
            if inside:
                out.append(
                    f"{inside} of {len(index)} simulated bars fall in the agent's training window "
                    f"({first.date()} to {last.date()}): results there are in-sample"
                )
        flat = int((index < self.market(panel).index[0]).sum())
        if flat:
            out.append(f"the first {flat} bars stay flat while the agent's features warm up")
        return out


def load_policy_model(row: ModelRow, settings: Settings) -> LoadedPolicy:
    """The registered agent, its files checksum-verified on every use; the parsed policy is kept
    per process (a stress test's chunks reuse it), but a changed file refuses it all the same."""
    directory = artifact_dir(settings.artifacts_path, row.artifact_dir)
    key = (row.id, row.checksum)
    with _LOCK:
        cached = _POLICIES.get(key)
    if cached is not None:
        verify_artifact(directory, row.checksum)
        return cached
    bundle, metadata = load_bundle_verified(directory, row.checksum)
    loaded = LoadedPolicy(row.id, row.name, row.version, bundle, metadata)
    with _LOCK:
        _POLICIES[key] = loaded
        while len(_POLICIES) > MAX_LOADED_POLICIES:
            _POLICIES.popitem(last=False)
    return loaded


def policy_decider(
    loaded: LoadedPolicy, symbols: list[str], spec: RunSpec, position_size: float
) -> PolicyDecider:
    """The agent as a decider for a run on `symbols`; refused when its observations would not fit."""
    trained_on = loaded.bundle.environment.symbols
    if len(symbols) != len(trained_on):
        raise ValidationError(
            f"{loaded.name} v{loaded.version} observes {len(trained_on)} symbol(s) "
            f"({', '.join(trained_on)}); give exactly {len(trained_on)}",
            field="symbols",
        )
    loaded.bundle.environment.config(spec, position_size)  # e.g. shorting it was not trained for
    return PolicyDecider(loaded, spec, position_size)
