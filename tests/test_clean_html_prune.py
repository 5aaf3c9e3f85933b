"""The HTML cleaner's furniture reasons (`html._furniture_reason`) are those its plain definition gives."""

from __future__ import annotations

import itertools

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


def test_skipped_elements_go_whole_with_the_furniture_they_hold() -> None:
    # The walk passes over these with all they hold: furniture among it is no piece of its own.
    page = (
        '<body><p>Story text here.</p><button><span aria-hidden="true">Close</span></button><button hidden>Menu'
        '</button><video><div style="display:none">Fallback</div></video><iframe hidden></iframe>'
        "<nav>Home <button><span hidden>Search</span></button></nav><div hidden>Gone</div></body>"
    )
    root = LexborHTMLParser(page).body
    assert root is not None
    pieces = html._prune(root)
    assert [(piece.text, piece.reason) for piece in pieces] == [("Home Search", "nav"), ("Gone", "hidden")]
