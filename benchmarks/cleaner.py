"""Measure dedup's cleaner against gold article text, side by side with trafilatura.

    python benchmarks/cleaner.py [--data DIR] [--sets NAME ...] [--only dedup|trafilatura]
                                 [--repeats N] [--clock cpu|wall] [--worst N] [--save-preds DIR] [--json]
                                 [--with-headline]

For each data set (``DIR/<set>/``: ``html/<id>.html.gz``, ``txt/<id>.txt``, ``gold.jsonl``) it runs:

- the raw ``txt`` files, uncleaned (the baseline every cleaner must beat);
- dedup in text mode over the ``txt`` files, as ONE run over the whole set with ``clean_many``: the
  cleaner learns each site's template from its other pages, a page's site being the host of the URL
  the crawler saved with it (gold.jsonl's ``url``: metadata, not gold text);
- dedup in HTML mode over the ``html`` pages;
- trafilatura, with the options its own benchmark uses for article extraction, and with
  ``favor_precision=True``.

Each system goes from page bytes in memory to article text; reading and gunzipping the files is not
timed; decoding bytes to text is (dedup reads them as its reader does: ``dedup.read.decode`` for text,
``dedup.read.markup`` for HTML, which checks that a page is UTF-8 and keeps its bytes for the parser;
trafilatura decodes with its own), and the table says how much of dedup's time that reading takes.
ms/page is the whole set's time over its
pages, the fastest of the repeats, measured in this one process; the systems' repeats are taken in turn,
each after 10 untimed warm-up pages and a garbage collection (`timed`). dedup keeps nothing between runs;
trafilatura keeps its line caches (``lru_cache``), so its warm-up pages are cached for it. The clock is
this process's CPU time (``--clock cpu``, the default): on a machine shared with other work, wall time
(``--clock wall``) counts their time too, and much more than CPU time varies.
Predictions are scored by the data folder's own ``score_cleaner.py`` (4-word shingle P/R/F1, macro over
pages). The table (or ``--json``) goes to stdout, progress to stderr. Exit codes: 0 ok, 2 usage.

What is scored is the article body. Both gold sets hold the body without its headline, and
trafilatura's ``extract`` leaves the title out of its text too; dedup keeps the headline as its
text's first line (and as the article's title), so the main columns score dedup's text without that
line, the body the gold describes. Nothing is hidden: the ``+hl`` column shows dedup's F1 with the
headline line kept, and ``--with-headline`` swaps the two (the main columns then score the whole text).
"""

from __future__ import annotations

import argparse
import gc
import gzip
import importlib
import importlib.util
import json
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import common

from dedup import Article, CleanArticle, DedupError, clean
from dedup.read import decode, markup

DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
DEFAULT_SETS = ("scrapinghub", "fundus-dev")
SCORER = "score_cleaner.py"
# Every system's figure is its fastest of three passes: a speed ratio between a best pass and a single
# pass would favour the system given more tries (trafilatura's ~15-20 ms/page make its passes seconds).
DEDUP_REPEATS = 3
WARM_PAGES = 10  # pages a system cleans untimed before each timed pass (`timed`)
TRAFILATURA_REPEATS = 3
DEDUP_SYSTEMS = ("dedup-text", "dedup-html")
TRAFILATURA_SYSTEMS = ("trafilatura", "trafilatura-precision")
LABELS = {
    "raw": "raw text (uncleaned)",
    "dedup-text": "dedup text mode",
    "dedup-html": "dedup HTML mode",
    "trafilatura": "trafilatura",
    "trafilatura-precision": "trafilatura favor_precision",
}
# trafilatura's own benchmark settings (tests/eval_common.py EXTRACT_OPTS, fast=False: with fallbacks)
TRAFILATURA_OPTS: dict[str, Any] = {
    "fast": False,
    "include_comments": False,
    "include_tables": True,
    "include_formatting": False,
}


class BenchError(Exception):
    """A usage problem: missing data, a set without its files; the message names the path."""


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a data set: its id, saved HTML bytes, whole-text bytes, gold article text and address.

    The address is what the crawler saved with the page (gold.jsonl's ``url``); the cleaner learns a
    site's template from the pages sharing its host, as it would in a real scrape.
    """

    id: str
    html: bytes
    text: bytes
    gold: str
    url: str | None = None


@dataclass(frozen=True, slots=True)
class DataSet:
    """A named data set folder and its pages, in gold.jsonl order."""

    name: str
    path: Path
    pages: tuple[Page, ...]


@dataclass(frozen=True, slots=True)
class Output:
    """One page's text from a system, and the headline line it opens with (dedup keeps one; None: none)."""

    text: str
    headline: str | None = None

    def scored(self, with_headline: bool) -> str:
        """The text that is scored: the body alone, or with the headline line kept."""
        if with_headline or self.headline is None:
            return self.text
        return self.text[len(self.headline) + 1 :]


@dataclass(frozen=True, slots=True)
class Run:
    """One system over one set: its outputs (one per page) and its fastest ms/page (None: not timed)."""

    outputs: tuple[Output, ...]
    ms_per_page: float | None

    def texts(self, with_headline: bool) -> list[str]:
        """Each page's scored text, with or without the headline line."""
        return [output.scored(with_headline) for output in self.outputs]

    def has_headlines(self) -> bool:
        """Whether the system printed headlines, so scoring with and without them differs."""
        return any(output.headline is not None for output in self.outputs)


System = Callable[[Sequence[Page]], list[Output]]


# ---- systems: page bytes in, article text out -------------------------------------------------


def batch_cleaner() -> Callable[[list[Article]], list[CleanArticle]]:
    """``clean_many`` once the cleaner exposes one (it learns templates from a run), else ``clean`` mapped."""
    for module_name in ("dedup.clean", "dedup"):
        clean_many = getattr(importlib.import_module(module_name), "clean_many", None)
        if callable(clean_many):
            return clean_many  # type: ignore[no-any-return]
    return lambda articles: [clean(article) for article in articles]


def dedup_run(pages: Sequence[Page], html: bool) -> list[Output]:
    """dedup over the whole set in one call; a page that does not decode yields empty text."""
    articles = []
    for page in pages:
        data, path = (page.html, f"{page.id}.html") if html else (page.text, f"{page.id}.txt")
        try:
            body = read_page(data, path, html)
        except DedupError:
            continue
        articles.append(Article(page.id, body, format="html" if html else "text", path=path, url=page.url))
    cleaned = {article.id: _output(article) for article in batch_cleaner()(articles)}
    return [cleaned.get(page.id, Output("")) for page in pages]


def _output(article: CleanArticle) -> Output:
    """A cleaned article's text, noting its headline line: dedup keeps the headline as line one and as title."""
    first = article.text.partition("\n")[0]
    return Output(article.text, first if article.title and first == article.title else None)


def dedup_text(pages: Sequence[Page]) -> list[Output]:
    """dedup in text mode over the pages' whole visible text."""
    return dedup_run(pages, html=False)


def dedup_html(pages: Sequence[Page]) -> list[Output]:
    """dedup in HTML mode over the saved pages."""
    return dedup_run(pages, html=True)


def raw_text(pages: Sequence[Page]) -> list[Output]:
    """The whole visible text, uncleaned: the baseline."""
    return [Output(page.text.decode("utf-8", errors="replace")) for page in pages]


def trafilatura_run(pages: Sequence[Page], **options: Any) -> list[Output]:
    """trafilatura.extract on each page's bytes (it decodes them itself, as in its own benchmark)."""
    from trafilatura import extract

    outputs = []
    for page in pages:
        try:
            outputs.append(Output(extract(page.html, **TRAFILATURA_OPTS, **options) or ""))
        except Exception:  # a crash counts as empty output, as trafilatura's own benchmark scores it
            outputs.append(Output(""))
    return outputs


def trafilatura_default(pages: Sequence[Page]) -> list[Output]:
    """trafilatura with its benchmark settings."""
    return trafilatura_run(pages)


def trafilatura_precision(pages: Sequence[Page]) -> list[Output]:
    """trafilatura with its benchmark settings and ``favor_precision=True``."""
    return trafilatura_run(pages, favor_precision=True)


SYSTEMS: dict[str, System] = {
    "raw": raw_text,
    "dedup-text": dedup_text,
    "dedup-html": dedup_html,
    "trafilatura": trafilatura_default,
    "trafilatura-precision": trafilatura_precision,
}


# ---- data and scorer ----------------------------------------------------------------------------


def load_scorer(data: Path) -> ModuleType:
    """The data folder's ``score_cleaner.py``, imported by path (the default folder's if DIR has none)."""
    path = data / SCORER if (data / SCORER).exists() else DEFAULT_DATA / SCORER
    spec = importlib.util.spec_from_file_location("score_cleaner", path)
    if spec is None or spec.loader is None or not path.exists():
        raise BenchError(f"{path}: scorer not found")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_page(folder: Path, record: dict[str, Any]) -> Page:
    """One page's files and gold text."""
    page_id = str(record["id"])
    html, text = folder / "html" / f"{page_id}.html.gz", folder / "txt" / f"{page_id}.txt"
    for path in (html, text):
        if not path.exists():
            raise BenchError(f"{path}: page file not found")
    gold = record.get("text") or ""
    return Page(page_id, gzip.decompress(html.read_bytes()), text.read_bytes(), gold, record.get("url"))


def load_set(data: Path, name: str) -> DataSet:
    """A data set folder's pages, in gold.jsonl order."""
    folder = data / name
    gold = folder / "gold.jsonl"
    if not gold.exists():
        raise BenchError(f"{gold}: not found (is {folder} a data set?)")
    records = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    if not records:
        raise BenchError(f"{gold}: no pages")
    return DataSet(name, folder, tuple(load_page(folder, record) for record in records))


# ---- running, timing, scoring -------------------------------------------------------------------


# What ms/page is measured by: this process's CPU time, or the time on the wall.
CLOCKS: dict[str, Callable[[], float]] = {"cpu": time.process_time, "wall": time.perf_counter}


def timed(
    systems: dict[str, System], pages: Sequence[Page], repeats: dict[str, int], clock: Callable[[], float]
) -> dict[str, Run]:
    """Each system's outputs and its fastest ms/page over its ``repeats`` passes, after one untimed warm-up page.

    The passes are taken in turn (each system's first, then each one's second, ...): a slower spell of the
    machine then slows every system alike, and the ratios of their fastest passes hold from run to run.
    Before each pass the system cleans a few pages untimed: it is timed warm, as it runs over a corpus,
    not just after another system has filled the processor's caches with its own code and data.
    The fastest pass is the one least disturbed by the rest of the machine: the work itself is the same each time.
    """
    for system in systems.values():
        system(pages[:1])  # pays lazy imports and one-time setup outside the clock
    times: dict[str, list[float]] = {name: [] for name in systems}
    outputs: dict[str, list[Output]] = {}
    for turn in range(max(repeats.values(), default=0)):
        for name, system in systems.items():
            if turn < repeats[name]:
                system(pages[:WARM_PAGES])  # its caches warm again after the other systems' passes
                gc.collect()  # the garbage of the passes before is not collected on this pass's clock
                start = clock()
                outputs[name] = system(pages)
                times[name].append((clock() - start) * 1000 / len(pages))
    return {name: Run(tuple(outputs[name]), min(times[name])) for name in systems}


def write_predictions(folder: Path, pages: Sequence[Page], outputs: Sequence[str]) -> None:
    """``folder/<id>.txt`` for each page, as the scorer reads them."""
    folder.mkdir(parents=True, exist_ok=True)
    for page, output in zip(pages, outputs, strict=True):
        (folder / f"{page.id}.txt").write_text(output, encoding="utf-8")


def page_scores(scorer: ModuleType, pages: Sequence[Page], outputs: Sequence[str]) -> list[dict[str, Any]]:
    """Each page's id, precision, recall and F1 (pages without gold text are left out, as the scorer does)."""
    rows = []
    for page, output in zip(pages, outputs, strict=True):
        if not page.gold:
            continue
        counts = scorer.page_counts(page.gold, output)
        p, r = scorer.precision(*counts), scorer.recall(*counts)
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        rows.append({"id": page.id, "precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4)})
    return rows


def worst(scorer: ModuleType, pages: Sequence[Page], outputs: Sequence[str], n: int) -> list[dict[str, Any]]:
    """The ``n`` pages with the lowest F1, worst first."""
    return sorted(page_scores(scorer, pages, outputs), key=lambda row: (row["f1"], row["id"]))[:n]


def figures(scorer: ModuleType, dataset: DataSet, run: Run, preds: Path, with_headline: bool) -> dict[str, Any]:
    """The scorer's figures for one run, plus its speed, and its F1 scored the other way round on headlines."""
    write_predictions(preds, dataset.pages, run.texts(with_headline))
    result: dict[str, Any] = dict(scorer.score(dataset.path, preds))
    if run.has_headlines():
        other = preds.with_name(preds.name + ("-body" if with_headline else "-headline"))
        write_predictions(other, dataset.pages, run.texts(not with_headline))
        result["f1_with_headline" if not with_headline else "f1_body"] = scorer.score(dataset.path, other)["f1"]
    result["ms_per_page"] = None if run.ms_per_page is None else round(run.ms_per_page, 3)
    result["pages_per_s"] = None if not run.ms_per_page else round(1000 / run.ms_per_page, 1)
    return result


def repeats_for(system: str, repeats: int | None) -> int:
    """How many timed passes a system gets: ``--repeats`` if given, else 3."""
    if repeats is not None:
        return repeats
    return TRAFILATURA_REPEATS if system in TRAFILATURA_SYSTEMS else DEDUP_REPEATS


def run_systems(
    names: Sequence[str], pages: Sequence[Page], repeats: int | None, clock: Callable[[], float]
) -> dict[str, Run]:
    """The chosen systems over one set, timed together (`timed`); the uncleaned baseline is not timed (no work)."""
    chosen = {name: SYSTEMS[name] for name in names if name != "raw"}
    runs = timed(chosen, pages, {name: repeats_for(name, repeats) for name in chosen}, clock)
    if "raw" in names:
        runs["raw"] = Run(tuple(raw_text(pages)), None)
    return {name: runs[name] for name in names}


def bench_set(scorer: ModuleType, dataset: DataSet, args: argparse.Namespace, preds: Path) -> dict[str, Any]:
    """Every chosen system over one set: figures per system, and the worst pages of dedup's modes."""
    systems: dict[str, Any] = {}
    worst_pages: dict[str, Any] = {}
    names = chosen_systems(args.only)
    print(f"{dataset.name}: {', '.join(LABELS[name] for name in names)}, in turn ...", file=sys.stderr, flush=True)
    for name, run in run_systems(names, dataset.pages, args.repeats, CLOCKS[args.clock]).items():
        systems[name] = figures(scorer, dataset, run, preds / dataset.name / name, args.with_headline)
        if args.worst and name in DEDUP_SYSTEMS:
            worst_pages[name] = worst(scorer, dataset.pages, run.texts(args.with_headline), args.worst)
    result = {
        "pages": len(dataset.pages),
        "systems": systems,
        "speed_ratio": speed_ratios(systems),
        "worst": worst_pages,
    }
    if any(name in systems for name in DEDUP_SYSTEMS):
        result["decode_ms_per_page"] = decode_ms(dataset.pages, args.repeats, CLOCKS[args.clock])
    return result


def decode_ms(pages: Sequence[Page], repeats: int | None, clock: Callable[[], float]) -> dict[str, float]:
    """The ms/page of reading pages alone (`read_page`), text and HTML: part of each dedup mode's time above."""
    out = {}
    for kind, html in (("text", False), ("html", True)):

        def run(kind_html: bool = html) -> list[str]:
            return [_decoded(page, kind_html) for page in pages]

        times = []
        for _ in range(repeats_for("dedup-html", repeats)):
            start = clock()
            run()
            times.append((clock() - start) * 1000 / len(pages))
        out[kind] = round(min(times), 3)
    return out


def _decoded(page: Page, html: bool) -> str | bytes:
    """One page's bytes read as dedup's reader reads them; empty when they do not decode."""
    try:
        return read_page(page.html if html else page.text, f"{page.id}.{'html' if html else 'txt'}", html)
    except DedupError:
        return ""


def read_page(data: bytes, path: str, html: bool) -> str | bytes:
    """A page's body as dedup's reader makes it: text decoded; HTML kept as UTF-8 bytes where they are
    UTF-8 (`dedup.read.markup`), as a scan reads it."""
    return markup(data, path) if html else decode(data, path)


def chosen_systems(only: str | None) -> list[str]:
    """The systems to run, in table order; the uncleaned baseline always runs."""
    skipped = {"dedup": TRAFILATURA_SYSTEMS, "trafilatura": DEDUP_SYSTEMS}.get(only or "", ())
    return [name for name in SYSTEMS if name not in skipped]


def speed_ratios(systems: dict[str, Any]) -> dict[str, float]:
    """dedup HTML pages/s over each trafilatura variant's pages/s."""
    ours = (systems.get("dedup-html") or {}).get("ms_per_page")
    ratios = {}
    for name in TRAFILATURA_SYSTEMS:
        theirs = (systems.get(name) or {}).get("ms_per_page")
        if ours and theirs:
            ratios[f"dedup-html/{name}"] = round(theirs / ours, 1)  # pages/s ratio = inverse ms/page ratio
    return ratios


# ---- output -------------------------------------------------------------------------------------


def cell(value: float | None, digits: int) -> str:
    """A figure, or a dash when there is none."""
    return "-" if value is None else f"{value:.{digits}f}"


def table(results: dict[str, Any], with_headline: bool, clock: str = "cpu") -> str:
    """Systems down, per set F1 / P / R / ms/page / F1 scored the other way on headlines across, then ratios."""
    sets = list(results)
    names = [name for name in SYSTEMS if any(name in results[s]["systems"] for s in sets)]
    width = max(len(LABELS[name]) for name in names) + 2
    other, other_key = ("-hl", "f1_body") if with_headline else ("+hl", "f1_with_headline")
    titles = [f"{s} ({results[s]['pages']} pages)" for s in sets]
    head = " " * width + "".join(f"{title:<38}" for title in titles)
    sub = f"{'system':<{width}}" + "".join(f"{'F1':>6} {'P':>6} {'R':>6} {'ms/page':>9} {other:>6}  " for _ in sets)
    lines = [head.rstrip(), sub.rstrip()]
    for name in names:
        row = f"{LABELS[name]:<{width}}"
        for s in sets:
            fig = results[s]["systems"].get(name, {})
            row += f"{cell(fig.get('f1'), 3):>6} {cell(fig.get('precision'), 3):>6} {cell(fig.get('recall'), 3):>6}"
            row += f" {cell(fig.get('ms_per_page'), 2):>9} {cell(fig.get(other_key), 3):>6}  "
        lines.append(row.rstrip())
    lines += ["", headline_note(with_headline), CLOCK_NOTES[clock]]
    lines += ["", "pages/s, one core:"]
    lines += [f"  {s}: {rates_text(results[s]['systems'])}" for s in sets]
    if any(results[s]["speed_ratio"] for s in sets):
        lines += ["", "speed: dedup HTML pages/s over trafilatura's pages/s"]
        lines += [f"  {s}: {ratio_text(results[s]['speed_ratio'])}" for s in sets]
    if any("decode_ms_per_page" in results[s] for s in sets):
        lines += ["", "of dedup's ms/page, reading bytes (dedup.read: decode, or markup for HTML) takes:"]
        lines += [f"  {s}: {decode_text(results[s].get('decode_ms_per_page'))}" for s in sets]
    return "\n".join(lines)


CLOCK_NOTES = {
    "cpu": "ms/page: this process's CPU time, the fastest pass (--clock wall: the wall clock)",
    "wall": "ms/page: wall-clock time, the fastest pass (--clock cpu: this process's CPU time)",
}


def headline_note(with_headline: bool) -> str:
    """What the F1 columns score, as to dedup's headline line."""
    if with_headline:
        return "F1/P/R score dedup's whole text, headline line included (--with-headline); -hl: F1 of the body alone"
    return "F1/P/R score the article body, as the gold does (no headline line); +hl: dedup's F1 with its headline"


def decode_text(ms: dict[str, float] | None) -> str:
    """Decoding times as ``text 0.10 ms, HTML 1.80 ms``."""
    return f"text {ms['text']:.2f} ms, HTML {ms['html']:.2f} ms" if ms else "-"


def rates_text(systems: dict[str, Any]) -> str:
    """Each timed system's pages per second, as ``dedup text mode 330, ...``."""
    rates = [f"{LABELS[name]} {fig['pages_per_s']:.0f}" for name, fig in systems.items() if fig.get("pages_per_s")]
    return ", ".join(rates) or "-"


def ratio_text(ratios: dict[str, float]) -> str:
    """Speed ratios as ``trafilatura x7.1, trafilatura-precision x6.5``."""
    return ", ".join(f"{key.split('/')[1]} x{value}" for key, value in ratios.items()) or "-"


def worst_table(results: dict[str, Any]) -> str:
    """The worst pages by F1 for each dedup mode and set."""
    lines = []
    for s, result in results.items():
        for name, rows in result["worst"].items():
            width = max([len(r["id"]) for r in rows] + [2])
            lines += ["", f"worst pages by F1, {LABELS[name]}, {s}:", f"  {'id':<{width}} {'P':>6} {'R':>6} {'F1':>6}"]
            lines += [f"  {r['id']:<{width}} {r['precision']:>6.3f} {r['recall']:>6.3f} {r['f1']:>6.3f}" for r in rows]
    return "\n".join(lines)


def versions() -> dict[str, str]:
    """Versions of what was measured."""
    return common.versions("dedup", "trafilatura")


# ---- command line -------------------------------------------------------------------------------


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line's options."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help=f"folder of data sets (default: {DEFAULT_DATA})")
    ap.add_argument("--sets", nargs="+", default=list(DEFAULT_SETS), metavar="NAME", help="data sets to run")
    ap.add_argument("--only", choices=("dedup", "trafilatura"), help="run only these systems (and the baseline)")
    ap.add_argument("--repeats", type=int, metavar="N", help="timed passes per system (default: 3)")
    ap.add_argument(
        "--clock",
        choices=tuple(CLOCKS),
        default="cpu",
        help="time by this process's CPU time (default) or by the wall clock",
    )
    ap.add_argument("--worst", type=int, default=0, metavar="N", help="list the N worst pages of each dedup mode")
    ap.add_argument("--save-preds", type=Path, metavar="DIR", help="keep predictions in DIR/<set>/<system>/<id>.txt")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    ap.add_argument(
        "--with-headline",
        action="store_true",
        help="score dedup's text with its headline line kept (default: the body alone, as the gold sets hold it)",
    )
    args = ap.parse_args(argv)
    if args.repeats is not None and args.repeats < 1:
        ap.error("--repeats must be at least 1")
    return args


def bench(args: argparse.Namespace, preds: Path) -> dict[str, Any]:
    """Every set's results, keyed by set name."""
    if not args.data.is_dir():
        raise BenchError(f"{args.data}: data folder not found (pass --data DIR)")
    scorer = load_scorer(args.data)
    datasets = [load_set(args.data, name) for name in args.sets]
    return {dataset.name: bench_set(scorer, dataset, args, preds) for dataset in datasets}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print the table or the JSON object."""
    args = parse(argv)
    try:
        if args.save_preds:
            results = bench(args, args.save_preds)
        else:
            with tempfile.TemporaryDirectory(prefix="dedup-bench-") as tmp:
                results = bench(args, Path(tmp))
    except BenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        report = {"versions": versions(), "with_headline": args.with_headline, "clock": args.clock, "sets": results}
        print(json.dumps(report, indent=2))
    else:
        print(table(results, args.with_headline, args.clock) + worst_table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
