"""The cheap tests that spare lines a pattern, held to the patterns and definitions they stand in for."""

from __future__ import annotations

import random
import re
from itertools import pairwise

from dedup.clean import vocab
from dedup.clean.blocks import CAPTION_INITIALS, PUNCTUATED, TAG_LIST, _caption_start, _is_tag_list, is_doubled

CAPTION_TAILS = ["in this photo", "this image", "file photo", "file - x", "photo: x", "image: x", "picture: x"]
CAPTION_TAILS += ["foto: x", "bild: x", "photo credit", "pictured: x", "caption: x", "x"]


def _taken_for(letters: str) -> set[str]:
    """The characters of the Basic Multilingual Plane (where all of them are) that case-insensitive matching takes
    for one of these letters."""
    return {
        char
        for char in map(chr, range(0x10000))
        if char.isalpha() and any(re.fullmatch(letter, char, re.IGNORECASE) for letter in letters)
    }


def test_a_line_spared_the_caption_pattern_by_its_first_letter_is_one_the_pattern_cannot_match() -> None:
    assert _taken_for("itfpbc") <= CAPTION_INITIALS  # "İn this photo" is a caption to the pattern
    rng = random.Random(3)
    words = [chr(code) for code in range(0x10000) if chr(code).isalnum() or chr(code) == "_"]
    firsts = sorted(CAPTION_INITIALS) + rng.sample(words, 3000) + list("—(•«'\" ")
    for first in firsts:
        for tail in CAPTION_TAILS:
            text = first + tail[1:]
            assert _caption_start(text) == (vocab.CAPTION_START.match(text) is not None), text
            text = first + tail
            assert _caption_start(text) == (vocab.CAPTION_START.match(text) is not None), text


def _doubled(text: str) -> bool:
    """One text printed twice, by definition: two equal halves, or two with one space between."""
    if len(text) < 40:
        return False
    half = len(text) // 2
    return text[:half] == text[-half:] and (len(text) % 2 == 0 or text[half] == " ")


def test_doubled_lines_are_found_as_their_definition_finds_them() -> None:
    rng = random.Random(7)
    words = ["Pictured", "a", "man", "walks", "Mann", "x", "the", "AP", "über", "—", "ab", "ba"]
    for _ in range(20_000):
        half = " ".join(rng.choice(words) for _ in range(rng.randint(1, 12)))
        other = half if rng.random() < 0.5 else half[:-1] + rng.choice("ab ")
        text = half + rng.choice(["", " ", "  "]) + other
        assert is_doubled(text) == _doubled(text), text


def _tag_list(text: str, n: int) -> bool:
    """A tag cloud, by definition: 25 to 120 words, no punctuation, their initials mostly in alphabetical order."""
    if not TAG_LIST[0] <= n <= TAG_LIST[1] or PUNCTUATED.search(text):
        return False
    initials = [word[0] for word in text.casefold().split() if word[0].isalpha()]
    rises = sum(a < b for a, b in pairwise(initials))
    return rises >= 5 and rises >= 3 * sum(a > b for a, b in pairwise(initials))


def test_a_tag_list_is_found_as_its_definition_finds_it_whatever_marks_its_words_hold() -> None:
    rng = random.Random(11)
    marks = [",", ".", ";", "!", "。", "，", "-", "'", "", "", "", ""]
    for _ in range(5_000):
        n = rng.randint(TAG_LIST[0] - 2, TAG_LIST[0] + 10)
        words = sorted(
            f"{chr(97 + rng.randrange(26))}{rng.choice(marks) if rng.random() < 0.05 else ''}x" for _ in range(n)
        )
        text = " ".join(words)
        assert _is_tag_list(text, n) == _tag_list(text, n), text
