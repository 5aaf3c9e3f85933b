from __future__ import annotations

import random
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from datasketch import MinHashLSH
from datasketch.lsh import _optimal_param

from dedup import Article, Deduplicator, scan
from dedup.index import LSH_THRESHOLD, bands, memory
from dedup.index.bands import KNOWN_SHAPES, MAX_ROW, PER_KEY, BandIndex, _Run, shape
from dedup.index.base import insert_each
from dedup.index.memory import MAX_CANDIDATES, TOPIC_THRESHOLD, MemoryIndex, closest
from dedup.model import Document, Pair, Signature, Signatures
from dedup.related import related_among
from dedup.sign import NUM_PERM, Signer

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
signer = Signer()


def signatures_with_every_overlap(count: int, seed: int) -> list[np.ndarray]:
    """Signatures that share none, a few or most of their values with an earlier one."""
    rng = np.random.default_rng(seed)
    made: list[np.ndarray] = []
    for _ in range(count):
        values = rng.integers(0, 2**32, signer.num_perm, dtype=np.uint32)
        if made and rng.random() < 0.8:
            base = made[int(rng.integers(len(made)))]
            keep = rng.random(signer.num_perm) < rng.choice([0.1, 0.3, 0.5, 0.9])
            values = np.where(keep, base, values).astype(np.uint32)
        made.append(values)
    return made


def found_rows(bands: BandIndex, values: np.ndarray) -> set[int]:
    """The rows a band index proposes for a signature."""
    return set(bands.query(bands.keys(values))[0].tolist())


@pytest.mark.parametrize("threshold", [0.15, 0.2, 0.5])
def test_band_candidates_are_exactly_datasketchs(threshold: float) -> None:
    made = signatures_with_every_overlap(400, seed=int(threshold * 100))
    reference = MinHashLSH(threshold=threshold, num_perm=signer.num_perm)
    bands = BandIndex(*shape(threshold, signer.num_perm), fresh=700)  # sorted runs form and merge on the way
    for row, values in enumerate(made):
        minhash = signer.minhash(Signature(str(row), values, 1))
        assert found_rows(bands, values) == {int(key) for key in reference.query(minhash)}
        reference.insert(row, minhash)
        bands.add(row, bands.keys(values))
    for row in range(0, 400, 3):  # removed articles are never proposed again
        reference.remove(row)
        bands.remove(row)
    for values in made:
        minhash = signer.minhash(Signature("q", values, 1))
        assert found_rows(bands, values) == {int(key) for key in reference.query(minhash)}


def test_band_keys_loaded_at_once_answer_like_those_added_one_by_one() -> None:
    made = signatures_with_every_overlap(300, seed=7)
    one_by_one, at_once = BandIndex(*shape(0.15, 128), fresh=500), BandIndex(*shape(0.15, 128))
    for row, values in enumerate(made):
        one_by_one.add(row, one_by_one.keys(values))
    at_once.add_many(np.arange(300), at_once.keys(np.stack(made)))
    for values in made:
        ours, theirs = one_by_one.query(one_by_one.keys(values)), at_once.query(at_once.keys(values))
        assert ours[0].tolist() == theirs[0].tolist() and ours[1].tolist() == theirs[1].tolist()


@pytest.mark.parametrize("fresh", [10**9, 1000])  # in the dict, and in sorted arrays
def test_a_band_key_shared_by_a_crowd_proposes_only_its_newest_rows(fresh: int) -> None:
    crowd = np.arange(signer.num_perm, dtype=np.uint32)
    bands = BandIndex(*shape(0.15, signer.num_perm), fresh=fresh)
    for row in range(300):
        bands.add(row, bands.keys(crowd))
    found = found_rows(bands, crowd)
    if fresh > 10**6:
        assert set(found) == set(range(300 - PER_KEY, 300))
    else:  # each sorted array gives its newest; a few arrays in all
        assert 299 in found and PER_KEY <= len(found) <= 4 * PER_KEY


def test_only_the_candidates_sharing_most_bands_are_kept_past_the_cap() -> None:
    found = {row: 1 for row in range(MAX_CANDIDATES + 50)} | {500: 9, 501: 9, 7: 3}
    rows = np.array(sorted(found))
    kept = closest(rows, np.array([found[row] for row in rows.tolist()]))
    earliest = [row for row in range(MAX_CANDIDATES) if row != 7][: MAX_CANDIDATES - 3]
    assert kept.tolist() == sorted([*earliest, 7, 500, 501])
    assert closest(np.array([1, 3]), np.array([2, 1])).tolist() == [1, 3]  # under the cap: all of them


@pytest.mark.parametrize("seed", range(5))
def test_closest_keeps_the_rows_sorted_by_most_bands_then_earliest(seed: int) -> None:
    rng = np.random.default_rng(seed)
    rows = np.unique(rng.integers(0, 1000, 300))
    counts = rng.integers(1, 6, len(rows))
    for limit in (1, 10, 100, len(rows), 1000):
        plain = sorted(zip(rows.tolist(), counts.tolist(), strict=True), key=lambda rc: (-rc[1], rc[0]))[:limit]
        assert closest(rows, counts, limit).tolist() == sorted(row for row, _ in plain)


@pytest.mark.parametrize("bands_rows", [(51, 2), (28, 2), (20, 3), (128, 1)])
def test_a_query_counts_the_bands_each_earlier_row_shares(bands_rows: tuple[int, int]) -> None:
    bands, rows = bands_rows
    made = signatures_with_every_overlap(300, seed=bands + rows)
    index = BandIndex(bands, rows, fresh=2000)  # sorted runs and the dict, both
    for row, values in enumerate(made):
        found, counts = index.query(index.keys(values))
        cut = np.stack(made[:row] or [values])[:, : bands * rows].reshape(-1, bands, rows)
        shared = (cut == values[: bands * rows].reshape(bands, rows)).all(axis=2).sum(axis=1)[:row]
        assert found.tolist() == np.flatnonzero(shared).tolist()
        assert counts.tolist() == shared[shared > 0].tolist()
        index.add(row, index.keys(values))


class DatasketchIndex(MemoryIndex):
    """The obvious incremental path: datasketch's MinHashLSH, one insert and one query per article."""

    def __init__(self) -> None:
        super().__init__(signer, min_names=5)
        self.reference = MinHashLSH(threshold=0.15, num_perm=signer.num_perm)
        self.reference_topics = MinHashLSH(threshold=0.2, num_perm=signer.num_perm)

    def candidates(self, signature: Signature) -> list[str]:
        if not signature.size:
            return []
        return sorted(str(key) for key in self.reference.query(signer.minhash(signature)))

    def related(self, signature: Signature, threshold: float = 0.0, min_names: int = 1) -> list[str]:
        if signature.names < 5 or signature.topic is None:
            return []
        found = sorted(str(key) for key in self.reference_topics.query(signer.topic_minhash(signature)))
        return related_among(signature, [self.signature(other) for other in found], threshold, min_names)

    def insert_many(
        self,
        signatures: Sequence[Signature],
        documents: Sequence[Document | None],
        fingerprints: Sequence[int],
        threshold: float = 0.0,
        min_names: int = 1,
    ) -> list[tuple[list[str], list[str]]]:
        return insert_each(self, signatures, documents, fingerprints, threshold, min_names)  # one by one, as above

    def insert(self, signature: Signature, document: Document | None = None, fingerprint: int = 0) -> None:
        super().insert(signature, document, fingerprint)
        if signature.size:
            self.reference.insert(signature.id, signer.minhash(signature))
        if signature.names >= 5:
            self.reference_topics.insert(signature.id, signer.topic_minhash(signature))


def stories(count: int, seed: int) -> list[Article]:
    """Wire stories, each with trimmed and reworded reprints, and articles sharing one paragraph."""
    rng = random.Random(seed)
    words = [f"{rng.choice('BCDFGLMNPRST')}{rng.choice('aeiou')}{rng.choice('klmnrst')}{i}" for i in range(300)]
    words += [f"w{i}" for i in range(2000)]
    articles = []
    for story in range(count):
        paragraphs = [" ".join(rng.choices(words, k=25)) + "." for _ in range(8)]
        articles.append(Article(f"s{story}-wire", "\n".join(paragraphs)))
        articles.append(Article(f"s{story}-trim", "\n".join(paragraphs[: rng.randint(3, 6)])))
        edited = [p.replace(rng.choice(p.split()), "changed") for p in paragraphs]
        articles.append(Article(f"s{story}-edit", "\n".join([*edited, " ".join(rng.choices(words, k=40))])))
        shared = [rng.choice(paragraphs)] + [" ".join(rng.choices(words, k=25)) for _ in range(5)]
        articles.append(Article(f"s{story}-share", "\n".join(shared)))
    return articles


def test_a_scan_finds_exactly_the_clusters_of_the_datasketch_path() -> None:
    ours = scan([SEEDS], deduplicator=Deduplicator())
    reference = scan([SEEDS], deduplicator=Deduplicator(index=DatasketchIndex()))
    assert [c.members for c in ours.clusters] == [c.members for c in reference.clusters]
    assert [g.members for g in ours.related] == [g.members for g in reference.related]
    finder, reference_finder = Deduplicator(), Deduplicator(index=DatasketchIndex())
    for article in stories(40, seed=3):
        finder.add(article)
        reference_finder.add(article)
    mine, theirs = finder.result(), reference_finder.result()
    assert len(mine.clusters) >= 40
    assert [c.members for c in mine.clusters] == [c.members for c in theirs.clusters]
    assert sorted(map(str, mine.pairs)) == sorted(map(str, theirs.pairs))
    assert [g.members for g in mine.related] == [g.members for g in theirs.related]


def test_removed_rows_leave_the_sorted_arrays_when_they_merge() -> None:
    made = signatures_with_every_overlap(200, seed=11)
    bands = BandIndex(*shape(0.15, signer.num_perm), fresh=500)
    for row, values in enumerate(made):
        bands.add(row, bands.keys(values))
        if row % 2:
            bands.remove(row)
    bands.add_many(np.arange(200, 400), bands.keys(np.stack(made)))  # settles and merges everything
    kept = np.concatenate([run.rows for run in bands._runs])
    assert not np.any(kept[kept < 200] % 2)
    assert all(row % 2 == 0 or row >= 200 for values in made for row in found_rows(bands, values))


def sorted_run(rng: np.random.Generator, size: int, distinct: int) -> _Run:
    """A run of `size` entries over a few keys (many equal), rows in no order."""
    keys = np.sort(rng.integers(0, distinct, size).astype(np.uint64))
    return _Run(keys, rng.integers(0, 500, size).astype(np.int32))


def copied(run: _Run, as_view: bool) -> _Run:
    """A run of its own arrays, or of views of larger ones (which cannot grow in place)."""
    if not as_view:
        return _Run(run.keys.copy(), run.rows.copy())
    return _Run(np.concatenate([run.keys, run.keys])[: len(run)], np.concatenate([run.rows, run.rows])[: len(run)])


@pytest.mark.parametrize("as_view", [False, True])  # grown in place, or merged into new arrays
@pytest.mark.parametrize("seed", range(6))
def test_a_merge_gives_what_a_stable_sort_of_both_runs_gives(
    seed: int, as_view: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bands, "_CHUNK", 7)  # the places are worked out, and dead rows swept, in many chunks
    rng = np.random.default_rng(seed)
    for older_size, newer_size in ((300, 120), (40, 300), (0, 50), (60, 0), (0, 0), (200, 200), (1, 1)):
        older, newer = sorted_run(rng, older_size, 30), sorted_run(rng, newer_size, 30)
        for dead in (None, np.empty(0, dtype=np.int64), rng.integers(0, 500, int(rng.integers(1, 400)))):
            keys, rows = np.concatenate([older.keys, newer.keys]), np.concatenate([older.rows, newer.rows])
            if dead is not None:
                keys, rows = keys[~np.isin(rows, dead)], rows[~np.isin(rows, dead)]
            order = np.argsort(keys, kind="stable")  # the merge before: both runs, older first, sorted again
            merged = _Run.merged(copied(older, as_view), copied(newer, as_view), dead)  # uses its inputs up
            assert merged.keys.tolist() == keys[order].tolist()
            assert merged.rows.tolist() == rows[order].tolist() and merged.rows.dtype == np.int32


def test_band_tables_refuse_rows_past_32_bits() -> None:
    index = BandIndex(2, 1, fresh=1)  # each row moves into a sorted run
    index.add(MAX_ROW, np.array([1], dtype=np.uint64))
    assert index.query(np.array([1], dtype=np.uint64))[0].tolist() == [MAX_ROW]
    with pytest.raises(ValueError, match="rows 0 to"):
        index.add(MAX_ROW + 1, np.array([1], dtype=np.uint64))


def test_shapes_known_ahead_are_the_ones_datasketch_picks() -> None:
    for (threshold, num_perm), known in KNOWN_SHAPES.items():
        assert known == _optimal_param(threshold, num_perm, 0.5, 0.5)
        assert shape(threshold, num_perm) == known
    assert shape(0.5, 128) == _optimal_param(0.5, 128, 0.5, 0.5)  # others are computed by datasketch


def test_default_indexes_are_made_without_datasketch_or_scipy() -> None:
    """Importing scipy (through datasketch's LSH module) costs about a second: most of a small scan."""
    assert (LSH_THRESHOLD, NUM_PERM) in KNOWN_SHAPES and (TOPIC_THRESHOLD, NUM_PERM) in KNOWN_SHAPES
    seeds = Path(__file__).resolve().parents[1] / "seeds"
    script = (
        "import sys; from dedup import scan; scan(sys.argv[1:]); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('scipy', 'datasketch')))"
    )
    done = subprocess.run([sys.executable, "-c", script, str(seeds)], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_the_memory_index_gives_back_every_field_of_the_signatures_it_keeps() -> None:
    texts = [" ".join(f"w{(i * 7 + j) % 50}" for j in range(20 + i)) + " Paris Rome Kim" for i in range(30)]
    signed = [signer.sign(f"d{i}", text) for i, text in enumerate(texts)]
    signed.append(Signature("bare", np.arange(NUM_PERM, dtype=np.uint32), 3))  # no names MinHash, no sketch
    signed.append(signer.sign("empty", ""))
    index = MemoryIndex(signer)
    for signature in signed:
        index.insert(signature)
    index.insert(signer.sign("d3", texts[4]))  # a replaced article keeps its id, in a new row
    signed[3] = signer.sign("d3", texts[4])
    ids = [signature.id for signature in signed]
    for signature, back in zip(signed, map(index.signature, ids), strict=True):
        assert (back.id, back.size, back.names) == (signature.id, signature.size, signature.names)
        assert back.hashvalues.tolist() == signature.hashvalues.tolist()
        assert (back.topic is None) == (signature.topic is None)
        assert back.topic is None or back.topic.tolist() == signature.topic.tolist()  # type: ignore[union-attr]
        for field in ("hashes", "paragraph", "quoted"):
            assert getattr(back.sketch, field).tolist() == getattr(signature.sketch, field).tolist()
        assert back.sketch.words == signature.sketch.words
    order = ids[::-1][:20]
    gathered, plain = index.gather(order), Signatures.of([signed[ids.index(doc_id)] for doc_id in order])
    assert list(gathered.ids) == list(plain.ids) == order
    for field in ("hashvalues", "sizes", "hashes", "quoted", "lengths"):
        assert getattr(gathered, field).tolist() == getattr(plain, field).tolist()
    assert [gathered.signature(at).id for at in range(len(order))] == order
    assert set(index.signatures) == set(ids) and index.signatures["d5"].size == signed[5].size


def crowded_signatures(count: int, seed: int) -> list[Signature]:
    """Signatures sharing every amount of their MinHash and names with earlier ones, a crowd naming the same
    names, some without words or names: what a look-up can meet."""
    values = signatures_with_every_overlap(count, seed)
    topics = signatures_with_every_overlap(count, seed + 1)
    crowd = topics[0]
    rng = np.random.default_rng(seed)
    made = []
    for number, (hashvalues, topic) in enumerate(zip(values, topics, strict=True)):
        kind = rng.random()
        size = 0 if kind < 0.05 else 50
        named = None if kind > 0.95 else (crowd if kind < 0.3 else topic)
        made.append(Signature(f"s{number:04d}", hashvalues, size, topic=named, names=int(rng.integers(0, 12))))
    return made


@pytest.mark.parametrize("fresh", [700, 10**9])
def test_articles_added_together_find_what_they_find_added_one_by_one(fresh: int) -> None:
    made = crowded_signatures(900, seed=fresh % 97)
    one, many = MemoryIndex(signer, min_names=3), MemoryIndex(signer, min_names=3)
    for index in (one, many):  # small dicts: sorted runs form, and merge, in the middle of a batch
        index.lsh, index.topics = (
            BandIndex(*shape(0.15, NUM_PERM), fresh=fresh),
            BandIndex(*shape(0.2, NUM_PERM), fresh),
        )
        for signature in made[:100]:  # then some are removed: rows a look-up must not meet
            index.insert(signature)
        for signature in made[:100:3]:
            index.remove(signature.id)
    rest = made[100:]
    documents, fingerprints = [None] * len(rest), [0] * len(rest)
    expected = insert_each(one, rest, documents, fingerprints, 0.3, 4)
    found: list[tuple[list[str], list[str]]] = []
    rng = np.random.default_rng(fresh)
    while len(found) < len(rest):
        step = len(found) + int(rng.integers(1, 300))
        part = rest[len(found) : step]
        found += many.insert_many(part, documents[: len(part)], fingerprints[: len(part)], 0.3, 4)
    assert found == expected
    assert sum(len(candidates) for candidates, _ in found) > 1000 and sum(len(related) for _, related in found) > 1000
    assert max(len(related) for _, related in found) >= PER_KEY  # a crowd: only its newest, or closest, are kept
    assert list(many.documents()) == list(one.documents())


@pytest.mark.parametrize("distinct", [40, 3000])
def test_rows_looked_up_and_added_together_find_what_query_then_add_find(distinct: int) -> None:
    """Few keys: rows share them, past `PER_KEY` rows a key, some a key twice; many: most rows meet no key."""
    rng = np.random.default_rng(5)
    keys = rng.integers(0, distinct, (600, 6)).astype(np.uint64)
    one, many = BandIndex(6, 1, fresh=10**9), BandIndex(6, 1, fresh=10**9)
    expected = []
    for row, row_keys in enumerate(keys):
        rows, counts = one.query(row_keys)
        expected += [(row, found, count) for found, count in zip(rows.tolist(), counts.tolist(), strict=True)]
        one.add(row, row_keys)
    takers, rows, counts = many.add_looked_up(list(range(600)), keys)
    assert list(zip(takers.tolist(), rows.tolist(), counts.tolist(), strict=True)) == expected
    assert any(len(set(row_keys.tolist())) < 6 for row_keys in keys)
    assert len(set(takers.tolist())) < 600 and len(takers) > 600
    crowded = np.unique(one._newest.entries()[0], return_counts=True)[1].max() > PER_KEY
    assert crowded == (distinct == 40)
    for ours, theirs in zip(many._newest.entries(), one._newest.entries(), strict=True):
        assert ours.tolist() == theirs.tolist()


def test_the_memory_index_keeps_links_as_rows_and_forgets_those_of_a_removed_article(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(memory, "LINK_BLOCK", 4)  # links fill many blocks
    index = MemoryIndex(signer)
    for doc_id in "abcdef":
        index.insert(signer.sign(doc_id, f"Kim met Putin in Moscow, {doc_id} said."))
    index.add_links([("a", "b"), ("b", "c"), ("a", "b"), ("d", "e"), ("c", "f"), ("e", "f"), ("a", "zz")])
    assert sorted(index.links()) == [("a", "b"), ("b", "c"), ("c", "f"), ("d", "e"), ("e", "f")]  # each once
    index.remove("c")
    index.insert(signer.sign("e", "Kim met Putin again."))  # a new row: the old one's links are dropped
    index.add_links([("b", "e")])
    assert sorted(index.links()) == [("a", "b"), ("b", "e")]
    rows = index.link_rows()
    assert [(rows.ids[a], rows.ids[b]) for block in rows.blocks for a, b in block.tolist()] == [("a", "b")] * 2 + [
        ("b", "e")
    ]


def test_an_article_of_more_paragraphs_or_words_than_16_bits_number_keeps_their_numbers() -> None:
    """The memory index keeps paragraph numbers and sizes in 16 bits; a sketch reaching past them is kept whole."""
    text = "\n".join(f"Line {n} of a list of many short lines, each its own paragraph." for n in range(70_000))
    long = signer.sign("long", text)
    giant = signer.sign("giant", " ".join(f"w{n % 5000}" for n in range(70_000)))  # one paragraph
    short = [signer.sign(f"s{n}", f"Kim met Putin in Moscow on Tuesday {n} times, KCNA said.") for n in range(8)]
    assert int(long.sketch.paragraph.max()) > 65_535 and giant.sketch.words == (70_000,)
    one_by_one, together = MemoryIndex(signer), MemoryIndex(signer)
    for signature in [*short, long, giant]:
        one_by_one.insert(signature)
    together.insert_many([*short, long, giant], [None] * 10, [0] * 10)
    for index in (one_by_one, together):
        for signature in (long, giant, short[3]):
            kept = index.signature(signature.id).sketch
            assert np.array_equal(kept.paragraph, signature.sketch.paragraph) and kept.paragraph.dtype == np.uint32
            assert kept.words == signature.sketch.words


def test_the_memory_index_keeps_pairs_as_a_dict_of_both_ways_would() -> None:
    """Pairs added, verified again, and dropped with an article: the same pairs, each article's in the same order."""
    rng = random.Random(3)
    ids = [f"d{n}" for n in range(12)]
    index, reference = MemoryIndex(signer), dict[str, dict[str, Pair]]()  # id -> other id -> pair, both ways
    for doc_id in ids:
        index.insert(signer.sign(doc_id, f"Kim met Putin in Moscow, {doc_id} said."))
    for step in range(400):
        if step % 25 == 24:
            gone = rng.choice(ids)
            index.remove(gone)
            for other in reference.pop(gone, {}):
                reference[other].pop(gone, None)
            index.insert(signer.sign(gone, f"Kim met Putin again, {gone} said."))
            continue
        a, b = sorted(rng.sample(ids, 2))
        pair = Pair(a, b, round(rng.random(), 4), round(rng.random(), 4), rng.random() < 0.5)
        if b not in reference.get(a, {}) and step % 2:  # new: kept without looking for an old verdict
            index.add_new_pairs([pair])
        else:
            index.add_pairs([pair])
        reference.setdefault(a, {})[b] = pair
        reference.setdefault(b, {})[a] = pair
        for doc_id in ids:
            assert index.pairs_of(doc_id) == list(reference.get(doc_id, {}).values())
        expected = [pair for a, found in reference.items() for pair in found.values() if a == pair.a]
        assert sorted(index.pairs(), key=lambda pair: (pair.a, pair.b)) == sorted(expected, key=lambda p: (p.a, p.b))
    assert len(expected) > 20
    a, b = ids[0], ids[1]  # verified again the other way round, then with itself: refused
    index.add_pairs([Pair(b, a, 0.5, 0.5, True)])
    assert Pair(b, a, 0.5, 0.5, True) in index.pairs_of(a) and Pair(b, a, 0.5, 0.5, True) in index.pairs_of(b)
    assert sum(1 for pair in index.pairs() if {pair.a, pair.b} == {a, b}) == 1
    with pytest.raises(KeyError, match="two articles"):
        index.add_pairs([Pair(a, a, 1.0, 1.0, True)])
    with pytest.raises(KeyError, match="two articles"):
        index.add_new_pairs([Pair(a, "nowhere", 1.0, 1.0, True)])


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_compiled_look_up_in_a_run_finds_what_hits_each_finds(seed: int) -> None:
    from dedup.index.lookup import run_hits

    rng = np.random.default_rng(seed)
    empty = _Run.sorted(np.empty(0, np.uint64), np.empty(0, np.int64))
    assert [len(found) for found in run_hits(empty.keys, empty.rows, np.arange(5, dtype=np.uint64), 3)] == [0, 0]
    for size, distinct in ((1, 3), (5_000, 50), (20_000, 40_000), (3_000, 5)):  # crowds of a key, and none
        run = _Run.sorted(rng.integers(0, distinct, size).astype(np.uint64), rng.permutation(size))
        keys = rng.integers(0, distinct + 3, 700).astype(np.uint64)
        for limit in (1, 3, PER_KEY, 10**6):
            expected = sorted(zip(*(found.tolist() for found in run.hits_each(keys, limit)), strict=True))
            found = sorted(zip(*(found.tolist() for found in run_hits(run.keys, run.rows, keys, limit)), strict=True))
            assert found == expected
        assert len(expected) > 0


@pytest.mark.parametrize("limit", [1, 5, MAX_CANDIDATES])
def test_rows_looked_up_together_keep_the_closest_live_rows_as_closest_keeps_them(limit: int) -> None:
    """Past the limit, each row keeps those sharing the most bands, earlier first; removed rows never count."""
    rng = np.random.default_rng(limit)
    keys = rng.integers(0, 25, (900, 6)).astype(np.uint64)  # crowded keys: rows find many rows, some many times
    one, many = BandIndex(6, 1, fresh=1500), BandIndex(6, 1, fresh=1500)  # sorted runs form on the way
    for index in (one, many):
        for row in range(300):
            index.add(row, keys[row])
        for row in range(0, 300, 7):
            index.remove(row)
    expected = []
    for row in range(300, 900):
        rows, counts = one.query(keys[row])
        expected += [(row - 300, found) for found in closest(rows, counts, limit).tolist()]
        one.add(row, keys[row])
    found: list[tuple[int, int]] = []
    start = 300
    while start < 900:
        end = min(900, start + many.room())  # the last of them moves the newest entries into a sorted run
        takers, rows, _ = many.add_looked_up(list(range(start, end)), keys[start:end], limit)
        found += list(zip((takers + start - 300).tolist(), rows.tolist(), strict=True))
        start = end
    assert found == expected
    assert not {row for _, row in found} & set(range(0, 300, 7))
    assert max(np.bincount([taker for taker, _ in found])) == limit


def test_links_kept_as_runs_of_a_first_end_come_back_as_the_pairs_given(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each batch's links kept a run per first end; read out as the same pairs, in order, in full blocks."""
    monkeypatch.setattr(memory, "LINK_BLOCK", 50)
    rng = np.random.default_rng(4)
    links, given = memory._Links(), []
    for size in (0, 1, 37, 120, 3, 64):  # sorted by first end, as a batch gives them, or in no order
        pairs = rng.integers(0, 40, (size, 2)).astype(np.int32)
        pairs = pairs[np.argsort(pairs[:, 0], kind="stable")] if size % 2 else pairs
        links.extend(pairs)
        given.append(pairs)
    expected = np.concatenate(given)
    blocks = links.blocks()
    assert [len(block) for block in blocks] == [50, 50, 50, 50, 25]
    assert np.concatenate(blocks).tolist() == expected.tolist()
    assert sum(len(run[0]) for run in links._runs) < len(expected)  # a first end once for each run of its links
    alive = rng.random(40) < 0.7
    links.keep(alive)
    assert np.concatenate(links.blocks()).tolist() == expected[alive[expected[:, 0]] & alive[expected[:, 1]]].tolist()


def test_rows_looked_up_together_without_a_limit_find_every_row_query_finds() -> None:
    """Many more rows found than keys asked: none is cut without a limit."""
    index = BandIndex(2, 1, fresh=25)  # crowds in sorted runs and among the newest entries
    for row in range(40):
        index.add(row, np.array([7, row], dtype=np.uint64))
    rows, counts = index.query(np.array([7, 100], dtype=np.uint64))
    takers, found, tallies = index.add_looked_up([100], np.array([[7, 100]], dtype=np.uint64))
    assert len(found) > 3 and found.tolist() == rows.tolist() and tallies.tolist() == counts.tolist()
    assert set(takers.tolist()) == {0}


def test_band_keys_of_another_shape_than_the_rows_given_are_refused() -> None:
    index = BandIndex(3, 1)
    with pytest.raises(ValueError, match="expected 1 row"):
        index.add_looked_up([5], np.zeros((3, 3), dtype=np.uint64))
    with pytest.raises(ValueError, match="band keys"):
        index.add_looked_up([5, 6], np.zeros((2, 4), dtype=np.uint64))
    with pytest.raises(ValueError, match="expected 1 row"):
        index.add(5, np.zeros((2, 3), dtype=np.uint64))
    assert not index._newest.used


def test_runs_still_grow_in_place_after_rows_are_removed() -> None:
    index = BandIndex(2, 1, fresh=8)
    for row in range(200):
        index.add(row, np.array([row % 13, 1000 + row], dtype=np.uint64))
        if row % 5 == 0:
            index.remove(row)
    assert len(index._runs) > 1 and all(bands._growable(run) for run in index._runs)
    assert not {row for run in index._runs for row in run.rows.tolist()} & set(range(0, 200, 5)) - {195}
