"""The README's Python example runs as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_python_examples_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)
    assert blocks, "the README should show the engine from Python"
    monkeypatch.chdir(tmp_path)
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})
    printed = capsys.readouterr().out.split()
    portfolio_end, sharpe, trades = float(printed[0]), float(printed[1]), int(printed[2])
    assert portfolio_end > 0 and trades > 0 and -5 < sharpe < 5


@pytest.mark.parametrize("doc", sorted((README.parent / "docs").glob("*.md")), ids=lambda p: p.name)
def test_docs_python_examples_run(
    doc: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for block in re.findall(r"```python\n(.*?)```", doc.read_text(), flags=re.S):
        exec(compile(block, doc.name, "exec"), {})
