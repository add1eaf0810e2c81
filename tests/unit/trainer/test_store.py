"""The artifact store on disk: paths stay inside it, archives are reproducible, removal is whole."""

from __future__ import annotations

import io
import os
import time
import zipfile
from pathlib import Path

import pytest

from shared.config import Settings
from shared.errors import Conflict
from shared.storage.tables import ModelRow
from trainer.store import artifact_path, pack_archive, remove_artifact, sweep_leftovers

FILES = {"metadata.json": b"{}", "model.bin": b"\x01\x02", "a/b/weights.pt": b"w" * 1000}


def _write(folder: Path, names: list[str], mtime: int) -> None:
    for name in names:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(FILES[name])
        os.utime(path, (mtime, mtime))


def test_the_same_files_pack_to_the_same_bytes_whatever_their_order_and_times(
    tmp_path: Path,
) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    _write(first, list(FILES), mtime=1_000_000)
    _write(second, list(reversed(FILES)), mtime=1_700_000_000)
    packed = pack_archive(first)
    assert packed == pack_archive(second)
    with zipfile.ZipFile(io.BytesIO(packed)) as archive:
        assert archive.namelist() == sorted(FILES)
        assert {n: archive.read(n) for n in archive.namelist()} == FILES


def test_links_are_left_out_of_the_archive(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("not part of any model")
    folder = tmp_path / "model"
    _write(folder, ["metadata.json"], mtime=0)
    (folder / "leak.txt").symlink_to(secret)
    (folder / "leak_dir").symlink_to(tmp_path, target_is_directory=True)
    with zipfile.ZipFile(io.BytesIO(pack_archive(folder))) as archive:
        assert archive.namelist() == ["metadata.json"]


def test_remove_leaves_neither_the_folder_nor_a_tombstone(tmp_path: Path) -> None:
    folder = tmp_path / "alpha" / "v1"
    _write(folder, list(FILES), mtime=0)
    remove_artifact(folder)
    assert list((tmp_path / "alpha").iterdir()) == []
    remove_artifact(folder)  # already gone: nothing to do


@pytest.mark.parametrize("artifact_dir", ["../x", "/etc", "", ".", "alpha/../../x"])
def test_a_path_outside_the_store_is_refused(tmp_path: Path, artifact_dir: str) -> None:
    settings = Settings(var_dir=tmp_path)
    with pytest.raises(Conflict) as refused:
        artifact_path(settings, ModelRow(id="m1", artifact_dir=artifact_dir))
    assert refused.value.code == "artifact_outside_store"


def test_a_path_inside_the_store_resolves_under_it(tmp_path: Path) -> None:
    settings = Settings(var_dir=tmp_path)
    path = artifact_path(settings, ModelRow(id="m1", artifact_dir="alpha/v2"))
    assert path == (tmp_path / "artifacts" / "alpha" / "v2").resolve()


def test_leftovers_of_killed_processes_are_swept_once_old(tmp_path: Path) -> None:
    store = tmp_path / "artifacts"
    old_tmp, new_tmp = store / ".tmp-old", store / ".tmp-new"
    tombstone, model = store / "m" / ".deleting-v1-abcd", store / "m" / "v2"
    for folder in (old_tmp, new_tmp, tombstone, model):
        folder.mkdir(parents=True)
        (folder / "f").write_bytes(b"x")
    hour_ago = time.time() - 7200
    for folder in (old_tmp, tombstone, model):
        os.utime(folder, (hour_ago, hour_ago))
    removed = sweep_leftovers(store)
    assert sorted(removed) == sorted([old_tmp, tombstone])
    assert new_tmp.exists()  # may be a training writing right now
    assert model.exists()  # a model is never a leftover, however old
