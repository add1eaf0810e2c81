"""Turn the path a client sent into the path the owning service gets, or refuse it.

The gateway must forward a route shape, never a location: a client's `..%2f..%2fmetrics` decodes
to a path that climbs out of /api/v1 on the service and reaches its private routes (/metrics,
/readyz, /openapi.json). So the path is split on the slashes the client actually typed, each
segment is decoded once and checked, and the upstream path is built by re-encoding the segments.
"""

from __future__ import annotations

import posixpath
import unicodedata
from urllib.parse import quote, unquote, unquote_to_bytes

from shared.errors import NotFound

API_ROOT = ("api", "v1")
# Characters a path segment may hold literally (RFC 3986 pchar); everything else is %-encoded.
SEGMENT_SAFE = "!$&'()*+,;=:@"


def upstream_path(raw_path: bytes, resource: str) -> str:
    """The percent-encoded path to send to the service owning `resource`; NotFound when unsafe."""
    shown = raw_path.decode("ascii", "backslashreplace")
    raw_parts = raw_path.removeprefix(b"/").split(b"/")
    segments = [_decode_segment(part, number, shown) for number, part in enumerate(raw_parts, 1)]
    if tuple(segments[:2]) != API_ROOT or segments[2:3] != [resource]:
        raise NotFound(f"path {shown} is not under /api/v1/{resource}", field="path")
    path = "/" + "/".join(quote(segment, safe=SEGMENT_SAFE) for segment in segments)
    _check_stays_inside(path, resource, shown)
    return path


def _decode_segment(raw: bytes, number: int, shown: str) -> str:
    where = f"path segment {number} of {shown}"
    try:
        segment = unquote_to_bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        raise NotFound(
            f"{where} is not UTF-8 once decoded; encode text as UTF-8", field="path"
        ) from None
    if segment == "":
        raise NotFound(f"{where} is empty; remove the doubled or trailing '/'", field="path")
    if segment in (".", ".."):
        raise NotFound(f"{where} is {segment!r}; relative segments are not allowed", field="path")
    if "/" in segment or "\\" in segment:
        raise NotFound(
            f"{where} holds an encoded slash or backslash; an id cannot contain one", field="path"
        )
    if any(unicodedata.category(char) == "Cc" for char in segment):
        raise NotFound(f"{where} holds a control character; remove it", field="path")
    return segment


def _check_stays_inside(path: str, resource: str, shown: str) -> None:
    # Defence in depth: whatever the checks above miss, the path must not climb out of its root.
    root = f"/{'/'.join(API_ROOT)}/{resource}"
    normalised = posixpath.normpath(unquote(path))
    if normalised != root and not normalised.startswith(root + "/"):
        raise NotFound(f"path {shown} leaves {root} once normalised", field="path")
