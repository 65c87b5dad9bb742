"""National identity and tax numbers (NATIONAL_ID) beyond the UK and Spain.

The example numbers are synthetic; each is checked valid (or invalid) by python-stdnum, an
independent library of validators, before the detector is asked about it."""

from __future__ import annotations

import importlib
import json
import re
import time
from pathlib import Path

import pytest

from assay.ingest import Scrubber

TOKEN = re.compile(r"<NATIONAL_ID_[0-9a-f]{6}>")

# found by shape and check alone: (stdnum module, the number as people write it)
SHAPED = [
    ("it.codicefiscale", "BCCFRC15M25E852P"),
    ("it.codicefiscale", "rsslne45m14i765d"),  # lower case
    ("it.codicefiscale", "BCCFRC15M25E85NE"),  # omocodia: a digit written as a letter
    ("fr.nir", "172023201312126"),
    ("fr.nir", "1 72 02 32 013 121 26"),
    ("mx.curp", "ZAID260628MTLTZM03"),
    ("cn.ric", "310000193802281702"),
    ("kr.rrn", "350912-1563416"),
    ("se.personnummer", "961112-5825"),
    ("fi.hetu", "191002A584N"),
    ("ch.ssn", "756.2140.3579.85"),
    ("br.cpf", "187.244.670-14"),
    ("in_.aadhaar", "8697 2510 2730"),
    ("in_.pan", "ABCPE1234F"),
]

# found after a word that names them: (stdnum module, sentence, the number in it)
LABELLED = [
    ("pl.pesel", "Mój numer PESEL to 26062814175.", "26062814175"),
    ("nl.bsn", "Mijn BSN is 214035797", "214035797"),
    ("de.idnr", "Meine Steuer-ID lautet: 72328601290", "72328601290"),
    ("ca.sin", "My SIN is 278 018 460, thanks", "278 018 460"),
    ("tr.tckimlik", "TC Kimlik No: 39141777694", "39141777694"),
    ("no.fodselsnummer", "Fødselsnummer: 12119616032", "12119616032"),
    ("be.nn", "Rijksregisternummer: 85.07.30-033.28", "85.07.30-033.28"),
    ("pt.nif", "O meu NIF é 504047965.", "504047965"),
    ("dk.cpr", "CPR-nummer: 211062-5629", "211062-5629"),
    ("br.cpf", "Meu CPF é 18724467014", "18724467014"),
    ("in_.aadhaar", "Aadhaar number: 869725102730", "869725102730"),
    ("cn.ric", "我的身份证号码是310000193802281702", "310000193802281702"),
]


def _valid(module: str, value: str) -> bool:
    return bool(importlib.import_module(f"stdnum.{module}").is_valid(value))


@pytest.fixture(scope="module")
def s() -> Scrubber:
    return Scrubber(b"k" * 32)


@pytest.mark.parametrize(("module", "value"), SHAPED)
def test_shaped_number_found_with_no_word_before_it(s: Scrubber, module: str, value: str) -> None:
    assert _valid(module, value)
    out = s.scrub(f"Details: {value} (as on the form).")
    assert value not in out and TOKEN.search(out), out


def _broken(module: str, value: str) -> str:
    """``value`` with its last character changed so that its check fails."""
    pool = "0123456789" if value[-1].isdigit() else "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    for c in pool:
        v = value[:-1] + c
        if c != value[-1] and not _valid(module, v):
            return v
    raise AssertionError(value)


@pytest.mark.parametrize(("module", "value"), [x for x in SHAPED if x[0] not in ("in_.pan", "se.personnummer")])
def test_shaped_number_with_a_wrong_check_is_left(s: Scrubber, module: str, value: str) -> None:
    # (a PAN has no check character; a personnummer's is the last digit of a date-shaped
    # Luhn number, and other numbers of its shape may pass)
    bad = _broken(module, value)
    assert "NATIONAL_ID" not in s.scrub(f"Details: {bad} (as on the form).")


@pytest.mark.parametrize(("module", "text", "value"), LABELLED)
def test_number_after_the_word_that_names_it(s: Scrubber, module: str, text: str, value: str) -> None:
    assert _valid(module, value)
    out = s.scrub(text)
    assert value not in out and TOKEN.search(out), out


@pytest.mark.parametrize(("module", "text", "value"), [x for x in LABELLED if x[0] not in ("cn.ric", "dk.cpr")])
def test_labelled_number_with_a_wrong_check_is_left(s: Scrubber, module: str, text: str, value: str) -> None:
    # (a Danish CPR number has had no check digit since 2007: only its date is checked)
    bad = _broken(module, value)
    assert "NATIONAL_ID" not in s.scrub(text.replace(value, bad))


def test_plain_runs_of_digits_need_the_word() -> None:
    s = Scrubber(b"k" * 32)
    for value in ("26062814175", "214035797", "72328601290", "39141777694"):
        assert "NATIONAL_ID" not in s.scrub(f"Details: {value} (as on the form).")
        assert "NATIONAL_ID" not in s.scrub(f"Order {value} has shipped.")


def test_the_same_number_written_two_ways_is_one_token(s: Scrubber) -> None:
    a, b = s.scrub("NIR 172023201312126"), s.scrub("NIR 1 72 02 32 013 121 26")
    assert TOKEN.search(a).group(0) == TOKEN.search(b).group(0)  # type: ignore[union-attr]
    a, b = s.scrub("CPF 187.244.670-14"), s.scrub("Meu CPF é 18724467014")
    assert TOKEN.search(a).group(0) == TOKEN.search(b).group(0)  # type: ignore[union-attr]


@pytest.mark.parametrize("text", [
    "card 4111 1111 1111 1111 was declined",  # not an Aadhaar number: the start of a card's groups
    "IBAN PL46 6653 8962 4543 1544 7237 8004 was rejected",  # (its checksum fails: no IBAN either)
    "IBAN DE89 3704 0044 0532 0130 00 was rejected",
    "ticket 4585 4732 5288 was merged",  # said to be something else
    "Order 196658307590904 has shipped",
    "user id 112233445566778899 joined",
    "I'm using a single sign-on; the unified personnel portal is significant.",
    "She did CPR for 10 minutes; the NAS at 10.0.0.5 is full; sin 3 días.",
    "Steuernummer 21/815/08150 und USt-IdNr. DE123456789",  # a tax number and a VAT id are no Steuer-ID
    "Kundennummer: 72328601290",  # the Steuer-ID's digits, but said to be a customer number
])
def test_not_a_national_number(s: Scrubber, text: str) -> None:
    assert "NATIONAL_ID" not in s.scrub(text)


def test_cards_and_ibans_keep_their_kind(s: Scrubber) -> None:
    assert "<CARD_" in s.scrub("card 4111 1111 1111 1111 was declined")
    assert "<IBAN_" in s.scrub("IBAN DE89 3704 0044 0532 0130 00 was rejected")


def test_metadata_key_names_the_number(s: Scrubber) -> None:
    meta = {"customer": {"pesel": "26062814175", "customer_cpf": 18724467014, "order": "26062814175", "note": "BSN 214035797"}}
    out = s.scrub_json(meta)
    assert TOKEN.fullmatch(out["customer"]["pesel"]) and TOKEN.fullmatch(out["customer"]["customer_cpf"])
    assert out["customer"]["order"] == "26062814175"  # the key does not name a national number
    assert out["customer"]["note"].startswith("BSN <NATIONAL_ID_")
    assert s.scrub_json({"pesel": "26062814176"}) == {"pesel": "26062814176"}  # fails PESEL's check


def test_switched_off_and_allowed() -> None:
    off = Scrubber(b"k" * 32, settings=None)
    off.settings.disable.append("NATIONAL_ID")
    off = Scrubber(b"k" * 32, settings=off.settings)
    assert off.scrub("CF BCCFRC15M25E852P") == "CF BCCFRC15M25E852P"
    assert off.scrub_json({"pesel": "26062814175"}) == {"pesel": "26062814175"}
    from assay.ingest import ScrubSettings

    allow = Scrubber(b"k" * 32, settings=ScrubSettings(allow=["BCCFRC15M25E852P"]))
    assert allow.scrub("CF BCCFRC15M25E852P") == "CF BCCFRC15M25E852P"


def test_lone_surrogate_does_not_stop_scrubbing(s: Scrubber) -> None:
    out = s.scrub("x \ud800 PESEL 26062814175, CF BCCFRC15M25E852P, mail a@example.com")
    assert "26062814175" not in out and "BCCFRC15M25E852P" not in out and "a@example.com" not in out


@pytest.mark.parametrize("text", [
    "PESEL" + " " * 50_000,
    "PESEL " + "to " * 20_000 + "123",
    "PESEL " * 10_000,
    "BSN" + ":-= " * 10_000 + "1",
    "1234 " * 12_000,
    "1 72 02 32 " * 5_000,
    "SIN " * 12_000 + "278 018 460",
    "身份证号码是" * 8_000,
    "ABCDEF12" * 6_000,
])
def test_pathological_texts_stay_fast(s: Scrubber, text: str) -> None:
    t = time.perf_counter()
    s.scrub(text)
    assert time.perf_counter() - t < 5


def test_ingest_scrubs_national_numbers(tmp_path: Path) -> None:
    from assay.ingest import ingest
    from assay.project import load_project

    (tmp_path / "assay.yaml").write_text("project: t\n")
    rows = [{"messages": [{"role": "user", "content": "Il mio codice fiscale è BCCFRC15M25E852P, PESEL 26062814175"}],
             "output": "Grazie!", "metadata": {"pesel": "26062814175", "locale": "it-IT"}}]
    (tmp_path / "a.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    project = load_project(tmp_path)
    summary = ingest(project, [str(tmp_path / "a.jsonl")], workers=0)
    assert summary.kept == 1 and summary.pii["NATIONAL_ID"] == 3
    from assay.ingest import iter_stored_records

    (rec,) = list(iter_stored_records(project))
    stored = json.dumps(rec.model_dump(mode="json"), ensure_ascii=False)
    assert "BCCFRC15M25E852P" not in stored and "26062814175" not in stored
    assert rec.metadata["pesel"].startswith("<NATIONAL_ID_")


def test_numbers_after_a_json_escape_in_metadata(s: Scrubber) -> None:
    # the trigger pass reads metadata as serialised JSON, where a newline before a number is "\n"
    out = s.scrub_json({"note": "line\nAB 12 34 56 C", "cf": "x\nBCCFRC15M25E852P", "rrn": "\t350912-1563416", "u": "\x01191002A584N"})
    assert all(TOKEN.search(v) for v in out.values()), out


def test_upper_case_hex_ids_do_not_run_the_step() -> None:
    import importlib

    pii = importlib.import_module("assay.ingest._pii")
    kinds = list(pii.KINDS)
    match = pii._set_matcher(pii._compile_trigger_set(kinds, json=True))
    blob = b'{"sha":"9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08","trace":"4bf92f3577b34da6a3ce929d0e0e4736"}'
    assert kinds.index("NATIONAL_ID") not in (match(blob) or [])


def test_metadata_key_that_names_a_social_security_number() -> None:
    from assay.ingest import ScrubSettings

    meta = {"customer": {"ssn": "123456789", "social_security_number": "123-45-6789", "ssn_last4": "6789", "order": "123456789"}}
    for settings in (None, ScrubSettings(disable=["NATIONAL_ID"])):
        out = Scrubber(b"k" * 32, settings=settings).scrub_json(meta)["customer"]
        assert out["ssn"].startswith("<SSN_") and out["ssn"] == out["social_security_number"]  # one number, one token
        assert out["ssn_last4"] == "6789" and out["order"] == "123456789"
    assert Scrubber(b"k" * 32, settings=ScrubSettings(disable=["SSN"])).scrub_json({"ssn": "123456789"}) == {"ssn": "123456789"}
    assert Scrubber(b"k" * 32).scrub_json({"ssn": "666123456"}) == {"ssn": "666123456"}  # no SSN starts with 666


def test_one_national_number_can_be_switched_off() -> None:
    """``scrub.disable: [NATIONAL_ID:in_aadhaar]`` for a team whose ticket numbers come in groups
    of four: Aadhaar numbers are then left, by shape, after their word and under a key; the
    other national numbers are still found."""
    from assay.ingest._pii import ScrubSettings

    s = Scrubber(b"k", ScrubSettings(disable=["NATIONAL_ID:in_aadhaar"]))
    text = "Details: 8697 2510 2730, Aadhaar 869725102730, PESEL 26062814175"
    out = s.scrub(text)
    # (the groups are no Aadhaar number now, and the phone detector reads them as what they look
    # like; a team's ticket numbers have their word before them: "Ticket 8697 2510 2730" stays)
    assert "869725102730" in out and "26062814175" not in out
    assert s.scrub_json({"aadhaar": "869725102730"}) == {"aadhaar": "869725102730"}
    assert s.found == {"NATIONAL_ID": 1, "PHONE": 1}
    assert s.scrub("Ticket 8697 2510 2730") == "Ticket 8697 2510 2730"
    on = Scrubber(b"k")
    on.scrub(text)
    assert on.found == {"NATIONAL_ID": 3}


@pytest.mark.parametrize("bad", ["NATIONAL_ID:xx_nothing", "PHONE:us", "NOPE"])
def test_switching_off_an_unknown_number_is_a_clear_error(bad: str) -> None:
    from assay.errors import ConfigError
    from assay.ingest._pii import ScrubSettings

    with pytest.raises(ConfigError, match="unknown"):
        Scrubber(b"k", ScrubSettings(disable=[bad]))
