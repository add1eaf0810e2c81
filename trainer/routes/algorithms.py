"""The algorithms a training may use, with their hyperparameters, and the feature kinds."""

from __future__ import annotations

from fastapi import APIRouter

from shared.features import default_feature_spec, describe_kinds
from shared.ml.algorithms import ALGORITHMS
from shared.schemas.trainings import AlgorithmOut, AlgorithmsOut, FeatureIn, FeatureKindOut

router = APIRouter(prefix="/api/v1", tags=["trainings"])


@router.get("/algorithms", response_model=AlgorithmsOut)
def list_algorithms() -> AlgorithmsOut:
    """Every algorithm with typed hyperparameters (defaults, ranges), and the feature pipeline's
    kinds with their parameters: what a client needs to build a training form."""
    items = [AlgorithmOut.model_validate(a.to_dict()) for a in ALGORITHMS.values()]
    default = default_feature_spec().to_dict()["features"]
    return AlgorithmsOut(
        items=items,
        total=len(items),
        feature_kinds=[FeatureKindOut.model_validate(k) for k in describe_kinds()],
        default_features=[FeatureIn.model_validate(f) for f in default],
    )
