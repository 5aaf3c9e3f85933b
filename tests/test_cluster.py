"""Verification, components and the likely origin of a cluster."""

from __future__ import annotations

from dedup.cluster import Components, Rules, build_clusters, origin_key, verify
from dedup.model import Document, Pair
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


def test_origin_is_the_credited_then_earliest_then_longest_copy() -> None:
    docs = [
        Document("x", date="2024-01-02", words=500),
        Document("y", date="2024-01-01", words=100),
        Document("z", date="2024-01-03", credit="REUTERS", words=90),
    ]
    assert sorted(docs, key=origin_key)[0].id == "z"
    assert sorted(docs[:2], key=origin_key)[0].id == "y"


def test_clusters_carry_members_origin_agency_and_lowest_similarity() -> None:
    texts = {"a": WORDS, "b": WORDS[:290], "c": WORDS[5:], "d": [f"x{i}" for i in range(50)]}
    signatures = {k: signer.sign(k, " ".join(v)) for k, v in texts.items()}
    documents = {k: Document(k, words=len(v), credit="AFP" if k == "c" else None) for k, v in texts.items()}
    pairs = [verify(signatures["a"], signatures["b"]), verify(signatures["b"], signatures["c"])]
    (cluster,) = build_clusters(pairs, documents, signatures)
    assert cluster.members == ("a", "b", "c")
    assert cluster.canonical == "c" and cluster.agency == "AFP"
    assert cluster.similarity == min(
        round(signer.similarity(signatures[a], signatures[b]), 4) for a, b in [("a", "b"), ("a", "c"), ("b", "c")]
    )
    assert all(isinstance(p, Pair) and p.copy for p in cluster.pairs)
