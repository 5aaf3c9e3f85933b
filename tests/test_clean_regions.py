"""The compiled article region (`dedup.clean.regions`) marks the blocks that the plain rules it replaced do."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace

from dedup.clean import html, markup, regions
from dedup.clean.blocks import Block, is_body

# The plain rules: the HTML cleaner's Python loops over its walk, as they stood before they were compiled.


@dataclass
class PlainWalk:
    """A walk as lists: the elements' tree, the clutter marks' tree (reasons by name), the blocks."""

    parent: list[int]
    depth: list[int]
    flag_reason: list[str]
    flag_parent: list[int]
    blocks: list[Block]
    homes: list[int]
    marks: list[int]

    def ancestors(self, element: int) -> Iterator[int]:
        """An element and every element enclosing it."""
        while element >= 0:
            yield element
            element = self.parent[element]


def resolve_marks(walk: PlainWalk) -> None:
    """Apply clutter marks, except on elements that hold much of the page's prose."""
    prose, total = weigh(walk, walk.flag_parent, walk.marks)
    outermost: list[str | None] = []
    for f, (reason, up) in enumerate(zip(walk.flag_reason, walk.flag_parent, strict=True)):
        outer = outermost[up] if up >= 0 else None
        outermost.append(outer or (reason if holds_clutter(reason, prose[f], total) else None))
    for block, mark in zip(walk.blocks, walk.marks, strict=True):
        block.reason = outermost[mark] if mark >= 0 else None


def weigh(walk: PlainWalk, parent: list[int], holder: list[int]) -> tuple[list[int], int]:
    """Each prose block's words credited to what holds it and all that encloses that; also the page's total."""
    own = [0] * len(parent)
    total = 0
    for block, inner in zip(walk.blocks, holder, strict=True):
        if is_body(block):
            total += block.size
            if inner >= 0:
                own[inner] += block.size
    return rolled_up(parent, own), total


def rolled_up(parent: list[int], own: list[int]) -> list[int]:
    """Each node's own count plus its descendants'."""
    total = own[:]
    for node in range(len(parent) - 1, -1, -1):
        count = total[node]
        if count and (up := parent[node]) >= 0:
            total[up] += count
    return total


def holds_clutter(reason: str, prose: int, total: int) -> bool:
    """Whether a clutter-marked element is what its mark says, given how much prose it holds."""
    if prose >= html.PROSE_SHARE * total:
        return False
    return reason not in html.SHORT_CLUTTER or prose < html.SHORT_CLUTTER_WORDS


def within(parent: list[int], top: int) -> list[bool]:
    """Which nodes of a tree are `top` or inside it."""
    inside = [False] * len(parent)
    for node in range(top, len(parent)):
        up = parent[node]
        inside[node] = node == top or (up >= 0 and inside[up])
    return inside


def outside_article(walk: PlainWalk, title: str | None) -> None:
    """Mark blocks before the headline, and blocks outside the region holding the prose."""
    weight, total = weigh(walk, walk.parent, walk.homes)
    if not total:
        return
    held = [e for e, w in enumerate(weight) if w >= html.REGION_SHARE * total]
    region = max(held, key=lambda e: walk.depth[e])
    under = within(walk.parent, region)
    inside = [home >= 0 and under[home] for home in walk.homes]
    headline = html._headline(walk.blocks, title)
    start = inside.index(True) if True in inside else len(inside)
    for i, block in enumerate(walk.blocks):
        if block.reason or i == headline:
            continue
        if headline is not None and i < headline:
            block.reason = "page"  # teasers and menus printed above the article's own headline
        elif not inside[i] and not (headline is not None and headline < i < start and is_body(block)):
            block.reason = "page"
    mark_cards(walk, headline)


def mark_cards(walk: PlainWalk, headline: int | None) -> None:
    """Mark the lead paragraphs of teaser cards."""
    count = len(walk.parent)
    blocks, prose, words, links = [0] * count, [0] * count, [0] * count, [0] * count
    body = [is_body(block) for block in walk.blocks]
    for block, home, is_prose in zip(walk.blocks, walk.homes, body, strict=True):
        if home < 0:
            continue
        blocks[home] += 1
        prose[home] += is_prose
        words[home] += block.size
        links[home] += block.link_density > 0.5
    roll_up(walk.parent, blocks, prose, words, links)
    linked = [n > 0 for n in links]
    if headline is not None:
        for element in walk.ancestors(walk.homes[headline]):
            linked[element] = False
    for i, block in enumerate(walk.blocks):
        if not body[i]:
            continue
        home = next((e for e in walk.ancestors(walk.homes[i]) if blocks[e] >= 2), -1)
        if home >= 0 and prose[home] == 1 and linked[home] and words[home] <= html.CARD_WORDS:
            block.reason = "teaser"


def roll_up(parent: list[int], blocks: list[int], prose: list[int], words: list[int], links: list[int]) -> None:
    """`rolled_up` of a card's four counts at once, in place."""
    for node in range(len(parent) - 1, -1, -1):
        held = blocks[node]
        if held and (up := parent[node]) >= 0:
            blocks[up] += held
            prose[up] += prose[node]
            words[up] += words[node]
            links[up] += links[node]


# Random pages: trees numbered as the walk numbers them (parents first; a first element standing for
# nothing, then the body), blocks of every size around the prose test's bounds, headings naming the title.
TITLE = "Bridge over the river reopens"
SIZES = [1, 3, 7, 8, 9, 24, 25, 26, 40, 60, 99, 101, 149, 150, 151, 300]
ENDINGS = [".", "?", ")", "”", "", "x", ":"]
DENSITIES = [0.0, 0.2, 0.5, 0.51, 1.0]


def random_page(rng: random.Random) -> tuple[PlainWalk, str | None]:
    """A random walk over a random page, and its declared title (or none)."""
    elements = rng.randint(2, 40)
    parent = [-1, -1] + [rng.randint(1, e - 1) if rng.random() < 0.7 else e - 1 for e in range(2, elements)]
    depth = [0, 1]
    for e in range(2, elements):
        depth.append(depth[parent[e]] + 1)
    marks = rng.randint(0, 8)
    flag_parent = [rng.randint(-1, f - 1) for f in range(marks)]
    flag_reason = [rng.choice(markup.REASONS[1:]) for _ in range(marks)]
    blocks, homes, block_marks = [], [], []
    for _ in range(rng.randint(0, 30)):
        heading = rng.random() < 0.2
        size = rng.choice(SIZES)
        text = TITLE if heading and rng.random() < 0.4 else " ".join(["word"] * size) + rng.choice(ENDINGS)
        blocks.append(Block(text, heading, False, rng.choice(DENSITIES), size=size))
        homes.append(-1 if heading and rng.random() < 0.1 else rng.randint(1, elements - 1))
        block_marks.append(rng.randint(-1, marks - 1) if rng.random() < 0.4 else -1)
    walk = PlainWalk(parent, depth, flag_reason, flag_parent, blocks, homes, block_marks)
    return walk, rng.choice([None, TITLE, TITLE.upper() + " | The Daily"])


def compiled_walk(walk: PlainWalk, reasons: list[int], blocks: list[Block]) -> html._Walk:
    """A plain walk as the compiled rules take it: int64 arrays, and each block's words and look."""
    ints = regions.ints
    return html._Walk(
        ints(walk.parent),
        ints(walk.depth),
        ints(reasons),
        ints(walk.flag_parent),
        blocks,
        ints(walk.homes),
        ints(walk.marks),
        ints([block.size for block in blocks]),
        ints([html._look(block) for block in blocks]),
    )


def compiled_reasons(walk: PlainWalk, title: str | None) -> tuple[list[str | None], list[str | None]]:
    """The blocks' reasons after the compiled marks step, and after the compiled region step."""
    blocks = [replace(block) for block in walk.blocks]
    codes = [markup.REASONS.index(reason) for reason in walk.flag_reason]
    compiled = compiled_walk(walk, codes, blocks)
    reasons = html._resolve_marks(compiled)
    marked = [block.reason for block in blocks]
    html._outside_article(compiled, reasons, title)
    return marked, [block.reason for block in blocks]


def test_the_compiled_region_marks_what_the_plain_rules_do() -> None:
    rng = random.Random(11)
    outcomes: Counter[str] = Counter()
    for _ in range(3000):
        walk, title = random_page(rng)
        marked, final = compiled_reasons(walk, title)
        resolve_marks(walk)
        assert marked == [block.reason for block in walk.blocks], walk
        before = marked[:]
        outside_article(walk, title)
        assert final == [block.reason for block in walk.blocks], (walk, title)
        outcomes.update(f"{mark >= 0}:{reason}" for mark, reason in zip(walk.marks, marked, strict=True))
        outcomes.update(f"{old}->{new}" for old, new in zip(before, final, strict=True) if old != new)
    # Every rule had its say: marks kept and lifted, blocks outside the article, teaser cards' leads.
    assert outcomes["True:None"] and outcomes["None->page"] and outcomes["None->teaser"], outcomes
    assert sum(n for key, n in outcomes.items() if key.startswith("True:") and key != "True:None"), outcomes


def test_a_page_without_prose_keeps_its_blocks() -> None:
    walk = PlainWalk([-1, -1, 1], [0, 1, 2], [], [], [Block("Menu", size=1), Block("Home", size=1)], [1, 2], [-1, -1])
    assert compiled_reasons(walk, TITLE) == ([None, None], [None, None])


def test_runs_of_one_reason_start_where_the_plain_rule_says() -> None:
    rng = random.Random(3)
    for _ in range(2000):
        n = rng.randint(0, 30)
        codes = [rng.choice([0, 0, 1, 1, 1, 2, 3]) for _ in range(n)]
        sizes = [rng.randint(1, 12) for _ in range(n)]
        apart = sorted(rng.sample(range(n), rng.randint(0, min(n, 4))))
        in_run = [
            code not in (0, 3) and ((i > 0 and codes[i - 1] == code) or (i + 1 < n and codes[i + 1] == code))
            for i, code in enumerate(codes)
        ]
        short = [i for i in range(n) if in_run[i] and sizes[i] <= 8]
        starts = [
            i
            for i in range(n)
            if not (i > 0 and codes[i] not in (0, 3) and codes[i] == codes[i - 1] and {i, i - 1}.isdisjoint(apart))
        ]
        assert regions.short_in_runs(regions.ints(codes), regions.ints(sizes), 3, 8).tolist() == short
        assert regions.run_starts(regions.ints(codes), 3, regions.ints(apart)).tolist() == starts
