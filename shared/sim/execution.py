"""Numba order execution: turn the targets due on a bar into sized, cut and filled orders.

Within an order phase, orders that shrink a position run before those that grow one, so the
cash they free is available; every account is valued once, at the phase's prices, and
weight targets are sized against that value.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from numba import njit

from shared.sim import enums as en
from shared.sim.book import book_fill_nb, grow_nb, push_order_nb
from shared.sim.costs import fee_nb, max_position_nb, range_frac_nb, slip_frac_nb, whole_nb
from shared.sim.kernel_args import FillCosts, KernelRules
from shared.sim.timing import decision_bar_nb

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
Records = npt.NDArray[np.void]

# A size within this fraction of the wanted one counts as filled in full (float noise).
FULL_TOL = 1e-9


@njit(cache=True, inline="always")
def _is_reducing(before: float, after: float) -> bool:
    return after == 0.0 or (after * before > 0.0 and abs(after) < abs(before))


@njit(cache=True, inline="always")
def negligible_nb(want: float, held: float) -> bool:
    """Whether moving from `held` to `want` shares is float noise rather than a trade."""
    return abs(want - held) <= FULL_TOL * max(abs(want), abs(held))


@njit(cache=True, inline="always")
def fill_terms_nb(
    qty: float, ref: float, base: float, volume: float, cost: FillCosts
) -> tuple[float, float, float]:
    """Fill price, fee and slippage paid for trading `qty` (signed) shares at `ref`."""
    frac = slip_frac_nb(abs(qty), base, cost.impact, volume)
    price = ref * (1.0 + frac) if qty > 0.0 else ref * (1.0 - frac)
    fee = fee_nb(abs(qty), price, cost.rate, cost.per_share, cost.min_fee, cost.fixed)
    return price, fee, abs(qty) * ref * frac


@njit(cache=True, inline="always")
def fill_nb(
    j: int, bar: int, after: float, ref: float, base: float, volume: float, acc: int,
    pos: F64, mark: F64, cash: F64, eq_acc: F64, gross_acc: F64, cost: FillCosts,
    open_trade: I64, trades: Records, n_tr: int,
) -> tuple[float, float, float, int]:  # fmt: skip
    """Move column j to `after` shares at reference price `ref`; returns price, fee, slippage."""
    before = pos[j]
    qty = after - before
    price, fee, slip = fill_terms_nb(qty, ref, base, volume, cost)
    cash[acc] -= qty * price + fee
    # the account's value at the phase's prices moves by the costs only
    eq_acc[acc] -= qty * (price - ref) + fee
    gross_acc[acc] += (abs(after) - abs(before)) * ref
    pos[j] = after
    mark[j] = ref
    n_tr = book_fill_nb(trades, n_tr, open_trade, j, bar, before, after, price, fee, slip)
    return price, fee, slip, n_tr


@njit(cache=True, inline="always")
def cut_order_nb(
    before: float, want: float, note: int, ref: float, base: float, volume: float,
    equity: float, gross: float, cost: FillCosts, rules: KernelRules,
) -> tuple[float, int, float]:  # fmt: skip
    """Cut an order to the volume cap, then to buying power.

    `equity` and `gross` are the account's at the phase's prices, this column included.
    Returns the position to fill to, the reason it is not `want` (note if none), and what
    the volume cap leaves to carry to the next bar (NaN for nothing).
    """
    whole = rules.whole
    after = want
    reason = note
    carry = np.nan
    if rules.cap_frac > 0.0 and math.isfinite(volume):
        most = rules.cap_frac * max(volume, 0.0)
        if whole:
            most = whole_nb(most)
        if abs(want - before) > most:
            after = before + most if want > before else before - most
            reason = en.REASON_VOLUME
            if rules.cap_carry:
                carry = want
    if after != before and not _is_reducing(before, after):
        side = 1.0 if after > 0.0 else -1.0
        held = abs(before) if before * side > 0.0 else 0.0
        b = -held if held > 0.0 else abs(before)
        x = max_position_nb(
            b, side, ref, equity, gross - abs(before) * ref, rules.max_lev, base, cost.impact,
            volume, cost.rate, cost.per_share, cost.min_fee, cost.fixed,
        )  # fmt: skip
        if x < abs(after) * (1.0 - FULL_TOL):
            if whole:
                x = whole_nb(x)
            if x <= held + FULL_TOL * abs(after):
                x = held  # float noise around a full account, not a real trade
            after = side * x
            reason = en.REASON_CASH
            carry = np.nan
    return after, reason, carry


@njit(cache=True, inline="always")
def base_frac_nb(cost: FillCosts, high: F64, low: F64, close: F64, range_bar: int, j: int) -> float:
    """Slippage + half spread, plus the range term measured on an already finished bar."""
    base = cost.base
    if cost.range_frac > 0.0 and range_bar >= 0:
        rb = range_bar
        base += cost.range_frac * range_frac_nb(high[rb, j], low[rb, j], close[rb, j])
    return base


@njit(cache=True, inline="always")
def origin_nb(tgt: float, last_tgt: float, held: float, carry: float, rebal_mode: int) -> int:
    """Why a column trades this phase (an ORIGIN_* code), or -1 when it does not."""
    if math.isfinite(tgt) and tgt != last_tgt:
        return en.ORIGIN_TARGET
    if math.isfinite(carry):
        return en.ORIGIN_CARRY
    if rebal_mode != en.REBAL_ON_CHANGE and (last_tgt != 0.0 or held != 0.0):
        return en.ORIGIN_REBALANCE  # back to the standing target, restated or not
    return -1


@njit(cache=True, inline="always")
def want_nb(tgt: float, ref: float, equity: float, size_type: int, whole: bool) -> float:
    """Shares wanted for a target (NaN when a weight is asked of an account with no equity)."""
    if size_type == en.SIZE_SHARES:
        want = tgt
    elif size_type == en.SIZE_VALUE:
        want = tgt / ref
    elif tgt == 0.0:
        want = 0.0
    elif equity <= 0.0:
        return np.nan
    else:
        want = tgt * equity / ref
    return whole_nb(want) if whole else want


@njit(cache=True, inline="always")
def order_phase_nb(
    bar: int, lag: int, n_todo: int, row: F64, range_bar: int, stamp: int,
    bars: tuple[F64, F64, F64, F64],
    groups: tuple[I64, I64, I64, I64],
    cost: FillCosts,
    rules: KernelRules,
    cols: tuple[F64, F64, F64, F64, F64, F64],
    work: tuple[I64, I64, I64, I64, I64],
    accts: tuple[F64, F64, F64],
    orders: Records, n_o: int, trades: Records, n_tr: int,
) -> tuple[Records, int, Records, int]:  # fmt: skip
    """Size, cut and fill the n_todo orders flagged with origin_nb at the prices in `row`.

    The state comes in bundles (built in shared.sim.kernels.simulate_nb): bars = (high,
    low, close, volume), groups = (col_acc, acc_ptr, acc_cols, valued), cols = (pos,
    last_tgt, carry, mark, want, req), work = (open_trade, todo, seq, origin, note), accts =
    (cash, eq_acc, gross_acc). `range_bar` is the bar the range slippage term is read from.
    """
    dec = decision_bar_nb(bar, lag)
    # room for one record per flagged column, so the per-order code never reallocates
    orders = grow_nb(orders, n_o + n_todo)
    trades = grow_nb(trades, n_tr + n_todo)
    n_o, n_go = _size_orders_nb(
        bar, dec, n_todo, row, stamp, groups, rules, cols, work, accts, orders, n_o
    )
    n_o, n_tr = _fill_orders_nb(
        bar, dec, n_go, row, range_bar, bars, groups, cost, rules, cols, work, accts,
        orders, n_o, trades, n_tr,
    )  # fmt: skip
    return orders, n_o, trades, n_tr


@njit(cache=True, inline="always")
def _size_orders_nb(
    bar: int, dec: int, n_todo: int, row: F64, stamp: int,
    groups: tuple[I64, I64, I64, I64],
    rules: KernelRules,
    cols: tuple[F64, F64, F64, F64, F64, F64],
    work: tuple[I64, I64, I64, I64, I64],
    accts: tuple[F64, F64, F64],
    orders: Records, n_o: int,
) -> tuple[int, int]:  # fmt: skip
    """Turn flagged columns into wanted positions; records rejections, keeps the rest in todo."""
    col_acc, acc_ptr, acc_cols, valued = groups
    pos, last_tgt, carry, mark, want, req = cols
    _, todo, _, origin, note = work
    cash, eq_acc, gross_acc = accts
    n_go = 0
    for k in range(n_todo):
        j = todo[k]
        o = origin[j]
        ref = row[j]
        acc = col_acc[j]
        reject = en.REASON_NONE
        if not (math.isfinite(ref) and ref > 0.0):
            if o == en.ORIGIN_REBALANCE:
                continue  # rebalancing simply waits for a price
            reject = en.REASON_NO_PRICE
        else:
            if valued[acc] != stamp:  # each account is valued once per phase, before a fill
                eq_acc[acc], gross_acc[acc] = _value_nb(
                    acc_ptr[acc], acc_ptr[acc + 1], acc_cols, row, pos, mark, cash[acc]
                )
                valued[acc] = stamp
            w = carry[j] if o == en.ORIGIN_CARRY else want_nb(
                last_tgt[j], ref, eq_acc[acc], rules.size_type, rules.whole
            )  # fmt: skip
            if math.isnan(w):
                reject = en.REASON_CASH
        if reject != en.REASON_NONE:
            push_order_nb(
                orders, n_o, j, bar, dec, o, en.STATUS_REJECTED, reject,
                np.nan, 0.0, ref, np.nan, 0.0, 0.0, pos[j],
            )  # fmt: skip
            n_o += 1
            continue
        drift = abs(w - pos[j]) * ref
        threshold = o == en.ORIGIN_REBALANCE and rules.rebal_mode == en.REBAL_THRESHOLD
        if threshold and (eq_acc[acc] <= 0.0 or drift <= rules.rebal_thr * eq_acc[acc]):
            continue
        raw = w
        note[j] = en.REASON_NONE
        if w < 0.0 and not rules.allow_short:
            w = 0.0
            note[j] = en.REASON_NO_SHORT
        if negligible_nb(w, pos[j]):
            if note[j] != en.REASON_NONE:
                push_order_nb(
                    orders, n_o, j, bar, dec, o, en.STATUS_REJECTED, note[j],
                    raw - pos[j], 0.0, ref, np.nan, 0.0, 0.0, pos[j],
                )  # fmt: skip
                n_o += 1
            continue
        want[j] = w
        req[j] = raw - pos[j]
        todo[n_go] = j
        n_go += 1
    return n_o, n_go


@njit(cache=True, inline="always")
def _value_nb(
    start: int, stop: int, members: I64, row: F64, pos: F64, mark: F64, cash: float
) -> tuple[float, float]:
    """(equity, gross exposure) of one account at the phase's prices (last mark if none)."""
    equity, gross = cash, 0.0
    for m in range(start, stop):
        held = pos[members[m]]
        if held != 0.0:
            px = row[members[m]]
            if not (math.isfinite(px) and px > 0.0):
                px = mark[members[m]]
            equity += held * px
            gross += abs(held) * px
    return equity, gross


@njit(cache=True, inline="always")
def _fill_orders_nb(
    bar: int, dec: int, n_go: int, row: F64, range_bar: int,
    bars: tuple[F64, F64, F64, F64],
    groups: tuple[I64, I64, I64, I64],
    cost: FillCosts,
    rules: KernelRules,
    cols: tuple[F64, F64, F64, F64, F64, F64],
    work: tuple[I64, I64, I64, I64, I64],
    accts: tuple[F64, F64, F64],
    orders: Records, n_o: int, trades: Records, n_tr: int,
) -> tuple[int, int]:  # fmt: skip
    """Cut and fill the sized orders, shrinking ones first: they free cash for the others."""
    high, low, close, volume = bars
    col_acc = groups[0]
    pos, _, carry, mark, want, req = cols
    open_trade, todo, seq, origin, note = work
    cash, eq_acc, gross_acc = accts
    n_seq = 0
    for stage in range(2):
        for k in range(n_go):
            j = todo[k]
            if _is_reducing(pos[j], want[j]) == (stage == 0):
                seq[n_seq] = j
                n_seq += 1
    for k in range(n_seq):
        j = seq[k]
        acc = col_acc[j]
        ref = row[j]
        before = pos[j]
        vol = volume[bar, j]
        base = cost.base
        if cost.range_frac > 0.0 and range_bar >= 0:  # base_frac_nb, without array arguments
            rb = range_bar
            base += cost.range_frac * range_frac_nb(high[rb, j], low[rb, j], close[rb, j])
        after, reason, carry[j] = cut_order_nb(
            before, want[j], note[j], ref, base, vol, eq_acc[acc], gross_acc[acc], cost, rules
        )
        qty = after - before
        if qty == 0.0:
            push_order_nb(
                orders, n_o, j, bar, dec, origin[j], en.STATUS_REJECTED, reason, req[j],
                0.0, ref, np.nan, 0.0, 0.0, before,
            )  # fmt: skip
            n_o += 1
            continue
        # what fill_nb does, spelled out: array arguments cost refcounting in this hot loop
        price, fee, slip = fill_terms_nb(qty, ref, base, vol, cost)
        cash[acc] -= qty * price + fee
        eq_acc[acc] -= qty * (price - ref) + fee
        gross_acc[acc] += (abs(after) - abs(before)) * ref
        pos[j] = after
        mark[j] = ref
        n_tr = book_fill_nb(trades, n_tr, open_trade, j, bar, before, after, price, fee, slip)
        status = en.STATUS_FILLED if reason == en.REASON_NONE else en.STATUS_REDUCED
        push_order_nb(
            orders, n_o, j, bar, dec, origin[j], status, reason, req[j], qty, ref, price,
            fee, slip, after,
        )  # fmt: skip
        n_o += 1
    return n_o, n_tr
