"""The cleaner: what on a scraped page is article (headline, dateline, body, subheads, quotes) and what is clutter."""

from __future__ import annotations

from dedup.clean.blocks import Verdict
from dedup.clean.html import clean_html
from dedup.clean.text import clean_text
from dedup.model import Article, CleanArticle


def clean(article: Article) -> CleanArticle:
    """The article with its clutter removed, each removed span kept with its reason."""
    if article.format == "html":
        verdict, meta = clean_html(article.body)
    else:
        verdict, meta = clean_text(article.body), {}
    return CleanArticle(
        id=article.id,
        text="\n".join(verdict.paragraphs),
        path=article.path,
        url=article.url or meta.get("url"),
        source=article.source,
        title=article.title or verdict.title or meta.get("title"),
        date=article.date or meta.get("date"),
        credit=verdict.credit,
        removed=tuple(verdict.removed),
    )


__all__ = ["Verdict", "clean"]
