"""Weekly and monthly bars against a hand-computed table."""

from __future__ import annotations

import pandas as pd
import pytest

from shared.data.bars import make_bars, validate_bars
from shared.data.resample import resample_bars
from shared.errors import ValidationError

# Thu 2021-04-29 .. Wed 2021-05-05, no bar on Mon 2021-05-03 (a holiday)
DAYS = pd.to_datetime(["2021-04-29", "2021-04-30", "2021-05-04", "2021-05-05"])
DAILY = make_bars(
    DAYS,
    open_=[10, 11, 12, 13],
    high=[12, 15, 14, 13.5],
    low=[9, 10, 8, 12],
    close=[11, 12, 13, 13],
    volume=[100, 200, 300, 400],
)


def test_weekly_bars_by_hand() -> None:
    weekly = resample_bars(DAILY, "1wk")
    # week of Mon 04-26: Thu+Fri; week of Mon 05-03: Tue+Wed
    expected = make_bars(
        pd.to_datetime(["2021-04-26", "2021-05-03"]),
        open_=[10, 12], high=[15, 14], low=[9, 8], close=[12, 13], volume=[300, 700],
    )  # fmt: skip
    pd.testing.assert_frame_equal(weekly, expected)
    validate_bars(weekly, "X")


def test_monthly_bars_by_hand() -> None:
    monthly = resample_bars(DAILY, "1mo")
    expected = make_bars(
        pd.to_datetime(["2021-04-01", "2021-05-01"]),
        open_=[10, 12], high=[15, 14], low=[9, 8], close=[12, 13], volume=[300, 700],
    )  # fmt: skip
    pd.testing.assert_frame_equal(monthly, expected)


def test_empty_periods_are_left_out_and_volume_is_optional() -> None:
    gap = make_bars(pd.to_datetime(["2021-01-04", "2021-03-01"]), [1, 2], [1, 2], [1, 2], [1, 2])
    monthly = resample_bars(gap, "1mo")
    assert list(monthly.index.month) == [1, 3]
    assert "volume" not in monthly.columns


def test_input_is_not_mutated_and_bad_interval_is_refused() -> None:
    before = DAILY.copy()
    resample_bars(DAILY, "1wk")
    pd.testing.assert_frame_equal(DAILY, before)
    with pytest.raises(ValidationError, match="cannot resample to '1h'"):
        resample_bars(DAILY, "1h")
