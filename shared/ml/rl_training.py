"""Build a stable-baselines3 agent from a declared algorithm and hyperparameters, and train it.

Seeding is deterministic: SB3's `set_random_seed` (Python, NumPy, torch, the action space) runs
before the networks are initialised, and torch's intra-op thread count is pinned while the agent
is built and trained, because float sums (and so the weights) depend on it. On the CPU the same
environment, hyperparameters, seed and thread count give bit-identical weights.

One thread is the default: an MLP policy's small batches gain little from intra-op threads, and
on a busy 2-core worker two spinning torch threads made a DQN run 20x slower (measured: 1.0 s
with one thread, 20.9 s with two, while other jobs ran).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import torch
from stable_baselines3 import A2C, DQN, PPO, SAC
from stable_baselines3.common.base_class import BaseAlgorithm
from stable_baselines3.common.utils import set_random_seed
from stable_baselines3.common.vec_env import VecEnv
from torch import nn

from shared.errors import ValidationError
from shared.ml.algorithms import get_algorithm
from shared.ml.device import resolve_device
from shared.ml.protocol import resolve_threads
from shared.ml.rl_algorithms import (
    ACTION_KINDS,
    MAX_TOTAL_TIMESTEPS,
    REINFORCEMENT,
    RUN_PARAMS,
    parse_net_arch,
)
from shared.ml.rl_callbacks import ProgressCallback, ProgressFn, StopFn
from shared.ml.rl_spaces import space_kind

AGENT_CLASSES: dict[str, type[BaseAlgorithm]] = {"ppo": PPO, "a2c": A2C, "dqn": DQN, "sac": SAC}
ACTIVATIONS: dict[str, type[nn.Module]] = {"tanh": nn.Tanh, "relu": nn.ReLU}
MAX_SEED = 2**32 - 1  # NumPy's legacy seeding, which SB3 uses, takes no more


@dataclass(frozen=True)
class AgentTraining:
    """What a training run did: timesteps, whether it was cancelled, episodes and speed."""

    timesteps: int
    total_timesteps: int
    cancelled: bool
    episodes: int
    mean_episode_reward: float | None
    mean_episode_length: float | None
    timesteps_per_s: float
    seconds: float


@contextmanager
def torch_threads(n_threads: int) -> Iterator[None]:
    """Pin torch's intra-op threads (float sums depend on them), then restore the old count."""
    previous = torch.get_num_threads()
    torch.set_num_threads(n_threads)
    try:
        yield
    finally:
        torch.set_num_threads(previous)


def build_agent(
    algorithm: str,
    params: Mapping[str, Any],
    env: VecEnv,
    *,
    seed: int,
    device: str = "cpu",
    n_threads: int = 1,
) -> BaseAlgorithm:
    """An untrained SB3 agent for `env`; hyperparameters are validated and defaults filled in.

    `device` is "cpu" or "cuda" (resolve "auto" first with shared.ml.device.resolve_device and
    the hyperparameters). `env` must already hold `n_envs` copies.
    """
    spec = get_algorithm(algorithm)
    if REINFORCEMENT not in spec.tasks:
        raise ValidationError(
            f"{algorithm} is a supervised model, not an RL agent; choose one of "
            f"{', '.join(AGENT_CLASSES)}",
            field="algorithm",
        )
    values = spec.validate(params)
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise ValidationError(
            f"seed must be a whole number from 0 to {MAX_SEED}, got {seed!r}", field="seed"
        )
    if device not in ("cpu", "cuda"):
        raise ValidationError(
            f"device must be 'cpu' or 'cuda' here, got {device!r}; resolve 'auto' first",
            field="device",
        )
    device = resolve_device("cuda", algorithm) if device == "cuda" else "cpu"
    _check_env(algorithm, values, env)
    check_combination(algorithm, values, env.num_envs)
    policy_kwargs = {
        "net_arch": list(parse_net_arch(values["net_arch"])),
        "activation_fn": ACTIVATIONS[values["activation"]],
    }
    with torch_threads(resolve_threads(n_threads)):
        set_random_seed(seed, using_cuda=device == "cuda")
        return AGENT_CLASSES[algorithm](
            "MlpPolicy",
            env,
            seed=seed,
            device=device,
            verbose=0,
            policy_kwargs=policy_kwargs,
            **_sb3_kwargs(algorithm, values),
        )


def train_agent(
    agent: BaseAlgorithm,
    total_timesteps: int,
    *,
    progress: ProgressFn | None = None,
    should_stop: StopFn | None = None,
    n_threads: int = 1,
    check_every: int = 1024,
) -> AgentTraining:
    """Train `agent` for `total_timesteps` (SB3 may overshoot to finish a rollout), reporting
    progress; stops early, without raising, once `should_stop()` answers True."""
    if (
        isinstance(total_timesteps, bool)
        or not isinstance(total_timesteps, int)
        or not 1 <= total_timesteps <= MAX_TOTAL_TIMESTEPS
    ):
        raise ValidationError(
            f"total_timesteps must be a whole number from 1 to {MAX_TOTAL_TIMESTEPS:,}, "
            f"got {total_timesteps!r}",
            field="hyperparameters.total_timesteps",
        )
    callback = ProgressCallback(total_timesteps, progress, should_stop, check_every=check_every)
    with torch_threads(resolve_threads(n_threads)):
        agent.learn(total_timesteps, callback=callback, progress_bar=False)
    summary = callback.summary()
    return AgentTraining(cancelled=callback.cancelled, **summary)


def train(
    algorithm: str,
    params: Mapping[str, Any],
    env: VecEnv,
    *,
    seed: int,
    device: str = "cpu",
    n_threads: int = 1,
    progress: ProgressFn | None = None,
    should_stop: StopFn | None = None,
) -> tuple[BaseAlgorithm, AgentTraining]:
    """Build and train in one call, for the declared total_timesteps."""
    agent = build_agent(algorithm, params, env, seed=seed, device=device, n_threads=n_threads)
    total = get_algorithm(algorithm).validate(params)["total_timesteps"]
    outcome = train_agent(
        agent, total, progress=progress, should_stop=should_stop, n_threads=n_threads
    )
    return agent, outcome


def _check_env(algorithm: str, values: Mapping[str, Any], env: Any) -> None:
    if not isinstance(env, VecEnv):
        raise ValidationError(
            f"the environment must be a stable-baselines3 VecEnv, got {type(env).__name__}; "
            "wrap a gymnasium env with DummyVecEnv or make_vec_env",
            field="env",
        )
    if env.num_envs != values["n_envs"]:
        raise ValidationError(
            f"{algorithm}: n_envs is {values['n_envs']} but the environment holds "
            f"{env.num_envs} copies; build it with n_envs copies",
            field="hyperparameters.n_envs",
        )
    if space_kind(env.observation_space) != "box":
        raise ValidationError(
            f"observations must be a gymnasium Box for an MLP policy, got {env.observation_space}",
            field="env",
        )
    kind = space_kind(env.action_space)
    if kind not in ACTION_KINDS[algorithm]:
        able = [name for name, kinds in ACTION_KINDS.items() if kind in kinds]
        raise ValidationError(
            f"{algorithm} acts in {' or '.join(ACTION_KINDS[algorithm])} action spaces, but this "
            f"environment's actions are {env.action_space}; "
            + (f"choose {' or '.join(able)}" if able else "no agent here acts in it"),
            field="algorithm",
        )


def check_combination(algorithm: str, values: Mapping[str, Any], n_envs: int) -> None:
    """Rules between hyperparameters that no single range can say."""
    if algorithm == "ppo" and values["batch_size"] > values["n_steps"] * n_envs:
        raise ValidationError(
            f"ppo: batch_size {values['batch_size']} is larger than a rollout "
            f"(n_steps {values['n_steps']} x n_envs {n_envs}); lower it or collect more steps",
            field="hyperparameters.batch_size",
        )
    if algorithm == "dqn" and values["exploration_final_eps"] > values["exploration_initial_eps"]:
        raise ValidationError(
            "dqn: exploration_final_eps must not exceed exploration_initial_eps",
            field="hyperparameters.exploration_final_eps",
        )
    if "learning_starts" in values and values["learning_starts"] >= values["total_timesteps"]:
        raise ValidationError(
            f"{algorithm}: learning_starts {values['learning_starts']} is not below "
            f"total_timesteps {values['total_timesteps']}; the agent would never learn",
            field="hyperparameters.learning_starts",
        )


def _sb3_kwargs(algorithm: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """The validated hyperparameters as SB3 constructor keywords."""
    kwargs = {k: v for k, v in values.items() if k not in RUN_PARAMS}
    if algorithm == "sac":
        # SB3 spells a learned coefficient starting at x as the string "auto_x".
        coef = kwargs.pop("ent_coef")
        kwargs["ent_coef"] = f"auto_{coef}" if kwargs.pop("auto_ent_coef") else coef
    return kwargs
