"""Compiled loops over a text's code points: the words, quotes and names of an article, and its MinHash.

Each article is only ~1,600 characters, so a numpy call per step costs more in overhead than in work;
these loops take one pass each instead (numba, compiled once and kept in a user cache). They are
the fast twins of plain definitions that the tests hold them to: `dedup.normalise` and `dedup.names`
keep the vocabulary and the Python-facing functions, and call these on first use only, so that
``import dedup`` does not pay numba's import.

Every value the loops read is defined in this file or passed in: numba's on-disk cache is dropped
when this file changes, not when another module does. The first run compiles them all (seconds);
numba compiles a function once per type of argument, so callers pass writable arrays of one layout
(a read-only array from ``np.frombuffer(bytes)`` is another type) and no literal constants.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar, cast

import numpy as np
import numpy.typing as npt


def _import_numba() -> Any:
    """numba, imported (and its compiler started) without loading scipy if scipy is not loaded yet.

    numba imports scipy only to check its version and to find a BLAS for linear algebra, which these
    loops never use; scipy costs every process half a second (a test holds that a scan loads none).
    Its machine code goes to `cache_home()` unless the user says where (``NUMBA_CACHE_DIR``).
    """
    os.environ.setdefault("NUMBA_CACHE_DIR", cache_home())  # read when numba is imported (workers inherit it)
    if "scipy" in sys.modules:
        import numba

        return numba
    sys.modules["scipy"] = None  # type: ignore[assignment]  # makes `import scipy` fail: numba goes on without
    try:
        import numba

        numba.njit(cache=True)(_start)()  # the compiler's first load reads its BLAS registry: here, blocked
        return numba
    finally:
        del sys.modules["scipy"]


def cache_home() -> str:
    """Where numba keeps the compiled loops: a user cache, not beside the installed files. pip's uninstall
    leaves the files it did not install there, and a folder of them then shadows a later editable install
    of dedup as a namespace package ("cannot import name ... (unknown location)"). numba goes back to
    ``__pycache__`` if this is not writable."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "dedup", "numba")


def _start() -> int:
    """Nothing: a first compiled call, so that numba loads its registries."""
    return 0


_numba = _import_numba()
_F = TypeVar("_F", bound=Callable[..., Any])
# In compiled code: a numpy array over memory it holds a pointer to (a str's characters: `dedup.clean.markup`).
carray = _numba.carray
# What numba raises when it cannot compile a function for the arguments it is given.
TypingError = _numba.core.errors.TypingError


def compiled(function: _F) -> _F:
    """`function` compiled by numba, its machine code cached on disk beside this file (or in a user cache)."""
    return cast(_F, _numba.njit(cache=True, nogil=True)(function))


def unmanaged(function: _F) -> _F:
    """`function` compiled, and cached, without numba's reference counts: for a loop over arrays that it
    is given and that calls helpers with them. Each such call otherwise counts every array it passes
    up and down (atomic operations, ~50 ns a call) wherever the helper branches; such a loop allocates nothing."""
    return cast(_F, _numba.njit(cache=True, nogil=True, _nrt=False)(function))


def inlined(function: _F) -> _F:
    """`function` compiled into each compiled function that calls it: a call that passes arrays costs
    a reference count change each, more than the work of a small helper run once a word."""
    return cast(_F, _numba.njit(inline="always")(function))


# What each character is to the word tokeniser (`dedup.normalise`), as bit flags. WORD is what the
# regular expression \w matches; DIGIT what \d matches.
WORD, PERCENT_SIGN, DIGIT, DOUBLE_MARK, SINGLE_MARK, SEPARATOR, CLOSE_MARK, LETTER = 1, 2, 4, 8, 16, 32, 64, 128
# ...and to the name finder (`dedup.names`): a name is a run of NAME_WORD characters from its first
# NAME_LETTER on; a sentence ends at a line break or at a SPACE after a STOP.
NAME_WORD, NAME_LETTER, UPPER, SPACE, STOP = 1, 2, 4, 8, 16
# What a (normalised) word is to the date and percent rewriting: its class. Classes up to LAST_SPECIAL
# start a rewrite ("per" of "per cent" is a PERCENT_FIRST); the others are words a rewrite may take
# with it: a DAY_LINK ("20 of March"), a YEAR_LINK ("20 de febrero de 2024"), a DAY, a YEAR, and from
# PERCENT_SECOND on, the second words of two-word percents ("cent"), one class each.
WEEKDAY, MONTH, PERCENT_ONE, PERCENT_FIRST, DAY_LINK, YEAR_LINK, DAY, YEAR = range(1, 9)
LAST_SPECIAL = PERCENT_FIRST
PERCENT_SECOND = 16
# What a word of the vocabulary table does: kept as it is, dropped (an honorific), or replaced (a spelling).
KEEP, DROP, REPLACE = 0, 1, 2
# The columns of the vocabulary table's rows: the word's polynomial (`premix`), where its code points
# and those of the word it becomes stand in the table's characters, what becomes of it, the class of
# what it becomes, the class the next word must have (PERCENT_FIRST only), and the hash of what it becomes.
KEY, CHARS_START, CHARS_END, OUT_START, OUT_END, ACTION, CLASS, NEEDS, OUT_HASH = range(9)
COLUMNS = 9
# The columns of `scan_words`' rows, one a word.
START, END, LINE, QUOTED, ENTRY, WORD_CLASS, WORD_NEEDS = range(7)
NEWLINE = 10

_M32 = np.uint64(0xFFFFFFFF)
_P64 = np.uint64(0x100000001B3)  # a word's hash: a polynomial over its UTF-8 bytes (dedup.sign.word_hash)
_MIX = np.uint64(0x9E3779B97F4A7C15)
_U1 = np.uint64(1)
_S13, _S16, _S32, _S6, _S12, _S18 = (np.uint64(s) for s in (13, 16, 32, 6, 12, 18))
_FMIX1, _FMIX2 = np.uint64(0x85EBCA6B), np.uint64(0xC2B2AE35)
_FNV = np.uint64(0x01000193)  # mixes each word's hash into its shingle's


def word_kinds(codes: npt.NDArray[np.uint32], marks: str, opening: str, closing: str, separators: str) -> Kinds:
    """The word tokeniser's flags of each code point."""
    alnum, digit, underscore = _test(codes, "isalnum"), _test(codes, "isdecimal"), _among(codes, "_")
    word = alnum | underscore
    flags = word * WORD | _among(codes, "%") * PERCENT_SIGN | digit * DIGIT
    flags |= _among(codes, marks) * DOUBLE_MARK | _among(codes, separators) * SEPARATOR
    flags |= _among(codes, closing) * CLOSE_MARK | (word & ~digit & ~underscore) * LETTER
    return (flags | _among(codes, opening) * SINGLE_MARK).astype(np.uint8)


def name_kinds(codes: npt.NDArray[np.uint32], joiners: str, stops: str) -> Kinds:
    """The name finder's flags of each code point."""
    alnum = _test(codes, "isalnum")
    letter = alnum & ~_test(codes, "isdecimal")
    flags = (alnum | _among(codes, joiners)) * NAME_WORD | letter * NAME_LETTER
    flags |= (letter & _test(codes, "isupper")) * UPPER | _test(codes, "isspace") * SPACE
    return (flags | _among(codes, stops) * STOP).astype(np.uint8)


Kinds = npt.NDArray[np.uint8]


def _test(codes: npt.NDArray[np.uint32], method: str) -> npt.NDArray[np.bool_]:
    """The str method `method` (isalnum, ...) of each code point's character, in one numpy call."""
    chars = codes.astype("<u4").view("<U1")  # numpy's string functions use Python's own character database
    return getattr(np.char, method)(chars)  # type: ignore[no-any-return]


def _among(codes: npt.NDArray[np.uint32], chars: str) -> npt.NDArray[np.bool_]:
    """Whether each code point is one of `chars`."""
    return np.isin(codes, [ord(char) for char in chars])


def kind_table(kinds_from: Callable[[npt.NDArray[np.uint32]], Kinds]) -> Kinds:
    """The flags of every code point of the Basic Multilingual Plane (others are looked up text by text)."""
    return kinds_from(np.arange(0x10000, dtype=np.uint32))


def kinds_of(
    codes: npt.NDArray[np.uint32], table: Kinds, kinds_from: Callable[[npt.NDArray[np.uint32]], Kinds]
) -> Kinds:
    """Each code point's flags: from `table` in the BMP, from `kinds_from` past it (rare)."""
    found, past = kinds(codes, table, _NONE)
    if past:
        found, _ = kinds(codes, table, kinds_from(codes[codes > 0xFFFF]))
    return found


_NONE = np.zeros(0, dtype=np.uint8)


@compiled
def kinds(
    codes: npt.NDArray[np.uint32], table: npt.NDArray[np.uint8], beyond: npt.NDArray[np.uint8]
) -> tuple[npt.NDArray[np.uint8], int]:
    """Each code point's flags, from `table` in the BMP and from `beyond`, in order, past it; and how many
    code points lie past the BMP (when `beyond` holds fewer, their flags are wrong: look them up, call again)."""
    out = np.empty(len(codes), dtype=np.uint8)
    past = 0
    for i in range(len(codes)):
        code = codes[i]
        if code < 0x10000:
            out[i] = table[code]
        else:
            out[i] = beyond[past] if past < len(beyond) else 0
            past += 1
    return out, past


@compiled
def premix(codes: npt.NDArray[np.uint32], start: int, end: int) -> np.uint64:
    """The 64-bit polynomial over the UTF-8 bytes of codes[start:end], each byte plus one (before the mix)."""
    total = np.uint64(0)
    power = _U1
    for i in range(start, end):
        code = np.uint64(codes[i])
        if code < 0x80:
            total += (code + _U1) * power
            power *= _P64
            continue
        if code < 0x800:
            count, lead = 1, np.uint64(0xC0)
        elif code < 0x10000:
            count, lead = 2, np.uint64(0xE0)
        else:
            count, lead = 3, np.uint64(0xF0)
        total += ((lead | (code >> (_S6 * np.uint64(count)))) + _U1) * power
        power *= _P64
        for shift in range(count - 1, -1, -1):
            byte = np.uint64(0x80) | ((code >> (_S6 * np.uint64(shift))) & np.uint64(0x3F))
            total += (byte + _U1) * power
            power *= _P64
    return total


@compiled
def mixed(total: np.uint64) -> np.uint32:
    """A word's 32-bit hash from its polynomial (`premix`)."""
    return np.uint32((total * _MIX) >> _S32)


@compiled
def drop_separators(
    codes: npt.NDArray[np.uint32], kinds: npt.NDArray[np.uint8]
) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.uint8]]:
    """The code points and flags without thousands separators: a SEPARATOR between a digit and exactly
    three digits ("1,000" -> "1000"; "1,0000" and "1,00" stay)."""
    n = len(codes)
    out_codes = np.empty(n, dtype=np.uint32)
    out_kinds = np.empty(n, dtype=np.uint8)
    kept = 0
    for i in range(n):
        if (
            1 <= i <= n - 4
            and kinds[i] & SEPARATOR
            and kinds[i - 1] & DIGIT
            and kinds[i + 1] & DIGIT
            and kinds[i + 2] & DIGIT
            and kinds[i + 3] & DIGIT
            and (i + 4 == n or not kinds[i + 4] & DIGIT)
        ):
            continue
        out_codes[kept] = codes[i]
        out_kinds[kept] = kinds[i]
        kept += 1
    return out_codes[:kept], out_kinds[:kept]


@compiled
def find_entry(
    codes: npt.NDArray[np.uint32],
    start: int,
    end: int,
    key: np.uint64,
    slots: npt.NDArray[np.int32],
    entries: npt.NDArray[np.int64],
    chars: npt.NDArray[np.uint32],
) -> int:
    """The vocabulary table's row of the word codes[start:end] with polynomial `key`, or -1."""
    mask = len(slots) - 1
    slot = int(mixed(key)) & mask
    while slots[slot] >= 0:
        row = slots[slot]
        if (
            np.uint64(entries[row, KEY]) == key
            and int(entries[row, CHARS_END] - entries[row, CHARS_START]) == end - start
        ):
            first = int(entries[row, CHARS_START])
            same = True
            for i in range(end - start):
                if chars[first + i] != codes[start + i]:
                    same = False
                    break
            if same:
                return int(row)
        slot = (slot + 1) & mask
    return -1


@compiled
def digit_class(codes: npt.NDArray[np.uint32], kinds: npt.NDArray[np.uint8], start: int, end: int) -> int:
    """DAY for a day number ("20", "3rd", "1er": \\d{1,2}(st|nd|rd|th|er)?), YEAR for 1800-2199, else 0."""
    digits = 0
    while start + digits < end and kinds[start + digits] & DIGIT:
        digits += 1
    rest = end - start - digits
    if digits == 4 and rest == 0:
        first, second = codes[start], codes[start + 1]
        if (first == 49 and (second == 56 or second == 57)) or (first == 50 and (second == 48 or second == 49)):
            return YEAR
        return 0
    if digits < 1 or digits > 2:
        return 0
    if rest == 0:
        return DAY
    if rest != 2:
        return 0
    a, b = codes[start + digits], codes[start + digits + 1]
    if (
        (a == 115 and b == 116)  # st
        or (a == 110 and b == 100)  # nd
        or (a == 114 and b == 100)  # rd
        or (a == 116 and b == 104)  # th
        or (a == 101 and b == 114)  # er
    ):
        return DAY
    return 0


@compiled
def after_mark(quotes: npt.NDArray[np.int64], opener: int, code: int, closing: bool) -> int:
    """The quote open after the mark `code` (a row of `quotes`; the row count: none), when `opener`'s was
    open before: a mark in its row's closers closes it; outside quotes, a mark in the first column opens
    its row's, unless it can only close."""
    outside = len(quotes)
    if opener < outside:
        for j in range(1, quotes.shape[1]):
            if quotes[opener, j] == code:
                return outside
        return opener
    if not closing:
        for row in range(outside):
            if quotes[row, 0] == code:
                return row
    return outside


@compiled
def word_spans(
    codes: npt.NDArray[np.uint32], kinds: npt.NDArray[np.uint8], quotes: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """Every word (a run of WORD characters, or a percent sign alone): start, end, line, quoted (1 or 0).

    A quote opens at a mark in `quotes`' first column and closes at one of its row's others; it never
    runs past its line. A single mark opens only after a non-word and before a letter, and closes only
    before a non-word, so the apostrophes of "it's" and "the Kims' car" are never quotes.
    """
    n = len(codes)
    spans = np.empty((n, 4), dtype=np.int64)
    found = 0
    line = 0
    outside = len(quotes)
    opener = outside  # the row of `quotes` of the quote the text stands in (not a constant: see the top)
    start = -1  # where the word being read started; -1 between words
    for i in range(n + 1):
        kind = kinds[i] if i < n else 0
        if start >= 0 and not kind & WORD:
            spans[found, 0], spans[found, 1], spans[found, 2], spans[found, 3] = start, i, line, opener < outside
            found += 1
            start = -1
        if i == n:
            break
        if kind & WORD:
            if start < 0:
                start = i
        elif kind & PERCENT_SIGN:
            spans[found, 0], spans[found, 1], spans[found, 2], spans[found, 3] = i, i + 1, line, opener < outside
            found += 1
        elif codes[i] == NEWLINE:
            line += 1
            opener = outside
        elif kind & (DOUBLE_MARK | SINGLE_MARK | CLOSE_MARK):
            before = kinds[i - 1] if i > 0 else 0
            after = kinds[i + 1] if i + 1 < n else 0
            opening = bool(kind & SINGLE_MARK) and not before & WORD and bool(after & LETTER)
            closing = bool(kind & CLOSE_MARK) and not after & WORD and not opening
            if kind & DOUBLE_MARK or opening or closing:
                opener = after_mark(quotes, opener, int(codes[i]), closing)
    return spans[:found]


@compiled
def look_up_words(
    codes: npt.NDArray[np.uint32],
    kinds: npt.NDArray[np.uint8],
    spans: npt.NDArray[np.int64],
    slots: npt.NDArray[np.int32],
    entries: npt.NDArray[np.int64],
    chars: npt.NDArray[np.uint32],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.uint32]]:
    """The words of `spans` but the honorifics, each looked up in the vocabulary: rows (columns START ...
    WORD_NEEDS: the span, the vocabulary row or -1, the class and the class the next word needs), and the
    hash of each word as it becomes (its spelling)."""
    rows = np.empty((len(spans), 7), dtype=np.int64)
    hashes = np.empty(len(spans), dtype=np.uint32)
    found = 0
    for i in range(len(spans)):
        start, end = spans[i, 0], spans[i, 1]
        key = premix(codes, start, end)
        row = find_entry(codes, start, end, key, slots, entries, chars)
        if row < 0:
            rows[found, WORD_CLASS] = digit_class(codes, kinds, start, end)
            rows[found, WORD_NEEDS] = 0
            hashes[found] = mixed(key)
        elif entries[row, ACTION] == DROP:
            continue
        else:
            rows[found, WORD_CLASS] = int(entries[row, CLASS])
            rows[found, WORD_NEEDS] = int(entries[row, NEEDS])
            hashes[found] = np.uint32(entries[row, OUT_HASH])
        for column in range(4):  # START, END, LINE, QUOTED
            rows[found, column] = spans[i, column]
        rows[found, ENTRY] = row
        found += 1
    return rows[:found], hashes[:found]


@compiled
def restyle(rows: npt.NDArray[np.int64]) -> npt.NDArray[np.int8]:
    """What the date and percent rewriting does to each word: 0 keeps it, 1 drops it, 2 makes it "percent".

    A weekday goes; so does a month beside a day number ("Feb 20", "20 February 2024", "20 de febrero",
    "3-4 March") with its day and year; "%", "pct", "per cent" and their kin become one word. No
    rewrite reaches past its line, and a day belongs to one date only.
    """
    count = len(rows)
    edits = np.zeros(count, dtype=np.int8)
    done = 0  # the words before `done` are placed or rewritten
    for at in range(count):
        if at == 0 or rows[at, LINE] != rows[at - 1, LINE]:
            done = at
        special = rows[at, WORD_CLASS]
        if special < 1 or special > LAST_SPECIAL or at < done:
            continue
        end = at
        while end < count and rows[end, LINE] == rows[at, LINE]:
            end += 1
        first, last, replaced = _rewrite(rows[:, WORD_CLASS], rows[at, WORD_NEEDS], done, at, end)
        if last < 0:
            continue
        edits[first:last] = 1
        if replaced:
            edits[at] = 2
        done = last
    return edits


@compiled
def _rewrite(classes: npt.NDArray[np.int64], needs: int, done: int, i: int, end: int) -> tuple[int, int, bool]:
    """The words [first, last) that the special word at `i` takes (last -1: none), and whether "percent"
    stands for them. The line's words end at `end`; those before `done` belong to an earlier rewrite;
    a PERCENT_FIRST takes the next word when its class is `needs`."""
    word = classes[i]
    if word == WEEKDAY:
        return i, i + 1, False
    if word == MONTH:
        before = _days_before(classes, done, i)
        after = 0 if before else _days_after(classes, i, end)
        if before or after:
            step = 1 + after
            return i - before, i + step + _year_at(classes, i + step, end), False
        return 0, -1, False
    if word == PERCENT_ONE:
        return i, i + 1, True
    if word == PERCENT_FIRST and i + 1 < end and classes[i + 1] == needs:
        return i, i + 2, True
    return 0, -1, False


@compiled
def _days_before(classes: npt.NDArray[np.int64], done: int, i: int) -> int:
    """How many of the words just before a month at `i` are its day: "20", "3 4", "20 of"."""
    link = 1 if i - 1 >= done and (classes[i - 1] == DAY_LINK or classes[i - 1] == YEAR_LINK) else 0
    days = 0
    while days < 2 and i - 1 - link - days >= done and classes[i - 1 - link - days] == DAY:
        days += 1
    return link + days if days else 0


@compiled
def _days_after(classes: npt.NDArray[np.int64], i: int, end: int) -> int:
    """How many day numbers follow a month at `i`: "March 3", "March 3-4"."""
    days = 0
    while days < 2 and i + 1 + days < end and classes[i + 1 + days] == DAY:
        days += 1
    return days


@compiled
def _year_at(classes: npt.NDArray[np.int64], j: int, end: int) -> int:
    """How many words at `j` are a date's year: "2024", "de 2024", or none."""
    if j < end and classes[j] == YEAR:
        return 1
    if j + 1 < end and classes[j] == YEAR_LINK and classes[j + 1] == YEAR:
        return 2
    return 0


@compiled
def normal_words(
    codes: npt.NDArray[np.uint32],
    kinds: npt.NDArray[np.uint8],
    quotes: npt.NDArray[np.int64],
    slots: npt.NDArray[np.int32],
    entries: npt.NDArray[np.int64],
    chars: npt.NDArray[np.uint32],
    percent: int,
) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.uint32], npt.NDArray[np.bool_], npt.NDArray[np.uint32]]:
    """The normalised words of a folded text: their hashes, lines and quote flags, and their code points
    (each word followed by a space). Spellings are replaced and dates and percents rewritten: a percent
    becomes the vocabulary's word `percent`."""
    codes, kinds = drop_separators(codes, kinds)
    rows, found = look_up_words(codes, kinds, word_spans(codes, kinds, quotes), slots, entries, chars)
    edits = restyle(rows)
    count = 0
    size = 0  # the code points of the words, each with a space
    for i in range(len(rows)):
        if edits[i] != 1:
            count += 1
            size += _span(rows, i, entries, percent if edits[i] == 2 else -1)[2] + 1
    hashes = np.empty(count, dtype=np.uint32)
    lines = np.empty(count, dtype=np.uint32)
    quoted = np.empty(count, dtype=np.bool_)
    text = np.empty(size, dtype=np.uint32)
    at = 0
    written = 0
    for i in range(len(rows)):
        if edits[i] == 1:
            continue
        lines[at] = rows[i, LINE]
        quoted[at] = rows[i, QUOTED] != 0
        hashes[at] = entries[percent, OUT_HASH] if edits[i] == 2 else found[i]
        replaced, start, length = _span(rows, i, entries, percent if edits[i] == 2 else -1)
        written = _write(chars if replaced else codes, start, start + length, text, written)
        at += 1
    return hashes, lines, quoted, text[:written]


@compiled
def _span(rows: npt.NDArray[np.int64], i: int, entries: npt.NDArray[np.int64], instead: int) -> tuple[bool, int, int]:
    """Where word `i`'s code points stand, or those of the vocabulary's word `instead` (-1: none): in the
    vocabulary's characters (a spelling) or the text; start, length."""
    row = instead if instead >= 0 else rows[i, ENTRY]
    if instead >= 0 or (row >= 0 and entries[row, ACTION] == REPLACE):
        start = int(entries[row, OUT_START])
        return True, start, int(entries[row, OUT_END]) - start
    return False, int(rows[i, START]), int(rows[i, END] - rows[i, START])


@compiled
def _write(source: npt.NDArray[np.uint32], start: int, end: int, text: npt.NDArray[np.uint32], written: int) -> int:
    """Copy source[start:end] and a space into `text` at `written`; the new length."""
    for i in range(start, end):
        text[written] = source[i]
        written += 1
    text[written] = 32
    return written + 1


@compiled
def name_spans(codes: npt.NDArray[np.uint32], kinds: npt.NDArray[np.uint8]) -> npt.NDArray[np.int64]:
    """Start and end of each capitalised word that does not open its sentence, in sentences not in title case.

    A word is a run of NAME_WORD characters from its first NAME_LETTER on; a sentence ends at a line
    break or at a SPACE after a STOP. A sentence whose words are mostly capitalised gives none.
    """
    n = len(codes)
    words = np.empty((n, 4), dtype=np.int64)  # start, end, sentence, capital
    count = 0
    sentence = 0
    in_run = False
    lettered = False
    for i in range(n):
        kind = kinds[i]
        if codes[i] == NEWLINE or (i > 0 and kind & SPACE and kinds[i - 1] & STOP):
            sentence += 1
        if kind & NAME_WORD:
            if not in_run:
                in_run, lettered = True, False
            if not lettered and kind & NAME_LETTER:
                lettered = True
                words[count, 0] = i
                words[count, 1] = n
                words[count, 2] = sentence
                words[count, 3] = 1 if kind & UPPER else 0
                count += 1
        else:
            if in_run and lettered:
                words[count - 1, 1] = i
            in_run = False
    sizes = np.zeros(sentence + 1, dtype=np.int64)
    capitals = np.zeros(sentence + 1, dtype=np.int64)
    for w in range(count):
        if w == 0 or words[w, 2] != words[w - 1, 2]:
            words[w, 3] = 0  # a sentence's first word is capitalised by grammar, not by being a name
        sizes[words[w, 2]] += 1
        capitals[words[w, 2]] += words[w, 3]
    kept = 0
    for w in range(count):
        if words[w, 3] and 2 * capitals[words[w, 2]] <= sizes[words[w, 2]]:
            words[kept, 0] = words[w, 0]
            words[kept, 1] = words[w, 1]
            kept += 1
    return words[:kept, :2]


@compiled
def name_words(codes: npt.NDArray[np.uint32], kinds: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint32]:
    """The code points of the words `name_spans` finds, each followed by a space."""
    spans = name_spans(codes, kinds)
    size = 0
    for i in range(len(spans)):
        size += spans[i, 1] - spans[i, 0] + 1
    out = np.empty(size, dtype=np.uint32)
    written = 0
    for i in range(len(spans)):
        written = _write(codes, spans[i, 0], spans[i, 1], out, written)
    return out


@compiled
def fmix32(value: np.uint64) -> np.uint64:
    """MurmurHash3's finalizer of a 32-bit value, which datasketch's affine schemes apply to every hash."""
    value ^= value >> _S16
    value = (value * _FMIX1) & _M32
    value ^= value >> _S13
    value = (value * _FMIX2) & _M32
    return value ^ (value >> _S16)


@compiled
def minhash(
    hashes: npt.NDArray[np.uint32], a: npt.NDArray[np.uint32], b: npt.NDArray[np.uint32]
) -> npt.NDArray[np.uint32]:
    """The MinHash of a set of 32-bit hashes (repeats change nothing): min of (a * fmix32(h) + b) mod 2**32."""
    out = np.empty(len(a), dtype=np.uint32)
    out[:] = 0xFFFFFFFF
    for h in hashes:
        mixed = np.uint32(fmix32(np.uint64(h)))
        for k in range(len(a)):
            out[k] = min(out[k], np.uint32(a[k] * mixed + b[k]))  # min(), not `if`: it vectorises
    return out


@compiled
def shingles(words: npt.NDArray[np.uint32], n: int) -> npt.NDArray[np.uint32]:
    """The hash of every run of `n` words (of all of them when fewer), from the words' hashes."""
    count = max(1, len(words) - n + 1)
    width = min(n, len(words))
    out = np.empty(count, dtype=np.uint32)
    for k in range(count):
        total = np.uint64(0)
        for j in range(width):
            total = (total * _FNV + np.uint64(words[k + j])) & _M32
        out[k] = np.uint32(total)
    return out


@compiled
def distinct_count(hashes: npt.NDArray[np.uint32]) -> int:
    """How many distinct values `hashes` holds (counted in an open-addressing set: no sort)."""
    size = 4
    while size < 2 * len(hashes):
        size *= 2
    seen = np.zeros(size, dtype=np.uint64)  # each value plus one; 0: an empty slot
    count = 0
    for value in hashes:
        key = np.uint64(value) + _U1
        slot = int((key * _MIX) >> np.uint64(40)) & (size - 1)
        while seen[slot] != 0 and seen[slot] != key:
            slot = (slot + 1) & (size - 1)
        if seen[slot] == 0:
            seen[slot] = key
            count += 1
    return count


@compiled
def signature(
    words: npt.NDArray[np.uint32],
    lines: npt.NDArray[np.uint32],
    quoted: npt.NDArray[np.bool_],
    paragraphs: int,
    n: int,
    a: npt.NDArray[np.uint32],
    b: npt.NDArray[np.uint32],
    sample: int,
) -> tuple[
    npt.NDArray[np.uint32],
    int,
    npt.NDArray[np.uint32],
    npt.NDArray[np.uint32],
    npt.NDArray[np.bool_],
    npt.NDArray[np.int64],
]:
    """A text's MinHash over its `n`-word shingles, how many distinct shingles it has, its sketch (`sketch`)
    and how many words each of its paragraphs holds; from its words' hashes, lines and quote flags."""
    hashes = shingles(words, n)
    kept, kept_lines, kept_quoted = sketch(hashes, lines, quoted, min(n, len(words)), sample)
    most = paragraphs
    for line in lines:
        most = max(most, line + 1)
    sizes = np.zeros(most, dtype=np.int64)
    for line in lines:
        sizes[line] += 1
    return minhash(hashes, a, b), distinct_count(hashes), kept, kept_lines, kept_quoted, sizes


@compiled
def list_hashes(codes: npt.NDArray[np.uint32], bounds: npt.NDArray[np.int64]) -> npt.NDArray[np.uint32]:
    """The hash (`dedup.sign.word_hash`) of each word codes[bounds[i]:bounds[i + 1]]."""
    out = np.empty(len(bounds) - 1, dtype=np.uint32)
    for i in range(len(out)):
        out[i] = mixed(premix(codes, bounds[i], bounds[i + 1]))
    return out


@compiled
def split_hashes(data: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint32]:
    """The hash (`dedup.sign.word_hash`) of each word of UTF-8 bytes, words being split at the ASCII
    white space bytes (tab to carriage return, the separators 28 to 31, and the space)."""
    out = np.empty(len(data) // 2 + 1, dtype=np.uint32)
    count = 0
    total = np.uint64(0)
    power = np.uint64(0)  # 0 between words
    for i in range(len(data) + 1):
        byte = data[i] if i < len(data) else 32
        if (9 <= byte <= 13) or (28 <= byte <= 32):
            if power:
                out[count] = mixed(total)
                count += 1
                total, power = np.uint64(0), np.uint64(0)
            continue
        if not power:
            power = _U1
        total += (np.uint64(byte) + _U1) * power
        power *= _P64
    return out[:count]


@compiled
def heap_sort(values: npt.NDArray[np.uint64]) -> None:
    """Sort `values` in place (a heap sort: a few lines to compile, where numpy's sort costs seconds)."""
    n = len(values)
    for step in range(n // 2 + n - 1):
        if step < n // 2:  # first make a max-heap, from the last parent up,
            root, end = n // 2 - 1 - step, n
        else:  # then move its top behind it, one by one
            end = n - 1 - (step - n // 2)
            values[0], values[end] = values[end], values[0]
            root = 0
        while 2 * root + 1 < end:  # sift values[root] down
            child = 2 * root + 1
            if child + 1 < end and values[child] < values[child + 1]:
                child += 1
            if values[root] >= values[child]:
                break
            values[root], values[child] = values[child], values[root]
            root = child


@compiled
def sketch(
    hashes: npt.NDArray[np.uint32],
    lines: npt.NDArray[np.uint32],
    quoted: npt.NDArray[np.bool_],
    width: int,
    sample: int,
) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.uint32], npt.NDArray[np.bool_]]:
    """The shingles whose mixed hash is a multiple of `sample`, each once (its first occurrence), sorted by
    hash: their hashes, the line of their first word, and whether all their `width` words are quoted."""
    keys = np.empty(len(hashes), dtype=np.uint64)
    count = 0
    for k in range(len(hashes)):
        if fmix32(np.uint64(hashes[k])) % np.uint64(sample) == 0:
            keys[count] = (np.uint64(hashes[k]) << _S32) | np.uint64(k)
            count += 1
    keys = keys[:count]
    heap_sort(keys)
    out_hashes = np.empty(count, dtype=np.uint32)
    out_lines = np.empty(count, dtype=np.uint32)
    out_quoted = np.zeros(count, dtype=np.bool_)
    kept = 0
    for i in range(count):
        value = np.uint32(keys[i] >> _S32)
        if kept and out_hashes[kept - 1] == value:
            continue
        k = int(keys[i] & _M32)
        out_hashes[kept] = value
        out_lines[kept] = lines[k]
        inside = True
        for j in range(width):
            inside = inside and quoted[k + j]
        out_quoted[kept] = inside
        kept += 1
    return out_hashes[:kept], out_lines[:kept], out_quoted[:kept]


_HIGH_BITS = np.uint64(0x8080808080808080)  # a set high bit in any of eight bytes: not all ASCII


def control_bytes(data: bytes) -> int:
    """How many bytes of UTF-8 are C0 controls but tab, line feed, form feed and carriage return, or DEL, or
    \xc2 (which starts every C1 control): `dedup.read`'s bound on a page's control characters, counted in a
    loop the compiler makes into vector instructions (bytes.translate and bytes.count cost ten times as much)."""
    return int(_control_bytes(np.frombuffer(data, dtype=np.uint8)))


@compiled
def _control_bytes(codes: npt.NDArray[np.uint8]) -> int:
    """`control_bytes` over the bytes' codes."""
    count = 0
    for i in range(len(codes)):
        code = codes[i]
        count += (code < 0x09) | (code == 0x0B) | ((code >= 0x0E) & (code < 0x20)) | (code == 0x7F) | (code == 0xC2)
    return count


def utf8_valid(data: bytes) -> bool:
    """Whether bytes are well-formed UTF-8, as `data.decode("utf-8")` would find, without making the text
    (which costs more than the check: a page's text is made wide by one character past Latin-1)."""
    codes = np.frombuffer(data, dtype=np.uint8)
    head = -codes.ctypes.data % 8  # the words are read aligned: from the first byte at an address of eight
    words = np.frombuffer(data, dtype=np.uint64, count=max(0, len(data) - head) // 8, offset=min(head, len(data)))
    return bool(_utf8_valid(codes, words, head))


@compiled
def _utf8_valid(codes: npt.NDArray[np.uint8], words: npt.NDArray[np.uint64], head: int) -> bool:
    """`utf8_valid` over the bytes, `words` being the same bytes from `head` on, eight at a time: runs of ASCII
    are passed a word at a time. The ranges are those of the Unicode standard's table of well-formed UTF-8."""
    n = len(codes)
    i = 0
    while i < n:
        if i >= head and (i - head) % 8 == 0:
            w = (i - head) // 8
            while w < len(words) and (words[w] & _HIGH_BITS) == 0:
                w += 1
            i = max(i, head + w * 8)
            if i >= n:
                break
        lead = codes[i]
        if lead < 0x80:
            i += 1
            continue
        low, high = 0x80, 0xBF  # the second byte's range; the others are all 80..BF
        if 0xC2 <= lead <= 0xDF:
            follow = 1
        elif 0xE0 <= lead <= 0xEF:
            follow = 2
            if lead == 0xE0:
                low = 0xA0
            elif lead == 0xED:
                high = 0x9F  # no surrogates
        elif 0xF0 <= lead <= 0xF4:
            follow = 3
            if lead == 0xF0:
                low = 0x90
            elif lead == 0xF4:
                high = 0x8F  # nothing past U+10FFFF
        else:
            return False
        if i + follow >= n or not low <= codes[i + 1] <= high:
            return False
        for k in range(2, follow + 1):
            if not 0x80 <= codes[i + k] <= 0xBF:
                return False
        i += follow + 1
    return True
