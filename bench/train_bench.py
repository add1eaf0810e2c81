"""`make bench`: training throughput of xgboost and the MLP through shared.ml, on this CPU.

The shapes follow the GPU figures quoted in the trainer issue (xgboost `hist`, 50 features,
200 rounds of depth 6; an MLP of 2 x 256), with fewer rows so that 2 cores finish in seconds.
Pass `--device cuda` on a machine with a GPU for the same runs there. Prints numbers only.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Mapping

import numpy as np

from shared.ml.estimators import build_model

N_FEATURES = 50


def data(rows: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(rows, N_FEATURES)).astype(np.float64)
    y = (X[:, 0] + 0.5 * X[:, 1] + rng.normal(size=rows) > 0).astype(np.float64)
    return X, y


def timed_fit(algorithm: str, params: Mapping[str, object], rows: int, device: str) -> float:
    X, y = data(rows)
    model = build_model(algorithm, "classification", params, seed=1, device=device)
    started = time.perf_counter()
    model.fit(X, y)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    parser.add_argument("--rows", type=int, default=200_000)
    args = parser.parse_args()
    rows, device = args.rows, args.device
    print(
        f"\nTraining throughput on {device} ({os.cpu_count()} cores), {rows:,} rows x {N_FEATURES}"
    )
    rounds = 200
    xgb_params = {"n_estimators": rounds, "max_depth": 6, "subsample": 1.0,
                  "colsample_bytree": 1.0}  # fmt: skip
    seconds = timed_fit("xgboost", xgb_params, rows, device)
    print(f"  xgboost hist, {rounds} rounds depth 6: {seconds:6.2f} s "
          f"= {rows / seconds:,.0f} rows/s ({rows * rounds / seconds / 1e6:.1f} M row-rounds/s)")  # fmt: skip
    epochs = 3
    mlp_params = {"hidden_layers": 2, "hidden_units": 256, "epochs": epochs, "batch_size": 1024,
                  "dropout": 0.0}  # fmt: skip
    seconds = timed_fit("mlp", mlp_params, rows, device)
    print(f"  MLP 2x256, {epochs} epochs, batch 1024: {seconds:6.2f} s "
          f"= {rows * epochs / seconds:,.0f} rows/s")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
