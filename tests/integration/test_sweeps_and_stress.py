"""Sweeps and stress tests through the gateway, fanned out over two simulation workers."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import delete, select

from shared.storage import jobs as store
from shared.storage.tables import ChunkRow
from tests.support.processes import wait_until
from tests.support.stack import Stack

pytestmark = pytest.mark.integration

BASE = {
    "strategy": "sma_crossover", "source": "builtin", "symbols": ["SP500"],
    "start": "2005-01-01", "end": "2015-12-31", "costs": {"commission_rate": 0.0005, "slippage_bps": 2},
}  # fmt: skip
SWEEP = {**BASE, "grid": {"fast": {"start": 5, "stop": 50, "step": 5}, "slow": [60, 100, 150, 200]},
         "chunk_size": 5}  # fmt: skip
FINAL = {"succeeded", "failed", "cancelled"}


def _api(stack: Stack) -> httpx.Client:
    return httpx.Client(base_url=stack.gateway_url + "/api/v1", timeout=60)


def _wait(api: httpx.Client, path: str, timeout_s: float = 180) -> dict:
    wait_until(lambda: api.get(path).json()["status"] in FINAL, timeout_s, path)
    return api.get(path).json()


def _chunks(stack: Stack, owner: str) -> dict[int, ChunkRow]:
    with stack.db.session() as s:
        return {r.idx: r for r in s.scalars(select(ChunkRow).where(ChunkRow.owner_id == owner))}


@pytest.fixture(scope="module")
def finished_sweep(stack: Stack) -> dict:
    with _api(stack) as api:
        resp = api.post("/sweeps", json=SWEEP)
        assert resp.status_code == 202, resp.text
        body = resp.json()
        assert (body["n_combinations"], body["n_chunks"]) == (40, 8)
        return _wait(api, f"/sweeps/{body['sweep_id']}")


def test_sweep_runs_in_chunks_on_both_workers(stack: Stack, finished_sweep: dict) -> None:
    assert finished_sweep["status"] == "succeeded", finished_sweep
    chunks = _chunks(stack, finished_sweep["sweep_id"])
    assert sorted(chunks) == list(range(8))
    hosts = {c.worker.split("@")[0] for c in chunks.values()}
    assert hosts == {"simulation", "simulation-b"}, hosts


def test_sweep_reports_the_best_and_how_likely_it_is_luck(
    stack: Stack, finished_sweep: dict
) -> None:
    result = finished_sweep["result"]
    assert result["n_combinations"] == 40 and result["metric"] == "sharpe"
    sharpes = [r["sharpe"] for r in result["top"]]
    assert sharpes == sorted(sharpes, reverse=True) and result["best"] == result["top"][0]
    report = result["overfitting"]
    assert report["n_trials"] == 40
    assert 0.0 <= report["deflated_sharpe_ratio"] <= 1.0
    assert report["pbo"] is not None and 0.0 <= report["pbo"] <= 1.0
    assert isinstance(report["likely_luck"], bool) and report["verdict"].startswith(
        "The best of 40"
    )
    with _api(stack) as api:
        combos = api.get(
            f"/sweeps/{finished_sweep['sweep_id']}/combinations", params={"limit": 100}
        ).json()
        assert combos["total"] == 40
        assert {(c["params"]["fast"], c["params"]["slow"]) for c in combos["items"]} == {
            (f, s) for f in range(5, 55, 5) for s in (60, 100, 150, 200)
        }
        # whole-number parameters stay whole numbers, in the ranking and in the report
        assert all(isinstance(v, int) for c in combos["items"] for v in c["params"].values())
        assert all(isinstance(v, int) for v in result["best"]["params"].values())
        # The best combination, run as an ordinary simulation, gives the same numbers.
        best = result["best"]
        sim = api.post("/simulations", json={**BASE, "params": best["params"]}).json()
        single = _wait(api, f"/simulations/{sim['simulation_id']}")
    assert single["metrics"]["sharpe"] == pytest.approx(best["sharpe"], rel=1e-12)
    assert single["portfolio_end"] == pytest.approx(best["portfolio_end"], rel=1e-12)


def test_the_same_idempotency_key_gives_the_same_sweep(stack: Stack) -> None:
    small = {**SWEEP, "grid": {"fast": [5, 10], "slow": [60]}}
    headers = {"Idempotency-Key": "sweep-repeat-1"}
    with _api(stack) as api:
        before = api.get("/sweeps").json()["total"]
        first = api.post("/sweeps", json=small, headers=headers)
        again = api.post("/sweeps", json=small, headers=headers)
        other = api.post("/sweeps", json={**small, "chunk_size": 1}, headers=headers)
        assert api.get("/sweeps").json()["total"] == before + 1
        _wait(api, f"/sweeps/{first.json()['sweep_id']}")
    assert first.status_code == again.status_code == 202
    assert again.json()["sweep_id"] == first.json()["sweep_id"]
    assert again.json()["job"]["id"] == first.json()["job"]["id"]
    assert other.status_code == 409 and other.json()["code"] == "idempotency_conflict"


def test_a_resumed_sweep_recomputes_only_lost_chunks(stack: Stack, finished_sweep: dict) -> None:
    sweep_id = finished_sweep["sweep_id"]
    before = _chunks(stack, sweep_id)
    with stack.db.transaction() as s:  # as if the workers died after five chunks
        s.execute(
            delete(ChunkRow).where(ChunkRow.owner_id == sweep_id, ChunkRow.idx.in_([1, 4, 6]))
        )
    store.set_status(stack.db, finished_sweep["job_id"], status="failed", error="worker lost")
    with _api(stack) as api:
        resp = api.post(f"/sweeps/{sweep_id}/resume")
        assert resp.status_code == 202, resp.text
        assert resp.json()["job"]["id"] != finished_sweep["job_id"]
        resumed = _wait(api, f"/sweeps/{sweep_id}")
        assert resumed["status"] == "succeeded"
        again = api.post(f"/sweeps/{sweep_id}/resume")
        assert again.status_code == 409
    after = _chunks(stack, sweep_id)
    kept = [i for i in range(8) if i not in (1, 4, 6)]
    assert all(after[i].finished_at == before[i].finished_at for i in kept)
    assert all(after[i].finished_at > before[i].finished_at for i in (1, 4, 6))
    assert resumed["result"]["best"] == finished_sweep["result"]["best"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"grid": {"fast": list(range(2, 1200)), "slow": list(range(3, 1000))}}, "grid"),  # 1.19M
        ({"grid": {"speed": [1, 2]}}, "grid.speed"),
        ({"grid": {"fast": [60], "slow": [50]}}, "grid"),
        ({"strategy": "nope"}, "strategy"),
    ],
)
def test_bad_sweeps_are_refused_naming_the_field(stack: Stack, change: dict, field: str) -> None:
    with _api(stack) as api:
        resp = api.post("/sweeps", json={**SWEEP, **change})
    assert resp.status_code == 422, resp.text
    assert resp.json()["field"] == field


def test_stress_test_reports_distributions_independent_of_chunking(stack: Stack) -> None:
    with _api(stack) as api:
        sim = api.post("/simulations", json={**BASE, "params": {"fast": 20, "slow": 100}}).json()
        sim_id = sim["simulation_id"]
        assert _wait(api, f"/simulations/{sim_id}")["status"] == "succeeded"
        runs = []
        for chunk_size in (10, 7):
            resp = api.post(f"/simulations/{sim_id}/stress", json={
                "n_scenarios": 40, "chunk_size": chunk_size, "seed": 7, "block_size": 10,
                "commission_multipliers": [1, 2], "slippage_multipliers": [1, 4], "extra_delay_bars": [0, 1],
            })  # fmt: skip
            assert resp.status_code == 202, resp.text
            runs.append(_wait(api, f"/simulations/{sim_id}/stress/{resp.json()['stress_id']}"))
        listed = api.get(f"/simulations/{sim_id}/stress").json()
        assert listed["total"] == 2
    first, second = (r["result"] for r in runs)
    assert runs[0]["status"] == "succeeded"
    assert first["all"] == second["all"]  # scenario i depends only on (seed, i)
    assert first["all"]["n_scenarios"] == 40
    assert {m: v["n_scenarios"] for m, v in first["by_method"].items()} == {
        "bootstrap": 20,
        "garch": 20,
    }
    for outcome in ("portfolio_end", "max_drawdown_pct", "sharpe"):
        dist = first["all"][outcome]
        values = [dist[f"p{p}"] for p in (5, 25, 50, 75, 95)]
        assert values == sorted(values), (outcome, dist)
        assert sum(dist["histogram"]["counts"]) == 40, (outcome, dist)
    assert 0.0 <= first["all"]["prob_loss"] <= 1.0
    assert first["baseline"]["portfolio_end"] == pytest.approx(sim_end(stack, sim_id))


def sim_end(stack: Stack, sim_id: str) -> float:
    with _api(stack) as api:
        return float(api.get(f"/simulations/{sim_id}").json()["portfolio_end"])


def test_stress_of_unknown_or_unfinished_simulation_is_refused(stack: Stack) -> None:
    with _api(stack) as api:
        missing = api.post("/simulations/nope/stress", json={"n_scenarios": 20})
        assert missing.status_code == 404
        too_many = api.post("/simulations/nope/stress", json={"n_scenarios": 10**7})
        assert too_many.status_code == 422 and too_many.json()["field"] == "n_scenarios"
