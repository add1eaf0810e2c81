"""Celery worker for the `simulation` queue: `celery -A simulator.worker worker -Q simulation`."""

from celery.signals import setup_logging as celery_setup_logging

from shared.config import get_settings
from shared.jobs.celery_app import make_celery
from shared.jobs.worker_runtime import WorkerRuntime
from shared.logs import setup_logging
from simulator.tasks import register_simulation_jobs

settings = get_settings()
app = make_celery("simulator", settings)
register_simulation_jobs(app, WorkerRuntime(settings))


@celery_setup_logging.connect
def _configure_logging(**_: object) -> None:
    setup_logging("worker-simulation", settings.logs_path, settings.log_level)
