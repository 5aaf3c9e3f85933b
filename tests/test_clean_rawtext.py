"""A page without its head's script and style text (`dedup.clean.rawtext`) parses as the page does but for it.

The plain definition is lexbor's own parse: over many pages made of the markup that HTML's tokenizer reads
in odd ways (comments and quotes holding tags, raw text holding end tags, unclosed markup at the page's
end), the stripped page's tree must be the page's, script and style text aside, and the HTML cleaner must
make the same blocks, metadata and line keys of both.
"""

from __future__ import annotations

import random
import re

import pytest
from selectolax.lexbor import LexborHTMLParser

from dedup.clean import html, rawtext

# A script to be cut, put where a misreading of the markup around it would cut it; the second is seen, cut
# or not, as long as the quote in it ends the attribute value that holds it.
DECOY = "<script>" + "d" * 70 + "</script>"
QUOTED_DECOY = '<script>x" ' + "d" * 70 + "</script>"
# Script text that ends a script, or seems to.
SCRIPT_TEXTS = [
    "var a = 1 < 2 && b > 3;",
    "document.write('<p>hi</p>');",
    "s = '</scrip' + 't>';",
    "x = '</scripts>';",
    "x = '</script_>';",
    "x = '</ script>';",
    "x = '-->';",
    "y = '<script>';",
    "t = '</style>';",
    "c = 'caf\u00e9 \u00fcber \u4e2d\u6587 \U0001f600';",
    "a\r\nb\rc\fd\te",
    "if (a<b) { c = d<e; }",
    "x = '&lt;/script&gt;';",
    '{"@context": "https://schema.org", "headline": "A <b>bold</b> claim"}',
]
# ...and text that enters the tokenizer's escaped states: the loop stops there.
ESCAPED_TEXTS = ["<!--", "<!-- <script>x</script> -->", "<!-->", "<!--<script>"]
STYLE_TEXTS = ["body { color: red; }", "a::after { content: '</styles>'; }", "p > a { x: '</scrip' }", "/* <!-- */"]
END_TAGS = {
    "script": [
        *["</script>", "</SCRIPT>", "</Script >", "</script\t>", "</script\n>", "</script\f>", "</script\r>"],
        *["</script/>", '</script x=">">', "</script a='</script>'>", "</script/x>"],
        *[f'</script a=">{DECOY}">', f'</script a=">{QUOTED_DECOY}'],
    ],
    "style": ["</style>", "</STYLE >", "</style\r\n>", '</style a="b>">', "</style/>", f"</style a='>{DECOY}'>"],
}
START_TAGS = {
    "script": [
        *["<script>", "<SCRIPT>", '<script type="text/javascript">', '<script src="a.js" async>', "<script/>"],
        *['<script data-x="</script>">', "<script a='>'>", '<script a=">" b>', "<script\fa=b>", "<script\r\nsrc=x>"],
    ],
    "style": ["<style>", "<STYLE>", '<style media="a>b">', "<style type=text/css>", "<style\n>"],
}
# Markup that may come before the body, the tokenizer's hard cases among it.
HEAD_PIECES = [
    f'<meta =a="{DECOY}">',
    f'<meta =a=">{DECOY}">',
    f"<!-- a -- b --!x {DECOY} -->",
    f"</3 {DECOY}",
    f"<? {DECOY}",
    f'<!DOCTYPE a "{DECOY}">',
    f'<!DOCTYPE a="{DECOY}">',
    f"<noscript><title></noscript>{DECOY}</title></noscript>",
    f"<noscript><!-- </noscript>{DECOY} --></noscript>",
    f'<link / a=">{DECOY}">',
    f'<meta a/=">{DECOY}">',
    f"<meta a='>{DECOY}'>",
    f"<meta a={DECOY}>",
    f'</p a=">{DECOY}">',
    f'</p a=">{QUOTED_DECOY}',
    f"<title>{DECOY}</title>",
    f"<noframes>{DECOY}</noframes>",
    f"<iframe>{DECOY}</iframe>",
    f"<noscript><iframe src=x>{DECOY}</iframe></noscript>",
    "<noscript><img src=x height=1></noscript>",
    "<img src='>'>",
    '<div itemprop="publisher"><meta itemprop="name" content="A"></div>',
    "<DIV>",
    "<!DOCTYPE html>",
    "<!doctype HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\" 'x'>",
    '<!DOCTYPE html PUBLIC "a>b">',
    "<html>",
    '<html lang="en">',
    "<HTML>",
    "<head>",
    "<HEAD>",
    "</head>",
    "</html>",
    "</body>",
    "</br>",
    "</p>",
    "</script>",
    "</style>",
    "</>",
    "</ >",
    "</3>",
    "</-- x -->",
    "<!-- a comment -->",
    "<!-- <script>x</script> -->",
    "<!-- </script> -->",
    "<!-->",
    "<!--->",
    "<!---->",
    "<!-- a --!> <script>",
    "<!-- <!-- nested -->",
    "<!--x--!y-->",
    "<!---x->-->",
    "<!--[if lt IE 9]><script src=a.js></script><![endif]-->",
    "<!x>",
    "<!>",
    "<?xml version='1.0'?>",
    "<?php echo '>'; ?>",
    "<![CDATA[ <script> ]]>",
    "<meta charset=utf-8>",
    '<meta charset="utf-8"/>',
    "<meta name=\"a>b\" content='<script>'>",
    "<meta content=a>b>",
    '<meta x="y"z=">">',
    '<meta ="a>b">',
    '<meta a=b="c>d">',
    '<meta a = "b>c">',
    '<meta a"b="c>d">',
    "<meta a'b='c>d'>",
    "<meta a<b='c>d'>",
    '<meta / a="b>c">',
    "<meta/content='>'>",
    '<META\fNAME=x\rCONTENT="y>">',
    '<meta property="og:title" content="Caf\u00e9 &amp; \u4e2d\u6587">',
    '<link rel="canonical" href="https://a.example/story"/>',
    '<link href="</script>" rel=x>',
    "<base href=/>",
    "<basefont>",
    "<bgsound src=x>",
    "<title>A title</title>",
    "<title>a <script> b</title>",
    "<title>x</titles></title >",
    "<TITLE>x</TITLE\n>",
    "<title>a</title/>",
    "<noscript><script>x = 1;</script></noscript>",
    "<noscript><link href=x></noscript>",
    "<noscript><style>p {}</style></noscript>",
    "<noscript>",
    "</noscript>",
    "<template><script>a = 1;</script><style>b {}</style></template>",
    "<template><p>x</p><script>y</script></template>",
    "<noframes><script>x</script></noframes>",
    "<noframes></noframes ></noframes>",
    "\n  ",
    "\r\n",
    "\f",
    "\t",
    "text < more",
    "<3",
    "< b>",
    "&amp;",
    "&lt;script>",
    "\u00e9t\u00e9",
    "a\x00b",
    "<meta a=\x00>",
]
# Markup that ends the loop's reading, or that a body holds.
BODY_PIECES = [
    "<body>",
    '<BODY class="x">',
    "<body><p>First paragraph of the story, long enough to be kept as prose by the cleaner.</p></body>",
    "<div><h1>The headline of it all</h1><p>Some text in a div, a sentence.</p></div>",
    "<p>A paragraph that opens the body without a body tag, as many pages do.</p>",
    "<svg><style>a {}</style><script>x</script></svg>",
    "<math><script>x</script><mi>y</mi></math>",
    "<frameset><script>x</script></frameset>",
    "<select><script>x</script></select>",
    "<plaintext><script>x</script>",
    "<textarea><script>x</script></textarea>",
    "<xmp><script>x</script></xmp>",
    "<iframe><script>x</script></iframe>",
    "<noembed><script>x</script></noembed>",
    "<table><script>x</script><tr><td>cell</td></tr></table>",
    "<img src=x alt='<script>'>",
    "<scripts>x</scripts>",
    "<styles>x</styles>",
    "<h1>A headline</h1>",
    "<article><p>The article's text is here, a sentence of it.</p></article>",
]


def raw_element(rng: random.Random, tag: str) -> str:
    """A script or style element with text long enough to be cut, its tags and text drawn at random."""
    texts = SCRIPT_TEXTS if tag == "script" else STYLE_TEXTS
    parts = [rng.choice(texts) for _ in range(rng.randint(1, 6))]
    if tag == "script" and rng.random() < 0.05:
        parts.insert(rng.randrange(len(parts) + 1), rng.choice(ESCAPED_TEXTS))
    text = " ".join(parts) * rng.choice([1, 3])
    return rng.choice(START_TAGS[tag]) + text + rng.choice(END_TAGS[tag])


def random_page(rng: random.Random) -> bytes:
    """A page of head markup, scripts and style sheets, maybe a body, maybe cut short anywhere."""
    pieces = []
    for _ in range(rng.randint(0, 14)):
        roll = rng.random()
        if roll < 0.3:
            pieces.append(raw_element(rng, "script"))
        elif roll < 0.4:
            pieces.append(raw_element(rng, "style"))
        else:
            pieces.append(rng.choice(HEAD_PIECES))
    for _ in range(rng.choice([0, 1, 1, 2])):
        pieces.append(rng.choice(BODY_PIECES))
        if rng.random() < 0.5:
            pieces.append(raw_element(rng, rng.choice(["script", "style"])))
    text = "".join(pieces)
    if rng.random() < 0.2:
        text = text.swapcase()
    if rng.random() < 0.15:
        text = text[: rng.randrange(len(text) + 1)]  # ends inside a tag, comment or raw text
    page = text.encode("utf-8")
    if rng.random() < 0.1:  # not UTF-8 (the reader decodes such pages): the parser's decoder must keep the markup
        at = rng.randrange(len(page) + 1)
        page = page[:at] + rng.choice([b"\xff", b"\xe2\x82", b"\xc3", b"\xed\xa0\x80", b"\xf0\x9f"]) + page[at:]
    return page


# A piece of lexbor's serialization: a comment, a doctype, a tag, text. A tag's attributes each have a value
# in double quotes, and a name that may hold quotes (or start with "=").
SERIALIZED = re.compile(
    r'<!--.*?-->|<!.*?>|</?([^\t\n\f\r />]+)(?:[\t\n\f\r ]+=?[^\t\n\f\r =/>]*="[^"]*")*[\t\n\f\r ]*/?>|[^<]+|<',
    re.DOTALL,
)  # (white space as HTML has it: Python's \s holds more)

# The elements whose text lexbor serializes as it stands.
SERIALIZED_RAW = ("script", "style", "xmp", "iframe", "noembed", "noframes", "plaintext")


def serialized_texts(page: str | bytes) -> tuple[str, list[str]]:
    """The page's tree as lexbor serializes it, its script and style text taken out; and those texts."""
    tree = LexborHTMLParser(page).html or ""
    kept, texts = [], []
    at = 0
    while at < len(tree):
        piece = SERIALIZED.match(tree, at)
        assert piece is not None
        kept.append(piece.group())
        at = piece.end()
        name = (piece.group(1) or "").lower()
        if name in SERIALIZED_RAW and not piece.group().startswith("</"):
            end = tree.find(f"</{piece.group(1)}>", at)  # raw text is serialized as it stands
            end = end if end >= 0 else len(tree)  # a script's escaped text may hold "</script>"
            if name in ("script", "style"):
                texts.append(tree[at:end])
            else:
                kept.append(tree[at:end])
            at = end
    return "".join(kept), texts


def assert_parses_alike(page: bytes) -> int:
    """That the stripped page parses to the page's tree but for the text of the elements it empties (one a
    cut): how many it empties."""
    cut = rawtext.stripped(page)
    cuts = rawtext.script_cuts(page)
    kept = not len(cuts) or int((cuts[:, 1] - cuts[:, 0]).sum()) < rawtext.SMALLEST_SHARE * len(page)
    assert (cut is page) == kept
    tree, texts = serialized_texts(page)
    cut_tree, cut_texts = serialized_texts(cut)
    assert cut_tree == tree, page
    assert len(cut_texts) == len(texts), page
    emptied = [i for i, (text, cut_text) in enumerate(zip(texts, cut_texts, strict=True)) if text != cut_text]
    assert all(texts[i] and not cut_texts[i] for i in emptied), page
    assert len(emptied) <= (0 if cut is page else len(cuts)), page  # fewer where a frameset drops the body
    return len(emptied)


def blocks_unstripped(page: bytes, monkeypatch: pytest.MonkeyPatch) -> html.Page:
    """The HTML cleaner's `page_blocks` of the page as it stands."""
    with monkeypatch.context() as patch:
        patch.setattr(rawtext, "stripped", lambda page: page)
        return html.page_blocks(page)


def test_random_pages_parse_alike_without_their_head_scripts_and_styles(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rawtext, "SMALLEST_SHARE", 0)  # every page with a cut is cut: the scan is what is tested
    rng = random.Random(20240611)
    emptied = stripped_pages = 0
    for _ in range(4000):
        page = random_page(rng)
        count = assert_parses_alike(page)
        emptied += count
        stripped_pages += count > 0
    assert stripped_pages > 1000 and emptied > 4000  # the pages are not all stopped at once


def test_the_cleaner_makes_the_same_of_a_stripped_page(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(7)
    for _ in range(600):
        page = random_page(rng)
        assert html.page_blocks(page) == blocks_unstripped(page, monkeypatch), page


@pytest.mark.parametrize(
    ("page", "kept"),
    [
        (b"<head><script>" + b"x" * 70 + b"</script></head>", b"<head><script></script></head>"),
        (b"<!--><script>" + b"x" * 70 + b"</script>", b"<!--><script></script>"),
        (b"<!---><style>" + b"x" * 70 + b"</STYLE >", b"<!---><style></STYLE >"),
        (b"<!-- a --!><script>" + b"x" * 70 + b"</script>", b"<!-- a --!><script></script>"),
        (b"<meta a='>'><script>" + b"x" * 70 + b"</script>", b"<meta a='>'><script></script>"),
        (b'<script a=">">' + b"x" * 70 + b"</scripts></script>", b'<script a=">"></script>'),
        (b'<!DOCTYPE a="><style>' + b"x" * 70 + b'</style>">', b'<!DOCTYPE a="><style></style>">'),
        (b'<meta /="><style>' + b"x" * 70 + b'</style>">', b'<meta /="><style></style>">'),
        (b"</3><?x><!x></><script>" + b"x" * 70 + b"</script>", b"</3><?x><!x></><script></script>"),
        (b"<noscript><script>" + b"x" * 70 + b"</script></noscript>", b"<noscript><script></script></noscript>"),
        (b"<template><style>" + b"x" * 70 + b"</style></template>", b"<template><style></style></template>"),
        (b"<title>a</title><noframes>b</noframes><style>" + b"x" * 70 + b"</style>", None),
        (b"<noscript><img src=a><iframe><p></iframe></noscript><div><style>" + b"x" * 70 + b"</style>", None),
        (b"<base><basefont><bgsound><link><meta><html><head><style>" + b"x" * 70 + b"</style>", None),
    ],
)
def test_stripped_takes_out_script_and_style_text(page: bytes, kept: bytes | None) -> None:
    assert rawtext.stripped(page) == (kept or page.replace(b"x" * 70, b""))


@pytest.mark.parametrize(
    "page",
    [
        b"<!-- <script>" + b"x" * 70 + b"</script>",  # a comment that the page's end closes
        b"<body><script>" + b"x" * 70 + b"</script>",
        b"<p><script>" + b"x" * 70 + b"</script>",
        b"<svg><style>" + b"x" * 70 + b"</style>",
        b"<frameset><script>" + b"x" * 70 + b"</script>",
        b"<textarea><script>" + b"x" * 70 + b"</script>",
        b"<title><script>" + b"x" * 70 + b"</script>",
        b"<script><!--" + b"x" * 70 + b"</script>",  # the escaped states
        b"<script>" + b"x" * 70 + b"</script",  # the page ends in the end tag
        b"<script>" + b"x" * 70,
        b"<meta a='><script>" + b"x" * 70 + b"</script>",
        b"<script>" + b"x" * 63 + b"</script>",  # too short to pay
    ],
)
def test_stripped_leaves_what_it_does_not_read_as_it_stands(page: bytes) -> None:
    assert rawtext.stripped(page) is page
    assert_parses_alike(page)


def test_a_str_page_is_cut_as_its_utf8_and_one_that_has_none_stays_as_it_is() -> None:
    script = "var x = '<é>';" * 100
    page = f"<html><head><script>{script}</script></head><body><p>Grüße</p></body></html>"
    assert rawtext.stripped(page) == rawtext.stripped(page.encode()) == page.replace(script, "").encode()
    broken = page.replace("Grüße", "Gr\ud800")
    assert rawtext.stripped(broken) is broken
