"""Simulation rows, trades and reports on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from shared.errors import NotFound, ValidationError
from shared.storage import jobs as store
from shared.storage import resources
from shared.storage import simulations as sims
from shared.storage.db import Database, utcnow
from shared.storage.tables import SimulationRow, StressTestRow, SweepRow

T0 = datetime(2020, 1, 2, tzinfo=UTC)


def _simulation(
    db: Database, strategy: str = "sma_crossover", symbols: tuple[str, ...] = ("SP500",)
) -> str:
    job, _ = store.create(
        db,
        kind="simulation",
        queue="simulation",
        params={"s": strategy, "n": symbols},
        idempotency_key=None,
    )
    sim_id = f"sim-{job.id[:8]}"
    resources.add(
        db,
        SimulationRow(
            id=sim_id,
            job_id=job.id,
            created_at=utcnow(),
            strategy=strategy,
            symbols=list(symbols),
            request={},
        ),
    )
    return sim_id


def _trade(seq: int, pnl: float, symbol: str = "SP500") -> dict:
    return {
        "seq": seq, "symbol": symbol, "direction": "long", "quantity": 1.0,
        "entry_time": T0 + timedelta(days=seq), "entry_price": 100.0,
        "exit_time": None if seq == 2 else T0 + timedelta(days=seq + 1), "exit_price": None if seq == 2 else 100.0 + pnl,
        "pnl": pnl, "return_pct": pnl, "fees": 0.1, "slippage": 0.0, "is_open": seq == 2,
    }  # fmt: skip


def test_results_round_trip_and_trades_sort(database: Database) -> None:
    sim_id = _simulation(database)
    summary = {"portfolio_end": 101.5, "sharpe": None, "warnings": []}
    equity = {
        "timestamps": [T0.isoformat()],
        "equity": [100.0],
        "drawdown_pct": [0.0],
        "benchmark": [None],
    }
    sims.save_result(
        database,
        sim_id,
        summary=summary,
        equity=equity,
        trades=[_trade(0, 5.0), _trade(1, -3.0), _trade(2, 1.0)],
    )
    row, job = resources.with_job(database, SimulationRow, sim_id)
    assert row.summary == summary and row.equity == equity and job.kind == "simulation"
    by_pnl, total = sims.trades_page(database, sim_id, sort="-pnl", limit=2, offset=0)
    assert total == 3 and [t.pnl for t in by_pnl] == [5.0, 1.0]
    assert by_pnl[0].entry_time == T0  # time zones survive the round trip
    open_trade = sims.trades_page(database, sim_id, sort="seq", limit=10, offset=2)[0][0]
    assert open_trade.is_open and open_trade.exit_time is None and open_trade.exit_price is None
    # a retried run replaces what a partial one stored
    sims.save_result(database, sim_id, summary=summary, equity=equity, trades=[_trade(0, 2.0)])
    assert sims.trades_page(database, sim_id, sort="seq", limit=10, offset=0)[1] == 1


def test_unknown_ids_and_sorts_are_clear_errors(database: Database) -> None:
    with pytest.raises(NotFound, match="no simulation with id 'x'"):
        resources.with_job(database, SimulationRow, "x")
    with pytest.raises(NotFound, match="no sweep with id 'y'") as err:
        resources.with_job(database, SweepRow, "y")
    assert err.value.field == "sweep_id"
    with pytest.raises(NotFound, match="no stress test with id 'z'"):
        resources.with_job(database, StressTestRow, "z")
    with pytest.raises(NotFound, match="job j has no sweep row"):
        resources.of_job(database, SweepRow, "j")
    sim_id = _simulation(database)
    with pytest.raises(ValidationError, match="cannot sort trades by 'colour'"):
        sims.trades_page(database, sim_id, sort="colour", limit=1, offset=0)


def test_list_filters_by_strategy_status_and_symbol(database: Database) -> None:
    a = _simulation(database, "sma_crossover", ("SP500",))
    b = _simulation(database, "buy_and_hold", ("SP500", "NASDAQ"))
    rows, total = sims.list_simulations(
        database, strategy=None, status=None, symbol="NASDAQ", limit=10, offset=0
    )
    assert total == 1 and rows[0][0].id == b
    for partial in ("SP5", "_P500", "%"):  # whole symbols only; LIKE wildcards are literal
        assert (
            sims.list_simulations(
                database, strategy=None, status=None, symbol=partial, limit=10, offset=0
            )[1]
            == 0
        )
    rows, _ = sims.list_simulations(
        database, strategy="sma_crossover", status="queued", symbol=None, limit=10, offset=0
    )
    assert [r[0].id for r in rows] == [a]


def test_sweep_job_can_be_replaced_for_a_resume(database: Database) -> None:
    first, _ = store.create(
        database, kind="sweep", queue="simulation", params={"n": 1}, idempotency_key=None
    )
    second, _ = store.create(
        database, kind="sweep", queue="simulation", params={"n": 2}, idempotency_key=None
    )
    resources.add(
        database,
        SweepRow(
            id="sw", job_id=first.id, created_at=utcnow(), request={}, n_combinations=4, n_chunks=2
        ),
    )
    resources.relink(database, SweepRow, "sw", second.id)
    assert resources.with_job(database, SweepRow, "sw")[1].id == second.id
    assert resources.by_job(database, SweepRow, second.id) is not None
    assert resources.by_job(database, SweepRow, first.id) is None
    sims.set_result(database, SweepRow, "sw", {"best": {"sharpe": 1.2}})
    assert resources.with_job(database, SweepRow, "sw")[0].result == {"best": {"sharpe": 1.2}}
