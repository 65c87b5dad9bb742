"""The Anthropic Messages provider against a local Anthropic-shaped mock (127.0.0.1)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assay.errors import ProviderError
from assay.providers import Prompt, ProviderContext, RetryableError, make_provider
from assay.records import Candidate, Case, Message

from anthropic_mock import MockAnthropic  # tests/providers is on sys.path (rootdir conftest layout)

CASE = Case(id="c1", set_name="s", split="dev", record_ids=["r1"], slice_id="sl", weight=1.0,
            messages=[Message(role="user", content="hi")])
PROMPT = Prompt(messages=(Message(role="system", content="be brief"), Message(role="user", content="two plus two")))


def _make(tmp_path: Path, base_url: str, **options):
    cand = Candidate(name="claude", provider="anthropic", model="claude-x", options={"base_url": base_url, **options})
    return make_provider(cand, ProviderContext(project_root=tmp_path))


@pytest.fixture(autouse=True)
def _no_keys(monkeypatch):
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)


@pytest.mark.parametrize("http", ["aiohttp", "httpx"])
async def test_answer_usage_system_and_headers(tmp_path, monkeypatch, http):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test")
    async with MockAnthropic() as mock:
        prov = _make(tmp_path, mock.base_url, http=http)
        done = await prov.complete(PROMPT, {"temperature": 0}, CASE)
        await prov.aclose()
    assert done.output == "echo: two plus two"
    assert done.tokens_in == 5 + 2 and done.tokens_out == 4  # cache reads count as input
    body = mock.requests[0]
    assert body["system"] == "be brief"
    assert body["messages"] == [{"role": "user", "content": "two plus two"}]
    assert body["max_tokens"] == 1024 and body["temperature"] == 0 and body["model"] == "claude-x"
    assert mock.headers[0]["x-api-key"] == "sk-ant-test"
    assert mock.headers[0]["anthropic-version"] == "2023-06-01"
    assert prov.identity() == {"provider": "anthropic", "base_url": mock.base_url, "model": "claude-x"}


async def test_key_from_named_env_var(tmp_path, monkeypatch):
    monkeypatch.setenv("MY_CLAUDE_KEY", "sk-ant-other")
    async with MockAnthropic() as mock:
        prov = _make(tmp_path, mock.base_url, api_key_env="MY_CLAUDE_KEY", max_tokens=50)
        await prov.complete(PROMPT, {}, CASE)
        await prov.aclose()
    assert mock.headers[0]["x-api-key"] == "sk-ant-other"
    assert mock.requests[0]["max_tokens"] == 50


def test_missing_key_for_anthropic_com(tmp_path):
    cand = Candidate(name="claude", provider="anthropic", model="claude-x")
    with pytest.raises(ProviderError, match="ANTHROPIC_API_KEY"):
        make_provider(cand, ProviderContext(project_root=tmp_path))


async def test_overloaded_is_retryable_with_retry_after(tmp_path):
    async with MockAnthropic(fail_first=1, fail_status=529, retry_after=1.5) as mock:
        prov = _make(tmp_path, mock.base_url)
        with pytest.raises(RetryableError) as err:
            await prov.complete(PROMPT, {}, CASE)
        assert (await prov.complete(PROMPT, {}, CASE)).output.startswith("echo")
        await prov.aclose()
    assert err.value.retry_after == 1.5 and "529" in str(err.value)


async def test_bad_request_is_not_retryable(tmp_path):
    async with MockAnthropic(fail_first=1, fail_status=400) as mock:
        prov = _make(tmp_path, mock.base_url)
        with pytest.raises(ProviderError) as err:
            await prov.complete(PROMPT, {}, CASE)
        await prov.aclose()
    assert not err.value.retryable


async def test_tool_use_becomes_output_and_tools_pass_through(tmp_path):
    block = {"type": "tool_use", "id": "t1", "name": "lookup", "input": {"order": "A-1"}}
    tools = [{"name": "lookup", "description": "find an order", "input_schema": {"type": "object"}}]
    async with MockAnthropic(answer=lambda body: [block]) as mock:
        prov = _make(tmp_path, mock.base_url)
        done = await prov.complete(PROMPT, {"tools": tools}, CASE)
        await prov.aclose()
    assert json.loads(done.output) == [block]
    assert mock.requests[0]["tools"] == tools


@pytest.mark.parametrize("http", ["aiohttp", "httpx"])
async def test_stream_assembles_text_and_usage(tmp_path, http):
    async with MockAnthropic(answer=lambda body: "four is the answer") as mock:
        prov = _make(tmp_path, mock.base_url, stream=True, http=http)
        done = await prov.complete(PROMPT, {"temperature": 0}, CASE)
        await prov.aclose()
    assert done.output == "four is the answer"
    assert done.tokens_in == 5 + 2 and done.tokens_out == 4  # input from message_start, output from message_delta
    body = mock.requests[0]
    assert body["stream"] is True and body["system"] == "be brief" and body["max_tokens"] == 1024


async def test_stream_also_from_params(tmp_path):
    async with MockAnthropic() as mock:
        prov = _make(tmp_path, mock.base_url)
        done = await prov.complete(PROMPT, {"stream": True}, CASE)
        await prov.aclose()
    assert done.output == "echo: two plus two" and done.tokens_out == 4


async def test_streamed_tool_use_matches_the_non_streamed_answer(tmp_path):
    block = {"type": "tool_use", "id": "t1", "name": "lookup", "input": {"order": "A-1", "items": [1, 2, 3]}}
    async with MockAnthropic(answer=lambda body: [block]) as mock:
        streamed = _make(tmp_path, mock.base_url, stream=True)
        plain = _make(tmp_path, mock.base_url)
        got_stream = await streamed.complete(PROMPT, {}, CASE)
        got_plain = await plain.complete(PROMPT, {}, CASE)
        await streamed.aclose()
        await plain.aclose()
    assert json.loads(got_stream.output) == [block] == json.loads(got_plain.output)


@pytest.mark.parametrize("http", ["aiohttp", "httpx"])
async def test_stream_error_event_is_retryable(tmp_path, http):
    async with MockAnthropic(stream_error="overloaded_error") as mock:
        prov = _make(tmp_path, mock.base_url, stream=True, http=http)
        with pytest.raises(RetryableError, match="overloaded_error"):
            await prov.complete(PROMPT, {}, CASE)
        await prov.aclose()


async def test_stream_error_event_of_a_bad_request_is_not_retryable(tmp_path):
    async with MockAnthropic(stream_error="invalid_request_error") as mock:
        prov = _make(tmp_path, mock.base_url, stream=True)
        with pytest.raises(ProviderError, match="invalid_request_error") as err:
            await prov.complete(PROMPT, {}, CASE)
        await prov.aclose()
    assert not err.value.retryable


async def test_stream_cut_or_garbled_is_retryable(tmp_path):
    async with MockAnthropic(stream_cut_after=4) as mock:
        prov = _make(tmp_path, mock.base_url, stream=True)
        with pytest.raises(RetryableError, match="ended before message_stop"):
            await prov.complete(PROMPT, {}, CASE)
        await prov.aclose()
    async with MockAnthropic(stream_garbage=True) as mock:
        prov = _make(tmp_path, mock.base_url, stream=True)
        with pytest.raises(RetryableError, match="invalid JSON"):
            await prov.complete(PROMPT, {}, CASE)
        await prov.aclose()


async def test_stream_http_error_before_events_is_retryable_with_retry_after(tmp_path):
    async with MockAnthropic(fail_first=1, fail_status=429, retry_after=2) as mock:
        prov = _make(tmp_path, mock.base_url, stream=True)
        with pytest.raises(RetryableError) as err:
            await prov.complete(PROMPT, {}, CASE)
        assert (await prov.complete(PROMPT, {}, CASE)).output == "echo: two plus two"
        await prov.aclose()
    assert err.value.retry_after == 2 and "429" in str(err.value)
