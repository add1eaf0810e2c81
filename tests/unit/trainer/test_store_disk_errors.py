"""A full or read-only artifact store fails the save with a reason, leaves nothing, and a later
save succeeds once space is back. A real small filesystem (tmpfs): root ignores permissions."""

from __future__ import annotations

import errno
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from shared.errors import Unavailable
from shared.ml.artifacts import verify_artifact
from shared.ml.estimators import build_model
from trainer.store import write_model


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "artifacts"
    folder.mkdir()
    mount = ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(folder)]
    if os.geteuid() != 0 or subprocess.run(mount, capture_output=True).returncode != 0:
        if os.environ.get("CI"):
            pytest.fail("CI runs as root and must be able to mount a tmpfs")
        pytest.skip("needs root to mount a small tmpfs")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def _model():  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 4))
    model = build_model("random_forest", "classification", {"n_estimators": 5}, seed=0, n_threads=1)
    model.fit(X, (X[:, 0] > 0).astype(np.int64))
    return model


def _fill(folder: Path) -> Path:
    filler = folder / "filler.bin"
    with filler.open("wb") as out:
        try:
            while True:
                out.write(b"\0" * 65536)
                out.flush()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    return filler


def test_a_full_store_fails_with_the_reason_and_leaves_nothing(small_disk: Path) -> None:
    model = _model()
    filler = _fill(small_disk)
    with pytest.raises(Unavailable) as caught:
        write_model(small_disk, "m/v1", model, {})
    detail = caught.value.detail
    assert f"the artifact store {small_disk} cannot be written (No space left on device)" in detail
    assert "no version was registered" in detail and "ARTIFACT_DIR" in detail
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler.bin"]  # no half-written model
    filler.unlink()
    directory, checksum = write_model(small_disk, "m/v1", model, {})
    assert verify_artifact(directory, checksum)["checksum"] == checksum


def test_a_read_only_store_fails_with_the_reason(small_disk: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    with pytest.raises(Unavailable, match=r"cannot be written \(Read-only file system\)"):
        write_model(small_disk, "m/v1", _model(), {})
    subprocess.run(["mount", "-o", "remount,rw", str(small_disk)], check=True)
    assert list(small_disk.iterdir()) == []
    write_model(small_disk, "m/v1", _model(), {})
