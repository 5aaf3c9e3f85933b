"""The figures `dedup.cluster.verify` decides by, for many candidate pairs at once, read in place.

A batch of a thousand articles meets about a hundred thousand candidates. Gathering their signatures
into arrays and measuring them in numpy moved tens of megabytes a batch; this loop reads each pair's
MinHash rows and sketch spans where the index keeps them, and merges the two sorted sketches once.
It is the compiled twin of `dedup.cluster.measure`, which the tests hold it to.

Every value the loop reads is passed in (numba's on-disk cache follows this file only).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from dedup.kernels import compiled
from dedup.model import Columns

Figures = npt.NDArray[np.float64]


def pair_figures(
    columns: Columns,
    owners: npt.NDArray[np.int64],
    others: npt.NDArray[np.int64],
    min_samples: int,
    cutoff: float = -np.inf,
) -> tuple[Figures, Figures]:
    """The similarity and containment `verify` finds between rows `owners[i]` and `others[i]`, unrounded
    (`min_samples`: the sketch sample below which containment is estimated from the similarity).

    Where a pair's sketches measure its containment below `cutoff`, its similarity is left at 0, not
    worked out: for a screen that passes no pair contained less, most of the work.
    """
    return _figures(
        columns.hashvalues,
        columns.sizes,
        columns.starts,
        columns.lengths,
        columns.hashes,
        columns.quoted,
        np.ascontiguousarray(owners, dtype=np.int64),
        np.ascontiguousarray(others, dtype=np.int64),
        np.int64(min_samples),
        np.float64(cutoff),
    )


@compiled
def _figures(
    hashvalues: npt.NDArray[np.uint32],
    sizes: npt.NDArray[np.int64],
    starts: npt.NDArray[np.int64],
    lengths: npt.NDArray[np.int64],
    hashes: npt.NDArray[np.uint32],
    quoted: npt.NDArray[np.bool_],
    owners: npt.NDArray[np.int64],
    others: npt.NDArray[np.int64],
    min_samples: np.int64,
    cutoff: np.float64,
) -> tuple[Figures, Figures]:
    """`pair_figures` over the columns' arrays."""
    count, width = len(owners), hashvalues.shape[1]
    similarity = np.zeros(count, dtype=np.float64)
    containment = np.empty(count, dtype=np.float64)
    for pair in range(count):
        a, b = owners[pair], others[pair]
        start_a, end_a, start_b, end_b = starts[a], starts[a] + lengths[a], starts[b], starts[b] + lengths[b]
        mine = 0  # a's own (unquoted) sampled shingles, and b's
        for i in range(start_a, end_a):
            mine += not quoted[i]
        theirs = 0
        in_mine = 0  # a's own shingles found in b, and b's own found in a
        in_theirs = 0
        i = start_a
        for j in range(start_b, end_b):  # both sketches in increasing order: one merge
            own = not quoted[j]
            theirs += own
            value = hashes[j]
            while i < end_a and hashes[i] < value:
                i += 1
            if i < end_a and hashes[i] == value:
                in_mine += not quoted[i]
                in_theirs += own
        small = min(mine, theirs)
        share = (in_mine if mine <= theirs else in_theirs) / max(small, 1)
        if small >= min_samples and share < cutoff:
            containment[pair] = share
            continue
        same = 0
        for k in range(width):
            same += hashvalues[a, k] == hashvalues[b, k]
        shared = same / width
        if sizes[a] == 0 or sizes[b] == 0:
            shared = 0.0
        similarity[pair] = shared
        if small < min_samples:  # too small a sample: the MinHash estimate, unless the shorter is mostly quotes
            length_a, length_b = end_a - start_a, end_b - start_b
            if length_a <= length_b:
                mostly_quoted = 2 * (length_a - mine) > length_a
            else:
                mostly_quoted = 2 * (length_b - theirs) > length_b
            smaller = max(min(sizes[a], sizes[b]), 1)
            share = min(1.0, shared * (sizes[a] + sizes[b]) / ((1.0 + shared) * smaller))
            if mostly_quoted:
                share = 0.0
        containment[pair] = share
    return similarity, containment


def shared_values(
    matrix: npt.NDArray[np.uint32], owners: npt.NDArray[np.int64], others: npt.NDArray[np.int64]
) -> Figures:
    """The share of equal values between rows `owners[i]` and `others[i]` of a matrix: the estimated Jaccard
    similarity of two MinHash rows, read in place."""
    return _shared(matrix, np.ascontiguousarray(owners, dtype=np.int64), np.ascontiguousarray(others, dtype=np.int64))


@compiled
def _shared(matrix: npt.NDArray[np.uint32], owners: npt.NDArray[np.int64], others: npt.NDArray[np.int64]) -> Figures:
    """`shared_values` over the matrix."""
    count, width = len(owners), matrix.shape[1]
    shares = np.empty(count, dtype=np.float64)
    for pair in range(count):
        a, b = owners[pair], others[pair]
        same = 0
        for k in range(width):
            same += matrix[a, k] == matrix[b, k]
        shares[pair] = same / width
    return shares
