"""Texts built to make the detectors' regular expressions backtrack: each must scrub in
time that grows with its length, not its square. Before the bounds in ``_pii.py`` several
of these took over a minute at 100 KB (``Calle Calle ...`` 51 s, a hex dump after the word
"tokens" 53 s); now each takes well under a second on the 2-core machine of
docs/benchmarks.md. A quadratic search at 50 KB would take tens of seconds, so the generous
limit below only catches that."""

import base64
import random
import time

import pytest

from assay.ingest import Scrubber

N = 50_000


def _rand(n):
    return random.Random(n).randbytes(n)


def _rep(unit, tail=""):
    return unit * (N // len(unit)) + tail


CASES = {
    "capitalised words joined by hyphens before a street suffix": _rep("A-", " Main Street"),
    "a base64url blob before a street suffix": base64.urlsafe_b64encode(_rand(N * 3 // 4)).decode() + " Main Street",
    "a street word repeated": _rep("Calle "),
    "a hex dump after the word tokens": "count the tokens please:\n" + _rand(N // 2).hex(),
    "digits after the word key": "keep the key ones: 3." + "".join(str(i * 7 % 10) for i in range(N)),
    "spaces after SSN": "SSN" + " " * N + "\nPhone 0123456789",
    "an identifier of key_ repeated": _rep("key_"),
    "sk- repeated": _rep("sk-"),
    "private key headers without an end": _rep("-----BEGIN PRIVATE KEY-----\n"),
    "percent signs before an at sign": "%" * N + "@",
    "a% repeated before an at sign": _rep("a%", "@"),
    "numbers separated by single spaces": _rep("12 "),
    "a phone word and a run of digits": "phone " + _rep("1 2-3 "),
    "field keys and colons repeated": _rep('"phone": "phone": '),
    "a field key before a long escaped value": '{"phone": "' + _rep("\\\\"),
    "quotes around field words without values": _rep("'email' :"),
    "a name field before a value of many short words": '{"customer_name": "' + _rep("A. b' ") + '"}',
    "name words in quoted keys repeated": _rep('"first last customer name'),
    "sign-offs on their own lines": _rep("Thanks\n"),
    "sign-offs and capitalised words": _rep("Regards, Ann Bo Cy Dee\n"),
    "quote headers without their end": _rep("On Mon, 5 Nov, Ann "),
    "a German quote header without its end": "Am " + _rep("x schrieb Ann "),
    "sender lines": _rep("From: Ann Bo <"),
    "a Brazilian place word repeated": _rep("Parque "),
    "a Spanish street word and names repeated": _rep("Acceso Ana de "),
    "a place word and particles repeated": _rep("Setor de da "),
    "a national number's word repeated": _rep("PESEL "),
    "a national number's word and spaces": "PESEL" + " " * N + "1",
    "digit groups of four": _rep("1234 "),
}


@pytest.mark.parametrize("name", list(CASES))
def test_adversarial_text_scrubs_in_linear_time(name):
    s = Scrubber(b"k" * 32)
    s.scrub("warm up bob@example.com")
    t = time.perf_counter()
    s.scrub(CASES[name])
    assert time.perf_counter() - t < 10, name
