"""Job functions run by the simulation worker; thin: parse params, call the library."""

from __future__ import annotations

from typing import Any

from celery import Celery

from shared.jobs.fanout import dispatch, register_fanout
from shared.jobs.worker_runtime import (
    Detached,
    JobContext,
    JobFunction,
    WorkerRuntime,
    register_jobs,
)
from shared.schemas.data import DownloadRequest
from shared.schemas.jobs import JobKind
from shared.schemas.simulations import SimulationRequest
from shared.schemas.stress import StressRequest
from shared.storage import resources
from shared.storage import simulations as sims
from shared.storage.tables import SimulationRow, StressTestRow, SweepRow
from simulator import report, stress, sweeps
from simulator.backtest import run_backtest
from simulator.deciders import ModelDecider, decider_for
from simulator.panel import load_panel
from simulator.policy_decider import PolicyDecider


def data_download(ctx: JobContext) -> dict[str, Any]:
    """Fetch bars for each symbol into the cache, reporting progress per symbol."""
    req = DownloadRequest.model_validate(ctx.params)
    return ctx.runtime.market.download(
        req.source, req.symbols, req.start, req.end, req.interval, progress=ctx.progress
    )


def simulation(ctx: JobContext) -> dict[str, Any]:
    """Backtest the request and store summary, equity curve and trades."""
    req = SimulationRequest.model_validate(ctx.params)
    row = resources.of_job(ctx.runtime.db, SimulationRow, ctx.job_id)
    ctx.progress(0.05, "loading bars")
    decider = decider_for(req, ctx.runtime.db, ctx.runtime.settings)
    panel = load_panel(ctx.runtime.market, req, decider.history)
    ctx.progress(0.3, f"simulating {len(panel.close)} bars x {panel.close.shape[1]} symbols")
    result = run_backtest(req, panel, decider)
    warnings = panel.warnings + (
        decider.warnings(panel) if isinstance(decider, ModelDecider | PolicyDecider) else []
    )
    summary = report.summary(result, warnings, decider.label(decider.resolve(req.params)))
    ctx.progress(0.8, "saving trades and equity")
    sims.save_result(
        ctx.runtime.db, row.id, summary=summary,
        equity=report.equity_payload(result), trades=report.trade_rows(result),
    )  # fmt: skip
    return {"simulation_id": row.id}


def sweep(ctx: JobContext) -> Detached:
    """Fan the sweep's chunks out over the workers (only those not stored yet)."""
    row = resources.of_job(ctx.runtime.db, SweepRow, ctx.job_id)
    return dispatch(ctx, JobKind.SWEEP, row.id, row.n_chunks)


def stress_test(ctx: JobContext) -> Detached:
    """Fan the stress test's scenario chunks out over the workers."""
    row = resources.of_job(ctx.runtime.db, StressTestRow, ctx.job_id)
    req = StressRequest.model_validate(row.request)
    return dispatch(ctx, JobKind.STRESS_TEST, row.id, stress.n_chunks(req))


JOBS: dict[str, JobFunction] = {
    JobKind.DATA_DOWNLOAD: data_download,
    JobKind.SIMULATION: simulation,
    JobKind.SWEEP: sweep,
    JobKind.STRESS_TEST: stress_test,
}


def register_simulation_jobs(app: Celery, runtime: WorkerRuntime) -> None:
    """Every task the simulation worker runs: the jobs and the chunks of the fan-outs."""
    register_jobs(app, JOBS, runtime)
    register_fanout(app, JobKind.SWEEP, sweeps.run_chunk, sweeps.finalize, runtime)
    register_fanout(app, JobKind.STRESS_TEST, stress.run_chunk, stress.finalize, runtime)
