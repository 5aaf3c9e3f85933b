"""Paragraph-level alignment of a copy against its origin: how much it carries, what it added or cut.

Works on the shingle samples of `dedup.model.Sketch`, not on text, so it runs on what the index
keeps. A paragraph counts as shared when most of its sampled shingles are in the other article;
a paragraph too short to hold a sampled shingle is neither added nor cut.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from dedup.model import Copy, Sketch

# A paragraph is the other article's when at least this share of it is found there.
SHARED = 0.5


def align(member_id: str, member: Sketch, origin: Sketch) -> Copy:
    """How one copy differs from the origin: the share it carries, its own paragraphs, the origin's it lacks."""
    if member is origin:
        return Copy(member_id, 1.0)
    in_origin = np.isin(member.hashes, origin.hashes)
    in_member = np.isin(origin.hashes, member.hashes)
    carried = float(in_member.mean()) if len(in_member) else 0.0
    return Copy(member_id, round(carried, 4), _unshared(member, in_origin), _unshared(origin, in_member))


def _unshared(sketch: Sketch, found: npt.NDArray[np.bool_]) -> tuple[int, ...]:
    """The paragraphs (numbered from 1) of which less than `SHARED` was found in the other article."""
    count = len(sketch.words)
    sampled = np.bincount(sketch.paragraph, minlength=count)
    hits = np.bincount(sketch.paragraph, weights=found, minlength=count)
    missing = (sampled > 0) & (hits < SHARED * sampled)
    return tuple(int(p) + 1 for p in np.flatnonzero(missing))


def completeness(sketches: list[Sketch]) -> list[float]:
    """For each article of a cluster, how much of the other members' text it holds, summed over them.

    The origin holds most of every copy (copies trim it and add their own bits); a trimmed copy
    holds little of the longer ones. Each shared shingle is weighted by one over the size of every
    member holding it, so the sum runs in one pass over all members' shingles.
    """
    uniques = [np.unique(sketch.hashes) for sketch in sketches]
    sizes = [len(hashes) for hashes in uniques]
    if not any(sizes):
        return [0.0] * len(sketches)
    everything = np.concatenate(uniques)
    weights = np.concatenate([np.full(size, 1.0 / size) for size in sizes if size])
    values, inverse = np.unique(everything, return_inverse=True)
    weight_of = np.bincount(inverse, weights=weights, minlength=len(values))
    scores, start = [], 0
    for size in sizes:
        held = weight_of[inverse[start : start + size]]
        scores.append(float(held.sum()) - 1.0 if size else 0.0)
        start += size
    return scores
