"""The cleaner: what on a scraped page is article (headline, dateline, body, subheads, quotes) and what is clutter."""

from __future__ import annotations

from dedup.clean.blocks import Verdict
from dedup.clean.cleaner import clean, clean_many, clean_stream

__all__ = ["Verdict", "clean", "clean_many", "clean_stream"]
