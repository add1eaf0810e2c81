"""Feature normalisation with statistics of the training window only, kept for evaluation.

The statistics are fitted once, on the market the agent trains on, and stored (``to_dict`` for
metadata.json); the evaluation environment on a later window takes the SAME object, so an
unseen window is scaled as the agent learnt it and its own future never leaks into the inputs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from shared.errors import ValidationError
from shared.rl.market import Market

F32 = npt.NDArray[np.float32]
DEFAULT_CLIP = 10.0


@dataclass(frozen=True)
class FeatureScaler:
    """Per-feature mean and standard deviation (pooled over symbols); values clipped after."""

    columns: tuple[str, ...]
    mean: tuple[float, ...]
    std: tuple[float, ...]
    clip: float = DEFAULT_CLIP

    @classmethod
    def fit(cls, market: Market, clip: float = DEFAULT_CLIP) -> FeatureScaler:
        """Statistics of every bar and symbol of `market` (pass the training window)."""
        flat = market.features.reshape(-1, len(market.columns))
        std = flat.std(axis=0)
        # a constant feature carries no information; scale 1 keeps it finite (0 after centring)
        std = np.where(std > 0.0, std, 1.0)
        return cls._checked(market.columns, flat.mean(axis=0), std, clip)

    def transform(self, market: Market) -> F32:
        """(bars, symbols x features) float32 inputs, symbol-major, clipped to +-clip."""
        if tuple(market.columns) != self.columns:
            raise ValidationError(
                f"the scaler was fitted on features {list(self.columns)}, the market has "
                f"{list(market.columns)}; build the market with the same FeatureSpec",
                field="features",
            )
        scaled = (market.features - np.asarray(self.mean)) / np.asarray(self.std)
        scaled = np.clip(scaled, -self.clip, self.clip)
        return np.ascontiguousarray(scaled.reshape(len(market), -1), dtype=np.float32)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, for the model's metadata."""
        return {
            "columns": list(self.columns),
            "mean": list(self.mean),
            "std": list(self.std),
            "clip": self.clip,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FeatureScaler:
        """The scaler ``to_dict`` wrote; malformed data raises ValidationError."""
        try:
            columns, mean, std = data["columns"], data["mean"], data["std"]
            clip = float(data.get("clip", DEFAULT_CLIP))
        except (KeyError, TypeError, ValueError) as exc:
            raise ValidationError(f"scaler is malformed: {exc!r}", field="scaler") from exc
        return cls._checked(tuple(columns), np.asarray(mean), np.asarray(std), clip)

    @classmethod
    def _checked(cls, columns: tuple[str, ...], mean: Any, std: Any, clip: float) -> FeatureScaler:
        mean = np.asarray(mean, dtype=np.float64)
        std = np.asarray(std, dtype=np.float64)
        n = len(columns)
        if mean.shape != (n,) or std.shape != (n,):
            raise ValidationError(
                f"scaler needs one mean and one std per column ({n})", field="scaler"
            )
        if not (np.isfinite(mean).all() and np.isfinite(std).all() and (std > 0.0).all()):
            raise ValidationError("scaler means must be finite and stds positive", field="scaler")
        if not (np.isfinite(clip) and clip > 0.0):
            raise ValidationError(f"clip must be a positive number, got {clip}", field="scaler")
        return cls(
            columns=tuple(str(c) for c in columns),
            mean=tuple(float(v) for v in mean),
            std=tuple(float(v) for v in std),
            clip=float(clip),
        )
