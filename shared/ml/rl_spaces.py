"""Gymnasium spaces written as JSON plus tensors, and read back: no pickle involved.

A Box's bounds are arrays that may hold infinities, which plain JSON cannot carry, so they travel
as tensors beside the policy's weights ("space.<role>.low" / ".high"); the JSON keeps the type,
shape and dtype. Discrete and MultiDiscrete are plain integers in the JSON.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import torch
from gymnasium import spaces

from shared.errors import ValidationError
from shared.ml.artifact_errors import ArtifactError

MAX_ELEMENTS = 1_000_000
"""Most values in one observation or action: a bound on what a config can make us allocate."""
_DTYPES = ("float32", "float64", "int8", "int16", "int32", "int64", "uint8")


def space_kind(space: spaces.Space[Any]) -> str:
    """ "box", "discrete", "multi_discrete", or the class name of anything else."""
    if isinstance(space, spaces.Box):
        return "box"
    if isinstance(space, spaces.Discrete):
        return "discrete"
    if isinstance(space, spaces.MultiDiscrete):
        return "multi_discrete"
    return type(space).__name__


def describe_space(
    space: spaces.Space[Any], role: str
) -> tuple[dict[str, Any], dict[str, torch.Tensor]]:
    """(JSON description, tensors) of `space`; `role` names the tensors (observation/action)."""
    kind = space_kind(space)
    if isinstance(space, spaces.Box) and str(space.dtype) in _DTYPES:
        tensors = {
            f"space.{role}.low": torch.from_numpy(np.array(space.low, copy=True)),
            f"space.{role}.high": torch.from_numpy(np.array(space.high, copy=True)),
        }
        return {"type": kind, "shape": list(space.shape), "dtype": str(space.dtype)}, tensors
    if isinstance(space, spaces.Discrete):
        return {"type": kind, "n": int(space.n), "start": int(space.start)}, {}
    if isinstance(space, spaces.MultiDiscrete) and space.nvec.ndim == 1:
        nvec, start = space.nvec.tolist(), space.start.tolist()
        return {"type": kind, "nvec": nvec, "start": start}, {}
    raise ValidationError(
        f"the {role} space {space} cannot be saved: policies are saved for Box observations and "
        f"Box, Discrete or one-dimensional MultiDiscrete actions (Box dtypes {', '.join(_DTYPES)})",
        field="env",
    )


def expected_tensors(config: Any, role: str, where: str) -> dict[str, tuple[tuple[int, ...], str]]:
    """The tensor names, shapes and dtypes a described space needs (none unless it is a Box)."""
    description = _mapping(config, role, where)
    if description.get("type") != "box":
        return {}
    shape = _shape(description.get("shape"), role, where)
    dtype = description.get("dtype")
    if dtype not in _DTYPES:
        raise ArtifactError(
            f"{where}: {role} space dtype {dtype!r} is not supported", field="model"
        )
    return {f"space.{role}.{end}": (shape, str(dtype)) for end in ("low", "high")}


def rebuild_space(
    config: Any, tensors: Mapping[str, torch.Tensor], role: str, where: str
) -> spaces.Space[Any]:
    """The space a description (and, for a Box, its bound tensors) stands for."""
    description = _mapping(config, role, where)
    kind = description.get("type")
    try:
        if kind == "box":
            expected_tensors(description, role, where)  # shape and dtype are sane
            low = tensors[f"space.{role}.low"].numpy()
            high = tensors[f"space.{role}.high"].numpy()
            return spaces.Box(low=low, high=high, dtype=np.dtype(description["dtype"]))
        if kind == "discrete":
            n: Any = description.get("n")
            start: Any = description.get("start")
            if not _is_int(n) or not _is_int(start) or not 1 <= n <= MAX_ELEMENTS:
                raise ValueError(f"n {n!r} and start {start!r} must be whole numbers, n >= 1")
            return spaces.Discrete(n, start=start)
        if kind == "multi_discrete":
            nvec: Any = description.get("nvec")
            start = description.get("start")
            _shape([len(nvec)] if isinstance(nvec, list) else None, role, where)
            if not _int_list(nvec) or not _int_list(start) or len(nvec) != len(start):
                raise ValueError("nvec and start must be lists of whole numbers of one length")
            if not all(1 <= n <= MAX_ELEMENTS for n in nvec):
                raise ValueError(f"nvec {nvec!r} must hold counts from 1 to {MAX_ELEMENTS:,}")
            return spaces.MultiDiscrete(np.array(nvec), start=np.array(start))
    except (KeyError, ValueError, TypeError) as exc:
        raise ArtifactError(f"{where}: invalid {role} space: {exc}", field="model") from None
    raise ArtifactError(f"{where}: unknown {role} space type {kind!r}", field="model")


def _mapping(config: Any, role: str, where: str) -> Mapping[str, Any]:
    if not isinstance(config, Mapping):
        raise ArtifactError(f"{where} has no valid {role}_space description", field="model")
    return config


def _shape(shape: Any, role: str, where: str) -> tuple[int, ...]:
    if (
        not _int_list(shape)
        or not shape
        or any(n < 1 for n in shape)
        or math.prod(shape) > MAX_ELEMENTS
    ):
        raise ArtifactError(
            f"{where}: {role} space shape {shape!r} must be positive whole numbers "
            f"with at most {MAX_ELEMENTS:,} elements",
            field="model",
        )
    return tuple(shape)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _int_list(value: Any) -> bool:
    return isinstance(value, list) and all(_is_int(v) for v in value)
