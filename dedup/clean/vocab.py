"""The clutter vocabulary: phrases and patterns that mark a line of a news page as not article.

Patterns are matched against whole short lines, never against body paragraphs, so a word like
"share" inside a sentence is safe. Words are given in several languages: the structural rules
in `blocks.py` carry most of the weight, and the vocabulary only names what they find.
"""

from __future__ import annotations

import re

_I = re.IGNORECASE


def _alternation(phrases: list[str]) -> str:
    """One regex alternative out of many phrases, longest first so the longest wins."""
    return "|".join(sorted(phrases, key=len, reverse=True))


_AD_PHRASES = [
    "advertisement",
    "advertising",
    "advert",
    "ad",
    "ads",
    "sponsored",
    "sponsored content",
    "paid content",
    "paid post",
    "partner content",
    "story continues below advertisement",
    "article continues below advertisement",
    "continue reading below",
    "scroll to continue with content",
    "anzeige",
    "werbung",
    "publicité",
    "publicidad",
    "pubblicità",
    "reclame",
    "advertentie",
]
AD_LINE = re.compile(r"^\W*(?:" + _alternation(_AD_PHRASES) + r")\W*$", _I)

SHARE_WORDS = frozenset(
    [
        "share",
        "shares",
        "sharing",
        "shared",
        "tweet",
        "email",
        "e-mail",
        "e",  # "E-mail" splits at its hyphen
        "mail",
        "print",
        "copy",
        "link",
        "url",
        "facebook",
        "twitter",
        "x",
        "linkedin",
        "whatsapp",
        "telegram",
        "reddit",
        "pinterest",
        "flipboard",
        "messenger",
        "sms",
        "save",
        "bookmark",
        "comment",
        "comments",
        "gift",
        "article",
        "this",
        "on",
        "via",
        "teilen",
        "drucken",
        "kopieren",
        "partager",
        "imprimer",
        "compartir",
        "imprimir",
        "condividi",
        "stampa",
        "delen",
    ]
)

_PROMPT_PHRASES = [
    "log in",
    "login",
    "sign in",
    "sign up",
    "signup",
    "subscribe",
    "subscriber",
    "subscription",
    "create your free profile",
    "create an account",
    "create a free account",
    "register",
    "newsletter",
    "download the app",
    "download our app",
    "get the app",
    "enable javascript",
    "ad blocker",
    "adblocker",
    "follow us",
    "join us on",
    "unlock this article",
    "to continue reading",
    "you have reached your",
    "free articles",
    "anmelden",
    "abonnieren",
    "jetzt abonnieren",
    "registrieren",
    "s'abonner",
    "abonnez-vous",
    "connectez-vous",
    "se connecter",
    "inscrivez-vous",
    "suscríbete",
    "suscribirse",
    "iniciar sesión",
    "regístrate",
]
PROMPT = re.compile(r"\b(?:" + _alternation(_PROMPT_PHRASES) + r")\b", _I)

# A prompt that is phrased as a sentence still starts with its imperative.
PROMPT_START = re.compile(
    r"^\W*(?:subscribe|sign (?:up|in)|log in|register|download|follow us|join|create (?:a|an|your)|"
    r"jetzt|abonnieren|abonnez|inscrivez|suscr[ií]bete)\b",
    _I,
)

COOKIE = re.compile(
    r"\b(?:cookies?|consent|privacy (?:settings|preferences|choices)|gdpr|datenschutz|"
    r"einwilligung|cookie-einstellungen|consentement|galletas|política de cookies)\b",
    _I,
)
# A cookie notice written as prose: the site speaking of its own cookies, in any length of paragraph.
COOKIE_NOTICE = re.compile(
    r"\b(?:(?:this|our) (?:web)?site uses cookies|we use cookies|(?:necessary|essential|functional|"
    r"analytics|performance) cookies (?:are|help|ensure|allow)|cookies (?:are|will be) stored in your browser|"
    r"by (?:continuing to )?(?:use|using|browse|browsing) (?:this|our) (?:web)?site,? you (?:agree|consent)|"
    r"wir verwenden cookies|diese (?:web)?seite verwendet cookies|ce site utilise des cookies|"
    r"nous utilisons des cookies|(?:este sitio|esta web) utiliza cookies|utilizamos cookies)\b",
    _I,
)

# Reported speech and quotation: a line that reports what someone said is news, whatever it says.
REPORTED = re.compile(
    r"[\"“”„«»]|\b(?:said|says|told|according to|stated|wrote|sagte|sagt|laut|a déclaré|selon|dijo|según)\b", _I
)

# Legal lines: the strong marks hold on any line, the weak ones only on lines that are not sentences
# ("The court ruled the privacy policy was unlawful." is news).
LEGAL = re.compile(
    r"(?:©|\(c\)\s*\d{4}|\ball rights reserved\b|\bmay earn (?:a )?commission\b|\baffiliate links?\b|"
    r"\balle rechte vorbehalten\b|\btous droits réservés\b|\btodos los derechos reservados\b)",
    _I,
)
LEGAL_WEAK = re.compile(
    r"\b(?:copyright|terms (?:of (?:use|service)|(?:and|&) conditions)|privacy policy|cookie policy|sitemap|"
    r"site map|company (?:no|number|registration)\b|registered in england|vat (?:no|number|reg)\b|"
    r"impressum|mentions légales|aviso legal|datenschutzerklärung|agb|nutzungsbedingungen|"
    r"conditions générales|politique de confidentialité|política de privacidad|términos y condiciones)\b",
    _I,
)

# A heading after which a page stops being the article: teasers, menus, recirculation.
# One-word markers ("Related", "Trending") must be the whole line: inside a subhead they are words.
_TAIL_WORDS = ["related", "popular", "trending", "recommended", "meistgelesen", "relacionados", "correlati"]
# A comments section is readers' text, not the article: its heading ends the article like a teaser list.
_COMMENT_PHRASES = [
    "comments",
    "reader comments",
    "leave a comment",
    "leave a reply",
    "post a comment",
    "add a comment",
    "join the conversation",
    "join the discussion",
    "kommentare",
    "kommentar schreiben",
    "commentaires",
    "laisser un commentaire",
    "comentarios",
    "deja un comentario",
    "comentários",
    "deixe um comentário",
    "commenti",
    "lascia un commento",
]
_TAIL_PHRASES = [
    *_COMMENT_PHRASES,
    "related roundup",
    "see also",
    "read also",
    "also read",
    "lesen sie auch",
    "siehe auch",
    "voir aussi",
    "lire aussi",
    "lee también",
    "ver también",
    "también te puede interesar",
    "leia também",
    "veja também",
    "você pode gostar",
    "você também pode gostar",
    "notícias relacionadas",
    "artigos relacionados",
    "ti potrebbe interessare",
    "articoli correlati",
    "top stories",
    "more from",
    "more stories",
    "more news",
    "more on this",
    "more on this story",
    "related stories",
    "related articles",
    "related coverage",
    "related content",
    "related topics",
    "most read",
    "most popular",
    "most viewed",
    "trending now",
    "recommended for you",
    "you may also like",
    "you might also like",
    "you may have missed",
    "read next",
    "what to read next",
    "up next",
    "latest news",
    "latest stories",
    "editor's picks",
    "editors' picks",
    "don't miss",
    "in other news",
    "around the web",
    "from around the web",
    "mehr zum thema",
    "das könnte sie auch interessieren",
    "auch interessant",
    "weitere artikel",
    "à lire aussi",
    "sur le même sujet",
    "les plus lus",
    "dans la même rubrique",
    "te puede interesar",
    "más noticias",
    "lo más leído",
    "noticias relacionadas",
    "leggi anche",
    "i più letti",
]
# A comments heading ends the article even where the page's markup calls it something else.
COMMENTS_MARKER = re.compile(
    r"^\W*(?:\S+\s+){0,3}(?:" + _alternation(_COMMENT_PHRASES) + r")\s*(?:\(\d+\)|\d+)?\W*$", _I
)
TAIL_MARKER = re.compile(
    r"^\W*(?:" + _alternation(_TAIL_WORDS) + r")\W*$"
    r"|^(?:\S+\s+){0,3}(?:" + _alternation(_TAIL_PHRASES) + r")\s*(?:\(\d+\)|\d+)?\s*[:.…]*\s*$",
    _I,
)

# Captions and photo credits: what a page prints under a picture.
CAPTION_START = re.compile(
    r"^\W*(?:in this (?:photo|image|picture|file photo|undated photo|handout)|this (?:photo|image|picture)|"
    r"file photo|file\s*[-–—]|photo\s*:|image\s*:|picture\s*:|foto\s*:|bild\s*:|photo credit|"
    r"pictured\s*:|caption\s*:)",
    _I,
)
CAPTION_CREDIT = re.compile(
    r"[\[(][^\[\]()]{0,80}(?:\bvia\b|\bphoto\b|\bphotograph\b|\bimages?\b|\bgetty\b|"
    r"\bshutterstock\b|\bfile\b|\bfoto\b|\bbild\b|/)[^\[\]()]{0,80}[\])]\s*$",
    _I,
)

MISC_CLUTTER = re.compile(
    r"^\W*(?:skip to (?:main )?content|skip navigation|back to top|read more|continue reading|"
    r"listen to (?:this )?article|\d+\s*min(?:ute)?s? read|show comments|view comments|load more|"
    r"click here|see more|weiterlesen|mehr lesen|lire la suite|leer más|ver más)\W*$",
    _I,
)

BYLINE = re.compile(r"^(?:[Bb]y|[Vv]on|[Pp]ar|[Pp]or|[Dd]i)\s+[A-ZÀ-Ý][\w.'’-]+(?:\s+[\w.'’-]+){0,5}$")

# "Source: Al Jazeera and news agencies", "Reporting by ...; Editing by ...": credits, not body.
CREDIT_LINE = re.compile(
    r"^(?:(?:source|sources|quelle|fuente|fonte)\s*:|"  # "Sources close to the talks said..." is news
    r"(?:with (?:additional )?reporting by|(?:additional )?reporting by|writing by|editing by|compiled by):?)"
    r"\s*.{2,160}$",
    _I,
)
# "SEOUL -", "WASHINGTON, Feb 20 -": a dateline standing alone on its line.
DATELINE_ALONE = re.compile(r"^[A-ZÀ-Ý][A-ZÀ-Ý .,'’/-]{1,40}(?:,\s*[\w .]{1,20})?(?:\s*\([^)]{1,30}\))?\s*[-–—:]$")

# ---- cheap gates ---------------------------------------------------------------------------------
# The patterns above cost microseconds a line; a page has hundreds of lines. Each pattern can only
# match a line holding one of its trigger words, and a set lookup costs far less than a regex, so a
# line is tried against a pattern only when its words meet the pattern's triggers.

_PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~“”‘’«»„…–—·•|"
_SPLITTERS = str.maketrans(dict.fromkeys(_PUNCTUATION, " "))
# str.translate is slow for text beyond ASCII, and so is a regex sub over a whole page; bytes.translate
# is not: the ASCII marks are spaced in the text's UTF-8 bytes (where no other character holds an
# ASCII byte), the few others one `str.replace` each.
_ASCII_MARKS = bytes(ord(mark) for mark in dict.fromkeys(_PUNCTUATION) if mark.isascii())
_ASCII_SPLITTERS = bytes.maketrans(_ASCII_MARKS, b" " * len(_ASCII_MARKS))
_OTHER_SPLITTERS = [mark for mark in dict.fromkeys(_PUNCTUATION) if not mark.isascii()]


def tokens(text: str) -> frozenset[str]:
    """A line's lower-case words, punctuation taken for spaces: what the gates below are checked against."""
    return frozenset(_spaced(text.lower()).split())


def names_any(text: str, words: frozenset[str]) -> bool:
    """Whether a line's `tokens` meet `words`: the same answer without a set of them built."""
    return not words.isdisjoint(_spaced(text.lower()).split())


def tokens_of(lines: list[str]) -> list[frozenset[str]]:
    """Each line's words that some rule looks for (`WANTED`), with "" standing for all its others; an empty set
    for a line without one such word.

    Every gate answers for these as for the line's `tokens`: each asks for words of `WANTED`, and the share
    bar's test (are all its words share words) fails on "" as on any other word. The lines (white space
    folded, lower-cased) are split at punctuation as one text: a few calls a page, not a few a line; most
    lines then need no set of their own, and the rest a small one.
    """
    if not lines:
        return []
    joined = _spaced("\n".join(lines))
    return [
        NO_WORDS
        if WANTED.isdisjoint(parts := line.split())
        else frozenset(parts)
        if WANTED.issuperset(parts)
        else WANTED.intersection(parts).union(OTHER_WORDS)
        for line in joined.split("\n")
    ]


def _spaced(text: str) -> str:
    """The text with each punctuation mark (`_PUNCTUATION`) turned into a space."""
    for mark in _OTHER_SPLITTERS:
        if mark in text:
            text = text.replace(mark, " ")
    # Lone surrogates (broken input) pass through as they are.
    return text.encode("utf-8", "surrogatepass").translate(_ASCII_SPLITTERS).decode("utf-8", "surrogatepass")


def _longest_words(phrases: list[str]) -> frozenset[str]:
    """One word of each phrase (its longest): a line that holds the phrase holds that word."""
    return frozenset(max(phrase.translate(_SPLITTERS).split(), key=len) for phrase in phrases)


def _set(words: str) -> frozenset[str]:
    """A set of trigger words written as one string."""
    return frozenset(words.split())


AD_TRIGGERS = _longest_words(_AD_PHRASES)
PROMPT_TRIGGERS = _longest_words(_PROMPT_PHRASES) | _set("jetzt abonnez inscrivez suscribete join create")
COOKIE_TRIGGERS = _set("cookie cookies consent privacy gdpr datenschutz einwilligung consentement galletas política")
LEGAL_TRIGGERS = _set("c reserved commission affiliate vorbehalten réservés reservados")
LEGAL_WEAK_TRIGGERS = _set(
    "copyright terms privacy cookie sitemap site company registered vat impressum mentions aviso agb "
    "datenschutzerklärung nutzungsbedingungen conditions politique política términos"
)
TAIL_TRIGGERS = _longest_words(_TAIL_WORDS + _TAIL_PHRASES)
MISC_TRIGGERS = _set(
    "skip back read continue listen min mins minute minutes show view load click see weiterlesen lesen lire leer ver"
)
CAPTION_TRIGGERS = _set("in this file photo image picture foto bild pictured caption")
CREDIT_TRIGGERS = _set("source sources quelle fuente fonte reporting writing editing compiled")

# A caption describes a picture: "X is pictured", "Y poses for a photo". Prose rarely says so.
PICTURED = re.compile(r"\b(?:is|are|was|were) pictured\b|\bpose[sd]? for (?:a )?(?:photo|portrait|picture)", _I)
PICTURED_TRIGGERS = _set("pictured poses pose posed")

# An author's blurb at the article's foot: "Jane Doe is a reporter at The Times who covers...".
_JOBS = (
    "reporter|editor|writer|correspondent|journalist|columnist|contributor|producer|author|critic|"
    "photographer|redakteur(?:in)?|korrespondent(?:in)?|journalist(?:in)?|autor(?:in)?|journaliste|rédact(?:eur|rice)|"
    "correspondant(?:e)?|periodista|redactor(?:a)?|corresponsal"
)
AUTHOR_BLURB = re.compile(
    r"^(?:[A-ZÀ-Ý][\w.'’-]+,?\s+){1,4}(?:is|was|ist|est|es)\s+(?:(?:a|an|the|ein|eine|un|une|una|el|la|le)\s+)?"
    r"(?:[\w'’-]+\s+){0,4}(?:" + _JOBS + r")\b"
    r"|^(?:[A-ZÀ-Ý][\w.'’-]+\s+){1,3}(?:covers|writes about|writes for|reports on)\b"
)

# Where someone stands in the picture: "Mark Esper, left, and Ngo Xuan Lich shake hands".
CAPTION_POSITION = re.compile(
    r", (?:left|right|centre|center|second from (?:left|right)|top|bottom|foreground|background|"
    r"links|rechts|à gauche|à droite|izquierda|derecha|a la izquierda|a la derecha), ",
    _I,
)
POSITION_TRIGGERS = _set(
    "left right centre center top bottom foreground background links rechts gauche droite izquierda derecha"
)
# Where `CAPTION_POSITION` may match in a long line, whose words are not gathered: a comma, then a run
# of its words' length opening with one of their first letters, and another comma. Found in a fifth of
# body paragraphs, at half the cost of the pattern tried at each comma.
POSITION_PLACE = re.compile(r", [abcdfilrstà][^,]{2,16}, ", _I)

# Every gate's words: a line holding none of them can only be caught by the rules that need no word.
TRIGGERS = (
    AD_TRIGGERS
    | PROMPT_TRIGGERS
    | COOKIE_TRIGGERS
    | LEGAL_TRIGGERS
    | LEGAL_WEAK_TRIGGERS
    | MISC_TRIGGERS
    | CAPTION_TRIGGERS
    | CREDIT_TRIGGERS
    | PICTURED_TRIGGERS
    | POSITION_TRIGGERS
    | SHARE_WORDS
)
# Words any rule looks for, the end-of-article markers' too: a line's other words are never asked about.
WANTED = TRIGGERS | TAIL_TRIGGERS
NO_WORDS: frozenset[str] = frozenset()
OTHER_WORDS = frozenset({""})  # what `tokens_of` keeps of a line's words that no rule looks for

# Pieces of the comments phrases, lower case: each phrase holds one. None holds an "i" or an "s", which
# case-insensitive matching also finds as characters ("ı", "ſ") that lower() keeps: a line whose
# lower case holds none of them is no `COMMENTS_MARKER`, found out without the pattern.
COMMENT_HINTS = ("mment", "oment", "reply", "conver", "n the d")


def may_open_comments(lower: str) -> bool:
    """Whether a lower-cased line holds one of `COMMENT_HINTS`, as it must to be a `COMMENTS_MARKER`."""
    return "mment" in lower or "oment" in lower or "reply" in lower or "conver" in lower or "n the d" in lower
