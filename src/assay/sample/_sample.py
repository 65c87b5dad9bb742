"""``assay.sample``: draw a representative, versioned eval set from the traffic map."""

from __future__ import annotations

from pathlib import Path

import hashlib
import re
from collections import defaultdict
from typing import Any

import numpy as np
import orjson
from sqlalchemy import insert, select

from assay.errors import AssayError, NotFoundError
from assay.ingest._pii import strip_pseudonyms
from assay.project import as_project, Project, SamplingSettings
from assay.records import Case, EvalSet, Message
from assay.sample._allocate import allocate
from assay.sample._dedupe import near_duplicates
from assay.store import Store, expand_messages, expand_meta, utcnow
from assay.store._schema import cases as cases_t
from assay.store._schema import eval_sets, record_slices, records

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


def _dedupe_key(messages: list[dict[str, Any]]) -> str:
    text = strip_pseudonyms(" ".join(m["content"] for m in messages if m["role"] == "user")).lower()
    text = re.sub(r"\d", "0", text)
    return re.sub(r"\W+", " ", text).strip()


def _negative(feedback: dict[str, Any] | None) -> bool:
    if not feedback:
        return False
    rating = feedback.get("rating")
    return feedback.get("thumb") == "down" or (isinstance(rating, (int, float)) and rating <= 2)


def _spread(n_avail: int, n: int) -> list[int]:
    """Positions in a distance-sorted list: the centre first, then evenly spread out."""
    if n >= n_avail:
        return list(range(n_avail))
    return sorted({min(n_avail - 1, int((i + 0.5) * n_avail / n) if i else 0) for i in range(n)})


_CANDIDATES_PER_CASE = 25  # a slice's representatives are chosen among at most this many rows per case


def _user_text(messages: list[dict[str, Any]]) -> str:
    """The text a profile embeds for a record (its user turns, pseudonym keys removed)."""
    return strip_pseudonyms("\n".join(m["content"] for m in messages if m["role"] == "user"))


def _representatives(x: np.ndarray, n: int, seed: int) -> list[int]:
    """``n`` rows of ``x`` (unit vectors) that stand for the sub-topics of a slice: k-means
    into ``n`` groups, then the member nearest each group's centre. A sub-topic with a few
    percent of a slice's traffic gets a case of its own instead of being outvoted by the
    slice's main topic, as it is when cases are picked by distance to one centre."""
    from sklearn.cluster import KMeans

    if n >= len(x):
        return list(range(len(x)))
    if n == 1:
        return [int(np.argmax(x @ x.mean(axis=0)))]  # nearest the mean (unit rows)
    km = KMeans(n_clusters=n, n_init=1, random_state=seed, max_iter=100).fit(x)
    picks = []
    for g in range(n):
        members = np.flatnonzero(km.labels_ == g)
        if len(members):
            d = ((x[members] - km.cluster_centers_[g]) ** 2).sum(axis=1)
            picks.append(int(members[np.argmin(d)]))
    taken = set(picks)
    for i in range(len(x)):  # an empty group (duplicate points): fill with the next rows in order
        if len(picks) >= n:
            break
        if i not in taken:
            picks.append(i)
            taken.add(i)
    return sorted(picks)


def _hash(obj: Any) -> str:
    return hashlib.sha256(orjson.dumps(obj, option=orjson.OPT_SORT_KEYS)).hexdigest()


def sample(
    project: Project | str | Path,
    name: str,
    *,
    settings: SamplingSettings | None = None,
    profile_id: str | None = None,
    near_dup_threshold: float | None = None,
    overweight: dict[str, float] | None = None,
    negative_feedback_boost: float | None = None,
    store: Store | None = None,
) -> EvalSet:
    """Draw eval set ``name`` from the newest traffic profile and save it (immutable).

    Allocation across slices is proportional to traffic with a tail quota; within a
    slice, the candidates (spread from the centre outwards by distance to the slice
    centroid) are split into as many sub-topics as the slice gets cases (k-means on the
    profile's embedding) and the record nearest each sub-topic's centre is drawn;
    identical inputs (same words, digits masked) and near-duplicates (MinHash/LSH
    Jaccard above ``near_dup_threshold``, default 0.9; ``1.0`` turns it off) are drawn
    only once, keeping the copy nearest the slice centre. A ``holdout`` fraction is
    sealed: its case ids are hashed and the hash recorded.

    Over-weighting changes only how many cases a slice gets, never the traffic share a
    case stands for: ``overweight`` multiplies the allocation weight of the named
    slices (e.g. high business value), and ``negative_feedback_boost`` b multiplies
    each slice's by ``1 + b * (share of its records with a thumbs-down or rating <= 2)``.
    """
    project = as_project(project)
    settings = settings or project.config.sampling
    if not _NAME.match(name):
        raise AssayError(f"invalid eval set name {name!r}", hint="use letters, digits, '.', '_' or '-', e.g. v1")
    own_store = store is None
    store = store or project.open_store()
    try:
        with store.read() as conn:
            if conn.execute(select(eval_sets.c.name).where(eval_sets.c.name == name)).first():
                raise AssayError(
                    f"eval set {name!r} already exists and eval sets are immutable",
                    hint="choose a new name, e.g. --name v2",
                )
        from assay.profile import load_profile  # lazy: scikit-learn is not needed to run a set

        prof = load_profile(store, profile_id)
        weights = {s.id: s.weight for s in prof.slices}
        q = (
            select(record_slices.c.slice_id, record_slices.c.distance, records)
            .join(records, records.c.id == record_slices.c.record_id)
            .where(record_slices.c.profile_id == prof.id)
            .order_by(record_slices.c.slice_id, record_slices.c.distance, records.c.id)
        )
        if settings.require_reference:
            q = q.where(records.c.labels.is_not(None))
        with store.read() as conn:
            rows_all = [dict(r) for r in conn.execute(q).mappings() if not settings.require_reference or r["labels"]]
            expand_messages(conn, [r["messages"] for r in rows_all])  # long system prompts and tool lists are stored once
            expand_meta(conn, [r["meta"] for r in rows_all])
        # Order by content, not by record id: ids are keyed hashes that differ between
        # projects, and the same traffic should give the same set in any project.
        rows_all.sort(
            key=lambda r: (
                r["slice_id"],
                round(r["distance"], 6),
                _dedupe_key(r["messages"]),
                str(r["ts"]),
                orjson.dumps(r["meta"], option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS),
                r["id"],
            )
        )
        pool: dict[str, list[dict[str, Any]]] = defaultdict(list)
        seen: set[str] = set()
        for row in rows_all:
            key = _dedupe_key(row["messages"])
            if key in seen:
                continue
            seen.add(key)
            pool[row["slice_id"]].append(row)
        threshold = near_dup_threshold if near_dup_threshold is not None else getattr(settings, "near_dup_threshold", 0.9)
        neg = {sid: sum(_negative(r["feedback"]) for r in rows) / len(rows) for sid, rows in pool.items()}
        if threshold < 1.0 and pool:
            flat = [(sid, r) for sid in sorted(pool) for r in pool[sid]]
            keep = near_duplicates(
                [strip_pseudonyms("\n".join(m["content"] for m in r["messages"] if m["role"] == "user")) for _, r in flat],
                threshold=threshold,
            )
            pool = defaultdict(list)
            for (sid, r), k in zip(flat, keep):
                if k:
                    pool[sid].append(r)
        boost = negative_feedback_boost if negative_feedback_boost is not None else getattr(settings, "negative_feedback_boost", 0.0)
        alloc_weights = {
            sid: w * (overweight or {}).get(sid, 1.0) * (1.0 + boost * neg.get(sid, 0.0)) for sid, w in weights.items()
        }
        if not pool:
            raise AssayError(
                "no records to sample from" + (" with gold labels" if settings.require_reference else ""),
                hint="ingest logs and run `assay profile` first",
            )
        alloc = allocate(
            alloc_weights,
            {s: len(v) for s, v in pool.items()},
            settings.size,
            min_per_slice=settings.min_per_slice,
            min_share=settings.min_share,
        )
        rng = np.random.default_rng(settings.seed)
        # Within a slice: candidates spread from the centre outwards by distance (at most
        # _CANDIDATES_PER_CASE per case), then one representative per sub-topic.
        candidates = {sid: _spread(len(pool[sid]), n * _CANDIDATES_PER_CASE) for sid, n in alloc.items() if n}
        need = [sid for sid in sorted(candidates) if alloc[sid] < len(candidates[sid])]
        vectors: dict[str, np.ndarray] = {}
        if need:
            embedder = _slice_embedder(project, prof.id, store)
            if embedder is not None:
                texts = [_user_text(pool[sid][pos]["messages"]) for sid in need for pos in candidates[sid]]
                x = embedder.transform(texts)
                start = 0
                for sid in need:
                    vectors[sid] = x[start:start + len(candidates[sid])]
                    start += len(candidates[sid])
        chosen: list[tuple[str, dict[str, Any], float]] = []
        for slice_id in sorted(alloc):
            n = alloc[slice_id]
            if n == 0:
                continue
            rows = pool[slice_id]
            if slice_id in vectors:
                picks = [candidates[slice_id][i] for i in _representatives(vectors[slice_id], n, settings.seed)]
            else:
                picks = _spread(len(rows), n)
            for pos in picks:
                chosen.append((slice_id, rows[pos], weights[slice_id] / n))

        # Holdout: systematic split over a seeded shuffle within each slice, so the
        # holdout is stratified like the dev split.
        order = sorted(range(len(chosen)), key=lambda i: (chosen[i][0], rng.random()))
        holdout_idx: set[int] = set()
        h = settings.holdout
        for rank, i in enumerate(order):
            if int((rank + 1) * h) > int(rank * h):
                holdout_idx.add(i)

        case_objs: list[Case] = []
        for i, (slice_id, row, w) in enumerate(chosen):
            meta = dict(row["meta"] or {})
            meta["slice"] = slice_id
            case_objs.append(
                Case(
                    id=f"c-{row['id'][:12]}",
                    set_name=name,
                    split="holdout" if i in holdout_idx else "dev",
                    record_ids=[row["id"]],
                    slice_id=slice_id,
                    weight=w,
                    messages=[Message.model_validate(m) for m in row["messages"]],
                    reference=row["labels"] or None,
                    metadata=meta,
                )
            )
        case_objs.sort(key=lambda c: c.id)
        holdout_ids = sorted(c.id for c in case_objs if c.split == "holdout")
        evs = EvalSet(
            name=name,
            created_at=utcnow(),
            profile_id=prof.id,
            n_dev=len(case_objs) - len(holdout_ids),
            n_holdout=len(holdout_ids),
            content_hash=_hash([c.model_dump(mode="json") for c in case_objs]),
            holdout_hash=_hash(holdout_ids),
            params=settings.model_dump()
            | {
                "allocation": {k: v for k, v in alloc.items() if v},
                "near_dup_threshold": threshold,
                "negative_feedback_boost": boost,
                "overweight": dict(overweight or {}),
            },
        )
        save_set(store, evs, case_objs)
        return evs
    finally:
        if own_store:
            store.close()


def _slice_embedder(project: Project, profile_id: str, store: Store) -> Any:
    """The profile's fitted embedder (pretrained ones through the store's vector cache);
    None when the profile has no saved map, and cases are then picked by distance alone."""
    from assay.profile import load_traffic_map
    from assay.profile._pretrained import CachedEmbedder

    try:
        tmap = load_traffic_map(project, profile_id, store=store)
    except NotFoundError:
        return None
    emb = tmap.embedder
    return CachedEmbedder(emb, store) if emb.name in ("minilm", "openai") else emb


def save_set(store: Store, evs: EvalSet, case_objs: list[Case]) -> None:
    """Write an eval set and its cases in one transaction (sets are immutable)."""
    with store.write() as conn:
        conn.execute(insert(eval_sets).values(**evs.model_dump(exclude={"version"})))
        conn.execute(
            insert(cases_t),
            [
                {
                    "set_name": evs.name,
                    "case_id": c.id,
                    "split": c.split,
                    "record_ids": c.record_ids,
                    "slice_id": c.slice_id,
                    "weight": c.weight,
                    "messages": [m.model_dump() for m in c.messages],
                    "reference": c.reference,
                    "meta": c.metadata,
                }
                for c in case_objs
            ],
        )


def load_set(store: Store, name: str) -> EvalSet:
    with store.read() as conn:
        row = conn.execute(select(eval_sets).where(eval_sets.c.name == name)).mappings().first()
        if row is None:
            known = [r for (r,) in conn.execute(select(eval_sets.c.name).order_by(eval_sets.c.created_at))]
            raise NotFoundError(
                f"no eval set named {name!r}",
                hint=f"known sets: {', '.join(known)}" if known else "create one with `assay sample --name v1`",
            )
    return EvalSet.model_validate(dict(row))


def load_cases(store: Store, name: str, split: str = "dev") -> list[Case]:
    """The cases of a set. Dev by default: holdout cases are only for a readiness decision."""
    load_set(store, name)
    with store.read() as conn:
        rows = conn.execute(
            select(cases_t).where(cases_t.c.set_name == name, cases_t.c.split == split).order_by(cases_t.c.case_id)
        ).mappings()
        return [
            Case(
                id=r["case_id"],
                set_name=name,
                split=r["split"],
                record_ids=r["record_ids"],
                slice_id=r["slice_id"],
                weight=r["weight"],
                messages=[Message.model_validate(m) for m in r["messages"]],
                reference=r["reference"],
                metadata=r["meta"],
            )
            for r in rows
        ]
