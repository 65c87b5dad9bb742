"""The mock OpenAI server itself, exercised over real HTTP on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from assay.testing import MockOpenAI, Script, running_in_thread


def _chat(content: str = "hello there", **extra: Any) -> dict[str, Any]:
    return {"model": "m", "messages": [{"role": "system", "content": "be brief"}, {"role": "user", "content": content}], **extra}


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(trust_env=False, timeout=5) as c:
        yield c


async def test_chat_echo_and_usage(client: httpx.AsyncClient) -> None:
    async with MockOpenAI() as mock:
        assert mock.base_url.startswith("http://127.0.0.1:") and mock.base_url.endswith("/v1")
        resp = await client.post(f"{mock.base_url}/chat/completions", json=_chat("hello there"))
    assert resp.status_code == 200
    data = resp.json()
    assert data["object"] == "chat.completion" and data["model"] == "m"
    assert data["id"] and isinstance(data["created"], int)
    choice = data["choices"][0]
    assert choice["message"] == {"role": "assistant", "content": "echo: hello there"}
    assert choice["finish_reason"] == "stop"
    assert data["usage"] == {"prompt_tokens": 4, "completion_tokens": 3, "total_tokens": 7}
    assert mock.requests == [_chat("hello there")]


async def test_outputs_cycle_and_callable(client: httpx.AsyncClient) -> None:
    async with MockOpenAI(Script(outputs=["a", "b"])) as mock:
        got = [(await client.post(f"{mock.base_url}/chat/completions", json=_chat())).json() for _ in range(3)]
    assert [d["choices"][0]["message"]["content"] for d in got] == ["a", "b", "a"]

    async with MockOpenAI(Script(outputs=lambda body: body["messages"][-1]["content"].upper())) as mock:
        resp = await client.post(f"{mock.base_url}/chat/completions", json=_chat("shout"))
    assert resp.json()["choices"][0]["message"]["content"] == "SHOUT"


async def test_streaming_sse(client: httpx.AsyncClient) -> None:
    body = _chat("one two  three", stream=True, stream_options={"include_usage": True})
    async with MockOpenAI() as mock:
        async with client.stream("POST", f"{mock.base_url}/chat/completions", json=body) as resp:
            assert resp.status_code == 200
            assert resp.headers["content-type"].startswith("text/event-stream")
            lines = [line async for line in resp.aiter_lines() if line]
    assert all(line.startswith("data: ") for line in lines)
    assert lines[-1] == "data: [DONE]"
    chunks = [json.loads(line[6:]) for line in lines[:-1]]
    assert {c["object"] for c in chunks} == {"chat.completion.chunk"}
    assert len({c["id"] for c in chunks}) == 1
    assert chunks[0]["choices"][0]["delta"]["role"] == "assistant"
    text = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks if c["choices"])
    assert text == "echo: one two  three"
    finishes = [c["choices"][0]["finish_reason"] for c in chunks if c["choices"]]
    assert finishes[-1] == "stop" and set(finishes[:-1]) == {None}
    assert chunks[-1]["choices"] == [] and chunks[-1]["usage"]["completion_tokens"] == 4


async def test_fail_first_with_retry_after(client: httpx.AsyncClient) -> None:
    async with MockOpenAI(Script(fail_first=2, fail_status=429, retry_after=1.5)) as mock:
        codes = []
        for _ in range(3):
            resp = await client.post(f"{mock.base_url}/chat/completions", json=_chat())
            codes.append(resp.status_code)
            if resp.status_code == 429:
                assert resp.headers["retry-after"] == "1.5"
                assert resp.json()["error"]["type"] == "rate_limit_error"
    assert codes == [429, 429, 200]
    assert len(mock.requests) == 3


async def test_fail_every_and_malformed_every(client: httpx.AsyncClient) -> None:
    async with MockOpenAI(Script(fail_every=3)) as mock:
        codes = [(await client.post(f"{mock.base_url}/chat/completions", json=_chat())).status_code for _ in range(6)]
    assert codes == [200, 200, 500, 200, 200, 500]

    async with MockOpenAI(Script(malformed_every=2)) as mock:
        resps = [await client.post(f"{mock.base_url}/chat/completions", json=_chat()) for _ in range(2)]
    assert [r.status_code for r in resps] == [200, 200]
    resps[0].json()
    with pytest.raises(ValueError):
        resps[1].json()


async def test_json_object(client: httpx.AsyncClient) -> None:
    async with MockOpenAI() as mock:
        body = _chat("what is up", response_format={"type": "json_object"})
        resp = await client.post(f"{mock.base_url}/chat/completions", json=body)
    assert json.loads(resp.json()["choices"][0]["message"]["content"]) == {"echo": "what is up"}


async def test_models_endpoint(client: httpx.AsyncClient) -> None:
    async with MockOpenAI(Script(fail_first=5)) as mock:
        resp = await client.get(f"{mock.base_url}/models")
    assert resp.status_code == 200
    data = resp.json()
    assert data["object"] == "list" and data["data"][0]["object"] == "model"
    assert mock.requests == []


async def test_legacy_completions(client: httpx.AsyncClient) -> None:
    async with MockOpenAI() as mock:
        resp = await client.post(f"{mock.base_url}/completions", json={"model": "m", "prompt": "say hi"})
        data = resp.json()
        assert data["object"] == "text_completion"
        assert data["choices"][0]["text"] == "echo: say hi"
        assert data["usage"]["prompt_tokens"] == 2
        body = {"model": "m", "prompt": "a b", "stream": True}
        async with client.stream("POST", f"{mock.base_url}/completions", json=body) as resp:
            lines = [line async for line in resp.aiter_lines() if line]
    assert lines[-1] == "data: [DONE]"
    assert "".join(json.loads(line[6:])["choices"][0]["text"] for line in lines[:-1]) == "echo: a b"


async def test_bad_requests(client: httpx.AsyncClient) -> None:
    async with MockOpenAI() as mock:
        bad_json = await client.post(f"{mock.base_url}/chat/completions", content=b"{nope")
        no_messages = await client.post(f"{mock.base_url}/chat/completions", json={"model": "m"})
    assert bad_json.status_code == 400 and no_messages.status_code == 400


def test_running_in_thread() -> None:
    with running_in_thread(Script(outputs=["threaded"])) as mock:
        resp = httpx.post(f"{mock.base_url}/chat/completions", json=_chat(), trust_env=False, timeout=5)
        assert resp.json()["choices"][0]["message"]["content"] == "threaded"
        assert len(mock.requests) == 1
    with pytest.raises(httpx.ConnectError):
        httpx.post(f"{mock.base_url}/chat/completions", json=_chat(), trust_env=False, timeout=5)
