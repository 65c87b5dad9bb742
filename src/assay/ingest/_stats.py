"""What is in the store after ingest: record counts per source, day and model, and the
quarantined rows with where they came from and why."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from assay.project import Project, as_project
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
