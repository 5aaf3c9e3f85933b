"""The `dedup` command, as the README shows it, driven through typer's CliRunner."""

from __future__ import annotations

import csv
import gzip
import io
import json
import weakref
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from dedup import cli
from dedup.cli import app
from dedup.pipeline import Deduplicator
from dedup.report import render

SEEDS = str(Path(__file__).parent.parent / "seeds")
SEED_IDS = [
    "000_4918345a94430741",
    "001_01698d181c447733",
    "002_23faa30955cea87d",
    "003_d98c98faffdd0a40",
    "004_4d248f02436a389b",
]
runner = CliRunner()


def scan_json(*args: str, stdin: str | None = None) -> dict:  # type: ignore[type-arg]
    """Run `dedup scan ... --format json` and parse what it printed."""
    result = runner.invoke(app, ["scan", *args, "--format", "json"], input=stdin)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_scan_prints_the_seed_cluster_as_a_table() -> None:
    result = runner.invoke(app, ["scan", SEEDS])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "5 articles, 1 syndication cluster, 1 related group, 0 skipped"
    assert "Cluster c1 · 2 articles · agency Reuters · min similarity " in result.stdout
    origin = next(line for line in lines if line.startswith("origin"))
    assert origin.split()[1] == "000_4918345a94430741" and origin.split()[-1] == "100%"
    copy = next(line for line in lines if line.startswith("copy"))
    assert copy.split()[1] == "004_4d248f02436a389b" and copy.split()[-1].endswith("%")
    assert "Related r1 · 5 articles · independent reports of one story · clusters c1" in lines


def test_scan_json_has_documents_clusters_and_skipped() -> None:
    report = scan_json(SEEDS)
    assert set(report) >= {"documents", "clusters", "related", "skipped"}
    (cluster,) = report["clusters"]
    assert cluster["members"] == ["000_4918345a94430741", "004_4d248f02436a389b"]
    assert cluster["canonical"] == "000_4918345a94430741"
    assert 0.6 <= cluster["similarity"] <= 1.0
    docs = {d["id"]: d for d in report["documents"]}
    assert docs["000_4918345a94430741"]["cluster"] == cluster["id"]
    assert docs["000_4918345a94430741"]["credit"] == "REUTERS"
    assert docs["001_01698d181c447733"]["cluster"] is None
    assert docs["001_01698d181c447733"]["date"] == "2024-02-20"
    assert docs["002_23faa30955cea87d"]["credit"] == "Al Jazeera and news agencies"
    assert docs["002_23faa30955cea87d"]["title"].startswith("North Korea’s Kim gifted car")
    assert docs["003_d98c98faffdd0a40"]["path"].endswith("003_d98c98faffdd0a40.txt")


def test_scan_json_reports_the_seed_cluster_inside_one_related_group() -> None:
    report = scan_json(SEEDS)
    (cluster,) = report["clusters"]
    assert cluster["id"] == "c1"
    assert cluster["members"] == ["000_4918345a94430741", "004_4d248f02436a389b"]
    assert cluster["canonical"] == "000_4918345a94430741"
    assert cluster["agency"] == "Reuters"
    origin, copy = cluster["copies"]
    assert origin == {"id": "000_4918345a94430741", "carried": 1.0, "added": [], "cut": []}
    assert copy["id"] == "004_4d248f02436a389b"
    assert 0.6 <= copy["carried"] < 1.0
    assert report["related"] == [{"id": "r1", "members": SEED_IDS, "clusters": ["c1"]}]
    docs = {d["id"]: d for d in report["documents"]}
    assert {i: d["related"] for i, d in docs.items()} == dict.fromkeys(SEED_IDS, "r1")
    assert [docs[i]["carried"] for i in SEED_IDS] == [1.0, None, None, None, copy["carried"]]
    assert docs["000_4918345a94430741"]["agency"] == "Reuters"


def test_thresholds_are_adjustable_from_the_command_line() -> None:
    strict = scan_json(SEEDS, "--related", "0.95", "--similarity", "0.9", "--containment", "0.99")
    assert strict["clusters"] == [] and strict["related"] == []
    assert scan_json(SEEDS, "--lsh-threshold", "0.95")["clusters"] == []  # 0.77 similar: never proposed
    assert len(scan_json(SEEDS, "--related", "0.6")["related"][0]["members"]) == 2  # only the copies


def test_a_threshold_outside_zero_to_one_is_a_usage_error() -> None:
    for option, value in (("--similarity", "1.5"), ("--lsh-threshold", "0.99")):
        result = runner.invoke(app, ["scan", SEEDS, option, value])
        assert result.exit_code == 2
        assert option in result.stderr


def test_verbose_prints_every_pair_similarity() -> None:
    result = runner.invoke(app, ["scan", SEEDS, "--verbose"])
    assert result.exit_code == 0
    pair_lines = [line for line in result.stdout.splitlines() if line.rstrip().endswith((" yes", " no"))]
    assert len(pair_lines) == 10
    assert pair_lines[0].split()[:2] == ["000_4918345a94430741", "004_4d248f02436a389b"]


def test_jsonl_and_csv_give_one_row_per_document() -> None:
    lines = runner.invoke(app, ["scan", SEEDS, "-f", "jsonl"]).stdout.splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["id"] for r in records] == SEED_IDS
    assert [r["related"] for r in records] == ["r1"] * 5
    rows = list(csv.DictReader(io.StringIO(runner.invoke(app, ["scan", SEEDS, "-f", "csv"]).stdout)))
    assert [r["cluster"] for r in rows] == ["c1", "", "", "", "c1"]
    assert [r["related"] for r in rows] == ["r1"] * 5
    assert rows[0]["agency"] == "Reuters"
    assert [r["carried"] == "" for r in rows] == [False, True, True, True, False]


def test_bad_inputs_are_skipped_reported_and_the_run_goes_on(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02binary\x00")
    (tmp_path / "broken.html.gz").write_bytes(b"not gzip at all")
    (tmp_path / "ok.txt").write_text("The council voted on the new budget after a long debate on Monday.\n")
    result = runner.invoke(app, ["scan", str(tmp_path), "--format", "json"])
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert [d["id"] for d in report["documents"]] == ["ok"]
    reasons = {Path(s["path"]).name: s["reason"] for s in report["skipped"]}
    assert set(reasons) == {"empty.txt", "binary.txt", "broken.html.gz"}
    for name in reasons:
        assert f"skipped {tmp_path / name}: " in result.stderr
    assert "Traceback" not in result.stderr


def test_nothing_readable_exits_1_with_the_reason() -> None:
    result = runner.invoke(app, ["scan", "no/such/folder"])
    assert result.exit_code == 1
    assert "skipped no/such/folder: no such file or folder" in result.stderr


def test_stdin_jsonl_with_mapped_fields(tmp_path: Path) -> None:
    body = "The council voted on the new budget after a long debate in the chamber on Monday evening."
    records = [{"guid": "a", "body": body}, {"guid": "b", "body": body + " It passed."}, {"guid": "c"}]
    stdin = "\n".join(json.dumps(r) for r in records) + "\n{broken\n"
    report = scan_json("-", "--field", "id=guid", "--field", "text=body", stdin=stdin)
    assert [d["id"] for d in report["documents"]] == ["a", "b"]
    assert report["clusters"][0]["members"] == ["a", "b"]
    assert [s["path"] for s in report["skipped"]] == ["-:3", "-:4"]


def test_a_bad_field_mapping_is_a_usage_error() -> None:
    result = runner.invoke(app, ["scan", SEEDS, "--field", "body"])
    assert result.exit_code == 2
    assert "--field 'body': expected KEY=NAME" in result.stderr


def test_an_unknown_format_is_a_usage_error() -> None:
    result = runner.invoke(app, ["scan", SEEDS, "--format", "xml"])
    assert result.exit_code == 2 and "choose one of table, json, jsonl, csv" in result.stderr


def test_clean_writes_one_text_file_per_article(tmp_path: Path) -> None:
    out = tmp_path / "out"
    page = "<html><body><nav>Home</nav><p>The bridge reopened on Thursday after two years of repairs.</p></body></html>"
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "bridge.html.gz").write_bytes(gzip.compress(page.encode()))
    result = runner.invoke(app, ["clean", SEEDS, str(tmp_path / "in"), "--out", str(out)])
    assert result.exit_code == 0
    assert sorted(p.name for p in out.iterdir())[:2] == [
        "000_4918345a94430741.txt",
        "001_01698d181c447733.txt",
    ]
    assert (out / "bridge.txt").read_text() == "The bridge reopened on Thursday after two years of repairs.\n"
    ctv = (out / "004_4d248f02436a389b.txt").read_text()
    assert ctv.startswith("SEOUL - North Korean leader") and "Top Stories" not in ctv
    assert "6 articles written" in result.stderr


def test_clean_explain_names_each_removed_span_and_its_reason(tmp_path: Path) -> None:
    result = runner.invoke(app, ["clean", SEEDS, "--out", str(tmp_path), "--explain"])
    assert "  - [ad] Advertisement" in result.stdout
    assert "  - [stray] kju" in result.stdout
    assert "  - [teaser] CTVNews.ca Top Stories" in result.stdout


def test_scan_lets_go_of_the_index_before_writing_the_report(monkeypatch: pytest.MonkeyPatch) -> None:
    indexes: list[weakref.ref[object]] = []
    alive_at_report: list[bool] = []

    class Watched(Deduplicator):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            indexes.append(weakref.ref(self.index))

    def watched_render(*args: Any, **kwargs: Any) -> None:
        alive_at_report.extend(ref() is not None for ref in indexes)
        render(*args, **kwargs)

    monkeypatch.setattr(cli, "Deduplicator", Watched)
    monkeypatch.setattr(cli, "render", watched_render)
    result = runner.invoke(app, ["scan", SEEDS, "--format", "jsonl"])
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout.splitlines()) == len(SEED_IDS)
    assert alive_at_report == [False]
