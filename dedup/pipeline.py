"""The whole line, read -> clean -> sign -> index -> cluster, for a folder or one article at a time.

`Deduplicator` is what a scraper calls: add articles as they arrive and learn at once whether each
copies one seen before. `scan` runs it over files and folders. Only metadata and signatures are
kept per article, never its text: a fixed-size MinHash, and a sample of one shingle in four for
containment and alignment, so memory grows with the number of articles and a quarter of their words.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import numpy as np

from dedup.clean import clean
from dedup.cluster import Rules, build_clusters, copies_among, copies_between, copies_in, verify
from dedup.index import LSH_THRESHOLD, Index, MemoryIndex
from dedup.index.base import DropsLookups, FindsRows, Found, LinkRows, link_rows
from dedup.model import Article, CleanArticle, Document, Format, Pair, Prepared, ScanResult, Signature, Skipped
from dedup.parallel import clean_one, prepared, text_fingerprint
from dedup.read import Fields, read
from dedup.related import build_related, components
from dedup.sign import Signer

# Below this many articles, --verbose compares every pair, so the margin between copies and
# related coverage shows; above it only the pairs LSH proposed are printed.
ALL_PAIRS_LIMIT = 2000
# Articles between two commits of a persistent index: a few seconds of work, lost at most on a crash.
COMMIT_EVERY = 500
# A run's reach (its articles and those joined to them) of more than this share of a persistent index
# is worked out on the whole index read at once, not article by article: one by one it costs queries for
# each article and link end, and a run's related links can reach most of the index (at 1M, 1,000 new
# articles reached 856k, 10,000 reached 868k: 126 and 151 s one by one, 87 s for the 10,000 read whole).
REACH_SHARE = 0.05
# Articles a scan indexes together at most (between two commits, however far apart): the look-ups and
# checks of many articles cost little more than those of one.
TOGETHER = 1000


@dataclass(frozen=True, slots=True)
class Match:
    """What adding one article found: its cleaned form and the earlier articles it copies."""

    article: CleanArticle
    copies: tuple[Pair, ...]

    @property
    def is_copy(self) -> bool:
        """Whether the article copies at least one article added before it."""
        return bool(self.copies)


class Deduplicator:
    """Finds copies among articles added one by one.

    Args:
        signer: How texts become signatures (shingle size, permutations).
        rules: When two articles count as copies, and when as related reports.
        lsh_threshold: Similarity at which LSH proposes candidates for verification.
        index: Where signatures, metadata and verdicts are kept: in memory by default, or a
            `dedup.index.SqliteIndex` that persists between runs.

    Example:
        >>> finder = Deduplicator()
        >>> finder.add("Kim received a car from Putin, state media said on Tuesday.", id="a").is_copy
        False
    """

    def __init__(
        self,
        signer: Signer | None = None,
        rules: Rules | None = None,
        lsh_threshold: float = LSH_THRESHOLD,
        index: Index | None = None,
    ) -> None:
        self.signer = signer or Signer()
        self.rules = rules or Rules()
        if index is None:  # not `index or ...`: an empty index is falsy
            index = MemoryIndex(self.signer, lsh_threshold, min_names=self.rules.min_names)
        self.index: Index = index

    @property
    def documents(self) -> dict[str, Document]:
        """Every article indexed so far, by id."""
        return {document.id: document for document in self.index.documents()}

    def add(self, article: Article | str | bytes, *, id: str | None = None, format: Format = "text") -> Match:
        """Clean, sign and index one article (or a page's text, or its HTML as text or as the UTF-8 bytes a
        response holds); report the earlier articles it copies."""
        if isinstance(article, (str, bytes)):
            article = Article(id or self._new_id(), article, format)
        cleaned = clean(article)
        return self.add_clean(cleaned)

    def add_clean(self, cleaned: CleanArticle) -> Match:
        """Sign and index an article already cleaned.

        The same id with the same text again changes nothing; with a new text it replaces the old.
        """
        fingerprint = text_fingerprint(cleaned.text)
        if self.index.fingerprint(cleaned.id) == fingerprint:
            return Match(cleaned, self._copies_of(cleaned.id))
        signature = self.signer.sign(cleaned.id, cleaned.text)
        return Match(cleaned, self._index([Prepared(Document.of(cleaned), fingerprint, signature)])[0])

    def add_prepared(self, prepared: Prepared) -> tuple[Pair, ...]:
        """Index an article already cleaned and signed (by a worker process); the copies found."""
        if self.index.fingerprint(prepared.document.id) == prepared.fingerprint:
            return self._copies_of(prepared.document.id)
        return self._index([prepared])[0]

    def add_many(self, prepared: Iterable[Prepared]) -> list[tuple[Pair, ...]]:
        """Index articles already cleaned and signed, in order; the copies each found, as `add_prepared` one
        after the other finds them. Articles new to the index are indexed together, in one go."""
        found: list[tuple[Pair, ...]] = []
        new: dict[str, Prepared] = {}
        for item in prepared:
            doc_id = item.document.id
            if doc_id in new or self.index.fingerprint(doc_id) is not None:  # after the articles before it
                found += self._index(list(new.values()))
                new = {}
                found.append(self.add_prepared(item))
            else:
                new[doc_id] = item
        return found + self._index(list(new.values()))

    def _index(self, prepared: list[Prepared]) -> list[tuple[Pair, ...]]:
        """Verify articles against their candidates and index them, each in turn; the copies each found.

        The index looks every article up before adding it (replacing an earlier text of its id); the
        candidates of all are then verified at once.
        """
        if not prepared:
            return []
        signatures = [item.signature for item in prepared]
        rules = self.rules
        if isinstance(self.index, FindsRows):
            documents = [item.document for item in prepared]
            fingerprints = [item.fingerprint for item in prepared]
            rows = self.index.insert_rows(signatures, documents, fingerprints, rules.related, rules.min_names)
            if rows is not None:
                return self._index_found(self.index, signatures, rows)
        found = self.index.insert_many(
            signatures,
            [item.document for item in prepared],
            [item.fingerprint for item in prepared],
            rules.related,
            rules.min_names,
        )
        ids = [signature.id for signature in signatures]
        each = self._copies(signatures, [candidates for candidates, _ in found])
        for pairs in each:
            self.index.add_pairs(pairs)
        self.index.add_links(
            (min(other, doc_id), max(other, doc_id))
            for doc_id, (_, related) in zip(ids, found, strict=True)
            for other in related
        )
        return [tuple(pairs) for pairs in each]

    def _index_found(self, index: FindsRows, signatures: list[Signature], found: Found) -> list[tuple[Pair, ...]]:
        """What `_index` does once an index that finds rows has added a batch: its candidates verified in the
        index's columns, its related links kept as rows; the copies each article found, in the order of the
        ids of the articles it copies, as `_index` finds them."""
        takers, others = found.candidates
        each: list[list[Pair]] = [[] for _ in signatures]
        for at, pair in copies_in(index.columns(), found.rows[takers], others, self.rules):
            each[int(takers[at])].append(pair)
        each = [_by_other(pairs, signature.id) for signature, pairs in zip(signatures, each, strict=True)]
        index.add_new_pairs(pair for pairs in each for pair in pairs)  # the articles are new: so are their pairs
        askers, related = found.related
        index.add_link_rows(np.stack([found.rows[askers], related], axis=1))
        return [tuple(pairs) for pairs in each]

    def _copies(self, signatures: list[Signature], candidates: list[list[str]]) -> list[list[Pair]]:
        """The copies each article makes of its candidates, in their order (rejected pairs are not kept: N² of
        them): one article's few candidates verified one by one, or the candidates of many checked at once."""
        if len(signatures) == 1:
            others = [self.index.signature(other) for other in candidates[0]]
            return [copies_among(signatures[0], others, self.rules)]
        theirs = [other for found in candidates for other in found]
        owner = np.repeat(np.arange(len(candidates)), [len(found) for found in candidates])
        ids = [signature.id for signature in signatures]
        each: list[list[Pair]] = [[] for _ in candidates]
        for at, pair in copies_between(self.index.gather(ids), self.index.gather(theirs), self.rules, owner):
            each[int(owner[at])].append(pair)
        return each

    def _copies_of(self, doc_id: str) -> tuple[Pair, ...]:
        """The copies an indexed article was found to make or have."""
        return tuple(pair for pair in self.index.pairs_of(doc_id) if pair.copy)

    def _new_id(self) -> str:
        """An id for an article added without one, never one already taken."""
        number = len(self.index) + 1
        while f"doc{number}" in self.index:
            number += 1
        return f"doc{number}"

    def result(
        self, skipped: Iterable[Skipped] = (), *, all_pairs: bool = False, only: Iterable[str] | None = None
    ) -> ScanResult:
        """The documents added so far, grouped into syndication clusters and related groups.

        With `only`, just those articles and every article joined to them, transitively, as a
        copy or a related report: today's run against an index that holds years. They are looked up
        one by one while they are few (`REACH_SHARE` of the index); past that, from the index read whole.
        """
        links: LinkRows | list[tuple[str, str]]
        start = None if only is None else list(dict.fromkeys(only))
        reached = None if start is None else self._reach(start, int(REACH_SHARE * len(self.index)))
        if reached is not None:
            documents, pairs, links = reached
        else:
            documents = list(self.index.documents())
            # Another process may commit between these reads: report only what joins documents read.
            known = {document.id for document in documents}
            pairs = [pair for pair in self.index.pairs() if pair.a in known and pair.b in known]
            links = link_rows(self.index, documents)  # as numbers: tens of millions at a million articles
            if start is not None:
                documents, pairs, links = _reached(start, documents, pairs, links)
        copies = [pair for pair in pairs if pair.copy]
        signatures: Mapping[str, Signature]
        sizes: Mapping[str, int] | None = None
        if isinstance(self.index, FindsRows):  # made from its columns when asked: ~1 KB each, 500k at 1M
            signatures, sizes = self.index.signatures_by_id(), self.index.sizes_by_id()
        else:
            signatures = self.index.signatures_of({doc for pair in copies for doc in (pair.a, pair.b)})
        # Another process may have removed an article since its pairs were read: its copies go with it.
        copies = [pair for pair in copies if pair.a in signatures and pair.b in signatures]
        by_id = {document.id: document for document in documents}
        clusters = build_clusters(copies, by_id, signatures, self.rules, sizes)
        related = build_related(links, clusters)
        if all_pairs and len(documents) <= ALL_PAIRS_LIMIT:
            pairs = self._every_pair(documents, pairs)
        ranked = sorted(pairs, key=lambda p: (-p.similarity, p.a, p.b))
        return ScanResult(tuple(documents), clusters, tuple(skipped), tuple(ranked), related)

    def _reach(self, start: list[str], most: int) -> tuple[list[Document], list[Pair], list[tuple[str, str]]] | None:
        """The articles joined to `start` by copies or related links, with the pairs and links among them
        (articles of `start` no longer indexed, removed by another process, left out); None once they are
        more than `most`: then the whole index read at once costs less (`_reached`)."""
        if len(start) > most:
            return None
        start = [doc_id for doc_id in start if doc_id in self.index]
        seen, queue = set(start), list(start)
        pairs: dict[tuple[str, str], Pair] = {}
        while queue:
            if len(seen) > most:
                return None
            doc_id = queue.pop()
            for pair in self.index.pairs_of(doc_id):
                pairs[(pair.a, pair.b)] = pair
                other = pair.b if pair.a == doc_id else pair.a
                if pair.copy and other not in seen:
                    seen.add(other)
                    queue.append(other)
        links = self.index.links_touching(seen)
        for a, b in links:
            seen.update((a, b))
        if len(seen) > most:
            return None
        documents = _still_indexed(self.index, start + sorted(seen - set(start)))
        known = {document.id for document in documents}  # another process may have removed some meanwhile
        kept = [pair for pair in pairs.values() if pair.a in known and pair.b in known]
        return documents, kept, [(a, b) for a, b in links if a in known and b in known]

    def _every_pair(self, documents: list[Document], known: list[Pair]) -> list[Pair]:
        """Every pair of documents, verified: the evidence of how far copies stand from the rest."""
        signatures = self.index.signatures_of(document.id for document in documents)
        verified = {(pair.a, pair.b): pair for pair in known}
        return [
            verified.get((a, b)) or verify(signatures[a], signatures[b], self.rules)
            for a, b in itertools.combinations(sorted(signatures), 2)
        ]

    def commit(self) -> None:
        """Make every article added so far durable (a no-op for the in-memory index)."""
        self.index.commit()


def _still_indexed(index: Index, ids: list[str]) -> list[Document]:
    """The documents of those articles still indexed, in order: another process may remove one at any time."""
    documents = []
    for doc_id in ids:
        try:
            documents.append(index.document(doc_id))
        except KeyError:
            continue
    return documents


def _reached(
    start: list[str], documents: list[Document], pairs: list[Pair], links: LinkRows
) -> tuple[list[Document], list[Pair], LinkRows]:
    """What `Deduplicator._reach` finds, worked out in numbers over the whole index read at once: the articles
    of `start` still indexed, those joined to them by copies, transitively, and those a related link joins to
    any of these; the pairs of the articles joined by copies, and their links, among what is kept."""
    number = links.rows
    indexed = [doc_id for doc_id in start if doc_id in number]
    edges = np.array([(number[pair.a], number[pair.b]) for pair in pairs if pair.copy], dtype=np.int32)
    roots = components(len(links.ids), [edges.reshape(-1, 2)])
    copied = np.isin(roots, roots[[number[doc_id] for doc_id in indexed]])
    touching = [block[copied[block].any(axis=1)] for block in links.blocks]
    seen = copied.copy()
    for block in touching:
        seen[block.ravel()] = True
    first = set(indexed)
    by_id = {document.id: document for document in documents if seen[number[document.id]]}
    order = indexed + sorted(doc_id for doc_id in by_id if doc_id not in first)
    ends = [(number[pair.a], number[pair.b]) for pair in pairs]
    kept = [pair for pair, (a, b) in zip(pairs, ends, strict=True) if (copied[a] or copied[b]) and seen[a] and seen[b]]
    return [by_id[doc_id] for doc_id in order], kept, LinkRows(links.ids, links.rows, touching)


def _by_other(pairs: list[Pair], doc_id: str) -> list[Pair]:
    """An article's pairs in the order of the other article's id."""
    if len(pairs) < 2:
        return pairs
    return sorted(pairs, key=lambda pair: pair.b if pair.a == doc_id else pair.a)


def scan(
    paths: Iterable[str | Path],
    *,
    fields: Fields | None = None,
    stdin: IO[bytes] | None = None,
    deduplicator: Deduplicator | None = None,
    all_pairs: bool = False,
    on_skip: Callable[[Skipped], None] | None = None,
    only_added: bool = False,
    commit_every: int = COMMIT_EVERY,
    workers: int = 1,
    last: bool = False,
) -> ScanResult:
    """Read, clean and index every article under the paths; group the copies into clusters.

    Cleaning and signing run on `workers` processes (0: one per core). With `only_added`, the
    result holds the articles of this scan and what joins them to articles indexed before (for a
    persistent index, which holds every earlier run). Work is committed every `commit_every`
    articles: a run killed midway keeps what it had committed. With `last` (implied when no
    `deduplicator` is given), nothing is added after this scan: an in-memory index lets its
    look-up tables go before the result is built in the room they leave.
    """
    last = last or deduplicator is None
    finder = deduplicator if deduplicator is not None else Deduplicator()
    skipped: list[Skipped] = []
    added: list[str] = []
    waiting: list[Prepared] = []  # indexed together, up to each commit
    durable = not isinstance(finder.index, MemoryIndex)  # an index in memory has nothing to commit
    items = read(paths, fields=fields or Fields(), stdin=stdin)
    for item in prepared(items, finder.signer, workers):
        if isinstance(item, Skipped):
            skipped.append(item)
            if on_skip:
                on_skip(item)
            continue
        waiting.append(item)
        added.append(item.document.id)
        committing = durable and len(added) % commit_every == 0
        if committing or len(waiting) == TOGETHER:
            finder.add_many(waiting)
            waiting = []
        if committing:
            finder.commit()
    finder.add_many(waiting)
    finder.commit()
    if last and isinstance(finder.index, DropsLookups):
        finder.index.drop_lookups()
    return finder.result(skipped, all_pairs=all_pairs, only=added if only_added else None)


def cleaned(
    paths: Iterable[str | Path], *, fields: Fields | None = None, stdin: IO[bytes] | None = None
) -> Iterator[CleanArticle | Skipped]:
    """Every article under the paths, cleaned; inputs that could not be read, or held no article, skipped."""
    for item in read(paths, fields=fields or Fields(), stdin=stdin):
        yield clean_one(item)
