"""Many band keys looked up in one sorted run at once, compiled: the LSH look-up of a batch of articles.

A batch of a thousand articles asks ~80,000 keys of runs that hold tens of millions. `numpy.searchsorted`
then costs a binary search over the whole run per key, and the hits take several passes more; here the
keys are walked in increasing order, each search galloping from where the last one ended (the keys of
a batch fall a few thousand entries apart), and the hits are written in one pass. It is the compiled
twin of `dedup.index.bands._Run.hits_each`, which the tests hold it to.

Every value the loop reads is passed in (numba's on-disk cache follows this file only).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from dedup.kernels import compiled


@compiled
def run_hits(
    run_keys: npt.NDArray[np.uint64], run_rows: npt.NDArray[np.int32], keys: npt.NDArray[np.uint64], limit: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """For each entry of the run equal to one of `keys` (the newest `limit` of each key): the position of
    the key that found it, and its row."""
    order = np.argsort(keys)
    count, size = len(keys), len(run_keys)
    starts = np.zeros(count, dtype=np.int64)
    ends = np.zeros(count, dtype=np.int64)
    total = 0
    at = 0  # every key before this one in the run is smaller than the keys still to come
    for q in range(count):
        key = keys[order[q]]
        low, high, step = at, at, 1  # gallop to a bound, then bisect: the first entry not below the key
        while high < size and run_keys[high] < key:
            low = high + 1
            high = at + step
            step *= 2
        high = min(high, size)
        while low < high:
            middle = (low + high) >> 1
            if run_keys[middle] < key:
                low = middle + 1
            else:
                high = middle
        at = low
        if at == size or run_keys[at] != key:
            continue
        low, high, step = at + 1, at + 1, 1  # the first entry past the key, the same way
        while high < size and run_keys[high] == key:
            low = high + 1
            high = at + 1 + step
            step *= 2
        high = min(high, size)
        while low < high:
            middle = (low + high) >> 1
            if run_keys[middle] == key:
                low = middle + 1
            else:
                high = middle
        starts[q], ends[q] = max(at, low - limit), low
        total += ends[q] - starts[q]
    takers = np.empty(total, dtype=np.int64)
    rows = np.empty(total, dtype=np.int64)
    written = 0
    for q in range(count):
        for entry in range(starts[q], ends[q]):
            takers[written] = order[q]
            rows[written] = run_rows[entry]
            written += 1
    return takers, rows
