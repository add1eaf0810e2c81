"""Pure statistics for judging backtests: per-period Sharpe, PSR / DSR, and PBO by CSCV."""

from shared.stats.cscv import PBOResult, partition_stats, pbo, pbo_from_stats
from shared.stats.sharpe import (
    EULER_GAMMA,
    deflated_sharpe_ratio,
    expected_max_sharpe,
    moments,
    probabilistic_sharpe_ratio,
    sharpe_ratio,
)

__all__ = [
    "EULER_GAMMA",
    "PBOResult",
    "deflated_sharpe_ratio",
    "expected_max_sharpe",
    "moments",
    "partition_stats",
    "pbo",
    "pbo_from_stats",
    "probabilistic_sharpe_ratio",
    "sharpe_ratio",
]
