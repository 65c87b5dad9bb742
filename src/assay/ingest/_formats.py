"""File readers ("containers"), registered by name.

A reader turns one file into a stream of ``(position, payload)`` pairs: ``position`` is
the 1-based line (JSONL, CSV), item (JSON array) or row (Parquet) number, so a bad row
can be quarantined with where it came from while the rows around it are kept; ``payload``
is either raw ``bytes`` still to be parsed as JSON, or an already decoded Python object.

Readers never load a whole file: JSONL is read line by line (plain, ``.gz`` or ``.zst``),
JSON documents are streamed item by item with ijson, CSV row by row and Parquet by
record batch.
"""

from __future__ import annotations

import bz2
import codecs
import csv
import datetime as _dt
import decimal
import gzip
import io
import json
import os
import re
import sys
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from assay.errors import InputError
from assay.ingest import _scan

Payload = bytes | Any
Reader = Callable[[Path], Iterator[tuple[int, Payload]]]
_READERS: dict[str, Reader] = {}

#: top-level keys of a JSON object that hold the list of rows in known exports
#: (Langfuse ``data``, LangSmith ``runs``, Phoenix ``spans``, generic ``records`` ...)
WRAPPER_KEYS = ("data", "records", "items", "rows", "runs", "spans", "observations", "traces", "logs", "resourceSpans", "resourceLogs",
                "requests")


def reader(name: str) -> Callable[[Reader], Reader]:
    """Register a file reader under ``name`` (the built-ins use this too)."""

    def register(fn: Reader) -> Reader:
        _READERS[name] = fn
        return fn

    return register


def readers() -> list[str]:
    """Names of the registered file readers."""
    return sorted(_READERS)


def get_reader(name: str) -> Reader:
    try:
        return _READERS[name]
    except KeyError:
        raise InputError(f"unknown file format {name!r}", hint=f"use one of: auto, {', '.join(readers())}") from None


def _strip_compression(name: str) -> tuple[str, str | None]:
    for suffix in (".gz", ".zst", ".zstd", ".bz2"):
        if name.endswith(suffix):
            return name.removesuffix(suffix), suffix
    return name, None


_MAGIC = {".gz": (b"\x1f\x8b", "gzip"), ".zst": (b"\x28\xb5\x2f\xfd", "zstd"), ".zstd": (b"\x28\xb5\x2f\xfd", "zstd"),
          ".bz2": (b"BZh", "bzip2")}


def compression(path: Path) -> str | None:
    """How ``path`` is compressed (``.gz``, ``.zst``, ``.bz2``), by its name's suffix or, for
    a name without one, by its first bytes (``bq extract --compression GZIP`` names its
    files ``calls-000000000000``); None for an uncompressed file."""
    _, comp = _strip_compression(path.name.lower())
    if comp is not None:
        return comp
    try:
        with path.open("rb") as fh:
            head = fh.read(5)
    except OSError:
        return None
    comp = compressed_by_magic(head)
    return comp if comp is not None and _decodes(path, comp) else None


def compressed_by_magic(head: bytes) -> str | None:
    """``.gz``, ``.zst`` or ``.bz2`` when the first bytes ``head`` (five or more) start a
    stream of that compression, else None."""
    if head[:3] == b"\x1f\x8b\x08":  # gzip's magic and its one compression method (RFC 1952)
        return ".gz"
    if head[:4] == b"\x28\xb5\x2f\xfd" and not (len(head) > 4 and head[4] & 0x08):  # (a frame header's reserved bit is 0)
        return ".zst"
    if head[:3] == b"BZh" and head[3:4].isdigit() and head[3:4] != b"0":
        return ".bz2"
    return None


def _decodes(path: Path, comp: str) -> bool:
    """Whether the start of ``path`` decompresses as ``comp``: a text file whose first line
    happens to start with a compressor's magic bytes is read as text (its valid rows kept),
    not as a compressed file that breaks off at once."""
    try:
        with path.open("rb") as fh:
            data = fh.read(1 << 16)
    except OSError:
        return True  # (reading it reports the error)
    # it decodes when it gives some output, or a whole (empty) stream; a header that only
    # waits for more bytes (b"\x1f\x8b\x08\n{...") is no compressed file
    try:
        if comp == ".gz":
            d = zlib.decompressobj(wbits=31)
            return bool(d.decompress(data, 1 << 16)) or d.eof
        if comp == ".bz2":
            b = bz2.BZ2Decompressor()
            return bool(b.decompress(data, 1 << 16)) or b.eof
        try:
            import zstandard
        except ImportError:  # reading it says what to install
            return True
        return bool(zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data)).read(1 << 16))
    except Exception:  # noqa: BLE001 - any decoder's error (bz2's is an OSError): not this compression
        return False


class BrokenStream(Exception):
    """The compressed data of a file breaks off (truncated) or is corrupt: what was
    decompressed before it is good, nothing after it can be read."""


_STREAM_ERRORS: tuple[type[BaseException], ...] = (EOFError, zlib.error, gzip.BadGzipFile, BrokenStream)


def broken_stream(exc: BaseException, unit: str) -> str:
    """The quarantine reason for where a compressed file breaks off."""
    return (f"the compressed data breaks off here (a truncated or corrupt file: {exc}); "
            f"the {unit} before it are kept, nothing after it can be read")


class _ZstdReader(io.RawIOBase):
    """A zstd stream, frame after frame, that raises :class:`BrokenStream` when the file
    ends inside a frame (``zstandard``'s own stream reader then just stops, and a
    truncated file would look whole)."""

    def __init__(self, raw: BinaryIO) -> None:
        import zstandard

        self._raw = raw
        self._dctx = zstandard.ZstdDecompressor()
        self._dobj = self._dctx.decompressobj()
        self._error = zstandard.ZstdError
        self._started = False  # bytes of the current frame seen
        self._pending = b""  # decompressed, not yet read from ``_at`` on
        self._at = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buf: Any) -> int:
        while self._at >= len(self._pending):
            comp = self._raw.read(1 << 20)
            if not comp:
                if self._started and not self._dobj.eof:
                    raise BrokenStream("the file ends inside a zstd frame")
                return 0
            parts = []
            while comp:
                if self._dobj.eof:  # the next frame of a multi-frame file
                    self._dobj = self._dctx.decompressobj()
                try:
                    parts.append(self._dobj.decompress(comp))
                except self._error as exc:
                    raise BrokenStream(str(exc)) from None
                self._started = True
                comp = self._dobj.unused_data if self._dobj.eof else b""
            self._pending, self._at = b"".join(parts), 0
        n = min(len(buf), len(self._pending) - self._at)
        buf[:n] = memoryview(self._pending)[self._at:self._at + n]
        self._at += n
        return n

    def close(self) -> None:
        self._raw.close()
        super().close()


def open_maybe_compressed(path: Path) -> BinaryIO:
    """Open ``path`` for binary reading, decompressing ``.gz``, ``.zst`` and ``.bz2`` on the fly
    (a file named without a suffix by its first bytes). A file whose name says it is
    compressed must start as one (else an :class:`InputError`)."""
    comp = compression(path)
    if comp is not None:
        magic, kind = _MAGIC[comp]
        with path.open("rb") as fh:
            head = fh.read(len(magic))
        if head and head != magic:
            raise InputError(f"the file's name ends in {comp} but it is not {kind}-compressed", file=str(path),
                             hint="rename it to what it holds (e.g. drop the suffix), or compress it")
    if comp == ".gz":
        fh: Any = gzip.open(path, "rb")
    elif comp == ".bz2":
        fh = bz2.open(path, "rb")
    elif comp in (".zst", ".zstd"):
        try:
            import zstandard  # noqa: F401
        except ImportError:
            raise InputError(
                "reading .zst files needs the zstandard package", file=str(path), hint="pip install zstandard"
            ) from None
        fh = io.BufferedReader(_ZstdReader(path.open("rb")), 1 << 20)
    else:
        fh = path.open("rb")
    if _ENCODING[0] is not None:  # --encoding: the text as UTF-8 from here on
        fh = io.BufferedReader(_Recoded(fh, _ENCODING[0]), 1 << 20)
    try:
        broken = skip_bom(fh, path)
    except BaseException:
        fh.close()
        raise
    if broken is not None:  # (the stream's own reader would now read as if at its end: nothing, no error)
        fh.close()
        return io.BufferedReader(_BrokenAtStart(broken))
    return fh  # type: ignore[no-any-return]


class _BrokenAtStart(io.RawIOBase):
    """A compressed file that breaks off before its first bytes: every read raises that
    error, so the reader reports where it breaks (line 1) as it does for a later break."""

    def __init__(self, exc: BaseException) -> None:
        self._exc = exc

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        raise self._exc


_ENCODING: list[str | None] = [None]
"""The ``--encoding`` of the files being read in this process (``None``: UTF-8)."""


def set_encoding(name: str | None) -> str | None:
    """Read text files in encoding ``name`` (``None`` or UTF-8: as they are); returns the
    setting before. ``name`` must be checked with :func:`check_encoding`."""
    prev = _ENCODING[0]
    _ENCODING[0] = None if name is None or codecs.lookup(name).name == "utf-8" else name
    return prev


def check_encoding(name: str) -> str:
    """``name`` as Python's codecs call it; a :class:`ValueError` for an unknown one or one
    that is not a text encoding."""
    try:
        info = codecs.lookup(name)
    except LookupError:
        raise ValueError(f"unknown encoding {name!r}") from None
    if not info._is_text_encoding:  # type: ignore[attr-defined]  # base64, zlib ...
        raise ValueError(f"{name!r} is not a text encoding")
    return info.name


def recoding() -> bool:
    """Whether files are read through ``--encoding`` (then not by byte ranges: their offsets
    are not those of the UTF-8 text)."""
    return _ENCODING[0] is not None


class _Recoded(io.RawIOBase):
    """A binary file in another encoding, read as UTF-8. Bytes the encoding cannot decode
    come through as they are (``surrogateescape``), so the row holding them is quarantined
    as not UTF-8, and the rows around it are kept."""

    def __init__(self, raw: Any, encoding: str) -> None:
        self._raw = raw
        self._text = io.TextIOWrapper(raw, encoding=encoding, errors="surrogateescape", newline="")
        self._buf = b""

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        while len(self._buf) < len(b):
            piece = self._text.read(1 << 16)
            if not piece:
                break
            self._buf += piece.encode("utf-8", "surrogateescape")
        n = min(len(b), len(self._buf))
        b[:n] = self._buf[:n]
        self._buf = self._buf[n:]
        return n

    def close(self) -> None:
        if not self.closed:
            self._text.close()
        super().close()


UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def skip_bom(fh: Any, path: Path) -> BaseException | None:
    """Past a UTF-8 byte order mark at the start of a text file (Windows tools write one;
    it is not part of the first row). UTF-16 text is an :class:`InputError` that says how
    to re-encode it: its bytes are not the rows' UTF-8. Returns the error of a compressed
    stream that breaks off before its first bytes."""
    try:
        head = fh.peek(8)[:8]
    except _STREAM_ERRORS as exc:
        return exc
    if head[:3] == UTF8_BOM:
        fh.read(3)
    elif head[:2] in _UTF16_BOMS and b"\x00" in head[2:]:  # UTF-16 text: a zero byte in each ASCII character
        raise InputError("the file is UTF-16 text; assay reads UTF-8 unless told", file=str(path),
                         hint="pass --encoding utf-16 (in assay.yaml: encoding: utf-16 on the source)")
    return None


def _broken_at_start(path: Path) -> BaseException | None:
    """The error of a compressed file that breaks off before its first byte, else None."""
    with open_maybe_compressed(path) as fh:
        try:
            fh.read(1)
        except _STREAM_ERRORS as exc:
            return exc
    return None


def _head(path: Path, size: int = 65536) -> bytes:
    """Up to ``size`` bytes from the start of ``path``, decompressed; as many as can be read
    when the compressed data breaks off before."""
    out = bytearray()
    with open_maybe_compressed(path) as fh:  # (past a byte order mark)
        try:
            while len(out) < size and (piece := fh.read(min(8192, size - len(out)))):
                out += piece
        except _STREAM_ERRORS:
            pass
    return bytes(out)


@reader("jsonl")
def read_jsonl(path: Path, start: int = 0, first_line: int = 1) -> Iterator[tuple[int, Payload]]:
    """JSON Lines / NDJSON, plain, gzip or zstd; blank lines are skipped. A plain file can
    be read from byte ``start``, the beginning of line ``first_line``."""
    with open_maybe_compressed(path) as fh:
        if start:
            fh.seek(start)
        buffered = fh if isinstance(fh, io.BufferedIOBase) and hasattr(fh, "readline") else io.BufferedReader(fh)  # type: ignore[arg-type]
        lineno = first_line - 1
        limit = MAX_EXPORT_ROW_BYTES + 1
        try:
            # (a line is read up to the limit: a longer one is skipped, not held whole in memory)
            for lineno, line in enumerate(iter(lambda: buffered.readline(limit), b""), start=first_line):
                if len(line) == limit and not line.endswith(b"\n"):
                    yield lineno, _overlong(line, _skip_line(buffered))
                elif not line.isspace():  # a line from a file is never empty
                    yield lineno, line
        except _STREAM_ERRORS as exc:
            yield lineno + 1, _BadRow(broken_stream(exc, "lines"))


def _skip_line(fh: Any) -> int:
    """Read past the rest of the current line; how many bytes that was."""
    n = 0
    while True:
        piece = fh.readline(READ_PIECE)
        n += len(piece)
        if not piece or piece.endswith(b"\n"):
            return n


def _overlong(head: bytes | bytearray, rest: int) -> "_BadRow":
    """A line over :data:`MAX_EXPORT_ROW_BYTES` (``head``, then ``rest`` more bytes), as a
    quarantined row that keeps its start: it is not held whole."""
    return _BadRow(too_big(len(head) + rest, MAX_EXPORT_ROW_BYTES if len(head) + rest > MAX_EXPORT_ROW_BYTES else MAX_ROW_BYTES),
                   bytes(head[:RAW_KEEP]).decode("utf-8", errors="replace"))


READ_PIECE = 4 * 2**20
"""Bytes read at a time from a range: memory holds one piece, not the whole range."""


def jsonl_ranges(
    path: Path, target: int, digest: Any = None, start: int = 0, first_line: int = 1, sizes: Any = None,
) -> Iterator[tuple[int, int, int]]:
    """Cut a plain JSONL file into ``(offset, length, first_line)`` ranges of about ``target``
    bytes that end on a line break, so workers can each read and ingest one range. Only
    line breaks are counted here (into one reused buffer of at most :data:`READ_PIECE`
    bytes); a line longer than ``target`` makes its range longer, never splits.
    ``digest`` (a ``hashlib`` object) is fed every byte of the ranges, in order. The first
    range begins at byte ``start``, the beginning of line ``first_line``. ``sizes``, if
    given, says each range's target instead: ``sizes(i, bytes_left)`` for the ``i``-th."""
    size = path.stat().st_size
    buf = bytearray(max(1, min(target, size, READ_PIECE)))
    fd = os.open(path, os.O_RDONLY)
    try:
        offset, line, i = start, first_line, 0
        while offset < size:
            end, newlines, last = offset, 0, 0x0A
            want = min(offset + (target if sizes is None else max(1, sizes(i, size - offset))), size)
            i += 1
            while end < want:
                n = os.preadv(fd, [memoryview(buf)[:min(len(buf), want - end)]], end)
                if not n:  # the file got shorter while being read
                    break
                newlines += buf.count(b"\n", 0, n)
                last = buf[n - 1]
                if digest is not None:
                    digest.update(memoryview(buf)[:n])
                end += n
            if end < size and last != 0x0A and end == want:  # carry on to the end of the line
                while end < size:
                    piece = os.pread(fd, 1 << 16, end)
                    if not piece:
                        break
                    nl = piece.find(b"\n")  # (not i: that counts the ranges, for sizes())
                    if digest is not None:
                        digest.update(piece[:nl + 1] if nl >= 0 else piece)
                    if nl >= 0:
                        end, newlines = end + nl + 1, newlines + 1
                        break
                    end += len(piece)
            if end == offset:  # nothing more could be read
                return
            yield offset, end - offset, line
            line += newlines
            offset = end
    finally:
        os.close(fd)


def jsonl_range_chunks(path: Path, offset: int, length: int, first_line: int, chunk: int) -> Iterator[list[tuple[int, Payload]]]:
    """The rows :func:`read_jsonl` gives for the lines in ``[offset, offset + length)``, in
    lists of at most ``chunk`` lines each (a list comprehension per chunk: no generator
    step per line), read :data:`READ_PIECE` bytes at a time."""
    line_no = first_line
    carry = bytearray()
    left = length
    with path.open("rb") as fh:
        fh.seek(offset)
        if offset == 0 and left >= len(UTF8_BOM):
            if fh.read(len(UTF8_BOM)) == UTF8_BOM:  # not part of the first line (as :func:`skip_bom`)
                left -= len(UTF8_BOM)
            else:
                fh.seek(0)
        long_head, long_size = b"", 0  # a line over the limit: its start, and its size so far
        while True:
            data = fh.read(min(READ_PIECE, left)) if left > 0 else b""
            left -= len(data)
            at_end = left <= 0 or not data  # the range is read (or the file got shorter)
            if long_size:  # inside a line over the limit: skip to its end, keeping only its start
                nl = data.find(b"\n")
                long_size += len(data) if nl < 0 else nl + 1
                if nl < 0 and not at_end:
                    continue
                yield [(line_no, _overlong(long_head, long_size - len(long_head)))]
                line_no += 1
                data, long_head, long_size = data[nl + 1:] if nl >= 0 else b"", b"", 0
            elif carry and not at_end and b"\n" not in data:  # a long line goes on: gather its pieces
                carry += data  # (a bytearray: gathering a long line costs its length, not its square)
                if len(carry) > MAX_EXPORT_ROW_BYTES:
                    long_head, long_size, carry = bytes(carry[:RAW_KEEP]), len(carry), bytearray()
                continue
            lines = (bytes(carry) + data if carry else data).split(b"\n")
            carry = bytearray(lines.pop())  # the part after the last line break: empty or an unfinished line
            for start in range(0, len(lines), chunk):
                part = [(n, line + b"\n") for n, line in enumerate(lines[start:start + chunk], line_no + start)
                        if line and not line.isspace()]
                if part:
                    yield part
            line_no += len(lines)
            if at_end:
                if carry and not carry.isspace():  # the file's last line, with no line break
                    yield [(line_no, bytes(carry))]
                return


def _ijson() -> Any:
    try:
        import ijson
    except ImportError:
        raise InputError("streaming JSON documents needs the ijson package", hint="pip install ijson") from None
    return ijson


def _json_prefix(path: Path) -> str:
    """The ijson prefix of the items to stream: ``item`` for a top-level array, ``<key>.item``
    for the first known wrapper key holding an array, ``''`` for a single object (also one
    whose spans belong with the trace beside them: an ``opik export`` trace file, a Langfuse
    trace with its observations)."""
    ijson = _ijson()
    with open_maybe_compressed(path) as fh:
        depth_key: str | None = None
        trace = False  # a top-level "trace" object seen (Opik), or a trace's own fields (Langfuse)
        try:
            for prefix, event, value in ijson.parse(fh):
                if prefix == "" and event == "start_array":
                    return "item"
                if prefix == "" and event == "map_key":
                    depth_key = value
                    if value in ("htmlPath", "sessionId", "userId"):
                        trace = True
                elif event == "start_map" and prefix == "trace":
                    trace = True
                elif event == "start_array" and prefix == depth_key and depth_key in WRAPPER_KEYS:
                    if depth_key in ("spans", "observations") and trace:
                        return ""
                    return f"{depth_key}.item"
        except ijson.JSONError as exc:
            raise InputError(f"not a valid JSON document: {exc}", file=str(path), hint="for one object per line use --format jsonl") from None
        except _STREAM_ERRORS as exc:
            raise InputError(f"the compressed data breaks off before the document's rows begin (a truncated or corrupt file: {exc})",
                             file=str(path)) from None
    return ""


def _clean_scalar(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return f"[binary {len(value)} bytes]"
    if isinstance(value, (_dt.date, _dt.time)) and not isinstance(value, _dt.datetime):
        return value.isoformat()
    if isinstance(value, _dt.timedelta):
        return value.total_seconds()
    return value


def to_plain(value: Any) -> Any:
    """Make a decoded value JSON-safe (Decimal, bytes, dates from Parquet/ijson)."""
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    return _clean_scalar(value)


# Everything up to the next bracket, a string at a time (a bracket inside a string does not
# count): runs of other bytes, and strings in the unrolled form that keeps Python's regex
# engine in its fast single-class loops. It stops at a bracket, at a string that does not
# end in the buffer, or at the buffer's end.
_TO_BRACKET = re.compile(rb'(?:[^"\[\]{}]+|"[^"\\]*(?:\\.[^"\\]*)*")*', re.DOTALL)
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BARE = re.compile(rb"[^,\]}\s]+")  # a number, true, false, null (or a stray word)
_WS = re.compile(rb"[ \t\r\n]*")
_OPEN = frozenset(b"[{")


_SCAN_COMPILED = not _scan.__file__.endswith(".py")


def _item_end(buf: bytes, p: int) -> int | None:
    """Where the JSON value that starts at ``buf[p]`` ends (an object or array by counting
    brackets outside strings), or None if ``buf`` may end first: the compiled byte loop of
    ``_scan`` where there is one (3 us against 32 for a 2.4 KB object), else regexes."""
    if _SCAN_COMPILED:
        end = _scan.value_end(buf, p)
        return None if end < 0 else end
    return _item_end_regex(buf, p)


def _item_end_regex(buf: bytes, p: int) -> int | None:
    """:func:`_item_end` with regular expressions (Python's regex engine runs in C)."""
    c = buf[p]
    if c == 34:  # a string
        m = _STRING.match(buf, p)
        return m.end() if m else None
    if c not in _OPEN:
        m = _BARE.match(buf, p)
        if m is None:  # a stray "," or "}": one byte of garbage, a bad item of its own
            return p + 1
        return m.end() if m.end() < len(buf) else None
    depth = 0
    i = p
    n = len(buf)
    while True:
        i = _TO_BRACKET.match(buf, i).end()  # type: ignore[union-attr]
        if i >= n or buf[i] == 34:  # the buffer ends, or inside a string that goes on past it
            return None
        depth += 1 if buf[i] in _OPEN else -1
        i += 1
        if depth == 0:
            return i


class _Salvaging:
    """Reads of up to ``n`` bytes that return what a compressed stream gave before it
    breaks off; the break is raised by the next read. (A plain ``read(n)`` of a gzip file
    raises at the break, and the bytes it had decompressed in that call are lost.)"""

    __slots__ = ("_fh", "_error")

    def __init__(self, fh: Any) -> None:
        self._fh = fh
        self._error: BaseException | None = None

    def read(self, n: int) -> bytes:
        if self._error is not None:
            raise self._error
        read1 = getattr(self._fh, "read1", None)
        if read1 is None:
            return self._fh.read(n)
        out = bytearray()
        while len(out) < n:
            try:
                data = read1(n - len(out))
            except _STREAM_ERRORS as exc:
                if not out:
                    raise
                self._error = exc
                break
            if not data:
                break
            out += data
        return bytes(out)


def json_array_items(
    fh: Any, piece: int | None = None, key: str | None = None, *, stream: bool = False,
) -> Iterator[tuple[int, Payload]]:
    """The items of the JSON array that ``fh`` holds (with ``key``: the array under that
    key of a top-level object, such as an export's ``{"data": [...]}``; with ``stream``:
    the top-level values of a stream of concatenated JSON values, such as ``jq`` writes),
    as their bytes in the file, numbered from 1, read ``piece`` bytes at a time. Each is
    parsed later, like a JSONL line, so an item that is not valid JSON is one bad row and
    the items after it are still read. A document that breaks off (text where a ``,`` or
    ``]`` belongs, or an end inside an item) gives a bad row there, and the items before it."""
    piece = piece or READ_PIECE
    fh = _Salvaging(fh)
    buf = fh.read(piece)
    eof = not buf
    p = 0

    def read_on() -> bool:
        """More of the file after ``buf[p:]``; False at its end."""
        nonlocal buf, p, eof
        if eof:
            return False
        more = fh.read(max(piece, len(buf) - p))
        eof = not more
        buf = buf[p:] + more
        p = 0
        return bool(more)

    def skip_ws() -> bool:
        """Past whitespace; False if the file ends first."""
        nonlocal p
        while True:
            p = _WS.match(buf, p).end()  # type: ignore[union-attr]
            if p < len(buf):
                return True
            if not read_on():
                return False

    def value_end() -> int | None:
        while True:
            end = _item_end(buf, p)
            if end is not None or not read_on():
                return end

    if not skip_ws():
        yield 1, _BadRow("the file is empty")
        return
    if stream:
        n = 0
        while True:
            end = value_end()
            if end is None:
                yield n + 1, _BadRow(f"the JSON stream breaks off after value {n}: the file ends inside value {n + 1}")
                return
            n += 1
            yield n, buf[p:end]
            p = end
            if not skip_ws():
                return
    if key is not None:  # find the array under ``key``, skipping the members before it
        if buf[p] != 123:  # {
            yield 1, _BadRow("not a JSON object")
            return
        p += 1
        while True:
            if not skip_ws() or buf[p] == 125 or (end := value_end()) is None:  # }
                yield 1, _BadRow(f"the document has no {key!r} array")
                return
            try:
                name = orjson.loads(buf[p:end])
            except orjson.JSONDecodeError:
                name = None
            p = end
            if not skip_ws() or buf[p] != 58:  # :
                yield 1, _BadRow(f"the document breaks before its {key!r} array: expected ':'")
                return
            p += 1
            if not skip_ws():
                yield 1, _BadRow(f"the document has no {key!r} array")
                return
            if name == key and buf[p] == 91:  # [
                break
            if (end := value_end()) is None:
                yield 1, _BadRow(f"the document breaks before its {key!r} array")
                return
            p = end
            if not skip_ws() or buf[p] not in (44, 125):
                yield 1, _BadRow(f"the document breaks before its {key!r} array: expected ',' or '}}'")
                return
            p += 1
    elif buf[p] != 91:
        yield 1, _BadRow("not a JSON array")
        return
    p += 1
    n = 0
    after_item = False
    while True:
        if not skip_ws():
            yield n + 1, _BadRow(f"JSON document breaks after item {n}: the file ends inside the array")
            return
        c = buf[p]
        if c == 93:  # ]
            if key is not None:  # the rest of the wrapper object is not read
                return
            p += 1
            if skip_ws():
                yield n + 1, _BadRow(f"JSON document breaks after item {n}: text after the array's closing ]")
            return
        if after_item:
            if c != 44:  # ,
                yield n + 1, _BadRow(f"JSON document breaks after item {n}: expected ',' or ']', found {bytes([c])!r}; "
                                      "items after this point cannot be read")
                return
            p += 1
            after_item = False
            continue
        end = value_end()
        if end is None:
            yield n + 1, _BadRow(f"JSON document breaks after item {n}: the file ends inside item {n + 1}")
            return
        n += 1
        yield n, buf[p:end]
        p = end
        after_item = True


def _object_stream(head: bytes, *, pretty: bool = False) -> bool:
    """Whether a file that starts with ``head`` is a stream of JSON objects one after the
    other (``jq`` writes one without ``-c``): its first value is a whole object and another
    value follows it. With ``pretty``: its first object spreads over several lines, so the
    file is not JSON Lines even if a second value is not in ``head``."""
    text = head.lstrip()
    if not text.startswith(b"{"):
        return False
    end = _item_end(text, 0)
    if end is None:
        return False
    try:
        if not isinstance(orjson.loads(text[:end]), dict):
            return False
    except orjson.JSONDecodeError:
        return False
    if pretty:
        return b"\n" in text[:end].rstrip()
    rest = text[end:].lstrip()
    return rest[:1] in (b"{", b"[")


def _mostly_objects(text: bytes, lines: int = 10) -> bool:
    """Whether of the first ``lines`` whole lines of ``text`` (blank ones left out), at least
    two and more than half are each a JSON object."""
    import orjson

    seen = objects = 0
    for line in text.split(b"\n")[:-1]:
        if not line.strip():
            continue
        seen += 1
        try:
            objects += isinstance(orjson.loads(line), dict)
        except orjson.JSONDecodeError:
            pass
        if seen == lines:
            break
    return objects >= 2 and objects * 2 > seen


@reader("json")
def read_json(path: Path) -> Iterator[tuple[int, Payload]]:
    """A JSON document: a top-level array, or an export wrapper such as ``{"data": [...]}``
    (each item a row, cut from the bytes and parsed like a JSONL line; an OTLP export's
    ``resourceSpans`` items keep their envelope), a stream of objects one after the other
    (``jq`` output; each object a row), or one object (one row, read with ijson)."""
    head = _head(path)
    if not head.strip():  # an empty file (a Spark or Snowflake job's empty part file): no rows
        broken = _broken_at_start(path)
        if broken is not None:  # (not empty: compressed data that breaks off before its first bytes)
            yield 1, _BadRow(broken_stream(broken, "items"))
        return
    if _object_stream(head):
        prefix, key, stream = "", None, True
    else:
        prefix, stream = _json_prefix(path), False
    if prefix or stream:
        key = prefix[:-len(".item")] if prefix not in ("item", "") else None
        with open_maybe_compressed(path) as fh:
            n = 0
            try:
                for n, item in json_array_items(fh, key=key, stream=stream):
                    if key in ("resourceSpans", "resourceLogs") and isinstance(item, bytes):  # OTLP: each resource's in its envelope
                        item = b'{"' + key.encode() + b'":[' + item + b"]}"
                    yield n, item
            except _STREAM_ERRORS as exc:
                yield n + 1, _BadRow(broken_stream(exc, "items"))
        return
    ijson = _ijson()
    # With use_float, ijson gives only str, int, float, bool, None, lists and dicts with
    # string keys: JSON-safe already, so no to_plain walk (it cost 75 us of a 2.4 KB row).
    with open_maybe_compressed(path) as raw:
        fh = _Counted(raw)
        try:
            item = next(ijson.items(fh, "", use_float=True))
        except (ijson.JSONError, StopIteration) as exc:
            raise InputError(f"not a valid JSON document: {exc}", file=str(path)) from None
        except _STREAM_ERRORS as exc:
            raise InputError(f"the compressed data breaks off inside the document (a truncated or corrupt file: {exc})",
                             file=str(path)) from None
        # a trace with its spans holds many records: each is held to the row limit as it is read
        many = isinstance(item, dict) and (isinstance(item.get("spans"), list) or isinstance(item.get("observations"), list))
        limit = MAX_EXPORT_ROW_BYTES if many else MAX_ROW_BYTES
        yield 1, _over_limit(item, limit) if fh.n > limit // 2 else item


_DECODE_ERRORS = [0]
_SURROGATE_ESCAPE = codecs.lookup_error("surrogateescape")


def _count_decode_error(exc: UnicodeError) -> tuple[str, int]:
    """``surrogateescape``, counting: a CSV file's undecodable bytes become lone surrogates,
    and only the rows that hold one are bad (strict decoding stopped at the first, and every
    row after it was lost)."""
    _DECODE_ERRORS[0] += 1
    return _SURROGATE_ESCAPE(exc)  # type: ignore[no-any-return]


codecs.register_error("assay-count", _count_decode_error)
_SURROGATE = re.compile("[\udc80-\udcff]")


def _peek_head(raw: Any) -> bytes:
    """Up to the first 64 KB of ``raw`` without reading them (b"" when it cannot tell)."""
    peek = getattr(raw, "peek", None)
    if peek is None:
        return b""
    try:
        return peek(65536)  # type: ignore[no-any-return]
    except _STREAM_ERRORS:
        return b""


def _csv_delimiter(raw: Any, delimiter: str) -> str:
    """``;`` (Excel in many locales), tab or ``|`` when the header line holds one of them
    and no comma, else ``delimiter``."""
    if delimiter != ",":
        return delimiter
    first = _peek_head(raw).split(b"\n", 1)[0]
    if first and b"," not in first:
        for other in (";", "\t", "|"):
            if other.encode() in first:
                return other
    return delimiter


_QUOTED_FIELD = re.compile(rb'(?:^|\t)"(?:[^"]|"")*"(?:\t|\r?\n|$)')
_BACKSLASH_ESCAPE = re.compile(r"\\([\\ntrbfv0])")
_UNESCAPED = {"\\": "\\", "n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


def _escaped_tsv(raw: Any) -> bool:
    """Whether tab-separated ``raw`` is in the text format of database dumps (PostgreSQL's
    ``COPY``, ClickHouse's ``TabSeparated``, MySQL's ``INTO OUTFILE`` and ``mysql -B``):
    no quoting, a tab, line break or backslash in a value written as ``\\t``, ``\\n``,
    ``\\\\``, NULL as ``\\N``. A file whose first 64 KB hold a value wrapped in double quotes (as
    Excel and pandas write a value with a tab, a line break or a quote in it) is read with
    quoting, as CSV is."""
    head = _peek_head(raw)
    return bool(head) and _QUOTED_FIELD.search(head) is None


_BACKSLASH_QUOTE = re.compile(rb'\\"[^",\r\n]')
_ROW_COUNT = re.compile(r"\(\d+ rows?\)")
_DATA_CELL = re.compile(r'\s*(?:[{\[]|[+-]?\d+(?:\.\d+)?\s*$|\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2})')


def _backslash_quotes(raw: Any) -> bool:
    """Whether the first 64 KB of CSV ``raw`` escape quotes with a backslash (``\\"yes\\"``),
    as Spark writes CSV by default, instead of doubling them."""
    return _BACKSLASH_QUOTE.search(_peek_head(raw)) is not None


_SPARK_ESCAPE = re.compile(r'\\\\(?=")|\\"')


def _doubled_quotes(line: str) -> str:
    """A line of a CSV file that escapes quotes with a backslash (Spark's default: ``\\"``
    for a quote, ``\\\\`` for a backslash before one) as RFC 4180 writes it (``""``). Other
    backslashes are the text's own (JSON text's ``\\n`` stays as it is)."""
    if "\\" not in line:
        return line
    return _SPARK_ESCAPE.sub(lambda m: '""' if m.group() == '\\"' else "\\", line)


def _headerless(header: list[str]) -> bool:
    """Whether a CSV file's first row is data, not a header (Snowflake's ``COPY INTO`` and
    Redshift's ``UNLOAD`` write none by default): a cell is a number, a timestamp or JSON,
    which no column name is."""
    return any(_DATA_CELL.match(h) for h in header if h.strip())


def _unescape(value: str) -> Any:
    """A value of an escaped TSV file: ``\\N`` and ``NULL`` are missing, escapes undone."""
    if value == "\\N" or value == "NULL":
        return None
    if "\\" not in value:
        return value
    return _BACKSLASH_ESCAPE.sub(lambda m: _UNESCAPED[m.group(1)], value)


def _csv_rows(path: Path, delimiter: str) -> Iterator[tuple[int, Payload]]:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    with open_maybe_compressed(path) as raw:
        delimiter = _csv_delimiter(raw, delimiter)
        escaped = delimiter == "\t" and _escaped_tsv(raw)
        backslashed = not escaped and _backslash_quotes(raw)
        errors_before = _DECODE_ERRORS[0]
        text = io.TextIOWrapper(raw, encoding="utf-8", errors="assay-count", newline="")
        if escaped:
            rows = csv.reader(text, delimiter=delimiter, quoting=csv.QUOTE_NONE)
        else:
            rows = csv.reader(map(_doubled_quotes, text) if backslashed else text, delimiter=delimiter)
        try:
            header = next(rows)
        except StopIteration:
            return
        except _STREAM_ERRORS as exc:
            raise InputError(f"the compressed data breaks off before the header's end (a truncated or corrupt file: {exc})",
                             file=str(path)) from None
        if _SURROGATE.search(delimiter.join(header)):
            raise InputError(f"the header is not {_ENCODING[0] or 'UTF-8'} text", file=str(path), line=1,
                             hint="say the file's encoding with --encoding, e.g. --encoding cp1252 (Excel on Windows), "
                                  "or re-encode it as UTF-8 (in Excel: save as 'CSV UTF-8')")
        held = None
        if _headerless(header):  # an export without a header row: its first row is data
            held = [header[0].lstrip("\ufeff"), *header[1:]]
            header = [f"column_{i + 1}" for i in range(len(header))]
        header = [h.strip().lstrip("\ufeff") for h in header]
        while True:
            start = rows.line_num + 1
            try:
                if held is not None:
                    values, held, start = held, None, 1
                else:
                    values = next(rows)
            except StopIteration:
                return
            except _STREAM_ERRORS as exc:
                yield start, _BadRow(broken_stream(exc, "rows"))
                return
            except csv.Error as exc:
                yield start, _BadRow(f"CSV: {exc}")
                continue
            if _DECODE_ERRORS[0] != errors_before and (bad := _SURROGATE.search(line := delimiter.join(values))):
                clean = line.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
                byte = ord(bad.group()) - 0xDC00
                reason = (f"not valid {_ENCODING[0]} text (byte 0x{byte:02x}): check the file's encoding" if _ENCODING[0] else
                          f"not valid UTF-8 text (byte 0x{byte:02x}): re-encode the file as UTF-8 (in Excel: save as 'CSV UTF-8'), "
                          "or say its encoding with --encoding, e.g. --encoding cp1252")
                yield start, _BadRow(reason, clean[:RAW_KEEP])
                continue
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                if len(values) == 1 and _ROW_COUNT.fullmatch(values[0].strip()):  # psql's footer: "(2 rows)"
                    continue
                yield start, _BadRow(f"row has {len(values)} fields, the header has {len(header)}")
                continue
            if sum(map(len, values)) * 4 > MAX_ROW_BYTES:  # could be over the limit in UTF-8: measure
                size = sum(len(v.encode("utf-8", errors="surrogatepass")) for v in values) + len(values) - 1
                if size > MAX_ROW_BYTES:
                    yield start, _BadRow(too_big(size), delimiter.join(values)[:RAW_KEEP])
                    continue
            if escaped:
                yield start, {k: (_unescape(v) if v != "" else None) for k, v in zip(header, values)}
            else:
                # (a cell of just \N is a missing value: Snowflake's CSV files write NULL so)
                yield start, {k: (v if v != "" and v != "\\N" else None) for k, v in zip(header, values)}


class _BadRow:
    """A row the reader could already tell is broken; the ingest loop quarantines it
    (with ``raw``, the start of the row's text, when the reader has it)."""

    __slots__ = ("reason", "raw")

    def __init__(self, reason: str, raw: str = "") -> None:
        self.reason = reason
        self.raw = raw


MAX_ROW_BYTES = 10 * 1024 * 1024
"""A row bigger than this is quarantined, in every format (a JSONL line, a JSON item, a CSV row, a
Parquet row's Arrow data)."""
MAX_EXPORT_ROW_BYTES = 256 * 1024 * 1024
"""The limit for a row that holds many records (an OpenTelemetry collector's batch of spans, a
trace with its observations): each of its records is held to :data:`MAX_ROW_BYTES`."""
RAW_KEEP = 4000
"""Characters of a quarantined row kept for inspection (scrubbed)."""


def too_big(size: int, limit: int = MAX_ROW_BYTES, what: str = "row") -> str:
    return f"{what} is {size / 1e6:.1f} MB, over the {limit // 2**20} MiB limit"


class _Counted:
    """A binary file that counts the bytes read from it."""

    def __init__(self, fh: Any) -> None:
        self._fh = fh
        self.n = 0

    def read(self, size: int = -1) -> bytes:
        data = self._fh.read(size)
        self.n += len(data)
        return data


def _over_limit(item: Any, limit: int = MAX_ROW_BYTES) -> Any:
    """``item``, or a bad row if its JSON text is over ``limit`` (measured only for a
    document of which more than half the limit was read)."""
    try:
        text = orjson.dumps(item)
    except orjson.JSONEncodeError:  # an integer beyond 64 bits, say
        text = json.dumps(item).encode()
    if len(text) > limit:
        return _BadRow(too_big(len(text), limit), text[:RAW_KEEP].decode("utf-8", errors="replace"))
    return item


@reader("csv")
def read_csv(path: Path) -> Iterator[tuple[int, Payload]]:
    """CSV with a header row; cells holding JSON (``messages``) are decoded later."""
    return _csv_rows(path, ",")


@reader("tsv")
def read_tsv(path: Path) -> Iterator[tuple[int, Payload]]:
    """Tab-separated values with a header row."""
    return _csv_rows(path, "\t")


def _parquet_file(path: Path) -> Any:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError("reading Parquet needs pyarrow", file=str(path), hint="pip install pyarrow") from None
    try:
        return pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several types for a broken file
        raise InputError(f"not a readable Parquet file: {exc}", file=str(path)) from None


PARQUET_BATCH = 4096
"""Rows a record batch holds. Batches are decoded with ``use_threads=False``: in a worker
on two cores pyarrow's decoding threads cost 5.0 against 1.6 us of CPU a row (4,096-row
batches; 8.9 against 3.0 with 65,536) and were slower in wall time too."""


@reader("parquet")
def read_parquet(path: Path) -> Iterator[tuple[int, Payload]]:
    """Parquet, streamed by record batches with pyarrow (nested columns become dicts/lists)."""
    pf = _parquet_file(path)
    n = 0
    clean = not all(_arrow_plain(field.type) for field in pf.schema_arrow)
    for batch in pf.iter_batches(batch_size=PARQUET_BATCH, use_threads=False):
        for row in _batch_rows(batch, clean):
            n += 1
            yield n, row


def _big_rows(batch: Any) -> list[tuple[int, int]]:
    """``(index, size)`` of the rows of a record batch whose Arrow data is over
    :data:`MAX_ROW_BYTES`, found by halving the batch (a few size calls when none is)."""
    out: list[tuple[int, int]] = []

    def walk(lo: int, n: int) -> None:
        size = batch.slice(lo, n).nbytes
        if size <= MAX_ROW_BYTES:
            return
        if n == 1:
            out.append((lo, size))
            return
        half = n // 2
        walk(lo, half)
        walk(lo + half, n - half)

    if batch.num_rows:
        walk(0, batch.num_rows)
    return out


def _batch_rows(batch: Any, clean: bool) -> list[Payload]:
    """A Parquet record batch's rows as Python values; a row over :data:`MAX_ROW_BYTES` of
    Arrow data is a bad row (as a JSONL line over it is), with the start of its JSON text."""
    big = _big_rows(batch) if batch.nbytes > MAX_ROW_BYTES else []
    rows: list[Payload] = []
    done = 0
    for i, size in [*big, (batch.num_rows, 0)]:
        part = batch.slice(done, i - done).to_pylist()
        rows.extend([to_plain(r) for r in part] if clean else part)
        if i < batch.num_rows:
            text = orjson.dumps(batch.slice(i, 1).to_pylist()[0], default=str, option=orjson.OPT_NON_STR_KEYS)
            rows.append(_BadRow(too_big(size), text[:RAW_KEEP].decode("utf-8", errors="replace")))
        done = i + 1
    return rows


def parquet_slices(path: Path, target_rows: int) -> list[tuple[int, int, int, int]]:
    """``path``'s rows cut into slices of at most ``target_rows`` that do not cross a row
    group: ``(row group, first row in it, end row in it, file row number of the first)``,
    numbered as :func:`read_parquet` numbers them."""
    meta = _parquet_file(path).metadata
    out = []
    before = 0
    for g in range(meta.num_row_groups):
        n = meta.row_group(g).num_rows
        for start in range(0, n, max(1, target_rows)):
            out.append((g, start, min(n, start + max(1, target_rows)), before + start + 1))
        before += n
    return out


def parquet_slice_chunks(path: Path, group: int, start: int, stop: int, first_row: int, chunk: int) -> Iterator[list[tuple[int, Payload]]]:
    """The rows :func:`read_parquet` gives for rows ``[start, stop)`` of row group ``group``,
    in lists of at most ``chunk``. The group is decoded from its start (decoding is about
    1.7 us a row, against 18 for turning a row into Python values, which only the slice's
    rows pay), batch by batch, so memory stays that of one batch."""
    pf = _parquet_file(path)
    clean = not all(_arrow_plain(field.type) for field in pf.schema_arrow)
    seen = 0
    n = first_row
    part: list[tuple[int, Payload]] = []
    for batch in pf.iter_batches(batch_size=PARQUET_BATCH, row_groups=[group], use_threads=False):
        lo, hi = max(start - seen, 0), min(stop - seen, batch.num_rows)
        seen += batch.num_rows
        if hi <= 0:
            continue
        if lo < hi:
            for row in _batch_rows(batch.slice(lo, hi - lo), clean):
                part.append((n, row))
                n += 1
                if len(part) >= chunk:
                    yield part
                    part = []
        if seen >= stop:
            break
    if part:
        yield part


def _arrow_plain(t: Any) -> bool:
    """Whether pyarrow turns values of type ``t`` into JSON-safe Python values already
    (strings, numbers, booleans, datetimes, and structs and lists of them), so
    :func:`to_plain` would return each row unchanged: it took 75 of a row's 108 us."""
    import pyarrow.types as pt

    if pt.is_struct(t):
        return all(_arrow_plain(t.field(i).type) for i in range(t.num_fields))
    if pt.is_list(t) or pt.is_large_list(t) or pt.is_fixed_size_list(t):
        return _arrow_plain(t.value_type)
    return bool(
        pt.is_null(t) or pt.is_boolean(t) or pt.is_integer(t) or pt.is_float32(t) or pt.is_float64(t)
        or pt.is_string(t) or pt.is_large_string(t) or pt.is_timestamp(t)
    )


_JSON_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv", ".tsv": "tsv", ".parquet": "parquet", ".pq": "parquet",
                  ".xlsx": "xlsx", ".xlsm": "xlsx"}


def detect_format(path: Path) -> str:
    """The file reader for ``path``, from its name or, failing that, its first bytes."""
    name, _ = _strip_compression(path.name.lower())
    for suffix, fmt in _JSON_SUFFIXES.items():
        if name.endswith(suffix):
            if fmt == "json" and _looks_like_jsonl(path):
                return "jsonl"
            if fmt == "jsonl" and _object_stream(_head(path), pretty=True):  # ``jq`` output without ``-c``
                return "json"
            return fmt
    with path.open("rb") as raw:
        magic = raw.read(4)
    if name.endswith(".xls") or magic == b"\xd0\xcf\x11\xe0":  # an old binary Excel workbook (OLE2)
        raise InputError("an old Excel workbook (.xls), which assay does not read", file=str(path),
                         hint="open it in Excel or LibreOffice and save it as .xlsx, or as CSV UTF-8")
    if magic == b"PAR1":
        return "parquet"
    if magic == b"PK\x03\x04":  # a zip file: an Excel workbook is one
        return "xlsx"
    head = _head(path)
    stripped = head.lstrip()
    if stripped[:1] == b"[":
        return "json"
    if stripped[:1] == b"{":
        return "jsonl" if _looks_like_jsonl(path, head) and not _object_stream(head, pretty=True) else "json"
    lines = head.split(b"\n", 1)
    if len(lines) == 2 and lines[0].rstrip().endswith(b"}") and _mostly_objects(lines[1]):  # JSON Lines cut at its start
        return "jsonl"
    first = lines[0]
    if b"\t" in first:
        return "tsv"
    if b"," in first and re.match(rb"^[\w\" .,-]+\r?$", first):
        return "csv"
    raise InputError(
        "cannot tell the file format from the name or the first bytes",
        file=str(path),
        hint=f"pass --format with one of: {', '.join(readers())}",
    )


def _looks_like_jsonl(path: Path, head: bytes | None = None) -> bool:
    """True when the first line is a complete JSON object (so each line is a row), unless that
    object is all the file holds and wraps a list of rows (an export)."""
    import orjson

    if head is None:
        head = _head(path)
    first = head.lstrip().split(b"\n", 1)
    if len(first) < 2 and len(head) >= 65536:
        return False
    try:
        obj = orjson.loads(first[0])
    except orjson.JSONDecodeError:
        # a broken first line (cut off, half written) of JSON Lines, told by the lines
        # after it: most of them whole objects (a pretty-printed document's lines mostly not)
        # (cut at its end: it starts as an object; cut at its start: it ends as one)
        return len(first) == 2 and (first[0][:1] == b"{" or first[0].rstrip().endswith(b"}")) and _mostly_objects(first[1])
    if not isinstance(obj, dict):
        return False
    # one object alone, wrapping a list of rows (``json.dump({"data": rows}, f)`` writes one
    # line): a JSON export, whose rows are the wrapper's items
    alone = len(first) < 2 or not first[1].strip()
    return not (alone and any(isinstance(obj.get(k), list) for k in WRAPPER_KEYS))
