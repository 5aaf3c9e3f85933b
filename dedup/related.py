"""The looser level above syndication clusters: independent reports of the same story.

Outlets covering one event write their own text but name the same people, places and bodies, and
often quote the same statement. Two articles are related when the names they mention overlap enough;
copies are always related. Related groups are reported beside the clusters, never merged into them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from dedup.cluster import MIN_NAMES, RELATED, Components
from dedup.model import Cluster, Related, Signature


def is_related(a: Signature, b: Signature, threshold: float = RELATED, min_names: int = MIN_NAMES) -> bool:
    """Whether two articles name enough of the same people and places to be reports of one story."""
    return bool(related_among(a, [b], threshold, min_names))


def related_among(
    signature: Signature, others: Sequence[Signature], threshold: float = RELATED, min_names: int = MIN_NAMES
) -> list[str]:
    """The ids of the others an article is related to: `is_related` over many at once."""
    if signature.topic is None or signature.names < min_names:
        return []
    named = [other for other in others if other.topic is not None and other.names >= min_names]
    if not named:
        return []
    equal = np.array([other.topic for other in named]) == signature.topic
    shared = np.count_nonzero(equal, axis=1) / equal.shape[1]
    return [other.id for other, share in zip(named, shared.tolist(), strict=True) if share >= threshold]


def build_related(links: Iterable[tuple[str, str]], clusters: Iterable[Cluster]) -> tuple[Related, ...]:
    """Related groups: articles joined by related links or by being copies, with the clusters inside."""
    components = Components()
    clusters = list(clusters)
    for a, b in links:
        components.union(a, b)
    for cluster in clusters:
        for member in cluster.members[1:]:
            components.union(cluster.members[0], member)
    groups = components.groups()
    root_of = {components.find(group[0]): number for number, group in enumerate(groups)}
    inside: list[list[str]] = [[] for _ in groups]
    for cluster in clusters:
        inside[root_of[components.find(cluster.members[0])]].append(cluster.id)
    return tuple(
        Related(f"r{number}", tuple(group), tuple(inside[number - 1])) for number, group in enumerate(groups, start=1)
    )
