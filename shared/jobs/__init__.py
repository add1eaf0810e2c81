"""The job system: durable job rows, Celery tasks that do the work, live progress, cancellation."""

from shared.jobs.kinds import FINAL_STATUSES, QUEUE_OF, JobKind, JobStatus

__all__ = ["FINAL_STATUSES", "QUEUE_OF", "JobKind", "JobStatus"]
