"""An in-memory LSH index: the embedded default, nothing to start.

Besides signatures it keeps what the cluster stage needs later, so every index (this one, the
SQLite one) answers the same questions: each article's metadata and text fingerprint, the copies
found and the related links.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np

from dedup.index.bands import BandIndex, Rows, shape
from dedup.model import Document, Pair, Signature
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
        self.signatures: dict[str, Signature] = {}
        self._rows: dict[str, int] = {}  # id -> its row in the band tables (a new one on each insert)
        self._ids: dict[int, str] = {}
        self._next_row = 0
        self._documents: dict[str, tuple[Document, int]] = {}
        self._pairs: dict[str, dict[str, Pair]] = {}  # both ways: id -> other id -> pair
        self._links: dict[str, set[str]] = {}

    def __len__(self) -> int:
        return len(self.signatures)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self.signatures

    def candidates(self, signature: Signature) -> list[str]:
        """Ids of indexed articles that share at least one LSH band with this signature, sorted."""
        if not signature.size or not self.signatures:
            return []
        return self._named(closest(*self.lsh.query(self.lsh.keys(signature.hashvalues))), signature.id)

    def related(self, signature: Signature) -> list[str]:
        """Ids of indexed articles whose names overlap this one's enough to be worth checking, sorted."""
        if signature.names < self.min_names or signature.topic is None or not self.signatures:
            return []
        return self._named(closest(*self.topics.query(self.topics.keys(signature.topic))), signature.id)

    def _named(self, rows: Rows, doc_id: str) -> list[str]:
        """The ids of some rows, sorted, but `doc_id`'s."""
        ids = self._ids
        return sorted(found for found in map(ids.__getitem__, rows.tolist()) if found != doc_id)

    def insert(self, signature: Signature, document: Document | None = None, fingerprint: int = 0) -> None:
        """Add an article's signature and metadata; an id indexed before is replaced, with its pairs."""
        self.remove(signature.id)
        self._documents[signature.id] = (document or Document(signature.id), fingerprint)
        self.signatures[signature.id] = signature
        row, self._next_row = self._next_row, self._next_row + 1
        self._rows[signature.id], self._ids[row] = row, signature.id
        if signature.size:
            self.lsh.add(row, self.lsh.keys(signature.hashvalues))
        if signature.names >= self.min_names and signature.topic is not None:
            self.topics.add(row, self.topics.keys(signature.topic))

    def signature(self, doc_id: str) -> Signature:
        """The signature indexed under an id."""
        return self.signatures[doc_id]

    def remove(self, doc_id: str) -> bool:
        """Forget an article, its pairs and its links; whether it was indexed."""
        row = self._rows.pop(doc_id, None)
        if row is not None:
            del self._ids[row]
            self.lsh.remove(row)
            self.topics.remove(row)
        for other in self._pairs.pop(doc_id, {}):
            self._pairs[other].pop(doc_id, None)
        for other in self._links.pop(doc_id, set()):
            self._links[other].discard(doc_id)
        self.signatures.pop(doc_id, None)
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
        return {doc_id: self.signatures[doc_id] for doc_id in ids}

    def commit(self) -> None:
        """Nothing to make durable: the index lives as long as the process."""

    def close(self) -> None:
        """Nothing to release."""
