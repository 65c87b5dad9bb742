"""``assay ingest --dry-run``: what the first rows of a file would become, stored nowhere.

The first rows go through the same per-row work as an ingest (:class:`Processor`:
normalise, scrub, keyed ids), so the records shown are exactly those an ingest would store,
and the rows shown as quarantined exactly those it would quarantine. Nothing is written to
the store. Batch API results and OTLP logs are read in an ingest together with other files
(their requests, their traces); a dry run names them and shows no rows of them.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Iterator
from typing import Any, BinaryIO

import orjson

from assay.errors import InputError
from assay.ingest._batch import batch_role, first_object
from assay.ingest._formats import check_encoding, detect_format, get_reader, set_encoding
from assay.ingest._normalise import RowError, check_ts_format
from assay.ingest._otel_logs import is_logs_export, plan_otel_logs
from assay.ingest._pii import ScrubSettings
from assay.ingest._process import FOLDED, Processor
from assay.ingest._shapes import get_shape, lower_keys, parse_mapping
from assay.ingest._within import Within
from assay.ingest import _stdin
from assay.project import Project, as_project
from assay.records import Record
from assay.store import utcnow
from assay.store._texts import REF, SHARED_META


@dataclass
class FilePreview:
    file: str
    format: str
    """``file format:shape``, as the ingest would record it."""
    rows: int = 0
    """Rows read (the first ``rows`` of the file)."""
    records: list[Record] = field(default_factory=list)
    quarantined: list[tuple[int, str]] = field(default_factory=list)
    skipped: int = 0
    """Items that are no model call (a chain span, an HTTP span), as the ingest skips them."""
    hint: str | None = None
    note: str | None = None
    """Why no rows are shown (a file read only together with another)."""

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "format": self.format, "rows": self.rows, "skipped": self.skipped, "hint": self.hint,
                "note": self.note, "records": [r.model_dump(mode="json", exclude={"version"}) for r in self.records],
                "quarantined": [{"line": line, "reason": reason} for line, reason in self.quarantined]}


@dataclass
class Preview:
    files: list[FilePreview] = field(default_factory=list)
    more_files: list[str] = field(default_factory=list)
    """The files past ``max_files``, not looked at (a folder of thousands of exports)."""

    def to_json(self) -> dict[str, Any]:
        return {"schema": "assay.ingest.preview/v1", "files": [f.to_json() for f in self.files], "more_files": self.more_files}


def preview(
    project: Project | str | Path,
    paths: list[str],
    *,
    rows: int = 5,
    max_files: int = 10,
    source: str | None = None,
    format: str = "auto",
    mapping: str | dict[str, str] | None = None,
    scrub: bool = True,
    ts_format: str | None = None,
    encoding: str | None = None,
    stdin: BinaryIO | None = None,
) -> Preview:
    """The records the first ``rows`` rows of each file would become, and the rows that
    would be quarantined (with their reasons), as :func:`~assay.ingest.ingest` would store
    them; nothing is stored. A path ``-`` reads standard input (or ``stdin``): its first
    16 MB of text, or all of a compressed stream, are copied to a file under ``.assay/``
    that is deleted again. Only the first ``max_files`` files are looked at; the others are
    named in ``more_files``."""
    from assay.ingest._ingest import _expand, _resolve_shape, split_format

    if rows < 1:
        raise InputError(f"rows must be 1 or more, got {rows}")
    project = as_project(project)
    if encoding is not None:
        try:
            check_encoding(encoding)
        except ValueError as exc:
            raise InputError(f"--encoding: {exc}") from None
    if ts_format is not None:
        try:
            check_ts_format(ts_format)
        except ValueError as exc:
            raise InputError(f"--ts-format: {exc}") from None
    cfg = project.config.scrub
    settings = ScrubSettings(patterns=dict(cfg.patterns), allow=list(cfg.allow), disable=list(cfg.disable))
    settings.compiled()
    mapping_d = parse_mapping(mapping)
    file_fmt, shape_name = split_format(format)
    out = Preview()
    prev = set_encoding(encoding)
    spool = _stdin.Spool(project.state_dir, stdin, limit=_stdin.PREVIEW_BYTES)
    events = None
    try:
        files = _expand(project, paths, spool)
        if not mapping_d:  # spans whose messages are in a logs export given too: joined, as an ingest joins them
            _, events = plan_otel_logs(project.state_dir, files, file_fmt, shape_name)
        out.more_files = [spool.name_of(p) for p in files[max_files:]]
        for path in files[:max_files]:
            ff = detect_format(path) if file_fmt == "auto" else file_fmt
            reader = get_reader(ff)(path)
            head = list(itertools.islice(reader, rows))
            first = first_object(head)
            if shape_name in ("auto", "openai-batch", "anthropic-batch") and not mapping_d and batch_role(first) is not None:
                out.files.append(FilePreview(spool.name_of(path), f"{ff}:batch", note="a Batch API file: an ingest joins the results "
                                             "with their requests by custom_id (give both files); no rows shown here"))
                continue
            if shape_name in ("auto", "otel") and not mapping_d and is_logs_export(first):
                out.files.append(FilePreview(spool.name_of(path), f"{ff}:otel-logs", note="OpenTelemetry log records: an ingest joins "
                                             "their GenAI events with the spans of a traces file (give both); no rows shown here"))
                continue
            it: Any
            if mapping_d:
                sname, it, hint, within, fold = "map", iter(head), None, None, False
            else:
                sname, it, hint, within, fold = _resolve_shape(path, itertools.chain(head, reader), shape_name)
                # the first rows; of an app's log lines, as many as hold the first ``rows`` model calls
                it = (itertools.islice(it, rows) if within is None else
                      _calls(it, rows, Within(within, get_shape(sname).detect), fold))
                if within is not None and shape_name == "auto":
                    hint = (f"an app's log lines: the {sname} model calls {'among them' if within == '.' else f'in their {within!r} field'} "
                            f"are read, the other lines skipped (--format {sname}@{within} says it)")
            fmt = f"{ff}:{sname}" + (f"@{within}" if within is not None else "") + (FOLDED if fold else "")
            if fold and hint is None and shape_name == "auto":
                hint = "the column names are all upper case (a Snowflake or Oracle export): they are read lower-cased"
            fp = FilePreview(spool.name_of(path), fmt, rows=0, hint=hint)
            joined = events.results.get(str(path)) if events is not None else None
            proc = Processor(project.key, source or "default", spool.name_of(path), sname, mapping_d or None, scrub, settings,
                             batch_index=events.index[joined] if events is not None and joined is not None else None,
                             ts_format=ts_format, encoding=encoding, within=within, fold=fold)
            it = list(it)
            fp.rows = len(it)
            res = proc.process(it, utcnow(), "items" if ff == "json" else "lines")
            fp.records = [_record(r, res.texts) for r in res.good]
            fp.quarantined = [(b["line"], b["reason"]) for b in res.bad]
            fp.skipped = res.skipped
            out.files.append(fp)
    except InputError as exc:
        raise spool.error(exc) from None
    finally:
        set_encoding(prev)
        spool.cleanup()
        if events is not None:
            events.cleanup()
    return out


def _calls(it: Any, calls: int, within: Within, fold: bool = False, limit: int = 10_000) -> Iterator[tuple[int, Any]]:
    """The rows of ``it`` up to the one holding the ``calls``-th model call (at most ``limit`` rows)."""
    seen = 0
    for pos, payload in itertools.islice(it, limit):
        yield pos, payload
        try:
            obj = orjson.loads(payload) if isinstance(payload, (bytes, bytearray)) else payload
            seen += within.unwrap(lower_keys(obj) if fold else obj) is not None
        except (orjson.JSONDecodeError, RowError):
            seen += 1  # a bad row: shown as quarantined, as a call is shown
        if seen >= calls:
            return


def _record(row: tuple[Any, ...], texts: dict[str, str]) -> Record:
    """A store-ready row (:data:`~assay.ingest._process.RECORD_COLUMNS`) as the record it
    would be, with its shared texts in place."""
    (rid, source, ts, model, messages, output, latency, tin, tout, cost, meta, feedback, labels, _, _) = row
    msgs = [{"content": texts.get(m[REF], ""), **{k: v for k, v in m.items() if k != REF}} if REF in m else m
            for m in orjson.loads(messages)]
    meta_d = orjson.loads(meta)
    tools = meta_d.get(SHARED_META)
    if isinstance(tools, dict) and REF in tools and tools[REF] in texts:
        meta_d[SHARED_META] = orjson.loads(texts[tools[REF]])
    return Record(id=rid, source=source, ts=f"{ts}Z".replace(" ", "T") if ts else None, model=model, messages=msgs, output=output,
                  latency_ms=latency, tokens_in=tin, tokens_out=tout, cost_usd=cost, metadata=meta_d,
                  feedback=orjson.loads(feedback), labels=orjson.loads(labels))
