"""Record dtypes the kernels write, and their decoding into DataFrames (codes: enums.py)."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
import pandas as pd
from numba import njit
from pandas.api.internals import create_dataframe_from_blocks

from shared.sim.enums import ORIGIN_LABELS, REASON_LABELS, STATUS_LABELS

order_dt = np.dtype(
    [
        ("id", np.int64),
        ("col", np.int64),
        ("bar", np.int64),  # execution bar
        ("decision_bar", np.int64),
        ("origin", np.int64),
        ("status", np.int64),
        ("reason", np.int64),
        ("requested", np.float64),  # signed shares wanted
        ("filled", np.float64),  # signed shares filled
        ("ref_price", np.float64),  # price before slippage and spread
        ("price", np.float64),  # fill price (NaN when nothing filled)
        ("fees", np.float64),
        ("slippage", np.float64),  # cash paid to slippage, spread and impact
        ("position", np.float64),  # position after the order
    ]
)

trade_dt = np.dtype(
    [
        ("id", np.int64),
        ("col", np.int64),
        ("direction", np.int64),  # +1 long, -1 short
        ("entry_bar", np.int64),
        ("exit_bar", np.int64),  # -1 while open
        ("entry_qty", np.float64),  # shares added over the trade's life
        ("entry_value", np.float64),  # cash paid (long) or received (short) for them
        ("exit_qty", np.float64),
        ("exit_value", np.float64),
        ("fees", np.float64),
        ("slippage", np.float64),
        ("open_qty", np.float64),  # shares still held at the end (0 when closed)
        ("mark_price", np.float64),  # last close for an open trade, NaN when closed
    ]
)


def trade_pnl(trades: npt.NDArray[np.void]) -> npt.NDArray[np.float64]:
    """Net profit of each trade in cash; an open trade is marked at its last close."""
    marked = trades["open_qty"] * np.nan_to_num(trades["mark_price"])
    gross = trades["direction"] * (trades["exit_value"] + marked - trades["entry_value"])
    return np.asarray(gross - trades["fees"], dtype=np.float64)


def trade_returns(trades: npt.NDArray[np.void], *, net: bool = True) -> npt.NDArray[np.float64]:
    """Return of each trade as a fraction of the cash it put in (entry_value)."""
    pnl = trade_pnl(trades)
    if not net:
        pnl = pnl + trades["fees"]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(pnl / trades["entry_value"], dtype=np.float64)


def orders_frame(orders: npt.NDArray[np.void], index: pd.Index, symbols: pd.Index) -> pd.DataFrame:
    """Decode order records into a readable frame (one row per order, rejections included)."""
    bars = orders["bar"]
    decision = orders["decision_bar"]
    # stop-loss and end-of-run exits are decided on their own bar; nothing lies before bar 0
    known = (decision >= 0) & (decision < len(index))
    decided = index[np.where(known, decision, 0)].where(known)
    return pd.DataFrame(
        {
            "id": orders["id"],
            "symbol": np.asarray(symbols)[orders["col"]],
            "time": index[bars],
            "decision_time": decided,
            "bar": bars,
            "decision_bar": decision,
            "origin": np.asarray(ORIGIN_LABELS, dtype=object)[orders["origin"]],
            "status": np.asarray(STATUS_LABELS, dtype=object)[orders["status"]],
            "reason": np.asarray(REASON_LABELS, dtype=object)[orders["reason"]],
            "requested": orders["requested"],
            "filled": orders["filled"],
            "ref_price": orders["ref_price"],
            "price": orders["price"],
            "fees": orders["fees"],
            "slippage": orders["slippage"],
            "position": orders["position"],
        }
    )


TRADE_COLUMNS = pd.Index(
    ["id", "symbol", "direction", "entry_time", "exit_time", "entry_bar", "exit_bar", "is_open",
     "size", "entry_price", "exit_price", "fees", "slippage", "pnl", "return_pct",
     "gross_return_pct"]
)  # fmt: skip
_DIRECTIONS = pd.array(["short", "long"], dtype="str")  # by (direction > 0)


def trades_frame(trades: npt.NDArray[np.void], index: pd.Index, symbols: pd.Index) -> pd.DataFrame:
    """Decode trade records into a frame with prices, P&L and returns in percent."""
    if not (isinstance(index, pd.DatetimeIndex) and pd.api.types.is_string_dtype(symbols)):
        return _trades_frame_general(trades, index, symbols)
    labels = (
        symbols.array
        if isinstance(symbols.dtype, pd.StringDtype)
        else pd.array(np.asarray(symbols, dtype=object), dtype="str")
    )
    ints, floats, shown_exit = _trade_columns_nb(trades, len(index))
    n = len(trades)
    # one block per dtype, built here rather than inferred column by column (a third of the time)
    blocks = [
        (ints, np.array([0, 5, 6])),
        (labels.take(trades["col"]), np.array([1])),
        (_DIRECTIONS.take((trades["direction"] > 0).astype(np.int64)), np.array([2])),
        (index.take(trades["entry_bar"]).array, np.array([3])),
        (index.take(shown_exit).array, np.array([4])),
        ((trades["exit_bar"] < 0).reshape(1, n), np.array([7])),
        (floats, np.arange(8, 16)),
    ]
    return create_dataframe_from_blocks(blocks, pd.RangeIndex(n), TRADE_COLUMNS)


@njit(cache=True, inline="always")
def _ratio(a: float, b: float) -> float:
    """a / b as NumPy divides floats (inf or NaN by zero), without numba's ZeroDivisionError."""
    if b != 0.0:
        return a / b
    return math.nan if a == 0.0 or math.isnan(a) else math.copysign(math.inf, a)


@njit(cache=True)
def _trade_columns_nb(
    trades: npt.NDArray[np.void], n_bars: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64], npt.NDArray[np.int64]]:
    """(id, entry_bar, exit_bar) rows, the float columns of TRADE_COLUMNS[8:] as rows, and
    the bar each trade's exit time is read from (the last bar while open)."""
    n = trades.shape[0]
    ints = np.empty((3, n), dtype=np.int64)
    floats = np.empty((8, n))
    shown_exit = np.empty(n, dtype=np.int64)
    for i in range(n):
        rec = trades[i]
        mark = rec["mark_price"]
        marked = rec["open_qty"] * (0.0 if math.isnan(mark) else mark)
        pnl = rec["direction"] * (rec["exit_value"] + marked - rec["entry_value"]) - rec["fees"]
        ints[0, i] = rec["id"]
        ints[1, i] = rec["entry_bar"]
        ints[2, i] = rec["exit_bar"]
        shown_exit[i] = n_bars - 1 if rec["exit_bar"] < 0 else rec["exit_bar"]
        floats[0, i] = rec["entry_qty"]
        floats[1, i] = _ratio(rec["entry_value"], rec["entry_qty"])
        floats[2, i] = _ratio(rec["exit_value"] + marked, rec["exit_qty"] + rec["open_qty"])
        floats[3, i] = rec["fees"]
        floats[4, i] = rec["slippage"]
        floats[5, i] = pnl
        floats[6, i] = _ratio(pnl, rec["entry_value"]) * 100.0
        floats[7, i] = _ratio(pnl + rec["fees"], rec["entry_value"]) * 100.0
    return ints, floats, shown_exit


def _trades_frame_general(
    trades: npt.NDArray[np.void], index: pd.Index, symbols: pd.Index
) -> pd.DataFrame:
    """trades_frame for any index and symbol labels (pandas infers each column's dtype)."""
    is_open = trades["exit_bar"] < 0
    exit_bar = np.where(is_open, len(index) - 1, trades["exit_bar"])
    held = trades["exit_qty"] + trades["open_qty"]
    marked = trades["exit_value"] + trades["open_qty"] * np.nan_to_num(trades["mark_price"])
    with np.errstate(invalid="ignore", divide="ignore"):
        entry_price = trades["entry_value"] / trades["entry_qty"]
        exit_price = marked / held
    return pd.DataFrame(
        {
            "id": trades["id"],
            "symbol": np.asarray(symbols)[trades["col"]],
            "direction": np.where(trades["direction"] > 0, "long", "short"),
            "entry_time": index[trades["entry_bar"]],
            "exit_time": index[exit_bar],
            "entry_bar": trades["entry_bar"],
            "exit_bar": trades["exit_bar"],
            "is_open": is_open,
            "size": trades["entry_qty"],
            "entry_price": entry_price,
            "exit_price": exit_price,
            "fees": trades["fees"],
            "slippage": trades["slippage"],
            "pnl": trade_pnl(trades),
            "return_pct": trade_returns(trades) * 100.0,
            "gross_return_pct": trade_returns(trades, net=False) * 100.0,
        }
    )
