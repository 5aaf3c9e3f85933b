"""Cleaning HTML pages: the DOM says more than flattened text (tag roles, class names, links).

The page is walked once into paragraph-level blocks, each knowing its ancestors, how much of it is
link text, and whether an ancestor's tag or class marks it as clutter. The region of the page that
holds most of the running prose is the article; blocks outside it go, and the shared classifier in
`blocks.py` judges the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
from selectolax.lexbor import LexborHTMLParser, LexborNode

from dedup.clean import vocab
from dedup.clean.blocks import (
    BULLET,
    BULLET_CHARS,
    MARKER_WORDS,
    PROSE_WORDS,
    SENTENCE_ENDS,
    SENTENCE_WORDS,
    SPACED_WORD_CHARS,
    Block,
    words,
)

if TYPE_CHECKING:  # the walk's modules import numba: only when the first page is walked
    import numpy.typing as npt

    from dedup.clean import dom
    from dedup.clean.markup import Walked, Words
    from dedup.clean.regions import Ints, Rules

# Elements of the body that hold no article text, dropped with all they hold. MathML and <plaintext> go
# too: inside MathML even void elements are closed, and <plaintext> holds the rest of the page as it
# stands. Microdata's <meta> and <link> go as they always did: inside a link, an element splits its
# text, which counts apart from the link's. (Only the body is walked: the head is left as it is.)
DROPPED_TAGS = "script, style, noscript, template, svg, math, plaintext, link, meta"
# Small elements that hold no article text either (form fields, buttons, players and their fallback text):
# the walk passes over them with all they hold (`markup.SKIPPED`), as if they had been dropped. Each tag a
# selector query names costs it ~5 us a page (these ten, 0.06-0.08 ms); the walk passes over a page's ~10
# for a few us. Their text counts in the page's text (`_prune`) and in the furniture pieces' texts.
SKIPPED_TAGS = frozenset(
    ["iframe", "object", "embed", "canvas", "video", "audio", "select", "input", "textarea", "button"]
)
BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "tfoot",
        "thead",
        "tr",
        "ul",
        "br",
        "caption",
        "center",
    ]
)
TAG_REASONS = {
    "nav": "nav",
    "aside": "teaser",
    "footer": "footer",
    "figure": "caption",
    "figcaption": "caption",
    "form": "prompt",
}
# Class and id tokens (split at "-", "_", camelCase and spaces) that name a kind of clutter.
TOKEN_REASONS = {
    **dict.fromkeys(
        ["nav", "navbar", "navigation", "menu", "breadcrumb", "breadcrumbs", "skip", "masthead", "topbar"],
        "nav",
    ),
    **dict.fromkeys(
        [
            "ad",
            "ads",
            "advert",
            "adverts",
            "advertisement",
            "advertising",
            "adslot",
            "dfp",
            "sponsor",
            "sponsored",
        ],
        "ad",
    ),
    **dict.fromkeys(["promo", "promotion", "promoted", "outbrain", "taboola"], "ad"),
    **dict.fromkeys(["share", "sharing", "social", "sharebar", "socials"], "share"),
    **dict.fromkeys(
        [
            "related",
            "recirc",
            "recirculation",
            "popular",
            "mostread",
            "trending",
            "recommended",
            "recommendations",
            "teaser",
            "teasers",
        ],
        "teaser",
    ),
    **dict.fromkeys(["newsletter", "subscribe", "subscription", "signup", "login", "registration"], "prompt"),
    **dict.fromkeys(["cookie", "cookies", "consent", "gdpr"], "cookie"),
    **dict.fromkeys(["comment", "comments", "disqus"], "comments"),
    **dict.fromkeys(["caption", "figcaption", "credit", "credits"], "caption"),
    **dict.fromkeys(["footer", "copyright", "legal"], "footer"),
    **dict.fromkeys(["sidebar", "widget", "rail"], "teaser"),
}
# A clutter-marked element holding this share of the page's prose is the article, not clutter.
PROSE_SHARE = 0.4
REGION_SHARE = 0.8
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
CELLS = frozenset({"td", "th"})
SHORT_CLUTTER = frozenset({"ad", "prompt", "share", "caption", "cookie", "hidden", "nav"})
SHORT_CLUTTER_WORDS = 150
# A teaser card: a small element holding one lead paragraph beside a linked headline, among others
# like it. An article paragraph shares its container with the rest of the story.
CARD_WORDS = 100
# The numbers of the rules above, as the compiled loops take them (`regions.Rules`).
_RULES: Rules = (PROSE_WORDS, SENTENCE_WORDS, PROSE_SHARE, SHORT_CLUTTER_WORDS, REGION_SHARE, CARD_WORDS)
META_TITLE = ('meta[property="og:title"]', 'meta[name="twitter:title"]')
META_DATE = (
    'meta[property="article:published_time"]',
    'meta[itemprop="datePublished"]',
    'meta[name="date"]',
    'meta[name="pubdate"]',
)
CANONICAL = 'link[rel="canonical"]'


def _selector_parts(selector: str) -> tuple[str, str, str]:
    """A `tag[attribute="value"]` selector's tag, attribute and value."""
    tag, condition = selector.rstrip("]").split("[")
    name, value = condition.split("=")
    return tag, name, value.strip('"')


# Each metadata selector's element, attribute and value, to match the body's elements with (`_metadata`).
_METADATA_SELECTORS = (*META_TITLE, *META_DATE, CANONICAL)
_SELECTOR_PARTS = {selector: _selector_parts(selector) for selector in _METADATA_SELECTORS}


@dataclass(slots=True)
class _Walk:
    """One walk over a page: its elements (as indices) and its blocks, as the compiled loops take them.

    Elements are numbered as met; `parent` and `depth` give the tree. Clutter marks form chains:
    `flag_parent[f]` is the mark enclosing mark `f`, so a block names only its innermost mark.
    """

    parent: Ints
    depth: Ints
    flag_reason: Ints  # each mark's reason, an index of `markup.REASONS`
    flag_parent: Ints
    blocks: list[Block]
    homes: Ints  # each block's enclosing element
    marks: Ints  # each block's innermost clutter mark, or -1
    sizes: Ints  # each block's words
    looks: Ints  # what each block's prose test reads besides its words and reason (`regions.HEADING`, ...)


class Page(NamedTuple):
    """What the HTML cleaner makes of a page before the shared classifier judges it."""

    blocks: list[Block]  # in reading order, those outside the article and the DOM's clutter already marked
    meta: dict[str, str]  # title, date and canonical address as the page declares them
    keys: set[str]  # each line's `Block.key`, those a span of clutter holds too (the site's template counts them)


def page_blocks(html: str | bytes) -> Page:
    """An HTML page's blocks, metadata and line keys (`Page`)."""
    from dedup.clean import dom
    from dedup.clean.rawtext import stripped  # numba's import is paid by the first HTML page

    tree = LexborHTMLParser(stripped(html))  # the head's script and style text, never read, is not parsed
    root = tree.body
    if root is None:
        return Page([], page_metadata(tree), set())
    tables = _dom_tables()
    head = tree.head
    read = dom.read(root.mem_id, head.mem_id if head is not None else 0, tables) if tables is not None else None
    if read is None:
        return pruned_page_blocks(tree, root)
    meta = _declared(tree, _first_read(tree, read))
    furniture, markup = _cut(read)
    return _page(_walked_markup(markup), meta, furniture)


def pruned_page_blocks(tree: LexborHTMLParser, root: LexborNode) -> Page:
    """`page_blocks` the way that asks lexbor for all: a selector query, a prune of the tree, its serialization.

    Pages go this way where `dedup.clean.dom` cannot read lexbor's tree itself; the tests hold the two to one another.
    """
    found = _found(root)
    meta = _metadata(tree, found.declared)  # before the prune: a headline's text is read as the page has it
    furniture = _prune(root, found)
    return _page(_walked(root.html or ""), meta, furniture)


def _page(walk: _Walk, meta: dict[str, str], furniture: list[Block]) -> Page:
    """A page's blocks once walked: the marks resolved, what lies outside the article named, runs made spans."""
    reasons = _resolve_marks(walk)
    verdicts = _outside_article(walk, reasons, meta.get("title"))
    keys = {block.key for block in walk.blocks}
    keys.update(block.key for block in furniture)
    return Page(_spans(walk.blocks, _reason_codes(reasons, verdicts), walk.sizes) + furniture, meta, keys)


@cache
def _dom_tables() -> dom.Tables | None:
    """What `dedup.clean.dom`'s pass looks up (None where it cannot read lexbor's tree)."""
    from dedup.clean import dom

    chars = _markup_tables()[0]
    selectors = [_SELECTOR_PARTS[selector] for selector in _METADATA_SELECTORS]
    return dom.tables(frozenset(_walk_tags()), _DROPPED, SKIPPED_TAGS, chars, selectors)


def _first_read(tree: LexborHTMLParser, read: dom.Read) -> Callable[[str], Attributes | None]:
    """`first(selector)` for `_declared`, from what the pass found (`dom.Read.found`): the attribute a metadata
    selector's element declares its value in, or, where that element matched in other case alone, lexbor's
    first match, as `_first_declared` does."""
    from dedup.clean import dom

    rows = dict(zip(_METADATA_SELECTORS, read.found.tolist(), strict=True))
    values = read.values.tobytes()

    def first(selector: str) -> Attributes | None:
        match, start, end = rows[selector]
        if match == dom.OTHER_CASE:
            return _attributes(tree.css_first(selector))
        if not match:
            return None
        value = values[start:end].decode("utf-8", "replace") if start >= 0 else None
        return {"content" if selector.startswith("meta") else "href": value}

    return first


def _cut(read: dom.Read) -> tuple[list[Block], npt.NDArray[np.uint32]]:
    """The furniture `_prune` would take out, as removed blocks, and the walk's markup without it (`dom.cut`)."""
    from dedup.clean import dom

    taken, markup = dom.cut(read, FURNITURE_SHARE, HIDDEN_SHARE)
    removed = []
    for row in taken:
        words = dom.piece_text(read, row).split() if row[dom.WORDS] else []
        if words:
            folded = " ".join(words)
            removed.append(
                Block(folded, reason=dom.PIECE_REASONS[row[dom.REASON]], size=len(words), key=folded.lower())
            )
    return removed, markup


# Page furniture whose tag or attributes say what it is. Taking it out whole before the walk spares the
# walk most of a page's nodes; its text is kept as one removed block, for `--explain`.
FURNITURE = (
    ("nav", "nav"),
    ('[role="navigation"]', "nav"),
    ("footer", "footer"),
    ('[role="contentinfo"]', "footer"),
    ("aside", "teaser"),
    ("[hidden]", "hidden"),
    ('[aria-hidden="true"]', "hidden"),
    ('[style*="display:none" i]', "hidden"),
    ('[style*="display: none" i]', "hidden"),
    ('[style*="visibility:hidden" i]', "hidden"),
)
_FURNITURE = ", ".join(selector for selector, _ in FURNITURE)
_DROPPED = frozenset(DROPPED_TAGS.split(", "))
_DROPPED_OR_FURNITURE = f"{DROPPED_TAGS}, {_FURNITURE}"
# Furniture holding this share of the page's text may be the article under a misleading tag: it stays.
# Hidden copies of the whole article (for search engines) hold as much text as the article itself.
FURNITURE_SHARE = 0.25
HIDDEN_SHARE = 0.5


class _Found(NamedTuple):
    """What the prune's query found in the body, in document order: the elements to drop, the furniture, and
    the `<meta>` and `<link>` elements (dropped too), which may declare the page's metadata."""

    dropped: list[LexborNode]
    furniture: list[LexborNode]
    declared: list[LexborNode]


def _found(root: LexborNode) -> _Found:
    """What the prune takes out of the body (`DROPPED_TAGS`, `FURNITURE`), found by one selector query.

    One query finds both, in document order: each query walks the whole tree, a tenth of a millisecond a
    page.
    """
    found = _Found([], [], [])
    for node in root.css(_DROPPED_OR_FURNITURE):
        tag = node.tag
        if tag in _DROPPED:
            found.dropped.append(node)
            if tag in _DECLARING:
                found.declared.append(node)
        elif tag not in SKIPPED_TAGS:  # (a skipped element goes whole, furniture or not)
            found.furniture.append(node)
    return found


_DECLARING = frozenset({"meta", "link"})  # the dropped tags that may declare the page's metadata


def _prune(root: LexborNode, found: _Found | None = None) -> list[Block]:
    """Drop what holds no text (`DROPPED_TAGS`), then take the furniture out, outermost first; each piece
    comes back as one block with its reason.

    A removed node is unlinked with all it holds (not freed), so a piece inside one already taken out has
    no parent left. A piece inside an element the walk skips (`SKIPPED_TAGS`) goes with that element, as it
    went when lexbor dropped it: no block of its own.
    """
    dropped, furniture, _ = found or _found(root)
    for node in dropped:
        node.decompose()
    total = len(root.text(deep=True, separator=" "))
    removed: list[Block] = []
    clear: set[int] = set()
    for node in furniture:
        if node.parent is None:
            continue  # inside a dropped element or a piece taken out
        text = node.text(deep=True, separator=" ")
        reason = _furniture_reason(node)
        if len(text) >= (HIDDEN_SHARE if reason == "hidden" else FURNITURE_SHARE) * total:
            continue  # may be the article under a misleading tag: the walk judges it piece by piece
        words = text.split()
        if words and _in_skipped(node, clear):
            continue  # the walk passes over it with the element that holds it
        node.decompose()
        if words:
            folded = " ".join(words)
            removed.append(Block(folded, reason=reason, size=len(words), key=folded.lower()))
    return removed


def _in_skipped(node: LexborNode, clear: set[int]) -> bool:
    """Whether an element sits inside one the walk skips (`SKIPPED_TAGS`). `clear` holds the elements (their
    `mem_id`) known to sit in none: the pieces of a page share most of their ancestors, which are looked at
    once. (The prune unlinks elements, never frees them: an element keeps its `mem_id`.)"""
    ancestor = node.parent
    path = []
    while ancestor is not None:
        at = ancestor.mem_id
        if at in clear:
            break
        tag = ancestor.tag
        if tag in SKIPPED_TAGS:
            return True
        path.append(at)
        if tag == "body":
            break
        ancestor = ancestor.parent
    clear.update(path)
    return False


def _furniture_reason(node: LexborNode) -> str:
    """Which kind of furniture a node that `FURNITURE` found is, the first of its rows that names it.

    Read from the tag and role: matching each selector again costs more than the rest of the pruning. (The
    role alone is looked up: all the attributes cost twice as much.)
    """
    tag = node.tag
    if tag == "nav":
        return "nav"
    role = node.attrs.get("role")
    if role == "navigation":
        return "nav"
    if tag == "footer" or role == "contentinfo":
        return "footer"
    return "teaser" if tag == "aside" else "hidden"  # the remaining rows all find hidden elements


def page_metadata(tree: LexborHTMLParser) -> dict[str, str]:
    """Title, date and canonical address as the page declares them in its head."""
    return _declared(tree, lambda selector: _attributes(tree.css_first(selector)))


def _attributes(node: LexborNode | None) -> Attributes | None:
    """An element's attributes (None for no element)."""
    return node.attributes if node is not None else None


Attributes = Mapping[str, "str | None"]


def _metadata(tree: LexborHTMLParser, declared: list[LexborNode]) -> dict[str, str]:
    """`page_metadata`, for a page whose body's `<meta>` and `<link>` elements the prune has found already.

    A query that finds nothing walks the whole page, and most pages lack some of the tags asked for: the
    queries walk the head alone, and the body's elements are matched here, in document order after it.
    """
    return _declared(tree, _first_in_head_or(tree, [(node.tag, node.attributes) for node in declared]))


def _first_in_head_or(
    tree: LexborHTMLParser, declared: Sequence[tuple[str | None, Attributes]]
) -> Callable[[str], Attributes | None]:
    """The attributes of the first element in document order that a metadata selector finds: in the head, or
    among the body's `<meta>` and `<link>` elements, `declared` (their tags and attributes, in document order)."""
    head = tree.head

    def first(selector: str) -> Attributes | None:
        found = head.css_first(selector) if head is not None else None
        return found.attributes if found is not None else _first_declared(tree, declared, selector)

    return first


def _first_declared(
    tree: LexborHTMLParser, declared: Sequence[tuple[str | None, Attributes]], selector: str
) -> Attributes | None:
    """The attributes of the first of some `<meta>` and `<link>` elements (`declared`: their tags and
    attributes, in document order, all those before them in the page among them) that a metadata selector finds.

    The value must be the one asked for exactly, as in a selector; only lexbor knows which attributes'
    values it compares without case (`rel`, on HTML elements alone), so it is asked when a value differs
    from the one wanted in case alone.
    """
    tag, name, wanted = _SELECTOR_PARTS[selector]
    for element_tag, attributes in declared:
        value = attributes.get(name) if element_tag == tag else None
        if value is not None and value.lower() == wanted.lower():
            return attributes if value == wanted else _attributes(tree.css_first(selector))  # the first lexbor finds
    return None


def _declared(tree: LexborHTMLParser, first: Callable[[str], Attributes | None]) -> dict[str, str]:
    """Title, date and canonical address as the page declares them; `first(selector)` gives the attributes of
    the first element in document order that a selector finds (as lexbor's `css_first` would)."""
    meta: dict[str, str] = {}
    for key, selectors in (("title", META_TITLE), ("date", META_DATE)):
        for selector in selectors:
            found = first(selector)
            content = found.get("content") if found else None
            if content and content.strip():
                meta[key] = content.strip()
                break
    if "title" not in meta:
        # A logo is often an <h1> too: the headline is the article's own, or the one with the most words.
        headings = [" ".join(h1.text().split()) for h1 in tree.css("article h1, main h1") or tree.css("h1")]
        longest = max(headings, key=lambda text: len(text.split()), default="")
        if longest:
            meta["title"] = longest
    canonical = first(CANONICAL)
    href = canonical.get("href") if canonical else None
    if href:
        meta["url"] = href
    return meta


# Tags the walk reads as void (never closed) and as raw text (its text taken as it stands, to its end tag).
VOID_TAGS = frozenset(
    {"area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "input", "keygen"}
    | {"link", "meta", "param", "source", "track", "wbr"}
)
RAW_TAGS = frozenset(["script", "style", "xmp", "iframe", "noembed", "noframes", "noscript"])
NAVIGATION_ROLES = ("navigation", "banner", "contentinfo", "complementary")


def _walked(body: str) -> _Walk:
    """The walk over a body's serialized markup (`dedup.clean.markup`), its blocks made."""
    from dedup.clean import markup  # numba's import is paid by the first HTML page, not by `import dedup`

    return _made(markup.walk(body, *_markup_tables()))


def _walked_markup(codes: npt.NDArray[np.uint32]) -> _Walk:
    """The walk over the markup `dedup.clean.dom` wrote, as code points, its blocks made."""
    from dedup.clean import markup

    return _made(markup.walk_codes(codes, *_markup_tables()))


def _made(found: Walked) -> _Walk:
    """The blocks of what the walk found."""
    from dedup.clean import markup

    columns = found.rows
    densities, sizes, looks = _measures(columns)
    # The text ends with a line break: one line more than there are blocks. Lines are lower-cased one by
    # one: an ASCII line stays on str.lower's fast path, where the page's one character past ASCII sends
    # its whole text down the slow one. Most pages hold no bullet character, which one search tells.
    texts = found.text.split("\n")
    texts.pop()
    bulleted = any(char in found.text for char in BULLET_CHARS)
    bullets = [text.startswith("• ") for text in texts] if bulleted else [False] * len(texts)
    blocks = [
        Block(text, heading, bullet, density, None, size, None, container, text.lower())
        for text, heading, bullet, density, size, container in zip(
            texts,
            (columns[:, markup.HEAD] == 1).tolist(),
            bullets,
            densities.tolist(),
            columns[:, markup.SIZE].tolist(),
            columns[:, markup.CONTAINER].tolist(),
            strict=True,
        )
    ]
    odd = np.flatnonzero(columns[:, markup.LENGTH] > SPACED_WORD_CHARS * columns[:, markup.SIZE]).tolist()
    if bulleted:  # most list items are "• ..." already
        odd = sorted({*odd, *(i for i, text in enumerate(texts) if text[0] in BULLET_CHARS and not bullets[i])})
    for i in odd:  # a block whose text or words the walk did not give as the blocks have them
        _mend(blocks[i], int(columns[i, markup.LINK_CHARS]), int(columns[i, markup.LENGTH]))
        sizes[i], looks[i] = blocks[i].size, _look(blocks[i])
    homes, marks = (np.ascontiguousarray(columns[:, column]) for column in (markup.HOME, markup.MARK))
    return _Walk(found.parent, found.depth, found.mark_reason, found.mark_parent, blocks, homes, marks, sizes, looks)


def _mend(block: Block, link_chars: int, length: int) -> None:
    """Give a block the bullet and words the walk did not: another bullet character as "• ", and its words
    counted (`blocks.words`) if its characters are too many for them (a run of unspaced script).

    `link_chars` and `length` are its link characters and characters, as the walk counted them.
    """
    text = block.text
    if text[0] in BULLET_CHARS and not text.startswith("• "):
        text = BULLET.sub("• ", text)
        length = len(text)
        block.text, block.key, block.bullet = text, text.lower(), text.startswith("• ")
        block.link_density = min(1.0, link_chars / max(1, length))
    if length > SPACED_WORD_CHARS * block.size:
        block.size = words(text)


def _measures(columns: Ints) -> tuple[npt.NDArray[np.float64], Ints, Ints]:
    """Each block's link density, words and `_look`, from the walk's columns as a whole."""
    from dedup.clean import markup, regions

    link_chars, length = columns[:, markup.LINK_CHARS], np.maximum(columns[:, markup.LENGTH], 1)
    linked = 2 * link_chars > length  # link density > 0.5
    looks = (
        columns[:, markup.HEAD] * regions.HEADING | linked * regions.LINKED | columns[:, markup.ENDED] * regions.ENDS
    )
    return np.minimum(1.0, link_chars / length), columns[:, markup.SIZE].copy(), looks


def _look(block: Block) -> int:
    """What a block's prose test (`is_body`) reads besides its words and reason, as `regions` flags."""
    from dedup.clean import regions

    ends = block.text[-1:] in SENTENCE_ENDS
    return block.heading * regions.HEADING | (block.link_density > 0.5) * regions.LINKED | ends * regions.ENDS


@cache
def _walk_tags() -> dict[str, int]:
    """The tags the compiled walk knows, with their flags (`markup.BLOCK`, ...) and clutter reasons."""
    from dedup.clean import markup

    tags: dict[str, int] = {}
    for names, flag in (
        (BLOCK_TAGS, markup.BLOCK),
        (HEADINGS, markup.HEADING),
        (CELLS, markup.CELL),
        (("a",), markup.LINK),
        (VOID_TAGS, markup.VOID),
        (RAW_TAGS, markup.RAW),
        (SKIPPED_TAGS, markup.SKIPPED),
    ):
        for name in names:
            tags[name] = tags.get(name, 0) | flag
    for name, reason in TAG_REASONS.items():
        tags[name] = tags.get(name, 0) | markup.REASONS.index(reason) << markup.REASON_SHIFT
    return tags


@cache
def _markup_tables() -> tuple[npt.NDArray[np.uint8], Words, Words, Words, Words]:
    """What the compiled walk looks up: characters' kinds, tags, attributes, class words, attribute values."""
    from dedup.clean import markup

    tags = _walk_tags()
    attributes = {"class": markup.CLASS, "id": markup.ID, "role": markup.ROLE, "hidden": markup.HIDDEN}
    attributes["aria-hidden"] = markup.ARIA_HIDDEN
    roles = dict.fromkeys(NAVIGATION_ROLES, markup.NAV) | {"true": markup.HIDDEN_REASON}
    tokens = {token: markup.REASONS.index(reason) for token, reason in TOKEN_REASONS.items()}
    return (
        markup.char_table("".join(sorted(SENTENCE_ENDS))),
        markup.table(tags, fold=True),
        markup.table(attributes, fold=True),
        markup.table(tokens, fold=True),
        markup.table(roles, fold=False),
    )


def _resolve_marks(walk: _Walk) -> Ints:
    """Apply clutter marks, except on elements that hold much of the page's prose; each block's reason code.

    Class names lie: a body container may carry "has-ads" or sit in a "content-rail". An element
    that holds a large share of the prose is the article, whatever its class says. Ads, prompts, share
    bars and captions are short: an element marked so that holds whole paragraphs of prose is an
    article section whose class name says something else.
    """
    from dedup.clean import markup, regions

    reasons = regions.resolve_marks(
        walk.flag_reason, walk.flag_parent, _short_clutter(), walk.marks, walk.sizes, walk.looks, _RULES
    )
    _name(walk.blocks, reasons, markup.REASONS)
    return reasons


def _outside_article(walk: _Walk, reasons: Ints, title: str | None) -> Ints:
    """Mark what is not article: blocks before the headline, blocks outside the region holding the prose
    (the deepest element holding 80% of it: deeper would cut the article in two), and the lead paragraphs
    of teaser cards.

    Between the headline and that region only a standfirst may stand: prose there stays. `reasons` are
    the blocks' reason codes, as `_resolve_marks` gave them; the verdicts are returned (`regions.PAGE`, ...).
    """
    from dedup.clean import regions

    headline = _headline(walk.blocks, title)
    verdicts = regions.outside_article(
        walk.parent,
        walk.depth,
        walk.homes,
        reasons,
        walk.sizes,
        walk.looks,
        -1 if headline is None else headline,
        _RULES,
    )
    _name(walk.blocks, verdicts, {regions.PAGE: "page", regions.TEASER: "teaser"})
    return verdicts


def _reason_codes(reasons: Ints, verdicts: Ints) -> Ints:
    """Each block's reason to go as one code: its mark's (an index of `markup.REASONS`), or past those, the
    article region's verdict (`regions.PAGE`, `regions.TEASER`), which `_outside_article` gave it last."""
    from dedup.clean import markup

    return np.where(verdicts > 0, verdicts + (len(markup.REASONS) - 1), reasons)


def _spans(blocks: list[Block], codes: Ints, sizes: Ints) -> list[Block]:
    """The walk's blocks, each run of blocks that go for one reason given as one block: its first, holding
    the run's text (`Block.span` says how many it stands for). `codes` are their reasons (`_reason_codes`),
    `sizes` their words.

    A menu of forty entries goes as one span, as furniture does, and costs the classifier one block, not
    forty. The classifier makes of a run what it made of its blocks one by one: a run holds no block it
    would read on its own (a cookie notice may open the page's footer, a short line holding a piece of
    a comments phrase its comments: those stay blocks of their own), and its first block keeps its words
    and key.
    """
    from dedup.clean import regions

    among = regions.short_in_runs(codes, sizes, _cookie(), MARKER_WORDS).tolist()
    apart = regions.ints(_comment_hints(blocks, among) if among else ())
    starts = regions.run_starts(codes, _cookie(), apart).tolist()
    if len(starts) == len(blocks):
        return blocks  # no run
    for first, past in zip(starts, [*starts[1:], len(blocks)], strict=True):
        if past - first > 1:
            block = blocks[first]
            block.text = " ".join([part.text for part in blocks[first:past]])
            block.span = past - first
    return [blocks[i] for i in starts]


def _comment_hints(blocks: list[Block], among: list[int]) -> list[int]:
    """Those of the blocks `among` whose key holds a piece of a comments phrase (`vocab.may_open_comments`).
    Their keys are searched together first: on most pages, none holds one."""
    keys = [blocks[i].key for i in among]
    if not vocab.may_open_comments("\n".join(keys)):  # (no piece spans a line break)
        return []
    return [i for i, key in zip(among, keys, strict=True) if vocab.may_open_comments(key)]


def _name(blocks: list[Block], codes: Ints, names: Sequence[str] | Mapping[int, str]) -> None:
    """Give each block with a code other than 0 the reason that code names."""
    for block, code in zip(blocks, codes.tolist(), strict=True):
        if code:
            block.reason = names[code]


@cache
def _cookie() -> int:
    """The reason code of a cookie notice (`markup.REASONS`)."""
    from dedup.clean import markup

    return markup.REASONS.index("cookie")


@cache
def _short_clutter() -> Ints:
    """Which of the marks' reasons (`markup.REASONS`, by index) are short clutter (1) or not (0)."""
    from dedup.clean import markup, regions

    return regions.ints([reason in SHORT_CLUTTER for reason in markup.REASONS])


def _headline(blocks: list[Block], title: str | None) -> int | None:
    """Which block is the article's headline: the first heading that the page's declared title names."""
    if not title:
        return None
    wanted = " ".join(title.split()).casefold()
    for i, block in enumerate(blocks):
        if block.heading and not block.reason and _same_title(block.text.casefold(), wanted):
            return i
    return None


def _same_title(text: str, title: str) -> bool:
    """Whether a heading is the declared title, which often carries the site's name after it."""
    if text == title:
        return True
    return len(text) >= 0.5 * len(title) and len(text.split()) >= 3 and (title.startswith(text) or text in title)
