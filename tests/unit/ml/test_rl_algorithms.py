"""RL agents in the catalogue: declared hyperparameters, validation, and what build_agent makes of them."""

from __future__ import annotations

from typing import Any

import gymnasium as gym
import pytest
import torch
from stable_baselines3.common.env_util import make_vec_env
from stable_baselines3.common.vec_env import VecEnv

from shared.errors import ValidationError
from shared.ml.algorithms import ALGORITHMS, get_algorithm
from shared.ml.estimators import build_model
from shared.ml.rl_algorithms import NET_ARCHS, RL_ALGORITHMS, RUN_PARAMS, parse_net_arch
from shared.ml.rl_training import AGENT_CLASSES, build_agent

RL = list(RL_ALGORITHMS)


def cartpole(n_envs: int = 1) -> VecEnv:
    return make_vec_env("CartPole-v1", n_envs=n_envs, seed=0)


def pendulum(n_envs: int = 1) -> VecEnv:
    return make_vec_env("Pendulum-v1", n_envs=n_envs, seed=0)


def _raises(call: Any, *args: Any, **kwargs: Any) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        call(*args, **kwargs)
    return caught.value


def test_catalogue_lists_the_four_agents_as_reinforcement_beside_the_supervised_ones() -> None:
    assert {n: a.tasks for n, a in ALGORITHMS.items() if n in RL} == {
        name: ("reinforcement",) for name in ("ppo", "a2c", "dqn", "sac")
    }
    assert set(AGENT_CLASSES) == set(RL_ALGORITHMS)
    for name in ("logistic_regression", "random_forest", "xgboost", "mlp"):
        assert "reinforcement" not in ALGORITHMS[name].tasks


def test_the_algorithms_route_serves_the_agents_with_their_params() -> None:
    from trainer.routes.algorithms import list_algorithms

    items = {a.name: a for a in list_algorithms().items}
    ppo = {p.name: p for p in items["ppo"].params}
    assert items["ppo"].tasks == ["reinforcement"]
    assert items["ppo"].framework == "stable-baselines3"
    assert {"learning_rate", "n_steps", "batch_size", "gamma", "gae_lambda", "ent_coef"} <= set(ppo)
    assert {"clip_range", "n_epochs", *RUN_PARAMS} <= set(ppo)
    assert ppo["net_arch"].choices == list(NET_ARCHS) and ppo["learning_rate"].log
    dqn = {p.name for p in items["dqn"].params}
    assert {"buffer_size", "learning_starts", "exploration_fraction"} <= dqn
    assert {"target_update_interval", "train_freq"} <= dqn
    assert {"buffer_size", "tau", "learning_starts", "ent_coef", "auto_ent_coef"} <= {
        p.name for p in items["sac"].params
    }


@pytest.mark.parametrize("name", RL)
def test_every_agent_declares_the_shared_run_params(name: str) -> None:
    params = {p.name for p in get_algorithm(name).params}
    assert set(RUN_PARAMS) <= params
    assert get_algorithm(name).param("total_timesteps").max == 1_000_000  # modest for 2 cores


def test_unknown_hyperparameter_suggests_the_closest_and_names_the_field() -> None:
    error = _raises(get_algorithm("ppo").validate, {"n_step": 64})
    assert error.field == "hyperparameters.n_step"
    assert "did you mean 'n_steps'?" in error.detail


def test_out_of_range_and_bad_choice_name_the_field_and_the_allowed_values() -> None:
    error = _raises(get_algorithm("ppo").validate, {"clip_range": 0.9})
    assert error.field == "hyperparameters.clip_range" and "from 0.05 to 0.5" in error.detail
    error = _raises(get_algorithm("sac").validate, {"net_arch": "32,32"})
    assert error.field == "hyperparameters.net_arch" and "'64,64'" in error.detail


def test_an_agent_does_not_do_supervised_tasks_and_build_model_refuses_it() -> None:
    error = _raises(get_algorithm("dqn").check_task, "classification")
    assert error.field == "task" and "reinforcement" in error.detail
    error = _raises(build_model, "ppo", "reinforcement", {}, seed=0)
    assert error.field == "algorithm" and "build_agent" in error.detail


def test_parse_net_arch() -> None:
    assert [parse_net_arch(c) for c in NET_ARCHS][:2] == [(64, 64), (128, 128)]
    assert _raises(parse_net_arch, "64,,64").field == "hyperparameters.net_arch"
    assert _raises(parse_net_arch, "0").field == "hyperparameters.net_arch"


def test_ppo_gets_the_declared_hyperparameters_and_network() -> None:
    given = {
        "learning_rate": 1e-3, "n_steps": 32, "batch_size": 16, "n_epochs": 3, "gamma": 0.95,
        "gae_lambda": 0.9, "clip_range": 0.1, "ent_coef": 0.01, "vf_coef": 0.7,
        "max_grad_norm": 1.0, "net_arch": "128,128", "activation": "relu", "n_envs": 2,
    }  # fmt: skip
    agent: Any = build_agent("ppo", given, cartpole(2), seed=3)
    assert (agent.n_steps, agent.batch_size, agent.n_epochs) == (32, 16, 3)
    assert (agent.gamma, agent.gae_lambda, agent.ent_coef, agent.vf_coef) == (0.95, 0.9, 0.01, 0.7)
    assert agent.clip_range(1.0) == 0.1 and agent.learning_rate == 1e-3
    assert agent.max_grad_norm == 1.0 and agent.seed == 3 and str(agent.device) == "cpu"
    shapes = {k: tuple(v.shape) for k, v in agent.policy.state_dict().items()}
    assert shapes["mlp_extractor.policy_net.0.weight"] == (128, 4)
    assert shapes["mlp_extractor.value_net.2.weight"] == (128, 128)
    layers = list(agent.policy.mlp_extractor.policy_net)
    assert [type(m) for m in layers] == [torch.nn.Linear, torch.nn.ReLU] * 2


def test_a2c_dqn_and_sac_get_their_own_hyperparameters() -> None:
    a2c: Any = build_agent(
        "a2c", {"n_steps": 7, "use_rms_prop": False, "n_envs": 1}, cartpole(), seed=0
    )
    assert a2c.n_steps == 7 and isinstance(a2c.policy.optimizer, torch.optim.Adam)
    dqn: Any = build_agent(
        "dqn",
        {"buffer_size": 5000, "learning_starts": 50, "exploration_fraction": 0.3, "train_freq": 8,
         "target_update_interval": 77, "tau": 0.5, "total_timesteps": 1000},
        cartpole(),
        seed=0,
    )  # fmt: skip
    assert (dqn.buffer_size, dqn.learning_starts, dqn.target_update_interval) == (5000, 50, 77)
    assert (dqn.exploration_fraction, dqn.train_freq.frequency, dqn.tau) == (0.3, 8, 0.5)
    learned: Any = build_agent("sac", {"ent_coef": 0.2, "net_arch": "64,64"}, pendulum(), seed=0)
    assert torch.exp(learned.log_ent_coef).item() == pytest.approx(0.2)
    fixed: Any = build_agent(
        "sac", {"ent_coef": 0.2, "auto_ent_coef": False, "net_arch": "64,64"}, pendulum(), seed=0
    )
    assert fixed.ent_coef_tensor.item() == pytest.approx(0.2) and fixed.log_ent_coef is None


@pytest.mark.parametrize(
    ("algorithm", "env", "words"),
    [("dqn", pendulum, "choose ppo or a2c or sac"), ("sac", cartpole, "choose ppo or a2c or dqn")],
)
def test_an_agent_refuses_an_action_space_it_cannot_act_in(
    algorithm: str, env: Any, words: str
) -> None:
    error = _raises(build_agent, algorithm, {"net_arch": "64,64"}, env(), seed=0)
    assert error.field == "algorithm" and words in error.detail


def test_environment_and_combination_rules_name_their_field() -> None:
    assert _raises(build_agent, "ppo", {}, cartpole(2), seed=0).field == "hyperparameters.n_envs"
    error = _raises(build_agent, "ppo", {"n_envs": 1, "n_steps": 16, "batch_size": 32}, cartpole(), seed=0)  # fmt: skip
    assert error.field == "hyperparameters.batch_size" and "n_steps 16 x n_envs 1" in error.detail
    error = _raises(
        build_agent, "dqn", {"exploration_final_eps": 0.5, "exploration_initial_eps": 0.2},
        cartpole(), seed=0,
    )  # fmt: skip
    assert error.field == "hyperparameters.exploration_final_eps"
    error = _raises(build_agent, "dqn", {"total_timesteps": 500}, cartpole(), seed=0)
    assert error.field == "hyperparameters.learning_starts" and "never learn" in error.detail
    error = _raises(build_agent, "xgboost", {}, cartpole(), seed=0)
    assert error.field == "algorithm" and "ppo, a2c, dqn, sac" in error.detail
    raw = gym.make("CartPole-v1")
    assert _raises(build_agent, "ppo", {"n_envs": 1}, raw, seed=0).field == "env"
    assert _raises(build_agent, "ppo", {"n_envs": 1}, cartpole(), seed=-1).field == "seed"
    assert _raises(build_agent, "ppo", {"n_envs": 1}, cartpole(), seed=0, device="auto").field == (
        "device"
    )


def test_validation_leaves_the_given_mapping_unchanged() -> None:
    given = {"n_envs": 1, "net_arch": "64,64"}
    build_agent("ppo", given, cartpole(), seed=0)
    assert given == {"n_envs": 1, "net_arch": "64,64"}


def test_obs_must_be_a_box() -> None:
    env = make_vec_env("FrozenLake-v1", n_envs=1, seed=0)
    error = _raises(build_agent, "ppo", {"n_envs": 1}, env, seed=0)
    assert error.field == "env" and "Box" in error.detail
