"""Job functions run by the simulation worker; thin: parse params, call the library."""

from __future__ import annotations

from typing import Any

import redis

from shared.config import Settings
from shared.data.market import MarketData
from shared.errors import NotFound
from shared.jobs.kinds import JobKind
from shared.jobs.runner import JobContext, JobFunction
from shared.schemas.data import DownloadRequest
from shared.schemas.simulations import SimulationRequest
from shared.storage import simulations as sims
from simulator import report
from simulator.runner import load_panel, run_backtest


def market_data(settings: Settings) -> MarketData:
    """The market-data facade configured from settings."""
    return MarketData(
        settings.data_path,
        redis.Redis.from_url(settings.redis_url),
        cache_ttl_s=settings.bars_cache_ttl_s,
        yfinance_max_retries=settings.yfinance_max_retries,
    )


def data_download(ctx: JobContext) -> dict[str, Any]:
    """Fetch bars for each symbol into the cache, reporting progress per symbol."""
    req = DownloadRequest.model_validate(ctx.params)
    return market_data(ctx.settings).download(
        req.source, req.symbols, req.start, req.end, req.interval, progress=ctx.progress
    )


def simulation(ctx: JobContext) -> dict[str, Any]:
    """Backtest the request and store summary, equity curve and trades."""
    req = SimulationRequest.model_validate(ctx.params)
    row = sims.simulation_by_job(ctx.runtime.db, ctx.job_id)
    if row is None:
        raise NotFound(f"job {ctx.job_id} has no simulation row", field="job_id")
    ctx.progress(0.05, "loading bars")
    panel = load_panel(market_data(ctx.settings), req)
    ctx.progress(0.3, f"simulating {len(panel.close)} bars x {panel.close.shape[1]} symbols")
    result = run_backtest(req, panel)
    ctx.progress(0.8, "saving trades and equity")
    sims.save_result(
        ctx.runtime.db, row.id, summary=report.summary(result, panel.warnings),
        equity=report.equity_payload(result), trades=report.trade_rows(result),
    )  # fmt: skip
    return {"simulation_id": row.id}


JOBS: dict[str, JobFunction] = {
    JobKind.DATA_DOWNLOAD: data_download,
    JobKind.SIMULATION: simulation,
}
