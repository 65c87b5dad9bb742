"""Streaming (SSE), tools and response_format pass-through, on both HTTP clients."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from aiohttp import web

from assay.errors import ConfigError
from assay.providers import Prompt, ProviderContext, RetryableError, make_provider
from assay.records import Candidate, Case, Message
from assay.testing import MockOpenAI, Script

CASE = Case(id="c1", set_name="s", split="dev", record_ids=["r1"], slice_id="sl", weight=1.0,
            messages=[Message(role="user", content="hi")])
PROMPT = Prompt(messages=(Message(role="user", content="what is two plus two"),))


def _make(tmp_path: Path, base_url: str, **options):
    cand = Candidate(name="c", provider="openai", model="m", options={"base_url": base_url, **options})
    return make_provider(cand, ProviderContext(project_root=tmp_path))


@pytest.mark.parametrize("http", ["aiohttp", "httpx"])
async def test_stream_assembles_answer_and_usage(tmp_path, http):
    async with MockOpenAI(Script(outputs=["four is the answer"])) as mock:
        prov = _make(tmp_path, mock.base_url, stream=True, http=http)
        done = await prov.complete(PROMPT, {"temperature": 0}, CASE)
        await prov.aclose()
    assert done.output == "four is the answer"
    assert (done.tokens_in, done.tokens_out) == (5, 4)
    body = mock.requests[0]
    assert body["stream"] is True and body["stream_options"] == {"include_usage": True}


@pytest.mark.parametrize("http", ["aiohttp", "httpx"])
async def test_broken_stream_is_retryable(tmp_path, http):
    async with MockOpenAI(Script(malformed_every=1)) as mock:
        prov = _make(tmp_path, mock.base_url, stream=True, http=http)
        with pytest.raises(RetryableError, match="invalid JSON"):
            await prov.complete(PROMPT, {}, CASE)
        await prov.aclose()


async def _serve_sse(events: list[str]):
    async def handler(request: web.Request) -> web.StreamResponse:
        resp = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await resp.prepare(request)
        for e in events:
            await resp.write(f"data: {e}\n\n".encode())
        await resp.write_eof()
        return resp

    app = web.Application()
    app.router.add_post("/v1/chat/completions", handler)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    return runner, f"http://127.0.0.1:{runner.addresses[0][1]}/v1"


async def test_stream_cut_before_finish_is_retryable(tmp_path):
    chunk = {"choices": [{"index": 0, "delta": {"content": "half"}, "finish_reason": None}]}
    runner, url = await _serve_sse([json.dumps(chunk)])  # no finish_reason, no [DONE]
    try:
        prov = _make(tmp_path, url, stream=True)
        with pytest.raises(RetryableError, match="ended before"):
            await prov.complete(PROMPT, {}, CASE)
        await prov.aclose()
    finally:
        await runner.cleanup()


async def test_streamed_tool_calls_and_reported_cost(tmp_path):
    d1 = {"tool_calls": [{"index": 0, "id": "t1", "type": "function", "function": {"name": "add", "arguments": '{"a": '}}]}
    d2 = {"tool_calls": [{"index": 0, "function": {"arguments": "2}"}}]}
    events = [json.dumps({"choices": [{"index": 0, "delta": d, "finish_reason": None}]}) for d in (d1, d2)]
    events += [json.dumps({"choices": [{"index": 0, "delta": {}, "finish_reason": "tool_calls"}]}),
               json.dumps({"choices": [], "usage": {"prompt_tokens": 9, "completion_tokens": 3, "cost": 0.0021}}), "[DONE]"]
    runner, url = await _serve_sse(events)
    try:
        prov = _make(tmp_path, url, stream=True)
        done = await prov.complete(PROMPT, {"tools": [{"type": "function", "function": {"name": "add"}}]}, CASE)
        await prov.aclose()
    finally:
        await runner.cleanup()
    assert json.loads(done.output) == [{"type": "function", "id": "t1", "function": {"name": "add", "arguments": '{"a": 2}'}}]
    assert (done.tokens_in, done.tokens_out, done.cost_usd) == (9, 3, 0.0021)


async def test_tools_and_response_format_pass_through(tmp_path):
    tools = [{"type": "function", "function": {"name": "lookup", "parameters": {"type": "object"}}}]
    params = {"tools": tools, "tool_choice": "auto", "response_format": {"type": "json_object"}}
    async with MockOpenAI() as mock:
        prov = _make(tmp_path, mock.base_url)
        done = await prov.complete(PROMPT, params, CASE)
        await prov.aclose()
    assert json.loads(done.output) == {"echo": "what is two plus two"}
    for k, v in params.items():
        assert mock.requests[0][k] == v


def test_unknown_http_client_names_the_field(tmp_path):
    with pytest.raises(ConfigError, match="options.http"):
        _make(tmp_path, "http://127.0.0.1:9/v1", http="curl")


@pytest.mark.parametrize("key", ["api_key", "token", "Authorization"])
def test_secret_in_options_is_refused(tmp_path, key):
    with pytest.raises(ConfigError, match="never stores keys") as err:
        _make(tmp_path, "http://127.0.0.1:9/v1", **{key: "sk-live-123"})
    assert "sk-live-123" not in str(err.value) and "api_key_env" in (err.value.hint or "")
