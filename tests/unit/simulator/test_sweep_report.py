"""Sweep grid expansion and the overfitting verdict, on hand-made grids and return series."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from shared.errors import ValidationError
from shared.schemas.sweeps import SweepRequest
from shared.stats import moments, partition_stats, sharpe_ratio
from shared.strategies.builtin import get_strategy
from simulator.deciders import StrategyDecider
from simulator.sweeps import expand_grid, grid_size, overfitting_report, ranked

BASE = {"strategy": "sma_crossover", "symbols": ["SP500"]}
SMA = StrategyDecider(get_strategy("sma_crossover"), allow_short=False, position_size=1.0)


def test_grid_expands_ranges_and_skips_invalid_pairs() -> None:
    req = SweepRequest.model_validate(
        {**BASE, "grid": {"fast": {"start": 10, "stop": 30, "step": 10}, "slow": [20, 40]}}
    )
    assert grid_size(req, SMA) == 6
    combos, skipped = expand_grid(req, SMA)
    # (10,20) (10,40) (20,40) (30,40) are strategies; (20,20) and (30,20) have fast >= slow
    assert [(c["fast"], c["slow"]) for c in combos] == [(10, 20), (10, 40), (20, 40), (30, 40)]
    assert skipped == 2


def test_unknown_grid_parameter_is_refused() -> None:
    req = SweepRequest.model_validate({**BASE, "grid": {"speed": [1, 2]}})
    with pytest.raises(ValidationError) as err:
        grid_size(req, SMA)
    assert err.value.field == "grid.speed"


def _row(returns: np.ndarray, name: int) -> dict:
    skew, kurt = moments(returns)
    sr = sharpe_ratio(returns)
    return {"params": {"n": name}, "sharpe": sr * np.sqrt(252), "sr_period": sr, "skew": skew,
            "kurtosis": kurt, "n_obs": len(returns), "partitions": partition_stats(returns, 16).tolist()}  # fmt: skip


def test_the_best_of_many_noise_strategies_is_called_luck() -> None:
    rng = np.random.default_rng(11)
    rows = ranked([_row(rng.normal(0, 0.01, 1600), i) for i in range(200)], "sharpe")
    report = overfitting_report(rows, rows[0])
    assert report["n_trials"] == 200
    assert rows[0]["sharpe"] > 0.7  # looks good in isolation...
    assert report["likely_luck"] is True  # ...but not after 200 trials
    assert report["verdict"].startswith("The best of 200 combinations is likely luck")


def test_a_real_edge_survives_deflation() -> None:
    rng = np.random.default_rng(12)
    noise = [_row(rng.normal(0, 0.01, 1600), i) for i in range(50)]
    edge = _row(rng.normal(0.003, 0.01, 1600), 99)  # Sharpe ~4.8 a year
    rows = ranked([*noise, edge], "sharpe")
    report = overfitting_report(rows, rows[0])
    assert rows[0]["params"] == {"n": 99}
    assert report["deflated_sharpe_ratio"] > 0.99 and report["pbo"] < 0.1
    assert report["likely_luck"] is False


def test_numba_pbo_equals_the_numpy_one() -> None:
    from shared.sim.sweep_pbo import pbo_from_sums
    from shared.stats import pbo_from_stats

    rng = np.random.default_rng(5)
    returns = rng.normal(0.0002, 0.01, (640, 60))
    returns[:, :3] += 0.001  # a few with an edge, so the ranking is not all noise
    stats = np.stack([partition_stats(returns[:, k], 16) for k in range(60)])
    assert pbo_from_sums(stats) == pbo_from_stats(stats)
    assert pbo_from_sums(stats[:, :8], max_splits=20) == pbo_from_stats(stats[:, :8], max_splits=20)


def test_chunk_summaries_merge_to_the_whole_grids_statistics() -> None:
    """sr_period's variance, marginals and the PBO sample do not depend on how the grid was cut."""
    from simulator import sweep_report as rp

    rng = np.random.default_rng(8)
    sr = rng.normal(0.02, 0.01, 1_000)
    sr[::97] = np.nan  # combinations that never traded
    parts = [rp.sr_moments(piece) for piece in np.array_split(sr, 7)]
    n, variance = rp.merge_moments(parts)
    assert n == np.isfinite(sr).sum()
    assert variance == pytest.approx(np.nanvar(sr, ddof=1), rel=1e-12)

    values = np.column_stack([rng.integers(2, 6, 1_000), rng.choice([10.5, 20.0], 1_000)])
    metric = rng.normal(0, 1, 1_000)
    metric[::50] = np.nan
    got = rp.marginals(("fast", "lower"), values.astype(float), metric)
    frame = pd.DataFrame({"fast": values[:, 0], "lower": values[:, 1], "m": metric})
    for name in ("fast", "lower"):
        want = frame.groupby(name)["m"].agg(["size", "max", "median"])
        assert [r["value"] for r in got[name]] == want.index.tolist()
        assert [r["count"] for r in got[name]] == want["size"].tolist()
        assert [r["best"] for r in got[name]] == pytest.approx(want["max"].tolist())
        assert [r["median"] for r in got[name]] == pytest.approx(want["median"].tolist())

    keys = rp.sample_keys(np.arange(20_000, dtype=np.int64))
    whole = set(np.argsort(keys, kind="stable")[: rp.PBO_MAX_COMBINATIONS].tolist())
    picked: list[int] = []
    for lo in range(0, 20_000, 3_000):  # each chunk keeps its smallest keys, finalize the union's
        index = np.arange(lo, min(lo + 3_000, 20_000), dtype=np.int64)
        picked += index[
            np.argsort(rp.sample_keys(index), kind="stable")[: rp.PBO_MAX_COMBINATIONS]
        ].tolist()
    union = np.array(picked, dtype=np.int64)
    merged = set(
        union[np.argsort(rp.sample_keys(union), kind="stable")[: rp.PBO_MAX_COMBINATIONS]].tolist()
    )
    assert merged == whole


def test_heatmaps_hold_each_cells_best_over_the_whole_grid() -> None:
    """Each pair's cell is the best metric over the combinations holding both values (pandas'
    pivot of the max); pairs past the cell budget are left out."""
    from simulator import sweep_report as rp

    rng = np.random.default_rng(9)
    n = 6_000
    values = np.column_stack([
        rng.integers(2, 30, n), rng.choice([10.5, 20.0, 30.0], n), rng.integers(0, 20_000, n),
    ]).astype(float)  # fmt: skip
    metric = rng.normal(0, 1, n)
    metric[::40] = np.nan
    metric[values[:, 0] == 7] = np.nan  # a column with no defined value at all
    got = rp.heatmaps(("fast", "lower", "wide"), values, metric)
    # fast x lower fits; any pair with "wide" (thousands of values) passes the per-pair budget
    assert [(h["x"], h["y"]) for h in got] == [("fast", "lower")]
    heat = got[0]
    frame = pd.DataFrame({"fast": values[:, 0], "lower": values[:, 1], "m": metric})
    best = frame.pivot_table(index="lower", columns="fast", values="m", aggfunc="max",
                             dropna=False)  # fmt: skip
    count = frame.pivot_table(index="lower", columns="fast", values="m", aggfunc="size")
    assert heat["xs"] == [int(v) for v in best.columns] and heat["ys"] == best.index.tolist()
    want = [[None if np.isnan(v) else v for v in row] for row in best.to_numpy()]
    assert heat["best"] == want
    assert heat["count"] == count.fillna(0).astype(int).to_numpy().tolist()
    assert all(v is None for v in np.array(heat["best"], dtype=object)[:, heat["xs"].index(7)])


@pytest.mark.parametrize(
    ("strategy", "grid", "params"),
    [
        ("sma_crossover", {"fast": [5, 10, 60, 2.5, 1], "slow": [20, 50, 60]}, {}),
        ("sma_crossover", {"slow": [10, 30], "fast": {"start": 2, "stop": 40, "step": 3}}, {}),
        ("sma_crossover", {"slow": [10, 30, 45]}, {"fast": 12}),
        (
            "rsi_mean_reversion",
            {
                "period": [2, 14, 300],
                "lower": [20, 30, 50],
                "upper": [60, 70],
                "exit": [25, 50, 65],
            },
            {},
        ),
        ("rsi_mean_reversion", {"lower": [20, 30], "upper": [60, 70]}, {"exit": 55, "period": 9}),
    ],
)
def test_the_numpy_grid_lists_what_resolve_accepts_in_product_order(
    strategy: str, grid: dict, params: dict
) -> None:
    """build_grid's matrix: the combinations itertools.product + resolve() give, same order."""
    from itertools import product

    from simulator.sweep_grid import build_grid

    decider = StrategyDecider(get_strategy(strategy), allow_short=False, position_size=1.0)
    req = SweepRequest.model_validate(
        {**BASE, "strategy": strategy, "grid": grid, "params": params}
    )
    values = req.grid_values()
    want, skipped = [], 0
    for point in product(*values.values()):
        try:
            want.append(decider.resolve({**params, **dict(zip(values, point, strict=True))}))
        except ValidationError:
            skipped += 1
    built = build_grid(req, decider)
    got = [built.params(i) for i in range(len(built))]
    assert got == want and built.skipped == skipped
    assert [[type(v) for v in c.values()] for c in got] == [
        [type(v) for v in c.values()] for c in want
    ]


def test_a_large_grids_report_maps_every_combination_not_only_the_kept_rows() -> None:
    """Past the 5,000 rows a client loads, the report carries the heatmap of the whole grid,
    built from every chunk's metric vector, and it validates against the API's schema."""
    from shared.schemas.sweeps import SweepReport
    from shared.sim import sweep_stats as st
    from simulator.sweep_grid import build_grid
    from simulator.sweeps import ROWS_KEPT, combine, summarize_chunk

    req = SweepRequest.model_validate({
        **BASE, "grid": {"fast": list(range(2, 80)), "slow": list(range(81, 181))},
    })  # fmt: skip
    grid = build_grid(req, SMA)
    n = len(grid)
    assert n == 78 * 100 > ROWS_KEPT
    rng = np.random.default_rng(3)
    stats = rng.normal(0.5, 0.3, (n, st.N_STATS))
    stats[:, st.TRADES] = 4
    stats[:, st.NOBS] = 2_000
    stats[:, st.SR] = stats[:, st.SR] / 20  # per-bar Sharpe ratios, normal moments
    stats[:, st.SKEW] = 0.0
    stats[:, st.KURT] = 3.0
    cuts = [0, 6_000, n]  # the first chunk keeps only its best 5,000 rows
    chunks = [summarize_chunk(req, grid, stats[lo:hi], lo) for lo, hi in itertools.pairwise(cuts)]
    for chunk in chunks:
        chunk.update(engine="fused", engine_reason=None, n_general=0, counts=[10] * 16)
    report = combine(req, grid, chunks)
    SweepReport.model_validate(report)
    assert sum(len(c["rows"]) for c in chunks) < n  # the listing holds only the kept rows
    [heat] = report["heatmaps"]
    assert (heat["x"], heat["y"]) == ("fast", "slow")
    sharpe = stats[:, st.FIGURES.index("sharpe")]
    for i in rng.choice(n, 50, replace=False):  # one combination per cell: its own value
        p = grid.params(int(i))
        cell = heat["best"][heat["ys"].index(p["slow"])][heat["xs"].index(p["fast"])]
        assert cell == pytest.approx(sharpe[i], rel=1e-15)
