"""The public surface is small and pinned; the README's commands are the ones CI runs."""

from __future__ import annotations

from pathlib import Path

import dedup

ROOT = Path(__file__).parent.parent


def test_public_api_is_pinned() -> None:
    assert dedup.__all__ == [
        "Article",
        "CleanArticle",
        "Cluster",
        "DedupError",
        "Deduplicator",
        "Document",
        "Fields",
        "InputError",
        "Match",
        "Pair",
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
    for name in dedup.__all__:
        assert getattr(dedup, name) is not None


def test_readme_opens_with_the_two_commands_and_ci_runs_the_second() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = [b.split("```", 1)[0].strip() for b in readme.split("```bash\n")[1:3]]
    assert blocks[0].endswith("dedup scan seeds/")
    assert blocks[1].endswith("-m pytest")
    assert blocks[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_seeds_are_the_five_shared_articles() -> None:
    names = sorted(p.name for p in (ROOT / "seeds").iterdir())
    assert [n[:3] for n in names] == ["000", "001", "002", "003", "004"]
