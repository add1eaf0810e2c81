"""Make numba's on-disk cache of shared.rl expire when shared.rl or shared.sim changes.

The RL kernels inline the engine's order functions (shared.sim.execution, book, costs), so a
cached kernel must be rebuilt when any of those files change, not only its own (numba issue
#6845; shared.sim.jit_cache does the same for the engine's own kernels).
"""

from __future__ import annotations

import functools
import hashlib
import os
from typing import Any

from numba.core import caching

from shared.sim.jit_cache import package_digest as sim_digest

_HERE = os.path.dirname(os.path.abspath(__file__))


@functools.cache
def package_digest() -> bytes:
    """SHA-256 over shared.sim's digest and the names and contents of shared/rl's .py files."""
    digest = hashlib.sha256(sim_digest())
    for name in sorted(os.listdir(_HERE)):
        if name.endswith(".py"):
            digest.update(name.encode())
            with open(os.path.join(_HERE, name), "rb") as source:
                digest.update(source.read())
    return digest.digest()


class _PackageStamp:
    """Locator mixin: applies to shared/rl files only; the stamp is the combined digest."""

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
    """Put these locators ahead of numba's own (same order of preference)."""
    classes = caching.CacheImpl._locator_classes
    if _InTree not in classes:
        classes[0:0] = [_UserProvided, _InTree, _UserWide]
