"""The vocabulary's gates: a line's words, gathered a page at a time."""

from __future__ import annotations

from dedup.clean.vocab import NO_WORDS, tokens, tokens_of


def test_a_page_tokenised_at_once_gives_each_line_its_words_or_none_when_no_rule_asks() -> None:
    lines = [
        "Teilen: Facebook, E-Mail",
        "Der Kanzler sprach lange über den Haushalt.",
        "Partager sur Twitter",
        "Lo más leído",
        "",
    ]
    found = tokens_of([line.lower() for line in lines])
    assert found == [tokens(lines[0]), NO_WORDS, tokens(lines[2]), tokens(lines[3]), NO_WORDS]
    assert tokens_of([]) == []


def test_punctuation_beyond_ascii_splits_words_and_broken_text_passes_through() -> None:
    assert tokens("«Teilen»—Drucken…E-Mail “Share” ‘x’ • a·b") == {
        "teilen",
        "drucken",
        "e",
        "mail",
        "share",
        "x",
        "a",
        "b",
    }
    assert tokens("Share\ud800, now") == {"share\ud800", "now"}  # a lone surrogate is kept, not an error
