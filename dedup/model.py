"""The small frozen records that travel down the line: read -> clean -> sign -> index -> cluster -> report."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt

Format = Literal["text", "html"]


@dataclass(frozen=True, slots=True)
class Article:
    """One scraped article as read, before cleaning.

    Args:
        id: Stable name: the file name without extensions, or the record's ``id``.
        body: The page as scraped: plain text, or HTML markup when ``format`` is ``"html"``.
        format: ``"text"`` or ``"html"``.
        path: Where it came from (a file, ``file:line`` for a record, ``-:line`` for stdin).
        url, title, date, source: Metadata the scraper supplied, if any.
    """

    id: str
    body: str
    format: Format = "text"
    path: str | None = None
    url: str | None = None
    title: str | None = None
    date: str | None = None
    source: str | None = None


@dataclass(frozen=True, slots=True)
class Skipped:
    """An input that was not read, and why (the run goes on without it)."""

    path: str
    reason: str


@dataclass(frozen=True, slots=True)
class Removal:
    """A span the cleaner took out of an article, with the kind of clutter it was."""

    text: str
    reason: str


@dataclass(frozen=True, slots=True)
class CleanArticle:
    """An article with its clutter removed: one paragraph a line, plus the metadata found on the way."""

    id: str
    text: str
    path: str | None = None
    url: str | None = None
    source: str | None = None
    title: str | None = None
    date: str | None = None
    credit: str | None = None
    removed: tuple[Removal, ...] = ()

    @property
    def paragraphs(self) -> list[str]:
        """The article's paragraphs, in order."""
        return [line for line in self.text.split("\n") if line]

    @property
    def words(self) -> int:
        """How many words the cleaned text holds."""
        return len(self.text.split())


@dataclass(frozen=True, slots=True, eq=False)
class Signature:
    """A MinHash signature of one article's shingle set.

    Args:
        id: The article's id.
        hashvalues: The MinHash values (``uint32``, one per permutation), as datasketch stores them.
        size: How many distinct shingles the set held; with two sizes a Jaccard estimate becomes a
            containment estimate.
    """

    id: str
    hashvalues: npt.NDArray[np.uint32]
    size: int


@dataclass(frozen=True, slots=True)
class Document:
    """What the report says of one article: its metadata, without its text."""

    id: str
    path: str | None = None
    url: str | None = None
    source: str | None = None
    title: str | None = None
    date: str | None = None
    credit: str | None = None
    words: int = 0
    lead: str = ""  # the article's first words, to show a person an article that has no headline

    @classmethod
    def of(cls, article: CleanArticle) -> Document:
        """The report's view of a cleaned article."""
        return cls(
            id=article.id,
            path=article.path,
            url=article.url,
            source=article.source,
            title=article.title,
            date=article.date,
            credit=article.credit,
            words=article.words,
            lead=" ".join(article.text.split()[:14]),
        )


@dataclass(frozen=True, slots=True)
class Pair:
    """Two articles the index proposed as copies, and what verification made of them.

    ``similarity`` is the estimated Jaccard similarity of their shingle sets; ``containment`` the
    estimated share of the smaller article's shingles found in the larger one.
    """

    a: str
    b: str
    similarity: float
    containment: float
    copy: bool


@dataclass(frozen=True, slots=True)
class Cluster:
    """Articles that are copies of one story: who carried it, and the copy that looks like the origin."""

    id: str
    members: tuple[str, ...]
    canonical: str
    similarity: float
    agency: str | None = None
    pairs: tuple[Pair, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class ScanResult:
    """Everything a scan found: every document read, the syndication clusters, the inputs skipped."""

    documents: tuple[Document, ...]
    clusters: tuple[Cluster, ...]
    skipped: tuple[Skipped, ...]
    pairs: tuple[Pair, ...] = ()

    def cluster_of(self, doc_id: str) -> Cluster | None:
        """The cluster an article belongs to, or None when it stands alone."""
        for cluster in self.clusters:
            if doc_id in cluster.members:
                return cluster
        return None
