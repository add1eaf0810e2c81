"""The training job of an RL agent: bars, the agent trained and evaluated, the policy stored."""

from __future__ import annotations

import time
from typing import Any

from shared.errors import JobCancelled
from shared.jobs.worker_runtime import JobContext
from shared.ml.algorithms import get_algorithm
from shared.ml.device import resolve_device
from shared.ml.rl_pipeline import train_policy
from shared.schemas.trainings import TrainingRequest
from shared.storage import trainings
from shared.storage.tables import TrainingRow
from trainer.progress import throttled_progress
from trainer.rl_plan import plan_rl_training, rl_model_metadata
from trainer.versions import store_next_version


def train_agent_job(ctx: JobContext, req: TrainingRequest, row: TrainingRow) -> dict[str, Any]:
    """Train the agent on the earlier bars, evaluate it on the later ones, register its policy."""
    values = get_algorithm(req.algorithm).validate(req.hyperparameters)
    plan = plan_rl_training(req, device=resolve_device(req.device, req.algorithm, values))
    ctx.progress(0.01, "loading bars")
    market = ctx.runtime.market
    bars = {s: market.bars(req.source, s, req.start, req.end, req.interval) for s in req.symbols}

    def should_stop() -> bool:
        # Polled by the SB3 callback every ~1,000 timesteps: a cancel ends learn() cleanly.
        try:
            ctx.check_cancelled()
        except JobCancelled:
            return True
        return False

    started = time.perf_counter()
    trained = train_policy(bars, plan, throttled_progress(ctx), should_stop)
    if trained is None:
        raise JobCancelled(ctx.job_id)  # stopped mid-training: nothing is stored
    seconds = time.perf_counter() - started
    ctx.progress(0.95, "saving the policy")  # a last cancellation check before writing
    model = store_next_version(
        ctx, row, req, trained.bundle, trained.report["dataset"], bars,
        lambda version, created, fingerprint: rl_model_metadata(
            req, plan, trained, version=version, created=created, fingerprint=fingerprint,
            bars_per_symbol={s: len(b) for s, b in bars.items()}, seconds=seconds,
        ),
    )  # fmt: skip
    trainings.set_result(ctx.runtime.db, row.id, model.id, trained.report)
    return {"training_id": row.id, "model_id": model.id, "version": model.version}
