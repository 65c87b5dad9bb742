"""Working with saved eval sets: diff two versions, export the dev cases, open the holdout.

Dev-facing functions never return holdout contents. Opening the holdout is explicit
and written to the audit log with who asked and why.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import select

from assay.errors import AssayError
from assay.project import Project, as_project
from assay.records import FORMAT_VERSION, Case
from assay.sample._sample import load_cases, load_set
from assay.store import Store
from assay.store._schema import cases as cases_t
from assay.store._schema import slices as slices_t

EXPORT_FORMATS = ("jsonl",)


@dataclass
class SetDiff:
    """What changed from set ``a`` to set ``b`` (dev contents; holdout as counts only)."""

    a: str
    b: str
    same_profile: bool
    added: list[str] = field(default_factory=list)  # dev case ids in b only
    removed: list[str] = field(default_factory=list)  # dev case ids in a only
    moved: list[tuple[str, str, str]] = field(default_factory=list)  # (case id, slice in a, slice in b)
    kept: int = 0
    slices: dict[str, tuple[int, int]] = field(default_factory=dict)  # slice -> (cases in a, cases in b), all splits
    holdout: tuple[int, int] = (0, 0)
    params: dict[str, tuple[Any, Any]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": "assay.sets.diff/v1",
            "a": self.a,
            "b": self.b,
            "same_profile": self.same_profile,
            "added": self.added,
            "removed": self.removed,
            "moved": [{"case_id": c, "slice_a": x, "slice_b": y} for c, x, y in self.moved],
            "kept": self.kept,
            "slices": {k: {"a": v[0], "b": v[1]} for k, v in self.slices.items()},
            "holdout": {"a": self.holdout[0], "b": self.holdout[1]},
            "params": {k: {"a": v[0], "b": v[1]} for k, v in self.params.items()},
        }


def _slice_counts(store: Store, name: str) -> dict[str, int]:
    out: dict[str, int] = {}
    with store.read() as conn:
        for (sid,) in conn.execute(select(cases_t.c.slice_id).where(cases_t.c.set_name == name)):
            out[sid] = out.get(sid, 0) + 1
    return out


def diff_sets(project: Project | str | Path, a: str, b: str, *, store: Store | None = None) -> SetDiff:
    """Compare eval sets ``a`` and ``b``: dev cases added/removed/moved, slice counts, settings."""
    project = as_project(project)
    own = store is None
    store = store or project.open_store()
    try:
        sa, sb = load_set(store, a), load_set(store, b)
        da = {c.id: c for c in load_cases(store, a)}
        db = {c.id: c for c in load_cases(store, b)}
        ca, cb = _slice_counts(store, a), _slice_counts(store, b)
        keys = sorted(set(sa.params) | set(sb.params))
        return SetDiff(
            a=a,
            b=b,
            same_profile=sa.profile_id == sb.profile_id,
            added=sorted(set(db) - set(da)),
            removed=sorted(set(da) - set(db)),
            moved=sorted((i, da[i].slice_id, db[i].slice_id) for i in set(da) & set(db) if da[i].slice_id != db[i].slice_id),
            kept=len(set(da) & set(db)),
            slices={s: (ca.get(s, 0), cb.get(s, 0)) for s in sorted(set(ca) | set(cb)) if ca.get(s, 0) != cb.get(s, 0)},
            holdout=(sa.n_holdout, sb.n_holdout),
            params={k: (sa.params.get(k), sb.params.get(k)) for k in keys if sa.params.get(k) != sb.params.get(k)},
        )
    finally:
        if own:
            store.close()


def _labels(store: Store, profile_id: str) -> dict[str, str]:
    with store.read() as conn:
        q = select(slices_t.c.slice_id, slices_t.c.label).where(slices_t.c.profile_id == profile_id)
        return dict(conn.execute(q).all())


def export_set(
    project: Project | str | Path, name: str, out: Path | None = None, *, format: str = "jsonl", store: Store | None = None
) -> tuple[Path, int]:
    """Write the dev cases of ``name`` (never the holdout) with slice and provenance; returns (path, count)."""
    if format not in EXPORT_FORMATS:
        raise AssayError(f"unknown export format {format!r}", hint=f"use one of: {', '.join(EXPORT_FORMATS)}")
    project = as_project(project)
    own = store is None
    store = store or project.open_store()
    try:
        evs = load_set(store, name)
        labels = _labels(store, evs.profile_id)
        cases = load_cases(store, name, "dev")
        path = Path(out) if out else project.root / "exports" / f"{name}.dev.jsonl"
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as fh:
            for c in cases:
                row = c.model_dump(mode="json") | {
                    "version": FORMAT_VERSION,
                    "slice_label": labels.get(c.slice_id, c.slice_id),
                    "provenance": {"record_ids": c.record_ids, "profile_id": evs.profile_id, "set_content_hash": evs.content_hash},
                }
                fh.write(orjson.dumps(row) + b"\n")
        return path, len(cases)
    finally:
        if own:
            store.close()


def open_holdout(
    project: Project | str | Path, name: str, *, reason: str, who: str | None = None, store: Store | None = None
) -> list[Case]:
    """The sealed holdout cases of ``name``; an explicit act recorded in the audit log.

    Checks the cases against the hash recorded at creation, so a changed holdout is caught.
    """
    import hashlib

    if not reason.strip():
        raise AssayError("opening a holdout needs a reason", hint="e.g. --reason 'readiness decision for gemma-fewshot'")
    project = as_project(project)
    own = store is None
    store = store or project.open_store()
    try:
        evs = load_set(store, name)
        cases = load_cases(store, name, "holdout")
        digest = hashlib.sha256(orjson.dumps(sorted(c.id for c in cases), option=orjson.OPT_SORT_KEYS)).hexdigest()
        if digest != evs.holdout_hash:
            raise AssayError(
                f"holdout of {name!r} does not match the hash recorded at creation",
                hint="the store was changed by hand; draw a new set",
            )
        who = who or os.environ.get("USER") or "unknown"
        store.audit("open_holdout", set=name, who=who, reason=reason, n_cases=len(cases), holdout_hash=evs.holdout_hash)
        return cases
    finally:
        if own:
            store.close()
