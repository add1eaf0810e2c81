"""Make numba's on-disk cache of shared.sim expire when any file of the package changes.

Numba stamps a cached function with a hash of its own source file only, so a kernel that
calls helpers from another module would load stale machine code after the helper changed
(numba issue #6845). These locators stamp every shared.sim kernel with one hash of all the
package's sources instead. Installed once, before any kernel is decorated.
"""

from __future__ import annotations

import functools
import hashlib
import os
from typing import Any

from numba.core import caching

_HERE = os.path.dirname(os.path.abspath(__file__))


@functools.cache
def package_digest() -> bytes:
    """SHA-256 over the names and contents of every .py file in shared/sim."""
    digest = hashlib.sha256()
    for name in sorted(os.listdir(_HERE)):
        if name.endswith(".py"):
            digest.update(name.encode())
            with open(os.path.join(_HERE, name), "rb") as source:
                digest.update(source.read())
    return digest.digest()


class _PackageStamp:
    """Locator mixin: applies to shared.sim files only; the stamp is the package digest."""

    def get_source_stamp(self) -> bytes:
        return package_digest()

    @classmethod
    def from_function(cls, py_func: Any, py_file: str) -> Any:
        if os.path.dirname(os.path.abspath(py_file)) != _HERE:
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
