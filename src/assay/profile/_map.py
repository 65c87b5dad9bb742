"""The fitted traffic map: what is needed to place *new* texts into a profile's slices.

A profile stores its slices in the database, and the fitted embedder and the cluster
centroids with them (table ``profile_models``, see :mod:`._mapstore`), so that any text
(an eval set, a demo file, a public benchmark never ingested) can be embedded the same
way and assigned to the nearest centroid. A text is *unmatched* (production has
nothing like it) when its distance to the nearest of a seeded reference sample of
production records exceeds ``nn_threshold``: the 99th percentile of the same
nearest-neighbour distance measured among production records themselves
(leave-one-out). A centroid radius would not do: a broad cluster reaches far.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from assay.profile._embed import Embedder, chunks

OTHER = "other"
UNMATCHED = "(unmatched)"
MAP_VERSION = 1


def normalize_rows(m: np.ndarray) -> np.ndarray:
    return m / np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-12)


def slice_key(topic: int, meta: dict[str, Any], strata: Sequence[str]) -> str:
    key = f"t{int(topic):02d}"
    for s in strata:
        key += f"|{s}={meta.get(s, 'none')}"
    return key


@dataclass
class TrafficMap:
    """Fitted embedder + unit centroids + per-topic radius + the slice ids of the profile."""

    profile_id: str
    embedder: Embedder
    centroids: np.ndarray
    radius: np.ndarray
    strata: list[str]
    slice_ids: set[str]
    reference: np.ndarray
    nn_threshold: float
    version: int = MAP_VERSION
    extra: dict[str, Any] = field(default_factory=dict)

    def nearest(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Nearest topic and cosine distance to it, for unit rows ``x``."""
        topics = np.empty(len(x), dtype=np.int32)
        dist = np.empty(len(x), dtype=np.float32)
        for part in chunks(len(x), 50_000):
            sims = x[part] @ self.centroids.T
            topics[part] = sims.argmax(axis=1)
            dist[part] = 1.0 - sims[np.arange(sims.shape[0]), topics[part]]
        return topics, dist

    def nn_distance(self, x: np.ndarray) -> np.ndarray:
        """Cosine distance from each row of ``x`` to its nearest production reference record."""
        out = np.empty(len(x), dtype=np.float32)
        for part in chunks(len(x), 2000):
            out[part] = 1.0 - (x[part] @ self.reference.T).max(axis=1)
        return out

    def assign(
        self, texts: Sequence[str], metas: Sequence[dict[str, Any]] | None = None, vectors: np.ndarray | None = None
    ) -> tuple[list[str], np.ndarray, np.ndarray]:
        """Slice id (or :data:`UNMATCHED`), distance and embedding of each text."""
        x = self.embedder.transform(texts) if vectors is None else vectors
        topics, dist = self.nearest(x)
        nn = self.nn_distance(x)
        metas = metas or [{}] * len(texts)
        out: list[str] = []
        for t, d, meta in zip(topics, nn, metas):
            if d > self.nn_threshold:
                out.append(UNMATCHED)
                continue
            key = slice_key(t, meta, self.strata)
            out.append(key if key in self.slice_ids else (OTHER if OTHER in self.slice_ids else UNMATCHED))
        return out, dist, x


def map_path(state_dir: Path, profile_id: str) -> Path:
    """Where projects profiled before maps were kept in the store have their pickled map."""
    return state_dir / "profiles" / f"{profile_id}.pkl"


def reference_sample(x: np.ndarray, seed: int, n: int = 5000, quantile: float = 0.99) -> tuple[np.ndarray, float]:
    """A seeded sample of production rows and the ``quantile`` of their leave-one-out NN distance."""
    rng = np.random.default_rng(seed)
    idx = np.sort(rng.choice(len(x), size=min(n, len(x)), replace=False))
    ref = np.ascontiguousarray(x[idx], dtype=np.float32)
    nn = np.empty(len(ref), dtype=np.float32)
    for part in chunks(len(ref), 1000):
        sims = ref[part] @ ref.T
        rows = np.arange(part.start, part.stop)
        sims[rows - part.start, rows] = -np.inf  # leave the record itself out
        nn[part] = 1.0 - sims.max(axis=1)
    return ref, float(np.quantile(nn, quantile))
