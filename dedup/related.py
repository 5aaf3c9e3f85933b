"""The looser level above syndication clusters: independent reports of the same story.

Outlets covering one event write their own text but name the same people, places and bodies, and
often quote the same statement. Two articles are related when the names they mention overlap enough;
copies are always related. Related groups are reported beside the clusters, never merged into them.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from dedup.cluster import MIN_NAMES, RELATED
from dedup.index.base import LinkRows
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


def build_related(links: LinkRows | Iterable[tuple[str, str]], clusters: Iterable[Cluster]) -> tuple[Related, ...]:
    """Related groups: articles joined by related links or by being copies, with the clusters inside.

    A group holds two articles or more, sorted; groups come in the order of their first member, each with
    its clusters in the order of `clusters`. Links come as pairs of ids, or as numbers (`LinkRows`).
    """
    clusters = list(clusters)
    if not isinstance(links, LinkRows):
        links = _numbered(links, clusters)
    blocks = [*links.blocks, _copies(links.rows, clusters)]
    roots = components(len(links.ids), blocks)
    groups, number_of = _groups(roots, blocks, links.ids)
    inside: list[list[str]] = [[] for _ in groups]
    for cluster in clusters:
        inside[number_of[int(roots[links.rows[cluster.members[0]]])]].append(cluster.id)
    return tuple(
        Related(f"r{number}", group, tuple(inside[number - 1])) for number, group in enumerate(groups, start=1)
    )


def _numbered(links: Iterable[tuple[str, str]], clusters: list[Cluster]) -> LinkRows:
    """Links given as pairs of ids as numbers: every article linked or in a cluster numbered as first met."""
    rows: dict[str, int] = {}
    pairs = [(rows.setdefault(a, len(rows)), rows.setdefault(b, len(rows))) for a, b in links]
    for cluster in clusters:
        for member in cluster.members:
            rows.setdefault(member, len(rows))
    return LinkRows(list(rows), rows, [np.array(pairs, dtype=np.int32).reshape(-1, 2)])


def _copies(rows: Mapping[str, int], clusters: list[Cluster]) -> npt.NDArray[np.int32]:
    """What joins each cluster, as links between numbers: its first member to each other one."""
    pairs = [(rows[cluster.members[0]], rows[member]) for cluster in clusters for member in cluster.members[1:]]
    return np.array(pairs, dtype=np.int32).reshape(-1, 2)


def components(count: int, blocks: Sequence[npt.NDArray[np.int32]]) -> npt.NDArray[np.int64]:
    """For each of `count` numbers, the smallest number it is joined to by the links of `blocks` (a pair of
    numbers a line): union-find in a few passes over arrays of links, not a Python step per link."""
    parent = np.arange(count, dtype=np.int64)
    pending: list[npt.NDArray[np.integer[Any]]] = list(blocks)
    while pending:
        for block in pending:
            _hook(parent, block)
            parent = _flattened(parent)
        pending = [left for left in (_apart(parent, block) for block in pending) if len(left)]
    return parent


def _hook(parent: npt.NDArray[np.int64], links: npt.NDArray[np.integer[Any]]) -> None:
    """Join the two ends of each link: the larger of their parents takes the smaller as its parent (of all it
    is offered, the smallest), so a parent is never larger than its child and no loop forms."""
    a, b = parent[links[:, 0]], parent[links[:, 1]]
    np.minimum.at(parent, np.maximum(a, b), np.minimum(a, b))


def _flattened(parent: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Parents replaced by their roots (a parent's parent, again until it stands still)."""
    while True:
        grand = parent[parent]
        if np.array_equal(grand, parent):
            return parent
        parent = grand


def _apart(roots: npt.NDArray[np.int64], links: npt.NDArray[np.integer[Any]]) -> npt.NDArray[np.int64]:
    """The links whose ends are not joined yet, as links between their roots: what another pass must join."""
    ends = roots[links]
    apart: npt.NDArray[np.int64] = ends[ends[:, 0] != ends[:, 1]]
    return apart


def _groups(
    roots: npt.NDArray[np.int64], blocks: Sequence[npt.NDArray[np.int32]], ids: Sequence[str]
) -> tuple[list[tuple[str, ...]], dict[int, int]]:
    """The components of two numbers or more as groups of ids, members sorted, in order of first member; and
    the place of each group by its root."""
    touched = np.zeros(len(roots), dtype=np.bool_)
    for block in blocks:
        touched[block.ravel()] = True
    rows = np.flatnonzero(touched)
    rows = rows[np.bincount(roots[rows], minlength=len(roots))[roots[rows]] > 1]
    named = [ids[row] for row in rows.tolist()]
    order = sorted(range(len(named)), key=named.__getitem__)
    labels = roots[rows[order]]
    found, firsts = np.unique(labels, return_index=True)
    place = np.empty(len(found), dtype=np.int64)
    place[np.argsort(firsts)] = np.arange(len(found))
    group = place[np.searchsorted(found, labels)]
    members = [named[order[at]] for at in np.argsort(group, kind="stable").tolist()]
    ends = np.cumsum(np.bincount(group, minlength=len(found))).tolist()
    groups = [tuple(members[start:end]) for start, end in itertools.pairwise([0, *ends])]
    return groups, dict(zip(found.tolist(), place.tolist(), strict=True))
