"""The HTML cleaner reads a page's metadata (`html._metadata`) as the plain queries over the whole page do.

`page_metadata` asks lexbor for each selector's first element in the whole page. `page_blocks` asks the
head alone and matches the body's `<meta>` and `<link>` elements that its prune query found; on pages that
put them anywhere (before the head, after the body, inside tables, SVG, templates, frames), in any case, it
must find the same ones.
"""

from __future__ import annotations

import random

from selectolax.lexbor import LexborHTMLParser

from dedup.clean import html

# The values asked for, in other cases and near misses: lexbor compares `rel` without case, the others not.
VALUES = {
    "property": ["og:title", "OG:title", "og:Title", "article:published_time", "og:titles", "x"],
    "name": ["twitter:title", "Twitter:title", "date", "Date", "DATE", "pubdate", "pubDate", "x"],
    "itemprop": ["datePublished", "datepublished", "DatePublished", "x"],
    "rel": ["canonical", "Canonical", "CANONICAL", "canonical x", "stylesheet"],
}
CONTENTS = [None, "", "   ", "A title", " Spaced  title ", "2024-01-02", "/a/b"]
# Where a piece of the body may sit: (before, after) it.
SETTINGS = [
    ("", ""),
    ("<div>", "</div>"),
    ("<nav>", "</nav>"),
    ("<footer hidden>", "</footer>"),
    ("<noscript>", "</noscript>"),
    ("<template>", "</template>"),
    ("<svg>", "</svg>"),
    ("<svg><foreignObject>", "</foreignObject></svg>"),
    ("<math><mi>", "</mi></math>"),
    ("<table><tr><td>", "</td></tr></table>"),
    ("<table>", "</table>"),
    ("<select>", "</select>"),
    ("<article>", "</article>"),
    ("<main><p>", "</p></main>"),
    ("<h1>", "</h1>"),
]
# What ends the head early, so that the elements after it in the head's markup go to the body.
HEAD_BREAKERS = ['<noscript><img src="p.gif"></noscript>', "<div>text</div>", "plain text", "<title>T</title>"]
HEADINGS = ["<h1>Logo</h1>", "<h1>The  whole headline here</h1>", "<h1>Ti<script>var x</script>tle</h1>", "<h1></h1>"]


def random_element(rng: random.Random) -> str:
    """A `<meta>` or `<link>` element, sometimes one that declares something, in random case and spelling."""
    name = rng.choice(list(VALUES))
    tag = "link" if name == "rel" and rng.random() < 0.8 else rng.choice(["meta", "link"])
    value = rng.choice(VALUES[name])
    spelt = rng.choice([name, name.upper(), name.title()])
    attributes = [f'{spelt}="{value}"']
    if rng.random() < 0.1:
        attributes.append(f'{name}="{rng.choice(VALUES[name])}"')  # a second one: the parser keeps the first
    content = rng.choice(CONTENTS)
    if content is not None:
        attributes.append(f'{"href" if tag == "link" else "content"}="{content}"')
    return f"<{rng.choice([tag, tag.upper()])} {' '.join(attributes)}>"


def random_body_piece(rng: random.Random) -> str:
    """Elements of the body, in a random setting."""
    before, after = rng.choice(SETTINGS)
    inner = "".join(
        random_element(rng) if rng.random() < 0.7 else rng.choice(HEADINGS) for _ in range(rng.randint(1, 3))
    )
    return f"{before}{inner}{after}"


def random_page(rng: random.Random) -> str:
    """A page with metadata elements before, in and after its head and body, some in frames."""

    before = "".join(random_element(rng) for _ in range(rng.choice([0, 0, 1])))
    head = "".join(
        random_element(rng) if rng.random() < 0.9 else rng.choice(HEAD_BREAKERS) for _ in range(rng.randint(0, 4))
    )
    between = "".join(random_element(rng) for _ in range(rng.choice([0, 0, 1])))
    body = "".join(random_body_piece(rng) for _ in range(rng.randint(0, 5)))
    after = "".join(random_body_piece(rng) for _ in range(rng.choice([0, 0, 1])))
    if rng.random() < 0.05:
        return f"<html><head>{head}</head>{between}<frameset><frame src=x></frameset>{after}</html>"
    if rng.random() < 0.15:
        return f"{before}{head}{body}"  # no head or body tags
    return f"{before}<html><head>{head}</head>{between}<body>{body}</body>{after}</html>{after}"


def test_the_metadata_is_what_queries_over_the_whole_page_find() -> None:
    rng = random.Random(5)
    found = {"title": 0, "date": 0, "url": 0}
    for _ in range(4000):
        page = random_page(rng)
        meta = html.page_blocks(page).meta
        assert meta == html.page_metadata(LexborHTMLParser(page)), page
        for key in meta:
            found[key] += 1
    assert min(found.values()) > 500  # the pages declare each often enough to tell


def test_a_value_in_other_case_is_matched_as_lexbor_matches_it() -> None:
    for page in (
        '<body><link rel="Canonical" href="/a"></body>',
        '<body><svg><link rel="Canonical" href="/a"></svg><link rel="canonical" href="/b"></body>',
        '<body><meta property="OG:title" content="A"><meta property="og:title" content="B"></body>',
    ):
        meta = html.page_blocks(page).meta
        assert meta == html.page_metadata(LexborHTMLParser(page))
    assert html.page_blocks('<body><link rel="Canonical" href="/a"></body>')[1] == {"url": "/a"}
