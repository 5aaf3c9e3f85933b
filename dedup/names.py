"""The names an article mentions: the people, places and bodies a story is about.

Independent reports of one event share these even when they share no sentence; `dedup.related`
uses them for the looser "related" level, never to call two articles copies.

A name is a capitalised word that does not open its sentence. The words are found in one compiled
pass over the text's code points (`dedup.kernels.name_spans`: a regular expression runs at about
70 ns a character here); only the distinct capitalised words take a Python step.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import numpy as np
import numpy.typing as npt

from dedup.normalise import MONTHS, WEEKDAYS

NOT_NAMES = MONTHS | WEEKDAYS  # capitalised, but every story of a week has them
CACHE_LIMIT = 500_000  # words remembered (a few tens of MB); past it the memory starts again
_POSSESSIVE = re.compile(r"['’]s?$")
_NAME_OF: dict[str, str] = {}  # capitalised word -> the name it stands for, or "" (each process its own)
# A word is a run of letters, digits and these, from its first letter on (the regular expression
# [^\W\d_][\w'’-]*); a sentence ends at a line break, or at white space after one of STOPS.
JOINERS = "_'’-"
STOPS = ".!?…:"


def names(text: str) -> set[str]:
    """The capitalised words that do not open a sentence, each in one form (NFKC, case folded, no "'s").

    Lines in title case (headlines, teasers) say nothing of which words are names and are skipped
    (a sentence whose words are mostly capitalised gives none), as are "I", its contractions and
    dates. Scripts without case give none.
    """
    from dedup import kernels

    codes = np.frombuffer(
        bytearray(text.encode("utf-32-le", "surrogatepass")), dtype=np.uint32
    )  # writable: see kernels
    table, kind = _tables()
    spaced = kernels.name_words(codes, kernels.kinds_of(codes, table, kind))
    found = set(spaced.tobytes().decode("utf-32-le").split())  # no word holds white space
    known = _NAME_OF
    new = found.difference(known)
    if new:
        if len(known) + len(new) > CACHE_LIMIT:
            known.clear()
            new = found
        known.update(zip(new, map(_name, new), strict=True))
    named = set(map(known.__getitem__, found))
    named.discard("")
    return named


@functools.cache
def _tables() -> tuple[npt.NDArray[np.uint8], functools.partial[npt.NDArray[np.uint8]]]:
    """The name finder's flags of the BMP's characters, and how to find those of others; made on first use."""
    from dedup import kernels

    kind = functools.partial(kernels.name_kinds, joiners=JOINERS, stops=STOPS)
    return kernels.kind_table(kind), kind


def _name(word: str) -> str:
    """The name a capitalised word stands for, in one form; "" when it is no name (a month, "I'm")."""
    name = "".join(_POSSESSIVE.sub("", unicodedata.normalize("NFKC", word).casefold()).split())  # ﷺ has spaces
    if len(name) < 2 or "'" in name or "’" in name or name in NOT_NAMES:
        return ""
    return name
