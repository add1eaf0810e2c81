"""Where a model trains: the CPU, or a CUDA GPU when one is there and the algorithm can use it."""

from __future__ import annotations

from typing import Literal

from shared.errors import ValidationError
from shared.ml.algorithms import ALGORITHMS, get_algorithm

RequestedDevice = Literal["auto", "cpu", "cuda"]
DEVICES = ("auto", "cpu", "cuda")


def cuda_available() -> bool:
    """True when PyTorch sees a CUDA GPU (XGBoost's GPU build needs the same driver)."""
    import torch  # imported here: a CPU-only caller should not pay for loading torch

    return bool(torch.cuda.is_available())


def resolve_device(requested: RequestedDevice, algorithm: str) -> str:
    """ "cpu" or "cuda" for training `algorithm`; an explicit "cuda" that cannot be had is refused."""
    if requested not in DEVICES:
        raise ValidationError(
            f"unknown device {requested!r}; choose one of {', '.join(DEVICES)}", field="device"
        )
    supports_cuda = get_algorithm(algorithm).supports_cuda
    if requested == "cpu":
        return "cpu"
    if requested == "auto":
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


def _cuda_algorithms() -> list[str]:
    return [a.name for a in ALGORITHMS.values() if a.supports_cuda]
