"""The per-row work of an ingest, on a chunk of rows at a time: parse, normalise, scrub,
give each record its keyed content id. Pure (no store access), so a chunk can be
processed in this process or in a worker process with the same result."""

from __future__ import annotations

import gc
import hashlib
import hmac
import json
import os
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import orjson

from assay.ingest._batch import JOINED_OUTPUT, BatchIndex
from assay.ingest._fast import FastOpenAI
from assay.ingest._formats import MAX_EXPORT_ROW_BYTES, MAX_ROW_BYTES, RAW_KEEP, _BadRow, too_big
from assay.ingest._normalise import NoModelCall, RowError, set_ts_format
from assay.ingest._otel_logs import INDEX_PREFIX as EVENTS_INDEX_PREFIX
from assay.ingest._otel_logs import EventsIndex
from assay.ingest._pii import Scrubber, ScrubSettings
from assay.ingest._shapes import Shape, decode_fields, get_shape, lower_keys, mapped
from assay.ingest._within import Within
from assay.store import json_text
from assay.store._texts import REF, SHARED_META, SHARED_MIN_CHARS, SHARED_ROLES, text_hash

UNFINISHED = "the file's last line has no line break: it may still be being written, and is read again when the file grows"
"""Ends the quarantine reason of a last line that is not valid JSON and has no line break."""

FOLDED = "+lower-keys"
"""Ends the format name of a file whose rows' keys are all upper case, read lower-cased."""

RECORD_COLUMNS = (
    "id", "source", "ts", "model", "messages", "output", "latency_ms", "tokens_in", "tokens_out", "cost_usd",
    "meta", "feedback", "labels", "ingested_at", "ingest_id",
)
"""The order of a store-ready record row. JSON columns are already serialised text, and
timestamps are UTC text (``YYYY-MM-DD HH:MM:SS.ffffff``), so the writer only binds them."""
JSON_COLUMNS = ("messages", "meta", "feedback", "labels")
TIME_COLUMNS = ("ts", "ingested_at")


def utc_text(ts: datetime | None) -> str | None:
    """A timestamp as the store's UTC text; an offset such as +02:00 is converted, not dropped."""
    if ts is None:
        return None
    if ts.tzinfo is not None and ts.utcoffset():
        ts = ts.astimezone(timezone.utc)
    return ts.isoformat(" ", "microseconds")[:26]  # drops the "+00:00"


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a chunk is processed or written.

    The per-row work builds many short-lived dicts and lists without reference cycles, so
    reference counting frees them all; the collector would only walk them again and again
    (measured: 72 -> 50 us per row for parse-normalise-scrub). It runs as usual between chunks.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


_CANON = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS
_TOOLS_KEY = orjson.dumps(SHARED_META) + b":"


def _around_tools(meta: dict[str, Any]) -> tuple[bytes, bytes] | None:
    """The metadata's keys sorted before ``tools`` and after it, each as JSON written as
    ``_CANON`` writes it (orjson sorts keys by code point, as Python compares strings);
    None where that cannot be (a key that is no string, a value JSON cannot hold)."""
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    try:
        for k, v in meta.items():
            if type(k) is not str:
                return None
            if k < SHARED_META:
                before[k] = v
            elif k != SHARED_META:
                after[k] = v
        return orjson.dumps(before, option=_CANON), orjson.dumps(after, option=_CANON)
    except TypeError:  # too deep, or a value JSON has no type for: the whole object decides
        return None


def _sorted_join(before: bytes, middle: bytes, after: bytes) -> bytes:
    """One JSON object from two (``{...}``) and the member that goes between them
    (``"tools":[...]``, or nothing)."""
    inner = [p for p in (before[1:-1], middle, after[1:-1]) if p]
    return b"{" + b",".join(inner) + b"}"


def record_id(key: bytes, source: str, f: dict[str, Any]) -> str:
    """Keyed hash of the normalised interaction (before scrubbing): re-ingesting is idempotent.

    This is the definition; :meth:`Processor._store_row` computes the same value from
    parts it serialises anyway (a test holds the two equal)."""
    canonical = orjson.dumps(
        {
            "source": source,
            "ts": f["ts"].isoformat() if f["ts"] else None,
            "messages": [{"role": m.role, "content": m.content} for m in f["messages"]],
            "output": f["output"],
            "metadata": f["metadata"],
        },
        option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS,
        default=str,
    )
    return hmac.new(key, canonical, hashlib.sha256).hexdigest()[:32]


class _Hmac:
    """HMAC-SHA256 under one key, with the key's inner and outer hash states computed once
    (``hmac.digest`` sets them up again for every message: 2.2 against 1.5 us on 2 KB)."""

    __slots__ = ("_inner", "_outer")

    def __init__(self, key: bytes) -> None:
        block = hashlib.sha256().block_size
        if len(key) > block:
            key = hashlib.sha256(key).digest()
        key = key.ljust(block, b"\0")
        self._inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
        self._outer = hashlib.sha256(bytes(b ^ 0x5C for b in key))

    def digest(self, msg: bytes) -> bytes:
        inner = self._inner.copy()
        inner.update(msg)
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.digest()


def _json_safe(value: Any) -> Any:
    """Metadata must survive a JSON round trip (datetimes and odd types become text)."""
    return orjson.loads(orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS, default=str))


_NOT_JSON = object()


def _none(_constant: str) -> None:
    return None


def _with_constants(payload: bytes) -> Any:
    """A row with ``NaN``, ``Infinity`` or ``-Infinity`` as values (Python's ``json`` writes
    them; they are not JSON, so orjson refuses the row), read with those values missing, as
    orjson reads everything else; :data:`_NOT_JSON` if it is no such row."""
    if b"NaN" not in payload and b"Infinity" not in payload:
        return _NOT_JSON
    try:
        value = json.loads(payload, parse_constant=_none)
    except (ValueError, TypeError, RecursionError):  # still not JSON
        return _NOT_JSON
    try:
        return orjson.loads(orjson.dumps(value))
    except TypeError as exc:
        # nested too deeply for orjson: as it is (storing it says why it cannot be stored)
        return value if "Recursion" in str(exc) else _NOT_JSON
    except orjson.JSONEncodeError:  # what orjson cannot hold
        return _NOT_JSON


_KEEP_DEPTH = 32


def _cut_depth(value: Any, depth: int = _KEEP_DEPTH) -> Any:
    """``value`` with what is nested deeper than ``depth`` levels written as ``"…"``: a row
    nested too deeply for JSON's writers is still kept, in part, as quarantined text."""
    if isinstance(value, dict):
        return "…" if depth <= 0 else {str(k): _cut_depth(v, depth - 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return "…" if depth <= 0 else [_cut_depth(v, depth - 1) for v in value]
    return value


@dataclass
class ChunkResult:
    good: list[tuple[Any, ...]] = field(default_factory=list)
    """Store-ready record rows in :data:`RECORD_COLUMNS` order."""
    bad: list[dict[str, Any]] = field(default_factory=list)
    skipped: int = 0
    pii: Counter[str] = field(default_factory=Counter)
    texts: dict[str, str] = field(default_factory=dict)
    """The shared texts (hash -> text) the chunk's records refer to (see assay.store.texts)."""


@dataclass
class Processor:
    """Everything a worker needs to turn raw rows into store rows (picklable)."""

    key: bytes
    source: str
    file: str
    shape_name: str
    mapping: dict[str, str] | None
    scrub: bool
    scrub_settings: ScrubSettings | None = None
    ingest_id: int | None = None
    """The ``ingests`` row of this file's ingest, stored with each record (its provenance)."""
    batch_index: str | None = None
    """For a Batch API results file: the index of its batch's requests, each row is joined with;
    for an OTLP traces export: the index of the GenAI events logged for its spans."""
    ts_format: str | None = None
    """``--ts-format``: a strptime format timestamp text is read with first."""
    encoding: str | None = None
    """``--encoding`` the file was read in (for the reason of a row it cannot decode)."""
    within: str | None = None
    """Where in each row (an application's log line) the model call is (:mod:`assay.ingest._within`):
    a key path, or ``.`` for the row itself; rows with no call there are skipped."""
    fold: bool = False
    """Each row's top-level keys are lower-cased first (a Snowflake or Oracle export's
    ``REQUEST``, ``CREATED_AT`` columns)."""
    fast: bool = True
    """Plain OpenAI log lines are decoded by :mod:`assay.ingest._fast`; False: every line
    takes the general path (the same store rows, slower; the reference tests compare with)."""
    _shape: Shape | None = field(default=None, init=False, repr=False)
    _batch: BatchIndex | None = field(default=None, init=False, repr=False)
    _texts: dict[str, str] = field(default_factory=dict, init=False, repr=False)
    _hashes: dict[Any, str] = field(default_factory=dict, init=False, repr=False)
    _tool_refs: dict[bytes, tuple[str, str, bytes]] = field(default_factory=dict, init=False, repr=False)
    _source_json: bytes | None = field(default=None, init=False, repr=False)
    _fast: FastOpenAI | None = field(default=None, init=False, repr=False)
    _scrubber: Scrubber | None = field(default=None, init=False, repr=False)
    _hmac: _Hmac | None = field(default=None, init=False, repr=False)
    _within: Within | None = field(default=None, init=False, repr=False)

    def _ready(self) -> tuple[Shape, Scrubber]:
        if self._shape is None:
            if self.mapping:
                self._shape = Shape("map", mapped(self.mapping))
            else:
                self._shape = get_shape(self.shape_name)
            self._scrubber = Scrubber(self.key, settings=self.scrub_settings)
            if self.within is not None:
                self._within = Within(self.within, self._shape.detect)
            if self.batch_index is not None:  # a Batch API results file, or OTLP traces whose events are in logs
                events = os.path.basename(self.batch_index).startswith(EVENTS_INDEX_PREFIX)
                self._batch = EventsIndex(self.batch_index) if events else BatchIndex(self.batch_index)  # type: ignore[assignment]
            if (self.fast and self._shape.name == "openai" and not self.mapping and not self.fold and self.within is None
                    and self.batch_index is None):
                self._fast = FastOpenAI()
        assert self._scrubber is not None
        return self._shape, self._scrubber

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_shape"] = state["_scrubber"] = state["_hmac"] = state["_batch"] = state["_within"] = state["_fast"] = None
        state["_texts"], state["_hashes"], state["_tool_refs"] = {}, {}, {}
        return state

    def _quarantine(self, out: ChunkResult, pos: int, reason: str, raw: Any, scrubber: Scrubber, now: Any) -> None:
        if isinstance(raw, (bytes, bytearray)):
            text = bytes(raw[:RAW_KEEP]).decode("utf-8", errors="replace")
        elif isinstance(raw, _BadRow):
            text = raw.raw
        else:
            try:
                blob = orjson.dumps(raw, default=str, option=orjson.OPT_NON_STR_KEYS)
            except TypeError:  # nested too deeply to write: its first levels
                blob = orjson.dumps(_cut_depth(raw), default=str, option=orjson.OPT_NON_STR_KEYS)
            text = blob[:RAW_KEEP].decode("utf-8", errors="replace")
        if out.bad and out.bad[-1]["line"] == pos:  # several bad spans on one line: one row, all reasons
            out.bad[-1]["reason"] += f"; {reason}"
            return
        out.bad.append({"source": self.source, "file": self.file, "line": pos, "reason": reason[:2000],
                        "raw": scrubber.scrub(text), "created_at": now})

    def process(self, chunk: list[tuple[int, Any]], now: datetime, kind: str = "lines") -> ChunkResult:
        """Store-ready records and quarantined rows of ``chunk``. What its bytes are
        (``kind``): ``"lines"``, a file's lines (only the file's last line can lack a line
        break, and may be unfinished), or ``"items"``, a JSON array's items as they are in
        the file. Both are held to the row size limit."""
        prev = set_ts_format(self.ts_format)
        try:
            with gc_paused():
                return self._process(chunk, now, kind)
        finally:
            set_ts_format(prev)

    def _process(self, chunk: list[tuple[int, Any]], now: datetime, kind: str = "lines") -> ChunkResult:
        shape, scrubber = self._ready()
        now_text = utc_text(now)
        scrubber.found.clear()
        out = ChunkResult()
        self._texts = out.texts
        fast = self._fast
        for pos, payload in chunk:
            if isinstance(payload, _BadRow):
                self._quarantine(out, pos, payload.reason, payload, scrubber, now)
                continue
            if isinstance(payload, (bytes, bytearray)):
                # a row that holds many records (a collector's batch of spans) may be bigger:
                # each record it holds is held to the limit below
                if len(payload) > MAX_ROW_BYTES and (shape.explode is None or len(payload) > MAX_EXPORT_ROW_BYTES):
                    limit = MAX_ROW_BYTES if shape.explode is None else MAX_EXPORT_ROW_BYTES
                    self._quarantine(out, pos, too_big(len(payload), limit), payload, scrubber, now)
                    continue
                if fast is not None:  # a plain OpenAI log line: decoded typed, to the same fields
                    try:
                        f = fast(payload)
                    except (AttributeError, TypeError, KeyError, ValueError, IndexError, RecursionError, RowError):
                        f = None  # (what the general path reads its own way, and says why if it cannot)
                    if f is not None:
                        try:
                            out.good.append(self._store_row(f, scrubber, now_text))
                        except (AttributeError, TypeError, KeyError, ValueError, IndexError, RecursionError, RowError) as exc:
                            why = str(exc) if isinstance(exc, RowError) else f"unexpected structure: {type(exc).__name__}: {exc}"
                            self._quarantine(out, pos, why, orjson.loads(payload), scrubber, now)
                        continue
                try:
                    row = orjson.loads(payload)
                except orjson.JSONDecodeError as exc:
                    row = _with_constants(payload)
                    if row is _NOT_JSON:
                        try:
                            payload.decode("utf-8")
                            reason = f"not valid JSON: {exc}"
                        except UnicodeDecodeError as uexc:
                            reason = (f"not valid {self.encoding} text (byte {uexc.start}): check the file's encoding" if self.encoding else
                                      f"not valid UTF-8 text (byte {uexc.start}): re-encode the file as UTF-8, or say its encoding "
                                      "with --encoding")
                        if "depth limit" in str(exc):  # valid JSON, nested deeper than any reader goes
                            reason = "nested more than 1,024 levels deep: too deep to read"
                        if kind == "lines" and not payload.endswith(b"\n"):  # only a file's last line can lack one
                            reason = f"{reason}; {UNFINISHED}"
                        self._quarantine(out, pos, reason, payload, scrubber, now)
                        continue
            else:
                row = payload
            if row is None:  # a JSON null is no row (None below is an exploded item that is no model call)
                self._quarantine(out, pos, "expected a JSON object, got null", b"null", scrubber, now)
                continue
            if self.fold and type(row) is dict:
                row = lower_keys(row)
            line = None
            within = self._within
            if within is not None:  # an app's log line: the call in it, if any
                line = row
                try:
                    row = within.unwrap(line)
                except RowError as exc:
                    self._quarantine(out, pos, str(exc), line, scrubber, now)
                    continue
                if row is None:  # another log line
                    out.skipped += 1
                    continue
            # nested fields exported as JSON text (CSV, Parquet, a warehouse table). In a JSON line such
            # text escapes its quotes, so a line with no backslash needs no look (one memchr, the
            # byte looked for as an int: 37 ns on 2.4 KB, where ``b"\\" in`` took 250 ns and
            # looking for '"{' 2 us)
            if shape.json_fields and (not isinstance(payload, (bytes, bytearray)) or 92 in payload):  # (92: a backslash)
                row = decode_fields(row, shape.json_fields)
            if self._batch is not None:  # a Batch API result joined with its request; spans with their logged events
                row = self._batch.join(row)
            items = shape.explode(row) if shape.explode else (row,)
            n_items = 0
            try:
                for item in items:
                    n_items += 1
                    if item is None:
                        out.skipped += 1
                        continue
                    try:
                        f = shape.normalise(item)
                    except NoModelCall:
                        out.skipped += 1
                        continue
                    except (RowError, AttributeError, TypeError, KeyError, ValueError, IndexError, RecursionError) as exc:
                        # one bad record of a row that holds many (a batch of spans): only it is quarantined
                        if not isinstance(exc, RowError):
                            exc = RowError(f"unexpected structure: {type(exc).__name__}: {exc}")
                        prefix = (f"span {n_items}: " if shape.explode and isinstance(row, dict)
                                  and ("resourceSpans" in row or "spans" in row) else "")
                        # the raw text kept is the item's (the span), not the whole export's
                        if self._batch is not None and isinstance(item, dict) and JOINED_OUTPUT in item:
                            item = item[JOINED_OUTPUT]  # the result row as the file holds it
                        self._quarantine(out, pos, prefix + str(exc), item, scrubber, now)
                        continue
                    if line is not None:
                        within.fill(f, line)  # type: ignore[union-attr]
                    ready = self._store_row(f, scrubber, now_text)
                    # one of the records of a row over the limit (a batch of spans): each is held to it
                    if shape.explode is not None and isinstance(payload, (bytes, bytearray)) and len(payload) > MAX_ROW_BYTES:
                        size = len(ready[4]) + len(ready[5] or "") + len(ready[10])
                        if size > MAX_ROW_BYTES:
                            prefix = f"span {n_items}: " if isinstance(row, dict) and "resourceSpans" in row else f"item {n_items}: "
                            self._quarantine(out, pos, prefix + too_big(size, MAX_ROW_BYTES, "record"), item, scrubber, now)
                            continue
                    out.good.append(ready)
            except (AttributeError, TypeError, KeyError, ValueError, IndexError, RecursionError, RowError) as exc:
                # an export whose structure is broken mid-way (e.g. spans that are not objects); a
                # record too deep to store
                why = str(exc) if isinstance(exc, RowError) else f"unexpected structure: {type(exc).__name__}: {exc}"
                self._quarantine(out, pos, why, row, scrubber, now)
        out.pii = Counter(scrubber.found)
        return out

    def _store_row(self, f: dict[str, Any], scrubber: Scrubber, now_text: str | None) -> tuple[Any, ...]:
        # Each JSON value is serialised once and the bytes serve twice: in the keyed id
        # (``record_id``'s canonical text, assembled from its parts) and, when scrubbing
        # changed nothing in it, as the stored column.
        meta = f["metadata"]
        tools = meta.get(SHARED_META)
        around = None
        if type(tools) is list and tools:
            # An app sends the same tool list with every call: the metadata is serialised as
            # the (sorted) keys before the list, the list, the keys after it. The list's
            # bytes are then written once, looked up in the scrub cache (its descriptions
            # often hold a trigger word, "key", "token", a URL: it is scrubbed once), and
            # left out of the trigger scan of the rest (it holds most metadata's only long text).
            around = _around_tools(meta)
        if around is not None:
            try:
                tools_json = orjson.dumps(tools, option=_CANON)
            except TypeError:  # a value JSON has no type for: as below
                around = None
            else:
                meta_json = _sorted_join(around[0], _TOOLS_KEY + tools_json, around[1])
        if around is None:
            try:
                meta_json = orjson.dumps(meta, option=_CANON)
            except TypeError as exc:
                if "Recursion" in str(exc):  # nested deeper than JSON's writer goes (255 levels)
                    raise RowError("nested more than 255 levels deep (metadata or an answer): too deep to store") from None
                meta = f["metadata"] = _json_safe(meta)
                meta_json = orjson.dumps(meta, option=_CANON)
            tools = meta.get(SHARED_META)
            tools_json = orjson.dumps(tools, option=_CANON) if type(tools) is list and tools else None
        meta_in = meta
        contents = [m.content for m in f["messages"]]
        roles = [m.role for m in f["messages"]]
        msgs_json = orjson.dumps([{"content": c, "role": r} for c, r in zip(contents, roles)])
        output = f["output"]
        ts = f["ts"]
        if ts is None:
            ts_iso = ts_text = None
            ts_json = b"null"
        else:
            ts_iso = ts.isoformat()  # (ASCII digits and signs: its JSON is the text in quotes)
            ts_json = b'"' + ts_iso.encode() + b'"'
            if ts.tzinfo is timezone.utc:  # utc_text(ts), cut from the text made anyway
                ts_text = f"{ts_iso[:10]} {ts_iso[11:26]}" if len(ts_iso) == 32 else f"{ts_iso[:10]} {ts_iso[11:19]}.000000"
            else:
                ts_text = utc_text(ts)
        source_json = self._source_json
        if source_json is None:
            source_json = self._source_json = orjson.dumps(self.source)
        canonical = b"".join((
            b'{"messages":', msgs_json, b',"metadata":', meta_json, b',"output":', orjson.dumps(output),
            b',"source":', source_json, b',"ts":', ts_json, b"}",
        ))
        hm = self._hmac
        if hm is None:
            hm = self._hmac = _Hmac(self.key)
        rid = hm.digest(canonical).hex()[:32]
        fb = f["feedback"].model_dump() if f["feedback"] is not None else None
        final = contents
        if self.scrub:
            scrubber.names_begin()
            clean = [scrubber.scrub(c) for c in contents]
            if any(a is not b for a, b in zip(clean, contents)):
                final = clean
            if output:
                output = scrubber.scrub(output)
            if fb is not None and fb.get("comment"):
                fb["comment"] = scrubber.scrub(fb["comment"])
            if fb is not None and fb.get("edit"):
                fb["edit"] = scrubber.scrub(fb["edit"])
            if tools_json is None:
                clean_meta = scrubber.scrub_json(meta, meta_json)
                if clean_meta is not meta:
                    meta = clean_meta
                    meta_json = orjson.dumps(clean_meta, option=_CANON)
            else:  # a tool list: the rest of the metadata, then the list from the cache
                if around is not None:
                    rest_json: bytes | None = _sorted_join(around[0], b"", around[1])
                    may_hold = rest_json != b"{}" and scrubber.json_may_hold(rest_json)
                else:  # (a key that is no string, a value JSON has no type for: the whole decides)
                    rest_json = None
                    may_hold = scrubber.json_may_hold(meta_json)
                rest = clean_rest = None
                if may_hold:
                    rest = {k: v for k, v in meta.items() if k != SHARED_META}
                    clean_rest = scrubber.scrub_json(rest, rest_json) if rest else rest
                clean_tools, tools_json = scrubber.scrub_json_cached(tools, tools_json)
                if clean_rest is not rest or clean_tools is not tools:
                    if clean_rest is None:
                        clean_rest = {k: v for k, v in meta.items() if k != SHARED_META}
                    meta = {**clean_rest, SHARED_META: clean_tools}
                    meta_json = orjson.dumps(meta, option=_CANON)
            names = scrubber.names_found()
            if names:  # a name found in the record, written elsewhere in it: the same token there
                named = [scrubber.with_names(c, names) for c in final]
                if any(a != b for a, b in zip(named, final)):
                    final = named
                if output:
                    output = scrubber.with_names(output, names)
                if fb is not None:
                    for k in ("comment", "edit"):
                        if fb.get(k):
                            fb[k] = scrubber.with_names(fb[k], names)
                # (not in the tool list, stored once for every record that sends it)
                named_meta = {k: v if k == SHARED_META else scrubber.with_names_json(v, names) for k, v in meta.items()}
                if named_meta != meta:
                    meta = named_meta
                    meta_json = orjson.dumps(meta, option=_CANON)
        if tools_json is not None and len(tools_json) >= SHARED_MIN_CHARS:
            # long tool definitions: stored once, like system prompts
            ref = self._tool_refs.get(tools_json)
            if ref is None:
                if len(self._tool_refs) >= 1_000:
                    self._tool_refs.clear()
                text = tools_json.decode()
                h = text_hash(text)
                ref = self._tool_refs[tools_json] = (h, text, _TOOLS_KEY + orjson.dumps({REF: h}))
            self._texts[ref[0]] = ref[1]
            if meta is meta_in and around is not None:  # the rest as it was: its bytes again, around the reference
                meta_json = _sorted_join(around[0], ref[2], around[1])
            else:
                meta_json = orjson.dumps({**meta, SHARED_META: {REF: ref[0]}}, option=_CANON)
        for c, r in zip(final, roles):
            if r in SHARED_ROLES and len(c) >= SHARED_MIN_CHARS:  # a long system prompt: stored once
                msgs_json = self._with_refs(final, roles)
                break
        else:
            if final is not contents:
                msgs_json = orjson.dumps([{"content": c, "role": r} for c, r in zip(final, roles)])
        return (
            rid, self.source, ts_text, f["model"], msgs_json.decode(), output, f["latency_ms"],
            f["tokens_in"], f["tokens_out"], f["cost_usd"], meta_json.decode(),
            "null" if fb is None else json_text(fb), "null" if f["labels"] is None else json_text(f["labels"]),
            now_text, self.ingest_id,
        )

    def _with_refs(self, contents: list[str], roles: list[str]) -> bytes:
        """The stored messages, with each long system or developer message as a reference
        to its text, which goes to the chunk's shared texts."""
        out = []
        hashes = self._hashes
        for c, r in zip(contents, roles):
            if r in SHARED_ROLES and len(c) >= SHARED_MIN_CHARS:
                h = hashes.get(c)
                if h is None:
                    if len(hashes) >= 10_000:
                        hashes.clear()
                    h = hashes[c] = text_hash(c)
                self._texts[h] = c
                out.append({REF: h, "role": r})
            else:
                out.append({"content": c, "role": r})
        return orjson.dumps(out)


_WORKER_CACHE: dict[tuple[Any, ...], Processor] = {}


def process_in_worker(proc: Processor, chunk: list[tuple[int, Any]], now: datetime, kind: str = "lines") -> ChunkResult:
    """``proc.process`` in a worker process, reusing one ready Processor (its compiled
    detectors and scrub cache) per file instead of rebuilding it for every chunk."""
    key = (proc.key, proc.source, proc.file, proc.shape_name, repr(proc.mapping), proc.scrub, repr(proc.scrub_settings),
           proc.ingest_id, proc.batch_index, proc.ts_format, proc.encoding, proc.within, proc.fold, proc.fast)
    cached = _WORKER_CACHE.get(key)
    if cached is None:
        if len(_WORKER_CACHE) > 8:
            _WORKER_CACHE.clear()
        cached = _WORKER_CACHE[key] = proc
    return cached.process(chunk, now, kind)
