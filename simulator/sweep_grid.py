"""A sweep's grid: checked, counted and listed as a matrix (one row per valid combination).

A grid of a built-in strategy is expanded with NumPy, so a million combinations cost a few
dozen MB rather than a million dicts; a model's grid goes combination by combination through
the decider's own checks. Either way the order is itertools.product's over the parameters
sorted by name, and combination i is row i.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from dataclasses import dataclass
from itertools import pairwise, product
from threading import Lock
from typing import Any

import numpy as np
import numpy.typing as npt

from shared.errors import ValidationError
from shared.schemas.sweeps import SweepRequest
from shared.strategies import ParamSpec
from simulator.deciders import Decider, StrategyDecider

F64 = npt.NDArray[np.float64]
MAX_GRIDS = 4  # expanded grids kept per worker process
# the cross-parameter rules of the built-in strategies (shared.strategies.builtin.resolve)
_ORDERED = {"sma_crossover": ("fast", "slow"), "rsi_mean_reversion": ("lower", "exit", "upper")}

_GRIDS: OrderedDict[str, Grid] = OrderedDict()
_LOCK = Lock()


@dataclass(frozen=True)
class Grid:
    """Every valid combination: `values[i]` holds combination i's parameters in `names` order."""

    names: tuple[str, ...]
    integer: tuple[bool, ...]
    values: F64
    swept: tuple[str, ...]
    skipped: int

    def __len__(self) -> int:
        return int(self.values.shape[0])

    def params(self, i: int) -> dict[str, int | float]:
        """Combination i's resolved parameters (whole numbers as integers)."""
        return {
            name: int(v) if whole else float(v)
            for name, whole, v in zip(self.names, self.integer, self.values[i], strict=True)
        }

    def swept_params(self, i: int) -> dict[str, int | float]:
        full = self.params(i)
        return {k: full[k] for k in self.swept}


@dataclass(frozen=True)
class SweepPlan:
    """How big a sweep is: its valid combinations and the chunks they are split into."""

    n_combinations: int
    n_chunks: int


def grid_size(req: SweepRequest, decider: Decider) -> int:
    """Combinations before invalid ones are skipped, counted without listing them."""
    try:
        counts = req.grid_counts()
    except ValueError as exc:
        raise ValidationError(str(exc), field="grid") from None
    params = decider.params
    for name in counts:
        if name not in params:
            raise ValidationError(
                f"{decider.label({})} has no parameter {name!r} to sweep; its parameters: "
                f"{', '.join(params) or 'none'}",
                field=f"grid.{name}",
            )
    return math.prod(counts.values())


def check_size(req: SweepRequest, decider: Decider, max_combinations: int) -> None:
    """Refuse a grid above the limit before anything is listed."""
    size = grid_size(req, decider)
    if size > max_combinations:
        raise ValidationError(
            f"the grid has {size} combinations; the limit is {max_combinations} "
            "(MAX_SWEEP_COMBINATIONS): use fewer values",
            field="grid",
        )


def expand_grid(req: SweepRequest, decider: Decider) -> tuple[list[dict[str, Any]], int]:
    """Every valid combination as a dict (base params overlaid with grid values), and how many
    were skipped; for small grids and tests (grid_matrix lists big ones)."""
    grid = build_grid(req, decider)
    return [grid.params(i) for i in range(len(grid))], grid.skipped


def build_grid(req: SweepRequest, decider: Decider) -> Grid:
    """The valid combinations of the request's grid (invalid ones, e.g. fast >= slow, skipped)."""
    values = req.grid_values()
    names = tuple(decider.params)
    integer = tuple(decider.params[n].integer for n in names)
    if isinstance(decider, StrategyDecider) and decider.spec.name in _ORDERED:
        matrix, skipped = _strategy_matrix(req, decider, values)
    else:
        rows, skipped = [], 0
        for point in product(*values.values()):
            try:  # e.g. fast >= slow: not a strategy, so not a trial
                full = decider.resolve({**req.params, **dict(zip(values, point, strict=True))})
            except ValidationError:
                skipped += 1
                continue
            rows.append([float(full[n]) for n in names])
        matrix = np.array(rows, dtype=np.float64).reshape(-1, len(names))
    return Grid(names, integer, matrix, tuple(values), skipped)


def _strategy_matrix(
    req: SweepRequest, decider: StrategyDecider, values: dict[str, list[Any]]
) -> tuple[F64, int]:
    """A built-in strategy's grid with NumPy: each value checked once, then the cross rules."""
    specs = decider.params
    names = list(specs)
    swept = list(values)  # sorted by name: itertools.product's order, the first slowest
    axes = np.meshgrid(
        *[np.array([_checked(v, specs[n]) for v in values[n]]) for n in swept], indexing="ij"
    )
    n_raw = math.prod(len(values[n]) for n in swept)
    matrix = np.empty((n_raw, len(names)))
    for k, name in enumerate(names):
        if name in values:
            matrix[:, k] = axes[swept.index(name)].reshape(-1)
        else:
            matrix[:, k] = _checked(req.params.get(name, specs[name].default), specs[name])
    keep: npt.NDArray[np.bool_] = np.asarray(np.isfinite(matrix).all(axis=1))
    if set(req.params) - set(names):  # resolve() refuses an unknown parameter everywhere
        keep = np.zeros(n_raw, dtype=bool)
    rule = _ORDERED[decider.spec.name]
    for lower, upper in pairwise(rule):
        keep &= matrix[:, names.index(lower)] < matrix[:, names.index(upper)]
    return np.ascontiguousarray(matrix[keep]), int(n_raw - keep.sum())


def _checked(value: Any, spec: ParamSpec) -> float:
    """A value as resolve() reads it, or NaN where resolve() refuses it."""
    number = not isinstance(value, bool) and isinstance(value, int | float)
    if not number or (spec.integer and float(value) != int(value)):
        return math.nan
    if not spec.minimum <= value <= spec.maximum:
        return math.nan
    return float(int(value) if spec.integer else value)


def cached_grid(req: SweepRequest, decider: Decider) -> Grid:
    """The sweep's grid, built once per worker process rather than once per chunk."""
    key = req.model_dump_json()
    with _LOCK:
        if key in _GRIDS:
            _GRIDS.move_to_end(key)
            return _GRIDS[key]
    grid = build_grid(req, decider)
    with _LOCK:
        _GRIDS[key] = grid
        while len(_GRIDS) > MAX_GRIDS:
            _GRIDS.popitem(last=False)
    return grid
