"""What is in the store after ingest: record counts per source, day and model, and the
quarantined rows with where they came from and why."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Text, cast, func, or_, select

from assay.errors import InputError
from assay.project import Project, as_project
from assay.records import Record
from assay.store import expand_messages, expand_meta
from assay.store._schema import ingests, quarantine, records


@dataclass
class RecordStats:
    """Counts of stored records and quarantined rows; ``to_json`` is the ``--json`` shape."""

    total: int = 0
    by_source: dict[str, int] = field(default_factory=dict)
    by_day: dict[str, int] = field(default_factory=dict)
    by_model: dict[str, int] = field(default_factory=dict)
    quarantined: int = 0
    quarantined_by_file: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"schema": "assay.records.stats/v1", **self.__dict__}


@dataclass
class QuarantinedRow:
    """One row ingest could not keep."""

    file: str
    line: int
    reason: str
    source: str
    raw: str

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def record_stats(project: Project | str | Path, *, source: str | None = None) -> RecordStats:
    """Count stored records per source, per day (UTC, ``unknown`` without a timestamp) and
    per model, and the quarantined rows per file."""
    project = as_project(project)
    stats = RecordStats()
    with project.open_store() as store, store.read() as conn:
        where = [records.c.source == source] if source else []
        qwhere = [quarantine.c.source == source] if source else []
        for src, n in conn.execute(select(records.c.source, func.count()).where(*where).group_by(records.c.source)):
            stats.by_source[src] = n
        stats.total = sum(stats.by_source.values())
        day = func.substr(func.cast(records.c.ts, quarantine.c.reason.type), 1, 10)
        for d, n in conn.execute(select(day, func.count()).where(*where).group_by(day).order_by(day)):
            stats.by_day[d or "unknown"] = n
        for m, n in conn.execute(select(records.c.model, func.count()).where(*where).group_by(records.c.model).order_by(func.count().desc())):
            stats.by_model[m or "unknown"] = n
        for f, n in conn.execute(select(quarantine.c.file, func.count()).where(*qwhere).group_by(quarantine.c.file)):
            stats.quarantined_by_file[f] = n
        stats.quarantined = sum(stats.quarantined_by_file.values())
    return stats


def quarantined_rows(project: Project | str | Path, *, limit: int = 20, source: str | None = None, file: str | None = None) -> list[QuarantinedRow]:
    """The first ``limit`` quarantined rows, in file and line order."""
    project = as_project(project)
    q = select(quarantine).order_by(quarantine.c.file, quarantine.c.line).limit(limit)
    if source:
        q = q.where(quarantine.c.source == source)
    if file:
        q = q.where(quarantine.c.file.like(f"%{file}"))
    with project.open_store() as store, store.read() as conn:
        return [QuarantinedRow(r.file, r.line, r.reason, r.source, r.raw) for r in conn.execute(q)]


@dataclass
class IngestedFile:
    """One file ingest has read: what is stored from it now."""

    file: str
    source: str
    """The source of its last ingest."""
    format: str
    """``file format:shape`` of its last ingest."""
    records: int
    """Records stored with it (a record two files hold is stored once, with the file that brought it first)."""
    quarantined: int
    ingests: int
    last_ingest: datetime
    finished: bool
    """Whether its last ingest ran to the end (else it was interrupted: run it again to go on)."""
    scrubbed: bool
    """False when any of its ingests stored PII unscrubbed (``--no-scrub``)."""
    exists: bool
    """Whether the file is still where it was read."""

    def to_json(self) -> dict[str, Any]:
        return {**self.__dict__, "last_ingest": self.last_ingest.isoformat()}


@dataclass
class IngestedFiles:
    files: list[IngestedFile] = field(default_factory=list)
    unattributed: int = 0
    """Records stored before each record kept its ingest: they belong to no file here."""

    def to_json(self) -> dict[str, Any]:
        return {"schema": "assay.records.files/v1", "files": [f.to_json() for f in self.files], "unattributed": self.unattributed}


def ingested_files(project: Project | str | Path, *, source: str | None = None) -> IngestedFiles:
    """Every file ingest has read (of ``source``, when given), with how many records and
    quarantined rows are stored from it now: for choosing what ``assay records delete``
    should remove. Counting records per file reads the whole records table once."""
    project = as_project(project)
    out = IngestedFiles()
    with project.open_store() as store, store.read() as conn:
        runs = conn.execute(select(ingests).order_by(ingests.c.file, ingests.c.started_at, ingests.c.id)).all()
        per_ingest = dict(conn.execute(select(records.c.ingest_id, func.count()).group_by(records.c.ingest_id)).all())
        quarantined = dict(conn.execute(select(quarantine.c.file, func.count()).group_by(quarantine.c.file)).all())
    out.unattributed = per_ingest.pop(None, 0)
    by_file: dict[str, list[Any]] = {}
    for run in runs:
        by_file.setdefault(run.file, []).append(run)
    for file, its in by_file.items():
        last = its[-1]
        if source is not None and last.source != source:
            continue
        out.files.append(IngestedFile(
            file=file, source=last.source, format=last.format, records=sum(per_ingest.get(r.id, 0) for r in its),
            quarantined=quarantined.get(file, 0), ingests=len(its), last_ingest=last.started_at,
            finished=last.finished_at is not None, scrubbed=all(r.scrubbed for r in its), exists=Path(file).is_file(),
        ))
    return out


ORDERS = ("newest", "oldest", "random")


@dataclass
class FoundRecords:
    """Stored records that matched, as typed :class:`~assay.records.Record` objects (shared
    system prompts and tool lists put back), with how many matched in all."""

    records: list[Record] = field(default_factory=list)
    total: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"schema": "assay.records.show/v1", "total": self.total,
                "records": [r.model_dump(mode="json", exclude={"version"}) for r in self.records]}


def _utc(ts: datetime | None) -> datetime | None:
    """The store keeps UTC; SQLite gives it back without the zone."""
    return ts.replace(tzinfo=timezone.utc) if ts is not None and ts.tzinfo is None else ts


def _like_escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def stored_records(
    project: Project | str | Path,
    *,
    limit: int = 5,
    source: str | None = None,
    file: str | None = None,
    model: str | None = None,
    contains: str | None = None,
    id_prefix: str | None = None,
    order: str = "newest",
) -> FoundRecords:
    """Records as the store holds them (scrubbed), to check what an ingest stored.

    Filters: ``source``; ``file``, records stored from an ingested file whose path ends
    with it; ``model``; ``contains``, text in a message or the answer (case-insensitive for
    ASCII; a long system prompt stored once is not searched); ``id_prefix``. ``order`` is
    ``newest`` (by time, records without one last), ``oldest`` or ``random``.
    """
    if order not in ORDERS:
        raise InputError(f"unknown order {order!r}", hint=f"use one of: {', '.join(ORDERS)}")
    if limit < 0:
        raise InputError(f"limit must be 0 or more, got {limit}")
    project = as_project(project)
    where: list[Any] = []
    if source:
        where.append(records.c.source == source)
    if model:
        where.append(records.c.model == model)
    if id_prefix:
        where.append(records.c.id.like(_like_escaped(id_prefix.lower()) + "%", escape="\\"))
    if contains:
        # the messages column is JSON text: look for the needle as it is written inside a JSON string
        in_json = orjson.dumps(contains).decode()[1:-1]
        where.append(or_(
            cast(records.c.messages, Text).ilike(f"%{_like_escaped(in_json)}%", escape="\\"),
            records.c.output.ilike(f"%{_like_escaped(contains)}%", escape="\\"),
        ))
    if file:
        where.append(records.c.ingest_id.in_(select(ingests.c.id).where(ingests.c.file.like(f"%{_like_escaped(file)}", escape="\\"))))
    q = select(records).where(*where).limit(limit)
    if order == "newest":
        q = q.order_by(records.c.ts.is_(None), records.c.ts.desc(), records.c.id)
    elif order == "oldest":
        q = q.order_by(records.c.ts.is_(None), records.c.ts, records.c.id)
    else:
        q = q.order_by(func.random())
    found = FoundRecords()
    with project.open_store() as store, store.read() as conn:
        found.total = conn.execute(select(func.count()).select_from(records).where(*where)).scalar_one()
        rows = [dict(r) for r in conn.execute(q).mappings()] if limit else []
        expand_messages(conn, [r["messages"] for r in rows])
        expand_meta(conn, [r["meta"] for r in rows])
    for r in rows:
        found.records.append(Record(
            id=r["id"], source=r["source"], ts=_utc(r["ts"]), model=r["model"], messages=r["messages"], output=r["output"],
            latency_ms=r["latency_ms"], tokens_in=r["tokens_in"], tokens_out=r["tokens_out"], cost_usd=r["cost_usd"],
            metadata=r["meta"] or {}, feedback=r["feedback"], labels=r["labels"],
        ))
    return found
