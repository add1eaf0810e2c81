"""Celery worker for the `training` queue: `celery -A trainer.worker worker -Q training`."""

from celery.signals import setup_logging as celery_setup_logging

from shared.config import get_settings
from shared.jobs.celery_app import make_celery
from shared.jobs.worker_runtime import WorkerRuntime
from shared.logs import setup_logging
from trainer.tasks import register_training_jobs

settings = get_settings()
app = make_celery("trainer", settings)
register_training_jobs(app, WorkerRuntime(settings))


@celery_setup_logging.connect
def _configure_logging(**_: object) -> None:
    setup_logging("worker-training", settings.logs_path, settings.log_level)
