"""JSON, JSONL and CSV reports: one record builder each for documents, clusters and pairs, so they agree."""

from __future__ import annotations

import csv
import json
from typing import TextIO, TypedDict

from dedup.model import Cluster, Copy, Document, Pair, Related, ScanResult, Skipped

# Estimates carry more digits than they are worth; four places keep the output stable and short.
PLACES = 4

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


def document_records(result: ScanResult) -> list[DocumentRecord]:
    """Every article of a scan as a record, in the scan's order."""
    return [
        document_record(document, result.cluster_of(document.id), result.related_of(document.id))
        for document in result.documents
    ]


def write_json(result: ScanResult, out: TextIO) -> None:
    """Write the whole scan as one indented JSON object."""
    report = {
        "documents": document_records(result),
        "clusters": [cluster_record(cluster) for cluster in result.clusters],
        "related": [related_record(group) for group in result.related],
        "skipped": [skipped_record(skipped) for skipped in result.skipped],
        "pairs": [pair_record(pair) for pair in result.pairs],
    }
    json.dump(report, out, indent=2, ensure_ascii=False)
    out.write("\n")


def write_jsonl(result: ScanResult, out: TextIO) -> None:
    """Write one JSON line per article, the same record the JSON report holds."""
    for record in document_records(result):
        out.write(json.dumps(record, ensure_ascii=False))
        out.write("\n")


def write_csv(result: ScanResult, out: TextIO) -> None:
    """Write a header and one CSV row per article; None is an empty cell, flags are ``true``/``false``."""
    # "\n" rather than csv's "\r\n": the stream is text, and a text stream on Windows would double the "\r".
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for record in document_records(result):
        writer.writerow({**record, "canonical": "true" if record["canonical"] else "false"})
