"""Signatures: house-style-free shingles, identical to datasketch's MinHash, honest estimates."""

from __future__ import annotations

import random

import numpy as np
import numpy.typing as npt
import pytest
from datasketch import MinHash

from dedup.model import Signature, Sketch
from dedup.names import names
from dedup.normalise import words
from dedup.sign import (
    SAMPLE,
    SCHEME,
    Signer,
    fmix32,
    shingle_hash,
    shingles,
    text_word_hashes,
    tokens,
    word_hash,
    word_hashes,
)

STORY = (
    "Mr Kim's sister conveyed his thanks to Mr Putin, saying that “the gift serves as a clear "
    "demonstration of the special personal relations between the top leaders”, KCNA said."
)


def test_normalisation_drops_house_style() -> None:
    assert tokens("Mr Kim’s “gift” — SAID") == tokens('Kim\'s "gift" - said')
    assert tokens("Dr. Who") == ["who"]


def test_signatures_are_bit_identical_to_datasketch() -> None:
    signer = Signer()
    for text in (STORY, "one two", "word", STORY.upper() * 3):
        reference = MinHash(num_perm=128, seed=1, scheme=SCHEME, hashfunc=shingle_hash)
        reference.update_batch(shingles(text))
        assert np.array_equal(signer.sign("x", text).hashvalues, reference.hashvalues)


def test_permutations_are_drawn_as_datasketch_draws_them() -> None:
    for num_perm, seed in ((128, 1), (64, 7), (256, 12345), (1, 0)):
        expected = MinHash(num_perm=num_perm, seed=seed, scheme=SCHEME).permutations
        assert np.array_equal(Signer(num_perm=num_perm, seed=seed).permutations, expected)


def test_a_signer_without_permutations_is_refused() -> None:
    with pytest.raises(ValueError, match="num_perm"):
        Signer(num_perm=0)


def test_other_seeds_and_sizes_stay_identical_to_datasketch() -> None:
    signer = Signer(num_perm=64, seed=7, shingle=5)
    reference = MinHash(num_perm=64, seed=7, scheme=SCHEME, hashfunc=shingle_hash)
    reference.update_batch(shingles(STORY, 5))
    assert np.array_equal(signer.sign("x", STORY).hashvalues, reference.hashvalues)


def test_similarity_of_a_copy_in_house_style_is_high_and_of_another_story_low() -> None:
    signer = Signer()
    original = signer.sign("a", STORY)
    restyled = signer.sign("b", STORY.replace("Mr ", "").replace("“", '"').replace("”", '"'))
    other = signer.sign("c", "The council voted on the budget after a long debate in the chamber on Monday.")
    assert signer.similarity(original, restyled) == 1.0
    assert signer.similarity(original, other) < 0.1


def test_containment_sees_a_trimmed_copy() -> None:
    signer = Signer()
    words = [f"w{i}" for i in range(400)]
    full = signer.sign("full", " ".join(words))
    trimmed = signer.sign("part", " ".join(words[:160]))
    assert signer.similarity(full, trimmed) < 0.5
    assert signer.containment(full, trimmed) > 0.8
    assert full.size == 398 and trimmed.size == 158


def test_an_empty_text_matches_nothing() -> None:
    signer = Signer()
    empty = signer.sign("e", "  ...  ")
    assert empty.size == 0
    assert signer.similarity(empty, empty) == 0.0


def test_words_tokenised_elsewhere_get_datasketchs_values() -> None:
    words = "Reuters said on Friday the talks would resume in Geneva next week".lower().split()
    reference = MinHash(num_perm=128, seed=1, scheme=SCHEME, hashfunc=shingle_hash)
    reference.update_batch([" ".join(words[i : i + 3]).encode() for i in range(len(words) - 2)])
    assert np.array_equal(Signer().hashvalues(words), reference.hashvalues)
    assert not np.array_equal(Signer().hashvalues(words[1:]), reference.hashvalues)


def test_words_found_in_numpy_are_the_words_str_split_finds() -> None:
    text = "Zürich\u00a0said\tthe  “deal”\n\u3000東京 is off\x1cnow " + " ".join(f"w{i}" for i in range(3000))
    words = text.split()
    assert list(text_word_hashes(text)) == [word_hash(word) for word in words]
    assert np.array_equal(Signer().text_hashvalues(text), Signer().hashvalues(words))
    assert len(text_word_hashes(" \n ")) == 0
    every_space = "a" + "b".join(chr(c) for c in range(0x110000) if chr(c).isspace()) + "c"
    assert list(text_word_hashes(every_space)) == [word_hash(word) for word in every_space.split()]
    quoted = "„Ja“ – «oui» — ‘sí’ é\u00e9"
    assert list(text_word_hashes(quoted)) == [word_hash(word) for word in quoted.split(" ")]


def test_word_hashes_tell_words_apart() -> None:
    words = ["a", "b", "ab", "ba", "aa", "a" * 9, "é", "e"] + [
        f"w{i}" for i in range(2000)
    ]  # 2,000: a fair 32-bit hash collides there 1 time in 2,000
    assert len(set(word_hashes(words).tolist())) == len(words)


def test_word_hashes_of_any_strings_are_their_word_hash() -> None:
    odd = ["", " ", "a b", "\ud800", "x\udfffy", "😀", "é", "e\u0301", "東京", "\x00", "tab\there", "ab", "a"]
    rng = random.Random(3)
    odd += ["".join(chr(rng.randint(0, 0x10FFFF)) for _ in range(rng.randint(0, 12))) for _ in range(500)]
    assert word_hashes(odd).tolist() == [word_hash(word) for word in odd]
    assert word_hashes(odd[::-1]).tolist() == [word_hash(word) for word in odd[::-1]]  # remembered this time


def test_names_that_unicode_spells_with_spaces_still_sign() -> None:
    signature = Signer().sign("x", "The envoy met Aﷺ in town, and then ͺ Bob, said Reuters.")
    assert signature.names >= 2


def reference_minhash(signer: Signer, hashes: list[int]) -> npt.NDArray[np.uint32]:
    """MinHash as its definition says: per permutation, the least (a * fmix32(h) + b) mod 2**32."""
    if not hashes:
        return np.full(signer.num_perm, 0xFFFFFFFF, dtype=np.uint32)
    mixed = fmix32(np.array(hashes, dtype=np.uint32)).astype(np.uint64)
    a, b = signer.permutations.astype(np.uint64)
    return ((a[:, None] * mixed[None, :] + b[:, None]) % (1 << 32)).min(axis=1).astype(np.uint32)  # type: ignore[no-any-return]


def reference_signature(signer: Signer, text: str) -> Signature:
    """`Signer.sign` written plainly from `words`, `names` and `word_hash`, one shingle at a time."""
    normal = words(text)
    hashes = [word_hash(word) for word in normal.words]
    width = min(signer.shingle, len(hashes))
    runs = [hashes[k : k + width] for k in range(max(1, len(hashes) - signer.shingle + 1))] if hashes else []
    shingle_hashes = []
    for run in runs:
        total = 0
        for value in run:
            total = (total * 0x01000193 + value) % (1 << 32)
        shingle_hashes.append(total)
    first: dict[int, int] = {}
    for k, value in enumerate(shingle_hashes):
        if int(fmix32(np.array([value], dtype=np.uint32))[0]) % SAMPLE == 0:
            first.setdefault(value, k)
    kept = sorted(first)
    sketch_words = tuple(normal.paragraph.count(number) for number in range(normal.paragraphs)) if hashes else ()
    mentioned = sorted({word_hash(name) for name in names(text)})
    return Signature(
        "x",
        reference_minhash(signer, shingle_hashes),
        len(set(shingle_hashes)),
        Sketch(
            np.array(kept, dtype=np.uint32),
            np.array([normal.paragraph[first[value]] for value in kept], dtype=np.uint32),
            np.array([all(normal.quoted[first[value] : first[value] + width]) for value in kept], dtype=bool),
            sketch_words,
        ),
        reference_minhash(signer, mentioned),
        len(mentioned),
    )


def assert_same_signature(found: Signature, expected: Signature) -> None:
    """Every field equal, arrays in value and type."""
    for name in ("hashvalues", "topic"):
        a, b = getattr(found, name), getattr(expected, name)
        assert a.dtype == b.dtype and np.array_equal(a, b), name
    for name in ("hashes", "paragraph", "quoted"):
        a, b = getattr(found.sketch, name), getattr(expected.sketch, name)
        assert a.dtype == b.dtype and np.array_equal(a, b), name
    assert (found.size, found.names, found.sketch.words) == (expected.size, expected.names, expected.sketch.words)


def test_signatures_match_the_plain_definition() -> None:
    pieces = ["the", "The", "cat", "Kim", "Mr", "“", "”", '"', "'s", "5", "per cent", "Feb", "20", ".", "\n", "\n\n"]
    pieces += ["said", "Reuters", "London", "€", "𝐀", "x😀y", "1,000", "colour", "Tuesday", "Ünïcode", "\u00a0"]
    rng = random.Random(11)
    texts = ["", "  ...  ", "one", "one two", "one two three", STORY, STORY * 3, STORY.replace(" ", "\n")]
    texts += ["".join(rng.choice(pieces) + rng.choice(" \n") for _ in range(rng.randint(0, 300))) for _ in range(300)]
    texts += [" ".join(["again"] * 50) + " " + " ".join(f"w{i % 7}" for i in range(200))]  # shingles repeat
    for signer in (Signer(), Signer(num_perm=64, seed=7, shingle=5), Signer(num_perm=3, shingle=1)):
        for text in texts:
            assert_same_signature(signer.sign("x", text), reference_signature(signer, text))
