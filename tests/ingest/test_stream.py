"""Streamed responses logged as their chunks or SSE text read as the whole response would."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assay.ingest import ingest
from assay.ingest._shapes import detect_shape
from assay.ingest._stream import assembled, sse_events
from tests.ingest.conftest import stored

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["type", "index", "delta", "choices", "content", "text", "partial_json", "tool_calls", "function",
                         "name", "arguments", "parts", "role", "finish_reason", "finishReason", "stop_reason", "thinking"]),
        inner, max_size=5),
    max_leaves=20,
)


def _openai_chunks():
    base = {"id": "c1", "object": "chat.completion.chunk", "created": 1793520000, "model": "gpt-4o-mini"}
    return [
        {**base, "choices": [{"index": 0, "delta": {"role": "assistant", "content": "Your order "}, "finish_reason": None}]},
        {**base, "choices": [{"index": 0, "delta": {"content": "ships today.", "tool_calls": [
            {"index": 0, "id": "call_1", "type": "function", "function": {"name": "get_order", "arguments": ""}}]}, "finish_reason": None}]},
        {**base, "choices": [{"index": 0, "delta": {"tool_calls": [{"index": 0, "function": {"arguments": '{"id": '}}]}, "finish_reason": None}]},
        {**base, "choices": [{"index": 0, "delta": {"tool_calls": [{"index": 0, "function": {"arguments": '"A-1"}'}}]}, "finish_reason": "tool_calls"}]},
        {**base, "choices": [], "usage": {"prompt_tokens": 12, "completion_tokens": 7}},
    ]


OPENAI_WHOLE = {"id": "c1", "object": "chat.completion", "created": 1793520000, "model": "gpt-4o-mini",
                "choices": [{"index": 0, "finish_reason": "tool_calls", "message": {
                    "role": "assistant", "content": "Your order ships today.",
                    "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "get_order", "arguments": '{"id": "A-1"}'}}]}}],
                "usage": {"prompt_tokens": 12, "completion_tokens": 7}}

ANTHROPIC_EVENTS = [
    {"type": "message_start", "message": {"id": "m1", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
                                          "content": [], "stop_reason": None, "usage": {"input_tokens": 20, "output_tokens": 1}}},
    {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
    {"type": "ping"},
    {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Let me "}},
    {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "check."}},
    {"type": "content_block_stop", "index": 0},
    {"type": "content_block_start", "index": 1, "content_block": {"type": "tool_use", "id": "tu1", "name": "get_order", "input": {}}},
    {"type": "content_block_delta", "index": 1, "delta": {"type": "input_json_delta", "partial_json": '{"id": "'}},
    {"type": "content_block_delta", "index": 1, "delta": {"type": "input_json_delta", "partial_json": 'A-1"}'}},
    {"type": "content_block_stop", "index": 1},
    {"type": "message_delta", "delta": {"stop_reason": "tool_use", "stop_sequence": None}, "usage": {"output_tokens": 30}},
    {"type": "message_stop"},
]
ANTHROPIC_WHOLE = {"id": "m1", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5", "stop_reason": "tool_use",
                   "stop_sequence": None, "content": [{"type": "text", "text": "Let me check."},
                                                      {"type": "tool_use", "id": "tu1", "name": "get_order", "input": {"id": "A-1"}}],
                   "usage": {"input_tokens": 20, "output_tokens": 30}}

RESPONSES_FINAL = {"id": "resp_1", "object": "response", "created_at": 1793520000, "status": "completed", "model": "gpt-4.1",
                   "output": [{"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": "Hi!"}]}],
                   "usage": {"input_tokens": 3, "output_tokens": 1}}
RESPONSES_EVENTS = [{"type": "response.created", "response": {**RESPONSES_FINAL, "status": "in_progress", "output": []}},
                    {"type": "response.output_text.delta", "delta": "Hi!"},
                    {"type": "response.completed", "response": RESPONSES_FINAL}]

GEMINI_CHUNKS = [
    {"candidates": [{"content": {"role": "model", "parts": [{"text": "Bon"}]}, "index": 0}], "modelVersion": "gemini-2.5-flash"},
    {"candidates": [{"content": {"role": "model", "parts": [{"text": "jour"}]}, "finishReason": "STOP", "index": 0}],
     "usageMetadata": {"promptTokenCount": 4, "candidatesTokenCount": 2}, "modelVersion": "gemini-2.5-flash"},
]
GEMINI_WHOLE = {"candidates": [{"content": {"role": "model", "parts": [{"text": "Bonjour"}]}, "finishReason": "STOP", "index": 0}],
                "usageMetadata": {"promptTokenCount": 4, "candidatesTokenCount": 2}, "modelVersion": "gemini-2.5-flash"}


def _sse(events, named=False):
    return "".join((f"event: {e.get('type')}\n" if named else "") + f"data: {json.dumps(e)}\n\n" for e in events) + "data: [DONE]\n\n"


REQUESTS = {
    "openai": {"model": "gpt-4o-mini", "stream": True, "messages": [{"role": "user", "content": "where is A-1?"}]},
    "anthropic": {"model": "claude-sonnet-4-5", "stream": True, "max_tokens": 200, "messages": [{"role": "user", "content": "where is A-1?"}]},
    "responses": {"model": "gpt-4.1", "stream": True, "input": "hello"},
    "gemini": {"contents": [{"role": "user", "parts": [{"text": "salut"}]}]},
}


@pytest.mark.parametrize("shape,stream,whole", [
    ("openai", _openai_chunks(), OPENAI_WHOLE),
    ("openai", _sse(_openai_chunks()), OPENAI_WHOLE),
    ("anthropic", ANTHROPIC_EVENTS, ANTHROPIC_WHOLE),
    ("anthropic", _sse(ANTHROPIC_EVENTS, named=True), ANTHROPIC_WHOLE),
    ("responses", RESPONSES_EVENTS, RESPONSES_FINAL),
    ("gemini", GEMINI_CHUNKS, GEMINI_WHOLE),
])
def test_a_streamed_response_reads_as_the_whole_response(shape, stream, whole):
    streamed = {"request": REQUESTS[shape], "response": stream, "ts": "2026-11-01T10:00:00Z"}
    plain = {"request": REQUESTS[shape], "response": whole, "ts": "2026-11-01T10:00:00Z"}
    got = detect_shape(streamed, file="f", line=1)
    assert got.name == shape == detect_shape(plain, file="f", line=1).name
    a, b = got.normalise(streamed), got.normalise(plain)
    assert a["output"] and a["output"] == b["output"]
    assert [(m.role, m.content) for m in a["messages"]] == [(m.role, m.content) for m in b["messages"]]
    assert {k: a[k] for k in ("model", "tokens_in", "tokens_out", "ts", "metadata")} == {k: b[k] for k in ("model", "tokens_in", "tokens_out", "ts", "metadata")}


def test_stream_edge_cases():
    assert assembled([]) is None and assembled([1, 2]) is None and assembled([{"a": 1}]) is None
    assert assembled("just an answer") is None and sse_events("data: {not json\n\n") is None
    cut = assembled(ANTHROPIC_EVENTS[:8])  # cut off mid tool input: the text and the fragment are kept
    assert cut["content"][0]["text"] == "Let me check." and cut["content"][1]["input"] == '{"id": "'
    assert assembled(RESPONSES_EVENTS[:2]) is None  # no final response event: the row is read as it is
    two = assembled([{"object": "chat.completion.chunk", "choices": [{"index": 1, "delta": {"content": "b"}}, {"index": 0, "delta": {"content": "a"}}]}])
    assert [c["message"]["content"] for c in two["choices"]] == ["a", "b"]


def test_ingest_streamed_openai_log(project, tmp_path):
    rows = [{"request": REQUESTS["openai"], "response": _openai_chunks() if i % 2 else _sse(_openai_chunks()), "ts": f"2026-11-0{i + 1}T10:00:00Z"}
            for i in range(4)]
    f = tmp_path / "streamed.jsonl"
    f.write_text("".join(json.dumps(r) + "\n" for r in rows))
    s = ingest(project, [str(f)])
    assert (s.kept, s.quarantined) == (4, 0) and s.formats[str(f)] == "jsonl:openai"
    recs, _ = stored(project)
    assert {r["output"] for r in recs} == {'Your order ships today.\n[tool_call get_order {"id": "A-1"}]'}
    assert all(r["tokens_in"] == 12 and r["tokens_out"] == 7 and "response" not in r["meta"] for r in recs)



@settings(max_examples=300, deadline=None)
@given(events=st.lists(st.fixed_dictionaries({"type": st.sampled_from(["message_start", "content_block_start", "content_block_delta",
                                                                       "message_delta", "error", "response.completed", "x"])},
                                             optional={"index": _JSON, "delta": _JSON, "content_block": _JSON, "message": _JSON,
                                                       "usage": _JSON, "response": _JSON}), max_size=6)
       | st.lists(st.fixed_dictionaries({"object": st.just("chat.completion.chunk")},
                                        optional={"choices": _JSON, "usage": _JSON, "model": _JSON}), max_size=6)
       | st.lists(st.fixed_dictionaries({"candidates": _JSON}, optional={"usageMetadata": _JSON}), max_size=6)
       | st.text(max_size=60).map(lambda t: "data: " + t))
def test_broken_streams_never_crash(events):
    """Any stream a log may hold is put together or left alone (None), never an exception."""
    out = assembled(events)
    assert out is None or isinstance(out, dict)
