"""Measure how fast dedup signs articles, side by side with datasketch and rensa, in one run (issue #5).

    python benchmarks/signatures.py [--data DIR] [--n N] [--repeats N] [--json]

The texts are the real article bodies of ``DIR/*/gold.jsonl``, repeated in order to make ``--n`` texts.
Every system turns each text into a 128-permutation MinHash on one core (rensa's thread pool is held to
one thread); the systems take turns, pass by pass, so the machine's noise falls on all of them alike:

- ours: ``Signer().sign`` per text, all of it (normalisation, shingles, MinHash, sketch, names MinHash);
- datasketch, the obvious loop: ``text.lower().split()`` word 3-grams joined by spaces and encoded, then
  ``MinHash(num_perm=128, scheme=SCHEME)`` (default SHA-1 hash) and ``update_batch`` per text;
- datasketch ``MinHash.bulk`` over every text's 3-grams (it copies one initialised MinHash instead of
  drawing the permutations again for each text);
- datasketch with our shingles and ``hashfunc=shingle_hash``: the path whose output is identical to ours,
  for the record; it is slow, so it runs over each distinct body once per pass instead of all ``--n`` texts,
  in at most 3 passes;
- rensa (a Rust MinHash): ``RMinHash(128, 1)``, ``update`` with the same 3-grams as strings, ``digest``;
  another hash, so other values: the speed ceiling to approach.

Two reference rows say where time goes: our MinHash step alone (``Signer()._minhash`` on shingle hashes
computed beforehand) and the lowercase/split/join 3-grams alone, which every Python-tokenising system pays;
on these rows ours/system reads as the share of our time the part takes. Each row gives the median seconds
of a pass over its texts, articles/s, CPU over wall time (1.00: one core) and ours/system, our articles/s
over the system's (above 1: ours is faster). It also checks once that the record path gives exactly our
hash values on the first 50 texts. The table (or ``--json``) goes
to stdout, progress to stderr. Exit codes: 0 ok, 2 usage or missing data.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import itertools
import json
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import common
import numpy as np
import numpy.typing as npt
from datasketch import MinHash

from dedup.normalise import tokens
from dedup.sign import SCHEME, Signer, combine, shingle_hash, shingles, word_hashes

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
DEFAULT_N = 2000
DEFAULT_REPEATS = 5
NUM_PERM = 128
SEED = 1
GRAM = 3
IDENTITY_TEXTS = 50
OURS = "ours"
RECORD_PASSES = 3  # the identical-output path is there for the record, not raced: 3 passes keep a run near 2 min


class BenchError(Exception):
    """A usage problem: no data folder, or no article bodies in it; the message names the path."""


@dataclass(frozen=True, slots=True)
class System:
    """One row of the table: its label, the timed work over a list of inputs, and the untimed preparation.

    ``prepare`` turns texts into what ``run`` takes (the texts themselves for every real system);
    ``distinct`` systems are too slow for all the texts and get each distinct body once instead, in at
    most ``most_passes`` passes; ``reference`` rows are not rival systems but parts of one, to show where time goes.
    """

    label: str
    run: Callable[[Sequence[Any]], object]
    prepare: Callable[[Sequence[str]], Sequence[Any]] = list
    distinct: bool = False
    most_passes: int | None = None
    reference: bool = False


@dataclass(frozen=True, slots=True)
class Timing:
    """The passes of one system: how many texts each covered, wall seconds and CPU seconds per pass."""

    texts: int
    wall: tuple[float, ...]
    cpu: tuple[float, ...]

    @property
    def median(self) -> float:
        """Median wall seconds of a pass."""
        return statistics.median(self.wall)

    @property
    def per_second(self) -> float:
        """Articles per second at the median pass."""
        return self.texts / self.median

    @property
    def cores(self) -> float:
        """CPU seconds over wall seconds, summed over the passes: 1.00 is one busy core."""
        return sum(self.cpu) / sum(self.wall)


# ---- systems: texts in, MinHash values out ------------------------------------------------------


def word_grams(text: str) -> list[str]:
    """The obvious shingles: lowercased, whitespace-split word 3-grams joined by spaces."""
    found = text.lower().split()
    return [" ".join(found[i : i + GRAM]) for i in range(len(found) - GRAM + 1)]


def byte_grams(text: str) -> list[bytes]:
    """The obvious shingles, encoded, as datasketch's default SHA-1 hash takes them."""
    return [gram.encode("utf-8") for gram in word_grams(text)]


def ours(texts: Sequence[str]) -> list[Any]:
    """dedup's signatures, as the pipeline makes them (one Signer, ``sign`` per article)."""
    signer = Signer()
    return [signer.sign(str(i), text) for i, text in enumerate(texts)]


def ours_grams(texts: Sequence[str]) -> list[Any]:
    """dedup's vectorised MinHash over the obvious 3-grams (the words of ``text.lower().split()``, found
    in numpy): the loop's input, text in and MinHash out, like for like."""
    signer = Signer()
    return [signer.text_hashvalues(text.lower()) for text in texts]


def ours_minhash(hash_sets: Sequence[npt.NDArray[np.uint32]]) -> list[npt.NDArray[np.uint32]]:
    """dedup's MinHash step alone, over each article's distinct shingle hashes."""
    signer = Signer()
    return [signer._minhash(hashes) for hashes in hash_sets]


def shingle_hashes(texts: Sequence[str]) -> list[npt.NDArray[np.uint32]]:
    """Each text's distinct shingle hashes as ``Signer.sign`` computes them (untimed: the input of the above)."""
    done: dict[str, npt.NDArray[np.uint32]] = {}
    for text in texts:
        if text not in done:
            done[text] = np.unique(combine(word_hashes(tokens(text)), GRAM))
    return [done[text] for text in texts]


def datasketch_loop(texts: Sequence[str]) -> list[Any]:
    """The obvious datasketch loop: a new MinHash per text, updated with its 3-grams in one batch."""
    minhashes = []
    for text in texts:
        minhash = MinHash(num_perm=NUM_PERM, scheme=SCHEME)
        minhash.update_batch(byte_grams(text))
        minhashes.append(minhash)
    return minhashes


def datasketch_bulk(texts: Sequence[str]) -> list[Any]:
    """datasketch's bulk constructor over every text's 3-grams."""
    return MinHash.bulk([byte_grams(text) for text in texts], num_perm=NUM_PERM, scheme=SCHEME)  # type: ignore[no-any-return]


def datasketch_ours(texts: Sequence[str]) -> list[Any]:
    """datasketch fed our shingles and our hash: the same values as ours, one shingle at a time."""
    minhashes = []
    for text in texts:
        minhash = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, hashfunc=shingle_hash)
        minhash.update_batch(shingles(text))
        minhashes.append(minhash)
    return minhashes


def rensa_loop(texts: Sequence[str]) -> list[Any]:
    """rensa's MinHash per text, updated with the same 3-grams as strings."""
    from rensa import RMinHash  # type: ignore[import-untyped]

    digests = []
    for text in texts:
        minhash = RMinHash(NUM_PERM, SEED)
        minhash.update(word_grams(text))
        digests.append(minhash.digest())
    return digests


def grams_only(texts: Sequence[str]) -> list[list[str]]:
    """The 3-grams alone, no hashing: the floor under any system that shingles in Python."""
    return [word_grams(text) for text in texts]


def systems() -> dict[str, System]:
    """The rows of the table, in order; ``MinHash.bulk`` only where this datasketch has it, rensa if installed."""
    rows = {
        OURS: System("ours: Signer().sign", ours),
        "ours-grams": System("ours on the same 3-grams: Signer().text_hashvalues", ours_grams),
        "ours-minhash": System("ours, MinHash step only", ours_minhash, prepare=shingle_hashes, reference=True),
        "datasketch-loop": System("datasketch loop, SHA-1", datasketch_loop),
        "datasketch-bulk": System("datasketch MinHash.bulk, SHA-1", datasketch_bulk),
        "datasketch-ours": System(
            "datasketch, our shingles+hash", datasketch_ours, distinct=True, most_passes=RECORD_PASSES
        ),
        "rensa": System("rensa RMinHash", rensa_loop),
        "grams": System("3-grams only, no hash", grams_only, reference=True),
    }
    if not callable(getattr(MinHash, "bulk", None)):
        del rows["datasketch-bulk"]
    if importlib.util.find_spec("rensa") is None:
        print("warning: rensa is not installed (pip install -e '.[bench]'): no rensa row", file=sys.stderr)
        del rows["rensa"]
    return rows


# ---- data, identity, timing ---------------------------------------------------------------------


def load_bodies(data: Path) -> list[str]:
    """Every non-empty article body of ``data/*/gold.jsonl``, sets in name order, lines in file order."""
    if not data.is_dir():
        raise BenchError(f"{data}: data folder not found (pass --data DIR)")
    bodies = []
    for path in sorted(data.glob("*/gold.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            text = json.loads(line).get("text") if line.strip() else None
            if text and text.strip():
                bodies.append(text)
    if not bodies:
        raise BenchError(f"{data}: no article bodies in */gold.jsonl")
    return bodies


def identical(texts: Sequence[str]) -> bool:
    """Whether datasketch with our shingles and hash gives exactly our hash values on every text."""
    signer = Signer()
    grams = [MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, hashfunc=shingle_hash) for _ in texts]
    for minhash, text in zip(grams, texts, strict=True):
        minhash.update_batch(byte_grams(text))
    return all(
        np.array_equal(signer.sign("x", text).hashvalues, reference.hashvalues)
        and np.array_equal(signer.text_hashvalues(text.lower()), on_grams.hashvalues)
        for text, reference, on_grams in zip(texts, datasketch_ours(texts), grams, strict=True)
    )


def timed_pass(system: System, inputs: Sequence[Any]) -> tuple[float, float]:
    """Wall and CPU seconds of one pass, after collecting the garbage the previous pass left."""
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    system.run(inputs)
    return time.perf_counter() - wall, time.process_time() - cpu


def race(rows: dict[str, System], texts: list[str], repeats: int) -> dict[str, Timing]:
    """Every system's passes, taken in turns and in a rotating order so drift in the machine hits all alike."""
    distinct = list(dict.fromkeys(texts))
    inputs = {key: row.prepare(distinct if row.distinct else texts) for key, row in rows.items()}
    for key, row in rows.items():
        row.run(inputs[key][:2])  # lazy imports, cached permutations: outside the clock
    passes: dict[str, list[tuple[float, float]]] = {key: [] for key in rows}
    keys = list(rows)
    for turn in range(repeats):
        print(f"pass {turn + 1}/{repeats} ...", file=sys.stderr, flush=True)
        shift = turn % len(keys)
        for key in keys[shift:] + keys[:shift]:
            if len(passes[key]) < (rows[key].most_passes or repeats):
                passes[key].append(timed_pass(rows[key], inputs[key]))
    return {key: timing(len(inputs[key]), passes[key]) for key in rows}


def timing(texts: int, passes: list[tuple[float, float]]) -> Timing:
    """A system's passes gathered into one record."""
    return Timing(texts, tuple(wall for wall, _ in passes), tuple(cpu for _, cpu in passes))


# ---- output -------------------------------------------------------------------------------------


def figures(rows: dict[str, System], timings: dict[str, Timing]) -> dict[str, dict[str, Any]]:
    """Each system's figures; ``ours_over_system`` is our articles/s over its articles/s."""
    ours_speed = timings[OURS].per_second
    return {
        key: {
            "label": rows[key].label,
            "reference": rows[key].reference,
            "texts": t.texts,
            "median_s": round(t.median, 4),
            "articles_per_s": round(t.per_second, 1),
            "cpu_over_wall": round(t.cores, 2),
            "ours_over_system": round(ours_speed / t.per_second, 3),
            "pass_s": [round(wall, 4) for wall in t.wall],
        }
        for key, t in timings.items()
    }


def headline(results: dict[str, Any]) -> list[str]:
    """Issue #5's ratios: (a) against datasketch's bulk path, target >= 10x (for `Signer.sign`, and for
    `Signer.text_hashvalues` on the same 3-grams); (c) against rensa."""
    found = results["systems"]
    lines = []
    if "datasketch-bulk" in found:
        ratio = found["datasketch-bulk"]["ours_over_system"]
        lines.append(
            f"(a) ours vs datasketch MinHash.bulk: {ratio:.2f}x (target >= 10x: {'met' if ratio >= 10 else 'not met'})"
        )
        if found.get("ours-grams", {}).get("ours_over_system"):  # the same 3-grams: MinHash against MinHash
            same = ratio / found["ours-grams"]["ours_over_system"]
            met = "met" if same >= 10 else "not met"
            lines.append(f"    text_hashvalues vs MinHash.bulk:  {same:.2f}x (target >= 10x: {met})")
    if "rensa" in found:
        lines.append(f"(c) ours vs rensa (the ceiling):     {found['rensa']['ours_over_system']:.2f}x")
    return lines


def table(results: dict[str, Any]) -> str:
    """One line of what was measured, the systems down with their figures across, then the headline ratios."""
    corpus, found = results["corpus"], results["systems"]
    width = max(len(row["label"]) for row in found.values()) + 9
    lines = [
        f"{corpus['texts']} texts ({corpus['bodies']} distinct bodies, {corpus['mean_words']:.0f} words on average), "
        f"median of {results['repeats']} passes, one core; "
        + ", ".join(f"{k} {v}" for k, v in results["versions"].items()),
        "",
        f"{'system':<{width}}{'texts':>6}{'passes':>7}{'median s':>10}{'articles/s':>12}"
        f"{'cpu/wall':>10}{'ours/system':>13}",
    ]
    for row in found.values():
        label = f"  ref: {row['label']}" if row["reference"] else row["label"]
        lines.append(
            f"{label:<{width}}{row['texts']:>6}{len(row['pass_s']):>7}{row['median_s']:>10.3f}{row['articles_per_s']:>12.0f}"
            f"{row['cpu_over_wall']:>10.2f}{row['ours_over_system']:>12.2f}x"
        )
    lines += [
        "",
        f"identical: {'yes' if results['identical'] else 'no'} (our shingles+hash in datasketch vs ours, "
        f"hash values of the first {IDENTITY_TEXTS} texts)",
        *headline(results),
    ]
    return "\n".join(lines)


def versions() -> dict[str, str]:
    """Versions of what was measured."""
    return common.versions("dedup", "datasketch", "rensa", "numpy")


# ---- command line -------------------------------------------------------------------------------


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line's options."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help=f"folder of data sets (default: {DEFAULT_DATA})")
    ap.add_argument("--n", type=int, default=DEFAULT_N, metavar="N", help=f"texts per pass (default: {DEFAULT_N})")
    ap.add_argument(
        "--repeats",
        type=int,
        default=DEFAULT_REPEATS,
        metavar="N",
        help=f"passes per system (default: {DEFAULT_REPEATS})",
    )
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    args = ap.parse_args(argv)
    if args.n < 2 or args.repeats < 1:
        ap.error("--n must be at least 2 and --repeats at least 1")
    return args


def bench(args: argparse.Namespace) -> dict[str, Any]:
    """Load the texts, check the identity once, race the systems, and gather the figures."""
    bodies = load_bodies(args.data)
    texts = list(itertools.islice(itertools.cycle(bodies), args.n))
    print(f"identity check on {IDENTITY_TEXTS} texts ...", file=sys.stderr, flush=True)
    same = identical(texts[:IDENTITY_TEXTS])
    rows = systems()
    timings = race(rows, texts, args.repeats)
    words = statistics.mean(len(text.split()) for text in texts)
    corpus = {"texts": len(texts), "bodies": len(set(texts)), "mean_words": round(words, 1)}
    return {
        "versions": versions(),
        "corpus": corpus,
        "repeats": args.repeats,
        "identical": same,
        "systems": figures(rows, timings),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print the table or the JSON object."""
    args = parse(argv)
    os.environ["RAYON_NUM_THREADS"] = "1"  # before rensa is first imported: its thread pool reads it once
    try:
        results = bench(args)
    except BenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(results, indent=2) if args.json else table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
