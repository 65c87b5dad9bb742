"""``assay ingest -``: logs piped in on standard input.

``kubectl logs``, ``zcat``, ``jq``, ``aws s3 cp ... -``, a database client: logs often
arrive through a pipe, not as a file. Standard input is first copied (*spooled*) to a file
under the project's ``.assay/`` folder, hashed as it goes, and that file is then ingested
like any other, with everything a file has: the format told from its first bytes (gzip
and zstd streams too), byte ranges for the workers, going on after an interrupt.

What is recorded as the file (in ``records stats``, the quarantine, ``records show
--file``) is ``stdin:`` and the first 16 hex digits of the content's hash. The same logs
piped in again are therefore the same file: not read again, their quarantine entries
replaced rather than added a second time, and an interrupted ingest of them goes on where
it stopped. Different logs piped in are another file, so their quarantine entries never
replace those of the stream before.

The spooled copy holds the logs as they came in, PII included: it is deleted when the
ingest ends, however it ends, and a copy left by a killed ingest is deleted at the start
of the next one (as the Batch API join indexes are).
"""

from __future__ import annotations

import os
import secrets
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from assay._progress import ProgressFactory, no_progress
from assay.errors import InputError
from assay.ingest._formats import compressed_by_magic

STDIN = "-"
"""The path that names standard input."""
PREFIX = "stdin-"
"""Spooled copies are ``.assay/stdin-<pid>-<...>``: the pid tells whether their ingest is still running."""
NAME_PREFIX = "stdin:"
PREVIEW_BYTES = 16 * 2**20
"""A dry run spools at most this much of a text stream (cut at a line break): it shows the first rows only."""

_CHUNK = 1 << 20
_PARQUET = b"PAR1"


def _suffix(head: bytes) -> str:
    """The file name suffix that makes the readers read what the stream holds: compressed
    streams are told by their magic bytes, as a Parquet file is; text is left to the
    format detection (an empty stream reads as empty JSON Lines)."""
    comp = compressed_by_magic(head)
    if comp is not None:
        return comp
    if head.startswith(_PARQUET):
        return ".parquet"
    if head.startswith(b"PK\x03\x04"):  # a zip file: an Excel workbook is one
        return ".xlsx"
    return "" if head else ".jsonl"


@dataclass
class Spool:
    """Standard input copied to files under ``state_dir`` (one per ingest call), and the
    names they are recorded under."""

    state_dir: Path
    stream: BinaryIO | None = None
    """What to read (default: this process's standard input, as bytes)."""
    limit: int | None = None
    """Stop after about this many bytes of a text stream (dry runs)."""
    progress: ProgressFactory | None = None
    """For a bar while the stream is copied."""
    names: dict[Path, str] = field(default_factory=dict)

    def read(self) -> Path:
        """Copy the stream to a file and return its path; its name for the records is in
        :attr:`names`."""
        from assay.ingest._ingest import content_hash

        stream = self.stream
        if stream is None:
            if sys.stdin is None or sys.stdin.isatty():
                raise InputError("'-' reads logs from standard input, but nothing is piped in",
                                 hint="pipe the logs in: zcat logs.jsonl.gz | assay ingest -  (or give the file's path)")
            stream = sys.stdin.buffer
        self.state_dir.mkdir(parents=True, exist_ok=True)
        tmp = self.state_dir / f"{PREFIX}{os.getpid()}-{secrets.token_hex(4)}.part"
        h = content_hash()
        n = 0
        cut_at = None
        head = b""
        try:
            with tmp.open("wb") as out, (self.progress or no_progress)("read standard input", None) as task:
                while piece := stream.read(_CHUNK):
                    if not head:
                        head = piece[:8]
                    if self.limit is not None and n + len(piece) > self.limit and _suffix(head) == "":
                        cut = piece.rfind(b"\n", 0, max(0, self.limit - n)) + 1 or len(piece)
                        piece = piece[:cut]
                        out.write(piece)
                        n += len(piece)
                        cut_at = n
                        break
                    out.write(piece)
                    h.update(piece)
                    n += len(piece)
                    task.advance(len(piece))
                    task.note(f"{n / 2**20:,.0f} MB")
            digest = h.hexdigest()[:16]
            path = self.state_dir / f"{PREFIX}{os.getpid()}-{digest}{_suffix(head)}"
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        # a stream cut short is no file an ingest would record: it gets no content name
        self.names[path] = f"{NAME_PREFIX}{digest}" if cut_at is None else f"standard input (its first {cut_at:,} bytes)"
        return path

    def name_of(self, path: Path) -> str:
        """What ``path`` is recorded as: its own path, or for spooled standard input ``stdin:<hash>``."""
        return self.names.get(path, str(path))

    def error(self, exc: InputError) -> InputError:
        """``exc`` naming standard input where it names a spooled copy."""
        for path, name in self.names.items():
            if exc.file == str(path):
                return InputError(exc.reason, file=f"{name} (standard input)", line=exc.line, hint=exc.hint)
        return exc

    def cleanup(self) -> None:
        for path in self.names:
            path.unlink(missing_ok=True)


def remove_orphans(state_dir: Path) -> None:
    """Delete spooled copies of standard input whose ingest process is gone (killed before
    it could): they hold the logs unscrubbed."""
    from assay.ingest._batch import _remove_orphans

    _remove_orphans(state_dir, PREFIX, suffix="")
