"""The typed decoding of plain OpenAI log lines (``assay.ingest._fast``) gives exactly what
``orjson.loads`` and ``normalise_openai`` give, or hands the line to them."""

from __future__ import annotations

import json
import random
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assay.ingest._fast import FastOpenAI
from assay.ingest._normalise import NoModelCall, RowError
from assay.ingest._process import Processor
from assay.ingest._shapes import _REQ_KEPT, normalise_openai
from assay.store import utcnow

KEY = b"k" * 32
FIXTURES = Path(__file__).parent.parent / "fixtures" / "ingest"

scalars = (st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.sampled_from([2**63, -(2**63) - 1, 2**64, 10**30, 0, -0.0])
           | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=12))
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
                           max_leaves=8)
texts = st.text(max_size=40) | st.sampled_from(["", "mail me: ann@example.com", "card 4111 1111 1111 1111", "Bonjour, c'est Marie"])
tool_calls = st.lists(
    st.fixed_dictionaries({"id": st.text(max_size=6), "type": st.just("function"),
                           "function": st.fixed_dictionaries({"name": st.text(max_size=8),
                                                              "arguments": st.sampled_from(["{}", '{"id": "A-1"}', "not json", ""]) | json_values})})
    | json_values,  # (and what no app sends: the general path quarantines it, and says why)
    max_size=2,
) | st.sampled_from([None, "x", {"a": 1}])
content_parts = st.lists(
    st.one_of(
        [st.fixed_dictionaries({"type": st.just("text"), "text": texts})] * 4
        + [st.fixed_dictionaries({"type": st.just("image_url"), "image_url": st.fixed_dictionaries(
            {"url": st.sampled_from(["https://example.com/a.png", "data:image/png;base64,iVBORw0KGgo="])},
            optional={"detail": st.sampled_from(["low", "high", "auto"])})}),
           st.fixed_dictionaries({"type": st.just("input_audio"), "input_audio": st.fixed_dictionaries(
               {"data": st.just("UklGRg=="), "format": st.sampled_from(["wav", "mp3"])})}),
           # what the general path reads its own ways: no text, text that is no string, another
           # kind, a key no part of this API has, a bare string, no type, an image with a caption
           st.sampled_from([{"type": "text"}, {"type": "text", "text": 5}, {"type": "text", "text": None},
                            {"type": "file", "file": {"file_id": "f-1"}}, {"type": "refusal", "refusal": "no"},
                            {"type": "text", "text": "hi", "cache_control": {"type": "ephemeral"}}, "plain", {"text": "no type"},
                            {"type": "image_url", "image_url": {"url": "u"}, "text": "caption"}, {"type": 5}, {"type": "thinking"},
                            {"type": "text", "text": "big", "image_url": 2**64}, {}])]),
    max_size=4,
)
roles = st.sampled_from(["user", "user", "system", "developer", "assistant", "tool", "User", "human", "function", "narrator"])


def odd(draw, plain, other, one_in: int = 10):
    """Mostly ``plain``; one time in ``one_in``, ``other`` (what the general path reads its own way)."""
    return draw(other) if sometimes(draw, one_in) else draw(plain)


def sometimes(draw, one_in: int) -> bool:
    return draw(st.integers(1, one_in)) == one_in  # (hypothesis draws the least value most: plain)


@st.composite
def log_rows(draw):
    """An OpenAI chat-completions log row: mostly plain, with now and then one of the
    variations the general path reads in its own ways."""
    msgs = []
    for _ in range(odd(draw, st.integers(1, 4), st.just(0), 30)):
        m = {"role": odd(draw, st.sampled_from(["user", "user", "system", "developer", "assistant", "tool"]), roles, 15),
             "content": odd(draw, texts, st.none() | content_parts | st.just({"type": "text", "text": "hi"}), 6)}
        if sometimes(draw, 10):
            m["name"] = draw(st.text(max_size=5))
        if sometimes(draw, 12):  # an agent's history: an answer that called tools, a tool's result
            m["tool_calls"] = draw(tool_calls)
            if sometimes(draw, 2):
                m["content"] = None
        if sometimes(draw, 12):
            m["tool_call_id"] = draw(st.text(max_size=6) | st.none() | st.integers())
        msgs.append(m)
    if msgs and not sometimes(draw, 20):
        msgs[-1]["role"] = "user"
    req = {"messages": msgs}
    tool_lists = st.lists(st.fixed_dictionaries({"type": st.just("function"), "function": st.fixed_dictionaries(
        {"name": st.text(max_size=6), "description": texts})}), min_size=1, max_size=2)
    for key, one_in, strat in (
            ("model", 2, st.text(max_size=10) | st.none() | st.just("")),
            ("temperature", 2, st.floats(0, 2) | st.integers(0, 2) | st.floats(0, 2) | json_values),
            ("tools", 3, st.one_of([tool_lists] * 6 + [st.none(), st.just([]), st.just("get_order"), st.just({"a": 1})])),
            ("top_p", 8, scalars), ("max_tokens", 8, scalars), ("stop", 10, json_values), ("stream", 10, st.booleans()),
            ("response_format", 8, json_values), ("user", 6, st.none() | st.just("") | st.text(max_size=6) | st.integers()),
            ("store", 12, st.booleans()), ("service_tier", 12, st.text(max_size=6)),
            ("metadata", 10, json_values | st.dictionaries(st.text(max_size=6), json_values, max_size=3)),
            ("functions", 40, st.lists(json_values, max_size=2)), ("body", 60, st.just({"x": 1}))):
        if sometimes(draw, one_in):
            req[key] = draw(strat)
    choices = []
    for i in range(draw(st.sampled_from([0, 1, 1, 1, 1, 1, 1, 2]))):
        msg = {"role": "assistant", "content": odd(draw, texts, st.none(), 10)}
        if sometimes(draw, 5):
            msg["refusal"] = draw(st.none() | st.text(max_size=10))
        if sometimes(draw, 6):
            msg["tool_calls"] = draw(st.just([]) | st.just(None) | st.lists(st.fixed_dictionaries(
                {"id": st.just("c1"), "type": st.just("function"), "function": st.fixed_dictionaries(
                    {"name": st.text(max_size=8) | st.none(), "arguments": st.just('{"id": 1}') | json_values})}), min_size=1, max_size=2)
                | st.just([{"custom": {"name": "grep", "input": "x"}}]) | st.just([{"function": "abc"}]) | st.just("abc")
                | st.just({"k": 1}) | st.just(5) | st.just([{"function": {"name": "f", "arguments": 2**64}}]))
        if sometimes(draw, 30):
            msg["function_call"] = draw(st.just({"name": "legacy", "arguments": "{}"}) | st.just("x"))
        if sometimes(draw, 25):
            msg["audio"] = {"transcript": "hello"}
        if sometimes(draw, 8):
            msg["annotations"] = []
        ch = {"index": i, "message": msg}
        if draw(st.booleans()):
            ch["finish_reason"] = draw(st.sampled_from(["stop", "length", "", None]))
        if sometimes(draw, 40):
            ch["text"] = "legacy"
        choices.append(ch)
    resp = {"choices": choices}
    if sometimes(draw, 40):
        resp = {"error": {"message": "rate limited"}}
    for key, one_in, strat in (
            ("id", 2, st.text(max_size=8) | st.none() | st.integers()), ("object", 3, st.just("chat.completion")),
            ("created", 2, st.one_of([st.integers(1_600_000_000, 1_900_000_000)] * 4
                                     + [st.sampled_from([None, 0, 2**64, "2026-11-01T10:00:00Z", 1.7e9, "yesterday"])])),
            ("model", 2, st.text(max_size=10) | st.none()), ("system_fingerprint", 4, st.text(max_size=5)),
            ("usage", 2, st.none() | st.just({}) | st.fixed_dictionaries(
                {"prompt_tokens": scalars, "completion_tokens": st.integers(0, 500)},
                optional={"cost": scalars, "input_tokens": st.integers(0, 9), "total_tokens": st.integers(0, 9),
                          "prompt_tokens_details": st.fixed_dictionaries({"cached_tokens": scalars}),
                          "completion_tokens_details": json_values})),
            ("foo", 40, st.integers())):
        if "error" not in resp and sometimes(draw, one_in):
            resp[key] = draw(strat)
    row = {"request": req, "response": resp}
    for key, one_in, strat in (
            ("latency_ms", 2, scalars | st.sampled_from(["400", 0, 12.5])),
            ("metadata", 2, st.one_of([st.dictionaries(st.text(max_size=6), json_values, max_size=4)] * 5
                                      + [st.none(), st.just('{"a": 1}'), st.just([["k", "v"]])])),
            ("ts", 6, st.sampled_from(["2026-11-01T10:00:00Z", "2026-11-01 10:00:00", 1793520000, "", None, "nope"])),
            ("timestamp", 10, st.sampled_from([1793520000123, "2026-11-02T00:00:00+02:00", None])),
            ("request_id", 4, st.text(max_size=6)), ("user_id", 6, json_values), ("id", 6, st.text(max_size=4) | st.none()),
            ("tags", 30, st.just('["a"]') | st.just(["a"])), ("cost", 30, scalars), ("status", 40, st.just("failure")),
            ("model", 30, st.text(max_size=5)), ("call_type", 40, st.just("embedding")), ("feedback", 30, st.just({"thumb": "up"})),
            ("temperature", 20, scalars), ("startTime", 30, st.just("2026-11-01T10:00:00Z")), ("prompt_tokens", 30, st.integers(0, 9))):
        if sometimes(draw, one_in):
            row[key] = draw(strat)
    if sometimes(draw, 10):  # the keys in another order
        items = list(row.items())
        draw(st.randoms()).shuffle(items)
        row = dict(items)
    return row


def _line(row, style: int) -> bytes:
    if style == 0:
        try:
            return orjson.dumps(row) + b"\n"
        except TypeError:  # an integer beyond 64 bits: written by json below
            pass
    return json.dumps(row, ensure_ascii=style == 1, indent=None if style < 3 else 1).replace("\n", " ").encode() + b"\n"


def _general(line: bytes):
    try:
        return normalise_openai(orjson.loads(line))
    except (RowError, NoModelCall, orjson.JSONDecodeError, AttributeError, TypeError, KeyError, ValueError, IndexError, RecursionError) as exc:
        return exc


def _same_fields(fast: dict, general: dict) -> None:
    assert fast.keys() == general.keys()
    for k in fast:
        if k == "messages":
            assert [m.__dict__ for m in fast[k]] == [m.__dict__ for m in general[k]]
        else:
            assert fast[k] == general[k], k
            if k != "metadata":
                assert repr(fast[k]) == repr(general[k]), k  # (1 against 1.0, True against 1)
    canon = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS
    assert orjson.dumps(fast["metadata"], option=canon) == orjson.dumps(general["metadata"], option=canon)
    # the same keys in the same order, but for those the general path takes in a set's order (_REQ_KEPT)
    assert [k for k in fast["metadata"] if k not in _REQ_KEPT] == [k for k in general["metadata"] if k not in _REQ_KEPT]


def _both(lines: list[bytes]):
    out = []
    now = utcnow()
    for fast in (True, False):
        proc = Processor(key=KEY, source="s", file="f.jsonl", shape_name="openai", mapping=None, scrub=True, fast=fast)
        out.append(proc.process([(i + 1, line) for i, line in enumerate(lines)], now))
    return out


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(log_rows(), st.integers(0, 3))
def test_fast_path_gives_the_general_fields_or_none(row, style):
    line = _line(row, style)
    got = FastOpenAI()(line)
    want = _general(line)
    if got is not None:
        assert not isinstance(want, BaseException), want
        _same_fields(got, want)


def test_fast_path_takes_plain_lines():
    """The lines it exists for: the benchmark's rows, and an OpenAI log with an app's own keys."""
    fast = FastOpenAI()
    plain = {"request": {"model": "gpt-4o-mini", "temperature": 0.3, "tools": [{"type": "function", "function": {"name": "f"}}],
                         "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "hi", "name": "ann"}]},
             "response": {"id": "chatcmpl-1", "object": "chat.completion", "created": 1793520000, "model": "gpt-4o-mini-2024-07-18",
                          "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello", "refusal": None, "annotations": []},
                                       "finish_reason": "stop", "logprobs": None}],
                          "usage": {"prompt_tokens": 9, "completion_tokens": 2, "total_tokens": 11,
                                    "prompt_tokens_details": {"cached_tokens": 0}}, "system_fingerprint": "fp_1"},
             "latency_ms": 400, "metadata": {"locale": "fr-FR"}}
    with_keys = {"request_id": "r-1", **plain, "user_id": 7, "id": "log-9"}
    calls_a_tool = {**plain, "response": {**plain["response"], "choices": [{"index": 0, "finish_reason": "tool_calls", "message": {
        "role": "assistant", "content": None, "tool_calls": [
            {"id": "call_1", "type": "function", "function": {"name": "get_order", "arguments": "{\"id\": \"A-1\"}"}}]}}]}}
    agent = {**with_keys, "request": {**plain["request"], "messages": [
        *plain["request"]["messages"],
        {"role": "assistant", "content": None, "tool_calls": [
            {"id": "call_1", "type": "function", "function": {"name": "get_order", "arguments": "{\"id\": \"A-1\"}"}}]},
        {"role": "tool", "tool_call_id": "call_1", "content": "{\"status\": \"shipped\"}"},
        {"role": "user", "content": "and the invoice?"},
    ]}}
    for row in (plain, with_keys, calls_a_tool, agent, {**agent, "request_id": None} | {"metadata": {"a": 1}}):
        line = orjson.dumps(row)
        got = fast(line)
        assert got is not None
        _same_fields(got, normalise_openai(orjson.loads(line)))
    history = fast(orjson.dumps(agent))["messages"]
    assert [(m.role, m.content) for m in history[-3:]] == [
        ("assistant", '[tool_call get_order {"id": "A-1"}]'), ("tool", '{"status": "shipped"}'), ("user", "and the invoice?")]
    # content parts of text, images and audio (an image as its placeholder); other kinds: the
    # general path's (it reads them in many dialects)
    parts = {**agent, "request": {**agent["request"], "messages": [*agent["request"]["messages"], {"role": "user", "content": [
        {"type": "text", "text": "and this?"}, {"type": "image_url", "image_url": {"url": "https://x/i.png", "detail": "low"}},
        {"type": "text", "text": ""}, {"type": "input_audio", "input_audio": {"data": "UklGRg==", "format": "wav"}}]}]}}
    got = fast(orjson.dumps(parts))
    _same_fields(got, normalise_openai(orjson.loads(orjson.dumps(parts))))
    assert got["messages"][-1].content == "and this?\n[image]\n[audio]"
    for other in ({"type": "file", "file": {"file_id": "f-1"}}, {"type": "text", "text": "x", "cache_control": {"type": "ephemeral"}},
                  "plain", {"type": "text"}):
        odd_part = {**parts, "request": {**parts["request"], "messages": [{"role": "user", "content": [other]}]}}
        assert fast(orjson.dumps(odd_part)) is None, other
    assert fast(orjson.dumps(with_keys))["metadata"]["source_id"] == "log-9"
    assert fast(orjson.dumps(calls_a_tool))["output"] == '[tool_call get_order {"id": "A-1"}]'


@pytest.mark.parametrize("line", [
    b'{"request": {"messages": [{"role": "user", "content": "hi"}]}, "response": {"choices": []}, "x": "\xff"}',  # not UTF-8, in a key of the app's
    b'{"request": {"messages": [{"role": "user", "content": "hi"}]}, "response": {"choices": []}, "x": 1e400}',  # a number beyond a float
    b'{"request": {"messages": [{"role": "user", "content": "hi"}], "tools": [1e400]}, "response": {"choices": []}}',
    b'{"request": {"messages": [{"role": "user", "content": "hi"}], "tools": ["\xed\xa0\x80"]}, "response": {"choices": []}}',
    b'{"request": {"messages": [{"role": "user", "content": "hi"}]}, "response": {"choices": [], "usage": {"prompt_tokens": 18446744073709551616}}}',
    b'{"request": {"messages": [{"role": "user", "content": "hi"}]}, "response": {"choices": []}, "metadata": {"n": -9223372036854775809}}',
    b'{"request": {"messages": [{"role": "user", "content": "hi"}]}, "response": {"choices": []}, "metadata": {"a": ' + b"[" * 300 + b"]" * 300 + b"}}",
    b'{"request": {"messages": [{"role": "user", "content": "hi"}]}, "response": {"choices": []}, "request": {"messages": []}}',
    b'{"request": {"messages": [{"role": "user", "content": "hi"}]}, "response": {"choices": [], "id": "a", "id": "b"}}',
    b'{"request": {"messages": [{"role": "user", "content": "hi"}]}, "response": {"choices": []}}  x',
    b'{"request": {"messages": [{"role": "user", "content": "hi"}]}, "response": {"choices": []}, "latency_ms": NaN}',
    b'{"request": {"messages": [{"role": "system", "content": "no user"}]}, "response": {"choices": []}}',
    b'{"request": {"messages": [{"role": "user", "content": "hi"}]}, "response": {"choices": [{"message": {"content": "a"}}]}, "ts": "nope"}',
    # a history the fast path reads with the general path's chat_messages
    b'{"request": {"messages": [{"role": "user", "content": null, "x": "\xff"}]}, "response": {"choices": []}}',  # not UTF-8 in a message
    b'{"request": {"messages": [{"role": "user", "content": "hi", "tool_calls": [1e400]}]}, "response": {"choices": []}}',
    b'{"request": {"messages": [{"role": "user", "content": "hi", "tool_calls": [18446744073709551616]}]}, "response": {"choices": []}}',
    b'{"request": {"messages": [{"role": "user", "content": ' + b"[" * 300 + b"]" * 300 + b'}]}, "response": {"choices": []}}',
    b'{"request": {"messages": [{"role": "assistant", "content": null, "tool_calls": "x"}, {"role": "user", "content": "hi"}]}, "response": {"choices": []}}',
    b'{"request": {"messages": [{"role": "tool", "content": null}]}, "response": {"choices": []}}',
    b'{"request": {"messages": [{"role": "user", "content": [{"type": "text", "text": "hi"}]}, "oops"]}, "response": {"choices": []}}',
    b'{"app": 1, "request": {"messages": [{"role": "user", "content": [{"type": "text", "text": "hi"}]}]}, "response": {"choices": []}}',
    # content parts
    b'{"request": {"messages": [{"role": "user", "content": [{"type": "text", "text": "hi \xff"}]}]}, "response": {"choices": []}}',
    b'{"request": {"messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "\xed\xa0\x80"}}]}]}, "response": {"choices": []}}',
    b'{"request": {"messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"n": 1e400}}]}]}, "response": {"choices": []}}',
    b'{"request": {"messages": [{"role": "user", "content": [{"type": "input_audio", "input_audio": 18446744073709551616}]}]}, "response": {"choices": []}}',
    b'{"request": {"messages": [{"role": "user", "content": [{"type": "image_url", "image_url": ' + b"[" * 300 + b"]" * 300 + b'}]}]}, "response": {"choices": []}}',
    b'{"request": {"messages": [{"role": "user", "content": [{"type": "text", "text": "a", "text": "b"}]}]}, "response": {"choices": []}}',
    b'{"request": {"messages": [{"role": "user", "content": []}]}, "response": {"choices": [{"message": {"content": "a"}}]}}',
])
def test_odd_lines_end_as_on_the_general_path(line):
    """Kept, quarantined (with the same reason) or skipped just as without the fast path."""
    with_fast, without = _both([line, line + b"\n"])
    assert with_fast.good == without.good
    assert with_fast.bad == without.bad
    assert with_fast.texts == without.texts and with_fast.skipped == without.skipped


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(log_rows(), min_size=1, max_size=8), st.integers(0, 3))
def test_store_rows_are_the_same_with_and_without_the_fast_path(rows, style):
    lines = [_line(r, style) for r in rows]
    with_fast, without = _both(lines)
    assert with_fast.good == without.good
    assert with_fast.bad == without.bad
    assert with_fast.texts == without.texts and with_fast.pii == without.pii and with_fast.skipped == without.skipped


def test_fixture_and_benchmark_like_lines_store_the_same():
    lines = (FIXTURES / "openai.jsonl").read_bytes().splitlines(keepends=True)
    rnd = random.Random(7)
    words = "order refund parcel late boots my email is ann@example.com call +44 20 7946 0958 card 4111 1111 1111 1111".split()
    tools = [{"type": "function", "function": {"name": n, "description": f"{n} tool", "parameters": {"type": "object"}}}
             for n in ("get_order", "start_return")]
    for i in range(300):
        row = {"request": {"model": "gpt-4o-mini", "temperature": 0.3, "tools": tools,
                           "messages": [{"role": "system", "content": "You are the support assistant. " * 12},
                                        {"role": "user", "content": " ".join(rnd.choice(words) for _ in range(30))}]},
               "response": {"id": f"chatcmpl-{i}", "created": 1793520000 + i, "model": "gpt-4o-mini-2024-07-18",
                            "choices": [{"index": 0, "finish_reason": "stop",
                                         "message": {"role": "assistant", "content": " ".join(rnd.choice(words) for _ in range(20))}}],
                            "usage": {"prompt_tokens": 300, "completion_tokens": 60}},
               "latency_ms": 400 + i, "metadata": {"locale": "fr-FR", "channel": "web"}}
        lines.append(orjson.dumps(row) + b"\n")
    fast = FastOpenAI()
    assert sum(fast(line) is not None for line in lines) >= 300
    with_fast, without = _both(lines)
    assert len(with_fast.good) >= 300
    assert with_fast.good == without.good and with_fast.bad == without.bad and with_fast.texts == without.texts
    assert with_fast.pii == without.pii


def test_a_fast_path_that_fails_leaves_the_line_to_the_general_path():
    """Should the fast path raise on some line, the line is read as without it."""
    line = orjson.dumps({"request": {"messages": [{"role": "user", "content": "mail ann@example.com"}]},
                         "response": {"choices": [{"message": {"content": "ok"}}]}}) + b"\n"

    def broken(_line):
        raise ValueError("a bug")

    now = utcnow()
    proc = Processor(key=KEY, source="s", file="f.jsonl", shape_name="openai", mapping=None, scrub=True)
    proc._ready()
    proc._fast = broken
    got = proc.process([(1, line)], now)
    want = Processor(key=KEY, source="s", file="f.jsonl", shape_name="openai", mapping=None, scrub=True, fast=False).process(
        [(1, line)], now)
    assert len(got.good) == 1 and got.good == want.good and got.bad == want.bad == []
