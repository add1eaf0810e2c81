"""dashboard/openapi.json (and the client types generated from it) match the API as built now:
change a route or schema without `make api-types` and this fails, naming the difference."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def _export_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "export_openapi", ROOT / "scripts" / "export_openapi.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_dashboards_openapi_snapshot_is_current() -> None:
    export = _export_script()
    built = export.build_document()
    stored = json.loads(export.SNAPSHOT.read_text(encoding="utf-8"))
    changed = sorted(
        path
        for path in set(built["paths"]) | set(stored["paths"])
        if built["paths"].get(path) != stored["paths"].get(path)
    )
    assert changed == [], f"paths changed since the snapshot: {changed}; run `make api-types`"
    assert built == stored, "components changed since the snapshot; run `make api-types`"
    assert export.render(built) == export.SNAPSHOT.read_text(encoding="utf-8")


def test_the_snapshot_covers_every_service() -> None:
    stored = json.loads((ROOT / "dashboard" / "openapi.json").read_text(encoding="utf-8"))
    for path in ("/api/v1/jobs", "/api/v1/simulations", "/api/v1/models", "/api/v1/auth/sign-in"):
        assert path in stored["paths"]
    assert "Unavailable now" not in stored["info"].get("description", "")
