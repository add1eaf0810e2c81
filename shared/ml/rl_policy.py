"""A trained agent's policy as safetensors plus a JSON config, rebuilt without pickle.

SB3's `.zip` loader unpickles (cloudpickle) and so can run code: it is never used here. Instead
policy.safetensors holds the policy's `state_dict()` ("policy.*"), the Box bounds of its spaces
("space.*") and, when the agent trained behind VecNormalize, the observation statistics
("normalization.*"); policy_config.json names the algorithm, the SB3 policy class, its
constructor arguments (net_arch, activation, flags) and the spaces. Loading constructs that class
with a dummy learning-rate schedule and loads the weights with strict=True, after checking every
tensor's name, shape and dtype against the freshly built policy. `export_policy` goes through
the same rebuild, so the object a training evaluates is the one that will be loaded later.
"""

from __future__ import annotations

import inspect
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import stable_baselines3
import torch
from gymnasium import spaces
from safetensors import SafetensorError
from safetensors.torch import load_file, save_file
from stable_baselines3.common.base_class import BaseAlgorithm
from stable_baselines3.common.policies import ActorCriticPolicy, BasePolicy
from stable_baselines3.dqn.policies import DQNPolicy
from stable_baselines3.sac.policies import SACPolicy

from shared.errors import ValidationError
from shared.ml.artifact_errors import ArtifactError
from shared.ml.rl_algorithms import ACTION_KINDS, FRAMEWORK, REINFORCEMENT
from shared.ml.rl_policy_config import OMITTED, decode_kwargs, encode_kwargs, least_weights
from shared.ml.rl_spaces import describe_space, expected_tensors, rebuild_space, space_kind
from shared.ml.rl_training import AGENT_CLASSES, torch_threads

WEIGHTS_FILE = "policy.safetensors"
CONFIG_FILE = "policy_config.json"
CONFIG_VERSION = 1
POLICY_CLASSES: dict[str, type[BasePolicy]] = {
    "ppo": ActorCriticPolicy,
    "a2c": ActorCriticPolicy,
    "dqn": DQNPolicy,
    "sac": SACPolicy,
}
_POLICY = "policy."
_MEAN, _VAR = "normalization.obs_mean", "normalization.obs_var"
TensorSpec = tuple[tuple[int, ...], str]


class SavedPolicy:
    """A policy rebuilt from its config and weights, on the CPU: it acts, it is never trained."""

    framework = FRAMEWORK
    task = REINFORCEMENT
    device_used = "cpu"

    def __init__(
        self,
        config: dict[str, Any],
        tensors: dict[str, torch.Tensor],
        policy: BasePolicy,
        n_threads: int,
    ) -> None:
        self.algorithm: str = config["algorithm"]
        self._config = config
        self._tensors = tensors
        self._policy = policy
        self._n_threads = n_threads

    @property
    def config(self) -> dict[str, Any]:
        return json.loads(json.dumps(self._config))  # a copy the caller may change

    @property
    def observation_space(self) -> spaces.Space[Any]:
        return self._policy.observation_space

    @property
    def action_space(self) -> spaces.Space[Any]:
        return self._policy.action_space

    def predict(self, obs: npt.ArrayLike, deterministic: bool = True) -> np.ndarray:
        """Actions for one observation or a batch (first axis); the agent's own predict rule.

        Box actions come back within the action space's bounds (SB3 clips or unsquashes them);
        DQN acts greedily either way, since epsilon exploration belongs to training.
        """
        if not isinstance(deterministic, bool):
            raise ValidationError("deterministic must be true or false", field="deterministic")
        batch = self._observations(obs)
        with torch_threads(self._n_threads), torch.no_grad():
            actions, _ = self._policy.predict(batch, deterministic=deterministic)
        return np.asarray(actions)

    def values(self, obs: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """One row per observation: V(s) for PPO/A2C, Q(s, a) per action for DQN, and each
        critic's Q(s, deterministic action) for SAC."""
        batch = self._observations(obs)
        policy = self._policy
        with torch_threads(self._n_threads), torch.no_grad():
            tensor, _ = policy.obs_to_tensor(batch)
            if isinstance(policy, ActorCriticPolicy):
                out = policy.predict_values(tensor)
            elif isinstance(policy, DQNPolicy):
                out = policy.q_net(tensor)
            else:
                assert isinstance(policy, SACPolicy)
                actions = policy.actor(tensor, deterministic=True)
                out = torch.cat(policy.critic(tensor, actions), dim=1)
        return out.cpu().numpy().astype(np.float64)

    def save(self, directory: Path) -> list[str]:
        """Write policy.safetensors and policy_config.json into `directory`; their names."""
        save_file(self._tensors, str(directory / WEIGHTS_FILE))
        body = json.dumps(self._config, indent=2, sort_keys=True, allow_nan=False)
        (directory / CONFIG_FILE).write_text(body + "\n")
        return [WEIGHTS_FILE, CONFIG_FILE]

    def _observations(self, obs: npt.ArrayLike) -> np.ndarray:
        """`obs` checked against the observation space, normalised as in training."""
        shape = self._policy.observation_space.shape
        try:
            batch = np.asarray(obs, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise ValidationError(f"observations must be numeric: {exc}", field="obs") from None
        if batch.shape != shape and batch.shape[1:] != shape:
            raise ValidationError(
                f"observations must have shape {shape} or (n, *{shape}), got {batch.shape}",
                field="obs",
            )
        if not np.isfinite(batch).all():
            raise ValidationError("observations hold NaN or infinite values", field="obs")
        norm = self._config.get("normalization")
        if norm is None:
            return batch.astype(self._policy.observation_space.dtype)
        # The same arithmetic as SB3's VecNormalize.normalize_obs: float64, clipped, then float32.
        mean, var = self._tensors[_MEAN].numpy(), self._tensors[_VAR].numpy()
        scaled = np.clip(
            (batch - mean) / np.sqrt(var + norm["epsilon"]), -norm["clip_obs"], norm["clip_obs"]
        )
        return scaled.astype(np.float32)


def export_policy(agent: BaseAlgorithm, *, n_threads: int = 1) -> SavedPolicy:
    """The agent's policy (and observation normalisation) as a SavedPolicy, ready to save."""
    algorithm = next((n for n, c in AGENT_CLASSES.items() if type(agent) is c), None)
    if algorithm is None:
        raise ValidationError(
            f"cannot export a {type(agent).__name__}; agents are {', '.join(AGENT_CLASSES)}",
            field="agent",
        )
    policy, policy_class = agent.policy, POLICY_CLASSES[algorithm]
    if type(policy) is not policy_class:
        raise ValidationError(
            f"{algorithm}: only the MLP policy ({policy_class.__name__}) is saved, "
            f"not {type(policy).__name__}",
            field="agent",
        )
    kwargs = policy._get_constructor_parameters()
    if "share_features_extractor" in inspect.signature(policy_class.__init__).parameters:
        kwargs["share_features_extractor"] = policy.share_features_extractor
    obs_config, obs_tensors = describe_space(policy.observation_space, "observation")
    action_config, action_tensors = describe_space(policy.action_space, "action")
    normalization, norm_tensors = _normalization(agent)
    config = {
        "config_version": CONFIG_VERSION,
        "algorithm": algorithm,
        "task": REINFORCEMENT,
        "framework": FRAMEWORK,
        "format": "safetensors",
        "policy_class": policy_class.__name__,
        "policy_kwargs": encode_kwargs({k: v for k, v in kwargs.items() if k not in OMITTED}),
        "observation_space": obs_config,
        "action_space": action_config,
        "normalization": normalization,
        "stable_baselines3_version": stable_baselines3.__version__,
    }
    state = {
        _POLICY + k: v.detach().cpu().clone().contiguous() for k, v in policy.state_dict().items()
    }
    tensors = state | obs_tensors | action_tensors | norm_tensors
    return _rebuild(config, tensors, "the trained agent", n_threads)


def load_policy(directory: Path, *, n_threads: int = 1) -> SavedPolicy:
    """The policy saved in `directory`, from its safe files only, on the CPU.

    No checksum is checked here: use shared.ml.rl_artifacts.load_policy_verified for stored ones.
    """
    config_path, weights_path = directory / CONFIG_FILE, directory / WEIGHTS_FILE
    try:
        config = json.loads(config_path.read_text())
    except (OSError, ValueError) as exc:
        raise ArtifactError(f"cannot read {config_path}: {exc}", field="model") from None
    try:
        tensors = load_file(str(weights_path), device="cpu")
    except (OSError, SafetensorError) as exc:
        raise ArtifactError(f"cannot read {weights_path}: {exc}", field="model") from None
    return _rebuild(config, tensors, str(directory), n_threads)


def _rebuild(
    config: Any, tensors: dict[str, torch.Tensor], where: str, n_threads: int
) -> SavedPolicy:
    algorithm, policy_class = _header(config, where)
    kwargs = decode_kwargs(config.get("policy_kwargs"), policy_class, where)
    expected = expected_tensors(config.get("observation_space"), "observation", where)
    if not expected:
        raise ArtifactError(f"{where}: observations must be a Box for an MLP policy", field="model")
    obs_shape = expected["space.observation.low"][0]
    expected |= expected_tensors(config.get("action_space"), "action", where)
    expected |= _normalization_tensors(config.get("normalization"), obs_shape, where)
    _check_tensors({k: v for k, v in tensors.items() if not k.startswith(_POLICY)}, expected, where)
    obs_space = rebuild_space(config["observation_space"], tensors, "observation", where)
    action_space = rebuild_space(config["action_space"], tensors, "action", where)
    if space_kind(action_space) not in ACTION_KINDS[algorithm]:
        raise ArtifactError(f"{where}: {algorithm} cannot act in {action_space}", field="model")
    held = sum(t.numel() for t in tensors.values())
    if least_weights(kwargs["net_arch"], math.prod(obs_space.shape or ()), where) > held:
        raise ArtifactError(
            f"{where}: its config describes a larger network than its weights file holds",
            field="model",
        )
    if "ortho_init" in kwargs:
        kwargs["ortho_init"] = False  # every weight is loaded next; skip the costly init
    with torch_threads(n_threads):
        try:
            policy = policy_class(obs_space, action_space, _no_schedule, **kwargs)
        except (TypeError, ValueError, AssertionError, RuntimeError) as exc:
            raise ArtifactError(f"{where}: cannot build the policy: {exc}", field="model") from None
    state = {k.removeprefix(_POLICY): v for k, v in tensors.items() if k.startswith(_POLICY)}
    blueprint = {_POLICY + k: _spec(v) for k, v in policy.state_dict().items()}
    _check_tensors({_POLICY + k: v for k, v in state.items()}, blueprint, where)
    policy.load_state_dict(state, strict=True)
    policy.set_training_mode(False)
    return SavedPolicy(config, tensors, policy.to("cpu"), n_threads)


def _header(config: Any, where: str) -> tuple[str, type[BasePolicy]]:
    if not isinstance(config, dict) or config.get("config_version") != CONFIG_VERSION:
        raise ArtifactError(f"{where} is not a policy config this version reads", field="model")
    algorithm = config.get("algorithm")
    if algorithm not in POLICY_CLASSES or config.get("task") != REINFORCEMENT:
        raise ArtifactError(
            f"{where} describes a {algorithm!r} {config.get('task')!r} model, not an RL policy",
            field="model",
        )
    policy_class = POLICY_CLASSES[algorithm]
    if config.get("policy_class") != policy_class.__name__:
        raise ArtifactError(
            f"{where}: a {algorithm} policy is a {policy_class.__name__}, "
            f"not {config.get('policy_class')!r}",
            field="model",
        )
    return algorithm, policy_class


def _check_tensors(
    tensors: dict[str, torch.Tensor], expected: dict[str, TensorSpec], where: str
) -> None:
    found = {k: _spec(v) for k, v in tensors.items()}
    if found != expected:
        differing = sorted(k for k in set(found) | set(expected) if found.get(k) != expected.get(k))
        details = [f"{k} (config: {expected.get(k)}, weights: {found.get(k)})" for k in differing]
        raise ArtifactError(
            f"{where}: the weights do not fit the config; tensors differing in name, shape or "
            f"dtype: {'; '.join(details[:6])}" + (" ..." if len(details) > 6 else ""),
            field="model",
        )


def _spec(tensor: torch.Tensor) -> TensorSpec:
    return tuple(tensor.shape), str(tensor.dtype).removeprefix("torch.")


def _normalization(agent: BaseAlgorithm) -> tuple[dict[str, float] | None, dict[str, torch.Tensor]]:
    """VecNormalize's observation statistics, when the agent trained behind one."""
    vec = agent.get_vec_normalize_env()
    if vec is None or not vec.norm_obs:
        return None, {}
    rms = vec.obs_rms
    if isinstance(rms, dict):
        raise ValidationError("dict observations cannot be normalised here", field="env")
    config = {"clip_obs": float(vec.clip_obs), "epsilon": float(vec.epsilon)}
    tensors = {
        _MEAN: torch.from_numpy(np.array(rms.mean, dtype=np.float64)),
        _VAR: torch.from_numpy(np.array(rms.var, dtype=np.float64)),
    }
    return config, tensors


def _normalization_tensors(
    norm: Any, obs_shape: tuple[int, ...], where: str
) -> dict[str, TensorSpec]:
    if norm is None:
        return {}
    if not isinstance(norm, dict) or not all(
        isinstance(norm.get(k), float) and math.isfinite(norm[k]) and norm[k] > 0
        for k in ("clip_obs", "epsilon")
    ):
        raise ArtifactError(
            f"{where}: normalization needs positive clip_obs and epsilon", field="model"
        )
    return {_MEAN: (obs_shape, "float64"), _VAR: (obs_shape, "float64")}


def _no_schedule(_progress_remaining: float) -> float:
    return 0.0  # a loaded policy is never trained, so its optimiser never steps
