"""Symbol names: one normal form (upper case) and the characters each place accepts."""

from __future__ import annotations

import re

from shared.errors import ValidationError

# Yahoo tickers use ^ (indices) and = (currencies, futures); a leading dot is refused everywhere
# because symbols become file and directory names (".." must never be a path component).
_SYMBOL_RE = re.compile(r"[A-Z0-9^=_-][A-Z0-9.^=_-]{0,31}")
_UPLOAD_RE = re.compile(r"[A-Z0-9_-][A-Z0-9._-]{0,31}")


def normalize_symbol(symbol: str, *, field: str = "symbols") -> str:
    """The upper-cased symbol, or ValidationError when it holds characters no source accepts."""
    norm = symbol.strip().upper()
    if not _SYMBOL_RE.fullmatch(norm):
        raise ValidationError(
            f"invalid symbol {symbol!r}: use 1-32 characters from A-Z 0-9 . ^ = _ - "
            "(not starting with '.')",
            field=field,
        )
    return norm


def upload_symbol(symbol: str | None, filename: str) -> str:
    """The symbol of an upload: the form field when given, else the file name's stem."""
    if symbol is not None and symbol.strip():
        raw, field, origin = symbol, "symbol", "symbol"
    else:
        stem = filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
        raw, field, origin = stem.rsplit(".", 1)[0] if "." in stem else stem, "file", "file name"
    norm = raw.strip().upper()
    if not _UPLOAD_RE.fullmatch(norm):
        raise ValidationError(
            f"invalid symbol {norm!r} (from the {origin}): use 1-32 characters from A-Z 0-9 . _ - "
            "(not starting with '.'), or pass the symbol form field",
            field=field,
        )
    return norm
