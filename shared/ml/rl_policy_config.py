"""An SB3 policy's constructor arguments as plain JSON, and back: the policy_kwargs of a saved policy.

SB3's own `.zip` stores these with cloudpickle, which runs code when read. Here every value is a
JSON scalar, list or object, and the few that are classes (activation, optimiser, features
extractor) are written by name and read back through a short allowlist. Sizes are bounded before
anything is built, so a config cannot make the loader allocate more than its weights file holds.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Mapping
from typing import Any

import torch
from stable_baselines3.common.torch_layers import FlattenExtractor
from torch import nn

from shared.errors import ValidationError
from shared.ml.artifact_errors import ArtifactError

MAX_WIDTH = 4096
MAX_LAYERS = 8
OMITTED = ("self", "observation_space", "action_space", "lr_schedule")
"""Constructor arguments not stored as kwargs: the spaces have their own entries, and the
learning-rate schedule only matters for training (a loaded policy is rebuilt with a dummy)."""

NAMED_CLASSES: dict[str, dict[str, type[Any]]] = {
    "activation_fn": {
        c.__name__: c for c in (nn.Tanh, nn.ReLU, nn.ELU, nn.LeakyReLU, nn.GELU, nn.SiLU)
    },
    "optimizer_class": {
        c.__name__: c
        for c in (torch.optim.Adam, torch.optim.AdamW, torch.optim.RMSprop, torch.optim.SGD)
    },
    "features_extractor_class": {"FlattenExtractor": FlattenExtractor},
}


def encode_kwargs(kwargs: Mapping[str, Any]) -> dict[str, Any]:
    """Constructor kwargs as plain JSON; a ValidationError for anything else (a custom class)."""
    return {name: _encode(name, value) for name, value in sorted(kwargs.items())}


def decode_kwargs(config: Any, policy_class: type[Any], where: str) -> dict[str, Any]:
    """Constructor kwargs for `policy_class` from their JSON, each name and value checked."""
    if not isinstance(config, dict):
        raise ArtifactError(f"{where}: policy_kwargs must be an object", field="model")
    accepted = set(inspect.signature(policy_class.__init__).parameters) - set(OMITTED)
    unknown = sorted(set(config) - accepted)
    if unknown:
        raise ArtifactError(
            f"{where}: {policy_class.__name__} takes no argument {', '.join(unknown)}",
            field="model",
        )
    kwargs = dict(config)
    for name, classes in NAMED_CLASSES.items():
        if name in kwargs:
            if kwargs[name] not in classes:
                raise ArtifactError(
                    f"{where}: {name} {kwargs[name]!r} is not one of {', '.join(classes)}",
                    field="model",
                )
            kwargs[name] = classes[kwargs[name]]
    check_net_arch(kwargs.get("net_arch"), where)
    n_critics = kwargs.get("n_critics", 1)
    if not isinstance(n_critics, int) or isinstance(n_critics, bool) or not 1 <= n_critics <= 10:
        raise ArtifactError(f"{where}: n_critics {n_critics!r} is not from 1 to 10", field="model")
    return kwargs


def check_net_arch(net_arch: Any, where: str) -> list[list[int]]:
    """The hidden-layer lists of a net_arch (a list, or an object of lists per network)."""
    lists = list(net_arch.values()) if isinstance(net_arch, dict) else [net_arch]
    ok = (
        not isinstance(net_arch, dict) or (net_arch and set(net_arch) <= {"pi", "vf", "qf"})
    ) and all(
        isinstance(widths, list)
        and len(widths) <= MAX_LAYERS
        and all(_is_int(w) and 1 <= w <= MAX_WIDTH for w in widths)
        for widths in lists
    )
    if not ok:
        raise ArtifactError(
            f"{where}: net_arch {net_arch!r} must be at most {MAX_LAYERS} widths from 1 to "
            f"{MAX_WIDTH} (a list, or an object with pi/vf/qf lists)",
            field="model",
        )
    return lists


def least_weights(net_arch: Any, inputs: int, where: str) -> int:
    """A lower bound on the weights any policy with this net_arch holds: its smallest MLP's
    matrices. Building is refused when the weights file holds fewer, since that config would
    make us allocate more than the file backs (a policy has at most a handful of such MLPs)."""
    counts = [
        sum(a * b for a, b in zip([inputs, *widths], widths, strict=False))
        for widths in check_net_arch(net_arch, where)
    ]
    return min(counts) if counts else 0


def _encode(name: str, value: Any) -> Any:
    if name in NAMED_CLASSES:
        for label, cls in NAMED_CLASSES[name].items():
            if value is cls:
                return label
        raise ValidationError(
            f"policy {name} {value!r} cannot be saved; use one of {', '.join(NAMED_CLASSES[name])}",
            field=f"policy_kwargs.{name}",
        )
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return value
    if isinstance(value, list | tuple):
        return [_encode(name, v) for v in value]
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {k: _encode(name, v) for k, v in sorted(value.items())}
    raise ValidationError(
        f"policy {name} {value!r} is not plain JSON and cannot be saved without pickle",
        field=f"policy_kwargs.{name}",
    )


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
