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

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|"
    "januar|februar|märz|juni|juli|oktober|dezember|"  # German
    "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre|"  # French
    "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre"  # Spanish
)
_WEEKDAYS = (
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    "montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|"
    "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|"
    "lunes|martes|miércoles|jueves|viernes|sábado|domingo"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th|\.)?"
# "Feb 20", "20 February", "February 20, 2024", "20. Februar", "le 20 février", and a weekday alone:
# the same day written in another style, or a date a reprint turned into "Tuesday". Dropped.
_DATE = re.compile(
    rf"\b(?:(?:{_WEEKDAYS}),?\s+)?(?:{_DAY}\s+(?:de\s+|of\s+)?(?:{_MONTHS})\b\.?|(?:{_MONTHS})\b\.?\s+{_DAY}(?!\d))"
    rf"(?:,?\s+(?:de\s+)?\d{{4}})?|\b(?:{_WEEKDAYS})\b"
)
_THOUSANDS = re.compile(r"(?<=\d)[,.\u202f\u00a0'](?=\d{3}(?!\d))")
_PERCENT = re.compile(r"\s*%|\bper\s+cent\b|\bpct\b|\bprozent\b|\bpour\s+cent\b|\bpor\s+ciento\b")
# Double quotation marks of every script open or close a quote; apostrophes and single marks are
# left alone, since "it's" and "the Kims'" would open quotes that never close.
_TOKEN = re.compile(r"\w+|[\"“”„«»‟「」『』]")


class Words(NamedTuple):
    """An article's normalised words, and for each its paragraph and whether it stands in a quote."""

    words: list[str]
    paragraph: list[int]
    quoted: list[bool]
    paragraphs: int  # how many paragraphs (non-empty lines) the text has, some perhaps without words


def fold(text: str) -> str:
    """Text in one canonical form: Unicode compatibility forms unified, case folded, dates, number
    and percent styles made one."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _DATE.sub(" ", text)
    text = _THOUSANDS.sub("", text)
    return _PERCENT.sub(" percent ", text)


def words(text: str) -> Words:
    """The words of a text in a house-style-free form, paragraph by paragraph (one a line)."""
    out = Words([], [], [], 0)
    lines = [line for line in text.split("\n") if line.strip()]
    for number, line in enumerate(lines):
        inside = False
        for token in _TOKEN.findall(fold(line)):
            if not token[0].isalnum() and token[0] != "_":
                inside = token not in "»」』" and (not inside or token in "«「『")
                continue
            if token in HONORIFICS:
                continue
            out.words.append(SPELLING.get(token, token))
            out.paragraph.append(number)
            out.quoted.append(inside)
    return out._replace(paragraphs=len(lines))


def tokens(text: str) -> list[str]:
    """The normalised words of a text, in order."""
    return words(text).words
