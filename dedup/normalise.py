"""Words of an article with the house style taken out, so two outlets' copies of one story read alike.

Outlets edit wire copy to their own style: "Mr Kim" becomes "Kim", "travelled" becomes "traveled",
"Feb 20" becomes "Tuesday", "1,000" becomes "1000", "per cent" becomes "%". None of that changes the
story, so none of it may change the shingles. Each word also carries whether it stands inside a
quotation: independent reports share quotes, copies share the reporter's own words.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

from breame.data.spelling_constants import BRITISH_ENGLISH_SPELLINGS

# Words that house styles add or drop without changing the story ("Mr Kim" / "Kim").
HONORIFICS = frozenset({"mr", "mrs", "ms", "mx", "dr", "sir", "herr", "frau", "mme", "m", "sr", "sra"})
# One spelling for both sides of the Atlantic (breame's list of British spellings and their US twins).
SPELLING: dict[str, str] = dict(BRITISH_ENGLISH_SPELLINGS)


def _names(*languages: str) -> frozenset[str]:
    """A set of words from space-separated lists, one per language."""
    return frozenset(word for language in languages for word in language.split())


MONTHS = _names(
    "january february march april may june july august september october november december",
    "jan feb mar apr jun jul aug sep sept oct nov dec",
    "januar februar märz juni juli oktober dezember",  # German
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",  # French
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",  # Spanish
)
WEEKDAYS = _names(
    "monday tuesday wednesday thursday friday saturday sunday",
    "montag dienstag mittwoch donnerstag freitag samstag sonntag",
    "lundi mardi mercredi jeudi vendredi samedi dimanche",
    "lunes martes miércoles jueves viernes sábado domingo",
)
# "5%", "5 per cent", "5 pct", "5 Prozent", "5 pour cent", "5 por ciento": one word.
PERCENT = "percent"
_PERCENT_ONE = frozenset({"%", "pct", "prozent", "porcentaje"})
_PERCENT_TWO = {("per", "cent"), ("pour", "cent"), ("por", "ciento")}
_SPECIAL = MONTHS | WEEKDAYS | _PERCENT_ONE | {"per", "pour", "por"}
_DAY = re.compile(r"\d{1,2}(?:st|nd|rd|th|er)?")
_YEAR = re.compile(r"(?:1[89]|2[01])\d\d")
_THOUSANDS = re.compile(r"(?<=\d)[,.\u202f\u00a0'](?=\d{3}(?!\d))")
# Double quotation marks of every script open or close a quote; apostrophes and single marks are
# left alone, since "it's" and "the Kims'" would open quotes that never close.
_TOKEN = re.compile(r"\w+|%|[\"“”„«»‟「」『』]")
_QUOTE_CLOSE = frozenset("»」』")
_QUOTE_OPEN = frozenset("«「『")


class Words(NamedTuple):
    """An article's normalised words, and for each its paragraph and whether it stands in a quote."""

    words: list[str]
    paragraph: list[int]
    quoted: list[bool]
    paragraphs: int  # how many paragraphs (non-empty lines) the text has, some perhaps without words


def fold(text: str) -> str:
    """Text in one canonical form: Unicode compatibility forms unified, case folded, no thousands separators."""
    return _THOUSANDS.sub("", unicodedata.normalize("NFKC", text).casefold())


def words(text: str) -> Words:
    """The words of a text in a house-style-free form, paragraph by paragraph (one a line)."""
    out = Words([], [], [], 0)
    lines = [line for line in text.split("\n") if line.strip()]
    for number, line in enumerate(lines):
        inside = False
        kept: list[tuple[str, bool]] = []
        for token in _TOKEN.findall(fold(line)):
            if token[0] in '"“”„«»‟「」『』':
                inside = token not in _QUOTE_CLOSE and (not inside or token in _QUOTE_OPEN)
            elif token not in HONORIFICS:
                kept.append((SPELLING.get(token, token), inside))
        for word, quoted in _house_free(kept):
            out.words.append(word)
            out.paragraph.append(number)
            out.quoted.append(quoted)
    return out._replace(paragraphs=len(lines))


def _house_free(kept: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """The words with dates dropped and percent written one way.

    A date is a weekday, or a month beside a day number ("Feb 20", "20 February 2024", "20 de
    febrero"): the same day in another style, or a date a reprint turned into "Tuesday".
    """
    if not any(word in _SPECIAL for word, _ in kept):
        return kept
    out: list[tuple[str, bool]] = []
    skip = 0
    for i, (word, quoted) in enumerate(kept):
        if skip:
            skip -= 1
        elif word in WEEKDAYS:
            continue
        elif word in MONTHS and (span := _date_span(kept, i)):
            del out[len(out) - span[0] :]
            skip = span[1]
        elif word in _PERCENT_ONE:
            out.append((PERCENT, quoted))
        elif i + 1 < len(kept) and (word, kept[i + 1][0]) in _PERCENT_TWO:
            out.append((PERCENT, quoted))
            skip = 1
        else:
            out.append((word, quoted))
    return out


def _date_span(kept: list[tuple[str, bool]], i: int) -> tuple[int, int] | None:
    """For a month at `i`: how many words before it and after it belong to its date, or None if
    no day number stands beside it (then "may" is a verb and "march" a walk)."""
    before = 0
    if i >= 1 and kept[i - 1][0] in ("of", "de") and i >= 2 and _DAY.fullmatch(kept[i - 2][0]):
        before = 2
    elif i >= 1 and _DAY.fullmatch(kept[i - 1][0]):
        before = 1
    after = 0
    if not before:
        if i + 1 < len(kept) and _DAY.fullmatch(kept[i + 1][0]):
            after = 1
        else:
            return None
    while i + after + 1 < len(kept) and kept[i + after + 1][0] in ("de",):
        after += 1
    if i + after + 1 < len(kept) and _YEAR.fullmatch(kept[i + after + 1][0]):
        after += 1
    elif kept[i + after][0] == "de":
        after -= 1  # "de" not followed by a year is the next phrase's
    return before, after


def tokens(text: str) -> list[str]:
    """The normalised words of a text, in order."""
    return words(text).words
