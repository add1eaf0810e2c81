"""Numba bookkeeping: append order records and keep trade records in step with each fill."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from numba import njit


@njit(cache=True, inline="always")
def grow_nb(records: npt.NDArray[Any], need: int) -> npt.NDArray[Any]:
    """Return `records` (any 1-D array), or a longer copy when it holds fewer than `need` rows."""
    if need <= records.shape[0]:
        return records
    bigger = np.empty(max(2 * records.shape[0], need, 16), dtype=records.dtype)
    bigger[: records.shape[0]] = records
    return bigger


@njit(cache=True, inline="always")
def push_order_nb(
    orders: npt.NDArray[np.void],
    n: int,
    col: int,
    bar: int,
    decision_bar: int,
    origin: int,
    status: int,
    reason: int,
    requested: float,
    filled: float,
    ref_price: float,
    price: float,
    fees: float,
    slippage: float,
    position: float,
) -> None:
    """Write order record n (the caller made room with grow_nb)."""
    rec = orders[n]
    rec["id"] = n
    rec["col"] = col
    rec["bar"] = bar
    rec["decision_bar"] = decision_bar
    rec["origin"] = origin
    rec["status"] = status
    rec["reason"] = reason
    rec["requested"] = requested
    rec["filled"] = filled
    rec["ref_price"] = ref_price
    rec["price"] = price
    rec["fees"] = fees
    rec["slippage"] = slippage
    rec["position"] = position


@njit(cache=True, inline="always")
def _open_trade_nb(
    trades: npt.NDArray[np.void],
    n: int,
    col: int,
    bar: int,
    direction: int,
    qty: float,
    price: float,
    fees: float,
    slippage: float,
) -> None:
    rec = trades[n]
    rec["id"] = n
    rec["col"] = col
    rec["direction"] = direction
    rec["entry_bar"] = bar
    rec["exit_bar"] = -1
    rec["entry_qty"] = qty
    rec["entry_value"] = qty * price
    rec["exit_qty"] = 0.0
    rec["exit_value"] = 0.0
    rec["fees"] = fees
    rec["slippage"] = slippage
    rec["open_qty"] = 0.0
    rec["mark_price"] = np.nan


@njit(cache=True, inline="always")
def book_fill_nb(
    trades: npt.NDArray[np.void],
    n: int,
    open_trade: npt.NDArray[np.int64],
    col: int,
    bar: int,
    before: float,
    after: float,
    price: float,
    fees: float,
    slippage: float,
) -> int:
    """Update the trades of `col` for a fill from `before` to `after`; returns the count."""
    if before == 0.0:
        direction = 1 if after > 0.0 else -1
        _open_trade_nb(trades, n, col, bar, direction, abs(after), price, fees, slippage)
        open_trade[col] = n
        return n + 1
    rec = trades[open_trade[col]]
    if after * before > 0.0 and abs(after) > abs(before):
        added = abs(after) - abs(before)
        rec["entry_qty"] += added
        rec["entry_value"] += added * price
        rec["fees"] += fees
        rec["slippage"] += slippage
        return n
    # A reduction, a close or a flip: the closing part goes to the open trade; a flip's
    # opening part starts a new trade, and the fill's costs are split by share count.
    closed = min(abs(before), abs(after - before))
    share = closed / abs(after - before)
    rec["exit_qty"] += closed
    rec["exit_value"] += closed * price
    rec["fees"] += fees * share
    rec["slippage"] += slippage * share
    if after * before > 0.0:
        return n
    rec["exit_bar"] = bar
    open_trade[col] = -1
    if after == 0.0:
        return n
    direction = 1 if after > 0.0 else -1
    rest = 1.0 - share
    _open_trade_nb(trades, n, col, bar, direction, abs(after), price, fees * rest, slippage * rest)
    open_trade[col] = n
    return n + 1
