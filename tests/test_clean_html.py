"""HTML pages: the DOM names the furniture, the headline starts the article, prose says where it is."""

from __future__ import annotations

import random

import pytest

from dedup import Article, CleanArticle, clean
from dedup.clean import clean_many, html

PARAGRAPHS = [
    "The old bridge over the river reopened on Thursday after two years of repairs, the city said.",
    "Drivers had been forced to take a detour of twenty kilometres while the work went on.",
    "Shop owners in the town centre said trade had fallen by a third during the closure.",
    "The mayor thanked residents for their patience and promised a festival on the bridge in June.",
]


def html_page(body: str, head: str = "") -> Article:
    """A page with the given head and body markup."""
    return Article("page", f"<html><head>{head}</head><body>{body}</body></html>", "html")


def story(*paragraphs: str) -> str:
    """Paragraphs as <p> elements."""
    return "".join(f"<p>{p}</p>" for p in paragraphs)


def reasons(article: CleanArticle) -> dict[str, str]:
    """Each removed span's reason, by its text."""
    return {removal.text: removal.reason for removal in article.removed}


def test_furniture_goes_whole_with_its_reason() -> None:
    article = clean(
        html_page(
            '<nav><a href="/">Home</a> <a href="/news">News</a></nav>'
            f"<main><h1>Bridge reopens</h1>{story(*PARAGRAPHS)}</main>"
            '<aside><h3>Most read</h3><a href="/x">Storm hits coast</a></aside>'
            "<div hidden>Thanks for reading, please log in</div>"
            "<footer>Contact us · Terms of use</footer>"
        )
    )
    assert article.paragraphs == ["Bridge reopens", *PARAGRAPHS]
    why = reasons(article)
    assert why["Home News"] == "nav"
    assert why["Most read Storm hits coast"] == "teaser"
    assert why["Thanks for reading, please log in"] == "hidden"
    assert why["Contact us · Terms of use"] == "footer"


def test_furniture_inside_a_dropped_element_goes_with_it_and_furniture_inside_furniture_goes_once() -> None:
    article = clean(
        html_page(
            '<button><span aria-hidden="true">Share this</span><svg><nav>Icon menu</nav></svg></button>'
            f"<main><h1>Bridge reopens</h1>{story(*PARAGRAPHS)}</main>"
            '<footer><nav><a href="/a">About</a> <a href="/b">Jobs</a></nav> Copyright 2026</footer>'
        )
    )
    assert article.paragraphs == ["Bridge reopens", *PARAGRAPHS]
    assert reasons(article) == {"About Jobs Copyright 2026": "footer"}


def test_teasers_above_the_headline_go_and_a_standfirst_outside_the_body_stays() -> None:
    teasers = "".join(
        f'<div class="card"><h3><a href="/{n}">Other story {n} about the town</a></h3>'
        f"<p>A lead of the other story number {n}, long enough to be read as prose by anyone.</p></div>"
        for n in range(3)
    )
    standfirst = "After two years of works, drivers can cross the river again, and the town hopes trade returns."
    article = clean(
        html_page(
            f'<div class="page">{teasers}<h1>Bridge reopens after repairs</h1>'
            f'<p class="standfirst">{standfirst}</p>'
            f'<div class="article-body">{story(*PARAGRAPHS)}</div></div>',
            head='<meta property="og:title" content="Bridge reopens after repairs | Valley Times">',
        )
    )
    assert article.paragraphs == ["Bridge reopens after repairs", standfirst, *PARAGRAPHS]
    lead = "A lead of the other story number {}, long enough to be read as prose by anyone."
    cards = " ".join(f"Other story {n} about the town {lead.format(n)}" for n in range(3))
    assert reasons(article) == {cards: "page"}  # one span: what goes for one reason in a row goes as one


def test_a_logo_in_an_h1_is_not_the_title() -> None:
    article = clean(
        html_page(
            f"<header><h1>Valley Times</h1></header><article><h1>Bridge reopens</h1>{story(*PARAGRAPHS)}</article>"
        )
    )
    assert article.title == "Bridge reopens"


def test_readers_comments_are_not_rescued_as_article() -> None:
    comments = "".join(
        f'<div class="c"><p>Reader {n} writes a long comment about the bridge and the council, with many words in it, '
        f"more than the article had in any one of its paragraphs, because readers have opinions.</p></div>"
        for n in range(6)
    )
    article = clean(
        html_page(f"<article><h1>Bridge reopens</h1>{story(*PARAGRAPHS)}<h2>12 Comments</h2>{comments}</article>")
    )
    assert article.paragraphs == ["Bridge reopens", *PARAGRAPHS]
    assert {r.reason for r in article.removed} == {"comments"}


def test_a_german_page_loses_its_share_bar_and_ad_slot() -> None:
    article = clean(
        html_page(
            '<div class="teilen share-leiste"><a>Teilen</a> <a>Drucken</a></div>'
            "<article><h1>Neue Brücke eröffnet</h1><p>Die Stadt hat am Montag die neue Brücke eröffnet, teilte die "
            'Verwaltung mit.</p><div class="ad-container">Anzeige</div><p>Die Bauarbeiten dauerten zwei Jahre und '
            "kosteten mehr als geplant, sagte der Bürgermeister.</p></article>"
        )
    )
    assert article.title == "Neue Brücke eröffnet"
    assert len(article.paragraphs) == 3
    assert reasons(article) == {"Teilen Drucken": "share", "Anzeige": "ad"}


def test_links_side_by_side_are_words_apart_but_a_word_split_over_links_stays_whole() -> None:
    article = clean(
        html_page(
            "<article><h1>Neue Brücke eröffnet</h1><div><a href='/s'>Teilen</a><a href='/p'>Drucken</a></div>"
            "<p>Die Stadt hat am Montag die neue Brücke eröffnet, teilte die Verwaltung mit.</p>"
            "<p>Die <a href='/a'>Arte</a><a href='/m'>mis</a>-Brücke kostete mehr als geplant, sagte der "
            "Bürgermeister.</p></article>"
        )
    )
    assert reasons(article) == {"Teilen Drucken": "share"}
    assert "Die Artemis-Brücke kostete mehr als geplant, sagte der Bürgermeister." in article.paragraphs


def test_teaser_cards_after_the_story_go_but_a_standfirst_in_the_header_stays() -> None:
    standfirst = "After two years of works, drivers can cross the river again, and the town hopes trade returns."
    cards = "".join(
        f'<div class="c"><a href="/{n}"><h3>Other story {n}</h3></a>'
        f"<p>The lead of other story {n} runs long enough to read as a paragraph of prose, as leads do.</p></div>"
        for n in range(3)
    )
    article = clean(
        html_page(
            f'<div class="wrap"><header><h1>Bridge reopens</h1><p>{standfirst}</p><a href="/me">By Jo Doe</a></header>'
            f'<div class="text">{story(*PARAGRAPHS)}</div><div class="more">{cards}</div></div>'
        )
    )
    assert article.paragraphs == ["Bridge reopens", standfirst, *PARAGRAPHS]
    assert (
        reasons(article)["The lead of other story 0 runs long enough to read as a paragraph of prose, as leads do."]
        == "teaser"
    )


def test_text_styled_invisible_goes_as_hidden() -> None:
    copy = PARAGRAPHS[0].replace("Thursday", "Friday")
    article = clean(
        html_page(
            f'<article><h1>Bridge reopens</h1>{story(*PARAGRAPHS)}</article><div style="display: none">{copy}</div>'
        )
    )
    assert article.paragraphs == ["Bridge reopens", *PARAGRAPHS]
    assert reasons(article)[copy] == "hidden"


def test_class_and_id_words_are_read_across_dashes_underscores_and_camel_case() -> None:
    article = clean(
        html_page(
            f"<main><h1>Bridge reopens</h1>{story(*PARAGRAPHS)}"
            '<div class="socialShareBar"><a href="/s">Share this story</a></div>'
            '<div id="newsletter_signup-box">Get our daily briefing</div>'
            '<div class="Box MOSTREAD">Storm hits coast</div>'
            '<div class="uploadButton">Upload a reader photo of the bridge</div></main>'
        )
    )
    why = reasons(article)
    assert why["Share this story"] == "share"
    assert why["Get our daily briefing"] == "prompt"
    assert why["Storm hits coast"] == "teaser"
    assert "Upload a reader photo of the bridge" in article.paragraphs  # "upload" holds "ad", not as a word


def test_a_page_as_utf8_bytes_cleans_as_its_text_does() -> None:
    page = html_page(f"<main><h1>Bridge reopens</h1>{story(*PARAGRAPHS)}<p>Café “Zur Brücke” reopens too.</p></main>")
    as_bytes = Article(page.id, str(page.body).encode(), "html")

    assert clean(as_bytes) == clean(page)


def test_microdata_tags_inside_a_link_leave_its_text_one_link() -> None:
    from dedup.clean.html import page_blocks

    plain = '<main><p>Read <a href="/x">the whole story of the bridge</a> and the town.</p></main>'
    tagged = plain.replace("whole story", 'whole<meta itemprop="name" content="x"><link itemprop="url"> story')
    (block,) = page_blocks(f"<html><body>{plain}</body></html>").blocks
    (same,) = page_blocks(f"<html><body>{tagged}</body></html>").blocks
    assert same.text == block.text and same.link_density == block.link_density > 0.5


def test_a_menu_goes_as_one_span_and_a_comments_heading_and_a_cookie_notice_stay_lines_of_their_own() -> None:
    menu = "".join(f'<li><a href="/{word}">{word}</a></li>' for word in ("Home", "World", "Business", "Sport"))
    article = clean(
        html_page(
            f'<ul class="menu">{menu}</ul><article><h1>Bridge reopens</h1>{story(*PARAGRAPHS)}</article>'
            '<div class="cookie-bar"><p>We use cookies</p><p>Accept all</p></div>'
            '<div class="comments"><h3>Comments</h3><p>First!</p><p>Great news for the town</p></div>'
        )
    )
    assert article.paragraphs == ["Bridge reopens", *PARAGRAPHS]
    assert [(r.reason, r.text) for r in article.removed] == [
        ("nav", "Home World Business Sport"),
        ("cookie", "We use cookies"),
        ("cookie", "Accept all"),
        ("comments", "Comments"),
        ("comments", "First! Great news for the town"),
    ]


CLUTTER = [
    '<ul class="nav">{items}</ul>',
    '<div class="related"><h3>{marker}</h3><ul>{items}</ul></div>',
    '<div class="comments"><h3>{marker}</h3>{paragraphs}</div>',
    '<div class="cookie-consent"><p>We use cookies</p><p>Accept</p><p>{line}</p></div>',
    '<div class="share">{items}</div>',
    '<div class="ad-slot"><p>Advertisement</p></div>',
    "<h3>{marker}</h3><ul>{items}</ul>",
    "<p>{line}</p>",
    '<div class="card"><h3><a href="/x">{line}</a></h3><p>{paragraph}</p></div>',
]
MARKERS = ["Related", "More from us", "Top Stories", "12 Comments", "Comments", "Join the discussion", "Read more"]
LINES = ["Home", "World news today", "Sign up for our newsletter", "Terms of use", "Privacy", "The moment it fell"]


def random_page(rng: random.Random, n: int) -> Article:
    """A page of a few sites' making: prose in an article, among menus, related boxes, comments, cookie bars."""

    def fill(piece: str) -> str:
        items = "".join(f'<li><a href="/{i}">{rng.choice(LINES)}</a></li>' for i in range(rng.randint(1, 6)))
        paragraphs = story(*rng.sample(PARAGRAPHS, rng.randint(1, 4)))
        return piece.format(
            items=items,
            marker=rng.choice(MARKERS),
            paragraphs=paragraphs,
            line=rng.choice(LINES),
            paragraph=rng.choice(PARAGRAPHS),
        )

    before = "".join(fill(rng.choice(CLUTTER)) for _ in range(rng.randint(0, 4)))
    body = "".join(rng.choice([f"<p>{rng.choice(PARAGRAPHS)}</p>", fill(rng.choice(CLUTTER))]) for _ in range(6))
    after = "".join(fill(rng.choice(CLUTTER)) for _ in range(rng.randint(0, 6)))
    page = html_page(f"{before}<article><h1>Bridge reopens</h1>{body}</article>{after}")
    return Article(f"p{n}", page.body, "html", url=f"https://site{n % 4}.example/{n}")


def test_spans_leave_the_classifier_where_it_was_with_each_line_a_block(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(5)
    pages = [random_page(rng, n) for n in range(300)]
    spans = clean_many(pages)
    monkeypatch.setattr(html, "_spans", lambda blocks, codes, sizes: blocks)
    lines = clean_many(pages)
    merged = 0
    for by_span, by_line in zip(spans, lines, strict=True):
        assert (by_span.text, by_span.title, by_span.credit) == (by_line.text, by_line.title, by_line.credit)
        assert _spans_of(by_span, by_line)
        merged += len(by_line.removed) - len(by_span.removed)
    assert merged > 1000  # the pages hold runs to merge


def _spans_of(by_span: CleanArticle, by_line: CleanArticle) -> bool:
    """Whether each span is removals in a row for its reason, joined, and together they are all the removals."""
    lines = iter(by_line.removed)
    for span in by_span.removed:
        text = ""
        while text != span.text:
            removal = next(lines, None)
            if removal is None or removal.reason != span.reason:
                return False
            text = f"{text} {removal.text}" if text else removal.text
            if not (span.text == text or span.text.startswith(f"{text} ")):
                return False
    return next(lines, None) is None


def test_pictures_go_unread_and_the_page_cleans_as_without_them() -> None:
    picture = '<picture><source srcset="/a.webp 1x, /a2.webp 2x" type="image/webp"><img src="/a.jpg" alt="A"></picture>'
    rng = random.Random(8)
    for n in range(100):
        page = str(random_page(rng, n).body)
        between_tags = [at for at in range(page.index("<body>") + 6, page.index("</body>")) if page[at - 1] == ">"]
        cuts = sorted(rng.sample(between_tags, 5))  # before a tag or a text, inside a link, a list, a paragraph
        with_pictures = "".join(
            page[start:end] + (picture if end < len(page) else "")
            for start, end in zip([0, *cuts], [*cuts, len(page)], strict=True)
        )
        article, plain = clean(Article("p", with_pictures, "html")), clean(Article("p", page, "html"))
        assert (article.text, article.removed, article.title) == (plain.text, plain.removed, plain.title)


def test_a_picture_left_unclosed_keeps_the_article_it_swallows() -> None:
    page = html_page(f"<article><h1>Bridge reopens</h1><picture><img src=a.jpg>{story(*PARAGRAPHS)}</article>")
    captioned = html_page(
        f"<article><h1>Bridge reopens</h1>{story(*PARAGRAPHS)}"
        "<picture><source srcset=/a.webp><figcaption>The bridge at dawn</figcaption></picture></article>"
    )
    assert clean(page).paragraphs == ["Bridge reopens", *PARAGRAPHS]
    assert any("The bridge at dawn" in removal.text for removal in clean(captioned).removed)
