"""Where a model trains: the CPU, or a CUDA GPU when one is there and the algorithm can use it.

For RL agents "auto" also asks whether the GPU would be faster: stable-baselines3 steps the
environment on the CPU and moves every small batch to the device, so an MLP policy of a few
dozen units per layer trains faster on the CPU (measured with SB3 2.9.2, PPO on 8 CartPole
copies: 5,352 steps/s on 2 CPU threads, 3,030 on CUDA; SB3 itself warns so). Only a network
with a hidden layer of LARGE_LAYER units or more goes to the GPU under "auto".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from shared.errors import ValidationError
from shared.ml.algorithms import ALGORITHMS, get_algorithm
from shared.ml.rl_algorithms import REINFORCEMENT, parse_net_arch

RequestedDevice = Literal["auto", "cpu", "cuda"]
DEVICES = ("auto", "cpu", "cuda")
LARGE_LAYER = 1024
"""An RL policy with a hidden layer this wide or wider trains on the GPU under "auto"."""


def cuda_available() -> bool:
    """True when PyTorch sees a CUDA GPU (XGBoost's GPU build needs the same driver)."""
    import torch  # imported here: a CPU-only caller should not pay for loading torch

    return bool(torch.cuda.is_available())


def resolve_device(
    requested: RequestedDevice, algorithm: str, hyperparameters: Mapping[str, Any] | None = None
) -> str:
    """ "cpu" or "cuda" for training `algorithm`; an explicit "cuda" that cannot be had is refused.

    `hyperparameters` (validated) size an RL agent's network for "auto"; without them an agent
    is taken to have its declared default network.
    """
    if requested not in DEVICES:
        raise ValidationError(
            f"unknown device {requested!r}; choose one of {', '.join(DEVICES)}", field="device"
        )
    supports_cuda = get_algorithm(algorithm).supports_cuda
    if requested == "cpu":
        return "cpu"
    if requested == "auto":
        if not _gpu_pays(algorithm, hyperparameters):
            return "cpu"
        return "cuda" if supports_cuda and cuda_available() else "cpu"
    if not supports_cuda:
        raise ValidationError(
            f"{algorithm} trains on the CPU only; choose device 'cpu' or 'auto', "
            f"or an algorithm that supports CUDA ({', '.join(_cuda_algorithms())})",
            field="device",
        )
    if not cuda_available():
        raise ValidationError(
            "device 'cuda' was requested but this worker has no usable CUDA GPU; "
            "choose 'auto' or 'cpu', or submit to a GPU worker",
            field="device",
        )
    return "cuda"


def _gpu_pays(algorithm: str, hyperparameters: Mapping[str, Any] | None) -> bool:
    """False for an RL agent whose policy is too small for the GPU to beat the CPU."""
    spec = get_algorithm(algorithm)
    if REINFORCEMENT not in spec.tasks:
        return True
    net_arch = (hyperparameters or {}).get("net_arch", spec.param("net_arch").default)
    return max(parse_net_arch(net_arch)) >= LARGE_LAYER


def _cuda_algorithms() -> list[str]:
    return [a.name for a in ALGORITHMS.values() if a.supports_cuda]
