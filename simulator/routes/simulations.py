"""Simulations: submit a backtest job, list them, read the summary, trades and equity curve."""

from __future__ import annotations

from fastapi import APIRouter, Response

from shared.jobs.submit import submit_owned_job
from shared.schemas.jobs import JobKind, JobOut
from shared.schemas.simulations import (
    EquityOut,
    EquityPoint,
    SimulationAccepted,
    SimulationOut,
    SimulationRequest,
    SimulationsPage,
    TradeOut,
    TradesPage,
)
from shared.storage import resources
from shared.storage import simulations as sims
from shared.storage.tables import JobRow, SimulationRow
from shared.web.deps import (
    CeleryDep,
    DbDep,
    IdempotencyKey,
    Limit,
    Offset,
    PrincipalDep,
    SettingsDep,
)
from shared.web.market import MarketDataDep
from simulator.deciders import ModelDecider, decider_for
from simulator.panel import load_panel
from simulator.policy_decider import PolicyDecider
from simulator.report import model_used

router = APIRouter(prefix="/api/v1", tags=["simulations"])


@router.post("/simulations", status_code=202, response_model=SimulationAccepted)
def submit_simulation(
    req: SimulationRequest, db: DbDep, celery: CeleryDep, settings: SettingsDep,
    market: MarketDataDep, principal: PrincipalDep, idempotency_key: IdempotencyKey = None,
) -> SimulationAccepted:  # fmt: skip
    """Queue a backtest of a strategy or a model; returns the job and the simulation's id.

    A model is looked up, its checksum verified and, on offline sources, its features built on
    the requested bars, so that an unknown, tampered or unusable model is refused here.
    """
    decider = decider_for(req, db, settings, principal.scope)
    decider.resolve(req.params)
    market.check_request(req.source, req.symbols, req.start, req.end, req.interval)
    if isinstance(decider, ModelDecider) and market.is_offline(req.source):
        decider.outputs(load_panel(market, req, decider.history))
    elif isinstance(decider, PolicyDecider) and market.is_offline(req.source):
        decider.market(load_panel(market, req, decider.history))
    request = req.model_dump(mode="json")
    job, row = submit_owned_job(
        db, celery, kind=JobKind.SIMULATION, params=request, idempotency_key=idempotency_key,
        row_type=SimulationRow, owner=principal.owner,
        row_fields={"strategy": req.strategy or "model", "symbols": req.symbols, "request": request},
    )  # fmt: skip
    return SimulationAccepted(job=JobOut.model_validate(job), simulation_id=row.id)


@router.get("/simulations", response_model=SimulationsPage)
def list_simulations(
    db: DbDep, principal: PrincipalDep, limit: Limit, offset: Offset = 0,
    strategy: str | None = None, status: str | None = None, symbol: str | None = None,
) -> SimulationsPage:  # fmt: skip
    """Simulations, newest first, filtered by strategy, job status or symbol."""
    rows, total = sims.list_simulations(
        db, strategy=strategy, status=status, symbol=symbol, limit=limit, offset=offset,
        scope=principal.scope,
    )  # fmt: skip
    return SimulationsPage(items=[_out(*r) for r in rows], total=total, limit=limit, offset=offset)


@router.get("/simulations/{simulation_id}", response_model=SimulationOut)
def get_simulation(simulation_id: str, db: DbDep, principal: PrincipalDep) -> Response:
    """The summary in the seed's shape, every other metric, the status and the full request."""
    found = resources.with_job(
        db, SimulationRow, simulation_id, skip=("equity",), scope=principal.scope
    )
    return _json(_out(*found))


@router.get("/simulations/{simulation_id}/trades", response_model=TradesPage)
def list_trades(
    simulation_id: str, db: DbDep, principal: PrincipalDep, limit: Limit, offset: Offset = 0,
    sort: str = "entry_time",
) -> TradesPage:  # fmt: skip
    """Every trade; sort by entry_time, exit_time, pnl, return_pct or symbol (prefix - to reverse)."""
    resources.with_job(db, SimulationRow, simulation_id, scope=principal.scope)
    rows, total = sims.trades_page(db, simulation_id, sort=sort, limit=limit, offset=offset)
    items = [TradeOut.model_validate(r) for r in rows]
    return TradesPage(items=items, total=total, limit=limit, offset=offset, sort=sort)


@router.get("/simulations/{simulation_id}/equity", response_model=EquityOut)
def get_equity(simulation_id: str, db: DbDep, principal: PrincipalDep) -> EquityOut:
    """Equity, drawdown (%) and the buy-and-hold benchmark at every bar."""
    row, _ = resources.with_job(db, SimulationRow, simulation_id, scope=principal.scope)
    curve = row.equity or {"timestamps": [], "equity": [], "drawdown_pct": [], "benchmark": []}
    columns = zip(
        curve["timestamps"], curve["equity"], curve["drawdown_pct"], curve["benchmark"],
        strict=True,
    )  # fmt: skip
    points = [
        EquityPoint(timestamp=t, equity=e, drawdown_pct=d, benchmark=b) for t, e, d, b in columns
    ]
    return EquityOut(simulation_id=simulation_id, items=points)


def _json(out: SimulationOut) -> Response:
    # Serialised once by the model that built it: returned as the model, FastAPI would validate
    # it again and encode it twice, in a second threadpool hop (the most read route's main cost).
    return Response(out.model_dump_json(by_alias=True), media_type="application/json")


def _out(row: SimulationRow, job: JobRow) -> SimulationOut:
    summary = dict(row.summary or {})
    seed = {k: summary.pop(k, None) for k in SimulationOut.model_fields if k in summary}
    req = SimulationRequest.model_validate(row.request)
    seed["model_used"] = seed.get("model_used") or model_used(req)
    return SimulationOut(
        simulation_id=row.id, status=job.status, job_id=job.id, created_at=row.created_at,
        error=job.error, request=req, metrics=summary, **seed,
    )  # fmt: skip
