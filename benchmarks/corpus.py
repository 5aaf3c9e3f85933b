"""Write a large, seeded corpus of news articles and reprints from the real texts in the shared data.

    python benchmarks/corpus.py OUT --n N [--seed S] [--format txt|jsonl|both] [--copy-share 0.3]
                                [--swap X] [--first K] [--data DIR]

Sources: the gold article bodies in ``DIR/<set>/gold.jsonl`` (one paragraph a line) and the whole visible
text of each page in ``DIR/<set>/txt/<id>.txt``, whose lines that are not in that page's gold text are its
clutter: the ones above the article are nav, the ones below it footer.

Articles are made one at a time and written as they are made:

- an original is 4-12 paragraphs drawn at random from every gold paragraph (recombined), its own story, with
  a ``--swap`` share (default 0.25) of each paragraph's plain lowercase words replaced by words drawn from
  the texts: there are only ~5,000 gold paragraphs, so without swaps unrelated articles of a big corpus
  share whole paragraphs (``--swap 0`` gives plain recombination);
- a reprint (a ``--copy-share`` fraction) copies one of the last 2,000 originals: trimmed to 50-100% of its
  paragraphs, maybe one paragraph dropped, maybe a short local line added, and wrapped in the nav and footer
  of a random page.

Files: ``OUT/articles.jsonl`` (``{"id", "text"}`` a line), ``OUT/txt/<shard>/<id>.txt`` (1,000 files a
shard folder) and ``OUT/labels.jsonl`` (``{"id", "story"}`` a line: a reprint's story is its original's
id). The same seed gives the same bytes, and the first K articles of a corpus of N+K are the corpus of K:
``--first K`` writes only articles K..N-1 of that stream (new articles that copy older ones). Progress
goes to stderr. Exit codes: 0 ok, 2 usage or missing data.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
FORMATS = ("txt", "jsonl", "both")
SHARD = 1_000  # files per txt folder: folders of a million files are slow to list and to walk
RESERVOIR = 2_000  # originals a reprint may copy: recent ones, as a wire story is reprinted within days
PARAGRAPHS = (4, 12)
KEEP = (0.5, 1.0)  # share of the original's paragraphs a reprint keeps, from the top
DROP_CHANCE = 0.3
LOCAL_CHANCE = 0.3
# With ~5,000 gold paragraphs, a million articles of 4-12 draw each paragraph ~1,600 times: unrelated
# articles would share whole paragraphs, and a short reprint would be "contained" in dozens of them. Swapping
# a quarter of the plain words of each drawn paragraph leaves two draws of one paragraph sharing ~1/5 of their
# 3-word shingles, so originals stay distinct while reading like news (names, numbers, punctuation kept).
SWAP = 0.25
CLUTTER = 12  # nav lines kept from a page's top, and footer lines from its bottom
WRAP = (2, 8)  # nav lines and footer lines put around one reprint
LOCAL_LINES = (
    "Staff writer {name} contributed to this report.",
    "This story was updated at {hour}:{minute:02d} p.m. with additional details.",
    "Call the newsroom at 555-{phone:04d} with news tips about this story.",
    "{name} reported from the county offices on Route {route}.",
    "Local reaction to this story will appear in Section {section}.",
)
LOCAL_NAMES = ("Maria Lopez", "John Carter", "Aisha Khan", "Tom Becker", "Lena Novak", "Sam O'Neill")


class CorpusError(Exception):
    """A usage problem: a missing data folder or one without gold texts; the message names the path."""


@dataclass(frozen=True, slots=True)
class Clutter:
    """One page's lines that are not its article: nav above it, footer below it."""

    nav: tuple[str, ...]
    footer: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A gold paragraph split on spaces, and where its plain lowercase words are (the ones swaps replace)."""

    tokens: tuple[str, ...]
    spots: tuple[int, ...]
    ascii: bool  # swaps draw words of the paragraph's script: no Cyrillic words dropped into English


@dataclass(frozen=True, slots=True)
class Source:
    """Every gold paragraph of the data, their plain lowercase words, and the clutter of every page."""

    paragraphs: tuple[Paragraph, ...]
    words: tuple[str, ...]  # ASCII ones, an entry per occurrence: swaps draw words as often as the texts use them
    other_words: tuple[str, ...]  # the rest
    pages: tuple[Clutter, ...]


@dataclass(frozen=True, slots=True)
class Original:
    """An original article as a reprint needs it: its id (the story) and its paragraphs."""

    id: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Generated:
    """One article of the corpus: its id, text and story (the id of the original it copies, or its own)."""

    id: str
    text: str
    story: str


# ---- sources ------------------------------------------------------------------------------------


def lines_of(text: str) -> list[str]:
    """The non-empty lines of a text, stripped."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def page_clutter(page_text: str, gold: set[str]) -> Clutter:
    """The lines of a page above its first gold line (nav) and below its last (footer)."""
    lines = lines_of(page_text)
    at = [i for i, line in enumerate(lines) if line in gold]
    top, bottom = (at[0], at[-1] + 1) if at else (len(lines) // 2, len(lines) // 2)
    nav = [line for line in lines[:top] if line not in gold]
    footer = [line for line in lines[bottom:] if line not in gold]
    return Clutter(tuple(nav[:CLUTTER]), tuple(footer[-CLUTTER:]))


def load_set(folder: Path) -> tuple[list[str], list[Clutter]]:
    """One data set's gold paragraphs, in file order, and its pages' clutter."""
    paragraphs: list[str] = []
    pages: list[Clutter] = []
    for line in (folder / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        gold = lines_of(record.get("text") or "")
        paragraphs += gold
        page = folder / "txt" / f"{record['id']}.txt"
        if page.exists():
            clutter = page_clutter(page.read_text(encoding="utf-8", errors="replace"), set(gold))
            if clutter.nav and clutter.footer:
                pages.append(clutter)
    return paragraphs, pages


def load_source(data: Path) -> Source:
    """Every set's gold paragraphs and page clutter, sets in name order (the order the seed depends on)."""
    sets = sorted(path.parent for path in data.glob("*/gold.jsonl"))
    if not sets:
        raise CorpusError(f"{data}: no <set>/gold.jsonl found (pass --data DIR)")
    paragraphs: list[str] = []
    pages: list[Clutter] = []
    for folder in sets:
        found, clutter = load_set(folder)
        paragraphs += found
        pages += clutter
    if not paragraphs or not pages:
        raise CorpusError(f"{data}: no gold paragraphs or no page clutter found")
    split = tuple(split_paragraph(text) for text in paragraphs)
    words = [part.tokens[i] for part in split for i in part.spots]
    ascii_words = tuple(word for word in words if word.isascii())
    return Source(split, ascii_words, tuple(word for word in words if not word.isascii()), tuple(pages))


def split_paragraph(text: str) -> Paragraph:
    """A paragraph's tokens and the places of its plain lowercase words."""
    tokens = tuple(text.split(" "))
    spots = tuple(i for i, token in enumerate(tokens) if token.isalpha() and token.islower())
    ascii = sum(tokens[i].isascii() for i in spots) * 2 >= len(spots)
    return Paragraph(tokens, tuple(i for i in spots if tokens[i].isascii() == ascii), ascii)


# ---- articles -----------------------------------------------------------------------------------


def local_line(rng: random.Random) -> str:
    """A short line a local outlet adds to wire copy."""
    template = rng.choice(LOCAL_LINES)
    return template.format(
        name=rng.choice(LOCAL_NAMES),
        hour=rng.randint(1, 11),
        minute=rng.randint(0, 59),
        phone=rng.randint(0, 9999),
        route=rng.randint(1, 99),
        section=rng.choice("ABCD"),
    )


def swapped(paragraph: Paragraph, share: float, source: Source, rng: random.Random) -> str:
    """The paragraph with about `share` of its plain lowercase words replaced by words of the same script."""
    tokens = list(paragraph.tokens)
    count = min(len(paragraph.spots), int(len(paragraph.spots) * share + rng.random()))
    words = source.words if paragraph.ascii else source.other_words
    for i, word in zip(rng.sample(paragraph.spots, count), rng.choices(words, k=count), strict=True):
        tokens[i] = word
    return " ".join(tokens)


def original_body(source: Source, swap: float, rng: random.Random) -> tuple[str, ...]:
    """4-12 paragraphs drawn from all the gold paragraphs, each with a share of its words swapped."""
    drawn = rng.sample(source.paragraphs, rng.randint(*PARAGRAPHS))
    return tuple(swapped(paragraph, swap, source, rng) for paragraph in drawn)


def reprint_body(original: Original, rng: random.Random) -> list[str]:
    """The original's paragraphs, trimmed from the bottom, maybe one dropped and one local line added."""
    paragraphs = list(original.paragraphs)
    keep = max(1, round(len(paragraphs) * rng.uniform(*KEEP)))
    body = paragraphs[:keep]
    if len(body) > 2 and rng.random() < DROP_CHANCE:
        del body[rng.randrange(1, len(body))]
    if rng.random() < LOCAL_CHANCE:
        body.insert(rng.randint(1, len(body)), local_line(rng))
    return body


def wrap(body: list[str], page: Clutter, rng: random.Random) -> list[str]:
    """The body between a few nav lines from the top of a page and a few footer lines from its bottom."""
    nav = page.nav[: rng.randint(*WRAP)]
    footer = page.footer[-rng.randint(*WRAP) :]
    return [*nav, *body, *footer]


def article_id(index: int) -> str:
    """The id of the article at this place in the stream (sorts in stream order)."""
    return f"a{index:07d}"


def articles(source: Source, n: int, seed: int, copy_share: float, swap: float) -> Iterator[Generated]:
    """The first `n` articles of the stream a seed gives; the stream does not depend on `n`."""
    rng = random.Random(seed)
    recent: list[Original] = []  # a ring of the last RESERVOIR originals
    made = 0
    for index in range(n):
        doc_id = article_id(index)
        if recent and rng.random() < copy_share:
            original = recent[rng.randrange(len(recent))]
            lines = wrap(reprint_body(original, rng), rng.choice(source.pages), rng)
            yield Generated(doc_id, "\n".join(lines), original.id)
            continue
        paragraphs = original_body(source, swap, rng)
        original = Original(doc_id, paragraphs)
        if len(recent) < RESERVOIR:
            recent.append(original)
        else:
            recent[made % RESERVOIR] = original
        made += 1
        yield Generated(doc_id, "\n".join(paragraphs), doc_id)


# ---- writing ------------------------------------------------------------------------------------


@contextmanager
def opened(path: Path | None) -> Iterator[TextIO | None]:
    """A text file open for writing with a large buffer, or None when there is no path."""
    if path is None:
        yield None
        return
    with open(path, "w", encoding="utf-8", buffering=1 << 20) as file:
        yield file


@dataclass(frozen=True, slots=True)
class Writer:
    """Writes articles as they come, to JSONL and/or one txt file each (None: not that format), and labels."""

    txt: Path | None
    jsonl: TextIO | None
    labels: TextIO

    def write(self, index: int, article: Generated) -> None:
        """Write one article and its label."""
        if self.jsonl is not None:
            self.jsonl.write(json.dumps({"id": article.id, "text": article.text}, ensure_ascii=False) + "\n")
        if self.txt is not None:
            shard = self.txt / f"{index // SHARD:04d}"
            if index % SHARD == 0 or not shard.exists():
                shard.mkdir(parents=True, exist_ok=True)
            (shard / f"{article.id}.txt").write_text(article.text + "\n", encoding="utf-8")
        self.labels.write(json.dumps({"id": article.id, "story": article.story}) + "\n")


def generate(
    out: Path,
    n: int,
    seed: int = 1,
    *,
    fmt: str = "jsonl",
    copy_share: float = 0.3,
    swap: float = SWAP,
    first: int = 0,
    data: Path = DEFAULT_DATA,
    progress: bool = True,
) -> int:
    """Write articles `first`..`n`-1 of the seed's stream under `out`; returns how many were written."""
    if fmt not in FORMATS:
        raise CorpusError(f"format {fmt!r}: choose one of {', '.join(FORMATS)}")
    if not 0.0 <= swap <= 1.0:
        raise CorpusError(f"swap {swap}: must be in [0, 1]")
    source = load_source(data)
    start = time.perf_counter()
    written = 0
    out.mkdir(parents=True, exist_ok=True)
    txt = out / "txt" if fmt in ("txt", "both") else None
    jsonl_path = out / "articles.jsonl" if fmt in ("jsonl", "both") else None
    with opened(jsonl_path) as jsonl, opened(out / "labels.jsonl") as labels:
        assert labels is not None
        writer = Writer(txt, jsonl, labels)
        for index, article in enumerate(articles(source, n, seed, copy_share, swap)):
            if index < first:
                continue  # made all the same: later reprints copy it, and the seed's stream stays one stream
            writer.write(index, article)
            written += 1
            if progress and written % 100_000 == 0:
                rate = written / (time.perf_counter() - start)
                print(f"corpus: {written:,} articles written ({rate:,.0f}/s)", file=sys.stderr, flush=True)
    return written


# ---- command line -------------------------------------------------------------------------------


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line's options."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path, help="folder to write into")
    ap.add_argument("--n", type=int, required=True, help="articles in the stream (with --first: its end)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    ap.add_argument("--format", choices=FORMATS, default="jsonl", help="txt files, JSONL or both (default: jsonl)")
    ap.add_argument("--copy-share", type=float, default=0.3, help="share of reprints (default: 0.3)")
    ap.add_argument(
        "--swap", type=float, default=SWAP, help=f"share of plain words swapped in originals (default: {SWAP})"
    )
    ap.add_argument("--first", type=int, default=0, metavar="K", help="write only articles K..N-1 (default: 0)")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help=f"folder of data sets (default: {DEFAULT_DATA})")
    args = ap.parse_args(argv)
    if args.n < 1 or not 0 <= args.first < args.n:
        ap.error("--n must be at least 1 and --first between 0 and N-1")
    if not 0.0 <= args.copy_share < 1.0:
        ap.error("--copy-share must be in [0, 1)")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Write the corpus and say where."""
    args = parse(argv)
    start = time.perf_counter()
    try:
        written = generate(
            args.out,
            args.n,
            args.seed,
            fmt=args.format,
            copy_share=args.copy_share,
            swap=args.swap,
            first=args.first,
            data=args.data,
        )
    except CorpusError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    seconds = time.perf_counter() - start
    print(f"corpus: {written:,} articles in {args.out} ({seconds:.1f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
