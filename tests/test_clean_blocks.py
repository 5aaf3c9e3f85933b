"""The classifier's passes, rewritten for speed, held to the plain definitions they stand in for."""

from __future__ import annotations

import random
import re

from dedup.clean import vocab
from dedup.clean.blocks import Block, _has_position, _middle, _words_inside, is_short


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


POSITIONS = ["left", "right", "centre", "center", "second from left", "second from right", "top", "bottom"]
POSITIONS += ["foreground", "background", "links", "rechts", "à gauche", "à droite", "izquierda", "derecha"]
POSITIONS += ["a la izquierda", "a la derecha"]


def _recased(rng: random.Random, text: str) -> str:
    """A text with some letters in the other case, or swapped for one case-insensitive matching takes for them."""
    others = {"i": "İı", "s": "ſ", "k": "\u212a"}
    return "".join(
        rng.choice([char, char.upper(), *others.get(char, "")]) if rng.random() < 0.3 else char for char in text
    )


def test_a_line_spared_the_position_pattern_is_one_it_cannot_match() -> None:
    firsts = {phrase[0] for phrase in POSITIONS}
    places = {char for char in map(chr, range(0x10000)) if vocab.POSITION_PLACE.fullmatch(f", {char}xx, ")}
    assert {char for char in map(chr, range(0x10000)) if any(re.fullmatch(f, char, re.I) for f in firsts)} <= places
    rng = random.Random(31)
    words = ["the", "minister", "said", ",", ", ", ",,", "x", "Mark Esper", "and", "shake", "hands", "ßtraße"]
    for _ in range(30000):
        parts = rng.choices(words, k=rng.randint(0, 12))
        for _ in range(rng.randint(0, 2)):
            position = _recased(rng, rng.choice(POSITIONS))
            parts.insert(rng.randint(0, len(parts)), rng.choice([f", {position}, ", f",{position},", f", {position},"]))
        text = " ".join(parts)
        assert _has_position(text) == (vocab.CAPTION_POSITION.search(text) is not None), text


def _middle_by_definition(blocks: list[Block], reasons: list[str | None], first: int, last: int) -> list[str | None]:
    """Short lines inside the body, by definition: three or more in a row (list items apart) are a menu; then any
    short line left of one word in lower case is a stray token."""
    marked = list(reasons)
    run: list[int] = []
    for i in range(first, last + 2):
        if i <= last and not marked[i] and is_short(blocks[i]) and not blocks[i].bullet:
            run.append(i)
            continue
        if len(run) >= 3:
            for j in run:
                marked[j] = "nav"
        run = []
    for i in range(first, last + 1):
        text = blocks[i].text
        if not marked[i] and is_short(blocks[i]) and len(text.split()) == 1 and text.islower():
            marked[i] = "stray"
    return marked


def test_short_lines_inside_the_body_are_marked_as_their_definition_marks_them() -> None:
    rng = random.Random(37)
    texts = ["x", "X", "word", "Word", "two words", "ends.", "a b c", "• x", "• item", "long line of words here."]
    for _ in range(5000):
        blocks = []
        for _ in range(rng.randint(0, 14)):
            text = rng.choice(texts)
            blocks.append(Block(text, bullet=text.startswith("•") or rng.random() < 0.05, size=len(text.split())))
        reasons = [rng.choice([None] * 4 + ["nav", "teaser"]) for _ in blocks]
        first = rng.randint(0, len(blocks))
        last = rng.randint(first - 1, len(blocks) - 1)
        expected = _middle_by_definition(blocks, reasons, first, last)
        _middle(blocks, reasons, first, last)
        assert reasons == expected
