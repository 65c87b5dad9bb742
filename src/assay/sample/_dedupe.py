"""Near-duplicate removal with MinHash and locality-sensitive hashing (datasketch).

Each text becomes the set of its word 3-shingles (lower-cased, digits masked); two
texts whose estimated Jaccard similarity is above ``threshold`` are near-duplicates.
Texts are visited in the order given and a text is kept unless LSH finds an already
kept near-duplicate, so the caller decides which copy survives (e.g. the one nearest
its slice centre).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_WORD = re.compile(r"\w+")


def shingles(text: str, k: int = 3) -> set[bytes]:
    words = _WORD.findall(re.sub(r"\d", "0", text.lower()))
    if len(words) < k:
        return {" ".join(words).encode()}
    return {" ".join(words[i : i + k]).encode() for i in range(len(words) - k + 1)}


def near_duplicates(texts: Sequence[str], *, threshold: float = 0.9, num_perm: int = 64, seed: int = 1) -> list[bool]:
    """``keep[i]`` is False when text i near-duplicates an earlier kept text.

    LSH needs at least two bands, so thresholds above 0.95 are treated as 0.95.
    """
    threshold = min(threshold, 0.95)
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    hashes = MinHash.bulk([shingles(t) for t in texts], num_perm=num_perm, seed=seed)
    keep: list[bool] = []
    for i, mh in enumerate(hashes):
        if lsh.query(mh):
            keep.append(False)
            continue
        lsh.insert(str(i), mh)
        keep.append(True)
    return keep
