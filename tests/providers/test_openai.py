"""The OpenAI-compatible provider against the local mock server (127.0.0.1 only)."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from assay.errors import ProviderError
from assay.providers import Completion, Prompt, ProviderContext, RetryableError, make_provider
from assay.providers._openai import OpenAIChat
from assay.records import Candidate, Case, Message
from assay.testing import MockOpenAI, Script

CASE = Case(
    id="c1",
    set_name="s",
    split="dev",
    record_ids=["r1"],
    slice_id="sl",
    weight=1.0,
    messages=[Message(role="user", content="what is two plus two")],
)
PROMPT = Prompt(messages=(Message(role="system", content="be brief"), Message(role="user", content="what is two plus two")))

Factory = Callable[..., OpenAIChat]


@pytest.fixture(autouse=True)
def _no_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("ASSAY_TEST_KEY", raising=False)


@pytest.fixture
async def make(tmp_path: Path) -> AsyncIterator[Factory]:
    """Build providers through the registry; close them all afterwards."""
    made: list[OpenAIChat] = []

    def build(base_url: str, **options: Any) -> OpenAIChat:
        cand = Candidate(name="cand", provider="openai", model="m", options={"base_url": base_url, **options})
        prov = make_provider(cand, ProviderContext(project_root=tmp_path))
        assert isinstance(prov, OpenAIChat)
        made.append(prov)
        return prov

    yield build
    for prov in made:
        await prov.aclose()


async def _complete(prov: OpenAIChat, **params: Any) -> Completion:
    return await prov.complete(PROMPT, params, CASE)


async def test_answer_and_usage(make: Factory) -> None:
    async with MockOpenAI() as mock:
        done = await _complete(make(mock.base_url))
    assert done.output == "echo: what is two plus two"
    assert (done.tokens_in, done.tokens_out) == (7, 6)  # whitespace words, system message included
    assert done.cost_usd is None
    body = mock.requests[0]
    assert body["model"] == "m"
    assert body["messages"] == [{"role": "system", "content": "be brief"}, {"role": "user", "content": "what is two plus two"}]
    assert "stream" not in body


async def test_text_prompt_becomes_user_message(make: Factory) -> None:
    async with MockOpenAI() as mock:
        done = await make(mock.base_url).complete(Prompt(text="raw text"), {}, CASE)
    assert done.output == "echo: raw text"
    assert mock.requests[0]["messages"] == [{"role": "user", "content": "raw text"}]


async def test_params_passed_through(make: Factory) -> None:
    params = {"temperature": 0.2, "max_tokens": 32, "response_format": {"type": "json_object"}, "stop": ["\n"]}
    async with MockOpenAI() as mock:
        done = await _complete(make(mock.base_url), **params)
    assert done.output == '{"echo": "what is two plus two"}'
    body = mock.requests[0]
    for key, value in params.items():
        assert body[key] == value


async def test_identity_has_no_key(make: Factory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-secret")
    prov = make("http://127.0.0.1:9/v1/")
    assert prov.identity() == {"provider": "openai", "base_url": "http://127.0.0.1:9/v1", "model": "m"}
    assert "sk-secret" not in repr(prov.identity())


async def test_authorization_from_named_env_var(make: Factory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSAY_TEST_KEY", "sk-test-123")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-wrong")
    async with MockOpenAI() as mock:
        await _complete(make(mock.base_url, api_key_env="ASSAY_TEST_KEY"))
    assert mock.request_headers[0]["Authorization"] == "Bearer sk-test-123"


async def test_no_authorization_without_key_for_local_endpoint(make: Factory) -> None:
    async with MockOpenAI() as mock:
        await _complete(make(mock.base_url, api_key_env="ASSAY_TEST_KEY"))
        await _complete(make(mock.base_url))
    assert all("Authorization" not in h for h in mock.request_headers)
    assert len(mock.request_headers) == 2


@pytest.mark.parametrize("key_env", [None, "ASSAY_TEST_KEY"])
def test_missing_key_for_openai_com(tmp_path: Path, key_env: str | None) -> None:
    options: dict[str, Any] = {"base_url": "https://api.openai.com/v1"}
    if key_env:
        options["api_key_env"] = key_env
    cand = Candidate(name="cand", provider="openai", model="m", options=options)
    with pytest.raises(ProviderError) as err:
        make_provider(cand, ProviderContext(project_root=tmp_path))  # raises before any request
    assert (key_env or "OPENAI_API_KEY") in str(err.value)
    assert not err.value.retryable


def test_model_required(tmp_path: Path) -> None:
    cand = Candidate(name="cand", provider="openai", options={"base_url": "http://127.0.0.1:9/v1"})
    with pytest.raises(ProviderError, match="model"):
        make_provider(cand, ProviderContext(project_root=tmp_path))


async def test_429_with_retry_after(make: Factory) -> None:
    async with MockOpenAI(Script(fail_first=1, fail_status=429, retry_after=2.5)) as mock:
        prov = make(mock.base_url)
        with pytest.raises(RetryableError) as err:
            await _complete(prov)
        assert (await _complete(prov)).output.startswith("echo: ")
    assert err.value.retryable
    assert err.value.retry_after == 2.5
    assert "429" in str(err.value)


async def test_500_is_retryable(make: Factory) -> None:
    async with MockOpenAI(Script(fail_first=1, fail_status=500)) as mock:
        with pytest.raises(RetryableError) as err:
            await _complete(make(mock.base_url))
    assert err.value.retryable and err.value.retry_after is None
    assert "500" in str(err.value)


async def test_400_is_not_retryable(make: Factory) -> None:
    async with MockOpenAI(Script(fail_first=1, fail_status=400)) as mock:
        with pytest.raises(ProviderError) as err:
            await _complete(make(mock.base_url))
    assert not isinstance(err.value, RetryableError)
    assert not err.value.retryable
    assert "400" in str(err.value) and err.value.candidate == "cand"


async def test_malformed_body_is_retryable(make: Factory) -> None:
    # A body that is not JSON at all (cut off, garbled by a proxy) may pass on a retry.
    async with MockOpenAI(Script(malformed_every=1)) as mock:
        with pytest.raises(RetryableError) as err:
            await _complete(make(mock.base_url))
    assert err.value.retryable
    assert "invalid JSON" in str(err.value)


@pytest.fixture
async def raw_server() -> AsyncIterator[Callable[[str], Awaitable[str]]]:
    """A bare 127.0.0.1 server answering every chat request with the given text (HTTP 200)."""
    runners: list[web.AppRunner] = []

    async def serve(text: str) -> str:
        async def handler(request: web.Request) -> web.Response:
            return web.Response(text=text, content_type="application/json")

        app = web.Application()
        app.router.add_post("/v1/chat/completions", handler)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        runners.append(runner)
        return f"http://127.0.0.1:{runner.addresses[0][1]}/v1"

    yield serve
    for runner in runners:
        await runner.cleanup()


@pytest.mark.parametrize(
    "reply",
    [[], {}, {"choices": []}, {"choices": [{}]}, {"choices": [{"message": None}]}, {"choices": [{"message": "hi"}]}],
    ids=["list", "empty", "no-choices", "no-message", "null-message", "str-message"],
)
async def test_wrong_shape(make: Factory, raw_server: Callable[[str], Awaitable[str]], reply: Any) -> None:
    base_url = await raw_server(json.dumps(reply))
    with pytest.raises(ProviderError, match="unexpected response") as err:
        await _complete(make(base_url))
    assert not err.value.retryable


async def test_bad_usage_is_ignored(make: Factory, raw_server: Callable[[str], Awaitable[str]]) -> None:
    base_url = await raw_server(json.dumps({"choices": [{"message": {"content": "ok"}}], "usage": "n/a"}))
    done = await _complete(make(base_url))
    assert (done.output, done.tokens_in, done.tokens_out) == ("ok", None, None)


async def test_tool_calls_become_output(make: Factory, raw_server: Callable[[str], Awaitable[str]]) -> None:
    calls = [{"id": "t1", "type": "function", "function": {"name": "add", "arguments": '{"a": 2, "b": 2}'}}]
    reply = {"choices": [{"message": {"role": "assistant", "content": None, "tool_calls": calls}}], "usage": {"cost": 0.001}}
    done = await _complete(make(await raw_server(json.dumps(reply))))
    assert json.loads(done.output) == calls
    assert done.cost_usd == 0.001


async def test_connection_refused_is_retryable(make: Factory) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(RetryableError) as err:
        await _complete(make(f"http://127.0.0.1:{port}/v1"))
    assert err.value.retryable and "cannot reach" in str(err.value)


async def test_timeout_is_retryable(make: Factory) -> None:
    async with MockOpenAI(Script(latency_s=0.2)) as mock:
        with pytest.raises(RetryableError, match="timed out"):
            await _complete(make(mock.base_url, timeout_s=0.02))


async def test_concurrent_requests(make: Factory) -> None:
    async with MockOpenAI(Script(latency_s=0.05, outputs=lambda b: str(b["temperature"]))) as mock:
        prov = make(mock.base_url, concurrency=8)
        assert prov.max_concurrency == 8
        tasks: list[Awaitable[Completion]] = [_complete(prov, temperature=t / 10) for t in range(20)]
        done = await asyncio.gather(*tasks)
    assert [d.output for d in done] == [str(t / 10) for t in range(20)]
    assert len(mock.requests) == 20
