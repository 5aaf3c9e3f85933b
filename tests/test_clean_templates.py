"""A run of pages teaches the cleaner each site's template: what the site prints on every page."""

from __future__ import annotations

import random

from dedup import Article
from dedup.clean import clean_many, clean_stream
from dedup.clean.cleaner import learn
from dedup.clean.templates import PROSE_PAGES, PROSE_WORDS, SHARE_PAGES, SHORT_PAGES, Lines, site_of

FOOTER = "The Valley Times is an independent newspaper owned by its readers since 1921, and proud of it."
PROMO = "Get the morning briefing in your inbox"


def story(n: int) -> list[str]:
    """Story number n: three paragraphs of its own."""
    return [f"Story {n} paragraph {p} tells the reader what happened in the valley on day {n}." for p in range(3)]


def valley_page(n: int, url: str = "https://www.valleytimes.example/news/{n}") -> Article:
    """A page of the Valley Times: its menu, story n, its promo and its footer."""
    lines = ["Valley Times", "Politics", *story(n), PROMO, FOOTER]
    return Article(f"valley-{n}", "\n".join(lines), url=url.format(n=n))


def test_the_site_is_the_host_of_the_url_or_the_source() -> None:
    assert site_of(Article("a", "x", url="https://www.valleytimes.example/a?b=1")) == "valleytimes.example"
    assert site_of(Article("b", "x", source="Valley Times")) == "valley times"
    assert site_of(Article("c", "x")) is None


def test_lines_a_site_prints_on_every_page_go_as_template() -> None:
    cleaned = clean_many([valley_page(n) for n in range(3)])
    for n, article in enumerate(cleaned):
        assert article.paragraphs == story(n)
        template = [r.text for r in article.removed if r.reason == "template"]
        assert PROMO in template and FOOTER in template


def test_a_line_that_two_sites_print_is_wire_text_and_stays() -> None:
    wire = "Officials said the dam held through the night, according to the regional water authority."
    pages = [
        Article("a", "\n".join(["Menu", wire, *story(1)]), url="https://one.example/1"),
        Article("b", "\n".join(["Menu", wire, *story(2)]), url="https://one.example/2"),
        Article("c", "\n".join(["Home", wire, *story(3)]), url="https://two.example/3"),
    ]
    assert all(wire in article.paragraphs for article in clean_many(pages))


def test_two_pages_of_one_site_carrying_one_story_keep_it() -> None:
    pages = [valley_page(7, url="https://valleytimes.example/news/{n}") for _ in range(2)]
    pages += [valley_page(8), valley_page(9)]
    cleaned = clean_many([Article(f"p{i}", p.body, url=f"{p.url}/{i}") for i, p in enumerate(pages)])
    assert cleaned[0].paragraphs == story(7) and cleaned[1].paragraphs == story(7)


def test_two_pages_alone_carrying_one_story_keep_it_but_not_the_footer_below_the_promo() -> None:
    pages = [Article(f"p{i}", valley_page(7).body, url=f"https://valleytimes.example/news/7/{i}") for i in range(2)]
    for article in clean_many(pages):
        assert article.paragraphs == story(7)
        assert {r.text for r in article.removed if r.reason == "template"} >= {PROMO, FOOTER}


def test_the_result_does_not_depend_on_the_order_of_the_run() -> None:
    pages = [valley_page(n) for n in range(4)]
    forward = {article.id: article for article in clean_many(pages)}
    backward = {article.id: article for article in clean_many(pages[::-1])}
    assert forward == backward


def test_pages_without_a_site_teach_nothing() -> None:
    pages = [Article(f"p{n}", valley_page(n).body) for n in range(3)]
    assert all(
        PROMO not in {r.text for r in article.removed if r.reason == "template"} for article in clean_many(pages)
    )
    lines = Lines()
    lines.add(None, {"a"})
    lines.add(None, {"a"})
    assert lines.template(None, {"a"}) == {}


def test_clean_many_keeps_the_input_order() -> None:
    pages = [valley_page(n) for n in (3, 1, 2)]
    assert [article.id for article in clean_many(pages)] == ["valley-3", "valley-1", "valley-2"]


def test_the_only_two_pages_of_a_site_carrying_one_story_keep_it() -> None:
    """Two pages cannot show which shared prose is the story and which the footer: both stay."""
    body = [*story(5), "A fourth paragraph of story 5 tells the reader what the mayor said about the flood."]
    pages = [
        Article(f"p{i}", "\n".join(["Valley Times", *body, FOOTER]), url=f"https://valleytimes.example/{i}")
        for i in range(2)
    ]
    for article in clean_many(pages):
        assert article.paragraphs[: len(body)] == body


def test_html_pages_without_a_url_are_grouped_by_their_canonical_link() -> None:
    pages = [
        Article(
            f"h{n}",
            f'<html><head><link rel="canonical" href="https://www.valleytimes.example/{n}"></head><body>'
            f"<main><p>{'</p><p>'.join(story(n))}</p><p>{PROMO}</p></main></body></html>",
            "html",
        )
        for n in range(3)
    ]
    for article in clean_many(pages):
        assert [r.reason for r in article.removed if r.text == PROMO] == ["template"]


def test_a_run_learnt_before_it_is_cleaned_cleans_each_page_the_same_whatever_the_order() -> None:
    pages = [valley_page(n) for n in range(6)]
    pages += [
        Article(f"other-{n}", "\n".join(["Other Daily", *story(10 + n), PROMO]), url=f"https://other.example/{n}")
        for n in range(2)
    ]
    shuffled = pages[1::2] + pages[::2]

    forward = {a.id: a for a in clean_stream(pages, batch=2, lines=learn(pages))}
    backward = {a.id: a for a in clean_stream(shuffled, batch=2, lines=learn(shuffled))}

    assert forward == backward
    assert all(forward[f"valley-{n}"].paragraphs == story(n) for n in range(6))
    # The promo is printed by two sites: never template, whichever pages a batch would have held.
    assert all(PROMO not in {r.text for r in a.removed if r.reason == "template"} for a in forward.values())


def _template(pages: list[tuple[str, set[str]]], site: str, keys: set[str]) -> dict[str, float]:
    """A page's template by definition: its lines that enough pages of its site print, and no other site."""
    mine = [page for name, page in pages if name == site]
    shares = {}
    for key in keys:
        n = sum(key in page for page in mine)
        needed = PROSE_PAGES if len(key.split()) >= PROSE_WORDS else SHORT_PAGES
        if n >= needed and {name for name, page in pages if key in page} == {site}:
            shares[key] = n / max(len(mine), SHARE_PAGES)
    return shares


def test_a_page_s_template_is_its_definition_whatever_its_site_s_pages() -> None:
    rng = random.Random(37)
    vocabulary = ["menu", "share", "footer " * 30, "story", "promo", "about us", "prose " * 25]
    for _ in range(300):
        pages = [
            (rng.choice(["a", "b", "c"]), set(rng.sample(vocabulary, rng.randint(1, len(vocabulary)))))
            for _ in range(rng.randint(1, 6))
        ]
        lines = Lines()
        for site, keys in pages:
            lines.add(site, keys)
        for site, keys in pages:
            assert lines.template(site, keys) == _template(pages, site, keys)
