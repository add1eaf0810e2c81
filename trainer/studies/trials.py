"""A study's work on the training workers: the coordinating job fans its trials out as chunks
(one trial each, on every training worker); a chunk asks Optuna for a trial, trains and judges
the agent, tells Optuna, and stages the policy outside the registry; the finalize step ranks the
trials and deflates the winner's Sharpe ratio.

No task waits for another: the chord's callback runs once every trial is stored, so a single
worker works through a study one trial at a time. A trial a killed worker left running in Optuna
is failed when its chunk is redelivered or resumed, and a new trial takes its place.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from shared.errors import AppError
from shared.jobs.fanout import dispatch
from shared.jobs.worker_runtime import Detached, JobContext, WorkerRuntime
from shared.ml.rl_pipeline import train_policy
from shared.ml.study_report import COMPLETE, FAILED, return_stats, study_report
from shared.ml.training import bars_fingerprint
from shared.schemas.jobs import JobKind
from shared.schemas.studies import StudyRequest
from shared.storage import jobs as job_store
from shared.storage import resources, studies
from shared.storage.db import utcnow
from shared.storage.tables import StudyRow
from trainer.rl_plan import plan_rl_training, rl_model_metadata
from trainer.store import remove_artifact, write_model
from trainer.studies.plan import plan_study, trial_request
from trainer.studies.staging import discard_staged, staging_dir, sweep_staged
from trainer.studies.storage import optuna_storage

log = logging.getLogger(__name__)
CHUNK_ATTR = "chunk"


def study_job(ctx: JobContext) -> Detached:
    """Create the Optuna study (or find it, when resumed) and fan out the trials not yet done."""
    row = resources.of_job(ctx.runtime.db, StudyRow, ctx.job_id)
    # what studies that ended since left staged (cancelled, failed, registered) goes now
    sweep_staged(ctx.runtime.db, ctx.runtime.settings.artifacts_path)
    _optuna_study(ctx.runtime, row.id, StudyRequest.model_validate(row.request).seed)
    return dispatch(ctx, JobKind.STUDY, row.id, row.n_trials)


def _optuna_study(runtime: WorkerRuntime, study_id: str, seed: int) -> Any:
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    return optuna.create_study(
        storage=optuna_storage(runtime.settings.sqlalchemy_url), study_name=study_id,
        direction="maximize", load_if_exists=True, sampler=optuna.samplers.TPESampler(seed=seed),
    )  # fmt: skip


def run_trial(runtime: WorkerRuntime, study_id: str, idx: int) -> dict[str, Any]:
    """Chunk `idx`: one trial asked of Optuna, trained, judged out of sample, told back."""
    from optuna.samplers import TPESampler
    from optuna.trial import TrialState

    row, _ = resources.with_job(runtime.db, StudyRow, study_id)
    req = StudyRequest.model_validate(row.request)
    space = plan_study(req, max_trials=req.n_trials)
    study = _optuna_study(runtime, study_id, req.seed)
    # Seeded per chunk: workers asking at once must not draw the same point from one seed.
    study.sampler = TPESampler(seed=req.seed + idx)
    fail_abandoned(study, idx)
    trial = study.ask()
    trial.set_user_attr(CHUNK_ATTR, idx)
    algorithm, values = space.sample(trial)
    out: dict[str, Any] = {
        "number": idx, "optuna_number": trial.number, "algorithm": algorithm,
        "hyperparameters": values,
    }  # fmt: skip
    try:
        out |= _train_trial(runtime, row, req, algorithm, values, idx)
    except AppError as exc:
        out |= {"state": FAILED, "error": exc.detail}
    except Exception as exc:  # a trial that crashes is a failed trial; the study goes on
        log.exception("trial %s of study %s failed", idx, study_id)
        out |= {"state": FAILED, "error": f"{type(exc).__name__}: {exc}"}
    if out["state"] == COMPLETE and out["value"] is not None:
        study.tell(trial, out["value"])
    else:
        study.tell(trial, state=TrialState.FAIL)
    staged = out.pop("staged", None)
    return {"trial": out, "staged": staged}


def fail_abandoned(study: Any, idx: int) -> list[int]:
    """Fail the trials chunk `idx` left running (its worker died mid-trial); their numbers.

    Only this chunk's: another chunk's running trial is alive on another worker.
    """
    from optuna.trial import TrialState

    failed = []
    for stale in study.get_trials(deepcopy=False, states=(TrialState.RUNNING,)):
        if stale.user_attrs.get(CHUNK_ATTR) == idx:
            study.tell(stale.number, state=TrialState.FAIL)
            failed.append(stale.number)
    return failed


def _train_trial(
    runtime: WorkerRuntime, row: StudyRow, req: StudyRequest, algorithm: str,
    values: dict[str, Any], idx: int,
) -> dict[str, Any]:  # fmt: skip
    treq = trial_request(req, algorithm, values)
    plan = plan_rl_training(treq, device="cpu")
    market = runtime.market
    bars = {s: market.bars(req.source, s, req.start, req.end, req.interval) for s in req.symbols}

    def cancelled() -> bool:
        return job_store.get(runtime.db, row.job_id).cancel_requested

    started = time.perf_counter()
    trained = train_policy(bars, plan, lambda fraction, message: None, cancelled)
    if trained is None:
        return {"state": FAILED, "error": "cancelled"}
    seconds = time.perf_counter() - started
    metrics = trained.report["metrics"]
    stats = return_stats(trained.backtest.equity.pct_change().to_numpy()[1:])
    metadata = rl_model_metadata(
        treq, plan, trained, version=0, created=utcnow(), fingerprint=bars_fingerprint(bars),
        bars_per_symbol={s: len(b) for s, b in bars.items()}, seconds=seconds,
    )  # fmt: skip
    metadata["study"] = {"study_id": row.id, "trial": idx, "objective": req.objective}
    store = runtime.settings.artifacts_path
    remove_artifact(store / staging_dir(row.id, idx))  # a redelivered trial trains afresh
    _, checksum = write_model(store, staging_dir(row.id, idx), trained.bundle, metadata)
    return {
        "state": COMPLETE, "value": metrics.get(req.objective), "metrics": metrics, **stats,
        "seconds": round(seconds, 3),
        "staged": {"dir": staging_dir(row.id, idx), "checksum": checksum},
    }  # fmt: skip


def finalize(runtime: WorkerRuntime, study_id: str, chunks: list[dict[str, Any]]) -> dict[str, Any]:
    """Rank the trials, each algorithm's best, the winner's deflated Sharpe ratio and verdict."""
    row, _ = resources.with_job(runtime.db, StudyRow, study_id)
    req = StudyRequest.model_validate(row.request)
    report = study_report([c["trial"] for c in chunks], req.objective, req.algorithms)
    studies.set_result(runtime.db, study_id, report)
    best = report["best"]
    # only the best trial's policy can be registered; the others' are not needed any more
    keep = int(best["number"]) if best else None
    discard_staged(runtime.settings.artifacts_path, study_id, keep=keep)
    return {
        "study_id": study_id,
        "best_trial": best["number"] if best else None,
        "likely_luck": report["overfitting"]["likely_luck"],
    }
