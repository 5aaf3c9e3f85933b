"""JSON, JSONL and CSV reports: one record builder each for documents, clusters and pairs, so they agree."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import TextIO, TypedDict

from dedup.model import Cluster, Copy, Document, Pair, Related, ScanResult, Skipped

# Estimates carry more digits than they are worth; four places keep the output stable and short.
PLACES = 4
# The JSON report's indent: two spaces a level, as `json.dump(indent=2)` writes.
JSON_INDENT = "  "

CSV_COLUMNS = (
    "id",
    "cluster",
    "canonical",
    "carried",
    "related",
    "title",
    "date",
    "credit",
    "agency",
    "words",
    "url",
    "source",
    "path",
)


class DocumentRecord(TypedDict):
    """What the machine reports say of one article."""

    id: str
    cluster: str | None
    canonical: bool
    carried: float | None
    related: str | None
    title: str | None
    date: str | None
    credit: str | None
    agency: str | None
    words: int
    url: str | None
    source: str | None
    path: str | None


class PairRecord(TypedDict):
    """What the machine reports say of one candidate pair."""

    a: str
    b: str
    similarity: float
    containment: float
    copy: bool


class CopyRecord(TypedDict):
    """What the machine reports say of one member of a cluster, against the cluster's origin."""

    id: str
    carried: float
    added: list[int]
    cut: list[int]


class ClusterRecord(TypedDict):
    """What the machine reports say of one syndication cluster."""

    id: str
    members: list[str]
    canonical: str
    similarity: float
    agency: str | None
    copies: list[CopyRecord]
    pairs: list[PairRecord]


class RelatedRecord(TypedDict):
    """What the machine reports say of one related group: independent reports of one story."""

    id: str
    members: list[str]
    clusters: list[str]


class SkippedRecord(TypedDict):
    """What the machine reports say of one skipped input."""

    path: str
    reason: str


def document_record(document: Document, cluster: Cluster | None, related: Related | None = None) -> DocumentRecord:
    """One article as a record, with its cluster and related group (None when it has none)."""
    copy = cluster.copy_of(document.id) if cluster else None
    return {
        "id": document.id,
        "cluster": cluster.id if cluster else None,
        "canonical": cluster is not None and cluster.canonical == document.id,
        "carried": round(copy.carried, PLACES) if copy else None,
        "related": related.id if related else None,
        "title": document.title,
        "date": document.date,
        "credit": document.credit,
        "agency": document.agency,
        "words": document.words,
        "url": document.url,
        "source": document.source,
        "path": document.path,
    }


def pair_record(pair: Pair) -> PairRecord:
    """One candidate pair as a record, its estimates rounded."""
    return {
        "a": pair.a,
        "b": pair.b,
        "similarity": round(pair.similarity, PLACES),
        "containment": round(pair.containment, PLACES),
        "copy": pair.copy,
    }


def copy_record(copy: Copy) -> CopyRecord:
    """One member of a cluster as a record: the share of the origin it carries, what it added and cut."""
    return {"id": copy.id, "carried": round(copy.carried, PLACES), "added": list(copy.added), "cut": list(copy.cut)}


def cluster_record(cluster: Cluster) -> ClusterRecord:
    """One syndication cluster as a record, with how each member differs and the pairs that bind it."""
    return {
        "id": cluster.id,
        "members": list(cluster.members),
        "canonical": cluster.canonical,
        "similarity": round(cluster.similarity, PLACES),
        "agency": cluster.agency,
        "copies": [copy_record(copy) for copy in cluster.copies],
        "pairs": [pair_record(pair) for pair in cluster.pairs],
    }


def related_record(group: Related) -> RelatedRecord:
    """One related group as a record."""
    return {"id": group.id, "members": list(group.members), "clusters": list(group.clusters)}


def skipped_record(skipped: Skipped) -> SkippedRecord:
    """One skipped input as a record."""
    return {"path": skipped.path, "reason": skipped.reason}


def document_records(result: ScanResult) -> Iterator[DocumentRecord]:
    """Every article of a scan as a record, in the scan's order, one at a time: a million records held
    together would cost half a gigabyte at the very end of a scan."""
    for document in result.documents:
        yield document_record(document, result.cluster_of(document.id), result.related_of(document.id))


def write_json(result: ScanResult, out: TextIO) -> None:
    """Write the whole scan as one indented JSON object, each part's records written as they are made."""
    parts: dict[str, Iterable[object]] = {
        "documents": document_records(result),
        "clusters": map(cluster_record, result.clusters),
        "related": map(related_record, result.related),
        "skipped": map(skipped_record, result.skipped),
        "pairs": map(pair_record, result.pairs),
    }
    out.write("{")
    for at, (key, records) in enumerate(parts.items()):
        out.write(f"{',' if at else ''}\n{JSON_INDENT}{json.dumps(key)}: ")
        _write_json_list(records, out)
    out.write("\n}\n")


def _write_json_list(records: Iterable[object], out: TextIO) -> None:
    """Write a list of records as `json.dump(..., indent=2)` writes it one level down in an object.

    JSON strings hold no raw newline, so indenting every line of a record indents the record.
    """
    empty = True
    for record in records:
        out.write(f"{'[' if empty else ','}\n{JSON_INDENT * 2}")
        out.write(json.dumps(record, indent=2, ensure_ascii=False).replace("\n", "\n" + JSON_INDENT * 2))
        empty = False
    out.write("[]" if empty else f"\n{JSON_INDENT}]")


def write_jsonl(result: ScanResult, out: TextIO) -> None:
    """Write one JSON line per article, the same record the JSON report holds."""
    write_jsonl_records(document_records(result), out)


def write_jsonl_records(records: Iterable[DocumentRecord], out: TextIO) -> None:
    """Write each article's record as one JSON line, as it comes: a list or a stream."""
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False))
        out.write("\n")


def write_csv(result: ScanResult, out: TextIO) -> None:
    """Write a header and one CSV row per article; None is an empty cell, flags are ``true``/``false``."""
    write_csv_records(document_records(result), out)


def write_csv_records(records: Iterable[DocumentRecord], out: TextIO) -> None:
    """Write the CSV header, then each article's record as one row, as it comes: a list or a stream."""
    # "\n" rather than csv's "\r\n": the stream is text, and a text stream on Windows would double the "\r".
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for record in records:
        writer.writerow({**record, "canonical": "true" if record["canonical"] else "false"})
