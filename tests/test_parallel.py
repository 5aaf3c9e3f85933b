"""Cleaning and signing on several processes gives what one process gives, in the same order."""

from __future__ import annotations

import copy
import pickle
from collections.abc import Iterator
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np

from dedup.model import Article, Document, Prepared, Skipped
from dedup.parallel import AHEAD, prepared
from dedup.read import Fields, read
from dedup.sign import Signer

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def test_two_workers_prepare_exactly_what_one_process_prepares(tmp_path: Path) -> None:
    (tmp_path / "broken.txt").write_bytes(b"\x00\x01\x02 binary")
    items = list(read([SEEDS, tmp_path], fields=Fields())) * 6  # 36 items: several batches of 10
    alone = list(prepared(items, Signer(), workers=1))
    shared = list(prepared(items, Signer(), workers=2, batch=10))
    assert len(shared) == len(alone) == 36
    assert sum(isinstance(item, Skipped) for item in shared) == 6
    for one, other in zip(alone, shared, strict=True):
        if isinstance(one, Skipped):
            assert one == other
            continue
        assert not isinstance(other, Skipped)
        assert one.document == other.document and one.fingerprint == other.fingerprint
        assert (one.signature.hashvalues == other.signature.hashvalues).all()
        assert (one.signature.sketch.hashes == other.signature.sketch.hashes).all()


def test_workers_are_handed_a_bounded_number_of_batches_ahead() -> None:
    items = [item for item in read([SEEDS], fields=Fields())] * 20  # 100 items: ten batches of 10
    taken = 0

    def counted() -> Iterator[Article | Skipped]:
        nonlocal taken
        for item in items:
            taken += 1
            yield item

    results = prepared(counted(), Signer(), workers=2, batch=10)
    next(results)
    assert taken <= AHEAD * 10 + 1  # the batches in flight, and the item that ends the last one read
    assert len([next(results), *results]) == 99 and taken == 100


def test_a_prepared_article_comes_back_from_a_worker_whole() -> None:
    """What crosses between processes is pickled field by field: every field, arrays too, comes back."""
    items = list(read([SEEDS], fields=Fields()))
    sent = pickle.dumps(items)
    for item in [*prepared(pickle.loads(sent), Signer()), Skipped("a.txt", "empty")]:
        back = pickle.loads(pickle.dumps(item))
        assert type(back) is type(item)
        if not isinstance(item, Prepared):
            assert back == item
            continue
        assert back.document == item.document and back.fingerprint == item.fingerprint
        for record, returned in ((item.signature, back.signature), (item.signature.sketch, back.signature.sketch)):
            for field in fields(record):
                ours, theirs = getattr(returned, field.name), getattr(record, field.name)
                if isinstance(theirs, np.ndarray):
                    assert ours.dtype == theirs.dtype and np.array_equal(ours, theirs)
                elif field.name != "sketch":
                    assert ours == theirs
    assert pickle.loads(sent) == items


@dataclass(frozen=True, slots=True)
class _Tagged(Document):
    tag: str = ""


def test_a_record_of_a_subclass_comes_back_as_that_subclass() -> None:
    record = _Tagged("a", path="a.txt", words=3, tag="wire")
    for back in (pickle.loads(pickle.dumps(record)), copy.copy(record), copy.deepcopy(record)):
        assert type(back) is _Tagged and back == record
    assert copy.deepcopy(Document("b", words=2)) == Document("b", words=2)
