"""Datasets: symbols stacked by (timestamp, symbol); labels dropped at the end, never filled."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from shared.errors import DataError, ValidationError
from shared.features import (
    FeatureDef,
    FeatureSpec,
    TargetSpec,
    build_dataset,
    build_features,
    feature_rows,
)
from tests.unit.features.feature_bars import random_bars, seeds

SPEC = FeatureSpec(
    (
        FeatureDef("returns"),
        FeatureDef("sma_distance", {"period": 5}),
        FeatureDef("rsi", {"period": 4}),
        FeatureDef("day_of_week"),
    )
)


def symbols(seed: int) -> dict[str, pd.DataFrame]:
    """Three symbols on different, overlapping, irregular calendars and lengths."""
    return {
        "BBB": random_bars(seed, 40),
        "AAA": random_bars(seed + 1, 33, start="2021-01-10"),
        "CCC": random_bars(seed + 2, 25, start="2021-01-04"),
    }


@settings(max_examples=30, deadline=None)
@given(seed=seeds, horizon=st.integers(1, 5), dead_zone=st.sampled_from([0.0, 0.01, 0.03]))
@example(seed=1983, horizon=1, dead_zone=0.03)  # AAA keeps no row at all
def test_each_symbols_rows_are_its_own_complete_rows(seed: int, horizon: int, dead_zone: float):
    bars_by_symbol = symbols(seed)
    target = TargetSpec("direction", horizon, dead_zone)
    ds = build_dataset(bars_by_symbol, SPEC, target)

    assert ds.X.index.names == ["timestamp", "symbol"]
    assert ds.X.index.is_monotonic_increasing and ds.X.index.is_unique
    for member in (ds.y, ds.label_end, ds.forward_return):
        assert member.index.equals(ds.X.index)
    assert list(ds.X.columns) == SPEC.columns

    for symbol, bars in bars_by_symbol.items():
        close, n = bars["close"].to_numpy(), len(bars)
        # Independently: which rows have all features, a future bar and a move past the zone.
        fwd = np.array(
            [close[t + horizon] / close[t] - 1 if t + horizon < n else np.nan for t in range(n)]
        )
        keep = (np.arange(n) >= SPEC.warmup) & (np.abs(fwd) > dead_zone)  # NaN compares False
        mine = ds.X.index.get_level_values("symbol") == symbol  # may be none: a wide dead zone
        rows = ds.X[mine]
        assert rows.index.get_level_values("timestamp").equals(bars.index[keep])
        np.testing.assert_array_equal(rows.to_numpy(), build_features(bars, SPEC).to_numpy()[keep])
        np.testing.assert_allclose(ds.forward_return[mine], fwd[keep], rtol=1e-15)
        np.testing.assert_array_equal(ds.y[mine], (fwd[keep] > 0).astype(float))
        ends = ds.label_end[mine]
        assert list(ends) == [bars.index[t + horizon] for t in np.flatnonzero(keep)]
        assert bars.index[n - horizon] not in rows.index.get_level_values("timestamp")


def test_the_last_horizon_bars_are_absent_not_filled():
    bars = random_bars(2, 30)
    ds = build_dataset({"X": bars}, SPEC, TargetSpec("return", 3))
    assert ds.X.index.get_level_values("timestamp").max() == bars.index[-4]
    assert ds.y.notna().all() and ds.X.notna().all().all()
    assert len(ds.y) == 30 - SPEC.warmup - 3


def test_feature_rows_keep_every_complete_bar_with_no_label_needed():
    bars_by_symbol = symbols(8)
    rows = feature_rows(bars_by_symbol, SPEC)
    assert rows.index.is_monotonic_increasing
    assert len(rows) == sum(len(b) - SPEC.warmup for b in bars_by_symbol.values())
    last = rows.xs("BBB", level="symbol").index[-1]
    assert last == bars_by_symbol["BBB"].index[-1]  # inference reaches the latest bar
    tiny = feature_rows({"T": random_bars(1, SPEC.warmup)}, SPEC)
    assert tiny.empty and list(tiny.columns) == SPEC.columns


def test_too_few_bars_says_how_many_there_are_and_are_needed():
    target = TargetSpec(horizon=3)
    need = SPEC.warmup + 3 + 2
    build_dataset({"OK": random_bars(1, need)}, SPEC, target)
    with pytest.raises(ValidationError) as err:
        build_dataset({"OK": random_bars(1, 40), "TINY": random_bars(2, need - 1)}, SPEC, target)
    assert err.value.field == "symbols"
    assert (
        f"TINY has {need - 1} bars" in err.value.detail and f"at least {need}" in err.value.detail
    )


def test_errors_from_one_symbol_name_it():
    bars = random_bars(3, 40)
    broken = bars.copy()
    broken.iloc[20, broken.columns.get_loc("close")] = np.nan
    with pytest.raises(DataError, match=r"^BAD: 1 bar\(s\) have NaN"):
        build_dataset({"GOOD": bars, "BAD": broken}, SPEC, TargetSpec())
    with_volume = FeatureSpec((FeatureDef("volume_zscore"),))
    with pytest.raises(
        ValidationError, match=r"^NOVOL: feature volume_zscore_20 needs a volume"
    ) as err:
        feature_rows({"NOVOL": bars.drop(columns="volume")}, with_volume)
    assert err.value.field == "features"


def test_symbols_in_different_time_zones_are_refused():
    mixed = {"A": random_bars(1, 40), "B": random_bars(2, 40, tz=None)}
    with pytest.raises(ValidationError, match="different time zones") as err:
        build_dataset(mixed, SPEC, TargetSpec())
    assert err.value.field == "symbols"


def test_no_symbols_and_an_all_dead_zone_are_refused():
    with pytest.raises(ValidationError, match="at least one symbol"):
        build_dataset({}, SPEC, TargetSpec())
    with pytest.raises(ValidationError, match="lower the dead_zone") as err:
        build_dataset({"A": random_bars(1, 40)}, SPEC, TargetSpec(dead_zone=0.9))
    assert err.value.field == "target"
