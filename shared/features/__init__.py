"""Features: the pure, causal layer (numpy/numba/pandas only; no TA-Lib, no I/O, no services).

Whatever is computed here at bar t uses bars up to t only, so the same code serves strategies,
sweeps, model training and simulation without leaking the future. The one deliberate look-ahead,
the training label, lives in ``targets``.
"""

from shared.features.dataset import Dataset, build_dataset, feature_rows
from shared.features.indicators import atr, bbands, ema, lookback, macd, rsi, sma
from shared.features.pipeline import build_features
from shared.features.spec import (
    FEATURE_KINDS,
    FeatureDef,
    FeatureKind,
    FeatureSpec,
    ParamDecl,
    default_feature_spec,
    describe_kinds,
)
from shared.features.targets import TargetSpec, forward_return, make_target

__all__ = [
    "FEATURE_KINDS",
    "Dataset",
    "FeatureDef",
    "FeatureKind",
    "FeatureSpec",
    "ParamDecl",
    "TargetSpec",
    "atr",
    "bbands",
    "build_dataset",
    "build_features",
    "default_feature_spec",
    "describe_kinds",
    "ema",
    "feature_rows",
    "forward_return",
    "lookback",
    "macd",
    "make_target",
    "rsi",
    "sma",
]
