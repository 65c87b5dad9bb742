"""The provider contract and registry.

A provider turns one rendered prompt into one completion. Built-in providers register
through the same decorator as user code::

    @provider("my-endpoint")
    def make(candidate: Candidate, ctx: ProviderContext) -> Provider: ...
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from assay.errors import ConfigError
from assay.records import Candidate, Case, Message


@dataclass(frozen=True)
class Prompt:
    """What a candidate sends for one case: chat messages, or raw text for base models."""

    messages: tuple[Message, ...] = ()
    text: str | None = None

    def as_messages(self) -> list[dict[str, str]]:
        if self.messages:
            return [m.model_dump() for m in self.messages]
        return [{"role": "user", "content": self.text or ""}]

    def as_text(self) -> str:
        if self.text is not None:
            return self.text
        return "\n".join(f"{m.role}: {m.content}" for m in self.messages)

    def identity(self) -> Any:
        return {"messages": self.as_messages()} if self.messages else {"text": self.text}


@dataclass
class Completion:
    """One answer. Token counts and cost are whatever the provider reported."""

    output: str
    tokens_in: int | None = None
    tokens_out: int | None = None
    cost_usd: float | None = None


@dataclass
class ProviderContext:
    """What a provider factory may need besides the candidate itself."""

    project_root: Path
    #: case id -> answer recorded elsewhere (production log, another team's run)
    recorded: Mapping[str, str] = field(default_factory=dict)


@runtime_checkable
class Provider(Protocol):
    #: at most this many requests in flight to this provider (None: only the global limit)
    max_concurrency: int | None
    # Providers may also set ``concurrency_group: str``: providers with the same group
    # (e.g. two prompts on one in-process model) share one ``max_concurrency`` limit.

    def identity(self) -> dict[str, Any]:
        """Everything besides the prompt that determines the answer; part of the cache key."""

    async def complete(self, prompt: Prompt, params: Mapping[str, Any], case: Case) -> Completion: ...

    async def aclose(self) -> None: ...


ProviderFactory = Callable[[Candidate, ProviderContext], Provider]
_PROVIDERS: dict[str, ProviderFactory] = {}


def provider(name: str) -> Callable[[ProviderFactory], ProviderFactory]:
    """Register a provider factory under ``name``."""

    def register(factory: ProviderFactory) -> ProviderFactory:
        _PROVIDERS[name] = factory
        return factory

    return register


def provider_names() -> list[str]:
    return sorted(_PROVIDERS)


def make_provider(candidate: Candidate, ctx: ProviderContext) -> Provider:
    try:
        factory = _PROVIDERS[candidate.provider]
    except KeyError:
        raise ConfigError(
            f"unknown provider {candidate.provider!r} for candidate {candidate.name!r}",
            field=f"candidates.{candidate.name}.provider",
            hint=f"use one of: {', '.join(provider_names())}",
        ) from None
    check_no_secrets(candidate)
    return factory(candidate, ctx)


def check_no_secrets(candidate: Candidate) -> None:
    """Refuse a candidate that carries a key in ``options`` (keys come from the environment)."""
    for key in candidate.options:
        if key.lower() in _SECRET_OPTIONS:
            raise ConfigError(
                f"candidate {candidate.name!r} has a secret in options.{key}; assay never stores keys",
                field=f"candidates.{candidate.name}.options.{key}",
                hint="remove it and name an environment variable instead: options.api_key_env: MY_KEY_VAR",
            )


#: option names that would put a secret into assay.yaml (and so into the run's stored config)
_SECRET_OPTIONS = frozenset({"api_key", "apikey", "key", "token", "secret", "password", "authorization", "x-api-key"})
