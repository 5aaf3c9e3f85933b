"""A parsed page's body read where lexbor keeps it: one compiled pass over the tree instead of three walks.

Before its own walk (`dedup.clean.markup`), the HTML cleaner had lexbor walk a page's tree three times:
a selector query for what to drop (`html.DROPPED_TAGS`) and for the page's furniture (`html.FURNITURE`),
the text of the whole body (furniture is judged against it), and a serialization for the walk to read.
Each of them chases a few thousand nodes' pointers through memory. This pass walks the tree once: it
leaves out what is dropped, notes each piece of furniture with its text's length and where its markup
lies, counts the body's text, matches the metadata selectors against the head's and the body's `<meta>`
and `<link>` elements, and writes the markup the walk reads (`read`). The furniture the cleaner takes out
is then cut from that markup: the tree is never changed.

The markup is written for the walk, which reads tags' names, five attributes (class, id, role, hidden,
aria-hidden) and text: an element whose name the walk does not know is written `<x>`, other attributes
are left out, a comment is written `<!---->`. Text and the five attributes are escaped as lexbor's
serializer escapes them, and elements are closed as it closes them, so the walk reads what it read from
lexbor's serialization (`tests/test_clean_dom.py` holds the two ways to one another).

The pass reads lexbor's structs at their offsets, as the lexbor of selectolax 1.0 lays them out on a 64-bit
machine (`_NAME` ...). Before the first page, `tables` checks each offset against lexbor's own accessors
(through ctypes) node by node of a probe page. With another selectolax (whose lexbor may lay them out
otherwise: it is read only once checked here, `CHECKED_SELECTOLAX`), or a lexbor that does not export its
accessors, pages go the old way, through selectolax's API (`html.pruned_page_blocks`), a little slower.

Every value the loops read is defined in this file or passed in (numba's cache is per file; see
`dedup.kernels`).
"""

from __future__ import annotations

import ctypes
import os
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
from selectolax.lexbor import LexborHTMLParser

from dedup.kernels import carray, compiled, inlined

# lexbor's structs as 64-bit words. A node: its name's id (a tag's, an attribute's), its namespace, its
# next sibling, parent and first child, its type (the low half of its word). Text and comments: their
# data and its length. An element: its first attribute. An attribute: its value (a string: data, length)
# and the next attribute. A name lexbor does not know (an id past `STATIC_IDS`) is a hash entry: the name
# is inside it up to `_INLINE_NAME` bytes, else pointed to, and its length is at `_ENTRY_LENGTH`.
_NAME, _PREFIX, _NS, _NEXT, _PARENT, _FIRST, _TYPE = 1, 2, 3, 5, 7, 8, 11
_DATA, _LENGTH = 12, 13
_FIRST_ATTRIBUTE = 15
_VALUE, _NEXT_ATTRIBUTE = 14, 16
_ENTRY_LENGTH, _INLINE_NAME = 3, 16
_NODE_WORDS = 17  # an element's words up to its first attribute's, an attribute's up to its next one's
ELEMENT, TEXT, INSTRUCTION, COMMENT = 1, 3, 7, 8  # the node types the pass reads
STATIC_IDS = 4096  # lexbor's own names have ids below this; the others are addresses
CHECKED_SELECTOLAX = ("1.0.",)  # the selectolax versions whose lexbor the pass was checked against

# What a tag is to the pass, as bit flags (`Tables.tags`, by id); its name's row in `Tables.names` sits above.
DROPPED, SKIPPED, VOID, RAW, DECLARING, TEXT_ONLY, NAV_TAG, FOOTER_TAG, ASIDE_TAG, META_TAG = (
    1 << i for i in range(10)
)
# The tags the pass knows of itself: furniture by its tag (`html.FURNITURE`), the elements that may declare
# the page's metadata, and those whose children are only their text.
_OWN_TAGS = {"nav": NAV_TAG, "footer": FOOTER_TAG, "aside": ASIDE_TAG, "meta": META_TAG | DECLARING}
_OWN_TAGS |= {"link": DECLARING, "script": TEXT_ONLY, "style": TEXT_ONLY}
# The elements HTML's serializer writes apart from the others: the void ones (no end tag) and those whose text
# it writes as it is. Any other element lexbor knows is written as all are.
_SERIALIZED_APART = frozenset(
    {"area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "input", "keygen", "link"}
    | {"meta", "param", "source", "track", "wbr", "image"}
    | {"style", "script", "xmp", "iframe", "noembed", "noframes", "plaintext", "noscript"}
)
NAME_SHIFT = 16
# What an attribute is to the pass (`Tables.attributes`, by id, and `Tables.dynamic`, by name).
CLASS, ID, ROLE, HIDDEN, ARIA_HIDDEN, STYLE, PROPERTY, NAME, ITEMPROP, REL, CONTENT, HREF = range(1, 13)
WRITTEN_ATTRIBUTES = {"class": CLASS, "id": ID, "role": ROLE, "hidden": HIDDEN, "aria-hidden": ARIA_HIDDEN}
DECLARED_ATTRIBUTES = {"property": PROPERTY, "name": NAME, "itemprop": ITEMPROP, "rel": REL}
DECLARED_ATTRIBUTES |= {"content": CONTENT, "href": HREF}
ATTRIBUTES = {**WRITTEN_ATTRIBUTES, "style": STYLE, **DECLARED_ATTRIBUTES}
# The furniture's reasons (`html.FURNITURE`), as the pass gives them.
NAV, FOOTER, TEASER, HIDDEN_PIECE = range(1, 5)
PIECE_REASONS = ("", "nav", "footer", "teaser", "hidden")  # their names, as `html.FURNITURE` gives them
# The columns of a piece of furniture's row: where its markup starts and ends, its text's characters and
# nodes, whether it holds a word, whether an element the walk skips holds it, its reason, and where its
# text starts and ends in the body's text (`Read.text`).
START, END, CHARS, NODES, WORDS, IN_SKIPPED, REASON, TEXT_START, TEXT_END = range(9)
# The columns of a metadata selector's row (`Read.found`): whether an element matches it (`EXACT`, or
# `OTHER_CASE` when the first to match it does so in other case alone), and where the bytes of that element's
# `content` (a `<meta>`) or `href` (a `<link>`) lie in `Read.values` (-1: it has none).
MATCH, VALUE_START, VALUE_END = range(3)
EXACT, OTHER_CASE = 1, 2

_LT, _GT, _AMP, _QUOTE, _SLASH, _SPACE, _EQUALS, _X = (ord(c) for c in '<>&"/ =x')
_NBSP = 0xA0
_ESCAPED = (_AMP, _LT, _GT, _NBSP)  # the characters lexbor escapes in text
_CHAR_SPACE = 1  # `markup.SPACE`: the flag of white space in the characters' table the pass is given
_AMP_NAME = np.array([ord(c) for c in "&amp;"], dtype=np.uint32)
_LT_NAME = np.array([ord(c) for c in "&lt;"], dtype=np.uint32)
_GT_NAME = np.array([ord(c) for c in "&gt;"], dtype=np.uint32)
_NBSP_NAME = np.array([ord(c) for c in "&nbsp;"], dtype=np.uint32)
_QUOT_NAME = np.array([ord(c) for c in "&quot;"], dtype=np.uint32)
_COMMENT = np.array([ord(c) for c in "<!---->"], dtype=np.uint32)
_INSTRUCTION = np.array([ord(c) for c in "<?>"], dtype=np.uint32)
# What the style attribute of hidden furniture holds (ASCII, any case): `html.FURNITURE`'s last rows.
_HIDING = ("display:none", "display: none", "visibility:hidden")
_HIDING_CHARS = np.array([[ord(c) for c in text.ljust(20, "\0")] for text in _HIDING], dtype=np.uint8)
_HIDING_SIZES = np.array([len(text) for text in _HIDING], dtype=np.int64)
_WRITTEN_NAMES = np.array(
    [[ord(c) for c in name.ljust(12, "\0")] for name in ("", *WRITTEN_ATTRIBUTES)], dtype=np.uint32
)
_WRITTEN_SIZES = np.array([len(name) for name in ("", *WRITTEN_ATTRIBUTES)], dtype=np.int64)
_NAVIGATION = np.array([ord(c) for c in "navigation"], dtype=np.uint8)
_CONTENTINFO = np.array([ord(c) for c in "contentinfo"], dtype=np.uint8)
_TRUE = np.array([ord(c) for c in "true"], dtype=np.uint8)

Ints = npt.NDArray[np.int64]
# What `_kind` reads: the kinds of the attributes lexbor knows (by id), the names of the others with their
# kinds (bytes, rows from the starts), and the page's cache of the kinds of the others (ids, kinds).
Names = tuple[Ints, Ints, npt.NDArray[np.uint8], Ints, npt.NDArray[np.uint64], Ints]
_CACHE_SLOTS = 256


class Tables(NamedTuple):
    """What the pass looks names up in: each tag's flags and name row (by id), the names it writes (code
    points, rows from `name_starts`), each attribute's kind (by id), the kinds of the names lexbor
    does not know (their bytes, rows from `dynamic_starts`), the HTML namespace's id, the characters' flags
    (`markup.char_table`), and the metadata selectors (`html.META_TITLE` ...)."""

    tags: Ints
    name_starts: Ints
    names: npt.NDArray[np.uint32]
    attributes: Ints
    dynamic_starts: Ints
    dynamic: npt.NDArray[np.uint8]
    dynamic_kinds: Ints
    html_ns: int
    chars: npt.NDArray[np.uint8]
    selector_meta: Ints  # each metadata selector's element: a <meta> (1) or a <link> (0)
    selector_kinds: Ints  # the attribute it asks about (`PROPERTY` ...)
    selector_starts: Ints  # where the value it asks for starts in `selector_values` (ASCII)
    selector_values: npt.NDArray[np.uint8]


class Read(NamedTuple):
    """What the pass read from a page: the walk's markup, the furniture, the body's text length (as
    `len(body.text(separator=" "))` gives it once the dropped elements are out), and for each metadata
    selector, the value its first `<meta>` or `<link>` element in the head or the body declares."""

    markup: npt.NDArray[np.uint32]
    pieces: Ints
    total: int
    found: Ints  # a row for each metadata selector (`MATCH` ...)
    values: npt.NDArray[np.uint8]
    text: npt.NDArray[np.uint8]  # the body's text nodes' bytes, a space between (the dropped elements' left out)


def read(root_id: int, head_id: int, tables: Tables) -> Read | None:
    """The pass over the body whose node is at `root_id` (its `mem_id`), the `<meta>` and `<link>` elements of
    the head at `head_id` (0: none) read first; None if the body holds what the pass does not model (an
    element outside HTML's namespace that is not dropped, text that is not UTF-8, ...)."""
    markup, pieces, total, found, values, text, ok = _read(np.uint64(root_id), np.uint64(head_id), *tables)
    return Read(markup, pieces, int(total), found, values, text) if ok else None


def piece_text(read: Read, piece: list[int]) -> str:
    """The text of a piece of furniture (a row of `Read.pieces`), as `node.text(separator=" ")` gives it once the
    dropped elements are out."""
    return read.text[piece[TEXT_START] : piece[TEXT_END]].tobytes().decode("utf-8")


def cut(read: Read, share: float, hidden_share: float) -> tuple[list[list[int]], npt.NDArray[np.uint32]]:
    """The pieces of furniture taken out (rows of `Read.pieces`) and the markup without them.

    Each piece, outermost first, goes unless it holds `share` of the body's text or more (`hidden_share` for
    hidden ones: `HIDDEN_PIECE`), or sits, with words, in an element the walk skips (it goes with it).
    """
    taken, markup = _cut(read.pieces, read.total, share, hidden_share, read.markup)
    return read.pieces[taken].tolist(), markup


# ---- the compiled pass ----------------------------------------------------------------------------


def _pointer_intrinsic() -> Callable[[np.uint64], Any]:
    """An address (an integer) as a pointer, for `carray`: numba has no conversion of its own."""
    from numba import types
    from numba.core import cgutils
    from numba.extending import intrinsic

    @intrinsic
    def pointer(typingctx, address):  # type: ignore[no-untyped-def]
        def codegen(context, builder, signature, args):  # type: ignore[no-untyped-def]
            return builder.inttoptr(args[0], cgutils.voidptr_t)

        return types.voidptr(address), codegen

    return pointer  # type: ignore[return-value]  # (numba calls it with the address alone)


_pointer = _pointer_intrinsic()


@inlined
def _words(address: np.uint64, count: int) -> npt.NDArray[np.uint64]:
    """The `count` 64-bit words at an address."""
    words: npt.NDArray[np.uint64] = carray(_pointer(address), count, np.uint64)
    return words


@inlined
def _bytes(address: np.uint64, count: int) -> npt.NDArray[np.uint8]:
    """The `count` bytes at an address."""
    data: npt.NDArray[np.uint8] = carray(_pointer(address), count, np.uint8)
    return data


@inlined
def _int(word: np.uint64) -> int:
    """A word as a signed integer: numba's arithmetic on an unsigned one and a signed one is in floats."""
    return int(np.int64(word))


@inlined
def _grown(array: npt.NDArray[Any], needed: int) -> npt.NDArray[Any]:
    """An array with room for `needed` items, holding `array`'s (itself if it has room)."""
    if needed <= len(array):
        return array
    bigger = np.empty(max(needed, 2 * len(array)), array.dtype)
    bigger[: len(array)] = array
    return bigger


@inlined
def _grown_rows(rows: Ints, needed: int) -> Ints:
    """A table with room for `needed` rows, holding `rows`' rows."""
    if needed <= rows.shape[0]:
        return rows
    bigger = np.empty((max(needed, 2 * rows.shape[0]), rows.shape[1]), np.int64)
    bigger[: rows.shape[0]] = rows
    return bigger


@inlined
def _tag(node: npt.NDArray[np.uint64], tags: Ints) -> int:
    """An element's flags and name row (`Tables.tags`); 0 for a name lexbor does not know."""
    name = node[_NAME]
    return int(tags[name]) if name < STATIC_IDS else 0


@inlined
def _same(data: npt.NDArray[np.uint8], start: int, size: int, wanted: npt.NDArray[np.uint8], fold: bool) -> bool:
    """Whether the `size` bytes of `data` from `start` are `wanted`'s (with `fold`, ASCII capitals on either side
    as small letters)."""
    if size != len(wanted):
        return False
    for i in range(size):
        byte, other = data[start + i], wanted[i]
        if fold and 65 <= byte <= 90:
            byte += 32
        if fold and 65 <= other <= 90:
            other += 32
        if byte != other:
            return False
    return True


@inlined
def _kind(attribute: npt.NDArray[np.uint64], names: Names) -> int:
    """What an attribute is to the pass (`CLASS` ...), 0 for one it does not read.

    A name lexbor does not know is compared byte by byte, in its hash entry, once a page: its kind is kept in
    the page's cache (`Names`), by its id, which is the same for all its attributes of the page.
    """
    attributes, starts, dynamic, kinds, cached_ids, cached_kinds = names
    if attribute[_PREFIX] != 0:
        return 0  # a name with a prefix (xlink:href, in SVG) is none the pass reads: the old way reads it whole
    name = attribute[_NAME]
    if name < STATIC_IDS:
        return int(attributes[name])
    slot = int((name >> np.uint64(4) ^ name >> np.uint64(11)) & np.uint64(_CACHE_SLOTS - 1))
    if cached_ids[slot] == name:
        return int(cached_kinds[slot])
    entry = _words(name, 4)
    size = _int(entry[_ENTRY_LENGTH])
    data = _bytes(name, size) if size <= _INLINE_NAME else _bytes(entry[0], size)
    kind = 0
    for row in range(len(kinds)):
        if starts[row + 1] - starts[row] == size and _same(
            data, 0, size, dynamic[starts[row] : starts[row + 1]], False
        ):
            kind = int(kinds[row])
            break
    cached_ids[slot], cached_kinds[slot] = name, kind
    return kind


@inlined
def _value(attribute: npt.NDArray[np.uint64]) -> tuple[np.uint64, int]:
    """An attribute's value: where its bytes are and how many (0 and -1: none)."""
    value = attribute[_VALUE]
    if value == 0:
        return np.uint64(0), -1
    string = _words(value, 2)
    return string[0], _int(string[1]) if string[0] != 0 else -1


@inlined
def _decoded(data: npt.NDArray[np.uint8], i: int, size: int) -> tuple[int, int]:
    """The character whose UTF-8 bytes start at data[i], and where the next one starts; -1 if they are not UTF-8."""
    lead = int(data[i])
    if lead < 0x80:
        return lead, i + 1
    if 0xC2 <= lead < 0xE0:
        count, code, least = 1, lead & 0x1F, 0x80
    elif 0xE0 <= lead < 0xF0:
        count, code, least = 2, lead & 0x0F, 0x800
    elif 0xF0 <= lead < 0xF5:
        count, code, least = 3, lead & 0x07, 0x10000
    else:
        return -1, i + 1
    if i + count >= size:
        return -1, i + 1
    for j in range(1, count + 1):
        byte = int(data[i + j])
        if byte & 0xC0 != 0x80:
            return -1, i + 1
        code = code << 6 | byte & 0x3F
    if code < least or 0xD800 <= code < 0xE000 or code > 0x10FFFF:
        return -1, i + 1
    return code, i + count + 1


@inlined
def _put(out: npt.NDArray[np.uint32], at: int, code: int) -> int:
    """out[at] = code; where the next goes."""
    out[at] = code
    return at + 1


@inlined
def _put_all(out: npt.NDArray[np.uint32], at: int, codes: npt.NDArray[np.uint32]) -> int:
    """Codes written from out[at] on; where the next goes."""
    for i in range(len(codes)):
        out[at + i] = codes[i]
    return at + len(codes)


@inlined
def _escaped(out: npt.NDArray[np.uint32], at: int, code: int, attribute: bool) -> int:
    """A character written as lexbor's serializer writes it in text (or an attribute's value); where the next goes."""
    if code == _AMP:
        return _put_all(out, at, _AMP_NAME)
    if code == _LT:
        return _put_all(out, at, _LT_NAME)
    if code == _GT:
        return _put_all(out, at, _GT_NAME)
    if code == _NBSP:
        return _put_all(out, at, _NBSP_NAME)
    if code == _QUOTE and attribute:
        return _put_all(out, at, _QUOT_NAME)
    return _put(out, at, code)


@compiled
def _read(
    root: np.uint64,
    head: np.uint64,
    tags: Ints,
    name_starts: Ints,
    names: npt.NDArray[np.uint32],
    attributes: Ints,
    dynamic_starts: Ints,
    dynamic: npt.NDArray[np.uint8],
    dynamic_kinds: Ints,
    html_ns: int,
    chars: npt.NDArray[np.uint8],
    selector_meta: Ints,
    selector_kinds: Ints,
    selector_starts: Ints,
    selector_values: npt.NDArray[np.uint8],
) -> tuple[npt.NDArray[np.uint32], Ints, int, Ints, npt.NDArray[np.uint8], npt.NDArray[np.uint8], bool]:
    """The pass (`read`): markup, furniture, text length, the metadata selectors' rows, their values' bytes, the
    text, and whether the body held only what the pass models."""
    cache = (np.zeros(_CACHE_SLOTS, np.uint64), np.zeros(_CACHE_SLOTS, np.int64))
    attribute_names = (attributes, dynamic_starts, dynamic, dynamic_kinds, cache[0], cache[1])
    out = np.empty(1 << 16, np.uint32)
    text = np.empty(1 << 15, np.uint8)  # the text nodes' bytes, a space between: a piece's text is a part of it
    pieces = np.empty((16, 9), np.int64)
    selectors = (selector_meta, selector_kinds, selector_starts, selector_values)
    matches = np.full((len(selector_kinds), 3), -1, np.int64)
    matches[:, MATCH] = 0
    declared = (matches, np.empty(1 << 10, np.uint8), np.zeros(1, np.int64))
    stack = np.empty((64, 3), np.int64)  # each open element: its node, flags, piece (-1: none)
    # how much is written (markup, text); the text so far: its characters, nodes, characters not white space;
    # the pieces found; the open elements, and those of them the walk skips
    written, texted, chars_read, nodes_read, words_read, found, top, skipped = 0, 0, 0, 0, 0, 0, 0, 0
    if head != 0:
        declared = _declared_in(head, tags, html_ns, attribute_names, selectors, declared)
    at = root
    while True:
        if at == 0:  # the innermost open element ends
            top -= 1
            node_at, flags, piece = np.uint64(stack[top, 0]), stack[top, 1], stack[top, 2]
            if not flags & VOID:
                out = _grown(out, written + 3 + name_starts[-1])
                written = _put(out, written, _LT)
                written = _put(out, written, _SLASH)
                written = _name(out, written, flags, name_starts, names)
                written = _put(out, written, _GT)
            skipped -= 1 if flags & SKIPPED else 0
            if piece >= 0:
                pieces[piece, END], pieces[piece, TEXT_END] = written, texted
                pieces[piece, CHARS] = chars_read - pieces[piece, CHARS]
                pieces[piece, NODES] = nodes_read - pieces[piece, NODES]
                pieces[piece, WORDS] = 1 if words_read > pieces[piece, WORDS] else 0
            if top == 0:
                break
            at = _words(node_at, _NODE_WORDS)[_NEXT]
            continue
        node = _words(at, _NODE_WORDS)
        kind = node[_TYPE] & np.uint64(0xFFFFFFFF)
        if kind == TEXT:
            if node[_DATA] != 0:
                size = _int(node[_LENGTH])
                data = _bytes(node[_DATA], size)
                out = _grown(out, written + 6 * size)
                text = _grown(text, texted + size + 1)
                if nodes_read:
                    text[texted] = _SPACE
                    texted += 1
                text[texted : texted + size] = data
                texted += size
                # lexbor writes the text of a raw-text element as it is
                written, added, words = _text(data, size, stack[top - 1, 1] & RAW, chars, out, written)
                if added < 0:
                    return out[:0], pieces[:0], 0, declared[0][:0], declared[1][:0], text[:0], False
                chars_read, words_read, nodes_read = chars_read + added, words_read + words, nodes_read + 1
            at = node[_NEXT]
            continue
        if kind in (COMMENT, INSTRUCTION):
            out = _grown(out, written + 7)
            written = _put_all(out, written, _COMMENT if kind == COMMENT else _INSTRUCTION)
            at = node[_NEXT]
            continue
        if kind != ELEMENT:
            return out[:0], pieces[:0], 0, declared[0][:0], declared[1][:0], text[:0], False
        flags = _tag(node, tags)
        if flags & DROPPED:
            declared = _declared_in(at, tags, html_ns, attribute_names, selectors, declared)
            at = node[_NEXT]
            continue
        if node[_NS] != html_ns:
            return out[:0], pieces[:0], 0, declared[0][:0], declared[1][:0], text[:0], False
        start = written
        out, written, reason = _start_tag(node, flags, out, written, name_starts, names, attribute_names)
        piece = -1
        if reason and not flags & SKIPPED:
            pieces = _grown_rows(pieces, found + 1)
            piece = found
            found += 1
            pieces[piece, START], pieces[piece, CHARS], pieces[piece, NODES] = start, chars_read, nodes_read
            pieces[piece, WORDS], pieces[piece, IN_SKIPPED] = words_read, 1 if skipped else 0
            pieces[piece, REASON], pieces[piece, TEXT_START] = reason, texted + (1 if nodes_read else 0)
        stack = _grown_rows(stack, top + 1)
        stack[top, 0], stack[top, 1], stack[top, 2] = np.int64(at), flags, piece
        top += 1
        skipped += 1 if flags & SKIPPED else 0
        at = node[_FIRST] if not flags & VOID else np.uint64(0)
    rows, values, kept = declared
    total = chars_read + max(nodes_read - 1, 0)
    return out[:written], pieces[:found], total, rows, values[: kept[0]], text[:texted], True


@compiled
def _cut(
    pieces: Ints, total: int, share: float, hidden_share: float, markup: npt.NDArray[np.uint32]
) -> tuple[Ints, npt.NDArray[np.uint32]]:
    """`cut`: the rows of the pieces taken out, and the markup without them."""
    taken = np.empty(len(pieces), np.int64)
    count, until = 0, -1  # where the last piece taken out ends: a piece that starts before it is inside it
    for row in range(len(pieces)):
        if pieces[row, START] < until:
            continue
        length = pieces[row, CHARS] + max(pieces[row, NODES] - 1, 0)  # its text, a space between its nodes
        if length >= (hidden_share if pieces[row, REASON] == HIDDEN_PIECE else share) * total:
            continue  # it may be the article under a misleading tag: the walk judges it piece by piece
        if pieces[row, WORDS] and pieces[row, IN_SKIPPED]:
            continue
        taken[count] = row
        count += 1
        until = pieces[row, END]
    kept = len(markup)
    for i in range(count):
        kept -= pieces[taken[i], END] - pieces[taken[i], START]
    out = np.empty(kept, markup.dtype)
    at, start = 0, 0
    for i in range(count + 1):
        end = pieces[taken[i], START] if i < count else len(markup)
        out[at : at + end - start] = markup[start:end]
        at += end - start
        start = pieces[taken[i], END] if i < count else start
    return taken[:count], out


@inlined
def _text(
    data: npt.NDArray[np.uint8], size: int, raw: int, chars: npt.NDArray[np.uint8], out: npt.NDArray[np.uint32], at: int
) -> tuple[int, int, int]:
    """A text node's bytes written as lexbor's serializer writes them (escaped unless `raw`): where the next
    goes, its characters (-1 if they are not UTF-8) and those of them that are not white space."""
    count, words, i = 0, 0, 0
    while i < size:
        code = int(data[i])
        if code < 0x80:  # most characters: nothing to decode
            i += 1
        else:
            code, i = _decoded(data, i, size)
            if code < 0:
                return at, -1, 0
        count += 1
        if code >= 0x10000 or not chars[code] & _CHAR_SPACE:
            words += 1
        if raw or code not in _ESCAPED:
            out[at] = code
            at += 1
        else:
            at = _escaped(out, at, code, False)
    return at, count, words


@inlined
def _name(out: npt.NDArray[np.uint32], at: int, flags: int, starts: Ints, names: npt.NDArray[np.uint32]) -> int:
    """A tag's name written (`x` for one the walk does not know); where the next goes."""
    row = flags >> NAME_SHIFT
    if not row:
        return _put(out, at, _X)
    for i in range(starts[row - 1], starts[row]):
        at = _put(out, at, names[i])
    return at


@inlined
def _start_tag(
    node: npt.NDArray[np.uint64],
    flags: int,
    out: npt.NDArray[np.uint32],
    at: int,
    name_starts: Ints,
    names: npt.NDArray[np.uint32],
    attribute_names: Names,
) -> tuple[npt.NDArray[np.uint32], int, int]:
    """An element's start tag written, with the attributes the walk reads: the markup, where the next goes,
    and which furniture the element is (`NAV` ...; 0: none), as `html.FURNITURE` finds it and
    `html._furniture_reason` names it."""
    out = _grown(out, at + 2 + name_starts[-1])
    at = _put(out, at, _LT)
    at = _name(out, at, flags, name_starts, names)
    navigation, contentinfo, hidden = False, False, False
    attribute_at = node[_FIRST_ATTRIBUTE]
    while attribute_at != 0:
        attribute = _words(attribute_at, _NODE_WORDS)
        attribute_at = attribute[_NEXT_ATTRIBUTE]
        kind = _kind(attribute, attribute_names)
        if not kind or kind > STYLE:
            continue
        data_at, size = _value(attribute)
        data = _bytes(data_at, max(size, 0))
        if kind == ROLE:
            navigation = _same(data, 0, size, _NAVIGATION, False)
            contentinfo = _same(data, 0, size, _CONTENTINFO, False)
        elif kind == ARIA_HIDDEN:
            hidden = hidden or _same(data, 0, size, _TRUE, False)
        elif kind == HIDDEN:
            hidden = True
        elif kind == STYLE:
            hidden = hidden or _hides(data, size)
            continue  # (the walk does not read it)
        out = _grown(out, at + 16 + 6 * max(size, 0))
        at = _put(out, at, _SPACE)
        for i in range(_WRITTEN_SIZES[kind]):
            at = _put(out, at, _WRITTEN_NAMES[kind, i])
        at = _put(out, at, _EQUALS)
        at = _put(out, at, _QUOTE)
        i = 0
        while i < size:
            code, i = _decoded(data, i, size)
            at = _escaped(out, at, code if code >= 0 else 0xFFFD, True)
        at = _put(out, at, _QUOTE)
    out = _grown(out, at + 1)
    at = _put(out, at, _GT)
    if flags & NAV_TAG or navigation:
        return out, at, NAV
    if flags & FOOTER_TAG or contentinfo:
        return out, at, FOOTER
    if flags & ASIDE_TAG:
        return out, at, TEASER
    return out, at, HIDDEN_PIECE if hidden else 0


@inlined
def _hides(data: npt.NDArray[np.uint8], size: int) -> bool:
    """Whether a style attribute's value holds one of `_HIDING` (ASCII, in any case)."""
    for row in range(len(_HIDING_SIZES)):
        wanted = _HIDING_CHARS[row, : _HIDING_SIZES[row]]
        for start in range(size - len(wanted) + 1):
            if _same(data, start, len(wanted), wanted, True):
                return True
    return False


# What the metadata selectors found so far: their rows (`MATCH` ...), the values' bytes, and how many are kept.
Declared = tuple[Ints, npt.NDArray[np.uint8], Ints]
# The metadata selectors (`Tables.selector_meta` ...).
Selectors = tuple[Ints, Ints, Ints, npt.NDArray[np.uint8]]


@inlined
def _declared_in(
    at: np.uint64, tags: Ints, html_ns: int, attribute_names: Names, selectors: Selectors, declared: Declared
) -> Declared:
    """The `<meta>` and `<link>` elements inside an element (itself among them), matched in document order
    against the metadata selectors that no element before them matched (`Declared`)."""
    rows, values, kept = declared
    node_at = at
    while True:
        node = _words(node_at, _NODE_WORDS)
        element = node[_TYPE] & np.uint64(0xFFFFFFFF) == ELEMENT
        tag = _tag(node, tags) if element else 0
        if tag & DECLARING:
            values = _declaring(node, tag & META_TAG != 0, attribute_names, selectors, rows, values, kept)
        # a script's or a style sheet's children are its text: no element among them
        text_only = tag & TEXT_ONLY and node[_NS] == html_ns
        if element and not text_only and node[_FIRST] != 0:
            node_at = node[_FIRST]
            continue
        while node_at != at and _words(node_at, _NODE_WORDS)[_NEXT] == 0:
            node_at = _words(node_at, _NODE_WORDS)[_PARENT]
        if node_at == at:
            break
        node_at = _words(node_at, _NODE_WORDS)[_NEXT]
    return rows, values, kept


@inlined
def _declaring(
    node: npt.NDArray[np.uint64],
    meta: bool,
    attribute_names: Names,
    selectors: Selectors,
    rows: Ints,
    values: npt.NDArray[np.uint8],
    kept: Ints,
) -> npt.NDArray[np.uint8]:
    """A `<meta>` (or a `<link>`) element matched against the metadata selectors no element matched yet, as
    `html._first_declared` matches them: the first whose value is the one asked for, but for ASCII case,
    is the selector's, the bytes of its `content` (or `href`) kept. The values' bytes are given back."""
    selector_meta, selector_kinds, selector_starts, selector_values = selectors
    matched = 0  # a bit for each selector it is the first to match
    value_at, value_size = np.uint64(0), -1
    attribute_at = node[_FIRST_ATTRIBUTE]
    while attribute_at != 0:
        attribute = _words(attribute_at, _NODE_WORDS)
        attribute_at = attribute[_NEXT_ATTRIBUTE]
        kind = _kind(attribute, attribute_names)
        if kind < PROPERTY:
            continue
        data_at, size = _value(attribute)
        if kind == (CONTENT if meta else HREF):
            value_at, value_size = data_at, size
            continue
        data = _bytes(data_at, max(size, 0))
        for row in range(len(selector_kinds)):
            start, end = selector_starts[row], selector_starts[row + 1]
            if rows[row, MATCH] or selector_kinds[row] != kind or (selector_meta[row] == 1) != meta:
                continue
            wanted = selector_values[start:end]
            if _same(data, 0, size, wanted, True):
                rows[row, MATCH] = EXACT if _same(data, 0, size, wanted, False) else OTHER_CASE
                matched |= 1 << row
    if matched and value_size >= 0:
        values = _grown(values, kept[0] + value_size)
        values[kept[0] : kept[0] + value_size] = _bytes(value_at, value_size)
        for row in range(len(selector_kinds)):
            if matched >> row & 1:
                rows[row, VALUE_START], rows[row, VALUE_END] = kept[0], kept[0] + value_size
        kept[0] += value_size
    return values


# ---- lexbor's names and layout, learnt and checked once a process -----------------------------------


@cache
def _lexbor() -> ctypes.CDLL | None:
    """selectolax's lexbor, for its accessors (`_Accessors`); None if they cannot be had, or if it is not a
    version the pass was checked against."""
    import selectolax
    from selectolax import lexbor

    if not selectolax.__version__.startswith(CHECKED_SELECTOLAX):
        return None
    try:
        library = ctypes.CDLL(lexbor.__file__)
        _accessors(library)
    except (OSError, AttributeError):
        return None
    return library


class _Accessors(NamedTuple):
    """lexbor's own functions for what the pass reads at its offsets."""

    next: Callable[..., Any]
    parent: Callable[..., Any]
    first_child: Callable[..., Any]
    tag_id: Callable[..., Any]
    node_type: Callable[..., Any]
    first_attribute: Callable[..., Any]
    next_attribute: Callable[..., Any]
    local_name: Callable[..., Any]
    value: Callable[..., Any]
    qualified_name: Callable[..., Any]
    is_void: Callable[..., Any]


def _accessors(library: ctypes.CDLL) -> _Accessors:
    """lexbor's accessors, typed."""
    pointer, size, text = ctypes.c_void_p, ctypes.c_size_t, ctypes.POINTER(ctypes.c_ubyte)

    def function(name: str, result: object, *arguments: object) -> Callable[..., Any]:
        found = getattr(library, name)
        found.restype, found.argtypes = result, list(arguments)
        return found  # type: ignore[no-any-return]

    return _Accessors(
        function("lxb_dom_node_next_noi", pointer, pointer),
        function("lxb_dom_node_parent_noi", pointer, pointer),
        function("lxb_dom_node_first_child_noi", pointer, pointer),
        function("lxb_dom_node_tag_id_noi", size, pointer),
        function("lxb_dom_node_type_noi", ctypes.c_int, pointer),
        function("lxb_dom_element_first_attribute_noi", pointer, pointer),
        function("lxb_dom_element_next_attribute_noi", pointer, pointer),
        function("lxb_dom_attr_local_name_noi", text, pointer, ctypes.POINTER(size)),
        function("lxb_dom_attr_value_noi", text, pointer, ctypes.POINTER(size)),
        function("lxb_dom_attr_qualified_name", text, pointer, ctypes.POINTER(size)),
        function("lxb_html_node_is_void_noi", ctypes.c_bool, pointer),
    )


def _words_at(address: int, count: int) -> list[int]:
    """The `count` 64-bit words at an address, read in Python (for the checks)."""
    return list((ctypes.c_uint64 * count).from_address(address))


def _string(data: object, size: ctypes.c_size_t) -> bytes | None:
    """The bytes a lexbor accessor gave (None for none)."""
    return ctypes.string_at(data, size.value) if data else None  # type: ignore[arg-type]


def tables(
    walked: frozenset[str],
    dropped: frozenset[str],
    skipped: frozenset[str],
    chars: npt.NDArray[np.uint8],
    selectors: Sequence[tuple[str, str, str]],
) -> Tables | None:
    """The pass's tables: each of lexbor's tags with its flags, the names the walk knows (`walked`, written as
    they are), the tags `dropped` and `skipped` (`html.DROPPED_TAGS`, `html.SKIPPED_TAGS`), `chars`
    (`markup.char_table`), and the metadata selectors, each as its tag, attribute and value (a `<meta>` or a
    `<link>`, one of `DECLARED_ATTRIBUTES`, ASCII). None when lexbor's layout is not the one the pass reads
    (`_layout_holds`)."""
    library = _lexbor()
    if library is None or ctypes.sizeof(ctypes.c_void_p) != 8:
        return None
    lexbor = _accessors(library)
    try:
        holds = _layout_holds(lexbor)
    except (OSError, AttributeError, TypeError):  # no C library's write(2) to tell readable memory by
        holds = False
    if not holds:
        return None
    probe = LexborHTMLParser("<html><body></body></html>")
    tags = np.zeros(STATIC_IDS, np.int64)
    written: list[str] = []
    for name in sorted(walked | dropped | skipped | set(_OWN_TAGS) | _SERIALIZED_APART):
        node = probe.create_node(name)
        tag_id = _words_at(node.mem_id, _NODE_WORDS)[_NAME]
        if tag_id >= STATIC_IDS:
            return None  # a name lexbor does not know: its id differs from page to page
        flags = VOID if lexbor.is_void(node.mem_id) else 0
        node.insert_child("&")
        flags |= RAW if node.html == f"<{name}>&</{name}>" else 0
        flags |= _OWN_TAGS.get(name, 0) | (DROPPED if name in dropped else 0) | (SKIPPED if name in skipped else 0)
        if name in walked:
            written.append(name)
            flags |= len(written) << NAME_SHIFT
        tags[tag_id] = flags
    if len(written) != len(walked):
        return None  # a name the walk knows that lexbor does not: its elements would be written <x>
    name_starts = np.cumsum([0] + [len(name) for name in written]).astype(np.int64)
    names = np.array([ord(c) for c in "".join(written)], dtype=np.uint32)
    attributes, dynamic_starts, dynamic, kinds = _attribute_tables(lexbor)
    html_ns = _words_at(probe.body.mem_id, _NS + 1)[_NS]  # type: ignore[union-attr]
    return Tables(
        tags,
        name_starts,
        names,
        attributes,
        dynamic_starts,
        dynamic,
        kinds,
        html_ns,
        chars,
        *_selector_tables(selectors),
    )


def _selector_tables(selectors: Sequence[tuple[str, str, str]]) -> tuple[Ints, Ints, Ints, npt.NDArray[np.uint8]]:
    """The metadata selectors as the pass matches them (`Tables.selector_meta` ...)."""
    for tag, name, value in selectors:
        # Matched as `html._first_declared` matches them, but for ASCII case alone: no character past ASCII
        # lower-cases to one of their values' but the Kelvin sign, to "k".
        assert tag in ("meta", "link") and name in DECLARED_ATTRIBUTES and value.isascii() and "k" not in value.lower()
    meta = np.array([tag == "meta" for tag, _, _ in selectors], dtype=np.int64)
    kinds = np.array([DECLARED_ATTRIBUTES[name] for _, name, _ in selectors], dtype=np.int64)
    starts = np.cumsum([0] + [len(value) for _, _, value in selectors]).astype(np.int64)
    values = np.frombuffer("".join(value for _, _, value in selectors).encode("ascii"), dtype=np.uint8).copy()
    return meta, kinds, starts, values


def _attribute_tables(lexbor: _Accessors) -> tuple[Ints, Ints, npt.NDArray[np.uint8], Ints]:
    """The kinds of the attributes the pass reads (`ATTRIBUTES`): by id for those lexbor knows, by name for all."""
    probe = LexborHTMLParser("<p " + " ".join(f'{name}="v"' for name in ATTRIBUTES) + ">")
    element = probe.css_first("p")
    assert element is not None
    attributes = np.zeros(STATIC_IDS, np.int64)
    at = lexbor.first_attribute(element.mem_id)
    while at:
        size = ctypes.c_size_t()
        name = _string(lexbor.local_name(at, ctypes.byref(size)), size)
        name_id = _words_at(at, _NODE_WORDS)[_NAME]
        if name is not None and name_id < STATIC_IDS:
            attributes[name_id] = ATTRIBUTES[name.decode("ascii")]
        at = lexbor.next_attribute(at)
    encoded = [name.encode("ascii") for name in ATTRIBUTES]
    starts = np.cumsum([0] + [len(name) for name in encoded]).astype(np.int64)
    dynamic = np.frombuffer(b"".join(encoded), dtype=np.uint8).copy()
    return attributes, starts, dynamic, np.array(list(ATTRIBUTES.values()), dtype=np.int64)


# A page holding what the pass reads: text past ASCII and past the Basic Multilingual Plane, a comment, attributes
# lexbor knows and those it does not (names inside their hash entry, of 16 bytes and fewer, and longer ones pointed
# to), a value-less one, and elements of other namespaces, with an attribute whose name has a prefix.
_PROBE = (
    '<html><head><title>t</title></head><body class="b"><!-- c --><div id="x" role="navigation" hidden '
    'data-sixteen-byt="1" data-seventeen-by="2" data-a-name-well-past-sixteen-bytes="3">'
    "caf\u00e9 \U0001f600 <p>a &amp; b</p><my-widget>w</my-widget></div><img alt=x>"
    '<svg><a xlink:href="#x" href="#y">l</a></svg><math><mi>x</mi></math><p>end</p></body></html>'
)


def _layout_holds(lexbor: _Accessors) -> bool:
    """Whether what the pass reads at its offsets is what lexbor's accessors give, node by node of `_PROBE`.

    Memory is read here only once the kernel says it can be (`_readable`): with a layout other than the one
    the pass reads, this says no rather than crashing.
    """
    tree = LexborHTMLParser(_PROBE)
    root = tree.body
    body = _checked_words(root.mem_id, _NS + 1) if root is not None else None
    if body is None:
        return False
    html_ns, spaces = body[_NS], set()
    for node in root.traverse(include_text=True):  # type: ignore[union-attr]
        at = node.mem_id
        words = _checked_words(at, max(_NAME, _PREFIX, _NS, _NEXT, _PARENT, _FIRST, _TYPE) + 1)
        if words is None:
            return False
        kind = words[_TYPE] & 0xFFFFFFFF
        accessed = (lexbor.next(at), lexbor.parent(at), lexbor.first_child(at), lexbor.tag_id(at), lexbor.node_type(at))
        if (*(words[i] or None for i in (_NEXT, _PARENT, _FIRST)), words[_NAME], kind) != accessed:
            return False
        if kind == TEXT and not _text_holds(at, (node.text_content or "").encode()):
            return False
        if kind == ELEMENT:
            spaces.add((node.tag in ("svg", "a", "math", "mi"), words[_NS] == html_ns))
            if not _attributes_hold(lexbor, at):
                return False
    # the elements of HTML's namespace read as the body's, the others (SVG's, MathML's) not
    return 0 < html_ns < STATIC_IDS and spaces == {(False, True), (True, False)}


def _text_holds(node: int, text: bytes) -> bool:
    """Whether a text node's data, read at the pass's offsets, is its text."""
    words = _checked_words(node, max(_DATA, _LENGTH) + 1)
    if words is None or words[_LENGTH] != len(text) or not _readable(words[_DATA], len(text)):
        return False
    return ctypes.string_at(words[_DATA], len(text)) == text


def _attributes_hold(lexbor: _Accessors, element: int) -> bool:
    """Whether an element's attributes, their names, prefixes and values read at the pass's offsets are lexbor's."""
    words = _checked_words(element, _FIRST_ATTRIBUTE + 1)
    if words is None:
        return False
    at = words[_FIRST_ATTRIBUTE] or None
    if at != lexbor.first_attribute(element):
        return False
    while at:
        attribute = _checked_words(at, max(_NAME, _PREFIX, _VALUE, _NEXT_ATTRIBUTE) + 1)
        if attribute is None:
            return False
        size = ctypes.c_size_t()
        value = _address(lexbor.value(at, ctypes.byref(size))), size.value
        string = _checked_words(attribute[_VALUE], 2) if attribute[_VALUE] else None  # the value's data and length
        if (string or value[0]) and tuple(string or ()) != value:
            return False
        name = _address(lexbor.local_name(at, ctypes.byref(size))), size.value
        qualified = _address(lexbor.qualified_name(at, ctypes.byref(size))), size.value
        if (attribute[_PREFIX] != 0) != (qualified != name):
            return False  # an attribute whose name has a prefix (xlink:href) is none of those the pass reads
        name_id = attribute[_NAME]
        if name_id >= STATIC_IDS:
            entry = _checked_words(name_id, _ENTRY_LENGTH + 1)
            if entry is None:
                return False
            inline = entry[_ENTRY_LENGTH] <= _INLINE_NAME
            if (name_id if inline else entry[0], entry[_ENTRY_LENGTH]) != name:
                return False
        following = attribute[_NEXT_ATTRIBUTE] or None
        if following != lexbor.next_attribute(at):
            return False
        at = following
    return True


def _checked_words(address: int, count: int) -> list[int] | None:
    """The `count` 64-bit words at an address, or None where the kernel says they cannot be read."""
    return _words_at(address, count) if _readable(address, 8 * count) else None


def _address(pointer: object) -> int:
    """The address a ctypes pointer holds (0: none)."""
    return ctypes.cast(pointer, ctypes.c_void_p).value or 0  # type: ignore[arg-type]


def _readable(address: int, size: int) -> bool:
    """Whether `size` bytes at an address can be read, as the kernel tells: a write from them to a pipe fails
    (EFAULT) where reading them here would crash the process."""
    if not address:
        return False
    reading, writing = os.pipe()
    try:
        return _write(writing, address, size) == size
    finally:
        os.close(reading)
        os.close(writing)


@cache
def _libc_write() -> Callable[..., int]:
    """The C library's write(2)."""
    write = ctypes.CDLL(None, use_errno=True).write
    write.restype, write.argtypes = ctypes.c_ssize_t, [ctypes.c_int, ctypes.c_void_p, ctypes.c_size_t]
    return write


def _write(descriptor: int, address: int, size: int) -> int:
    """write(2) of `size` bytes at an address to a file descriptor: how many it wrote, -1 if none."""
    return _libc_write()(descriptor, address, size)
