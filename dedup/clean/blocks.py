"""Deciding, block by block, what on a news page is article and what is clutter.

Both input kinds end here: the text cleaner gives one block a line, the HTML cleaner one block
a paragraph-level element. Each block gets a reason to go or none; the decision uses the block
itself (vocabulary, shape, doubled text) and where it stands (before the first body paragraph,
inside the body, after an "end of article" marker such as "Top Stories").
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import accumulate, pairwise

from dedup.agencies import agency_named
from dedup.clean import vocab
from dedup.model import Removal

# Any mark of a sentence: a long line without one is a list of tags or links, not prose.
PUNCTUATED = re.compile(r"[.,;:!?。，、！？]")
TAG_LIST = (25, 120)  # words in a line that, without punctuation, is a tag list (longer: text stripped of it)
SHOUTED_WORDS = 9  # a line in capitals this long is another story's headline; a subhead is shorter
# What a sentence ends with; blocks reach the rules with their white space folded, so their last character tells.
SENTENCE_ENDS = frozenset('.!?…。！？:;"”’»)]')
# Words of a block that make it prose (`is_body`); one ending as a sentence needs fewer.
PROSE_WORDS, SENTENCE_WORDS = 25, 8
BULLET_CHARS = "•·▪►◦‣∙*"
BULLET = re.compile(r"^\s*[•·▪►◦‣∙*]\s+")


@dataclass(slots=True)
class Block:
    """One paragraph-level piece of a page, with the hints its source gives about it."""

    text: str
    heading: bool = False
    bullet: bool = False
    link_density: float = 0.0
    reason: str | None = None  # set when the source already knows it is clutter (a <nav>, an ad slot)
    size: int = 0  # its words, counted once by `measure`
    look: str | None = None  # the kind of clutter its text alone says it is (`judge`)
    home: int = -1  # the element holding it, numbered by the HTML cleaner (-1: plain text)
    key: str = ""  # its text lower-cased, as the template and the duplicate check compare lines
    prose: bool = False  # whether it reads as running prose (`is_body`), noted by `judge` for every rule after
    marker: bool | None = None  # whether it opens the page's recirculation (`_is_tail_marker`), noted when asked
    removal: Removal | None = None  # the last removal `_assemble` made of it, to give again for the same reason
    span: int = 1  # the source's blocks it stands for: the HTML cleaner gives a run of clutter as one block


@dataclass(slots=True)
class Verdict:
    """What the cleaner made of a page's blocks: the article's paragraphs and the metadata found."""

    paragraphs: list[str] = field(default_factory=list)
    removed: list[Removal] = field(default_factory=list)
    title: str | None = None
    credit: str | None = None


# Scripts written without spaces between words: a run of their characters is several words.
UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0e7f]")
CHARS_PER_WORD = 2  # Chinese and Japanese words average about two characters
SPACED_WORD_CHARS = 12  # characters a spaced word takes at most, on average over a line


def words(text: str) -> int:
    """How many words a block holds; in Chinese, Japanese or Thai, every two characters count as one."""
    return _count(text, len(text.split()))


def _count(text: str, spaced: int) -> int:
    """A text's words, given how many white space separates: unspaced scripts add theirs."""
    if len(text) <= SPACED_WORD_CHARS * spaced:
        return spaced  # words of ordinary length between the spaces: no run of unspaced script to count
    unspaced = len(UNSPACED.findall(text))
    return spaced + unspaced // CHARS_PER_WORD if unspaced else spaced


# Lines longer than this are prose to the vocabulary: only whole-line patterns (credits, captions,
# cookie notices) are tried on them, so their words need not be gathered.
PROSE_LINE = 40


Removals = defaultdict[str, dict[str, Removal]]  # for each reason, the Removal of each text it took out


@dataclass(slots=True)
class Memo:
    """What a run of pages made of the lines it met, so that a line met again costs one lookup.

    Pages of one site repeat most of their lines (menus, footers, promos). A flat page's blocks are
    shared between all the lines of the run that read the same: nothing changes a block once judged.
    """

    lines: dict[str, str | None] = field(default_factory=dict)  # a block's text: its look (`judge`)
    flat: dict[str, Block | None] = field(default_factory=dict)  # a plain-text line: its block (None: blank)
    removals: Removals = field(default_factory=lambda: defaultdict(dict))  # one of each (text, reason)


def measured(lines: list[str], memo: Memo) -> list[Block]:
    """The non-blank lines as blocks, measured and judged; a line the run met before gives its block again."""
    known = memo.flat
    new = [line for line in dict.fromkeys(lines) if line not in known]
    if new:
        known.update(zip(new, _line_blocks(new, memo), strict=True))
    return [block for line in lines if (block := known[line]) is not None]


def _line_blocks(lines: list[str], memo: Memo) -> list[Block | None]:
    """Lines of plain text new to the run as blocks, measured and judged together; None for a blank one.

    Each block is what `folded` makes of its line; this is its loop unrolled over a page, as most of
    a page's lines need only a strip (scrapers indent list items) and a count of their spaces. Lines
    that fold alike share one block, as the run's pages share theirs.
    """
    texts = _folded_texts(lines)
    made: dict[str, Block | None] = dict.fromkeys(texts)
    looked = memo.lines
    fresh = []  # blocks whose text the run has not judged
    for text in made:
        if not text:
            continue
        size = text.count(" ") + 1
        if len(text) > SPACED_WORD_CHARS * size:
            size = _count(text, size)
        # `is_body` of a plain line
        prose = size >= PROSE_WORDS or (size >= SENTENCE_WORDS and text[-1] in SENTENCE_ENDS)
        # Every field given at once, in their order: a block is made whole, not made and then filled in.
        block = Block(text, False, text[:2] == "• ", 0.0, None, size, looked.get(text), -1, text.lower(), prose)
        made[text] = block
        if text not in looked:
            fresh.append(block)
    for block, look in zip(fresh, looks(fresh), strict=True):
        block.look = looked[block.text] = look
    return [made[text] for text in texts]


def _folded_texts(lines: list[str]) -> list[str]:
    """Each line's text as `folded` gives it ("" for a blank line), list items as "• ..."."""
    texts = []
    for line in lines:
        text = line.strip(" ")
        if not (text.isprintable() and "  " not in text):  # `_is_folded`, spared a call a line
            text = " ".join(line.split())
        if text and text[0] in BULLET_CHARS and text[:2] != "• ":
            text = BULLET.sub("• ", text)
        texts.append(text)
    return texts


def folded(line: str) -> tuple[str, int, bool] | None:
    """A line's text with its white space folded, its words, and whether it is a list item; None when it is blank.

    List items come out as "• ...", whatever bullet they had.
    """
    text = line.strip(" ")  # scrapers indent list items
    if text and _is_folded(text):
        size = text.count(" ") + 1  # most lines: no need to split them into words
    else:
        parts = line.split()
        if not parts:
            return None
        text, size = " ".join(parts), len(parts)
    if text[0] in BULLET_CHARS and not text.startswith("• "):  # most list items are "• ..." already
        text = BULLET.sub("• ", text)
    if len(text) > SPACED_WORD_CHARS * size:
        size = _count(text, size)  # a run of unspaced script to count
    return text, size, text.startswith("• ")


def _is_folded(text: str) -> bool:
    """Whether a text without spaces at its ends has its white space folded already: single spaces between words.

    Every white-space character but the space is unprintable, so a printable text holds spaces only.
    """
    return text.isprintable() and "  " not in text


def judge(blocks: list[Block], memo: dict[str, str | None]) -> None:
    """Note of measured blocks whether each is prose, and the kind of clutter its text names if any (`looks`).

    Pages of one site repeat most of their lines, so a run keeps what it made of each text in `memo`.
    """
    for block in blocks:
        block.prose = is_body(block)
    _look(blocks, memo)


def _look(blocks: list[Block], memo: dict[str, str | None]) -> None:
    """Note each block's look, from `memo` or, for the texts it has not met, from `looks` over all of them at once."""
    fresh = {block.text: block for block in blocks if block.text not in memo}  # a page may print a line twice
    if fresh:
        memo.update(zip(fresh, looks(list(fresh.values())), strict=True))
    for block in blocks:
        block.look = memo[block.text]


def looks(blocks: list[Block]) -> list[str | None]:
    """Each block's `line_reason`, for a page's blocks at once: the words of its short lines are gathered together.

    A short line whose words name no end-of-article marker is noted as none (`_is_tail_marker`): its words
    are at hand here, and would be gathered again there.
    """
    keys = [block.key if block.size <= PROSE_LINE else "" for block in blocks]  # longer lines: no words asked
    words = vocab.tokens_of(keys)
    for block, tokens in zip(blocks, words, strict=True):
        if block.size <= MARKER_WORDS and tokens.isdisjoint(vocab.TAIL_TRIGGERS):
            block.marker = False
    return [line_reason(block.text, block.size, tokens) for block, tokens in zip(blocks, words, strict=True)]


def ends_sentence(text: str) -> bool:
    """Whether a text (white space folded or stripped) ends as a sentence does: a cheap look at its last character."""
    return text[-1:] in SENTENCE_ENDS


def is_body(block: Block) -> bool:
    """Whether a block reads like a paragraph of running prose."""
    n = block.size
    if block.reason or block.heading or block.link_density > 0.5:
        return False
    return n >= PROSE_WORDS or (n >= SENTENCE_WORDS and ends_sentence(block.text))


def is_short(block: Block) -> bool:
    """A line too short to be prose: a menu entry, a label, a stray token."""
    return block.size <= 3 and not ends_sentence(block.text)


# Characters a line printed twice holds at least (`is_doubled`): shorter lines are not looked at.
DOUBLED_CHARS = 40


def is_doubled(text: str) -> bool:
    """Whether a line is one text printed twice, as pages do with captions and alt texts."""
    s = text  # blocks reach here with their white space already folded
    if len(s) < DOUBLED_CHARS:
        return False
    mid = len(s) // 2
    if len(s) % 2 and s[mid] == " ":
        return s[0] == s[mid + 1] and s[:mid] == s[mid + 1 :]
    return s[0] == s[mid] and s[:mid] == s[mid:]  # most lines differ at once: no halves copied


def line_reason(text: str, n: int, tokens: frozenset[str]) -> str | None:
    """The kind of clutter a line is by its own look, whatever stands around it.

    Args:
        text: The line, white space folded.
        n: Its words (`words`).
        tokens: Its lower-case words (`vocab.tokens`, or what `vocab.tokens_of` keeps of them), for lines of at
            most `PROSE_LINE` words.
    """
    if n >= SHOUTED_WORDS and text.isupper() and 2 * sum(c.isupper() for c in text) > len(text):
        return "teaser"  # a headline in capitals set inside a story links to another story
    if (TAG_LIST[0] <= n <= TAG_LIST[1] and _is_tag_list(text, n)) or ("|" in text and text.count(" | ") >= 2):
        return "tags"  # a tag cloud or a row of links printed as one line
    if n > PROSE_LINE:
        return _prose_reason(text)
    if tokens.isdisjoint(vocab.TRIGGERS):
        return _plain_reason(text, n)
    if not tokens.isdisjoint(vocab.CREDIT_TRIGGERS) and vocab.CREDIT_LINE.match(text):
        return "credit"
    if _is_caption(text, tokens) or (not tokens.isdisjoint(vocab.PICTURED_TRIGGERS) and vocab.PICTURED.search(text)):
        return "caption"
    cookie_words = not tokens.isdisjoint(vocab.COOKIE_TRIGGERS)
    if cookie_words and _is_cookie_notice(text):
        return "cookie"
    sentence = n >= 5 and ends_sentence(text)
    if n <= 15 and (not sentence or _prompt_start(text, tokens)):
        short = _short_reason(text, n, tokens, cookie_words)
        if short:
            return short
    return "legal" if _is_legal(text, tokens, sentence) else None


def _plain_reason(text: str, n: int) -> str | None:
    """`line_reason` for a line without one trigger word: only the rules that need none are tried, in its order.

    Most lines a page judges come here (menu entries, headlines): the cheap first tests of `is_doubled`,
    `_is_byline` and `_glued_share` are made here, sparing most of them a call each.
    """
    if text.endswith((")", "]")) and vocab.CAPTION_CREDIT.search(text[-200:]):
        return "caption"
    if len(text) >= DOUBLED_CHARS and is_doubled(text):
        return "caption"
    if n <= 15 and not (n >= 5 and text[-1:] in SENTENCE_ENDS):  # not a sentence (`ends_sentence`)
        if text[:1] in BYLINE_INITIALS and _is_byline(text):
            return "byline"
        if n <= SHARE_LINE_WORDS and not (text.istitle() or text.islower()) and _glued_share(text):
            return "share"
    return "legal" if "©" in text and vocab.LEGAL.search(text) else None


# A share bar has a few words; a scraper that flattened its links may have glued them ("TeilenDrucken").
SHARE_LINE_WORDS = 6
GLUED = re.compile(r"(?<=[a-zà-ÿ])(?=[A-ZÀ-Ý])")
GLUED_PAIR = re.compile(r"[a-zà-ÿ][A-ZÀ-Ý]")  # where GLUED splits; found faster than a place between two lookarounds


BYLINE_INITIALS = "BbVvPpDd"  # the letters `vocab.BYLINE` opens with


def _is_byline(text: str) -> bool:
    """A byline ("By Jane Doe", "Von ...", "Par ..."), its pattern tried only on lines opening with its letters."""
    return text[:1] in BYLINE_INITIALS and vocab.BYLINE.match(text) is not None


def _glued_share(text: str) -> bool:
    """Whether a line is share buttons whose names a scraper glued together, lower case meeting a capital."""
    # Lower case meets a capital nowhere in a line in title case or without capitals: two cheap tests
    # spare most lines the regex. (÷ and ×, in GLUED's ranges, are in no share word: no loss.)
    if text.istitle() or text.islower() or GLUED_PAIR.search(text) is None:
        return False
    parts = vocab.tokens(GLUED.sub(" ", text))
    return bool(parts) and parts <= vocab.SHARE_WORDS


def _is_tag_list(text: str, n: int) -> bool:
    """A site's tag cloud flattened to one line: many words, no punctuation, in alphabetical order."""
    if not TAG_LIST[0] <= n <= TAG_LIST[1] or "," in text or "." in text or PUNCTUATED.search(text) is not None:
        return False  # (a comma or a full stop, in most lines, is found faster by `in` than by the pattern)
    initials = [word[0] for word in text.casefold().split() if word[0].isalpha()]
    pairs = list(pairwise(initials))
    rises = sum(a < b for a, b in pairs)
    falls = sum(a > b for a, b in pairs)
    return rises >= 5 and rises >= 3 * falls  # tags of several words fall back inside the tag


LINKED = 0.5  # a block with more of its text in links than this is navigation or a teaser (`_link_reason`)


def _link_reason(block: Block) -> str | None:
    """A short block that is mostly link text is navigation; a longer one wholly a link, a teaser."""
    if block.link_density > LINKED and block.size <= 12:
        return "nav"
    return "teaser" if block.link_density >= 0.9 and block.size <= 30 and not block.heading else None


def _prose_reason(text: str) -> str | None:
    """The kind of clutter a long line is: only credits, captions and cookie notices run this long."""
    if text[:1] in "SsQqFfWwEeCcRrAa" and vocab.CREDIT_LINE.match(text):
        return "credit"
    if text.endswith((")", "]")) and vocab.CAPTION_CREDIT.search(text[-200:]):
        return "caption"
    if _caption_start(text) or is_doubled(text) or _has_position(text):
        return "caption"
    if text[:1] == "©" or text[:9].lower() == "copyright":
        return "legal"
    return "cookie" if "ookie" in text and _is_cookie_notice(text) else None


def _has_position(text: str) -> bool:
    """Whether a line says where someone stands in a picture (`vocab.CAPTION_POSITION`), tried where it may."""
    return vocab.POSITION_PLACE.search(text) is not None and vocab.CAPTION_POSITION.search(text) is not None


def _is_cookie_notice(text: str) -> bool:
    """The site's own cookie notice; a report of what a company said of cookies is news."""
    return vocab.COOKIE_NOTICE.search(text) is not None and vocab.REPORTED.search(text) is None


def _is_caption(text: str, tokens: frozenset[str]) -> bool:
    """A picture's caption or credit line, or a text printed twice as captions and alt texts are."""
    if text.endswith((")", "]")) and vocab.CAPTION_CREDIT.search(text[-200:]):
        return True
    if not tokens.isdisjoint(vocab.POSITION_TRIGGERS) and vocab.CAPTION_POSITION.search(text):
        return True
    if not tokens.isdisjoint(vocab.CAPTION_TRIGGERS) and _caption_start(text):
        return True
    return is_doubled(text)


# The letters `vocab.CAPTION_START` can open with, in either case ("In this photo", "File photo", "Bild:"),
# with the two i's that case-insensitive matching takes for an "i".
CAPTION_INITIALS = frozenset("iItTfFpPbBcC\u0130\u0131")


def _caption_start(text: str) -> bool:
    """Whether a line opens as a caption does; the pattern is spared lines that open with a letter it cannot."""
    first = text[:1]
    if (first.isalnum() or first == "_") and first not in CAPTION_INITIALS:
        return False  # no mark to skip before it: the pattern would have to match at this letter
    return vocab.CAPTION_START.match(text) is not None


def _prompt_start(text: str, tokens: frozenset[str]) -> bool:
    """A line opening with a prompt's imperative ("Subscribe to ...", "Sign up for ...")."""
    return not tokens.isdisjoint(vocab.PROMPT_TRIGGERS) and vocab.PROMPT_START.match(text) is not None


def _is_legal(text: str, tokens: frozenset[str], sentence: bool) -> bool:
    """A copyright, terms or company-registration line; the weak marks only on lines that are not sentences."""
    if ("©" in text or not tokens.isdisjoint(vocab.LEGAL_TRIGGERS)) and vocab.LEGAL.search(text):
        return True
    return not sentence and not tokens.isdisjoint(vocab.LEGAL_WEAK_TRIGGERS) and bool(vocab.LEGAL_WEAK.search(text))


def _short_reason(text: str, n: int, tokens: frozenset[str], cookie_words: bool) -> str | None:
    """The kind of clutter a short line that is not a sentence is, by its vocabulary."""
    if not tokens.isdisjoint(vocab.AD_TRIGGERS) and vocab.AD_LINE.match(text):
        return "ad"
    if not tokens.isdisjoint(vocab.MISC_TRIGGERS) and vocab.MISC_CLUTTER.match(text):
        return "nav"
    if cookie_words and vocab.COOKIE.search(text):
        return "cookie"
    if not tokens.isdisjoint(vocab.PROMPT_TRIGGERS) and vocab.PROMPT.search(text):
        return "prompt"
    if _is_byline(text):
        return "byline"
    if n <= SHARE_LINE_WORDS and ((tokens and tokens <= vocab.SHARE_WORDS) or _glued_share(text)):
        return "share"
    return None


def classify(
    blocks: list[Block], template: Mapping[str, float] | None = None, memo: Memo | None = None, flat: bool = False
) -> Verdict:
    """Split a page's judged blocks (`judge`) into the article's paragraphs and removed clutter, each with its reason.

    `template` holds the lines (lower-cased) that the page's site prints on its other pages too, each
    with the share of the site's pages printing it: see `dedup.clean.templates`. `memo` is the run's,
    whose pages share their removals. A `flat` page (plain text) has no DOM to say where the article
    is, so its densest run of prose is taken for it (`_main_run`).
    """
    prose = [block.prose for block in blocks]
    reasons = _looks(blocks, prose)
    if template:
        _mark_template(blocks, reasons, prose, template)
    end = _tail_start(blocks, reasons, prose)
    _mark_tail(blocks, reasons, end)
    body = _without_author_blurbs(blocks, reasons, _body(blocks, reasons, prose, end))
    if flat:
        body = _main_run(blocks, reasons, body, end)
    first, last = (body[0], body[-1]) if body else (end, end - 1)
    verdict = Verdict()
    _lead(blocks[:first], reasons, verdict)
    _middle(blocks, reasons, first, last)
    _after_body(blocks, reasons, last, end, flat)
    return _assemble(blocks, reasons, verdict, (memo or Memo()).removals)


def _after_body(blocks: list[Block], reasons: list[str | None], last: int, end: int, flat: bool) -> None:
    """After the last body paragraph: short lines are menus; on a flat page, all but a closing list goes."""
    closing_list = True
    for i in range(last + 1, end):
        if reasons[i]:
            continue
        closing_list = closing_list and blocks[i].bullet
        if is_short(blocks[i]):
            reasons[i] = "nav"
        elif flat and not closing_list and not ends_sentence(blocks[i].text):
            reasons[i] = "teaser"  # other stories' headlines and bylines below the story


def _looks(blocks: list[Block], prose: list[bool]) -> list[str | None]:
    """Each block's reason to go by its source or its own look."""
    reasons = [
        block.reason or block.look or (_link_reason(block) if block.link_density > LINKED else None) for block in blocks
    ]
    if not any(p and not r for p, r in zip(prose, reasons, strict=True)):
        # Nothing reads as prose but lines without punctuation: those are the text (a transcript, a
        # scraper that dropped punctuation), not tag lists around an article.
        reasons = [None if r == "tags" else r for r in reasons]
    return reasons


def _mark_tail(blocks: list[Block], reasons: list[str | None], end: int) -> None:
    """Everything from the end marker on goes: readers' comments, or teasers and their menus."""
    comments = end < len(blocks) and _is_comments_marker(blocks[end])
    for i in range(end, len(blocks)):
        short = i > end and is_short(blocks[i])
        reasons[i] = reasons[i] or ("comments" if comments else "nav" if short else "teaser")


# A page without one paragraph of prose may still hold an article: a brief of short sentences, or a
# list (a race calendar). Short sentences count then, or failing those the longest run of plain lines.
BRIEF_WORDS = 4
BRIEF_LINES = 2
LIST_LINES = 4
LIST_WORDS = 3


def _body(blocks: list[Block], reasons: list[str | None], prose: list[bool], end: int) -> list[int]:
    """The article's body paragraphs, by the loosest measure the page needs."""
    body = [i for i in range(end) if prose[i] and not reasons[i]]
    if body:
        return body
    brief = [
        i for i in range(end) if not reasons[i] and blocks[i].size >= BRIEF_WORDS and ends_sentence(blocks[i].text)
    ]
    return brief if len(brief) >= BRIEF_LINES else _longest_list(blocks, reasons, end)


def _longest_list(blocks: list[Block], reasons: list[str | None], end: int) -> list[int]:
    """The longest run of plain lines (no clutter, no bullet, a few words each): a list-shaped article."""
    best: list[int] = []
    run: list[int] = []
    for i in range(end + 1):
        if i < end and not reasons[i] and not blocks[i].bullet and blocks[i].size >= LIST_WORDS:
            run.append(i)
            continue
        if len(run) >= LIST_LINES and sum(blocks[j].size for j in run) > sum(blocks[j].size for j in best):
            best = run
        run = []
    return best


# Lines that are not prose cost the run of prose holding them: the article is the run where prose
# outweighs everything else. Each further clutter line in a row costs more than the last, so a stray
# token or a caption between standfirst and body is cheap, while five menu lines before a teaser's
# lead cut it off. A line that may be the article's own (a list item, a subhead) costs little.
CLUTTER_STEP = 2
OWN_LINE_COST = 1


def _main_run(blocks: list[Block], reasons: list[str | None], body: list[int], end: int) -> list[int]:
    """The body paragraphs inside the page's densest run of prose; those outside it are teasers."""
    if len(body) < 2:
        return body
    prose = set(body)
    best, best_span, total, start, gap = 0, (body[0], body[0]), 0, body[0], 0
    for i in range(body[0], body[-1] + 1):
        if total <= 0:
            total, start = 0, i
        if i in prose:
            total, gap = total + blocks[i].size, 0
        elif not reasons[i] and (blocks[i].bullet or blocks[i].size >= 4):
            total -= OWN_LINE_COST
        else:
            gap += 1
            total -= CLUTTER_STEP * gap
        if total > best:
            best, best_span = total, (start, i)
    first, last = best_span
    for i in body:
        if not first <= i <= last:
            reasons[i] = "teaser"
    return [i for i in body if first <= i <= last]


# An author's blurb stands among the last few paragraphs; earlier, "X is a reporter ..." is news.
BLURB_REACH = 3


def _without_author_blurbs(blocks: list[Block], reasons: list[str | None], body: list[int]) -> list[int]:
    """The body paragraphs, the author blurbs at their foot taken out as bylines (credits are metadata)."""
    blurbs = {i for i in body[-BLURB_REACH:] if vocab.AUTHOR_BLURB.match(blocks[i].text)}
    for i in blurbs:
        reasons[i] = "byline"
    return [i for i in body if i not in blurbs] if blurbs else body


# A page keeps its prose when the template would take several of its paragraphs and more than this
# share of its words: two pages of one site that carry the same story share their paragraphs, and
# those are article. One or two boilerplate paragraphs ("The Associated Press is an independent...")
# on a short story are still template.
TEMPLATE_PROSE_SHARE = 0.5
TEMPLATE_PARAGRAPHS = 3
EVERY_PAGE = 0.8  # a line on this share of a site's pages is its template whatever else the page holds


def _mark_template(
    blocks: list[Block], reasons: list[str | None], prose: list[bool], template: Mapping[str, float]
) -> None:
    """Mark the lines the site repeats on its other pages; prose on only some of them may be a shared story."""
    hits = [i for i, block in enumerate(blocks) if not reasons[i] and block.key in template]
    shared = [blocks[i].size for i in hits if prose[i]]
    # Few pages share that many prose lines with their site: the others need not count their prose words.
    many = len(shared) >= TEMPLATE_PARAGRAPHS
    spare_prose = many and sum(shared) > TEMPLATE_PROSE_SHARE * _prose_words(blocks, prose)
    story = _shared_story(blocks, prose, hits) if spare_prose else set()
    for i in hits:  # a line of no shared story goes whatever its share of pages (most pages carry none)
        if i not in story or template[blocks[i].key] >= EVERY_PAGE:
            reasons[i] = "template"


def _prose_words(blocks: list[Block], prose: list[bool]) -> int:
    """The words of a page's prose blocks."""
    return sum(block.size for block, p in zip(blocks, prose, strict=True) if p)


def _shared_story(blocks: list[Block], prose: list[bool], hits: list[int]) -> set[int]:
    """Of the prose lines a page shares with another of its site, those of the story both carry.

    The story is the run of shared prose holding the most words; a line the site prints that is not
    prose (a promo, a menu) ends a run, so a blurb in the site's footer below the story is no part of it.
    """
    runs: list[list[int]] = [[]]
    for i in hits:
        if prose[i]:
            runs[-1].append(i)
        elif runs[-1]:
            runs.append([])
    return set(max(runs, key=lambda run: sum(blocks[i].size for i in run)))


MARKER_WORDS = 8  # an end-of-article marker is a short line, a heading of this many words at most

# Lines that, once most of the article is above them, open the page's footer.
FOOTER = frozenset({"legal", "cookie"})


def _footer_run(blocks: list[Block], reasons: list[str | None], i: int) -> bool:
    """Whether a footer opens at `i`: two short legal or cookie lines in a row ("Terms", "Privacy").

    One such line alone may be a subhead of a story about privacy rules; a footer lists several.
    """
    pair = blocks[i : i + 2]
    return len(pair) == 2 and all(reasons[i + j] in FOOTER and b.size <= 8 for j, b in enumerate(pair))


def _tail_start(blocks: list[Block], reasons: list[str | None], prose: list[bool]) -> int:
    """Where the article ends and the teasers begin: the first end marker with most of the body above it."""
    sizes = [b.size if p and not r else 0 for b, r, p in zip(blocks, reasons, prose, strict=True)]
    total = sum(sizes)
    above = 0
    for i, block in enumerate(blocks):
        if not above or block.size > MARKER_WORDS:  # markers are short lines below some of the body
            above += sizes[i]
            continue
        if reasons[i] in FOOTER and _footer_run(blocks, reasons, i) and 2 * above >= total - above:
            return i  # "Terms and conditions", "Privacy Policy" after a third of the body: the footer
        if not block.bullet and reasons[i] != "share" and _is_tail_marker(block):
            if _is_comments_marker(block) and above >= COMMENTED_WORDS:
                return i  # readers' comments may run longer than the article they follow
            first, past = _reach(blocks, i)
            resumes = _same_home_soon(blocks, sizes, i, first, past) or (
                _long_words_after(sizes, i) >= RESUMED_SHARE * total and _long_soon(sizes, i, past)
            )
            if above >= total - above and not resumes:
                return i
            reasons[i] = reasons[i] or "teaser"
        above += sizes[i]
    return len(blocks)


# A "Related" box inside the story is followed by more of the story: long paragraphs holding this
# share of the body after a marker mean the article goes on.
LONG_PARAGRAPH = 30
RESUMED_SHARE = 0.2
RESUME_REACH = 6  # blocks after the marker within which the story must go on: a box holds a few teasers


def _reach(blocks: list[Block], i: int) -> tuple[int, int]:
    """The blocks within `RESUME_REACH` of block `i`, before it and after it: from `first` to `past` (not
    included). Reach is counted in the source's blocks: one standing for a run of them (`Block.span`) counts
    as the run does."""
    first, before = i, 0
    while first > 0 and before + blocks[first - 1].span <= RESUME_REACH:
        first -= 1
        before += blocks[first].span
    past, after = i + 1, blocks[i].span
    while past < len(blocks) and after <= RESUME_REACH:
        after += blocks[past].span
        past += 1
    return first, past


def _same_home_soon(blocks: list[Block], sizes: list[int], i: int, first: int, past: int) -> bool:
    """Whether, in an HTML page, the next paragraphs after `i` sit in the same element as the ones before it
    (those from `first` to `past`, `_reach`)."""
    before = {blocks[j].home for j in range(first, i) if sizes[j] and blocks[j].home >= 0}
    after = [blocks[j].home for j in range(i + 1, past) if sizes[j]]
    return len(after) >= 2 and all(home in before for home in after[:2])


def _long_words_after(sizes: list[int], i: int) -> int:
    """Words in long paragraphs after `i` to the page's end: teaser blurbs are short, the story is not."""
    return sum(n for n in sizes[i + 1 :] if n >= LONG_PARAGRAPH)


def _long_soon(sizes: list[int], i: int, past: int) -> bool:
    """Whether a long paragraph follows `i` before block `past` (`_reach`)."""
    return any(n >= LONG_PARAGRAPH for n in sizes[i + 1 : past])


# Body words an article needs above a comments heading for that heading to end it.
COMMENTED_WORDS = 50


def _is_comments_marker(block: Block) -> bool:
    """A heading that opens the readers' comments ("Top Rated Comments", "[ 167 comments ]", "Kommentare")."""
    # Asked of most short lines below the body, which hold no piece of a comments phrase: no pattern tried.
    return vocab.may_open_comments(block.key) and vocab.COMMENTS_MARKER.match(block.text) is not None


def _is_tail_marker(block: Block) -> bool:
    """A heading that opens the page's recirculation: "Related", "More from", "Top Stories"."""
    if block.reason:  # a "Related" box the DOM marked inside the story is an aside, not the story's end
        return _is_comments_marker(block)
    if block.marker is None:  # asked of a site's short lines on every page: noted on the line's block
        named = vocab.names_any(block.text, vocab.TAIL_TRIGGERS)
        block.marker = named and vocab.TAIL_MARKER.search(block.text) is not None
    return block.marker


def _lead(head: list[Block], reasons: list[str | None], verdict: Verdict) -> None:
    """Before the first body paragraph only a headline and a dateline are article; the rest is page."""
    for i, block in enumerate(head):
        if reasons[i]:
            continue
        if _is_dateline(block.text):
            continue
        if block.bullet:
            reasons[i] = "teaser"
        elif verdict.title is None and (block.heading or len(block.text.split()) >= 3) and block.size <= 30:
            verdict.title = block.text
        else:
            reasons[i] = "nav"


# What a dateline standing alone ends with (`vocab.DATELINE_ALONE`; its `$` also matches before a final line break).
DATELINE_ENDS = ("-", "–", "—", ":", "-\n", "–\n", "—\n", ":\n")


def _is_dateline(text: str) -> bool:
    """A dateline standing alone ("SEOUL -"); its pattern is tried only on the few lines that end as one does."""
    return text.endswith(DATELINE_ENDS) and vocab.DATELINE_ALONE.match(text) is not None


def _middle(blocks: list[Block], reasons: list[str | None], first: int, last: int) -> None:
    """Inside the body, short lines are subheads unless they come in menu-like runs or are stray tokens.

    One pass: a run of short lines is judged where it ends, as menu lines or each on its own as a token.
    """
    run: list[int] = []  # short lines in a row (list items apart)
    for i in range(first, last + 2):
        short = i <= last and not reasons[i] and is_short(blocks[i])
        if short and not blocks[i].bullet:
            run.append(i)
            continue
        if len(run) >= 3:
            for j in run:
                reasons[j] = "nav"
        else:
            for j in run:
                if _is_stray(blocks[j].text):
                    reasons[j] = "stray"
        if short and _is_stray(blocks[i].text):  # a short list item
            reasons[i] = "stray"
        run = []


def _is_stray(text: str) -> bool:
    """Whether a short line is a stray token: one word in lower case."""
    return len(text.split()) == 1 and text.islower()


# A line this long that is mostly other kept paragraphs run together is a second copy of the story
# (one a page hides for search engines, flattened into one line by a text scraper).
COPY_WORDS = 100
COPY_SHARE = 0.5
COPY_PART_WORDS = 8  # shorter paragraphs (a dateline, a label) are not counted as repeated in it


def _mark_copies(blocks: list[Block], reasons: list[str | None]) -> None:
    """Mark very long lines that repeat the kept paragraphs as duplicates."""
    kept = [i for i, reason in enumerate(reasons) if not reason]
    long = [i for i in kept if blocks[i].size >= COPY_WORDS]
    if not long:
        return  # most pages: no line long enough to hold the others
    parts = [j for j in kept if blocks[j].size >= COPY_PART_WORDS]
    inside = _words_inside(blocks, long, parts)
    for i, words in zip(long, inside, strict=True):
        if words >= COPY_SHARE * blocks[i].size:
            reasons[i] = "duplicate"


def _words_inside(blocks: list[Block], long: list[int], parts: list[int]) -> list[int]:
    """For each long line, the words of the parts (other than itself) that its text holds.

    The long lines are searched as one text, a part at a time: most parts are in none of them, and one
    search over all the lines costs one call where a search of each line costs one a line.
    """
    texts = [blocks[i].text for i in long]
    joined = "\n".join(texts)
    ends = list(accumulate(len(text) + 1 for text in texts))  # where each line's separator stands, plus one
    inside = [0] * len(long)
    for j in parts:
        part = blocks[j].text
        at = joined.find(part)
        while at >= 0:
            k = bisect_right(ends, at)  # the line the match starts in
            if at + len(part) >= ends[k]:  # it runs over the separator: look on from the next place
                at = joined.find(part, at + 1)
                continue
            if long[k] != j:
                inside[k] += blocks[j].size
            at = joined.find(part, ends[k])  # a part counts once a line: look on in the next one
    return inside


# A paragraph printed twice is the page's doing (a sticky header, a caption and its alt text); list
# items and table rows shorter than this repeat in real articles (a recipe, a meal plan).
DOUBLED_WORDS = 10
DATELINE_WORDS = 8  # "WASHINGTON, Feb 20 -" and the like: a dateline alone is a few words


def _assemble(blocks: list[Block], reasons: list[str | None], verdict: Verdict, removals: Removals) -> Verdict:
    """Keep what has no reason to go, join lone datelines to their paragraph, lift credits to metadata.

    A site's pages remove the same lines for the same reasons: `removals` keeps one of each for the run.
    """
    _mark_copies(blocks, reasons)
    seen: set[str] = set()
    pending = ""
    remove, keep = verdict.removed.append, verdict.paragraphs.append  # looked up once, called a block
    for block, reason in zip(blocks, reasons, strict=True):
        text = block.text
        if not reason and block.size >= DOUBLED_WORDS:
            reason = "duplicate" if block.key in seen else None
            seen.add(block.key)
        if reason:
            if reason == "credit":
                verdict.credit = verdict.credit or _credit_value(text)
            removal = block.removal  # a line of plain text goes on most pages of its site, mostly for one reason
            if removal is None or removal.reason != reason:
                made = removals[reason]
                removal = made.get(text)
                if removal is None:
                    removal = made[text] = Removal(text, reason)
                block.removal = removal
            remove(removal)
            continue
        if block.size <= DATELINE_WORDS and _is_dateline(text):
            pending = f"{pending}{text} "
            continue
        keep(pending + text)
        pending = ""
    _lift_trailing_credit(verdict)
    return verdict


def _credit_value(line: str) -> str:
    """What a credit line credits: "Source: Al Jazeera" -> "Al Jazeera"; "Reporting by X" stays whole."""
    head, colon, rest = line.partition(":")
    return rest.strip() if colon and len(head.split()) <= 3 else line


TRAILING_CREDIT = re.compile(
    r"(?:(?<=[.!?\"”’])\s+(?P<caps>[A-Z][A-Z&. -]{1,30}|dpa)"  # "... for Russia. REUTERS"
    r"|\s*\((?P<paren>[A-Za-z &.-]{2,30})\)"  # "... for Russia (AFP)"
    r"|\s+[-–—]\s*(?P<dash>[A-Z][A-Za-z &.-]{1,30}))"  # "... for Russia — Reuters"
    r"\s*\.?\s*$"
)


CREDIT_TAIL = 80  # characters at the end of the last paragraph that hold any `TRAILING_CREDIT` (40 at most)


def _lift_trailing_credit(verdict: Verdict) -> None:
    """Move a wire agency's sign-off at the end of the last paragraph ("... REUTERS") into the credit."""
    if not verdict.paragraphs:
        return
    last = verdict.paragraphs[-1]
    # A sign-off is a few words at the very end of a text whose white space is folded: only its tail is searched.
    match = TRAILING_CREDIT.search(last, max(0, len(last) - CREDIT_TAIL))
    if not match:
        return
    name = next(group for group in match.groups() if group)
    if agency_named(name) is None:
        return
    verdict.paragraphs[-1] = last[: match.start()].rstrip()
    verdict.credit = verdict.credit or name.strip()
    verdict.removed.append(Removal(match.group(0).strip(), "credit"))
