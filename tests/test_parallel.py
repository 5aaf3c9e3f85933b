"""Cleaning and signing on several processes gives what one process gives, in the same order."""

from __future__ import annotations

from pathlib import Path

from dedup.model import Skipped
from dedup.parallel import prepared
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
