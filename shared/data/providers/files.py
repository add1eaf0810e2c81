"""Daily bars from files: uploaded ones and ones an operator placed in the data directory.

* Uploads (``POST /api/v1/data/upload``) are validated in full, then stored as canonical Parquet
  at ``<data_dir>/uploads/<SYMBOL>.parquet`` (written atomically; a rejected upload writes
  nothing). Uploading a symbol again replaces it.
* Pointed-at files: put ``<SYMBOL>.csv`` or ``<SYMBOL>.parquet`` into ``<data_dir>/files/``;
  the upper-cased file name stem is the symbol. They are parsed and validated on every read,
  so edits show at once. An upload of the same symbol takes precedence.
* Both are held to the upload limits (rows, columns, decoded bytes: ``UploadLimits``).
"""

from __future__ import annotations

import io
import json
import logging
from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from shared.data.atomic import write_atomic
from shared.data.bars import fields_of, validate_bars
from shared.data.parsing import parse_upload
from shared.data.providers.base import OHLC_FIELDS, OHLCV_FIELDS, Provider, SymbolInfo
from shared.data.symbols import upload_symbol
from shared.data.upload_limits import UploadLimits
from shared.errors import DataError, PayloadTooLarge, ValidationError

log = logging.getLogger(__name__)

_META_KEY = b"tradelab.upload"
_FILE_SUFFIXES = (".csv", ".parquet", ".pq")


class FilesProvider(Provider):
    """Uploaded CSV/Parquet bars and files placed in ``<data_dir>/files/``."""

    name = "files"
    description = (
        "Your own daily bars: CSV or Parquet files uploaded through POST /api/v1/data/upload, "
        "or placed as <SYMBOL>.csv / <SYMBOL>.parquet in the data directory's files/ folder. "
        "Columns: date, open, high, low, close, optional volume."
    )
    native_intervals = ("1d",)
    cacheable = False

    def __init__(self, data_dir: Path, limits: UploadLimits | None = None) -> None:
        self.limits = limits or UploadLimits()
        self.uploads_dir = data_dir / "uploads"
        self.files_dir = data_dir / "files"

    def symbols(self) -> list[SymbolInfo]:
        """Every uploaded and placed symbol, sorted by name."""
        return [self.symbol_info(s) for s in sorted(self._paths())]

    def symbol_info(self, symbol: str) -> SymbolInfo:
        """Uploads carry their date range and row count; placed files are described by name."""
        path = self._paths().get(symbol)
        if path is None:
            raise ValidationError(
                f"unknown symbol {symbol!r} for source files: upload it first "
                f"(POST /api/v1/data/upload) or place {symbol}.csv in DATA_DIR/files; "
                f"available: {', '.join(sorted(self._paths())) or 'none'}",
                field="symbols",
            )
        if path.parent == self.uploads_dir:
            return self._upload_info(symbol, path)
        return SymbolInfo(symbol, f"{path.name} (data directory)", self.name, _placed_fields(path))

    def fetch(
        self, symbol: str, start: date | None, end: date | None, interval: str
    ) -> pd.DataFrame:
        """The whole file, validated (the facade slices it)."""
        self.symbol_info(symbol)
        path = self._paths()[symbol]
        if path.parent == self.uploads_dir:
            frame = pd.read_parquet(path)
            validate_bars(frame, symbol)
            return frame
        try:
            return parse_upload(path.name, path.read_bytes(), symbol, self.limits)
        except PayloadTooLarge as exc:  # a placed file is bad data here, not a request too large
            raise DataError(exc.detail, field="symbols") from exc

    def save_upload(self, filename: str, content: bytes, symbol: str | None = None) -> SymbolInfo:
        """Validate the whole file, then store it atomically; nothing is written on rejection."""
        sym = upload_symbol(symbol, filename)
        bars = parse_upload(filename, content, sym, self.limits)
        meta = {
            "symbol": sym,
            "filename": filename,
            "first": bars.index[0].date().isoformat(),
            "last": bars.index[-1].date().isoformat(),
            "rows": len(bars),
            "fields": fields_of(bars),
        }
        table = pa.Table.from_pandas(bars, preserve_index=True)
        table = table.replace_schema_metadata(
            {**(table.schema.metadata or {}), _META_KEY: json.dumps(meta).encode()}
        )
        buf = io.BytesIO()
        pq.write_table(table, buf)
        write_atomic(self.uploads_dir / f"{sym}.parquet", buf.getvalue())
        return self._upload_info(sym, self.uploads_dir / f"{sym}.parquet")

    def _upload_info(self, symbol: str, path: Path) -> SymbolInfo:
        try:
            raw = (pq.read_schema(path).metadata or {}).get(_META_KEY, b"{}")
            meta = json.loads(raw)
        except (OSError, pa.ArrowException, ValueError) as exc:
            raise DataError(
                f"{symbol}: stored upload {path.name} is unreadable ({type(exc).__name__}); "
                "upload it again",
                field="symbols",
            ) from exc
        fields = tuple(meta.get("fields", OHLC_FIELDS))
        return SymbolInfo(
            symbol=symbol,
            name=f"{meta.get('filename', path.name)} (upload)",
            source=self.name,
            fields=fields,
            first=date.fromisoformat(meta["first"]) if "first" in meta else None,
            last=date.fromisoformat(meta["last"]) if "last" in meta else None,
            rows=meta.get("rows"),
        )

    def _paths(self) -> dict[str, Path]:
        found: dict[str, Path] = {}
        if self.files_dir.is_dir():
            for path in sorted(self.files_dir.iterdir()):
                if path.suffix.lower() not in _FILE_SUFFIXES or not path.is_file():
                    continue
                try:
                    found[upload_symbol(None, path.name)] = path
                except ValidationError:
                    log.warning("ignoring %s: its name is not a valid symbol", path)
        if self.uploads_dir.is_dir():
            found.update({p.stem: p for p in self.uploads_dir.glob("*.parquet")})
        return found


def _placed_fields(path: Path) -> tuple[str, ...]:
    """OHLC, plus volume when the file's header (or Parquet schema) has a volume column."""
    try:
        if path.suffix.lower() == ".csv":
            with path.open("rb") as fh:
                names = fh.readline().decode("utf-8-sig", "replace").split(",")
        else:
            names = list(pq.read_schema(path).names)
    except (OSError, pa.ArrowException):
        return OHLC_FIELDS
    has_volume = any(n.strip().strip('"').lower() == "volume" for n in names)
    return OHLCV_FIELDS if has_volume else OHLC_FIELDS
