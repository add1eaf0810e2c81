"""Probability of Backtest Overfitting by Combinatorially Symmetric Cross-Validation.

Bailey, Borwein, López de Prado & Zhu, "The Probability of Backtest Overfitting" (2015).
Each strategy's returns are reduced to per-partition sufficient statistics, so a sweep can ship
an (n_partitions, 3) array per combination instead of its whole return series.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from shared.errors import ValidationError

F64 = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

_COUNT, _SUM, _SUMSQ = 0, 1, 2
# Splits x strategies per chunk: each (chunk, N) float64 temporary stays near 4 MB, which
# measured about twice as fast as 16 MB chunks at N = 10,000.
_CHUNK_CELLS = 500_000


@dataclass(frozen=True)
class PBOResult:
    """What CSCV says about the in-sample best strategy's out-of-sample fate."""

    pbo: float  # fraction of splits where the IS-best ranks at or below the OOS median (λ ≤ 0)
    logit_median: float
    n_splits: int
    sampled: bool  # True when a seeded random subset of the C(S, S/2) splits was used
    oos_sharpe_of_best_mean: float  # per period
    prob_oos_loss: float  # fraction of splits where the IS-best has OOS Sharpe < 0
    n_strategies: int
    n_partitions: int


def _check_partitions(n_partitions: int) -> None:
    """Raise unless n_partitions is an even number >= 2."""
    if n_partitions < 2 or n_partitions % 2:
        raise ValidationError(
            f"CSCV needs an even number of partitions (at least 2) to split into two equal halves, "
            f"got {n_partitions}; use e.g. 8, 10 or 16",
            field="n_partitions",
        )


def _block_stats(matrix: F64, n_partitions: int) -> F64:
    """(N, S, 3) [count, sum, sum of squares] of each column over np.array_split blocks of rows."""
    _check_partitions(n_partitions)
    n_obs = matrix.shape[0]
    if n_obs < 2 * n_partitions:
        raise ValidationError(
            f"CSCV needs at least 2 observations per partition: {n_obs} bars in {n_partitions} "
            "partitions; use fewer partitions or a longer backtest",
            field="n_partitions",
        )
    bad = ~np.isfinite(matrix)
    if bad.any():
        row, col = np.argwhere(bad)[0]
        where = f"bar {row}, strategy {col}" if matrix.shape[1] > 1 else f"bar {row}"
        raise ValidationError(
            f"returns contain {int(bad.sum())} NaN or infinite values (first at {where}); "
            "fill or drop them before CSCV",
            field="returns",
        )
    blocks = np.array_split(matrix, n_partitions, axis=0)
    out = np.empty((matrix.shape[1], n_partitions, 3), dtype=np.float64)
    for s, block in enumerate(blocks):
        out[:, s, _COUNT] = block.shape[0]
        out[:, s, _SUM] = block.sum(axis=0)
        out[:, s, _SUMSQ] = np.einsum("ij,ij->j", block, block)
    return out


def partition_stats(returns: npt.ArrayLike, n_partitions: int = 16) -> F64:
    """(n_partitions, 3) [count, sum, sum of squares] of one strategy's returns per contiguous block."""
    x = np.asarray(returns, dtype=np.float64)
    if x.ndim != 1:
        raise ValidationError(
            f"partition_stats takes one strategy's 1-D returns, got shape {x.shape}; "
            "call it once per strategy (or use pbo() for a bars x strategies matrix)",
            field="returns",
        )
    return _block_stats(x[:, None], n_partitions)[0]


def _check_stats(stats: F64) -> None:
    """Raise unless stats is a finite (N >= 2, S even, 3) array with >= 2 obs in every partition."""
    if stats.ndim != 3 or stats.shape[2] != 3:
        raise ValidationError(
            f"stats must have shape (n_strategies, n_partitions, 3), got {stats.shape}; "
            "stack partition_stats() of each strategy",
            field="stats",
        )
    n_strategies, n_partitions, _ = stats.shape
    if n_strategies < 2:
        raise ValidationError(
            f"CSCV ranks strategies against each other, so it needs at least 2, got {n_strategies}; "
            "pass every combination the sweep tried",
            field="stats",
        )
    _check_partitions(n_partitions)
    if not np.isfinite(stats).all():
        raise ValidationError(
            "stats contain NaN or infinite values; check the returns they were built from",
            field="stats",
        )
    counts = stats[:, :, _COUNT]
    if (counts != counts[0]).any():
        raise ValidationError(
            "partition counts differ between strategies; partition every strategy's returns "
            "over the same bars with the same n_partitions",
            field="stats",
        )
    if counts[0].min() < 2:
        raise ValidationError(
            f"CSCV needs at least 2 observations per partition: the smallest of {n_partitions} "
            f"partitions has {int(counts[0].min())}; use fewer partitions or a longer backtest",
            field="stats",
        )


def _split_masks(n_partitions: int, max_splits: int, seed: int) -> tuple[BoolArray, bool]:
    """In-sample masks (n_splits, S), S/2 True per row, and whether they are a random sample."""
    half = n_partitions // 2
    if math.comb(n_partitions, half) <= max_splits:
        masks = np.zeros((math.comb(n_partitions, half), n_partitions), dtype=bool)
        for i, combo in enumerate(itertools.combinations(range(n_partitions), half)):
            masks[i, list(combo)] = True
        return masks, False
    # Uniform subsets, duplicates rejected: a uniform sample without replacement, and unlike
    # unranking combinations it works for any S without listing all C(S, S/2) of them.
    rng = np.random.default_rng(seed)
    seen: set[bytes] = set()
    rows: list[BoolArray] = []
    while len(rows) < max_splits:
        order = np.argsort(rng.random((max_splits, n_partitions)), axis=1)
        batch = np.zeros((max_splits, n_partitions), dtype=bool)
        np.put_along_axis(batch, order[:, :half], True, axis=1)
        for row in batch:
            key = np.packbits(row).tobytes()
            if key not in seen:
                seen.add(key)
                rows.append(row)
                if len(rows) == max_splits:
                    break
    return np.array(rows), True


def _half_sharpe(stats: F64, masks: BoolArray) -> F64:
    """(n_splits, N) Sharpe of each strategy on the union of the partitions each mask selects."""
    m = masks.astype(np.float64)
    n = (m @ stats[0, :, _COUNT])[:, None]  # counts are the same for every strategy (checked)
    mean = m @ stats[:, :, _SUM].T / n
    # Pooled ddof=1 variance from sums: cancellation is harmless for returns (|mean| ≪ std).
    # In place, because at N = 10,000 these temporaries dominate the run time.
    std = m @ stats[:, :, _SUMSQ].T
    std -= n * mean**2
    std /= n - 1.0
    np.maximum(std, 0.0, out=std)
    np.sqrt(std, out=std)
    # No variance (mostly a strategy that never traded in that half) scores 0: it stays rankable
    # and the result stays finite, hence JSON-safe. The 1e-6 also absorbs a constant's rounding.
    flat = std <= 1e-6 * np.abs(mean)
    std[flat] = 1.0
    mean /= std
    mean[flat] = 0.0
    return mean


def _oos_rank_of_best(is_sr: F64, oos_sr: F64) -> tuple[F64, F64]:
    """Per split: OOS Sharpe of the IS-best (first on IS ties) and its average OOS rank (1 = worst)."""
    best = np.argmax(is_sr, axis=1)
    oos_best = np.take_along_axis(oos_sr, best[:, None], axis=1)
    below = (oos_sr < oos_best).sum(axis=1)
    tied = (oos_sr == oos_best).sum(axis=1)  # includes the best itself
    # Ties share the mean of the ranks they span: below+1 .. below+tied.
    return oos_best[:, 0], below + (tied + 1) / 2.0


def pbo_from_stats(stats: npt.ArrayLike, *, max_splits: int = 5000, seed: int = 0) -> PBOResult:
    """PBO of a sweep from its (n_strategies, n_partitions, 3) partition statistics."""
    st = np.asarray(stats, dtype=np.float64)
    _check_stats(st)
    if max_splits < 1:
        raise ValidationError(
            f"max_splits must be at least 1, got {max_splits}", field="max_splits"
        )
    n_strategies, n_partitions, _ = st.shape
    masks, sampled = _split_masks(n_partitions, max_splits, seed)

    chunk = max(1, _CHUNK_CELLS // n_strategies)
    oos_best_parts, rank_parts = [], []
    for start in range(0, masks.shape[0], chunk):
        m = masks[start : start + chunk]
        oos_best, rank = _oos_rank_of_best(_half_sharpe(st, m), _half_sharpe(st, ~m))
        oos_best_parts.append(oos_best)
        rank_parts.append(rank)
    oos_best = np.concatenate(oos_best_parts)
    rank = np.concatenate(rank_parts)
    omega = rank / (n_strategies + 1)
    logit = np.log(omega / (1.0 - omega))
    return PBOResult(
        # λ ≤ 0 ⇔ rank ≤ (N+1)/2, tested on the ranks so that λ = 0 (the IS-best exactly at the
        # OOS median) counts as overfit without trusting log(1.0) to round: the paper's PBO is
        # the mass of λ over (-∞, 0].
        pbo=float(np.mean(2.0 * rank <= n_strategies + 1)),
        logit_median=float(np.median(logit)),
        n_splits=int(masks.shape[0]),
        sampled=sampled,
        oos_sharpe_of_best_mean=float(np.mean(oos_best)),
        prob_oos_loss=float(np.mean(oos_best < 0.0)),
        n_strategies=n_strategies,
        n_partitions=n_partitions,
    )


def pbo(returns_matrix: npt.ArrayLike, n_partitions: int = 16, **kw: Any) -> PBOResult:
    """PBO of a bars x strategies matrix of per-period returns (see pbo_from_stats for kw)."""
    x = np.asarray(returns_matrix, dtype=np.float64)
    if x.ndim != 2:
        raise ValidationError(
            f"returns_matrix must be 2-D (bars x strategies), got shape {x.shape}",
            field="returns_matrix",
        )
    return pbo_from_stats(_block_stats(x, n_partitions), **kw)
