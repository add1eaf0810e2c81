"""Uploads and placed files: good files are stored, bad ones are named precisely and not stored."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from shared.data import MarketData
from shared.data.parsing import parse_upload
from shared.errors import DataError, PayloadTooLarge, ValidationError

GOOD = b"""Date,Open,High,Low,Close,Adj Close,Volume
2021-03-01,10,12,9,11,10.5,1000
2021-03-02,11,13,10,12,11.5,1100
2021-03-03,12,12.5,11,11.5,11,900
"""


def listing(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


@pytest.fixture
def files_market(tmp_path: Path) -> MarketData:
    return MarketData(tmp_path, None, max_upload_bytes=10_000)


def test_good_csv_is_stored_and_served(files_market: MarketData, tmp_path: Path) -> None:
    info = files_market.save_upload("acme.csv", GOOD)
    assert (info.symbol, info.source, info.rows) == ("ACME", "files", 3)
    assert (info.first, info.last) == (date(2021, 3, 1), date(2021, 3, 3))
    assert info.fields == ("open", "high", "low", "close", "volume")
    assert listing(tmp_path) == ["uploads", "uploads/ACME.parquet"]
    bars = files_market.bars("files", "ACME", None, None)
    assert bars["close"].tolist() == [11.0, 12.0, 11.5]  # Close, not Adj Close
    assert bars.index[0] == pd.Timestamp("2021-03-01", tz="UTC")
    assert [s.symbol for s in files_market.symbols("files")] == ["ACME"]


def test_symbol_field_wins_over_file_name_and_case_does_not_matter(
    files_market: MarketData,
) -> None:
    csv = b"timestamp,OPEN,high,LOW,close\n2021-03-01T14:30:00Z,1,2,0.5,1.5\n"
    info = files_market.save_upload("whatever.csv", csv, symbol="brk.b")
    assert info.symbol == "BRK.B"
    assert info.fields == ("open", "high", "low", "close")


@pytest.mark.parametrize(
    ("content", "parts"),
    [
        (b"Date,Open,High,Low,Close\n2021-03-01,10,12,9,11\n2021-03-02,11,13,abc,12\n",
         ["line 3, column 'Low': 'abc' is not a number"]),
        (b"Date,Open,High,Low,Close\n2021-03-01,10,12,9,11\n2021-03-02,11,13,,12\n",
         ["line 3, column 'Low': empty value"]),
        (b"Date,Open,High,Low,Close\n2021-03-01,10,12,9,11\n2021-13-45,11,13,10,12\n",
         ["line 3, column 'Date': '2021-13-45' is not a date"]),
        (b"Date,Open,High,Low,Close\n2021-03-01,10,12,9,11\n2021-03-02,1,2,3\n2021-03-03,x,2,1,1\n",
         ["line 3, column 'Close': empty value", "(2 bad cells in all)"]),
        (b"Date,Open,High,Low,Close\n2021-03-01,10,12,9,11\n2021-03-02,11,13,10,12,99\n",
         ["malformed CSV (Expected 5 fields in line 3, saw 6)"]),
        (b"Date,Open,High,Low,Close\n2021-03-01,10,12,9,11\n\n2021-03-02,11,13,10,12\n",
         ["line 3 is empty; remove it"]),
        (b"Date,Open,High,Low,Close\n", ["no data rows"]),
        (b"  \n", ["the file is empty"]),
        (b"\xff\xfeD\x00a\x00", ["not UTF-8 text"]),
    ],
    ids=["not-a-number", "empty-cell", "bad-date", "short-row", "long-row", "blank-line",
         "header-only", "empty-file", "utf16"],
)  # fmt: skip
def test_malformed_csv_names_the_line_and_column(
    files_market: MarketData, tmp_path: Path, content: bytes, parts: list[str]
) -> None:
    with pytest.raises(DataError) as err:
        files_market.save_upload("prices.csv", content)
    assert err.value.status_code == 422 and err.value.field == "file"
    assert err.value.detail.startswith("prices.csv: ")
    for part in parts:
        assert part in err.value.detail
    assert listing(tmp_path) == []  # nothing written


def test_missing_columns_are_listed(files_market: MarketData) -> None:
    with pytest.raises(DataError) as err:
        files_market.save_upload("p.csv", b"day,open,close\n2021-03-01,1,1\n")
    assert "missing column(s) date, high, low" in err.value.detail
    assert "(found: day, open, close)" in err.value.detail


def test_bad_bars_are_rejected_not_fixed(files_market: MarketData, tmp_path: Path) -> None:
    unsorted = b"date,open,high,low,close\n2021-03-02,1,2,0.5,1.5\n2021-03-01,1,2,0.5,1.5\n"
    with pytest.raises(DataError, match="P: timestamps are not sorted ascending"):
        files_market.save_upload("p.csv", unsorted)
    bad_high = b"date,open,high,low,close\n2021-03-01,1,1.2,0.5,1.5\n"
    with pytest.raises(DataError, match=r"P: 1 bar has high < close \(first at 2021-03-01\)"):
        files_market.save_upload("p.csv", bad_high)
    intraday = (
        b"date,open,high,low,close\n2021-03-01 10:00,1,2,0.5,1.5\n2021-03-01 11:00,1,2,0.5,1.5\n"
    )
    with pytest.raises(DataError, match="the files source holds daily bars"):
        files_market.save_upload("p.csv", intraday)
    assert listing(tmp_path) == []


@pytest.mark.parametrize(
    ("filename", "symbol", "field"),
    [("../.hidden.csv", None, "file"), ("a b.csv", None, "file"), ("ok.csv", "no/slash", "symbol"),
     ("ok.csv", "..", "symbol"), ("ok.csv", "X" * 33, "symbol")],
)  # fmt: skip
def test_bad_symbol_names_are_refused(
    files_market: MarketData, tmp_path: Path, filename: str, symbol: str | None, field: str
) -> None:
    with pytest.raises(ValidationError) as err:
        files_market.save_upload(filename, GOOD, symbol)
    assert err.value.field == field
    assert "invalid symbol" in err.value.detail
    assert listing(tmp_path) == []


def test_oversize_upload_is_413_naming_the_limit(files_market: MarketData, tmp_path: Path) -> None:
    with pytest.raises(PayloadTooLarge) as err:
        files_market.save_upload("big.csv", GOOD * 200)
    assert err.value.status_code == 413
    assert "uploads are limited to 10000 bytes" in err.value.detail
    assert listing(tmp_path) == []


def test_unsupported_extension(files_market: MarketData) -> None:
    with pytest.raises(ValidationError, match=r"upload a \.csv or \.parquet file"):
        files_market.save_upload("prices.xlsx", b"PK\x03\x04")


def test_parquet_upload_with_a_date_index(files_market: MarketData) -> None:
    frame = pd.DataFrame(
        {"Open": [1.0, 2.0], "High": [2.0, 3.0], "Low": [0.5, 1.0], "Close": [1.5, 2.5]},
        index=pd.DatetimeIndex(["2021-03-01", "2021-03-02"], name="Date"),
    )
    buf = io.BytesIO()
    frame.to_parquet(buf)
    info = files_market.save_upload("xyz.parquet", buf.getvalue())
    assert (info.symbol, info.rows) == ("XYZ", 2)
    bars = files_market.bars("files", "XYZ", date(2021, 3, 2), None)
    assert bars["close"].tolist() == [2.5]


def test_parquet_missing_value_names_the_row() -> None:
    frame = pd.DataFrame({"date": ["2021-03-01", "2021-03-02"], "open": [1.0, None],
                          "high": [2.0, 2.0], "low": [0.5, 0.5], "close": [1.5, 1.5]})  # fmt: skip
    buf = io.BytesIO()
    frame.to_parquet(buf)
    with pytest.raises(DataError, match="row 2, column 'open': missing value"):
        parse_upload("p.parquet", buf.getvalue(), "P")


def test_replacing_an_upload_keeps_one_file(files_market: MarketData, tmp_path: Path) -> None:
    files_market.save_upload("acme.csv", GOOD)
    files_market.save_upload("acme.csv", GOOD.replace(b"2021-03-03", b"2021-03-04"))
    assert listing(tmp_path) == ["uploads", "uploads/ACME.parquet"]
    assert files_market.symbol_info("files", "ACME").last == date(2021, 3, 4)


def test_placed_files_are_read_from_the_files_folder(
    files_market: MarketData, tmp_path: Path
) -> None:
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "local.csv").write_bytes(GOOD)
    (tmp_path / "files" / "notes.txt").write_text("ignored")
    info = files_market.symbol_info("files", "LOCAL")
    assert info.fields == ("open", "high", "low", "close", "volume")
    assert len(files_market.bars("files", "LOCAL", None, None)) == 3
    with pytest.raises(ValidationError, match="unknown symbol 'NOPE' for source files: upload it"):
        files_market.bars("files", "NOPE", None, None)


def test_directories_in_the_file_name_are_dropped(files_market: MarketData, tmp_path: Path) -> None:
    info = files_market.save_upload("../../etc/prices.csv", GOOD)
    assert info.symbol == "PRICES"
    assert listing(tmp_path) == ["uploads", "uploads/PRICES.parquet"]
