"""The walk of an HTML page's body, compiled: its serialized markup read once, its blocks gathered in one pass.

A page has ~900 nodes, and a walk over them in Python pays a method call and an object for each: more
than all the rest of the HTML cleaner. The parser (lexbor) builds the tree and serializes it again
(its own C code, in a tenth of a millisecond); this loop reads that serialization, which is regular
where pages are not: every element but a void one closed, attribute values in double quotes, text
escaped with four entities only (attribute values with a fifth, &quot;). It is the compiled twin of
the plain walk over nodes that the tests hold it to (`tests/test_clean_markup.py`); `dedup.clean.html`
calls it and keeps the page's vocabulary. MathML is dropped before the walk, as SVG is: inside it,
even the names of void HTML elements are closed. Small elements that hold no article text (buttons, form
fields, players) are left in the markup and passed over here: a selector query pays for each tag it
names, and the walk, for the few it meets.

Every value the loops read is defined in this file or passed in (numba's cache is per file; see
`dedup.kernels`). Text is read a code unit a character, where the str keeps it (`_walk_str`), and
each character's kind comes from a table of the Basic Multilingual Plane; past it no character is
white space, and none counts as a capital or a small letter for the rule that keeps touching links apart.
"""

from __future__ import annotations

import codecs
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from dedup.kernels import TypingError, carray, compiled, inlined, unmanaged

# What a character is to the walk, as bit flags: SPACE is what str.isspace says; UPPER and LOWER
# what str.isupper and str.islower say; ENDING that a text ending with it ends as a sentence does;
# PARTING that it parts a class name's words ("-" and "_"; white space does too).
SPACE, UPPER, LOWER, ENDING, PARTING = 1, 2, 4, 8, 16
# What a tag is to the walk, as bit flags; a tag's clutter reason (its index in REASONS) sits above them.
# A SKIPPED element is passed over with all it holds, as if it were not there (`_skipped_end`).
BLOCK, HEADING, CELL, LINK, VOID, RAW, SKIPPED = 1, 2, 4, 8, 16, 32, 64
REASON_SHIFT = 8
# What an attribute is to the walk.
CLASS, ID, ROLE, HIDDEN, ARIA_HIDDEN = 1, 2, 3, 4, 5
# The clutter reasons marks name; 0 is none.
REASONS = ("", "nav", "ad", "share", "teaser", "prompt", "cookie", "comments", "caption", "footer", "hidden")
NAV, HIDDEN_REASON = REASONS.index("nav"), REASONS.index("hidden")
# The columns of a gathered block's row: its element, innermost mark, whether it is a heading, its link
# characters, words, the element two levels up (a story split into several divs shares it), its characters,
# and whether its last character is an `ENDING` one.
HOME, MARK, HEAD, LINK_CHARS, SIZE, CONTAINER, LENGTH, ENDED = range(8)

_P = np.uint64(0x100000001B3)
_BASIS = np.uint64(0xCBF29CE484222325)
_HALF, _ONE = np.uint64(32), np.uint64(1)
_LT, _GT, _SLASH, _BANG, _AMP, _QUOTE, _EQUALS, _DASH = (ord(c) for c in '<>/!&"=-')
_NEWLINE, _BLANK = 10, 32
# The entities the serializer writes, without their "&", and the characters they stand for.
_ENTITIES = {"amp;": ord("&"), "lt;": ord("<"), "gt;": ord(">"), "nbsp;": 0xA0, "quot;": ord('"')}
_ENTITY_SIZES = np.array([len(name) for name in _ENTITIES], dtype=np.int64)
_NBSP = list(_ENTITIES).index("nbsp;")
_ENTITY_CHARS = np.array(list(_ENTITIES.values()), dtype=np.uint32)
_ENTITY_NAMES = np.array([[ord(c) for c in name.ljust(5, "\0")] for name in _ENTITIES], dtype=np.uint32)


# Words to look up from the loops (`table`), a slot each: its hash, value, and where its code points start
# in the next array, which holds them all (a hash is confirmed by them; a free slot spans no code points);
# last, a sieve: for each length, the first and the last characters its words have (`_may_hold`).
Words = tuple[
    npt.NDArray[np.uint64], npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.uint32], npt.NDArray[np.uint64]
]
_SIEVE_SIZES = 32  # lengths from 31 on share a row of the sieve
# The elements' parents and depths, and the marks' reasons and parents; the arrays the walk writes.
Tree = tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]
# A text's characters, one code unit each: 16 bits where none is past the Basic Multilingual Plane, else 32.
Codes = npt.NDArray[np.uint16] | npt.NDArray[np.uint32]
# What `_walk` gives (the elements' parents and depths, the marks, the blocks' rows, their text), and what
# `_walk_str` gives: the same, the text's code units as bytes, and their width in bytes.
Ints = npt.NDArray[np.int64]
Found = tuple[Ints, Ints, Ints, Ints, Codes]
FoundInStr = tuple[Ints, Ints, Ints, Ints, npt.NDArray[np.uint8], int]


class Walked(NamedTuple):
    """What the walk found: the elements' tree, the clutter marks' tree, and the blocks with their text.

    Elements are numbered as met, after a first one that stands for nothing (the plain walk's start);
    `rows` holds a block a row (columns HOME ... ENDED), `text` the blocks' folded texts, a line each.
    """

    parent: npt.NDArray[np.int64]
    depth: npt.NDArray[np.int64]
    mark_reason: npt.NDArray[np.int64]
    mark_parent: npt.NDArray[np.int64]
    rows: npt.NDArray[np.int64]
    text: str


def codes_of(text: str) -> npt.NDArray[np.uint32]:
    """A text's code points, in a writable array (see `dedup.kernels`)."""
    return np.frombuffer(bytearray(text.encode("utf-32-le", "surrogatepass")), dtype=np.uint32)


def table(words: dict[str, int], fold: bool) -> Words:
    """Words and their values, for look-ups; with `fold`, for look-ups with ASCII capitals as small letters.

    A hash table with open addressing: a word sits at the first free slot from `_slot` of its hash on.
    Slots are four times the words or more, so a look-up of a word that is not there (most class
    names) mostly ends at its first slot, where a binary search took a mispredicted branch a step."""
    hashed = {word: int(word_hash(codes_of(word), 0, len(word), fold)) for word in words}
    size = 1 << max(2, (4 * len(words) - 1).bit_length())
    slots: list[str | None] = [None] * size
    for word in words:
        at = int(slot_of(np.uint64(hashed[word]), np.uint64(size - 1)))
        while slots[at] is not None:
            at = (at + 1) % size
        slots[at] = word
    hashes = np.array([hashed[word] if word is not None else 0 for word in slots], dtype=np.uint64)
    starts = np.cumsum([0] + [len(word or "") for word in slots]).astype(np.int64)  # a free slot spans nothing
    chars = codes_of("".join(word or "" for word in slots))
    values = np.array([words[word] if word is not None else 0 for word in slots], dtype=np.int64)
    return hashes, values, starts, chars, sieve(words)


def sieve(words: dict[str, int]) -> npt.NDArray[np.uint64]:
    """For each length (up to `_SIEVE_SIZES`, the longer as one), a bit for each first character that words
    of that length have, then a row of bits for their last characters (code points modulo 64)."""
    rows = [0] * (2 * _SIEVE_SIZES)
    for word in filter(None, words):
        size = min(len(word), _SIEVE_SIZES - 1)
        rows[size] |= 1 << (ord(word[0]) & 63)
        rows[_SIEVE_SIZES + size] |= 1 << (ord(word[-1]) & 63)
    return np.array(rows, dtype=np.uint64)


def char_table(endings: str) -> npt.NDArray[np.uint8]:
    """Each Basic Multilingual Plane character's flags; `endings` are the characters that end a sentence."""
    chars = np.arange(0x10000, dtype=np.uint32).astype("<u4").view("<U1")  # Python's own character database
    flags = np.char.isspace(chars) * SPACE | np.char.isupper(chars) * UPPER | np.char.islower(chars) * LOWER
    flags[codes_of(endings)] |= ENDING
    flags[codes_of("-_")] |= PARTING
    return flags.astype(np.uint8)


def walk(
    html: str, chars: npt.NDArray[np.uint8], tags: Words, attributes: Words, tokens: Words, roles: Words
) -> Walked:
    """The blocks of a body's serialized markup, and the trees of its elements and clutter marks.

    The markup is read where the str keeps its characters, neither encoded nor copied (`_walk_str`). That
    reads numba's own names for them (`_kind`, `_data`): should a numba to come not know them, each page is
    read as its code points instead, as before, a little slower.
    """
    global _LENT  # learnt once a process: a numba that cannot compile `_walk_str` for a str never will
    if _LENT:
        try:
            parent, depth, marks, rows, out, width = _walk_str(html, chars, tags, attributes, tokens, roles)
        except TypingError:
            _LENT = False
        else:
            return _walked(parent, depth, marks, rows, _text_of(out, width))
    parent, depth, marks, rows, written = _walk(codes_of(html), chars, tags, attributes, tokens, roles)
    return _walked(parent, depth, marks, rows, written.tobytes().decode("utf-32-le", "surrogatepass"))


_LENT = True  # whether numba lends `_walk_str` a str's characters


def walk_codes(
    codes: npt.NDArray[np.uint32],
    chars: npt.NDArray[np.uint8],
    tags: Words,
    attributes: Words,
    tokens: Words,
    roles: Words,
) -> Walked:
    """`walk` over markup given as its code points (as `dedup.clean.dom` writes it)."""
    parent, depth, marks, rows, written = _walk(codes, chars, tags, attributes, tokens, roles)
    return _walked(parent, depth, marks, rows, written.tobytes().decode("utf-32-le", "surrogatepass"))


def _walked(parent: Ints, depth: Ints, marks: Ints, rows: Ints, text: str) -> Walked:
    """What the walk found, each mark's reason and parent in an array of its own."""
    return Walked(parent, depth, np.ascontiguousarray(marks[:, 0]), np.ascontiguousarray(marks[:, 1]), rows, text)


def _text_of(units: npt.NDArray[np.uint8], width: int) -> str:
    """The text whose code units, `width` bytes each (2 or 4), are `units`: a character each, as they were in
    the str walked. Read as UTF-16, lone surrogates side by side would be one character: then as UTF-32."""
    if width == 2:
        text = codecs.utf_16_le_decode(units.data, "surrogatepass", True)[0]
        if 2 * len(text) == len(units):
            return text
        units = units.view(np.uint16).astype(np.uint32).view(np.uint8)
    return codecs.utf_32_le_decode(units.data, "surrogatepass", True)[0]


@compiled
def _walk_str(
    html: str, chars: npt.NDArray[np.uint8], tags: Words, attributes: Words, tokens: Words, roles: Words
) -> FoundInStr:
    """`_walk` over a str's characters, read where CPython keeps them, a code unit of the str's width each:
    4 bytes when one lies past the Basic Multilingual Plane, 2 when one lies past Latin-1, else 1, widened to 2
    (a 1-byte walk would be one more to compile, minutes on a cold cache, to save ~4 us on 1 page in 15).
    The str outlives the read (it is an argument here), and what the walk gives back is new; its text comes
    back as bytes, with the width of its code units."""
    size, width, data = len(html), html._kind, html._data  # type: ignore[attr-defined]
    if width == 4:
        parent, depth, marks, rows, out = _walk(carray(data, size, np.uint32), chars, tags, attributes, tokens, roles)
        return parent, depth, marks, rows, out.view(np.uint8), 4
    codes = carray(data, size, np.uint16) if width == 2 else carray(data, size, np.uint8).astype(np.uint16)
    parent, depth, marks, rows, out = _walk(codes, chars, tags, attributes, tokens, roles)
    return parent, depth, marks, rows, out.view(np.uint8), 2


# The walk's running state, an int64 each in one array that its helpers share: the parts of the block
# being gathered, where its folded text ends so far, its words so far, whether white space came after
# the last of them (or none came yet), the last character gathered, its link characters, whether it
# is a heading; the blocks and characters written; the open elements; the innermost one, its mark,
# whether it is inside a link; the parts gathered when a link last closed, or when a link opened right
# after one (-1: none); whether elements were left since the last node, and if the node before was in
# a link; how many elements and marks were numbered; where the last start tag a text node ended at is, and
# its flags (`_skipped_end` looks it up).
PARTS, FOLDED, WORDS, SPACED, LAST, LINKED, HEADED, BLOCKS, WRITTEN = range(9)
OPEN, ELEMENT, MARK_AT, IN_LINK, LINK_END, GAP, LEFT, WAS_LINK, ELEMENTS, MARKS = range(9, 19)
NEXT_AT, NEXT_TAG = 19, 20
_STATE = 21


@inlined
def _word_hash(codes: Codes, start: int, end: int, fold: bool) -> np.uint64:
    """FNV-1a over codes[start:end]; with `fold`, ASCII capitals taken as small letters."""
    total = _BASIS
    for i in range(start, end):
        total = (total ^ np.uint64(_lower(_at(codes, i)) if fold else _at(codes, i))) * _P
    return total


@compiled
def word_hash(codes: npt.NDArray[np.uint32], start: int, end: int, fold: bool) -> np.uint64:
    """FNV-1a over codes[start:end]; with `fold`, ASCII capitals taken as small letters."""
    return _word_hash(codes, start, end, fold)


@inlined
def _at(codes: Codes, i: int) -> np.uint32:
    """codes[i], for an `i` that is not negative: read at an unsigned index, for which numba leaves out its
    turn of negative ones into ones from the end (a compare and a select a read; the walk, 15% faster)."""
    return np.uint32(codes[np.uint64(i)])


@inlined
def _put(out: Codes, i: int, code: int | np.uint32) -> None:
    """out[i] = code, for an `i` that is not negative (see `_at`)."""
    out[np.uint64(i)] = code


@inlined
def _lower(code: np.uint32) -> int:
    """An ASCII capital's small letter; any other code point as it is."""
    return int(code) + 32 if 65 <= code <= 90 else int(code)


@inlined
def _slot(total: np.uint64, mask: np.uint64) -> np.int64:
    """A hash's first slot in a `table` of mask + 1 slots: its high half folded onto its low one."""
    return np.int64((total ^ (total >> _HALF)) & mask)


@compiled
def slot_of(total: np.uint64, mask: np.uint64) -> np.int64:
    """A hash's first slot in a `table` of mask + 1 slots."""
    return _slot(total, mask)


@inlined
def _look_up(codes: Codes, start: int, end: int, words: Words, fold: bool) -> int:
    """The value of codes[start:end] in a `table`, or 0 if it is not there."""
    if end <= start or not _may_hold(codes, start, end, words, fold):
        return 0
    return _found(codes, start, end, _word_hash(codes, start, end, fold), words, fold)


@inlined
def _may_hold(codes: Codes, start: int, end: int, words: Words, fold: bool) -> bool:
    """Whether a `table` may hold codes[start:end] (not empty): whether it has words of that length with
    such a first and last character. Most class words and attribute names are told apart so, unhashed."""
    sieve = words[4]
    size = min(end - start, _SIEVE_SIZES - 1)
    first = np.uint64((_lower(_at(codes, start)) if fold else int(_at(codes, start))) & 63)
    last = np.uint64((_lower(_at(codes, end - 1)) if fold else int(_at(codes, end - 1))) & 63)
    return bool((sieve[size] >> first) & (sieve[_SIEVE_SIZES + size] >> last) & _ONE)


@compiled
def look_up(codes: Codes, start: int, end: int, words: Words, fold: bool) -> int:
    """The value of codes[start:end] in a `table`, or 0 if it is not there (the loops' look-up, for the tests)."""
    return _look_up(codes, start, end, words, fold)


@inlined
def _found(codes: Codes, start: int, end: int, total: np.uint64, words: Words, fold: bool) -> int:
    """The value of codes[start:end] (not empty), its `_word_hash` `total`, in a `table`, or 0 if it is not there."""
    hashes, values, starts, chars, _ = words
    mask = len(hashes) - 1
    row = _slot(total, np.uint64(mask))
    while starts[row + 1] > starts[row]:  # up to a free slot
        if hashes[row] == total and starts[row + 1] - starts[row] == end - start:
            at = starts[row]
            same = True
            for i in range(end - start):
                if (_lower(_at(codes, start + i)) if fold else _at(codes, start + i)) != chars[at + i]:
                    same = False
                    break
            if same:
                return int(values[row])
        row = (row + 1) & mask
    return 0


@inlined
def _flags(chars: npt.NDArray[np.uint8], code: np.uint32) -> int:
    """A character's flags (none past the Basic Multilingual Plane)."""
    return int(chars[code]) if code < 0x10000 else 0


@inlined
def _is_separator(chars: npt.NDArray[np.uint8], code: np.uint32) -> bool:
    """Whether a class name's words part at this character: white space, "-" or "_"."""
    return bool(_flags(chars, code) & (SPACE | PARTING))


@inlined
def _named(codes: Codes, start: int, end: int, chars: npt.NDArray[np.uint8], tokens: Words) -> int:
    """The clutter a class or id names: its first word (parted at white space, "-", "_" and camelCase) that
    `tokens` knows."""
    i = start
    while i < end:
        if _is_separator(chars, _at(codes, i)):
            i += 1
            continue
        if _at(codes, i) == _AMP and _spells(codes, i + 1, end, _NBSP):  # the serializer's no-break space: white space
            i += 1 + _ENTITY_SIZES[_NBSP]
            continue
        word = i
        i += 1
        while (
            i < end
            and not _is_separator(chars, _at(codes, i))
            and not (_at(codes, i) == _AMP and _spells(codes, i + 1, end, _NBSP))
            and not (97 <= _at(codes, i - 1) <= 122 and 65 <= _at(codes, i) <= 90)
        ):
            i += 1
        reason = _look_up(codes, word, i, tokens, True)
        if reason:
            return reason
    return 0


@inlined
def _start_tag(
    codes: Codes, at: int, chars: npt.NDArray[np.uint8], attributes: Words, roles: Words
) -> tuple[int, int, int, int, int, int, int]:
    """A start tag at codes[at] ("<"): where it ends (after ">"), its name's end, its class and id values'
    spans (-1 where absent), and the clutter its other attributes declare (hidden, a navigation role)."""
    n = len(codes)
    i = at + 1
    while i < n and _at(codes, i) != _GT and _at(codes, i) != _SLASH and not _between_names(_at(codes, i)):
        i += 1
    name_end = i
    names, names_end, ident, ident_end = -1, -1, -1, -1
    hidden, navigation = False, False
    while i < n and _at(codes, i) != _GT:
        if _at(codes, i) == _SLASH or _between_names(_at(codes, i)):
            i += 1
            continue
        key = i
        i += 1  # a name's first character may be "=" (lexbor writes `<p =a="">`)
        while i < n and _at(codes, i) != _EQUALS and _at(codes, i) != _GT and not _between_names(_at(codes, i)):
            i += 1
        key_end, value, value_end = i, i, i
        if i < n and _at(codes, i) == _EQUALS and i + 1 < n and _at(codes, i + 1) == _QUOTE:
            value = i + 2
            i = value
            i = _quote_at(codes, i)  # the serializer writes a value's quote marks as &quot;
            value_end = i
            i += 1
        attribute = _look_up(codes, key, key_end, attributes, True)
        if attribute == CLASS:
            names, names_end = value, value_end
        elif attribute == ID:
            ident, ident_end = value, value_end
        elif attribute == HIDDEN:
            hidden = True
        elif attribute == ARIA_HIDDEN:
            hidden = hidden or _look_up(codes, value, value_end, roles, False) == HIDDEN_REASON
        elif attribute == ROLE:
            navigation = _look_up(codes, value, value_end, roles, False) == NAV
    declared = HIDDEN_REASON if hidden else NAV if navigation else 0
    return min(i + 1, n), name_end, names, names_end, ident, ident_end, declared


@inlined
def _quote_at(codes: Codes, at: int) -> int:
    """Where the first '"' from codes[at] on is (or the end), looked for four characters a step: one branch
    for four, most of them not taken (attribute values, their links above all, are half of a page)."""
    n = len(codes)
    i = at
    while i + 4 <= n and not (
        (_at(codes, i) == _QUOTE)
        | (_at(codes, i + 1) == _QUOTE)
        | (_at(codes, i + 2) == _QUOTE)
        | (_at(codes, i + 3) == _QUOTE)
    ):
        i += 4
    while i < n and _at(codes, i) != _QUOTE:
        i += 1
    return i


@inlined
def _between_names(code: np.uint32) -> bool:
    """Whether a character parts a tag's names: HTML's white space (tab, line feed, form feed, return, space)."""
    return bool(code == _BLANK or code == 9 or code == 10 or code == 12 or code == 13)


@inlined
def _after(codes: Codes, at: int) -> tuple[int, bool]:
    """Where a comment, doctype or end tag starting at codes[at] ("<") ends, and whether it is an end tag."""
    n = len(codes)
    if at + 3 < n and _at(codes, at + 1) == _BANG and _at(codes, at + 2) == _DASH and _at(codes, at + 3) == _DASH:
        i = at + 4
        while i + 2 < n and not (_at(codes, i) == _DASH and _at(codes, i + 1) == _DASH and _at(codes, i + 2) == _GT):
            i += 1
        return min(i + 3, n), False
    i = at + 1
    while i < n and _at(codes, i) != _GT:
        i += 1
    return min(i + 1, n), _at(codes, at + 1) == _SLASH


@inlined
def _raw_end(codes: Codes, at: int, name: int, name_end: int) -> int:
    """Where the text of a raw-text element (its tag's name at codes[name:name_end]) ends: at its end tag."""
    n = len(codes)
    size = name_end - name
    i = at
    while i < n:
        if _at(codes, i) == _LT and i + 1 < n and _at(codes, i + 1) == _SLASH and i + 3 + size <= n:
            same = (
                _at(codes, i + 2 + size) == _GT
                or _at(codes, i + 2 + size) == _SLASH
                or _between_names(_at(codes, i + 2 + size))
            )
            for j in range(size):
                if not same or _lower(_at(codes, i + 2 + j)) != _lower(_at(codes, name + j)):
                    same = False
                    break
            if same:
                return i
        i += 1
    return n


@inlined
def _char(codes: Codes, at: int, end: int, raw: bool) -> tuple[np.uint32, int]:
    """The character of a text node at codes[at], an entity decoded unless the node is raw text; where the next
    one starts."""
    code = _at(codes, at)
    if code == _AMP and not raw:
        for row in range(len(_ENTITY_SIZES)):
            if _spells(codes, at + 1, end, row):
                return _ENTITY_CHARS[row], at + 1 + _ENTITY_SIZES[row]
    return code, at + 1


@inlined
def _spells(codes: Codes, at: int, end: int, row: int) -> bool:
    """Whether codes[at:end] starts with the name of entity `row` (after its "&")."""
    size = _ENTITY_SIZES[row]
    if at + size > end:
        return False
    for j in range(size):  # noqa: SIM110 (numba compiles no generators)
        if _at(codes, at + j) != _ENTITY_NAMES[row, j]:
            return False
    return True


@inlined
def _skipped_end(state: npt.NDArray[np.int64], codes: Codes, at: int, tags: Words) -> int:
    """Where the skipped elements (`SKIPPED`) that start at codes[at] (a "<") side by side end; `at` if none does.
    The start tag found after them is noted with its flags, for `_gather` to look up no more."""
    n = len(codes)
    while at + 1 < n and _at(codes, at) == _LT and 97 <= _lower(_at(codes, at + 1)) <= 122:
        name_end = _name_end(codes, at + 1)
        tag = _look_up(codes, at + 1, name_end, tags, True)
        if not tag & SKIPPED:
            state[NEXT_AT], state[NEXT_TAG] = at, tag
            break
        at = _element_end(codes, at, _tag_end(codes, name_end), name_end, tag, tags)
    return at


@inlined
def _name_end(codes: Codes, at: int) -> int:
    """Where a tag's name that starts at codes[at] ends."""
    n = len(codes)
    i = at
    while i < n and _at(codes, i) != _GT and _at(codes, i) != _SLASH and not _between_names(_at(codes, i)):
        i += 1
    return i


@inlined
def _tag_end(codes: Codes, at: int) -> int:
    """Where a start tag whose attributes start at codes[at] ends (after its ">"): a ">" in a quoted value
    does not end it, as for `_start_tag`."""
    n = len(codes)
    i = at
    while i < n and _at(codes, i) != _GT:
        if _at(codes, i) == _EQUALS and i + 1 < n and _at(codes, i + 1) == _QUOTE:
            i = _quote_at(codes, i + 2)
        i += 1
    return min(i + 1, n)


@inlined
def _element_end(codes: Codes, at: int, end: int, name_end: int, tag: int, tags: Words) -> int:
    """Where the element whose start tag is codes[at:end] (its name ending at `name_end`, its flags `tag`)
    ends, after all it holds: a void one at its start tag's end, a raw-text one at its end tag's, any other
    at its matching end tag's, the elements inside counted."""
    n = len(codes)
    if tag & VOID:
        return end
    if tag & RAW:
        close = _raw_end(codes, end, at + 1, name_end)
        return _after(codes, close)[0] if close < n else n
    depth, i = 1, end
    while i < n:
        if _at(codes, i) != _LT or i + 1 >= n:  # text: escaped, so up to the next "<"
            i += 1
        elif 97 <= _lower(_at(codes, i + 1)) <= 122:
            inner_name_end = _name_end(codes, i + 1)
            inner = _look_up(codes, i + 1, inner_name_end, tags, True)
            inner_end = _tag_end(codes, inner_name_end)
            if inner & RAW:  # its text runs to its end tag, whatever it holds
                close = _raw_end(codes, inner_end, i + 1, inner_name_end)
                i = _after(codes, close)[0] if close < n else n
            else:
                depth += 0 if inner & VOID else 1
                i = inner_end
        else:
            i, closing = _after(codes, i)
            depth -= 1 if closing else 0
            if not depth:
                return i
    return n


@inlined
def _left_since(state: npt.NDArray[np.int64]) -> None:
    """At a node after elements were left: a link that closed with them ends where the gathered parts do."""
    if state[LEFT]:
        state[LEFT] = 0
        if state[WAS_LINK] and not state[IN_LINK]:
            state[LINK_END] = state[PARTS]
        elif not state[PARTS]:
            state[LINK_END] = -1


@inlined
def _text(
    state: npt.NDArray[np.int64],
    codes: Codes,
    start: int,
    end: int,
    raw: bool,
    chars: npt.NDArray[np.uint8],
    tags: Words,
    out: Codes,
) -> int:
    """A text node from codes[start] on joins the block being gathered (white space between blocks does not):
    its characters go out as they are read, its white space folded. It ends at `end`, or unless it is raw
    text, at a "<" before; where it ends. A skipped element (`SKIPPED`) does not end it: the text on both
    sides is one node, as it is once the element is taken out of the tree."""
    code, i = _char(codes, start, end, raw)
    # Links side by side, a small letter ending one and a capital opening the next: words apart.
    if state[GAP] == state[PARTS] and _flags(chars, code) & UPPER and _flags(chars, np.uint32(state[LAST])) & LOWER:
        _gather_space(state)  # (never before a block's first part: GAP is -1 or a count of parts)
    state[GAP] = -1
    written, words, spaced = state[FOLDED], state[WORDS], state[SPACED]
    count, first, last = 0, -1, -1  # characters read; the first and last not white space
    while True:
        if _flags(chars, code) & SPACE:
            spaced = True
        else:
            if spaced:
                if words:
                    _put(out, written, _BLANK)
                    written += 1
                words += 1
                spaced = False
            _put(out, written, code)
            written += 1
            first = count if first < 0 else first
            last = count
        count += 1
        if i < end and _at(codes, i) == _LT and not raw:
            i = _skipped_end(state, codes, i, tags)
            if i < end and _at(codes, i) == _LT:
                break
        if i >= end:
            break
        code, i = _char(codes, i, end, raw)
    if first < 0 and not state[PARTS]:
        return i
    state[FOLDED], state[WORDS], state[SPACED] = written, words, spaced
    state[PARTS] += 1
    state[LAST] = code
    if state[IN_LINK] and first >= 0:
        state[LINKED] += last - first + 1
    return i


@inlined
def _gather_space(state: npt.NDArray[np.int64]) -> None:
    """A space joins the block being gathered, as a part of its own (table cells, touching links)."""
    state[SPACED] = 1
    state[PARTS] += 1
    state[LAST] = _BLANK


@inlined
def _flush(
    state: npt.NDArray[np.int64],
    chars: npt.NDArray[np.uint8],
    home: int,
    mark: int,
    rows: npt.NDArray[np.int64],
    out: Codes,
) -> None:
    """End the block being gathered: its text, white space folded, goes out with its row, if it holds a word."""
    if state[PARTS]:
        written = state[FOLDED]
        if state[WORDS]:
            row = state[BLOCKS]
            rows[row, HOME], rows[row, MARK], rows[row, HEAD] = home, mark, state[HEADED]
            rows[row, LINK_CHARS], rows[row, SIZE] = state[LINKED], state[WORDS]
            rows[row, LENGTH] = written - state[WRITTEN]
            rows[row, ENDED] = 1 if _flags(chars, out[written - 1]) & ENDING else 0
            _put(out, written, _NEWLINE)
            state[WRITTEN] = written + 1
            state[BLOCKS] = row + 1
        state[PARTS], state[FOLDED], state[WORDS], state[SPACED] = 0, state[WRITTEN], 0, 1
        state[LINKED] = 0
    state[HEADED] = 0


@inlined
def _close(
    state: npt.NDArray[np.int64],
    stack: npt.NDArray[np.int64],
    chars: npt.NDArray[np.uint8],
    rows: npt.NDArray[np.int64],
    out: Codes,
) -> None:
    """The innermost open element ends: a block element ends its block."""
    if not state[LEFT]:
        state[LEFT], state[WAS_LINK] = 1, state[IN_LINK]
    top = state[OPEN] - 1
    state[OPEN] = top
    if stack[top, 3] and state[PARTS]:
        _flush(state, chars, stack[top, 0], stack[top, 1], rows, out)
    elif stack[top, 3]:
        state[HEADED] = 0
    if top:
        state[ELEMENT], state[MARK_AT], state[IN_LINK] = stack[top - 1, 0], stack[top - 1, 1], stack[top - 1, 2]
    else:
        state[ELEMENT], state[MARK_AT], state[IN_LINK] = -1, -1, 0


@inlined
def _open(
    state: npt.NDArray[np.int64],
    stack: npt.NDArray[np.int64],
    tag: int,
    reason: int,
    tree: Tree,
    chars: npt.NDArray[np.uint8],
    rows: npt.NDArray[np.int64],
    out: Codes,
) -> None:
    """An element opens (its flags `tag`, the clutter it names `reason`): a block element ends the block before."""
    parent, depth, marks = tree
    if reason:
        at = state[MARKS]
        marks[at, 0], marks[at, 1] = reason, state[MARK_AT]
        state[MARK_AT], state[MARKS] = at, at + 1
    top = state[OPEN]
    if tag & BLOCK and state[PARTS]:
        _flush(state, chars, state[ELEMENT], stack[top - 1, 1] if top else -1, rows, out)
        state[LINK_END] = -1
    elif tag & BLOCK:
        state[HEADED] = 0
    elif tag & CELL:
        _gather_space(state)  # a table row is one block, its cells apart
    elif tag & LINK and not state[IN_LINK] and state[PARTS] and state[LINK_END] == state[PARTS]:
        state[GAP] = state[PARTS]
    if tag & HEADING:
        state[HEADED] = 1
    element, new = state[ELEMENT], state[ELEMENTS]
    parent[new] = element
    depth[new] = (depth[element] if element >= 0 else depth[new - 1]) + 1  # the plain walk's depth[-1]
    state[ELEMENTS] = new + 1
    state[ELEMENT] = new
    state[IN_LINK] = 1 if state[IN_LINK] or tag & LINK else 0
    stack[top, 0], stack[top, 1], stack[top, 2], stack[top, 3] = new, state[MARK_AT], state[IN_LINK], tag & BLOCK
    state[OPEN] = top + 1


@compiled
def _walk(
    codes: Codes,
    chars: npt.NDArray[np.uint8],
    tags: Words,
    attributes: Words,
    tokens: Words,
    roles: Words,
) -> Found:
    """The walk over serialized markup: the elements' parents and depths, the marks, the blocks' rows and text."""
    n = len(codes)
    bound = 2  # elements (and the first, standing for nothing): one a "<" at most
    for i in range(n):
        bound += _at(codes, i) == _LT
    tree = (np.full(bound, -1, np.int64), np.zeros(bound, np.int64), np.empty((bound, 2), np.int64))
    stack = np.empty((bound, 4), np.int64)
    rows = np.empty((bound, 8), np.int64)  # a block holds a text node's word: one a "<" at most, and one more
    spaced = n + 2 * bound  # a block's text and the spaces and line breaks put between
    out = np.empty(spaced, codes.dtype)
    state = np.zeros(_STATE, np.int64)
    state[ELEMENT], state[MARK_AT], state[LINK_END], state[GAP], state[ELEMENTS] = -1, -1, -1, -1, 1
    state[NEXT_AT] = -1
    state[SPACED] = 1
    _gather(codes, chars, (tags, attributes, tokens, roles), tree, stack, state, rows, out)
    parent, depth, marks = tree
    for row in range(state[BLOCKS]):
        up = parent[rows[row, HOME]] if rows[row, HOME] >= 0 else -1
        rows[row, CONTAINER] = parent[up] if up >= 0 else -1
    return (
        parent[: state[ELEMENTS]],
        depth[: state[ELEMENTS]],
        marks[: state[MARKS]],
        rows[: state[BLOCKS]],
        out[: state[WRITTEN]],
    )


@unmanaged
def _gather(
    codes: Codes,
    chars: npt.NDArray[np.uint8],
    tables: tuple[Words, Words, Words, Words],
    tree: Tree,
    stack: npt.NDArray[np.int64],
    state: npt.NDArray[np.int64],
    rows: npt.NDArray[np.int64],
    out: Codes,
) -> None:
    """The loop of `_walk`, node by node, over arrays it allocated."""
    tags, attributes, tokens, roles = tables
    n = len(codes)
    at = 0
    while at < n:
        if _at(codes, at) != _LT or at + 1 >= n:
            _left_since(state)
            end = _text(state, codes, at, n, False, chars, tags, out)
            at = end
            continue
        if not 97 <= _lower(_at(codes, at + 1)) <= 122:  # not a start tag: an end tag, a comment, a doctype
            at, closing = _after(codes, at)
            if closing:
                if not state[OPEN]:
                    break
                _close(state, stack, chars, rows, out)
            else:
                _left_since(state)
            continue
        end, name_end, names, names_end, ident, ident_end, declared = _start_tag(codes, at, chars, attributes, roles)
        tag = state[NEXT_TAG] if state[NEXT_AT] == at else _look_up(codes, at + 1, name_end, tags, True)
        if tag & SKIPPED:  # no node for the walk: nothing it holds, nor the element itself
            at = _element_end(codes, at, end, name_end, tag, tags)
            continue
        reason = tag >> REASON_SHIFT or declared
        if not reason and names >= 0:
            reason = _named(codes, names, names_end, chars, tokens)
        if not reason and ident >= 0:
            reason = _named(codes, ident, ident_end, chars, tokens)
        _left_since(state)
        _open(state, stack, tag, reason, tree, chars, rows, out)
        if tag & RAW:  # its text runs to its end tag, whatever it holds
            start, at = at, end
            end = _raw_end(codes, at, start + 1, name_end)
            if end > at:
                _left_since(state)
                _text(state, codes, at, end, True, chars, tags, out)  # (ends at `end`)
            end = _after(codes, end)[0] if end < n else n
        if tag & (VOID | RAW):
            _close(state, stack, chars, rows, out)
        at = end
