"""Monte Carlo stress tests of a finished simulation, computed in chunks of scenarios.

Scenario i draws everything from a generator seeded with (seed, i), so results do not depend on
how scenarios are split into chunks or which worker runs them.
"""

from __future__ import annotations

import math
from dataclasses import asdict
from functools import lru_cache
from typing import Any

import numpy as np

from shared.backtest_spec import Shocks
from shared.errors import ValidationError
from shared.jobs.worker_runtime import WorkerRuntime
from shared.scenarios import GarchFit, block_bootstrap_panel, fit_garch, garch_panel
from shared.schemas.simulations import SimulationRequest
from shared.schemas.stress import StressRequest
from shared.storage import resources
from shared.storage import simulations as sims
from shared.storage.tables import SimulationRow, StressTestRow
from simulator.backtest import run_backtest
from simulator.deciders import Decider, decider_for
from simulator.panel import MarketPanel, cached_panel

PERCENTILES = (5, 25, 50, 75, 95)
OUTCOMES = ("portfolio_end", "total_return_pct", "max_drawdown_pct", "sharpe")


def check_size(req: StressRequest, max_scenarios: int) -> None:
    """Refuse more scenarios than MAX_STRESS_SCENARIOS before anything is queued."""
    if req.n_scenarios > max_scenarios:
        raise ValidationError(
            f"n_scenarios {req.n_scenarios} exceeds the limit of {max_scenarios} "
            "(MAX_STRESS_SCENARIOS)",
            field="n_scenarios",
        )


def n_chunks(req: StressRequest) -> int:
    return math.ceil(req.n_scenarios / req.chunk_size)


@lru_cache(maxsize=4)
def _garch(stress_id: str, runtime: WorkerRuntime) -> GarchFit:
    """Fitted once per worker process and stress test, shared by its chunks."""
    return fit_garch(_load(runtime, stress_id)[2].prices)


def _requests(
    runtime: WorkerRuntime, stress_id: str
) -> tuple[StressRequest, SimulationRequest, SimulationRow]:
    """The stress test's request, and the simulation it stresses (request and stored row)."""
    row, _ = resources.with_job(runtime.db, StressTestRow, stress_id)
    sim, _ = resources.with_job(runtime.db, SimulationRow, row.simulation_id)
    return (
        StressRequest.model_validate(row.request),
        SimulationRequest.model_validate(sim.request),
        sim,
    )


def _load(
    runtime: WorkerRuntime, stress_id: str
) -> tuple[StressRequest, SimulationRequest, MarketPanel]:
    req, sim_req, _ = _requests(runtime, stress_id)
    return req, sim_req, cached_panel(runtime, sim_req)


def scenario(
    req: StressRequest, sim_req: SimulationRequest, panel: MarketPanel, i: int,
    garch: GarchFit | None, decider: Decider,
) -> dict[str, Any]:  # fmt: skip
    """Scenario i: a resampled market, shocked costs and delays, the same strategy."""
    rng = np.random.default_rng([req.seed, i])
    method = req.methods[i % len(req.methods)]
    shocks = Shocks(
        commission_multiplier=float(rng.choice(req.commission_multipliers)),
        slippage_multiplier=float(rng.choice(req.slippage_multipliers)),
        extra_delay=int(rng.choice(req.extra_delay_bars)),
    )
    if method == "garch":
        assert garch is not None
        prices = garch_panel(panel.prices, garch, rng)
    else:
        prices = block_bootstrap_panel(panel.prices, rng, req.block_size)
    summary = run_backtest(sim_req, MarketPanel(prices), decider, shocks).summary
    outcome = {k: summary[k] for k in OUTCOMES}
    return {"scenario": i, "method": method, **asdict(shocks), **outcome}


def run_chunk(runtime: WorkerRuntime, stress_id: str, idx: int) -> dict[str, Any]:
    req, sim_req, panel = _load(runtime, stress_id)
    garch = _garch(stress_id, runtime) if "garch" in req.methods else None
    decider = decider_for(sim_req, runtime.db, runtime.settings)
    first = idx * req.chunk_size
    last = min(first + req.chunk_size, req.n_scenarios)
    rows = [scenario(req, sim_req, panel, i, garch, decider) for i in range(first, last)]
    return {"rows": rows}


def distribution(values: list[float | None]) -> dict[str, Any]:
    """Mean, percentiles and histogram of the defined values."""
    arr = np.array([v for v in values if v is not None and math.isfinite(v)], dtype=np.float64)
    if arr.size == 0:
        return {"mean": None, **{f"p{p}": None for p in PERCENTILES}, "histogram": None}
    stats = {f"p{p}": float(np.percentile(arr, p)) for p in PERCENTILES}
    return {"mean": float(arr.mean()), **stats, "histogram": histogram(arr)}


def histogram(arr: np.ndarray) -> dict[str, list[Any]]:
    """Equal-width bins over [min, max]: the square-root rule, 5 to 40 bins (one if all equal)."""
    bins = 1 if arr.min() == arr.max() else int(np.clip(round(math.sqrt(arr.size)), 5, 40))
    counts, edges = np.histogram(arr, bins=bins)
    return {"edges": edges.tolist(), "counts": counts.tolist()}


def summarize(rows: list[dict[str, Any]], initial_cash: float) -> dict[str, Any]:
    ends = [r["portfolio_end"] for r in rows]
    return {
        "n_scenarios": len(rows),
        "prob_loss": float(np.mean([e < initial_cash for e in ends])),
        **{k: distribution([r[k] for r in rows]) for k in OUTCOMES},
    }


def finalize(
    runtime: WorkerRuntime, stress_id: str, chunks: list[dict[str, Any]]
) -> dict[str, Any]:
    req, sim_req, sim = _requests(runtime, stress_id)  # no bars needed to combine the chunks
    rows = sorted((r for c in chunks for r in c["rows"]), key=lambda r: r["scenario"])
    baseline = {k: (sim.summary or {}).get(k) for k in OUTCOMES}
    by_method = {
        m: summarize([r for r in rows if r["method"] == m], sim_req.initial_cash)
        for m in req.methods
    }
    result: dict[str, Any] = {
        "baseline": baseline,
        "all": summarize(rows, sim_req.initial_cash),
        "by_method": by_method,
        "percentiles": list(PERCENTILES),
    }
    sims.set_result(runtime.db, StressTestRow, stress_id, result)
    return {"stress_id": stress_id, "prob_loss": result["all"]["prob_loss"]}
