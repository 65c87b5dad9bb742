"""What is in the store after ingest: record counts per source, day and model, and the
quarantined rows with where they came from and why."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Text, cast, func, or_, select, text

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
    quarantined_by_reason: dict[str, int] = field(default_factory=dict)
    """The most common reasons, their numbers (a line, a character's position) as ``N``."""

    def to_json(self) -> dict[str, Any]:
        return {"schema": "assay.records.stats/v1", **self.__dict__}


_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_QUOTED = re.compile(r"'[^']{0,80}'")
TOP_REASONS = 10


def reason_kind(reason: str) -> str:
    """A quarantine reason with what differs from row to row taken out: numbers become
    ``N`` and quoted values ``'…'`` (``line 1 column 77 (char 76)`` and ``... (char 20015)``
    are one kind of error)."""
    return _QUOTED.sub("'…'", _NUMBER.sub("N", reason))[:160]


def check_source(conn: Any, source: str | None) -> None:
    """Refuse a source that nothing in the store has, naming the ones it has: a typo
    should not read as "nothing there"."""
    if not source:
        return
    for table in (records, quarantine, ingests):
        if conn.execute(select(table.c.source).where(table.c.source == source).limit(1)).first() is not None:
            return
    known = sorted({r[0] for t in (records, ingests) for r in conn.execute(select(t.c.source).distinct())})
    raise InputError(f"no records, quarantined rows or ingests of the source {source!r}",
                     hint=f"sources: {', '.join(known)}" if known else "nothing is ingested yet: run assay ingest FILE")


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
        check_source(conn, source)
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
        kinds: dict[str, int] = {}
        for reason, n in conn.execute(select(quarantine.c.reason, func.count()).where(*qwhere).group_by(quarantine.c.reason)):
            k = reason_kind(reason)
            kinds[k] = kinds.get(k, 0) + n
        stats.quarantined_by_reason = dict(sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_REASONS])
    return stats


class QuarantinedRows(list):  # type: ignore[type-arg]
    """The quarantined rows asked for (a list of :class:`QuarantinedRow`), with ``total``:
    how many match the filters in all."""

    total: int = 0


def quarantined_rows(
    project: Project | str | Path, *, limit: int = 20, offset: int = 0, source: str | None = None, file: str | None = None,
    reason: str | None = None,
) -> QuarantinedRows:
    """Quarantined rows in file and line order: ``limit`` of them after the first
    ``offset``. Filters: ``source``; ``file``, files whose path ends with it; ``reason``,
    text in the reason (case-insensitive for ASCII)."""
    if limit < 0 or offset < 0:
        raise InputError(f"{'limit' if limit < 0 else 'offset'} must be 0 or more, got {limit if limit < 0 else offset}")
    project = as_project(project)
    where: list[Any] = []
    if source:
        where.append(quarantine.c.source == source)
    if file:
        where.append(quarantine.c.file.like(f"%{_like_escaped(file)}", escape="\\"))
    if reason:
        where.append(quarantine.c.reason.ilike(f"%{_like_escaped(reason)}%", escape="\\"))
    q = select(quarantine).where(*where).order_by(quarantine.c.file, quarantine.c.line).limit(limit).offset(offset)
    found = QuarantinedRows()
    with project.open_store() as store, store.read() as conn:
        check_source(conn, source)
        found.total = conn.execute(select(func.count()).select_from(quarantine).where(*where)).scalar_one()
        if limit:
            found.extend(QuarantinedRow(r.file, r.line, r.reason, r.source, r.raw) for r in conn.execute(q))
    return found


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
    models: list[str] = field(default_factory=list)
    """When a ``model`` filter matched nothing: the models stored, most records first."""

    def to_json(self) -> dict[str, Any]:
        return {"schema": "assay.records.show/v1", "total": self.total,
                "records": [r.model_dump(mode="json", exclude={"version"}) for r in self.records]}


def _utc(ts: datetime | None) -> datetime | None:
    """The store keeps UTC; SQLite gives it back without the zone."""
    return ts.replace(tzinfo=timezone.utc) if ts is not None and ts.tzinfo is None else ts


def _like_escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def time_bound(text: str | datetime | None, name: str, *, end: bool = False) -> datetime | None:
    """``--since`` / ``--until`` as a naive UTC time, as the store compares them. A day
    (``2026-11-05``) is its start, or with ``end`` the start of the next day (so that
    ``--until 2026-11-05`` takes in that whole day); a time without an offset is UTC."""
    if text is None or isinstance(text, datetime):
        ts = text
    else:
        try:
            ts = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
        except ValueError:
            raise InputError(f"{name}: {text!r} is not a date or time",
                             hint="use ISO 8601: 2026-11-05, 2026-11-05T14:00, 2026-11-05T14:00+01:00") from None
        if end and len(text.strip()) == 10:
            ts += timedelta(days=1)
    if ts is not None and ts.tzinfo is not None:
        ts = ts.astimezone(timezone.utc).replace(tzinfo=None)
    return ts


def _records_query(
    *, source: str | None, file: str | None, model: str | None, contains: str | None, id_prefix: str | None,
    since: str | datetime | None, until: str | datetime | None, order: str,
) -> tuple[list[Any], Any]:
    """The filters of :func:`stored_records` as SQL conditions, and the query of the records
    in ``order`` (without a limit)."""
    if order not in EXPORT_ORDERS:
        raise InputError(f"unknown order {order!r}", hint=f"use one of: {', '.join(ORDERS)}")
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
    lo, hi = time_bound(since, "--since"), time_bound(until, "--until", end=True)
    if lo is not None:
        where.append(records.c.ts >= lo)
    if hi is not None:
        where.append(records.c.ts < hi)
    q = select(records).where(*where)
    if order == "newest":
        q = q.order_by(records.c.ts.is_(None), records.c.ts.desc(), records.c.id)
    elif order == "oldest":
        q = q.order_by(records.c.ts.is_(None), records.c.ts, records.c.id)
    elif order == "random":
        q = q.order_by(func.random())
    else:  # "stored": the order they were stored in, which needs no sort
        q = q.order_by(text("records.rowid"))
    return where, q


def _as_records(conn: Any, rows: list[dict[str, Any]]) -> list[Record]:
    """Stored rows as records, their shared system prompts and tool lists put back."""
    expand_messages(conn, [r["messages"] for r in rows])
    expand_meta(conn, [r["meta"] for r in rows])
    return [Record(
        id=r["id"], source=r["source"], ts=_utc(r["ts"]), model=r["model"], messages=r["messages"], output=r["output"],
        latency_ms=r["latency_ms"], tokens_in=r["tokens_in"], tokens_out=r["tokens_out"], cost_usd=r["cost_usd"],
        metadata=r["meta"] or {}, feedback=r["feedback"], labels=r["labels"],
    ) for r in rows]


def stored_records(
    project: Project | str | Path,
    *,
    limit: int = 5,
    source: str | None = None,
    file: str | None = None,
    model: str | None = None,
    contains: str | None = None,
    id_prefix: str | None = None,
    since: str | datetime | None = None,
    until: str | datetime | None = None,
    order: str = "newest",
) -> FoundRecords:
    """Records as the store holds them (scrubbed), to check what an ingest stored.

    Filters: ``source``; ``file``, records stored from an ingested file whose path ends
    with it; ``model``; ``contains``, text in a message or the answer (case-insensitive for
    ASCII; a long system prompt stored once is not searched); ``id_prefix``; ``since`` and
    ``until``, the record's time (a day given as ``until`` is taken in whole; records
    without a time are left out). ``order`` is ``newest`` (by time, records without one
    last), ``oldest`` or ``random``.
    """
    if limit < 0:
        raise InputError(f"limit must be 0 or more, got {limit}")
    if order not in ORDERS:
        raise InputError(f"unknown order {order!r}", hint=f"use one of: {', '.join(ORDERS)}")
    where, q = _records_query(source=source, file=file, model=model, contains=contains, id_prefix=id_prefix,
                              since=since, until=until, order=order)
    project = as_project(project)
    found = FoundRecords()
    with project.open_store() as store, store.read() as conn:
        check_source(conn, source)
        found.total = conn.execute(select(func.count()).select_from(records).where(*where)).scalar_one()
        if limit:
            found.records = _as_records(conn, [dict(r) for r in conn.execute(q.limit(limit)).mappings()])
        if not found.total and model:
            found.models = [m for (m,) in conn.execute(
                select(records.c.model).where(records.c.model.is_not(None)).group_by(records.c.model)
                .order_by(func.count().desc()).limit(10))]
    return found


EXPORT_ORDERS = (*ORDERS, "stored")


def iter_stored_records(
    project: Project | str | Path,
    *,
    limit: int | None = None,
    source: str | None = None,
    file: str | None = None,
    model: str | None = None,
    contains: str | None = None,
    id_prefix: str | None = None,
    since: str | datetime | None = None,
    until: str | datetime | None = None,
    order: str = "stored",
    batch: int = 1_000,
) -> Iterator[Record]:
    """The records :func:`stored_records` would find, one by one, read ``batch`` at a
    time: memory stays flat however many there are. ``order`` ``stored`` (the default) is
    the order they were stored in, which needs no sort of the whole table."""
    if order not in EXPORT_ORDERS:
        raise InputError(f"unknown order {order!r}", hint=f"use one of: {', '.join(EXPORT_ORDERS)}")
    if limit is not None and limit < 0:
        raise InputError(f"limit must be 0 or more, got {limit}")
    _, q = _records_query(source=source, file=file, model=model, contains=contains, id_prefix=id_prefix,
                          since=since, until=until, order=order)
    if limit is not None:
        q = q.limit(limit)
    project = as_project(project)
    with project.open_store() as store, store.read() as conn:
        check_source(conn, source)
        result = conn.execution_options(stream_results=True, yield_per=batch).execute(q).mappings()
        for part in result.partitions(batch):
            yield from _as_records(conn, [dict(r) for r in part])
