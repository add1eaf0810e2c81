"""Targets: forward returns and direction labels against explicit loops; TargetSpec validation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from shared.errors import ValidationError
from shared.features import TargetSpec, forward_return, make_target

CLOSE = pd.Series(
    [10.0, 10.5, 10.5, 10.2, 10.0, 10.04, 11.0],
    index=pd.date_range("2023-05-01", periods=7, freq="D", tz="UTC"),
)


@pytest.mark.parametrize("horizon", [1, 2, 3, 6, 7, 10])
def test_forward_return_reads_close_h_bars_ahead_and_leaves_the_end_unlabelled(horizon: int):
    c = CLOSE.to_list()
    expected = [c[t + horizon] / c[t] - 1 if t + horizon < len(c) else np.nan for t in range(7)]
    got = forward_return(CLOSE, horizon)
    np.testing.assert_allclose(got, expected, rtol=1e-15)
    assert got.index.equals(CLOSE.index)
    assert got.iloc[len(c) - horizon :].isna().all()


def test_direction_labels_with_a_dead_zone():
    # forward returns: +5%, 0, -2.86%, -1.96%, +0.4%, +9.56%, (none)
    got = make_target(CLOSE, TargetSpec("direction", 1, dead_zone=0.01))
    np.testing.assert_array_equal(got, [1.0, np.nan, 0.0, 0.0, np.nan, 1.0, np.nan])
    no_zone = make_target(CLOSE, TargetSpec("direction", 1))
    np.testing.assert_array_equal(no_zone, [1.0, np.nan, 0.0, 0.0, 1.0, 1.0, np.nan])


def test_return_targets_are_the_forward_return():
    got = make_target(CLOSE, TargetSpec("return", 2))
    np.testing.assert_array_equal(got, forward_return(CLOSE, 2))


def test_task_follows_the_kind_and_specs_round_trip():
    assert TargetSpec().task == "classification"
    assert TargetSpec("return", 5).task == "regression"
    for spec in (TargetSpec(), TargetSpec("direction", 3, 0.002), TargetSpec("return", 250)):
        assert TargetSpec.from_dict(spec.to_dict()) == spec
    assert TargetSpec.from_dict({"horizon": 4}) == TargetSpec("direction", 4, 0.0)
    assert TargetSpec("direction", 1, 0).to_dict() == {
        "kind": "direction",
        "horizon": 1,
        "dead_zone": 0.0,
    }


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "price"}, "unknown target kind"),
        ({"horizon": 0}, "horizon must be in [1, 250]"),
        ({"horizon": 251}, "horizon must be in [1, 250]"),
        ({"horizon": 2.0}, "horizon must be an integer"),
        ({"horizon": True}, "horizon must be an integer"),
        ({"dead_zone": -0.1}, "dead_zone must be in"),
        ({"dead_zone": float("nan")}, "dead_zone must be a number"),
        ({"dead_zone": "0.1"}, "dead_zone must be a number"),
        ({"kind": "return", "dead_zone": 0.01}, "direction targets only"),
        ({"kind": "direction", "lookahead": 3}, "unknown key 'lookahead'"),
        ("direction", "must be an object"),
    ],
)
def test_bad_targets_are_rejected_naming_the_target_field(data: object, message: str):
    with pytest.raises(ValidationError) as err:
        TargetSpec.from_dict(data)
    assert err.value.field == "target"
    assert message in err.value.detail


def test_forward_return_rejects_a_bad_horizon():
    with pytest.raises(ValidationError, match="horizon"):
        forward_return(CLOSE, 0)
