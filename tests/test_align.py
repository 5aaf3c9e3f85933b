"""Paragraph alignment: what a copy carries of its origin, which paragraphs it added, which it cut."""

from __future__ import annotations

import numpy as np

from dedup.align import align, found_in
from dedup.sign import Signer

signer = Signer()
WIRE = [" ".join(f"w{p}x{i}" for i in range(40)) for p in range(6)]
LOCAL = " ".join(f"local{i}" for i in range(40))


def sketch(*paragraphs: str):  # type: ignore[no-untyped-def]
    """The sketch of a text made of these paragraphs, one a line."""
    return signer.sign("x", "\n".join(paragraphs)).sketch


def test_the_origin_carries_all_of_itself() -> None:
    origin = sketch(*WIRE)
    assert align("wire", origin, origin).carried == 1.0


def test_a_trimmed_copy_with_a_local_paragraph_on_top() -> None:
    copy = align("copy", sketch(LOCAL, *WIRE[:4]), sketch(*WIRE))
    assert copy.added == (1,)  # numbered in the copy
    assert copy.cut == (5, 6)  # numbered in the origin
    assert 0.55 < copy.carried < 0.8


def test_re_ordered_paragraphs_are_neither_added_nor_cut() -> None:
    copy = align("copy", sketch(*reversed(WIRE)), sketch(*WIRE))
    assert copy.added == () and copy.cut == ()
    assert copy.carried > 0.9  # only the shingles that bridged two paragraphs differ


def test_blank_lines_do_not_shift_paragraph_numbers() -> None:
    copy = align("copy", sketch(WIRE[0], "", "   ", LOCAL, WIRE[1]), sketch(*WIRE[:2]))
    assert copy.added == (2,)


def test_found_in_is_membership_in_a_sorted_array() -> None:
    values = np.array([5, 1, 9, 4], dtype=np.uint32)
    assert found_in(values, np.array([1, 4, 7], dtype=np.uint32)).tolist() == [False, True, False, True]
    assert found_in(values, np.array([], dtype=np.uint32)).tolist() == [False] * 4
