"""LSH band tables in numpy: the candidates datasketch's MinHashLSH gives, in a tenth of its memory.

A signature is cut into `bands` bands of `rows` values, exactly as ``MinHashLSH`` cuts it for the same
threshold; two articles are candidates when one of their bands is equal. ``MinHashLSH`` keeps a dict
of sets per band, about 200 bytes an entry: 10 GB for a million articles at 51 bands. Here each band
is packed, with its number, into one 64-bit key, and the keys live in a few sorted arrays (12 bytes an
entry: the key, and the row as 32 bits) with a hash table for the newest: an insert is an append, a
query one binary search per array. Two arrays merge into one made to size, without sorting again.
Two different bands share a key with probability 2^-64: never, in any corpus this tool will see.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Literal

import numpy as np
import numpy.typing as npt

from dedup.model import grown, spans

Keys = npt.NDArray[np.uint64]
Rows = npt.NDArray[np.int64]
Stored = npt.NDArray[np.int32]  # rows as a sorted run keeps them: 4 bytes an entry, not 8
# The largest row a sorted run holds: two billion articles, far past what one process indexes.
MAX_ROW = np.iinfo(np.int32).max
Side = Literal["left", "right"]
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX = (np.uint64(30), np.uint64(0xBF58476D1CE4E5B9), np.uint64(27), np.uint64(0x94D049BB133111EB), np.uint64(31))
# Entries the newest-entries table holds before they move into a sorted array (about 20,000 articles' worth).
FRESH = 1 << 20
# Rows one band key proposes at most, the newest. A key that thousands of articles share (a crowd
# naming the same few people, a paragraph of boilerplate) says little of any one of them, and
# returning all of them made each look-up cost grow with the index: quadratic time in all.
PER_KEY = 50
_NO_ROWS = np.empty(0, dtype=np.int64)
_ROW_BITS = 40  # a row number and who found it, packed in one int64 to count them at once
# Entries a merge places, or a removal sweeps, at once: the temporaries stay a few MB at any size.
_CHUNK = 1 << 20


# MinHashLSH's choice for the default thresholds (`dedup.index.memory`), known ahead: datasketch's
# LSH module imports scipy, about a second, most of the time of a scan of a few articles.
# tests/test_bands.py holds each equal to what datasketch computes.
KNOWN_SHAPES = {(0.15, 128): (51, 2), (0.2, 128): (28, 2)}


def shape(threshold: float, num_perm: int) -> tuple[int, int]:
    """The (bands, rows) MinHashLSH picks for a threshold, false positives and negatives weighed alike."""
    if (threshold, num_perm) in KNOWN_SHAPES:
        return KNOWN_SHAPES[threshold, num_perm]
    from datasketch.lsh import _optimal_param  # imports scipy: only for a threshold not known ahead

    bands, rows = _optimal_param(threshold, num_perm, 0.5, 0.5)
    return int(bands), int(rows)


def _mix(values: Keys) -> Keys:
    """SplitMix64's finalizer: every bit of the input moves every bit of the output."""
    s1, m1, s2, m2, s3 = _MIX
    values = (values ^ (values >> s1)) * m1
    values = (values ^ (values >> s2)) * m2
    return values ^ (values >> s3)


def _tally(values: Rows) -> tuple[Rows, Rows]:
    """The distinct values, in increasing order, and how many times each occurs."""
    values = np.sort(values)
    if not len(values):
        return values, values
    first = np.empty(len(values) + 1, dtype=bool)
    first[0] = first[-1] = True
    np.not_equal(values[1:], values[:-1], out=first[1:-1])
    bounds = np.flatnonzero(first)
    return values[bounds[:-1]], bounds[1:] - bounds[:-1]


def band_keys(hashvalues: npt.NDArray[np.uint32], bands: int, rows: int) -> Keys:
    """One key per band of each signature (one signature, or a matrix of them a row each).

    A band's values go two to a 64-bit word, xored with a salt of the band's number. A band of one or two
    values is then its own key: equal keys are equal bands, and keys of two bands collide only if their
    words differ by exactly the two salts' difference. Longer bands are mixed down a word at a time.
    The words are packed in the machine's byte order: keys never leave the process.
    """
    words = -(-rows // 2)
    values = hashvalues[..., : bands * rows].reshape(*hashvalues.shape[:-1], bands, rows)
    if rows % 2:
        values = np.concatenate([values, np.zeros_like(values[..., :1])], axis=-1)
    packed = np.ascontiguousarray(values, dtype=np.uint32).view(np.uint64)
    keys: Keys = packed[..., 0] ^ _salts(bands)  # uint64 arithmetic wraps around in arrays, as a hash wants
    for word in range(1, words):
        keys = _mix(keys) ^ packed[..., word]
    return keys


@cache
def _salts(bands: int) -> Keys:
    """A distinct starting value per band number, so equal values in two bands give two keys."""
    return np.arange(1, bands + 1, dtype=np.uint64) * _GOLDEN


@dataclass(frozen=True, slots=True)
class _Run:
    """Band keys in sorted order, each with the row (article number) it belongs to."""

    keys: Keys
    rows: Stored

    def __len__(self) -> int:
        return len(self.keys)

    def hits(self, keys: Keys, limit: int = PER_KEY) -> Rows:
        """The rows of every entry equal to one of `keys`, the newest `limit` of each key."""
        return self.hits_each(keys, limit)[1]

    def hits_each(self, keys: Keys, limit: int = PER_KEY) -> tuple[Rows, Rows]:
        """`hits`, with the number of the key each row was found by."""
        order = np.argsort(keys)  # keys searched in order walk the run in order: fewer cache misses
        keys = keys[order]
        at = np.searchsorted(self.keys, keys)  # in a large run each search costs cache misses: one for all keys,
        found = self.keys.take(at, mode="clip") == keys
        if not found.any():
            return _NO_ROWS, _NO_ROWS
        lo = at[found]
        hi = np.searchsorted(self.keys, keys[found], side="right")  # a second only for the few keys present
        np.maximum(lo, hi - limit, out=lo)
        counts = hi - lo
        return np.repeat(order[found], counts), self.rows[spans(lo, counts)].astype(np.int64)

    @staticmethod
    def sorted(keys: Keys, rows: Rows, dead: Rows | None = None) -> _Run:
        """A run of entries in any order, sorted by key (equal keys keep their order), but those of `dead` rows."""
        order = np.argsort(keys, kind="stable")
        return _without(_Run(keys[order], _stored(rows)[order]), dead)

    @staticmethod
    def merged(older: _Run, newer: _Run, dead: Rows | None = None) -> _Run:
        """One sorted run of both runs' entries, `older`'s first among equal keys, but those of `dead` rows.

        What a stable sort of both, one after the other, gives. The larger run's arrays are grown in place
        (a large array is remapped, not copied) and the smaller one merged into them from the back: the
        merge holds no second copy of the larger run, which at a million articles is hundreds of MB. So
        the inputs are used up: the larger run's arrays become the merge's.
        """
        larger, smaller = (older, newer) if len(newer) <= len(older) else (newer, older)
        if not len(smaller):
            return _without(larger, dead)
        if _growable(larger):
            from dedup.index.lookup import merge_into  # numba's import is paid by the first merge

            held = len(larger)
            keys, rows = larger.keys, larger.rows
            keys.resize(held + len(smaller), refcheck=False)  # no view of a run's arrays outlives a call
            rows.resize(held + len(smaller), refcheck=False)
            merge_into(keys, rows, held, smaller.keys, smaller.rows, smaller is newer)
            return _without(_Run(keys, rows), dead)
        return _Run._merged_anew(older, newer, dead)

    @staticmethod
    def _merged_anew(older: _Run, newer: _Run, dead: Rows | None) -> _Run:
        """`merged` into new arrays, for runs whose arrays cannot grow in place (views of others).

        The entries of the smaller run are placed by a binary search in the larger and the larger's fill
        the gaps, in one array made to size: it holds its inputs, its output and a byte an entry.
        """
        size = len(older) + len(newer)
        merged = _Run(np.empty(size, dtype=np.uint64), np.empty(size, dtype=np.int32))
        placed = np.zeros(size, dtype=bool)
        if len(newer) <= len(older):
            _place(merged, placed, newer, older, "right")  # after the older entries of its key
        else:
            _place(merged, placed, older, newer, "left")
        larger = older if len(newer) <= len(older) else newer
        gaps = np.logical_not(placed, out=placed)
        merged.keys[gaps], merged.rows[gaps] = larger.keys, larger.rows
        return _without(merged, dead)


def _growable(run: _Run) -> bool:
    """Whether a run's arrays are their own memory, so that they can grow in place."""
    return bool(run.keys.flags.owndata and run.rows.flags.owndata and len(run.keys) == len(run.rows))


def _stored(rows: Rows) -> Stored:
    """Rows as a run keeps them, 32 bits each (a row past `MAX_ROW` would not fit)."""
    wrong = (rows < 0) | (rows > MAX_ROW)
    if wrong.any():
        raise ValueError(f"band tables hold rows 0 to {MAX_ROW}, not {int(rows[wrong][0])}")
    return rows.astype(np.int32)


def _place(merged: _Run, placed: npt.NDArray[np.bool_], smaller: _Run, larger: _Run, side: Side) -> None:
    """Write the smaller run's entries where they fall in the merge of both, and mark their places.

    An entry's place is its own position plus the larger run's entries before it (`side` says whether
    those of an equal key come before); a chunk at a time, so the places take a few MB.
    """
    for start in range(0, len(smaller), _CHUNK):
        part = slice(start, start + _CHUNK)
        at = np.searchsorted(larger.keys, smaller.keys[part], side=side)
        at += np.arange(start, start + len(at))
        merged.keys[at], merged.rows[at], placed[at] = smaller.keys[part], smaller.rows[part], True


def _without(run: _Run, dead: Rows | None) -> _Run:
    """A run just made, without the entries of `dead` rows: kept entries move forward in place, a chunk
    at a time, so dropping a few costs no second copy of the run."""
    if dead is None or not len(dead):
        return run
    kept = 0
    for start in range(0, len(run), _CHUNK):
        part = slice(start, start + _CHUNK)
        live = ~np.isin(run.rows[part], dead)
        count = int(np.count_nonzero(live))
        run.keys[kept : kept + count], run.rows[kept : kept + count] = run.keys[part][live], run.rows[part][live]
        kept += count
    if kept == len(run):
        return run
    if _growable(run):  # shrunk in place: the run can still grow in place when it next merges
        run.keys.resize(kept, refcheck=False)
        run.rows.resize(kept, refcheck=False)
        return run
    if 4 * (len(run) - kept) > len(run):  # many dropped: the room they held is given back
        return _Run(run.keys[:kept].copy(), run.rows[:kept].copy())
    return _Run(run.keys[:kept], run.rows[:kept])


class _Newest:
    """A band table's newest entries, not yet in a sorted run: a log in the order added, each entry with the
    one before it under its key, and a hash table from each key to its newest entry (`dedup.index.lookup`).
    About 40 bytes an entry where a dict of ints and lists took about 100, looked up and added to by
    compiled loops, not a Python step a key."""

    def __init__(self) -> None:
        self.used = 0
        self.keys = np.empty(0, dtype=np.uint64)
        self.rows = np.empty(0, dtype=np.int64)
        self.before = np.empty(0, dtype=np.int32)
        self.table = np.zeros(2, dtype=np.int32)  # a power of two, more than twice the log's room

    def look_add(self, rows: Rows, keys: Keys, *, look: bool, add: bool) -> tuple[Rows, Rows]:
        """For each of `rows` in turn (a row of `keys` each), look its keys up (`look`), then add it under them
        (`add`). For each entry found (the newest `PER_KEY` of a key): which of `rows` found it, and its row."""
        from dedup.index.lookup import fresh_look_add  # numba's import is paid by the first look-up

        if add:
            self._reserve(self.used + keys.size)
        takers, found, self.used = fresh_look_add(
            self.table, self.keys, self.rows, self.before, self.used, rows, keys, PER_KEY, look, add
        )
        return takers, found

    def entries(self) -> tuple[Keys, Rows]:
        """Every entry's key and row, in the order added."""
        return self.keys[: self.used], self.rows[: self.used]

    def clear(self) -> None:
        """Forget every entry (the room stays, for the next ones)."""
        self.used = 0
        self.table[:] = 0

    def _reserve(self, needed: int) -> None:
        """Make room in the log for `needed` entries in all."""
        from dedup.index.lookup import fresh_table

        if needed <= len(self.keys):
            return
        self.keys, self.rows, self.before = (
            grown(self.keys, needed),
            grown(self.rows, needed),
            grown(self.before, needed),
        )
        self.table = fresh_table(self.keys, self.used, 1 << (2 * len(self.keys)).bit_length())


class BandIndex:
    """Rows (article numbers) by band key, for LSH candidate look-ups.

    Args:
        bands, rows: How signatures are cut (see `shape`).
        fresh: Entries kept in a hash table before they move into a sorted array.

    Rows are article numbers from 0 to `MAX_ROW`: the sorted arrays keep them in 32 bits.
    """

    def __init__(self, bands: int, rows: int, fresh: int = FRESH) -> None:
        self.bands, self.rows, self.fresh_limit = bands, rows, fresh
        self._newest = _Newest()
        self._runs: list[_Run] = []
        self._dead: set[int] = set()
        self._dead_array: Rows | None = None
        self._dead_mask: npt.NDArray[np.bool_] | None = None
        self._last: tuple[npt.NDArray[np.uint32], Keys] | None = None

    def keys(self, hashvalues: npt.NDArray[np.uint32]) -> Keys:
        """The band keys of one signature (the last one's remembered: an article is looked up, then added)."""
        if hashvalues.ndim > 1:  # a matrix of signatures (loading an index): not worth keeping
            return band_keys(hashvalues, self.bands, self.rows)
        if self._last is None or self._last[0] is not hashvalues:
            self._last = (hashvalues, band_keys(hashvalues, self.bands, self.rows))
        return self._last[1]

    def add(self, row: int, keys: Keys) -> None:
        """Index a row under its band keys; a row number must not be reused after `remove`."""
        if not 0 <= row <= MAX_ROW:
            raise ValueError(f"band tables hold rows 0 to {MAX_ROW}, not {row}")
        self._newest.look_add(np.array([row], dtype=np.int64), self._shaped(keys, 1), look=False, add=True)
        if self._newest.used >= self.fresh_limit:
            self._settle()

    def add_many(self, rows: Rows, keys: Keys) -> None:
        """Index many rows at once (`keys` a matrix, a row of band keys per row): loading a stored index."""
        if not len(rows):
            return
        self._settle()
        self._runs.append(_Run.sorted(keys.reshape(-1), np.repeat(np.asarray(rows, dtype=np.int64), keys.shape[1])))
        self._compact()

    def remove(self, row: int) -> None:
        """Forget a row: it is never returned again."""
        self._dead.add(row)
        self._dead_array = self._dead_mask = None

    def query(self, keys: Keys) -> tuple[Rows, Rows]:
        """Every live row sharing a band key with `keys`, in increasing order, with how many bands it shares.

        A key shared by more than `PER_KEY` rows gives its newest `PER_KEY` only.
        """
        found = [run.hits(keys) for run in self._runs]
        if self._newest.used:
            found.append(self._newest.look_add(_NO_ROWS, self._shaped(keys, 1), look=True, add=False)[1])
        rows, counts = _tally(np.concatenate(found) if found else _NO_ROWS)
        if self._dead and len(rows):
            live = ~np.isin(rows, self._dead_rows())
            rows, counts = rows[live], counts[live]
        return rows, counts

    def room(self) -> int:
        """How many rows can be added before the newest entries move into a sorted run (the last of them moves
        them)."""
        return max(1, -(-(self.fresh_limit - self._newest.used) // self.bands))

    def add_looked_up(self, rows: Sequence[int], keys: Keys, limit: int | None = None) -> tuple[Rows, Rows, Rows]:
        """Look up each row's band keys (a row of `keys` each), then add the row, one row after the other.

        What `query` then `add` row by row would find, worked out at once: for each live row found, which
        of `rows` found it (its position), the row, and how many bands they share; ordered by both. With a
        `limit`, only the `limit` rows each found sharing the most bands (earlier rows first among equals).
        The sorted runs must stay as they are meanwhile: at most `room()` rows.
        """
        if len(rows) > self.room():
            raise ValueError(f"{len(rows)} rows would move the newest entries into a sorted run midway")
        from dedup.index.lookup import run_hits, tally_closest  # numba's import is paid by the first batch

        added = np.asarray(rows, dtype=np.int64)
        if len(added) and not 0 <= int(added.min()) <= int(added.max()) <= MAX_ROW:
            raise ValueError(f"band tables hold rows 0 to {MAX_ROW}")
        keys = self._shaped(keys, len(added), self.bands)  # a hit's key number tells its row: `bands` a row
        takers, found = [], []
        flat = keys.reshape(-1)
        for run in self._runs:
            entries, hits = run_hits(run.keys, run.rows, flat, PER_KEY)  # `run.hits_each`, compiled
            takers.append(entries // self.bands)
            found.append(hits)
        newest_takers, newest_found = self._newest.look_add(added, keys, look=True, add=True)
        takers.append(newest_takers)
        found.append(newest_found)
        dead = self._dead_rows_mask()
        most = np.iinfo(np.int64).max if limit is None else limit
        result = tally_closest(np.concatenate(takers), np.concatenate(found), len(added), dead, most)
        if self._newest.used >= self.fresh_limit:
            self._settle()
        return result

    def _shaped(self, keys: Keys, count: int, width: int | None = None) -> Keys:
        """Band keys as the compiled loops read them: a C-ordered matrix of `count` rows (one row may come as a
        vector), of `width` keys each if given; any other shape is refused, not read past its end."""
        matrix = keys.reshape(1, -1) if keys.ndim == 1 else keys
        if matrix.ndim != 2 or len(matrix) != count or (width is not None and matrix.shape[1] != width):
            wanted = f"{count} row(s) of {width or 'any number of'} band keys"
            raise ValueError(f"expected {wanted}, got an array of shape {keys.shape}")
        return np.ascontiguousarray(matrix, dtype=np.uint64)

    def _dead_rows(self) -> Rows:
        """The removed rows as an array (made again only after a removal)."""
        if self._dead_array is None:
            self._dead_array = np.fromiter(self._dead, np.int64, len(self._dead))
        return self._dead_array

    def _dead_rows_mask(self) -> npt.NDArray[np.bool_]:
        """Whether each row up to the last removed one is removed (made again only after a removal)."""
        if self._dead_mask is None:
            dead = self._dead_rows()
            self._dead_mask = np.zeros(int(dead.max()) + 1 if len(dead) else 0, dtype=np.bool_)
            self._dead_mask[dead] = True
        return self._dead_mask

    def _settle(self) -> None:
        """Move the newest entries into a sorted run, then merge runs of like size (a few runs in all)."""
        if not self._newest.used:
            return
        keys, rows = self._newest.entries()
        self._runs.append(_Run.sorted(keys, rows, self._dead_rows() if self._dead else None))
        self._newest.clear()
        self._compact()

    def _compact(self) -> None:
        """Merge the newest runs while the one before is at most twice as large: O(log n) runs."""
        while len(self._runs) > 1 and len(self._runs[-2]) <= 2 * len(self._runs[-1]):
            dead = self._dead_rows() if self._dead else None
            self._runs[-2:] = [_Run.merged(self._runs[-2], self._runs[-1], dead)]  # removed rows leave for good
