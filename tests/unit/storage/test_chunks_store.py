"""Chunk results: the first stored wins, also when two runs of one chunk finish together."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from shared.storage import chunks
from shared.storage.db import Database


def test_two_runs_of_a_chunk_finishing_together_keep_the_first(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    chunks.save(database, "owner-1", 0, {"rows": ["first"]}, "worker-a")
    # The second run looked before the first committed: make its look miss, as in the race.
    monkeypatch.setattr(Session, "get", lambda self, *a, **k: None)
    chunks.save(database, "owner-1", 0, {"rows": ["second"]}, "worker-b")
    monkeypatch.undo()
    assert chunks.all_results(database, "owner-1", 1) == [{"rows": ["first"]}]
