"""The artifact store's safety rules: atomic writes, checksums, and verify-before-load.

A model directory holds the model's own files plus metadata.json, which records the checksum
and the files' names. The checksum covers the files and the metadata fields that decide what
the model does once loaded (BOUND_KEYS: its features, target, decision rule, training data),
but not the ones that change from run to run (when it was trained, how long it took), so the
same training gives the same checksum. The registry (the database) keeps the same checksum; a
model is loaded only when the files, metadata.json and the registry all agree.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Mapping, Sequence
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
    "artifact_dir",
    "files_checksum",
    "load_verified",
    "short_checksum",
    "verify_artifact",
    "write_artifact",
]
METADATA_FILE = "metadata.json"
TMP_PREFIX = ".tmp-"
BOUND_KEYS = ("algorithm", "task", "features", "feature_spec", "target", "decision", "data")
"""metadata.json fields the checksum covers: a change to any of them changes what the model does."""
_CHUNK = 1 << 20


def files_checksum(
    directory: Path, names: Sequence[str], bound: Mapping[str, Any] | None = None
) -> str:
    """ "sha256:<hex>" over each file's name and bytes, length-prefixed, in sorted name order,
    then over the canonical JSON of `bound` (the BOUND_KEYS of the metadata) when given.

    Length prefixes keep (name, bytes) boundaries unambiguous; metadata.json itself is left out
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
    if bound is not None:
        canonical = json.dumps(bound, sort_keys=True, separators=(",", ":"), allow_nan=False)
        digest.update(b"metadata\0" + canonical.encode())
    return f"sha256:{digest.hexdigest()}"


def bound_fields(metadata: Mapping[str, Any]) -> dict[str, Any]:
    """The part of a model's metadata its checksum covers."""
    return {key: metadata.get(key) for key in BOUND_KEYS}


def artifact_dir(store: Path, relative_dir: str) -> Path:
    """A model's folder in `store`, resolved; Conflict when it would lie outside (or be) the store."""
    root = store.resolve()
    path = (root / relative_dir).resolve()
    if path == root or not path.is_relative_to(root):
        raise Conflict(
            f"artifact folder {relative_dir!r} is not inside the artifact store {root}; "
            "refusing to read, write or remove it",
            field="artifact_dir",
            code="artifact_outside_store",
        )
    return path


def write_artifact(
    store: Path, relative_dir: str, model: Model, metadata: dict[str, Any]
) -> tuple[Path, str]:
    """Save `model` and its metadata.json to store/relative_dir atomically; (path, checksum).

    Everything is written to a hidden temporary directory in the store and renamed into place
    at the end, so a reader never sees a half-written model and a failure leaves nothing.
    """
    target = artifact_dir(store, str(_safe_relative_dir(relative_dir)))
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
        body = _metadata_body(metadata, model, names)
        checksum = files_checksum(tmp, names, bound_fields(body))
        body["checksum"] = checksum
        (tmp / METADATA_FILE).write_text(_json(body))
        for name in [*names, METADATA_FILE]:
            _fsync(tmp / name)
        _fsync(tmp)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.rename(tmp, target)  # refuses a non-empty target: never a mix of two models
        except OSError as exc:
            if exc.errno not in (errno.EEXIST, errno.ENOTEMPTY):
                raise
            raise Conflict(
                f"{target} appeared while the model was written", field="relative_dir"
            ) from None
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
        actual = files_checksum(directory, names, bound_fields(metadata))
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


def _metadata_body(metadata: dict[str, Any], model: Model, names: list[str]) -> dict[str, Any]:
    for key in ("algorithm", "task"):
        given = metadata.get(key, getattr(model, key))
        if given != getattr(model, key):
            raise ValidationError(
                f"metadata says {key} {given!r} but the model is {getattr(model, key)!r}",
                field=f"metadata.{key}",
            )
    body = {**metadata, "algorithm": model.algorithm, "task": model.task, "files": names}
    _json(body)  # refuse what is not plain JSON before anything is hashed
    return body


def _json(body: dict[str, Any]) -> str:
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
