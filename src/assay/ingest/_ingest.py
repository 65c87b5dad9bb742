"""``assay.ingest``: read logs, normalise, scrub PII, store; quarantine what can't be kept."""

from __future__ import annotations

import glob
import hashlib
import hmac
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import insert, select, update

from assay._progress import ProgressFactory, no_progress
from assay.errors import InputError
from assay.ingest._formats import detect_format, get_reader
from assay.ingest._normalise import RowError, normalise
from assay.ingest._pii import Scrubber
from assay.project import as_project, Project
from assay.store import Store, utcnow
from assay.store._schema import ingests, quarantine, records

BATCH = 2000
MAX_ROW_BYTES = 10 * 1024 * 1024
RAW_KEEP = 4000  # bytes of a quarantined row kept for inspection (scrubbed)


@dataclass
class IngestSummary:
    """What one ingest did; ``to_json`` is the documented ``--json`` shape."""

    files: list[str] = field(default_factory=list)
    kept: int = 0
    duplicates: int = 0
    quarantined: int = 0
    scrubbed: bool = True
    pii: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": "assay.ingest/v1",
            "files": self.files,
            "kept": self.kept,
            "duplicates": self.duplicates,
            "quarantined": self.quarantined,
            "scrubbed": self.scrubbed,
            "pii_replaced": dict(self.pii),
            "seconds": round(self.seconds, 3),
        }


def _record_id(key: bytes, source: str, fields: dict[str, Any]) -> str:
    canonical = orjson.dumps(
        {
            "source": source,
            "ts": fields["ts"].isoformat() if fields["ts"] else None,
            "messages": [m.model_dump() for m in fields["messages"]],
            "output": fields["output"],
            "metadata": fields["metadata"],
        },
        option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS,
    )
    return hmac.new(key, canonical, hashlib.sha256).hexdigest()[:32]


def _scrub_fields(fields: dict[str, Any], scrubber: Scrubber) -> None:
    for m in fields["messages"]:
        m.content = scrubber.scrub(m.content)
    if fields["output"]:
        fields["output"] = scrubber.scrub(fields["output"])
    fb = fields["feedback"]
    if fb is not None and fb.comment:
        fb.comment = scrubber.scrub(fb.comment)


def _expand(project: Project, paths: list[str]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        full = str(project.path(p))
        matches = sorted(glob.glob(full))
        if not matches:
            raise InputError(f"no file matches {p!r}", hint="check the path; globs like logs/*.jsonl are allowed")
        out.extend(Path(m) for m in matches)
    return out


def _flush(store: Store, batch: list[dict[str, Any]], bad: list[dict[str, Any]], summary: IngestSummary) -> None:
    with store.write() as conn:
        if batch:
            ids = list({r["id"] for r in batch})
            existing = set(conn.execute(select(records.c.id).where(records.c.id.in_(ids))).scalars())
            fresh: dict[str, dict[str, Any]] = {}
            for row in batch:
                if row["id"] in existing or row["id"] in fresh:
                    summary.duplicates += 1
                else:
                    fresh[row["id"]] = row
            if fresh:
                conn.execute(insert(records), list(fresh.values()))
            summary.kept += len(fresh)
        if bad:
            keys = {(b["file"], b["line"]) for b in bad}
            seen = {
                tuple(r)
                for r in conn.execute(
                    select(quarantine.c.file, quarantine.c.line).where(
                        quarantine.c.file.in_({k[0] for k in keys}), quarantine.c.line.in_({k[1] for k in keys})
                    )
                )
            }
            new_bad = [b for b in bad if (b["file"], b["line"]) not in seen]
            if new_bad:
                conn.execute(insert(quarantine), new_bad)
            summary.quarantined += len(bad)


def ingest(
    project: Project | str | Path,
    paths: list[str] | None = None,
    *,
    source: str | None = None,
    format: str = "auto",
    scrub: bool = True,
    progress: ProgressFactory = no_progress,
    store: Store | None = None,
) -> IngestSummary:
    """Ingest log files into the project's store.

    With no ``paths``, every source in ``assay.yaml`` is read. Valid rows are stored
    (scrubbed unless ``scrub=False``); bad rows go to the quarantine table with file,
    line and reason. Rows already in the store are counted as duplicates and skipped,
    so re-running an ingest, or finishing an interrupted one, is safe.
    """
    project = as_project(project)
    jobs: list[tuple[str, str, list[Path]]] = []
    if paths:
        jobs.append((source or "default", format, _expand(project, paths)))
    else:
        if not project.config.sources:
            raise InputError("no files given and no sources in assay.yaml", hint="pass a path: assay ingest logs/*.jsonl")
        for src in project.config.sources:
            jobs.append((src.name, src.format, _expand(project, [src.path])))

    own_store = store is None
    store = store or project.open_store()
    scrubber = Scrubber(project.key)
    summary = IngestSummary(scrubbed=scrub)
    started = time.perf_counter()
    if not scrub:
        store.audit("ingest.no_scrub", files=[str(p) for _, _, files in jobs for p in files])
    try:
        for src_name, fmt, files in jobs:
            for path in files:
                fmt_name = detect_format(path) if fmt == "auto" else fmt
                read = get_reader(fmt_name)
                summary.files.append(str(path))
                with store.write() as conn:
                    ingest_id = conn.execute(
                        insert(ingests).values(
                            source=src_name, file=str(path), format=fmt_name, started_at=utcnow(), scrubbed=scrub
                        )
                    ).inserted_primary_key[0]
                before = (summary.kept, summary.duplicates, summary.quarantined)
                size = path.stat().st_size
                with progress(f"ingest {path.name}", float(size)) as task:
                    batch: list[dict[str, Any]] = []
                    bad: list[dict[str, Any]] = []
                    now = utcnow()
                    for lineno, raw in read(path):
                        task.advance(len(raw))
                        try:
                            if len(raw) > MAX_ROW_BYTES:
                                raise RowError(f"row is {len(raw) / 1e6:.1f} MB, over the {MAX_ROW_BYTES // 2**20} MiB limit")
                            try:
                                row = orjson.loads(raw)
                            except orjson.JSONDecodeError as exc:
                                raise RowError(f"not valid JSON: {exc}") from None
                            fields = normalise(row)
                        except RowError as exc:
                            text = raw[:RAW_KEEP].decode("utf-8", errors="replace")
                            bad.append(
                                {
                                    "source": src_name,
                                    "file": str(path),
                                    "line": lineno,
                                    "reason": str(exc),
                                    "raw": scrubber.scrub(text),
                                    "created_at": now,
                                }
                            )
                        else:
                            rid = _record_id(project.key, src_name, fields)
                            if scrub:
                                _scrub_fields(fields, scrubber)
                            batch.append(
                                {
                                    "id": rid,
                                    "source": src_name,
                                    "ts": fields["ts"],
                                    "model": fields["model"],
                                    "messages": [m.model_dump() for m in fields["messages"]],
                                    "output": fields["output"],
                                    "latency_ms": fields["latency_ms"],
                                    "tokens_in": fields["tokens_in"],
                                    "tokens_out": fields["tokens_out"],
                                    "cost_usd": fields["cost_usd"],
                                    "meta": fields["metadata"],
                                    "feedback": fields["feedback"].model_dump() if fields["feedback"] else None,
                                    "labels": fields["labels"],
                                    "ingested_at": now,
                                }
                            )
                        if len(batch) + len(bad) >= BATCH:
                            _flush(store, batch, bad, summary)
                            batch, bad = [], []
                    _flush(store, batch, bad, summary)
                kept, dup, quar = (summary.kept - before[0], summary.duplicates - before[1], summary.quarantined - before[2])
                with store.write() as conn:
                    conn.execute(
                        update(ingests)
                        .where(ingests.c.id == ingest_id)
                        .values(finished_at=utcnow(), n_kept=kept, n_duplicate=dup, n_quarantined=quar)
                    )
    finally:
        summary.pii = Counter(scrubber.found)
        summary.seconds = time.perf_counter() - started
        if own_store:
            store.close()
    return summary
