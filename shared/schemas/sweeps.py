"""Wire schemas of parameter sweeps: the grid, each combination's metrics, the overfitting report."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.schemas.base import RequestModel
from shared.schemas.jobs import JobOut, JobStatus
from shared.schemas.pages import Page
from shared.schemas.simulations import SimulationRequest

Number = int | float
# Far above any grid a sweep may run (MAX_SWEEP_COMBINATIONS); only a bound on the arithmetic.
MAX_RANGE_VALUES = 10**12


class GridRange(RequestModel):
    """start, start+step, ... up to and including stop (whole numbers stay whole)."""

    model_config = ConfigDict(extra="forbid")

    start: Number
    stop: Number
    step: Number = Field(gt=0)

    def count(self) -> int:
        """How many values the range holds, computed without listing them."""
        if self.stop < self.start:
            raise ValueError(f"stop {self.stop} is below start {self.start}")
        steps = (self.stop - self.start) / self.step
        if not math.isfinite(steps) or steps >= MAX_RANGE_VALUES:
            raise ValueError(
                f"{{start: {self.start}, stop: {self.stop}, step: {self.step}}} holds more than "
                f"{MAX_RANGE_VALUES:,} values; use a larger step or a narrower range"
            )
        return int(steps + 1e-9) + 1

    def values(self) -> list[Number]:
        count = self.count()
        if all(isinstance(v, int) for v in (self.start, self.stop, self.step)):
            return [int(self.start + i * self.step) for i in range(count)]
        return [round(self.start + i * self.step, 10) for i in range(count)]


class SweepRequest(SimulationRequest):
    """A grid over a built-in strategy's parameters, backtested in chunks across the workers."""

    grid: dict[str, list[Number] | GridRange] = Field(
        min_length=1, description="parameter -> values, or {start, stop, step}"
    )
    metric: Literal["sharpe", "total_return_pct", "calmar", "sortino"] = "sharpe"
    chunk_size: int | None = Field(
        None,
        ge=1,
        le=100_000,
        description="combinations per worker task; unset: 100,000 on the fused kernel, 100 on "
        "the general engine",
    )

    def grid_counts(self) -> dict[str, int]:
        """Values per swept parameter, by name, without listing them."""
        counts = {}
        for name, spec in sorted(self.grid.items()):
            counts[name] = spec.count() if isinstance(spec, GridRange) else len(spec)
            if counts[name] == 0:
                raise ValueError(f"grid.{name} has no values")
        return counts

    def grid_values(self) -> dict[str, list[Number]]:
        """The values of each swept parameter, by name."""
        self.grid_counts()
        return {
            name: spec.values() if isinstance(spec, GridRange) else list(spec)
            for name, spec in sorted(self.grid.items())
        }


class SweepAccepted(BaseModel):
    job: JobOut
    sweep_id: str
    n_combinations: int
    n_chunks: int


class CombinationOut(BaseModel):
    """One backtested combination: its parameters, metrics and the statistics the verdict uses."""

    params: dict[str, Number]
    sharpe: float | None
    sortino: float | None
    calmar: float | None
    total_return_pct: float | None
    max_drawdown_pct: float | None
    portfolio_end: float | None
    total_trades: int
    sr_period: float | None = Field(description="Sharpe ratio per bar (not annualised)")
    skew: float | None
    kurtosis: float | None
    n_obs: int = Field(description="returns the Sharpe ratio is computed from")


class CombinationsPage(Page[CombinationOut]):
    """Finished combinations, best first by the sweep's metric."""


class PBODetail(BaseModel):
    """How the probability of backtest overfitting was computed (CSCV), or why it was not."""

    logit_median: float | None = None
    n_splits: int | None = None
    sampled: bool | None = None
    n_partitions: int | None = None
    oos_sharpe_of_best_mean: float | None = None
    prob_oos_loss: float | None = None
    n_combinations: int | None = Field(None, description="combinations CSCV ranked")
    combinations_sampled: bool | None = Field(
        None, description="True when CSCV ranked a seeded sample of a larger grid"
    )
    note: str | None = None


class OverfittingReport(BaseModel):
    """Whether the best combination is likely luck: deflated Sharpe ratio and PBO."""

    n_trials: int
    best_sharpe: float | None
    best_sharpe_per_period: float | None
    sharpe_variance_per_period: float
    expected_max_sharpe_per_period: float | None
    deflated_sharpe_ratio: float | None
    pbo: float | None
    pbo_detail: PBODetail
    likely_luck: bool
    verdict: str


class MarginalOut(BaseModel):
    """The sweep's metric over every combination holding one value of one parameter."""

    value: Number
    count: int
    best: float | None
    median: float | None


class HeatmapOut(BaseModel):
    """The sweep's metric over two parameters, every combination counted (large grids only)."""

    x: str
    y: str
    xs: list[Number] = Field(description="the x parameter's values, ascending (columns)")
    ys: list[Number] = Field(description="the y parameter's values, ascending (rows)")
    best: list[list[float | None]] = Field(
        description="best[row][column]: the best metric of the cell's combinations, the other "
        "parameters at their best; null where none is defined"
    )
    count: list[list[int]] = Field(description="combinations in each cell")


class SweepReport(BaseModel):
    """A finished sweep: the best combination, the top ones and the overfitting verdict."""

    n_combinations: int
    metric: str
    best: CombinationOut
    top: list[CombinationOut]
    overfitting: OverfittingReport
    marginals: dict[str, list[MarginalOut]] = Field(
        default_factory=dict,
        description="per swept parameter, per value (up to 500, evenly picked): best and median",
    )
    heatmaps: list[HeatmapOut] = Field(
        default_factory=list,
        description="for grids of more than 5,000 combinations: per pair of swept parameters "
        "with at most 10,000 cells (20,000 in all), the metric's best per cell",
    )
    engine: Literal["fused", "general", "mixed"] | None = Field(
        None, description="fused: one-pass kernel; general: simulate() per combination"
    )
    engine_reason: str | None = Field(
        None, description="why (some) combinations ran on the general engine"
    )
    n_general: int | None = Field(None, description="combinations run through simulate()")


class SweepOut(BaseModel):
    sweep_id: str
    status: JobStatus
    job_id: str
    progress: float
    created_at: datetime
    n_combinations: int
    n_chunks: int
    error: str | None = None
    result: SweepReport | None = None
    request: SweepRequest


class SweepsPage(Page[SweepOut]):
    """Sweeps, newest first (without their reports: read one sweep for it)."""
