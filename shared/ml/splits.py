"""Purged walk-forward and purged k-fold splits of a stacked (timestamp, symbol) dataset.

Rows are sorted by timestamp then symbol, so one timestamp may hold several rows. Row i's label
reads bars up to `label_end[i]`; its label window is [time_i, label_end_i]. Validation must never
flatter, so splits follow three rules:

- Never shuffle, and never split one timestamp between train and test: the distinct timestamps
  are cut into contiguous blocks and every position array is ascending.
- Purge: a training row whose label window overlaps the test period is dropped, since its label
  was computed from prices the test rows are scored on.
- Embargo: `embargo_bars` distinct timestamps next to the test block are dropped from training as
  well, a gap against serial correlation (features with a long look-back, slow regimes). It is
  counted from the test block's edge, so it overlaps the purge zone and only bites when it is
  longer than the label horizon: set it to the longest feature look-back you worry about.

"walk_forward" cuts the timeline into n_folds + 1 blocks: fold k tests on block k + 1 and trains
on the rows before it, purged and embargoed (the embargo sits right BEFORE the test block). All
test blocks have the same number of timestamps; the first block, training only, takes the
remainder. With window="rolling", training keeps the last `train_bars` distinct timestamps that
survive the purge and the embargo, so every fold trains on the same amount of history.

"purged_kfold" (López de Prado, Advances in Financial Machine Learning, ch. 7) cuts the timeline
into n_folds test blocks and trains on all other rows, purged, minus an embargo right AFTER each
test block. Its folds train on data later than their test block: fine for scoring a model,
NOT a walk-forward backtest (a trader never has the future to train on).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from shared.errors import DataError, ValidationError
from shared.ml.option_checks import known_options, one_of, whole_number

Method = Literal["walk_forward", "purged_kfold"]
Window = Literal["expanding", "rolling"]
Positions = npt.NDArray[np.int64]
METHODS: tuple[str, ...] = ("walk_forward", "purged_kfold")
WINDOWS: tuple[str, ...] = ("expanding", "rolling")
_FIELD = "validation"


@dataclass(frozen=True)
class ValidationScheme:
    """How the trainer scores a model out of sample; checked when built, ValidationError else."""

    method: Method = "walk_forward"
    n_folds: int = 5
    """Number of test folds, 2..20."""
    window: Window = "expanding"
    """walk_forward only: train on all earlier rows ("expanding") or the last train_bars."""
    train_bars: int | None = None
    """Rolling training length in distinct timestamps; required for rolling, None otherwise."""
    embargo_bars: int = 0
    """Distinct timestamps next to each test block kept out of training, 0..500."""
    min_train_bars: int = 50
    """A fold training on fewer distinct timestamps than this (after the purge) is an error."""

    @property
    def walks_forward(self) -> bool:
        """Whether every fold trains only on rows before its test window."""
        return self.method == "walk_forward"

    def __post_init__(self) -> None:
        one_of(self.method, "method", METHODS, _FIELD)
        one_of(self.window, "window", WINDOWS, _FIELD)
        normalised = {
            "n_folds": whole_number(self.n_folds, "n_folds", 2, 20, _FIELD),
            "embargo_bars": whole_number(self.embargo_bars, "embargo_bars", 0, 500, _FIELD),
            "min_train_bars": whole_number(
                self.min_train_bars, "min_train_bars", 1, 1_000_000, _FIELD
            ),
            "train_bars": self._checked_train_bars(),
        }
        for name, value in normalised.items():
            object.__setattr__(self, name, value)  # frozen: 5.0 from JSON is stored as 5

    def _checked_train_bars(self) -> int | None:
        if self.method == "purged_kfold" and self.window == "rolling":
            raise ValidationError(
                "validation.window='rolling' applies to method='walk_forward' only; "
                "purged_kfold always trains on every other block",
                field=_FIELD,
            )
        if self.window == "expanding":
            if self.train_bars is not None:
                raise ValidationError(
                    f"validation.train_bars={self.train_bars!r} is only used with "
                    "window='rolling'; drop it or set window='rolling'",
                    field=_FIELD,
                )
            return None
        if self.train_bars is None:
            raise ValidationError(
                "validation.train_bars is required with window='rolling': the training window "
                "length in distinct timestamps (e.g. 500)",
                field=_FIELD,
            )
        low = whole_number(self.min_train_bars, "min_train_bars", 1, 1_000_000, _FIELD)
        return whole_number(self.train_bars, "train_bars", low, 10_000_000, _FIELD)

    def to_dict(self) -> dict[str, Any]:
        """The scheme as JSON-ready plain values (recorded in a model's metadata)."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ValidationScheme:
        """A checked scheme from a request or metadata; missing keys take the defaults."""
        names = [f.name for f in dataclasses.fields(cls)]
        return cls(**known_options(data, names, _FIELD))


@dataclass(frozen=True, eq=False)  # eq=False: comparing numpy arrays with == is ambiguous
class Fold:
    """One train/test split: ascending row positions into the dataset, and what was dropped."""

    index: int
    train: Positions
    test: Positions
    train_start: pd.Timestamp
    train_end: pd.Timestamp
    test_start: pd.Timestamp
    test_end: pd.Timestamp
    purged: int
    """Training rows removed because their label window overlaps the test period."""
    embargoed: int
    """Training rows removed by the embargo only (not counted again when also purged)."""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary, without the position arrays."""
        return {
            "index": self.index,
            "train_start": self.train_start.isoformat(),
            "train_end": self.train_end.isoformat(),
            "test_start": self.test_start.isoformat(),
            "test_end": self.test_end.isoformat(),
            "train_rows": len(self.train),
            "test_rows": len(self.test),
            "purged": self.purged,
            "embargoed": self.embargoed,
        }


@dataclass(frozen=True)
class _Timeline:
    """Row times and label ends as int64 nanoseconds, with the distinct timestamps."""

    index: pd.DatetimeIndex  # row times, for turning positions back into Timestamps
    times: npt.NDArray[np.int64]
    label_end: npt.NDArray[np.int64]
    stamp_of_row: Positions  # position of each row's time among the distinct timestamps
    first_row: Positions  # first_row[j]: first row at distinct timestamp j; [-1] = row count

    @property
    def n_rows(self) -> int:
        return len(self.times)

    @property
    def n_stamps(self) -> int:
        return len(self.first_row) - 1

    def rows(self, first_stamp: int, stop_stamp: int) -> Positions:
        """Positions of the rows at distinct timestamps first_stamp .. stop_stamp - 1."""
        return np.arange(self.first_row[first_stamp], self.first_row[stop_stamp], dtype=np.int64)

    def stamp_time(self, stamp: int) -> np.int64:
        return self.times[self.first_row[stamp]]

    def describe(self) -> str:
        return f"{self.n_stamps} distinct timestamps in {self.n_rows} rows"


def make_folds(
    times: pd.DatetimeIndex | npt.NDArray[Any],
    label_end: pd.DatetimeIndex | npt.NDArray[Any],
    scheme: ValidationScheme,
) -> list[Fold]:
    """The folds of `scheme` over rows at `times` whose labels read up to `label_end`."""
    timeline = _timeline(times, label_end)
    if scheme.method == "walk_forward":
        return _walk_forward(timeline, scheme)
    return _purged_kfold(timeline, scheme)


def oos_positions(folds: Sequence[Fold]) -> Positions:
    """Every fold's test positions, concatenated in fold order (walk_forward: in time order)."""
    if not folds:
        return np.empty(0, dtype=np.int64)
    return np.concatenate([fold.test for fold in folds]).astype(np.int64, copy=False)


def _walk_forward(timeline: _Timeline, scheme: ValidationScheme) -> list[Fold]:
    n_blocks = scheme.n_folds + 1
    _need_stamps(timeline, n_blocks, f"walk_forward with n_folds={scheme.n_folds}")
    size = timeline.n_stamps // n_blocks
    folds = []
    for k in range(scheme.n_folds):
        start = timeline.n_stamps - (scheme.n_folds - k) * size
        test = timeline.rows(start, start + size)
        earlier = timeline.rows(0, start)
        purge = timeline.label_end[earlier] >= timeline.stamp_time(start)
        near = timeline.stamp_of_row[earlier] >= start - scheme.embargo_bars
        embargo = near & ~purge
        train = earlier[~purge & ~embargo]
        if scheme.train_bars is not None:
            train = _last_stamps(timeline, train, scheme.train_bars)
        folds.append(_fold(timeline, scheme, k, train, test, purge, embargo))
    return folds


def _purged_kfold(timeline: _Timeline, scheme: ValidationScheme) -> list[Fold]:
    _need_stamps(timeline, scheme.n_folds, f"purged_kfold with n_folds={scheme.n_folds}")
    # np.array_split sizes: the first n_stamps % n_folds blocks hold one timestamp more
    sizes = np.full(scheme.n_folds, timeline.n_stamps // scheme.n_folds)
    sizes[: timeline.n_stamps % scheme.n_folds] += 1
    edges = np.concatenate([[0], np.cumsum(sizes)])
    everything = np.arange(timeline.n_rows, dtype=np.int64)
    folds = []
    for k in range(scheme.n_folds):
        start, stop = int(edges[k]), int(edges[k + 1])
        test = timeline.rows(start, stop)
        reach = timeline.label_end[test].max()  # the test period ends where its labels stop
        others = np.setdiff1d(everything, test, assume_unique=True)
        purge = (timeline.times[others] <= reach) & (
            timeline.label_end[others] >= timeline.stamp_time(start)
        )
        stamp = timeline.stamp_of_row[others]
        embargo = (stamp >= stop) & (stamp < stop + scheme.embargo_bars) & ~purge
        train = others[~purge & ~embargo]
        folds.append(_fold(timeline, scheme, k, train, test, purge, embargo))
    return folds


def _last_stamps(timeline: _Timeline, train: Positions, train_bars: int) -> Positions:
    """The rows of `train` at its last `train_bars` distinct timestamps."""
    stamps = timeline.stamp_of_row[train]
    distinct = np.unique(stamps)
    if len(distinct) <= train_bars:
        return train
    return train[stamps >= distinct[-train_bars]]


def _fold(
    timeline: _Timeline,
    scheme: ValidationScheme,
    k: int,
    train: Positions,
    test: Positions,
    purge: npt.NDArray[np.bool_],
    embargo: npt.NDArray[np.bool_],
) -> Fold:
    purged, embargoed = int(purge.sum()), int(embargo.sum())
    have = len(np.unique(timeline.stamp_of_row[train]))
    if have < scheme.min_train_bars:
        raise ValidationError(
            f"fold {k} of {scheme.method} would train on {have} distinct timestamps "
            f"({len(train)} rows, after purging {purged} and embargoing {embargoed} rows), "
            f"fewer than min_train_bars={scheme.min_train_bars}; the data has "
            f"{timeline.describe()}. Use fewer folds, a shorter embargo or label horizon, "
            "a longer date range, or a lower min_train_bars",
            field=_FIELD,
        )
    for positions in (train, test):
        positions.setflags(write=False)  # a Fold is frozen; so are its arrays
    index = timeline.index
    return Fold(
        index=k,
        train=train,
        test=test,
        train_start=index[train[0]],
        train_end=index[train[-1]],
        test_start=index[test[0]],
        test_end=index[test[-1]],
        purged=purged,
        embargoed=embargoed,
    )


def _need_stamps(timeline: _Timeline, n_blocks: int, what: str) -> None:
    if timeline.n_stamps < n_blocks:
        raise ValidationError(
            f"{what} cuts the timeline into {n_blocks} blocks of distinct timestamps, but the "
            f"data has only {timeline.describe()}; use fewer folds or a longer date range",
            field=_FIELD,
        )


def _timeline(
    times: pd.DatetimeIndex | npt.NDArray[Any], label_end: pd.DatetimeIndex | npt.NDArray[Any]
) -> _Timeline:
    index = _as_index(times, "times")
    ends = _as_index(label_end, "label_end")
    if len(index) != len(ends):
        raise DataError(f"times has {len(index)} rows but label_end has {len(ends)}; pass one each")
    if len(index) == 0:
        raise ValidationError("the dataset has no rows to validate on", field=_FIELD)
    if (index.tz is None) != (ends.tz is None):
        raise DataError("times and label_end must both be timezone-aware or both naive")
    row_ns, end_ns = index.asi8, ends.asi8  # UTC nanoseconds when timezone-aware
    if np.any(np.diff(row_ns) < 0):
        first = int(np.argmax(np.diff(row_ns) < 0)) + 1
        raise DataError(
            f"times must be sorted ascending (timestamp, then symbol); row {first} "
            f"({index[first]}) comes before the row above it: sort the dataset first"
        )
    if np.any(end_ns < row_ns):
        first = int(np.argmax(end_ns < row_ns))
        raise DataError(
            f"label_end must not precede its row's time; row {first} ends at {ends[first]} "
            f"before {index[first]}"
        )
    stamps, stamp_of_row = np.unique(row_ns, return_inverse=True)
    first_row = np.searchsorted(row_ns, stamps).astype(np.int64)
    return _Timeline(
        index=index,
        times=row_ns,
        label_end=end_ns,
        stamp_of_row=stamp_of_row.astype(np.int64),
        first_row=np.append(first_row, len(row_ns)),
    )


def _as_index(values: pd.DatetimeIndex | npt.NDArray[Any], name: str) -> pd.DatetimeIndex:
    try:
        index = pd.DatetimeIndex(values)
    except (TypeError, ValueError) as exc:
        raise DataError(
            f"{name} must be timestamps (datetime64 or a DatetimeIndex): {exc}"
        ) from exc
    if index.hasnans:
        first = int(np.argmax(index.isna()))
        raise DataError(
            f"{name} has {int(index.isna().sum())} missing values (first at row {first}); "
            "drop rows without a complete label before validating"
        )
    return index.as_unit("ns")
