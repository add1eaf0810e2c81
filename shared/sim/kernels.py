"""The portfolio kernel: targets in; orders, trades and the equity curve out (NumPy only).

Per bar t, in this order: (1) with fills at the open, the orders for targets decided at bar
t - lag; (2) stop-loss / take-profit exits inside the bar; (3) with fills at the close, the
orders; (4) on the last bar, closing everything if asked; (5) marking at the close, where an
account whose equity is <= 0 is ruined: closed at that close and never trades again.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from numba import njit, types

from shared.sim import enums as en
from shared.sim import records as rc
from shared.sim.book import grow_nb, push_order_nb
from shared.sim.execution import base_frac_nb, fill_nb, order_phase_nb, origin_nb
from shared.sim.kernel_args import FILL_COSTS_T, KERNEL_RULES_T, FillCosts, KernelRules
from shared.sim.ruin import drop_ruined_nb, ruin_nb
from shared.sim.target_lists import collect_listed_nb, listed_targets_nb
from shared.sim.timing import decision_bar_nb

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
Records = npt.NDArray[np.void]

# One typed signature, any memory layout: pandas hands out C- or F-ordered, writable or
# read-only arrays, and each combination would otherwise be a separate compile.
_A2 = types.Array(types.float64, 2, "A", readonly=True)
_A1 = types.Array(types.float64, 1, "A", readonly=True)
_I1 = types.Array(types.int64, 1, "A", readonly=True)
SIMULATE_SIG = (
    _A2, _A2, _A2, _A2, _A2, _A2, _I1, _A1, FILL_COSTS_T, KERNEL_RULES_T, types.int64
)  # fmt: skip


@njit(cache=True)
def _members_nb(col_acc: I64, n_acc: int) -> tuple[I64, I64]:
    """Columns of each account, grouped (CSR: account a owns cols[ptr[a]:ptr[a + 1]])."""
    ptr = np.zeros(n_acc + 1, dtype=np.int64)
    for j in range(col_acc.shape[0]):
        ptr[col_acc[j] + 1] += 1
    for a in range(n_acc):
        ptr[a + 1] += ptr[a]
    cols = np.empty(col_acc.shape[0], dtype=np.int64)
    fill = ptr[:-1].copy()
    for j in range(col_acc.shape[0]):
        cols[fill[col_acc[j]]] = j
        fill[col_acc[j]] += 1
    return ptr, cols


@njit(cache=True, inline="always")
def _collect_nb(
    dec: int, targets: F64, last_tgt: F64, pos: F64, carry: F64, rebal_mode: int,
    todo: I64, origin: I64,
) -> int:  # fmt: skip
    """List the columns with an order this phase (in todo, with their origin); how many."""
    n_todo = 0
    for j in range(pos.shape[0]):
        tgt = targets[dec, j] if dec >= 0 else np.nan
        o = origin_nb(tgt, last_tgt[j], pos[j], carry[j], rebal_mode)
        if o == en.ORIGIN_TARGET:
            last_tgt[j] = tgt
            carry[j] = np.nan  # a new target replaces what the volume cap left over
        if o >= 0:
            todo[n_todo] = j
            origin[j] = o
            n_todo += 1
    return n_todo


@njit(cache=True, inline="always")
def _stop_price_nb(
    held: float, entry: float, open_: float, high: float, low: float, sl: float, tp: float
) -> tuple[int, float]:
    """Which exit (if any) the bar triggers and its reference price; stop-loss wins ties."""
    if held > 0.0:
        if sl > 0.0 and low <= entry * (1.0 - sl):
            return en.ORIGIN_STOP_LOSS, min(open_, entry * (1.0 - sl))  # gapped: the open
        if tp > 0.0 and high >= entry * (1.0 + tp):
            return en.ORIGIN_TAKE_PROFIT, max(open_, entry * (1.0 + tp))
    else:
        if sl > 0.0 and high >= entry * (1.0 + sl):
            return en.ORIGIN_STOP_LOSS, max(open_, entry * (1.0 + sl))
        if tp > 0.0 and low <= entry * (1.0 - tp):
            return en.ORIGIN_TAKE_PROFIT, min(open_, entry * (1.0 - tp))
    return -1, np.nan


@njit(cache=True)
def _stops_nb(
    bar: int, open_: F64, high: F64, low: F64, close: F64, volume: F64, sl: float, tp: float,
    col_acc: I64, cost: FillCosts, pos: F64, mark: F64, carry: F64, cash: F64,
    eq_acc: F64, gross_acc: F64, open_trade: I64,
    orders: Records, n_o: int, trades: Records, n_tr: int,
) -> tuple[Records, int, Records, int]:  # fmt: skip
    """Close positions whose stop-loss or take-profit level the bar reached."""
    orders = grow_nb(orders, n_o + pos.shape[0])
    trades = grow_nb(trades, n_tr + pos.shape[0])
    for j in range(pos.shape[0]):
        held = pos[j]
        if held == 0.0:
            continue
        o, h, lo = open_[bar, j], high[bar, j], low[bar, j]
        if not (math.isfinite(o) and math.isfinite(h) and math.isfinite(lo)):
            continue
        rec = trades[open_trade[j]]
        entry = rec["entry_value"] / rec["entry_qty"]
        origin, ref = _stop_price_nb(held, entry, o, h, lo, sl, tp)
        if origin < 0:
            continue
        base = base_frac_nb(cost, high, low, close, bar - 1, j)
        price, fee, slip, n_tr = fill_nb(
            j, bar, 0.0, ref, base, volume[bar, j], col_acc[j], pos, mark, cash, eq_acc,
            gross_acc, cost, open_trade, trades, n_tr,
        )  # fmt: skip
        carry[j] = np.nan
        push_order_nb(
            orders, n_o, j, bar, bar, origin, en.STATUS_FILLED, en.REASON_NONE,
            -held, -held, ref, price, fee, slip, 0.0,
        )  # fmt: skip
        n_o += 1
    return orders, n_o, trades, n_tr


@njit(cache=True)
def _close_all_nb(
    bar: int, high: F64, low: F64, close: F64, volume: F64, col_acc: I64, cost: FillCosts,
    pos: F64, mark: F64, carry: F64, cash: F64, eq_acc: F64, gross_acc: F64,
    open_trade: I64, orders: Records, n_o: int, trades: Records, n_tr: int,
) -> tuple[Records, int, Records, int]:  # fmt: skip
    """Sell or cover every open position at the last close (`close_at_end=True`)."""
    orders = grow_nb(orders, n_o + pos.shape[0])
    trades = grow_nb(trades, n_tr + pos.shape[0])
    for j in range(pos.shape[0]):
        held = pos[j]
        if held == 0.0:
            continue
        ref = close[bar, j]
        if not (math.isfinite(ref) and ref > 0.0):
            push_order_nb(
                orders, n_o, j, bar, bar, en.ORIGIN_CLOSE_AT_END, en.STATUS_REJECTED,
                en.REASON_NO_PRICE, -held, 0.0, ref, np.nan, 0.0, 0.0, held,
            )  # fmt: skip
            n_o += 1
            continue
        base = base_frac_nb(cost, high, low, close, bar, j)
        price, fee, slip, n_tr = fill_nb(
            j, bar, 0.0, ref, base, volume[bar, j], col_acc[j], pos, mark, cash, eq_acc,
            gross_acc, cost, open_trade, trades, n_tr,
        )  # fmt: skip
        carry[j] = np.nan
        push_order_nb(
            orders, n_o, j, bar, bar, en.ORIGIN_CLOSE_AT_END, en.STATUS_FILLED,
            en.REASON_NONE, -held, -held, ref, price, fee, slip, 0.0,
        )  # fmt: skip
        n_o += 1
    return orders, n_o, trades, n_tr


@njit(cache=True)
def _final_marks_nb(close: F64, orders: Records, pos: F64, mark: F64) -> None:
    """Mark the flat columns as a close-by-close marking would have: the last close, unless
    a fill came after it (its reference price is the mark then, and mark holds it)."""
    n_bars, n_cols = close.shape
    last_fill = np.full(n_cols, -1, dtype=np.int64)
    for i in range(orders.shape[0]):
        if orders[i]["filled"] != 0.0:
            last_fill[orders[i]["col"]] = orders[i]["bar"]
    for j in range(n_cols):
        if pos[j] != 0.0:
            continue
        t = n_bars - 1
        while t >= last_fill[j] and t >= 0:
            c = close[t, j]
            if math.isfinite(c) and c > 0.0:
                mark[j] = c
                break
            t -= 1


# Room per column that one bar needs: it writes at most an order-phase order, a stop exit, the
# close at the end and a ruin close, and opens at most one trade (an order-phase fill); each
# call also asks for a column's worth of room before it writes, on top of what came before.
_BAR_ORDERS = 4
_BAR_TRADES = 2
# from this many columns the bar loop reads listed target changes instead of every target
_LISTED_FROM_COLS = 16


@njit(cache=True, inline="always")
def _check_room_nb(got_o: Records, orders: Records, got_t: Records, trades: Records) -> None:
    # a call that had to reallocate would have written to a copy the bar loop does not keep
    if got_o.shape[0] != orders.shape[0] or got_t.shape[0] != trades.shape[0]:
        raise RuntimeError("shared.sim: record buffers outgrown inside the bar loop")


@njit(cache=True)
def _with_room_nb(records: Records, n_used: int, need: int) -> Records:
    """`records`, or a copy of its first n_used rows with room for `need` rows in all."""
    if need <= records.shape[0]:
        return records
    bigger = np.empty(max(2 * records.shape[0], need), dtype=records.dtype)
    bigger[:n_used] = records[:n_used]
    return bigger


@njit(cache=True)
def _run_bars_nb(
    start: int, px: tuple[F64, F64, F64, F64, F64], targets: F64,
    listed: tuple[I64, I64] | None,
    cost: FillCosts, rules: KernelRules, groups: tuple[I64, I64, I64, I64],
    cols: tuple[F64, F64, F64, F64, F64, F64], work: tuple[I64, I64, I64, I64, I64],
    accts: tuple[F64, F64, F64], ruined: npt.NDArray[np.bool_], curves: tuple[F64, F64, F64],
    orders: Records, n_o: int, trades: Records, n_tr: int,
) -> tuple[int, int, int]:  # fmt: skip
    """Run bars from `start` while the records have room for a whole bar.

    Returns the next bar to run and the record counts. The record arrays are never
    replaced here: every call below finds room, so the arrays it returns are these.
    """
    open_, high, low, close, volume = px
    col_acc, acc_ptr, acc_cols = groups[0], groups[1], groups[2]
    pos, last_tgt, carry, mark = cols[0], cols[1], cols[2], cols[3]
    open_trade, todo, origin = work[0], work[1], work[3]
    cash, eq_acc, gross_acc = accts
    equity, cash_out, gross = curves
    n_bars, n_cols = close.shape
    n_acc = cash.shape[0]
    fill_at_open, lag, rebal_mode = rules.fill_at_open, rules.lag, rules.rebal_mode
    stops = rules.stop_loss > 0.0 or rules.take_profit > 0.0
    bars = (high, low, close, volume)
    any_ruined = bool(ruined.any())
    last_o = orders.shape[0] - _BAR_ORDERS * n_cols
    last_t = trades.shape[0] - _BAR_TRADES * n_cols
    acc_value = np.zeros(n_acc)  # value of each account's positions at this close
    bar = start
    while bar < n_bars and n_o <= last_o and n_tr <= last_t:
        for phase in range(2):
            if phase == 1 and stops:
                _o, n_o, _t, n_tr = _stops_nb(
                    bar, open_, high, low, close, volume, rules.stop_loss, rules.take_profit,
                    col_acc, cost, pos, mark, carry, cash, eq_acc, gross_acc, open_trade,
                    orders, n_o, trades, n_tr,
                )  # fmt: skip
                _check_room_nb(_o, orders, _t, trades)
            if fill_at_open != (phase == 0):
                continue
            dec = decision_bar_nb(bar, lag)
            if listed is not None:  # resolved when compiled
                n_todo = collect_listed_nb(
                    dec, targets, listed[0], listed[1], last_tgt, todo, origin
                )
            else:
                n_todo = _collect_nb(dec, targets, last_tgt, pos, carry, rebal_mode, todo, origin)
            if any_ruined:
                n_todo = drop_ruined_nb(todo, n_todo, col_acc, ruined)
            if n_todo > 0:
                row = open_[bar] if fill_at_open else close[bar]
                # the range term uses the last bar finished before the order could be sent
                range_bar = bar - 1 if fill_at_open else bar
                _o, n_o, _t, n_tr = order_phase_nb(
                    bar, lag, n_todo, row, range_bar, 2 * bar + phase, bars, groups, cost,
                    rules, cols, work, accts, orders, n_o, trades, n_tr,
                )  # fmt: skip
                _check_room_nb(_o, orders, _t, trades)
        if rules.close_at_end and bar == n_bars - 1:
            _o, n_o, _t, n_tr = _close_all_nb(
                bar, high, low, close, volume, col_acc, cost, pos, mark, carry, cash,
                eq_acc, gross_acc, open_trade, orders, n_o, trades, n_tr,
            )  # fmt: skip
            _check_room_nb(_o, orders, _t, trades)
        value = 0.0  # marking at the close (the last close where this one is missing)
        exposure = 0.0
        for j in range(n_cols):
            if pos[j] != 0.0:  # flat columns are marked once, at the end (_final_marks_nb)
                c = close[bar, j]
                if math.isfinite(c) and c > 0.0:
                    mark[j] = c
                held = pos[j] * mark[j]
                value += held
                exposure += abs(pos[j]) * mark[j]
                acc_value[col_acc[j]] += held
        total_cash = 0.0
        for a in range(n_acc):
            if cash[a] + acc_value[a] <= 0.0 and not ruined[a]:
                # ruin: flat at this close at no cost, so equity at this bar is unchanged
                _o, n_o, _t, n_tr, acc_gross = ruin_nb(
                    bar, acc_ptr[a], acc_ptr[a + 1], acc_cols, pos, mark, carry, open_trade,
                    orders, n_o, trades, n_tr,
                )  # fmt: skip
                _check_room_nb(_o, orders, _t, trades)
                cash[a] += acc_value[a]
                value -= acc_value[a]  # exact with one account: the same sum in the same order
                exposure -= acc_gross
                ruined[a] = True
                any_ruined = True
            acc_value[a] = 0.0
            total_cash += cash[a]
        cash_out[bar] = total_cash
        equity[bar] = total_cash + value
        gross[bar] = exposure
        bar += 1
    return bar, n_o, n_tr


@njit(cache=True)
def _run_all_nb(
    px: tuple[F64, F64, F64, F64, F64], targets: F64, listed: tuple[I64, I64] | None,
    cost: FillCosts, rules: KernelRules, groups: tuple[I64, I64, I64, I64],
    cols: tuple[F64, F64, F64, F64, F64, F64], work: tuple[I64, I64, I64, I64, I64],
    accts: tuple[F64, F64, F64], ruined: npt.NDArray[np.bool_], curves: tuple[F64, F64, F64],
    orders: Records, trades: Records,
) -> tuple[Records, int, Records, int]:  # fmt: skip
    """Run every bar, growing the records between runs of _run_bars_nb."""
    n_bars, n_cols = targets.shape
    room_o, room_t = _BAR_ORDERS * n_cols, _BAR_TRADES * n_cols
    n_o, n_tr, bar = 0, 0, 0
    while bar < n_bars:
        # the bar loop never reallocates (a record array reassigned inside a loop costs
        # reference counting on every bar): it stops when a bar might not fit
        orders = _with_room_nb(orders, n_o, n_o + room_o)
        trades = _with_room_nb(trades, n_tr, n_tr + room_t)
        bar, n_o, n_tr = _run_bars_nb(
            bar, px, targets, listed, cost, rules, groups, cols, work, accts, ruined, curves,
            orders, n_o, trades, n_tr,
        )  # fmt: skip
    return orders, n_o, trades, n_tr


@njit(SIMULATE_SIG, cache=True)
def simulate_nb(
    open_: F64, high: F64, low: F64, close: F64, volume: F64, targets: F64,
    col_acc: I64, acc_cash: F64, cost: FillCosts, rules: KernelRules, capacity: int,
) -> tuple[F64, F64, F64, Records, Records, F64, F64]:  # fmt: skip
    """Run a portfolio over (bars x columns) arrays; see shared.sim.spec.RunSpec for the rules.

    col_acc maps each column to its account, acc_cash holds each account's starting cash;
    capacity is the expected number of orders (the records grow past it when needed).
    Returns equity, cash and gross exposure per bar (at the close), order and trade records,
    and the final positions and marks per column.
    """
    n_bars, n_cols = close.shape
    pos = np.zeros(n_cols)
    last_tgt = np.zeros(n_cols)  # flat before the first target, so a first 0 places nothing
    carry = np.full(n_cols, np.nan)
    mark = np.full(n_cols, np.nan)
    open_trade = np.full(n_cols, -1, dtype=np.int64)
    cash = acc_cash.copy()
    n_acc = cash.shape[0]
    acc_ptr, acc_cols = _members_nb(col_acc, n_acc)
    # bundles for the bar loop and order_phase_nb (a call with more than 30 arguments
    # cannot be inlined)
    px = (open_, high, low, close, volume)
    groups = (col_acc, acc_ptr, acc_cols, np.full(n_acc, -1, dtype=np.int64))
    cols = (pos, last_tgt, carry, mark, np.zeros(n_cols), np.zeros(n_cols))
    work = (open_trade, np.zeros(n_cols, dtype=np.int64), np.zeros(n_cols, dtype=np.int64),
            np.zeros(n_cols, dtype=np.int64), np.zeros(n_cols, dtype=np.int64))  # fmt: skip
    accts = (cash, np.zeros(n_acc), np.zeros(n_acc))
    curves = (np.empty(n_bars), np.empty(n_bars), np.empty(n_bars))  # equity, cash, gross
    ruined = np.zeros(n_acc, dtype=np.bool_)
    orders = np.empty(max(capacity, 16) + _BAR_ORDERS * n_cols, dtype=rc.order_dt)
    trades = np.empty(max(capacity, 16) + _BAR_TRADES * n_cols, dtype=rc.trade_dt)
    # When only a new target can trade, a wide panel's bar loop reads a list of them, not
    # every cell. Two compiled loops: a branch between the two inside one loop made every
    # bar slower; and for a few columns, scanning them is faster (measured: 1 column, 2,148
    # bars: 47 us scanning, 88 us listed; 1,000 columns: listed 4x faster without orders).
    only_new = rules.rebal_mode == en.REBAL_ON_CHANGE and rules.cap_frac == 0.0
    if only_new and n_cols >= _LISTED_FROM_COLS:
        orders, n_o, trades, n_tr = _run_all_nb(
            px, targets, listed_targets_nb(targets), cost, rules, groups, cols, work, accts,
            ruined, curves, orders, trades,
        )  # fmt: skip
    else:
        orders, n_o, trades, n_tr = _run_all_nb(
            px, targets, None, cost, rules, groups, cols, work, accts, ruined, curves, orders,
            trades,
        )  # fmt: skip
    _final_marks_nb(close, orders[:n_o], pos, mark)
    for j in range(n_cols):
        if open_trade[j] >= 0:
            rec = trades[open_trade[j]]
            rec["open_qty"] = abs(pos[j])
            rec["mark_price"] = mark[j]
    equity, cash_out, gross = curves
    return equity, cash_out, gross, orders[:n_o], trades[:n_tr], pos, mark
