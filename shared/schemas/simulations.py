"""Wire schemas of backtests: the request (market, costs, execution), results, trades, equity."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from shared.schemas.base import RequestModel
from shared.schemas.jobs import JobOut, JobStatus
from shared.schemas.pages import Listing, Page

# A bare "commission" or "slippage" reads as a rate to some and basis points to others.
_AMBIGUOUS_COSTS = {
    "commission": "commission_rate (a fraction of notional: 0.001 = 10 bps)",
    "slippage": "slippage_bps (basis points: 5 = 0.05%)",
}


class CostModel(RequestModel):
    """Commission and slippage; every amount in the account currency or as a fraction."""

    model_config = ConfigDict(extra="forbid")

    commission_rate: float = Field(0.001, ge=0, lt=1, description="fraction of notional per fill")
    commission_per_share: float = Field(0.0, ge=0, description="per share traded")
    commission_min: float = Field(0.0, ge=0, description="floor of the variable commission")
    commission_fixed: float = Field(0.0, ge=0, description="fixed amount per fill")
    slippage_bps: float = Field(5.0, ge=0, le=10_000, description="adverse price move per fill")
    spread_bps: float = Field(0.0, ge=0, le=10_000, description="quoted spread; half paid per side")
    slippage_range_frac: float = Field(
        0.0, ge=0, le=1, description="fraction of the last bar's high-low range paid per fill"
    )
    impact: float = Field(0.0, ge=0, description="square-law market impact on volume share")

    @model_validator(mode="before")
    @classmethod
    def _unambiguous(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for name, meant in _AMBIGUOUS_COSTS.items():
                if name in data:
                    raise ValueError(f"{name} is ambiguous (a rate or basis points?); use {meant}")
        return data

    def commission_terms(self, scale: float = 1.0) -> dict[str, float]:
        """The commission as shared.sim.Commission's fields, every amount times `scale`."""
        return {
            "rate": self.commission_rate * scale,
            "per_share": self.commission_per_share * scale,
            "min_fee": self.commission_min * scale,
            "fixed": self.commission_fixed * scale,
        }

    def slippage_terms(self, scale: float = 1.0) -> dict[str, float]:
        """The slippage as shared.sim.Slippage's fields, every amount times `scale`."""
        return {
            "bps": self.slippage_bps * scale,
            "spread_bps": self.spread_bps * scale,
            "range_frac": self.slippage_range_frac * scale,
            "impact": self.impact * scale,
        }


class ExecutionOptions(RequestModel):
    """How and when decisions become fills.

    Every field but `position_size` (the strategy's) and `delay_bars` (the engine's `delay`)
    carries the name of the shared.sim.RunSpec field it sets.
    """

    model_config = ConfigDict(extra="forbid")

    fill: Literal["next_open", "close"] = Field(
        "next_open", description="next_open: decide at close t, fill at open t+1 (honest default)"
    )
    delay_bars: int = Field(0, ge=0, le=50, description="extra bars of latency before a fill")
    whole_shares: bool = False
    allow_short: bool = False
    max_leverage: float = Field(1.0, gt=0, le=10, description="gross exposure / equity cap")
    position_size: float = Field(
        1.0, gt=0, le=10, description="fraction of equity the strategy deploys, split equally"
    )
    cash: Literal["shared", "per_asset"] = "shared"
    stop_loss: float | None = Field(None, gt=0, lt=1, description="e.g. 0.05 = exit 5% below entry")
    take_profit: float | None = Field(None, gt=0, description="e.g. 0.1 = exit 10% above entry")
    close_at_end: bool = False
    volume_cap: float | None = Field(None, gt=0, le=1, description="max fraction of bar volume")

    @field_validator("position_size")
    @classmethod
    def _size_within_leverage(cls, size: float, info: Any) -> float:
        leverage = info.data.get("max_leverage", 1.0)
        if size > leverage:
            raise ValueError(
                f"position_size {size} exceeds max_leverage {leverage}; "
                "lower it or allow more leverage"
            )
        return size


class MarketSelection(RequestModel):
    source: str = Field("builtin", description="builtin, synthetic, yfinance or files")
    symbols: list[str] = Field(min_length=1, max_length=1000)
    start: date | None = Field(None, description="first day, YYYY-MM-DD (inclusive)")
    end: date | None = Field(None, description="last day, YYYY-MM-DD (inclusive)")
    interval: str = "1d"

    @field_validator("start", "end", mode="before")
    @classmethod
    def _a_date_not_a_number(cls, value: Any) -> Any:
        # pydantic reads a number as seconds since 1970: "start": 0 would mean 1970-01-01.
        if isinstance(value, int | float) and not isinstance(value, bool):
            raise ValueError(f"{value!r} is not a date; write it as YYYY-MM-DD")
        return value

    @field_validator("symbols")
    @classmethod
    def _unique(cls, symbols: list[str]) -> list[str]:
        if len(set(symbols)) != len(symbols):
            raise ValueError("symbols are repeated; list each once")
        return symbols

    @field_validator("end")
    @classmethod
    def _after_start(cls, end: date | None, info: Any) -> date | None:
        start = info.data.get("start")
        if end is not None and start is not None and end <= start:
            raise ValueError(f"end {end} is not after start {start}; the range would be empty")
        return end


class SimulationRequest(MarketSelection):
    """A backtest of a built-in strategy, or of a trained model's decisions, over symbols."""

    model_config = ConfigDict(extra="forbid", protected_namespaces=())

    strategy: str | None = Field(
        None, description="buy_and_hold, sma_crossover or rsi_mean_reversion (or give model_id)"
    )
    model_id: str | None = Field(
        None, description="a registered model (GET /api/v1/models) to decide instead of a strategy"
    )
    params: dict[str, int | float] = Field(
        default_factory=dict,
        description="strategy parameters; for a model, its decision rule's thresholds "
        "(long_above, short_below; or min_abs_return, scale for a regressor)",
    )
    initial_cash: float = Field(100_000.0, gt=0, le=1e12)
    costs: CostModel = Field(default_factory=CostModel)
    execution: ExecutionOptions = Field(default_factory=ExecutionOptions)

    @model_validator(mode="after")
    def _one_decider(self) -> SimulationRequest:
        if (self.strategy is None) == (self.model_id is None):
            raise ValueError("give either strategy or model_id (exactly one)")
        return self


class SimulationAccepted(BaseModel):
    job: JobOut
    simulation_id: str


class SimulationOut(BaseModel):
    """The seed's summary fields first, then every other metric, the status and the request."""

    simulation_id: str
    status: JobStatus
    job_id: str
    created_at: datetime
    model_used: str
    start_date: str | None = None
    end_date: str | None = None
    portfolio_start: float | None = None
    portfolio_end: float | None = None
    total_trades: int | None = None
    max_drawdown_pct: float | None = None
    avg_trade_return_pct: float | None = None
    best_trade_return_pct: float | None = None
    worst_trade_return_pct: float | None = None
    metrics: dict[str, Any] = Field(default_factory=dict)
    error: str | None = None
    request: SimulationRequest


class SimulationsPage(Page[SimulationOut]):
    """Simulations, newest first."""


class TradeOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    seq: int
    symbol: str
    direction: str
    quantity: float
    entry_time: datetime
    entry_price: float
    exit_time: datetime | None
    exit_price: float | None
    pnl: float
    return_pct: float
    fees: float
    slippage: float
    is_open: bool


class TradesPage(Page[TradeOut]):
    """Trades in the order asked for."""

    sort: str


class EquityPoint(BaseModel):
    timestamp: datetime
    equity: float
    drawdown_pct: float
    benchmark: float | None


class EquityOut(BaseModel):
    simulation_id: str
    items: list[EquityPoint]


class StrategyParamOut(BaseModel):
    """One tunable parameter of a built-in strategy."""

    default: int | float
    min: int | float
    max: int | float
    integer: bool
    description: str


class StrategyOut(BaseModel):
    """A built-in strategy and its parameters (the simulation form is built from these)."""

    name: str
    description: str
    params: dict[str, StrategyParamOut]


class StrategiesOut(Listing[StrategyOut]):
    """Every built-in strategy."""
