"""Model outputs to target weights, against hand-written expectations."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from shared.errors import ValidationError
from shared.ml.decisions import DecisionRule, targets_from_outputs

NAN = float("nan")
BARS = pd.date_range("2024-03-01", periods=3, freq="D")


def frame(rows: list[list[float]], columns: str = "ABC") -> pd.DataFrame:
    return pd.DataFrame(rows, index=BARS[: len(rows)], columns=list(columns[: len(rows[0])]))


def test_classifier_thresholds_are_inclusive_and_nan_is_flat() -> None:
    p_up = frame([[0.6, 0.4, NAN], [0.59, 0.41, 0.5], [1.0, 0.0, 0.7]])
    rule = DecisionRule(long_above=0.6, short_below=0.4, position_size=0.9)
    weights = targets_from_outputs(p_up, "classification", rule, allow_short=True)
    unit = 0.9 / 3  # equal split of the gross size over the three symbols
    expected = [[unit, -unit, 0.0], [0.0, 0.0, 0.0], [unit, -unit, unit]]
    np.testing.assert_allclose(weights.to_numpy(), expected, rtol=0, atol=1e-15)
    assert weights.index.equals(p_up.index) and list(weights.columns) == ["A", "B", "C"]
    assert weights.attrs["size_type"] == "weight"


def test_no_short_weights_without_allow_short() -> None:
    p_up = frame([[0.6, 0.4, NAN], [1.0, 0.0, 0.7]])
    rule = DecisionRule(long_above=0.6, short_below=0.4, position_size=0.9)
    weights = targets_from_outputs(p_up, "classification", rule, allow_short=False)
    expected = [[0.3, 0.0, 0.0], [0.3, 0.0, 0.3]]
    np.testing.assert_allclose(weights.to_numpy(), expected, rtol=0, atol=1e-15)
    assert not np.signbit(weights.to_numpy()).any()  # no -0.0 either


def test_equal_thresholds_leave_the_exact_value_flat() -> None:
    p_up = frame([[0.5, 0.6, 0.4]])
    rule = DecisionRule(long_above=0.5, short_below=0.5)
    weights = targets_from_outputs(p_up, "classification", rule, allow_short=True)
    np.testing.assert_allclose(weights.to_numpy(), [[0.0, 1 / 3, -1 / 3]])


def test_regressor_sign_acts_only_beyond_min_abs_return() -> None:
    predicted = frame([[0.02, -0.01, 0.005], [NAN, -0.03, 0.0]])
    rule = DecisionRule(min_abs_return=0.01, position_size=0.6)
    weights = targets_from_outputs(predicted, "regression", rule, allow_short=True)
    # 0.02 long; -0.01 is not beyond 0.01 so flat; 0.005 flat; NaN flat; -0.03 short; 0 flat
    expected = [[0.2, 0.0, 0.0], [0.0, -0.2, 0.0]]
    np.testing.assert_allclose(weights.to_numpy(), expected, rtol=0, atol=1e-15)
    no_short = targets_from_outputs(predicted, "regression", rule, allow_short=False)
    np.testing.assert_allclose(no_short.to_numpy(), [[0.2, 0.0, 0.0], [0.0, 0.0, 0.0]])


def test_regressor_scale_grows_with_the_forecast_and_is_clipped() -> None:
    predicted = frame([[0.015, -0.05], [0.04, 0.01]], columns="XY")
    rule = DecisionRule(min_abs_return=0.01, scale=0.02, position_size=1.0)
    weights = targets_from_outputs(predicted, "regression", rule, allow_short=True)
    # 0.015 / 0.02 = 0.75; -0.05 / 0.02 clipped to -1; 0.04 clipped to 1; 0.01 not > 0.01
    expected = [[0.75 * 0.5, -1.0 * 0.5], [1.0 * 0.5, 0.0]]
    np.testing.assert_allclose(weights.to_numpy(), expected, rtol=0, atol=1e-15)


def test_weights_are_not_shifted_and_the_input_is_not_mutated() -> None:
    p_up = frame([[0.9], [0.1], [NAN]])
    before = p_up.copy()
    weights = targets_from_outputs(p_up, "classification", DecisionRule(), allow_short=True)
    assert weights["A"].tolist() == [1.0, -1.0, 0.0]  # the bar's own decision, on that bar
    pd.testing.assert_frame_equal(p_up, before)


@settings(max_examples=60, deadline=None)
@given(
    values=hnp.arrays(
        np.float64,
        st.tuples(st.integers(1, 6), st.integers(1, 5)),
        elements=st.one_of(st.floats(-0.2, 0.2), st.just(NAN)),
    ),
    size=st.floats(0.01, 10.0),
    scale=st.one_of(st.none(), st.floats(0.001, 0.5)),
    allow_short=st.booleans(),
)
def test_gross_exposure_never_exceeds_position_size(
    values: np.ndarray, size: float, scale: float | None, allow_short: bool
) -> None:
    outputs = pd.DataFrame(values)
    rule = DecisionRule(position_size=size, scale=scale)
    for task, data in (("regression", outputs), ("classification", outputs + 0.5)):
        weights = targets_from_outputs(data, task, rule, allow_short=allow_short).to_numpy()
        assert np.isfinite(weights).all()
        assert (np.abs(weights).sum(axis=1) <= size * (1 + 1e-12)).all()
        assert (np.abs(weights) <= size / values.shape[1] * (1 + 1e-12)).all()
        assert (weights[np.isnan(values)] == 0.0).all()
        if not allow_short:
            assert (weights >= 0.0).all()


@pytest.mark.parametrize(
    ("options", "fragment"),
    [
        ({"short_below": 0.6, "long_above": 0.55}, "must not exceed"),
        ({"long_above": 1.5}, "long_above must be a number from 0 to 1"),
        ({"short_below": -0.1}, "short_below"),
        ({"position_size": 0}, "position_size must be greater than 0"),
        ({"position_size": 11}, "position_size must be a number from 0 to 10"),
        ({"scale": 0.0}, "scale must be greater than 0"),
        ({"scale": -1}, "scale"),
        ({"min_abs_return": -0.01}, "min_abs_return"),
        ({"min_abs_return": float("nan")}, "min_abs_return"),
        ({"long_above": "0.6"}, "long_above must be a number"),
        ({"long_abvoe": 0.6}, "did you mean 'long_above'?"),
    ],
)
def test_bad_rules_are_rejected_with_the_key_named(options: dict, fragment: str) -> None:
    with pytest.raises(ValidationError) as caught:
        DecisionRule.from_dict(options)
    assert caught.value.field == "decision"
    assert fragment in caught.value.detail


def test_rule_round_trips_and_stores_floats() -> None:
    rule = DecisionRule(long_above=0.7, short_below=0.3, min_abs_return=0.001, scale=0.01)
    assert DecisionRule.from_dict(json.loads(json.dumps(rule.to_dict()))) == rule
    from_ints = DecisionRule.from_dict({"long_above": 1, "short_below": 0, "position_size": 2})
    assert type(from_ints.long_above) is float and from_ints.position_size == 2.0
    assert DecisionRule.from_dict({}) == DecisionRule()


@pytest.mark.parametrize(
    ("outputs", "task", "field"),
    [
        (frame([[0.5, 1.2]]), "classification", "outputs"),
        (frame([[0.5, -0.1]]), "classification", "outputs"),
        (frame([[0.5, float("inf")]]), "regression", "outputs"),
        (pd.DataFrame(index=BARS), "regression", "outputs"),
        (pd.DataFrame({"A": ["up", "down", "up"]}, index=BARS), "regression", "outputs"),
        (frame([[0.5]]), "ranking", "task"),
    ],
)
def test_bad_outputs_are_rejected(outputs: pd.DataFrame, task: str, field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        targets_from_outputs(outputs, task, DecisionRule(), allow_short=True)  # type: ignore[arg-type]
    assert caught.value.field == field
