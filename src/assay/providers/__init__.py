"""Model adapters behind one async protocol, registered by name."""

from assay.providers import _local, _openai  # noqa: F401  (register the built-ins)
from assay.providers._base import (
    Completion,
    Prompt,
    Provider,
    ProviderContext,
    make_provider,
    provider,
    provider_names,
)
from assay.providers._openai import RetryableError
from assay.providers._prompt import render

__all__ = [
    "Completion",
    "Prompt",
    "Provider",
    "ProviderContext",
    "RetryableError",
    "make_provider",
    "provider",
    "provider_names",
    "render",
]
