"""``assay.profile``: divide production traffic into slices with traffic weights.

Topic clusters (TF-IDF/LSA + k-means, k chosen by silhouette within configured
bounds), optionally crossed with metadata strata the user names (locale, channel, ...).
Slices below ``min_slice_share`` of traffic merge into ``other`` with their weight kept.
Everything is seeded, so the same records and settings give the same slices.
"""

from __future__ import annotations

from pathlib import Path

import hashlib
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import orjson
from sklearn.cluster import MiniBatchKMeans
from sklearn.metrics import silhouette_score
from sqlalchemy import delete, insert, select

from assay._progress import ProgressFactory, no_progress
from assay.errors import AssayError, NotFoundError
from assay.profile._embed import TfidfSvdEmbedder
from assay.project import as_project, ProfileSettings, Project
from assay.records import Profile, Slice
from assay.store import Store, utcnow
from assay.store._schema import profiles, record_slices, records, slices

OTHER = "other"
_SILHOUETTE_SAMPLE = 3000


@dataclass
class _Loaded:
    ids: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    meta: list[dict[str, Any]] = field(default_factory=list)


def _load(store: Store, since: datetime | None) -> _Loaded:
    out = _Loaded()
    q = select(records.c.id, records.c.messages, records.c.meta).order_by(records.c.id)
    if since is not None:
        q = q.where(records.c.ts >= since)
    with store.read() as conn:
        for rid, messages, meta in conn.execute(q):
            out.ids.append(rid)
            out.texts.append("\n".join(m["content"] for m in messages if m["role"] == "user"))
            out.meta.append(meta or {})
    return out


def _choose_k(x: np.ndarray, settings: ProfileSettings, task: Any) -> tuple[int, dict[int, float]]:
    rng = np.random.default_rng(settings.seed)
    n = x.shape[0]
    sample = rng.choice(n, size=min(n, _SILHOUETTE_SAMPLE), replace=False)
    k_hi = min(settings.k_max, max(2, n - 1))
    k_lo = min(settings.k_min, k_hi)
    grid = sorted(set(np.linspace(k_lo, k_hi, num=min(8, k_hi - k_lo + 1)).round().astype(int).tolist()))
    scores: dict[int, float] = {}
    for k in grid:
        km = MiniBatchKMeans(n_clusters=k, random_state=settings.seed, n_init=3, batch_size=2048).fit(x)
        labels = km.labels_[sample]
        scores[k] = float(silhouette_score(x[sample], labels)) if len(set(labels)) > 1 else -1.0
        task.advance(1)
    best = max(scores, key=lambda k: (round(scores[k], 3), -k))
    return best, scores


def _terms(tfidf: Any, labels: np.ndarray, vocab: np.ndarray, n_terms: int = 5) -> dict[int, list[str]]:
    overall = np.asarray(tfidf.mean(axis=0)).ravel()
    # Function words ("the", "ich", "el") are in most inputs of every language; terms in
    # more than 8% of all records cannot be what distinguishes a slice.
    doc_freq = np.asarray((tfidf > 0).mean(axis=0)).ravel()
    common = doc_freq > 0.08
    out: dict[int, list[str]] = {}
    for c in np.unique(labels):
        mask = labels == c
        mean = np.asarray(tfidf[mask].mean(axis=0)).ravel()
        lift = np.where(common, -np.inf, mean - overall)
        out[int(c)] = [str(vocab[i]) for i in np.argsort(-lift)[:n_terms] if lift[i] > 0]
    return out


def profile(
    project: Project | str | Path,
    *,
    since: datetime | None = None,
    settings: ProfileSettings | None = None,
    progress: ProgressFactory = no_progress,
    store: Store | None = None,
) -> Profile:
    """Build a traffic map of the records in the store and save it as the current profile."""
    project = as_project(project)
    settings = settings or project.config.profile
    own_store = store is None
    store = store or project.open_store()
    try:
        data = _load(store, since)
        n = len(data.ids)
        if n < max(20, settings.k_min * 2):
            raise AssayError(
                f"only {n} records to profile; need at least {max(20, settings.k_min * 2)}",
                hint="ingest more logs first: assay ingest PATH",
            )
        started = time.perf_counter()
        with progress("embed records", None) as task:
            embedder = TfidfSvdEmbedder(seed=settings.seed)
            x = embedder.fit_transform(data.texts)
            task.advance(1)
        with progress("choose k (silhouette)", None) as task:
            k, silhouettes = _choose_k(x, settings, task)
        km = MiniBatchKMeans(n_clusters=k, random_state=settings.seed, n_init=3, batch_size=2048).fit(x)
        clusters = km.labels_
        dist = 1.0 - np.einsum("ij,ij->i", x, normalize_rows(km.cluster_centers_)[clusters])
        terms = _terms(embedder.tfidf(data.texts), clusters, embedder.vectorizer_.get_feature_names_out())

        # Slice key: topic cluster crossed with the metadata strata the user named.
        keys: list[str] = []
        for c, meta in zip(clusters, data.meta):
            key = f"t{int(c):02d}"
            for s in settings.strata:
                key += f"|{s}={meta.get(s, 'none')}"
            keys.append(key)
        counts = Counter(keys)
        min_count = settings.min_slice_share * n
        keys = [k if counts[k] >= min_count else OTHER for k in keys]
        counts = Counter(keys)

        ids_by_slice: dict[str, list[int]] = {}
        for i, key in enumerate(keys):
            ids_by_slice.setdefault(key, []).append(i)
        slice_objs: list[Slice] = []
        for key, members in sorted(ids_by_slice.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            idx = np.array(members)
            nearest = idx[np.argsort(dist[idx])[:3]]
            if key == OTHER:
                label, tlist = "other (small slices merged)", []
            else:
                topic = int(key[1:3])
                tlist = terms.get(topic, [])
                strata = key.split("|")[1:]
                label = ", ".join(tlist[:3]) + (f" [{' '.join(strata)}]" if strata else "")
            slice_objs.append(
                Slice(
                    id=key,
                    label=label,
                    weight=len(members) / n,
                    size=len(members),
                    terms=tlist,
                    examples=[data.texts[i][:300] for i in nearest],
                )
            )
        params = settings.model_dump() | {"k": k, "silhouette": {str(a): round(b, 4) for a, b in silhouettes.items()}}
        digest = hashlib.sha256(orjson.dumps({"ids": data.ids, "params": settings.model_dump()})).hexdigest()[:16]
        prof = Profile(
            id=f"p-{digest}",
            created_at=utcnow(),
            n_records=n,
            method=settings.method,
            params=params | {"seconds": round(time.perf_counter() - started, 2)},
            slices=slice_objs,
        )
        _save(store, prof, data.ids, keys, dist)
        return prof
    finally:
        if own_store:
            store.close()


def normalize_rows(m: np.ndarray) -> np.ndarray:
    return m / np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-12)


def _save(store: Store, prof: Profile, ids: list[str], keys: list[str], dist: np.ndarray) -> None:
    with store.write() as conn:
        # Same records + same settings give the same id: replace it rather than duplicate.
        for table in (record_slices, slices, profiles):
            col = table.c.profile_id if table is not profiles else table.c.id
            conn.execute(delete(table).where(col == prof.id))
        conn.execute(
            insert(profiles).values(
                id=prof.id, created_at=prof.created_at, n_records=prof.n_records, method=prof.method, params=prof.params
            )
        )
        conn.execute(
            insert(slices),
            [
                {
                    "profile_id": prof.id,
                    "slice_id": s.id,
                    "label": s.label,
                    "weight": s.weight,
                    "size": s.size,
                    "terms": s.terms,
                    "examples": s.examples,
                }
                for s in prof.slices
            ],
        )
        rows = [
            {"profile_id": prof.id, "record_id": rid, "slice_id": key, "distance": float(d)}
            for rid, key, d in zip(ids, keys, dist)
        ]
        for i in range(0, len(rows), 5000):
            conn.execute(insert(record_slices), rows[i : i + 5000])


def load_profile(store: Store, profile_id: str | None = None) -> Profile:
    """The profile ``profile_id``, or the newest one."""
    with store.read() as conn:
        q = select(profiles)
        q = q.where(profiles.c.id == profile_id) if profile_id else q.order_by(profiles.c.created_at.desc()).limit(1)
        row = conn.execute(q).mappings().first()
        if row is None:
            raise NotFoundError(
                f"no profile {profile_id!r}" if profile_id else "no traffic profile yet",
                hint="run `assay profile` after ingesting logs",
            )
        srows = conn.execute(
            select(slices).where(slices.c.profile_id == row["id"]).order_by(slices.c.weight.desc(), slices.c.slice_id)
        ).mappings()
        return Profile(
            id=row["id"],
            created_at=row["created_at"],
            n_records=row["n_records"],
            method=row["method"],
            params=row["params"],
            slices=[
                Slice(id=s["slice_id"], label=s["label"], weight=s["weight"], size=s["size"], terms=s["terms"], examples=s["examples"])
                for s in srows
            ],
        )
