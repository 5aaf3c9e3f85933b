"""The report for a person: a heading with counts, one section per cluster, then the rest."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TextIO

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from dedup.model import Cluster, Document, Pair, ScanResult, Skipped

# Wide enough for a full title column; used when the output is not a terminal and has no width of its own.
PIPE_WIDTH = 120
TITLE_CHARS = 70
NUMERIC = frozenset({"words", "similarity", "containment"})


def write_table(result: ScanResult, out: TextIO, *, verbose: bool = False) -> None:
    """Write the scan as readable text; ``verbose`` adds every candidate pair the index proposed."""
    console = _console(out)
    if console.is_terminal:
        _print_report(console, result, verbose=verbose)
        return
    # Rich pads every cell to its column's width; a pipe or a file reads better (and diffs) without it.
    with console.capture() as capture:
        _print_report(console, result, verbose=verbose)
    out.write("".join(line.rstrip() + "\n" for line in capture.get().splitlines()))


def sections(result: ScanResult, *, verbose: bool = False) -> list[tuple[str, Table]]:
    """The report's sections in order, each a heading and its table; empty ones are left out."""
    documents = {document.id: document for document in result.documents}
    parts = [(cluster_heading(c), _cluster_table(c, documents)) for c in result.clusters]
    alone = [document for document in result.documents if result.cluster_of(document.id) is None]
    if alone:
        parts.append((f"Standing alone ({len(alone)})", _alone_table(alone)))
    if result.skipped:
        parts.append((f"Skipped ({len(result.skipped)})", _skipped_table(result.skipped)))
    if verbose:
        parts.append((f"Pairs compared ({len(result.pairs)})", _pairs_table(result.pairs)))
    return parts


def _print_report(console: Console, result: ScanResult, *, verbose: bool) -> None:
    """Print the heading line, then each section after a blank line."""
    console.print(Text(heading(result), style="bold"))
    for title, table in sections(result, verbose=verbose):
        console.print()
        console.print(Text(title, style="bold"))
        console.print(table)


def heading(result: ScanResult) -> str:
    """The first line: how many articles, clusters and skipped inputs."""
    articles = _plural(len(result.documents), "article")
    clusters = _plural(len(result.clusters), "syndication cluster")
    return f"{articles}, {clusters}, {len(result.skipped)} skipped"


def cluster_heading(cluster: Cluster) -> str:
    """A cluster's line: its id, size, agency if known, and its weakest pair's similarity."""
    parts = [f"Cluster {cluster.id}", _plural(len(cluster.members), "article")]
    if cluster.agency:
        parts.append(f"agency {cluster.agency}")
    parts.append(f"min similarity {cluster.similarity:.2f}")
    return " · ".join(parts)


def label(document: Document) -> str:
    """How an article is named in a row: its title, else its opening words, else its URL."""
    if document.title and document.title.strip():
        return shorten(document.title, TITLE_CHARS)
    if document.lead:
        return f"“{shorten(document.lead + ' …', TITLE_CHARS - 2)}”"
    return document.url or "(no title)"


def shorten(text: str, limit: int) -> str:
    """The text on one line, cut at a word boundary to at most ``limit`` characters."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut + "…"


def _console(out: TextIO) -> Console:
    """A console on ``out`` that prints text as given: no markup, emoji codes or number highlighting."""
    console = Console(file=out, markup=False, emoji=False, highlight=False)
    if not console.is_terminal:
        console.width = PIPE_WIDTH
    return console


def _table(*columns: str) -> Table:
    """An empty table with the house look: a rule under the header and no frame."""
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for column in columns:
        table.add_column(column, justify="right" if column in NUMERIC else "left")
    return table


def _cluster_table(cluster: Cluster, documents: Mapping[str, Document]) -> Table:
    """A cluster's members, the origin first and marked, each with date, title and length."""
    table = _table("", "id", "date", "title", "words")
    others = [member for member in cluster.members if member != cluster.canonical]
    for member in [cluster.canonical, *others]:
        document = documents.get(member, Document(id=member))
        role = "origin" if member == cluster.canonical else "copy"
        table.add_row(role, document.id, document.date or "", label(document), str(document.words))
    return table


def _alone_table(documents: Iterable[Document]) -> Table:
    """Articles with no copy found, one compact row each."""
    table = _table("id", "date", "title", "words")
    for document in documents:
        table.add_row(document.id, document.date or "", label(document), str(document.words))
    return table


def _skipped_table(skipped: Iterable[Skipped]) -> Table:
    """Inputs that were not read, with the reason for each."""
    table = _table("path", "reason")
    for entry in skipped:
        table.add_row(entry.path, entry.reason)
    return table


def _pairs_table(pairs: Iterable[Pair]) -> Table:
    """Every candidate pair, most similar first, with whether verification called it a copy."""
    table = _table("a", "b", "similarity", "containment", "copy")
    for pair in sorted(pairs, key=lambda p: (-p.similarity, p.a, p.b)):
        copy = "yes" if pair.copy else "no"
        table.add_row(pair.a, pair.b, f"{pair.similarity:.2f}", f"{pair.containment:.2f}", copy)
    return table


def _plural(count: int, noun: str) -> str:
    """``count`` and ``noun``, with an ``s`` unless the count is one."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
