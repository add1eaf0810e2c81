"""Policies saved as safetensors + JSON config and rebuilt without pickle act as the trained agent.

The oracle is the trained SB3 agent itself: its own `predict` and its own networks' outputs,
computed here from the live objects, which the saved files never touch.
"""

from __future__ import annotations

import json
import pickle
import shutil
from pathlib import Path
from typing import Any

import gymnasium as gym
import numpy as np
import pytest
import stable_baselines3
import torch
from safetensors.torch import load_file, save_file
from stable_baselines3.common.base_class import BaseAlgorithm
from stable_baselines3.common.env_util import make_vec_env
from stable_baselines3.common.policies import BasePolicy
from stable_baselines3.common.vec_env import VecNormalize

from shared.errors import ValidationError
from shared.ml.artifact_errors import ArtifactError, ChecksumMismatch
from shared.ml.artifacts import load_verified
from shared.ml.rl_artifacts import load_policy_verified, write_policy_artifact
from shared.ml.rl_policy import CONFIG_FILE, WEIGHTS_FILE, export_policy, load_policy
from shared.ml.rl_training import train

CASES: dict[str, tuple[str, str, dict[str, Any]]] = {
    "ppo-cartpole": ("ppo", "CartPole-v1", {"n_envs": 8, "n_steps": 64, "total_timesteps": 2048}),
    "a2c-cartpole": ("a2c", "CartPole-v1", {"n_envs": 8, "total_timesteps": 800}),
    "dqn-cartpole": (
        "dqn",
        "CartPole-v1",
        {"learning_starts": 200, "total_timesteps": 800, "target_update_interval": 100},
    ),
    "sac-pendulum": (
        "sac",
        "Pendulum-v1",
        {"learning_starts": 100, "total_timesteps": 300, "net_arch": "64,64"},
    ),
    "ppo-pendulum": ("ppo", "Pendulum-v1", {"n_envs": 4, "n_steps": 64, "total_timesteps": 512}),
}


class TwoDials(gym.Env[np.ndarray, np.ndarray]):
    """A tiny env with MultiDiscrete actions, like short/flat/long for two symbols."""

    observation_space = gym.spaces.Box(-1.0, 1.0, (3,), np.float32)
    action_space = gym.spaces.MultiDiscrete([3, 3])

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None) -> Any:
        super().reset(seed=seed)
        self._t = 0
        return self.np_random.uniform(-1, 1, 3).astype(np.float32), {}

    def step(self, action: np.ndarray) -> Any:
        self._t += 1
        obs = self.np_random.uniform(-1, 1, 3).astype(np.float32)
        reward = float(action[0] == 2) - float(action[1] == 0)
        return obs, reward, self._t >= 10, False, {}


@pytest.fixture(scope="module")
def trained() -> dict[str, BaseAlgorithm]:
    agents = {}
    for case, (algorithm, env_id, params) in CASES.items():
        env = make_vec_env(env_id, n_envs=params.get("n_envs", 1), seed=0)
        agents[case], _ = train(algorithm, params, env, seed=0)
    return agents


def observations(space: gym.spaces.Space[Any], n: int = 256) -> np.ndarray:
    assert isinstance(space, gym.spaces.Box)
    rng = np.random.default_rng(1)
    scale = np.where(np.isfinite(space.high), space.high, 3.0)
    return (rng.uniform(-1, 1, (n, *space.shape)) * scale).astype(np.float32)


def reference_values(policy: Any, obs: np.ndarray) -> np.ndarray:
    """The live agent's value outputs, straight from its own networks."""
    tensor = torch.as_tensor(obs)
    with torch.no_grad():
        if hasattr(policy, "predict_values"):
            return policy.predict_values(tensor).numpy()
        if hasattr(policy, "q_net"):
            return policy.q_net(tensor).numpy()
        actions = policy.actor(tensor, deterministic=True)
        return torch.cat(policy.critic(tensor, actions), dim=1).numpy()


@pytest.fixture(scope="module")
def saved(trained: dict[str, BaseAlgorithm], tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("ppo-cartpole")
    export_policy(trained["ppo-cartpole"]).save(directory)
    return directory


@pytest.mark.parametrize("case", list(CASES))
def test_a_saved_and_loaded_policy_acts_as_the_trained_agent(
    case: str, trained: dict[str, BaseAlgorithm], tmp_path: Path
) -> None:
    agent = trained[case]
    assert sorted(export_policy(agent).save(tmp_path)) == [WEIGHTS_FILE, CONFIG_FILE]
    loaded = load_policy(tmp_path)
    obs = observations(agent.observation_space)
    expected, _ = agent.predict(obs, deterministic=True)
    assert np.array_equal(loaded.predict(obs), expected)
    assert loaded.predict(obs).dtype == expected.dtype
    np.testing.assert_allclose(loaded.values(obs), reference_values(agent.policy, obs), rtol=1e-6)
    single, _ = agent.predict(obs[0], deterministic=True)
    assert np.array_equal(loaded.predict(obs[0]), single)
    assert loaded.observation_space == agent.observation_space
    assert loaded.action_space == agent.action_space
    weights = load_file(str(tmp_path / WEIGHTS_FILE))
    live = agent.policy.state_dict()
    assert all(torch.equal(weights[f"policy.{k}"], v) for k, v in live.items())


def test_the_config_names_the_policy_its_network_and_spaces(saved: Path) -> None:
    config = json.loads((saved / CONFIG_FILE).read_text())
    assert config["algorithm"] == "ppo" and config["task"] == "reinforcement"
    assert config["policy_class"] == "ActorCriticPolicy" and config["format"] == "safetensors"
    assert config["policy_kwargs"]["net_arch"] == [64, 64]
    assert config["policy_kwargs"]["activation_fn"] == "Tanh"
    assert config["observation_space"] == {"type": "box", "shape": [4], "dtype": "float32"}
    assert config["action_space"] == {"type": "discrete", "n": 2, "start": 0}
    assert config["stable_baselines3_version"] == stable_baselines3.__version__


def test_stochastic_actions_match_under_the_same_torch_seed(
    trained: dict[str, BaseAlgorithm], tmp_path: Path
) -> None:
    agent = trained["ppo-pendulum"]  # a Gaussian policy: its log_std must round-trip too
    export_policy(agent).save(tmp_path)
    loaded, obs = load_policy(tmp_path), observations(agent.observation_space)
    torch.manual_seed(5)
    expected, _ = agent.predict(obs, deterministic=False)
    torch.manual_seed(5)
    assert np.array_equal(loaded.predict(obs, deterministic=False), expected)


def test_observation_normalisation_travels_with_the_policy(tmp_path: Path) -> None:
    env = VecNormalize(make_vec_env("CartPole-v1", n_envs=4, seed=0), norm_reward=True)
    agent, _ = train("ppo", {"n_envs": 4, "n_steps": 32, "total_timesteps": 256}, env, seed=0)
    export_policy(agent).save(tmp_path)
    loaded = load_policy(tmp_path)
    raw = observations(env.observation_space)
    expected, _ = agent.predict(env.normalize_obs(raw), deterministic=True)
    assert np.array_equal(loaded.predict(raw), expected)
    config = json.loads((tmp_path / CONFIG_FILE).read_text())
    assert config["normalization"] == {"clip_obs": 10.0, "epsilon": 1e-8}


def test_multi_discrete_actions_round_trip(tmp_path: Path) -> None:
    env = make_vec_env(TwoDials, n_envs=2, seed=0)
    agent, _ = train("ppo", {"n_envs": 2, "n_steps": 32, "total_timesteps": 128}, env, seed=0)
    export_policy(agent).save(tmp_path)
    loaded = load_policy(tmp_path)
    obs = observations(agent.observation_space)
    assert np.array_equal(loaded.predict(obs), agent.predict(obs, deterministic=True)[0])
    assert loaded.action_space == gym.spaces.MultiDiscrete([3, 3])


def test_loading_never_unpickles(saved: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("pickle was used")

    for owner, name in [
        (pickle, "load"), (pickle, "loads"), (pickle, "Unpickler"), (torch, "load"),
        (BaseAlgorithm, "load"), (BasePolicy, "load"),
    ]:  # fmt: skip
        monkeypatch.setattr(owner, name, refuse)
    obs = observations(gym.spaces.Box(-np.inf, np.inf, (4,), np.float32))
    assert load_policy(saved).predict(obs).shape == (256,)


def _edited(saved: Path, tmp_path: Path, change: Any) -> Path:
    target = tmp_path / "edited"
    shutil.copytree(saved, target)
    config = json.loads((target / CONFIG_FILE).read_text())
    change(config)
    (target / CONFIG_FILE).write_text(json.dumps(config))
    return target


def _error(directory: Path) -> str:
    with pytest.raises(ArtifactError) as caught:
        load_policy(directory)
    assert caught.value.field == "model"
    return caught.value.detail


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda c: c["policy_kwargs"].update(net_arch=[64]), "policy.mlp_extractor.policy_net.2"),
        (lambda c: c["policy_kwargs"].update(net_arch=[4096] * 8), "larger network"),
        (lambda c: c["observation_space"].update(shape=[5]), "space.observation.low"),
        (lambda c: c["action_space"].update(n=3), "policy.action_net"),
        (lambda c: c["policy_kwargs"].update(activation_fn="posix.system"), "not one of"),
        (lambda c: c["policy_kwargs"].update(evil=1), "takes no argument evil"),
        (lambda c: c.update(algorithm="dqn"), "not 'ActorCriticPolicy'"),
        (lambda c: c.update(config_version=99), "not a policy config"),
        (lambda c: c.update(normalization={"clip_obs": 10.0, "epsilon": 1e-8}), "normalization"),
        (lambda c: c.update(normalization={"clip_obs": -1.0, "epsilon": 1e-8}), "positive"),
        (lambda c: c.update(observation_space={"type": "discrete", "n": 4, "start": 0}), "Box"),
        (lambda c: c["policy_kwargs"].update(use_sde=True), "cannot build the policy"),
    ],
)
def test_a_config_that_does_not_fit_the_weights_is_refused(
    saved: Path, tmp_path: Path, change: Any, words: str
) -> None:
    assert words in _error(_edited(saved, tmp_path, change))


def test_weights_missing_a_tensor_or_of_another_dtype_are_refused(
    saved: Path, tmp_path: Path
) -> None:
    for name, edit in [
        ("missing", lambda t: t.pop("policy.action_net.bias")),
        ("double", lambda t: t.update({"policy.value_net.bias": t["policy.value_net.bias"].double()})),
    ]:  # fmt: skip
        target = tmp_path / name
        shutil.copytree(saved, target)
        tensors = load_file(str(target / WEIGHTS_FILE))
        edit(tensors)
        save_file(tensors, str(target / WEIGHTS_FILE))
        assert "policy." in _error(target)
    (target / WEIGHTS_FILE).write_bytes(b"not safetensors")
    assert "cannot read" in _error(target)


def test_predict_checks_its_observations(saved: Path) -> None:
    policy = load_policy(saved)
    for bad in (np.zeros((3, 5)), np.full((2, 4), np.nan), "abc"):
        with pytest.raises(ValidationError) as caught:
            policy.predict(bad)
        assert caught.value.field == "obs"


def test_export_refuses_what_it_cannot_save() -> None:
    with pytest.raises(ValidationError) as caught:
        export_policy(object())  # type: ignore[arg-type]
    assert caught.value.field == "agent"


def test_the_artifact_store_checksums_and_verifies_policies(
    trained: dict[str, BaseAlgorithm], tmp_path: Path
) -> None:
    agent = trained["sac-pendulum"]
    meta = {"model_name": "sac-pendulum", "seed": 0, "hyperparameters": {"net_arch": "64,64"}}
    path, checksum = write_policy_artifact(tmp_path, "sac/1", export_policy(agent), meta)
    policy, metadata = load_policy_verified(path, checksum)
    assert metadata["files"] == [WEIGHTS_FILE, CONFIG_FILE] and metadata["checksum"] == checksum
    assert metadata["algorithm"] == "sac" and metadata["task"] == "reinforcement"
    obs = observations(agent.observation_space)
    assert np.array_equal(policy.predict(obs), agent.predict(obs, deterministic=True)[0])
    with pytest.raises(ValidationError):  # the supervised loader will not take a policy
        load_verified(path, checksum)
    data = bytearray((path / WEIGHTS_FILE).read_bytes())
    data[-1] ^= 1
    (path / WEIGHTS_FILE).write_bytes(bytes(data))
    with pytest.raises(ChecksumMismatch):
        load_policy_verified(path, checksum)
