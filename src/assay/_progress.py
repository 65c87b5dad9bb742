"""How long-running stages report progress without knowing who is watching.

Core functions take a ``progress`` factory; the CLI passes one that draws rich progress
bars, tests and library users get :func:`no_progress`.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import Protocol


class Task(Protocol):
    def advance(self, n: float = 1) -> None: ...

    def note(self, text: str) -> None:
        """Short status shown beside the bar (errors so far, spend, ...)."""


class _NullTask:
    def advance(self, n: float = 1) -> None:
        pass

    def note(self, text: str) -> None:
        pass


ProgressFactory = Callable[[str, float | None], AbstractContextManager[Task]]


def no_progress(description: str, total: float | None) -> AbstractContextManager[Task]:
    return nullcontext(_NullTask())
