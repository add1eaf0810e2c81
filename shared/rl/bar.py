"""One bar of the engine, cut where the agent decides: the same calls simulate_nb makes, in order.

shared.sim.kernels.simulate_nb runs, per bar: (1) the open-phase orders, (2) stop-loss /
take-profit exits, (3) the close-phase orders, (4) closing everything on the last bar if asked,
(5) marking at the close. The environment pauses between bars (or, when decisions fill at their
own close, between (2) and (3)), so it runs (1)-(2) as the bar's *head* and (3)-(5) as its
*tail*, calling the engine's own order, stop and fill functions: no second implementation of
sizing, costs or fills lives here.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt
from numba import njit

from shared.sim.execution import order_phase_nb
from shared.sim.kernel_args import FillCosts, KernelRules
from shared.sim.kernels import _close_all_nb, _collect_nb, _stops_nb
from shared.sim.timing import decision_bar_nb

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
Records = npt.NDArray[np.void]
Static = tuple[I64, I64, I64]  # the account map's col_acc, ptr, members


@njit(cache=True, inline="always")
def _state_nb(
    prices: F64, start: int, length: int, static: Static, fr: F64, ir: I64, n: int, a: int
) -> tuple[Any, ...]:
    """The engine's views of one copy's state rows (laid out as shared.rl.batch._views_nb) and
    of its window's prices: made only in the branches that call the engine, since every view is
    reference-counted (an atomic add and subtract), which cost a quiet bar more than its work."""
    cols = (fr[0:n], fr[n : 2 * n], fr[2 * n : 3 * n], fr[3 * n : 4 * n], fr[4 * n : 5 * n],
            fr[5 * n : 6 * n])  # fmt: skip  # pos, last_tgt, carry, mark, want, req
    f0 = 6 * n
    accts = (fr[f0 : f0 + a], fr[f0 + a : f0 + 2 * a], fr[f0 + 2 * a : f0 + 3 * a])
    work = (ir[0:n], ir[n : 2 * n], ir[2 * n : 3 * n], ir[3 * n : 4 * n],
            ir[4 * n : 5 * n])  # fmt: skip  # open_trade, todo, seq, origin, note
    groups = (static[0], static[1], static[2], ir[6 * n : 6 * n + a])
    stop = start + length
    px = (prices[0, start:stop], prices[1, start:stop], prices[2, start:stop],
          prices[3, start:stop], prices[4, start:stop])  # fmt: skip
    return px, groups, cols, work, accts


@njit(cache=True, inline="always")
def _phase_nb(
    bar: int, phase: int, prices: F64, start: int, length: int, targets: F64, static: Static,
    cost: FillCosts, rules: KernelRules, fr: F64, ir: I64, n: int, a: int,
    orders: Records, n_o: int, trades: Records, n_tr: int,
) -> tuple[int, int]:  # fmt: skip
    """The orders due on `bar` at the open (phase 0) or the close (phase 1), as simulate_nb."""
    n_todo = _collect_nb(
        decision_bar_nb(bar, rules.lag), targets, fr[n : 2 * n], fr[0:n], fr[2 * n : 3 * n],
        rules.rebal_mode, ir[n : 2 * n], ir[3 * n : 4 * n],
    )  # fmt: skip
    if n_todo == 0:
        return n_o, n_tr
    px, groups, cols, work, accts = _state_nb(prices, start, length, static, fr, ir, n, a)
    close = px[3]
    fill_at_open = rules.fill_at_open
    row = px[0][bar] if fill_at_open else close[bar]
    range_bar = bar - 1 if fill_at_open else bar
    cap_o, cap_t = orders.shape[0], trades.shape[0]
    orders, n_o, trades, n_tr = order_phase_nb(
        bar, rules.lag, n_todo, row, range_bar, 2 * bar + phase, (px[1], px[2], close, px[4]),
        groups, cost, rules, cols, work, accts, orders, n_o, trades, n_tr,
    )  # fmt: skip
    _check_room_nb(orders, cap_o, trades, cap_t)
    return n_o, n_tr


@njit(cache=True, inline="always")
def _check_room_nb(orders: Records, cap_o: int, trades: Records, cap_t: int) -> None:
    # the buffers are views into per-copy rows: a grown copy would lose the open trades
    if orders.shape[0] != cap_o or trades.shape[0] != cap_t:
        raise RuntimeError("shared.rl: record buffers outgrown (sizing bug)")


@njit(cache=True, inline="always")
def _stop_phase_nb(
    bar: int, prices: F64, start: int, length: int, static: Static, cost: FillCosts,
    rules: KernelRules, fr: F64, ir: I64, n: int, a: int, orders: Records, n_o: int,
    trades: Records, n_tr: int,
) -> tuple[int, int]:  # fmt: skip
    """Stop-loss / take-profit exits on `bar`, as simulate_nb."""
    px, groups, cols, work, accts = _state_nb(prices, start, length, static, fr, ir, n, a)
    open_, high, low, close, volume = px
    cash, eq_acc, gross_acc = accts
    cap_o, cap_t = orders.shape[0], trades.shape[0]
    orders, n_o, trades, n_tr = _stops_nb(
        bar, open_, high, low, close, volume, rules.stop_loss, rules.take_profit, groups[0],
        cost, cols[0], cols[3], cols[2], cash, eq_acc, gross_acc, work[0], orders, n_o,
        trades, n_tr,
    )  # fmt: skip
    _check_room_nb(orders, cap_o, trades, cap_t)
    return n_o, n_tr


@njit(cache=True, inline="always")
def _close_phase_nb(
    bar: int, prices: F64, start: int, length: int, static: Static, cost: FillCosts,
    fr: F64, ir: I64, n: int, a: int, orders: Records, n_o: int, trades: Records, n_tr: int,
) -> tuple[int, int]:  # fmt: skip
    """Everything closed on the window's last bar (close_at_end), as simulate_nb."""
    px, groups, cols, work, accts = _state_nb(prices, start, length, static, fr, ir, n, a)
    _, high, low, close, volume = px
    cash, eq_acc, gross_acc = accts
    cap_o, cap_t = orders.shape[0], trades.shape[0]
    orders, n_o, trades, n_tr = _close_all_nb(
        bar, high, low, close, volume, groups[0], cost, cols[0], cols[3], cols[2], cash,
        eq_acc, gross_acc, work[0], orders, n_o, trades, n_tr,
    )  # fmt: skip
    _check_room_nb(orders, cap_o, trades, cap_t)
    return n_o, n_tr


@njit(cache=True, inline="always")
def run_bar_nb(
    bar: int, head: bool, tail: bool, prices: F64, start: int, length: int, targets: F64,
    static: Static, cost: FillCosts, rules: KernelRules, fr: F64, ir: I64, n: int, a: int,
    orders: Records, n_o: int, trades: Records, n_tr: int,
) -> tuple[int, int, float]:  # fmt: skip
    """Run the head and/or the tail of window bar `bar` for the copy whose state rows are `fr`
    and `ir`; returns the record counts and, after a tail, the equity marked at the bar's close
    (NaN after a head alone)."""
    if head:
        if rules.fill_at_open:
            n_o, n_tr = _phase_nb(
                bar, 0, prices, start, length, targets, static, cost, rules, fr, ir, n, a,
                orders, n_o, trades, n_tr,
            )  # fmt: skip
        if rules.stop_loss > 0.0 or rules.take_profit > 0.0:
            n_o, n_tr = _stop_phase_nb(
                bar, prices, start, length, static, cost, rules, fr, ir, n, a, orders, n_o,
                trades, n_tr,
            )  # fmt: skip
    if not tail:
        return n_o, n_tr, np.nan
    if not rules.fill_at_open:
        n_o, n_tr = _phase_nb(
            bar, 1, prices, start, length, targets, static, cost, rules, fr, ir, n, a,
            orders, n_o, trades, n_tr,
        )  # fmt: skip
    if rules.close_at_end and bar == length - 1:
        n_o, n_tr = _close_phase_nb(
            bar, prices, start, length, static, cost, fr, ir, n, a, orders, n_o, trades, n_tr
        )
    # marking at the close, as simulate_nb does it (the last close where this one is missing)
    value = 0.0
    for j in range(n):
        c = prices[3, start + bar, j]
        if math.isfinite(c) and c > 0.0:
            fr[3 * n + j] = c  # mark
        if fr[j] != 0.0:  # pos
            value += fr[j] * fr[3 * n + j]
    cash = 0.0
    for k in range(a):
        cash += fr[6 * n + k]
    return n_o, n_tr, cash + value


@njit(cache=True, inline="always")
def compact_trades_nb(trades: Records, open_trade: I64, n_tr: int) -> int:
    """Keep only the open trades' records (stops read their entry price); returns the count.

    Closed trades are not needed by the environment, so the buffer never grows: records move
    down in index order, which never overwrites one still to be moved.
    """
    k = 0
    for idx in range(n_tr):
        col = trades[idx]["col"]
        if open_trade[col] == idx:
            if idx != k:
                trades[k] = trades[idx]
                trades[k]["id"] = k
            open_trade[col] = k
            k += 1
    return k
