"""The device rule: "auto" keeps small RL policies on the CPU; "cuda" without a GPU is refused."""

from __future__ import annotations

import pytest
from stable_baselines3.common.env_util import make_vec_env

from shared.errors import ValidationError
from shared.ml import device
from shared.ml.device import LARGE_LAYER, resolve_device
from shared.ml.rl_training import build_agent


@pytest.fixture
def gpu(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(device, "cuda_available", lambda: True)


@pytest.fixture
def no_gpu(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(device, "cuda_available", lambda: False)


@pytest.mark.usefixtures("gpu")
@pytest.mark.parametrize("algorithm", ["ppo", "a2c", "dqn", "sac"])
def test_auto_keeps_declared_default_networks_on_the_cpu_even_with_a_gpu(algorithm: str) -> None:
    assert resolve_device("auto", algorithm) == "cpu"
    assert resolve_device("auto", algorithm, {"net_arch": "256,256"}) == "cpu"


@pytest.mark.usefixtures("gpu")
def test_auto_puts_a_network_with_a_large_layer_on_the_gpu() -> None:
    assert LARGE_LAYER == 1024
    assert resolve_device("auto", "ppo", {"net_arch": "1024,1024"}) == "cuda"
    assert resolve_device("cuda", "ppo", {"net_arch": "64,64"}) == "cuda"  # asked for: granted
    assert resolve_device("auto", "mlp") == "cuda"  # supervised rule unchanged


@pytest.mark.usefixtures("no_gpu")
def test_without_a_gpu_auto_is_the_cpu_and_cuda_is_refused_with_a_clear_error() -> None:
    assert resolve_device("auto", "sac", {"net_arch": "1024,1024"}) == "cpu"
    with pytest.raises(ValidationError) as caught:
        resolve_device("cuda", "ppo")
    assert caught.value.field == "device" and "no usable CUDA GPU" in caught.value.detail
    env = make_vec_env("CartPole-v1", n_envs=1, seed=0)
    with pytest.raises(ValidationError) as caught:
        build_agent("ppo", {"n_envs": 1}, env, seed=0, device="cuda")
    assert caught.value.field == "device"
