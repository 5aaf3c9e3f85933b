"""The vocabulary's gates: a line's words, gathered a page at a time."""

from __future__ import annotations

from dedup.clean.vocab import NO_WORDS, WANTED, tokens, tokens_of


def _kept(line: str) -> frozenset[str]:
    """What `tokens_of` keeps of a line's words, by definition: those a rule looks for, "" for all the others."""
    words = tokens(line)
    if words.isdisjoint(WANTED):
        return NO_WORDS
    return (words & WANTED) | ({""} if words - WANTED else frozenset())


def test_a_page_tokenised_at_once_gives_each_line_the_words_rules_look_for_or_none() -> None:
    lines = [
        "Teilen: Facebook, E-Mail",
        "Der Kanzler sprach lange über den Haushalt.",
        "Partager sur Twitter",
        "Lo más leído",
        "Share this article on Twitter",
        "",
    ]
    found = tokens_of([line.lower() for line in lines])
    assert found == [_kept(line) for line in lines]
    assert found[0] == tokens(lines[0])  # every word one a rule looks for: all kept
    assert found[2] == {"partager", "twitter", ""}  # "sur" is no word a rule looks for
    assert found[4] == tokens(lines[4])
    assert found[1] == found[5] == NO_WORDS
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
