"""Backtests through the gateway: a real worker runs them; results are stored and served."""

from __future__ import annotations

import httpx
import pytest

from tests.support.processes import wait_until
from tests.support.stack import Stack

pytestmark = pytest.mark.integration

SEED_KEYS = [
    "simulation_id", "model_used", "start_date", "end_date", "portfolio_start", "portfolio_end",
    "total_trades", "max_drawdown_pct", "avg_trade_return_pct", "best_trade_return_pct",
    "worst_trade_return_pct",
]  # fmt: skip
SMA = {
    "strategy": "sma_crossover", "params": {"fast": 20, "slow": 100}, "source": "builtin",
    "symbols": ["SP500"], "start": "2005-01-01", "end": "2015-12-31", "initial_cash": 100000,
    "costs": {"commission_rate": 0.0005, "slippage_bps": 2},
}  # fmt: skip


def _api(stack: Stack) -> httpx.Client:
    return httpx.Client(base_url=stack.gateway_url + "/api/v1", timeout=60)


def _finished(api: httpx.Client, simulation_id: str) -> dict:
    final = {"succeeded", "failed", "cancelled"}
    wait_until(
        lambda: api.get(f"/simulations/{simulation_id}").json()["status"] in final,
        120,
        "simulation",
    )
    return api.get(f"/simulations/{simulation_id}").json()


def test_sma_crossover_on_real_data_serves_summary_trades_and_equity(stack: Stack) -> None:
    with _api(stack) as api:
        resp = api.post("/simulations", json=SMA)
        assert resp.status_code == 202, resp.text
        sim_id = resp.json()["simulation_id"]
        sim = _finished(api, sim_id)
        assert sim["status"] == "succeeded", sim
        assert all(sim[k] is not None for k in SEED_KEYS), sim
        assert sim["model_used"] == "sma_crossover(fast=20, slow=100)"
        assert sim["start_date"].startswith("2005-01-03") and sim["end_date"].startswith(
            "2015-12-31"
        )
        assert sim["request"]["symbols"] == ["SP500"]
        for key in (
            "sharpe",
            "sortino",
            "calmar",
            "win_rate_pct",
            "fees_paid",
            "benchmark_total_return_pct",
        ):
            assert key in sim["metrics"]

        trades = _all_trades(api, sim_id)
        assert len(trades) == sim["total_trades"] > 0
        returns = [t["return_pct"] for t in trades]
        assert max(returns) == pytest.approx(sim["best_trade_return_pct"])
        assert min(returns) == pytest.approx(sim["worst_trade_return_pct"])
        assert sum(returns) / len(returns) == pytest.approx(sim["avg_trade_return_pct"])
        by_pnl = api.get(
            f"/simulations/{sim_id}/trades", params={"sort": "-pnl", "limit": 3}
        ).json()
        pnls = [t["pnl"] for t in by_pnl["items"]]
        assert pnls == sorted(pnls, reverse=True) and pnls[0] == max(t["pnl"] for t in trades)

        equity = api.get(f"/simulations/{sim_id}/equity").json()["items"]
        assert equity[0]["equity"] == pytest.approx(sim["portfolio_start"])
        assert equity[-1]["equity"] == pytest.approx(sim["portfolio_end"])
        values = [p["equity"] for p in equity]
        peak, worst = values[0], 0.0
        for v in values:  # drawdown from first principles
            peak = max(peak, v)
            worst = min(worst, v / peak - 1)
        assert -100 * worst == pytest.approx(sim["max_drawdown_pct"])
        assert min(p["drawdown_pct"] for p in equity) == pytest.approx(100 * worst)
        assert all(p["benchmark"] is not None for p in equity)

        listed = api.get(
            "/simulations", params={"strategy": "sma_crossover", "symbol": "SP500"}
        ).json()
        assert sim_id in [s["simulation_id"] for s in listed["items"]]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"strategy": "moon_shot"}, "strategy"),
        ({"symbols": ["NOPE"]}, "symbols"),
        ({"initial_cash": -5}, "initial_cash"),
        ({"start": "2015-01-01", "end": "2014-01-01"}, "end"),
        ({"params": {"fast": 50, "slow": 20}}, "params.fast"),
        ({"params": {"speed": 3}}, "params.speed"),
        ({"execution": {"position_size": 3, "max_leverage": 1}}, "execution.position_size"),
        ({"source": "nowhere"}, "source"),
        ({"costs": {"slippage": 5}}, "costs"),
    ],
)
def test_bad_simulation_requests_name_the_field(stack: Stack, change: dict, field: str) -> None:
    with _api(stack) as api:
        before = api.get("/simulations").json()["total"]
        resp = api.post("/simulations", json={**SMA, **change})
        assert resp.status_code == 422, resp.text
        assert resp.json()["field"] == field, resp.json()
        assert api.get("/simulations").json()["total"] == before


def test_the_same_idempotency_key_gives_the_same_simulation(stack: Stack) -> None:
    headers = {"Idempotency-Key": "simulation-repeat-1"}
    with _api(stack) as api:
        before = api.get("/simulations").json()["total"]
        first = api.post("/simulations", json=SMA, headers=headers)
        again = api.post("/simulations", json=SMA, headers=headers)
        assert api.get("/simulations").json()["total"] == before + 1
        _finished(api, first.json()["simulation_id"])
    assert first.status_code == again.status_code == 202
    assert again.json()["simulation_id"] == first.json()["simulation_id"]
    assert again.json()["job"]["id"] == first.json()["job"]["id"]


def test_unknown_simulation_is_404(stack: Stack) -> None:
    with _api(stack) as api:
        for path in ("/simulations/nope", "/simulations/nope/trades", "/simulations/nope/equity"):
            resp = api.get(path)
            assert resp.status_code == 404 and resp.json()["field"] == "simulation_id"


def test_strategies_are_listed_with_parameters(stack: Stack) -> None:
    with _api(stack) as api:
        items = {s["name"]: s for s in api.get("/strategies").json()["items"]}
    assert set(items) == {"buy_and_hold", "sma_crossover", "rsi_mean_reversion"}
    assert items["sma_crossover"]["params"]["fast"]["default"] == 20


def test_multi_asset_buy_and_hold_shares_one_account(stack: Stack) -> None:
    request = {
        "strategy": "buy_and_hold", "source": "builtin", "symbols": ["SP500", "NASDAQ"],
        "start": "2010-01-01", "end": "2012-12-31", "initial_cash": 50000,
        "costs": {"commission_rate": 0.001, "slippage_bps": 0},
    }  # fmt: skip
    with _api(stack) as api:
        sim = _finished(api, api.post("/simulations", json=request).json()["simulation_id"])
        trades = api.get(f"/simulations/{sim['simulation_id']}/trades").json()["items"]
        bars = api.get(
            "/data/bars",
            params={
                "source": "builtin",
                "symbol": "SP500",
                "start": "2010-01-01",
                "end": "2010-01-08",
            },
        ).json()["items"]
    assert sim["status"] == "succeeded" and sim["total_trades"] == 2
    assert sorted(t["symbol"] for t in trades) == ["NASDAQ", "SP500"]
    assert all(t["is_open"] for t in trades)  # held to the end, marked at the last close
    sp500 = next(t for t in trades if t["symbol"] == "SP500")
    # decided at the first close, filled at the second bar's open: no look-ahead
    assert sp500["entry_time"][:10] == bars[1]["timestamp"][:10]
    assert sp500["entry_price"] == pytest.approx(bars[1]["open"])
    # half the account each, less the 0.1% commission on each purchase
    spent = sum(t["quantity"] * t["entry_price"] + t["fees"] for t in trades)
    assert spent == pytest.approx(50000, rel=2e-3) and spent <= 50000 + 1e-6


def _all_trades(api: httpx.Client, sim_id: str) -> list[dict]:
    """Every trade, a page at a time (pages are at most MAX_PAGE_SIZE long)."""
    items: list[dict] = []
    while True:
        page = api.get(
            f"/simulations/{sim_id}/trades", params={"limit": 200, "offset": len(items)}
        ).json()
        items += page["items"]
        if len(items) >= page["total"]:
            return items
