"""The HTML cleaner's one pass over lexbor's tree (`dedup.clean.dom`) makes of a page what the old way does.

The old way (`html.pruned_page_blocks`) asks selectolax for all: a selector query for what to drop and
for the page's furniture, a prune of the tree, its serialization for the walk. The pass reads the tree
itself. Every page here goes both ways, and the blocks, metadata and line keys must be the same.
"""

from __future__ import annotations

import random

import pytest
import selectolax
from selectolax.lexbor import LexborHTMLParser

from dedup.clean import dom, html
from dedup.clean.blocks import Block
from dedup.clean.rawtext import stripped


def summary(blocks: list[Block]) -> list[tuple[object, ...]]:
    """What the classifier reads of a page's blocks."""
    return [
        (b.text, b.reason, b.size, b.key, b.heading, b.bullet, round(b.link_density, 9), b.span, b.home) for b in blocks
    ]


def both_ways(page: str | bytes) -> tuple[object, object]:
    """A page's blocks, metadata and keys by the pass (`page_blocks`) and by the old way."""
    read = html.page_blocks(page)
    tree = LexborHTMLParser(stripped(page))
    assert tree.body is not None
    pruned = html.pruned_page_blocks(tree, tree.body)
    return (summary(read.blocks), read.meta, read.keys), (summary(pruned.blocks), pruned.meta, pruned.keys)


def test_the_pass_reads_lexbors_tree_here() -> None:
    # Off, every page would go the old way, slower, and the tests below would compare it with itself.
    tables = html._dom_tables()
    assert tables is not None, f"selectolax {selectolax.__version__}: the pass does not read its lexbor"
    body = LexborHTMLParser("<body><p>Text</p></body>").body
    assert body is not None
    assert dom.read(body.mem_id, 0, tables) is not None


PARAGRAPH = "The minister said on Tuesday that the plan would go ahead as agreed by all parties. "
PAGES = [
    # text: entities, no-break spaces, characters past ASCII and past the Basic Multilingual Plane
    f"<body><p>{PARAGRAPH}a &amp; b &lt; c &gt; d &quot; &nbsp;e&#xA0;f</p><p>café 東京 \U0001f600 x</p>"
    "<p>Entities as text: &amp;amp; &amp;lt;b&amp;gt; &amp;nbsp; &amp;quot;</p></body>",
    # attributes the walk reads, escaped as lexbor escapes them, and those it does not
    f'<body><div class="a&amp;b x\xa0ad" id=\'q"uote\' data-x="<nav>">{PARAGRAPH}</div><p class=share>Share</p></body>',
    # raw text, void elements the walk does not know, comments and bogus comments, custom elements
    f"<body><xmp>a<b>&amp;</xmp><noembed>x<y</noembed><p>{PARAGRAPH}<param><track><!-- c --><?php x ?></p>"
    '<my-widget class=promo>Buy</my-widget><a"b>odd</a"b></body>',
    # furniture: by tag, role (in case), hidden in its three ways, nested, inside what the walk skips
    f'<body><nav><a href="/">Home</a> <nav>Inner</nav></nav><div role="navigation">Menu</div>'
    f'<div role="Navigation">Stays</div><div role="contentinfo">Legal</div><aside>Related</aside>'
    f'<div hidden>Gone</div><div aria-hidden="true">Gone too</div><div aria-hidden="TRUE">Stays too</div>'
    f'<div style="x;DISPLAY: NONE">Hidden</div><div style="visibility:hidden">Hidden</div><p>{PARAGRAPH}</p>'
    "<button><span hidden>Close</span></button><video><div hidden>Fallback</div></video><footer>© 2024</footer></body>",
    # furniture holding much of the page's text may be the article under a misleading tag: it stays
    f"<body><nav>Home</nav><aside><p>{PARAGRAPH * 5}</p></aside><div hidden><p>{PARAGRAPH * 3}</p></div></body>",
    f"<body hidden><p>{PARAGRAPH}</p></body>",
    "<body><nav>   </nav><div hidden></div><p>Only this.</p></body>",
    # what is dropped: scripts, style sheets, templates, SVG and MathML with HTML inside, and what they hold
    f"<body><script>var a = '<p>no</p>';</script><style>p{{}}</style><template><p>no</p></template>"
    f"<svg><foreignObject><nav>in svg</nav><p>no</p></foreignObject></svg><math><mi>x</mi><footer>f</footer></math>"
    f"<noscript><nav>Menu</nav><img src=x></noscript><p>{PARAGRAPH}</p></body>",
    # the metadata the body declares, in dropped elements too, with values in other case and none
    '<head><title>T</title></head><body><noscript><meta property="og:title" content="From noscript"></noscript>'
    '<meta name="date" content><meta property="article:published_time" content="2024-05-01">'
    '<link rel="Canonical" href="/a"><link rel="canonical" href="/b"><p>Text here.</p></body>',
    '<head><meta property="og:title" content="Head"></head><body><svg><link rel="canonical" href="/s"></svg>'
    "<h1>Headline here</h1><p>Text.</p></body>",
    # in SVG and MathML an attribute's name may have a prefix: xlink:href is no href
    '<body><svg><link rel="canonical" xlink:href="/x"></svg><math><link rel="canonical" xlink:href="/y"></math></body>',
    '<body><svg><link rel="canonical" href="/a" xlink:href="/b"></svg><p>Text.</p></body>',
    # the head's metadata in other case before the one asked for, and after it
    '<head><meta property="OG:TITLE" content="A"><meta property="og:title" content="B"><link rel="CANONICAL" '
    'href="/c"></head><body><p>Text.</p></body>',
    # trees the parser mends: tables with stray text, misnested formatting, unclosed elements
    f"<body><table>stray<tr><td>a</td>text<td>b</table><b><i>one</b> two</i><ul><li>x<li>y</ul><p>{PARAGRAPH}",
    # text a removed element had kept apart reads as one
    "<body><p>Hello<script>x</script>World <nav>n</nav>again<!-- c -->!</p></body>",
]


@pytest.mark.parametrize("page", PAGES)
def test_a_page_comes_out_as_the_old_way_gives_it(page: str) -> None:
    read, pruned = both_ways(page)
    assert read == pruned


def test_the_furniture_and_the_dropped_elements_are_those_the_old_way_takes() -> None:
    read = html.page_blocks(PAGES[3])
    removed = [
        (block.text, block.reason) for block in read.blocks if block.reason in ("nav", "footer", "teaser", "hidden")
    ]
    assert ("Home Inner", "nav") in removed and ("Menu", "nav") in removed and ("Legal", "footer") in removed
    assert ("Related", "teaser") in removed and ("Gone", "hidden") in removed and ("Gone too", "hidden") in removed
    texts = " ".join(block.text for block in read.blocks)
    assert "Stays" in texts and "Stays too" in texts and "Close" not in texts and "Fallback" not in texts
    dropped = html.page_blocks(PAGES[7])
    assert [block.text for block in dropped.blocks if not block.reason] == [PARAGRAPH.strip()]


TAGS = [
    "div",
    "p",
    "span",
    "a",
    "b",
    "li",
    "ul",
    "h1",
    "h2",
    "table",
    "tr",
    "td",
    "section",
    "article",
    "nav",
    "footer",
]
TAGS += ["aside", "figure", "figcaption", "form", "button", "select", "option", "textarea", "iframe", "video"]
TAGS += ["script", "style", "noscript", "template", "svg", "math", "link", "meta", "img", "br", "hr", "wbr", "pre"]
TAGS += ["blockquote", "xmp", "noembed", "my-widget", "center", "dl", "dd", "summary", "title", "plaintext", "param"]
CLASSES = [
    "ad",
    "share-bar",
    "nav",
    "main",
    "related-links",
    "cookie",
    "content rail",
    "a&amp;b",
    "x\xa0ad",
    "promoBox",
    "",
]
CLASSES += ["ad&amp;nbsp;x", "&amp;amp;ad", "x&nbsp;ad", "x&quot; ad"]
ATTRIBUTES = [
    *(f'class="{name}"' for name in CLASSES),
    *(f'role="{role}"' for role in ("navigation", "Navigation", "contentinfo", "main", "banner")),
    "hidden",
    'aria-hidden="true"',
    'aria-hidden="false"',
    *(f'style="{style}"' for style in ("display:none", "DISPLAY: NONE", "color:red", "visibility:hidden")),
    'property="og:title" content="T"',
    'name="date" content="2024-01-01"',
    'rel="canonical" href="/c"',
    'itemprop="datePublished" content="2023"',
    'data-a-name-of-sixteen="1"',
    'data-a-very-long-attribute-name="<b>"',
    'a"b=1',
]
TEXTS = [
    "Hello world. ",
    PARAGRAPH,
    "café à la crème",
    "\U0001f600 emoji",
    "a &amp; b &lt; c &gt; d &nbsp; e",
    "  \n\t ",
]
TEXTS += ["Home", "Share on Facebook", "\xa0", "x<y", "5 > 3 & 2", "中文文本段落", "&#x1F600; &#0;", "tail."]
TEXTS += ["&amp;amp; &amp;lt;b&amp;gt; &amp;nbsp;"]


def random_body(rng: random.Random, depth: int = 0) -> str:
    """Markup of any shape: nested elements of every kind the cleaner tells apart, left open at times."""
    parts = []
    for _ in range(rng.randint(1, 5)):
        roll = rng.random()
        if roll < 0.45 and depth < 6:
            tag = rng.choice(TAGS)
            attributes = "".join(f" {rng.choice(ATTRIBUTES)}" for _ in range(rng.choice([0, 0, 1, 2, 3])))
            close = f"</{tag}>" if rng.random() < 0.9 else ""
            parts.append(f"<{tag}{attributes}>{random_body(rng, depth + 1)}{close}")
        elif roll < 0.85:
            parts.append(rng.choice(TEXTS))
        elif roll < 0.92:
            parts.append(rng.choice(["<!-- c -->", "<?php x ?>", "</p>", "<![CDATA[x]]>"]))
        else:
            parts.append(
                rng.choice([f"<p>{'word ' * rng.randint(1, 300)}</p>", "<nav>" + "<a>l</a> " * rng.randint(1, 200)])
            )
    return "".join(parts)


def test_random_pages_come_out_as_the_old_way_gives_them() -> None:
    rng = random.Random(17)
    for _ in range(1500):
        head = rng.choice(["", '<meta property="og:title" content="Head">', '<link rel="canonical" href="/h">'])
        attributes = f" {rng.choice(ATTRIBUTES)}" if rng.random() < 0.2 else ""
        page = f"<html><head><title>T</title>{head}</head><body{attributes}>{random_body(rng)}</body></html>"
        read, pruned = both_ways(page)
        assert read == pruned, page


def test_pages_of_bytes_come_out_as_the_old_way_gives_them() -> None:
    rng = random.Random(3)
    for _ in range(200):
        page = f"<body>{random_body(rng)}</body>".encode("utf-8", "surrogatepass")
        read, pruned = both_ways(page)
        assert read == pruned


OFFSETS = ["_NAME", "_PREFIX", "_NS", "_NEXT", "_PARENT", "_FIRST", "_TYPE", "_DATA", "_LENGTH", "_FIRST_ATTRIBUTE"]
OFFSETS += ["_VALUE", "_NEXT_ATTRIBUTE", "_ENTRY_LENGTH", "_INLINE_NAME"]


@pytest.mark.parametrize("shift", [-1, 1, 2])
@pytest.mark.parametrize("offset", OFFSETS)
def test_a_layout_the_pass_does_not_know_is_not_read(monkeypatch: pytest.MonkeyPatch, offset: str, shift: int) -> None:
    # lexbor laid out otherwise: the check on the probe page says so, and reads no memory it cannot
    monkeypatch.setattr(dom, offset, getattr(dom, offset) + shift)
    html._dom_tables.cache_clear()
    try:
        assert html._dom_tables() is None
    finally:
        monkeypatch.undo()
        html._dom_tables.cache_clear()
    assert html._dom_tables() is not None


def test_pages_go_the_old_way_where_the_pass_cannot_read_the_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html, "_dom_tables", lambda: None)

    def not_read(*_: object) -> None:
        raise AssertionError("the pass read a page it was not to read")

    monkeypatch.setattr(dom, "read", not_read)
    for page in PAGES:
        tree = LexborHTMLParser(stripped(page))
        assert tree.body is not None
        old = html.pruned_page_blocks(tree, tree.body)
        assert summary(html.page_blocks(page).blocks) == summary(old.blocks)


def test_a_selectolax_the_pass_was_not_checked_against_is_not_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selectolax, "__version__", "1.1.0")
    dom._lexbor.cache_clear()
    try:
        assert dom._lexbor() is None
    finally:
        monkeypatch.undo()
        dom._lexbor.cache_clear()
    assert dom._lexbor() is not None
