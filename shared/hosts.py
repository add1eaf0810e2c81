"""Host names and web origins, parsed one way for the settings and for the request checks.

A browser names the site a request goes to in Host, and the site whose page sent it in Origin (or
Referer). Comparing Host with our own names stops DNS rebinding; comparing Origin with Host stops
cross-site writes. Pure: text in, normalised values out (lower case, no brackets, ports said).
"""

from __future__ import annotations

import ipaddress
import re
from typing import NamedTuple
from urllib.parse import urlsplit

DEFAULT_PORTS = {"http": 80, "https": 443}
ANY_HOST = "*"
_NAME = re.compile(r"[a-z0-9_-]+(\.[a-z0-9_-]+)*")  # dot-separated labels, as browsers send them


class Origin(NamedTuple):
    """scheme://host:port of a web page, with the port always filled in."""

    scheme: str
    host: str
    port: int

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        port = "" if DEFAULT_PORTS[self.scheme] == self.port else f":{self.port}"
        return f"{self.scheme}://{host}{port}"


def split_authority(authority: str) -> tuple[str, int | None] | None:
    """`host[:port]`, as in a Host header, as (host, port or None); None when it is malformed."""
    text = authority.strip().lower()
    if text.startswith("["):
        host, bracket, rest = text[1:].partition("]")
        if not bracket or ":" not in host:
            return None
    elif text.count(":") > 1:  # a bare IPv6 address: without brackets it cannot carry a port
        host, rest = text, ""
    else:
        host, colon, port = text.partition(":")
        rest = colon + port
    name = _host_name(host)
    if name is None:
        return None
    if not rest:
        return name, None
    digits = rest[1:]
    if rest[0] != ":" or not (digits.isascii() and digits.isdigit()) or not 0 < int(digits) < 2**16:
        return None
    return name, int(digits)


def host_name(authority: str) -> str | None:
    """The host of `host[:port]` without its port ('[::1]:8000' -> '::1'); None when malformed."""
    split = split_authority(authority)
    return split[0] if split else None


def origin_of(url: str) -> Origin | None:
    """The origin of a URL (an Origin or Referer header); None for 'null' or anything not http(s)."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    # A browser never puts user:password@ in Origin or Referer; one that does is a disguise.
    if scheme not in DEFAULT_PORTS or "@" in parts.netloc:
        return None
    authority = split_authority(parts.netloc)
    if authority is None:
        return None
    host, port = authority
    return Origin(scheme, host, port or DEFAULT_PORTS[scheme])


def is_same_origin(origin: Origin, host_header: str) -> bool:
    """Whether `origin` is the site the request was sent to (its Host), by host name and port.

    Host carries no scheme, and a proxy that ends TLS in front of us turns https into http, so
    only names and ports are compared; a port left out is the origin's scheme's default on both.
    """
    authority = split_authority(host_header)
    if authority is None:
        return False
    host, port = authority
    return (origin.host, origin.port) == (host, port or DEFAULT_PORTS[origin.scheme])


def comma_list(value: object) -> object:
    """'a, b,,c' -> ['a', 'b', 'c']: how a list arrives from the environment; lists pass as they are."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


def allowed_host_entry(entry: str) -> str:
    """One ALLOWED_HOSTS entry, normalised: a host name (its port dropped) or '*'."""
    if entry.strip() == ANY_HOST:
        return ANY_HOST
    name = None if "/" in entry else host_name(entry)
    if name is None:
        raise ValueError(
            f"ALLOWED_HOSTS: {entry!r} is not a host name; list host names only, without scheme "
            "or path (a port is ignored), e.g. ALLOWED_HOSTS=trade.example.com,10.0.0.5"
        )
    return name


def allowed_origin_entry(entry: str) -> str:
    """One ALLOWED_ORIGINS entry, normalised to scheme://host[:port]."""
    origin = origin_of(entry)
    try:
        parts = urlsplit(entry.strip())
    except ValueError:
        origin = None
    if origin is None or parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ValueError(
            f"ALLOWED_ORIGINS: {entry!r} is not a web origin; write each as scheme://host[:port], "
            "e.g. ALLOWED_ORIGINS=https://dash.example.com,http://localhost:5173"
        )
    return str(origin)


def _host_name(host: str) -> str | None:
    host = host.removesuffix(".")  # 'localhost.' is the fully qualified 'localhost'
    if ":" in host:
        try:
            return ipaddress.IPv6Address(host).compressed
        except ValueError:
            return None
    return host if _NAME.fullmatch(host) else None
