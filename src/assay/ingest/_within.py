"""Model calls logged inside an application's own log lines.

Apps log their model calls through the logger they use for everything else (pino,
structlog, winston, Python's JSON logging, a cloud's log export), so a log holds lines
such as ``{"level": 30, "time": ..., "msg": "GET /health 200"}`` between the ones that
matter, and those hold the call one level down: ``{"msg": "llm call", "llm": {"request":
..., "response": ...}}``, or as JSON text in ``message`` (CloudWatch), ``log``
(Kubernetes) or ``jsonPayload`` (Google Cloud Logging).

When no shape claims a file's first row, ingest looks through its first rows for one
that a shape claims at the top or under a key (:func:`find_within`); the file is then read
as that shape *within* that key path: ``jsonl:openai@llm``, ``jsonl:openai@message``, or
``jsonl:openai@.`` for calls at the top among other lines. ``--format openai@llm`` says it
directly. A line with no call there (one the shape does not claim) is another log line and
is skipped, not quarantined; a line whose call is there but broken is quarantined as usual.
The log line's own time stands in for a call that has none, and its other plain fields
(``request_id``, ``tenant``, ...) are kept as metadata, the call's own taking precedence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import orjson

from assay.errors import InputError
from assay.ingest._normalise import RowError, parse_ts

TOP = "."
"""The path of calls logged at the top of their lines, among other lines."""
SCAN_ROWS = 1000
"""How many first rows of a file are looked through for a model call."""

_TIME_KEYS = ("timestamp", "time", "ts", "@timestamp", "datetime", "date", "asctime", "created", "created_at")
_LOGGING_KEYS = frozenset({
    *_TIME_KEYS, "level", "levelname", "levelno", "severity", "lvl", "log.level", "msg", "message", "pid", "hostname",
    "host", "logger", "logger_name", "name", "v", "thread", "threadName", "thread_name", "process", "processName",
    "module", "funcName", "func_name", "lineno", "filename", "pathname", "caller", "stack", "stack_trace", "exc_info",
    "@version", "event", "log", "stream", "textPayload", "insertId", "receiveTimestamp", "logName", "trace", "spanId",
    "traceSampled", "logStream", "logGroup", "ingestionTime", "eventId", "owner", "messageType", "tag", "source_type",
})
"""Fields of a log line that describe the logging, not the call: not kept as metadata."""


def split_within(shape_name: str) -> tuple[str, str | None]:
    """``"openai@llm"`` -> ``("openai", "llm")``; no ``@`` -> ``(shape_name, None)``."""
    name, at, path = shape_name.partition("@")
    if not at:
        return shape_name, None
    if not path:
        raise InputError(f"--format {shape_name!r}: say where the calls are after '@'",
                         hint="e.g. openai@llm (calls under the key llm), openai@message (JSON text in message), "
                         "or openai@. (calls at the top, among other log lines)")
    return name, path


_CALL_KEYS = ("messages", "contents", "input", "prompt", "conversations")
_BODY_KEYS = ("request", "body", "full_request", "request_body")


def holds_call(row: Any) -> bool:
    """Whether ``row`` holds a model call's input (its messages, contents, input or prompt,
    at the top or in its request): a call whose answer may be missing or broken (a failed
    call, a blocked prompt), not another log line."""
    if not isinstance(row, dict):
        return False
    if any(k in row for k in _CALL_KEYS):
        return True
    for k in _BODY_KEYS:
        body = row.get(k)
        if isinstance(body, str) and body.lstrip()[:1] == "{":
            try:
                body = orjson.loads(body)
            except orjson.JSONDecodeError:
                continue
        if isinstance(body, dict) and any(c in body for c in _CALL_KEYS):
            return True
    return False


def _steps(path: str) -> tuple[str, ...]:
    return () if path == TOP else tuple(path.split("."))


@dataclass
class Within:
    """Reads the call at ``path`` in each row, for a shape that claims it (``claims``)."""

    path: str
    claims: Callable[[dict[str, Any]], bool] | None

    def __post_init__(self) -> None:
        self._steps = _steps(self.path)

    def unwrap(self, row: Any) -> Any:
        """The call in ``row``, or None when the row holds none (another log line). JSON
        text on the way is decoded; text that starts as an object but is not valid JSON
        raises :class:`RowError` (a call cut short), other text is no call. A call the shape
        does not claim but that holds a call's input (a failed call) is returned too: the
        shape then reads it or says why it cannot."""
        value = row
        for i, step in enumerate(self._steps):
            if not isinstance(value, dict):
                return None
            value = value.get(step)
            if isinstance(value, str):
                text = value.lstrip()
                if not text.startswith("{"):
                    return None
                try:
                    value = orjson.loads(text)
                except orjson.JSONDecodeError as exc:
                    raise RowError(f"{'.'.join(self._steps[:i + 1])}: not valid JSON: {exc}") from None
        if not isinstance(value, dict) or (self.claims is not None and not self.claims(value) and not holds_call(value)):
            return None
        return value

    def fill(self, f: dict[str, Any], row: Any) -> None:
        """Give the record ``f`` of a call in log line ``row`` the line's time when it has
        none, and the line's other plain fields as metadata (the call's own win)."""
        if not self._steps or not isinstance(row, dict):
            return
        if f["ts"] is None:
            for k in _TIME_KEYS:
                if row.get(k) is not None:
                    try:
                        f["ts"] = parse_ts(row[k], k)
                    except RowError:
                        continue
                    break
        ai = row.get("ai")
        if isinstance(ai, dict) and isinstance(ai.get("proxy"), dict):  # Kong's AI Gateway: the call's analytics
            proxy = ai["proxy"]
            usage = proxy.get("usage") if isinstance(proxy.get("usage"), dict) else {}
            meta_ = proxy.get("meta") if isinstance(proxy.get("meta"), dict) else {}
            if f["cost_usd"] is None and _number(usage.get("cost")):
                f["cost_usd"] = float(usage["cost"])
            if f["latency_ms"] is None and _number(meta_.get("llm_latency")):
                f["latency_ms"] = float(meta_["llm_latency"])
            if isinstance(row.get("consumer"), dict) and row["consumer"].get("username"):
                f["metadata"].setdefault("consumer", row["consumer"]["username"])
        extra = {k: v for k, v in row.items()
                 if k not in _LOGGING_KEYS and k != self._steps[0] and isinstance(v, (str, int, float, bool))}
        if extra:
            meta = f["metadata"]
            f["metadata"] = {**extra, **meta} if meta else extra


def _number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _candidates(row: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """Where in a log line a call may sit: each object one, two or three keys down (Kong's
    AI Gateway logs the call under ``ai.proxy.payload``), and each top-level text that is
    a JSON object."""
    for k, v in row.items():
        if isinstance(v, dict):
            yield str(k), v
            for k2, v2 in v.items():
                if isinstance(v2, dict):
                    yield f"{k}.{k2}", v2
                    for k3, v3 in v2.items():
                        if isinstance(v3, dict):
                            yield f"{k}.{k2}.{k3}", v3
        elif isinstance(v, str) and v.lstrip().startswith("{"):
            try:
                obj = orjson.loads(v)
            except orjson.JSONDecodeError:
                continue
            if isinstance(obj, dict):
                yield str(k), obj


def find_within(row: Any, detect: Callable[[Any], str]) -> tuple[str, str] | None:
    """``(shape, path)`` of a model call in log line ``row``, found by ``detect`` (a row ->
    the name of the shape claiming it, ``generic`` for none): at the top, or at a
    :func:`_candidates` path. A generic row counts only with a list of ``messages``."""
    if not isinstance(row, dict):
        return None
    for path, obj in [(TOP, row), *_candidates(row)]:
        try:
            name = detect(obj)
        except InputError:  # claimed by several shapes: not this one
            continue
        if name != "generic" or isinstance(obj.get("messages"), list):
            return name, path
    return None
