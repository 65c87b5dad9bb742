"""What a coverage source names: ``eval:NAME`` (an eval set) or ``file:PATH`` (JSONL/JSON/TXT).

A file need not have been ingested. Each line of a JSONL file is one item; its text is
the user side of ``messages`` when present, else the first of ``input``, ``prompt``,
``question``, ``text``, ``query``, ``content``. ``metadata`` (or the item's other
top-level keys) feeds the profile's strata. A ``.txt`` file has one item per line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from assay.errors import AssayError, InputError

TEXT_FIELDS = ("input", "prompt", "question", "text", "query", "content")


@dataclass
class SetItems:
    """The items of one set, as coverage needs them."""

    name: str
    kind: str  # "eval" or "file"
    texts: list[str] = field(default_factory=list)
    metas: list[dict[str, Any]] = field(default_factory=list)
    slice_ids: list[str] | None = None  # known slices (an eval set drawn from the same profile)
    record_ids: list[str] = field(default_factory=list)
    profile_id: str | None = None


def _text_of(row: dict[str, Any], file: str, line: int) -> str:
    msgs = row.get("messages")
    if isinstance(msgs, list):
        parts = [str(m.get("content", "")) for m in msgs if isinstance(m, dict) and m.get("role", "user") == "user"]
        if parts:
            return "\n".join(parts)
    for key in TEXT_FIELDS:
        if isinstance(row.get(key), str):
            return row[key]
    raise InputError(
        f"no text field; expected 'messages' or one of {', '.join(TEXT_FIELDS)} (keys: {', '.join(sorted(row)) or 'none'})",
        file=file,
        line=line,
        hint="give each line an 'input' string or a 'messages' list",
    )


def read_file(path: Path) -> SetItems:
    """Items of a JSONL, JSON (list) or TXT file; errors name the file and line."""
    if not path.exists():
        raise InputError("file not found", file=str(path), hint="check the path after file:")
    items = SetItems(name=path.name, kind="file")
    raw = path.read_bytes()
    if path.suffix == ".txt":
        for line in raw.decode("utf-8", errors="replace").splitlines():
            if line.strip():
                items.texts.append(line)
                items.metas.append({})
        return items
    rows: list[tuple[int, Any]]
    if path.suffix == ".json":
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise InputError(f"not valid JSON: {exc}", file=str(path)) from None
        if not isinstance(data, list):
            raise InputError("expected a JSON list of items", file=str(path), line=1)
        rows = [(i + 1, r) for i, r in enumerate(data)]
    else:
        rows = []
        for n, line in enumerate(raw.splitlines(), 1):
            if not line.strip():
                continue
            try:
                rows.append((n, orjson.loads(line)))
            except orjson.JSONDecodeError as exc:
                raise InputError(f"not valid JSON: {exc}", file=str(path), line=n, hint="one JSON object per line") from None
    for n, row in rows:
        if isinstance(row, str):
            items.texts.append(row)
            items.metas.append({})
            continue
        if not isinstance(row, dict):
            raise InputError(f"expected a JSON object, got {type(row).__name__}", file=str(path), line=n)
        items.texts.append(_text_of(row, str(path), n))
        meta = row.get("metadata") if isinstance(row.get("metadata"), dict) else row
        items.metas.append({k: v for k, v in meta.items() if isinstance(v, (str, int, float, bool))})
    if not items.texts:
        raise InputError("the file has no items", file=str(path))
    return items


def read_eval_set(store: Any, name: str) -> SetItems:
    """Every case of eval set ``name`` (dev and holdout: only counts and vectors are reported)."""
    from assay.sample import load_cases, load_set

    evs = load_set(store, name)
    cases = load_cases(store, name, "dev") + load_cases(store, name, "holdout")
    return SetItems(
        name=f"eval:{name}",
        kind="eval",
        texts=["\n".join(m.content for m in c.messages if m.role == "user") for c in cases],
        metas=[c.metadata for c in cases],
        slice_ids=[c.slice_id for c in cases],
        record_ids=[r for c in cases for r in c.record_ids],
        profile_id=evs.profile_id,
    )


def parse_source(source: str, root: Path, store: Any) -> SetItems:
    """``eval:NAME`` or ``file:PATH`` (a bare existing path works as ``file:``)."""
    if source.startswith("eval:"):
        return read_eval_set(store, source[5:])
    if source.startswith("file:"):
        p = Path(source[5:])
        return read_file(p if p.is_absolute() or p.exists() else root / p)
    p = Path(source)
    if p.exists() or (root / p).exists():
        return read_file(p if p.exists() else root / p)
    raise AssayError(
        f"unknown coverage source {source!r}",
        hint="use eval:NAME for an eval set or file:PATH for a JSONL file, e.g. assay coverage eval:v1",
    )
