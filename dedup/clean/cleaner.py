"""Cleaning articles, one at a time or a run at a time (a run can learn each site's template)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice

from dedup.clean.blocks import Block, Memo, Verdict, classify, judge
from dedup.clean.html import page_blocks
from dedup.clean.templates import Lines, Template, host_of, line_keys, site_of
from dedup.clean.text import blocks_of
from dedup.model import Article, CleanArticle, Skipped


def clean(article: Article, template: Template | None = None) -> CleanArticle:
    """The article with its clutter removed, each removed span kept with its reason.

    Args:
        article: The article as read.
        template: Lines (white space folded, lower-cased) its site prints on other pages, with the
            share of its pages printing each; they go as "template". `clean_many` learns them from a run.
    """
    blocks, meta, _ = _blocks(article, Memo())
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
    keyed = [_site_lines(article, meta, keys) for article, (_, meta, keys) in zip(articles, pages, strict=True)]
    lines = Lines()
    for site, keys in keyed:
        lines.add(site, keys)
    return [
        _cleaned(article, classify(blocks, lines.template(*site_keys), memo, flat=article.format != "html"), meta)
        for article, site_keys, (blocks, meta, _) in zip(articles, keyed, pages, strict=True)
    ]


def learn(items: Iterable[Article | Skipped]) -> Lines:
    """What each site prints over a whole run, read once before it is cleaned (`clean_stream(..., lines)`)."""
    lines, memo = Lines(), Memo()
    for n, item in enumerate(items, 1):
        if n % BATCH == 0:
            memo = Memo()  # a cache of the run's lines, kept for a batch: a run of any size fits
        if isinstance(item, Article):
            try:
                _, meta, keys = _blocks(item, memo)
            except Exception:  # a page the cleaner fails on teaches nothing; cleaning it reports the error
                continue
            lines.add(*_site_lines(item, meta, keys))
    return lines


def _site_lines(article: Article, meta: dict[str, str], keys: set[str]) -> tuple[str | None, set[str]]:
    """A page's site and its distinct lines, given its lines' keys. An HTML page read from a file has no URL
    from its reader: its canonical link names its site."""
    return site_of(article) or host_of(meta.get("url")), line_keys(keys)


def _blocks(article: Article, memo: Memo) -> tuple[list[Block], dict[str, str], set[str]]:
    """An article's judged blocks, the metadata its head declares (HTML), and its lines' keys (`Block.key`,
    those a block standing for several lines holds too); `memo` is its run's."""
    if article.format == "html":
        blocks, meta, keys = page_blocks(article.body)
        judge([block for block in blocks if not block.reason], memo.lines)  # what the DOM named needs no vocabulary
        return blocks, meta, keys
    body = article.body
    blocks = blocks_of(body if isinstance(body, str) else body.decode("utf-8", "replace"), memo)
    return blocks, {}, {block.key for block in blocks}


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


def clean_stream(
    items: Iterable[Article | Skipped], batch: int = BATCH, lines: Lines | None = None
) -> Iterator[CleanArticle | Skipped]:
    """Every item cleaned, in input order: with `lines` (`learn` over the same run), each page against its
    site's template from the whole run, whatever the order; without, `batch` articles at a time with `clean_many`.

    Inputs already skipped pass through; an article left without text, or one the cleaner fails on,
    comes back skipped with the reason, and the run goes on.
    """
    if lines is not None:
        memo = Memo()
        for n, item in enumerate(items, 1):
            if n % batch == 0:
                memo = Memo()  # a cache of the run's lines, kept for a batch: a run of any size fits
            yield _checked(_clean_learnt(item, lines, memo) if isinstance(item, Article) else item)
        return
    stream = iter(items)
    while pending := list(islice(stream, batch)):
        yield from _clean_batch(pending)


def _clean_learnt(article: Article, lines: Lines, memo: Memo) -> CleanArticle | Skipped:
    """One article cleaned against the template its site's pages in the run show; a failure is a skip."""
    try:
        blocks, meta, keys = _blocks(article, memo)
        template = lines.template(*_site_lines(article, meta, keys))
        return _cleaned(article, classify(blocks, template, memo, flat=article.format != "html"), meta)
    except Exception as error:  # a cleaner bug on one page must not stop a run over thousands
        return _failed(article, error)


def _checked(result: CleanArticle | Skipped) -> CleanArticle | Skipped:
    """A cleaned article, or a skip when no article text is left."""
    if isinstance(result, CleanArticle) and not result.text.strip():
        return Skipped(result.path or result.id, EMPTY)
    return result


def _clean_batch(items: list[Article | Skipped]) -> Iterator[CleanArticle | Skipped]:
    """One batch cleaned together; if that fails, each article alone, so one bad page costs only itself."""
    articles = [item for item in items if isinstance(item, Article)]
    cleaned: Iterator[CleanArticle | Skipped]
    try:
        cleaned = iter(clean_many(articles))
    except Exception:  # a cleaner bug on one page must not stop a run over thousands
        cleaned = iter([_clean_alone(article) for article in articles])
    for item in items:
        yield _checked(next(cleaned) if isinstance(item, Article) else item)


def _clean_alone(article: Article) -> CleanArticle | Skipped:
    """One article cleaned without its run; a failure becomes a skip that names the error."""
    try:
        return clean(article)
    except Exception as error:
        return _failed(article, error)


def _failed(article: Article, error: Exception) -> Skipped:
    """An article the cleaner failed on, skipped with the error named."""
    return Skipped(article.path or article.id, f"could not be cleaned: {type(error).__name__}: {error}")
