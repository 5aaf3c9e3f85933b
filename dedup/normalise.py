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
# Quotation marks of every script, each with the marks that close it: “…” and ‘…’ (English),
# „…“ and ‚…‘ (German), »…« (German) and «…» (French), ”…” (Swedish), 「…」 (Japanese).
_CLOSERS = {
    '"': '"”“',
    "“": '”"',
    "”": "”",
    "„": "“”",
    "‟": "”",
    "«": "»",
    "»": "«",
    "「": "」",
    "『": "』",
    "'": "'’",
    "‘": "’",
    "‚": "‘’",
}
# A single mark opens only before a letter and after a non-letter, and closes only before a
# non-letter, so the apostrophes of "it's", "Kim's" and "the Kims' car" are never quotes.
_WORD = re.compile(r"\w+|%")
_ANY_QUOTE = re.compile(r"[\"“”„‟«»「」『』]|(?<!\w)['‘‚]")  # a mark that may open a quote; apostrophes do not
_TOKEN = re.compile(
    r"(?P<word>\w+|%)|(?P<double>[\"“”„‟«»「」『』])|(?P<open>(?<!\w)['‘‚](?=[^\W\d_]))|(?P<close>['’‘](?!\w))"
)


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
        folded = fold(line)
        if _ANY_QUOTE.search(folded):
            kept = _quoted_words(folded)
        else:  # most lines quote nobody: words alone, a third of the time
            kept = [(SPELLING.get(w, w), False) for w in _WORD.findall(folded) if w not in HONORIFICS]
        for word, quoted in _house_free(kept):
            out.words.append(word)
            out.paragraph.append(number)
            out.quoted.append(quoted)
    return out._replace(paragraphs=len(lines))


def _quoted_words(folded: str) -> list[tuple[str, bool]]:
    """The words of a line that quotes someone, each with whether it stands inside the quotation."""
    closers = ""  # the marks that would close the quote the words stand in; none outside quotes
    kept: list[tuple[str, bool]] = []
    for match in _TOKEN.finditer(folded):
        token = match.group()
        if match.lastgroup == "word":
            if token not in HONORIFICS:
                kept.append((SPELLING.get(token, token), bool(closers)))
        elif closers and token in closers:
            closers = ""
        elif not closers and match.lastgroup != "close":
            closers = _CLOSERS[token]
    return kept


def _house_free(kept: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """The words with dates dropped and percent written one way.

    A date is a weekday, or a month beside a day number ("Feb 20", "20 February 2024", "20 de
    febrero", "3-4 March"): the same day in another style, or a date a reprint turned into "Tuesday".
    """
    if not any(word in _SPECIAL for word, _ in kept):
        return kept
    out: list[tuple[int, str, bool]] = []  # with each word, where it stood in `kept`
    i = 0
    while i < len(kept):
        word, quoted = kept[i]
        step = 1
        if word in WEEKDAYS:
            pass
        elif word in MONTHS and ((before := _days_before(out, i)) or _days_after(kept, i)):
            del out[len(out) - before :]
            step = 1 + (0 if before else _days_after(kept, i))
            step += _year_at(kept, i + step)
        elif word in _PERCENT_ONE:
            out.append((i, PERCENT, quoted))
        elif i + 1 < len(kept) and (word, kept[i + 1][0]) in _PERCENT_TWO:
            out.append((i, PERCENT, quoted))
            step = 2
        else:
            out.append((i, word, quoted))
        i += step
    return [(word, quoted) for _, word, quoted in out]


def _days_before(out: list[tuple[int, str, bool]], i: int) -> int:
    """How many of the words kept just before a month at `i` are its day: "20", "3 4", "20 of".

    Only words still standing count: a day that belonged to the date before is already gone.
    """
    link = bool(out) and out[-1][0] == i - 1 and out[-1][1] in ("of", "de")
    days = 0
    while days < 2 and len(out) > link + days:
        index, word, _ = out[-1 - link - days]
        if index != i - 1 - link - days or not _DAY.fullmatch(word):
            break
        days += 1
    return link + days if days else 0


def _days_after(kept: list[tuple[str, bool]], i: int) -> int:
    """How many day numbers follow a month at `i`: "March 3", "March 3-4"."""
    days = 0
    while days < 2 and i + 1 + days < len(kept) and _DAY.fullmatch(kept[i + 1 + days][0]):
        days += 1
    return days


def _year_at(kept: list[tuple[str, bool]], j: int) -> int:
    """How many words at `j` are a date's year: "2024", "de 2024", or none."""
    if j < len(kept) and _YEAR.fullmatch(kept[j][0]):
        return 1
    if j + 1 < len(kept) and kept[j][0] == "de" and _YEAR.fullmatch(kept[j + 1][0]):
        return 2
    return 0


def tokens(text: str) -> list[str]:
    """The normalised words of a text, in order."""
    return words(text).words
