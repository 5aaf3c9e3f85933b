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
_DIGIT = re.compile(r"\d")
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
_MARK = re.compile(r"(?P<double>[\"“”„‟«»「」『』])|(?P<open>(?<!\w)['‘‚](?=[^\W\d_]))|(?P<close>['’‘](?!\w))")


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
    folded_text = fold("\n".join(lines))
    quotes = _ANY_QUOTE.search(folded_text) is not None
    for number, folded in enumerate(folded_text.split("\n")):
        if quotes and _ANY_QUOTE.search(folded):
            kept, quoted = _quoted_words(folded)
        else:  # most lines quote nobody: their words alone, without a step per word in Python
            kept, quoted = _plain(_WORD.findall(folded)), None
        if _has_style(kept, folded):
            kept, quoted = _house_free(kept, quoted or [False] * len(kept))
        out.words.extend(kept)
        out.paragraph.extend([number] * len(kept))
        out.quoted.extend(quoted or [False] * len(kept))
    return out._replace(paragraphs=len(lines))


def _has_style(kept: list[str], folded: str) -> bool:
    """Whether a line may hold a date or a percent to rewrite ("may" alone, with no number near, is a verb)."""
    special = _SPECIAL.intersection(kept)
    return bool(special) and (not special <= MONTHS or _DIGIT.search(folded) is not None)


def _plain(found: list[str]) -> list[str]:
    """Words in one spelling, without the honorifics house styles add or drop."""
    if not HONORIFICS.isdisjoint(found):
        found = [word for word in found if word not in HONORIFICS]
    return list(map(SPELLING.get, found, found))


def _quoted_words(folded: str) -> tuple[list[str], list[bool]]:
    """The words of a line that quotes someone, and for each whether it stands inside the quotation."""
    closers = ""  # the marks that would close the quote the words stand in; none outside quotes
    kept: list[str] = []
    quoted: list[bool] = []
    start = 0
    for mark in _MARK.finditer(folded):
        token = mark.group()
        if closers and token in closers:
            change = ""
        elif not closers and mark.lastgroup != "close":
            change = _CLOSERS[token]
        else:
            continue
        found = _plain(_WORD.findall(folded, start, mark.start()))
        kept.extend(found)
        quoted.extend([bool(closers)] * len(found))
        closers, start = change, mark.end()
    found = _plain(_WORD.findall(folded, start))
    return kept + found, quoted + [bool(closers)] * len(found)


def _house_free(kept: list[str], quoted: list[bool]) -> tuple[list[str], list[bool]]:
    """The words with dates dropped and percent written one way, with their quote flags.

    A date is a weekday, or a month beside a day number ("Feb 20", "20 February 2024", "20 de
    febrero", "3-4 March"): the same day in another style, or a date a reprint turned into "Tuesday".
    """
    pairs = list(zip(kept, quoted, strict=True))
    out: list[tuple[int, str, bool]] = []  # with each word, where it stood in `kept`
    i = 0
    while i < len(pairs):
        word, inside = pairs[i]
        step = 1
        if word in WEEKDAYS:
            pass
        elif word in MONTHS and ((before := _days_before(out, i)) or _days_after(pairs, i)):
            del out[len(out) - before :]
            step = 1 + (0 if before else _days_after(pairs, i))
            step += _year_at(pairs, i + step)
        elif word in _PERCENT_ONE:
            out.append((i, PERCENT, inside))
        elif i + 1 < len(pairs) and (word, pairs[i + 1][0]) in _PERCENT_TWO:
            out.append((i, PERCENT, inside))
            step = 2
        else:
            out.append((i, word, inside))
        i += step
    return [word for _, word, _ in out], [inside for _, _, inside in out]


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
