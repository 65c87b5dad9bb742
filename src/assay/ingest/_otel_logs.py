"""OpenTelemetry GenAI events sent as log records, joined with their spans.

The official GenAI instrumentations (``opentelemetry-instrumentation-openai-v2`` and the
others built on the GenAI utilities) record a call's model, tokens and times on a span,
and its messages as *events* emitted through the logs signal: log records named
``gen_ai.system.message``, ``gen_ai.user.message``, ``gen_ai.choice``, ... (or one
``gen_ai.client.inference.operation.details``), each carrying the span's ``traceId`` and
``spanId``. A collector then writes two exports, ``resourceSpans`` and ``resourceLogs``.

Given both in one ingest, the logs files are read first into a throw-away SQLite index of
their GenAI events by span id (under ``.assay/``, opened read-only by every process that
joins, deleted afterwards), and each span of the traces files gets its events back before
the ``otel`` shape reads it, as if the instrumentation had put them on the span. The logs
files are not ingested on their own; a logs file without its traces file is an error.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import xxhash

from assay.errors import InputError
from assay.ingest._batch import BatchJoin, _first_object, _rows
from assay.ingest._batch import _remove_orphans as remove_orphans
from assay.ingest._formats import _BadRow, detect_format

EVENTS = "otel-logs"
"""The join's name in :class:`~assay.ingest._batch.BatchJoin` (its "provider")."""
INDEX_PREFIX = "otel-events-"


def is_logs_export(row: Any) -> bool:
    return isinstance(row, dict) and "resourceLogs" in row


def is_traces_export(row: Any) -> bool:
    return isinstance(row, dict) and ("resourceSpans" in row or ("spanId" in row and "traceId" in row))


def _attr(attrs: Any, key: str) -> Any:
    for kv in attrs if isinstance(attrs, list) else []:
        if isinstance(kv, dict) and kv.get("key") == key:
            value = kv.get("value")
            return value.get("stringValue") if isinstance(value, dict) else value
    return None


def genai_events(row: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(span id, event)`` for each GenAI log record of an OTLP logs export, the event as a
    span event holds it (``name``, ``timeUnixNano``, ``attributes`` with the record's body
    as ``body``). Records without a span, or that are no GenAI event, are left out."""
    if not is_logs_export(row):
        return
    for rl in row.get("resourceLogs") or []:
        if not isinstance(rl, dict):
            continue
        for sl in rl.get("scopeLogs") or rl.get("instrumentationLibraryLogs") or []:
            if not isinstance(sl, dict):
                continue
            for rec in sl.get("logRecords") or []:
                if not isinstance(rec, dict):
                    continue
                span_id = rec.get("spanId")
                attrs = rec.get("attributes") if isinstance(rec.get("attributes"), list) else []
                name = rec.get("eventName") or _attr(attrs, "event.name")
                if not isinstance(span_id, str) or not span_id or not isinstance(name, str) or not name.startswith("gen_ai."):
                    continue
                event: dict[str, Any] = {"name": name, "attributes": list(attrs)}
                if rec.get("body") is not None:
                    event["attributes"].append({"key": "body", "value": rec["body"]})
                if rec.get("timeUnixNano") is not None:
                    event["timeUnixNano"] = rec["timeUnixNano"]
                yield span_id.lower(), event


class EventsIndex:
    """The GenAI events of the logs files by span id, read-only (opened in each process
    that joins); ``join`` has the interface of :class:`~assay.ingest._batch.BatchIndex`."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)

    def _events(self, span_id: Any) -> list[Any]:
        if not isinstance(span_id, str):
            return []
        rows = self._conn.execute("SELECT raw FROM event WHERE span_id = ? ORDER BY seq", (span_id.lower(),)).fetchall()
        return [orjson.loads(r[0]) for r in rows]

    def _attach(self, span: Any) -> None:
        if isinstance(span, dict):
            found = self._events(span.get("spanId"))
            if found:
                own = span.get("events")
                span["events"] = [*(own if isinstance(own, list) else []), *found]

    def join(self, row: Any) -> Any:
        """``row`` (an OTLP traces export, or one span) with each span's events from the logs."""
        if not isinstance(row, dict):
            return row
        if "resourceSpans" not in row:
            self._attach(row)
            return row
        for rs in row.get("resourceSpans") or []:
            if not isinstance(rs, dict):
                continue
            for ss in rs.get("scopeSpans") or rs.get("instrumentationLibrarySpans") or []:
                if isinstance(ss, dict):
                    for span in ss.get("spans") or []:
                        self._attach(span)
        return row

    def close(self) -> None:
        self._conn.close()


def plan_otel_logs(state_dir: Path, files: list[Path], file_fmt: str, shape_name: str) -> tuple[list[Path], BatchJoin | None]:
    """Find the OTLP logs exports among ``files`` (by their first row): the files to ingest,
    and the join of every traces export with the logs' GenAI events (``None`` without logs
    files). Logs files with no traces file among ``files`` are an error before anything is read."""
    if shape_name not in ("auto", "otel"):
        return files, None
    fmts: dict[Path, str] = {}
    logs: list[Path] = []
    traces: list[Path] = []
    for path in files:
        fmts[path] = detect_format(path) if file_fmt == "auto" else file_fmt
        if fmts[path] not in ("jsonl", "json"):
            continue
        first = _first_object(path, fmts[path])
        if is_logs_export(first):
            logs.append(path)
        elif is_traces_export(first):
            traces.append(path)
    if not logs:
        return files, None
    if not traces:
        raise InputError(
            "holds OpenTelemetry log records (GenAI events), which carry a call's messages but not its model, "
            "tokens or times: those are on the spans",
            file=str(logs[0]),
            hint=f"ingest it in one command with the traces export of the same service: assay ingest <traces>.json {logs[0].name}",
        )
    join = BatchJoin()
    join.requests[EVENTS] = logs
    join.index[EVENTS] = str(state_dir / f"{INDEX_PREFIX}{os.getpid()}-{uuid.uuid4().hex[:12]}.db")
    state_dir.mkdir(parents=True, exist_ok=True)
    _remove_orphans(state_dir)
    try:
        join.digest[EVENTS] = _build_index(join, logs, fmts)
        join.results = {str(p): EVENTS for p in traces}
    except BaseException:
        join.cleanup()
        raise
    return [p for p in files if p not in set(logs)], join


def _remove_orphans(state_dir: Path) -> None:
    """Delete the events indexes of ingests whose process is gone: they hold message text unscrubbed."""
    remove_orphans(state_dir, INDEX_PREFIX)


def _build_index(join: BatchJoin, logs: list[Path], fmts: dict[Path, str]) -> str:
    """Write the events index of the logs files; returns their content hash."""
    conn = sqlite3.connect(join.index[EVENTS])
    h = xxhash.xxh3_128()
    pending: list[tuple[str, int, bytes]] = []
    seq = 0
    try:
        conn.execute("PRAGMA journal_mode=OFF")
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("CREATE TABLE event (span_id TEXT NOT NULL, seq INTEGER NOT NULL, raw BLOB NOT NULL)")
        for path in logs:
            bad = join.bad.setdefault(str(path), [])
            n_events = 0
            for pos, obj, payload in _rows(path, fmts[path]):
                if obj is None:
                    bad.append((pos, payload.reason if isinstance(payload, _BadRow) else "not valid JSON", payload))
                    continue
                if not is_logs_export(obj):
                    bad.append((pos, "not an OTLP logs export row (expected resourceLogs)", obj))
                    continue
                h.update(bytes(payload) if isinstance(payload, (bytes, bytearray)) else orjson.dumps(obj, option=orjson.OPT_NON_STR_KEYS))
                for span_id, event in genai_events(obj):
                    pending.append((span_id, seq, orjson.dumps(event, option=orjson.OPT_NON_STR_KEYS)))
                    seq += 1
                    n_events += 1
                if len(pending) >= 5000:
                    conn.executemany("INSERT INTO event VALUES (?, ?, ?)", pending)
                    pending.clear()
            if not n_events:
                join.hints[str(path)] = ("holds no GenAI events with a span (log records named gen_ai.*, with a spanId): "
                                         "the spans of the traces files keep what they hold themselves")
        conn.executemany("INSERT INTO event VALUES (?, ?, ?)", pending)
        conn.execute("CREATE INDEX event_span ON event (span_id, seq)")
        conn.commit()
    finally:
        conn.close()
    return h.hexdigest()
