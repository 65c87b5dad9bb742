"""Row shapes ("dialects"), registered by name: how one decoded row becomes record fields.

A file format (``_formats``) says how to cut a file into rows; a shape says what a row
means: ``generic`` (``{messages, output, ...}``), ``openai`` and ``anthropic`` request/
response logs, ``otel`` GenAI spans, ``langfuse``, ``phoenix``, ``langsmith`` exports, or
a user's dotted-path mapping. Built-ins register through :func:`shape`, like user code.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import orjson

from assay.errors import InputError
from assay.ingest._normalise import (
    ROLE_ALIASES,
    NoModelCall,
    RowError,
    aliased,
    answer_from,
    failed_call,
    chat_message,
    chat_messages,
    content_text,
    decode_cell,
    dumps,
    fields,
    first_line,
    message,
    normalise,
    pairs_object,
    parse_ts,
    tool_call_text,
    with_tool_call,
)
from assay.ingest._stream import assembled
from assay.records import Message

Fields = dict[str, Any]


@dataclass(frozen=True)
class Shape:
    name: str
    normalise: Callable[[Any], Fields]
    detect: Callable[[dict[str, Any]], bool] | None = None
    explode: Callable[[Any], Iterator[Any]] | None = None
    """Rows that hold several interactions (an OTLP export) are split first."""
    json_fields: frozenset[str] = frozenset()
    """Top-level fields the shape reads as objects or lists: JSON text in them (a CSV cell, a
    Parquet or warehouse string column) is decoded first (:func:`decode_fields`)."""


_SHAPES: dict[str, Shape] = {}
COMMON_JSON_FIELDS = frozenset({"metadata", "feedback", "labels", "tags"})


def decode_fields(row: Any, keys: frozenset[str]) -> Any:
    """``row`` with each of ``keys`` that holds the JSON text of an object or a list (as CSV
    cells, Parquet string columns and warehouse exports hold them) decoded; other text, and
    text that is not valid JSON, is left as it is. The row itself when nothing changed."""
    if type(row) is not dict:
        return row
    out = None
    for k in keys:
        v = row.get(k)
        if type(v) is str and v:
            c = v[0]
            if c == "{" or c == "[" or (c.isspace() and v.lstrip()[:1] in ("{", "[")):
                try:
                    d = orjson.loads(v)
                except orjson.JSONDecodeError:
                    continue
                if type(d) is dict or type(d) is list:
                    if out is None:
                        out = dict(row)
                    out[k] = d
    return row if out is None else out


def upper_keys(row: Any) -> bool:
    """Whether every key of ``row`` is upper case (``REQUEST``, ``CREATED_AT``): column names
    as Snowflake, Oracle and some SQL exports write them, which the shapes read lower-cased."""
    if type(row) is not dict or not row:
        return False
    cased = False
    for k in row:
        if type(k) is not str or k != k.upper():
            return False
        cased = cased or k != k.lower()
    return cased


def lower_keys(row: Any) -> Any:
    """``row`` with its top-level keys lower-cased (the keys inside its values are left as
    they are: a JSON column keeps the case its application wrote)."""
    if type(row) is not dict:
        return row
    return {k.lower() if type(k) is str else k: v for k, v in row.items()}


def _decoded_view(row: dict[str, Any]) -> dict[str, Any]:
    """``row`` with every top-level JSON text of an object or a list decoded: to tell the
    shape of a row exported with its nested fields as text."""
    return decode_fields(row, frozenset(k for k, v in row.items() if type(v) is str))  # type: ignore[no-any-return]


def shape(
    name: str,
    *,
    detect: Callable[[dict[str, Any]], bool] | None = None,
    explode: Callable[[Any], Iterator[Any]] | None = None,
    json_fields: tuple[str, ...] = (),
) -> Callable[[Callable[[Any], Fields]], Callable[[Any], Fields]]:
    """Register a row shape: ``normalise(row) -> fields``; ``detect(row)`` says whether a
    row looks like this shape (used by ``--format auto``); ``json_fields`` are the top-level
    fields it reads as objects or lists (besides metadata, feedback, labels and tags)."""

    def register(fn: Callable[[Any], Fields]) -> Callable[[Any], Fields]:
        _SHAPES[name] = Shape(name, fn, detect, explode, frozenset(json_fields) | COMMON_JSON_FIELDS)
        return fn

    return register


def shapes() -> list[str]:
    """Names of the registered row shapes."""
    return sorted(_SHAPES)


def get_shape(name: str) -> Shape:
    try:
        return _SHAPES[name]
    except KeyError:
        raise InputError(f"unknown log shape {name!r}", hint=f"use one of: auto, {', '.join(shapes())}") from None


def detect_shape(row: Any, *, file: str, line: int) -> Shape:
    """The one specific shape that claims ``row``, else ``generic``; several is an error."""
    if not isinstance(row, dict):
        return _SHAPES["generic"]
    hits = [s for s in _SHAPES.values() if s.detect is not None and s.name != "generic" and s.detect(row)]
    if not hits:  # exported with its nested fields as JSON text (CSV, Parquet, a warehouse table)?
        view = _decoded_view(row)
        if view is not row:
            hits = [s for s in _SHAPES.values() if s.detect is not None and s.name != "generic" and s.detect(view)]
    if len(hits) > 1:
        names = ", ".join(s.name for s in hits)
        raise InputError(
            f"the rows look like more than one log shape ({names})",
            file=file,
            line=line,
            hint=f"say which with --format, e.g. --format {hits[0].name}",
        )
    return hits[0] if hits else _SHAPES["generic"]


shape("generic", detect=lambda row: any(k in row for k in ("messages", "input", "prompt", "conversations")))(normalise)


_INPUT_WORDS = ("question", "query", "prompt", "input", "request", "utterance", "instruction", "user", "message", "text", "q")
_OUTPUT_WORDS = ("answer", "response", "reply", "completion", "output", "result", "generated", "assistant", "bot", "a")
_TS_WORDS = ("timestamp", "time", "date", "created", "when", "ts", "at")
_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_NOT_TEXT = frozenset({"tokens", "token", "count", "id", "ids", "cost", "ms", "length", "len", "size", "type", "status", "code",
                       "sequence", "number", "hash", "url", "is", "time", "at"})
"""Words in a field's name that say it holds no text of the call (``PromptTokens``, ``request_id``)."""


def _words(key: str) -> list[str]:
    return [w for w in re.split(r"[^a-z]+", re.sub(r"([a-z])([A-Z])", r"\1_\2", key).lower()) if w]


def _shell_word(text: str) -> str:
    """``text`` quoted for a shell when it holds a space or a character the shell reads."""
    return text if re.fullmatch(r"[\w.,=@%+:/-]+", text) else "'" + text.replace("'", "'\\''") + "'"


_COLUMN_N = re.compile(r"column_\d+")
_TIME_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}")


def mapping_hint(row: Any) -> str | None:
    """For a row that no shape claims and that has none of ``messages``/``input``/``prompt``:
    what ``--map`` could say, guessed from its field names (``q`` -> input, ``answer`` ->
    output, ``created_at`` -> ts), one level into nested objects. ``None`` for any other row."""
    if not isinstance(row, dict) or any(k in row for k in ("messages", "input", "prompt", "conversations")):
        return None
    if row and all(type(k) is str and _COLUMN_N.fullmatch(k) for k in row):  # a CSV file with no header row
        texts = [k for k, v in row.items() if isinstance(v, str) and " " in v.strip()]
        times = [k for k, v in row.items() if isinstance(v, str) and _TIME_TEXT.match(v)]
        guess = ",".join(f"{t}={k}" for t, k in zip(("input", "output"), texts))
        if times:
            guess += f",ts={times[0]}"
        return (f"the file has no header row: its columns are read as column_1 to column_{len(row)}; say which holds "
                f"what with --map{f', e.g. --map {_shell_word(guess)}' if texts else ''}, or export it with a header row "
                "(Snowflake: HEADER = TRUE; PostgreSQL: COPY ... WITH (FORMAT csv, HEADER); Redshift: UNLOAD ... HEADER)")
    fields: list[tuple[str, Any]] = []
    for k, v in row.items():
        fields.append((str(k), v))
        if isinstance(v, dict):
            fields.extend((f"{k}.{k2}", v2) for k2, v2 in v.items())

    def find(words: tuple[str, ...], ok: Callable[[Any], bool], taken: set[str], counts: bool = True) -> str | None:
        for word in words:  # in the order of the words: "question" before "text"
            for path, value in fields:
                named = _words(path.rsplit(".", 1)[-1])
                if path not in taken and ok(value) and word in named and (counts or _NOT_TEXT.isdisjoint(named)):
                    return path
        return None

    def texty(v: Any) -> bool:
        return (isinstance(v, str) and _NUMBER.fullmatch(v.strip()) is None) or (isinstance(v, list) and bool(v))

    taken: set[str] = set()
    guess: list[str] = []
    def number(v: Any) -> bool:
        return isinstance(v, (int, float)) and not isinstance(v, bool) or (isinstance(v, str) and _NUMBER.fullmatch(v.strip()) is not None)

    for name, words, ok in (("input", _INPUT_WORDS, texty), ("output", _OUTPUT_WORDS, texty),
                            ("ts", _TS_WORDS, lambda v: isinstance(v, (str, int, float)) and not isinstance(v, bool)),
                            ("model", ("model",), lambda v: isinstance(v, str)),
                            ("latency_ms", ("latency",), number),
                            ("feedback.rating", ("rating", "stars"), number),
                            ("feedback.thumb", ("thumb", "thumbs", "vote", "helpful", "liked"),
                             lambda v: isinstance(v, (str, bool, int)) and not isinstance(v, float))):
        path = find(words, ok, taken, counts=name not in ("input", "output"))
        if path is not None:
            taken.add(path)
            guess.append(f"{name}={path}")
    keys = ", ".join(list(map(str, row))[:12]) + (", ..." if len(row) > 12 else "")
    if not any(g.startswith("input=") for g in guess):
        return (f"no known log shape, and no messages, input or prompt field (the rows have {keys}): "
                f"say which field holds the user's input with --map, e.g. --map input=<field>,output=<field>")
    return (f"no known log shape, and no messages, input or prompt field (the rows have {keys}): "
            f"say which field is which with --map, e.g. --map {_shell_word(','.join(guess))}")


# ---------------------------------------------------------------- helpers shared by shapes

def unwrap(value: Any) -> Any:
    """``{"body": {...}}`` (OpenAI batch files, HTTP proxies) -> the body."""
    while isinstance(value, dict) and isinstance(value.get("body"), dict) and len(value) <= 4:
        value = value["body"]
    return value


def pick(d: dict[str, Any], *keys: str) -> Any:
    for k in keys:
        if d.get(k) is not None:
            return d[k]
    return None


def extra_meta(row: dict[str, Any], used: set[str] | frozenset[str]) -> dict[str, Any]:
    """Everything in ``row`` a shape did not consume, kept as metadata (nothing lost)."""
    meta = row.get("metadata")
    if type(meta) is str and meta[:1] == "{":  # a JSON column, as BigQuery and CSV exports hold it
        meta = _body(meta)
    if isinstance(meta, dict):
        meta = dict(meta)
    else:  # key/value pairs (BigQuery, a MAP column) as the object; anything else kept as it is, under its name
        meta = {} if meta is None else pairs_object(meta) or {"metadata": meta}
    for k, v in row.items():
        if k not in used and k != "metadata":
            meta.setdefault(k, v)
    if row.get("id") is not None:
        meta.setdefault("source_id", row["id"])
    return meta


_REQ_PARAMS = ("temperature", "top_p", "max_tokens", "max_completion_tokens", "stop", "seed", "n", "tool_choice",
               "presence_penalty", "frequency_penalty", "reasoning_effort", "top_k", "stream")


_REQ_PARAM_SET = frozenset(_REQ_PARAMS)


def request_meta(req: dict[str, Any]) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    present = _REQ_PARAM_SET.intersection(req)
    if len(present) == 1:
        (k,) = present
        meta["params"] = {k: req[k]}
    elif present:
        meta["params"] = {k: req[k] for k in _REQ_PARAMS if k in present}
    if req.get("tools"):
        meta["tools"] = req["tools"]
    elif isinstance(req.get("functions"), list) and req["functions"]:  # the legacy functions API
        meta["tools"] = req["functions"]
    if req.get("response_format") is not None:
        meta["response_format"] = req["response_format"]
    if not _REQ_KEPT.isdisjoint(req):  # who asked (the end user's id) and how the call was served
        for k in _REQ_KEPT.intersection(req):
            if req[k] not in (None, ""):
                meta[k] = req[k]
    if isinstance(req.get("metadata"), dict):
        meta.update(req["metadata"])
    return meta


_REQ_KEPT = frozenset({"user", "service_tier", "safety_identifier", "prompt_cache_key", "store"})


_FROM_ROW: Any = object()


def _logged_fields(
    row: dict[str, Any], req: dict[str, Any], resp: dict[str, Any], messages: list[Message], meta: dict[str, Any], *,
    output: Any, ts: Any, tokens_in: Any, tokens_out: Any,
    model: Any = _FROM_ROW, latency_ms: Any = _FROM_ROW, cost_usd: Any = _FROM_ROW,
) -> Fields:
    """:func:`fields` for a logged request and response; what is not given is read as every
    such log holds it: the model from the response, else the request; latency, cost,
    feedback and labels from the row."""
    return fields(
        messages,
        output=output,
        ts=ts,
        model=(resp.get("model") or req.get("model")) if model is _FROM_ROW else model,
        latency_ms=pick(row, "latency_ms", "duration_ms") if latency_ms is _FROM_ROW else latency_ms,
        tokens_in=tokens_in,
        tokens_out=tokens_out,
        cost_usd=row.get("cost_usd") if cost_usd is _FROM_ROW else cost_usd,
        metadata=meta,
        feedback_value=row.get("feedback"),
        labels=row.get("labels"),
    )


def _error_text(err: Any) -> str:
    """A provider's error object as one line: ``rate_limit_exceeded: Rate limit reached``."""
    if isinstance(err, dict):
        code = err.get("code") or err.get("type") or err.get("status")
        msg = err.get("message")
        parts = [str(code)] if code not in (None, "") else []
        if msg:
            parts.append(first_line(msg, ""))
        return ": ".join(parts) or first_line(orjson.dumps(err).decode(), "error")
    return first_line(err, "error")


def _failed(error: Any) -> RowError:
    return RowError(f"the call failed: {_error_text(error)}")


def _body(text: str) -> Any:
    """A request or response body saved as JSON text (an HTTP proxy's log, a CSV cell)."""
    if text[:1] == "{":
        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError:
            return text
    return text


def _split(row: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    req, resp = row.get("request"), row.get("response")
    if req is None and resp is None and "full_request" in row:  # Vertex AI's request-response logging (BigQuery)
        req, resp = row["full_request"], row.get("full_response")
    if type(req) is str:
        req = _body(req.lstrip())
    if type(resp) is str:
        resp = _body(resp.lstrip())
    if isinstance(resp, (list, str)):  # a streamed response: its chunks or events, put together
        resp = assembled(resp)
    return unwrap(req) if isinstance(req, dict) else row, unwrap(resp) if isinstance(resp, dict) else row


def _span_ms(row: dict[str, Any]) -> float | None:
    """Milliseconds from a row's start to its end time (``startTime``/``endTime``, as LiteLLM
    and other proxies log them), or None without both."""
    start, end = pick(row, "startTime", "start_time"), pick(row, "endTime", "end_time")
    if start is None or end is None:
        return None
    try:
        a, b = parse_ts(start, "startTime"), parse_ts(end, "endTime")
    except RowError:
        return None
    return None if a is None or b is None else (b - a).total_seconds() * 1000


# ---------------------------------------------------------------- OpenAI chat completions

def _is_openai(row: dict[str, Any]) -> bool:
    req, resp = _split(row)
    if not (isinstance(req, dict) and "messages" in req and isinstance(resp, dict)):
        return False
    # (LiteLLM's logging payload: messages and a response of any kind, with its call_type)
    return "choices" in resp or (isinstance(row.get("call_type"), str) and resp is not row)


def _count(usage: Any, row: dict[str, Any], resp: dict[str, Any], key: str, other: str) -> Any:
    """A token count from the response's usage, else beside the response (LiteLLM logs it so)."""
    v = usage.get(key)
    if v is None:
        v = usage.get(other)
        if v is None and resp is not row:
            v = row.get(key)
    return v


_NOT_CHAT_CALLS = frozenset({"embedding", "aembedding", "image_generation", "aimage_generation", "moderation", "amoderation",
                             "transcription", "atranscription", "speech", "aspeech", "rerank", "arerank"})
_OPENAI_USED = frozenset({"request", "response", "messages", "choices", "usage", "model", "created", "latency_ms", "ts",
                          "timestamp", "feedback", "labels", "cost_usd", "tools", "response_format", *_REQ_PARAMS})
_OPENAI_USED_NESTED = _OPENAI_USED - _REQ_PARAM_SET
"""A row with the request nested in it: a top-level ``n`` or ``stream`` is the app's own field."""


@shape("openai", detect=_is_openai, json_fields=("choices", "usage", "tools", "response_format", "request_tags"))
def normalise_openai(row: Any) -> Fields:
    """OpenAI chat-completions logs: ``{request: {model, messages, tools, response_format},
    response: {choices, usage, created}}`` (or one flat object with ``messages`` and ``choices``)."""
    if not isinstance(row, dict):
        raise RowError(f"expected a JSON object, got {type(row).__name__}")
    if row.get("call_type") in _NOT_CHAT_CALLS:  # a LiteLLM log of an embedding, image, audio or moderation call
        raise NoModelCall(row["call_type"])
    req, resp = _split(row)
    if "messages" not in req:
        raise RowError("missing required field: request.messages")
    if req["messages"] in ({}, "{}", [], "[]", None, "") and "spend" in row and "call_type" in row:
        raise RowError("the spend log holds no prompt: the LiteLLM proxy stores prompts and responses in its spend logs only "
                       "with store_prompts_in_spend_logs: true (general_settings in its config)")
    messages = chat_messages(req["messages"], "request.messages")
    output = None
    choices = resp.get("choices")
    if choices is None and resp.get("object") == "response":  # LiteLLM's log of a Responses API call (call_type aresponses)
        output = _responses_output(resp.get("output"), "response.output")
    if choices is not None:
        if not isinstance(choices, list):
            raise RowError("response.choices: expected a list")
        if choices:
            ch = choices[0] if isinstance(choices[0], dict) else {}
            msg = ch.get("message") or {}
            if not isinstance(msg, dict):
                raise RowError("response.choices.0.message: expected an object")
            if "text" in ch and not msg:  # legacy completions
                output = str(ch["text"])
            else:
                output = content_text(msg.get("content"), "response.choices.0.message.content")
                if not output and isinstance(msg.get("refusal"), str):  # what the user saw
                    output = msg["refusal"]
                if not output and isinstance(msg.get("audio"), dict) and isinstance(msg["audio"].get("transcript"), str):
                    output = msg["audio"]["transcript"]  # an audio answer, as its transcript
                output = with_tool_calls(output, msg.get("tool_calls"), msg.get("function_call"))
    if choices is None and resp.get("error"):  # the provider's error body: no answer
        raise _failed(resp["error"])
    if choices is None and output is None:  # a serving endpoint's failed call (Databricks inference tables)
        status = row.get("status_code", row.get("response_status_code"))  # (Portkey's export: response_status_code)
        if resp.get("error_code") or (type(status) is int and status >= 400) or (type(status) is str and status[:1] in "45"
                                                                                   and status.isdigit()):
            why = ": ".join(str(x) for x in (resp.get("error_code"), first_line(resp.get("message"), "")) if x)
            raise RowError(f"the call failed: {why or f'HTTP {status}'}" + (f" (HTTP {status})" if why and status else ""))
    if output is None and row.get("status") == "failure":  # LiteLLM's log of a call that failed
        info = row.get("error_information") if isinstance(row.get("error_information"), dict) else {}
        raise RowError(f"the call failed: {first_line(row.get('error_str') or info.get('error_message'), 'status failure')}")
    usage = resp.get("usage") or {}
    meta = extra_meta(row, _OPENAI_USED if req is row else _OPENAI_USED_NESTED)
    meta.update(request_meta(req))
    if "model_parameters" in row and isinstance(row["model_parameters"], dict) and row["model_parameters"] and "params" not in meta:
        meta["params"] = row["model_parameters"]  # LiteLLM's logged sampling parameters
        meta.pop("model_parameters", None)
    if len(choices or []) > 1:
        meta["n_choices"] = len(choices)
    if choices and isinstance(choices[0], dict) and choices[0].get("finish_reason"):
        meta["finish_reason"] = choices[0]["finish_reason"]
    if resp is not row and resp.get("id"):
        meta.setdefault("response_id", resp["id"])
    usage_details(usage, meta)
    return _logged_fields(
        row, req, resp, messages, meta,
        output=output,
        ts=pick(row, "ts", "timestamp", "created_at", "startTime", "start_time", "request_time") or resp.get("created"),
        # (execution_duration_ms, execution_time_ms: Databricks inference tables)
        latency_ms=pick(row, "latency_ms", "duration_ms", "execution_duration_ms", "execution_time_ms") or _span_ms(row) or _portkey_ms(row),
        tokens_in=tin if (tin := usage.get("prompt_tokens")) is not None else _count(usage, row, resp, "prompt_tokens", "input_tokens"),
        tokens_out=tout if (tout := usage.get("completion_tokens")) is not None else _count(usage, row, resp, "completion_tokens",
                                                                                           "output_tokens"),
        # (spend: LiteLLM's SpendLogs table; usage.cost: OpenRouter's usage accounting)
        cost_usd=pick(row, "cost_usd", "response_cost", "spend") or (usage.get("cost") if isinstance(usage, dict) else None)
        or _portkey_cost(row),
    )


def with_tool_calls(output: str | None, tool_calls: Any, function_call: Any) -> str | None:
    """An OpenAI answer's text with the tools it calls after it, one ``[tool_call ...]`` line
    each (``function_call``: the legacy functions API)."""
    calls = tool_calls or ()
    if isinstance(function_call, dict):
        calls = [*calls, {"function": function_call}]
    for call in calls:
        fn = call.get("function") or call.get("custom") or call if isinstance(call, dict) else {}
        args = fn.get("arguments", fn.get("input")) if isinstance(fn, dict) else None
        output = with_tool_call(output, fn.get("name"), args)
    return output


def usage_details(usage: Any, meta: dict[str, Any]) -> None:
    """What an OpenAI usage's counts hold, into ``meta``: cached prompt tokens, reasoning tokens."""
    if isinstance(usage, dict) and ("prompt_tokens_details" in usage or "completion_tokens_details" in usage):
        for details, key, name in (("prompt_tokens_details", "cached_tokens", "cache_read_tokens"),
                                   ("completion_tokens_details", "reasoning_tokens", "reasoning_tokens")):
            d = usage.get(details)
            if isinstance(d, dict) and type(d.get(key)) is int and d[key]:
                meta[name] = d[key]


def _portkey_cost(row: dict[str, Any]) -> float | None:
    """The cost in Portkey's logs export, which holds it in cents of a dollar (``cost`` with
    ``cost_currency``, beside ``ai_org``); None for any other row."""
    cost = row.get("cost")
    if ("cost_currency" in row or "ai_org" in row) and isinstance(cost, (int, float)) and not isinstance(cost, bool):
        return cost / 100
    return None


def _portkey_ms(row: dict[str, Any]) -> Any:
    """Portkey's ``response_time`` (milliseconds), only in a row of its export."""
    return row.get("response_time") if "ai_org" in row or "cost_currency" in row else None


# ---------------------------------------------------------------- Anthropic messages

def _is_anthropic(row: dict[str, Any]) -> bool:
    req, resp = _split(row)
    if not (isinstance(req, dict) and "messages" in req and isinstance(resp, dict)):
        return False
    return resp.get("type") == "message" or ("stop_reason" in resp and isinstance(resp.get("content"), list))


_ANTHROPIC_USED = frozenset({"request", "response", "messages", "content", "usage", "model", "system", "stop_reason",
                             "type", "role", "latency_ms", "ts", "timestamp", "feedback", "labels", "cost_usd", *_REQ_PARAMS})


@shape("anthropic", detect=_is_anthropic, json_fields=("content", "usage", "tools", "system"))
def normalise_anthropic(row: Any) -> Fields:
    """Anthropic messages logs: ``{request: {model, system, messages, tools}, response:
    {content: [text | tool_use blocks], stop_reason, usage: {input_tokens, output_tokens}}}``."""
    if not isinstance(row, dict):
        raise RowError(f"expected a JSON object, got {type(row).__name__}")
    req, resp = _split(row)
    if "messages" not in req:
        raise RowError("missing required field: request.messages")
    messages: list[Message] = []
    system = req.get("system")
    if system:
        messages.append(message("system", content_text(system, "request.system")))
    messages += anthropic_messages(req["messages"], "request.messages")
    if resp.get("type") == "error" or resp.get("error"):  # an error body, or a stream that broke off with one
        raise _failed(resp.get("error") or resp)
    output = content_text(_cited_runs(resp.get("content")), "response.content") if resp.get("content") is not None else None
    usage = resp.get("usage") or {}
    meta = extra_meta(row, _ANTHROPIC_USED)
    meta.update(request_meta(req))
    if resp.get("stop_reason"):
        meta["finish_reason"] = resp["stop_reason"]
    # Anthropic counts cached prompt tokens apart from input_tokens: the prompt is all three
    # (as OpenAI's prompt_tokens and assay's own runs count it); the cache's part is kept
    tokens_in = usage.get("input_tokens")
    cached = {k: usage[k] for k in ("cache_read_input_tokens", "cache_creation_input_tokens") if type(usage.get(k)) is int and usage[k]}
    if cached and type(tokens_in) is int:
        tokens_in += sum(cached.values())
        meta.update({"cache_read_tokens" if k.startswith("cache_read") else "cache_write_tokens": v for k, v in cached.items()})
    return _logged_fields(
        row, req, resp, messages, meta,
        output=output,
        ts=pick(row, "ts", "timestamp", "created_at"),
        tokens_in=tokens_in,
        tokens_out=usage.get("output_tokens"),
        latency_ms=pick(row, "latency_ms", "duration_ms") or _portkey_ms(row),
        cost_usd=row.get("cost_usd") or _portkey_cost(row),
    )


def _cited_runs(content: Any) -> Any:
    """An answer with citations comes as several text blocks, cut where a citation starts or
    ends: consecutive text blocks are one text again (joined as they are, not by lines)."""
    if not (isinstance(content, list) and any(isinstance(b, dict) and b.get("citations") for b in content)):
        return content
    out: list[Any] = []
    for b in content:
        if isinstance(b, dict) and b.get("type") == "text" and out and isinstance(out[-1], dict) and out[-1].get("type") == "text":
            out[-1] = {"type": "text", "text": str(out[-1].get("text", "")) + str(b.get("text", ""))}
        else:
            out.append(b)
    return out


def anthropic_messages(value: Any, where: str) -> list[Message]:
    """Anthropic's messages: a user turn's ``tool_result`` blocks are the tools' answers, so
    each is a ``tool`` message (``[error] ...`` when ``is_error``), and the turn's other
    blocks a ``user`` message after them."""
    if not isinstance(value, list):
        return chat_messages(value, where)
    out: list[Message] = []
    for i, m in enumerate(value):
        content = m.get("content") if isinstance(m, dict) else None
        if not (isinstance(content, list) and any(isinstance(b, dict) and b.get("type") == "tool_result" for b in content)):
            out.append(chat_message(m, f"{where}.{i}"))
            continue
        rest = []
        for j, b in enumerate(content):
            if isinstance(b, dict) and b.get("type") == "tool_result":
                text = content_text(b.get("content"), f"{where}.{i}.content.{j}.content")
                out.append(message("tool", f"[error] {text}" if b.get("is_error") else text))
            else:
                rest.append(b)
        if rest:
            out.append(chat_message({**m, "content": rest}, f"{where}.{i}"))
    return out


# ---------------------------------------------------------------- OpenAI Responses API

_RESPONSE_ITEMS = frozenset({"message", "function_call", "reasoning", "web_search_call", "file_search_call",
                             "computer_call", "code_interpreter_call", "image_generation_call", "mcp_call", "custom_tool_call"})
_TRACE_KEYS = ("traceId", "spanId", "run_type", "span_kind")  # the tracing exports' own shapes


def _is_responses(row: dict[str, Any]) -> bool:
    if any(k in row for k in _TRACE_KEYS):
        return False
    req, resp = _split(row)
    if not isinstance(resp, dict) or not isinstance(req, dict) or "messages" in req:
        return False
    if resp.get("object") == "response":
        return True
    out = resp.get("output")
    return (("input" in req or "instructions" in req) and isinstance(out, list)
            and any(isinstance(i, dict) and i.get("type") in _RESPONSE_ITEMS for i in out))


def _responses_input(value: Any, where: str) -> list[Message]:
    """The conversation of a Responses API request: text, or a list of input items
    (messages with content parts, earlier tool calls and their outputs)."""
    if value is None:
        return []
    if isinstance(value, str):
        return [message("user", value)]
    if not isinstance(value, list):
        raise RowError(f"{where}: expected text or a list of input items, got {type(value).__name__}")
    out: list[Message] = []
    for i, item in enumerate(value):
        if isinstance(item, str):
            out.append(message("user", item))
            continue
        if not isinstance(item, dict):
            raise RowError(f"{where}.{i}: expected an input item object, got {type(item).__name__}")
        kind = item.get("type", "message")
        if kind == "message" or (kind not in _RESPONSE_ITEMS and kind != "function_call_output" and "role" in item):
            out.append(chat_message({k: v for k, v in item.items() if k != "type"}, f"{where}.{i}"))
        elif kind in ("function_call", "custom_tool_call", "mcp_call"):
            out.append(message("assistant", tool_call_text(item.get("name"), item.get("arguments", item.get("input")))))
        elif kind.endswith("_output"):  # a tool's answer: function, custom, computer, shell and other tool outputs
            result = item.get("output")
            out.append(message("tool", content_text(result, f"{where}.{i}.output") if result is None or isinstance(result, (str, list))
                               else dumps(result)))
        elif kind in ("mcp_approval_response", "item_reference"):  # the user's approval; a reference to an earlier item
            out.append(message("user", f"[{kind}]"))
        elif kind not in ("reasoning", "mcp_list_tools"):  # the model's reasoning is not part of the conversation
            out.append(message("assistant", f"[{kind}]"))
    return out


def _responses_output(value: Any, where: str) -> str | None:
    """The answer of a Responses API response: its message items' text, tool calls as
    ``[tool_call name {...}]``, built-in tool calls as ``[web_search_call]``; reasoning is left out."""
    if value is None or isinstance(value, str):
        return value
    if not isinstance(value, list):
        raise RowError(f"{where}: expected a list of output items, got {type(value).__name__}")
    parts = []
    for i, item in enumerate(value):
        if not isinstance(item, dict):
            raise RowError(f"{where}.{i}: expected an output item object, got {type(item).__name__}")
        kind = item.get("type")
        if kind == "message":
            parts.append(content_text(item.get("content"), f"{where}.{i}.content"))
        elif kind in ("function_call", "custom_tool_call", "mcp_call", "mcp_approval_request"):
            parts.append(tool_call_text(item.get("name"), item.get("arguments", item.get("input"))))
        elif kind not in ("reasoning", "mcp_list_tools"):  # (the tools an MCP server lists are no answer)
            parts.append(f"[{kind}]")
    return "\n".join(p for p in parts if p)


_RESPONSES_USED = frozenset({"request", "response", "input", "instructions", "output", "output_text", "usage", "model",
                             "created_at", "object", "status", "incomplete_details", "latency_ms", "duration_ms", "ts",
                             "timestamp", "feedback", "labels", "cost_usd", "tools", "max_output_tokens", "reasoning",
                             "previous_response_id", "id", *_REQ_PARAMS})


@shape("responses", detect=_is_responses, json_fields=("input", "output", "usage", "tools", "reasoning", "text"))
def normalise_responses(row: Any) -> Fields:
    """OpenAI Responses API logs: a stored response (``{object: "response", model,
    instructions, input, output: [items], usage: {input_tokens, output_tokens}}``) or a
    ``{request: {model, instructions, input, tools}, response: {...}}`` pair."""
    if not isinstance(row, dict):
        raise RowError(f"expected a JSON object, got {type(row).__name__}")
    req, resp = _split(row)
    messages: list[Message] = []
    instructions = req.get("instructions", resp.get("instructions"))
    if instructions:
        messages.append(message("system", content_text(instructions, "instructions")))
    source = req if "input" in req else resp
    if "input" not in source:
        raise RowError("missing required field: input" + (
            " (a response fetched with GET /v1/responses/{id} holds no input: fetch its /input_items and put them in "
            "input)" if resp.get("object") == "response" else ""))
    messages += _responses_input(source["input"], "input")
    if resp.get("status") == "failed" or (resp.get("error") and not resp.get("output")):
        raise _failed(resp.get("error") or "status failed")
    output = _responses_output(resp.get("output"), "output")
    if output is None and isinstance(resp.get("output_text"), str):
        output = resp["output_text"]
    usage = resp.get("usage") or {}
    meta = extra_meta(row, _RESPONSES_USED)
    meta.update(request_meta(req))
    params = {k: req[k] for k in ("max_output_tokens",) if req.get(k) is not None}
    if params:
        meta["params"] = {**meta.get("params", {}), **params}
    for k in ("reasoning", "previous_response_id"):
        if req.get(k) is not None:
            meta[k] = req[k]
    reason = (resp.get("incomplete_details") or {}).get("reason") if isinstance(resp.get("incomplete_details"), dict) else None
    if reason or resp.get("status"):
        meta["finish_reason"] = reason or resp["status"]
    if resp.get("id") is not None:
        meta.setdefault("source_id", resp["id"])
    return _logged_fields(
        row, req, resp, messages, meta,
        output=output,
        ts=pick(row, "ts", "timestamp") or resp.get("created_at"),
        tokens_in=usage.get("input_tokens"),
        tokens_out=usage.get("output_tokens"),
    )


# ---------------------------------------------------------------- Google Gemini

def _is_gemini(row: dict[str, Any]) -> bool:
    if any(k in row for k in _TRACE_KEYS):
        return False
    req, resp = _split(row)
    return (isinstance(req, dict) and isinstance(req.get("contents"), (list, str))
            and isinstance(resp, dict) and isinstance(resp.get("candidates"), list))


def _media_placeholder(data: Any) -> str:
    mime = str(data.get("mimeType", data.get("mime_type", ""))) if isinstance(data, dict) else ""
    kind = mime.split("/", 1)[0]
    return f"[{kind}]" if kind in ("image", "audio", "video") else "[file]"


def _gemini_parts(parts: Any, where: str) -> str:
    """The text of Gemini ``parts``: text, media as placeholders, function calls as
    ``[tool_call name {...}]``, function responses as their JSON; thoughts left out."""
    if isinstance(parts, str):
        return parts
    if isinstance(parts, dict):
        parts = [parts]
    if not isinstance(parts, list):
        raise RowError(f"{where}: expected a list of parts, got {type(parts).__name__}")
    out = []
    for i, part in enumerate(parts):
        if isinstance(part, str):
            out.append(part)
            continue
        if not isinstance(part, dict):
            raise RowError(f"{where}.{i}: expected a part object, got {type(part).__name__}")
        if part.get("thought"):
            continue
        if "text" in part:
            out.append(str(part["text"]))
        elif "functionCall" in part or "function_call" in part:
            call = part.get("functionCall", part.get("function_call")) or {}
            out.append(tool_call_text(call.get("name"), call.get("args", {})))
        elif "functionResponse" in part or "function_response" in part:
            resp = part.get("functionResponse", part.get("function_response")) or {}
            out.append(content_text(resp.get("response"), f"{where}.{i}.functionResponse.response")
                       if isinstance(resp.get("response"), str) else dumps(resp.get("response")))
        elif "inlineData" in part or "inline_data" in part or "fileData" in part or "file_data" in part:
            out.append(_media_placeholder(part.get("inlineData", part.get("inline_data", part.get("fileData", part.get("file_data"))))))
        elif "executableCode" in part:
            out.append(str((part["executableCode"] or {}).get("code", "")))
        elif "codeExecutionResult" in part:
            out.append(str((part["codeExecutionResult"] or {}).get("output", "")))
    return "\n".join(p for p in out if p)


def _gemini_contents(contents: Any, where: str) -> list[Message]:
    if isinstance(contents, str):
        return [message("user", contents)]
    out = []
    for i, c in enumerate(contents):
        if not isinstance(c, dict):
            raise RowError(f"{where}.{i}: expected a content object, got {type(c).__name__}")
        role = ROLE_ALIASES.get(str(c.get("role", "user")).lower())
        if role is None:
            raise RowError(f"{where}.{i}.role: unknown role {c.get('role')!r} (use user, model or function)")
        parts = c.get("parts", [])
        results = [p for p in parts if isinstance(p, dict) and ("functionResponse" in p or "function_response" in p)] \
            if role == "user" and isinstance(parts, list) else []
        if results:  # function results sent in a user turn: a tool message, and the turn's other parts after it
            out.append(message("tool", _gemini_parts(results, f"{where}.{i}.parts")))
            rest = [p for p in parts if p not in results]
            if rest:
                out.append(message("user", _gemini_parts(rest, f"{where}.{i}.parts")))
            continue
        out.append(message(role, _gemini_parts(parts, f"{where}.{i}.parts")))
    return out


def _gemini_out_tokens(usage: dict[str, Any], meta: dict[str, Any]) -> Any:
    """The answer's tokens with the model's thinking (``thoughtsTokenCount``), as OpenAI's
    completion_tokens count reasoning; the thinking's part is kept as ``reasoning_tokens``."""
    out, thoughts = usage.get("candidatesTokenCount"), usage.get("thoughtsTokenCount")
    if type(thoughts) is int and thoughts:
        meta["reasoning_tokens"] = thoughts
        return (out if type(out) is int else 0) + thoughts
    return out


_GEMINI_USED = frozenset({"request", "response", "contents", "candidates", "systemInstruction", "system_instruction",
                          "usageMetadata", "modelVersion", "model", "createTime", "responseId", "generationConfig", "tools",
                          "latency_ms", "duration_ms", "ts", "timestamp", "feedback", "labels", "cost_usd", "promptFeedback",
                          "full_request", "full_response", "logging_time", "usage_metadata", "model_version", "create_time",
                          "response_id", "prompt_feedback"})


@shape("gemini", detect=_is_gemini, json_fields=("contents", "candidates", "usageMetadata", "systemInstruction", "generationConfig", "tools"))
def normalise_gemini(row: Any) -> Fields:
    """Google Gemini ``generateContent`` logs (Vertex AI and the Gemini API): ``{request:
    {contents, systemInstruction, generationConfig, tools}, response: {candidates,
    usageMetadata, modelVersion, createTime}}``, or the two objects' keys in one row."""
    if not isinstance(row, dict):
        raise RowError(f"expected a JSON object, got {type(row).__name__}")
    req, resp = _split(row)
    if "contents" not in req:
        raise RowError("missing required field: request.contents")
    messages: list[Message] = []
    system = req.get("systemInstruction", req.get("system_instruction"))
    if system:
        messages.append(message("system", _gemini_parts(system.get("parts", []) if isinstance(system, dict) else system,
                                                        "systemInstruction.parts")))
    messages += _gemini_contents(req["contents"], "contents")
    candidates = resp.get("candidates") or []
    if resp.get("error") and not candidates:
        raise _failed(resp["error"])
    first = candidates[0] if candidates and isinstance(candidates[0], dict) else {}
    output = _gemini_parts((first.get("content") or {}).get("parts", []), "candidates.0.content.parts") if first else None
    # the Python SDK's saved responses (``to_json_dict``) spell the keys in snake_case
    usage = resp.get("usageMetadata") or resp.get("usage_metadata") or {}
    if "prompt_token_count" in usage:
        usage = {"promptTokenCount": usage.get("prompt_token_count"), "candidatesTokenCount": usage.get("candidates_token_count"),
                 "thoughtsTokenCount": usage.get("thoughts_token_count")}
    meta = extra_meta(row, _GEMINI_USED)
    config = req.get("generationConfig")
    if isinstance(config, dict) and config:
        meta["params"] = config
    if req.get("tools"):
        meta["tools"] = req["tools"]
    finish = first.get("finishReason") or first.get("finish_reason")
    if finish:
        meta["finish_reason"] = finish
    feedback = resp.get("promptFeedback") or resp.get("prompt_feedback")
    block = feedback.get("blockReason") or feedback.get("block_reason") if isinstance(feedback, dict) else None
    if block and not candidates:  # the prompt was blocked: no answer, the reason is the outcome
        meta["finish_reason"] = f"PROMPT_BLOCKED:{block}"
    if len(candidates) > 1:
        meta["n_choices"] = len(candidates)
    if resp.get("responseId") or resp.get("response_id"):
        meta.setdefault("response_id", resp.get("responseId") or resp.get("response_id"))
    return _logged_fields(
        row, req, resp, messages, meta,
        output=output,
        ts=pick(row, "ts", "timestamp", "logging_time") or resp.get("createTime") or resp.get("create_time"),
        model=resp.get("modelVersion") or resp.get("model_version") or req.get("model") or row.get("model"),
        tokens_in=usage.get("promptTokenCount"),
        tokens_out=_gemini_out_tokens(usage, meta),
    )


# ---------------------------------------------------------------- user mapping

_MAP_TARGETS = {"input", "messages", "output", "ts", "model", "latency_ms", "tokens_in", "tokens_out", "cost_usd",
                "feedback", "labels", "id", "system", "error"}


def parse_mapping(spec: str | dict[str, str] | None) -> dict[str, str]:
    """``"input=request.messages,output=response.text"`` -> ``{"input": "request.messages", ...}``.
    Targets: input, output, ts, model, latency_ms, tokens_in, tokens_out, cost_usd, feedback,
    feedback.thumb/rating/comment, labels, id, system, metadata.<name>."""
    if not spec:
        return {}
    if isinstance(spec, str):
        pairs = [p.strip() for p in spec.split(",") if p.strip()]
        out = {}
        for p in pairs:
            if "=" not in p:
                raise InputError(f"--map entry {p!r} is not target=path", hint="e.g. --map input=request.messages,output=response.text")
            k, v = p.split("=", 1)
            out[k.strip()] = v.strip()
        spec = out
    for target in spec:
        if target not in _MAP_TARGETS and not target.startswith(("metadata.", "feedback.")):
            raise InputError(
                f"--map target {target!r} is not a record field",
                hint=f"use one of: {', '.join(sorted(_MAP_TARGETS))}, feedback.thumb, metadata.<name>",
            )
    return dict(spec)


_MISSING = object()


def get_path(row: Any, path: str) -> Any:
    """Follow a dotted path (``response.choices.0.message.content``); a key that itself
    contains dots (``attributes.llm.model_name``) is tried whole first, and JSON text on the
    way is read as the object or list it holds."""
    if isinstance(row, dict) and path in row:
        return row[path]
    head, _, rest = path.partition(".")
    if isinstance(row, dict):
        if head not in row:
            # keys with dots inside: try the longest prefix present
            parts = path.split(".")
            for i in range(len(parts) - 1, 1, -1):
                key = ".".join(parts[:i])
                if key in row:
                    return get_path(row[key], ".".join(parts[i:]))
            return _MISSING
        value = row[head]
    elif isinstance(row, list) and head.lstrip("-").isdigit():
        i = int(head)
        if not -len(row) <= i < len(row):
            return _MISSING
        value = row[i]
    else:
        return _MISSING
    if rest and type(value) is str and value.lstrip()[:1] in ("{", "["):  # JSON text on the way (a CSV cell, a string column)
        try:
            value = orjson.loads(value)
        except orjson.JSONDecodeError:
            return _MISSING
    return get_path(value, rest) if rest else value


_PLAIN_TARGETS = ("ts", "model", "latency_ms", "tokens_in", "tokens_out", "cost_usd", "feedback", "labels")
_ALIAS_TARGETS = frozenset({"ts", "model", "latency_ms", "tokens_in", "tokens_out", "cost_usd"})
"""Of those, the ones other names can give (:func:`~assay.ingest._normalise.aliased`)."""


def mapped(mapping: dict[str, str]) -> Callable[[Any], Fields]:
    """A normaliser that reads each record field from the dotted path the user gave."""
    roots = {p.split(".", 1)[0] for p in mapping.values()}

    def normalise_mapped(row: Any) -> Fields:
        if not isinstance(row, dict):
            raise RowError(f"expected an object, got {type(row).__name__}")
        got: dict[str, Any] = {}
        for target, path in mapping.items():
            value = get_path(row, path)
            if value is _MISSING or (value is None and target in ("input", "messages")):  # (an empty cell)
                if target in ("input", "messages"):
                    raise RowError(f"missing required field: {path} (mapped to {target})")
                continue
            got[target] = value
        # the record fields the mapping does not name, read from the row's own columns of those names
        free = [t for t in _PLAIN_TARGETS if t not in mapping]
        rest = {k: v for k, v in row.items() if k not in roots}
        plain = {t: rest[t] for t in free if rest.get(t) is not None}
        alias, used = aliased(rest, [t for t in free if t not in plain and t in _ALIAS_TARGETS])
        used.update(plain)
        got.update(plain)
        got.update(alias)
        for t in ("feedback", "labels"):  # a JSON column exported as text (Snowflake's VARIANT)
            if type(got.get(t)) is str and got[t].lstrip()[:1] in ("{", "["):
                got[t] = decode_cell(got[t])
        meta = {k: v for k, v in rest.items() if k not in used}
        for t, v in got.items():
            if t.startswith("metadata."):
                meta[t.removeprefix("metadata.")] = v
        fb = got.get("feedback")
        sub = {t.removeprefix("feedback."): v for t, v in got.items() if t.startswith("feedback.")}
        if sub:
            fb = {**(fb if isinstance(fb, dict) else {}), **sub}
        msgs = chat_messages(got.get("input", got.get("messages")), mapping.get("input", mapping.get("messages", "input")))
        if got.get("system"):
            msgs.insert(0, message("system", content_text(got["system"], mapping["system"])))
        output = got.get("output")
        if output is not None and not isinstance(output, str):
            output = content_text(output, mapping["output"]) if isinstance(output, list) else str(output)
        if output in (None, ""):  # a failed call's row: its error, mapped or the row's own
            failed = failed_call(row, got.get("error"))
            if failed is not None:
                raise RowError(failed)
        if output is None and "output" not in mapping:
            output = answer_from(msgs)
        if got.get("id") is not None:
            meta.setdefault("source_id", got["id"])
        return fields(
            msgs,
            output=output,
            ts=got.get("ts"),
            model=got.get("model"),
            latency_ms=got.get("latency_ms"),
            tokens_in=got.get("tokens_in"),
            tokens_out=got.get("tokens_out"),
            cost_usd=got.get("cost_usd"),
            metadata=meta,
            feedback_value=fb,
            labels=got.get("labels"),
        )

    return normalise_mapped
