"""Make numba's on-disk cache of a kernel package expire when any file it builds on changes.

Numba stamps a cached function with a hash of its own source file only, so a kernel that
calls helpers from another module would load stale machine code after the helper changed
(numba issue #6845). These locators stamp every kernel of a registered package with one hash of
the package's sources and of the packages it inlines (shared.rl inlines shared.sim's order
functions). shared.sim registers itself; install before any kernel is decorated.
"""

from __future__ import annotations

import functools
import hashlib
import os
from typing import Any

from numba.core import caching

_HERE = os.path.dirname(os.path.abspath(__file__))
_DEPENDS: dict[str, tuple[str, ...]] = {_HERE: ()}
"""A registered package folder -> the folders of the packages its kernels inline."""


def register(package_dir: str, *depends_on: str) -> None:
    """Stamp `package_dir`'s kernels with its sources and those of `depends_on` (registered)."""
    _DEPENDS[os.path.abspath(package_dir)] = tuple(os.path.abspath(d) for d in depends_on)


@functools.cache
def _digest(package_dir: str) -> bytes:
    digest = hashlib.sha256(b"".join(_digest(d) for d in _DEPENDS[package_dir]))
    for name in sorted(os.listdir(package_dir)):
        if name.endswith(".py"):
            digest.update(name.encode())
            with open(os.path.join(package_dir, name), "rb") as source:
                digest.update(source.read())
    return digest.digest()


def package_digest() -> bytes:
    """SHA-256 over the names and contents of every .py file in shared/sim."""
    return _digest(_HERE)


class _PackageStamp:
    """Locator mixin: applies to registered packages only; the stamp is the package's digest."""

    _py_file: str  # set by numba's source-file-backed locators

    def get_source_stamp(self) -> bytes:
        return _digest(os.path.dirname(os.path.abspath(self._py_file)))

    @classmethod
    def from_function(cls, py_func: Any, py_file: str) -> Any:
        if os.path.dirname(os.path.abspath(py_file)) not in _DEPENDS:
            return None
        return super().from_function(py_func, py_file)  # type: ignore[misc]


class _UserProvided(_PackageStamp, caching.UserProvidedCacheLocator):
    pass


class _InTree(_PackageStamp, caching.InTreeCacheLocator):
    pass


class _UserWide(_PackageStamp, caching.UserWideCacheLocator):
    pass


def install() -> None:
    """Put the package locators ahead of numba's own (same order of preference)."""
    classes = caching.CacheImpl._locator_classes
    if _InTree not in classes:
        classes[0:0] = [_UserProvided, _InTree, _UserWide]
