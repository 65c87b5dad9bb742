"""The fast paths of normalisation and scrubbing give exactly what the general paths give."""

import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assay.ingest._normalise import RowError, chat_message, chat_messages, message, number, parse_ts
from assay.ingest._pii import Scrubber, ScrubSettings
from assay.records import Message


def _same_message(a: Message, b: Message) -> None:
    assert type(a) is type(b) is Message
    assert a == b and repr(a) == repr(b)
    assert a.__dict__ == b.__dict__ and a.model_fields_set == b.model_fields_set
    assert a.__pydantic_extra__ == b.__pydantic_extra__ and a.__pydantic_private__ == b.__pydantic_private__
    assert a.model_dump() == b.model_dump() and pickle.dumps(a) == pickle.dumps(b)


def test_message_is_what_model_construct_builds():
    fast, slow = message("user", "hi"), Message.model_construct(role="user", content="hi")
    _same_message(fast, slow)
    fast.content = slow.content = "changed"
    _same_message(fast, slow)
    assert message("user", "a").model_fields_set is not message("user", "a").model_fields_set


_valid_roles = st.sampled_from(["user", "User", "assistant", "system", "developer", "human", "ai", "tool", "function", "bot"])
_roles = st.one_of(_valid_roles, _valid_roles, _valid_roles, st.sampled_from(["nope", ""]), st.none(), st.integers(),
                   st.lists(st.text(max_size=2), max_size=1))
_contents = st.one_of(
    st.text(max_size=8), st.text(max_size=8), st.text(max_size=8), st.none(), st.integers(),
    st.lists(st.one_of(st.text(max_size=4), st.fixed_dictionaries({"type": st.sampled_from(["text", "image"]), "text": st.text(max_size=4)})), max_size=2),
)
_call = st.fixed_dictionaries({"name": st.text(max_size=3), "arguments": st.text(max_size=3)})
_extra = st.dictionaries(
    st.sampled_from(["tool_calls", "function_call", "name", "type", "parts", "tool_call_id", "message.content", "data"]),
    st.one_of(st.none(), st.text(max_size=3), st.lists(st.fixed_dictionaries({"function": _call}), max_size=2), _call,
              st.fixed_dictionaries({"content": st.text(max_size=3)})),
    max_size=2,
)
_message_like = st.one_of(
    st.builds(lambda r, c, e: {**e, "role": r, "content": c}, _roles, _contents, _extra),
    st.builds(lambda r, c, e: {**e, "role": r, "content": c}, _valid_roles, st.text(max_size=8), _extra),
    st.builds(lambda c, e: {**e, "content": c}, _contents, _extra),
    st.builds(lambda r, e: {**e, "role": r}, _roles, _extra),
    st.text(max_size=4), st.integers(),
)


def _general(value: list) -> list[Message] | str:
    try:
        return [chat_message(m, f"m.{i}") for i, m in enumerate(value)]
    except RowError as exc:
        return str(exc)


@settings(max_examples=1500, deadline=None)
@given(st.lists(_message_like, max_size=4))
def test_chat_messages_fast_path_matches_chat_message(value):
    try:
        fast: list[Message] | str = chat_messages(value, "m")
    except RowError as exc:
        fast = str(exc)
    slow = _general(value)
    if isinstance(slow, str):
        assert fast == slow
    else:
        assert isinstance(fast, list) and len(fast) == len(slow)
        for a, b in zip(fast, slow):
            _same_message(a, b)


@given(st.integers())
def test_number_of_an_int(value):
    assert type(number(value, "n", int)) is int and number(value, "n", int) == value
    try:
        expected: float | type = float(value)
    except OverflowError:
        expected = OverflowError
    if expected is OverflowError:
        with pytest.raises(OverflowError):
            number(value, "n", float)
    else:
        assert number(value, "n", float) == expected


@given(st.integers(min_value=-(10**12), max_value=10**19))
def test_parse_ts_of_an_int_matches_its_text(value):
    try:
        expected = parse_ts(str(value))
    except RowError as exc:
        with pytest.raises(RowError, match="out of range"):
            parse_ts(value)
        assert str(exc).startswith("ts: timestamp out of range")
    else:
        assert parse_ts(value) == expected


_fragments = ["jane.doe@example.com", "+44 20 7946 0958", "4111 1111 1111 1111", "CUST-12345678", "192.168.0.1",
              "password: hunter22", "12 Baker Street", "ssn 123456789", " ", "\n", "x", "order", "CUST-"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_fragments), st.text(max_size=3)), max_size=16))
def test_scrub_with_custom_patterns_and_disabled_kinds_matches_without_prefilter(parts):
    cfg = ScrubSettings(patterns={"customer id": r"CUST-\d{8}"}, disable=["ADDRESS"], allow=["jane.doe@example.com"])
    fast, slow = Scrubber(b"k", cfg), Scrubber(b"k", cfg, prefilter=False)
    text = "".join(parts)
    assert fast.scrub(text) == slow.scrub(text)
    assert fast.scrub(text) == slow.scrub(text)  # from the cache
    assert fast.found == slow.found


def test_message_falls_back_to_model_construct(monkeypatch):
    from assay.ingest import _normalise

    monkeypatch.setattr(_normalise, "_FAST_MESSAGE", False)
    _same_message(message("tool", "x"), Message.model_construct(role="tool", content="x"))


_trigger_texts = st.text(max_size=80) | st.sampled_from(
    ["mail ann@example.com", "4111 1111 1111 1111", "+44 20 7946 0958", "12 Main Street", "key=sk-abc", "10.0.0.1", ""]
)


@settings(max_examples=300, deadline=None)
@given(text=_trigger_texts)
def test_direct_trigger_match_is_the_wrappers(text):
    from assay.ingest._pii import _TRIGGERS, _set_matcher, _trigger_set

    for trig in (_trigger_set(list(_TRIGGERS)), _trigger_set(list(_TRIGGERS), json=True)):  # every kind's, and the field keys
        try:
            expected = trig.Match(text)
        except UnicodeEncodeError:  # a lone surrogate: both raise
            with pytest.raises(UnicodeEncodeError):
                _set_matcher(trig)(text)
            continue
        assert sorted(_set_matcher(trig)(text) or []) == sorted(expected or [])
        assert sorted(_set_matcher(trig)(text.encode()) or []) == sorted(expected or [])


_field_texts = _trigger_texts | st.builds(
    lambda pre, q, key, sp, post: f"{pre}{q}{key}{q}{sp}:{post}",
    st.text(max_size=30), st.sampled_from(["'", '"']),
    st.sampled_from(["email", "Customer Name", "phone_number", "nom du client", "x", "adresse", "e-mail\n"]),
    st.sampled_from(["", " ", "\n\t", "\u00a0"]), st.text(max_size=30),
)


@settings(max_examples=400, deadline=None)
@given(text=_field_texts)
def test_prose_triggers_split_in_two_sets_find_what_one_set_finds(text):
    # FIELDS scans in a set of its own, only where a text holds a quote and a colon (its DFA
    # states multiplied with the others'): the indices found must be those of one set of all
    from assay.ingest._pii import _TRIGGERS, _compile_trigger_set, _may_hold_a_field, _set_matcher, _SplitTriggers, _trigger_set

    kinds = ["FIELDS", *(k for k in _TRIGGERS if k != "FIELDS")]
    split = _trigger_set(kinds)
    assert isinstance(split, _SplitTriggers)
    one = _compile_trigger_set(kinds)
    expected = sorted(one.Match(text) or [])
    assert sorted(split.Match(text) or []) == expected
    assert sorted(_set_matcher(split)(text) or []) == expected
    assert sorted(_set_matcher(split)(text.encode()) or []) == expected
    if _compile_trigger_set(["FIELDS"]).Match(text):  # the gate never hides a FIELDS match
        assert _may_hold_a_field(text.encode())


def test_split_triggers_find_a_field_key_in_prose():
    from assay.ingest import Scrubber

    s = Scrubber(b"k")
    assert type(s._trigger).__name__ == "_SplitTriggers"
    fields_at = [k for k, _, t in s._steps if t is not None].index("FIELDS")
    assert fields_at in (s._match('payload: {"customer_email": "x"}') or [])
    assert fields_at not in (s._match("the customer_email field is empty") or [])
    assert s.scrub('{"customer_email": "ann@example.com"}') != '{"customer_email": "ann@example.com"}'


def test_trigger_match_falls_back_to_the_wrapper():
    from assay.ingest._pii import _set_matcher

    class Wrapper:  # a google-re2 whose Set has no extension object
        def Match(self, text):
            return [0] if "@" in text else None

    assert _set_matcher(Wrapper())("a@b") == [0] and _set_matcher(Wrapper())("ab") is None


@settings(max_examples=200, deadline=None)
@given(key=st.binary(max_size=150), msg=st.binary(max_size=3000))
def test_precomputed_hmac_is_hmac_sha256(key, msg):
    import hmac

    from assay.ingest._process import _Hmac

    h = _Hmac(key)
    assert h.digest(msg) == hmac.digest(key, msg, "sha256")
    assert h.digest(msg) == h.digest(msg)  # the precomputed states are not used up


@pytest.mark.parametrize("text,expected", [
    ("2026-11-01 10:00:00", "2026-11-01T10:00:00+00:00"),
    ("2026-11-01T10:00:00.123456789Z", "2026-11-01T10:00:00.123456+00:00"),
    ("1730455200.123", "2024-11-01T10:00:00.123000+00:00"),  # epoch seconds with a fraction, as text (CSV)
    ("1730455200123.5", "2024-11-01T10:00:00.123500+00:00"),  # epoch milliseconds with a fraction
    ("2026/11/01 10:00:00", "2026-11-01T10:00:00+00:00"),
    ("Sat, 01 Nov 2026 10:00:00 GMT", "2026-11-01T10:00:00+00:00"),  # an HTTP date
    ("Sat, 01 Nov 2026 10:00:00 +0200", "2026-11-01T10:00:00+02:00"),
    ("2026-11-01 10:00:00 UTC", "2026-11-01T10:00:00+00:00"),  # BigQuery exports
    ("2026-11-01 10:00:00.123456 UTC", "2026-11-01T10:00:00.123456+00:00"),
    ("2026-11-01 10:00:00 gmt", "2026-11-01T10:00:00+00:00"),
    ("2026-11-01 10:00:00.123 +01:00", "2026-11-01T10:00:00.123000+01:00"),  # an offset after a space
    ("2026-11-01 10:00:00 -0500", "2026-11-01T10:00:00-05:00"),
    ("2026-11-01 10:00:00.5+01", "2026-11-01T10:00:00.500000+01:00"),  # PostgreSQL's text
    ("2026-11-01T10:00:00.000Z[UTC]", "2026-11-01T10:00:00+00:00"),  # Java's ZonedDateTime
    ("2026-11-01T10:00:00+01:00[Europe/Paris]", "2026-11-01T10:00:00+01:00"),
    # a time zone's name: its offset on that day, from the tz database (Trino, Presto, Athena; Java)
    ("2026-11-01T10:00:00[Europe/Paris]", "2026-11-01T10:00:00+01:00"),
    ("2026-07-01 10:00:00.123 America/Los_Angeles", "2026-07-01T10:00:00.123000-07:00"),
    ("2026-12-01 10:00:00 America/Los_Angeles", "2026-12-01T10:00:00-08:00"),
])
def test_parse_ts_reads_the_timestamps_logs_write(text, expected):
    assert parse_ts(text).isoformat() == expected


@pytest.mark.parametrize("text", ["01/11/2026 10:00", "yesterday", "12.5", "2026-13-01", "2026-11-01T10:00:00[Mars/Olympus]",
                                  "2026-11-01 10:00 PST"])
def test_parse_ts_refuses_what_it_cannot_tell(text):
    """Day/month order is ambiguous, and a short number is no epoch time: such rows are
    quarantined with the reason, not stored with a guessed time."""
    with pytest.raises(RowError, match="no(t an)? ISO 8601 timestamp") as err:
        parse_ts(text)
    assert ("--ts-format" in str(err.value)) == (text == "01/11/2026 10:00")  # the ambiguous date says what to do


def _the_long_way(text):
    """``parse_ts(text)`` without its first reading of ISO 8601 text: a ``--ts-format`` that
    never fits sends every text the long way (its error messages differ, not its results)."""
    from assay.ingest import _normalise

    saved = _normalise._TS_FORMAT[0]
    _normalise._TS_FORMAT[0] = "%Y-never"
    try:
        return parse_ts(text)
    except RowError:
        return None
    finally:
        _normalise._TS_FORMAT[0] = saved


_iso_texts = st.one_of(
    st.builds(lambda d, sep, spec, z: (lambda s: s.replace("+00:00", "Z") if z else s)(d.isoformat(sep=sep, timespec=spec)),
              st.datetimes(timezones=st.none() | st.timezones()), st.sampled_from(["T", " ", "x", "Z", "\t"]),
              st.sampled_from(["auto", "hours", "minutes", "seconds", "milliseconds", "microseconds"]), st.booleans()),
    st.builds(lambda d: d.isoformat(), st.dates()),
    st.text(alphabet="0123456789-:TZz+. W/\t", min_size=8, max_size=32),
    st.builds(lambda a, b: a + b, st.sampled_from(["2026-11-01", "2026-11-01T10:00", "2026-W44-7", "2026-11-01 10:00:00"]),
              st.sampled_from(["", "Z", "z", " UTC", "+05:30", "+0530", "+05", ".5", "[Europe/Paris]", " ", "Z+01:00", "\n"])),
)


@settings(max_examples=3000, deadline=None)
@given(_iso_texts)
def test_iso_text_read_at_once_is_read_as_the_long_way_reads_it(text):
    try:
        got = parse_ts(text)
    except RowError:
        got = None
    want = _the_long_way(text)
    assert got == want and (got is None or got.utcoffset() == want.utcoffset()), text
