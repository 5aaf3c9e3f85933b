"""The names an article mentions: the people, places and bodies a story is about.

Independent reports of one event share these even when they share no sentence; `dedup.related`
uses them for the looser "related" level, never to call two articles copies.

A name is a capitalised word that does not open its sentence. The words are found in numpy over
the text's code points at once (a regular expression runs at about 70 ns a character here, and a
step per word in Python costs more still); only the distinct capitalised words take a Python step.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import numpy.typing as npt

from dedup.normalise import MONTHS, WEEKDAYS, kinds_of

NOT_NAMES = MONTHS | WEEKDAYS  # capitalised, but every story of a week has them
CACHE_LIMIT = 500_000  # words remembered (a few tens of MB); past it the memory starts again
_POSSESSIVE = re.compile(r"['’]s?$")
_NAME_OF: dict[str, str] = {}  # capitalised word -> the name it stands for, or "" (each process its own)

# What each character is to the word finder, as bit flags. A word is a run of WORD characters from
# its first LETTER on (the regular expression [^\W\d_][\w'’-]*); a sentence ends at a line break or
# at white space after a STOP.
WORD, LETTER, UPPER, SPACE, STOP = 1, 2, 4, 8, 16


def _kind(char: str) -> int:
    """The bit flags of one character."""
    flags = WORD if char.isalnum() or char in "_'’-" else 0
    flags |= LETTER if char.isalnum() and not char.isdecimal() else 0
    flags |= UPPER if flags & LETTER and char.isupper() else 0
    flags |= SPACE if char.isspace() else 0
    return flags | (STOP if char in ".!?…:" else 0)


_KINDS = np.fromiter(map(_kind, map(chr, range(0x10000))), dtype=np.uint8, count=0x10000)


def names(text: str) -> set[str]:
    """The capitalised words that do not open a sentence, each in one form (NFKC, case folded, no "'s").

    Lines in title case (headlines, teasers) say nothing of which words are names and are skipped
    (a sentence whose words are mostly capitalised gives none), as are "I", its contractions and
    dates. Scripts without case give none.
    """
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)  # lone surrogates too
    kinds = kinds_of(codes, _KINDS, _kind)
    starts, ends = _words(kinds)
    if not len(starts):
        return set()
    breaks = np.zeros(len(codes), dtype=bool)
    np.logical_and((kinds[1:] & SPACE) != 0, (kinds[:-1] & STOP) != 0, out=breaks[1:])
    breaks |= codes == 10
    sentence = np.searchsorted(np.flatnonzero(breaks), starts)
    opens = np.ones(len(starts), dtype=bool)
    np.not_equal(sentence[1:], sentence[:-1], out=opens[1:])
    capital = ((kinds[starts] & UPPER) != 0) & ~opens
    title_case = 2 * np.bincount(sentence, weights=capital) > np.bincount(sentence)
    keep = capital & ~title_case[sentence]
    found = {text[a:b] for a, b in zip(starts[keep].tolist(), ends[keep].tolist(), strict=True)}
    return {name for name in map(_name, found) if name}


def _words(kinds: npt.NDArray[np.uint8]) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Where each word starts and ends: every run of WORD characters holding a LETTER, from that letter on."""
    word = np.zeros(len(kinds) + 2, dtype=np.int8)
    word[1:-1] = kinds & WORD
    edges = np.flatnonzero(word[1:] != word[:-1])
    run_starts, run_ends = edges[0::2], edges[1::2]
    letters = np.flatnonzero(kinds & LETTER)
    run = np.searchsorted(run_starts, letters, side="right")  # the run each letter stands in, from 1
    first = np.ones(len(letters), dtype=bool)
    np.not_equal(run[1:], run[:-1], out=first[1:])
    return letters[first], run_ends[run[first] - 1]


def _name(word: str) -> str:
    """The name a capitalised word stands for, in one form; "" when it is no name (a month, "I'm")."""
    known = _NAME_OF.get(word)
    if known is not None:
        return known
    if len(_NAME_OF) > CACHE_LIMIT:
        _NAME_OF.clear()
    name = "".join(_POSSESSIVE.sub("", unicodedata.normalize("NFKC", word).casefold()).split())  # ﷺ has spaces
    if len(name) < 2 or "'" in name or "’" in name or name in NOT_NAMES:
        name = ""
    _NAME_OF[word] = name
    return name
