"""Wire schemas of simulations, sweeps and stress tests."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from shared.schemas.jobs import JobOut


class CostModel(BaseModel):
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


class ExecutionOptions(BaseModel):
    """How and when decisions become fills."""

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


class MarketSelection(BaseModel):
    source: str = Field("builtin", description="builtin, synthetic, yfinance or files")
    symbols: list[str] = Field(min_length=1, max_length=1000)
    start: date | None = None
    end: date | None = None
    interval: str = "1d"

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
    """A backtest of a built-in strategy over one or many symbols."""

    model_config = ConfigDict(extra="forbid")

    strategy: str = Field(description="buy_and_hold, sma_crossover or rsi_mean_reversion")
    params: dict[str, float] = Field(default_factory=dict, description="strategy parameters")
    initial_cash: float = Field(100_000.0, gt=0, le=1e12)
    costs: CostModel = Field(default_factory=CostModel)
    execution: ExecutionOptions = Field(default_factory=ExecutionOptions)


class SimulationAccepted(BaseModel):
    job: JobOut
    simulation_id: str


class SimulationOut(BaseModel):
    """The seed's summary fields first, then every other metric, the status and the request."""

    simulation_id: str
    status: str
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
    request: dict[str, Any]


class SimulationsPage(BaseModel):
    items: list[SimulationOut]
    total: int
    limit: int
    offset: int


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


class TradesPage(BaseModel):
    items: list[TradeOut]
    total: int
    limit: int
    offset: int
    sort: str


class EquityPoint(BaseModel):
    timestamp: datetime
    equity: float
    drawdown_pct: float
    benchmark: float | None


class EquityOut(BaseModel):
    simulation_id: str
    items: list[EquityPoint]


class GridRange(BaseModel):
    """start, start+step, ... up to and including stop."""

    model_config = ConfigDict(extra="forbid")

    start: float
    stop: float
    step: float = Field(gt=0)

    def values(self) -> list[float]:
        if self.stop < self.start:
            raise ValueError(f"stop {self.stop} is below start {self.start}")
        count = int((self.stop - self.start) / self.step + 1e-9) + 1
        return [round(self.start + i * self.step, 10) for i in range(count)]


class SweepRequest(SimulationRequest):
    """A grid over a built-in strategy's parameters, backtested in chunks across the workers."""

    grid: dict[str, list[float] | GridRange] = Field(
        min_length=1, description="parameter -> values, or {start, stop, step}"
    )
    metric: Literal["sharpe", "total_return_pct", "calmar", "sortino"] = "sharpe"
    chunk_size: int = Field(100, ge=1, le=10_000, description="combinations per worker task")

    def grid_values(self) -> dict[str, list[float]]:
        out = {}
        for name, spec in sorted(self.grid.items()):
            values = spec.values() if isinstance(spec, GridRange) else list(spec)
            if not values:
                raise ValueError(f"grid.{name} has no values")
            out[name] = values
        return out


class SweepAccepted(BaseModel):
    job: JobOut
    sweep_id: str
    n_combinations: int
    n_chunks: int


class SweepOut(BaseModel):
    sweep_id: str
    status: str
    job_id: str
    progress: float
    created_at: datetime
    n_combinations: int
    n_chunks: int
    error: str | None = None
    result: dict[str, Any] | None = None
    request: dict[str, Any]


StressMethod = Literal["bootstrap", "garch"]
STRESS_METHODS: tuple[StressMethod, ...] = ("bootstrap", "garch")


class StressRequest(BaseModel):
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


class StressOut(BaseModel):
    stress_id: str
    simulation_id: str
    status: str
    job_id: str
    progress: float
    created_at: datetime
    error: str | None = None
    result: dict[str, Any] | None = None
    request: dict[str, Any]
