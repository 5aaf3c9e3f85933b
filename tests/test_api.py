"""The public surface is small and pinned; the README's commands are the ones CI runs."""

from __future__ import annotations

import hashlib
from pathlib import Path

import dedup

ROOT = Path(__file__).parent.parent


def test_public_api_is_pinned() -> None:
    assert dedup.__all__ == [
        "Article",
        "CleanArticle",
        "Cluster",
        "Copy",
        "DedupError",
        "Deduplicator",
        "Document",
        "Fields",
        "InputError",
        "Match",
        "Pair",
        "Related",
        "Removal",
        "Rules",
        "ScanResult",
        "Signature",
        "Signer",
        "Skipped",
        "UsageError",
        "clean",
        "read",
        "scan",
    ]
    assert dedup.__all__ == sorted(dedup.__all__)
    assert {name for name in vars(dedup) if not name.startswith("_")} >= set(dedup.__all__)


def test_readme_opens_with_the_two_commands_and_ci_runs_the_second() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = [b.split("```", 1)[0].strip() for b in readme.split("```bash\n")[1:3]]
    assert blocks[0].endswith("dedup scan seeds/")
    assert blocks[1].endswith("-m pytest")
    assert blocks[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


SEED_SHA256 = {
    "000_4918345a94430741.txt": "9a53ba40990e3fe06c7973cbab3327f8fe59dde8aae9ee1bc73412686a3f6580",
    "001_01698d181c447733.txt": "c80dfd1a0f43c93e5f5f6e9da38639532917192c0a34ab9992f7d523ea29b780",
    "002_23faa30955cea87d.txt": "7ba644b6d3b120bbdafdea7cc83a117d9799a95b6ba4cc69fe39b256f5e7b42a",
    "003_d98c98faffdd0a40.txt": "47facf8ac3a42fdefbc67a05215684ca6616d427f0869649c54d0df1638f979d",
    "004_4d248f02436a389b.txt": "c967b5141708f40483877e98f0ead6b877064ac41b4ce3eec085005985b64b0a",
}


def test_the_seeds_are_the_five_shared_articles_unchanged() -> None:
    found = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (ROOT / "seeds").iterdir()}
    assert found == SEED_SHA256
