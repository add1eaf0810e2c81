"""An RL agent's training job on builtin data with a real database: it registers one version
whose metadata carries the out-of-sample figures, an independent replay of the stored policy
gives the same figures, a simulation decides with the verified policy, and a cancel leaves
nothing."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from shared.backtest_spec import run_spec
from shared.config import Settings
from shared.errors import JobCancelled
from shared.jobs.worker_runtime import JobContext, WorkerRuntime
from shared.ml.rl_bundle import load_bundle_verified
from shared.rl import build_market, run_policy
from shared.schemas.jobs import JobKind, Queue
from shared.schemas.simulations import SimulationRequest
from shared.schemas.trainings import TrainingRequest
from shared.sim import simulate
from shared.storage import jobs, resources
from shared.storage import models as registry
from shared.storage.db import utcnow
from shared.storage.migrate import upgrade
from shared.storage.tables import TrainingRow
from simulator.backtest import run_backtest
from simulator.deciders import decider_for
from simulator.panel import load_panel
from simulator.policy_decider import PolicyDecider
from trainer.tasks import training

HYPER = {"total_timesteps": 512, "n_steps": 32, "n_envs": 4, "batch_size": 64, "n_epochs": 2}
REQUEST = TrainingRequest(
    model_name="rl-unit", algorithm="ppo", hyperparameters=HYPER, symbols=["SP500"],
    start="2010-01-01", end="2014-12-31", environment={"episode_bars": 64, "eval_share": 0.25},
    costs={"commission_rate": 0.0005}, seed=5,
).model_dump(mode="json")  # fmt: skip


def _context(tmp_path: Path, redis_url: str, request: dict[str, Any]) -> JobContext:
    settings = Settings(var_dir=tmp_path, redis_url=redis_url)
    upgrade(settings.sqlalchemy_url)
    runtime = WorkerRuntime(settings)
    job, _ = jobs.create(
        runtime.db, kind=JobKind.TRAINING, queue=Queue.TRAINING, params=request,
        idempotency_key=None,
    )  # fmt: skip
    row = TrainingRow(
        id=str(uuid.uuid4()), job_id=job.id, created_at=utcnow(),
        model_name=request["model_name"], request=request,
    )  # fmt: skip
    resources.add(runtime.db, row)
    jobs.set_status(runtime.db, job.id, status="running", attempts=1)
    return JobContext(job.id, request, runtime, jobs.Attempt(job.id, 1))


def test_an_agent_trains_registers_and_drives_a_simulation(tmp_path: Path, redis_url: str) -> None:
    ctx = _context(tmp_path, redis_url, REQUEST)
    out = training(ctx)

    db, settings = ctx.runtime.db, ctx.runtime.settings
    row = registry.get_model(db, out["model_id"])
    assert (row.framework, row.algorithm, row.task) == ("stable-baselines3", "ppo", "reinforcement")
    folder = settings.artifacts_path / "rl-unit" / "v1"
    assert sorted(p.name for p in folder.iterdir()) == [
        "environment.json", "metadata.json", "policy.safetensors", "policy_config.json",
    ]  # fmt: skip
    bundle, meta = load_bundle_verified(folder, row.checksum)
    assert meta["package_versions"]["stable-baselines3"] != "not installed"
    assert {"oos_sharpe", "oos_total_return_pct", "buy_and_hold_total_return_pct"} <= set(
        meta["metrics"]
    )
    train_w, eval_w = meta["validation"]["train"], meta["validation"]["evaluation"]
    assert train_w["end"] < eval_w["start"]  # judged on later, unseen bars only
    assert meta["training"]["timesteps"] >= 512 and meta["curve"]

    # Independently: the stored policy over the evaluation window, filled by simulate().
    req = TrainingRequest.model_validate(REQUEST)
    bars = {"SP500": ctx.runtime.market.bars("builtin", "SP500", req.start, req.end, "1d")}
    market = build_market(bars, bundle.environment.features).between(eval_w["start"], None)
    config = bundle.environment.config(run_spec(req))
    targets = run_policy(market, bundle.environment.scaler, config, bundle.policy.predict)
    replay = simulate(market.price_frames(), targets, config.spec).summary
    assert replay["total_return_pct"] == pytest.approx(meta["metrics"]["oos_total_return_pct"])
    assert replay["benchmark_total_return_pct"] == pytest.approx(
        meta["metrics"]["buy_and_hold_total_return_pct"]
    )

    # A simulation with the model: the policy replayed on the simulation's own bars (features
    # warmed up on the history before its start: EMA-like features depend on that history, so
    # it is the replay on these bars, not the training's, that it must equal).
    sim = SimulationRequest(
        model_id=row.id, source="builtin", symbols=["SP500"], start=eval_w["start"][:10],
        end="2014-12-31", costs={"commission_rate": 0.0005},
    )  # fmt: skip
    decider = decider_for(sim, db, settings)
    assert isinstance(decider, PolicyDecider)
    panel = load_panel(ctx.runtime.market, sim, decider.history)
    result = run_backtest(sim, panel, decider)
    assert panel.bars is not None
    own = build_market(panel.bars, bundle.environment.features).between(eval_w["start"], None)
    own_targets = run_policy(own, bundle.environment.scaler, config, bundle.policy.predict)
    expected = simulate(own.price_frames(), own_targets, run_spec(sim))
    assert list(result.equity.index) == list(expected.equity.index)
    assert result.equity.to_numpy() == pytest.approx(expected.equity.to_numpy(), rel=1e-12)
    trades = expected.summary["total_trades"]
    assert isinstance(trades, int) and trades > 0 and result.summary["total_trades"] == trades
    assert not any("in-sample" in w for w in decider.warnings(panel))


def test_a_cancelled_agent_training_registers_nothing(tmp_path: Path, redis_url: str) -> None:
    request = {**REQUEST, "model_name": "rl-cancel"}
    request["hyperparameters"] = {**HYPER, "total_timesteps": 200_000}
    ctx = _context(tmp_path, redis_url, request)
    seen: list[str] = []
    progress = ctx.progress

    def cancel_once_training(fraction: float, message: str = "") -> None:
        seen.append(message)
        if message.startswith("timesteps"):  # the user cancels; the callback's poll sees it
            jobs.set_status(ctx.runtime.db, ctx.job_id, cancel_requested=True)
            return
        progress(fraction, message)

    ctx.progress = cancel_once_training  # type: ignore[method-assign]
    with pytest.raises(JobCancelled):
        training(ctx)
    assert any(m.startswith("timesteps") for m in seen)
    assert not any(m.startswith("evaluating") for m in seen)  # stopped inside training
    assert registry.list_models(ctx.runtime.db, name="rl-cancel", limit=5, offset=0)[1] == 0
    assert not (ctx.runtime.settings.artifacts_path / "rl-cancel").exists()
