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


# ---- the newest entries: a hash table over an append-only log ----------------------------------------
#
# A band table's newest entries (those not yet in a sorted run) are a log in the order added, each with the
# entry added before it under the same key, and a table from each key to its newest entry: open addressing,
# a slot holding an entry's number plus one (0: empty). Looking a key up walks its entries newest first.


@compiled
def _slot(table: npt.NDArray[np.int32], log_keys: npt.NDArray[np.uint64], key: np.uint64) -> int:
    """The slot of `key` in the table: the one holding its newest entry, or the empty one where it would go."""
    mask = len(table) - 1
    slot = int((key * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(32)) & mask  # the high 32 bits, well mixed
    while table[slot] and log_keys[table[slot] - 1] != key:
        slot = (slot + 1) & mask
    return slot


@compiled
def fresh_look_add(
    table: npt.NDArray[np.int32],
    log_keys: npt.NDArray[np.uint64],
    log_rows: npt.NDArray[np.int64],
    log_before: npt.NDArray[np.int32],
    used: int,
    rows: npt.NDArray[np.int64],
    keys: npt.NDArray[np.uint64],
    limit: int,
    look: bool,
    add: bool,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], int]:
    """For each of `rows` in turn (`keys` a row of band keys each): look its keys up among the newest entries
    (if `look`), then add it under each of them (if `add`; the log has room). For each entry found (the
    newest `limit` of each key): the position of the row that found it, and its row; and the entries
    the log then holds."""
    count, bands = keys.shape
    most = 0
    takers = np.empty(1024, dtype=np.int64)
    found = np.empty(1024, dtype=np.int64)
    for taker in range(count):
        if look:
            for band in range(bands):
                entry = table[_slot(table, log_keys, keys[taker, band])] - 1
                seen = 0
                while entry >= 0 and seen < limit:
                    if most == len(takers):
                        takers = np.concatenate((takers, np.empty(most, dtype=np.int64)))
                        found = np.concatenate((found, np.empty(most, dtype=np.int64)))
                    takers[most] = taker
                    found[most] = log_rows[entry]
                    most += 1
                    seen += 1
                    entry = log_before[entry]
        if add:
            for band in range(bands):
                key = keys[taker, band]
                slot = _slot(table, log_keys, key)
                log_keys[used], log_rows[used], log_before[used] = key, rows[taker], table[slot] - 1
                table[slot] = used + 1
                used += 1
    return takers[:most], found[:most], used


@compiled
def fresh_table(log_keys: npt.NDArray[np.uint64], used: int, size: int) -> npt.NDArray[np.int32]:
    """The table of a log's first `used` entries, with `size` slots (a power of two, more than `used`)."""
    table = np.zeros(size, dtype=np.int32)
    for entry in range(used):
        table[_slot(table, log_keys, log_keys[entry])] = entry + 1
    return table


@compiled
def tally_closest(
    takers: npt.NDArray[np.int64],
    rows: npt.NDArray[np.int64],
    count: int,
    dead: npt.NDArray[np.bool_],
    limit: int,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Each of `count` askers' distinct live rows found (`takers[i]` found `rows[i]`), with how many times it
    found each: at most the `limit` found most (earlier rows first among equals). Ordered by asker, then row.

    `dead[row]` says a row is removed (rows past its end live).
    """
    starts = np.zeros(count + 1, dtype=np.int64)
    for taker in takers:
        starts[taker + 1] += 1
    for taker in range(count):
        starts[taker + 1] += starts[taker]
    grouped = np.empty(len(rows), dtype=np.int64)
    filled = starts[:-1].copy()
    for at in range(len(rows)):
        grouped[filled[takers[at]]] = rows[at]
        filled[takers[at]] += 1
    out_takers = np.empty(len(rows), dtype=np.int64)
    out_rows = np.empty(len(rows), dtype=np.int64)
    out_counts = np.empty(len(rows), dtype=np.int64)
    written = 0
    for taker in range(count):
        mine = np.sort(grouped[starts[taker] : starts[taker + 1]])
        distinct = 0
        for at in range(len(mine)):  # runs of equal rows become (row, times found), in place
            row = mine[at]
            if distinct and mine[distinct - 1] == row:
                out_counts[written + distinct - 1] += 1
            elif row >= len(dead) or not dead[row]:
                mine[distinct] = row
                out_counts[written + distinct] = 1
                distinct += 1
        kept = distinct
        if distinct > limit:  # the `limit` found most, earlier rows first among equals; then in row order
            counts = out_counts[written : written + distinct].copy()
            order = np.argsort(-counts, kind="mergesort")[:limit]
            chosen = np.sort(order)
            for at in range(limit):
                mine[at] = mine[chosen[at]]
                out_counts[written + at] = counts[chosen[at]]
            kept = limit
        for at in range(kept):
            out_takers[written + at] = taker
            out_rows[written + at] = mine[at]
        written += kept
    return out_takers[:written], out_rows[:written], out_counts[:written]


@compiled
def merge_into(
    keys: npt.NDArray[np.uint64],
    rows: npt.NDArray[np.int32],
    held: int,
    other_keys: npt.NDArray[np.uint64],
    other_rows: npt.NDArray[np.int32],
    other_newer: bool,
) -> None:
    """Merge a sorted run into another whose arrays hold its `held` entries and room for the other's after
    them: from the back, so each entry moves once and nothing else is allocated. Among equal keys the
    older run's entries come first (`other_newer` says which run is older)."""
    at, theirs = held - 1, len(other_keys) - 1
    for place in range(held + len(other_keys) - 1, -1, -1):
        if theirs < 0:
            break  # the rest of the run's own entries are in place already
        if at >= 0 and (keys[at] > other_keys[theirs] or (keys[at] == other_keys[theirs] and not other_newer)):
            keys[place], rows[place] = keys[at], rows[at]
            at -= 1
        else:
            keys[place], rows[place] = other_keys[theirs], other_rows[theirs]
            theirs -= 1
