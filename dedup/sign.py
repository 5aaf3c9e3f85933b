"""MinHash signatures of cleaned articles: normalised word shingles, hashed and permuted in numpy.

The signatures are bit-identical to a ``datasketch.MinHash`` built with the same scheme, seed and
hash function (`shingle_hash`), so they work with datasketch's LSH, its storages and LSH Ensemble;
only the arithmetic is done over whole arrays instead of one shingle at a time.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt
import xxhash
from datasketch import LeanMinHash, MinHash

from dedup.model import Signature

SCHEME = "affine32"  # datasketch 2.x; stated, never defaulted: a scheme change breaks every stored signature
NUM_PERM = 128
SEED = 1
SHINGLE = 3
_PRIME = np.uint32(0x01000193)  # FNV prime: mixes each word's hash into the shingle's
_FMIX = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))
WORD = re.compile(r"\w+")
# Words that house styles add or drop without changing the story ("Mr Kim" / "Kim").
HONORIFICS = frozenset({"mr", "mrs", "ms", "mx", "dr", "sir", "herr", "frau", "mme", "m", "sr", "sra"})


def tokens(text: str) -> list[str]:
    """The words of a text in a house-style-free form: case folded, typography unified, honorifics gone."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return [word for word in WORD.findall(folded) if word not in HONORIFICS]


def word_hash(word: str) -> int:
    """A word's 32-bit hash (xxh32: fast, well distributed, stable across platforms and runs)."""
    return int(xxhash.xxh32_intdigest(word.encode("utf-8")))


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
    words = tokens(text)
    if not words:
        return []
    return [" ".join(words[i : i + n]).encode("utf-8") for i in range(max(1, len(words) - n + 1))]


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

    @cached_property
    def permutations(self) -> npt.NDArray[np.uint32]:
        """The (a, b) parameters of the permutations, exactly as datasketch draws them."""
        params = MinHash(num_perm=self.num_perm, seed=self.seed, scheme=SCHEME).permutations
        return np.asarray(params, dtype=np.uint32)

    def sign(self, doc_id: str, text: str) -> Signature:
        """The signature of one article's text."""
        word_hashes = self._word_hashes(text)
        if not len(word_hashes):
            empty = np.full(self.num_perm, np.iinfo(np.uint32).max, dtype=np.uint32)
            return Signature(doc_id, empty, 0)
        hashes = np.unique(combine(word_hashes, self.shingle))
        a, b = self.permutations
        mixed = fmix32(hashes)
        values = (a[:, None] * mixed[None, :] + b[:, None]).min(axis=1)
        return Signature(doc_id, values.astype(np.uint32), len(hashes))

    def _word_hashes(self, text: str) -> npt.NDArray[np.uint32]:
        """Every normalised word's hash, in order."""
        return np.fromiter((word_hash(word) for word in tokens(text)), dtype=np.uint32)

    def minhash(self, signature: Signature) -> LeanMinHash:
        """The signature as a datasketch LeanMinHash, for datasketch's LSH and storages."""
        return LeanMinHash(seed=self.seed, hashvalues=signature.hashvalues, scheme=SCHEME)

    @staticmethod
    def similarity(a: Signature, b: Signature) -> float:
        """Estimated Jaccard similarity of two articles' shingle sets."""
        if not a.size or not b.size:
            return 0.0
        return float(np.mean(a.hashvalues == b.hashvalues))

    @staticmethod
    def containment(a: Signature, b: Signature) -> float:
        """Estimated share of the smaller article's shingles that the larger one also holds."""
        jaccard = Signer.similarity(a, b)
        small = min(a.size, b.size)
        if not small:
            return 0.0
        return min(1.0, jaccard * (a.size + b.size) / ((1.0 + jaccard) * small))
