"""One exception family: every message names the input and the problem."""

from __future__ import annotations


class DedupError(Exception):
    """Base of every error dedup raises on purpose."""


class InputError(DedupError):
    """An input could not be read as an article (it is skipped, and the run goes on)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class UsageError(DedupError):
    """The caller asked for something that cannot be done (a bad option, an unknown format)."""
