"""The reinforcement-learning agents on offer (stable-baselines3) and their declared hyperparameters.

They join the supervised algorithms in shared.ml.algorithms.ALGORITHMS with the task
"reinforcement", so `GET /api/v1/algorithms` lists them and the same `Algorithm.validate` checks
them. Ranges are modest and the defaults train in about a minute on a busy 2-core worker
(measured there, one torch thread: PPO ~2,700 timesteps/s on 8 CartPole copies, A2C ~6,300,
DQN ~520, SAC ~160 with 64-unit layers but ~50 with 256-unit ones, hence SAC's smaller default).
Hyperparameters that configure the run rather than the SB3 constructor (net_arch, activation,
total_timesteps, n_envs) are named in RUN_PARAMS.
"""

from __future__ import annotations

from shared.errors import ValidationError
from shared.ml.hyperparams import Algorithm, Param

REINFORCEMENT = "reinforcement"
FRAMEWORK = "stable-baselines3"
RUN_PARAMS = ("net_arch", "activation", "total_timesteps", "n_envs")
"""Read by the builder itself; every other declared hyperparameter is an SB3 keyword argument."""
NET_ARCHS = ("64,64", "128,128", "256,256", "512,512", "1024,1024")
ACTIVATIONS = ("tanh", "relu")
MAX_TOTAL_TIMESTEPS = 1_000_000

ACTION_KINDS: dict[str, tuple[str, ...]] = {
    "ppo": ("discrete", "multi_discrete", "box"),
    "a2c": ("discrete", "multi_discrete", "box"),
    "dqn": ("discrete",),
    "sac": ("box",),
}
"""The action spaces each agent can act in (gymnasium's Discrete, MultiDiscrete, Box)."""


def parse_net_arch(net_arch: str) -> tuple[int, ...]:
    """ "64,64" -> (64, 64): the width of each hidden layer."""
    try:
        widths = tuple(int(part) for part in net_arch.split(","))
    except (AttributeError, ValueError):
        widths = ()
    if not widths or any(w < 1 for w in widths):
        raise ValidationError(
            f"net_arch must be hidden-layer widths separated by commas, such as '64,64', "
            f"got {net_arch!r}",
            field="hyperparameters.net_arch",
        )
    return widths


def _learning_rate(default: float) -> Param:
    return Param(
        "learning_rate", "float", default, 1e-5, 1e-2, log=True, description="optimiser step size"
    )


def _gamma() -> Param:
    return Param("gamma", "float", 0.99, 0.8, 0.9999, description="discount factor per step")


def _run_params(
    net_arch: str, activation: str, n_envs: int, total_timesteps: int
) -> tuple[Param, ...]:
    return (
        Param(
            "net_arch",
            "choice",
            net_arch,
            choices=NET_ARCHS,
            description="hidden-layer widths of each network; 1024-wide ones suit a GPU worker",
        ),
        Param(
            "activation",
            "choice",
            activation,
            choices=ACTIVATIONS,
            description="activation after each hidden layer",
        ),
        Param(
            "total_timesteps",
            "int",
            total_timesteps,
            100,
            MAX_TOTAL_TIMESTEPS,
            log=True,
            description="environment steps to train for, summed over all copies",
        ),
        Param("n_envs", "int", n_envs, 1, 64, description="environment copies stepped together"),
    )


def _max_grad_norm(default: float) -> Param:
    return Param(
        "max_grad_norm", "float", default, 0.1, 100.0, log=True, description="gradient clipping"
    )


def _on_policy_common(learning_rate: float, gae_lambda: float) -> tuple[Param, ...]:
    return (
        _learning_rate(learning_rate),
        _gamma(),
        Param(
            "gae_lambda", "float", gae_lambda, 0.8, 1.0, description="GAE bias/variance trade-off"
        ),
        Param("ent_coef", "float", 0.0, 0.0, 0.1, description="entropy bonus: more exploration"),
        Param("vf_coef", "float", 0.5, 0.1, 1.0, description="weight of the value loss"),
        _max_grad_norm(0.5),
    )


def _off_policy_common(
    learning_rate: float, buffer_size: int, learning_starts: int, batch_size: int, tau: float
) -> tuple[Param, ...]:
    return (
        _learning_rate(learning_rate),
        _gamma(),
        Param(
            "buffer_size",
            "int",
            buffer_size,
            1_000,
            1_000_000,
            log=True,
            description="transitions kept in the replay buffer",
        ),
        Param(
            "learning_starts",
            "int",
            learning_starts,
            0,
            100_000,
            description="steps of experience collected before learning begins",
        ),
        Param("batch_size", "int", batch_size, 8, 1024, log=True, description="replay minibatch"),
        Param(
            "tau",
            "float",
            tau,
            1e-4,
            1.0,
            log=True,
            description="target network update rate (1 = hard copy)",
        ),
        Param("train_freq", "int", 1, 1, 256, description="environment steps between updates"),
        Param("gradient_steps", "int", 1, 1, 16, description="gradient steps per update"),
    )


PPO = Algorithm(
    name="ppo",
    framework=FRAMEWORK,
    tasks=(REINFORCEMENT,),
    params=(
        *_on_policy_common(3e-4, 0.95),
        Param(
            "n_steps",
            "int",
            256,
            8,
            4096,
            log=True,
            description="steps each copy collects per update (rollout = n_steps x n_envs)",
        ),
        Param("batch_size", "int", 64, 8, 4096, log=True, description="minibatch size"),
        Param("n_epochs", "int", 10, 1, 30, description="passes over each rollout"),
        Param("clip_range", "float", 0.2, 0.05, 0.5, description="policy ratio clipping"),
        *_run_params("64,64", "tanh", 8, 50_000),
    ),
    description="Proximal Policy Optimization (SB3): a robust on-policy default for any action "
    "space.",
    supports_cuda=True,
)

A2C = Algorithm(
    name="a2c",
    framework=FRAMEWORK,
    tasks=(REINFORCEMENT,),
    params=(
        *_on_policy_common(7e-4, 1.0),
        Param(
            "n_steps", "int", 5, 1, 256, log=True, description="steps each copy collects per update"
        ),
        Param("use_rms_prop", "bool", True, description="RMSprop optimiser (else Adam)"),
        Param("normalize_advantage", "bool", False, description="standardise advantages"),
        *_run_params("64,64", "tanh", 8, 50_000),
    ),
    description="Advantage Actor-Critic (SB3): synchronous, fast updates on short rollouts.",
    supports_cuda=True,
)

DQN = Algorithm(
    name="dqn",
    framework=FRAMEWORK,
    tasks=(REINFORCEMENT,),
    params=(
        *_off_policy_common(1e-4, 50_000, 1_000, 32, 1.0),
        Param(
            "target_update_interval",
            "int",
            1_000,
            1,
            100_000,
            log=True,
            description="environment steps between target network updates",
        ),
        Param(
            "exploration_fraction",
            "float",
            0.1,
            0.01,
            1.0,
            description="share of training over which epsilon falls to its final value",
        ),
        Param("exploration_initial_eps", "float", 1.0, 0.0, 1.0, description="epsilon at start"),
        Param("exploration_final_eps", "float", 0.05, 0.0, 1.0, description="epsilon at the end"),
        _max_grad_norm(10.0),
        *_run_params("64,64", "relu", 1, 20_000),
    ),
    description="Deep Q-Network (SB3): off-policy with a replay buffer; discrete actions only.",
    supports_cuda=True,
)

SAC = Algorithm(
    name="sac",
    framework=FRAMEWORK,
    tasks=(REINFORCEMENT,),
    params=(
        *_off_policy_common(3e-4, 100_000, 100, 256, 0.005),
        Param(
            "ent_coef",
            "float",
            1.0,
            1e-4,
            10.0,
            log=True,
            description="entropy coefficient: the starting value when auto_ent_coef, else fixed",
        ),
        Param(
            "auto_ent_coef",
            "bool",
            True,
            description="learn the entropy coefficient towards a target entropy",
        ),
        Param(
            "target_update_interval",
            "int",
            1,
            1,
            1_000,
            description="gradient steps between target network updates",
        ),
        *_run_params("64,64", "relu", 1, 10_000),
    ),
    description="Soft Actor-Critic (SB3): off-policy, entropy-regularised; continuous actions "
    "only.",
    supports_cuda=True,
)

RL_ALGORITHMS: dict[str, Algorithm] = {a.name: a for a in (PPO, A2C, DQN, SAC)}
