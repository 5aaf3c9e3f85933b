"""The verified pairs an in-memory index keeps, as columns of row numbers and figures.

A million articles make about a million and a half copies. As `Pair` objects, each with an entry under
both of its ids in a dict, they took ~200 bytes each; here a pair is its two rows, its figures and its
verdict, chained to the pair after it of each row (~40 bytes), and `Pair`s are made when asked for.
Every value the compiled loop reads is passed in (numba's on-disk cache follows this file only).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
import numpy.typing as npt

from dedup.kernels import compiled
from dedup.model import Pair, grown

_NONE = -1


class PairColumns:
    """Verified pairs between rows, each row's pairs kept in the order they were first verified.

    A pair verified again keeps its place with the new figures; a row dropped takes its pairs with it.
    """

    def __init__(self) -> None:
        self.count = 0
        self.ends = np.empty((0, 2), dtype=np.int32)  # the rows of pair.a and pair.b
        self.figures = np.empty((0, 2), dtype=np.float64)  # similarity, containment
        self.copy = np.empty(0, dtype=np.bool_)
        self.alive = np.empty(0, dtype=np.bool_)
        self.after = np.empty((0, 2), dtype=np.int32)  # the next pair of each end's row, or -1
        self.first = np.empty(0, dtype=np.int32)  # each row's first pair and last pair, or -1
        self.last = np.empty(0, dtype=np.int32)

    def add_new(self, ends: npt.NDArray[np.int64], pairs: Sequence[Pair]) -> None:
        """Keep pairs none of which is kept yet, the rows of each's `a` and `b` a line of `ends`."""
        if not len(pairs):
            return
        start, stop = self.count, self.count + len(pairs)
        self._reserve(stop, int(ends.max()) + 1)
        self.ends[start:stop] = ends
        self.figures[start:stop] = [(pair.similarity, pair.containment) for pair in pairs]
        self.copy[start:stop] = [pair.copy for pair in pairs]
        self.alive[start:stop] = True
        self.after[start:stop] = _NONE
        _chain(self.ends, self.after, self.first, self.last, start, stop)
        self.count = stop

    def find(self, row: int, other: int) -> int:
        """The number of the live pair between two rows, or -1."""
        for at in self.numbers_of(row):
            a, b = self.ends[at].tolist()
            if (a, b) in ((row, other), (other, row)):
                return at
        return _NONE

    def replace(self, at: int, ends: npt.NDArray[np.int64], pair: Pair) -> None:
        """Give a kept pair the figures and verdict of its new verification (`ends`: the rows of its `a` and
        `b`, which may come the other way round)."""
        if self.ends[at, 0] != ends[0]:  # the chains follow each end's row: swap them with it
            self.ends[at] = ends
            self.after[at] = self.after[at, ::-1].copy()
        self.figures[at] = (pair.similarity, pair.containment)
        self.copy[at] = pair.copy

    def numbers_of(self, row: int) -> list[int]:
        """The numbers of a row's live pairs, in the order first verified."""
        found = []
        at = int(self.first[row]) if row < len(self.first) else _NONE
        while at != _NONE:
            if self.alive[at]:
                found.append(at)
            at = int(self.after[at, 0 if self.ends[at, 0] == row else 1])
        return found

    def drop(self, row: int) -> None:
        """Forget a row's pairs."""
        self.alive[self.numbers_of(row)] = False

    def made(self, numbers: Sequence[int] | npt.NDArray[np.int64], ids: Sequence[str]) -> list[Pair]:
        """Some pairs, by number, as `Pair`s (`ids`: each row's id)."""
        numbers = np.asarray(numbers, dtype=np.int64)
        rows, figures = self.ends[numbers].tolist(), self.figures[numbers].tolist()
        return [
            Pair(ids[a], ids[b], similarity, containment, copy)
            for (a, b), (similarity, containment), copy in zip(rows, figures, self.copy[numbers].tolist(), strict=True)
        ]

    def every(self, ids: Sequence[str], batch: int = 1 << 16) -> Iterator[Pair]:
        """Every live pair, once, in the order kept (made a batch at a time)."""
        for start in range(0, self.count, batch):
            numbers = np.flatnonzero(self.alive[start : min(self.count, start + batch)]) + start
            yield from self.made(numbers, ids)

    def _reserve(self, pairs: int, rows: int) -> None:
        """Room for `pairs` pairs and `rows` rows in all."""
        for name in ("ends", "figures", "copy", "alive", "after"):
            setattr(self, name, grown(getattr(self, name), pairs))
        held = len(self.first)
        self.first, self.last = grown(self.first, rows), grown(self.last, rows)
        self.first[held:] = self.last[held:] = _NONE


@compiled
def _chain(
    ends: npt.NDArray[np.int32],
    after: npt.NDArray[np.int32],
    first: npt.NDArray[np.int32],
    last: npt.NDArray[np.int32],
    start: int,
    stop: int,
) -> None:
    """Chain pairs `start`..`stop`-1 to the last pair of each of their rows, in order."""
    for at in range(start, stop):
        for side in range(2):
            row = ends[at, side]
            before = last[row]
            if before < 0:
                first[row] = at
            elif ends[before, 0] == row:
                after[before, 0] = at
            else:
                after[before, 1] = at
            last[row] = at
