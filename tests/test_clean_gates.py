"""The cheap tests that spare lines a pattern, held to the patterns and definitions they stand in for."""

from __future__ import annotations

import random
import re
from itertools import pairwise

from dedup.clean import vocab
from dedup.clean.blocks import (
    CAPTION_INITIALS,
    GLUED,
    GLUED_PAIR,
    PUNCTUATED,
    TAG_LIST,
    Block,
    Memo,
    _caption_start,
    _is_dateline,
    _is_tag_list,
    _mark_copies,
    _plain_reason,
    folded,
    is_body,
    is_doubled,
    line_reason,
    measured,
)

CAPTION_TAILS = ["in this photo", "this image", "file photo", "file - x", "photo: x", "image: x", "picture: x"]
CAPTION_TAILS += ["foto: x", "bild: x", "photo credit", "pictured: x", "caption: x", "x"]


def _taken_for(letters: str) -> set[str]:
    """The characters of the Basic Multilingual Plane (where all of them are) that case-insensitive matching takes
    for one of these letters."""
    return {
        char
        for char in map(chr, range(0x10000))
        if char.isalpha() and any(re.fullmatch(letter, char, re.IGNORECASE) for letter in letters)
    }


def test_a_line_spared_the_caption_pattern_by_its_first_letter_is_one_the_pattern_cannot_match() -> None:
    assert _taken_for("itfpbc") <= CAPTION_INITIALS  # "İn this photo" is a caption to the pattern
    rng = random.Random(3)
    words = [chr(code) for code in range(0x10000) if chr(code).isalnum() or chr(code) == "_"]
    firsts = sorted(CAPTION_INITIALS) + rng.sample(words, 3000) + list("—(•«'\" ")
    for first in firsts:
        for tail in CAPTION_TAILS:
            text = first + tail[1:]
            assert _caption_start(text) == (vocab.CAPTION_START.match(text) is not None), text
            text = first + tail
            assert _caption_start(text) == (vocab.CAPTION_START.match(text) is not None), text


def _doubled(text: str) -> bool:
    """One text printed twice, by definition: two equal halves, or two with one space between."""
    if len(text) < 40:
        return False
    half = len(text) // 2
    return text[:half] == text[-half:] and (len(text) % 2 == 0 or text[half] == " ")


def test_doubled_lines_are_found_as_their_definition_finds_them() -> None:
    rng = random.Random(7)
    words = ["Pictured", "a", "man", "walks", "Mann", "x", "the", "AP", "über", "—", "ab", "ba"]
    for _ in range(20_000):
        half = " ".join(rng.choice(words) for _ in range(rng.randint(1, 12)))
        other = half if rng.random() < 0.5 else half[:-1] + rng.choice("ab ")
        text = half + rng.choice(["", " ", "  "]) + other
        assert is_doubled(text) == _doubled(text), text


def _tag_list(text: str, n: int) -> bool:
    """A tag cloud, by definition: 25 to 120 words, no punctuation, their initials mostly in alphabetical order."""
    if not TAG_LIST[0] <= n <= TAG_LIST[1] or PUNCTUATED.search(text):
        return False
    initials = [word[0] for word in text.casefold().split() if word[0].isalpha()]
    rises = sum(a < b for a, b in pairwise(initials))
    return rises >= 5 and rises >= 3 * sum(a > b for a, b in pairwise(initials))


def test_a_tag_list_is_found_as_its_definition_finds_it_whatever_marks_its_words_hold() -> None:
    rng = random.Random(11)
    marks = [",", ".", ";", "!", "。", "，", "-", "'", "", "", "", ""]
    for _ in range(5_000):
        n = rng.randint(TAG_LIST[0] - 2, TAG_LIST[0] + 10)
        words = sorted(
            f"{chr(97 + rng.randrange(26))}{rng.choice(marks) if rng.random() < 0.05 else ''}x" for _ in range(n)
        )
        text = " ".join(words)
        assert _is_tag_list(text, n) == _tag_list(text, n), text


def test_a_line_spared_the_dateline_pattern_by_its_last_character_is_one_the_pattern_cannot_match() -> None:
    rng = random.Random(17)
    chars = "AZÀÝÉ ,.'’/-–—:()\n\tae1" + "SEOUL"
    lines = ["SEOUL -", "WASHINGTON, Feb 20 -", "PARIS (AFP) —", "BERLIN:", "BERLIN:\n", "BERLIN -\n\n", "Seoul -"]
    lines += ["".join(rng.choice(chars) for _ in range(rng.randint(0, 14))) for _ in range(30_000)]
    for line in lines:
        assert _is_dateline(line) == (vocab.DATELINE_ALONE.match(line) is not None), line


def _lower_forms_of(chars: str) -> set[str]:
    """What lower() makes of each character (all of Unicode) that case-insensitive matching takes for one of these."""
    every = "".join(chr(code) for code in range(0x110000) if not 0xD800 <= code < 0xE000)
    return {char.lower() for char in re.findall(f"[{re.escape(chars)}]", every, re.IGNORECASE)}


def test_a_line_spared_the_comments_pattern_holds_no_piece_of_a_comments_phrase_in_any_case() -> None:
    hinted = "".join(sorted(set("".join(vocab.COMMENT_HINTS))))
    assert _lower_forms_of(hinted) <= set(hinted)  # no "ı" or "ſ" that lower() would keep from a hint
    assert all(vocab.may_open_comments(phrase) for phrase in vocab._COMMENT_PHRASES)
    for hint in vocab.COMMENT_HINTS:
        assert vocab.may_open_comments(f"x{hint}x")
        assert not vocab.may_open_comments(hint[:-1] + "#" + hint[-1:])
    lines = ["TOP RATED COMMENTS", "[ 167 comments ]", "Kommentare (3)", "JOIN THE DISCUSSION", "Leave a Reply"]
    lines += ["Comentários 12", "Related", "Menu", "Share this", "Commenti", "Lascia un commento:"]
    for line in lines:
        matched = vocab.COMMENTS_MARKER.match(line) is not None
        assert matched <= vocab.may_open_comments(line.lower()), line


def test_a_line_names_the_words_its_tokens_hold() -> None:
    for line in ["Related Stories", "«Mehr zum Thema»", "Top-Stories:", "Lo más leído", "Nothing here", ""]:
        assert vocab.names_any(line, vocab.TAIL_TRIGGERS) == (not vocab.tokens(line).isdisjoint(vocab.TAIL_TRIGGERS))


def test_plain_lines_become_the_blocks_their_folded_text_makes() -> None:
    lines = ["  • Indented item", "Tab\tand  double  spaces.", "", "\u3000", "* star item", "ΟΔΟΣ ΣΤΗΝ ΑΘΗΝΑ"]
    lines += ["A plain sentence that runs for eight words here.", "新华社北京电" * 20, "Share", "Share"]
    expected = [made for line in lines if (made := folded(line)) is not None]
    blocks = measured(lines, Memo())
    assert [(block.text, block.size, block.bullet) for block in blocks] == expected
    assert [block.key for block in blocks] == [text.lower() for text, _, _ in expected]
    assert [block.prose for block in blocks] == [is_body(block) for block in blocks]


def _copies(blocks: list[Block], reasons: list[str | None]) -> list[str | None]:
    """The long lines that repeat the kept paragraphs, by definition: half their words are other kept paragraphs."""
    marked = list(reasons)
    kept = [i for i, reason in enumerate(reasons) if not reason]
    for i in kept:
        others = [j for j in kept if j != i and blocks[j].size >= 8]
        inside = sum(blocks[j].size for j in others if blocks[j].text in blocks[i].text)
        if blocks[i].size >= 100 and inside >= 0.5 * blocks[i].size:
            marked[i] = "duplicate"
    return marked


def _page_with_copies(rng: random.Random, paragraphs: int) -> tuple[list[Block], list[str | None]]:
    """A page of paragraphs (any white space, some of one or two words) and long lines that repeat some of them."""
    # Many words of several lengths: a word a paragraph is filed under is rarely in a line by chance.
    words = ["the", "said", "x", "新华社", "über", *(f"{n:x}" * (1 + n % 3) for n in range(3000))]
    spaces = [" "] * 8 + ["\t", "\u00a0", "  "]

    def text(n: int) -> str:
        return "".join(rng.choice(words) + rng.choice(spaces) for _ in range(n)).strip()

    texts = [text(rng.choice([1, 2, rng.randint(3, 40)])) for _ in range(paragraphs)]
    for _ in range(rng.randint(1, 3)):
        copied = rng.sample(texts, rng.randint(1, len(texts)))
        glue = rng.choice([" ", "", "x", "\n"])  # a paragraph may be found inside another's words
        texts.append(glue.join([*copied, *["padding"] * rng.randint(0, 90)]))
    if rng.random() < 0.2:
        texts.append(texts[-1])
    blocks = [Block(text, size=max(len(text.split()), rng.choice([0, 8, 8, 100]))) for text in texts]
    return blocks, [rng.choice([None] * 9 + ["nav"]) for _ in blocks]


def test_long_lines_that_repeat_the_story_are_found_as_their_definition_finds_them() -> None:
    rng = random.Random(5)
    for paragraphs in [*range(1, 9), 45, 60]:
        for _ in range(100):
            blocks, reasons = _page_with_copies(rng, paragraphs)
            expected = _copies(blocks, reasons)
            _mark_copies(blocks, reasons)
            assert reasons == expected


def test_a_line_judged_on_the_words_rules_look_for_is_judged_as_on_all_its_words() -> None:
    rng = random.Random(19)
    asked = sorted(vocab.WANTED)
    others = ["the", "minister", "said", "Tuesday", "über", "x1", "2024", "Reuters", "AP", "Jane", "Doe"]
    marks = [" "] * 12 + [", ", ": ", ". ", " | ", " - ", "/", "(", ")", "“", "”", " © "]
    lines = ["Share this article", "Share on Facebook Twitter Email", "Photo: AP", "Sign up for our newsletter"]
    for _ in range(20_000):
        words = [rng.choice(asked if rng.random() < 0.4 else others) for _ in range(rng.randint(1, 16))]
        line = "".join(word + rng.choice(marks) for word in words).strip()
        lines.append(line.capitalize() if rng.random() < 0.5 else line)
    kept = vocab.tokens_of([line.lower() for line in lines])
    for line, words in zip(lines, kept, strict=True):
        n = len(line.split())
        assert line_reason(line, n, words) == line_reason(line, n, vocab.tokens(line)), line


def test_a_line_judged_no_end_marker_is_none_by_the_marker_rule() -> None:
    rng = random.Random(23)
    words = ["Related", "stories", "More", "from", "Top", "the", "news", "Comments", "(3)", "Share", "über", "—"]
    lines = [*vocab._TAIL_PHRASES, "Related", "Top Stories:", "MOST READ", "Lesen Sie auch", "Lo más leído"]
    lines += [" ".join(rng.choice(words) for _ in range(rng.randint(1, 10))) for _ in range(3_000)]
    blocks = measured(lines, Memo())
    noted = [block for block in blocks if block.marker is not None]
    assert len(noted) > 100
    for block in noted:
        named = vocab.names_any(block.text, vocab.TAIL_TRIGGERS)
        assert block.marker == (named and vocab.TAIL_MARKER.search(block.text) is not None), block.text


def test_a_line_is_glued_where_the_glue_pattern_finds_a_place_to_split_it() -> None:
    rng = random.Random(29)
    chars = "azAZàÿÀÝÞß÷×éÉ 1-" + "TeilenDrucken"
    for _ in range(30_000):
        text = "".join(rng.choice(chars) for _ in range(rng.randint(0, 12)))
        assert (GLUED_PAIR.search(text) is None) == (GLUED.search(text) is None), text


def _plain(text: str, n: int) -> str | None:
    """A line without trigger words, by the plain rules: a caption's credit or a doubled text, then (if it is not
    a sentence) a byline or glued share buttons, then a copyright line."""
    if (text.endswith((")", "]")) and vocab.CAPTION_CREDIT.search(text[-200:])) or is_doubled(text):
        return "caption"
    if n <= 15 and not (n >= 5 and text[-1:] in '.!?…。！？:;"”’»)]'):
        if vocab.BYLINE.match(text):
            return "byline"
        glued = vocab.tokens(GLUED.sub(" ", text))
        if n <= 6 and GLUED.search(text) and glued and glued <= vocab.SHARE_WORDS:
            return "share"
    return "legal" if "©" in text and vocab.LEGAL.search(text) else None


def test_a_line_without_trigger_words_is_judged_by_the_plain_rules() -> None:
    rng = random.Random(31)
    words = ["By", "by", "Von", "Par", "Di", "Jane", "Doe", "TeilenDrucken", "ShareTweet", "Tweet", "the", "über"]
    words += ["(Photo", "AP)", "[Getty", "Images]", "©", "2024", "Reserved", "x", "Bild:", "ÄÖ", "a.", "said."]
    lines = ["By Jane Doe", "TeilenDrucken", "ShareTweetEmail", "(Photo: AP)", "© 2024 The Times. All rights reserved"]
    for _ in range(30_000):
        line = " ".join(rng.choice(words) for _ in range(rng.randint(1, 18)))
        lines.append(line + " " + line if rng.random() < 0.05 else line)
    for line in lines:
        n = len(line.split())
        assert _plain_reason(line, n) == _plain(line, n), line
