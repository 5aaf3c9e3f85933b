"""Tests for dedup.report: the table for a person and the JSON, JSONL and CSV for a program."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

import pytest

from dedup.errors import UsageError
from dedup.model import Cluster, Copy, Document, Pair, Related, ScanResult, Skipped
from dedup.report import FORMATS, render
from dedup.report.machine import (
    cluster_record,
    document_records,
    pair_record,
    related_record,
    skipped_record,
    write_csv_records,
    write_jsonl_records,
)
from dedup.report.table import CLUSTER_TITLE_CHARS, TITLE_CHARS, paragraphs, related_heading, shorten

FAIR_TITLE = "Città in festa: è l'ora del caffè"
LONG_TITLE = "Quake hits coastal town as thousands flee and aftershocks continue through the night into the morning"
COPY_PAIR = Pair(a="ap-quake", b="herald-quake", similarity=0.612345, containment=0.87654, copy=True)
STRAY_PAIR = Pair(a="city-fair", b="notes", similarity=0.2, containment=0.31, copy=False)
CLUSTER_HEADING = "Cluster c1 · 2 articles · agency AP · min similarity 0.61"
RELATED_HEADING = "Related r1 · 3 articles · independent reports of one story · clusters c1"


@pytest.fixture(autouse=True)
def _plain_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the caller's colour settings out of the table tests."""
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "NO_COLOR", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)


def scan() -> ScanResult:
    """Four articles and one skipped file: a wire story carried twice (the copy carries 80% of the
    origin, adds its paragraph 5 and cuts the origin's 7 to 9), reported once more independently in a
    related group, and one article standing alone."""
    documents = (
        Document(
            id="ap-quake",
            path="in/ap-quake.html",
            url="https://ap.example/quake",
            source="ap.example",
            title=LONG_TITLE,
            date="2024-03-01",
            credit="AP",
            agency="AP",
            words=412,
        ),
        Document(
            id="herald-quake",
            path="in/herald-quake.html",
            source="herald.example",
            title="Quake hits coastal town",
            date="2024-03-02",  # dropped the wire's byline: no credit, no agency of its own
            words=398,
        ),
        Document(id="city-fair", path="in/city-fair.txt", title=FAIR_TITLE, words=120),
        Document(id="notes", path="in/notes.txt", url="https://notes.example/x", words=55),
    )
    cluster = Cluster(
        id="c1",
        members=("herald-quake", "ap-quake"),
        canonical="ap-quake",
        similarity=0.612345,
        agency="AP",
        pairs=(COPY_PAIR,),
        copies=(Copy("ap-quake", 1.0), Copy("herald-quake", 0.8, added=(5,), cut=(7, 8, 9))),
    )
    related = Related(id="r1", members=("ap-quake", "herald-quake", "city-fair"), clusters=("c1",))
    skipped = (Skipped(path="in/scan.pdf", reason="not text: binary content"),)
    pairs = (COPY_PAIR, STRAY_PAIR)
    return ScanResult(documents=documents, clusters=(cluster,), skipped=skipped, pairs=pairs, related=(related,))


def rendered(result: ScanResult, fmt: str, *, verbose: bool = False) -> str:
    """What render writes for a result."""
    out = io.StringIO()
    render(result, fmt, out, verbose=verbose)
    return out.getvalue()


def by_id(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Records keyed by their id."""
    return {record["id"]: record for record in records}


def test_formats_are_the_four_known() -> None:
    assert FORMATS == ("table", "json", "jsonl", "csv")


def test_json_is_one_object_with_every_part() -> None:
    text = rendered(scan(), "json")
    report = json.loads(text)
    assert set(report) == {"documents", "clusters", "related", "skipped", "pairs"}
    assert text.endswith("}\n")
    assert text.startswith('{\n  "documents": [')


def test_json_documents_carry_their_metadata() -> None:
    documents = json.loads(rendered(scan(), "json"))["documents"]
    assert [d["id"] for d in documents] == ["ap-quake", "herald-quake", "city-fair", "notes"]
    origin = by_id(documents)["ap-quake"]
    assert origin == {
        "id": "ap-quake",
        "cluster": "c1",
        "canonical": True,
        "carried": 1.0,
        "related": "r1",
        "title": LONG_TITLE,
        "date": "2024-03-01",
        "credit": "AP",
        "agency": "AP",
        "words": 412,
        "url": "https://ap.example/quake",
        "source": "ap.example",
        "path": "in/ap-quake.html",
    }


def test_json_assigns_clusters_and_canonical_flags() -> None:
    documents = by_id(json.loads(rendered(scan(), "json"))["documents"])
    assert {i: d["cluster"] for i, d in documents.items()} == {
        "ap-quake": "c1",
        "herald-quake": "c1",
        "city-fair": None,
        "notes": None,
    }
    assert [i for i, d in documents.items() if d["canonical"]] == ["ap-quake"]
    assert documents["notes"]["title"] is None


def test_json_documents_say_what_they_carry_their_related_group_and_agency() -> None:
    documents = by_id(json.loads(rendered(scan(), "json"))["documents"])
    assert {i: d["carried"] for i, d in documents.items()} == {
        "ap-quake": 1.0,
        "herald-quake": 0.8,
        "city-fair": None,  # related, but in no cluster: there is no origin to carry
        "notes": None,
    }
    assert {i: d["related"] for i, d in documents.items()} == {
        "ap-quake": "r1",
        "herald-quake": "r1",
        "city-fair": "r1",
        "notes": None,
    }
    # The agency is the article's own, not its cluster's: the copy that dropped the byline names none.
    assert {i: d["agency"] for i, d in documents.items()} == {
        "ap-quake": "AP",
        "herald-quake": None,
        "city-fair": None,
        "notes": None,
    }


def test_json_clusters_round_to_four_places() -> None:
    (cluster,) = json.loads(rendered(scan(), "json"))["clusters"]
    assert cluster == {
        "id": "c1",
        "members": ["herald-quake", "ap-quake"],
        "canonical": "ap-quake",
        "similarity": 0.6123,
        "agency": "AP",
        "copies": [
            {"id": "ap-quake", "carried": 1.0, "added": [], "cut": []},
            {"id": "herald-quake", "carried": 0.8, "added": [5], "cut": [7, 8, 9]},
        ],
        "pairs": [{"a": "ap-quake", "b": "herald-quake", "similarity": 0.6123, "containment": 0.8765, "copy": True}],
    }


def test_json_rounds_what_a_copy_carries_to_four_places() -> None:
    cluster = Cluster(
        id="c1",
        members=("a", "b"),
        canonical="a",
        similarity=0.5,
        copies=(Copy("a", 1.0), Copy("b", 0.123456, added=(1, 2))),
    )
    documents = (Document(id="a"), Document(id="b"))
    report = json.loads(rendered(ScanResult(documents=documents, clusters=(cluster,), skipped=()), "json"))
    assert report["clusters"][0]["copies"][1] == {"id": "b", "carried": 0.1235, "added": [1, 2], "cut": []}


def test_json_lists_related_groups_with_their_clusters() -> None:
    assert json.loads(rendered(scan(), "json"))["related"] == [
        {"id": "r1", "members": ["ap-quake", "herald-quake", "city-fair"], "clusters": ["c1"]}
    ]


def test_json_lists_skipped_inputs_and_every_candidate_pair() -> None:
    report = json.loads(rendered(scan(), "json"))
    assert report["skipped"] == [{"path": "in/scan.pdf", "reason": "not text: binary content"}]
    assert [(p["a"], p["b"], p["similarity"], p["copy"]) for p in report["pairs"]] == [
        ("ap-quake", "herald-quake", 0.6123, True),
        ("city-fair", "notes", 0.2, False),
    ]


def test_json_keeps_non_ascii_titles_as_written() -> None:
    text = rendered(scan(), "json")
    assert "Città in festa: è l'ora del caffè" in text
    assert "\\u00e0" not in text
    assert by_id(json.loads(text)["documents"])["city-fair"]["title"] == "Città in festa: è l'ora del caffè"


def test_json_of_an_empty_scan_has_empty_lists() -> None:
    report = json.loads(rendered(ScanResult(documents=(), clusters=(), skipped=()), "json"))
    assert report == {"documents": [], "clusters": [], "related": [], "skipped": [], "pairs": []}


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv"])
def test_machine_output_is_deterministic(fmt: str) -> None:
    assert rendered(scan(), fmt) == rendered(scan(), fmt)


def test_jsonl_has_one_line_per_document_and_no_skipped() -> None:
    lines = rendered(scan(), "jsonl").splitlines()
    assert len(lines) == 4
    records = [json.loads(line) for line in lines]
    assert [r["id"] for r in records] == ["ap-quake", "herald-quake", "city-fair", "notes"]
    assert all("reason" not in r for r in records)


def test_jsonl_records_match_the_json_documents() -> None:
    records = [json.loads(line) for line in rendered(scan(), "jsonl").splitlines()]
    assert records == json.loads(rendered(scan(), "json"))["documents"]


def test_csv_has_the_header_and_one_row_per_document() -> None:
    text = rendered(scan(), "csv")
    assert text.splitlines()[0] == (
        "id,cluster,canonical,carried,related,title,date,credit,agency,words,url,source,path"
    )
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["id"] for row in rows] == ["ap-quake", "herald-quake", "city-fair", "notes"]


def test_csv_rows_use_empty_cells_for_none_and_words_for_flags() -> None:
    rows = by_id(list(csv.DictReader(io.StringIO(rendered(scan(), "csv")))))
    assert rows["ap-quake"]["cluster"] == "c1"
    assert rows["ap-quake"]["canonical"] == "true"
    assert rows["ap-quake"]["title"] == LONG_TITLE
    assert rows["herald-quake"]["canonical"] == "false"
    assert rows["herald-quake"]["url"] == ""
    assert [rows["herald-quake"][k] for k in ("carried", "related", "agency")] == ["0.8", "r1", ""]
    assert [rows["ap-quake"][k] for k in ("carried", "related", "agency")] == ["1.0", "r1", "AP"]
    assert [rows["city-fair"][k] for k in ("cluster", "carried", "related")] == ["", "", "r1"]
    assert rows["notes"] == {
        "id": "notes",
        "cluster": "",
        "canonical": "false",
        "carried": "",
        "related": "",
        "title": "",
        "date": "",
        "credit": "",
        "agency": "",
        "words": "55",
        "url": "https://notes.example/x",
        "source": "",
        "path": "in/notes.txt",
    }


def test_table_opens_with_the_counts() -> None:
    assert rendered(scan(), "table").splitlines()[0] == "4 articles, 1 syndication cluster, 1 related group, 1 skipped"


def section(text: str, heading: str) -> list[str]:
    """The lines of one section of the table: from its heading to the next blank line."""
    lines = text.splitlines()
    start = lines.index(heading)
    end = lines.index("", start) if "" in lines[start:] else len(lines)
    return lines[start:end]


def test_table_shows_the_cluster_with_its_origin_marked() -> None:
    lines = section(rendered(scan(), "table"), CLUSTER_HEADING)
    origin = next(line for line in lines if "ap-quake" in line)
    copy = next(line for line in lines if "herald-quake" in line)
    assert origin.startswith("origin")
    assert "2024-03-01" in origin
    assert "412" in origin
    assert copy.startswith("copy")
    assert "Quake hits coastal town" in copy
    assert lines.index(origin) < lines.index(copy)


def test_table_says_what_each_copy_carries_added_and_cut() -> None:
    lines = section(rendered(scan(), "table"), CLUSTER_HEADING)
    assert lines[1].split() == ["id", "date", "title", "words", "carries", "added", "¶", "cut", "¶"]
    origin = next(line for line in lines if "ap-quake" in line)
    copy = next(line for line in lines if "herald-quake" in line)
    assert origin.split()[-2:] == ["412", "100%"]  # the origin adds and cuts nothing: empty cells
    assert copy.split()[-4:] == ["398", "80%", "5", "7-9"]


def test_table_lists_each_related_group_with_the_cluster_of_each_member() -> None:
    lines = section(rendered(scan(), "table"), RELATED_HEADING)
    assert lines[1].split() == ["id", "cluster", "date", "title", "words"]
    rows = {line.split()[0]: line for line in lines[3:]}
    assert list(rows) == ["ap-quake", "herald-quake", "city-fair"]
    column = slice(lines[1].index("cluster"), lines[1].index("date"))
    clusters = {i: row[column].strip() for i, row in rows.items()}
    assert clusters == {"ap-quake": "c1", "herald-quake": "c1", "city-fair": ""}
    assert FAIR_TITLE in rows["city-fair"]


def test_related_heading_leaves_out_clusters_when_there_are_none() -> None:
    group = Related(id="r2", members=("a", "b"))
    assert related_heading(group) == "Related r2 · 2 articles · independent reports of one story"
    two = Related(id="r3", members=("a", "b", "c", "d"), clusters=("c1", "c4"))
    assert related_heading(two) == "Related r3 · 4 articles · independent reports of one story · clusters c1, c4"


def test_table_shortens_long_titles() -> None:
    text = rendered(scan(), "table")
    assert LONG_TITLE not in text
    cluster = "\n".join(section(text, CLUSTER_HEADING))
    related = "\n".join(section(text, RELATED_HEADING))
    assert shorten(LONG_TITLE, CLUSTER_TITLE_CHARS) in cluster  # narrower: the cluster table has more columns
    assert shorten(LONG_TITLE, TITLE_CHARS) in related
    assert len(shorten(LONG_TITLE, TITLE_CHARS)) <= TITLE_CHARS


def test_table_lists_articles_standing_alone() -> None:
    text = rendered(scan(), "table")
    alone = text[text.index("Standing alone (2)") :]
    assert "Città in festa: è l'ora del caffè" in alone
    assert "https://notes.example/x" in alone
    assert "ap-quake" not in alone


def test_table_lists_skipped_inputs_with_reasons() -> None:
    text = rendered(scan(), "table")
    assert "Skipped (1)" in text
    skipped = next(line for line in text.splitlines() if "in/scan.pdf" in line)
    assert "not text: binary content" in skipped


def test_table_is_plain_text_when_piped() -> None:
    text = rendered(scan(), "table", verbose=True)
    assert "\x1b" not in text
    assert all(line == line.rstrip() for line in text.splitlines())


def test_table_prints_titles_literally() -> None:
    tricky = Document(id="odd", title="Markets [bold]rally[/bold] :rocket: 2024", words=9)
    text = rendered(ScanResult(documents=(tricky,), clusters=(), skipped=()), "table")
    assert "Markets [bold]rally[/bold] :rocket: 2024" in text


def test_table_hides_pairs_unless_verbose() -> None:
    text = rendered(scan(), "table")
    assert "Pairs compared" not in text
    assert "0.20" not in text


def test_verbose_table_lists_every_pair_most_similar_first() -> None:
    lines = rendered(scan(), "table", verbose=True).splitlines()
    assert "Pairs compared (2)" in lines
    strong = next(line for line in lines if line.startswith("ap-quake") and "herald-quake" in line)
    weak = next(line for line in lines if line.startswith("city-fair") and "notes" in line)
    assert strong.split()[2:] == ["0.61", "0.88", "yes"]
    assert weak.split()[2:] == ["0.20", "0.31", "no"]
    assert lines.index(strong) < lines.index(weak)


def test_table_of_an_empty_scan_is_one_line() -> None:
    text = rendered(ScanResult(documents=(), clusters=(), skipped=()), "table")
    assert text == "0 articles, 0 syndication clusters, 0 related groups, 0 skipped\n"


def test_shorten_cuts_at_a_word_and_flattens_whitespace() -> None:
    assert shorten("one two\nthree", 70) == "one two three"
    assert shorten("alpha beta gamma", 12) == "alpha beta…"


def test_paragraphs_join_runs_of_numbers() -> None:
    assert paragraphs(()) == ""
    assert paragraphs((5,)) == "5"
    assert paragraphs((7, 8, 9)) == "7-9"
    assert paragraphs((1, 4, 5, 6)) == "1, 4-6"
    assert paragraphs((1, 3, 5)) == "1, 3, 5"
    assert paragraphs((2, 3, 7, 10, 11)) == "2-3, 7, 10-11"


def test_unknown_format_is_a_usage_error_naming_the_formats() -> None:
    with pytest.raises(UsageError, match="table, json, jsonl, csv") as caught:
        render(scan(), "xml", io.StringIO())
    assert "'xml'" in str(caught.value)


@pytest.mark.parametrize("write", [write_jsonl_records, write_csv_records])
def test_record_writers_write_a_stream_as_they_write_a_list(write: Callable[[Any, io.StringIO], None]) -> None:
    records = list(document_records(scan()))
    from_list, from_stream = io.StringIO(), io.StringIO()
    write(records, from_list)
    write(iter(records), from_stream)
    assert from_stream.getvalue() == from_list.getvalue()
    assert from_list.getvalue() == rendered(scan(), "jsonl" if write is write_jsonl_records else "csv")


@pytest.mark.parametrize("result", [scan(), ScanResult(documents=(), clusters=(), skipped=())])
def test_json_written_record_by_record_is_what_json_dump_writes(result: ScanResult) -> None:
    whole = {
        "documents": list(document_records(result)),
        "clusters": [cluster_record(cluster) for cluster in result.clusters],
        "related": [related_record(group) for group in result.related],
        "skipped": [skipped_record(skipped) for skipped in result.skipped],
        "pairs": [pair_record(pair) for pair in result.pairs],
    }
    assert rendered(result, "json") == json.dumps(whole, indent=2, ensure_ascii=False) + "\n"
