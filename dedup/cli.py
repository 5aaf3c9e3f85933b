"""The `dedup` command: a thin layer that parses options, calls the library and prints.

Machine output goes to stdout; skipped inputs, warnings and errors go to stderr. Exit codes:
0 done, 1 nothing could be read (or another failure), 2 a usage error.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import fields as dataclass_fields
from pathlib import Path
from typing import Annotated

import typer

from dedup.clean import clean_stream
from dedup.clean.cleaner import learn
from dedup.cluster import CONTAINMENT, RELATED, SIMILARITY, Rules
from dedup.errors import DedupError, UsageError
from dedup.index import LSH_THRESHOLD
from dedup.index.sqlite import SqliteIndex, recorded_signer
from dedup.model import CleanArticle, ScanResult, Skipped
from dedup.pipeline import Deduplicator, scan
from dedup.read import Fields, read
from dedup.report import FORMATS, render
from dedup.sign import Signer

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Find what is article and what is clutter in scraped news, and which articles copy one wire story.",
)

PathsArg = Annotated[
    list[str], typer.Argument(help="Files or folders (searched recursively); '-' reads JSONL from stdin.")
]
FieldOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--field",
        help="Map a record field for JSON/JSONL input, as KEY=NAME (keys: id, text, html, url, title, "
        "date, source), e.g. --field text=body. Repeatable.",
    ),
]


def _fields(pairs: list[str] | None) -> Fields:
    """The record field names, with the user's mappings applied."""
    known = {f.name for f in dataclass_fields(Fields)}
    mapping: dict[str, str] = {}
    for pair in pairs or []:
        key, sep, name = pair.partition("=")
        if not sep or key not in known or not name:
            raise UsageError(f"--field {pair!r}: expected KEY=NAME with KEY one of {', '.join(sorted(known))}")
        mapping[key] = name
    return Fields(**mapping)


def _warn_skip(item: Skipped) -> None:
    """Say on stderr that an input was skipped, and why."""
    typer.echo(f"skipped {item.path}: {item.reason}", err=True)


@app.command("scan")
def scan_command(
    paths: PathsArg,
    format: Annotated[str, typer.Option("--format", "-f", help=f"Output: {', '.join(FORMATS)}.")] = "table",
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Also print the similarity of every pair compared.")
    ] = False,
    field: FieldOpt = None,
    similarity: Annotated[
        float,
        typer.Option(
            help="Jaccard similarity at or above which two articles are copies (their containment must reach it too).",
            min=0.0,
            max=1.0,
        ),
    ] = SIMILARITY,
    containment: Annotated[
        float,
        typer.Option(
            help="Share of the smaller article in the larger at or above which they are copies.", min=0.0, max=1.0
        ),
    ] = CONTAINMENT,
    related: Annotated[
        float,
        typer.Option(
            help="Share of the names two articles mention at or above which they are related.", min=0.0, max=1.0
        ),
    ] = RELATED,
    shingle: Annotated[int, typer.Option(help="Words per shingle.", min=1, max=12)] = Signer.shingle,
    lsh_threshold: Annotated[
        float,
        typer.Option(
            help="Similarity from which LSH proposes candidates (lower: more recall, slower).", min=0.01, max=0.95
        ),
    ] = LSH_THRESHOLD,
    workers: Annotated[int, typer.Option(help="Processes that clean and sign (0: one per core).", min=0, max=1024)] = 0,
    index: Annotated[
        Path | None,
        typer.Option(
            help="Keep the index in this SQLite file and add to it: the report then covers this run's "
            "articles and the earlier ones they copy or relate to."
        ),
    ] = None,
) -> None:
    """Clean every article under PATHS, find copies of the same story, and report the clusters."""
    with _exit_codes():
        if format not in FORMATS:
            raise UsageError(f"--format {format!r}: choose one of {', '.join(FORMATS)}")
        rules = Rules(similarity=similarity, containment=containment, related=related)
        signer = Signer(shingle=shingle)
        # No name holds the Deduplicator: once the result is built its index (3-4 KB an article in
        # memory) is freed, and the report is written in the room it leaves.
        if index is None:
            result = _scan(paths, verbose, field, Deduplicator(signer, rules, lsh_threshold), workers)
        else:
            with SqliteIndex(index, signer, lsh_threshold, min_names=rules.min_names) as store:
                result = _scan(
                    paths, verbose, field, Deduplicator(signer, rules, index=store), workers, only_added=True
                )
        render(result, format, sys.stdout, verbose=verbose)
        if not result.documents and result.skipped:
            raise typer.Exit(1)


def _scan(
    paths: list[str],
    verbose: bool,
    field: list[str] | None,
    finder: Deduplicator,
    workers: int,
    only_added: bool = False,
) -> ScanResult:
    """The scan command's work, once its options are parsed: the result, reported by the caller."""
    return scan(
        paths,
        fields=_fields(field),
        deduplicator=finder,
        all_pairs=verbose,
        on_skip=_warn_skip,
        only_added=only_added,
        workers=workers,
        last=True,
    )


@app.command("clean")
def clean_command(
    paths: PathsArg,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write <id>.txt files into.")],
    explain: Annotated[bool, typer.Option("--explain", help="Print every removed span with its reason.")] = False,
    field: FieldOpt = None,
) -> None:
    """Write each article's clean text to OUT/<id>.txt."""
    with _exit_codes():
        _clean(paths, out, explain, field)


def _clean(paths: list[str], out: Path, explain: bool, field: list[str] | None) -> None:
    """The clean command's work, once its options are parsed.

    Files are read twice: once to learn what each site prints over the whole run, once to clean, so a
    page's text does not depend on the order of the files. Standard input is read once: its sites'
    templates are learnt a batch of pages at a time.
    """
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DedupError(f"{out}: cannot create the output folder: {error.strerror}") from None
    written = skipped = 0
    names: set[str] = set()
    fields = _fields(field)
    lines = None if "-" in paths else learn(read(paths, fields=fields))
    for item in clean_stream(read(paths, fields=fields), lines=lines):
        if isinstance(item, Skipped):
            _warn_skip(item)
            skipped += 1
            continue
        (out / f"{_file_name(item.id, names)}.txt").write_text(item.text + "\n", encoding="utf-8")
        written += 1
        if explain:
            _explain(item)
    typer.echo(f"{written} articles written to {out}, {skipped} skipped", err=True)
    if not written and skipped:
        raise typer.Exit(1)


# File names stay well under the 255 bytes most file systems allow, room left for a hash and ".txt".
NAME_BYTES = 180


def _file_name(doc_id: str, used: set[str]) -> str:
    """A file name for an id, unique in this run: record ids may hold slashes, be long, or differ only by case.

    An id that is not a safe name as it stands gets a short hash of itself, so two ids that sanitise to
    one name never overwrite each other, whatever order they come in.
    """
    safe = "".join(c if c.isalnum() or c in "-_.~" else "_" for c in doc_id).lstrip(".") or "_"
    short = safe.encode("utf-8")[:NAME_BYTES].decode("utf-8", errors="ignore")
    name = short if short == doc_id and short.casefold() not in used else f"{short}~{_id_hash(doc_id)}"
    while name.casefold() in used:  # an id that is itself "x~<hash>": rehash until free
        name = f"{short}~{_id_hash(name)}"
    used.add(name.casefold())
    return name


def _id_hash(doc_id: str) -> str:
    """Ten hex digits of an id's SHA-1: stable across runs and machines."""
    return hashlib.sha1(doc_id.encode("utf-8")).hexdigest()[:10]


def _explain(article: CleanArticle) -> None:
    """Print what the cleaner removed from one article, and why."""
    typer.echo(f"== {article.id}")
    for removal in article.removed:
        text = removal.text if len(removal.text) <= 100 else removal.text[:99] + "…"
        typer.echo(f"  - [{removal.reason}] {text}")


@contextmanager
def _exit_codes() -> Iterator[None]:
    """Turn dedup's errors into a one-line message and an exit code, never a traceback."""
    try:
        yield
    except UsageError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None
    except DedupError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None


index_app = typer.Typer(help="Look inside a persistent index (dedup scan --index PATH) and prune it.")
app.add_typer(index_app, name="index")
IndexArg = Annotated[Path, typer.Argument(help="The index file.", exists=True, dir_okay=False)]


@index_app.command("stats")
def index_stats(path: IndexArg) -> None:
    """Print how many articles, copies, links and clusters the index holds, and its settings."""
    with _exit_codes(), SqliteIndex(path, recorded_signer(path)) as store:
        finder = Deduplicator(store.signer, index=store)
        result = finder.result()
        lines = {
            "articles": len(store),
            "copies": sum(pair.copy for pair in store.pairs()),
            "related links": store.link_count(),
            "syndication clusters": len(result.clusters),
            "related groups": len(result.related),
            "bytes on disk": sum(p.stat().st_size for p in _index_files(path)),
            "settings": json.dumps(store.settings, sort_keys=True),
        }
        for name, value in lines.items():
            typer.echo(f"{name}: {value}")


@index_app.command("export")
def index_export(
    path: IndexArg,
    format: Annotated[str, typer.Option("--format", "-f", help=f"Output: {', '.join(FORMATS)}.")] = "json",
) -> None:
    """Print the whole index as a scan report: every article, cluster and related group."""
    with _exit_codes():
        if format not in FORMATS:
            raise UsageError(f"--format {format!r}: choose one of {', '.join(FORMATS)}")
        with SqliteIndex(path, recorded_signer(path)) as store:
            render(Deduplicator(store.signer, index=store).result(), format, sys.stdout)


@index_app.command("remove")
def index_remove(
    path: IndexArg, ids: Annotated[list[str], typer.Argument(help="Ids of the articles to forget.")]
) -> None:
    """Forget articles, with their pairs and links: the clusters they held shrink or go."""
    with _exit_codes(), SqliteIndex(path, recorded_signer(path)) as store:
        missing = [doc_id for doc_id in ids if not store.remove(doc_id)]
        if len(missing) < len(ids):
            store.prune_links()
        store.commit()
        typer.echo(f"{len(ids) - len(missing)} removed", err=True)
        for doc_id in missing:
            typer.echo(f"not in the index: {doc_id}", err=True)
        if missing:
            raise typer.Exit(1)


def _index_files(path: Path) -> list[Path]:
    """The index file and the write-ahead log beside it."""
    return [p for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()]


def main() -> None:
    """Run the command line."""
    app()
