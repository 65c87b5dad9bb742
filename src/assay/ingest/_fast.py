"""A fast path for the commonest log line: one OpenAI chat-completions call, logged as
``{"request": {...}, "response": {...}}`` with text messages.

Such a line is decoded by msgspec straight into typed structs: no dict is built for the
request, the response or each message, and the tool list is not parsed at all (its bytes
are looked up in a cache of the lists already seen; an app sends the same list with every
call). The fields are then put together as :func:`assay.ingest._shapes.normalise_openai`
puts them for such a line, through the same :func:`assay.ingest._normalise.fields`.

An agent's history is read too: an answer that called tools (its content null, its calls
written into its text as ``chat_message`` writes them) and the tools' results. So are
content parts of text, images and audio (an image or audio as its placeholder, as
``content_text`` writes it).

Anything else gives None, and the line takes the general path (``orjson.loads`` and
``normalise_openai``): a key the structs do not name, a value of another type, a message
with a content part of another kind, an integer JSON cannot hold in 64 bits (orjson reads it as a float,
msgspec as an int), a value nested deeper than :data:`_MAX_DEPTH`. So the fast path never decides what a line means: it only skips work
for lines whose meaning is plain. Tests hold the two paths to the same store rows.
"""

from __future__ import annotations

from typing import Any

import msgspec
import orjson
from msgspec import UNSET, Raw, Struct
from msgspec.structs import astuple

from assay.ingest._normalise import _PLACEHOLDERS, ROLE_ALIASES, RowError, fields, message, with_tool_call
from assay.ingest._shapes import _REQ_KEPT, _REQ_PARAMS, usage_details, with_tool_calls

_KEPT = tuple(sorted(_REQ_KEPT))
_MAX_DEPTH = 64
_INT_MIN, _INT_END = -(2**63), 2**64
"""orjson reads an integer as an int within [-2**63, 2**64), and as a float beyond."""


# Every key these structs name is decoded and checked (UTF-8, number ranges), even where
# neither path reads it; a key they do not name sends the line to the general path, because
# msgspec skips an unknown value without checking it as orjson would.

class _Fn(Struct, forbid_unknown_fields=True):
    name: Any = None
    arguments: Any = None


class _Call(Struct, forbid_unknown_fields=True):
    function: _Fn
    id: Any = UNSET
    type: Any = UNSET


class _Part(Struct, forbid_unknown_fields=True):
    """A content part of the chat-completions API: text, an image or audio."""
    type: str
    text: Any = UNSET
    image_url: Any = UNSET
    input_audio: Any = UNSET


class _Msg(Struct, forbid_unknown_fields=True):
    role: str
    content: str | list[_Part] | None = None  # (None: an answer that only called tools)
    name: Any = UNSET  # (the general path keeps a message's role and text only)
    # an agent's history: the tools an answer called, the call a tool's result answers
    tool_calls: list[_Call] | None = None
    tool_call_id: Any = UNSET


class _Req(Struct, forbid_unknown_fields=True):
    messages: list[_Msg]
    model: Any = UNSET
    tools: Raw = Raw()
    response_format: Any = UNSET
    metadata: Any = UNSET
    # request_meta's _REQ_KEPT
    user: Any = UNSET
    service_tier: Any = UNSET
    safety_identifier: Any = UNSET
    prompt_cache_key: Any = UNSET
    store: Any = UNSET
    # request_meta's _REQ_PARAMS
    temperature: Any = UNSET
    top_p: Any = UNSET
    max_tokens: Any = UNSET
    max_completion_tokens: Any = UNSET
    stop: Any = UNSET
    seed: Any = UNSET
    n: Any = UNSET
    tool_choice: Any = UNSET
    presence_penalty: Any = UNSET
    frequency_penalty: Any = UNSET
    reasoning_effort: Any = UNSET
    top_k: Any = UNSET
    stream: Any = UNSET


class _Answer(Struct, forbid_unknown_fields=True):
    role: Any = UNSET
    content: str | None = None
    refusal: Any = UNSET
    annotations: Any = UNSET
    tool_calls: Any = UNSET
    function_call: Any = UNSET
    audio: Any = UNSET


class _Choice(Struct, forbid_unknown_fields=True):
    message: _Answer
    index: Any = UNSET
    finish_reason: Any = UNSET
    logprobs: Any = UNSET


class _Resp(Struct, forbid_unknown_fields=True):
    choices: list[_Choice]
    id: Any = UNSET
    object: Any = UNSET
    created: Any = UNSET
    model: Any = UNSET
    usage: dict[str, Any] | None = None
    system_fingerprint: Any = UNSET
    service_tier: Any = UNSET


class _Row(Struct, forbid_unknown_fields=True):
    request: _Req
    response: _Resp
    latency_ms: Any = None
    metadata: dict[str, Any] | None = None
    ts: Any = None
    timestamp: Any = None


_DECODER = msgspec.json.Decoder(_Row)
_TOP = msgspec.json.Decoder(dict[str, Raw])
_REQ_DECODER = msgspec.json.Decoder(_Req)
_RESP_DECODER = msgspec.json.Decoder(_Resp)
_ROW_KEYS = frozenset(_Row.__struct_fields__)
_READ = frozenset({
    # what normalise_openai reads from a row (or drops from its metadata) besides _Row's keys
    "call_type", "full_request", "full_response", "spend", "status_code", "response_status_code", "status",
    "error_information", "error_str", "model_parameters", "created_at", "startTime", "start_time", "request_time",
    "duration_ms", "execution_duration_ms", "execution_time_ms", "endTime", "end_time", "cost_usd", "response_cost",
    "cost", "cost_currency", "ai_org", "response_time", "feedback", "labels", "prompt_tokens", "completion_tokens",
    "messages", "choices", "usage", "model", "created", "tools", "response_format",
    # JSON text the general path decodes first (decode_fields)
    "request_tags", "tags",
})
_NULL = Raw(b"null")
_UNKNOWN_TOP = "Object contains unknown field"
"""How msgspec's error begins for a key no struct names; at the top level it says no path."""


def _plain(value: Any, depth: int = 0) -> bool:
    """Whether ``value`` holds only what orjson would read the same: no integer outside
    64 bits, nothing nested deeper than :data:`_MAX_DEPTH`."""
    t = type(value)
    if t is dict or t is list or t is tuple:
        if depth >= _MAX_DEPTH:
            return False
        for v in (value.values() if t is dict else value):
            tv = type(v)
            if not (tv is str or tv is float or tv is bool or v is None) and not _plain(v, depth + 1):
                return False
        return True
    if t is int:
        return _INT_MIN <= value < _INT_END
    return t is str or t is float or t is bool or value is None or value is UNSET


_MEDIA = {"image_url": _PLACEHOLDERS["image_url"], "input_audio": _PLACEHOLDERS["input_audio"]}


def _parts_text(parts: list[_Part]) -> str | None:
    """A message's text from its content parts, as ``content_text`` writes it: text parts'
    text, an image or audio as its placeholder, one part a line; None for any other part."""
    out = []
    for part in parts:
        kind = part.type
        if kind == "text":
            text = part.text
            if type(text) is not str:  # (none, or a number the general path writes with str())
                return None
            if text:
                out.append(text)
        else:
            placeholder = _MEDIA.get(kind)
            if placeholder is None:
                return None
            out.append(placeholder)
    return "\n".join(out)


_REQ_FIELDS = _Req.__struct_fields__
_PARAM_AT = tuple((k, _REQ_FIELDS.index(k)) for k in _REQ_PARAMS)  # (in request_meta's order)
_KEPT_AT = tuple((k, _REQ_FIELDS.index(k)) for k in _KEPT)


class FastOpenAI:
    """``__call__(line)``: the fields of an OpenAI chat-completions log line, or None
    where the line needs the general path. Keeps the tool lists it has read (by their bytes)."""

    __slots__ = ("_tools", "_last_raw", "_last_tools")

    def __init__(self) -> None:
        self._tools: dict[bytes, Any] = {}
        self._last_raw: Raw | None = None
        self._last_tools: Any = None

    def _tool_list(self, raw: Raw) -> Any:
        if raw == self._last_raw:  # (the same list as the line before: compared, not hashed)
            return self._last_tools
        key = bytes(raw)
        tools = self._tools.get(key)
        if tools is None:
            if len(self._tools) >= 256:
                self._tools.clear()
            try:  # (msgspec keeps a Raw value's bytes unchecked)
                tools = orjson.loads(key)
            except (orjson.JSONDecodeError, RecursionError):
                return None
            if not _plain(tools):
                return None
            self._tools[key] = tools
        self._last_raw, self._last_tools = Raw(key), tools  # (its own bytes: the line's may be a buffer reused)
        return tools

    def __call__(self, line: bytes) -> dict[str, Any] | None:
        extras: dict[str, Any] | None = None
        try:
            row = _DECODER.decode(line)
            req, resp, meta_in = row.request, row.response, row.metadata
            latency_ms, ts, timestamp = row.latency_ms, row.ts, row.timestamp
        except msgspec.ValidationError as exc:
            if not str(exc).startswith(_UNKNOWN_TOP) or " - at `" in str(exc):
                return None
            # keys of the app's own beside the call (request_id, user_id, ...): each decoded
            # by orjson as the general path decodes it, kept in the metadata
            try:
                parts = _TOP.decode(line)
                if not _READ.isdisjoint(parts) or "request" not in parts or "response" not in parts:
                    return None
                req = _REQ_DECODER.decode(parts["request"])
                resp = _RESP_DECODER.decode(parts["response"])
                values = {k: orjson.loads(memoryview(v)) for k, v in parts.items() if k != "request" and k != "response"}
            except (msgspec.DecodeError, orjson.JSONDecodeError, RecursionError):
                return None
            meta_in = values.get("metadata")
            if meta_in is not None and type(meta_in) is not dict:
                return None
            latency_ms, ts, timestamp = values.get("latency_ms"), values.get("ts"), values.get("timestamp")
            extras = {k: v for k, v in values.items() if k not in _ROW_KEYS}
            if not _plain(extras):
                return None
        except (msgspec.DecodeError, RecursionError):
            return None
        if not _plain((meta_in, latency_ms, ts, timestamp)):
            return None

        messages = []
        for m in req.messages:
            role = ROLE_ALIASES.get(m.role)
            if role is None:  # a role the general path reads in its own way
                return None
            text = m.content
            if text is None:
                text = ""
            elif type(text) is list:
                text = _parts_text(text)
                if text is None:
                    return None
            if m.tool_calls:  # each call written after the text, as chat_message writes it
                for call in m.tool_calls:
                    fn = call.function
                    if not _plain((fn.name, fn.arguments)):
                        return None
                    text = with_tool_call(text, fn.name, fn.arguments)
            messages.append(message(role, text))

        output = None
        choices = resp.choices
        if choices:
            answer = choices[0].message
            if type(answer.audio) is dict:
                return None
            output = answer.content or ""
            if not output and type(answer.refusal) is str:
                output = answer.refusal
            # the tools the answer calls, as normalise_openai writes them (the same function, on the same values)
            calls = None if answer.tool_calls is UNSET else answer.tool_calls
            function_call = None if answer.function_call is UNSET else answer.function_call
            if calls or function_call is not None:
                if not _plain((calls, function_call)):
                    return None
                try:
                    output = with_tool_calls(output, calls, function_call)
                except (AttributeError, TypeError, ValueError, KeyError, IndexError, RecursionError):
                    return None  # (the general path quarantines the line, saying why)

        # the metadata: the row's own and its other keys (extra_meta), what the request says
        # (request_meta), then what the answer says, in normalise_openai's order
        meta: dict[str, Any] = {} if meta_in is None else dict(meta_in)
        if extras:
            for k, v in extras.items():
                meta.setdefault(k, v)
            if extras.get("id") is not None:
                meta.setdefault("source_id", extras["id"])
        req_meta: dict[str, Any] = {}
        values = astuple(req)
        present = [(k, values[i]) for k, i in _PARAM_AT if values[i] is not UNSET]
        if present:
            req_meta["params"] = dict(present)
        raw_tools = req.tools
        if raw_tools and raw_tools != _NULL:
            if bytes(memoryview(raw_tools)[:1]) != b"[":  # tools given as an object or text: the general path
                return None
            tools = self._tool_list(raw_tools)
            if tools is None:
                return None
            if tools:
                req_meta["tools"] = tools
        if req.response_format is not UNSET and req.response_format is not None:
            req_meta["response_format"] = req.response_format
        kept = [(k, values[i]) for k, i in _KEPT_AT if values[i] is not UNSET]
        for k, v in kept:
            if v not in (None, ""):
                req_meta[k] = v
        if req.metadata is not UNSET:
            if type(req.metadata) is not dict:  # (the general path drops it)
                return None
            req_meta.update(req.metadata)
        meta.update(req_meta)
        if len(choices) > 1:
            meta["n_choices"] = len(choices)
        if choices and choices[0].finish_reason:
            meta["finish_reason"] = choices[0].finish_reason
        if resp.id is not UNSET and resp.id:
            meta.setdefault("response_id", resp.id)
        usage = resp.usage or {}
        usage_details(usage, meta)

        created = None if resp.created is UNSET else resp.created
        model = (None if resp.model is UNSET else resp.model) or (None if req.model is UNSET else req.model)
        tokens_in = usage.get("prompt_tokens")
        if tokens_in is None:
            tokens_in = usage.get("input_tokens")
        tokens_out = usage.get("completion_tokens")
        if tokens_out is None:
            tokens_out = usage.get("output_tokens")
        first = choices[0].finish_reason if choices else None
        if not _plain((present, req.response_format, kept, req.metadata, first, resp.id, usage, created, model)):
            return None
        try:
            return fields(
                messages,
                output=output,
                ts=(ts if ts is not None else timestamp) or created,
                model=model,
                latency_ms=latency_ms or None,
                tokens_in=tokens_in,
                tokens_out=tokens_out,
                cost_usd=usage.get("cost") or None,
                metadata=meta,
            )
        except RowError:  # the general path says why, in its words
            return None
