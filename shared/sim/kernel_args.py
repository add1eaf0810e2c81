"""The kernels' scalar arguments as two typed NamedTuples, spelled out from a RunSpec in one place.

Numba passes a NamedTuple by value (a struct of scalars), so the kernels and their inlined
helpers read `cost.rate` or `rules.lag` at no cost; the explicit numba types below let the
kernels keep one compiled signature each.
"""

from __future__ import annotations

from typing import NamedTuple, get_type_hints

from numba import types

from shared.sim import enums as en
from shared.sim.cost_models import Commission, Slippage
from shared.sim.spec import RunSpec


class FillCosts(NamedTuple):
    """What a fill costs (priced by shared.sim.costs); see Commission and Slippage."""

    rate: float  # commission as a fraction of the notional at the fill price
    per_share: float  # commission per share traded
    min_fee: float  # floor of rate x notional + per_share x shares
    fixed: float  # commission per fill, on top
    base: float  # slippage bps + half the spread, as a fraction of the reference price
    range_frac: float  # fraction of the last finished bar's (high - low) / close, added
    impact: float  # times (shares / bar volume) ** 2, added


class KernelRules(NamedTuple):
    """How orders are timed, sized and cut (the RunSpec options as kernel scalars)."""

    fill_at_open: bool  # fill at the open (else at the close) of the execution bar
    lag: int  # bars from decision to fill (shared.sim.timing.fill_lag)
    size_type: int  # an enums.SIZE_* code
    whole: bool  # whole shares only
    allow_short: bool  # False: a short target becomes 0
    max_lev: float  # gross <= max_lev x equity after a fill that adds exposure (inf: no cap)
    rebal_mode: int  # an enums.REBAL_* code
    rebal_thr: float  # drift threshold of REBAL_THRESHOLD, as a fraction of equity
    cap_frac: float  # volume participation cap (0: none)
    cap_carry: bool  # carry what the cap leaves to the next bars (else cancel it)
    stop_loss: float  # stop-loss distance from the entry price (0: none)
    take_profit: float  # take-profit distance from the entry price (0: none)
    close_at_end: bool  # close every position at the last close


_NUMBA = {bool: types.boolean, int: types.int64, float: types.float64}
# numba types of the two tuples, for the kernels' explicit signatures
FILL_COSTS_T = types.NamedUniTuple(types.float64, len(FillCosts._fields), FillCosts)
KERNEL_RULES_T = types.NamedTuple(
    tuple(_NUMBA[kind] for kind in get_type_hints(KernelRules).values()), KernelRules
)


def fill_costs(commission: Commission, slippage: Slippage) -> FillCosts:
    """The cost models as the kernels read them."""
    return FillCosts(
        rate=float(commission.rate),
        per_share=float(commission.per_share),
        min_fee=float(commission.min_fee),
        fixed=float(commission.fixed),
        base=slippage.bps * 1e-4 + slippage.spread_bps * 0.5e-4,
        range_frac=float(slippage.range_frac),
        impact=float(slippage.impact),
    )


def kernel_args(spec: RunSpec) -> tuple[FillCosts, KernelRules]:
    """A checked RunSpec as the kernels' (costs, rules); size_type None reads as weight."""
    if spec.rebalance == "on_change":
        rebal_mode, rebal_thr = en.REBAL_ON_CHANGE, 0.0
    elif spec.rebalance == "always":
        rebal_mode, rebal_thr = en.REBAL_ALWAYS, 0.0
    else:
        rebal_mode, rebal_thr = en.REBAL_THRESHOLD, float(spec.rebalance)
    rules = KernelRules(
        fill_at_open=spec.fill == "next_open",
        lag=spec.lag,
        size_type=en.SIZE_LABELS.index(spec.size_type or "weight"),
        whole=spec.whole_shares,
        allow_short=spec.allow_short,
        max_lev=spec.max_leverage,
        rebal_mode=rebal_mode,
        rebal_thr=rebal_thr,
        cap_frac=spec.volume_cap or 0.0,
        cap_carry=spec.volume_cap_remainder == "carry",
        stop_loss=spec.stop_loss or 0.0,
        take_profit=spec.take_profit or 0.0,
        close_at_end=spec.close_at_end,
    )
    return fill_costs(spec.commission, spec.slippage), rules
