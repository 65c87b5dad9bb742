"""A metadata key that says what its value is: e-mail, phone, address and person's name fields.

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
        ("first_name", "Maria", "PERSON"),
        ("lastName", "García López", "PERSON"),
        ("customer_name", "John O'Brien", "PERSON"),
        ("fullName", "Jean-Luc Picard", "PERSON"),
        ("cardholder_name", "J. R. Smith", "PERSON"),
        ("card_holder_name", "SMITH, JOHN", "PERSON"),
        ("recipient_name", "Ella van 't Wel-van der Leek", "PERSON"),
        ("user_full_name", "Ann Lee", "PERSON"),
        ("surname", "Nowak", "PERSON"),
        ("Vorname", "Jürgen", "PERSON"),
        ("nachname", "Müller-Lüdenscheidt", "PERSON"),
        ("prénom", "Éloïse", "PERSON"),
        ("nombre_completo", "Ana Pérez", "PERSON"),
        ("apellidos", "de la Cruz Ortega", "PERSON"),
        ("cognome", "Rossi", "PERSON"),
        ("nazwisko", "Wiśniewska", "PERSON"),
        ("contactName", "山田 太郎", "PERSON"),
        ("billing.first_name", "Li", "PERSON"),
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
        # a bare "name" names a tool, a model, a product as often as a person
        ("name", "Maria Garcia"),
        ("name", "get_order"),
        ("product_full_name", "Acme Trail Tent"),
        ("company_legal_name", "Acme Outdoor GmbH"),
        ("hotel_guest_name_policy", "strict"),
        ("display_name", "trailrunner"),
        ("user_name", "jdoe"),
        ("first_name_verified", True),
        ("last_name_length", 7),
        ("first_name", "string"),  # a schema's example
        ("first_name", "N/A"),
        ("customer_name", "Order 12345"),  # digits: no name
        ("full_name", "<PERSON_abcdef>"),
        ("customer_name", "a" * 101),
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


def test_a_name_has_one_token_whatever_its_case_and_spacing(s: Scrubber) -> None:
    out = s.scrub_json({"first_name": "Maria  GARCÍA", "contact": {"full_name": "maria garcía"}})
    assert out["first_name"] == out["contact"]["full_name"] == s.token("PERSON", "maria garcía")


def test_one_value_one_token_however_it_is_written(s: Scrubber) -> None:
    """The token is the value's: a key-named phone number gets the same one as the number in text,
    an e-mail written around filters the same one as the address written plainly."""
    by_key = s.scrub_json({"phone": "(555) 123-4567", "email": "Bob [at] Example [dot] com"})
    in_text = s.scrub("call me at 555-123-4567 or write to bob@example.com")
    assert by_key["phone"] in in_text and by_key["email"] in in_text


def test_allow_list_and_disabled_kinds() -> None:
    allowed = Scrubber(b"k", ScrubSettings(allow=["bob at example dot com"]))
    assert allowed.scrub_json({"email": "bob at example dot com"}) == {"email": "bob at example dot com"}
    no_names = Scrubber(b"k", ScrubSettings(disable=["PERSON"]))
    assert no_names.scrub_json({"first_name": "Maria"}) == {"first_name": "Maria"}
    assert no_names.scrub('{"customer_name": "Maria Garcia"}') == '{"customer_name": "Maria Garcia"}'
    no_phone = Scrubber(b"k", ScrubSettings(disable=["PHONE"]))
    assert no_phone.scrub_json({"phone": "5551234567", "email": "bob@localhost"}) == {
        "phone": "5551234567", "email": no_phone.token("EMAIL", "bob@localhost")}


def test_the_prefilter_reads_the_keys_too() -> None:
    """Without a trigger in the values, the JSON prefilter must still send a field key's value to
    be read (the same output as with no prefilter at all)."""
    value = {"profile": {"x" * 60 + "Email": "bob at example dot com", "Straße": "Am Hang 3", "customerFirstName": "Ann"}, "n": 1}
    fast, slow = Scrubber(b"k"), Scrubber(b"k", prefilter=False)
    assert fast.scrub_json(value) == slow.scrub_json(value)
    assert fast.found == slow.found == {"EMAIL": 1, "ADDRESS": 1, "PERSON": 1}
    for text in ('{"customerFirstName": "Ann"}', "{'Nachname': 'Müller'}", '{"nombre_del_cliente": "Ana Pérez"}'):
        assert fast.scrub(text) == slow.scrub(text) != text


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
        # a person's name in a tool call's arguments; the tool's own "name" stays
        ('{"name": "create_ticket", "arguments": {"customer_name": "Maria Gonzalez", "first_name": "Ana"}}', {"PERSON": 2}),
    ],
)
def test_fields_in_json_inside_a_text(s: Scrubber, text: str, kinds: dict[str, int]) -> None:
    out = s.scrub(text)
    assert dict(s.found) == kinds, out
    for value in ("5551234567", "447700900123", "example", "Acceso", "u00c1vila", "Gonzalez", "Ana"):
        assert value not in out
    if text.startswith("{"):  # still JSON, a number's token as a string
        assert isinstance(json.loads(out), dict)


def test_fields_in_text_leave_other_keys_and_prose_alone(s: Scrubber) -> None:
    for text in ('{"order": "5551234567", "ticket_id": 5551234567}', '{"phone_verified": "yes", "mobile_build": "20261127"}',
                 "the phone: number 2026-11-27 is a date", "{'email': 'unknown'}",
                 '{"name": "get_order", "model_name": "gpt-4o", "product_name": "Trail Tent"}'):
        assert s.scrub(text) == text
    assert not s.found


def test_a_cached_text_counts_its_fields_again(s: Scrubber) -> None:
    text = '{"phone": "5551234567"}'
    first = s.scrub(text)
    assert s.scrub(text) == first and s.found["PHONE"] == 2


def test_a_name_from_a_name_field_is_scrubbed_in_the_whole_record(tmp_path: Path) -> None:
    """The customer's name in the metadata: the same name in the messages, the answer, the
    feedback and the other metadata gets the same token; other words stay."""
    from assay.ingest import ingest, iter_stored_records
    from assay.project import load_project

    (tmp_path / "assay.yaml").write_text("project: t\n")
    row = {"messages": [{"role": "user", "content": "Hi, this is Maria García (MARIA  GARCÍA on the card). Will you refund Marian? Maria"}],
           "output": "Sorry maria garcía, we will refund.",
           "metadata": {"customer": {"first_name": "Maria", "full_name": "Maria García"}, "note": "call Maria back"},
           "feedback": {"thumbs": "down", "comment": "Maria García was kind"}}
    (tmp_path / "a.jsonl").write_text(json.dumps(row, ensure_ascii=False) + "\n")
    project = load_project(tmp_path)
    summary = ingest(project, [str(tmp_path / "a.jsonl")], workers=0)
    (rec,) = list(iter_stored_records(project))
    s = Scrubber(project.key)
    full, first = s.token("PERSON", "maria garcía"), s.token("PERSON", "maria")
    assert rec.messages[0].content == f"Hi, this is {full} ({full} on the card). Will you refund Marian? {first}"  # (alone at the end)
    assert rec.output == f"Sorry {full}, we will refund."
    assert rec.metadata == {"customer": {"first_name": first, "full_name": full}, "note": f"call {first} back"}
    assert rec.feedback is not None and rec.feedback.comment == f"{full} was kind"
    assert summary.pii["PERSON"] == 8


def test_a_record_without_name_fields_keeps_the_names_in_its_text(tmp_path: Path) -> None:
    """Names are taken from name fields only, and only for their own record."""
    from assay.ingest import ingest, iter_stored_records
    from assay.project import load_project

    (tmp_path / "assay.yaml").write_text("project: t\n")
    rows = [{"messages": [{"role": "user", "content": "I am Ann Lee"}], "output": "ok", "metadata": {"customer_name": "Ann Lee"}},
            {"messages": [{"role": "user", "content": "Ann Lee wrote before"}], "output": "ok", "metadata": {}}]
    (tmp_path / "a.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    project = load_project(tmp_path)
    ingest(project, [str(tmp_path / "a.jsonl")], workers=0)
    texts = sorted(r.messages[0].content for r in iter_stored_records(project))
    assert texts[0] == "Ann Lee wrote before" and texts[1].startswith("I am <PERSON_")


def test_with_names_matches_whole_names_only(s: Scrubber) -> None:
    names = [("Maria García", "<PERSON_aaaaaa>"), ("Will", "<PERSON_bbbbbb>"), ("ann", "<PERSON_cccccc>")]
    text = "maria  garcía, MariaGarcía, Will, will you? Hi WILL and Ann and ann and Annie <PERSON_aaaaaa>"
    assert s.with_names(text, names) == (
        "<PERSON_aaaaaa>, MariaGarcía, <PERSON_bbbbbb>, will you? Hi <PERSON_bbbbbb> and <PERSON_cccccc> and ann and Annie <PERSON_aaaaaa>")


@pytest.mark.parametrize(
    "text,out",
    [
        ("Will you ship it?", "Will you ship it?"),  # a sentence's first word: the verb, not the name
        ("Sure. Will do!", "Sure. Will do!"),
        ("WILL YOU ANSWER", "WILL YOU ANSWER"),
        ("Will, your parcel is here", "<P>, your parcel is here"),  # a comma after it: the name
        ("Thanks,\nWill", "Thanks,\n<P>"),  # alone on its line
        ("Thanks Will!", "Thanks <P>!"),
        ("Will here: where is my order?", "<P> here: where is my order?"),
    ],
)
def test_a_one_word_name_where_a_sentence_starts(s: Scrubber, text: str, out: str) -> None:
    assert s.with_names(text, [("Will", "<P>")]) == out


def test_names_in_a_cached_text_reach_every_record_that_holds_it() -> None:
    """A tool result repeated across records is scrubbed once (cached): each record still
    learns the names in it, so its messages are scrubbed the same way whatever came before."""
    s = Scrubber(b"k")
    text = '{"customer_name": "Ann Lee"}'
    for _ in range(2):
        s.names_begin()
        s.scrub(text)
        assert s.names_found() == [("Ann Lee", s.token("PERSON", "ann lee"))]
    tools = [{"example": {"first_name": "Bo"}}]
    for _ in range(2):
        s.names_begin()
        s.scrub_json_cached(tools, json.dumps(tools).encode())
        assert [n for n, _ in s.names_found()] == ["Bo"]


@pytest.mark.parametrize(
    "text,name",
    [
        ("Hi, my name is Maria de la Cruz and my order never arrived", "Maria de la Cruz"),
        ("My name is Dr. John Smith.", "John Smith"),  # the title stays, the sentence's stop too
        ("My name is J. R. Smith, thanks", "J. R. Smith"),
        ("my full name is Ella van 't Wel-Leek. Please check", "Ella van 't Wel-Leek"),
        ("My name is Ana I need help", "Ana"),
        ("je m'appelle Éloïse Dupont, merci", "Éloïse Dupont"),
        ("Hola, me llamo Ana y necesito ayuda", "Ana"),
        ("Mein Name ist JÜRGEN MÜLLER.", "JÜRGEN MÜLLER"),
        ("nazywam się Zofia Wiśniewska.", "Zofia Wiśniewska"),
        ("Customer name: siobhán larsen\nOrder: 12345", "siobhán larsen"),  # after a label, also in lower case
        ("first_name=Ann", "Ann"),
        ("Nachname: Müller, Vorname: X", "Müller"),
        # in lower case after "my name is" and its kin, when what follows ends the name
        ("hi my name is maria garcia, my order never arrived", "maria garcia"),
        ("my name is sam and i need help", "sam"),
        ("my name is john smith i need help", "john smith"),
        ("my name is maria de la cruz.", "maria de la cruz"),
        ("Hola, me llamo ana lópez y necesito ayuda.", "ana lópez"),
        ("mi chiamo marco rossi e ho un problema", "marco rossi"),
        ("ik heet jan de vries en ik wacht", "jan de vries"),
        ("je m'appelle jean-luc dubois, merci", "jean-luc dubois"),
        ("my name is kevin", "kevin"),
    ],
)
def test_a_name_in_text_after_its_words_or_label(s: Scrubber, text: str, name: str) -> None:
    out = s.scrub(text)
    assert name not in out and s.token("PERSON", name.casefold()) in out, out
    assert s.names_found()[0] == (name, s.token("PERSON", name.casefold()))


@pytest.mark.parametrize(
    "text",
    [
        "My name is not important, just fix it.", "my name is on the list already",
        # lower-case words after "my name is" that are prose, not a name
        "My name is spelled wrong on the invoice", "my name is required for the form?", "my name is showing wrong in the app",
        "my name is gone.", "my name is listed twice", "je m'appelle pas comme ça", "Mi nombre es importante?",
        "mon nom est bizarre", "my name is private", "my name is the same as before",
        "What is my name on the account?", "Customer name: N/A", "customer name: unknown", "Customer name: missing",
        "The customer name field is empty.", "Name: John Smith", "Product name: Trail Tent 3", "Tool name: lookup_customer",
        "first_name = string", "Company name: Acme Outdoor GmbH", "my name is Mr.", "My name is The same",
        "Customer name: bob@example.com", "Product full name: Trail Tent", "company legal name: acme outdoor",
    ],
)
def test_no_name_in_text(text: str) -> None:
    s = Scrubber(b"k")
    out = s.scrub(text)
    assert "<PERSON_" not in out and not s.names_found(), out


def test_a_record_with_many_names_is_searched_for_its_first_64(tmp_path: Path) -> None:
    """A tool's result that lists many customers: each is scrubbed where it stands; the
    record's other texts are searched for the first 64 names only."""
    from assay.ingest import ingest, iter_stored_records
    from assay.project import load_project

    (tmp_path / "assay.yaml").write_text("project: t\n")
    people = [f"Ann {chr(65 + i // 26)}{chr(97 + i % 26)}son" for i in range(100)]
    listing = json.dumps([{"customer_name": p} for p in people])
    row = {"messages": [{"role": "user", "content": f"is {people[0]} or {people[99]} on the list?"},
                        {"role": "tool", "content": listing}], "output": "yes"}
    (tmp_path / "a.jsonl").write_text(json.dumps(row) + "\n")
    project = load_project(tmp_path)
    ingest(project, [str(tmp_path / "a.jsonl")], workers=0)
    (rec,) = list(iter_stored_records(project))
    s = Scrubber(project.key)
    assert rec.messages[0].content == f"is {s.token('PERSON', people[0].casefold())} or {people[99]} on the list?"
    assert not any(p in rec.messages[1].content for p in people)


@pytest.mark.parametrize(
    "text,name",
    [
        ("Where is my parcel?\n\nKind regards,\nMaria", "Maria"),
        ("Danke\n\nMit freundlichen Grüßen\nJürgen M.", "Jürgen M."),
        ("Danke!\n\nBeste Grüße\nSophie", "Sophie"),  # "Beste" is no "Best" and a name
        ("Olá,\n\nAtenciosamente,\nFernanda A.", "Fernanda A."),
        ("Thanks, Tom", "Tom"),
        ("Un saludo,\nAna de la Cruz", "Ana de la Cruz"),
        ("Best regards\n\nJohn Smith\nACME Corp", "John Smith"),
        ("> Cordialement,\n> Éloïse", "Éloïse"),  # quoted
        ("On Mon, 5 Nov 2026 at 10:30, Maria García <maria@example.com> wrote:\n> hi", "Maria García"),
        ("Am Montag, 5. November 2026 um 10:30 schrieb Jürgen Müller:\n> Hallo", "Jürgen Müller"),
        ("Le lun. 5 nov. 2026 à 10:30, Éloïse Dupont <e@example.fr> a écrit :", "Éloïse Dupont"),
        ("From: Ana Pérez <ana@example.com>\nSent: Monday", "Ana Pérez"),
    ],
)
def test_a_name_that_signs_a_letter_or_heads_a_quote(s: Scrubber, text: str, name: str) -> None:
    out = s.scrub(text)
    assert name not in out and s.token("PERSON", name.casefold()) in out, out


@pytest.mark.parametrize(
    "text,name",
    [
        ("Hi Maria,\nyour order has shipped.", "Maria"),
        ("Hello Maria García, thanks for reaching out!", "Maria García"),
        ("Dear Mr. Smith,\nThank you for your message.", "Smith"),  # the title stays
        ("Sehr geehrte Frau Müller-Lüdenscheidt,\nvielen Dank.", "Müller-Lüdenscheidt"),
        ("Bonjour Madame de la Cruz,\nvotre colis est prêt.", "de la Cruz"),  # a particle after a title
        ("Hola Ana: gracias", "Ana"),
        ("> Hi Jean-Luc!\n> any news?", "Jean-Luc"),  # quoted
        ("Hi McDonald,", "McDonald"),
        ("Beste Jan,\nbedankt voor je bericht.", "Jan"),
        ("hı Maria,", "Maria"),  # Python's (?i) reads "ı" as "i": so do the triggers
    ],
)
def test_a_name_a_greeting_addresses(s: Scrubber, text: str, name: str) -> None:
    out = s.scrub(text)
    assert name not in out and s.token("PERSON", name.casefold()) in out, out
    assert Scrubber(b"k", prefilter=False, windows=False).scrub(text) == Scrubber(b"k").scrub(text)


@pytest.mark.parametrize(
    "text",
    [
        "Hi there, where is my order?", "Dear Sir or Madam,", "Hello ShopRight", "HELLO SHOPRIGHT", "Hi Team,", "Dear Customer,",
        "Hi all,", "Hello World", "Hi, are you there?", "Dear ShopRight team,", "Hallo zusammen,", "Dear valued customer,",
        "Hello again,", "Hi Maria how are you", "Dear dr. Smith,", "Beste Grüße", "Sehr geehrte Damen und Herren,",
        "Bonjour Madame,", "Dear PayPal,", "Say hi Maria, to everyone",
    ],
)
def test_no_name_after_a_greeting(text: str) -> None:
    out = Scrubber(b"k").scrub(text)
    assert "<PERSON_" not in out, out


@pytest.mark.parametrize(
    "text",
    [
        "Thanks for your help", "Thanks! Where is my order?", "Best,\nThe ShopRight team", "Regards,\nSupport Team",
        "> On Tuesday, 3 November 2026 at 09:12, ShopRight Support wrote:", "Thanks Again", "thanks!\nmaria",
        "Cheers\nBig Thanks To You All", "Best Buy has it in stock", "From: support@example.com\nTo: me",
        "Kind regards,\nThe Acme Customer Service Team",
    ],
)
def test_no_name_after_a_sign_off(text: str) -> None:
    s = Scrubber(b"k")
    out = s.scrub(text)
    assert "<PERSON_" not in out, out
