"""Training with the progress callback: progress, episode rewards, cancellation, determinism."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest
import torch
from stable_baselines3.common.env_util import make_vec_env

from shared.errors import JobCancelled, ValidationError
from shared.ml.rl_callbacks import ProgressCallback
from shared.ml.rl_training import build_agent, train, train_agent

PPO_SMALL = {"n_envs": 4, "n_steps": 32, "batch_size": 64, "n_epochs": 2, "total_timesteps": 512}
DQN_SMALL = {"learning_starts": 100, "total_timesteps": 600, "buffer_size": 1000}


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[float, str, dict[str, Any]]] = []

    def __call__(self, fraction: float, message: str, extra: dict[str, Any]) -> None:
        self.calls.append((fraction, message, extra))


class StopAfter:
    """should_stop that answers True on its k-th call."""

    def __init__(self, k: int) -> None:
        self.k, self.calls = k, 0

    def __call__(self) -> bool:
        self.calls += 1
        return self.calls >= self.k


def _monitor_rewards(env: Any) -> list[float]:
    return [r for e in env.envs for r in e.get_wrapper_attr("get_episode_rewards")()]


def test_progress_is_monotone_reaches_one_and_reports_episode_rewards() -> None:
    env = make_vec_env("CartPole-v1", n_envs=4, seed=0)
    progress = Recorder()
    agent, outcome = train("ppo", PPO_SMALL, env, seed=0, n_threads=1, progress=progress)
    fractions = [f for f, _, _ in progress.calls]
    assert fractions[0] == 0.0 and fractions[-1] == 1.0
    assert all(a <= b for a, b in itertools.pairwise(fractions))
    assert all(f < 1.0 for f in fractions[:-1])  # 1.0 only once training has ended
    steps = [e["timesteps"] for _, _, e in progress.calls]
    assert steps == sorted(steps) and steps[-1] == agent.num_timesteps >= 512
    # The Monitor wrappers record every finished episode on their own: an independent count.
    rewards = _monitor_rewards(env)
    assert outcome.episodes == len(rewards) > 0 and len(rewards) < 100  # all in SB3's buffer
    assert outcome.mean_episode_reward == pytest.approx(np.mean(rewards))
    final = progress.calls[-1]
    assert final[2]["mean_episode_reward"] == pytest.approx(np.mean(rewards))
    assert "trained 512 timesteps" in final[1] and "mean episode reward" in final[1]
    assert not outcome.cancelled and outcome.timesteps == 512 and outcome.timesteps_per_s > 0


@pytest.mark.parametrize(
    ("algorithm", "params", "env_id"),
    [("ppo", PPO_SMALL, "CartPole-v1"), ("dqn", DQN_SMALL, "CartPole-v1")],
)
def test_should_stop_stops_training_early_and_cleanly(
    algorithm: str, params: dict[str, Any], env_id: str
) -> None:
    n_envs = params.get("n_envs", 1)
    env = make_vec_env(env_id, n_envs=n_envs, seed=0)
    agent = build_agent(algorithm, params, env, seed=0, n_threads=1)
    progress, stop = Recorder(), StopAfter(3)
    outcome = train_agent(
        agent, params["total_timesteps"], progress=progress, should_stop=stop, check_every=64
    )
    assert outcome.cancelled and stop.calls == 3
    # polled at >= 64, >= 128, >= 192 timesteps: stopped at the third poll
    assert 192 <= agent.num_timesteps < 192 + n_envs < params["total_timesteps"]
    assert outcome.timesteps == agent.num_timesteps
    fractions = [f for f, _, _ in progress.calls]
    assert all(a <= b for a, b in itertools.pairwise(fractions))
    assert fractions[-1] < 1.0 and "cancelled after" in progress.calls[-1][1]


def test_should_stop_answering_false_lets_training_finish() -> None:
    env = make_vec_env("CartPole-v1", n_envs=4, seed=0)
    agent = build_agent("ppo", PPO_SMALL, env, seed=0, n_threads=1)
    stop = StopAfter(10**9)
    outcome = train_agent(agent, 512, should_stop=stop, check_every=100)
    assert not outcome.cancelled and agent.num_timesteps == 512 and stop.calls == 5


def test_an_exception_from_progress_aborts_training() -> None:
    env = make_vec_env("CartPole-v1", n_envs=4, seed=0)
    agent = build_agent("ppo", PPO_SMALL, env, seed=0, n_threads=1)

    def cancel(fraction: float, message: str, extra: dict[str, Any]) -> None:
        if extra["timesteps"] >= 100:
            raise JobCancelled("cancel requested")

    with pytest.raises(JobCancelled):
        train_agent(agent, 512, progress=cancel)
    assert agent.num_timesteps < 512


def test_callback_and_train_agent_validate_their_numbers() -> None:
    with pytest.raises(ValidationError) as caught:
        ProgressCallback(0)
    assert caught.value.field == "total_timesteps"
    env = make_vec_env("CartPole-v1", n_envs=4, seed=0)
    agent = build_agent("ppo", PPO_SMALL, env, seed=0)
    with pytest.raises(ValidationError) as caught:
        train_agent(agent, 10**7)
    assert caught.value.field == "hyperparameters.total_timesteps"


def _trained_weights(seed: int) -> dict[str, torch.Tensor]:
    env = make_vec_env("CartPole-v1", n_envs=4, seed=seed)
    agent, _ = train("ppo", PPO_SMALL, env, seed=seed, n_threads=1)
    return agent.policy.state_dict()


def test_same_seed_gives_bit_identical_weights_and_another_seed_does_not() -> None:
    first, again, other = _trained_weights(7), _trained_weights(7), _trained_weights(8)
    assert all(torch.equal(first[k], again[k]) for k in first)
    assert not all(torch.equal(first[k], other[k]) for k in first)
