"""OpenAI and Anthropic Batch API files: the requests file and the results file of a batch,
joined by ``custom_id`` into one record per request.

A batch's results hold no prompt, and its requests hold no answer, so neither file alone
is the interaction. Given both in one ingest, the results file is read as usual (byte
ranges, workers, resume) and each of its rows is joined with its request, looked up in an
index of the requests file(s) built first: a SQLite file in the project's state folder,
deleted afterwards, which worker processes open read-only (memory stays flat however big
the batch). The requests files themselves are not ingested on their own.

Row shapes (registered here): ``openai-batch`` (requests ``{custom_id, method, url, body}``,
results ``{id, custom_id, response: {status_code, request_id, body}, error}``) and
``anthropic-batch`` (requests ``{custom_id, params}``, results ``{custom_id, result:
{type, message | error}}``). A requests file ingested alone gives prompt-only records.
"""

from __future__ import annotations

import itertools
import os
import sqlite3
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import xxhash

from assay.errors import InputError
from assay.ingest._formats import _BadRow, detect_format, get_reader
from assay.ingest._normalise import RowError
from assay.ingest._shapes import Fields, normalise_anthropic, normalise_openai, normalise_responses, shape

OPENAI, ANTHROPIC = "openai", "anthropic"
INPUT, OUTPUT = "requests", "results"


def batch_role(row: Any) -> tuple[str, str] | None:
    """``(provider, "requests" | "results")`` for a row of a Batch API file, else None."""
    if not isinstance(row, dict) or not isinstance(row.get("custom_id"), str):
        return None
    if isinstance(row.get("body"), dict) and ("url" in row or "method" in row):
        return OPENAI, INPUT
    if "response" in row and "error" in row and (row["response"] is None or isinstance(row["response"], dict)):
        return OPENAI, OUTPUT
    if isinstance(row.get("params"), dict):
        return ANTHROPIC, INPUT
    if isinstance(row.get("result"), dict) and "type" in row["result"]:
        return ANTHROPIC, OUTPUT
    return None


JOINED_INPUT, JOINED_OUTPUT = "batch_request", "batch_result"
"""A joined row: ``{custom_id, batch_request: <requests row or None>, batch_result: <results row>}``."""


def _alone(provider: str) -> str:
    return (f"a {provider.title() if provider == OPENAI else 'Anthropic'} Batch API result holds no prompt: ingest the "
            f"results file in one command with the batch's requests file, e.g. assay ingest batch_input.jsonl batch_output.jsonl")


def _no_request(row: dict[str, Any]) -> str:
    return (f"custom_id {row.get('custom_id')!r} is in none of the batch requests files given with this file: "
            f"pass the requests file of the same batch")


def _is_embedding(url: Any, body: Any) -> bool:
    return (isinstance(url, str) and "embeddings" in url) or (isinstance(body, dict) and body.get("object") == "list")


def _explode_openai(row: Any) -> Iterator[Any]:
    """Embedding requests are no chat interaction: skipped (None), not quarantined."""
    if isinstance(row, dict):
        req = row.get(JOINED_INPUT) if JOINED_OUTPUT in row else row
        if isinstance(req, dict) and _is_embedding(req.get("url"), None):
            yield None
            return
    yield row


def _openai_error(result: dict[str, Any]) -> str | None:
    """Why an OpenAI batch request has no answer, or None when it has one."""
    err = result.get("error")
    resp = result.get("response")
    if isinstance(err, dict) and err:
        return f"the batch request failed: {err.get('code') or 'error'}: {err.get('message') or ''}".rstrip(": ")
    if not isinstance(resp, dict):
        return "the batch result has no response"
    status = resp.get("status_code")
    if isinstance(status, int) and not 200 <= status < 300:
        body = resp.get("body")
        inner = body.get("error") if isinstance(body, dict) else None
        msg = inner.get("message") if isinstance(inner, dict) else None
        return f"the batch request failed with HTTP {status}" + (f": {msg}" if msg else "")
    if not isinstance(resp.get("body"), dict):
        return "the batch result's response has no body"
    return None


def _chat_body(body: dict[str, Any]) -> dict[str, Any]:
    """A legacy ``/v1/completions`` request (``prompt`` text) as a one-message chat request."""
    if "messages" not in body and isinstance(body.get("prompt"), str):
        return {**body, "messages": [{"role": "user", "content": body["prompt"]}]}
    return body


def _joined(row: Any) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """``(result, request)`` of a joined row, None for a row of one file alone."""
    if not isinstance(row, dict):
        raise RowError(f"expected a JSON object, got {type(row).__name__}")
    if JOINED_OUTPUT not in row:
        return None
    result, request = row[JOINED_OUTPUT], row[JOINED_INPUT]
    if request is None:
        raise RowError(_no_request(result))
    return result, request


@shape("openai-batch", detect=lambda row: (batch_role(row) or ("",))[0] == OPENAI, explode=_explode_openai)
def normalise_openai_batch(row: Any) -> Fields:
    """OpenAI Batch API rows: a request joined with its result (one record), or a request alone
    (a prompt-only record). A result alone is refused: it holds no prompt."""
    joined = _joined(row)
    if joined is not None:
        result, request = joined
        why = _openai_error(result)
        if why is not None:
            raise RowError(why)
        body_out = result["response"]["body"]
        merged = {"request": _chat_body(request["body"]), "response": body_out, "custom_id": row["custom_id"],
                  "batch_request_id": result.get("id"), "request_id": result["response"].get("request_id")}
        merged = {k: v for k, v in merged.items() if v is not None}
        url = request.get("url")
        if (isinstance(url, str) and url.rstrip("/").endswith("/responses")) or body_out.get("object") == "response":
            return normalise_responses(merged)
        return normalise_openai(merged)
    role = batch_role(row)
    if role == (OPENAI, OUTPUT):
        raise RowError(_alone(OPENAI))
    if role != (OPENAI, INPUT):
        raise RowError("not an OpenAI Batch API row: expected custom_id with body (a request) or response (a result)")
    merged = {"request": _chat_body(row["body"]), "response": {}, "custom_id": row["custom_id"]}
    url = row.get("url")
    if isinstance(url, str) and url.rstrip("/").endswith("/responses"):
        return normalise_responses(merged)
    return normalise_openai(merged)


def _anthropic_error(result: Any) -> str | None:
    if not isinstance(result, dict):
        return "the batch result has no result object"
    kind = result.get("type")
    if kind == "succeeded":
        return None if isinstance(result.get("message"), dict) else "the batch result has no message"
    if kind == "errored":
        err = result.get("error")
        inner = err.get("error") if isinstance(err, dict) and isinstance(err.get("error"), dict) else err
        if isinstance(inner, dict):
            return f"the batch request failed: {inner.get('type') or 'error'}: {inner.get('message') or ''}".rstrip(": ")
        return "the batch request failed"
    if kind in ("canceled", "expired"):
        return f"the batch request was {kind} before it ran: there is no answer to store"
    return f"unknown batch result type {kind!r}"


@shape("anthropic-batch", detect=lambda row: (batch_role(row) or ("",))[0] == ANTHROPIC)
def normalise_anthropic_batch(row: Any) -> Fields:
    """Anthropic Message Batches rows: a request joined with its result (one record), or a
    request alone (a prompt-only record). A result alone is refused: it holds no prompt."""
    joined = _joined(row)
    if joined is not None:
        result, request = joined
        why = _anthropic_error(result.get("result"))
        if why is not None:
            raise RowError(why)
        return normalise_anthropic({"request": request["params"], "response": result["result"]["message"],
                                    "custom_id": row["custom_id"]})
    role = batch_role(row)
    if role == (ANTHROPIC, OUTPUT):
        raise RowError(_alone(ANTHROPIC))
    if role != (ANTHROPIC, INPUT):
        raise RowError("not an Anthropic Message Batches row: expected custom_id with params (a request) or result")
    return normalise_anthropic({"request": row["params"], "response": {}, "custom_id": row["custom_id"]})


# ---------------------------------------------------------------- the requests index


class BatchIndex:
    """The requests of a batch by ``custom_id``, read-only (opened in each process that joins)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)

    def join(self, row: Any) -> Any:
        """A results row joined with its request (:data:`JOINED_OUTPUT` / :data:`JOINED_INPUT`),
        or ``row`` as it is when it is no results row (its shape then says what is wrong)."""
        role = batch_role(row)
        if role is None or role[1] != OUTPUT:
            return row
        cid = row["custom_id"]
        hit = self._conn.execute("SELECT raw FROM request WHERE custom_id = ?", (cid,)).fetchone()
        return {"custom_id": cid, JOINED_INPUT: orjson.loads(hit[0]) if hit else None, JOINED_OUTPUT: row}

    def close(self) -> None:
        self._conn.close()


@dataclass
class BatchJoin:
    """The batch files of one ingest job: which results files are joined with which
    requests files, through which index."""

    index: dict[str, str] = field(default_factory=dict)
    """Provider -> the index file of its requests."""
    requests: dict[str, list[Path]] = field(default_factory=dict)
    """Provider -> its requests files (not ingested on their own)."""
    results: dict[str, str] = field(default_factory=dict)
    """Results file -> provider."""
    digest: dict[str, str] = field(default_factory=dict)
    """Provider -> the content hash of its requests files (part of a results file's fingerprint)."""
    bad: dict[str, list[tuple[int, str, Any]]] = field(default_factory=dict)
    """Requests file -> its rows that cannot be joined: (line, reason, raw)."""
    hints: dict[str, str] = field(default_factory=dict)

    def cleanup(self) -> None:
        for p in self.index.values():
            for suffix in ("", "-journal"):
                try:
                    os.unlink(p + suffix)
                except FileNotFoundError:
                    pass


def _first_object(path: Path, fmt: str) -> Any:
    """The first row of ``path`` that decodes to a JSON object (within its first 50), or None."""
    return first_object(itertools.islice(get_reader(fmt)(path), 50))


def payload_object(payload: Any) -> dict[str, Any] | None:
    """A reader's payload (a line's bytes, or a decoded row) as a JSON object, or None when it
    is a bad row, not JSON, or no object."""
    if isinstance(payload, _BadRow):
        return None
    try:
        obj = orjson.loads(payload) if isinstance(payload, (bytes, bytearray)) else payload
    except orjson.JSONDecodeError:
        return None
    return obj if isinstance(obj, dict) else None


def first_object(rows: Iterable[tuple[int, Any]]) -> Any:
    """The first of ``rows`` (a reader's ``(line, payload)``) that decodes to a JSON object, or None."""
    for _, payload in rows:
        obj = payload_object(payload)
        if obj is not None:
            return obj
    return None


def _rows(path: Path, fmt: str) -> Iterator[tuple[int, Any, Any]]:
    """``(line, decoded row or None, payload)`` of every row of ``path``."""
    for pos, payload in get_reader(fmt)(path):
        if isinstance(payload, _BadRow):
            yield pos, None, payload
            continue
        try:
            obj = orjson.loads(payload) if isinstance(payload, (bytes, bytearray)) else payload
        except orjson.JSONDecodeError:
            obj = None
        yield pos, obj, payload


def plan_batches(state_dir: Path, files: list[Path], file_fmt: str, shape_name: str) -> tuple[list[Path], BatchJoin | None]:
    """Find the Batch API files among ``files`` (by their first row): the files to ingest, and
    the join of each results file with its batch's requests files (``None`` when there is
    no results file). A results file whose requests file is not among ``files``, or two
    requests files that give one ``custom_id`` different requests, is an error before
    anything is read."""
    if shape_name not in ("auto", "openai-batch", "anthropic-batch"):
        return files, None
    roles: dict[Path, tuple[str, str]] = {}
    fmts: dict[Path, str] = {}
    for path in files:
        fmts[path] = detect_format(path) if file_fmt == "auto" else file_fmt
        if fmts[path] not in ("jsonl", "json"):  # the APIs write JSON Lines (Anthropic's create request: JSON)
            continue
        role = batch_role(_first_object(path, fmts[path]))
        if role is not None:
            roles[path] = role
    results = {p: prov for p, (prov, kind) in roles.items() if kind == OUTPUT}
    if not results:
        return files, None
    join = BatchJoin()
    for prov in sorted(set(results.values())):
        reqs = [p for p, r in roles.items() if r == (prov, INPUT)]
        if not reqs:
            first = next(p for p, v in results.items() if v == prov)
            raise InputError(
                f"holds {'OpenAI' if prov == OPENAI else 'Anthropic'} Batch API results, which carry no prompts",
                file=str(first),
                hint=f"ingest it in one command with the batch's requests file: assay ingest <requests>.jsonl {first.name}",
            )
        join.requests[prov] = reqs
        join.index[prov] = str(state_dir / f"batch-requests-{os.getpid()}-{uuid.uuid4().hex[:12]}.db")
    state_dir.mkdir(parents=True, exist_ok=True)
    _remove_orphans(state_dir)
    try:
        for prov, reqs in join.requests.items():
            answered = {cid for p, v in results.items() if v == prov for cid in _custom_ids(p, fmts[p])}
            join.digest[prov] = _build_index(join, prov, reqs, fmts, answered)
        join.results = {str(p): prov for p, prov in results.items()}
    except BaseException:
        join.cleanup()
        raise
    consumed = {p for reqs in join.requests.values() for p in reqs}
    return [p for p in files if p not in consumed], join


def _remove_orphans(state_dir: Path, prefix: str = "batch-requests-", suffix: str = ".db") -> None:
    """Delete the files ``<prefix><pid>-<...><suffix>`` (join indexes, copies of standard
    input) of ingests whose process is gone (killed before it could): they hold the text of
    requests or messages unscrubbed."""
    if not state_dir.is_dir():
        return
    for p in state_dir.glob(f"{prefix}*{suffix}"):
        try:
            pid = int(p.name[len(prefix):].split("-")[0])
        except (IndexError, ValueError):
            continue
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            p.unlink(missing_ok=True)
        except PermissionError:  # a process of another user holds that id: not ours to judge
            pass


def _custom_ids(path: Path, fmt: str) -> Iterator[str]:
    for _, obj, _ in _rows(path, fmt):
        if isinstance(obj, dict) and isinstance(obj.get("custom_id"), str):
            yield obj["custom_id"]


def _same_request(a: bytes, b: bytes) -> bool:
    return a == b or orjson.loads(a) == orjson.loads(b)


def _build_index(join: BatchJoin, prov: str, reqs: list[Path], fmts: dict[Path, str], answered: set[str]) -> str:
    """Write the index of ``prov``'s requests files; returns their content hash."""
    conn = sqlite3.connect(join.index[prov])
    h = xxhash.xxh3_128()
    pending: list[tuple[str, str, int, bytes]] = []

    def flush() -> None:
        conn.executemany("INSERT INTO request VALUES (?, ?, ?, ?)", pending)
        pending.clear()

    try:
        conn.execute("PRAGMA journal_mode=OFF")
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("CREATE TABLE request (custom_id TEXT PRIMARY KEY, file TEXT NOT NULL, line INTEGER NOT NULL, raw BLOB NOT NULL)")
        seen: set[str] = set()
        for path in reqs:
            bad = join.bad.setdefault(str(path), [])
            unanswered = 0
            for pos, obj, payload in _rows(path, fmts[path]):
                if obj is None:
                    reason = payload.reason if isinstance(payload, _BadRow) else "not valid JSON"
                    bad.append((pos, reason, payload))
                    continue
                if batch_role(obj) != (prov, INPUT):
                    bad.append((pos, "not a batch request row (expected custom_id with "
                                     f"{'body' if prov == OPENAI else 'params'})", obj))
                    continue
                raw = bytes(payload) if isinstance(payload, (bytes, bytearray)) else orjson.dumps(obj, option=orjson.OPT_NON_STR_KEYS)
                cid = obj["custom_id"]
                h.update(raw)
                if cid in seen:  # the same request twice is fine; another one under its custom_id is not
                    flush()
                    first = conn.execute("SELECT raw, file, line FROM request WHERE custom_id = ?", (cid,)).fetchone()
                    if not _same_request(first[0], raw):
                        raise InputError(
                            f"custom_id {cid!r} names different requests here and at {first[1]}:{first[2]}: "
                            "these are different batches",
                            file=str(path), line=pos,
                            hint="ingest each batch's requests and results files in a command of their own",
                        )
                    continue
                seen.add(cid)
                pending.append((cid, str(path), pos, raw))
                if len(pending) >= 5000:
                    flush()
                unanswered += cid not in answered
            flush()
            if unanswered:
                join.hints[str(path)] = (
                    f"{unanswered:,} of its batch requests {'has' if unanswered == 1 else 'have'} no result in the results "
                    f"files given, so {'it is' if unanswered == 1 else 'they are'} not stored (expired or cancelled, or "
                    "answered in another file such as the batch's error file: pass that one too)"
                )
        conn.commit()
    finally:
        conn.close()
    return h.hexdigest()
