"""The cleaner keeps the article and removes the clutter, saying why, on text and on HTML."""

from __future__ import annotations

from pathlib import Path

import pytest

from dedup import Article, CleanArticle, clean
from dedup.read import read

SEEDS = Path(__file__).parent.parent / "seeds"


def seed(name: str) -> CleanArticle:
    """A seed article, read and cleaned."""
    (article,) = [a for a in read([SEEDS]) if isinstance(a, Article) and a.id.startswith(name)]
    return clean(article)


def removed(article: CleanArticle, reason: str) -> list[str]:
    """The spans removed from an article for one reason."""
    return [r.text for r in article.removed if r.reason == reason]


def test_ctv_copy_loses_its_site_clutter_and_keeps_the_dateline() -> None:
    article = seed("004")
    assert removed(article, "nav")[0] == "World"
    assert any(t.startswith("• North Korea's Kim Jong Un receives car") for t in removed(article, "teaser"))
    (caption,) = removed(article, "caption")
    assert caption.startswith("In this photo provided by the North Korean government")
    assert "Share" in removed(article, "share")
    assert article.paragraphs[0].startswith("SEOUL - North Korean leader Kim Jong Un has received a car")
    assert article.paragraphs[-1].endswith("sports, departed for Russia.")
    for clutter in (
        "Top Stories",
        "800 drones",
        "Sci-Tech",
        "Shopping Trends",
        "Stay Connected",
        "Follow CTV",
    ):
        assert clutter not in article.text
    tail = [r for r in article.removed if "Top Stories" in r.text or "Follow CTV" in r.text]
    assert [r.reason for r in tail] == ["teaser", "nav"]


def test_al_jazeera_loses_stray_token_caption_and_ad_and_keeps_its_source_as_credit() -> None:
    article = seed("002")
    assert removed(article, "stray") == ["kju"]
    (caption,) = removed(article, "caption")
    assert caption.endswith("[FMikhail Metzel/ Sputnik via AP]")
    assert removed(article, "ad") == ["Advertisement"]
    assert article.credit == "Al Jazeera and news agencies"
    assert "Source:" not in article.text
    assert article.title == "North Korea’s Kim gifted car by Russia’s Putin, state media says"
    assert article.paragraphs[0] == article.title
    assert article.paragraphs[1].startswith("The Russian-made car was delivered to Kim for his")


def test_nbc_loses_its_login_prompt() -> None:
    article = seed("001")
    assert removed(article, "prompt") == ["Create your free profile or log in to save this article"]
    assert article.date == "2024-02-20"
    assert article.paragraphs[0].startswith("North Korean leader Kim Jong Un has received a car")


def test_reuters_sign_off_becomes_the_credit() -> None:
    article = seed("000")
    assert article.credit == "REUTERS"
    assert article.paragraphs[-1].endswith("departed for Russia.")
    assert "REUTERS" not in article.text


def test_subheads_quotes_and_body_stay() -> None:
    article = seed("003")
    assert "Kim Jong Un's love for cars" in article.paragraphs
    assert any(p.startswith('"We condemn North Korea') for p in article.paragraphs)
    assert article.removed == ()


@pytest.mark.parametrize("name", ["000", "001", "002", "003", "004"])
def test_every_seed_keeps_all_its_article_paragraphs(name: str) -> None:
    """Everything not named as clutter in the issue is article text: no body paragraph is lost."""
    article = seed(name)
    raw = next(a for a in read([SEEDS]) if isinstance(a, Article) and a.id.startswith(name))
    prose = [line.strip() for line in raw.body.splitlines() if len(line.split()) >= 12]
    clutter = (
        "•",
        "In this photo",
        "North Korea's leader Kim Jong Un met",
        "Canada will donate",
        "The Shopping",
    )
    for line in prose:
        if not line.startswith(clutter):
            assert line.removesuffix(" REUTERS") in article.text


def test_a_page_never_seen_loses_the_same_kinds_of_clutter() -> None:
    page = "\n".join(
        [
            "Home",
            "News",
            "Sport",
            "Flood waters rise in river town as rain continues",
            "By Jane Smith",
            "Residents of the river town were told to leave their homes on Monday as the water kept rising.",
            "Photo: Residents carry bags through the flooded street (AP Photo/John Doe)",
            "ADVERTISEMENT",
            "Emergency crews said the river was expected to peak late on Tuesday, officials said.",
            "Sign up for our daily newsletter",
            "The mayor said shelters had been opened in two schools and the sports hall.",
            "Related stories",
            "Storm warnings issued for the coast",
            "© 2024 Example Media. All rights reserved.",
        ]
    )
    article = clean(Article("flood", page))
    assert article.title == "Flood waters rise in river town as rain continues"
    assert article.paragraphs == [
        "Flood waters rise in river town as rain continues",
        "Residents of the river town were told to leave their homes on Monday as the water kept rising.",
        "Emergency crews said the river was expected to peak late on Tuesday, officials said.",
        "The mayor said shelters had been opened in two schools and the sports hall.",
    ]
    reasons = {r.text: r.reason for r in article.removed}
    assert reasons["Home"] == "nav"
    assert reasons["By Jane Smith"] == "byline"
    assert reasons["ADVERTISEMENT"] == "ad"
    assert reasons["Sign up for our daily newsletter"] == "prompt"
    assert reasons["Related stories"] == "teaser"
    assert reasons["Storm warnings issued for the coast"] == "teaser"
    assert reasons["© 2024 Example Media. All rights reserved."] == "legal"
    assert reasons["Photo: Residents carry bags through the flooded street (AP Photo/John Doe)"] == "caption"


def test_a_related_heading_early_in_the_article_does_not_cut_the_body() -> None:
    body = [f"Paragraph {i} of the report says something long enough to count as prose here." for i in range(6)]
    page = "\n".join([body[0], "Related", *body[1:]])
    article = clean(Article("x", page))
    assert article.paragraphs == body
    assert [r.reason for r in article.removed] == ["teaser"]


def test_menu_runs_inside_the_body_go_but_a_lone_subhead_stays() -> None:
    prose = "The council voted on the new budget after a long debate in the chamber on Monday."
    page = "\n".join([prose, "Politics", "Business", "Culture", prose.replace("Monday", "Tuesday"), "The vote", prose])
    article = clean(Article("x", page))
    assert "The vote" in article.paragraphs
    assert [r.text for r in article.removed if r.reason == "nav"] == ["Politics", "Business", "Culture"]
    assert [r.reason for r in article.removed if r.text == prose] == ["duplicate"]


def test_html_page_uses_the_dom_to_find_the_article() -> None:
    html = """<html><head><title>Site</title>
    <meta property="og:title" content="Bridge reopens after repairs">
    <meta property="article:published_time" content="2024-05-02T10:00:00Z">
    <link rel="canonical" href="https://news.example/bridge"></head><body>
    <header><nav><a href="/">Home</a> <a href="/world">World</a></nav></header>
    <div class="share-bar"><a href="#">Share on Facebook</a></div>
    <main><article>
      <h1>Bridge reopens after repairs</h1>
      <p>The old bridge over the river reopened on Thursday after <em>two years</em> of repairs, the city said.</p>
      <figure><img src="x.jpg"><figcaption>Cars cross the bridge on Thursday.</figcaption></figure>
      <div class="ad-slot">Advertisement</div>
      <h2>A long wait</h2>
      <p>Drivers had been forced to take a detour of <a href="/map">twenty kilometres</a> while work went on.</p>
      <blockquote>"It is a relief," said one resident who crosses the bridge every day to work.</blockquote>
      <ul><li>Work began in 2022 and cost more than planned by the council.</li></ul>
    </article></main>
    <aside class="related"><h3>Related</h3><ul><li><a href="/a">Road closed</a></li></ul></aside>
    <footer>© 2024 City News</footer></body></html>"""
    article = clean(Article("bridge", html, "html"))
    assert article.title == "Bridge reopens after repairs"
    assert article.date == "2024-05-02T10:00:00Z"
    assert article.url == "https://news.example/bridge"
    assert article.paragraphs == [
        "Bridge reopens after repairs",
        "The old bridge over the river reopened on Thursday after two years of repairs, the city said.",
        "A long wait",
        "Drivers had been forced to take a detour of twenty kilometres while work went on.",
        '"It is a relief," said one resident who crosses the bridge every day to work.',
        "Work began in 2022 and cost more than planned by the council.",
    ]
    reasons = {r.text: r.reason for r in article.removed}
    assert reasons["Cars cross the bridge on Thursday."] == "caption"
    assert reasons["Advertisement"] == "ad"
    assert reasons["Share on Facebook"] == "share"
    assert reasons["© 2024 City News"] == "footer"


def test_non_english_pages_lose_their_clutter() -> None:
    page = "\n".join(
        [
            "Die Stadt hat am Montag die neue Brücke über den Fluss eröffnet, teilte die Verwaltung mit.",
            "Anzeige",
            "Die Bauarbeiten dauerten zwei Jahre und kosteten mehr als geplant, sagte der Bürgermeister.",
            "Jetzt den Newsletter abonnieren",
            "Mehr zum Thema",
            "Stau auf der Autobahn",
        ]
    )
    article = clean(Article("de", page))
    assert len(article.paragraphs) == 2
    assert {r.reason for r in article.removed} == {"ad", "prompt", "teaser"}


def test_cleaning_does_not_depend_on_the_order_files_are_given_in() -> None:
    files = sorted(SEEDS.iterdir())
    forward = {a.id: clean(a) for a in read(files) if isinstance(a, Article)}
    backward = {a.id: clean(a) for a in read(reversed(files)) if isinstance(a, Article)}
    assert len(forward) == 5 and forward == backward


def test_a_body_container_whose_class_names_clutter_is_still_the_article() -> None:
    """Class names lie: "has-ads" on the element that holds the whole story does not make it an ad."""
    paragraphs = [f"Paragraph {i} of the story tells the reader what happened in the town today." for i in range(5)]
    html = (
        '<html><body><div class="story has-ads content-rail">'
        + "".join(f"<p>{p}</p>" for p in paragraphs)
        + '<div class="ad-slot">Advertisement</div></div><div class="sidebar"><p>Other news</p></div></body></html>'
    )
    article = clean(Article("x", html, "html"))
    assert article.paragraphs == paragraphs
    assert {r.text: r.reason for r in article.removed} == {"Advertisement": "ad", "Other news": "teaser"}


BODY = [f"Paragraph {i} of the report tells the reader what the council decided about the budget." for i in range(4)]


def test_short_news_sentences_with_clutter_words_stay() -> None:
    """The clutter vocabulary names short lines that are not sentences; sentences using its words are news."""
    news = [
        "Netflix raised its subscription prices again.",
        "Parliament gave its consent to the treaty.",
        "The court ruled the privacy policy was unlawful.",
        "By Monday the strike had ended.",
        "Sources close to the talks said a deal was near.",
    ]
    article = clean(Article("x", "\n".join([BODY[0], *news, *BODY[1:]])))
    assert article.paragraphs == [BODY[0], *news, *BODY[1:]]
    assert article.credit is None


def test_a_subhead_with_a_marker_word_does_not_cut_the_article() -> None:
    article = clean(Article("x", "\n".join([BODY[0], BODY[1], "Why the dollar stays so popular", *BODY[2:]])))
    assert "Why the dollar stays so popular" in article.paragraphs
    assert article.paragraphs[-1] == BODY[-1]


def test_short_and_bracketed_wire_credits_become_the_credit() -> None:
    assert clean(Article("x", "\n".join([*BODY, "Source: AFP"]))).credit == "AFP"
    tagged = clean(Article("y", "\n".join([*BODY[:-1], "The ministry confirmed the figures on Monday (AFP)"])))
    assert tagged.credit == "AFP"
    assert tagged.paragraphs[-1] == "The ministry confirmed the figures on Monday"


def test_a_three_word_headline_is_the_title() -> None:
    article = clean(Article("x", "\n".join(["Rates rise again", *BODY])))
    assert article.title == "Rates rise again"
    assert article.paragraphs[0] == "Rates rise again"


SHORT_STORY = (
    "When you live in a state as beautiful as Colorado it is impossible to stay inside, and water is a must "
    "whether you are out exploring the dry foothills or just hanging around the house all summer long.\n"
    "Our hiking survival kit is really very simple, and it starts with two bottles of water each."
)


def test_a_footer_after_a_short_article_goes_whole_with_its_cookie_notice() -> None:
    footer = (
        "• Terms and conditions\n• Sitemap\n• Advertise\n"
        "Bikes Weekly brings you the latest reviews, news, events and kit, with great photography and videos "
        "every day of the week, and the hottest kit news before anyone else.\n"
        "Telephone: 01507 529529 | Company No. 3676192 | VAT No: GB 716 6328 31\n"
        "This website uses cookies to improve your experience while you navigate through the website. Out of these "
        "cookies, the cookies that are categorized as necessary are stored on your browser as they are essential."
    )
    article = clean(Article("bikes", SHORT_STORY + "\n" + footer))
    assert article.text == SHORT_STORY
    assert {removal.reason for removal in article.removed} >= {"legal"}


def test_a_cookie_notice_is_clutter_at_any_length_but_news_about_cookies_stays() -> None:
    notice = "We use cookies to personalise content and ads and to analyse our traffic. " * 4
    news = (
        "Regulators said on Monday that the company had placed tracking cookies on millions of phones without "
        "consent, and fined it 40 million euros for the breach of the privacy law."
    )
    article = clean(Article("cookies", SHORT_STORY + "\n" + news + "\n" + notice.strip()))
    assert news in article.text
    assert "We use cookies" not in article.text


def test_a_lone_legal_subhead_does_not_end_the_article() -> None:
    body = [
        f"Paragraph {i} of the report on the new data rules says something long enough to be prose." for i in range(7)
    ]
    article = clean(Article("rules", "\n".join([*body[:3], "Changes to the privacy policy", *body[3:]])))
    assert [p for p in article.paragraphs if p.startswith("Paragraph")] == body


def test_news_that_reports_what_was_said_of_cookies_stays() -> None:
    news = [
        'In a statement, the company said: "We use cookies only to keep baskets working and never to track."',
        "The regulator said essential cookies are exempt from the consent rule, but analytics cookies are not.",
    ]
    article = clean(Article("fine", "\n".join([SHORT_STORY, *news])))
    assert all(line in article.paragraphs for line in news)
