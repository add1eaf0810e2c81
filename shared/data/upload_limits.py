"""Caps on an uploaded file's rows, columns and decoded size, checked before its data is read.

A small file can decode to gigabytes: a Parquet column of one repeated value is a few bytes per
million rows, a CSV header can name 100,000 columns. So each cap is checked on what is cheap to
know first: the CSV's header record and line breaks, the Parquet footer, and then the decoded size
of each Parquet batch as it arrives (a repeated long string looks small even in the footer).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from shared.errors import PayloadTooLarge

# One CSV header record: unquoted text up to a line break, or quoted text (which may hold commas
# and line breaks). Possessive, so a long header is matched in one pass.
_HEADER = re.compile(rb'(?:[^"\r\n]++|"[^"]*+")*+')
_QUOTED = re.compile(rb'"[^"]*+"')
# Bytes per value once decoded, by Parquet physical type; byte arrays add a 4-byte offset each.
_WIDTH = {"BOOLEAN": 1, "INT32": 4, "INT64": 8, "INT96": 12, "FLOAT": 4, "DOUBLE": 8}
_OFFSET = 4


@dataclass(frozen=True)
class UploadLimits:
    """The largest file the files source parses; the defaults are the settings' defaults."""

    max_rows: int = 1_000_000
    max_columns: int = 64
    max_decoded_bytes: int = 256 * 2**20

    def check_rows(self, filename: str, rows: int) -> None:
        """Refuse more than ``max_rows`` data rows."""
        if rows > self.max_rows:
            raise _too_large(
                f"{filename}: {rows} rows; uploads may have at most {self.max_rows} rows "
                "(MAX_UPLOAD_ROWS): split the file or raise the limit"
            )

    def check_columns(self, filename: str, columns: int) -> None:
        """Refuse more than ``max_columns`` columns."""
        if columns > self.max_columns:
            raise _too_large(
                f"{filename}: {columns} columns; uploads may have at most {self.max_columns} "
                "columns (MAX_UPLOAD_COLUMNS): keep date, open, high, low, close and volume"
            )

    def check_decoded(self, filename: str, nbytes: int) -> None:
        """Refuse a file that decodes (or has begun to decode) to more than the byte cap."""
        if nbytes > self.max_decoded_bytes:
            raise _too_large(
                f"{filename}: decodes to at least {nbytes} bytes; uploads may decode to at most "
                f"{self.max_decoded_bytes} bytes (MAX_UPLOAD_DECODED_BYTES): drop columns you "
                "do not need, split the file or raise the limit"
            )

    def check_csv(self, filename: str, content: bytes) -> None:
        """Size, header columns and line count of CSV bytes, before any parsing.

        ``content`` must have no trailing line breaks: every line break left then starts a row
        (or lies inside a quoted cell), so their number bounds the rows a parser could produce.
        """
        self.check_decoded(filename, len(content))
        header = _HEADER.match(content)
        names = header.group() if header else b""  # it always matches (the empty string at least)
        self.check_columns(filename, _QUOTED.sub(b"", names).count(b",") + 1)
        # a CSV parser ends a line at \n, \r\n or a lone \r
        breaks = content.count(b"\n") + content.count(b"\r") - content.count(b"\r\n")
        self.check_rows(filename, breaks)

    def check_parquet_footer(self, filename: str, metadata: pq.FileMetaData) -> None:
        """Columns, rows and an estimate of the decoded size, from the footer alone."""
        self.check_columns(filename, metadata.num_columns)
        self.check_rows(filename, metadata.num_rows)
        schema = metadata.schema
        row_width = sum(_decoded_width(schema.column(j)) for j in range(metadata.num_columns))
        estimate = 0
        for i in range(metadata.num_row_groups):
            group = metadata.row_group(i)
            # uncompressed pages bound what decoding allocates; dictionary- and run-length-encoded
            # pages are far smaller than their values, which the row width accounts for
            estimate += max(group.total_byte_size, group.num_rows * row_width)
        self.check_decoded(filename, estimate)


def decoded_nbytes(batch: pa.RecordBatch) -> int:
    """Bytes the batch takes with every dictionary-encoded column expanded to plain values."""
    total = 0
    for column in batch.columns:
        if isinstance(column, pa.DictionaryArray):
            total += _expanded_nbytes(column)
        else:
            total += column.nbytes
    return total


def _expanded_nbytes(column: pa.DictionaryArray) -> int:
    values = column.dictionary
    if not is_text(values.type):  # Parquet reads dictionaries of text only; this is a fallback
        return len(column) * max(values.type.bit_width // 8, 1)
    lengths = pc.binary_length(values)
    return int(pc.sum(pc.take(lengths, column.indices)).as_py() or 0) + _OFFSET * len(column)


def is_text(kind: pa.DataType) -> bool:
    """String or binary, of either offset width: the variable-width values Parquet stores."""
    return bool(
        pa.types.is_string(kind)
        or pa.types.is_large_string(kind)
        or pa.types.is_binary(kind)
        or pa.types.is_large_binary(kind)
    )


def _decoded_width(column: pq.ColumnSchema) -> int:
    if column.physical_type == "FIXED_LEN_BYTE_ARRAY":
        return int(column.length)
    return _WIDTH.get(column.physical_type, _OFFSET)


def _too_large(detail: str) -> PayloadTooLarge:
    return PayloadTooLarge(detail, field="file")
