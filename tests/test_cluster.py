"""Verification, components and the likely origin of a cluster."""

from __future__ import annotations

import random
from datetime import date

import numpy as np
import pytest

from dedup.cluster import (
    Components,
    Rules,
    build_clusters,
    copies_among,
    copies_between,
    copies_in,
    measure,
    origin_order,
    parse_date,
    verify,
)
from dedup.figures import pair_figures, shared_values
from dedup.index.memory import named_alike
from dedup.model import Columns, Document, Pair, Signature, Signatures, Sketch
from dedup.sign import Signer

signer = Signer()
WORDS = [f"w{i}" for i in range(300)]


def test_a_pair_is_a_copy_by_similarity_or_by_containment() -> None:
    full = signer.sign("a", " ".join(WORDS))
    same = signer.sign("b", " ".join(WORDS[:280]))
    trimmed = signer.sign("c", " ".join(WORDS[:100]))
    other = signer.sign("d", " ".join(f"x{i}" for i in range(300)))
    assert verify(full, same).copy
    trimmed_pair = verify(full, trimmed)
    assert trimmed_pair.similarity < Rules().similarity and trimmed_pair.copy
    assert not verify(full, other).copy
    assert not verify(full, trimmed, Rules(containment=1.01)).copy


def test_a_tiny_brief_is_not_a_copy_by_containment_alone() -> None:
    full = signer.sign("a", " ".join(WORDS))
    brief = signer.sign("b", " ".join(WORDS[:12]))
    assert not verify(full, brief).copy


def test_copies_of_copies_join_one_component() -> None:
    components = Components()
    components.union("b", "c")
    components.union("c", "a")
    components.find("z")
    assert components.groups() == [["a", "b", "c"]]


def test_origin_is_the_credited_then_earliest_then_most_complete_copy() -> None:
    docs = [
        Document("x", date="2024-01-02T08:00:00Z", words=500),
        Document("y", date="2024-01-01", words=100),
        Document("z", date="2024-01-03", credit="REUTERS", agency="Reuters", words=90),
        Document("w", date="not a date", words=900),
    ]
    same = [signer.sign(d.id, "one text") for d in docs]
    assert [d.id for d in origin_order(docs, same)] == ["z", "y", "x", "w"]
    texts = {"wire": WORDS, "trim": WORDS[:150], "local": WORDS + [f"local{i}" for i in range(60)]}
    signatures = [signer.sign(k, " ".join(v)) for k, v in texts.items()]
    undated = [Document("wire", words=300), Document("trim", words=900), Document("local", words=800)]
    assert origin_order(undated, signatures)[0].id == "wire"  # nearer each copy than they are to each other


def test_dates_are_read_in_iso_and_rss_forms() -> None:
    assert parse_date("2024-02-20T08:00:00Z") == date(2024, 2, 20)
    assert parse_date("Tue, 20 Feb 2024 08:00:00 +0000") == date(2024, 2, 20)
    assert parse_date("last week") is None and parse_date(None) is None


def test_a_copy_keeping_only_the_first_40_percent_is_still_a_copy() -> None:
    paragraphs = [" ".join(WORDS[i : i + 30]) for i in range(0, 300, 30)]
    full = signer.sign("full", "\n".join(paragraphs))
    lead = signer.sign("lead", "\n".join(paragraphs[:4]))
    pair = verify(full, lead, Rules(similarity=1.01))  # containment alone must decide
    assert pair.similarity < 0.5
    assert pair.copy and pair.containment > 0.9


def test_sharing_a_quote_alone_never_makes_a_copy() -> None:
    quote = "“" + " ".join(f"q{i}" for i in range(60)) + ",” the minister said."
    mine = signer.sign("mine", " ".join(WORDS[:60]) + "\n" + quote)
    theirs = signer.sign("theirs", " ".join(f"x{i}" for i in range(60)) + "\n" + quote)
    pair = verify(mine, theirs)
    assert pair.similarity > 0.2  # the quote is half of each text...
    assert not pair.copy and pair.containment < 0.2  # ...but not their own words
    plain = quote.replace("“", "").replace("”", "")  # the same words, not marked as a quote, are shared text
    mine_plain = signer.sign("mine", " ".join(WORDS[:60]) + "\n" + plain)
    theirs_plain = signer.sign("theirs", " ".join(f"x{i}" for i in range(60)) + "\n" + plain)
    assert verify(mine_plain, theirs_plain).containment > 0.4


def test_clusters_carry_members_origin_agency_and_lowest_similarity() -> None:
    texts = {"a": WORDS, "b": WORDS[:290], "c": WORDS[5:], "d": [f"x{i}" for i in range(50)]}
    signatures = {k: signer.sign(k, " ".join(v)) for k, v in texts.items()}
    documents = {k: Document(k, words=len(v), agency="AFP" if k == "c" else None) for k, v in texts.items()}
    pairs = [verify(signatures["a"], signatures["b"]), verify(signatures["b"], signatures["c"])]
    (cluster,) = build_clusters(pairs, documents, signatures)
    assert cluster.members == ("a", "b", "c")
    assert cluster.canonical == "c" and cluster.agency == "AFP"
    assert cluster.similarity == min(pair.similarity for pair in pairs)  # the weakest verified link
    assert all(isinstance(p, Pair) and p.copy for p in cluster.pairs)
    assert [copy.id for copy in cluster.copies] == ["c", "a", "b"]  # origin first


def test_each_copy_says_what_it_carries_added_and_cut() -> None:
    wire = [" ".join(f"w{p}x{i}" for i in range(40)) for p in range(8)]
    local = " ".join(f"local{i}" for i in range(40))
    texts = {"wire": wire, "trim": [*wire[:5], local], "same": wire}
    signatures = {k: signer.sign(k, "\n".join(v)) for k, v in texts.items()}
    documents = {k: Document(k, words=40 * len(v), agency="AP" if k == "wire" else None) for k, v in texts.items()}
    pairs = [verify(signatures["wire"], signatures[k]) for k in ("trim", "same")]
    (cluster,) = build_clusters(pairs, documents, signatures)
    copies = {copy.id: copy for copy in cluster.copies}
    assert copies["wire"].carried == 1.0 and not copies["wire"].added and not copies["wire"].cut
    assert copies["same"].carried == 1.0 and not copies["same"].added and not copies["same"].cut
    assert copies["trim"].added == (6,)
    assert copies["trim"].cut == (6, 7, 8)
    assert 0.5 < copies["trim"].carried < 0.75


def test_an_article_contained_in_two_unrelated_stories_joins_only_the_nearer() -> None:
    footer = [f"f{i}" for i in range(40)]  # page clutter a cleaner left in, shared by chance
    texts = {
        "story-a": [f"a{i}" for i in range(300)] + footer,
        "story-b": [f"b{i}" for i in range(300)] + footer + [f"a{i}" for i in range(20)],
        "brief": footer + [f"a{i}" for i in range(20)],
    }
    signatures = {k: signer.sign(k, " ".join(v)) for k, v in texts.items()}
    documents = {k: Document(k, words=len(v)) for k, v in texts.items()}
    pairs = [verify(signatures["brief"], signatures[k], Rules(containment=0.5)) for k in ("story-a", "story-b")]
    assert all(pair.copy for pair in pairs)  # contained in both...
    (cluster,) = build_clusters(pairs, documents, signatures, Rules(containment=0.5))
    assert set(cluster.members) == {"brief", "story-b"}  # ...but joins one: the stories stay apart


def overlapping_articles(seed: int) -> list[Signature]:
    """Articles sharing every amount of one story: trims, leads, briefs, quotes, local additions, an empty one."""
    rng = random.Random(seed)
    story = [f"s{i}" for i in range(300)]
    quote = "“" + " ".join(f"q{i}" for i in range(rng.randint(5, 80))) + ",” she said."
    texts = [""]
    for number in range(60):
        start = rng.randint(0, 280)
        kept = story[start : start + rng.choice([5, 12, 25, 40, 80, 150, 300])]
        own = [f"n{number}x{i}" for i in range(rng.choice([0, 0, 10, 60, 200]))]
        parts = [" ".join(kept), " ".join(own)] + ([quote] if rng.random() < 0.4 else [])
        texts.append("\n".join(rng.sample(parts, len(parts))))
    rng.shuffle(texts)
    return [signer.sign(f"a{n}", text) for n, text in enumerate(texts)]


def sketched(doc_id: str, hashes: list[int], quoted: list[bool]) -> Signature:
    """A signature with a sketch made by hand."""
    values = np.array(hashes, dtype=np.uint32)
    sketch = Sketch(values, np.zeros(len(hashes), np.uint32), np.array(quoted), (len(hashes),))
    return Signature(doc_id, signer.sign(doc_id, doc_id).hashvalues, 4 * len(hashes), sketch)


def test_the_figures_of_many_candidates_at_once_are_verifys() -> None:
    mine = sketched("mine", list(range(10)), [False] * 10)
    theirs = sketched("theirs", list(range(20)), [True] * 10 + [False] * 10)  # as many own shingles: a tie
    articles = [*overlapping_articles(seed=7), mine, theirs]
    for article in articles:
        others = [other for other in articles if other is not article] + [signer.sign("empty", "")]
        similarity, containment = measure(article, others)
        pairs = [verify(article, other) for other in others]
        assert [round(figure, 4) for figure in similarity.tolist()] == [pair.similarity for pair in pairs]
        assert [round(figure, 4) for figure in containment.tolist()] == [pair.containment for pair in pairs]


@pytest.mark.parametrize(
    "rules", [Rules(), Rules(containment=0.5), Rules(similarity=0.2, min_shingles=10), Rules(containment=0.9)]
)
def test_copies_among_candidates_are_exactly_the_copies_verify_finds(rules: Rules) -> None:
    articles = overlapping_articles(seed=7)
    found = []
    for article in articles:
        others = [other for other in articles if other is not article]
        for candidates in (others, others[:2]):  # screened at once, and verified one by one
            expected = [pair for pair in (verify(article, other, rules) for other in candidates) if pair.copy]
            assert copies_among(article, candidates, rules) == expected
            assert copies_among(article, Signatures.of(candidates), rules) == expected  # screened however few
            found += expected
    assert 100 < len(found) < len(articles) ** 2 // 2  # copies and non-copies both, by every rule


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_figures_and_copies_of_many_pairs_at_once_are_verifys(seed: int) -> None:
    articles = overlapping_articles(seed=seed)
    articles.append(sketched("mine", list(range(10)), [False] * 10))
    articles.append(sketched("theirs", list(range(20)), [True] * 10 + [False] * 10))
    rng = np.random.default_rng(seed)
    left, right = rng.integers(0, len(articles), 400), rng.integers(0, len(articles), 400)
    a, b = Signatures.of(articles), Signatures.of([articles[j] for j in right.tolist()])
    similarity, containment = measure(a, b, left)  # each row of b against its row of a
    pairs = [verify(articles[i], articles[j]) for i, j in zip(left.tolist(), right.tolist(), strict=True)]
    assert [round(figure, 4) for figure in similarity.tolist()] == [pair.similarity for pair in pairs]
    assert [round(figure, 4) for figure in containment.tolist()] == [pair.containment for pair in pairs]
    for rules in (Rules(), Rules(containment=0.5), Rules(similarity=0.2, min_shingles=10)):
        expected = [verify(articles[i], articles[j], rules) for i, j in zip(left.tolist(), right.tolist(), strict=True)]
        copies = copies_between(a, b, rules, left)
        assert copies == [(row, pair) for row, pair in enumerate(expected) if pair.copy]
        assert 20 < len(copies) < 380


def columns_of(articles: list[Signature]) -> Columns:
    """Signatures laid out as an index's columns, a row each, with a spare row of room at the end."""
    held = Signatures.of(articles)
    spare = np.zeros((1, held.hashvalues.shape[1]), np.uint32)
    return Columns(
        np.concatenate([held.hashvalues, spare]),
        held.sizes,
        np.cumsum(held.lengths) - held.lengths,
        held.lengths,
        np.concatenate([held.hashes, np.zeros(3, np.uint32)]),
        np.concatenate([held.quoted, np.zeros(3, bool)]),
        articles.__getitem__,
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_figures_and_copies_of_pairs_read_in_place_are_those_measured_on_gathered_arrays(seed: int) -> None:
    articles = overlapping_articles(seed=seed)
    articles.append(sketched("mine", list(range(10)), [False] * 10))
    articles.append(sketched("theirs", list(range(20)), [True] * 10 + [False] * 10))
    articles.append(sketched("quotes", list(range(5, 12)), [True] * 6 + [False]))  # small, mostly quoted
    rng = np.random.default_rng(seed)
    left, right = rng.integers(0, len(articles), 600), rng.integers(0, len(articles), 600)
    columns = columns_of(articles)
    a, b = Signatures.of(articles), Signatures.of([articles[j] for j in right.tolist()])
    similarity, containment = measure(a, b, left)
    in_place = pair_figures(columns, left, right, min_samples=8)
    assert np.array_equal(in_place[0], similarity)
    assert np.allclose(in_place[1], containment, rtol=0, atol=1e-12)
    cut = pair_figures(columns, left, right, min_samples=8, cutoff=0.3)  # no similarity below 0.3 contained
    assert np.array_equal(cut[1], in_place[1])
    skipped = cut[0] != in_place[0]
    assert skipped.any() and (cut[0][skipped] == 0).all() and (in_place[1][skipped] < 0.3).all()
    for rules in (Rules(), Rules(containment=0.5), Rules(similarity=0.2, min_shingles=10)):
        copies = copies_in(columns, left, right, rules)
        assert copies == copies_between(a, b, rules, left)
        assert 20 < len(copies) < 580


def test_the_shares_of_equal_values_read_in_place_are_named_alikes() -> None:
    rng = np.random.default_rng(5)
    matrix = rng.integers(0, 4, size=(50, 128), dtype=np.uint32)  # few values: every share from 0 to 1 occurs
    matrix[7] = matrix[3]
    left, right = rng.integers(0, 50, 500), rng.integers(0, 50, 500)
    left[0], right[0] = 3, 7
    shares = shared_values(matrix, left, right)
    assert shares[0] == 1.0 and shares.min() < 0.2
    for threshold in (0.2, 0.25, 0.3):
        assert np.array_equal(shares >= threshold, named_alike(matrix[left], matrix[right], threshold))
