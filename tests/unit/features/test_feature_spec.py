"""FeatureSpec as metadata.json records it: round trips, strict validation, the kinds' catalogue."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.errors import ValidationError
from shared.features import (
    FEATURE_KINDS,
    FeatureDef,
    FeatureSpec,
    default_feature_spec,
    describe_kinds,
)
from tests.unit.features.feature_bars import CASES


@st.composite
def feature_defs(draw: st.DrawFn) -> FeatureDef:
    kind = FEATURE_KINDS[draw(st.sampled_from(sorted(FEATURE_KINDS)))]
    params: dict[str, float] = {}
    for p in kind.params:
        if draw(st.booleans()):  # leave some to their defaults
            if p.type is int:
                params[p.name] = draw(st.integers(int(p.minimum), int(p.maximum)))
            else:
                params[p.name] = draw(st.floats(p.minimum, p.maximum))
    if kind.name == "macd":
        params["fast"] = draw(st.integers(2, 30))
        params["slow"] = draw(st.integers(int(params["fast"]) + 1, 60))
    return FeatureDef(kind.name, params)


@settings(max_examples=50, deadline=None)
@given(st.lists(feature_defs(), min_size=1, max_size=6, unique_by=lambda f: f.column))
def test_a_spec_survives_a_json_round_trip(features: list[FeatureDef]):
    spec = FeatureSpec(tuple(features))
    again = FeatureSpec.from_dict(json.loads(json.dumps(spec.to_dict())))
    assert again == spec
    assert again.columns == spec.columns
    assert hash(again) == hash(spec)


def test_params_are_filled_with_defaults_and_read_only():
    fd = FeatureDef("bollinger_position", {"period": 10})
    assert dict(fd.params) == {"period": 10, "nbdev": 2.0}
    assert fd.column == "bollinger_position_10_2"
    assert FeatureDef("macd").column == "macd_12_26_9"
    assert FeatureDef("bollinger_position", {"nbdev": 2.5}).column == "bollinger_position_20_2.5"
    with pytest.raises(TypeError):
        fd.params["period"] = 3  # type: ignore[index]


def test_to_dict_is_the_documented_shape():
    spec = FeatureSpec((FeatureDef("returns"), FeatureDef("rsi", {"period": 7})))
    assert spec.to_dict() == {
        "version": 1,
        "features": [
            {"kind": "returns", "params": {"period": 1}},
            {"kind": "rsi", "params": {"period": 7}},
        ],
    }


def test_columns_are_unique_across_every_case_and_the_default():
    for spec in (FeatureSpec(CASES), default_feature_spec()):
        assert len(set(spec.columns)) == len(spec.columns)


def test_the_default_spec_reads_close_only():
    spec = default_feature_spec()
    assert spec.fields == ("close",)
    kinds = {f.kind for f in spec.features}
    assert {"atr", "volume_zscore"}.isdisjoint(kinds)
    assert spec.warmup == 49  # sma_distance_50 is the slowest


def test_fields_are_the_union_of_what_the_features_read():
    spec = FeatureSpec((FeatureDef("volume_zscore"), FeatureDef("atr"), FeatureDef("month")))
    assert spec.fields == ("close", "high", "low", "volume")


BAD_SPECS = [
    ({"version": 1, "features": []}, "at least one"),
    ({"version": 1, "features": [{"kind": "nope"}]}, "unknown feature kind 'nope'"),
    ({"version": 1, "features": [{"kind": "rsi", "params": {"window": 3}}]}, "no parameter"),
    ({"version": 1, "features": [{"kind": "rsi", "params": {"period": 2.5}}]}, "integer"),
    ({"version": 1, "features": [{"kind": "rsi", "params": {"period": 14.0}}]}, "integer"),
    ({"version": 1, "features": [{"kind": "rsi", "params": {"period": True}}]}, "integer"),
    ({"version": 1, "features": [{"kind": "rsi", "params": {"period": "14"}}]}, "integer"),
    ({"version": 1, "features": [{"kind": "rsi", "params": {"period": 1}}]}, "[2, 1000]"),
    ({"version": 1, "features": [{"kind": "sma_distance", "params": {"period": 10**6}}]}, "got"),
    (
        {"version": 1, "features": [{"kind": "bollinger_position", "params": {"nbdev": "x"}}]},
        "a number",
    ),
    (
        {"version": 1, "features": [{"kind": "bollinger_position", "params": {"nbdev": 1e9}}]},
        "nbdev",
    ),
    ({"version": 1, "features": [{"kind": "macd", "params": {"fast": 30}}]}, "shorter than"),
    ({"version": 1, "features": [{"kind": "rsi"}, {"kind": "rsi"}]}, "listed twice"),
    ({"version": 1, "features": [{"kind": "rsi", "extra": 1}]}, "unknown key 'extra'"),
    ({"version": 1, "features": ["rsi"]}, "must be an object"),
    ({"version": 1, "features": [{"kind": "rsi", "params": [14]}]}, "params must be an object"),
    ({"version": 2, "features": [{"kind": "rsi"}]}, "version 2"),
    ({"features": [{"kind": "rsi"}], "colour": "red"}, "unknown key 'colour'"),
    ({"features": "rsi"}, "must be a list"),
    ([{"kind": "rsi"}], "must be an object"),
]


@pytest.mark.parametrize(("data", "message"), BAD_SPECS)
def test_bad_specs_are_rejected_naming_the_features_field(data: object, message: str):
    with pytest.raises(ValidationError) as err:
        FeatureSpec.from_dict(data)
    assert err.value.field == "features"
    assert message in err.value.detail


def test_errors_say_which_feature_is_wrong():
    data = {"features": [{"kind": "rsi"}, {"kind": "sma_distance", "params": {"period": 0}}]}
    with pytest.raises(ValidationError, match=r"features\[1\]: sma_distance: period"):
        FeatureSpec.from_dict(data)


def test_describe_kinds_lists_every_kind_with_its_params_as_json():
    described = json.loads(json.dumps(describe_kinds()))
    assert [d["kind"] for d in described] == list(FEATURE_KINDS)
    bollinger = next(d for d in described if d["kind"] == "bollinger_position")
    assert bollinger["params"] == [
        {"name": "period", "type": "int", "default": 20, "min": 2, "max": 1000},
        {"name": "nbdev", "type": "float", "default": 2.0, "min": 0.1, "max": 10.0},
    ]
    assert next(d for d in described if d["kind"] == "volume_zscore")["fields"] == ["volume"]
    assert all(d["description"] for d in described)
    # Every declared default is itself a valid value.
    assert FeatureSpec(tuple(FeatureDef(k) for k in FEATURE_KINDS)).columns
