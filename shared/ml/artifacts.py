"""The artifact store's safety rules: atomic writes, checksums, and verify-before-load.

A model directory holds the model's own files plus metadata.json, which records the checksum
of those files and their names. The registry (the database) keeps the same checksum; a model
is loaded only when the files, metadata.json and the registry all agree.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import Any

from shared.errors import Conflict, ValidationError
from shared.ml.artifact_errors import ArtifactError, ChecksumMismatch, short_checksum
from shared.ml.estimators import load_model
from shared.ml.protocol import Model

__all__ = [
    "METADATA_FILE",
    "ArtifactError",
    "ChecksumMismatch",
    "files_checksum",
    "load_verified",
    "short_checksum",
    "verify_artifact",
    "write_artifact",
]
METADATA_FILE = "metadata.json"
TMP_PREFIX = ".tmp-"
_CHUNK = 1 << 20


def files_checksum(directory: Path, names: Sequence[str]) -> str:
    """ "sha256:<hex>" over each file's name and bytes, length-prefixed, in sorted name order.

    Length prefixes keep (name, bytes) boundaries unambiguous; metadata.json is left out
    because it records this very checksum.
    """
    digest = hashlib.sha256()
    for name in sorted(set(names) - {METADATA_FILE}):
        _check_name(name)
        encoded = name.encode()
        digest.update(len(encoded).to_bytes(8, "big") + encoded)
        with open(directory / name, "rb") as handle:
            digest.update(os.fstat(handle.fileno()).st_size.to_bytes(8, "big"))
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
    return f"sha256:{digest.hexdigest()}"


def write_artifact(
    store: Path, relative_dir: str, model: Model, metadata: dict[str, Any]
) -> tuple[Path, str]:
    """Save `model` and its metadata.json to store/relative_dir atomically; (path, checksum).

    Everything is written to a hidden temporary directory in the store and renamed into place
    at the end, so a reader never sees a half-written model and a failure leaves nothing.
    """
    target = store / _safe_relative_dir(relative_dir)
    if target.exists():
        raise Conflict(
            f"{target} already exists; a stored model is never overwritten, choose a new name",
            field="relative_dir",
        )
    store.mkdir(parents=True, exist_ok=True)
    tmp = store / f"{TMP_PREFIX}{uuid.uuid4().hex}"
    tmp.mkdir()
    try:
        names = sorted(model.save(tmp))
        if METADATA_FILE in names:
            raise ArtifactError(f"a model may not write its own {METADATA_FILE}", field="model")
        checksum = files_checksum(tmp, names)
        body = _metadata_body(metadata, model, checksum, names)
        (tmp / METADATA_FILE).write_text(body)
        for name in [*names, METADATA_FILE]:
            _fsync(tmp / name)
        _fsync(tmp)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():  # someone else took the name while we were writing
            raise Conflict(f"{target} appeared while the model was written", field="relative_dir")
        os.rename(tmp, target)
        _fsync(target.parent)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target, checksum


def verify_artifact(directory: Path, expected_checksum: str) -> dict[str, Any]:
    """metadata.json, after checking the files against it and against the registry's checksum."""
    metadata = _read_metadata(directory)
    names = metadata["files"]
    present = {p.name for p in directory.iterdir()} - {METADATA_FILE}
    if present != set(names):
        # Every file the loader could read must be covered by the checksum.
        raise ArtifactError(
            f"{directory} holds {sorted(present)} but its metadata.json lists {sorted(names)}; "
            "the model will not be used",
            field="model",
        )
    try:
        actual = files_checksum(directory, names)
    except OSError as exc:
        raise ArtifactError(f"cannot read the files of {directory}: {exc}", field="model") from None
    if actual != expected_checksum:
        raise ChecksumMismatch(directory, expected_checksum, actual)
    if metadata["checksum"] != expected_checksum:
        raise ChecksumMismatch(
            directory, expected_checksum, metadata["checksum"], what="metadata.json checksum"
        )
    return metadata


def load_verified(
    directory: Path, expected_checksum: str, *, n_threads: int | None = None
) -> tuple[Model, dict[str, Any]]:
    """The model in `directory` and its metadata, loaded only once its checksum matches."""
    metadata = verify_artifact(directory, expected_checksum)
    model = load_model(directory, metadata["algorithm"], metadata["task"], n_threads=n_threads)
    return model, metadata


def _metadata_body(metadata: dict[str, Any], model: Model, checksum: str, names: list[str]) -> str:
    for key in ("algorithm", "task"):
        given = metadata.get(key, getattr(model, key))
        if given != getattr(model, key):
            raise ValidationError(
                f"metadata says {key} {given!r} but the model is {getattr(model, key)!r}",
                field=f"metadata.{key}",
            )
    body = {
        **metadata,
        "algorithm": model.algorithm,
        "task": model.task,
        "checksum": checksum,
        "files": names,
    }
    try:
        return json.dumps(body, indent=2, allow_nan=False) + "\n"
    except (TypeError, ValueError) as exc:
        raise ValidationError(f"metadata is not plain JSON: {exc}", field="metadata") from None


def _read_metadata(directory: Path) -> dict[str, Any]:
    path = directory / METADATA_FILE
    try:
        metadata = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise ArtifactError(f"cannot read {path}: {exc}", field="model") from None
    files = metadata.get("files") if isinstance(metadata, dict) else None
    if (
        not isinstance(files, list)
        or not all(isinstance(name, str) for name in files)
        or not all(isinstance(metadata.get(k), str) for k in ("checksum", "algorithm", "task"))
    ):
        raise ArtifactError(
            f"{path} lacks a valid 'files' list or 'checksum', 'algorithm', 'task'",
            field="model",
        )
    for name in files:
        _check_name(name)
    return metadata


def _check_name(name: str) -> None:
    """A model file is a plain name inside its directory: no paths, no hidden files."""
    if not name or name != PurePosixPath(name).name or name.startswith(".") or "\\" in name:
        raise ArtifactError(f"unsafe model file name {name!r}", field="model")


def _safe_relative_dir(relative_dir: str) -> PurePosixPath:
    path = PurePosixPath(relative_dir) if isinstance(relative_dir, str) else None
    if (
        path is None
        or not relative_dir.strip()
        or path.is_absolute()
        or "\\" in relative_dir
        or any(part in ("..", ".") or part.startswith(".") for part in path.parts)
        or not path.parts
    ):
        raise ValidationError(
            f"artifact directory must be a relative path inside the store without '..' or "
            f"hidden parts, got {relative_dir!r}",
            field="relative_dir",
        )
    return path


def _fsync(path: Path) -> None:
    """Flush a file or directory to disk, so a crash after the rename finds complete files."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
