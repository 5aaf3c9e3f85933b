"""Plain-text pages: each kind of clutter goes with its reason, in several languages; the article stays."""

from __future__ import annotations

import textwrap

from dedup import Article, CleanArticle, clean


def reasons(article: CleanArticle) -> dict[str, str]:
    """Each removed span's reason, by its text."""
    return {removal.text: removal.reason for removal in article.removed}


def page(*lines: str) -> str:
    """A flattened page: one block a line."""
    return "\n".join(lines)


GERMAN = [
    "Startseite",
    "Politik",
    "Wirtschaft",
    "Neue Brücke über den Rhein eröffnet",
    "Von Anna Schmidt",
    "Die Stadt hat am Montag die neue Brücke über den Rhein eröffnet, teilte die Verwaltung am Abend mit.",
    "Anzeige",
    "Die Bauarbeiten dauerten zwei Jahre und kosteten mehr als geplant, sagte der Bürgermeister vor Ort.",
    "Verkehr in der Innenstadt",
    "Pendler sollen nun schneller in die Innenstadt kommen, die Fähre wird im Sommer eingestellt.",
    "Jetzt den Newsletter abonnieren",
    "Mehr zum Thema",
    "Stau auf der Autobahn nach Unfall",
    "© 2024 Rheinzeitung. Alle Rechte vorbehalten.",
]


def test_a_german_page_keeps_headline_subhead_and_body() -> None:
    article = clean(Article("de", page(*GERMAN)))
    assert article.title == "Neue Brücke über den Rhein eröffnet"
    assert article.paragraphs == [GERMAN[3], GERMAN[5], GERMAN[7], GERMAN[8], GERMAN[9]]
    why = reasons(article)
    assert why["Startseite"] == "nav"
    assert why["Von Anna Schmidt"] == "byline"
    assert why["Anzeige"] == "ad"
    assert why["Jetzt den Newsletter abonnieren"] == "prompt"
    assert why["Mehr zum Thema"] == "teaser"
    assert why["Stau auf der Autobahn nach Unfall"] == "teaser"


FRENCH = [
    "Accueil",
    "International",
    "Le gouvernement annonce un plan pour le rail",
    "Par Jean Dupont",
    "PARIS —",
    "Le gouvernement a présenté mardi un plan de dix milliards d'euros pour moderniser les petites lignes.",
    "Publicité",
    "« C'est un investissement historique », a déclaré la ministre devant les élus réunis à Lyon.",
    "Abonnez-vous à notre newsletter",
    "Les syndicats ont salué l'annonce mais demandent des embauches rapides dans les ateliers du pays.",
    "À lire aussi",
    "Grève à la SNCF ce week-end",
    "Ce site utilise des cookies pour améliorer votre expérience de navigation.",
]


def test_a_french_page_keeps_its_dateline_and_quote() -> None:
    article = clean(Article("fr", page(*FRENCH)))
    assert article.paragraphs[0] == "Le gouvernement annonce un plan pour le rail"
    assert article.paragraphs[1].startswith("PARIS — Le gouvernement a présenté mardi")
    assert FRENCH[7] in article.paragraphs
    assert article.paragraphs[-1] == FRENCH[9]
    why = reasons(article)
    assert why["Par Jean Dupont"] == "byline"
    assert why["Publicité"] == "ad"
    assert why["Abonnez-vous à notre newsletter"] == "prompt"
    assert why["À lire aussi"] == "teaser"


SPANISH = [
    "Inicio",
    "Deportes",
    "El Real Madrid gana la liga",
    "Por María López",
    "El Real Madrid ganó este domingo su trigésimo sexto título de liga tras vencer al Cádiz en casa.",
    "Publicidad",
    "El entrenador dijo que el equipo había jugado su mejor fútbol de la temporada en los últimos meses.",
    "• Goles: Vinícius, dos veces, y Bellingham al final del partido.",
    "Los aficionados celebraron en la plaza de Cibeles hasta la madrugada, según la policía municipal.",
    "Suscríbete",
    "Noticias relacionadas",
    "El Barcelona cae en Girona",
    "Todos los derechos reservados",
]


def test_a_spanish_page_keeps_its_in_article_list() -> None:
    article = clean(Article("es", page(*SPANISH)))
    assert article.paragraphs == [SPANISH[2], SPANISH[4], SPANISH[6], SPANISH[7], SPANISH[8]]
    why = reasons(article)
    assert why["Por María López"] == "byline"
    assert why["Publicidad"] == "ad"
    assert why["Suscríbete"] == "prompt"
    assert why["Noticias relacionadas"] == "teaser"


BODY = [
    "The council voted on Tuesday to close the old bridge for repairs after engineers found cracks.",
    "Drivers will take a detour of about twenty kilometres while the work goes on until next year.",
    "Shop owners in the town centre said they feared the closure would keep their customers away.",
    "The mayor said the council would pay for a shuttle bus across the river during the repairs.",
]


def test_readers_comments_after_the_article_go_as_comments() -> None:
    comments = [
        "Comments (2)",
        "This is the worst decision the council has made in years, and I have lived here for forty of them.",
        "Agreed. They should have fixed it ten years ago when the first cracks were reported by residents.",
    ]
    article = clean(Article("c", page(*BODY, *comments)))
    assert article.paragraphs == BODY
    assert [r.reason for r in article.removed] == ["comments"] * 3


def test_an_author_blurb_at_the_foot_is_a_byline_but_a_reporter_in_the_news_stays() -> None:
    news = "Jane Roe is a reporter for the local radio station, and she first reported the cracks in May."
    blurb = "John Doe is a senior reporter at the Valley Times who covers transport and city hall."
    article = clean(Article("b", page(BODY[0], news, *BODY[1:], blurb)))
    assert news in article.paragraphs
    assert reasons(article)[blurb] == "byline"


def test_a_tag_cloud_and_a_caption_go() -> None:
    tags = "accidents bridges budget council detours engineering floods mayor roads schools shops traffic transport"
    tags = f"{tags} tunnels water weather zoning"
    caption = "Cars are pictured queuing at the entrance to the old bridge on Monday morning."
    article = clean(Article("t", page(BODY[0], caption, *BODY[1:], tags * 2)))
    assert article.paragraphs == BODY
    assert reasons(article)[caption] == "caption"
    assert reasons(article)[tags * 2] == "tags"


def test_a_hard_wrapped_text_is_joined_into_paragraphs() -> None:
    wrapped = "\n\n".join(textwrap.fill(paragraph, 60) for paragraph in BODY)
    article = clean(Article("w", page("Home", "News", "", wrapped)))
    assert article.paragraphs == BODY


def test_a_brief_of_short_sentences_keeps_its_body() -> None:
    brief = [
        "Fire in the harbour",
        "A warehouse burned down overnight.",
        "Nobody was hurt.",
        "Police are investigating.",
    ]
    article = clean(Article("brief", page("Home", "News", *brief, "Share")))
    assert article.paragraphs == brief


def test_a_list_shaped_article_keeps_its_list() -> None:
    calendar = [f"Round {n}: {day} May at the {track} circuit" for n, day, track in [(1, 4, "north"), (2, 11, "lake")]]
    calendar += [
        f"Round {n}: {day} June at the {track} circuit" for n, day, track in [(3, 1, "coast"), (4, 22, "city")]
    ]
    article = clean(Article("calendar", page("• Home", "• Results", "Race calendar 2024", *calendar, "• Contact")))
    assert article.paragraphs[-4:] == calendar


def test_japanese_text_is_counted_by_characters_and_kept() -> None:
    paragraphs = [
        "東京都は月曜日、新しい橋の建設を始めると発表した。工事は二年かかる見込みで、費用は当初の計画より大きくなるという。",
        "都の担当者は、交通の混雑を減らすために橋が必要だと説明した。住民の多くは計画を歓迎している。",
    ]
    article = clean(Article("ja", page("ホーム", "ニュース", *paragraphs, "シェア")))
    assert article.paragraphs == paragraphs


def test_teaser_leads_beyond_the_menus_after_the_story_go_but_its_own_list_stays() -> None:
    items = ["• The east span reopens first", "• The west span follows in June", "• Buses run until then"]
    last = "The council said the total cost of the works had risen to twelve million euros, a third over the plan."
    menus = ["Home", "Sport", "Weather", "Travel", "Contact"]
    lead = "A storm is expected to reach the coast on Friday night, forecasters warned, with winds of up to 100 km/h."
    article = clean(Article("run", page(*BODY, *items, last, *menus, lead)))
    assert article.paragraphs == [*BODY, *items, last]
    assert reasons(article)[lead] == "teaser"


def test_headlines_and_bylines_below_the_story_go_but_a_closing_list_and_sentence_stay() -> None:
    closing = ["• The bridge is open from 6am to 10pm", "• No tolls are charged on it"]
    below = ["Storm warning for the coast tonight", "• By VALLEY STAFF", "Council to vote on school budget"]
    article = clean(Article("after", page(*BODY, *closing, "The works end in June.", *below, "Home")))
    assert article.paragraphs == [*BODY, *closing, "The works end in June."]
    assert reasons(article)["Storm warning for the coast tonight"] == "teaser"


def test_a_caption_that_places_people_in_the_picture_goes() -> None:
    caption = "The mayor, left, and the chief engineer, right, cut the ribbon on the bridge on Thursday."
    article = clean(Article("pos", page(BODY[0], caption, *BODY[1:])))
    assert article.paragraphs == BODY
    assert reasons(article)[caption] == "caption"


def test_share_buttons_a_scraper_glued_together_go_as_share_but_a_glued_name_stays() -> None:
    story = [
        "Neue Brücke über den Rhein eröffnet",
        "Die Stadt hat am Montag die neue Brücke über den Rhein eröffnet, teilte die Verwaltung am Abend mit.",
        "TeilenDrucken",
        "PartagerImprimer E-mail",
        "Die Bauarbeiten dauerten zwei Jahre und kosteten mehr als geplant, sagte der Bürgermeister vor Ort.",
        "McDonald",
        "Pendler sollen nun schneller in die Innenstadt kommen, die Fähre wird im Sommer eingestellt.",
    ]
    article = clean(Article("de", page(*story)))
    assert reasons(article)["TeilenDrucken"] == "share"
    assert reasons(article)["PartagerImprimer E-mail"] == "share"
    assert reasons(article).get("McDonald") != "share"


def test_lines_indented_or_spaced_oddly_clean_as_their_folded_text() -> None:
    # Scrapers indent list items and leave tabs, no-break spaces and doubled spaces: none of it counts.
    odd = [f"  {GERMAN[0]}", f"{GERMAN[1]}\t", *GERMAN[2:5], GERMAN[5].replace(" ", "  ", 3)]
    odd += [GERMAN[6], GERMAN[7].replace(" ", "\xa0", 2), *GERMAN[8:]]
    folded, spaced = clean(Article("de", page(*GERMAN))), clean(Article("de", page(*odd)))
    assert (spaced.text, spaced.title, spaced.removed) == (folded.text, folded.title, folded.removed)
