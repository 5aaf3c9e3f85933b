"""House style never changes the words a copy is matched on; quotes and paragraphs are tracked."""

from __future__ import annotations

import re

import pytest

from dedup.normalise import _folded, _split, _word_starts, fold, tokens, words


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
    folded, codes, kinds = _folded(every)
    assert _split(codes, kinds, "%" in folded) == re.findall(r"\w+|%", fold(every))
    assert len(_word_starts(kinds)) == len(re.findall(r"\w+|%", fold(every)))


def test_a_quote_opened_at_the_end_of_a_line_does_not_run_into_the_next() -> None:
    found = words("He said the end.”\nThe council voted.")
    assert found.words[-3:] == ["the", "council", "voted"]
    assert found.quoted[-3:] == [False, False, False]


def test_odd_input_never_breaks_the_words() -> None:
    assert words("said 」 hi 』").words == ["said", "hi"]  # closing brackets with nothing open
    assert words("x\ud800y").words == ["x", "y"]  # a lone surrogate, as broken JSON escapes give
