"""A small PyTorch multilayer perceptron behind the Model interface.

Saved as safetensors (weights and the standardisation statistics) plus model_config.json (the
architecture); loading rebuilds the network from the config, so no pickle is ever read.
On the CPU, the same data, parameters, seed and thread count give bit-identical weights: the
global RNG is forked and seeded for weight init and dropout, and batches are shuffled by a
seeded generator of our own. CUDA runs are not bit-reproducible.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import torch
from safetensors import SafetensorError
from safetensors.torch import load_file, save_file
from scipy.special import expit
from torch import nn

from shared.errors import ValidationError
from shared.ml.algorithms import CLASSIFICATION, MLP
from shared.ml.artifact_errors import ArtifactError
from shared.ml.protocol import (
    F64,
    ModelBase,
    ProgressFn,
    check_features,
    check_training_data,
    read_config,
    write_config,
)

WEIGHTS_FILE = "model.safetensors"
FRAMEWORK = "torch"
ARCHITECTURE = ("hidden_layers", "hidden_units", "dropout")
_NET = "net."
_SCALER = ("scaler.x_mean", "scaler.x_std", "scaler.y_mean", "scaler.y_std")
_PREDICT_CHUNK = 65_536  # rows per forward pass: bounds memory on long simulations


def build_network(
    n_features: int, hidden_layers: int, hidden_units: int, dropout: float
) -> nn.Sequential:
    """Linear -> ReLU -> Dropout, `hidden_layers` times, then one linear output unit."""
    layers: list[nn.Module] = []
    width = n_features
    for _ in range(hidden_layers):
        layers += [nn.Linear(width, hidden_units), nn.ReLU(), nn.Dropout(dropout)]
        width = hidden_units
    layers.append(nn.Linear(width, 1))
    return nn.Sequential(*layers)


@contextmanager
def _torch_threads(n_threads: int) -> Iterator[None]:
    """Pin torch's intra-op threads (float sums depend on them), then restore the old count."""
    previous = torch.get_num_threads()
    torch.set_num_threads(n_threads)
    try:
        yield
    finally:
        torch.set_num_threads(previous)


class MLPModel(ModelBase):
    """Binary classifier (sigmoid of one logit) or regressor on standardised features."""

    algorithm = "mlp"
    framework = FRAMEWORK

    def __init__(
        self, task: str, params: dict[str, Any], *, seed: int, device: str, n_threads: int
    ) -> None:
        super().__init__(task, params, seed=seed, device=device, n_threads=n_threads)
        self._net: nn.Sequential | None = None
        self._scaler: dict[str, F64] = {}

    def fit(self, X: npt.ArrayLike, y: npt.ArrayLike, progress: ProgressFn | None = None) -> None:
        features, target = check_training_data(X, y, self.task)
        self._net = None  # a cancelled fit leaves no half-trained network behind
        self._scaler = _fit_scaler(features, target, self.task)
        y_mean, y_std = self._scaler["scaler.y_mean"][0], self._scaler["scaler.y_std"][0]
        scaled_target = ((target - y_mean) / y_std).astype(np.float32)
        p = self._params
        cuda_devices = [torch.device(self._device).index or 0] if self._device == "cuda" else []
        with _torch_threads(self._n_threads), torch.random.fork_rng(devices=cuda_devices):
            torch.manual_seed(self._seed)  # weight init and dropout masks
            net = build_network(
                features.shape[1], p["hidden_layers"], p["hidden_units"], p["dropout"]
            ).to(self._device)
            self._train(net, self._standardise(features), scaled_target, progress)
        self._net = net.eval()

    def _train(
        self,
        net: nn.Sequential,
        inputs: np.ndarray,
        target: np.ndarray,
        progress: ProgressFn | None,
    ) -> None:
        p = self._params
        epochs, batch = int(p["epochs"]), int(p["batch_size"])
        optimiser = torch.optim.AdamW(
            net.parameters(), lr=p["learning_rate"], weight_decay=p["weight_decay"]
        )
        loss_fn: nn.Module = nn.BCEWithLogitsLoss() if self.task == CLASSIFICATION else nn.MSELoss()
        x = torch.from_numpy(inputs).to(self._device)
        t = torch.from_numpy(target).to(self._device)
        shuffler = torch.Generator().manual_seed(self._seed)  # on the CPU, whatever the device
        net.train()
        for epoch in range(1, epochs + 1):
            order = torch.randperm(x.shape[0], generator=shuffler).to(self._device)
            for start in range(0, x.shape[0], batch):
                rows = order[start : start + batch]
                optimiser.zero_grad(set_to_none=True)
                loss = loss_fn(net(x[rows]).squeeze(1), t[rows])
                loss.backward()
                optimiser.step()
            if not torch.isfinite(loss).item():
                raise ValidationError(
                    f"the MLP's training loss became {loss.item()} at epoch {epoch}; lower "
                    "learning_rate or check the features for extreme values",
                    field="hyperparameters.learning_rate",
                )
            if progress is not None:
                progress(epoch, epochs)

    def _standardise(self, features: F64) -> np.ndarray:
        scaled = (features - self._scaler["scaler.x_mean"]) / self._scaler["scaler.x_std"]
        return np.ascontiguousarray(scaled, dtype=np.float32)

    def predict_output(self, X: npt.ArrayLike) -> F64:
        net = self._fitted()
        features = check_features(X, self._scaler["scaler.x_mean"].shape[0])
        inputs = torch.from_numpy(self._standardise(features))
        outputs = []
        with _torch_threads(self._n_threads), torch.no_grad():
            for start in range(0, inputs.shape[0], _PREDICT_CHUNK):
                chunk = inputs[start : start + _PREDICT_CHUNK].to(self._device)
                outputs.append(net(chunk).squeeze(1).cpu().numpy())
        raw = np.concatenate(outputs).astype(np.float64) if outputs else np.empty(0)
        if self.task == CLASSIFICATION:
            return np.asarray(expit(raw), dtype=np.float64)
        return raw * self._scaler["scaler.y_std"][0] + self._scaler["scaler.y_mean"][0]

    def feature_importance(self) -> F64 | None:
        return None  # no faithful per-column weight for a neural network

    def save(self, directory: Path) -> list[str]:
        net = self._fitted()
        tensors = {_NET + k: v.detach().cpu().contiguous() for k, v in net.state_dict().items()}
        tensors |= {k: torch.from_numpy(v.copy()) for k, v in self._scaler.items()}
        save_file(tensors, str(directory / WEIGHTS_FILE))
        config = {
            "algorithm": self.algorithm,
            "task": self.task,
            "framework": self.framework,
            "n_features": int(self._scaler["scaler.x_mean"].shape[0]),
            "activation": "relu",
            "format": "safetensors",
            **{name: self._params[name] for name in ARCHITECTURE},
        }
        return [WEIGHTS_FILE, write_config(directory, config)]

    @classmethod
    def load(cls, directory: Path, task: str, *, n_threads: int) -> MLPModel:
        config = read_config(directory, cls.algorithm, task)
        architecture = _checked_architecture(config, directory)
        n_features: int = config["n_features"]
        path = directory / WEIGHTS_FILE
        try:
            tensors = load_file(str(path), device="cpu")
        except (OSError, SafetensorError) as exc:
            raise ArtifactError(f"cannot read {path}: {exc}", field="model") from None
        # The shapes are checked on the meta device first: a config claiming huge layers
        # must not allocate anything.
        with torch.device("meta"):
            blueprint = build_network(n_features, **architecture).state_dict()
        expected = {_NET + k: tuple(v.shape) for k, v in blueprint.items()}
        expected |= dict(zip(_SCALER, [(n_features,), (n_features,), (1,), (1,)], strict=True))
        found = {k: tuple(v.shape) for k, v in tensors.items()}
        if found != expected:
            differing = sorted(
                k for k in set(found) | set(expected) if found.get(k) != expected.get(k)
            )
            raise ArtifactError(
                f"{path} does not fit its config (tensors differing in name or shape: "
                f"{', '.join(differing)})",
                field="model",
            )
        net = build_network(n_features, **architecture)
        net.load_state_dict(
            {k.removeprefix(_NET): v for k, v in tensors.items() if k.startswith(_NET)}
        )
        model = cls(task, dict(architecture), seed=0, device="cpu", n_threads=n_threads)
        model._net = net.eval()
        model._scaler = {name: tensors[name].numpy().astype(np.float64) for name in _SCALER}
        return model

    def _fitted(self) -> nn.Sequential:
        if self._net is None:
            raise RuntimeError("the MLP is not fitted; call fit or load it")
        return self._net


def _fit_scaler(features: F64, target: np.ndarray, task: str) -> dict[str, F64]:
    """Mean and std of each column (std 1 where a column is constant); of y for regression."""
    x_std = features.std(axis=0)
    y_mean, y_std = (0.0, 1.0) if task == CLASSIFICATION else (target.mean(), target.std())
    return {
        "scaler.x_mean": features.mean(axis=0),
        "scaler.x_std": np.where(x_std > 0, x_std, 1.0),
        "scaler.y_mean": np.array([y_mean], dtype=np.float64),
        "scaler.y_std": np.array([y_std if y_std > 0 else 1.0], dtype=np.float64),
    }


def _checked_architecture(config: dict[str, Any], directory: Path) -> dict[str, Any]:
    """The layer sizes from the config, within the declared ranges."""
    missing = [name for name in ARCHITECTURE if name not in config]
    if missing:
        raise ArtifactError(f"{directory} config lacks {', '.join(missing)}", field="model")
    try:
        checked = MLP.validate({name: config[name] for name in ARCHITECTURE})
    except ValidationError as exc:
        raise ArtifactError(f"{directory} config: {exc.detail}", field="model") from None
    return {name: checked[name] for name in ARCHITECTURE}
