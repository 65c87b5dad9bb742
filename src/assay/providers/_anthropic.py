"""Anthropic's Messages API (``POST /v1/messages``).

System messages move to the top-level ``system`` field, ``max_tokens`` defaults to
``options.max_tokens`` (1024) because the API requires it, and ``params`` pass through
(``temperature``, ``tools``, ``stop_sequences``, ...). The API key comes from the
environment variable named by ``options.api_key_env`` (default ``ANTHROPIC_API_KEY``);
it is never stored, logged or reported.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import orjson

from assay.errors import ProviderError
from assay.providers._base import Completion, Prompt, ProviderContext, provider
from assay.providers._http import check_status, make_client, parse_json
from assay.records import Candidate, Case

API_VERSION = "2023-06-01"


class AnthropicMessages:
    """One candidate on Anthropic's Messages API (or a compatible gateway)."""

    max_concurrency: int | None

    def __init__(self, candidate: Candidate) -> None:
        opts = candidate.options
        self.candidate = candidate
        self.base_url = str(opts.get("base_url", "https://api.anthropic.com/v1")).rstrip("/")
        self.max_concurrency = opts.get("concurrency")
        self.max_tokens = int(opts.get("max_tokens", 1024))
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
        tin = usage.get("input_tokens")
        if tin is not None:  # prompt-cache reads and writes are input tokens too
            tin += int(usage.get("cache_read_input_tokens") or 0) + int(usage.get("cache_creation_input_tokens") or 0)
        return Completion(output=output, tokens_in=tin, tokens_out=usage.get("output_tokens"))

    async def aclose(self) -> None:
        await self._client.aclose()


@provider("anthropic")
def _make(candidate: Candidate, ctx: ProviderContext) -> AnthropicMessages:
    if not candidate.model:
        raise ProviderError("the anthropic provider needs `model:`", candidate=candidate.name)
    return AnthropicMessages(candidate)
