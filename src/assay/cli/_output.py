"""Console output for the CLI: rich progress on stderr, JSON or tables on stdout."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

out = Console()
err = Console(stderr=True)


class _RichTask:
    def __init__(self, progress: Progress, task_id: Any) -> None:
        self._p, self._id = progress, task_id

    def advance(self, n: float = 1) -> None:
        self._p.advance(self._id, n)

    def note(self, text: str) -> None:
        self._p.update(self._id, note=text)


@contextmanager
def rich_progress(description: str, total: float | None) -> Iterator[_RichTask]:
    columns: list[Any] = [SpinnerColumn(), TextColumn("[bold]{task.description}")]
    if total is not None:
        columns += [BarColumn(), TaskProgressColumn(), MofNCompleteColumn() if total < 1e6 else TextColumn(""), TimeRemainingColumn()]
    columns += [TimeElapsedColumn(), TextColumn("[red]{task.fields[note]}")]
    with Progress(*columns, console=err, transient=False) as p:
        task_id = p.add_task(description, total=total, note="")
        yield _RichTask(p, task_id)
        if total is None:
            p.update(task_id, total=1, completed=1)


def emit_json(doc: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(doc, indent=2, default=str, ensure_ascii=False) + "\n")
