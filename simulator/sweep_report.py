"""A sweep's report from its chunks: best and top rows, parameter marginals, heatmaps, DSR and PBO.

Each chunk hands over a bounded summary (shared.sim-free, JSON): its best rows, the metric of
every combination, the count, mean and spread of sr_period, and the CSCV partition statistics
of a seeded sample of its combinations. Memory in finalize is then a few floats per
combination, whatever the grid's size.
"""

from __future__ import annotations

import base64
import itertools
import math
from typing import Any

import numpy as np
import numpy.typing as npt

from shared.sim.sweep_pbo import pbo_from_sums
from shared.stats import deflated_sharpe_ratio, expected_max_sharpe
from shared.stats.verdict import luck_verdict

F64 = npt.NDArray[np.float64]
TOP_N = 20
# PBO ranks every combination in 5,000 CSCV splits; past this many it ranks a seeded sample
PBO_MAX_COMBINATIONS = 5_000
PBO_SEED = 0x5EED
MARGINAL_VALUES = 500  # values listed per parameter in the marginals, evenly picked
# Heatmaps of the whole grid (for grids past the rows a client loads): a pair of parameters is
# mapped when it has at most this many cells, and pairs are added while the total stays within
HEATMAP_PAIR_CELLS = 10_000
HEATMAP_TOTAL_CELLS = 20_000


def pack(values: npt.NDArray[Any]) -> str:
    """A float64 array as base64 text (a JSON list of a million floats would be ~20 MB)."""
    return base64.b64encode(np.ascontiguousarray(values, dtype=np.float64).tobytes()).decode()


def unpack(text: str) -> F64:
    return np.frombuffer(base64.b64decode(text), dtype=np.float64)


def sample_keys(index: npt.NDArray[np.int64]) -> npt.NDArray[np.uint64]:
    """A seeded pseudo-random key per combination index (splitmix64): the PBO sample is the
    combinations with the smallest keys, the same however the grid was chunked."""
    offset = np.uint64(PBO_SEED * 0x9E3779B97F4A7C15 % 2**64)
    with np.errstate(over="ignore"):
        z = index.astype(np.uint64) + offset
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def sr_moments(values: F64) -> list[float]:
    """[count, mean, sum of squared deviations] of the defined sr_period values."""
    x = values[np.isfinite(values)]
    if x.size == 0:
        return [0.0, 0.0, 0.0]
    mean = float(x.mean())
    return [float(x.size), mean, float(((x - mean) ** 2).sum())]


def merge_moments(parts: list[list[float]]) -> tuple[int, float]:
    """Count and variance (ddof=1) of sr_period over every chunk (Chan et al.'s merge)."""
    n, mean, m2 = 0.0, 0.0, 0.0
    for nb, mb, m2b in parts:
        if nb == 0:
            continue
        total = n + nb
        delta = mb - mean
        mean += delta * nb / total
        m2 += m2b + delta * delta * n * nb / total
        n = total
    return int(n), (m2 / (n - 1) if n > 1 else 0.0)


def ranked(rows: list[dict[str, Any]], metric: str) -> list[dict[str, Any]]:
    """Best first by `metric`; undefined values last (ties keep the grid's order)."""
    return sorted(rows, key=lambda r: (r[metric] is None, -(r[metric] or 0.0)))


def public(row: dict[str, Any]) -> dict[str, Any]:
    """A row without the bulky per-partition statistics and the internal index."""
    return {k: v for k, v in row.items() if k not in ("partitions", "i")}


def clean(value: float | None) -> float | None:
    return float(value) if value is not None and math.isfinite(value) else None


def dsr_report(n_trials: int, n_sr: int, variance: float, best: dict[str, Any]) -> dict[str, Any]:
    """The deflated Sharpe ratio of the best combination against n_trials."""
    sr = best["sr_period"]
    dsr = None
    if sr is not None and best["skew"] is not None:
        dsr = deflated_sharpe_ratio(
            sr, best["n_obs"], best["skew"], best["kurtosis"], n_trials, variance
        )
    return {
        "n_trials": n_trials, "best_sharpe": best["sharpe"], "best_sharpe_per_period": sr,
        "sharpe_variance_per_period": variance,
        "expected_max_sharpe_per_period": expected_max_sharpe(n_trials, variance),
        "deflated_sharpe_ratio": clean(dsr) if dsr is not None else None,
    }  # fmt: skip


def pbo_report(n_trials: int, complete: bool, stats: F64 | None) -> dict[str, Any]:
    """PBO by CSCV over `stats` (every combination's, or a sample's partition statistics)."""
    if n_trials < 2 or not complete or stats is None or len(stats) < 2:
        return {
            "pbo": None,
            "pbo_detail": {
                "note": "needs at least 2 combinations with trades and 32 bars of returns"
            },
        }
    result = pbo_from_sums(stats)
    sampled = len(stats) < n_trials
    detail: dict[str, Any] = {
        "logit_median": clean(result.logit_median), "n_splits": result.n_splits,
        "sampled": result.sampled, "n_partitions": result.n_partitions,
        "oos_sharpe_of_best_mean": clean(result.oos_sharpe_of_best_mean),
        "prob_oos_loss": result.prob_oos_loss, "n_combinations": len(stats),
        "combinations_sampled": sampled,
    }  # fmt: skip
    if sampled:
        detail["note"] = (
            f"CSCV ranked a seeded sample of {len(stats):,} of the {n_trials:,} combinations"
        )
    return {"pbo": result.pbo, "pbo_detail": detail}


def verdict(report: dict[str, Any]) -> dict[str, Any]:
    return luck_verdict(
        report["deflated_sharpe_ratio"], report["n_trials"], "combinations", report["pbo"]
    )


def marginals(names: tuple[str, ...], values: F64, metric: F64) -> dict[str, list[dict[str, Any]]]:
    """Per value of each swept parameter: how many combinations, the best and median metric."""
    out: dict[str, list[dict[str, Any]]] = {}
    for k, name in enumerate(names):
        column = values[:, k]
        levels, inverse = np.unique(column, return_inverse=True)
        order = np.argsort(inverse, kind="stable")
        starts = np.searchsorted(inverse[order], np.arange(len(levels)))
        groups = np.split(metric[order], starts[1:])
        picked = np.unique(np.linspace(0, len(levels) - 1, min(len(levels), MARGINAL_VALUES)))
        rows = []
        for g in picked.astype(int):
            defined = groups[g][np.isfinite(groups[g])]
            rows.append({
                "value": _level(levels[g]),
                "count": len(groups[g]),
                "best": float(defined.max()) if defined.size else None,
                "median": float(np.median(defined)) if defined.size else None,
            })  # fmt: skip
        out[name] = rows
    return out


def heatmaps(names: tuple[str, ...], values: F64, metric: F64) -> list[dict[str, Any]]:
    """Per pair of swept parameters (grid order, within the cell budgets): each cell's best
    metric over every combination holding both values (the other parameters at their best),
    None where none is defined, and how many combinations the cell holds."""
    levels = [np.unique(values[:, k], return_inverse=True) for k in range(len(names))]
    finite = np.isfinite(metric)
    out: list[dict[str, Any]] = []
    used = 0
    for a, b in itertools.combinations(range(len(names)), 2):
        (xs, x_at), (ys, y_at) = levels[a], levels[b]
        cells = len(xs) * len(ys)
        if cells > HEATMAP_PAIR_CELLS or used + cells > HEATMAP_TOTAL_CELLS:
            continue
        used += cells
        flat = y_at * len(xs) + x_at
        best = np.full(cells, -np.inf)
        np.maximum.at(best, flat[finite], metric[finite])
        count = np.bincount(flat, minlength=cells)
        out.append({
            "x": names[a], "y": names[b],
            "xs": [_level(v) for v in xs], "ys": [_level(v) for v in ys],
            "best": [
                [float(v) if np.isfinite(v) else None for v in row]
                for row in best.reshape(len(ys), len(xs))
            ],
            "count": count.reshape(len(ys), len(xs)).tolist(),
        })  # fmt: skip
    return out


def _level(value: float) -> int | float:
    level = float(value)
    return int(level) if level.is_integer() else level
