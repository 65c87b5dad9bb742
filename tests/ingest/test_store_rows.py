"""The store-ready rows an ingest writes: the same ids as the definition, the same values
back through the store, timestamps in UTC, and writes batched without losing a row."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assay.ingest import ingest
from assay.ingest._write import _as_dicts
from assay.ingest._pii import Scrubber
from assay.ingest._process import RECORD_COLUMNS, Processor, record_id, utc_text
from assay.records import Feedback, Message
from tests.ingest.conftest import stored

KEY = b"k" * 32

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**12, 10**12) | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
texts = st.text(max_size=60) | st.sampled_from(["mail me: ann@example.com", "card 4111 1111 1111 1111", "+44 20 7946 0958"])


tool_lists = st.lists(st.fixed_dictionaries({"type": st.just("function"), "function": st.fixed_dictionaries(
    {"name": st.text(max_size=8), "description": texts | st.text(min_size=200, max_size=300)})}), min_size=1, max_size=3)
# keys on both sides of "tools" in sorted order ("Tools", "tool", "toolz", "é"), and a tool list as apps send it
metadata = st.dictionaries(st.text(max_size=8) | st.sampled_from(["Tools", "tool", "tools_", "toolz", "a", "é", "日本"]),
                           json_values, max_size=5) | st.builds(
    lambda d, tools: {**d, "tools": tools},
    st.dictionaries(st.text(max_size=8) | st.sampled_from(["Tools", "tool", "toolz", "a", "é"]), json_values, max_size=4),
    tool_lists | st.lists(json_values, min_size=1, max_size=3))


@st.composite
def record_fields(draw):
    msgs = [Message(role=draw(st.sampled_from(["system", "user", "assistant", "tool"])), content=draw(texts))
            for _ in range(draw(st.integers(1, 4)))]
    ts = draw(st.none() | st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1),
                                         timezones=st.sampled_from([timezone.utc, timezone(timedelta(0)), timezone(timedelta(hours=2)), timezone(timedelta(hours=-7, minutes=-30))])))
    fb = draw(st.none() | st.builds(Feedback, thumb=st.sampled_from([None, "up", "down"]), comment=st.none() | texts))
    return {
        "ts": ts, "model": draw(st.none() | st.text(max_size=10)), "messages": msgs, "output": draw(st.none() | texts),
        "latency_ms": None, "tokens_in": None, "tokens_out": None, "cost_usd": None,
        "metadata": draw(metadata),
        "feedback": fb, "labels": draw(st.none() | st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2)),
    }


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(f=record_fields(), scrub=st.booleans())
def test_store_row_id_is_record_id_and_values_round_trip(f, scrub):
    proc = Processor(KEY, "src", "f.jsonl", "generic", None, scrub)
    row = proc._store_row(dict(f), Scrubber(KEY), "2026-11-26 10:00:00.000000")
    assert row[0] == record_id(KEY, "src", f)
    d = dict(zip(RECORD_COLUMNS, row))
    msgs = orjson.loads(d["messages"])
    assert [m["role"] for m in msgs] == [m.role for m in f["messages"]]
    meta = orjson.loads(d["meta"])
    assert d["meta"] == orjson.dumps(meta, option=orjson.OPT_SORT_KEYS).decode()  # stored with its keys sorted
    if isinstance(meta.get("tools"), dict):  # a long tool list, stored once: the rest of the metadata is as it was
        assert list(meta["tools"]) == ["content_ref"] and proc._texts[meta["tools"]["content_ref"]]
    if not scrub:
        assert [m["content"] for m in msgs] == [m.content for m in f["messages"]]
        want = orjson.loads(orjson.dumps(f["metadata"], option=orjson.OPT_NON_STR_KEYS))
        if isinstance(meta.get("tools"), dict):
            assert orjson.loads(proc._texts[meta["tools"]["content_ref"]]) == want.pop("tools")
            meta.pop("tools")
        assert meta == want
    assert orjson.loads(d["labels"]) == f["labels"]
    assert (orjson.loads(d["feedback"]) is None) == (f["feedback"] is None)
    if f["ts"] is not None:
        back = datetime.fromisoformat(d["ts"]).replace(tzinfo=timezone.utc)
        assert back == f["ts"]  # the same instant, written in UTC
        assert d["ts"] == utc_text(f["ts"])
    typed = _as_dicts([row])[0]  # the path for databases other than SQLite
    assert typed["messages"] == msgs and typed["feedback"] == orjson.loads(d["feedback"])
    assert typed["ingested_at"] == datetime(2026, 11, 26, 10, tzinfo=timezone.utc)


def test_utc_text_converts_offsets():
    assert utc_text(datetime(2026, 5, 1, 12, 30, tzinfo=timezone(timedelta(hours=2)))) == "2026-05-01 10:30:00.000000"
    assert utc_text(datetime(2026, 5, 1, 12, 30, 0, 5, tzinfo=timezone.utc)) == "2026-05-01 12:30:00.000005"
    assert utc_text(None) is None


def test_offset_timestamps_are_stored_as_the_same_instant(project):
    rows = [
        {"messages": [{"role": "user", "content": "a"}], "output": "x", "ts": "2026-05-01T12:30:00+02:00"},
        {"messages": [{"role": "user", "content": "b"}], "output": "y", "ts": "2026-05-01T11:00:00Z"},
    ]
    (project.root / "l.jsonl").write_text("\n".join(orjson.dumps(r).decode() for r in rows) + "\n")
    ingest(project, ["l.jsonl"])
    recs, _ = stored(project)
    assert [r["messages"][0]["content"] for r in recs] == ["a", "b"]  # 10:30 UTC sorts before 11:00 UTC
    assert recs[0]["ts"].replace(tzinfo=timezone.utc) == datetime(2026, 5, 1, 10, 30, tzinfo=timezone.utc)
    assert recs[0]["feedback"] is None and recs[0]["labels"] is None and recs[0]["meta"] == {}


def test_big_write_batches_keep_every_row_and_count_duplicates(project, monkeypatch):
    from assay.ingest import _ingest as mod

    monkeypatch.setattr(mod, "BATCH", 7)
    monkeypatch.setattr(mod, "WRITE_ROWS", 30)
    lines = [orjson.dumps({"messages": [{"role": "user", "content": f"q{i}"}], "output": "a"}).decode() for i in range(100)]
    lines[40] = "{not json"
    lines.append(lines[3])  # the same interaction again
    (project.root / "l.jsonl").write_text("\n".join(lines) + "\n")
    s = ingest(project, ["l.jsonl"], workers=0)
    assert (s.kept, s.duplicates, s.quarantined) == (99, 1, 1)
    s2 = ingest(project, ["l.jsonl"], workers=0, force=True)
    assert (s2.kept, s2.duplicates, s2.quarantined) == (0, 100, 1)
    recs, quar = stored(project)
    assert len(recs) == 99 and [q["line"] for q in quar] == [41]


def test_the_portable_insert_stores_what_the_sqlite_insert_stores(tmp_path):
    """Databases other than SQLite get the rows through SQLAlchemy: same values back, and
    a stored id or one repeated in the batch is skipped."""
    from sqlalchemy import select

    from assay.ingest._write import _insert_portable, write_rows
    from assay.project import load_project
    from assay.store._schema import records

    f = {"ts": datetime(2026, 5, 1, 12, tzinfo=timezone.utc), "model": "m", "messages": [Message(role="user", content="hi")],
         "output": "yo", "latency_ms": 5.0, "tokens_in": 3, "tokens_out": None, "cost_usd": None,
         "metadata": {"k": [1, {"b": None}]}, "feedback": Feedback(thumb="up"), "labels": None}
    proc = Processor(KEY, "src", "f.jsonl", "generic", None, False)
    row = proc._store_row(dict(f), Scrubber(KEY), "2026-11-26 10:00:00.000000")
    other = proc._store_row({**f, "output": "other"}, Scrubber(KEY), "2026-11-26 10:00:00.000000")
    stores = []
    for name in ("native", "portable"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "assay.yaml").write_text("project: t\n")
        store = load_project(tmp_path / name).open_store()
        if name == "native":
            assert write_rows(store, [row, row], []) == (1, 1, 0)
            assert write_rows(store, [row, other], []) == (1, 1, 0)
        else:
            with store.write() as conn:
                assert _insert_portable(conn, [row, row]) == 1
            with store.write() as conn:
                assert _insert_portable(conn, [row, other]) == 1
        with store.read() as conn:
            stores.append([dict(r) for r in conn.execute(select(records).order_by(records.c.output)).mappings()])
        store.close()
    assert stores[0] == stores[1] and len(stores[0]) == 2
    assert stores[0][1]["meta"] == {"k": [1, {"b": None}]} and stores[0][1]["feedback"]["thumb"] == "up"


@settings(max_examples=500, deadline=None)
@given(meta=metadata)
def test_metadata_around_its_tool_list_is_the_sorted_json_of_the_whole(meta):
    # the stored metadata and the id are assembled from the JSON of the keys before and after
    # the tool list: it must be the bytes orjson writes for the whole object, sorted
    from assay.ingest._process import _CANON, _TOOLS_KEY, _around_tools, _sorted_join

    around = _around_tools(meta)
    assert around is not None
    middle = _TOOLS_KEY + orjson.dumps(meta["tools"], option=_CANON) if "tools" in meta else b""
    assert _sorted_join(around[0], middle, around[1]) == orjson.dumps(meta, option=_CANON)
    rest = {k: v for k, v in meta.items() if k != "tools"}
    assert _sorted_join(around[0], b"", around[1]) == orjson.dumps(rest, option=_CANON)


def test_metadata_with_a_key_that_is_no_string_is_serialised_whole():
    from assay.ingest._process import _around_tools

    assert _around_tools({1: "a", "tools": [1]}) is None
    proc = Processor(KEY, "src", "f.jsonl", "generic", None, True)
    f = {"ts": None, "model": None, "messages": [Message(role="user", content="hi")], "output": None, "latency_ms": None,
         "tokens_in": None, "tokens_out": None, "cost_usd": None, "metadata": {1: "a", "tools": [{"name": "x" * 300}]},
         "feedback": None, "labels": None}
    row = proc._store_row(dict(f), Scrubber(KEY), None)
    assert row[0] == record_id(KEY, "src", f)
    assert orjson.loads(row[10])["1"] == "a"


def test_a_tool_list_with_nothing_to_scrub_comes_back_as_the_callers_own_value():
    s = Scrubber(KEY)
    tools = [{"type": "function", "function": {"name": "get_order", "description": "look an order up"}}]
    blob = orjson.dumps(tools, option=orjson.OPT_SORT_KEYS)
    for _ in range(2):  # the first sight and the cached one
        again = [dict(t) for t in tools]
        value, out = s.scrub_json_cached(again, blob)
        assert value is again and out is blob
    leaky = [{"type": "function", "function": {"name": "x", "description": "mail ann@example.com"}}]
    blob = orjson.dumps(leaky, option=orjson.OPT_SORT_KEYS)
    for _ in range(2):
        value, out = s.scrub_json_cached([dict(t) for t in leaky], blob)
        assert "ann@example.com" not in out.decode() and "<EMAIL_" in value[0]["function"]["description"]
        assert s.found["EMAIL"] >= 1
