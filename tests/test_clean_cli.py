"""`dedup clean`: one file per article, never two articles in one file, templates learnt over the run."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from dedup.cli import app

runner = CliRunner()
STORY = "The bridge over the river reopened on Thursday after two years of repairs, the city said."


def records(*rows: dict[str, str]) -> str:
    """JSONL records, as a scraper writes them."""
    return "\n".join(json.dumps(row) for row in rows) + "\n"


def test_ids_that_sanitise_to_one_name_get_two_files(tmp_path: Path) -> None:
    stdin = records({"id": "a/b", "text": STORY}, {"id": "a_b", "text": STORY.replace("Thursday", "Friday")})
    result = runner.invoke(app, ["clean", "-", "--out", str(tmp_path)], input=stdin)
    assert result.exit_code == 0, result.stderr
    texts = sorted(path.read_text() for path in tmp_path.iterdir())
    assert len(texts) == 2 and texts[0] != texts[1]
    assert (tmp_path / "a_b.txt").read_text().startswith(STORY.replace("Thursday", "Friday"))


def test_an_id_longer_than_a_file_name_is_written(tmp_path: Path) -> None:
    long_id = "https://news.example/" + "very-long-slug-" * 40
    result = runner.invoke(app, ["clean", "-", "--out", str(tmp_path)], input=records({"id": long_id, "text": STORY}))
    assert result.exit_code == 0, result.stderr
    (path,) = tmp_path.iterdir()
    assert len(path.name.encode()) < 255 and path.read_text() == STORY + "\n"


def test_clean_learns_a_sites_template_from_the_run_and_explains_it(tmp_path: Path) -> None:
    footer = "The Valley Times is owned by its readers and has been since 1921, proudly independent."
    rows = [
        {"id": f"p{n}", "url": f"https://valleytimes.example/{n}", "text": f"{STORY} Day {n}.\n{footer}"}
        for n in range(3)
    ]
    result = runner.invoke(app, ["clean", "-", "--out", str(tmp_path), "--explain"], input=records(*rows))
    assert result.exit_code == 0, result.stderr
    assert f"  - [template] {footer}" in result.stdout
    assert (tmp_path / "p1.txt").read_text() == f"{STORY} Day 1.\n"


def test_clean_learns_a_sites_template_from_files_over_the_whole_run(tmp_path: Path) -> None:
    footer = "The Valley Times is owned by its readers and has been since 1921, proudly independent."
    pages = tmp_path / "pages"
    pages.mkdir()
    for n in range(3):
        (pages / f"p{n}.txt").write_text(f"url https://valleytimes.example/{n}\n{STORY} Day {n}.\n{footer}\n")
    result = runner.invoke(app, ["clean", str(pages), "--out", str(tmp_path / "out"), "--explain"])
    assert result.exit_code == 0, result.stderr
    assert f"  - [template] {footer}" in result.stdout
    assert (tmp_path / "out" / "p2.txt").read_text() == f"{STORY} Day 2.\n"
