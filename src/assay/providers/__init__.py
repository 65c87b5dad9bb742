"""Model adapters behind one async protocol, registered by name."""

from assay.providers import _anthropic, _local, _openai  # noqa: F401  (register the built-ins)
from assay.providers._base import (
    Completion,
    Prompt,
    Provider,
    ProviderContext,
    check_no_secrets,
    make_provider,
    provider,
    provider_names,
)
from assay.providers._http import RetryableError
from assay.providers._prompt import render

__all__ = [
    "Completion",
    "Prompt",
    "Provider",
    "ProviderContext",
    "RetryableError",
    "check_no_secrets",
    "make_provider",
    "provider",
    "provider_names",
    "render",
]
