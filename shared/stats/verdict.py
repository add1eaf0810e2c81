"""The plain verdict on a selected winner: is it likely luck, given how many were tried?"""

from __future__ import annotations

from typing import Any

DSR_SIGNIFICANCE = 0.95
"""The deflated Sharpe ratio a winner must reach to count as more than luck."""


def luck_verdict(
    dsr: float | None, n_trials: int, what: str, pbo: float | None = None
) -> dict[str, Any]:
    """{likely_luck, verdict}: luck when DSR is undefined or below DSR_SIGNIFICANCE, or when the
    probability of backtest overfitting (if known) is above one half. `what` names the trials
    ("combinations", "trials")."""
    luck = dsr is None or dsr < DSR_SIGNIFICANCE or (pbo is not None and pbo > 0.5)
    dsr_text = "undefined" if dsr is None else f"{dsr:.2f}"
    pbo_text = "" if pbo is None else f"; probability of backtest overfitting {pbo:.0%}"
    if luck:
        text = (
            f"The best of {n_trials} {what} is likely luck: its deflated Sharpe "
            f"ratio is {dsr_text} (below {DSR_SIGNIFICANCE}){pbo_text}."
        )
    else:
        text = (
            f"The best of {n_trials} {what} survives deflation: deflated Sharpe "
            f"ratio {dsr_text}{pbo_text}."
        )
    return {"likely_luck": luck, "verdict": text}
