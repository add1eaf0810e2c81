"""The /api/v1/data routes: status codes, bodies and the error text users see."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from fastapi.testclient import TestClient

from shared.config import Settings
from simulator.main import create_app

GOOD = b"date,open,high,low,close,volume\n2021-03-01,10,12,9,11,100\n2021-03-02,11,13,10,12,200\n"


@pytest.fixture
def client(tmp_path: Path, redis_client: redis.Redis, redis_url: str) -> Iterator[TestClient]:
    before = set(redis_client.scan_iter(match="bars:*"))
    settings = Settings(
        var_dir=tmp_path / "var", data_dir=tmp_path, redis_url=redis_url.rsplit("/", 1)[0] + "/14",
        max_upload_bytes=2000, max_page_size=5,
    )  # fmt: skip
    with TestClient(create_app(settings)) as test_client:
        yield test_client
    created = set(redis_client.scan_iter(match="bars:*")) - before
    if created:
        redis_client.delete(*created)


def test_sources(client: TestClient) -> None:
    r = client.get("/api/v1/data/sources")
    assert r.status_code == 200
    body = r.json()
    assert body["total"] == 4
    assert [s["name"] for s in body["items"]] == ["builtin", "files", "synthetic", "yfinance"]
    assert body["items"][0]["intervals"] == ["1d", "1wk", "1mo"]
    assert body["items"][3]["offline"] is False


def test_symbols_are_paged_and_a_limit_above_the_cap_is_refused(client: TestClient) -> None:
    too_big = client.get("/api/v1/data/symbols", params={"source": "builtin", "limit": 6})
    assert too_big.status_code == 422
    assert too_big.json() == {
        "detail": "limit 6 is above the largest page size, 5 (MAX_PAGE_SIZE); fetch further "
        "pages with offset",
        "code": "invalid_input",
        "field": "limit",
    }
    r = client.get("/api/v1/data/symbols", params={"source": "builtin", "limit": 5, "offset": 2})
    assert r.status_code == 200
    body = r.json()
    assert (body["total"], body["limit"], body["offset"]) == (22, 5, 2)
    assert [s["symbol"] for s in body["items"]] == ["AAPL", "AMD", "BAC", "BBY", "CVX"]
    assert body["items"][0] == {
        "symbol": "AAPL", "name": "Apple adjusted close (skfolio)", "source": "builtin",
        "fields": ["close"], "first": "1990-01-02", "last": "2022-12-28", "close_only": True,
        "rows": 8313,
    }  # fmt: skip


def test_unknown_source_is_422_naming_the_field(client: TestClient) -> None:
    r = client.get("/api/v1/data/symbols", params={"source": "bloomberg"})
    assert r.status_code == 422
    assert r.json() == {
        "detail": "unknown source 'bloomberg'; choose one of: builtin, files, synthetic, yfinance",
        "code": "invalid_input",
        "field": "source",
    }


def test_bars_of_an_ohlcv_index(client: TestClient) -> None:
    params = {"source": "builtin", "symbol": "SP500", "start": "1999-01-01", "end": "1999-01-06"}
    r = client.get("/api/v1/data/bars", params=params)
    assert r.status_code == 200
    body = r.json()
    assert (body["source"], body["symbol"], body["interval"], body["total"]) == (
        "builtin",
        "SP500",
        "1d",
        3,
    )
    assert body["fields"] == ["open", "high", "low", "close", "volume"]
    assert body["close_only"] is False and body["warnings"] == []
    first = body["items"][0]
    assert first["timestamp"] == "1999-01-04T00:00:00Z"
    assert first["open"] == pytest.approx(1229.23, abs=0.01)
    assert first["volume"] == 877_000_000


def test_bars_of_a_close_only_stock_say_so(client: TestClient) -> None:
    params = {"source": "builtin", "symbol": "aapl", "start": "2022-12-27", "interval": "1d"}
    body = client.get("/api/v1/data/bars", params=params).json()
    assert body["symbol"] == "AAPL" and body["close_only"] is True and body["fields"] == ["close"]
    assert body["items"][0]["volume"] is None
    assert body["items"][0]["open"] == body["items"][0]["close"]


def test_bars_warn_about_zero_volume(client: TestClient) -> None:
    params = {"source": "builtin", "symbol": "NASDAQ", "start": "2015-05-11", "end": "2015-05-13"}
    body = client.get("/api/v1/data/bars", params=params).json()
    assert body["warnings"] == [
        "NASDAQ: 1 bar has zero volume (first at 2015-05-12); volume-based features are 0 there"
    ]


def test_synthetic_weekly_bars(client: TestClient) -> None:
    params = {"source": "synthetic", "symbol": "GBM-DEMO", "start": "2024-01-01",
              "end": "2024-03-31", "interval": "1wk"}  # fmt: skip
    body = client.get("/api/v1/data/bars", params=params).json()
    assert body["total"] == 13
    assert body["items"][0]["timestamp"] == "2024-01-01T00:00:00Z"


@pytest.mark.parametrize(
    ("params", "field", "part"),
    [
        ({"source": "builtin", "symbol": "SP500", "start": "2010-01-05", "end": "2010-01-01"}, "end",
         "end 2010-01-01 is before start 2010-01-05"),
        ({"source": "builtin", "symbol": "SP500", "interval": "5m"}, "interval", "not offered"),
        ({"source": "builtin", "symbol": "ZZZ"}, "symbols", "unknown symbol 'ZZZ'"),
        ({"source": "builtin", "symbol": "SP500", "start": "2001-09-12", "end": "2001-09-14"}, "end",
         "available from 1999-01-04 to 2018-12-31"),
    ],
)  # fmt: skip
def test_bad_bars_requests_are_422(
    client: TestClient, params: dict[str, str], field: str, part: str
) -> None:
    r = client.get("/api/v1/data/bars", params=params)
    assert r.status_code == 422
    assert r.json()["field"] == field and part in r.json()["detail"]


def test_upload_then_read_back(client: TestClient, tmp_path: Path) -> None:
    r = client.post("/api/v1/data/upload", files={"file": ("mine.csv", GOOD, "text/csv")})
    assert r.status_code == 201
    assert r.json() == {
        "symbol": "MINE", "source": "files", "rows": 2, "first": "2021-03-01", "last": "2021-03-02",
        "fields": ["open", "high", "low", "close", "volume"],
    }  # fmt: skip
    assert (tmp_path / "uploads" / "MINE.parquet").exists()
    body = client.get("/api/v1/data/bars", params={"source": "files", "symbol": "MINE"}).json()
    assert [b["close"] for b in body["items"]] == [11.0, 12.0]
    listed = client.get("/api/v1/data/symbols", params={"source": "files"}).json()
    assert [s["symbol"] for s in listed["items"]] == ["MINE"]


def test_upload_with_symbol_field(client: TestClient) -> None:
    r = client.post(
        "/api/v1/data/upload", files={"file": ("x.csv", GOOD, "text/csv")}, data={"symbol": "own-1"}
    )
    assert r.status_code == 201 and r.json()["symbol"] == "OWN-1"


def test_malformed_upload_is_422_and_writes_nothing(client: TestClient, tmp_path: Path) -> None:
    bad = GOOD.replace(b"13,10,12", b"13,ten,12")
    r = client.post("/api/v1/data/upload", files={"file": ("mine.csv", bad, "text/csv")})
    assert r.status_code == 422
    assert r.json() == {
        "detail": "mine.csv: line 3, column 'low': 'ten' is not a number; fix the file and upload it again",
        "code": "bad_data",
        "field": "file",
    }
    assert not (tmp_path / "uploads").exists()


def test_oversize_upload_is_413_naming_the_limit(client: TestClient, tmp_path: Path) -> None:
    big = GOOD + b"2021-03-03,11,13,10,12,200\n" * 100
    r = client.post("/api/v1/data/upload", files={"file": ("big.csv", big, "text/csv")})
    assert r.status_code == 413
    body = r.json()
    assert body["code"] == "too_large" and body["field"] == "file"
    assert f"big.csv is {len(big)} bytes; uploads are limited to 2000 bytes" in body["detail"]
    assert not (tmp_path / "uploads").exists()


def test_upload_with_a_bad_symbol_is_422(client: TestClient) -> None:
    r = client.post(
        "/api/v1/data/upload", files={"file": ("x.csv", GOOD, "text/csv")}, data={"symbol": "a/b"}
    )
    assert r.status_code == 422
    assert r.json()["field"] == "symbol" and "invalid symbol 'A/B'" in r.json()["detail"]


def test_a_column_bomb_upload_is_413_and_writes_nothing(client: TestClient, tmp_path: Path) -> None:
    # Probe: an 868 KiB CSV of 100,000 columns was accepted; here a small one over the cap (64).
    header = ",".join(["date", "open", "high", "low", "close"] + [f"x{i}" for i in range(100)])
    bomb = (header + "\n").encode()
    r = client.post("/api/v1/data/upload", files={"file": ("wide.csv", bomb, "text/csv")})
    assert r.status_code == 413, r.text
    assert "MAX_UPLOAD_COLUMNS" in r.json()["detail"]
    assert not (tmp_path / "uploads").exists()


def test_errors_do_not_show_the_data_folder(client: TestClient, tmp_path: Path) -> None:
    # Probe: a 422 for an unknown file symbol printed the absolute path of the data folder.
    r = client.get("/api/v1/data/bars", params={"source": "files", "symbol": "NOPE"})
    assert r.status_code == 422, r.text
    assert str(tmp_path) not in r.text
    assert "DATA_DIR/files" in r.json()["detail"]
