"""Indexes of signatures that answer "which articles seen before might this one copy?"."""

from __future__ import annotations

from dedup.index.base import Index
from dedup.index.memory import LSH_THRESHOLD, TOPIC_THRESHOLD, MemoryIndex

__all__ = ["LSH_THRESHOLD", "TOPIC_THRESHOLD", "Index", "MemoryIndex"]
