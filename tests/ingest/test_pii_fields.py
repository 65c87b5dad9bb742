"""A metadata key that says what its value is: e-mail, phone and address fields.

The values here are ones the text detectors leave alone on their own (a bare ten-digit
number, an e-mail written around filters, an address in a form no pattern knows); under a
key that names them they become one token each. Keys that only look like such a name
(``phone_verified``, ``ip_address``, ``mobile_build``) and values that are not one
(``"N/A"``, a date, a pseudonym) stay as they are.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assay.ingest import Scrubber
from assay.ingest._pii import PSEUDONYM, ScrubSettings


@pytest.fixture()
def s() -> Scrubber:
    return Scrubber(b"k" * 32)


def _kind(value: object) -> str | None:
    m = PSEUDONYM.fullmatch(value) if isinstance(value, str) else None
    return m.group(1) if m else None


@pytest.mark.parametrize(
    "key,value,kind",
    [
        ("phone", "5551234567", "PHONE"),
        ("phone_number", "4155552671", "PHONE"),
        ("phoneNumber", "5551234567", "PHONE"),
        ("customer_phone", 5551234567, "PHONE"),  # logged as a JSON number
        ("phone", "555-1234", "PHONE"),  # a local number: seven digits
        ("whatsapp", "5215512345678", "PHONE"),
        ("msisdn", "447700900123", "PHONE"),
        ("Teléfono", "612 34 56 78", "PHONE"),
        ("contact.mobile", "0612345678", "PHONE"),
        ("phone", "(555) 123-4567 ext. 89", "PHONE"),
        ("cell_phone", "5551234567", "PHONE"),
        ("email", "bob@localhost", "EMAIL"),  # no dot in the domain: the text detector wants one
        ("email", "bob@example", "EMAIL"),
        ("customerEmail", "bob at example dot com", "EMAIL"),
        ("contact_email", "bob[at]example(dot)com", "EMAIL"),
        ("E-Mail", "bob (at) example.com", "EMAIL"),
        ("shipping_address", "Acceso Vial 14, Sevilla", "ADDRESS"),
        ("street", "Kensington Gardens Square", "ADDRESS"),
        ("address_line1", "Flat 3, 14 Kings Road", "ADDRESS"),
        ("addressLine2", "Apt 4", "ADDRESS"),
        ("home_address", "ul. Marszałkowska 10/12, Warszawa", "ADDRESS"),
        ("Adresse", "Hauptstr. 5\n10115 Berlin", "ADDRESS"),
        ("dirección", "Cuesta de San Vicente 12, Madrid", "ADDRESS"),
    ],
)
def test_a_key_names_its_value(s: Scrubber, key: str, value: object, kind: str) -> None:
    out = s.scrub_json({key: value})
    assert _kind(out[key]) == kind, out
    assert s.found[kind] == 1


@pytest.mark.parametrize(
    "key,value",
    [
        ("phone_verified", True),
        ("phone_country_code", "44"),
        ("mobile_build", "20261127"),  # the phone word is not what the key ends on
        ("mobile_app_version", "10.2.3"),
        ("phone", "2026-11-27"),  # a date
        ("phone", "call me"),
        ("phone", -5551234567),
        ("cell_id", "310260123456"),  # "cell" alone: a cell id, not a phone
        ("telemetry", "12345678"),
        ("hotel", "Grand Hotel 5"),
        ("email", "unknown"),
        ("email", "N/A"),
        ("email_count", 12),
        ("email_template", "welcome_v2"),
        ("mail_server", "smtp.example.com"),
        ("address", "N/A"),
        ("address", "London"),  # one word: a city, not an address
        ("address", "Santa Maria da Feira"),  # a city again: no number, and the key names no street
        ("address", "https://example.com/a b"),
        ("street_number", "14"),
        ("wallet_address", "0xAbC 123"),
        ("order_number", "5551234567"),
        ("email", "<EMAIL_abcdef>"),  # scrubbed already: stays as it is
        ("address", "<ADDRESS_abcdef>, Porto"),
    ],
)
def test_a_key_that_names_no_such_field_or_a_value_that_is_none(s: Scrubber, key: str, value: object) -> None:
    assert s.scrub_json({key: value}) == {key: value}
    assert not s.found


def test_nested_and_in_lists(s: Scrubber) -> None:
    value = {"customer": {"phone": "5551234567", "name_len": 3}, "contacts": [{"email": "bob at example dot com"}]}
    out = s.scrub_json(value)
    assert _kind(out["customer"]["phone"]) == "PHONE" and out["customer"]["name_len"] == 3
    assert _kind(out["contacts"][0]["email"]) == "EMAIL"


def test_one_value_one_token_however_it_is_written(s: Scrubber) -> None:
    """The token is the value's: a key-named phone number gets the same one as the number in text,
    an e-mail written around filters the same one as the address written plainly."""
    by_key = s.scrub_json({"phone": "(555) 123-4567", "email": "Bob [at] Example [dot] com"})
    in_text = s.scrub("call me at 555-123-4567 or write to bob@example.com")
    assert by_key["phone"] in in_text and by_key["email"] in in_text


def test_allow_list_and_disabled_kinds() -> None:
    allowed = Scrubber(b"k", ScrubSettings(allow=["bob at example dot com"]))
    assert allowed.scrub_json({"email": "bob at example dot com"}) == {"email": "bob at example dot com"}
    no_phone = Scrubber(b"k", ScrubSettings(disable=["PHONE"]))
    assert no_phone.scrub_json({"phone": "5551234567", "email": "bob@localhost"}) == {
        "phone": "5551234567", "email": no_phone.token("EMAIL", "bob@localhost")}


def test_the_prefilter_reads_the_keys_too() -> None:
    """Without a trigger in the values, the JSON prefilter must still send a field key's value to
    be read (the same output as with no prefilter at all)."""
    value = {"profile": {"x" * 60 + "Email": "bob at example dot com", "Straße": "Am Hang 3"}, "n": 1}
    fast, slow = Scrubber(b"k"), Scrubber(b"k", prefilter=False)
    assert fast.scrub_json(value) == slow.scrub_json(value)
    assert fast.found == slow.found == {"EMAIL": 1, "ADDRESS": 1}


def test_end_to_end_through_ingest(tmp_path: Path) -> None:
    from assay.ingest import ingest, iter_stored_records
    from assay.project import load_project

    (tmp_path / "assay.yaml").write_text("project: t\n")
    row = {"messages": [{"role": "user", "content": "where is my parcel?"}], "output": "on its way",
           "metadata": {"user": {"phone": "5551234567", "email": "bob at example dot com"}, "locale": "en-US"}}
    (tmp_path / "a.jsonl").write_text(json.dumps(row) + "\n")
    project = load_project(tmp_path)
    summary = ingest(project, [str(tmp_path / "a.jsonl")], workers=0)
    assert summary.kept == 1 and summary.pii["PHONE"] == 1 and summary.pii["EMAIL"] == 1
    (rec,) = list(iter_stored_records(project))
    stored = json.dumps(rec.model_dump(mode="json"), ensure_ascii=False)
    assert "5551234567" not in stored and "example" not in stored
    assert rec.metadata["user"]["phone"].startswith("<PHONE_") and rec.metadata["locale"] == "en-US"


@pytest.mark.parametrize(
    "text,kinds",
    [
        # a tool call's arguments, as the OpenAI shape writes them into the message
        ('[tool_call lookup_customer {"phone":"5551234567","email":"bob at example dot com"}]', {"PHONE": 1, "EMAIL": 1}),
        # a tool's result, with a phone number as a JSON number and a space before the colon
        ('{"name": "Bob", "address" : "Acceso Vial 14, Sevilla", "mobile": 447700900123}', {"ADDRESS": 1, "PHONE": 1}),
        # a Python dict written out
        ("lookup(customer={'phone': '5551234567', 'phone_verified': True})", {"PHONE": 1}),
        # a JSON escape in the value
        ('{"street": "Calle \\u00c1vila 3"}', {"ADDRESS": 1}),
    ],
)
def test_fields_in_json_inside_a_text(s: Scrubber, text: str, kinds: dict[str, int]) -> None:
    out = s.scrub(text)
    assert dict(s.found) == kinds, out
    for value in ("5551234567", "447700900123", "example", "Acceso", "u00c1vila"):
        assert value not in out
    if text.startswith("{"):  # still JSON, a number's token as a string
        assert isinstance(json.loads(out), dict)


def test_fields_in_text_leave_other_keys_and_prose_alone(s: Scrubber) -> None:
    for text in ('{"order": "5551234567", "ticket_id": 5551234567}', '{"phone_verified": "yes", "mobile_build": "20261127"}',
                 "the phone: number 2026-11-27 is a date", "{'email': 'unknown'}"):
        assert s.scrub(text) == text
    assert not s.found


def test_a_cached_text_counts_its_fields_again(s: Scrubber) -> None:
    text = '{"phone": "5551234567"}'
    first = s.scrub(text)
    assert s.scrub(text) == first and s.found["PHONE"] == 2
