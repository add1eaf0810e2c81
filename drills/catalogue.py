"""Every drill, in the order `make chaos` runs them."""

from __future__ import annotations

from drills import artifacts, second_host, services, workers
from drills.runner import Drill

DRILLS: list[Drill] = [*workers.DRILLS, *services.DRILLS, *artifacts.DRILLS, *second_host.DRILLS]
