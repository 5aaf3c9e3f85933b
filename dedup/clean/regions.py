"""Where a page's article lies, compiled: which clutter marks hold, which blocks lie outside the article,
and which are the lead paragraphs of teaser cards.

Each of these is a pass or two over a page's ~400 elements and ~100 blocks, counting the words of
prose up the element tree; in Python the loops cost a tenth of the HTML cleaner's time. These are
their compiled twins, held by the tests to the plain rules they replace (`tests/test_clean_regions.py`);
`dedup.clean.html` keeps the vocabulary, passes the rules' numbers in (`Rules`), and gives the reasons
their names.

Every value the loops read is defined in this file or passed in (numba's cache is per file; see
`dedup.kernels`). Trees are given as arrays of int64: each node's parent (-1 for a root), parents
numbered before their children, as the walk numbers elements and clutter marks as it meets them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from dedup.kernels import compiled, inlined

Ints = npt.NDArray[np.int64]
# What a block's prose test (`blocks.is_body`) reads besides its words and its reason, as bit flags:
# it is a heading, over half its text is link text, its last character ends a sentence.
HEADING, LINKED, ENDS = 1, 2, 4
# What the article's region makes of a block: nothing, outside the article, the lead of a teaser card.
KEPT, PAGE, TEASER = 0, 1, 2
# The rules' numbers, in `Rules`' order: a prose block's words, and those of one ending as a sentence
# (`blocks.is_body`); the share of the page's prose that saves a mark, the words that save a short
# one; the share of the prose the article's region holds; a teaser card's words at most.
Rules = tuple[int, int, float, int, float, int]
# The columns of a teaser card's counts, each element's: blocks, prose blocks, words, linked blocks.
BLOCKS, PROSE, WORDS, LINKS = range(4)
_CARD_COUNTS = 4


def ints(values: Sequence[int] | Ints) -> Ints:
    """Values as the loops take them: a writable, contiguous int64 array (see `dedup.kernels`)."""
    return np.ascontiguousarray(values, dtype=np.int64)


@inlined
def _is_body(reason: int, size: int, look: int, rules: Rules) -> bool:
    """`blocks.is_body`: no reason, no heading, at most half link text, and long or a sentence of some length."""
    if reason or look & (HEADING | LINKED):
        return False
    prose_words, sentence_words = rules[0], rules[1]
    return size >= prose_words or (size >= sentence_words and (look & ENDS) != 0)


@inlined
def _roll_up(parent: Ints, counts: Ints) -> None:
    """Each node's counts (a row each) plus its descendants', in place: one pass from the last node up, as
    parents come first."""
    for node in range(len(parent) - 1, -1, -1):
        up = parent[node]
        if up >= 0:
            for column in range(counts.shape[1]):
                counts[up, column] += counts[node, column]


@inlined
def _weigh(parent: Ints, holder: Ints, reasons: Ints, sizes: Ints, looks: Ints, rules: Rules) -> tuple[Ints, int]:
    """Each prose block's words credited to what holds it and all that encloses that (a column, one row a
    holder); also the page's total.

    `parent` is the tree of holders (elements or clutter marks), `holder` each block's innermost one, or -1.
    """
    weight = np.zeros((len(parent), 1), np.int64)
    total = 0
    for block in range(len(holder)):
        if _is_body(reasons[block], sizes[block], looks[block], rules):
            total += sizes[block]
            if holder[block] >= 0:
                weight[holder[block], 0] += sizes[block]
    _roll_up(parent, weight)
    return weight, total


@compiled
def resolve_marks(
    mark_reasons: Ints, mark_parent: Ints, short: Ints, marks: Ints, sizes: Ints, looks: Ints, rules: Rules
) -> Ints:
    """Each block's clutter reason (0: none): that of its outermost enclosing mark that holds clutter.

    A mark holds clutter unless it holds `rules[2]` of the page's prose, or, for a reason that `short`
    (indexed by reason) calls short clutter, `rules[3]` words of prose or more. Marks come after the
    marks enclosing them, so one pass in order finds each one's outermost.
    """
    prose_share, short_words = rules[2], rules[3]
    prose, total = _weigh(mark_parent, marks, np.zeros(len(marks), np.int64), sizes, looks, rules)
    outermost = np.empty(len(mark_parent), np.int64)  # each mark's outermost enclosing mark that holds, or -1
    for mark in range(len(mark_parent)):
        up = mark_parent[mark]
        words = prose[mark, 0]
        if up >= 0 and outermost[up] >= 0:
            outermost[mark] = outermost[up]
        elif words < prose_share * total and (not short[mark_reasons[mark]] or words < short_words):
            outermost[mark] = mark
        else:
            outermost[mark] = -1
    reasons = np.zeros(len(marks), np.int64)
    for block in range(len(marks)):
        if marks[block] >= 0 and outermost[marks[block]] >= 0:
            reasons[block] = mark_reasons[outermost[marks[block]]]
    return reasons


@compiled
def outside_article(
    parent: Ints, depth: Ints, homes: Ints, reasons: Ints, sizes: Ints, looks: Ints, headline: int, rules: Rules
) -> Ints:
    """What becomes of each block (KEPT, PAGE, TEASER), given its reason so far and the headline block (-1: none).

    Blocks before the headline, and blocks outside the region holding `rules[4]` of the prose, are PAGE,
    except prose between the headline and that region (a standfirst); a page without prose keeps all.
    """
    verdicts = np.zeros(len(homes), np.int64)
    weight, total = _weigh(parent, homes, reasons, sizes, looks, rules)
    if not total:
        return verdicts
    inside = _within(parent, _region(weight, depth, rules[4] * total))
    start = len(homes)  # the first block inside the region
    for block in range(len(homes)):
        if homes[block] >= 0 and inside[homes[block]]:
            start = block
            break
    for block in range(len(homes)):
        if reasons[block] or block == headline:
            continue
        if headline >= 0 and block < headline:
            verdicts[block] = PAGE  # teasers and menus printed above the article's own headline
        elif not (homes[block] >= 0 and inside[homes[block]]) and not (
            0 <= headline < block < start and _is_body(0, sizes[block], looks[block], rules)
        ):
            verdicts[block] = PAGE
    _mark_cards(parent, homes, reasons, sizes, looks, headline, rules, verdicts)
    return verdicts


@inlined
def _region(weight: Ints, depth: Ints, least: float) -> int:
    """The deepest element (the first met, of several) holding `least` words of prose, or -1.

    Deeper than that would cut the article in two.
    """
    region = -1
    for element in range(len(depth)):
        if weight[element, 0] >= least and (region < 0 or depth[element] > depth[region]):
            region = element
    return region


@inlined
def _within(parent: Ints, top: int) -> npt.NDArray[np.bool_]:
    """Which nodes of a tree are `top` or inside it (none for -1): one pass down, as parents come first."""
    inside = np.zeros(len(parent), np.bool_)
    if top < 0:
        return inside
    inside[top] = True
    for node in range(top + 1, len(parent)):
        up = parent[node]
        inside[node] = up >= 0 and inside[up]
    return inside


@inlined
def _mark_cards(
    parent: Ints, homes: Ints, reasons: Ints, sizes: Ints, looks: Ints, headline: int, rules: Rules, verdicts: Ints
) -> None:
    """Mark TEASER the lead paragraphs of teaser cards: a small element holding one paragraph of prose and
    a linked headline, the least element around the paragraph that holds another block.

    An article paragraph shares its element with the rest of the story; the headline's own header, with
    its standfirst and author link, is no card.
    """
    card_words = rules[5]
    counts = np.zeros((len(parent), _CARD_COUNTS), np.int64)
    body = np.zeros(len(homes), np.bool_)
    for block in range(len(homes)):
        body[block] = not verdicts[block] and _is_body(reasons[block], sizes[block], looks[block], rules)
        home = homes[block]
        if home >= 0:
            counts[home, BLOCKS] += 1
            counts[home, PROSE] += body[block]
            counts[home, WORDS] += sizes[block]
            counts[home, LINKS] += (looks[block] & LINKED) != 0
    _roll_up(parent, counts)
    if headline >= 0:
        element = homes[headline]
        while element >= 0:
            counts[element, LINKS] = 0  # a link of the headline's own header makes none of them a card
            element = parent[element]
    for block in range(len(homes)):
        if not body[block]:
            continue
        home = homes[block]
        while home >= 0 and counts[home, BLOCKS] < 2:
            home = parent[home]
        if home >= 0 and counts[home, PROSE] == 1 and counts[home, LINKS] and counts[home, WORDS] <= card_words:
            verdicts[block] = TEASER


@compiled
def short_in_runs(codes: Ints, sizes: Ints, alone: int, words: int) -> Ints:
    """The blocks of at most `words` words that go for the reason of a block beside them (a reason other than
    0 and `alone`): those a run of clutter would hold, whose text `html._spans` must look at."""
    found = np.empty(len(codes), np.int64)
    count = 0
    for block in range(len(codes)):
        code = codes[block]
        if code == 0 or code == alone or sizes[block] > words:
            continue
        if (block > 0 and codes[block - 1] == code) or (block + 1 < len(codes) and codes[block + 1] == code):
            found[count] = block
            count += 1
    return found[:count]


@compiled
def run_starts(codes: Ints, alone: int, apart: Ints) -> Ints:
    """Where each run of blocks going for one reason starts, in order: a block starts one unless it goes for
    the reason of the block before it, that reason being neither 0 nor `alone`, and neither block is one of
    `apart` (sorted)."""
    starts = np.empty(len(codes), np.int64)
    count = 0
    next_apart = 0  # the first of `apart` not behind the block
    for block in range(len(codes)):
        code = codes[block]
        own = next_apart < len(apart) and apart[next_apart] == block
        joins = block > 0 and code != 0 and code != alone and codes[block - 1] == code and not own
        if joins and next_apart > 0 and apart[next_apart - 1] == block - 1:
            joins = False  # the block before it stands apart
        if own:
            next_apart += 1
        if not joins:
            starts[count] = block
            count += 1
    return starts[:count]
