"""``assay.profile``: divide production traffic into slices with traffic weights.

Topic clusters (TF-IDF/LSA + k-means, k chosen by split-half stability within
configured bounds), optionally crossed with metadata strata the user names (locale, channel, ...).
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
from sqlalchemy import delete, insert, select

from assay._progress import ProgressFactory, no_progress
from assay.ingest._pii import strip_pseudonyms
from assay.errors import AssayError, NotFoundError
from assay.profile._embed import Embedder, make_embedder
from assay.profile._labels import label_terms, make_label
from assay.profile._kselect import choose_k, k_grid, kmeans
from assay.profile._map import OTHER, TrafficMap, normalize_rows, reference_sample, slice_key
from assay.profile._mapstore import load_map, write_map
from assay.profile._pretrained import CachedEmbedder
from assay.project import as_project, ProfileSettings, Project
from assay.records import Profile, Slice
from assay.store import Store, utcnow
from assay.store._schema import profiles, record_slices, records, slices

_RADIUS_Q = 0.995
_PRETRAINED = {"minilm", "openai"}


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
            text = "\n".join(m["content"] for m in messages if m["role"] == "user")
            # A PII pseudonym's hash says nothing about the topic (and differs per project key).
            out.texts.append(strip_pseudonyms(text))
            out.meta.append(meta or {})
    # Record ids are keyed hashes, so their order differs between projects holding the same
    # logs. Fit in the order of the texts instead: the same traffic gives the same slices
    # in any project, not only on re-runs in one.
    order = sorted(range(len(out.ids)), key=lambda i: (out.texts[i], out.ids[i]))
    out.ids = [out.ids[i] for i in order]
    out.texts = [out.texts[i] for i in order]
    out.meta = [out.meta[i] for i in order]
    return out


_kmeans = kmeans  # the name bench scripts use


def _embedder_for(settings: ProfileSettings, embedder: str | Embedder | None) -> Embedder:
    chosen = embedder if embedder is not None else getattr(settings, "embedder", "tfidf")
    if isinstance(chosen, str):
        options = dict(getattr(settings, "embedder_options", None) or {})
        if chosen == "tfidf":
            options.setdefault("seed", settings.seed)
        return make_embedder(chosen, **options)
    return chosen


def profile(
    project: Project | str | Path,
    *,
    since: datetime | None = None,
    settings: ProfileSettings | None = None,
    embedder: str | Embedder | None = None,
    progress: ProgressFactory = no_progress,
    store: Store | None = None,
) -> Profile:
    """Build a traffic map of the records in the store and save it as the current profile.

    ``embedder`` is a registered name (``tfidf``, ``minilm``, ``openai``) or a fitted-on-
    demand object with the :class:`~assay.profile.Embedder` shape; the default comes from
    ``profile.embedder`` in assay.yaml, else ``tfidf``. Besides the slices, the fitted
    embedder and centroids are saved in the store (``profile_models``) so that files
    never ingested can be placed on this map (see :mod:`assay.coverage`).
    """
    project = as_project(project)
    settings = settings or project.config.profile
    own_store = store is None
    store = store or project.open_store()
    try:
        with progress("load records", None) as task:
            data = _load(store, since)
            task.advance(1)
        n = len(data.ids)
        if n < max(20, settings.k_min * 2):
            raise AssayError(
                f"only {n} records to profile; need at least {max(20, settings.k_min * 2)}",
                hint="ingest more logs first: assay ingest PATH",
            )
        started = time.perf_counter()
        emb = _embedder_for(settings, embedder)
        runner: Any = CachedEmbedder(emb, store) if emb.name in _PRETRAINED else emb
        with progress(f"embed records ({emb.name})", None) as task:
            x = runner.fit(data.texts).transform(data.texts)
            task.advance(1)
        with progress("choose k (stability)", len(k_grid(settings.k_min, settings.k_max))) as task:
            choice = choose_k(x, k_min=settings.k_min, k_max=settings.k_max, seed=settings.seed, task=task)
            k = choice.k
        with progress("cluster and label", None) as task:
            km = kmeans(k, settings.seed).fit(x)
            clusters = km.labels_
            centroids = normalize_rows(km.cluster_centers_).astype(np.float32)
            dist = 1.0 - np.einsum("ij,ij->i", x, centroids[clusters])
            radius = np.array(
                [float(np.quantile(dist[clusters == c], _RADIUS_Q)) if (clusters == c).any() else 0.0 for c in range(k)]
            )
            terms = label_terms(data.texts, clusters, seed=settings.seed)
            reference, nn_threshold = reference_sample(x, settings.seed)
            task.advance(1)
        del x

        # Slice key: topic cluster crossed with the metadata strata the user named.
        keys = [slice_key(c, meta, settings.strata) for c, meta in zip(clusters, data.meta)]
        counts = Counter(keys)
        min_count = settings.min_slice_share * n
        keys = [k_ if counts[k_] >= min_count else OTHER for k_ in keys]

        ids_by_slice: dict[str, list[int]] = {}
        for i, key in enumerate(keys):
            ids_by_slice.setdefault(key, []).append(i)
        slice_objs: list[Slice] = []
        for key, members in sorted(ids_by_slice.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            idx = np.array(members)
            nearest = idx[np.argsort(dist[idx], kind="stable")[:3]]
            if key == OTHER:
                label, tlist = "other (small slices merged)", []
            else:
                tlist = terms.get(int(key[1:3]), [])
                label = make_label(tlist, key.split("|")[1:])
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
        params = settings.model_dump() | {
            "embedder": emb.name,
            "embedder_fingerprint": emb.fingerprint(),
            "k": k,
            "nn_threshold": round(nn_threshold, 4),
        } | choice.to_params()
        digest_src = {"ids": data.ids, "params": settings.model_dump(), "embedder": emb.fingerprint()}
        digest = hashlib.sha256(orjson.dumps(digest_src)).hexdigest()[:16]
        prof = Profile(
            id=f"p-{digest}",
            created_at=utcnow(),
            n_records=n,
            method=settings.method,
            params=params | {"seconds": round(time.perf_counter() - started, 2)},
            slices=slice_objs,
        )
        tmap = TrafficMap(
            profile_id=prof.id,
            embedder=emb,
            centroids=centroids,
            radius=radius,
            strata=list(settings.strata),
            slice_ids={s.id for s in slice_objs},
            reference=reference,
            nn_threshold=nn_threshold,
        )
        with progress("save profile", None) as task:
            _save(store, prof, data.ids, keys, dist, tmap)
            task.advance(1)
        return prof
    finally:
        if own_store:
            store.close()


def load_traffic_map(project: Project | str | Path, profile_id: str, store: Store | None = None) -> TrafficMap:
    """The fitted map (embedder, centroids, reference vectors) saved with profile ``profile_id``.

    Read from the store; maps of projects profiled before the store kept them are read
    from ``.assay/profiles/<profile id>.pkl``.
    """
    project = as_project(project)
    if store is not None:
        return load_map(store, profile_id, project.state_dir)
    with project.open_store() as own:
        return load_map(own, profile_id, project.state_dir)


def _save(store: Store, prof: Profile, ids: list[str], keys: list[str], dist: np.ndarray, tmap: TrafficMap) -> None:
    with store.write() as conn:
        write_map(conn, tmap)
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
