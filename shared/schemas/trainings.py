"""Wire schemas of training: the request, the job's record, and the catalogue of algorithms.

Ranges here are the API's first check; `shared.features` and `shared.ml` check the same values
again when the request is turned into a training configuration (a library caller gets them too).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.schemas.base import RequestModel
from shared.schemas.jobs import JobOut, JobStatus
from shared.schemas.pages import Listing, Page
from shared.schemas.simulations import CostModel, ExecutionOptions, MarketSelection

MODEL_NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
HyperValue = bool | int | float | str


class FeatureIn(RequestModel):
    """One feature of the pipeline: its kind and parameters (see GET /api/v1/algorithms)."""

    model_config = ConfigDict(extra="forbid")

    kind: str = Field(description="e.g. returns, sma_distance, rsi, macd, volume_zscore")
    params: dict[str, int | float] = Field(default_factory=dict)


class TargetIn(RequestModel):
    """What the model predicts: the sign of the forward return, or the return itself."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["direction", "return"] = Field(
        "direction", description="direction: classify up/down; return: regress the return"
    )
    horizon: int = Field(1, ge=1, le=250, description="bars ahead the label looks")
    dead_zone: float = Field(
        0.0, ge=0, lt=1, description="direction: rows with |forward return| <= this are dropped"
    )


class ValidationIn(RequestModel):
    """How the model is scored: purged walk-forward folds (never shuffled)."""

    model_config = ConfigDict(extra="forbid")

    method: Literal["walk_forward", "purged_kfold"] = "walk_forward"
    n_folds: int = Field(5, ge=2, le=20)
    window: Literal["expanding", "rolling"] = "expanding"
    train_bars: int | None = Field(None, ge=10, description="rolling: training window in bars")
    embargo_bars: int = Field(0, ge=0, le=500, description="gap dropped around each test fold")
    min_train_bars: int = Field(50, ge=10, description="fewest training bars a fold may have")


class DecisionIn(RequestModel):
    """How model outputs become positions (see docs/training.md); sized by execution.position_size."""

    model_config = ConfigDict(extra="forbid")

    long_above: float = Field(0.55, ge=0, le=1, description="classifier: long when P(up) >= this")
    short_below: float = Field(
        0.45, ge=0, le=1, description="classifier: short when P(up) <= this (if shorts allowed)"
    )
    min_abs_return: float = Field(
        0.0, ge=0, description="regressor: act only when |predicted return| > this"
    )
    scale: float | None = Field(
        None, gt=0, description="regressor: weight = clip(prediction / scale, -1, 1)"
    )

    @model_validator(mode="after")
    def _ordered(self) -> DecisionIn:
        if self.short_below > self.long_above:
            raise ValueError(
                f"short_below {self.short_below} is above long_above {self.long_above}; "
                "a probability cannot be both"
            )
        return self


class EnvironmentIn(RequestModel):
    """RL agents only: how the trading environment acts, rewards and splits time (docs/rl.md)."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["discrete", "continuous"] | None = Field(
        None,
        description="discrete: short/flat/long per symbol; continuous: target weights. "
        "Omitted: discrete for ppo, a2c and dqn, continuous for sac",
    )
    episode_bars: int = Field(
        256, ge=2, le=100_000, description="bars in one training episode (random start windows)"
    )
    drawdown_penalty: float = Field(
        0.0, ge=0, le=100, description="reward minus this x the drawdown from the episode's peak"
    )
    turnover_penalty: float = Field(
        0.0, ge=0, le=100, description="reward minus this x the step's traded notional / equity"
    )
    eval_share: float = Field(
        0.2,
        gt=0,
        lt=1,
        description="share of the latest bars held out for the out-of-sample evaluation",
    )
    eval_start: date | None = Field(
        None,
        description="first day of the evaluation window (the agent never sees it); "
        "overrides eval_share",
    )


class TrainingRequest(MarketSelection):
    """Train one model on market data, validate it walk-forward and backtest its decisions."""

    model_config = ConfigDict(extra="forbid", protected_namespaces=())

    model_name: str = Field(
        pattern=MODEL_NAME_PATTERN,
        description="registry name; training again under a name makes its next version",
    )
    algorithm: str = Field(description="see GET /api/v1/algorithms")
    hyperparameters: dict[str, HyperValue] = Field(default_factory=dict)
    features: list[FeatureIn] | None = Field(
        None, max_length=64, description="the pipeline; omitted: the default feature set"
    )
    target: TargetIn = Field(default_factory=TargetIn)
    validation: ValidationIn = Field(default_factory=ValidationIn)
    decision: DecisionIn = Field(default_factory=DecisionIn)
    environment: EnvironmentIn | None = Field(
        None,
        description="RL agents (ppo, a2c, dqn, sac) only; target, validation and decision "
        "apply to supervised models and must be left at their defaults for an agent",
    )
    initial_cash: float = Field(100_000.0, gt=0, le=1e12)
    costs: CostModel = Field(default_factory=CostModel)
    execution: ExecutionOptions = Field(default_factory=ExecutionOptions)
    seed: int = Field(42, ge=0, le=2**31 - 1)
    device: Literal["auto", "cpu", "cuda"] = Field(
        "auto", description="auto uses a GPU when present and useful, else the CPU"
    )


class TrainingAccepted(BaseModel):
    job: JobOut
    training_id: str


class TrainingOut(BaseModel):
    """A training job's record: its request and, once done, the model it made and its report."""

    model_config = ConfigDict(protected_namespaces=())

    training_id: str
    status: JobStatus
    job_id: str
    created_at: datetime
    model_name: str
    model_id: str | None = Field(None, description="the registered model, once trained")
    progress: float = 0.0
    message: str = ""
    error: str | None = None
    request: TrainingRequest
    report: dict[str, Any] | None = Field(
        None, description="metrics, per-fold scores and the out-of-sample backtest"
    )


class TrainingsPage(Page[TrainingOut]):
    """Trainings, newest first."""


class ParamOut(BaseModel):
    """One declared hyperparameter: the form field a client builds."""

    name: str
    type: Literal["int", "float", "choice", "bool"]
    default: Any
    min: float | None = None
    max: float | None = None
    choices: list[str] | None = None
    log: bool = False
    description: str = ""


class AlgorithmOut(BaseModel):
    name: str
    framework: str
    tasks: list[str]
    description: str
    supports_cuda: bool
    params: list[ParamOut]


class FeatureKindOut(BaseModel):
    kind: str
    description: str
    fields: list[str] = Field(description="the price fields it reads")
    params: list[ParamOut]


class AlgorithmsOut(Listing[AlgorithmOut]):
    """Every algorithm with its hyperparameters, and the feature kinds a pipeline may use."""

    feature_kinds: list[FeatureKindOut]
    default_features: list[FeatureIn]
