"""The model's array helpers."""

from __future__ import annotations

import numpy as np

from dedup.model import sorted_unique


def test_sorted_unique_is_numpys_unique() -> None:
    rng = np.random.default_rng(3)
    for values in (
        np.zeros(0, np.int64),
        np.array([7], np.int64),
        np.array([5, 5, 5], np.int64),
        rng.integers(0, 50, 1000),
        rng.integers(0, 2**62, 5000),
    ):
        assert np.array_equal(sorted_unique(values), np.unique(values))
