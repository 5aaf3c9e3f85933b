"""Measure dedup's syndication detection on a labelled set of reprints, side by side with a datasketch baseline.

    python benchmarks/syndication.py [--data DIR] [--seed N] [--size N] [--shingle N] [--similarity X]
                                     [--containment X] [--lsh-threshold X] [--sweep] [--worst N]
                                     [--dump DIR] [--json]

The set is built, seeded, from the real article bodies in ``DIR/<set>/gold.jsonl`` and the clutter of the
pages' whole visible text in ``DIR/<set>/txt/<id>.txt``:

- originals: bodies of at least 120 words (60% of them; ``--size`` sets how many) on their own page's
  clutter, each with 1-4 reprints. A reprint applies a random mix of what outlets do to wire copy (house
  style, trimming, local paragraphs, an update, re-ordering, a new headline, light rewording) and sits in a
  different page's clutter: nav lines from the top of that page's text, teasers and footer from its bottom.
- distractors, each alone in its gold cluster: other real articles; quote-sharers (an unrelated body given
  one long quoted sentence of an original) and paragraph-sharers (an unrelated body given one paragraph).

The same seed gives byte-identical documents; ``--dump DIR`` writes them with ``labels.json``, for reading
and for ``dedup scan DIR``. Both systems get the same uncleaned page texts:

- dedup: ``Deduplicator().add(text, id=...)`` for every document (the cleaner runs inside), then
  ``result().clusters``; ``--shingle``, ``--similarity``, ``--containment``, ``--lsh-threshold`` override
  the library's defaults;
- the baseline issue #4 asks for: datasketch ``MinHashLSH(threshold=0.5, num_perm=128)`` over lowercased,
  whitespace-split word 5-grams of the raw text, every document inserted then queried, union-find over hits.

Scores: pairwise precision/recall/F1 over document pairs and the adjusted Rand index, for the set and for
the five seeds (000 and 004 one story, 001-003 alone); recall per edit kind and false pairs per distractor
kind. ``--sweep`` re-runs dedup over a grid of shingle sizes and thresholds on the cleaned texts of the first
run (cleaning does not depend on them). The table (or ``--json``) goes to stdout, progress to stderr.
Exit codes: 0 ok, 2 usage or missing data.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import random
import re
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import common

from dedup import CleanArticle, Deduplicator, Rules, Signer

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data"
SEEDS = ROOT / "seeds"
DEFAULT_SEED = 4
MIN_WORDS = 120  # shorter bodies never become originals: a brief is "contained" in many stories by chance
ORIGINAL_SHARE = 0.6
SHARERS_PER_ORIGINAL = 1 / 6  # quote-sharers, and as many paragraph-sharers
SEED_IDS = ("000", "001", "002", "003", "004")
SEED_STORY = {"000", "004"}  # the Reuters story and its reprint; 001-003 are independent reports
BASELINE = "datasketch MinHashLSH 5-gram"
SWEEP_SHINGLES = (2, 3, 4, 5)
SWEEP_RULES = ((0.25, 0.5), (0.35, 0.6), (0.5, 0.75))  # (similarity, containment), loose to strict
SWEEP_LSH = (0.15, 0.25, 0.4)


class BenchError(Exception):
    """A usage problem: missing data or a missing extra; the message names the path or the fix."""


# ---- sources: real bodies and their pages' clutter -----------------------------------------------


@dataclass(frozen=True, slots=True)
class Source:
    """One real page: its site, headline, gold paragraphs, and the clutter lines above and below its body."""

    id: str
    site: str
    headline: str
    paragraphs: tuple[str, ...]
    head: tuple[str, ...]
    tail: tuple[str, ...]

    @property
    def words(self) -> int:
        """How many words the gold body holds."""
        return sum(len(p.split()) for p in self.paragraphs)


def ngrams(text: str, n: int = 5) -> set[str]:
    """Lowercased word n-grams, to tell a page's body lines from its clutter."""
    words = text.lower().split()
    return {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)}


def split_clutter(lines: list[str], gold: str, headline: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A page's non-empty lines above its first body line and below its last; lines of the gold text left out."""
    gold_grams = ngrams(gold)

    def in_gold(line: str) -> bool:
        text = line.strip()
        return text == headline or (len(text) >= 25 and text in gold) or bool(ngrams(text) & gold_grams)

    body = [i for i, line in enumerate(lines) if line.strip() and in_gold(line)]
    first, last = (body[0], body[-1]) if body else (len(lines) // 2, len(lines) // 2 - 1)
    keep = [i for i, line in enumerate(lines) if line.strip() and not in_gold(line)]
    return tuple(lines[i] for i in keep if i < first), tuple(lines[i] for i in keep if i > last)


def page_headline(path: Path) -> str:
    """The saved page's headline: its first ``<h1>``, else its og:title, else empty."""
    from selectolax.lexbor import LexborHTMLParser  # a dedup dependency; only needed here

    if not path.exists():
        return ""
    tree = LexborHTMLParser(gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace"))
    h1, og = tree.css_first("h1"), tree.css_first('meta[property="og:title"]')
    text = (h1.text(strip=True) if h1 else "") or ((og.attributes.get("content") or "") if og else "")
    return " ".join(text.split())


def load_sources(data: Path) -> list[Source]:
    """Every page of every data set under ``data``, in set-name then gold.jsonl order."""
    golds = sorted(data.glob("*/gold.jsonl"))
    if not data.is_dir() or not golds:
        raise BenchError(f"{data}: no <set>/gold.jsonl found (pass --data DIR)")
    sources = []
    for gold in golds:
        for line in gold.read_text(encoding="utf-8").splitlines():
            record = json.loads(line) if line.strip() else None
            if not record or not record.get("text"):
                continue
            txt = gold.parent / "txt" / f"{record['id']}.txt"
            if not txt.exists():
                raise BenchError(f"{txt}: page text not found")
            headline = page_headline(gold.parent / "html" / f"{record['id']}.html.gz")
            paragraphs = tuple(p.strip() for p in record["text"].splitlines() if p.strip())
            if headline and paragraphs[0] == headline:
                headline = ""
            head, tail = split_clutter(txt.read_text(encoding="utf-8").splitlines(), record["text"], headline)
            site = urlsplit(record.get("url") or "").netloc.removeprefix("www.") or str(record["id"])
            sources.append(Source(f"{gold.parent.name}/{record['id']}", site, headline, paragraphs, head, tail))
    return sources


# ---- stories and the edits outlets make ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Story:
    """An article's headline and body paragraphs, as one outlet runs it."""

    headline: str
    paragraphs: tuple[str, ...]

    def map(self, change: Callable[[str], str]) -> Story:
        """The story with ``change`` applied to its headline and every paragraph."""
        return Story(change(self.headline), tuple(change(p) for p in self.paragraphs))

    def text(self) -> str:
        """Headline and paragraphs as one text."""
        return "\n".join((self.headline, *self.paragraphs))


SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][”\"’]))\s+(?=[“\"‘A-Z])")


class Donors:
    """Sentences for "local" paragraphs, from bodies used nowhere else, each sentence handed out once."""

    def __init__(self, bodies: Iterator[Source]) -> None:
        self.bodies = bodies
        self.sentences: list[str] = []
        self.used: list[str] = []

    def take(self, n: int) -> list[str]:
        """The next ``n`` sentences (consecutive in their body, so a local paragraph reads as one)."""
        while len(self.sentences) < n:
            body = next(self.bodies, None)
            if body is None:
                raise BenchError("not enough article bodies for local paragraphs: lower --size")
            self.used.append(body.id)
            parts = (s for p in body.paragraphs for s in SENTENCE_END.split(p))
            self.sentences += [s for s in parts if len(s.split()) >= 6]
        taken, self.sentences = self.sentences[:n], self.sentences[n:]
        return taken


Edit = Callable[[random.Random, Story, Donors], Story]


def keep_case(word: str, like: str) -> str:
    """``word`` cased as ``like`` is: UPPER, Capitalised or lower."""
    if len(like) > 1 and like.isupper():
        return word.upper()
    return word[:1].upper() + word[1:] if like[:1].isupper() else word


def spelling_table() -> dict[str, str]:
    """UK spellings to US ones: about forty common words and their inflections."""
    pairs = {"travelled": "traveled", "travelling": "traveling", "traveller": "traveler", "cancelled": "canceled"}
    pairs |= {"labelled": "labeled", "modelling": "modeling", "fuelled": "fueled", "counselling": "counseling"}
    pairs |= {"grey": "gray", "jewellery": "jewelry", "ageing": "aging", "sceptical": "skeptical", "mould": "mold"}
    pairs |= {"paediatric": "pediatric", "manoeuvre": "maneuver", "aluminium": "aluminum", "plough": "plow"}
    pairs |= {"defence": "defense", "offence": "offense", "licence": "license", "catalogue": "catalog"}
    pairs |= {"programme": "program", "programmes": "programs", "enrolment": "enrollment", "fulfil": "fulfill"}
    for stem in ("colour", "favour", "honour", "labour", "neighbour", "behaviour", "humour", "rumour", "harbour"):
        for suffix in ("", "s", "ed", "ing", "ite", "ites", "able", "er", "ers", "hood", "al"):
            pairs[stem + suffix] = stem[:-2] + "or" + suffix
    for stem in ("centre", "theatre", "metre", "litre", "fibre", "calibre"):
        for suffix in ("", "s", "d"):
            pairs[stem + suffix] = stem[:-2] + "er" + suffix
    for stem in ("organ", "recogn", "real", "critic", "apolog", "emphas", "modern", "priorit", "mobil", "character"):
        for suffix in ("e", "ed", "es", "ing", "ation", "ations"):
            pairs[f"{stem}is{suffix}"] = f"{stem}iz{suffix}"
    return pairs


def word_regex(words: Iterable[str]) -> re.Pattern[str]:
    """A case-insensitive pattern for any of the whole words, longest first."""
    return re.compile(r"\b(" + "|".join(sorted(words, key=lambda w: (-len(w), w))) + r")\b", re.IGNORECASE)


TO_US = spelling_table()
TO_UK = {us: uk for uk, us in TO_US.items()}
UK_WORDS, US_WORDS = word_regex(TO_US), word_regex(TO_UK)


def spelling(rng: random.Random, story: Story, donors: Donors) -> Story:
    """UK spellings made US, or US ones UK, whichever the story has more of."""
    text = story.text()
    uk, us = len(UK_WORDS.findall(text)), len(US_WORDS.findall(text))
    table, pattern = (TO_US, UK_WORDS) if uk >= us else (TO_UK, US_WORDS)
    return story.map(lambda t: pattern.sub(lambda m: keep_case(table[m.group(0).lower()], m.group(0)), t))


HONORIFIC = re.compile(r"\b(Mr|Mrs|Ms|Dr)(\.?) (?=[A-Z])")


def honorifics(rng: random.Random, story: Story, donors: Donors) -> Story:
    """Honorifics dropped before names (most often), or written with the period toggled (Mr <-> Mr.)."""
    if rng.random() < 0.7:
        return story.map(lambda t: HONORIFIC.sub("", t))
    dotted = sum(bool(m.group(2)) for m in HONORIFIC.finditer(story.text())) > 0
    return story.map(lambda t: HONORIFIC.sub(lambda m: m.group(1) + ("" if dotted else ".") + " ", t))


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October")
MONTHS += ("November", "December")
SHORT = {"Jan": 0, "Feb": 1, "Mar": 2, "Apr": 3, "Jun": 5, "Jul": 6, "Aug": 7, "Sep": 8, "Sept": 8, "Oct": 9}
SHORT |= {"Nov": 10, "Dec": 11}
MONTH = "|".join((*MONTHS, *SHORT))
DATE = re.compile(
    rf"\b(?:(?P<m1>{MONTH})\.? (?P<d1>[1-9]|[12]\d|3[01])(?!\d)(?P<y1>,? \d{{4}})?"
    rf"|(?P<d2>[1-9]|[12]\d|3[01]) (?P<m2>{MONTH})\b(?P<y2>,? \d{{4}})?)"
)
AP_SHORT = {0: "Jan.", 1: "Feb.", 7: "Aug.", 8: "Sept.", 9: "Oct.", 10: "Nov.", 11: "Dec."}  # AP leaves the rest whole
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def render_date(style: str, month: int, day: str, year: str) -> str:
    """A date in one house style: "Feb 20", "Feb. 20", "February 20" or "20 February", year kept."""
    year = year.lstrip(", ")
    if style == "uk":
        return f"{day} {MONTHS[month]}" + (f" {year}" if year else "")
    name = {"short": MONTHS[month][:3], "ap": AP_SHORT.get(month, MONTHS[month]), "long": MONTHS[month]}[style]
    return f"{name} {day}" + (f", {year}" if year else "")


def dates(rng: random.Random, story: Story, donors: Donors) -> Story:
    """Every date in one house style; sometimes a date without a year becomes a weekday ("Tuesday")."""
    style = rng.choice(("short", "ap", "long", "uk"))
    weekday = rng.choice(WEEKDAYS) if rng.random() < 0.5 else None

    def one(match: re.Match[str]) -> str:
        nonlocal weekday
        name, day, year = match["m1"] or match["m2"], match["d1"] or match["d2"], match["y1"] or match["y2"] or ""
        if weekday and not year:
            found, weekday = weekday, None
            return found
        month = MONTHS.index(name) if name in MONTHS else SHORT[name]
        return render_date(style, month, day, year)

    return story.map(lambda t: DATE.sub(one, t))


GROUPED = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?![\d,]|\.\d)")
UNGROUPED = re.compile(r"(?<![\d.,])\d{4,}(?![\d,]|\.\d)")
PERCENT = re.compile(r"(?<=\d)(?: ?%| per cent\b| percent\b)")


def group_digits(match: re.Match[str]) -> str:
    """A number of four or more digits with thousands commas, unless it looks like a year."""
    number = match.group(0)
    return number if len(number) == 4 and 1800 <= int(number) <= 2099 else f"{int(number):,}"


def numbers(rng: random.Random, story: Story, donors: Donors) -> Story:
    """Thousands commas dropped (or added), and "per cent" / "percent" / "%" swapped for another."""
    text = story.text()
    percent = rng.choice([s for s in (" per cent", " percent", "%") if s not in text] or ["%"])
    if GROUPED.search(text):
        story = story.map(lambda t: GROUPED.sub(lambda m: m.group(0).replace(",", ""), t))
    else:
        story = story.map(lambda t: UNGROUPED.sub(group_digits, t))
    return story.map(lambda t: PERCENT.sub(percent, t))


def curly(text: str) -> str:
    """Straight quotes made typographic: opening after a space or bracket, closing (or apostrophe) elsewhere."""
    text = re.sub(r'(^|[\s(\[—])"', "\\1“", text).replace('"', "”")
    return re.sub(r"(^|[\s(\[—])'", "\\1‘", text).replace("'", "’")


def quotes(rng: random.Random, story: Story, donors: Donors) -> Story:
    """Curly quotes made straight, or straight ones curly, whichever the story has more of; or, as
    British papers write, double quotes made single."""
    text = story.text()
    if rng.random() < 0.3:
        return story.map(lambda t: curly(t).translate(str.maketrans("“”", "‘’")))
    if sum(text.count(c) for c in "“”‘’") >= text.count('"') + text.count("'"):
        return story.map(lambda t: t.translate(str.maketrans("“”‘’", "\"\"''")))
    return story.map(curly)


def dashes(rng: random.Random, story: Story, donors: Donors) -> Story:
    """Em dashes written as " - ", " – " or " -- ", or spaced hyphens made em dashes."""
    if "—" in story.text():
        dash = rng.choice((" - ", " – ", " -- "))
        return story.map(lambda t: re.sub(r"\s*—\s*", dash, t))
    dash = rng.choice(("—", " — "))
    return story.map(lambda t: re.sub(r" (?:-|–|--) ", dash, t))


SYNONYMS = {"said": "says", "says": "said", "about": "around", "around": "about", "but": "however"}
SYNONYMS |= {"however": "but", "big": "large", "large": "big", "many": "several", "several": "many"}
SYNONYMS |= {"buy": "purchase", "start": "begin", "began": "started", "started": "began", "show": "reveal"}
SYNONYMS |= {"showed": "revealed", "because": "as", "after": "following", "nearly": "almost", "almost": "nearly"}
SYNONYMS |= {"people": "individuals", "officials": "authorities", "told": "informed", "important": "key"}
SYNONYMS |= {"major": "big", "help": "aid", "also": "too", "while": "whereas"}


def reword_word(rng: random.Random, word: str, others: list[str]) -> str:
    """One word substituted (a synonym, else another word of the paragraph) or deleted (empty)."""
    core = word.strip(".,;:!?\"'“”‘’()")
    if not core:
        return word
    if core.lower() in SYNONYMS:
        return word.replace(core, keep_case(SYNONYMS[core.lower()], core), 1)
    if word.isalpha() and rng.random() < 0.6:
        return ""
    return word.replace(core, rng.choice(others), 1)


def reword(rng: random.Random, story: Story, donors: Donors) -> Story:
    """Light rewording: 1-5% of the body's words deleted or substituted."""
    paragraphs = [p.split(" ") for p in story.paragraphs]
    slots = [(i, j) for i, words in enumerate(paragraphs) for j in range(1, len(words))]
    if not slots:
        return story
    for i, j in rng.sample(slots, max(1, round(len(slots) * rng.uniform(0.01, 0.05)))):
        paragraphs[i][j] = reword_word(rng, paragraphs[i][j], [w for w in paragraphs[i] if w.isalpha()] or ["the"])
    return replace(story, paragraphs=tuple(" ".join(w for w in words if w) for words in paragraphs))


SPLIT_AT = re.compile(r", (and|but|while) (?=[a-z])")
MERGE_AT = re.compile(r"(?<=[a-z0-9])\. (The|This|That|It|He|She|They|We|His|Her|Their|In|On|At|A|An) ")


def split_or_merge(rng: random.Random, paragraph: str) -> str:
    """One sentence split at ", and"/", but"/", while", or two joined with ", and"; unchanged if neither fits."""
    splits, merges = list(SPLIT_AT.finditer(paragraph)), list(MERGE_AT.finditer(paragraph))
    if merges and (not splits or rng.random() < 0.5):
        m = rng.choice(merges)
        return f"{paragraph[: m.start()]}, and {m.group(1).lower()} {paragraph[m.end() :]}"
    if splits:
        m = rng.choice(splits)
        rest = paragraph[m.end() :]
        return f"{paragraph[: m.start()]}. " + ("But " + rest if m.group(1) == "but" else rest[:1].upper() + rest[1:])
    return paragraph


def sentences(rng: random.Random, story: Story, donors: Donors) -> Story:
    """A few sentences (1-4) split or merged."""
    paragraphs = list(story.paragraphs)
    for _ in range(rng.randint(1, 4)):
        i = rng.randrange(len(paragraphs))
        paragraphs[i] = split_or_merge(rng, paragraphs[i])
    return replace(story, paragraphs=tuple(paragraphs))


def trim(rng: random.Random, story: Story, donors: Donors) -> Story:
    """Only the first 40-90% of the paragraphs kept."""
    keep = max(1, round(len(story.paragraphs) * rng.uniform(0.4, 0.9)))
    return replace(story, paragraphs=story.paragraphs[:keep])


def reorder(rng: random.Random, story: Story, donors: Donors) -> Story:
    """One or two paragraphs swapped with another or moved elsewhere."""
    paragraphs = list(story.paragraphs)
    if len(paragraphs) < 3:
        return story
    for _ in range(rng.randint(1, 2)):
        i, j = rng.sample(range(len(paragraphs)), 2)
        if rng.random() < 0.5:
            paragraphs[i], paragraphs[j] = paragraphs[j], paragraphs[i]
        else:
            paragraphs.insert(j, paragraphs.pop(i))
    return replace(story, paragraphs=tuple(paragraphs))


def local(rng: random.Random, story: Story, donors: Donors) -> Story:
    """One to three "local" paragraphs (1-3 sentences each, shared with nothing else) added at the end."""
    added = tuple(" ".join(donors.take(rng.randint(1, 3))) for _ in range(rng.randint(1, 3)))
    return replace(story, paragraphs=story.paragraphs + added)


UPDATE_MARKS = ("Update:", "UPDATE:", "Updated:", "Update, 4:15 p.m.:", "Editor's note:")


def update(rng: random.Random, story: Story, donors: Donors) -> Story:
    """An "Update:" paragraph (1-2 sentences shared with nothing else) at the top."""
    first = f"{rng.choice(UPDATE_MARKS)} {' '.join(donors.take(rng.randint(1, 2)))}"
    return replace(story, paragraphs=(first, *story.paragraphs))


def reheadline(rng: random.Random, story: Story, donors: Donors) -> Story:
    """A new headline: 5-9 words of the lead, in order but not adjacent, so no phrase of the old one."""
    words = [w.strip(".,;:!?\"'“”‘’()") for p in story.paragraphs[:2] for w in p.split()]
    words = [w for w in words if len(w) >= 4 and w.isalpha()]
    if len(words) < 5:
        return story
    picked = [words[i] for i in sorted(rng.sample(range(len(words)), min(len(words), rng.randint(5, 9))))]
    return replace(story, headline=keep_case(" ".join(picked), "X"))


def headline_case(rng: random.Random, story: Story, donors: Donors) -> Story:
    """The headline in another case: UPPER, Title Case or Sentence case."""
    cases = {
        "upper": story.headline.upper(),
        "title": " ".join(w[:1].upper() + w[1:] for w in story.headline.split(" ")),
        "sentence": story.headline[:1] + story.headline[1:].lower(),
    }
    return replace(story, headline=rng.choice([h for h in cases.values() if h != story.headline] or [""]))


# (name, chance a reprint gets it, edit), in the order they apply: style, wording, cuts, additions, headline
EDITS: tuple[tuple[str, float, Edit], ...] = (
    ("honorifics", 0.4, honorifics),
    ("spelling", 0.4, spelling),
    ("dates", 0.4, dates),
    ("numbers", 0.4, numbers),
    ("quotes", 0.4, quotes),
    ("dashes", 0.4, dashes),
    ("reword", 0.35, reword),
    ("sentences", 0.3, sentences),
    ("trim", 0.5, trim),
    ("reorder", 0.25, reorder),
    ("local", 0.35, local),
    ("update", 0.15, update),
    ("reheadline", 0.3, reheadline),
    ("headline-case", 0.3, headline_case),
)


# ---- the evaluation set --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Doc:
    """One document of the set: its page text, gold cluster, kind, the edits it carries and whose clutter."""

    id: str
    text: str
    label: str
    kind: str  # original, reprint, other, quote, paragraph, seed
    edits: tuple[str, ...] = ()
    source: str = ""  # the page whose body it carries
    wrapper: str = ""  # the page whose clutter surrounds it
    shares: str = ""  # for a quote- or paragraph-sharer: the original it borrowed from


def wrap(rng: random.Random, story: Story, page: Source) -> str:
    """The story on a page: a few of the page's nav lines above, a few of its footer lines below."""
    top, bottom = page.head[: rng.randint(3, 25)], page.tail[-rng.randint(3, 25) :] if page.tail else ()
    return "\n".join(line for line in (*top, story.headline, *story.paragraphs, *bottom) if line) + "\n"


def reprint(rng: random.Random, story: Story, donors: Donors) -> tuple[Story, tuple[str, ...]]:
    """A random mix of edits applied to the story, and the names of those that changed it."""
    applied = []
    for name, chance, edit in EDITS:
        if rng.random() < chance:
            edited = edit(rng, story, donors)
            if edited != story:
                applied.append(name)
            story = edited
    return story, tuple(applied)


@dataclass
class Builder:
    """Builds the set from shuffled sources; each body is used in one role only."""

    rng: random.Random
    sources: list[Source]
    donors: Donors
    docs: list[Doc] = field(default_factory=list)

    def add(self, doc_id: str, story: Story, page: Source, **fields: Any) -> None:
        """One document, its story wrapped in ``page``'s clutter."""
        self.docs.append(Doc(doc_id, wrap(self.rng, story, page), wrapper=page.id, **fields))

    def cluster(self, number: int, original: Source) -> None:
        """An original on its own page and 1-4 reprints, each in the clutter of a page of another site."""
        label, story = f"o{number:03d}", Story(original.headline, original.paragraphs)
        self.add(label, story, original, label=label, kind="original", source=original.id)
        sites = {original.site}  # clutter shared inside a cluster would make its copies look closer than they are
        for r in range(1, self.rng.randint(1, 4) + 1):
            edited, edits = reprint(self.rng, story, self.donors)
            page = self.rng.choice([s for s in self.sources if s.site not in sites and len(s.head) + len(s.tail) >= 6])
            sites.add(page.site)
            self.add(f"{label}-r{r}", edited, page, label=label, kind="reprint", edits=edits, source=original.id)

    def sharer(self, doc_id: str, host: Source, shared: str, kind: str, original: str) -> None:
        """An unrelated body on its own page, with one sentence or paragraph of an original inserted."""
        paragraphs = list(host.paragraphs)
        paragraphs.insert(self.rng.randint(1, len(paragraphs)), shared)
        story = Story(host.headline, tuple(paragraphs))
        self.add(doc_id, story, host, label=doc_id, kind=kind, source=host.id, shares=original)


QUOTED = re.compile(r"[“\"]([^”\"]+)[”\"]")


def quoted_sentence(rng: random.Random, original: Source) -> str:
    """A sentence of the original quoting 8 words or more; failing one, a quote built from its words."""
    found = [s for p in original.paragraphs for s in SENTENCE_END.split(p)]
    found = [s for s in found if any(len(q.split()) >= 8 for q in QUOTED.findall(s))]
    if found:
        return rng.choice(found)
    long = [s.split() for p in original.paragraphs for s in SENTENCE_END.split(p) if len(s.split()) >= 10]
    words = rng.choice(long or [[w for p in original.paragraphs for w in p.split()]])
    length = rng.randint(8, min(20, len(words)))
    start = rng.randint(0, len(words) - length)
    opening, closing = rng.choice([("“", "”"), ("‘", "’"), ('"', '"')])  # US, UK and plain styles
    return f"{opening}{' '.join(words[start : start + length]).rstrip('.,;:')},{closing} a spokesperson said."


SHARED_SHARE = 0.25  # a shared paragraph is at most this share of its original: more would be a copy


def shareable(original: Source) -> list[str]:
    """The original's paragraphs of 25 words or more that are a small part of it."""
    return [p for p in original.paragraphs[1:] if 25 <= len(p.split()) <= SHARED_SHARE * original.words]


def shared_paragraph(rng: random.Random, original: Source) -> str:
    """A paragraph of the original of 25 words or more that is at most a quarter of it (its shortest
    paragraph of 25 words or more if none is)."""
    small = shareable(original)
    long = [p for p in original.paragraphs if len(p.split()) >= 25] or list(original.paragraphs)
    return rng.choice(small) if small else min(long, key=lambda p: len(p.split()))


def sharer_count(size: int) -> int:
    """How many quote-sharers, and how many paragraph-sharers, a set of ``size`` originals gets."""
    return max(1, round(size * SHARERS_PER_ORIGINAL))


def build(sources: list[Source], seed: int, size: int | None) -> list[Doc]:
    """The seeded evaluation set: originals with reprints, then quote-, paragraph-sharers and other articles."""
    rng = random.Random(seed)
    eligible = [s for s in sources if s.words >= MIN_WORDS]
    short = [s for s in sources if s.words < MIN_WORDS]
    rng.shuffle(eligible)
    rng.shuffle(short)
    size = round(len(eligible) * ORIGINAL_SHARE) if size is None else size
    largest = max(n for n in range(2, len(eligible)) if n + 2 * sharer_count(n) + 2 <= len(eligible))
    if not 2 <= size <= largest:
        raise BenchError(f"--size {size}: must be between 2 and {largest} with the bodies in this data")
    sharers = sharer_count(size)
    originals, rest = eligible[:size], eligible[size:]
    hosts, spare = rest[: 2 * sharers], rest[2 * sharers :]
    donors = Donors(itertools.chain(short, reversed(spare)))
    builder = Builder(rng, sources, donors)
    for number, original in enumerate(originals):
        builder.cluster(number, original)
    lenders = rng.sample(range(size), size)  # each original lends to one sharer at most, never on its own site
    for n, host in enumerate(hosts):
        fits = [i for i in lenders if originals[i].site != host.site and (n < sharers or shareable(originals[i]))]
        i = fits[0] if fits else lenders[0]
        lenders.remove(i)
        if n < sharers:
            builder.sharer(f"q{n:03d}", host, quoted_sentence(rng, originals[i]), "quote", f"o{i:03d}")
        else:
            builder.sharer(f"p{n - sharers:03d}", host, shared_paragraph(rng, originals[i]), "paragraph", f"o{i:03d}")
    used = set(donors.used)
    for n, other in enumerate(s for s in itertools.chain(spare, short) if s.id not in used):
        story = Story(other.headline, other.paragraphs)
        builder.add(f"d{n:03d}", story, other, label=f"d{n:03d}", kind="other", source=other.id)
    return builder.docs


def load_seeds(folder: Path) -> list[Doc]:
    """The five seed pages, plain text; 000 and 004 are one story, the others stand alone."""
    paths = sorted(folder.glob("*.txt"))
    if not paths:
        raise BenchError(f"{folder}: no seed pages found")
    docs = []
    for path in paths:
        prefix = path.stem.split("_")[0]
        label = "story" if prefix in SEED_STORY else path.stem
        docs.append(Doc(path.stem, path.read_text(encoding="utf-8"), label, "seed"))
    return docs


def dump(docs: Sequence[Doc], folder: Path, seed: int) -> None:
    """``folder/<id>.txt`` for each document and ``folder/labels.json`` with gold clusters and edits."""
    folder.mkdir(parents=True, exist_ok=True)
    for doc in docs:
        (folder / f"{doc.id}.txt").write_text(doc.text, encoding="utf-8", newline="\n")
    labels = {d.id: {"cluster": d.label, "kind": d.kind, "edits": list(d.edits), "source": d.source} for d in docs}
    for doc in docs:
        labels[doc.id] |= {"clutter": doc.wrapper} | ({"shares": doc.shares} if doc.shares else {})
    text = json.dumps({"seed": seed, "documents": labels}, indent=1, ensure_ascii=False)
    (folder / "labels.json").write_text(text + "\n", encoding="utf-8", newline="\n")


# ---- the systems: page texts in, clusters out ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class Settings:
    """dedup's parameters from the command line; None leaves the library's default."""

    shingle: int | None = None
    similarity: float | None = None
    containment: float | None = None
    lsh_threshold: float | None = None

    def finder(self) -> Deduplicator:
        """A Deduplicator given only the parameters that were set."""
        options: dict[str, Any] = {}
        if self.shingle is not None:
            options["signer"] = Signer(shingle=self.shingle)
        rules = {"similarity": self.similarity, "containment": self.containment}
        if any(value is not None for value in rules.values()):
            options["rules"] = Rules(**{key: value for key, value in rules.items() if value is not None})
        if self.lsh_threshold is not None:
            options["lsh_threshold"] = self.lsh_threshold
        return Deduplicator(**options)


@dataclass
class Run:
    """One system over one set: its clusters, wall time, and for dedup the finder and the cleaned texts."""

    clusters: list[tuple[str, ...]]
    seconds: float
    finder: Deduplicator | None = None
    cleaned: list[CleanArticle] = field(default_factory=list)
    related: list[tuple[str, ...]] = field(default_factory=list)
    canonical: dict[tuple[str, ...], str] = field(default_factory=dict)  # each cluster's origin, by members


def run_dedup(docs: Sequence[Doc], settings: Settings) -> Run:
    """dedup over every document's page text, timed from the first ``add`` to ``result()``."""
    settings.finder().add("A warm-up article, so lazy imports and set-up stay outside the clock.", id="warm-up")
    finder = settings.finder()
    start = time.perf_counter()
    cleaned = [finder.add(doc.text, id=doc.id).article for doc in docs]
    result = finder.result()
    seconds = time.perf_counter() - start
    related = [tuple(group.members) for group in result.related]
    canonical = {tuple(c.members): c.canonical for c in result.clusters}
    return Run([tuple(c.members) for c in result.clusters], seconds, finder, cleaned, related, canonical)


def run_dedup_clean(cleaned: Sequence[CleanArticle], settings: Settings) -> Run:
    """dedup over texts already cleaned: only signing, the index and verification differ between settings."""
    finder = settings.finder()
    start = time.perf_counter()
    for article in cleaned:
        finder.add_clean(article)
    result = finder.result()
    return Run([tuple(c.members) for c in result.clusters], time.perf_counter() - start, finder)


def word_shingles(text: str, n: int = 5) -> list[bytes]:
    """Lowercased, whitespace-split word n-grams of the raw text, as bytes for datasketch."""
    words = text.lower().split()
    return [" ".join(words[i : i + n]).encode("utf-8") for i in range(max(1, len(words) - n + 1))]


def components(ids: Sequence[str], links: Iterable[tuple[str, str]]) -> list[tuple[str, ...]]:
    """Union-find over linked ids: groups of two or more, members sorted."""
    parent = {doc_id: doc_id for doc_id in ids}

    def find(item: str) -> str:
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    for a, b in links:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = {}
    for doc_id in ids:
        groups.setdefault(find(doc_id), []).append(doc_id)
    return sorted(tuple(sorted(g)) for g in groups.values() if len(g) > 1)


def run_baseline(docs: Sequence[Doc]) -> Run:
    """datasketch MinHashLSH(0.5, 128) over raw word 5-grams: insert all, query each, union-find over hits."""
    from datasketch import MinHash, MinHashLSH

    start = time.perf_counter()
    minhashes = MinHash.bulk([word_shingles(doc.text) for doc in docs], num_perm=128)
    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    for doc, minhash in zip(docs, minhashes, strict=True):
        lsh.insert(doc.id, minhash)
    links = [(doc.id, hit) for doc, m in zip(docs, minhashes, strict=True) for hit in lsh.query(m) if hit != doc.id]
    clusters = components([doc.id for doc in docs], links)
    return Run(clusters, time.perf_counter() - start)


# ---- scoring -------------------------------------------------------------------------------------


Pairs = set[tuple[str, str]]


def pairs_within(groups: Iterable[Sequence[str]]) -> Pairs:
    """Every pair of documents that share a group, each pair sorted."""
    return {(a, b) for group in groups for a, b in itertools.combinations(sorted(group), 2)}


def gold_groups(docs: Sequence[Doc]) -> list[list[str]]:
    """The gold clusters, singletons included."""
    groups: dict[str, list[str]] = {}
    for doc in docs:
        groups.setdefault(doc.label, []).append(doc.id)
    return list(groups.values())


def predicted_labels(docs: Sequence[Doc], clusters: Sequence[Sequence[str]]) -> dict[str, str]:
    """Each document's predicted cluster; a document in no cluster is its own."""
    labels = {doc.id: doc.id for doc in docs}
    for number, members in enumerate(clusters):
        labels.update({member: f"cluster-{number}" for member in members})
    return labels


def require_sklearn() -> None:
    """Fail early, and clearly, when the bench extra is not installed."""
    try:
        import sklearn.metrics  # noqa: F401
    except ImportError as error:
        raise BenchError(f"scikit-learn is needed for ARI ({error}): pip install -e '.[bench]'") from error


def score(docs: Sequence[Doc], run: Run) -> dict[str, Any]:
    """Pairwise precision, recall and F1, the adjusted Rand index and the speed of one run."""
    from sklearn.metrics import adjusted_rand_score

    gold, predicted = pairs_within(gold_groups(docs)), pairs_within(run.clusters)
    hits = len(gold & predicted)
    p = hits / len(predicted) if predicted else None
    r = hits / len(gold) if gold else None
    f1 = 2 * p * r / (p + r) if p is not None and r is not None and p + r else 0.0
    labels = predicted_labels(docs, run.clusters)
    ari = adjusted_rand_score([d.label for d in docs], [labels[d.id] for d in docs])
    return {
        "docs": len(docs),
        "gold_pairs": len(gold),
        "predicted_pairs": len(predicted),
        "precision": None if p is None else round(p, 4),
        "recall": None if r is None else round(r, 4),
        "f1": round(f1, 4),
        "ari": round(float(ari), 4),
        "docs_per_s": round(len(docs) / run.seconds, 1) if run.seconds else None,
    }


def origin_accuracy(docs: Sequence[Doc], run: Run) -> dict[str, Any]:
    """Of the clusters holding a story's original, how many name it as the origin."""
    originals = {doc.id for doc in docs if doc.kind == "original"}
    holding = [(members, run.canonical[members]) for members in run.clusters if originals & set(members)]
    right = sum(canonical in originals for _, canonical in holding)
    return {"clusters": len(holding), "right": right, "share": round(right / len(holding), 4) if holding else None}


def related_level(docs: Sequence[Doc], run: Run) -> dict[str, Any]:
    """The looser level: do copies share a related group, and how many distinct stories were joined.

    The set's distinct stories are real articles picked at random, so most share nothing; but some
    are real coverage of one event by two outlets (the gold sets hold a few), so joined stories are
    listed by their source pages for a person to judge, not all counted as errors.
    """
    label = {doc.id: doc.label for doc in docs}
    source = {doc.id: doc.source or doc.id for doc in docs}
    gold, related = pairs_within(gold_groups(docs)), pairs_within(run.related)
    joined = sorted({tuple(sorted((source[a], source[b]))) for a, b in related if label[a] != label[b]})
    return {
        "groups": len(run.related),
        "copies_related": round(len(gold & related) / len(gold), 4) if gold else None,
        "stories": len(set(label.values())),
        "stories_joined": len(joined),
        "joined": [list(pair) for pair in joined],
    }


def edit_recall(docs: Sequence[Doc], runs: dict[str, Run]) -> dict[str, dict[str, Any]]:
    """Recall of each system over reprint-original pairs, per edit the reprint carries ("verbatim": none)."""
    labels = {name: predicted_labels(docs, run.clusters) for name, run in runs.items()}
    found: dict[str, dict[str, Any]] = {}
    for doc in (d for d in docs if d.kind == "reprint"):
        for edit in ("all reprints", *(doc.edits or ("verbatim",))):
            row = found.setdefault(edit, {"pairs": 0, **{name: 0 for name in runs}})
            row["pairs"] += 1
            for name in runs:
                row[name] += labels[name][doc.id] == labels[name][doc.label]
    order = ["all reprints", "verbatim", *(name for name, _, _ in EDITS)]
    return {
        edit: {"pairs": found[edit]["pairs"], **{n: round(found[edit][n] / found[edit]["pairs"], 4) for n in runs}}
        for edit in order
        if edit in found
    }


DISTRACTOR_KINDS = {"quote": "quote-sharer", "paragraph": "paragraph-sharer"}


def false_pairs(docs: Sequence[Doc], runs: dict[str, Run]) -> dict[str, dict[str, Any]]:
    """Per system and distractor kind: false pairs; distractors joined to any cluster, and to the story they share."""
    kinds = {doc.id: DISTRACTOR_KINDS.get(doc.kind, "other") for doc in docs}
    gold = pairs_within(gold_groups(docs))
    distractors = [d for d in docs if d.kind in ("quote", "paragraph", "other")]
    table: dict[str, dict[str, Any]] = {}
    for name, run in runs.items():
        labels = predicted_labels(docs, run.clusters)
        rows = {
            kind: {"pairs": 0, "joined": 0, "to_story": 0, "of": 0} for kind in ("quote-sharer", "paragraph-sharer")
        }
        rows["other"] = {"pairs": 0, "joined": 0, "of": 0}
        for a, b in pairs_within(run.clusters) - gold:
            rows[next((kinds[x] for x in (a, b) if kinds[x] != "other"), "other")]["pairs"] += 1
        for doc in distractors:
            row = rows[kinds[doc.id]]
            row["of"] += 1
            row["joined"] += labels[doc.id] != doc.id
            if doc.shares:  # joined to the original it borrowed from: the sharing itself fooled the system
                row["to_story"] += labels[doc.id] == labels[doc.shares] != doc.id
        table[name] = rows
    return table


def describe(doc: Doc) -> str:
    """A document's kind with its edits or the original it borrows from: ``reprint: trim, local``."""
    details = ", ".join(doc.edits) or (f"shares {doc.shares}" if doc.shares else "")
    return doc.kind + (f": {details}" if details else "")


def worst(docs: Sequence[Doc], run: Run, n: int) -> dict[str, list[dict[str, Any]]]:
    """dedup's ``n`` least similar missed reprint-original pairs and ``n`` most similar false links, with figures."""
    from dedup.cluster import verify

    assert run.finder is not None
    signatures, rules, by_id = run.finder.index.signatures, run.finder.rules, {d.id: d for d in docs}
    labels, proposed = predicted_labels(docs, run.clusters), getattr(run.finder, "pairs", None)  # what LSH proposed

    def row(a: str, b: str) -> dict[str, Any]:
        pair = verify(signatures[a], signatures[b], rules)
        notes = [describe(by_id[x]) for x in (a, b)]
        figures = {
            "similarity": pair.similarity,
            "containment": pair.containment,
            "proposed": None if proposed is None else (pair.a, pair.b) in proposed,
        }
        return {"a": a, "b": b, **figures, "notes": notes}

    missed = [row(d.label, d.id) for d in docs if d.kind == "reprint" and labels[d.id] != labels[d.label]]
    gold = pairs_within(gold_groups(docs))
    links = [(p.a, p.b) for p in run.finder.result().pairs if p.copy and (p.a, p.b) not in gold]
    false = [row(a, b) for a, b in links]
    return {
        "missed": sorted(missed, key=lambda r: (r["similarity"], r["containment"], r["b"]))[:n],
        "false": sorted(false, key=lambda r: (-r["similarity"], -r["containment"], r["a"], r["b"]))[:n],
    }


def sweep(docs: Sequence[Doc], cleaned: Sequence[CleanArticle]) -> list[dict[str, Any]]:
    """dedup's figures over a grid of shingle sizes, verification rules and LSH thresholds."""
    grid = list(itertools.product(SWEEP_SHINGLES, SWEEP_RULES, SWEEP_LSH))
    rows = []
    for number, (shingle, (similarity, containment), lsh) in enumerate(grid, start=1):
        progress(f"sweep {number}/{len(grid)}: shingle {shingle}, rules {similarity}/{containment}, lsh {lsh}")
        run = run_dedup_clean(cleaned, Settings(shingle, similarity, containment, lsh))
        figures = score(docs, run)
        params = {"shingle": shingle, "similarity": similarity, "containment": containment, "lsh_threshold": lsh}
        rows.append(params | {key: figures[key] for key in ("precision", "recall", "f1", "ari")})
    return rows


# ---- output --------------------------------------------------------------------------------------


def progress(message: str) -> None:
    """A progress line on stderr."""
    print(message, file=sys.stderr, flush=True)


def cell(value: float | None, digits: int = 3) -> str:
    """A figure, or a dash when there is none."""
    return "-" if value is None else f"{value:.{digits}f}"


def table(results: dict[str, Any]) -> str:
    """Systems down; docs, pairwise P/R/F1, ARI and docs/s across; the seeds on their own lines."""
    rows = [(name, fig) for name, fig in results["systems"].items()]
    rows += [(f"{name}, seeds", fig) for name, fig in results["seeds"].items()]
    width = max(len(name) for name, _ in rows) + 2
    given = ", ".join(f"{key} {value}" for key, value in results["settings"].items()) or "library defaults"
    head = f"{'system':<{width}}{'docs':>6}{'pair P':>8}{'pair R':>8}{'pair F1':>9}{'ARI':>7}{'docs/s':>9}"
    lines = [results["summary"], f"dedup settings: {given}", "", head]
    for name, fig in rows:
        line = f"{name:<{width}}{fig['docs']:>6}{cell(fig['precision']):>8}{cell(fig['recall']):>8}"
        lines.append(line + f"{cell(fig['f1']):>9}{cell(fig['ari']):>7}{cell(fig['docs_per_s'], 1):>9}")
    return "\n".join(lines)


def breakdown(results: dict[str, Any]) -> str:
    """Recall per edit kind, then false pairs per distractor kind, for each system."""
    names = list(results["systems"])
    lines = ["", "", "recall over reprint-original pairs, by edit the reprint carries"]
    lines.append(f"  {'edit':<16}{'pairs':>6}" + "".join(f"{name[:28]:>30}" for name in names))
    for edit, row in results["edits"].items():
        lines.append(f"  {edit:<16}{row['pairs']:>6}" + "".join(f"{cell(row[name]):>30}" for name in names))
    lines += ["", "false pairs by distractor kind; distractors joined to any cluster (to the story they share) / all"]
    lines.append(f"  {'kind':<22}" + "".join(f"{name[:28]:>30}" for name in names))
    for kind in ("quote-sharer", "paragraph-sharer", "other"):
        texts = [false_cell(results["false_pairs"][name][kind]) for name in names]
        lines.append(f"  {kind:<22}" + "".join(f"{text:>30}" for text in texts))
    return "\n".join(lines)


def related_table(results: dict[str, Any]) -> str:
    """The related level: copies inside one group, distinct stories joined, the seeds' group."""
    level = results["related"]
    seeds = results["seeds_related"]
    one_story = len(seeds) == 1 and len(seeds[0]) == len(SEED_IDS)
    lines = ["", "", "related level (dedup): independent reports of one story"]
    lines.append(
        f"  related groups: {level['groups']}; gold copy pairs inside one group: {cell(level['copies_related'])}"
    )
    lines.append(f"  distinct stories joined: {level['stories_joined']} pairs of {level['stories']} stories")
    lines += [f"      {a} ~ {b}" for a, b in level["joined"][:10]]
    lines.append(f"  seeds: {'all five in one related group' if one_story else f'groups {seeds}'}")
    origin = results["origin"]
    lines += ["", f"origin (dedup): {origin['right']} of {origin['clusters']} clusters holding the original name it"]
    return "\n".join(lines)


def false_cell(row: dict[str, int]) -> str:
    """``5 pairs, 1 (0)/21``: false pairs, distractors joined (to the story they share) out of all of the kind."""
    story = f" ({row['to_story']})" if "to_story" in row else ""
    return f"{row['pairs']} pairs, {row['joined']}{story}/{row['of']}"


def worst_table(found: dict[str, list[dict[str, Any]]]) -> str:
    """dedup's worst missed and false pairs, with verification's figures and the documents' edits."""
    lines = []
    for title, key in (("missed reprint-original pairs, least similar first", "missed"), ("false links", "false")):
        lines += ["", f"dedup, {title}:"] + ([] if found[key] else ["  (none)"])
        for r in found[key]:
            lsh = {True: "proposed by LSH", False: "never proposed by LSH", None: ""}[r["proposed"]]
            lines.append(f"  {r['a']} ~ {r['b']}  sim {r['similarity']:.3f}  cont {r['containment']:.3f}  {lsh}")
            lines.append(f"      {r['a']}: {r['notes'][0]} | {r['b']}: {r['notes'][1]}")
    return "\n".join(lines)


def sweep_table(rows: list[dict[str, Any]]) -> str:
    """One line per setting of the sweep, the best F1 marked."""
    best = max(range(len(rows)), key=lambda i: (rows[i]["f1"], rows[i]["ari"]))
    lines = ["", "sweep (dedup on the cleaned texts of the run above)"]
    lines.append(f"  {'shingle':>7}{'sim':>6}{'cont':>6}{'lsh':>6}{'pair P':>8}{'pair R':>8}{'pair F1':>9}{'ARI':>7}")
    for i, r in enumerate(rows):
        line = f"  {r['shingle']:>7}{r['similarity']:>6}{r['containment']:>6}{r['lsh_threshold']:>6}"
        line += f"{cell(r['precision']):>8}{cell(r['recall']):>8}{cell(r['f1']):>9}{cell(r['ari']):>7}"
        lines.append(line + ("  <- best F1" if i == best else ""))
    return "\n".join(lines)


def summary(docs: Sequence[Doc], seed: int) -> str:
    """What the set holds, in one line."""
    count = {kind: sum(d.kind == kind for d in docs) for kind in ("original", "reprint", "quote", "paragraph", "other")}
    return (
        f"seed {seed}: {count['original']} originals, {count['reprint']} reprints, {count['quote']} quote-sharers, "
        f"{count['paragraph']} paragraph-sharers, {count['other']} other articles ({len(docs)} documents)"
    )


def versions() -> dict[str, str]:
    """Versions of what was measured."""
    return common.versions("dedup", "datasketch", "scikit-learn")


# ---- command line --------------------------------------------------------------------------------


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line's options."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help=f"folder of data sets (default: {DEFAULT_DATA})")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"seed of the set (default: {DEFAULT_SEED})")
    ap.add_argument("--size", type=int, metavar="N", help="originals in the set (default: 60%% of eligible bodies)")
    ap.add_argument("--shingle", type=int, metavar="N", help="dedup: words per shingle")
    ap.add_argument("--similarity", type=float, metavar="X", help="dedup: similarity at which articles are copies")
    ap.add_argument("--containment", type=float, metavar="X", help="dedup: containment at which they are copies")
    ap.add_argument("--lsh-threshold", type=float, metavar="X", help="dedup: LSH threshold for candidates")
    ap.add_argument("--sweep", action="store_true", help="also run dedup over a grid of shingles and thresholds")
    ap.add_argument("--worst", type=int, default=0, metavar="N", help="list dedup's N worst missed and false pairs")
    ap.add_argument("--dump", type=Path, metavar="DIR", help="write the documents and labels.json to DIR")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    args = ap.parse_args(argv)
    if args.shingle is not None and args.shingle < 1:
        ap.error("--shingle must be at least 1")
    for name in ("similarity", "containment", "lsh_threshold"):
        value = getattr(args, name)
        if value is not None and not 0 < value <= 1:
            ap.error(f"--{name.replace('_', '-')} must be in (0, 1]")
    if args.worst < 0:
        ap.error("--worst must be at least 0")
    return args


def bench(args: argparse.Namespace) -> dict[str, Any]:
    """Build the set, run both systems on it and on the seeds, and gather every figure."""
    require_sklearn()
    progress(f"building the set from {args.data} (seed {args.seed}) ...")
    docs = build(load_sources(args.data), args.seed, args.size)
    seeds = load_seeds(SEEDS)
    if args.dump:
        dump(docs, args.dump, args.seed)
        progress(f"{len(docs)} documents and labels.json written to {args.dump}")
    settings = Settings(args.shingle, args.similarity, args.containment, args.lsh_threshold)
    progress(f"dedup over {len(docs)} documents ...")
    runs = {"dedup": run_dedup(docs, settings)}
    progress(f"{BASELINE} ...")
    runs[BASELINE] = run_baseline(docs)
    seed_runs = {"dedup": run_dedup(seeds, settings), BASELINE: run_baseline(seeds)}
    results: dict[str, Any] = {
        "summary": summary(docs, args.seed),
        "settings": {key: value for key, value in asdict(settings).items() if value is not None},
        "systems": {name: score(docs, run) for name, run in runs.items()},
        "seeds": {name: score(seeds, run) for name, run in seed_runs.items()},
        "edits": edit_recall(docs, runs),
        "false_pairs": false_pairs(docs, runs),
        "related": related_level(docs, runs["dedup"]),
        "origin": origin_accuracy(docs, runs["dedup"]),
        "seeds_related": [list(group) for group in seed_runs["dedup"].related],
    }
    if args.worst:
        results["worst"] = worst(docs, runs["dedup"], args.worst)
    if args.sweep:
        results["sweep"] = sweep(docs, runs["dedup"].cleaned)
    return results


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print the table or the JSON object."""
    args = parse(argv)
    try:
        results = bench(args)
    except BenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps({"versions": versions(), **results}, indent=2))
        return 0
    text = table(results) + breakdown(results) + related_table(results)
    text += worst_table(results["worst"]) if "worst" in results else ""
    print(text + (sweep_table(results["sweep"]) if "sweep" in results else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
