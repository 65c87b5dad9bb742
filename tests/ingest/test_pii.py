import pytest

from assay.ingest import Scrubber
from assay.ingest._pii import luhn_ok


@pytest.fixture
def s():
    return Scrubber(b"test-key")


@pytest.mark.parametrize(
    "text,kind",
    [
        ("write to jane.doe+shop@example.co.uk please", "EMAIL"),
        ("card 4111 1111 1111 1111 expired", "CARD"),
        ("card 5500-0000-0000-0004", "CARD"),
        ("call +49 30 1234567 tomorrow", "PHONE"),
        ("call (415) 555-0132", "PHONE"),
        ("ring +44 20 7946 0958", "PHONE"),
        ("IBAN DE89 3704 0044 0532 0130 00", "IBAN"),
        ("SSN 123-45-6789", "SSN"),
        ("from 203.0.113.7", "IP"),
        ("token sk-abcdefghijklmnopqrstuvwxyz123456", "SECRET"),
        ("Authorization: Bearer abcdefghijklmnopqrstuvwxyz.0123456789", "SECRET"),
    ],
)
def test_detects(s, text, kind):
    out = s.scrub(text)
    assert f"<{kind}_" in out


@pytest.mark.parametrize(
    "text",
    [
        "order A-483920 placed 2026-10-01 at 12:30",
        "it cost 49.99 EUR, or 1.299,00 €",
        "version 1.2.3 of the app, build 20261001",
        "card 4111 1111 1111 1112 is not Luhn-valid",
        "I ordered 2 items, 3 days ago, qty 10",
        "tracking number 1Z999AA10123456784",
    ],
)
def test_leaves_lookalikes_alone(s, text):
    assert s.scrub(text) == text


def test_pseudonyms_are_consistent_and_keyed():
    a, b = Scrubber(b"k1"), Scrubber(b"k2")
    t1 = a.scrub("mail Bob@Example.com")
    t2 = a.scrub("again bob@example.com")
    assert t1.split()[-1] == t2.split()[-1]
    assert b.scrub("mail bob@example.com") != t1


def test_luhn():
    assert luhn_ok("4111111111111111") and not luhn_ok("4111111111111112")
