"""The running platform as the integration tests see it, and a switch to pause its workers."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from celery import Celery

from shared.config import Settings
from shared.jobs.celery_app import make_celery
from shared.jobs.events import EventPublisher
from shared.storage.db import Database


@dataclass
class Stack:
    """The whole platform running as real processes on free ports."""

    settings: Settings
    env: dict[str, str]
    db: Database
    gateway_url: str
    simulator_url: str
    trainer_url: str
    log_dir: Path

    def celery(self) -> Celery:
        return make_celery("tests", self.settings)

    def events(self) -> EventPublisher:
        import redis

        return EventPublisher(redis.Redis.from_url(self.settings.redis_url))


SIMULATION_WORKERS = ("simulation", "simulation-b")


class QueuePause:
    """Stops the simulation workers taking jobs until `resume()`, so a test can listen first."""

    def __init__(self, stack: Stack) -> None:
        import socket

        self.celery = stack.celery()
        self.workers = [f"{name}@{socket.gethostname()}" for name in SIMULATION_WORKERS]
        self.celery.control.cancel_consumer("simulation", reply=True, destination=self.workers)

    def resume(self) -> None:
        self.celery.control.add_consumer("simulation", reply=True, destination=self.workers)
