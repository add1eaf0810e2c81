"""Wire schemas of Monte Carlo stress tests of a finished simulation."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from shared.schemas.base import RequestModel
from shared.schemas.jobs import JobOut, JobStatus
from shared.schemas.pages import Page

StressMethod = Literal["bootstrap", "garch"]
STRESS_METHODS: tuple[StressMethod, ...] = ("bootstrap", "garch")


class StressRequest(RequestModel):
    """Monte Carlo scenarios around a finished simulation: resampled markets, costlier fills."""

    model_config = ConfigDict(extra="forbid")

    n_scenarios: int = Field(200, ge=10, description="paths to simulate")
    methods: list[StressMethod] = Field(default_factory=lambda: list(STRESS_METHODS), min_length=1)
    block_size: int = Field(20, ge=1, le=500, description="bars per bootstrap block")
    commission_multipliers: list[float] = Field(default_factory=lambda: [1.0, 2.0], min_length=1)
    slippage_multipliers: list[float] = Field(default_factory=lambda: [1.0, 3.0], min_length=1)
    extra_delay_bars: list[int] = Field(default_factory=lambda: [0, 1], min_length=1)
    seed: int = Field(0, ge=0)
    chunk_size: int = Field(25, ge=1, le=1000)

    @field_validator("commission_multipliers", "slippage_multipliers")
    @classmethod
    def _non_negative(cls, values: list[float]) -> list[float]:
        if any(v < 0 for v in values):
            raise ValueError("multipliers cannot be negative")
        return values

    @field_validator("extra_delay_bars")
    @classmethod
    def _delays(cls, values: list[int]) -> list[int]:
        if any(not 0 <= v <= 50 for v in values):
            raise ValueError("extra delays must lie in 0..50 bars")
        return values


class StressAccepted(BaseModel):
    job: JobOut
    stress_id: str
    simulation_id: str


class Histogram(BaseModel):
    """Scenario counts in equal-width bins: bin i holds edges[i] <= value < edges[i + 1] (the last
    bin also holds its right edge), so the counts add up to the scenarios with a defined value."""

    edges: list[float]
    counts: list[int]


class Distribution(BaseModel):
    """Mean, percentiles and histogram of one outcome over the scenarios (null when none is
    defined; the histogram is also null in reports made before it existed)."""

    mean: float | None
    p5: float | None
    p25: float | None
    p50: float | None
    p75: float | None
    p95: float | None
    histogram: Histogram | None = None


class ScenarioSummary(BaseModel):
    """Outcomes over a set of scenarios, and how often the strategy lost money."""

    n_scenarios: int
    prob_loss: float = Field(description="share of scenarios ending below the initial cash")
    portfolio_end: Distribution
    total_return_pct: Distribution
    max_drawdown_pct: Distribution
    sharpe: Distribution


class Baseline(BaseModel):
    """The stressed simulation's own outcome, for comparison."""

    portfolio_end: float | None
    total_return_pct: float | None
    max_drawdown_pct: float | None
    sharpe: float | None


class StressReport(BaseModel):
    baseline: Baseline
    all: ScenarioSummary
    by_method: dict[StressMethod, ScenarioSummary]
    percentiles: list[int]


class StressOut(BaseModel):
    stress_id: str
    simulation_id: str
    status: JobStatus
    job_id: str
    progress: float
    created_at: datetime
    error: str | None = None
    result: StressReport | None = None
    request: StressRequest


class StressTestsPage(Page[StressOut]):
    """Stress tests of one simulation, newest first."""
