"""The looser level: independent reports of one story are related; copies always are; others never."""

from __future__ import annotations

import random
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from dedup import Deduplicator, scan
from dedup.cluster import Components
from dedup.index.base import LinkRows, number_links
from dedup.model import Cluster, Related
from dedup.names import names
from dedup.related import build_related, components, is_related
from dedup.sign import Signer

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
signer = Signer()

KIM = (
    "North Korean leader Kim Jong Un received a car from Russian President Vladimir Putin, KCNA said. "
    "The gift broke a United Nations ban, officials in Seoul and Washington said. "
    "Kim and Putin met at the Vostochny cosmodrome in September."
)
KIM_OWN_WORDS = (
    "Pyongyang state media said Vladimir Putin sent Kim Jong Un a limousine. "
    "Analysts in Seoul said the United Nations sanctions bar such luxury goods. "
    "The two leaders last met at Vostochny, KCNA recalled, while Washington protested."
)
BAKE = (
    "The village bakery in Ashford won the County Fair prize on Saturday. "
    "Judges from Kent and Sussex praised its sourdough, said Margaret Hale. "
    "The Ashford Gazette first reported the win, and Hale thanked the Rotary Club."
)


def test_names_are_capitalised_words_that_do_not_open_a_sentence() -> None:
    found = names("The car came from Moscow. It went to Kim’s aides, KCNA said.")
    assert found == {"moscow", "kim", "kcna"}


def test_independent_reports_of_one_story_are_related_and_others_are_not() -> None:
    a, b, c = (signer.sign(k, t) for k, t in (("a", KIM), ("b", KIM_OWN_WORDS), ("c", BAKE)))
    assert is_related(a, b)
    assert not is_related(a, c) and not is_related(b, c)


def test_articles_naming_too_few_names_are_never_related() -> None:
    a = signer.sign("a", "It rained in Paris today and it rained again.")
    b = signer.sign("b", "Rain fell in Paris; more rain is due.")
    assert not is_related(a, b)


def test_every_cluster_lies_inside_one_related_group() -> None:
    clusters = [Cluster("c1", ("a", "b"), "a", 0.9), Cluster("c2", ("x", "y"), "x", 0.8)]
    (group, other) = build_related([("b", "c")], clusters)
    assert group.members == ("a", "b", "c") and group.clusters == ("c1",)
    assert other.members == ("x", "y") and other.clusters == ("c2",)


def test_the_five_seeds_are_one_related_group_around_one_cluster() -> None:
    result = scan([SEEDS])
    (cluster,) = result.clusters
    (group,) = result.related
    assert len(group.members) == 5 and group.clusters == (cluster.id,)
    assert {member[:3] for member in cluster.members} == {"000", "004"}


def test_a_replaced_article_loses_its_old_related_links() -> None:
    finder = Deduplicator()
    finder.add(KIM, id="a")
    finder.add(KIM_OWN_WORDS, id="b")
    assert [group.members for group in finder.result().related] == [("a", "b")]
    finder.add(BAKE, id="b")
    assert finder.result().related == ()


def related_one_link_at_a_time(links: Iterable[tuple[str, str]], clusters: list[Cluster]) -> tuple[Related, ...]:
    """Related groups as a union-find over ids makes them, a step per link: what the arrays must give."""
    joined = Components()
    for a, b in links:
        joined.union(a, b)
    for cluster in clusters:
        for member in cluster.members[1:]:
            joined.union(cluster.members[0], member)
    groups = joined.groups()
    place = {joined.find(group[0]): number for number, group in enumerate(groups)}
    inside: list[list[str]] = [[] for _ in groups]
    for cluster in clusters:
        inside[place[joined.find(cluster.members[0])]].append(cluster.id)
    return tuple(Related(f"r{n}", tuple(g), tuple(inside[n - 1])) for n, g in enumerate(groups, start=1))


def a_crowd_of_stories(seed: int) -> tuple[list[str], list[tuple[str, str]], list[Cluster]]:
    """Articles with ids whose order is not the order they came in, links between them (some twice, some an
    article to itself) and clusters of some of them."""
    rng = random.Random(seed)
    ids = [f"{rng.getrandbits(32):08x}" for _ in range(400)]
    links = [(rng.choice(ids), rng.choice(ids)) for _ in range(300)]
    links += [*links[:20], (ids[7], ids[7])]
    alone = rng.sample(ids, 120)
    clusters = [
        Cluster(f"c{n}", tuple(sorted(alone[n * 4 : n * 4 + rng.randint(2, 4)])), alone[n * 4], 0.9) for n in range(30)
    ]
    return ids, links, clusters


def test_related_groups_are_those_a_union_find_over_ids_makes() -> None:
    for seed in range(5):
        ids, links, clusters = a_crowd_of_stories(seed)
        expected = related_one_link_at_a_time(links, clusters)
        assert len(expected) > 10 and any(group.clusters for group in expected)
        assert build_related(links, clusters) == expected
        assert build_related(number_links(ids, links), clusters) == expected


def test_links_given_as_numbers_in_many_blocks_make_the_same_groups() -> None:
    ids, links, clusters = a_crowd_of_stories(1)
    numbered = number_links(ids[::-1], links)
    (block,) = numbered.blocks
    blocks = np.array_split(block[::-1], 7)  # in any order, in blocks of any size
    assert build_related(LinkRows(numbered.ids, numbered.rows, blocks), clusters) == build_related(links, clusters)


def test_a_long_chain_of_links_is_one_component_whose_root_is_its_smallest_number() -> None:
    chain = np.array([[number + 1, number] for number in range(0, 5000, 2)] + [[n, n + 1] for n in range(1, 5000, 2)])
    roots = components(5002, [chain[::-1].astype(np.int32)])
    assert roots[:5001].tolist() == [0] * 5001 and roots[5001] == 5001
