"""Long texts that many records repeat, stored once.

Production traffic repeats its system prompt in every call, often several kilobytes of
it: stored inline, it was most of the bytes a record row wrote (measured: a 5.8 KB prompt
made the store write 43 against 11 us a row). Ingest stores a system or developer
message of :data:`SHARED_MIN_CHARS` or more once, in the ``texts`` table under the hash of
its (scrubbed) text, and the record's message holds ``{"content_ref": hash, "role": ...}``
in place of ``{"content": text, "role": ...}``. :func:`expand_messages` gives readers the
texts back; readers that use only the user's messages need not call it. Record ids are
computed from the full conversation, as before, so a record is the same record in either
form.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Text, cast, delete, select
from sqlalchemy.engine import Connection

from assay.store._schema import records, texts
from assay.store._upsert import insert_or_ignore

SHARED_ROLES = frozenset({"system", "developer"})
SHARED_MIN_CHARS = 256
REF = "content_ref"


def text_hash(text: str) -> str:
    """BLAKE2b-128 of the text's UTF-8 bytes, as 32 hex digits."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def expand_messages(conn: Connection, conversations: Iterable[list[dict[str, Any]]]) -> None:
    """Put the shared texts back into ``conversations`` (lists of message dicts, as the
    records' ``messages`` column holds them), in place."""
    convs = conversations if isinstance(conversations, list) else list(conversations)
    wanted = list({m[REF] for msgs in convs for m in msgs if isinstance(m, dict) and REF in m})
    if not wanted:
        return
    found: dict[str, str] = {}
    for i in range(0, len(wanted), 500):
        found.update(conn.execute(select(texts.c.hash, texts.c.text).where(texts.c.hash.in_(wanted[i:i + 500]))).all())
    for msgs in convs:
        for j, m in enumerate(msgs):
            if isinstance(m, dict) and REF in m:
                h = m[REF]
                if h not in found:
                    from assay.errors import StoreError

                    raise StoreError(f"a record refers to a shared text {h} that is not in the store",
                                     hint="ingest the record's file again with --replace")
                msgs[j] = {"content": found[h], **{k: v for k, v in m.items() if k != REF}}


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
    return found


def drop_unused(conn: Connection, candidates: set[str]) -> int:
    """Delete the shared texts among ``candidates`` that no record refers to any more (after
    records were deleted: a deleted record's prompt must not stay behind); returns how many."""
    gone = 0
    for h in candidates:
        used = conn.execute(select(records.c.id).where(cast(records.c.messages, Text).contains(h)).limit(1)).first()
        if used is None:
            gone += conn.execute(delete(texts).where(texts.c.hash == h)).rowcount
    return gone
