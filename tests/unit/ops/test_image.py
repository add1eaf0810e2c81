"""The Dockerfile's build context: every file it copies exists and is not excluded by .dockerignore,
and the image gets the dashboard built in its own stage (no Docker engine here to build it)."""

from __future__ import annotations

import fnmatch
import re
import shutil
import subprocess
from pathlib import Path, PurePosixPath

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _ignore_patterns() -> list[str]:
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _ignored(path: str, patterns: list[str]) -> bool:
    parts = PurePosixPath(path).parts
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]  # a folder hides its contents
    for pattern in patterns:
        if pattern.startswith("**/"):
            if any(fnmatch.fnmatch(part, pattern[3:]) for part in parts):
                return True
        elif any(fnmatch.fnmatch(prefix, pattern) for prefix in prefixes):
            return True
    return False


def _copies_from_context() -> list[str]:
    """Sources of each COPY that reads the build context (not another stage)."""
    sources = []
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        words = line.split()
        if not words or words[0] != "COPY" or any(w.startswith("--from=") for w in words):
            continue
        sources += [w.rstrip("/") for w in words[1:-1] if not w.startswith("--")]
    return sources


def test_every_copied_path_is_in_the_build_context() -> None:
    patterns = _ignore_patterns()
    sources = _copies_from_context()
    assert "dashboard/package-lock.json" in sources  # the app is built from the locked versions
    for source in sources:
        assert (ROOT / source).exists(), f"COPY {source}: no such path"
        assert not _ignored(source, patterns), f"COPY {source} is excluded by .dockerignore"


def test_the_image_serves_the_dashboard_built_in_its_own_stage() -> None:
    text = (ROOT / "Dockerfile").read_text()
    stages = re.findall(r"^FROM (\S+)(?: AS (\S+))?", text, flags=re.MULTILINE)
    assert stages[0][1] == "dashboard" and stages[0][0].startswith("node:")
    assert "RUN npm ci" in text and "RUN npm run build" in text
    assert "COPY --from=dashboard /dashboard/dist ./dashboard/dist" in text
    # A stale local build or node_modules must not reach the build stage.
    assert _ignored("dashboard/dist/index.html", _ignore_patterns())
    assert _ignored("dashboard/node_modules/react/index.js", _ignore_patterns())


def _has_compose() -> bool:
    if shutil.which("docker") is None:
        return False
    return subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0


@pytest.mark.skipif(not _has_compose(), reason="no docker compose plugin")
def test_compose_files_are_valid() -> None:
    for files in (["docker-compose.yml"], ["docker-compose.yml", "docker-compose.gpu.yml"]):
        args = [arg for name in files for arg in ("-f", name)]
        run = subprocess.run(
            ["docker", "compose", *args, "config", "--quiet"],
            cwd=ROOT, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert run.returncode == 0, run.stderr
