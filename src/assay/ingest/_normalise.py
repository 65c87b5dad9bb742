"""Turn one decoded log row into record fields (before scrubbing).

The helpers here are shared by every shape: chat messages in the dialects of OpenAI,
Anthropic, LangChain and OpenTelemetry (content parts become text, images and audio become
placeholders such as ``[image]``, tool calls become ``[tool_call name {...}]``), timestamps,
numbers and user feedback. :func:`normalise` is the ``generic`` shape.
"""

from __future__ import annotations

import ast
import math
import re
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any

import orjson

from assay.records import Feedback, Message

_INPUT_KEYS = ("messages", "input", "prompt", "conversations")
_OUTPUT_KEYS = ("output", "response", "completion")
_KNOWN = {
    "id", "ts", "timestamp", "model", "latency_ms", "tokens_in", "tokens_out", "cost_usd",
    "metadata", "feedback", "labels", *_INPUT_KEYS, *_OUTPUT_KEYS,
}

ROLE_ALIASES = {
    "system": "system", "developer": "system",
    "user": "user", "human": "user",
    "assistant": "assistant", "ai": "assistant", "model": "assistant", "bot": "assistant",
    "tool": "tool", "function": "tool", "ipython": "tool",
    # ShareGPT (``{"from": "gpt", "value": ...}``)
    "gpt": "assistant", "chatgpt": "assistant", "function_call": "assistant", "observation": "tool",
}
_PLACEHOLDERS = {
    "image": "[image]", "image_url": "[image]", "input_image": "[image]",
    "audio": "[audio]", "input_audio": "[audio]", "file": "[file]", "input_file": "[file]",
    "document": "[document]", "video": "[video]", "blob": "[file]", "uri": "[file]",
}


_UTC = timezone.utc


class RowError(ValueError):
    """The row cannot become a record; the message is the quarantine reason."""


class NoModelCall(Exception):
    """The row is a logged call that is no chat with a model (an embedding, a moderation):
    counted as skipped, as a trace's other spans are, not quarantined."""


def _slot_setter(name: str) -> Any:
    """The setter of the pydantic instance slot ``name`` of :class:`Message`."""
    owner = next(c for c in Message.__mro__ if name in vars(c))
    return vars(owner)[name].__set__


try:  # pydantic 2's instance slots, as ``model_construct`` fills them
    _new = object.__new__
    _set_dict = _slot_setter("__dict__")
    _set_fields_set = _slot_setter("__pydantic_fields_set__")
    _set_extra = _slot_setter("__pydantic_extra__")
    _set_private = _slot_setter("__pydantic_private__")
    _FAST_MESSAGE = True
except (StopIteration, KeyError, AttributeError):  # a pydantic laid out otherwise
    _FAST_MESSAGE = False


def message(role: str, content: str) -> Message:
    """A :class:`Message` from values already checked: the same object as
    ``Message.model_construct(role=role, content=content)``, built faster (0.4 vs 1.4 us)."""
    if not _FAST_MESSAGE:
        return Message.model_construct(role=role, content=content)
    m = _new(Message)
    _set_dict(m, {"role": role, "content": content})
    _set_fields_set(m, {"role", "content"})
    _set_extra(m, None)
    _set_private(m, None)
    return m


def dumps(value: Any) -> str:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS, default=str).decode()


def tool_call_text(name: Any, arguments: Any) -> str:
    """One tool call as text the profiler and scorers can read."""
    if isinstance(arguments, str):
        args = arguments
    else:
        args = dumps(arguments if arguments is not None else {})
    return f"[tool_call {name} {args}]"


def with_tool_call(text: str | None, name: Any, arguments: Any) -> str:
    """``text`` with one tool call written on a line after it (the call alone if no text)."""
    call = tool_call_text(name, arguments)
    return f"{text}\n{call}" if text else call


def _tool_result_text(result: Any, where: str) -> str:
    """A Vercel AI SDK tool result: any JSON value up to v4, ``{type, value}`` since v5
    (``text``, ``json``, ``error-text``, ``error-json``, or ``content``: a list of parts)."""
    if isinstance(result, dict) and "value" in result and result.get("type") in _TOOL_OUTPUTS:
        result = result["value"]
        if isinstance(result, list):
            return content_text(result, where)
    if result is None:
        return ""
    return result if isinstance(result, str) else dumps(result)


_TOOL_OUTPUTS = ("text", "json", "error-text", "error-json", "content")
_THOUGHTS = ("thinking", "reasoning", "redacted_thinking", "redacted-reasoning", "reasoningContent")


def _converse_block(part: dict[str, Any], where: str) -> str | None:
    """The text of a content block in Bedrock's Converse form (a type-less object keyed by
    its kind), as Strands Agents and other Bedrock apps log them; None for no such block."""
    if isinstance(part.get("toolUse"), dict):
        return tool_call_text(part["toolUse"].get("name"), part["toolUse"].get("input"))
    if isinstance(part.get("toolResult"), dict):
        result = part["toolResult"]
        text = content_text(result.get("content"), where)
        return f"[error] {text}" if result.get("status") == "error" else text
    if "json" in part:
        return dumps(part["json"])
    if "reasoningContent" in part:  # the model's reasoning is no part of the conversation
        return ""
    for media in ("image", "document", "video", "audio"):
        if media in part:
            return f"[{media}]"
    return None


def _media(part: dict[str, Any]) -> str | None:
    """``image``, ``audio`` or ``video`` for a media part that says which (``modality``, or a
    MIME type), else None."""
    kind = part.get("modality")
    if kind is None:
        mime = part.get("mediaType", part.get("mime_type", part.get("mimeType")))
        kind = mime.split("/", 1)[0] if isinstance(mime, str) else None
    return kind if kind in ("image", "audio", "video") else None


def content_text(content: Any, where: str) -> str:
    """Text of a message's content: a string, or a list of parts (text kept, media as placeholders)."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        content = [content]
    if not isinstance(content, list):
        raise RowError(f"{where}: expected text or a list of content parts, got {type(content).__name__}")
    out: list[str] = []
    for part in content:
        if isinstance(part, str):
            out.append(part)
            continue
        if not isinstance(part, dict):
            raise RowError(f"{where}: content part must be an object, got {type(part).__name__}")
        if "type" not in part and "text" not in part and part:  # Bedrock Converse blocks: {"toolUse": {...}}, {"json": ...}
            block = _converse_block(part, where)
            if block is not None:
                if block:
                    out.append(block)
                continue
        kind = part.get("type", "text")
        if kind in _THOUGHTS:  # the model's reasoning is no part of the conversation
            continue
        if kind in ("text", "input_text", "output_text") or (kind not in _PLACEHOLDERS and isinstance(part.get("text"), str)):
            out.append(str(part.get("text", part.get("content", ""))))
        elif kind in ("blob", "uri", "file") and _media(part) is not None:  # GenAI semconv / AI SDK parts with their modality
            out.append(f"[{_media(part)}]")
        elif kind in _PLACEHOLDERS:
            out.append(_PLACEHOLDERS[kind])
        elif kind in ("tool_use", "tool_call", "function_call", "server_tool_use"):
            out.append(tool_call_text(part.get("name"), part.get("input", part.get("arguments"))))
        elif kind in ("tool_result", "tool_call_response", "function_call_output"):
            result = part.get("content", part.get("response", part.get("output", part.get("result"))))
            out.append(content_text(result, where) if result is None or isinstance(result, (str, list)) else dumps(result))
        elif kind == "tool-call":  # the Vercel AI SDK's parts: ``args`` up to v4, ``input`` since v5
            out.append(tool_call_text(part.get("toolName"), part.get("input", part.get("args"))))
        elif kind == "tool-result":
            out.append(_tool_result_text(part.get("output", part.get("result")), where))
        elif kind == "message" and "content" in part:  # an output item of the Responses API
            out.append(content_text(part["content"], where))
        elif kind == "function" and isinstance(part.get("function"), dict):  # PostHog's tool call parts
            out.append(tool_call_text(part["function"].get("name"), part["function"].get("arguments")))
        elif kind == "refusal":
            out.append(str(part.get("refusal", "")))
        else:
            out.append(f"[{kind}]")
    return "\n".join(s for s in out if s)


def chat_message(m: Any, where: str) -> Message:
    """One chat message in any common dialect."""
    if isinstance(m, str):
        return Message(role="user", content=m)
    if not isinstance(m, dict):
        raise RowError(f"{where}: expected a message object, got {type(m).__name__}")
    raw_role = m.get("role", m.get("type"))
    if raw_role is None and "message.role" in m:
        raw_role = m["message.role"]
    if raw_role is None and "from" in m:  # ShareGPT
        raw_role, m = m["from"], {"content": m.get("value"), **m}
    role = ROLE_ALIASES.get(str(raw_role).lower()) if raw_role is not None else None
    if role is None:
        raise RowError(f"{where}.role: unknown role {raw_role!r} (use system, user, assistant or tool)")
    content = m.get("content", m.get("parts", m.get("message.content")))
    if content is None and "data" in m and isinstance(m["data"], dict):  # LangChain serialised message
        content = m["data"].get("content")
    text = content_text(content, f"{where}.content")
    calls = m.get("tool_calls") or m.get("toolCalls") or []  # (camelCase: JavaScript SDKs' logs, Lunary)
    if isinstance(calls, list):
        for call in calls:
            if isinstance(call, dict):
                fn = call.get("function", call)
                text = with_tool_call(text, fn.get("name"), fn.get("arguments", fn.get("args")))
    if isinstance(m.get("function_call"), dict):
        fc = m["function_call"]
        text = with_tool_call(text, fc.get("name"), fc.get("arguments"))
    return message(role, text)


def decode_cell(text: str) -> Any:
    """A list or object written into a text cell (a CSV cell, a span attribute): JSON, or a
    Python literal as pandas' ``to_csv`` writes lists and dicts (single quotes, ``True``,
    ``None``), made JSON-safe; ``text`` itself if it is neither."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        pass
    try:
        value = ast.literal_eval(text)  # literals only: nothing is run
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return text
    if not isinstance(value, (list, dict)):
        return text
    try:
        return orjson.loads(orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS, default=str))
    except (TypeError, orjson.JSONEncodeError):
        return text


def chat_messages(value: Any, where: str = "messages") -> list[Message]:
    """A conversation: a list of messages, or one string (a single user message)."""
    if isinstance(value, str):
        stripped = value.lstrip()
        if stripped.startswith("[{") or stripped.startswith('[\n'):
            try:  # a JSON-encoded list, as CSV cells and span attributes hold it
                return chat_messages(orjson.loads(value), where)
            except orjson.JSONDecodeError:
                pass
            decoded = decode_cell(value)  # pandas writes a Python literal; taken only if it is messages
            if isinstance(decoded, list) and decoded and all(isinstance(m, dict) and "role" in m for m in decoded):
                return chat_messages(decoded, where)
        return [message("user", value)]
    if isinstance(value, dict) and "messages" in value:
        return chat_messages(value["messages"], where)
    if isinstance(value, list):
        out: list[Message] = []
        for i, m in enumerate(value):
            # the common ``{"role": "user", "content": "text"}`` needs none of chat_message's cases
            if type(m) is dict and "tool_calls" not in m and "function_call" not in m:
                raw_role, content = m.get("role"), m.get("content")
                if type(raw_role) is str and type(content) is str:
                    role = ROLE_ALIASES.get(raw_role)
                    if role is not None:
                        out.append(message(role, content))
                        continue
            out.append(chat_message(m, f"{where}.{i}"))
        return out
    raise RowError(f"{where}: expected a list of {{role, content}} or a string, got {type(value).__name__}")


def _from_epoch(value: float, where: str) -> datetime:
    """Epoch seconds, milliseconds, microseconds or nanoseconds (told apart by size)."""
    v = float(value)
    if v > 1e17:
        v /= 1e9
    elif v > 1e14:
        v /= 1e6
    elif v > 1e11:
        v /= 1e3
    try:
        return datetime.fromtimestamp(v, _UTC)
    except (OverflowError, OSError, ValueError):
        raise RowError(f"{where}: timestamp out of range: {value!r}") from None


_EPOCH_TEXT = re.compile(r"-?\d{9,19}\.\d+")
_SLASHED_DATE = re.compile(r"\d{4}/\d{2}/\d{2}(?:[ T]|$)")
_DAY_MONTH = re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b")
_ISO_SEPARATORS = ("T", " ", "")
_TS_FORMAT: list[str | None] = [None]
"""The ``--ts-format`` of the ingest running in this process (a strptime format), if any."""


def set_ts_format(fmt: str | None) -> str | None:
    """Read timestamp text with this strptime format first (``"%d/%m/%Y %H:%M"``); returns
    the format it replaces. Text the format does not fit is read as usual."""
    prev = _TS_FORMAT[0]
    _TS_FORMAT[0] = fmt
    return prev


def check_ts_format(fmt: str) -> str:
    """``fmt`` if it is a strptime format that can read back what it writes, else ValueError."""
    sample = datetime(2026, 11, 30, 21, 45, 59, 123456, tzinfo=timezone.utc)
    if "%" not in fmt:
        raise ValueError(f"{fmt!r} has no %-directive")
    try:
        datetime.strptime(sample.strftime(fmt), fmt)
    except ValueError as exc:
        raise ValueError(f"{fmt!r} cannot read what it writes ({exc})") from None
    return fmt


_ZONE_NAME = re.compile(r"(?:[ T]?(?:UTC|GMT))?(?:\[[A-Za-z_/+-]+\])?$", re.IGNORECASE)
_SPACED_OFFSET = re.compile(r"\s+([+-]\d{2}(?::?\d{2})?)$")
_OFFSET_END = re.compile(r"[+-]\d{2}(?::?\d{2})?$")


_REGION = re.compile(r"(?:\s+|\[)([A-Za-z]+(?:/[A-Za-z0-9_+-]+)+)\]?$")


def _in_region(text: str) -> datetime | None:
    """``2026-11-01 10:00:00.123 America/Los_Angeles`` (Trino, Presto, Athena) or
    ``2026-11-01T10:00:00[Europe/Paris]``: the local time in that time zone (the tz database's
    offset on that day), or None when the text ends in no such name or the name is unknown."""
    m = _REGION.search(text)
    if m is None:
        return None
    try:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        zone = ZoneInfo(m.group(1))
    except (ImportError, ValueError, ZoneInfoNotFoundError):  # (ValueError: a malformed key)
        return None
    local = text[:m.start()].strip().replace(" ", "T", 1)
    try:
        ts = datetime.fromisoformat(local)
    except ValueError:
        return None
    return ts.replace(tzinfo=zone) if ts.tzinfo is None else ts


def _loose_iso(text: str) -> datetime | None:
    """ISO 8601 as exports write it beside the standard: ``2026-11-01 10:00:00 UTC``
    (BigQuery), an offset after a space (``10:00:00.123 +01:00``), a zone name after the
    offset (``...Z[UTC]``, Java). ``None`` when it is none of these."""
    text = _SPACED_OFFSET.sub(r"\1", text)
    cut = _ZONE_NAME.search(text)
    if cut is not None and cut.start() < len(text):
        zone = text[cut.start():].strip(" T[]").upper()
        text = _SPACED_OFFSET.sub(r"\1", text[:cut.start()])
        if not _OFFSET_END.search(text):
            if zone not in ("UTC", "GMT"):
                return None  # a region's name alone: its offset on that day is not known here
            text += "+00:00"
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _clock_format(text: str) -> str:
    """The strptime format of the time after a date such as ``11/3/2026, 9:14:22.512 AM``
    (Azure's portal): the gap before it, 12 or 24 hours, seconds and their fraction."""
    m = re.match(r"[\d/.-]+(,?\s+)(\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(\s?)([AaPp]\.?[Mm]\.?)?\s*$", text)
    if m is None:
        clock = text.split(" ", 1)[1] if " " in text else ""
        return "" if not clock else " %H:%M:%S" if clock.count(":") >= 2 else " %H:%M"
    gap, hms, space, ampm = m.groups()
    fmt = ("%I" if ampm else "%H") + ":%M" + (":%S" if hms.count(":") == 2 else "") + (".%f" if "." in hms else "")
    return gap + fmt + (space + "%p" if ampm else "")


def _day_month_reason(text: str, where: str) -> str:
    """Why ``01/11/2026 10:00`` is refused, with the --ts-format that reads it: its own
    separator, its time's precision, and day first when the first number is no month."""
    sep = next((c for c in text if c in "/.-"), "/")
    parts = re.split(r"[/.-]", text, maxsplit=2)
    first, second = int(parts[0]), int(parts[1])
    year = "%Y" if len(re.match(r"\d*", parts[2]).group()) == 4 else "%y"  # type: ignore[union-attr]
    time_fmt = _clock_format(text.strip())
    day_first, month_first = f"%d{sep}%m{sep}{year}{time_fmt}", f"%m{sep}%d{sep}{year}{time_fmt}"
    if first > 12 or second > 12:
        fmt = day_first if first > 12 else month_first
        return (f"{where}: {text[:40]!r} is no ISO 8601 timestamp; it reads {'day' if first > 12 else 'month'} first, "
                f"but other rows may not tell: say the format with --ts-format '{fmt}'")
    return (f"{where}: {text[:40]!r} is no ISO 8601 timestamp, and which part is the day is not known: say the format "
            f"with --ts-format, e.g. --ts-format '{day_first}' (or '{month_first}')")


def parse_ts(value: Any, where: str = "ts") -> datetime | None:
    """ISO 8601 text, epoch seconds/milliseconds/nanoseconds, or a datetime."""
    if value is None:
        return None
    if type(value) is int:
        return _from_epoch(value, where)
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    if type(value) is str and len(value) >= 10 and value[4] == "-" and value[10:11] in _ISO_SEPARATORS and _TS_FORMAT[0] is None:
        # ISO 8601 as logs write it ("2026-10-01T00:03:42Z"), read at once (0.2 against 2.8 us);
        # what ``fromisoformat`` does not take goes the long way below, which reads it the same
        try:
            ts = datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            return ts if ts.tzinfo else ts.replace(tzinfo=_UTC)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value)
    elif isinstance(value, str) and _EPOCH_TEXT.fullmatch(value.strip()):  # "1730455200.123" (CSV exports)
        value = float(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _from_epoch(value, where)
    if isinstance(value, str):
        fmt = _TS_FORMAT[0]
        if fmt is not None:
            try:
                ts = datetime.strptime(value.strip(), fmt)
                return ts if ts.tzinfo else ts.replace(tzinfo=timezone.utc)
            except ValueError:
                pass  # not in the format: read as usual
        text = value.strip().replace("Z", "+00:00")
        if _SLASHED_DATE.match(text):  # 2026/11/01 10:00:00
            text = text.replace("/", "-", 2)
        if " " in text and "T" not in text:
            text = text.replace(" ", "T", 1)
        try:
            ts = datetime.fromisoformat(text)
        except ValueError:
            ts = _in_region(value.strip()) if "/" in value else None
            if ts is None:
                ts = _loose_iso(text)
        if ts is None:
            try:  # an HTTP date (RFC 2822): "Sat, 01 Nov 2026 10:00:00 GMT"
                ts = parsedate_to_datetime(value)
            except (TypeError, ValueError, IndexError):
                if fmt is not None:
                    raise RowError(f"{where}: {value[:40]!r} fits neither --ts-format {fmt!r} nor ISO 8601") from None
                if _DAY_MONTH.match(value.strip()):
                    raise RowError(_day_month_reason(value.strip(), where)) from None
                raise RowError(f"{where}: not an ISO 8601 timestamp (nor epoch seconds or an HTTP date): {value[:40]!r}") from None
        return ts if ts.tzinfo else ts.replace(tzinfo=timezone.utc)
    raise RowError(f"{where}: expected a timestamp, got {type(value).__name__}")


_INFINITIES = (math.inf, -math.inf)


def number(value: Any, where: str, kind: type = float) -> Any:
    """A number, or a numeric string (CSV cells); None stays None."""
    if value is None:
        return None
    if type(value) is int:
        return kind(value)
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            raise RowError(f"{where}: expected a number, got {value!r}"[:200]) from None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise RowError(f"{where}: expected a number, got {value!r}"[:200])
    if value != value or value in _INFINITIES:
        raise RowError(f"{where}: expected a finite number, got {value!r}")
    return kind(value)


_UP = {"up", "thumbs_up", "thumbsup", "+1", "1", "true", "t", "yes", "y", "good", "positive", "like", "helpful", "👍"}
_DOWN = {"down", "thumbs_down", "thumbsdown", "-1", "0", "false", "f", "no", "n", "bad", "negative", "dislike", "unhelpful", "👎"}
"""(``t``/``f``: a boolean column as PostgreSQL and Redshift export it)"""


def thumb(value: Any) -> str | None:
    if value is None:
        return None
    key = str(value).strip().lower()
    if isinstance(value, bool):
        return "up" if value else "down"
    if isinstance(value, (int, float)):
        return "up" if value > 0 else "down"
    if key in _UP:
        return "up"
    if key in _DOWN:
        return "down"
    raise RowError(f"feedback.thumb: expected up/down (or true/false, 1/-1), got {value!r}"[:200])


def _stars(value: Any) -> float | None:
    """``value`` as a rating when it is a number (or a number's text) other than -1, 0, 1."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return None
    if isinstance(value, (int, float)) and value == value and value not in (-1, 0, 1) and 0 < value <= 100:
        return float(value)
    return None


def feedback(value: Any, meta: dict[str, Any]) -> Feedback | None:
    """User feedback: ``{thumb, rating, comment, edit}`` in common spellings; an answer the
    user corrected (``edit``/``correction``) becomes ``Feedback.edit``."""
    if value is None:
        return None
    if isinstance(value, (bool, int, float, str)):
        # a star rating (a number other than -1, 0 and 1, as a table's column holds it) or a thumb
        stars = _stars(value)
        value = {"rating": stars} if stars is not None else {"thumb": value}
    if not isinstance(value, dict):
        raise RowError(f"feedback: expected an object, got {type(value).__name__}")
    t = next((value[k] for k in ("thumb", "thumbs", "score", "vote", "liked", "thumbs_up", "thumb_up", "is_positive", "helpful")
              if k in value and value[k] is not None), None)
    rating = value.get("rating", value.get("stars"))
    comment = value.get("comment", value.get("text", value.get("note")))
    edit = next((value[k] for k in ("edit", "edited", "edited_output", "correction", "corrected_output") if value.get(k)), None)
    if edit is not None and not isinstance(edit, str):
        edit = dumps(edit)
    if comment is not None and not isinstance(comment, str):
        raise RowError(f"feedback.comment: expected text, got {type(comment).__name__}")
    fb = Feedback(thumb=thumb(t), rating=number(rating, "feedback.rating"), comment=comment, edit=edit)
    return fb if (fb.thumb, fb.rating, fb.comment, fb.edit) != (None, None, None, None) else None


def pairs_object(value: Any) -> dict[str, Any] | None:
    """A list of ``{key, value}`` pairs (how BigQuery and GCP hold labels and metadata, an
    ARRAY<STRUCT<key, value>>) or of ``[key, value]`` pairs (a Parquet or Spark MAP column)
    as the object it stands for; None for anything else."""
    if not isinstance(value, list) or not value:
        return None
    if all(isinstance(p, dict) and len(p) == 2 and "value" in p and isinstance(p.get("key", p.get("name")), str) for p in value):
        return {p.get("key", p.get("name")): p["value"] for p in value}
    if all(isinstance(p, (list, tuple)) and len(p) == 2 and isinstance(p[0], str) for p in value):
        return {p[0]: p[1] for p in value}
    return None


def labels_object(value: Any, meta: dict[str, Any]) -> dict[str, Any] | None:
    """Labels that are not an object: key/value pairs become the object (:func:`pairs_object`);
    anything else (a list of tags, a number) is kept as it is in ``meta["labels"]``, and
    the record has no labels."""
    obj = pairs_object(value)
    if obj is not None:
        return obj
    if value != [] and value != "":
        meta.setdefault("labels", value)
    return None


def fields(
    messages: list[Message],
    *,
    output: Any = None,
    ts: Any = None,
    model: Any = None,
    latency_ms: Any = None,
    tokens_in: Any = None,
    tokens_out: Any = None,
    cost_usd: Any = None,
    metadata: dict[str, Any] | None = None,
    feedback_value: Any = None,
    labels: Any = None,
) -> dict[str, Any]:
    """Check and assemble the record fields every shape returns."""
    if not messages:
        raise RowError("messages: the conversation is empty")
    for m in messages:
        if m.role == "user":
            break
    else:
        raise RowError("messages: no user message")
    if output is not None and not isinstance(output, str):
        raise RowError(f"output: expected a string, got {type(output).__name__}")
    meta = dict(metadata) if metadata else {}
    fb = feedback(feedback_value, meta) if feedback_value is not None else None
    if labels is not None and not isinstance(labels, dict):
        labels = labels_object(labels, meta)
    return {
        "ts": parse_ts(ts) if ts is not None else None,
        "model": str(model) if model is not None else None,
        "messages": messages,
        "output": output,
        "latency_ms": number(latency_ms, "latency_ms", float) if latency_ms is not None else None,
        "tokens_in": number(tokens_in, "tokens_in", int) if tokens_in is not None else None,
        "tokens_out": number(tokens_out, "tokens_out", int) if tokens_out is not None else None,
        "cost_usd": number(cost_usd, "cost_usd", float) if cost_usd is not None else None,
        "metadata": meta,
        "feedback": fb,
        "labels": labels,
    }


_ALIASES = {
    "ts": ("created_at", "createdAt", "start_time", "started_at", "request_time"),
    "model": ("model_name",),
    "latency_ms": ("duration_ms", "execution_time_ms"),
    "tokens_in": ("prompt_tokens", "input_tokens"),
    "tokens_out": ("completion_tokens", "output_tokens"),
    "cost_usd": ("cost",),
}
"""Other names tables give a record field (a warehouse table's ``created_at``,
``prompt_tokens``): read when the field's own name is missing and the value fits."""


def _fits(target: str, value: Any) -> bool:
    if target == "model":
        return isinstance(value, str) and bool(value)
    if target == "ts":
        try:
            return parse_ts(value, target) is not None
        except RowError:
            return False
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return value == value
    if isinstance(value, str):
        try:
            return float(value) == float(value)
        except ValueError:
            return False
    return False


def aliased(row: dict[str, Any], targets: Any) -> tuple[dict[str, Any], set[str]]:
    """For each of ``targets`` (record fields the row has not given by name), the value of
    the first of its :data:`_ALIASES` in ``row`` that fits it (a number, a time, a model's
    name), and the keys so used; a key whose value does not fit stays metadata."""
    got: dict[str, Any] = {}
    used: set[str] = set()
    for target in targets:
        for k in _ALIASES.get(target, ()):
            v = row.get(k)
            if v is not None and _fits(target, v):
                got[target] = v
                used.add(k)
                break
    return got, used


def first_line(text: Any, default: str) -> str:
    """An error as a quarantine reason: the first line of ``text`` (a traceback's message),
    at most 300 characters; ``default`` when it is empty."""
    text = str(text or "").strip()
    return text.splitlines()[0][:300] if text else default


def answer_from(messages: list[Message]) -> str | None:
    """For a log of whole conversations (no output field): the last message, when it is
    the assistant's after a user's, is production's answer, taken off the input (in place)."""
    if len(messages) >= 2 and messages[-1].role == "assistant" and any(m.role == "user" for m in messages[:-1]):
        return messages.pop().content
    return None


def failed_call(row: dict[str, Any], error: Any = None) -> str | None:
    """For a row with no answer: ``the call failed: <why>`` when it says the call failed
    (an ``error``, or ``status: error`` / ``failed``), else None. ``error``: the error a
    mapping names, instead of the row's own."""
    failed = error if error is not None else row.get("error")
    if failed in (None, "", {}, []) and str(row.get("status", "")).lower() in ("error", "failed", "failure"):
        failed = row.get("status_message") or row.get("error_message") or row["status"]
    if failed in (None, "", {}, []):
        return None
    if isinstance(failed, dict):
        failed = failed.get("message") or failed.get("stack") or orjson.dumps(failed).decode()
    return f"the call failed: {first_line(failed, 'error')}"


def normalise(row: Any) -> dict[str, Any]:
    """The ``generic`` shape: ``{messages|input|prompt, output, ts, model, ...}``; unknown
    top-level keys are kept as metadata (the log's own ``id`` as ``source_id``)."""
    if isinstance(row, list) and row and all(isinstance(m, dict) and ("role" in m or "from" in m) for m in row):
        row = {"messages": row}  # a line that is just the conversation
    if not isinstance(row, dict):
        raise RowError(f"expected a JSON object, got {type(row).__name__}")
    input_key = next((k for k in _INPUT_KEYS if k in row and row[k] is not None), None)
    if input_key is None:
        raise RowError("missing required field: messages (or input / prompt)")
    messages = chat_messages(row[input_key], input_key if input_key in ("messages", "conversations") else "messages")
    system_used = input_key == "conversations" and isinstance(row.get("system"), str) and bool(row["system"])
    if system_used and messages and messages[0].role != "system":
        messages.insert(0, message("system", row["system"]))  # ShareGPT as LLaMA-Factory writes it
    output = next((row[k] for k in _OUTPUT_KEYS if k in row), None)
    if isinstance(output, dict) and "type" not in output and ("content" in output or "role" in output):
        # the answer as a message object ({role: assistant, content, tool_calls})
        output = chat_message({**output, "role": "assistant"}, "output").content
    elif isinstance(output, (list, dict)):
        output = content_text(output, "output") if not isinstance(output, dict) or "type" in output else output
    if output is None:
        failed = failed_call(row)
        if failed is not None:  # a call that failed: no answer to keep
            raise RowError(failed)
        output = answer_from(messages)
    meta = row.get("metadata") or {}
    if isinstance(meta, str) and meta.startswith("{"):
        meta = decode_cell(meta)
    if not isinstance(meta, dict):  # key/value pairs, else kept as it is
        meta = pairs_object(meta) or {"metadata": meta}
    meta = dict(meta)
    ts = row.get("ts", row.get("timestamp"))
    plain = {"ts": ts, "model": row.get("model"), "latency_ms": row.get("latency_ms"), "tokens_in": row.get("tokens_in"),
             "tokens_out": row.get("tokens_out"), "cost_usd": row.get("cost_usd")}
    alias, used = aliased(row, [t for t, v in plain.items() if v is None])
    plain.update(alias)
    for key, value in row.items():
        if key not in _KNOWN and key not in used and not (system_used and key == "system"):
            meta.setdefault(key, value)
    if row.get("id") is not None:
        meta.setdefault("source_id", row["id"])
    fb = row.get("feedback")
    if isinstance(fb, str) and fb.startswith("{"):
        fb = decode_cell(fb)
    labels = row.get("labels")
    if isinstance(labels, str) and labels.startswith("{"):
        labels = decode_cell(labels)
    return fields(messages, output=output, metadata=meta, feedback_value=fb, labels=labels, **plain)
