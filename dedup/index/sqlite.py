"""A persistent index in one SQLite file: signatures, metadata, copies and links.

Nothing to start and nothing to trust but the file: arrays are stored as raw little-endian bytes
and metadata as JSON, never pickled. Every change is made in a transaction, so a run killed at
any moment leaves the index as of its last commit. Two processes may share one index: writers
take SQLite's write lock in turn, and one that cannot get it in time gets a clear error.

Look-ups are done in memory, in a working copy of the signatures and band tables
(`dedup.index.MemoryIndex`, without metadata) loaded from the file when first needed: a batch is
looked up and verified in its columns as the in-memory index does it, and only the rows, pairs and
links it adds are written. Each write transaction first takes in what other processes committed
since: their new rows, and the rows they removed (a `removed` row each). Band rows in SQL would cost
8 KB an article on disk and a B-tree insert per band; reading a candidate's signature from the file
costs a query and its objects, and at 100,000 articles most candidates were read so.

Related links are kept as numbers: each batch's links as one row of the file's row numbers (`seq`, never
reused), a pair each. A million articles have tens of millions of links: as rows of two ids under two
B-trees they were most of the file and most of the time spent writing it. A link to an article removed
since is left in its block and dropped when read.
"""

from __future__ import annotations

import json
import sqlite3
from array import array
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from dedup.errors import DedupError, InputError, UsageError
from dedup.index.bands import shape
from dedup.index.base import Found, LinkRows, insert_each
from dedup.index.memory import LSH_THRESHOLD, TOPIC_THRESHOLD, MemoryIndex, Packed
from dedup.model import Columns, Document, Pair, Signature, Signatures, sorted_unique
from dedup.sign import SAMPLE, SCHEME, Signer

# 2: band keys in memory, only copies kept as pairs; 3: words hashed in numpy (other values); 4: removals
# noted; 5: links as blocks of row numbers
SCHEMA = 5
# A writer waits this long for another process's write to finish before giving up with a message.
LOCK_TIMEOUT = 60.0
_TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, fingerprint INTEGER NOT NULL,
    record TEXT NOT NULL, hashvalues BLOB NOT NULL, size INTEGER NOT NULL, topic BLOB, names INTEGER NOT NULL,
    sketch_hashes BLOB NOT NULL, sketch_paragraph BLOB NOT NULL, sketch_quoted BLOB NOT NULL,
    sketch_words BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS pairs (a TEXT NOT NULL, b TEXT NOT NULL, similarity REAL NOT NULL,
    containment REAL NOT NULL, copy INTEGER NOT NULL, PRIMARY KEY (a, b));
CREATE INDEX IF NOT EXISTS pairs_b ON pairs (b);
CREATE TABLE IF NOT EXISTS link_blocks (block INTEGER PRIMARY KEY, ends BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS removed (at INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL, seq INTEGER NOT NULL);
"""
# What a schema-3 file lacks; it is added when such a file is opened (nothing else changed).
_REMOVED = (
    "CREATE TABLE IF NOT EXISTS removed (at INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL, seq INTEGER NOT NULL)"
)
_LINK_BLOCKS = "CREATE TABLE IF NOT EXISTS link_blocks (block INTEGER PRIMARY KEY, ends BLOB NOT NULL)"
LOAD = 20_000  # signatures read from the file at once into the working copy
LINKS_AT_ONCE = 1_000_000  # links of a schema-4 file moved into blocks at once
# Row numbers are stored in four bytes, and a link is keyed by two in eight: an index holds at most this
# many rows, removed ones included.
MAX_SEQ = 2**31 - 1


class SqliteIndex:
    """An index that persists between runs, in one SQLite file.

    Args:
        path: The index file; created when missing.
        signer: The signer whose signatures are indexed. An existing index remembers the signer it
            was built with and refuses another: signatures of two signers never match.
        threshold, topic_threshold: As for `dedup.index.MemoryIndex`; fixed when the file is created.
        min_names: Articles naming fewer names are kept out of the names bands.
        lock_timeout: Seconds a writer waits for another process's write before giving up.
    """

    def __init__(
        self,
        path: str | Path,
        signer: Signer | None = None,
        threshold: float = LSH_THRESHOLD,
        topic_threshold: float = TOPIC_THRESHOLD,
        min_names: int = 1,
        lock_timeout: float = LOCK_TIMEOUT,
    ) -> None:
        self.path = str(path)
        self.signer = signer or Signer()
        self.min_names = max(1, min_names)
        self.lock_timeout = lock_timeout
        self.db = _connect(self.path, lock_timeout)
        settings = {
            "schema": SCHEMA,
            "scheme": SCHEME,
            "sample": SAMPLE,
            **{key: value for key, value in asdict(self.signer).items()},
            "bands": shape(threshold, self.signer.num_perm),
            "topic_bands": shape(topic_threshold, self.signer.num_perm),
        }
        self.settings = self._settle(settings)
        self._memory: MemoryIndex | None = None  # the working copy, loaded when first looked in
        self._seqs = array("q")  # the file's row (seq) of each of the working copy's rows
        self._seen = 0  # the newest row (seq) in the working copy
        self._gone = 0  # the newest removal (`removed.at`) taken into it
        self._dropped = False  # whether the working copy let its look-up tables go (`drop_lookups`)

    def _settle(self, wanted: dict[str, object]) -> dict[str, object]:
        """Check the settings recorded in the file, or create the tables and record them."""
        stored = self._stored()
        if not stored:
            with self._write():
                for statement in filter(str.strip, _TABLES.split(";")):
                    self.db.execute(statement)
                if not self._stored():  # another process may have created it while we waited
                    rows = [(key, json.dumps(value)) for key, value in wanted.items()]
                    self.db.executemany("INSERT INTO meta VALUES (?, ?)", rows)
            stored = self._stored()
        if stored.get("schema") not in (3, 4, SCHEMA):
            raise InputError(self.path, f"index schema {stored.get('schema')}, this dedup reads {SCHEMA}")
        for key in ("scheme", "sample", "num_perm", "seed", "shingle"):
            if stored.get(key) != wanted[key]:
                raise UsageError(f"{self.path}: index built with {key} {stored.get(key)}, not {wanted[key]}")
        if stored.get("schema") != SCHEMA:  # an earlier dedup's file, taken up: it can no longer read it
            with self._write():
                _upgraded(self.db)
            stored = self._stored()
        return stored

    def _stored(self) -> dict[str, object]:
        """The settings the file records; none in a new file."""
        exists = self.db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone()
        if not exists:
            return {}
        return {key: json.loads(value) for key, value in self.db.execute("SELECT key, value FROM meta")}

    def __len__(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM documents").fetchone()[0])

    def __contains__(self, doc_id: object) -> bool:
        return self.db.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone() is not None

    def candidates(self, signature: Signature) -> list[str]:
        """Ids of indexed articles sharing a band key with this signature (the closest ones), sorted.

        Taking the write lock first makes the look-up see every article other processes committed.
        """
        if not signature.size:
            return []
        return self._lookups(looking=True).candidates(signature)

    def related(self, signature: Signature, threshold: float = 0.0, min_names: int = 1) -> list[str]:
        """Ids of indexed articles sharing a band of names with this signature (the closest ones), sorted.

        With a `threshold`, only those sharing at least that much of its names MinHash and naming at
        least `min_names` names: its related reports.
        """
        if signature.names < max(self.min_names, min_names) or signature.topic is None:
            return []
        return self._lookups(looking=True).related(signature, threshold, min_names)

    def insert_many(
        self,
        signatures: Sequence[Signature],
        documents: Sequence[Document | None],
        fingerprints: Sequence[int],
        threshold: float = 0.0,
        min_names: int = 1,
    ) -> list[tuple[list[str], list[str]]]:
        """Add articles in order, each after its earlier version is removed and its `candidates` and
        `related` are looked up; what each look-up found."""
        return insert_each(self, signatures, documents, fingerprints, threshold, min_names)

    def insert_rows(
        self,
        signatures: Sequence[Signature],
        documents: Sequence[Document | None],
        fingerprints: Sequence[int],
        threshold: float = 0.0,
        min_names: int = 1,
    ) -> Found | None:
        """`insert_many` for a batch of articles new to the index, what each found given as rows of the working
        copy (`columns`, `add_link_rows`); None, and nothing added, for a batch that must go one by one."""
        memory = self._lookups(looking=True)
        found = memory.insert_rows(signatures, documents, fingerprints, threshold, min_names)
        if found is not None:
            self._stored_rows(signatures, documents, fingerprints)
        return found

    def columns(self) -> Columns:
        """The working copy's signature arrays, read in place (valid until the next insert)."""
        return self._lookups().columns()

    def gather(self, ids: Sequence[str]) -> Signatures:
        """The signatures of some indexed articles as arrays, a row each, in the order of `ids`."""
        return self._lookups().gather(ids)

    def signature(self, doc_id: str) -> Signature:
        """The signature indexed under an id."""
        return self._lookups().signature(doc_id)

    def signatures_of(self, ids: Iterable[str]) -> dict[str, Signature]:
        """The signatures of some indexed articles."""
        return self._lookups().signatures_of(ids)

    def insert(self, signature: Signature, document: Document | None = None, fingerprint: int = 0) -> None:
        """Add an article; an id indexed before is replaced, its pairs and links forgotten."""
        memory = self._lookups(looking=True)
        self.remove(signature.id)
        memory.insert(signature)
        self._stored_rows([signature], [document], [fingerprint])

    def _lookups(self, looking: bool = False) -> MemoryIndex:
        """The working copy, holding every article committed (by any process) and every one added since:
        loaded from the file when first needed, under the write lock; loaded afresh when it let its look-up
        tables go (or never made them: a copy to read signatures from) and they are needed (`looking`)."""
        self._begin()
        if self._dropped and looking:
            self._memory, self._dropped = None, False
        if self._memory is None:
            bands, topic_bands = _shape(self.settings["bands"]), _shape(self.settings["topic_bands"])
            memory = MemoryIndex(
                self.signer, min_names=self.min_names, bands=bands, topic_bands=topic_bands, documents=False
            )
            if not looking:  # a copy to read signatures from (a report, `index stats`): no band tables made
                memory.drop_lookups(keep_names=True)
            self._memory, self._seqs, self._seen, self._dropped = memory, array("q"), 0, not looking
            self._gone = int(self.db.execute("SELECT COALESCE(MAX(at), 0) FROM removed").fetchone()[0])
            self._take_rows(memory)
        return self._memory

    def _catch_up(self) -> None:
        """Take into the working copy what other processes committed since: removals, then new rows."""
        memory = self._memory
        if memory is None:
            return
        self._take_removals(memory)
        self._take_rows(memory)  # into a copy without look-up tables too: it keeps the signatures alone

    def _take_removals(self, memory: MemoryIndex) -> None:
        """Take the removals other processes committed since into the working copy."""
        for at, doc_id, seq in self.db.execute(
            "SELECT at, id, seq FROM removed WHERE at > ? ORDER BY at", (self._gone,)
        ):
            self._gone = int(at)
            row = memory.row_of(doc_id)
            if row is not None and self._seqs[row] == seq:  # not a newer text this process added since
                memory.remove(doc_id)

    def _take_rows(self, memory: MemoryIndex) -> None:
        """Take the rows written since the working copy last read the file into it, a batch at a time."""
        query = f"SELECT seq, {_SIGNATURE_COLUMNS} FROM documents WHERE seq > ? ORDER BY seq LIMIT ?"
        while batch := self.db.execute(query, (self._seen, LOAD)).fetchall():
            packed = _packed(batch, self.signer.num_perm)
            for doc_id in packed.ids:  # replaced by another process: its removal came first
                memory.remove(doc_id)
            memory.restore_packed(packed)
            self._seqs.extend(int(row[0]) for row in batch)
            self._seen = int(batch[-1][0])

    def drop_lookups(self) -> None:
        """Let the working copy's look-up tables go (`MemoryIndex.drop_lookups`) once a run adds nothing more:
        its result is built in the room they leave. Adding an article again loads a new working copy."""
        if self._memory is not None:
            self._memory.drop_lookups()
            self._dropped = True

    def signatures_by_id(self) -> Mapping[str, Signature]:
        """Every indexed signature, by id, made from the working copy when looked up."""
        return self._lookups().signatures

    def sizes_by_id(self) -> Mapping[str, int]:
        """Each indexed signature's `size`, by id, from the working copy."""
        return self._lookups().sizes

    def _stored_rows(
        self, signatures: Sequence[Signature], documents: Sequence[Document | None], fingerprints: Sequence[int]
    ) -> None:
        """Write the rows of articles the working copy has just taken, numbered after every row ever written."""
        last = self.db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'documents'").fetchone()
        first = max(self._seen, int(last[0]) if last else 0) + 1
        rows = [
            (first + at, *_row(signature, document, fingerprint))
            for at, (signature, document, fingerprint) in enumerate(
                zip(signatures, documents, fingerprints, strict=True)
            )
        ]
        try:
            self.db.executemany(f"INSERT INTO documents (seq, {_ROW_COLUMNS}) VALUES ({', '.join('?' * 12)})", rows)
        except BaseException:
            self._memory = None  # it holds rows the file does not: loaded afresh when next needed
            raise
        self._seqs.extend(range(first, first + len(rows)))
        self._seen = first + len(rows) - 1

    def remove(self, doc_id: str) -> bool:
        """Forget an article, its pairs and links; whether it was indexed."""
        self._begin()
        gone = self.db.execute("DELETE FROM documents WHERE id = ? RETURNING seq", (doc_id,)).fetchall()
        self.db.executemany("INSERT INTO removed (id, seq) VALUES (?, ?)", [(doc_id, seq) for (seq,) in gone])
        if self._memory is not None:
            self._memory.remove(doc_id)
            if gone:  # under the write lock, caught up: no removal but this one is new to the working copy
                self._gone = int(self.db.execute("SELECT MAX(at) FROM removed").fetchone()[0])
        self.db.execute("DELETE FROM pairs WHERE a = ? OR b = ?", (doc_id, doc_id))
        return bool(gone)  # its links stay in their blocks, to rows no longer read

    def fingerprint(self, doc_id: str) -> int | None:
        """The fingerprint of the text indexed under an id; None when it is not indexed."""
        row = self.db.execute("SELECT fingerprint FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return None if row is None else int(row[0])

    def document(self, doc_id: str) -> Document:
        """The metadata indexed under an id."""
        row = self.db.execute("SELECT record FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            raise KeyError(doc_id)
        return Document(**json.loads(row[0]))

    def documents(self) -> Iterator[Document]:
        """Every indexed article's metadata, in the order added."""
        for (record,) in self.db.execute("SELECT record FROM documents ORDER BY seq"):
            yield Document(**json.loads(record))

    def add_pairs(self, pairs: Iterable[Pair]) -> None:
        """Keep verified pairs."""
        self._begin()
        rows = [(p.a, p.b, p.similarity, p.containment, int(p.copy)) for p in pairs]
        self.db.executemany("INSERT OR REPLACE INTO pairs VALUES (?, ?, ?, ?, ?)", rows)

    def pairs_of(self, doc_id: str) -> list[Pair]:
        """The verified pairs an article is in."""
        query = "SELECT a, b, similarity, containment, copy FROM pairs WHERE a = ? UNION ALL "
        query += "SELECT a, b, similarity, containment, copy FROM pairs WHERE b = ?"
        return [_pair(row) for row in self.db.execute(query, (doc_id, doc_id))]

    def pairs(self) -> Iterator[Pair]:
        """Every verified pair, once."""
        for row in self.db.execute("SELECT a, b, similarity, containment, copy FROM pairs ORDER BY a, b"):
            yield _pair(row)

    def add_new_pairs(self, pairs: Iterable[Pair]) -> None:
        """Keep verified pairs of the articles of a batch just added (`add_pairs`: the file checks)."""
        self.add_pairs(pairs)

    def add_links(self, links: Iterable[tuple[str, str]]) -> None:
        """Keep related links between indexed articles (others are left out)."""
        memory = self._lookups()
        rows = [(memory.row_of(a), memory.row_of(b)) for a, b in links]
        self.add_link_rows(np.array([row for row in rows if None not in row], dtype=np.int64).reshape(-1, 2))

    def add_link_rows(self, links: npt.NDArray[np.int64]) -> None:
        """Keep related links given as a pair of the working copy's live rows each: one block of row numbers."""
        self._begin()
        if not len(links):
            return
        seqs = np.frombuffer(self._seqs, dtype=np.int64)[links]
        if int(seqs.max()) > MAX_SEQ:
            raise DedupError(f"{self.path}: the index is full ({MAX_SEQ:,} rows ever written); start a new one")
        self.db.execute("INSERT INTO link_blocks (ends) VALUES (?)", (_bytes(seqs.astype(np.uint32)),))

    def links(self) -> Iterator[tuple[str, str]]:
        """Every related link, once, sorted."""
        return iter(self.links_touching(None))

    def links_touching(self, ids: Collection[str] | None) -> list[tuple[str, str]]:
        """The related links with an end among `ids` (None: all), once each, sorted: every block is read, and
        only the links kept are named."""
        with self._snapshot():
            return self._links_touching(ids)

    def _links_touching(self, ids: Collection[str] | None) -> list[tuple[str, str]]:
        """`links_touching`, read in one snapshot of the file."""
        seqs, named = self._seq_ids()
        touching = None
        if ids is not None:
            touching = np.zeros(len(named), dtype=np.bool_)
            touching[seqs] = np.fromiter(map(ids.__contains__, named[seqs]), np.bool_, len(seqs))
        keys = self._link_keys(named != None, touching)  # noqa: E711  (an array compared element by element)
        ends = zip(named[keys >> 32].tolist(), named[keys & 0xFFFFFFFF].tolist(), strict=True)
        return sorted((min(a, b), max(a, b)) for a, b in ends)

    def link_count(self) -> int:
        """How many related links the index holds between its articles."""
        with self._snapshot():
            return len(self._link_keys(self._seq_ids()[1] != None, None))  # noqa: E711

    def link_rows(self, among: Sequence[str]) -> LinkRows:
        """The related links among some indexed articles (those just read), numbered by their place in `among`
        (the same link may come twice): what related groups are built from, with no string per link."""
        place = {doc_id: at for at, doc_id in enumerate(among)}
        blocks = []
        with self._snapshot():
            seqs, named = self._seq_ids()
            number = np.full(len(named), -1, dtype=np.int64)
            number[seqs] = [place.get(doc_id, -1) for doc_id in named[seqs].tolist()]
            for ends in self._link_blocks(len(named)):
                numbered = number[ends]
                blocks.append(numbered[(numbered >= 0).all(axis=1)].astype(np.int32))
        return LinkRows(among, place, blocks)

    def prune_links(self) -> int:
        """Rewrite the link blocks without the links to removed articles (never read, but they take room, and
        time to skip); how many went."""
        self._begin()
        live = self._seq_ids()[1] != None  # noqa: E711  (an array compared element by element)
        pruned = 0
        for block, ends in self.db.execute("SELECT block, ends FROM link_blocks").fetchall():
            written = len(ends) // 8  # the links the block holds, eight bytes each
            kept = _ends(ends, len(live))
            kept = kept[live[kept].all(axis=1)]
            if len(kept) < written:
                pruned += written - len(kept)
                rewritten = _bytes(kept.astype(np.uint32))
                self.db.execute("UPDATE link_blocks SET ends = ? WHERE block = ?", (rewritten, block))
        self.db.execute("DELETE FROM link_blocks WHERE length(ends) = 0")
        return pruned

    @contextmanager
    def _snapshot(self) -> Iterator[None]:
        """Reads that see one state of the file: in the transaction open, else in a read transaction of their own."""
        if self.db.in_transaction:
            yield
            return
        self.db.execute("BEGIN")  # deferred: takes no lock, sees the file as of its first read
        try:
            yield
        finally:
            self.db.commit()

    def _seq_ids(self) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.object_]]:
        """The indexed articles' row numbers, and each row number's id (None for a row no longer indexed)."""
        rows = self.db.execute("SELECT seq, id FROM documents").fetchall()
        seqs = np.fromiter((seq for seq, _ in rows), np.int64, len(rows))
        named = np.full(int(seqs.max(initial=0)) + 1, None, dtype=object)
        named[seqs] = [doc_id for _, doc_id in rows]
        return seqs, named

    def _link_blocks(self, rows: int) -> Iterator[npt.NDArray[np.int64]]:
        """Every block of links, a pair of row numbers a line, but links to rows from `rows` on: written after
        the rows were read."""
        for (ends,) in self.db.execute("SELECT ends FROM link_blocks ORDER BY block"):
            yield _ends(ends, rows)

    def _link_keys(self, live: npt.NDArray[np.bool_], touching: npt.NDArray[np.bool_] | None) -> npt.NDArray[np.int64]:
        """Each link between live rows once, as its smaller row number * 2**32 + its larger; with `touching`,
        only those with an end it marks."""
        keys = [_NO_KEYS]
        for ends in self._link_blocks(len(live)):
            kept = live[ends].all(axis=1)
            if touching is not None:
                kept &= touching[ends].any(axis=1)
            ordered = np.sort(ends[kept], axis=1)
            keys.append(ordered[:, 0] << 32 | ordered[:, 1])
        return sorted_unique(np.concatenate(keys))

    def commit(self) -> None:
        """Make everything added since the last commit durable, at once."""
        if self.db.in_transaction:
            self.db.commit()

    def close(self) -> None:
        """Commit and close the file."""
        self.commit()
        self.db.close()

    def __enter__(self) -> SqliteIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is None:
            self.close()
        else:  # a failed run keeps what it had committed, and nothing half-done
            self.db.rollback()
            self.db.close()

    def _begin(self) -> None:
        """Open a write transaction unless one is open: taking the write lock, or saying who holds it.

        Under the lock, the working copy takes in what other processes committed meanwhile.
        """
        if not self.db.in_transaction:
            self._lock()
            self._catch_up()

    def _lock(self) -> None:
        """Begin a transaction holding SQLite's write lock, or say who holds it."""
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            raise _locked(self.path, error, self.lock_timeout) from error

    def _write(self) -> _Transaction:
        """A write transaction for a block of statements."""
        return _Transaction(self)


class _Transaction:
    """`with index._write():` begins a write transaction and commits it, or rolls it back on error."""

    def __init__(self, index: SqliteIndex) -> None:
        self.index = index

    def __enter__(self) -> None:
        self.index._lock()

    def __exit__(self, kind: object, *rest: object) -> None:
        if kind is None:
            self.index.db.commit()
        else:
            self.index.db.rollback()


def recorded_signer(path: str | Path) -> Signer:
    """The signer an existing index was built with (the default one for a new file)."""
    db = _connect(str(path), LOCK_TIMEOUT)
    try:
        if not db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone():
            return Signer()
        stored = {key: json.loads(value) for key, value in db.execute("SELECT key, value FROM meta")}
    finally:
        db.close()
    return Signer(num_perm=int(stored["num_perm"]), seed=int(stored["seed"]), shingle=int(stored["shingle"]))


def _shape(value: object) -> tuple[int, int]:
    """LSH bands and rows as the settings record them."""
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise ValueError(f"LSH bands recorded as {value!r}")
    return int(value[0]), int(value[1])


def _connect(path: str, lock_timeout: float) -> sqlite3.Connection:
    """The index file, opened for a writer that shares it: write-ahead log, a wait for the lock."""
    try:
        db = sqlite3.connect(path, timeout=lock_timeout, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as error:
        raise InputError(path, f"not a dedup index: {error}") from error
    return db


def _locked(path: str, error: sqlite3.OperationalError, waited: float) -> DedupError:
    """The error for a write lock not had in time."""
    if "locked" in str(error) or "busy" in str(error):
        return DedupError(f"{path}: another process is writing to this index (waited {waited:g} s); try again")
    return InputError(path, str(error))


_SIGNATURE_COLUMNS = "id, hashvalues, size, topic, names, sketch_hashes, sketch_paragraph, sketch_quoted, sketch_words"
_ROW_COLUMNS = f"id, fingerprint, record, {_SIGNATURE_COLUMNS.removeprefix('id, ')}"


_NO_KEYS = np.zeros(0, dtype=np.int64)


def _upgraded(db: sqlite3.Connection) -> None:
    """Bring a file of schema 3 or 4 up to this one, in the caller's write transaction (unless another process
    did meanwhile). Schema 3 did not note removals; 4 kept links as pairs of ids."""
    schema = json.loads(db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()[0])
    if schema not in (3, 4):
        return
    db.execute(_REMOVED)
    db.execute(_LINK_BLOCKS)
    numbered = db.execute(
        "SELECT da.seq, db.seq FROM links JOIN documents AS da ON da.id = links.a "
        "JOIN documents AS db ON db.id = links.b"
    )
    while pairs := numbered.fetchmany(LINKS_AT_ONCE):
        db.execute("INSERT INTO link_blocks (ends) VALUES (?)", (_bytes(np.array(pairs, dtype=np.uint32)),))
    db.execute("DROP TABLE links")
    db.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (json.dumps(SCHEMA),))


def _row(signature: Signature, document: Document | None, fingerprint: int) -> tuple[object, ...]:
    """An article's row as stored, in the order of `_ROW_COLUMNS`."""
    sketch = signature.sketch
    return (
        signature.id,
        fingerprint,
        json.dumps(_record(document or Document(signature.id)), ensure_ascii=False),
        _bytes(signature.hashvalues),
        signature.size,
        None if signature.topic is None else _bytes(signature.topic),
        signature.names,
        _bytes(sketch.hashes),
        _bytes(sketch.paragraph),
        _bytes(sketch.quoted.astype(np.uint8)),
        _bytes(np.asarray(sketch.words, dtype=np.uint32)),
    )


def _ends(data: bytes, rows: int) -> npt.NDArray[np.int64]:
    """A block of links read back, a pair of row numbers a line, but those to rows from `rows` on (written
    after the rows were read)."""
    pairs = _array(data, "<u4").astype(np.int64).reshape(-1, 2)
    return pairs[(pairs < rows).all(axis=1)]


def _array(data: bytes, dtype: str) -> npt.NDArray[np.generic]:
    """An array read back from its stored bytes (copied: the row's buffer is not ours to keep)."""
    return np.frombuffer(data, dtype=dtype).copy()


def _bytes(values: npt.NDArray[np.generic]) -> bytes:
    """An array's values as little-endian bytes, whatever the machine's byte order."""
    return np.ascontiguousarray(values, dtype=values.dtype.newbyteorder("<")).tobytes()


def _packed(rows: list[tuple[Any, ...]], width: int) -> Packed:
    """Rows read back (the row number first, then `_SIGNATURE_COLUMNS`) as packed signatures: each column's
    bytes joined and read at once."""
    _, ids, hashvalues, sizes, topics, names, hashes, paragraph, quoted, words = zip(*rows, strict=True)
    named = np.fromiter((topic is not None for topic in topics), np.bool_, len(rows))
    topic_rows = np.zeros((len(rows), width), dtype=np.uint32)
    topic_rows[named] = _joined([topic for topic in topics if topic is not None], "<u4").reshape(-1, width)
    return Packed(
        ids=[str(doc_id) for doc_id in ids],
        hashvalues=_joined(hashvalues, "<u4").reshape(len(rows), width),
        sizes=np.array(sizes, dtype=np.int64),
        topics=topic_rows,
        named=named,
        names=np.array(names, dtype=np.int64),
        lengths=np.fromiter((len(each) // 4 for each in hashes), np.int64, len(rows)),
        hashes=_joined(hashes, "<u4"),
        paragraph=_joined(paragraph, "<u4"),
        quoted=_joined(quoted, "u1").astype(np.bool_),
        words=_joined(words, "<u4"),
        paragraphs=np.fromiter((len(each) // 4 for each in words), np.int64, len(rows)),
    )


def _joined(parts: Sequence[bytes], dtype: str) -> npt.NDArray[Any]:
    """Stored arrays' bytes, joined and read as one array of the machine's byte order."""
    return np.frombuffer(b"".join(parts), dtype=dtype).astype(np.dtype(dtype).newbyteorder("="))


_DOCUMENT_FIELDS = tuple(field.name for field in fields(Document))


def _record(document: Document) -> dict[str, object]:
    """A document's fields by name, as `dataclasses.asdict` gives them in a tenth of its time (they are flat)."""
    return {name: getattr(document, name) for name in _DOCUMENT_FIELDS}


def _pair(row: tuple[str, str, float, float, int]) -> Pair:
    """A pair rebuilt from its row."""
    a, b, similarity, containment, copy = row
    return Pair(a, b, similarity, containment, bool(copy))
