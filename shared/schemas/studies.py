"""Wire schemas of RL studies: algorithms and hyperparameters searched by Optuna, each trial an
agent trained and judged out of sample, and a report that says whether the winner is luck."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from shared.schemas.base import RequestModel
from shared.schemas.jobs import JobOut, JobStatus
from shared.schemas.pages import Page
from shared.schemas.simulations import CostModel, ExecutionOptions, MarketSelection
from shared.schemas.trainings import MODEL_NAME_PATTERN, EnvironmentIn, FeatureIn, HyperValue

StudyAlgorithm = Literal["ppo", "a2c", "dqn", "sac"]
Objective = Literal["oos_sharpe", "oos_total_return_pct"]


class ParamRangeIn(RequestModel):
    """Where one hyperparameter is searched: numbers between low and high (the declared range
    where omitted; `log` the declared scale where omitted), or a list of choices."""

    model_config = ConfigDict(extra="forbid")

    low: float | None = None
    high: float | None = None
    log: bool | None = None
    choices: list[bool | int | float | str] | None = Field(None, min_length=1, max_length=64)


class StudyRequest(MarketSelection):
    """Compare RL algorithms and hyperparameters on one dataset with Optuna (docs/rl.md)."""

    model_config = ConfigDict(extra="forbid")

    algorithms: list[StudyAlgorithm] = Field(
        min_length=1, max_length=4, description="the agents to compare"
    )
    search_space: dict[str, dict[str, ParamRangeIn]] = Field(
        default_factory=dict,
        description="algorithm -> hyperparameter -> range; an algorithm left out searches "
        "learning_rate and gamma over their declared ranges",
    )
    hyperparameters: dict[str, HyperValue] = Field(
        default_factory=dict,
        description="fixed for every trial (e.g. total_timesteps, n_envs); each must be "
        "declared by every algorithm of the study",
    )
    n_trials: int = Field(ge=1, description="trials to run (at most MAX_STUDY_TRIALS)")
    objective: Objective = Field(
        "oos_sharpe", description="maximised: a trial's out-of-sample backtest figure"
    )
    features: list[FeatureIn] | None = Field(None, max_length=64)
    environment: EnvironmentIn | None = None
    initial_cash: float = Field(100_000.0, gt=0, le=1e12)
    costs: CostModel = Field(default_factory=CostModel)
    execution: ExecutionOptions = Field(default_factory=ExecutionOptions)
    seed: int = Field(42, ge=0, le=2**31 - 1)

    @field_validator("algorithms")
    @classmethod
    def _unique(cls, algorithms: list[str]) -> list[str]:
        if len(set(algorithms)) != len(algorithms):
            raise ValueError("algorithms are repeated; list each once")
        return algorithms


class StudyAccepted(BaseModel):
    job: JobOut
    study_id: str
    n_trials: int


class TrialOut(BaseModel):
    """One trial: its agent and hyperparameters, the objective and the statistics DSR needs."""

    number: int = Field(description="the trial's index in the study (0-based)")
    state: Literal["complete", "failed"]
    algorithm: str | None = None
    hyperparameters: dict[str, Any] = Field(default_factory=dict)
    value: float | None = Field(None, description="the objective; None when undefined")
    metrics: dict[str, Any] = Field(default_factory=dict)
    sr_period: float | None = Field(None, description="Sharpe ratio per bar (not annualised)")
    skew: float | None = None
    kurtosis: float | None = None
    n_obs: int = Field(0, description="returns the Sharpe ratio is computed from")
    error: str | None = None
    worker: str | None = None


class AlgorithmBest(BaseModel):
    algorithm: str
    trials: int
    best: TrialOut | None


class StudyVerdict(BaseModel):
    """Whether the winner is likely luck: its deflated Sharpe ratio given the trials made."""

    n_trials: int
    best_sharpe_per_period: float | None
    sharpe_variance_per_period: float
    expected_max_sharpe_per_period: float | None
    deflated_sharpe_ratio: float | None
    likely_luck: bool
    verdict: str


class StudyReport(BaseModel):
    """A finished study: trials ranked, each algorithm's best, and the deflated Sharpe verdict."""

    objective: str
    n_trials: int
    n_failed: int
    best: TrialOut | None
    ranked: list[TrialOut]
    by_algorithm: list[AlgorithmBest]
    overfitting: StudyVerdict


class StudyOut(BaseModel):
    study_id: str
    status: JobStatus
    job_id: str
    progress: float
    message: str = ""
    created_at: datetime
    n_trials: int
    trials_done: int
    error: str | None = None
    trials: list[TrialOut] = Field(default_factory=list, description="finished so far")
    report: StudyReport | None = None
    model_id: str | None = Field(None, description="the registered best trial, if any")
    request: StudyRequest


class StudiesPage(Page[StudyOut]):
    """Studies, newest first (without trials and report: read one study for them)."""


class StudyRegisterIn(RequestModel):
    """Register the study's best trial under a model name (its next version)."""

    model_config = ConfigDict(extra="forbid", protected_namespaces=())

    model_name: str = Field(pattern=MODEL_NAME_PATTERN)


class StudyRegistered(BaseModel):
    model_config = ConfigDict(protected_namespaces=())

    study_id: str
    trial: int
    model_id: str
    model_name: str
    version: int
