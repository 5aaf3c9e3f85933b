"""The report for a person: a heading with counts, one section per cluster, then the rest."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TextIO

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from dedup.model import Cluster, Copy, Document, Pair, Related, ScanResult, Skipped

# Wide enough for a full title column; used when the output is not a terminal and has no width of its own.
PIPE_WIDTH = 120
TITLE_CHARS = 70
CLUSTER_TITLE_CHARS = 44  # the cluster table has three more columns to fit in the same width
NUMERIC = frozenset({"words", "similarity", "containment", "carries"})


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
    parts += [(related_heading(g), _related_table(g, documents, result)) for g in result.related]
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
    related = _plural(len(result.related), "related group")
    return f"{articles}, {clusters}, {related}, {len(result.skipped)} skipped"


def cluster_heading(cluster: Cluster) -> str:
    """A cluster's line: its id, size, agency if known, and its weakest pair's similarity."""
    parts = [f"Cluster {cluster.id}", _plural(len(cluster.members), "article")]
    if cluster.agency:
        parts.append(f"agency {cluster.agency}")
    parts.append(f"min similarity {cluster.similarity:.2f}")
    return " · ".join(parts)


def related_heading(group: Related) -> str:
    """A related group's line: its id, size and the clusters inside it."""
    parts = [f"Related {group.id}", _plural(len(group.members), "article"), "independent reports of one story"]
    if group.clusters:
        parts.append("clusters " + ", ".join(group.clusters))
    return " · ".join(parts)


def paragraphs(numbers: tuple[int, ...]) -> str:
    """Paragraph numbers for a person: runs joined, "1, 4-6"."""
    runs: list[list[int]] = []
    for number in sorted(numbers):
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}-{r[-1]}" for r in runs)


def label(document: Document, limit: int = TITLE_CHARS) -> str:
    """How an article is named in a row: its title, else its opening words, else its URL."""
    if document.title and document.title.strip():
        return shorten(document.title, limit)
    if document.lead:
        return f"“{shorten(document.lead + ' …', limit - 2)}”"
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
    """A cluster's members, the origin first and marked, each with date, title, length, and how it
    differs from the origin: the share of it it carries, its own paragraphs, the origin's it cut."""
    table = _table("", "id", "date", "title", "words", "carries", "added ¶", "cut ¶")
    measured = {copy.id: copy for copy in cluster.copies}
    ranked = [cluster.canonical, *measured, *cluster.members]  # origin, then the aligned in rank order
    for member in dict.fromkeys(ranked):
        document = documents.get(member, Document(id=member))
        role = "origin" if member == cluster.canonical else "copy"
        copy = measured.get(member, Copy(member, float("nan")))  # not aligned: blank cells, not a guess
        carries = "" if copy.carried != copy.carried else f"{copy.carried:.0%}"
        table.add_row(
            role,
            document.id,
            document.date or "",
            label(document, CLUSTER_TITLE_CHARS),
            str(document.words),
            carries,
            paragraphs(copy.added),
            paragraphs(copy.cut),
        )
    return table


def _related_table(group: Related, documents: Mapping[str, Document], result: ScanResult) -> Table:
    """A related group's articles, each with the cluster it belongs to, if any."""
    table = _table("id", "cluster", "date", "title", "words")
    for member in group.members:
        document = documents.get(member, Document(id=member))
        cluster = result.cluster_of(member)
        table.add_row(
            document.id, cluster.id if cluster else "", document.date or "", label(document), str(document.words)
        )
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
