"""The HTML cleaner's furniture reasons (`html._furniture_reason`) are those its plain definition gives."""

from __future__ import annotations

import itertools
import random

from selectolax.lexbor import LexborHTMLParser, LexborNode

from dedup.clean import html


def plain_reason(node: LexborNode) -> str:
    """The first row of `html.FURNITURE` that names a node, from its tag and all its attributes."""
    tag, role = node.tag, node.attributes.get("role")
    if tag == "nav" or role == "navigation":
        return "nav"
    if tag == "footer" or role == "contentinfo":
        return "footer"
    return "teaser" if tag == "aside" else "hidden"


def test_the_furniture_reason_is_the_plain_one() -> None:
    tags = ["nav", "footer", "aside", "div", "span", "li", "NAV"]
    roles = ["", ' role="navigation"', ' role="contentinfo"', ' ROLE="navigation"', ' role="Navigation"', " role"]
    roles += [' role=""', ' role="contentinfo" role="navigation"', ' role="navigation x"']
    others = ["", " hidden", ' aria-hidden="true"', ' style="display:none"']
    elements = [f"<{tag}{role}{other}>x</{tag}>" for tag, role, other in itertools.product(tags, roles, others)]
    root = LexborHTMLParser(f"<body>{''.join(elements)}</body>").body
    assert root is not None
    found = root.css(html._FURNITURE)
    assert len(found) > 300
    for node in found:
        assert html._furniture_reason(node) == plain_reason(node), node.html


def plain_found(root: LexborNode) -> tuple[list[int], list[int], list[int]]:
    """What the prune's query finds, split by tag name: dropped, furniture, and <meta> and <link>."""
    dropped, furniture, declared = [], [], []
    for node in root.css(html._DROPPED_OR_FURNITURE):
        if node.tag in html._DROPPED:
            dropped.append(node.mem_id)
            if node.tag in ("meta", "link"):
                declared.append(node.mem_id)
        else:
            furniture.append(node.mem_id)
    return dropped, furniture, declared


def test_the_prune_tells_dropped_elements_by_tag_as_their_names_do() -> None:
    rng = random.Random(3)
    tags = [*sorted(html._DROPPED - {"plaintext"}), "div", "nav", "my-element", "font", "foreignObject", "image"]
    settings = ["", "<svg>", "<math><mi>", "<svg><foreignObject>", "<table>", "<select>", "<template>", "<p>"]
    for _ in range(500):
        parts = []
        for _ in range(rng.randint(1, 12)):
            tag = rng.choice([*tags, tags[0].upper()])
            attributes = rng.choice(["", " hidden", ' role="navigation"', ' style="display:none"'])
            parts.append(f"{rng.choice(settings)}<{tag}{attributes}>x</{tag}>")
        if rng.random() < 0.1:
            parts.append("<plaintext hidden>rest")
        root = LexborHTMLParser(f"<body>{''.join(parts)}</body>").body
        assert root is not None
        found = html._found(root)
        ids = tuple([node.mem_id for node in nodes] for nodes in (found.dropped, found.furniture, found.declared))
        assert ids == plain_found(root)
