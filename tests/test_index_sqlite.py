"""The persistent index: same answers as the in-memory one, kept between runs, safe to kill and to share."""

from __future__ import annotations

import json
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from dedup import DedupError, Deduplicator, InputError, UsageError, scan
from dedup.cli import app
from dedup.index.sqlite import SqliteIndex
from dedup.model import Signature, Sketch
from dedup.sign import Signer

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
runner = CliRunner()


def write_corpus(folder: Path, stories: int, seed: int, prefix: str = "", names: bool = False) -> None:
    """Stories of ten sentences, each written out three times: whole, trimmed, and with a local paragraph.

    With `names`, two stories in a row name the same three people: related reports, not copies.
    """
    rng = random.Random(seed)
    vocabulary = [f"{rng.choice('bcdfglmnprst')}{rng.choice('aeiou')}{rng.choice('klmnrst')}{i}" for i in range(900)]
    people = [f"{rng.choice('BCDFGLMNPRST')}{rng.choice('aeiou')}{rng.choice('klmnrst')}{rng.choice('aeiou')}"]
    people += [f"{rng.choice('BCDFGLMNPRST')}{rng.choice('aeiou')}{rng.choice('klmnrst')}o{i}" for i in range(40)]
    folder.mkdir(parents=True, exist_ok=True)
    for story in range(stories):
        sentences = [" ".join(rng.choices(vocabulary, k=18)).capitalize() + "." for _ in range(10)]
        if names:
            cast = [f"{people[(story // 2 * 3 + k) % 41]} {people[(story // 2 * 3 + k + 7) % 41]}" for k in range(3)]
            sentences[1] = (
                f"{cast[0]} met {cast[1]} and {cast[2]} that day, {sentences[1][0].lower()}{sentences[1][1:]}"
            )
        local = " ".join(rng.choices(vocabulary, k=30)).capitalize() + "."
        versions = {"wire": sentences, "trim": sentences[:6], "local": [*sentences[:8], local]}
        for name, lines in versions.items():
            (folder / f"{prefix}s{story:02d}-{name}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def members(result_clusters: tuple) -> list[tuple[str, ...]]:  # type: ignore[type-arg]
    return sorted(tuple(cluster.members) for cluster in result_clusters)


def wire_apart(tmp_path: Path, stories: int, seed: int, wire: str = "wire", reprints: str = "reprints") -> None:
    """A corpus (`write_corpus`) in two folders: the wire stories in one, their reprints in the other."""
    write_corpus(tmp_path / "all", stories=stories, seed=seed)
    for name in (wire, reprints):
        (tmp_path / name).mkdir()
    for path in sorted((tmp_path / "all").iterdir()):
        path.rename(tmp_path / (wire if path.stem.endswith("wire") else reprints) / path.name)


def two_days(tmp_path: Path) -> None:
    """Sixteen stories, two in a row naming the same people, in `day1`; the trimmed reprints of stories 0, 2
    and 4 come a day later, in `day2`."""
    write_corpus(tmp_path / "day1", stories=16, seed=8, names=True)
    (tmp_path / "day2").mkdir()
    for path in sorted((tmp_path / "day1").glob("s0[024]-trim.txt")):
        path.rename(tmp_path / "day2" / path.name)


def test_the_sqlite_index_finds_exactly_what_the_in_memory_index_finds(tmp_path: Path) -> None:
    write_corpus(tmp_path / "in", stories=12, seed=1)
    in_memory = scan([tmp_path / "in", SEEDS])
    with SqliteIndex(tmp_path / "index.db") as store:
        on_disk = scan([tmp_path / "in", SEEDS], deduplicator=Deduplicator(index=store))
    assert members(on_disk.clusters) == members(in_memory.clusters)
    assert len(on_disk.clusters) == 13  # twelve stories and the seeds' Reuters copy
    assert sorted(on_disk.pairs, key=str) == sorted(in_memory.pairs, key=str)
    assert [g.members for g in on_disk.related] == [g.members for g in in_memory.related]


def test_tomorrows_run_reports_copies_of_yesterdays_articles(tmp_path: Path) -> None:
    write_corpus(tmp_path / "day1", stories=3, seed=2)
    (tmp_path / "day2").mkdir()
    for path in (tmp_path / "day1").glob("*-trim.txt"):  # the trimmed reprints come a day later
        path.rename(tmp_path / "day2" / path.name)
    index = tmp_path / "news.db"
    first = runner.invoke(app, ["scan", str(tmp_path / "day1"), "--index", str(index), "-f", "json"])
    assert first.exit_code == 0, first.stderr
    second = runner.invoke(app, ["scan", str(tmp_path / "day2"), "--index", str(index), "-f", "json"])
    assert second.exit_code == 0, second.stderr
    report = json.loads(second.stdout)
    assert {tuple(c["members"]) for c in report["clusters"]} == {
        (f"s{n:02d}-local", f"s{n:02d}-trim", f"s{n:02d}-wire") for n in range(3)
    }
    assert [d["id"] for d in report["documents"]][:3] == [f"s{n:02d}-trim" for n in range(3)]  # today's first
    with SqliteIndex(index) as store:
        assert len(store) == 9


def test_re_adding_the_same_article_changes_nothing_and_new_text_replaces_it(tmp_path: Path) -> None:
    text = (SEEDS / "004_4d248f02436a389b.txt").read_text(encoding="utf-8")
    with SqliteIndex(tmp_path / "index.db") as store:
        finder = Deduplicator(index=store)
        scan([SEEDS], deduplicator=finder)
        before = (len(store), sorted(store.pairs(), key=str))
        again = finder.add(text, id="004_4d248f02436a389b")
        assert again.is_copy and (len(store), sorted(store.pairs(), key=str)) == before
        finder.add("A different story about a village fair, told at some length. " * 20, id="004_4d248f02436a389b")
        assert len(store) == 5 and finder.result().clusters == ()


def test_an_index_built_with_another_signer_is_refused(tmp_path: Path) -> None:
    SqliteIndex(tmp_path / "index.db").close()
    with pytest.raises(UsageError, match="shingle 3, not 5"):
        SqliteIndex(tmp_path / "index.db", Signer(shingle=5))


def test_a_file_that_is_not_an_index_is_named_in_the_error(tmp_path: Path) -> None:
    bad = tmp_path / "notes.db"
    bad.write_bytes(b"these are my notes, not an index" * 100)
    with pytest.raises(InputError, match=r"notes\.db: not a dedup index"):
        SqliteIndex(bad)
    result = runner.invoke(app, ["scan", str(SEEDS), "--index", str(bad)])
    assert result.exit_code == 1 and "not a dedup index" in result.stderr


def test_a_writer_that_cannot_get_the_lock_says_so(tmp_path: Path) -> None:
    SqliteIndex(tmp_path / "index.db").close()
    holder = sqlite3.connect(tmp_path / "index.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        store = SqliteIndex(tmp_path / "index.db", lock_timeout=0.2)
        with pytest.raises(DedupError, match="another process is writing to this index"), store:
            scan([SEEDS], deduplicator=Deduplicator(index=store))
    finally:
        holder.rollback()
        holder.close()


SCAN_SCRIPT = """
import sys
from dedup import Deduplicator, scan
from dedup.index.sqlite import SqliteIndex
with SqliteIndex(sys.argv[1]) as store:
    scan([sys.argv[2]], deduplicator=Deduplicator(index=store), commit_every=int(sys.argv[3]))
"""


def run_scan(index: Path, folder: Path, commit_every: int) -> subprocess.Popen[bytes]:
    """A scan into the index in a process of its own, as a scraper worker would run it."""
    command = [sys.executable, "-c", SCAN_SCRIPT, str(index), str(folder), str(commit_every)]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def committed(index: Path) -> int:
    """How many articles a reader sees in the index right now."""
    db = sqlite3.connect(index)
    try:
        return int(db.execute("SELECT COUNT(*) FROM documents").fetchone()[0])
    except sqlite3.OperationalError:  # not created yet
        return 0
    finally:
        db.close()


def test_a_run_killed_midway_leaves_a_consistent_index_with_what_it_committed(tmp_path: Path) -> None:
    write_corpus(tmp_path / "in", stories=60, seed=3, names=True)  # 180 articles, a commit every 10
    index = tmp_path / "index.db"
    worker = run_scan(index, tmp_path / "in", 10)
    deadline = time.monotonic() + 60
    while committed(index) < 20 and worker.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert worker.poll() is None, "the scan ended before it could be killed"
    worker.send_signal(signal.SIGKILL)
    worker.communicate()
    db = sqlite3.connect(index)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    kept = db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    assert 20 <= kept < 180 and kept % 10 == 0  # whole batches only
    orphans = db.execute("SELECT COUNT(*) FROM pairs WHERE a NOT IN (SELECT id FROM documents)")
    assert orphans.fetchone()[0] == 0  # nothing refers to an article that is not there
    seqs = {seq for (seq,) in db.execute("SELECT seq FROM documents")}
    linked = {int(seq) for (ends,) in db.execute("SELECT ends FROM link_blocks") for seq in np.frombuffer(ends, "<u4")}
    assert linked and linked <= seqs
    db.close()
    with SqliteIndex(index) as store:  # and the next run finishes the job
        resumed = scan([tmp_path / "in"], deduplicator=Deduplicator(index=store))
    assert len(resumed.documents) == 180
    assert members(resumed.clusters) == members(scan([tmp_path / "in"]).clusters)


def test_two_processes_writing_one_index_at_once_find_each_others_copies(tmp_path: Path) -> None:
    wire_apart(tmp_path, stories=20, seed=4, wire="a", reprints="b")  # the wire copies to one worker
    index = tmp_path / "index.db"
    SqliteIndex(index).close()
    workers = [run_scan(index, tmp_path / name, 3) for name in ("a", "b")]
    for worker in workers:
        _, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err.decode()
    with SqliteIndex(index) as store:
        shared = Deduplicator(index=store).result()
    assert len(shared.documents) == 60
    assert members(shared.clusters) == members(scan([tmp_path / "a", tmp_path / "b"]).clusters)
    assert len(shared.clusters) == 20


def test_index_commands_look_inside_and_prune(tmp_path: Path) -> None:
    index = tmp_path / "index.db"
    assert runner.invoke(app, ["scan", str(SEEDS), "--index", str(index)]).exit_code == 0
    stats = runner.invoke(app, ["index", "stats", str(index)])
    assert stats.exit_code == 0
    assert "articles: 5" in stats.stdout and "syndication clusters: 1" in stats.stdout
    removed = runner.invoke(app, ["index", "remove", str(index), "004_4d248f02436a389b"])
    assert removed.exit_code == 0
    exported = runner.invoke(app, ["index", "export", str(index), "-f", "json"])
    report = json.loads(exported.stdout)
    assert len(report["documents"]) == 4 and report["clusters"] == []
    missing = runner.invoke(app, ["index", "remove", str(index), "no-such-id"])
    assert missing.exit_code == 1 and "not in the index: no-such-id" in missing.stderr


def test_an_article_another_writer_replaced_is_read_afresh(tmp_path: Path) -> None:
    wire, other, reprint = (next(SEEDS.glob(f"{n}*")).read_text(encoding="utf-8") for n in ("000", "001", "004"))
    with SqliteIndex(tmp_path / "index.db") as mine, SqliteIndex(tmp_path / "index.db") as theirs:
        Deduplicator(index=mine).add(other, id="x")
        mine.commit()
        Deduplicator(index=theirs).add(wire, id="x")  # the other writer replaces x with the wire story
        theirs.commit()
        match = Deduplicator(index=mine).add(reprint, id="y")
    assert [(pair.a, pair.b) for pair in match.copies] == [("x", "y")]


def test_an_article_another_writer_removed_is_no_longer_a_candidate(tmp_path: Path) -> None:
    wire, reprint = (next(SEEDS.glob(f"{n}*")).read_text(encoding="utf-8") for n in ("000", "004"))
    with SqliteIndex(tmp_path / "index.db") as mine, SqliteIndex(tmp_path / "index.db") as theirs:
        finder = Deduplicator(index=mine)
        finder.add(wire, id="x")
        mine.commit()
        assert [(pair.a, pair.b) for pair in finder.add(reprint, id="y").copies] == [("x", "y")]
        mine.commit()
        theirs.remove("x")  # a user prunes the index while this run goes on
        theirs.commit()
        copies = finder.add(reprint + "\nA line added later.", id="z").copies
        assert [(pair.a, pair.b) for pair in copies] == [("y", "z")]  # not x: it is gone


def test_batches_another_writer_committed_are_found_by_a_writer_already_looking(tmp_path: Path) -> None:
    wire_apart(tmp_path, stories=12, seed=5)
    wire = next(SEEDS.glob("000*")).read_text(encoding="utf-8")
    with SqliteIndex(tmp_path / "index.db") as mine, SqliteIndex(tmp_path / "index.db") as theirs:
        finder = Deduplicator(index=mine)
        finder.add(wire, id="seed-wire")  # this writer's working copy is loaded from here on
        mine.commit()
        scan([tmp_path / "wire"], deduplicator=Deduplicator(index=theirs))  # twelve at once: the batch path
        theirs.remove("s03-wire")
        theirs.commit()
        found = scan([tmp_path / "reprints"], deduplicator=finder)
    clusters = {cluster.members for cluster in found.clusters}
    assert ("s00-local", "s00-trim", "s00-wire") in clusters  # copies of articles the other writer added
    assert ("s03-local", "s03-trim") in clusters  # and not of the one it removed
    assert len(clusters) == 12


def test_an_article_replaced_in_this_process_stays_found_after_its_removal_is_read_back(tmp_path: Path) -> None:
    wire, other, reprint = (next(SEEDS.glob(f"{n}*")).read_text(encoding="utf-8") for n in ("000", "001", "004"))
    with SqliteIndex(tmp_path / "index.db") as store:
        finder = Deduplicator(index=store)
        finder.add(other, id="x")
        store.commit()
        finder.add(wire, id="x")  # replaces x: its old row's removal is noted in the file
        store.commit()  # the next transaction reads that removal back: it is of the old text, not the new
        match = finder.add(reprint, id="y")
    assert [(pair.a, pair.b) for pair in match.copies] == [("x", "y")]


def as_schema(index: Path, schema: int) -> None:
    """Turn an index file back into what an earlier dedup wrote: schema 4 kept links as pairs of ids, and
    schema 3 also had no table of removals."""
    db = sqlite3.connect(index, isolation_level=None)
    named = dict(db.execute("SELECT seq, id FROM documents"))
    pairs = np.concatenate([np.frombuffer(ends, "<u4") for (ends,) in db.execute("SELECT ends FROM link_blocks")])
    links = sorted({tuple(sorted((named[int(a)], named[int(b)]))) for a, b in pairs.reshape(-1, 2)})
    db.execute("CREATE TABLE links (a TEXT NOT NULL, b TEXT NOT NULL, PRIMARY KEY (a, b))")
    db.execute("CREATE INDEX links_b ON links (b)")
    db.executemany("INSERT INTO links VALUES (?, ?)", links)
    db.execute("DROP TABLE link_blocks")
    if schema == 3:
        db.execute("DROP TABLE removed")
    db.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (str(schema),))
    db.close()


@pytest.mark.parametrize("schema", [3, 4])
def test_an_index_of_a_schema_before_is_taken_up_with_what_it_holds(tmp_path: Path, schema: int) -> None:
    index = tmp_path / "index.db"
    with SqliteIndex(index) as store:
        first = scan([SEEDS], deduplicator=Deduplicator(index=store))
    assert first.related and first.clusters  # links to carry over, and copies
    as_schema(index, schema)
    with SqliteIndex(index) as store:
        assert store.settings["schema"] == 5 and len(store) == 5
        assert Deduplicator(index=store).result() == first
        again = scan([SEEDS], deduplicator=Deduplicator(index=store))
        assert store.remove("001_01698d181c447733")
    assert [cluster.members for cluster in again.clusters] == [("000_4918345a94430741", "004_4d248f02436a389b")]


def test_links_kept_as_row_numbers_read_back_as_the_in_memory_index_holds_them(tmp_path: Path) -> None:
    in_memory = Deduplicator()
    with SqliteIndex(tmp_path / "index.db") as store:
        on_disk = Deduplicator(index=store)
        for number, seed in enumerate(sorted(SEEDS.iterdir())):  # later articles, smaller ids
            for finder in (in_memory, on_disk):
                finder.add(seed.read_text(encoding="utf-8"), id=f"id{9 - number}")
        links = list(store.links())
        assert links == sorted(in_memory.index.links()) and len(links) >= 2
        assert store.link_count() == len(links)
        for some in ({"id9"}, {"id5", "no-such-id"}, set()):
            assert store.links_touching(some) == in_memory.index.links_touching(some)
        assert on_disk.result() == in_memory.result()


def test_a_removed_article_leaves_no_link_behind(tmp_path: Path) -> None:
    with SqliteIndex(tmp_path / "index.db") as store:
        scan([SEEDS], deduplicator=Deduplicator(index=store))
        linked = list(store.links())
        gone = linked[0][0]
        assert store.remove(gone)
        assert list(store.links()) == [link for link in linked if gone not in link]
        assert store.link_count() == len(linked) - sum(gone in link for link in linked)
        assert store.prune_links() >= sum(gone in link for link in linked) > 0  # the room they took goes too
        assert store.prune_links() == 0 and list(store.links()) == [link for link in linked if gone not in link]
        related = Deduplicator(index=store).result().related
    assert related and all(gone not in group.members for group in related)


def test_a_run_that_let_its_look_ups_go_still_takes_articles_and_sees_other_writers(tmp_path: Path) -> None:
    wire_apart(tmp_path, stories=6, seed=6)
    index = tmp_path / "index.db"
    with SqliteIndex(index) as mine, SqliteIndex(index) as theirs:
        finder = Deduplicator(index=mine)
        scan([tmp_path / "wire"], deduplicator=finder, last=True)  # its working copy's look-ups go
        mine.commit()
        scan([tmp_path / "reprints"], deduplicator=Deduplicator(index=theirs), last=True)
        theirs.commit()
        shared = finder.result()  # what the other writer added is read in
        wire = (tmp_path / "wire" / "s02-wire.txt").read_text(encoding="utf-8")
        assert "s02-wire" in mine.candidates(Signer().sign("probe", wire))  # a new working copy looks it up
        late = finder.add(wire + "\nA line a third site added.", id="late")
    assert members(shared.clusters) == members(scan([tmp_path / "wire", tmp_path / "reprints"]).clusters)
    copied = sorted(pair.b if pair.a == "late" else pair.a for pair in late.copies)
    assert copied == ["s02-local", "s02-trim", "s02-wire"]


def test_a_run_over_the_whole_index_reports_in_the_order_it_read(tmp_path: Path) -> None:
    write_corpus(tmp_path / "in", stories=3, seed=7)
    index = tmp_path / "index.db"
    with SqliteIndex(index) as store:
        first = scan([tmp_path / "in"], deduplicator=Deduplicator(index=store), only_added=True, last=True)
    changed = tmp_path / "in" / "s00-wire.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "One more line.\n", encoding="utf-8")
    with SqliteIndex(index) as store:  # s00-wire is indexed again: its row is now the newest
        again = scan([tmp_path / "in"], deduplicator=Deduplicator(index=store), only_added=True, last=True)
        assert store._dropped  # its own replacement is no news: the working copy is not loaded again
    assert [document.id for document in again.documents] == [document.id for document in first.documents]
    assert members(again.clusters) == members(first.clusters)


def test_a_run_whose_article_another_writer_removed_reports_the_others_only(tmp_path: Path) -> None:
    seeds = sorted(SEEDS.iterdir())
    with SqliteIndex(tmp_path / "index.db") as mine, SqliteIndex(tmp_path / "index.db") as theirs:
        Deduplicator(index=mine).add("An old note on growing tomatoes in a cold spring.", id="old")
        mine.commit()
        finder = Deduplicator(index=mine)
        for seed in seeds[:2]:
            finder.add(seed.read_text(encoding="utf-8"), id=seed.stem)
        mine.commit()
        theirs.remove(seeds[0].stem)  # as many articles indexed as this run added, but not the same ones
        theirs.commit()
        reported = finder.result(only=[seed.stem for seed in seeds[:2]])
    assert [document.id for document in reported.documents] == [seeds[1].stem]


@pytest.mark.parametrize("on_disk", [False, True])
def test_a_run_is_reported_alike_looked_up_one_by_one_or_read_from_the_whole_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, on_disk: bool
) -> None:
    two_days(tmp_path)
    with SqliteIndex(tmp_path / "index.db") as store:
        finder = Deduplicator(index=store if on_disk else None)
        scan([tmp_path / "day1"], deduplicator=finder)
        scan([tmp_path / "day2"], deduplicator=finder)
        today = sorted(path.stem for path in (tmp_path / "day2").iterdir())
        reports = []
        for share in (2.0, 0.0, 0.1):  # one by one; from the whole index; one by one until past 4 articles
            monkeypatch.setattr("dedup.pipeline.REACH_SHARE", share)
            reports.append(finder.result(only=today))
    one_by_one, from_whole, given_up = reports
    assert from_whole == one_by_one == given_up
    assert [document.id for document in from_whole.documents[:3]] == today
    # their three stories' other copies, and the three stories naming the same people (related, not copies)
    assert len(from_whole.documents) == 18 and len(from_whole.clusters) == 3 and len(from_whole.related) == 3


def fields_of(signature: Signature) -> tuple[object, ...]:
    """Everything a signature holds, comparable."""
    sketch = signature.sketch
    topic = None if signature.topic is None else signature.topic.tolist()
    arrays = (sketch.hashes.tolist(), sketch.paragraph.tolist(), sketch.quoted.tolist(), list(sketch.words))
    return (signature.id, signature.hashvalues.tolist(), signature.size, topic, signature.names, *arrays)


def test_signatures_loaded_back_from_the_file_are_those_indexed(tmp_path: Path) -> None:
    signer = Signer()
    texts = {seed.stem: seed.read_text(encoding="utf-8") for seed in sorted(SEEDS.iterdir())}
    signatures = [signer.sign(doc_id, text) for doc_id, text in texts.items()]
    signatures.append(signer.sign("empty", ""))  # no shingles, no names
    long = signer.sign("long", " ".join(f"word{i}" for i in range(70_000)) + "\n" + "\n".join(["Short line."] * 9))
    wide = Sketch(np.array([5, 9], np.uint32), np.array([0, 70_000], np.uint32), np.array([True, False]), (3, 70_001))
    signatures += [long, Signature("wide", long.hashvalues, 2, wide, None, 0)]  # past 16 bits, both ways
    assert max(long.sketch.words) > 65_535
    with SqliteIndex(tmp_path / "index.db", signer) as store:
        for signature in signatures:
            store.insert(signature)
    with SqliteIndex(tmp_path / "index.db", signer) as store:  # a new working copy, loaded from the file
        loaded = store.signatures_of([signature.id for signature in signatures])
    assert [fields_of(loaded[signature.id]) for signature in signatures] == [fields_of(s) for s in signatures]


def test_a_copy_loaded_only_to_read_signatures_looks_up_once_asked(tmp_path: Path) -> None:
    wire, reprint = (next(SEEDS.glob(f"{n}*")).read_text(encoding="utf-8") for n in ("000", "004"))
    with SqliteIndex(tmp_path / "index.db") as store:
        Deduplicator(index=store).add(wire, id="x")
    with SqliteIndex(tmp_path / "index.db") as store:
        read = store.signature("x")  # loads the signatures alone: no band tables for a report
        assert read.topic is not None and read.names > 0
        assert store.candidates(Signer().sign("probe", reprint)) == ["x"]  # loaded again, tables and all
        match = Deduplicator(index=store).add(reprint, id="y")
    assert [(pair.a, pair.b) for pair in match.copies] == [("x", "y")]


def test_an_article_removed_after_its_signature_was_read_is_gone_from_the_copy_too(tmp_path: Path) -> None:
    wire, other = (next(SEEDS.glob(f"{n}*")).read_text(encoding="utf-8") for n in ("000", "001"))
    with SqliteIndex(tmp_path / "index.db") as store:
        finder = Deduplicator(index=store)
        finder.add(wire, id="x")
        finder.add(other, id="y")
    with SqliteIndex(tmp_path / "index.db") as store:
        store.signature("y")  # a copy loaded to read signatures
        assert store.remove("x")
        with pytest.raises(KeyError):
            store.signature("x")
        assert list(store.signatures_by_id()) == ["y"]


@pytest.mark.parametrize("share", [2.0, 0.0])
def test_an_article_another_writer_removes_while_a_run_is_reported_is_left_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, share: float
) -> None:
    two_days(tmp_path)
    index = tmp_path / "index.db"
    monkeypatch.setattr("dedup.pipeline.REACH_SHARE", share)  # one by one, or the whole index
    read_links = SqliteIndex.links_touching if share else SqliteIndex.link_rows

    def links_then_removal(self: SqliteIndex, ids: Any) -> Any:
        links = read_links(self, ids)
        with SqliteIndex(index) as other:  # another process prunes the index between two reads
            other.remove("s00-wire")
        return links

    with SqliteIndex(index) as store:
        finder = Deduplicator(index=store)
        scan([tmp_path / "day1"], deduplicator=finder)
        scan([tmp_path / "day2"], deduplicator=finder)
        store.commit()
        monkeypatch.setattr(SqliteIndex, "links_touching" if share else "link_rows", links_then_removal)
        reported = finder.result(only=["s00-trim", "s02-trim", "s04-trim"])
    joined = {member for cluster in reported.clusters for member in cluster.members}
    assert "s00-wire" not in joined and {"s00-trim", "s00-local"} <= joined
    if share:  # read one by one after the removal: the article is not reported at all
        assert "s00-wire" not in {document.id for document in reported.documents}
