"""From candidate pairs to syndication clusters: verify each pair, join copies, name the origin."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass

from dedup.clean.vocab import agency_named
from dedup.model import Cluster, Document, Pair, Signature
from dedup.sign import Signer

# Chosen from the seeds' figures (copies 0.75 similar, related coverage at most 0.10, 3-word
# shingles): thresholds sit well inside that gap, not at the edge of one pair.
SIMILARITY = 0.35
CONTAINMENT = 0.6


@dataclass(frozen=True, slots=True)
class Rules:
    """When two articles count as copies of one story.

    Args:
        similarity: Estimated Jaccard similarity of shingle sets at or above which they are copies.
        containment: Share of the smaller article found in the larger at or above which they are
            copies (a trimmed reprint keeps few of the original's shingles but all of its own).
        min_shingles: Articles smaller than this are only copies by similarity, never by containment:
            a three-line brief is contained in many stories by chance.
    """

    similarity: float = SIMILARITY
    containment: float = CONTAINMENT
    min_shingles: int = 40


def verify(a: Signature, b: Signature, rules: Rules = Rules()) -> Pair:
    """What two candidate articles are to each other, with the figures that decided it."""
    similarity = Signer.similarity(a, b)
    containment = Signer.containment(a, b)
    big_enough = min(a.size, b.size) >= rules.min_shingles
    copy = similarity >= rules.similarity or (big_enough and containment >= rules.containment)
    first, second = sorted((a.id, b.id))
    return Pair(first, second, round(similarity, 4), round(containment, 4), copy)


class Components:
    """Union-find over article ids: copies of copies are one cluster."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, item: str) -> str:
        """The representative of an item's component."""
        parent = self.parent.setdefault(item, item)
        while parent != self.parent[parent]:
            self.parent[parent] = self.parent[self.parent[parent]]
            parent = self.parent[parent]
        self.parent[item] = parent
        return parent

    def union(self, a: str, b: str) -> None:
        """Join the components of two items."""
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def groups(self) -> list[list[str]]:
        """Every component of two or more items, members sorted, groups in order of first member."""
        found: dict[str, list[str]] = {}
        for item in self.parent:
            found.setdefault(self.find(item), []).append(item)
        return sorted(sorted(group) for group in found.values() if len(group) > 1)


def origin_key(document: Document) -> tuple[int, str, int, str]:
    """Sort key that puts the likeliest origin first: a wire credit, then the earliest date, then the longest."""
    credited = 0 if document.credit and agency_named(document.credit) else 1
    return (credited, document.date or "9999", -document.words, document.id)


def build_clusters(
    pairs: Iterable[Pair], documents: dict[str, Document], signatures: dict[str, Signature]
) -> tuple[Cluster, ...]:
    """Syndication clusters out of verified pairs: connected components of the copies."""
    components = Components()
    pairs = list(pairs)
    for pair in pairs:
        if pair.copy:
            components.union(pair.a, pair.b)
    clusters = []
    for number, members in enumerate(components.groups(), start=1):
        ranked = sorted((documents[m] for m in members), key=origin_key)
        inside = [p for p in pairs if p.copy and p.a in members and p.b in members]
        lowest = min(Signer.similarity(signatures[a], signatures[b]) for a, b in itertools.combinations(members, 2))
        agencies = (agency_named(d.credit) for d in ranked if d.credit)
        clusters.append(
            Cluster(
                id=f"c{number}",
                members=tuple(members),
                canonical=ranked[0].id,
                similarity=round(lowest, 4),
                agency=next((a for a in agencies if a), None),
                pairs=tuple(inside),
            )
        )
    return tuple(clusters)
