"""An in-memory LSH index: the embedded default, nothing to start.

Besides signatures it keeps what the cluster stage needs later, so every index (this one, the
SQLite one) answers the same questions: each article's metadata and text fingerprint, the copies
found and the related links. Signatures are kept as rows of a few arrays, not one object each: an
article is measured against its candidates with one gather from each array.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence

import numpy as np
import numpy.typing as npt

from dedup.index.bands import BandIndex, Rows, shape
from dedup.model import Document, Pair, Signature, Signatures, Sketch
from dedup.sign import Signer

# Low on purpose: LSH only proposes candidates, verification decides. A copy that kept 40% of a
# wire story and added paragraphs of its own has a Jaccard similarity near 0.2 with it.
LSH_THRESHOLD = 0.15
# Names shared by independent reports of one story overlap from about 0.3 (see dedup.related); name sets
# are small, so LSH needs a wide margin below that: at 0.25 (3-row bands) the seeds lost 001, at
# 0.2 (2-row bands) a pair at 0.31 is proposed 94% of the time.
TOPIC_THRESHOLD = 0.2
# Candidates verified per article at most, those sharing the most bands first. Below it the candidates
# are exactly MinHashLSH's; above it (a story reprinted hundreds of times, a crowd naming one city)
# the article still meets the closest of them, and the work per article stays bounded as the index grows.
MAX_CANDIDATES = 100


def closest(rows: Rows, counts: Rows, limit: int = MAX_CANDIDATES) -> Rows:
    """The rows sharing the most bands (earlier rows first among equals), at most `limit` of them.

    `rows` increasing, as `BandIndex.query` gives them; so are the rows kept.
    """
    if len(rows) <= limit:
        return rows
    return rows[np.sort(np.argsort(-counts, kind="stable")[:limit])]


def named_alike(
    topic: npt.NDArray[np.uint32], topics: npt.NDArray[np.uint32], threshold: float
) -> npt.NDArray[np.bool_]:
    """For each row of `topics`, whether its estimated Jaccard similarity with `topic` reaches `threshold`."""
    equal = topics == topic
    shared = np.count_nonzero(equal, axis=1) / equal.shape[1]
    return shared >= threshold  # type: ignore[no-any-return]


def _grown(values: npt.NDArray[np.generic], needed: int) -> npt.NDArray[np.generic]:
    """An array with room for at least `needed` rows, holding `values`' (half as large again: amortised growth)."""
    if needed <= len(values):
        return values
    grown = np.empty((max(needed, 1024, len(values) * 3 // 2), *values.shape[1:]), dtype=values.dtype)
    grown[: len(values)] = values
    return grown


class _Columns:
    """Every signature indexed, a row each (a new row on each insert), in arrays that grow as needed.

    An article's sketch takes a span of the flat sketch arrays; `names` is -1 for an article without a
    MinHash of names.
    """

    def __init__(self, width: int) -> None:
        self.rows = 0
        self.hashvalues = np.empty((0, width), dtype=np.uint32)
        self.topics = np.empty((0, width), dtype=np.uint32)
        self.names = np.empty(0, dtype=np.int64)
        self.sizes = np.empty(0, dtype=np.int64)
        self.starts = np.empty(0, dtype=np.int64)
        self.lengths = np.empty(0, dtype=np.int64)
        self.sketched = 0
        self.hashes = np.empty(0, dtype=np.uint32)
        self.paragraph = np.empty(0, dtype=np.uint32)
        self.quoted = np.empty(0, dtype=np.bool_)
        self.words: list[tuple[int, ...]] = []
        self.ids: list[str] = []

    def append(self, signature: Signature) -> int:
        """Keep a signature in a new row; its number."""
        row, sketch = self.rows, signature.sketch
        start, end = self.sketched, self.sketched + len(sketch.hashes)
        if row == len(self.sizes):
            for name in ("hashvalues", "topics", "names", "sizes", "starts", "lengths"):
                setattr(self, name, _grown(getattr(self, name), row + 1))
        if end > len(self.hashes):
            for name in ("hashes", "paragraph", "quoted"):
                setattr(self, name, _grown(getattr(self, name), end))
        self.hashvalues[row] = signature.hashvalues
        if signature.topic is None:
            self.names[row] = -1
        else:
            self.topics[row], self.names[row] = signature.topic, signature.names
        self.sizes[row], self.starts[row], self.lengths[row] = signature.size, start, end - start
        self.hashes[start:end], self.paragraph[start:end], self.quoted[start:end] = (
            sketch.hashes,
            sketch.paragraph,
            sketch.quoted,
        )
        self.words.append(sketch.words)
        self.ids.append(signature.id)
        self.rows, self.sketched = row + 1, end
        return row

    def signature(self, row: int) -> Signature:
        """The signature kept in a row (its arrays are views of the columns)."""
        start = int(self.starts[row])
        end = start + int(self.lengths[row])
        sketch = Sketch(self.hashes[start:end], self.paragraph[start:end], self.quoted[start:end], self.words[row])
        names = int(self.names[row])
        topic = self.topics[row] if names >= 0 else None
        return Signature(self.ids[row], self.hashvalues[row], int(self.sizes[row]), sketch, topic, max(names, 0))

    def gather(self, rows: Rows) -> Signatures:
        """The signatures of some rows as arrays, in the order of `rows`."""
        lengths, starts = self.lengths[rows], self.starts[rows]
        ends = np.cumsum(lengths)
        spans = np.repeat(starts - ends + lengths, lengths) + np.arange(int(ends[-1]) if len(ends) else 0)
        return Signatures(
            [self.ids[row] for row in rows.tolist()],
            self.hashvalues[rows],
            self.sizes[rows],
            self.hashes[spans],
            self.quoted[spans],
            lengths,
            lambda at: self.signature(int(rows[at])),
        )


class MemoryIndex:
    """Signatures in memory, with an LSH over them for candidate look-ups.

    Args:
        signer: The signer whose signatures are indexed (its permutations and size).
        threshold: Jaccard similarity at which LSH starts to propose a pair as candidates.
        topic_threshold: The same for the names two articles mention (the `related` level).
        min_names: Articles naming fewer names are kept out of the names LSH: they are never related,
            and a crowd of articles naming one city would all collide.
    """

    def __init__(
        self,
        signer: Signer,
        threshold: float = LSH_THRESHOLD,
        topic_threshold: float = TOPIC_THRESHOLD,
        min_names: int = 1,
    ) -> None:
        self.signer = signer
        self.min_names = max(1, min_names)
        self.lsh = BandIndex(*shape(threshold, signer.num_perm))
        self.topics = BandIndex(*shape(topic_threshold, signer.num_perm))
        self._columns = _Columns(signer.num_perm)
        self._rows: dict[str, int] = {}  # id -> its row in the columns and band tables (a new one on each insert)
        self._documents: dict[str, tuple[Document, int]] = {}
        self._pairs: dict[str, dict[str, Pair]] = {}  # both ways: id -> other id -> pair
        self._links: dict[str, set[str]] = {}

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._rows

    @property
    def signatures(self) -> Mapping[str, Signature]:
        """Every indexed signature, by id (made when looked up)."""
        return _Signatures(self)

    def candidates(self, signature: Signature) -> list[str]:
        """Ids of indexed articles that share at least one LSH band with this signature, sorted."""
        return self._ids(self._candidate_rows(signature), signature.id)

    def _candidate_rows(self, signature: Signature) -> Rows:
        """The rows `candidates` names."""
        if not signature.size or not self._rows:
            return _NONE
        return closest(*self.lsh.query(self.lsh.keys(signature.hashvalues)))

    def related(self, signature: Signature, threshold: float = 0.0, min_names: int = 1) -> list[str]:
        """Ids of indexed articles whose names overlap this one's enough to be worth checking, sorted.

        With a `threshold`, only those whose names MinHash shares at least that much of this one's, and
        that name at least `min_names` names: the articles related to this one.
        """
        if signature.names < min_names or signature.topic is None:
            return []
        rows = self._related_rows(signature)
        if threshold > 0.0 or min_names > self.min_names:
            columns = self._columns
            kept = columns.names[rows] >= min_names
            kept &= named_alike(signature.topic, columns.topics[rows], threshold)
            rows = rows[kept]
        return self._ids(rows, signature.id)

    def _related_rows(self, signature: Signature) -> Rows:
        """The rows sharing a band of names with this signature (the closest ones)."""
        if signature.names < self.min_names or signature.topic is None or not self._rows:
            return _NONE
        return closest(*self.topics.query(self.topics.keys(signature.topic)))

    def _ids(self, rows: Rows, doc_id: str) -> list[str]:
        """The ids of some rows, sorted, but `doc_id`'s."""
        ids = self._columns.ids
        return sorted(found for found in map(ids.__getitem__, rows.tolist()) if found != doc_id)

    def gather(self, ids: Sequence[str]) -> Signatures:
        """The signatures of some indexed articles as arrays, a row each, in the order of `ids`."""
        return self._columns.gather(np.fromiter(map(self._rows.__getitem__, ids), np.int64, len(ids)))

    def insert(self, signature: Signature, document: Document | None = None, fingerprint: int = 0) -> None:
        """Add an article's signature and metadata; an id indexed before is replaced, with its pairs."""
        self.remove(signature.id)
        self._documents[signature.id] = (document or Document(signature.id), fingerprint)
        row = self._rows[signature.id] = self._columns.append(signature)
        if signature.size:
            self.lsh.add(row, self.lsh.keys(signature.hashvalues))
        if signature.names >= self.min_names and signature.topic is not None:
            self.topics.add(row, self.topics.keys(signature.topic))

    def signature(self, doc_id: str) -> Signature:
        """The signature indexed under an id."""
        return self._columns.signature(self._rows[doc_id])

    def remove(self, doc_id: str) -> bool:
        """Forget an article, its pairs and its links; whether it was indexed."""
        row = self._rows.pop(doc_id, None)
        if row is not None:
            self.lsh.remove(row)
            self.topics.remove(row)
        for other in self._pairs.pop(doc_id, {}):
            self._pairs[other].pop(doc_id, None)
        for other in self._links.pop(doc_id, set()):
            self._links[other].discard(doc_id)
        return self._documents.pop(doc_id, None) is not None

    def fingerprint(self, doc_id: str) -> int | None:
        """The fingerprint of the text indexed under an id, or None when the id is not indexed."""
        entry = self._documents.get(doc_id)
        return entry[1] if entry else None

    def document(self, doc_id: str) -> Document:
        """The metadata indexed under an id."""
        return self._documents[doc_id][0]

    def documents(self) -> Iterator[Document]:
        """Every indexed article's metadata, in the order they were added."""
        return (document for document, _ in self._documents.values())

    def add_pairs(self, pairs: Iterable[Pair]) -> None:
        """Keep verified pairs (a pair verified again replaces the old verdict)."""
        for pair in pairs:
            self._pairs.setdefault(pair.a, {})[pair.b] = pair
            self._pairs.setdefault(pair.b, {})[pair.a] = pair

    def pairs_of(self, doc_id: str) -> list[Pair]:
        """The verified pairs an article is in."""
        return list(self._pairs.get(doc_id, {}).values())

    def pairs(self) -> Iterator[Pair]:
        """Every verified pair, once."""
        return (pair for a, found in self._pairs.items() for b, pair in found.items() if a == pair.a)

    def add_links(self, links: Iterable[tuple[str, str]]) -> None:
        """Keep related links: two articles reporting one story."""
        for a, b in links:
            self._links.setdefault(a, set()).add(b)
            self._links.setdefault(b, set()).add(a)

    def links(self) -> Iterator[tuple[str, str]]:
        """Every related link, once, as an ordered pair of ids."""
        return ((a, b) for a, found in self._links.items() for b in found if a < b)

    def signatures_of(self, ids: Iterable[str]) -> dict[str, Signature]:
        """The signatures of some indexed articles."""
        return {doc_id: self.signature(doc_id) for doc_id in ids}

    def commit(self) -> None:
        """Nothing to make durable: the index lives as long as the process."""

    def close(self) -> None:
        """Nothing to release."""


_NONE = np.empty(0, dtype=np.int64)


class _Signatures(Mapping[str, Signature]):
    """A memory index's signatures by id, each made from its row when looked up."""

    def __init__(self, index: MemoryIndex) -> None:
        self.index = index

    def __getitem__(self, doc_id: str) -> Signature:
        return self.index.signature(doc_id)

    def __iter__(self) -> Iterator[str]:
        return iter(self.index._rows)

    def __len__(self) -> int:
        return len(self.index)
