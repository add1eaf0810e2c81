"""Job kinds, the queue each runs on, and the status vocabulary."""

from enum import StrEnum


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


FINAL_STATUSES = frozenset({JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED})


class JobKind(StrEnum):
    DATA_DOWNLOAD = "data_download"
    SIMULATION = "simulation"
    SWEEP = "sweep"
    STRESS_TEST = "stress_test"


class Queue(StrEnum):
    TRAINING = "training"
    SIMULATION = "simulation"


QUEUE_OF: dict[str, str] = {
    JobKind.DATA_DOWNLOAD: Queue.SIMULATION,
    JobKind.SIMULATION: Queue.SIMULATION,
    JobKind.SWEEP: Queue.SIMULATION,
    JobKind.STRESS_TEST: Queue.SIMULATION,
}
