"""Log readers, registered by name. Each yields ``(line_number, raw_bytes)`` so a bad row
can be quarantined with its position while the rows around it are kept."""

from __future__ import annotations

import gzip
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from assay.errors import InputError

Reader = Callable[[Path], Iterator[tuple[int, bytes]]]
_READERS: dict[str, Reader] = {}


def reader(name: str) -> Callable[[Reader], Reader]:
    """Register a log reader under ``name`` (built-ins use this too)."""

    def register(fn: Reader) -> Reader:
        _READERS[name] = fn
        return fn

    return register


def readers() -> list[str]:
    return sorted(_READERS)


def get_reader(name: str) -> Reader:
    try:
        return _READERS[name]
    except KeyError:
        raise InputError(
            f"unknown log format {name!r}", hint=f"use one of: auto, {', '.join(readers())}"
        ) from None


def open_maybe_compressed(path: Path) -> BinaryIO:
    if path.suffix == ".gz":
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


@reader("jsonl")
def read_jsonl(path: Path) -> Iterator[tuple[int, bytes]]:
    """JSON Lines / NDJSON, plain or gzip; blank lines are skipped."""
    with open_maybe_compressed(path) as fh:
        for lineno, line in enumerate(fh, start=1):
            if line.strip():
                yield lineno, line


def detect_format(path: Path) -> str:
    name = path.name.lower()
    for suffix in (".gz",):
        name = name.removesuffix(suffix)
    if name.endswith((".jsonl", ".ndjson")):
        return "jsonl"
    with open_maybe_compressed(path) as fh:
        head = fh.read(1).lstrip()
    if head == b"{":
        return "jsonl"
    raise InputError(
        "cannot tell the log format from the file name or its first bytes",
        file=str(path),
        hint=f"pass --format with one of: {', '.join(readers())}",
    )
