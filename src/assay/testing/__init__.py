"""Test helpers: a local mock OpenAI-compatible server (needs the ``dev`` extra, aiohttp).

Names are loaded lazily so that ``python -m assay.testing.mock_openai`` runs cleanly and
importing ``assay.testing`` does not require aiohttp until a helper is used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assay.testing.mock_openai import MockOpenAI, Script, running_in_thread

__all__ = ["MockOpenAI", "Script", "running_in_thread"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        return getattr(importlib.import_module("assay.testing.mock_openai"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
