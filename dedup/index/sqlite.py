"""A persistent index in one SQLite file: signatures, metadata, copies and links.

Nothing to start and nothing to trust but the file: arrays are stored as raw little-endian bytes
and metadata as JSON, never pickled. Every change is made in a transaction, so a run killed at
any moment leaves the index as of its last commit. Two processes may share one index: writers
take SQLite's write lock in turn, and one that cannot get it in time gets a clear error.

LSH is done in memory (`dedup.index.bands`): the band keys are computed from the stored signatures
when the file is opened (a few seconds for a million articles), and each write transaction first
takes in what other processes committed since. Band rows in SQL cost 8 KB an article on disk and
a B-tree insert per band; a million articles would not fit in the time or the disk a user has.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, fields
from pathlib import Path

import numpy as np
import numpy.typing as npt

from dedup.errors import DedupError, InputError, UsageError
from dedup.index.bands import BandIndex, Rows, shape
from dedup.index.base import insert_each
from dedup.index.memory import LSH_THRESHOLD, TOPIC_THRESHOLD, closest, named_alike
from dedup.model import Document, Pair, Signature, Signatures, Sketch
from dedup.sign import SAMPLE, SCHEME, Signer

SCHEMA = 3  # 2: band keys in memory, only copies kept as pairs; 3: words hashed in numpy (other values)
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
CREATE TABLE IF NOT EXISTS links (a TEXT NOT NULL, b TEXT NOT NULL, PRIMARY KEY (a, b));
CREATE INDEX IF NOT EXISTS links_b ON links (b);
"""
RECENT = 20_000  # signatures kept in memory (about 40 MB): the candidates of new articles are mostly recent
LOAD = 50_000  # signatures read at once when band keys are computed from the file
IDS = 200_000  # rows whose ids are kept in memory (about 20 MB) between two transactions


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
        self.lsh = BandIndex(*_shape(self.settings["bands"]))
        self.topics = BandIndex(*_shape(self.settings["topic_bands"]))
        self._seen = 0  # the newest row (seq) whose band keys are in memory
        self._recent: dict[str, Signature] = {}  # signatures read or written lately, oldest first
        self._id_of: dict[int, str] = {}  # row (seq) -> id, for rows alive as of this transaction
        self._version = self._data_version()
        self._catch_up()

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
        if stored.get("schema") != SCHEMA:
            raise InputError(self.path, f"index schema {stored.get('schema')}, this dedup reads {SCHEMA}")
        for key in ("scheme", "sample", "num_perm", "seed", "shingle"):
            if stored.get(key) != wanted[key]:
                raise UsageError(f"{self.path}: index built with {key} {stored.get(key)}, not {wanted[key]}")
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
        self._begin()
        return self._ids(self.lsh.query(self.lsh.keys(signature.hashvalues)), signature.id)

    def related(self, signature: Signature, threshold: float = 0.0, min_names: int = 1) -> list[str]:
        """Ids of indexed articles sharing a band of names with this signature (the closest ones), sorted.

        With a `threshold`, only those sharing at least that much of its names MinHash and naming at
        least `min_names` names: its related reports.
        """
        topic = signature.topic
        if signature.names < max(self.min_names, min_names) or topic is None:
            return []
        self._begin()
        found = self._ids(self.topics.query(self.topics.keys(topic)), signature.id)
        if threshold <= 0.0 and min_names <= self.min_names:
            return found
        others = [other for other in map(self.signature, found) if other.topic is not None and other.names >= min_names]
        if not others:
            return []
        alike = named_alike(topic, np.array([other.topic for other in others]), threshold)
        return [other.id for other, kept in zip(others, alike.tolist(), strict=True) if kept]

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

    def gather(self, ids: Sequence[str]) -> Signatures:
        """The signatures of some indexed articles as arrays, a row each, in the order of `ids`."""
        return Signatures.of([self.signature(doc_id) for doc_id in ids], self.signer.num_perm)

    def _ids(self, found: tuple[Rows, Rows], doc_id: str) -> list[str]:
        """The ids of the closest rows found, the article itself and articles removed since left out."""
        rows = closest(*found).tolist()
        id_of = self._id_of
        missing = [row for row in rows if row not in id_of]
        if missing:
            self._look_up(missing)
        return sorted(id_of[row] for row in rows if row in id_of and id_of[row] != doc_id)

    def _look_up(self, rows: list[int]) -> None:
        """Learn the ids of some rows; rows another process removed leave the band tables."""
        marks = ", ".join("?" for _ in rows)
        alive = dict(self.db.execute(f"SELECT seq, id FROM documents WHERE seq IN ({marks})", rows))
        for row in rows:
            if row not in alive:
                self.lsh.remove(row)
                self.topics.remove(row)
        self._id_of.update(alive)

    def _catch_up(self) -> None:
        """Compute the band keys of every article committed since the last look (all of them at open)."""
        query = "SELECT seq, hashvalues, size, topic, names, id FROM documents WHERE seq > ? ORDER BY seq LIMIT ?"
        while batch := self.db.execute(query, (self._seen, LOAD)).fetchall():
            self._seen = int(batch[-1][0])
            for row in batch:  # another process may have replaced an article this one remembers
                self._recent.pop(row[5], None)
            signed = [row for row in batch if row[2]]
            if signed:
                rows = np.array([row[0] for row in signed], dtype=np.int64)
                self.lsh.add_many(rows, self.lsh.keys(_matrix([row[1] for row in signed])))
            named = [row for row in batch if row[3] is not None and row[4] >= self.min_names]
            if named:
                rows = np.array([row[0] for row in named], dtype=np.int64)
                self.topics.add_many(rows, self.topics.keys(_matrix([row[3] for row in named])))

    def signature(self, doc_id: str) -> Signature:
        """The signature indexed under an id (the newest ones from memory: reprints follow their story)."""
        found = self._recent.get(doc_id)
        if found is not None:
            return found
        row = self.db.execute(f"SELECT {_SIGNATURE_COLUMNS} FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            raise KeyError(doc_id)
        return self._remember(_signature(row))

    def _remember(self, signature: Signature) -> Signature:
        """Keep a signature in memory, forgetting the oldest kept when there are `RECENT` of them."""
        self._recent[signature.id] = signature
        if len(self._recent) > RECENT:
            del self._recent[next(iter(self._recent))]
        return signature

    def signatures_of(self, ids: Iterable[str]) -> dict[str, Signature]:
        """The signatures of some indexed articles."""
        found = {}
        for doc_id in ids:
            found[doc_id] = self.signature(doc_id)
        return found

    def insert(self, signature: Signature, document: Document | None = None, fingerprint: int = 0) -> None:
        """Add an article; an id indexed before is replaced, its pairs and links forgotten."""
        self._begin()
        self.remove(signature.id)
        sketch = signature.sketch
        topic = None if signature.topic is None else _bytes(signature.topic)
        cursor = self.db.execute(
            "INSERT INTO documents (id, fingerprint, record, hashvalues, size, topic, names, sketch_hashes,"
            " sketch_paragraph, sketch_quoted, sketch_words) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                signature.id,
                fingerprint,
                json.dumps(_record(document or Document(signature.id)), ensure_ascii=False),
                _bytes(signature.hashvalues),
                signature.size,
                topic,
                signature.names,
                _bytes(sketch.hashes),
                _bytes(sketch.paragraph),
                _bytes(sketch.quoted.astype(np.uint8)),
                _bytes(np.asarray(sketch.words, dtype=np.uint32)),
            ),
        )
        row = int(cursor.lastrowid or 0)
        self._remember(signature)
        self._id_of[row] = signature.id
        self._seen = max(self._seen, row)
        if signature.size:
            self.lsh.add(row, self.lsh.keys(signature.hashvalues))
        if signature.names >= self.min_names and signature.topic is not None:
            self.topics.add(row, self.topics.keys(signature.topic))

    def remove(self, doc_id: str) -> bool:
        """Forget an article, its pairs and links; whether it was indexed."""
        self._begin()
        self._recent.pop(doc_id, None)
        gone = self.db.execute("DELETE FROM documents WHERE id = ? RETURNING seq", (doc_id,)).fetchall()
        for (row,) in gone:
            self._id_of.pop(int(row), None)
            self.lsh.remove(int(row))
            self.topics.remove(int(row))
        for table in ("pairs", "links"):
            self.db.execute(f"DELETE FROM {table} WHERE a = ? OR b = ?", (doc_id, doc_id))
        return bool(gone)

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

    def add_links(self, links: Iterable[tuple[str, str]]) -> None:
        """Keep related links."""
        self._begin()
        self.db.executemany("INSERT OR IGNORE INTO links VALUES (?, ?)", list(links))

    def links(self) -> Iterator[tuple[str, str]]:
        """Every related link, once."""
        yield from ((a, b) for a, b in self.db.execute("SELECT a, b FROM links ORDER BY a, b"))

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

        Under the lock, the band keys of what other processes committed meanwhile are taken in, and
        the ids of rows are forgotten if another process may have removed some since (or too many are kept).
        """
        if not self.db.in_transaction:
            self._lock()
            version = self._data_version()
            if version != self._version or len(self._id_of) > IDS:
                self._id_of.clear()
                self._version = version
            self._catch_up()

    def _data_version(self) -> int:
        """A number that changes whenever another connection commits a change to the file."""
        return int(self.db.execute("PRAGMA data_version").fetchone()[0])

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


def _matrix(blobs: list[bytes]) -> npt.NDArray[np.uint32]:
    """Stored signatures as a matrix, a row each."""
    return np.frombuffer(b"".join(blobs), dtype="<u4").reshape(len(blobs), -1).astype(np.uint32)


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


def _array(data: bytes, dtype: str) -> npt.NDArray[np.generic]:
    """An array read back from its stored bytes (copied: the row's buffer is not ours to keep)."""
    return np.frombuffer(data, dtype=dtype).copy()


def _bytes(values: npt.NDArray[np.generic]) -> bytes:
    """An array's values as little-endian bytes, whatever the machine's byte order."""
    return np.ascontiguousarray(values, dtype=values.dtype.newbyteorder("<")).tobytes()


def _signature(row: tuple[object, ...]) -> Signature:
    """A signature rebuilt from its row."""
    doc_id, hashvalues, size, topic, names, hashes, paragraph, quoted, words = row
    sketch = Sketch(
        _array(hashes, "<u4").astype(np.uint32),  # type: ignore[arg-type]
        _array(paragraph, "<u4").astype(np.uint32),  # type: ignore[arg-type]
        _array(quoted, "u1").astype(bool),  # type: ignore[arg-type]
        tuple(int(n) for n in _array(words, "<u4")),  # type: ignore[arg-type]
    )
    return Signature(
        str(doc_id),
        _array(hashvalues, "<u4").astype(np.uint32),  # type: ignore[arg-type]
        int(size),  # type: ignore[call-overload]
        sketch,
        None if topic is None else _array(topic, "<u4").astype(np.uint32),  # type: ignore[arg-type]
        int(names),  # type: ignore[call-overload]
    )


_DOCUMENT_FIELDS = tuple(field.name for field in fields(Document))


def _record(document: Document) -> dict[str, object]:
    """A document's fields by name, as `dataclasses.asdict` gives them in a tenth of its time (they are flat)."""
    return {name: getattr(document, name) for name in _DOCUMENT_FIELDS}


def _pair(row: tuple[str, str, float, float, int]) -> Pair:
    """A pair rebuilt from its row."""
    a, b, similarity, containment, copy = row
    return Pair(a, b, similarity, containment, bool(copy))
