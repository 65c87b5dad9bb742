"""OpenTelemetry exports of the instrumentations teams use (OTLP JSON written by this test
in each instrumentation's documented attribute layout)."""

import json

from assay.ingest import ingest
from tests.ingest.conftest import stored


def _v(value):
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, int):
        return {"intValue": str(value)}
    if isinstance(value, float):
        return {"doubleValue": value}
    return {"stringValue": value if isinstance(value, str) else json.dumps(value)}


def _span(n, name, attrs, status=None, events=None):
    return {"traceId": "t" * 32, "spanId": f"{n:016x}", "name": name, "kind": 3,
            "startTimeUnixNano": str(1793520000_000000000 + n * 10**9), "endTimeUnixNano": str(1793520000_500000000 + n * 10**9),
            "attributes": [{"key": k, "value": _v(v)} for k, v in attrs.items()], "status": status or {},
            "events": events or []}


def _export(tmp_path, spans, name="traces.jsonl"):
    doc = {"resourceSpans": [{"resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "bot"}}]},
                              "scopeSpans": [{"scope": {"name": "x"}, "spans": spans}]}]}
    f = tmp_path / name
    f.write_text(json.dumps(doc) + "\n")
    return f


def _run(project, f):
    s = ingest(project, [str(f)])
    recs, quar = stored(project)
    return s, recs, [q["reason"] for q in quar]


def test_failed_spans_are_quarantined_alone_and_broken_spans_do_not_sink_their_batch(project, tmp_path):
    ok = {"gen_ai.operation.name": "chat", "gen_ai.request.model": "gpt-4.1",
          "gen_ai.input.messages": [{"role": "user", "parts": [{"type": "text", "content": "Tagline?"}]}],
          "gen_ai.output.messages": [{"role": "assistant", "parts": [{"type": "text", "content": "Sit better."}]}]}
    failed = {"gen_ai.operation.name": "chat", "gen_ai.request.model": "gpt-4.1", "error.type": "RateLimitError",
              "gen_ai.input.messages": [{"role": "user", "parts": [{"type": "text", "content": "Again?"}]}]}
    broken = {**ok, "gen_ai.input.messages": [{"role": "user", "parts": [{"type": "text", "content": "x"}]}],
              "gen_ai.output.messages": 7}
    f = _export(tmp_path, [_span(1, "chat gpt-4.1", ok), _span(2, "chat gpt-4.1", failed, {"code": 2, "message": "Error code: 429"}),
                           _span(3, "chat gpt-4.1", broken)])
    s, recs, reasons = _run(project, f)
    assert (s.kept, s.quarantined) == (1, 1) and recs[0]["output"] == "Sit better."
    assert reasons[0].startswith("span 2: the call failed: Error code: 429; span 3: ")


def test_openinference_spans_sent_over_otlp(project, tmp_path):
    llm = {"openinference.span.kind": "LLM", "llm.model_name": "gpt-4o-mini", "llm.token_count.prompt": 20, "llm.token_count.completion": 5,
           "llm.input_messages.0.message.role": "user", "llm.input_messages.0.message.content": "Where is order A-17?",
           "llm.output_messages.0.message.role": "assistant",
           "llm.output_messages.0.message.tool_calls.0.tool_call.function.name": "get_order",
           "llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments": "{\"order_id\":\"A-17\"}"}
    chain = {"openinference.span.kind": "CHAIN", "input.value": "Where is order A-17?"}
    f = _export(tmp_path, [_span(1, "agent", chain), _span(2, "ChatCompletion", llm),
                           _span(3, "ChatCompletion", {k: v for k, v in llm.items() if not k.startswith("llm.output_messages")},
                                 {"code": "STATUS_CODE_ERROR", "message": "RateLimitError: 429"})])
    s, recs, reasons = _run(project, f)
    assert s.formats[str(f)] == "jsonl:otel" and (s.kept, s.skipped, s.quarantined) == (1, 1, 1)
    (r,) = recs
    assert r["output"] == '[tool_call get_order {"order_id":"A-17"}]' and (r["model"], r["tokens_in"], r["latency_ms"]) == ("gpt-4o-mini", 20, 500.0)
    assert r["meta"]["service.name"] == "bot" and reasons == ["span 3: the call failed: RateLimitError: 429"]


def test_openllmetry_tool_calls_refusals_content_lists_and_embeddings(project, tmp_path):
    chat = {"llm.request.type": "chat", "gen_ai.system": "openai", "gen_ai.request.model": "gpt-4o",
            "gen_ai.prompt.0.role": "user", "gen_ai.prompt.0.content": "Where is order A-17?",
            "gen_ai.prompt.1.role": "assistant", "gen_ai.prompt.1.tool_calls.0.name": "get_order",
            "gen_ai.prompt.1.tool_calls.0.arguments": "{\"order_id\": \"A-17\"}",
            "gen_ai.prompt.2.role": "tool", "gen_ai.prompt.2.content": "{\"status\": \"shipped\"}", "gen_ai.prompt.2.tool_call_id": "c1",
            "gen_ai.prompt.3.role": "user",
            "gen_ai.prompt.3.content": json.dumps([{"type": "text", "text": "And this receipt?"}, {"type": "image_url", "image_url": {"url": "x"}}]),
            "gen_ai.completion.0.role": "assistant", "gen_ai.completion.0.tool_calls.0.name": "read_receipt",
            "gen_ai.completion.0.tool_calls.0.arguments": "{}"}
    refusal = {"llm.request.type": "chat", "gen_ai.request.model": "gpt-4o", "gen_ai.prompt.0.role": "user",
               "gen_ai.prompt.0.content": "Write malware", "gen_ai.completion.0.role": "assistant",
               "gen_ai.completion.0.refusal": "I can't help with that."}
    embed = {"llm.request.type": "embedding", "gen_ai.request.model": "text-embedding-3-small", "gen_ai.prompt.0.content": "chair"}
    f = _export(tmp_path, [_span(1, "openai.chat", chat), _span(2, "openai.chat", refusal), _span(3, "openai.embeddings", embed)])
    s, recs, reasons = _run(project, f)
    assert (s.kept, s.skipped, s.quarantined) == (2, 1, 0)
    by_out = {r["output"]: r for r in recs}
    r = by_out["[tool_call read_receipt {}]"]
    assert [(m["role"], m["content"]) for m in r["messages"]] == [
        ("user", "Where is order A-17?"), ("assistant", '[tool_call get_order {"order_id": "A-17"}]'),
        ("tool", '{"status": "shipped"}'), ("user", "And this receipt?\n[image]")]
    assert "I can't help with that." in by_out


def test_strands_bedrock_blocks_logfire_events_and_semconv_tool_results(project, tmp_path):
    strands = _span(1, "chat", {"gen_ai.operation.name": "chat", "gen_ai.system": "strands-agents", "gen_ai.request.model": "claude"},
                    events=[{"name": "gen_ai.user.message", "attributes": [{"key": "content", "value": _v([{"text": "Weather in Oslo?"}])}]},
                            {"name": "gen_ai.assistant.message", "attributes": [{"key": "content", "value": _v(
                                [{"text": "Let me check."}, {"toolUse": {"toolUseId": "t1", "name": "get_weather", "input": {"city": "Oslo"}}}])}]},
                            {"name": "gen_ai.tool.message", "attributes": [{"key": "content", "value": _v(
                                [{"toolResult": {"toolUseId": "t1", "status": "success", "content": [{"text": "3C, clear"}]}}])}]},
                            {"name": "gen_ai.choice", "attributes": [{"key": "message", "value": _v(
                                [{"reasoningContent": {"reasoningText": {"text": "hmm"}}}, {"text": "It is 3C in Oslo."}])},
                                {"key": "finish_reason", "value": _v("end_turn")}]}])
    logfire = _span(2, "Responses API with 'gpt-4o'", {"gen_ai.system": "openai", "gen_ai.request.model": "gpt-4o", "events": [
        {"event.name": "gen_ai.system.message", "content": "Be brief.", "role": "system"},
        {"event.name": "gen_ai.user.message", "content": "Capital of France?", "role": "user"},
        {"event.name": "gen_ai.assistant.message", "content": "Paris.", "role": "assistant"}]})
    semconv = _span(3, "chat", {"gen_ai.operation.name": "chat", "gen_ai.request.model": "gpt-4.1", "gen_ai.input.messages": [
        {"role": "user", "parts": [{"type": "text", "content": "Weather?"}, {"type": "blob", "modality": "image", "content": "AAA"}]},
        {"role": "assistant", "parts": [{"type": "tool_call", "id": "c", "name": "weather", "arguments": {"city": "Paris"}}]},
        {"role": "tool", "parts": [{"type": "tool_call_response", "id": "c", "response": {"temp_c": 12}}]}],
        "gen_ai.output.messages": [{"role": "assistant", "parts": [{"type": "text", "content": "12C."}]}]})
    f = _export(tmp_path, [strands, logfire, semconv])
    s, recs, reasons = _run(project, f)
    assert (s.kept, s.quarantined) == (3, 0), reasons
    by_out = {r["output"]: r for r in recs}
    st = by_out["It is 3C in Oslo."]
    assert [(m["role"], m["content"]) for m in st["messages"]] == [
        ("user", "Weather in Oslo?"), ("assistant", 'Let me check.\n[tool_call get_weather {"city":"Oslo"}]'), ("tool", "3C, clear")]
    lf = by_out["Paris."]
    assert [m["role"] for m in lf["messages"]] == ["system", "user"] and "events" not in lf["meta"]
    sc = by_out["12C."]
    assert [m["content"] for m in sc["messages"]] == ["Weather?\n[image]", '[tool_call weather {"city":"Paris"}]', '{"temp_c":12}']


def test_google_adk_call_llm_spans(project, tmp_path):
    req = {"model": "gemini-2.0-flash", "config": {"system_instruction": "You are a weather agent.", "tools": [
        {"function_declarations": [{"name": "get_weather"}]}]}, "contents": [
        {"role": "user", "parts": [{"text": "Weather in Rome?"}]},
        {"role": "model", "parts": [{"function_call": {"name": "get_weather", "args": {"city": "Rome"}}}]},
        {"role": "user", "parts": [{"function_response": {"name": "get_weather", "response": {"report": "Sunny"}}}]}]}
    resp = {"content": {"role": "model", "parts": [{"text": "Sunny in Rome."}]}, "finish_reason": "STOP",
            "usage_metadata": {"prompt_token_count": 210, "candidates_token_count": 12}}
    f = _export(tmp_path, [
        _span(1, "invoke_agent weather_agent", {"gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "weather_agent"}),
        _span(2, "call_llm", {"gen_ai.system": "gcp.vertex.agent", "gen_ai.request.model": "gemini-2.0-flash",
                              "gcp.vertex.agent.session_id": "sess-7", "gcp.vertex.agent.llm_request": req,
                              "gcp.vertex.agent.llm_response": resp}),
        _span(3, "execute_tool get_weather", {"gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "get_weather"})])
    s, (r,), _ = _run(project, f)
    assert (s.kept, s.skipped) == (1, 2)
    assert [(m["role"], m["content"]) for m in r["messages"]] == [
        ("system", "You are a weather agent."), ("user", "Weather in Rome?"),
        ("assistant", '[tool_call get_weather {"city":"Rome"}]'), ("tool", '{"report":"Sunny"}')]
    assert (r["output"], r["model"], r["tokens_in"], r["tokens_out"], r["latency_ms"]) == ("Sunny in Rome.", "gemini-2.0-flash", 210, 12, 500.0)
    assert r["meta"]["session_id"] == "sess-7" and r["meta"]["finish_reason"] == "STOP"


def test_the_system_instructions_of_an_operation_details_event(project, tmp_path):
    details = {"name": "gen_ai.client.inference.operation.details", "attributes": [
        {"key": "gen_ai.system_instructions", "value": _v([{"type": "text", "content": "Answer only in German."}])},
        {"key": "gen_ai.input.messages", "value": _v([{"role": "user", "parts": [{"type": "text", "content": "Chair?"}]}])},
        {"key": "gen_ai.output.messages", "value": _v([{"role": "assistant", "parts": [{"type": "text", "content": "Stuhl"}]}])}]}
    f = _export(tmp_path, [_span(1, "chat gpt-4.1", {"gen_ai.operation.name": "chat", "gen_ai.request.model": "gpt-4.1"}, events=[details])])
    _, (r,), _ = _run(project, f)
    assert [(m["role"], m["content"]) for m in r["messages"]] == [("system", "Answer only in German."), ("user", "Chair?")]
    assert r["output"] == "Stuhl"


def test_spans_as_the_console_exporter_writes_them(project, tmp_path):
    """``OTEL_TRACES_EXPORTER=console``: ``ReadableSpan.to_json()``, pretty-printed one after another."""
    def span(n, attrs):
        return {"name": "chat gpt-4o", "context": {"trace_id": "0x5b8e", "span_id": f"0x{n:016x}", "trace_state": "[]"},
                "kind": "SpanKind.CLIENT", "parent_id": None, "start_time": "2026-11-02T06:13:20.000000Z",
                "end_time": "2026-11-02T06:13:21.250000Z", "status": {"status_code": "UNSET"}, "attributes": attrs,
                "events": [], "links": [], "resource": {"attributes": {"service.name": "demo-bot"}, "schema_url": ""}}
    chat = {"gen_ai.operation.name": "chat", "gen_ai.request.model": "gpt-4o", "gen_ai.usage.input_tokens": 10,
            "gen_ai.input.messages": json.dumps([{"role": "user", "parts": [{"type": "text", "content": "Weather in Paris?"}]}]),
            "gen_ai.output.messages": json.dumps([{"role": "assistant", "parts": [{"type": "text", "content": "Rainy."}]}])}
    f = tmp_path / "console.json"
    f.write_text("\n".join(json.dumps(x, indent=4) for x in (span(1, chat), span(2, {"gen_ai.operation.name": "execute_tool"}))))
    s, (r,), _ = _run(project, f)
    assert s.formats[str(f)] == "json:otel" and (s.kept, s.skipped) == (1, 1)
    assert (r["output"], r["latency_ms"], r["tokens_in"], r["meta"]["service.name"], r["meta"]["span_id"]) == (
        "Rainy.", 1250.0, 10, "demo-bot", "0x0000000000000001")


def test_openinference_content_parts_keep_their_media(project, tmp_path):
    llm = {"openinference.span.kind": "LLM", "llm.model_name": "gpt-4o",
           "llm.input_messages.0.message.role": "user",
           "llm.input_messages.0.message.contents.0.message_content.type": "text",
           "llm.input_messages.0.message.contents.0.message_content.text": "What is this?",
           "llm.input_messages.0.message.contents.1.message_content.type": "image",
           "llm.input_messages.0.message.contents.1.message_content.image.image.url": "data:image/png;base64,AAA",
           "llm.output_messages.0.message.role": "assistant", "llm.output_messages.0.message.content": "A chair."}
    _, (r,), _ = _run(project, _export(tmp_path, [_span(1, "ChatCompletion", llm)]))
    assert r["messages"] == [{"role": "user", "content": "What is this?\n[image]"}] and r["output"] == "A chair."
