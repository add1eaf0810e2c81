"""CSCV / PBO: hand-built splits, the sufficient-statistics invariant, noise vs edge, sampling."""

from __future__ import annotations

import math
import statistics
from dataclasses import asdict

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from shared.errors import ValidationError
from shared.stats import partition_stats, pbo, pbo_from_stats
from shared.stats.cscv import _half_sharpe, _split_masks

SQRT2 = math.sqrt(2.0)


def _matrix(*strategies: list[float]) -> np.ndarray:
    """Bars x strategies from one list of returns per strategy."""
    return np.array(strategies, dtype=np.float64).T


def test_partition_stats_by_hand() -> None:
    # np.array_split of 10 bars into 4: sizes 3, 3, 2, 2 -> [0 1 2] [3 4 5] [6 7] [8 9].
    got = partition_stats(np.arange(10.0), n_partitions=4)
    want = [
        [3, 0 + 1 + 2, 0 + 1 + 4],
        [3, 3 + 4 + 5, 9 + 16 + 25],
        [2, 6 + 7, 36 + 49],
        [2, 8 + 9, 64 + 81],
    ]
    np.testing.assert_array_equal(got, np.array(want, dtype=np.float64))
    assert got.dtype == np.float64


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_pooled_sharpe_equals_sharpe_of_concatenated_halves(data: st.DataObject) -> None:
    # The invariant that makes shipping [count, sum, sumsq] instead of returns valid.
    n_partitions = data.draw(st.sampled_from([2, 4, 6, 8]))
    n_obs = data.draw(st.integers(2 * n_partitions, 60))
    values = st.floats(-1.0, 1.0, allow_nan=False, allow_subnormal=False)
    x = np.array(data.draw(st.lists(values, min_size=2 * n_obs, max_size=2 * n_obs))).reshape(
        2, n_obs
    )
    chosen = data.draw(st.permutations(range(n_partitions)))[: n_partitions // 2]
    mask = np.zeros(n_partitions, dtype=bool)
    mask[chosen] = True

    stats = np.stack([partition_stats(row, n_partitions) for row in x])
    got = _half_sharpe(stats, mask[None, :])[0]
    for i, row in enumerate(x):
        blocks = np.array_split(row, n_partitions)
        half = [float(v) for s in sorted(chosen) for v in blocks[s]]
        sd = statistics.stdev(half)
        assume(sd > 1e-3 * max(1e-3, abs(statistics.fmean(half))))  # not (nearly) constant
        assert got[i] == pytest.approx(statistics.fmean(half) / sd, rel=1e-6, abs=1e-9)


def test_flat_strategy_scores_zero_sharpe() -> None:
    # A combination that never trades has no variance; it must stay rankable, not nan.
    stats = np.stack([partition_stats(np.zeros(8), 2), partition_stats(np.arange(8.0), 2)])
    assert _half_sharpe(stats, np.array([[True, False]]))[0, 0] == 0.0


# --- hand-built cases: 2 partitions of 2 bars, so the splits are (IS=P1, OOS=P2), (IS=P2, OOS=P1)
# Sharpe of [3, 1]: mean 2, sample var ((3-2)² + (1-2)²)/1 = 2 -> 2/√2 = √2; of [-1, -3]: -√2;
# of [2, 0]: 1/√2; of [1, -1] and [0.5, -0.5]: 0.


def test_pbo_is_one_when_the_is_best_is_always_oos_worst() -> None:
    # A: P1 √2, P2 -√2.  B: P1 -√2, P2 √2.  C: 0 and 0.
    # Split 1: IS best A; OOS A -√2 < C 0 < B √2 -> rank 1 of 3, ω = 1/4, λ = ln(1/3) < 0.
    # Split 2: IS best B; OOS B -√2 < C 0 < A √2 -> rank 1, λ = ln(1/3).
    m = _matrix([3, 1, -1, -3], [-1, -3, 3, 1], [0.5, -0.5, 0.5, -0.5])
    r = pbo(m, n_partitions=2)
    assert r.pbo == 1.0
    assert r.logit_median == pytest.approx(math.log(1 / 3))
    assert r.oos_sharpe_of_best_mean == pytest.approx(-SQRT2)
    assert r.prob_oos_loss == 1.0
    assert (r.n_splits, r.sampled, r.n_strategies, r.n_partitions) == (2, False, 3, 2)


def test_pbo_is_zero_when_the_is_best_stays_oos_best() -> None:
    # A: √2 in both halves; B: 0; C: -√2. Both splits: IS best A, OOS rank 3 of 3,
    # ω = 3/4, λ = ln 3 > 0.
    m = _matrix([3, 1, 3, 1], [1, -1, 1, -1], [-1, -3, -1, -3])
    r = pbo(m, n_partitions=2)
    assert r.pbo == 0.0
    assert r.logit_median == pytest.approx(math.log(3))
    assert r.oos_sharpe_of_best_mean == pytest.approx(SQRT2)
    assert r.prob_oos_loss == 0.0


def test_ties_use_average_rank_and_lambda_zero_counts_as_overfit() -> None:
    # A: P1 √2, P2 0.  B: P1 1/√2, P2 0.
    # Split 1: IS best A (√2 > 1/√2); OOS A 0 = B 0 -> ranks 1 and 2 averaged: 1.5,
    #   ω = 1.5/3 = 1/2, λ = 0 -> counts as overfit.
    # Split 2: IS A 0 = B 0, the first strategy (A) wins the IS tie; OOS A √2 > B 1/√2 -> rank 2,
    #   ω = 2/3, λ = ln 2 > 0.
    m = _matrix([3, 1, 1, -1], [2, 0, 1, -1])
    r = pbo(m, n_partitions=2)
    assert r.pbo == 0.5
    assert r.logit_median == pytest.approx(math.log(2) / 2)
    assert r.oos_sharpe_of_best_mean == pytest.approx(SQRT2 / 2)
    assert r.prob_oos_loss == 0.0


# --- statistical behaviour -----------------------------------------------------------------------


def test_pbo_of_pure_noise_is_about_one_half() -> None:
    # One noise dataset's PBO varies a lot (sd ≈ 0.19 across datasets: the splits share the data),
    # so average 40 seeded datasets; the mean's sd is then ≈ 0.03.
    values = [
        pbo(np.random.default_rng(seed).standard_normal((1600, 50)), max_splits=1000).pbo
        for seed in range(40)
    ]
    assert 0.4 <= np.mean(values) <= 0.6
    assert all(0.0 <= v <= 1.0 for v in values)


def test_pbo_of_a_strong_edge_among_noise_is_small() -> None:
    x = np.random.default_rng(3).standard_normal((1600, 50))
    x[:, 17] += 0.2  # Sharpe 0.2 per period: t ≈ 5.7 on each half of 800 bars
    r = pbo(x)
    assert r.pbo < 0.1
    assert r.prob_oos_loss < 0.1
    assert r.oos_sharpe_of_best_mean == pytest.approx(0.2, abs=0.07)


# --- splits and sampling ---------------------------------------------------------------------------


def test_exhaustive_splits_are_every_half_once() -> None:
    masks, sampled = _split_masks(6, max_splits=100, seed=0)
    assert not sampled
    assert masks.shape == (math.comb(6, 3), 6)
    assert (masks.sum(axis=1) == 3).all()
    assert len({m.tobytes() for m in masks}) == masks.shape[0]
    # Symmetric: every split's complement (IS and OOS swapped) is also a split.
    assert {m.tobytes() for m in masks} == {(~m).tobytes() for m in masks}


def test_sampled_splits_are_distinct_halves() -> None:
    masks, sampled = _split_masks(16, max_splits=3000, seed=5)
    assert sampled
    assert masks.shape == (3000, 16)
    assert (masks.sum(axis=1) == 8).all()
    assert len({m.tobytes() for m in masks}) == 3000


def test_sampled_pbo_is_close_to_exhaustive_and_deterministic() -> None:
    x = np.random.default_rng(21).standard_normal((1600, 50))
    full = pbo(x, max_splits=20_000)
    part = pbo(x, max_splits=2000, seed=4)
    assert (full.n_splits, full.sampled) == (math.comb(16, 8), False)
    assert (part.n_splits, part.sampled) == (2000, True)
    assert abs(part.pbo - full.pbo) <= 0.05
    assert pbo(x, max_splits=2000, seed=4) == part


def test_many_partitions_are_sampled_without_listing_every_split() -> None:
    # C(40, 20) ≈ 1.4e11 splits: only sampling can work.
    x = np.random.default_rng(2).standard_normal((200, 3))
    r = pbo(x, n_partitions=40, max_splits=200)
    assert (r.n_splits, r.sampled) == (200, True)


def test_pbo_from_stats_matches_pbo_and_leaves_input_alone() -> None:
    x = np.random.default_rng(9).standard_normal((160, 6))
    stats = np.stack([partition_stats(x[:, j], 8) for j in range(6)])
    before = stats.copy()
    # Equal up to summation order (a column sum vs a 1-D sum).
    assert asdict(pbo_from_stats(stats)) == pytest.approx(asdict(pbo(x, n_partitions=8)), rel=1e-12)
    np.testing.assert_array_equal(stats, before)


def test_ten_thousand_strategies_are_handled() -> None:
    # Its speed (1-3 s) belongs to benchmarks; a wall-clock bound here failed on a busy machine.
    x = np.random.default_rng(0).standard_normal((320, 10_000))
    r = pbo(x)  # 5,000 sampled splits of S = 16
    assert r.n_strategies == 10_000 and r.n_splits == 5000
    assert 0.0 <= r.pbo <= 1.0


# --- validation --------------------------------------------------------------------------------


def test_too_few_bars_per_partition() -> None:
    with pytest.raises(ValidationError) as err:
        partition_stats(np.zeros(20), 16)
    assert err.value.detail == (
        "CSCV needs at least 2 observations per partition: 20 bars in 16 partitions; "
        "use fewer partitions or a longer backtest"
    )
    assert err.value.field == "n_partitions"


@pytest.mark.parametrize("n_partitions", [0, 1, 5, 15])
def test_odd_or_too_few_partitions(n_partitions: int) -> None:
    with pytest.raises(ValidationError, match="even number of partitions") as err:
        partition_stats(np.zeros(100), n_partitions)
    assert f"got {n_partitions}; use e.g. 8, 10 or 16" in err.value.detail


def test_odd_partitions_in_stats() -> None:
    stats = np.tile([[[10.0, 1.0, 1.0]]], (2, 3, 1))  # 2 strategies x 3 partitions
    with pytest.raises(ValidationError, match="even number of partitions"):
        pbo_from_stats(stats)


def test_one_strategy_is_refused() -> None:
    with pytest.raises(ValidationError, match="needs at least 2, got 1; pass every combination"):
        pbo(np.random.default_rng(0).standard_normal((64, 1)), n_partitions=4)


def test_nan_in_returns_names_the_first() -> None:
    x = np.zeros((64, 3))
    x[10, 2] = np.nan
    x[40, 0] = np.inf
    with pytest.raises(
        ValidationError, match=r"2 NaN or infinite values \(first at bar 10, strategy 2\)"
    ):
        pbo(x, n_partitions=4)


def test_nan_in_one_strategy_returns() -> None:
    with pytest.raises(ValidationError, match=r"1 NaN or infinite values \(first at bar 3\); fill"):
        partition_stats([0.1, 0.2, -0.1, np.nan, 0.0, 0.1], 2)


def test_nan_in_stats() -> None:
    stats = np.stack([partition_stats(np.arange(8.0), 2)] * 2)
    stats[1, 0, 1] = np.nan
    with pytest.raises(ValidationError, match="stats contain NaN"):
        pbo_from_stats(stats)


def test_stats_with_a_one_bar_partition() -> None:
    stats = np.array([[[1, 0.1, 0.01], [3, 0.0, 0.02]]] * 2)
    with pytest.raises(ValidationError, match="smallest of 2 partitions has 1; use fewer"):
        pbo_from_stats(stats)


def test_stats_partitioned_differently() -> None:
    stats = np.stack([partition_stats(np.arange(8.0), 2), partition_stats(np.arange(10.0), 2)])
    with pytest.raises(ValidationError, match="partition counts differ between strategies"):
        pbo_from_stats(stats)


def test_stats_of_the_wrong_shape() -> None:
    with pytest.raises(ValidationError, match=r"shape \(n_strategies, n_partitions, 3\)"):
        pbo_from_stats(np.zeros((4, 16)))


def test_non_positive_max_splits() -> None:
    stats = np.stack([partition_stats(np.arange(8.0), 2)] * 2)
    with pytest.raises(ValidationError, match="max_splits must be at least 1"):
        pbo_from_stats(stats, max_splits=0)
