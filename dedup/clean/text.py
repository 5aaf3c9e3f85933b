"""Cleaning plain text that a scraper already flattened: one block a line.

Some texts come hard-wrapped (an e-mail, a wire feed, a terminal dump): every paragraph is broken
into lines of about the same width, and no line of it looks like prose alone. Those lines are
joined back into paragraphs first.
"""

from __future__ import annotations

from dedup.clean.blocks import BULLET_CHARS, Block, Memo, ends_sentence, measured

# A text is hard-wrapped when most of its lines reach close to one width, and that width is a
# terminal's or a mail client's, not a paragraph's.
WRAP_WIDTHS = (40, 100)
WRAPPED_SHARE = 0.4  # of lines near the width (a two-line paragraph has one), and of those broken mid-sentence
NEAR_WIDTH = 0.7
MIN_LINES = 6


def blocks_of(text: str, memo: Memo) -> list[Block]:
    """A flattened page's non-empty lines, as judged blocks; hard-wrapped paragraphs joined first.

    `memo` holds the blocks of the lines its run met before: a page's template lines come from there.
    """
    lines = text.splitlines()
    width = wrap_width(lines)
    if width:
        lines = unwrapped(lines, width)
    return measured(lines, memo)


def wrap_width(lines: list[str]) -> int | None:
    """The width a text is hard-wrapped at, or None when its lines are paragraphs already."""
    if len(max(lines, key=len, default="").strip()) > 1.2 * WRAP_WIDTHS[1]:
        return None  # a line longer than any wrapped one (most pages): no need to measure the others
    lengths = sorted(map(len, filter(None, map(str.strip, lines))))
    if len(lengths) < MIN_LINES:
        return None
    width = lengths[int(0.9 * (len(lengths) - 1))]
    if not WRAP_WIDTHS[0] <= width <= WRAP_WIDTHS[1] or lengths[-1] > 1.2 * width:
        return None
    near = [text for text in (line.strip() for line in lines) if len(text) >= NEAR_WIDTH * width]
    # Wrapping breaks lines mid-sentence; paragraphs that merely have one length end in a full stop.
    broken = sum(not ends_sentence(text) for text in near)
    return width if len(near) >= WRAPPED_SHARE * len(lengths) and broken >= WRAPPED_SHARE * len(near) else None


def unwrapped(lines: list[str], width: int) -> list[str]:
    """Lines joined into paragraphs: a line that reaches near the width goes on in the next one."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines:
        text = line.strip()
        if current and (not text or text[0] in BULLET_CHARS):
            paragraphs.append(" ".join(current))
            current = []
        if text:
            current.append(text)
        if current and len(text) < NEAR_WIDTH * width:
            paragraphs.append(" ".join(current))  # a short line ends its paragraph
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs
