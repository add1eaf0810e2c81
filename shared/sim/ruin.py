"""Ruin: an account whose equity at a close is <= 0 is closed there, at no cost, and stops."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from numba import njit

from shared.sim import enums as en
from shared.sim.book import book_fill_nb, grow_nb, push_order_nb

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
Records = npt.NDArray[np.void]


@njit(cache=True, inline="always")
def drop_ruined_nb(todo: I64, n_todo: int, col_acc: I64, ruined: npt.NDArray[np.bool_]) -> int:
    """Keep in todo only the columns of accounts not ruined; how many (no order after ruin)."""
    k = 0
    for i in range(n_todo):
        j = todo[i]
        if not ruined[col_acc[j]]:
            todo[k] = j
            k += 1
    return k


@njit(cache=True)
def ruin_nb(
    bar: int, start: int, stop: int, acc_cols: I64, pos: F64, mark: F64, carry: F64,
    open_trade: I64, orders: Records, n_o: int, trades: Records, n_tr: int,
) -> tuple[Records, int, Records, int, float]:  # fmt: skip
    """Close the positions of a ruined account (columns acc_cols[start:stop]) at their marks.

    No fee and no slippage, so the account's equity at this close is what it was; the
    caller moves the positions' value into its cash. A close never opens a trade record.
    Also returns the gross exposure closed (summed in column order, as the marking does).
    """
    orders = grow_nb(orders, n_o + stop - start)
    gross = 0.0
    for m in range(start, stop):
        j = acc_cols[m]
        held = pos[j]
        if held == 0.0:
            continue
        px = mark[j]
        gross += abs(held) * px
        n_tr = book_fill_nb(trades, n_tr, open_trade, j, bar, held, 0.0, px, 0.0, 0.0)
        pos[j] = 0.0
        carry[j] = np.nan
        push_order_nb(
            orders, n_o, j, bar, bar, en.ORIGIN_RUIN, en.STATUS_FILLED, en.REASON_NONE,
            -held, -held, px, px, 0.0, 0.0, 0.0,
        )  # fmt: skip
        n_o += 1
    return orders, n_o, trades, n_tr, gross
