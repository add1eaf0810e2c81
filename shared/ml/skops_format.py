"""scikit-learn models as skops files: byte-reproducible, and loaded only from an explicit list.

skops names its array files and memo ids after `id()` of the objects and stamps zip entries with
the current time, so two dumps of one model differ. `dumps_reproducible` renumbers both in
order of first appearance and re-packs the zip with a fixed date and sorted names, so the same
model always gives the same bytes and the artifact checksum is reproducible.

`loads_trusted` reads every type named in the file and refuses any outside TRUSTED_TYPES before
skops builds a single object. The list is ours, not skops's default: skops trusts every
scikit-learn estimator, while we load only what these algorithms produce.
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import skops.io as sio

from shared.ml.artifact_errors import ArtifactError
from shared.ml.zips import reproducible_zip

SCHEMA = "schema.json"

# Every type the fitted logistic-regression pipeline, random forests and histogram gradient
# boosting models contain (collected from their skops schemas). Extend deliberately.
TRUSTED_TYPES: frozenset[str] = frozenset(
    {
        "builtins.dict",
        "builtins.list",
        "builtins.str",
        "builtins.tuple",
        "numpy.float64",
        "numpy.int64",
        "numpy.ndarray",
        "numpy.uint64",
        "numpy.random._generator.Generator",
        "sklearn._loss._loss.CyHalfBinomialLoss",
        "sklearn._loss._loss.CyHalfSquaredError",
        "sklearn._loss.link.IdentityLink",
        "sklearn._loss.link.Interval",
        "sklearn._loss.link.LogitLink",
        "sklearn._loss.loss.HalfBinomialLoss",
        "sklearn._loss.loss.HalfSquaredError",
        "sklearn.ensemble._forest.RandomForestClassifier",
        "sklearn.ensemble._forest.RandomForestRegressor",
        "sklearn.ensemble._hist_gradient_boosting.binning._BinMapper",
        "sklearn.ensemble._hist_gradient_boosting.gradient_boosting.HistGradientBoostingClassifier",
        "sklearn.ensemble._hist_gradient_boosting.gradient_boosting.HistGradientBoostingRegressor",
        "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
        "sklearn.linear_model._logistic.LogisticRegression",
        "sklearn.pipeline.Pipeline",
        "sklearn.preprocessing._data.StandardScaler",
        "sklearn.preprocessing._label.LabelEncoder",
        "sklearn.tree._classes.DecisionTreeClassifier",
        "sklearn.tree._classes.DecisionTreeRegressor",
        "sklearn.tree._tree.Tree",
    }
)


def dumps_reproducible(obj: Any) -> bytes:
    """skops bytes of `obj` that depend only on the object's contents."""
    with zipfile.ZipFile(io.BytesIO(sio.dumps(obj))) as raw:
        entries = {name: raw.read(name) for name in raw.namelist()}
    schema = json.loads(entries.pop(SCHEMA))
    renamed: dict[str, str] = {}
    _renumber(schema, ids={}, files=renamed)
    out = {renamed[name]: data for name, data in entries.items()}
    out[SCHEMA] = json.dumps(schema, separators=(",", ":")).encode()
    return reproducible_zip(out)


def _renumber(node: Any, ids: dict[Any, int], files: dict[str, str]) -> None:
    """Replace id()-based memo ids and array file names, in place, by first-appearance order.

    The mapping is one-to-one, so objects shared in the original stay shared when loaded.
    """
    if isinstance(node, list):
        for item in node:
            _renumber(item, ids, files)
        return
    if not isinstance(node, dict):
        return
    if "__id__" in node:
        node["__id__"] = ids.setdefault(node["__id__"], len(ids))
    if isinstance(node.get("file"), str):
        node["file"] = files.setdefault(node["file"], f"{len(files):06d}.npy")
    for value in node.values():
        _renumber(value, ids, files)


def loads_trusted(data: bytes, source: str) -> Any:
    """The object in skops `data`, refused unless every type in it is in TRUSTED_TYPES."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            schema = json.loads(archive.read(SCHEMA))
        named: set[str] = set()
        _collect_types(schema, named)
        reported = set(sio.get_untrusted_types(data=data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ArtifactError(
            f"{source} is not a readable skops file: {exc}", field="model"
        ) from None
    untrusted = sorted((named | reported) - TRUSTED_TYPES)
    if untrusted:
        raise ArtifactError(
            f"{source} contains types that are not on the trusted list: {', '.join(untrusted)}; "
            "it was not written by this platform's trainer and will not be loaded",
            field="model",
        )
    try:
        return sio.loads(data, trusted=sorted(reported))
    except Exception as exc:  # skops raises many kinds on a malformed file
        raise ArtifactError(f"{source} could not be loaded: {exc}", field="model") from exc


def _collect_types(node: Any, out: set[str]) -> None:
    if isinstance(node, list):
        for item in node:
            _collect_types(item, out)
    elif isinstance(node, dict):
        if "__class__" in node or "__module__" in node:
            out.add(f"{node.get('__module__')}.{node.get('__class__')}")
        for value in node.values():
            _collect_types(value, out)
