"""The fitted traffic map in the store (``profile_models`` table), so every user of a shared
database (PostgreSQL via ``store.url``) can place new texts on the same map.

Format ``npz/1``: one ``numpy.savez`` archive read back with ``allow_pickle=False``:

- ``centroids``, ``radius``, ``reference``: the map's arrays;
- ``emb.<name>``: the embedder's arrays (TF-IDF idf weights and SVD components);
- ``meta``: UTF-8 JSON (as uint8) with the profile id, strata, slice ids, unmatched
  threshold, and the embedder's registered name and JSON parameters (the TF-IDF
  vocabulary is a list of terms in column order).

Embedders registered by users that do not offer ``get_state()`` / ``from_state()`` are
stored in format ``npz+pickle/1``: the same archive with the embedder pickled into the
``emb_pickle`` array, since assay cannot know their state. Maps of projects profiled
before the table existed are read from ``.assay/profiles/<profile id>.pkl``.
"""

from __future__ import annotations

import io
import pickle
from pathlib import Path
from typing import Any

import numpy as np
import orjson
from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Connection

from assay.errors import NotFoundError, StoreError
from assay.profile._embed import embedder_factory
from assay.profile._map import TrafficMap, map_path
from assay.store import Store, utcnow
from assay.store._schema import profile_models

FORMAT = "npz/1"
FORMAT_PICKLED_EMBEDDER = "npz+pickle/1"


def map_to_bytes(tmap: TrafficMap) -> tuple[str, bytes]:
    """``(format, blob)`` for ``tmap`` (see the module docstring)."""
    arrays: dict[str, np.ndarray] = {
        "centroids": np.asarray(tmap.centroids),
        "radius": np.asarray(tmap.radius),
        "reference": np.asarray(tmap.reference),
    }
    emb = tmap.embedder
    meta: dict[str, Any] = {
        "profile_id": tmap.profile_id,
        "strata": list(tmap.strata),
        "slice_ids": sorted(tmap.slice_ids),
        "nn_threshold": float(tmap.nn_threshold),
        "version": tmap.version,
        "extra": tmap.extra,
        "embedder": {"name": emb.name},
    }
    fmt = FORMAT
    factory = embedder_factory(emb.name)
    if hasattr(emb, "get_state") and hasattr(factory, "from_state"):
        params, emb_arrays = emb.get_state()  # type: ignore[attr-defined]
        meta["embedder"]["params"] = params
        arrays.update({f"emb.{k}": np.asarray(v) for k, v in emb_arrays.items()})
    else:
        fmt = FORMAT_PICKLED_EMBEDDER
        arrays["emb_pickle"] = np.frombuffer(pickle.dumps(emb, protocol=pickle.HIGHEST_PROTOCOL), dtype=np.uint8)
    arrays["meta"] = np.frombuffer(orjson.dumps(meta), dtype=np.uint8)
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return fmt, buf.getvalue()


def map_from_bytes(fmt: str, blob: bytes) -> TrafficMap:
    """The :class:`TrafficMap` stored as ``(fmt, blob)``."""
    if fmt not in (FORMAT, FORMAT_PICKLED_EMBEDDER):
        raise StoreError(
            f"fitted traffic map stored in unknown format {fmt!r}",
            hint="upgrade assay, or run `assay profile` again to rebuild the map",
        )
    with np.load(io.BytesIO(blob), allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    meta = orjson.loads(arrays.pop("meta").tobytes())
    spec = meta["embedder"]
    if fmt == FORMAT_PICKLED_EMBEDDER:
        emb = pickle.loads(arrays.pop("emb_pickle").tobytes())
    else:
        factory = embedder_factory(spec["name"])
        if factory is None or not hasattr(factory, "from_state"):
            raise StoreError(
                f"profile {meta['profile_id']} was fitted with embedder {spec['name']!r}, which is not registered here",
                hint="import the module that registers it (@embedder), or run `assay profile` again",
            )
        emb_arrays = {k.removeprefix("emb."): v for k, v in arrays.items() if k.startswith("emb.")}
        emb = factory.from_state(spec["params"], emb_arrays)  # type: ignore[attr-defined]
    return TrafficMap(
        profile_id=meta["profile_id"],
        embedder=emb,
        centroids=arrays["centroids"],
        radius=arrays["radius"],
        strata=list(meta["strata"]),
        slice_ids=set(meta["slice_ids"]),
        reference=arrays["reference"],
        nn_threshold=float(meta["nn_threshold"]),
        version=int(meta["version"]),
        extra=dict(meta.get("extra") or {}),
    )


def write_map(conn: Connection, tmap: TrafficMap) -> None:
    """Replace the stored map of ``tmap.profile_id`` (inside the caller's write transaction)."""
    fmt, blob = map_to_bytes(tmap)
    conn.execute(delete(profile_models).where(profile_models.c.profile_id == tmap.profile_id))
    conn.execute(insert(profile_models).values(profile_id=tmap.profile_id, format=fmt, blob=blob, created_at=utcnow()))


def load_map(store: Store, profile_id: str, state_dir: Path | None = None) -> TrafficMap:
    """The fitted map of ``profile_id``: from the store, else a legacy pickle in ``state_dir``."""
    with store.read() as conn:
        row = conn.execute(
            select(profile_models.c.format, profile_models.c.blob).where(profile_models.c.profile_id == profile_id)
        ).first()
    if row is not None:
        return map_from_bytes(row[0], bytes(row[1]))
    path = map_path(state_dir, profile_id) if state_dir is not None else None
    if path is not None and path.exists():
        # Projects profiled before maps were kept in the store: their own state folder only.
        with open(path, "rb") as fh:
            return pickle.load(fh)
    raise NotFoundError(
        f"the fitted traffic map of profile {profile_id} is missing (not in the store"
        + (f", nor at {path})" if path is not None else ")"),
        hint="run `assay profile` again to rebuild it",
    )
