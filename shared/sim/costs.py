"""Numba helpers that price one fill: slippage, fees and the largest affordable position.

Every function is scalar in, scalar out, so the portfolio kernel and the sweep kernel charge
costs the same way.
"""

from __future__ import annotations

import math

from numba import njit

# Whole-share sizes are floored after adding this many shares, so that 99.9999999999 (float
# noise on an exact 100) still buys 100.
SHARE_EPS = 1e-9


@njit(cache=True, inline="always")
def whole_nb(qty: float) -> float:
    """Round a signed share count toward zero to a whole number of shares."""
    if qty >= 0.0:
        return math.floor(qty + SHARE_EPS)
    return -math.floor(-qty + SHARE_EPS)


@njit(cache=True, inline="always")
def range_frac_nb(high: float, low: float, close: float) -> float:
    """High-low range of a bar as a fraction of its close; 0 when the bar is missing."""
    rng = (high - low) / close
    if math.isfinite(rng) and rng > 0.0:
        return rng
    return 0.0


@njit(cache=True, inline="always")
def slip_frac_nb(qty_abs: float, base_frac: float, impact: float, volume: float) -> float:
    """Adverse price move of a fill as a fraction of the reference price.

    base_frac holds slippage, half the spread and the range term; the impact term follows
    zipline's volume-share model: impact * (shares / bar volume) ** 2, the share capped at 1.
    """
    if impact <= 0.0 or not math.isfinite(volume):
        return base_frac
    share = 1.0
    if volume > 0.0:
        share = min(qty_abs / volume, 1.0)
    return base_frac + impact * share * share


@njit(cache=True, inline="always")
def fee_nb(
    qty_abs: float, price: float, rate: float, per_share: float, min_fee: float, fixed: float
) -> float:
    """Commission of one fill: fixed + max(rate * notional + per_share * shares, min_fee)."""
    if qty_abs == 0.0:
        return 0.0
    return fixed + max(rate * qty_abs * price + per_share * qty_abs, min_fee)


@njit(cache=True)
def _headroom_nb(
    x: float,
    b: float,
    side: float,
    price: float,
    equity: float,
    gross_other: float,
    max_lev: float,
    base_frac: float,
    impact: float,
    volume: float,
    rate: float,
    per_share: float,
    min_fee: float,
    fixed: float,
) -> float:
    """max_lev * equity after the fill minus gross exposure after it (>= 0 means affordable)."""
    qty = x + b
    frac = slip_frac_nb(qty, base_frac, impact, volume)
    fill = price * (1.0 + side * frac)
    cost = qty * price * frac + fee_nb(qty, fill, rate, per_share, min_fee, fixed)
    return max_lev * (equity - cost) - gross_other - x * price


@njit(cache=True, inline="always")
def max_position_nb(
    b: float,
    side: float,
    price: float,
    equity: float,
    gross_other: float,
    max_lev: float,
    base_frac: float,
    impact: float,
    volume: float,
    rate: float,
    per_share: float,
    min_fee: float,
    fixed: float,
) -> float:
    """Largest new absolute position x keeping gross <= max_lev * equity after costs.

    The order trades x + b shares (b = -held for adding to a position, +held for a flip).
    Costs are linear in x except for the minimum fee and the impact term: the minimum fee
    gives a second linear bound (fee = fixed + max(prop, min) so both must hold); the impact
    term, which is convex, is handled by bisection.
    """
    if not math.isfinite(max_lev):
        return math.inf
    if impact > 0.0 and math.isfinite(volume):
        return _bisect_position_nb(
            b,
            side,
            price,
            equity,
            gross_other,
            max_lev,
            base_frac,
            impact,
            volume,
            rate,
            per_share,
            min_fee,
            fixed,
        )
    fill = price * (1.0 + side * base_frac)
    k = price * base_frac + rate * fill + per_share
    x = (max_lev * (equity - fixed - b * k) - gross_other) / (price + max_lev * k)
    if min_fee > 0.0:
        k_min = price * base_frac
        x_min = (max_lev * (equity - fixed - min_fee - b * k_min) - gross_other) / (
            price + max_lev * k_min
        )
        x = min(x, x_min)
    return x


@njit(cache=True)
def _bisect_position_nb(
    b: float,
    side: float,
    price: float,
    equity: float,
    gross_other: float,
    max_lev: float,
    base_frac: float,
    impact: float,
    volume: float,
    rate: float,
    per_share: float,
    min_fee: float,
    fixed: float,
) -> float:
    lo = max(-b, 0.0)
    hi = max(lo, 1.0)
    # headroom falls as x grows, so double hi until it is unaffordable, then bisect
    for _ in range(200):
        if (
            _headroom_nb(
                hi,
                b,
                side,
                price,
                equity,
                gross_other,
                max_lev,
                base_frac,
                impact,
                volume,
                rate,
                per_share,
                min_fee,
                fixed,
            )
            < 0.0
        ):
            break
        lo = hi
        hi *= 2.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if mid <= lo or mid >= hi:
            break
        if (
            _headroom_nb(
                mid,
                b,
                side,
                price,
                equity,
                gross_other,
                max_lev,
                base_frac,
                impact,
                volume,
                rate,
                per_share,
                min_fee,
                fixed,
            )
            >= 0.0
        ):
            lo = mid
        else:
            hi = mid
    return lo
