"""What a site prints on every page: its template, learnt from several of its pages in one run.

A scraper that saves a site's pages as flat text keeps the site's menus, footers, promos and
author blurbs on every one of them. No rule can know them all, but across a run they give
themselves away: the same line on several pages of one site. A page's site is the host of its
URL (``www.`` dropped), or failing that its ``source`` field; pages with neither teach nothing.

Lines that several *different* sites print are never template: those are most often the wire
story itself, carried word for word by every site that bought it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import filterfalse
from urllib.parse import urlsplit

from dedup.model import Article

# A line is template once two pages of its site print it (a menu entry, a promo, an "About us"
# paragraph). Two pages carrying one story share several paragraphs: `blocks.classify` keeps those.
SHORT_PAGES = 2
PROSE_PAGES = 2
# Shares are counted over at least this many pages: two pages cannot show that a line is on every page.
SHARE_PAGES = 3
PROSE_WORDS = 25
# Lines this long are too rare to repeat by chance, and too costly to count on every page.
LONGEST_LINE = 2000


def site_of(article: Article) -> str | None:
    """The site an article comes from: its URL's host without ``www.``, else its source, else None."""
    host = host_of(article.url)
    if host:
        return host
    return article.source.strip().lower() if article.source and article.source.strip() else None


def host_of(url: str | None) -> str | None:
    """A URL's host without ``www.``, or None when there is no URL or no host in it."""
    host = urlsplit(url.strip()).hostname if url else None
    return host.removeprefix("www.") if host else None


def line_keys(lines: Iterable[str]) -> set[str]:
    """A page's distinct lines (white space folded, lower-cased): how lines are compared across pages."""
    keys = set(lines)
    keys.discard("")
    if max(map(len, keys), default=0) > LONGEST_LINE:
        keys = {key for key in keys if len(key) <= LONGEST_LINE}
    return keys


# A site's template: each repeated line (lower-cased), with the share of the site's pages printing it.
Template = dict[str, float]


class Lines:
    """What a run's pages print, counted page by page in any order: each site's pages and how many print
    each line, and how many sites print each line. A page's template comes from the counts of the whole
    run (`template`), so it does not depend on the order of the pages.

    Example:
        >>> lines = Lines()
        >>> for n in range(3):
        ...     lines.add("a.example", {"menu", f"story {n}"})
        >>> lines.template("a.example", {"menu", "story 1"})
        {'menu': 1.0}
    """

    def __init__(self) -> None:
        self.pages: Counter[str] = Counter()
        self.counts: dict[str, Counter[str]] = defaultdict(Counter)
        self.sites_of: Counter[str] = Counter()

    def add(self, site: str | None, keys: set[str]) -> None:
        """One page of a site, its distinct lines (`line_keys`); a page without a site teaches nothing."""
        if site is None:
            return
        counts = self.counts[site]
        self.sites_of.update(filterfalse(counts.__contains__, keys))  # its lines new to the site, counted in C
        counts.update(keys)
        self.pages[site] += 1

    def template(self, site: str | None, keys: set[str]) -> Template:
        """The lines of a page (`keys`) that its site prints on other pages too, with the share of its pages."""
        fewest = min(SHORT_PAGES, PROSE_PAGES)  # most lines are on one page: they fail this cheap test first
        if site is None or self.pages[site] < fewest or not (counts := self.counts.get(site)):
            return {}  # a site seen on fewer pages than any line needs (a line counts once a page): no template
        most = max(SHORT_PAGES, PROSE_PAGES)  # a line on this many pages needs no count of its words
        pages = max(self.pages[site], SHARE_PAGES)
        return {
            key: n / pages
            for key in keys
            if (n := counts[key]) >= fewest and (n >= most or n >= _pages_needed(key)) and self.sites_of[key] == 1
        }


def _pages_needed(key: str) -> int:
    """How many pages of one site must print a line before it counts as the site's template."""
    return PROSE_PAGES if key.count(" ") + 1 >= PROSE_WORDS else SHORT_PAGES
