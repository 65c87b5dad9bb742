"""Take back what ingest stored from some files: their records, quarantined rows and
ingest history. For a file ingested with the wrong mapping or shape, a file that should
never have been ingested, or a deletion request that names a log file.

Each record keeps the ingest that stored it first (``records.ingest_id``), so a file's
records are found without reading the file again (it may be gone). A record that several
files hold is stored once, under the file that brought it first: deleting that file
deletes it, and the other files of its source that a later ingest found duplicates in are
marked to be read again in full by the next ingest, which stores such records again.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, or_, select, union, update
from sqlalchemy.engine import Connection

from assay.errors import InputError
from assay.project import Project, as_project
from assay.store import Store
from assay.store._schema import ingest_parts, ingests, quarantine, record_slices, records
from assay.store._texts import drop_unused, refs_of


@dataclass
class DeleteSummary:
    """What :func:`delete_files` deleted (or, with ``dry_run``, would delete)."""

    files: list[str] = field(default_factory=list)
    records: int = 0
    quarantined: int = 0
    ingests: int = 0
    unattributed: int = 0
    """Records stored before assay kept each record's ingest: they cannot be told apart by
    file, so they stay (see the docs for what to do)."""
    read_again: list[str] = field(default_factory=list)
    """Other files of the same source whose later ingests found records already stored:
    some of those may have been these files' (a record two files hold is stored once), so
    the next ingest of them reads them again in full and stores what went with these."""
    dry_run: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"schema": "assay.records.delete/v1", **self.__dict__}


def _glob_regex(pattern: str) -> re.Pattern[str]:
    """A glob as ingest's arguments read it (``glob.glob(recursive=True)``): ``*`` and ``?``
    within one path part, ``**/`` any number of folders, ``[...]`` a class."""
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:[^/]*/)*")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[" and "]" in pattern[i + 2:]:
            end = pattern.index("]", i + 2)
            body = pattern[i + 1:end]
            body = body.replace("\\", "\\\\")
            out.append("[" + ("^" + body[1:] if body.startswith("!") else body) + "]")
            i = end + 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out) + r"\Z")


def _known_files(conn: Connection) -> list[str]:
    q = union(select(ingests.c.file), select(quarantine.c.file))
    return sorted(r[0] for r in conn.execute(q))


def match_files(project: Project, conn: Connection, patterns: list[str]) -> list[str]:
    """The ingested files (as stored: ingest history or quarantine) that ``patterns`` name:
    a file, a glob (``**`` too) or a directory, relative to the project like ingest's
    arguments. The files need not exist any more."""
    known = _known_files(conn)
    chosen: list[str] = []
    for p in patterns:
        full = os.path.normpath(str(project.path(p)))
        inside = full.rstrip(os.sep) + os.sep
        rx = _glob_regex(full)
        hits = [f for f in known if os.path.normpath(f) == full or f.startswith(inside) or rx.match(f)]
        if not hits:
            some = ", ".join(known[:5]) + (", ..." if len(known) > 5 else "")
            raise InputError(f"no ingested file matches {p!r}",
                             hint=f"ingested files: {some}" if known else "nothing has been ingested into this project")
        chosen.extend(h for h in hits if h not in chosen)
    return chosen


def forget(conn: Connection, files: list[str], *, dry_run: bool = False) -> DeleteSummary:
    """Delete, in the caller's transaction, the records, quarantined rows, ingest history and
    stored parts of ``files`` (as stored). With ``dry_run``, only count them."""
    out = DeleteSummary(files=list(files), dry_run=dry_run)
    if not files:
        return out
    mine = records.c.ingest_id.in_(select(ingests.c.id).where(ingests.c.file.in_(files)))
    out.records = conn.execute(select(func.count()).select_from(records).where(mine)).scalar_one()
    out.quarantined = conn.execute(select(func.count()).select_from(quarantine).where(quarantine.c.file.in_(files))).scalar_one()
    out.ingests = conn.execute(select(func.count()).select_from(ingests).where(ingests.c.file.in_(files))).scalar_one()
    kept_before = conn.execute(
        select(func.coalesce(func.sum(ingests.c.n_kept), 0)).where(ingests.c.file.in_(files))
    ).scalar_one()
    if out.records == 0 and kept_before:
        # the files' ingests kept records, yet none carries their ingest: stored before
        # provenance was kept (or deleted already by another file's name)
        out.unattributed = conn.execute(select(func.count()).select_from(records).where(records.c.ingest_id.is_(None))).scalar_one()
    if out.records:
        out.read_again = _overlapping(conn, files)
    if dry_run:
        return out
    if out.read_again:  # not "unchanged" any more: the next ingest reads them again
        conn.execute(update(ingests).where(ingests.c.file.in_(out.read_again)).values(fingerprint=None))
    shared = refs_of(conn, mine)
    conn.execute(delete(record_slices).where(record_slices.c.record_id.in_(select(records.c.id).where(mine))))
    conn.execute(delete(records).where(mine))
    drop_unused(conn, shared)  # a system prompt only these records held goes with them
    conn.execute(delete(quarantine).where(quarantine.c.file.in_(files)))
    # The parts an unfinished ingest of another file of these sources stored may hold
    # records stored with these files (each shared record is stored once, under the file
    # that brought it first): they are forgotten too, so that ingest, run again, reads its
    # file whole instead of skipping parts whose records are gone.
    sources = select(ingests.c.source).where(ingests.c.file.in_(files)).distinct()
    conn.execute(delete(ingest_parts).where(or_(
        ingest_parts.c.file.in_(files), ingest_parts.c.file.in_(select(ingests.c.file).where(ingests.c.source.in_(sources))))))
    conn.execute(delete(ingests).where(ingests.c.file.in_(files)))
    return out


def _overlapping(conn: Connection, files: list[str]) -> list[str]:
    """The other files of the same sources that an ingest read after the first ingest of
    ``files`` began and that found records already stored (ids hold the source, so only
    files of the same source can share a record)."""
    firsts = conn.execute(select(ingests.c.source, func.min(ingests.c.started_at)).where(ingests.c.file.in_(files))
                          .group_by(ingests.c.source)).all()
    found: set[str] = set()
    for source, first in firsts:
        found.update(conn.execute(
            select(ingests.c.file).where(ingests.c.source == source, ingests.c.file.not_in(files), ingests.c.started_at >= first,
                                         # an unfinished ingest has no count yet: it may have found some
                                         or_(ingests.c.n_duplicate > 0, ingests.c.finished_at.is_(None)))
        ).scalars())
    return sorted(found)


def forget_source(conn: Connection, source: str, *, dry_run: bool = False) -> DeleteSummary:
    """As :func:`forget`, for everything stored under ``source``: its records (those stored
    before provenance was kept too), quarantined rows, ingest history and the stored parts
    of its files."""
    files = sorted({r[0] for r in conn.execute(union(select(ingests.c.file).where(ingests.c.source == source),
                                                     select(quarantine.c.file).where(quarantine.c.source == source)))})
    out = DeleteSummary(files=files, dry_run=dry_run)
    out.records = conn.execute(select(func.count()).select_from(records).where(records.c.source == source)).scalar_one()
    out.quarantined = conn.execute(select(func.count()).select_from(quarantine).where(quarantine.c.source == source)).scalar_one()
    out.ingests = conn.execute(select(func.count()).select_from(ingests).where(ingests.c.source == source)).scalar_one()
    if dry_run:
        return out
    mine = records.c.source == source
    shared = refs_of(conn, mine)
    conn.execute(delete(record_slices).where(record_slices.c.record_id.in_(select(records.c.id).where(mine))))
    conn.execute(delete(records).where(mine))
    drop_unused(conn, shared)
    conn.execute(delete(quarantine).where(quarantine.c.source == source))
    conn.execute(delete(ingest_parts).where(ingest_parts.c.file.in_(files)))
    conn.execute(delete(ingests).where(ingests.c.source == source))
    return out


def delete_files(
    project: str | os.PathLike[str] | Project, paths: list[str] | None = None, *, source: str | None = None,
    dry_run: bool = False, store: Store | None = None,
) -> DeleteSummary:
    """Delete what ingest stored from the files ``paths`` name (see :func:`match_files`), or
    under the ``source``: their records, quarantined rows and ingest history, in one
    transaction; recorded in the audit log. Eval sets already drawn keep their cases (they
    are copies); profiles made before still count the deleted records until ``assay
    profile`` runs again."""
    if bool(paths) == (source is not None):
        raise InputError("name the files to delete, or a source, not both" if paths else "name the files to delete, or a source",
                         hint="assay records delete logs/a.jsonl, or assay records delete --source staging")
    project = as_project(project)
    own = store is None
    store = store or project.open_store()
    try:
        with (store.read() if dry_run else store.write()) as conn:
            if source is not None:
                if conn.execute(select(func.count()).select_from(records).where(records.c.source == source)).scalar_one() == 0 and \
                        conn.execute(select(func.count()).select_from(ingests).where(ingests.c.source == source)).scalar_one() == 0:
                    known = sorted({r[0] for r in conn.execute(select(records.c.source).distinct())})
                    raise InputError(f"no records or ingests of the source {source!r}",
                                     hint=f"sources: {', '.join(known)}" if known else "nothing has been ingested into this project")
                summary = forget_source(conn, source, dry_run=dry_run)
            else:
                summary = forget(conn, match_files(project, conn, paths or []), dry_run=dry_run)
        if not dry_run:
            store.audit("records.delete", files=summary.files, source=source, records=summary.records,
                        quarantined=summary.quarantined)
        return summary
    finally:
        if own:
            store.close()
