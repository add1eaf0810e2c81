"""Purged splits: a hand-worked example, the no-leak property on random datasets, and errors."""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shared.errors import DataError, ValidationError
from shared.ml.splits import Fold, ValidationScheme, make_folds, oos_positions

DAYS = pd.date_range("2024-01-01", periods=12, freq="D")


def two_symbols_horizon_one() -> tuple[pd.DatetimeIndex, pd.DatetimeIndex]:
    """12 days x 2 symbols (rows 2d, 2d + 1 on day d); each label reads the next day's bar."""
    times = DAYS.repeat(2)
    ends = DAYS[np.minimum(np.arange(12) + 1, 11)].repeat(2)
    return times, ends


def rows(*days: int) -> list[int]:
    return [row for day in days for row in (2 * day, 2 * day + 1)]


@dataclass(frozen=True)
class Expected:
    train_days: tuple[int, ...]
    test_days: tuple[int, ...]
    purged: int
    embargoed: int


# 12 days, n_folds=2 -> 3 walk-forward blocks of 4 days: [0-3] [4-7] [8-11].
# Day 3's label reads day 4, inside the first test block: purged (2 rows); likewise day 7.
# An embargo of 2 days also drops day 2 (day 3 is already purged, so counted once).
# Rolling with train_bars=2 keeps the last 2 surviving days (1, 2) and (5, 6).
# purged_kfold, 3 blocks [0-3] [4-7] [8-11]: testing on [4-7] purges day 3 (reads day 4) and
# day 8 (test day 7 reads it); its 2-day embargo after the block covers days 8, 9, so adds 9.
HAND_WORKED = [
    (
        ValidationScheme(n_folds=2, min_train_bars=1),
        [
            Expected((0, 1, 2), (4, 5, 6, 7), 2, 0),
            Expected((0, 1, 2, 3, 4, 5, 6), (8, 9, 10, 11), 2, 0),
        ],
    ),
    (
        ValidationScheme(n_folds=2, min_train_bars=1, embargo_bars=2),
        [Expected((0, 1), (4, 5, 6, 7), 2, 2), Expected((0, 1, 2, 3, 4, 5), (8, 9, 10, 11), 2, 2)],
    ),
    (
        ValidationScheme(n_folds=2, window="rolling", train_bars=2, min_train_bars=1),
        [Expected((1, 2), (4, 5, 6, 7), 2, 0), Expected((5, 6), (8, 9, 10, 11), 2, 0)],
    ),
    (
        ValidationScheme(method="purged_kfold", n_folds=3, min_train_bars=1, embargo_bars=2),
        [
            Expected((6, 7, 8, 9, 10, 11), (0, 1, 2, 3), 2, 2),
            Expected((0, 1, 2, 10, 11), (4, 5, 6, 7), 4, 2),
            Expected((0, 1, 2, 3, 4, 5, 6), (8, 9, 10, 11), 2, 0),
        ],
    ),
]


@pytest.mark.parametrize(("scheme", "expected"), HAND_WORKED)
def test_hand_worked_folds(scheme: ValidationScheme, expected: list[Expected]) -> None:
    times, ends = two_symbols_horizon_one()
    folds = make_folds(times, ends, scheme)
    assert len(folds) == len(expected)
    for k, (fold, want) in enumerate(zip(folds, expected, strict=True)):
        assert fold.index == k
        assert fold.train.tolist() == rows(*want.train_days)
        assert fold.test.tolist() == rows(*want.test_days)
        assert (fold.purged, fold.embargoed) == (want.purged, want.embargoed)
        assert fold.train_start == DAYS[want.train_days[0]]
        assert fold.train_end == DAYS[want.train_days[-1]]
        assert fold.test_start == DAYS[want.test_days[0]]
        assert fold.test_end == DAYS[want.test_days[-1]]


def test_walk_forward_test_blocks_are_equal_and_the_first_block_takes_the_remainder() -> None:
    days = pd.date_range("2024-01-01", periods=11, freq="D")  # 11 = 3 blocks of 3, plus 2
    folds = make_folds(days, days, ValidationScheme(n_folds=2, min_train_bars=1))
    assert [fold.test.tolist() for fold in folds] == [[5, 6, 7], [8, 9, 10]]
    assert [fold.train.tolist() for fold in folds] == [[0, 1, 2, 3, 4], list(range(8))]


def test_fold_to_dict_is_json_ready_and_arrays_are_read_only() -> None:
    times, ends = two_symbols_horizon_one()
    fold = make_folds(times, ends, ValidationScheme(n_folds=2, min_train_bars=1))[0]
    summary = json.loads(json.dumps(fold.to_dict()))
    assert summary == {
        "index": 0,
        "train_start": "2024-01-01T00:00:00",
        "train_end": "2024-01-03T00:00:00",
        "test_start": "2024-01-05T00:00:00",
        "test_end": "2024-01-08T00:00:00",
        "train_rows": 6,
        "test_rows": 8,
        "purged": 2,
        "embargoed": 0,
    }
    with pytest.raises(ValueError):
        fold.train[0] = 5


def test_timezone_aware_times_keep_their_zone_and_numpy_input_works() -> None:
    times, ends = two_symbols_horizon_one()
    scheme = ValidationScheme(n_folds=2, min_train_bars=1)
    aware = make_folds(
        times.tz_localize("America/New_York"), ends.tz_localize("America/New_York"), scheme
    )
    plain = make_folds(times.to_numpy(), ends.to_numpy(), scheme)
    assert str(aware[0].test_start.tz) == "America/New_York"
    assert aware[0].test_start.isoformat() == "2024-01-05T00:00:00-05:00"
    for a, b in zip(aware, plain, strict=True):
        assert a.train.tolist() == b.train.tolist() and a.test.tolist() == b.test.tolist()


def test_oos_positions_walk_forward_in_time_order_and_kfold_covers_every_row() -> None:
    times, ends = two_symbols_horizon_one()
    walk = make_folds(times, ends, ValidationScheme(n_folds=2, min_train_bars=1))
    assert oos_positions(walk).tolist() == list(range(8, 24))
    kfold = make_folds(
        times, ends, ValidationScheme(method="purged_kfold", n_folds=3, min_train_bars=1)
    )
    assert oos_positions(kfold).tolist() == list(range(24))
    assert oos_positions([]).tolist() == []


# ---- the no-leak property on random stacked datasets --------------------------------------


@st.composite
def datasets(draw: st.DrawFn) -> tuple[pd.DatetimeIndex, pd.DatetimeIndex, ValidationScheme]:
    n_stamps = draw(st.integers(4, 40))
    per_stamp = draw(st.lists(st.integers(1, 3), min_size=n_stamps, max_size=n_stamps))
    stamps = pd.date_range("2023-06-01", periods=n_stamps, freq="h")
    stamp_of_row = np.repeat(np.arange(n_stamps), per_stamp)
    max_horizon = draw(st.integers(0, 6))
    horizons = draw(
        st.lists(
            st.integers(0, max_horizon), min_size=len(stamp_of_row), max_size=len(stamp_of_row)
        )
    )
    ends = stamps[np.minimum(stamp_of_row + np.array(horizons), n_stamps - 1)]
    method = draw(st.sampled_from(["walk_forward", "purged_kfold"]))
    window = (
        "expanding" if method == "purged_kfold" else draw(st.sampled_from(["expanding", "rolling"]))
    )
    scheme = ValidationScheme(
        method=method,
        n_folds=draw(st.integers(2, 6)),
        window=window,
        train_bars=draw(st.integers(1, 15)) if window == "rolling" else None,
        embargo_bars=draw(st.integers(0, 4)),
        min_train_bars=1,
    )
    return stamps[stamp_of_row], ends, scheme


def reference_train(
    stamp: np.ndarray, t: np.ndarray, e: np.ndarray, test: np.ndarray, scheme: ValidationScheme
) -> tuple[list[int], int, int]:
    """Slow plain-Python training set (and purged, embargoed counts) for one fold's test rows."""
    first, last = int(stamp[test].min()), int(stamp[test].max())
    test_start, reach = t[test].min(), e[test].max()
    train, purged, embargoed = [], 0, 0
    for i in range(len(t)):
        if first <= stamp[i] <= last:
            continue
        if scheme.method == "walk_forward":
            if stamp[i] > last:
                continue
            overlaps = e[i] >= test_start
            in_embargo = stamp[i] >= first - scheme.embargo_bars
        else:
            overlaps = t[i] <= reach and e[i] >= test_start
            in_embargo = last < stamp[i] <= last + scheme.embargo_bars
        if overlaps:
            purged += 1
        elif in_embargo:
            embargoed += 1
        else:
            train.append(i)
    if scheme.train_bars is not None:
        kept = sorted({int(stamp[i]) for i in train})[-scheme.train_bars :]
        train = [i for i in train if stamp[i] in kept]
    return train, purged, embargoed


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets())
def test_no_training_label_window_overlaps_a_test_row(
    data: tuple[pd.DatetimeIndex, pd.DatetimeIndex, ValidationScheme],
) -> None:
    times, ends, scheme = data
    try:
        folds = make_folds(times, ends, scheme)
    except ValidationError as exc:
        n_stamps = len(times.unique())
        blocks = scheme.n_folds + (scheme.method == "walk_forward")
        assert exc.field == "validation"
        assert n_stamps < blocks or "would train on 0 distinct timestamps" in exc.detail
        return
    t, e = times.asi8, ends.asi8
    stamp = np.unique(t, return_inverse=True)[1]
    assert len(folds) == scheme.n_folds
    for fold in folds:
        train, test = fold.train, fold.test
        assert np.all(np.diff(train) > 0) and np.all(np.diff(test) > 0)  # ascending, no repeats
        assert not set(train.tolist()) & set(test.tolist())
        assert not set(stamp[train].tolist()) & set(stamp[test].tolist())  # no timestamp split
        # every test row's stamp block is whole and contiguous
        test_stamps = np.unique(stamp[test])
        assert np.array_equal(test_stamps, np.arange(test_stamps[0], test_stamps[-1] + 1))
        assert np.array_equal(test, np.flatnonzero(np.isin(stamp, test_stamps)))
        # the property: label windows [t_i, e_i] of train and test rows never overlap
        overlap = (t[train][:, None] <= e[test][None, :]) & (e[train][:, None] >= t[test][None, :])
        assert not overlap.any()
        want, purged, embargoed = reference_train(stamp, t, e, test, scheme)
        assert train.tolist() == want
        assert (fold.purged, fold.embargoed) == (purged, embargoed)
        if scheme.method == "walk_forward":
            assert t[train].max() < t[test].min()
            # embargo: no training row within embargo_bars timestamps before the test block
            assert stamp[train].max() < test_stamps[0] - scheme.embargo_bars
        else:
            after = stamp[train][stamp[train] > test_stamps[-1]]
            assert not np.any(after <= test_stamps[-1] + scheme.embargo_bars)
        if scheme.train_bars is not None:
            assert len(np.unique(stamp[train])) <= scheme.train_bars
    tested = oos_positions(folds)
    if scheme.method == "walk_forward":
        assert np.all(np.diff(tested) > 0)  # in time order, each row once
        sizes = {len(np.unique(stamp[fold.test])) for fold in folds}
        assert len(sizes) == 1  # equal test blocks
        assert tested[-1] == len(times) - 1
    else:
        assert tested.tolist() == list(range(len(times)))


# ---- errors --------------------------------------------------------------------------------


def test_too_few_timestamps_for_the_blocks_names_what_is_there() -> None:
    days = pd.date_range("2024-01-01", periods=4, freq="D").repeat(3)
    with pytest.raises(ValidationError) as caught:
        make_folds(days, days, ValidationScheme(n_folds=5, min_train_bars=1))
    assert caught.value.field == "validation"
    assert "6 blocks" in caught.value.detail
    assert "4 distinct timestamps in 12 rows" in caught.value.detail


def test_a_purged_training_set_below_min_train_bars_is_an_error() -> None:
    times, ends = two_symbols_horizon_one()  # fold 0 trains on days 0-2 after the purge
    with pytest.raises(ValidationError) as caught:
        make_folds(times, ends, ValidationScheme(n_folds=2, min_train_bars=4))
    detail = caught.value.detail
    assert caught.value.field == "validation"
    assert "fold 0" in detail and "3 distinct timestamps" in detail and "purging 2" in detail
    assert "min_train_bars=4" in detail and "12 distinct timestamps in 24 rows" in detail
    make_folds(times, ends, ValidationScheme(n_folds=2, min_train_bars=3))  # exactly enough


@pytest.mark.parametrize(
    ("options", "fragment"),
    [
        ({"n_folds": 1}, "n_folds must be a whole number from 2 to 20"),
        ({"n_folds": 21}, "n_folds"),
        ({"n_folds": "5"}, "n_folds"),
        ({"n_folds": True}, "n_folds"),
        ({"n_folds": 2.5}, "n_folds"),
        ({"embargo_bars": -1}, "embargo_bars"),
        ({"embargo_bars": 501}, "embargo_bars"),
        ({"min_train_bars": 0}, "min_train_bars"),
        ({"method": "kfold"}, "method='kfold' is not supported"),
        ({"window": "sliding"}, "window"),
        ({"window": "rolling"}, "train_bars is required"),
        ({"window": "rolling", "train_bars": 10}, "train_bars must be a whole number from 50"),
        ({"train_bars": 100}, "only used with window='rolling'"),
        (
            {"method": "purged_kfold", "window": "rolling", "train_bars": 100},
            "applies to method='walk_forward' only",
        ),
        ({"n_fold": 3}, "unknown key 'n_fold'; did you mean 'n_folds'?"),
    ],
)
def test_bad_scheme_values_are_rejected_with_the_key_named(options: dict, fragment: str) -> None:
    with pytest.raises(ValidationError) as caught:
        ValidationScheme.from_dict(options)
    assert caught.value.field == "validation"
    assert fragment in caught.value.detail


def test_scheme_round_trips_and_accepts_whole_floats_from_json() -> None:
    scheme = ValidationScheme(window="rolling", train_bars=200, embargo_bars=5, n_folds=3)
    assert ValidationScheme.from_dict(json.loads(json.dumps(scheme.to_dict()))) == scheme
    assert ValidationScheme.from_dict({"n_folds": 4.0}).n_folds == 4
    assert type(ValidationScheme.from_dict({"n_folds": 4.0}).n_folds) is int
    assert ValidationScheme.from_dict({}) == ValidationScheme()
    with pytest.raises(ValidationError, match="must be an object"):
        ValidationScheme.from_dict([("n_folds", 3)])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("times", "ends", "fragment"),
    [
        (DAYS[[0, 2, 1, 3]], DAYS[[0, 2, 1, 3]], "sorted ascending"),
        (DAYS[:4], DAYS[[1, 2, 2, 3]][::-1], "must not precede"),
        (DAYS[:4], pd.DatetimeIndex([DAYS[1], pd.NaT, DAYS[3], DAYS[3]]), "missing values"),
        (DAYS[:4], DAYS[:3], "4 rows but label_end has 3"),
        (DAYS[:4], DAYS[:4].tz_localize("UTC"), "timezone"),
    ],
)
def test_bad_inputs_are_data_errors(
    times: pd.DatetimeIndex, ends: pd.DatetimeIndex, fragment: str
) -> None:
    with pytest.raises(DataError, match=fragment):
        make_folds(times, ends, ValidationScheme(n_folds=2, min_train_bars=1))


def test_inputs_are_not_mutated() -> None:
    times, ends = (index.to_numpy() for index in two_symbols_horizon_one())
    saved = times.copy(), ends.copy()
    folds: list[Fold] = make_folds(times, ends, ValidationScheme(n_folds=2, min_train_bars=1))
    assert folds
    assert np.array_equal(times, saved[0]) and np.array_equal(ends, saved[1])
