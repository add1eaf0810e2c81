"""A training's progress as job progress: a few reports a second, each a cancellation check."""

from __future__ import annotations

import time
from collections.abc import Callable

from shared.jobs.worker_runtime import JobContext

PROGRESS_INTERVAL_S = 0.25
TRAIN_START, TRAIN_SHARE = 0.02, 0.9  # the job's bar: loading bars before, saving after


def throttled_progress(ctx: JobContext) -> Callable[[float, str], None]:
    """progress(fraction of the training, message) for `ctx`; raises JobCancelled when asked."""
    last_report = [0.0]

    def progress(fraction: float, message: str) -> None:
        # Called after every boosting round, epoch or callback report; each report is a database
        # write and a cancellation check, so a few a second are enough (and rounds stay cheap).
        now = time.monotonic()
        if now - last_report[0] >= PROGRESS_INTERVAL_S or fraction >= 1.0:
            last_report[0] = now
            ctx.progress(TRAIN_START + TRAIN_SHARE * fraction, message)

    return progress
