"""Cleaning and signing on every core: the costly, independent part of the line, article by article.

Reading stays in the calling process (it is sequential: a JSONL file, a folder walk) and so does
the index (it must see every article in order). Between them, batches of articles go to worker
processes and come back cleaned and signed, in order, so a run gives the same result whatever
the number of workers. At most `AHEAD` batches are in flight: memory stays bounded on any corpus.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import chain, islice

import xxhash

from dedup.clean import clean
from dedup.model import Article, CleanArticle, Document, Prepared, Skipped
from dedup.sign import Signer

EMPTY = "no article text left after cleaning"
# Articles a worker pool receives at once: large enough to keep the workers busy between hand-offs,
# small enough that the batches in flight are a few megabytes. Runs shorter than one batch use no pool.
BATCH = 1000
CHUNK = 25  # articles per task inside a batch
# Batches in flight at most: while this process indexes one, the workers clean and sign those after it
# (with two, they sat idle half the time at a million articles). A batch is a few megabytes.
AHEAD = 4
_signer: Signer | None = None  # each worker's own, set when the worker starts


def text_fingerprint(text: str) -> int:
    """A 63-bit fingerprint of a cleaned text: an article re-added unchanged is recognised, not re-signed."""
    return int(xxhash.xxh3_64_intdigest(text.encode("utf-8", "surrogatepass")) >> 1)


def clean_one(item: Article | Skipped) -> CleanArticle | Skipped:
    """One article cleaned; an input that could not be read, or held no article, skipped with the reason."""
    if isinstance(item, Skipped):
        return item
    try:
        article = clean(item)
    except Exception as error:  # a cleaner bug on one page must not stop a run over thousands
        return Skipped(item.path or item.id, f"could not be cleaned: {type(error).__name__}: {error}")
    return article if article.text.strip() else Skipped(item.path or item.id, EMPTY)


def prepare(article: CleanArticle, signer: Signer) -> Prepared:
    """What the index needs of a cleaned article: its metadata, text fingerprint and signature."""
    return Prepared(Document.of(article), text_fingerprint(article.text), signer.sign(article.id, article.text))


def prepared(
    items: Iterable[Article | Skipped], signer: Signer, workers: int = 1, batch: int = BATCH
) -> Iterator[Prepared | Skipped]:
    """Every item cleaned and signed, in order, on `workers` processes (0: one per core)."""
    workers = workers or os.cpu_count() or 1
    items = iter(items)
    first = list(islice(items, batch))
    if workers == 1 or len(first) < batch:
        yield from (_prepare_here(item, signer) for item in chain(first, items))
        return
    context = multiprocessing.get_context("spawn")  # no fork: the parent may hold an open index file
    with context.Pool(workers, initializer=_start_worker, initargs=(signer,)) as pool:
        pending = deque([pool.map_async(_prepare_in_worker, first, chunksize=CHUNK)])
        while following := list(islice(items, batch)):
            pending.append(pool.map_async(_prepare_in_worker, following, chunksize=CHUNK))
            if len(pending) == AHEAD:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()


def _prepare_here(item: Article | Skipped, signer: Signer) -> Prepared | Skipped:
    """One item cleaned and signed in this process."""
    article = clean_one(item)
    return article if isinstance(article, Skipped) else prepare(article, signer)


def _start_worker(signer: Signer) -> None:
    """Give a new worker process the signer it signs with."""
    global _signer
    _signer = signer


def _prepare_in_worker(item: Article | Skipped) -> Prepared | Skipped:
    """One item cleaned and signed in a worker process."""
    assert _signer is not None, "worker started without a signer"
    return _prepare_here(item, _signer)
