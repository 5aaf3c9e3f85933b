"""The library a scraper calls: add articles one by one, or scan folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from dedup import Article, Deduplicator, read, scan
from dedup.index import MemoryIndex
from dedup.model import Document, Prepared
from dedup.related import build_related

SEEDS = Path(__file__).parent.parent / "seeds"
REUTERS, NBC, ALJAZEERA, WION, CTV = (
    "000_4918345a94430741",
    "001_01698d181c447733",
    "002_23faa30955cea87d",
    "003_d98c98faffdd0a40",
    "004_4d248f02436a389b",
)


def test_seeds_form_one_reuters_cluster_and_three_independent_reports() -> None:
    result = scan([SEEDS], all_pairs=True)
    assert len(result.documents) == 5 and result.skipped == ()
    (cluster,) = result.clusters
    assert cluster.members == (REUTERS, CTV)
    assert cluster.canonical == REUTERS and cluster.agency == "Reuters"
    for alone in (NBC, ALJAZEERA, WION):
        assert result.cluster_of(alone) is None


def test_seed_copies_clear_the_thresholds_with_margin() -> None:
    """The copy pair stands far above every other pair, not just over a threshold tuned to it."""
    result = scan([SEEDS], all_pairs=True)
    assert len(result.pairs) == 10
    copy = next(p for p in result.pairs if {p.a, p.b} == {REUTERS, CTV})
    others = [p for p in result.pairs if p is not copy]
    assert copy.copy and copy.similarity >= 0.6
    assert max(p.similarity for p in others) <= 0.2
    assert max(p.containment for p in others) <= 0.35
    assert not any(p.copy for p in others)


def test_a_scraper_learns_at_once_that_an_article_copies_one_seen_before() -> None:
    finder = Deduplicator()
    bodies = {a.id: a for a in scan_articles()}
    first = finder.add(bodies[REUTERS])
    assert not first.is_copy
    assert not finder.add(bodies[NBC]).is_copy
    second = finder.add(bodies[CTV])
    assert second.is_copy
    assert [(p.a, p.b) for p in second.copies] == [(REUTERS, CTV)]
    assert second.article.paragraphs[0].startswith("SEOUL - North Korean leader")


def test_plain_strings_can_be_added_with_an_id() -> None:
    finder = Deduplicator()
    text = " ".join(f"word{i}" for i in range(200))
    assert not finder.add(text, id="one").is_copy
    match = finder.add(text + " and one more line at the end.", id="two")
    assert match.is_copy and match.copies[0].a == "one"
    assert [c.members for c in finder.result().clusters] == [("one", "two")]


def test_an_html_article_and_its_text_copy_are_one_story() -> None:
    paragraphs = [f"Sentence number {i} of the wire story tells the reader something new today." for i in range(20)]
    html = "<html><body><nav><a href='/'>Home</a></nav><article>" + "".join(f"<p>{p}</p>" for p in paragraphs)
    finder = Deduplicator()
    finder.add(html + "</article></body></html>", id="web", format="html")
    assert finder.add("\n".join(["Share", *paragraphs[:15]]), id="txt").is_copy


def test_a_page_as_a_responses_bytes_is_added_as_its_text() -> None:
    paragraphs = [f"Sentence number {i} of the wire story tells the reader something new today." for i in range(20)]
    html = "<html><body><article>" + "".join(f"<p>{p} – “quoted”</p>" for p in paragraphs) + "</article></body></html>"
    finder = Deduplicator()
    finder.add(html.encode(), id="bytes", format="html")
    match = finder.add(html, id="text", format="html")
    assert match.is_copy and match.copies[0].similarity == 1.0


def test_readding_an_id_replaces_it() -> None:
    finder = Deduplicator()
    finder.add(" ".join(f"a{i}" for i in range(100)), id="x")
    finder.add(" ".join(f"b{i}" for i in range(100)), id="x")
    assert len(finder.index) == 1
    assert finder.add(" ".join(f"b{i}" for i in range(100)), id="y").is_copy
    finder.add(" ".join(f"a{i}" for i in range(100)), id="x")
    assert finder.result().clusters == ()


def test_articles_added_without_an_id_never_take_an_id_in_use() -> None:
    finder = Deduplicator()
    finder.add("The council voted on the new budget after a long debate on Monday.", id="doc2")
    finder.add("The bridge over the river reopened on Thursday after two years of repairs.")
    finder.add("Flood waters rose in the river town as the rain continued through the night.")
    assert len(finder.documents) == 3
    assert finder.documents["doc2"].lead.startswith("The council voted")


def test_an_article_with_no_text_left_is_reported_as_skipped(tmp_path: Path) -> None:
    (tmp_path / "menu.txt").write_text("Home\nNews\nSport\n")
    (tmp_path / "story.txt").write_text("The council voted on the new budget after a long debate on Monday.\n")
    result = scan([tmp_path])
    assert [d.id for d in result.documents] == ["story"]
    assert [(Path(s.path).name, s.reason) for s in result.skipped] == [
        ("menu.txt", "no article text left after cleaning")
    ]


def scan_articles() -> list[Article]:
    """The seed articles as read."""
    return [a for a in read([SEEDS]) if isinstance(a, Article)]


def test_a_reprint_keeping_the_first_40_percent_and_adding_its_own_is_found_through_the_index() -> None:
    wire = [f"Paragraph {p} of the wire story tells " + " ".join(f"fact{p}x{i}" for i in range(30)) for p in range(10)]
    own = "The local council said it would study the plan, its own reporter writes for " + " ".join(
        f"town{i}" for i in range(30)
    )
    finder = Deduplicator()
    finder.add("\n".join(wire), id="wire")
    match = finder.add("\n".join([*wire[:4], own]), id="reprint")
    assert [(pair.a, pair.b) for pair in match.copies] == [("reprint", "wire")]
    (cluster,) = finder.result().clusters
    reprint = cluster.copy_of("reprint")
    assert reprint is not None and reprint.added == (5,) and reprint.cut == (5, 6, 7, 8, 9, 10)


def test_articles_added_together_are_indexed_as_they_are_one_by_one() -> None:
    """Some are new, some come again unchanged or with a new text, some twice in one batch."""
    paragraphs = [" ".join(f"p{p}w{i}" for i in range(40)) for p in range(30)]
    texts = ["\n".join(paragraphs[start : start + 4 + start % 5]) for start in range(24)]
    texts += ["\n".join(paragraphs[start : start + 6]) + " and a local line of its own" for start in range(0, 24, 3)]
    signer = Deduplicator().signer
    made = [Prepared(Document(f"t{n}"), n, signer.sign(f"t{n}", text)) for n, text in enumerate(texts)]
    again = [made[3], Prepared(Document("t5"), 999, signer.sign("t5", texts[7])), made[9], made[9]]
    items = made[:20] + again + made[20:] + again[::-1]
    one_by_one, together = Deduplicator(), Deduplicator()
    expected = [one_by_one.add_prepared(item) for item in items]
    found = together.add_many(items[:13]) + together.add_many(items[13:])
    assert found == expected and sum(map(len, found)) > 20
    assert together.result() == one_by_one.result()


def test_a_batch_of_reports_naming_the_same_people_is_linked_as_one_by_one() -> None:
    """Copies and related reports found in a batch, by rows, are those found article by article, by ids."""
    people = ["Anna Berg", "Karl Vogt", "Lena Marsh", "Omar Haddad", "Ines Duarte", "Piet Maas", "Sara Lind"]
    places = ["Geneva", "Lisbon", "Oslo", "Nairobi", "Quito", "Hanoi"]
    texts = []
    for n in range(60):
        named = [people[(n + k) % 7] for k in range(5)] + [places[(n // 3 + k) % 6] for k in range(3)]
        story = f"Paragraph on {named[0]} and {named[1]} " + " ".join(f"s{n // 4}w{i}" for i in range(60))
        texts.append(f"{story}. {', '.join(named)} spoke in {named[-1]} on report {n}, " + f"r{n} " * 10)
    signer = Deduplicator().signer
    items = [Prepared(Document(f"t{n}"), n, signer.sign(f"t{n}", text)) for n, text in enumerate(texts)]
    one_by_one, together, settling = Deduplicator(), Deduplicator(), Deduplicator()
    assert isinstance(settling.index, MemoryIndex)
    settling.index.lsh.fresh_limit = settling.index.topics.fresh_limit = 400  # sorted runs made mid-batch
    expected = [one_by_one.add_prepared(item) for item in items]
    assert sum(map(len, expected)) > 20 and len(list(one_by_one.index.links())) > 60
    for finder in (together, settling):
        assert finder.add_many(items) == expected
        assert sorted(finder.index.links()) == sorted(one_by_one.index.links())
        assert finder.result() == one_by_one.result()


def test_related_groups_from_the_links_kept_as_rows_are_those_from_the_links_as_ids() -> None:
    finder = Deduplicator()
    scan([SEEDS], deduplicator=finder)
    finder.add("Reuters said Kim Jong Un and Vladimir Putin met in Pyongyang, KCNA reported.", id="kim")
    finder.add("Kim Jong Un met Vladimir Putin in Pyongyang, Reuters and KCNA said.", id=NBC)  # replaced
    result = finder.result()
    assert result.related and result.related == build_related(sorted(finder.index.links()), result.clusters)


def test_a_last_scan_lets_the_look_up_tables_go_and_reports_the_same() -> None:
    kept, last = Deduplicator(), Deduplicator()
    expected = scan([SEEDS], deduplicator=kept)
    assert scan([SEEDS], deduplicator=last, last=True) == expected and expected.clusters
    assert last.result() == expected
    for doc_id, signature in kept.index.signatures_of(kept.documents).items():  # all but the names MinHash
        gone = last.index.signature(doc_id)
        assert signature.topic is not None and gone.topic is None
        assert (gone.hashvalues == signature.hashvalues).all() and gone.sketch.words == signature.sketch.words
    with pytest.raises(RuntimeError, match="let its look-up tables go"):
        last.add("Kim Jong Un met Vladimir Putin in Pyongyang.", id="late")
    with pytest.raises(RuntimeError, match="let its look-up tables go"):  # nothing is written first
        last.index.insert(last.signer.sign("empty", ""))
    assert "empty" not in last.index and "empty" not in last.documents
    assert kept.add("Kim Jong Un met Vladimir Putin in Pyongyang.", id="late").article.id == "late"
