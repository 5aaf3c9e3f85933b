"""Measure ``dedup scan`` end to end as the corpus grows: time, articles/s, peak memory and index size.

    python benchmarks/scale.py [--sizes 10000,100000] [--seed S] [--work DIR] [--repeats N] [--new N]
                               [--systems NAME,...] [--workers N] [--timeout S] [--data DIR] [--json]

For each size N a JSONL corpus is written by ``benchmarks/corpus.py`` (seeded; kept under ``--work``,
default /tmp/dedup-scale, and reused by N and seed), then each system runs over it in a child process:

- ``dedup``: ``dedup scan articles.jsonl -f jsonl`` with the in-memory index;
- ``dedup-index``: the same with ``--index WORK/index-N.db`` (the persistent SQLite index, built afresh;
  its size on disk counts the -wal and -shm files);
- ``datasketch``: the obvious pipeline a user would write, run as a small script: read the JSONL, lowercased
  whitespace word 5-grams, datasketch ``MinHash(num_perm=128)`` (default hash, ``update_batch``),
  ``MinHashLSH(threshold=0.5)`` queried then inserted, union-find over the hits;
- ``incremental``: ``--new`` (default 10,000) new articles, articles N..N+9,999 of the same seeded stream
  (so their reprints copy the corpus's latest originals), scanned with ``--index`` against a copy of the
  index ``dedup-index`` built (choosing it runs ``dedup-index`` too; it is skipped if that was stopped).

If ``dedup scan --help`` lists ``--workers``, dedup runs with ``--workers N`` (default 2). Reports go to
``WORK/out/<system>-N.jsonl`` (read back for quality), the child's stderr next to them. Seconds are the median
over ``--repeats`` (default 1, systems taken in turn) of the child's wall time; peak RSS is the largest sum of
RSS over the child and its own children (dedup's workers), polled every 0.1 s. A run past ``--timeout`` is
stopped and shows the rate it had reached: articles committed to the index, or else the share of its input
file read, per second. Quality, from each report and the corpus labels: the share of reprints put in one
cluster with their original, and purity (the share of clustered articles whose story is their cluster's most
common one). Growth: k in cost ~ N^k between consecutive sizes, and a projection to 1M articles by it.
Every figure comes from this one run. The table (or ``--json``) goes to stdout, progress to stderr.
Exit codes: 0 ok, 1 a run failed, 2 usage or missing data.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import math
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from contextlib import closing
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import versions
from corpus import DEFAULT_DATA, SWAP, CorpusError, generate

ROOT = Path(__file__).resolve().parents[1]
DEDUP = Path(sys.executable).parent / "dedup"
DEFAULT_WORK = Path("/tmp/dedup-scale")
DEFAULT_SIZES = "10000,100000"
SYSTEMS = ("dedup", "dedup-index", "datasketch", "incremental")
NEW = 10_000
COPY_SHARE = 0.3
POLL = 0.1
MIB = 1 << 20
BASELINE = '''"""The obvious pipeline: datasketch MinHash of word 5-grams, MinHashLSH, union-find. argv: IN.jsonl"""

import json
import sys

from datasketch import MinHash, MinHashLSH


def find(parent, x):
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def main(source):
    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    parent = {}
    with open(source, encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            words = record["text"].lower().split()
            shingles = {" ".join(words[i : i + 5]).encode("utf-8") for i in range(max(1, len(words) - 4))}
            minhash = MinHash(num_perm=128)
            minhash.update_batch(list(shingles))
            doc = parent[record["id"]] = record["id"]
            for other in lsh.query(minhash):
                parent[find(parent, other)] = find(parent, doc)
            lsh.insert(doc, minhash)
    roots = {doc: find(parent, doc) for doc in parent}
    sizes = {}
    for root in roots.values():
        sizes[root] = sizes.get(root, 0) + 1
    for doc, root in roots.items():
        sys.stdout.write(json.dumps({"id": doc, "cluster": root if sizes[root] > 1 else None}) + "\\n")


main(sys.argv[1])
'''


class BenchError(Exception):
    """A usage problem or a failed run; the message names the command or path."""


@dataclass(frozen=True, slots=True)
class Measure:
    """One child run: its wall time, the peak RSS of its process tree, whether it was stopped, how far it read."""

    seconds: float
    peak_rss: int
    stopped: bool
    read: float | None = None  # share of the input file read when it was stopped, if known


@dataclass(frozen=True, slots=True)
class Row:
    """One system at one size: the table's figures (None: not measured; if stopped, per_s is the rate seen)."""

    n: int
    system: str
    articles: int
    seconds: float
    per_s: float | None
    rss_mib: float
    index_mib: float | None
    found: float | None
    purity: float | None
    stopped: bool


@dataclass(frozen=True, slots=True)
class Corpus:
    """A corpus on disk: its JSONL articles and labels."""

    articles: Path
    labels: Path
    n: int


# ---- corpora ------------------------------------------------------------------------------------


def corpus(work: Path, name: str, n: int, args: argparse.Namespace, first: int = 0) -> Corpus:
    """Articles `first`..`n`-1 of the seed's stream under WORK/NAME, written unless an identical one is there."""
    folder = work / name
    settings = {"n": n, "first": first, "seed": args.seed, "copy_share": COPY_SHARE, "swap": SWAP}
    done = folder / "done.json"
    if not (done.exists() and json.loads(done.read_text()) == settings):
        print(f"corpus: writing {n - first:,} articles to {folder} ...", file=sys.stderr, flush=True)
        shutil.rmtree(folder, ignore_errors=True)
        generate(folder, n, args.seed, fmt="jsonl", copy_share=COPY_SHARE, first=first, data=args.data)
        done.write_text(json.dumps(settings))
    return Corpus(folder / "articles.jsonl", folder / "labels.jsonl", n - first)


# ---- children -----------------------------------------------------------------------------------


def tree_rss(process: psutil.Process) -> int:
    """The RSS of a process and all its children, in bytes (0 for any that has gone)."""
    total = 0
    for member in [process, *process.children(recursive=True)]:
        try:
            total += member.memory_info().rss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return total


def stop(process: psutil.Process) -> None:
    """Kill a child this script started, and its own children."""
    for member in [*process.children(recursive=True), process]:
        try:
            member.kill()
        except psutil.NoSuchProcess:
            continue
    process.wait()


def position(process: psutil.Process, source: Path) -> int | None:
    """How far the process has read into a file it holds open (None: it does not hold it)."""
    try:
        return next((f.position for f in process.open_files() if f.path == str(source)), None)
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return None


def run(command: Sequence[str], out: Path, timeout: float | None, source: Path) -> Measure:
    """Run a command reading `source`, stdout to `out`, polling its memory; stop it after `timeout` seconds."""
    log = out.with_suffix(".err")
    with out.open("wb") as stdout, log.open("wb") as stderr:
        start = time.perf_counter()
        process = psutil.Popen(list(command), stdout=stdout, stderr=stderr)
        peak, at = 0, None
        while process.poll() is None:
            peak = max(peak, tree_rss(process))
            at = position(process, source) or at
            if timeout and time.perf_counter() - start > timeout:
                stop(process)
                read = None if at is None else at / source.stat().st_size
                return Measure(time.perf_counter() - start, peak, stopped=True, read=read)
            time.sleep(POLL)
        seconds = time.perf_counter() - start
    if process.returncode != 0:
        raise BenchError(f"{' '.join(command)}: exit {process.returncode}; see {log}")
    return Measure(seconds, peak, stopped=False)


def workers_option(workers: int) -> list[str]:
    """``--workers N`` when ``dedup scan`` takes it, else nothing."""
    shown = subprocess.run([str(DEDUP), "scan", "--help"], capture_output=True, text=True, check=False).stdout
    return ["--workers", str(workers)] if "--workers" in shown else []


def index_files(path: Path) -> list[Path]:
    """A SQLite index file and its -wal and -shm companions."""
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]


def index_size(path: Path) -> int:
    """The bytes a SQLite index takes on disk, companions included."""
    return sum(file.stat().st_size for file in index_files(path) if file.exists())


def remove_index(path: Path) -> None:
    """Delete a SQLite index and its companions."""
    for file in index_files(path):
        file.unlink(missing_ok=True)


def copy_index(source: Path, target: Path) -> None:
    """Copy a closed SQLite index and its companions."""
    remove_index(target)
    for file, copy in zip(index_files(source), index_files(target), strict=True):
        if file.exists():
            shutil.copyfile(file, copy)


# ---- systems ------------------------------------------------------------------------------------


@dataclass
class Size:
    """What the runs at one size share: the corpora, the work folder, dedup's extra options."""

    n: int
    big: Corpus
    new: Corpus | None
    work: Path
    extra: list[str]
    timeout: float | None
    index_built: bool = False

    @property
    def index(self) -> Path:
        """The index ``dedup-index`` builds over the corpus."""
        return self.work / f"index-{self.n}.db"

    def out(self, system: str) -> Path:
        """Where a system's report of this size goes."""
        return self.work / "out" / f"{system}-{self.n}.jsonl"


def scan_command(articles: Path, extra: Sequence[str], index: Path | None = None) -> list[str]:
    """``dedup scan`` over a JSONL file, reporting JSONL, with or without a persistent index."""
    with_index = ["--index", str(index)] if index else []
    return [str(DEDUP), "scan", str(articles), "-f", "jsonl", *extra, *with_index]


def build_index(size: Size) -> Measure:
    """``dedup scan --index`` over the corpus, into a fresh index file."""
    remove_index(size.index)
    command = scan_command(size.big.articles, size.extra, size.index)
    measure = run(command, size.out("dedup-index"), size.timeout, size.big.articles)
    size.index_built = not measure.stopped
    count = indexed(size.index) if measure.stopped else None
    if count is not None:  # what it had committed says how far it got better than where it was reading
        return replace(measure, read=count / size.n)
    return measure


def indexed(path: Path) -> int | None:
    """How many articles a SQLite index holds as of its last commit (None: no readable index)."""
    if not path.exists():
        return None
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            return int(db.execute("SELECT COUNT(*) FROM documents").fetchone()[0])
    except sqlite3.Error:
        return None


def incremental(size: Size) -> Measure:
    """The new articles scanned against a copy of the index ``dedup-index`` built over the corpus."""
    if size.new is None:
        raise BenchError("incremental: no new articles")
    if not size.index_built:
        raise BenchError(f"{size.index}: no index built to add to")
    copy = size.work / f"index-{size.n}-incremental.db"
    copy_index(size.index, copy)
    command = scan_command(size.new.articles, size.extra, copy)
    return run(command, size.out("incremental"), size.timeout, size.new.articles)


def measure(system: str, size: Size) -> Measure:
    """One timed run of a system at one size."""
    if system == "dedup":
        return run(scan_command(size.big.articles, size.extra), size.out(system), size.timeout, size.big.articles)
    if system == "dedup-index":
        return build_index(size)
    if system == "incremental":
        return incremental(size)
    script = size.work / "baseline.py"
    script.write_text(BASELINE, encoding="utf-8")
    command = [sys.executable, str(script), str(size.big.articles)]
    return run(command, size.out(system), size.timeout, size.big.articles)


def index_mib(system: str, size: Size) -> float | None:
    """The size on disk of the index a system leaves, in MiB (None: it keeps none)."""
    if system == "dedup-index":
        return index_size(size.index) / MIB
    if system == "incremental":
        return index_size(size.work / f"index-{size.n}-incremental.db") / MIB
    return None


# ---- quality ------------------------------------------------------------------------------------


def read_labels(paths: Iterable[Path]) -> dict[str, str]:
    """Each article's story, from corpus label files."""
    stories = {}
    for path in paths:
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                record = json.loads(line)
                stories[record["id"]] = record["story"]
    return stories


def read_clusters(path: Path) -> dict[str, str | None]:
    """Each reported article's cluster, from a JSONL report (``{"id", "cluster", ...}`` a line)."""
    with path.open(encoding="utf-8") as lines:
        return {record["id"]: record["cluster"] for record in map(json.loads, lines)}


def quality(report: Path, scanned: dict[str, str], stories: dict[str, str]) -> tuple[float | None, float]:
    """Share of the scanned reprints clustered with their original; purity of the clusters reported."""
    cluster = read_clusters(report)
    reprints = [doc for doc, story in scanned.items() if story != doc]
    found = sum(1 for doc in reprints if cluster.get(doc) and cluster.get(doc) == cluster.get(scanned[doc]))
    members: dict[str, list[str]] = defaultdict(list)
    for doc, name in cluster.items():
        if name:
            members[name].append(stories.get(doc, doc))
    clustered = sum(len(group) for group in members.values())
    stray = sum(len(group) - Counter(group).most_common(1)[0][1] for group in members.values())
    return (found / len(reprints) if reprints else None), (1 - stray / clustered if clustered else 1.0)


# ---- one size -----------------------------------------------------------------------------------


def label(system: str, extra: Sequence[str]) -> str:
    """A system's name in the table, with dedup's worker count when it was passed."""
    workers = f", {extra[1]} workers" if extra else ""
    names = {"dedup": "dedup in-memory", "dedup-index": "dedup --index", "incremental": "incremental --index"}
    return "datasketch pipeline" if system == "datasketch" else names[system] + workers


def row(system: str, size: Size, runs: list[Measure], scanned: dict[str, str], stories: dict[str, str]) -> Row:
    """A system's figures at one size: median seconds, largest peak RSS, index size, quality."""
    corpus_of = size.new if system == "incremental" and size.new else size.big
    stopped = any(m.stopped for m in runs)
    seconds = statistics.median(m.seconds for m in runs)
    found, purity = (None, None) if stopped else quality(size.out(system), scanned, stories)
    done = next((m.read for m in runs if m.stopped), 1.0)  # a stopped run's rate: the share it read, per second
    return Row(
        n=size.n,
        system=system,
        articles=corpus_of.n,
        seconds=round(seconds, 2),
        per_s=None if done is None else round(corpus_of.n * done / seconds, 1),
        rss_mib=round(max(m.peak_rss for m in runs) / MIB, 1),
        index_mib=None if stopped else rounded(index_mib(system, size), 1),
        found=rounded(found, 4),
        purity=rounded(purity, 4),
        stopped=stopped,
    )


def rounded(value: float | None, digits: int) -> float | None:
    """A figure rounded, or None."""
    return None if value is None else round(value, digits)


def bench_size(n: int, args: argparse.Namespace, extra: list[str], notes: list[str]) -> list[Row]:
    """Every chosen system at one size, round-robin over the repeats (a noisy moment hits them alike)."""
    big = corpus(args.work, f"corpus-{n}-s{args.seed}", n, args)
    new = None
    if "incremental" in args.systems:
        new = corpus(args.work, f"new-{n}+{args.new}-s{args.seed}", n + args.new, args, first=n)
    size = Size(n, big, new, args.work, extra, args.timeout)
    (args.work / "out").mkdir(parents=True, exist_ok=True)
    runs: dict[str, list[Measure]] = defaultdict(list)
    for repeat in range(args.repeats):
        for system in args.systems:
            if any(m.stopped for m in runs[system]):
                continue
            if system == "incremental" and not size.index_built:
                notes.append(f"{n:,}: incremental not run: the index build (dedup --index) was stopped")
                continue
            print(f"{n:,}: {label(system, extra)}, run {repeat + 1} ...", file=sys.stderr, end=" ", flush=True)
            runs[system].append(measure(system, size))
            done = runs[system][-1]
            print(f"{done.seconds:.1f} s{' (stopped)' if done.stopped else ''}", file=sys.stderr, flush=True)
    return rows_of(size, runs)


def rows_of(size: Size, runs: dict[str, list[Measure]]) -> list[Row]:
    """The table rows of one size, quality checked against the corpus labels."""
    big = read_labels([size.big.labels])
    rows = [row(system, size, measures, big, big) for system, measures in runs.items() if system != "incremental"]
    if runs.get("incremental") and size.new:
        new = read_labels([size.new.labels])
        rows.append(row("incremental", size, runs["incremental"], new, big | new))
    return rows


# ---- summaries ----------------------------------------------------------------------------------


def find_row(rows: Sequence[Row], n: int, system: str) -> Row | None:
    """The row of a system at a size, if it ran to the end."""
    return next((r for r in rows if r.n == n and r.system == system and not r.stopped), None)


def speed_ratios(rows: Sequence[Row]) -> dict[str, float]:
    """Per size: the datasketch pipeline's seconds over each dedup full scan's seconds (x faster)."""
    ratios = {}
    for n in sorted({r.n for r in rows}):
        theirs = find_row(rows, n, "datasketch")
        for system in ("dedup", "dedup-index"):
            ours = find_row(rows, n, system)
            if ours and theirs:
                ratios[f"{n}:{system}/datasketch"] = round(theirs.seconds / ours.seconds, 2)
    return ratios


def exponent(a: float | None, b: float | None, n_a: int, n_b: int) -> float | None:
    """k in b/a = (n_b/n_a)^k: 1 is linear growth, 2 quadratic."""
    if not a or not b or n_a == n_b:
        return None
    return round(math.log(b / a) / math.log(n_b / n_a), 2)


def growth(rows: Sequence[Row]) -> dict[str, dict[str, Any]]:
    """Per full-scan system and pair of consecutive sizes: the growth exponents of time, RSS and index size."""
    sizes = sorted({r.n for r in rows})
    found: dict[str, dict[str, Any]] = {}
    for system in ("dedup", "dedup-index", "datasketch"):
        for small, big in itertools.pairwise(sizes):
            a, b = find_row(rows, small, system), find_row(rows, big, system)
            if a and b:
                found[f"{system}:{small}-{big}"] = {
                    "seconds": exponent(a.seconds, b.seconds, small, big),
                    "rss": exponent(a.rss_mib, b.rss_mib, small, big),
                    "index": exponent(a.index_mib, b.index_mib, small, big),
                    "per_s_ratio": round(b.per_s / a.per_s, 3) if a.per_s and b.per_s else None,
                }
    return found


def projection(rows: Sequence[Row], grown: dict[str, dict[str, Any]], target: int = 1_000_000) -> dict[str, Any]:
    """Seconds and RSS at `target` articles, extrapolated from the largest size by the last growth exponents."""
    projected = {}
    for key, exps in grown.items():
        system, span = key.split(":")
        big = int(span.split("-")[1])
        last = find_row(rows, big, system)
        if last is None or big >= target or exps["seconds"] is None:
            continue
        scale = target / big
        rss = last.rss_mib * scale ** exps["rss"] if exps["rss"] is not None else None
        projected[system] = {"seconds": round(last.seconds * scale ** exps["seconds"]), "rss_mib": rounded(rss, 0)}
    return projected


# ---- output -------------------------------------------------------------------------------------


def cell(value: float | None, spec: str) -> str:
    """A figure, or a dash when there is none."""
    return "-" if value is None else format(value, spec)


def table_line(r: Row, extra: Sequence[str]) -> str:
    """One row of the table."""
    seconds, rate = (f">{r.seconds:.0f}", f"~{cell(r.per_s, ',.0f')}") if r.stopped else (f"{r.seconds:.1f}", "")
    return (
        f"{r.n:>9,}  {label(r.system, extra):<30} {r.articles:>9,} {seconds:>9} {rate or cell(r.per_s, ',.0f'):>10}"
        f" {r.rss_mib:>9,.0f} {cell(r.index_mib, ',.0f'):>9} {cell(r.found, '.3f'):>8} {cell(r.purity, '.3f'):>7}"
    )


def table(result: dict[str, Any], extra: Sequence[str]) -> str:
    """The rows, then the speed ratios, the growth exponents and the 1M projection."""
    rows = [Row(**r) for r in result["rows"]]
    head = f"{'N':>9}  {'system':<30} {'articles':>9} {'seconds':>9} {'art/s':>10} {'RSS MiB':>9} {'index MiB':>9}"
    lines = [head + f" {'reprints':>8} {'purity':>7}"] + [table_line(r, extra) for r in rows]
    if any(r.stopped for r in rows):
        lines += ["", "> stopped at --timeout; ~ the rate it had reached (articles indexed, or input read, per second)"]
    lines += [f"note: {note}" for note in result["notes"]]
    lines += ["", "speed: datasketch pipeline seconds / dedup seconds (x faster)"]
    lines += [f"  {key.replace(':', ': ')} x{value}" for key, value in result["speed"].items()] or ["  -"]
    lines += ["", "growth exponent k (cost ~ N^k; 1 = linear) and articles/s ratio, between consecutive sizes"]
    for key, g in result["growth"].items():
        k = ", ".join(f"{name} {cell(g[name], '.2f')}" for name in ("seconds", "rss", "index"))
        lines.append(f"  {key.replace(':', ' ')}: {k}; articles/s x{cell(g['per_s_ratio'], '.2f')}")
    if result["projection"]:
        lines += ["", "projected at 1,000,000 articles by those exponents (targets: < 600 s, < 4,096 MiB)"]
        for system, p in result["projection"].items():
            lines.append(f"  {system}: ~{p['seconds']:,} s, ~{cell(p['rss_mib'], ',.0f')} MiB")
    return "\n".join(lines)


def commit() -> str:
    """The project's git commit, marked ``+dirty`` with uncommitted changes (the code measured may move)."""
    git = ["git", "-C", str(ROOT)]
    head = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False)
    dirty = subprocess.run([*git, "status", "--porcelain", "--", "dedup"], capture_output=True, text=True, check=False)
    return (head.stdout.strip() or "unknown") + ("+dirty" if dirty.stdout.strip() else "")


def source_digest() -> str:
    """A digest of dedup's source files: if it differs after the run, the runs measured different code."""
    digest = hashlib.sha1()
    for path in sorted((ROOT / "dedup").rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


# ---- command line -------------------------------------------------------------------------------


def sizes_arg(text: str) -> list[int]:
    """``10000,100000`` as a list of sizes."""
    try:
        sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r}: expected sizes like 10000,100000") from exc
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: sizes must be positive")
    return sorted(set(sizes))


def systems_arg(text: str) -> list[str]:
    """``dedup,datasketch`` as a list of systems, in table order."""
    chosen = {part.strip() for part in text.split(",") if part.strip()}
    if not chosen or chosen - set(SYSTEMS):
        raise argparse.ArgumentTypeError(f"{text!r}: choose from {', '.join(SYSTEMS)}")
    if "incremental" in chosen:
        chosen.add("dedup-index")  # it adds to the index that run builds
    return [system for system in SYSTEMS if system in chosen]


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line's options."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=sizes_arg, default=sizes_arg(DEFAULT_SIZES), help=f"default: {DEFAULT_SIZES}")
    ap.add_argument("--seed", type=int, default=1, help="corpus seed (default: 1)")
    ap.add_argument(
        "--work", type=Path, default=DEFAULT_WORK, help=f"corpora, indexes, reports (default: {DEFAULT_WORK})"
    )
    ap.add_argument("--repeats", type=int, default=1, help="timed runs per system and size (default: 1)")
    ap.add_argument("--new", type=int, default=NEW, help=f"new articles for the incremental run (default: {NEW})")
    ap.add_argument("--systems", type=systems_arg, default=list(SYSTEMS), help=f"default: {','.join(SYSTEMS)}")
    ap.add_argument("--workers", type=int, default=2, help="dedup's --workers, if it has one (default: 2)")
    ap.add_argument("--timeout", type=float, help="stop a run after this many seconds (default: never)")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help=f"folder of data sets (default: {DEFAULT_DATA})")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    args = ap.parse_args(argv)
    if args.repeats < 1 or args.new < 1 or args.workers < 0:
        ap.error("--repeats and --new must be at least 1, --workers at least 0")
    return args


def bench(args: argparse.Namespace, extra: list[str]) -> dict[str, Any]:
    """Every size's rows, with the ratios, growth and projection drawn from them."""
    if not DEDUP.exists():
        raise BenchError(f"{DEDUP}: dedup's command not found next to this Python")
    args.work.mkdir(parents=True, exist_ok=True)
    notes: list[str] = []
    rows = [r for n in args.sizes for r in bench_size(n, args, extra, notes)]
    grown = growth(rows)
    return {
        "notes": notes,
        "rows": [asdict(r) for r in rows],
        "speed": speed_ratios(rows),
        "growth": grown,
        "projection": projection(rows, grown),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print the table or the JSON object."""
    args = parse(argv)
    extra = workers_option(args.workers) if DEDUP.exists() else []
    measured, digest = commit(), source_digest()
    try:
        result = bench(args, extra)
        if source_digest() != digest:
            result["notes"].append(f"dedup's source changed during the run (from {measured} to {commit()})")
    except CorpusError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.json:
        settings = {"sizes": args.sizes, "seed": args.seed, "repeats": args.repeats, "dedup_options": extra}
        report = {"versions": versions("dedup", "datasketch", "psutil"), "commit": measured, "settings": settings}
        print(json.dumps({**report, **result}, indent=2))
    else:
        print(f"dedup at {measured}\n" + table(result, extra))
    return 0


if __name__ == "__main__":
    sys.exit(main())
