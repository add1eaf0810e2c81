"""The options of one run, checked once at the front door and frozen."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from shared.errors import ValidationError
from shared.sim.cost_models import Commission, Slippage, as_commission, as_slippage
from shared.sim.enums import SIZE_LABELS
from shared.sim.timing import FILL_MODES, fill_lag

FillMode = Literal["next_open", "close"]
SizeType = Literal["weight", "value", "shares"]
Rebalance = Literal["on_change", "always"] | float
CashMode = Literal["shared", "per_asset"]
Remainder = Literal["carry", "cancel"]

CASH_MODES = ("shared", "per_asset")
REMAINDERS = ("carry", "cancel")


@dataclass(frozen=True)
class RunSpec:
    """Resolved options of a simulation (see shared.sim.api.simulate for their meaning)."""

    initial_cash: float
    commission: Commission
    slippage: Slippage
    fill: FillMode
    delay: int
    size_type: SizeType
    whole_shares: bool
    allow_short: bool
    max_leverage: float
    rebalance: Rebalance
    stop_loss: float | None
    take_profit: float | None
    volume_cap: float | None
    volume_cap_remainder: Remainder
    cash: CashMode
    close_at_end: bool
    periods_per_year: float | None

    @property
    def lag(self) -> int:
        """Bars from decision to fill."""
        return fill_lag(self.fill, self.delay)

    @property
    def fields_read(self) -> tuple[str, ...]:
        """The price fields this run reads (and so validates)."""
        out: tuple[str, ...] = ("open", "close")
        if self.stop_loss or self.take_profit or self.slippage.range_frac:
            out += ("high", "low")
        return out + (("volume",) if self.needs_volume else ())

    @property
    def needs_volume(self) -> bool:
        """Whether a cost model or the participation cap reads bar volume."""
        return self.volume_cap is not None or self.slippage.impact > 0.0


def resolve_spec(
    *,
    initial_cash: float,
    commission: float | Commission,
    slippage: float | Slippage,
    fill: str,
    delay: int,
    size_type: str,
    whole_shares: bool,
    allow_short: bool,
    max_leverage: float,
    rebalance: str | float,
    stop_loss: float | None,
    take_profit: float | None,
    volume_cap: float | None,
    volume_cap_remainder: str,
    cash: str,
    close_at_end: bool,
    periods_per_year: float | None,
) -> RunSpec:
    """Check every option and return them frozen; errors name the option and the fix."""
    cash0 = _positive(initial_cash, "initial_cash")
    lev = _positive(max_leverage, "max_leverage", allow_inf=True)
    return RunSpec(
        initial_cash=cash0,
        commission=as_commission(commission),
        slippage=as_slippage(slippage),
        fill=_choice(fill, FILL_MODES, "fill"),  # type: ignore[arg-type]
        delay=_delay(delay),
        size_type=_choice(size_type, SIZE_LABELS, "size_type"),  # type: ignore[arg-type]
        whole_shares=_flag(whole_shares, "whole_shares"),
        allow_short=_flag(allow_short, "allow_short"),
        max_leverage=lev,
        rebalance=_rebalance(rebalance),
        stop_loss=None if stop_loss is None else _positive(stop_loss, "stop_loss"),
        take_profit=None if take_profit is None else _positive(take_profit, "take_profit"),
        volume_cap=None if volume_cap is None else _positive(volume_cap, "volume_cap"),
        volume_cap_remainder=_choice(volume_cap_remainder, REMAINDERS, "volume_cap_remainder"),  # type: ignore[arg-type]
        cash=_choice(cash, CASH_MODES, "cash"),  # type: ignore[arg-type]
        close_at_end=_flag(close_at_end, "close_at_end"),
        periods_per_year=None
        if periods_per_year is None
        else _positive(periods_per_year, "periods_per_year"),
    )


def _choice(value: object, allowed: tuple[str, ...], field: str) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise ValidationError(
            f"{field}={value!r} is not supported; use one of {', '.join(map(repr, allowed))}",
            field=field,
        )
    return value


def _flag(value: object, field: str) -> bool:
    if not isinstance(value, bool):
        raise ValidationError(f"{field} must be True or False, got {value!r}", field=field)
    return value


def _positive(value: object, field: str, *, allow_inf: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(f"{field} must be a number, got {value!r}", field=field)
    out = float(value)
    if not (out > 0.0 and (math.isfinite(out) or (allow_inf and out == math.inf))):
        raise ValidationError(f"{field} must be a positive number, got {value!r}", field=field)
    return out


def _delay(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(
            f"delay must be a whole number of bars >= 0, got {value!r}", field="delay"
        )
    return value


def _rebalance(value: object) -> Rebalance:
    if value in ("on_change", "always"):
        return value  # type: ignore[return-value]
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if number and 0.0 < float(value) < math.inf:  # type: ignore[arg-type]
        return float(value)  # type: ignore[arg-type]
    raise ValidationError(
        f"rebalance={value!r} is not supported; use 'on_change', 'always' or a drift "
        "threshold as a fraction of equity (e.g. 0.05)",
        field="rebalance",
    )
