"""A stored RL model: the policy (safetensors + JSON config) and the environment it acts in.

environment.json sits beside the policy's files, so the artifact's checksum covers it: the
symbols the observation is laid out for, the feature pipeline, the scaler fitted on the training
window, and the environment's action and reward options. A simulation rebuilds the same
observations from it; the costs and fill rules come from the simulation's own request.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shared.errors import ValidationError
from shared.features import FeatureSpec
from shared.ml.artifact_errors import ArtifactError
from shared.ml.rl_artifacts import load_policy_verified
from shared.ml.rl_policy import SavedPolicy
from shared.rl import EnvConfig, FeatureScaler
from shared.rl.config import ACTION_KINDS, ActionKind
from shared.sim import RunSpec

ENVIRONMENT_FILE = "environment.json"
ENVIRONMENT_VERSION = 1


@dataclass(frozen=True)
class PolicyEnvironment:
    """What a policy needs besides its weights to act on new bars."""

    symbols: tuple[str, ...]
    features: FeatureSpec
    scaler: FeatureScaler
    action: ActionKind
    allow_short: bool
    episode_bars: int
    position_size: float
    drawdown_penalty: float = 0.0
    turnover_penalty: float = 0.0

    @classmethod
    def of(
        cls, symbols: tuple[str, ...], features: FeatureSpec, scaler: FeatureScaler, env: EnvConfig
    ) -> PolicyEnvironment:
        """The environment a policy trained in (its RunSpec's costs are the request's, kept in
        metadata.json; only what shapes the observations and actions is kept here)."""
        return cls(
            symbols=tuple(symbols), features=features, scaler=scaler, action=env.action,
            allow_short=env.allow_short, episode_bars=env.episode_bars,
            position_size=env.position_size, drawdown_penalty=env.drawdown_penalty,
            turnover_penalty=env.turnover_penalty,
        )  # fmt: skip

    @property
    def observation_size(self) -> int:
        """Features per symbol, then position weights, the cash weight and bars held."""
        n = len(self.symbols)
        return n * len(self.features.columns) + 2 * n + 1

    def config(self, spec: RunSpec, position_size: float | None = None) -> EnvConfig:
        """The environment's options under `spec` (a simulation's costs and fill rules)."""
        if spec.allow_short != self.allow_short:
            raise ValidationError(
                f"the policy was trained {'with' if self.allow_short else 'without'} shorting, "
                f"so its actions mean {'short/flat/long' if self.allow_short else 'flat/long'}; "
                f"set execution.allow_short to {str(self.allow_short).lower()}",
                field="execution.allow_short",
            )
        size = self.position_size if position_size is None else position_size
        return EnvConfig(
            spec=spec, action=self.action, episode_bars=self.episode_bars, position_size=size,
            drawdown_penalty=self.drawdown_penalty, turnover_penalty=self.turnover_penalty,
        )  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        return {
            "environment_version": ENVIRONMENT_VERSION,
            "symbols": list(self.symbols),
            "feature_spec": self.features.to_dict(),
            "scaler": self.scaler.to_dict(),
            "action": self.action,
            "allow_short": self.allow_short,
            "episode_bars": self.episode_bars,
            "position_size": self.position_size,
            "drawdown_penalty": self.drawdown_penalty,
            "turnover_penalty": self.turnover_penalty,
        }

    @classmethod
    def from_dict(cls, data: Any, where: str = "environment") -> PolicyEnvironment:
        """What to_dict wrote; anything else is an ArtifactError naming `where`."""
        try:
            if data.get("environment_version") != ENVIRONMENT_VERSION:
                raise ValueError("an environment version this code does not read")
            symbols = tuple(str(s) for s in data["symbols"])
            action, allow_short = data["action"], data["allow_short"]
            if action not in ACTION_KINDS or not isinstance(allow_short, bool) or not symbols:
                raise ValueError("bad action, allow_short or symbols")
            numbers = [float(data[k]) for k in ("position_size", "drawdown_penalty",
                                                 "turnover_penalty")]  # fmt: skip
            if not all(math.isfinite(v) and v >= 0 for v in numbers):
                raise ValueError("sizes and penalties must be finite and non-negative")
            env = cls(
                symbols=symbols, features=FeatureSpec.from_dict(data["feature_spec"]),
                scaler=FeatureScaler.from_dict(data["scaler"]), action=action,
                allow_short=allow_short, episode_bars=int(data["episode_bars"]),
                position_size=numbers[0], drawdown_penalty=numbers[1], turnover_penalty=numbers[2],
            )  # fmt: skip
        except (AttributeError, KeyError, TypeError, ValueError, ValidationError) as exc:
            raise ArtifactError(f"{where} is malformed: {exc}", field="model") from None
        if env.scaler.columns != tuple(env.features.columns):
            raise ArtifactError(
                f"{where}: the scaler's columns are not the features'", field="model"
            )
        return env


class PolicyBundle:
    """A SavedPolicy with its environment: what write_artifact saves and a simulation loads."""

    task = SavedPolicy.task
    framework = SavedPolicy.framework
    device_used = SavedPolicy.device_used

    def __init__(self, policy: SavedPolicy, environment: PolicyEnvironment) -> None:
        size = environment.observation_size
        if policy.observation_space.shape != (size,):
            raise ArtifactError(
                f"the policy observes {policy.observation_space.shape} but its environment "
                f"({len(environment.symbols)} symbols x {len(environment.features.columns)} "
                f"features) gives ({size},)",
                field="model",
            )
        self.policy = policy
        self.environment = environment
        self.algorithm = policy.algorithm

    def save(self, directory: Path) -> list[str]:
        """The policy's files and environment.json; their names."""
        names = self.policy.save(directory)
        body = json.dumps(self.environment.to_dict(), indent=2, sort_keys=True, allow_nan=False)
        (directory / ENVIRONMENT_FILE).write_text(body + "\n")
        return [*names, ENVIRONMENT_FILE]


def load_bundle_verified(
    directory: Path, expected_checksum: str, *, n_threads: int = 1
) -> tuple[PolicyBundle, dict[str, Any]]:
    """The stored policy, its environment and metadata, loaded once the checksum matches."""
    policy, metadata = load_policy_verified(directory, expected_checksum, n_threads=n_threads)
    path = directory / ENVIRONMENT_FILE
    if ENVIRONMENT_FILE not in metadata["files"]:
        raise ArtifactError(
            f"{directory} holds a policy without its {ENVIRONMENT_FILE}", field="model"
        )
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise ArtifactError(f"cannot read {path}: {exc}", field="model") from None
    return PolicyBundle(policy, PolicyEnvironment.from_dict(data, str(path))), metadata
