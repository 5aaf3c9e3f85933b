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
    in_origin = found_in(member.hashes, origin.hashes)
    in_member = found_in(origin.hashes, member.hashes)
    carried = float(in_member.mean()) if len(in_member) else 0.0
    return Copy(member_id, round(carried, 4), _unshared(member, in_origin), _unshared(origin, in_member))


def found_in(values: npt.NDArray[np.uint32], sorted_values: npt.NDArray[np.uint32]) -> npt.NDArray[np.bool_]:
    """For each value, whether an increasing array holds it (a binary search, not a sort)."""
    if not len(sorted_values):
        return np.zeros(len(values), dtype=bool)
    at = np.searchsorted(sorted_values, values)
    found: npt.NDArray[np.bool_] = sorted_values[np.minimum(at, len(sorted_values) - 1)] == values
    return found


def _unshared(sketch: Sketch, found: npt.NDArray[np.bool_]) -> tuple[int, ...]:
    """The paragraphs (numbered from 1) of which less than `SHARED` was found in the other article."""
    count = len(sketch.words)
    sampled = np.bincount(sketch.paragraph, minlength=count)
    hits = np.bincount(sketch.paragraph, weights=found, minlength=count)
    missing = (sampled > 0) & (hits < SHARED * sampled)
    return tuple(int(p) + 1 for p in np.flatnonzero(missing))
