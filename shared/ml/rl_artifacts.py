"""RL policies in the artifact store: the same atomic write, checksum and verify-before-load as
supervised models (shared.ml.artifacts), with policy.safetensors and policy_config.json as the
model's files and metadata.json beside them."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from shared.ml.artifact_errors import ArtifactError
from shared.ml.artifacts import verify_artifact, write_artifact
from shared.ml.protocol import Model
from shared.ml.rl_algorithms import REINFORCEMENT, RL_ALGORITHMS
from shared.ml.rl_policy import SavedPolicy, load_policy


def write_policy_artifact(
    store: Path, relative_dir: str, policy: SavedPolicy, metadata: dict[str, Any]
) -> tuple[Path, str]:
    """Save `policy` and its metadata.json to store/relative_dir atomically; (path, checksum)."""
    # write_artifact reads only a model's save(), algorithm and task, which a SavedPolicy has;
    # it cannot fit or predict_output, so it is not a Model in full.
    return write_artifact(store, relative_dir, cast(Model, policy), metadata)


def load_policy_verified(
    directory: Path, expected_checksum: str, *, n_threads: int = 1
) -> tuple[SavedPolicy, dict[str, Any]]:
    """The policy in `directory` and its metadata, loaded only once its checksum matches."""
    metadata = verify_artifact(directory, expected_checksum)
    if metadata["algorithm"] not in RL_ALGORITHMS or metadata["task"] != REINFORCEMENT:
        raise ArtifactError(
            f"{directory} holds a {metadata['algorithm']} {metadata['task']} model, "
            "not an RL policy; load it with shared.ml.artifacts.load_verified",
            field="model",
        )
    policy = load_policy(directory, n_threads=n_threads)
    if policy.algorithm != metadata["algorithm"]:
        raise ArtifactError(
            f"{directory}: metadata.json says {metadata['algorithm']} but the policy config "
            f"says {policy.algorithm}",
            field="model",
        )
    return policy, metadata
