"""The text of an HTML page's head scripts and style sheets, taken out before the parse.

The parse (lexbor) is the largest cost of an HTML page, and it grows with the page's bytes: on news
sites a third to a half of them are the contents of the `<script>` and `<style>` elements in the
head, which the cleaner never reads (the metadata comes from `<meta>`, `<link>` and `<h1>`). This
compiled loop reads a page as the HTML Standard's tokenizer does, from its start to the first start tag
it does not pass (`HEAD_TAGS`: a head's, and the few of a body found before it), and gives where those
contents lie; `stripped` makes the page without them. It parses to the same tree but for their text.

The loop follows the tokenizer's states for all it passes over: comments, doctypes and bogus comments,
start and end tags with their attributes, and the raw text of scripts, style sheets, titles and
noframes. It stops, and leaves the rest of the page as it is, at anything it does not model: a start
tag a head cannot hold (the body, foreign content, a frameset, ...), a script holding ``<!--`` (the
tokenizer's escaped states), and a page that ends inside a tag, comment or raw text. It takes out nothing
from a page that would lose little of itself (`SMALLEST_SHARE`): the copy would cost more than it saves.
The tests hold the pages it makes to lexbor's own trees (`tests/test_clean_rawtext.py`).

Every value the loops read is defined in this file or passed in (numba's cache is per file; see
`dedup.kernels`).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from dedup.kernels import inlined, unmanaged

# What a start tag is to the loop: one passed over, one whose raw text is passed over (RCDATA or RAWTEXT),
# a script, a style sheet. The loop stops at any other: the body's (its markup is dense, its scripts few)
# and those that change how the rest is read (foreign content, a frameset, a select, plaintext).
PLAIN, RAW, SCRIPT, STYLE = range(4)
HEAD_TAGS = {
    **dict.fromkeys(["html", "head", "meta", "link", "base", "basefont", "bgsound", "noscript", "template"], PLAIN),
    **{"title": RAW, "noframes": RAW, "script": SCRIPT, "style": STYLE},
    # ...and the few of a body found before it: tracking pixels (an <img> or <iframe> in a <noscript>), and
    # microdata's <div>s. Any of them starts the body, and all are read there as in a head.
    **{"img": PLAIN, "div": PLAIN, "iframe": RAW},
}
# Contents shorter than this stay: cutting them costs more than the parse saves.
SHORTEST_CUT = 64
# A page whose cuts take less than this share of it stays as it is: copying the rest costs more than the
# parse saves (the parse of a byte of script costs ~0.7 ns, the copy ~0.1-0.3 ns a byte kept).
SMALLEST_SHARE = 0.2
# A page's cuts end there: a page has ten or so.
MOST_CUTS = 256

_NAMES = np.array([[ord(c) for c in name.ljust(8, "\0")] for name in HEAD_TAGS], dtype=np.uint8)
_NAME_SIZES = np.array([len(name) for name in HEAD_TAGS], dtype=np.int64)
_KINDS = np.array(list(HEAD_TAGS.values()), dtype=np.int64)
_LT, _GT, _SLASH, _BANG, _DASH, _QUESTION, _EQUALS, _DOUBLE, _SINGLE = (ord(c) for c in "<>/!-?=\"'")
_BLOCK = 64
# What a byte is to a tag, as bit flags: white space (a carriage return is read as a line feed), the end of
# a tag's name, of an attribute's name, of an unquoted value, a quote.
_SPACE, _NAME_END, _ATTRIBUTE_END, _VALUE_END, _QUOTE = 1, 2, 4, 8, 16
_BYTE_KINDS = np.zeros(256, dtype=np.uint8)
_BYTE_KINDS[[9, 10, 12, 13, 32]] = _SPACE | _NAME_END | _ATTRIBUTE_END | _VALUE_END
_BYTE_KINDS[_SLASH] = _NAME_END | _ATTRIBUTE_END
_BYTE_KINDS[_GT] = _NAME_END | _ATTRIBUTE_END | _VALUE_END
_BYTE_KINDS[_EQUALS] = _ATTRIBUTE_END
_BYTE_KINDS[[_DOUBLE, _SINGLE]] = _QUOTE


def stripped(page: str | bytes) -> str | bytes:
    """The page without the text of its head's scripts and style sheets (`page` itself when it would lose
    little of itself). A str (a decoded page, a JSON record's HTML) is read as the UTF-8 the parser would
    make of it, and that is given back; one that has none (a lone surrogate) is given back as it is."""
    if isinstance(page, str):
        try:
            page = page.encode("utf-8")
        except UnicodeEncodeError:
            return page  # the parser refuses it as it would have
    cuts = script_cuts(page)
    if not len(cuts) or int((cuts[:, 1] - cuts[:, 0]).sum()) < SMALLEST_SHARE * len(page):
        return page
    view = memoryview(page)
    parts = []
    kept = 0
    for start, end in cuts.tolist():
        parts.append(view[kept:start])
        kept = end
    parts.append(view[kept:])
    return b"".join(parts)


def script_cuts(page: bytes) -> npt.NDArray[np.int64]:
    """Where the contents of the head's scripts and style sheets lie in a page's UTF-8: (start, end) rows."""
    cuts = np.empty((MOST_CUTS, 2), dtype=np.int64)
    return cuts[: _cuts(np.frombuffer(page, dtype=np.uint8), cuts, SHORTEST_CUT)]


@unmanaged
def _cuts(codes: npt.NDArray[np.uint8], cuts: npt.NDArray[np.int64], shortest: int) -> int:
    """`script_cuts` of those at least `shortest` bytes long, written to `cuts` while it has room: how many."""
    n = len(codes)
    found = 0
    i = 0
    while i >= 0 and found < len(cuts):
        i = _next_lt(codes, i)
        if i + 1 >= n:
            break
        follow = codes[i + 1]
        if follow == _BANG:
            i = _declaration_end(codes, i + 2)
        elif follow == _QUESTION:
            i = _after_gt(codes, i + 1)  # a bogus comment
        elif follow == _SLASH:
            i = _end_tag_end(codes, i + 2)
        elif not _is_letter(follow):
            i += 1  # a "<" of the text
        else:
            name_end = _name_end(codes, i + 1)
            row = _head_tag(codes, i + 1, name_end)
            if row < 0:
                break
            i = _attributes_end(codes, name_end)
            kind = _KINDS[row]
            if i < 0 or kind == PLAIN:
                continue
            end = _raw_end(codes, i, row, kind == SCRIPT)
            if end < 0:
                break
            if kind != RAW and end - i >= shortest:
                cuts[found, 0] = i
                cuts[found, 1] = end
                found += 1
            i = _attributes_end(codes, end + 2 + _NAME_SIZES[row])  # the end tag's
    return found


@inlined
def _next_lt(codes: npt.NDArray[np.uint8], i: int) -> int:
    """The first "<" from i on (or the page's length). Blocks of `_BLOCK` bytes are counted whole, without
    a test a byte: a loop the compiler makes into vector instructions (ten times the speed)."""
    n = len(codes)
    while i + _BLOCK <= n:
        block = codes[i : i + _BLOCK]
        found = 0
        for k in range(_BLOCK):
            if block[k] == _LT:
                found += 1
        if found:
            break
        i += _BLOCK
    while i < n and codes[i] != _LT:
        i += 1
    return i


@inlined
def _after_gt(codes: npt.NDArray[np.uint8], i: int) -> int:
    """Just past the first ">" from i on, or -1: the end of a doctype or a bogus comment."""
    n = len(codes)
    while i < n:
        if codes[i] == _GT:
            return i + 1
        i += 1
    return -1


@inlined
def _declaration_end(codes: npt.NDArray[np.uint8], i: int) -> int:
    """Just past the comment, doctype or bogus comment whose "<!" ends before i, or -1."""
    if i + 1 < len(codes) and codes[i] == _DASH and codes[i + 1] == _DASH:
        return _comment_end(codes, i + 2)
    return _after_gt(codes, i)


@inlined
def _comment_end(codes: npt.NDArray[np.uint8], i: int) -> int:
    """Just past the comment whose "<!--" ends before i, or -1: "<!-->" and "<!--->" end at once, the
    others at their first "-->" or "--!>"."""
    n = len(codes)
    if i < n and codes[i] == _GT:
        return i + 1
    if i + 1 < n and codes[i] == _DASH and codes[i + 1] == _GT:
        return i + 2
    while i + 2 < n:
        if codes[i] == _DASH and codes[i + 1] == _DASH:
            if codes[i + 2] == _GT:
                return i + 3
            if codes[i + 2] == _BANG and i + 3 < n and codes[i + 3] == _GT:
                return i + 4
        i += 1
    return -1


@inlined
def _end_tag_end(codes: npt.NDArray[np.uint8], i: int) -> int:
    """Just past the end tag (or "</>", or bogus comment) whose "</" ends before i, or -1."""
    if i >= len(codes):
        return -1
    if codes[i] == _GT:
        return i + 1
    if _is_letter(codes[i]):
        return _attributes_end(codes, _name_end(codes, i))
    return _after_gt(codes, i)


@inlined
def _name_end(codes: npt.NDArray[np.uint8], i: int) -> int:
    """The end of the tag name that starts at i: its first white space, "/" or ">" (or the page's end)."""
    n = len(codes)
    while i < n and not _BYTE_KINDS[codes[i]] & _NAME_END:
        i += 1
    return i


@inlined
def _attributes_end(codes: npt.NDArray[np.uint8], i: int) -> int:
    """Just past the ">" that ends the tag whose name ends at i, or -1: the first outside a quoted attribute
    value. A quote opens a value only where the tokenizer expects one: after an attribute's name and "="
    (elsewhere it is a character of a name, or of an unquoted value)."""
    n = len(codes)
    while True:
        i = _after_spaces(codes, i)
        if i >= n:
            return -1
        if codes[i] == _GT:
            return i + 1
        if codes[i] == _SLASH:  # the self-closing state: a ">" ends the tag, all else starts a name
            i += 1
            continue
        i += 1  # a name's first character may be anything else, even "=" or a quote
        while i < n and not _BYTE_KINDS[codes[i]] & _ATTRIBUTE_END:
            i += 1
        i = _after_spaces(codes, i)
        if i >= n or codes[i] != _EQUALS:
            continue  # a "/", ">" or another name's first character
        i = _after_spaces(codes, i + 1)
        if i >= n:
            return -1
        quote = codes[i]
        if _BYTE_KINDS[quote] & _QUOTE:
            i += 1
            while i < n and codes[i] != quote:
                i += 1
            i += 1  # the state after a quoted value differs from that before a name in errors alone
        else:  # an unquoted value (or none, before a ">")
            while i < n and not _BYTE_KINDS[codes[i]] & _VALUE_END:
                i += 1


@inlined
def _after_spaces(codes: npt.NDArray[np.uint8], i: int) -> int:
    """The first byte from i on that is not white space (or the page's length)."""
    while i < len(codes) and _BYTE_KINDS[codes[i]] & _SPACE:
        i += 1
    return i


@inlined
def _head_tag(codes: npt.NDArray[np.uint8], start: int, end: int) -> int:
    """The row of `HEAD_TAGS` of the tag named codes[start:end] (in any case), or -1."""
    for row in range(len(_NAMES)):
        if _NAME_SIZES[row] == end - start and _named(codes, start, row):
            return row
    return -1


@inlined
def _named(codes: npt.NDArray[np.uint8], i: int, row: int) -> bool:
    """Whether the bytes from i on spell the name of `HEAD_TAGS`' row `row`, in any case (its length fits)."""
    for k in range(_NAME_SIZES[row]):  # noqa: SIM110 (numba compiles no generators)
        if codes[i + k] | 0x20 != _NAMES[row, k]:
            return False
    return True


@inlined
def _raw_end(codes: npt.NDArray[np.uint8], i: int, row: int, script: bool) -> int:
    """Where the raw text from i on of the element of `HEAD_TAGS`' row `row` ends: at the "<" of its end tag,
    named in any case and followed by white space, "/" or ">"; -1 if the page ends first or if a script
    holds "<!--" before it (the tokenizer's escaped states, not modelled: a "</script>" may not end it)."""
    n = len(codes)
    size = _NAME_SIZES[row]
    while True:
        i = _next_lt(codes, i)
        if i + 2 + size >= n:
            return -1
        follow = codes[i + 1]
        if follow == _SLASH and _named(codes, i + 2, row):
            if _BYTE_KINDS[codes[i + 2 + size]] & _NAME_END:
                return i
        elif script and follow == _BANG and codes[i + 2] == _DASH and codes[i + 3] == _DASH:
            return -1
        i += 1


@inlined
def _is_letter(c: int) -> bool:
    """Whether a byte is an ASCII letter."""
    return 0x41 <= c <= 0x5A or 0x61 <= c <= 0x7A
