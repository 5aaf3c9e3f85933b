"""The classifier's passes, rewritten for speed, held to the plain definitions they stand in for."""

from __future__ import annotations

import random

from dedup.clean.blocks import Block, _words_inside


def _inside_by_definition(blocks: list[Block], long: list[int], parts: list[int]) -> list[int]:
    """For each long line, the words of the other parts that its text holds: each part tried on each line."""
    return [sum(blocks[j].size for j in parts if j != i and blocks[j].text in blocks[i].text) for i in long]


def test_the_words_a_long_line_holds_are_counted_as_each_part_tried_on_each_line_counts_them() -> None:
    rng = random.Random(23)
    # Few short words, and line breaks among them: parts turn up in lines, twice in one, and across two
    # lines where the search joins them with a line break.
    words = ["a", "b", "ab", "ba", "\n", "a\nb", "b\n"]
    for _ in range(3000):
        texts = [" ".join(rng.choices(words, k=rng.randint(1, 12))) for _ in range(rng.randint(1, 12))]
        texts += [rng.choice(texts)] * rng.randint(0, 2)  # a paragraph printed twice
        blocks = [Block(text, size=rng.randint(0, 200)) for text in texts]
        order = list(range(len(blocks)))
        long = sorted(rng.sample(order, rng.randint(1, len(order))))
        parts = sorted(rng.sample(order, rng.randint(0, len(order))))
        assert _words_inside(blocks, long, parts) == _inside_by_definition(blocks, long, parts), texts
