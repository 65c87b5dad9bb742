"""Console output for the CLI: rich progress on stderr, JSON or tables on stdout."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

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

EXIT_BROKEN_PIPE = 141
"""128 + SIGPIPE: what a shell reports for a command whose reader went away (``| head``)."""


def quiet_stdout() -> None:
    """Point standard output at /dev/null, so that Python's flush at exit does not fail
    again on the closed pipe."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def pipe_closed() -> NoReturn:
    """Exit as other commands do when the reader of their output went away (``assay
    records show | head``). Click's own handler, and rich's, exit 1, which reads as a
    user error."""
    quiet_stdout()
    raise SystemExit(EXIT_BROKEN_PIPE)


class _Console(Console):
    def on_broken_pipe(self) -> None:
        if not self.quiet:
            pipe_closed()


out = _Console()
err = _Console(stderr=True)


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
    try:
        sys.stdout.write(json.dumps(doc, indent=2, default=str, ensure_ascii=False) + "\n")
        sys.stdout.flush()  # a reader that went away (| head) is told here, not at exit
    except BrokenPipeError:
        pipe_closed()
