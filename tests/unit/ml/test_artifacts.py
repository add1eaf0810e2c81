"""The artifact store: round trips, checksums, tampering, atomic writes, the skops trust list."""

from __future__ import annotations

import hashlib
import io
import json
import pickle
import zipfile
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import pytest
import skops.io as sio
import torch
from sklearn.ensemble import ExtraTreesClassifier

import shared.ml.artifacts as artifacts
from shared.errors import Conflict, ValidationError
from shared.ml.algorithms import ALGORITHMS, SUPERVISED_TASKS
from shared.ml.artifacts import (
    ArtifactError,
    ChecksumMismatch,
    bound_fields,
    files_checksum,
    load_verified,
    verify_artifact,
    write_artifact,
)
from shared.ml.estimators import build_model, load_model
from shared.ml.skops_format import TRUSTED_TYPES, dumps_reproducible

TINY: dict[str, dict[str, Any]] = {
    "logistic_regression": {"max_iter": 50},
    "random_forest": {"n_estimators": 5, "max_depth": 3},
    "hist_gradient_boosting": {"n_estimators": 5, "max_depth": 3},
    "xgboost": {"n_estimators": 5, "max_depth": 3},
    "mlp": {"hidden_units": 8, "epochs": 2, "batch_size": 64},
}
CASES = [(a.name, t) for a in ALGORITHMS.values() for t in a.tasks if t in SUPERVISED_TASKS]


def make_data(task: str) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 5))
    signal = X[:, 0] + 0.5 * rng.normal(size=200)
    return X, (signal > 0).astype(np.int64) if task == "classification" else 0.01 * signal


def trained(algorithm: str = "random_forest", task: str = "classification", seed: int = 0):  # type: ignore[no-untyped-def]
    X, y = make_data(task)
    model = build_model(algorithm, task, TINY[algorithm], seed=seed, n_threads=1)
    model.fit(X, y)
    return model, X


@pytest.fixture
def stored(tmp_path: Path) -> tuple[Path, str]:
    model, _ = trained()
    return write_artifact(tmp_path / "store", "rf-1", model, {"model_name": "rf"})


@pytest.mark.parametrize(("algorithm", "task"), CASES)
def test_every_model_survives_save_and_verified_load_bit_for_bit(
    algorithm: str, task: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model, X = trained(algorithm, task)
    path, checksum = write_artifact(tmp_path, f"m/{algorithm}", model, {"model_name": "demo"})
    for unsafe in (pickle, joblib, torch):  # nothing may be unpickled on the way back
        monkeypatch.setattr(unsafe, "load", lambda *a, **k: pytest.fail("unsafe load"))
    monkeypatch.setattr(pickle, "loads", lambda *a, **k: pytest.fail("unsafe load"))
    loaded, metadata = load_verified(path, checksum)
    assert np.array_equal(loaded.predict_output(X), model.predict_output(X))
    assert (loaded.algorithm, loaded.task, loaded.framework) == (algorithm, task, model.framework)
    assert metadata["checksum"] == checksum and metadata["model_name"] == "demo"
    assert sorted(metadata["files"]) == sorted(
        p.name for p in path.iterdir() if p.name != "metadata.json"
    )


def test_files_checksum_hashes_names_and_bytes_length_prefixed_in_name_order(
    tmp_path: Path,
) -> None:
    (tmp_path / "b.bin").write_bytes(b"\x00\x01")
    (tmp_path / "a.json").write_bytes(b"{}")
    (tmp_path / "metadata.json").write_bytes(b"ignored")
    digest = hashlib.sha256()
    for name, data in ((b"a.json", b"{}"), (b"b.bin", b"\x00\x01")):
        digest.update(len(name).to_bytes(8, "big") + name + len(data).to_bytes(8, "big") + data)
    expected = "sha256:" + digest.hexdigest()
    assert files_checksum(tmp_path, ["b.bin", "a.json"]) == expected
    assert files_checksum(tmp_path, ["a.json", "b.bin", "metadata.json"]) == expected
    (tmp_path / "b.bin").rename(tmp_path / "c.bin")  # same bytes, another name
    assert files_checksum(tmp_path, ["a.json", "c.bin"]) != expected


def test_one_changed_byte_is_refused_before_loading(
    stored: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, checksum = stored
    data = bytearray((path / "model.skops").read_bytes())
    data[len(data) // 2] ^= 0x01
    (path / "model.skops").write_bytes(bytes(data))
    monkeypatch.setattr(artifacts, "load_model", lambda *a, **k: pytest.fail("loaded anyway"))
    with pytest.raises(ChecksumMismatch) as caught:
        load_verified(path, checksum)
    detail = caught.value.detail
    assert str(path) in detail and "will not be used" in detail
    assert checksum[:19] in detail and checksum[:20] not in detail  # "sha256:" + 12 hex digits
    assert caught.value.status_code == 422 and caught.value.code == "checksum_mismatch"


def test_a_rewritten_metadata_checksum_does_not_fool_the_registry(stored: tuple[Path, str]) -> None:
    path, checksum = stored
    meta = json.loads((path / "metadata.json").read_text())
    meta["checksum"] = "sha256:" + "0" * 64
    (path / "metadata.json").write_text(json.dumps(meta))
    with pytest.raises(ChecksumMismatch, match=r"metadata\.json checksum"):
        verify_artifact(path, checksum)
    with pytest.raises(ChecksumMismatch):  # nor does agreeing with the rewritten metadata
        verify_artifact(path, meta["checksum"])


def test_files_the_metadata_does_not_cover_are_refused(stored: tuple[Path, str]) -> None:
    path, checksum = stored
    (path / "extra.npy").write_bytes(b"x")
    with pytest.raises(ArtifactError, match=r"extra\.npy"):
        verify_artifact(path, checksum)
    (path / "extra.npy").unlink()
    (path / "model_config.json").unlink()
    with pytest.raises(ArtifactError, match="lists"):
        verify_artifact(path, checksum)


@pytest.mark.parametrize("name", ["../outside.json", "/etc/passwd", ".hidden", "a/b"])
def test_metadata_naming_files_outside_the_directory_is_refused(
    stored: tuple[Path, str], name: str
) -> None:
    path, checksum = stored
    meta = json.loads((path / "metadata.json").read_text())
    meta["files"].append(name)
    (path / "metadata.json").write_text(json.dumps(meta))
    with pytest.raises(ArtifactError, match="unsafe model file name"):
        verify_artifact(path, checksum)


def test_missing_metadata_is_refused(stored: tuple[Path, str]) -> None:
    path, checksum = stored
    (path / "metadata.json").unlink()
    with pytest.raises(ArtifactError, match=r"metadata\.json"):
        load_verified(path, checksum)


class _SaveFails:
    algorithm, task, framework, device_used = "xgboost", "regression", "xgboost", "cpu"

    def save(self, directory: Path) -> list[str]:
        (directory / "model.ubj").write_bytes(b"half")
        raise OSError("disk full")


def test_a_failed_write_leaves_nothing_behind(tmp_path: Path) -> None:
    with pytest.raises(OSError, match="disk full"):
        write_artifact(tmp_path, "runs/m1", _SaveFails(), {})  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


def test_metadata_that_is_not_json_fails_cleanly(tmp_path: Path) -> None:
    model, _ = trained()
    with pytest.raises(ValidationError) as caught:
        write_artifact(tmp_path, "m1", model, {"trained_on": object()})
    assert caught.value.field == "metadata"
    assert list(tmp_path.iterdir()) == []


def test_metadata_cannot_disagree_with_the_model(tmp_path: Path) -> None:
    model, _ = trained()
    with pytest.raises(ValidationError, match="algorithm 'xgboost'"):
        write_artifact(tmp_path, "m1", model, {"algorithm": "xgboost"})
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("bad", ["../x", "a/../../x", "/tmp/x", "", ".tmp-x", "a\\..\\x", "."])
def test_unsafe_target_directories_are_refused(tmp_path: Path, bad: str) -> None:
    model, _ = trained()
    with pytest.raises(ValidationError) as caught:
        write_artifact(tmp_path / "store", bad, model, {})
    assert caught.value.field == "relative_dir"
    assert not (tmp_path / "store").exists() and not (tmp_path / "x").exists()


def test_an_existing_model_is_never_overwritten(stored: tuple[Path, str]) -> None:
    path, checksum = stored
    model, _ = trained(seed=1)
    with pytest.raises(Conflict):
        write_artifact(path.parent, path.name, model, {})
    verify_artifact(path, checksum)  # the first model is intact
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


def test_nested_target_and_metadata_contents(tmp_path: Path) -> None:
    model, _ = trained("xgboost", "regression")
    path, checksum = write_artifact(tmp_path, "2024/xgb/v1", model, {"seed": 3})
    assert path == tmp_path / "2024" / "xgb" / "v1"
    meta = json.loads((path / "metadata.json").read_text())
    assert meta == {
        "seed": 3, "algorithm": "xgboost", "task": "regression", "checksum": checksum,
        "files": ["model.ubj", "model_config.json"],
    }  # fmt: skip
    assert checksum == files_checksum(path, meta["files"], bound_fields(meta))
    assert checksum != files_checksum(path, meta["files"])  # the bound fields count


@pytest.mark.parametrize("field", ["feature_spec", "decision", "task"])
def test_changing_what_the_model_does_in_its_metadata_is_refused(
    tmp_path: Path, field: str
) -> None:
    model, _ = trained("xgboost", "classification")
    behaviour = {"feature_spec": {"features": [{"kind": "rsi", "params": {"period": 14}}]},
                 "decision": {"long_above": 0.6}}  # fmt: skip
    path, checksum = write_artifact(tmp_path, "m/v1", model, {**behaviour, "seed": 1})
    meta_path = path / "metadata.json"
    meta = json.loads(meta_path.read_text())
    meta["seed"] = 2  # not bound: still the same model
    meta_path.write_text(json.dumps(meta))
    verify_artifact(path, checksum)
    meta[field] = "regression" if field == "task" else {"tampered": True}
    meta_path.write_text(json.dumps(meta))
    with pytest.raises(ChecksumMismatch):
        verify_artifact(path, checksum)


class Wrapper:
    """A class no trainer writes: a skops file holding it must not load."""

    def __init__(self, inner: object) -> None:
        self.inner = inner


def _replace_skops(path: Path, obj: object) -> None:
    (path / "model.skops").write_bytes(sio.dumps(obj))


def test_skops_file_with_a_foreign_class_is_refused(stored: tuple[Path, str]) -> None:
    path, _ = stored
    model, _ = trained()
    _replace_skops(path, Wrapper(model._estimator))  # type: ignore[attr-defined]
    with pytest.raises(ArtifactError, match=r"not on the trusted list: .*Wrapper"):
        load_model(path, "random_forest", "classification")
    # Even with a registry checksum that matches the planted file, the trust list holds.
    meta = json.loads((path / "metadata.json").read_text())
    meta["checksum"] = files_checksum(path, meta["files"], bound_fields(meta))
    (path / "metadata.json").write_text(json.dumps(meta))
    with pytest.raises(ArtifactError, match="Wrapper"):
        load_verified(path, meta["checksum"])


def test_skops_file_with_an_estimator_outside_our_list_is_refused(stored: tuple[Path, str]) -> None:
    # skops trusts every scikit-learn estimator by default, and the Tree it reports is on our
    # list too: only our own reading of every named type keeps ExtraTrees out.
    X, y = make_data("classification")
    extra_trees = ExtraTreesClassifier(n_estimators=2, random_state=0).fit(X, y)
    assert set(sio.get_untrusted_types(data=sio.dumps(extra_trees))) <= TRUSTED_TYPES
    path, _ = stored
    _replace_skops(path, extra_trees)
    with pytest.raises(ArtifactError, match=r"sklearn\.ensemble\._forest\.ExtraTreesClassifier"):
        load_model(path, "random_forest", "classification")


def test_a_trusted_model_of_the_wrong_kind_is_refused(stored: tuple[Path, str]) -> None:
    path, _ = stored
    regressor, _ = trained("random_forest", "regression")
    _replace_skops(path, regressor._estimator)  # type: ignore[attr-defined]
    with pytest.raises(ArtifactError, match="RandomForestRegressor, not a random_forest"):
        load_model(path, "random_forest", "classification")


def test_skops_bytes_do_not_depend_on_object_ids_or_the_clock() -> None:
    first, _ = trained("hist_gradient_boosting", "regression")
    second, _ = trained("hist_gradient_boosting", "regression")
    data = dumps_reproducible(first._estimator)  # type: ignore[attr-defined]
    assert data == dumps_reproducible(second._estimator)  # type: ignore[attr-defined]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}


def test_a_truncated_model_file_is_an_artifact_error(tmp_path: Path) -> None:
    for algorithm, name in (("random_forest", "model.skops"), ("xgboost", "model.ubj")):
        model, _ = trained(algorithm)
        (tmp_path / algorithm).mkdir()
        model.save(tmp_path / algorithm)
        path = tmp_path / algorithm / name
        path.write_bytes(path.read_bytes()[:40])
        with pytest.raises(ArtifactError):
            load_model(tmp_path / algorithm, algorithm, "classification")
