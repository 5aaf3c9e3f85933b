"""MinHash signatures of cleaned articles: normalised word shingles, hashed and permuted in compiled loops.

The signatures are bit-identical to a ``datasketch.MinHash`` built with the same scheme, seed and
hash function (`shingle_hash`), so they work with datasketch's LSH, its storages and LSH Ensemble;
only the arithmetic is done in one pass over the words (`dedup.kernels`) instead of one shingle at a time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from dedup.model import Signature, Sketch
from dedup.names import names
from dedup.normalise import tokens
from dedup.normalise import word_hashes as normal_word_hashes

if TYPE_CHECKING:
    from datasketch import LeanMinHash

SCHEME = "affine32"  # datasketch 2.x; stated, never defaulted: a scheme change breaks every stored signature
NUM_PERM = 128
SEED = 1
SHINGLE = 3
_PRIME = np.uint32(0x01000193)  # FNV prime: mixes each word's hash into the shingle's
_FMIX = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))
# One shingle in SAMPLE is kept, with its paragraph and quote flag, for containment and alignment.
# The choice is made by the shingle's hash, so two texts keep the same shingles where they agree.
SAMPLE = 4


_HASHES: dict[str, int] = {}  # word -> its hash
CACHE_LIMIT = 500_000  # words remembered (about 60 MB); past it the memory starts again
# Word hashes: a polynomial over a word's bytes modulo 2**64 (odd ratio, so it has an inverse).
_2_64 = 1 << 64
_P64 = 0x100000001B3  # FNV-1a's 64-bit prime
_MIX = 0x9E3779B97F4A7C15  # odd: its product's top 32 bits depend on every bit of the sum
_OTHER_SPACES = "\x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000"
_OTHER_SPACE = re.compile(f"[{_OTHER_SPACES}]")


def word_hash(word: str) -> int:
    """A word's 32-bit hash: the scalar twin of `text_word_hashes`, one word at a time."""
    data = word.encode("utf-8", "surrogatepass")
    total = sum((byte + 1) * pow(_P64, power, _2_64) for power, byte in enumerate(data))
    return ((total % _2_64) * _MIX % _2_64) >> 32


def word_hashes(words: list[str]) -> npt.NDArray[np.uint32]:
    """The `word_hash` of every word, remembered between calls.

    A news corpus repeats a small vocabulary endlessly: a look-up beats even compiled code for short
    texts. New words are hashed together, in one compiled pass over their code points.
    """
    known = _HASHES
    try:
        return np.fromiter(map(known.__getitem__, words), dtype=np.uint32, count=len(words))
    except KeyError:
        from dedup import kernels

        if len(known) > CACHE_LIMIT:
            known.clear()
        new = list(set(words).difference(known))
        codes = np.frombuffer(bytearray("".join(new).encode("utf-32-le", "surrogatepass")), dtype=np.uint32)
        bounds = np.zeros(len(new) + 1, dtype=np.int64)
        np.cumsum(np.fromiter(map(len, new), dtype=np.int64, count=len(new)), out=bounds[1:])
        known.update(zip(new, kernels.list_hashes(codes, bounds).tolist(), strict=True))
        return np.fromiter(map(known.__getitem__, words), dtype=np.uint32, count=len(words))


def text_word_hashes(text: str) -> npt.NDArray[np.uint32]:
    """The `word_hash` of each of ``text.split()``'s words, found and hashed in one compiled pass.

    A word's hash is a polynomial over its UTF-8 bytes (each plus one, so no byte counts as nothing),
    modulo 2**64, multiplied down to 32 bits.
    """
    from dedup import kernels

    if not text.isascii() and any(space in text for space in _OTHER_SPACES):  # str.split() splits at these too
        text = _OTHER_SPACE.sub(" ", text)
    return kernels.split_hashes(np.frombuffer(text.encode("utf-8", "surrogatepass"), dtype=np.uint8))


def combine(word_hashes: npt.NDArray[np.uint32], n: int) -> npt.NDArray[np.uint32]:
    """The hash of every run of `n` consecutive words, from the words' own hashes."""
    count = max(1, len(word_hashes) - n + 1)
    width = min(n, len(word_hashes))
    out = np.zeros(count, dtype=np.uint32)
    for j in range(width):
        out = out * _PRIME + word_hashes[j : j + count]
    return out


def shingle_hash(shingle: bytes) -> int:
    """The hash of one shingle given as space-joined words: the scalar twin of `combine`, for datasketch."""
    words = shingle.decode("utf-8").split(" ")
    hashes = np.array([word_hash(word) for word in words], dtype=np.uint32)
    return int(combine(hashes, len(words))[0])


def shingles(text: str, n: int = SHINGLE) -> list[bytes]:
    """The article's shingles as datasketch would be given them: runs of `n` normalised words."""
    found = tokens(text)
    if not found:
        return []
    return [" ".join(found[i : i + n]).encode("utf-8") for i in range(max(1, len(found) - n + 1))]


def fmix32(values: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint32]:
    """MurmurHash3's finalizer, which datasketch's affine schemes apply to every input hash."""
    s1, m1, s2, m2, s3 = _FMIX
    values = values ^ (values >> s1)
    values = values * m1
    values = values ^ (values >> s2)
    values = values * m2
    return values ^ (values >> s3)


@dataclass(frozen=True)
class Signer:
    """Turns article texts into MinHash signatures.

    Args:
        num_perm: Permutations per signature (more: finer similarity estimates, more memory).
        seed: Seed of the permutations; signatures of two seeds never match.
        shingle: Words per shingle.

    Example:
        >>> signer = Signer()
        >>> a = signer.sign("a", "The car was delivered to Kim's top aides on Feb 18.")
        >>> signer.similarity(a, a)
        1.0
    """

    num_perm: int = NUM_PERM
    seed: int = SEED
    shingle: int = SHINGLE

    def __post_init__(self) -> None:
        """Refuse a signer that could sign nothing: no permutations, or shingles of no words."""
        if self.num_perm < 1 or self.shingle < 1:
            raise ValueError(f"num_perm and shingle must be at least 1 (got {self.num_perm} and {self.shingle})")

    @cached_property
    def permutations(self) -> npt.NDArray[np.uint32]:
        """The (a, b) parameters of the permutations, exactly as datasketch's affine32 MinHash draws them."""
        # Drawn here, not taken from datasketch.MinHash: importing datasketch imports scipy, a second
        # of every worker's start. A test holds the two equal.
        draw = np.random.RandomState(self.seed)
        a = draw.randint(0, 1 << 31, self.num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
        b = draw.randint(0, 1 << 32, self.num_perm, dtype=np.uint32)
        return np.array([a, b])

    def sign(self, doc_id: str, text: str) -> Signature:
        """The signature of one article's text: its MinHash, a sample of its shingles, its names."""
        from dedup import kernels

        normal = normal_word_hashes(text)
        mentioned = word_hashes(list(names(text)))
        topic, count = self._minhash(mentioned), kernels.distinct_count(mentioned)
        if not len(normal.hashes):
            return Signature(doc_id, self._minhash(np.empty(0, np.uint32)), 0, Sketch.empty(), topic, count)
        a, b = self._rows
        hashvalues, size, kept, paragraph, quoted, sizes = kernels.signature(
            normal.hashes, normal.paragraph, normal.quoted, normal.paragraphs, self.shingle, a, b, SAMPLE
        )
        sketch = Sketch(kept, paragraph, quoted, tuple(sizes.tolist()))
        return Signature(doc_id, hashvalues, size, sketch, topic, count)

    def hashvalues(self, words: list[str]) -> npt.NDArray[np.uint32]:
        """The MinHash of a word list's `shingle`-word runs, for words tokenised elsewhere.

        The same values as a datasketch ``MinHash(num_perm, seed, scheme=SCHEME, hashfunc=shingle_hash)``
        updated with the runs joined by spaces; no normalisation, no sketch, no names.
        """
        from dedup import kernels

        if not words:
            return self._minhash(np.empty(0, np.uint32))
        return self._minhash(kernels.shingles(word_hashes(words), self.shingle))

    def text_hashvalues(self, text: str) -> npt.NDArray[np.uint32]:
        """`hashvalues` of ``text.split()``, with the words found and hashed in compiled loops, never one by one."""
        from dedup import kernels

        hashes = text_word_hashes(text)
        if not len(hashes):
            return self._minhash(hashes)
        return self._minhash(kernels.shingles(hashes, self.shingle))

    def _minhash(self, hashes: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint32]:
        """The MinHash values of a set of 32-bit hashes, repeats or not (all ones for the empty set)."""
        from dedup import kernels

        a, b = self._rows
        return kernels.minhash(hashes, a, b)

    @cached_property
    def _rows(self) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.uint32]]:
        """The permutations' a and b, each a contiguous array."""
        a, b = self.permutations
        return np.ascontiguousarray(a), np.ascontiguousarray(b)

    def minhash(self, signature: Signature) -> LeanMinHash:
        """The signature as a datasketch LeanMinHash, for datasketch's LSH and storages."""
        from datasketch import LeanMinHash

        return LeanMinHash(seed=self.seed, hashvalues=signature.hashvalues, scheme=SCHEME)

    def topic_minhash(self, signature: Signature) -> LeanMinHash:
        """The MinHash of the names an article mentions, as a datasketch LeanMinHash."""
        from datasketch import LeanMinHash

        return LeanMinHash(seed=self.seed, hashvalues=signature.topic, scheme=SCHEME)

    @staticmethod
    def similarity(a: Signature, b: Signature) -> float:
        """Estimated Jaccard similarity of two articles' shingle sets."""
        if not a.size or not b.size:
            return 0.0
        return int(np.count_nonzero(a.hashvalues == b.hashvalues)) / len(a.hashvalues)  # np.mean costs 5x more

    @staticmethod
    def containment(a: Signature, b: Signature) -> float:
        """Estimated share of the smaller article's shingles that the larger one also holds."""
        jaccard = Signer.similarity(a, b)
        small = min(a.size, b.size)
        if not small:
            return 0.0
        return min(1.0, jaccard * (a.size + b.size) / ((1.0 + jaccard) * small))
