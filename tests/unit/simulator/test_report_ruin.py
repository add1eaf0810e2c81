"""The simulation report warns, in words, when the account was ruined."""

from __future__ import annotations

import numpy as np
import pandas as pd

from shared.sim import simulate
from simulator import report


def _bars(closes: list[float]) -> dict[str, pd.DataFrame]:
    index = pd.date_range("2020-01-01", periods=len(closes), freq="B")
    frame = pd.DataFrame({"S": closes}, index=index)
    return {"open": frame, "high": frame, "low": frame, "close": frame}


def test_ruined_run_carries_a_warning() -> None:
    bars = _bars([100.0, 100.0, 150.0, 250.0, 300.0])
    targets = pd.DataFrame({"S": [-1.0] + [np.nan] * 4}, index=bars["close"].index)
    out = report.summary(simulate(bars, targets), ["earlier warning"], "short")
    assert out["ruined_at"] == "2020-01-06T00:00:00"
    assert out["warnings"][0] == "earlier warning"
    assert "ruined on 2020-01-06T00:00:00" in out["warnings"][1]


def test_normal_run_has_no_ruin_warning() -> None:
    bars = _bars([100.0, 101.0, 102.0])
    targets = pd.DataFrame({"S": [1.0, np.nan, np.nan]}, index=bars["close"].index)
    out = report.summary(simulate(bars, targets), [], "long")
    assert out["ruined_at"] is None and out["warnings"] == []
