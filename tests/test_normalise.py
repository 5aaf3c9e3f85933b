"""House style never changes the words a copy is matched on; quotes and paragraphs are tracked."""

from __future__ import annotations

import random
import re

import pytest

from dedup.normalise import (
    _CLOSERS,
    _PERCENT_ONE,
    _PERCENT_TWO,
    CLOSING_SINGLE,
    DOUBLE_MARKS,
    HONORIFICS,
    MONTHS,
    OPENING_SINGLE,
    PERCENT,
    SPELLING,
    WEEKDAYS,
    Words,
    fold,
    tokens,
    word_hashes,
    words,
)
from dedup.sign import word_hash

# The definition `words` is held to, written plainly: a regular expression over each folded line,
# a loop over its characters for the quotes, and the date and percent rewriting word by word.
_WORD = re.compile(r"\w+|%")
_DAY = re.compile(r"\d{1,2}(?:st|nd|rd|th|er)?")
_YEAR = re.compile(r"(?:1[89]|2[01])\d\d")
_SPECIAL = MONTHS | WEEKDAYS | _PERCENT_ONE | _PERCENT_TWO.keys()


def reference_words(text: str) -> Words:
    """`words` as regular expressions and loops over characters and words say it."""
    lines = [line for line in text.split("\n") if line.strip()]
    found, paragraph, quoted = [], [], []
    for number, line in enumerate(fold("\n".join(lines)).split("\n")):
        inside = _quoted_from(line)
        kept = [(m.group(), inside[m.start()]) for m in _WORD.finditer(line) if m.group() not in HONORIFICS]
        line_words, flags = _house_free([SPELLING.get(word, word) for word, _ in kept], [flag for _, flag in kept])
        found += line_words
        quoted += flags
        paragraph += [number] * len(line_words)
    return Words(found, paragraph, quoted, len(lines))


def _quoted_from(line: str) -> list[bool]:
    """For each character of a line, whether a quotation is open where it stands."""
    inside, closers = [], ""
    for at, char in enumerate(line):
        inside.append(bool(closers))
        before = line[at - 1] if at else " "
        after = line[at + 1] if at + 1 < len(line) else " "
        opening = char in OPENING_SINGLE and not _is_word(before) and after.isalnum() and not after.isdecimal()
        closing = char in CLOSING_SINGLE and not _is_word(after) and not opening
        if not (char in DOUBLE_MARKS or opening or closing):
            continue
        if closers and char in closers:
            closers = ""
        elif not closers and not closing and char in _CLOSERS:
            closers = _CLOSERS[char]
    return inside


def _is_word(char: str) -> bool:
    """Whether a character is one that \\w matches (letters and digits of every script, "_")."""
    return char.isalnum() or char == "_"


def _house_free(kept: list[str], quoted: list[bool]) -> tuple[list[str], list[bool]]:
    """A line's words with its dates dropped and its percents written one way, with their quote flags."""
    out: list[str] = []
    flags: list[bool] = []
    done = 0
    for at in [at for at, word in enumerate(kept) if word in _SPECIAL]:
        if at < done:
            continue
        edit = _rewrite(kept, done, at)
        if edit is None:
            continue
        start, end, replaced = edit
        out += kept[done:start]
        flags += quoted[done:start]
        if replaced:
            out.append(replaced)
            flags.append(quoted[at])
        done = end
    return out + kept[done:], flags + quoted[done:]


def _rewrite(kept: list[str], done: int, i: int) -> tuple[int, int, str] | None:
    """The span of words the special word at `i` takes and the word put in their place, or None."""
    word = kept[i]
    if word in WEEKDAYS:
        return i, i + 1, ""
    if word in MONTHS and ((before := _days_before(kept, done, i)) or _days_after(kept, i)):
        step = 1 + (0 if before else _days_after(kept, i))
        return i - before, i + step + _year_at(kept, i + step), ""
    if word in _PERCENT_ONE:
        return i, i + 1, PERCENT
    if i + 1 < len(kept) and _PERCENT_TWO.get(word) == kept[i + 1]:
        return i, i + 2, PERCENT
    return None


def _days_before(kept: list[str], done: int, i: int) -> int:
    """How many of the words just before a month at `i` are its day: "20", "3 4", "20 of"."""
    link = i - 1 >= done and kept[i - 1] in ("of", "de")
    days = 0
    while days < 2 and i - 1 - link - days >= done and _DAY.fullmatch(kept[i - 1 - link - days]):
        days += 1
    return link + days if days else 0


def _days_after(kept: list[str], i: int) -> int:
    """How many day numbers follow a month at `i`: "March 3", "March 3-4"."""
    days = 0
    while days < 2 and i + 1 + days < len(kept) and _DAY.fullmatch(kept[i + 1 + days]):
        days += 1
    return days


def _year_at(kept: list[str], j: int) -> int:
    """How many words at `j` are a date's year: "2024", "de 2024", or none."""
    if j < len(kept) and _YEAR.fullmatch(kept[j]):
        return 1
    if j + 1 < len(kept) and kept[j] == "de" and _YEAR.fullmatch(kept[j + 1]):
        return 2
    return 0


@pytest.mark.parametrize(
    ("wire", "reprint"),
    [
        ("Mr Kim met Dr Putin.", "Kim met Putin."),
        ("He travelled to the centre to defend the programme.", "He traveled to the center to defend the program."),
        ("The car arrived on Feb 20, officials said.", "The car arrived on Tuesday, officials said."),
        ("The car arrived on 20 February 2024.", "The car arrived on February 20, 2024."),
        ("Prices rose 5 per cent to 1,250 won.", "Prices rose 5% to 1250 won."),
        ("Die Preise stiegen um 5 Prozent am 20. Februar.", "Die Preise stiegen um 5 % am Dienstag."),
        ("“A gift,” she said — again.", '"A gift," she said - again.'),
        ("KCNA SAID", "kcna said"),
    ],
)
def test_house_style_variants_read_alike(wire: str, reprint: str) -> None:
    assert tokens(wire) == tokens(reprint)


def test_different_stories_still_differ() -> None:
    assert tokens("The car arrived on Feb 20.") != tokens("The plane arrived on Feb 20.")
    assert tokens("5 percent") != tokens("6 percent")


def test_words_inside_quotation_marks_are_flagged_in_any_script() -> None:
    for text in (
        "He said “a clear gift” today",
        'He said "a clear gift" today',
        "He said ‘a clear gift’ today",
        "He said 'a clear gift' today",
        "Il a dit « un cadeau clair » hier",
        "Er sagte »ein klares Geschenk« heute",
        "Er sagte „ein klares Geschenk“ heute",
    ):
        found = words(text)
        flagged = [word for word, quoted in zip(found.words, found.quoted, strict=True) if quoted]
        assert len(flagged) == 3, text
        assert not found.quoted[0] and not found.quoted[-1]


def test_apostrophes_never_open_or_close_a_quote() -> None:
    found = words("It's Kim's car, and the Kims' car, in the '90s.")
    assert not any(found.quoted)


def test_a_day_belongs_to_one_date_only() -> None:
    us = tokens("Talks were held on March 3, April 4 and May 5 in Geneva, and on March 3-4.")
    uk = tokens("Talks were held on 3 March, 4 April and 5 May in Geneva, and on 3-4 March.")
    assert us == uk == ["talks", "were", "held", "on", "and", "in", "geneva", "and", "on"]


def test_an_unclosed_quote_ends_with_its_paragraph() -> None:
    found = words("“We will go on,\nhe said later")
    assert found.quoted == [True, True, True, True, False, False, False]


def test_paragraphs_are_numbered_skipping_blank_lines() -> None:
    found = words("First one.\n\nSecond one here.\n   \nThird.")
    assert found.paragraph == [0, 0, 1, 1, 1, 2]
    assert found.paragraphs == 3


def test_words_are_cut_where_the_regular_expression_cuts_them_in_every_script() -> None:
    every = "".join(chr(c) for c in range(32, 0x10000) if not 0xD800 <= c < 0xE000) + " 𝐀𝐁 x😀y 5%% 1,000,000"
    assert words(every) == reference_words(every)
    assert words(every).words[-4:] == ["5", "percent", "percent", "1000000"]


def test_words_match_the_plain_definition_on_odd_text() -> None:
    pieces = [
        *"aAzZ5_ .,'’‘‚\"“”„‟«»「」『』%\n\t",
        "'_",
        "‘_",
        "\u00a0",
        "\u202f",
        "\u3000",
        "\ud800",
        "\U0001d400",
        "\U00010428",
    ]
    pieces += ["Mr", "mr.", "Dr", "m", "per", "cent", "pour", "por", "ciento", "pct", "Prozent", "may", "Mar", "Feb"]
    pieces += ["20", "3rd", "1er", "2024", "1999", "de", "of", "Tuesday", "lundi", "märz", "travelled", "colour"]
    pieces += ["1,000", "1.000", "1'000", "12,3456", "٣", "２", "ﬁ", "İ", "ß", "e\u0301", "東京", "ǅ", "²"]
    rng = random.Random(7)
    for _ in range(4000):
        text = "".join(rng.choice(pieces) + rng.choice(["", " ", " "]) for _ in range(rng.randint(0, 40)))
        assert words(text) == reference_words(text), repr(text)


def test_words_match_the_plain_definition_on_news_prose() -> None:
    text = (
        "WASHINGTON (Reuters) - Mr Biden said on Tuesday, Feb 20, that prices rose 5 per cent to 1,250 won.\n\n"
        "\"We travelled to the centre,\" she said. 'It's the Kims' car,' he said in the '90s, «oui».\n"
        "Am 20. Februar 2024 stiegen die Preise um 5 Prozent; el 3 de marzo de 2021 subieron un 4 por ciento."
    )
    assert words(text) == reference_words(text)
    assert "percent" in words(text).words and "traveled" in words(text).words


def test_word_hashes_are_the_hashes_of_the_words() -> None:
    text = "Mr Kim’s “gift” — 5 per cent on Feb 20, colour 𝐀x😀y 1,000 \ud800 ünïcödé"
    found, hashed = words(text), word_hashes(text)
    assert hashed.hashes.tolist() == [word_hash(word) for word in found.words]
    assert hashed.paragraph.tolist() == found.paragraph and hashed.quoted.tolist() == found.quoted
    assert hashed.paragraphs == found.paragraphs


def test_a_quote_opened_at_the_end_of_a_line_does_not_run_into_the_next() -> None:
    found = words("He said the end.”\nThe council voted.")
    assert found.words[-3:] == ["the", "council", "voted"]
    assert found.quoted[-3:] == [False, False, False]


def test_odd_input_never_breaks_the_words() -> None:
    assert words("said 」 hi 』").words == ["said", "hi"]  # closing brackets with nothing open
    assert words("x\ud800y").words == ["x", "y"]  # a lone surrogate, as broken JSON escapes give
