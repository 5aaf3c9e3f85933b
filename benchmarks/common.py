"""What every benchmark here shares: the record of what was measured."""

from __future__ import annotations

import sys
from importlib.metadata import PackageNotFoundError, version


def versions(*packages: str) -> dict[str, str]:
    """Python's version and each package's, so a figure can be traced to what produced it."""
    found = {"python": sys.version.split()[0]}
    for package in packages:
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = "not installed"
    return found
