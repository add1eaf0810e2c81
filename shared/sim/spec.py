"""The options of a run: defined, defaulted, documented and checked once, here."""

from __future__ import annotations

import dataclasses
import difflib
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from shared.errors import ValidationError
from shared.sim.cost_models import Commission, Slippage, as_commission, as_slippage
from shared.sim.enums import SIZE_LABELS
from shared.sim.timing import FILL_MODES, fill_lag

FillMode = Literal["next_open", "close"]
SizeType = Literal["weight", "value", "shares"]
Rebalance = Literal["on_change", "always"] | float
CashMode = Literal["shared", "per_asset"]
Remainder = Literal["carry", "cancel"]

# frozen, so one shared instance serves as every spec's default
_NO_COMMISSION = Commission()
_NO_SLIPPAGE = Slippage()
CASH_MODES = ("shared", "per_asset")
REMAINDERS = ("carry", "cancel")


@dataclass(frozen=True)
class RunSpec:
    """Every option of a simulation, checked when built and frozen (see docs/simulation.md).

    Build one with keywords, `RunSpec(commission=0.001, delay=1)`, and vary it with
    `dataclasses.replace(spec, delay=2)`; a bad value raises ValidationError naming the field.
    """

    initial_cash: float = 100_000.0
    """Starting cash; with cash="per_asset" it is split equally across the symbols."""
    commission: Commission = _NO_COMMISSION
    """Fee per fill. A bare number is a rate of notional: 0.001 charges 0.1 % (10 bps)."""
    slippage: Slippage = _NO_SLIPPAGE
    """Adverse fill-price move: Slippage(bps, spread_bps, range_frac, impact); no bare number."""
    fill: FillMode = "next_open"
    """When a decision fills: "next_open" (the next bar's open) or "close" (its own close)."""
    delay: int = 0
    """Extra whole bars of latency between a decision and its fill."""
    size_type: SizeType | None = None
    """What a target means: "weight", "value" or "shares"; None: targets.attrs, else weight."""
    whole_shares: bool = False
    """Round every order toward zero to whole shares."""
    allow_short: bool = True
    """False turns a short target into 0 (a long is closed, flat stays flat)."""
    max_leverage: float = 1.0
    """Gross exposure <= max_leverage x equity after a fill that adds exposure (inf: no limit)."""
    rebalance: Rebalance = "on_change"
    """Re-size to the standing target "on_change", "always", or past a drift of this fraction."""
    stop_loss: float | None = None
    """Close a trade that moves this fraction against its average entry price (None: off).

    1 or more can only trigger for a short (a long cannot lose more than 100 %), so it is
    refused with allow_short=False; with shorts allowed, longs then have no stop."""
    take_profit: float | None = None
    """Close a trade that moves this fraction in its favour (None: off)."""
    volume_cap: float | None = None
    """Fill at most this fraction of a bar's volume (None: no cap)."""
    volume_cap_remainder: Remainder = "carry"
    """What the volume cap leaves over: "carry" it to the next bars or "cancel" it."""
    cash: CashMode = "shared"
    """One account for all symbols ("shared") or one per symbol ("per_asset")."""
    close_at_end: bool = False
    """Close every open position at the last close, with costs."""
    periods_per_year: float | None = None
    """Annualisation factor of the summary (None: read from the index)."""

    def __post_init__(self) -> None:
        # the checks run in field order, so the first bad field is the one reported
        checked: dict[str, object] = {
            "initial_cash": _positive(self.initial_cash, "initial_cash"),
            "commission": as_commission(self.commission),
            "slippage": as_slippage(self.slippage),
            "fill": _choice(self.fill, FILL_MODES, "fill"),
            "delay": _delay(self.delay),
            "size_type": None
            if self.size_type is None
            else _choice(self.size_type, SIZE_LABELS, "size_type"),
            "whole_shares": _flag(self.whole_shares, "whole_shares"),
            "allow_short": _flag(self.allow_short, "allow_short"),
            "max_leverage": _positive(self.max_leverage, "max_leverage", allow_inf=True),
            "rebalance": _rebalance(self.rebalance),
            "stop_loss": _stop_loss(self.stop_loss, self.allow_short),
            "take_profit": _optional_positive(self.take_profit, "take_profit"),
            "volume_cap": _optional_positive(self.volume_cap, "volume_cap"),
            "volume_cap_remainder": _choice(
                self.volume_cap_remainder, REMAINDERS, "volume_cap_remainder"
            ),
            "cash": _choice(self.cash, CASH_MODES, "cash"),
            "close_at_end": _flag(self.close_at_end, "close_at_end"),
            "periods_per_year": _optional_positive(self.periods_per_year, "periods_per_year"),
        }
        given = self.__dict__
        for name, value in checked.items():
            if value is not given[name]:
                object.__setattr__(self, name, value)  # frozen: normalised values go in this way

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


OPTION_NAMES = tuple(f.name for f in dataclasses.fields(RunSpec))


def with_options(spec: RunSpec | None, options: Mapping[str, Any]) -> RunSpec:
    """`spec` (or the defaults) with `options`, RunSpec field names, overriding it; checked."""
    if spec is not None and not isinstance(spec, RunSpec):
        raise ValidationError(
            f"spec must be a RunSpec, got {type(spec).__name__}; pass options by keyword "
            "(e.g. initial_cash=10_000) or build RunSpec(...)",
            field="spec",
        )
    unknown = sorted(set(options) - set(OPTION_NAMES))
    if unknown:
        name = unknown[0]
        near = difflib.get_close_matches(name, OPTION_NAMES, n=1)
        hint = (
            f"; did you mean {near[0]!r}?"
            if near
            else f"; valid options: {', '.join(OPTION_NAMES)}"
        )
        raise ValidationError(f"unknown option {name!r}{hint}", field=name)
    if spec is None:
        return RunSpec(**options)
    return dataclasses.replace(spec, **options) if options else spec


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


def _is_number(value: object) -> bool:
    # NumPy scalars count (np.int64 from a DataFrame, np.float32); bools do not
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool)


def _positive(value: object, field: str, *, allow_inf: bool = False) -> float:
    if not _is_number(value):
        raise ValidationError(f"{field} must be a number, got {value!r}", field=field)
    out = float(value)  # type: ignore[arg-type]
    if not (out > 0.0 and (math.isfinite(out) or (allow_inf and out == math.inf))):
        raise ValidationError(f"{field} must be a positive number, got {value!r}", field=field)
    return out


def _optional_positive(value: object, field: str) -> float | None:
    return None if value is None else _positive(value, field)


def _stop_loss(value: object, allow_short: object) -> float | None:
    out = _optional_positive(value, "stop_loss")
    if out is not None and out >= 1.0 and allow_short is False:
        raise ValidationError(
            f"stop_loss={out:g} can never trigger: a long loses at most 100 %, and shorts are "
            "off (allow_short=False); give the loss as a fraction below 1, e.g. 0.05 for 5 %",
            field="stop_loss",
        )
    return out


def _delay(value: object) -> int:
    whole = isinstance(value, int | np.integer) and not isinstance(value, bool)
    if not whole or value < 0:  # type: ignore[operator]
        raise ValidationError(
            f"delay must be a whole number of bars >= 0, got {value!r}", field="delay"
        )
    return int(value)  # type: ignore[call-overload]


def _rebalance(value: object) -> Rebalance:
    if value in ("on_change", "always"):
        return value  # type: ignore[return-value]
    if _is_number(value) and 0.0 < float(value) < math.inf:  # type: ignore[arg-type]
        return float(value)  # type: ignore[arg-type]
    raise ValidationError(
        f"rebalance={value!r} is not supported; use 'on_change', 'always' or a drift "
        "threshold as a fraction of equity (e.g. 0.05)",
        field="rebalance",
    )
