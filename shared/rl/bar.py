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
Bars = tuple[F64, F64, F64, F64, F64]  # open, high, low, close, volume of one window


@njit(cache=True, inline="always")
def _phase_nb(
    bar: int, phase: int, px: Bars, targets: F64, groups: tuple[I64, I64, I64, I64],
    cost: FillCosts, rules: KernelRules, cols: tuple[F64, F64, F64, F64, F64, F64],
    work: tuple[I64, I64, I64, I64, I64], accts: tuple[F64, F64, F64],
    orders: Records, n_o: int, trades: Records, n_tr: int,
) -> tuple[int, int]:  # fmt: skip
    """The orders due on `bar` at the open (phase 0) or the close (phase 1), as simulate_nb."""
    n_todo = _collect_nb(
        decision_bar_nb(bar, rules.lag), targets, cols[1], cols[0], cols[2], rules.rebal_mode,
        work[1], work[3],
    )  # fmt: skip
    if n_todo == 0:
        return n_o, n_tr
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
    bar: int, px: Bars, groups: tuple[I64, I64, I64, I64], cost: FillCosts, rules: KernelRules,
    cols: tuple[F64, F64, F64, F64, F64, F64], work: tuple[I64, I64, I64, I64, I64],
    accts: tuple[F64, F64, F64], orders: Records, n_o: int, trades: Records, n_tr: int,
) -> tuple[int, int]:  # fmt: skip
    """Stop-loss / take-profit exits on `bar`, as simulate_nb."""
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
    bar: int, px: Bars, groups: tuple[I64, I64, I64, I64], cost: FillCosts,
    cols: tuple[F64, F64, F64, F64, F64, F64], work: tuple[I64, I64, I64, I64, I64],
    accts: tuple[F64, F64, F64], orders: Records, n_o: int, trades: Records, n_tr: int,
) -> tuple[int, int]:  # fmt: skip
    """Everything closed on the window's last bar (close_at_end), as simulate_nb."""
    _, high, low, close, volume = px
    cash, eq_acc, gross_acc = accts
    cap_o, cap_t = orders.shape[0], trades.shape[0]
    orders, n_o, trades, n_tr = _close_all_nb(
        bar, high, low, close, volume, groups[0], cost, cols[0], cols[3], cols[2], cash,
        eq_acc, gross_acc, work[0], orders, n_o, trades, n_tr,
    )  # fmt: skip
    _check_room_nb(orders, cap_o, trades, cap_t)
    return n_o, n_tr


# Inlined into the step kernel, and no array taken out of its tuple before a branch needs it:
# every one taken out is reference-counted (an atomic add and subtract), which on a bar where
# nothing trades cost more than the bar itself (about 0.15 us a copy-step of 0.6).
@njit(cache=True, inline="always")
def run_bar_nb(
    bar: int, head: bool, tail: bool, px: Bars, targets: F64,
    groups: tuple[I64, I64, I64, I64], cost: FillCosts, rules: KernelRules,
    cols: tuple[F64, F64, F64, F64, F64, F64], work: tuple[I64, I64, I64, I64, I64],
    accts: tuple[F64, F64, F64], orders: Records, n_o: int, trades: Records, n_tr: int,
) -> tuple[int, int, float]:  # fmt: skip
    """Run the head and/or the tail of `bar`; returns the record counts and, after a tail,
    the equity marked at the bar's close (NaN after a head alone)."""
    if head:
        if rules.fill_at_open:
            n_o, n_tr = _phase_nb(
                bar, 0, px, targets, groups, cost, rules, cols, work, accts, orders, n_o,
                trades, n_tr,
            )  # fmt: skip
        if rules.stop_loss > 0.0 or rules.take_profit > 0.0:
            n_o, n_tr = _stop_phase_nb(
                bar, px, groups, cost, rules, cols, work, accts, orders, n_o, trades, n_tr
            )
    if not tail:
        return n_o, n_tr, np.nan
    if not rules.fill_at_open:
        n_o, n_tr = _phase_nb(
            bar, 1, px, targets, groups, cost, rules, cols, work, accts, orders, n_o,
            trades, n_tr,
        )  # fmt: skip
    close = px[3]
    if rules.close_at_end and bar == close.shape[0] - 1:
        n_o, n_tr = _close_phase_nb(
            bar, px, groups, cost, cols, work, accts, orders, n_o, trades, n_tr
        )
    # marking at the close, as simulate_nb does it (the last close where this one is missing)
    pos, mark = cols[0], cols[3]
    value = 0.0
    for j in range(pos.shape[0]):
        c = close[bar, j]
        if math.isfinite(c) and c > 0.0:
            mark[j] = c
        if pos[j] != 0.0:
            value += pos[j] * mark[j]
    return n_o, n_tr, accts[0].sum() + value


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
