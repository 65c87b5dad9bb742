"""``assay sets import``: turn a file of prompts (a hand-picked demo set, a public
benchmark's questions) into an eval set, so candidates can be run and scored on it and
its ranking set beside the representative set's (the demo illusion)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import select

from assay.errors import AssayError, InputError
from assay.project import Project, as_project
from assay.records import Case, EvalSet, Message
from assay.sample._sample import _NAME, _hash, save_set
from assay.store import Store, utcnow
from assay.store._schema import eval_sets

_SKIP = {"id", "input", "prompt", "question", "text", "messages", "metadata"}


def _rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    if not path.exists():
        raise InputError("file not found", file=str(path))
    out = []
    for n, line in enumerate(path.read_bytes().splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            raise InputError(f"not valid JSON: {exc}", file=str(path), line=n, hint="one JSON object per line") from None
        if not isinstance(row, dict):
            raise InputError(f"expected a JSON object, got {type(row).__name__}", file=str(path), line=n)
        out.append((n, row))
    if not out:
        raise InputError("the file has no items", file=str(path))
    return out


def import_set(
    project: Project | str | Path,
    name: str,
    path: str | Path,
    *,
    metadata: dict[str, Any] | None = None,
    store: Store | None = None,
) -> EvalSet:
    """Create eval set ``name`` (all dev) from a JSONL file of prompts.

    Each line has the prompt as ``input`` (or ``prompt``/``question``/``text``, or a
    ``messages`` list); every other field (e.g. ``intent``, ``answer``) becomes the
    case's reference, and ``metadata`` is added to every case (e.g. ``feature=triage``
    so the project's scorers apply). Items are placed on the newest traffic map, so a
    report can say which share of production the set's slices carry; items unlike any
    production traffic get the slice ``unmatched``. Case weights are equal: a file's
    items stand for no known share of traffic.
    """
    from assay.profile._profile import load_traffic_map

    project = as_project(project)
    if not _NAME.match(name):
        raise AssayError(f"invalid eval set name {name!r}", hint="use letters, digits, '.', '_' or '-'")
    path = project.path(str(path))
    rows = _rows(path)
    own = store is None
    store = store or project.open_store()
    try:
        with store.read() as conn:
            if conn.execute(select(eval_sets.c.name).where(eval_sets.c.name == name)).first():
                raise AssayError(f"eval set {name!r} already exists and eval sets are immutable", hint="choose a new name")
        from assay.profile import load_profile  # lazy: scikit-learn is not needed to run a set

        prof = load_profile(store)
        texts: list[str] = []
        messages: list[list[Message]] = []
        for n, row in rows:
            if isinstance(row.get("messages"), list):
                try:
                    msgs = [Message.model_validate(m) for m in row["messages"]]
                except ValueError as exc:
                    raise InputError(f"messages: {exc}", file=str(path), line=n) from None
            else:
                text = next((row[k] for k in ("input", "prompt", "question", "text") if isinstance(row.get(k), str)), None)
                if text is None:
                    raise InputError("no prompt: expected 'input', 'prompt', 'question', 'text' or 'messages'", file=str(path), line=n)
                msgs = [Message(role="user", content=text)]
            messages.append(msgs)
            texts.append("\n".join(m.content for m in msgs if m.role == "user"))
        extra = dict(metadata or {})
        tmap = load_traffic_map(project, prof.id)
        slice_ids, _, _ = tmap.assign(texts, [extra] * len(texts))
        cases: list[Case] = []
        for (n, row), msgs, slice_id in zip(rows, messages, slice_ids):
            ident = str(row.get("id", n))
            reference = {k: v for k, v in row.items() if k not in _SKIP} or None
            meta = {**(row.get("metadata") or {}), **extra, "slice": slice_id, "source_line": n}
            cases.append(
                Case(
                    id=f"{name}-{re.sub(r'[^A-Za-z0-9._-]', '_', ident)}"[:100],
                    set_name=name,
                    split="dev",
                    record_ids=[],
                    slice_id=slice_id,
                    weight=1.0 / len(rows),
                    messages=msgs,
                    reference=reference,
                    metadata=meta,
                )
            )
        if len({c.id for c in cases}) != len(cases):
            raise InputError("item ids repeat; give every line a unique 'id'", file=str(path))
        evs = EvalSet(
            name=name,
            created_at=utcnow(),
            profile_id=prof.id,
            n_dev=len(cases),
            n_holdout=0,
            content_hash=_hash([c.model_dump(mode="json") for c in cases]),
            holdout_hash=_hash([]),
            params={"imported_from": str(path), "metadata": extra, "traffic_weighted": False},
        )
        save_set(store, evs, cases)
        return evs
    finally:
        if own:
            store.close()
