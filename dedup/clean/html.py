"""Cleaning HTML pages: the DOM says more than flattened text (tag roles, class names, links).

The page is walked once into paragraph-level blocks, each knowing its ancestors, how much of it is
link text, and whether an ancestor's tag or class marks it as clutter. The region of the page that
holds most of the running prose is the article; blocks outside it go, and the shared classifier in
`blocks.py` judges the rest.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from selectolax.lexbor import LexborHTMLParser, LexborNode

from dedup.clean.blocks import Block, folded, is_body

DROPPED_TAGS = (
    "script, style, noscript, template, svg, iframe, object, embed, canvas, video, audio, select, "
    "input, textarea, button, head, link, meta"
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
CAMEL_CASE = re.compile(r"(?<=[a-z])(?=[A-Z])")
META_TITLE = ('meta[property="og:title"]', 'meta[name="twitter:title"]')
META_DATE = (
    'meta[property="article:published_time"]',
    'meta[itemprop="datePublished"]',
    'meta[name="date"]',
    'meta[name="pubdate"]',
)


@dataclass(slots=True)
class _Walk:
    """One walk over a page: its elements (as indices), its blocks, and the text being gathered.

    Elements are numbered as met; `parent` and `depth` give the tree. Clutter marks form chains:
    `flag_parent[f]` is the mark enclosing mark `f`, so a block names only its innermost mark.
    """

    parent: list[int] = field(default_factory=lambda: [-1])
    depth: list[int] = field(default_factory=lambda: [0])
    flag_reason: list[str] = field(default_factory=list)
    flag_parent: list[int] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    homes: list[int] = field(default_factory=list)  # each block's enclosing element
    marks: list[int] = field(default_factory=list)  # each block's innermost clutter mark, or -1
    parts: list[str] = field(default_factory=list)
    link_chars: int = 0
    heading: bool = False

    def ancestors(self, element: int) -> Iterator[int]:
        """An element and every element enclosing it."""
        while element >= 0:
            yield element
            element = self.parent[element]


def page_blocks(html: str) -> tuple[list[Block], dict[str, str]]:
    """An HTML page's blocks in reading order, those outside the article already marked; and its metadata."""
    tree = LexborHTMLParser(html)
    meta = page_metadata(tree)
    for node in tree.css(DROPPED_TAGS):
        node.decompose()
    root = tree.body
    if root is None:
        return [], meta
    furniture = _prune(root)
    walk = _Walk()
    _walk(root, walk)
    _resolve_marks(walk)
    _outside_article(walk, meta.get("title"))
    return walk.blocks + furniture, meta


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
# Furniture holding this share of the page's text may be the article under a misleading tag: it stays.
# Hidden copies of the whole article (for search engines) hold as much text as the article itself.
FURNITURE_SHARE = 0.25
HIDDEN_SHARE = 0.5


def _prune(root: LexborNode) -> list[Block]:
    """Take the page's furniture out, outermost first; each piece comes back as one block with its reason."""
    total = len(root.text(deep=True, separator=" "))
    found = root.css(_FURNITURE)
    # Each piece's enclosing pieces, noted before any is taken out (a removed node frees its subtree).
    ids = {node.mem_id for node in found}
    enclosing = [[a for a in _ancestor_ids(node, root) if a in ids] for node in found]
    removed: list[Block] = []
    gone: set[int] = set()
    for node, outer in zip(found, enclosing, strict=True):
        if any(a in gone for a in outer):
            continue
        text = node.text(deep=True, separator=" ")
        reason = _furniture_reason(node)
        if len(text) >= (HIDDEN_SHARE if reason == "hidden" else FURNITURE_SHARE) * total:
            continue  # may be the article under a misleading tag: the walk judges it piece by piece
        gone.add(node.mem_id)
        node.decompose()
        folded = " ".join(text.split())
        if folded:
            removed.append(Block(folded, reason=reason, size=len(folded.split()), key=folded.lower()))
    return removed


def _ancestor_ids(node: LexborNode, root: LexborNode) -> list[int]:
    """The memory ids of a node's ancestors up to the root."""
    ids = []
    stop = root.mem_id
    parent = node.parent
    while parent is not None and parent.mem_id != stop:
        ids.append(parent.mem_id)
        parent = parent.parent
    return ids


def _furniture_reason(node: LexborNode) -> str:
    """Which kind of furniture a node that `FURNITURE` found is, the first of its rows that names it.

    Read from the tag and role: matching each selector again costs more than the rest of the pruning.
    """
    tag, role = node.tag, node.attributes.get("role")
    if tag == "nav" or role == "navigation":
        return "nav"
    if tag == "footer" or role == "contentinfo":
        return "footer"
    return "teaser" if tag == "aside" else "hidden"  # the remaining rows all find hidden elements


def page_metadata(tree: LexborHTMLParser) -> dict[str, str]:
    """Title, date and canonical address as the page declares them in its head."""
    meta: dict[str, str] = {}
    for key, selectors in (("title", META_TITLE), ("date", META_DATE)):
        for selector in selectors:
            node = tree.css_first(selector)
            content = node.attributes.get("content") if node else None
            if content and content.strip():
                meta[key] = content.strip()
                break
    if "title" not in meta:
        # A logo is often an <h1> too: the headline is the article's own, or the one with the most words.
        headings = [" ".join(h1.text().split()) for h1 in tree.css("article h1, main h1") or tree.css("h1")]
        longest = max(headings, key=lambda text: len(text.split()), default="")
        if longest:
            meta["title"] = longest
    canonical = tree.css_first('link[rel="canonical"]')
    href = canonical.attributes.get("href") if canonical else None
    if href:
        meta["url"] = href
    return meta


def clutter_reason(node: LexborNode, tag: str) -> str | None:
    """The kind of clutter an element's tag, role, class or id names, if any."""
    reason = TAG_REASONS.get(tag)
    if reason:
        return reason
    attrs = node.attributes
    if not attrs:
        return None
    if "hidden" in attrs or "aria-hidden" in attrs or "role" in attrs:
        special = _hidden_or_role(attrs)
        if special:
            return special
    names, ident = attrs.get("class"), attrs.get("id")
    return (names and _named_clutter(names)) or (ident and _named_clutter(ident)) or None


def _hidden_or_role(attrs: dict[str, str | None]) -> str | None:
    """Clutter that attributes other than class and id declare: hidden elements, navigation roles."""
    if attrs.get("aria-hidden") == "true" or "hidden" in attrs:
        return "hidden"
    return "nav" if attrs.get("role") in ("navigation", "banner", "contentinfo", "complementary") else None


@lru_cache(maxsize=8192)
def _named_clutter(names: str) -> str | None:
    """The kind of clutter a class or id names (pages repeat their class strings a lot)."""
    for token in _class_tokens(names):
        reason = TOKEN_REASONS.get(token.lower())
        if reason:
            return reason
    return None


def _class_tokens(names: str) -> Iterator[str]:
    """A class or id split into words at white space, "-", "_" and camelCase, in order."""
    for part in names.replace("_", " ").replace("-", " ").split():
        # Lower case meets a capital nowhere in a part without capitals, in title case or in capitals:
        # most parts need no regex.
        if part.islower() or part.istitle() or part.isupper():
            yield part
        else:
            yield from CAMEL_CASE.split(part)


# An open element during the walk: (its children not yet met, element number, innermost clutter mark,
# inside a link, a block).
_Open = tuple[Iterator[LexborNode], int, int, bool, bool]


def _walk(root: LexborNode, walk: _Walk) -> None:
    """Gather the page's blocks in reading order, in one pass over its nodes (pages nest too deep to recurse).

    The pass meets each node once, in document order, each element's children from an iterator of its
    own: an element is left when they run out. This loop runs for every node of every page, so it is
    kept flat: elements and clutter marks are numbered inline (`_Walk`), not through method calls.

    Links set side by side with nothing between them, a lower-case letter ending one and a capital
    opening the next ("<a>Teilen</a><a>Drucken</a>": a share bar or a menu styled apart), are words
    apart: a space goes between them. Other links that touch may split one word ("Arte" "mis").
    """
    open_: list[_Open] = []
    parts, parents, depth = walk.parts, walk.parent, walk.depth
    flag_reason, flag_parent = walk.flag_reason, walk.flag_parent
    element, mark, in_link = -1, -1, False  # the innermost open element
    nodes: Iterator[LexborNode] = iter((root,))  # where the next node comes from
    link_end = -1  # how many parts were gathered when the last link closed
    gap = -1  # how many parts were gathered when a link opened right after another
    left = False  # whether elements were left since the last node
    was_link = False  # whether the last node was inside a link, when elements were left after it
    while True:
        node = next(nodes, None)
        if node is None:  # the innermost open element ends
            if not open_:
                break
            if not left:
                left, was_link = True, in_link
            _, closed, closed_mark, _, block = open_.pop()
            if block and parts:
                _flush(walk, closed, closed_mark)
            elif block:
                walk.heading = False
            nodes, element, mark, in_link, _ = open_[-1] if open_ else (nodes, -1, -1, False, False)
            continue
        if left:
            left = False
            link_end = len(parts) if was_link and not in_link else -1 if not parts else link_end
        tag = node.tag or "-"
        if tag == "-text":
            text = node.text_content or ""
            if not parts and (not text or text.isspace()):
                gap = -1
                continue  # white space between blocks (most text nodes): no words to keep apart
            if gap == len(parts) and text[:1].isupper() and parts[-1][-1:].islower():
                parts.append(" ")
            gap = -1
            parts.append(text)
            if in_link:
                walk.link_chars += len(text.strip())
            continue
        if tag[0] == "-":
            continue
        reason = clutter_reason(node, tag)
        if reason:
            flag_reason.append(reason)
            flag_parent.append(mark)
            mark = len(flag_reason) - 1
        block = tag in BLOCK_TAGS
        if block and parts:
            _flush(walk, element, open_[-1][2] if open_ else -1)
            link_end = -1
        elif block:
            walk.heading = False
        elif tag in CELLS:
            parts.append(" ")  # a table row is one block, its cells apart
        elif tag == "a" and not in_link and parts and link_end == len(parts):
            gap = len(parts)
        if tag in HEADINGS:
            walk.heading = True
        parents.append(element)
        depth.append(depth[element] + 1)
        nodes, element, in_link = node.iter(include_text=True), len(parents) - 1, in_link or tag == "a"
        open_.append((nodes, element, mark, in_link, block))


def _flush(walk: _Walk, home: int, mark: int) -> None:
    """End the block being gathered, if it holds any text."""
    if walk.parts:
        line = folded("".join(walk.parts))
        walk.parts.clear()
        if line:
            text, size, bullet = line
            density = min(1.0, walk.link_chars / max(1, len(text)))
            home_block = _container(walk, home)
            block = Block(text, walk.heading, bullet, density, size=size, home=home_block, key=text.lower())
            walk.blocks.append(block)
            walk.homes.append(home)
            walk.marks.append(mark)
        walk.link_chars = 0
    walk.heading = False


def _container(walk: _Walk, home: int) -> int:
    """The element two levels above a block's own: a story split into several divs shares it."""
    for _ in range(2):
        home = walk.parent[home] if home >= 0 else -1
    return home


def _resolve_marks(walk: _Walk) -> None:
    """Apply clutter marks, except on elements that hold much of the page's prose.

    Class names lie: a body container may carry "has-ads" or sit in a "content-rail". An element
    that holds a large share of the prose is the article, whatever its class says.
    """
    prose, total = _weigh(walk, walk.flag_parent, walk.marks)
    # Each mark's outermost enclosing mark (itself included) that holds clutter: marks come after the
    # marks enclosing them, so one pass in order finds them all.
    outermost: list[str | None] = []
    for f, (reason, up) in enumerate(zip(walk.flag_reason, walk.flag_parent, strict=True)):
        outer = outermost[up] if up >= 0 else None
        outermost.append(outer or (reason if _holds_clutter(reason, prose[f], total) else None))
    for block, mark in zip(walk.blocks, walk.marks, strict=True):
        block.reason = outermost[mark] if mark >= 0 else None


def _weigh(walk: _Walk, parent: list[int], holder: list[int]) -> tuple[list[int], int]:
    """Each prose block's words credited to what holds it and all that encloses that; also the page's total.

    Args:
        walk: The walk, for its blocks.
        parent: The tree of holders (elements or clutter marks): each one's enclosing holder, or -1.
        holder: Each block's innermost holder, or -1.
    """
    own = [0] * len(parent)
    total = 0
    for block, inner in zip(walk.blocks, holder, strict=True):
        if is_body(block):
            total += block.size
            if inner >= 0:
                own[inner] += block.size
    return _rolled_up(parent, own), total


def _rolled_up(parent: list[int], own: list[int]) -> list[int]:
    """Each node's own count plus its descendants': one pass from the last node up, as parents come first."""
    total = own[:]
    for node in range(len(parent) - 1, -1, -1):
        count = total[node]
        if count and (up := parent[node]) >= 0:  # most elements (inline ones, menus' items) add nothing
            total[up] += count
    return total


def _holds_clutter(reason: str, prose: int, total: int) -> bool:
    """Whether a clutter-marked element is what its mark says, given how much prose it holds."""
    if prose >= PROSE_SHARE * total:
        return False
    # Ads, prompts, share bars and captions are short: an element marked so that holds whole
    # paragraphs of prose is an article section whose class name says something else.
    return reason not in SHORT_CLUTTER or prose < SHORT_CLUTTER_WORDS


def _within(parent: list[int], top: int) -> list[bool]:
    """Which nodes of a tree are `top` or inside it: one pass down, as parents come first."""
    inside = [False] * len(parent)
    for node in range(top, len(parent)):
        up = parent[node]
        inside[node] = node == top or (up >= 0 and inside[up])
    return inside


def _outside_article(walk: _Walk, title: str | None) -> None:
    """Mark what is not article: blocks before the headline, and blocks outside the region holding the prose.

    Between the headline and that region only a standfirst may stand: prose there stays.
    """
    weight, total = _weigh(walk, walk.parent, walk.homes)
    if not total:
        return
    # The deepest element still holding 80% of the prose: deeper would cut the article in two.
    held = [e for e, w in enumerate(weight) if w >= REGION_SHARE * total]
    region = max(held, key=lambda e: walk.depth[e])
    under = _within(walk.parent, region)
    inside = [home >= 0 and under[home] for home in walk.homes]
    headline = _headline(walk.blocks, title)
    start = inside.index(True) if True in inside else len(inside)
    for i, block in enumerate(walk.blocks):
        if block.reason or i == headline:
            continue
        if headline is not None and i < headline:
            block.reason = "page"  # teasers and menus printed above the article's own headline
        elif not inside[i] and not (headline is not None and headline < i < start and is_body(block)):
            block.reason = "page"
    _mark_cards(walk, headline)


# A teaser card: a small element holding one lead paragraph beside a linked headline, among others
# like it. An article paragraph shares its container with the rest of the story.
CARD_WORDS = 100


def _mark_cards(walk: _Walk, headline: int | None) -> None:
    """Mark the lead paragraphs of teaser cards (a linked headline and one paragraph in a small element)."""
    count = len(walk.parent)
    blocks, prose, words, links = [0] * count, [0] * count, [0] * count, [0] * count
    body = [is_body(block) for block in walk.blocks]
    for block, home, is_prose in zip(walk.blocks, walk.homes, body, strict=True):
        if home < 0:
            continue
        blocks[home] += 1
        prose[home] += is_prose
        words[home] += block.size
        links[home] += block.link_density > 0.5
    _roll_up(walk.parent, blocks, prose, words, links)
    linked = [n > 0 for n in links]
    if headline is not None:  # the headline's own header, with its standfirst and author link, is no card
        for element in walk.ancestors(walk.homes[headline]):
            linked[element] = False
    for i, block in enumerate(walk.blocks):
        if not body[i]:
            continue
        home = next((e for e in walk.ancestors(walk.homes[i]) if blocks[e] >= 2), -1)
        if home >= 0 and prose[home] == 1 and linked[home] and words[home] <= CARD_WORDS:
            block.reason = "teaser"


def _roll_up(parent: list[int], blocks: list[int], prose: list[int], words: list[int], links: list[int]) -> None:
    """`_rolled_up` of a card's four counts at once, in place; an element without blocks has none of the others."""
    for node in range(len(parent) - 1, -1, -1):
        held = blocks[node]
        if held and (up := parent[node]) >= 0:
            blocks[up] += held
            prose[up] += prose[node]
            words[up] += words[node]
            links[up] += links[node]


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
