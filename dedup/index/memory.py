"""An in-memory LSH index: the embedded default, nothing to start.

Besides signatures it keeps what the cluster stage needs later, so every index (this one, the
SQLite one) answers the same questions: each article's metadata and text fingerprint, the copies
found and the related links. Signatures are kept as rows of a few arrays, not one object each: an
article is measured against its candidates with one gather from each array.
"""

from __future__ import annotations

import itertools
import marshal
from array import array
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import NoReturn, TypeVar, cast

import numpy as np
import numpy.typing as npt

from dedup.index.bands import BandIndex, Rows, Stored, shape
from dedup.index.base import Found, LinkRows, insert_each
from dedup.index.pairs import PairColumns
from dedup.model import Columns, Document, Pair, Signature, Signatures, Sketch, grown, sorted_unique, spans
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
# Articles from which looking them all up at once costs less than looking them up one by one.
TOGETHER_FROM = 8
# Related links handed to the union-find per block (8 MiB of row numbers): few, large arrays; a block is
# filled, never moved, as links are read out (growing one array would hold two copies at once).
LINK_BLOCK = 1 << 20


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
    """For each row of `topics`, whether its estimated Jaccard similarity with `topic` (a row, or a row for
    each) reaches `threshold`."""
    equal = topics == topic
    shared = np.count_nonzero(equal, axis=1) / equal.shape[1]
    return shared >= threshold  # type: ignore[no-any-return]


@dataclass(frozen=True, slots=True, eq=False)
class Packed:
    """Many articles' signatures as arrays over them all, as a stored index reads them back: no object per
    article (at a million articles, making one for each cost a quarter of a run against the index).

    Rows of `hashvalues` and `topics` are articles (an article without a names MinHash has a row of zeros
    there, and `named` False); the sketches' arrays hold every article's sketch, one after the other,
    `lengths` long each; `words` every sketch's paragraph sizes, `paragraphs` of them each.
    """

    ids: list[str]
    hashvalues: npt.NDArray[np.uint32]
    sizes: npt.NDArray[np.int64]
    topics: npt.NDArray[np.uint32]
    named: npt.NDArray[np.bool_]
    names: npt.NDArray[np.int64]
    lengths: npt.NDArray[np.int64]
    hashes: npt.NDArray[np.uint32]
    paragraph: npt.NDArray[np.uint32]
    quoted: npt.NDArray[np.bool_]
    words: npt.NDArray[np.uint32]
    paragraphs: npt.NDArray[np.int64]


class _Columns:
    """Every signature indexed, a row each (a new row on each insert), in arrays that grow as needed.

    An article's sketch takes a span of the flat sketch arrays; `named` says whether it has a MinHash of names.
    """

    def __init__(self, width: int) -> None:
        self.rows = 0
        self.hashvalues = np.empty((0, width), dtype=np.uint32)
        self.topics = np.empty((0, width), dtype=np.uint32)
        self.named = np.empty(0, dtype=np.bool_)
        self.names = np.empty(0, dtype=np.int64)
        self.sizes = np.empty(0, dtype=np.int64)
        self.starts = np.empty(0, dtype=np.int64)
        self.lengths = np.empty(0, dtype=np.int64)
        self.sketched = 0
        self.hashes = np.empty(0, dtype=np.uint32)
        self.paragraph = np.empty(0, dtype=np.uint16)  # half the room: an article has fewer paragraphs than 2^16
        self.wide: dict[int, npt.NDArray[np.uint32]] = {}  # the paragraphs of a row that has more, if any
        self.quoted = np.empty(0, dtype=np.bool_)
        self.words: list[bytes | tuple[int, ...]] = []  # each sketch's paragraph sizes, packed (`_packed_words`)
        self.ids: list[str] = []

    def append(self, signatures: Sequence[Signature]) -> Rows:
        """Keep signatures in new rows; their numbers."""
        first, count = self.rows, len(signatures)
        lengths = np.fromiter((len(signature.sketch.hashes) for signature in signatures), np.int64, count)
        end = self.sketched + int(lengths.sum())
        if first + count > len(self.sizes):
            for name in ("hashvalues", "topics", "named", "names", "sizes", "starts", "lengths"):
                setattr(self, name, grown(getattr(self, name), first + count))
        if end > len(self.hashes):
            for name in ("hashes", "paragraph", "quoted"):
                setattr(self, name, grown(getattr(self, name), end))
        rows = np.arange(first, first + count)
        if count == 1:  # one by one: a row of scalars costs less than arrays of one
            self._write(first, signatures[0], self.sketched)
            self.rows, self.sketched = first + 1, end
            return rows
        self.hashvalues[rows] = [signature.hashvalues for signature in signatures]
        for row, signature in zip(rows.tolist(), signatures, strict=True):
            if signature.topic is not None:
                self.topics[row] = signature.topic
        self.named[rows] = [signature.topic is not None for signature in signatures]
        self.names[rows] = [signature.names for signature in signatures]
        self.sizes[rows] = [signature.size for signature in signatures]
        self.starts[rows] = self.sketched + np.cumsum(lengths) - lengths
        self.lengths[rows] = lengths
        sketches = [signature.sketch for signature in signatures]
        for name in ("hashes", "quoted"):
            getattr(self, name)[self.sketched : end] = np.concatenate([getattr(sketch, name) for sketch in sketches])
        paragraph = np.concatenate([sketch.paragraph for sketch in sketches])
        self.paragraph[self.sketched : end] = paragraph
        if len(paragraph) and int(paragraph.max()) > np.iinfo(np.uint16).max:
            self._keep_wide(rows, sketches)
        self.words += [_packed_words(sketch.words) for sketch in sketches]
        self.ids += [signature.id for signature in signatures]
        self.rows, self.sketched = first + count, end
        return rows

    def append_packed(self, packed: Packed, topics: bool = True) -> Rows:
        """Keep packed signatures in new rows; their numbers. Without `topics`, their names MinHashes are not
        kept (the column is gone: `MemoryIndex.drop_lookups`)."""
        first, count = self.rows, len(packed.ids)
        end = self.sketched + len(packed.hashes)
        by_row = ["hashvalues", "names", "sizes", "lengths", *(["topics"] if topics else [])]
        if first + count > len(self.sizes):
            for name in (*by_row, "named", "starts"):
                setattr(self, name, grown(getattr(self, name), first + count))
        if end > len(self.hashes):
            for name in ("hashes", "paragraph", "quoted"):
                setattr(self, name, grown(getattr(self, name), end))
        rows = slice(first, first + count)
        for name in by_row:
            getattr(self, name)[rows] = getattr(packed, name)
        self.named[rows] = packed.named if topics else False
        self.starts[rows] = self.sketched + np.cumsum(packed.lengths) - packed.lengths
        for name in ("hashes", "paragraph", "quoted"):
            getattr(self, name)[self.sketched : end] = getattr(packed, name)
        if len(packed.paragraph) and int(packed.paragraph.max()) > np.iinfo(np.uint16).max:
            ends = np.cumsum(packed.lengths)
            starts = (ends - packed.lengths).tolist()
            for row, start, stop in zip(range(first, first + count), starts, ends.tolist(), strict=True):
                paragraph = packed.paragraph[start:stop]
                if len(paragraph) and int(paragraph.max()) > np.iinfo(np.uint16).max:
                    self.wide[row] = paragraph.copy()  # not a view that keeps the whole batch's array
        self.words += _packed_runs(packed.words, packed.paragraphs)
        self.ids += packed.ids
        self.rows, self.sketched = first + count, end
        return np.arange(first, first + count)

    def _write(self, row: int, signature: Signature, start: int) -> None:
        """Write one signature in its row, its sketch from `start` on (the room is there)."""
        sketch = signature.sketch
        end = start + len(sketch.hashes)
        self.hashvalues[row] = signature.hashvalues
        if signature.topic is not None:
            self.topics[row] = signature.topic
        self.named[row], self.names[row] = signature.topic is not None, signature.names
        self.sizes[row], self.starts[row], self.lengths[row] = signature.size, start, end - start
        self.hashes[start:end], self.paragraph[start:end], self.quoted[start:end] = (
            sketch.hashes,
            sketch.paragraph,
            sketch.quoted,
        )
        self._keep_wide(np.array([row]), [sketch])
        self.words.append(_packed_words(sketch.words))
        self.ids.append(signature.id)

    def _keep_wide(self, rows: Rows, sketches: Sequence[Sketch]) -> None:
        """Keep aside the paragraph numbers of sketches that reach past the 16 bits of the column."""
        for row, sketch in zip(rows.tolist(), sketches, strict=True):
            if len(sketch.paragraph) and int(sketch.paragraph.max()) > np.iinfo(np.uint16).max:
                self.wide[row] = sketch.paragraph

    def signature(self, row: int) -> Signature:
        """The signature kept in a row (its arrays are views of the columns)."""
        start = int(self.starts[row])
        end = start + int(self.lengths[row])
        paragraph = self.wide.get(row)
        if paragraph is None:
            paragraph = self.paragraph[start:end].astype(np.uint32)
        words = self.words[row]
        if isinstance(words, bytes):
            words = tuple(array("H", words))
        sketch = Sketch(self.hashes[start:end], paragraph, self.quoted[start:end], words)
        topic = self.topics[row] if self.named[row] else None
        return Signature(self.ids[row], self.hashvalues[row], int(self.sizes[row]), sketch, topic, int(self.names[row]))

    def gather(self, rows: Rows) -> Signatures:
        """The signatures of some rows as arrays, in the order of `rows`."""
        lengths = self.lengths[rows]
        kept = spans(self.starts[rows], lengths)
        return Signatures(
            [self.ids[row] for row in rows.tolist()],
            self.hashvalues[rows],
            self.sizes[rows],
            self.hashes[kept],
            self.quoted[kept],
            lengths,
            lambda at: self.signature(int(rows[at])),
        )


def _packed_words(words: tuple[int, ...]) -> bytes | tuple[int, ...]:
    """A sketch's paragraph sizes in 16 bits each, 48 bytes for a typical article where the tuple takes 116;
    as they are if a paragraph holds more words than 16 bits count."""
    try:
        return array("H", words).tobytes()
    except OverflowError:
        return words


def _packed_runs(words: npt.NDArray[np.uint32], counts: npt.NDArray[np.int64]) -> list[bytes | tuple[int, ...]]:
    """Runs of paragraph sizes, `counts` long each, as `_packed_words` packs each run, packed at once."""
    ends = np.cumsum(counts).tolist()
    if len(words) and int(words.max()) > np.iinfo(np.uint16).max:
        return [_packed_words(tuple(words[a:b].tolist())) for a, b in itertools.pairwise([0, *ends])]
    packed = words.astype(np.uint16).tobytes()  # in the machine's order, as `array("H")` packs them
    return [packed[2 * a : 2 * b] for a, b in itertools.pairwise([0, *ends])]


class _Links:
    """Related links as row numbers, a run of links a first end: that end once with how many links it has,
    and each link's other end. A batch's links come article by article, some forty each at a million
    articles: about 4 bytes a link, where a pair of rows took 8 and sets of ids both ways round took 136
    (rows fit in 32 bits up to two billion articles)."""

    def __init__(self) -> None:
        self._runs: list[tuple[Stored, Stored, Stored]] = []  # first ends, their links' count, other ends

    def extend(self, pairs: npt.NDArray[np.int32]) -> None:
        """Keep links, a pair of rows each."""
        if not len(pairs):
            return
        first = pairs[:, 0]
        starts = np.flatnonzero(np.concatenate([[True], first[1:] != first[:-1]]))
        counts = np.diff(np.append(starts, len(first)))
        self._runs.append((first[starts].astype(np.int32), counts.astype(np.int32), pairs[:, 1].astype(np.int32)))

    def pairs(self) -> Iterator[npt.NDArray[np.int32]]:
        """The links kept, a pair of rows a line, an array a batch (made when asked)."""
        return map(_expanded, self._runs)

    def blocks(self) -> list[npt.NDArray[np.int32]]:
        """The links kept, a pair of rows a line, in blocks of `LINK_BLOCK` (the last one cut where it is
        filled): few, large arrays for the union-find over them."""
        blocks: list[npt.NDArray[np.int32]] = []
        used = LINK_BLOCK  # links in the last block: none yet, and no room
        for pairs in self.pairs():
            while len(pairs):
                if used == LINK_BLOCK:
                    blocks.append(np.empty((LINK_BLOCK, 2), dtype=np.int32))
                    used = 0
                taken = pairs[: LINK_BLOCK - used]
                blocks[-1][used : used + len(taken)] = taken
                used += len(taken)
                pairs = pairs[len(taken) :]
        return [*blocks[:-1], blocks[-1][:used]] if blocks else []

    def keep(self, alive: npt.NDArray[np.bool_]) -> None:
        """Drop the links with an end in a dead row (`alive` says which rows live), a batch at a time."""
        old, self._runs = self._runs, []
        for pairs in map(_expanded, old):
            self.extend(pairs[alive[pairs[:, 0]] & alive[pairs[:, 1]]])


def _expanded(run: tuple[Stored, Stored, Stored]) -> npt.NDArray[np.int32]:
    """A run of links (`_Links`) as a pair of rows a line."""
    firsts, counts, others = run
    return np.stack([np.repeat(firsts, counts), others], axis=1)


class MemoryIndex:
    """Signatures in memory, with an LSH over them for candidate look-ups.

    Args:
        signer: The signer whose signatures are indexed (its permutations and size).
        threshold: Jaccard similarity at which LSH starts to propose a pair as candidates.
        topic_threshold: The same for the names two articles mention (the `related` level).
        min_names: Articles naming fewer names are kept out of the names LSH: they are never related,
            and a crowd of articles naming one city would all collide.
        bands, topic_bands: The two LSH tables' bands and rows, when not those of the thresholds (an index
            file records the shape it was built with).
        documents: Whether it keeps each article's metadata; without, it is a working copy for look-ups
            (`dedup.index.SqliteIndex` keeps the metadata, the pairs and the links in its file).
    """

    def __init__(
        self,
        signer: Signer,
        threshold: float = LSH_THRESHOLD,
        topic_threshold: float = TOPIC_THRESHOLD,
        min_names: int = 1,
        *,
        bands: tuple[int, int] | None = None,
        topic_bands: tuple[int, int] | None = None,
        documents: bool = True,
    ) -> None:
        self.signer = signer
        self.min_names = max(1, min_names)
        self.lsh = BandIndex(*(bands or shape(threshold, signer.num_perm)))
        self.topics = BandIndex(*(topic_bands or shape(topic_threshold, signer.num_perm)))
        self._keeps_documents = documents
        self._columns = _Columns(signer.num_perm)
        self._rows: dict[str, int] = {}  # id -> its row in the columns and band tables (a new one on each insert)
        self._documents: dict[str, bytes] = {}  # id -> its fingerprint and metadata, packed (`_pack`)
        self._pairs = PairColumns()  # the copies found, between rows
        self._links = _Links()
        self._dead_links = False  # whether an article removed since may have left links behind
        self._dropped = False  # whether `drop_lookups` let the look-up tables go
        self._names_kept = True  # whether the names MinHashes are kept (they go with the tables, by default)

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._rows

    @property
    def signatures(self) -> Mapping[str, Signature]:
        """Every indexed signature, by id (made when looked up)."""
        return _ByRow(self._rows, self._columns.signature)

    def signatures_by_id(self) -> Mapping[str, Signature]:
        """`signatures`."""
        return self.signatures

    def sizes_by_id(self) -> Mapping[str, int]:
        """`sizes`."""
        return self.sizes

    @property
    def sizes(self) -> Mapping[str, int]:
        """How many distinct shingles each indexed article's set held, by id: its signature's `size`, without
        making the signature."""
        return _ByRow(self._rows, lambda row: int(self._columns.sizes[row]))

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
            kept = columns.named[rows] & (columns.names[rows] >= min_names)
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

    def drop_lookups(self, keep_names: bool = False) -> None:
        """Let the LSH tables and the names MinHash go, about 1.5 KB an article: for a scan that wants only its
        result, which is built in the room they leave. The index still answers everything but look-ups (the
        signatures it gives from now on carry no `topic`, unless `keep_names`: only look-ups and the related
        check read it); it takes no more articles, but for a stored index's rows (`restore_packed`)."""
        self.lsh = self.topics = cast(BandIndex, _Dropped())
        self._dropped = True
        if not keep_names:
            self._names_kept = False
            columns = self._columns
            columns.topics = np.empty((0, columns.topics.shape[1]), dtype=np.uint32)
            columns.named[:] = False

    def insert(self, signature: Signature, document: Document | None = None, fingerprint: int = 0) -> None:
        """Add an article's signature and metadata; an id indexed before is replaced, with its pairs."""
        self._taking()
        self.remove(signature.id)
        if self._keeps_documents:
            self._documents[signature.id] = _pack(document or Document(signature.id), fingerprint)
        row = self._rows[signature.id] = int(self._columns.append([signature])[0])
        if signature.size:
            self.lsh.add(row, self.lsh.keys(signature.hashvalues))
        if signature.names >= self.min_names and signature.topic is not None:
            self.topics.add(row, self.topics.keys(signature.topic))

    def insert_many(
        self,
        signatures: Sequence[Signature],
        documents: Sequence[Document | None],
        fingerprints: Sequence[int],
        threshold: float = 0.0,
        min_names: int = 1,
    ) -> list[tuple[list[str], list[str]]]:
        """Add articles in order, each as `insert` would after looking up its `candidates` and `related`
        (with `threshold` and `min_names`); what each look-up found.

        Articles new to the index are looked up all at once: what every article finds among those
        indexed before it, counted as the look-ups one by one count it.
        """
        found = self.insert_rows(signatures, documents, fingerprints, threshold, min_names)
        if found is None:
            return insert_each(self, signatures, documents, fingerprints, threshold, min_names)
        count = len(signatures)
        return list(zip(self._named_each(found.candidates, count), self._named_each(found.related, count), strict=True))

    def insert_rows(
        self,
        signatures: Sequence[Signature],
        documents: Sequence[Document | None],
        fingerprints: Sequence[int],
        threshold: float = 0.0,
        min_names: int = 1,
    ) -> Found | None:
        """`insert_many` for a batch of articles new to the index, what each found given as rows; None, and
        nothing added, for a batch that must go one by one (too small, an id indexed or given twice)."""
        self._taking()
        ids = [signature.id for signature in signatures]
        alone = len(ids) < TOGETHER_FROM or len(set(ids)) < len(ids)
        if alone or any(doc_id in self._rows for doc_id in ids):
            return None
        parts: list[tuple[int, Found]] = []
        done = 0
        while done < len(signatures):
            count = self._room(signatures[done:])
            parts.append((done, self._insert_new(signatures[done : done + count], threshold, min_names)))
            done += count
        if self._keeps_documents:
            for signature, document, fingerprint in zip(signatures, documents, fingerprints, strict=True):
                self._documents[signature.id] = _pack(document or Document(signature.id), fingerprint)
        return _joined(parts)

    def restore_packed(self, packed: Packed) -> Rows:
        """Take in articles new to this copy that were looked up before, in the order they were indexed, given
        packed (a stored index loading, without an object per article): no look-ups, their band keys added at
        once; their rows. Once
        the look-up tables are gone, only the signatures are kept (`drop_lookups`): a copy to read them from."""
        rows = self._columns.append_packed(packed, topics=self._names_kept)
        self._rows.update(zip(packed.ids, rows.tolist(), strict=True))
        if self._dropped:
            return rows
        taking_lsh = rows[packed.sizes > 0]
        taking_topics = rows[packed.named & (packed.names >= self.min_names)]
        for bands, taking, column in ((self.lsh, taking_lsh, "hashvalues"), (self.topics, taking_topics, "topics")):
            if len(taking):
                bands.add_many(taking, bands.keys(getattr(self._columns, column)[taking]))
        return rows

    def _taking(self) -> None:
        """Refuse to add an article once the look-up tables are gone (before anything is written)."""
        if self._dropped:
            raise RuntimeError(DROPPED)

    def row_of(self, doc_id: str) -> int | None:
        """The row an indexed article takes in the columns, or None."""
        return self._rows.get(doc_id)

    def columns(self) -> Columns:
        """Every row's signature arrays, read in place (valid until the next insert)."""
        columns = self._columns
        return Columns(
            columns.hashvalues,
            columns.sizes,
            columns.starts,
            columns.lengths,
            columns.hashes,
            columns.quoted,
            columns.signature,
        )

    def add_link_rows(self, links: npt.NDArray[np.int64]) -> None:
        """Keep related links given as a pair of live rows each."""
        self._links.extend(links.astype(np.int32).reshape(-1, 2))

    def _room(self, signatures: Sequence[Signature]) -> int:
        """How many of the articles can be added before a band table moves its dict into a sorted run
        (the last of them moves it): the look-ups of those after would meet other runs."""
        room = len(signatures)
        for bands, takes in ((self.lsh, self._in_lsh), (self.topics, self._in_topics)):
            taking = np.flatnonzero([takes(signature) for signature in signatures])
            if len(taking) >= bands.room():
                room = min(room, int(taking[bands.room() - 1]) + 1)
        return room

    def _in_lsh(self, signature: Signature) -> bool:
        """Whether an article is in the LSH of shingles."""
        return bool(signature.size)

    def _in_topics(self, signature: Signature) -> bool:
        """Whether an article is in the LSH of names."""
        return signature.names >= self.min_names and signature.topic is not None

    def _insert_new(self, signatures: Sequence[Signature], threshold: float, min_names: int) -> Found:
        """Add articles new to the index, none of which makes a band table settle but the last; what the
        look-ups of each found."""
        from dedup.figures import shared_values  # numba's import is paid by the first batch, not by `import dedup`

        rows = self._columns.append(signatures)
        self._rows.update(zip((signature.id for signature in signatures), rows.tolist(), strict=True))
        candidates = self._looked_up(self.lsh, signatures, rows, self._in_lsh, "hashvalues")
        takers, found = self._looked_up(self.topics, signatures, rows, self._in_topics, "topics")
        if len(takers) and (threshold > 0.0 or min_names > self.min_names):
            columns = self._columns
            kept = columns.named[found] & (columns.names[found] >= min_names)
            kept &= shared_values(columns.topics, rows[takers], found) >= threshold  # named_alike, in place
            takers, found = takers[kept], found[kept]
        if len(takers):
            asking = np.fromiter(
                (signature.names >= min_names and signature.topic is not None for signature in signatures),
                dtype=np.bool_,
                count=len(signatures),
            )
            kept = asking[takers]
            takers, found = takers[kept], found[kept]
        return Found(rows, candidates, (takers, found))

    def _looked_up(
        self,
        bands: BandIndex,
        signatures: Sequence[Signature],
        rows: Rows,
        takes: Callable[[Signature], bool],
        column: str,
    ) -> tuple[Rows, Rows]:
        """Look up then add, in one band table, those of the articles it takes: for each row found (the closest
        ones), the position of the article that found it, and the row."""
        taking = np.flatnonzero([takes(signature) for signature in signatures])
        if not len(taking):
            return _NONE, _NONE
        keys = bands.keys(getattr(self._columns, column)[rows[taking]])
        takers, found, _ = bands.add_looked_up(rows[taking].tolist(), keys, MAX_CANDIDATES)
        return taking[takers], found

    def _named_each(self, found: tuple[Rows, Rows], count: int) -> list[list[str]]:
        """The ids of the rows each of `count` articles found, sorted (`found`: the position of the article
        that found each row, in increasing order, and the row)."""
        takers, rows = found
        ids = self._columns.ids
        parts = np.split(rows, np.searchsorted(takers, np.arange(1, count)))
        return [sorted(map(ids.__getitem__, part.tolist())) for part in parts]

    def signature(self, doc_id: str) -> Signature:
        """The signature indexed under an id."""
        return self._columns.signature(self._rows[doc_id])

    def remove(self, doc_id: str) -> bool:
        """Forget an article, its pairs and its links; whether it was indexed."""
        row = self._rows.pop(doc_id, None)
        if row is not None:
            if not self._dropped:
                self.lsh.remove(row)
                self.topics.remove(row)
            self._dead_links = True  # its links are dropped when next read: a removal costs nothing
            self._pairs.drop(row)
        self._documents.pop(doc_id, None)
        return row is not None

    def fingerprint(self, doc_id: str) -> int | None:
        """The fingerprint of the text indexed under an id, or None when the id is not indexed."""
        packed = self._documents.get(doc_id)
        return None if packed is None else int(marshal.loads(packed)[0])

    def document(self, doc_id: str) -> Document:
        """The metadata indexed under an id."""
        return _unpack(self._documents[doc_id])

    def documents(self) -> Iterator[Document]:
        """Every indexed article's metadata, in the order they were added."""
        return map(_unpack, self._documents.values())

    def add_pairs(self, pairs: Iterable[Pair]) -> None:
        """Keep verified pairs of indexed articles (a pair verified again replaces the old verdict)."""
        for pair in pairs:
            ends = self._ends([pair])
            kept = self._pairs.find(int(ends[0, 0]), int(ends[0, 1]))
            if kept >= 0:
                self._pairs.replace(kept, ends[0], pair)
            else:
                self._pairs.add_new(ends, [pair])

    def add_new_pairs(self, pairs: Iterable[Pair]) -> None:
        """Keep verified pairs of indexed articles of which none was kept before (those of articles just
        added): `add_pairs`, without looking for an old verdict to replace."""
        pairs = list(pairs)
        self._pairs.add_new(self._ends(pairs), pairs)

    def _ends(self, pairs: list[Pair]) -> npt.NDArray[np.int64]:
        """The rows of each pair's two articles, a line each (two articles, both indexed)."""
        rows = self._rows
        for pair in pairs:
            if pair.a == pair.b or pair.a not in rows or pair.b not in rows:
                raise KeyError(f"a pair is of two articles this index holds, not of {pair.a!r} and {pair.b!r}")
        return np.array([(rows[pair.a], rows[pair.b]) for pair in pairs], dtype=np.int64).reshape(-1, 2)

    def pairs_of(self, doc_id: str) -> list[Pair]:
        """The verified pairs an article is in, in the order first verified."""
        row = self._rows.get(doc_id)
        return [] if row is None else self._pairs.made(self._pairs.numbers_of(row), self._columns.ids)

    def pairs(self) -> Iterator[Pair]:
        """Every verified pair, once."""
        return self._pairs.every(self._columns.ids)

    def add_links(self, links: Iterable[tuple[str, str]]) -> None:
        """Keep related links: two articles reporting one story (both indexed; a link to any other is dropped)."""
        rows = self._rows
        pairs = [(rows[a], rows[b]) for a, b in links if a in rows and b in rows]
        self._links.extend(np.array(pairs, dtype=np.int32).reshape(-1, 2))

    def links(self) -> Iterator[tuple[str, str]]:
        """Every related link, once, as an ordered pair of ids."""
        blocks = self.link_rows().blocks
        count = self._columns.rows
        ends = [block.astype(np.int64) for block in blocks]
        keys = sorted_unique(np.concatenate([end.min(axis=1) * count + end.max(axis=1) for end in ends] or [_NONE]))
        ids = self._columns.ids
        named = ((ids[key // count], ids[key % count]) for key in keys.tolist())
        return ((min(a, b), max(a, b)) for a, b in named)

    def links_touching(self, ids: Collection[str]) -> list[tuple[str, str]]:
        """The related links with an end among `ids`, once each, sorted."""
        return sorted(link for link in self.links() if link[0] in ids or link[1] in ids)

    def link_rows(self, among: Sequence[str] = ()) -> LinkRows:
        """Every related link, as the rows of its ends (the same link may come twice): what related groups are
        built from, without a pair of strings per link. (`among` is every article here: only this process
        changes an index in its memory.)"""
        if self._dead_links:
            alive = np.zeros(self._columns.rows, dtype=np.bool_)
            alive[np.fromiter(self._rows.values(), np.int64, len(self._rows))] = True
            self._links.keep(alive)
            self._dead_links = False
        return LinkRows(self._columns.ids, self._rows, self._links.blocks())

    def signatures_of(self, ids: Iterable[str]) -> dict[str, Signature]:
        """The signatures of some indexed articles."""
        return {doc_id: self.signature(doc_id) for doc_id in ids}

    def commit(self) -> None:
        """Nothing to make durable: the index lives as long as the process."""

    def close(self) -> None:
        """Nothing to release."""


_NONE = np.empty(0, dtype=np.int64)
DROPPED = "this index let its look-up tables go (drop_lookups): it takes no more articles"
_T = TypeVar("_T")


def _pack(document: Document, fingerprint: int) -> bytes:
    """A document's fields and its text's fingerprint as one bytes object: about 250 bytes an article where the
    objects took 650. Only this process reads them back (marshal is never read from a file here)."""
    return marshal.dumps((fingerprint, *(getattr(document, name) for name in _FIELDS)))


def _unpack(packed: bytes) -> Document:
    """The document `_pack` packed."""
    return Document(*marshal.loads(packed)[1:])


_FIELDS = tuple(field.name for field in fields(Document))


class _Dropped:
    """Band tables let go (`MemoryIndex.drop_lookups`): any use of them says so."""

    def __getattr__(self, name: str) -> NoReturn:
        raise RuntimeError(DROPPED)


def _joined(parts: list[tuple[int, Found]]) -> Found:
    """One batch's finds from those of its parts (each with the position of its first article)."""
    if len(parts) == 1:
        return parts[0][1]

    def side(finds: list[tuple[Rows, Rows]]) -> tuple[Rows, Rows]:
        takers = [found[0] + done for (done, _), found in zip(parts, finds, strict=True)]
        return np.concatenate(takers), np.concatenate([found[1] for found in finds])

    rows = np.concatenate([found.rows for _, found in parts])
    return Found(rows, side([found.candidates for _, found in parts]), side([found.related for _, found in parts]))


class _ByRow(Mapping[str, _T]):
    """Something of each article a memory index holds, by id, made from its row when looked up."""

    def __init__(self, rows: dict[str, int], made: Callable[[int], _T]) -> None:
        self._rows, self._made = rows, made

    def __getitem__(self, doc_id: str) -> _T:
        return self._made(self._rows[doc_id])

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._rows  # without making the thing (`Mapping` would look it up)

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)
