"""From candidate pairs to syndication clusters: verify each pair, join copies, name the origin."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from email.utils import parsedate_to_datetime

import numpy as np
import numpy.typing as npt

from dedup.align import align, found_in
from dedup.model import Cluster, Columns, Document, Pair, Signature, Signatures, Sketch
from dedup.sign import Signer

# Chosen from measured precision and recall on benchmarks/syndication.py (see the README's table):
# copies of one wire story sit far above both, independent reports of one event far below.
SIMILARITY = 0.35
CONTAINMENT = 0.6
# Related reports: the five seeds (one event, four outlets) share 0.31-0.89 of the names they
# mention; distinct articles of the gold sets stay under 0.3 except real related coverage (two
# reports of one concert tour, of one NASA finding, of one investigation).
RELATED = 0.3
# Articles naming fewer distinct names than this share too little to say they tell one story.
MIN_NAMES = 5
# Members a cluster's centre is measured against: enough for a stable mean, bounded for huge clusters.
CENTRE_SAMPLE = 256
# Fewer sampled non-quoted shingles than this (about 30 words) and the sample is too small to say
# how much of an article another carries; such articles are copies only by similarity.
MIN_SAMPLES = 8
# The screen before `verify` works out the same figures in numpy, where an operation done in another order
# could move the last bit: it lets through whatever falls this close below a threshold.
MARGIN = 1e-9
# Candidates from which that screen pays: fewer are verified one by one (measured on 10k and 100k articles).
SCREEN_FROM = 6

Figures = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Rules:
    """When two articles count as copies of one story, and when as related reports of it.

    Args:
        similarity: Estimated Jaccard similarity of shingle sets at or above which they are copies,
            provided the containment (below) reaches it too, so that a shared quotation alone
            never makes a copy.
        containment: Share of the smaller article's own words (quotations left out) found in the
            larger at or above which they are copies: a trimmed reprint keeps little of the wire
            story but all of its own text.
        min_shingles: Articles smaller than this are only copies by similarity, never by containment:
            a three-line brief is contained in many stories by chance.
        related: Share of the names two articles mention (estimated Jaccard) at or above which they
            are related reports of one story: the looser level, never a copy by itself.
        min_names: Articles naming fewer distinct names are never related to any other.
    """

    similarity: float = SIMILARITY
    containment: float = CONTAINMENT
    min_shingles: int = 40
    related: float = RELATED
    min_names: int = MIN_NAMES


def verify(a: Signature, b: Signature, rules: Rules = Rules()) -> Pair:
    """What two candidate articles are to each other, with the figures that decided it.

    Shared quotations do not count towards containment, and similarity alone makes a copy only when
    the shared text is not all quotation: independent reports of one event quote the same people.
    """
    similarity = Signer.similarity(a, b)
    containment = own_containment(a.sketch, b.sketch)
    if containment is None:  # too small a sample to measure: the MinHash estimate, unless it is all quote
        smaller = a.sketch if len(a.sketch.hashes) <= len(b.sketch.hashes) else b.sketch
        quoted = float(smaller.quoted.mean()) if len(smaller.quoted) else 0.0
        containment = 0.0 if quoted > 0.5 else Signer.containment(a, b)
    big_enough = min(a.size, b.size) >= rules.min_shingles
    copy = (similarity >= rules.similarity and containment >= rules.similarity) or (
        big_enough and containment >= rules.containment
    )
    first, second = sorted((a.id, b.id))
    return Pair(first, second, round(similarity, 4), round(containment, 4), copy)


def own_containment(a: Sketch, b: Sketch) -> float | None:
    """Share of the smaller article's sampled non-quoted shingles found anywhere in the other one.

    None when the smaller article has too few such shingles for the share to mean anything.
    """
    own_a, own_b = a.hashes[~a.quoted], b.hashes[~b.quoted]
    small, other = (own_a, b.hashes) if len(own_a) <= len(own_b) else (own_b, a.hashes)
    if len(small) < MIN_SAMPLES:
        return None
    return float(np.count_nonzero(found_in(small, other))) / len(small)


def copies_among(signature: Signature, others: Sequence[Signature] | Signatures, rules: Rules = Rules()) -> list[Pair]:
    """`verify` of an article against each of its candidates, keeping the copies, in the order of `others`."""
    if not isinstance(others, Signatures):
        if len(others) < SCREEN_FROM:  # gathering a few signatures into arrays costs more than verifying them
            return [pair for pair in (verify(signature, other, rules) for other in others) if pair.copy]
        others = Signatures.of(others, len(signature.hashvalues))
    owner = np.zeros(len(others), dtype=np.int64)
    return [pair for _, pair in copies_between(Signatures.of([signature]), others, rules, owner)]


def copies_between(
    a: Signatures, b: Signatures, rules: Rules = Rules(), owner: npt.NDArray[np.int64] | None = None
) -> list[tuple[int, Pair]]:
    """`verify` of each row of `b` against row `owner` of `a` (the same row without `owner`), keeping the
    copies, with the row of `b` each was found in.

    An article meets up to a hundred candidates and few of them are copies, so the figures of all the
    pairs are first worked out at once in numpy; only those that could make a copy are verified one by one.
    """
    if not len(b):
        return []
    owner = np.arange(len(b)) if owner is None else owner
    similarity, containment = measure(a, b, owner)
    screened = _screen(similarity, containment, np.minimum(a.sizes[owner], b.sizes), rules)
    verified = ((row, verify(a.signature(int(owner[row])), b.signature(row), rules)) for row in screened)
    return [(row, pair) for row, pair in verified if pair.copy]


def copies_in(
    columns: Columns, owners: npt.NDArray[np.int64], others: npt.NDArray[np.int64], rules: Rules = Rules()
) -> list[tuple[int, Pair]]:
    """`verify` of row `owners[i]` against row `others[i]` of an index's columns, keeping the copies, with
    the position `i` each was found at: `copies_between` read in place, in one compiled pass."""
    if not len(others):
        return []
    from dedup.figures import pair_figures  # numba's import is paid by the first batch, not by `import dedup`

    cutoff = min(rules.similarity, rules.containment) - MARGIN  # less contained, no pair is a copy
    similarity, containment = pair_figures(columns, owners, others, MIN_SAMPLES, cutoff)
    smaller = np.minimum(columns.sizes[owners], columns.sizes[others])
    screened = _screen(similarity, containment, smaller, rules)
    verified = (
        (at, verify(columns.signature(int(owners[at])), columns.signature(int(others[at])), rules)) for at in screened
    )
    return [(at, pair) for at, pair in verified if pair.copy]


def _screen(similarity: Figures, containment: Figures, smaller: npt.NDArray[np.int64], rules: Rules) -> list[int]:
    """The pairs whose figures could make a copy (`smaller`: the smaller size of each), to verify one by one."""
    similar = (similarity >= rules.similarity - MARGIN) & (containment >= rules.similarity - MARGIN)
    contained = (containment >= rules.containment - MARGIN) & (smaller >= rules.min_shingles)
    return np.flatnonzero(similar | contained).tolist()


def measure(
    a: Signature | Signatures, b: Sequence[Signature] | Signatures, owner: npt.NDArray[np.int64] | None = None
) -> tuple[Figures, Figures]:
    """The similarity and containment `verify` finds between each row of `b` and row `owner` of `a` (the
    same row without `owner`; one article `a` against each of `b`, when `a` is a signature), unrounded."""
    if not isinstance(b, Signatures):
        b = Signatures.of(b, a.hashvalues.shape[-1])
    if isinstance(a, Signature):
        a, owner = Signatures.of([a]), np.zeros(len(b), dtype=np.int64)
    owner = np.arange(len(b)) if owner is None else owner
    similarity = _similarities(a, b, owner)
    containment, small, shorter_quoted = _own_containments(a, b, owner)
    unmeasured = small < MIN_SAMPLES
    if unmeasured.any():
        estimates = _estimates(a.sizes[owner], b.sizes, similarity, shorter_quoted)
        containment[unmeasured] = estimates[unmeasured]
    return similarity, containment


def _similarities(a: Signatures, b: Signatures, owner: npt.NDArray[np.int64]) -> Figures:
    """`Signer.similarity` of each row of `b` with its row of `a`."""
    shared: Figures = np.count_nonzero(a.hashvalues[owner] == b.hashvalues, axis=1) / a.hashvalues.shape[1]
    if a.sizes.all() and b.sizes.all():
        return shared
    return shared * ((a.sizes[owner] > 0) & (b.sizes > 0))


def _own_containments(
    a: Signatures, b: Signatures, owner: npt.NDArray[np.int64]
) -> tuple[Figures, Figures, npt.NDArray[np.bool_]]:
    """`own_containment` of each row of `b`'s sketch with its row of `a`'s, the size of the sample it measured
    in each (below `MIN_SAMPLES` `own_containment` gives None, and the figure means nothing), and whether
    the shorter of the two sketches is mostly quotation (what `verify` then takes for containment).

    Every hash is tagged with the row of `a` it belongs to, or is measured against, above its 32 bits: one
    binary search finds each of `b`'s hashes in the right sketch of `a`.
    """
    pairs = len(b)
    a_row = np.repeat(np.arange(len(a)), a.lengths)
    b_pair = np.repeat(np.arange(pairs), b.lengths)
    tagged_a = (a_row.astype(np.uint64) << np.uint64(32)) | a.hashes
    tagged_b = (owner[b_pair].astype(np.uint64) << np.uint64(32)) | b.hashes
    if len(tagged_a):
        at = np.searchsorted(tagged_a, tagged_b)
        found = tagged_a.take(at, mode="clip") == tagged_b
        found_own = found & ~a.quoted.take(at, mode="clip")
    else:
        found = found_own = np.zeros(len(tagged_b), dtype=bool)
    b_own = ~b.quoted
    a_lengths = a.lengths[owner]
    mine = (a.lengths - np.bincount(a_row, a.quoted, len(a)))[owner]  # a's own (unquoted) shingles
    theirs = np.bincount(b_pair, b_own, pairs)
    in_mine = np.bincount(b_pair, found_own, pairs)
    in_theirs = np.bincount(b_pair, found & b_own, pairs)
    mine_smaller = mine <= theirs  # the sample own_containment measures, ties included
    small = np.minimum(theirs, mine)
    a_shorter = a_lengths <= b.lengths  # the sketch verify looks at, ties included
    quoted = np.where(a_shorter, 2 * (a_lengths - mine) > a_lengths, 2 * (b.lengths - theirs) > b.lengths)
    return np.where(mine_smaller, in_mine, in_theirs) / np.maximum(small, 1), small, quoted


def _estimates(
    a_sizes: npt.NDArray[np.int64], b_sizes: npt.NDArray[np.int64], similarity: Figures, quoted: npt.NDArray[np.bool_]
) -> Figures:
    """What `verify` takes for containment when the sample is too small: `Signer.containment` of each pair
    (0 where a size is 0, as the similarity is), or 0 where the shorter of the two sketches is mostly
    quotation (`quoted`)."""
    small = np.minimum(a_sizes, b_sizes)
    estimate = np.minimum(1.0, similarity * (a_sizes + b_sizes) / ((1.0 + similarity) * np.maximum(small, 1)))
    estimate[quoted] = 0.0
    return estimate


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


def _best_containers(contained: list[Pair], sizes: Mapping[str, int], components: Components) -> list[Pair]:
    """Of the copies by containment, for each smaller article (by `sizes`) the one link to the cluster it is
    most contained in (then most similar to); the links taken, once joined."""
    by_smaller: dict[str, list[Pair]] = {}
    for pair in contained:
        smaller = min((pair.a, pair.b), key=lambda doc: (sizes[doc], doc))
        by_smaller.setdefault(smaller, []).append(pair)
    taken = []
    for smaller in sorted(by_smaller):
        best = max(by_smaller[smaller], key=lambda p: (p.containment, p.similarity, p.a, p.b))
        cluster = components.find(best.b if best.a == smaller else best.a)
        for pair in by_smaller[smaller]:  # every link into that cluster binds; the others are dropped
            other = pair.b if pair.a == smaller else pair.a
            if components.find(other) == cluster:
                taken.append(pair)
        components.union(smaller, cluster)
    return taken


def parse_date(value: str | None) -> date | None:
    """The calendar day a date string names (ISO 8601, or RFC 2822 as RSS feeds write it), or None."""
    if not value:
        return None
    text = value.strip()
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        return None


def centrality(signatures: list[Signature]) -> list[float]:
    """For each member of a cluster, its mean estimated similarity to the others.

    Copies are made from the wire original, each edited its own way, so the original stands at the
    centre: nearer to every copy than the copies are to each other. Large clusters are measured
    against their first `CENTRE_SAMPLE` members, which keeps the cost linear in the cluster's size.
    """
    values = np.stack([signature.hashvalues for signature in signatures])
    reference = values[:CENTRE_SAMPLE]
    scores = np.empty(len(values))
    for start in range(0, len(values), 64):
        block = values[start : start + 64]
        scores[start : start + 64] = (block[:, None, :] == reference[None, :, :]).mean(axis=2).sum(axis=1)
    scores -= np.arange(len(values)) < len(reference)  # a member's match with itself
    return [round(float(score) / max(1, len(reference) - 1), 6) for score in scores]


def origin_order(documents: list[Document], signatures: list[Signature]) -> list[Document]:
    """The members of a cluster, likeliest origin first: a wire credit or dateline, the earliest date,
    the copy at the centre of the others, then the longest (between two copies the centre is even)."""
    centre = centrality(signatures)
    latest = date.max

    def key(item: tuple[Document, float]) -> tuple[int, date, float, int, str]:
        document, score = item
        credited = 0 if document.agency else 1
        return (credited, parse_date(document.date) or latest, -score, -document.words, document.id)

    return [document for document, _ in sorted(zip(documents, centre, strict=True), key=key)]


def build_clusters(
    pairs: Iterable[Pair],
    documents: dict[str, Document],
    signatures: Mapping[str, Signature],
    rules: Rules = Rules(),
    sizes: Mapping[str, int] | None = None,
) -> tuple[Cluster, ...]:
    """Syndication clusters out of verified pairs: connected components of the copies.

    Copies by similarity join freely. A copy by containment alone joins the smaller article to one
    cluster only, the one it is most contained in: an article whose leftover page clutter is
    "contained" in several unrelated stories must not merge them all into one. `sizes` gives each
    article's signature `size` where a mapping that makes signatures when asked can tell it for less.
    """
    components = Components()
    copies = [pair for pair in pairs if pair.copy]
    similar = [p for p in copies if p.similarity >= rules.similarity and p.containment >= rules.similarity]
    for pair in similar:
        components.union(pair.a, pair.b)
    strong = set(similar)
    contained = [p for p in copies if p not in strong]
    if sizes is None:
        sizes = {doc: signatures[doc].size for pair in contained for doc in (pair.a, pair.b)}
    kept = similar + _best_containers(contained, sizes, components)
    inside: dict[str, list[Pair]] = {}
    for pair in kept:
        inside.setdefault(components.find(pair.a), []).append(pair)
    clusters = []
    for number, members in enumerate(components.groups(), start=1):
        held = [signatures[m] for m in members]  # each looked up once: a mapping may make them when asked
        sketches = {m: signature.sketch for m, signature in zip(members, held, strict=True)}
        ranked = origin_order([documents[m] for m in members], held)
        origin = sketches[ranked[0].id]
        links = sorted(inside[components.find(members[0])], key=lambda p: (p.a, p.b))
        clusters.append(
            Cluster(
                id=f"c{number}",
                members=tuple(members),
                canonical=ranked[0].id,
                similarity=min(pair.similarity for pair in links),
                agency=next((d.agency for d in ranked if d.agency), None),
                pairs=tuple(links),
                copies=tuple(align(d.id, sketches[d.id], origin) for d in ranked),
            )
        )
    return tuple(clusters)
