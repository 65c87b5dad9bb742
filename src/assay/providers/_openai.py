"""Any OpenAI-compatible ``/chat/completions`` endpoint: OpenAI, vLLM, Ollama,
llama.cpp server, LiteLLM, hosted gateways.

The API key is read from an environment variable named by ``api_key_env`` (default
``OPENAI_API_KEY``) when the provider starts; it is never stored, logged or reported.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import httpx

from assay.errors import ProviderError
from assay.providers._base import Completion, Prompt, ProviderContext, provider
from assay.records import Candidate, Case

_RETRYABLE = {408, 409, 425, 429, 500, 502, 503, 504, 529}


def _retry_after(resp: httpx.Response) -> float | None:
    value = resp.headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


class RetryableError(ProviderError):
    def __init__(self, message: str, *, candidate: str | None, retry_after: float | None = None) -> None:
        super().__init__(message, candidate=candidate, retryable=True)
        self.retry_after = retry_after


class OpenAIChat:
    max_concurrency: int | None

    def __init__(self, candidate: Candidate) -> None:
        opts = candidate.options
        self.candidate = candidate
        self.base_url = str(opts.get("base_url", "https://api.openai.com/v1")).rstrip("/")
        self.max_concurrency = opts.get("concurrency")
        key_env = opts.get("api_key_env", "OPENAI_API_KEY")
        api_key = os.environ.get(key_env)
        if api_key is None and "api.openai.com" in self.base_url:
            raise ProviderError(
                f"no API key: the environment variable {key_env} is not set",
                candidate=candidate.name,
                hint=f"export {key_env}=... (assay never stores keys)",
            )
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.AsyncClient(
            base_url=self.base_url,
            headers=headers,
            timeout=httpx.Timeout(float(opts.get("timeout_s", 120))),
            limits=httpx.Limits(max_connections=int(opts.get("max_connections", 256)), max_keepalive_connections=64),
        )

    def identity(self) -> dict[str, Any]:
        return {"provider": "openai", "base_url": self.base_url, "model": self.candidate.model}

    async def complete(self, prompt: Prompt, params: Mapping[str, Any], case: Case) -> Completion:
        body: dict[str, Any] = {"model": self.candidate.model, "messages": prompt.as_messages(), **params}
        name = self.candidate.name
        try:
            resp = await self._client.post("/chat/completions", json=body)
        except httpx.TimeoutException as exc:
            raise RetryableError(f"timed out calling {self.base_url}: {exc!r}", candidate=name) from None
        except httpx.TransportError as exc:
            raise RetryableError(f"cannot reach {self.base_url}: {exc!r}", candidate=name) from None
        if resp.status_code != 200:
            detail = resp.text[:300]
            if resp.status_code in _RETRYABLE:
                raise RetryableError(
                    f"HTTP {resp.status_code} from {self.base_url}: {detail}", candidate=name, retry_after=_retry_after(resp)
                )
            raise ProviderError(f"HTTP {resp.status_code} from {self.base_url}: {detail}", candidate=name)
        try:
            data = resp.json()
            choice = data["choices"][0]["message"]
            output = choice.get("content") or ""
            if not output and choice.get("tool_calls"):
                import orjson

                output = orjson.dumps(choice["tool_calls"]).decode()
        except (ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
            raise ProviderError(f"unexpected response shape from {self.base_url}: {exc!r}", candidate=name) from None
        usage = data.get("usage")
        if not isinstance(usage, dict):
            usage = {}
        return Completion(
            output=output,
            tokens_in=usage.get("prompt_tokens"),
            tokens_out=usage.get("completion_tokens"),
            cost_usd=usage.get("cost"),
        )

    async def aclose(self) -> None:
        await self._client.aclose()


@provider("openai")
def _make(candidate: Candidate, ctx: ProviderContext) -> OpenAIChat:
    if not candidate.model:
        raise ProviderError("the openai provider needs `model:`", candidate=candidate.name)
    return OpenAIChat(candidate)
