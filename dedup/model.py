"""The small frozen records that travel down the line: read -> clean -> sign -> index -> cluster -> report."""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, Literal, TypeVar

import numpy as np
import numpy.typing as npt

from dedup.agencies import agency_of

Format = Literal["text", "html"]
_T = TypeVar("_T")
_Item = TypeVar("_Item", bound=np.generic)


def _pickled_as_fields(cls: type[_T]) -> type[_T]:
    """`cls`, pickled as a call with its fields in order: a record that crosses between processes.

    Dataclasses' own pickling looks the fields up again for every object; the main process unpickles
    every article a worker hands back, four records each (~10 us an article of its time).
    """
    names = [item.name for item in fields(cls)]  # type: ignore[arg-type]
    values = operator.attrgetter(*names) if len(names) > 1 else lambda record: (getattr(record, names[0]),)

    def reduce(self: _T) -> tuple[type[_T], tuple[Any, ...]]:
        if type(self) is not cls:  # a subclass, maybe with fields of its own: its own class and fields
            return type(self), tuple(getattr(self, item.name) for item in fields(self))  # type: ignore[arg-type]
        return cls, values(self)

    cls.__reduce__ = reduce  # type: ignore[assignment, method-assign]
    return cls


@_pickled_as_fields
@dataclass(frozen=True, slots=True)
class Article:
    """One scraped article as read, before cleaning.

    Args:
        id: Stable name: the file name without extensions, or the record's ``id``.
        body: The page as scraped: plain text, or HTML markup when ``format`` is ``"html"``; markup may
            be UTF-8 bytes, as a file or a response holds it (the reader keeps a UTF-8 page's bytes: the
            parser reads them as they are).
        format: ``"text"`` or ``"html"``.
        path: Where it came from (a file, ``file:line`` for a record, ``-:line`` for stdin).
        url, title, date, source: Metadata the scraper supplied, if any.
    """

    id: str
    body: str | bytes
    format: Format = "text"
    path: str | None = None
    url: str | None = None
    title: str | None = None
    date: str | None = None
    source: str | None = None


@_pickled_as_fields
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
        return [line for line in self.text.split("\n") if line.strip()]

    @property
    def words(self) -> int:
        """How many words the cleaned text holds."""
        return len(self.text.split())


@_pickled_as_fields
@dataclass(frozen=True, slots=True, eq=False)
class Sketch:
    """A sample of an article's shingles: one in `dedup.sign.SAMPLE`, chosen by hash, sorted by hash.

    Two texts keep the same shingles where they agree, so the samples measure how much of one
    article another carries, paragraph by paragraph, and how much of the overlap is quotation.

    Args:
        hashes: The kept shingles' hashes, each once, in increasing order.
        paragraph: The paragraph (counted from 0) each kept shingle starts in.
        quoted: Whether each kept shingle lies wholly inside a quotation.
        words: How many words each paragraph holds.
    """

    hashes: npt.NDArray[np.uint32]
    paragraph: npt.NDArray[np.uint32]
    quoted: npt.NDArray[np.bool_]
    words: tuple[int, ...]

    @classmethod
    def empty(cls) -> Sketch:
        """The sketch of a text without words."""
        return cls(np.empty(0, np.uint32), np.empty(0, np.uint32), np.empty(0, np.bool_), ())


@_pickled_as_fields
@dataclass(frozen=True, slots=True, eq=False)
class Signature:
    """What the index keeps of one article: a MinHash signature of its shingle set, and more.

    Args:
        id: The article's id.
        hashvalues: The MinHash values (``uint32``, one per permutation), as datasketch stores them.
        size: How many distinct shingles the set held; with two sizes a Jaccard estimate becomes a
            containment estimate.
        sketch: A sample of its shingles, to verify containment and align paragraphs.
        topic: A MinHash of the names it mentions, for the looser `related` level.
        names: How many distinct names that MinHash was made of.
    """

    id: str
    hashvalues: npt.NDArray[np.uint32]
    size: int
    sketch: Sketch = field(default_factory=Sketch.empty)
    topic: npt.NDArray[np.uint32] | None = None
    names: int = 0


@dataclass(frozen=True, slots=True, eq=False)
class Signatures:
    """Several articles' signatures as arrays, a row each: an article is measured against all at once.

    Args:
        ids: The articles' ids, a row each.
        hashvalues: Their MinHash values, a row each.
        sizes: How many distinct shingles each one's set held.
        hashes: Every sketch's hashes, one sketch after the other.
        quoted: Those shingles' quote flags.
        lengths: How many hashes each sketch holds.
        signature: The whole signature of a row, made when asked for: few candidates need it.
    """

    ids: Sequence[str]
    hashvalues: npt.NDArray[np.uint32]
    sizes: npt.NDArray[np.int64]
    hashes: npt.NDArray[np.uint32]
    quoted: npt.NDArray[np.bool_]
    lengths: npt.NDArray[np.int64]
    signature: Callable[[int], Signature]

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def of(cls, signatures: Sequence[Signature], width: int = 0) -> Signatures:
        """The arrays of signatures held one by one (`width`: the number of MinHash values, when there are none)."""
        kept = list(signatures)
        return cls(
            [signature.id for signature in kept],
            np.array([s.hashvalues for s in kept]) if kept else np.empty((0, width), np.uint32),
            np.fromiter((signature.size for signature in kept), np.int64, len(kept)),
            np.concatenate([np.empty(0, np.uint32), *(signature.sketch.hashes for signature in kept)]),
            np.concatenate([np.empty(0, np.bool_), *(signature.sketch.quoted for signature in kept)]),
            np.fromiter((len(signature.sketch.hashes) for signature in kept), np.int64, len(kept)),
            kept.__getitem__,
        )


@dataclass(frozen=True, slots=True, eq=False)
class Columns:
    """Every signature an index holds as arrays, a row each, read in place: verifying a batch's hundred
    thousand candidate pairs gathers nothing.

    Args:
        hashvalues: The MinHash values, a row each (the arrays may hold more rows than are used).
        sizes: How many distinct shingles each one's set held.
        starts: Where each row's sketch starts in `hashes` and `quoted`.
        lengths: How many hashes each sketch holds (each sketch in increasing order).
        hashes: Every sketch's hashes.
        quoted: Those shingles' quote flags.
        signature: The whole signature of a row, made when asked for: few candidates need it.
    """

    hashvalues: npt.NDArray[np.uint32]
    sizes: npt.NDArray[np.int64]
    starts: npt.NDArray[np.int64]
    lengths: npt.NDArray[np.int64]
    hashes: npt.NDArray[np.uint32]
    quoted: npt.NDArray[np.bool_]
    signature: Callable[[int], Signature]


def grown(values: npt.NDArray[_Item], needed: int) -> npt.NDArray[_Item]:
    """An array with room for at least `needed` rows, holding `values`' (half as large again: amortised growth;
    the rows past those are not touched, so they take no memory until written)."""
    if needed <= len(values):
        return values
    bigger = np.empty((max(needed, 1024, len(values) * 3 // 2), *values.shape[1:]), dtype=values.dtype)
    bigger[: len(values)] = values
    return bigger


def spans(starts: npt.NDArray[np.int64], lengths: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """The positions `start, start + 1, ... start + length - 1` of every span, one span after the other."""
    ends = np.cumsum(lengths)
    total = int(ends[-1]) if len(ends) else 0
    return np.repeat(starts - ends + lengths, lengths) + np.arange(total)


@_pickled_as_fields
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
    agency: str | None = None  # the wire agency its credit or dateline names
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
            agency=agency_of(article.credit, article.text[:600]),
            words=article.words,
            lead=" ".join(article.text.split(maxsplit=14)[:14]),  # a long text need not be cut into every word
        )


@_pickled_as_fields
@dataclass(frozen=True, slots=True)
class Prepared:
    """An article cleaned and signed, ready for the index: what a worker process hands back.

    Args:
        document: Its metadata, for the report.
        fingerprint: A hash of its cleaned text: the same id with the same text is not added twice.
        signature: Its signature.
    """

    document: Document
    fingerprint: int
    signature: Signature


@dataclass(frozen=True, slots=True)
class Pair:
    """Two articles the index proposed as copies, and what verification made of them.

    ``similarity`` is the estimated Jaccard similarity of their shingle sets; ``containment`` the
    estimated share of the smaller article's own words (quotations left out) found in the larger one.
    """

    a: str
    b: str
    similarity: float
    containment: float
    copy: bool


@dataclass(frozen=True, slots=True)
class Copy:
    """How one member of a cluster differs from the cluster's origin, paragraph by paragraph.

    Args:
        id: The member's id.
        carried: Share of the origin's text this member carries (1.0 for the origin itself).
        added: Its paragraphs (numbered from 1) that are not in the origin: local additions, updates.
        cut: The origin's paragraphs (numbered from 1) it does not carry: what it trimmed.
    """

    id: str
    carried: float
    added: tuple[int, ...] = ()
    cut: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Cluster:
    """Articles that are copies of one story: who carried it, and the copy that looks like the origin.

    ``similarity`` is the weakest verified link between two members; ``copies`` says, member by
    member in origin-first order, how much of the origin each carries and what it added or cut.
    """

    id: str
    members: tuple[str, ...]
    canonical: str
    similarity: float
    agency: str | None = None
    pairs: tuple[Pair, ...] = field(default=())
    copies: tuple[Copy, ...] = field(default=())
    _copies: dict[str, Copy] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_copies", {copy.id: copy for copy in self.copies})

    def copy_of(self, doc_id: str) -> Copy | None:
        """How one member differs from the origin, or None when it was not aligned."""
        return self._copies.get(doc_id)


@dataclass(frozen=True, slots=True)
class Related:
    """Independent reports of one story: articles that name the same people and places, and the
    syndication clusters among them (every member of a cluster is in the cluster's related group)."""

    id: str
    members: tuple[str, ...]
    clusters: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ScanResult:
    """Everything a scan found: every document read, the syndication clusters, the inputs skipped."""

    documents: tuple[Document, ...]
    clusters: tuple[Cluster, ...]
    skipped: tuple[Skipped, ...]
    pairs: tuple[Pair, ...] = ()
    related: tuple[Related, ...] = ()
    _clusters: dict[str, Cluster] = field(init=False, repr=False, compare=False)
    _related: dict[str, Related] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Looked up once per document by every report: a dict, not a scan of every cluster.
        object.__setattr__(self, "_clusters", {m: c for c in self.clusters for m in c.members})
        object.__setattr__(self, "_related", {m: g for g in self.related for m in g.members})

    def cluster_of(self, doc_id: str) -> Cluster | None:
        """The cluster an article belongs to, or None when it stands alone."""
        return self._clusters.get(doc_id)

    def related_of(self, doc_id: str) -> Related | None:
        """The related group an article belongs to, or None when no other article reports its story."""
        return self._related.get(doc_id)


def sorted_unique(values: npt.NDArray[_Item]) -> npt.NDArray[_Item]:
    """The distinct values, sorted: `np.unique` by a sort, which numpy 2.4's `np.unique` no longer is (it hashes
    first: 64 s for 45M keys where sorting takes 3)."""
    ordered = np.sort(values)
    if len(ordered) < 2:
        return ordered
    first = np.empty(len(ordered), dtype=np.bool_)
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    return ordered[first]
