"""Words of an article with the house style taken out, so two outlets' copies of one story read alike.

Outlets edit wire copy to their own style: "Mr Kim" becomes "Kim", "travelled" becomes "traveled",
"Feb 20" becomes "Tuesday", "1,000" becomes "1000", "per cent" becomes "%". None of that changes the
story, so none of it may change the shingles. Each word also carries whether it stands inside a
quotation: independent reports share quotes, copies share the reporter's own words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
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
DOUBLE_MARKS = '"“”„‟«»「」『』'  # open or close a quote wherever they stand
OPENING_SINGLE = "'‘‚"  # opens only after a non-letter and before a letter
CLOSING_SINGLE = "'’‘"  # closes only before a non-letter


class Words(NamedTuple):
    """An article's normalised words, and for each its paragraph and whether it stands in a quote."""

    words: list[str]
    paragraph: list[int]
    quoted: list[bool]
    paragraphs: int  # how many paragraphs (non-empty lines) the text has, some perhaps without words


def fold(text: str) -> str:
    """Text in one canonical form: Unicode compatibility forms unified, case folded, no thousands separators."""
    return _THOUSANDS.sub("", unicodedata.normalize("NFKC", text).casefold())


# What each character is to the tokeniser, as bit flags, for the Basic Multilingual Plane (others are
# looked up one by one: they are rare). WORD is what the regular expression \w matches.
WORD, PERCENT_SIGN, DIGIT, DOUBLE_MARK, SINGLE_MARK, SEPARATOR, CLOSE_MARK, LETTER = 1, 2, 4, 8, 16, 32, 64, 128
_SEPARATORS = ",.\u202f\u00a0'"  # between thousands: "1,000", "1.000", "1 000", "1'000"


def _kind(char: str) -> int:
    """The bit flags of one character."""
    flags = WORD if char.isalnum() or char == "_" else 0
    flags |= PERCENT_SIGN if char == "%" else 0
    flags |= DIGIT if char.isdecimal() else 0
    flags |= DOUBLE_MARK if char in DOUBLE_MARKS else 0
    flags |= SEPARATOR if char in _SEPARATORS else 0
    flags |= CLOSE_MARK if char in CLOSING_SINGLE else 0
    flags |= LETTER if (flags & WORD) and not (flags & DIGIT) and char != "_" else 0
    return flags | (SINGLE_MARK if char in OPENING_SINGLE else 0)


_KINDS = np.fromiter(map(_kind, map(chr, range(0x10000))), dtype=np.uint8, count=0x10000)


def words(text: str) -> Words:
    """The words of a text in a house-style-free form, paragraph by paragraph (one a line).

    The text is folded and cut into words in numpy, over its code points at once; only the lines
    that quote someone or carry a date or a percent take a step per word in Python.
    """
    lines = [line for line in text.split("\n") if line.strip()]
    folded, codes, kinds = _folded("\n".join(lines))
    starts = _word_starts(kinds)
    found = _split(codes, kinds, "%" in folded)
    breaks = np.flatnonzero(codes == 10)
    paragraph = np.searchsorted(breaks, starts)
    if len(found) != len(starts):
        raise RuntimeError("normalise: the words and their positions disagree (a bug: please report the text)")
    quoted = _quote_flags(folded, kinds, breaks, starts)
    if not HONORIFICS.isdisjoint(found):
        keep = [word not in HONORIFICS for word in found]
        found = [word for word, kept in zip(found, keep, strict=True) if kept]
        paragraph, quoted = paragraph[keep], quoted[keep]
    found = list(map(SPELLING.get, found, found))
    out = Words(found, paragraph.tolist(), quoted.tolist(), len(lines))
    if _SPECIAL.isdisjoint(found):
        return out
    special = np.fromiter(map(_SPECIAL.__contains__, found), dtype=bool, count=len(found))
    return _restyled(out, folded, np.unique(paragraph[special]).tolist())


def _folded(text: str) -> tuple[str, npt.NDArray[np.uint32], npt.NDArray[np.uint8]]:
    """`fold` of a text, with its code points and their kinds (thousands separators found in numpy)."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    codes = np.frombuffer(folded.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)  # lone surrogates too
    kinds = kinds_of(codes, _KINDS, _kind)
    digit = (kinds & DIGIT) != 0
    if len(codes) > 4 and digit.any():
        inner = ((kinds[1:-3] & SEPARATOR) != 0) & digit[:-4] & digit[2:-2] & digit[3:-1] & digit[4:]
        inner &= ~np.concatenate([digit[5:], [False]])  # no fourth digit after the separator
        if inner.any():
            keep = np.ones(len(codes), dtype=bool)
            keep[1:-3] = ~inner
            codes, kinds = codes[keep], kinds[keep]
            folded = codes.tobytes().decode("utf-32-le", "surrogatepass")
    return folded, codes, kinds


def kinds_of(
    codes: npt.NDArray[np.uint32], table: npt.NDArray[np.uint8], kind: Callable[[str], int]
) -> npt.NDArray[np.uint8]:
    """Each code point's flags: from `table` in the BMP, from `kind` beyond it (rare: one by one)."""
    kinds = np.take(table, np.minimum(codes, 0xFFFF))
    for at in np.flatnonzero(codes > 0xFFFF).tolist():
        kinds[at] = kind(chr(codes[at]))
    return kinds


def _word_starts(kinds: npt.NDArray[np.uint8]) -> npt.NDArray[np.intp]:
    """Where the words start: runs of word characters, and each percent sign alone (as \\w+|% finds them)."""
    kind = kinds & (WORD | PERCENT_SIGN)
    edge = np.ones(len(kind), dtype=bool)
    np.not_equal(kind[1:], kind[:-1], out=edge[1:])
    edge[1:] |= kind[1:] == PERCENT_SIGN
    edge &= kind != 0
    return np.flatnonzero(edge)


def _split(codes: npt.NDArray[np.uint32], kinds: npt.NDArray[np.uint8], percent: bool) -> list[str]:
    """The words themselves: every other character made a space, then one C-level split."""
    kept = WORD | PERCENT_SIGN if percent else WORD
    spaced = np.where((kinds & kept) != 0, codes, np.uint32(32))
    found = spaced.tobytes().decode("utf-32-le", "surrogatepass").split()
    if percent:  # "5%" and "%%" are words apart
        found = [part for word in found for part in (_WORD.findall(word) if "%" in word else (word,))]
    return found


def _quote_flags(
    folded: str, kinds: npt.NDArray[np.uint8], breaks: npt.NDArray[np.intp], starts: npt.NDArray[np.intp]
) -> npt.NDArray[np.bool_]:
    """For each word starting at `starts`, whether it stands inside a quotation of its line.

    The marks are found in numpy; only they take a Python step, to pair them. A mark that closes
    nothing and opens nothing (」 with no 「 before it) is passed over.
    """
    marks, closes_only = _marks(kinds)
    if not marks.size:
        return np.zeros(len(starts), dtype=bool)
    where, inside, lines = [], [], []  # each mark that opens or closes a quote: after it, inside or not, its line
    closers, line = "", -1  # the marks that would close the quote the words stand in; none outside quotes
    for at, line_of, only_closes in zip(
        marks.tolist(), np.searchsorted(breaks, marks).tolist(), closes_only, strict=True
    ):
        if line_of != line:  # no quote runs past its line
            closers, line = "", line_of
        if closers and folded[at] in closers:
            closers = ""
        elif not closers and not only_closes and folded[at] in _CLOSERS:
            closers = _CLOSERS[folded[at]]
        else:
            continue
        where.append(at + 1)
        inside.append(bool(closers))
        lines.append(line)
    if not where:
        return np.zeros(len(starts), dtype=bool)
    last = np.searchsorted(np.asarray(where, dtype=np.intp), starts, side="right") - 1  # each word's last mark
    flags: npt.NDArray[np.bool_] = np.asarray(inside, dtype=bool)[last]
    flags &= np.asarray(lines, dtype=np.intp)[last] == np.searchsorted(breaks, starts)  # the mark's line is the word's
    flags &= last >= 0  # no mark before the word (its -1 read the last mark above: masked here)
    return flags


def _marks(kinds: npt.NDArray[np.uint8]) -> tuple[npt.NDArray[np.intp], list[bool]]:
    """Where the quotation marks stand, and for each whether it can only close a quote.

    A single mark opens only after a non-word and before a letter, and closes only before a non-word.
    """
    found = np.flatnonzero(kinds & (DOUBLE_MARK | SINGLE_MARK | CLOSE_MARK))
    padded = np.zeros(len(kinds) + 2, dtype=np.uint8)
    padded[1:-1] = kinds
    kind, before, after = kinds[found], padded[found], padded[found + 2]  # the characters either side
    opening = ((kind & SINGLE_MARK) != 0) & ((before & WORD) == 0) & ((after & LETTER) != 0)
    closing = ((kind & CLOSE_MARK) != 0) & ((after & WORD) == 0) & ~opening
    keep = ((kind & DOUBLE_MARK) != 0) | opening | closing
    return found[keep], closing[keep].tolist()


def _restyled(out: Words, folded: str, marked: list[int]) -> Words:
    """The words with the dates and percents of the `marked` lines rewritten by `_house_free`."""
    lines = folded.split("\n")
    cuts = np.searchsorted(np.asarray(out.paragraph), np.array([marked, np.add(marked, 1)])).tolist()
    words, paragraph, quoted = [], [], []
    done = 0
    for number, start, end in zip(marked, *cuts, strict=True):
        words += out.words[done:start]
        paragraph += out.paragraph[done:start]
        quoted += out.quoted[done:start]
        kept, inside = out.words[start:end], out.quoted[start:end]
        if _has_style(kept, lines[number]):
            kept, inside = _house_free(kept, inside)
        words += kept
        paragraph += [number] * len(kept)
        quoted += inside
        done = end
    return Words(words + out.words[done:], paragraph + out.paragraph[done:], quoted + out.quoted[done:], out.paragraphs)


def _has_style(kept: list[str], folded: str) -> bool:
    """Whether a line may hold a date or a percent to rewrite ("may" alone, with no number near, is a verb)."""
    special = _SPECIAL.intersection(kept)
    return bool(special) and (not special <= MONTHS or _DIGIT.search(folded) is not None)


def _house_free(kept: list[str], quoted: list[bool]) -> tuple[list[str], list[bool]]:
    """The words with dates dropped and percent written one way, with their quote flags.

    A date is a weekday, or a month beside a day number ("Feb 20", "20 February 2024", "20 de
    febrero", "3-4 March"): the same day in another style, or a date a reprint turned into "Tuesday".
    """
    words: list[str] = []
    flags: list[bool] = []
    done = 0  # the words before `done` are placed or rewritten
    for at in [at for at, word in enumerate(kept) if word in _SPECIAL]:
        if at < done:  # part of the date or percent before
            continue
        edit = _rewrite(kept, done, at)
        if edit is None:
            continue
        start, end, replaced = edit
        words += kept[done:start]
        flags += quoted[done:start]
        if replaced:
            words.append(replaced)
            flags.append(quoted[at])
        done = end
    return words + kept[done:], flags + quoted[done:]


def _rewrite(kept: list[str], done: int, i: int) -> tuple[int, int, str] | None:
    """How the special word at `i` (a weekday, month, or percent) is rewritten, or None: it stays.

    The rewrite is the span of words it takes, from `start` to `end`, and the word put in their place
    ("" for none).

    Words before `done` belong to an earlier rewrite and cannot be this date's day.
    """
    word = kept[i]
    if word in WEEKDAYS:
        return i, i + 1, ""
    if word in MONTHS and ((before := _days_before(kept, done, i)) or _days_after(kept, i)):
        step = 1 + (0 if before else _days_after(kept, i))
        return i - before, i + step + _year_at(kept, i + step), ""
    if word in _PERCENT_ONE:
        return i, i + 1, PERCENT
    if i + 1 < len(kept) and (word, kept[i + 1]) in _PERCENT_TWO:
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


def tokens(text: str) -> list[str]:
    """The normalised words of a text, in order."""
    return words(text).words
