"""The canonical bars frame: every validation rule, with the exact text a user reads."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from shared.data.bars import bar_warnings, fields_of, filter_range, make_bars, validate_bars
from shared.errors import DataError, ValidationError

DAYS = ["2021-03-01", "2021-03-02", "2021-03-03", "2021-03-04", "2021-03-05"]


def bars(**changes: list[float]) -> pd.DataFrame:
    """Five valid bars (open 10, high 12, low 9, close 11, volume 100) with columns replaced."""
    cols = {"open": [10.0] * 5, "high": [12.0] * 5, "low": [9.0] * 5, "close": [11.0] * 5}
    cols["volume"] = [100.0] * 5
    cols.update(changes)
    return make_bars(
        pd.to_datetime(DAYS), **{("open_" if k == "open" else k): v for k, v in cols.items()}
    )


def test_make_bars_is_canonical() -> None:
    df = bars()
    assert list(df.columns) == ["open", "high", "low", "close", "volume"]
    assert df.index.name == "timestamp"
    assert str(df.index.tz) == "UTC"
    assert all(df[c].dtype == np.float64 for c in df.columns)
    validate_bars(df, "AAPL")


# (column changes, parts of the message that must appear)
CASES = [
    ({"high": [12, 12, 12, 10.5, 10.5]}, ["AAPL: 2 bars have high < close (first at 2021-03-04)"]),
    ({"high": [12, 9.5, 12, 12, 12]}, ["1 bar has high < open (first at 2021-03-02)"]),
    ({"low": [9, 9, 11.5, 9, 9]}, ["1 bar has low > close (first at 2021-03-03)"]),
    ({"low": [10.5, 9, 9, 9, 9]}, ["1 bar has low > open (first at 2021-03-01)"]),
    ({"open": [10, 0, 10, 10, 10]}, ["1 bar has a price <= 0 (first at 2021-03-02)"]),
    ({"low": [9, 9, 9, 9, -1]}, ["1 bar has a price <= 0 (first at 2021-03-05)"]),
    ({"close": [11, np.nan, 11, 11, 11]}, ["1 bar has NaN or inf in close (first at 2021-03-02)"]),
    ({"volume": [100, 100, np.inf, 100, 100]}, ["NaN or inf in volume (first at 2021-03-03)"]),
    ({"volume": [100, -5, 100, 100, 100]}, ["1 bar has volume < 0 (first at 2021-03-02)"]),
]


@pytest.mark.parametrize(("changes", "parts"), CASES)
def test_each_rule_is_reported(changes: dict[str, list[float]], parts: list[str]) -> None:
    with pytest.raises(DataError) as err:
        validate_bars(bars(**changes), "AAPL")
    assert err.value.code == "bad_data"
    assert err.value.status_code == 422
    for part in parts:
        assert part in err.value.detail
    assert err.value.detail.startswith("AAPL: ")
    assert err.value.detail.endswith("re-download or drop them")


def test_several_rules_are_reported_together() -> None:
    df = bars(high=[12, 12, 10.5, 12, 12], low=[9, 9, 9, 11.5, 9])
    with pytest.raises(DataError) as err:
        validate_bars(df, "X")
    assert "1 bar has high < close (first at 2021-03-03)" in err.value.detail
    assert "1 bar has low > close (first at 2021-03-04)" in err.value.detail


def test_unsorted_bars_are_rejected_not_sorted() -> None:
    df = bars().iloc[[0, 2, 1, 3, 4]]
    before = df.copy()
    with pytest.raises(
        DataError,
        match=r"not sorted ascending \(1 step\(s\) back in time, first at "
        r"2021-03-02 after 2021-03-03\); sort the bars by timestamp",
    ):
        validate_bars(df, "AAPL")
    pd.testing.assert_frame_equal(df, before)  # input untouched


def test_duplicate_timestamps_are_rejected() -> None:
    df = bars().iloc[[0, 1, 1, 2]]
    with pytest.raises(
        DataError, match=r"1 bar repeats the previous timestamp \(first at 2021-03-02\)"
    ):
        validate_bars(df, "AAPL")


def test_shape_errors() -> None:
    with pytest.raises(DataError, match="UTC DatetimeIndex"):
        validate_bars(bars().tz_convert("America/New_York"), "A")
    with pytest.raises(DataError, match="missing columns low"):
        validate_bars(bars().drop(columns="low"), "A")
    with pytest.raises(DataError, match="unexpected columns adj_close"):
        validate_bars(bars().assign(adj_close=1.0), "A")
    with pytest.raises(DataError, match="columns volume are not float64"):
        validate_bars(bars().astype({"volume": "int64"}), "A")
    with pytest.raises(DataError, match="A: no bars"):
        validate_bars(bars().iloc[:0], "A")


def test_intraday_timestamps_are_shown_in_full() -> None:
    df = bars(high=[12, 12, 12, 12, 10])
    df.index = df.index + pd.Timedelta(hours=14, minutes=30)
    with pytest.raises(DataError, match=r"first at 2021-03-05T14:30:00\+00:00"):
        validate_bars(df, "A")


def test_volume_is_optional_and_close_only_fields() -> None:
    df = bars().drop(columns="volume")
    validate_bars(df, "A")
    assert fields_of(df) == ["open", "high", "low", "close"]
    assert fields_of(bars()) == ["open", "high", "low", "close", "volume"]
    assert fields_of(df, close_only=True) == ["close"]


def test_zero_volume_is_a_warning_not_an_error() -> None:
    df = bars(volume=[100, 0, 100, 0, 100])
    validate_bars(df, "NASDAQ")
    assert bar_warnings(df, "NASDAQ") == [
        "NASDAQ: 2 bars have zero volume (first at 2021-03-02); volume-based features are 0 there"
    ]
    assert bar_warnings(bars(), "X") == []


def test_filter_range_is_inclusive() -> None:
    out = filter_range(bars(), "A", date(2021, 3, 2), date(2021, 3, 4))
    assert [t.day for t in out.index] == [2, 3, 4]
    assert len(filter_range(bars(), "A", None, None)) == 5


def test_filter_range_includes_intraday_bars_of_the_end_date() -> None:
    df = bars()
    df.index = df.index + pd.Timedelta(hours=20)
    assert len(filter_range(df, "A", date(2021, 3, 5), date(2021, 3, 5))) == 1


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (date(2022, 1, 1), None, "start"),
        (None, date(2020, 1, 1), "end"),
        (date(2021, 3, 6), date(2021, 3, 7), "start"),
    ],
)
def test_empty_range_names_the_available_range(
    start: date | None, end: date | None, field: str
) -> None:
    with pytest.raises(ValidationError) as err:
        filter_range(bars(), "A", start, end)
    assert err.value.field == field
    assert "available from 2021-03-01 to 2021-03-05" in err.value.detail
