"""The compiled walk over serialized markup gathers exactly what a plain walk over the parsed nodes does."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import pytest
from selectolax.lexbor import LexborHTMLParser, LexborNode

from dedup.clean import html, markup
from dedup.clean.blocks import Block, folded
from dedup.kernels import TypingError

# The plain walk: one node at a time through selectolax, as the cleaner walked before it was compiled.


@dataclass
class PlainWalk:
    """What the plain walk found, as lists: the elements' tree, the clutter marks' (reasons as indices of
    `markup.REASONS`), and the blocks with their elements and marks."""

    parent: list[int] = field(default_factory=lambda: [-1])  # a first element standing for nothing
    depth: list[int] = field(default_factory=lambda: [0])
    flag_reason: list[int] = field(default_factory=list)
    flag_parent: list[int] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    homes: list[int] = field(default_factory=list)
    marks: list[int] = field(default_factory=list)


def plain_walk(root: LexborNode) -> PlainWalk:
    """Blocks in reading order and the trees of elements and marks, from the parsed nodes."""
    walk = PlainWalk()
    parts: list[str] = []
    state = {"link_chars": 0, "heading": False}
    stack: list[tuple[Iterator[LexborNode], int, int, bool, bool]] = []
    element, mark, in_link = -1, -1, False
    nodes: Iterator[LexborNode] = iter((root,))
    link_end, gap, left, was_link = -1, -1, False, False
    while True:
        node = next(nodes, None)
        if node is None:
            if not stack:
                return walk
            if not left:
                left, was_link = True, in_link
            _, closed, closed_mark, _, block = stack.pop()
            if block and parts:
                flush(walk, parts, state, closed, closed_mark)
            elif block:
                state["heading"] = False
            nodes, element, mark, in_link, _ = stack[-1] if stack else (nodes, -1, -1, False, False)
            continue
        if left:
            left = False
            link_end = len(parts) if was_link and not in_link else -1 if not parts else link_end
        tag = node.tag or "-"
        if tag == "-text":
            text = node.text_content or ""
            if not parts and (not text or text.isspace()):
                gap = -1
                continue
            if gap == len(parts) and text[:1].isupper() and parts[-1][-1:].islower():
                parts.append(" ")
            gap = -1
            parts.append(text)
            if in_link:
                state["link_chars"] += len(text.strip())
            continue
        if tag[0] == "-":
            continue
        reason = clutter_reason(node, tag)
        if reason:
            walk.flag_reason.append(markup.REASONS.index(reason))
            walk.flag_parent.append(mark)
            mark = len(walk.flag_reason) - 1
        block = tag in html.BLOCK_TAGS
        if block and parts:
            flush(walk, parts, state, element, stack[-1][2] if stack else -1)
            link_end = -1
        elif block:
            state["heading"] = False
        elif tag in html.CELLS:
            parts.append(" ")
        elif tag == "a" and not in_link and parts and link_end == len(parts):
            gap = len(parts)
        if tag in html.HEADINGS:
            state["heading"] = True
        walk.parent.append(element)
        walk.depth.append(walk.depth[element] + 1)
        nodes, element, in_link = node.iter(include_text=True), len(walk.parent) - 1, in_link or tag == "a"
        stack.append((nodes, element, mark, in_link, block))


def flush(walk: PlainWalk, parts: list[str], state: dict[str, int], home: int, mark: int) -> None:
    """End the block being gathered."""
    if parts:
        line = folded("".join(parts))
        parts.clear()
        if line:
            text, size, bullet = line
            density = min(1.0, state["link_chars"] / max(1, len(text)))
            container = home
            for _ in range(2):
                container = walk.parent[container] if container >= 0 else -1
            walk.blocks.append(Block(text, bool(state["heading"]), bullet, density, size=size, home=container))
            walk.blocks[-1].key = text.lower()
            walk.homes.append(home)
            walk.marks.append(mark)
        state["link_chars"] = 0
    state["heading"] = False


def clutter_reason(node: LexborNode, tag: str) -> str | None:
    """The kind of clutter an element's tag, hidden or role attribute, class or id names."""
    reason = html.TAG_REASONS.get(tag)
    if reason:
        return reason
    attrs = node.attributes
    if not attrs:
        return None
    if attrs.get("aria-hidden") == "true" or "hidden" in attrs:
        return "hidden"
    if attrs.get("role") in html.NAVIGATION_ROLES:
        return "nav"
    names, ident = attrs.get("class"), attrs.get("id")
    return (names and named_clutter(names)) or (ident and named_clutter(ident)) or None


@lru_cache
def named_clutter(names: str) -> str | None:
    """The clutter a class or id names: its first word, parted at white space, "-", "_" and camelCase."""
    for part in names.replace("_", " ").replace("-", " ").split():
        for token in re.split(r"(?<=[a-z])(?=[A-Z])", part):
            reason = html.TOKEN_REASONS.get(token.lower())
            if reason:
                return reason
    return None


def both_walks(page: str) -> tuple[PlainWalk, html._Walk]:
    """The plain and the compiled walk over one page's body, its dropped tags and furniture taken out first."""
    tree = LexborHTMLParser(page)
    root = tree.body
    assert root is not None
    html._prune(root)  # drops what holds no text, then the furniture
    compiled = html._walked(root.html or "")
    for node in root.css(", ".join(html.SKIPPED_TAGS)):  # the plain walk drops what the compiled one skips
        node.decompose()
    # Serialized, text nodes that a removed element had kept apart read as one: so they do for the plain walk.
    root.merge_text_nodes()
    return plain_walk(root), compiled


def summary(walk: PlainWalk | html._Walk) -> tuple[object, ...]:
    """Everything a walk found, comparable; of a compiled walk, also that the words and looks the region
    rules read (computed from its columns) are those its blocks have."""
    blocks = [(b.text, b.heading, b.bullet, round(b.link_density, 9), b.size, b.home, b.key) for b in walk.blocks]
    trees = (walk.parent, walk.depth, walk.flag_reason, walk.flag_parent, walk.homes, walk.marks)
    if isinstance(walk, html._Walk):
        assert walk.sizes.tolist() == [block.size for block in walk.blocks]
        assert walk.looks.tolist() == [html._look(block) for block in walk.blocks]
    return *([int(value) for value in values] for values in trees), blocks


PAGES = [
    "<p>One &amp; two &lt;three&gt; four&nbsp;five “six” 'seven' é</p>",
    '<div class="shareBar"><a href="/a">Teilen</a><a href="/b">Drucken</a></div><p>Arte<a href="x">mis</a></p>',
    "<table><tr><td>cell one<td>cell two</tr><tr><th>head</th></tr></table><p>a<br>b<hr>c</p>",
    "<h2>A <em>subhead</em> here</h2><p>Text <b>bold</b><i>italic</i></p><h3></h3><p>after</p>",
    '<div role="navigation">Menu</div><div aria-hidden="true">gone</div><div role="Navigation">kept</div>',
    '<div id="main-Content"><div class="adSlot">Advert</div><div class="story_body text">Story text.</div></div>',
    "<ul><li>• first item</li><li>* second item</li><li>- third</li></ul><!-- a comment --><p>tail</p>",
    "<p>before<xmp>a <b> raw &amp; text</xmp>after</p><p>x<img src=a.png alt=1>y<wbr>z</p>",
    '<a href="/1">Home</a><a href="/2"><span>News</span></a> <a href="/3">Sport</a><p>Body text.</p>',
    "<p>Ünïcödé ΣΊΣΥΦΟΣ straße ﬁne İstanbul 東京の記事です</p><p>\u2003spaced\u3000out\xa0here</p>",
    '<div class="">empty class</div><div hidden>hidden attr</div><div class>bare</div><span>x</span>',
    "<section><script>var a = '<p>';</script><p>after a script</p><style>p{}</style><p>x</p></section>",
    '<p =>Odd attribute names</p><img src="a" =><p a=b =c>after</p>',  # lexbor writes `<p =a="">`
    "<math><wbr>in</wbr>after</math><p>y</p><p>a<math><col>x</col></math>b</p><math><xmp><mi>x</mi></xmp></math>",
    "<xmp>a</xmpfoo>b</xmp><p>y</p><div><plaintext>a</plaintext>b",
    '<div class="ad&nbsp;box">x</div><div id="nav&nbsp;top">y</div><div class="a&amp;b">z</div>',
    '<div\xa0class="ad">x</div><div b\x1cclass="nav">y</div>',
    "<p>東京の記事です。東京の記事です。東京の記事です。</p><li>*  a list item</li><p>A <a>link</a>.</p>",
    "<p>ข่าววันนี้ ภาษาไทย</p><p>emoji 😀 here 𠀋 and <a>𠀋</a><a>Next</a> <a>x😀</a><a>A</a></p>",  # UTF-32
    # Skipped elements (`html.SKIPPED_TAGS`): the text on both sides is one node, as if they were not there.
    "<p>a<button>x</button>b</p><p><button>Menu</button>Start</p><p>End<BUTTON type=submit>Go</BUTTON></p>",
    '<p><a href="/1">Home</a><button>v</button><a href="/2">News</a> <a>one<input value="a>b">Two</a></p>',
    "<p>x<Select><option>One<option>Two</select>y<TextArea>a<b>&amp;</b></textarea>z</p><button></button>",
    "<p>q<iframe src=x>a <b>raw</b> &amp; </iframe>r</p><p>s<object><param><embed><iframe>i</iframe></object>t",
    "<div>a<video><source src=a><track>fall<b>back</b><audio>in</audio></video><p>b</p></div><canvas>c</canvas>",
    '<p>a<button title="</button>"><!-- </button> --><span aria-hidden="true">×</span>x</button>b</p>',
    "<p><object><xmp></object></xmp><noembed><p></noembed>inner</object>after<input><embed>end</p>",
    '<ul><li><a href="/">Link<button>x</button></a><button>y</button></li><li><input>Text<button></li></ul>',
    '<p><a href="/">one <button>x</button> two</a> and<input> <a href="/">more</a><select></select>Words</p>',
    "<p> <button>x</button> </p><p>y<embed>\n<audio></audio></p><div><canvas></canvas><p>z</p>tail</div>",
]


@pytest.mark.parametrize("body", PAGES)
def test_the_compiled_walk_gathers_what_the_plain_walk_does(body: str) -> None:
    plain, compiled = both_walks(f"<html><head><title>T</title></head><body>{body}</body></html>")
    assert summary(compiled) == summary(plain)


# Pieces of markup that random pages are made of: every branch of the walk.
OPENERS = [
    "<p>",
    "<div>",
    '<div class="related-links">',
    '<div class="mainStory">',
    "<span>",
    '<a href="/x">',
    "<h2>",
    "<li>",
    "<td>",
    "<th>",
    "<em>",
    '<section id="share_tools">',
    '<div role="banner">',
    "<blockquote>",
    "<figure>",
    "<figcaption>",
    "<nav>",
    "<form>",
    "<header>",
    "<b>",
    "<button>",
    '<BUTTON class="share">',
    "<select>",
    "<Video>",
    "<object>",
    "<audio>",
    "<canvas>",
]
TEXTS = [
    "Word",
    "word",
    "Two words",
    " ",
    "  spaced  ",
    "A sentence ends here.",
    "&amp;",
    "end&nbsp;",
    "•",
    "x",
    "Großes Ärgernis",
    "fin",
    "Next",
    "\n",
    "l'été",
    "ΟΔΟΣ",
    "1,000",
]
SINGLES = ["<br>", "<hr>", '<img src="a.png">', "<!-- c -->", "<wbr>", "<input>", '<Input value="x">', "<embed>"]
SINGLES += ["<iframe>a <b>c</b></iframe>", "<IFRAME></IFRAME>", "<textarea>a<b></textarea>", "<button></button>"]


def random_body(rng: random.Random, depth: int = 0) -> str:
    """A random body: nested openers, texts, void elements and comments."""
    pieces = []
    for _ in range(rng.randint(1, 6)):
        roll = rng.random()
        if roll < 0.4 and depth < 6:
            opener = rng.choice(OPENERS)
            name = opener[1:].split(">")[0].split()[0]
            pieces.append(f"{opener}{random_body(rng, depth + 1)}</{name}>")
        elif roll < 0.85:
            pieces.append(rng.choice(TEXTS))
        else:
            pieces.append(rng.choice(SINGLES))
    return "".join(pieces)


def test_the_compiled_walk_matches_on_random_pages() -> None:
    rng = random.Random(7)
    for _ in range(400):
        body = random_body(rng)
        plain, compiled = both_walks(f"<html><body>{body}</body></html>")
        assert summary(compiled) == summary(plain), body


def test_a_table_finds_its_words_and_no_others() -> None:
    rng = random.Random(11)
    letters = "abcdeAZ-_é"
    for size in (1, 5, 60, 700):  # the larger, the more words share a first slot
        lengths = [1, 2, 3, 5, 8, 30, 31, 40]  # from 31 on, lengths share the sieve's last row
        words = {"".join(rng.choices(letters, k=rng.choice(lengths))).lower(): value for value in range(1, size + 1)}
        for fold in (True, False):
            found = markup.table(words, fold)
            others = ("".join(rng.choices(letters, k=rng.choice([0, *lengths]))) for _ in range(2000))
            for word in [*words, *(word.upper() for word in words), *others]:
                codes = markup.codes_of(word)
                wanted = words.get(word.translate(ASCII_SMALL) if fold else word, 0)
                assert markup.look_up(codes, 0, len(codes), found, fold) == wanted, (word, fold)
                if len(codes) > 1:  # a word inside a longer text
                    assert markup.look_up(codes, 1, len(codes), found, fold) == words.get(
                        word[1:].translate(ASCII_SMALL) if fold else word[1:], 0
                    )


ASCII_SMALL = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


# Characters by the width CPython keeps a str's characters in: 1 byte (ASCII; Latin-1), 2 (lone surrogates
# too: one alone, or a high one before a low one, which UTF-16 would read back as one character), 4.
ODD_TEXTS = {
    "ascii": ["", "x", "&amp;", "\n"],
    "latin-1": ["é", "\xa0", "ÿ", "\x85", "Ünï ß", "\xad"],
    "ucs-2": ["東京", "ข่าววันนี้", "\ud83d", "\ude00x", "a\ud83d\ude00b", "Ab\u0100", "\u3000", "\ufeff"],
    "ucs-4": ["😀", "𠀋 word", "𝐀", "\U0010ffff"],
}


def width_of(text: str) -> str:
    """The width CPython keeps a str's characters in, as `ODD_TEXTS` names it."""
    top = max(map(ord, text), default=0)
    return "ascii" if top < 0x80 else "latin-1" if top < 0x100 else "ucs-2" if top < 0x10000 else "ucs-4"


def odd_body(rng: random.Random, width: str) -> str:
    """A random body whose characters CPython keeps at `width`: odd texts put into its text or into its
    tags' attribute values (both are read); past UCS-2, lone surrogates and others too."""
    body = random_body(rng)
    if width in ("ascii", "latin-1"):
        body = "".join(char for char in body if char < ("\x80" if width == "ascii" else "\u0100"))
    pool = [text for texts in ODD_TEXTS.values() for text in texts] if width == "ucs-4" else ODD_TEXTS[width]
    odd = [rng.choice(ODD_TEXTS[width])] + [rng.choice(pool) for _ in range(rng.randint(0, 2))]
    for text in odd:
        spot = rng.randint(0, len(body))
        body = body[:spot] + text + body[spot:]
    return body


def walk_of_code_points(body: str) -> markup.Walked:
    """The plain definition: the walk over a body's code points (UTF-32), its text read back as such."""
    chars, *tables = html._markup_tables()
    parent, depth, marks, rows, out = markup._walk(markup.codes_of(body), chars, *tables)
    text = out.tobytes().decode("utf-32-le", "surrogatepass")
    return markup.Walked(parent, depth, marks[:, 0], marks[:, 1], rows, text)


def assert_same_walk(found: markup.Walked, wanted: markup.Walked, body: str) -> None:
    """Two walks found the same, to the type of each array."""
    assert found.text == wanted.text, body
    for a, b in zip(found[:5], wanted[:5], strict=True):
        assert a.dtype == b.dtype and a.tolist() == b.tolist(), body


@pytest.mark.parametrize("width", list(ODD_TEXTS))
def test_the_walk_reads_a_str_of_any_width_as_its_code_points(width: str) -> None:
    rng = random.Random(5)
    chars, *tables = html._markup_tables()
    for _ in range(300):
        body = odd_body(rng, width)
        assert width_of(body) == width, body
        assert_same_walk(markup.walk(body, chars, *tables), walk_of_code_points(body), body)


@pytest.mark.parametrize(
    ("body", "text"),
    [
        ("", ""),
        ("<p>plain</p>", "plain\n"),
        ("<p>café&nbsp;crème&amp;</p><p>ÿ</p>", "café crème&\nÿ\n"),
        ("<p>\ud83d<b></b>\ude00</p><p>x</p>", "\ud83d\ude00\nx\n"),  # lone surrogates that meet in the text only
        ("<p>東京\ud83d\ude00 😀</p>", "東京\ud83d\ude00 😀\n"),
    ],
)
def test_the_walk_gives_back_the_characters_it_read(body: str, text: str) -> None:
    chars, *tables = html._markup_tables()
    found = markup.walk(body, chars, *tables)
    assert found.text == text and len(found.text) == len(text)
    assert_same_walk(found, walk_of_code_points(body), body)


def test_a_numba_that_does_not_lend_a_str_its_characters_walks_the_code_points(monkeypatch: pytest.MonkeyPatch) -> None:
    def not_lent(*_: object) -> None:
        raise TypingError("unknown attribute '_kind' of type unicode_type")

    rng = random.Random(7)
    chars, *tables = html._markup_tables()
    bodies = [odd_body(rng, width) for width in ODD_TEXTS for _ in range(20)]
    lent = [markup.walk(body, chars, *tables) for body in bodies]
    monkeypatch.setattr(markup, "_walk_str", not_lent)
    monkeypatch.setattr(markup, "_LENT", True)
    for body, found in zip(bodies, lent, strict=True):
        assert_same_walk(markup.walk(body, chars, *tables), found, body)
    assert not markup._LENT  # found out once
