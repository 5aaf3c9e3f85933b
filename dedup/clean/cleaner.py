"""Cleaning articles, one at a time or a run at a time (a run can learn each site's template)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from dedup.clean.blocks import Block, Memo, Verdict, classify, judge
from dedup.clean.html import page_blocks
from dedup.clean.templates import Template, host_of, learn, line_keys, site_of
from dedup.clean.text import blocks_of
from dedup.model import Article, CleanArticle, Skipped


def clean(article: Article, template: Template | None = None) -> CleanArticle:
    """The article with its clutter removed, each removed span kept with its reason.

    Args:
        article: The article as read.
        template: Lines (white space folded, lower-cased) its site prints on other pages, with the
            share of its pages printing each; they go as "template". `clean_many` learns them from a run.
    """
    blocks, meta = _blocks(article, Memo())
    return _cleaned(article, classify(blocks, template, flat=article.format != "html"), meta)


def clean_many(articles: Sequence[Article]) -> list[CleanArticle]:
    """Articles cleaned together, in input order, each site's template learnt from its pages in the run.

    A page's site is its URL's host, or its source (see `dedup.clean.templates`). The result does
    not depend on the order of the articles: the template is learnt from counts over the whole run.

    Example:
        >>> pages = [Article(f"p{i}", f"Menu\\nStory {i} is told here in full.", url=f"https://a.example/{i}")
        ...          for i in range(3)]
        >>> [c.text for c in clean_many(pages)]
        ['Story 0 is told here in full.', 'Story 1 is told here in full.', 'Story 2 is told here in full.']
    """
    memo = Memo()
    pages = [_blocks(article, memo) for article in articles]
    # An HTML page read from a file has no URL from its reader; its canonical link names its site.
    sites = [site_of(article) or host_of(meta.get("url")) for article, (_, meta) in zip(articles, pages, strict=True)]
    keys = [line_keys(block.key for block in blocks) for blocks, _ in pages]
    templates = learn(list(zip(sites, keys, strict=True)))
    return [
        _cleaned(article, classify(blocks, templates.get(site or ""), memo, flat=article.format != "html"), meta)
        for article, site, (blocks, meta) in zip(articles, sites, pages, strict=True)
    ]


def _blocks(article: Article, memo: Memo) -> tuple[list[Block], dict[str, str]]:
    """An article's judged blocks and, for HTML, the metadata its head declares; `memo` is its run's."""
    if article.format == "html":
        blocks, meta = page_blocks(article.body)
        judge([block for block in blocks if not block.reason], memo.lines)  # what the DOM named needs no vocabulary
        return blocks, meta
    body = article.body
    return blocks_of(body if isinstance(body, str) else body.decode("utf-8", "replace"), memo), {}


def _cleaned(article: Article, verdict: Verdict, meta: dict[str, str]) -> CleanArticle:
    """The cleaned article: the verdict's paragraphs, and metadata from the scraper, the page, the cleaner."""
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


# Articles cleaned together: a site's template is learnt within one batch. The scan's worker batches
# are this size too (`dedup.parallel.BATCH`).
BATCH = 1000
EMPTY = "no article text left after cleaning"


def clean_stream(items: Iterable[Article | Skipped], batch: int = BATCH) -> Iterator[CleanArticle | Skipped]:
    """Every item cleaned, in input order, `batch` articles at a time with `clean_many`.

    Inputs already skipped pass through; an article left without text, or one the cleaner fails on,
    comes back skipped with the reason, and the run goes on.
    """
    pending: list[Article | Skipped] = []
    for item in items:
        pending.append(item)
        if len(pending) >= batch:
            yield from _clean_batch(pending)
            pending = []
    yield from _clean_batch(pending)


def _clean_batch(items: list[Article | Skipped]) -> Iterator[CleanArticle | Skipped]:
    """One batch cleaned together; if that fails, each article alone, so one bad page costs only itself."""
    articles = [item for item in items if isinstance(item, Article)]
    cleaned: Iterator[CleanArticle | Skipped]
    try:
        cleaned = iter(clean_many(articles))
    except Exception:  # a cleaner bug on one page must not stop a run over thousands
        cleaned = iter([_clean_alone(article) for article in articles])
    for item in items:
        result = next(cleaned) if isinstance(item, Article) else item
        if isinstance(result, CleanArticle) and not result.text.strip():
            result = Skipped(result.path or result.id, EMPTY)
        yield result


def _clean_alone(article: Article) -> CleanArticle | Skipped:
    """One article cleaned without its run; a failure becomes a skip that names the error."""
    try:
        return clean(article)
    except Exception as error:
        return Skipped(article.path or article.id, f"could not be cleaned: {type(error).__name__}: {error}")
