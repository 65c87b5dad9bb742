"""Turn one raw log row into a :class:`~assay.records.Record` (before scrubbing)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from pydantic import ValidationError

from assay.records import Feedback, Message

_INPUT_KEYS = ("messages", "input", "prompt")
_OUTPUT_KEYS = ("output", "response", "completion")
_KNOWN = {
    "id", "ts", "timestamp", "model", "latency_ms", "tokens_in", "tokens_out", "cost_usd",
    "metadata", "feedback", "labels", *_INPUT_KEYS, *_OUTPUT_KEYS,
}


class RowError(ValueError):
    """The row cannot become a record; the message is the quarantine reason."""


def _messages(value: Any) -> list[Message]:
    if isinstance(value, str):
        return [Message(role="user", content=value)]
    if isinstance(value, list):
        out = []
        for i, m in enumerate(value):
            try:
                out.append(Message.model_validate(m))
            except ValidationError as exc:
                err = exc.errors()[0]
                raise RowError(f"messages.{i}.{'.'.join(map(str, err['loc']))}: {err['msg']}") from None
        return out
    raise RowError(f"messages: expected a list of {{role, content}} or a string, got {type(value).__name__}")


def _ts(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(value / 1000 if value > 1e11 else value, tz=timezone.utc)
    if isinstance(value, str):
        try:
            ts = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise RowError(f"ts: not an ISO 8601 timestamp: {value[:40]!r}") from None
        return ts if ts.tzinfo else ts.replace(tzinfo=timezone.utc)
    raise RowError(f"ts: expected a timestamp, got {type(value).__name__}")


def _number(row: dict[str, Any], key: str, kind: type) -> Any:
    value = row.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise RowError(f"{key}: expected a number, got {value!r}"[:200])
    return kind(value)


def normalise(row: Any) -> dict[str, Any]:
    """Map a parsed row onto the record fields (everything but ``id`` and ``source``)."""
    if not isinstance(row, dict):
        raise RowError(f"expected a JSON object, got {type(row).__name__}")
    input_key = next((k for k in _INPUT_KEYS if k in row), None)
    if input_key is None:
        raise RowError("missing required field: messages (or input / prompt)")
    messages = _messages(row[input_key])
    if not any(m.role == "user" for m in messages):
        raise RowError("messages: no user message")
    output = next((row[k] for k in _OUTPUT_KEYS if k in row), None)
    if output is not None and not isinstance(output, str):
        raise RowError(f"output: expected a string, got {type(output).__name__}")
    meta = row.get("metadata") or {}
    if not isinstance(meta, dict):
        raise RowError("metadata: expected an object")
    meta = dict(meta)
    for key, value in row.items():  # keep unknown top-level keys as metadata
        if key not in _KNOWN:
            meta.setdefault(key, value)
    if row.get("id") is not None:  # the log's own id, for tracing a record back
        meta.setdefault("source_id", row["id"])
    feedback = row.get("feedback")
    try:
        feedback = Feedback.model_validate(feedback) if feedback is not None else None
    except ValidationError as exc:
        err = exc.errors()[0]
        raise RowError(f"feedback.{'.'.join(map(str, err['loc']))}: {err['msg']}") from None
    labels = row.get("labels")
    if labels is not None and not isinstance(labels, dict):
        raise RowError("labels: expected an object")
    model = row.get("model")
    return {
        "ts": _ts(row.get("ts", row.get("timestamp"))),
        "model": str(model) if model is not None else None,
        "messages": messages,
        "output": output,
        "latency_ms": _number(row, "latency_ms", float),
        "tokens_in": _number(row, "tokens_in", int),
        "tokens_out": _number(row, "tokens_out", int),
        "cost_usd": _number(row, "cost_usd", float),
        "metadata": meta,
        "feedback": feedback,
        "labels": labels,
    }
