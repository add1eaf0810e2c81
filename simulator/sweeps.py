"""Parameter sweeps: plan the grid, backtest one chunk of it, combine with overfitting stats."""

from __future__ import annotations

import math
from collections import OrderedDict
from dataclasses import dataclass
from itertools import product
from threading import Lock
from typing import Any

import numpy as np

from shared.backtest_spec import run_spec
from shared.errors import ValidationError
from shared.jobs.worker_runtime import WorkerRuntime
from shared.schemas.sweeps import SweepRequest
from shared.sim import RunSpec, simulate
from shared.stats import (
    deflated_sharpe_ratio,
    expected_max_sharpe,
    moments,
    partition_stats,
    pbo_from_stats,
    sharpe_ratio,
)
from shared.stats.verdict import luck_verdict
from shared.storage import resources
from shared.storage import simulations as sims
from shared.storage.tables import SweepRow
from simulator.deciders import Decider, decider_for
from simulator.panel import MarketPanel, cached_panel

CSCV_PARTITIONS = 16
TOP_N = 20
MAX_GRIDS = 8  # expanded grids kept per worker process

_COMBINATIONS: OrderedDict[str, list[dict[str, Any]]] = OrderedDict()
_LOCK = Lock()
METRICS = ("sharpe", "sortino", "calmar", "total_return_pct", "max_drawdown_pct", "portfolio_end")


@dataclass(frozen=True)
class SweepPlan:
    """How big a sweep is: its valid combinations and the chunks they are split into."""

    n_combinations: int
    n_chunks: int


def plan_sweep(req: SweepRequest, max_combinations: int, decider: Decider) -> SweepPlan:
    """Check the grid (names, size) before anything is queued; count combinations and chunks."""
    size = grid_size(req, decider)
    if size > max_combinations:
        raise ValidationError(
            f"the grid has {size} combinations; the limit is {max_combinations} "
            "(MAX_SWEEP_COMBINATIONS): use fewer values",
            field="grid",
        )
    n_valid = len(expand_grid(req, decider)[0])
    if n_valid < 1:
        raise ValidationError("no combination of the grid is a valid strategy", field="grid")
    return SweepPlan(n_valid, math.ceil(n_valid / req.chunk_size))


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


def expand_grid(req: SweepRequest, decider: Decider) -> tuple[list[dict[str, Any]], int]:
    """Every valid combination (base params overlaid with grid values) and how many were skipped.

    Each combination holds the strategy's resolved parameters: defaults filled in, whole numbers
    as integers.
    """
    values = req.grid_values()
    combos, skipped = [], 0
    for point in product(*values.values()):
        try:  # e.g. fast >= slow: not a strategy, so not a trial
            combos.append(decider.resolve({**req.params, **dict(zip(values, point, strict=True))}))
        except ValidationError:
            skipped += 1
    return combos, skipped


def _clean(value: float) -> float | None:
    return float(value) if value is not None and math.isfinite(value) else None


def evaluate(
    req: SweepRequest, panel: MarketPanel, spec: RunSpec, params: dict[str, Any], decider: Decider
) -> dict[str, Any]:
    """One backtest's metrics, and the statistics the overfitting tests need."""
    result = simulate(panel.prices, decider.targets(panel, params), spec)
    summary = result.summary
    returns = result.equity.pct_change().to_numpy()[1:]
    skew, kurt = moments(returns)
    enough = len(returns) >= 2 * CSCV_PARTITIONS
    return {
        "params": {k: params[k] for k in req.grid},
        **{k: _clean(summary[k]) for k in METRICS},  # type: ignore[arg-type]
        "total_trades": summary["total_trades"],
        "sr_period": _clean(sharpe_ratio(returns)),
        "skew": _clean(skew),
        "kurtosis": _clean(kurt),
        "n_obs": len(returns),
        "partitions": partition_stats(returns, CSCV_PARTITIONS).tolist() if enough else None,
    }


def _combinations(req: SweepRequest, decider: Decider) -> list[dict[str, Any]]:
    """The sweep's grid, expanded once per worker process rather than once per chunk."""
    key = req.model_dump_json()
    with _LOCK:
        if key not in _COMBINATIONS:
            _COMBINATIONS[key] = expand_grid(req, decider)[0]
            while len(_COMBINATIONS) > MAX_GRIDS:
                _COMBINATIONS.popitem(last=False)
        return _COMBINATIONS[key]


def run_chunk(runtime: WorkerRuntime, sweep_id: str, idx: int) -> dict[str, Any]:
    row, _ = resources.with_job(runtime.db, SweepRow, sweep_id)
    req = SweepRequest.model_validate(row.request)
    decider = decider_for(req, runtime.db, runtime.settings)
    combos = _combinations(req, decider)
    part = combos[idx * req.chunk_size : (idx + 1) * req.chunk_size]
    panel = cached_panel(runtime, req, decider.history)
    spec = run_spec(req)
    return {"rows": [evaluate(req, panel, spec, params, decider) for params in part]}


def overfitting_report(rows: list[dict[str, Any]], best: dict[str, Any]) -> dict[str, Any]:
    """Deflated Sharpe ratio of the best, and PBO by CSCV when every row has partition stats."""
    ratios = np.array([r["sr_period"] for r in rows if r["sr_period"] is not None])
    n_trials = len(rows)
    variance = float(np.var(ratios, ddof=1)) if len(ratios) > 1 else 0.0
    sr = best["sr_period"]
    dsr = None
    if sr is not None and best["skew"] is not None:
        dsr = deflated_sharpe_ratio(
            sr, best["n_obs"], best["skew"], best["kurtosis"], n_trials, variance
        )
    report: dict[str, Any] = {
        "n_trials": n_trials, "best_sharpe": best["sharpe"], "best_sharpe_per_period": sr,
        "sharpe_variance_per_period": variance,
        "expected_max_sharpe_per_period": expected_max_sharpe(n_trials, variance),
        "deflated_sharpe_ratio": _clean(dsr) if dsr is not None else None,
    }  # fmt: skip
    parts = [
        r["partitions"] for r in rows if r["partitions"] is not None and r["sr_period"] is not None
    ]
    if n_trials >= 2 and len(parts) == n_trials:
        result = pbo_from_stats(np.asarray(parts, dtype=np.float64))
        report["pbo"] = result.pbo
        report["pbo_detail"] = {
            "logit_median": _clean(result.logit_median), "n_splits": result.n_splits,
            "sampled": result.sampled, "n_partitions": result.n_partitions,
            "oos_sharpe_of_best_mean": _clean(result.oos_sharpe_of_best_mean),
            "prob_oos_loss": result.prob_oos_loss,
        }  # fmt: skip
    else:
        report["pbo"] = None
        report["pbo_detail"] = {
            "note": "needs at least 2 combinations with trades and 32 bars of returns"
        }
    report.update(_verdict(report))
    return report


def _verdict(report: dict[str, Any]) -> dict[str, Any]:
    return luck_verdict(
        report["deflated_sharpe_ratio"], report["n_trials"], "combinations", report["pbo"]
    )


def public(row: dict[str, Any]) -> dict[str, Any]:
    """A row without the bulky per-partition statistics."""
    return {k: v for k, v in row.items() if k != "partitions"}


def ranked(rows: list[dict[str, Any]], metric: str) -> list[dict[str, Any]]:
    """Best first by `metric`; undefined values last."""
    return sorted(rows, key=lambda r: (r[metric] is None, -(r[metric] or 0.0)))


def finalize(runtime: WorkerRuntime, sweep_id: str, chunks: list[dict[str, Any]]) -> dict[str, Any]:
    row, _ = resources.with_job(runtime.db, SweepRow, sweep_id)
    req = SweepRequest.model_validate(row.request)
    rows = ranked([r for chunk in chunks for r in chunk["rows"]], req.metric)
    best = rows[0]
    result: dict[str, Any] = {
        "n_combinations": len(rows), "metric": req.metric, "best": public(best),
        "top": [public(r) for r in rows[:TOP_N]], "overfitting": overfitting_report(rows, best),
    }  # fmt: skip
    sims.set_result(runtime.db, SweepRow, sweep_id, result)
    return {
        "sweep_id": sweep_id,
        "best_params": best["params"],
        "likely_luck": result["overfitting"]["likely_luck"],
    }
