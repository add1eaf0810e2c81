"""Cost models as plain values, Commission and Slippage, and their checks."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import TypeVar

import numpy as np

from shared.errors import ValidationError


@dataclass(frozen=True)
class Commission:
    """Fee per fill: fixed + max(rate * notional + per_share * shares, min_fee).

    `rate` is a fraction of the traded notional at the fill price (0.001 = 10 bps); `fixed`
    is charged on every fill; `min_fee` floors the variable part. Where an option takes a
    commission, a bare number is the rate: commission=0.001 is Commission(rate=0.001).
    """

    rate: float = 0.0
    per_share: float = 0.0
    min_fee: float = 0.0
    fixed: float = 0.0


@dataclass(frozen=True)
class Slippage:
    """Adverse fill-price move as a fraction of the reference price, added up.

    bps / 1e4 + spread_bps / 2e4 (half the quoted spread per side) + range_frac * (high -
    low) / close of the last finished bar + impact * (shares / bar volume) ** 2. Always
    spelled out: slippage=2 could mean 2 bps or 200 %, so a bare number is refused.
    """

    bps: float = 0.0
    spread_bps: float = 0.0
    range_frac: float = 0.0
    impact: float = 0.0


_Model = TypeVar("_Model", Commission, Slippage)


def as_commission(value: float | Commission) -> Commission:
    """Check a Commission, its amounts as floats; a bare number is a rate of notional."""
    out = value if isinstance(value, Commission) else Commission(rate=_number(value, "commission"))
    out = _floats(out, "commission", "fees cannot be negative, pass 0 for none")
    if out.rate >= 1.0:
        raise ValidationError(
            f"commission.rate is {out.rate}, i.e. {out.rate:.0%} of notional; "
            "pass a fraction such as 0.001 for 10 bps",
            field="commission.rate",
        )
    return out


def as_slippage(value: Slippage) -> Slippage:
    """Check a Slippage, its amounts as floats; a bare number is refused (bps or fraction?)."""
    if not isinstance(value, Slippage):
        raise ValidationError(_slippage_hint(value), field="slippage")
    out = _floats(value, "slippage", "it must be >= 0 (0 disables it)")
    if out.bps + out.spread_bps / 2.0 >= 10_000.0:
        raise ValidationError(
            "slippage.bps + slippage.spread_bps / 2 must stay below 10,000 bps (100%)",
            field="slippage",
        )
    return out


def _slippage_hint(value: object) -> str:
    number = isinstance(value, int | float | np.integer | np.floating) and not isinstance(
        value, bool
    )
    if not number:
        return (
            f"slippage must be a Slippage(bps=..., spread_bps=..., range_frac=..., impact=...), "
            f"got {type(value).__name__}"
        )
    shown, bps = str(value), float(value)  # type: ignore[arg-type]
    return (
        f"slippage={shown} is ambiguous (a fraction or basis points?); pass "
        f"Slippage(bps={shown}) for {shown} basis points ({bps / 100:g}%)"
    )


def _floats(model: _Model, field: str, if_negative: str) -> _Model:
    """`model` with every amount checked (a finite number >= 0) and stored as a float."""
    amounts = {}
    for name, raw in vars(model).items():
        amount = amounts[name] = _number(raw, f"{field}.{name}")
        if amount < 0.0:
            raise ValidationError(
                f"{field}.{name} is {amount}; {if_negative}", field=f"{field}.{name}"
            )
    if all(type(raw) is float for raw in vars(model).values()):
        return model  # already plain floats: no copy (this runs on every simulate call)
    return replace(model, **amounts)


def _number(value: object, field: str) -> float:
    if type(value) is float and math.isfinite(value):
        return value  # the common case, before the slower checks
    if isinstance(value, bool) or not isinstance(value, int | float | np.floating | np.integer):
        raise ValidationError(f"{field} must be a number, got {type(value).__name__}", field=field)
    out = float(value)
    if not math.isfinite(out):
        raise ValidationError(f"{field} must be finite, got {out}", field=field)
    return out
