"""What every index answers: the stage between signing and clustering, in memory or on disk."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from dedup.model import Columns, Document, Pair, Signature, Signatures

Rows = npt.NDArray[np.int64]


class Index(Protocol):
    """Signatures with LSH look-ups, plus what clustering needs later: metadata, pairs, links.

    `MemoryIndex` keeps it for one process; `SqliteIndex` in a file that outlives it.
    """

    def __len__(self) -> int: ...

    def __contains__(self, doc_id: object) -> bool: ...

    def candidates(self, signature: Signature) -> list[str]:
        """Ids of indexed articles sharing an LSH band with the signature: possible copies."""
        ...

    def related(self, signature: Signature, threshold: float = 0.0, min_names: int = 1) -> list[str]:
        """Ids of indexed articles sharing a band of names with the signature: possible related reports.

        With a `threshold`, only those sharing at least that much of its names MinHash and naming at
        least `min_names` names (as `dedup.related.related_among` decides): its related reports.
        """
        ...

    def gather(self, ids: Sequence[str]) -> Signatures:
        """The signatures of some indexed articles as arrays, a row each, in the order of `ids`."""
        ...

    def insert_many(
        self,
        signatures: Sequence[Signature],
        documents: Sequence[Document | None],
        fingerprints: Sequence[int],
        threshold: float = 0.0,
        min_names: int = 1,
    ) -> list[tuple[list[str], list[str]]]:
        """Add articles in order, each after its earlier version is removed and its `candidates` and
        `related` (with `threshold` and `min_names`) are looked up; what each look-up found (`insert_each`)."""
        ...

    def signature(self, doc_id: str) -> Signature:
        """The signature indexed under an id."""
        ...

    def signatures_of(self, ids: Iterable[str]) -> dict[str, Signature]:
        """The signatures of some indexed articles."""
        ...

    def insert(self, signature: Signature, document: Document | None = None, fingerprint: int = 0) -> None:
        """Add an article; an id indexed before is replaced, its pairs and links forgotten."""
        ...

    def remove(self, doc_id: str) -> bool:
        """Forget an article with its pairs and links; whether it was indexed."""
        ...

    def fingerprint(self, doc_id: str) -> int | None:
        """The fingerprint of the text indexed under an id; None when it is not indexed."""
        ...

    def document(self, doc_id: str) -> Document:
        """The metadata indexed under an id."""
        ...

    def documents(self) -> Iterator[Document]:
        """Every indexed article's metadata, in the order added."""
        ...

    def add_pairs(self, pairs: Iterable[Pair]) -> None:
        """Keep verified pairs."""
        ...

    def pairs_of(self, doc_id: str) -> list[Pair]:
        """The verified pairs an article is in."""
        ...

    def pairs(self) -> Iterator[Pair]:
        """Every verified pair, once."""
        ...

    def add_links(self, links: Iterable[tuple[str, str]]) -> None:
        """Keep related links."""
        ...

    def links(self) -> Iterator[tuple[str, str]]:
        """Every related link, once."""
        ...

    def links_touching(self, ids: Collection[str]) -> list[tuple[str, str]]:
        """The related links with an end among `ids`, once each, sorted: those of one run's articles."""
        ...

    def commit(self) -> None:
        """Make what was added so far durable."""
        ...

    def close(self) -> None:
        """Release the index's resources."""
        ...


def insert_each(
    index: Index,
    signatures: Sequence[Signature],
    documents: Sequence[Document | None],
    fingerprints: Sequence[int],
    threshold: float = 0.0,
    min_names: int = 1,
) -> list[tuple[list[str], list[str]]]:
    """`Index.insert_many` one article after the other: what an index does that has no quicker way."""
    found = []
    for signature, document, fingerprint in zip(signatures, documents, fingerprints, strict=True):
        index.remove(signature.id)
        found.append((index.candidates(signature), index.related(signature, threshold, min_names)))
        index.insert(signature, document, fingerprint)
    return found


@dataclass(frozen=True)
class LinkRows:
    """Related links between numbered articles, a pair of numbers each: a million articles have tens of
    millions of links, too many to hold as pairs of strings.

    Args:
        ids: The id of each number (numbers no longer in `rows` are never linked).
        rows: The number of each article, at least of every one linked or in a cluster.
        blocks: The links, a pair of numbers a line, in arrays of a few columns' worth (the same link may
            come twice).
    """

    ids: Sequence[str]
    rows: Mapping[str, int]
    blocks: Sequence[npt.NDArray[np.int32]]


@runtime_checkable
class NumbersLinks(Protocol):
    """An index that keeps its related links as numbers (`MemoryIndex`, `SqliteIndex`): it hands them over
    without a pair of strings each."""

    def link_rows(self, among: Sequence[str]) -> LinkRows:
        """The related links among some articles (those just read from it), as numbers."""
        ...


def number_links(ids: Sequence[str], links: Iterable[tuple[str, str]]) -> LinkRows:
    """Links among some articles as numbers: the articles numbered in the order of `ids`, links to any other
    dropped (another process may have added them after `ids` were read)."""
    rows = {doc_id: row for row, doc_id in enumerate(ids)}
    pairs = [(rows[a], rows[b]) for a, b in links if a in rows and b in rows]
    return LinkRows(ids, rows, [np.array(pairs, dtype=np.int32).reshape(-1, 2)])


def link_rows(index: Index, documents: Sequence[Document]) -> LinkRows:
    """The related links among an index's documents (read from it just before), as numbers: the index's own
    when it keeps them so, else numbered here from `Index.links`."""
    if isinstance(index, NumbersLinks):
        return index.link_rows([document.id for document in documents])
    return number_links([document.id for document in documents], index.links())


@dataclass(frozen=True)
class Found:
    """What a batch of new articles found as they were indexed, as row numbers: no id per candidate.

    Args:
        rows: Each article's row, in the order given.
        candidates: For each candidate found (the closest ones), the position of the article that found it,
            and the candidate's row; ordered by both.
        related: The same for related reports (those past the names threshold, of articles that ask).
    """

    rows: Rows
    candidates: tuple[Rows, Rows]
    related: tuple[Rows, Rows]


@runtime_checkable
class FindsRows(Protocol):
    """An index that indexes a batch by row numbers (`MemoryIndex`): its candidates are verified in place, in
    its columns, and related links kept as numbers, with no string per candidate or link."""

    def insert_rows(
        self,
        signatures: Sequence[Signature],
        documents: Sequence[Document | None],
        fingerprints: Sequence[int],
        threshold: float = 0.0,
        min_names: int = 1,
    ) -> Found | None:
        """`Index.insert_many`, what each article found given as rows; None, and nothing added, when the batch
        cannot go at once (an id indexed already or given twice, a batch too small to pay)."""
        ...

    def columns(self) -> Columns:
        """Every row's signature arrays, read in place."""
        ...

    def add_new_pairs(self, pairs: Iterable[Pair]) -> None:
        """Keep verified pairs of which none was kept before: those of the articles of a batch just added."""
        ...

    def add_link_rows(self, links: npt.NDArray[np.int64]) -> None:
        """Keep related links given as a pair of live rows each."""
        ...

    def signatures_by_id(self) -> Mapping[str, Signature]:
        """Every indexed signature, by id, made from the columns when looked up."""
        ...

    def sizes_by_id(self) -> Mapping[str, int]:
        """Each indexed signature's `size`, by id, without making the signature."""
        ...


@runtime_checkable
class DropsLookups(Protocol):
    """An index whose look-up tables can go once nothing more will be added (`MemoryIndex`, `SqliteIndex`)."""

    def drop_lookups(self) -> None:
        """Let the look-up tables go: the index answers all but look-ups, in the room they leave."""
        ...
