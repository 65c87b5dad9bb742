"""``assay.ingest``: read logs, normalise, scrub PII, store; quarantine what can't be kept."""

from __future__ import annotations

import glob
import hashlib
import itertools
from contextlib import ExitStack, nullcontext
import os
import re
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import orjson
import xxhash
from sqlalchemy import delete, insert, select, update

from assay._progress import ProgressFactory, no_progress
from assay.errors import AssayError, InputError
from assay.ingest._batch import BatchJoin, payload_object, plan_batches
from assay.ingest._batch import _remove_orphans as remove_batch_orphans
from assay.ingest._otel_logs import _remove_orphans as remove_events_orphans
from assay.ingest._otel_logs import plan_otel_logs
from assay.ingest._delete import forget
from assay.ingest._formats import (
    _JSON_SUFFIXES,
    _BadRow,
    _strip_compression,
    compression,
    check_encoding,
    detect_format,
    get_reader,
    jsonl_ranges,
    open_maybe_compressed,
    parquet_slices,
    read_jsonl,
    read_parquet,
    readers,
    recoding,
    set_encoding,
)
from assay.ingest._normalise import check_ts_format
from assay.ingest._pii import ScrubSettings
from assay.ingest._process import FOLDED, UNFINISHED, ChunkResult, Processor, gc_paused
from assay.ingest._write import RangeResult, Span, ingest_parquet_slice, ingest_range, store_rows, write_rows
from assay.ingest._stdin import STDIN, Spool
from assay.ingest._stdin import remove_orphans as remove_spool_orphans
from assay.ingest._within import SCAN_ROWS, find_within, holds_call, split_within
from assay.ingest._shapes import detect_shape, get_shape, lower_keys, mapping_hint, parse_mapping, shapes, upper_keys
from assay.project import Project, as_project
from assay.store import Store, utcnow
from assay.store._schema import ingest_parts, ingests, quarantine

BATCH = 2000
"""Rows per chunk handed to a worker."""
RANGE_BYTES = 96 * 2**20
"""Plain JSONL with workers: each worker reads, processes and stores ranges up to this big,
one write transaction each. Record ids are random, so a transaction rewrites pages all
over the id index; once the index outgrows the cache, bigger transactions rewrite each
page for more rows (measured on 5 GB: 25.8k records/s with 24 MB ranges, 31.5k with 96
MB read 4 MB at a time, peak memory unchanged; within noise on 1 GB)."""
TAIL_BYTES = 8 * 2**20
"""The smallest range the last ones of a file shrink to."""
RANGES_PER_WORKER = 4
"""A smaller file is cut into at least this many ranges per worker, so all keep busy."""
TASK_ROWS = 10_000
TASK_BYTES = 32 * 2**20
"""Rows the main process reads (compressed files, CSV, JSON) go to a worker in tasks of up
to this many rows or input bytes, each stored in one transaction by the worker."""
WRITE_ROWS = 20_000
WRITE_BYTES = 48 * 2**20
"""A write transaction holds up to this many rows or input bytes: record ids are random,
so every transaction rewrites pages all over the id index, and bigger transactions
rewrite each page once for more rows (measured: 28.5 -> 18.8 us per stored row)."""


@dataclass
class IngestSummary:
    """What one ingest did; ``to_json`` is the documented ``--json`` shape."""

    files: list[str] = field(default_factory=list)
    formats: dict[str, str] = field(default_factory=dict)
    kept: int = 0
    duplicates: int = 0
    quarantined: int = 0
    skipped: int = 0
    scrubbed: bool = True
    pii: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    unchanged: list[str] = field(default_factory=list)
    """Files not read again: an earlier finished ingest read the same content (same source,
    format and mapping), so everything in them is stored already."""
    resumed: dict[str, int] = field(default_factory=dict)
    """Plain JSONL files that grew since an earlier finished ingest read them: read from
    where that ingest ended, the line number given here."""
    continued: dict[str, int] = field(default_factory=dict)
    """Files an interrupted ingest with workers had partly stored: the rows (for plain
    JSONL, lines) of the parts it stored, which were not processed again."""
    replaced: dict[str, int] = field(default_factory=dict)
    """With ``replace``: the files whose earlier ingests were deleted first, and how many
    records those had stored."""
    hints: dict[str, str] = field(default_factory=dict)
    """Files whose first row no log shape claims and that has no field the generic shape
    reads: what ``--map`` could say, guessed from the row's field names. Also a Batch API
    requests file some of whose requests have no result in the results files given."""
    joined: dict[str, list[str]] = field(default_factory=dict)
    """Batch API results files and the requests files their rows were joined with (by
    ``custom_id``); a requests file read this way is not ingested on its own."""

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": "assay.ingest/v1",
            "files": self.files,
            "formats": self.formats,
            "kept": self.kept,
            "duplicates": self.duplicates,
            "quarantined": self.quarantined,
            "skipped": self.skipped,
            "scrubbed": self.scrubbed,
            "pii_replaced": dict(self.pii),
            "seconds": round(self.seconds, 3),
            "unchanged": self.unchanged,
            "resumed": self.resumed,
            "continued": self.continued,
            "replaced": self.replaced,
            "hints": self.hints,
            "joined": self.joined,
        }


_LOG_NAME = re.compile(r"(?:\.(?:log|txt|out)(?:\.\d+)?|\.\d+)$")
"""Names of app logs that may hold JSON lines: ``app.log``, a rotated ``app.log.1``."""


def _json_inside(path: Path) -> bool:
    """Whether ``path`` (decompressed if it is) starts as JSON does: its first character
    that is not a space or a byte-order mark is ``{`` or ``[``."""
    try:
        with open_maybe_compressed(path) as fh:
            head = fh.read(512)
    except (OSError, EOFError, InputError, ValueError):
        return False
    head = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    return head[:1] in (b"{", b"[")


def _log_files(directory: Path) -> list[Path]:
    """The files under ``directory`` (at any depth) whose names say a format assay reads;
    the part files of a Spark or Hadoop job's output (``part-00000``; empty ones and ``.crc``
    checksums left out); and files named without a suffix (a bucket logger's
    ``2026-11-03/chatcmpl-9f2a``) or as an app's log (``app.log``, ``app.log.1``) whose first
    bytes are JSON's. Hidden ones are left out; in name order."""
    found = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            base, _ = _strip_compression(name.lower())
            if name.startswith("."):
                continue
            path = Path(root) / name
            if base.endswith(tuple(_JSON_SUFFIXES)):
                found.append(path)
            elif base.startswith("part-") and not base.endswith(".crc") and os.path.getsize(path) > 0:
                found.append(path)
            elif ("." not in base or _LOG_NAME.search(base)) and os.path.getsize(path) > 0 and _json_inside(path):
                found.append(path)
    return sorted(found)


def _expand(project: Project, paths: list[str], spool: Spool | None = None) -> list[Path]:
    """The files ``paths`` name: files, globs (``**`` too), and directories (every log
    file under one); with a ``spool``, ``-`` is standard input, copied to a file first."""
    out: list[Path] = []
    if paths.count(STDIN) > 1:
        raise InputError("'-' (standard input) is given more than once", hint="give it once: the stream can be read only once")
    for p in paths:
        if p == STDIN and spool is not None:
            out.append(spool.read())
            continue
        full = str(project.path(p))
        matches: list[Path] = []
        # a path that exists is itself, even when its name holds glob characters ("[old]/calls.jsonl")
        for m in [full] if os.path.exists(full) else sorted(glob.glob(full, recursive=True)):
            if os.path.isfile(m):
                matches.append(Path(m))
            elif os.path.isdir(m):
                inside = _log_files(Path(m))
                if not inside and os.path.isdir(full):
                    raise InputError(f"no log files in the directory {p!r}",
                                     hint=f"assay reads files named {', '.join(f'*{x}' for x in _JSON_SUFFIXES)} (also .gz/.zst/.bz2)")
                matches.extend(inside)
        if not matches:
            raise InputError(f"no file matches {p!r}", hint="check the path; globs like logs/*.jsonl are allowed")
        out.extend(matches)
    return out


AUTO_WORKERS_MIN_BYTES = 64 * 1024 * 1024


def data_bytes(path: Path) -> int:
    """About how many bytes of rows ``path`` holds: its size, or for a compressed file the
    size it unpacks to (a Parquet file's row groups say; a gzip file's last four bytes give
    it modulo 4 GiB). Decides whether the input is big enough for worker processes."""
    size = path.stat().st_size
    name = path.name.lower()
    try:
        if name.endswith((".parquet", ".pq")):
            import pyarrow.parquet as pq

            meta = pq.ParquetFile(path).metadata
            return max(size, sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups)))
        if compression(path) == ".gz" and size >= 18:
            with path.open("rb") as fh:
                fh.seek(-4, os.SEEK_END)
                return max(size, int.from_bytes(fh.read(4), "little"))
    except Exception:  # no pyarrow, a broken file: its reader will say so
        pass
    return size


MANY_FILES = 20
"""An ingest of more files shows one progress bar for them all (and the rows quarantined so far)."""


class _InOverall:
    """A file's progress task when one bar counts the files: its own steps are not shown."""

    def __init__(self, overall: Any) -> None:
        self._overall = overall

    def advance(self, n: float = 1) -> None:
        pass

    def note(self, text: str) -> None:
        pass


def _auto_workers(total_bytes: int) -> int:
    """Worker processes for an ingest of ``total_bytes``: a pool costs a fraction of a second
    to start, so small inputs stay in process; big ones use up to 2 workers."""
    cores = os.cpu_count() or 1
    return 0 if total_bytes < AUTO_WORKERS_MIN_BYTES or cores < 2 else min(2, cores)


FINGERPRINT_VERSION = 1
"""Part of every ingest fingerprint: a release that changes what a file's rows become
(normalisation, record ids) bumps it, so files are read again."""


def content_hash() -> Any:
    """The hash of a file's content in a fingerprint: XXH3-128, non-cryptographic (it tells
    a changed file from an unchanged one, it does not resist forgery) and about 10 GB/s,
    against 1.2 for SHA-256, whose pass over a file cost 5% of an ingest's time."""
    return xxhash.xxh3_128()


def file_digest(path: Path, limit: int | None = None, *, start: int = 0, h: Any = None) -> tuple[str, int]:
    """:func:`content_hash` of a file's bytes (the first ``limit`` of them), and how many
    there were. ``h``, the hash of the first ``start`` bytes, is carried on from there."""
    h = h if h is not None else content_hash()
    n = start
    with path.open("rb") as fh:
        fh.seek(start)
        while piece := fh.read(1 << 20 if limit is None else min(1 << 20, limit - n)):
            h.update(piece)
            n += len(piece)
    return h.hexdigest(), n


def _line_start(path: Path, end: int) -> int:
    """Where the line that ends at byte ``end`` (with no line break) begins."""
    with path.open("rb") as fh:
        pos = end
        while pos > 0:
            step = min(1 << 16, pos)
            fh.seek(pos - step)
            i = fh.read(step).rfind(b"\n")
            if i >= 0:
                return pos - step + i + 1
            pos -= step
    return 0


def _unfinished(file: str) -> Any:
    return (quarantine.c.file == file) & quarantine.c.reason.endswith(UNFINISHED, autoescape=True)


def fingerprint(content: str, source: str, fmt: str, mapping: dict[str, str] | None) -> str:
    """What makes two ingests store the same records: the same bytes (``content``, their
    :func:`content_hash`), read as the same source, format and row shape, with the same
    field mapping."""
    key = [FINGERPRINT_VERSION, content, source, fmt, mapping or {}]
    return hashlib.sha256(orjson.dumps(key, option=orjson.OPT_SORT_KEYS)).hexdigest()


def _ingested_before(store: Store, size: int, fp: str | None = None) -> Any:
    """A finished ingest of ``size`` bytes (with fingerprint ``fp`` when given), or None."""
    q = select(ingests.c.file, ingests.c.finished_at).where(ingests.c.size == size, ingests.c.finished_at.is_not(None))
    if fp is not None:
        q = q.where(ingests.c.fingerprint == fp)
    with store.read() as conn:
        return conn.execute(q.limit(1)).first()


def _resume_point(store: Store, path: Path, source: str, fmt: str, mapping: dict[str, str] | None) -> tuple[int, int, Any] | None:
    """Where to go on reading a plain JSONL file that only grew since an earlier finished
    ingest of it: ``(byte offset, line number, content hash of the bytes before)``, or None.

    An earlier ingest of this path, source, format and mapping counts when the file's
    first bytes, as many as it read, still have its fingerprint and end with a line
    break (a line that was still being written then is read again whole)."""
    size = path.stat().st_size
    with store.read() as conn:
        earlier = conn.execute(
            select(ingests.c.size, ingests.c.fingerprint)
            .where(ingests.c.file == str(path), ingests.c.finished_at.is_not(None), ingests.c.fingerprint.is_not(None),
                   ingests.c.size > 0, ingests.c.size < size)
            .distinct()
        ).all()
    best = None
    h = content_hash()
    pos = lines = 0
    last = b""
    with path.open("rb") as fh:
        for read_before, fp in sorted(earlier):
            while pos < read_before:
                piece = fh.read(min(1 << 20, read_before - pos))
                if not piece:
                    return best
                h.update(piece)
                lines += piece.count(b"\n")
                pos += len(piece)
                last = piece[-1:]
            if last == b"\n" and fingerprint(h.hexdigest(), source, fmt, mapping) == fp:
                best = (read_before, lines + 1, h.copy())
    return best


@dataclass
class _ReadPlan:
    unchanged: bool = False
    """An earlier finished ingest read the same content: nothing to read."""
    content: tuple[str, int] | None = None
    """The file's content hash and size, when known before reading."""
    start: int = 0
    first_line: int = 1
    hashed: Any = None
    """With ``start``: the content hash of the bytes before it, to go on with."""


def _plan_read(
    store: Store, path: Path, source: str, fmt: str, mapping: dict[str, str] | None, *, by_bytes: bool, ranged: bool,
    force: bool,
) -> _ReadPlan:
    """Whether and from where to read ``path``: not at all when an earlier finished ingest
    read the same content, from where one ended when a plain JSONL file only grew since.

    The file is hashed up front only when an earlier ingest read a file of its size, or
    when it is not read by byte ranges (hashed before it is read: bytes appended meanwhile
    are read, not fingerprinted); byte ranges are hashed as they are planned."""
    plan = _ReadPlan()
    if not force and _ingested_before(store, path.stat().st_size) is not None:
        plan.content = file_digest(path)
        if _ingested_before(store, plan.content[1], fingerprint(plan.content[0], source, fmt, mapping)):
            plan.unchanged = True
            return plan
    if by_bytes and not force:
        resume = _resume_point(store, path, source, fmt, mapping)
        if resume is not None:
            plan.start, plan.first_line, plan.hashed = resume
    if plan.content is None and not ranged:
        plan.content = file_digest(path, start=plan.start, h=plan.hashed.copy() if plan.hashed is not None else None)
    return plan


def split_format(fmt: str) -> tuple[str, str]:
    """``"auto"``, ``"jsonl"``, ``"openai"``, ``"jsonl:openai"`` or ``"openai@llm"`` -> (file format, shape)."""
    fmt = (fmt or "auto").lower()
    file_fmt, _, shape_name = fmt.partition(":")
    if not shape_name:
        if file_fmt.partition("@")[0] in shapes() and file_fmt not in readers():  # (openai@llm: calls within app logs)
            return "auto", file_fmt
        if file_fmt != "auto" and file_fmt not in readers():
            raise InputError(f"unknown --format {fmt!r}",
                             hint=f"use auto, a file format ({', '.join(readers())}), a log shape ({', '.join(shapes())}), "
                             "or both as jsonl:openai")
        return file_fmt, "auto"
    return file_fmt, shape_name


def _flush(
    store: Store, batch: list[tuple[Any, ...]], bad: list[dict[str, Any]], summary: IngestSummary, span: Span | None = None,
    texts: dict[str, str] | None = None,
) -> None:
    kept, duplicates, quarantined = write_rows(store, batch, bad, span, texts=texts)
    summary.kept += kept
    summary.duplicates += duplicates
    summary.quarantined += quarantined


CHUNK_BYTES = 16 * 2**20
"""A chunk of rows processed at once holds at most this many bytes of rows read as text
(2,000 rows of 1 MB each made a chunk of 2 GB)."""


def _chunks(rows: Iterator[tuple[int, Any]], size: int, max_bytes: int = CHUNK_BYTES) -> Iterator[list[tuple[int, Any]]]:
    """``rows`` in lists of at most ``size`` rows or ``max_bytes`` bytes of rows read as text."""
    while True:
        chunk: list[tuple[int, Any]] = []
        n = 0
        for item in rows:
            chunk.append(item)
            if type(item[1]) is bytes:
                n += len(item[1])
            if len(chunk) >= size or n >= max_bytes:
                break
        if not chunk:
            return
        yield chunk


def _resolve_shape(
    path: Path, rows: Iterator[tuple[int, Any]], shape_name: str,
) -> tuple[str, Iterator[tuple[int, Any]], str | None, str | None, bool]:
    """Detect the row shape from the first row that decodes to an object: ``(shape, rows,
    hint, within, fold)``. When no shape claims that row and it has no field the generic shape
    reads, the first rows are looked through for a model call in an app's log lines
    (``within``: where in them, :mod:`assay.ingest._within`); finding none, ``hint`` says
    what ``--map`` could say. ``fold``: the rows' keys are all upper case (a Snowflake or
    Oracle export), and are read lower-cased."""
    head: list[tuple[int, Any]] = []
    first = None
    for pos, payload in rows:
        head.append((pos, payload))
        if isinstance(payload, _BadRow):
            continue
        try:
            obj = orjson.loads(payload) if isinstance(payload, (bytes, bytearray)) else payload
        except orjson.JSONDecodeError:
            if len(head) < 50:
                continue
            break
        if isinstance(obj, dict):
            first = (pos, obj)
            break
        if len(head) >= 50:
            break
    fold = first is not None and upper_keys(first[1])
    if shape_name != "auto":
        name, within = split_within(shape_name)
        get_shape(name)
        return name, itertools.chain(head, rows), None, within, fold
    found = "generic"
    hint = None
    if first is not None:
        pos, obj = first
        if fold:
            obj = lower_keys(obj)
        found = detect_shape(obj, file=str(path), line=pos).name
        if found == "generic":
            hint = mapping_hint(obj)
    within = None
    if found == "generic" and first is not None and holds_call(lower_keys(first[1]) if fold else first[1]):
        # a call no shape claims, such as a failed one (an error body, no response): the
        # shape of the rows after it, when most of them have one
        later = _later_shape(path, head, rows, fold)
        if later is not None:
            return later, itertools.chain(head, rows), None, None, fold
    if hint is not None:  # an app's log lines, some holding a model call?
        found_within = _scan_within(path, head, rows, fold)
        if found_within is not None:
            (found, within), hint = found_within, None
    return found, itertools.chain(head, rows), hint, within, fold


HEAD_ROWS = 50
"""How many first rows are looked at for the shape of a file whose first row no shape claims."""


def _later_shape(path: Path, head: list[tuple[int, Any]], rows: Iterator[tuple[int, Any]], fold: bool = False) -> str | None:
    """The shape that claims most of the first :data:`HEAD_ROWS` rows after the first object
    (reading them into ``head``), if one claims at least half of them; else None."""
    for row in itertools.islice(rows, max(0, HEAD_ROWS - len(head))):
        head.append(row)
    votes: Counter[str] = Counter()
    seen = 0
    for pos, payload in head[1:]:
        obj = payload_object(payload)
        if obj is None:
            continue
        if fold:
            obj = lower_keys(obj)
        seen += 1
        try:
            name = detect_shape(obj, file=str(path), line=pos).name
        except InputError:  # claimed by several shapes: no vote
            continue
        if name != "generic":
            votes[name] += 1
    if not votes:
        return None
    name, n = votes.most_common(1)[0]
    return name if n * 2 >= seen else None


def _scan_within(
    path: Path, head: list[tuple[int, Any]], rows: Iterator[tuple[int, Any]], fold: bool = False,
) -> tuple[str, str] | None:
    """The shape and place of the first model call in the rows of ``head`` and then of
    ``rows`` (each row read is added to ``head``), up to :data:`SCAN_ROWS` rows in all."""
    def detect(obj: Any) -> str:
        return detect_shape(obj, file=str(path), line=pos).name

    def objects() -> Iterator[tuple[int, Any]]:
        yield from head[:]
        for row in itertools.islice(rows, max(0, SCAN_ROWS - len(head))):
            head.append(row)
            yield row

    for pos, payload in objects():
        obj = payload_object(payload)
        hit = find_within(lower_keys(obj) if fold else obj, detect)
        if hit is not None:
            return hit
    return None


def _run_file(
    store: Store, proc: Processor, rows: Iterator[tuple[int, Any]], task: Any, summary: IngestSummary,
    pool: ProcessPoolExecutor | None, size_of: Any, first_line: int = 1, kind: str = "lines", parts: _Parts | None = None,
) -> None:
    """Read ``rows`` (from line or row ``first_line`` on) to the end, process them, and
    write them in batches. Each write covers the lines from where the
    last one ended, so the file's quarantine entries from ``first_line`` on end up being
    exactly its bad rows now (the last write reaches to the end of the file). With a
    ``pool``, the workers process and store the rows (:func:`_run_stored`)."""
    if pool is not None:
        _run_stored(store, proc, rows, task, summary, pool, size_of, first_line, kind, parts)
        return
    started = time.perf_counter()
    n_rows = 0
    last_note = 0.0
    good: list[tuple[Any, ...]] = []
    bad: list[dict[str, Any]] = []
    texts: dict[str, str] = {}
    good_bytes = 0
    span_from, seen_to = first_line, first_line - 1  # lines not yet covered by a write; the last line read

    def write(to_end: bool = False) -> None:
        nonlocal good, bad, texts, good_bytes, span_from
        _flush(store, good, bad, summary, (proc.file, span_from, None if to_end else seen_to), texts)
        good, bad, texts, good_bytes = [], [], {}, 0
        span_from = seen_to + 1

    def absorb(res: ChunkResult, n: int, nbytes: float, last_pos: int) -> None:
        nonlocal n_rows, last_note, good_bytes, seen_to
        good.extend(res.good)
        bad.extend(res.bad)
        texts.update(res.texts)
        seen_to = last_pos
        good_bytes += int(nbytes) or 2048 * len(res.good)
        if len(good) >= WRITE_ROWS or good_bytes >= WRITE_BYTES:
            write()
        summary.skipped += res.skipped
        summary.pii.update(res.pii)
        n_rows += n
        task.advance(nbytes)
        now = time.perf_counter()
        if now - last_note > 0.5:
            last_note = now
            task.note(f"{n_rows:,} rows, {n_rows / max(now - started, 1e-9):,.0f} rows/s")

    try:
        for chunk in _chunks(rows, BATCH):
            absorb(proc.process(chunk, utcnow(), kind), len(chunk), sum(size_of(p) for _, p in chunk), chunk[-1][0])
    except BaseException:
        # Ctrl-C or a failure further on: what is already processed is still stored (and
        # the quarantine of lines not read yet is left as it is)
        if good or bad:
            try:
                write()
            except Exception:
                pass
        raise
    write(to_end=True)  # also when nothing is left to store: entries past the end go


def _run_tasks(
    pool: ProcessPoolExecutor, calls: Iterator[tuple[Any, tuple[Any, ...], float]], task: Any, summary: IngestSummary,
) -> None:
    """Run worker tasks that each store their own rows, ``(function, arguments, progress
    units)`` from ``calls`` (read lazily), at most two per worker waiting, and add up
    what they did."""
    started = time.perf_counter()
    n_rows = 0
    pending: list[tuple[Future[RangeResult], float]] = []

    def absorb(fut: Future[RangeResult], units: float) -> None:
        nonlocal n_rows
        res = fut.result()
        summary.kept += res.kept
        summary.duplicates += res.duplicates
        summary.quarantined += res.quarantined
        summary.skipped += res.skipped
        summary.pii.update(res.pii)
        n_rows += res.rows
        task.advance(units)
        task.note(f"{n_rows:,} rows, {n_rows / max(time.perf_counter() - started, 1e-9):,.0f} rows/s")

    workers = pool._max_workers or 1
    for fn, args, units in calls:
        pending.append((pool.submit(fn, *args), units))
        if len(pending) >= 2 * workers:
            absorb(*pending.pop(0))
    for fut, units in pending:
        absorb(fut, units)


def _run_stored(
    store: Store, proc: Processor, rows: Iterator[tuple[int, Any]], task: Any, summary: IngestSummary,
    pool: ProcessPoolExecutor, size_of: Any, first_line: int, kind: str, parts: _Parts | None = None,
) -> None:
    """Hand the rows this process reads to the workers in tasks of up to :data:`TASK_ROWS`
    rows (or :data:`TASK_BYTES`), which each process and store (measured on 200 MB: the
    main process writing every row and unpickling the processed rows was the bottleneck).
    A JSON array's items travel as their bytes, cheaper to send than dicts; CSV rows
    travel as dicts (as JSON bytes they were no faster and took 345 MiB more memory).
    Each task covers the lines from where the one before ended; entries past the last go.
    With ``parts``, a task an interrupted ingest stored is not sent again (the rows are
    still read here, to find where the next task begins)."""
    span_from = first_line

    def calls() -> Iterator[tuple[Any, tuple[Any, ...], float]]:
        nonlocal span_from
        part: list[tuple[int, Any]] = []
        nbytes = 0.0
        for row in itertools.chain(rows, [None]):  # None: the end
            if row is not None:
                part.append(row)
                nbytes += size_of(row[1])
                if len(part) < TASK_ROWS and nbytes < TASK_BYTES:
                    continue
            if not part:
                break
            last = part[-1][0]
            key = parts.key(f"task:{span_from}:{last}") if parts is not None else None
            if parts is None or not parts.skip(key, len(part), nbytes):
                yield store_rows, (proc, store.url, part, utcnow(), kind, (proc.file, span_from, last), BATCH, key), nbytes
            span_from = last + 1
            part, nbytes = [], 0.0

    _run_tasks(pool, calls(), task, summary)
    _flush(store, [], [], summary, (proc.file, span_from, None))


@dataclass
class _Parts:
    """The parts of one file that workers store each with a key (byte ranges, tasks of rows,
    Parquet slices), and those an interrupted ingest of it stored already.

    A key is the fingerprint of what the part holds (``content``: the hash of the file's
    bytes, or of the range's own bytes), where it is, and how it is read (source, format,
    row shape, mapping, scrubbing): a part with the same key holds the same rows, stored
    whole in one transaction with the key."""

    proc: Processor
    fmt: str
    content: str
    summary: IngestSummary
    task: Any
    done: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, store: Store, proc: Processor, fmt: str, content: str, summary: IngestSummary, task: Any, *,
           skip_done: bool) -> "_Parts":
        parts = cls(proc, fmt, content, summary, task)
        if skip_done:
            with store.read() as conn:
                parts.done = set(conn.execute(select(ingest_parts.c.key).where(ingest_parts.c.file == proc.file)).scalars())
        return parts

    def key(self, where: str, content: str | None = None) -> str:
        p = self.proc
        return fingerprint(f"part:{content or self.content}:{where}:{p.scrub}", p.source, self.fmt, p.mapping)

    def skip(self, key: str, rows: int, units: float) -> bool:
        """Whether the part with ``key`` is stored already (then counted as such)."""
        if key not in self.done:
            return False
        self.summary.continued[self.proc.file] = self.summary.continued.get(self.proc.file, 0) + rows
        self.task.advance(units)
        return True


class _Tee:
    """Feeds the whole file's hash (if any) and the hash of the current byte range."""

    def __init__(self, whole: Any) -> None:
        self.whole = whole
        self.part = content_hash()

    def update(self, data: Any) -> None:
        if self.whole is not None:
            self.whole.update(data)
        self.part.update(data)

    def take(self) -> str:
        """The current range's hash; the next range starts a new one."""
        out, self.part = self.part.hexdigest(), content_hash()
        return out


def _lines_in(path: Path, offset: int, length: int) -> int:
    """Lines in ``length`` bytes of ``path`` from ``offset`` (a last one without a line break counts)."""
    n, last = 0, b"\n"
    with path.open("rb") as fh:
        fh.seek(offset)
        left = length
        while left > 0 and (piece := fh.read(min(1 << 20, left))):
            n += piece.count(b"\n")
            last = piece[-1:]
            left -= len(piece)
    return n + (last != b"\n")


def _range_sizes(target: int, workers: int, tail: int = TAIL_BYTES) -> Any:
    """The size of each range a file is cut into for ``workers`` (see :func:`jsonl_ranges`).
    The first is half as big, so that the workers finish their ranges, and write them, at
    different times instead of one waiting for the other's write lock (measured on 1 GB:
    1.87 cores busy instead of 1.82, 5% more records a second); the last ones shrink to half
    of what is left (not below ``tail``), so that the workers end together."""
    def sizes(i: int, left: int) -> int:
        if i == 0 and workers > 1:
            return max(1, target // 2)
        return min(target, max(left // workers, min(target, tail)))

    return sizes


def _run_ranges(
    store: Store, proc: Processor, path: Path, task: Any, summary: IngestSummary, pool: ProcessPoolExecutor,
    digest: Any = None, start: int = 0, first_line: int = 1, parts: _Parts | None = None,
) -> int:
    """Ingest a plain JSONL file by byte ranges, from byte ``start`` (line ``first_line``):
    each worker reads its range, processes it and writes it to the store itself, with the
    range's key in ``parts`` (hashed from the range's own bytes); this process plans the
    ranges (feeding ``digest`` the bytes as it counts their lines) and adds up. A range an
    interrupted ingest stored is not read again. Returns the bytes the ranges cover."""
    workers = pool._max_workers or 1
    target = max(1, min(RANGE_BYTES, (path.stat().st_size - start) // (RANGES_PER_WORKER * workers)))
    sizes = _range_sizes(target, workers)
    covered = 0
    tee = _Tee(digest)

    def calls() -> Iterator[tuple[Any, tuple[Any, ...], float]]:
        # a range is sent once the next is planned: its last line is the line before the
        # next one's first; the last range reaches to the end of the file
        nonlocal covered
        held = None

        def send(last_line: int | None) -> Iterator[tuple[Any, tuple[Any, ...], float]]:
            assert held is not None
            offset, length, line, key = held
            if parts is not None and key in parts.done:
                parts.skip(key, (last_line + 1 - line) if last_line is not None else _lines_in(path, offset, length), length)
                return
            yield ingest_range, (proc, store.url, str(path), offset, length, line, last_line, utcnow(), BATCH, key), length

        for offset, length, line in jsonl_ranges(path, target, tee, start, first_line, sizes):
            covered += length
            content = tee.take()
            key = parts.key(f"range:{offset}:{length}:{line}", content) if parts is not None else None
            if held is not None:
                yield from send(line - 1)
            held = (offset, length, line, key)
        if held is not None:
            yield from send(None)
        else:  # nothing left to read: entries past the end go
            _flush(store, [], [], summary, (proc.file, first_line, None))

    _run_tasks(pool, calls(), task, summary)
    return covered


def _parquet_plan(path: Path, workers: int) -> list[tuple[int, int, int, int]]:
    """Row slices of a Parquet file for ``workers`` (at least :data:`RANGES_PER_WORKER`
    each, none over about :data:`RANGE_BYTES` unpacked)."""
    meta = _parquet_meta(path)
    rows = meta.num_rows
    unpacked = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
    per_row = max(1.0, unpacked / max(rows, 1))
    target = max(1, min(int(RANGE_BYTES / per_row), -(-rows // (RANGES_PER_WORKER * workers))))
    return parquet_slices(path, target)


def _parquet_meta(path: Path) -> Any:
    import pyarrow.parquet as pq

    return pq.ParquetFile(path).metadata


def _run_parquet(
    store: Store, proc: Processor, path: Path, task: Any, summary: IngestSummary, pool: ProcessPoolExecutor,
    parts: _Parts | None = None,
) -> None:
    """Ingest a Parquet file by row slices: each worker decodes its slice, processes it and
    writes it to the store itself, as :func:`_run_ranges` does for JSONL byte ranges
    (measured on 200 MB: the main process decoding every row for the workers was the
    bottleneck). A slice an interrupted ingest stored (in ``parts``) is not read again."""
    slices = _parquet_plan(path, pool._max_workers or 1)
    if not slices:  # no rows: the file's entries go
        _flush(store, [], [], summary, (proc.file, 1, None))

    def calls() -> Iterator[tuple[Any, tuple[Any, ...], float]]:
        for i, (g, lo, hi, first) in enumerate(slices):
            key = parts.key(f"slice:{g}:{lo}:{hi}:{first}") if parts is not None else None
            if parts is None or not parts.skip(key, hi - lo, float(hi - lo)):
                last = i == len(slices) - 1
                yield ingest_parquet_slice, (proc, store.url, str(path), g, lo, hi, first, last, utcnow(), BATCH, key), float(hi - lo)

    _run_tasks(pool, calls(), task, summary)


def _batch_notes(
    store: Store, batch: BatchJoin, key: bytes, source: str, scrub: bool, settings: ScrubSettings, summary: IngestSummary,
    spool: Spool,
) -> None:
    """Quarantine the rows of Batch API requests files that cannot be joined (scrubbed as
    any quarantined row), replacing the files' earlier entries; note requests left without
    a result."""
    now = utcnow()
    for file, bad in batch.bad.items():
        file = spool.name_of(Path(file))
        proc = Processor(key, source, file, "generic", None, scrub, settings)
        _, scrubber = proc._ready()
        res = ChunkResult()
        for pos, reason, raw in bad:
            proc._quarantine(res, pos, reason, raw, scrubber, now)
        _flush(store, [], res.bad, summary, (file, 1, None))
    summary.hints.update({spool.name_of(Path(f)): h for f, h in batch.hints.items()})


def ingest(
    project: Project | str | Path,
    paths: list[str] | None = None,
    *,
    source: str | None = None,
    format: str = "auto",
    mapping: str | dict[str, str] | None = None,
    scrub: bool = True,
    scrub_patterns: dict[str, str] | None = None,
    scrub_allow: list[str] | None = None,
    scrub_disable: list[str] | None = None,
    workers: int | None = None,
    progress: ProgressFactory = no_progress,
    store: Store | None = None,
    force: bool = False,
    replace: bool = False,
    ts_format: str | None = None,
    encoding: str | None = None,
    stdin: BinaryIO | None = None,
) -> IngestSummary:
    """Ingest log files into the project's store.

    ``format`` is ``auto``, a file format (``jsonl``, ``json``, ``csv``, ``tsv``, ``parquet``),
    a row shape (``generic``, ``openai``, ``responses``, ``gemini``, ``anthropic``, ``openai-batch``, ``anthropic-batch``,
    ``otel``, ``langfuse``, ``phoenix``, ``langsmith``, ``braintrust``, ``weave``, ``helicone``, ``bedrock``, ``mlflow``, ``posthog``, ``opik``, ``cloudflare``) or both as ``jsonl:openai``. A Batch API results file is joined
    with its batch's requests file, which must be among the files of the same call (:mod:`assay.ingest._batch`). ``mapping`` (``"input=request.messages,
    output=response.text,ts=started_at"``) reads each record field from a dotted path instead.
    With no ``paths``, every source in ``assay.yaml`` is read.

    Valid rows are stored, scrubbed of PII unless ``scrub=False`` (recorded in the audit
    log); ``scrub_patterns`` adds kinds (``{"CUSTOMER_ID": r"CUST-\\d{8}"}``), ``scrub_allow``
    lists values to keep (``re:`` prefix for a regex), ``scrub_disable`` switches built-in
    kinds off. Bad rows go to the quarantine table with file, line and reason. Rows already
    stored count as duplicates, so re-running an ingest, or finishing an interrupted one,
    is safe. ``workers`` >= 1 runs the work in that many processes (each reads, processes
    and writes its own byte ranges of a plain JSONL file; for other files this process
    reads and writes while they parse and scrub); ``0`` does everything in this process;
    ``None`` (default) uses 2 workers when the input is over 64 MB (unpacked: see
    :func:`data_bytes`) and there are cores to spare (measured: 37k vs 20k records/s on
    1 GB with 2 cores), else none.

    A file whose content an earlier finished ingest read already (same bytes, source,
    format and mapping) is not read again: it is listed in ``unchanged``, as everything in
    it is stored. ``force=True`` reads it anyway (its records then count as duplicates).
    ``replace=True`` first deletes what earlier ingests of each file stored (records,
    quarantined rows, history; see :func:`assay.ingest.delete_files`) and reads it again:
    for a file ingested with the wrong mapping or shape, or by an older normalisation.

    ``ts_format`` (a strptime format such as ``"%d/%m/%Y %H:%M"``) reads timestamp text in
    that format first, for dates ISO 8601 does not cover (``01/11/2026``, where day and
    month cannot be told apart); text it does not fit is read as usual.

    ``encoding`` (``cp1252``, ``latin-1``, ``utf-16``, ...) reads text files that are not
    UTF-8; a byte the encoding cannot decode makes its row a quarantined one, as in UTF-8.

    A path ``-`` reads standard input (or the binary stream ``stdin``), plain, gzip or zstd
    JSON Lines, JSON, CSV or Parquet: it is copied to a file under ``.assay/`` first and
    recorded as the file ``stdin:<hash of its content>`` (:mod:`assay.ingest._stdin`).
    """
    project = as_project(project)
    specs: list[tuple[str, str, list[str], Any, str | None, str | None]] = []
    if paths:
        specs.append((source or "default", format, list(paths), mapping, ts_format, encoding))
    else:
        if not project.config.sources:
            raise InputError("no files given and no sources in assay.yaml", hint="pass a path: assay ingest logs/*.jsonl")
        for src in project.config.sources:
            specs.append((src.name, src.format, [src.path], mapping or src.map, ts_format or src.ts_format,
                          encoding or src.encoding))
    for *_, job_ts, job_enc in specs:
        if job_enc is not None:
            try:
                check_encoding(job_enc)
            except ValueError as exc:
                raise InputError(f"--encoding: {exc}", hint="a text encoding such as cp1252, latin-1 or utf-16") from None
        if job_ts is not None:
            try:
                check_ts_format(job_ts)
            except ValueError as exc:
                raise InputError(f"--ts-format: {exc}", hint="a strptime format such as '%d/%m/%Y %H:%M'") from None
    cfg = project.config.scrub
    settings = ScrubSettings(
        patterns={**cfg.patterns, **(scrub_patterns or {})},
        allow=[*cfg.allow, *(scrub_allow or [])],
        disable=[*cfg.disable, *(scrub_disable or [])],
    )
    settings.compiled()  # fail early on a bad regex
    remove_spool_orphans(project.state_dir)  # a killed ingest's copy of standard input holds unscrubbed logs
    spool = Spool(project.state_dir, stdin, progress=progress)
    started = time.perf_counter()  # (copying standard input counts)
    try:
        jobs = [(name, fmt, _expand(project, ps, spool if paths else None), m, t, e) for name, fmt, ps, m, t, e in specs]
        return _ingest_jobs(project, jobs, spool, started, scrub=scrub, settings=settings, workers=workers,
                            progress=progress, store=store, force=force, replace=replace)
    except InputError as exc:
        raise spool.error(exc) from None
    except BrokenProcessPool as exc:  # a worker killed (out of memory, kill -9): no traceback, the way on
        raise AssayError(
            f"a worker process stopped before it finished its part ({exc})",
            hint="what was stored is kept: run the same command again to go on; if it happens again, the machine may be "
                 "short of memory: try --workers 1, or --workers 0 (one process)",
        ) from None
    finally:
        spool.cleanup()


def _ingest_jobs(
    project: Project, jobs: list[tuple[str, str, list[Path], Any, str | None, str | None]], spool: Spool, started: float, *,
    scrub: bool, settings: ScrubSettings, workers: int | None, progress: ProgressFactory, store: Store | None,
    force: bool, replace: bool,
) -> IngestSummary:
    """:func:`ingest` of the files ``jobs`` name (standard input copied to a file already)."""
    own_store = store is None
    store = store or project.open_store()
    # join indexes a killed ingest left behind hold unscrubbed text: gone at the next ingest, whatever it reads
    remove_batch_orphans(project.state_dir)
    remove_events_orphans(project.state_dir)
    summary = IngestSummary(scrubbed=scrub)
    if workers is None:
        workers = _auto_workers(sum(data_bytes(p) for _, _, files, *_ in jobs for p in files))
    pool = ProcessPoolExecutor(max_workers=workers) if workers >= 1 else None
    if not scrub:
        store.audit("ingest.no_scrub", files=[spool.name_of(p) for _, _, files, *_ in jobs for p in files])
    batches: list[BatchJoin] = []
    prev_encoding = set_encoding(None)
    # many files (a folder of per-trace exports): one bar for them all, not one each
    n_files = sum(len(files) for _, _, files, *_ in jobs)
    stack = ExitStack()
    overall = stack.enter_context(progress(f"ingest {n_files:,} files", float(n_files))) if n_files > MANY_FILES else None
    file_progress = progress if overall is None else (lambda _d, _t: nullcontext(_InOverall(overall)))

    def counted(files: list[Path]) -> Iterator[Path]:
        for p in files:
            yield p
            if overall is not None:
                overall.advance(1)
                if summary.quarantined:  # (the bar's note is for what went wrong)
                    overall.note(f"{summary.quarantined:,} rows quarantined")

    try:
        for src_name, fmt, files, job_mapping, job_ts, job_enc in jobs:
            set_encoding(job_enc)  # every read of this job's files goes through it (main process)
            mapping_d = parse_mapping(job_mapping)
            file_fmt, shape_name = split_format(fmt)
            batch = None
            events = None
            if not mapping_d:  # Batch API results are joined with their requests by custom_id
                files, batch = plan_batches(project.state_dir, files, file_fmt, shape_name)
                if batch is not None:
                    batches.append(batch)
                    _batch_notes(store, batch, project.key, src_name, scrub, settings, summary, spool)
                # OTLP spans with the GenAI events their logs export holds, by span id
                files, events = plan_otel_logs(project.state_dir, files, file_fmt, shape_name)
                if events is not None:
                    batches.append(events)
                    _batch_notes(store, events, project.key, src_name, scrub, settings, summary, spool)
            for path in counted(files):
                name = spool.name_of(path)  # what the records say: stdin:<hash> for standard input
                ff = detect_format(path) if file_fmt == "auto" else file_fmt
                rows = get_reader(ff)(path)
                within = None
                fold = False
                if mapping_d:
                    sname = "map"
                else:
                    sname, rows, hint, within, fold = _resolve_shape(path, rows, shape_name)
                    if hint is not None:
                        summary.hints[name] = hint
                    elif within is not None and shape_name == "auto":
                        summary.hints[name] = (f"the file holds an app's log lines: read the {sname} model calls "
                                               f"{'among them' if within == '.' else f'in their {within!r} field'}, and "
                                               "skipped the other lines (say it with --format "
                                               f"{sname}@{within} if that is wrong, or --map)")
                    elif fold and shape_name == "auto":
                        summary.hints[name] = (f"the column names are all upper case (a Snowflake or Oracle export): read "
                                               f"lower-cased, as {sname} rows")
                fmt_name = f"{ff}:{sname}" + (f"@{within}" if within is not None else "") + (FOLDED if fold else "")
                # (a file is a Batch API results file or OTLP traces, told by its first row: never both)
                join = events if events is not None and str(path) in events.results else batch
                provider = join.results.get(str(path)) if join is not None else None
                if provider is not None:  # what the file's rows become depends on the requests files too
                    fp_fmt = f"{fmt_name}+{join.digest[provider]}"  # type: ignore[union-attr]
                else:
                    fp_fmt = fmt_name
                if job_ts is not None:  # what the file's rows become depends on the format too
                    fp_fmt = f"{fp_fmt}+ts={job_ts}"
                if recoding():  # ... and on the encoding it is read in
                    fp_fmt = f"{fp_fmt}+enc={check_encoding(job_enc)}"  # type: ignore[arg-type]
                by_bytes = ff == "jsonl" and compression(path) is None and not recoding()
                ranged = pool is not None and by_bytes
                by_rows = pool is not None and ff == "parquet" and get_reader("parquet") is read_parquet
                if replace:
                    with store.write() as conn:
                        gone = forget(conn, [name])
                    if gone.records or gone.quarantined or gone.ingests:
                        summary.replaced[name] = gone.records
                    others = [f for f in gone.read_again if f not in {str(p) for p in files}]
                    if others:
                        summary.hints[name] = (
                            f"{len(others)} other file{'s' if len(others) > 1 else ''} of this source may have held records "
                            f"deleted with it (a record two files hold is stored once): ingest {'them' if len(others) > 1 else 'it'} "
                            f"again to store those: assay ingest {' '.join(others[:5])}{' ...' if len(others) > 5 else ''}")
                plan = _plan_read(store, path, src_name, fp_fmt, mapping_d, by_bytes=by_bytes, ranged=ranged,
                                  force=force or replace)
                if plan.unchanged:
                    summary.unchanged.append(name)
                    continue
                if provider is not None:
                    summary.joined[name] = [str(p) for p in join.requests[provider]]  # type: ignore[union-attr]
                content, start, first_line = plan.content, plan.start, plan.first_line
                if start:
                    rows = read_jsonl(path, start, first_line)
                    summary.resumed[name] = first_line
                summary.files.append(name)
                summary.formats[name] = fmt_name
                with store.write() as conn:
                    if ff == "jsonl":  # a last line quarantined as unfinished is read again now
                        conn.execute(delete(quarantine).where(_unfinished(name), quarantine.c.line >= first_line))
                    ingest_id = conn.execute(
                        insert(ingests).values(
                            source=src_name, file=name, format=fmt_name, started_at=utcnow(), scrubbed=scrub
                        )
                    ).inserted_primary_key[0]
                before = (summary.kept, summary.duplicates, summary.quarantined)
                proc = Processor(project.key, src_name, name, sname, mapping_d or None, scrub, settings, ingest_id,
                                 join.index[provider] if provider is not None else None,  # type: ignore[union-attr]
                                 job_ts, job_enc if recoding() else None, within, fold)
                total = float(path.stat().st_size - start) if by_bytes else float(_parquet_meta(path).num_rows) if by_rows else None

                def size_of(p: Any) -> float:
                    return len(p) if by_bytes and isinstance(p, (bytes, bytearray)) else 0.0

                with file_progress(f"ingest {Path(name).name}", total) as task:
                    # with workers, each part of the file is stored with a key, so that this
                    # ingest, if interrupted, goes on without the parts it stored
                    parts = None
                    if pool is not None and (ranged or content is not None):  # ranges are keyed by their own bytes
                        parts = _Parts.of(store, proc, fp_fmt, "" if ranged else content[0], summary, task, skip_done=not force)
                    if ranged:  # the rows read to tell the shape are read again
                        assert pool is not None
                        digest = (plan.hashed if plan.hashed is not None else content_hash()) if content is None else None
                        covered = _run_ranges(store, proc, path, task, summary, pool, digest, start, first_line, parts)
                        if digest is not None:
                            content = (digest.hexdigest(), start + covered)
                    elif by_rows:  # the rows read to tell the shape are read again
                        assert pool is not None
                        _run_parquet(store, proc, path, task, summary, pool, parts)
                    else:
                        # no cyclic GC while rows are read and chunks wait for workers: its
                        # full passes walked every pending row's dicts (rows hold no cycles).
                        # 200 MB as a JSON array: 9.2k -> 14.3k records/s; as Parquet 11.8k -> 16.0k
                        with gc_paused():
                            _run_file(store, proc, rows, task, summary, pool, size_of, first_line=first_line,
                                      kind="items" if ff == "json" else "lines", parts=parts)
                assert content is not None
                if by_bytes:
                    with store.read() as conn:
                        cut = conn.execute(select(quarantine.c.id).where(_unfinished(name)).limit(1)).first()
                    if cut is not None:  # fingerprint the file up to its unfinished last line, to go on from there
                        content = file_digest(path, _line_start(path, content[1]))
                kept, dup, quar = (summary.kept - before[0], summary.duplicates - before[1], summary.quarantined - before[2])
                with store.write() as conn:
                    # the file is ingested whole: the keys of its stored parts are no longer needed (also when
                    # an ingest with workers was interrupted and this one, without, finished it)
                    conn.execute(delete(ingest_parts).where(ingest_parts.c.file == name))
                    conn.execute(
                        update(ingests)
                        .where(ingests.c.id == ingest_id)
                        .values(finished_at=utcnow(), n_kept=kept, n_duplicate=dup, n_quarantined=quar,
                                size=content[1], fingerprint=fingerprint(content[0], src_name, fp_fmt, mapping_d))
                    )
    except KeyboardInterrupt as exc:  # what was stored before it, for the CLI to say
        exc.summary = summary  # type: ignore[attr-defined]
        raise
    finally:
        stack.close()
        set_encoding(prev_encoding)
        if pool is not None:
            pool.shutdown(cancel_futures=True)
        for b in batches:
            b.cleanup()
        summary.seconds = time.perf_counter() - started
        if own_store:
            store.close()
    return summary
