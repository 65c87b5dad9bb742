"""Anthropic's Messages API (``POST /v1/messages``).

System messages move to the top-level ``system`` field, ``max_tokens`` defaults to
``options.max_tokens`` (1024) because the API requires it, and ``params`` pass through
(``temperature``, ``tools``, ``stop_sequences``, ...). ``options.stream: true`` reads the
answer as server-sent events (``message_start`` carries the input usage,
``content_block_delta`` the text and tool-input pieces, ``message_delta`` the stop reason
and output usage, ``message_stop`` the end); an ``error`` event mid-stream (overloaded,
rate limit, API error) and a stream cut before ``message_stop`` are retryable. The API key comes from the
environment variable named by ``options.api_key_env`` (default ``ANTHROPIC_API_KEY``);
it is never stored, logged or reported.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from contextlib import aclosing
from typing import Any

import orjson

from assay.errors import ProviderError
from assay.providers._base import Completion, Prompt, ProviderContext, provider
from assay.providers._http import RetryableError, check_status, make_client, parse_json, redact, stream_events
from assay.records import Candidate, Case

API_VERSION = "2023-06-01"
RETRYABLE_STREAM_ERRORS = frozenset({"overloaded_error", "api_error", "rate_limit_error", "timeout_error"})


def _input_tokens(usage: Mapping[str, Any]) -> int | None:
    """Input tokens, counting prompt-cache reads and writes (they are input tokens too)."""
    tin = usage.get("input_tokens")
    if tin is None:
        return None
    return int(tin) + int(usage.get("cache_read_input_tokens") or 0) + int(usage.get("cache_creation_input_tokens") or 0)


class AnthropicMessages:
    """One candidate on Anthropic's Messages API (or a compatible gateway)."""

    max_concurrency: int | None

    def __init__(self, candidate: Candidate) -> None:
        opts = candidate.options
        self.candidate = candidate
        self.base_url = str(opts.get("base_url", "https://api.anthropic.com/v1")).rstrip("/")
        self.max_concurrency = opts.get("concurrency")
        self.max_tokens = int(opts.get("max_tokens", 1024))
        self.stream = bool(opts.get("stream", False))
        key_env = str(opts.get("api_key_env", "ANTHROPIC_API_KEY"))
        api_key = os.environ.get(key_env)
        if api_key is None and "api.anthropic.com" in self.base_url:
            raise ProviderError(
                f"no API key: the environment variable {key_env} is not set",
                candidate=candidate.name,
                hint=f"export {key_env}=... (assay never stores keys)",
            )
        headers = {"anthropic-version": str(opts.get("anthropic_version", API_VERSION))}
        if api_key:
            headers["x-api-key"] = api_key
        self._secrets = (api_key,) if api_key else ()
        self._client = make_client(self.base_url, headers, opts, candidate.name)

    def identity(self) -> dict[str, Any]:
        return {"provider": "anthropic", "base_url": self.base_url, "model": self.candidate.model}

    @staticmethod
    def body(model: str, prompt: Prompt, params: Mapping[str, Any], max_tokens: int) -> dict[str, Any]:
        """The request body: system text on top, the rest as alternating turns."""
        system = [m["content"] for m in prompt.as_messages() if m["role"] == "system"]
        turns = [
            {"role": "assistant" if m["role"] == "assistant" else "user", "content": m["content"]}
            for m in prompt.as_messages()
            if m["role"] != "system"
        ]
        body: dict[str, Any] = {"model": model, "max_tokens": max_tokens, "messages": turns}
        if system:
            body["system"] = "\n\n".join(system)
        body.update(params)
        return body

    async def complete(self, prompt: Prompt, params: Mapping[str, Any], case: Case) -> Completion:
        name = self.candidate.name
        body = self.body(str(self.candidate.model), prompt, params, self.max_tokens)
        if self.stream or body.get("stream"):
            return await self._complete_stream({**body, "stream": True})
        resp = await self._client.post("/messages", body)
        check_status(resp.status, resp.headers, resp.text(), self.base_url, name, self._secrets)
        data = parse_json(resp.body, self.base_url, name, self._secrets)
        try:
            blocks = data["content"]
            text = "".join(b.get("text", "") for b in blocks if b.get("type") == "text")
            tools = [b for b in blocks if b.get("type") == "tool_use"]
        except (KeyError, TypeError, AttributeError) as exc:
            raise ProviderError(f"unexpected response shape from {self.base_url}: {exc!r}", candidate=name) from None
        output = text if text or not tools else orjson.dumps(tools).decode()
        usage = data.get("usage") if isinstance(data.get("usage"), dict) else {}
        return Completion(output=output, tokens_in=_input_tokens(usage), tokens_out=usage.get("output_tokens"))

    async def _complete_stream(self, body: dict[str, Any]) -> Completion:
        name = self.candidate.name
        blocks: dict[int, dict[str, Any]] = {}
        tool_json: dict[int, list[str]] = {}
        tin = tout = None
        finished = False
        # aclosing: leaving the loop early (at [DONE]) still closes the HTTP response now
        async with aclosing(stream_events(self._client, "/messages", body, self.base_url, name, self._secrets)) as events:
            async for event in events:
                if not isinstance(event, dict):
                    raise ProviderError(f"unexpected stream event from {self.base_url}: {event!r}", candidate=name)
                kind = event.get("type")
                if kind == "message_start":
                    usage = (event.get("message") or {}).get("usage") or {}
                    tin, tout = _input_tokens(usage), usage.get("output_tokens", tout)
                elif kind == "content_block_start":
                    block = dict(event.get("content_block") or {})
                    blocks[int(event.get("index", len(blocks)))] = block
                elif kind == "content_block_delta":
                    i, delta = int(event.get("index", 0)), event.get("delta") or {}
                    block = blocks.setdefault(i, {"type": "text", "text": ""})
                    if delta.get("type") == "text_delta":
                        block["text"] = block.get("text", "") + str(delta.get("text", ""))
                    elif delta.get("type") == "input_json_delta":
                        tool_json.setdefault(i, []).append(str(delta.get("partial_json", "")))
                elif kind == "message_delta":
                    usage = event.get("usage") or {}
                    tout = usage.get("output_tokens", tout)  # cumulative: the last one counts
                    if usage.get("input_tokens") is not None:
                        tin = _input_tokens(usage)
                elif kind == "message_stop":
                    finished = True
                    break
                elif kind == "error":
                    err = event.get("error") or {}
                    msg = f"error event in the stream from {self.base_url}: {err.get('type')}: {redact(str(err.get('message', '')), self._secrets)}"
                    if err.get("type") in RETRYABLE_STREAM_ERRORS:
                        raise RetryableError(msg, candidate=name)
                    raise ProviderError(msg, candidate=name)
        if not finished:
            raise RetryableError(f"the stream from {self.base_url} ended before message_stop", candidate=name)
        for i, parts in tool_json.items():
            try:
                blocks[i]["input"] = orjson.loads("".join(parts)) if "".join(parts) else {}
            except orjson.JSONDecodeError:
                raise RetryableError(f"tool input in the stream from {self.base_url} is not valid JSON", candidate=name) from None
        ordered = [blocks[i] for i in sorted(blocks)]
        text = "".join(str(b.get("text", "")) for b in ordered if b.get("type") == "text")
        tools = [b for b in ordered if b.get("type") == "tool_use"]
        output = text if text or not tools else orjson.dumps(tools).decode()
        return Completion(output=output, tokens_in=tin, tokens_out=tout)

    async def aclose(self) -> None:
        await self._client.aclose()


@provider("anthropic")
def _make(candidate: Candidate, ctx: ProviderContext) -> AnthropicMessages:
    if not candidate.model:
        raise ProviderError("the anthropic provider needs `model:`", candidate=candidate.name)
    return AnthropicMessages(candidate)
