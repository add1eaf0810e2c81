"""Upload bombs: small files that decode to too many rows, columns or bytes are refused early.

Each bomb is built here. "Refused before the data is read" is shown without timing: the same
bomb with its data made unreadable (Parquet pages overwritten, a short CSV line) still gets
the 413 instead of a parse error, so the refusal cannot have come from reading the data.
"""

from __future__ import annotations

import io
import struct
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from shared.config import Settings
from shared.data import MarketData, market_data_from
from shared.data.upload_limits import UploadLimits
from shared.errors import DataError, PayloadTooLarge

DEFAULTS = UploadLimits()
GOOD = b"date,open,high,low,close\n2021-03-01,1,2,0.5,1.5\n2021-03-02,1,2,0.5,1.5\n"


def listing(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


def parquet_bytes(table: pa.Table) -> bytes:
    buf = io.BytesIO()
    pq.write_table(table, buf, compression="zstd")
    return buf.getvalue()


def constant_bars(rows: int, extra_columns: int = 0) -> pa.Table:
    """`rows` copies of one bar: dictionary/RLE encoding makes the file tiny whatever `rows` is."""
    columns: dict[str, pa.Array] = {"date": pa.repeat("2021-03-01", rows)}
    for name in ("open", "high", "low", "close", *(f"x{i}" for i in range(extra_columns))):
        columns[name] = pa.repeat(1.0, rows)
    return pa.table(columns)


def with_pages_wiped(content: bytes) -> bytes:
    """The same Parquet footer over zeroed data pages: any attempt to read the data fails."""
    (footer_len,) = struct.unpack("<i", content[-8:-4])
    data_end = len(content) - 8 - footer_len
    return content[:4] + bytes(data_end - 4) + content[data_end:]


def refusal(market: MarketData, filename: str, content: bytes) -> PayloadTooLarge:
    with pytest.raises(PayloadTooLarge) as err:
        market.save_upload(filename, content)
    assert err.value.status_code == 413 and err.value.field == "file"
    assert err.value.detail.startswith(f"{filename}: ")
    return err.value


@pytest.fixture
def market(tmp_path: Path) -> MarketData:
    """MarketData with the default upload limits (and no byte limit: the bombs are small)."""
    return MarketData(tmp_path, None)


def test_parquet_row_bomb_is_refused_from_its_footer(market: MarketData, tmp_path: Path) -> None:
    rows = DEFAULTS.max_rows + 1
    content = parquet_bytes(constant_bars(rows))
    assert len(content) < 200_000  # the probe's bomb: tiny file, millions of rows
    for bomb in (content, with_pages_wiped(content)):
        err = refusal(market, "bomb.parquet", bomb)
        assert f"{rows} rows" in err.detail
        assert f"at most {DEFAULTS.max_rows} rows (MAX_UPLOAD_ROWS)" in err.detail
    assert listing(tmp_path) == []
    # and a wiped file under every cap is a parse error, so the wiping does break reading
    with pytest.raises(DataError, match="not a readable Parquet file"):
        market.save_upload("ok.parquet", with_pages_wiped(parquet_bytes(constant_bars(3))))


def test_csv_column_bomb_is_refused_from_its_header(market: MarketData, tmp_path: Path) -> None:
    names = ["date", "open", "high", "low", "close"] + [f"c{i}" for i in range(5, 100_000)]
    row = ["2021-03-01", "1", "2", "0.5", "1.5"] + ["1"] * (100_000 - 5)
    content = (",".join(names) + "\n" + ",".join(row) + "\n").encode()
    err = refusal(market, "wide.csv", content)
    assert "100000 columns" in err.detail
    assert f"at most {DEFAULTS.max_columns} columns (MAX_UPLOAD_COLUMNS)" in err.detail
    assert listing(tmp_path) == []


def test_csv_header_columns_are_counted_like_a_csv_reader(tmp_path: Path) -> None:
    """Commas and line breaks inside quoted names do not split columns; a CR ends the header."""
    market = MarketData(tmp_path, None, upload_limits=UploadLimits(max_columns=6))
    quoted = b'date,open,high,low,close,"a,b,\nc"\n2021-03-01,1,2,0.5,1.5,x\n'
    assert market.save_upload("quoted.csv", quoted).rows == 1
    seven = b"date,open,high,low,close,a,b\r2021-03-01,1,2,0.5,1.5,x,y\r"
    assert "7 columns" in refusal(market, "seven.csv", seven).detail
    # a quoted comma-laden name hides nothing: 7 real columns are still 7
    hidden = b'"date","open","high","low","close","a,b",c\n2021-03-01,1,2,0.5,1.5,x,y\n'
    assert "7 columns" in refusal(market, "hidden.csv", hidden).detail


def test_parquet_column_cap_reads_the_footer(tmp_path: Path) -> None:
    market = MarketData(tmp_path, None, upload_limits=UploadLimits(max_columns=6))
    assert market.save_upload("six.parquet", parquet_bytes(constant_bars(1, 1))).rows == 1
    content = parquet_bytes(constant_bars(1, 2))
    for bomb in (content, with_pages_wiped(content)):
        err = refusal(market, "seven.parquet", bomb)
        assert "7 columns" in err.detail and "at most 6 columns (MAX_UPLOAD_COLUMNS)" in err.detail
    assert listing(tmp_path) == ["uploads", "uploads/SIX.parquet"]


@pytest.mark.parametrize("newline", [b"\n", b"\r\n", b"\r"], ids=["lf", "crlf", "cr"])
def test_csv_row_bomb_is_refused_before_parsing(
    market: MarketData, tmp_path: Path, newline: bytes
) -> None:
    rows = DEFAULTS.max_rows + 1
    # line 3 is short: a parser that read the rows would answer "line 3 ... empty value" instead
    lines = [b"date,open,high,low,close", b"2021-03-01,1,2,0.5,1.5", b"2021-03-02,1,2"]
    lines += [b"2021-03-03,1,2,0.5,1.5"] * (rows - 2)
    err = refusal(market, "long.csv", newline.join(lines) + newline)
    assert f"{rows} rows" in err.detail
    assert f"at most {DEFAULTS.max_rows} rows (MAX_UPLOAD_ROWS)" in err.detail
    assert listing(tmp_path) == []


def test_row_cap_is_inclusive_and_trailing_blank_lines_are_free(tmp_path: Path) -> None:
    market = MarketData(tmp_path, None, upload_limits=UploadLimits(max_rows=2))
    assert market.save_upload("two.csv", GOOD + b"\n\r\n\n" * 1000).rows == 2
    three = GOOD + b"2021-03-03,1,2,0.5,1.5\n"
    assert "3 rows" in refusal(market, "three.csv", three).detail
    assert "3 rows" in refusal(market, "blank.csv", GOOD + b",,,,\n").detail
    bars = pa.table(
        {"date": ["2021-03-01", "2021-03-02"], "open": [1.0, 1.0], "high": [2.0, 2.0]}
        | {"low": [0.5, 0.5], "close": [1.5, 1.5]}
    )
    assert market.save_upload("two.parquet", parquet_bytes(bars)).rows == 2
    three_pq = parquet_bytes(pa.concat_tables([bars, bars.slice(0, 1)]))
    assert "3 rows" in refusal(market, "three.parquet", three_pq).detail


def test_parquet_numbers_count_at_their_decoded_width(tmp_path: Path) -> None:
    """1,000 rows of 10 constant float64 columns encode to bytes but decode to 80,000 bytes."""
    limit = 60_000
    market = MarketData(tmp_path, None, upload_limits=UploadLimits(max_decoded_bytes=limit))
    content = parquet_bytes(constant_bars(1000, 6))
    assert len(content) < limit // 10
    for bomb in (content, with_pages_wiped(content)):
        err = refusal(market, "wide.parquet", bomb)
        assert f"at most {limit} bytes (MAX_UPLOAD_DECODED_BYTES)" in err.detail
    assert listing(tmp_path) == []


def test_parquet_repeated_string_bomb_is_refused_while_decoding(
    market: MarketData, tmp_path: Path
) -> None:
    """One long string repeated: the footer sees one dictionary entry, decoding would not."""
    cell = 1024
    rows = min(DEFAULTS.max_decoded_bytes // cell + 1, DEFAULTS.max_rows)
    assert rows * cell > DEFAULTS.max_decoded_bytes
    notes = pa.DictionaryArray.from_arrays(
        pa.array(np.zeros(rows, dtype=np.int32)), pa.array(["n" * cell])
    )
    content = parquet_bytes(constant_bars(rows).append_column("notes", notes))
    assert len(content) < 1_000_000
    err = refusal(market, "notes.parquet", content)
    assert f"at most {DEFAULTS.max_decoded_bytes} bytes (MAX_UPLOAD_DECODED_BYTES)" in err.detail
    assert listing(tmp_path) == []
    # the footer alone cannot tell: with the pages wiped, the file is only unreadable
    with pytest.raises(DataError, match="not a readable Parquet file"):
        market.save_upload("notes.parquet", with_pages_wiped(content))


def test_csv_counts_its_own_size_as_decoded(tmp_path: Path) -> None:
    market = MarketData(tmp_path, None, upload_limits=UploadLimits(max_decoded_bytes=len(GOOD)))
    assert market.save_upload("fits.csv", GOOD).rows == 2
    err = refusal(market, "over.csv", GOOD + b"2021-03-03,1,2,0.5,1.5\n")
    assert f"at most {len(GOOD)} bytes (MAX_UPLOAD_DECODED_BYTES)" in err.detail


def test_parquet_string_columns_read_as_before(tmp_path: Path) -> None:
    """Strings read through dictionaries come back as plain text: dates and numbers parse."""
    market = MarketData(tmp_path, None)
    table = pa.table({"Date": ["2021-03-01", "2021-03-02", "2021-03-03"],
                      "Open": ["1", "2", "3"], "High": [2.0, 3.0, 4.0], "Low": [0.5, 1.0, 2.0],
                      "Close": [1.5, 2.5, 3.5], "Note": ["a", None, "a"],
                      "Tags": pa.array([[1], [2, 3], []])})  # fmt: skip
    info = market.save_upload("mixed.parquet", parquet_bytes(table))
    assert (info.rows, str(info.first), str(info.last)) == (3, "2021-03-01", "2021-03-03")
    bars = market.bars("files", "MIXED", None, None)
    assert bars["open"].tolist() == [1.0, 2.0, 3.0]
    categorical = pd.DataFrame({"date": pd.Categorical(["2021-03-01", "2021-03-02"]),
                                "open": [1.0, 1.0], "high": [2.0, 2.0], "low": [0.5, 0.5],
                                "close": [1.5, 1.5]})  # fmt: skip
    buf = io.BytesIO()
    categorical.to_parquet(buf)  # the date column is stored as a dictionary type
    assert market.save_upload("cat.parquet", buf.getvalue()).rows == 2


def test_placed_files_over_a_cap_are_a_data_error(tmp_path: Path) -> None:
    market = MarketData(tmp_path, None, upload_limits=UploadLimits(max_rows=1))
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "placed.csv").write_bytes(GOOD)
    with pytest.raises(DataError) as err:
        market.bars("files", "PLACED", None, None)
    assert err.value.status_code == 422
    assert "placed.csv: 2 rows" in err.value.detail and "MAX_UPLOAD_ROWS" in err.value.detail


def test_settings_set_the_limits(tmp_path: Path) -> None:
    fields = Settings.model_fields
    assert fields["max_upload_rows"].default == DEFAULTS.max_rows
    assert fields["max_upload_columns"].default == DEFAULTS.max_columns
    assert fields["max_upload_decoded_bytes"].default == DEFAULTS.max_decoded_bytes
    settings = Settings(var_dir=tmp_path, redis_url="redis://127.0.0.1:1/0", max_upload_rows=1)
    market = market_data_from(settings)
    assert "at most 1 rows (MAX_UPLOAD_ROWS)" in refusal(market, "two.csv", GOOD).detail
