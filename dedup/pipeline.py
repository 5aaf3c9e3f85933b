"""The whole line, read -> clean -> sign -> index -> cluster, for a folder or one article at a time.

`Deduplicator` is what a scraper calls: add articles as they arrive and learn at once whether each
copies one seen before. `scan` runs it over files and folders. Only metadata and signatures are
kept per article, never its text: a fixed-size MinHash, and a sample of one shingle in four for
containment and alignment, so memory grows with the number of articles and a quarter of their words.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from dedup.clean import clean
from dedup.cluster import Rules, build_clusters, verify
from dedup.index import LSH_THRESHOLD, MemoryIndex
from dedup.model import Article, CleanArticle, Document, Format, Pair, ScanResult, Skipped
from dedup.read import Fields, read
from dedup.related import build_related, is_related
from dedup.sign import Signer

EMPTY = "no article text left after cleaning"
# Below this many articles, --verbose compares every pair, so the margin between copies and
# related coverage shows; above it only the pairs LSH proposed are printed.
ALL_PAIRS_LIMIT = 2000


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
        rules: When two articles count as copies.
        lsh_threshold: Similarity at which LSH proposes candidates for verification.

    Example:
        >>> finder = Deduplicator()
        >>> finder.add("Kim received a car from Putin, state media said on Tuesday.", id="a").is_copy
        False
    """

    def __init__(
        self, signer: Signer | None = None, rules: Rules | None = None, lsh_threshold: float = LSH_THRESHOLD
    ) -> None:
        self.signer = signer or Signer()
        self.rules = rules or Rules()
        self.index = MemoryIndex(self.signer, lsh_threshold, min_names=self.rules.min_names)
        self.documents: dict[str, Document] = {}
        self.pairs: dict[tuple[str, str], Pair] = {}
        self.links: set[tuple[str, str]] = set()  # related reports: the same story, told independently

    def add(self, article: Article | str, *, id: str | None = None, format: Format = "text") -> Match:
        """Clean, sign and index one article; report the earlier articles it copies."""
        if isinstance(article, str):
            article = Article(id or self._new_id(), article, format)
        cleaned = clean(article)
        return self.add_clean(cleaned)

    def add_clean(self, cleaned: CleanArticle) -> Match:
        """Sign and index an article already cleaned."""
        if cleaned.id in self.documents:  # replaced: what it matched before no longer holds
            self.pairs = {key: pair for key, pair in self.pairs.items() if cleaned.id not in key}
            self.links = {link for link in self.links if cleaned.id not in link}
        signature = self.signer.sign(cleaned.id, cleaned.text)
        found = [verify(signature, self.index.signature(c), self.rules) for c in self.index.candidates(signature)]
        for other in self.index.related(signature):
            if is_related(signature, self.index.signature(other), self.rules.related, self.rules.min_names):
                self.links.add((min(other, cleaned.id), max(other, cleaned.id)))
        self.index.insert(signature)
        self.documents[cleaned.id] = Document.of(cleaned)
        for pair in found:
            self.pairs[(pair.a, pair.b)] = pair
        return Match(cleaned, tuple(pair for pair in found if pair.copy))

    def _new_id(self) -> str:
        """An id for an article added without one, never one already taken."""
        number = len(self.documents) + 1
        while f"doc{number}" in self.documents:
            number += 1
        return f"doc{number}"

    def result(self, skipped: Iterable[Skipped] = (), *, all_pairs: bool = False) -> ScanResult:
        """Every document added so far, grouped into syndication clusters."""
        pairs = list(self.pairs.values())
        if all_pairs and len(self.documents) <= ALL_PAIRS_LIMIT:
            pairs = self._every_pair()
        signatures = self.index.signatures
        clusters = build_clusters(self.pairs.values(), self.documents, signatures, self.rules)
        related = build_related(sorted(self.links), clusters)
        ranked = sorted(pairs, key=lambda p: (-p.similarity, p.a, p.b))
        return ScanResult(tuple(self.documents.values()), clusters, tuple(skipped), tuple(ranked), related)

    def _every_pair(self) -> list[Pair]:
        """Every pair of documents, verified: the evidence of how far copies stand from the rest."""
        signatures = self.index.signatures
        return [
            self.pairs.get((a, b)) or verify(signatures[a], signatures[b], self.rules)
            for a, b in itertools.combinations(sorted(signatures), 2)
        ]


def scan(
    paths: Iterable[str | Path],
    *,
    fields: Fields | None = None,
    stdin: IO[bytes] | None = None,
    deduplicator: Deduplicator | None = None,
    all_pairs: bool = False,
    on_skip: Callable[[Skipped], None] | None = None,
) -> ScanResult:
    """Read, clean and index every article under the paths; group the copies into clusters."""
    finder = deduplicator or Deduplicator()
    skipped: list[Skipped] = []
    for item in cleaned(paths, fields=fields, stdin=stdin):
        if isinstance(item, Skipped):
            skipped.append(item)
            if on_skip:
                on_skip(item)
        else:
            finder.add_clean(item)
    return finder.result(skipped, all_pairs=all_pairs)


def cleaned(
    paths: Iterable[str | Path], *, fields: Fields | None = None, stdin: IO[bytes] | None = None
) -> Iterator[CleanArticle | Skipped]:
    """Every article under the paths, cleaned; inputs that could not be read, or held no article, skipped."""
    for item in read(paths, fields=fields or Fields(), stdin=stdin):
        if isinstance(item, Skipped):
            yield item
            continue
        try:
            article = clean(item)
        except Exception as error:  # a cleaner bug on one page must not stop a run over thousands
            yield Skipped(item.path or item.id, f"could not be cleaned: {type(error).__name__}: {error}")
            continue
        if article.text.strip():
            yield article
        else:
            yield Skipped(item.path or item.id, EMPTY)
