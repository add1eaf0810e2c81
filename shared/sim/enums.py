"""Every integer code the kernels read or write, in one place (numba folds them to constants).

The label tuples are indexed by code: ORIGIN_LABELS[ORIGIN_CARRY] == "carry".
"""

from __future__ import annotations

# --- order_dt.origin: why an order was placed ---------------------------------------------
ORIGIN_TARGET = 0  # the target changed at the decision bar
ORIGIN_REBALANCE = 1  # drift rebalancing requested with `rebalance=`
ORIGIN_STOP_LOSS = 2  # the bar reached the trade's stop-loss level
ORIGIN_TAKE_PROFIT = 3  # the bar reached the trade's take-profit level
ORIGIN_CLOSE_AT_END = 4  # `close_at_end=True` closed the position at the last close
ORIGIN_CARRY = 5  # the rest of an order cut by the volume cap, retried on a later bar
ORIGIN_RUIN = 6  # the account's equity at the close fell to <= 0: closed at that close, no cost
ORIGIN_LABELS = (
    "target", "rebalance", "stop_loss", "take_profit", "close_at_end", "carry", "ruin"
)  # fmt: skip

# --- order_dt.status: what happened to it ---------------------------------------------------
STATUS_FILLED = 0  # filled in full
STATUS_REDUCED = 1  # filled in part; `reason` says why
STATUS_REJECTED = 2  # nothing filled; `reason` says why
STATUS_LABELS = ("filled", "reduced", "rejected")

# --- order_dt.reason: why an order was not filled in full -----------------------------------
REASON_NONE = 0  # nothing was cut
REASON_CASH = 1  # not enough buying power under `max_leverage` (or equity <= 0)
REASON_NO_PRICE = 2  # no finite, positive price on the execution bar
REASON_VOLUME = 3  # cut by the volume participation cap
REASON_NO_SHORT = 4  # a short was asked for while `allow_short=False`
REASON_LABELS = ("", "cash", "no_price", "volume", "no_short")

# --- RunSpec.size_type: what a target number means ------------------------------------------
SIZE_WEIGHT = 0  # a fraction of the account's equity (negative = short)
SIZE_VALUE = 1  # an amount of cash
SIZE_SHARES = 2  # a number of shares
SIZE_LABELS = ("weight", "value", "shares")

# --- RunSpec.rebalance: when a position is re-sized to its standing target ------------------
REBAL_ON_CHANGE = 0  # only when the target changes ("on_change")
REBAL_ALWAYS = 1  # on every bar ("always")
REBAL_THRESHOLD = 2  # when the drift exceeds a fraction of equity (a number)

# --- scan_targets_nb's verdict on the targets -----------------------------------------------
TARGETS_OK = 0  # nothing to refuse
TARGET_INFINITE = 1  # a target is +-inf
FILL_PRICE_MISSING = 2  # a target change would fill on a bar with no usable price
