"""Trace exports as row shapes: OpenTelemetry GenAI spans (OTLP JSON), Langfuse
observations and traces, Arize Phoenix (OpenInference) spans, LangSmith runs, Braintrust
project logs, W&B Weave calls, Helicone request exports, Amazon Bedrock invocation logs,
MLflow traces, PostHog LLM analytics events, Opik traces, Cloudflare AI Gateway logs.

Only spans/runs that are a model call become records; the rest of a trace (HTTP spans,
tool executions, chains) is counted as skipped, not quarantined.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson

from assay.ingest._normalise import (
    RowError,
    chat_message,
    chat_messages,
    content_text,
    dumps,
    fields,
    first_line,
    message,
    number,
    parse_ts,
    tool_call_text,
)
from assay.ingest._shapes import (
    Fields,
    get_shape,
    _responses_input,
    _responses_output,
    extra_meta,
    normalise_anthropic,
    normalise_openai,
    normalise_responses,
    pick,
    shape,
)
from assay.records import Message

SKIP = None  # what ``explode`` yields for a row that is not a model call


def _maybe_json(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("[", "{"):
        try:
            return orjson.loads(value)
        except orjson.JSONDecodeError:
            return value
    return value


def _latency(start: Any, end: Any) -> float | None:
    a, b = parse_ts(start, "start_time"), parse_ts(end, "end_time")
    if a is None or b is None:
        return None
    return max((b - a).total_seconds() * 1000.0, 0.0)


# ---------------------------------------------------------------- OpenTelemetry GenAI

def _any_value(v: Any) -> Any:
    if not isinstance(v, dict):
        return v
    if "stringValue" in v:
        return v["stringValue"]
    if "intValue" in v:
        return int(v["intValue"])
    if "doubleValue" in v:
        return float(v["doubleValue"])
    if "boolValue" in v:
        return bool(v["boolValue"])
    if "arrayValue" in v:
        return [_any_value(x) for x in (v["arrayValue"] or {}).get("values", [])]
    if "kvlistValue" in v:
        return {kv["key"]: _any_value(kv.get("value")) for kv in (v["kvlistValue"] or {}).get("values", [])}
    if "bytesValue" in v:
        return "[binary]"
    return None if not v else v


def otel_attrs(attrs: Any) -> dict[str, Any]:
    """OTLP ``[{key, value: {stringValue: ...}}]`` (or an already flat dict) -> flat dict."""
    if isinstance(attrs, dict):
        return dict(attrs)
    if not isinstance(attrs, list):
        return {}
    return {a["key"]: _any_value(a.get("value")) for a in attrs if isinstance(a, dict) and "key" in a}


_CHAT_OPS = {"chat", "text_completion", "generate_content", "completion"}
_AI_SDK_CALLS = (".doGenerate", ".doStream")
"""``ai.operationId`` of the Vercel AI SDK's spans that are one call to the model
(``ai.generateText.doGenerate``, ``ai.streamObject.doStream``, ...). The spans around them
(``ai.generateText``, which may hold several steps, and ``ai.toolCall``) are skipped, so
a call is not counted twice."""


def _is_genai(attrs: dict[str, Any]) -> bool:
    kind = attrs.get("openinference.span.kind")
    if isinstance(kind, str):  # OpenInference (Arize, Phoenix) sent over OTLP: only its LLM spans are model calls
        return kind.upper() == "LLM"
    if attrs.get("llm.request.type") in ("embedding", "rerank"):  # OpenLLMetry's embedding calls
        return False
    ai_op = attrs.get("ai.operationId")
    if isinstance(ai_op, str):  # the Vercel AI SDK: only its provider calls are model calls
        return ai_op.endswith(_AI_SDK_CALLS)
    op = attrs.get("gen_ai.operation.name")
    if op is not None:
        return op in _CHAT_OPS
    if any(k.startswith(("gen_ai.prompt", "gen_ai.input.messages", "gen_ai.request.model")) for k in attrs):
        return True
    return _logfire_request(attrs) is not None


def _logfire_request(attrs: dict[str, Any]) -> dict[str, Any] | None:
    """Pydantic Logfire's ``instrument_openai`` / ``instrument_anthropic`` spans: the call's
    arguments as ``request_data`` (JSON), its answer as ``response_data`` (``{message, usage}``)."""
    req = _maybe_json(attrs.get("request_data"))
    return req if isinstance(req, dict) and isinstance(req.get("messages"), (list, str)) else None


def explode_otel(row: Any) -> Iterator[Any]:
    """An OTLP export (``{resourceSpans: [...]}``) -> one row per span, with the resource
    attributes attached; spans that are not model calls yield ``SKIP``."""
    if not isinstance(row, dict) or "resourceSpans" not in row:
        # one span a row: a span that is no model call is skipped, as inside an export (a row
        # that is no span at all goes on, to be quarantined)
        is_span = isinstance(row, dict) and ("spanId" in row and "traceId" in row or _console_span(row))
        yield SKIP if is_span and not _is_genai(otel_attrs(row.get("attributes"))) else row
        return
    for rs in row.get("resourceSpans") or []:
        resource = otel_attrs((rs.get("resource") or {}).get("attributes"))
        for ss in rs.get("scopeSpans") or rs.get("instrumentationLibrarySpans") or []:
            for span in ss.get("spans") or []:
                if not isinstance(span, dict):
                    yield span
                    continue
                if not _is_genai(otel_attrs(span.get("attributes"))):
                    yield SKIP
                    continue
                yield {**span, "_resource": resource}


def _console_span(row: dict[str, Any]) -> bool:
    """A span as the OpenTelemetry Python SDK's console exporter (``ReadableSpan.to_json()``)
    writes it: ``context.span_id``, ISO times, flat ``attributes`` with ``gen_ai.*`` keys."""
    ctx, attrs = row.get("context"), row.get("attributes")
    return (isinstance(ctx, dict) and "span_id" in ctx and isinstance(attrs, dict) and "openinference.span.kind" not in attrs
            and any(k.startswith(("gen_ai.", "ai.operationId")) for k in attrs))


def _is_otel(row: dict[str, Any]) -> bool:
    return "resourceSpans" in row or ("spanId" in row and "traceId" in row and "attributes" in row) or _console_span(row)


def _indexed(attrs: dict[str, Any], prefix: str) -> list[dict[str, Any]]:
    """OpenLLMetry-style ``gen_ai.prompt.0.role`` / ``gen_ai.prompt.0.content`` -> list of dicts."""
    items: dict[int, dict[str, Any]] = {}
    for k, v in attrs.items():
        if k.startswith(prefix + "."):
            idx, _, field = k[len(prefix) + 1:].partition(".")
            if idx.isdigit() and field:
                items.setdefault(int(idx), {})[field] = v
    return [items[i] for i in sorted(items)]


def _llmetry_items(items: list[dict[str, Any]], role: str | None = None) -> list[dict[str, Any]]:
    """OpenLLMetry's indexed messages as chat messages: ``tool_calls.M.name`` /
    ``tool_calls.M.arguments`` keys as tool calls, list content written as JSON text read as
    its parts, a ``refusal`` as the text, a legacy completion's ``user`` prompt as the user's."""
    out = []
    for item in items:
        m = dict(item)
        if role is not None:
            m["role"] = role
        elif "role" not in m and isinstance(m.get("user"), str):
            m = {"role": "user", "content": m["user"]}
        calls: dict[int, dict[str, Any]] = {}
        for k in [k for k in m if k.startswith("tool_calls.")]:
            idx, _, field = k[len("tool_calls."):].partition(".")
            if idx.isdigit() and field:
                calls.setdefault(int(idx), {})[field] = m.pop(k)
        if calls:
            m["tool_calls"] = [{"function": {"name": c.get("name"), "arguments": c.get("arguments")}} for _, c in sorted(calls.items())]
        content = m.get("content")
        if isinstance(content, str) and content.startswith("[{"):
            parts = _maybe_json(content)
            if isinstance(parts, list) and all(isinstance(p, dict) and "type" in p for p in parts):
                m["content"] = parts
        if not m.get("content") and isinstance(m.get("refusal"), str):
            m["content"] = m["refusal"]
        out.append(m)
    return out


def _error_status(span: dict[str, Any], a: dict[str, Any]) -> str | None:
    """The message of a span whose status is an error (OTLP code 2), else None."""
    status = span.get("status") if isinstance(span.get("status"), dict) else {}
    code = status.get("code", status.get("status_code", span.get("status_code")))
    if code in (2, "2", "STATUS_CODE_ERROR", "ERROR", "Error"):
        return str(status.get("message") or status.get("description") or span.get("status_message") or a.get("error.type")
                   or "error status")
    return None


def _otel_event_messages(events: list[dict[str, Any]]) -> tuple[list[Message], str | None]:
    msgs: list[Message] = []
    output: str | None = None
    for i, ev in enumerate(events):
        name = ev.get("name", "")
        a = otel_attrs(ev.get("attributes"))
        body = _maybe_json(a.get("gen_ai.event.content", a.get("body", a.get("event.body"))))
        if name in ("gen_ai.system.message", "gen_ai.user.message", "gen_ai.assistant.message", "gen_ai.tool.message"):
            role = name.split(".")[1]
            payload = body if isinstance(body, dict) else (
                {k: a[k] for k in ("content", "tool_calls", "tool_call_id") if k in a} or {"content": body})
            # (an assistant message's tool calls, and content sent as JSON text, are read as in any message)
            msgs.append(chat_message({**payload, "role": role, "content": _maybe_json(payload.get("content"))}, f"events.{i}"))
        elif name == "gen_ai.choice":
            payload = body if isinstance(body, dict) else a
            choice = _maybe_json(payload.get("message")) or {"content": payload.get("content")}
            if isinstance(choice, list):  # the message as its content blocks (Strands)
                choice = {"content": choice}
            if isinstance(choice, dict):
                choice = {**choice, "content": _maybe_json(choice.get("content"))}
            output = chat_messages([{"role": "assistant", **choice}], f"events.{i}")[0].content
        elif name == "gen_ai.content.prompt":
            msgs += chat_messages(_maybe_json(a.get("gen_ai.prompt")), f"events.{i}.gen_ai.prompt")
        elif name == "gen_ai.content.completion":
            comp = _maybe_json(a.get("gen_ai.completion"))
            output = comp if isinstance(comp, str) else "\n".join(m.content for m in chat_messages(comp, f"events.{i}"))
        elif name == "gen_ai.client.inference.operation.details":
            if a.get("gen_ai.system_instructions") is not None:
                msgs.append(message("system", content_text(_maybe_json(a["gen_ai.system_instructions"]),
                                                           f"events.{i}.gen_ai.system_instructions")))
            if a.get("gen_ai.input.messages") is not None:
                msgs += chat_messages(_maybe_json(a["gen_ai.input.messages"]), f"events.{i}.gen_ai.input.messages")
            if a.get("gen_ai.output.messages") is not None:
                output = "\n".join(m.content for m in chat_messages(_maybe_json(a["gen_ai.output.messages"]), "gen_ai.output.messages"))
    return msgs, output


@shape("otel", detect=_is_otel, explode=explode_otel)
def normalise_otel(span: Any) -> Fields:
    """One OpenTelemetry GenAI span: ``gen_ai.*`` attributes, ``gen_ai.input.messages`` /
    ``gen_ai.output.messages``, per-message events, or the older ``gen_ai.prompt.N.*`` form."""
    if not isinstance(span, dict):
        raise RowError(f"span: expected an object, got {type(span).__name__}")
    a = otel_attrs(span.get("attributes"))
    msgs: list[Message] = []
    output: str | None = None
    if a.get("gen_ai.system_instructions") is not None:
        msgs.append(message("system", content_text(_maybe_json(a["gen_ai.system_instructions"]), "gen_ai.system_instructions")))
    if a.get("gen_ai.input.messages") is not None:
        msgs += chat_messages(_maybe_json(a["gen_ai.input.messages"]), "gen_ai.input.messages")
    choices = 0
    if a.get("gen_ai.output.messages") is not None:  # one message a choice: the first is the answer, as in every shape
        outs = chat_messages(_maybe_json(a["gen_ai.output.messages"]), "gen_ai.output.messages")
        output, choices = (outs[0].content if outs else ""), len(outs)
    if isinstance(a.get("openinference.span.kind"), str):  # OpenInference sent over OTLP: read as Phoenix's spans
        return _openinference_span(span, a)
    adk = _maybe_json(a.get("gcp.vertex.agent.llm_request"))
    if isinstance(adk, dict) and adk.get("contents"):  # Google ADK's call_llm spans: the Gemini request and response
        return _adk_span(span, a, adk)
    if not msgs and _indexed(a, "gen_ai.prompt"):
        msgs = chat_messages(_llmetry_items(_indexed(a, "gen_ai.prompt")), "gen_ai.prompt")
    if output is None and _indexed(a, "gen_ai.completion"):
        output = "\n".join(m.content for m in chat_messages(
            _llmetry_items(_indexed(a, "gen_ai.completion"), role="assistant"), "gen_ai.completion"))
    if not msgs or output is None:
        events = [e for e in span.get("events") or [] if isinstance(e, dict)]
        logged = _maybe_json(a.get("events"))
        from_attr = not events and isinstance(logged, list)
        if from_attr:  # Logfire's events as one attribute: [{"event.name": ..., ...}]
            events = [{"name": e.get("event.name"), "attributes": e} for e in logged if isinstance(e, dict)]
        ev_msgs, ev_out = _otel_event_messages(events)
        if from_attr and ev_out is None and len(ev_msgs) > 1 and ev_msgs[-1].role == "assistant":
            ev_msgs, ev_out = ev_msgs[:-1], ev_msgs[-1].content  # the conversation's last answer is the call's
        if from_attr:
            a = {k: v for k, v in a.items() if k != "events"}
        msgs = msgs or ev_msgs
        output = output if output is not None else ev_out
    logfire = _logfire_request(a) if not msgs else None
    usage: dict[str, Any] = {}
    if logfire is not None:
        if isinstance(logfire.get("system"), (str, list)) and logfire["system"]:  # Anthropic's system prompt
            msgs.append(message("system", content_text(logfire["system"], "request_data.system")))
        msgs += chat_messages(logfire["messages"], "request_data.messages")
        resp = _maybe_json(a.get("response_data"))
        if isinstance(resp, dict):
            usage = resp.get("usage") if isinstance(resp.get("usage"), dict) else {}
            if output is None and isinstance(resp.get("message"), dict):
                output = chat_messages([{**resp["message"], "role": "assistant"}], "response_data.message")[0].content
    ai_sdk = isinstance(a.get("ai.operationId"), str)
    if ai_sdk and not msgs and a.get("ai.prompt.messages") is not None:
        msgs = chat_messages(_maybe_json(a["ai.prompt.messages"]), "ai.prompt.messages")
    if ai_sdk and output is None:
        output = _ai_sdk_output(a)
    failed = _error_status(span, a)
    if failed is not None and not output:
        raise RowError(f"the call failed: {first_line(failed, 'error status')}")
    if not msgs:
        if ai_sdk:
            raise RowError("Vercel AI SDK span without its prompt (ai.prompt.messages): the app records it unless "
                           "experimental_telemetry sets recordInputs: false")
        raise RowError("span has gen_ai attributes but no prompt: no gen_ai.input.messages, gen_ai.prompt.* or message events "
                       "(the official instrumentations record the messages only with "
                       "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true, and some send them as log records: then "
                       "ingest the logs export in the same command)")
    meta = {k: v for k, v in a.items() if not k.startswith(_NOT_META)}
    if choices > 1:
        meta["n_choices"] = choices
    tools = _maybe_json(meta.pop("gen_ai.tool.definitions", None))
    if tools:  # the tools offered, as every shape keeps them (stored once)
        meta["tools"] = tools
    if logfire is not None:
        meta.pop("request_data", None)
        meta.pop("response_data", None)
        meta.update({k: v for k, v in logfire.items() if k not in ("messages", "system", "model")})  # temperature, tools ...
    if ai_sdk:
        for k in [k for k in meta if k.startswith(_AI_SDK_OWN)]:
            del meta[k]
        for k, v in a.items():  # the app's own metadata (experimental_telemetry.metadata) under its own names
            if k.startswith(_AI_SDK_METADATA):
                meta.setdefault(k[len(_AI_SDK_METADATA):], v)
        tools = a.get("ai.prompt.tools")
        if tools:
            meta["tools"] = [_maybe_json(t) for t in tools] if isinstance(tools, list) else _maybe_json(tools)
    ctx = span.get("context") if isinstance(span.get("context"), dict) else {}
    resource = span.get("_resource") or otel_attrs((span.get("resource") or {}).get("attributes") if isinstance(span.get("resource"), dict) else None)
    meta.update({k: v for k, v in resource.items()})
    meta.update({"trace_id": span.get("traceId", ctx.get("trace_id")), "span_id": span.get("spanId", ctx.get("span_id")),
                 "span_name": span.get("name")})
    start, end = span.get("startTimeUnixNano", span.get("start_time")), span.get("endTimeUnixNano", span.get("end_time"))
    return fields(
        msgs,
        output=output,
        ts=start,
        model=pick(a, "gen_ai.response.model", "gen_ai.request.model", "ai.response.model", "ai.model.id")
        or (logfire or {}).get("model"),
        latency_ms=_latency(start, end),
        tokens_in=pick(a, "gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens", "ai.usage.inputTokens", "ai.usage.promptTokens")
        if not usage else pick(usage, "prompt_tokens", "input_tokens"),
        tokens_out=pick(a, "gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens", "ai.usage.outputTokens",
                        "ai.usage.completionTokens") if not usage else pick(usage, "completion_tokens", "output_tokens"),
        cost_usd=a.get("gen_ai.usage.cost"),
        metadata=meta,
    )


def _adk_span(span: dict[str, Any], a: dict[str, Any], req: dict[str, Any]) -> Fields:
    """A Google ADK ``call_llm`` span: ``gcp.vertex.agent.llm_request`` (model, config with the
    system instruction and tools, contents) and ``gcp.vertex.agent.llm_response`` (content,
    finish_reason, usage_metadata), read as the ``gemini`` shape reads a request and response."""
    config = req.get("config") if isinstance(req.get("config"), dict) else {}
    resp = _maybe_json(a.get("gcp.vertex.agent.llm_response"))
    resp = resp if isinstance(resp, dict) else {}
    failed = _error_status(span, a)
    if failed is not None and not resp.get("content"):
        raise RowError(f"the call failed: {first_line(failed, 'error status')}")
    request: dict[str, Any] = {"contents": req["contents"], "model": req.get("model")}
    system = config.get("system_instruction")
    if system:
        request["systemInstruction"] = {"parts": [{"text": system}]} if isinstance(system, str) else system
    if config.get("tools"):
        request["tools"] = config["tools"]
    response: dict[str, Any] = {"usageMetadata": resp.get("usage_metadata") or resp.get("usageMetadata") or {}}
    if resp.get("content"):
        response["candidates"] = [{"content": resp["content"], "finishReason": resp.get("finish_reason")}]
    f = get_shape("gemini").normalise({"request": request, "response": response})
    meta = f["metadata"]
    for k, v in a.items():
        if k.startswith("gcp.vertex.agent.") and k not in ("gcp.vertex.agent.llm_request", "gcp.vertex.agent.llm_response"):
            meta.setdefault(k[len("gcp.vertex.agent."):], v)
    meta.update({k: v for k, v in (span.get("_resource") or {}).items()})
    meta.update({"trace_id": span.get("traceId"), "span_id": span.get("spanId"), "span_name": span.get("name")})
    f["ts"] = parse_ts(span.get("startTimeUnixNano"), "startTimeUnixNano") if span.get("startTimeUnixNano") else f["ts"]
    f["latency_ms"] = _latency(span.get("startTimeUnixNano"), span.get("endTimeUnixNano")) if span.get("endTimeUnixNano") else None
    f["model"] = f["model"] or a.get("gen_ai.request.model")
    return f


def _openinference_span(span: dict[str, Any], a: dict[str, Any]) -> Fields:
    """An OpenInference LLM span in an OTLP export, read as the ``phoenix`` shape reads its
    spans, with the span's own times, status and resource."""
    failed = _error_status(span, a)
    row = {"name": span.get("name"), "span_kind": "LLM", "attributes": a,
           "start_time": span.get("startTimeUnixNano"), "end_time": span.get("endTimeUnixNano"),
           "context": {"trace_id": span.get("traceId"), "span_id": span.get("spanId")},
           "status_code": "ERROR" if failed is not None else None, "status_message": failed}
    f = normalise_phoenix(row)
    for k, v in (span.get("_resource") or {}).items():
        f["metadata"].setdefault(k, v)
    return f


_NOT_META = ("gen_ai.prompt.", "gen_ai.completion.", "gen_ai.input.messages", "gen_ai.output.messages",
             "gen_ai.system_instructions", "gen_ai.usage.")
_AI_SDK_OWN = ("ai.prompt.messages", "ai.prompt.tools", "ai.response.text", "ai.response.toolCalls", "ai.response.object",
               "ai.result.", "ai.usage.", "ai.telemetry.metadata.")
"""What a Vercel AI SDK span holds that becomes the record's own fields (the prompt, the
answer, the token counts; the tools become ``tools``), so it is not kept as metadata too."""
_AI_SDK_METADATA = "ai.telemetry.metadata."


def _ai_sdk_output(a: dict[str, Any]) -> str | None:
    """The answer of a Vercel AI SDK call: its text, the object it generated (JSON text),
    and its tool calls; ``ai.result.*`` in SDK versions before 4."""
    text = pick(a, "ai.response.text", "ai.result.text")
    obj = pick(a, "ai.response.object", "ai.result.object")
    calls = _maybe_json(pick(a, "ai.response.toolCalls", "ai.result.toolCalls"))
    if text is None and obj is None and calls is None:
        return None
    parts = [text if isinstance(text, str) else dumps(text)] if text is not None else []
    if obj is not None:
        parts.append(obj if isinstance(obj, str) else dumps(obj))
    if isinstance(calls, list):
        for i, call in enumerate(calls):
            if not isinstance(call, dict):
                raise RowError(f"ai.response.toolCalls.{i}: expected an object, got {type(call).__name__}")
            parts.append(tool_call_text(call.get("toolName"), call.get("input", call.get("args"))))
    elif calls is not None:
        raise RowError(f"ai.response.toolCalls: expected a JSON list, got {type(calls).__name__}")
    return "\n".join(p for p in parts if p)


# ---------------------------------------------------------------- Langfuse

_LF_TYPES = {"GENERATION", "SPAN", "EVENT", "AGENT", "TOOL", "CHAIN", "RETRIEVER", "EMBEDDING", "EVALUATOR", "GUARDRAIL"}


_LF_TEXT_KEYS = ("prompt", "input", "query", "question", "text", "completion", "output", "answer", "content")
"""The key that holds the text when a generation's input or output is an object of them."""


def _is_langfuse(row: dict[str, Any]) -> bool:
    if "traceId" in row and row.get("type") in _LF_TYPES and "startTime" in row:
        return True
    if "trace_id" in row and row.get("type") in _LF_TYPES and "start_time" in row:  # its tables, synced to a warehouse
        return True
    if "input" in row and "timestamp" in row and "session_id" in row and "project_id" in row:
        return True
    return "input" in row and "timestamp" in row and ("sessionId" in row or "htmlPath" in row or "observations" in row)


_LF_COLUMNS = {
    "trace_id": "traceId", "start_time": "startTime", "end_time": "endTime", "status_message": "statusMessage",
    "usage_details": "usageDetails", "cost_details": "costDetails", "total_cost": "totalCost",
    "calculated_total_cost": "calculatedTotalCost", "model_parameters": "modelParameters",
    "parent_observation_id": "parentObservationId", "completion_start_time": "completionStartTime",
    "session_id": "sessionId", "user_id": "userId", "provided_usage_details": "providedUsageDetails",
    "provided_cost_details": "providedCostDetails", "internal_model_id": "internalModelId",
}
"""Langfuse's own table columns (ClickHouse in v3, PostgreSQL before; what a sync of them to
a warehouse or its blob storage export holds) under the names its API gives them."""


def _lf_camel(row: dict[str, Any]) -> dict[str, Any]:
    """A row of Langfuse's tables with the API's names: ``provided_model_name`` as the model,
    PostgreSQL's ``prompt_tokens`` / ``completion_tokens`` columns as the usage."""
    if "traceId" in row or ("trace_id" not in row and "session_id" not in row):
        return row
    out = {_LF_COLUMNS.get(k, k): v for k, v in row.items()}
    if out.get("model") is None and out.get("provided_model_name"):
        out["model"] = out.pop("provided_model_name")
    if not out.get("usageDetails") and not out.get("usage") and (out.get("prompt_tokens") is not None
                                                                 or out.get("completion_tokens") is not None):
        out["usage"] = {"input": out.pop("prompt_tokens", None), "output": out.pop("completion_tokens", None)}
        out.pop("total_tokens", None)
    return out


_LF_TRACE_KEYS = ("userId", "sessionId", "release", "version", "environment")


def _explode_langfuse(row: Any) -> Iterator[Any]:
    """An observation: itself if a GENERATION, else ``SKIP``. A trace with its observations
    (the API's trace with full details, the UI's trace download): its GENERATION
    observations, each with the trace's user, session, tags, metadata and the scores given
    to it or to the whole trace; the trace itself when it holds none."""
    if not isinstance(row, dict):
        yield row
        return
    if row.get("type") in _LF_TYPES:
        yield _lf_camel(row) if row["type"] == "GENERATION" else SKIP
        return
    row = _lf_camel(row)
    obs = row.get("observations")
    if not (isinstance(obs, list) and any(isinstance(o, dict) and o.get("type") == "GENERATION" for o in obs)):
        yield row  # a trace (its observations as ids, if any): one record of its own input and output
        return
    context = {k: row[k] for k in _LF_TRACE_KEYS if row.get(k) not in (None, "")}
    if row.get("name"):
        context["trace_name"] = row["name"]
    if row.get("tags"):
        context["tags"] = row["tags"]
    scores = [s for s in row.get("scores") or [] if isinstance(s, dict)]
    for o in obs:
        if not isinstance(o, dict) or o.get("type") != "GENERATION":
            yield SKIP
            continue
        own = [s for s in scores if s.get("observationId") in (None, o.get("id"))]
        yield {**o, "_trace": {**context, "metadata": row.get("metadata")}, **({"scores": own} if own else {})}


def _langfuse_feedback(scores: Any) -> dict[str, Any] | None:
    if not isinstance(scores, list):
        return None
    fb: dict[str, Any] = {}
    for s in scores:
        if not isinstance(s, dict):
            continue
        name = str(s.get("name", "")).lower()
        value = s.get("value", s.get("stringValue"))
        if "rating" in name:
            fb["rating"] = value
        elif any(w in name for w in ("thumb", "feedback", "user", "like", "vote")):
            fb["thumb"] = value
        if s.get("comment"):
            fb["comment"] = s["comment"]
    return fb or None


@shape("langfuse", detect=_is_langfuse, explode=_explode_langfuse,
       json_fields=("usage", "usageDetails", "costDetails", "scores", "modelParameters", "usage_details", "cost_details",
                    "model_parameters", "provided_usage_details"))
def normalise_langfuse(row: Any) -> Fields:
    """Langfuse exports: a GENERATION observation (``input``, ``output``, ``model``,
    ``usage``/``usageDetails``, ``calculatedTotalCost``) or a trace (``input``, ``output``, ``scores``)."""
    if not isinstance(row, dict):
        raise RowError(f"expected an object, got {type(row).__name__}")
    if row.get("input") is None:
        raise RowError("missing required field: input")
    out = _maybe_json(row.get("output"))
    if out is None and row.get("level") == "ERROR":
        raise RowError(f"the call failed (level ERROR): {row.get('statusMessage') or 'no status message'}")
    inp = _maybe_json(row["input"])
    args = None
    if isinstance(inp, dict) and "messages" not in inp:  # an app's arguments, or a completion's {"prompt": ...}
        key = next((k for k in _LF_TEXT_KEYS if isinstance(inp.get(k), str)), None)
        if key is not None:
            args = {k: v for k, v in inp.items() if k != key} or None
            inp = inp[key]
    msgs = chat_messages(inp, "input")
    if isinstance(out, dict) and "content" not in out and "choices" not in out:
        key = next((k for k in _LF_TEXT_KEYS if isinstance(out.get(k), str)), None)
        if key is not None:
            out = out[key]
    if isinstance(out, dict):
        if "choices" in out:
            out = (out["choices"] or [{}])[0].get("message", {})
        out = chat_messages([{"role": "assistant", **out}] if "content" in out else [{"role": "assistant", "content": orjson.dumps(out).decode()}], "output")[0].content
    elif isinstance(out, list):
        out = content_text(out, "output")
    usage = row.get("usageDetails") or row.get("usage") or {}
    cost = pick(row, "calculatedTotalCost", "totalCost")
    if cost is None and isinstance(row.get("costDetails"), dict):
        cost = row["costDetails"].get("total")
    latency = _latency(row.get("startTime"), row.get("endTime")) if row.get("endTime") else None
    if latency is None and row.get("latency") is not None:
        latency = float(row["latency"]) * 1000.0  # Langfuse reports latency in seconds
    meta = extra_meta(row, {"input", "output", "model", "usage", "usageDetails", "costDetails", "calculatedTotalCost",
                            "totalCost", "startTime", "endTime", "timestamp", "latency", "scores", "metadata", "id", "_trace"})
    trace = row.get("_trace")
    if isinstance(trace, dict):  # a generation of a trace read whole: the trace's user, session, tags, metadata
        for k, v in trace.items():
            if k == "metadata":
                for mk, mv in (v.items() if isinstance(v, dict) else ()):
                    meta.setdefault(mk, mv)
            else:
                meta.setdefault(k, v)
    if row.get("id") is not None:
        meta["source_id"] = row["id"]
    if args is not None:
        meta.setdefault("input_args", args)
    return fields(
        msgs,
        output=out if out is None or isinstance(out, str) else str(out),
        ts=row.get("startTime") or row.get("timestamp"),
        model=row.get("model"),
        latency_ms=latency,
        tokens_in=pick(usage, "input", "promptTokens", "prompt_tokens", "input_tokens"),
        tokens_out=pick(usage, "output", "completionTokens", "completion_tokens", "output_tokens"),
        cost_usd=cost,
        metadata=meta,
        feedback_value=_langfuse_feedback(row.get("scores")),
    )


# ---------------------------------------------------------------- Arize Phoenix (OpenInference)

def _flatten(value: Any, prefix: str, out: dict[str, Any]) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _flatten(v, f"{prefix}.{k}" if prefix else str(k), out)
    else:
        out[prefix] = value


def _phoenix_attrs(row: dict[str, Any]) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    if isinstance(row.get("attributes"), dict):
        _flatten(row["attributes"], "", flat)
    for k, v in row.items():
        if k.startswith("attributes.") and v is not None:
            flat[k.removeprefix("attributes.")] = _maybe_json(v)
    return flat


def _oi_messages(attrs: dict[str, Any], key: str) -> list[dict[str, Any]]:
    """``llm.input_messages`` as a list (of ``{message: {role, content}}`` or flat
    ``message.role`` dicts) or flattened ``llm.input_messages.0.message.role`` keys."""
    value = attrs.get(key)
    items = value if isinstance(value, list) else [
        {k2: v for k2, v in d.items()} for d in _indexed(attrs, key)
    ]
    out = []
    for m in items:
        if not isinstance(m, dict):
            continue
        flat: dict[str, Any] = {}
        _flatten(m, "", flat)
        role = flat.get("message.role", flat.get("role"))
        content = flat.get("message.content", flat.get("content"))
        if content is None:  # content parts: ``message.contents.N.message_content.{type,text,image...}``
            groups: dict[str, dict[str, Any]] = {}
            for k, v in flat.items():
                head, sep, field = k.partition("message_content.")
                if sep and "contents." in head:
                    groups.setdefault(head, {})[field.split(".", 1)[0]] = v
            parts = []
            for _, g in sorted(groups.items(), key=lambda kv: [int(x) if x.isdigit() else 0 for x in kv[0].split(".")]):
                kind = g.get("type", "text")
                parts.append(str(g["text"]) if isinstance(g.get("text"), str) else f"[{kind}]")
            content = "\n".join(parts) if parts else None
        if content is None and isinstance(flat.get("message.contents"), list):  # the parts as a list (a dataframe's cell)
            parts = []
            for part in flat["message.contents"]:
                pf: dict[str, Any] = {}
                _flatten(part, "", pf)
                text_part = pf.get("message_content.text", pf.get("text"))
                parts.append(text_part if isinstance(text_part, str) else f"[{pf.get('message_content.type', pf.get('type', 'text'))}]")
            content = "\n".join(parts) if parts else None
        calls = [(flat.get(k[:-len("function.name")] + "function.arguments", {}), v) for k, v in sorted(flat.items())
                 if k.endswith("tool_call.function.name")]
        for call in flat.get("message.tool_calls") if isinstance(flat.get("message.tool_calls"), list) else ():
            # the calls as a list, as Phoenix's spans dataframe and Arize's export hold them
            cf: dict[str, Any] = {}
            _flatten(call, "", cf)
            name = cf.get("tool_call.function.name", cf.get("function.name"))
            if name is not None:
                calls.append((cf.get("tool_call.function.arguments", cf.get("function.arguments", {})), name))
        text = content_text(content, key) if content is not None else ""
        for args, name in calls:
            text = "\n".join(s for s in (text, tool_call_text(name, args)) if s)
        out.append({"role": role, "content": text})
    return out


def _is_phoenix(row: dict[str, Any]) -> bool:
    if _is_mlflow(row):  # MLflow 2's spans also have a context with a span_id
        return False
    if "span_kind" in row or "context.span_id" in row:
        return "ml_app" not in row and "start_ns" not in row  # (Datadog's spans have a span_kind too)
    return isinstance(row.get("context"), dict) and "span_id" in row["context"] and "attributes" in row and not _console_span(row)


def _explode_phoenix(row: Any) -> Iterator[Any]:
    if isinstance(row, dict):
        kind = row.get("span_kind") or _phoenix_attrs(row).get("openinference.span.kind")
        if kind is not None and str(kind).upper() != "LLM":
            yield SKIP
            return
    yield row


def _oi_output(value: Any) -> str | None:
    """``output.value``: text, or the provider's raw response as JSON (OpenInference sets it
    so when it has no output messages): the answer's text out of it."""
    raw, value = value, _maybe_json(value)
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, dict):
        if isinstance(value.get("choices"), list) and value["choices"] and isinstance(value["choices"][0], dict):
            ch = value["choices"][0]
            msg = ch.get("message") if isinstance(ch.get("message"), dict) else {"content": ch.get("text")}
            return chat_message({"role": "assistant", **msg}, "output.value.choices.0").content
        if isinstance(value.get("content"), list):  # an Anthropic message
            return chat_message({"role": "assistant", "content": value["content"]}, "output.value.content").content
    return raw if isinstance(raw, str) else orjson.dumps(value).decode()  # a JSON answer stays as it was written


@shape("phoenix", detect=_is_phoenix, explode=_explode_phoenix, json_fields=("attributes", "context", "events", "status"))
def normalise_phoenix(row: Any) -> Fields:
    """Arize Phoenix span exports (JSON spans or the spans dataframe as Parquet/CSV) with
    OpenInference attributes: ``llm.input_messages``, ``llm.output_messages``, ``llm.model_name``,
    ``llm.token_count.*``; ``input.value`` / ``output.value`` when there are no messages."""
    if not isinstance(row, dict):
        raise RowError(f"expected an object, got {type(row).__name__}")
    a = _phoenix_attrs(row)
    in_msgs = _oi_messages(a, "llm.input_messages")
    msgs = chat_messages(in_msgs, "llm.input_messages") if in_msgs else (
        chat_messages(_maybe_json(a["input.value"]), "input.value") if a.get("input.value") is not None else [])
    if not msgs:
        raise RowError("missing required field: llm.input_messages (or input.value)")
    out_msgs = _oi_messages(a, "llm.output_messages")
    if out_msgs:
        output: str | None = "\n".join(m.content for m in chat_messages([{**m, "role": m["role"] or "assistant"} for m in out_msgs], "llm.output_messages"))
    else:
        output = _oi_output(a.get("output.value"))
    status = row.get("status_code", a.get("status_code"))
    if output is None and isinstance(status, str) and status.upper() == "ERROR":
        raise RowError(f"the call failed: {row.get('status_message') or 'status ERROR'}")
    ctx = row.get("context") if isinstance(row.get("context"), dict) else {}
    meta = {k: v for k, v in a.items() if not k.startswith(("llm.input_messages", "llm.output_messages", "input.value", "output.value", "llm.token_count"))}
    app_meta = _maybe_json(meta.get("metadata"))
    if isinstance(app_meta, dict):  # OpenInference's ``metadata``: the app's own keys (locale, ...), as JSON text
        del meta["metadata"]
        for k, v in app_meta.items():
            meta.setdefault(k, v)
    meta.update({"trace_id": ctx.get("trace_id", row.get("context.trace_id")), "span_id": ctx.get("span_id", row.get("context.span_id")),
                 "span_name": row.get("name")})
    for k, v in row.items():  # annotations exported beside the span (Arize: annotation.correctness.label)
        if k.startswith(("annotation.", "annotations.", "eval.")) and v is not None:
            meta.setdefault(k, v)
    start, end = row.get("start_time"), row.get("end_time")
    return fields(
        msgs,
        output=output,
        ts=start,
        model=a.get("llm.model_name"),
        latency_ms=_latency(start, end) if start and end else None,
        tokens_in=a.get("llm.token_count.prompt"),
        tokens_out=a.get("llm.token_count.completion"),
        cost_usd=a.get("llm.cost.total"),
        metadata=meta,
    )


# ---------------------------------------------------------------- LangSmith

_LC_ROLES = {"HumanMessage": "user", "AIMessage": "assistant", "SystemMessage": "system", "ToolMessage": "tool",
             "FunctionMessage": "tool", "ChatMessage": "user", "AIMessageChunk": "assistant", "HumanMessageChunk": "user"}


def _lc(m: Any) -> Any:
    """A LangChain-serialised message (``{lc: 1, id: [..., "HumanMessage"], kwargs: {...}}``) -> ``{role, content}``."""
    if isinstance(m, dict) and m.get("lc") and isinstance(m.get("kwargs"), dict):
        kind = (m.get("id") or [""])[-1]
        kw = m["kwargs"]
        return {"role": _LC_ROLES.get(kind, kw.get("type", kind)), "content": kw.get("content"), "tool_calls": kw.get("tool_calls")}
    if isinstance(m, dict) and "type" in m and "content" in m and "role" not in m:
        return {"role": m["type"], "content": m["content"], "tool_calls": m.get("tool_calls")}
    return m


def _langsmith_tool_calls(calls: Any) -> Any:
    if not isinstance(calls, list):
        return None
    return [{"function": {"name": c.get("name"), "arguments": c.get("args", c.get("arguments"))}} if isinstance(c, dict) and "function" not in c else c for c in calls]


def _is_langsmith(row: dict[str, Any]) -> bool:
    return "run_type" in row and "inputs" in row


def _explode_langsmith(row: Any) -> Iterator[Any]:
    yield SKIP if isinstance(row, dict) and row.get("run_type") not in (None, "llm") else row


@shape("langsmith", detect=_is_langsmith, explode=_explode_langsmith,
       json_fields=("inputs", "outputs", "extra", "feedback_stats", "events", "tags", "serialized"))
def normalise_langsmith(row: Any) -> Fields:
    """LangSmith run exports (``run_type: llm``): LangChain or OpenAI-style ``inputs``,
    ``outputs.generations`` or ``outputs.choices``, token counts, cost and ``feedback_stats``."""
    if not isinstance(row, dict):
        raise RowError(f"expected an object, got {type(row).__name__}")
    inputs = row.get("inputs")
    if not isinstance(inputs, dict):
        raise RowError("inputs: expected an object")
    raw = inputs.get("messages", inputs.get("prompts", inputs.get("input", inputs.get("prompt"))))
    if raw is None:
        raise RowError("missing required field: inputs.messages (or inputs.prompts)")
    if isinstance(raw, list) and raw and isinstance(raw[0], list):
        raw = raw[0]  # LangChain batches: one conversation per prompt
    if isinstance(raw, list):
        raw = [_lc(m) for m in raw]
        raw = [{**m, "tool_calls": _langsmith_tool_calls(m.get("tool_calls"))} if isinstance(m, dict) else m for m in raw]
    msgs = chat_messages(raw, "inputs.messages")
    outputs = row.get("outputs") or {}
    output: str | None = None
    if isinstance(outputs, dict):
        if outputs.get("generations"):
            gen = outputs["generations"][0]
            gen = gen[0] if isinstance(gen, list) and gen else gen
            if isinstance(gen, dict):
                msg = _lc(gen.get("message")) if gen.get("message") else None
                if isinstance(msg, dict):
                    msg = {**msg, "role": "assistant", "tool_calls": _langsmith_tool_calls(msg.get("tool_calls"))}
                    output = chat_messages([msg], "outputs.generations.0.message")[0].content
                else:
                    output = str(gen.get("text", ""))
        elif outputs.get("choices"):
            ch = outputs["choices"][0]
            output = chat_messages([{"role": "assistant", **(ch.get("message") or {"content": ch.get("text")})}], "outputs.choices.0")[0].content
        elif isinstance(outputs.get("content"), list):  # an Anthropic message (``wrap_anthropic``)
            output = chat_message({"role": "assistant", "content": outputs["content"]}, "outputs.content").content
        elif isinstance(outputs.get("output"), str):
            output = outputs["output"]
    if output is None and row.get("error"):
        raise RowError(f"the run failed: {first_line(row['error'], 'error')}")
    usage = outputs.get("usage_metadata") or outputs.get("usage") if isinstance(outputs, dict) else None
    usage = usage if isinstance(usage, dict) else {}
    extra = row.get("extra") or {}
    inv = extra.get("invocation_params") or {}
    lmeta = extra.get("metadata") or {}
    fb: dict[str, Any] = {}
    for key, stat in (row.get("feedback_stats") or {}).items():
        avg = stat.get("avg") if isinstance(stat, dict) else stat
        if avg is None:
            continue
        if "rating" in key or "score" in key and not 0 <= avg <= 1:
            fb["rating"] = avg
        elif avg in (0, 1) or "thumb" in key or "user" in key:
            fb["thumb"] = "up" if avg >= 0.5 else "down"
    meta = {k: v for k, v in lmeta.items()}
    meta.update({k: row[k] for k in ("name", "tags", "session_id", "trace_id", "parent_run_id", "error", "status") if row.get(k) is not None})
    if row.get("feedback_stats"):
        meta["feedback_stats"] = row["feedback_stats"]
    if row.get("id") is not None:
        meta["source_id"] = row["id"]
    return fields(
        msgs,
        output=output,
        ts=row.get("start_time"),
        model=pick(inv, "model", "model_name") or lmeta.get("ls_model_name"),
        latency_ms=_latency(row.get("start_time"), row.get("end_time")) if row.get("end_time") else None,
        tokens_in=row.get("prompt_tokens") if row.get("prompt_tokens") is not None else pick(usage, "input_tokens", "prompt_tokens"),
        tokens_out=row.get("completion_tokens") if row.get("completion_tokens") is not None else pick(usage, "output_tokens", "completion_tokens"),
        cost_usd=row.get("total_cost"),
        metadata=meta,
        feedback_value=fb or None,
    )


# ---------------------------------------------------------------- Braintrust

_BT_OWN = frozenset({"input", "output", "expected", "error", "scores", "metadata", "metrics", "span_attributes", "created",
                     "id", "span_id", "root_span_id", "span_parents", "tags", "log_id", "project_id", "org_id", "_xact_id",
                     "_pagination_key", "context", "origin", "is_root", "comments", "audit_data"})


def _is_braintrust(row: dict[str, Any]) -> bool:
    return isinstance(row.get("span_attributes"), dict) and ("span_id" in row or "root_span_id" in row or "log_id" in row)


def _explode_braintrust(row: Any) -> Iterator[Any]:
    """Only ``llm`` spans are model calls: the trace's task, function, tool and score spans are skipped."""
    attrs = row.get("span_attributes") if isinstance(row, dict) else None
    yield SKIP if isinstance(attrs, dict) and attrs.get("type") != "llm" else row


def _bt_input(value: Any) -> list[Message]:
    value = _maybe_json(value)
    if isinstance(value, dict) and "messages" in value:  # logged as the request's arguments
        value = value["messages"]
    if isinstance(value, list) and value and all(isinstance(i, dict) and "role" not in i and i.get("type") for i in value):
        return _responses_input(value, "input")  # a Responses API span's input items
    return chat_messages(value, "input")


def _bt_output(value: Any) -> str | None:
    """A chat completion's ``choices``, Responses API output items, content blocks, a
    message, or text."""
    value = _maybe_json(value)
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, list) and value and isinstance(value[0], dict):
        first = value[0]
        if "message" in first or "finish_reason" in first:  # choices
            msg = first.get("message") or {}
            return chat_messages([{**msg, "role": "assistant"}], "output.0.message")[0].content if msg else None
        if first.get("type") in ("message", "function_call", "reasoning", "custom_tool_call", "web_search_call"):
            return _responses_output(value, "output")
        return content_text(value, "output")
    if isinstance(value, dict) and ("content" in value or "tool_calls" in value):
        return chat_messages([{**value, "role": "assistant"}], "output")[0].content
    return dumps(value)


@shape("braintrust", detect=_is_braintrust, explode=_explode_braintrust,
       json_fields=("span_attributes", "metrics", "scores", "tags", "span_parents"))
def normalise_braintrust(row: Any) -> Fields:
    """Braintrust project logs (spans exported as rows): ``llm`` spans' ``input`` messages,
    ``output`` (choices, Responses items or text), ``metadata.model``, ``metrics`` (start,
    end, tokens, cost), ``scores``, ``expected`` as a label."""
    if not isinstance(row, dict):
        raise RowError(f"expected an object, got {type(row).__name__}")
    if row.get("error"):
        raise RowError(f"the model call failed: {str(row['error'])[:300]}")
    if row.get("input") is None:
        raise RowError("missing required field: input")
    msgs = _bt_input(row["input"])
    bmeta = row.get("metadata") if isinstance(row.get("metadata"), dict) else {}
    if isinstance(bmeta.get("instructions"), str) and not any(m.role == "system" for m in msgs):
        msgs.insert(0, message("system", bmeta["instructions"]))  # a Responses API call's instructions
    metrics = row.get("metrics") if isinstance(row.get("metrics"), dict) else {}
    start, end = metrics.get("start"), metrics.get("end")
    latency = (float(end) - float(start)) * 1000.0 if isinstance(start, (int, float)) and isinstance(end, (int, float)) else None
    meta = {k: v for k, v in bmeta.items() if k not in ("model", "instructions")}
    meta.update(extra_meta({k: v for k, v in row.items() if k not in _BT_OWN}, frozenset()))
    for key, name in (("tags", "tags"), ("scores", "scores"), ("root_span_id", "trace_id"), ("span_id", "span_id")):
        if row.get(key):
            meta[name] = row[key]
    attrs = row.get("span_attributes") or {}
    if attrs.get("name"):
        meta["span_name"] = attrs["name"]
    if row.get("id") is not None:
        meta["source_id"] = row["id"]
    expected = row.get("expected")
    return fields(
        msgs,
        output=_bt_output(row.get("output")),
        ts=row.get("created") or start,
        model=bmeta.get("model"),
        latency_ms=round(max(latency, 0.0), 3) if latency is not None else None,  # float seconds: 0.9 s, not 900.000095
        tokens_in=pick(metrics, "prompt_tokens", "input_tokens"),
        tokens_out=pick(metrics, "completion_tokens", "output_tokens"),
        cost_usd=pick(metrics, "estimated_cost", "cost"),
        metadata=meta,
        labels={"expected": expected} if expected is not None else None,
    )


# ---------------------------------------------------------------- W&B Weave

def _is_weave(row: dict[str, Any]) -> bool:
    return "op_name" in row and "inputs" in row and ("started_at" in row or "trace_id" in row)


def _weave_op(row: dict[str, Any]) -> str:
    """``weave:///team/project/op/openai.chat.completions.create:v3`` -> ``openai.chat.completions.create``."""
    op = str(row.get("op_name") or "")
    return op.rsplit("/", 1)[-1].split(":", 1)[0]


def _weave_kind(row: dict[str, Any]) -> str | None:
    """Which log shape a call's ``inputs`` and ``output`` are: a model call of the OpenAI
    (chat or Responses) or Anthropic SDK, as Weave's integrations log them; None for any
    other op (the app's own functions, tools)."""
    op = _weave_op(row).lower()
    out = _maybe_json(row.get("output"))
    inputs = row.get("inputs") if isinstance(row.get("inputs"), dict) else {}
    if isinstance(out, dict) and out.get("object") == "response" or op.endswith("responses.create"):
        return "responses"
    if isinstance(out, dict) and (out.get("type") == "message" or "stop_reason" in out) or op.endswith("messages.create"):
        return "anthropic"
    if isinstance(out, dict) and "choices" in out or op.endswith(("chat.completions.create", "chat.completions.parse")):
        return "openai"
    if "messages" in inputs and (row.get("exception") or out is None) and "completion" in op:
        return "openai"
    return None


def _explode_weave(row: Any) -> Iterator[Any]:
    yield row if isinstance(row, dict) and _weave_kind(row) is not None else SKIP


@shape("weave", detect=_is_weave, explode=_explode_weave, json_fields=("inputs", "output", "summary", "attributes"))
def normalise_weave(row: Any) -> Fields:
    """W&B Weave calls (``client.get_calls()`` or the calls export): the OpenAI and Anthropic
    SDK calls its integrations log, ``inputs`` as the request and ``output`` as the
    response; ``started_at``/``ended_at`` as time and latency, ``summary.usage`` tokens."""
    if not isinstance(row, dict):
        raise RowError(f"expected an object, got {type(row).__name__}")
    if row.get("exception"):
        raise RowError(f"the model call failed: {str(row['exception'])[:300]}")
    kind = _weave_kind(row)
    inputs = row.get("inputs")
    if not isinstance(inputs, dict):
        raise RowError("inputs: expected an object")
    output = _maybe_json(row.get("output"))
    merged: dict[str, Any] = {"request": inputs, "response": output if isinstance(output, dict) else {}}
    if row.get("started_at") is not None:
        merged["ts"] = row["started_at"]
        if row.get("ended_at") is not None:
            merged["latency_ms"] = _latency(row["started_at"], row["ended_at"])
    for key in ("trace_id", "display_name"):
        if row.get(key) is not None:
            merged[key] = row[key]
    merged["op"] = _weave_op(row)
    norm = {"responses": normalise_responses, "anthropic": normalise_anthropic}.get(kind or "", normalise_openai)
    f = norm(merged)
    if row.get("id") is not None:
        f["metadata"]["source_id"] = row["id"]  # the call's id (the response's own stays response_id)
    if f["tokens_in"] is None and isinstance(row.get("summary"), dict):  # Weave's own count, per model
        usage = (row["summary"].get("usage") or {})
        per_model = next(iter(usage.values()), None) if isinstance(usage, dict) and len(usage) == 1 else None
        if isinstance(per_model, dict):
            for field_, keys in (("tokens_in", ("prompt_tokens", "input_tokens")), ("tokens_out", ("completion_tokens", "output_tokens"))):
                v = pick(per_model, *keys)
                f[field_] = number(v, f"summary.usage.{keys[0]}", int) if v is not None else None
    return f


# ---------------------------------------------------------------- Helicone

def _is_helicone(row: dict[str, Any]) -> bool:
    return "request_id" in row and ("request_created_at" in row or "response_created_at" in row) and (
        "request_body" in row or "signed_body_url" in row or "request_model" in row)


_HELICONE_PROPERTY = "Helicone-Property-"


@shape("helicone", detect=_is_helicone, json_fields=("request_properties", "scores"))
def normalise_helicone(row: Any) -> Fields:
    """Helicone request exports (``npx @helicone/export --include-body``, or the request query
    API): ``request_body`` and ``response_body`` read as the provider's own request and
    response (OpenAI chat or Responses, Anthropic), ``request_created_at``, ``delay_ms``,
    token counts, ``cost``, ``feedback_rating``, custom properties."""
    if not isinstance(row, dict):
        raise RowError(f"expected an object, got {type(row).__name__}")
    req, resp = _maybe_json(row.get("request_body")), _maybe_json(row.get("response_body"))
    if not isinstance(req, dict):
        raise RowError("no request_body: the export holds no prompts; export again with --include-body")
    status = row.get("response_status")
    if isinstance(status, int) and not 200 <= status < 300:
        err = resp.get("error") if isinstance(resp, dict) else None
        msg = err.get("message") if isinstance(err, dict) else None
        raise RowError(f"the request failed with HTTP {status}" + (f": {msg}" if msg else ""))
    resp = resp if isinstance(resp, dict) else {}
    props = row.get("request_properties") if isinstance(row.get("request_properties"), dict) else {}
    merged: dict[str, Any] = {"request": req, "response": resp, "ts": row.get("request_created_at")}
    for key in ("request_path", "provider", "request_user_id", "country_code", "prompt_id"):
        if row.get(key) not in (None, ""):
            merged[key] = row[key]
    merged.update({k[len(_HELICONE_PROPERTY):] if k.startswith(_HELICONE_PROPERTY) else k: v for k, v in props.items()})
    if row.get("delay_ms") is not None:
        merged["latency_ms"] = row["delay_ms"]
    cost = pick(row, "cost", "costUSD", "cost_usd")
    if cost is not None:
        merged["cost_usd"] = cost
    if isinstance(row.get("feedback_rating"), bool):
        merged["feedback"] = "up" if row["feedback_rating"] else "down"
    if resp.get("object") == "response" or ("input" in req and "messages" not in req):
        f = normalise_responses(merged)
    elif resp.get("type") == "message" or (isinstance(resp.get("content"), list) and "choices" not in resp):
        f = normalise_anthropic(merged)
    else:
        f = normalise_openai(merged)
    model = pick(row, "model_override", "response_model", "request_model", "model")
    if model:
        f["model"] = str(model)
    if f["tokens_in"] is None and row.get("prompt_tokens") is not None:
        f["tokens_in"] = number(row["prompt_tokens"], "prompt_tokens", int)
    if f["tokens_out"] is None and row.get("completion_tokens") is not None:
        f["tokens_out"] = number(row["completion_tokens"], "completion_tokens", int)
    f["metadata"]["source_id"] = row["request_id"]
    return f


# ---------------------------------------------------------------- Amazon Bedrock invocation logs

def _is_bedrock(row: dict[str, Any]) -> bool:
    if row.get("schemaType") == "ModelInvocationLog":
        return True
    inp = row.get("input")
    return "modelId" in row and isinstance(inp, dict) and ("inputBodyJson" in inp or "inputBodyS3Path" in inp)


def _explode_bedrock(row: Any) -> Iterator[Any]:
    """Embedding and image calls are no chat: skipped."""
    if isinstance(row, dict) and isinstance(row.get("modelId"), str):
        model = row["modelId"].lower()
        body = (row.get("input") or {}).get("inputBodyJson") if isinstance(row.get("input"), dict) else None
        if "embed" in model or (isinstance(body, dict) and ("texts" in body and "input_type" in body or "taskType" in body)):
            yield SKIP
            return
    yield row


def _converse_text(blocks: Any, where: str) -> str:
    """Converse API content blocks as text: text, tool use and results; media named by its kind
    ([image]). The blocks are read by :func:`~assay.ingest._normalise.content_text`, which
    knows Converse's type-less blocks (Strands Agents logs them too)."""
    if isinstance(blocks, str):
        return blocks
    return content_text([b for b in blocks if isinstance(b, dict)] if isinstance(blocks, list) else [], where)


def _converse_stream(events: list[Any]) -> dict[str, Any]:
    """A ConverseStream's events put together as the Converse response."""
    texts: dict[int, list[str]] = {}
    tools: dict[int, dict[str, Any]] = {}
    out: dict[str, Any] = {}
    for ev in events:
        if not isinstance(ev, dict):
            continue
        start = ev.get("contentBlockStart")
        if isinstance(start, dict) and isinstance((start.get("start") or {}).get("toolUse"), dict):
            tools[start.get("contentBlockIndex", 0)] = {"name": start["start"]["toolUse"].get("name"), "input": []}
        delta = ev.get("contentBlockDelta")
        if isinstance(delta, dict) and isinstance(delta.get("delta"), dict):
            i = delta.get("contentBlockIndex", 0)
            if isinstance(delta["delta"].get("text"), str):
                texts.setdefault(i, []).append(delta["delta"]["text"])
            elif isinstance(delta["delta"].get("toolUse"), dict) and i in tools:
                tools[i]["input"].append(str(delta["delta"]["toolUse"].get("input", "")))
        if isinstance(ev.get("messageStop"), dict):
            out["stopReason"] = ev["messageStop"].get("stopReason")
        if isinstance(ev.get("metadata"), dict):
            out.update({k: v for k, v in ev["metadata"].items() if k in ("usage", "metrics")})
    blocks: list[dict[str, Any]] = []
    for i in sorted({*texts, *tools}):
        if i in texts:
            blocks.append({"text": "".join(texts[i])})
        if i in tools:
            raw = "".join(tools[i]["input"])
            blocks.append({"toolUse": {"name": tools[i]["name"], "input": _maybe_json(raw) if raw else {}}})
    out["output"] = {"message": {"role": "assistant", "content": blocks}}
    return out


_BEDROCK_TEXT_OUT = ("generation", "completion", "outputText", "text")


@shape("bedrock", detect=_is_bedrock, explode=_explode_bedrock, json_fields=("input", "output", "requestMetadata", "identity"))
def normalise_bedrock(row: Any) -> Fields:
    """Amazon Bedrock model invocation logs (S3 or CloudWatch, one record a line): Converse
    calls, InvokeModel calls with Anthropic's Messages body (read as the ``anthropic`` shape),
    and other models' prompt/generation bodies; ``modelId``, token counts, ``timestamp``."""
    if not isinstance(row, dict):
        raise RowError(f"expected an object, got {type(row).__name__}")
    inp = row.get("input") if isinstance(row.get("input"), dict) else {}
    outp = row.get("output") if isinstance(row.get("output"), dict) else {}
    if row.get("errorCode") and not outp:
        raise RowError(f"the call failed: {row['errorCode']}")
    body = _maybe_json(inp.get("inputBodyJson"))
    if body is None:
        where = inp.get("inputBodyS3Path")
        raise RowError(f"the request body is in S3 ({where}), where Bedrock puts bodies over its log size: download it and "
                       "put it in inputBodyJson" if where else "missing required field: input.inputBodyJson")
    if not isinstance(body, dict):
        raise RowError(f"input.inputBodyJson: expected an object, got {type(body).__name__}")
    resp = _maybe_json(outp.get("outputBodyJson"))
    if resp is None and outp.get("outputBodyS3Path"):
        raise RowError(f"the response body is in S3 ({outp['outputBodyS3Path']}): download it and put it in outputBodyJson")
    meta = {k: v for k, v in row.items() if k not in ("input", "output", "timestamp", "modelId", "schemaType", "schemaVersion")}
    if isinstance(row.get("requestMetadata"), dict):
        meta.pop("requestMetadata", None)
        meta.update(row["requestMetadata"])
    if row.get("requestId") is not None:
        meta["source_id"] = meta.pop("requestId")
    latency = None
    if "anthropic_version" in body:  # InvokeModel with Anthropic's Messages body (streamed: its events)
        f = normalise_anthropic({"request": body, "response": resp if isinstance(resp, (dict, list)) else {}})
        output = f["output"]
        msgs = f["messages"]
        meta = {**f["metadata"], **meta}
    elif "messages" in body:  # the Converse API
        msgs = []
        for s in body.get("system") or []:
            if isinstance(s, dict) and isinstance(s.get("text"), str):
                msgs.append(message("system", s["text"]))
        for i, m in enumerate(body["messages"] if isinstance(body["messages"], list) else []):
            if not isinstance(m, dict):
                raise RowError(f"input.inputBodyJson.messages.{i}: expected an object")
            content = m.get("content")
            only_results = isinstance(content, list) and content and all(isinstance(b, dict) and "toolResult" in b for b in content)
            role = "tool" if only_results else m.get("role")  # Converse sends tool results as the user's turn
            msgs.append(chat_message({"role": role, "content": _converse_text(content, f"messages.{i}.content")},
                                     f"input.inputBodyJson.messages.{i}"))
        if isinstance(resp, list):
            resp = _converse_stream(resp)
        output = None
        if isinstance(resp, dict):
            msg = (resp.get("output") or {}).get("message") if isinstance(resp.get("output"), dict) else None
            if isinstance(msg, dict):
                output = _converse_text(msg.get("content"), "output.message.content")
            if resp.get("stopReason") is not None:
                meta["finish_reason"] = resp["stopReason"]
            latency = (resp.get("metrics") or {}).get("latencyMs") if isinstance(resp.get("metrics"), dict) else None
        for key in ("inferenceConfig", "toolConfig", "additionalModelRequestFields"):
            if body.get(key) is not None:
                meta[key] = body[key]
    else:  # another model's own body: a prompt in, a generation out
        prompt = pick(body, "prompt", "inputText", "message")
        if not isinstance(prompt, str):
            raise RowError("input.inputBodyJson: no messages, prompt or inputText")
        msgs = [message("user", prompt)]
        output = None
        if isinstance(resp, dict):
            output = pick(resp, *_BEDROCK_TEXT_OUT)
            for key in ("outputs", "results", "generations"):
                items = resp.get(key)
                if output is None and isinstance(items, list) and items and isinstance(items[0], dict):
                    output = pick(items[0], "text", "outputText")
        meta["params"] = {k: v for k, v in body.items() if k not in ("prompt", "inputText", "message")} or None
        if meta["params"] is None:
            del meta["params"]
    return fields(
        msgs,
        output=output if output is None or isinstance(output, str) else str(output),
        ts=row.get("timestamp"),
        model=row.get("modelId"),
        latency_ms=latency,
        tokens_in=inp.get("inputTokenCount"),
        tokens_out=outp.get("outputTokenCount"),
        metadata=meta,
    )


# ---------------------------------------------------------------- MLflow traces

_MLFLOW_CHAT = ("CHAT_MODEL", "LLM")


def _mlflow_attrs(span: dict[str, Any]) -> dict[str, Any]:
    """A span's attributes; MLflow stores each value as JSON text."""
    attrs = span.get("attributes")
    return {k: _json_value(v) for k, v in attrs.items()} if isinstance(attrs, dict) else {}


def _json_value(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:
        return orjson.loads(value)
    except orjson.JSONDecodeError:
        return value


def _is_mlflow(row: dict[str, Any]) -> bool:
    if isinstance(row.get("info"), dict) and isinstance(row.get("data"), dict) and "spans" in row["data"]:
        return True
    attrs = row.get("attributes")
    return isinstance(attrs, dict) and "mlflow.spanType" in attrs


def _explode_mlflow(row: Any) -> Iterator[Any]:
    """A trace (``{info, data: {spans}}``) -> its model-call spans (``CHAT_MODEL`` / ``LLM``),
    with the trace's tags; other spans (chains, tools, retrievers) yield ``SKIP``."""
    if not isinstance(row, dict):
        yield row
        return
    if not (isinstance(row.get("info"), dict) and isinstance(row.get("data"), dict)):
        yield row if _mlflow_attrs(row).get("mlflow.spanType") in _MLFLOW_CHAT else SKIP
        return
    info = row["info"]
    trace = {k: info.get(k) for k in ("trace_id", "request_id", "tags", "trace_metadata", "request_metadata") if info.get(k)}
    for span in row["data"].get("spans") or []:
        if not isinstance(span, dict):
            yield span
            continue
        yield {**span, "_trace": trace} if _mlflow_attrs(span).get("mlflow.spanType") in _MLFLOW_CHAT else SKIP


def _ns(value: Any) -> Any:
    return int(value) if isinstance(value, str) and value.isdigit() else value


@shape("mlflow", detect=_is_mlflow, explode=_explode_mlflow, json_fields=("info", "data", "attributes", "status", "context"))
def normalise_mlflow(span: Any) -> Fields:
    """MLflow traces (``mlflow.get_trace(...).to_json()``, ``search_traces`` exports, or one span
    a row): a ``CHAT_MODEL`` / ``LLM`` span's ``mlflow.spanInputs`` and ``mlflow.spanOutputs``,
    read as the provider's request and response (OpenAI, Anthropic, Gemini, Responses) or as
    LangChain's messages and generations; ``mlflow.chat.tokenUsage``; start and end times."""
    from assay.ingest._shapes import detect_shape

    if not isinstance(span, dict):
        raise RowError(f"span: expected an object, got {type(span).__name__}")
    a = _mlflow_attrs(span)
    inputs, outputs = a.get("mlflow.spanInputs"), a.get("mlflow.spanOutputs")
    status = span.get("status") if isinstance(span.get("status"), dict) else {}
    code = str(status.get("code", span.get("status_code", "")))
    if outputs is None and "ERROR" in code.upper():
        raise RowError(f"the call failed: {status.get('message') or span.get('status_message') or code}")
    if inputs is None:
        raise RowError("missing required field: attributes.mlflow.spanInputs")
    pair = {"request": inputs, "response": outputs if outputs is not None else {}}
    provider = detect_shape(pair, file="", line=0).name if isinstance(inputs, dict) else "generic"
    if provider in ("openai", "anthropic", "gemini", "responses"):
        f = get_shape(provider).normalise(pair)
    elif isinstance(inputs, (list, dict)) and (isinstance(outputs, dict) and "generations" in outputs or isinstance(inputs, list)):
        f = normalise_langsmith({"run_type": "llm", "inputs": inputs if isinstance(inputs, dict) else {"messages": inputs},
                                 "outputs": outputs if isinstance(outputs, dict) else {}})
    else:  # the app's own function marked as an LLM span: text in, text out
        msgs = chat_messages(inputs if not isinstance(inputs, dict) else
                             inputs.get("messages", pick(inputs, "prompt", "query", "question", "input", "text")), "mlflow.spanInputs")
        out = outputs if isinstance(outputs, str) or outputs is None else (
            pick(outputs, "content", "text", "output", "answer") if isinstance(outputs, dict) else None)
        f = fields(msgs, output=out if out is None or isinstance(out, str) else dumps(out))
    usage = a.get("mlflow.chat.tokenUsage")
    if isinstance(usage, dict):
        f["tokens_in"] = number(usage.get("input_tokens"), "tokenUsage.input_tokens", int) if usage.get("input_tokens") is not None else f["tokens_in"]
        f["tokens_out"] = number(usage.get("output_tokens"), "tokenUsage.output_tokens", int) if usage.get("output_tokens") is not None else f["tokens_out"]
    ctx = span.get("context") if isinstance(span.get("context"), dict) else {}
    start = _ns(span.get("start_time_unix_nano", span.get("start_time", ctx.get("start_time"))))
    end = _ns(span.get("end_time_unix_nano", span.get("end_time")))
    if start is not None:
        f["ts"] = parse_ts(start, "start_time")
        if end is not None:
            f["latency_ms"] = _latency(start, end)
    if f["model"] is None:
        f["model"] = pick(a, "mlflow.llm.model") or (inputs.get("model") if isinstance(inputs, dict) else None)
    meta = f["metadata"]
    trace = span.get("_trace") or {}
    meta.update({k: v for k, v in a.items() if not k.startswith(("mlflow.spanInputs", "mlflow.spanOutputs", "mlflow.chat.", "mlflow.traceRequestId"))})
    meta.update({"span_name": span.get("name"), "span_id": span.get("span_id", ctx.get("span_id")),
                 "trace_id": trace.get("trace_id") or trace.get("request_id") or span.get("trace_id", ctx.get("trace_id"))})
    if isinstance(trace.get("tags"), dict):
        for k, v in trace["tags"].items():
            if not str(k).startswith("mlflow."):
                meta.setdefault(k, v)
    return f


# ---------------------------------------------------------------- PostHog LLM analytics

_POSTHOG_GENERATION = "$ai_generation"
_POSTHOG_OWN = frozenset({
    "$ai_input", "$ai_output_choices", "$ai_output", "$ai_model", "$ai_latency", "$ai_input_tokens", "$ai_output_tokens",
    "$ai_total_cost_usd", "$ai_tools", "$ai_temperature", "$ai_max_tokens", "$ai_stream", "$ai_model_parameters",
    "$ai_is_error", "$ai_error", "$ai_http_status",
})
_POSTHOG_NAMES = {"$ai_trace_id": "trace_id", "$ai_span_id": "span_id", "$ai_span_name": "span_name",
                  "$ai_parent_id": "parent_id", "$ai_session_id": "session_id", "$ai_provider": "provider",
                  "$geoip_country_code": "country_code", "$groups": "groups"}


def _posthog_props(row: dict[str, Any]) -> Any:
    return _maybe_json(row.get("properties"))


def _is_posthog(row: dict[str, Any]) -> bool:
    event = row.get("event")
    return isinstance(event, str) and "properties" in row and ("distinct_id" in row or event.startswith("$"))


def _explode_posthog(row: Any) -> Iterator[Any]:
    """Only ``$ai_generation`` events are model calls: the other events of an export (page
    views, ``$ai_trace``, ``$ai_span``, ``$ai_embedding``, ``$ai_feedback``) are skipped."""
    yield row if not isinstance(row, dict) or row.get("event") == _POSTHOG_GENERATION else SKIP


def _posthog_output(props: dict[str, Any]) -> str | None:
    choices = props.get("$ai_output_choices")
    if choices is None and isinstance(props.get("$ai_output"), dict):  # older SDKs: {"choices": [...]}
        choices = props["$ai_output"].get("choices")
    choices = _maybe_json(choices)
    if choices is None or isinstance(choices, str):
        return choices
    if isinstance(choices, list):
        if not choices:
            return None
        first = choices[0]
        if isinstance(first, dict) and isinstance(first.get("message"), dict):  # an OpenAI choice
            first = first["message"]
        if isinstance(first, dict):
            return chat_message({**first, "role": "assistant"}, "$ai_output_choices.0").content
        return content_text(first, "$ai_output_choices.0")
    raise RowError(f"$ai_output_choices: expected a list of choices, got {type(choices).__name__}")


@shape("posthog", detect=_is_posthog, explode=_explode_posthog)
def normalise_posthog(row: Any) -> Fields:
    """PostHog LLM analytics events (an events export, a batch export to S3 or a warehouse,
    ``select * from events``): each ``$ai_generation`` event's ``$ai_input`` messages and
    ``$ai_output_choices``, ``$ai_model``, ``$ai_latency`` (seconds), tokens, cost, tools
    and parameters; the app's own properties as metadata."""
    if not isinstance(row, dict):
        raise RowError(f"expected an object, got {type(row).__name__}")
    props = _posthog_props(row)
    if not isinstance(props, dict):
        raise RowError("properties: expected an object")
    status = props.get("$ai_http_status")
    if props.get("$ai_is_error") is True or (isinstance(status, int) and status >= 400):
        err = props.get("$ai_error")
        err = err.get("message", err) if isinstance(err, dict) else err
        raise RowError(f"the model call failed{f' (HTTP {status})' if isinstance(status, int) else ''}: "
                       f"{first_line(err, 'no error message') if err is not None else 'no error message'}")
    if props.get("$ai_input") is None:
        raise RowError("no $ai_input: the event holds no prompt (captured in privacy mode, or by a client that "
                       "sends none), so there is nothing to evaluate")
    msgs = chat_messages(_maybe_json(props["$ai_input"]), "$ai_input")
    meta: dict[str, Any] = {}
    for k, v in props.items():
        if k in _POSTHOG_NAMES:
            if v not in (None, "", {}):
                meta[_POSTHOG_NAMES[k]] = v
        elif k.startswith("$ai_") and k not in _POSTHOG_OWN:
            meta[k[len("$ai_"):]] = v  # cache tokens, per-side costs, ...
        elif not k.startswith("$"):  # the app's own (posthog_properties): PostHog's own ($lib, $ip, ...) are not kept
            meta[k] = v
    if row.get("distinct_id") not in (None, ""):
        meta["distinct_id"] = row["distinct_id"]
    if row.get("uuid") or row.get("id"):
        meta["source_id"] = row.get("uuid") or row.get("id")
    tools = _maybe_json(props.get("$ai_tools"))
    if isinstance(tools, list) and tools:
        meta["tools"] = tools
    params = {k[len("$ai_"):]: props[k] for k in ("$ai_temperature", "$ai_max_tokens", "$ai_stream") if props.get(k) is not None}
    if isinstance(props.get("$ai_model_parameters"), dict):
        params = {**props["$ai_model_parameters"], **params}
    if params:
        meta["params"] = params
    latency = props.get("$ai_latency")
    return fields(
        msgs,
        output=_posthog_output(props),
        ts=row.get("timestamp") or props.get("$time"),
        model=props.get("$ai_model"),
        latency_ms=round(float(latency) * 1000.0, 3) if isinstance(latency, (int, float)) and not isinstance(latency, bool) else None,
        tokens_in=props.get("$ai_input_tokens"),
        tokens_out=props.get("$ai_output_tokens"),
        cost_usd=props.get("$ai_total_cost_usd"),
        metadata=meta,
    )


# ---------------------------------------------------------------- Opik

_OPIK_SPAN_KEYS = ("trace_id", "start_time", "input")
_OPIK_DROP_META = frozenset({"usage", "object", "created", "system_fingerprint", "id", "role", "type", "content", "choices",
                             "model", "created_from", "stop_reason", "stop_sequence", "service_tier"})


def _is_opik(row: dict[str, Any]) -> bool:
    if isinstance(row.get("trace"), dict) and isinstance(row.get("spans"), list):  # ``opik export``: a file per trace
        return True
    # (its span types are lower case: Langfuse's observations, with the same columns, are GENERATION, SPAN, ...)
    return (all(k in row for k in _OPIK_SPAN_KEYS) and "type" in row and row["type"] not in _LF_TYPES
            and ("project_id" in row or "parent_span_id" in row))


def _opik_scores(scores: Any) -> dict[str, Any] | None:
    if not isinstance(scores, list):
        return None
    out = {s["name"]: s.get("value") for s in scores if isinstance(s, dict) and isinstance(s.get("name"), str)}
    return out or None


def _explode_opik(row: Any) -> Iterator[Any]:
    """A trace file of ``opik export`` (``{trace, spans}``) -> its ``llm`` spans, each with the
    trace's app metadata, thread, tags and feedback scores; a span row -> itself. Other
    spans (general, tool, guardrail) yield ``SKIP``."""
    if not isinstance(row, dict) or not isinstance(row.get("trace"), dict):
        yield row if not isinstance(row, dict) or row.get("type") == "llm" else SKIP
        return
    trace = row["trace"]
    context = {k: trace.get(k) for k in ("metadata", "tags", "thread_id", "name") if trace.get(k)}
    if _opik_scores(trace.get("feedback_scores")):
        context["scores"] = _opik_scores(trace["feedback_scores"])
    for span in row["spans"]:
        if not isinstance(span, dict):
            yield span
            continue
        yield {**span, "_trace": context} if span.get("type") == "llm" else SKIP


def _opik_call(inputs: dict[str, Any], output: Any, span: dict[str, Any]) -> Fields:
    """An ``llm`` span's input and output read as the call its integration logged."""
    out = output if isinstance(output, dict) else {}
    meta = span.get("metadata") if isinstance(span.get("metadata"), dict) else {}
    if "messages" in inputs and isinstance(inputs["messages"], list) and (
            "choices" in out or "content" in out or not out):
        # OpenAI (input: messages; output: choices) or Anthropic (input: messages, system, tools; output: content)
        req = {**{k: meta[k] for k in meta if k in ("temperature", "top_p", "max_tokens", "max_completion_tokens", "seed",
                                                    "stop", "tool_choice", "response_format", "tools")},
               **inputs}
        if span.get("model"):
            req["model"] = span["model"]
        if "content" in out and "choices" not in out:
            return normalise_anthropic({"request": req, "response": {"type": "message", **out}})
        return normalise_openai({"request": req, "response": out})
    if "messages" in inputs or "prompts" in inputs or "generations" in out:  # LangChain, as the OpikTracer logs it
        return normalise_langsmith({"run_type": "llm", "inputs": inputs, "outputs": out})
    # the app's own function marked as an LLM span (``@track(type="llm")``): text in, text out
    text = pick(inputs, "prompt", "query", "question", "input", "user_input", "text", "message")
    if text is None and len(inputs) == 1:
        text = next(iter(inputs.values()))
    if text is None:
        raise RowError("input: no messages, and no prompt or question field to read as the user's message")
    answer = output if isinstance(output, str) or output is None else pick(out, "output", "response", "answer", "text", "content")
    return fields(chat_messages(text, "input"), output=answer if answer is None or isinstance(answer, str) else dumps(answer))


@shape("opik", detect=_is_opik, explode=_explode_opik,
       json_fields=("trace", "spans", "usage", "error_info", "feedback_scores", "tags"))
def normalise_opik(span: Any) -> Fields:
    """Opik traces (``opik export WORKSPACE project NAME``: a JSON file per trace with its
    spans; or spans one a row, from ``search_spans``): each ``llm`` span's ``input`` and
    ``output`` as its integration logged them (OpenAI, Anthropic, LangChain, or an app's own
    function), ``model``, ``provider``, ``usage``, ``total_estimated_cost``, start and end;
    the trace's metadata, thread and feedback scores."""
    if not isinstance(span, dict):
        raise RowError(f"span: expected an object, got {type(span).__name__}")
    output = _maybe_json(span.get("output"))
    err = span.get("error_info")
    if isinstance(err, dict) and (output is None or isinstance(output, dict) and set(output) <= {"error"}):
        raise RowError(f"the model call failed: {err.get('exception_type') or 'error'}: "
                       f"{first_line(err.get('message'), 'no message')}")
    inputs = _maybe_json(span.get("input"))
    if not isinstance(inputs, dict):
        raise RowError("input: expected an object")
    f = _opik_call(inputs, output, span)
    start, end = span.get("start_time"), span.get("end_time")
    if start is not None:
        f["ts"] = parse_ts(start, "start_time")
        if end is not None:
            f["latency_ms"] = _latency(start, end)
    if f["latency_ms"] is None and isinstance(span.get("duration"), (int, float)):
        f["latency_ms"] = float(span["duration"])
    if span.get("model"):
        f["model"] = str(span["model"])
    usage = span.get("usage") if isinstance(span.get("usage"), dict) else {}
    for field_, keys in (("tokens_in", ("prompt_tokens", "input_tokens")), ("tokens_out", ("completion_tokens", "output_tokens"))):
        v = pick(usage, *keys)
        if v is not None:
            f[field_] = number(v, f"usage.{keys[0]}", int)
    if span.get("total_estimated_cost") is not None:
        f["cost_usd"] = number(span["total_estimated_cost"], "total_estimated_cost", float)
    meta = f["metadata"]
    smeta = span.get("metadata") if isinstance(span.get("metadata"), dict) else {}
    for k, v in smeta.items():
        if k not in _OPIK_DROP_META and k not in ("temperature", "top_p", "max_tokens", "max_completion_tokens", "seed",
                                                  "stop", "tool_choice", "response_format", "tools"):
            meta.setdefault(k, v)
    trace = span.get("_trace") or {}
    if isinstance(trace.get("metadata"), dict):
        for k, v in trace["metadata"].items():
            meta.setdefault(k, v)
    for key, name in (("provider", "provider"), ("name", "span_name"), ("id", "span_id"), ("trace_id", "trace_id")):
        if span.get(key):
            meta[name] = span[key]
    if trace.get("thread_id"):
        meta["thread_id"] = trace["thread_id"]
    tags = [*(trace.get("tags") or []), *[t for t in (span.get("tags") or []) if t not in (trace.get("tags") or [])]]
    if tags:
        meta["tags"] = tags
    scores = {**(trace.get("scores") or {}), **(_opik_scores(span.get("feedback_scores")) or {})}
    if scores:
        meta["scores"] = scores
    return f


# ---------------------------------------------------------------- Cloudflare AI Gateway

def _is_cloudflare(row: dict[str, Any]) -> bool:
    if "RequestBody" in row and ("Gateway" in row or "Endpoint" in row or "Provider" in row):
        return True  # Logpush's ai_gateway_events dataset
    return "request_content_type" in row and "provider" in row and ("tokens_in" in row or "path" in row)  # the logs API's list


@shape("cloudflare", detect=_is_cloudflare, json_fields=("RequestBody", "ResponseBody", "Metadata", "Metrics"))
def normalise_cloudflare(row: Any) -> Fields:
    """Cloudflare AI Gateway logs: Logpush's ``ai_gateway_events`` (``RequestBody`` and
    ``ResponseBody`` read as the provider's own request and response, ``Metrics.cost`` /
    ``durationMs``, ``Timestamp``, ``Model``, ``Provider``, ``Metadata``)."""
    from assay.ingest._shapes import detect_shape

    if not isinstance(row, dict):
        raise RowError(f"expected an object, got {type(row).__name__}")
    if "RequestBody" not in row:
        raise RowError("no request body: the AI Gateway logs API lists each call's metadata only; export the logs with "
                       "Logpush (dataset ai_gateway_events), or fetch each log's request and response")
    req, resp = _maybe_json(row.get("RequestBody")), _maybe_json(row.get("ResponseBody"))
    if not isinstance(req, dict) or req.get("type") == "encrypted":
        raise RowError("RequestBody: not a JSON object (Logpush encrypts the bodies with the gateway's public key: "
                       "decrypt them with its private key first)")
    status = row.get("StatusCode")
    if isinstance(status, int) and not 200 <= status < 300:
        err = resp.get("error") if isinstance(resp, dict) else None
        raise RowError(f"the call failed with HTTP {status}" + (f": {first_line(err.get('message'), '')}" if isinstance(err, dict) else ""))
    pair = {"request": req, "response": resp if isinstance(resp, dict) else {}}
    provider = detect_shape(pair, file="", line=0).name
    f = get_shape(provider if provider in ("openai", "anthropic", "gemini", "responses") else "openai").normalise(pair)
    metrics = row.get("Metrics") if isinstance(row.get("Metrics"), dict) else {}
    if row.get("Timestamp") is not None and f["ts"] is None:
        f["ts"] = parse_ts(row["Timestamp"], "Timestamp")
    if isinstance(metrics.get("durationMs"), (int, float)):
        f["latency_ms"] = float(metrics["durationMs"])
    if isinstance(metrics.get("cost"), (int, float)):
        f["cost_usd"] = float(metrics["cost"])
    f["model"] = f["model"] or row.get("Model")
    meta = f["metadata"]
    if isinstance(row.get("Metadata"), dict):
        for k, v in row["Metadata"].items():
            meta.setdefault(k, v)
    for k in ("Gateway", "Provider", "Endpoint", "Cached", "RequestedModel"):
        if row.get(k) not in (None, ""):
            meta[k[0].lower() + k[1:]] = row[k]
    return f


# ---------------------------------------------------------------- Datadog LLM Observability

def _dd_span(row: dict[str, Any]) -> dict[str, Any] | None:
    """A Datadog LLM Observability span's attributes: a ``{id, type: span, attributes}``
    item of the Export API's response, or the attributes themselves; None for other rows."""
    a = row.get("attributes") if row.get("type") == "span" and isinstance(row.get("attributes"), dict) else row
    if "span_kind" in a and ("ml_app" in a or "start_ns" in a) and ("input" in a or "output" in a or "metrics" in a):
        return a
    return None


def _is_datadog(row: dict[str, Any]) -> bool:
    return _dd_span(row) is not None


def _explode_datadog(row: Any) -> Iterator[Any]:
    a = _dd_span(row) if isinstance(row, dict) else None
    yield SKIP if a is not None and str(a.get("span_kind", "")).lower() != "llm" else row


def _dd_message(m: Any, where: str) -> Message:
    """A message of a Datadog span: ``{role, content, tool_calls: [{name, arguments, tool_id}],
    tool_results: [{result, tool_id}]}``."""
    if isinstance(m, dict) and not m.get("content") and isinstance(m.get("tool_results"), list):
        results = [r.get("result") if isinstance(r, dict) else r for r in m["tool_results"]]
        m = {**m, "content": "\n".join(r if isinstance(r, str) else dumps(r) for r in results if r is not None)}
    return chat_message(m, where)


_DD_NOISE_TAGS = frozenset({"error", "source", "language", "ddtrace.version", "ml_app"})


@shape("datadog", detect=_is_datadog, explode=_explode_datadog, json_fields=("attributes",))
def normalise_datadog(row: Any) -> Fields:
    """Datadog LLM Observability spans, as its Export API gives them (``POST
    /api/v2/llm-obs/v1/spans/events/search``: ``{data: [{id, type: span, attributes}]}``):
    each ``llm`` span's ``input.messages`` (else ``input.value``) and ``output.messages``
    (else ``output.value``), ``model_name``, ``start_ns`` and ``duration`` (nanoseconds),
    ``metrics`` (tokens; ``estimated_total_cost`` in nano-dollars), ``tool_definitions``,
    ``metadata`` as params, the span's ``tags`` (``session_id:...``) as metadata."""
    if not isinstance(row, dict) or (a := _dd_span(row)) is None:
        raise RowError("expected a Datadog LLM Observability span")
    inp = a.get("input") if isinstance(a.get("input"), dict) else {}
    out = a.get("output") if isinstance(a.get("output"), dict) else {}
    if isinstance(inp.get("messages"), list) and inp["messages"]:
        msgs = [_dd_message(m, f"attributes.input.messages.{i}") for i, m in enumerate(inp["messages"])]
    elif inp.get("value") not in (None, ""):
        msgs = [message("user", str(inp["value"]))]
    else:
        raise RowError("missing required field: attributes.input.messages (or input.value)")
    output = None
    if isinstance(out.get("messages"), list) and out["messages"]:
        output = _dd_message({**out["messages"][0], "role": "assistant"}, "attributes.output.messages.0").content
    elif out.get("value") not in (None, ""):
        output = str(out["value"])
    tags: dict[str, Any] = {}
    for t in a.get("tags") or ():
        k, sep, v = str(t).partition(":")
        if sep and k not in _DD_NOISE_TAGS and v != "":
            tags.setdefault(k, v)
    if str(a.get("status", "")).lower() == "error" and not output:
        why = tags.get("error.message") or tags.get("error_type") or tags.get("error.type") or "status error"
        raise RowError(f"the call failed: {first_line(why, 'status error')}")
    meta: dict[str, Any] = dict(tags)
    params = a.get("metadata")
    if isinstance(params, dict) and params:
        meta["params"] = params
    for k in ("ml_app", "model_provider", "trace_id", "span_id", "parent_id", "name"):
        if a.get(k) not in (None, "", "undefined"):
            meta["span_name" if k == "name" else k] = a[k]
    if isinstance(a.get("tool_definitions"), list) and a["tool_definitions"]:
        meta["tools"] = a["tool_definitions"]
    if row is not a and row.get("id") is not None:
        meta.setdefault("source_id", row["id"])
    metrics = a.get("metrics") if isinstance(a.get("metrics"), dict) else {}
    cost = metrics.get("estimated_total_cost")
    duration = a.get("duration")
    return fields(
        msgs,
        output=output,
        ts=a.get("start_ns"),
        model=a.get("model_name"),
        latency_ms=duration / 1e6 if isinstance(duration, (int, float)) and not isinstance(duration, bool) else None,
        tokens_in=metrics.get("input_tokens"),
        tokens_out=metrics.get("output_tokens"),
        cost_usd=cost / 1e9 if isinstance(cost, (int, float)) and not isinstance(cost, bool) else None,
        metadata=meta,
    )
