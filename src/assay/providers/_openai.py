"""Any OpenAI-compatible ``/chat/completions`` endpoint: OpenAI, vLLM, Ollama,
llama.cpp server, LiteLLM, hosted gateways.

``params`` pass through to the request body unchanged (``tools``, ``tool_choice``,
``response_format``, ``temperature``, ...). ``options.stream: true`` reads the answer as
server-sent events (with ``stream_options.include_usage`` so token counts still arrive).
The API key is read from the environment variable named by ``api_key_env`` (default
``OPENAI_API_KEY``) when the provider starts; it is never stored, logged or reported.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from contextlib import aclosing
from typing import Any

import orjson

from assay.errors import ProviderError
from assay.providers._base import Completion, Prompt, ProviderContext, provider
from assay.providers._http import RetryableError, check_status, make_client, parse_json, stream_events
from assay.records import Candidate, Case

__all__ = ["OpenAIChat", "RetryableError"]


def _usage(data: Any) -> tuple[int | None, int | None, float | None]:
    usage = data.get("usage") if isinstance(data, dict) else None
    if not isinstance(usage, dict):
        return None, None, None
    cost = usage.get("cost")  # gateways such as OpenRouter and LiteLLM report it
    return usage.get("prompt_tokens"), usage.get("completion_tokens"), float(cost) if isinstance(cost, (int, float)) else None


class OpenAIChat:
    """One candidate on an OpenAI-compatible chat endpoint."""

    max_concurrency: int | None

    def __init__(self, candidate: Candidate) -> None:
        opts = candidate.options
        self.candidate = candidate
        self.base_url = str(opts.get("base_url", "https://api.openai.com/v1")).rstrip("/")
        self.max_concurrency = opts.get("concurrency")
        self.stream = bool(opts.get("stream", False))
        key_env = str(opts.get("api_key_env", "OPENAI_API_KEY"))
        api_key = os.environ.get(key_env)
        if api_key is None and "api.openai.com" in self.base_url:
            raise ProviderError(
                f"no API key: the environment variable {key_env} is not set",
                candidate=candidate.name,
                hint=f"export {key_env}=... (assay never stores keys)",
            )
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._secrets = (api_key,) if api_key else ()
        self._client = make_client(self.base_url, headers, opts, candidate.name)

    def identity(self) -> dict[str, Any]:
        return {"provider": "openai", "base_url": self.base_url, "model": self.candidate.model}

    async def complete(self, prompt: Prompt, params: Mapping[str, Any], case: Case) -> Completion:
        body: dict[str, Any] = {"model": self.candidate.model, "messages": prompt.as_messages(), **params}
        if self.stream or body.get("stream"):
            return await self._complete_stream(body)
        name = self.candidate.name
        resp = await self._client.post("/chat/completions", body)
        check_status(resp.status, resp.headers, resp.text(), self.base_url, name, self._secrets)
        data = parse_json(resp.body, self.base_url, name, self._secrets)
        try:
            choice = data["choices"][0]["message"]
            output = choice.get("content") or ""
            if not output and choice.get("tool_calls"):
                output = orjson.dumps(choice["tool_calls"]).decode()
        except (KeyError, IndexError, TypeError, AttributeError) as exc:
            raise ProviderError(f"unexpected response shape from {self.base_url}: {exc!r}", candidate=name) from None
        tin, tout, cost = _usage(data)
        return Completion(output=output, tokens_in=tin, tokens_out=tout, cost_usd=cost)

    async def _complete_stream(self, body: dict[str, Any]) -> Completion:
        name = self.candidate.name
        body = {**body, "stream": True, "stream_options": {**(body.get("stream_options") or {}), "include_usage": True}}
        parts: list[str] = []
        tool_calls: dict[int, dict[str, Any]] = {}
        tin = tout = None
        cost = None
        finished = False
        # aclosing: leaving the loop early (at [DONE]) still closes the HTTP response now
        async with aclosing(stream_events(self._client, "/chat/completions", body, self.base_url, name, self._secrets)) as events:
            async for event in events:
                if event == "DONE":
                    finished = True
                    break
                if not isinstance(event, dict):
                    raise ProviderError(f"unexpected stream event from {self.base_url}: {event!r}", candidate=name)
                if event.get("usage"):
                    tin, tout, cost = _usage(event)
                for choice in event.get("choices") or []:
                    delta = choice.get("delta") or {}
                    if delta.get("content"):
                        parts.append(delta["content"])
                    for tc in delta.get("tool_calls") or []:
                        slot = tool_calls.setdefault(int(tc.get("index", 0)), {"type": "function", "function": {"name": "", "arguments": ""}})
                        if tc.get("id"):
                            slot["id"] = tc["id"]
                        fn = tc.get("function") or {}
                        slot["function"]["name"] += fn.get("name") or ""
                        slot["function"]["arguments"] += fn.get("arguments") or ""
                    if choice.get("finish_reason"):
                        finished = True
        if not finished:
            raise RetryableError(f"the stream from {self.base_url} ended before the answer finished", candidate=name)
        output = "".join(parts)
        if not output and tool_calls:
            output = orjson.dumps([tool_calls[i] for i in sorted(tool_calls)]).decode()
        return Completion(output=output, tokens_in=tin, tokens_out=tout, cost_usd=cost)

    async def aclose(self) -> None:
        await self._client.aclose()


@provider("openai")
def _make(candidate: Candidate, ctx: ProviderContext) -> OpenAIChat:
    if not candidate.model:
        raise ProviderError("the openai provider needs `model:`", candidate=candidate.name)
    return OpenAIChat(candidate)
