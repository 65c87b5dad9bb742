"""Long texts that many records repeat, stored once.

Production traffic repeats its system prompt in every call, often several kilobytes of
it: stored inline, it was most of the bytes a record row wrote (measured: a 5.8 KB prompt
made the store write 43 against 11 us a row). Ingest stores a system or developer
message of :data:`SHARED_MIN_CHARS` or more once, in the ``texts`` table under the hash of
its (scrubbed) text, and the record's message holds ``{"content_ref": hash, "role": ...}``
in place of ``{"content": text, "role": ...}``. Tool definitions (``meta.tools``) whose JSON
is as long are shared the same way: ``"tools": {"content_ref": hash}``, the text being
their canonical JSON. :func:`expand_messages` and :func:`expand_meta` give readers the
texts back; readers that use only the user's messages need not call them. Record ids are
computed from the full conversation, as before, so a record is the same record in either
form.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

import orjson
from sqlalchemy import Text, cast, delete, or_, select
from sqlalchemy.engine import Connection

from assay.errors import StoreError
from assay.store._schema import records, texts
from assay.store._upsert import insert_or_ignore

SHARED_ROLES = frozenset({"system", "developer"})
SHARED_MIN_CHARS = 256
REF = "content_ref"
SHARED_META = "tools"
"""The metadata key shared the same way when its JSON is as long: the tool definitions."""


def text_hash(text: str) -> str:
    """BLAKE2b-128 of the text's UTF-8 bytes, as 32 hex digits."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _fetch(conn: Connection, wanted: set[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    hashes = list(wanted)
    for i in range(0, len(hashes), 500):
        found.update(conn.execute(select(texts.c.hash, texts.c.text).where(texts.c.hash.in_(hashes[i:i + 500]))).all())
    missing = wanted - found.keys()
    if missing:
        raise StoreError(f"records refer to shared texts that are not in the store ({', '.join(sorted(missing)[:3])})",
                         hint="ingest the records' files again with --replace")
    return found


def _is_ref(value: Any) -> bool:
    return isinstance(value, dict) and len(value) == 1 and REF in value


def expand_messages(conn: Connection, conversations: Iterable[list[dict[str, Any]]]) -> None:
    """Put the shared texts back into ``conversations`` (lists of message dicts, as the
    records' ``messages`` column holds them), in place."""
    convs = conversations if isinstance(conversations, list) else list(conversations)
    wanted = {m[REF] for msgs in convs for m in msgs if isinstance(m, dict) and REF in m}
    if not wanted:
        return
    found = _fetch(conn, wanted)
    for msgs in convs:
        for j, m in enumerate(msgs):
            if isinstance(m, dict) and REF in m:
                msgs[j] = {"content": found[m[REF]], **{k: v for k, v in m.items() if k != REF}}


def expand_meta(conn: Connection, metas: Iterable[dict[str, Any] | None]) -> None:
    """Put shared tool definitions back into records' ``meta`` dicts (``tools`` stored as
    ``{"content_ref": hash}``), in place."""
    ms = [m for m in metas if isinstance(m, dict) and _is_ref(m.get(SHARED_META))]
    if not ms:
        return
    found = _fetch(conn, {m[SHARED_META][REF] for m in ms})
    for m in ms:
        m[SHARED_META] = orjson.loads(found[m[SHARED_META][REF]])


def store_texts(conn: Connection, pairs: dict[str, str]) -> None:
    """Store the shared texts ``pairs`` (hash -> text) that are not stored yet."""
    if pairs:
        insert_or_ignore(conn, texts, [{"hash": h, "text": t} for h, t in pairs.items()])


def refs_of(conn: Connection, where: Any) -> set[str]:
    """The shared texts that the records matching ``where`` refer to."""
    found: set[str] = set()
    q = select(records.c.messages).where(where, cast(records.c.messages, Text).contains(f'"{REF}"'))
    for (msgs,) in conn.execute(q):
        found.update(m[REF] for m in msgs if isinstance(m, dict) and REF in m)
    q = select(records.c.meta).where(where, cast(records.c.meta, Text).contains(f'"{REF}"'))
    for (meta,) in conn.execute(q):
        if isinstance(meta, dict) and _is_ref(meta.get(SHARED_META)):
            found.add(meta[SHARED_META][REF])
    return found


def drop_unused(conn: Connection, candidates: set[str]) -> int:
    """Delete the shared texts among ``candidates`` that no record refers to any more (after
    records were deleted: a deleted record's prompt must not stay behind); returns how many."""
    gone = 0
    for h in candidates:
        used = conn.execute(select(records.c.id).where(or_(cast(records.c.messages, Text).contains(h),
                                                           cast(records.c.meta, Text).contains(h))).limit(1)).first()
        if used is None:
            gone += conn.execute(delete(texts).where(texts.c.hash == h)).rowcount
    return gone
