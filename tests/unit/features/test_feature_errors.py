"""Bars the features cannot be built from: the error names the feature, the field and the fix."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from shared.errors import DataError, ValidationError
from shared.features import FeatureDef, FeatureSpec, build_features, default_feature_spec
from tests.unit.features.feature_bars import random_bars

BARS = random_bars(9, 40)


def close_only(bars: pd.DataFrame) -> pd.DataFrame:
    close = bars["close"]
    return pd.DataFrame({"open": close, "high": close, "low": close, "close": close})


def test_volume_zscore_on_bars_without_volume_names_the_feature_and_the_field():
    spec = FeatureSpec((FeatureDef("returns"), FeatureDef("volume_zscore", {"period": 5})))
    with pytest.raises(ValidationError) as err:
        build_features(BARS.drop(columns="volume"), spec)
    assert err.value.field == "features"
    assert "volume_zscore_5" in err.value.detail and "volume" in err.value.detail


def test_atr_without_high_and_low_names_them():
    with pytest.raises(ValidationError, match=r"atr_14 needs high and low") as err:
        build_features(BARS[["close"]], FeatureSpec((FeatureDef("atr"),)))
    assert err.value.field == "features"


def test_atr_on_close_only_bars_says_the_symbol_is_close_only():
    with pytest.raises(ValidationError, match="close-only") as err:
        build_features(close_only(BARS), FeatureSpec((FeatureDef("atr", {"period": 3}),)))
    assert err.value.field == "features"
    assert "atr_3" in err.value.detail


def test_the_default_spec_builds_on_close_only_bars():
    bars = close_only(random_bars(4, 80))
    frame = build_features(bars, default_feature_spec())
    assert frame.iloc[default_feature_spec().warmup :].notna().all().all()


def test_atr_builds_when_only_some_bars_are_flat():
    bars = close_only(BARS)
    bars.iloc[-1, bars.columns.get_loc("high")] *= 1.01
    values = build_features(bars, FeatureSpec((FeatureDef("atr", {"period": 3}),)))
    assert np.isfinite(values.iloc[3:]).all().all()


def test_nan_in_a_field_that_is_read_is_a_data_error_naming_it():
    bars = BARS.copy()
    bars.iloc[7, bars.columns.get_loc("volume")] = np.nan
    with pytest.raises(DataError, match=r"1 bar\(s\) have NaN or inf in volume"):
        build_features(bars, FeatureSpec((FeatureDef("volume_zscore"),)))
    build_features(bars, FeatureSpec((FeatureDef("rsi"),)))  # volume is not read: no error


@pytest.mark.parametrize(
    "bars",
    [
        BARS.iloc[::-1],
        pd.concat([BARS.iloc[:5], BARS.iloc[4:]]),
        BARS.reset_index(drop=True),
    ],
    ids=["unsorted", "repeated", "no-datetime-index"],
)
def test_a_bad_index_is_a_data_error(bars: pd.DataFrame):
    with pytest.raises(DataError) as err:
        build_features(bars, FeatureSpec((FeatureDef("returns"),)))
    assert err.value.field == "bars"


def test_bars_are_not_mutated():
    bars = BARS.copy()
    build_features(bars, FeatureSpec((FeatureDef("atr"), FeatureDef("volume_zscore"))))
    pd.testing.assert_frame_equal(bars, BARS)
