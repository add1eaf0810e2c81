"""The portfolio kernel for runs where every account holds one column, run column by column.

With an account per column and only new targets trading (no rebalancing, no volume cap, no
stops), columns never interact: each one is simulated alone over its own contiguous bars
(pandas panels are column-major), visiting only the bars where its target changes, and the
bars between two of them are marked in one vectorised loop. The row-by-row kernel
(shared.sim.kernels) touches a cache line per held column on every bar and several per order;
this one reads memory in order.

It gives exactly what simulate_nb gives: the same helpers price every order, each bar's equity,
cash and exposure add the columns in the same order, and in_row_order_nb puts the records back
in the row kernel's order (by bar, then rejections, shrinking fills and growing fills, then the
closes at the end, each by column) when they are first read. An account ruined (equity <= 0
at a close) is left to simulate_nb: the kernel stops and says so. So does an infinite target:
the kernel checks the targets in its one pass over them.

The hot helpers are compiled without numba's reference counting (_nrt=False): they allocate
nothing, and the counts numba would add for each array argument and tuple unpacked, atomic
operations on every order, took a fifth of the run.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from numba import njit, types

from shared.sim import enums as en
from shared.sim import records as rc
from shared.sim.book import book_fill_nb, grow_nb, push_order_nb
from shared.sim.checks import BLOCK, block_has_change_nb
from shared.sim.costs import range_frac_nb
from shared.sim.execution import cut_order_nb, fill_terms_nb, negligible_nb, want_nb
from shared.sim.kernel_args import FILL_COSTS_T, KERNEL_RULES_T, FillCosts, KernelRules

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
Records = npt.NDArray[np.void]

# Arrays come transposed (symbols x bars): a column-major panel's .T, no copy. The closes and
# targets are C-contiguous, so that LLVM vectorises the loops over them; open, high, low and
# volume are read only on order bars, in any layout (volume is often a broadcast NaN).
_A2 = types.Array(types.float64, 2, "A", readonly=True)
_C2 = types.Array(types.float64, 2, "C", readonly=True)
_A1 = types.Array(types.float64, 1, "A", readonly=True)
SIMULATE_COLUMNS_SIG = (
    _A2, _A2, _A2, _C2, _A2, _C2, _A1, FILL_COSTS_T, KERNEL_RULES_T, types.boolean, types.int64
)  # fmt: skip

# numba's private flag: compile without reference counting (see the module's docstring)
_no_refcounts = njit(cache=True, _nrt=False)  # type: ignore[call-overload]

# Where a record sits among a bar's records (the row kernel writes them in this order).
_REJECTED, _SHRINKING, _GROWING, _AT_END = range(4)
_SLOTS = 4


def applies(rules: KernelRules, close: F64, targets: F64) -> bool:
    """Whether a run with an account per column can use this kernel: only new targets trade,
    and the closes and targets are column-major (a row-major panel suits the row kernel)."""
    return (
        close.flags.f_contiguous
        and targets.flags.f_contiguous
        and rules.rebal_mode == en.REBAL_ON_CHANGE
        and rules.cap_frac == 0.0
        and rules.stop_loss == 0.0
        and rules.take_profit == 0.0
    )


@njit(cache=True, error_model="numpy")
def _changes_nb(target: F64, lag: int, ev_bar: I64, ev_target: F64) -> int:
    """The bars an order is due on (a finite target unlike the last one, `lag` bars before)
    and those targets; how many, or -1 if some target is infinite (the run's targets are
    checked here, in the one pass over them). Blocks of NaN or repeated targets are passed
    over whole."""
    n_bars = target.shape[0]
    n = max(n_bars - lag, 0)  # decision bars whose order falls inside the run
    last = 0.0
    k = 0
    whole = n - n % BLOCK
    for start in range(0, n, BLOCK):
        if start < whole and not block_has_change_nb(target, start, last):
            continue
        for d in range(start, min(start + BLOCK, n)):
            x = target[d]
            if x == x and x != last:
                if math.isinf(x):
                    return -1
                ev_bar[k], ev_target[k] = d + lag, x
                last = x
                k += 1
    for d in range(n, n_bars):  # decided too late to fill, but checked all the same
        if math.isinf(target[d]):
            return -1
    return k


@_no_refcounts
def _mark_nb(
    close: F64, lo: int, hi: int, cash: float, held: float, mark: float, complete: bool,
    curves: tuple[F64, F64, F64],
) -> tuple[float, bool]:  # fmt: skip
    """Mark bars lo..hi-1 at fixed cash and position: add this column's cash, value and gross
    to each bar's sums; returns the last mark and whether the account's equity stayed > 0."""
    # slices indexed from 0: no negative-index test per bar, which keeps LLVM from vectorising
    value, total_cash, gross = curves[0][lo:hi], curves[1][lo:hi], curves[2][lo:hi]
    px = close[lo:hi]
    if held == 0.0:
        for i in range(px.shape[0]):
            total_cash[i] += cash
        return mark, not (hi > lo and cash <= 0.0)
    size = abs(held)
    bad = False
    if complete:  # every close present: the loop vectorises
        for i in range(px.shape[0]):
            c = px[i]
            v = held * c
            value[i] += v
            gross[i] += size * c
            total_cash[i] += cash
            bad |= cash + v <= 0.0
        if hi > lo:
            mark = px[-1]
        return mark, not bad
    for i in range(px.shape[0]):
        c = px[i]
        if math.isfinite(c) and c > 0.0:
            mark = c
        v = held * mark
        value[i] += v
        gross[i] += size * mark
        total_cash[i] += cash
        bad |= cash + v <= 0.0
    return mark, not bad


@njit(cache=True, inline="always")
def _base_nb(cost: FillCosts, high: F64, low: F64, close: F64, range_bar: int) -> float:
    """execution.base_frac_nb on one column's bars: slippage and half spread, plus the range
    term of a finished bar."""
    base = cost.base
    if cost.range_frac > 0.0 and range_bar >= 0:
        base += cost.range_frac * range_frac_nb(high[range_bar], low[range_bar], close[range_bar])
    return base


@_no_refcounts
def _order_nb(
    j: int, bar: int, dec: int, tgt: float, ref: float, cash: float, held: float,
    col_px: tuple[F64, F64, F64, F64, F64], cost: FillCosts, rules: KernelRules,
    orders: Records, n_o: int, keys: I64, opened: I64, trades: Records, n_tr: int,
    open_trade: I64,
) -> tuple[float, float, float, int, int]:  # fmt: skip
    """execution.order_phase_nb for one column in its own account: the order for target `tgt`
    on `bar` at reference price `ref`; returns (cash, position, mark or NaN if no fill, orders,
    trades)."""
    _, high, low, close, volume = col_px
    o = en.ORIGIN_TARGET
    phase_key = bar * _SLOTS
    equity, gross = cash, 0.0  # execution._value_nb of a one-column account
    if held != 0.0:
        equity += held * ref
        gross += abs(held) * ref
    priced = math.isfinite(ref) and ref > 0.0
    w = want_nb(tgt, ref, equity, rules.size_type, rules.whole) if priced else np.nan
    if math.isnan(w):  # no price, or a weight asked of an account with no equity
        reject = en.REASON_CASH if priced else en.REASON_NO_PRICE
        push_order_nb(
            orders, n_o, j, bar, dec, o, en.STATUS_REJECTED, reject,
            np.nan, 0.0, ref, np.nan, 0.0, 0.0, held,
        )  # fmt: skip
        keys[n_o], opened[n_o] = phase_key + _REJECTED, -1
        return cash, held, np.nan, n_o + 1, n_tr
    raw = w
    note = en.REASON_NONE
    if w < 0.0 and not rules.allow_short:
        w = 0.0
        note = en.REASON_NO_SHORT
    if negligible_nb(w, held):
        if note != en.REASON_NONE:
            push_order_nb(
                orders, n_o, j, bar, dec, o, en.STATUS_REJECTED, note,
                raw - held, 0.0, ref, np.nan, 0.0, 0.0, held,
            )  # fmt: skip
            keys[n_o], opened[n_o] = phase_key + _REJECTED, -1
            return cash, held, np.nan, n_o + 1, n_tr
        return cash, held, np.nan, n_o, n_tr
    shrinking = w == 0.0 or (w * held > 0.0 and abs(w) < abs(held))  # execution._is_reducing
    key = phase_key + (_SHRINKING if shrinking else _GROWING)
    vol = volume[bar] if cost.impact > 0.0 else np.nan  # a cache miss, read only if used
    # the range term uses the last bar finished before the order could be sent
    base = _base_nb(cost, high, low, close, bar - 1 if rules.fill_at_open else bar)
    after, reason, _ = cut_order_nb(held, w, note, ref, base, vol, equity, gross, cost, rules)
    qty = after - held
    if qty == 0.0:
        push_order_nb(
            orders, n_o, j, bar, dec, o, en.STATUS_REJECTED, reason, raw - held,
            0.0, ref, np.nan, 0.0, 0.0, held,
        )  # fmt: skip
        keys[n_o], opened[n_o] = key, -1
        return cash, held, np.nan, n_o + 1, n_tr
    price, fee, slip = fill_terms_nb(qty, ref, base, vol, cost)
    cash -= qty * price + fee
    before_tr = n_tr
    n_tr = book_fill_nb(trades, n_tr, open_trade, j, bar, held, after, price, fee, slip)
    status = en.STATUS_FILLED if reason == en.REASON_NONE else en.STATUS_REDUCED
    push_order_nb(
        orders, n_o, j, bar, dec, o, status, reason, raw - held, qty, ref, price,
        fee, slip, after,
    )  # fmt: skip
    keys[n_o], opened[n_o] = key, before_tr if n_tr > before_tr else -1
    return cash, after, ref, n_o + 1, n_tr


@_no_refcounts
def _close_at_end_nb(
    j: int, bar: int, cash: float, held: float, col_px: tuple[F64, F64, F64, F64, F64],
    cost: FillCosts, orders: Records, n_o: int, keys: I64, opened: I64, trades: Records,
    n_tr: int, open_trade: I64,
) -> tuple[float, float, float, int, int]:  # fmt: skip
    """kernels._close_all_nb for one column: (cash, position, mark or NaN, orders, trades)."""
    _, high, low, close, volume = col_px
    ref = close[bar]
    o, key = en.ORIGIN_CLOSE_AT_END, bar * _SLOTS + _AT_END
    if not (math.isfinite(ref) and ref > 0.0):
        push_order_nb(
            orders, n_o, j, bar, bar, o, en.STATUS_REJECTED, en.REASON_NO_PRICE, -held, 0.0,
            ref, np.nan, 0.0, 0.0, held,
        )  # fmt: skip
        keys[n_o], opened[n_o] = key, -1
        return cash, held, np.nan, n_o + 1, n_tr
    qty = -held
    vol = volume[bar] if cost.impact > 0.0 else np.nan
    price, fee, slip = fill_terms_nb(qty, ref, _base_nb(cost, high, low, close, bar), vol, cost)
    cash -= qty * price + fee
    n_tr = book_fill_nb(trades, n_tr, open_trade, j, bar, held, 0.0, price, fee, slip)
    push_order_nb(
        orders, n_o, j, bar, bar, o, en.STATUS_FILLED, en.REASON_NONE, qty, qty, ref, price,
        fee, slip, 0.0,
    )  # fmt: skip
    keys[n_o], opened[n_o] = key, -1
    return cash, 0.0, ref, n_o + 1, n_tr


@_no_refcounts
def _column_nb(
    j: int, n_events: int, ev_bar: I64, ev_target: F64, ev_ref: F64, cash: float,
    col_px: tuple[F64, F64, F64, F64, F64], cost: FillCosts, rules: KernelRules,
    complete: bool, curves: tuple[F64, F64, F64], orders: Records, n_o: int, keys: I64,
    opened: I64, trades: Records, n_tr: int, open_trade: I64,
) -> tuple[float, float, int, int, bool]:  # fmt: skip
    """Run column j through every bar (the records have room for all its orders); returns
    its final position and mark, the record counts, and False if its account was ruined."""
    close = col_px[3]
    n_bars = close.shape[0]
    ref_px = col_px[0] if rules.fill_at_open else close
    for k in range(n_events):  # loads that do not wait on each other: their cache misses overlap
        ev_ref[k] = ref_px[ev_bar[k]]
    held, mark = 0.0, np.nan
    last_fill = -1
    t = 0  # the first bar not marked yet
    for k in range(n_events):
        bar = ev_bar[k]
        mark, alive = _mark_nb(close, t, bar, cash, held, mark, complete, curves)
        if not alive:
            return held, mark, n_o, n_tr, False
        t = bar
        cash, held, filled_at, n_o, n_tr = _order_nb(
            j, bar, bar - rules.lag, ev_target[k], ev_ref[k], cash, held, col_px, cost, rules,
            orders, n_o, keys, opened, trades, n_tr, open_trade,
        )  # fmt: skip
        if not math.isnan(filled_at):
            mark, last_fill = filled_at, bar
    if rules.close_at_end and n_bars > 0:
        mark, alive = _mark_nb(close, t, n_bars - 1, cash, held, mark, complete, curves)
        if not alive:
            return held, mark, n_o, n_tr, False
        t = n_bars - 1
        if held != 0.0:
            cash, held, filled_at, n_o, n_tr = _close_at_end_nb(
                j, t, cash, held, col_px, cost, orders, n_o, keys, opened, trades, n_tr,
                open_trade,
            )  # fmt: skip
            if not math.isnan(filled_at):
                mark, last_fill = filled_at, t
    mark, alive = _mark_nb(close, t, n_bars, cash, held, mark, complete, curves)
    if held == 0.0:  # kernels._final_marks_nb: the last close at or after the last fill
        for b in range(n_bars - 1, max(last_fill, 0) - 1, -1):
            c = close[b]
            if math.isfinite(c) and c > 0.0:
                mark = c
                break
    return held, mark, n_o, n_tr, alive


@njit(cache=True, inline="always")
def _room(need: int, j: int, n_cols: int) -> int:
    """Records for the columns run so far (0..j, `need`), and as many again per column left:
    a guess that grows the buffers once or twice, not once per doubling."""
    return need + (need // (j + 1)) * (n_cols - j - 1)


@njit(cache=True)
def _record_order_nb(keys: I64, n_keys: int) -> I64:
    """A stable counting sort of the records by key: position k of the result holds the
    record that goes k-th. Records come column by column, so a key's records stay by column."""
    start = np.zeros(n_keys + 1, dtype=np.int64)
    for i in range(keys.shape[0]):
        start[keys[i] + 1] += 1
    for k in range(n_keys):
        start[k + 1] += start[k]
    order = np.empty(keys.shape[0], dtype=np.int64)
    for i in range(keys.shape[0]):
        order[start[keys[i]]] = i
        start[keys[i]] += 1
    return order


@njit(cache=True)
def _in_order_nb(records: Records, order: I64) -> None:
    """Rearrange records in place so that place k holds the record that was at order[k],
    numbered by their place (their `id`). Following the permutation's cycles moves each record
    once and allocates no second array.
    """
    n = order.shape[0]
    done = np.zeros(n, dtype=np.bool_)
    first = np.empty(1, dtype=records.dtype)
    for start in range(n):
        if done[start]:
            continue
        first[0] = records[start]
        k = start
        while order[k] != start:
            records[k] = records[order[k]]
            done[k] = True
            k = order[k]
        records[k] = first[0]
        done[k] = True
    for k in range(n):
        records[k]["id"] = k


@njit(SIMULATE_COLUMNS_SIG, cache=True)
def simulate_columns_nb(
    open_: F64, high: F64, low: F64, close: F64, volume: F64, targets: F64, col_cash: F64,
    cost: FillCosts, rules: KernelRules, complete: bool, capacity: int,
) -> tuple[F64, F64, F64, Records, Records, F64, F64, I64, I64, bool]:  # fmt: skip
    """simulate_nb for column j in account j (starting with col_cash[j]) when `applies`, on
    (symbols x bars) arrays.

    complete: no close is missing (the marking loop then vectorises). The targets need no
    check beforehand: the kernel reads each once and stops at an infinite one. capacity: the
    records to start with (they grow). Returns simulate_nb's outputs, the orders and trades
    column by column (in_row_order_nb, given the two arrays after them, puts them in the row
    kernel's order), then False when the kernel stopped, at an infinite target or a ruined
    account (the outputs are then incomplete: check the targets and run simulate_nb instead).
    """
    n_cols, n_bars = close.shape
    value, total_cash, gross = np.zeros(n_bars), np.zeros(n_bars), np.zeros(n_bars)
    curves = (value, total_cash, gross)
    pos, mark = np.zeros(n_cols), np.full(n_cols, np.nan)
    open_trade = np.full(n_cols, -1, dtype=np.int64)
    ev_bar, ev_target, ev_ref = np.empty(n_bars, dtype=np.int64), np.empty(n_bars), np.empty(n_bars)
    room = max(capacity, 16)
    orders, trades = np.empty(room, dtype=rc.order_dt), np.empty(room, dtype=rc.trade_dt)
    keys, opened = np.empty(room, dtype=np.int64), np.empty(room, dtype=np.int64)
    n_o, n_tr = 0, 0
    finished = True
    for j in range(n_cols):
        n_events = _changes_nb(targets[j], rules.lag, ev_bar, ev_target)
        if n_events < 0:  # an infinite target: the checked path reports it
            finished = False
            break
        need = n_events + 1  # an order per change and the close at the end
        if n_o + need > orders.shape[0]:  # room for as many in every column left
            room = _room(n_o + need, j, n_cols)
            orders, keys, opened = grow_nb(orders, room), grow_nb(keys, room), grow_nb(opened, room)
        if n_tr + need > trades.shape[0]:
            trades = grow_nb(trades, _room(n_tr + need, j, n_cols))
        col_px = (open_[j], high[j], low[j], close[j], volume[j])
        pos[j], mark[j], n_o, n_tr, finished = _column_nb(
            j, n_events, ev_bar, ev_target, ev_ref, col_cash[j], col_px, cost, rules, complete,
            curves, orders, n_o, keys, opened, trades, n_tr, open_trade,
        )  # fmt: skip
        if not finished:
            break
    equity = np.empty(n_bars)
    for t in range(n_bars):
        equity[t] = total_cash[t] + value[t]
    for j in range(n_cols):
        if open_trade[j] >= 0:
            rec = trades[open_trade[j]]
            rec["open_qty"] = abs(pos[j])
            rec["mark_price"] = mark[j]
    return (
        equity, total_cash, gross, orders[:n_o], trades[:n_tr], pos, mark, keys[:n_o],
        opened[:n_o], finished,
    )  # fmt: skip


@njit(cache=True)
def in_row_order_nb(orders: Records, trades: Records, keys: I64, opened: I64, n_bars: int) -> None:
    """Put simulate_columns_nb's records in the row kernel's order, in place (left to the
    first read of them: a run whose records are never read skips it)."""
    order = _record_order_nb(keys, n_bars * _SLOTS)
    trade_order = np.empty(trades.shape[0], dtype=np.int64)
    k = 0
    for i in range(order.shape[0]):  # a trade's place is that of the order that opened it
        if opened[order[i]] >= 0:
            trade_order[k] = opened[order[i]]
            k += 1
    _in_order_nb(orders, order)
    _in_order_nb(trades, trade_order)
