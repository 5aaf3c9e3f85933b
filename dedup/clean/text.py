"""Cleaning plain text that a scraper already flattened: one block a line."""

from __future__ import annotations

from dedup.clean.blocks import Block, Verdict, classify


def blocks_of(text: str) -> list[Block]:
    """A flattened page's non-empty lines, as blocks."""
    return [Block(line) for line in text.splitlines() if line.strip()]


def clean_text(text: str) -> Verdict:
    """The article in a flattened page, and the clutter around it."""
    return classify(blocks_of(text))
