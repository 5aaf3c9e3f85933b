"""The names an article mentions: capitalised words that do not open a sentence, in one form."""

from __future__ import annotations

import random
import re
import unicodedata

from dedup.names import NOT_NAMES, names

# The definition `names` is held to, written plainly: words by a regular expression, sentence by sentence.
_WORD_OR_BREAK = re.compile(r"[^\W\d_][\w'’-]*|(?<=[.!?…:])\s+|\n")


def reference_names(text: str) -> set[str]:
    """`names` as a regular expression and a loop over words say it."""
    found: set[str] = set()
    sentences: list[list[str]] = [[]]
    for token in _WORD_OR_BREAK.findall(text):
        if token[0].isspace():
            sentences.append([])
        else:
            sentences[-1].append(token)
    for sentence in sentences:
        capitalised = [word for word in sentence[1:] if word[0].isupper()]
        if len(capitalised) * 2 > len(sentence):
            continue
        for word in capitalised:
            name = "".join(re.sub(r"['’]s?$", "", unicodedata.normalize("NFKC", word).casefold()).split())
            if len(name) > 1 and "'" not in name and "’" not in name and name not in NOT_NAMES:
                found.add(name)
    return found


def test_names_are_capitalised_words_inside_sentences() -> None:
    text = "The car came from Moscow. It went to Kim’s aides on Monday, KCNA said.\nNew Leader Named Today"
    assert names(text) == {"moscow", "kim", "kcna"}


def test_a_title_case_line_names_nobody() -> None:
    assert names("Kim Jong Un Gets A New Car From Putin") == set()


def test_scripts_without_case_name_nobody() -> None:
    assert names("普京向金正恩赠送汽车。") == set()


def test_names_match_the_plain_definition_on_odd_text() -> None:
    alphabet = "aAbBzZ .?!:\n\t…’'-_3Éé。  \u00a0\u2028\r\x85ǅ²\U0001d400\U00010428\ud800ﷺI May Kim's"
    rng = random.Random(5)
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80)))
        assert names(text) == reference_names(text), repr(text)


def test_names_match_the_plain_definition_on_news_prose() -> None:
    text = (
        "WASHINGTON (Reuters) - U.S. President Joe Biden met Ukraine's Volodymyr Zelenskiy on Tuesday.\n"
        '"We will stand with Kyiv," Biden told reporters at the White House: Russia\'s war goes on.\n'
        "Markets Rally As Fed Holds Rates\nSen. Chuck Schumer, D-N.Y., said 3M and O'Neill agreed."
    )
    assert names(text) == reference_names(text)
    # "U.S. " and "House: " end sentences; the rest of the first line and the last are mostly capitals.
    assert names(text) == {"kyiv", "biden", "white", "house"}
