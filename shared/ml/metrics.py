"""Out-of-sample scores of a classifier or a regressor, per fold and summarised over folds.

Every value is a plain Python float or int (JSON-ready, never a numpy scalar) or None where the
score is undefined on the rows given (ROC AUC with one class, precision with no predicted up,
R² with a constant target): an undefined score is reported as missing, never as NaN or 0.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.metrics import roc_auc_score

from shared.errors import ValidationError

Score = float | int | None
# log loss of a confident wrong prediction is infinite; clipping caps one row at about 34.5
_PROB_CLIP = 1e-15


def classification_metrics(
    y_true: npt.ArrayLike, p_up: npt.ArrayLike, threshold: float = 0.5
) -> dict[str, Score]:
    """accuracy, precision, recall, roc_auc, log_loss, n and positive_rate of P(up) forecasts.

    A row is predicted up when p_up >= threshold. positive_rate is the share of rows that went
    up (the base rate accuracy should beat). log_loss clips probabilities to [1e-15, 1 - 1e-15].
    """
    truth = _as_vector(y_true, "y_true")
    prob = _as_vector(p_up, "p_up", like=truth)
    if not np.isin(truth, (0.0, 1.0)).all():
        raise ValidationError("y_true must hold only 0 (down) and 1 (up)", field="y_true")
    if ((prob < 0.0) | (prob > 1.0)).any():
        raise ValidationError("p_up must be probabilities between 0 and 1", field="p_up")
    if not 0.0 <= threshold <= 1.0:
        raise ValidationError(f"threshold must be in [0, 1], got {threshold}", field="threshold")
    up = truth == 1.0
    called_up = prob >= threshold
    hits = int((up & called_up).sum())
    clipped = np.clip(prob, _PROB_CLIP, 1.0 - _PROB_CLIP)
    log_loss = -np.mean(np.where(up, np.log(clipped), np.log1p(-clipped)))
    one_class = up.all() or not up.any()
    return {
        "accuracy": float(np.mean(up == called_up)),
        "precision": _ratio(hits, int(called_up.sum())),
        "recall": _ratio(hits, int(up.sum())),
        "roc_auc": None if one_class else float(roc_auc_score(up, prob)),
        "log_loss": float(log_loss),
        "n": len(truth),
        "positive_rate": float(np.mean(up)),
    }


def regression_metrics(y_true: npt.ArrayLike, y_pred: npt.ArrayLike) -> dict[str, Score]:
    """r2, mae, rmse, directional_accuracy and n of return forecasts.

    directional_accuracy is the share of rows where sign(pred) == sign(true): a zero on one
    side only counts as wrong, both zero as right. r2 is None for fewer than 2 rows or a
    constant target, where it is undefined.
    """
    truth = _as_vector(y_true, "y_true")
    pred = _as_vector(y_pred, "y_pred", like=truth)
    error = pred - truth
    total = float(np.sum((truth - truth.mean()) ** 2))
    defined = len(truth) >= 2 and total > 0.0
    return {
        "r2": 1.0 - float(np.sum(error**2)) / total if defined else None,
        "mae": float(np.mean(np.abs(error))),
        "rmse": math.sqrt(float(np.mean(error**2))),
        "directional_accuracy": float(np.mean(np.sign(pred) == np.sign(truth))),
        "n": len(truth),
    }


def summarize_folds(per_fold: Sequence[dict[str, Any]]) -> dict[str, dict[str, Score]]:
    """{key: {"mean", "std", "count"}} over folds for every numeric key, skipping missing values.

    A fold where a key is None (or absent, or NaN) does not count for that key; count says how
    many folds did (0 for a score undefined in every fold, which is still listed). std is the sample standard deviation (ddof=1), None with fewer than 2 values;
    mean is None when no fold has a value. Non-numeric keys (dates, names) are left out.
    """
    keys: dict[str, None] = {}  # insertion-ordered set: keys in first-seen order
    for fold in per_fold:
        # None counts as numeric here, so a score undefined in every fold is still reported
        keys.update(
            (key, None) for key, value in fold.items() if value is None or _is_number(value)
        )
    summary: dict[str, dict[str, Score]] = {}
    for key in keys:
        values = [float(fold[key]) for fold in per_fold if _is_number(fold.get(key))]
        values = [value for value in values if math.isfinite(value)]
        summary[key] = {
            "mean": float(np.mean(values)) if values else None,
            "std": float(np.std(values, ddof=1)) if len(values) >= 2 else None,
            "count": len(values),
        }
    return summary


def _is_number(value: object) -> bool:
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(
        value, bool | np.bool_
    )


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def _as_vector(
    values: npt.ArrayLike, name: str, like: npt.NDArray[np.float64] | None = None
) -> npt.NDArray[np.float64]:
    """`values` as a finite, non-empty 1-D float64 array (of `like`'s length when given)."""
    try:
        out = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValidationError(f"{name} must be numbers: {exc}", field=name) from exc
    if out.ndim != 1 or len(out) == 0:
        raise ValidationError(
            f"{name} must be a non-empty 1-D array, got shape {out.shape}", field=name
        )
    if like is not None and len(out) != len(like):
        raise ValidationError(
            f"{name} has {len(out)} rows but y_true has {len(like)}; pass one per row", field=name
        )
    if not np.isfinite(out).all():
        raise ValidationError(
            f"{name} has {int((~np.isfinite(out)).sum())} NaN or infinite values; score only "
            "rows the model produced an output for",
            field=name,
        )
    return out
