"""An in-memory LSH index over datasketch's MinHashLSH: the embedded default, nothing to start."""

from __future__ import annotations

from datasketch import MinHashLSH

from dedup.model import Signature
from dedup.sign import Signer

# Low on purpose: LSH only proposes candidates, verification decides. A copy that kept 40% of a
# wire story and added paragraphs of its own has a Jaccard similarity near 0.2 with it.
LSH_THRESHOLD = 0.15
# Names shared by independent reports of one story overlap from about 0.3 (see dedup.related); name sets
# are small, so LSH needs a wide margin below that: at 0.25 (3-row bands) the seeds lost 001, at
# 0.2 (2-row bands) a pair at 0.31 is proposed 94% of the time.
TOPIC_THRESHOLD = 0.2


class MemoryIndex:
    """Signatures in memory, with an LSH over them for candidate look-ups.

    Args:
        signer: The signer whose signatures are indexed (its permutations and size).
        threshold: Jaccard similarity at which LSH starts to propose a pair as candidates.
        topic_threshold: The same for the names two articles mention (the `related` level).
        min_names: Articles naming fewer names are kept out of the names LSH: they are never related,
            and a crowd of articles naming one city would all collide.
    """

    def __init__(
        self,
        signer: Signer,
        threshold: float = LSH_THRESHOLD,
        topic_threshold: float = TOPIC_THRESHOLD,
        min_names: int = 1,
    ) -> None:
        self.signer = signer
        self.min_names = max(1, min_names)
        self.lsh = MinHashLSH(threshold=threshold, num_perm=signer.num_perm)
        self.topics = MinHashLSH(threshold=topic_threshold, num_perm=signer.num_perm)
        self.signatures: dict[str, Signature] = {}

    def __len__(self) -> int:
        return len(self.signatures)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self.signatures

    def candidates(self, signature: Signature) -> list[str]:
        """Ids of indexed articles that share at least one LSH band with this signature, sorted."""
        if not signature.size or not self.signatures:
            return []
        found = self.lsh.query(self.signer.minhash(signature))
        return sorted(str(key) for key in found if key != signature.id)

    def related(self, signature: Signature) -> list[str]:
        """Ids of indexed articles whose names overlap this one's enough to be worth checking, sorted."""
        if signature.names < self.min_names or signature.topic is None or not self.signatures:
            return []
        found = self.topics.query(self.signer.topic_minhash(signature))
        return sorted(str(key) for key in found if key != signature.id)

    def insert(self, signature: Signature) -> None:
        """Add a signature; an id indexed before is replaced."""
        for lsh in (self.lsh, self.topics):
            if signature.id in lsh:
                lsh.remove(signature.id)
        self.signatures[signature.id] = signature
        if signature.size:
            self.lsh.insert(signature.id, self.signer.minhash(signature), check_duplication=False)
        if signature.names >= self.min_names:
            self.topics.insert(signature.id, self.signer.topic_minhash(signature), check_duplication=False)

    def signature(self, doc_id: str) -> Signature:
        """The signature indexed under an id."""
        return self.signatures[doc_id]
