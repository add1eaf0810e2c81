"""Parameter sweeps: plan the grid, backtest one chunk of it, combine with overfitting stats.

A chunk runs on the fused kernel (shared.sim.sweep_fused) when the strategy and options allow
it, else on the general engine, one simulate() per combination; either way it yields one
stats row per combination (shared.sim.sweep_stats' layout) and hands finalize a bounded
summary of them (simulator.sweep_report). Combinations whose equity reaches zero or below
leave the fused path for simulate(), whose summary defines that case.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt

from shared.backtest_spec import run_spec
from shared.errors import ValidationError
from shared.jobs.worker_runtime import WorkerRuntime
from shared.schemas.sweeps import SweepRequest
from shared.sim import RunSpec, SimResult, simulate
from shared.sim import sweep_stats as st
from shared.sim.api import run_kernel
from shared.sim.inputs import read_prices, read_targets, scan_targets
from shared.sim.spec import with_options
from shared.sim.sweep_fused import data_refusal, fused_refusal, fused_stats
from shared.stats import moments, partition_stats, sharpe_ratio
from shared.storage import resources
from shared.storage import simulations as sims
from shared.storage.tables import SweepRow
from simulator import sweep_report as rp
from simulator.deciders import Decider, StrategyDecider, decider_for
from simulator.panel import MarketPanel, cached_panel
from simulator.sweep_grid import (
    Grid,
    SweepPlan,
    cached_grid,
    check_size,
    expand_grid,
    grid_size,
)

F64 = npt.NDArray[np.float64]
CSCV_PARTITIONS = st.N_PARTITIONS
TOP_N = rp.TOP_N
METRICS = ("sharpe", "sortino", "calmar", "total_return_pct", "max_drawdown_pct", "portfolio_end")
GENERAL_CHUNK = 100  # combinations per task on the general engine (~3 ms each)
FUSED_CHUNK = 100_000  # on the fused kernel (~10 us each); bounds a chunk's memory (~40 MB)
ROWS_KEPT = 5_000  # best rows a chunk keeps for the listing (the dashboard loads 5,000)

# expand_grid, grid_size, ranked and public live elsewhere now; callers keep importing them here
__all__ = [
    "SweepPlan", "chunk_size", "chunk_stats", "combine", "engine_refusal", "evaluate",
    "evaluate_many", "expand_grid", "finalize", "grid_size", "overfitting_report", "plan_sweep",
    "public", "ranked", "row_of", "run_chunk", "stats_row", "summarize_chunk",
]  # fmt: skip
ranked = rp.ranked
public = rp.public


def engine_refusal(req: SweepRequest, decider: Decider) -> str | None:
    """Why this sweep runs on the general engine (None: it runs on the fused kernel)."""
    if not isinstance(decider, StrategyDecider):
        return "a trained model's thresholds run on the general engine"
    return fused_refusal(decider.spec.name, run_spec(req))


def chunk_size(req: SweepRequest, decider: Decider) -> int:
    """The request's chunk size, else one that suits the engine."""
    if req.chunk_size is not None:
        return req.chunk_size
    return FUSED_CHUNK if engine_refusal(req, decider) is None else GENERAL_CHUNK


def plan_sweep(req: SweepRequest, max_combinations: int, decider: Decider) -> SweepPlan:
    """Check the grid (names, size) before anything is queued; count combinations and chunks."""
    check_size(req, decider, max_combinations)
    n_valid = len(cached_grid(req, decider))
    if n_valid < 1:
        raise ValidationError("no combination of the grid is a valid strategy", field="grid")
    return SweepPlan(n_valid, math.ceil(n_valid / chunk_size(req, decider)))


def evaluate(
    req: SweepRequest, panel: MarketPanel, spec: RunSpec, params: dict[str, Any], decider: Decider
) -> dict[str, Any]:
    """One backtest's metrics, and the statistics the overfitting tests need (the reference)."""
    result = simulate(panel.prices, decider.targets(panel, params), spec)
    return _row(req, result, params)


def _row(req: SweepRequest, result: SimResult, params: dict[str, Any]) -> dict[str, Any]:
    summary = result.summary
    returns = result.equity.pct_change().to_numpy()[1:]
    skew, kurt = moments(returns)
    enough = len(returns) >= 2 * CSCV_PARTITIONS
    return {
        "params": {k: params[k] for k in req.grid},
        **{k: rp.clean(summary[k]) for k in METRICS},  # type: ignore[arg-type]
        "total_trades": summary["total_trades"],
        "sr_period": rp.clean(sharpe_ratio(returns)),
        "skew": rp.clean(skew),
        "kurtosis": rp.clean(kurt),
        "n_obs": len(returns),
        "partitions": partition_stats(returns, CSCV_PARTITIONS).tolist() if enough else None,
    }


def evaluate_many(
    req: SweepRequest, panel: MarketPanel, spec: RunSpec, combos: list[dict[str, Any]],
    decider: Decider,
) -> list[dict[str, Any]]:  # fmt: skip
    """evaluate() of each combination, the bars validated once and no benchmark run (a sweep
    reports none): simulate()'s steps, minus what does not change between combinations."""
    if not combos:
        return []
    first = decider.targets(panel, combos[0])
    if spec.size_type is None:  # as simulate(): from the targets, else weight
        spec = with_options(spec, {"size_type": str(first.attrs.get("size_type", "weight"))})
    arrays = read_prices(panel.prices, first, spec.fields_read)
    if spec.needs_volume and not arrays.has_volume:
        return [evaluate(req, panel, spec, params, decider) for params in combos]  # its error
    ref = arrays.open if spec.fill == "next_open" else arrays.close
    rows = []
    for k, params in enumerate(combos):
        values = read_targets(first if k == 0 else decider.targets(panel, params), arrays)
        values, changes = scan_targets(values, arrays, ref, spec.lag)
        raw = run_kernel(arrays, values, spec, capacity=changes + len(arrays.symbols))
        rows.append(_row(req, SimResult(arrays, spec, raw), params))
    return rows


def stats_row(row: dict[str, Any]) -> F64:
    """evaluate()'s row in sweep_stats' layout (NaN for None; no partitions: NaN sums)."""
    out = np.full(st.N_STATS, np.nan)
    for k, name in enumerate(st.FIGURES[: st.RUINED]):
        value = row[name]
        out[k] = np.nan if value is None else float(value)
    out[st.RUINED] = 0.0
    if row["partitions"] is not None:
        out[st.N_FIGURES :] = np.asarray(row["partitions"])[:, 1:].reshape(-1)
    return out


def row_of(
    stats: F64, params: dict[str, Any], counts: npt.NDArray[np.int64] | None
) -> dict[str, Any]:
    """A stats row as evaluate() shapes it (partitions only when `counts` are given)."""
    value = {name: rp.clean(float(stats[k])) for k, name in enumerate(st.FIGURES)}
    parts = None
    if counts is not None and np.isfinite(stats[st.N_FIGURES :]).all():
        sums = stats[st.N_FIGURES :].reshape(-1, 2)
        parts = np.column_stack([counts, sums]).tolist()
    return {
        "params": params, **{k: value[k] for k in METRICS},
        "total_trades": int(stats[st.TRADES]), "sr_period": value["sr_period"],
        "skew": value["skew"], "kurtosis": value["kurtosis"], "n_obs": int(stats[st.NOBS]),
        "partitions": parts,
    }  # fmt: skip


def chunk_stats(
    req: SweepRequest, panel: MarketPanel, decider: Decider, grid: Grid, lo: int, hi: int
) -> tuple[F64, str, str | None, int]:
    """Stats rows of combinations lo..hi-1: (rows, engine, why general, how many ran general)."""
    spec = run_spec(req)
    open_ = panel.prices["open"].to_numpy(dtype=np.float64)
    close = panel.close.to_numpy(dtype=np.float64)
    reason = engine_refusal(req, decider) or data_refusal(open_, close)
    if reason is not None:
        rows = evaluate_many(req, panel, spec, [grid.params(i) for i in range(lo, hi)], decider)
        return (
            np.array([stats_row(r) for r in rows]).reshape(-1, st.N_STATS),
            "general",
            reason,
            hi - lo,
        )
    assert isinstance(decider, StrategyDecider)
    columns = {name: grid.values[lo:hi, k] for k, name in enumerate(grid.names)}
    stats = fused_stats(
        decider.spec.name,
        columns,
        open_,
        close,
        panel.close.index,
        spec,
        decider.position_size,
        parallel=False,  # the workers are the parallelism, and they fork
    )
    ruined = np.flatnonzero(stats[:, st.RUINED] > 0.0)
    for k in ruined:  # equity <= 0: simulate()'s summary defines what is reported then
        stats[k] = stats_row(evaluate(req, panel, spec, grid.params(lo + int(k)), decider))
    why = (
        f"{len(ruined)} combinations reached equity <= 0 and ran on simulate()"
        if len(ruined)
        else None
    )
    return stats, "fused", why, len(ruined)


def summarize_chunk(req: SweepRequest, grid: Grid, stats: F64, lo: int) -> dict[str, Any]:
    """What finalize needs of a chunk, bounded in size: best rows, metrics, moments, a sample."""
    metric = stats[:, st.FIGURES.index(req.metric)]
    order = np.lexsort((np.arange(len(metric)), -np.nan_to_num(metric, nan=-np.inf)))
    kept = np.sort(order[:ROWS_KEPT])
    rows = []
    for k in kept:
        row = row_of(stats[k], grid.swept_params(lo + int(k)), None)
        rows.append({"i": lo + int(k), **row})
    sr = stats[:, st.SR]
    complete = np.isfinite(sr) & np.isfinite(stats[:, st.N_FIGURES :]).all(axis=1)
    index = np.arange(lo, lo + len(stats), dtype=np.int64)
    keys = rp.sample_keys(index)
    pick = np.sort(np.argsort(keys, kind="stable")[: rp.PBO_MAX_COMBINATIONS])
    return {
        "n": len(stats), "rows": rows, "metric": rp.pack(metric), "sr": rp.sr_moments(sr),
        "incomplete": int((~complete).sum()),
        "sample": {"i": index[pick].tolist(), "sums": rp.pack(stats[pick, st.N_FIGURES :])},
    }  # fmt: skip


def run_chunk(runtime: WorkerRuntime, sweep_id: str, idx: int) -> dict[str, Any]:
    row, _ = resources.with_job(runtime.db, SweepRow, sweep_id)
    req = SweepRequest.model_validate(row.request)
    decider = decider_for(req, runtime.db, runtime.settings)
    grid = cached_grid(req, decider)
    size = chunk_size(req, decider)
    lo, hi = idx * size, min((idx + 1) * size, len(grid))
    panel = cached_panel(runtime, req, decider.history)
    stats, engine, why, n_general = chunk_stats(req, panel, decider, grid, lo, hi)
    counts = np.diff(st.partition_bounds(len(panel.close) - 1))
    return {
        "engine": engine, "engine_reason": why, "n_general": n_general,
        **summarize_chunk(req, grid, stats, lo),
        "counts": counts.tolist(),
    }  # fmt: skip


def overfitting_report(rows: list[dict[str, Any]], best: dict[str, Any]) -> dict[str, Any]:
    """Deflated Sharpe ratio of the best, and PBO by CSCV when every row has partition stats."""
    sr = np.array([np.nan if r["sr_period"] is None else r["sr_period"] for r in rows])
    n_sr, variance = rp.merge_moments([rp.sr_moments(sr)])
    report = rp.dsr_report(len(rows), n_sr, variance, best)
    parts = [
        r["partitions"] for r in rows if r["partitions"] is not None and r["sr_period"] is not None
    ]
    complete = len(parts) == len(rows)
    stats = np.asarray(parts, dtype=np.float64) if complete and parts else None
    if stats is not None and len(stats) > rp.PBO_MAX_COMBINATIONS:
        keys = rp.sample_keys(np.arange(len(stats), dtype=np.int64))
        stats = stats[np.sort(np.argsort(keys, kind="stable")[: rp.PBO_MAX_COMBINATIONS])]
    report.update(rp.pbo_report(len(rows), complete, stats))
    report.update(rp.verdict(report))
    return report


def combine(req: SweepRequest, grid: Grid, chunks: list[dict[str, Any]]) -> dict[str, Any]:
    """The sweep's report from its chunks' summaries."""
    rows = ranked([r for chunk in chunks for r in chunk["rows"]], req.metric)
    best = rows[0]
    n_trials = sum(c["n"] for c in chunks)
    n_sr, variance = rp.merge_moments([c["sr"] for c in chunks])
    report = rp.dsr_report(n_trials, n_sr, variance, best)
    complete = sum(c["incomplete"] for c in chunks) == 0
    report.update(rp.pbo_report(n_trials, complete, _pbo_sample(chunks) if complete else None))
    report.update(rp.verdict(report))
    metric = np.concatenate([rp.unpack(c["metric"]) for c in chunks])
    swept = [grid.names.index(n) for n in grid.swept]
    return {
        "n_combinations": n_trials, "metric": req.metric, "best": public(best),
        "top": [public(r) for r in rows[:TOP_N]], "overfitting": report,
        "marginals": rp.marginals(grid.swept, grid.values[:, swept], metric),
        # past the rows a client loads, the heatmaps of the whole grid come with the report
        "heatmaps": rp.heatmaps(grid.swept, grid.values[:, swept], metric)
        if n_trials > ROWS_KEPT else [],
        **_engine(chunks),
    }  # fmt: skip


def _pbo_sample(chunks: list[dict[str, Any]]) -> F64:
    """Partition stats (n, 16, 3) of the combinations with the smallest sample keys."""
    index = np.concatenate([np.asarray(c["sample"]["i"], dtype=np.int64) for c in chunks])
    sums = np.concatenate([rp.unpack(c["sample"]["sums"]) for c in chunks]).reshape(
        len(index), -1, 2
    )
    pick = np.sort(np.argsort(rp.sample_keys(index), kind="stable")[: rp.PBO_MAX_COMBINATIONS])
    counts = np.asarray(chunks[0]["counts"], dtype=np.float64)
    out = np.empty((len(pick), sums.shape[1], 3))
    out[:, :, 0] = counts
    out[:, :, 1:] = sums[pick]
    return out


def _engine(chunks: list[dict[str, Any]]) -> dict[str, Any]:
    engines = {c["engine"] for c in chunks}
    reasons = sorted({c["engine_reason"] for c in chunks if c["engine_reason"]})
    n_general = sum(c["n_general"] for c in chunks)
    engine = engines.pop() if len(engines) == 1 else "mixed"
    return {"engine": engine, "engine_reason": "; ".join(reasons) or None, "n_general": n_general}


def finalize(runtime: WorkerRuntime, sweep_id: str, chunks: list[dict[str, Any]]) -> dict[str, Any]:
    row, _ = resources.with_job(runtime.db, SweepRow, sweep_id)
    req = SweepRequest.model_validate(row.request)
    decider = decider_for(req, runtime.db, runtime.settings)
    result = combine(req, cached_grid(req, decider), chunks)
    sims.set_result(runtime.db, SweepRow, sweep_id, result)
    return {
        "sweep_id": sweep_id,
        "best_params": result["best"]["params"],
        "likely_luck": result["overfitting"]["likely_luck"],
    }
