"""dedup: boilerplate and syndication detector for scraped news.

Clean one article, or add articles one by one and learn which copy a story seen before:

    >>> from dedup import Deduplicator
    >>> finder = Deduplicator()
    >>> finder.add("North Korean leader Kim Jong Un has received a car from Putin.", id="a").is_copy
    False
"""

from dedup.clean import clean
from dedup.cluster import Rules
from dedup.errors import DedupError, InputError, UsageError
from dedup.model import (
    Article,
    CleanArticle,
    Cluster,
    Copy,
    Document,
    Pair,
    Related,
    Removal,
    ScanResult,
    Signature,
    Skipped,
)
from dedup.pipeline import Deduplicator, Match, scan
from dedup.read import Fields, read
from dedup.sign import Signer

__all__ = [
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
