"""When a decision executes: the one place where targets are shifted in time."""

from __future__ import annotations

from numba import njit

FILL_MODES = ("next_open", "close")


def fill_lag(fill: str, delay: int) -> int:
    """Bars between the close a decision is made on and the bar its order fills on."""
    # No look-ahead: a target decided with bar t's close cannot trade before bar t+1's open.
    # "close" fills on the decision bar itself, which assumes the close is both known and
    # tradable at once (optimistic). `delay` adds whole bars of latency on top of either.
    return (1 if fill == "next_open" else 0) + delay


@njit(cache=True)
def decision_bar_nb(bar: int, lag: int) -> int:
    """The bar whose target is executed on `bar` (negative when there is none yet)."""
    return bar - lag
