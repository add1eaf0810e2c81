"""Errors of stored models: a file that is unsafe, malformed, or not the one that was trained.

Status 422: the request named a model that cannot be used as stored; the fix is to pick another
model or retrain this one. They are not ValidationErrors, because the request itself is well
formed and nothing in it needs correcting.
"""

from __future__ import annotations

from pathlib import Path

from shared.errors import AppError


class ArtifactError(AppError):
    """A model directory is unsafe, incomplete or malformed; it will not be loaded."""

    status_code = 422
    code = "artifact_invalid"


class ChecksumMismatch(ArtifactError):
    """A model's files are not the bytes that were recorded when it was trained."""

    code = "checksum_mismatch"

    def __init__(self, directory: Path, expected: str, actual: str, *, what: str = "files") -> None:
        super().__init__(
            f"model {what} in {directory} do not match the recorded checksum: expected "
            f"{short_checksum(expected)}, found {short_checksum(actual)}; the model will not be "
            "used (restore its original files or retrain it)",
            field="checksum",
        )
        self.directory = directory
        self.expected = expected
        self.actual = actual


def short_checksum(checksum: str) -> str:
    """'sha256:' and the first 12 hex digits: enough to tell two checksums apart in a message."""
    algorithm, _, digest = str(checksum).partition(":")
    return f"{algorithm}:{digest[:12]}" if digest else str(checksum)[:19]
