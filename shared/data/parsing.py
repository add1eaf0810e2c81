"""Turn an uploaded CSV or Parquet file into validated daily bars, or say exactly what is wrong.

Columns are matched case-insensitively: one date column (``date``, ``datetime``, ``timestamp``
or ``time``) and ``open, high, low, close``, optionally ``volume``; other columns (e.g.
``Adj Close``) are ignored. Naive timestamps are read as UTC. Errors name the CSV line (the
header is line 1) or the Parquet row (first data row is row 1) and the column.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa

from shared.data.bars import format_ts, make_bars, validate_bars
from shared.data.parquet_reading import read_parquet_capped
from shared.data.upload_limits import UploadLimits
from shared.errors import DataError, ValidationError

DATE_NAMES = ("date", "datetime", "timestamp", "time")
_REQUIRED = ("open", "high", "low", "close")
_NEEDS = "a date (or datetime/timestamp/time) column and open, high, low, close (volume optional)"

Where = Callable[[int], str]


def file_kind(filename: str, content: bytes) -> str:
    """The file's format, "csv" or "parquet", from its extension (or Parquet's magic bytes)."""
    lower = filename.lower()
    if lower.endswith((".parquet", ".pq")) or content[:4] == b"PAR1":
        return "parquet"
    if lower.endswith((".csv", ".txt")):
        return "csv"
    raise ValidationError(
        f"unsupported file {filename!r}: upload a .csv or .parquet file", field="file"
    )


def parse_upload(
    filename: str, content: bytes, symbol: str, limits: UploadLimits | None = None
) -> pd.DataFrame:
    """Validated canonical daily bars from CSV or Parquet bytes; DataError names the bad cell.

    A file over ``limits`` (rows, columns, decoded bytes) is PayloadTooLarge, raised before its
    data is parsed.
    """
    limits = limits or UploadLimits()
    if not content.strip():
        raise DataError(f"{filename}: the file is empty; upload a file with {_NEEDS}", field="file")
    if file_kind(filename, content) == "parquet":
        raw, where = _read_parquet(filename, content, limits), (lambda i: f"row {i + 1}")
    else:
        raw, where = _read_csv(filename, content, limits), (lambda i: f"line {i + 2}")
    bars = table_to_bars(raw, filename, symbol, where)
    validate_bars(bars, symbol)
    check_daily(bars, symbol)
    return bars


def _read_csv(filename: str, content: bytes, limits: UploadLimits) -> pd.DataFrame:
    # trailing blank lines are harmless (dropped below); stripping them first keeps a file of
    # nothing but line breaks from being counted, or parsed, as millions of rows
    content = content.rstrip(b"\r\n")
    limits.check_csv(filename, content)
    try:
        raw = pd.read_csv(
            io.BytesIO(content),
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,  # keeps the row → line-number mapping exact
            encoding="utf-8-sig",
        )
    except UnicodeDecodeError as exc:
        raise DataError(f"{filename}: not UTF-8 text; save the CSV as UTF-8", field="file") from exc
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        reason = str(exc).replace("Error tokenizing data. C error: ", "").strip()
        raise DataError(
            f"{filename}: malformed CSV ({reason}); fix that line", field="file"
        ) from exc
    blank = (raw == "").all(axis=1).to_numpy()
    last_data = int(np.flatnonzero(~blank)[-1]) + 1 if (~blank).any() else 0
    raw = raw.iloc[:last_data]  # trailing blank lines are harmless; interior ones are not
    if blank[:last_data].any():
        line = int(np.argmax(blank[:last_data])) + 2
        raise DataError(f"{filename}: line {line} is empty; remove it", field="file")
    return raw


def _read_parquet(filename: str, content: bytes, limits: UploadLimits) -> pd.DataFrame:
    try:
        raw = read_parquet_capped(filename, content, limits).to_pandas()
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise DataError(
            f"{filename}: not a readable Parquet file ({exc}); re-export it", field="file"
        ) from exc
    if isinstance(raw.index, pd.DatetimeIndex):
        raw = raw.reset_index(names=raw.index.name or "timestamp")
    return raw.reset_index(drop=True)


def _columns(raw: pd.DataFrame, filename: str) -> dict[str, str]:
    by_lower: dict[str, str] = {}
    for col in map(str, raw.columns):
        key = col.strip().lower()
        if key in by_lower and key in (*DATE_NAMES, *_REQUIRED, "volume"):
            raise DataError(
                f"{filename}: columns {by_lower[key]!r} and {col!r} clash (names are "
                "case-insensitive); keep one",
                field="file",
            )
        by_lower.setdefault(key, col)
    date_col = next((by_lower[n] for n in DATE_NAMES if n in by_lower), None)
    missing = ([] if date_col else ["date"]) + [c for c in _REQUIRED if c not in by_lower]
    if missing:
        found = ", ".join(map(str, raw.columns)) or "none"
        raise DataError(
            f"{filename}: missing column(s) {', '.join(missing)}; the file needs {_NEEDS} "
            f"(found: {found})",
            field="file",
        )
    mapping = {"timestamp": str(date_col)} | {c: by_lower[c] for c in _REQUIRED}
    if "volume" in by_lower:
        mapping["volume"] = by_lower["volume"]
    return mapping


def table_to_bars(raw: pd.DataFrame, filename: str, symbol: str, where: Where) -> pd.DataFrame:
    """Canonical bars from a raw table; the first unparseable cell is a DataError."""
    cols = _columns(raw, filename)
    if len(raw) == 0:
        raise DataError(f"{filename}: no data rows; add at least one bar", field="file")
    bad: list[tuple[int, int, str]] = []  # (first bad row, bad cells in the column, message)
    index = _parse_dates(raw[cols["timestamp"]], cols["timestamp"], where, bad)
    values = {k: _parse_numbers(raw[c], c, where, bad) for k, c in cols.items() if k != "timestamp"}
    if bad:
        _, _, message = min(bad)
        total = sum(n for _, n, _ in bad)
        more = f" ({total} bad cells in all)" if total > 1 else ""
        raise DataError(
            f"{filename}: {message}{more}; fix the file and upload it again", field="file"
        )
    return make_bars(
        index, values["open"], values["high"], values["low"], values["close"], values.get("volume")
    )


def _parse_dates(
    col: pd.Series, name: str, where: Where, bad: list[tuple[int, int, str]]
) -> pd.DatetimeIndex:
    if pd.api.types.is_datetime64_any_dtype(col.dtype):
        parsed = pd.Series(pd.to_datetime(col, utc=True))
        text = col.astype(str)
    else:
        text = col.astype(str).str.strip()
        parsed = pd.Series(pd.to_datetime(text, errors="coerce", utc=True))
    rows = np.flatnonzero(parsed.isna().to_numpy())
    if rows.size:
        i = int(rows[0])
        cell = text.iloc[i]
        why = "empty date" if cell in ("", "NaT", "None") else f"{cell!r} is not a date"
        bad.append(
            (
                i,
                rows.size,
                f"{where(i)}, column {name!r}: {why} (write every date in one format, "
                f"like the first row's {text.iloc[0]!r}; e.g. 2021-03-04 or 2021-03-04T15:30:00Z)",
            )
        )
    return pd.DatetimeIndex(parsed)


def _parse_numbers(
    col: pd.Series, name: str, where: Where, bad: list[tuple[int, int, str]]
) -> npt.NDArray[np.float64]:
    numeric = pd.api.types.is_numeric_dtype(col.dtype) and not pd.api.types.is_bool_dtype(col.dtype)
    if numeric:
        values = col.to_numpy(dtype=np.float64, na_value=np.nan)
    else:
        text = col.astype(str).str.strip()
        values = pd.to_numeric(text, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    rows = np.flatnonzero(np.isnan(values))
    if rows.size:
        i = int(rows[0])
        if numeric:
            why = "missing value"
        else:
            cell = text.iloc[i]
            why = "empty value" if cell == "" else f"{cell!r} is not a number"
        bad.append((i, rows.size, f"{where(i)}, column {name!r}: {why}"))
    return values


def check_daily(bars: pd.DataFrame, symbol: str) -> None:
    """The files source holds daily bars: refuse more than one bar per UTC date."""
    days = bars.index.normalize().asi8
    same = np.flatnonzero(days[1:] == days[:-1])
    if same.size:
        raise DataError(
            f"{symbol}: {same.size} bar(s) share a date with the previous bar (first at "
            f"{format_ts(bars.index[int(same[0]) + 1])}); the files source holds daily bars, "
            "upload one bar per day"
        )
