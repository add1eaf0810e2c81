"""Zip archives that depend only on their entries: sorted names, a fixed date, fixed modes."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping

FIXED_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest a zip entry can carry


def reproducible_zip(entries: Mapping[str, bytes]) -> bytes:
    """The same entries always give the same bytes (for checksums and downloads alike)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as packed:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # unix; the default depends on the platform writing it
            info.external_attr = 0o644 << 16
            packed.writestr(info, entries[name], compresslevel=6)
    return buffer.getvalue()
