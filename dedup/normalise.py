"""Words of an article with the house style taken out, so two outlets' copies of one story read alike.

Outlets edit wire copy to their own style: "Mr Kim" becomes "Kim", "travelled" becomes "traveled",
"Feb 20" becomes "Tuesday", "1,000" becomes "1000", "per cent" becomes "%". None of that changes the
story, so none of it may change the shingles. Each word also carries whether it stands inside a
quotation: independent reports share quotes, copies share the reporter's own words.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
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
_PERCENT_TWO = {"per": "cent", "pour": "cent", "por": "ciento"}
_DAY_LINK = "of"  # "20 of March"
_YEAR_LINK = "de"  # "20 de febrero de 2024": a day's link, and a year's
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
DOUBLE_MARKS = '"“”„‟«»「」『』'  # open or close a quote wherever they stand
OPENING_SINGLE = "'‘‚"  # opens only after a non-letter and before a letter
CLOSING_SINGLE = "'’‘"  # closes only before a non-letter


_SEPARATORS = ",.\u202f\u00a0'"  # between thousands: "1,000", "1.000", "1 000", "1'000"
_2_64 = 1 << 64
_P64 = 0x100000001B3  # a word's hash: dedup.sign.word_hash
_MIX = 0x9E3779B97F4A7C15


class Words(NamedTuple):
    """An article's normalised words, and for each its paragraph and whether it stands in a quote."""

    words: list[str]
    paragraph: list[int]
    quoted: list[bool]
    paragraphs: int  # how many paragraphs (non-empty lines) the text has, some perhaps without words


class WordHashes(NamedTuple):
    """`Words` as arrays, each word given by its hash (`dedup.sign.word_hash`) instead of its text."""

    hashes: npt.NDArray[np.uint32]
    paragraph: npt.NDArray[np.uint32]
    quoted: npt.NDArray[np.bool_]
    paragraphs: int


def fold(text: str) -> str:
    """Text in one canonical form: Unicode compatibility forms unified, case folded, no thousands separators."""
    return _THOUSANDS.sub("", unicodedata.normalize("NFKC", text).casefold())


def words(text: str) -> Words:
    """The words of a text in a house-style-free form, paragraph by paragraph (one a line).

    The text is folded in Python and cut into words in one compiled pass over its code points
    (`dedup.kernels.normal_words`), which also finds quotes and rewrites spellings, dates and percents.
    """
    hashes, paragraph, quoted, spaced, paragraphs = _normal(text)
    found = spaced.tobytes().decode("utf-32-le").split()
    if len(found) != len(hashes):
        raise RuntimeError("normalise: the words and their hashes disagree (a bug: please report the text)")
    return Words(found, paragraph.tolist(), quoted.tolist(), paragraphs)


def word_hashes(text: str) -> WordHashes:
    """`words`, each word as its hash: what a signature needs, without making a string of any word."""
    hashes, paragraph, quoted, _, paragraphs = _normal(text)
    return WordHashes(hashes, paragraph, quoted, paragraphs)


def tokens(text: str) -> list[str]:
    """The normalised words of a text, in order."""
    return words(text).words


def _normal(
    text: str,
) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.uint32], npt.NDArray[np.bool_], npt.NDArray[np.uint32], int]:
    """The kernel's words of a text: hashes, paragraphs, quote flags, the words' code points spaced; paragraphs."""
    from dedup import kernels

    lines = [line for line in text.split("\n") if line.strip()]
    folded = unicodedata.normalize("NFKC", "\n".join(lines)).casefold()
    codes = np.frombuffer(
        bytearray(folded.encode("utf-32-le", "surrogatepass")), dtype=np.uint32
    )  # writable: see kernels
    tables = _tables()
    kinds = kernels.kinds_of(codes, tables.kinds, tables.kind)
    hashes, paragraph, quoted, spaced = kernels.normal_words(
        codes, kinds, tables.quotes, tables.slots, tables.entries, tables.chars, tables.percent
    )
    return hashes, paragraph, quoted, spaced, len(lines)


class _Tables(NamedTuple):
    """What the compiled tokeniser reads: each character's flags, the quotation marks, the vocabulary."""

    kinds: npt.NDArray[np.uint8]  # the flags of the BMP's characters
    kind: functools.partial[npt.NDArray[np.uint8]]  # the flags of code points past the BMP
    quotes: npt.NDArray[np.int64]  # each row: a mark that opens a quote, then the marks that close it (-1: none)
    slots: npt.NDArray[np.int32]  # an open-addressing table of the vocabulary: a row of `entries`, or -1
    entries: npt.NDArray[np.int64]  # each vocabulary word's row (kernels.KEY ... kernels.NEEDS)
    chars: npt.NDArray[np.uint32]  # the vocabulary's words and their replacements, as code points
    percent: int  # the row of `entries` of the word that percents become


@functools.cache
def _tables() -> _Tables:
    """The tokeniser's tables, made on first use (with numba's import, which `import dedup` should not pay)."""
    from dedup import kernels

    kind = functools.partial(
        kernels.word_kinds, marks=DOUBLE_MARKS, opening=OPENING_SINGLE, closing=CLOSING_SINGLE, separators=_SEPARATORS
    )
    width = 1 + max(map(len, _CLOSERS.values()))
    quotes = np.full((len(_CLOSERS), width), -1, dtype=np.int64)
    for row, (opener, closers) in enumerate(_CLOSERS.items()):
        quotes[row, : 1 + len(closers)] = [ord(mark) for mark in opener + closers]
    vocabulary = sorted(HONORIFICS | SPELLING.keys() | MONTHS | WEEKDAYS | _PERCENT_ONE | _PERCENT_TWO.keys())
    vocabulary += sorted({*_PERCENT_TWO.values(), _DAY_LINK, _YEAR_LINK, PERCENT}.difference(vocabulary))
    slots, entries, chars = _vocabulary_table(vocabulary)
    return _Tables(kernels.kind_table(kind), kind, quotes, slots, entries, chars, vocabulary.index(PERCENT))


def _vocabulary_table(
    vocabulary: list[str],
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int64], npt.NDArray[np.uint32]]:
    """The vocabulary as the kernel looks words up: by their polynomial hash, then code point by code point.

    Each word's row says what becomes of it (dropped, replaced by a spelling) and the class of the
    word it becomes, for the date and percent rewriting.
    """
    from dedup import kernels

    size = 1 << (4 * len(vocabulary)).bit_length()
    slots = np.full(size, -1, dtype=np.int32)
    entries = np.zeros((len(vocabulary), kernels.COLUMNS), dtype=np.int64)
    chars: list[int] = []
    seconds = {word: number for number, word in enumerate(sorted(set(_PERCENT_TWO.values())))}
    for row, word in enumerate(vocabulary):
        out = SPELLING.get(word, word)
        key = _premix(word)
        slot = _mixed(key) & (size - 1)
        while slots[slot] >= 0:
            slot = (slot + 1) & (size - 1)
        slots[slot] = row
        entries[row, kernels.KEY] = key - _2_64 if key >> 63 else key  # the bits of a uint64
        entries[row, kernels.CHARS_START] = len(chars)
        chars += map(ord, word)
        entries[row, kernels.CHARS_END] = entries[row, kernels.OUT_START] = len(chars)
        chars += map(ord, out)
        entries[row, kernels.OUT_END] = len(chars)
        entries[row, kernels.ACTION] = (
            kernels.DROP if word in HONORIFICS else kernels.REPLACE if out != word else kernels.KEEP
        )
        entries[row, kernels.CLASS], entries[row, kernels.NEEDS] = _classes(out, seconds)
        entries[row, kernels.OUT_HASH] = _mixed(_premix(out)) if out != word else _mixed(key)
    return slots, entries, np.array(chars, dtype=np.uint32)


def _classes(word: str, seconds: dict[str, int]) -> tuple[int, int]:
    """What a word is to the date and percent rewriting (`kernels.restyle`), and for the first word of a
    two-word percent ("per" of "per cent"), the class the next word must have."""
    from dedup import kernels

    if word in WEEKDAYS:
        return kernels.WEEKDAY, 0
    if word in MONTHS:
        return kernels.MONTH, 0
    if word in _PERCENT_ONE:
        return kernels.PERCENT_ONE, 0
    if word in _PERCENT_TWO:
        return kernels.PERCENT_FIRST, kernels.PERCENT_SECOND + seconds[_PERCENT_TWO[word]]
    if word in seconds:
        return kernels.PERCENT_SECOND + seconds[word], 0
    if word == _YEAR_LINK:
        return kernels.YEAR_LINK, 0
    if word == _DAY_LINK:
        return kernels.DAY_LINK, 0
    if _DAY.fullmatch(word):
        return kernels.DAY, 0
    return (kernels.YEAR, 0) if _YEAR.fullmatch(word) else (0, 0)


def _premix(word: str) -> int:
    """A word's polynomial over its UTF-8 bytes, each plus one, modulo 2**64 (`dedup.sign.word_hash` mixes it)."""
    total = 0
    for byte in reversed(word.encode("utf-8", "surrogatepass")):  # Horner's rule, from the last byte
        total = (total * _P64 + byte + 1) % _2_64
    return total


def _mixed(premix: int) -> int:
    """A word's 32-bit hash from its polynomial, as `dedup.sign.word_hash` gives it."""
    return (premix * _MIX % _2_64) >> 32
