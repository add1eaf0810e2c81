"""Record dtypes the kernels write, and their decoding into DataFrames (codes: enums.py)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

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


def trades_frame(trades: npt.NDArray[np.void], index: pd.Index, symbols: pd.Index) -> pd.DataFrame:
    """Decode trade records into a frame with prices, P&L and returns in percent."""
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
