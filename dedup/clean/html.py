"""Cleaning HTML pages: the DOM says more than flattened text (tag roles, class names, links).

The page is walked once into paragraph-level blocks, each knowing its ancestors, how much of it is
link text, and whether an ancestor's tag or class marks it as clutter. The region of the page that
holds most of the running prose is the article; blocks outside it go, and the shared classifier in
`blocks.py` judges the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode

from dedup.clean.blocks import Block, Verdict, classify, is_body, words

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
        "td",
        "tfoot",
        "th",
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
    **dict.fromkeys(
        ["newsletter", "subscribe", "subscription", "paywall", "signup", "login", "registration"], "prompt"
    ),
    **dict.fromkeys(["cookie", "cookies", "consent", "gdpr"], "cookie"),
    **dict.fromkeys(["comment", "comments", "disqus"], "comments"),
    **dict.fromkeys(["caption", "figcaption", "credit", "credits"], "caption"),
    **dict.fromkeys(["footer", "copyright", "legal"], "footer"),
    **dict.fromkeys(["sidebar", "widget", "rail"], "teaser"),
}
TOKEN_SPLIT = re.compile(r"[\s_\-]+|(?<=[a-z])(?=[A-Z])")
META_TITLE = ('meta[property="og:title"]', 'meta[name="twitter:title"]')
META_DATE = (
    'meta[property="article:published_time"]',
    'meta[itemprop="datePublished"]',
    'meta[name="date"]',
    'meta[name="pubdate"]',
)


@dataclass(slots=True)
class _Walk:
    """State of one walk over a page: the blocks so far and the text being gathered."""

    blocks: list[Block] = field(default_factory=list)
    paths: list[tuple[int, ...]] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    link_chars: int = 0
    heading: bool = False


def clean_html(html: str) -> tuple[Verdict, dict[str, str]]:
    """The article in an HTML page, the clutter around it, and the page's own metadata."""
    tree = LexborHTMLParser(html)
    meta = page_metadata(tree)
    for node in tree.css(DROPPED_TAGS):
        node.decompose()
    root = tree.body
    if root is None:
        return Verdict(), meta
    walk = _Walk()
    _walk(root, walk)
    _outside_article(walk, meta.get("title"))
    verdict = classify(walk.blocks)
    if verdict.title is None and verdict.paragraphs and verdict.paragraphs[0] == meta.get("title"):
        verdict.title = meta["title"]
    return verdict, meta


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
    h1 = tree.css_first("h1")
    if "title" not in meta and h1 is not None and h1.text(strip=True):
        meta["title"] = " ".join(h1.text().split())
    canonical = tree.css_first('link[rel="canonical"]')
    href = canonical.attributes.get("href") if canonical else None
    if href:
        meta["url"] = href
    return meta


def clutter_reason(node: LexborNode) -> str | None:
    """The kind of clutter an element's tag, role, class or id names, if any."""
    tag = node.tag or ""
    if tag in TAG_REASONS:
        return TAG_REASONS[tag]
    attrs = node.attributes
    if attrs.get("aria-hidden") == "true" or "hidden" in attrs:
        return "hidden"
    if attrs.get("role") in ("navigation", "banner", "contentinfo", "complementary"):
        return "nav"
    names = " ".join(value or "" for key, value in attrs.items() if key in ("class", "id"))
    for token in TOKEN_SPLIT.split(names):
        reason = TOKEN_REASONS.get(token.lower())
        if reason:
            return reason
    return None


def _walk(root: LexborNode, walk: _Walk) -> None:
    """Gather the page's blocks in reading order, without recursion (pages nest deeply)."""
    # Each stack entry: (node, ancestors' ids, inherited clutter reason, inside a link, leaving).
    stack: list[tuple[LexborNode, tuple[int, ...], str | None, bool, bool]] = [(root, (), None, False, False)]
    while stack:
        node, path, reason, in_link, leaving = stack.pop()
        tag = node.tag or ""
        if tag == "-text":
            text = node.text_content or ""
            walk.parts.append(text)
            walk.link_chars += len(text.strip()) if in_link else 0
            continue
        if tag.startswith("-"):
            continue
        if leaving:
            _flush(walk, path, reason)
            continue
        own = reason or clutter_reason(node)
        if tag in BLOCK_TAGS:
            _flush(walk, path, reason)
            stack.append((node, path, own, in_link, True))
        inner = (*path, node.mem_id)
        children = list(node.iter(include_text=True))
        walk.heading = walk.heading or tag in ("h1", "h2", "h3", "h4", "h5", "h6")
        for child in reversed(children):
            stack.append((child, inner, own, in_link or tag == "a", False))


def _flush(walk: _Walk, path: tuple[int, ...], reason: str | None) -> None:
    """End the block being gathered, if it holds any text."""
    text = " ".join("".join(walk.parts).split())
    if text:
        density = min(1.0, walk.link_chars / max(1, len(text)))
        walk.blocks.append(Block(text, heading=walk.heading, link_density=density, reason=reason))
        walk.paths.append(path)
    walk.parts.clear()
    walk.link_chars = 0
    walk.heading = False


def _outside_article(walk: _Walk, title: str | None) -> None:
    """Mark the blocks outside the region that holds most of the prose (the article), but the headline."""
    weight: dict[int, int] = {}
    total = 0
    for block, path in zip(walk.blocks, walk.paths, strict=True):
        if is_body(block):
            n = words(block.text)
            total += n
            for ancestor in path:
                weight[ancestor] = weight.get(ancestor, 0) + n
    if not total:
        return
    region = _region(walk.paths, weight, total)
    if region is None:
        return
    for block, path in zip(walk.blocks, walk.paths, strict=True):
        if region not in path and not block.reason and not (block.heading and block.text == title):
            block.reason = "page"


def _region(paths: list[tuple[int, ...]], weight: dict[int, int], total: int) -> int | None:
    """The deepest element holding at least 80% of the page's prose words."""
    depth: dict[int, int] = {}
    for path in paths:
        for level, ancestor in enumerate(path):
            depth[ancestor] = level
    held = [a for a, w in weight.items() if w >= 0.8 * total]
    return max(held, key=lambda a: depth[a]) if held else None
