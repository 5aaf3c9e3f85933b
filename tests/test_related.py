"""The looser level: independent reports of one story are related; copies always are; others never."""

from __future__ import annotations

from pathlib import Path

from dedup import Deduplicator, scan
from dedup.model import Cluster
from dedup.names import names
from dedup.related import build_related, is_related
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
